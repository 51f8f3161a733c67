//! Where a traced SVG differs from the truth: renders the SVG, aligns it with
//! `truth.png` as the fidelity measurement does, and writes the truth, the trace and
//! their difference side by side, all on white.
//!
//! ```text
//! cargo run --release --example vector_diff -- TRACE.svg TRUTH.png OUT.png
//! ```

use image::{Rgba, RgbaImage};
use logoproc::fidelity::{alignment, render_svg};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (svg, truth, out) = match &args[..] {
        [a, b, c, ..] => (a, b, c),
        _ => {
            eprintln!("usage: vector_diff TRACE.svg TRUTH.png OUT.png [X Y SIDE ZOOM]");
            std::process::exit(2);
        }
    };
    let crop: Vec<u32> = args[3..].iter().filter_map(|a| a.parse().ok()).collect();
    let traced = render_svg(&std::fs::read(svg).expect("read svg")).expect("render");
    let truth = image::open(truth).expect("truth").to_rgba8();
    let (dx, dy) = alignment(&traced, &truth);
    let (w, h) = truth.dimensions();
    let mut sheet = RgbaImage::from_pixel(3 * w, h, Rgba([255, 255, 255, 255]));
    let on_white = |p: Rgba<u8>| {
        let a = p[3] as f32 / 255.0;
        let c = |v: u8| (v as f32 * a + 255.0 * (1.0 - a)).round() as u8;
        Rgba([c(p[0]), c(p[1]), c(p[2]), 255])
    };
    for (x, y, t) in truth.enumerate_pixels() {
        let (px, py) = (x as i64 + dx, y as i64 + dy);
        let p = if px >= 0 && py >= 0 && px < traced.width() as i64 && py < traced.height() as i64 {
            *traced.get_pixel(px as u32, py as u32)
        } else {
            Rgba([0, 0, 0, 0])
        };
        let (a, b) = (on_white(*t), on_white(p));
        sheet.put_pixel(x, y, a);
        sheet.put_pixel(w + x, y, b);
        let d = (0..3)
            .map(|c| (a[c] as i32 - b[c] as i32).abs())
            .max()
            .unwrap_or(0);
        let v = (255 - (d * 4).min(255)) as u8;
        sheet.put_pixel(2 * w + x, y, Rgba([255, v, v, 255]));
    }
    println!("offset {dx} {dy}");
    if let [x, y, side, zoom] = crop[..] {
        let mut zoomed = RgbaImage::new(3 * side * zoom, side * zoom);
        for panel in 0..3 {
            let part = image::imageops::crop_imm(&sheet, panel * w + x, y, side, side).to_image();
            let big = image::imageops::resize(
                &part,
                side * zoom,
                side * zoom,
                image::imageops::FilterType::Nearest,
            );
            image::imageops::replace(&mut zoomed, &big, (panel * side * zoom) as i64, 0);
        }
        sheet = zoomed;
    }
    sheet.save(out).expect("write");
}
