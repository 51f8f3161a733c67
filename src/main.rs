//! The `logoproc` binary: parse the command line, set up logging, call the library, and
//! map the report to an exit code.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use logoproc::{plan, run, variation::Variation, ExitStatus};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    // Worker panics become failed jobs with their message; keep stderr to one line.
    std::panic::set_hook(Box::new(|info| tracing::debug!("panic: {info}")));
    let status = match execute(&cli) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("logoproc: error: {e:#}");
            ExitStatus::Usage
        }
    };
    ExitCode::from(status.code())
}

fn execute(cli: &Cli) -> anyhow::Result<ExitStatus> {
    let mut stdout = std::io::stdout().lock();
    let text = match &cli.command {
        Command::Variations => Variation::ALL
            .iter()
            .map(|v| {
                format!(
                    "{:<12} {}\n{:<12} writes {}\n",
                    v.name(),
                    v.facts().description,
                    "",
                    v.facts().files
                )
            })
            .collect(),
        Command::Plan(sel) => {
            let (config, variations) = sel.resolve()?;
            let plan = plan::plan(&sel.inputs, &variations, config)?;
            let decision = run::decide(&plan);
            if sel.json {
                serde_json::to_string_pretty(&serde_json::json!({
                    "inputs": plan.inputs, "jobs": plan.jobs, "allocation": decision,
                }))? + "\n"
            } else {
                let mut s = String::new();
                for &i in &plan.queue() {
                    let job = &plan.jobs[i];
                    s += &format!(
                        "{:<12} {:<40} ~{:>6.0} ms ~{:>5} MiB -> {}\n",
                        job.variation.name(),
                        plan.inputs[job.input].path.display(),
                        job.cost_ms,
                        job.memory >> 20,
                        job.out_dir.display()
                    );
                }
                s + &decision.reason + "\n"
            }
        }
        Command::Build(sel) => {
            let (config, variations) = sel.resolve()?;
            let plan = plan::plan(&sel.inputs, &variations, config)?;
            let report = run::run(&plan)?;
            for e in report.errors() {
                eprintln!("logoproc: error: {e}");
            }
            let text = if sel.json {
                report.to_json() + "\n"
            } else {
                report.to_text()
            };
            write_out(&mut stdout, &text)?;
            return Ok(report.exit_status());
        }
    };
    write_out(&mut stdout, &text)?;
    Ok(ExitStatus::Success)
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
fn write_out(out: &mut impl Write, text: &str) -> anyhow::Result<()> {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
