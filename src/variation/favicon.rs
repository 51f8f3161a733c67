//! Favicons and web app icons: `favicon.ico` (16, 32, 48), `favicon.svg`, PNG icons for
//! browsers, iOS and installable web apps (plain and maskable), `site.webmanifest` and
//! the `head.html` that links them.

use std::path::PathBuf;

use image::RgbaImage;
use serde_json::json;

use crate::source::{Renderer, Source};
use crate::variation::{ico_icon, square_icon as icon, vector, Artifact, Context};

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

/// Every file, relative to `<out>/<stem>/favicon/`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let art = source.square_art(ctx.config)?;
    let background = art.master.auto_background();
    let dir = PathBuf::from("favicon");
    let png =
        |name: &str, img: &RgbaImage| Artifact::png(dir.join(name), img, ctx.config.build.png);
    // The trace first, before the ICO frames make the renderer's premultiplied copy of
    // the master, which need not be held through the trace's own peak.
    let (svg, size) = match art.region {
        Some(region) => {
            let (svg, _) = vector::colour_svg(art.source, ctx)?;
            vector::view_of(&svg, region, ctx.config.transparent.padding)?
        }
        None => vector::colour_svg(art.source, ctx)?,
    };
    let mut renderer = art.source.renderer(&art.master);
    let transparent = |r: &mut Renderer, side: u32| icon(r, side, ICON_FILL, None);
    let mut out = Vec::new();

    let mut ico = ico_icon(
        &mut renderer,
        dir.join("favicon.ico"),
        &ICO_SIZES,
        ICON_FILL,
    )?;
    ico.warnings.clone_from(&art.notes);
    out.push(ico);

    out.push(Artifact::text(dir.join("favicon.svg"), "svg", size, svg));
    out.push(png("favicon-96x96.png", &transparent(&mut renderer, 96))?);
    out.push(png(
        "apple-touch-icon.png",
        &icon(&mut renderer, 180, TOUCH_FILL, Some(background)),
    )?);
    out.push(png("icon-192.png", &transparent(&mut renderer, 192))?);
    out.push(png("icon-512.png", &transparent(&mut renderer, 512))?);
    let maskable_fill = MASKABLE_SAFE / std::f64::consts::SQRT_2;
    for side in [192, 512] {
        out.push(png(
            &format!("icon-maskable-{side}.png"),
            &icon(&mut renderer, side, maskable_fill, Some(background)),
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
    out.push(Artifact::text(
        dir.join("site.webmanifest"),
        "json",
        (0, 0),
        serde_json::to_string_pretty(&manifest).expect("JSON values serialise") + "\n",
    ));
    out.push(Artifact::text(
        dir.join("head.html"),
        "html",
        (0, 0),
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
