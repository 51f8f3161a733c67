//! Favicons and web app icons: `favicon.ico` (16, 32, 48), `favicon.svg`, PNG icons for
//! browsers, iOS and installable web apps (plain and maskable), `site.webmanifest` and
//! the `head.html` that links them.

use std::path::PathBuf;

use image::codecs::ico::{IcoEncoder, IcoFrame};
use image::{imageops, ExtendedColorType, RgbaImage};
use serde_json::json;

use crate::color::Rgb;
use crate::geometry;
use crate::output;
use crate::raster;
use crate::source::{Content, Master, Source};
use crate::variation::{vector, Artifact, Context};

/// Frames of `favicon.ico`.
const ICO_SIZES: [u32; 3] = [16, 32, 48];
/// Share of an icon's side the logo may take in the transparent icons.
const ICON_FILL: f64 = 0.9;
/// Share of the side the logo may take on the opaque Apple touch icon (iOS rounds its
/// corners; the padding keeps the logo clear of them).
const TOUCH_FILL: f64 = 0.76;
/// Diameter, as a share of the side, of the circle a maskable icon's logo stays inside
/// (the W3C safe zone).
const MASKABLE_SAFE: f64 = 0.8;
/// Side under which raster logos are sharpened after the downscale.
const SHARPEN_BELOW: u32 = 64;

/// Every file, relative to `<out>/<stem>/favicon/`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let background = master.auto_background();
    let dir = PathBuf::from("favicon");
    let png = |name: &str, img: &RgbaImage| -> Result<Artifact, String> {
        Ok(Artifact {
            path: dir.join(name),
            format: "png",
            width: img.width(),
            height: img.height(),
            bytes: output::encode_png_rgba(img)?,
            warnings: Vec::new(),
        })
    };
    let transparent = |side: u32| icon(source, &master, side, ICON_FILL, None);
    let mut out = Vec::new();

    let mut frames = Vec::new();
    for side in ICO_SIZES {
        let img = transparent(side);
        frames.push(
            IcoFrame::as_png(img.as_raw(), side, side, ExtendedColorType::Rgba8)
                .map_err(|e| format!("cannot encode ICO frame: {e}"))?,
        );
    }
    let mut ico = Vec::new();
    IcoEncoder::new(&mut ico)
        .encode_images(&frames)
        .map_err(|e| format!("cannot encode ICO: {e}"))?;
    out.push(Artifact {
        path: dir.join("favicon.ico"),
        format: "ico",
        width: 48,
        height: 48,
        bytes: ico,
        warnings: Vec::new(),
    });

    let (svg, (width, height)) = vector::colour_svg(source, ctx)?;
    out.push(Artifact {
        path: dir.join("favicon.svg"),
        format: "svg",
        width,
        height,
        bytes: svg.into_bytes(),
        warnings: Vec::new(),
    });
    out.push(png("favicon-96x96.png", &transparent(96))?);
    out.push(png(
        "apple-touch-icon.png",
        &icon(source, &master, 180, TOUCH_FILL, Some(background)),
    )?);
    out.push(png("icon-192.png", &transparent(192))?);
    out.push(png("icon-512.png", &transparent(512))?);
    let maskable_fill = MASKABLE_SAFE / std::f64::consts::SQRT_2;
    for side in [192, 512] {
        out.push(png(
            &format!("icon-maskable-{side}.png"),
            &icon(source, &master, side, maskable_fill, Some(background)),
        )?);
    }

    let name = match ctx.config.favicon.name.as_str() {
        "" => ctx.stem.to_string(),
        name => name.to_string(),
    };
    let colour = background.to_hex();
    let manifest = json!({
        "name": name,
        "short_name": name,
        "icons": [
            {"src": "icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": "icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": "icon-maskable-192.png", "sizes": "192x192", "type": "image/png", "purpose": "maskable"},
            {"src": "icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
        "theme_color": colour,
        "background_color": colour,
        "display": "standalone",
    });
    out.push(text(
        dir.join("site.webmanifest"),
        "json",
        serde_json::to_string_pretty(&manifest).expect("JSON values serialise") + "\n",
    ));
    out.push(text(
        dir.join("head.html"),
        "html",
        format!(
            "<link rel=\"icon\" href=\"/favicon.ico\" sizes=\"48x48\">\n\
             <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
             <link rel=\"icon\" href=\"/favicon-96x96.png\" type=\"image/png\" sizes=\"96x96\">\n\
             <link rel=\"apple-touch-icon\" href=\"/apple-touch-icon.png\">\n\
             <link rel=\"manifest\" href=\"/site.webmanifest\">\n\
             <meta name=\"theme-color\" content=\"{colour}\">\n"
        ),
    ));
    Ok(out)
}

fn text(path: PathBuf, format: &'static str, body: String) -> Artifact {
    Artifact {
        path,
        format,
        width: 0,
        height: 0,
        bytes: body.into_bytes(),
        warnings: Vec::new(),
    }
}

/// A `side` x `side` icon: the logo fitted into `fill` of the side, centred, on
/// `background` (opaque) or transparent. SVG logos are rendered at the size; raster logos
/// are resized and, under 64 px, lightly sharpened so small sizes stay legible.
fn icon(
    source: &Source,
    master: &Master,
    side: u32,
    fill: f64,
    background: Option<Rgb>,
) -> RgbaImage {
    let room = ((side as f64 * fill).floor() as u32).max(1);
    let size = geometry::fit(master.image.dimensions(), (room, room));
    let mut logo = source.render_content(master, size.0, size.1);
    if side < SHARPEN_BELOW && matches!(source.content, Content::Raster { .. }) {
        logo = raster::sharpen(&logo);
    }
    let place = geometry::centre(size, (side, side));
    match background {
        Some(bg) => {
            let mut canvas = raster::canvas(side, side, bg);
            raster::composite(&mut canvas, &logo, place.x, place.y);
            image::DynamicImage::ImageRgb8(canvas).to_rgba8()
        }
        None => {
            let mut canvas = RgbaImage::new(side, side);
            imageops::replace(&mut canvas, &logo, place.x as i64, place.y as i64);
            canvas
        }
    }
}
