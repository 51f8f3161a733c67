//! Geometry of the vector trace against the original vector (issue #26): how far the
//! traced outlines lie from the true ones, how much they wobble, and what the path data
//! costs.
//!
//! Both SVGs are rendered at [`SCALE`] times their size: the original `source.svg` onto a
//! canvas [`SCALE`] times `truth.png`'s, the trace at [`SCALE`] times its declared size.
//! Marching squares on each render's alpha at level 127.5 (pixels outside the image count
//! as alpha 0, so every outline closes; a saddle cell joins its inside corners when the
//! mean of its four corners is inside) gives closed polylines, converted to input pixels.
//! The trace's outlines are then placed by content box: shifted so that the centre of
//! their bounding box is the centre of the original's.
//!
//! * Outline error: every outline resampled every 0.5 px; each point's distance to the
//!   nearest segment of the other side's outlines, both ways, pooled: mean and 95th
//!   percentile, in input pixels.
//! * Turning ratio: every outline resampled evenly at about 2 px; the sum over all outlines
//!   of the absolute turning angle at each vertex, trace over original (1 for the same
//!   shapes, above 1 for wobbly edges). Length ratio: total outline length, trace over
//!   original.
//! * IoU of the alpha > 127 masks and PSNR over white at [`SCALE`]x, with the content-box
//!   shift rounded to whole pixels; PSNR and SSIM at 1x from [`image_fidelity`].
//! * Size: bytes, `<path` elements and path nodes (every command of every `d` attribute,
//!   implicit repeats included).

use std::path::Path;
use std::time::Instant;

use image::RgbaImage;
use serde::Serialize;

use super::outline::{compare_outlines, draw_outlines, outlines, Contour};
use super::{context, image_fidelity, load_truth, logo_name, median, over_corpus, percentile};
use crate::config::Config;
use crate::source::Source;
use crate::variation::Variation;

/// Renders are made at this multiple of their size.
pub const SCALE: u32 = 4;
/// The delivery kinds measured when none are asked for.
pub const GEOMETRY_KINDS: [&str; 2] = ["white.png", "white_q85.jpg"];

/// One logo delivered one way, traced, and its geometry measured.
#[derive(Debug, Clone, Serialize)]
pub struct GeometryRow {
    /// The logo's folder name.
    pub logo: String,
    /// The input file name.
    pub kind: &'static str,
    /// Mean outline error, in input pixels.
    pub mean_error: f64,
    /// 95th percentile of the outline error, in input pixels.
    pub p95_error: f64,
    /// Total absolute turning of the trace's outlines over the original's.
    pub turning_ratio: f64,
    /// Total outline length of the trace over the original's.
    pub length_ratio: f64,
    /// Total absolute turning of the original's and of the trace's outlines, in radians.
    pub turning: (f64, f64),
    /// IoU of the alpha > 127 masks at [`SCALE`]x.
    pub iou: f64,
    /// PSNR over white at [`SCALE`]x, in dB (99 when identical).
    pub psnr_4x: f64,
    /// PSNR over white at 1x against `truth.png`, in dB.
    pub psnr: f64,
    /// SSIM over white at 1x against `truth.png`.
    pub ssim: f64,
    /// SVG size in bytes.
    pub bytes: usize,
    /// `<path` elements in the SVG.
    pub paths: usize,
    /// Path commands in all `d` attributes.
    pub nodes: usize,
    /// Outlines of the original and of the trace.
    pub contours: (usize, usize),
    /// How far the trace's outlines were moved to place them, in input pixels.
    pub offset: (f64, f64),
    /// Time of the vector job alone (the master was computed before), in milliseconds.
    pub trace_ms: f64,
}

/// A figure over many logos: its median and its worst tenth.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Spread {
    /// The median.
    pub median: f64,
    /// The 90th percentile where larger is worse, the 10th where smaller is worse.
    pub worst_tenth: f64,
}

/// Summary of the geometry of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct GeometrySummary {
    /// The kind.
    pub kind: String,
    /// Logos measured.
    pub logos: usize,
    /// Mean outline error, input pixels.
    pub mean_error: Spread,
    /// 95th percentile outline error, input pixels.
    pub p95_error: Spread,
    /// Turning ratio.
    pub turning_ratio: Spread,
    /// Length ratio.
    pub length_ratio: Spread,
    /// IoU at [`SCALE`]x.
    pub iou: Spread,
    /// PSNR at [`SCALE`]x, dB.
    pub psnr_4x: Spread,
    /// PSNR at 1x, dB.
    pub psnr: Spread,
    /// SSIM at 1x.
    pub ssim: Spread,
    /// SVG bytes.
    pub bytes: Spread,
    /// `<path` elements.
    pub paths: Spread,
    /// Path nodes.
    pub nodes: Spread,
    /// Trace milliseconds.
    pub trace_ms: Spread,
}

/// Trace every logo of `corpus` (folders holding a `truth.png`) delivered as each of
/// `kinds`, in parallel, and measure the colour SVG's geometry against `source.svg`.
pub fn measure_geometry(
    corpus: &Path,
    config: &Config,
    kinds: &[&'static str],
) -> Result<Vec<GeometryRow>, String> {
    over_corpus(corpus, kinds, |logo, kind| {
        measure_one(logo, kind, config, None)
            .map_err(|e| format!("{}: {kind}: {e}", logo.display()))
    })
}

/// [`measure_geometry`], also drawing each logo's outlines into `dir` as
/// `<logo>-<kind>.png`: the original's in blue, the placed trace's in red, at 2x.
pub fn measure_and_draw_geometry(
    corpus: &Path,
    config: &Config,
    kinds: &[&'static str],
    dir: &Path,
) -> Result<Vec<GeometryRow>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    over_corpus(corpus, kinds, |logo, kind| {
        measure_one(logo, kind, config, Some(dir))
            .map_err(|e| format!("{}: {kind}: {e}", logo.display()))
    })
}

fn measure_one(
    logo: &Path,
    kind: &'static str,
    config: &Config,
    draw: Option<&Path>,
) -> Result<GeometryRow, String> {
    let truth = load_truth(logo)?;
    let source_path = logo.join("source.svg");
    let source_svg = std::fs::read(&source_path)
        .map_err(|e| format!("{}: cannot read: {e}", source_path.display()))?;
    let original = render_scaled(
        &source_svg,
        SCALE * truth.width(),
        SCALE * truth.height(),
        Some(logo),
    )
    .map_err(|e| format!("{}: {e}", source_path.display()))?;

    let source = Source::load(&logo.join(kind), config).map_err(|e| e.to_string())?;
    source.master(config)?;
    let start = Instant::now();
    let artifacts = Variation::Vector.render(&source, &context(config))?;
    let trace_ms = start.elapsed().as_secs_f64() * 1000.0;
    let svg = &artifacts[0].bytes;
    // Parsed once, rendered at 4x for the outlines and at 1x against the truth.
    let tree = super::parse_svg(svg)?;
    let traced = {
        let size = tree.size();
        let scale = SCALE as f32;
        render_tree(
            &tree,
            (size.width() * scale).round() as u32,
            (size.height() * scale).round() as u32,
        )?
    };

    let scale = 1.0 / SCALE as f64;
    let (a, b) = (outlines(&original, scale), outlines(&traced, scale));
    let diagonal = (truth.width() as f64).hypot(truth.height() as f64);
    let outline = compare_outlines(&a, &b, diagonal);
    let shift = (
        (outline.offset.0 * SCALE as f64).round() as i64,
        (outline.offset.1 * SCALE as f64).round() as i64,
    );
    let pixels = compare_pixels(&original, &traced, shift);
    if let Some(dir) = draw {
        let placed: Vec<Contour> = b
            .iter()
            .map(|c| {
                c.iter()
                    .map(|p| [p[0] + outline.offset.0, p[1] + outline.offset.1])
                    .collect()
            })
            .collect();
        let picture = draw_outlines(
            &[(&a, [40, 80, 230]), (&placed, [230, 30, 30])],
            truth.dimensions(),
            2.0,
        );
        let file = dir.join(format!("{}-{kind}.png", logo_name(logo)));
        picture
            .save(&file)
            .map_err(|e| format!("{}: cannot write: {e}", file.display()))?;
    }
    let size = tree.size().to_int_size();
    let at_1x = image_fidelity(&render_tree(&tree, size.width(), size.height())?, &truth);
    let text = String::from_utf8_lossy(svg);
    Ok(GeometryRow {
        logo: logo_name(logo),
        kind,
        mean_error: outline.mean_error,
        p95_error: outline.p95_error,
        turning_ratio: outline.turning_ratio,
        length_ratio: outline.length_ratio,
        turning: outline.turning,
        iou: pixels.iou,
        psnr_4x: pixels.psnr,
        psnr: at_1x.psnr,
        ssim: at_1x.ssim,
        bytes: svg.len(),
        paths: text.matches("<path").count(),
        nodes: path_nodes(&text),
        contours: (a.len(), b.len()),
        offset: outline.offset,
        trace_ms,
    })
}

/// Render SVG bytes onto a `width` x `height` canvas (the SVG's size stretched to it), to
/// straight-alpha RGBA. `dir` resolves relative references.
pub fn render_scaled(
    svg: &[u8],
    width: u32,
    height: u32,
    dir: Option<&Path>,
) -> Result<RgbaImage, String> {
    let options = usvg::Options {
        resources_dir: dir.map(Path::to_path_buf),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(svg, &options).map_err(|e| format!("not a valid svg: {e}"))?;
    render_tree(&tree, width, height)
}

/// Render `tree` onto a `width` x `height` canvas (its size stretched to it), to
/// straight-alpha RGBA.
pub(super) fn render_tree(tree: &usvg::Tree, width: u32, height: u32) -> Result<RgbaImage, String> {
    let size = tree.size();
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("cannot render svg at {width}x{height}"))?;
    let transform = tiny_skia::Transform::from_scale(
        width as f32 / size.width(),
        height as f32 / size.height(),
    );
    resvg::render(tree, transform, &mut pixmap.as_mut());
    Ok(crate::raster::from_pixmap(&pixmap))
}

/// IoU and PSNR of two renders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PixelComparison {
    /// IoU of the alpha > 127 masks (1 when both are empty).
    pub iou: f64,
    /// PSNR of both over white, RGB, over the original's canvas, in dB (99 when equal).
    pub psnr: f64,
}

/// Compare `trace` with `original`, trace pixel (x, y) lying on original pixel
/// (x + dx, y + dy); pixels outside a canvas are transparent.
pub fn compare_pixels(
    original: &RgbaImage,
    trace: &RgbaImage,
    (dx, dy): (i64, i64),
) -> PixelComparison {
    let (tw, th) = (trace.width() as i64, trace.height() as i64);
    let (ow, oh) = (original.width() as i64, original.height() as i64);
    let (mut inter, mut union) = (0u64, 0u64);
    let mut se = 0f64;
    let over_white = |p: &image::Rgba<u8>| -> [f64; 3] {
        let a = p[3] as f64 / 255.0;
        [0, 1, 2].map(|c| p[c] as f64 * a + 255.0 * (1.0 - a))
    };
    for (x, y, o) in original.enumerate_pixels() {
        let (tx, ty) = (x as i64 - dx, y as i64 - dy);
        let t = if tx >= 0 && ty >= 0 && tx < tw && ty < th {
            *trace.get_pixel(tx as u32, ty as u32)
        } else {
            image::Rgba([0, 0, 0, 0])
        };
        let (a, b) = (o[3] > 127, t[3] > 127);
        inter += (a && b) as u64;
        union += (a || b) as u64;
        let (p, q) = (over_white(o), over_white(&t));
        se += (0..3).map(|c| (p[c] - q[c]).powi(2)).sum::<f64>();
    }
    // Trace pixels that fall outside the original's canvas.
    for (x, y, t) in trace.enumerate_pixels() {
        let (ox, oy) = (x as i64 + dx, y as i64 + dy);
        if t[3] > 127 && !(ox >= 0 && oy >= 0 && ox < ow && oy < oh) {
            union += 1;
        }
    }
    let mse = se / (3.0 * (ow * oh).max(1) as f64);
    PixelComparison {
        iou: if union == 0 {
            1.0
        } else {
            inter as f64 / union as f64
        },
        psnr: if mse == 0.0 {
            99.0
        } else {
            10.0 * (255.0f64 * 255.0 / mse).log10()
        },
    }
}

/// Path nodes of an SVG: every command in every `d` attribute, implicit repeats of a
/// command's arguments (and the implicit lines after a move) counted one each.
pub fn path_nodes(svg: &str) -> usize {
    path_data(svg)
        .map(|d| {
            svgtypes::PathParser::from(d)
                .take_while(Result::is_ok)
                .count()
        })
        .sum()
}

/// The values of the `d` attributes of an SVG's text.
fn path_data(svg: &str) -> impl Iterator<Item = &str> {
    svg.match_indices("d=")
        .filter(|(i, _)| {
            svg[..*i]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace)
        })
        .filter_map(|(i, _)| {
            let rest = &svg[i + 2..];
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let value = &rest[1..];
            value.find(quote).map(|end| &value[..end])
        })
}

/// Per-kind summaries of `rows`, in the order of `kinds`.
pub fn summarise_geometry(rows: &[GeometryRow], kinds: &[&str]) -> Vec<GeometrySummary> {
    kinds
        .iter()
        .map(|kind| {
            let rows: Vec<&GeometryRow> = rows.iter().filter(|r| r.kind == *kind).collect();
            // Larger is worse unless `smaller_worse`.
            let spread = |f: &dyn Fn(&GeometryRow) -> f64, smaller_worse: bool| {
                let v: Vec<f64> = rows.iter().map(|r| f(r)).collect();
                Spread {
                    median: median(&v),
                    worst_tenth: percentile(&v, if smaller_worse { 10.0 } else { 90.0 }),
                }
            };
            GeometrySummary {
                kind: kind.to_string(),
                logos: rows.len(),
                mean_error: spread(&|r| r.mean_error, false),
                p95_error: spread(&|r| r.p95_error, false),
                turning_ratio: spread(&|r| r.turning_ratio, false),
                length_ratio: spread(&|r| r.length_ratio, false),
                iou: spread(&|r| r.iou, true),
                psnr_4x: spread(&|r| r.psnr_4x, true),
                psnr: spread(&|r| r.psnr, true),
                ssim: spread(&|r| r.ssim, true),
                bytes: spread(&|r| r.bytes as f64, false),
                paths: spread(&|r| r.paths as f64, false),
                nodes: spread(&|r| r.nodes as f64, false),
                trace_ms: spread(&|r| r.trace_ms, false),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::outline::tests::{shape, square};
    use super::*;

    #[test]
    fn identical_images_compare_perfectly() {
        let img = shape(80, 60, |x, y| {
            (x - 30.0).hypot(y - 30.0) < 20.0 || (x > 50.0 && x < 70.0 && y > 10.0 && y < 50.0)
        });
        let c = outlines(&img, 1.0);
        let o = compare_outlines(&c, &c, 100.0);
        assert!(o.mean_error < 1e-9 && o.p95_error < 1e-9, "{o:?}");
        assert_eq!(o.turning_ratio, 1.0);
        assert_eq!(o.length_ratio, 1.0);
        let p = compare_pixels(&img, &img, (0, 0));
        assert_eq!(p.iou, 1.0);
        assert_eq!(p.psnr, 99.0);
    }

    #[test]
    fn a_shifted_square_is_placed_back() {
        let a = square(100, 30.0, 30.0, 40.0);
        let b = square(90, 12.3, 17.7, 40.0);
        let o = compare_outlines(&outlines(&a, 1.0), &outlines(&b, 1.0), 100.0);
        // Linear interpolation between pixel centres places an edge of a box-filtered
        // render up to 0.086 px off (none for an edge on a pixel boundary).
        assert!((o.offset.0 - 17.7).abs() < 0.1 && (o.offset.1 - 12.3).abs() < 0.1);
        assert!(o.mean_error < 0.02, "{o:?}");
        assert!(o.p95_error < 0.05, "{o:?}");
        assert!((o.turning_ratio - 1.0).abs() < 0.01);
        let p = compare_pixels(&a, &b, (18, 12));
        assert!(p.iou > 0.95, "{p:?}");
    }

    #[test]
    fn a_square_dilated_by_a_pixel_is_a_pixel_off() {
        let a = square(100, 30.0, 30.0, 40.0);
        let b = square(100, 29.0, 29.0, 42.0);
        let o = compare_outlines(&outlines(&a, 1.0), &outlines(&b, 1.0), 100.0);
        assert!((o.mean_error - 1.0).abs() < 0.05, "{o:?}");
        assert!((o.length_ratio - 42.0 / 40.0).abs() < 0.01, "{o:?}");
        let p = compare_pixels(&a, &b, (0, 0));
        assert!((p.iou - 1600.0 / 1764.0).abs() < 0.01, "{p:?}");
    }

    #[test]
    fn nodes_count_every_command_and_repeat() {
        let svg = r##"<svg><path d="M0 0L1 1 2 2Z"/><path fill="#000" d="m0 0 1 1 2 2h1v1a1 1 0 011 1c1 1 1 1 1 1s1 1 1 1q1 1 1 1t1 1z"/><rect id="d" width="1"/></svg>"##;
        // M L L Z + m l l h v a c s q t z
        assert_eq!(path_nodes(svg), 4 + 11);
    }
}
