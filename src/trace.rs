//! The one place that talks to vtracer, so the tracer can be swapped. Panics inside the
//! tracer are caught and become errors; a deadline cancels a trace that runs too long.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use image::RgbaImage;

use crate::color::Rgb;

/// How to trace.
#[derive(Debug, Clone)]
pub struct TraceOptions {
    /// The colours of the output; every opaque pixel must already be one of them.
    pub palette: Vec<Rgb>,
    /// Specks smaller than this side length (pixels) are dropped.
    pub filter_speckle: usize,
    /// Corner threshold in degrees.
    pub corner_threshold: i32,
    /// Decimal places of path coordinates.
    pub path_precision: u32,
    /// Curve simplification tolerance in pixels (0: off): smooth runs of curves are
    /// re-fitted with the fewest curves within this distance.
    pub simplify: f64,
}

/// Trace `image` (pixels with alpha 0 are background and produce no shape; all others are
/// opaque) to SVG text as vtracer writes it. `deadline` cancels the trace.
pub fn trace(
    image: &RgbaImage,
    options: &TraceOptions,
    deadline: Instant,
) -> Result<String, String> {
    let config = config(options, vtracer::Clustering::ColorCluster);
    run(image.as_raw().clone(), image.dimensions(), config, deadline)
}

/// Trace the shape of `mask` (pixels with alpha of at least 50%) as one colour, with
/// vtracer's binary frontend: about twice as fast as colour clustering. The paths are
/// written in black; `options.palette` is not used.
pub fn trace_mask(
    mask: &RgbaImage,
    options: &TraceOptions,
    deadline: Instant,
) -> Result<String, String> {
    let mut pixels = Vec::with_capacity(mask.as_raw().len());
    for p in mask.pixels() {
        let v = if p[3] >= 128 { 0 } else { 255 };
        pixels.extend_from_slice(&[v, v, v, 255]);
    }
    let config = config(options, vtracer::Clustering::Binary);
    run(pixels, mask.dimensions(), config, deadline)
}

fn config(options: &TraceOptions, clustering: vtracer::Clustering) -> vtracer::Config {
    vtracer::Config {
        clustering,
        // Seam-free: shapes tile the image instead of stacking, so no background shows
        // through between neighbours, and paths are smaller.
        hierarchical: vtracer::Hierarchical::Cutout,
        filter_speckle: options.filter_speckle,
        color_precision: 8,
        layer_difference: 16,
        mode: vtracer::FitMode::Spline,
        corner_threshold: options.corner_threshold,
        path_precision: Some(options.path_precision),
        palette: options
            .palette
            .iter()
            .map(|c| vtracer::Color::new(c.0[0], c.0[1], c.0[2]))
            .collect(),
        simplify: (options.simplify > 0.0).then_some(options.simplify),
        optimize: 2,
        ..vtracer::Config::default()
    }
}

fn run(
    pixels: Vec<u8>,
    (width, height): (u32, u32),
    config: vtracer::Config,
    deadline: Instant,
) -> Result<String, String> {
    let img = vtracer::ColorImage {
        pixels,
        width: width as usize,
        height: height as usize,
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        let pipeline = config.build().map_err(|e| e.to_string())?;
        let cancel = vtracer::CancelToken::new();
        let doc = pipeline
            .run_with_progress(&img, &cancel, &mut |_| {
                if Instant::now() >= deadline {
                    cancel.cancel();
                }
            })
            .map_err(|e| match e {
                vtracer::Error::Cancelled => "timed out while tracing".to_string(),
                other => format!("trace failed: {other}"),
            })?;
        Ok(pipeline.writer.write(&doc))
    }));
    match result {
        Ok(r) => r,
        Err(panic) => Err(format!(
            "trace failed: tracer panicked: {}",
            panic_message(&panic)
        )),
    }
}

/// vtracer with its default settings on `image` as it is: the baseline the vector
/// variation is measured against (what `vtracer --input logo.png` does).
pub fn trace_default(image: &RgbaImage) -> Result<String, String> {
    let img = vtracer::ColorImage {
        pixels: image.as_raw().clone(),
        width: image.width() as usize,
        height: image.height() as usize,
    };
    let pipeline = vtracer::Config::default()
        .build()
        .map_err(|e| e.to_string())?;
    pipeline.to_svg(&img).map_err(|e| e.to_string())
}

/// The text of a caught panic.
pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
