//! Colour values and colour math shared by every variation.

use serde::{Serialize, Serializer};

/// An sRGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// White, the default canvas.
    pub const WHITE: Rgb = Rgb([255, 255, 255]);

    /// Parse `#RRGGBB` (the `#` is optional, case is ignored).
    pub fn parse_hex(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#').unwrap_or(text);
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb([channel(0)?, channel(2)?, channel(4)?]))
    }

    /// `#RRGGBB`, upper case.
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02X}{g:02X}{b:02X}")
    }

    /// Euclidean distance in RGB space (0 to about 441).
    pub fn distance(self, other: Rgb) -> f32 {
        distance(self.0, other.0)
    }
}

impl Serialize for Rgb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

/// Euclidean distance between two RGB triples.
pub fn distance(a: [u8; 3], b: [u8; 3]) -> f32 {
    let d = |i: usize| a[i] as f32 - b[i] as f32;
    (d(0) * d(0) + d(1) * d(1) + d(2) * d(2)).sqrt()
}

/// Rec. 601 luma of an sRGB colour (0-255).
pub fn luma(c: [u8; 3]) -> f32 {
    0.299 * c[0] as f32 + 0.587 * c[1] as f32 + 0.114 * c[2] as f32
}

/// JPEG's YCbCr (full range, chroma centred on 0) of an sRGB colour; its luma is
/// [`luma`]'s.
pub fn ycc(c: [u8; 3]) -> [f32; 3] {
    let [r, g, b] = c.map(f32::from);
    [
        0.299 * r + 0.587 * g + 0.114 * b,
        -0.168_736 * r - 0.331_264 * g + 0.5 * b,
        0.5 * r - 0.418_688 * g - 0.081_312 * b,
    ]
}

/// Straight-alpha "over" of `fg` (with alpha 0-255) on an opaque `bg`, rounded: what
/// browsers and image editors do in sRGB space.
pub fn over(fg: [u8; 3], alpha: u8, bg: [u8; 3]) -> [u8; 3] {
    let a = alpha as u32;
    let mix = |f: u8, b: u8| ((f as u32 * a + b as u32 * (255 - a) + 127) / 255) as u8;
    [mix(fg[0], bg[0]), mix(fg[1], bg[1]), mix(fg[2], bg[2])]
}

/// Unmix an observed colour `c` as `alpha * f + (1 - alpha) * b`: the least-squares alpha
/// (clamped to 0..=1) and the distance between `c` and the mix it predicts.
pub fn unmix(c: [u8; 3], f: [u8; 3], b: [u8; 3]) -> (f32, f32) {
    let fb = [
        f[0] as f32 - b[0] as f32,
        f[1] as f32 - b[1] as f32,
        f[2] as f32 - b[2] as f32,
    ];
    let cb = [
        c[0] as f32 - b[0] as f32,
        c[1] as f32 - b[1] as f32,
        c[2] as f32 - b[2] as f32,
    ];
    let len2 = fb[0] * fb[0] + fb[1] * fb[1] + fb[2] * fb[2];
    if len2 < 1.0 {
        return (0.0, f32::INFINITY);
    }
    let alpha = ((cb[0] * fb[0] + cb[1] * fb[1] + cb[2] * fb[2]) / len2).clamp(0.0, 1.0);
    let r = |i: usize| cb[i] - alpha * fb[i];
    let residual = (r(0) * r(0) + r(1) * r(1) + r(2) * r(2)).sqrt();
    (alpha, residual)
}

/// A colour must cover this share of the pixels to enter a palette.
const MIN_COLOUR_SHARE: f64 = 0.004;
/// Colours closer than this (RGB distance) are one palette entry.
const MERGE_DISTANCE: f32 = 48.0;

/// The flat colours of `pixels` with the number of pixels each stands for (merged ones
/// included), most common first: colours covering at least 0.4% of the pixels, near ones
/// merged (RGB distance < 48), at most `max`. Anti-aliased mixes are spread over many
/// colours, each too rare to count.
pub fn palette_counts(pixels: impl Iterator<Item = [u8; 3]>, max: usize) -> Vec<(Rgb, u64)> {
    // Histogram on a 5-bit grid (32,768 cells) keeping the sum of true colours per cell.
    // The grid holds each occupied cell's place in `cells` (plus one; 0 is empty), so it
    // takes 128 KiB where a grid of sums would take 1 MiB for a few hundred cells.
    let mut slot = vec![0u32; 1 << 15];
    // (key, pixels, sum of their colours)
    let mut cells: Vec<(u16, u64, [u64; 3])> = Vec::new();
    let mut total = 0u64;
    for p in pixels {
        total += 1;
        let key = ((p[0] as usize >> 3) << 10) | ((p[1] as usize >> 3) << 5) | (p[2] as usize >> 3);
        if slot[key] == 0 {
            cells.push((key as u16, 0, [0; 3]));
            slot[key] = cells.len() as u32;
        }
        let cell = &mut cells[slot[key] as usize - 1];
        cell.1 += 1;
        for (sum, v) in cell.2.iter_mut().zip(p) {
            *sum += v as u64;
        }
    }
    // Most common first; the key breaks ties, so the order does not depend on the order
    // the pixels came in.
    cells.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<(Rgb, u64)> = Vec::new();
    for (_, n, sum) in cells {
        let colour = Rgb([(sum[0] / n) as u8, (sum[1] / n) as u8, (sum[2] / n) as u8]);
        if let Some(entry) = out
            .iter_mut()
            .find(|(c, _)| c.distance(colour) < MERGE_DISTANCE)
        {
            entry.1 += n;
        } else if (n as f64) >= MIN_COLOUR_SHARE * total as f64 && out.len() < max {
            out.push((colour, n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgba, RgbaImage};

    #[test]
    fn palette_finds_flat_colours_and_ignores_edge_mixes() {
        let mut img = RgbaImage::new(400, 100);
        for (x, y, p) in img.enumerate_pixels_mut() {
            *p = match (x, y) {
                (0..=199, _) => Rgba([200, 20, 20, 255]),
                (200, _) => Rgba([120, 60, 90, 255]), // an anti-aliased seam
                _ if y < 98 => Rgba([20, 20, 200, 255]),
                _ => Rgba([0, 0, 0, 0]),
            };
        }
        let opaque = || {
            img.pixels()
                .filter(|p| p[3] == 255)
                .map(|p| [p[0], p[1], p[2]])
        };
        let colours = |max| -> Vec<Rgb> {
            palette_counts(opaque(), max)
                .into_iter()
                .map(|c| c.0)
                .collect()
        };
        assert_eq!(colours(8), vec![Rgb([200, 20, 20]), Rgb([20, 20, 200])]);
        assert_eq!(colours(1), vec![Rgb([200, 20, 20])]);
        // The counts hold every opaque pixel but the seam's 100, too rare to count.
        let counts: u64 = palette_counts(opaque(), 8).iter().map(|c| c.1).sum();
        assert_eq!(counts, 200 * 100 + 199 * 98);
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(Rgb::parse_hex("#1f6feb"), Some(Rgb([0x1f, 0x6f, 0xeb])));
        assert_eq!(Rgb::parse_hex("FFFFFF"), Some(Rgb::WHITE));
        assert_eq!(Rgb([0x1f, 0x6f, 0xeb]).to_hex(), "#1F6FEB");
        assert_eq!(Rgb::parse_hex("#12345"), None);
        assert_eq!(Rgb::parse_hex("#GGGGGG"), None);
        assert_eq!(Rgb::parse_hex("#ééé"), None);
    }

    #[test]
    fn over_matches_reference_compositing() {
        assert_eq!(over([0, 0, 0], 255, [255, 255, 255]), [0, 0, 0]);
        assert_eq!(over([0, 0, 0], 0, [255, 255, 255]), [255, 255, 255]);
        assert_eq!(over([0, 0, 0], 128, [255, 255, 255]), [127, 127, 127]);
    }

    #[test]
    fn unmix_recovers_alpha_of_a_mix() {
        let f = [0x1f, 0x6f, 0xeb];
        let b = [255, 255, 255];
        for alpha in [0u8, 40, 128, 200, 255] {
            let c = over(f, alpha, b);
            let (a, residual) = unmix(c, f, b);
            assert!((a * 255.0 - alpha as f32).abs() < 1.5, "{alpha} -> {a}");
            assert!(residual < 2.0);
        }
        // A colour that is not on the line from b to f leaves a residual.
        let (_, residual) = unmix([255, 0, 0], f, b);
        assert!(residual > 50.0);
    }
}
