//! A sheet of what the square outputs of each logo are made from: each logo's master on
//! white, the symbol found in a symbol-plus-name logo boxed in red, a wide wordmark (no
//! symbol) boxed in orange, any other logo unboxed; logos in the order given, three a
//! row.
//!
//! ```text
//! cargo run --release --example symbol_sheet -- OUT.png KIND LOGO_DIR...
//! ```

use image::{imageops, Rgba, RgbaImage};
use logoproc::config::Config;
use logoproc::source::{mark, Source};

const TILE: (u32, u32) = (360, 120);
const PER_ROW: u32 = 3;
const GAP: u32 = 8;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, kind, dirs @ ..] = &args[..] else {
        eprintln!("usage: symbol_sheet OUT.png KIND LOGO_DIR...");
        std::process::exit(2);
    };
    let config = Config::default();
    let rows = (dirs.len() as u32).div_ceil(PER_ROW);
    let mut sheet = RgbaImage::from_pixel(
        PER_ROW * (TILE.0 + GAP) + GAP,
        rows * (TILE.1 + GAP) + GAP,
        Rgba([160, 160, 160, 255]),
    );
    let (mut symbols, mut wide) = (Vec::new(), Vec::new());
    for (i, dir) in dirs.iter().enumerate() {
        let dir = std::path::Path::new(dir);
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let source = Source::load(&dir.join(kind), &config).expect("input");
        let master = source.master(&config).expect("master");
        let (w, h) = master.image.dimensions();
        let k = (TILE.0 as f64 / w as f64).min(TILE.1 as f64 / h as f64);
        let size = ((w as f64 * k).round() as u32, (h as f64 * k).round() as u32);
        let logo = imageops::resize(&master.image, size.0, size.1, imageops::Triangle);
        let mut tile = RgbaImage::from_pixel(TILE.0, TILE.1, Rgba([255, 255, 255, 255]));
        imageops::overlay(&mut tile, &logo, 0, 0);
        let boxed = match mark::symbol_box(&master.image) {
            Some(b) => {
                symbols.push(name.to_string());
                Some((b, Rgba([230, 20, 20, 255])))
            }
            None if mark::is_wide(&master) => {
                wide.push(name.to_string());
                Some(([0, 0, w, h], Rgba([255, 150, 0, 255])))
            }
            None => None,
        };
        if let Some(([x, y, bw, bh], colour)) = boxed {
            let s = |v: u32| ((v as f64 * k).round() as u32).min(TILE.0.max(TILE.1) - 1);
            let (x0, y0) = (s(x), s(y));
            let (x1, y1) = (s(x + bw).min(size.0 - 1), s(y + bh).min(size.1 - 1));
            for x in x0..=x1 {
                for y in [y0, y1] {
                    tile.put_pixel(x, y, colour);
                }
            }
            for y in y0..=y1 {
                for x in [x0, x1] {
                    tile.put_pixel(x, y, colour);
                }
            }
        }
        let (col, row) = (i as u32 % PER_ROW, i as u32 / PER_ROW);
        imageops::overlay(
            &mut sheet,
            &tile,
            (GAP + col * (TILE.0 + GAP)) as i64,
            (GAP + row * (TILE.1 + GAP)) as i64,
        );
    }
    sheet.save(out).expect("write the sheet");
    println!("symbol found ({}): {}", symbols.len(), symbols.join(" "));
    println!("wide wordmark ({}): {}", wide.len(), wide.join(" "));
}
