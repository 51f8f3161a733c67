//! Helpers shared by the integration tests: fixtures in temporary folders, the binary,
//! and the files a run wrote.
#![allow(dead_code)] // each test crate uses its own subset

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// A temp folder with copies of the named fixtures.
pub fn workdir(fixtures: &[&str]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in fixtures {
        std::fs::copy(fixture(f), dir.path().join(f)).unwrap();
    }
    dir
}

pub fn logoproc(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("logoproc").unwrap();
    cmd.current_dir(dir).env_remove("RUST_LOG");
    cmd
}

/// Every output file under `root`, relative, sorted (the run's bookkeeping folder
/// `.logoproc`, with its lock and incremental state, is not output).
pub fn files(root: &Path) -> BTreeSet<String> {
    walk(root)
        .into_iter()
        .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
        .filter(|p| !p.starts_with(".logoproc/"))
        .collect()
}

pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root) {
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Assert that two output folders hold the same files with the same bytes; returns how
/// many files.
pub fn assert_same_tree(a: &Path, b: &Path) -> usize {
    let names = files(a);
    assert_eq!(names, files(b));
    for n in &names {
        assert!(
            std::fs::read(a.join(n)).unwrap() == std::fs::read(b.join(n)).unwrap(),
            "{n} differs"
        );
    }
    names.len()
}

/// Assert that `logoproc check` passes on the kit in `folder` (a logo's output folder or
/// the output folder).
pub fn assert_kit_checks(folder: &Path) {
    let run = Command::cargo_bin("logoproc")
        .unwrap()
        .arg("check")
        .arg(folder)
        .assert();
    let out = run.get_output();
    assert!(
        out.status.success(),
        "check {}: {}{}",
        folder.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
