//! Render corpus SVGs to large opaque PNGs: the inputs of the whole-run benchmark.
//!
//! ```text
//! cargo run --release --example render_corpus -- CORPUS_DIR OUT_DIR [--size 2048] [--count 20]
//! ```
//! Takes `CORPUS_DIR/<name>/source.svg` for the first `count` names in sorted order, renders
//! each with resvg so that its longest side is `size` pixels, on opaque white, and writes
//! `OUT_DIR/<name>.png`. `benches/vs-peers.sh` calls it; the peers take raster logos on a
//! flat background, so every tool gets the same PNG files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use image::RgbImage;

/// Longest side, in pixels, when `--size` is not given.
const DEFAULT_SIZE: u32 = 2048;
/// Logos rendered when `--count` is not given.
const DEFAULT_COUNT: usize = 20;
/// Largest `--size` accepted (tiny-skia allocates the whole canvas).
const MAX_SIZE: u32 = 16384;

/// What to render, from the command line.
#[derive(Debug)]
struct Args {
    /// Folder of `<name>/source.svg` folders.
    corpus: PathBuf,
    /// Folder the PNGs go to (created if missing).
    out: PathBuf,
    /// Longest side of each PNG, in pixels. Default: 2048.
    size: u32,
    /// How many logos, first in name order. Default: 20.
    count: usize,
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)).and_then(|args| run(&args)) {
        Ok(written) => {
            eprintln!("render_corpus: wrote {written} PNG files");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("render_corpus: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parse `CORPUS_DIR OUT_DIR [--size N] [--count N]`.
fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let usage = "usage: render_corpus CORPUS_DIR OUT_DIR [--size 2048] [--count 20]";
    let mut positional = Vec::new();
    let (mut size, mut count) = (DEFAULT_SIZE, DEFAULT_COUNT);
    while let Some(arg) = argv.next() {
        match arg.as_str() {
            "--size" => size = number(argv.next(), "--size")?,
            "--count" => count = number(argv.next(), "--count")?,
            "-h" | "--help" => return Err(usage.into()),
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}; {usage}")),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [corpus, out] = <[PathBuf; 2]>::try_from(positional).map_err(|_| usage.to_string())?;
    if size == 0 || size > MAX_SIZE {
        return Err(format!("--size must be 1 to {MAX_SIZE}, not {size}"));
    }
    Ok(Args {
        corpus,
        out,
        size,
        count,
    })
}

/// The value after `flag`, as a number.
fn number<T: std::str::FromStr>(value: Option<String>, flag: &str) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{flag} wants a whole number, not {value:?}"))
}

/// Render every selected logo; the number of files written.
fn run(args: &Args) -> Result<usize, String> {
    let names = logo_names(&args.corpus, args.count)?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("{}: cannot create folder: {e}", args.out.display()))?;
    let fonts = system_fonts();
    for name in &names {
        let svg = args.corpus.join(name).join("source.svg");
        let png = args.out.join(format!("{name}.png"));
        let image = render(&svg, args.size, &fonts)?;
        image
            .save(&png)
            .map_err(|e| format!("{}: cannot write: {e}", png.display()))?;
    }
    Ok(names.len())
}

/// The first `count` names, sorted, of the corpus folders that hold a `source.svg`.
fn logo_names(corpus: &Path, count: usize) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(corpus)
        .map_err(|e| format!("{}: cannot read corpus folder: {e}", corpus.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: cannot list: {e}", corpus.display()))?;
        if entry.path().join("source.svg").is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    if names.len() < count {
        return Err(format!(
            "{}: {} logos with a source.svg, {count} asked for",
            corpus.display(),
            names.len()
        ));
    }
    names.truncate(count);
    Ok(names)
}

/// System fonts, loaded once, for SVGs with text.
fn system_fonts() -> Arc<usvg::fontdb::Database> {
    let mut db = usvg::fontdb::Database::new();
    db.load_system_fonts();
    Arc::new(db)
}

/// Render `svg` so that its longest side is `size` pixels, over opaque white.
fn render(svg: &Path, size: u32, fonts: &Arc<usvg::fontdb::Database>) -> Result<RgbImage, String> {
    let bytes = std::fs::read(svg).map_err(|e| format!("{}: cannot read: {e}", svg.display()))?;
    let options = usvg::Options {
        resources_dir: svg.parent().map(Path::to_path_buf),
        fontdb: fonts.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(&bytes, &options)
        .map_err(|e| format!("{}: not a valid SVG: {e}", svg.display()))?;
    let (width, height, scale) = fitted_size(tree.size(), size)
        .ok_or_else(|| format!("{}: SVG has no size", svg.display()))?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("{}: cannot allocate {width}x{height}", svg.display()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(to_rgb(&pixmap))
}

/// Pixel size with the longest side `size`, and the scale from SVG units; `None` for an
/// empty SVG.
fn fitted_size(svg: usvg::Size, size: u32) -> Option<(u32, u32, f32)> {
    let longest = svg.width().max(svg.height());
    if longest.is_nan() || longest <= 0.0 {
        return None;
    }
    let scale = size as f32 / longest;
    let side = |v: f32| ((v * scale).round() as u32).clamp(1, size);
    Some((side(svg.width()), side(svg.height()), scale))
}

/// Drop the alpha channel of an opaque pixmap (premultiplied = straight when alpha is 255).
fn to_rgb(pixmap: &tiny_skia::Pixmap) -> RgbImage {
    let mut out = RgbImage::new(pixmap.width(), pixmap.height());
    for (dst, src) in out.pixels_mut().zip(pixmap.pixels()) {
        dst.0 = [src.red(), src.green(), src.blue()];
    }
    out
}
