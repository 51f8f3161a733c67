//! Tracing pixels into outlines. The fitted tracer ([`outline`], from [`regions`] and
//! [`fit`]) places outlines by the anti-aliased edges and fits them as a designer draws;
//! the rest of this file is the one place that talks to vtracer (`[vector] tracer =
//! "vtracer"`, and the cut line's offset outline). Panics inside vtracer are caught and
//! become errors; a deadline cancels a trace that runs too long.

pub mod fit;
pub mod gradient;
pub mod outline;
pub mod regions;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use image::RgbaImage;

use crate::color::Rgb;
use visioncortex::BinaryImage;
use vtracer::ir::{Layer, Paint, RegionMask};
use vtracer::{Pipeline, Segmentation};

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
/// buffer becomes the tracer's input, not a copy of it, and is dropped once segmented.
pub fn trace(
    image: RgbaImage,
    options: &TraceOptions,
    deadline: Instant,
) -> Result<String, String> {
    let config = config(options, vtracer::Clustering::ColorCluster);
    let img = vtracer::ColorImage {
        width: image.width() as usize,
        height: image.height() as usize,
        pixels: image.into_raw(),
    };
    run(config, deadline, move |pipeline, cancel, progress| {
        pipeline.segment_with_progress(&img, cancel, progress)
    })
}

/// A one-bit-a-pixel shape for [`trace_mask`]: the pixels of a `width` x `height` image
/// where `inside(x, y)`, inside an empty margin of `margin` pixels.
pub struct Mask(BinaryImage);

impl Mask {
    pub fn new((w, h): (u32, u32), margin: u32, inside: impl Fn(u32, u32) -> bool) -> Mask {
        let dims = ((w + 2 * margin) as usize, (h + 2 * margin) as usize);
        let mut bits = BinaryImage::new_w_h(dims.0, dims.1);
        for y in 0..h {
            for x in 0..w {
                if inside(x, y) {
                    bits.set_pixel((x + margin) as usize, (y + margin) as usize, true);
                }
            }
        }
        Mask(bits)
    }
}

/// Trace `mask` as one colour, as vtracer's binary frontend does: about twice as fast
/// as colour clustering. The shapes are black, painted in the nearest colour of
/// `options.palette` when it has any (the callers recolour them). The mask is segmented
/// here rather than by the frontend, which would take an RGBA image (32 times the size
/// of the mask) to threshold into the same bits.
pub fn trace_mask(mask: Mask, options: &TraceOptions, deadline: Instant) -> Result<String, String> {
    let config = config(options, vtracer::Clustering::Binary);
    // vtracer's speckle area (`Config::speckle_area`, not public).
    let min_area = config.filter_speckle * config.filter_speckle;
    run(config, deadline, move |_, _, _| {
        segment_mask(&mask.0, min_area)
    })
}

/// What vtracer's binary frontend makes of an image whose dark pixels are `mask`: one
/// black layer per 4-connected cluster of at least `min_area` pixels, in its order.
fn segment_mask(mask: &BinaryImage, min_area: usize) -> Result<Segmentation, vtracer::Error> {
    if mask.width == 0 || mask.height == 0 {
        return Err(vtracer::Error::EmptyImage);
    }
    let mut segmentation = Segmentation::new(mask.width as u32, mask.height as u32);
    let clusters = mask.to_clusters(false);
    for cluster in clusters.iter().filter(|c| c.size() >= min_area) {
        let offset = vtracer::PointI32 {
            x: cluster.rect.left,
            y: cluster.rect.top,
        };
        segmentation.layers.push(Layer {
            paint: Paint::Solid(vtracer::Color::new(0, 0, 0)),
            mask: RegionMask::new(cluster.to_binary_image(), offset),
        });
    }
    Ok(segmentation)
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

/// Segment with `segment` (which gets the pipeline, its cancel token and progress
/// callback), then fit, compose and write the SVG. Whatever `segment` owns (the input
/// image) is dropped before compositing, which holds several image-sized buffers of its
/// own; the segmentation, kept with the copy compositing makes of it, is one bit a pixel
/// of each layer's bounding box.
fn run(
    config: vtracer::Config,
    deadline: Instant,
    segment: impl FnOnce(
        &Pipeline,
        &vtracer::CancelToken,
        &mut dyn FnMut(vtracer::Progress),
    ) -> Result<Segmentation, vtracer::Error>,
) -> Result<String, String> {
    let result = catch_unwind(AssertUnwindSafe(move || {
        let pipeline = config.build().map_err(|e| e.to_string())?;
        let cancel = vtracer::CancelToken::new();
        let mut progress = |_| {
            if Instant::now() >= deadline {
                cancel.cancel();
            }
        };
        let failed = |e| match e {
            vtracer::Error::Cancelled => "timed out while tracing".to_string(),
            other => format!("trace failed: {other}"),
        };
        let segmentation = segment(&pipeline, &cancel, &mut progress).map_err(failed)?;
        // A frontend reports the end of segmenting, which checks the deadline; a
        // segmentation made here does not, so check before compositing.
        if Instant::now() >= deadline {
            return Err(failed(vtracer::Error::Cancelled));
        }
        let doc = pipeline
            .finish_with_progress(&segmentation, &cancel, &mut progress)
            .map_err(failed)?;
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
            let mask = Mask::new(img.dimensions(), margin, inside);
            trace_mask(mask, &options(), later).unwrap()
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

    #[test]
    fn mask_traces_as_the_binary_frontend_does_on_its_rgba_image() {
        // A ring (a shape with a hole), shapes that touch only at a corner (two clusters
        // when not diagonal), and specks of 1, 3 and 4 pixels (the speckle area is
        // 2 * 2: only the last is kept).
        let rect = |x, y, xs: std::ops::Range<u32>, ys: std::ops::Range<u32>| {
            xs.contains(&x) && ys.contains(&y)
        };
        let inside = |x: u32, y: u32| {
            let (dx, dy) = (x as f32 - 20.0, y as f32 - 18.0);
            let r = (dx * dx + dy * dy).sqrt();
            (6.0..12.0).contains(&r)
                || rect(x, y, 36..44, 4..12)
                || rect(x, y, 44..50, 12..20)
                || (x, y) == (3, 30)
                || rect(x, y, 10..13, 32..33)
                || rect(x, y, 40..42, 28..30)
        };
        let (w, h, margin) = (52, 34, 2);
        let rgba = RgbaImage::from_fn(w + 2 * margin, h + 2 * margin, |x, y| {
            let shape = x >= margin
                && y >= margin
                && x - margin < w
                && y - margin < h
                && inside(x - margin, y - margin);
            if shape {
                Rgba([0, 0, 0, 255])
            } else {
                Rgba([255, 255, 255, 255])
            }
        });
        let later = Instant::now() + std::time::Duration::from_secs(60);
        let ours = trace_mask(Mask::new((w, h), margin, inside), &options(), later).unwrap();
        let frontend = config(&options(), vtracer::Clustering::Binary)
            .build()
            .unwrap()
            .to_svg(&vtracer::ColorImage {
                width: rgba.width() as usize,
                height: rgba.height() as usize,
                pixels: rgba.into_raw(),
            })
            .unwrap();
        assert_eq!(ours, frontend);
        // The ring, both shapes at the corner and the 2 x 2 speck.
        assert_eq!(ours.matches("<path").count(), 4, "{ours}");
    }
}
