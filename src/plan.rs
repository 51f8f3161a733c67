//! Inputs x variations -> jobs, with output paths resolved and collisions rejected.
//! Touches no pixels: only file names and image headers are read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::source;
use crate::variation::Variation;

/// One input file.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// The path as found.
    pub path: PathBuf,
    /// The name its outputs are filed under: `<out>/<stem>/`.
    pub stem: String,
    /// Estimated pixels to work on (0 when unknown).
    pub pixels: u64,
    /// A problem known before decoding (missing file, unsupported type).
    pub problem: Option<String>,
}

/// One (logo, variation) job.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// Index into [`Plan::inputs`].
    pub input: usize,
    /// What to build.
    pub variation: Variation,
    /// Expected milliseconds on one core (orders the queue: longest first).
    pub cost_ms: f64,
    /// Estimated peak memory in bytes.
    pub memory: u64,
    /// Where its files go.
    pub out_dir: PathBuf,
}

/// Everything a run will do.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The effective configuration.
    pub config: Config,
    /// The inputs, in order.
    pub inputs: Vec<Input>,
    /// The jobs, inputs in order and variations in table order for each.
    pub jobs: Vec<Job>,
}

impl Plan {
    /// Job indices in the order they start: longest expected first, plan order on ties.
    pub fn queue(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.jobs.len()).collect();
        order.sort_by(|&a, &b| self.jobs[b].cost_ms.total_cmp(&self.jobs[a].cost_ms));
        order
    }

    /// The jobs in queue order, one line each, then the allocator's decision.
    pub fn to_text(&self, decision: &crate::workers::Decision) -> String {
        let mut s = String::new();
        for &i in &self.queue() {
            let job = &self.jobs[i];
            let input = &self.inputs[job.input];
            s += &format!(
                "{:<12} {:<40} ~{:>6.0} ms ~{:>5} MiB -> {}{}\n",
                job.variation.name(),
                input.path.display(),
                job.cost_ms,
                job.memory >> 20,
                job.out_dir.display(),
                input
                    .problem
                    .as_ref()
                    .map(|p| format!(" (will fail: {p})"))
                    .unwrap_or_default()
            );
        }
        s + &decision.reason + "\n"
    }

    /// The inputs, the jobs and the allocator's decision as one JSON document.
    pub fn to_json(&self, decision: &crate::workers::Decision) -> String {
        let doc = serde_json::json!({
            "inputs": self.inputs,
            "jobs": self.jobs,
            "allocation": decision,
        });
        serde_json::to_string_pretty(&doc).expect("the plan is plain data") + "\n"
    }

    /// Each job's memory estimate, for the allocator.
    pub fn job_memory(&self) -> Vec<u64> {
        self.jobs.iter().map(|j| j.memory).collect()
    }
}

/// Expand `paths` (files and folders) and pair every input with every variation.
///
/// Folders are searched recursively for supported files (hidden ones skipped), in sorted
/// order. A named file that is missing or unsupported stays in the plan with its problem,
/// so it fails alone. Two inputs with the same stem are an error before any work.
pub fn plan(paths: &[PathBuf], variations: &[Variation], config: Config) -> Result<Plan> {
    let files = expand(paths, &config.build.out)?;
    if files.is_empty() {
        return Err(Error::NoInputs(format!(
            "no supported images ({}) in {}",
            source::SUPPORTED,
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let out = config.build.out.clone();
    let mut by_stem: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut inputs = Vec::new();
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "logo".to_string());
        if let Some(first) = by_stem.insert(stem.clone(), path.clone()) {
            return Err(Error::Collision {
                first,
                second: path,
                out: out.join(&stem),
            });
        }
        let mut problem = problem(&path, &stem);
        let mut pixels = 0;
        if problem.is_none() {
            match estimate_pixels(&path, &config) {
                Ok(p) => pixels = p,
                Err(e) => problem = Some(e),
            }
        }
        inputs.push(Input {
            path,
            stem,
            pixels,
            problem,
        });
    }
    let mut jobs = Vec::new();
    let mut variations = variations.to_vec();
    variations.sort();
    variations.dedup();
    for (i, input) in inputs.iter().enumerate() {
        // Unknown size: plan for a 1-megapixel logo. The decoded source adds 8 bytes a pixel.
        let pixels = if input.pixels == 0 {
            1_000_000
        } else {
            input.pixels
        };
        for &variation in &variations {
            let (cost_ms, memory) = variation.estimate(pixels, source::is_svg(&input.path));
            jobs.push(Job {
                input: i,
                variation,
                cost_ms,
                memory: memory + 8 * pixels,
                out_dir: out.join(&input.stem).join(variation.name()),
            });
        }
    }
    Ok(Plan {
        config,
        inputs,
        jobs,
    })
}

/// Files named directly, and supported files found in named folders (never inside the
/// output folder `out_dir`, so a re-run does not take its own outputs as inputs).
fn expand(paths: &[PathBuf], out_dir: &Path) -> Result<Vec<PathBuf>> {
    let out_dir = std::fs::canonicalize(out_dir).ok();
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let walker = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                    let is_out = e.file_type().is_dir()
                        && out_dir.is_some()
                        && std::fs::canonicalize(e.path()).ok() == out_dir;
                    !hidden && !is_out
                });
            for entry in walker {
                let entry = entry.map_err(|e| Error::Read {
                    path: e.path().unwrap_or(path).to_path_buf(),
                    reason: e.to_string(),
                })?;
                if entry.file_type().is_file() && source::is_supported(entry.path()) {
                    out.push(entry.into_path());
                } else if entry.file_type().is_file() {
                    tracing::debug!("skipping {}: not a supported image", entry.path().display());
                }
            }
        } else {
            out.push(path.clone());
        }
    }
    // The same file named twice (or reached twice) is one input.
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}

/// What is wrong with a named file before reading it, if anything.
fn problem(path: &Path, stem: &str) -> Option<String> {
    if stem == "." || stem == ".." {
        return Some(format!(
            "{}: this file name cannot name an output folder; rename the file",
            path.display()
        ));
    }
    if !path.exists() {
        return Some(format!("{}: cannot read: no such file", path.display()));
    }
    if !source::is_supported(path) {
        return Some(format!(
            "{}: unsupported file type (supported: {})",
            path.display(),
            source::SUPPORTED
        ));
    }
    None
}

/// Pixels the master will have: the raster's size from its header (0 when the header is
/// unreadable: decoding will say why), or the SVG render size. A header over
/// `limits.max_side` is refused here, so it neither runs nor skews the memory estimate.
fn estimate_pixels(path: &Path, config: &Config) -> Result<u64, String> {
    if source::is_svg(path) {
        let side = config.limits.svg_render_size as u64;
        return Ok(side * side);
    }
    let dims = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .ok()
        .and_then(|r| r.into_dimensions().ok());
    match dims {
        Some((w, h)) if w.max(h) > config.limits.max_side => Err(format!(
            "{}: refused: image is {w}x{h}, over limits.max_side {} px",
            path.display(),
            config.limits.max_side
        )),
        Some((w, h)) => Ok(w as u64 * h as u64),
        None => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"x").unwrap();
        p
    }

    #[test]
    fn folders_expand_sorted_recursive_skipping_hidden_and_unsupported() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "b.png");
        touch(dir.path(), "a.svg");
        touch(dir.path(), "notes.txt");
        touch(dir.path(), ".hidden.png");
        touch(dir.path(), ".git/c.png");
        touch(dir.path(), "sub/d.jpg");
        let plan = plan(
            &[dir.path().to_path_buf()],
            &[Variation::Transparent],
            Config::default(),
        )
        .unwrap();
        let stems: Vec<&str> = plan.inputs.iter().map(|i| i.stem.as_str()).collect();
        assert_eq!(stems, ["a", "b", "d"]);
    }

    #[cfg(unix)]
    #[test]
    fn folders_follow_symlinked_images() {
        let dir = tempfile::tempdir().unwrap();
        let real = touch(dir.path(), "elsewhere/real.png");
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("in/linked.png")).unwrap();
        let plan = plan(
            &[dir.path().join("in")],
            &[Variation::Transparent],
            Config::default(),
        )
        .unwrap();
        let stems: Vec<&str> = plan.inputs.iter().map(|i| i.stem.as_str()).collect();
        assert_eq!(stems, ["linked"]);
    }

    #[test]
    fn plan_text_marks_inputs_that_will_fail() {
        let dir = tempfile::tempdir().unwrap();
        let ok = touch(dir.path(), "ok.png");
        let plan = plan(
            &[ok, dir.path().join("gone.png")],
            &[Variation::Vector],
            Config::default(),
        )
        .unwrap();
        let decision = crate::workers::allocate(
            &crate::workers::Resources {
                cpus: 2,
                total_memory: 1 << 34,
                available_memory: 1 << 33,
            },
            &plan.job_memory(),
            &plan.config.parallel,
        );
        let text = plan.to_text(&decision);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        let gone = lines.iter().find(|l| l.contains("gone.png")).unwrap();
        assert!(
            gone.contains("(will fail: ") && gone.contains("no such file"),
            "{gone}"
        );
        let ok = lines.iter().find(|l| l.contains("ok.png")).unwrap();
        assert!(!ok.contains("will fail"), "{ok}");
        assert_eq!(*lines.last().unwrap(), decision.reason);
    }

    #[test]
    fn the_output_folder_is_not_an_input() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "a.png");
        touch(dir.path(), "out/a/transparent/a.png");
        let config = Config {
            build: crate::config::BuildConfig {
                out: dir.path().join("out"),
                ..Default::default()
            },
            ..Default::default()
        };
        let plan = plan(
            &[dir.path().to_path_buf()],
            &[Variation::Transparent],
            config,
        )
        .unwrap();
        assert_eq!(plan.inputs.len(), 1);
    }

    #[test]
    fn dot_stems_and_oversized_headers_fail_alone_and_duplicates_merge() {
        let dir = tempfile::tempdir().unwrap();
        let dots = touch(dir.path(), "...png");
        let a = touch(dir.path(), "a.png");
        let again = dir.path().join("sub/../a.png");
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        let huge = dir.path().join("huge.png");
        image::RgbaImage::new(40, 2).save(&huge).unwrap();
        let config = Config {
            limits: crate::config::LimitsConfig {
                max_side: 32,
                ..Default::default()
            },
            ..Default::default()
        };
        let plan = plan(&[dots, a, again, huge], &[Variation::Transparent], config).unwrap();
        assert_eq!(plan.inputs.len(), 3);
        assert!(plan.inputs[0].problem.as_ref().unwrap().contains("rename"));
        assert!(plan.inputs[2]
            .problem
            .as_ref()
            .unwrap()
            .contains("max_side"));
        assert_eq!(plan.inputs[2].pixels, 0);
    }

    #[test]
    fn stem_collision_is_an_error_before_work() {
        let dir = tempfile::tempdir().unwrap();
        let a = touch(dir.path(), "logo.png");
        let b = touch(dir.path(), "logo.jpg");
        let err = plan(&[a, b], &Variation::ALL, Config::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("logo.png") && err.contains("logo.jpg"),
            "{err}"
        );
    }

    #[test]
    fn missing_and_unsupported_named_files_fail_alone() {
        let dir = tempfile::tempdir().unwrap();
        let ok = touch(dir.path(), "ok.png");
        let txt = touch(dir.path(), "readme.txt");
        let missing = dir.path().join("missing.png");
        let plan = plan(&[ok, txt, missing], &[Variation::Vector], Config::default()).unwrap();
        assert_eq!(plan.inputs[0].problem, None);
        assert!(plan.inputs[1]
            .problem
            .as_ref()
            .unwrap()
            .contains("unsupported"));
        assert!(plan.inputs[2]
            .problem
            .as_ref()
            .unwrap()
            .contains("no such file"));
        assert_eq!(plan.jobs.len(), 3);
    }

    #[test]
    fn jobs_pair_inputs_with_variations_and_queue_longest_first() {
        let dir = tempfile::tempdir().unwrap();
        let a = touch(dir.path(), "a.svg");
        let plan = plan(
            &[a],
            &[Variation::Social, Variation::Transparent, Variation::Vector],
            Config::default(),
        )
        .unwrap();
        let vs: Vec<Variation> = plan.jobs.iter().map(|j| j.variation).collect();
        assert_eq!(
            vs,
            [Variation::Transparent, Variation::Vector, Variation::Social]
        );
        assert_eq!(plan.jobs[1].out_dir, Path::new("logoproc-out/a/vector"));
        let costs: Vec<f64> = plan.queue().iter().map(|&i| plan.jobs[i].cost_ms).collect();
        assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
        // An SVG is not traced: its vector job is the cheapest.
        assert_eq!(
            plan.jobs[*plan.queue().last().unwrap()].variation,
            Variation::Vector
        );
    }

    #[test]
    fn nothing_to_do_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "notes.txt");
        assert!(plan(
            &[dir.path().to_path_buf()],
            &Variation::ALL,
            Config::default()
        )
        .is_err());
    }
}
