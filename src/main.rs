//! The `logoproc` binary: parse the command line, set up logging, call the library, and
//! map the report to an exit code.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use logoproc::{plan, run, ExitStatus};

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
        .with_ansi(std::io::stderr().is_terminal())
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
    let (text, status) = match &cli.command {
        Command::Variations => (cli::variations_text(), ExitStatus::Success),
        Command::Plan(sel) => {
            let (config, variations) = sel.resolve()?;
            let plan = plan::plan(&sel.inputs, &variations, config)?;
            let decision = run::decide(&plan);
            let text = if sel.json {
                plan.to_json(&decision)
            } else {
                plan.to_text(&decision)
            };
            (text, ExitStatus::Success)
        }
        Command::Build(sel) => {
            let (config, variations) = sel.resolve()?;
            let report = run::run(&plan::plan(&sel.inputs, &variations, config)?)?;
            for e in report.errors() {
                eprintln!("logoproc: error: {e}");
            }
            let text = if sel.json {
                report.to_json() + "\n"
            } else {
                report.to_text()
            };
            (text, report.exit_status())
        }
    };
    write_out(&mut stdout, &text)?;
    Ok(status)
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
fn write_out(out: &mut impl Write, text: &str) -> anyhow::Result<()> {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
