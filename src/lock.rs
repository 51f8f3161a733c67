//! The output folder's lock, so that two runs (a cron job that started before the last
//! one ended) never write the same folder at once.
//!
//! The lock is an OS file lock (`flock` on Unix) on `<out>/.logoproc/lock`. A whole run
//! holds it exclusively. A shard (`--shard K/N`) holds it shared, so that the shards of
//! a batch may share a folder while a whole run excludes them all, and holds
//! `<out>/.logoproc/lock-K-of-N` exclusively, so that the same shard never runs twice.
//! The OS releases a lock when its process ends, however it ends, so a lock left by a
//! killed run is never in force: its file only keeps the killed run's identity, which
//! the next run reports when it takes over.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::plan::Shard;

/// A held lock; released (and its file emptied) when dropped.
#[derive(Debug)]
pub struct Lock {
    /// The file that names this run: `lock` for a whole run, the shard's own for a shard.
    file: File,
    path: PathBuf,
    /// A shard's shared hold on the folder's `lock`.
    _folder: Option<File>,
    /// Whether a run on this folder (for a shard: the same shard) did not end cleanly,
    /// so that temporary files of its unfinished writes may be left.
    pub stale: bool,
}

/// The folder under the output folder that holds the lock and the incremental state.
pub const STATE_DIR: &str = ".logoproc";

/// How often a run waiting for the lock (`--wait-lock`) checks for it and for Ctrl-C.
const POLL: Duration = Duration::from_millis(100);

/// What acquiring a lock waits for, and what stops the wait.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wait<'a> {
    /// Wait for another run to end instead of failing at once.
    pub wait: bool,
    /// When set (by a Ctrl-C handler), stop waiting with [`Error::Interrupted`].
    pub cancel: Option<&'a AtomicBool>,
}

impl Lock {
    /// Lock `out` for this run (or shard), making it (and checking that it is writable)
    /// first. When another run holds it, fail at once with a message naming that run, or
    /// with `wait.wait` wait until it ends.
    pub fn acquire(out: &Path, shard: Option<Shard>, wait: Wait) -> Result<Lock> {
        crate::output::prepare_out_dir(out)?;
        let dir = out.join(STATE_DIR);
        let folder_path = dir.join("lock");
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        let mut folder = open(&folder_path)?;
        let Some(shard) = shard else {
            take(&mut folder, &folder_path, Hold::Exclusive, wait, out)?;
            // No shard runs now, so a shard's file that names a run is a killed one's.
            let mut stale = false;
            for path in shard_files(&dir) {
                if let Ok(mut file) = open(&path) {
                    if !holder(&mut file).is_empty() {
                        stale = true;
                        let _ = file.set_len(0);
                    }
                }
            }
            return claim(folder, folder_path, stale, out);
        };
        take(&mut folder, &folder_path, Hold::Shared, wait, out)?;
        // A killed whole run's text in `lock` is left for the next whole run, which holds
        // the folder alone and so can sweep all of it (a shard could sweep only its own
        // logos, and clearing the text would hide the rest from that run).
        let path = dir.join(format!("lock-{}-of-{}", shard.index, shard.count));
        let mut file = open(&path)?;
        take(&mut file, &path, Hold::Exclusive, wait, out)?;
        let mut lock = claim(file, path, false, out)?;
        lock._folder = Some(folder);
        Ok(lock)
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Hold {
    Shared,
    Exclusive,
}

/// Take `file`'s lock, failing or waiting as `wait` says while another run holds it.
fn take(file: &mut File, path: &Path, hold: Hold, wait: Wait, out: &Path) -> Result<()> {
    let mut waiting = false;
    loop {
        let attempt = match hold {
            Hold::Shared => file.try_lock_shared(),
            Hold::Exclusive => file.try_lock(),
        };
        match attempt {
            Ok(()) => return Ok(()),
            Err(TryLockError::Error(e)) => return Err(io_error(path, e)),
            Err(TryLockError::WouldBlock) => {
                let mut by = || holders(file, path, hold);
                if !wait.wait {
                    return Err(Error::Locked {
                        out: out.to_path_buf(),
                        holder: by(),
                    });
                }
                if !waiting {
                    waiting = true;
                    tracing::warn!(
                        "{}: waiting for the run that holds this output folder ({})",
                        out.display(),
                        by()
                    );
                }
                // Polled rather than blocking in the OS, so that Ctrl-C ends the wait.
                if wait.cancel.is_some_and(|c| c.load(Ordering::SeqCst)) {
                    return Err(Error::Interrupted {
                        out: out.to_path_buf(),
                    });
                }
                std::thread::sleep(POLL);
            }
        }
    }
}

/// Note whether the last holder of a just-taken `file` ended cleanly, then name this run
/// in it.
fn claim(mut file: File, path: PathBuf, stale: bool, out: &Path) -> Result<Lock> {
    let previous = holder(&mut file);
    let stale = stale || (!previous.is_empty() && previous != "unknown");
    if stale {
        let previous = if previous.is_empty() {
            String::new()
        } else {
            format!(" ({previous})")
        };
        tracing::warn!(
            "{}: taking over a stale lock left by a run that did not finish{previous}",
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
    let error = |e| io_error(&path, e);
    file.set_len(0).map_err(error)?;
    file.rewind().map_err(error)?;
    file.write_all(me.as_bytes()).map_err(error)?;
    file.sync_all().map_err(error)?;
    Ok(Lock {
        file,
        path,
        _folder: None,
        stale,
    })
}

fn open(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// The shards' own lock files in the state folder.
fn shard_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("lock-") && n.contains("-of-"))
        })
        .collect();
    files.sort();
    files
}

/// Who holds `file`'s lock, which this run could not take as `hold`. A whole run and a
/// shard name themselves in the file they hold exclusively; when a whole run cannot
/// take `lock`, shards hold it, and their own files name them. (Their files are read,
/// not locked to test them, which could make a starting shard fail; so a shard killed
/// earlier may be named too.)
fn holders(file: &mut File, path: &Path, hold: Hold) -> String {
    let named = holder(file);
    let is_folder_lock = path.file_name() == Some("lock".as_ref());
    if hold == Hold::Shared || !is_folder_lock {
        return named;
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let shards: Vec<String> = shard_files(dir)
        .into_iter()
        .filter_map(|p| {
            let text = holder(&mut File::open(&p).ok()?);
            let name = p.file_name()?.to_str()?.trim_start_matches("lock-");
            (!text.is_empty()).then(|| format!("shard {}: {text}", name.replace("-of-", "/")))
        })
        .collect();
    if shards.is_empty() {
        named
    } else {
        shards.join("; ")
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

    const NOW: Wait = Wait {
        wait: false,
        cancel: None,
    };

    fn shard(index: u32, count: u32) -> Option<Shard> {
        Some(Shard { index, count })
    }

    #[test]
    fn a_second_lock_fails_with_the_holder_named_and_a_dropped_one_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let first = Lock::acquire(dir.path(), None, NOW).unwrap();
        let me = format!("pid {}", std::process::id());
        for second in [None, shard(1, 2)] {
            let err = Lock::acquire(dir.path(), second, NOW)
                .unwrap_err()
                .to_string();
            assert!(err.contains(&me) && err.contains("--wait-lock"), "{err}");
        }
        drop(first);
        drop(Lock::acquire(dir.path(), None, NOW).unwrap());
        let text = std::fs::read_to_string(dir.path().join(STATE_DIR).join("lock")).unwrap();
        assert!(text.is_empty(), "a clean end empties the lock file: {text}");
    }

    #[test]
    fn shards_share_the_folder_but_exclude_a_whole_run_and_themselves() {
        let dir = tempfile::tempdir().unwrap();
        let zero = Lock::acquire(dir.path(), shard(0, 2), NOW).unwrap();
        let one = Lock::acquire(dir.path(), shard(1, 2), NOW).unwrap();
        let again = Lock::acquire(dir.path(), shard(0, 2), NOW).unwrap_err();
        assert!(matches!(again, Error::Locked { .. }), "{again}");
        let whole = Lock::acquire(dir.path(), None, NOW)
            .unwrap_err()
            .to_string();
        assert!(
            whole.contains("shard 0/2: pid") && whole.contains("shard 1/2: pid"),
            "{whole}"
        );
        drop(zero);
        assert!(Lock::acquire(dir.path(), None, NOW).is_err());
        drop(one);
        assert!(!Lock::acquire(dir.path(), None, NOW).unwrap().stale);
    }

    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_DIR);
        std::fs::create_dir_all(&path).unwrap();
        let killed = "pid 999999 on gone, started 1 s after the epoch";
        std::fs::write(path.join("lock"), killed).unwrap();
        let lock = Lock::acquire(dir.path(), None, NOW).unwrap();
        assert!(lock.stale);
        drop(lock);
        assert!(!Lock::acquire(dir.path(), None, NOW).unwrap().stale);
        // A killed whole run is taken over by the next whole run, not by a shard.
        std::fs::write(path.join("lock"), killed).unwrap();
        assert!(!Lock::acquire(dir.path(), shard(0, 3), NOW).unwrap().stale);
        assert!(Lock::acquire(dir.path(), None, NOW).unwrap().stale);
        // A killed shard: its next run takes over, and so does a whole run.
        for taker in [shard(2, 3), None] {
            std::fs::write(path.join("lock-2-of-3"), killed).unwrap();
            assert!(Lock::acquire(dir.path(), taker, NOW).unwrap().stale);
            assert!(!Lock::acquire(dir.path(), taker, NOW).unwrap().stale);
        }
    }

    #[test]
    fn a_waiting_run_takes_the_lock_when_freed_and_stops_waiting_on_ctrl_c() {
        let dir = tempfile::tempdir().unwrap();
        let held = Lock::acquire(dir.path(), None, NOW).unwrap();
        let cancel = AtomicBool::new(false);
        let wait = Wait {
            wait: true,
            cancel: Some(&cancel),
        };
        std::thread::scope(|s| {
            let waiter = s.spawn(|| Lock::acquire(dir.path(), shard(0, 2), wait));
            std::thread::sleep(3 * POLL);
            assert!(!waiter.is_finished());
            cancel.store(true, Ordering::SeqCst);
            let err = waiter.join().unwrap().unwrap_err();
            assert!(matches!(err, Error::Interrupted { .. }), "{err}");
        });
        cancel.store(false, Ordering::SeqCst);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| Lock::acquire(dir.path(), None, wait));
            std::thread::sleep(3 * POLL);
            assert!(!waiter.is_finished());
            drop(held);
            assert!(!waiter.join().unwrap().unwrap().stale);
        });
    }
}
