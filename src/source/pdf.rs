//! PDF and PDF-compatible Illustrator inputs, read as vector artwork: one page is written
//! as SVG by hayro-svg, and that SVG is read like an SVG input, so every output of a PDF
//! master stays vector.

use std::path::Path;
use std::sync::{Arc, Mutex};

use hayro_svg::hayro_interpret::{InterpreterSettings, InterpreterWarning, RenderContent};
use hayro_svg::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};
use hayro_svg::{RenderCache, SvgRenderSettings};

use super::{fontdb, has_extension, parse_svg_checked, render_svg, svg_content_area};
use crate::config::Config;

mod simplify;

/// Longest side of the renders that check a simplified page against the page.
const CHECK_SIDE: u32 = 256;
/// What the simplified page may differ from the page by and still draw the same (the
/// corpus's PDFs of gradient logos differ by at most 0.81 on average and in 1.5% of
/// pixels, at their edges): a mean difference per channel, of 255 ...
const CHECK_MEAN: f64 = 1.5;
/// ... and a share of pixels with a channel that differs by more than [`CHECK_FAR`].
const CHECK_FAR_SHARE: f64 = 0.03;
const CHECK_FAR: u8 = 16;

/// How far into the file the `%PDF-` header may start (ISO 32000 lets a file begin with
/// other bytes; readers look in the first kilobyte).
const HEADER_WINDOW: usize = 1024;

/// Whether `bytes` hold a PDF: a `%PDF-` header in the first kilobyte. Illustrator files
/// saved with "Create PDF Compatible File" (the default) are PDFs.
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// A page of a PDF as SVG, with what the reader could not draw.
struct PageSvg {
    /// The page as an SVG document, its canvas the page's crop box.
    pub svg: String,
    /// One line for each kind of thing left out (fonts, images), for the report.
    pub warnings: Vec<String>,
}

/// Page `input.page` of a PDF or PDF-compatible Illustrator file as an SVG tree, its
/// canvas cut to the drawing with the transparent padding around it, and what the PDF
/// reader left out.
pub(super) fn read(
    path: &Path,
    bytes: &[u8],
    config: &Config,
) -> Result<(usvg::Tree, Vec<String>), String> {
    if !is_pdf(bytes) {
        return Err(if has_extension(path, "ai") {
            "an Illustrator file without PDF content: save it with \"Create PDF Compatible \
             File\" on, or export the logo as PDF or SVG"
                .to_string()
        } else {
            "not a PDF (no %PDF- header)".to_string()
        });
    }
    let page = config.input.page;
    let page_svg = page_svg(bytes, page)?;
    let parse = |svg: &str| parse_svg_checked(svg.as_bytes(), fontdb()).map(|p| p.tree);
    let whole = parse(&page_svg.svg)?;
    let [x, y, w, h] = svg_content_area(&whole).ok_or_else(|| {
        format!("page {page} of the PDF draws nothing: there is no logo to process")
    })?;
    let pad = (w.max(h) as f64 * config.transparent.padding) as f32;
    let area = [x - pad, y - pad, w + 2.0 * pad, h + 2.0 * pad];
    let tree = parse(&cropped(&page_svg.svg, area))?;
    let simpler = simplify::simplified(&tree.to_string(&usvg::WriteOptions::default()))
        .and_then(|svg| parse(&svg).ok())
        .filter(|simpler| draws_the_same(&tree, simpler));
    Ok((simpler.unwrap_or(tree), page_svg.warnings))
}

/// Whether two trees of the same canvas draw the same, within [`CHECK_MEAN`].
fn draws_the_same(a: &usvg::Tree, b: &usvg::Tree) -> bool {
    let size = a.size();
    if size != b.size() {
        return false;
    }
    let k = CHECK_SIDE as f32 / size.width().max(size.height());
    let (w, h) = (
        (size.width() * k).round().max(1.0) as u32,
        (size.height() * k).round().max(1.0) as u32,
    );
    let area = [0.0, 0.0, size.width(), size.height()];
    let (p, q) = (render_svg(a, area, w, h), render_svg(b, area, w, h));
    let total: u64 = p
        .as_raw()
        .iter()
        .zip(q.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    // Pixels that differ visibly: edges (a clip's anti-aliasing is not a fill's), or a
    // gradient placed wrongly.
    let far = (p.pixels().zip(q.pixels()))
        .filter(|(x, y)| (x.0.iter().zip(y.0)).any(|(a, b)| a.abs_diff(b) > CHECK_FAR))
        .count();
    (total as f64 / p.as_raw().len() as f64) < CHECK_MEAN
        && (far as f64) < CHECK_FAR_SHARE * f64::from(w * h)
}

/// Page `page` (counted from 1) of the PDF `bytes`: its content (not its annotations,
/// which are comments and form fields rather than artwork) as SVG.
fn page_svg(bytes: &[u8], page: u32) -> Result<PageSvg, String> {
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        LoadPdfError::Decryption(DecryptionError::PasswordProtected) => {
            "the PDF is password-protected: save a copy without a password".to_string()
        }
        LoadPdfError::Decryption(_) => {
            "the PDF is encrypted in a way that cannot be read: save an unencrypted copy"
                .to_string()
        }
        LoadPdfError::Invalid => "not a valid PDF (damaged or truncated?)".to_string(),
    })?;
    let pages = pdf.pages();
    let count = pages.len();
    if count == 0 {
        return Err("the PDF has no pages".into());
    }
    let index = page.checked_sub(1).map(|i| i as usize);
    let Some(chosen) = index.and_then(|i| pages.get(i)) else {
        return Err(format!(
            "the PDF has {count} page(s); page {page} was asked for (--page, input.page)"
        ));
    };
    let seen = Arc::new(Mutex::new(Vec::<&'static str>::new()));
    let sink = seen.clone();
    let settings = InterpreterSettings {
        render_content: RenderContent::PAGE,
        warning_sink: Arc::new(move |warning| {
            let what = match warning {
                InterpreterWarning::UnsupportedFont => "text in a font that could not be read",
                InterpreterWarning::ImageDecodeFailure => "an image that could not be decoded",
                _ => return,
            };
            let mut seen = sink.lock().unwrap_or_else(|p| p.into_inner());
            if !seen.contains(&what) {
                seen.push(what);
            }
        }),
        ..InterpreterSettings::default()
    };
    let cache = RenderCache::new();
    let svg = hayro_svg::convert(chosen, &cache, &settings, &SvgRenderSettings::default());
    let warnings = std::mem::take(&mut *seen.lock().unwrap_or_else(|p| p.into_inner()))
        .into_iter()
        .map(|what| {
            format!("page {page} of the PDF has {what}; it may be missing from the outputs")
        })
        .collect();
    Ok(PageSvg { svg, warnings })
}

/// `svg` (a page's SVG, with its viewBox at the origin) with its canvas cut to `area`
/// (x, y, width, height in its user units): the page nested in a new root, so that a
/// small logo on a large page keeps no empty page around it.
fn cropped(svg: &str, area: [f32; 4]) -> String {
    let [x, y, w, h] = area;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         viewBox=\"{x} {y} {w} {h}\" width=\"{w}\" height=\"{h}\">{svg}</svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_may_follow_other_bytes_within_the_first_kilobyte() {
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(is_pdf(b"\xEF\xBB\xBF junk %PDF-1.4"));
        let mut late = vec![b' '; HEADER_WINDOW];
        late.extend_from_slice(b"%PDF-1.4");
        assert!(!is_pdf(&late));
        assert!(!is_pdf(b"%!PS-Adobe-3.0 EPSF-3.0"));
    }

    #[test]
    fn garbage_and_missing_pages_are_clear_errors() {
        let e = page_svg(b"%PDF-1.4 nothing else", 1).err().unwrap();
        assert!(e.contains("not a valid PDF"), "{e}");
    }
}
