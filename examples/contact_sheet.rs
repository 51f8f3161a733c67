//! A contact sheet: for each corpus logo, `truth.png` beside the fitted trace of one of
//! its delivery kinds, scaled to fit a tile, on a light or dark page.
//!
//! ```text
//! cargo run --release --example contact_sheet -- [--config FILE] OUT.png KIND #RRGGBB LOGO_DIR...
//! ```

use std::time::{Duration, Instant};

use image::{imageops, Rgba, RgbaImage};
use logoproc::config::Config;
use logoproc::fidelity::geometry::render_scaled;
use logoproc::source::Source;
use logoproc::variation::{Context, Variation};

const TILE: u32 = 200;
const PAIRS_PER_ROW: u32 = 4;
const GAP: u32 = 6;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let config = match args.first().map(String::as_str) {
        Some("--config") if args.len() > 1 => {
            let file = args.drain(..2).nth(1).expect("two arguments");
            Config::load(Some(std::path::Path::new(&file))).unwrap_or_else(|e| {
                eprintln!("contact_sheet: error: {e}");
                std::process::exit(2);
            })
        }
        _ => Config::default(),
    };
    let [out, kind, bg, dirs @ ..] = &args[..] else {
        eprintln!("usage: contact_sheet [--config FILE] OUT.png KIND #RRGGBB LOGO_DIR...");
        std::process::exit(2);
    };
    let hex = bg.trim_start_matches('#');
    let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).expect("#RRGGBB");
    let page = Rgba([c(0), c(2), c(4), 255]);
    let rows = (dirs.len() as u32).div_ceil(PAIRS_PER_ROW);
    let width = PAIRS_PER_ROW * (2 * TILE + 3 * GAP);
    let mut sheet =
        RgbaImage::from_pixel(width, rows * (TILE + GAP) + GAP, Rgba([128, 128, 128, 255]));
    for (i, dir) in dirs.iter().enumerate() {
        let dir = std::path::Path::new(dir);
        let truth = image::open(dir.join("truth.png"))
            .expect("truth.png")
            .to_rgba8();
        let source = Source::load(&dir.join(kind), &config.limits).expect("input");
        let ctx = Context {
            config: &config,
            stem: "logo",
            deadline: Instant::now() + Duration::from_secs(600),
            sink: None,
        };
        let svg = &Variation::Vector.render(&source, &ctx).expect("trace")[0].bytes;
        let size = usvg::Tree::from_data(svg, &usvg::Options::default())
            .expect("svg")
            .size();
        let fit = |w: f32, h: f32| {
            let s = TILE as f32 / w.max(h);
            (
                ((w * s).round() as u32).max(1),
                ((h * s).round() as u32).max(1),
            )
        };
        let (tw, th) = fit(size.width(), size.height());
        let traced = render_scaled(svg, tw, th, None).expect("render");
        let (ow, oh) = fit(truth.width() as f32, truth.height() as f32);
        let original = imageops::resize(&truth, ow, oh, imageops::FilterType::Triangle);
        let (col, row) = (i as u32 % PAIRS_PER_ROW, i as u32 / PAIRS_PER_ROW);
        let x0 = col * (2 * TILE + 3 * GAP) + GAP;
        let y0 = row * (TILE + GAP) + GAP;
        for (k, img) in [original, traced].iter().enumerate() {
            let mut tile = RgbaImage::from_pixel(TILE, TILE, page);
            let (x, y) = ((TILE - img.width()) / 2, (TILE - img.height()) / 2);
            imageops::overlay(&mut tile, img, x as i64, y as i64);
            imageops::replace(
                &mut sheet,
                &tile,
                (x0 + k as u32 * (TILE + GAP)) as i64,
                y0 as i64,
            );
        }
    }
    sheet.save(out).expect("write the sheet");
}
