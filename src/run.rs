//! Run a [`Plan`]: size the pool, decode each input once, run every job longest first,
//! write the files atomically, and collect the outcomes in plan order.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::output;
use crate::plan::{Job, Plan};
use crate::report::{Outcome, OutputFile, Report, Status};
use crate::source::Source;
use crate::trace::panic_message;
use crate::variation::{Artifact, Context};
use crate::workers::{self, Decision, Resources};

/// The allocator's decision for `plan` on this machine.
pub fn decide(plan: &Plan) -> Decision {
    workers::allocate(
        &Resources::probe(),
        &plan.job_memory(),
        &plan.config.parallel,
    )
}

/// Build everything in `plan`. Errors only for problems that stop the run before any work
/// (an unwritable output folder, a pool that cannot start); a failing job is an
/// [`Outcome`] with status failed.
pub fn run(plan: &Plan) -> Result<Report> {
    let out = output::prepare_out_dir(&plan.config.build.out)?;
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

    let sources: Vec<Slot> = (0..plan.inputs.len())
        .map(|i| Slot {
            source: Mutex::new(None),
            jobs_left: AtomicUsize::new(plan.jobs.iter().filter(|j| j.input == i).count()),
        })
        .collect();
    let queue = plan.queue();
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    // Every worker takes the next job from the longest-first queue until none is left and
    // returns what it did; nothing is shared but the queue position.
    let per_worker: Vec<Vec<(usize, Outcome)>> = pool.broadcast(|_| {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&index) = queue.get(k) else { break };
            done.push((index, run_job(plan, &plan.jobs[index], &sources)));
        }
        done
    });
    let wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut outcomes: Vec<(usize, Outcome)> = per_worker.into_iter().flatten().collect();
    outcomes.sort_by_key(|(i, _)| *i);
    // The preview pages list what is on disk, so they are written once the jobs are done.
    let stems: Vec<&str> = plan.inputs.iter().map(|i| i.stem.as_str()).collect();
    if let Err(e) = crate::preview::write(&plan.config, &stems) {
        tracing::error!("preview pages not written: {e}");
    }
    Ok(Report::new(
        out,
        decision,
        outcomes.into_iter().map(|(_, o)| o).collect(),
        plan.inputs.len(),
        wall_ms,
    ))
}

/// Run one job to an outcome; panics and timeouts become failures, and nothing is written
/// unless every file of the job was built in time.
/// One input's decoded source, shared by its jobs: decoded by the first job that needs it
/// (the others wait for it) and dropped when its last job is done, so memory holds only
/// the inputs whose jobs are under way.
struct Slot {
    source: Mutex<Option<Result<Arc<Source>, String>>>,
    jobs_left: AtomicUsize,
}

impl Slot {
    fn get(
        &self,
        load: impl FnOnce() -> Result<Arc<Source>, String>,
    ) -> Result<Arc<Source>, String> {
        let mut slot = self.source.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert_with(load).clone()
    }

    fn job_done(&self) {
        if self.jobs_left.fetch_sub(1, Ordering::AcqRel) == 1 {
            *self.source.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
    }
}

fn run_job(plan: &Plan, job: &Job, sources: &[Slot]) -> Outcome {
    let outcome = run_job_inner(plan, job, &sources[job.input]);
    sources[job.input].job_done();
    outcome
}

fn run_job_inner(plan: &Plan, job: &Job, slot: &Slot) -> Outcome {
    let input = &plan.inputs[job.input];
    let start = Instant::now();
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
