//! The variations: one closed enum, one table of facts, one module each.
//!
//! A variation is a pure function from a decoded [`Source`] to files in memory
//! ([`Artifact`]s). It never writes files, prints or reads the command line.

use std::path::PathBuf;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use image::{imageops, RgbaImage};

use crate::color::Rgb;
use crate::config::{Config, PngEffort};
use crate::geometry;
use crate::raster;
use crate::source::{Content, Renderer, Source};

pub mod app_icon;
pub mod cutline;
pub mod distressed;
pub mod favicon;
pub mod halftone;
pub mod ink;
pub mod mono;
pub mod palette;
pub mod print;
pub mod separations;
pub mod social;
pub mod transparent;
pub mod vector;

/// Every kind of output logoproc builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variation {
    /// Transparent PNG.
    Transparent,
    /// Vector SVG.
    Vector,
    /// Social-media images.
    Social,
    /// One-colour marks.
    Mono,
    /// Favicons and web app icons.
    Favicon,
    /// The brand palette.
    Palette,
    /// iOS and Android app icons.
    AppIcon,
    /// Vector PDF and EPS for print.
    Print,
    /// A worn, printed-on-fabric look.
    Distressed,
    /// An amplitude-modulated dot screen.
    Halftone,
    /// A contour cut line for stickers.
    Cutline,
    /// Films for screen printing.
    Separations,
}

/// What the table says about a variation.
#[derive(Debug)]
pub struct Facts {
    /// Name on the command line and in reports.
    pub name: &'static str,
    /// One line for `logoproc variations` and `--help`.
    pub description: &'static str,
    /// The files it writes, relative to `<out>/<stem>/`.
    pub files: &'static str,
    /// Expected milliseconds on one core for any input (orders jobs; see `benches/`).
    pub cost_ms_base: f64,
    /// Expected further milliseconds per megapixel of input on one core.
    pub cost_ms_per_mp: f64,
    /// Peak memory per megapixel of input, in bytes, beyond the shared source.
    pub memory_per_mp: u64,
    /// Peak memory independent of the input size, in bytes.
    pub memory_base: u64,
}

const MIB: u64 = 1024 * 1024;

/// The single table of facts, in the order variations are listed and built.
const TABLE: [(Variation, Facts); 12] = [
    (
        Variation::Transparent,
        Facts {
            name: "transparent",
            description: "the logo cut out of its background with soft edges, trimmed and padded",
            files: "transparent/<stem>.png, transparent/<stem>.webp",
            cost_ms_base: 2.0,
            cost_ms_per_mp: 40.0,
            memory_per_mp: 24 * MIB,
            memory_base: 4 * MIB,
        },
    ),
    (
        Variation::Vector,
        Facts {
            name: "vector",
            description: "vector traces of the transparent logo, full colour and one ink (an SVG input is cleaned instead)",
            files: "vector/<stem>.svg, vector/<stem>-mono.svg",
            cost_ms_base: 5.0,
            cost_ms_per_mp: 150.0,
            memory_per_mp: 40 * MIB,
            memory_base: 16 * MIB,
        },
    ),
    (
        Variation::Social,
        Facts {
            name: "social",
            description: "profile, cover and share images for each platform, logo in its safe zone",
            files: "social/<preset>.png",
            cost_ms_base: 250.0,
            cost_ms_per_mp: 20.0,
            memory_per_mp: 8 * MIB,
            memory_base: 64 * MIB,
        },
    ),
    (
        Variation::Mono,
        Facts {
            name: "mono",
            description: "one-colour marks keeping the transparency: black, white (for dark backgrounds), grey, and one-ink SVGs",
            files: "mono/<stem>-{black,white,grayscale}.png, mono/<stem>-{black,white}.svg",
            cost_ms_base: 10.0,
            cost_ms_per_mp: 200.0,
            memory_per_mp: 32 * MIB,
            memory_base: 8 * MIB,
        },
    ),
    (
        Variation::Favicon,
        Facts {
            name: "favicon",
            description: "favicon.ico (16, 32, 48), favicon.svg, browser, Apple touch and web app icons (plain and maskable), site.webmanifest and head.html",
            files: "favicon/{favicon.ico,favicon.svg,favicon-96x96.png,apple-touch-icon.png,icon-192.png,icon-512.png,icon-maskable-192.png,icon-maskable-512.png,site.webmanifest,head.html}",
            cost_ms_base: 80.0,
            cost_ms_per_mp: 120.0,
            memory_per_mp: 40 * MIB,
            memory_base: 16 * MIB,
        },
    ),
    (
        Variation::Palette,
        Facts {
            name: "palette",
            description: "the logo's brand colours by area: JSON (hex, RGB, CMYK, share), CSS custom properties and a labelled swatch sheet",
            files: "palette/palette.json, palette/palette.css, palette/palette.png",
            cost_ms_base: 3.0,
            cost_ms_per_mp: 10.0,
            memory_per_mp: 4 * MIB,
            memory_base: 2 * MIB,
        },
    ),
    (
        Variation::AppIcon,
        Facts {
            name: "app-icon",
            description: "iOS asset catalog (App Store icon without alpha, dark and tinted), Android adaptive icon layers (foreground, background, monochrome), legacy square and round launcher icons, adaptive-icon XML, notification and splash screen icons and Play Store icon, macOS .icns, Windows .ico and Linux PNGs",
            files: "app-icon/ios/AppIcon.appiconset/{AppIcon-1024,AppIcon-1024-dark,AppIcon-1024-tinted}.png, app-icon/ios/AppIcon.appiconset/Contents.json, app-icon/android/mipmap-{mdpi,hdpi,xhdpi,xxhdpi,xxxhdpi}/ic_launcher{,_round,_foreground,_background,_monochrome}.png, app-icon/android/mipmap-anydpi-v26/ic_launcher{,_round}.xml, app-icon/android/drawable-{mdpi,hdpi,xhdpi,xxhdpi,xxxhdpi}/{ic_stat_notify,splash_icon}.png, app-icon/android/play-store-512.png, app-icon/macos/icon.icns, app-icon/windows/icon.ico, app-icon/linux/{16,24,32,48,64,128,256,512}x*.png",
            cost_ms_base: 140.0,
            cost_ms_per_mp: 80.0,
            memory_per_mp: 16 * MIB,
            memory_base: 16 * MIB,
        },
    ),
    (
        Variation::Print,
        Facts {
            name: "print",
            description: "true vector PDF and EPS of the full-colour logo and its one-ink mark, page = the artwork's exact bounds at [print] width_in (default 10 in)",
            files: "print/<stem>.pdf, print/<stem>.eps, print/<stem>-mono.pdf, print/<stem>-mono.eps",
            cost_ms_base: 10.0,
            cost_ms_per_mp: 170.0,
            memory_per_mp: 40 * MIB,
            memory_base: 16 * MIB,
        },
    ),
    (
        Variation::Distressed,
        Facts {
            name: "distressed",
            description: "the transparent logo worn as if printed on fabric: noise, speckle and scratches taken out of its alpha, from [distressed] strength and seed",
            files: "distressed/<stem>.png",
            cost_ms_base: 2.0,
            cost_ms_per_mp: 120.0,
            memory_per_mp: 8 * MIB,
            memory_base: 2 * MIB,
        },
    ),
    (
        Variation::Halftone,
        Facts {
            name: "halftone",
            description: "an amplitude-modulated dot screen of the logo ([halftone] lpi, angle, round/square/line dots, one ink or colour) as vector dots clipped to the logo, and a PNG of them",
            files: "halftone/<stem>.svg, halftone/<stem>.png",
            cost_ms_base: 40.0,
            cost_ms_per_mp: 200.0,
            memory_per_mp: 40 * MIB,
            memory_base: 64 * MIB,
        },
    ),
    (
        Variation::Cutline,
        Facts {
            name: "cutline",
            description: "a contour cut line for stickers at [cutline] offset_in around the logo (closed, fitted curves, gaps bridged): SVG with a CutContour group, PDF with a CutContour spot stroke, and a preview PNG",
            files: "cutline/<stem>-cutline.svg, cutline/<stem>-cutline.pdf, cutline/<stem>-with-cutline.png",
            cost_ms_base: 40.0,
            cost_ms_per_mp: 400.0,
            memory_per_mp: 160 * MIB,
            memory_base: 32 * MIB,
        },
    ),
    (
        Variation::Separations,
        Facts {
            name: "separations",
            description: "films for screen printing on one artboard with registration marks: a spot film per flat colour (up to [separations] max_inks) or CMYK process screens, as PNG, SVG and PDF, with composite.png and inks.json",
            files: "separations/ink<N>-<HEX>-C<c>M<m>Y<y>K<k>.{png,svg,pdf} or separations/process-{cyan,magenta,yellow,black}.png, separations/composite.png, separations/inks.json",
            cost_ms_base: 200.0,
            cost_ms_per_mp: 150.0,
            memory_per_mp: 40 * MIB,
            // Beyond the films (`separations::film_memory`): the process screens' fixed
            // share (heaptrack on corpus dart, 512 px: about 150 MB at 150 and 300 dpi).
            memory_base: 160 * MIB,
        },
    ),
];

impl Variation {
    /// Every variation, in table order.
    pub const ALL: [Variation; 12] = [
        Variation::Transparent,
        Variation::Vector,
        Variation::Social,
        Variation::Mono,
        Variation::Favicon,
        Variation::Palette,
        Variation::AppIcon,
        Variation::Print,
        Variation::Distressed,
        Variation::Halftone,
        Variation::Cutline,
        Variation::Separations,
    ];

    /// This variation's facts.
    pub fn facts(self) -> &'static Facts {
        &TABLE
            .iter()
            .find(|(v, _)| *v == self)
            .expect("every variation is in the table")
            .1
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// Look a variation up by name.
    pub fn from_name(name: &str) -> Option<Variation> {
        Variation::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Expected milliseconds on one core and peak memory in bytes for an input whose
    /// master has `pixels` pixels. An SVG input is not traced, so its vector job costs
    /// only the base. Separations add their films, whose size comes from the config and
    /// the logo's height over width, `aspect`.
    pub fn estimate(self, pixels: u64, is_svg: bool, aspect: f64, config: &Config) -> (f64, u64) {
        let f = self.facts();
        let mp = pixels as f64 / 1e6;
        let per_mp = if self.works_on_master(is_svg) {
            f.cost_ms_per_mp
        } else {
            0.0
        };
        let mut memory = f.memory_base + (f.memory_per_mp as f64 * mp) as u64;
        if self == Variation::Separations {
            memory += separations::film_memory(config, aspect);
        }
        (f.cost_ms_base + per_mp * mp, memory)
    }

    /// Whether this variation starts from the transparent master of `source` (all do,
    /// except the vector copy of an SVG input).
    pub fn needs_master(self, source: &Source) -> bool {
        self.works_on_master(matches!(source.content, crate::source::Content::Svg(_)))
    }

    /// Whether it makes square outputs from the logo's square artwork (see
    /// [`Source::square_art`]) with `config`: favicons, app icons, and the social images
    /// when a square one is selected.
    pub fn uses_square_art(self, config: &Config) -> bool {
        match self {
            Variation::Favicon | Variation::AppIcon => true,
            Variation::Social => social::selects_square(&config.social),
            _ => false,
        }
    }

    /// The one rule behind [`Self::needs_master`] and [`Self::estimate`]: an SVG input's
    /// vector output is a cleaned copy, not a trace of the master.
    fn works_on_master(self, is_svg: bool) -> bool {
        !(is_svg && self == Variation::Vector)
    }

    /// Build this variation's files for `source`.
    pub fn render(self, source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
        match self {
            Variation::Transparent => transparent::render(source, ctx),
            Variation::Vector => vector::render(source, ctx),
            Variation::Social => social::render(source, ctx),
            Variation::Mono => mono::render(source, ctx),
            Variation::Favicon => favicon::render(source, ctx),
            Variation::Palette => palette::render(source, ctx),
            Variation::AppIcon => app_icon::render(source, ctx),
            Variation::Print => print::render(source, ctx),
            Variation::Distressed => distressed::render(source, ctx),
            Variation::Halftone => halftone::render(source, ctx),
            Variation::Cutline => cutline::render(source, ctx),
            Variation::Separations => separations::render(source, ctx),
        }
    }
}

impl std::fmt::Display for Variation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Side under which raster logos are sharpened after the downscale in [`square_icon`].
const SHARPEN_BELOW: u32 = 64;

/// A `side` x `side` icon: the logo fitted into `fill` of the side, centred, on
/// `background` (opaque) or transparent. SVG logos are rendered at the size; raster logos
/// are resized and, under [`SHARPEN_BELOW`] px, lightly sharpened so small sizes stay legible.
pub fn square_icon(
    renderer: &mut Renderer,
    side: u32,
    fill: f64,
    background: Option<Rgb>,
) -> RgbaImage {
    let room = ((side as f64 * fill).floor() as u32).max(1);
    let size = geometry::fit(renderer.master().image.dimensions(), (room, room));
    let mut logo = renderer.render(size.0, size.1);
    if side < SHARPEN_BELOW && matches!(renderer.source().content, Content::Raster { .. }) {
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

/// An ICO file at `path` with a transparent [`square_icon`] layer for each of `sides`
/// (the logo taking `fill` of the side), each stored as PNG.
pub fn ico_icon(
    renderer: &mut Renderer,
    path: PathBuf,
    sides: &[u32],
    fill: f64,
) -> Result<Artifact, String> {
    use image::codecs::ico::{IcoEncoder, IcoFrame};
    let mut frames = Vec::new();
    for &side in sides {
        let img = square_icon(renderer, side, fill, None);
        frames.push(
            IcoFrame::as_png(img.as_raw(), side, side, image::ExtendedColorType::Rgba8)
                .map_err(|e| format!("cannot encode an ICO layer: {e}"))?,
        );
    }
    let mut bytes = Vec::new();
    IcoEncoder::new(&mut bytes)
        .encode_images(&frames)
        .map_err(|e| format!("cannot encode {}: {e}", path.display()))?;
    let largest = sides.iter().copied().max().unwrap_or(0);
    Ok(Artifact {
        path,
        format: "ico",
        width: largest,
        height: largest,
        bytes,
        warnings: Vec::new(),
    })
}

/// What a variation may know while it runs.
pub struct Context<'a> {
    /// The run's configuration.
    pub config: &'a Config,
    /// The file stem used to name outputs.
    pub stem: &'a str,
    /// When the job's time is up; long steps stop at this point.
    pub deadline: Instant,
    /// Where each finished file goes as soon as it is built (a run writes it to disk
    /// under a temporary name at once), so that a variation of many files that emits them
    /// holds one at a time; `None` keeps them for `render` to return. See
    /// [`Context::emit`].
    pub sink: Option<Sink<'a>>,
}

/// Takes a finished file off a variation's hands; errors say why it could not be kept.
pub type Sink<'a> = &'a (dyn Fn(Artifact) -> Result<(), String> + Sync);

impl Context<'_> {
    /// Hand `artifact` to the sink, or, without one, add it to `out` (what `render`
    /// returns). Variations emit their files in the order they are listed in the report.
    pub fn emit(&self, out: &mut Vec<Artifact>, artifact: Artifact) -> Result<(), String> {
        match self.sink {
            Some(sink) => sink(artifact),
            None => {
                out.push(artifact);
                Ok(())
            }
        }
    }
}

/// A file built in memory, not yet written.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// Path relative to `<out>/<stem>/`.
    pub path: PathBuf,
    /// `png`, `webp`, `svg`, `ico`, `json`, `css`, `html`, `xml`, `pdf` or `eps`.
    pub format: &'static str,
    /// Pixel width (for SVG: the width attribute).
    pub width: u32,
    /// Pixel height (for SVG: the height attribute).
    pub height: u32,
    /// The encoded file.
    pub bytes: Vec<u8>,
    /// Warnings to surface in the report.
    pub warnings: Vec<String>,
}

impl Artifact {
    /// A straight-alpha RGBA image encoded as PNG at `path`.
    pub fn png(path: PathBuf, img: &RgbaImage, effort: PngEffort) -> Result<Artifact, String> {
        Ok(Artifact {
            path,
            format: "png",
            width: img.width(),
            height: img.height(),
            bytes: crate::output::encode_png_rgba(img, effort)?,
            warnings: Vec::new(),
        })
    }

    /// An opaque RGB image encoded as PNG (no alpha channel) at `path`.
    pub fn png_rgb(
        path: PathBuf,
        img: &image::RgbImage,
        effort: PngEffort,
    ) -> Result<Artifact, String> {
        Ok(Artifact {
            path,
            format: "png",
            width: img.width(),
            height: img.height(),
            bytes: crate::output::encode_png_rgb(img, effort)?,
            warnings: Vec::new(),
        })
    }

    /// A text file (SVG, JSON, HTML, XML...) of `format` at `path`, `width` x `height`
    /// where it has a size (0 x 0 otherwise).
    pub fn text(
        path: PathBuf,
        format: &'static str,
        (width, height): (u32, u32),
        body: String,
    ) -> Artifact {
        Artifact {
            path,
            format,
            width,
            height,
            bytes: body.into_bytes(),
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_every_variation_once() {
        for v in Variation::ALL {
            assert_eq!(TABLE.iter().filter(|(t, _)| *t == v).count(), 1);
            assert_eq!(Variation::from_name(v.name()), Some(v));
        }
        assert_eq!(TABLE.len(), Variation::ALL.len());
        assert_eq!(Variation::from_name("nope"), None);
    }

    #[test]
    fn serde_names_match_table_names() {
        for v in Variation::ALL {
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.name())
            );
        }
    }
}
