//! Social-media images: the logo fitted into each platform's safe zone on a flat canvas.
//! The presets are data, in `presets/social.toml`.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::color::Rgb;
use crate::geometry;
use crate::output;
use crate::raster;
use crate::source::Source;
use crate::variation::{Artifact, Context};

/// One platform's image.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// File name (without `.png`) and the name in `[social] presets`.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Width of the centred box the logo must stay inside.
    pub safe_width: u32,
    /// Height of the centred box the logo must stay inside.
    pub safe_height: u32,
    /// Whether the platform crops to a circle.
    #[serde(default)]
    pub circle: bool,
}

impl Preset {
    /// The box, centred on the canvas, that the logo is fitted into.
    pub fn logo_box(&self) -> (u32, u32) {
        if self.circle {
            let side = geometry::circle_safe_side(self.safe_width, self.safe_height);
            (side, side)
        } else {
            (self.safe_width, self.safe_height)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    preset: Vec<Preset>,
}

/// Every preset, in file order.
pub fn presets() -> &'static [Preset] {
    static PRESETS: OnceLock<Vec<Preset>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        toml::from_str::<PresetFile>(include_str!("../../presets/social.toml"))
            .expect("presets/social.toml is valid (checked by a unit test)")
            .preset
    })
}

/// The presets selected by `[social] presets` (all when empty).
pub fn selected<'a>(names: &[String]) -> Vec<&'a Preset> {
    presets()
        .iter()
        .filter(|p| names.is_empty() || names.contains(&p.name))
        .collect()
}

/// `social/<preset>.png` for each selected preset.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let master = source.master(ctx.config)?;
    let background = match ctx.config.social.background.as_str() {
        "auto" => master.auto_background(),
        hex => Rgb::parse_hex(hex).ok_or("social.background is not a colour")?,
    };
    let mut out = Vec::new();
    for preset in selected(&ctx.config.social.presets) {
        if std::time::Instant::now() >= ctx.deadline {
            return Err("timed out while building the social images".into());
        }
        let size = geometry::fit(master.image.dimensions(), preset.logo_box());
        let logo = source.render_content(&master, size.0, size.1);
        let place = geometry::centre(size, (preset.width, preset.height));
        let mut canvas = raster::canvas(preset.width, preset.height, background);
        raster::composite(&mut canvas, &logo, place.x, place.y);
        out.push(Artifact {
            path: PathBuf::from("social").join(format!("{}.png", preset.name)),
            format: "png",
            width: preset.width,
            height: preset.height,
            bytes: output::encode_png_rgb(&canvas)?,
            warnings: Vec::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset_table_is_valid_and_complete() {
        let names: Vec<&str> = presets().iter().map(|p| p.name.as_str()).collect();
        for required in [
            "og",
            "x-avatar",
            "x-header",
            "linkedin-banner",
            "facebook-cover",
            "instagram-avatar",
            "youtube-avatar",
            "youtube-banner",
        ] {
            assert!(names.contains(&required), "missing {required}");
        }
        for p in presets() {
            assert!(
                p.safe_width <= p.width && p.safe_height <= p.height,
                "{}",
                p.name
            );
            assert!(!p.description.is_empty());
        }
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn known_sizes() {
        let get = |n: &str| presets().iter().find(|p| p.name == n).unwrap();
        assert_eq!((get("og").width, get("og").height), (1200, 630));
        assert_eq!(get("youtube-banner").logo_box(), (1546, 423));
        assert!(get("x-avatar").circle);
        assert_eq!(get("x-avatar").logo_box(), (282, 282));
    }

    #[test]
    fn selection_filters_by_name() {
        assert_eq!(selected(&[]).len(), presets().len());
        let one = selected(&["og".to_string()]);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].name, "og");
    }
}
