//! logoproc: one logo in, every file a brand needs out.
//!
//! The library is a one-way pipeline:
//! `Config -> Plan -> run(&Plan) -> Report`. The binary (`src/main.rs`) parses the
//! command line into a [`Config`], asks [`plan::plan`] for the jobs, and hands the
//! [`Plan`] to [`run::run`], which decodes each input once, runs every
//! (logo, variation) job on a worker pool sized by [`workers::allocate`], writes
//! the files atomically and returns a [`Report`].
#![forbid(unsafe_code)]

pub mod color;
pub mod config;
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
