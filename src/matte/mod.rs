//! Background removal: from a logo delivered on a flat background to a straight-alpha
//! matte with soft, unmixed edges.
//!
//! 1. The background colour B is the per-channel median of the image's border; the share of
//!    border pixels within `noise` of B is the confidence.
//! 2. Pixels within `noise` of B are background candidates (this also swallows JPEG noise).
//!    Those connected to the border are the outer background; enclosed ones are inner
//!    regions, cleared or kept by [`crate::config::InnerRegions`] ([`inner`]).
//! 3. Every remaining pixel near the background is an edge pixel C = a*F + (1-a)*B. F is
//!    chosen among the solid (locally uniform) logo pixels nearby as the one that best
//!    explains C; a is solved by least squares and the pixel takes colour F and alpha a.
//!    Pixels away from the background stay opaque with their own colour.

mod inner;

use std::collections::VecDeque;

use image::{Rgba, RgbaImage};

use crate::color::{distance, unmix, ycc, Rgb};
use crate::config::TransparentConfig;

/// Border agreement under which the background is reported as uncertain.
pub const CONFIDENT_BORDER_SHARE: f32 = 0.9;
/// Border agreement under which no background is removed at all.
const MIN_BORDER_SHARE: f32 = 0.5;
/// How far (in pixels) an edge pixel may be from the background.
const EDGE_RADIUS: i32 = 2;
/// How far (in pixels) to look for the solid colour an edge pixel is a mix of.
const SEARCH_RADIUS: i32 = 3;
/// Neighbours (of 8) within noise of an edge pixel from which it is a flat colour of its
/// own, not a mix (an anti-aliased edge pixel has at most 2 such, along the edge).
const FLAT_NEIGHBOURS: usize = 5;
/// How much tighter than the noise level lossy flat colours are told.
const LOSSY_FLAT: f32 = 3.0;
/// How far (RGB distance) a flat edge colour lies from every mix of a solid colour near
/// it with the background when it is a colour of its own.
const OWN_RESIDUAL: f32 = 12.0;
/// How far (RGB distance) from the background a colour of its own lies at least: the
/// palest steps of a slow fade into the background are mixes.
const OWN_MIN_DISTANCE: f32 = 48.0;
/// Alpha under which an unmixed edge pixel is dropped (ringing, noise).
const MIN_ALPHA: f32 = 6.0 / 255.0;
/// Alpha over which an unmixed edge pixel is taken as opaque with its own colour.
const MAX_ALPHA: f32 = 0.97;
/// How much better (RGB distance) a thin feature's colour must explain an edge pixel than
/// the nearest solid colour does before it is taken instead.
const UNEXPLAINED: f32 = 24.0;
/// How much a lossy input's chroma differences count, against luma's, in its edges'
/// coverage.
const CHROMA_WEIGHT: f32 = 0.2;

/// The result of background removal.
#[derive(Debug, Clone)]
pub struct Matte {
    /// Straight-alpha RGBA, same size as the input.
    pub image: RgbaImage,
    /// The removed background colour, if one was found.
    pub background: Option<Rgb>,
    /// Share of border pixels that agree with the background colour (0-1).
    pub confidence: f32,
    /// Things a user should know (uncertain background, kept inner regions).
    pub warnings: Vec<String>,
}

/// Pixel classes.
const OUTER: u8 = 0;
const INNER_CLEARED: u8 = 1;
const LOGO: u8 = 2;
const INNER_KEPT: u8 = 3;
/// An enclosed background-like pixel whose region is not decided yet (every one becomes
/// [`INNER_KEPT`] or [`INNER_CLEARED`]).
const INNER: u8 = 4;

// Bits of the flag plane: every yes/no fact background removal keeps about a pixel, in
// one byte a pixel. (A plane each, with the image, took 10 to 15.5 bytes a pixel at the
// peak, up to 62 MiB for a 2048 x 2048 logo; `tests/matte_memory.rs` holds it to 10.)

/// Within `noise` of the background.
const NEAR_BG: u8 = 1;
/// All 8 neighbours within `noise` of it ([`solid_pixels`]).
const SOLID_ALL: u8 = 2;
/// Within `EDGE_RADIUS` of a cleared pixel.
const NEAR_CLEARED: u8 = 4;
/// Within 1 pixel of a cleared pixel (or cleared): never solid.
const NEXT_TO_CLEARED: u8 = 8;
/// An inner pixel whose row run of `2m + 1` is all inner ([`mark_inner_rows`]).
const ROW_INNER: u8 = 16;
/// [`dilate`]'s row pass.
const ROW_DILATED: u8 = 64;
/// An edge pixel of a flat colour that is no mix of a solid colour near it with the
/// background ([`mark_own_colours`]).
const OWN_COLOUR: u8 = 32;

/// Whether the pixel with flags `f` is solid: locally uniform and not next to anything
/// cleared, so that edge pixels may be unmixed against its colour.
fn is_solid(f: u8) -> bool {
    f & SOLID_ALL != 0 && f & NEXT_TO_CLEARED == 0
}

/// `f` with `bit` set to `on`.
fn with_bit(f: u8, bit: u8, on: bool) -> u8 {
    if on {
        f | bit
    } else {
        f & !bit
    }
}

/// Remove the flat background of an opaque image (its alpha channel is ignored). `lossy`
/// says the image went through lossy compression (JPEG), whose noise and ringing around
/// the background are snapped away with `[transparent] noise`; a lossless image uses a
/// noise level estimated from its border instead, so faint logo colours (white on
/// off-white) survive.
///
/// The result is made in `img`'s own buffer (a 2048 px logo's matte thus needs 16 MB less
/// at its peak).
pub fn remove_background(mut img: RgbaImage, cfg: &TransparentConfig, lossy: bool) -> Matte {
    let (w, h) = img.dimensions();
    let border = border_pixels(w, h);
    let colours: Vec<[u8; 3]> = border.iter().map(|&(x, y)| rgb(&img, x, y)).collect();
    let bg = median(&colours);
    let deviations: Vec<f32> = colours.iter().map(|c| distance(*c, bg)).collect();
    let agree = deviations.iter().filter(|&&d| d < cfg.noise as f32).count();
    let confidence = agree as f32 / colours.len().max(1) as f32;
    let mut warnings = Vec::new();
    if confidence < MIN_BORDER_SHARE {
        warnings.push(format!(
            "no uniform background: only {:.0}% of border pixels agree on {}; kept the image opaque",
            confidence * 100.0,
            Rgb(bg).to_hex()
        ));
        img.pixels_mut().for_each(|p| p[3] = 255);
        return Matte {
            image: img,
            background: None,
            confidence,
            warnings,
        };
    }
    if confidence < CONFIDENT_BORDER_SHARE {
        warnings.push(format!(
            "uncertain background: only {:.0}% of border pixels agree on {}",
            confidence * 100.0,
            Rgb(bg).to_hex()
        ));
    }

    let noise = if lossy {
        cfg.noise as f32
    } else {
        border_noise(&deviations, cfg.noise as f32)
    };
    let n = (w * h) as usize;
    let idx = |x: u32, y: u32| (y * w + x) as usize;
    let mut flags: Vec<u8> = img
        .pixels()
        .map(|p| u8::from(distance([p[0], p[1], p[2]], bg) < noise) * NEAR_BG)
        .collect();
    let near_bg = |flags: &[u8], i: usize| flags[i] & NEAR_BG != 0;

    // Outer background: background-like pixels 4-connected to the border.
    let mut class = vec![LOGO; n];
    // Pixel indices (u32: half the memory of coordinates on a large image).
    let mut stack: Vec<u32> = border
        .iter()
        .map(|&(x, y)| idx(x, y) as u32)
        .filter(|&i| near_bg(&flags, i as usize))
        .collect();
    for &i in &stack {
        class[i as usize] = OUTER;
    }
    while let Some(i) = stack.pop() {
        for (nx, ny) in neighbours4(i % w, i / w, w, h) {
            let j = idx(nx, ny);
            if near_bg(&flags, j) && class[j] == LOGO {
                class[j] = OUTER;
                stack.push(j as u32);
            }
        }
    }
    drop(stack);

    // Inner regions: enclosed background-like components.
    solid_pixels(&img, noise, &mut flags, SOLID_ALL);
    let decided = inner::classify_inner(&img, &mut flags, &mut class, bg, cfg.inner_regions);
    if decided.kept > 0 {
        warnings.push(format!(
            "kept {} background-coloured region(s) inside the logo as part of it",
            decided.kept
        ));
    }
    if decided.uncertain_kept + decided.uncertain_cleared > 0 {
        warnings.push(format!(
            "uncertain whether {} white region(s) inside the logo are parts of it or holes: \
             kept {}, cleared {}; [transparent] inner_regions = \"keep\" or \"clear\" forces one choice",
            decided.uncertain_kept + decided.uncertain_cleared,
            decided.uncertain_kept,
            decided.uncertain_cleared
        ));
    }

    let cleared = |i: usize| is_cleared(class[i]);
    dilate(&mut flags, w, h, EDGE_RADIUS, cleared, NEAR_CLEARED);
    // Solid: all 8 neighbours close, and none of them (nor itself) cleared.
    dilate(&mut flags, w, h, 1, cleared, NEXT_TO_CLEARED);

    // Lossy noise is as large as the steps of an anti-aliased edge: flat colours are told
    // by a tighter tolerance there.
    let flat_noise = if lossy { noise / LOSSY_FLAT } else { noise };
    mark_own_colours(&img, &mut flags, &class, bg, flat_noise);
    // Edge pixels read their neighbours' original colours up to SEARCH_RADIUS rows away.
    map_in_place(&mut img, SEARCH_RADIUS as usize, |img, x, y| {
        let i = idx(x, y);
        let c = rgb(img, x, y);
        if is_cleared(class[i]) {
            Rgba([0, 0, 0, 0])
        } else if flags[i] & NEAR_CLEARED == 0
            || class[i] == INNER_KEPT
            || is_solid(flags[i])
            || flags[i] & OWN_COLOUR != 0
        {
            Rgba([c[0], c[1], c[2], 255])
        } else {
            unmix_edge(img, &flags, &class, x, y, bg, lossy)
        }
    });
    drop((class, flags));
    if lossy {
        drop_specks(&mut img, bg, 2.0 * noise);
    }
    Matte {
        image: img,
        background: Some(Rgb(bg)),
        confidence,
        warnings,
    }
}

/// Every pixel of `img` replaced by `pixel(img, x, y)` in the image's own buffer, each
/// computed from the original image as long as `pixel` reads no farther than `reach` rows
/// up: a result row is written back only once the `reach` rows after it are computed.
fn map_in_place(
    img: &mut RgbaImage,
    reach: usize,
    mut pixel: impl FnMut(&RgbaImage, u32, u32) -> Rgba<u8>,
) {
    let (w, h) = img.dimensions();
    let row_bytes = 4 * w as usize;
    let mut pending: VecDeque<(usize, Vec<u8>)> = VecDeque::with_capacity(reach + 1);
    let mut spare: Option<Vec<u8>> = None;
    for y in 0..h {
        let mut row = spare.take().unwrap_or_else(|| vec![0; row_bytes]);
        for x in 0..w {
            row[4 * x as usize..4 * x as usize + 4].copy_from_slice(&pixel(img, x, y).0);
        }
        pending.push_back((y as usize, row));
        if pending.len() > reach {
            let (r, done) = pending
                .pop_front()
                .expect("more than reach rows are pending");
            img.as_mut()[r * row_bytes..(r + 1) * row_bytes].copy_from_slice(&done);
            spare = Some(done);
        }
    }
    for (r, done) in pending {
        img.as_mut()[r * row_bytes..(r + 1) * row_bytes].copy_from_slice(&done);
    }
}

/// The colour of the pixel at (`x`, `y`).
fn rgb(img: &RgbaImage, x: u32, y: u32) -> [u8; 3] {
    let p = img.get_pixel(x, y);
    [p[0], p[1], p[2]]
}

/// Whether a pixel of class `c` becomes transparent.
fn is_cleared(c: u8) -> bool {
    c == OUTER || c == INNER_CLEARED
}

/// Mark with `bit` in `flags` the solid pixels: those whose 8 neighbours are all within
/// `noise` of them (the image's edge rows and columns are never solid). The hottest loop
/// of background removal, so closeness is computed once per pair of neighbours (4 per
/// pixel, not 8), with squared distances.
fn solid_pixels(img: &RgbaImage, noise: f32, flags: &mut [u8], bit: u8) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    flags.iter_mut().for_each(|f| *f &= !bit);
    if w < 3 || h < 3 {
        return;
    }
    let noise2 = noise * noise;
    let close = |a: &[u8], b: &[u8]| {
        let d = |k: usize| a[k] as i32 - b[k] as i32;
        ((d(0) * d(0) + d(1) * d(1) + d(2) * d(2)) as f32) < noise2
    };
    let row = |y: usize| &img.as_raw()[4 * w * y..4 * w * (y + 1)];
    // For each pixel of row y: close to the pixel below, below-left and below-right in
    // row y + 1 (false where there is none).
    let links = |y: usize| -> [Vec<bool>; 3] {
        let (a, b) = (row(y), row(y + 1));
        let px = |r: &[u8], x: usize| -> [u8; 4] { [r[4 * x], r[4 * x + 1], r[4 * x + 2], 0] };
        let mut down = vec![false; w];
        let mut down_left = vec![false; w];
        let mut down_right = vec![false; w];
        for x in 0..w {
            let p = px(a, x);
            down[x] = close(&p, &px(b, x));
            if x + 1 < w {
                down_right[x] = close(&p, &px(b, x + 1));
            }
            if x > 0 {
                down_left[x] = close(&p, &px(b, x - 1));
            }
        }
        [down, down_left, down_right]
    };
    let right_of = |y: usize| -> Vec<bool> {
        let a = row(y);
        (0..w)
            .map(|x| x + 1 < w && close(&a[4 * x..4 * x + 3], &a[4 * x + 4..4 * x + 7]))
            .collect()
    };
    let mut above = links(0);
    for y in 1..h - 1 {
        let below = links(y);
        let right = right_of(y);
        let [up, up_left, up_right] = &above;
        for x in 1..w - 1 {
            // Row y - 1's links reach down to row y: its down-right from x - 1 and its
            // down-left from x + 1 land on x.
            let solid = right[x - 1]
                && right[x]
                && up[x]
                && up_right[x - 1]
                && up_left[x + 1]
                && below[0][x]
                && below[1][x]
                && below[2][x];
            flags[y * w + x] = with_bit(flags[y * w + x], bit, solid);
        }
        above = below;
    }
}

/// Mark with [`ROW_INNER`] the [`INNER`] pixels whose row run of side 2m+1 around them is
/// all INNER (and inside the image). Such a run is one region: distinct regions never
/// touch, or they would be one.
fn mark_inner_rows(flags: &mut [u8], class: &[u8], w: u32, m: u32) {
    let (w, m) = (w as usize, m as usize);
    for (row_flags, row_class) in flags.chunks_exact_mut(w).zip(class.chunks_exact(w)) {
        for x in 0..w {
            let run = x >= m && x + m < w && row_class[x - m..=x + m].iter().all(|&c| c == INNER);
            row_flags[x] = with_bit(row_flags[x], ROW_INNER, run);
        }
    }
}

/// Whether pixel `i` of a region lies `m` pixels or more inside it: the square of side
/// 2m+1 around it is inside the image and all one region, that is, the 2m+1 pixels of
/// its column are all marked [`ROW_INNER`] (runs stacked in a column touch, so they are
/// one region).
fn is_interior(flags: &[u8], w: u32, h: u32, m: u32, i: u32) -> bool {
    let (x, y) = (i % w, i / w);
    y >= m && y + m < h && (y - m..=y + m).all(|yy| flags[(yy * w + x) as usize] & ROW_INNER != 0)
}

/// Largest speck (in pixels) of faint pixels that [`drop_specks`] removes.
const SPECK_AREA: usize = 24;
/// Alpha under which a pixel of a speck counts as faint.
const SPECK_ALPHA: u8 = 96;

/// Remove small islands (8-connected, alpha > 0, at most `SPECK_AREA` pixels) made only of
/// faint pixels: nearly transparent, or within `near` of the background colour.
/// Compression ringing away from the logo, not part of it.
fn drop_specks(img: &mut RgbaImage, bg: [u8; 3], near: f32) {
    let (w, h) = img.dimensions();
    let n = (w * h) as usize;
    let alpha = |i: usize| img.as_raw()[4 * i + 3];
    let faint_px = |i: usize| {
        let p = &img.as_raw()[4 * i..4 * i + 4];
        p[3] < SPECK_ALPHA || distance([p[0], p[1], p[2]], bg) < near
    };
    // A component is walked only until it proves larger than a speck (or meets one that
    // did), so the walk holds at most SPECK_AREA pixels however large the logo.
    const REACHED: u8 = 1;
    const LARGE: u8 = 2;
    let mut seen = vec![0u8; n];
    let mut specks: Vec<u32> = Vec::new();
    let mut comp: Vec<u32> = Vec::with_capacity(SPECK_AREA);
    for start in 0..n {
        if seen[start] != 0 || alpha(start) == 0 {
            continue;
        }
        seen[start] = REACHED;
        comp.clear();
        comp.push(start as u32);
        let mut large = false;
        let mut k = 0;
        'walk: while k < comp.len() {
            let (x, y) = (comp[k] % w, comp[k] / w);
            k += 1;
            for (nx, ny) in neighbours8(x, y, w, h) {
                let j = (ny * w + nx) as usize;
                if alpha(j) == 0 || seen[j] == REACHED {
                    continue;
                }
                // Unseen, or in a large component: this one is that component.
                large = seen[j] == LARGE || comp.len() == SPECK_AREA;
                if large {
                    break 'walk;
                }
                seen[j] = REACHED;
                comp.push(j as u32);
            }
        }
        if large {
            comp.iter().for_each(|&i| seen[i as usize] = LARGE);
        } else if comp.iter().all(|&i| faint_px(i as usize)) {
            specks.extend(&comp);
        }
    }
    let raw: &mut [u8] = img;
    for i in specks {
        let i = i as usize;
        raw[4 * i..4 * i + 4].copy_from_slice(&[0, 0, 0, 0]);
    }
}

/// The pixels of the square of radius `r` around (`x`, `y`) inside a `w` x `h` image, with
/// their offsets: `(dx, dy, x + dx, y + dy)`.
fn window(x: u32, y: u32, w: u32, h: u32, r: i32) -> impl Iterator<Item = (i32, i32, u32, u32)> {
    (-r..=r).flat_map(move |dy| {
        (-r..=r).filter_map(move |dx| {
            let (nx, ny) = (x as i32 + dx, y as i32 + dy);
            (nx >= 0 && ny >= 0 && nx < w as i32 && ny < h as i32)
                .then_some((dx, dy, nx as u32, ny as u32))
        })
    })
}

/// Mark [`OWN_COLOUR`] the edge pixels (near a cleared one) that are a colour of their
/// own, not a mix: flat ([`FLAT_NEIGHBOURS`] of their 8 neighbours within `flat_noise`),
/// not background, and [`OWN_RESIDUAL`] or more from every mix of a solid colour within
/// [`SEARCH_RADIUS`] with the background. The inside of a light grey line along a blue
/// fill is grey, not a little of the blue over white; the pixels of a smooth fade to the
/// background are mixes however alike their neighbours, and stay unmarked.
fn mark_own_colours(img: &RgbaImage, flags: &mut [u8], class: &[u8], bg: [u8; 3], flat_noise: f32) {
    let (w, h) = img.dimensions();
    let rgb = |x: u32, y: u32| rgb(img, x, y);
    for y in 0..h {
        for x in 0..w {
            let i = (y * w + x) as usize;
            let f = flags[i];
            if f & NEAR_CLEARED == 0 || is_cleared(class[i]) || is_solid(f) {
                continue;
            }
            let c = rgb(x, y);
            let flat = distance(c, bg) >= OWN_MIN_DISTANCE
                && neighbours8(x, y, w, h)
                    .filter(|&(nx, ny)| distance(rgb(nx, ny), c) < flat_noise)
                    .count()
                    >= FLAT_NEIGHBOURS;
            if !flat {
                continue;
            }
            let mixed = window(x, y, w, h, SEARCH_RADIUS).any(|(_, _, nx, ny)| {
                is_solid(flags[(ny * w + nx) as usize])
                    && unmix(c, rgb(nx, ny), bg).1 < OWN_RESIDUAL
            });
            if !mixed {
                flags[i] |= OWN_COLOUR;
            }
        }
    }
}

/// Alpha and colour of an edge pixel at (`x`, `y`), from the original colours of its
/// neighbours up to SEARCH_RADIUS away (`remove_background` gives this reach to
/// [`map_in_place`]).
fn unmix_edge(
    img: &RgbaImage,
    flags: &[u8],
    class: &[u8],
    x: u32,
    y: u32,
    bg: [u8; 3],
    lossy: bool,
) -> Rgba<u8> {
    let (w, h) = img.dimensions();
    let rgb = |x: u32, y: u32| rgb(img, x, y);
    let c = rgb(x, y);
    let mut best: Option<([u8; 3], f32, f32)> = None; // (colour, alpha, score)
    let mut farthest: Option<([u8; 3], f32)> = None; // fallback for features with no solid core
    for (dx, dy, nx, ny) in window(x, y, w, h, SEARCH_RADIUS) {
        let i = (ny * w + nx) as usize;
        if is_cleared(class[i]) {
            continue;
        }
        let f = rgb(nx, ny);
        let near = dx.abs() <= EDGE_RADIUS && dy.abs() <= EDGE_RADIUS;
        // A colour of its own (see OWN_COLOUR) explains the edge pixels next to it.
        if is_solid(flags[i]) || (near && flags[i] & OWN_COLOUR != 0) {
            let (alpha, residual) = unmix(c, f, bg);
            // Prefer the colour that explains the pixel; break ties by nearness.
            let score = residual + 0.5 * ((dx * dx + dy * dy) as f32).sqrt();
            if best.is_none_or(|b| score < b.2) {
                best = Some((f, alpha, score));
            }
        } else if near {
            let d = distance(f, bg);
            if farthest.is_none_or(|b| d > b.1) {
                farthest = Some((f, d));
            }
        }
    }
    // A thin feature (a dark outline between a fill and the background) has no solid core
    // and is no mix of the solid colour near it: its own darkest neighbour explains it.
    let thin = farthest.map(|(f, _)| (f, unmix(c, f, bg)));
    let (f, alpha) = match (best, thin) {
        (Some((f, _, _)), Some((t, (t_alpha, t_residual))))
            if t_residual + UNEXPLAINED < unmix(c, f, bg).1 =>
        {
            (t, t_alpha)
        }
        (Some((f, alpha, _)), _) => (f, alpha),
        (None, Some((f, (alpha, _)))) => (f, alpha),
        (None, None) => (c, 1.0),
    };
    // A lossy input keeps luma at full resolution but chroma at half, blurred and blocky:
    // its edge coverage trusts luma more (a yellow edge on white follows the 8-pixel
    // chroma blocks otherwise).
    let alpha = match lossy {
        true => ycc_alpha(c, f, bg, CHROMA_WEIGHT).unwrap_or(alpha),
        false => alpha,
    };
    if alpha >= MAX_ALPHA {
        // A lossy edge pixel's own colour carries the background's blurred chroma: the
        // colour that explains it is truer.
        let c = if lossy { f } else { c };
        Rgba([c[0], c[1], c[2], 255])
    } else if alpha < MIN_ALPHA {
        Rgba([0, 0, 0, 0])
    } else {
        Rgba([f[0], f[1], f[2], (alpha * 255.0).round() as u8])
    }
}

/// The coverage of `f` over `bg` in `c`, least squares in YCbCr with the chroma
/// differences weighted by `chroma_weight` against luma's; `None` when `f` is the
/// background's colour (as [`unmix`] cannot tell either).
fn ycc_alpha(c: [u8; 3], f: [u8; 3], bg: [u8; 3], chroma_weight: f32) -> Option<f32> {
    let (c, f, b) = (ycc(c), ycc(f), ycc(bg));
    let weight = [1.0, chroma_weight, chroma_weight];
    let (mut num, mut den) = (0.0, 0.0);
    for k in 0..3 {
        num += weight[k] * (c[k] - b[k]) * (f[k] - b[k]);
        den += weight[k] * (f[k] - b[k]) * (f[k] - b[k]);
    }
    (den >= 1.0).then(|| (num / den).clamp(0.0, 1.0))
}

/// The noise level of a lossless image: three times the 95th percentile of how far the
/// agreeing border pixels stray from the background, plus 3, within 4 and `max`.
fn border_noise(deviations: &[f32], max: f32) -> f32 {
    let mut inliers: Vec<f32> = deviations.iter().copied().filter(|&d| d < max).collect();
    if inliers.is_empty() {
        return max;
    }
    inliers.sort_by(f32::total_cmp);
    let p95 = inliers[(inliers.len() * 95 / 100).min(inliers.len() - 1)];
    (3.0 * p95 + 3.0).clamp(4.0f32.min(max), max)
}

/// The coordinates of the outermost ring of pixels.
fn border_pixels(w: u32, h: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for x in 0..w {
        out.push((x, 0));
        if h > 1 {
            out.push((x, h - 1));
        }
    }
    for y in 1..h.saturating_sub(1) {
        out.push((0, y));
        if w > 1 {
            out.push((w - 1, y));
        }
    }
    out
}

fn median(colours: &[[u8; 3]]) -> [u8; 3] {
    let mut out = [255; 3];
    for (ch, slot) in out.iter_mut().enumerate() {
        let mut v: Vec<u8> = colours.iter().map(|c| c[ch]).collect();
        if v.is_empty() {
            continue;
        }
        let mid = v.len() / 2;
        *slot = *v.select_nth_unstable(mid).1;
    }
    out
}

fn neighbours4(x: u32, y: u32, w: u32, h: u32) -> impl Iterator<Item = (u32, u32)> {
    let (x, y) = (x as i64, y as i64);
    [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
        .into_iter()
        .filter(move |&(nx, ny)| nx >= 0 && ny >= 0 && nx < w as i64 && ny < h as i64)
        .map(|(nx, ny)| (nx as u32, ny as u32))
}

fn neighbours8(x: u32, y: u32, w: u32, h: u32) -> impl Iterator<Item = (u32, u32)> {
    let (x, y) = (x as i64, y as i64);
    (-1..=1)
        .flat_map(move |dy| (-1..=1).map(move |dx| (x + dx, y + dy)))
        .filter(move |&(nx, ny)| {
            (nx, ny) != (x, y) && nx >= 0 && ny >= 0 && nx < w as i64 && ny < h as i64
        })
        .map(|(nx, ny)| (nx as u32, ny as u32))
}

/// Mark with `bit` in `flags` the pixels of `mask` grown by `r` pixels in every direction
/// (a square structuring element). Uses the [`ROW_DILATED`] bit on the way.
fn dilate(flags: &mut [u8], w: u32, h: u32, r: i32, mask: impl Fn(usize) -> bool, bit: u8) {
    let (w, h, r) = (w as usize, h as usize, r.max(0) as usize);
    // Separable, with running counts over windows of 2r+1, both passes in row order; the
    // row pass goes to the ROW_DILATED bit.
    for y in 0..h {
        let src = |x: usize| mask(y * w + x) as usize;
        let dst = &mut flags[y * w..(y + 1) * w];
        let mut count: usize = (0..r.min(w)).map(src).sum();
        for (x, f) in dst.iter_mut().enumerate() {
            if x + r < w {
                count += src(x + r);
            }
            if x > r {
                count -= src(x - r - 1);
            }
            *f = with_bit(*f, ROW_DILATED, count > 0);
        }
    }
    let mut counts = vec![0u32; w];
    let add = |row: &[u8], counts: &mut [u32], sign: i32| {
        for (c, &f) in counts.iter_mut().zip(row) {
            *c = c.wrapping_add_signed(sign * i32::from(f & ROW_DILATED != 0));
        }
    };
    for y in 0..r.min(h) {
        add(&flags[y * w..(y + 1) * w], &mut counts, 1);
    }
    for y in 0..h {
        if y + r < h {
            add(&flags[(y + r) * w..(y + r + 1) * w], &mut counts, 1);
        }
        if y > r {
            add(&flags[(y - r - 1) * w..(y - r) * w], &mut counts, -1);
        }
        for (f, &c) in flags[y * w..(y + 1) * w].iter_mut().zip(&counts) {
            *f = with_bit(*f, bit, c > 0);
        }
    }
}

#[cfg(test)]
mod tests {
    /// A flag bit the functions under test do not own.
    const OTHER_BIT: u8 = 32;
    use super::*;
    use crate::color::over;
    use crate::config::InnerRegions;

    #[test]
    fn fast_solid_and_dilate_match_their_definitions() {
        let (w, h) = (37u32, 23u32);
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 24) as u8
        };
        // Few levels, so that closeness varies.
        let img = RgbaImage::from_fn(w, h, |_, _| {
            Rgba([next() & 0x40, next() & 0x40, next() & 0x40, 255])
        });
        let noise = 70.0;
        // Bits the calls do not own start set, and must stay so.
        let others = NEAR_BG | OTHER_BIT;
        let mut flags = vec![others; (w * h) as usize];
        solid_pixels(&img, noise, &mut flags, SOLID_ALL);
        let solid: Vec<bool> = flags.iter().map(|f| f & SOLID_ALL != 0).collect();
        assert!(solid.iter().any(|&s| s) && solid.iter().any(|&s| !s));
        let rgb = |x: i32, y: i32| {
            let p = img.get_pixel(x as u32, y as u32);
            [p[0], p[1], p[2]]
        };
        for y in 0..h as i32 {
            for x in 0..w as i32 {
                let inside = x > 0 && y > 0 && x + 1 < w as i32 && y + 1 < h as i32;
                let expected = inside
                    && (-1..=1).all(|dy| {
                        (-1..=1).all(|dx| distance(rgb(x + dx, y + dy), rgb(x, y)) < noise)
                    });
                assert_eq!(solid[(y * w as i32 + x) as usize], expected, "({x}, {y})");
            }
        }
        let mask: Vec<bool> = (0..w * h).map(|_| next() > 240).collect();
        for r in [0, 1, 2] {
            dilate(&mut flags, w, h, r, |i| mask[i], NEAR_CLEARED);
            let fast: Vec<bool> = flags.iter().map(|f| f & NEAR_CLEARED != 0).collect();
            assert!(flags.iter().all(|f| f & others == others));
            let still_solid = flags.iter().map(|f| f & SOLID_ALL != 0);
            assert!(
                still_solid.eq(solid.iter().copied()),
                "r {r}: the solid bits changed"
            );
            for y in 0..h as i32 {
                for x in 0..w as i32 {
                    let expected = (-r..=r).any(|dy| {
                        (-r..=r).any(|dx| {
                            let (nx, ny) = (x + dx, y + dy);
                            nx >= 0
                                && ny >= 0
                                && nx < w as i32
                                && ny < h as i32
                                && mask[(ny * w as i32 + nx) as usize]
                        })
                    });
                    assert_eq!(
                        fast[(y * w as i32 + x) as usize],
                        expected,
                        "r {r} ({x}, {y})"
                    );
                }
            }
        }
    }

    #[test]
    fn interior_is_the_square_of_inner_pixels_around() {
        let (w, h, m) = (41u32, 29u32, 2u32);
        let mut seed = 11u32;
        // Blocks of INNER and LOGO, so that some squares are whole.
        let class: Vec<u8> = (0..w * h)
            .map(|i| {
                let block = (i % w / 5, i / w / 4);
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                if (block.0 * 7 + block.1 * 3) % 4 != 0 && seed >> 28 != 0 {
                    INNER
                } else {
                    LOGO
                }
            })
            .collect();
        let mut flags = vec![OTHER_BIT; (w * h) as usize];
        mark_inner_rows(&mut flags, &class, w, m);
        let mut interior = 0;
        for y in 0..h as i32 {
            for x in 0..w as i32 {
                let m = m as i32;
                let expected = (-m..=m).all(|dy| {
                    (-m..=m).all(|dx| {
                        let (nx, ny) = (x + dx, y + dy);
                        nx >= 0
                            && ny >= 0
                            && nx < w as i32
                            && ny < h as i32
                            && class[(ny * w as i32 + nx) as usize] == INNER
                    })
                });
                let i = (y * w as i32 + x) as u32;
                assert_eq!(
                    is_interior(&flags, w, h, m as u32, i),
                    expected,
                    "({x}, {y})"
                );
                interior += usize::from(expected);
            }
        }
        assert!(interior > 10, "{interior}");
        assert!(flags.iter().all(|f| f & OTHER_BIT != 0));
    }

    #[test]
    fn specks_are_found_however_large_the_components_around_them() {
        // A faint 3x3 speck, a faint 5x5 blob (25 pixels: not a speck), and a large faint
        // ring around a faint speck that touches it diagonally (one component, kept).
        let mut img = RgbaImage::new(60, 40);
        let faint = Rgba([250, 250, 250, 40]);
        for (x, y) in (2..5).flat_map(|x| (2..5).map(move |y| (x, y))) {
            img.put_pixel(x, y, faint);
        }
        for (x, y) in (10..15).flat_map(|x| (10..15).map(move |y| (x, y))) {
            img.put_pixel(x, y, faint);
        }
        for x in 20..58 {
            for y in 5..38 {
                if !(22..56).contains(&x) || !(7..36).contains(&y) {
                    img.put_pixel(x, y, faint);
                }
            }
        }
        img.put_pixel(22, 7, faint);
        img.put_pixel(40, 20, faint);
        drop_specks(&mut img, [255, 255, 255], 10.0);
        assert_eq!(img.get_pixel(3, 3)[3], 0);
        assert_eq!(img.get_pixel(12, 12)[3], 40);
        assert_eq!(img.get_pixel(22, 7)[3], 40);
        assert_eq!(img.get_pixel(30, 5)[3], 40);
        assert_eq!(img.get_pixel(40, 20)[3], 0);
    }

    /// A `size` x `size` image on `bg` with a disc of colour `fg` (anti-aliased by
    /// supersampling), returning the image and the true alpha of each pixel.
    fn disc(size: u32, fg: [u8; 3], bg: [u8; 3]) -> (RgbaImage, Vec<u8>) {
        let mut img = RgbaImage::new(size, size);
        let mut alphas = Vec::new();
        let c = size as f32 / 2.0;
        let r = size as f32 * 0.3;
        for y in 0..size {
            for x in 0..size {
                let mut inside = 0;
                for sy in 0..4 {
                    for sx in 0..4 {
                        let px = x as f32 + (sx as f32 + 0.5) / 4.0;
                        let py = y as f32 + (sy as f32 + 0.5) / 4.0;
                        if (px - c).powi(2) + (py - c).powi(2) < r * r {
                            inside += 1;
                        }
                    }
                }
                let a = (inside * 255 / 16) as u8;
                alphas.push(a);
                let p = over(fg, a, bg);
                img.put_pixel(x, y, Rgba([p[0], p[1], p[2], 255]));
            }
        }
        (img, alphas)
    }

    #[test]
    fn map_in_place_computes_every_pixel_from_the_original_image() {
        let img = RgbaImage::from_fn(5, 9, |x, y| Rgba([x as u8, y as u8, 7, 255]));
        let reach = 3;
        // Each pixel: the sum of the pixels up to `reach` rows above and below it.
        let pixel = |img: &RgbaImage, x: u32, y: u32| {
            let (lo, hi) = (y.saturating_sub(3), (y + 3).min(img.height() - 1));
            let sum = (lo..=hi)
                .map(|yy| img.get_pixel(x, yy)[1] as u32)
                .sum::<u32>();
            Rgba([x as u8, sum as u8, 0, 255])
        };
        let want = RgbaImage::from_fn(5, 9, |x, y| pixel(&img, x, y));
        let mut got = img.clone();
        map_in_place(&mut got, reach, pixel);
        assert!(
            got == want,
            "a row was overwritten before a later row read it"
        );
        // With less reach than the pixels read, the results differ (the test can fail).
        let mut short = img.clone();
        map_in_place(&mut short, 1, pixel);
        assert!(short != want);
    }

    #[test]
    fn recovers_soft_edges_without_halo() {
        let fg = [0x1f, 0x6f, 0xeb];
        let (img, truth) = disc(64, fg, [255, 255, 255]);
        let m = remove_background(img.clone(), &TransparentConfig::default(), false);
        assert_eq!(m.background, Some(Rgb::WHITE));
        assert!(m.confidence > 0.99);
        let mut err = 0u32;
        for (p, &a) in m.image.pixels().zip(&truth) {
            err += (p[3] as i32 - a as i32).unsigned_abs();
            if p[3] > 0 {
                // Edge pixels carry the logo's colour, not a mix with white.
                assert!(distance([p[0], p[1], p[2]], fg) < 8.0, "{p:?}");
            }
        }
        let mae = err as f32 / truth.len() as f32;
        assert!(mae < 1.0, "alpha MAE {mae}");
    }

    #[test]
    fn keeps_a_logo_colour_that_plain_colour_to_alpha_would_thin() {
        let (img, _) = disc(48, [0x1f, 0x6f, 0xeb], [255, 255, 255]);
        let m = remove_background(img.clone(), &TransparentConfig::default(), false);
        assert_eq!(m.image.get_pixel(24, 24)[3], 255);
    }

    #[test]
    fn keeps_a_thin_dark_outline_around_a_fill() {
        // A yellow bar drawn with a one-pixel black outline, on red: the outline is no mix
        // of yellow and red, so it stays opaque black.
        let red = Rgba([220, 38, 38, 255]);
        let mut img = RgbaImage::from_pixel(40, 30, red);
        for y in 10..20 {
            for x in 10..30 {
                let edge = y == 10 || y == 19 || x == 10 || x == 29;
                let c = if edge { [0, 0, 0] } else { [249, 220, 62] };
                img.put_pixel(x, y, Rgba([c[0], c[1], c[2], 255]));
            }
        }
        let m = remove_background(img.clone(), &TransparentConfig::default(), false);
        for (x, y) in [(10, 15), (20, 10), (29, 12), (20, 19)] {
            assert_eq!(
                m.image.get_pixel(x, y).0,
                [0, 0, 0, 255],
                "outline at {x},{y}"
            );
        }
        assert_eq!(m.image.get_pixel(20, 15).0, [249, 220, 62, 255]);
        assert_eq!(m.image.get_pixel(5, 5)[3], 0);
    }

    #[test]
    fn a_light_line_along_a_fill_keeps_its_own_colour_and_a_fade_stays_a_mix() {
        // A blue bar with a 3 px light grey line along its top, on white: the grey is a
        // colour of its own, not a little of the blue over white.
        let mut img = RgbaImage::from_pixel(140, 40, Rgba([255, 255, 255, 255]));
        for y in 9..24 {
            for x in 5..35 {
                let c = if y < 12 {
                    [204, 204, 204]
                } else {
                    [47, 100, 145]
                };
                img.put_pixel(x, y, Rgba([c[0], c[1], c[2], 255]));
            }
        }
        // A green bar fading into the white over 100 px: alike neighbours, but mixes.
        let green = [40.0, 200.0, 120.0];
        for y in 28..36 {
            for x in 10..110 {
                let t = (x - 10) as f32 / 100.0;
                let c = green.map(|g| (g + (255.0 - g) * t).round() as u8);
                img.put_pixel(x, y, Rgba([c[0], c[1], c[2], 255]));
            }
        }
        let m = remove_background(img, &TransparentConfig::default(), false);
        for x in [6, 20, 33] {
            for y in 9..12 {
                assert_eq!(m.image.get_pixel(x, y).0, [204, 204, 204, 255], "{x},{y}");
            }
        }
        // Its last pixel before the background is translucent, not opaque near-white.
        let last = (95..110)
            .rev()
            .map(|x| m.image.get_pixel(x, 31)[3])
            .find(|&a| a > 0);
        assert!(last.is_some_and(|a| a < 255), "{last:?}");
    }

    #[test]
    fn a_lossy_edge_is_read_from_luma_more_than_from_subsampled_chroma() {
        // A yellow disc on white with its chroma averaged over 2 x 2 blocks, as a JPEG
        // keeps it (4:2:0): luma tells the edge's coverage, chroma smears it.
        let (fg, bg) = ([250, 200, 0], [255, 255, 255]);
        let (img, truth) = disc(64, fg, bg);
        let to_rgb = |[y, cb, cr]: [f32; 3]| {
            [
                y + 1.402 * cr,
                y - 0.344_136 * cb - 0.714_136 * cr,
                y + 1.772 * cb,
            ]
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
        };
        let (mut equal, mut weighted, mut edges) = (0.0, 0.0, 0);
        for (x, y, p) in img.enumerate_pixels() {
            let t = f32::from(truth[(y * 64 + x) as usize]) / 255.0;
            if t == 0.0 || t == 1.0 {
                continue;
            }
            let block = [(0, 0), (1, 0), (0, 1), (1, 1)]
                .map(|(dx, dy)| ycc(rgb(&img, x & !1 | dx, y & !1 | dy)));
            let mean = |k: usize| block.iter().map(|c| c[k]).sum::<f32>() / 4.0;
            let c = to_rgb([ycc([p[0], p[1], p[2]])[0], mean(1), mean(2)]);
            equal += (ycc_alpha(c, fg, bg, 1.0).unwrap() - t).abs();
            weighted += (ycc_alpha(c, fg, bg, CHROMA_WEIGHT).unwrap() - t).abs();
            edges += 1;
        }
        let (equal, weighted) = (equal / edges as f32, weighted / edges as f32);
        // Measured: 0.13 against 0.21 of a pixel's coverage, on average.
        assert!(
            weighted < 0.75 * equal,
            "weighted {weighted}, equal {equal}"
        );
    }

    #[test]
    fn keeps_a_faint_figure_of_its_own_colour_even_through_jpeg_noise() {
        // A blue badge holding a square: #fcfcfc is a figure, #ffffff a cut-out. The noise
        // level of a JPEG (24) covers both; the region's median tells them apart.
        for (figure, kept) in [([252, 252, 252], 255), ([255, 255, 255], 0)] {
            let mut img = RgbaImage::from_pixel(60, 60, Rgba([255, 255, 255, 255]));
            for y in 10..50 {
                for x in 10..50 {
                    let inner = (20..40).contains(&x) && (20..40).contains(&y);
                    let c = if inner { figure } else { [29, 153, 243] };
                    img.put_pixel(x, y, Rgba([c[0], c[1], c[2], 255]));
                }
            }
            let m = remove_background(img.clone(), &TransparentConfig::default(), true);
            assert_eq!(m.image.get_pixel(30, 30)[3], kept, "figure {figure:?}");
            assert_eq!(m.image.get_pixel(2, 2)[3], 0);
        }
    }

    #[test]
    fn non_uniform_border_keeps_image_opaque_with_warning() {
        let mut img = RgbaImage::new(20, 20);
        for (x, y, p) in img.enumerate_pixels_mut() {
            *p = Rgba([(x * 12) as u8, (y * 12) as u8, 128, 255]);
        }
        let m = remove_background(img.clone(), &TransparentConfig::default(), false);
        assert_eq!(m.background, None);
        assert!(m.image.pixels().all(|p| p[3] == 255));
        assert!(m.warnings[0].contains("no uniform background"));
    }

    /// A blue badge with a white "T" on it, and a blue ring (5 px thick) around a hole.
    fn badge_and_ring() -> RgbaImage {
        let mut img = RgbaImage::from_pixel(140, 80, Rgba([255, 255, 255, 255]));
        for y in 10..70 {
            for x in 10..70 {
                let bar = (20..60).contains(&x) && (20..30).contains(&y);
                let stem = (35..45).contains(&x) && (30..60).contains(&y);
                if !bar && !stem {
                    img.put_pixel(x, y, Rgba([0, 60, 200, 255]));
                }
            }
            for x in 80..130 {
                if !((85..125).contains(&x) && (15..55).contains(&y)) && y < 60 {
                    img.put_pixel(x, y + 5, Rgba([0, 60, 200, 255]));
                }
            }
        }
        img
    }

    #[test]
    fn a_white_dot_drawn_inside_a_white_letter_is_kept_like_the_letter() {
        // A blue badge holding a white "o" (kept: a figure on a badge) whose blue counter
        // holds a white dot: by its own shape the dot is a counter, but it is drawn inside
        // a white figure, so it is that figure's white.
        let mut img = RgbaImage::from_pixel(160, 160, Rgba([255, 255, 255, 255]));
        for (x, y, p) in img.enumerate_pixels_mut() {
            let r = (x as f32 - 80.0).hypot(y as f32 - 80.0);
            let badge = (10..150).contains(&x) && (10..150).contains(&y);
            if badge && !((25.0..40.0).contains(&r) || r < 8.0) {
                *p = Rgba([0, 60, 200, 255]);
            }
        }
        let m = remove_background(img, &TransparentConfig::default(), false);
        assert_eq!(m.image.get_pixel(80 + 32, 80)[3], 255, "the o");
        assert_eq!(m.image.get_pixel(80, 80)[3], 255, "the dot");
        assert_eq!(m.image.get_pixel(80 + 16, 80)[3], 255, "the counter");
        assert_eq!(m.image.get_pixel(1, 1)[3], 0, "outer background");
    }

    /// A pixel of the badge's figure, and one of the ring's hole.
    const FIGURE: (u32, u32) = (40, 25);
    const HOLE: (u32, u32) = (105, 40);

    #[test]
    fn inner_regions_auto_keeps_a_figure_on_a_badge_and_clears_a_ring_hole() {
        let m = remove_background(badge_and_ring(), &TransparentConfig::default(), false);
        assert_eq!(m.image.get_pixel(FIGURE.0, FIGURE.1)[3], 255, "the T");
        assert_eq!(m.image.get_pixel(HOLE.0, HOLE.1)[3], 0, "hole of the ring");
        assert_eq!(m.image.get_pixel(1, 1)[3], 0, "outer background");
        assert!(
            m.warnings.iter().any(|w| w.contains("kept 1 ")),
            "{:?}",
            m.warnings
        );
    }

    #[test]
    fn inner_regions_auto_clears_regions_of_a_flat_colour_background() {
        // On a flat colour background, regions of that colour are holes.
        let mut img = badge_and_ring();
        for p in img.pixels_mut() {
            if p.0 == [255, 255, 255, 255] {
                p.0 = [22, 163, 74, 255];
            }
        }
        let m = remove_background(img, &TransparentConfig::default(), false);
        assert_eq!(m.image.get_pixel(FIGURE.0, FIGURE.1)[3], 0);
        assert_eq!(m.image.get_pixel(HOLE.0, HOLE.1)[3], 0);
    }

    #[test]
    fn inner_regions_auto_clears_the_cells_of_a_line_drawing() {
        // A grid of 2 px lines: cells much wider than the ink around them.
        let mut img = RgbaImage::from_pixel(120, 120, Rgba([255, 255, 255, 255]));
        for y in 10..110 {
            for x in 10..110 {
                if (x - 10) % 20 < 2 || (y - 10) % 20 < 2 || x >= 108 || y >= 108 {
                    img.put_pixel(x, y, Rgba([20, 20, 20, 255]));
                }
            }
        }
        let m = remove_background(img, &TransparentConfig::default(), false);
        assert_eq!(m.image.get_pixel(60, 60)[3], 0);
        assert_eq!(m.image.get_pixel(21, 21)[3], 0);
    }

    #[test]
    fn near_calls_are_reported_with_the_setting_that_forces_a_choice() {
        // ethereum's line drawing on #111827 (which counts as black): its triangular
        // holes sit near the thresholds.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/corpus/ethereum-color/color.png"
        );
        let img = image::open(path).unwrap().to_rgba8();
        let m = remove_background(img, &TransparentConfig::default(), false);
        let warning = m
            .warnings
            .iter()
            .find(|w| w.starts_with("uncertain whether"));
        let warning = warning.unwrap_or_else(|| panic!("{:?}", m.warnings));
        assert!(
            warning.contains("inner_regions = \"keep\" or \"clear\""),
            "{warning}"
        );
    }

    #[test]
    fn faint_colours_survive_on_lossless_input() {
        // White on off-white differs by 20 (under the JPEG noise level of 24).
        let mut img = RgbaImage::from_pixel(40, 40, Rgba([0xF5, 0xF5, 0xF0, 255]));
        for y in 10..30 {
            for x in 10..30 {
                img.put_pixel(x, y, Rgba([255, 255, 255, 255]));
            }
        }
        let m = remove_background(img.clone(), &TransparentConfig::default(), false);
        assert_eq!(m.image.get_pixel(20, 20)[3], 255);
        // The same pixels from a lossy file are taken as noise.
        let m = remove_background(img.clone(), &TransparentConfig::default(), true);
        assert_eq!(m.image.get_pixel(20, 20)[3], 0);
    }

    #[test]
    fn lossy_input_loses_faint_specks_but_keeps_the_logo() {
        let (mut img, _) = disc(64, [200, 0, 0], [255, 255, 255]);
        // A faint blotch of ringing far from the disc.
        for (x, y) in [(3, 60), (4, 60), (3, 61)] {
            img.put_pixel(x, y, Rgba([240, 225, 225, 255]));
        }
        let lossy = remove_background(img.clone(), &TransparentConfig::default(), true);
        assert_eq!(lossy.image.get_pixel(3, 60)[3], 0);
        assert_eq!(lossy.image.get_pixel(32, 32)[3], 255);
        let lossless = remove_background(img.clone(), &TransparentConfig::default(), false);
        assert!(
            lossless.image.get_pixel(3, 60)[3] > 0,
            "a lossless file keeps what it has"
        );
    }

    #[test]
    fn inner_regions_can_be_forced() {
        let img = badge_and_ring();
        let clear = TransparentConfig {
            inner_regions: InnerRegions::Clear,
            ..Default::default()
        };
        assert_eq!(
            remove_background(img.clone(), &clear, false)
                .image
                .get_pixel(FIGURE.0, FIGURE.1)[3],
            0
        );
        let keep = TransparentConfig {
            inner_regions: InnerRegions::Keep,
            ..Default::default()
        };
        assert_eq!(
            remove_background(img.clone(), &keep, false)
                .image
                .get_pixel(HOLE.0, HOLE.1)[3],
            255
        );
    }
}
