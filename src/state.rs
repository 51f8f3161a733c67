//! Incremental runs: what each logo's last successful build was made from and what it
//! wrote, in `<out>/.logoproc/state/<stem>.json`, one small file per logo, written as
//! soon as the logo's last job is done (so an interrupted or killed run keeps what it
//! finished, and the shards of a batch never write the same file).
//!
//! A logo is skipped when the hash of its input bytes, the hash of the effective
//! configuration and variations, and the tool version (with the digest of its code,
//! [`crate::VERSION`]) all equal the record, and every
//! recorded output is still on disk with the recorded hash.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::lock::STATE_DIR;
use crate::output;
use crate::variation::Variation;

/// One logo's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The input as it was named (for people reading the file).
    pub input: PathBuf,
    /// BLAKE3 of the input bytes the logo's jobs decoded, hex.
    pub input_hash: String,
    /// [`config_hash`] of the run.
    pub config_hash: String,
    /// The tool's version, [`crate::VERSION`]: with the digest of the code it ran.
    pub version: String,
    /// Every file the logo's jobs wrote.
    pub outputs: Vec<Recorded>,
    /// What its square outputs were made from (see `source::mark::Artwork::caption`),
    /// for the preview page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artwork: Option<String>,
}

/// A file written, relative to the output folder, with the BLAKE3 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// BLAKE3 of the bytes, hex.
    pub hash: String,
}

/// The hash of everything in the configuration that changes output bytes, and of the
/// variations built.
pub fn config_hash(config: &Config, variations: &[Variation]) -> String {
    let mut names: Vec<&str> = variations.iter().map(|v| v.name()).collect();
    names.sort_unstable();
    names.dedup();
    let text = format!("{}\n{}", config.output_fingerprint(), names.join(","));
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// BLAKE3 of a file's bytes, hex.
pub fn file_hash(path: &Path) -> std::io::Result<String> {
    Ok(output::file_digest(path)?.to_hex().to_string())
}

/// The state folder of one output folder.
#[derive(Debug, Clone)]
pub struct State {
    out: PathBuf,
}

impl State {
    /// The state of the output folder `out`.
    pub fn new(out: &Path) -> State {
        State {
            out: out.to_path_buf(),
        }
    }

    fn path(&self, stem: &str) -> PathBuf {
        self.out
            .join(STATE_DIR)
            .join("state")
            .join(format!("{stem}.json"))
    }

    /// What the square outputs of the logo `stem` were last made from, if recorded.
    pub fn artwork(&self, stem: &str) -> Option<String> {
        let text = std::fs::read(self.path(stem)).ok()?;
        serde_json::from_slice::<Entry>(&text).ok()?.artwork
    }

    /// Whether the logo `stem` was last built from the input whose hex BLAKE3
    /// `input_hash` gives, with `config_hash` and this version, and all its recorded
    /// outputs are still as written. Any doubt (no record, an unreadable one, a missing or
    /// changed output, no input hash) says no. The input is hashed only when the record
    /// exists and its config and version match, so a first run, or one with other
    /// settings, reads no input to find that nothing can be skipped.
    pub fn unchanged(
        &self,
        stem: &str,
        input_hash: impl FnOnce() -> Option<String>,
        config_hash: &str,
    ) -> bool {
        let Ok(text) = std::fs::read(self.path(stem)) else {
            return false;
        };
        let Ok(entry) = serde_json::from_slice::<Entry>(&text) else {
            tracing::debug!(
                "{}: unreadable state, rebuilding",
                self.path(stem).display()
            );
            return false;
        };
        if entry.config_hash != config_hash
            || entry.version != crate::VERSION
            || entry.outputs.is_empty()
            || input_hash().is_none_or(|h| h != entry.input_hash)
        {
            return false;
        }
        entry.outputs.iter().all(|o| {
            let same = file_hash(&self.out.join(&o.path)).is_ok_and(|h| h == o.hash);
            if !same {
                tracing::debug!("{stem}: {} changed or missing, rebuilding", o.path);
            }
            same
        })
    }

    /// Record what the logo `stem` was built from and wrote (atomically).
    pub fn record(&self, stem: &str, entry: &Entry) -> Result<()> {
        let json = serde_json::to_string_pretty(entry).expect("the state is plain data") + "\n";
        let path = self.path(stem);
        match output::write_all_atomic(&[(path, json.as_bytes())]).1 {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// A path under the output folder, as recorded.
    pub fn relative(&self, path: &Path) -> Result<String> {
        let rel = path.strip_prefix(&self.out).map_err(|_| Error::Output {
            path: path.to_path_buf(),
            reason: format!("not under the output folder {}", self.out.display()),
        })?;
        Ok(crate::plan::shard_key(rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(state: &State, out: &Path, bytes: &[u8]) -> Entry {
        let file = out.join("logo/transparent/logo.png");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, bytes).unwrap();
        Entry {
            input: PathBuf::from("logo.png"),
            input_hash: "in".into(),
            config_hash: "cfg".into(),
            version: crate::VERSION.into(),
            outputs: vec![Recorded {
                path: state.relative(&file).unwrap(),
                hash: blake3::hash(bytes).to_hex().to_string(),
            }],
            artwork: None,
        }
    }

    #[test]
    fn unchanged_only_when_everything_matches() {
        let dir = tempfile::tempdir().unwrap();
        let state = State::new(dir.path());
        let hash = |h: &str| {
            let h = h.to_string();
            move || Some(h)
        };
        assert!(!state.unchanged("logo", hash("in"), "cfg"), "no record");
        let e = entry(&state, dir.path(), b"png bytes");
        assert_eq!(e.outputs[0].path, "logo/transparent/logo.png");
        state.record("logo", &e).unwrap();
        assert!(state.unchanged("logo", hash("in"), "cfg"));
        assert!(!state.unchanged("logo", hash("other input"), "cfg"));
        assert!(!state.unchanged("logo", || None, "cfg"), "input unreadable");
        assert!(!state.unchanged("logo", hash("in"), "other config"));
        // The same package version built from other code (as every build before the
        // source digest recorded) is another version.
        for version in [env!("CARGO_PKG_VERSION"), "0.1.0+src.0000000000000000"] {
            let other = Entry {
                version: version.into(),
                ..e.clone()
            };
            state.record("logo", &other).unwrap();
            assert!(!state.unchanged("logo", hash("in"), "cfg"), "{version}");
        }
        state.record("logo", &e).unwrap();
        assert!(state.unchanged("logo", hash("in"), "cfg"));
        let file = dir.path().join("logo/transparent/logo.png");
        std::fs::write(&file, b"edited").unwrap();
        assert!(
            !state.unchanged("logo", hash("in"), "cfg"),
            "output modified"
        );
        std::fs::remove_file(&file).unwrap();
        assert!(
            !state.unchanged("logo", hash("in"), "cfg"),
            "output deleted"
        );
    }

    #[test]
    fn the_input_is_hashed_only_when_its_record_could_match() {
        let dir = tempfile::tempdir().unwrap();
        let state = State::new(dir.path());
        let hashed = std::cell::Cell::new(0);
        let input = || {
            hashed.set(hashed.get() + 1);
            Some("in".to_string())
        };
        assert!(!state.unchanged("logo", input, "cfg"), "no record");
        state
            .record("logo", &entry(&state, dir.path(), b"png bytes"))
            .unwrap();
        assert!(!state.unchanged("logo", input, "other config"));
        assert_eq!(hashed.get(), 0, "hashed with nothing to match");
        assert!(state.unchanged("logo", input, "cfg"));
        assert_eq!(hashed.get(), 1);
    }

    #[test]
    fn config_hash_depends_on_output_settings_and_variations_only() {
        let config = Config::default();
        let base = config_hash(&config, &[Variation::Vector, Variation::Transparent]);
        assert_eq!(
            base,
            config_hash(&config, &[Variation::Transparent, Variation::Vector])
        );
        let mut workers = config.clone();
        workers.parallel.max_workers = 7;
        assert_eq!(
            base,
            config_hash(&workers, &[Variation::Transparent, Variation::Vector])
        );
        let mut padded = config.clone();
        padded.transparent.padding = 0.1;
        assert_ne!(
            base,
            config_hash(&padded, &[Variation::Transparent, Variation::Vector])
        );
        assert_ne!(base, config_hash(&config, &[Variation::Transparent]));
    }
}
