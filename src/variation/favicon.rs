//! Favicons and web app icons: `favicon.ico` (16, 32, 48), `favicon.svg`, PNG icons for
//! browsers, iOS and installable web apps (plain and maskable), `site.webmanifest` and
//! the `head.html` that links them.

use std::path::PathBuf;

use image::RgbaImage;
use serde_json::json;

use crate::source::{Renderer, Source};
use crate::variation::{ico_icon, ink, square_icon as icon, vector, Artifact, Context};

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

    out.push(Artifact::text(
        dir.join("favicon.svg"),
        "svg",
        size,
        with_dark_mode(&svg),
    ));
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

    // The one-ink shape in white for the manifest's monochrome icons (the browser uses
    // their alpha as a mask).
    let palette: Vec<_> = vector::logo_colours(&art.master, ctx)
        .into_iter()
        .map(|c| c.0)
        .collect();
    for side in [192, 512] {
        let mut mono = transparent(&mut renderer, side);
        let ink = ink::ink_plane(&mono, &palette);
        for (p, &a) in mono.pixels_mut().zip(&ink) {
            *p = image::Rgba([255, 255, 255, a]);
        }
        out.push(png(&format!("icon-monochrome-{side}.png"), &mono)?);
    }

    let web = &ctx.config.favicon;
    let name = match web.name.as_str() {
        "" => readable(ctx.stem),
        name => name.to_string(),
    };
    let short_name = match web.short_name.as_str() {
        "" => short(&name),
        short_name => short_name.to_string(),
    };
    let colour = |set: &str| match set {
        "" => background.to_hex(),
        hex => hex.to_string(),
    };
    let (theme, back) = (colour(&web.theme_color), colour(&web.background_color));
    let base = match web.base_path.ends_with('/') {
        true => web.base_path.clone(),
        false => format!("{}/", web.base_path),
    };
    let icon_entry = |file: &str, side: u32, purpose: &str| json!({"src": file, "sizes": format!("{side}x{side}"), "type": "image/png", "purpose": purpose});
    let manifest = json!({
        "id": base,
        "name": name,
        "short_name": short_name,
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "theme_color": theme,
        "background_color": back,
        "icons": [
            icon_entry("icon-192.png", 192, "any"),
            icon_entry("icon-512.png", 512, "any"),
            icon_entry("icon-maskable-192.png", 192, "maskable"),
            icon_entry("icon-maskable-512.png", 512, "maskable"),
            icon_entry("icon-monochrome-192.png", 192, "monochrome"),
            icon_entry("icon-monochrome-512.png", 512, "monochrome"),
        ],
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
            "<link rel=\"icon\" href=\"{base}favicon.ico\" sizes=\"48x48\">\n\
             <link rel=\"icon\" href=\"{base}favicon.svg\" type=\"image/svg+xml\">\n\
             <link rel=\"icon\" href=\"{base}favicon-96x96.png\" type=\"image/png\" sizes=\"96x96\">\n\
             <link rel=\"apple-touch-icon\" href=\"{base}apple-touch-icon.png\">\n\
             <link rel=\"manifest\" href=\"{base}site.webmanifest\">\n\
             <meta name=\"theme-color\" content=\"{theme}\">\n"
        ),
    ));
    Ok(out)
}

/// A file stem as an app name: `-` and `_` as spaces, runs of spaces as one.
fn readable(stem: &str) -> String {
    let spaced = stem.replace(['-', '_'], " ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    match words.is_empty() {
        true => stem.to_string(),
        false => words.join(" "),
    }
}

/// Longest short name, in characters, that launchers show whole (Chrome's guidance).
const SHORT_NAME_CHARS: usize = 12;

/// The short name for `name`: itself when short enough, else its first word, cut to
/// [`SHORT_NAME_CHARS`].
fn short(name: &str) -> String {
    if name.chars().count() <= SHORT_NAME_CHARS {
        return name.to_string();
    }
    let first = name.split_whitespace().next().unwrap_or(name);
    first.chars().take(SHORT_NAME_CHARS).collect()
}

/// `svg` with a rule that, on a dark page (`prefers-color-scheme: dark`), paints its dark
/// fills (luma under [`DARK_FILL_LUMA`]) white, when it has dark fills and no light ones:
/// a dark logo on a transparent favicon vanishes on a dark browser tab. A logo with
/// light parts keeps its colours (its dark parts are the ground of the light ones).
pub fn with_dark_mode(svg: &str) -> String {
    let mut dark = Vec::new();
    let mut light = false;
    for part in svg.split("fill=\"#").skip(1) {
        let Some(hex) = part.get(..6) else { continue };
        let Some(c) = crate::color::Rgb::parse_hex(hex) else {
            continue;
        };
        let luma = crate::color::luma(c.0);
        light |= luma > LIGHT_FILL_LUMA;
        let hex = hex.to_ascii_lowercase();
        if luma < DARK_FILL_LUMA && !dark.contains(&hex) {
            dark.push(hex);
        }
    }
    let Some(root_end) = svg
        .find("<svg")
        .and_then(|at| svg[at..].find('>').map(|e| at + e + 1))
    else {
        return svg.to_string();
    };
    if dark.is_empty() || light {
        return svg.to_string();
    }
    let selectors: Vec<String> = dark.iter().map(|h| format!("[fill=\"#{h}\" i]")).collect();
    format!(
        "{}<style>@media (prefers-color-scheme: dark) {{ {} {{ fill: #ffffff }} }}</style>{}",
        &svg[..root_end],
        selectors.join(", "),
        &svg[root_end..]
    )
}

/// Fills darker than this luma turn white on a dark tab ...
const DARK_FILL_LUMA: f32 = 60.0;
/// ... unless the logo has fills lighter than this.
const LIGHT_FILL_LUMA: f32 = 200.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_from_the_stem_and_shortened() {
        assert_eq!(readable("acme_logo-final"), "acme logo final");
        assert_eq!(short("Acme"), "Acme");
        assert_eq!(short("Acme Logo (FINAL) v2"), "Acme");
        assert_eq!(short("Supercalifragilistic"), "Supercalifra");
    }

    #[test]
    fn a_dark_logo_turns_white_on_a_dark_tab_and_a_badge_keeps_its_colours() {
        let dark = r##"<svg width="2"><path fill="#1B1E2E"/><path fill="#e53935"/></svg>"##;
        let out = with_dark_mode(dark);
        assert!(
            out.contains(r##"<style>@media (prefers-color-scheme: dark) { [fill="#1b1e2e" i] { fill: #ffffff } }</style><path"##),
            "{out}"
        );
        let badge = r##"<svg><path fill="#000000"/><path fill="#FFFFFF"/></svg>"##;
        assert_eq!(with_dark_mode(badge), badge);
    }
}
