//! The vector SVG: a trace of the transparent master with the logo's own colours, or for
//! an SVG input a cleaned, self-contained copy.

use std::path::PathBuf;
use std::sync::Arc;

use image::{Rgba, RgbaImage};

use crate::color::{luma, palette_counts, Rgb};
use crate::config::Tracer;
use crate::source::{Content, Master, Source, Traces};
use crate::trace::fit::FitOptions;
use crate::trace::gradient::{self, Fill};
use crate::trace::outline::{self, AlphaCover, ColourCover, Paint};
use crate::trace::regions::Labels;
use crate::trace::{self, Mask, TraceOptions};
use crate::variation::{ink, transparent, Artifact, Context};
use crate::{geometry, raster};

/// Transparent border added around the canvas while tracing, so the tracer always sees
/// the background (it keys transparency only when enough of the edge is transparent).
const TRACE_MARGIN: u32 = 2;

/// `vector/<stem>.svg`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let dir = PathBuf::from("vector");
    let artifact = |name: String, (width, height): (u32, u32), svg: String| Artifact {
        path: dir.join(name),
        format: "svg",
        width,
        height,
        bytes: svg.into_bytes(),
        warnings: Vec::new(),
    };
    let (colour_name, mono_name) = (
        format!("{}.svg", ctx.stem),
        format!("{}-mono.svg", ctx.stem),
    );
    let traces = traces(source, ctx)?;
    let (colour, mono, dims) = (traces.0.clone(), traces.1.clone(), traces.2);
    Ok(vec![
        artifact(colour_name, dims, colour),
        artifact(mono_name, dims, mono),
    ])
}

/// The full-colour SVG, the one-ink SVG and their size: the cleaned copy of an SVG input
/// and its one-ink recolouring, else the colour and one-ink traces of the master.
/// Made once per source and shared by the variations that need them.
pub fn traces(source: &Source, ctx: &Context) -> Result<Arc<Traces>, String> {
    source.traces(|| make_traces(source, ctx))
}

fn make_traces(source: &Source, ctx: &Context) -> Result<Traces, String> {
    Ok(match &source.content {
        Content::Svg(tree) => {
            let (svg, dims) = cleaned(tree)?;
            let mono = recolour(&svg, INK, true);
            (svg, mono, dims)
        }
        Content::Raster { .. } => {
            let master = source.master(ctx.config)?;
            let work = Work::new(&master, ctx)?;
            let canvas = work.canvas;
            let (colour, mono) = work.trace_colour_and_ink(ctx)?;
            (colour, mono, canvas)
        }
    })
}

/// The full-colour SVG alone and its size: the cleaned copy of an SVG input, else the
/// colour trace (what `favicon.svg` is), from the shared [`traces`].
pub fn colour_svg(source: &Source, ctx: &Context) -> Result<(String, (u32, u32)), String> {
    let traces = traces(source, ctx)?;
    Ok((traces.0.clone(), traces.2))
}

/// The cleaned, self-contained copy of an SVG input, with a viewBox, and its size.
fn cleaned(tree: &usvg::Tree) -> Result<(String, (u32, u32)), String> {
    let size = tree.size();
    let dims = (size.width().round() as u32, size.height().round() as u32);
    let svg = with_view_box(
        &tree.to_string(&usvg::WriteOptions::default()),
        size.width(),
        size.height(),
    )?;
    Ok((svg, dims))
}

/// The one-ink trace of a master, for the `mono` variation.
pub struct OneInk {
    /// The SVG, painted in `INK`.
    pub svg: String,
    /// Its width and height.
    pub size: (u32, u32),
    /// The logo's own colours, which say what is ink (see [`ink::ink_plane`]).
    pub palette: Vec<Rgb>,
}

/// The one-ink trace of the master (white parts of a logo with other colours knocked
/// out), for any input: what the `mono` variation recolours. For a raster input it is
/// the shared one-ink trace of [`traces`] (the same trace, made once per logo); an SVG
/// input's one-ink copy is a recolouring of its own shapes, so its master is traced here.
pub fn one_ink(source: &Source, master: &Master, ctx: &Context) -> Result<OneInk, String> {
    match source.content {
        Content::Raster { .. } => {
            let palette: Vec<Rgb> = logo_colours(master, ctx).into_iter().map(|c| c.0).collect();
            let (w, h) = master.image.dimensions();
            let pad = 2 * geometry::padding(w, h, ctx.config.transparent.padding);
            Ok(OneInk {
                svg: traces(source, ctx)?.1.clone(),
                size: (w + pad, h + pad),
                palette,
            })
        }
        Content::Svg(_) => {
            let work = Work::new(master, ctx)?;
            let svg = match ctx.config.vector.tracer {
                Tracer::Fit => work.fit_ink(ctx)?,
                Tracer::Vtracer => work.trace_ink(work.ink_mask(), ctx)?,
            };
            Ok(OneInk {
                svg,
                size: work.canvas,
                palette: work.options.palette.clone(),
            })
        }
    }
}

/// The logo's own flat colours with their pixel counts, most common first: colours of
/// its opaque pixels (anti-aliasing excluded), near ones merged, at most `[vector]
/// max_colors`. What the trace snaps to and what the `palette` variation lists.
pub fn logo_colours(master: &Master, ctx: &Context) -> Vec<(Rgb, u64)> {
    let opaque = master.image.pixels().filter(|p| p[3] == 255);
    palette_counts(
        opaque.map(|p| [p[0], p[1], p[2]]),
        ctx.config.vector.max_colors,
    )
}

/// The master's padded canvas, scaled for tracing, with the trace's options.
struct Work {
    /// The canvas at tracing scale.
    image: RgbaImage,
    /// Canvas size (the SVG's width and height).
    canvas: (u32, u32),
    /// Canvas size at tracing scale.
    traced: (u32, u32),
    /// Transparent margin added around the image while tracing.
    margin: u32,
    options: TraceOptions,
    /// The input was lossy: its edges are fitted more loosely.
    lossy: bool,
}

impl Work {
    fn new(master: &Master, ctx: &Context) -> Result<Work, String> {
        let canvas = transparent::padded(master, ctx);
        let palette: Vec<Rgb> = logo_colours(master, ctx).into_iter().map(|c| c.0).collect();
        if palette.is_empty() {
            return Err("no opaque pixels to trace".into());
        }
        let (w, h) = canvas.dimensions();
        let vector = &ctx.config.vector;
        let scale = trace_scale(w.max(h), vector.max_trace_side, vector.tracer);
        let traced = (
            (w as f32 * scale).round() as u32,
            (h as f32 * scale).round() as u32,
        );
        let image = raster::resize_owned(canvas, traced.0, traced.1);
        Ok(Work {
            image,
            canvas: (w, h),
            traced,
            margin: (TRACE_MARGIN as f32 * scale).round() as u32,
            lossy: master.lossy,
            options: TraceOptions {
                palette,
                filter_speckle: (ctx.config.vector.filter_speckle as f32 * scale).round() as usize,
                corner_threshold: ctx.config.vector.corner_threshold,
                path_precision: ctx.config.vector.path_precision,
                simplify: f64::from(ctx.config.vector.simplify * scale),
            },
        })
    }

    /// The tracer's SVG given the canvas's width, height and viewBox.
    fn finish(&self, traced: String) -> Result<String, String> {
        with_root(&traced, self.canvas, self.traced, self.margin)
    }

    /// The one-ink version's shape, with the tracing margin: the pixels whose ink (see
    /// [`ink::ink_plane`]; a one-colour logo's alpha) is at least 50%.
    fn ink_mask(&self) -> Mask {
        let ink = ink::ink_plane(&self.image, &self.options.palette);
        let w = self.image.width();
        let inside = |x, y| ink[(y * w + x) as usize] >= 128;
        Mask::new(self.image.dimensions(), self.margin, inside)
    }

    /// A shape traced in one colour.
    fn trace_shape(&self, mask: Mask, ctx: &Context) -> Result<String, String> {
        self.finish(trace::trace_mask(mask, &self.options, ctx.deadline)?)
    }

    /// The colour trace and the one-ink version. The ink's shape is taken from the canvas
    /// first, one bit a pixel; then the canvas is dropped. One colour: that shape is also
    /// the colour trace (traced once, twice as fast as clustering), painted in the colour.
    /// Several: the snapped colours clustered from a padded copy of the canvas, which
    /// vtracer takes as its input (it clusters a copy of its own), then the ink's shape.
    fn trace_colour_and_ink(mut self, ctx: &Context) -> Result<(String, String), String> {
        if ctx.config.vector.tracer == Tracer::Fit {
            return self.fit_colour_and_ink(ctx);
        }
        let ink = self.ink_mask();
        let canvas = std::mem::take(&mut self.image);
        match *self.options.palette.as_slice() {
            [only] => {
                drop(canvas);
                let shape = self.trace_shape(ink, ctx)?;
                Ok((recolour(&shape, only, false), recolour(&shape, INK, false)))
            }
            _ => {
                let mut snapped = raster::pad(&canvas, self.margin);
                drop(canvas);
                snap(&mut snapped, &self.options.palette);
                let colour = trace::trace(snapped, &self.options, ctx.deadline)?;
                let colour = self.finish(colour)?;
                Ok((colour, self.trace_ink(ink, ctx)?))
            }
        }
    }

    /// The fitted tracer's colour and one-ink traces (see [`crate::trace::outline`]).
    fn fit_colour_and_ink(self, ctx: &Context) -> Result<(String, String), String> {
        let palette: Vec<[f64; 3]> = (self.options.palette.iter())
            .map(|c| c.0.map(f64::from))
            .collect();
        let mut labels = outline::colour_labels(&self.image, &palette);
        if self.lossy {
            labels.smooth_colour_edges();
        }
        labels.drop_specks(self.speck_area());
        let gradients = match ctx.config.vector.gradients {
            true => gradient::find(&self.image, &mut labels, &palette),
            false => Vec::new(),
        };

        let fills: Vec<Fill> = (self.options.palette.iter())
            .map(|&c| Fill::Flat(c))
            .chain(gradients)
            .collect();
        let mut counts = vec![0u64; fills.len() + 1];
        for &l in &labels.labels {
            counts[l as usize] += 1;
        }
        // Largest first: a badge under its letters.
        let mut order: Vec<u8> = (1..=fills.len() as u8).collect();
        order.sort_by_key(|&l| std::cmp::Reverse(counts[l as usize]));
        let paints: Vec<Paint> = (order.iter())
            .filter(|&&l| counts[l as usize] > 0)
            .map(|&l| Paint {
                label: l,
                fill: fills[l as usize - 1].clone(),
            })
            .collect();
        let cover = ColourCover {
            image: &self.image,
            fills,
        };
        let colour = self.fit(&labels, &cover, &paints, ctx)?;
        let mono = match *self.options.palette.as_slice() {
            [_] => recolour(&colour, INK, false),
            _ => self.fit_ink(ctx)?,
        };
        Ok((colour, mono))
    }

    /// The fitted one-ink trace: the shape of the pixels whose ink (see
    /// [`ink::ink_plane`]) is at least half, its edges placed by the ink's coverage.
    fn fit_ink(&self, ctx: &Context) -> Result<String, String> {
        let (w, h) = self.image.dimensions();
        let alpha = ink::ink_plane(&self.image, &self.options.palette);
        let mut labels = Labels {
            width: w as usize,
            height: h as usize,
            labels: alpha.iter().map(|&a| u8::from(a >= 128)).collect(),
        };
        labels.drop_specks(self.speck_area());
        let cover = AlphaCover {
            width: w as usize,
            alpha,
        };
        let paints = [Paint {
            label: 1,
            fill: Fill::Flat(INK),
        }];
        self.fit(&labels, &cover, &paints, ctx)
    }

    /// Specks smaller than this many pixels are dropped.
    fn speck_area(&self) -> usize {
        self.options.filter_speckle * self.options.filter_speckle
    }

    fn fit(
        &self,
        labels: &Labels,
        cover: &dyn trace::regions::Cover,
        paints: &[Paint],
        ctx: &Context,
    ) -> Result<String, String> {
        let opts = FitOptions {
            tolerance: FIT_TOLERANCE,
            shape: match self.lossy {
                true => LOSSY_SHAPE_TOLERANCE,
                false => SHAPE_TOLERANCE,
            },
            corner: f64::from(ctx.config.vector.corner_threshold).to_radians(),
            snap: SNAP_DEGREES.to_radians(),
        };
        let size = (
            self.traced.0 + 2 * self.margin,
            self.traced.1 + 2 * self.margin,
        );
        let deadline = ctx.deadline;
        let svg = outline::trace(
            labels,
            cover,
            paints,
            size,
            f64::from(self.margin),
            ctx.config.vector.path_precision,
            &opts,
            &|| std::time::Instant::now() >= deadline,
        )?;
        self.finish(svg)
    }

    /// The one-ink version of `ink` (its [`Work::ink_mask`]), painted in `INK`.
    fn trace_ink(&self, ink: Mask, ctx: &Context) -> Result<String, String> {
        Ok(recolour(&self.trace_shape(ink, ctx)?, INK, false))
    }
}

/// Largest distance, in tracing pixels, of an edge point from its fitted outline.
const FIT_TOLERANCE: f64 = 0.3;
/// Largest distance of a piece's edge points from a line or circle for it to be drawn as
/// one.
const SHAPE_TOLERANCE: f64 = 0.24;
/// The same for a lossy input (JPEG), whose edges wobble by a few tenths of a pixel: a
/// long straight edge within this of a line is one (measured on the JPEGs of
/// fixtures/corpus, `fidelity -- geometry`: 0.24 gives turning 1.065, worst tenth 1.82;
/// 0.7 gives 1.057 and 1.42 with the same median error, 0.117 px; 1.0 rounds gentle
/// curves).
const LOSSY_SHAPE_TOLERANCE: f64 = 0.7;
/// Lines within this many degrees of level or plumb are made exactly so.
const SNAP_DEGREES: f64 = 2.0;

/// The one ink of the single-colour SVG.
pub const INK: Rgb = Rgb([0, 0, 0]);
/// A single-colour copy of an SVG: every colour paint becomes `ink`, except, with
/// `keep_white`, near-white ones, which stay white (a cleaned SVG source draws its
/// knock-outs as white shapes, and their geometry is kept). Gradients become the ink.
pub fn recolour(svg: &str, ink: Rgb, keep_white: bool) -> String {
    let ink = ink.to_hex();
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(['f', 's']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let attr = ["fill=\"", "stroke=\"", "stop-color=\""]
            .into_iter()
            .find(|a| rest.starts_with(a));
        let Some(attr) = attr else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
            continue;
        };
        let value_end = rest[attr.len()..]
            .find('"')
            .map_or(rest.len(), |e| attr.len() + e);
        let value = &rest[attr.len()..value_end];
        let new = match value {
            "none" => value.to_string(),
            v => match Rgb::parse_hex(v) {
                Some(c) if keep_white && luma(c.0) >= ink::PAPER_LUMA => "#FFFFFF".to_string(),
                _ => ink.clone(),
            },
        };
        out.push_str(attr);
        out.push_str(&new);
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

/// Make `image`'s alpha binary (at 50%) and snap every opaque pixel to the nearest
/// palette colour, so each colour region is traced as one flat shape.
fn snap(image: &mut RgbaImage, palette: &[Rgb]) {
    for p in image.pixels_mut() {
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
}

/// Longest side from which a canvas is traced at its own size.
const SMALL_SIDE: u32 = 400;
/// How many times larger than the canvas (longest side `side`) to trace: 1x up to
/// `max_side`, reduced to it above; vtracer traces logos under 400 px at 2x, as the soft
/// edges of the master, resized in premultiplied alpha, then place its outlines between
/// pixels (the fitted tracer places them by the soft edges themselves). Measured with
/// vtracer's seam-free trace
/// (`cargo run --release --example fidelity -- vector`): on the 512 px corpus, 1x gives
/// a median PSNR of 31.7 dB in 0.8 times vtracer's default time, where 1.5x gains 1-3 dB
/// at 1.7-2.4 times; on the corpus reduced to 256 px, 1x falls to 28.2 dB and 2x gives
/// 30.4 dB.
fn trace_scale(side: u32, max_side: u32, tracer: Tracer) -> f32 {
    if side < SMALL_SIDE && tracer == Tracer::Vtracer {
        2.0
    } else if side <= max_side {
        1.0
    } else {
        max_side as f32 / side as f32
    }
}

/// Replace the tracer's root element with one carrying width and height of the canvas and
/// a viewBox in tracing coordinates (the traced size) that crops the tracing margin.
fn with_root(
    svg: &str,
    (width, height): (u32, u32),
    (traced_w, traced_h): (u32, u32),
    margin: u32,
) -> Result<String, String> {
    let (_, end) = root_tag(svg)?;
    let body = &svg[end + 1..];
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" viewBox=\"{margin} {margin} {} {}\">{body}",
        traced_w,
        traced_h
    ))
}

/// Where the root `<svg ...>` tag starts and where its `>` is.
fn root_tag(svg: &str) -> Result<(usize, usize), String> {
    let start = svg.find("<svg").ok_or("SVG has no <svg> element")?;
    let end = svg[start..]
        .find('>')
        .ok_or("SVG root element is unterminated")?;
    Ok((start, start + end))
}

/// `svg` showing only `area` (x, y, width, height in the units of its width and height,
/// which its viewBox may scale) with `padding` (a share of the area's longest side)
/// around it, and its new size: the root's width, height and viewBox replaced. What lies
/// outside stays in the file, unseen.
pub fn view_of(svg: &str, area: [f32; 4], padding: f64) -> Result<(String, (u32, u32)), String> {
    let (start, end) = root_tag(svg)?;
    let mut tag = svg[start..end].to_string();
    let mut take = |name: &str| -> Option<String> {
        let at = tag.find(name)?;
        let value = at + name.len();
        let close = value + tag[value..].find('"')?;
        let found = tag[value..close].to_string();
        tag.replace_range(at..close + 1, "");
        Some(found)
    };
    let number = |v: Option<String>| v.and_then(|v| v.trim().parse::<f32>().ok());
    let (width, height) = (number(take(" width=\"")), number(take(" height=\"")));
    let (Some(width), Some(height)) = (width, height) else {
        return Err("SVG root has no width and height".into());
    };
    let view: Vec<f32> = take(" viewBox=\"")
        .map(|v| v.split([' ', ',']).filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let [vx, vy, vw, vh] = <[f32; 4]>::try_from(view).unwrap_or([0.0, 0.0, width, height]);
    let (kx, ky) = (vw / width, vh / height);
    let pad = (area[2].max(area[3]) as f64 * padding) as f32;
    let [x, y, w, h] = [
        area[0] - pad,
        area[1] - pad,
        area[2] + 2.0 * pad,
        area[3] + 2.0 * pad,
    ];
    let size = (w.round().max(1.0) as u32, h.round().max(1.0) as u32);
    let svg = format!(
        "{}{} width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\"{}",
        &svg[..start],
        tag,
        size.0,
        size.1,
        vx + x * kx,
        vy + y * ky,
        w * kx,
        h * ky,
        &svg[end..]
    );
    Ok((svg, size))
}

/// Add `viewBox="0 0 w h"` to the root element when it has none (usvg writes only width
/// and height), so the copy scales like its source.
fn with_view_box(svg: &str, w: f32, h: f32) -> Result<String, String> {
    let (start, end) = root_tag(svg)?;
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
    fn recolour_paints_every_paint_but_knock_outs() {
        let svg = r##"<svg><path fill="#ff0000" stroke="#00FF00" d="M0 0"/><path fill="#ffffff"/><path fill="none"/><linearGradient><stop stop-color="#123456"/></linearGradient><path fill="url(#g)"/></svg>"##;
        let out = recolour(svg, INK, true);
        assert_eq!(
            out,
            r##"<svg><path fill="#000000" stroke="#000000" d="M0 0"/><path fill="#FFFFFF"/><path fill="none"/><linearGradient><stop stop-color="#000000"/></linearGradient><path fill="#000000"/></svg>"##
        );
    }

    #[test]
    fn small_logos_are_traced_larger_and_big_ones_bounded() {
        let v = Tracer::Vtracer;
        assert_eq!(trace_scale(120, 1024, v), 2.0);
        assert_eq!(trace_scale(399, 1024, v), 2.0);
        assert_eq!(trace_scale(400, 1024, v), 1.0);
        assert_eq!(trace_scale(1024, 1024, v), 1.0);
        assert_eq!(trace_scale(2048, 1024, v), 0.5);
        // The fitted tracer never enlarges.
        assert_eq!(trace_scale(120, 1024, Tracer::Fit), 1.0);
        assert_eq!(trace_scale(2048, 1024, Tracer::Fit), 0.5);
    }

    #[test]
    fn a_view_of_part_replaces_the_root_size_and_view_box() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100"><rect/></svg>"#;
        let (part, size) = view_of(svg, [10.0, 0.0, 100.0, 100.0], 0.1).unwrap();
        assert_eq!(
            part,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 -10 120 120"><rect/></svg>"#
        );
        assert_eq!(size, (120, 120));
        // A trace's viewBox is in the traced pixels (here half the canvas's, with a
        // margin of 2): the area is mapped into them.
        let trace = r#"<svg width="400" height="200" viewBox="2 2 200 100"><path/></svg>"#;
        let (part, _) = view_of(trace, [100.0, 50.0, 100.0, 100.0], 0.0).unwrap();
        assert_eq!(
            part,
            r#"<svg width="100" height="100" viewBox="52 27 50 50"><path/></svg>"#
        );
    }

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
        let out = with_root(svg, (10, 10), (10, 10), 2).unwrap();
        assert!(out.contains("viewBox=\"2 2 10 10\""));
        let out = with_root(svg, (10, 5), (30, 15), 6).unwrap();
        assert!(
            out.contains("width=\"10\" height=\"5\" viewBox=\"6 6 30 15\""),
            "{out}"
        );
        assert!(out.contains("<path d=\"M0 0\"/></svg>"));
        assert!(!out.contains("VTracer"));
    }
}
