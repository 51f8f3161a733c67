//! The `logoproc` binary: parse the command line, set up logging, call the library, and
//! map the report to an exit code.

mod cli;
#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
mod large_alloc;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use cli::{Cli, Command};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use logoproc::lock::{Lock, Wait, STATE_DIR};
use logoproc::{plan, run, ExitStatus};

/// Large blocks are mapped and returned one by one, so the peak RSS follows the live data
/// (see src/large_alloc.rs).
#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
#[global_allocator]
static ALLOC: large_alloc::LargeAlloc = large_alloc::LargeAlloc;

fn main() -> ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
    large_alloc::tune_glibc_malloc();
    let cli = Cli::parse();
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        _ => "debug",
    };
    // A progress bar on a terminal only, and not with -q; log lines print above it. It
    // is drawn from the run's first count on (`execute`), not while planning.
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden()).with_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} jobs, {msg}, ETA {eta}",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let writer = bar.clone();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(move || AboveBar(writer.clone()))
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
    // Worker panics become failed jobs with their message; keep stderr to one line.
    std::panic::set_hook(Box::new(|info| tracing::debug!("panic: {info}")));
    let status = match execute(&cli, &bar) {
        Ok(status) => status,
        Err(e) => {
            bar.finish_and_clear();
            eprintln!("logoproc: error: {e:#}");
            match e.downcast_ref::<logoproc::Error>() {
                Some(logoproc::Error::Interrupted { .. }) => ExitStatus::Interrupted,
                _ => ExitStatus::Usage,
            }
        }
    };
    ExitCode::from(status.code())
}

/// Set by the first Ctrl-C (or SIGTERM): start no more jobs.
static CANCEL: AtomicBool = AtomicBool::new(false);

fn execute(cli: &Cli, bar: &ProgressBar) -> anyhow::Result<ExitStatus> {
    let mut stdout = std::io::stdout().lock();
    let (text, status) = match &cli.command {
        Command::Variations => (cli::variations_text(), ExitStatus::Success),
        Command::Check(args) => {
            let findings = logoproc::check::check(&args.folder).map_err(anyhow::Error::msg)?;
            let text = match args.json {
                true => serde_json::to_string_pretty(&findings)? + "\n",
                false => findings.to_text(),
            };
            let status = match findings.problems.is_empty() {
                true => ExitStatus::Success,
                false => ExitStatus::JobFailed,
            };
            (text, status)
        }
        Command::Plan(sel) => {
            let (config, variations) = sel.resolve()?;
            let plan = plan::plan(&sel.inputs()?, &variations, config)?;
            let decision = run::decide(&plan);
            let text = if sel.json {
                plan.to_json(&decision)
            } else {
                plan.to_text(&decision)
            };
            (text, ExitStatus::Success)
        }
        Command::Build(build) => {
            let sel = &build.sel;
            let (config, variations) = sel.resolve()?;
            let inputs = sel.inputs()?;
            ctrlc::set_handler(|| {
                if !CANCEL.swap(true, Ordering::SeqCst) {
                    tracing::warn!(
                        "interrupted: finishing what is under way, starting nothing more"
                    );
                }
            })?;
            let wait = Wait {
                wait: build.wait_lock,
                cancel: Some(&CANCEL),
            };
            let out = config.build.out.clone();
            let take_lock = || Lock::acquire(&out, inputs.shard, wait);
            let (lock, plan) = if out.join(STATE_DIR).is_dir() {
                // The folder's lock first, so that a second run fails (or waits) before
                // it reads a single input.
                let lock = take_lock()?;
                (lock, plan::plan(&inputs, &variations, config)?)
            } else {
                // No run has written this folder: nothing holds its lock, and a batch
                // that planning refuses (colliding names) must not leave the folder made.
                let plan = plan::plan(&inputs, &variations, config)?;
                (take_lock()?, plan)
            };
            let on_terminal = std::io::stderr().is_terminal() && !cli.quiet;
            let progress = |p: run::Progress| {
                bar.set_length(p.jobs as u64);
                bar.set_position(p.jobs_done as u64);
                bar.set_message(format!("{}/{} logos", p.logos_done, p.logos));
                // Not for a run that has nothing to build (every logo skipped).
                if on_terminal && p.jobs > 0 && bar.is_hidden() {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
            };
            let options = run::Options {
                force: build.force,
                wait_lock: build.wait_lock,
                lock: Some(&lock),
                cancel: Some(&CANCEL),
                progress: Some(&progress),
            };
            let report = run::run(&plan, &options);
            bar.finish_and_clear();
            let report = report?;
            for e in report.errors() {
                eprintln!("logoproc: error: {e}");
            }
            let text = if sel.json {
                write_json(&mut stdout, &report)?;
                String::new()
            } else if cli.quiet {
                String::new()
            } else {
                report.to_text()
            };
            (text, report.exit_status())
        }
    };
    write_out(&mut stdout, &text)?;
    Ok(status)
}

/// A log writer that prints above the progress bar (the bar is redrawn after).
struct AboveBar(ProgressBar);

impl Write for AboveBar {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.suspend(|| std::io::stderr().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Stream the JSON report to stdout; a closed pipe is not an error.
fn write_json(out: &mut impl Write, report: &logoproc::Report) -> anyhow::Result<()> {
    match report.write_json(std::io::BufWriter::new(out)) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
fn write_out(out: &mut impl Write, text: &str) -> anyhow::Result<()> {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
