//! Enclosed background-coloured regions: holes the background shows through (a letter's
//! counter, a ring's hole, the cells of a line drawing) or white parts of the logo (a
//! white figure on a badge, a face on a mascot).
//!
//! Delivered on white, both are the same white pixels; what tells them apart is the shape
//! of the ink around them. A hole is cut out of a stroke: the ink between it and whatever
//! lies beyond (the outer background, another hole) is about as thick all round as the
//! hole is wide, as the bowl of an "o" is about as thick as its counter. A figure is
//! drawn on a surface: the badge around it is wide compared with the figure's own strokes,
//! or wide in some places and narrow in others, because its outline does not follow the
//! figure's.
//!
//! So each region is measured by two distance transforms over one packed plane (4 bytes
//! a pixel): from every non-ink pixel outwards, labelled by the nearest region (or the
//! outer background), which gives the thickness of ink between each region and its
//! neighbours along their Voronoi boundary; and inside each region, which gives its
//! inscribed radius.

use image::RgbaImage;

use super::{
    is_interior, mark_inner_rows, median, neighbours4, INNER, INNER_CLEARED, INNER_KEPT, LOGO,
    NEAR_BG, OUTER,
};
use crate::color::distance;
use crate::config::InnerRegions;
use crate::distance::{chamfer, dist, label, pack, DIST_MAX, NO_LABEL, STRAIGHT};
use crate::trace::regions::{join, root};

/// Distance between an enclosed region's median colour and the background from which the
/// region is a flat colour of its own, not background seen through a hole.
const DISTINCT_FLAT: f32 = 3.0;
/// Pixels a region's interior must have for its median colour to be trusted.
const MIN_FLAT_AREA: usize = 64;
/// How far (pixels) from a region's edge its interior starts.
const FLAT_MARGIN: u32 = 4;

/// A figure's surround: the median thickness of ink around it, as a share of the logo's
/// long side, under which it is taken as a hole whatever its shape (a slit in a textured
/// letter, a cell of a hatched drawing).
const MIN_SURROUND: f32 = 0.025;
/// Ink around a region this many times thicker (90th percentile) than the region's own
/// inscribed radius: a figure on a badge.
const WIDE_SURROUND: f32 = 4.0;
/// Ink around a region that varies this much (90th over 10th percentile of thickness)...
const UNEVEN_SURROUND: f32 = 1.5;
/// ...while this many times thicker than the region's inscribed radius: a figure whose
/// outline does not follow the shape around it.
const UNEVEN_WIDE_SURROUND: f32 = 1.5;
/// The uneven rule needs a region at least this wide (inscribed radius, as a share of the
/// logo's long side): a letter's small counter beside a thick stem is uneven too.
const UNEVEN_MIN_RADIUS: f32 = 0.02;
/// How far (as a factor either way) every threshold may move before a region's decision
/// is called uncertain.
const UNCERTAIN_FACTOR: f32 = 1.25;
/// Regions smaller than this share of the logo's opaque area are not reported uncertain
/// (a designer does not see them).
const NOTICEABLE: f32 = 0.01;
/// Look-alike regions (identical letters, a row of dots) differ by at most this factor in
/// area, box and inscribed radius; they take one decision, that of most of them.
const LOOK_ALIKE: f32 = 1.2;
/// How many larger regions each region is compared with for look-alikes (bounds the work
/// on images with many thousands of regions).
const LOOK_ALIKE_WINDOW: usize = 64;

/// Regions that fit in a label (more only in pathological images: those beyond are cleared).
const MAX_REGIONS: usize = NO_LABEL as usize - 1;

/// What [`classify_inner`] decided.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Decisions {
    /// Regions kept as white parts.
    pub kept: usize,
    /// Noticeable regions whose decision would change if a threshold moved by a quarter.
    pub uncertain_kept: usize,
    pub uncertain_cleared: usize,
}

/// One region's shape, in pixels.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    area: u32,
    bbox: [u32; 4],
    /// Inscribed radius: the largest distance from a pixel of the region to ink.
    radius: f32,
    /// Thickness of the ink between the region and its neighbours (10th, 50th, 90th
    /// percentile along their shared Voronoi boundary).
    surround: [f32; 3],
}

/// Label enclosed background-like components (marking them [`INNER`]), decide for each
/// whether it is kept or cleared, and mark them [`INNER_KEPT`] or [`INNER_CLEARED`].
///
/// The `auto` rule:
/// - a region whose own colour differs from the background (#fcfcfc in a badge on white)
///   is a surface of the logo: kept;
/// - on a background that is not white or black, regions of the background colour are
///   holes: a flat colour is not a logo colour;
/// - otherwise a region is kept when the ink around it is at least [`MIN_SURROUND`] of
///   the logo's long side thick (median) and, at its 90th percentile, either
///   [`WIDE_SURROUND`] times the region's inscribed radius, or [`UNEVEN_WIDE_SURROUND`]
///   times it while [`UNEVEN_SURROUND`] times its 10th percentile and the region is no
///   small counter ([`UNEVEN_MIN_RADIUS`]); then look-alike
///   regions take the decision of most of them;
/// - last, a region whose neighbours across the ink are all kept regions is kept: it is
///   drawn inside a white figure (see [`keep_nested_in_kept`]).
pub(super) fn classify_inner(
    img: &RgbaImage,
    flags: &mut [u8],
    class: &mut [u8],
    bg: [u8; 3],
    rule: InnerRegions,
) -> Decisions {
    let (w, h) = img.dimensions();
    let regions = find_regions(flags, class, w, h);
    let (keep, uncertain) = match rule {
        InnerRegions::Clear => (vec![false; regions.len()], vec![false; regions.len()]),
        InnerRegions::Keep => (vec![true; regions.len()], vec![false; regions.len()]),
        InnerRegions::Auto => {
            let own = own_colour(img, flags, class, bg, &regions);
            let spread = bg.iter().max().unwrap() - bg.iter().min().unwrap();
            let neutral = spread <= 30
                && (*bg.iter().min().unwrap() >= 200 || *bg.iter().max().unwrap() <= 60);
            if neutral && regions.len() <= MAX_REGIONS {
                // The region lists give way to the plane's labels here, to bound memory.
                let (plane, shapes, neighbours) = shapes(class, w, h, regions);
                let (mut keep, uncertain) = decide(&shapes, &own, class, w);
                keep_nested_in_kept(&neighbours, &mut keep);
                for (c, v) in class.iter_mut().zip(plane) {
                    if *c == INNER {
                        *c = if keep[label(v) as usize - 1] {
                            INNER_KEPT
                        } else {
                            INNER_CLEARED
                        };
                    }
                }
                return tally(&keep, &uncertain);
            }
            let uncertain = vec![false; regions.len()];
            (own, uncertain)
        }
    };
    for (pixels, &k) in regions.iter().zip(&keep) {
        let c = if k { INNER_KEPT } else { INNER_CLEARED };
        for &i in pixels {
            class[i as usize] = c;
        }
    }
    tally(&keep, &uncertain)
}

/// Count the decisions.
fn tally(keep: &[bool], uncertain: &[bool]) -> Decisions {
    let mut decisions = Decisions::default();
    for (&k, &u) in keep.iter().zip(uncertain) {
        decisions.kept += usize::from(k);
        decisions.uncertain_kept += usize::from(u && k);
        decisions.uncertain_cleared += usize::from(u && !k);
    }
    decisions
}

/// The 4-connected components of background-like pixels not reached from the border,
/// marked [`INNER`] as they are found, each as its list of pixels.
fn find_regions(flags: &[u8], class: &mut [u8], w: u32, h: u32) -> Vec<Vec<u32>> {
    let mut regions = Vec::new();
    for start in 0..class.len() {
        if class[start] != LOGO || flags[start] & NEAR_BG == 0 {
            continue;
        }
        let mut pixels = vec![start as u32];
        class[start] = INNER;
        let mut k = 0;
        while k < pixels.len() {
            let i = pixels[k];
            k += 1;
            for (nx, ny) in neighbours4(i % w, i / w, w, h) {
                let j = (ny * w + nx) as usize;
                if flags[j] & NEAR_BG != 0 && class[j] == LOGO {
                    class[j] = INNER;
                    pixels.push(j as u32);
                }
            }
        }
        regions.push(pixels);
    }
    regions
}

/// The `auto` decision by shape for each region of a logo on white or black, and
/// whether it is uncertain (see [`classify_inner`]); `own` regions are kept.
fn decide(shapes: &[Shape], own: &[bool], class: &[u8], w: u32) -> (Vec<bool>, Vec<bool>) {
    // The logo's size: the long side of what is not outer background, and its area.
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    let mut area = 0usize;
    for (i, _) in class.iter().enumerate().filter(|(_, &c)| c != OUTER) {
        let (x, y) = (i as u32 % w, i as u32 / w);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        area += 1;
    }
    let long = (x1.saturating_sub(x0).max(y1.saturating_sub(y0)) + 1) as f32;
    let mut keep: Vec<bool> = shapes
        .iter()
        .zip(own)
        .map(|(s, &o)| o || is_figure(s, long, 1.0))
        .collect();
    follow_look_alikes(shapes, own, &mut keep);
    let uncertain = shapes
        .iter()
        .zip(own)
        .map(|(s, &o)| {
            !o && s.area as f32 >= NOTICEABLE * area as f32
                && is_figure(s, long, 1.0 / UNCERTAIN_FACTOR)
                    != is_figure(s, long, UNCERTAIN_FACTOR)
        })
        .collect();
    (keep, uncertain)
}

/// Whether a region of shape `s` in a logo whose long side is `long` is a figure, with
/// every threshold multiplied by `strict`.
fn is_figure(s: &Shape, long: f32, strict: f32) -> bool {
    let [thin, middle, thick] = s.surround;
    let radius = s.radius.max(0.5);
    middle >= MIN_SURROUND * strict * long
        && (thick >= WIDE_SURROUND * strict * radius
            || (thick >= UNEVEN_SURROUND * strict * thin.max(1.0)
                && thick >= UNEVEN_WIDE_SURROUND * strict * radius
                && radius * strict >= UNEVEN_MIN_RADIUS * long))
}

/// Give look-alike regions (see [`LOOK_ALIKE`]) the decision of most of them (keep on a
/// tie), so that of two identical letters one is never cut and the other kept. Regions
/// kept for their own colour are certain and stay out of it.
fn follow_look_alikes(shapes: &[Shape], own: &[bool], keep: &mut [bool]) {
    let close = |a: f32, b: f32, slack: f32| a.max(b) <= LOOK_ALIKE * a.min(b) + slack;
    let alike = |a: &Shape, b: &Shape| {
        let size = |s: &Shape| {
            (
                (s.bbox[2] - s.bbox[0] + 1) as f32,
                (s.bbox[3] - s.bbox[1] + 1) as f32,
            )
        };
        let ((aw, ah), (bw, bh)) = (size(a), size(b));
        close(a.area as f32, b.area as f32, 0.0)
            && close(aw, bw, 2.0)
            && close(ah, bh, 2.0)
            && close(a.radius, b.radius, 1.0)
    };
    let mut order: Vec<u32> = (0..shapes.len() as u32)
        .filter(|&r| !own[r as usize] && shapes[r as usize].area >= 16)
        .collect();
    order.sort_by_key(|&r| (shapes[r as usize].area, r));
    let mut parent: Vec<u32> = (0..shapes.len() as u32).collect();
    for (k, &a) in order.iter().enumerate() {
        let sa = &shapes[a as usize];
        for &b in order[k + 1..].iter().take(LOOK_ALIKE_WINDOW) {
            let sb = &shapes[b as usize];
            if sb.area as f32 > LOOK_ALIKE * sa.area as f32 {
                break;
            }
            if alike(sa, sb) {
                join(&mut parent, a, b);
            }
        }
    }
    // (kept, all) per group root.
    let mut votes = vec![(0u32, 0u32); shapes.len()];
    for &r in &order {
        let g = root(&mut parent, r) as usize;
        votes[g].0 += u32::from(keep[r as usize]);
        votes[g].1 += 1;
    }
    for &r in &order {
        let (kept, all) = votes[root(&mut parent, r) as usize];
        keep[r as usize] = 2 * kept >= all;
    }
}

/// Keep every region whose neighbours across the ink are all kept regions (not the outer
/// background): drawn inside a white figure (the dot in a white letter's counter, the
/// white of a beak drawn on a white face), it is that figure's white, not a hole through
/// the drawing on it. Repeated, as figures nest.
fn keep_nested_in_kept(neighbours: &[Vec<u32>], keep: &mut [bool]) {
    loop {
        let mut changed = false;
        for (r, n) in neighbours.iter().enumerate() {
            if !keep[r] && !n.is_empty() && n.iter().all(|&l| l != 0 && keep[l as usize - 1]) {
                keep[r] = true;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// Whether each region is a flat colour of its own, however faint (#fcfcfc inside a badge
/// on white): the median of its interior, away from the edges where anti-aliasing and
/// compression ringing are, differs from the background.
fn own_colour(
    img: &RgbaImage,
    flags: &mut [u8],
    class: &[u8],
    bg: [u8; 3],
    regions: &[Vec<u32>],
) -> Vec<bool> {
    let (w, h) = img.dimensions();
    let p = img.as_raw();
    let rgb = |i: usize| [p[4 * i], p[4 * i + 1], p[4 * i + 2]];
    mark_inner_rows(flags, class, w, FLAT_MARGIN);
    regions
        .iter()
        .map(|pixels| {
            let colours: Vec<[u8; 3]> = pixels
                .iter()
                .filter(|&&i| is_interior(flags, w, h, FLAT_MARGIN, i))
                .map(|&i| rgb(i as usize))
                .collect();
            colours.len() >= MIN_FLAT_AREA && distance(median(&colours), bg) >= DISTINCT_FLAT
        })
        .collect()
}

/// Each region's [`Shape`], and the plane whose labels say which region each
/// [`INNER`] pixel is in (label `r + 1`: region `r`). The region lists are dropped once
/// the plane holds them.
fn shapes(
    class: &[u8],
    w: u32,
    h: u32,
    regions: Vec<Vec<u32>>,
) -> (Vec<u32>, Vec<Shape>, Vec<Vec<u32>>) {
    // From the non-ink pixels (the outer background, label 0, and the regions) across
    // the ink, each ink pixel taking the label of the nearest.
    let mut plane: Vec<u32> = class
        .iter()
        .map(|&c| {
            if c == OUTER {
                pack(0, 0)
            } else {
                pack(NO_LABEL, DIST_MAX)
            }
        })
        .collect();
    let mut shapes: Vec<Shape> = regions
        .iter()
        .enumerate()
        .map(|(r, pixels)| {
            let mut bbox = [u32::MAX, u32::MAX, 0, 0];
            for &i in pixels {
                plane[i as usize] = pack(r as u32 + 1, 0);
                let (x, y) = (i % w, i / w);
                bbox = [
                    bbox[0].min(x),
                    bbox[1].min(y),
                    bbox[2].max(x),
                    bbox[3].max(y),
                ];
            }
            Shape {
                area: pixels.len() as u32,
                bbox,
                ..Shape::default()
            }
        })
        .collect();
    drop(regions);
    chamfer(&mut plane, w, h, true);
    // Where two labels meet, the ink between their regions is as thick as the two
    // distances together.
    let mut widths: Vec<Vec<u16>> = vec![Vec::new(); shapes.len()];
    // Each region's neighbours across the ink (labels: 0 the outer background).
    let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); shapes.len()];
    let (wu, hu) = (w as usize, h as usize);
    for y in 0..hu {
        for x in 0..wu {
            let i = y * wu + x;
            let right = (x + 1 < wu).then_some(i + 1);
            let below = (y + 1 < hu).then_some(i + wu);
            for j in [right, below].into_iter().flatten() {
                let (a, b) = (plane[i], plane[j]);
                if label(a) == label(b)
                    || label(a) == NO_LABEL
                    || label(b) == NO_LABEL
                    || dist(a) + dist(b) == 0
                {
                    continue;
                }
                let width = (dist(a) + dist(b)) as u16;
                for (l, other) in [(label(a), label(b)), (label(b), label(a))] {
                    if l != 0 {
                        widths[l as usize - 1].push(width);
                        neighbours[l as usize - 1].push(other);
                    }
                }
            }
        }
    }
    // Inside the regions, the distance to anything else.
    for (v, &c) in plane.iter_mut().zip(class) {
        *v = pack(label(*v), if c == INNER { DIST_MAX } else { 0 });
    }
    chamfer(&mut plane, w, h, false);
    for (&v, &c) in plane.iter().zip(class) {
        if c == INNER {
            let s = &mut shapes[label(v) as usize - 1];
            s.radius = s.radius.max(dist(v) as f32 / STRAIGHT as f32);
        }
    }
    let thirds = |v: u16| f32::from(v) / STRAIGHT as f32;
    for (s, widths) in shapes.iter_mut().zip(&mut widths) {
        widths.sort_unstable();
        let at = |q: usize| {
            widths
                .get((widths.len().max(1) - 1) * q / 100)
                .copied()
                .unwrap_or(0)
        };
        s.surround = [thirds(at(10)), thirds(at(50)), thirds(at(90))];
    }
    for n in &mut neighbours {
        n.sort_unstable();
        n.dedup();
    }
    (plane, shapes, neighbours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(area: u32, side: u32, radius: f32, surround: [f32; 3]) -> Shape {
        Shape {
            area,
            bbox: [0, 0, side - 1, side - 1],
            radius,
            surround,
        }
    }

    #[test]
    fn look_alikes_take_the_decision_of_most_of_them() {
        let letter = shape(400, 24, 6.0, [8.0, 10.0, 20.0]);
        let nudged = shape(430, 25, 6.5, [8.0, 10.0, 20.0]);
        let other = shape(2000, 60, 20.0, [8.0, 10.0, 20.0]);
        let shapes = [letter, nudged, letter, other];
        let own = [false; 4];
        let mut keep = [true, false, false, true];
        follow_look_alikes(&shapes, &own, &mut keep);
        assert_eq!(keep, [false, false, false, true]);
        let mut keep = [true, true, false, false];
        follow_look_alikes(&shapes, &own, &mut keep);
        assert_eq!(keep, [true, true, true, false]);
        // A region kept for its own colour is certain.
        let mut keep = [true, false, false, true];
        follow_look_alikes(&shapes, &[true, false, false, false], &mut keep);
        assert_eq!(keep, [true, false, false, true]);
    }

    #[test]
    fn figures_are_wide_or_uneven_surrounds_and_near_calls_are_uncertain() {
        let long = 400.0;
        // A thin figure deep in a badge.
        assert!(is_figure(
            &shape(900, 60, 5.0, [30.0, 60.0, 90.0]),
            long,
            1.0
        ));
        // A counter: ink as thick all round as the counter is wide.
        let counter = shape(900, 30, 15.0, [14.0, 15.0, 16.0]);
        assert!(!is_figure(&counter, long, 1.0));
        // A wide figure in a badge whose outline does not follow it.
        let uneven = shape(9000, 120, 30.0, [12.0, 40.0, 60.0]);
        assert!(is_figure(&uneven, long, 1.0));
        // The same, too small: a counter beside a thick stem.
        assert!(!is_figure(
            &shape(300, 20, 6.0, [12.0, 12.0, 20.0]),
            long,
            1.0
        ));
        // Ink thinner than MIN_SURROUND of the logo: a slit in a textured letter.
        assert!(!is_figure(&shape(200, 40, 2.0, [3.0, 4.0, 9.0]), long, 1.0));
        // Near calls move with the thresholds; clear ones do not.
        let near = shape(900, 60, 5.0, [20.0, 20.0, 21.0]);
        assert!(is_figure(&near, long, 1.0 / UNCERTAIN_FACTOR));
        assert!(!is_figure(&near, long, UNCERTAIN_FACTOR));
        assert!(!is_figure(&counter, long, 1.0 / UNCERTAIN_FACTOR));
    }
}
