//! `logoproc check`: a built kit checked the way stores and browsers will take it: ICO
//! sizes, the alpha rules of store icons, the web manifest's fields and the files it
//! names, the links of `head.html`, the iOS asset catalog, and the safe zones of
//! maskable and adaptive icons.

use std::path::{Path, PathBuf};

use image::RgbaImage;
use serde::Serialize;

/// Layers `favicon.ico` must hold.
const FAVICON_ICO: [u32; 3] = [16, 32, 48];
/// Layers the Windows `icon.ico` must hold.
const WINDOWS_ICO: [u32; 6] = [16, 24, 32, 48, 64, 256];
/// Fields every web manifest must have.
const MANIFEST_FIELDS: [&str; 9] = [
    "id",
    "name",
    "short_name",
    "start_url",
    "scope",
    "display",
    "theme_color",
    "background_color",
    "icons",
];
/// The diameter, as a share of the side, of the circle a maskable icon's content must
/// stay inside (the W3C safe zone), and of an adaptive icon's (66 of 108 dp).
const MASKABLE_SAFE: f64 = 0.8;
const ADAPTIVE_SAFE: f64 = 66.0 / 108.0;
/// The circle an Android 12+ splash screen icon shows: 192 of its 288 dp.
const SPLASH_SAFE: f64 = 192.0 / 288.0;
/// Alpha under which a pixel outside a safe circle does not count as content.
const FAINT: u8 = 8;

/// What a check found in one folder.
#[derive(Debug, Default, Serialize)]
pub struct Findings {
    /// The logo folders checked.
    pub logos: Vec<PathBuf>,
    /// Files looked at.
    pub checked: usize,
    /// One line each: the file and what is wrong with it.
    pub problems: Vec<String>,
}

/// Check the kit in `folder`: a logo's output folder (holding `favicon/` or `app-icon/`),
/// or an output folder holding such logo folders.
pub fn check(folder: &Path) -> Result<Findings, String> {
    if !folder.is_dir() {
        return Err(format!("{}: not a folder", folder.display()));
    }
    let is_logo = |d: &Path| d.join("favicon").is_dir() || d.join("app-icon").is_dir();
    let mut logos = Vec::new();
    if is_logo(folder) {
        logos.push(folder.to_path_buf());
    } else {
        let entries =
            std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir() && is_logo(p))
            .collect();
        found.sort();
        logos = found;
    }
    if logos.is_empty() {
        return Err(format!(
            "{}: no favicon/ or app-icon/ folder to check (give a logo's output folder or the output folder)",
            folder.display()
        ));
    }
    let mut findings = Findings::default();
    for logo in &logos {
        let mut c = Checker {
            findings: &mut findings,
        };
        if logo.join("favicon").is_dir() {
            c.favicon(&logo.join("favicon"));
        }
        if logo.join("app-icon").is_dir() {
            c.app_icon(&logo.join("app-icon"));
        }
    }
    findings.logos = logos;
    Ok(findings)
}

impl Findings {
    /// The report as text: one line per problem, then a summary.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for p in &self.problems {
            s.push_str(&format!("problem: {p}\n"));
        }
        s.push_str(&format!(
            "{} logo(s), {} files checked, {} problem(s)\n",
            self.logos.len(),
            self.checked,
            self.problems.len()
        ));
        s
    }
}

struct Checker<'a> {
    findings: &'a mut Findings,
}

impl Checker<'_> {
    fn problem(&mut self, path: &Path, what: impl std::fmt::Display) {
        self.findings
            .problems
            .push(format!("{}: {what}", path.display()));
    }

    /// The image at `path`, or a problem.
    fn image(&mut self, path: &Path) -> Option<image::DynamicImage> {
        self.findings.checked += 1;
        match image::open(path) {
            Ok(img) => Some(img),
            Err(_) if !path.exists() => {
                self.problem(path, "missing");
                None
            }
            Err(e) => {
                self.problem(path, format!("cannot be read: {e}"));
                None
            }
        }
    }

    /// The image at `path` if it is `side` pixels square.
    fn square(&mut self, path: &Path, side: u32) -> Option<image::DynamicImage> {
        let img = self.image(path)?;
        if (img.width(), img.height()) != (side, side) {
            self.problem(
                path,
                format!("is {}x{}, not {side}x{side}", img.width(), img.height()),
            );
        }
        Some(img)
    }

    /// An ICO at `path` holding at least the layers `sides`, each decodable.
    fn ico(&mut self, path: &Path, sides: &[u32]) {
        self.findings.checked += 1;
        let Ok(bytes) = std::fs::read(path) else {
            return self.problem(path, "missing");
        };
        let Some(layers) = ico_layers(&bytes) else {
            return self.problem(path, "not a valid ICO file");
        };
        for side in sides {
            if !layers.contains(side) {
                self.problem(path, format!("has no {side} px layer"));
            }
        }
    }

    /// An opaque image: no pixel with alpha under 255.
    fn opaque(&mut self, path: &Path, img: &image::DynamicImage) {
        if img.color().has_alpha() && img.to_rgba8().pixels().any(|p| p[3] < 255) {
            self.problem(path, "has transparent pixels; the platform wants it opaque");
        }
    }

    /// Content only inside the central circle of `diameter` (a share of the side):
    /// pixels with alpha at least [`FAINT`], or on a `solid` icon, pixels that differ
    /// from its corner's colour.
    fn inside_circle(&mut self, path: &Path, img: &RgbaImage, diameter: f64, solid: bool) {
        let side = img.width().min(img.height());
        // A pixel of anti-aliasing is allowed past the circle.
        let (c, r) = (side as f64 / 2.0, side as f64 * diameter / 2.0 + 1.0);
        let ground = *img.get_pixel(0, 0);
        let outside = img.enumerate_pixels().any(|(x, y, p)| {
            let (dx, dy) = (x as f64 + 0.5 - c, y as f64 + 0.5 - c);
            let content = match solid {
                true => p.0.iter().zip(ground.0).any(|(a, b)| a.abs_diff(b) > 24),
                false => p[3] >= FAINT,
            };
            content && dx * dx + dy * dy > r * r
        });
        if outside {
            self.problem(
                path,
                format!(
                    "has content outside the central {:.0}% circle (its safe zone)",
                    diameter * 100.0
                ),
            );
        }
    }

    fn favicon(&mut self, dir: &Path) {
        self.ico(&dir.join("favicon.ico"), &FAVICON_ICO);
        if let Some(touch) = self.square(&dir.join("apple-touch-icon.png"), 180) {
            self.opaque(&dir.join("apple-touch-icon.png"), &touch);
        }
        self.findings.checked += 1;
        let manifest_path = dir.join("site.webmanifest");
        let manifest: Option<serde_json::Value> = match std::fs::read(&manifest_path) {
            Err(_) => {
                self.problem(&manifest_path, "missing");
                None
            }
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.problem(&manifest_path, format!("not valid JSON: {e}"));
                    None
                }
            },
        };
        let mut scope = String::from("/");
        if let Some(m) = &manifest {
            for field in MANIFEST_FIELDS {
                if m.get(field).is_none_or(|v| v.is_null() || v == "") {
                    self.problem(&manifest_path, format!("has no \"{field}\""));
                }
            }
            if let Some(s) = m["scope"].as_str() {
                scope = s.to_string();
            }
            let icons = m["icons"].as_array().cloned().unwrap_or_default();
            for want in [192, 512] {
                let any = icons.iter().any(|i| {
                    i["sizes"] == format!("{want}x{want}")
                        && i["purpose"].as_str().unwrap_or("any").contains("any")
                });
                if !any {
                    self.problem(
                        &manifest_path,
                        format!("names no {want}x{want} icon for any purpose"),
                    );
                }
            }
            for icon in icons {
                let Some(src) = icon["src"].as_str() else {
                    self.problem(&manifest_path, "has an icon without \"src\"");
                    continue;
                };
                let path = dir.join(src);
                let Some(img) = self.image(&path) else {
                    continue;
                };
                let sizes = format!("{}x{}", img.width(), img.height());
                if icon["sizes"] != sizes.as_str() {
                    self.problem(
                        &path,
                        format!("is {sizes}, the manifest says {}", icon["sizes"]),
                    );
                }
                if icon["purpose"]
                    .as_str()
                    .is_some_and(|p| p.contains("maskable"))
                {
                    self.opaque(&path, &img);
                    self.inside_circle(&path, &img.to_rgba8(), MASKABLE_SAFE, true);
                }
            }
        }
        self.findings.checked += 1;
        let head_path = dir.join("head.html");
        match std::fs::read_to_string(&head_path) {
            Err(_) => self.problem(&head_path, "missing"),
            Ok(head) => {
                for link in head.split("href=\"").skip(1) {
                    let href = &link[..link.find('"').unwrap_or(link.len())];
                    let file = href.strip_prefix(scope.as_str()).unwrap_or(href);
                    if !dir.join(file).is_file() {
                        self.problem(&head_path, format!("links {href}, which is not in the kit"));
                    }
                }
            }
        }
    }

    fn app_icon(&mut self, dir: &Path) {
        let catalog = dir.join("ios/AppIcon.appiconset");
        let store = catalog.join("AppIcon-1024.png");
        if let Some(img) = self.square(&store, 1024) {
            if img.color().has_alpha() {
                self.problem(&store, "has an alpha channel; App Store Connect refuses it");
            }
        }
        self.findings.checked += 1;
        let contents_path = catalog.join("Contents.json");
        match std::fs::read(&contents_path)
            .ok()
            .map(|b| serde_json::from_slice::<serde_json::Value>(&b))
        {
            None => self.problem(&contents_path, "missing"),
            Some(Err(e)) => self.problem(&contents_path, format!("not valid JSON: {e}")),
            Some(Ok(contents)) => {
                for entry in contents["images"].as_array().cloned().unwrap_or_default() {
                    let Some(name) = entry["filename"].as_str() else {
                        continue;
                    };
                    let side = entry["size"]
                        .as_str()
                        .and_then(|s| s.split('x').next())
                        .and_then(|s| s.parse::<f64>().ok())
                        .unwrap_or(1024.0) as u32;
                    self.square(&catalog.join(name), side);
                }
            }
        }
        let android = dir.join("android");
        if let Some(play) = self.square(&android.join("play-store-512.png"), 512) {
            self.opaque(&android.join("play-store-512.png"), &play);
        }
        if let Ok(entries) = std::fs::read_dir(&android) {
            let mut densities: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            densities.sort();
            for d in densities
                .iter()
                .filter(|d| d.join("ic_launcher_foreground.png").is_file())
            {
                let fg = d.join("ic_launcher_foreground.png");
                if let Some(img) = self.image(&fg) {
                    self.inside_circle(&fg, &img.to_rgba8(), ADAPTIVE_SAFE, false);
                }
                let bg = d.join("ic_launcher_background.png");
                if let Some(img) = self.image(&bg) {
                    self.opaque(&bg, &img);
                }
            }
            for d in densities
                .iter()
                .filter(|d| d.join("ic_stat_notify.png").is_file())
            {
                let notify = d.join("ic_stat_notify.png");
                let white = |p: &image::Rgba<u8>| p[3] == 0 || p.0[..3] == [255, 255, 255];
                if let Some(img) = self.image(&notify) {
                    if !img.to_rgba8().pixels().all(white) {
                        self.problem(&notify, "is not a white silhouette; Android draws notification icons from their alpha");
                    }
                }
                let splash = d.join("splash_icon.png");
                if let Some(img) = self.image(&splash) {
                    self.inside_circle(&splash, &img.to_rgba8(), SPLASH_SAFE, false);
                }
            }
        }
        self.ico(&dir.join("windows/icon.ico"), &WINDOWS_ICO);
        self.findings.checked += 1;
        let icns_path = dir.join("macos/icon.icns");
        match std::fs::read(&icns_path) {
            Err(_) => self.problem(&icns_path, "missing"),
            Ok(bytes) => match icns::IconFamily::read(std::io::Cursor::new(bytes)) {
                Err(e) => self.problem(&icns_path, format!("not a valid ICNS file: {e}")),
                Ok(family) => {
                    let sides: Vec<u32> = family
                        .available_icons()
                        .iter()
                        .map(|t| t.pixel_width())
                        .collect();
                    for side in [16, 32, 128, 256, 512, 1024] {
                        if !sides.contains(&side) {
                            self.problem(&icns_path, format!("has no {side} px image"));
                        }
                    }
                }
            },
        }
    }
}

/// The sides of an ICO file's layers, or `None` when it is not one.
fn ico_layers(bytes: &[u8]) -> Option<Vec<u32>> {
    if bytes.len() < 6 || bytes[..4] != [0, 0, 1, 0] {
        return None;
    }
    let count = u16::from_le_bytes([bytes[4], bytes[5]]) as usize;
    (0..count)
        .map(|i| {
            let entry = bytes.get(6 + 16 * i..6 + 16 * (i + 1))?;
            let size = u32::from_le_bytes(entry[8..12].try_into().ok()?) as usize;
            let at = u32::from_le_bytes(entry[12..16].try_into().ok()?) as usize;
            let data = bytes.get(at..at.checked_add(size)?)?;
            let img = image::load_from_memory(data).ok()?;
            Some(img.width())
        })
        .collect()
}
