//! The distressed look: the transparent logo worn as if printed on fabric or an old
//! poster, made by taking ink away from its alpha with procedural noise.
//!
//! Three layers, all sized from the logo (so the look is the same at any resolution) and
//! all drawn from `[distressed] seed`, so one seed gives the same bytes on every run:
//! - wear: two octaves of value noise; where it falls under a threshold set by
//!   `strength`, the ink is gone, with a soft edge of about a pixel;
//! - speckle: fine noise that knocks small holes into solid areas;
//! - scratches: a few thin straight strokes across the logo.
//!
//! The noise is a small hash-based value noise written here rather than taken from a
//! crate: the bytes of a distressed file must not change when a dependency updates.

use std::path::PathBuf;

use image::RgbaImage;

use crate::source::Source;
use crate::variation::{transparent, Artifact, Context};

/// `distressed/<stem>.png`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let mut image = transparent::padded(&master, ctx);
    let cfg = &ctx.config.distressed;
    distress(&mut image, cfg.strength, cfg.seed);
    crate::raster::clear_transparent(&mut image);
    Ok(vec![Artifact::png(
        PathBuf::from("distressed").join(format!("{}.png", ctx.stem)),
        &image,
        ctx.config.build.png,
    )?])
}

/// Wear `image`'s alpha in place: `strength` from 0 (untouched) to 1 (heavily worn).
pub fn distress(image: &mut RgbaImage, strength: f64, seed: u64) {
    if strength <= 0.0 {
        return;
    }
    let (w, h) = image.dimensions();
    let side = w.max(h) as f64;
    // Feature sizes as shares of the longest side.
    let wear_cell = side / 18.0;
    let speckle_cell = (side / 260.0).max(1.5);
    let wear_cut = 0.12 + 0.30 * strength;
    let speckle_cut = 0.06 + 0.16 * strength;
    let soft = 1.0 / wear_cell.max(1.0) * 2.0;
    let scratches = scratches(w, h, strength, seed);
    for (x, y, p) in image.enumerate_pixels_mut() {
        if p[3] == 0 {
            continue;
        }
        let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
        let wear = 0.65 * value_noise(fx / wear_cell, fy / wear_cell, seed)
            + 0.35
                * value_noise(
                    fx / (wear_cell / 3.0),
                    fy / (wear_cell / 3.0),
                    seed ^ 0x9e37,
                );
        let mut keep = smoothstep(wear_cut - soft, wear_cut + soft, wear);
        let speckle = value_noise(fx / speckle_cell, fy / speckle_cell, seed ^ 0x51ed);
        keep *= smoothstep(speckle_cut - 0.02, speckle_cut + 0.02, speckle);
        for s in &scratches {
            keep *= s.keep(fx, fy);
        }
        p[3] = (p[3] as f64 * keep).round() as u8;
    }
}

/// A thin straight scratch: ink is kept in proportion to the distance from it.
struct Scratch {
    a: (f64, f64),
    b: (f64, f64),
    half_width: f64,
}

impl Scratch {
    fn keep(&self, x: f64, y: f64) -> f64 {
        let (dx, dy) = (self.b.0 - self.a.0, self.b.1 - self.a.1);
        let len2 = dx * dx + dy * dy;
        let t = (((x - self.a.0) * dx + (y - self.a.1) * dy) / len2).clamp(0.0, 1.0);
        let (px, py) = (self.a.0 + t * dx, self.a.1 + t * dy);
        let d = ((x - px).powi(2) + (y - py).powi(2)).sqrt();
        smoothstep(self.half_width, self.half_width + 1.0, d)
    }
}

/// From 2 (light wear) to 6 (heavy) scratches, each a fifth to a half of the longest side
/// long, at random places and angles.
fn scratches(w: u32, h: u32, strength: f64, seed: u64) -> Vec<Scratch> {
    let mut rng = SplitMix(seed ^ 0x5c7a_7c4e);
    let side = w.max(h) as f64;
    let count = (2.0 + 4.0 * strength).round() as usize;
    (0..count)
        .map(|_| {
            let a = (rng.unit() * w as f64, rng.unit() * h as f64);
            let angle = rng.unit() * std::f64::consts::TAU;
            let len = side * (0.2 + 0.3 * rng.unit());
            Scratch {
                a,
                b: (a.0 + len * angle.cos(), a.1 + len * angle.sin()),
                half_width: (side / 900.0).max(0.5) * (0.5 + rng.unit()),
            }
        })
        .collect()
}

/// Value noise in [0, 1]: a hashed value at each lattice point, blended smoothly.
fn value_noise(x: f64, y: f64, seed: u64) -> f64 {
    let (x0, y0) = (x.floor(), y.floor());
    let (tx, ty) = (fade(x - x0), fade(y - y0));
    let (ix, iy) = (x0 as i64, y0 as i64);
    let v = |dx: i64, dy: i64| lattice(ix + dx, iy + dy, seed);
    let top = v(0, 0) + (v(1, 0) - v(0, 0)) * tx;
    let bottom = v(0, 1) + (v(1, 1) - v(0, 1)) * tx;
    top + (bottom - top) * ty
}

/// The lattice value at (x, y): a hash in [0, 1].
fn lattice(x: i64, y: i64, seed: u64) -> f64 {
    let mut s = SplitMix(
        seed ^ (x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (y as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F),
    );
    s.unit()
}

fn fade(t: f64) -> f64 {
    t * t * (3.0 - 2.0 * t)
}

fn smoothstep(e0: f64, e1: f64, x: f64) -> f64 {
    fade(((x - e0) / (e1 - e0)).clamp(0.0, 1.0))
}

/// SplitMix64: a tiny, well-known generator whose sequence is fixed by its definition.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    fn solid(side: u32) -> RgbaImage {
        RgbaImage::from_pixel(side, side, Rgba([20, 40, 200, 255]))
    }

    fn ink(img: &RgbaImage) -> f64 {
        img.pixels().map(|p| p[3] as f64).sum::<f64>() / (255.0 * img.len() as f64 / 4.0)
    }

    #[test]
    fn same_seed_same_pixels_other_seed_other_pixels() {
        let (mut a, mut b, mut c) = (solid(300), solid(300), solid(300));
        distress(&mut a, 0.5, 7);
        distress(&mut b, 0.5, 7);
        distress(&mut c, 0.5, 8);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn more_strength_wears_more_and_zero_wears_nothing() {
        let mut inks = Vec::new();
        for strength in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let mut img = solid(400);
            distress(&mut img, strength, 3);
            inks.push(ink(&img));
        }
        assert_eq!(inks[0], 1.0);
        assert!(inks.windows(2).all(|w| w[1] < w[0]), "{inks:?}");
        // Worn, not erased: even at full strength most of the ink stays.
        assert!(inks[4] > 0.4 && inks[2] < 0.97, "{inks:?}");
    }

    #[test]
    fn colour_is_untouched_and_transparent_stays_transparent() {
        let mut img = solid(200);
        for x in 0..200 {
            img.put_pixel(x, 0, Rgba([0, 0, 0, 0]));
        }
        distress(&mut img, 1.0, 1);
        assert!((0..200).all(|x| img.get_pixel(x, 0).0 == [0, 0, 0, 0]));
        assert!(img
            .rows()
            .skip(1)
            .flatten()
            .all(|p| p.0[..3] == [20, 40, 200]));
    }
}
