//! Outlines of rendered shapes and how two sets of them compare: marching squares, the
//! outline error, turning and length used by [`super::geometry`].

use image::RgbaImage;
use serde::Serialize;

use super::percentile;

/// The alpha level the outlines follow.
const LEVEL: f32 = 127.5;
/// Spacing of the points whose distances make the outline error, in input pixels.
const ERROR_STEP: f64 = 0.5;
/// Spacing of the vertices the turning is summed over, in input pixels.
const TURNING_STEP: f64 = 2.0;
/// Side of the cells of the segment index, in input pixels.
const INDEX_CELL: f64 = 2.0;

/// A closed polyline: the last point joins the first.
pub type Contour = Vec<[f64; 2]>;

/// The closed outlines of `image`'s alpha at level 127.5 by marching squares, with pixel
/// (x, y)'s value at its centre (x + 0.5, y + 0.5) and alpha 0 outside the image,
/// multiplied by `scale`. Each outline keeps the inside on one side.
pub fn outlines(image: &RgbaImage, scale: f64) -> Vec<Contour> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let alpha: Vec<u8> = image.pixels().map(|p| p[3]).collect();
    let mut contours = alpha_outlines(&alpha, w, h);
    for c in &mut contours {
        for p in c.iter_mut() {
            *p = [p[0] * scale, p[1] * scale];
        }
    }
    contours
}

/// Marching squares on a `w` x `h` alpha plane, in its pixel coordinates.
fn alpha_outlines(alpha: &[u8], w: usize, h: usize) -> Vec<Contour> {
    // Samples (gx, gy) for gx in 0..=w+1: pixel (gx - 1, gy - 1), 0 on the border ring.
    let gw = w + 2;
    let sample = |gx: usize, gy: usize| -> f32 {
        if gx == 0 || gy == 0 || gx > w || gy > h {
            0.0
        } else {
            alpha[(gy - 1) * w + gx - 1] as f32
        }
    };
    // Edge ids: the horizontal edge from sample (x, y) to (x + 1, y) is 2 (y gw + x), the
    // vertical one to (x, y + 1) is 2 (y gw + x) + 1.
    let horizontal = |x: usize, y: usize| 2 * (y * gw + x) as u64;
    let vertical = |x: usize, y: usize| 2 * (y * gw + x) as u64 + 1;
    // Cell-local positions of the edge midpoints (top, right, bottom, left) and corners
    // (top-left, top-right, bottom-right, bottom-left), y down, to orient segments.
    const MID: [[f32; 2]; 4] = [[0.5, 0.0], [1.0, 0.5], [0.5, 1.0], [0.0, 0.5]];
    const CORNER: [[f32; 2]; 4] = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
    let mut segments: Vec<(u64, u64)> = Vec::new();
    let mut row_inside = vec![false; gw];
    let mut next_inside = vec![false; gw];
    for (gx, v) in row_inside.iter_mut().enumerate() {
        *v = sample(gx, 0) > LEVEL;
    }
    for cy in 0..=h {
        for (gx, v) in next_inside.iter_mut().enumerate() {
            *v = sample(gx, cy + 1) > LEVEL;
        }
        for cx in 0..=w {
            let inside = [
                row_inside[cx],
                row_inside[cx + 1],
                next_inside[cx + 1],
                next_inside[cx],
            ];
            let case = inside
                .iter()
                .enumerate()
                .fold(0, |c, (i, &b)| c | ((b as usize) << i));
            if case == 0 || case == 15 {
                continue;
            }
            // Pairs of edges (0 top, 1 right, 2 bottom, 3 left) crossed by the outline.
            let centre_inside = || {
                (sample(cx, cy) + sample(cx + 1, cy) + sample(cx + 1, cy + 1) + sample(cx, cy + 1))
                    / 4.0
                    > LEVEL
            };
            let pairs: &[(usize, usize)] = match case {
                1 | 14 => &[(3, 0)],
                2 | 13 => &[(0, 1)],
                3 | 12 => &[(3, 1)],
                4 | 11 => &[(1, 2)],
                6 | 9 => &[(0, 2)],
                7 | 8 => &[(3, 2)],
                // Saddles: cut off the two corners that the centre does not join.
                5 if centre_inside() => &[(0, 1), (3, 2)],
                5 => &[(3, 0), (1, 2)],
                10 if centre_inside() => &[(3, 0), (1, 2)],
                _ => &[(0, 1), (3, 2)],
            };
            let edge = |e: usize| match e {
                0 => horizontal(cx, cy),
                1 => vertical(cx + 1, cy),
                2 => horizontal(cx, cy + 1),
                _ => vertical(cx, cy),
            };
            for &(e1, e2) in pairs {
                // A corner on a known side: the one both edges touch, else the top-left.
                let corner = match (e1.min(e2), e1.max(e2)) {
                    (0, 1) => 1,
                    (1, 2) => 2,
                    (2, 3) => 3,
                    _ => 0,
                };
                let (p, q, c) = (MID[e1], MID[e2], CORNER[corner]);
                let cross = (q[0] - p[0]) * (c[1] - p[1]) - (q[1] - p[1]) * (c[0] - p[0]);
                // Inside on the positive side of the direction of travel.
                if (cross > 0.0) == inside[corner] {
                    segments.push((edge(e1), edge(e2)));
                } else {
                    segments.push((edge(e2), edge(e1)));
                }
            }
        }
        std::mem::swap(&mut row_inside, &mut next_inside);
    }
    // Where the outline crosses an edge, by linear interpolation between its samples.
    let position = |id: u64| -> [f64; 2] {
        let cell = (id / 2) as usize;
        let (x, y) = (cell % gw, cell / gw);
        let (x2, y2) = if id.is_multiple_of(2) {
            (x + 1, y)
        } else {
            (x, y + 1)
        };
        let (a, b) = (sample(x, y), sample(x2, y2));
        let t = ((LEVEL - a) / (b - a)) as f64;
        [
            x as f64 - 0.5 + t * (x2 as f64 - x as f64),
            y as f64 - 0.5 + t * (y2 as f64 - y as f64),
        ]
    };
    segments.sort_unstable();
    let mut used = vec![false; segments.len()];
    let mut contours = Vec::new();
    for start in 0..segments.len() {
        if used[start] {
            continue;
        }
        let mut contour = Vec::new();
        let mut i = start;
        while !used[i] {
            used[i] = true;
            contour.push(position(segments[i].0));
            let to = segments[i].1;
            match segments.binary_search_by(|s| s.0.cmp(&to)) {
                Ok(j) => i = j,
                Err(_) => break,
            }
        }
        contours.push(contour);
    }
    contours
}

/// How two sets of outlines compare: the figures of the module docs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct OutlineComparison {
    /// Mean outline error, both ways pooled.
    pub mean_error: f64,
    /// 95th percentile of the outline error.
    pub p95_error: f64,
    /// Total absolute turning, second over first.
    pub turning_ratio: f64,
    /// Total length, second over first.
    pub length_ratio: f64,
    /// Total absolute turning of the first and of the second, in radians.
    pub turning: (f64, f64),
    /// The shift added to the second set's points to place it on the first.
    pub offset: (f64, f64),
}

/// Compare `trace`'s outlines with `original`'s after placing them by content box. When
/// one side has no outline the errors are `missing` (say the image's diagonal).
pub fn compare_outlines(
    original: &[Contour],
    trace: &[Contour],
    missing: f64,
) -> OutlineComparison {
    let offset = match (bounds(original), bounds(trace)) {
        (Some(a), Some(b)) => (
            (a[0] + a[2] - b[0] - b[2]) / 2.0,
            (a[1] + a[3] - b[1] - b[3]) / 2.0,
        ),
        _ => (0.0, 0.0),
    };
    let placed: Vec<Contour> = trace
        .iter()
        .map(|c| {
            c.iter()
                .map(|p| [p[0] + offset.0, p[1] + offset.1])
                .collect()
        })
        .collect();
    let (mean_error, p95_error) = match (SegmentIndex::new(original), SegmentIndex::new(&placed)) {
        (Some(a), Some(b)) => {
            let mut errors: Vec<f64> = Vec::new();
            for (from, to) in [(&placed[..], &a), (original, &b)] {
                for c in from {
                    errors.extend(resample(c, ERROR_STEP).iter().map(|p| to.distance(*p)));
                }
            }
            let mean = errors.iter().sum::<f64>() / errors.len().max(1) as f64;
            (mean, percentile(&errors, 95.0))
        }
        (None, None) => (0.0, 0.0),
        _ => (missing, missing),
    };
    let ratio = |f: fn(&[Contour]) -> f64| {
        let (a, b) = (f(original), f(trace));
        if a > 0.0 {
            b / a
        } else if b > 0.0 {
            f64::INFINITY
        } else {
            1.0
        }
    };
    OutlineComparison {
        mean_error,
        p95_error,
        turning_ratio: ratio(total_turning),
        length_ratio: ratio(|cs| cs.iter().map(|c| length(c)).sum()),
        turning: (total_turning(original), total_turning(trace)),
        offset,
    }
}

/// Bounding box (min x, min y, max x, max y) of all points.
fn bounds(contours: &[Contour]) -> Option<[f64; 4]> {
    contours.iter().flatten().fold(None, |b, p| {
        Some(match b {
            None => [p[0], p[1], p[0], p[1]],
            Some(b) => [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ],
        })
    })
}

/// Length of a closed polyline.
pub fn length(c: &[[f64; 2]]) -> f64 {
    (0..c.len()).map(|i| dist(c[i], c[(i + 1) % c.len()])).sum()
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Points evenly spaced along a closed polyline, `step` apart at most, from its first
/// point.
pub fn resample(c: &[[f64; 2]], step: f64) -> Vec<[f64; 2]> {
    let total = length(c);
    if c.is_empty() || total <= 0.0 {
        return c.first().map(|p| vec![*p]).unwrap_or_default();
    }
    let n = (total / step).ceil().max(1.0) as usize;
    resample_n(c, n, total)
}

/// `n` points evenly spaced along a closed polyline of length `total`.
fn resample_n(c: &[[f64; 2]], n: usize, total: f64) -> Vec<[f64; 2]> {
    let spacing = total / n as f64;
    let mut out = Vec::with_capacity(n);
    let (mut i, mut walked) = (0usize, 0.0);
    for k in 0..n {
        let target = k as f64 * spacing;
        // Advance to the segment holding `target`.
        loop {
            let seg = dist(c[i], c[(i + 1) % c.len()]);
            if walked + seg >= target || i + 1 == c.len() {
                let t = if seg > 0.0 {
                    ((target - walked) / seg).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (a, b) = (c[i], c[(i + 1) % c.len()]);
                out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
                break;
            }
            walked += seg;
            i += 1;
        }
    }
    out
}

/// Sum over all outlines of the absolute turning angle at each vertex, the outlines
/// resampled evenly at about [`TURNING_STEP`] (the nearest whole count of that step).
pub fn total_turning(contours: &[Contour]) -> f64 {
    contours
        .iter()
        .map(|c| {
            let total = length(c);
            if total <= 0.0 {
                return 0.0;
            }
            let n = (total / TURNING_STEP).round().max(1.0) as usize;
            turning(&resample_n(c, n, total))
        })
        .sum()
}

/// Sum of the absolute turning angles at every vertex of a closed polyline, in radians.
pub fn turning(v: &[[f64; 2]]) -> f64 {
    let n = v.len();
    (0..n)
        .map(|i| {
            let (p, q, r) = (v[(i + n - 1) % n], v[i], v[(i + 1) % n]);
            let a = [q[0] - p[0], q[1] - p[1]];
            let b = [r[0] - q[0], r[1] - q[1]];
            if (a[0] == 0.0 && a[1] == 0.0) || (b[0] == 0.0 && b[1] == 0.0) {
                return 0.0;
            }
            (a[0] * b[1] - a[1] * b[0])
                .atan2(a[0] * b[0] + a[1] * b[1])
                .abs()
        })
        .sum()
}

/// A grid of cells over the segments of some outlines, for nearest-segment queries.
struct SegmentIndex {
    segments: Vec<[f64; 4]>,
    origin: [f64; 2],
    cell: f64,
    size: (usize, usize),
    /// Segment numbers of cell `i` are `items[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl SegmentIndex {
    /// `None` when there are no segments.
    fn new(contours: &[Contour]) -> Option<SegmentIndex> {
        let segments: Vec<[f64; 4]> = contours
            .iter()
            .flat_map(|c| {
                (0..c.len()).map(move |i| {
                    let (a, b) = (c[i], c[(i + 1) % c.len()]);
                    [a[0], a[1], b[0], b[1]]
                })
            })
            .collect();
        let b = bounds(contours)?;
        let span = (b[2] - b[0]).max(b[3] - b[1]);
        // At most about 4096 cells on the long side.
        let cell = INDEX_CELL.max(span / 4096.0);
        let size = (
            ((b[2] - b[0]) / cell) as usize + 1,
            ((b[3] - b[1]) / cell) as usize + 1,
        );
        let origin = [b[0], b[1]];
        let cells_of = |s: &[f64; 4]| {
            let at = |v: f64, o: f64, n: usize| (((v - o) / cell) as usize).min(n - 1);
            let (x0, x1) = (
                at(s[0].min(s[2]), origin[0], size.0),
                at(s[0].max(s[2]), origin[0], size.0),
            );
            let (y0, y1) = (
                at(s[1].min(s[3]), origin[1], size.1),
                at(s[1].max(s[3]), origin[1], size.1),
            );
            (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| y * size.0 + x))
        };
        let mut counts = vec![0u32; size.0 * size.1 + 1];
        for s in &segments {
            for c in cells_of(s) {
                counts[c + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let starts = counts.clone();
        let mut fill = counts;
        let mut items = vec![0u32; *starts.last().unwrap_or(&0) as usize];
        for (n, s) in segments.iter().enumerate() {
            for c in cells_of(s) {
                items[fill[c] as usize] = n as u32;
                fill[c] += 1;
            }
        }
        Some(SegmentIndex {
            segments,
            origin,
            cell,
            size,
            starts,
            items,
        })
    }

    /// Distance from `p` to the nearest segment.
    fn distance(&self, p: [f64; 2]) -> f64 {
        let (nx, ny) = (self.size.0 as i64, self.size.1 as i64);
        let at = |v: f64, o: f64, n: i64| (((v - o) / self.cell).floor() as i64).clamp(0, n - 1);
        let (cx, cy) = (at(p[0], self.origin[0], nx), at(p[1], self.origin[1], ny));
        // The squared distance to the nearest segment listed in cell (x, y).
        let in_cell = |x: i64, y: i64| -> f64 {
            if x < 0 || y < 0 || x >= nx || y >= ny {
                return f64::INFINITY;
            }
            let c = (y * nx + x) as usize;
            self.items[self.starts[c] as usize..self.starts[c + 1] as usize]
                .iter()
                .map(|&n| segment_distance_sq(p, &self.segments[n as usize]))
                .fold(f64::INFINITY, f64::min)
        };
        let mut best = f64::INFINITY;
        for r in 0..=nx.max(ny) {
            if r == 0 {
                best = in_cell(cx, cy);
            } else {
                for x in cx - r..=cx + r {
                    best = best.min(in_cell(x, cy - r)).min(in_cell(x, cy + r));
                }
                for y in cy - r + 1..cy + r {
                    best = best.min(in_cell(cx - r, y)).min(in_cell(cx + r, y));
                }
            }
            // Segments only in cells further out are at least r cells away.
            let reach = r as f64 * self.cell;
            if best <= reach * reach {
                break;
            }
        }
        best.sqrt()
    }
}

fn segment_distance_sq(p: [f64; 2], s: &[f64; 4]) -> f64 {
    let (dx, dy) = (s[2] - s[0], s[3] - s[1]);
    let len_sq = dx * dx + dy * dy;
    let t = if len_sq > 0.0 {
        (((p[0] - s[0]) * dx + (p[1] - s[1]) * dy) / len_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (s[0] + t * dx - p[0], s[1] + t * dy - p[1]);
    ex * ex + ey * ey
}

/// Sets of outlines drawn in their colours on white, on a canvas of `size` input pixels,
/// at `scale` pixels per input pixel.
pub fn draw_outlines(
    sets: &[(&[Contour], [u8; 3])],
    size: (u32, u32),
    scale: f64,
) -> image::RgbImage {
    let (w, h) = (
        (size.0 as f64 * scale).ceil() as u32,
        (size.1 as f64 * scale).ceil() as u32,
    );
    let mut out = image::RgbImage::from_pixel(w, h, image::Rgb([255, 255, 255]));
    for (contours, colour) in sets {
        for c in contours.iter() {
            for i in 0..c.len() {
                let (a, b) = (c[i], c[(i + 1) % c.len()]);
                let steps = (dist(a, b) * scale * 4.0).ceil().max(1.0) as usize;
                for k in 0..=steps {
                    let t = k as f64 / steps as f64;
                    let (x, y) = (
                        (a[0] + t * (b[0] - a[0])) * scale,
                        (a[1] + t * (b[1] - a[1])) * scale,
                    );
                    if x >= 0.0 && y >= 0.0 && x < w as f64 && y < h as f64 {
                        out.put_pixel(x as u32, y as u32, image::Rgb(*colour));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use image::Rgba;
    use std::f64::consts::PI;

    /// An anti-aliased shape: each pixel's alpha is the share of 16 x 16 subsamples
    /// inside.
    pub(in crate::fidelity) fn shape(
        w: u32,
        h: u32,
        inside: impl Fn(f64, f64) -> bool,
    ) -> RgbaImage {
        RgbaImage::from_fn(w, h, |x, y| {
            let mut n = 0u32;
            for sy in 0..16 {
                for sx in 0..16 {
                    let (px, py) = (
                        x as f64 + (sx as f64 + 0.5) / 16.0,
                        y as f64 + (sy as f64 + 0.5) / 16.0,
                    );
                    n += inside(px, py) as u32;
                }
            }
            Rgba([20, 40, 60, ((n * 255 + 128) / 256) as u8])
        })
    }

    pub(in crate::fidelity) fn square(canvas: u32, x: f64, y: f64, side: f64) -> RgbaImage {
        shape(canvas, canvas, |px, py| {
            px >= x && px < x + side && py >= y && py < y + side
        })
    }

    #[test]
    fn a_disc_has_the_length_and_turning_of_a_circle() {
        // Radius 25 input pixels, rendered at 4x as the measurement does.
        let r = 25.0;
        let s = crate::fidelity::geometry::SCALE as f64;
        let disc = shape(240, 240, |x, y| (x - 120.3).hypot(y - 119.6) < r * s);
        let c = outlines(&disc, 1.0 / s);
        assert_eq!(c.len(), 1);
        let l = length(&c[0]);
        assert!((l / (2.0 * PI * r) - 1.0).abs() < 0.01, "length {l}");
        let t = total_turning(&c);
        assert!((t / (2.0 * PI) - 1.0).abs() < 0.03, "turning {t}");
    }

    #[test]
    fn a_ring_has_an_outer_outline_and_a_hole() {
        let ring = shape(100, 100, |x, y| {
            let d = (x - 50.0).hypot(y - 50.0);
            (20.0..40.0).contains(&d)
        });
        let c = outlines(&ring, 1.0);
        assert_eq!(c.len(), 2);
        let mut lengths: Vec<f64> = c.iter().map(|c| length(c)).collect();
        lengths.sort_by(f64::total_cmp);
        assert!((lengths[0] / (2.0 * PI * 20.0) - 1.0).abs() < 0.01);
        assert!((lengths[1] / (2.0 * PI * 40.0) - 1.0).abs() < 0.01);
    }

    #[test]
    fn shapes_touching_the_border_close() {
        let full = RgbaImage::from_pixel(10, 6, Rgba([0, 0, 0, 255]));
        let c = outlines(&full, 1.0);
        assert_eq!(c.len(), 1);
        // On the image's border, each corner cut by a diagonal of half a pixel's sides.
        let expected = 2.0 * (10.0 + 6.0) - 4.0 * (1.0 - 0.5f64.sqrt());
        assert!((length(&c[0]) - expected).abs() < 1e-9);
    }

    #[test]
    fn a_wobbly_edge_turns_more() {
        // A 100 px square, straight, and with a zig-zag of 1 px every 3 px on its sides.
        let straight: Contour = vec![[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0]];
        let mut wobbly = Contour::new();
        for side in 0..4 {
            let (a, b) = (straight[side], straight[(side + 1) % 4]);
            let (dx, dy) = ((b[0] - a[0]) / 100.0, (b[1] - a[1]) / 100.0);
            for i in (0..100).step_by(3) {
                let off = if (i / 3) % 2 == 0 { 0.0 } else { 1.0 };
                let t = i as f64;
                wobbly.push([a[0] + t * dx - off * dy, a[1] + t * dy + off * dx]);
            }
        }
        let s = total_turning(std::slice::from_ref(&straight));
        assert!((s - 2.0 * PI).abs() < 1e-9, "{s}");
        let o = compare_outlines(&[straight], &[wobbly], 100.0);
        assert!(o.turning_ratio > 1.2, "{o:?}");
    }

    #[test]
    fn a_missing_outline_is_a_large_error() {
        let a = square(50, 10.0, 10.0, 20.0);
        let o = compare_outlines(&outlines(&a, 1.0), &[], 70.7);
        assert_eq!(o.mean_error, 70.7);
        assert!(o.mean_error.is_finite());
    }
}
