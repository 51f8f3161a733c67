//! One-colour marks: the logo in black, in white (a knock-out for dark backgrounds) and in
//! grey levels, each keeping the transparent master's alpha, and the one-ink trace in
//! black and in white.

use std::path::PathBuf;

use image::Rgba;

use crate::color::{luma, Rgb};
use crate::output;
use crate::source::Source;
use crate::variation::{ink, vector};
use crate::variation::{transparent, Artifact, Context};

/// `mono/<stem>-black.png`, `-white.png`, `-grayscale.png`, `-black.svg`, `-white.svg`.
///
/// The black and white versions are the one-ink drawing of [`ink::ink_plane`]: the
/// logo's colours in ink, its near-white parts knocked out (an eye's white shows the
/// background) and paper lines between colours that meet, with soft edges kept. The SVGs trace that shape from the master,
/// for SVG inputs too, so that both are one path set with one fill.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let canvas = transparent::padded(&master, ctx);
    let ink = vector::one_ink(source, &master, ctx)?;
    let (w, h) = canvas.dimensions();
    let dir = PathBuf::from("mono");
    let file = |suffix: &str, format: &'static str, bytes: Vec<u8>, (width, height)| Artifact {
        path: dir.join(format!("{}-{suffix}.{format}", ctx.stem)),
        format,
        width,
        height,
        bytes,
        warnings: Vec::new(),
    };
    let plane = ink::ink_plane(&canvas, &ink.palette);
    let paint = |colour: Rgb| {
        let mut out = canvas.clone();
        for (p, &a) in out.pixels_mut().zip(&plane) {
            *p = Rgba([colour.0[0], colour.0[1], colour.0[2], a]);
        }
        out
    };
    let mut grey = canvas.clone();
    for p in grey.pixels_mut() {
        let l = luma([p[0], p[1], p[2]]).round() as u8;
        *p = Rgba([l, l, l, p[3]]);
    }
    let black = Rgb([0, 0, 0]);
    let black_svg = vector::recolour(&ink.svg, black, false);
    let white_svg = vector::recolour(&ink.svg, Rgb::WHITE, false);
    Ok(vec![
        file(
            "black",
            "png",
            output::encode_png_rgba(&paint(black), ctx.config.build.png)?,
            (w, h),
        ),
        file(
            "white",
            "png",
            output::encode_png_rgba(&paint(Rgb::WHITE), ctx.config.build.png)?,
            (w, h),
        ),
        file(
            "grayscale",
            "png",
            output::encode_png_rgba(&grey, ctx.config.build.png)?,
            (w, h),
        ),
        file("black", "svg", black_svg.into_bytes(), ink.size),
        file("white", "svg", white_svg.into_bytes(), ink.size),
    ])
}
