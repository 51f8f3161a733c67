//! Separations: one film per ink for screen printing, all on one artboard with the same
//! registration marks so that the films line up on the press.
//!
//! **Artboard.** The logo at the print size (`[print] width_in` wide, as in `print/`),
//! plus a half-inch margin on every side. A registration mark (a circle with a cross
//! through it, 0.5 pt lines) sits in the middle of each margin, a quarter inch from the
//! artboard's edge: the same four marks on every film, in every format.
//!
//! **Spot inks.** A logo of at most `[separations] max_inks` flat colours is separated
//! into one film per colour, from the vector artwork (the colour trace, or the SVG
//! input): each ink's shapes, knocked out wherever a shape of another ink is painted
//! over them, so no point of the artboard carries two inks. Inks are numbered by area,
//! largest first. A logo counts as flat when its artwork has only flat fills and at least
//! [`FLAT_SHARE`] of its smooth opaque pixels (inside areas, not on the edges between
//! colours) lie within [`FLAT_DISTANCE`] of an ink colour.
//!
//! **CMYK process.** Any other logo (gradients, photographs, more colours) gets four
//! process films: the logo's naive CMYK values (K = 1 - max(R, G, B), the rest relative
//! to it) as round-dot halftone screens at `[separations] lpi`, angled C 15, M 75, Y 0,
//! K 45 degrees, clipped to the logo's shape.
//!
//! **Files** (`separations/`): per film, `<film>.png` (black on transparent at
//! `[separations] dpi`), `<film>.svg` (the film in its ink's colour) and `<film>.pdf`
//! (the film as a Separation colour named after the ink, with the ink's CMYK as its
//! alternate; knock-outs are tint 0; marks in the `All` separation, as RIPs expect).
//! Spot films are named `ink<N>-<HEX>-C<c>M<m>Y<y>K<k>`, process films
//! `process-cyan` and so on. `composite.png` recombines the films in their inks (on a
//! transparent ground for spot inks, on white paper for process films), and
//! `inks.json` lists the inks with their coverage.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use image::{Rgba, RgbaImage};
use pdf_writer::{Content, Name, Ref};
use serde::Serialize;
use tiny_skia::FillRule;
use usvg::tiny_skia_path::{Path, PathBuilder, Stroke, Transform};

use crate::color::{self, Rgb};
use crate::config::DotShape;
use crate::source::{Master, Source};
use crate::variation::halftone::{circle, Grid, Integral};
use crate::variation::print::{
    finish_pdf, num as n, one_page_pdf, path_data, Artwork, Page, FIRST_FREE_REF,
};
use crate::variation::{palette, vector, Artifact, Context};

/// Points per inch.
const PT_PER_IN: f64 = 72.0;
/// Artboard margin around the logo, in points (half an inch).
const MARGIN: f64 = 36.0;
/// Registration mark: distance of its centre from the artboard's edge, circle radius,
/// half the length of its cross and line width, in points.
const MARK_INSET: f64 = 18.0;
const MARK_RADIUS: f64 = 6.0;
const MARK_ARM: f64 = 10.0;
const MARK_LINE: f32 = 0.5;
/// Largest film, in pixels: with `[separations] max_inks` at its default of 6, building
/// the films then takes about 440 MB (see [`film_memory`]). The defaults make films of
/// 11 in x (the logo's height + 1 in) at 300 dpi: 11 MP for a square logo.
const MAX_FILM_PIXELS: u64 = 40_000_000;
/// Working memory per film pixel beyond one byte per ink (each ink's coverage plane): the
/// composite, the PNG being encoded, the marks and a mask. heaptrack on corpus arc (5 inks,
/// 512 x 449 px) measured 24.5, 94.4 and 373.6 MB at 150, 300 and 600 dpi: about 10 bytes
/// a film pixel, 5 of them its inks'.
const BYTES_PER_FILM_PIXEL_BEYOND_INKS: f64 = 5.0;

/// The film memory a separations job needs beyond the variation's fixed estimate, for the
/// allocator: `[separations] max_inks` + 5 bytes a pixel of the artboard of a logo
/// `aspect` times as high as wide at `[print] width_in` and `[separations] dpi`, up to the
/// largest film allowed. The aspect comes from the input's header, so a logo trimmed to
/// another shape gets somewhat different films; one with fewer inks needs less.
pub(crate) fn film_memory(config: &crate::config::Config, aspect: f64) -> u64 {
    let width = config.print.width_in * PT_PER_IN;
    let (w, h) = film_px(width, width * aspect.max(0.0), config.separations.dpi);
    let pixels = (w as f64 * h as f64).min(MAX_FILM_PIXELS as f64);
    let per_pixel = config.separations.max_inks as f64 + BYTES_PER_FILM_PIXEL_BEYOND_INKS;
    (pixels * per_pixel) as u64
}

/// Film size in pixels for a logo `width` x `height` points at `dpi`: the artboard adds
/// the margin on every side.
fn film_px(width: f64, height: f64, dpi: f64) -> (u32, u32) {
    let px_per_pt = dpi / PT_PER_IN;
    let px = |pt: f64| ((pt + 2.0 * MARGIN) * px_per_pt).round().max(1.0) as u32;
    (px(width), px(height))
}

/// A logo is flat (spot inks) when this share of its smooth opaque pixels ...
const FLAT_SHARE: f64 = 0.95;
/// ... lies within this RGB distance of an ink colour (JPEG noise stays within it).
const FLAT_DISTANCE: f32 = 24.0;
/// Most RGB distance between a smooth pixel and its neighbours two pixels away.
const SMOOTH: f32 = 12.0;
/// The process films: name, screen angle in degrees, CMYK alternate.
const PROCESS: [(&str, f64, [f32; 4]); 4] = [
    ("cyan", 15.0, [1.0, 0.0, 0.0, 0.0]),
    ("magenta", 75.0, [0.0, 1.0, 0.0, 0.0]),
    ("yellow", 0.0, [0.0, 0.0, 1.0, 0.0]),
    ("black", 45.0, [0.0, 0.0, 0.0, 1.0]),
];

/// `separations/<film>.{png,svg,pdf}`, `separations/composite.png`, `separations/inks.json`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let traces = vector::traces(source, ctx)?;
    let art = Artwork::from_svg(&traces.0)?;
    let master = source.master(ctx.config)?;
    let cfg = &ctx.config.separations;
    let colours = art_colours(&art);
    let flat = flat_share(&master, &colours);
    let why_process = if !art.flat {
        Some(
            "the artwork has gradients, transparency or effects that flat inks cannot print"
                .to_owned(),
        )
    } else if colours.len() > cfg.max_inks {
        Some(format!(
            "{} colours, more than [separations] max_inks = {}",
            colours.len(),
            cfg.max_inks
        ))
    } else if flat < FLAT_SHARE {
        Some(format!(
            "only {:.1}% of the inside of the logo's areas is one of its flat colours (gradients or shading)",
            flat * 100.0
        ))
    } else {
        None
    };
    let seps = match &why_process {
        None => spot(&art, &colours, ctx)?,
        Some(_) => process(&master, ctx)?,
    };
    let spot_mode = why_process.is_none();
    let mut files = seps.files(ctx, why_process, flat)?;
    if spot_mode {
        // What the artwork could not carry (a clip path, say) holds for every film.
        let warnings: Vec<String> = (art.warnings.iter())
            .map(|w| w.replacen("print: ", "separations: ", 1))
            .collect();
        for f in &mut files {
            f.warnings.clone_from(&warnings);
        }
    }
    Ok(files)
}

/// The distinct fill colours of `art`, in painting order of first use.
fn art_colours(art: &Artwork) -> Vec<[u8; 3]> {
    let mut out: Vec<[u8; 3]> = Vec::new();
    for s in &art.shapes {
        if !out.contains(&s.rgb) {
            out.push(s.rgb);
        }
    }
    out
}

/// Share of the master's smooth opaque pixels within [`FLAT_DISTANCE`] of one of
/// `colours`. Smooth pixels are those within [`SMOOTH`] of their opaque neighbours two
/// pixels away on each side: the inside of flat areas and of gradients, not the edges
/// between colours, where anti-aliasing and JPEG ringing make colours of no ink. So a
/// flat logo scores near 1 even as a JPEG, and a gradient scores low.
fn flat_share(master: &Master, colours: &[[u8; 3]]) -> f64 {
    let img = &master.image;
    let (w, h) = img.dimensions();
    let (mut near, mut all) = (0u64, 0u64);
    for y in 2..h.saturating_sub(2) {
        for x in 2..w.saturating_sub(2) {
            let p = img.get_pixel(x, y);
            if p[3] < 255 {
                continue;
            }
            let rgb = [p[0], p[1], p[2]];
            let smooth = [(x - 2, y), (x + 2, y), (x, y - 2), (x, y + 2)]
                .iter()
                .all(|&(u, v)| {
                    let q = img.get_pixel(u, v);
                    q[3] == 255 && color::distance(rgb, [q[0], q[1], q[2]]) <= SMOOTH
                });
            if !smooth {
                continue;
            }
            all += 1;
            if colours
                .iter()
                .any(|&c| color::distance(rgb, c) <= FLAT_DISTANCE)
            {
                near += 1;
            }
        }
    }
    if all == 0 {
        1.0
    } else {
        near as f64 / all as f64
    }
}

/// The artboard: the logo's box at the print size plus the margin, in points (y down),
/// and its film raster.
struct Board {
    /// Width and height in points.
    size: (f64, f64),
    /// The logo's box within it: left, top, width, height in points.
    logo: [f64; 4],
    /// Film pixels per point.
    px_per_pt: f64,
    /// Film size in pixels.
    px: (u32, u32),
    /// Centres of the registration marks, in points.
    marks: [(f64, f64); 4],
}

impl Board {
    /// The artboard around `page` (the artwork at the print size) with films at `dpi`.
    fn new(page: &Page, dpi: f64) -> Result<Board, String> {
        let size = (page.width + 2.0 * MARGIN, page.height + 2.0 * MARGIN);
        let px_per_pt = dpi / PT_PER_IN;
        let px = film_px(page.width, page.height, dpi);
        if px.0 as u64 * px.1 as u64 > MAX_FILM_PIXELS {
            return Err(format!(
                "films of {} x {} px are too large; lower [separations] dpi or [print] width_in",
                px.0, px.1
            ));
        }
        let (w, h) = size;
        Ok(Board {
            size,
            logo: [MARGIN, MARGIN, page.width, page.height],
            px_per_pt,
            px,
            marks: [
                (w / 2.0, MARK_INSET),
                (w - MARK_INSET, h / 2.0),
                (w / 2.0, h - MARK_INSET),
                (MARK_INSET, h / 2.0),
            ],
        })
    }

    /// The registration marks as centre lines (circles and crosses), in points.
    fn mark_lines(&self) -> Path {
        let mut pb = PathBuilder::new();
        for &(x, y) in &self.marks {
            circle(&mut pb, x, y, MARK_RADIUS);
            pb.move_to((x - MARK_ARM) as f32, y as f32);
            pb.line_to((x + MARK_ARM) as f32, y as f32);
            pb.move_to(x as f32, (y - MARK_ARM) as f32);
            pb.line_to(x as f32, (y + MARK_ARM) as f32);
        }
        pb.finish().expect("four marks make a path")
    }

    /// The marks' coverage on the film raster.
    fn mark_coverage(&self) -> Result<Vec<u8>, String> {
        let stroke = Stroke {
            width: MARK_LINE,
            ..Stroke::default()
        };
        let outline = self
            .mark_lines()
            .stroke(&stroke, self.px_per_pt as f32)
            .ok_or("cannot outline the registration marks")?;
        let mut mask = self.mask()?;
        mask.fill_path(&outline, FillRule::Winding, true, self.to_px());
        Ok(mask.take())
    }

    fn mask(&self) -> Result<tiny_skia::Mask, String> {
        tiny_skia::Mask::new(self.px.0, self.px.1).ok_or_else(|| "the film is too large".into())
    }

    /// How far apart (points) two shapes' bounds may be and still share a film pixel:
    /// a point, or two pixels at coarse resolutions.
    fn slack(&self) -> f32 {
        (2.0 / self.px_per_pt).max(1.0) as f32
    }

    /// Points to film pixels.
    fn to_px(&self) -> Transform {
        Transform::from_scale(self.px_per_pt as f32, self.px_per_pt as f32)
    }

    /// A PDF page of the artboard (points, no scaling).
    fn page(&self) -> Page {
        Page {
            width: self.size.0,
            height: self.size.1,
            scale: 1.0,
            origin: (0.0, 0.0),
        }
    }
}

/// One film's artwork in artboard points: fills in painting order, each inking (`true`)
/// or knocking out (`false`) what is under it.
#[derive(Default)]
struct Plate {
    ops: Vec<(Path, bool, bool)>,
}

impl Plate {
    /// The film's ink coverage (0-255) on the board's raster: each fill painted over the
    /// ones before it. A pixel's coverages over the films of one painting order never sum
    /// past 255 (every product is rounded down).
    fn coverage(&self, board: &Board) -> Result<Vec<u8>, String> {
        let mut plane = vec![0u8; board.px.0 as usize * board.px.1 as usize];
        let mut mask = board.mask()?;
        let to_px = board.to_px();
        for (path, even_odd, ink) in &self.ops {
            let Some(area) = pixel_box(path, to_px, board.px) else {
                continue;
            };
            mask.fill_path(path, rule(*even_odd), true, to_px);
            let data = mask.data_mut();
            for y in area[1]..area[3] {
                let row = y * board.px.0 as usize;
                for i in row + area[0]..row + area[2] {
                    let m = data[i] as u32;
                    let under = (plane[i] as u32 * (255 - m)) / 255;
                    plane[i] = if *ink { m + under } else { under } as u8;
                    data[i] = 0;
                }
            }
        }
        Ok(plane)
    }

    /// The film as an SVG in points, its fills in `hex`. Each run of inking fills is a
    /// group masked by the knock-outs painted after it that meet it, so the file holds
    /// one colour and no mask nests in another.
    fn svg(&self, board: &Board, hex: &str, title: &str) -> String {
        let (w, h) = board.size;
        let mut defs = String::new();
        let mut body = String::new();
        let mut i = 0;
        while i < self.ops.len() {
            if !self.ops[i].2 {
                i += 1;
                continue;
            }
            let run_end = (i..self.ops.len())
                .find(|&k| !self.ops[k].2)
                .unwrap_or(self.ops.len());
            let run = &self.ops[i..run_end];
            let reach = outset(
                run.iter()
                    .map(|op| op.0.bounds())
                    .reduce(union)
                    .expect("a run"),
                board.slack(),
            );
            let mut paths = String::new();
            for (path, even_odd, _) in run {
                paths.push_str(&path_element("", "fill-rule", *even_odd, path));
            }
            let knock: Vec<&(Path, bool, bool)> = (self.ops[run_end..].iter())
                .filter(|op| !op.2 && op.0.bounds().intersect(&reach).is_some())
                .collect();
            if knock.is_empty() {
                body.push_str(&paths);
            } else {
                let id = format!("ko{}", i + 1);
                let _ = writeln!(
                    defs,
                    "<mask id=\"{id}\" maskUnits=\"userSpaceOnUse\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\">\
                     <rect width=\"{}\" height=\"{}\" fill=\"#fff\"/>",
                    n(w),
                    n(h),
                    n(w),
                    n(h)
                );
                for (path, even_odd, _) in knock {
                    defs.push_str(&path_element(
                        " fill=\"#000\"",
                        "fill-rule",
                        *even_odd,
                        path,
                    ));
                }
                defs.push_str("</mask>\n");
                let _ = write!(body, "<g mask=\"url(#{id})\">\n{paths}</g>\n");
            }
            i = run_end;
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{wi}in\" height=\"{hi}in\" viewBox=\"0 0 {w} {h}\">\n\
             <title>{title}</title>\n<defs>\n{defs}</defs>\n\
             <g id=\"ink\" fill=\"{hex}\">\n{body}</g>\n\
             <g id=\"registration\" fill=\"none\" stroke=\"{hex}\" stroke-width=\"{line}\">\n<path d=\"{marks}\"/>\n</g>\n</svg>\n",
            wi = n(w / PT_PER_IN),
            hi = n(h / PT_PER_IN),
            w = n(w),
            h = n(h),
            title = crate::preview::escape(title),
            line = n(MARK_LINE),
            marks = path_data(&board.mark_lines()),
        )
    }

    /// The film as a one-page PDF: fills in a Separation colour `ink` (alternate: `cmyk`,
    /// 0-1), knock-outs at tint 0, marks in the `All` separation.
    fn pdf(
        &self,
        board: &Board,
        ink: &str,
        cmyk: [f32; 4],
        title: &str,
    ) -> Result<Vec<u8>, String> {
        let page = board.page();
        let (ink_cs, all_cs) = (Ref::new(FIRST_FREE_REF), Ref::new(FIRST_FREE_REF + 1));
        let (mut pdf, content_id, info) =
            one_page_pdf(&page, &[(b"Ink".as_slice(), ink_cs), (b"All", all_cs)]);
        for (id, name, c1) in [
            (ink_cs, ink.as_bytes(), cmyk),
            (all_cs, b"All".as_slice(), [1.0; 4]),
        ] {
            let mut sep = pdf.color_space(id).separation(Name(name));
            sep.alternate_color_space().device_cmyk();
            sep.tint_exponential()
                .domain([0.0, 1.0])
                .c0([0.0; 4])
                .c1(c1)
                .n(1.0);
        }
        let mut c = Content::new();
        c.set_fill_color_space(Name(b"Ink"));
        for (path, even_odd, ink) in &self.ops {
            c.set_fill_color([if *ink { 1.0 } else { 0.0 }]);
            page.trace(&mut c, path);
            if *even_odd {
                c.fill_even_odd();
            } else {
                c.fill_nonzero();
            }
        }
        c.set_stroke_color_space(Name(b"All"));
        c.set_stroke_color([1.0]);
        c.set_line_width(MARK_LINE);
        page.trace(&mut c, &board.mark_lines());
        c.stroke();
        finish_pdf(pdf, c, content_id, info, title)
    }
}

/// A fill rule from the even-odd flag.
fn rule(even_odd: bool) -> FillRule {
    if even_odd {
        FillRule::EvenOdd
    } else {
        FillRule::Winding
    }
}

/// A `<path>` line with the attributes `attrs`, and `rule_attr="evenodd"` (`fill-rule`
/// or `clip-rule`) when even-odd.
fn path_element(attrs: &str, rule_attr: &str, even_odd: bool, path: &Path) -> String {
    let rule = if even_odd {
        format!(" {rule_attr}=\"evenodd\"")
    } else {
        String::new()
    };
    format!("<path{attrs}{rule} d=\"{}\"/>\n", path_data(path))
}

/// The film pixels `path` (points) may touch: left, top, right, bottom (exclusive),
/// clamped to the film; `None` when it misses the film.
fn pixel_box(path: &Path, to_px: Transform, (w, h): (u32, u32)) -> Option<[usize; 4]> {
    let b = path.bounds().transform(to_px)?;
    let x0 = (b.left().floor() - 1.0).max(0.0) as usize;
    let y0 = (b.top().floor() - 1.0).max(0.0) as usize;
    let x1 = ((b.right().ceil() + 1.0).max(0.0) as usize).min(w as usize);
    let y1 = ((b.bottom().ceil() + 1.0).max(0.0) as usize).min(h as usize);
    (x1 > x0 && y1 > y0).then_some([x0, y0, x1, y1])
}

/// One film ready to write.
struct Film {
    /// File name without extension.
    name: String,
    /// Separation name in the PDF.
    ink_name: String,
    /// The colour its ink prints (spot) or stands for (process).
    rgb: [u8; 3],
    /// CMYK alternate, 0-1.
    cmyk: [f32; 4],
    /// Process screen angle.
    angle: Option<f64>,
    plate: Plate,
    coverage: Vec<u8>,
}

/// All the films of one logo.
struct Separations {
    board: Board,
    spot: bool,
    films: Vec<Film>,
}

/// Spot films, one per colour of `art`, largest area first.
fn spot(art: &Artwork, colours: &[[u8; 3]], ctx: &Context) -> Result<Separations, String> {
    let page = art.page(ctx.config.print.width_in);
    let board = Board::new(&page, ctx.config.separations.dpi)?;
    // Artwork units to artboard points.
    let to_board = Transform::from_row(
        page.scale as f32,
        0.0,
        0.0,
        page.scale as f32,
        (MARGIN - page.origin.0 * page.scale) as f32,
        (MARGIN - page.origin.1 * page.scale) as f32,
    );
    let shapes: Vec<(Path, bool, [u8; 3])> = art
        .shapes
        .iter()
        .filter_map(|s| Some((s.path.clone().transform(to_board)?, s.even_odd, s.rgb)))
        .collect();
    let mut films = Vec::new();
    for &rgb in colours {
        check_deadline(ctx.deadline)?;
        let mut plate = Plate::default();
        // Bounds of this ink so far: only later shapes that meet them knock anything out.
        let mut inked: Option<tiny_skia::Rect> = None;
        for (path, even_odd, colour) in &shapes {
            let b = path.bounds();
            if *colour == rgb {
                inked = Some(match inked {
                    Some(r) => union(r, b),
                    None => b,
                });
                plate.ops.push((path.clone(), *even_odd, true));
            } else if inked.is_some_and(|r| r.intersect(&outset(b, board.slack())).is_some()) {
                plate.ops.push((path.clone(), *even_odd, false));
            }
        }
        let coverage = plate.coverage(&board)?;
        if coverage.iter().all(|&v| v == 0) {
            // Painted over everywhere: no ink of this colour shows.
            continue;
        }
        let cmyk = palette::cmyk(Rgb(rgb));
        let hex = Rgb(rgb).to_hex()[1..].to_uppercase();
        films.push(Film {
            name: format!("{hex}-C{}M{}Y{}K{}", cmyk[0], cmyk[1], cmyk[2], cmyk[3]),
            ink_name: format!("Ink {hex}"),
            rgb,
            cmyk: cmyk.map(|v| v as f32 / 100.0),
            angle: None,
            plate,
            coverage,
        });
    }
    // Largest area first, then by colour: a stable order whatever the painting order.
    films.sort_by(|a, b| {
        let area = |f: &Film| f.coverage.iter().map(|&v| v as u64).sum::<u64>();
        area(b).cmp(&area(a)).then(a.rgb.cmp(&b.rgb))
    });
    for (i, f) in films.iter_mut().enumerate() {
        f.name = format!("ink{}-{}", i + 1, f.name);
    }
    Ok(Separations {
        board,
        spot: true,
        films,
    })
}

/// Four CMYK process films: halftone screens of the master's naive CMYK, clipped to its
/// alpha (every colour is ink here, white too: a light tint is a light screen).
fn process(master: &Master, ctx: &Context) -> Result<Separations, String> {
    let cfg = &ctx.config.separations;
    let img = &master.image;
    let (w, h) = img.dimensions();
    // The logo box is the master's (trimmed to content), `width_in` wide.
    let scale = ctx.config.print.width_in * PT_PER_IN / w.max(1) as f64;
    let page = Page {
        width: w as f64 * scale,
        height: h as f64 * scale,
        scale,
        origin: (0.0, 0.0),
    };
    let board = Board::new(&page, cfg.dpi)?;
    let clip = alpha_on_board(img, &board);
    let mut films = Vec::new();
    for (k, &(name, angle, cmyk)) in PROCESS.iter().enumerate() {
        check_deadline(ctx.deadline)?;
        let sums = Integral::of(img, |p| {
            palette::cmyk_fraction([p[0], p[1], p[2]])[k] * p[3] as f64 / 255.0
        });
        let grid = Grid {
            cell: PT_PER_IN / cfg.lpi,
            angle,
            shape: DotShape::Round,
        };
        let mut dots = PathBuilder::new();
        for cell in grid.cells(&sums, scale) {
            grid.outline(&cell, (MARGIN, MARGIN), &mut dots);
        }
        let mut plate = Plate::default();
        if let Some(path) = dots.finish() {
            plate.ops.push((path, false, true));
        }
        let mut coverage = plate.coverage(&board)?;
        for (v, &a) in coverage.iter_mut().zip(&clip) {
            *v = ((*v as u32 * a as u32) / 255) as u8;
        }
        let rgb = cmyk_rgb(cmyk.map(|v| v as f64));
        films.push(Film {
            name: format!("process-{name}"),
            ink_name: capitalise(name),
            rgb,
            cmyk,
            angle: Some(angle),
            // Process films are written as PNG only: the dots (tens of MB of path for a
            // large logo) are not kept past their raster.
            plate: Plate::default(),
            coverage,
        });
    }
    Ok(Separations {
        board,
        spot: false,
        films,
    })
}

/// The alpha of `img` resized onto the board's logo box, 0 elsewhere.
fn alpha_on_board(img: &RgbaImage, board: &Board) -> Vec<u8> {
    let k = board.px_per_pt;
    let x0 = (board.logo[0] * k).round() as u32;
    let y0 = (board.logo[1] * k).round() as u32;
    let lw = ((board.logo[2] * k).round() as u32).clamp(1, board.px.0 - x0);
    let lh = ((board.logo[3] * k).round() as u32).clamp(1, board.px.1 - y0);
    let logo = crate::raster::resize(img, lw, lh);
    let mut out = vec![0u8; board.px.0 as usize * board.px.1 as usize];
    for (x, y, p) in logo.enumerate_pixels() {
        out[(y0 + y) as usize * board.px.0 as usize + (x0 + x) as usize] = p[3];
    }
    out
}

/// The colour of CMYK inks (0-1 each) on white paper, naively.
fn cmyk_rgb([c, m, y, k]: [f64; 4]) -> [u8; 3] {
    [c, m, y].map(|v| (255.0 * (1.0 - v) * (1.0 - k)).round() as u8)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn union(a: tiny_skia::Rect, b: tiny_skia::Rect) -> tiny_skia::Rect {
    tiny_skia::Rect::from_ltrb(
        a.left().min(b.left()),
        a.top().min(b.top()),
        a.right().max(b.right()),
        a.bottom().max(b.bottom()),
    )
    .unwrap_or(a)
}

/// `r` grown by `by` each way.
fn outset(r: tiny_skia::Rect, by: f32) -> tiny_skia::Rect {
    tiny_skia::Rect::from_ltrb(r.left() - by, r.top() - by, r.right() + by, r.bottom() + by)
        .unwrap_or(r)
}

fn check_deadline(deadline: Instant) -> Result<(), String> {
    if Instant::now() >= deadline {
        Err("separations: timed out".into())
    } else {
        Ok(())
    }
}

/// One ink in `inks.json`.
#[derive(Serialize)]
struct InkRecord<'a> {
    film: &'a str,
    ink: &'a str,
    hex: String,
    cmyk: [u8; 4],
    #[serde(skip_serializing_if = "Option::is_none")]
    angle: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lpi: Option<f64>,
    /// Share of the logo's box the ink covers, in percent.
    coverage_pct: f64,
}

/// `inks.json`.
#[derive(Serialize)]
struct InkList<'a> {
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    why_process: Option<String>,
    /// Share of smooth opaque logo pixels near an ink colour of the artwork.
    flat_share: f64,
    dpi: f64,
    artboard_in: [f64; 2],
    logo_in: [f64; 4],
    registration_marks_in: Vec<[f64; 2]>,
    paper: Option<&'static str>,
    inks: Vec<InkRecord<'a>>,
}

impl Separations {
    /// The recombined films: spot inks on transparent, process inks on white paper.
    fn composite(&self) -> RgbaImage {
        let (w, h) = self.board.px;
        let mut out = RgbaImage::new(w, h);
        for (i, px) in out.pixels_mut().enumerate() {
            if self.spot {
                let (mut sum, mut rgb) = (0u32, [0u32; 3]);
                for f in &self.films {
                    let v = f.coverage[i] as u32;
                    sum += v;
                    for (c, &ink) in rgb.iter_mut().zip(&f.rgb) {
                        *c += v * ink as u32;
                    }
                }
                let mean = |c: u32| (c + sum / 2).checked_div(sum).map(|v| v as u8);
                if let [Some(r), Some(g), Some(b)] = rgb.map(mean) {
                    *px = Rgba([r, g, b, sum.min(255) as u8]);
                }
            } else {
                let v: [f64; 4] = std::array::from_fn(|k| self.films[k].coverage[i] as f64 / 255.0);
                let [r, g, b] = cmyk_rgb(v);
                *px = Rgba([r, g, b, 255]);
            }
        }
        out
    }

    fn files(
        self,
        ctx: &Context,
        why_process: Option<String>,
        flat: f64,
    ) -> Result<Vec<Artifact>, String> {
        let dir = PathBuf::from("separations");
        let board = &self.board;
        let effort = ctx.config.build.png;
        let marks = board.mark_coverage()?;
        let logo_px = (board.logo[2] * board.px_per_pt) * (board.logo[3] * board.px_per_pt);
        let ink_share = |f: &Film| {
            let sum: u64 = f.coverage.iter().map(|&v| v as u64).sum();
            sum as f64 / 255.0 / logo_px.max(1.0)
        };
        let mut out = Vec::new();
        let mut inks = Vec::new();
        for f in &self.films {
            check_deadline(ctx.deadline)?;
            let hex = Rgb(f.rgb).to_hex();
            // Black on transparent: the ink as alpha, the marks on top.
            let la: Vec<u8> = f
                .coverage
                .iter()
                .zip(&marks)
                .flat_map(|(&v, &m)| [0, v.max(m)])
                .collect();
            ctx.emit(
                &mut out,
                Artifact {
                    path: dir.join(format!("{}.png", f.name)),
                    format: "png",
                    width: board.px.0,
                    height: board.px.1,
                    bytes: crate::output::encode_png_la(&la, board.px, effort)?,
                    warnings: Vec::new(),
                },
            )?;
            if !self.spot {
                // Process screens stay raster: as vectors they are a hundred thousand
                // dots, tens of MB per film, and a RIP screens better itself.
                inks.push(f.record(&hex, ink_share(f), ctx));
                continue;
            }
            let title = format!("{} separation: {}", ctx.stem, f.ink_name);
            ctx.emit(
                &mut out,
                Artifact::text(
                    dir.join(format!("{}.svg", f.name)),
                    "svg",
                    board.px,
                    f.plate.svg(board, &hex, &title),
                ),
            )?;
            let mut pdf = Artifact::text(
                dir.join(format!("{}.pdf", f.name)),
                "pdf",
                (board.size.0.round() as u32, board.size.1.round() as u32),
                String::new(),
            );
            pdf.bytes = f.plate.pdf(board, &f.ink_name, f.cmyk, &title)?;
            ctx.emit(&mut out, pdf)?;
            inks.push(f.record(&hex, ink_share(f), ctx));
        }
        ctx.emit(
            &mut out,
            Artifact::png(dir.join("composite.png"), &self.composite(), effort)?,
        )?;
        let inch = |pt: f64| (pt / PT_PER_IN * 1e4).round() / 1e4;
        let list = InkList {
            mode: if self.spot { "spot" } else { "process" },
            why_process,
            flat_share: round2(flat * 100.0) / 100.0,
            dpi: ctx.config.separations.dpi,
            artboard_in: [inch(board.size.0), inch(board.size.1)],
            logo_in: board.logo.map(inch),
            registration_marks_in: board
                .marks
                .iter()
                .map(|&(x, y)| [inch(x), inch(y)])
                .collect(),
            paper: (!self.spot).then_some("#ffffff"),
            inks,
        };
        let json = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())? + "\n";
        ctx.emit(
            &mut out,
            Artifact::text(dir.join("inks.json"), "json", (0, 0), json),
        )?;
        Ok(out)
    }
}

impl Film {
    /// This film's line in `inks.json`; `share` is the part of the logo's box it inks.
    fn record(&self, hex: &str, share: f64, ctx: &Context) -> InkRecord<'_> {
        InkRecord {
            film: &self.name,
            ink: &self.ink_name,
            hex: hex.to_owned(),
            cmyk: self.cmyk.map(|v| (v * 100.0).round() as u8),
            angle: self.angle,
            lpi: self.angle.map(|_| ctx.config.separations.lpi),
            coverage_pct: round2(share * 100.0),
        }
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_memory_follows_the_film_size_up_to_the_largest_film() {
        use crate::config::Config;
        use crate::variation::Variation;
        let with = |dpi: f64| {
            let mut config = Config::default();
            config.separations.dpi = dpi;
            Variation::Separations
                .estimate(1_000_000, false, 1.0, &config)
                .1
        };
        // A square logo at the defaults (10 in, 300 dpi, 6 inks): the films Board::new
        // makes, at 6 + 5 bytes a pixel.
        let default = Config::default();
        let page = Page {
            width: default.print.width_in * PT_PER_IN,
            height: default.print.width_in * PT_PER_IN,
            scale: 1.0,
            origin: (0.0, 0.0),
        };
        let films = Board::new(&page, default.separations.dpi).unwrap().px;
        assert_eq!(films, (3300, 3300));
        let film_pixels = films.0 as u64 * films.1 as u64;
        assert_eq!(film_memory(&default, 1.0), film_pixels * 11);
        assert_eq!(
            with(300.0) - with(150.0),
            film_memory(&default, 1.0) * 3 / 4
        );
        // 600 dpi would be 6600 x 6600 px, over the largest film: the cap holds.
        assert_eq!(
            with(600.0) - with(300.0),
            MAX_FILM_PIXELS * 11 - film_pixels * 11
        );
        assert_eq!(with(1200.0), with(600.0));
        // A narrower print needs less, more inks need more.
        let mut narrow = Config::default();
        narrow.print.width_in = 5.0;
        assert!(film_memory(&narrow, 1.0) < film_memory(&default, 1.0) / 3);
        let mut inks = Config::default();
        inks.separations.max_inks = 12;
        assert_eq!(film_memory(&inks, 1.0), film_pixels * 17);
        // A logo three times as high as wide: the 3300 x 9300 px films Board::new makes.
        let tall = Page {
            height: 3.0 * page.height,
            ..page
        };
        let films = Board::new(&tall, default.separations.dpi).unwrap().px;
        assert_eq!(films, (3300, 9300));
        assert_eq!(
            film_memory(&default, 3.0),
            films.0 as u64 * films.1 as u64 * 11
        );
    }

    fn square(x: f32, y: f32, side: f32) -> Path {
        let mut pb = PathBuilder::new();
        pb.push_rect(tiny_skia::Rect::from_xywh(x, y, side, side).unwrap());
        pb.finish().unwrap()
    }

    fn board() -> Board {
        let page = Page {
            width: 72.0,
            height: 72.0,
            scale: 1.0,
            origin: (0.0, 0.0),
        };
        Board::new(&page, 72.0).unwrap()
    }

    #[test]
    fn later_fills_knock_out_and_coverages_never_sum_past_one_ink() {
        let b = board();
        // Ink A, then ink B over half of it (at a fractional edge), then A again.
        let a1 = square(40.0, 40.0, 40.0);
        let b1 = square(60.3, 60.3, 40.0);
        let a2 = square(90.0, 90.0, 10.0);
        let film_a = Plate {
            ops: vec![
                (a1.clone(), false, true),
                (b1.clone(), false, false),
                (a2.clone(), false, true),
            ],
        }
        .coverage(&b)
        .unwrap();
        let film_b = Plate {
            ops: vec![(b1, false, true), (a2, false, false)],
        }
        .coverage(&b)
        .unwrap();
        let w = b.px.0 as usize;
        assert_eq!(film_a[50 * w + 50], 255);
        assert_eq!(film_a[70 * w + 70], 0, "B knocks A out");
        assert_eq!(film_b[70 * w + 70], 255);
        assert_eq!(film_a[95 * w + 95], 255, "A over B");
        assert_eq!(film_b[95 * w + 95], 0);
        let most = film_a
            .iter()
            .zip(&film_b)
            .map(|(&a, &b)| a as u32 + b as u32)
            .max();
        assert_eq!(most, Some(255));
        // The fractional edge is shared, not dropped: about one ink there.
        let edge = film_a[70 * w + 60] as u32 + film_b[70 * w + 60] as u32;
        assert!(edge >= 253, "{edge}");
    }

    #[test]
    fn marks_sit_in_the_margin_on_every_side() {
        // 4 px to the point: the 0.5 pt lines are 2 px wide.
        let page = Page {
            width: 72.0,
            height: 72.0,
            scale: 1.0,
            origin: (0.0, 0.0),
        };
        let b = Board::new(&page, 288.0).unwrap();
        let marks = b.mark_coverage().unwrap();
        let (w, h) = (b.px.0 as usize, b.px.1 as usize);
        for &(x, y) in &b.marks {
            let (x, y) = ((x * 4.0) as usize, (y * 4.0) as usize);
            assert!(marks[y * w + x] > 128, "cross centre at {x},{y}");
        }
        // Nothing inside the logo's box.
        for y in 144..h - 144 {
            for x in 144..w - 144 {
                assert_eq!(marks[y * w + x], 0);
            }
        }
    }

    #[test]
    fn films_too_large_for_memory_are_refused() {
        let page = Page {
            width: 200.0 * 72.0,
            height: 100.0 * 72.0,
            scale: 1.0,
            origin: (0.0, 0.0),
        };
        let err = Board::new(&page, 300.0).err().unwrap();
        assert!(err.contains("too large") && err.contains("dpi"), "{err}");
    }

    #[test]
    fn bad_separation_settings_are_refused_by_name() {
        let mut config = crate::config::Config::default();
        config.separations.max_inks = 0;
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("separations.max_inks"), "{err}");
        let mut config = crate::config::Config::default();
        config.separations.lpi = 300.0;
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("separations.lpi"), "{err}");
        let mut config = crate::config::Config::default();
        config.separations.dpi = f64::NAN;
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("separations.dpi"), "{err}");
    }

    #[test]
    fn process_values_are_naive_cmyk() {
        assert_eq!(palette::cmyk_fraction([0, 0, 0]), [0.0, 0.0, 0.0, 1.0]);
        assert_eq!(palette::cmyk_fraction([255, 255, 255]), [0.0; 4]);
        assert_eq!(palette::cmyk_fraction([0, 255, 255]), [1.0, 0.0, 0.0, 0.0]);
        assert_eq!(cmyk_rgb([1.0, 0.0, 0.0, 0.0]), [0, 255, 255]);
    }
}
