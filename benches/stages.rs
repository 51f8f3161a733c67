//! Criterion benches of each stage of a run at the size of the peer benchmark
//! (`benches/vs-peers.sh`): a corpus logo rendered at 2048 px on white. They show where
//! the time of a whole run goes: decode, background removal, the trace, a resize and the
//! PNG encode at each effort.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use image::RgbaImage;
use logoproc::config::{Config, PngEffort};
use logoproc::source::Source;
use logoproc::variation::{Context, Variation};
use logoproc::{matte, output, raster};

/// A corpus logo with two colours and curves.
const SVG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/corpus/nginx/source.svg"
);

/// The fixture's SVG rendered with its longest side at 2048 px, on white.
fn on_white_2048() -> RgbaImage {
    let svg = std::fs::read(SVG).unwrap();
    let tree = usvg::Tree::from_data(&svg, &usvg::Options::default()).unwrap();
    let size = tree.size();
    let scale = 2048.0 / size.width().max(size.height());
    let (w, h) = (
        (size.width() * scale).round() as u32,
        (size.height() * scale).round() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).unwrap();
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    RgbaImage::from_raw(w, h, pixmap.take()).unwrap()
}

fn stages(c: &mut Criterion) {
    let config = Config::default();
    let image = on_white_2048();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logo.png");
    // Written at `fast` effort (fdeflate), which decodes faster than zlib's output.
    std::fs::write(
        &path,
        output::encode_png_rgba(&image, PngEffort::Fast).unwrap(),
    )
    .unwrap();

    c.bench_function("stage/decode-png-2048", |b| {
        b.iter(|| Source::load(black_box(&path), &config).unwrap())
    });
    let source = Source::load(Path::new(&path), &config).unwrap();
    let decoded = source.decoded().expect("a PNG is a raster");
    c.bench_function("stage/background-removal-2048", |b| {
        // A fresh copy of the decoded image for each run (the matte writes into it),
        // made outside the timing.
        b.iter_batched(
            || decoded.clone(),
            |image| matte::remove_background(black_box(image), &config.transparent, false),
            BatchSize::LargeInput,
        )
    });
    let master = source.master(&config).unwrap();
    let ctx = Context {
        config: &config,
        stem: "bench",
        deadline: Instant::now() + Duration::from_secs(600),
        sink: None,
    };
    c.bench_function("stage/trace-both-svgs-2048", |b| {
        // A source keeps its traces once made, so each run traces a fresh one whose
        // master (decode and background removal) is made outside the timing.
        b.iter_batched(
            || {
                let fresh = Source::load(&path, &config).unwrap();
                fresh.master(&config).unwrap();
                fresh
            },
            // Returned, so that it is dropped outside the timing too.
            |fresh| {
                let svgs = Variation::Vector.render(black_box(&fresh), &ctx).unwrap();
                (fresh, svgs)
            },
            BatchSize::LargeInput,
        )
    });
    c.bench_function("stage/resize-2048-into-1000x500-box", |b| {
        b.iter(|| raster::resize(black_box(&master.image), 1000, 500))
    });
    let social = raster::resize(&master.image, 2000, 1000);
    for effort in [PngEffort::Fast, PngEffort::Balanced, PngEffort::Small] {
        c.bench_function(&format!("stage/encode-png-2000x1000-{effort:?}"), |b| {
            b.iter(|| output::encode_png_rgba(black_box(&social), effort).unwrap())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5));
    targets = stages
}
criterion_main!(benches);
