//! Decode each input once into a shared, read-only [`Source`], and compute the shared
//! transparent master from it once, on first use.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use image::{ImageReader, RgbaImage};

use crate::color::Rgb;
use crate::config::{Config, LimitsConfig, MissingText};
use crate::error::{Error, Result};
use crate::matte;
use crate::raster;
use crate::trace::panic_message;

mod fonts;
pub mod mark;
mod pdf;

use fonts::fontdb;
pub use mark::{input_hash, SquareArt};

/// File name endings read as inputs, in lower case.
pub const EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff", "svg", "pdf", "ai",
];
/// The supported kinds, for messages.
pub const SUPPORTED: &str =
    "PNG, JPEG, WebP, GIF, BMP, TIFF, SVG, PDF, Illustrator (PDF-compatible)";

/// Largest side, in pixels, of any SVG render (tiny-skia aborts on huge pixmaps).
const MAX_RENDER_SIDE: u32 = 16384;

/// Whether `path` names a supported input by its ending.
pub fn is_supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Why a design master that logoproc does not read is refused, by its ending: EPS,
/// PostScript and Photoshop files, which a designer's folder holds beside the exported
/// logos.
pub fn unread_master(path: &Path) -> Option<String> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let kind = match ext.as_str() {
        "eps" | "ps" => "an EPS/PostScript file",
        "psd" => "a Photoshop file",
        _ => return None,
    };
    Some(format!(
        "{kind} is not read; export the logo as PDF or SVG (to keep it vector) or PNG"
    ))
}

/// Whether `path` ends in `ext` (lower case), in any case.
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Whether `path` names an SVG by its ending.
pub fn is_svg(path: &Path) -> bool {
    has_extension(path, "svg")
}

/// Whether `path` names vector artwork by its ending: an SVG, or a PDF or Illustrator
/// file (read through SVG, see [`pdf`]).
pub fn is_vector(path: &Path) -> bool {
    is_svg(path) || is_pdf_path(path)
}

/// Whether `path` names a PDF or an Illustrator file by its ending.
fn is_pdf_path(path: &Path) -> bool {
    has_extension(path, "pdf") || has_extension(path, "ai")
}

/// A decoded input.
pub struct Source {
    /// Where it was read from.
    pub path: PathBuf,
    /// BLAKE3 of the bytes it was decoded from: what a run records as the input its
    /// outputs were built from, whatever the file holds by then.
    pub digest: blake3::Hash,
    /// What was decoded.
    pub content: Content,
    /// What decoding left out that the user should know (an SVG's refused image
    /// references); the master's warnings start with these.
    decode_warnings: Vec<String>,
    master: OnceLock<Result<Arc<Master>, String>>,
    traces: OnceLock<Arc<Traces>>,
    /// The square mark given with the logo (see [`Source::load_logo`]), or why it
    /// could not be read.
    mark: Option<Result<Arc<Source>, String>>,
    /// The symbol of a symbol-plus-name logo, found on first use.
    symbol: OnceLock<Option<Arc<Master>>>,
}

/// The vector traces every vector output starts from: the full-colour SVG, the one-ink
/// SVG and their size (see `variation::vector::traces`).
pub type Traces = (String, String, (u32, u32));

/// The decoded pixels or vector tree.
pub enum Content {
    /// A raster image, straight alpha; `has_alpha` when any pixel is not opaque, `lossy`
    /// when its format compresses lossily (JPEG, WebP).
    Raster {
        /// The decoded pixels until the master is made from them; then `None`, as
        /// nothing else reads them and a batch should not hold them for the logo's jobs.
        image: Mutex<Option<RgbaImage>>,
        has_alpha: bool,
        lossy: bool,
    },
    /// A parsed SVG, rendered on demand at whatever size an output needs.
    Svg(Box<usvg::Tree>),
}

/// The transparent master: the logo cut out of its background and trimmed to its content.
/// Every variation starts from it.
#[derive(Debug)]
pub struct Master {
    /// Straight-alpha RGBA, trimmed to the content box (no padding).
    pub image: RgbaImage,
    /// The background colour that was removed, if any.
    pub background: Option<Rgb>,
    /// Share of border pixels that agreed on the background (1 when none was removed).
    pub confidence: f32,
    /// Things the user should know.
    pub warnings: Vec<String>,
    /// For SVG inputs: the content box in SVG user units (x, y, width, height).
    pub svg_content: Option<[f32; 4]>,
    /// Whether the pixels went through lossy compression (JPEG, WebP): their edges are
    /// noisy.
    pub lossy: bool,
    /// For a part of another master (a logo's symbol): its box `[x, y, width, height]`
    /// in that master's pixels.
    pub region: Option<[u32; 4]>,
}

/// Canvas colour behind a light logo that had no background of its own.
pub const DARK_NEUTRAL: Rgb = Rgb([0x1f, 0x29, 0x37]);
/// Median luma of a logo's pixels from which it counts as light.
const LIGHT_LOGO_LUMA: f32 = 200.0;

impl Master {
    /// The colour to put behind the logo where a platform needs an opaque canvas: the
    /// logo's original background when it had one, else white, or a dark neutral when
    /// the logo itself is light (a white logo on white would vanish).
    pub fn auto_background(&self) -> Rgb {
        if let Some(bg) = self.background {
            return bg;
        }
        let mut lumas: Vec<f32> = self
            .image
            .pixels()
            .filter(|p| p[3] >= 128)
            .map(|p| crate::color::luma([p[0], p[1], p[2]]))
            .collect();
        if lumas.is_empty() {
            return Rgb::WHITE;
        }
        let mid = lumas.len() / 2;
        let median = *lumas.select_nth_unstable_by(mid, f32::total_cmp).1;
        if median >= LIGHT_LOGO_LUMA {
            DARK_NEUTRAL
        } else {
            Rgb::WHITE
        }
    }
}

impl Source {
    /// Read and decode `path` as `config` says (its limits, the page of a PDF, missing
    /// text).
    pub fn load(path: &Path, config: &Config) -> Result<Source> {
        let limits = &config.limits;
        let read_err = |reason: String| Error::Read {
            path: path.to_path_buf(),
            reason,
        };
        let meta = std::fs::metadata(path).map_err(|e| read_err(io_reason(&e)))?;
        if meta.is_dir() {
            return Err(read_err("is a folder".into()));
        }
        let max = limits.max_file_mib * 1024 * 1024;
        if meta.len() > max {
            return Err(read_err(format!(
                "file is {} MiB, over the limit of {} MiB (limits.max_file_mib)",
                meta.len() / (1024 * 1024),
                limits.max_file_mib
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| read_err(io_reason(&e)))?;
        Source::decode(path, &bytes, config)
    }

    /// Decode `bytes` read from `path`.
    pub fn decode(path: &Path, bytes: &[u8], config: &Config) -> Result<Source> {
        let decode_err = |reason: String| Error::Decode {
            path: path.to_path_buf(),
            reason,
        };
        if bytes.is_empty() {
            return Err(decode_err("empty file (0 bytes)".into()));
        }
        let mut decode_warnings = Vec::new();
        let content = if is_svg(path) {
            let parsed = parse_svg_checked(bytes, fontdb()).map_err(decode_err)?;
            decode_warnings = parsed
                .warnings(config.input.missing_text)
                .map_err(decode_err)?;
            Content::Svg(Box::new(parsed.tree))
        } else if is_pdf_path(path) {
            let (tree, warnings) = pdf::read(path, bytes, config).map_err(decode_err)?;
            decode_warnings = warnings;
            Content::Svg(Box::new(tree))
        } else {
            let (image, lossy) = decode_raster(bytes, &config.limits).map_err(decode_err)?;
            let has_alpha = image.pixels().any(|p| p[3] < 255);
            Content::Raster {
                image: Mutex::new(Some(image)),
                has_alpha,
                lossy,
            }
        };
        Ok(Source {
            path: path.to_path_buf(),
            digest: blake3::hash(bytes),
            content,
            decode_warnings,
            master: OnceLock::new(),
            traces: OnceLock::new(),
            mark: None,
            symbol: OnceLock::new(),
        })
    }

    /// A copy of a raster's decoded pixels, or `None` for an SVG or once the master has
    /// been made from them (for benchmarks and tests of the stages).
    pub fn decoded(&self) -> Option<RgbaImage> {
        match &self.content {
            Content::Raster { image, .. } => {
                image.lock().unwrap_or_else(|p| p.into_inner()).clone()
            }
            Content::Svg(_) => None,
        }
    }

    /// The transparent master, computed on first call and shared afterwards.
    pub fn master(&self, config: &Config) -> Result<Arc<Master>, String> {
        master_once(&self.master, || {
            let mut master = compute_master(&self.content, config)?;
            master
                .warnings
                .splice(0..0, self.decode_warnings.iter().cloned());
            Ok(Arc::new(master))
        })
    }

    /// The vector traces, made by `make` until it succeeds and then shared (the vector,
    /// favicon, print and cutline variations all start from them). Failures are not
    /// kept: a trace that ran out of one job's time may succeed in another's, and which
    /// job traces first depends on scheduling.
    pub fn traces(
        &self,
        make: impl FnOnce() -> Result<Traces, String>,
    ) -> Result<Arc<Traces>, String> {
        if let Some(done) = self.traces.get() {
            return Ok(done.clone());
        }
        let made = Arc::new(make()?);
        // Two jobs may trace at once; both get the same result, the first is kept.
        Ok(self.traces.get_or_init(|| made).clone())
    }

    /// The master's content rendered at exactly `width` x `height`: an SVG is rendered
    /// afresh at that size (crisp), a raster is resized in premultiplied alpha.
    pub fn render_content(&self, master: &Master, width: u32, height: u32) -> RgbaImage {
        self.renderer(master).render(width, height)
    }

    /// [`Source::render_content`] for several sizes of one job: a raster master's
    /// premultiplied copy is made once for all of them.
    pub fn renderer<'a>(&'a self, master: &'a Master) -> Renderer<'a> {
        Renderer {
            source: self,
            master,
            scaler: raster::Scaler::new(&master.image),
        }
    }
}

/// The master's content at any number of sizes; see [`Source::renderer`].
pub struct Renderer<'a> {
    source: &'a Source,
    master: &'a Master,
    scaler: raster::Scaler<'a>,
}

impl<'a> Renderer<'a> {
    /// The content at exactly `width` x `height`, as [`Source::render_content`] makes it.
    pub fn render(&mut self, width: u32, height: u32) -> RgbaImage {
        match (&self.source.content, self.master.svg_content) {
            (Content::Svg(tree), Some(area)) => render_svg(tree, area, width, height),
            _ => self.scaler.resize(width, height),
        }
    }

    /// The content at `width` x `height` row by row: an SVG rendered whole, as
    /// [`Renderer::render`] does, a raster master resized a band of rows at a time
    /// ([`raster::Scaler::rows`], which may differ from the whole resize by a rounding
    /// step).
    pub fn rows(&mut self, width: u32, height: u32) -> LogoRows<'_, 'a> {
        match (&self.source.content, self.master.svg_content) {
            (Content::Svg(tree), Some(area)) => {
                LogoRows::Whole(render_svg(tree, area, width, height))
            }
            _ => LogoRows::Scaled(self.scaler.rows(width, height)),
        }
    }

    pub fn source(&self) -> &Source {
        self.source
    }

    pub fn master(&self) -> &Master {
        self.master
    }
}

/// Rows of the content at one size; see [`Renderer::rows`].
pub enum LogoRows<'s, 'a> {
    Whole(RgbaImage),
    Scaled(raster::ScaledRows<'s, 'a>),
}

impl LogoRows<'_, '_> {
    /// Row `y` (below the height asked for) as straight-alpha RGBA bytes; empty below
    /// the rows of an SVG render that [`MAX_RENDER_SIDE`] made smaller.
    pub fn row(&mut self, y: u32) -> &[u8] {
        match self {
            LogoRows::Whole(img) => {
                let stride = img.width() as usize * 4;
                img.as_raw()
                    .chunks_exact(stride)
                    .nth(y as usize)
                    .unwrap_or(&[])
            }
            LogoRows::Scaled(rows) => rows.row(y),
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The decoded image and whether its format is lossy.
fn decode_raster(bytes: &[u8], limits: &LimitsConfig) -> Result<(RgbaImage, bool), String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    if reader.format().is_none() {
        return Err("not a supported image (unrecognised content)".into());
    }
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(limits.max_side);
    image_limits.max_image_height = Some(limits.max_side);
    image_limits.max_alloc = Some(limits.max_alloc_mib * 1024 * 1024);
    reader.limits(image_limits);
    let lossy = matches!(
        reader.format(),
        Some(image::ImageFormat::Jpeg | image::ImageFormat::WebP)
    );
    let format = reader
        .format()
        .and_then(|f| f.extensions_str().first())
        .map(|e| e.to_ascii_uppercase())
        .unwrap_or_default();
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(l) => format!(
            "refused: {l} (limits.max_side {} px, limits.max_alloc_mib {} MiB)",
            limits.max_side, limits.max_alloc_mib
        ),
        other => format!(
            "cannot decode {format}: {}",
            one_line(&other.to_string()).trim_end_matches('.')
        ),
    })?;
    if image.width() == 0 || image.height() == 0 {
        return Err("image has no pixels".into());
    }
    Ok((image.into_rgba8(), lossy))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An SVG parsed without touching anything outside it, with what it asked for and did
/// not get.
struct Parsed {
    tree: usvg::Tree,
    /// The `<image>` references refused (file names and URLs, each once).
    refused: Vec<String>,
    /// Why some of its text cannot be drawn, if it cannot.
    missing_text: Option<String>,
}

impl Parsed {
    /// The warnings for the report, or the error when text cannot be drawn and
    /// `missing_text` says to fail.
    fn warnings(&self, missing_text: MissingText) -> Result<Vec<String>, String> {
        let mut warnings = Vec::new();
        if let Some(why) = &self.missing_text {
            match missing_text {
                MissingText::Fail => {
                    return Err(format!(
                        "its text cannot be drawn: {why}; convert the text to paths or \
                         install the font (input.missing_text = \"warn\" builds without it)"
                    ))
                }
                MissingText::Warn => warnings.push(format!(
                    "built without text that cannot be drawn: {why}; convert the text to paths"
                )),
            }
        }
        if !self.refused.is_empty() {
            warnings.push(format!(
                "left out {} image(s) the SVG references ({}): only images embedded as \
                 data: URIs are drawn; embed them, or export the SVG with images included",
                self.refused.len(),
                self.refused.join(", ")
            ));
        }
        Ok(warnings)
    }
}

/// Parse an SVG without touching anything outside it: external files and URLs named by
/// `<image href>` are refused (embedded `data:` images, PNG, JPEG, WebP or GIF, are
/// drawn).
pub fn parse_svg(bytes: &[u8]) -> Result<usvg::Tree, String> {
    parse_svg_checked(bytes, fontdb()).map(|parsed| parsed.tree)
}

/// [`parse_svg`] with the fonts of `db`, recording what it refused and what text it
/// could not draw.
fn parse_svg_checked(bytes: &[u8], db: Arc<usvg::fontdb::Database>) -> Result<Parsed, String> {
    let refused = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = refused.clone();
    let missing = Arc::new(Mutex::new(fonts::Missing::default()));
    let options = usvg::Options {
        resources_dir: None,
        fontdb: db,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(move |href, _| {
                let mut refused = record.lock().unwrap_or_else(|p| p.into_inner());
                let href = format!("\"{}\"", one_line(href));
                if !refused.contains(&href) {
                    refused.push(href);
                }
                None
            }),
        },
        font_resolver: fonts::resolver(missing.clone()),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options)
        .map_err(|e| format!("not a valid SVG: {}", one_line(&e.to_string())))?;
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return Err("SVG has no size".into());
    }
    drop(options);
    let refused = std::mem::take(&mut *refused.lock().unwrap_or_else(|p| p.into_inner()));
    let missing_text = missing
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .describe(bytes);
    Ok(Parsed {
        tree,
        refused,
        missing_text,
    })
}

/// `area` (x, y, width, height in user units) of `tree` rendered at `width` x `height`,
/// straight alpha; a render longer than [`MAX_RENDER_SIDE`] on a side is scaled down to
/// it, both sides alike, so the aspect holds.
pub(crate) fn render_svg(tree: &usvg::Tree, area: [f32; 4], width: u32, height: u32) -> RgbaImage {
    let k = (MAX_RENDER_SIDE as f64 / width.max(height) as f64).min(1.0);
    let side = |v: u32| ((v as f64 * k).round() as u32).clamp(1, MAX_RENDER_SIDE);
    let (width, height) = (side(width), side(height));
    let mut pixmap = tiny_skia::Pixmap::new(width, height).expect("size clamped above");
    let sx = width as f32 / area[2];
    let sy = height as f32 / area[3];
    let transform = tiny_skia::Transform::from_row(sx, 0.0, 0.0, sy, -area[0] * sx, -area[1] * sy);
    resvg::render(tree, transform, &mut pixmap.as_mut());
    let mut out = raster::from_pixmap(&pixmap);
    raster::clear_transparent(&mut out);
    out
}

/// The master in `cell`, made by `make` on first use. A panic in `make` is kept as the
/// cell's error, so every job of the logo reports it (making the master takes the decoded
/// pixels: a second attempt would only find them gone).
fn master_once<T: Clone>(
    cell: &OnceLock<Result<T, String>>,
    make: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    cell.get_or_init(|| {
        catch_unwind(AssertUnwindSafe(make)).unwrap_or_else(|panic| {
            Err(format!(
                "internal error while making the master: {}",
                panic_message(&panic)
            ))
        })
    })
    .clone()
}

fn compute_master(content: &Content, config: &Config) -> Result<Master, String> {
    let limits = &config.limits;
    let lossy = matches!(content, Content::Raster { lossy: true, .. });
    let (full, background, confidence, warnings, svg_area) = match content {
        Content::Raster {
            image,
            has_alpha,
            lossy,
        } => {
            // Called once per source (the master is cached), so the pixels are there.
            let taken = image.lock().unwrap_or_else(|p| p.into_inner()).take();
            let mut image = taken.ok_or("internal error: the decoded pixels were already used")?;
            if *has_alpha {
                raster::clear_transparent(&mut image);
                (image, None, 1.0, Vec::new(), None)
            } else {
                let m = matte::remove_background(image, &config.transparent, *lossy);
                (m.image, m.background, m.confidence, m.warnings, None)
            }
        }
        Content::Svg(tree) => {
            let area = svg_content_area(tree)
                .ok_or("the SVG draws nothing inside its canvas: there is no logo to process")?;
            let scale = limits.svg_render_size as f32 / area[2].max(area[3]);
            let w = (area[2] * scale).round().max(1.0) as u32;
            let h = (area[3] * scale).round().max(1.0) as u32;
            let image = render_svg(tree, area, w, h);
            (image, None, 1.0, Vec::new(), Some(area))
        }
    };
    let content_box = raster::content_box(&full).ok_or_else(|| match background {
        Some(bg) => format!(
            "nothing left after removing the background ({}): is the image blank?",
            bg.to_hex()
        ),
        None => "the image is fully transparent: there is no logo to process".to_string(),
    })?;
    // An SVG master is already its content area, rendered; a raster is trimmed.
    let image = match svg_area {
        Some(_) => full,
        None => raster::crop(&full, content_box),
    };
    Ok(Master {
        image,
        background,
        confidence,
        warnings,
        svg_content: svg_area,
        lossy,
        region: None,
    })
}

/// The area of the SVG canvas that its drawing covers (x, y, width, height in user
/// units), or `None` when it draws nothing there.
fn svg_content_area(tree: &usvg::Tree) -> Option<[f32; 4]> {
    let b = tree.root().abs_layer_bounding_box();
    let size = tree.size();
    let (x0, y0) = (b.left().max(0.0), b.top().max(0.0));
    let (x1, y1) = (b.right().min(size.width()), b.bottom().min(size.height()));
    (x1 > x0 && y1 > y0).then_some([x0, y0, x1 - x0, y1 - y0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_making_the_master_is_every_later_callers_error() {
        let cell = OnceLock::new();
        let first = master_once(&cell, || -> Result<u8, String> { panic!("boom") });
        assert_eq!(
            first,
            Err("internal error while making the master: boom".to_string())
        );
        // Not made again: the next caller gets the same error, not a second attempt.
        assert_eq!(master_once(&cell, || Ok(1)), first);
        let made = OnceLock::new();
        assert_eq!(master_once(&made, || Ok(7)), Ok(7));
        assert_eq!(master_once(&made, || Ok(8)), Ok(7));
    }

    #[test]
    fn auto_background_is_the_old_one_else_white_or_dark_for_light_logos() {
        let master = |colour: [u8; 4], background| Master {
            image: RgbaImage::from_pixel(4, 4, image::Rgba(colour)),
            background,
            confidence: 1.0,
            warnings: Vec::new(),
            svg_content: None,
            lossy: false,
            region: None,
        };
        let green = Rgb([22, 163, 74]);
        assert_eq!(
            master([255, 255, 255, 255], Some(green)).auto_background(),
            green
        );
        assert_eq!(
            master([200, 30, 30, 255], None).auto_background(),
            Rgb::WHITE
        );
        assert_eq!(
            master([250, 250, 250, 255], None).auto_background(),
            DARK_NEUTRAL
        );
    }

    fn config() -> Config {
        Config::default()
    }

    #[test]
    fn empty_and_garbage_are_clear_errors() {
        let p = Path::new("x.png");
        let e = Source::decode(p, b"", &config()).err().unwrap().to_string();
        assert!(e.contains("x.png") && e.contains("empty"), "{e}");
        let e = Source::decode(p, b"not an image at all", &config())
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("x.png") && e.contains("not a supported image"),
            "{e}"
        );
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn png_header_claiming_huge_size_is_refused() {
        // A valid PNG signature and IHDR (correct CRC) claiming 30000 x 30000.
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&30000u32.to_be_bytes());
        ihdr.extend_from_slice(&30000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        let e = Source::decode(Path::new("bomb.png"), &png, &config())
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("bomb.png"), "{e}");
        assert!(e.contains("refused"), "{e}");
    }

    #[test]
    fn svg_does_not_read_local_files() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.png");
        let mut img = RgbaImage::new(4, 4);
        img.pixels_mut().for_each(|p| p.0 = [255, 0, 0, 255]);
        img.save(&secret).unwrap();
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="4" height="4"><image width="4" height="4" href="file://{0}"/><image width="4" height="4" xlink:href="{0}"/></svg>"#,
            secret.display()
        );
        let tree = parse_svg(svg.as_bytes()).unwrap();
        let img = render_svg(&tree, [0.0, 0.0, 4.0, 4.0], 4, 4);
        assert!(img.pixels().all(|p| p[3] == 0), "external image was loaded");
    }

    #[test]
    fn text_on_a_machine_without_fonts_is_named_with_the_font_it_asked_for() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50">
            <rect width="20" height="20"/>
            <text x="30" y="40" font-family="Helvetica, Arial, sans-serif">ACME</text></svg>"#;
        let no_fonts = Arc::new(usvg::fontdb::Database::new());
        let parsed = parse_svg_checked(svg, no_fonts).unwrap();
        let e = parsed.warnings(MissingText::Fail).unwrap_err();
        assert!(
            e.starts_with(
                "its text cannot be drawn: no installed font for font-family \
                 \"Helvetica, Arial, sans-serif\" (text \"ACME\")"
            ),
            "{e}"
        );
        let w = parsed.warnings(MissingText::Warn).unwrap();
        assert!(
            w.len() == 1 && w[0].starts_with("built without text"),
            "{w:?}"
        );
        // With the system's fonts (the tests need one installed), nothing is missing.
        let parsed = parse_svg_checked(svg, fontdb()).unwrap();
        assert_eq!(parsed.warnings(MissingText::Fail), Ok(Vec::new()));
    }

    #[test]
    fn renders_past_the_largest_side_keep_their_aspect() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="40" height="10" fill="#123456"/></svg>"##;
        let tree = parse_svg(svg).unwrap();
        let img = render_svg(&tree, [0.0, 0.0, 40.0, 10.0], MAX_RENDER_SIDE * 2, 8);
        assert_eq!(img.dimensions(), (MAX_RENDER_SIDE, 4));
    }

    #[test]
    fn svg_master_is_trimmed_and_renders_crisp_at_any_size() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect x="25" y="10" width="50" height="30" fill="#123456"/></svg>"##;
        let src = Source::decode(Path::new("r.svg"), svg, &config()).unwrap();
        let m = src.master(&Config::default()).unwrap();
        // 1024 px wide render: the rect is 512 x 614.4/... in proportion 50:30.
        let (w, h) = m.image.dimensions();
        assert!((w as f32 / h as f32 - 50.0 / 30.0).abs() < 0.02, "{w}x{h}");
        let big = src.render_content(&m, 2000, 1200);
        assert_eq!(big.get_pixel(1, 1).0, [0x12, 0x34, 0x56, 255]);
        assert_eq!(big.get_pixel(1998, 1198).0, [0x12, 0x34, 0x56, 255]);
    }

    #[test]
    fn blank_image_has_no_master() {
        let img = RgbaImage::from_pixel(8, 8, image::Rgba([255, 255, 255, 255]));
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let src = Source::decode(Path::new("blank.png"), &png, &config()).unwrap();
        let e = src.master(&Config::default()).unwrap_err();
        assert!(e.contains("nothing left"), "{e}");
    }
}
