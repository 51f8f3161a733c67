//! Run a [`Plan`]: size the pool, decode each input once, run every job longest first,
//! write the files atomically, and collect the outcomes in plan order.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::lock::{Lock, Wait};
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
    /// The output folder's lock, when the caller took it (the binary takes it before
    /// planning, so that a second run fails before reading its inputs); without it the
    /// run takes it.
    pub lock: Option<&'a Lock>,
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
    run_counting(plan, options).map(|(report, _)| report)
}

/// [`run`], and the most logos that were in memory at once (their jobs under way, their
/// sources decoded or being decoded).
fn run_counting(plan: &Plan, options: &Options) -> Result<(Report, usize)> {
    let out = plan.config.build.out.clone();
    let own;
    let lock = match options.lock {
        Some(lock) => lock,
        None => {
            let wait = Wait {
                wait: options.wait_lock,
                cancel: options.cancel,
            };
            own = Lock::acquire(&out, plan.shard, wait)?;
            &own
        }
    };
    if lock.stale {
        // A whole run holds the folder alone: what a killed run left anywhere in it goes.
        // A shard sweeps its own logos only: other shards' writes in the folder are live.
        let swept: usize = match plan.shard {
            None => output::sweep_temp(&out),
            Some(_) => plan
                .inputs
                .iter()
                .map(|i| output::sweep_temp(&out.join(&*i.stem())))
                .sum(),
        };
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
    // Find the inputs built before from the same bytes and settings. (What a logo's state
    // records is the digest of the bytes its jobs decoded, not of these.)
    let skip: Vec<bool> = pool.install(|| {
        plan.inputs
            .par_iter()
            .map(|input| {
                !options.force
                    && input.problem.is_none()
                    && state.unchanged(
                        &input.stem(),
                        || crate::source::input_hash(&input.path, &plan.config),
                        &config_hash,
                    )
            })
            .collect()
    });
    // Each logo's job count, for its slot (2 bytes a logo; the plan's order is not relied on).
    let mut jobs_per_input = vec![0u16; plan.inputs.len()];
    for job in &plan.jobs {
        let n = &mut jobs_per_input[job.input];
        *n = n.checked_add(1).expect("a logo has fewer than 65,536 jobs");
    }
    let slots = Slots::default();
    // Job indices as u32: a plan has fewer than 2^32 jobs (JobLog::entry says so too).
    let queue: Vec<u32> = plan
        .queue(decision.window)
        .into_iter()
        .filter(|&j| !skip[plan.jobs[j].input])
        .map(|j| u32::try_from(j).expect("a plan has fewer than 2^32 jobs"))
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
    };
    tally.report(options);
    let next = AtomicUsize::new(0);
    let cancelled = || options.cancel.is_some_and(|c| c.load(Ordering::SeqCst));
    let start = Instant::now();
    // Every worker takes the next job from the queue until none is left (or the run is
    // cancelled) and returns what it did; nothing is shared but the queue position.
    // Outcomes go to the job log as they finish, so a long batch holds none of them.
    let log = Mutex::new(JobLog::new());
    locked(&log).reserve(queue.len());
    pool.broadcast(|_| {
        while !cancelled() {
            let k = next.fetch_add(1, Ordering::SeqCst);
            let Some(&index) = queue.get(k) else { break };
            let index = index as usize;
            let job = &plan.jobs[index];
            let slot = slots.get(job.input, jobs_per_input[job.input].into());
            let outcome = run_job(plan, job, &slot);
            let logo_done = slot.job_done(&outcome, &finish, job.input);
            if logo_done {
                slots.remove(job.input);
            }
            drop(slot);
            tally.job_done(logo_done, options);
            let entry = JobLog::entry(index, &outcome);
            drop(outcome);
            let mut log = locked(&log);
            if let Err(e) = log.push(entry) {
                let input = plan.inputs[job.input].path.display();
                tracing::error!("{input}: {}: job log: {e}", job.variation);
            }
        }
    });
    let wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    // An interrupted run leaves logos whose last job never ran: their failed jobs' folders.
    for slot in locked(&slots.live).values() {
        remove_empty(std::mem::take(&mut *locked(&slot.made)));
    }
    let log = log.into_inner().unwrap_or_else(|p| p.into_inner());
    let not_started = queue.len() - log.len();
    // The preview pages list what is on disk, so they are written once the jobs are done.
    let stems: Vec<_> = plan.inputs.iter().map(|i| i.stem()).collect();
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
        .map(|(i, _)| i.path.to_path_buf())
        .collect();
    let in_memory = slots.peak.load(Ordering::SeqCst);
    tracing::debug!(
        "at most {in_memory} logos in memory at once (bound: {} workers + a window of {})",
        decision.workers,
        decision.window
    );
    let report = Report::new(
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
    );
    Ok((report, in_memory))
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
}

impl Finish<'_> {
    /// Record a logo whose jobs all succeeded, built from the bytes whose BLAKE3 is
    /// `digest`, so that the next run can skip it while its file still holds them.
    fn record(
        &self,
        input: usize,
        digest: blake3::Hash,
        written: Vec<Recorded>,
        artwork: Option<String>,
    ) {
        let inp = &self.plan.inputs[input];
        let entry = state::Entry {
            input: inp.path.to_path_buf(),
            input_hash: digest.to_hex().to_string(),
            config_hash: self.config_hash.to_string(),
            version: crate::VERSION.to_string(),
            outputs: written,
            artwork,
        };
        if let Err(e) = self.state.record(&inp.stem(), &entry) {
            tracing::warn!("{}: incremental state not saved: {e}", inp.path.display());
        }
    }
}

/// The [`Slot`]s of the logos whose jobs are under way: a logo's is made when its first
/// job starts and removed when its last is done, so that a long batch keeps only a few
/// bytes per logo besides the plan's records (its job count, queue places and log
/// records).
#[derive(Default)]
struct Slots {
    live: Mutex<HashMap<usize, Arc<Slot>>>,
    /// The most slots live at once.
    peak: AtomicUsize,
}

impl Slots {
    /// Input `input`'s slot, made for its `jobs` jobs if it has none yet.
    fn get(&self, input: usize, jobs: usize) -> Arc<Slot> {
        let mut live = locked(&self.live);
        let slot = live.entry(input).or_insert_with(|| {
            Arc::new(Slot {
                source: Mutex::new(None),
                jobs_left: AtomicUsize::new(jobs),
                written: Mutex::new(Vec::new()),
                failed: AtomicBool::new(false),
                made: Mutex::new(Vec::new()),
                artwork: Mutex::new(None),
            })
        });
        let slot = Arc::clone(slot);
        self.peak.fetch_max(live.len(), Ordering::SeqCst);
        slot
    }

    /// Forget a logo whose last job is done.
    fn remove(&self, input: usize) {
        locked(&self.live).remove(&input);
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
    /// Folders made for the files of its failed jobs, removed when empty after its last.
    made: Mutex<Vec<PathBuf>>,
    /// What its square outputs were made from, once a job that makes them is done.
    artwork: Mutex<Option<String>>,
}

impl Slot {
    fn get(
        &self,
        load: impl FnOnce() -> Result<Arc<Source>, String>,
    ) -> Result<Arc<Source>, String> {
        let mut slot = locked(&self.source);
        slot.get_or_insert_with(load).clone()
    }

    /// Count a finished job; on the logo's last, drop its source and, when every job
    /// succeeded, record its state. Returns whether the logo is done.
    fn job_done(&self, outcome: &Outcome, finish: &Finish, input: usize) -> bool {
        {
            let mut written = locked(&self.written);
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
        if let Some(artwork) = &outcome.artwork {
            locked(&self.artwork).get_or_insert_with(|| artwork.clone());
        }
        if self.jobs_left.fetch_sub(1, Ordering::AcqRel) != 1 {
            return false;
        }
        // `run_job` gets the source before anything else, so a logo whose jobs all
        // succeeded has one: its digest is what the logo was built from.
        let digest = locked(&self.source)
            .take()
            .and_then(|source| source.ok())
            .map(|source| source.digest);
        remove_empty(std::mem::take(&mut *locked(&self.made)));
        if !self.failed.load(Ordering::SeqCst) {
            debug_assert!(digest.is_some(), "a logo whose jobs succeeded has a source");
            if let Some(digest) = digest {
                let mut written = std::mem::take(&mut *locked(&self.written));
                written.sort_by(|a, b| a.path.cmp(&b.path));
                let artwork = locked(&self.artwork).take();
                finish.record(input, digest, written, artwork);
            }
        }
        true
    }
}

/// Run one job to an outcome; panics and timeouts become failures, and nothing is put in
/// place unless every file of the job was built and staged in time.
fn run_job(plan: &Plan, job: &Job, slot: &Slot) -> Outcome {
    let input = &plan.inputs[job.input];
    let start = Instant::now();
    let cpu = cpu_time::ThreadTime::now();
    let timeout = Duration::from_secs_f64(plan.config.parallel.timeout_seconds);
    // A warn-level span, so that warnings from decoders (usvg, image) name the file.
    let span =
        tracing::warn_span!("job", input = %input.path.display(), variation = %job.variation);
    let _enter = span.enter();
    // Each file is written under a temporary name as soon as the variation emits it, and
    // all are put in place once the job has succeeded: a variation that emits its files
    // holds one at a time. The timeout counts the staging too.
    let stem = input.stem();
    let staging = Staging::new(plan.config.build.out.join(&*stem));
    let sink = |artifact: Artifact| staging.take(artifact);
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<Option<String>, String> {
        let source = slot.get(|| match &input.problem {
            Some(problem) => Err(problem.to_string()),
            None => Source::load_logo(&input.path, &plan.config)
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
            stem: &stem,
            deadline: start + timeout,
            sink: Some(&sink),
        };
        let failed = |e| format!("{}: {}: {e}", input.path.display(), job.variation);
        let artifacts = job.variation.render(&source, &ctx).map_err(failed)?;
        // Files the variation returned instead of emitting.
        for artifact in artifacts {
            sink(artifact).map_err(failed)?;
        }
        if start.elapsed() > timeout {
            return Err(format!(
                "{}: {}: timed out after {} s (parallel.timeout_seconds)",
                input.path.display(),
                job.variation,
                plan.config.parallel.timeout_seconds
            ));
        }
        // What the square outputs were made from (decided once per logo, and kept).
        Ok(match job.variation.uses_square_art(&plan.config) {
            true => source
                .square_art(&plan.config)
                .ok()
                .map(|art| art.artwork.caption()),
            false => None,
        })
    }))
    .unwrap_or_else(|panic| {
        Err(format!(
            "{}: {}: internal error: {}",
            input.path.display(),
            job.variation,
            panic_message(&panic)
        ))
    });
    let (result, artwork) = match result {
        Ok(artwork) => (Ok(()), artwork),
        Err(e) => (Err(e), None),
    };
    let written = match result {
        Ok(()) => staging.persist(),
        Err(e) => {
            locked(&slot.made).extend(staging.abandon());
            Err((e, Vec::new()))
        }
    };
    let (status, error, warnings, outputs) = match written {
        Ok((outputs, warnings)) => (Status::Ok, None, warnings, outputs),
        Err((e, outputs)) => {
            tracing::debug!("{e}");
            (Status::Failed, Some(e), Vec::new(), outputs)
        }
    };
    Outcome {
        input: input.path.to_path_buf(),
        variation: job.variation,
        status,
        error,
        warnings,
        artwork,
        ms: start.elapsed().as_secs_f64() * 1000.0,
        cpu_ms: cpu.elapsed().as_secs_f64() * 1000.0,
        outputs,
    }
}

/// The files a job wrote and the warnings to report.
type Written = (Vec<OutputFile>, Vec<String>);

/// A job's file on disk under a temporary name, and what the report says of it.
struct Pending {
    file: output::Staged,
    output: OutputFile,
    warnings: Vec<String>,
}

/// The files of one job, written under temporary names in their folders under the logo's
/// folder until the job is done. Dropped or abandoned, it removes them.
struct Staging {
    stem_dir: PathBuf,
    files: Mutex<Vec<Pending>>,
    /// Folders that staging created.
    made: Mutex<Vec<PathBuf>>,
}

impl Staging {
    fn new(stem_dir: PathBuf) -> Staging {
        Staging {
            stem_dir,
            files: Mutex::new(Vec::new()),
            made: Mutex::new(Vec::new()),
        }
    }

    /// Write `artifact` under a temporary name in its folder.
    fn take(&self, artifact: Artifact) -> std::result::Result<(), String> {
        let path = self.stem_dir.join(&artifact.path);
        if let Some(dir) = path.parent() {
            let missing = dir.ancestors().take_while(|d| !d.exists());
            locked(&self.made).extend(missing.map(Path::to_path_buf));
        }
        let file = output::stage(&path, &artifact.bytes).map_err(|e| e.to_string())?;
        let pending = Pending {
            file,
            output: OutputFile {
                path,
                blake3: blake3::hash(&artifact.bytes),
                format: artifact.format,
                width: artifact.width,
                height: artifact.height,
                bytes: artifact.bytes.len() as u64,
            },
            warnings: artifact.warnings,
        };
        locked(&self.files).push(pending);
        Ok(())
    }

    /// Put the files in place, in order; returns what was written and the warnings to
    /// report, or the error with the files that did get written (only when a rename
    /// failed midway; the rest are removed).
    fn persist(self) -> Result<Written, (String, Vec<OutputFile>)> {
        let files = self.files.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut outputs = Vec::with_capacity(files.len());
        let mut warnings = Vec::new();
        for pending in files {
            match pending.file.persist() {
                Ok(_) => {
                    outputs.push(pending.output);
                    warnings.extend(pending.warnings);
                }
                Err(e) => return Err((e.to_string(), outputs)),
            }
        }
        Ok((outputs, warnings))
    }

    /// Remove the files; returns the folders staging made for them, for
    /// [`remove_empty`] once no other job of the logo can be using them.
    fn abandon(self) -> Vec<PathBuf> {
        drop(self.files);
        self.made.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

/// Remove those of `dirs` that are empty, the deepest first, so that a logo whose jobs
/// failed leaves no folders made for files it did not write (as when files were staged
/// only once every one was built).
fn remove_empty(mut dirs: Vec<PathBuf>) {
    // A folder sorts before those inside it: in reverse, they come first.
    dirs.sort_by(|a, b| b.cmp(a));
    dirs.dedup();
    for d in dirs {
        let _ = std::fs::remove_dir(d);
    }
}

/// The guard of `m`, also when a panicking job poisoned it (what it guards stays valid).
fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: &[u8]) -> Artifact {
        Artifact::text(
            PathBuf::from(path),
            "txt",
            (0, 0),
            String::from_utf8(bytes.to_vec()).unwrap(),
        )
    }

    /// Every file and folder under `root`, relative to it.
    fn tree(root: &std::path::Path) -> Vec<String> {
        let mut all: Vec<String> = walkdir::WalkDir::new(root)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                e.path().strip_prefix(root).unwrap().display().to_string()
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn the_state_records_the_bytes_the_jobs_decoded_though_the_file_changed_after_the_check() {
        let dir = tempfile::tempdir().unwrap();
        let logo = dir.path().join("logo.png");
        let save = |ink: [u8; 3]| {
            image::RgbImage::from_fn(64, 64, |x, y| {
                let inside = (16..48).contains(&x) && (16..48).contains(&y);
                image::Rgb(if inside { ink } else { [255; 3] })
            })
            .save(&logo)
            .unwrap();
            std::fs::read(&logo).unwrap()
        };
        let checked = save([20, 40, 160]);
        let mut config = crate::Config::default();
        config.build.out = dir.path().join("out");
        config.parallel.jobs = Some(1);
        let plan = crate::plan::plan(
            &crate::plan::Inputs::new(vec![logo.clone()]),
            &[Variation::Transparent],
            config,
        )
        .unwrap();
        // The first progress call comes after the inputs were read for the skip check and
        // before any job: the file is saved again there, as a designer might mid-batch.
        let saved = Mutex::new(None);
        let progress = |p: Progress| {
            let mut saved = locked(&saved);
            if p.jobs_done == 0 && saved.is_none() {
                *saved = Some(save([160, 40, 20]));
            }
        };
        let options = Options {
            progress: Some(&progress),
            ..Default::default()
        };
        let report = run(&plan, &options).unwrap();
        assert_eq!(report.totals.failed, 0, "{:?}", report.errors());
        let built = saved
            .into_inner()
            .unwrap()
            .expect("saved before the first job");
        assert_ne!(built, checked);
        let state = std::fs::read_to_string(dir.path().join("out/.logoproc/state/logo.json"));
        let state: serde_json::Value = serde_json::from_str(&state.unwrap()).unwrap();
        assert_eq!(state["input_hash"], blake3::hash(&built).to_hex().as_str());
        // The outputs on disk are those of the file as it is (its red ink), so a re-run
        // skips it.
        let png = image::open(dir.path().join("out/logo/transparent/logo.png")).unwrap();
        let png = png.to_rgba8();
        let mut solid = png.pixels().filter(|p| p[3] == 255).peekable();
        assert!(solid.peek().is_some(), "no solid pixel");
        assert!(solid.all(|p| p[0] > 120 && p[2] < 60), "not the red ink");
        let again = run(&plan, &Options::default()).unwrap();
        assert_eq!(again.skipped, [logo]);
    }

    #[test]
    fn at_most_workers_plus_a_window_of_logos_are_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let logos: Vec<PathBuf> = (0..12u8)
            .map(|k| {
                let path = dir.path().join(format!("logo{k:02}.png"));
                image::RgbImage::from_fn(48 + u32::from(k) * 8, 48, |x, y| {
                    let inside = (8..40).contains(&x) && (8..40).contains(&y);
                    image::Rgb(if inside { [20, 40, 10 * k] } else { [255; 3] })
                })
                .save(&path)
                .unwrap();
                path
            })
            .collect();
        for workers in [2, 3] {
            let mut config = crate::Config::default();
            config.build.out = dir.path().join(format!("out{workers}"));
            config.parallel.jobs = Some(workers);
            let plan = crate::plan::plan(
                &crate::plan::Inputs::new(logos.clone()),
                &[
                    Variation::Transparent,
                    Variation::Vector,
                    Variation::Palette,
                ],
                config,
            )
            .unwrap();
            let decision = decide(&plan);
            assert_eq!(decision.workers, workers);
            let (report, in_memory) = run_counting(&plan, &Options::default()).unwrap();
            assert_eq!(report.totals.ok, 36, "{:?}", report.errors());
            // A window's logos, and the logos of earlier windows whose last jobs are still
            // running (one a worker at most).
            let bound = decision.workers + decision.window;
            assert!(
                (2..=bound).contains(&in_memory),
                "{in_memory} logos in memory at once, bound {bound}"
            );
        }
    }

    #[test]
    fn staged_files_appear_only_when_persisted_and_abandoning_leaves_nothing_new() {
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(out.path().join("logo/kept")).unwrap();
        let staging = Staging::new(out.path().join("logo"));
        staging.take(file("a/b/one.txt", b"1")).unwrap();
        staging.take(file("kept/two.txt", b"2")).unwrap();
        // Under temporary names until the job is done.
        let names = tree(out.path());
        assert!(!names
            .iter()
            .any(|n| n.ends_with("one.txt") || n.ends_with("two.txt")));
        assert_eq!(names.iter().filter(|n| n.ends_with(".tmp")).count(), 2);
        remove_empty(staging.abandon());
        // The folders it made are gone; the one that was there stays.
        assert_eq!(tree(out.path()), ["logo", "logo/kept"]);

        let staging = Staging::new(out.path().join("logo"));
        staging.take(file("a/b/one.txt", b"1")).unwrap();
        staging.take(file("kept/two.txt", b"2")).unwrap();
        let (outputs, _) = staging.persist().unwrap();
        let paths: Vec<_> = outputs.iter().map(|o| o.path.clone()).collect();
        let logo = out.path().join("logo");
        assert_eq!(paths, [logo.join("a/b/one.txt"), logo.join("kept/two.txt")]);
        assert_eq!(outputs[0].blake3, blake3::hash(b"1"));
        assert_eq!(std::fs::read(logo.join("kept/two.txt")).unwrap(), b"2");
        assert_eq!(
            tree(out.path()),
            [
                "logo",
                "logo/a",
                "logo/a/b",
                "logo/a/b/one.txt",
                "logo/kept",
                "logo/kept/two.txt"
            ]
        );
    }

    #[test]
    fn folders_made_by_two_failed_jobs_of_a_logo_are_all_removed() {
        let out = tempfile::tempdir().unwrap();
        let (first, second) = (
            Staging::new(out.path().join("logo")),
            Staging::new(out.path().join("logo")),
        );
        // The first makes the logo's folder; the second finds it and makes its own.
        first.take(file("transparent/a.png", b"a")).unwrap();
        second.take(file("social/b.png", b"b")).unwrap();
        let mut made = first.abandon();
        made.extend(second.abandon());
        remove_empty(made);
        assert!(tree(out.path()).is_empty(), "{:?}", tree(out.path()));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn staged_files_hold_no_open_descriptors() {
        let open = || std::fs::read_dir("/proc/self/fd").unwrap().count();
        let out = tempfile::tempdir().unwrap();
        let staging = Staging::new(out.path().join("logo"));
        let before = open();
        for i in 0..64 {
            staging
                .take(file(&format!("social/{i}.png"), b"x"))
                .unwrap();
        }
        // Other tests run in this process and may hold a few at this moment.
        assert!(
            open() < before + 8,
            "{} descriptors, {before} before",
            open()
        );
        assert_eq!(staging.persist().unwrap().0.len(), 64);
    }

    #[test]
    fn a_file_that_cannot_be_staged_is_an_error_naming_it() {
        let out = tempfile::tempdir().unwrap();
        // A file where the folder should be.
        std::fs::write(out.path().join("social"), b"").unwrap();
        let staging = Staging::new(out.path().to_path_buf());
        let err = staging.take(file("social/og.png", b"png")).unwrap_err();
        assert!(
            err.contains("social/og.png") && err.contains("cannot write"),
            "{err}"
        );
        assert!(staging.abandon().is_empty());
        assert_eq!(tree(out.path()), ["social"]);
    }
}
