//! Fidelity of outputs against ground truth: the numbers behind the quality bars.
//!
//! A produced transparent image is compared with the true transparent render after
//! aligning their content boxes (pixels with alpha > 0). When the boxes have the same size
//! the produced image is shifted onto the truth. Otherwise (a stray faint pixel widens one
//! box) the centres are aligned and every shift within 3 pixels of that is tried, keeping
//! the one with the smallest alpha error. The comparison runs over the truth's canvas;
//! produced pixels falling outside it are ignored and truth pixels with no produced
//! counterpart count as alpha 0.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use image::RgbaImage;
use rayon::prelude::*;
use serde::Serialize;

use crate::color::distance;
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
    let jobs: Vec<(PathBuf, &'static str)> = logos
        .iter()
        .flat_map(|l| KINDS.iter().map(move |k| (l.clone(), *k)))
        .collect();
    jobs.par_iter()
        .map(|(logo, kind)| measure_one(logo, kind, config))
        .collect()
}

fn measure_one(logo: &Path, kind: &'static str, config: &Config) -> Result<Row, String> {
    let truth = image::open(logo.join("truth.png"))
        .map_err(|e| format!("{}: {e}", logo.display()))?
        .to_rgba8();
    let source = Source::load(&logo.join(kind), &config.limits).map_err(|e| e.to_string())?;
    let start = Instant::now();
    source.master(config)?;
    let master_ms = start.elapsed().as_secs_f64() * 1000.0;
    let ctx = Context {
        config,
        stem: "logo",
        deadline: Instant::now() + Duration::from_secs(600),
    };
    let artifacts = Variation::Transparent.render(&source, &ctx)?;
    let produced = image::load_from_memory(&artifacts[0].bytes)
        .map_err(|e| e.to_string())?
        .to_rgba8();
    Ok(Row {
        logo: logo
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
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
    let candidates = match offset(produced, truth) {
        (o, true) => vec![o],
        ((dx, dy), false) => (-SEARCH..=SEARCH)
            .flat_map(|sy| (-SEARCH..=SEARCH).map(move |sx| (dx + sx, dy + sy)))
            .collect(),
    };
    candidates
        .into_iter()
        .map(|o| compare(produced, truth, o))
        .min_by(|a, b| a.alpha_mae.total_cmp(&b.alpha_mae))
        .expect("at least one candidate offset")
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
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }
}
