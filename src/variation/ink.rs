//! The one-ink drawing of a logo: how much of each pixel is ink in the one-colour marks
//! (`mono/`, the one-ink trace and everything drawn from it, the Android monochrome
//! layer).
//!
//! A one-colour mark must keep the drawing, not become a silhouette, and must be one
//! ink, not grey tints. So:
//! - each of the logo's own colours is ink or paper, never between: near-white colours
//!   (luma [`PAPER_LUMA`] and up) are paper, the white parts of a logo with other colours
//!   showing the background, and every other colour is ink;
//! - where two ink colours meet at a hard edge (two of the logo's colours [`HARD_EDGE`]
//!   or more apart within a 3 x 3 neighbourhood of opaque ink whose pixels span as much),
//!   a knock-out line of paper
//!   ([`LINE_WIDTH`] of the logo's long side) keeps the edge visible, as a designer's
//!   one-colour version draws it; soft steps (gradients, noise) draw no line;
//! - the only partial ink is anti-aliasing: along the logo's outline (its alpha), between
//!   ink and paper colours (the pixel's place between the two), and at a line's edges.
//!
//! A logo with one colour is all ink, even a white logo.

use image::RgbaImage;

use crate::color::{distance, luma, Rgb};
use crate::distance::{chamfer, dist, pack, DIST_MAX, STRAIGHT};

/// Luma from which a logo colour is paper in the one-ink versions.
pub const PAPER_LUMA: f32 = 235.0;
/// RGB distance between two of the logo's colours that meet at an edge drawn as a line.
const HARD_EDGE: f32 = 60.0;
/// Width of a knock-out line, as a share of the image's long side (at least 1.5 px).
const LINE_WIDTH: f32 = 0.008;
/// How far (pixels) from the edge of the ink a partly inked pixel may lie: a soft
/// edge's ramp, 2 px each side.
const EDGE_REACH: usize = 2;
/// Alpha from which a pixel is opaque enough to lie inside the drawing.
const OPAQUE: u8 = 250;

/// Whether the one-ink versions knock out a logo's near-white parts and draw lines
/// between its colours: only when it has more than one colour.
pub fn knocks_out_white(palette: &[Rgb]) -> bool {
    palette.len() > 1
}

/// How much of each pixel of `image` (row-major) is ink, 0-255, for a logo whose own
/// colours are `palette`.
pub fn ink_plane(image: &RgbaImage, palette: &[Rgb]) -> Vec<u8> {
    let (w, h) = image.dimensions();
    let px = image.as_raw();
    if !knocks_out_white(palette) {
        let mut plane: Vec<u8> = px.chunks_exact(4).map(|p| p[3]).collect();
        keep_partial_ink_on_edges(&mut plane, w as usize, h as usize);
        return plane;
    }
    let paper: Vec<bool> = palette.iter().map(|c| luma(c.0) >= PAPER_LUMA).collect();
    let nearest = |c: [u8; 3]| {
        (0..palette.len())
            .min_by(|&a, &b| distance(c, palette[a].0).total_cmp(&distance(c, palette[b].0)))
            .expect("a palette of two or more colours")
    };
    let rgb = |i: usize| [px[4 * i], px[4 * i + 1], px[4 * i + 2]];
    let labels: Vec<u8> = (0..(w * h) as usize)
        .map(|i| nearest(rgb(i)) as u8)
        .collect();
    let (wu, hu) = (w as usize, h as usize);
    let window = |x: usize, y: usize| {
        let ys = y.saturating_sub(1)..=(y + 1).min(hu - 1);
        ys.flat_map(move |yy| {
            (x.saturating_sub(1)..=(x + 1).min(wu - 1)).map(move |xx| yy * wu + xx)
        })
    };
    // Hard edges between ink colours, the seeds of the knock-out lines: opaque ink all
    // round, two of the logo's colours far apart meeting, and no paper within 2 px (an
    // anti-aliased edge against white holds mixes that are not colours of their own).
    let opaque_ink = |j: usize| px[4 * j + 3] >= OPAQUE && !paper[labels[j] as usize];
    let mut seeds = vec![false; labels.len()];
    for y in 0..hu {
        for x in 0..wu {
            let i = y * wu + x;
            if !opaque_ink(i) || !window(x, y).all(opaque_ink) {
                continue;
            }
            let (mut lo, mut hi) = ([255u8; 3], [0u8; 3]);
            for j in window(x, y) {
                for c in 0..3 {
                    lo[c] = lo[c].min(px[4 * j + c]);
                    hi[c] = hi[c].max(px[4 * j + c]);
                }
            }
            let own = palette[labels[i] as usize].0;
            let meets =
                window(x, y).any(|j| distance(own, palette[labels[j] as usize].0) >= HARD_EDGE);
            let ys = y.saturating_sub(2)..=(y + 2).min(hu - 1);
            let paper_near = ys.clone().any(|yy| {
                (x.saturating_sub(2)..=(x + 2).min(wu - 1)).any(|xx| {
                    let j = yy * wu + xx;
                    px[4 * j + 3] >= OPAQUE && paper[labels[j] as usize]
                })
            });
            seeds[i] = meets && distance(lo, hi) >= HARD_EDGE && !paper_near;
        }
    }
    let line = (LINE_WIDTH * w.max(h) as f32).max(1.5);
    let to_line = distance_from(&seeds, wu, hu);
    // The seeds are the pixels on both sides of an edge, two pixels together: the line
    // widens them to `line`, with a one-pixel soft edge.
    let extra = (line - 2.0).max(0.0) / 2.0;
    let mut plane: Vec<u8> = (0..labels.len())
        .map(|i| {
            let (x, y) = (i % wu, i / wu);
            let alpha = f32::from(px[4 * i + 3]) / 255.0;
            let own = labels[i] as usize;
            // Between ink and paper: the pixel's place on the segment between the two.
            let neighbour = window(x, y)
                .filter(|&j| px[4 * j + 3] > 0)
                .map(|j| labels[j] as usize)
                .find(|&l| paper[l] != paper[own]);
            let share = match neighbour {
                None => f32::from(u8::from(!paper[own])),
                Some(other) => {
                    let (ink, white) = if paper[own] {
                        (other, own)
                    } else {
                        (own, other)
                    };
                    place(rgb(i), palette[white].0, palette[ink].0)
                }
            };
            let gap = (to_line[i] - extra).clamp(0.0, 1.0);
            (255.0 * alpha * share * gap).round() as u8
        })
        .collect();
    keep_partial_ink_on_edges(&mut plane, wu, hu);
    plane
}

/// Make every partly inked pixel of `plane` farther than [`EDGE_REACH`] pixels from the
/// edge between ink (alpha 128 and up) and no ink all ink or none, as the pixels around
/// it are: one ink has no tints, only anti-aliased edges (a light grey line between two
/// inks, a translucent shadow, would otherwise print as a faint screen).
fn keep_partial_ink_on_edges(plane: &mut [u8], w: usize, h: usize) {
    let before = plane.to_vec();
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if before[i] == 0 || before[i] == 255 {
                continue;
            }
            let (mut ink, mut none) = (false, false);
            for yy in y.saturating_sub(EDGE_REACH)..=(y + EDGE_REACH).min(h - 1) {
                for xx in x.saturating_sub(EDGE_REACH)..=(x + EDGE_REACH).min(w - 1) {
                    let inked = before[yy * w + xx] >= 128;
                    ink |= inked;
                    none |= !inked;
                }
            }
            if !ink {
                plane[i] = 0;
            } else if !none {
                plane[i] = 255;
            }
        }
    }
}

/// Where `c` lies on the segment from `from` (0) to `to` (1), clamped.
fn place(c: [u8; 3], from: [u8; 3], to: [u8; 3]) -> f32 {
    let d: Vec<f32> = (0..3)
        .map(|k| f32::from(to[k]) - f32::from(from[k]))
        .collect();
    let len2: f32 = d.iter().map(|v| v * v).sum();
    if len2 == 0.0 {
        return 1.0;
    }
    let t: f32 = (0..3)
        .map(|k| (f32::from(c[k]) - f32::from(from[k])) * d[k])
        .sum::<f32>()
        / len2;
    t.clamp(0.0, 1.0)
}

/// Chamfer (3-4) distance in pixels from every pixel to the nearest set one (1,365 px
/// at most).
fn distance_from(set: &[bool], w: usize, h: usize) -> Vec<f32> {
    let mut plane: Vec<u32> = set
        .iter()
        .map(|&s| pack(0, if s { 0 } else { DIST_MAX }))
        .collect();
    chamfer(&mut plane, w as u32, h as u32, false);
    plane
        .into_iter()
        .map(|v| dist(v) as f32 / STRAIGHT as f32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    /// A red square with a blue square inside it and a white dot inside that.
    fn nested() -> (RgbaImage, Vec<Rgb>) {
        let img = RgbaImage::from_fn(80, 80, |x, y| {
            let inside = |a: u32, b: u32| (a..b).contains(&x) && (a..b).contains(&y);
            if inside(35, 45) {
                Rgba([255, 255, 255, 255])
            } else if inside(25, 55) {
                Rgba([0, 0, 255, 255])
            } else if inside(10, 70) {
                Rgba([255, 0, 0, 255])
            } else {
                Rgba([0, 0, 0, 0])
            }
        });
        let palette = vec![Rgb([255, 0, 0]), Rgb([0, 0, 255]), Rgb([255, 255, 255])];
        (img, palette)
    }

    #[test]
    fn colours_are_ink_white_is_paper_and_edges_between_inks_are_lines() {
        let (img, palette) = nested();
        let ink = ink_plane(&img, &palette);
        let at = |x: usize, y: usize| ink[y * 80 + x];
        assert_eq!(at(15, 15), 255, "red is ink");
        assert_eq!(at(30, 30), 255, "blue is ink");
        assert_eq!(at(40, 40), 0, "white is paper");
        assert_eq!(at(2, 2), 0, "outside");
        // The red/blue edge at x = 25: a paper line on both sides of it.
        assert_eq!(at(24, 40), 0);
        assert_eq!(at(25, 40), 0);
        assert_eq!(at(20, 40), 255);
        // One ink: every pixel is all ink or none here (no anti-aliasing in the image).
        assert!(ink.iter().all(|&a| a == 0 || a == 255));
    }

    #[test]
    fn one_colour_is_all_ink_and_soft_steps_draw_no_line() {
        let (img, _) = nested();
        let ink = ink_plane(&img, &[Rgb([255, 0, 0])]);
        assert_eq!(ink[40 * 80 + 40], 255, "a one-colour logo's white is ink");
        // A gradient from red to dark red: two palette colours, no hard edge.
        let ramp = RgbaImage::from_fn(80, 20, |x, _| Rgba([255 - x as u8, 0, 0, 255]));
        let ink = ink_plane(&ramp, &[Rgb([255, 0, 0]), Rgb([176, 0, 0])]);
        assert!(ink.iter().all(|&a| a == 255));
    }

    #[test]
    fn anti_aliased_white_edges_take_their_place_between_ink_and_paper() {
        let img = RgbaImage::from_fn(3, 1, |x, _| match x {
            0 => Rgba([0, 0, 255, 255]),
            1 => Rgba([128, 128, 255, 255]),
            _ => Rgba([255, 255, 255, 255]),
        });
        let ink = ink_plane(&img, &[Rgb([0, 0, 255]), Rgb([255, 255, 255])]);
        assert_eq!(ink[0], 255);
        assert!((120..=136).contains(&ink[1]), "{}", ink[1]);
        assert_eq!(ink[2], 0);
    }

    #[test]
    fn partial_ink_is_left_only_on_edges() {
        // A one-colour logo: a faint translucent square (a shadow) on the left and a
        // strong one on the right, each with a one-pixel anti-aliased rim.
        let img = RgbaImage::from_fn(40, 20, |x, y| {
            let x0 = if x < 20 { 5 } else { 25 };
            let inside = (x0..x0 + 10).contains(&x) && (5..15).contains(&y);
            let rim = (x0 - 1..x0 + 11).contains(&x) && (4..16).contains(&y);
            let a = match (x < 20, inside, rim) {
                (_, false, false) => 0,
                (true, true, _) => 60,
                (true, false, true) => 30,
                (false, true, _) => 200,
                (false, false, true) => 100,
            };
            Rgba([0, 0, 0, a])
        });
        let ink = ink_plane(&img, &[Rgb([0, 0, 0])]);
        let at = |x: usize, y: usize| ink[y * 40 + x];
        assert!(
            (0..20).all(|y| (0..20).all(|x| at(x, y) == 0)),
            "a shadow is no ink"
        );
        assert_eq!(at(30, 10), 255, "inside the strong square: ink");
        assert_eq!(at(25, 10), 200, "its edge stays anti-aliased");
        assert_eq!(at(24, 10), 100);
        // A soft edge's ramp, 2 px each side of the ink's edge, keeps its steps.
        let ramp = [255, 255, 255, 200, 150, 100, 50, 0, 0];
        let img = RgbaImage::from_fn(9, 5, |x, _| Rgba([0, 0, 0, ramp[x as usize]]));
        let ink = ink_plane(&img, &[Rgb([0, 0, 0])]);
        assert_eq!(ink[18..27], ramp);
        // A light grey line between two inks (as in a grid of coloured tiles) is paper,
        // with anti-aliased sides.
        let img = RgbaImage::from_fn(10, 3, |x, _| match x {
            3 => Rgba([126, 152, 174, 255]),
            4 | 5 => Rgba([204, 204, 204, 255]),
            6 => Rgba([195, 198, 201, 255]),
            _ => Rgba([47, 100, 145, 255]),
        });
        let ink = ink_plane(&img, &[Rgb([47, 100, 145]), Rgb([255, 255, 255])]);
        let row = &ink[10..20];
        assert!(row[4] < 128 && row[5] == 0, "{row:?}");
        assert!(
            row[..3].iter().chain(&row[7..]).all(|&a| a == 255),
            "{row:?}"
        );
    }
}
