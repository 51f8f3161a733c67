//! Gives the build an identity that changes whenever its code can: the BLAKE3 of the
//! sources, the presets compiled in, the manifest and the lock file. The incremental
//! state records it (src/state.rs), so a binary built from other code rebuilds what an
//! older one made, although the package version was not bumped.
//!
//! Only `.rs` and `.toml` files under the folders count, hidden ones excepted (not an
//! editor's backup, swap or lock files), and line endings are read as LF, so a checkout that converts them to CRLF
//! gets the same digest. Any change to those files changes it, comments included: a
//! user's outputs are rebuilt once after such an update, never kept from other code.

use std::path::{Path, PathBuf};

/// Files and folders (searched recursively) whose bytes make the binary.
const INPUTS: [&str; 5] = ["src", "presets", "build.rs", "Cargo.toml", "Cargo.lock"];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for name in INPUTS {
        let path = root.join(name);
        // A published package may lack the lock file; what is there is hashed.
        if path.exists() {
            println!("cargo:rerun-if-changed={name}");
            collect(&path, &mut files);
        }
    }
    files.sort();
    let mut hasher = blake3::Hasher::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let bytes = lf(bytes);
        let rel = file.strip_prefix(&root).expect("under the package");
        // The path, then the length, then the bytes: no two file sets hash alike.
        let rel = rel.to_string_lossy().replace('\\', "/");
        hasher.update(&(rel.len() as u64).to_le_bytes());
        hasher.update(rel.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let digest = hasher.finalize().to_hex();
    println!("cargo:rustc-env=LOGOPROC_SOURCE_DIGEST={}", &digest[..16]);
}

/// `path` itself, or the `.rs` and `.toml` files under it.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if !path.is_dir() {
        files.push(path.to_path_buf());
        return;
    }
    let entries = std::fs::read_dir(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for entry in entries {
        let path = entry.expect("a readable folder").path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        let code = path.extension().is_some_and(|e| e == "rs" || e == "toml");
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else if code {
            files.push(path);
        }
    }
}

/// `bytes` with every CRLF as LF.
fn lf(bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.windows(2).any(|w| w == b"\r\n") {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}
