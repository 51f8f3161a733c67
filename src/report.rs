//! What a run did: one [`Outcome`] per job, totals, the exit status, and the text and JSON
//! renderings.

use std::fmt::Write as _;
use std::io::{Read, Seek, SeekFrom, Write as _};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::exit::ExitStatus;
use crate::variation::Variation;
use crate::workers::Decision;

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// For the square outputs (favicons, app icons, avatars): what they were made from,
    /// "the whole logo", "the logo's symbol" or "the mark FILE".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artwork: Option<String>,
    /// Time the job took, in milliseconds.
    pub ms: f64,
    /// CPU time its worker spent on it, in milliseconds: less than `ms` when it waited
    /// (for another job to decode the shared logo, or for a core).
    pub cpu_ms: f64,
    /// The files written.
    pub outputs: Vec<OutputFile>,
}

/// What the report keeps in memory of each finished job (16 bytes): where its JSON is
/// in the job log's file. The totals are summed as jobs are logged, and errors are kept
/// for the failed jobs only.
#[derive(Debug)]
struct JobRecord {
    /// Where its JSON is in the log; `len` 0 when it could not be stored.
    offset: u64,
    len: u32,
    /// The job's place in the plan.
    index: u32,
}

/// A finished job's record, what it adds to the totals, and its JSON, ready for
/// [`JobLog::push`].
pub struct LogEntry {
    index: u32,
    /// Its error when it failed, and only then (the error lines on stderr, the failed
    /// count and the status of a lost record come from it).
    error: Option<String>,
    files: usize,
    bytes: u64,
    cpu_ms: f64,
    json: serde_json::Result<String>,
}

/// The sums over the logged jobs (how many failed is how many errors there are).
#[derive(Debug, Default)]
struct Sums {
    files: usize,
    bytes: u64,
    /// CPU time in whole nanoseconds, so that the sum does not depend on the order the
    /// jobs finished in.
    busy_ns: u64,
}

/// The outcomes of a run's jobs, kept out of memory so that a batch of any length does
/// not grow it: each outcome is written, as the pretty JSON the report prints, to an
/// unnamed temporary file (removed by the system however the run ends) as its job
/// finishes, and read back when the report is printed. Memory holds a [`JobRecord`]
/// (16 bytes) per job and the error of each failed job. Where no temporary file can be
/// made, the JSON stays in memory.
#[derive(Debug)]
pub struct JobLog {
    store: Store,
    end: u64,
    records: Vec<JobRecord>,
    sums: Sums,
    /// The failed jobs' plan indices and errors.
    errors: Vec<(u32, String)>,
}

#[derive(Debug)]
enum Store {
    File(std::fs::File),
    Memory(Vec<u8>),
}

impl Default for JobLog {
    fn default() -> JobLog {
        JobLog::new()
    }
}

impl JobLog {
    /// An empty log.
    pub fn new() -> JobLog {
        let store = match tempfile::tempfile() {
            Ok(file) => Store::File(file),
            Err(e) => {
                tracing::debug!("job log kept in memory: {e}");
                Store::Memory(Vec::new())
            }
        };
        JobLog {
            store,
            end: 0,
            records: Vec::new(),
            sums: Sums::default(),
            errors: Vec::new(),
        }
    }

    /// Make room for the records of `jobs` more jobs (so that the records take what they
    /// need, not up to twice that).
    pub fn reserve(&mut self, jobs: usize) {
        self.records.reserve_exact(jobs);
    }

    /// Log the outcome of the plan's job `index`. The totals, exit status and errors
    /// count it even when its JSON cannot be stored (the error says why).
    pub fn add(&mut self, index: usize, outcome: &Outcome) -> std::io::Result<()> {
        self.push(JobLog::entry(index, outcome))
    }

    /// What [`Self::push`] logs of the plan's job `index`: its record and JSON, made
    /// without the log (workers make them in parallel, then take turns to push).
    pub fn entry(index: usize, outcome: &Outcome) -> LogEntry {
        LogEntry {
            index: u32::try_from(index).expect("a plan has fewer than 2^32 jobs"),
            error: match outcome.status {
                Status::Ok => None,
                Status::Failed => Some(
                    outcome
                        .error
                        .clone()
                        .unwrap_or_else(|| "failed (no message)".to_string()),
                ),
            },
            files: outcome.outputs.len(),
            bytes: outcome.outputs.iter().map(|o| o.bytes).sum(),
            cpu_ms: outcome.cpu_ms,
            json: serde_json::to_string_pretty(outcome),
        }
    }

    /// Log an entry made by [`Self::entry`].
    pub fn push(&mut self, entry: LogEntry) -> std::io::Result<()> {
        let LogEntry {
            index,
            error,
            files,
            bytes,
            cpu_ms,
            json,
        } = entry;
        let sums = &mut self.sums;
        sums.files += files;
        sums.bytes += bytes;
        sums.busy_ns += (cpu_ms * 1e6).round() as u64;
        if let Some(e) = error {
            self.errors.push((index, e));
        }
        let mut record = JobRecord {
            offset: self.end,
            len: 0,
            index,
        };
        let stored = json.map_err(std::io::Error::from).and_then(|text| {
            let len = u32::try_from(text.len())
                .map_err(|_| std::io::Error::other("its JSON is over 4 GiB"))?;
            match &mut self.store {
                Store::File(f) => {
                    f.seek(SeekFrom::Start(self.end))?;
                    f.write_all(text.as_bytes())?;
                }
                Store::Memory(v) => v.extend_from_slice(text.as_bytes()),
            }
            Ok(len)
        });
        if let Ok(len) = stored {
            record.len = len;
            self.end += u64::from(len);
        }
        self.records.push(record);
        stored.map(|_| ())
    }

    /// Jobs logged.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no job was logged.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The error of the plan's job `index`, if it failed (once the report has sorted
    /// the errors).
    fn error(&self, index: u32) -> Option<&str> {
        let at = self.errors.binary_search_by_key(&index, |(i, _)| *i).ok()?;
        Some(&self.errors[at].1)
    }

    /// The JSON of one logged job.
    fn read(&self, record: &JobRecord) -> std::io::Result<String> {
        if record.len == 0 {
            return Err(std::io::Error::other("its record could not be stored"));
        }
        let mut buf = vec![0u8; record.len as usize];
        match &self.store {
            Store::File(f) => {
                // Reads at an offset through a shared handle: `&File` is Read + Seek.
                let mut f = f;
                f.seek(SeekFrom::Start(record.offset))?;
                f.read_exact(&mut buf)?;
            }
            Store::Memory(v) => {
                let start = record.offset as usize;
                buf.copy_from_slice(&v[start..start + record.len as usize]);
            }
        }
        String::from_utf8(buf).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

/// Write `text` (lines) with `indent` before each line, the first too when `first`.
fn write_indented(
    out: &mut impl std::io::Write,
    text: &str,
    indent: &str,
    first: bool,
) -> std::io::Result<()> {
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        if i > 0 || first {
            out.write_all(indent.as_bytes())?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
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
#[derive(Debug)]
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
    pub jobs: JobLog,
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
        mut jobs: JobLog,
        batch: Batch,
        wall_ms: f64,
    ) -> Report {
        jobs.records.sort_by_key(|r| r.index);
        jobs.errors.sort_by_key(|(index, _)| *index);
        let sums = &jobs.sums;
        let busy_ms = sums.busy_ns as f64 / 1e6;
        let workers = allocation.workers;
        let totals = Totals {
            logos: batch.logos,
            jobs: jobs.records.len(),
            ok: jobs.records.len() - jobs.errors.len(),
            failed: jobs.errors.len(),
            skipped: batch.skipped.len(),
            not_started: batch.not_started,
            files: sums.files,
            bytes: sums.bytes,
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
            version: crate::VERSION,
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
        let failed = (!self.jobs.errors.is_empty()).then_some(ExitStatus::JobFailed);
        let interrupted = self.interrupted.then_some(ExitStatus::Interrupted);
        ExitStatus::merge_all(failed.into_iter().chain(interrupted))
    }

    /// One line per failed input (the same error for every job of an input is said once).
    pub fn errors(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, e) in &self.jobs.errors {
            if !out.contains(e) {
                out.push(e.clone());
            }
        }
        out
    }

    /// Write the JSON document printed by `--json`, and a newline, to `out`: pretty, the
    /// jobs streamed from the job log one at a time.
    pub fn write_json(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct Head<'a> {
            tool: &'a str,
            version: &'a str,
            out: &'a PathBuf,
            allocation: &'a Decision,
            interrupted: bool,
            skipped: &'a [PathBuf],
        }
        let head = serde_json::to_string_pretty(&Head {
            tool: self.tool,
            version: self.version,
            out: &self.out,
            allocation: &self.allocation,
            interrupted: self.interrupted,
            skipped: &self.skipped,
        })?;
        // The head without its closing brace, then the fields serde would write next,
        // indented as its pretty printer does.
        out.write_all(head.trim_end_matches('}').trim_end().as_bytes())?;
        if self.jobs.records.is_empty() {
            out.write_all(b",\n  \"jobs\": [],\n")?;
        } else {
            out.write_all(b",\n  \"jobs\": [\n")?;
            for (i, job) in self.jobs.records.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",\n")?;
                }
                let text = match self.jobs.read(job) {
                    Ok(text) => text,
                    // What memory holds of it, rather than a broken document.
                    Err(e) => {
                        let error = self.jobs.error(job.index);
                        let status = match error {
                            Some(_) => Status::Failed,
                            None => Status::Ok,
                        };
                        serde_json::to_string_pretty(&serde_json::json!({
                            "status": status,
                            "error": error,
                            "record": format!("lost: {e}"),
                        }))?
                    }
                };
                write_indented(&mut out, &text, "    ", true)?;
            }
            out.write_all(b"\n  ],\n")?;
        }
        out.write_all(b"  \"totals\": ")?;
        write_indented(
            &mut out,
            &serde_json::to_string_pretty(&self.totals)?,
            "  ",
            false,
        )?;
        out.write_all(b"\n}\n")?;
        out.flush()
    }

    /// The human summary.
    pub fn to_text(&self) -> String {
        /// What the summary says of a job, read back from the job log.
        #[derive(Deserialize)]
        struct Line {
            input: PathBuf,
            variation: Variation,
            status: Status,
            #[serde(default)]
            warnings: Vec<String>,
            ms: f64,
            outputs: Vec<serde::de::IgnoredAny>,
        }
        let mut s = String::new();
        let mut last: Option<PathBuf> = None;
        for record in &self.jobs.records {
            let job: Line = match self
                .jobs
                .read(record)
                .map_err(|e| e.to_string())
                .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
            {
                Ok(job) => job,
                Err(e) => {
                    let _ = writeln!(s, "(job record unreadable: {e})");
                    continue;
                }
            };
            if last.as_ref() != Some(&job.input) {
                let _ = writeln!(s, "{}", job.input.display());
                last = Some(job.input.clone());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workers::Resources;

    fn outcome(input: &str, variation: Variation, files: usize, error: Option<&str>) -> Outcome {
        Outcome {
            input: PathBuf::from(input),
            variation,
            status: if error.is_some() {
                Status::Failed
            } else {
                Status::Ok
            },
            error: error.map(str::to_owned),
            warnings: vec!["a \"quoted\" warning\nwith a newline".into()],
            artwork: None,
            ms: 12.5,
            cpu_ms: 10.0,
            outputs: (0..files)
                .map(|i| OutputFile {
                    path: PathBuf::from(format!("out/{input}/{i}.png")),
                    format: "png",
                    width: 4,
                    height: 3,
                    bytes: 100 + i as u64,
                    blake3: blake3::hash(&[i as u8]),
                })
                .collect(),
        }
    }

    /// The report as it was printed before the job log: serde's pretty printer over
    /// the whole document, jobs in plan order.
    #[derive(Serialize)]
    struct Whole<'a> {
        tool: &'a str,
        version: &'a str,
        out: &'a PathBuf,
        allocation: &'a Decision,
        interrupted: bool,
        skipped: &'a [PathBuf],
        jobs: Vec<Outcome>,
        totals: &'a Totals,
    }

    #[test]
    fn totals_errors_and_exit_status_are_summed_as_jobs_are_logged() {
        let mut log = JobLog::new();
        // Logged out of plan order: the errors come out in plan order, each once.
        log.add(3, &outcome("b.png", Variation::Social, 0, Some("b: bad")))
            .unwrap();
        log.add(0, &outcome("a.png", Variation::Vector, 2, None))
            .unwrap();
        log.add(2, &outcome("b.png", Variation::Vector, 0, Some("b: bad")))
            .unwrap();
        log.add(1, &outcome("a.png", Variation::Social, 0, Some("a: worse")))
            .unwrap();
        let batch = Batch {
            logos: 2,
            ..Batch::default()
        };
        let report = Report::new(PathBuf::from("out"), decision(), log, batch, 20.0);
        let t = &report.totals;
        assert_eq!((t.jobs, t.ok, t.failed, t.files), (4, 1, 3, 2));
        assert_eq!(t.bytes, 201);
        assert_eq!(t.busy_ms, 40.0);
        assert_eq!(report.errors(), ["a: worse", "b: bad"]);
        assert_eq!(report.exit_status(), ExitStatus::JobFailed);
        assert_eq!(report.jobs.error(3), Some("b: bad"));
        assert_eq!(report.jobs.error(0), None);

        let mut log = JobLog::new();
        log.add(0, &outcome("a.png", Variation::Vector, 1, None))
            .unwrap();
        let report = Report::new(PathBuf::from("out"), decision(), log, Batch::default(), 1.0);
        assert_eq!(report.exit_status(), ExitStatus::Success);
        assert!(report.errors().is_empty());

        // A failure without a message still counts as one, and says so.
        let mut log = JobLog::new();
        let mut silent = outcome("c.png", Variation::Vector, 0, None);
        silent.status = Status::Failed;
        log.add(0, &silent).unwrap();
        let report = Report::new(PathBuf::from("out"), decision(), log, Batch::default(), 1.0);
        assert_eq!((report.totals.ok, report.totals.failed), (0, 1));
        assert_eq!(report.exit_status(), ExitStatus::JobFailed);
        assert_eq!(report.errors(), ["failed (no message)"]);
    }

    /// A job whose JSON could not be stored is printed from what memory holds of it.
    #[test]
    fn a_lost_record_is_printed_from_its_status_and_error() {
        let mut log = JobLog::new();
        // Out of plan order, and plan indices other than log positions.
        for (index, error) in [(5, Some("b: bad")), (0, None), (2, Some("a: worse"))] {
            let mut entry = JobLog::entry(index, &outcome("b.png", Variation::Vector, 0, error));
            entry.json = Err(serde_json::from_str::<u8>("x").unwrap_err());
            assert!(log.push(entry).is_err());
        }
        let report = Report::new(PathBuf::from("out"), decision(), log, Batch::default(), 1.0);
        let mut got = Vec::new();
        report.write_json(&mut got).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&got).unwrap();
        let jobs = v["jobs"].as_array().unwrap();
        assert_eq!(jobs[0]["status"], "ok");
        assert_eq!(jobs[0]["error"], serde_json::Value::Null);
        assert_eq!(jobs[1]["status"], "failed");
        assert_eq!(jobs[1]["error"], "a: worse");
        assert_eq!(jobs[2]["error"], "b: bad");
        assert!(jobs[2]["record"].as_str().unwrap().starts_with("lost: "));
        assert_eq!(report.totals.failed, 2);
    }

    fn decision() -> Decision {
        Decision {
            workers: 2,
            jobs: 3,
            job_memory: 1,
            window: 1,
            resources: Resources {
                cpus: 2,
                total_memory: 1,
                available_memory: 1,
            },
            reason: "test".into(),
        }
    }

    #[test]
    fn the_job_log_prints_the_same_json_and_text_as_outcomes_in_memory() {
        let jobs = [
            outcome("b.png", Variation::Vector, 2, None),
            outcome("a.png", Variation::Transparent, 3, None),
            outcome("a.png", Variation::Social, 0, Some("a.png: cannot decode")),
        ];
        let allocation = decision();
        for empty in [false, true] {
            let mut log = JobLog::new();
            if !empty {
                // Finished out of plan order: a.png's jobs are plan jobs 0 and 1.
                log.add(2, &jobs[0]).unwrap();
                log.add(1, &jobs[2]).unwrap();
                log.add(0, &jobs[1]).unwrap();
            }
            let batch = Batch {
                logos: 2,
                skipped: vec![PathBuf::from("c.png")],
                not_started: 0,
                interrupted: false,
            };
            let report = Report::new(PathBuf::from("out"), allocation.clone(), log, batch, 5.0);
            let mut got = Vec::new();
            report.write_json(&mut got).unwrap();
            let in_order = if empty {
                Vec::new()
            } else {
                vec![jobs[1].clone(), jobs[2].clone(), jobs[0].clone()]
            };
            let whole = Whole {
                tool: report.tool,
                version: report.version,
                out: &report.out,
                allocation: &report.allocation,
                interrupted: report.interrupted,
                skipped: &report.skipped,
                jobs: in_order,
                totals: &report.totals,
            };
            let want = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(String::from_utf8(got).unwrap(), want);
            if !empty {
                assert_eq!(report.totals.files, 5);
                assert_eq!(report.totals.failed, 1);
                assert_eq!(report.errors(), ["a.png: cannot decode"]);
                let text = report.to_text();
                assert!(
                    text.starts_with("a.png\n  transparent   3 files")
                        && text.contains("  social       failed\n")
                        && text.contains("b.png\n  vector"),
                    "{text}"
                );
            }
        }
    }
}
