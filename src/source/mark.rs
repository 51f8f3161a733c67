//! The artwork of square and small outputs (favicons, app icons, avatars): a square mark
//! given with the logo, else the symbol of a symbol-plus-name logo, else the whole logo.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::RgbaImage;

use super::{is_supported, Master, Source};
use crate::config::Config;
use crate::error::Result;
use crate::{output, raster};

/// The endings a mark beside its logo may have, in the order they are looked for.
pub const MARK_EXTENSIONS: [&str; 2] = ["svg", "png"];

/// Alpha from which a pixel counts as ink.
const INK_ALPHA: u8 = 128;
/// Longest side, in pixels, at which the layout is read.
const LAYOUT_SIDE: u32 = 512;
/// A column or row counts as empty below this share of the other side's pixels.
const EMPTY_SHARE: f64 = 0.004;
/// Width over height from which a logo without a symbol (a wordmark, mostly) is too wide
/// to read in a square.
const WIDE_WORDMARK: f64 = 2.5;

/// The mark file for the logo at `logo`: `<stem>.mark.svg` or `.png` beside it (the
/// ending in any case, SVG first), else `[input] mark` (`--mark`).
pub fn mark_path(logo: &Path, config: &Config) -> Option<PathBuf> {
    let stem = logo.file_stem()?.to_str()?;
    if stem.ends_with(".mark") {
        return None;
    }
    let dir = logo.parent().filter(|d| !d.as_os_str().is_empty());
    let beside = std::fs::read_dir(dir.unwrap_or(Path::new(".")))
        .map(|entries| {
            let mut marks: Vec<(usize, PathBuf)> = entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    let rank = mark_rank(&name, stem)?;
                    Some((rank, logo.with_file_name(name)))
                })
                .filter(|(_, p)| p.is_file())
                .collect();
            marks.sort();
            marks.into_iter().next().map(|(_, p)| p)
        })
        .ok()
        .flatten();
    beside.or_else(|| config.input.mark.clone())
}

/// Where the file `name` stands among the marks of the logo `stem` (its ending's place in
/// [`MARK_EXTENSIONS`]), if it is one: `<stem>.mark.<ending>`, the ending in any case.
fn mark_rank(name: &str, stem: &str) -> Option<usize> {
    let (logo, ext) = name.rsplit_once(".mark.")?;
    (logo == stem)
        .then(|| {
            MARK_EXTENSIONS
                .iter()
                .position(|e| e.eq_ignore_ascii_case(ext))
        })
        .flatten()
}

/// Whether `path` is the mark of a logo beside it (`logo.mark.svg` beside `logo.png`),
/// which a folder scan does not build as a logo of its own.
pub fn is_mark_of_a_logo(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let Some((logo_stem, _)) = name.rsplit_once(".mark.") else {
        return false;
    };
    if mark_rank(name, logo_stem).is_none() || logo_stem.is_empty() {
        return false;
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let Ok(entries) = std::fs::read_dir(dir.unwrap_or(Path::new("."))) else {
        return false;
    };
    entries.flatten().any(|e| {
        let p = e.path();
        p.file_name() != path.file_name()
            && p.file_stem().and_then(|s| s.to_str()) == Some(logo_stem)
            && is_supported(&p)
    })
}

/// What the square outputs of a logo were made from.
#[derive(Debug, Clone, PartialEq)]
pub enum Artwork {
    /// The whole logo; `wide` when it is so wide (a wordmark, mostly) that a square
    /// shows it small.
    Logo { wide: bool },
    /// The symbol found beside the logo's name.
    Symbol,
    /// A mark file.
    Mark(PathBuf),
}

impl Artwork {
    /// What the report says of the outputs that used it, if anything: the user chose a
    /// mark, but the symbol was chosen for them, and a wide logo shows small.
    pub fn note(&self) -> Option<String> {
        match self {
            Artwork::Logo { wide: false } => None,
            Artwork::Logo { wide: true } => Some(
                "the logo is wide and shows small in a square icon: give a square mark with \
                 --mark FILE or <stem>.mark.svg beside the logo"
                    .into(),
            ),
            Artwork::Symbol => Some(
                "made from the logo's symbol, without its name (give a square mark with --mark \
                 FILE or <stem>.mark.svg to choose another)"
                    .into(),
            ),
            Artwork::Mark(_) => None,
        }
    }

    /// A few words for the preview page.
    pub fn caption(&self) -> String {
        match self {
            Artwork::Logo { .. } => "the whole logo".into(),
            Artwork::Symbol => "the logo's symbol".into(),
            Artwork::Mark(path) => format!(
                "the mark {}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
        }
    }
}

/// The artwork of a logo's square and small outputs (see [`Source::square_art`]).
pub struct SquareArt<'a> {
    /// What to render it from.
    pub source: &'a Source,
    /// Its master.
    pub master: Arc<Master>,
    /// What it is.
    pub artwork: Artwork,
    /// Where it lies in the full-colour SVG of `source` (see
    /// `variation::vector::colour_svg`): `[x, y, width, height]` in the units of that
    /// SVG's width and height, `None` for all of it.
    pub region: Option<[f32; 4]>,
    /// What the report should say of the outputs made from it: the choice of a symbol
    /// or of a wide logo (see [`Artwork::note`]), and a mark's own warnings.
    pub notes: Vec<String>,
}

impl Source {
    /// [`Source::load`] the logo at `path` with its square mark, if it has one (see
    /// [`mark_path`]): a mark that cannot be read fails only the jobs that use it. The
    /// digest covers the mark file's bytes too (as [`input_hash`] does), so a changed
    /// mark rebuilds the logo.
    pub fn load_logo(path: &Path, config: &Config) -> Result<Source> {
        let mut source = Source::load(path, config)?;
        if let Some(mark_path) = mark_path(path, config) {
            if let Ok(mark_digest) = output::file_digest(&mark_path) {
                source.digest = with_mark(source.digest, mark_digest);
            }
            let mark = Source::load(&mark_path, config).map_err(|e| format!("the mark {e}"));
            source.mark = Some(mark.map(Arc::new));
        }
        Ok(source)
    }

    /// The artwork of the square and small outputs (favicons, app icons, avatars): the
    /// mark given with the logo, else the symbol of a symbol-plus-name logo, else the
    /// whole logo.
    pub fn square_art(&self, config: &Config) -> Result<SquareArt<'_>, String> {
        if let Some(mark) = &self.mark {
            let source = mark.as_ref().map_err(|e| e.clone())?;
            let named = |e: &str| format!("the mark {}: {e}", source.path.display());
            let master = source.master(config).map_err(|e| named(&e))?;
            return Ok(SquareArt {
                source,
                notes: master.warnings.iter().map(|w| named(w)).collect(),
                master,
                artwork: Artwork::Mark(source.path.clone()),
                region: None,
            });
        }
        let master = self.master(config)?;
        let symbol = self
            .symbol
            .get_or_init(|| symbol_master(&master).map(Arc::new));
        let Some(symbol) = symbol.clone() else {
            let artwork = Artwork::Logo {
                wide: is_wide(&master),
            };
            return Ok(SquareArt {
                source: self,
                notes: artwork.note().into_iter().collect(),
                artwork,
                master,
                region: None,
            });
        };
        // The symbol's place in the full-colour SVG, in the units of its width and
        // height: an SVG input's own (the master's content area), or a trace's, which
        // are the pixels of the master padded for the transparent PNG.
        let region = match (symbol.svg_content, symbol.region) {
            (Some(area), _) => area,
            (None, Some([x, y, w, h])) => {
                let (mw, mh) = master.image.dimensions();
                let pad = crate::geometry::padding(mw, mh, config.transparent.padding);
                [(x + pad) as f32, (y + pad) as f32, w as f32, h as f32]
            }
            (None, None) => unreachable!("a symbol master records its box"),
        };
        Ok(SquareArt {
            source: self,
            master: symbol,
            notes: Artwork::Symbol.note().into_iter().collect(),
            artwork: Artwork::Symbol,
            region: Some(region),
        })
    }
}

/// A logo's digest combined with its mark's.
fn with_mark(logo: blake3::Hash, mark: blake3::Hash) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(logo.as_bytes());
    hasher.update(mark.as_bytes());
    hasher.finalize()
}

/// What a logo's record holds as its input hash (see `state`): the BLAKE3 of its file,
/// combined with its mark's when it has one, as [`Source::load_logo`] makes its digest;
/// `None` when a file cannot be read.
pub fn input_hash(path: &Path, config: &Config) -> Option<String> {
    let logo = output::file_digest(path).ok()?;
    let digest = match mark_path(path, config) {
        Some(mark) => with_mark(logo, output::file_digest(&mark).ok()?),
        None => logo,
    };
    Some(digest.to_hex().to_string())
}

/// The symbol of a symbol-plus-name logo, as a master of its own: a compact part set off
/// by a clear gap from a run of letter-like parts (see [`symbol_box`]).
pub fn symbol_master(master: &Master) -> Option<Master> {
    let [x, y, w, h] = symbol_box(&master.image)?;
    let image = raster::crop(
        &master.image,
        crate::geometry::Rect {
            x,
            y,
            width: w,
            height: h,
        },
    );
    let (iw, ih) = master.image.dimensions();
    let svg_content = master.svg_content.map(|[ax, ay, aw, ah]| {
        let (kx, ky) = (aw / iw as f32, ah / ih as f32);
        [
            ax + x as f32 * kx,
            ay + y as f32 * ky,
            w as f32 * kx,
            h as f32 * ky,
        ]
    });
    Some(Master {
        image,
        background: master.background,
        confidence: master.confidence,
        warnings: Vec::new(),
        svg_content,
        lossy: master.lossy,
        region: Some([x, y, w, h]),
    })
}

/// Whether a logo is so wide that a square shows it small.
pub fn is_wide(master: &Master) -> bool {
    let (w, h) = master.image.dimensions();
    w as f64 >= WIDE_WORDMARK * h as f64
}

/// The ink of `image` at most [`LAYOUT_SIDE`] on a side: a pixel is ink when any pixel of
/// the block it stands for is.
struct Ink {
    width: u32,
    height: u32,
    /// The scale from these pixels to the image's.
    scale: f64,
    ink: Vec<bool>,
}

impl Ink {
    fn new(image: &RgbaImage) -> Ink {
        let (iw, ih) = image.dimensions();
        let scale = (iw.max(ih) as f64 / LAYOUT_SIDE as f64).max(1.0);
        let width = ((iw as f64 / scale).ceil() as u32).max(1);
        let height = ((ih as f64 / scale).ceil() as u32).max(1);
        let mut ink = vec![false; (width * height) as usize];
        for (x, y, p) in image.enumerate_pixels() {
            if p[3] >= INK_ALPHA {
                let (sx, sy) = ((x as f64 / scale) as u32, (y as f64 / scale) as u32);
                ink[(sy.min(height - 1) * width + sx.min(width - 1)) as usize] = true;
            }
        }
        Ink {
            width,
            height,
            scale,
            ink,
        }
    }

    /// Ink pixels in each column of `xs`, counted over the rows `ys`.
    fn columns(&self, xs: std::ops::Range<u32>, ys: std::ops::Range<u32>) -> Vec<u32> {
        xs.map(|x| ys.clone().filter(|&y| self.at(x, y)).count() as u32)
            .collect()
    }

    fn at(&self, x: u32, y: u32) -> bool {
        self.ink[(y * self.width + x) as usize]
    }

    /// The box `[x0, y0, x1, y1)` of the ink inside `[x0, x1) x [y0, y1)`.
    fn bounds(&self, x0: u32, x1: u32, y0: u32, y1: u32) -> Option<[u32; 4]> {
        let mut b: Option<[u32; 4]> = None;
        for y in y0..y1 {
            for x in x0..x1 {
                if self.at(x, y) {
                    let e = b.get_or_insert([x, y, x + 1, y + 1]);
                    *e = [e[0].min(x), e[1].min(y), e[2].max(x + 1), e[3].max(y + 1)];
                }
            }
        }
        b
    }
}

/// Runs of non-empty lines along one axis: `counts[i]` ink pixels on line `i`, empty when
/// under `floor`. Returns `(start, end)` of each run.
fn runs(counts: &[u32], floor: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &c) in counts.iter().enumerate() {
        match (c > floor, start) {
            (true, None) => start = Some(i as u32),
            (false, Some(s)) => {
                out.push((s, i as u32));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, counts.len() as u32));
    }
    out
}

/// The symbol of a symbol-plus-name logo, `[x, y, width, height]` in `image`'s pixels:
/// the logo splits at its widest gap, across (symbol left or right of the name) or down
/// (symbol above the name), into a compact part (width over height between 0.4 and 2.5)
/// at least as tall as the letters, and a run of at least two letter-like parts wider than
/// it is tall whose own gaps are clearly narrower.
pub fn symbol_box(image: &RgbaImage) -> Option<[u32; 4]> {
    let ink = Ink::new(image);
    let found = across(&ink).or_else(|| down(&ink))?;
    let [x0, y0, x1, y1] = found;
    let s = ink.scale;
    let (iw, ih) = image.dimensions();
    let px = |v: u32, limit: u32| ((v as f64 * s).round() as u32).min(limit);
    let (x0, y0, x1, y1) = (px(x0, iw), px(y0, ih), px(x1, iw), px(y1, ih));
    (x1 > x0 && y1 > y0).then_some([x0, y0, x1 - x0, y1 - y0])
}

/// Whether `[x0, y0, x1, y1)` is compact enough to stand alone in a square.
fn compact(b: [u32; 4]) -> bool {
    let aspect = (b[2] - b[0]) as f64 / (b[3] - b[1]) as f64;
    (0.4..=2.5).contains(&aspect)
}

/// The widest of the gaps between `blocks`: the index of the block before it, and its
/// width (the first of equals).
fn widest_gap(blocks: &[(u32, u32)]) -> Option<(usize, u32)> {
    let gaps: Vec<(usize, u32)> = blocks
        .windows(2)
        .enumerate()
        .map(|(i, w)| (i, w[1].0 - w[0].1))
        .collect();
    gaps.into_iter()
        .max_by_key(|&(i, g)| (g, std::cmp::Reverse(i)))
}

/// The widest gap between `blocks`, 0 for one.
fn widest_within(blocks: &[(u32, u32)]) -> u32 {
    blocks
        .windows(2)
        .map(|w| w[1].0 - w[0].1)
        .max()
        .unwrap_or(0)
}

/// A symbol left or right of the name.
fn across(ink: &Ink) -> Option<[u32; 4]> {
    let counts = ink.columns(0..ink.width, 0..ink.height);
    let floor = (EMPTY_SHARE * ink.height as f64) as u32;
    let blocks = runs(&counts, floor);
    if blocks.len() < 3 {
        return None;
    }
    let (at, gap) = widest_gap(&blocks)?;
    let (left, right) = blocks.split_at(at + 1);
    let whole = |part: &[(u32, u32)]| ink.bounds(part[0].0, part[part.len() - 1].1, 0, ink.height);
    let (l, r) = (whole(left)?, whole(right)?);
    for (symbol, name, name_blocks, symbol_blocks) in [(l, r, right, left), (r, l, left, right)] {
        let name_h = name[3] - name[1];
        let symbol_h = symbol[3] - symbol[1];
        let clear = gap as f64 >= 0.12 * name_h as f64
            && gap as f64 >= 1.3 * widest_within(name_blocks) as f64
            && gap as f64 >= 1.3 * widest_within(symbol_blocks) as f64;
        let letters = name_blocks.len() >= 2
            && (name[2] - name[0]) as f64 >= 1.5 * name_h as f64
            && (name[2] - name[0]) >= (symbol[2] - symbol[0]);
        let tall =
            symbol_h as f64 >= 0.8 * name_h as f64 && symbol_h as f64 >= 0.5 * ink.height as f64;
        if clear && letters && tall && compact(symbol) {
            return Some(symbol);
        }
    }
    None
}

/// A symbol above the name.
fn down(ink: &Ink) -> Option<[u32; 4]> {
    let counts: Vec<u32> = (0..ink.height)
        .map(|y| (0..ink.width).filter(|&x| ink.at(x, y)).count() as u32)
        .collect();
    let floor = (EMPTY_SHARE * ink.width as f64) as u32;
    let bands = runs(&counts, floor);
    if bands.len() < 2 {
        return None;
    }
    let (at, gap) = widest_gap(&bands)?;
    let (top, bottom) = bands.split_at(at + 1);
    let symbol = ink.bounds(0, ink.width, top[0].0, top[top.len() - 1].1)?;
    let name = ink.bounds(0, ink.width, bottom[0].0, bottom[bottom.len() - 1].1)?;
    let (name_w, name_h) = (name[2] - name[0], name[3] - name[1]);
    let name_columns = ink.columns(name[0]..name[2], name[1]..name[3]);
    // Letters a reader can see at the logo's size (not a thin rule or the dashes of an
    // orbit under the symbol), at least two, on a line.
    let letters = runs(&name_columns, 0).len() >= 2
        && name_w as f64 >= 2.0 * name_h as f64
        && name_h as f64 >= 0.06 * ink.height as f64;
    let clear = gap as f64 >= 0.12 * name_h as f64 && gap as f64 >= 0.02 * ink.height as f64;
    let tall = (symbol[3] - symbol[1]) >= name_h;
    (clear && letters && tall && compact(symbol)).then_some(symbol)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    /// A logo drawn from boxes `[x, y, w, h]` of ink.
    fn drawn(size: (u32, u32), boxes: &[[u32; 4]]) -> RgbaImage {
        let mut img = RgbaImage::new(size.0, size.1);
        for b in boxes {
            for y in b[1]..b[1] + b[3] {
                for x in b[0]..b[0] + b[2] {
                    img.put_pixel(x, y, Rgba([20, 40, 200, 255]));
                }
            }
        }
        img
    }

    #[test]
    fn a_symbol_beside_a_name_is_found_on_either_side_and_above() {
        // A 100 px disc-like block, a 40 px gap, then five 50 px letters 10 px apart.
        let mut boxes = vec![[0, 0, 100, 100]];
        boxes.extend((0..5).map(|i| [140 + i * 50, 30, 40, 50]));
        assert_eq!(
            symbol_box(&drawn((390, 100), &boxes)),
            Some([0, 0, 100, 100])
        );
        // The same, name first.
        let mut boxes: Vec<[u32; 4]> = (0..5).map(|i| [i * 50, 30, 40, 50]).collect();
        boxes.push([280, 0, 100, 100]);
        assert_eq!(
            symbol_box(&drawn((380, 100), &boxes)),
            Some([280, 0, 100, 100])
        );
        // Stacked: the symbol above a line of letters.
        let mut boxes = vec![[100, 0, 100, 100]];
        boxes.extend((0..6).map(|i| [i * 50, 130, 40, 40]));
        assert_eq!(
            symbol_box(&drawn((300, 170), &boxes)),
            Some([100, 0, 100, 100])
        );
    }

    #[test]
    fn a_mark_is_named_after_its_logo_with_an_ending_in_any_case() {
        assert_eq!(mark_rank("logo.mark.svg", "logo"), Some(0));
        assert_eq!(mark_rank("logo.mark.PNG", "logo"), Some(1));
        assert_eq!(mark_rank("logo.mark.jpg", "logo"), None);
        assert_eq!(mark_rank("other.mark.svg", "logo"), None);
        assert_eq!(mark_rank("logo.svg", "logo"), None);
    }

    #[test]
    fn wordmarks_and_lone_symbols_have_no_symbol() {
        // Evenly spaced letters.
        let boxes: Vec<[u32; 4]> = (0..6).map(|i| [i * 50, 0, 40, 60]).collect();
        assert_eq!(symbol_box(&drawn((290, 60), &boxes)), None);
        // A small dot before a word (it is not as tall as the letters).
        let mut boxes = vec![[0, 40, 16, 16]];
        boxes.extend((0..5).map(|i| [60 + i * 50, 0, 40, 56]));
        assert_eq!(symbol_box(&drawn((300, 56), &boxes)), None);
        // Two shapes side by side.
        let boxes = [[0, 0, 100, 100], [150, 0, 100, 100]];
        assert_eq!(symbol_box(&drawn((250, 100), &boxes)), None);
    }
}
