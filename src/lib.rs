//! logoproc: one logo in, every file a brand needs out.
//!
//! The library is a one-way pipeline:
//! `Config -> Plan -> run(&Plan) -> Report`. The binary (`src/main.rs`) parses the
//! command line into a [`Config`], asks [`plan::plan`] for the jobs, and hands the
//! [`Plan`] to [`run::run`], which decodes each input once, runs every
//! (logo, variation) job on a worker pool sized by [`workers::allocate`], writes
//! the files atomically and returns a [`Report`].
#![forbid(unsafe_code)]

pub mod check;
pub mod color;
pub mod config;
pub mod distance;
pub mod error;
pub mod exit;
pub mod fidelity;
pub mod geometry;
pub mod lock;
pub mod matte;
pub mod output;
pub mod plan;
pub mod preview;
pub mod raster;
pub mod report;
pub mod run;
pub mod source;
pub mod state;
pub mod trace;
pub mod variation;
pub mod workers;

pub use config::Config;
pub use error::Error;
pub use exit::ExitStatus;
pub use plan::{Job, Plan};
pub use report::Report;
pub use variation::Variation;

/// The version this build reports and records: the package version with the digest of
/// the code it was built from as semver build metadata (`0.1.0+src.1a2b3c4d5e6f7a8b`;
/// `build.rs`). The incremental state compares it, so that outputs of other code are
/// rebuilt even when the package version was not bumped.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+src.",
    env!("LOGOPROC_SOURCE_DIGEST")
);
