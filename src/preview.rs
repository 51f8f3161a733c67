//! The preview pages: `<out>/<stem>/index.html` shows every file in a logo's folder as a
//! thumbnail with its name, pixel size and bytes (transparent images on light, dark and
//! checkerboard backgrounds; social images with their safe box and circle crop, which a
//! checkbox hides), and `<out>/index.html` links the logos. Static HTML and CSS with
//! relative links: no script, no network.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output;
use crate::state::State;
use crate::variation::{social, Variation};

/// The pages' style sheet, inlined in each page.
const STYLE: &str = "\
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2937;background:#f8fafc}\
h1{font-size:22px}h2{font-size:16px;margin-top:28px;text-transform:capitalize}\
.grid{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\
figure{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:8px;max-width:100%}\
figcaption{font-size:12px;margin-top:6px;word-break:break-all}\
.bgs{display:flex;gap:4px}.bgs div{width:120px;height:120px;display:flex;align-items:center;justify-content:center}\
.bgs img{max-width:112px;max-height:112px}\
.light{background:#fff}.dark{background:#111827}\
.checker{background:repeating-conic-gradient(#d1d5db 0 25%,#fff 0 50%) 0 0/16px 16px}\
.frame{position:relative;display:inline-block;max-width:360px}.frame img{display:block;max-width:360px;height:auto;outline:1px solid #e5e7eb}\
.safe{position:absolute;border:2px dashed #f43f5e;box-sizing:border-box;pointer-events:none}\
.safe.circle{border-radius:50%;border-color:#0ea5e9}\
#zones:not(:checked)~main .safe{display:none}\
.file{display:inline-block;padding:8px 12px}\
.mask{width:112px;height:112px;overflow:hidden;position:relative;background:#e5e7eb}\
.mask img{max-width:none;max-height:none;position:absolute}\
.tabs{display:flex;gap:12px;margin:8px 0}.tab{display:flex;align-items:center;gap:8px;padding:6px 12px;border-radius:8px 8px 0 0;font-size:12px}\
.tab.light{background:#dee1e6;color:#1f2937}.tab.dark{background:#35363a;color:#e8eaed}.tab img{width:16px;height:16px}";

/// Write the preview page of each of `stems` that has a folder under `out`, listing what
/// is on disk now, and the batch index. The index lists the whole batch (`batch`, every
/// shard's logos, with a thumbnail when `thumbnails`: the transparent variation was
/// built) and the logos already on disk, so that every shard of a batch writes the same
/// index. Returns the pages written.
pub fn write(
    config: &Config,
    stems: &[impl AsRef<str>],
    batch: &[impl AsRef<str>],
    thumbnails: bool,
) -> Result<Vec<PathBuf>> {
    let out = config.build.out.as_path();
    let mut pages = Vec::new();
    for stem in stems {
        let stem = stem.as_ref();
        let dir = out.join(stem);
        if !dir.is_dir() {
            continue;
        }
        let page = dir.join("index.html");
        let html = logo_page(&dir, stem, config)?;
        output::write_all_atomic(&[(page.clone(), html.as_bytes())])
            .1
            .map_or(Ok(()), Err)?;
        pages.push(page);
    }
    if let Some(html) = batch_page(out, batch, thumbnails)? {
        let index = out.join("index.html");
        output::write_all_atomic(&[(index.clone(), html.as_bytes())])
            .1
            .map_or(Ok(()), Err)?;
        pages.push(index);
    }
    Ok(pages)
}

/// `<out>/<stem>/index.html`.
fn logo_page(dir: &Path, stem: &str, config: &Config) -> Result<String> {
    let mut html = head(&format!("logoproc: {stem}"));
    let _ = write!(
        html,
        "<h1>{}</h1><p><a href=\"../index.html\">All logos</a></p>\
         <input type=\"checkbox\" id=\"zones\" checked> <label for=\"zones\">Show safe zones and circle crops</label><main>",
        escape(stem)
    );
    let mut groups: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for file in files_under(dir)? {
        let rel = file
            .strip_prefix(dir)
            .expect("walked under dir")
            .to_path_buf();
        if rel == Path::new("index.html") {
            continue;
        }
        let group = match rel.components().next() {
            Some(c) if rel.components().count() > 1 => c.as_os_str().to_string_lossy().into_owned(),
            _ => String::from("other"),
        };
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push(rel),
            None => groups.push((group, vec![rel])),
        }
    }
    // Variations in table order, anything else after.
    let rank = |g: &str| {
        Variation::from_name(g).map_or(usize::MAX, |v| {
            Variation::ALL
                .iter()
                .position(|&a| a == v)
                .unwrap_or(usize::MAX)
        })
    };
    groups.sort_by_key(|(g, _)| rank(g));
    // What the square outputs were made from, as the logo's last build recorded it.
    let artwork = State::new(&config.build.out).artwork(stem);
    for (group, files) in &groups {
        let _ = write!(html, "<section><h2>{}</h2>", escape(group));
        let square = Variation::from_name(group).is_some_and(|v| v.uses_square_art(config));
        if let (true, Some(artwork)) = (square, &artwork) {
            let what = match group.as_str() {
                "social" => "Square images made from",
                _ => "Made from",
            };
            let _ = write!(html, "<p class=\"art\">{what} {}.</p>", escape(artwork));
        }
        if group == "favicon" && files.iter().any(|f| f.ends_with("favicon/favicon.svg")) {
            html.push_str(&tabs(stem));
        }
        html.push_str("<div class=\"grid\">");
        for rel in files {
            html.push_str(&figure(dir, rel, group, config)?);
        }
        html.push_str("</div></section>");
    }
    html.push_str("</main></body></html>\n");
    Ok(html)
}

/// One file's thumbnail and caption.
fn figure(dir: &Path, rel: &Path, group: &str, config: &Config) -> Result<String> {
    let path = dir.join(rel);
    let bytes = std::fs::metadata(&path)
        .map_err(|e| read_error(&path, e))?
        .len();
    let ext = rel
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let size = dimensions(&path, &ext);
    let url = url_path(rel);
    let name = escape(&rel.to_string_lossy());
    let caption = match size {
        Some((w, h)) => format!("{w}x{h} px, {}", human_bytes(bytes)),
        None => human_bytes(bytes),
    };
    let body = match (ext.as_str(), size) {
        ("png" | "webp" | "svg" | "ico", Some((w, h))) if group == "social" => {
            let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
            let overlay = social::all(&config.social)
                .into_iter()
                .find(|p| p.name == stem)
                .map(|p| {
                    let pct = |part: u32, whole: u32| 100.0 * part as f64 / whole as f64;
                    let safe = p.safe_rect();
                    let mut boxes = format!(
                        "<div class=\"safe\" style=\"left:{:.2}%;top:{:.2}%;width:{:.2}%;height:{:.2}%\"></div>",
                        pct(safe.x, w),
                        pct(safe.y, h),
                        pct(safe.width, w),
                        pct(safe.height, h),
                    );
                    if p.circle {
                        // The crop circle inscribed in the canvas.
                        let d = w.min(h);
                        let _ = write!(
                            boxes,
                            "<div class=\"safe circle\" style=\"left:{:.2}%;top:{:.2}%;width:{:.2}%;height:{:.2}%\"></div>",
                            pct((w - d) / 2, w),
                            pct((h - d) / 2, h),
                            pct(d, w),
                            pct(d, h),
                        );
                    }
                    boxes
                })
                .unwrap_or_default();
            format!("<div class=\"frame\"><img src=\"{url}\" alt=\"{name}\">{overlay}</div>")
        }
        ("png" | "webp" | "svg" | "ico", Some(_)) => {
            let img = format!("<img src=\"{url}\" alt=\"{name}\">");
            format!(
                "<div class=\"bgs\"><div class=\"light\">{img}</div><div class=\"dark\">{img}</div><div class=\"checker\">{img}</div>{}</div>",
                masked(rel, &url)
            )
        }
        _ => format!("<span class=\"file\">{}</span>", escape(&ext)),
    };
    Ok(format!(
        "<figure>{body}<figcaption><a href=\"{url}\">{name}</a><br>{caption}</figcaption></figure>"
    ))
}

/// The file as the platform shows it, for app icons: the iOS icon under iOS's rounded
/// mask, and an adaptive icon's layers (their central 72 of 108 dp) under a circle and a
/// squircle, as launchers mask them. Empty for other files.
fn masked(rel: &Path, url: &str) -> String {
    let name = rel.file_name().unwrap_or_default().to_string_lossy();
    if name == "AppIcon-1024.png" {
        return format!(
            "<div class=\"mask\" style=\"border-radius:22.37%\" title=\"under the iOS mask\">\
             <img src=\"{url}\" alt=\"\" style=\"width:112px;height:112px;left:0;top:0\"></div>"
        );
    }
    if name != "ic_launcher_foreground.png" {
        return String::new();
    }
    let background = url.replace("ic_launcher_foreground.png", "ic_launcher_background.png");
    // The 108 dp layer at 168 px, so its central 72 dp fill the 112 px tile.
    let layer = "style=\"width:168px;height:168px;left:-28px;top:-28px\"";
    ["50%", "30%"]
        .iter()
        .map(|radius| {
            format!(
                "<div class=\"mask\" style=\"border-radius:{radius}\" title=\"under a launcher mask\">\
                 <img src=\"{background}\" alt=\"\" {layer}><img src=\"{url}\" alt=\"\" {layer}></div>"
            )
        })
        .collect()
}

/// Browser tabs, light and dark, with the favicon at its real size (16 px) beside the
/// logo's name.
fn tabs(stem: &str) -> String {
    let tab = |class: &str| {
        format!(
            "<div class=\"tab {class}\"><img src=\"favicon/favicon.svg\" alt=\"\">{}</div>",
            escape(stem)
        )
    };
    format!("<div class=\"tabs\">{}{}</div>", tab("light"), tab("dark"))
}

/// `<out>/index.html`: every logo folder that has a preview page (none: no page).
fn batch_page(out: &Path, batch: &[impl AsRef<str>], thumbnails: bool) -> Result<Option<String>> {
    let mut html = head("logoproc: logos");
    html.push_str("<h1>Logos</h1><main><div class=\"grid\">");
    let mut stems: Vec<String> = std::fs::read_dir(out)
        .map_err(|e| read_error(out, e))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if stems.is_empty() {
        return Ok(None);
    }
    stems.extend(batch.iter().map(|s| s.as_ref().to_string()));
    stems.sort();
    stems.dedup();
    // Sorted, for a lookup per logo below (a batch may hold many thousands).
    let mut batch: Vec<&str> = batch.iter().map(AsRef::as_ref).collect();
    batch.sort_unstable();
    for stem in &stems {
        let href = url_path(&Path::new(stem).join("index.html"));
        let thumb = Path::new(stem)
            .join("transparent")
            .join(format!("{stem}.png"));
        let img = if out.join(&thumb).is_file()
            || (thumbnails && batch.binary_search(&stem.as_str()).is_ok())
        {
            format!(
                "<div class=\"bgs\"><div class=\"checker\"><img src=\"{}\" alt=\"\"></div></div>",
                url_path(&thumb)
            )
        } else {
            String::new()
        };
        let _ = write!(
            html,
            "<figure>{img}<figcaption><a href=\"{href}\">{}</a></figcaption></figure>",
            escape(stem)
        );
    }
    html.push_str("</div></main></body></html>\n");
    Ok(Some(html))
}

fn head(title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        escape(title)
    )
}

/// Every file under `dir`, sorted.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    // Android's density folders in size order (mdpi before hdpi), the rest by name.
    let density = |name: &std::ffi::OsStr| {
        let name = name.to_string_lossy().into_owned();
        let (stem, suffix) = name.rsplit_once('-').unwrap_or((&name, ""));
        match ["ldpi", "mdpi", "hdpi", "xhdpi", "xxhdpi", "xxxhdpi"]
            .iter()
            .position(|d| *d == suffix)
        {
            Some(rank) => (stem.to_string(), Some(rank)),
            None => (name.clone(), None),
        }
    };
    let walk = walkdir::WalkDir::new(dir)
        .sort_by(move |a, b| density(a.file_name()).cmp(&density(b.file_name())));
    for entry in walk {
        let entry = entry.map_err(|e| Error::Output {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Pixel size of an image file: raster headers, or an SVG root's width and height.
fn dimensions(path: &Path, ext: &str) -> Option<(u32, u32)> {
    if ext == "svg" {
        let text = std::fs::read_to_string(path).ok()?;
        let tree = usvg::Tree::from_str(&text, &usvg::Options::default()).ok()?;
        let size = tree.size().to_int_size();
        return Some((size.width(), size.height()));
    }
    image::image_dimensions(path).ok()
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

fn human_bytes(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        format!("{:.1} kB", bytes as f64 / 1024.0)
    }
}

/// Text escaped for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A relative path as a URL path: components joined by `/`, every byte outside the
/// unreserved set percent-encoded.
fn url_path(rel: &Path) -> String {
    let mut out = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in part.as_os_str().to_string_lossy().bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_paths_encoded() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(
            url_path(Path::new("my logo/social/og #1.png")),
            "my%20logo/social/og%20%231.png"
        );
    }
}
