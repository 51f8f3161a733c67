//! A contact sheet: for each corpus logo, `truth.png` beside an output made from one of
//! its delivery kinds (by default the fitted trace), scaled to fit a tile, on a light or
//! dark page.
//!
//! ```text
//! cargo run --release --example contact_sheet -- [--config FILE] [--file VARIATION:SUFFIX] OUT.png KIND #RRGGBB LOGO_DIR...
//! ```
//! `--file transparent:.png` shows the transparent PNG, `--file mono:-black.png` the black
//! one-ink mark: the first file of that variation whose name ends with SUFFIX.

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
    let mut option = |flag: &str| {
        let i = args.iter().position(|a| a == flag)?;
        let value = args.drain(i..i + 2).nth(1);
        value
    };
    let config = match option("--config") {
        Some(file) => Config::load(Some(std::path::Path::new(&file))).unwrap_or_else(|e| {
            eprintln!("contact_sheet: error: {e}");
            std::process::exit(2);
        }),
        None => Config::default(),
    };
    let file = option("--file").unwrap_or_else(|| "vector:.svg".to_string());
    let (variation, suffix) = file
        .split_once(':')
        .and_then(|(v, s)| Some((Variation::from_name(v)?, s)))
        .unwrap_or_else(|| {
            eprintln!("contact_sheet: error: --file wants VARIATION:SUFFIX, not {file:?}");
            std::process::exit(2);
        });
    let [out, kind, bg, dirs @ ..] = &args[..] else {
        eprintln!("usage: contact_sheet [--config FILE] [--file VARIATION:SUFFIX] OUT.png KIND #RRGGBB LOGO_DIR...");
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
        let source = Source::load(&dir.join(kind), &config).expect("input");
        let ctx = Context {
            config: &config,
            stem: "logo",
            deadline: Instant::now() + Duration::from_secs(600),
            sink: None,
        };
        let artifacts = variation.render(&source, &ctx).expect("render");
        let made = artifacts
            .iter()
            .find(|a| a.path.to_string_lossy().ends_with(suffix))
            .unwrap_or_else(|| panic!("{variation:?} made no file ending with {suffix}"));
        let fit = |w: f32, h: f32| {
            let s = TILE as f32 / w.max(h);
            (
                ((w * s).round() as u32).max(1),
                ((h * s).round() as u32).max(1),
            )
        };
        let traced = if made.format == "svg" {
            let size = usvg::Tree::from_data(&made.bytes, &usvg::Options::default())
                .expect("svg")
                .size();
            let (tw, th) = fit(size.width(), size.height());
            render_scaled(&made.bytes, tw, th, None).expect("render")
        } else {
            let img = image::load_from_memory(&made.bytes)
                .expect("image")
                .to_rgba8();
            let (tw, th) = fit(img.width() as f32, img.height() as f32);
            imageops::resize(&img, tw, th, imageops::FilterType::Triangle)
        };
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
