//! The transparent PNG: the master, padded.

use std::path::PathBuf;

use crate::geometry;
use crate::output;
use crate::raster;
use crate::source::{Master, Source};
use crate::variation::{Artifact, Context};

/// The master padded by `[transparent] padding`: the canvas of the transparent PNG and of
/// the vector trace.
pub fn padded(master: &Master, ctx: &Context) -> image::RgbaImage {
    let (w, h) = master.image.dimensions();
    raster::pad(
        &master.image,
        geometry::padding(w, h, ctx.config.transparent.padding),
    )
}

/// `transparent/<stem>.png` and the same pixels as lossless `transparent/<stem>.webp`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let image = padded(&master, ctx);
    let dir = PathBuf::from("transparent");
    let mut out = Vec::new();
    let png = Artifact {
        path: dir.join(format!("{}.png", ctx.stem)),
        format: "png",
        width: image.width(),
        height: image.height(),
        bytes: output::encode_png_rgba(&image, ctx.config.build.png)?,
        warnings: master.warnings.clone(),
    };
    // Off this job's hands before the WebP encoder, which holds the most, starts.
    ctx.emit(&mut out, png)?;
    let webp = Artifact {
        path: dir.join(format!("{}.webp", ctx.stem)),
        format: "webp",
        width: image.width(),
        height: image.height(),
        bytes: output::encode_webp_rgba(&image)?,
        warnings: Vec::new(),
    };
    ctx.emit(&mut out, webp)?;
    Ok(out)
}
