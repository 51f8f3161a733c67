//! Background removal: from a logo delivered on a flat background to a straight-alpha
//! matte with soft, unmixed edges.
//!
//! 1. The background colour B is the per-channel median of the image's border; the share of
//!    border pixels within `noise` of B is the confidence.
//! 2. Pixels within `noise` of B are background candidates (this also swallows JPEG noise).
//!    Those connected to the border are the outer background; enclosed ones are inner
//!    regions, cleared or kept by [`InnerRegions`].
//! 3. Every remaining pixel near the background is an edge pixel C = a*F + (1-a)*B. F is
//!    chosen among the solid (locally uniform) logo pixels nearby as the one that best
//!    explains C; a is solved by least squares and the pixel takes colour F and alpha a.
//!    Pixels away from the background stay opaque with their own colour.

use image::{Rgba, RgbaImage};

use crate::color::{distance, unmix, Rgb};
use crate::config::{InnerRegions, TransparentConfig};

/// Border agreement under which the background is reported as uncertain.
pub const CONFIDENT_BORDER_SHARE: f32 = 0.9;
/// Border agreement under which no background is removed at all.
const MIN_BORDER_SHARE: f32 = 0.5;
/// How far (in pixels) an edge pixel may be from the background.
const EDGE_RADIUS: i32 = 2;
/// How far (in pixels) to look for the solid colour an edge pixel is a mix of.
const SEARCH_RADIUS: i32 = 3;
/// Alpha under which an unmixed edge pixel is dropped (ringing, noise).
const MIN_ALPHA: f32 = 6.0 / 255.0;
/// Alpha over which an unmixed edge pixel is taken as opaque with its own colour.
const MAX_ALPHA: f32 = 0.97;

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

/// Remove the flat background of an opaque image (its alpha channel is ignored).
pub fn remove_background(img: &RgbaImage, cfg: &TransparentConfig) -> Matte {
    let (w, h) = img.dimensions();
    let rgb = |x: u32, y: u32| {
        let p = img.get_pixel(x, y);
        [p[0], p[1], p[2]]
    };
    let border = border_pixels(w, h);
    let colours: Vec<[u8; 3]> = border.iter().map(|&(x, y)| rgb(x, y)).collect();
    let bg = median(&colours);
    let noise = cfg.noise as f32;
    let agree = colours.iter().filter(|c| distance(**c, bg) < noise).count();
    let confidence = agree as f32 / colours.len().max(1) as f32;
    let mut warnings = Vec::new();
    if confidence < MIN_BORDER_SHARE {
        warnings.push(format!(
            "no uniform background: only {:.0}% of border pixels agree on {}; kept the image opaque",
            confidence * 100.0,
            Rgb(bg).to_hex()
        ));
        let mut image = img.clone();
        image.pixels_mut().for_each(|p| p[3] = 255);
        return Matte {
            image,
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

    let n = (w * h) as usize;
    let idx = |x: u32, y: u32| (y * w + x) as usize;
    let near_bg: Vec<bool> = img
        .pixels()
        .map(|p| distance([p[0], p[1], p[2]], bg) < noise)
        .collect();

    // Outer background: background-like pixels 4-connected to the border.
    let mut class = vec![LOGO; n];
    let mut stack: Vec<(u32, u32)> = border
        .iter()
        .copied()
        .filter(|&(x, y)| near_bg[idx(x, y)])
        .collect();
    for &(x, y) in &stack {
        class[idx(x, y)] = OUTER;
    }
    while let Some((x, y)) = stack.pop() {
        for (nx, ny) in neighbours4(x, y, w, h) {
            let i = idx(nx, ny);
            if near_bg[i] && class[i] == LOGO {
                class[i] = OUTER;
                stack.push((nx, ny));
            }
        }
    }

    // Inner regions: enclosed background-like components.
    let kept = classify_inner(&near_bg, &mut class, w, h, cfg.inner_regions);
    if kept > 0 {
        warnings.push(format!(
            "kept {kept} background-coloured region(s) inside the logo as part of it"
        ));
    }

    let cleared: Vec<bool> = class
        .iter()
        .map(|&c| c == OUTER || c == INNER_CLEARED)
        .collect();
    let near_cleared = dilate(&cleared, w, h, EDGE_RADIUS);
    // Solid pixels: logo pixels whose 8 neighbours are all logo and within `noise` of them.
    let mut solid = vec![false; n];
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            let i = idx(x, y);
            if cleared[i] {
                continue;
            }
            let c = rgb(x, y);
            solid[i] = (-1i32..=1).all(|dy| {
                (-1i32..=1).all(|dx| {
                    let (nx, ny) = ((x as i32 + dx) as u32, (y as i32 + dy) as u32);
                    !cleared[idx(nx, ny)] && distance(rgb(nx, ny), c) < noise
                })
            });
        }
    }

    let mut out = RgbaImage::new(w, h);
    for y in 0..h {
        for x in 0..w {
            let i = idx(x, y);
            let c = rgb(x, y);
            let px = if cleared[i] {
                Rgba([0, 0, 0, 0])
            } else if !near_cleared[i] || class[i] == INNER_KEPT || solid[i] {
                Rgba([c[0], c[1], c[2], 255])
            } else {
                unmix_edge(img, &solid, &cleared, x, y, bg)
            };
            out.put_pixel(x, y, px);
        }
    }
    Matte {
        image: out,
        background: Some(Rgb(bg)),
        confidence,
        warnings,
    }
}

/// Alpha and colour of an edge pixel at (`x`, `y`).
fn unmix_edge(
    img: &RgbaImage,
    solid: &[bool],
    cleared: &[bool],
    x: u32,
    y: u32,
    bg: [u8; 3],
) -> Rgba<u8> {
    let (w, h) = img.dimensions();
    let rgb = |x: u32, y: u32| {
        let p = img.get_pixel(x, y);
        [p[0], p[1], p[2]]
    };
    let c = rgb(x, y);
    let mut best: Option<([u8; 3], f32, f32)> = None; // (colour, alpha, score)
    let mut farthest: Option<([u8; 3], f32)> = None; // fallback for features with no solid core
    for dy in -SEARCH_RADIUS..=SEARCH_RADIUS {
        for dx in -SEARCH_RADIUS..=SEARCH_RADIUS {
            let (nx, ny) = (x as i32 + dx, y as i32 + dy);
            if nx < 0 || ny < 0 || nx >= w as i32 || ny >= h as i32 {
                continue;
            }
            let i = (ny as u32 * w + nx as u32) as usize;
            if cleared[i] {
                continue;
            }
            let f = rgb(nx as u32, ny as u32);
            if solid[i] {
                let (alpha, residual) = unmix(c, f, bg);
                // Prefer the colour that explains the pixel; break ties by nearness.
                let score = residual + 0.5 * ((dx * dx + dy * dy) as f32).sqrt();
                if best.is_none_or(|b| score < b.2) {
                    best = Some((f, alpha, score));
                }
            } else if dx.abs() <= EDGE_RADIUS && dy.abs() <= EDGE_RADIUS {
                let d = distance(f, bg);
                if farthest.is_none_or(|b| d > b.1) {
                    farthest = Some((f, d));
                }
            }
        }
    }
    let (f, alpha) = match (best, farthest) {
        (Some((f, alpha, _)), _) => (f, alpha),
        (None, Some((f, _))) => (f, unmix(c, f, bg).0),
        (None, None) => (c, 1.0),
    };
    if alpha >= MAX_ALPHA {
        Rgba([c[0], c[1], c[2], 255])
    } else if alpha < MIN_ALPHA {
        Rgba([0, 0, 0, 0])
    } else {
        Rgba([f[0], f[1], f[2], (alpha * 255.0).round() as u8])
    }
}

/// Label enclosed background-like components and decide for each whether it is cleared or
/// kept. Returns how many were kept.
///
/// The `auto` rule keeps a region when it is a substantial element (at least 0.5% of the
/// image) set inside a solid shape at least three times its area: a white figure on a badge
/// or the white of a face. Letter counters and rings, enclosed by strokes of comparable or
/// smaller area, are cleared.
fn classify_inner(near_bg: &[bool], class: &mut [u8], w: u32, h: u32, rule: InnerRegions) -> usize {
    let n = (w * h) as usize;
    let idx = |x: u32, y: u32| (y * w + x) as usize;
    // Logo components (8-connected) and their areas, for the auto rule.
    let mut logo_label = vec![u32::MAX; n];
    let mut logo_area: Vec<usize> = Vec::new();
    if rule == InnerRegions::Auto {
        for start in 0..n {
            if class[start] != LOGO || near_bg[start] || logo_label[start] != u32::MAX {
                continue;
            }
            let label = logo_area.len() as u32;
            let mut area = 0;
            let mut stack = vec![start];
            logo_label[start] = label;
            while let Some(i) = stack.pop() {
                area += 1;
                let (x, y) = ((i as u32) % w, (i as u32) / w);
                for (nx, ny) in neighbours8(x, y, w, h) {
                    let j = idx(nx, ny);
                    if class[j] == LOGO && !near_bg[j] && logo_label[j] == u32::MAX {
                        logo_label[j] = label;
                        stack.push(j);
                    }
                }
            }
            logo_area.push(area);
        }
    }

    let mut kept = 0;
    let mut seen = vec![false; n];
    for start in 0..n {
        if class[start] != LOGO || !near_bg[start] || seen[start] {
            continue;
        }
        let mut region = vec![start];
        seen[start] = true;
        let mut k = 0;
        let mut touching: Vec<u32> = Vec::new();
        while k < region.len() {
            let i = region[k];
            k += 1;
            let (x, y) = ((i as u32) % w, (i as u32) / w);
            for (nx, ny) in neighbours4(x, y, w, h) {
                let j = idx(nx, ny);
                if near_bg[j] && class[j] == LOGO && !seen[j] {
                    seen[j] = true;
                    region.push(j);
                } else if logo_label[j] != u32::MAX {
                    touching.push(logo_label[j]);
                }
            }
        }
        let keep = match rule {
            InnerRegions::Clear => false,
            InnerRegions::Keep => true,
            InnerRegions::Auto => {
                touching.sort_unstable();
                let enclosing = most_common(&touching);
                let big_enough = region.len() * 200 >= n;
                big_enough && enclosing.is_some_and(|l| logo_area[l as usize] >= 3 * region.len())
            }
        };
        let c = if keep { INNER_KEPT } else { INNER_CLEARED };
        kept += keep as usize;
        for i in region {
            class[i] = c;
        }
    }
    kept
}

fn most_common(sorted: &[u32]) -> Option<u32> {
    let mut best: Option<(u32, usize)> = None;
    for run in sorted.chunk_by(|a, b| a == b) {
        if best.is_none_or(|b| run.len() > b.1) {
            best = Some((run[0], run.len()));
        }
    }
    best.map(|b| b.0)
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

/// `mask` grown by `r` pixels in every direction (a square structuring element).
fn dilate(mask: &[bool], w: u32, h: u32, r: i32) -> Vec<bool> {
    let (w, h) = (w as i32, h as i32);
    let mut rows = vec![false; mask.len()];
    for y in 0..h {
        for x in 0..w {
            let lo = (x - r).max(0);
            let hi = (x + r).min(w - 1);
            rows[(y * w + x) as usize] = (lo..=hi).any(|nx| mask[(y * w + nx) as usize]);
        }
    }
    let mut out = vec![false; mask.len()];
    for y in 0..h {
        for x in 0..w {
            let lo = (y - r).max(0);
            let hi = (y + r).min(h - 1);
            out[(y * w + x) as usize] = (lo..=hi).any(|ny| rows[(ny * w + x) as usize]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::over;

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
    fn recovers_soft_edges_without_halo() {
        let fg = [0x1f, 0x6f, 0xeb];
        let (img, truth) = disc(64, fg, [255, 255, 255]);
        let m = remove_background(&img, &TransparentConfig::default());
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
        let m = remove_background(&img, &TransparentConfig::default());
        assert_eq!(m.image.get_pixel(24, 24)[3], 255);
    }

    #[test]
    fn non_uniform_border_keeps_image_opaque_with_warning() {
        let mut img = RgbaImage::new(20, 20);
        for (x, y, p) in img.enumerate_pixels_mut() {
            *p = Rgba([(x * 12) as u8, (y * 12) as u8, 128, 255]);
        }
        let m = remove_background(&img, &TransparentConfig::default());
        assert_eq!(m.background, None);
        assert!(m.image.pixels().all(|p| p[3] == 255));
        assert!(m.warnings[0].contains("no uniform background"));
    }

    /// A filled square badge with a white square inside, and a thin ring with a hole.
    fn badge_and_ring() -> RgbaImage {
        let mut img = RgbaImage::from_pixel(100, 60, Rgba([255, 255, 255, 255]));
        for y in 10..50 {
            for x in 5..45 {
                let inner = (18..32).contains(&x) && (20..40).contains(&y);
                if !inner {
                    img.put_pixel(x, y, Rgba([200, 0, 0, 255]));
                }
            }
            for x in 55..95 {
                let ring = !((60..90).contains(&x) && (15..45).contains(&y));
                if ring {
                    img.put_pixel(x, y, Rgba([0, 0, 200, 255]));
                }
            }
        }
        img
    }

    #[test]
    fn inner_regions_auto_keeps_badge_figure_and_clears_ring_hole() {
        let img = badge_and_ring();
        let m = remove_background(&img, &TransparentConfig::default());
        assert_eq!(
            m.image.get_pixel(25, 30)[3],
            255,
            "white figure on the badge"
        );
        assert_eq!(m.image.get_pixel(75, 30)[3], 0, "hole of the ring");
        assert_eq!(m.image.get_pixel(1, 1)[3], 0, "outer background");
    }

    #[test]
    fn inner_regions_can_be_forced() {
        let img = badge_and_ring();
        let clear = TransparentConfig {
            inner_regions: InnerRegions::Clear,
            ..Default::default()
        };
        assert_eq!(
            remove_background(&img, &clear).image.get_pixel(25, 30)[3],
            0
        );
        let keep = TransparentConfig {
            inner_regions: InnerRegions::Keep,
            ..Default::default()
        };
        assert_eq!(
            remove_background(&img, &keep).image.get_pixel(75, 30)[3],
            255
        );
    }
}
