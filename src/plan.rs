//! Inputs x variations -> jobs (each job's output folder derived by [`Plan::out_dir`]),
//! with collisions rejected.
//! Touches no pixels: only file names and image headers are read.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::source;
use crate::variation::Variation;

/// One input file. A batch holds one of these per logo for the whole run, so it keeps
/// what cannot be derived only: its stem and shard key are derived from its path.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as found.
    pub path: Box<Path>,
    /// How many of the path's leading components are the folder or glob base it was
    /// found under, which its shard key leaves out (0 for a file named as it is).
    key_from: u32,
    /// Estimated pixels to work on (0 when unknown).
    pub pixels: u64,
    /// Height over width, from the header (1 when unknown, and for SVG inputs).
    pub aspect: f64,
    /// A problem known before decoding (missing file, unsupported type).
    pub problem: Option<Box<str>>,
}

impl Input {
    /// The name its outputs are filed under: `<out>/<stem>/`.
    pub fn stem(&self) -> Cow<'_, str> {
        stem_of(&self.path)
    }

    /// What decides its shard: the path relative to the folder or glob base it was found
    /// under, or the path as named.
    pub fn key(&self) -> String {
        key_of(&self.path, self.key_from)
    }
}

/// The plan's JSON shows the derived stem and key too.
impl Serialize for Input {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            path: &'a Path,
            stem: Cow<'a, str>,
            key: String,
            pixels: u64,
            aspect: f64,
            problem: Option<&'a str>,
        }
        Shown {
            path: &self.path,
            stem: self.stem(),
            key: self.key(),
            pixels: self.pixels,
            aspect: self.aspect,
            problem: self.problem.as_deref(),
        }
        .serialize(s)
    }
}

/// The stem of an input's path: its file name without the extension, or "logo".
fn stem_of(path: &Path) -> Cow<'_, str> {
    path.file_stem()
        .map(|s| s.to_string_lossy())
        .filter(|s| !s.is_empty())
        .unwrap_or(Cow::Borrowed("logo"))
}

/// One (logo, variation) job. Its files go to [`Plan::out_dir`]; a batch holds one of
/// these per job for the whole run, so it keeps nothing that can be derived.
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
    /// The shard this plan is, if any.
    pub shard: Option<Shard>,
    /// The stems of the whole batch when this plan is a shard of it (see
    /// [`Plan::batch_stems`]); empty otherwise, where they are the inputs' own.
    shard_batch: Vec<String>,
}

impl Plan {
    /// The stems of the whole batch, every shard's, in order (the batch preview page
    /// lists them all, so that every shard writes the same page).
    pub fn batch_stems(&self) -> Vec<Cow<'_, str>> {
        if self.shard.is_some() {
            self.shard_batch
                .iter()
                .map(|s| Cow::Borrowed(s.as_str()))
                .collect()
        } else {
            self.inputs.iter().map(|i| i.stem()).collect()
        }
    }

    /// Job indices in the order they start: the inputs in windows of `window` logos, in
    /// order; within a window, each logo's longest job first (it decodes the logo, which
    /// the logo's other jobs then share without waiting), then the other jobs longest
    /// first (plan order on ties).
    ///
    /// Workers take jobs in this order, and a logo's decoded source lives from its first
    /// job's start to its last job's end, so at most `workers + window` sources are held
    /// at once, however long the batch: memory does not grow with it.
    pub fn queue(&self, window: usize) -> Vec<usize> {
        let window = window.max(1);
        let mut leader: Vec<Option<usize>> = vec![None; self.inputs.len()];
        for (i, job) in self.jobs.iter().enumerate() {
            let l = &mut leader[job.input];
            if l.is_none_or(|l| self.jobs[l].cost_ms < job.cost_ms) {
                *l = Some(i);
            }
        }
        let mut order: Vec<usize> = (0..self.jobs.len()).collect();
        order.sort_by(|&a, &b| {
            let (ja, jb) = (&self.jobs[a], &self.jobs[b]);
            let follower = |i: usize, j: &Job| leader[j.input] != Some(i);
            (ja.input / window)
                .cmp(&(jb.input / window))
                .then(follower(a, ja).cmp(&follower(b, jb)))
                .then(jb.cost_ms.total_cmp(&ja.cost_ms))
        });
        order
    }

    /// The jobs in queue order, one line each, then the allocator's decision.
    pub fn to_text(&self, decision: &crate::workers::Decision) -> String {
        let mut s = String::new();
        for &i in &self.queue(decision.window) {
            let job = &self.jobs[i];
            let input = &self.inputs[job.input];
            s += &format!(
                "{:<12} {:<40} ~{:>6.0} ms ~{:>5} MiB -> {}{}\n",
                job.variation.name(),
                input.path.display(),
                job.cost_ms,
                job.memory >> 20,
                self.out_dir(job).display(),
                input
                    .problem
                    .as_ref()
                    .map(|p| format!(" (will fail: {p})"))
                    .unwrap_or_default()
            );
        }
        s + &decision.reason + "\n"
    }

    /// Where `job`'s files go: `<out>/<stem>/<variation>`.
    pub fn out_dir(&self, job: &Job) -> PathBuf {
        let stem = self.inputs[job.input].stem();
        self.config
            .build
            .out
            .join(&*stem)
            .join(job.variation.name())
    }

    /// The inputs, the jobs (each with its `out_dir`) and the allocator's decision as one
    /// JSON document.
    pub fn to_json(&self, decision: &crate::workers::Decision) -> String {
        #[derive(Serialize)]
        struct JobOut<'a> {
            #[serde(flatten)]
            job: &'a Job,
            out_dir: PathBuf,
        }
        let jobs: Vec<JobOut> = self
            .jobs
            .iter()
            .map(|job| JobOut {
                job,
                out_dir: self.out_dir(job),
            })
            .collect();
        let doc = serde_json::json!({
            "inputs": self.inputs,
            "jobs": jobs,
            "allocation": decision,
        });
        serde_json::to_string_pretty(&doc).expect("the plan is plain data") + "\n"
    }

    /// Each job's memory estimate, for the allocator.
    pub fn job_memory(&self) -> Vec<u64> {
        self.jobs.iter().map(|j| j.memory).collect()
    }
}

/// What a run builds from: the paths named on the command line or in a list, and which
/// shard of them this process takes.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Files, folders and glob patterns.
    pub paths: Vec<PathBuf>,
    /// Build only this part of the inputs.
    pub shard: Option<Shard>,
}

impl Inputs {
    /// All of `paths`, unsharded.
    pub fn new(paths: Vec<PathBuf>) -> Inputs {
        Inputs { paths, shard: None }
    }
}

/// Part `index` of `count` (0-based) of a batch: an input belongs to the shard its key
/// hashes to, so each input's shard depends on its own key only, and adding files moves
/// no other file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which part, 0 to count - 1.
    pub index: u32,
    /// How many parts.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Shard, String> {
        let usage = || format!("\"{s}\": expected K/N with 0 <= K < N, for example 0/4");
        let (k, n) = s.split_once('/').ok_or_else(usage)?;
        let index: u32 = k.trim().parse().map_err(|_| usage())?;
        let count: u32 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index >= count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the input with shard key `key` belongs to this shard.
    pub fn contains(&self, key: &str) -> bool {
        let hash = blake3::hash(key.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash.as_bytes()[..8]);
        u64::from_le_bytes(first) % u64::from(self.count) == u64::from(self.index)
    }
}

/// Read a list of inputs, one path a line (blank lines skipped; a trailing `\r` is
/// dropped, so lists written on Windows work). `origin` names the list in errors.
pub fn read_list(reader: impl std::io::BufRead, origin: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for line in reader.lines() {
        let line = line.map_err(|e| Error::Read {
            path: origin.to_path_buf(),
            reason: e.to_string(),
        })?;
        let line = line.strip_suffix('\r').unwrap_or(&line);
        if !line.trim().is_empty() {
            paths.push(PathBuf::from(line));
        }
    }
    Ok(paths)
}

/// A file found from the inputs, with what its shard key leaves out: the components of
/// the folder or glob base it was found under (none for a file named as it is).
struct Found {
    path: PathBuf,
    /// See [`Input::key_from`].
    key_from: u32,
}

impl Found {
    /// `path`, whose shard key is its path relative to `base` (when under it).
    fn under(path: PathBuf, base: &Path) -> Found {
        let key_from = if path.starts_with(base) {
            u32::try_from(base.components().count()).expect("a path has fewer than 2^32 parts")
        } else {
            0
        };
        Found { path, key_from }
    }
}

/// Expand `inputs` (files, folders, globs) and pair every input of the shard with every
/// variation.
///
/// Folders are searched recursively for supported files (hidden ones skipped), in sorted
/// order; a glob pattern (quoted, so the shell leaves it) expands the same way. A named
/// file that is missing or unsupported stays in the plan with its problem, so it fails
/// alone. Two inputs with the same stem are an error before any work, checked over the
/// whole batch so that every shard agrees.
pub fn plan(inputs: &Inputs, variations: &[Variation], config: Config) -> Result<Plan> {
    // Nothing to build is not an error: `find ... -newer stamp | logoproc build
    // --from-list -` from cron lists nothing when nothing changed.
    if inputs.paths.is_empty() {
        tracing::info!("no inputs (the list was empty): nothing to build");
    }
    let files = expand(&inputs.paths, &config.build.out)?;
    if files.is_empty() && !inputs.paths.is_empty() {
        tracing::warn!(
            "no supported images ({}) in {}: nothing to build",
            source::SUPPORTED,
            inputs
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let stems: Vec<Cow<str>> = files.iter().map(|f| stem_of(&f.path)).collect();
    if let Some((first, second)) = find_first_collision(&stems) {
        return Err(Error::Collision {
            first: files[first].path.clone(),
            second: files[second].path.clone(),
            out: config.build.out.join(&*stems[second]),
        });
    }
    let shard_batch = if inputs.shard.is_some() {
        stems.iter().map(|s| s.to_string()).collect()
    } else {
        Vec::new()
    };
    drop(stems);
    let shard = inputs.shard;
    let mut inputs = Vec::new();
    for found in files {
        if !shard.is_none_or(|s| s.contains(&key_of(&found.path, found.key_from))) {
            continue;
        }
        let Found { path, key_from } = found;
        let mut problem = problem(&path, &stem_of(&path));
        let (mut pixels, mut aspect) = (0, 1.0);
        if problem.is_none() {
            match estimate_pixels(&path, &config) {
                Ok(p) => (pixels, aspect) = p,
                Err(e) => problem = Some(e),
            }
        }
        inputs.push(Input {
            path: path.into_boxed_path(),
            key_from,
            pixels,
            aspect,
            problem: problem.map(String::into_boxed_str),
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
            let (cost_ms, memory) = variation.estimate(
                pixels,
                source::is_vector(&input.path),
                input.aspect,
                &config,
            );
            jobs.push(Job {
                input: i,
                variation,
                cost_ms,
                memory: memory + 8 * pixels,
            });
        }
    }
    // Held for the whole run: at their length, not at the capacity pushing grew them to.
    inputs.shrink_to_fit();
    jobs.shrink_to_fit();
    Ok(Plan {
        config,
        inputs,
        jobs,
        shard,
        shard_batch,
    })
}

/// The first input, in order, whose stem an earlier one has, with that earlier one.
/// (Sorted indices: one block, where a map held a copy of every stem and path.)
fn find_first_collision<T: Ord>(stems: &[T]) -> Option<(usize, usize)> {
    let mut order: Vec<usize> = (0..stems.len()).collect();
    order.sort_unstable_by(|&a, &b| stems[a].cmp(&stems[b]).then(a.cmp(&b)));
    let mut best: Option<(usize, usize)> = None;
    let mut group_first = 0;
    for (k, &i) in order.iter().enumerate() {
        if k == 0 || stems[order[k - 1]] != stems[i] {
            group_first = i;
        } else if order[k - 1] == group_first && best.is_none_or(|(_, j)| i < j) {
            best = Some((group_first, i));
        }
    }
    best
}

/// Files named directly, and supported files found in named folders and glob patterns
/// (never inside the output folder `out_dir`, so a re-run does not take its own outputs as
/// inputs).
fn expand(paths: &[PathBuf], out_dir: &Path) -> Result<Vec<Found>> {
    let out_dir = std::fs::canonicalize(out_dir).ok();
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, path, out_dir.as_deref(), &mut out)?;
        } else if !path.exists() && is_pattern(path) {
            let before = out.len();
            glob_into(path, out_dir.as_deref(), &mut out)?;
            if out.len() == before {
                tracing::warn!("{}: no supported images match this pattern", path.display());
            }
        } else {
            out.push(Found {
                path: path.clone(),
                key_from: 0,
            });
        }
    }
    // The same file named twice (or reached twice) is one input.
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| seen.insert(std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone())));
    Ok(out)
}

/// Supported files under the folder `root`, recursively, sorted, hidden entries and the
/// output folder skipped; each keyed by its path relative to `key_base`.
fn walk(
    root: &Path,
    key_base: &Path,
    out_dir: Option<&Path>,
    found: &mut Vec<Found>,
) -> Result<()> {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let is_out = e.file_type().is_dir()
                && out_dir.is_some()
                && std::fs::canonicalize(e.path()).ok().as_deref() == out_dir;
            !hidden && !is_out
        });
    for entry in walker {
        let entry = entry.map_err(|e| Error::Read {
            path: e.path().unwrap_or(root).to_path_buf(),
            reason: e.to_string(),
        })?;
        if entry.file_type().is_file() && is_logo(entry.path()) {
            found.push(Found::under(entry.into_path(), key_base));
        } else if entry.file_type().is_file() {
            note_skipped(entry.path());
        }
    }
    Ok(())
}

/// Whether `path` holds glob syntax (`*`, `?`, `[`).
fn is_pattern(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?', '['])
}

/// The matches of the glob `pattern`, sorted: supported files (others skipped, like a
/// folder's), and matched folders searched like named ones. Hidden names match only a
/// pattern that spells the dot. Keys are relative to the pattern's literal base folder.
fn glob_into(pattern: &Path, out_dir: Option<&Path>, found: &mut Vec<Found>) -> Result<()> {
    let text = pattern.to_string_lossy();
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let matches = glob::glob_with(&text, options).map_err(|e| Error::Read {
        path: pattern.to_path_buf(),
        reason: format!("bad glob pattern: {e}"),
    })?;
    let base: PathBuf = pattern
        .components()
        .take_while(|c| !is_pattern(Path::new(c.as_os_str())))
        .collect();
    for entry in matches {
        let path = entry.map_err(|e| Error::Read {
            path: e.path().to_path_buf(),
            reason: e.error().to_string(),
        })?;
        if path.is_dir() {
            walk(&path, &base, out_dir, found)?;
            continue;
        }
        if is_logo(&path) {
            found.push(Found::under(path, &base));
        } else {
            note_skipped(&path);
        }
    }
    Ok(())
}

/// Whether a folder scan or a pattern builds `path`: a supported file that is not the
/// square mark of a logo beside it (`logo.mark.svg` beside `logo.png`), which is built
/// with that logo.
fn is_logo(path: &Path) -> bool {
    source::is_supported(path) && !source::mark::is_mark_of_a_logo(path)
}

/// Say that a folder scan or a pattern skipped `path`: a designer's master format (see
/// [`source::unread_master`]) at the default verbosity, as it was meant to be a logo;
/// anything else (notes, previews) only in debug.
fn note_skipped(path: &Path) {
    if source::mark::is_mark_of_a_logo(path) {
        tracing::debug!(
            "{} is the square mark of the logo beside it",
            path.display()
        );
        return;
    }
    match source::unread_master(path) {
        Some(why) => tracing::warn!("skipping {}: {why}", path.display()),
        None => tracing::debug!("skipping {}: not a supported image", path.display()),
    }
}

/// A relative path as portable text: `/`-separated, without `.` components. Shard keys
/// use it (the same file has the same key on every machine that names it the same way
/// relative to its input root), and so do the paths recorded in the incremental state.
pub(crate) fn shard_key(path: &Path) -> String {
    key_of(path, 0)
}

/// The shard key of `path` without its first `skip` components (the base it was found
/// under).
fn key_of(path: &Path, skip: u32) -> String {
    path.components()
        .skip(skip as usize)
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
        return Some(match source::unread_master(path) {
            Some(why) => format!("{}: {why}", path.display()),
            None => format!(
                "{}: unsupported file type (supported: {})",
                path.display(),
                source::SUPPORTED
            ),
        });
    }
    None
}

/// Pixels the master will have and its height over width: the raster's size from its
/// header (0 pixels and 1 when the header is unreadable: decoding will say why), or the
/// SVG render size (square). A header over `limits.max_side` is refused here, so it
/// neither runs nor skews the memory estimate.
fn estimate_pixels(path: &Path, config: &Config) -> Result<(u64, f64), String> {
    if source::is_vector(path) {
        let side = config.limits.svg_render_size as u64;
        return Ok((side * side, 1.0));
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
        Some((w, h)) => Ok((w as u64 * h as u64, h as f64 / w.max(1) as f64)),
        None => Ok((0, 1.0)),
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
            &Inputs::new(vec![dir.path().to_path_buf()]),
            &[Variation::Transparent],
            Config::default(),
        )
        .unwrap();
        let stems: Vec<_> = plan.inputs.iter().map(|i| i.stem()).collect();
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
            &Inputs::new(vec![dir.path().join("in")]),
            &[Variation::Transparent],
            Config::default(),
        )
        .unwrap();
        let stems: Vec<_> = plan.inputs.iter().map(|i| i.stem()).collect();
        assert_eq!(stems, ["linked"]);
    }

    #[test]
    fn plan_text_marks_inputs_that_will_fail() {
        let dir = tempfile::tempdir().unwrap();
        let ok = touch(dir.path(), "ok.png");
        let plan = plan(
            &Inputs::new(vec![ok, dir.path().join("gone.png")]),
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
            &Inputs::new(vec![dir.path().to_path_buf()]),
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
        let plan = plan(
            &Inputs::new(vec![dots, a, again, huge]),
            &[Variation::Transparent],
            config,
        )
        .unwrap();
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
        let other = touch(dir.path(), "other.png");
        let err = plan(
            &Inputs::new(vec![a.clone(), other, b.clone()]),
            &Variation::ALL,
            Config::default(),
        )
        .unwrap_err()
        .to_string();
        // The earlier input first, then the one that collides with it.
        let want = format!("{} and {} would both write to ", a.display(), b.display());
        assert!(err.starts_with(&want), "{err}");
    }

    #[test]
    fn the_first_collision_in_input_order_is_reported() {
        let stems = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(find_first_collision(&stems(&["a", "b", "c"])), None);
        assert_eq!(find_first_collision::<String>(&[]), None);
        // "b" collides at input 3, "a" only at input 4, and a third "b" later.
        let s = stems(&["b", "a", "c", "b", "a", "b"]);
        assert_eq!(find_first_collision(&s), Some((0, 3)));
        let s = stems(&["z", "a", "y", "a", "z"]);
        assert_eq!(find_first_collision(&s), Some((1, 3)));
        // Not the first group in sorted order: "z" collides before "a" does.
        let s = stems(&["z", "a", "z", "a"]);
        assert_eq!(find_first_collision(&s), Some((0, 2)));
    }

    #[test]
    fn missing_and_unsupported_named_files_fail_alone() {
        let dir = tempfile::tempdir().unwrap();
        let ok = touch(dir.path(), "ok.png");
        let txt = touch(dir.path(), "readme.txt");
        let missing = dir.path().join("missing.png");
        let plan = plan(
            &Inputs::new(vec![ok, txt, missing]),
            &[Variation::Vector],
            Config::default(),
        )
        .unwrap();
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
            &Inputs::new(vec![a]),
            &[Variation::Social, Variation::Transparent, Variation::Vector],
            Config::default(),
        )
        .unwrap();
        let vs: Vec<Variation> = plan.jobs.iter().map(|j| j.variation).collect();
        assert_eq!(
            vs,
            [Variation::Transparent, Variation::Vector, Variation::Social]
        );
        assert_eq!(
            plan.out_dir(&plan.jobs[1]),
            Path::new("logoproc-out/a/vector")
        );
        let costs: Vec<f64> = plan
            .queue(1)
            .iter()
            .map(|&i| plan.jobs[i].cost_ms)
            .collect();
        assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
        // An SVG is not traced: its vector job is the cheapest.
        assert_eq!(
            plan.jobs[*plan.queue(1).last().unwrap()].variation,
            Variation::Vector
        );
    }

    #[test]
    fn queue_starts_each_logo_of_a_window_before_the_rest_and_windows_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let inputs: Vec<PathBuf> = ["a", "b", "c"]
            .iter()
            .map(|n| touch(dir.path(), &format!("{n}.svg")))
            .collect();
        let p = plan(
            &Inputs::new(inputs),
            &[
                Variation::Social,
                Variation::Transparent,
                Variation::Favicon,
            ],
            Config::default(),
        )
        .unwrap();
        let order: Vec<(usize, Variation)> = p
            .queue(2)
            .iter()
            .map(|&i| (p.jobs[i].input, p.jobs[i].variation))
            .collect();
        let leader = order[0].1;
        assert_eq!(order[..2], [(0, leader), (1, leader)]);
        assert!(order[..6].iter().all(|(input, _)| *input < 2));
        assert_eq!(order[6], (2, leader));
    }

    #[test]
    fn nothing_to_do_is_an_empty_plan() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "notes.txt");
        for inputs in [
            Inputs::new(vec![dir.path().to_path_buf()]),
            Inputs::new(vec![dir.path().join("*.png")]),
            Inputs::default(),
        ] {
            let plan = plan(&inputs, &Variation::ALL, Config::default()).unwrap();
            assert!(plan.inputs.is_empty() && plan.jobs.is_empty(), "{inputs:?}");
        }
    }

    #[test]
    fn globs_expand_like_folders_and_key_by_their_base() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "logos/a.png");
        touch(dir.path(), "logos/b.txt");
        touch(dir.path(), "logos/.c.png");
        touch(dir.path(), "logos/deep/d.svg");
        let pattern = dir.path().join("logos/**/*.*");
        let plan = plan(
            &Inputs::new(vec![pattern]),
            &[Variation::Transparent],
            Config::default(),
        )
        .unwrap();
        let keys: Vec<String> = plan.inputs.iter().map(|i| i.key()).collect();
        assert_eq!(keys, ["a.png", "deep/d.svg"]);
    }

    #[test]
    fn lists_skip_blank_lines_and_carriage_returns() {
        let text = "a.png\r\n\n  \nsub/b.svg\n";
        let paths = read_list(text.as_bytes(), Path::new("list.txt")).unwrap();
        assert_eq!(paths, [PathBuf::from("a.png"), PathBuf::from("sub/b.svg")]);
    }

    #[test]
    fn shards_partition_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..40 {
            touch(dir.path(), &format!("l{i:02}.png"));
        }
        let all = Inputs::new(vec![dir.path().to_path_buf()]);
        let whole = plan(&all, &[Variation::Transparent], Config::default()).unwrap();
        let mut union = Vec::new();
        for index in 0..3 {
            let part = Inputs {
                shard: Some(Shard { index, count: 3 }),
                ..all.clone()
            };
            let p = plan(&part, &[Variation::Transparent], Config::default()).unwrap();
            assert!(!p.inputs.is_empty() && p.inputs.len() < 40);
            assert_eq!(p.batch_stems(), whole.batch_stems());
            union.extend(p.inputs.iter().map(|i| i.stem().into_owned()));
        }
        union.sort();
        let stems: Vec<String> = whole.inputs.iter().map(|i| i.stem().into_owned()).collect();
        assert_eq!(union, stems);
    }

    #[test]
    fn keys_leave_out_the_base_as_strip_prefix_does() {
        let cases = [
            (
                "./x/sub/b.png",
                &[".", "./x", "./x/", "./x/.", "./x/sub", "x", "", "./y"][..],
            ),
            (
                "x/sub/b.png",
                &["x", "x/", "x/sub", ".", "./x", "", "x/su"][..],
            ),
            (
                "/a/b/c.png",
                &["/", "/a", "/a/b", "/a/b/c.png", "/z", "a"][..],
            ),
        ];
        for (path, bases) in cases {
            let path = PathBuf::from(path);
            for base in bases {
                let base = Path::new(base);
                let want = shard_key(path.strip_prefix(base).unwrap_or(&path));
                let found = Found::under(path.clone(), base);
                assert_eq!(
                    key_of(&found.path, found.key_from),
                    want,
                    "{path:?} under {base:?}"
                );
            }
        }
    }

    #[test]
    fn shard_syntax_is_checked() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, count: 4 }));
        for bad in ["4/4", "1", "a/2", "0/0", "-1/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shard_keys_do_not_depend_on_the_root() {
        assert_eq!(shard_key(Path::new("./a/b.png")), "a/b.png");
        let keys = |root: &Path| -> Vec<String> {
            touch(root, "x/sub/b.png");
            let inputs = Inputs::new(vec![root.join("x")]);
            let p = plan(&inputs, &[Variation::Transparent], Config::default()).unwrap();
            p.inputs.iter().map(|i| i.key()).collect()
        };
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        assert_eq!(keys(one.path()), ["sub/b.png"]);
        assert_eq!(keys(one.path()), keys(&two.path().join("elsewhere")));
    }
}
