//! Criterion benches: decoding, background removal, and each variation on a fixture logo.
//!
//! The variations are measured from an already computed master (as in a run, where the
//! master is computed once per logo); background removal is measured on its own. Each
//! timed run renders a fresh source, so a variation pays for the traces it needs (in a
//! run, the first of a logo's jobs that needs them makes them).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use logoproc::config::Config;
use logoproc::matte;
use logoproc::source::{Content, Source};
use logoproc::variation::{Context, Variation};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/badge_on_white.png");
const JPEG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/wordmark_on_white_q85.jpg"
);

fn benches(c: &mut Criterion) {
    let config = Config::default();
    let path = Path::new(FIXTURE);
    c.bench_function("decode/png", |b| {
        b.iter(|| Source::load(black_box(path), &config).unwrap())
    });
    for (name, file) in [("png-on-white", FIXTURE), ("jpeg-q85", JPEG)] {
        let source = Source::load(Path::new(file), &config).unwrap();
        let Content::Raster { lossy, .. } = source.content else {
            unreachable!("fixture is a raster")
        };
        let image = source.decoded().expect("fixture is a raster");
        c.bench_function(&format!("matte/{name}"), |b| {
            // The matte takes the decoded image (it writes its result there): a fresh copy
            // for each run, made outside the timing.
            b.iter_batched(
                || image.clone(),
                |image| matte::remove_background(black_box(image), &config.transparent, lossy),
                BatchSize::LargeInput,
            )
        });
    }
    // The baseline for the vector job: vtracer's default settings on the input as it is
    // (what `vtracer --input logo.png` does), side by side with the variation below.
    for (name, file) in [("png-on-white", FIXTURE), ("jpeg-q85", JPEG)] {
        let rgba = image::open(file).unwrap().to_rgba8();
        let img = vtracer::ColorImage {
            pixels: rgba.as_raw().clone(),
            width: rgba.width() as usize,
            height: rgba.height() as usize,
        };
        let pipeline = vtracer::Config::default().build().unwrap();
        c.bench_function(&format!("baseline/vtracer-default/{name}"), |b| {
            b.iter(|| pipeline.to_svg(black_box(&img)).unwrap())
        });
        c.bench_function(&format!("variation/vector/{name}"), |b| {
            render(b, &config, Path::new(file), Variation::Vector)
        });
    }
    for variation in Variation::ALL {
        c.bench_function(&format!("variation/{}", variation.name()), |b| {
            render(b, &config, path, variation)
        });
    }
}

/// Time `variation` on the logo at `path`. A source keeps what its variations share (the
/// traces) once made, so each run renders a fresh source, loaded and given its master (the
/// decode and background removal every variation starts from) outside the timing, and
/// returned so that it is dropped outside it too.
fn render(b: &mut criterion::Bencher, config: &Config, path: &Path, variation: Variation) {
    b.iter_batched(
        || {
            let fresh = Source::load(path, config).unwrap();
            fresh.master(config).unwrap();
            fresh
        },
        |fresh| {
            let ctx = Context {
                config,
                stem: "bench",
                deadline: Instant::now() + Duration::from_secs(600),
                sink: None,
            };
            let files = variation.render(black_box(&fresh), &ctx).unwrap();
            (fresh, files)
        },
        BatchSize::LargeInput,
    )
}

criterion_group! {
    name = variations;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(4));
    targets = benches
}
criterion_main!(variations);
