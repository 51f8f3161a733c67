//! Fidelity of outputs against ground truth: the numbers behind the quality bars.
//!
//! A produced transparent image is compared with the true transparent render after
//! aligning their content boxes (pixels with alpha > 0). When the boxes have the same size
//! the produced image is shifted onto the truth. Otherwise (a stray faint pixel widens one
//! box) the centres are aligned and every shift within 3 pixels of that is tried, keeping
//! the one with the smallest alpha error. The comparison runs over the truth's canvas;
//! produced pixels falling outside it are ignored and truth pixels with no produced
//! counterpart count as alpha 0.
//!
//! [`geometry`] measures the vector trace's outlines against the original vector.

pub mod geometry;
pub mod mono;
pub mod outline;

pub use geometry::{
    measure_and_draw_geometry, measure_geometry, summarise_geometry, GeometryRow, GeometrySummary,
    Spread, GEOMETRY_KINDS,
};
pub use mono::{measure_mono, summarise_mono, MonoRow, MonoSummary};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use image::RgbaImage;
use rayon::prelude::*;
use serde::Serialize;

use crate::color::{distance, luma, over};
use crate::config::Config;
use crate::raster::content_box;
use crate::source::Source;
use crate::variation::{Context, Variation};

/// The delivery kinds of each corpus logo, as file names.
pub const KINDS: [&str; 5] = [
    "white.png",
    "offwhite.png",
    "color.png",
    "white_q85.jpg",
    "truth.png",
];

/// One logo delivered one way, measured.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The logo's folder name.
    pub logo: String,
    /// The input file name (one of [`KINDS`]).
    pub kind: &'static str,
    /// How it compares with `truth.png`.
    pub fidelity: AlphaFidelity,
    /// Input pixels.
    pub pixels: u64,
    /// Time to compute the transparent master, in milliseconds.
    pub master_ms: f64,
}

/// Summary of one kind over every logo.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The kind (or "all").
    pub kind: String,
    /// Logos measured.
    pub logos: usize,
    /// Median and worst (largest) alpha MAE.
    pub alpha_mae: (f64, f64),
    /// Median and worst (smallest) IoU.
    pub iou: (f64, f64),
    /// Logos with IoU < 0.97.
    pub below_097: usize,
    /// Median and worst halo.
    pub halo: (f64, f64),
    /// Median and worst colour error on opaque pixels.
    pub opaque_error: (f64, f64),
    /// Milliseconds per megapixel to compute the master (median).
    pub ms_per_mp: f64,
}

/// Run the transparent variation on every logo folder of `corpus` (folders holding a
/// `truth.png`) in every kind, and measure each output against its truth.
pub fn measure_transparent(corpus: &Path, config: &Config) -> Result<Vec<Row>, String> {
    over_corpus(corpus, &KINDS, |logo, kind| measure_one(logo, kind, config))
}

/// Run `measure` on every (logo folder, kind) of `corpus`, in parallel, in order.
fn over_corpus<T: Send>(
    corpus: &Path,
    kinds: &[&'static str],
    measure: impl Fn(&Path, &'static str) -> Result<T, String> + Sync,
) -> Result<Vec<T>, String> {
    let logos = logo_dirs(corpus)?;
    let jobs: Vec<(&PathBuf, &'static str)> = logos
        .iter()
        .flat_map(|l| kinds.iter().map(move |k| (l, *k)))
        .collect();
    jobs.par_iter()
        .map(|(logo, kind)| measure(logo, kind))
        .collect()
}

/// The logo folders of a corpus (those holding a `truth.png`), sorted.
fn logo_dirs(corpus: &Path) -> Result<Vec<PathBuf>, String> {
    let mut logos: Vec<PathBuf> = std::fs::read_dir(corpus)
        .map_err(|e| format!("{}: {e}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("truth.png").is_file())
        .collect();
    logos.sort();
    if logos.is_empty() {
        return Err(format!(
            "{}: no logo folders with a truth.png",
            corpus.display()
        ));
    }
    Ok(logos)
}

fn load_truth(logo: &Path) -> Result<RgbaImage, String> {
    Ok(image::open(logo.join("truth.png"))
        .map_err(|e| format!("{}: {e}", logo.display()))?
        .to_rgba8())
}

fn logo_name(logo: &Path) -> String {
    logo.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn context(config: &Config) -> Context<'_> {
    Context {
        config,
        stem: "logo",
        deadline: Instant::now() + Duration::from_secs(600),
        sink: None,
    }
}

fn measure_one(logo: &Path, kind: &'static str, config: &Config) -> Result<Row, String> {
    let truth = load_truth(logo)?;
    let source = Source::load(&logo.join(kind), config).map_err(|e| e.to_string())?;
    let start = Instant::now();
    source.master(config)?;
    let master_ms = start.elapsed().as_secs_f64() * 1000.0;
    let artifacts = Variation::Transparent.render(&source, &context(config))?;
    let produced = image::load_from_memory(&artifacts[0].bytes)
        .map_err(|e| e.to_string())?
        .to_rgba8();
    Ok(Row {
        logo: logo_name(logo),
        kind,
        fidelity: alpha_fidelity(&produced, &truth),
        pixels: truth.width() as u64 * truth.height() as u64,
        master_ms,
    })
}

/// Per-kind summaries of `rows`, in [`KINDS`] order, then "all".
pub fn summarise(rows: &[Row]) -> Vec<Summary> {
    let mut out: Vec<Summary> = KINDS
        .iter()
        .map(|k| summary(k, rows.iter().filter(|r| r.kind == *k)))
        .collect();
    out.push(summary("all", rows.iter()));
    out
}

fn summary<'a>(kind: &str, rows: impl Iterator<Item = &'a Row>) -> Summary {
    let rows: Vec<&Row> = rows.collect();
    let get = |f: fn(&AlphaFidelity) -> f64| -> Vec<f64> {
        rows.iter().map(|r| f(&r.fidelity)).collect()
    };
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let (mae, iou, halo, opaque) = (
        get(|f| f.alpha_mae),
        get(|f| f.iou),
        get(|f| f.halo),
        get(|f| f.opaque_error),
    );
    let speed: Vec<f64> = rows
        .iter()
        .map(|r| r.master_ms / (r.pixels as f64 / 1e6))
        .collect();
    Summary {
        kind: kind.to_string(),
        logos: rows.len(),
        alpha_mae: (median(&mae), max(&mae)),
        iou: (median(&iou), iou.iter().copied().fold(1.0, f64::min)),
        below_097: iou.iter().filter(|&&v| v < 0.97).count(),
        halo: (median(&halo), max(&halo)),
        opaque_error: (median(&opaque), max(&opaque)),
        ms_per_mp: median(&speed),
    }
}

/// How one transparent output compares with its truth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct AlphaFidelity {
    /// Mean absolute alpha error (0-255) over the truth's canvas.
    pub alpha_mae: f64,
    /// Intersection over union of the alpha > 127 masks (1 when both are empty).
    pub iou: f64,
    /// The visible fringe: mean RGB distance between produced and true colour on the
    /// truth's anti-aliased pixels (0 < alpha < 255) where the output is not transparent,
    /// weighted by the true alpha.
    pub halo: f64,
    /// Mean RGB distance on the truth's opaque pixels where the output is not transparent.
    pub opaque_error: f64,
}

/// Compare `produced` with `truth`.
pub fn alpha_fidelity(produced: &RgbaImage, truth: &RgbaImage) -> AlphaFidelity {
    compare(produced, truth, alignment(produced, truth))
}

/// Where truth pixel (x, y) is found in `produced`: (x + dx, y + dy), by the content-box
/// rule in the module docs.
pub fn alignment(produced: &RgbaImage, truth: &RgbaImage) -> (i64, i64) {
    let candidates: Vec<(i64, i64)> = match offset(produced, truth) {
        (o, true) => vec![o],
        ((dx, dy), false) => (-SEARCH..=SEARCH)
            .flat_map(|sy| (-SEARCH..=SEARCH).map(move |sx| (dx + sx, dy + sy)))
            .collect(),
    };
    candidates
        .into_iter()
        .map(|o| (o, compare(produced, truth, o).alpha_mae))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("at least one candidate offset")
        .0
}

/// How a rendered output compares with its truth as a viewer sees it: both composited on
/// white after alignment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ImageFidelity {
    /// Peak signal-to-noise ratio over RGB, in dB (99 when identical).
    pub psnr: f64,
    /// Mean SSIM of the luma (Rec. 601), 11x11 Gaussian window (sigma 1.5).
    pub ssim: f64,
    /// IoU of the alpha > 127 masks.
    pub iou: f64,
}

/// Compare a rendered RGBA output with the truth, on white.
pub fn image_fidelity(produced: &RgbaImage, truth: &RgbaImage) -> ImageFidelity {
    let (dx, dy) = alignment(produced, truth);
    let iou = compare(produced, truth, (dx, dy)).iou;
    let (w, h) = truth.dimensions();
    let (pw, ph) = (produced.width() as i64, produced.height() as i64);
    let white = [255, 255, 255];
    let mut se = 0f64;
    let mut luma_p = Vec::with_capacity((w * h) as usize);
    let mut luma_t = Vec::with_capacity((w * h) as usize);
    for (x, y, t) in truth.enumerate_pixels() {
        let (px, py) = (x as i64 + dx, y as i64 + dy);
        let p = if px >= 0 && py >= 0 && px < pw && py < ph {
            *produced.get_pixel(px as u32, py as u32)
        } else {
            image::Rgba([0, 0, 0, 0])
        };
        let a = over([p[0], p[1], p[2]], p[3], white);
        let b = over([t[0], t[1], t[2]], t[3], white);
        for c in 0..3 {
            let d = a[c] as f64 - b[c] as f64;
            se += d * d;
        }
        luma_p.push(luma(a));
        luma_t.push(luma(b));
    }
    let mse = se / (3.0 * w as f64 * h as f64);
    let psnr = if mse == 0.0 {
        99.0
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    };
    ImageFidelity {
        psnr,
        ssim: ssim(&luma_p, &luma_t, w as usize, h as usize),
        iou,
    }
}

/// Mean SSIM (Wang et al. 2004) of two single-channel images, 11x11 Gaussian window with
/// sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255, over the windows that fit inside the image.
pub fn ssim(a: &[f32], b: &[f32], w: usize, h: usize) -> f64 {
    const R: usize = 5;
    if w <= 2 * R || h <= 2 * R {
        return if a == b { 1.0 } else { 0.0 };
    }
    let kernel: Vec<f32> = {
        let k: Vec<f32> = (0..=2 * R)
            .map(|i| (-((i as f32 - R as f32).powi(2)) / (2.0 * 1.5 * 1.5)).exp())
            .collect();
        let sum: f32 = k.iter().sum();
        k.into_iter().map(|v| v / sum).collect()
    };
    // Separable blur, keeping only the rows and columns where the window fits.
    let blur = |src: &[f32]| -> Vec<f32> {
        let ow = w - 2 * R;
        let mut rows = vec![0f32; ow * h];
        for y in 0..h {
            for x in 0..ow {
                rows[y * ow + x] = (0..=2 * R).map(|k| kernel[k] * src[y * w + x + k]).sum();
            }
        }
        let oh = h - 2 * R;
        let mut out = vec![0f32; ow * oh];
        for y in 0..oh {
            for x in 0..ow {
                out[y * ow + x] = (0..=2 * R)
                    .map(|k| kernel[k] * rows[(y + k) * ow + x])
                    .sum();
            }
        }
        out
    };
    let prod = |p: &[f32], q: &[f32]| -> Vec<f32> { p.iter().zip(q).map(|(x, y)| x * y).collect() };
    let (mu_a, mu_b) = (blur(a), blur(b));
    let (aa, bb, ab) = (blur(&prod(a, a)), blur(&prod(b, b)), blur(&prod(a, b)));
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let mut total = 0f64;
    for i in 0..mu_a.len() {
        let (ma, mb) = (mu_a[i] as f64, mu_b[i] as f64);
        let va = aa[i] as f64 - ma * ma;
        let vb = bb[i] as f64 - mb * mb;
        let cov = ab[i] as f64 - ma * mb;
        total +=
            ((2.0 * ma * mb + c1) * (2.0 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
    }
    total / mu_a.len() as f64
}

/// One logo delivered one way, traced and measured.
#[derive(Debug, Clone, Serialize)]
pub struct VectorRow {
    /// The logo's folder name.
    pub logo: String,
    /// The input file name.
    pub kind: &'static str,
    /// The SVG rendered by resvg against the truth.
    pub fidelity: ImageFidelity,
    /// SVG size in bytes.
    pub bytes: usize,
    /// `<path` elements in the SVG.
    pub paths: usize,
    /// Input pixels.
    pub pixels: u64,
    /// Time of the vector job alone (the master was computed before), in milliseconds.
    pub trace_ms: f64,
    /// Time of vtracer's default settings on the same input file, in milliseconds.
    pub baseline_ms: f64,
}

/// The delivery kinds measured for the vector trace.
pub const VECTOR_KINDS: [&str; 4] = ["white.png", "offwhite.png", "color.png", "white_q85.jpg"];

/// Run the vector variation on every logo of `corpus` in every kind of [`VECTOR_KINDS`],
/// render each SVG with resvg at its own size and measure it against `truth.png`.
pub fn measure_vector(corpus: &Path, config: &Config) -> Result<Vec<VectorRow>, String> {
    over_corpus(corpus, &VECTOR_KINDS, |logo, kind| {
        measure_vector_one(logo, kind, config)
    })
}

fn measure_vector_one(
    logo: &Path,
    kind: &'static str,
    config: &Config,
) -> Result<VectorRow, String> {
    let truth = load_truth(logo)?;
    let source = Source::load(&logo.join(kind), config).map_err(|e| e.to_string())?;
    source.master(config)?;
    let start = Instant::now();
    let artifacts = Variation::Vector.render(&source, &context(config))?;
    let trace_ms = start.elapsed().as_secs_f64() * 1000.0;
    let input = image::open(logo.join(kind))
        .map_err(|e| e.to_string())?
        .to_rgba8();
    let start = Instant::now();
    crate::trace::trace_default(&input)?;
    let baseline_ms = start.elapsed().as_secs_f64() * 1000.0;
    let svg = &artifacts[0].bytes;
    let rendered = render_svg(svg).map_err(|e| format!("{}: {e}", logo.display()))?;
    let text = String::from_utf8_lossy(svg);
    Ok(VectorRow {
        logo: logo_name(logo),
        kind,
        fidelity: image_fidelity(&rendered, &truth),
        bytes: svg.len(),
        paths: text.matches("<path").count(),
        pixels: truth.width() as u64 * truth.height() as u64,
        trace_ms,
        baseline_ms,
    })
}

/// Render SVG bytes with resvg at their declared size, to straight-alpha RGBA.
pub fn render_svg(svg: &[u8]) -> Result<RgbaImage, String> {
    let tree = parse_svg(svg)?;
    let size = tree.size().to_int_size();
    geometry::render_tree(&tree, size.width(), size.height())
}

/// Parse the SVG bytes an output holds.
fn parse_svg(svg: &[u8]) -> Result<usvg::Tree, String> {
    usvg::Tree::from_data(svg, &usvg::Options::default())
        .map_err(|e| format!("produced SVG does not parse: {e}"))
}

/// Summary of the vector trace for one kind.
#[derive(Debug, Clone, Serialize)]
pub struct VectorSummary {
    /// The kind (or "all").
    pub kind: String,
    /// Logos measured.
    pub logos: usize,
    /// Median and worst PSNR (dB).
    pub psnr: (f64, f64),
    /// Median and worst SSIM.
    pub ssim: (f64, f64),
    /// Median and worst alpha IoU.
    pub iou: (f64, f64),
    /// Median and largest SVG bytes.
    pub bytes: (f64, f64),
    /// Median and most paths.
    pub paths: (f64, f64),
    /// Median trace milliseconds per megapixel of input.
    pub ms_per_mp: f64,
    /// Median of (vector job time / vtracer default time) per logo.
    pub time_ratio: f64,
}

/// Per-kind summaries of `rows` in [`VECTOR_KINDS`] order, then "all".
pub fn summarise_vector(rows: &[VectorRow]) -> Vec<VectorSummary> {
    let one = |kind: &str, rows: Vec<&VectorRow>| {
        let get =
            |f: &dyn Fn(&VectorRow) -> f64| -> Vec<f64> { rows.iter().map(|r| f(r)).collect() };
        let lo = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
        let (psnr, ssim, iou) = (
            get(&|r| r.fidelity.psnr),
            get(&|r| r.fidelity.ssim),
            get(&|r| r.fidelity.iou),
        );
        let (bytes, paths) = (get(&|r| r.bytes as f64), get(&|r| r.paths as f64));
        VectorSummary {
            kind: kind.to_string(),
            logos: rows.len(),
            psnr: (median(&psnr), lo(&psnr)),
            ssim: (median(&ssim), lo(&ssim)),
            iou: (median(&iou), lo(&iou)),
            bytes: (median(&bytes), hi(&bytes)),
            paths: (median(&paths), hi(&paths)),
            ms_per_mp: median(&get(&|r| r.trace_ms / (r.pixels as f64 / 1e6))),
            time_ratio: median(&get(&|r| r.trace_ms / r.baseline_ms)),
        }
    };
    let mut out: Vec<VectorSummary> = VECTOR_KINDS
        .iter()
        .map(|k| one(k, rows.iter().filter(|r| r.kind == *k).collect()))
        .collect();
    out.push(one("all", rows.iter().collect()));
    out
}

/// How far around the centre alignment to search when the content boxes differ in size.
const SEARCH: i64 = 3;

fn compare(produced: &RgbaImage, truth: &RgbaImage, (dx, dy): (i64, i64)) -> AlphaFidelity {
    let (pw, ph) = (produced.width() as i64, produced.height() as i64);
    let mut abs_err = 0u64;
    let (mut inter, mut union) = (0u64, 0u64);
    let (mut halo_sum, mut halo_w) = (0f64, 0f64);
    let (mut opaque_sum, mut opaque_n) = (0f64, 0u64);
    for (x, y, t) in truth.enumerate_pixels() {
        let (px, py) = (x as i64 + dx, y as i64 + dy);
        let p = if px >= 0 && py >= 0 && px < pw && py < ph {
            *produced.get_pixel(px as u32, py as u32)
        } else {
            image::Rgba([0, 0, 0, 0])
        };
        abs_err += (p[3] as i64 - t[3] as i64).unsigned_abs();
        let (a, b) = (p[3] > 127, t[3] > 127);
        inter += (a && b) as u64;
        union += (a || b) as u64;
        if p[3] > 0 {
            let d = distance([p[0], p[1], p[2]], [t[0], t[1], t[2]]) as f64;
            if t[3] == 255 {
                opaque_sum += d;
                opaque_n += 1;
            } else if t[3] > 0 {
                let w = t[3] as f64 / 255.0;
                halo_sum += d * w;
                halo_w += w;
            }
        }
    }
    let n = (truth.width() as u64 * truth.height() as u64).max(1);
    AlphaFidelity {
        alpha_mae: abs_err as f64 / n as f64,
        iou: if union == 0 {
            1.0
        } else {
            inter as f64 / union as f64
        },
        halo: if halo_w > 0.0 { halo_sum / halo_w } else { 0.0 },
        opaque_error: if opaque_n > 0 {
            opaque_sum / opaque_n as f64
        } else {
            0.0
        },
    }
}

/// Where truth pixel (x, y) is found in `produced`: (x + dx, y + dy), and whether the
/// boxes matched exactly.
fn offset(produced: &RgbaImage, truth: &RgbaImage) -> ((i64, i64), bool) {
    match (content_box(produced), content_box(truth)) {
        (Some(p), Some(t)) if (p.width, p.height) == (t.width, t.height) => {
            ((p.x as i64 - t.x as i64, p.y as i64 - t.y as i64), true)
        }
        (Some(p), Some(t)) => {
            let centre = |x: u32, w: u32| (2 * x as i64 + w as i64) / 2;
            let o = (
                centre(p.x, p.width) - centre(t.x, t.width),
                centre(p.y, p.height) - centre(t.y, t.height),
            );
            (o, false)
        }
        _ => ((0, 0), true),
    }
}

/// Median of `values` (0 for none).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The `p`th percentile (0-100) of `values`, linear between ranks (0 for none).
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n => {
            let rank = p / 100.0 * (n - 1) as f64;
            let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
            v[lo] + (rank - lo as f64) * (v[hi] - v[lo])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    fn square(canvas: u32, at: u32, size: u32, alpha: u8) -> RgbaImage {
        let mut img = RgbaImage::new(canvas, canvas);
        for y in at..at + size {
            for x in at..at + size {
                img.put_pixel(x, y, Rgba([10, 20, 30, alpha]));
            }
        }
        img
    }

    #[test]
    fn identical_content_at_another_offset_is_perfect() {
        let f = alpha_fidelity(&square(20, 2, 6, 255), &square(30, 11, 6, 255));
        assert_eq!(f.alpha_mae, 0.0);
        assert_eq!(f.iou, 1.0);
        assert_eq!(f.halo, 0.0);
        assert_eq!(f.opaque_error, 0.0);
    }

    #[test]
    fn errors_are_counted() {
        let truth = square(10, 2, 4, 255);
        let mut produced = truth.clone();
        produced.put_pixel(2, 2, Rgba([10, 20, 30, 0]));
        // Box unchanged in size (other corner pixels still there), one pixel lost.
        let f = alpha_fidelity(&produced, &truth);
        assert!((f.alpha_mae - 255.0 / 100.0).abs() < 1e-9);
        assert!((f.iou - 15.0 / 16.0).abs() < 1e-9);
        let mut tinted = truth.clone();
        tinted.put_pixel(3, 3, Rgba([255, 255, 255, 255]));
        assert!(alpha_fidelity(&tinted, &truth).opaque_error > 0.0);
    }

    #[test]
    fn a_stray_pixel_does_not_misalign() {
        let truth = square(30, 10, 8, 255);
        let mut produced = square(20, 2, 8, 255);
        produced.put_pixel(11, 11, Rgba([10, 20, 30, 3]));
        let f = alpha_fidelity(&produced, &truth);
        assert_eq!(f.iou, 1.0);
        assert!(f.alpha_mae < 0.01);
    }

    #[test]
    fn halo_sees_a_tinted_edge() {
        let mut truth = square(10, 2, 4, 255);
        truth.put_pixel(1, 3, Rgba([10, 20, 30, 128]));
        let mut produced = truth.clone();
        produced.put_pixel(1, 3, Rgba([130, 140, 150, 255]));
        assert!(alpha_fidelity(&produced, &truth).halo > 200.0);
    }

    #[test]
    fn ssim_is_one_for_equal_and_drops_for_noise() {
        let (w, h) = (32, 24);
        let a: Vec<f32> = (0..w * h).map(|i| ((i * 37) % 255) as f32).collect();
        assert!((ssim(&a, &a, w, h) - 1.0).abs() < 1e-9);
        let b: Vec<f32> = a
            .iter()
            .enumerate()
            .map(|(i, v)| if i % 3 == 0 { 255.0 - v } else { *v })
            .collect();
        assert!(ssim(&a, &b, w, h) < 0.8);
    }

    #[test]
    fn psnr_of_identical_renders_is_the_cap() {
        let img = square(20, 4, 8, 255);
        let f = image_fidelity(&img, &img);
        assert_eq!(f.psnr, 99.0);
        assert!((f.ssim - 1.0).abs() < 1e-9);
        assert_eq!(f.iou, 1.0);
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn percentiles_interpolate() {
        let v: Vec<f64> = (0..=10).map(f64::from).collect();
        assert_eq!(percentile(&v, 90.0), 9.0);
        assert_eq!(percentile(&v, 95.0), 9.5);
        assert_eq!(percentile(&[3.0], 10.0), 3.0);
    }
}
