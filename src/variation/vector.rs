//! The vector SVG: a trace of the transparent master with the logo's own colours, or for
//! an SVG input a cleaned, self-contained copy.

use std::path::PathBuf;

use image::{Rgba, RgbaImage};

use crate::color::Rgb;
use crate::raster;
use crate::source::{Content, Source};
use crate::trace::{self, TraceOptions};
use crate::variation::{transparent, Artifact, Context};

/// Transparent border added around the canvas while tracing, so the tracer always sees
/// the background (it keys transparency only when enough of the edge is transparent).
const TRACE_MARGIN: u32 = 2;
/// A colour must cover this share of the opaque pixels to enter the palette.
const MIN_COLOUR_SHARE: f64 = 0.004;
/// Colours closer than this (RGB distance) are one palette entry.
const MERGE_DISTANCE: f32 = 48.0;

/// `vector/<stem>.svg`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let path = PathBuf::from("vector").join(format!("{}.svg", ctx.stem));
    if let Content::Svg(tree) = &source.content {
        let svg = tree.to_string(&usvg::WriteOptions::default());
        let size = tree.size();
        return Ok(vec![Artifact {
            path,
            format: "svg",
            width: size.width().round() as u32,
            height: size.height().round() as u32,
            bytes: svg.into_bytes(),
            warnings: Vec::new(),
        }]);
    }
    let master = source.master(ctx.config)?;
    let canvas = transparent::padded(&master, ctx);
    let palette = palette(&master.image, ctx.config.vector.max_colors);
    if palette.is_empty() {
        return Err("no opaque pixels to trace".into());
    }
    let snapped = raster::pad(&snap(&canvas, &palette), TRACE_MARGIN);
    let options = TraceOptions {
        palette: palette.clone(),
        filter_speckle: ctx.config.vector.filter_speckle,
        corner_threshold: ctx.config.vector.corner_threshold,
        path_precision: ctx.config.vector.path_precision,
    };
    let traced = trace::trace(&snapped, &options, ctx.deadline)?;
    let (w, h) = canvas.dimensions();
    let svg = with_root(&traced, w, h, TRACE_MARGIN)?;
    Ok(vec![Artifact {
        path,
        format: "svg",
        width: w,
        height: h,
        bytes: svg.into_bytes(),
        warnings: Vec::new(),
    }])
}

/// The logo's own flat colours, most common first: colours covering at least
/// `MIN_COLOUR_SHARE` of the opaque pixels, near ones merged, at most `max`.
pub fn palette(image: &RgbaImage, max: usize) -> Vec<Rgb> {
    // Histogram on a 5-bit grid, keeping the sum of true colours per cell.
    let mut cells: std::collections::HashMap<u16, (u64, [u64; 3])> = Default::default();
    let mut opaque = 0u64;
    for p in image.pixels().filter(|p| p[3] == 255) {
        opaque += 1;
        let key = ((p[0] as u16 >> 3) << 10) | ((p[1] as u16 >> 3) << 5) | (p[2] as u16 >> 3);
        let cell = cells.entry(key).or_default();
        cell.0 += 1;
        for c in 0..3 {
            cell.1[c] += p[c] as u64;
        }
    }
    let mut cells: Vec<(u16, u64, [u64; 3])> =
        cells.into_iter().map(|(k, (n, s))| (k, n, s)).collect();
    // Most common first; the key breaks ties so the order never depends on hashing.
    cells.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<(Rgb, u64)> = Vec::new();
    for (_, n, sum) in cells {
        let colour = Rgb([(sum[0] / n) as u8, (sum[1] / n) as u8, (sum[2] / n) as u8]);
        if let Some(entry) = out
            .iter_mut()
            .find(|(c, _)| c.distance(colour) < MERGE_DISTANCE)
        {
            entry.1 += n;
        } else if (n as f64) >= MIN_COLOUR_SHARE * opaque as f64 && out.len() < max {
            out.push((colour, n));
        }
    }
    out.into_iter().map(|(c, _)| c).collect()
}

/// `image` with alpha made binary (at 50%) and every opaque pixel snapped to the nearest
/// palette colour, so each colour region is traced as one flat shape.
fn snap(image: &RgbaImage, palette: &[Rgb]) -> RgbaImage {
    let mut out = image.clone();
    for p in out.pixels_mut() {
        *p = if p[3] < 128 {
            Rgba([0, 0, 0, 0])
        } else {
            let c = Rgb([p[0], p[1], p[2]]);
            let nearest = palette
                .iter()
                .min_by(|a, b| a.distance(c).total_cmp(&b.distance(c)))
                .expect("palette is not empty");
            Rgba([nearest.0[0], nearest.0[1], nearest.0[2], 255])
        };
    }
    out
}

/// Replace the tracer's root element with one carrying width, height and a viewBox that
/// crops the tracing margin.
fn with_root(svg: &str, width: u32, height: u32, margin: u32) -> Result<String, String> {
    let start = svg.find("<svg").ok_or("tracer wrote no <svg> element")?;
    let end = start
        + svg[start..]
            .find('>')
            .ok_or("tracer wrote an unterminated <svg> element")?;
    let body = &svg[end + 1..];
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" viewBox=\"{margin} {margin} {width} {height}\">{body}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_finds_flat_colours_and_ignores_edge_mixes() {
        let mut img = RgbaImage::new(400, 100);
        for (x, y, p) in img.enumerate_pixels_mut() {
            *p = match (x, y) {
                (0..=199, _) => Rgba([200, 20, 20, 255]),
                (200, _) => Rgba([120, 60, 90, 255]), // an anti-aliased seam
                _ if y < 98 => Rgba([20, 20, 200, 255]),
                _ => Rgba([0, 0, 0, 0]),
            };
        }
        let p = palette(&img, 8);
        assert_eq!(p, vec![Rgb([200, 20, 20]), Rgb([20, 20, 200])]);
        assert_eq!(palette(&img, 1), vec![Rgb([200, 20, 20])]);
    }

    #[test]
    fn root_gets_view_box() {
        let svg = "<?xml?>\n<!-- x -->\n<svg version=\"1.1\" width=\"14\" height=\"14\"><path d=\"M0 0\"/></svg>";
        let out = with_root(svg, 10, 10, 2).unwrap();
        assert!(out.contains("viewBox=\"2 2 10 10\""));
        assert!(out.contains("<path d=\"M0 0\"/></svg>"));
        assert!(!out.contains("VTracer"));
    }
}
