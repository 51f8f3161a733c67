//! The fitted trace: labels and their soft coverage in, SVG out. Each boundary between
//! two labels is fitted once ([`super::fit`]) and drawn by both shapes; shapes are
//! painted largest first, and a shape paints over the holes of it that only shapes
//! painted later fill, so those later shapes' anti-aliased edges blend with it and never
//! with the background.

use std::fmt::Write;

use image::RgbaImage;

use super::fit::{fit, FitOptions, Fitted, Seg};
use super::gradient::Fill;
use super::regions::{chains, outlines, Cover, Holes, Labels, P};

/// What to draw: each label (1 and up; 0 is the background) with its fill.
pub struct Paint {
    pub label: u8,
    pub fill: Fill,
}

/// Trace `labels` (with `cover` for sub-pixel edges) into a standalone SVG of
/// `size`, every coordinate shifted by `offset`, with `precision` decimals. `paints` are
/// drawn in the order given (bottom first). `cancelled` stops the work early.
#[allow(clippy::too_many_arguments)]
pub fn trace(
    labels: &Labels,
    cover: &dyn Cover,
    paints: &[Paint],
    size: (u32, u32),
    offset: f64,
    precision: u32,
    opts: &FitOptions,
    cancelled: &dyn Fn() -> bool,
) -> Result<String, String> {
    let cancel = || "timed out while tracing".to_string();
    let chains = chains(labels, cover, cancelled).map_err(|_| cancel())?;
    let mut fitted = Vec::with_capacity(chains.len());
    for (i, c) in chains.iter().enumerate() {
        if i % 256 == 0 && cancelled() {
            return Err(cancel());
        }
        fitted.push(fit(&c.points, c.ends.is_none(), opts));
    }
    let mut svg = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{}\" height=\"{}\">\n",
        size.0, size.1
    );
    let gradients: Vec<String> = (paints.iter().enumerate())
        .filter_map(|(k, p)| p.fill.element(&gradient_id(k), offset))
        .collect();
    if !gradients.is_empty() {
        let _ = writeln!(svg, "<defs>{}</defs>", gradients.concat());
    }
    for (k, paint) in paints.iter().enumerate() {
        if cancelled() {
            return Err(cancel());
        }
        let label = paint.label;
        let later: Vec<u8> = paints[k + 1..].iter().map(|p| p.label).collect();
        let inside = |l: u8| l == label;
        let later_label = |l: u8| later.contains(&l);
        let mut holes = Holes::new(labels, &inside, &later_label);
        let mut path = PathData::new(precision, offset);
        for (uses, outside) in outlines(&chains, &inside) {
            let (x, y) = outside;
            let in_image =
                x >= 0 && y >= 0 && (x as usize) < labels.width && (y as usize) < labels.height;
            if in_image && holes.fillable(x as usize, y as usize) {
                continue;
            }
            let pieces: Vec<Fitted> = uses
                .iter()
                .map(|u| {
                    let f = &fitted[u.chain];
                    if u.reversed {
                        f.reversed()
                    } else {
                        f.clone()
                    }
                })
                .collect();
            path.outline(&pieces);
        }
        if !path.d.is_empty() {
            let _ = writeln!(
                svg,
                "<path d=\"{}\" fill=\"{}\"/>",
                path.d,
                paint.fill.paint(&gradient_id(k))
            );
        }
    }
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// The id of the gradient of the `k`-th paint: prefixed, as traces are often pasted
/// into other documents.
fn gradient_id(k: usize) -> String {
    format!("logoproc-gradient-{k}")
}

/// Path data written with relative commands on a grid of `precision` decimals: every
/// point is rounded once, so shared edges round the same way in every shape.
struct PathData {
    d: String,
    unit: f64,
    precision: u32,
    offset: f64,
    pen: (i64, i64),
    last: char,
}

impl PathData {
    fn new(precision: u32, offset: f64) -> PathData {
        PathData {
            d: String::new(),
            unit: 10f64.powi(precision as i32),
            precision,
            offset,
            pen: (0, 0),
            last: ' ',
        }
    }

    fn grid(&self, p: P) -> (i64, i64) {
        (
            ((p[0] + self.offset) * self.unit).round() as i64,
            ((p[1] + self.offset) * self.unit).round() as i64,
        )
    }

    fn num(&mut self, v: i64) {
        let text = number(v, self.precision);
        if !self.d.is_empty() && !text.starts_with('-') && !self.d.ends_with(char::is_alphabetic) {
            self.d.push(' ');
        }
        self.d.push_str(&text);
    }

    fn command(&mut self, c: char) {
        if self.last != c || c == 'M' {
            self.d.push(c);
            self.last = c;
        }
    }

    fn rel(&mut self, p: P) -> (i64, i64) {
        let g = self.grid(p);
        (g.0 - self.pen.0, g.1 - self.pen.1)
    }

    /// One closed outline made of `pieces` end to end.
    fn outline(&mut self, pieces: &[Fitted]) {
        let Some(first) = pieces.first() else { return };
        let start = self.grid(first.start);
        self.command('M');
        self.num(start.0);
        self.num(start.1);
        self.pen = start;
        let segs = pieces.iter().flat_map(|f| f.segs.iter());
        let count = pieces.iter().map(|f| f.segs.len()).sum::<usize>();
        for (i, seg) in segs.enumerate() {
            let end = self.grid(seg.end());
            let closing = i + 1 == count && end == start;
            match *seg {
                Seg::Line(_) => {
                    if closing {
                        break;
                    }
                    let (dx, dy) = self.rel(seg.end());
                    match (dx, dy) {
                        (0, 0) => continue,
                        (dx, 0) => {
                            self.command('h');
                            self.num(dx);
                        }
                        (0, dy) => {
                            self.command('v');
                            self.num(dy);
                        }
                        (dx, dy) => {
                            self.command('l');
                            self.num(dx);
                            self.num(dy);
                        }
                    }
                }
                Seg::Cubic(a, b, _) => {
                    let (a, b, c) = (self.rel(a), self.rel(b), self.rel(seg.end()));
                    self.command('c');
                    for v in [a.0, a.1, b.0, b.1, c.0, c.1] {
                        self.num(v);
                    }
                }
                Seg::Arc {
                    rx,
                    ry,
                    rotation,
                    large,
                    sweep,
                    ..
                } => {
                    let (dx, dy) = self.rel(seg.end());
                    if (dx, dy) == (0, 0) {
                        continue;
                    }
                    self.command('a');
                    self.num((rx * self.unit).round() as i64);
                    self.num((ry * self.unit).round() as i64);
                    // A thousandth of a degree: 0.02 px at the end of a 1,000 px axis.
                    self.d.push(' ');
                    self.d
                        .push_str(&number((rotation * 1000.0).round() as i64, 3));
                    self.d.push(' ');
                    self.d.push(if large { '1' } else { '0' });
                    self.d.push(' ');
                    self.d.push(if sweep { '1' } else { '0' });
                    self.num(dx);
                    self.num(dy);
                }
            }
            self.pen = end;
        }
        self.d.push('z');
        self.last = 'z';
        self.pen = start;
    }
}

/// `v` units of 10^-`precision` as a decimal, without trailing zeros.
fn number(v: i64, precision: u32) -> String {
    if precision == 0 {
        return v.to_string();
    }
    let unit = 10i64.pow(precision);
    let (sign, a) = if v < 0 { ("-", -v) } else { ("", v) };
    let (int, frac) = (a / unit, a % unit);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let frac = format!("{frac:0width$}", width = precision as usize);
    format!("{sign}{int}.{}", frac.trim_end_matches('0'))
}

/// Coverage from one alpha per pixel: the shape (any label but 0) against the
/// background.
pub struct AlphaCover {
    pub width: usize,
    pub alpha: Vec<u8>,
}

impl Cover for AlphaCover {
    fn share(&self, x: usize, y: usize, i: u8, _j: u8) -> f64 {
        let a = self.alpha[y * self.width + x] as f64 / 255.0;
        if i == 0 {
            1.0 - a
        } else {
            a
        }
    }
}

/// Coverage in a colour image: alpha against the background, and between two labels'
/// colours (label `k` is painted `fills[k - 1]`; a gradient's colour at that pixel)
/// where the pixel's colour lies between them.
pub struct ColourCover<'a> {
    pub image: &'a RgbaImage,
    pub fills: Vec<Fill>,
}

impl Cover for ColourCover<'_> {
    fn share(&self, x: usize, y: usize, i: u8, j: u8) -> f64 {
        let p = self.image.get_pixel(x as u32, y as u32);
        let a = p[3] as f64 / 255.0;
        match (i, j) {
            (0, _) => 1.0 - a,
            (_, 0) => a,
            (i, j) => {
                let c = [p[0] as f64, p[1] as f64, p[2] as f64];
                let centre = [x as f64 + 0.5, y as f64 + 0.5];
                let ci = self.fills[i as usize - 1].at(centre);
                let cj = self.fills[j as usize - 1].at(centre);
                let axis = [cj[0] - ci[0], cj[1] - ci[1], cj[2] - ci[2]];
                let len2: f64 = axis.iter().map(|v| v * v).sum();
                if len2 < 1e-9 {
                    return 0.5;
                }
                let t: f64 = (0..3).map(|k| (c[k] - ci[k]) * axis[k]).sum::<f64>() / len2;
                1.0 - t.clamp(0.0, 1.0)
            }
        }
    }
}

/// Labels of a colour image: 0 where alpha is under half, else the nearest colour of
/// `palette` (1-based). A pixel that a blend of two neighbouring colours explains (an
/// anti-aliased edge between them) takes the nearer of the two, not a third colour that
/// happens to lie between them.
pub fn colour_labels(image: &RgbaImage, palette: &[[f64; 3]]) -> Labels {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let colour = |x: usize, y: usize| {
        let p = image.get_pixel(x as u32, y as u32);
        [p[0] as f64, p[1] as f64, p[2] as f64]
    };
    let d2 = |a: [f64; 3], b: [f64; 3]| (0..3).map(|k| (a[k] - b[k]).powi(2)).sum::<f64>();
    let mut first = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            if image.get_pixel(x as u32, y as u32)[3] < 128 {
                continue;
            }
            let c = colour(x, y);
            let best = (0..palette.len())
                .min_by(|&a, &b| d2(c, palette[a]).total_cmp(&d2(c, palette[b])))
                .expect("palette is not empty");
            first[y * w + x] = best as u8 + 1;
        }
    }
    let mut labels = first.clone();
    let mut near = Vec::with_capacity(9);
    for y in 0..h {
        for x in 0..w {
            let own = first[y * w + x];
            if own == 0 {
                continue;
            }
            near.clear();
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let l = first[ny as usize * w + nx as usize];
                    if l != 0 && !near.contains(&l) {
                        near.push(l);
                    }
                }
            }
            if near.len() < 3 {
                continue;
            }
            let c = colour(x, y);
            let mut best = (d2(c, palette[own as usize - 1]), own);
            for (k, &a) in near.iter().enumerate() {
                for &b in &near[k + 1..] {
                    if a == own || b == own {
                        continue;
                    }
                    let (ca, cb) = (palette[a as usize - 1], palette[b as usize - 1]);
                    let axis = [cb[0] - ca[0], cb[1] - ca[1], cb[2] - ca[2]];
                    let len2: f64 = axis.iter().map(|v| v * v).sum();
                    if len2 < 1e-9 {
                        continue;
                    }
                    let t = ((0..3).map(|k| (c[k] - ca[k]) * axis[k]).sum::<f64>() / len2)
                        .clamp(0.0, 1.0);
                    let on = [
                        ca[0] + t * axis[0],
                        ca[1] + t * axis[1],
                        ca[2] + t * axis[2],
                    ];
                    // A blend explains the pixel about as well as its own colour.
                    let d = d2(c, on) - 9.0;
                    if d < best.0 {
                        best = (d, if t < 0.5 { a } else { b });
                    }
                }
            }
            labels[y * w + x] = best.1;
        }
    }
    Labels {
        width: w,
        height: h,
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Rgb;
    use image::Rgba;

    /// Subpaths per `<path>`, in painting order, of a red 20 x 20 square whose middle
    /// 8 x 8 is `inner` (blue, or transparent).
    fn subpaths(inner: Rgba<u8>) -> Vec<usize> {
        let img = RgbaImage::from_fn(30, 30, |x, y| {
            let within = |lo, hi| (lo..hi).contains(&x) && (lo..hi).contains(&y);
            if within(11, 19) {
                inner
            } else if within(5, 25) {
                Rgba([220, 20, 20, 255])
            } else {
                Rgba([0, 0, 0, 0])
            }
        });
        let palette = vec![[220.0, 20.0, 20.0], [20.0, 20.0, 220.0]];
        let labels = colour_labels(&img, &palette);
        let fills = vec![
            Fill::Flat(Rgb([220, 20, 20])),
            Fill::Flat(Rgb([20, 20, 220])),
        ];
        let cover = ColourCover { image: &img, fills };
        let paints = [1, 2].map(|label| Paint {
            label,
            fill: Fill::Flat(Rgb([0, 0, 0])),
        });
        let opts = FitOptions {
            tolerance: 0.3,
            shape: 0.24,
            corner: 60f64.to_radians(),
            snap: 2f64.to_radians(),
        };
        let svg = trace(&labels, &cover, &paints, (30, 30), 0.0, 1, &opts, &|| false).unwrap();
        svg.split("d=\"")
            .skip(1)
            .map(|d| d.split('"').next().unwrap().matches('M').count())
            .collect()
    }

    #[test]
    fn a_badge_is_painted_whole_under_its_inner_colour_but_keeps_a_see_through_hole() {
        // Blue inside: the red square has no hole (blue is painted over it).
        assert_eq!(subpaths(Rgba([20, 20, 220, 255])), vec![1, 1]);
        // Transparent inside: the red square keeps its hole; nothing is blue.
        assert_eq!(subpaths(Rgba([0, 0, 0, 0])), vec![2]);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(1234, 2), "12.34");
        assert_eq!(number(-50, 2), "-0.5");
        assert_eq!(number(300, 2), "3");
        assert_eq!(number(-7, 0), "-7");
    }

    /// The path data of the trace of a `w` x `h` shape, anti-aliased by 8x8 supersampling,
    /// of the points where `inside` holds.
    fn traced_shape(w: u32, h: u32, inside: impl Fn(f64, f64) -> bool) -> String {
        let alpha: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f64, (i / w) as f64);
                let mut n = 0;
                for sy in 0..8 {
                    for sx in 0..8 {
                        let (px, py) = (x + (sx as f64 + 0.5) / 8.0, y + (sy as f64 + 0.5) / 8.0);
                        n += u32::from(inside(px, py));
                    }
                }
                (n as f64 * 255.0 / 64.0).round() as u8
            })
            .collect();
        let labels = Labels {
            width: w as usize,
            height: h as usize,
            labels: alpha.iter().map(|&a| u8::from(a >= 128)).collect(),
        };
        let cover = AlphaCover {
            width: w as usize,
            alpha,
        };
        let opts = FitOptions {
            tolerance: 0.25,
            shape: 0.2,
            corner: 60f64.to_radians(),
            snap: 2f64.to_radians(),
        };
        let paints = [Paint {
            label: 1,
            fill: Fill::Flat(Rgb([0, 0, 0])),
        }];
        let svg = trace(&labels, &cover, &paints, (w, h), 0.0, 2, &opts, &|| false).unwrap();
        let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        d.to_string()
    }

    /// The numbers of path data `d` made of one move and arcs.
    fn arc_numbers(d: &str) -> Vec<f64> {
        // A minus sign starts a number without a space before it.
        d.replace('-', " -")
            .split(['M', 'a', ' ', 'z'])
            .filter_map(|t| t.parse().ok())
            .collect()
    }

    #[test]
    fn a_disc_traces_to_a_round_shape_within_a_tenth_of_a_pixel() {
        // A disc of radius 9.3 centred at (16.2, 15.7).
        let (cx, cy, r) = (16.2, 15.7, 9.3);
        let d = traced_shape(32, 32, |x, y| (x - cx).powi(2) + (y - cy).powi(2) <= r * r);
        // Four quarter arcs of radius 9.3 from the leftmost point (to a twentieth).
        assert_eq!(d.matches('a').count(), 1, "{d}");
        let nums = arc_numbers(&d);
        let close = |a: f64, b: f64| (a - b).abs() <= 0.05;
        assert!(close(nums[0], 6.9) && close(nums[1], 15.7), "{d}");
        assert!(close(nums[2], 9.3) && close(nums[3], 9.3), "{d}");
    }

    #[test]
    fn an_ellipse_traces_to_elliptical_arcs_turned_to_its_angle() {
        // Semi-axes 14 and 7 turned by 30 degrees, centred at (20.3, 19.6).
        let (cx, cy) = (20.3, 19.6);
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let d = traced_shape(40, 40, |x, y| {
            let (u, v) = (x - cx, y - cy);
            let (a, b) = (c * u + s * v, -s * u + c * v);
            (a / 14.0).powi(2) + (b / 7.0).powi(2) <= 1.0
        });
        assert_eq!(d.matches('a').count(), 1, "{d}");
        // After the move: rx ry rotation large sweep dx dy, four times.
        let nums = arc_numbers(&d);
        assert_eq!(nums.len(), 2 + 4 * 7, "{d}");
        for arc in nums[2..].chunks(7) {
            assert!(
                (arc[0] - 14.0).abs() <= 0.1 && (arc[1] - 7.0).abs() <= 0.1,
                "{d}"
            );
            assert!((arc[2] - 30.0).abs() <= 0.5, "{d}");
        }
        // It starts at the end of the long axis.
        assert!((nums[0] - (cx + 14.0 * c)).abs() <= 0.1, "{d}");
        assert!((nums[1] - (cy + 14.0 * s)).abs() <= 0.1, "{d}");
    }
}
