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
/// opaque) to SVG text as vtracer writes it. `deadline` cancels the trace. The image's
/// buffer becomes the tracer's input, not a copy of it.
pub fn trace(
    image: RgbaImage,
    options: &TraceOptions,
    deadline: Instant,
) -> Result<String, String> {
    let config = config(options, vtracer::Clustering::ColorCluster);
    let dims = image.dimensions();
    run(image.into_raw(), dims, config, deadline)
}

/// Trace the shape of a `width` x `height` mask (the pixels where `inside(x, y)`),
/// inside an empty margin of `margin` pixels, as one colour, with vtracer's binary
/// frontend: about twice as fast as colour clustering. The paths are written in black;
/// `options.palette` is not used. The tracer's input is the only image made: the mask
/// is read through `inside` and padded as it is written.
pub fn trace_mask(
    (w, h): (u32, u32),
    margin: u32,
    inside: impl Fn(u32, u32) -> bool,
    options: &TraceOptions,
    deadline: Instant,
) -> Result<String, String> {
    let dims = (w + 2 * margin, h + 2 * margin);
    // White (background) everywhere, black where the shape is.
    let mut pixels = vec![255; dims.0 as usize * dims.1 as usize * 4];
    let stride = dims.0 as usize * 4;
    for y in 0..h {
        let start = (y + margin) as usize * stride + margin as usize * 4;
        let out = pixels[start..][..w as usize * 4].chunks_exact_mut(4);
        for (x, o) in (0..w).zip(out) {
            if inside(x, y) {
                o[..3].fill(0);
            }
        }
    }
    let config = config(options, vtracer::Clustering::Binary);
    run(pixels, dims, config, deadline)
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

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    fn options() -> TraceOptions {
        TraceOptions {
            palette: Vec::new(),
            filter_speckle: 2,
            corner_threshold: 60,
            path_precision: 2,
            simplify: 0.0,
        }
    }

    #[test]
    fn mask_is_read_through_alpha_and_padded_as_it_is_written() {
        // A disc with a soft edge, and a square that only the second alpha function sees.
        let img = RgbaImage::from_fn(40, 30, |x, y| {
            let d = ((x as f32 - 14.0).powi(2) + (y as f32 - 15.0).powi(2)).sqrt();
            let a = (255.0 * (10.0 - d).clamp(0.0, 1.0)) as u8;
            Rgba([
                if (30..36).contains(&x) && (5..20).contains(&y) {
                    9
                } else {
                    200
                },
                0,
                0,
                a,
            ])
        });
        let later = Instant::now() + std::time::Duration::from_secs(60);
        let trace = |img: &RgbaImage, margin, alpha: &dyn Fn(Rgba<u8>) -> u8| {
            let inside = |x, y| alpha(*img.get_pixel(x, y)) >= 128;
            trace_mask(img.dimensions(), margin, inside, &options(), later).unwrap()
        };
        let by_alpha = |p: Rgba<u8>| p[3];
        let padded = trace(&crate::raster::pad(&img, 3), 0, &by_alpha);
        assert_eq!(trace(&img, 3, &by_alpha), padded);
        // The square, by its red channel: the mask is the function's, not the alpha's.
        let dark = |p: Rgba<u8>| if p[0] < 100 { 255 } else { 0 };
        let square = RgbaImage::from_fn(40, 30, |x, y| Rgba([0, 0, 0, dark(*img.get_pixel(x, y))]));
        assert_eq!(trace(&img, 2, &dark), trace(&square, 2, &by_alpha));
        assert_ne!(trace(&img, 2, &dark), trace(&img, 2, &by_alpha));
    }
}
