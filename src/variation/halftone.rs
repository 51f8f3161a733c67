//! Halftone: the logo as an amplitude-modulated dot screen, as vector dots (an SVG a
//! laser engraver or cutter can use) and as a PNG rendered from them.
//!
//! The screen is laid out in print units: the logo is `[print] width_in` wide (the page
//! adds the transparent padding around it), with `[halftone] lpi` cells per inch on a grid turned by `angle`. Each
//! cell's darkness is the mean over its square of (1 - luma) x alpha of the transparent
//! logo (on white), and its dot covers that share of the cell: a circle of area d x cell²
//! (`round`), a square (`square`) or a bar across the cell (`line`, which joins into lines
//! of varying weight). Dots are clipped to the logo's one-ink shape, so none spills past
//! its edges. `ink` is one colour ("#RRGGBB") or "colour" (each dot in its cell's mean
//! colour).

use std::fmt::Write as _;
use std::path::PathBuf;

use image::RgbaImage;

use crate::color::{luma, Rgb};
use crate::config::{DotShape, HalftoneConfig};
use crate::source::Source;
use usvg::tiny_skia_path::PathBuilder;

use crate::variation::print::{num as n, path_data, Artwork};
use crate::variation::{transparent, vector, Artifact, Context};

/// Cells darker than this get a dot.
const MIN_DARKNESS: f64 = 0.02;
/// Points per inch.
const PT_PER_IN: f64 = 72.0;

/// `halftone/<stem>.svg` and `halftone/<stem>.png`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let canvas = transparent::padded(&master, ctx);
    let ink = vector::one_ink(source, &master, ctx)?;
    let clip = Artwork::from_svg(&ink.svg)?;
    let cfg = &ctx.config.halftone;
    // The logo itself is [print] width_in wide, as in print/ and cutline/; the page adds
    // the transparent padding around it.
    let page_in =
        ctx.config.print.width_in * canvas.width() as f64 / master.image.width().max(1) as f64;
    let svg = screen(&canvas, &clip, page_in, cfg)?;
    let png = rasterise(&svg, cfg.dpi)?;
    let dir = PathBuf::from("halftone");
    let (w, h) = (png.width(), png.height());
    Ok(vec![
        Artifact::text(dir.join(format!("{}.svg", ctx.stem)), "svg", (w, h), svg),
        Artifact::png(
            dir.join(format!("{}.png", ctx.stem)),
            &png,
            ctx.config.build.png,
        )?,
    ])
}

/// Sums over the image of darkness and of alpha-weighted colour, for box means.
pub struct Integral {
    w: usize,
    h: usize,
    /// Per pixel: darkness, alpha, alpha x r, alpha x g, alpha x b.
    sums: Vec<[f64; 5]>,
}

impl Integral {
    /// Sums of `img` whose darkness is (1 - luma) x alpha: a one-ink screen of the logo.
    pub fn new(img: &RgbaImage) -> Integral {
        Integral::of(img, |p| {
            (1.0 - luma([p[0], p[1], p[2]]) as f64 / 255.0) * p[3] as f64 / 255.0
        })
    }

    /// Sums of `img` whose darkness is `dark` of each pixel (0-1, alpha included).
    pub fn of(img: &RgbaImage, dark: impl Fn(&image::Rgba<u8>) -> f64) -> Integral {
        let (w, h) = (img.width() as usize, img.height() as usize);
        let mut sums = vec![[0.0; 5]; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = [0.0; 5];
            for x in 0..w {
                let p = img.get_pixel(x as u32, y as u32);
                let a = p[3] as f64 / 255.0;
                let v = [
                    dark(p),
                    a,
                    a * p[0] as f64,
                    a * p[1] as f64,
                    a * p[2] as f64,
                ];
                for k in 0..5 {
                    row[k] += v[k];
                }
                let above = sums[y * (w + 1) + x + 1];
                let cell = &mut sums[(y + 1) * (w + 1) + x + 1];
                for k in 0..5 {
                    cell[k] = above[k] + row[k];
                }
            }
        }
        Integral { w, h, sums }
    }

    /// Means over the box [x0, x1) x [y0, y1), clamped to the image (outside is empty).
    fn mean(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> [f64; 5] {
        // Whole pixels: the divisor is the box's own pixel count (outside the image
        // counts as empty), so that boxes rounding to more pixels do not read darker.
        // At least one pixel each way: cells finer than the image's pixels still sample.
        let (rx0, ry0) = (x0.round(), y0.round());
        let (rx1, ry1) = (x1.round().max(rx0 + 1.0), y1.round().max(ry0 + 1.0));
        let area = ((rx1 - rx0) * (ry1 - ry0)).max(1.0);
        let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
        let (ax, bx) = (clamp(rx0, self.w), clamp(rx1, self.w));
        let (ay, by) = (clamp(ry0, self.h), clamp(ry1, self.h));
        let at = |x: usize, y: usize| self.sums[y * (self.w + 1) + x];
        let mut out = [0.0; 5];
        if bx > ax && by > ay {
            for (k, o) in out.iter_mut().enumerate() {
                *o = (at(bx, by)[k] - at(ax, by)[k] - at(bx, ay)[k] + at(ax, ay)[k]) / area;
            }
        }
        out
    }
}

/// A screen: cells of `cell` points on a grid turned by `angle` degrees counter-clockwise
/// as seen (the printing convention; the page's y axis points down), each holding a dot
/// of `shape` that covers its darkness's share of the cell.
pub struct Grid {
    /// Cell side in points.
    pub cell: f64,
    /// Screen angle in degrees.
    pub angle: f64,
    /// Dot shape.
    pub shape: DotShape,
}

/// One cell with ink: its centre in points, its darkness (0-1) and its box means
/// (darkness, alpha, alpha x r, alpha x g, alpha x b).
pub struct Cell {
    /// Centre, points from the left.
    pub x: f64,
    /// Centre, points from the top.
    pub y: f64,
    /// Share of the cell the dot covers.
    pub dark: f64,
    /// Means over the cell's square.
    pub mean: [f64; 5],
}

impl Grid {
    /// The cells with ink over an image of `sums`, whose pixels are `pt_per_px` points.
    pub fn cells(&self, sums: &Integral, pt_per_px: f64) -> Vec<Cell> {
        let (page_w, page_h) = (sums.w as f64 * pt_per_px, sums.h as f64 * pt_per_px);
        let cell = self.cell;
        let half = cell / pt_per_px / 2.0;
        let (sin, cos) = self.turn();
        let mut out = Vec::new();
        // Grid points i*u + j*v (u along the angle, v across it) whose cells meet the page.
        let reach = ((page_w * page_w + page_h * page_h).sqrt() / cell).ceil() as i64 + 1;
        for j in -reach..=reach {
            for i in -reach..=reach {
                let x = (i as f64 + 0.5) * cell * cos - (j as f64 + 0.5) * cell * sin;
                let y = (i as f64 + 0.5) * cell * sin + (j as f64 + 0.5) * cell * cos;
                if x < -cell || y < -cell || x > page_w + cell || y > page_h + cell {
                    continue;
                }
                let (px, py) = (x / pt_per_px, y / pt_per_px);
                let mean = sums.mean(px - half, py - half, px + half, py + half);
                let dark = mean[0].clamp(0.0, 1.0);
                if dark >= MIN_DARKNESS {
                    out.push(Cell { x, y, dark, mean });
                }
            }
        }
        out
    }

    /// The box of a square or line dot: width and height before turning.
    fn dot_box(&self, dark: f64) -> (f64, f64) {
        match self.shape {
            DotShape::Square => (self.cell * dark.sqrt(), self.cell * dark.sqrt()),
            _ => (self.cell, self.cell * dark),
        }
    }

    /// Sine and cosine of the turn in page coordinates (y down): counter-clockwise as
    /// seen is a negative angle there.
    fn turn(&self) -> (f64, f64) {
        (-self.angle).to_radians().sin_cos()
    }

    /// A round dot's radius: the circle whose part inside its cell covers `dark` of it.
    /// Up to darkness pi/4 the circle fits in the cell (area = darkness); beyond, it
    /// overlaps its neighbours and the radius grows until the cell is solid at 1.
    fn radius(&self, dark: f64) -> f64 {
        // Coverage of the unit cell by a centred circle of radius r (0.5 <= r <= 0.707):
        // its area less the four segments past the cell's sides.
        let covered = |r: f64| {
            let d: f64 = 0.5;
            if r <= d {
                std::f64::consts::PI * r * r
            } else {
                let segment = r * r * (d / r).acos() - d * (r * r - d * d).sqrt();
                (std::f64::consts::PI * r * r - 4.0 * segment).min(1.0)
            }
        };
        if dark <= std::f64::consts::FRAC_PI_4 {
            return self.cell * (dark / std::f64::consts::PI).sqrt();
        }
        let (mut lo, mut hi) = (0.5, std::f64::consts::FRAC_1_SQRT_2);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if covered(mid) < dark {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        self.cell * hi
    }

    /// The dot of `c` as an SVG element with the attributes `fill`.
    fn svg(&self, c: &Cell, fill: &str) -> String {
        match self.shape {
            DotShape::Round => format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{fill}/>",
                n(c.x),
                n(c.y),
                n(self.radius(c.dark))
            ),
            // A w x h box centred on the cell, turned to the screen angle.
            DotShape::Square | DotShape::Line => {
                let (w, h) = self.dot_box(c.dark);
                format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" transform=\"rotate({} {} {})\"{fill}/>",
                    n(c.x - w / 2.0),
                    n(c.y - h / 2.0),
                    n(w),
                    n(h),
                    n(-self.angle),
                    n(c.x),
                    n(c.y)
                )
            }
        }
    }

    /// Add the dot of `c`, moved by `(dx, dy)` points, to `path` as a closed outline
    /// (circles as four cubics).
    pub fn outline(&self, c: &Cell, (dx, dy): (f64, f64), path: &mut PathBuilder) {
        let (x, y) = (c.x + dx, c.y + dy);
        let p = |px: f64, py: f64| (px as f32, py as f32);
        match self.shape {
            DotShape::Round => circle(path, x, y, self.radius(c.dark)),
            DotShape::Square | DotShape::Line => {
                let (w, h) = self.dot_box(c.dark);
                let (sin, cos) = self.turn();
                let corner = |u: f64, v: f64| p(x + u * cos - v * sin, y + u * sin + v * cos);
                let corners = [
                    corner(-w / 2.0, -h / 2.0),
                    corner(w / 2.0, -h / 2.0),
                    corner(w / 2.0, h / 2.0),
                    corner(-w / 2.0, h / 2.0),
                ];
                path.move_to(corners[0].0, corners[0].1);
                for q in &corners[1..] {
                    path.line_to(q.0, q.1);
                }
                path.close();
            }
        }
    }
}

/// Add a closed circle of radius `r` around (`x`, `y`) to `path`: four cubics, the
/// usual control points k*r along the tangents.
pub fn circle(path: &mut PathBuilder, x: f64, y: f64, r: f64) {
    let p = |px: f64, py: f64| (px as f32, py as f32);
    let k = r * 0.552_284_75;
    let (x0, y0) = p(x + r, y);
    path.move_to(x0, y0);
    for (c1, c2, e) in [
        ((x + r, y + k), (x + k, y + r), (x, y + r)),
        ((x - k, y + r), (x - r, y + k), (x - r, y)),
        ((x - r, y - k), (x - k, y - r), (x, y - r)),
        ((x + k, y - r), (x + r, y - k), (x + r, y)),
    ] {
        let (c1, c2, e) = (p(c1.0, c1.1), p(c2.0, c2.1), p(e.0, e.1));
        path.cubic_to(c1.0, c1.1, c2.0, c2.1, e.0, e.1);
    }
    path.close();
}

/// The dot screen of `canvas` as an SVG in points, `width_in` inches wide, clipped to
/// `clip` (shapes in canvas pixels).
pub fn screen(
    canvas: &RgbaImage,
    clip: &Artwork,
    width_in: f64,
    cfg: &HalftoneConfig,
) -> Result<String, String> {
    let (cw, ch) = (canvas.width() as f64, canvas.height() as f64);
    let page_w = width_in * PT_PER_IN;
    let pt_per_px = page_w / cw;
    let page_h = ch * pt_per_px;
    let grid = Grid {
        cell: PT_PER_IN / cfg.lpi,
        angle: cfg.angle,
        shape: cfg.shape,
    };
    let one_ink = match cfg.ink.as_str() {
        "colour" | "color" => None,
        hex => Some(Rgb::parse_hex(hex).ok_or_else(|| {
            format!("halftone.ink: \"{hex}\" is not \"colour\" or a #RRGGBB colour")
        })?),
    };
    let mut body = String::new();
    for c in grid.cells(&Integral::new(canvas), pt_per_px) {
        let fill = match one_ink {
            Some(_) => String::new(),
            None => {
                let a = c.mean[1].max(1e-9);
                let rgb = Rgb([
                    (c.mean[2] / a).round() as u8,
                    (c.mean[3] / a).round() as u8,
                    (c.mean[4] / a).round() as u8,
                ]);
                format!(" fill=\"{}\"", rgb.to_hex())
            }
        };
        body.push_str(&grid.svg(&c, &fill));
        body.push('\n');
    }
    let mut clip_paths = String::new();
    for shape in &clip.shapes {
        let _ = writeln!(
            clip_paths,
            "<path clip-rule=\"{}\" d=\"{}\"/>",
            if shape.even_odd { "evenodd" } else { "nonzero" },
            path_data(&shape.path)
        );
    }
    let ink_fill = one_ink.map_or(String::new(), |c| format!(" fill=\"{}\"", c.to_hex()));
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}in\" height=\"{h}in\" viewBox=\"0 0 {pw} {ph}\">\n\
         <defs><clipPath id=\"logo\" transform=\"scale({k})\">\n{clip_paths}</clipPath></defs>\n\
         <g clip-path=\"url(#logo)\"{ink_fill}>\n{body}</g>\n</svg>\n",
        w = n(width_in),
        h = n(page_h / PT_PER_IN),
        pw = n(page_w),
        ph = n(page_h),
        k = n(pt_per_px),
    ))
}

/// `svg` rendered at `dpi` on a transparent canvas.
fn rasterise(svg: &str, dpi: f64) -> Result<RgbaImage, String> {
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default())
        .map_err(|e| format!("halftone SVG: {e}"))?;
    // usvg sizes the tree in CSS pixels: 96 to the inch.
    let size = tree.size();
    let scale = dpi / 96.0;
    let (w, h) = (
        (size.width() as f64 * scale).round().max(1.0) as u32,
        (size.height() as f64 * scale).round().max(1.0) as u32,
    );
    Ok(crate::source::render_svg(
        &tree,
        [0.0, 0.0, size.width(), size.height()],
        w,
        h,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_dots_cover_their_darkness_and_solid_is_solid() {
        let grid = Grid {
            cell: 1.0,
            angle: 0.0,
            shape: DotShape::Round,
        };
        // Rasterise one cell finely with its neighbours' equal dots overlapping it.
        for dark in [0.1, 0.5, 0.78, 0.85, 0.95, 1.0] {
            let r = grid.radius(dark);
            let steps = 400;
            let mut inked = 0;
            for iy in 0..steps {
                for ix in 0..steps {
                    let (x, y) = (
                        (ix as f64 + 0.5) / steps as f64,
                        (iy as f64 + 0.5) / steps as f64,
                    );
                    let near = [(0.5, 0.5), (-0.5, 0.5), (1.5, 0.5), (0.5, -0.5), (0.5, 1.5)]
                        .iter()
                        .any(|&(cx, cy): &(f64, f64)| (x - cx).hypot(y - cy) <= r);
                    inked += near as u32;
                }
            }
            let got = inked as f64 / (steps * steps) as f64;
            assert!((got - dark).abs() < 0.01, "darkness {dark}: covered {got}");
        }
    }

    #[test]
    fn cells_finer_than_a_pixel_still_sample_it() {
        let img = RgbaImage::from_pixel(4, 4, image::Rgba([0, 0, 0, 255]));
        let sums = Integral::new(&img);
        let m = sums.mean(1.2, 1.2, 1.4, 1.4);
        assert!((m[0] - 1.0).abs() < 1e-9, "{m:?}");
        // Outside the image is empty.
        assert_eq!(sums.mean(10.0, 10.0, 12.0, 12.0)[0], 0.0);
    }

    #[test]
    fn screens_of_millions_of_dots_are_refused() {
        let mut config = crate::config::Config::default();
        config.halftone.lpi = 300.0;
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("halftone.lpi"), "{err}");
    }
}
