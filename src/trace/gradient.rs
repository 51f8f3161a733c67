//! Gradients in the colour trace. Nearest-palette labels cut a gradient into bands of
//! flat colour. Here the bands are joined again where the colour runs smoothly from one
//! to the next (no edge between them), and any region, banded or not, whose colour runs
//! across it gets a linear or radial gradient fitted to its inside pixels. Where the
//! gradient explains the pixels much better than flat colour, the region becomes one
//! shape painted with it.

use std::collections::BTreeMap;

use image::RgbaImage;

use super::regions::{components, join, root, Labels};
use crate::color::Rgb;

/// A point or colour as floats.
type V2 = [f64; 2];
type V3 = [f64; 3];

/// How a label is painted. Gradient coordinates are in pixels of the labels (a pixel's
/// centre is at its index plus a half), as the outlines are.
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    Flat(Rgb),
    /// Colour runs along the line from `from` (offset 0) to `to` (offset 1).
    Linear {
        from: V2,
        to: V2,
        stops: Vec<Stop>,
    },
    /// Colour runs outwards from `centre` (offset 0) to `radius` (offset 1).
    Radial {
        centre: V2,
        radius: f64,
        stops: Vec<Stop>,
    },
}

/// A gradient stop: an offset from 0 to 1 and the colour there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stop {
    pub offset: f64,
    pub colour: Rgb,
}

impl Fill {
    /// The colour painted at point `p`, as SVG paints it (ends padded).
    pub fn at(&self, p: V2) -> V3 {
        match self {
            Fill::Flat(c) => floats(*c),
            Fill::Linear { from, to, stops } => {
                let axis = [to[0] - from[0], to[1] - from[1]];
                let len2 = axis[0] * axis[0] + axis[1] * axis[1];
                let t = ((p[0] - from[0]) * axis[0] + (p[1] - from[1]) * axis[1]) / len2;
                along(stops, t)
            }
            Fill::Radial {
                centre,
                radius,
                stops,
            } => along(stops, (p[0] - centre[0]).hypot(p[1] - centre[1]) / radius),
        }
    }

    /// The fill attribute's value; a gradient is referred to by `id`.
    pub fn paint(&self, id: &str) -> String {
        match self {
            Fill::Flat(c) => c.to_hex(),
            _ => format!("url(#{id})"),
        }
    }

    /// The gradient element with `id`, every coordinate shifted by `offset`, or nothing
    /// for a flat colour.
    pub fn element(&self, id: &str, offset: f64) -> Option<String> {
        let n = |v: f64| {
            let s = format!("{v:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".to_string()
            } else {
                s.to_string()
            }
        };
        let (open, close, stops) = match self {
            Fill::Flat(_) => return None,
            Fill::Linear { from, to, stops } => (
                format!(
                    "<linearGradient id=\"{id}\" gradientUnits=\"userSpaceOnUse\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\">",
                    n(from[0] + offset),
                    n(from[1] + offset),
                    n(to[0] + offset),
                    n(to[1] + offset)
                ),
                "</linearGradient>",
                stops,
            ),
            Fill::Radial {
                centre,
                radius,
                stops,
            } => (
                format!(
                    "<radialGradient id=\"{id}\" gradientUnits=\"userSpaceOnUse\" cx=\"{}\" cy=\"{}\" r=\"{}\">",
                    n(centre[0] + offset),
                    n(centre[1] + offset),
                    n(*radius)
                ),
                "</radialGradient>",
                stops,
            ),
        };
        let mut out = open;
        for s in stops {
            let offset = format!("{:.4}", s.offset);
            let offset = offset.trim_end_matches('0').trim_end_matches('.');
            out.push_str(&format!(
                "<stop offset=\"{}\" stop-color=\"{}\"/>",
                if offset.is_empty() { "0" } else { offset },
                s.colour.to_hex()
            ));
        }
        out.push_str(close);
        Some(out)
    }
}

fn floats(c: Rgb) -> V3 {
    c.0.map(f64::from)
}

/// The colour at offset `t` of `stops` (sorted by offset), padded past the ends.
fn along(stops: &[Stop], t: f64) -> V3 {
    let first = stops.first().expect("a gradient has stops");
    if t <= first.offset {
        return floats(first.colour);
    }
    for pair in stops.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if t <= b.offset {
            let span = b.offset - a.offset;
            let k = if span > 0.0 {
                (t - a.offset) / span
            } else {
                1.0
            };
            let (ca, cb) = (floats(a.colour), floats(b.colour));
            return [0, 1, 2].map(|i| ca[i] + k * (cb[i] - ca[i]));
        }
    }
    floats(stops[stops.len() - 1].colour)
}

fn dist(a: V3, b: V3) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// Two neighbouring regions of different labels are one gradient when the colour steps
/// across their boundary by less than this share of their palette colours' distance
/// (a hard edge steps by half of it or more, even anti-aliased).
const SOFT_STEP: f64 = 0.25;
/// Pixels at least this opaque are read for colour (edges against the background mix
/// in the page).
const OPAQUE: u8 = 250;
/// Regions smaller than this many pixels keep flat colour.
const MIN_AREA: usize = 150;
/// Fewest inside pixels to fit a gradient to (a region of MIN_AREA has more).
const MIN_SAMPLES: usize = 32;
/// A logo is searched for gradients when at least OFF_PALETTE_SAMPLES of the pixels
/// looked at (one in nine) are further than OFF_PALETTE in RGB from their colour.
const OFF_PALETTE: f64 = 6.0;
const OFF_PALETTE_SAMPLES: usize = 8;
/// A region whose FACETS most common colours cover FACET_SHARE of it is flat facets.
const FACETS: usize = 4;
const FACET_SHARE: f64 = 0.9;
/// Most pixels a gradient is fitted to.
const MAX_SAMPLES: usize = 8192;
/// A gradient is kept when its RMS colour error is at most this share of flat colour's.
const BETTER: f64 = 0.5;
/// ... and its colours span at least this RGB distance (a faint shading stays flat).
const MIN_SPAN: f64 = 12.0;
/// Stops are placed so that the gradient stays this close (RGB distance) to the
/// measured colour profile.
const STOP_TOLERANCE: f64 = 2.0;
/// Most stops in one gradient.
const MAX_STOPS: usize = 12;

/// The gradient fills of `image`, labelled by `labels` with `palette` (label `k` is
/// `palette[k - 1]`): each region one paints is relabelled `palette.len() + 1 + i` for
/// the `i`-th fill returned. Regions it does not explain better than flat colour keep
/// their labels.
pub fn find(image: &RgbaImage, labels: &mut Labels, palette: &[V3]) -> Vec<Fill> {
    let w = labels.width;
    let raw = image.as_raw();
    let opaque_at = |i: usize| raw[4 * i + 3] >= OPAQUE;
    let colour = |i: usize| [0, 1, 2].map(|k| f64::from(raw[4 * i + k]));
    if !off_palette(image, labels, palette) {
        return Vec::new();
    }
    let (comp, count) = components(labels, |l| l != 0, |a, b| a == b);
    let mut comp_label = vec![0u8; count];
    let mut comp_size = vec![0usize; count];
    for (i, &c) in comp.iter().enumerate() {
        if c != u32::MAX {
            comp_label[c as usize] = labels.labels[i];
            comp_size[c as usize] += 1;
        }
    }
    // Colour steps across the boundaries between regions, inside the opaque part.
    let mut steps: BTreeMap<(u32, u32), (u32, f64)> = BTreeMap::new();
    for (i, &a) in comp.iter().enumerate() {
        if a == u32::MAX || !opaque_at(i) {
            continue;
        }
        let (x, y) = (i % w, i / w);
        let right = (x + 1 < w).then_some(i + 1);
        let down = (y + 1 < labels.height).then_some(i + w);
        for j in [right, down].into_iter().flatten() {
            let b = comp[j];
            if b == u32::MAX || b == a || !opaque_at(j) {
                continue;
            }
            let e = steps.entry((a.min(b), a.max(b))).or_default();
            e.0 += 1;
            e.1 += dist(colour(i), colour(j));
        }
    }
    let mut parent: Vec<u32> = (0..count as u32).collect();
    for (&(a, b), &(n, sum)) in &steps {
        let (la, lb) = (comp_label[a as usize], comp_label[b as usize]);
        let apart = dist(palette[la as usize - 1], palette[lb as usize - 1]);
        if n >= 4 && sum / f64::from(n) < SOFT_STEP * apart {
            join(&mut parent, a, b);
        }
    }
    let group: Vec<u32> = (0..count as u32).map(|c| root(&mut parent, c)).collect();
    let mut group_size = vec![0usize; count];
    for c in 0..count {
        group_size[group[c] as usize] += comp_size[c];
    }
    let in_group = |i: usize, g: u32| comp[i] != u32::MAX && group[comp[i] as usize] == g;
    // An even spread of at most about MAX_SAMPLES pixels of each large enough group,
    // in order: every `stride`-th.
    let stride: Vec<usize> = (group_size.iter())
        .map(|&n| n.div_ceil(MAX_SAMPLES))
        .collect();
    let mut seen = vec![0usize; count];
    let mut spread: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, &c) in comp.iter().enumerate() {
        if c == u32::MAX {
            continue;
        }
        let g = group[c as usize] as usize;
        if group_size[g] >= MIN_AREA {
            if seen[g] % stride[g] == 0 {
                spread[g].push(i);
            }
            seen[g] += 1;
        }
    }
    let mut fills = Vec::new();
    let mut relabel = vec![0u8; count];
    for (g, members) in spread.iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        let g = g as u32;
        if palette.len() + 1 + fills.len() > u8::MAX as usize {
            break;
        }
        let opaque = |j: usize| in_group(j, g) && opaque_at(j);
        let inside: Vec<usize> = (members.iter().copied())
            .filter(|&i| is_inside(i, labels, opaque))
            .collect();
        if inside.len() < MIN_SAMPLES {
            continue;
        }
        let samples: Vec<Sample> = (inside.iter())
            .map(|&i| Sample {
                p: [(i % w) as f64 + 0.5, (i / w) as f64 + 0.5],
                c: colour(i),
                band: palette[labels.labels[i] as usize - 1],
            })
            .collect();
        let member = |x: i64, y: i64| {
            (0..w as i64).contains(&x)
                && (0..labels.height as i64).contains(&y)
                && opaque(y as usize * w + x as usize)
        };
        let level = |x: i64, y: i64| colour(y as usize * w + x as usize);
        let Some(fill) = fit(&samples, &member, &level) else {
            continue;
        };
        let label = (palette.len() + 1 + fills.len()) as u8;
        for c in 0..count {
            if group[c] == g {
                relabel[c] = label;
            }
        }
        fills.push(fill);
    }
    for (i, &c) in comp.iter().enumerate() {
        if c != u32::MAX && relabel[c as usize] != 0 {
            labels.labels[i] = relabel[c as usize];
        }
    }
    fills
}

/// Whether enough pixels inside regions stray from their palette colour for a
/// gradient to be possible: a quick look at every third pixel across and down, so that
/// flat logos skip the search.
fn off_palette(image: &RgbaImage, labels: &Labels, palette: &[V3]) -> bool {
    let (w, h) = (labels.width, labels.height);
    let raw = image.as_raw();
    let mut off = 0;
    for y in (1..h.saturating_sub(1)).step_by(3) {
        for x in (1..w.saturating_sub(1)).step_by(3) {
            let i = y * w + x;
            let l = labels.labels[i];
            let same = [i - 1, i + 1, i - w, i + w]
                .iter()
                .all(|&j| labels.labels[j] == l && raw[4 * j + 3] >= OPAQUE);
            if l == 0 || !same || raw[4 * i + 3] < OPAQUE {
                continue;
            }
            let c = [0, 1, 2].map(|k| f64::from(raw[4 * i + k]));
            if dist(c, palette[l as usize - 1]) > OFF_PALETTE {
                off += 1;
                if off >= OFF_PALETTE_SAMPLES {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether pixel `i` and its eight neighbours all satisfy `ok` (away from every edge,
/// where anti-aliasing mixes colours).
fn is_inside(i: usize, labels: &Labels, ok: impl Fn(usize) -> bool) -> bool {
    let (w, h) = (labels.width, labels.height);
    let (x, y) = (i % w, i / w);
    if x == 0 || y == 0 || x + 1 >= w || y + 1 >= h {
        return false;
    }
    (-1i64..=1).all(|dy| (-1i64..=1).all(|dx| ok((i as i64 + dy * w as i64 + dx) as usize)))
}

/// Whether the pixel at (x, y) is in the region (false outside the image).
type Member<'a> = dyn Fn(i64, i64) -> bool + 'a;
/// The colour of the pixel at (x, y), inside the image.
type PixelColour<'a> = dyn Fn(i64, i64) -> V3 + 'a;

/// An inside pixel: its centre, its colour and its band's palette colour.
struct Sample {
    p: V2,
    c: V3,
    band: V3,
}

/// The better of a linear and a radial gradient through `samples`, if it beats flat
/// colour (and the bands) by the margins above. `member` says whether a pixel is in the
/// region, and `colour` gives its colour, for the radial fit's local slopes.
fn fit(samples: &[Sample], member: &Member, colour: &PixelColour) -> Option<Fill> {
    let n = samples.len() as f64;
    let mean = mean3(samples.iter().map(|s| s.c), n);
    let rms = |f: &dyn Fn(&Sample) -> V3| {
        (samples.iter().map(|s| dist(s.c, f(s)).powi(2)).sum::<f64>() / n).sqrt()
    };
    let flat = rms(&|_| mean);
    // Colours spread evenly over MIN_SPAN have a standard deviation of MIN_SPAN / 12^0.5:
    // a region closer to flat than that has no gradient worth drawing.
    if flat < MIN_SPAN / 12f64.sqrt() {
        return None;
    }
    if facets(samples) {
        return None;
    }
    let bands = rms(&|s| s.band);
    let mut best: Option<(f64, Fill)> = None;
    let candidates = [linear(samples), radial(samples, member, colour)];
    for fill in candidates.into_iter().flatten() {
        let err = rms(&|s| fill.at(s.p));
        if best.as_ref().is_none_or(|b| err < b.0) {
            best = Some((err, fill));
        }
    }
    let (err, fill) = best?;
    let stops = match &fill {
        Fill::Linear { stops, .. } | Fill::Radial { stops, .. } => stops,
        Fill::Flat(_) => return None,
    };
    let span = (stops.iter())
        .map(|s| dist(floats(s.colour), floats(stops[0].colour)))
        .fold(0.0, f64::max);
    (err <= BETTER * flat && err <= bands && span >= MIN_SPAN).then_some(fill)
}

/// Whether a few exact colours make up nearly all of `samples`: flat facets that one
/// palette colour took together (a gradient spreads over many colours).
fn facets(samples: &[Sample]) -> bool {
    let mut packed: Vec<u32> = (samples.iter())
        .map(|s| (s.c[0] as u32) << 16 | (s.c[1] as u32) << 8 | s.c[2] as u32)
        .collect();
    packed.sort_unstable();
    let mut runs: Vec<usize> = packed.chunk_by(|a, b| a == b).map(<[u32]>::len).collect();
    runs.sort_unstable_by(|a, b| b.cmp(a));
    let top: usize = runs.iter().take(FACETS).sum();
    top as f64 >= FACET_SHARE * samples.len() as f64
}

fn mean3(colours: impl Iterator<Item = V3>, n: f64) -> V3 {
    let mut sum = [0.0; 3];
    for c in colours {
        for k in 0..3 {
            sum[k] += c[k];
        }
    }
    sum.map(|v| v / n)
}

/// A linear gradient along the direction in which the colour changes most (from a
/// least-squares plane per channel), its stops from the colour profile along it.
fn linear(samples: &[Sample]) -> Option<Fill> {
    let n = samples.len() as f64;
    let (mx, my) = (
        samples.iter().map(|s| s.p[0]).sum::<f64>() / n,
        samples.iter().map(|s| s.p[1]).sum::<f64>() / n,
    );
    let mean = mean3(samples.iter().map(|s| s.c), n);
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    let mut sxc = [0.0; 3];
    let mut syc = [0.0; 3];
    for s in samples {
        let (dx, dy) = (s.p[0] - mx, s.p[1] - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
        for k in 0..3 {
            sxc[k] += dx * (s.c[k] - mean[k]);
            syc[k] += dy * (s.c[k] - mean[k]);
        }
    }
    let det = sxx * syy - sxy * sxy;
    if det.abs() < 1e-9 {
        return None;
    }
    // Each channel's slope (per pixel) along x and y.
    let slope: Vec<V2> = (0..3)
        .map(|k| {
            [
                (syy * sxc[k] - sxy * syc[k]) / det,
                (sxx * syc[k] - sxy * sxc[k]) / det,
            ]
        })
        .collect();
    // The direction of most change: the top eigenvector of the slopes' 2 x 2 product.
    let (a, b, d) = slope.iter().fold((0.0, 0.0, 0.0), |(a, b, d), g| {
        (a + g[0] * g[0], b + g[0] * g[1], d + g[1] * g[1])
    });
    let theta = 0.5 * (2.0 * b).atan2(a - d);
    let u = [theta.cos(), theta.sin()];
    if a + d < 1e-6 {
        return None;
    }
    let along: Vec<f64> = samples
        .iter()
        .map(|s| s.p[0] * u[0] + s.p[1] * u[1])
        .collect();
    let (t0, t1, stops) = profile(samples, &along)?;
    Some(Fill::Linear {
        from: [u[0] * t0, u[1] * t0],
        to: [u[0] * t1, u[1] * t1],
        stops,
    })
}

/// A radial gradient about the point that the colour's local slopes all point to or
/// from (least squares), its stops from the colour profile by distance from it.
fn radial(samples: &[Sample], member: &Member, colour: &PixelColour) -> Option<Fill> {
    let n = samples.len() as f64;
    let axis = principal_axis(samples, n);
    let level = |x: i64, y: i64| {
        let c = colour(x, y);
        c[0] * axis[0] + c[1] * axis[1] + c[2] * axis[2]
    };
    // Lines through each pixel along its slope; the centre is nearest all of them.
    let (mut a00, mut a01, mut a11, mut b0, mut b1) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for s in samples {
        for k in 0..2 {
            lo[k] = lo[k].min(s.p[k]);
            hi[k] = hi[k].max(s.p[k]);
        }
        let (x, y) = (s.p[0] as i64, s.p[1] as i64);
        let ends = [(x - 2, y), (x + 2, y), (x, y - 2), (x, y + 2)];
        if !ends.iter().all(|&(x, y)| member(x, y)) {
            continue;
        }
        let [l, r, u, d] = ends.map(|(x, y)| level(x, y));
        let g = [r - l, d - u];
        let w2 = g[0] * g[0] + g[1] * g[1];
        if w2 < 1e-9 {
            continue;
        }
        let norm = w2.sqrt();
        let nrm = [-g[1] / norm, g[0] / norm];
        let along = nrm[0] * s.p[0] + nrm[1] * s.p[1];
        a00 += w2 * nrm[0] * nrm[0];
        a01 += w2 * nrm[0] * nrm[1];
        a11 += w2 * nrm[1] * nrm[1];
        b0 += w2 * nrm[0] * along;
        b1 += w2 * nrm[1] * along;
    }
    let det = a00 * a11 - a01 * a01;
    let trace = a00 + a11;
    if trace <= 0.0 || det < 1e-3 * trace * trace {
        return None;
    }
    let centre = [(a11 * b0 - a01 * b1) / det, (a00 * b1 - a01 * b0) / det];
    // A centre far outside the region is a linear gradient's.
    let size = (hi[0] - lo[0]).max(hi[1] - lo[1]);
    if centre[0] < lo[0] - size
        || centre[0] > hi[0] + size
        || centre[1] < lo[1] - size
        || centre[1] > hi[1] + size
    {
        return None;
    }
    let radii: Vec<f64> = (samples.iter())
        .map(|s| (s.p[0] - centre[0]).hypot(s.p[1] - centre[1]))
        .collect();
    let (r0, r1, mut stops) = profile(samples, &radii)?;
    for s in &mut stops {
        s.offset = (s.offset * (r1 - r0) + r0) / r1;
    }
    Some(Fill::Radial {
        centre,
        radius: r1,
        stops,
    })
}

/// The direction in RGB along which the samples' colours vary most.
fn principal_axis(samples: &[Sample], n: f64) -> V3 {
    let mean = mean3(samples.iter().map(|s| s.c), n);
    let mut cov = [[0.0; 3]; 3];
    for s in samples {
        let d = [0, 1, 2].map(|k| s.c[k] - mean[k]);
        for r in 0..3 {
            for c in 0..3 {
                cov[r][c] += d[r] * d[c];
            }
        }
    }
    let mut v = [0.577, 0.577, 0.577];
    for _ in 0..32 {
        let next = [0, 1, 2].map(|r| (0..3).map(|c| cov[r][c] * v[c]).sum::<f64>());
        let len = (next[0] * next[0] + next[1] * next[1] + next[2] * next[2]).sqrt();
        if len < 1e-12 {
            break;
        }
        v = next.map(|x| x / len);
    }
    v
}

/// The colour profile of `samples` against their positions `at` (along a line, or
/// out from a centre): the samples sorted by position are averaged in runs, and the
/// runs' means thinned to the fewest stops that stay within [`STOP_TOLERANCE`]. Returns
/// the first and last positions and the stops between them (offsets 0 to 1).
fn profile(samples: &[Sample], at: &[f64]) -> Option<(f64, f64, Vec<Stop>)> {
    // Sums per pixel-wide bin of position, then runs of bins of at least `run` samples.
    let lo = at.iter().copied().fold(f64::MAX, f64::min);
    let hi = at.iter().copied().fold(f64::MIN, f64::max);
    let bins = (hi - lo) as usize + 1;
    let mut sums = vec![(0usize, 0.0, [0.0; 3]); bins];
    for (s, &t) in samples.iter().zip(at) {
        let b = &mut sums[(t - lo) as usize];
        b.0 += 1;
        b.1 += t;
        for k in 0..3 {
            b.2[k] += s.c[k];
        }
    }
    let run = (samples.len() / 128).max(16);
    let mut points: Vec<(f64, V3)> = Vec::new();
    let mut acc = (0usize, 0.0, [0.0; 3]);
    for (i, b) in sums.iter().enumerate() {
        acc.0 += b.0;
        acc.1 += b.1;
        for k in 0..3 {
            acc.2[k] += b.2[k];
        }
        if acc.0 >= run || (i + 1 == bins && acc.0 > 0) {
            let k = acc.0 as f64;
            points.push((acc.1 / k, acc.2.map(|v| v / k)));
            acc = (0, 0.0, [0.0; 3]);
        }
    }
    if points.len() < 2 {
        return None;
    }
    // Each run's mean sits inside it: carry the end runs out to the first and last
    // positions along the slope to their neighbours.
    let last = points.len() - 1;
    for (end, next, to) in [(0, 1, lo), (last, last - 1, hi)] {
        let ((te, ce), (tn, cn)) = (points[end], points[next]);
        if (te - tn).abs() > 1e-9 {
            let k = (to - te) / (te - tn);
            points[end] = (
                to,
                [0, 1, 2].map(|j| (ce[j] + k * (ce[j] - cn[j])).clamp(0.0, 255.0)),
            );
        }
    }
    let (t0, t1) = (points[0].0, points[points.len() - 1].0);
    if t1 - t0 < 1.0 {
        return None;
    }
    let mut tolerance = STOP_TOLERANCE;
    loop {
        let mut keep = vec![false; points.len()];
        keep[0] = true;
        keep[points.len() - 1] = true;
        thin(&points, 0, points.len() - 1, tolerance, &mut keep);
        let stops: Vec<Stop> = (points.iter().zip(&keep))
            .filter(|(_, &k)| k)
            .map(|((t, c), _)| Stop {
                offset: (t - t0) / (t1 - t0),
                colour: Rgb(c.map(|v| v.round().clamp(0.0, 255.0) as u8)),
            })
            .collect();
        if stops.len() <= MAX_STOPS {
            return Some((t0, t1, stops));
        }
        tolerance *= 1.5;
    }
}

/// Douglas-Peucker on a colour profile: keep the point between `a` and `b` whose colour
/// is furthest from the straight blend of theirs, if further than `tolerance`.
fn thin(points: &[(f64, V3)], a: usize, b: usize, tolerance: f64, keep: &mut [bool]) {
    if b <= a + 1 {
        return;
    }
    let (ta, ca) = points[a];
    let (tb, cb) = points[b];
    let mut worst = (0.0, a);
    for (i, &(t, c)) in points.iter().enumerate().take(b).skip(a + 1) {
        let k = if tb > ta { (t - ta) / (tb - ta) } else { 0.0 };
        let blend = [0, 1, 2].map(|j| ca[j] + k * (cb[j] - ca[j]));
        let d = dist(c, blend);
        if d > worst.0 {
            worst = (d, i);
        }
    }
    if worst.0 > tolerance {
        keep[worst.1] = true;
        thin(points, a, worst.1, tolerance, keep);
        thin(points, worst.1, b, tolerance, keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::outline::colour_labels;
    use image::Rgba;

    /// A 120 x 80 image, transparent outside a margin of 10, coloured by `paint`.
    fn image(paint: impl Fn(f64, f64) -> [f64; 3]) -> RgbaImage {
        RgbaImage::from_fn(120, 80, |x, y| {
            if (10..110).contains(&x) && (10..70).contains(&y) {
                let c = paint(x as f64 + 0.5, y as f64 + 0.5);
                let c = c.map(|v| v.round().clamp(0.0, 255.0) as u8);
                Rgba([c[0], c[1], c[2], 255])
            } else {
                Rgba([0, 0, 0, 0])
            }
        })
    }

    /// The gradients found with a palette of `steps` colours blended from `a` to `b`.
    fn found(img: &RgbaImage, a: V3, b: V3, steps: usize) -> (Vec<Fill>, Labels) {
        let palette: Vec<V3> = (0..steps)
            .map(|i| {
                let k = i as f64 / (steps - 1) as f64;
                [0, 1, 2].map(|j| a[j] + k * (b[j] - a[j]))
            })
            .collect();
        let mut labels = colour_labels(img, &palette);
        let fills = find(img, &mut labels, &palette);
        (fills, labels)
    }

    fn close(a: V3, b: V3, by: f64) -> bool {
        dist(a, b) <= by
    }

    #[test]
    fn bands_of_a_linear_gradient_become_one_shape_with_that_gradient() {
        let (a, b) = ([240.0, 60.0, 160.0], [250.0, 200.0, 40.0]);
        // Along the diagonal (1, 1)/√2 across the rectangle.
        let img = image(|x, y| {
            let t = ((x - 10.0) + (y - 10.0)) / 160.0;
            [0, 1, 2].map(|j| a[j] + t * (b[j] - a[j]))
        });
        let (fills, labels) = found(&img, a, b, 4);
        assert_eq!(fills.len(), 1, "{fills:?}");
        let Fill::Linear { from, to, .. } = &fills[0] else {
            panic!("not linear: {:?}", fills[0]);
        };
        let dir = [to[0] - from[0], to[1] - from[1]];
        let angle = dir[1].atan2(dir[0]).to_degrees();
        assert!((angle - 45.0).abs() < 2.0, "direction {angle} degrees");
        // Every opaque pixel is the gradient's label, and the colours come back.
        assert!((labels.labels.iter()).all(|&l| l == 0 || l == 5));
        for (x, y) in [(12.5, 12.5), (60.5, 40.5), (107.5, 67.5)] {
            let want = img.get_pixel(x as u32, y as u32);
            let want = [0, 1, 2].map(|k| f64::from(want[k]));
            assert!(close(fills[0].at([x, y]), want, 4.0), "at ({x}, {y})");
        }
    }

    #[test]
    fn a_radial_gradient_is_found_about_its_centre() {
        let (a, b) = ([255.0, 220.0, 80.0], [200.0, 40.0, 20.0]);
        let img = image(|x, y| {
            let t = ((x - 55.0).hypot(y - 42.0) / 55.0).min(1.0);
            [0, 1, 2].map(|j| a[j] + t * (b[j] - a[j]))
        });
        let (fills, _) = found(&img, a, b, 5);
        assert_eq!(fills.len(), 1, "{fills:?}");
        let Fill::Radial { centre, .. } = &fills[0] else {
            panic!("not radial: {:?}", fills[0]);
        };
        assert!(
            (centre[0] - 55.0).hypot(centre[1] - 42.0) < 1.5,
            "{centre:?}"
        );
        assert!(close(fills[0].at([55.0, 42.0]), a, 6.0));
        assert!(close(
            fills[0].at([108.0, 42.0]),
            [0, 1, 2].map(|j| a[j] + 53.0 / 55.0 * (b[j] - a[j])),
            6.0
        ));
    }

    #[test]
    fn flat_colours_with_a_hard_edge_and_noise_stay_flat() {
        // Two close colours side by side, with a little deterministic noise (as JPEG
        // leaves), and a one-pixel blend at the edge.
        let (a, b) = ([30.0, 90.0, 200.0], [50.0, 120.0, 230.0]);
        let img = image(|x, y| {
            let noise = ((x * 12.9898 + y * 78.233).sin() * 43758.5453).fract() * 4.0;
            let t = (x - 60.0).clamp(0.0, 1.0);
            [0, 1, 2].map(|j| a[j] + t * (b[j] - a[j]) + noise)
        });
        let (fills, labels) = found(&img, a, b, 2);
        assert!(fills.is_empty(), "{fills:?}");
        assert!(labels.labels.contains(&1) && labels.labels.contains(&2));
    }

    #[test]
    fn stops_are_written_with_the_shape_offset() {
        let fill = Fill::Linear {
            from: [1.0, 2.0],
            to: [11.0, 2.0],
            stops: vec![
                Stop {
                    offset: 0.0,
                    colour: Rgb([255, 0, 0]),
                },
                Stop {
                    offset: 1.0,
                    colour: Rgb([0, 0, 255]),
                },
            ],
        };
        assert_eq!(
            fill.element("g", 0.5).unwrap(),
            "<linearGradient id=\"g\" gradientUnits=\"userSpaceOnUse\" x1=\"1.5\" y1=\"2.5\" x2=\"11.5\" y2=\"2.5\"><stop offset=\"0\" stop-color=\"#FF0000\"/><stop offset=\"1\" stop-color=\"#0000FF\"/></linearGradient>"
        );
        assert_eq!(fill.paint("g"), "url(#g)");
        assert!(close(fill.at([6.0, 0.0]), [127.5, 0.0, 127.5], 0.01));
        assert!(close(fill.at([-5.0, 0.0]), [255.0, 0.0, 0.0], 0.01));
    }
}
