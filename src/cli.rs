//! Command-line types (clap derive) and their conversion into the library's [`Config`].
//! No clap type crosses into the library.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use logoproc::config::{Config, PngEffort};
use logoproc::plan::{self, Inputs, Shard};
use logoproc::variation::Variation;

/// The help text after the options: output layout (from the variation table) and exit
/// codes.
fn after_help() -> String {
    let mut layout = String::new();
    for v in Variation::ALL {
        layout += &format!("  <stem>/{:<32} {}\n", v.facts().files, v.name());
    }
    format!(
        "Output layout (under --out, default ./logoproc-out):
{layout}  <stem> is the input's file name without its extension. Two inputs with the same stem
  (logo.png and logo.jpg) are refused before any work: rename one or build them separately.
  Files are written to a temporary name and renamed into place; inputs are never modified.

Exit codes:
  0  every job was written
  1  at least one job failed (bad input, failed variation, timeout); all others were written
  2  usage or configuration error, or the output folder is locked by another run;
     nothing was built
  130  interrupted (Ctrl-C, SIGTERM): running jobs finished, the rest not started; the
     next run builds what is missing (or, waiting for a lock, nothing was built)

Re-runs are incremental: a logo whose input, configuration and logoproc build (--version)
are unchanged since it was built into this --out, and whose files are untouched, is skipped
(--force rebuilds). One run at a time writes an output folder, or the shards of one batch
(--wait-lock waits).

Configuration: ./logoproc.toml if present, or --config FILE; flags override the file.
See config.example.toml for every key. Logging: -v, -vv, -q or RUST_LOG."
    )
}

/// `logoproc variations`: each variation, what it is and the files it writes.
pub fn variations_text() -> String {
    let mut s = String::new();
    for v in Variation::ALL {
        s += &format!(
            "{:<12} {}\n{:<12} writes {}\n",
            v.name(),
            v.facts().description,
            "",
            v.facts().files
        );
    }
    s += "\nsocial presets (presets/social.toml):\n";
    for p in logoproc::variation::social::presets() {
        s += &format!(
            "  {:<18} {}x{}{}  {}\n",
            p.name,
            p.width,
            p.height,
            match (p.circle, p.opt_in) {
                (true, true) => ", circle, opt-in",
                (true, false) => ", circle",
                (false, true) => ", opt-in",
                (false, false) => "",
            },
            p.description
        );
    }
    s
}

/// Batch logo processor: one logo in, every file a brand needs out.
#[derive(Debug, Parser)]
#[command(name = "logoproc", version = logoproc::VERSION, about, after_help = after_help())]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build variations of each input logo.
    #[command(after_help = after_help())]
    Build(BuildArgs),
    /// Show the jobs and the worker allocator's decision, and build nothing.
    Plan(Selection),
    /// List every variation and the files it writes.
    Variations,
    /// Check a built kit as stores and browsers will take it (ICO sizes, icon alpha
    /// rules, the web manifest and the files it names, head.html links, safe zones);
    /// exit 1 on a problem.
    Check(CheckArgs),
}

/// `check`: the folder and the report's form.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A logo's output folder (<out>/<stem>) or the output folder.
    #[arg(value_name = "FOLDER")]
    pub folder: PathBuf,
    /// Print one JSON document on stdout instead of the text report.
    #[arg(long)]
    pub json: bool,
}

/// `build`: a selection and how to run it.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub sel: Selection,
    /// Rebuild every logo, even those unchanged since their last build in this output
    /// folder (see <out>/.logoproc/state).
    #[arg(long)]
    pub force: bool,
    /// When another run is writing the output folder, wait for it to end instead of
    /// failing at once.
    #[arg(long)]
    pub wait_lock: bool,
}

/// Inputs, variations and run settings shared by `build` and `plan`.
#[derive(Debug, Args)]
pub struct Selection {
    /// Logo files, folders (searched recursively, in sorted order, hidden files skipped)
    /// or quoted glob patterns such as 'logos/**/*.png'.
    #[arg(required_unless_present = "from_list", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Also read inputs from FILE, one path a line; `-` reads standard input
    /// (`find logos -name '*.png' | logoproc build --from-list -`).
    #[arg(long, value_name = "FILE")]
    pub from_list: Option<PathBuf>,
    /// Build only part K of N of the inputs (0 <= K < N), chosen by a stable hash of each
    /// input's path relative to its folder: N processes with K = 0..N-1 build the batch
    /// once between them. See the README for Kubernetes, Slurm and GNU parallel.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Build every variation.
    #[arg(long, conflicts_with = "variation")]
    pub all: bool,
    /// Variations to build, comma-separated (see `logoproc variations`).
    #[arg(long, value_delimiter = ',', value_name = "NAME", value_parser = parse_variation)]
    pub variation: Vec<Variation>,
    /// Output folder [default: logoproc-out].
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Configuration file [default: ./logoproc.toml if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads, overriding the allocator.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// PNG compression effort: fast (larger files), balanced, or small (oxipng, slowest)
    /// [default: build.png in the configuration, else balanced].
    #[arg(long, value_name = "EFFORT", value_parser = ["fast", "balanced", "small"])]
    pub png: Option<String>,
    /// The page of a PDF or Illustrator input that holds the logo, counted from 1
    /// [default: input.page in the configuration, else 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub page: Option<u32>,
    /// Artwork for the square and small outputs (favicons, app icons, avatars): a square
    /// mark, used for every logo without `<stem>.mark.svg` or `.png` beside it
    /// [default: input.mark in the configuration].
    #[arg(long, value_name = "FILE")]
    pub mark: Option<PathBuf>,
    /// The web app's name in site.webmanifest [default: favicon.name, else the file stem].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The short name under the home-screen icon [default: favicon.short_name, else
    /// derived from the name].
    #[arg(long, value_name = "NAME")]
    pub short_name: Option<String>,
    /// theme_color of the manifest and head.html, #RRGGBB [default: the automatic
    /// background].
    #[arg(long, value_name = "#RRGGBB")]
    pub theme_color: Option<String>,
    /// background_color of the manifest, #RRGGBB [default: the automatic background].
    #[arg(long, value_name = "#RRGGBB")]
    pub background_color: Option<String>,
    /// The path the site serves the favicons from, such as /app/ [default: /].
    #[arg(long, value_name = "PATH")]
    pub base_path: Option<String>,
    /// Print one JSON document on stdout instead of the text summary.
    #[arg(long)]
    pub json: bool,
}

fn parse_variation(name: &str) -> Result<Variation, String> {
    Variation::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Variation::ALL.iter().map(|v| v.name()).collect();
        format!("unknown variation (known: {})", names.join(", "))
    })
}

impl Selection {
    /// The inputs: those named, then those listed, and the shard.
    pub fn inputs(&self) -> logoproc::error::Result<Inputs> {
        let mut paths = self.inputs.clone();
        match self.from_list.as_deref() {
            Some(list) if list == Path::new("-") => {
                let stdin = std::io::stdin().lock();
                paths.extend(plan::read_list(stdin, Path::new("standard input"))?);
            }
            Some(list) => {
                let file = std::fs::File::open(list).map_err(|e| logoproc::Error::Read {
                    path: list.to_path_buf(),
                    reason: e.to_string(),
                })?;
                paths.extend(plan::read_list(std::io::BufReader::new(file), list)?);
            }
            None => {}
        }
        Ok(Inputs {
            paths,
            shard: self.shard,
        })
    }

    /// The effective configuration (file, then flags) and the variations to build.
    pub fn resolve(&self) -> logoproc::error::Result<(Config, Vec<Variation>)> {
        let mut config = Config::load(self.config.as_deref())?;
        if let Some(out) = &self.out {
            config.build.out = out.clone();
        }
        config.parallel.jobs = self.jobs.map(usize::from);
        if let Some(page) = self.page {
            config.input.page = page;
        }
        if let Some(mark) = &self.mark {
            config.input.mark = Some(mark.clone());
        }
        let favicon = &mut config.favicon;
        for (flag, key) in [
            (&self.name, &mut favicon.name),
            (&self.short_name, &mut favicon.short_name),
            (&self.theme_color, &mut favicon.theme_color),
            (&self.background_color, &mut favicon.background_color),
            (&self.base_path, &mut favicon.base_path),
        ] {
            if let Some(value) = flag {
                key.clone_from(value);
            }
        }
        if let Some(png) = &self.png {
            config.build.png = match png.as_str() {
                "fast" => PngEffort::Fast,
                "small" => PngEffort::Small,
                _ => PngEffort::Balanced,
            };
        }
        config.validate()?;
        let variations = if self.all {
            Variation::ALL.to_vec()
        } else if !self.variation.is_empty() {
            self.variation.clone()
        } else {
            config.build.variations.clone()
        };
        Ok((config, variations))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn variation_list_parses() {
        let cli =
            Cli::try_parse_from(["logoproc", "build", "a.png", "--variation", "vector,social"])
                .unwrap();
        let Command::Build(build) = cli.command else {
            panic!()
        };
        assert_eq!(
            build.sel.variation,
            vec![Variation::Vector, Variation::Social]
        );
        assert!(
            Cli::try_parse_from(["logoproc", "build", "a.png", "--variation", "nope"]).is_err()
        );
        assert!(Cli::try_parse_from([
            "logoproc",
            "build",
            "a.png",
            "--all",
            "--variation",
            "vector"
        ])
        .is_err());
        assert!(Cli::try_parse_from(["logoproc", "build", "a.png", "-j", "0"]).is_err());
    }
}
