//! App icons: the iOS asset catalog (App Store icon without alpha, dark and tinted
//! appearances), Android's adaptive icon layers, legacy launcher icons, adaptive-icon XML
//! Play Store icon, notification icons and Android 12+ splash screen icons, in the
//! folders Xcode and Android Studio expect; and the desktop
//! icons: macOS `icon.icns`, Windows `icon.ico` and Linux PNGs.

use std::path::{Path, PathBuf};

use image::{DynamicImage, Rgba, RgbaImage};
use serde_json::json;

use crate::geometry;
use crate::source::{Renderer, Source};
use crate::variation::{ico_icon, square_icon, Artifact, Context};
use crate::variation::{ink, vector};

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

/// Share of the side the logo takes in the notification icon (Android's 24 dp icon has a
/// 2 dp margin: 20 of 24).
const NOTIFY_FILL: f64 = 20.0 / 24.0;
/// The splash screen icon's visible circle: 192 of its 288 dp.
const SPLASH_SAFE: f64 = 192.0 / 288.0;
/// Apple's macOS icon grid (macOS 11 and later): on a 1024 px canvas, a rounded square
/// 824 px wide with corners of radius 185.4 px, which the artwork's background fills.
const MAC_BODY: f64 = 824.0 / 1024.0;
const MAC_RADIUS: f64 = 185.4 / 824.0;
/// Share of the rounded square's side the logo may take.
const MAC_FILL: f64 = 0.72;
/// Share of the side the logo takes on the transparent Windows and Linux icons.
const DESKTOP_FILL: f64 = 0.94;
/// The macOS icon's sizes: pixels and the icon type that holds them (iconutil's set).
const ICNS: [(u32, icns::IconType); 10] = [
    (16, icns::IconType::RGBA32_16x16),
    (32, icns::IconType::RGBA32_16x16_2x),
    (32, icns::IconType::RGBA32_32x32),
    (64, icns::IconType::RGBA32_32x32_2x),
    (128, icns::IconType::RGBA32_128x128),
    (256, icns::IconType::RGBA32_128x128_2x),
    (256, icns::IconType::RGBA32_256x256),
    (512, icns::IconType::RGBA32_256x256_2x),
    (512, icns::IconType::RGBA32_512x512),
    (1024, icns::IconType::RGBA32_512x512_2x),
];
/// Layers of the Windows `icon.ico` (Microsoft's app icon sizes, 256 stored as PNG).
const ICO_SIZES: [u32; 6] = [16, 24, 32, 48, 64, 256];
/// Sizes of the Linux PNGs (the hicolor theme's usual set).
const LINUX_SIZES: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];
/// Median luma of the artwork under which the iOS dark icon shows it in white (dark
/// artwork vanishes on the dark home screen).
const DARK_ARTWORK_LUMA: f32 = 60.0;

const ADAPTIVE_XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<adaptive-icon xmlns:android="http://schemas.android.com/apk/res/android">
    <background android:drawable="@mipmap/ic_launcher_background" />
    <foreground android:drawable="@mipmap/ic_launcher_foreground" />
    <monochrome android:drawable="@mipmap/ic_launcher_monochrome" />
</adaptive-icon>
"#;

/// `app-icon/ios/AppIcon.appiconset/...`, `app-icon/android/...` and the desktop icons.
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
    let effort = ctx.config.build.png;
    let ios = ios_icons(&mut renderer, background, &palette, effort)?;
    for (i, mut artifact) in ios.into_iter().enumerate() {
        if i == 0 {
            artifact.warnings.extend(art.notes.iter().cloned());
        }
        ctx.emit(&mut out, artifact)?;
    }
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
        // Drawables at the same density: the status-bar notification icon (a white
        // silhouette, 24 dp) and the Android 12+ splash screen icon (288 dp, the logo
        // inside the 192 dp circle the system shows).
        let drawable = android.join(format!("drawable-{density}"));
        let dp = layer as f64 / 108.0;
        let side = (24.0 * dp).round() as u32;
        let mut notify = square_icon(&mut renderer, side, NOTIFY_FILL, None);
        let ink = ink::ink_plane(&notify, &palette);
        for (p, &a) in notify.pixels_mut().zip(&ink) {
            *p = Rgba([255, 255, 255, a]);
        }
        ctx.emit(&mut out, png(drawable.join("ic_stat_notify.png"), &notify)?)?;
        let side = (288.0 * dp).round() as u32;
        let splash = square_icon(&mut renderer, side, in_circle(side, SPLASH_SAFE), None);
        ctx.emit(&mut out, png(drawable.join("splash_icon.png"), &splash)?)?;
    }
    let play = square_icon(&mut renderer, 512, SQUARE_FILL, Some(background));
    let play = DynamicImage::ImageRgba8(play).to_rgb8();
    ctx.emit(
        &mut out,
        Artifact::png_rgb(android.join("play-store-512.png"), &play, effort)?,
    )?;
    for artifact in desktop_icons(&mut renderer, background, effort)? {
        ctx.emit(&mut out, artifact)?;
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

/// `ios/AppIcon.appiconset/`: the single-size 1024 px icon Xcode 14 and later take, in
/// three appearances, and the `Contents.json` naming them. The light icon is opaque RGB
/// (App Store Connect refuses an alpha channel); the dark one is the artwork on
/// transparency (iOS 18 puts it on its own dark background), in white when the artwork is
/// dark; the tinted one is the dark one in grey levels, which iOS tints.
fn ios_icons(
    renderer: &mut Renderer,
    background: crate::color::Rgb,
    palette: &[crate::color::Rgb],
    effort: crate::config::PngEffort,
) -> Result<Vec<Artifact>, String> {
    let dir = Path::new("app-icon/ios/AppIcon.appiconset");
    let light = square_icon(renderer, 1024, SQUARE_FILL, Some(background));
    let light = DynamicImage::ImageRgba8(light).to_rgb8();
    let mut dark = square_icon(renderer, 1024, SQUARE_FILL, None);
    if median_luma(&dark) < DARK_ARTWORK_LUMA {
        let ink = ink::ink_plane(&dark, palette);
        for (p, &a) in dark.pixels_mut().zip(&ink) {
            *p = Rgba([255, 255, 255, a]);
        }
    }
    let mut tinted = dark.clone();
    for p in tinted.pixels_mut() {
        let l = crate::color::luma([p[0], p[1], p[2]])
            .round()
            .clamp(0.0, 255.0) as u8;
        *p = Rgba([l, l, l, p[3]]);
    }
    let image = |name: &str, appearance: Option<&str>| {
        let mut entry = json!({
            "filename": name,
            "idiom": "universal",
            "platform": "ios",
            "size": "1024x1024",
        });
        if let Some(value) = appearance {
            entry["appearances"] = json!([{"appearance": "luminosity", "value": value}]);
        }
        entry
    };
    let contents = json!({
        "images": [
            image("AppIcon-1024.png", None),
            image("AppIcon-1024-dark.png", Some("dark")),
            image("AppIcon-1024-tinted.png", Some("tinted")),
        ],
        "info": {"author": "xcode", "version": 1},
    });
    Ok(vec![
        Artifact::png_rgb(dir.join("AppIcon-1024.png"), &light, effort)?,
        Artifact::png(dir.join("AppIcon-1024-dark.png"), &dark, effort)?,
        Artifact::png(dir.join("AppIcon-1024-tinted.png"), &tinted, effort)?,
        Artifact::text(
            dir.join("Contents.json"),
            "json",
            (0, 0),
            serde_json::to_string_pretty(&contents).expect("JSON values serialise") + "\n",
        ),
    ])
}

/// Median luma of the pixels at least half opaque (255 when there are none).
fn median_luma(img: &RgbaImage) -> f32 {
    let mut lumas: Vec<f32> = (img.pixels())
        .filter(|p| p[3] >= 128)
        .map(|p| crate::color::luma([p[0], p[1], p[2]]))
        .collect();
    if lumas.is_empty() {
        return 255.0;
    }
    let mid = lumas.len() / 2;
    *lumas.select_nth_unstable_by(mid, f32::total_cmp).1
}

/// `macos/icon.icns`, `windows/icon.ico` and `linux/<n>x<n>.png`.
fn desktop_icons(
    renderer: &mut Renderer,
    background: crate::color::Rgb,
    effort: crate::config::PngEffort,
) -> Result<Vec<Artifact>, String> {
    let root = Path::new("app-icon");
    let mut out = Vec::new();
    let mut family = icns::IconFamily::new();
    let mut toc = Vec::new();
    // Sizes come twice (32 px is 16@2x and 32): each is drawn once.
    let mut drawn: Vec<(u32, icns::Image)> = Vec::new();
    for (side, kind) in ICNS {
        if !drawn.iter().any(|(s, _)| *s == side) {
            let img = mac_icon(renderer, side, background);
            let icon = icns::Image::from_data(icns::PixelFormat::RGBA, side, side, img.into_raw())
                .map_err(|e| format!("cannot make the macOS icon: {e}"))?;
            drawn.push((side, icon));
        }
        let icon = &drawn
            .iter()
            .find(|(s, _)| *s == side)
            .expect("drawn above")
            .1;
        family
            .add_icon_with_type(icon, kind)
            .map_err(|e| format!("cannot encode the macOS icon: {e}"))?;
    }
    // The table of contents macOS reads first: each element's type and length.
    for element in &family.elements {
        toc.extend_from_slice(&element.ostype.0);
        toc.extend_from_slice(&element.total_length().to_be_bytes());
    }
    family
        .elements
        .insert(0, icns::IconElement::new(icns::OSType(*b"TOC "), toc));
    let mut icns_bytes = Vec::new();
    family
        .write(&mut icns_bytes)
        .map_err(|e| format!("cannot write the macOS icon: {e}"))?;
    out.push(Artifact {
        path: root.join("macos/icon.icns"),
        format: "icns",
        width: 1024,
        height: 1024,
        bytes: icns_bytes,
        warnings: Vec::new(),
    });

    out.push(ico_icon(
        renderer,
        root.join("windows/icon.ico"),
        &ICO_SIZES,
        DESKTOP_FILL,
    )?);
    for side in LINUX_SIZES {
        let img = square_icon(renderer, side, DESKTOP_FILL, None);
        out.push(Artifact::png(
            root.join(format!("linux/{side}x{side}.png")),
            &img,
            effort,
        )?);
    }
    Ok(out)
}

/// A macOS icon `side` pixels wide on Apple's grid (see [`MAC_BODY`]): the rounded
/// square of `background` with the logo in it, transparent around it.
fn mac_icon(renderer: &mut Renderer, side: u32, background: crate::color::Rgb) -> RgbaImage {
    let body = side as f64 * MAC_BODY;
    let mut img = square_icon(renderer, side, MAC_BODY * MAC_FILL, Some(background));
    let (c, half, r) = (side as f64 / 2.0, body / 2.0, body * MAC_RADIUS);
    clip(&mut img, |x, y| {
        let (dx, dy) = ((x - c).abs() - (half - r), (y - c).abs() - (half - r));
        let (ox, oy) = (dx.max(0.0), dy.max(0.0));
        dx.max(dy) <= r && ox * ox + oy * oy <= r * r
    });
    img
}

/// Make `img` transparent outside the convex shape `inside` says a point (x, y in
/// pixels) lies in, anti-aliased by 4x4 supersampling where the shape's edge crosses a
/// pixel (a pixel whose four corners are all in, or all out, is whole or empty).
fn clip(img: &mut RgbaImage, inside: impl Fn(f64, f64) -> bool) {
    let (w, h) = img.dimensions();
    let corners: Vec<bool> = (0..=h)
        .flat_map(|y| (0..=w).map(move |x| (x, y)))
        .map(|(x, y)| inside(x as f64, y as f64))
        .collect();
    let corner = |x: u32, y: u32| corners[(y * (w + 1) + x) as usize];
    for (x, y, p) in img.enumerate_pixels_mut() {
        let four = [
            corner(x, y),
            corner(x + 1, y),
            corner(x, y + 1),
            corner(x + 1, y + 1),
        ];
        let alpha = if four.iter().all(|&c| c) {
            255
        } else if four.iter().all(|&c| !c) {
            0
        } else {
            let mut hits = 0u32;
            for sy in 0..4 {
                for sx in 0..4 {
                    let at = |v: u32, s: u32| v as f64 + (s as f64 + 0.5) / 4.0;
                    hits += inside(at(x, sx), at(y, sy)) as u32;
                }
            }
            (hits * 255 / 16) as u8
        };
        p[3] = alpha.min(p[3]);
        if p[3] == 0 {
            *p = Rgba([0, 0, 0, 0]);
        }
    }
}

/// The legacy round launcher icon: a disc of `background` with the logo inside its circle,
/// transparent outside.
fn round(renderer: &mut Renderer, side: u32, background: crate::color::Rgb) -> RgbaImage {
    let fill =
        geometry::circle_safe_side(side, side) as f64 / side as f64 * ROUND_DISC * ROUND_SAFE;
    let mut img = square_icon(renderer, side, fill, Some(background));
    let (c, r) = (side as f64 / 2.0, side as f64 * ROUND_DISC / 2.0);
    clip(&mut img, |x, y| (x - c).powi(2) + (y - c).powi(2) <= r * r);
    img
}
