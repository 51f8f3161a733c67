//! Configuration as plain data: defaults, the TOML file, and validation.
//!
//! Precedence: command-line flags override the file, the file overrides these defaults.
//! Unknown keys and bad values are errors that name the key.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::color::Rgb;
use crate::error::{Error, Result};
use crate::variation::Variation;

/// The file looked for in the working folder when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "logoproc.toml";

/// Everything that shapes a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// What to build and where.
    pub build: BuildConfig,
    /// How inputs are read.
    pub input: InputConfig,
    /// Decoding limits.
    pub limits: LimitsConfig,
    /// The worker allocator.
    pub parallel: ParallelConfig,
    /// The transparent master and PNG.
    pub transparent: TransparentConfig,
    /// The vector trace.
    pub vector: VectorConfig,
    /// Social-media images.
    pub social: SocialConfig,
    /// `[favicon]`.
    pub favicon: FaviconConfig,
    /// `[print]`.
    pub print: PrintConfig,
    /// `[distressed]`.
    pub distressed: DistressedConfig,
    /// `[halftone]`.
    pub halftone: HalftoneConfig,
    /// `[cutline]`.
    pub cutline: CutlineConfig,
    /// `[separations]`.
    pub separations: SeparationsConfig,
}

/// `[build]`: what to build and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BuildConfig {
    /// Variations built when neither `--all` nor `--variation` is given. Default: all.
    pub variations: Vec<Variation>,
    /// Output folder. Default: "logoproc-out".
    pub out: PathBuf,
    /// PNG compression effort. Default: balanced.
    pub png: PngEffort,
}

/// `[input]`: how inputs are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InputConfig {
    /// The page of a PDF or Illustrator input that holds the logo, counted from 1.
    /// Default: 1.
    pub page: u32,
    /// An SVG's text that no installed font can draw: "fail" fails the logo's jobs,
    /// "warn" builds without it and says so in the report. Default: "fail".
    pub missing_text: MissingText,
    /// Artwork for the square and small outputs (favicons, app icons, avatars) of every
    /// logo that has no `<stem>.mark.svg` or `.png` beside it. Default: none.
    pub mark: Option<PathBuf>,
}

impl Default for InputConfig {
    fn default() -> Self {
        Self {
            page: 1,
            missing_text: MissingText::Fail,
            mark: None,
        }
    }
}

/// What to do with an SVG's text that no installed font can draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingText {
    /// Fail the logo's jobs, naming the text and the font asked for.
    Fail,
    /// Build without that text, with a warning naming it.
    Warn,
}

/// How hard PNG files are compressed: the trade between a run's time and file sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PngEffort {
    /// The fastest deflate (fdeflate): several times faster to write, larger files.
    Fast,
    /// zlib's default level with adaptive filters.
    Balanced,
    /// Balanced, then oxipng's lossless optimisation (preset 2): smallest, slowest.
    Small,
}

impl Default for BuildConfig {
    fn default() -> Self {
        Self {
            variations: Variation::ALL.to_vec(),
            out: PathBuf::from("logoproc-out"),
            png: PngEffort::Balanced,
        }
    }
}

/// `[limits]`: what an input may cost to decode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Largest width or height of a raster input, in pixels. Default: 16384.
    pub max_side: u32,
    /// Largest allocation a decoder may make, in MiB. Default: 1024.
    pub max_alloc_mib: u64,
    /// Largest input file, in MiB (SVG is parsed whole in memory). Default: 64.
    pub max_file_mib: u64,
    /// Longest side, in pixels, at which an SVG input is rendered for the transparent
    /// master (the PNG and the trace). Default: 1024.
    pub svg_render_size: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_side: 16384,
            max_alloc_mib: 1024,
            max_file_mib: 64,
            svg_render_size: 1024,
        }
    }
}

/// `[parallel]`: how the worker allocator sizes the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParallelConfig {
    /// Most workers; 0 means one per logical CPU. Default: 0.
    pub max_workers: usize,
    /// Upper bound on jobs in flight; 0 means no bound. Default: 0.
    pub max_concurrent_tasks: usize,
    /// Percent of memory in use above which the allocator gives fewer workers, so that the
    /// estimated memory of the jobs in flight fits in what is available. Default: 85.
    pub memory_threshold: f64,
    /// Size the pool to the job count (up to `max_concurrent_tasks`), so every job has its
    /// own worker even beyond the CPU count. Default: false.
    pub dedicated_worker_per_task: bool,
    /// Use `max_workers` whatever the memory estimate says. Default: false.
    pub force_max_workers: bool,
    /// Seconds a job may run before it is abandoned as failed (fractions allowed). Default: 600.
    pub timeout_seconds: f64,
    /// `--jobs N` from the command line; not read from the file.
    #[serde(skip)]
    pub jobs: Option<usize>,
}

impl Default for ParallelConfig {
    fn default() -> Self {
        Self {
            max_workers: 0,
            max_concurrent_tasks: 0,
            memory_threshold: 85.0,
            dedicated_worker_per_task: false,
            force_max_workers: false,
            timeout_seconds: 600.0,
            jobs: None,
        }
    }
}

/// `[transparent]`: background removal and the transparent PNG.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TransparentConfig {
    /// Padding added on every side after trimming, as a fraction of the content's longest
    /// side. Default: 0.04.
    pub padding: f64,
    /// Colour distance (0-441, RGB Euclidean) under which a pixel of a lossy input (JPEG,
    /// WebP) counts as background noise; lossless inputs use a level estimated from their
    /// border, at most this. Default: 24.
    pub noise: f64,
    /// Background-coloured regions enclosed by the logo: "auto" keeps those that are a
    /// surface of a multi-colour logo on white or black and clears the rest (see
    /// `matte`), "clear" makes them all transparent, "keep" keeps them all. Default: "auto".
    pub inner_regions: InnerRegions,
}

impl Default for TransparentConfig {
    fn default() -> Self {
        Self {
            padding: 0.04,
            noise: 24.0,
            inner_regions: InnerRegions::Auto,
        }
    }
}

/// What to do with background-coloured regions that the logo encloses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InnerRegions {
    /// Decide per region.
    Auto,
    /// Make every enclosed region transparent.
    Clear,
    /// Keep every enclosed region opaque.
    Keep,
}

/// `[vector]`: the trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VectorConfig {
    /// Most colours in the traced palette. Default: 8.
    pub max_colors: usize,
    /// Specks smaller than this side length in pixels are dropped. Default: 4.
    pub filter_speckle: usize,
    /// Corner threshold in degrees for curve fitting. Default: 60.
    pub corner_threshold: i32,
    /// Decimal places in path coordinates, in tracing units (pixels of the logo up to
    /// `max_trace_side`; vtracer traces logos under 400 px at 2x). Default: 1.
    pub path_precision: u32,
    /// vtracer's curve simplification tolerance in pixels of the logo: smooth runs of
    /// curves are re-fitted with the fewest that stay this close (0: off; the fitted
    /// tracer fits within 0.3 px itself). Default: 0.5.
    pub simplify: f32,
    /// Longest side, in pixels, at which a logo is traced; larger logos are reduced to it
    /// first (the SVG keeps the logo's size). Default: 1024.
    pub max_trace_side: u32,
    /// The tracer: `fit` (sub-pixel outlines fitted with lines, arcs and curves) or
    /// `vtracer` (vtracer's pixel-mask tracing). Default: fit.
    pub tracer: Tracer,
    /// Whether the fitted tracer draws a region whose colour runs smoothly across it as
    /// a linear or radial gradient (`false`: flat colours only, as for vinyl or
    /// embroidery). Default: true.
    pub gradients: bool,
}

/// Which tracer draws the vector outlines of raster logos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tracer {
    /// Outlines placed by the anti-aliased edges and fitted as a designer draws.
    Fit,
    /// vtracer's outlines of the pixel masks.
    Vtracer,
}

impl Default for VectorConfig {
    fn default() -> Self {
        Self {
            max_colors: 8,
            filter_speckle: 4,
            corner_threshold: 60,
            path_precision: 1,
            simplify: 0.5,
            max_trace_side: 1024,
            gradients: true,
            tracer: Tracer::Fit,
        }
    }
}

/// `[favicon]`: favicons and web app icons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaviconConfig {
    /// The app's name in `site.webmanifest`; empty means the input's file stem with
    /// `-` and `_` as spaces. Default: "".
    pub name: String,
    /// The short name under the home-screen icon; empty means the name when it has at
    /// most 12 characters, else its first word. Default: "".
    pub short_name: String,
    /// `theme_color` of the manifest and `head.html` (`#RRGGBB`); empty means the
    /// automatic background. Default: "".
    pub theme_color: String,
    /// `background_color` of the manifest (`#RRGGBB`); empty means the automatic
    /// background. Default: "".
    pub background_color: String,
    /// The path the site serves the files from: the manifest's `id`, `start_url` and
    /// `scope`, and the prefix of the links in `head.html`. Default: "/".
    pub base_path: String,
}

impl Default for FaviconConfig {
    fn default() -> Self {
        Self {
            name: String::new(),
            short_name: String::new(),
            theme_color: String::new(),
            background_color: String::new(),
            base_path: "/".into(),
        }
    }
}

/// `[print]`: PDF and EPS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrintConfig {
    /// Width of the printed artwork in inches; the height follows the logo's aspect.
    /// Default: 10.
    pub width_in: f64,
}

impl Default for PrintConfig {
    fn default() -> Self {
        Self { width_in: 10.0 }
    }
}

/// `[distressed]`: the worn look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DistressedConfig {
    /// How worn, from 0 (untouched) to 1 (heavily). Default: 0.5.
    pub strength: f64,
    /// The noise's seed: the same seed gives the same bytes. Default: 1.
    pub seed: u64,
}

impl Default for DistressedConfig {
    fn default() -> Self {
        Self {
            strength: 0.5,
            seed: 1,
        }
    }
}

/// `[halftone]`: the dot screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HalftoneConfig {
    /// Screen ruling: cells per inch at the `[print] width_in` size. Default: 20.
    pub lpi: f64,
    /// Screen angle in degrees. Default: 45.
    pub angle: f64,
    /// Dot shape. Default: round.
    pub shape: DotShape,
    /// "#RRGGBB" for one ink, or "colour" for dots in each cell's colour.
    /// Default: "#000000".
    pub ink: String,
    /// Resolution of the PNG, dots per inch at the print size. Default: 300.
    pub dpi: f64,
}

impl Default for HalftoneConfig {
    fn default() -> Self {
        Self {
            lpi: 20.0,
            angle: 45.0,
            shape: DotShape::Round,
            ink: "#000000".to_owned(),
            dpi: 300.0,
        }
    }
}

/// A halftone dot's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DotShape {
    /// Circles.
    Round,
    /// Squares turned to the screen angle.
    Square,
    /// Bars across each cell, joining into lines of varying weight.
    Line,
}

/// `[cutline]`: the sticker cut line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CutlineConfig {
    /// Distance from the logo to the cut, in inches at the `[print] width_in` size.
    /// Default: 0.125 (1/8 in).
    pub offset_in: f64,
    /// Gaps and notches narrower than twice this (inches) are bridged, so that the
    /// sticker is one piece; 0 follows the offset outline exactly. Default: 0.0625.
    pub bridge_in: f64,
}

impl Default for CutlineConfig {
    fn default() -> Self {
        Self {
            offset_in: 0.125,
            bridge_in: 0.0625,
        }
    }
}

/// `[separations]`: films for screen printing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeparationsConfig {
    /// Most flat colours printed as spot inks; logos with more colours, or with
    /// gradients, get CMYK process films instead. Default: 6.
    pub max_inks: usize,
    /// Resolution of the film PNGs and the composite, dots per inch at the print size.
    /// Default: 300.
    pub dpi: f64,
    /// Line screen of the CMYK process films, lines per inch. Default: 45.
    pub lpi: f64,
}

impl Default for SeparationsConfig {
    fn default() -> Self {
        Self {
            max_inks: 6,
            dpi: 300.0,
            lpi: 45.0,
        }
    }
}

/// `[social]`: social-media images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialConfig {
    /// Canvas: "auto" (the input's own background colour when it had one, else white, or
    /// a dark neutral when the logo is light), "#RRGGBB", or "transparent" (for presets
    /// whose platform keeps transparency; others get "auto"). Default: "auto".
    pub background: String,
    /// The canvas per preset family (avatar, banner, share, post), in place of
    /// `background`. Default: {}.
    pub backgrounds: std::collections::BTreeMap<String, String>,
    /// Presets to write, by name; empty means every preset that is not opt-in.
    /// Default: [].
    pub presets: Vec<String>,
    /// Presets added to the built-in ones, or put in place of one of the same name, in
    /// the form of `presets/social.toml`. Default: none.
    pub preset: Vec<crate::variation::social::Preset>,
}

impl Default for SocialConfig {
    fn default() -> Self {
        Self {
            background: "auto".to_owned(),
            backgrounds: Default::default(),
            presets: Vec::new(),
            preset: Vec::new(),
        }
    }
}

impl Config {
    /// Parse TOML text; `origin` names the file in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            Error::Config(format!(
                "{}: {}",
                origin.display(),
                e.to_string().trim().replace('\n', " ")
            ))
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Load `path`, or `logoproc.toml` in the working folder when `path` is `None` and the
    /// file exists, or the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::from_toml(&text, &path),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Config::default())
            }
            Err(e) => Err(Error::Config(format!("{}: {e}", path.display()))),
        }
    }

    /// Check values that the types alone do not constrain; errors name the key.
    pub fn validate(&self) -> Result<()> {
        let bad = |key: &str, why: &str| Err(Error::Config(format!("{key}: {why}")));
        if self.build.variations.is_empty() {
            return bad("build.variations", "must name at least one variation");
        }
        for (key, value) in [
            ("favicon.theme_color", &self.favicon.theme_color),
            ("favicon.background_color", &self.favicon.background_color),
        ] {
            if !value.is_empty() && Rgb::parse_hex(value).is_none() {
                return bad(key, "must be a colour such as \"#1f2937\"");
            }
        }
        if !self.favicon.base_path.starts_with('/')
            || self.favicon.base_path.contains(['"', '<', '>'])
        {
            return bad(
                "favicon.base_path",
                "must be a path starting with \"/\", such as \"/app/\"",
            );
        }
        if self.input.page == 0 {
            return bad("input.page", "pages are counted from 1");
        }
        if !(self.print.width_in >= 0.1 && self.print.width_in <= 200.0) {
            return bad("print.width_in", "must be between 0.1 and 200 inches");
        }
        if !(self.cutline.offset_in > 0.0 && self.cutline.offset_in <= 10.0) {
            return bad(
                "cutline.offset_in",
                "must be more than 0 and at most 10 inches",
            );
        }
        if !(self.cutline.bridge_in >= 0.0 && self.cutline.bridge_in <= 10.0) {
            return bad("cutline.bridge_in", "must be between 0 and 10 inches");
        }
        // A screen ruling and a raster resolution, as halftone and separations use them.
        let screen = |section: &str, lpi: f64, dpi: f64| {
            if !(1.0..=300.0).contains(&lpi) {
                return bad(&format!("{section}.lpi"), "must be between 1 and 300");
            }
            if lpi * self.print.width_in > 2000.0 {
                return bad(
                    &format!("{section}.lpi"),
                    "times print.width_in must be at most 2000 cells across (a screen of millions of dots)",
                );
            }
            if !(10.0..=2400.0).contains(&dpi) {
                return bad(&format!("{section}.dpi"), "must be between 10 and 2400");
            }
            Ok(())
        };
        screen("halftone", self.halftone.lpi, self.halftone.dpi)?;
        screen("separations", self.separations.lpi, self.separations.dpi)?;
        if !self.halftone.angle.is_finite() {
            return bad("halftone.angle", "must be a number of degrees");
        }
        let ink = self.halftone.ink.as_str();
        if !matches!(ink, "colour" | "color") && crate::color::Rgb::parse_hex(ink).is_none() {
            return bad("halftone.ink", "must be \"colour\" or a #RRGGBB colour");
        }
        if !(1..=16).contains(&self.separations.max_inks) {
            return bad("separations.max_inks", "must be between 1 and 16");
        }
        if !(0.0..=1.0).contains(&self.distressed.strength) {
            return bad("distressed.strength", "must be between 0 and 1");
        }
        if self.limits.max_side == 0 {
            return bad("limits.max_side", "must be at least 1");
        }
        if self.limits.max_alloc_mib == 0 {
            return bad("limits.max_alloc_mib", "must be at least 1");
        }
        if self.limits.max_file_mib == 0 {
            return bad("limits.max_file_mib", "must be at least 1");
        }
        if !(16..=8192).contains(&self.limits.svg_render_size) {
            return bad("limits.svg_render_size", "must be between 16 and 8192");
        }
        if !(1.0..=100.0).contains(&self.parallel.memory_threshold) {
            return bad(
                "parallel.memory_threshold",
                "must be a percentage from 1 to 100",
            );
        }
        if !(self.parallel.timeout_seconds > 0.0 && self.parallel.timeout_seconds <= 1e7) {
            return bad(
                "parallel.timeout_seconds",
                "must be a number of seconds above 0",
            );
        }
        if self.parallel.jobs == Some(0) {
            return bad("--jobs", "must be at least 1");
        }
        if !(0.0..=1.0).contains(&self.transparent.padding) {
            return bad("transparent.padding", "must be a fraction from 0 to 1");
        }
        if !(0.0..=200.0).contains(&self.transparent.noise) {
            return bad("transparent.noise", "must be between 0 and 200");
        }
        if !(1..=64).contains(&self.vector.max_colors) {
            return bad("vector.max_colors", "must be between 1 and 64");
        }
        if self.vector.filter_speckle > 64 {
            return bad("vector.filter_speckle", "must be at most 64");
        }
        if !(0..=180).contains(&self.vector.corner_threshold) {
            return bad(
                "vector.corner_threshold",
                "must be between 0 and 180 degrees",
            );
        }
        if self.vector.path_precision > 6 {
            return bad("vector.path_precision", "must be at most 6");
        }
        if !(0.0..=8.0).contains(&self.vector.simplify) {
            return bad("vector.simplify", "must be between 0 and 8 pixels");
        }
        let canvas_ok = |v: &str| v == "auto" || v == "transparent" || Rgb::parse_hex(v).is_some();
        if !canvas_ok(&self.social.background) {
            return bad(
                "social.background",
                "must be \"auto\", \"transparent\" or a colour like \"#FFFFFF\"",
            );
        }
        use crate::variation::social;
        for (family, value) in &self.social.backgrounds {
            if !social::FAMILIES.contains(&family.as_str()) {
                return Err(Error::Config(format!(
                    "social.backgrounds: unknown family \"{family}\" (known: {})",
                    social::FAMILIES.join(", ")
                )));
            }
            if !canvas_ok(value) {
                return Err(Error::Config(format!(
                    "social.backgrounds.{family}: must be \"auto\", \"transparent\" or a colour like \"#FFFFFF\""
                )));
            }
        }
        for p in &self.social.preset {
            if let Some(problem) = p.problem() {
                return Err(Error::Config(format!("social.preset: {problem}")));
            }
        }
        let known = social::all(&self.social);
        for name in &self.social.presets {
            if !known.iter().any(|p| &p.name == name) {
                let names: Vec<&str> = known.iter().map(|p| p.name.as_str()).collect();
                return Err(Error::Config(format!(
                    "social.presets: unknown preset \"{name}\" (known: {})",
                    names.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// A stable fingerprint of everything that affects output bytes.
    pub fn output_fingerprint(&self) -> String {
        let mut c = self.clone();
        c.parallel = ParallelConfig::default();
        c.build.out = PathBuf::new();
        serde_json::to_string(&c).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_loads_and_equals_defaults() {
        let text = include_str!("../config.example.toml");
        let config = Config::from_toml(text, Path::new("config.example.toml")).unwrap();
        assert_eq!(config, Config::default());
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::from_toml("[parallel]\nmax_wrokers = 2\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("max_wrokers"), "{err}");
        assert!(err.contains("x.toml"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn bad_value_is_named() {
        let err = Config::from_toml("[parallel]\nmemory_threshold = 250\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("parallel.memory_threshold"), "{err}");
        let err = Config::from_toml("[social]\nbackground = \"blue\"\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("social.background"), "{err}");
        let err = Config::from_toml("[build]\nvariations = [\"nope\"]\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope"), "{err}");
        let err = Config::from_toml("[social]\npresets = [\"myspace\"]\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("myspace"), "{err}");
        let err = Config::from_toml("[vector]\nsimplify = -1\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("vector.simplify"), "{err}");
    }

    #[test]
    fn file_overrides_defaults() {
        let c = Config::from_toml(
            "[parallel]\nmax_workers = 3\n[transparent]\npadding = 0.1\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(c.parallel.max_workers, 3);
        assert_eq!(c.transparent.padding, 0.1);
        assert_eq!(c.vector, VectorConfig::default());
    }

    #[test]
    fn missing_default_file_is_fine_but_missing_named_file_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        assert!(Config::load(Some(&missing)).is_err());
    }
}
