//! App icons: the iOS App Store icon and Android's adaptive icon layers, legacy launcher
//! icons and adaptive-icon XML, in the folders Xcode and Android Studio expect.

use std::path::{Path, PathBuf};

use image::{Rgba, RgbaImage};

use crate::geometry;
use crate::source::{Renderer, Source};
use crate::variation::{ink, vector};
use crate::variation::{square_icon, Artifact, Context};

/// Android densities: folder suffix, adaptive layer side (108 dp) and legacy side (48 dp).
const DENSITIES: [(&str, u32, u32); 5] = [
    ("mdpi", 108, 48),
    ("hdpi", 162, 72),
    ("xhdpi", 216, 96),
    ("xxhdpi", 324, 144),
    ("xxxhdpi", 432, 192),
];
/// The adaptive icon's safe zone: a circle 66 dp across on the 108 dp layer, which every
/// launcher mask (circle, squircle, rounded square) leaves visible.
const ADAPTIVE_SAFE: f64 = 66.0 / 108.0;
/// Share of the side the logo may take on the iOS icon and the legacy square icon (iOS
/// rounds the corners; the padding keeps the logo clear of them).
const SQUARE_FILL: f64 = 0.76;
/// Diameter of the legacy round icon's disc, as a share of its side, and of the circle the
/// logo stays inside.
const ROUND_DISC: f64 = 0.92;
const ROUND_SAFE: f64 = 0.8;

const ADAPTIVE_XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<adaptive-icon xmlns:android="http://schemas.android.com/apk/res/android">
    <background android:drawable="@mipmap/ic_launcher_background" />
    <foreground android:drawable="@mipmap/ic_launcher_foreground" />
    <monochrome android:drawable="@mipmap/ic_launcher_monochrome" />
</adaptive-icon>
"#;

/// `app-icon/ios/AppIcon-1024.png` and `app-icon/android/mipmap-*/...`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let art = source.square_art(ctx.config)?;
    let master = &art.master;
    let background = master.auto_background();
    let palette: Vec<_> = vector::logo_colours(master, ctx)
        .into_iter()
        .map(|c| c.0)
        .collect();
    let in_circle = |side: u32, diameter: f64| {
        geometry::circle_safe_side(side, side) as f64 / side as f64 * diameter
    };
    let root = Path::new("app-icon");
    let png = |path: PathBuf, img: &RgbaImage| Artifact::png(path, img, ctx.config.build.png);
    let mut renderer = art.source.renderer(master);
    let mut out = Vec::new();
    let mut ios = png(
        root.join("ios/AppIcon-1024.png"),
        &square_icon(&mut renderer, 1024, SQUARE_FILL, Some(background)),
    )?;
    ios.warnings.extend(art.notes.iter().cloned());
    ctx.emit(&mut out, ios)?;
    let android = root.join("android");
    for (density, layer, legacy) in DENSITIES {
        if std::time::Instant::now() >= ctx.deadline {
            return Err("timed out while building the app icons".into());
        }
        let dir = android.join(format!("mipmap-{density}"));
        let file = |name: &str| dir.join(format!("{name}.png"));
        let foreground = square_icon(&mut renderer, layer, in_circle(layer, ADAPTIVE_SAFE), None);
        let mut monochrome = foreground.clone();
        let ink = ink::ink_plane(&foreground, &palette);
        for (p, &a) in monochrome.pixels_mut().zip(&ink) {
            *p = Rgba([255, 255, 255, a]);
        }
        let flat = RgbaImage::from_pixel(
            layer,
            layer,
            Rgba([background.0[0], background.0[1], background.0[2], 255]),
        );
        ctx.emit(&mut out, png(file("ic_launcher_foreground"), &foreground)?)?;
        ctx.emit(&mut out, png(file("ic_launcher_background"), &flat)?)?;
        ctx.emit(&mut out, png(file("ic_launcher_monochrome"), &monochrome)?)?;
        let launcher = square_icon(&mut renderer, legacy, SQUARE_FILL, Some(background));
        ctx.emit(&mut out, png(file("ic_launcher"), &launcher)?)?;
        let disc = round(&mut renderer, legacy, background);
        ctx.emit(&mut out, png(file("ic_launcher_round"), &disc)?)?;
    }
    for name in ["ic_launcher", "ic_launcher_round"] {
        let xml = Artifact::text(
            android
                .join("mipmap-anydpi-v26")
                .join(format!("{name}.xml")),
            "xml",
            (0, 0),
            ADAPTIVE_XML.to_string(),
        );
        ctx.emit(&mut out, xml)?;
    }
    Ok(out)
}

/// The legacy round launcher icon: a disc of `background` with the logo inside its circle,
/// transparent outside (anti-aliased by 4x4 supersampling of the disc's edge).
fn round(renderer: &mut Renderer, side: u32, background: crate::color::Rgb) -> RgbaImage {
    let fill =
        geometry::circle_safe_side(side, side) as f64 / side as f64 * ROUND_DISC * ROUND_SAFE;
    let mut img = square_icon(renderer, side, fill, Some(background));
    let (c, r) = (side as f64 / 2.0, side as f64 * ROUND_DISC / 2.0);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let mut inside = 0u32;
        for sy in 0..4 {
            for sx in 0..4 {
                let dx = x as f64 + (sx as f64 + 0.5) / 4.0 - c;
                let dy = y as f64 + (sy as f64 + 0.5) / 4.0 - c;
                inside += (dx * dx + dy * dy <= r * r) as u32;
            }
        }
        p[3] = (inside * 255 / 16) as u8;
        if p[3] == 0 {
            *p = Rgba([0, 0, 0, 0]);
        }
    }
    img
}
