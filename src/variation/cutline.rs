//! The contour cut line for stickers: a closed, smooth path around the logo at a set
//! distance, for a vinyl cutter or a sticker printer's RIP.
//!
//! How it is made, in the vector trace's units (the padded transparent canvas):
//! 1. the logo's footprint is every pixel with any alpha, upscaled (nearest) so that the
//!    offset is at least [`MIN_OFFSET_PX`] working pixels, or, for offsets of more than
//!    [`MAX_OFFSET_PX`] canvas pixels, reduced (a working pixel is inked when any pixel
//!    of its block is) so that the working grid stays the logo's size plus the offset
//!    at [`MAX_OFFSET_PX`];
//! 2. the exact Euclidean distance to the footprint (Felzenszwalb and Huttenlocher's
//!    transform, pixel centres) grows it by the offset plus `[cutline] bridge_in`, and
//!    the distance back from outside shrinks it by the bridge: a morphological closing
//!    that joins parts and fills notches closer than twice the bridge, so the sticker is
//!    one piece; holes are filled;
//! 3. vtracer fits the region's outline with splines (no pixel stair-steps), and the
//!    outer path is kept.
//!
//! The offset is `[cutline] offset_in` at the print size of `[print] width_in` (the
//! artwork's width). Files: the cut path in its own group `CutContour`, stroked magenta,
//! over the vector artwork (SVG); the artwork with the path stroked in the Separation
//! colour `CutContour` (PDF); a preview PNG.

use std::path::PathBuf;
use std::time::Instant;

use image::RgbaImage;
use usvg::tiny_skia_path::{Path, PathSegment, Transform};

use crate::trace::{self, Mask, TraceOptions};
use crate::variation::print::{num, path_data, Artwork};
use crate::variation::{transparent, vector, Artifact, Context};

/// Working pixels in the offset, at least: the outline is then within a few percent of it.
const MIN_OFFSET_PX: f64 = 24.0;
/// The most the footprint is upscaled by.
const MAX_UPSCALE: u32 = 8;
/// Working pixels in the offset, at most: larger offsets reduce the footprint (the cut
/// is then within a block, under 0.4% of the offset, farther out).
const MAX_OFFSET_PX: f64 = 256.0;

/// `cutline/<stem>-cutline.svg`, `-cutline.pdf`, `-with-cutline.png`.
pub fn render(source: &crate::source::Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let canvas = transparent::padded(&master, ctx);
    let traces = vector::traces(source, ctx)?;
    let colour = &traces.0;
    let art = Artwork::from_svg(colour)?;
    let cfg = &ctx.config.cutline;
    let width_in = ctx.config.print.width_in;
    let units_per_in = (art.bounds[2] - art.bounds[0]) as f64 / width_in;
    // Canvas pixels to the artwork's units: the same for a trace (it is drawn on the
    // canvas); an SVG input's own units, from the area its master was rendered from.
    let to_art = match master.svg_content {
        Some(area) => {
            let s = area[2] / master.image.width() as f32;
            let pad = (canvas.width() - master.image.width()) as f32 / 2.0;
            Transform::from_row(s, 0.0, 0.0, s, area[0] - pad * s, area[1] - pad * s)
        }
        None => Transform::identity(),
    };
    let px_per_in = units_per_in / to_art.sx as f64;
    let cut_px = cut_path(
        &canvas,
        cfg.offset_in * px_per_in,
        cfg.bridge_in * px_per_in,
        ctx.deadline,
    )?;
    let cut = cut_px
        .clone()
        .transform(to_art)
        .ok_or("the cut line could not be placed")?;
    let cb = cut
        .compute_tight_bounds()
        .ok_or("the cut line has no extent")?;
    let around = [
        cb.left().min(art.bounds[0]),
        cb.top().min(art.bounds[1]),
        cb.right().max(art.bounds[2]),
        cb.bottom().max(art.bounds[3]),
    ];
    let page = art.page_around(width_in, around);
    let stem = ctx.stem;
    let dir = PathBuf::from("cutline");
    let svg = cut_svg(&art, &cut, around, page.scale);
    let mut pdf = Artifact::text(
        dir.join(format!("{stem}-cutline.pdf")),
        "pdf",
        (page.width.round() as u32, page.height.round() as u32),
        String::new(),
    );
    pdf.bytes = art.pdf(
        &page,
        &format!("{stem} cut line"),
        std::slice::from_ref(&cut),
    )?;
    pdf.warnings = art.warnings.clone();
    let pieces = cut
        .segments()
        .filter(|s| matches!(s, PathSegment::MoveTo(_)))
        .count();
    if pieces > 1 {
        pdf.warnings.push(format!(
            "cutline: {pieces} separate stickers; raise [cutline] bridge_in to join them"
        ));
    }
    let preview = with_cutline(&canvas, &cut_px)?;
    Ok(vec![
        Artifact::text(
            dir.join(format!("{stem}-cutline.svg")),
            "svg",
            (
                (around[2] - around[0]).ceil() as u32,
                (around[3] - around[1]).ceil() as u32,
            ),
            svg,
        ),
        pdf,
        Artifact::png(
            dir.join(format!("{stem}-with-cutline.png")),
            &preview,
            ctx.config.build.png,
        )?,
    ])
}

/// The closed outline at `offset` (canvas pixels) around every pixel of `canvas` with
/// any alpha, gaps and notches narrower than twice `bridge` closed, holes filled.
pub fn cut_path(
    canvas: &RgbaImage,
    offset: f64,
    bridge: f64,
    deadline: Instant,
) -> Result<Path, String> {
    // Working pixels per canvas pixel: an upscale k, or a reduction by `block`.
    let k = ((MIN_OFFSET_PX / offset.max(1e-6)).ceil() as u32).clamp(1, MAX_UPSCALE);
    let block = ((offset / MAX_OFFSET_PX).ceil() as u32).max(1);
    let scale = k as f64 / block as f64;
    let (off, bri) = (offset * scale, bridge * scale);
    let margin = (off + 4.0).ceil() as u32;
    let (cw, ch) = canvas.dimensions();
    let (w, h) = (
        (cw * k).div_ceil(block) as usize + 2 * margin as usize,
        (ch * k).div_ceil(block) as usize + 2 * margin as usize,
    );
    let mut ink = vec![false; w * h];
    for (x, y, p) in canvas.enumerate_pixels() {
        if p[3] == 0 {
            continue;
        }
        for dy in 0..k {
            let row = ((y * k + dy) / block + margin) as usize * w;
            for dx in 0..k {
                ink[row + ((x * k + dx) / block + margin) as usize] = true;
            }
        }
    }
    if !ink.iter().any(|&v| v) {
        return Err("the logo has no pixels to cut around".into());
    }
    // Distance from a pixel centre to the nearest ink pixel's square: the centre-to-centre
    // distance less half a pixel (exact along the axes, a little inside on diagonals).
    let grow = off + bri + 0.5;
    let d = distance_squared(&ink, w, h);
    let grown: Vec<bool> = d.iter().map(|&v| v <= grow * grow).collect();
    let outside: Vec<bool> = grown.iter().map(|&g| !g).collect();
    let back = distance_squared(&outside, w, h);
    let mut region: Vec<bool> = back.iter().map(|&v| v > bri * bri).collect();
    fill_holes(&mut region, w, h);
    let options = TraceOptions {
        palette: Vec::new(),
        filter_speckle: 4,
        corner_threshold: 120,
        path_precision: 2,
        // Re-fit runs of curves within an eighth of the offset: few nodes, and the
        // distance to the logo stays within a few percent of the offset.
        simplify: (off / 8.0).max(1.0),
    };
    let inside = |x: u32, y: u32| region[y as usize * w + x as usize];
    let svg = trace::trace_mask(
        Mask::new((w as u32, h as u32), 0, inside),
        &options,
        deadline,
    )?;
    let traced = Artwork::from_svg(&svg)?;
    // Every piece's outline: holes are filled, so each traced shape is one piece and
    // its first subpath is its outside. Pieces the bridge did not join are cut apart.
    let mut outer = usvg::tiny_skia_path::PathBuilder::new();
    for shape in &traced.shapes {
        if let Some(piece) = first_subpath(&shape.path) {
            outer.push_path(&piece);
        }
    }
    let outer = outer.finish().ok_or("the cut line could not be traced")?;
    let back_to_canvas = Transform::from_row(
        (1.0 / scale) as f32,
        0.0,
        0.0,
        (1.0 / scale) as f32,
        -(margin as f64 / scale) as f32,
        -(margin as f64 / scale) as f32,
    );
    outer
        .transform(back_to_canvas)
        .ok_or_else(|| "the cut line could not be placed".to_string())
}

/// The first closed subpath of `path`.
fn first_subpath(path: &Path) -> Option<Path> {
    let mut b = usvg::tiny_skia_path::PathBuilder::new();
    for (i, seg) in path.segments().enumerate() {
        match seg {
            PathSegment::MoveTo(_) if i > 0 => break,
            PathSegment::MoveTo(p) => b.move_to(p.x, p.y),
            PathSegment::LineTo(p) => b.line_to(p.x, p.y),
            PathSegment::QuadTo(q, p) => b.quad_to(q.x, q.y, p.x, p.y),
            PathSegment::CubicTo(a, c, p) => b.cubic_to(a.x, a.y, c.x, c.y, p.x, p.y),
            PathSegment::Close => {
                b.close();
                break;
            }
        }
    }
    b.finish()
}

/// Squared Euclidean distance from every pixel centre to the nearest `true` pixel centre
/// (Felzenszwalb and Huttenlocher 2012: two passes of the 1-D lower envelope).
fn distance_squared(mask: &[bool], w: usize, h: usize) -> Vec<f64> {
    let inf = 1e20;
    let mut d: Vec<f64> = mask.iter().map(|&m| if m { 0.0 } else { inf }).collect();
    let mut f = vec![0.0; w.max(h)];
    let mut out = vec![0.0; w.max(h)];
    for x in 0..w {
        for y in 0..h {
            f[y] = d[y * w + x];
        }
        envelope(&f[..h], &mut out[..h]);
        for y in 0..h {
            d[y * w + x] = out[y];
        }
    }
    for y in 0..h {
        envelope(&d[y * w..(y + 1) * w], &mut out[..w]);
        d[y * w..(y + 1) * w].copy_from_slice(&out[..w]);
    }
    d
}

/// 1-D squared distance transform of sampled function `f` into `out`.
fn envelope(f: &[f64], out: &mut [f64]) {
    let n = f.len();
    let mut v = vec![0usize; n];
    let mut z = vec![0.0f64; n + 1];
    let mut k = 0;
    z[0] = f64::NEG_INFINITY;
    z[1] = f64::INFINITY;
    let sq = |q: usize| (q * q) as f64;
    for q in 1..n {
        // z[0] is minus infinity, so k never falls below 0.
        let mut s;
        loop {
            let p = v[k];
            s = ((f[q] + sq(q)) - (f[p] + sq(p))) / (2.0 * (q as f64 - p as f64));
            if s <= z[k] {
                k -= 1;
            } else {
                break;
            }
        }
        k += 1;
        v[k] = q;
        z[k] = s;
        z[k + 1] = f64::INFINITY;
    }
    k = 0;
    for (q, o) in out.iter_mut().enumerate() {
        while z[k + 1] < q as f64 {
            k += 1;
        }
        let p = v[k];
        *o = (q as f64 - p as f64).powi(2) + f[p];
    }
}

/// Set every `false` pixel not 4-connected to the border to `true`.
fn fill_holes(region: &mut [bool], w: usize, h: usize) {
    let mut outside = vec![false; w * h];
    let mut stack: Vec<usize> = Vec::new();
    for x in 0..w {
        stack.extend([x, (h - 1) * w + x]);
    }
    for y in 0..h {
        stack.extend([y * w, y * w + w - 1]);
    }
    while let Some(i) = stack.pop() {
        if region[i] || outside[i] {
            continue;
        }
        outside[i] = true;
        let (x, y) = (i % w, i / w);
        if x > 0 {
            stack.push(i - 1);
        }
        if x + 1 < w {
            stack.push(i + 1);
        }
        if y > 0 {
            stack.push(i - w);
        }
        if y + 1 < h {
            stack.push(i + w);
        }
    }
    for (r, o) in region.iter_mut().zip(outside) {
        *r = !o;
    }
}

/// The artwork's shapes with the cut line over it in its own group `CutContour`: a
/// magenta hairline (0.25 pt at the print size), no fill. The canvas spans `around`, in
/// the artwork's units.
fn cut_svg(art: &Artwork, cut: &Path, around: [f32; 4], pt_per_unit: f64) -> String {
    use std::fmt::Write as _;
    let mut shapes = String::new();
    for s in &art.shapes {
        let _ = writeln!(
            shapes,
            "<path fill=\"{}\"{} d=\"{}\"/>",
            crate::color::Rgb(s.rgb).to_hex(),
            if s.even_odd {
                " fill-rule=\"evenodd\""
            } else {
                ""
            },
            path_data(&s.path)
        );
    }
    let (w, h) = (around[2] - around[0], around[3] - around[1]);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\">\n\
         <g id=\"Artwork\">\n{shapes}</g>\n\
         <g id=\"CutContour\" fill=\"none\" stroke=\"#ff00ff\" stroke-width=\"{}\">\n\
         <path d=\"{}\"/>\n</g>\n</svg>\n",
        num(w),
        num(h),
        num(around[0]),
        num(around[1]),
        num(w),
        num(h),
        num(0.25 / pt_per_unit),
        path_data(cut),
    )
}

/// The transparent logo with the cut line (canvas pixels) drawn over it in magenta, on a
/// canvas that spans both.
fn with_cutline(canvas: &RgbaImage, cut: &Path) -> Result<RgbaImage, String> {
    let b = cut.bounds();
    let around = [
        b.left().min(0.0),
        b.top().min(0.0),
        b.right().max(canvas.width() as f32),
        b.bottom().max(canvas.height() as f32),
    ];
    let (x0, y0) = (around[0].floor(), around[1].floor());
    let w = (around[2].ceil() - x0).max(1.0) as u32 + 2;
    let h = (around[3].ceil() - y0).max(1.0) as u32 + 2;
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or("the cut line preview is too large")?;
    let logo = crate::raster::to_pixmap(canvas).ok_or("the logo is too large to preview")?;
    pixmap.draw_pixmap(
        (-x0) as i32 + 1,
        (-y0) as i32 + 1,
        logo.as_ref(),
        &tiny_skia::PixmapPaint::default(),
        Transform::identity(),
        None,
    );
    let mut paint = tiny_skia::Paint::default();
    paint.set_color_rgba8(255, 0, 255, 255);
    paint.anti_alias = true;
    let stroke = tiny_skia::Stroke {
        width: (w.max(h) as f32 / 500.0).max(1.5),
        ..Default::default()
    };
    pixmap.stroke_path(
        cut,
        &paint,
        &stroke,
        Transform::from_translate(1.0 - x0, 1.0 - y0),
        None,
    );
    Ok(crate::raster::from_pixmap(&pixmap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_offsets_work_on_a_reduced_grid_and_keep_their_distance() {
        // A 20 px square, cut 2,000 px around: a 2,020 px grid each way at full size.
        let mut canvas = RgbaImage::new(40, 40);
        for y in 10..30 {
            for x in 10..30 {
                canvas.put_pixel(x, y, image::Rgba([0, 0, 0, 255]));
            }
        }
        let far = Instant::now() + std::time::Duration::from_secs(60);
        let cut = cut_path(&canvas, 2000.0, 0.0, far).unwrap();
        let b = cut.compute_tight_bounds().unwrap();
        for (got, want) in [
            (b.left(), 10.0 - 2000.0),
            (b.top(), 10.0 - 2000.0),
            (b.right(), 30.0 + 2000.0),
            (b.bottom(), 30.0 + 2000.0),
        ] {
            // Within the fit's tolerance (curves re-fitted within an eighth of the offset;
            // measured 1.8% inside at the sides, as at full size: 1% at 250 px).
            assert!((got - want).abs() < 0.05 * 2000.0, "{got} vs {want}");
        }
    }
}
