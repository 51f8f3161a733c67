//! Run a [`Plan`]: size the pool, decode each input once, run every job longest first,
//! write the files atomically, and collect the outcomes in plan order.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::lock::Lock;
use crate::output;
use crate::plan::{Job, Plan};
use crate::report::{Batch, JobLog, Outcome, OutputFile, Report, Status};
use crate::source::Source;
use crate::state::{self, Recorded, State};
use crate::trace::panic_message;
use crate::variation::{Artifact, Context, Variation};
use crate::workers::{self, Decision, Resources};

/// The allocator's decision for `plan` on this machine.
pub fn decide(plan: &Plan) -> Decision {
    workers::allocate(
        &Resources::probe(),
        &plan.job_memory(),
        &plan.config.parallel,
    )
}

/// How to run a plan, beyond the plan itself.
#[derive(Default)]
pub struct Options<'a> {
    /// Rebuild every logo, even those the incremental state says are unchanged.
    pub force: bool,
    /// Wait for another run's lock on the output folder instead of failing.
    pub wait_lock: bool,
    /// Set (by a Ctrl-C handler) to start no more jobs.
    pub cancel: Option<&'a AtomicBool>,
    /// Called after each job (and once before the first) with the counts so far.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

/// Counts for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Logos whose jobs are all done.
    pub logos_done: usize,
    /// Logos to build (skipped ones excluded).
    pub logos: usize,
    /// Jobs done.
    pub jobs_done: usize,
    /// Jobs to run.
    pub jobs: usize,
}

/// Build everything in `plan` that is not already built. Errors only for problems that
/// stop the run before any work (an unwritable or locked output folder, a pool that
/// cannot start); a failing job is an [`Outcome`] with status failed.
pub fn run(plan: &Plan, options: &Options) -> Result<Report> {
    let out = output::prepare_out_dir(&plan.config.build.out)?;
    let lock = Lock::acquire(&out, plan.shard, options.wait_lock)?;
    if lock.stale {
        // Only this run's logos: another shard's writes in the same folder are live.
        let swept: usize = plan
            .inputs
            .iter()
            .map(|i| output::sweep_temp(&out.join(&i.stem)))
            .sum();
        if swept > 0 {
            tracing::warn!("removed {swept} temporary files left by the interrupted run");
        }
    }
    let decision = decide(plan);
    tracing::info!("{}", decision.reason);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(decision.workers)
        .thread_name(|i| format!("logoproc-worker-{i}"))
        .build()
        .map_err(|e| Error::Output {
            path: out.clone(),
            reason: format!("cannot start worker pool: {e}"),
        })?;
    let state = State::new(&plan.config.build.out);
    let variations: Vec<_> = plan.jobs.iter().map(|j| j.variation).collect();
    let config_hash = state::config_hash(&plan.config, &variations);
    // Hash every input, and find those built before from the same bytes and settings.
    let (input_hashes, skip): (Vec<Option<blake3::Hash>>, Vec<bool>) = pool.install(|| {
        plan.inputs
            .par_iter()
            .map(|input| {
                let hash = match input.problem {
                    None => state::file_digest(&input.path).ok(),
                    Some(_) => None,
                };
                let skip = !options.force
                    && hash
                        .is_some_and(|h| state.unchanged(&input.stem, &h.to_hex(), &config_hash));
                (hash, skip)
            })
            .unzip()
    });
    let mut jobs_per_input = vec![0usize; plan.inputs.len()];
    for job in &plan.jobs {
        jobs_per_input[job.input] += 1;
    }
    let sources: Vec<Slot> = jobs_per_input
        .into_iter()
        .map(|jobs| Slot {
            source: Mutex::new(None),
            jobs_left: AtomicUsize::new(jobs),
            written: Mutex::new(Vec::new()),
            failed: AtomicBool::new(false),
        })
        .collect();
    let queue: Vec<usize> = plan
        .queue(decision.window)
        .into_iter()
        .filter(|&j| !skip[plan.jobs[j].input])
        .collect();
    let logos = skip.iter().filter(|s| !**s).count();
    let tally = Tally {
        logos,
        jobs: queue.len(),
        logos_done: AtomicUsize::new(0),
        jobs_done: AtomicUsize::new(0),
    };
    let finish = Finish {
        plan,
        state: &state,
        config_hash: &config_hash,
        input_hashes: &input_hashes,
    };
    tally.report(options);
    let next = AtomicUsize::new(0);
    let cancelled = || options.cancel.is_some_and(|c| c.load(Ordering::SeqCst));
    let start = Instant::now();
    // Every worker takes the next job from the queue until none is left (or the run is
    // cancelled) and returns what it did; nothing is shared but the queue position.
    // Outcomes go to the job log as they finish, so a long batch holds none of them.
    let log = Mutex::new(JobLog::new());
    pool.broadcast(|_| {
        while !cancelled() {
            let k = next.fetch_add(1, Ordering::SeqCst);
            let Some(&index) = queue.get(k) else { break };
            let job = &plan.jobs[index];
            let outcome = run_job(plan, job, &sources[job.input]);
            let logo_done = sources[job.input].job_done(&outcome, &finish, job.input);
            tally.job_done(logo_done, options);
            let entry = JobLog::entry(index, &outcome);
            drop(outcome);
            let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = log.push(entry) {
                let input = plan.inputs[job.input].path.display();
                tracing::error!("{input}: {}: job log: {e}", job.variation);
            }
        }
    });
    let wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    let log = log.into_inner().unwrap_or_else(|p| p.into_inner());
    let not_started = queue.len() - log.len();
    // The preview pages list what is on disk, so they are written once the jobs are done.
    let stems: Vec<&str> = plan.inputs.iter().map(|i| i.stem.as_str()).collect();
    let thumbnails = plan
        .jobs
        .iter()
        .any(|j| j.variation == Variation::Transparent);
    if let Err(e) = crate::preview::write(&plan.config, &stems, &plan.batch_stems(), thumbnails) {
        tracing::error!("preview pages not written: {e}");
    }
    let skipped = plan
        .inputs
        .iter()
        .zip(&skip)
        .filter(|(_, s)| **s)
        .map(|(i, _)| i.path.clone())
        .collect();
    Ok(Report::new(
        out,
        decision,
        log,
        Batch {
            logos: plan.inputs.len(),
            skipped,
            not_started,
            interrupted: cancelled(),
        },
        wall_ms,
    ))
}

/// Progress counts shared by the workers.
struct Tally {
    logos: usize,
    jobs: usize,
    logos_done: AtomicUsize,
    jobs_done: AtomicUsize,
}

impl Tally {
    fn job_done(&self, logo_done: bool, options: &Options) {
        if logo_done {
            self.logos_done.fetch_add(1, Ordering::SeqCst);
        }
        self.jobs_done.fetch_add(1, Ordering::SeqCst);
        self.report(options);
    }

    fn report(&self, options: &Options) {
        if let Some(progress) = options.progress {
            progress(Progress {
                logos_done: self.logos_done.load(Ordering::SeqCst),
                logos: self.logos,
                jobs_done: self.jobs_done.load(Ordering::SeqCst),
                jobs: self.jobs,
            });
        }
    }
}

/// What recording a finished logo's state needs.
struct Finish<'a> {
    plan: &'a Plan,
    state: &'a State,
    config_hash: &'a str,
    input_hashes: &'a [Option<blake3::Hash>],
}

impl Finish<'_> {
    /// Record a logo whose jobs all succeeded, so that the next run can skip it.
    fn record(&self, input: usize, written: Vec<Recorded>) {
        let Some(input_hash) = self.input_hashes[input].map(|h| h.to_hex().to_string()) else {
            return;
        };
        let inp = &self.plan.inputs[input];
        let entry = state::Entry {
            input: inp.path.clone(),
            input_hash,
            config_hash: self.config_hash.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            outputs: written,
        };
        if let Err(e) = self.state.record(&inp.stem, &entry) {
            tracing::warn!("{}: incremental state not saved: {e}", inp.path.display());
        }
    }
}

/// One input's decoded source, shared by its jobs: decoded by the first job that needs it
/// (the others wait for it) and dropped when its last job is done, so memory holds only
/// the inputs whose jobs are under way.
struct Slot {
    source: Mutex<Option<Result<Arc<Source>, String>>>,
    jobs_left: AtomicUsize,
    /// The files its jobs wrote so far.
    written: Mutex<Vec<Recorded>>,
    /// Whether any of its jobs failed.
    failed: AtomicBool,
}

impl Slot {
    fn get(
        &self,
        load: impl FnOnce() -> Result<Arc<Source>, String>,
    ) -> Result<Arc<Source>, String> {
        let mut slot = self.source.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert_with(load).clone()
    }

    /// Count a finished job; on the logo's last, drop its source and, when every job
    /// succeeded, record its state. Returns whether the logo is done.
    fn job_done(&self, outcome: &Outcome, finish: &Finish, input: usize) -> bool {
        {
            let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
            for o in &outcome.outputs {
                match finish.state.relative(&o.path) {
                    Ok(path) => written.push(Recorded {
                        path,
                        hash: o.blake3.to_hex().to_string(),
                    }),
                    Err(_) => self.failed.store(true, Ordering::SeqCst),
                }
            }
        }
        if outcome.status != Status::Ok {
            self.failed.store(true, Ordering::SeqCst);
        }
        if self.jobs_left.fetch_sub(1, Ordering::AcqRel) != 1 {
            return false;
        }
        *self.source.lock().unwrap_or_else(|p| p.into_inner()) = None;
        if !self.failed.load(Ordering::SeqCst) {
            let mut written =
                std::mem::take(&mut *self.written.lock().unwrap_or_else(|p| p.into_inner()));
            written.sort_by(|a, b| a.path.cmp(&b.path));
            finish.record(input, written);
        }
        true
    }
}

/// Run one job to an outcome; panics and timeouts become failures, and nothing is written
/// unless every file of the job was built in time.
fn run_job(plan: &Plan, job: &Job, slot: &Slot) -> Outcome {
    let input = &plan.inputs[job.input];
    let start = Instant::now();
    let cpu = cpu_time::ThreadTime::now();
    let timeout = Duration::from_secs_f64(plan.config.parallel.timeout_seconds);
    // A warn-level span, so that warnings from decoders (usvg, image) name the file.
    let span =
        tracing::warn_span!("job", input = %input.path.display(), variation = %job.variation);
    let _enter = span.enter();
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<Artifact>, String> {
        let source = slot.get(|| match &input.problem {
            Some(problem) => Err(problem.clone()),
            None => Source::load(&input.path, &plan.config.limits)
                .map(Arc::new)
                .map_err(|e| e.to_string()),
        })?;
        // The shared master fails once, for every variation, with the file's name only.
        if job.variation.needs_master(&source) {
            source
                .master(&plan.config)
                .map_err(|e| format!("{}: {e}", input.path.display()))?;
        }
        let ctx = Context {
            config: &plan.config,
            stem: &input.stem,
            deadline: start + timeout,
        };
        let artifacts = job
            .variation
            .render(&source, &ctx)
            .map_err(|e| format!("{}: {}: {e}", input.path.display(), job.variation))?;
        if start.elapsed() > timeout {
            return Err(format!(
                "{}: {}: timed out after {} s (parallel.timeout_seconds)",
                input.path.display(),
                job.variation,
                plan.config.parallel.timeout_seconds
            ));
        }
        Ok(artifacts)
    }))
    .unwrap_or_else(|panic| {
        Err(format!(
            "{}: {}: internal error: {}",
            input.path.display(),
            job.variation,
            panic_message(&panic)
        ))
    });
    let written = result
        .map_err(|e| (e, Vec::new()))
        .and_then(|a| write(plan, job, a));
    let (status, error, warnings, outputs) = match written {
        Ok((outputs, warnings)) => (Status::Ok, None, warnings, outputs),
        Err((e, outputs)) => {
            tracing::debug!("{e}");
            (Status::Failed, Some(e), Vec::new(), outputs)
        }
    };
    Outcome {
        input: input.path.clone(),
        variation: job.variation,
        status,
        error,
        warnings,
        ms: start.elapsed().as_secs_f64() * 1000.0,
        cpu_ms: cpu.elapsed().as_secs_f64() * 1000.0,
        outputs,
    }
}

/// The files a job wrote and the warnings to report.
type Written = (Vec<OutputFile>, Vec<String>);

/// Write a job's files all or nothing; returns what was written and the warnings to
/// report, or the error with the files that did get written (only when a rename failed
/// midway).
fn write(
    plan: &Plan,
    job: &Job,
    artifacts: Vec<Artifact>,
) -> Result<Written, (String, Vec<OutputFile>)> {
    let stem_dir = plan.config.build.out.join(&plan.inputs[job.input].stem);
    let files: Vec<(std::path::PathBuf, &[u8])> = artifacts
        .iter()
        .map(|a| (stem_dir.join(&a.path), a.bytes.as_slice()))
        .collect();
    let (written, error) = output::write_all_atomic(&files);
    let outputs = artifacts
        .iter()
        .zip(&files)
        .filter(|(_, (path, _))| written.contains(path))
        .map(|(a, (path, _))| OutputFile {
            path: path.clone(),
            blake3: blake3::hash(&a.bytes),
            format: a.format,
            width: a.width,
            height: a.height,
            bytes: a.bytes.len() as u64,
        })
        .collect();
    match error {
        Some(e) => Err((e.to_string(), outputs)),
        None => Ok((
            outputs,
            artifacts.into_iter().flat_map(|a| a.warnings).collect(),
        )),
    }
}
