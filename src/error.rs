//! The library's error type: every message names the file (and variation) and what to do.

use std::path::PathBuf;

/// Errors of the library. Messages are lowercase, one line, and name the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration file or value is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// An input could not be found or read.
    #[error("{path}: cannot read: {reason}")]
    Read { path: PathBuf, reason: String },
    /// An input was read but is not a usable image.
    #[error("{path}: {reason}")]
    Decode { path: PathBuf, reason: String },
    /// A named input is not a supported kind of file.
    #[error("{path}: unsupported file type (supported: {supported})")]
    Unsupported {
        path: PathBuf,
        supported: &'static str,
    },
    /// Two inputs would write to the same output folder.
    #[error("{first} and {second} would both write to {out}: rename one of them or build them separately")]
    Collision {
        first: PathBuf,
        second: PathBuf,
        out: PathBuf,
    },
    /// The output folder cannot be created or written.
    #[error("{path}: cannot write output: {reason}")]
    Output { path: PathBuf, reason: String },
    /// Another run holds the output folder's lock.
    #[error("{out}: another logoproc run is writing this output folder ({holder}); let it finish, pass --wait-lock to wait for it, or choose another --out")]
    Locked { out: PathBuf, holder: String },
    /// Ctrl-C (or SIGTERM) came while waiting for another run's lock: nothing was built.
    #[error("{out}: interrupted while waiting for another logoproc run to finish with this output folder; nothing was built")]
    Interrupted { out: PathBuf },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
