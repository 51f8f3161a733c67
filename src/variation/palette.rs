//! The brand palette: the logo's own flat colours (near ones merged, anti-aliasing left
//! out, most area first) as JSON, CSS custom properties and a swatch sheet.

use std::path::PathBuf;

use image::{Rgb as Pixel, RgbImage};
use serde_json::json;

use crate::color::{luma, Rgb};
use crate::output;
use crate::source::Source;
use crate::variation::{vector, Artifact, Context};

/// Swatch size in `palette.png`, and the label strip under it.
const SWATCH: u32 = 160;
const LABEL: u32 = 40;
/// Scale of the 5x7 label font.
const FONT_SCALE: u32 = 3;

/// `palette/palette.json`, `palette/palette.css`, `palette/palette.png`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let total = master.image.pixels().filter(|p| p[3] == 255).count().max(1) as f64;
    let colours = vector::logo_colours(&master, ctx);
    if colours.is_empty() {
        return Err("no opaque pixels to take colours from".into());
    }
    let entries: Vec<serde_json::Value> = colours
        .iter()
        .map(|(c, n)| {
            json!({
                "hex": c.to_hex(),
                "rgb": c.0,
                "cmyk": cmyk(*c),
                "share": (*n as f64 / total * 1000.0).round() / 1000.0,
            })
        })
        .collect();
    let json = serde_json::to_string_pretty(&json!({ "colours": entries }))
        .expect("JSON values serialise")
        + "\n";
    let mut css = String::from(":root {\n");
    for (i, (c, _)) in colours.iter().enumerate() {
        css.push_str(&format!("  --brand-{}: {};\n", i + 1, c.to_hex()));
    }
    css.push_str("}\n");

    let n = colours.len() as u32;
    let mut sheet = RgbImage::from_pixel(SWATCH * n, SWATCH + LABEL, Pixel([255, 255, 255]));
    for (i, (c, _)) in colours.iter().enumerate() {
        let x0 = i as u32 * SWATCH;
        // A light swatch gets a grey outline so it shows on the white sheet.
        let outline = luma(c.0) >= 230.0;
        for y in 0..SWATCH {
            for x in x0..x0 + SWATCH {
                let edge = x == x0 || y == 0 || x + 1 == x0 + SWATCH || y + 1 == SWATCH;
                let px = if outline && edge { [0xd0; 3] } else { c.0 };
                sheet.put_pixel(x, y, Pixel(px));
            }
        }
        let hex = c.to_hex();
        let width = hex.len() as u32 * 6 * FONT_SCALE;
        draw_text(
            &mut sheet,
            &hex,
            x0 + (SWATCH - width) / 2,
            SWATCH + (LABEL - 7 * FONT_SCALE) / 2,
        );
    }
    let dir = PathBuf::from("palette");
    let file = |name: &str, format: &'static str, bytes: Vec<u8>, (width, height)| Artifact {
        path: dir.join(name),
        format,
        width,
        height,
        bytes,
        warnings: Vec::new(),
    };
    Ok(vec![
        file("palette.json", "json", json.into_bytes(), (0, 0)),
        file("palette.css", "css", css.into_bytes(), (0, 0)),
        file(
            "palette.png",
            "png",
            output::encode_png_rgb(&sheet, ctx.config.build.png)?,
            sheet.dimensions(),
        ),
    ])
}

/// A naive CMYK approximation in percent (no colour profile: printers should match the
/// hex with their own conversion).
pub fn cmyk(c: Rgb) -> [u8; 4] {
    cmyk_fraction(c.0).map(|v| (v * 100.0).round() as u8)
}

/// The same naive CMYK, 0-1 per ink, unrounded (what process separations screen).
pub fn cmyk_fraction(rgb: [u8; 3]) -> [f64; 4] {
    let [r, g, b] = rgb.map(|v| v as f64 / 255.0);
    let k = 1.0 - r.max(g).max(b);
    if k >= 1.0 {
        return [0.0, 0.0, 0.0, 1.0];
    }
    let part = |v: f64| (1.0 - v - k) / (1.0 - k);
    [part(r), part(g), part(b), k]
}

/// `text` (only `#`, digits and `A`-`F`) in a 5x7 bitmap font at [`FONT_SCALE`], dark
/// grey, top-left at (`x`, `y`): no system font needed.
fn draw_text(img: &mut RgbImage, text: &str, x: u32, y: u32) {
    let ink = Pixel([0x1f, 0x29, 0x37]);
    for (i, ch) in text.chars().enumerate() {
        let rows = glyph(ch);
        for (row, bits) in rows.iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) == 0 {
                    continue;
                }
                for dy in 0..FONT_SCALE {
                    for dx in 0..FONT_SCALE {
                        let px = x + (i as u32 * 6 + col) * FONT_SCALE + dx;
                        let py = y + row as u32 * FONT_SCALE + dy;
                        if px < img.width() && py < img.height() {
                            img.put_pixel(px, py, ink);
                        }
                    }
                }
            }
        }
    }
}

/// The 5x7 bitmap of `ch`, one byte a row, bit 4 the leftmost column.
fn glyph(ch: char) -> [u8; 7] {
    match ch {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        '#' => [0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A],
        _ => [0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmyk_of_primaries() {
        assert_eq!(cmyk(Rgb([255, 0, 0])), [0, 100, 100, 0]);
        assert_eq!(cmyk(Rgb([0, 0, 0])), [0, 0, 0, 100]);
        assert_eq!(cmyk(Rgb([255, 255, 255])), [0, 0, 0, 0]);
    }

    #[test]
    fn labels_draw_every_hex_character_distinctly() {
        let chars = "#0123456789ABCDEF";
        let glyphs: Vec<[u8; 7]> = chars.chars().map(glyph).collect();
        for (i, a) in glyphs.iter().enumerate() {
            for b in &glyphs[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let mut img = RgbImage::from_pixel(200, 30, Pixel([255, 255, 255]));
        draw_text(&mut img, "#1F6FEB", 0, 0);
        let dark = img.pixels().filter(|p| luma(p.0) < 128.0).count();
        assert!(dark > 100, "{dark} dark pixels");
    }
}
