//! The vector SVG: a trace of the transparent master with the logo's own colours, or for
//! an SVG input a cleaned, self-contained copy.

use std::path::PathBuf;

use image::{Rgba, RgbaImage};

use crate::color::{palette, Rgb};
use crate::raster;
use crate::source::{Content, Source};
use crate::trace::{self, TraceOptions};
use crate::variation::{transparent, Artifact, Context};

/// Transparent border added around the canvas while tracing, so the tracer always sees
/// the background (it keys transparency only when enough of the edge is transparent).
const TRACE_MARGIN: u32 = 2;

/// `vector/<stem>.svg`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let path = PathBuf::from("vector").join(format!("{}.svg", ctx.stem));
    if let Content::Svg(tree) = &source.content {
        let size = tree.size();
        let svg = with_view_box(
            &tree.to_string(&usvg::WriteOptions::default()),
            size.width(),
            size.height(),
        )?;
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
    let opaque = master.image.pixels().filter(|p| p[3] == 255);
    let palette = palette(
        opaque.map(|p| [p[0], p[1], p[2]]),
        ctx.config.vector.max_colors,
    );
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

/// Add `viewBox="0 0 w h"` to the root element when it has none (usvg writes only width
/// and height), so the copy scales like its source.
fn with_view_box(svg: &str, w: f32, h: f32) -> Result<String, String> {
    let start = svg.find("<svg").ok_or("cleaned SVG has no <svg> element")?;
    let end = start
        + svg[start..]
            .find('>')
            .ok_or("cleaned SVG root is unterminated")?;
    if svg[start..end].contains("viewBox") {
        return Ok(svg.to_string());
    }
    Ok(format!(
        "{} viewBox=\"0 0 {w} {h}\"{}",
        &svg[..start + 4],
        &svg[start + 4..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaned_copy_gets_view_box() {
        let out = with_view_box("<svg width=\"4\" height=\"2\"><path/></svg>", 4.0, 2.0).unwrap();
        assert_eq!(
            out,
            "<svg viewBox=\"0 0 4 2\" width=\"4\" height=\"2\"><path/></svg>"
        );
        let kept = with_view_box("<svg viewBox=\"1 1 2 2\"/>", 4.0, 2.0).unwrap();
        assert_eq!(kept, "<svg viewBox=\"1 1 2 2\"/>");
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
