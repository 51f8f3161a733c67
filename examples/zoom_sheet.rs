//! A zoom sheet: crops of corpus logos at 8x, the original (`source.svg`) beside
//! vtracer's trace and the fitted trace of the same input, on white, so outlines can be
//! judged as a designer zooming in would.
//!
//! ```text
//! cargo run --release --example zoom_sheet -- OUT.png LOGO_DIR:KIND:X:Y:SIDE...
//! ```
//! X, Y and SIDE are in `truth.png` pixels; each spec is one row of the sheet.

use std::path::Path;
use std::time::{Duration, Instant};

use image::{imageops, Rgba, RgbaImage};
use logoproc::config::{Config, Tracer};
use logoproc::fidelity::{alignment, geometry::render_scaled, render_svg};
use logoproc::source::Source;
use logoproc::variation::{Context, Variation};

const ZOOM: u32 = 8;
const GAP: u32 = 8;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, specs)) = args.split_first() else {
        eprintln!("usage: zoom_sheet OUT.png LOGO_DIR:KIND:X:Y:SIDE...");
        std::process::exit(2);
    };
    let rows: Vec<[RgbaImage; 3]> = specs.iter().map(|s| row(s)).collect();
    let side = rows.iter().map(|r| r[0].width()).max().unwrap_or(0);
    let height: u32 = rows.iter().map(|r| r[0].height() + GAP).sum::<u32>() + GAP;
    let mut sheet =
        RgbaImage::from_pixel(3 * (side + GAP) + GAP, height, Rgba([200, 200, 200, 255]));
    let mut y = GAP;
    for r in &rows {
        for (i, panel) in r.iter().enumerate() {
            imageops::replace(
                &mut sheet,
                panel,
                (GAP + i as u32 * (side + GAP)) as i64,
                y as i64,
            );
        }
        y += r[0].height() + GAP;
    }
    sheet.save(out).expect("write the sheet");
}

/// Original, vtracer and fitted crops for one `LOGO_DIR:KIND:X:Y:SIDE`.
fn row(spec: &str) -> [RgbaImage; 3] {
    let parts: Vec<&str> = spec.split(':').collect();
    let [dir, kind, x, y, side] = parts[..] else {
        panic!("bad spec {spec:?}: LOGO_DIR:KIND:X:Y:SIDE");
    };
    let num = |v: &str| v.parse::<u32>().expect("a number");
    let (x, y, side) = (num(x), num(y), num(side));
    let dir = Path::new(dir);
    let truth = image::open(dir.join("truth.png"))
        .expect("truth.png")
        .to_rgba8();
    let source = std::fs::read(dir.join("source.svg")).expect("source.svg");
    let original = render_scaled(
        &source,
        truth.width() * ZOOM,
        truth.height() * ZOOM,
        Some(dir),
    )
    .expect("render source.svg");
    let crop = |img: &RgbaImage, dx: i64, dy: i64| {
        let mut out = RgbaImage::from_pixel(side * ZOOM, side * ZOOM, Rgba([255, 255, 255, 255]));
        for (px, py, p) in out.enumerate_pixels_mut() {
            let sx = (x as i64 + dx) * ZOOM as i64 + px as i64;
            let sy = (y as i64 + dy) * ZOOM as i64 + py as i64;
            if sx >= 0 && sy >= 0 && sx < img.width() as i64 && sy < img.height() as i64 {
                let s = img.get_pixel(sx as u32, sy as u32);
                let a = s[3] as u32;
                let c = |v: u8| ((v as u32 * a + 255 * (255 - a)) / 255) as u8;
                *p = Rgba([c(s[0]), c(s[1]), c(s[2]), 255]);
            }
        }
        out
    };
    let traced = |tracer: Tracer| {
        let mut config = Config::default();
        config.vector.tracer = tracer;
        let source = Source::load(&dir.join(kind), &config).expect("load input");
        let ctx = Context {
            config: &config,
            stem: "logo",
            deadline: Instant::now() + Duration::from_secs(600),
            sink: None,
        };
        let svg = Variation::Vector.render(&source, &ctx).expect("trace")[0]
            .bytes
            .clone();
        let at_1x = render_svg(&svg).expect("render trace");
        let (dx, dy) = alignment(&at_1x, &truth);
        let big = render_scaled(&svg, at_1x.width() * ZOOM, at_1x.height() * ZOOM, None)
            .expect("render trace");
        crop(&big, dx, dy)
    };
    [
        crop(&original, 0, 0),
        traced(Tracer::Vtracer),
        traced(Tracer::Fit),
    ]
}
