//! Print files: the full-colour vector logo and its one-ink mark as PDF and EPS, true
//! vectors (paths and flat fills, no pictures), at a print size from `[print]`.
//!
//! Both formats are written from one list of filled shapes taken from the SVG (the
//! trace, or the cleaned copy of an SVG input): each path with its transform applied,
//! strokes turned into outlines, in painting order. The page is the artwork's exact
//! bounding box scaled to `[print] width_in`, so the PDF's MediaBox and the EPS's
//! %%HiResBoundingBox are the logo's edges. Colours are sRGB: a CalRGB colour space with
//! sRGB's white point, primaries and a 2.2 gamma in the PDF, `setrgbcolor` in the EPS.
//! What neither format can say with flat fills (gradients, opacity, clips, masks,
//! filters, embedded pictures) is approximated or left out, with a warning.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};
use usvg::tiny_skia_path::{Path, PathBuilder, PathSegment};

use crate::source::Source;
use crate::variation::{vector, Artifact, Context};

/// Points per inch.
const PT_PER_IN: f64 = 72.0;

/// `print/<stem>.pdf`, `.eps`, `<stem>-mono.pdf`, `<stem>-mono.eps`.
pub fn render(source: &Source, ctx: &Context) -> Result<Vec<Artifact>, String> {
    let traces = vector::traces(source, ctx)?;
    let mut out = Vec::new();
    for (name, svg) in [
        (ctx.stem.to_string(), &traces.0),
        (format!("{}-mono", ctx.stem), &traces.1),
    ] {
        let art = Artwork::from_svg(svg)?;
        let page = art.page(ctx.config.print.width_in);
        let size = (page.width.round() as u32, page.height.round() as u32);
        let mut pdf = Artifact::text(
            PathBuf::from("print").join(format!("{name}.pdf")),
            "pdf",
            size,
            String::new(),
        );
        pdf.bytes = art.pdf(&page, &name, &[])?;
        pdf.warnings = art.warnings.clone();
        let mut eps = Artifact::text(
            PathBuf::from("print").join(format!("{name}.eps")),
            "eps",
            size,
            art.eps(&page, &name),
        );
        eps.warnings = art.warnings;
        out.extend([pdf, eps]);
    }
    Ok(out)
}

/// One filled shape: an outline in SVG user units (y down) and its sRGB colour.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The outline, transforms applied.
    pub path: Path,
    /// Fill colour, 0-255 per channel.
    pub rgb: [u8; 3],
    /// Even-odd fill rule (else non-zero).
    pub even_odd: bool,
}

/// The filled shapes of an SVG in painting order, their union's bounds, and what could
/// not be carried over.
#[derive(Debug)]
pub struct Artwork {
    /// The shapes, bottom first.
    pub shapes: Vec<Shape>,
    /// Bounds of all shapes: left, top, right, bottom in user units.
    pub bounds: [f32; 4],
    /// One line per kind of content approximated or left out.
    pub warnings: Vec<String>,
    /// Whether every colour is flat: no gradient, pattern, opacity, mask, filter or
    /// picture was met (a clip path changes shapes, not colours).
    pub flat: bool,
    /// Resolution for outlining strokes: device pixels per root user unit.
    stroke_res: f32,
}

/// Device pixels across the drawing that stroke outlines are made fine enough for: a
/// 10 in print at 2,400 dpi.
const STROKE_DEVICE_PX: f32 = 24_000.0;

/// The page: the artwork's bounds scaled to the print width, in points.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// Points per user unit.
    pub scale: f64,
    /// The artwork's top-left corner in user units.
    pub origin: (f64, f64),
}

impl Artwork {
    /// Parse `svg` and collect its shapes.
    pub fn from_svg(svg: &str) -> Result<Artwork, String> {
        let tree = usvg::Tree::from_str(svg, &usvg::Options::default())
            .map_err(|e| format!("cannot read the vector trace: {e}"))?;
        let mut art = Artwork {
            shapes: Vec::new(),
            bounds: [f32::MAX, f32::MAX, f32::MIN, f32::MIN],
            warnings: Vec::new(),
            flat: true,
            stroke_res: STROKE_DEVICE_PX / tree.size().width().max(tree.size().height()),
        };
        art.group(tree.root());
        if art.shapes.is_empty() {
            return Err("the vector trace has no filled shapes to print".into());
        }
        for s in &art.shapes {
            // Tight: the curves' extremes, not their control points.
            let b = s.path.compute_tight_bounds().unwrap_or(s.path.bounds());
            art.bounds = [
                art.bounds[0].min(b.left()),
                art.bounds[1].min(b.top()),
                art.bounds[2].max(b.right()),
                art.bounds[3].max(b.bottom()),
            ];
        }
        Ok(art)
    }

    /// Note content that flat fills cannot carry (see [`Artwork::flat`]).
    fn not_flat(&mut self, what: &str) {
        self.flat = false;
        self.warn(what);
    }

    fn warn(&mut self, what: &str) {
        let line = format!("print: {what}");
        if !self.warnings.contains(&line) {
            self.warnings.push(line);
        }
    }

    fn group(&mut self, group: &usvg::Group) {
        if group.opacity().get() < 1.0 {
            self.not_flat("group opacity is not kept (flat fills only)");
        }
        if group.clip_path().is_some() {
            self.warn("clip paths are not applied (the clipped shapes print whole)");
        }
        if group.mask().is_some() {
            self.not_flat("masks are not applied");
        }
        if !group.filters().is_empty() {
            self.not_flat("filter effects are left out");
        }
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => self.group(g),
                usvg::Node::Path(p) => self.path(p),
                usvg::Node::Text(t) => self.group(t.flattened()),
                usvg::Node::Image(_) => self.not_flat("embedded pictures are left out"),
            }
        }
    }

    fn path(&mut self, p: &usvg::Path) {
        if !p.is_visible() {
            return;
        }
        let ts = p.abs_transform();
        let fill = p.fill().map(|f| (f.paint(), f.opacity().get(), f.rule()));
        let stroke = p.stroke().and_then(|s| {
            // The outline of the stroke, in the path's own units, as a filled shape.
            // Fine enough for the print: the outline's curves are flattened to lines
            // within a quarter of a device pixel at [`STROKE_DEVICE_PX`].
            let (sx, sy) = ts.get_scale();
            let outline = p
                .data()
                .stroke(&s.to_tiny_skia(), self.stroke_res * sx.max(sy))?;
            Some((s.paint(), s.opacity().get(), outline))
        });
        let fill_first = p.paint_order() == usvg::PaintOrder::FillAndStroke;
        let add = |art: &mut Self, path: Path, paint: &usvg::Paint, opacity: f32, eo| {
            if opacity < 1.0 {
                art.not_flat("fill and stroke opacity are not kept (flat fills only)");
            }
            let Some(rgb) = art.flat(paint) else { return };
            if let Some(path) = path.transform(ts).and_then(|p| cubics_only(&p)) {
                art.shapes.push(Shape {
                    path,
                    rgb,
                    even_odd: eo,
                });
            }
        };
        let fill_shape = |art: &mut Self| {
            if let Some((paint, opacity, rule)) = fill {
                add(
                    art,
                    p.data().clone(),
                    paint,
                    opacity,
                    rule == usvg::FillRule::EvenOdd,
                );
            }
        };
        if fill_first {
            fill_shape(self);
        }
        if let Some((paint, opacity, outline)) = &stroke {
            add(self, outline.clone(), paint, *opacity, false);
        }
        if !fill_first {
            fill_shape(self);
        }
    }

    /// A paint as one flat colour: gradients become the mean of their stops.
    fn flat(&mut self, paint: &usvg::Paint) -> Option<[u8; 3]> {
        match paint {
            usvg::Paint::Color(c) => Some([c.red, c.green, c.blue]),
            usvg::Paint::LinearGradient(g) => {
                self.not_flat("gradients are printed as their mean colour");
                mean_stop(g.stops())
            }
            usvg::Paint::RadialGradient(g) => {
                self.not_flat("gradients are printed as their mean colour");
                mean_stop(g.stops())
            }
            usvg::Paint::Pattern(_) => {
                self.not_flat("pattern fills are left out");
                None
            }
        }
    }

    /// The page for a print `width_in` inches wide.
    pub fn page(&self, width_in: f64) -> Page {
        let w = (self.bounds[2] - self.bounds[0]).max(f32::EPSILON) as f64;
        let h = (self.bounds[3] - self.bounds[1]).max(f32::EPSILON) as f64;
        let scale = width_in * PT_PER_IN / w;
        Page {
            width: w * scale,
            height: h * scale,
            scale,
            origin: (self.bounds[0] as f64, self.bounds[1] as f64),
        }
    }

    /// A page at the print scale of [`Self::page`] (the artwork `width_in` inches wide)
    /// that spans `around` (user units), which contains the artwork and more.
    pub fn page_around(&self, width_in: f64, around: [f32; 4]) -> Page {
        let scale = self.page(width_in).scale;
        Page {
            width: (around[2] - around[0]) as f64 * scale,
            height: (around[3] - around[1]) as f64 * scale,
            scale,
            origin: (around[0] as f64, around[1] as f64),
        }
    }

    /// The artwork as a one-page PDF whose MediaBox is the page; `cut` paths (user
    /// units), when given, are stroked over it in a Separation colour named `CutContour`
    /// (100% magenta as its alternate), 0.25 pt wide, as cutter RIPs expect.
    pub fn pdf(&self, page: &Page, title: &str, cut: &[Path]) -> Result<Vec<u8>, String> {
        let (srgb, cut_cs) = (Ref::new(FIRST_FREE_REF), Ref::new(FIRST_FREE_REF + 1));
        let mut spaces = vec![(b"sRGB".as_slice(), srgb)];
        if !cut.is_empty() {
            spaces.push((b"CutContour".as_slice(), cut_cs));
        }
        let (mut pdf, content_id, info) = one_page_pdf(page, &spaces);
        pdf.color_space(srgb).cal_rgb(
            [0.9505, 1.0, 1.089],
            None,
            Some([2.2, 2.2, 2.2]),
            Some([
                0.4124, 0.2126, 0.0193, 0.3576, 0.7152, 0.1192, 0.1805, 0.0722, 0.9505,
            ]),
        );
        if !cut.is_empty() {
            let mut sep = pdf.color_space(cut_cs).separation(Name(b"CutContour"));
            sep.alternate_color_space().device_cmyk();
            sep.tint_exponential()
                .domain([0.0, 1.0])
                .c0([0.0, 0.0, 0.0, 0.0])
                .c1([0.0, 1.0, 0.0, 0.0])
                .n(1.0);
        }
        let mut c = Content::new();
        c.set_fill_color_space(Name(b"sRGB"));
        for shape in &self.shapes {
            let [r, g, b] = shape.rgb.map(|v| v as f32 / 255.0);
            c.set_fill_color([r, g, b]);
            page.trace(&mut c, &shape.path);
            if shape.even_odd {
                c.fill_even_odd();
            } else {
                c.fill_nonzero();
            }
        }
        if !cut.is_empty() {
            c.set_stroke_color_space(Name(b"CutContour"));
            c.set_stroke_color([1.0]);
            c.set_line_width(0.25);
            for path in cut {
                page.trace(&mut c, path);
            }
            c.stroke();
        }
        finish_pdf(pdf, c, content_id, info, title)
    }

    /// The artwork as an EPS (EPSF-3.0, PostScript level 2) whose bounding box is the page.
    pub fn eps(&self, page: &Page, title: &str) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "%!PS-Adobe-3.0 EPSF-3.0\n\
             %%Creator: logoproc {}\n\
             %%Title: ({})\n\
             %%BoundingBox: 0 0 {} {}\n\
             %%HiResBoundingBox: 0 0 {} {}\n\
             %%LanguageLevel: 2\n\
             %%Pages: 1\n\
             %%EndComments\n\
             %%BeginProlog\n\
             /m {{moveto}} bind def /l {{lineto}} bind def /c {{curveto}} bind def\n\
             /h {{closepath}} bind def /f {{fill}} bind def /f* {{eofill}} bind def\n\
             /rg {{setrgbcolor}} bind def\n\
             %%EndProlog\n\
             %%Page: 1 1\n\
             save\n",
            env!("CARGO_PKG_VERSION"),
            ps_string(title),
            // Whole points enclosing the box; a rounding error over a whole point
            // (720.0000001) does not add one.
            (page.width - 1e-3).ceil() as u64,
            (page.height - 1e-3).ceil() as u64,
            num(page.width as f32),
            num(page.height as f32),
        );
        for shape in &self.shapes {
            let [r, g, b] = shape.rgb.map(|v| num(v as f32 / 255.0));
            let _ = writeln!(s, "{r} {g} {b} rg");
            for seg in shape.path.segments() {
                let _ = match seg {
                    PathSegment::MoveTo(p) => {
                        let (x, y) = page.map(p.x, p.y);
                        writeln!(s, "{} {} m", num(x), num(y))
                    }
                    PathSegment::LineTo(p) => {
                        let (x, y) = page.map(p.x, p.y);
                        writeln!(s, "{} {} l", num(x), num(y))
                    }
                    PathSegment::QuadTo(..) | PathSegment::CubicTo(..) => {
                        let [a, b, e] = page.cubic(&seg);
                        writeln!(
                            s,
                            "{} {} {} {} {} {} c",
                            num(a.0),
                            num(a.1),
                            num(b.0),
                            num(b.1),
                            num(e.0),
                            num(e.1)
                        )
                    }
                    PathSegment::Close => writeln!(s, "h"),
                };
            }
            s.push_str(if shape.even_odd { "f*\n" } else { "f\n" });
        }
        s.push_str("restore\nshowpage\n%%Trailer\n%%EOF\n");
        s
    }
}

impl Page {
    /// Add `path` (user units) to a PDF content stream, in page points.
    pub(crate) fn trace(&self, c: &mut Content, path: &Path) {
        for seg in path.segments() {
            match seg {
                PathSegment::MoveTo(p) => {
                    let (x, y) = self.map(p.x, p.y);
                    c.move_to(x, y);
                }
                PathSegment::LineTo(p) => {
                    let (x, y) = self.map(p.x, p.y);
                    c.line_to(x, y);
                }
                PathSegment::QuadTo(..) | PathSegment::CubicTo(..) => {
                    let [a, b, e] = self.cubic(&seg);
                    c.cubic_to(a.0, a.1, b.0, b.1, e.0, e.1);
                }
                PathSegment::Close => {
                    c.close_path();
                }
            }
        }
    }

    /// A point in user units to page points (y up).
    fn map(&self, x: f32, y: f32) -> (f32, f32) {
        (
            ((x as f64 - self.origin.0) * self.scale) as f32,
            (self.height - (y as f64 - self.origin.1) * self.scale) as f32,
        )
    }

    /// A cubic segment's two controls and end, in page points. Shapes hold no
    /// quadratics ([`cubics_only`]).
    fn cubic(&self, seg: &PathSegment) -> [(f32, f32); 3] {
        match *seg {
            PathSegment::CubicTo(a, b, e) => {
                [self.map(a.x, a.y), self.map(b.x, b.y), self.map(e.x, e.y)]
            }
            _ => unreachable!("only cubics are passed"),
        }
    }
}

/// The first object number free after [`one_page_pdf`]'s.
pub(crate) const FIRST_FREE_REF: i32 = 6;

/// A PDF of one page of `page`'s size using the colour spaces `spaces` (resource name,
/// object: numbered from [`FIRST_FREE_REF`]), with the objects for its content stream
/// and document info, for [`finish_pdf`].
pub(crate) fn one_page_pdf(page: &Page, spaces: &[(&[u8], Ref)]) -> (Pdf, Ref, Ref) {
    let [catalog, pages, page_id, content_id, info] = [1, 2, 3, 4, 5].map(Ref::new);
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page_id]).count(1);
    let mut p = pdf.page(page_id);
    p.media_box(Rect::new(0.0, 0.0, page.width as f32, page.height as f32));
    p.parent(pages);
    p.contents(content_id);
    let mut resources = p.resources();
    let mut names = resources.color_spaces();
    for &(name, id) in spaces {
        names.pair(Name(name), id);
    }
    names.finish();
    resources.finish();
    p.finish();
    (pdf, content_id, info)
}

/// End a one-page PDF: its content stream `c` deflated as `content_id`, document info
/// (title, producer) as `info`.
pub(crate) fn finish_pdf(
    mut pdf: Pdf,
    c: Content,
    content_id: Ref,
    info: Ref,
    title: &str,
) -> Result<Vec<u8>, String> {
    let raw = c.finish();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let deflated = z
        .write_all(&raw)
        .and_then(|_| z.finish())
        .map_err(|e| format!("cannot compress the PDF page: {e}"))?;
    pdf.stream(content_id, &deflated)
        .filter(Filter::FlateDecode);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr(concat!("logoproc ", env!("CARGO_PKG_VERSION"))));
    Ok(pdf.finish())
}

/// The mean colour of a gradient's stops.
fn mean_stop(stops: &[usvg::Stop]) -> Option<[u8; 3]> {
    if stops.is_empty() {
        return None;
    }
    let n = stops.len() as f32;
    let mean = |f: fn(&usvg::Color) -> u8| {
        (stops.iter().map(|s| f(&s.color()) as f32).sum::<f32>() / n).round() as u8
    };
    Some([mean(|c| c.red), mean(|c| c.green), mean(|c| c.blue)])
}

/// A number for PostScript or SVG: at most 3 decimals, no trailing zeros.
pub(crate) fn num(v: impl Into<f64>) -> String {
    let s = format!("{:.3}", v.into());
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// `text` as the inside of a PostScript string: backslash, parentheses escaped, ASCII only.
fn ps_string(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\\' | '(' | ')' => format!("\\{c}"),
            c if c.is_ascii_graphic() || c == ' ' => c.to_string(),
            _ => "?".into(),
        })
        .collect()
}

/// `path` with every quadratic raised to the equal cubic (PDF and PostScript have only
/// cubics).
fn cubics_only(path: &Path) -> Option<Path> {
    let mut b = PathBuilder::new();
    let (mut last, mut start) = ((0.0f32, 0.0f32), (0.0f32, 0.0f32));
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(p) => {
                b.move_to(p.x, p.y);
                (last, start) = ((p.x, p.y), (p.x, p.y));
            }
            PathSegment::LineTo(p) => {
                b.line_to(p.x, p.y);
                last = (p.x, p.y);
            }
            PathSegment::QuadTo(q, e) => {
                let c1 = (
                    last.0 + 2.0 / 3.0 * (q.x - last.0),
                    last.1 + 2.0 / 3.0 * (q.y - last.1),
                );
                let c2 = (e.x + 2.0 / 3.0 * (q.x - e.x), e.y + 2.0 / 3.0 * (q.y - e.y));
                b.cubic_to(c1.0, c1.1, c2.0, c2.1, e.x, e.y);
                last = (e.x, e.y);
            }
            PathSegment::CubicTo(c1, c2, e) => {
                b.cubic_to(c1.x, c1.y, c2.x, c2.y, e.x, e.y);
                last = (e.x, e.y);
            }
            PathSegment::Close => {
                b.close();
                last = start;
            }
        }
    }
    b.finish()
}

/// SVG path data of `path`.
pub(crate) fn path_data(path: &Path) -> String {
    use std::fmt::Write as _;
    let mut d = String::new();
    for seg in path.segments() {
        let _ = match seg {
            PathSegment::MoveTo(p) => write!(d, "M{} {}", num(p.x), num(p.y)),
            PathSegment::LineTo(p) => write!(d, "L{} {}", num(p.x), num(p.y)),
            PathSegment::QuadTo(q, p) => {
                write!(d, "Q{} {} {} {}", num(q.x), num(q.y), num(p.x), num(p.y))
            }
            PathSegment::CubicTo(a, b, p) => write!(
                d,
                "C{} {} {} {} {} {}",
                num(a.x),
                num(a.y),
                num(b.x),
                num(b.y),
                num(p.x),
                num(p.y)
            ),
            PathSegment::Close => write!(d, "Z"),
        };
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strokes_of_small_unit_icons_are_outlined_finely() {
        // A 24-unit icon (the usual size of stroked icon sets), printed 10 in wide: a
        // unit is 30 pt, so the outline must be much finer than a unit.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><circle cx="12" cy="12" r="9" fill="none" stroke="#000" stroke-width="2"/></svg>"##;
        let art = Artwork::from_svg(svg).unwrap();
        let ring = &art.shapes[0].path;
        let mut worst: f32 = 0.0;
        let mut last = (0.0, 0.0);
        for seg in ring.segments() {
            // On-curve points and the curves' midpoints, against the ring's two edges.
            let mut points = Vec::new();
            match seg {
                PathSegment::MoveTo(p) | PathSegment::LineTo(p) => points.push((p.x, p.y)),
                PathSegment::CubicTo(a, b, p) => {
                    let m = |u: f32, v: f32, w: f32, z: f32| (u + 3.0 * v + 3.0 * w + z) / 8.0;
                    points.push((m(last.0, a.x, b.x, p.x), m(last.1, a.y, b.y, p.y)));
                    points.push((p.x, p.y));
                }
                _ => {}
            }
            for &(x, y) in &points {
                let r = (x - 12.0).hypot(y - 12.0);
                worst = worst.max((r - 8.0).abs().min((r - 10.0).abs()));
            }
            if let Some(&p) = points.last() {
                last = p;
            }
        }
        assert!(worst < 0.005, "outline off the ring by {worst} units");
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(0.12345), "0.123");
        assert_eq!(ps_string("a(b)\\é"), "a\\(b\\)\\\\?");
    }

    #[test]
    fn shapes_bounds_and_warnings() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
            <defs><linearGradient id="g"><stop offset="0" stop-color="#000"/>
            <stop offset="1" stop-color="#fff"/></linearGradient></defs>
            <circle cx="50" cy="50" r="10" fill="#ff0000"/>
            <rect x="70" y="70" width="10" height="10" fill="url(#g)" opacity="0.5"/>
            <path d="M 20 20 Q 30 0 40 20" fill="none" stroke="#0000ff" stroke-width="2"/>
        </svg>"##;
        let art = Artwork::from_svg(svg).unwrap();
        assert_eq!(art.shapes.len(), 3);
        assert_eq!(art.shapes[0].rgb, [255, 0, 0]);
        assert_eq!(art.shapes[1].rgb, [128, 128, 128], "mean of the stops");
        assert_eq!(art.shapes[2].rgb, [0, 0, 255], "the stroke, outlined");
        // Tight: the quadratic's control point (y = 0) is not an edge of the artwork; its
        // curve reaches y = 10, minus half the stroke.
        let [l, t, r, b] = art.bounds;
        assert!((t - 9.0).abs() < 0.1, "top {t}");
        assert!((l - 19.0).abs() < 0.6 && (r - 80.0).abs() < 0.01 && (b - 80.0).abs() < 0.01);
        assert!(art.warnings.iter().any(|w| w.contains("gradients")));
        assert!(art.warnings.iter().any(|w| w.contains("opacity")));
        // Only cubics and lines reach the writers.
        assert!(art.shapes.iter().all(|s| s
            .path
            .segments()
            .all(|seg| !matches!(seg, PathSegment::QuadTo(..)))));
        let page = art.page(2.0);
        assert!((page.width - 144.0).abs() < 1e-6);
        let eps = art.eps(&page, "t");
        assert!(eps.contains("%%BoundingBox: 0 0 144 "));
        assert!(eps.contains("1 0 0 rg"));
    }

    #[test]
    fn an_empty_drawing_is_an_error() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;
        assert!(Artwork::from_svg(svg).is_err());
    }
}
