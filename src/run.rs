//! Run a [`Plan`]: size the pool, decode each input once, run every job longest first,
//! write the files atomically, and collect the outcomes in plan order.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
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

    let sources: Vec<OnceLock<Result<Arc<Source>, String>>> =
        plan.inputs.iter().map(|_| OnceLock::new()).collect();
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
fn run_job(plan: &Plan, job: &Job, sources: &[OnceLock<Result<Arc<Source>, String>>]) -> Outcome {
    let input = &plan.inputs[job.input];
    let start = Instant::now();
    let timeout = Duration::from_secs_f64(plan.config.parallel.timeout_seconds);
    let span =
        tracing::debug_span!("job", input = %input.path.display(), variation = %job.variation);
    let _enter = span.enter();
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<Artifact>, String> {
        let source = sources[job.input]
            .get_or_init(|| match &input.problem {
                Some(problem) => Err(problem.clone()),
                None => Source::load(&input.path, &plan.config.limits)
                    .map(Arc::new)
                    .map_err(|e| e.to_string()),
            })
            .clone()?;
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
    let (status, error, warnings, outputs) = match result.and_then(|a| write(plan, job, a)) {
        Ok((outputs, warnings)) => (Status::Ok, None, warnings, outputs),
        Err(e) => {
            tracing::debug!("{e}");
            (Status::Failed, Some(e), Vec::new(), Vec::new())
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

/// Write a job's files; returns what was written and the warnings to report.
fn write(
    plan: &Plan,
    job: &Job,
    artifacts: Vec<Artifact>,
) -> Result<(Vec<OutputFile>, Vec<String>), String> {
    let stem_dir = plan.config.build.out.join(&plan.inputs[job.input].stem);
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for a in artifacts {
        let path = stem_dir.join(&a.path);
        output::write_atomic(&path, &a.bytes).map_err(|e| e.to_string())?;
        files.push(OutputFile {
            path,
            format: a.format,
            width: a.width,
            height: a.height,
            bytes: a.bytes.len() as u64,
        });
        warnings.extend(a.warnings);
    }
    Ok((files, warnings))
}
