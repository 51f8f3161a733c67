//! What a run did: one [`Outcome`] per job, totals, the exit status, and the text and JSON
//! renderings.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::exit::ExitStatus;
use crate::variation::Variation;
use crate::workers::Decision;

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every file written.
    Ok,
    /// Nothing written; see the error.
    Failed,
}

/// A file that was written.
#[derive(Debug, Clone, Serialize)]
pub struct OutputFile {
    /// Where it was written.
    pub path: PathBuf,
    /// `png` or `svg`.
    pub format: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Size of the file.
    pub bytes: u64,
    /// BLAKE3 of the file's bytes (hex in JSON; 32 bytes in memory, as a batch holds one
    /// per file written).
    #[serde(serialize_with = "hex")]
    pub blake3: blake3::Hash,
}

fn hex<S: serde::Serializer>(hash: &blake3::Hash, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(hash.to_hex().as_str())
}

/// One job's result.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The input file.
    pub input: PathBuf,
    /// What was built.
    pub variation: Variation,
    /// Whether it worked.
    pub status: Status,
    /// Why not, on one line naming the file (`null` when it worked).
    pub error: Option<String>,
    /// Things the user should know.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Time the job took, in milliseconds.
    pub ms: f64,
    /// CPU time its worker spent on it, in milliseconds: less than `ms` when it waited
    /// (for another job to decode the shared logo, or for a core).
    pub cpu_ms: f64,
    /// The files written.
    pub outputs: Vec<OutputFile>,
}

/// Run totals.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Inputs.
    pub logos: usize,
    /// Jobs run.
    pub jobs: usize,
    /// Jobs with every file written.
    pub ok: usize,
    /// Jobs that failed.
    pub failed: usize,
    /// Logos skipped because they were built before from the same input and settings.
    pub skipped: usize,
    /// Jobs not started because the run was interrupted.
    pub not_started: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Wall-clock time of the run, in milliseconds.
    pub wall_ms: f64,
    /// Workers in the pool.
    pub workers: usize,
    /// Sum of the CPU time workers spent on jobs, in milliseconds.
    pub busy_ms: f64,
    /// busy / (workers x wall), 0-1: the share of the pool's capacity that did work
    /// (waiting for a shared decode or for a core busy elsewhere does not count).
    pub utilisation: f64,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `logoproc`.
    pub tool: &'static str,
    /// The tool's version.
    pub version: &'static str,
    /// The output folder.
    pub out: PathBuf,
    /// The worker allocator's decision.
    pub allocation: Decision,
    /// Whether the run was interrupted (Ctrl-C): jobs not started are built next run.
    pub interrupted: bool,
    /// Logos not rebuilt: unchanged since the run that built them (see `--force`).
    pub skipped: Vec<PathBuf>,
    /// Every job run, in plan order.
    pub jobs: Vec<Outcome>,
    /// Totals.
    pub totals: Totals,
}

/// The batch-level facts of a run, beside its jobs.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Inputs of the run (this shard's).
    pub logos: usize,
    /// Inputs skipped as unchanged.
    pub skipped: Vec<PathBuf>,
    /// Jobs not started (interrupted).
    pub not_started: usize,
    /// Whether the run was interrupted.
    pub interrupted: bool,
}

impl Report {
    /// Assemble a report; `wall_ms` is the run's wall time.
    pub fn new(
        out: PathBuf,
        allocation: Decision,
        jobs: Vec<Outcome>,
        batch: Batch,
        wall_ms: f64,
    ) -> Report {
        let logos = batch.logos;
        let busy_ms = jobs.iter().fold(0.0, |sum, j| sum + j.cpu_ms);
        let workers = allocation.workers;
        let totals = Totals {
            logos,
            jobs: jobs.len(),
            ok: jobs.iter().filter(|j| j.status == Status::Ok).count(),
            failed: jobs.iter().filter(|j| j.status == Status::Failed).count(),
            skipped: batch.skipped.len(),
            not_started: batch.not_started,
            files: jobs.iter().map(|j| j.outputs.len()).sum(),
            bytes: jobs.iter().flat_map(|j| &j.outputs).map(|o| o.bytes).sum(),
            wall_ms,
            workers,
            busy_ms,
            utilisation: if wall_ms > 0.0 {
                (busy_ms / (workers as f64 * wall_ms)).min(1.0)
            } else {
                0.0
            },
        };
        Report {
            tool: "logoproc",
            version: env!("CARGO_PKG_VERSION"),
            out,
            allocation,
            interrupted: batch.interrupted,
            skipped: batch.skipped,
            jobs,
            totals,
        }
    }

    /// 0 when every job was written, 1 when any failed, 130 when interrupted.
    pub fn exit_status(&self) -> ExitStatus {
        let jobs = ExitStatus::merge_all(self.jobs.iter().map(|j| match j.status {
            Status::Ok => ExitStatus::Success,
            Status::Failed => ExitStatus::JobFailed,
        }));
        if self.interrupted {
            jobs.merge(ExitStatus::Interrupted)
        } else {
            jobs
        }
    }

    /// One line per failed input (the same error for every job of an input is said once).
    pub fn errors(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in self.jobs.iter().filter_map(|j| j.error.clone()) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
        out
    }

    /// Write the JSON document printed by `--json`, and a newline, to `out` (streamed:
    /// a batch's report is not held twice in memory).
    pub fn write_json(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// The human summary.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let mut last: Option<&PathBuf> = None;
        for job in &self.jobs {
            if last != Some(&job.input) {
                let _ = writeln!(s, "{}", job.input.display());
                last = Some(&job.input);
            }
            match job.status {
                Status::Ok => {
                    let n = job.outputs.len();
                    let _ = writeln!(
                        s,
                        "  {:<12} {:>2} file{} {:>8.0} ms",
                        job.variation.name(),
                        n,
                        if n == 1 { " " } else { "s" },
                        job.ms
                    );
                }
                Status::Failed => {
                    let _ = writeln!(s, "  {:<12} failed", job.variation.name());
                }
            }
            for w in &job.warnings {
                let _ = writeln!(s, "  {:<12} warning: {w}", "");
            }
        }
        for path in &self.skipped {
            let _ = writeln!(
                s,
                "{}  skipped: unchanged since its last build",
                path.display()
            );
        }
        let t = &self.totals;
        if self.interrupted {
            let _ = writeln!(
                s,
                "interrupted: {} job{} not started; run again to finish",
                t.not_started,
                if t.not_started == 1 { "" } else { "s" }
            );
        }
        if t.skipped > 0 {
            let _ = writeln!(
                s,
                "{} logo{} unchanged and skipped (--force rebuilds)",
                t.skipped,
                if t.skipped == 1 { "" } else { "s" }
            );
        }
        let _ = writeln!(
            s,
            "{} logo{}, {} job{} ({} ok, {} failed), {} file{} written to {} in {:.2} s on {} worker{}, utilisation {:.0}%",
            t.logos,
            if t.logos == 1 { "" } else { "s" },
            t.jobs,
            if t.jobs == 1 { "" } else { "s" },
            t.ok,
            t.failed,
            t.files,
            if t.files == 1 { "" } else { "s" },
            self.out.display(),
            t.wall_ms / 1000.0,
            t.workers,
            if t.workers == 1 { "" } else { "s" },
            t.utilisation * 100.0
        );
        s
    }
}
