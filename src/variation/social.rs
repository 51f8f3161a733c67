//! Social-media images: the logo fitted into each platform's safe box on a canvas. The
//! presets are data, in `presets/social.toml`; a config adds or overrides presets with
//! `[[social.preset]]` tables of the same form.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::color::Rgb;
use crate::config::SocialConfig;
use crate::geometry::{self, Rect};
use crate::output;
use crate::raster;
use crate::source::Source;
use crate::variation::{Artifact, Context};

/// The preset families, which `[social] backgrounds` sets a canvas for.
pub const FAMILIES: [&str; 4] = ["avatar", "banner", "share", "post"];

/// One platform's image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// File name (without `.png`) and the name in `[social] presets`.
    pub name: String,
    /// What it is for, and where the logo must sit.
    pub description: String,
    /// Where the numbers come from (one line).
    pub source: String,
    /// The date the numbers were last compared with the source.
    pub checked: String,
    /// One of [`FAMILIES`].
    pub family: String,
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// `[x, y, width, height]` of the box the logo stays inside.
    pub safe: [u32; 4],
    /// Whether the platform crops the image to a circle (the safe box lies inside it).
    #[serde(default)]
    pub circle: bool,
    /// Largest logo `[width, height]` (0: no limit).
    #[serde(default)]
    pub max_logo: [u32; 2],
    /// Built only when named in `[social] presets`.
    #[serde(default)]
    pub opt_in: bool,
    /// The platform keeps a transparent background.
    #[serde(default)]
    pub transparency: bool,
}

impl Preset {
    /// Whether the image is square (an avatar, a company logo): it shows the logo's
    /// square artwork (see [`Source::square_art`]).
    pub fn is_square(&self) -> bool {
        self.width == self.height
    }

    /// The safe box.
    pub fn safe_rect(&self) -> Rect {
        let [x, y, width, height] = self.safe;
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// The safe box kept clear of the canvas edges (see [`EDGE_MARGIN`]): where the logo
    /// may lie.
    pub fn logo_box(&self) -> Rect {
        let safe = self.safe_rect();
        let short = self.width.min(self.height) as f64;
        let banner = self.width.max(self.height) as f64 >= BANNER_ASPECT * short;
        let share = if banner { BANNER_MARGIN } else { EDGE_MARGIN };
        let m = (short * share).ceil() as u32;
        let x0 = safe.x.max(m);
        let y0 = safe.y.max(m);
        let x1 = (safe.x + safe.width).min(self.width.saturating_sub(m));
        let y1 = (safe.y + safe.height).min(self.height.saturating_sub(m));
        if x1 <= x0 || y1 <= y0 {
            return safe;
        }
        Rect {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
        }
    }

    /// Where a logo of size `content` goes: fitted into [`Preset::logo_box`] (and
    /// `max_logo`), centred on it. Wide wordmarks are fitted, never cropped.
    pub fn logo_rect(&self, content: (u32, u32)) -> Rect {
        let safe = self.logo_box();
        let limit = |side: u32, max: u32| if max == 0 { side } else { side.min(max) };
        let bounds = (
            limit(safe.width, self.max_logo[0]),
            limit(safe.height, self.max_logo[1]),
        );
        let size = geometry::fit(content, bounds);
        let inner = geometry::centre(size, (safe.width, safe.height));
        Rect {
            x: safe.x + inner.x,
            y: safe.y + inner.y,
            ..inner
        }
    }

    /// Why this preset cannot be used, if it cannot.
    pub fn problem(&self) -> Option<String> {
        let [x, y, w, h] = self.safe;
        let bad = |why: String| Some(format!("preset \"{}\": {why}", self.name));
        if self.name.is_empty()
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return bad("name must be letters, digits, '-' or '_'".into());
        }
        if self.width == 0 || self.height == 0 || self.width > 8192 || self.height > 8192 {
            return bad("canvas must be 1 to 8192 px on each side".into());
        }
        if w == 0 || h == 0 || x + w > self.width || y + h > self.height {
            return bad(format!(
                "safe box {:?} must be non-empty and inside the {}x{} canvas",
                self.safe, self.width, self.height
            ));
        }
        if !FAMILIES.contains(&self.family.as_str()) {
            return bad(format!("family must be one of {}", FAMILIES.join(", ")));
        }
        None
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    preset: Vec<Preset>,
}

/// The built-in presets, in file order.
pub fn presets() -> &'static [Preset] {
    static PRESETS: OnceLock<Vec<Preset>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        toml::from_str::<PresetFile>(include_str!("../../presets/social.toml"))
            .expect("presets/social.toml is valid (checked by a unit test)")
            .preset
    })
}

/// The built-in presets with the config's added, or put in place of those of the same
/// name.
pub fn all(config: &SocialConfig) -> Vec<Preset> {
    let mut out = presets().to_vec();
    for p in &config.preset {
        match out.iter_mut().find(|q| q.name == p.name) {
            Some(q) => *q = p.clone(),
            None => out.push(p.clone()),
        }
    }
    out
}

/// The presets to build: those named in `[social] presets`, or when none are named every
/// preset that is not opt-in.
pub fn selected(config: &SocialConfig) -> Vec<Preset> {
    all(config)
        .into_iter()
        .filter(|p| {
            if config.presets.is_empty() {
                !p.opt_in
            } else {
                config.presets.contains(&p.name)
            }
        })
        .collect()
}

/// Least distance between the logo and a canvas edge, as a share of the canvas's shorter
/// side: the safe boxes of banners run to the edge, and a logo flush with the edge looks
/// cut off where the platform shows the whole canvas.
pub const EDGE_MARGIN: f64 = 0.06;
/// The same for banners (long side at least [`BANNER_ASPECT`] times the short one), which
/// platforms show small, under the page's own chrome.
pub const BANNER_MARGIN: f64 = 0.1;
pub const BANNER_ASPECT: f64 = 2.5;

/// Whether the configuration selects a square image (see [`Preset::is_square`]).
pub fn selects_square(config: &SocialConfig) -> bool {
    selected(config).iter().any(Preset::is_square)
}

/// What goes behind the logo.
enum Canvas {
    Colour(Rgb),
    Transparent,
}

/// `social/<preset>.png` for each selected preset. Square images (avatars) show the
/// logo's square artwork (see [`Source::square_art`]), the others the whole logo.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let social = &ctx.config.social;
    let presets = selected(social);
    let art = match presets.iter().any(Preset::is_square) {
        true => Some(source.square_art(ctx.config)?),
        false => None,
    };
    let mut art_notes = art.as_ref().map(|a| a.notes.clone());
    let mut out = Vec::new();
    let mut whole = source.renderer(&master);
    let mut squared = art.as_ref().map(|a| a.source.renderer(&a.master));
    for preset in presets {
        if std::time::Instant::now() >= ctx.deadline {
            return Err("timed out while building the social images".into());
        }
        let choice = social
            .backgrounds
            .get(&preset.family)
            .unwrap_or(&social.background);
        let mut warnings = Vec::new();
        let canvas = match choice.as_str() {
            "transparent" if preset.transparency => Canvas::Transparent,
            "transparent" => {
                warnings.push(format!(
                    "{}: the platform does not keep transparency; used the automatic background",
                    preset.name
                ));
                Canvas::Colour(master.auto_background())
            }
            "auto" => Canvas::Colour(master.auto_background()),
            hex => Canvas::Colour(Rgb::parse_hex(hex).ok_or("social background is not a colour")?),
        };
        let renderer = match (&mut squared, preset.is_square()) {
            (Some(squared), true) => {
                warnings.extend(art_notes.take().into_iter().flatten());
                squared
            }
            _ => &mut whole,
        };
        let place = preset.logo_rect(renderer.master().image.dimensions());
        // The canvas is never whole: each row is composed as the encoder takes it. A raster
        // logo is resized a band of rows at a time; an SVG logo is rendered whole.
        let mut logo = renderer.rows(place.width, place.height);
        let logo_row = |y: u32| y.checked_sub(place.y).filter(|&iy| iy < place.height);
        let at = place.x as usize;
        let (dims, effort) = ((preset.width, preset.height), ctx.config.build.png);
        let bytes = match canvas {
            Canvas::Colour(bg) => {
                output::encode_png_rows(dims, png::ColorType::Rgb, effort, |y, row| {
                    for p in row.chunks_exact_mut(3) {
                        p.copy_from_slice(&bg.0);
                    }
                    if let (Some(iy), Some(dst)) = (logo_row(y), row.get_mut(at * 3..)) {
                        raster::over_row(dst, logo.row(iy));
                    }
                })?
            }
            Canvas::Transparent => {
                output::encode_png_rows(dims, png::ColorType::Rgba, effort, |y, row| {
                    row.fill(0);
                    if let (Some(iy), Some(dst)) = (logo_row(y), row.get_mut(at * 4..)) {
                        let src = logo.row(iy);
                        let n = src.len().min(dst.len());
                        dst[..n].copy_from_slice(&src[..n]);
                    }
                })?
            }
        };
        let artifact = Artifact {
            path: PathBuf::from("social").join(format!("{}.png", preset.name)),
            format: "png",
            width: preset.width,
            height: preset.height,
            bytes,
            warnings,
        };
        ctx.emit(&mut out, artifact)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_image_goes_to_the_sink_as_it_is_made_and_a_sink_error_stops_the_rest() {
        let mut config = crate::Config::default();
        config.social.presets = vec!["x-avatar".into(), "og".into()];
        let logo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mark.svg");
        let source = Source::load(&logo, &config).unwrap();
        let context = |sink| Context {
            config: &config,
            stem: "mark",
            deadline: std::time::Instant::now() + std::time::Duration::from_secs(600),
            sink,
        };
        let kept = render(&source, &context(None)).unwrap();
        let taken = std::sync::Mutex::new(Vec::new());
        let sink = |a: Artifact| {
            taken.lock().unwrap().push(a);
            Ok(())
        };
        assert!(render(&source, &context(Some(&sink))).unwrap().is_empty());
        let taken = std::mem::take(&mut *taken.lock().unwrap());
        let names = |v: &[Artifact]| -> Vec<(PathBuf, Vec<u8>)> {
            v.iter()
                .map(|a| (a.path.clone(), a.bytes.clone()))
                .collect()
        };
        assert_eq!(names(&taken), names(&kept));
        assert_eq!(taken[0].path, PathBuf::from("social/og.png"));
        assert_eq!(taken.len(), 2);
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let full = |_: Artifact| {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Err("disk full".to_string())
        };
        let err = render(&source, &context(Some(&full))).unwrap_err();
        assert_eq!(err, "disk full");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn preset_table_is_valid_and_complete() {
        let names: Vec<&str> = presets().iter().map(|p| p.name.as_str()).collect();
        // The default set and opt-in set.
        for required in [
            "og",
            "github-social",
            "x-avatar",
            "linkedin-avatar",
            "tiktok-avatar",
            "pinterest-avatar",
            "x-header",
            "facebook-avatar",
            "instagram-avatar",
            "threads-avatar",
            "facebook-cover",
            "instagram-post",
            "linkedin-banner",
            "linkedin-company-logo",
            "linkedin-company-cover",
            "youtube-avatar",
            "youtube-banner",
            "bluesky-avatar",
            "bluesky-banner",
            "mastodon-avatar",
            "mastodon-header",
            "discord-icon",
            "discord-banner",
            "twitch-avatar",
            "twitch-banner",
            "whatsapp-avatar",
        ] {
            let p = presets().iter().find(|p| p.name == required);
            assert!(p.is_some_and(|p| !p.opt_in), "missing default {required}");
        }
        for opt_in in [
            "story",
            "instagram-square",
            "pinterest-pin",
            "youtube-thumbnail",
            "email-header",
        ] {
            let p = presets().iter().find(|p| p.name == opt_in);
            assert!(p.is_some_and(|p| p.opt_in), "missing opt-in {opt_in}");
        }
        for p in presets() {
            assert_eq!(p.problem(), None);
            assert!(!p.description.is_empty() && !p.source.is_empty());
            assert_eq!(p.checked.len(), 10, "{}: checked is a date", p.name);
            if p.circle {
                // Every corner of the safe box lies inside the crop circle.
                let [x, y, w, h] = p.safe.map(|v| v as f64);
                let (cx, cy) = (p.width as f64 / 2.0, p.height as f64 / 2.0);
                let r = p.width.min(p.height) as f64 / 2.0;
                for (px, py) in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] {
                    assert!(((px - cx).powi(2) + (py - cy).powi(2)).sqrt() <= r + 0.5);
                }
            }
        }
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn logo_is_fitted_centred_and_limited() {
        let get = |n: &str| presets().iter().find(|p| p.name == n).unwrap();
        // A wide wordmark in a square avatar is fitted to the width, never cropped.
        let r = get("x-avatar").logo_rect((1000, 250));
        assert_eq!((r.x, r.width, r.height), (72, 256, 64));
        assert_eq!(r.y, 72 + (256 - 64) / 2);
        // Instagram posts: at most 60% of the width.
        assert_eq!(get("instagram-post").logo_rect((500, 100)).width, 648);
        // LinkedIn company cover: at most 115 px high.
        assert_eq!(
            get("linkedin-company-cover").logo_rect((100, 100)).height,
            115
        );
    }

    #[test]
    fn selection_skips_opt_in_unless_named_and_config_overrides() {
        let mut config = SocialConfig::default();
        let all_default = selected(&config);
        assert!(all_default.iter().all(|p| !p.opt_in));
        assert_eq!(
            all_default.len(),
            presets().iter().filter(|p| !p.opt_in).count()
        );
        config.presets = vec!["story".into(), "og".into()];
        let names: Vec<String> = selected(&config).into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["og", "story"]);
        let mut mine = presets()[0].clone();
        mine.width = 1300;
        mine.safe = [0, 0, 1300, 630];
        let mut extra = mine.clone();
        extra.name = "intranet".into();
        config.preset = vec![mine, extra];
        config.presets = Vec::new();
        let all = all(&config);
        assert_eq!(all.iter().find(|p| p.name == "og").unwrap().width, 1300);
        assert!(all.iter().any(|p| p.name == "intranet"));
    }
}
