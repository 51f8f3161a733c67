//! How well the black one-ink mark (`mono/<stem>-black.png`) keeps the drawing of a
//! multi-colour logo, and whether it is one ink.
//!
//! - **Detail**: the truth's inner colour boundaries are its opaque pixels lying 2 px or
//!   more inside the outline (every pixel of the 5 x 5 square around them has alpha 128
//!   or more) whose 3 x 3 neighbourhood spans an RGB distance of 60 or more (the distance
//!   between the per-channel minimum and maximum colours). Detail is the share of them
//!   with an ink/no-ink boundary of the mark (alpha 128 or more against less, between
//!   4-neighbours) within 2 px (the 5 x 5 square), the mark aligned to the truth by
//!   content box. A silhouette keeps none. Logos with fewer than [`MIN_BOUNDARY`] such
//!   pixels have no inner boundaries and no detail figure.
//! - **Tint**: the share of inked pixels (alpha above 0) that are partly transparent
//!   (alpha under 255) and farther than 2 px from an ink boundary: grey areas, not
//!   anti-aliased edges.

use std::path::Path;

use image::RgbaImage;
use serde::Serialize;

use super::{alignment, context, load_truth, logo_name, median, over_corpus};
use crate::color::distance;
use crate::config::Config;
use crate::source::Source;
use crate::variation::Variation;

/// Inner boundary pixels a truth needs for its logo to count as having inner boundaries.
pub const MIN_BOUNDARY: usize = 50;
/// RGB span of a 3 x 3 neighbourhood that makes an inner colour boundary.
const BOUNDARY_SPAN: f32 = 60.0;
/// How near (pixels, Chebyshev) a boundary must be to count.
const NEAR: i64 = 2;

/// One logo's one-ink figures.
#[derive(Debug, Clone, Serialize)]
pub struct MonoRow {
    pub logo: String,
    pub kind: &'static str,
    /// The truth's inner boundary pixels.
    pub boundaries: usize,
    /// Share of them the mark keeps (None without inner boundaries).
    pub detail: Option<f64>,
    /// Share of inked pixels that are tints.
    pub tint: f64,
}

/// Per-kind summary of [`MonoRow`]s.
#[derive(Debug, Clone, Serialize)]
pub struct MonoSummary {
    pub kind: String,
    pub logos: usize,
    /// Logos with inner boundaries.
    pub with_boundaries: usize,
    /// Median detail of those.
    pub detail_median: f64,
    /// Of those, how many keep less than half.
    pub below_half: usize,
    /// Logos whose tint exceeds 1%.
    pub tinted: usize,
}

/// Measure the black one-ink mark of every logo of `corpus` from each of `kinds`.
pub fn measure_mono(
    corpus: &Path,
    config: &Config,
    kinds: &[&'static str],
) -> Result<Vec<MonoRow>, String> {
    over_corpus(corpus, kinds, |logo, kind| {
        let truth = load_truth(logo)?;
        let source = Source::load(&logo.join(kind), config).map_err(|e| e.to_string())?;
        let artifacts = Variation::Mono.render(&source, &context(config))?;
        let black = artifacts
            .iter()
            .find(|a| a.path.to_string_lossy().ends_with("-black.png"))
            .ok_or("mono made no black PNG")?;
        let mark = image::load_from_memory(&black.bytes)
            .map_err(|e| e.to_string())?
            .to_rgba8();
        let (boundaries, detail) = detail(&mark, &truth);
        Ok(MonoRow {
            logo: logo_name(logo),
            kind,
            boundaries,
            detail,
            tint: tint(&mark),
        })
    })
}

/// Summaries of `rows` per kind, in the order of `kinds`.
pub fn summarise_mono(rows: &[MonoRow], kinds: &[&str]) -> Vec<MonoSummary> {
    kinds
        .iter()
        .map(|kind| {
            let rows: Vec<&MonoRow> = rows.iter().filter(|r| r.kind == *kind).collect();
            let details: Vec<f64> = rows.iter().filter_map(|r| r.detail).collect();
            MonoSummary {
                kind: kind.to_string(),
                logos: rows.len(),
                with_boundaries: details.len(),
                detail_median: median(&details),
                below_half: details.iter().filter(|&&d| d < 0.5).count(),
                tinted: rows.iter().filter(|r| r.tint > 0.01).count(),
            }
        })
        .collect()
}

/// Whether each pixel is inked (alpha 128 or more) and next to a pixel that is not.
fn ink_boundary(mark: &RgbaImage) -> Vec<bool> {
    let (w, h) = mark.dimensions();
    let ink = |x: u32, y: u32| mark.get_pixel(x, y)[3] >= 128;
    let mut out = vec![false; (w * h) as usize];
    for y in 0..h {
        for x in 0..w {
            let here = ink(x, y);
            let differs =
                (x + 1 < w && ink(x + 1, y) != here) || (y + 1 < h && ink(x, y + 1) != here);
            if differs {
                out[(y * w + x) as usize] = true;
                if x + 1 < w && ink(x + 1, y) != here {
                    out[(y * w + x + 1) as usize] = true;
                }
                if y + 1 < h && ink(x, y + 1) != here {
                    out[((y + 1) * w + x) as usize] = true;
                }
            }
        }
    }
    out
}

/// The pixels within [`NEAR`] of (`x`, `y`) (a square), each as its index in a `w` x `h`
/// plane, or None outside it.
fn square(w: u32, h: u32, x: i64, y: i64) -> impl Iterator<Item = Option<usize>> {
    (-NEAR..=NEAR).flat_map(move |dy| {
        (-NEAR..=NEAR).map(move |dx| {
            let (nx, ny) = (x + dx, y + dy);
            (nx >= 0 && ny >= 0 && nx < w as i64 && ny < h as i64)
                .then(|| (ny * w as i64 + nx) as usize)
        })
    })
}

/// Whether some pixel of `set` (a `w` x `h` plane) lies within [`NEAR`] of (`x`, `y`).
fn near(set: &[bool], w: u32, h: u32, x: i64, y: i64) -> bool {
    square(w, h, x, y).any(|i| i.is_some_and(|i| set[i]))
}

/// The truth's inner boundary pixels and the share of them near a boundary of `mark`.
fn detail(mark: &RgbaImage, truth: &RgbaImage) -> (usize, Option<f64>) {
    let (tw, th) = truth.dimensions();
    let (mw, mh) = mark.dimensions();
    let (dx, dy) = alignment(mark, truth);
    let edges = ink_boundary(mark);
    let alpha = truth.as_raw();
    let inside =
        |x: i64, y: i64| square(tw, th, x, y).all(|i| i.is_some_and(|i| alpha[4 * i + 3] >= 128));
    let span = |x: u32, y: u32| {
        let (mut lo, mut hi) = ([255u8; 3], [0u8; 3]);
        for ny in y.saturating_sub(1)..=(y + 1).min(th - 1) {
            for nx in x.saturating_sub(1)..=(x + 1).min(tw - 1) {
                let p = truth.get_pixel(nx, ny);
                for c in 0..3 {
                    lo[c] = lo[c].min(p[c]);
                    hi[c] = hi[c].max(p[c]);
                }
            }
        }
        distance(lo, hi)
    };
    let (mut boundaries, mut kept) = (0usize, 0usize);
    for y in 0..th {
        for x in 0..tw {
            if truth.get_pixel(x, y)[3] < 255
                || !inside(x as i64, y as i64)
                || span(x, y) < BOUNDARY_SPAN
            {
                continue;
            }
            boundaries += 1;
            kept += usize::from(near(&edges, mw, mh, x as i64 + dx, y as i64 + dy));
        }
    }
    let detail = (boundaries >= MIN_BOUNDARY).then(|| kept as f64 / boundaries as f64);
    (boundaries, detail)
}

/// The share of inked pixels that are partly transparent away from an ink boundary.
fn tint(mark: &RgbaImage) -> f64 {
    let (w, h) = mark.dimensions();
    let edges = ink_boundary(mark);
    let (mut inked, mut tinted) = (0usize, 0usize);
    for (x, y, p) in mark.enumerate_pixels() {
        if p[3] == 0 {
            continue;
        }
        inked += 1;
        if p[3] < 255 && !near(&edges, w, h, x as i64, y as i64) {
            tinted += 1;
        }
    }
    if inked == 0 {
        0.0
    } else {
        tinted as f64 / inked as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    /// A red square with a blue square inside it, on transparency.
    fn two_colours() -> RgbaImage {
        RgbaImage::from_fn(60, 60, |x, y| {
            if !(10..50).contains(&x) || !(10..50).contains(&y) {
                Rgba([0, 0, 0, 0])
            } else if (20..40).contains(&x) && (20..40).contains(&y) {
                Rgba([0, 0, 255, 255])
            } else {
                Rgba([255, 0, 0, 255])
            }
        })
    }

    #[test]
    fn a_silhouette_keeps_no_detail_and_a_drawing_keeps_it() {
        let truth = two_colours();
        let silhouette = RgbaImage::from_fn(60, 60, |x, y| {
            Rgba([0, 0, 0, if truth.get_pixel(x, y)[3] > 0 { 255 } else { 0 }])
        });
        let (n, d) = detail(&silhouette, &truth);
        assert!(n >= MIN_BOUNDARY, "{n}");
        assert_eq!(d, Some(0.0));
        // The inner square knocked out: its edge is the boundary.
        let drawing = RgbaImage::from_fn(60, 60, |x, y| {
            let p = truth.get_pixel(x, y);
            Rgba([0, 0, 0, if p[3] > 0 && p[2] == 0 { 255 } else { 0 }])
        });
        assert_eq!(detail(&drawing, &truth).1, Some(1.0));
    }

    #[test]
    fn tint_counts_grey_areas_not_soft_edges() {
        let mut mark = RgbaImage::from_fn(40, 40, |x, y| {
            Rgba([
                0,
                0,
                0,
                if (10..30).contains(&x) && (10..30).contains(&y) {
                    255
                } else {
                    0
                },
            ])
        });
        // A soft edge: a column of half alpha beside the ink.
        for y in 10..30 {
            mark.put_pixel(30, y, Rgba([0, 0, 0, 128]));
        }
        assert_eq!(tint(&mark), 0.0);
        // A grey area: the middle at 78% alpha.
        for y in 15..25 {
            for x in 15..25 {
                mark.put_pixel(x, y, Rgba([0, 0, 0, 200]));
            }
        }
        assert!(tint(&mark) > 0.05, "{}", tint(&mark));
    }
}
