//! The output folder's lock, so that two runs (a cron job that started before the last
//! one ended) never write the same folder at once.
//!
//! The lock is an OS file lock (`flock` on Unix) on `<out>/.logoproc/lock` (one per shard
//! for `--shard K/N`, so the shards of a batch may share a folder). The OS releases it
//! when its process ends, however it ends, so a lock left by a killed run is never
//! in force: the file only keeps the killed run's identity, which the next run reports
//! when it takes over.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::Shard;

/// A held lock; released (and its file emptied) when dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
    /// Whether the last run on this folder (and shard) did not end cleanly, so that
    /// temporary files of its unfinished writes may be left.
    pub stale: bool,
}

/// The folder under the output folder that holds the lock and the incremental state.
pub const STATE_DIR: &str = ".logoproc";

impl Lock {
    /// Lock `out` for this process (and shard). When another run holds it, fail at once
    /// with a message naming that run, or with `wait` block until it ends.
    pub fn acquire(out: &Path, shard: Option<Shard>, wait: bool) -> Result<Lock> {
        let dir = out.join(STATE_DIR);
        let name = match shard {
            Some(s) => format!("lock-{}-of-{}", s.index, s.count),
            None => "lock".to_string(),
        };
        let path = dir.join(name);
        let error = |e: std::io::Error| Error::Output {
            path: path.clone(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(&dir).map_err(error)?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) if wait => {
                tracing::warn!(
                    "{}: waiting for the run that holds this output folder ({})",
                    out.display(),
                    holder(&mut file)
                );
                file.lock().map_err(error)?;
            }
            Err(TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    out: out.to_path_buf(),
                    holder: holder(&mut file),
                })
            }
            Err(TryLockError::Error(e)) => return Err(error(e)),
        }
        let previous = holder(&mut file);
        let stale = !previous.is_empty() && previous != "unknown";
        if stale {
            tracing::warn!(
                "{}: taking over a stale lock left by a run that did not finish ({previous})",
                out.display()
            );
        }
        let me = format!(
            "pid {} on {}, started {} s after the epoch",
            std::process::id(),
            sysinfo::System::host_name().unwrap_or_else(|_| "this host".into()),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        );
        file.set_len(0).map_err(error)?;
        file.rewind().map_err(error)?;
        file.write_all(me.as_bytes()).map_err(error)?;
        file.sync_all().map_err(error)?;
        Ok(Lock { file, path, stale })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // An empty lock file means the last run ended cleanly. The file itself stays: a
        // run that removed it could race one that just opened it.
        if let Err(e) = self.file.set_len(0) {
            tracing::debug!("{}: {e}", self.path.display());
        }
        let _ = self.file.unlock();
    }
}

/// Who holds (or last held) the lock, from the lock file's text.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    match file.read_to_string(&mut text) {
        Ok(_) => text.trim().to_string(),
        Err(_) => "unknown".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_fails_with_the_holder_named_and_a_dropped_one_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let first = Lock::acquire(dir.path(), None, false).unwrap();
        let err = Lock::acquire(dir.path(), None, false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        assert!(err.contains("--wait-lock"), "{err}");
        // Another shard's lock is independent.
        let shard = Shard { index: 1, count: 2 };
        drop(Lock::acquire(dir.path(), Some(shard), false).unwrap());
        drop(first);
        let again = Lock::acquire(dir.path(), None, false).unwrap();
        drop(again);
        let text = std::fs::read_to_string(dir.path().join(STATE_DIR).join("lock")).unwrap();
        assert!(text.is_empty(), "a clean end empties the lock file: {text}");
    }

    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_DIR);
        std::fs::create_dir_all(&path).unwrap();
        std::fs::write(
            path.join("lock"),
            "pid 999999 on gone, started 1 s after the epoch",
        )
        .unwrap();
        let lock = Lock::acquire(dir.path(), None, false).unwrap();
        assert!(lock.stale);
        drop(lock);
        assert!(!Lock::acquire(dir.path(), None, false).unwrap().stale);
    }
}
