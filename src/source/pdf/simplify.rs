//! Undo what a PDF's drawing model does to an SVG's structure, so a PDF master's vector
//! output is as plain as the SVG it was made from: the page's clip goes, and a gradient
//! (which a PDF paints as a shading clipped to the shape, and its opacity as a soft mask
//! of a second, grey shading) becomes the shape filled with the gradient again.
//!
//! Works on usvg's own output (one layout: a `matrix()` on every transform, user-space
//! units everywhere), and only rewrites what it fully recognises; [`super::read`] keeps
//! the result only when it draws what the original draws.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;

use roxmltree::{Document, Node};
use usvg::Transform;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// `svg` (written by usvg) with page clips dropped and clipped gradient shadings turned
/// back into gradient-filled shapes, or `None` when it cannot be read.
pub fn simplified(svg: &str) -> Option<String> {
    let doc = Document::parse(svg).ok()?;
    let root = doc.root_element();
    // usvg writes the canvas as width and height (user units), at the origin.
    let width: f32 = root.attribute("width")?.parse().ok()?;
    let height: f32 = root.attribute("height")?.parse().ok()?;
    let ids: HashMap<&str, Node> = doc
        .descendants()
        .filter_map(|n| n.attribute("id").map(|id| (id, n)))
        .collect();
    let mut s = Simplifier {
        ids,
        canvas: (width, height),
        out: String::with_capacity(svg.len()),
        gradients: Vec::new(),
    };
    s.element(root, Transform::identity());
    let mut out = s.out;
    if !s.gradients.is_empty() {
        let end = out.rfind("</svg>")?;
        out.insert_str(end, &format!("<defs>{}</defs>", s.gradients.concat()));
    }
    Some(out)
}

struct Simplifier<'a, 'i> {
    ids: HashMap<&'a str, Node<'a, 'i>>,
    /// The canvas (width and height, at the origin).
    canvas: (f32, f32),
    out: String,
    /// Gradients made for rewritten shapes, written at the end.
    gradients: Vec<String>,
}

impl<'a, 'i> Simplifier<'a, 'i> {
    /// Write `node` and its subtree; `ctm` maps its parent's user space to the canvas.
    fn element(&mut self, node: Node<'a, 'i>, ctm: Transform) {
        if let Some(path) = self.gradient_shape(node) {
            self.out.push_str(&path);
            return;
        }
        let name = node.tag_name().name();
        let _ = write!(self.out, "<{name}");
        if node.parent().is_some_and(|p| p.is_root()) {
            let _ = write!(self.out, " xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\"");
        }
        // An element's clip lies in its user space, after its own transform.
        let ctm = ctm.pre_concat(transform(node.attribute("transform")));
        for a in node.attributes() {
            if a.name() == "clip-path" && self.clips_nothing(a.value(), ctm) {
                continue;
            }
            let prefix = if a.namespace() == Some(XLINK_NS) {
                "xlink:"
            } else {
                ""
            };
            let _ = write!(self.out, " {prefix}{}=\"{}\"", a.name(), escape(a.value()));
        }
        self.out.push('>');
        for child in node.children() {
            if child.is_element() {
                self.element(child, ctm);
            } else if let Some(text) = child.text() {
                self.out.push_str(&escape(text));
            }
        }
        let _ = write!(self.out, "</{name}>");
    }

    /// Whether the clip `url(#id)` in user space `ctm` is one rectangle that covers the
    /// whole canvas (the page's clip, or a nested viewport's), so it clips nothing.
    fn clips_nothing(&self, url: &str, ctm: Transform) -> bool {
        let Some(clip) = self.referenced(url, "clipPath") else {
            return false;
        };
        if clip.has_attribute("transform") || clip.has_attribute("clip-path") {
            return false;
        }
        let shapes: Vec<Node> = clip.children().filter(|n| n.is_element()).collect();
        let [shape] = shapes.as_slice() else {
            return false;
        };
        if shape.tag_name().name() != "path" || shape.has_attribute("transform") {
            return false;
        }
        let Some(rect) = shape.attribute("d").and_then(rectangle) else {
            return false;
        };
        let mut corners = [
            usvg::tiny_skia_path::Point::from_xy(rect[0], rect[1]),
            usvg::tiny_skia_path::Point::from_xy(rect[2], rect[1]),
            usvg::tiny_skia_path::Point::from_xy(rect[2], rect[3]),
            usvg::tiny_skia_path::Point::from_xy(rect[0], rect[3]),
        ];
        ctm.map_points(&mut corners);
        let axis_aligned = ctm.kx.abs() < 1e-6 && ctm.ky.abs() < 1e-6;
        let (x0, x1) = minmax(corners.iter().map(|p| p.x));
        let (y0, y1) = minmax(corners.iter().map(|p| p.y));
        let slack = 1e-3 * self.canvas.0.max(self.canvas.1);
        axis_aligned
            && x0 <= slack
            && y0 <= slack
            && x1 >= self.canvas.0 - slack
            && y1 >= self.canvas.1 - slack
    }

    /// The element `url(#id)` names, if it is a `kind`.
    fn referenced(&self, url: &str, kind: &str) -> Option<Node<'a, 'i>> {
        let id = url.strip_prefix("url(#")?.strip_suffix(')')?;
        let node = *self.ids.get(id)?;
        (node.tag_name().name() == kind).then_some(node)
    }

    /// A shading clipped to a shape (see [`Self::clipped_gradient`]), or such a shading
    /// under a soft mask that is a grey shading of the same geometry (a gradient with
    /// opacity), as one `<path>` filled with one gradient.
    fn gradient_shape(&mut self, node: Node<'a, 'i>) -> Option<String> {
        if !node.has_attribute("mask") {
            let (d, rule, gradient) = self.clipped_gradient(node, &["clip-path"])?;
            return Some(self.shape(&d, rule, &gradient, &[]));
        }
        let (d, rule, colour) = self.clipped_gradient(node, &["clip-path", "mask"])?;
        let mask = self.referenced(node.attribute("mask")?, "mask")?;
        if mask.has_attribute("mask") || mask.has_attribute("mask-type") {
            return None;
        }
        // The mask's grey shading, under plain groups.
        let mut inner = only_child(mask)?;
        while is_plain(inner, &[]) {
            inner = only_child(inner)?;
        }
        let (_, _, grey) = self.clipped_gradient(inner, &["clip-path"])?;
        let (a, b) = (grey.transform, colour.transform);
        let same_transform = [
            (a.sx, b.sx),
            (a.ky, b.ky),
            (a.kx, b.kx),
            (a.sy, b.sy),
            (a.tx, b.tx),
            (a.ty, b.ty),
        ]
        .iter()
        .all(|(p, q)| (p - q).abs() <= 1e-4 * (1.0 + p.abs()));
        if grey.attributes != colour.attributes
            || grey.stops.len() != colour.stops.len()
            || !same_transform
        {
            return None;
        }
        let alphas: Option<Vec<f32>> = grey
            .stops
            .iter()
            .zip(&colour.stops)
            .map(|(g, c)| {
                (g.offset == c.offset).then(|| {
                    let [r, gr, b] = g.colour.map(f32::from);
                    // A luminance mask: its grey is the opacity.
                    (0.2125 * r + 0.7154 * gr + 0.0721 * b) / 255.0 * g.opacity
                })
            })
            .collect();
        Some(self.shape(&d, rule, &colour, &alphas?))
    }

    /// `<g clip-path="url(#c)"><g transform="M"><path fill="url(#pattern)" d="rect"/>
    /// </g></g>` (the outer group with `attributes`, no others), where the clip is one path and the pattern one gradient-filled path: the
    /// clip's path data, its fill rule and the gradient mapped to the group's user space.
    fn clipped_gradient(
        &self,
        node: Node<'a, 'i>,
        attributes: &[&str],
    ) -> Option<(String, &'a str, Gradient)> {
        if !is_plain(node, attributes) {
            return None;
        }
        let clip = self.referenced(node.attribute("clip-path")?, "clipPath")?;
        if clip.has_attribute("transform") || clip.has_attribute("clip-path") {
            return None;
        }
        let shape = only_child(clip)?;
        if shape.tag_name().name() != "path" || shape.has_attribute("transform") {
            return None;
        }
        let moved = only_child(node)?;
        if moved.tag_name().name() != "g" || !is_plain(moved, &["transform"]) {
            return None;
        }
        let painted = only_child(moved)?;
        if painted.tag_name().name() != "path"
            || !only_attributes(painted, &["fill", "stroke", "d"])
            || painted.attribute("stroke").is_some_and(|s| s != "none")
        {
            return None;
        }
        let pattern = self.referenced(painted.attribute("fill")?, "pattern")?;
        if pattern.attribute("patternUnits") != Some("userSpaceOnUse")
            || ["x", "y"]
                .iter()
                .any(|k| pattern.attribute(*k).is_some_and(|v| v != "0"))
        {
            return None;
        }
        let tile = only_child(pattern)?;
        if tile.tag_name().name() != "path"
            || tile.attribute("stroke").is_some_and(|s| s != "none")
            || tile.has_attribute("opacity")
            || tile.has_attribute("fill-opacity")
        {
            return None;
        }
        let fill = tile.attribute("fill")?;
        let gradient = self
            .referenced(fill, "linearGradient")
            .or_else(|| self.referenced(fill, "radialGradient"))?;
        let to_group = transform(moved.attribute("transform"))
            .pre_concat(transform(pattern.attribute("patternTransform")))
            .pre_concat(transform(tile.attribute("transform")));
        let gradient = Gradient::read(gradient, to_group)?;
        let rule = shape.attribute("clip-rule").unwrap_or("nonzero");
        Some((shape.attribute("d")?.to_string(), rule, gradient))
    }

    /// A `<path>` with path data `d` and fill rule `rule` filled with `gradient`, its
    /// stop opacities multiplied by `alphas` when given.
    fn shape(&mut self, d: &str, rule: &str, gradient: &Gradient, alphas: &[f32]) -> String {
        let id = format!("pdf-gradient-{}", self.gradients.len());
        let mut g = format!("<{} id=\"{id}\"", gradient.kind);
        for (k, v) in &gradient.attributes {
            let _ = write!(g, " {k}=\"{}\"", escape(v));
        }
        let t = gradient.transform;
        let _ = write!(
            g,
            " gradientTransform=\"matrix({} {} {} {} {} {})\">",
            t.sx, t.ky, t.kx, t.sy, t.tx, t.ty
        );
        for (i, stop) in gradient.stops.iter().enumerate() {
            let opacity = stop.opacity * alphas.get(i).copied().unwrap_or(1.0);
            let [r, gr, b] = stop.colour;
            let _ = write!(
                g,
                "<stop offset=\"{}\" stop-color=\"#{r:02x}{gr:02x}{b:02x}\" stop-opacity=\"{opacity}\"/>",
                stop.offset
            );
        }
        let _ = write!(g, "</{}>", gradient.kind);
        self.gradients.push(g);
        format!(
            "<path fill=\"url(#{id})\" fill-rule=\"{}\" d=\"{}\"/>",
            escape(rule),
            escape(d)
        )
    }
}

/// A gradient read from usvg's output, its transform mapped to another user space.
struct Gradient {
    kind: &'static str,
    /// Its geometry and spread, as written (everything but id, transform and stops).
    attributes: Vec<(String, String)>,
    transform: Transform,
    stops: Vec<Stop>,
}

struct Stop {
    offset: String,
    colour: [u8; 3],
    opacity: f32,
}

impl Gradient {
    /// `node` (a linear or radial gradient in user-space units) with `outer` applied
    /// after its own transform.
    fn read(node: Node, outer: Transform) -> Option<Gradient> {
        let kind = match node.tag_name().name() {
            "linearGradient" => "linearGradient",
            "radialGradient" => "radialGradient",
            _ => return None,
        };
        if node.attribute("gradientUnits") != Some("userSpaceOnUse") || node.has_attribute("href") {
            return None;
        }
        let attributes = node
            .attributes()
            .filter(|a| !matches!(a.name(), "id" | "gradientTransform"))
            .map(|a| (a.name().to_string(), a.value().to_string()))
            .collect();
        let stops = node
            .children()
            .filter(|n| n.is_element())
            .map(|s| {
                let colour =
                    svgtypes::Color::from_str(s.attribute("stop-color").unwrap_or("black")).ok()?;
                let opacity = s
                    .attribute("stop-opacity")
                    .map_or(Some(1.0), |o| o.parse().ok())?;
                Some(Stop {
                    offset: s.attribute("offset")?.to_string(),
                    colour: [colour.red, colour.green, colour.blue],
                    opacity: opacity * colour.alpha as f32 / 255.0,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Gradient {
            kind,
            attributes,
            transform: outer.pre_concat(transform(node.attribute("gradientTransform"))),
            stops,
        })
    }
}

/// Whether `node` has no attributes but `allowed`.
fn only_attributes(node: Node, allowed: &[&str]) -> bool {
    node.attributes().all(|a| allowed.contains(&a.name()))
}

/// Whether `node` is a group with no attributes but `allowed` (no opacity, filter,
/// transform or id beyond them).
fn is_plain(node: Node, allowed: &[&str]) -> bool {
    node.tag_name().name() == "g"
        && only_attributes(node, allowed)
        && allowed.iter().all(|a| node.has_attribute(*a))
}

/// The single element child of `node`.
fn only_child<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let mut children = node.children().filter(|n| n.is_element());
    let child = children.next()?;
    children.next().is_none().then_some(child)
}

/// A `transform` attribute (usvg writes `matrix(...)`), identity when absent.
fn transform(value: Option<&str>) -> Transform {
    value
        .and_then(|v| svgtypes::Transform::from_str(v).ok())
        .map_or(Transform::identity(), |t| {
            Transform::from_row(
                t.a as f32, t.b as f32, t.c as f32, t.d as f32, t.e as f32, t.f as f32,
            )
        })
}

/// The rectangle (x0, y0, x1, y1) a path's data draws, when it draws one axis-aligned
/// rectangle and nothing else.
fn rectangle(d: &str) -> Option<[f32; 4]> {
    let mut points = Vec::new();
    for segment in svgtypes::SimplifyingPathParser::from(d) {
        match segment.ok()? {
            svgtypes::SimplePathSegment::MoveTo { x, y } if points.is_empty() => {
                points.push((x as f32, y as f32))
            }
            svgtypes::SimplePathSegment::LineTo { x, y } => points.push((x as f32, y as f32)),
            svgtypes::SimplePathSegment::ClosePath => {}
            _ => return None,
        }
    }
    if points.len() == 5 && points[4] == points[0] {
        points.pop();
    }
    if points.len() != 4 {
        return None;
    }
    let (x0, x1) = minmax(points.iter().map(|p| p.0));
    let (y0, y1) = minmax(points.iter().map(|p| p.1));
    let on_edge = |p: &(f32, f32)| (p.0 == x0 || p.0 == x1) && (p.1 == y0 || p.1 == y1);
    points.iter().all(on_edge).then_some([x0, y0, x1, y1])
}

fn minmax(values: impl Iterator<Item = f32>) -> (f32, f32) {
    values.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF's gradient as usvg writes hayro's SVG of it: the page clip, then a unit
    /// square scaled over the shape's box, filled with a pattern holding the gradient,
    /// clipped to the shape (a triangle).
    const SHADED: &str = r##"<svg width="100" height="100" xmlns="http://www.w3.org/2000/svg">
<defs>
<linearGradient id="n0" x1="0" y1="0" x2="1" y2="0" gradientUnits="userSpaceOnUse" gradientTransform="matrix(80 0 0 80 10 10)"><stop offset="0" stop-color="#ff0000"/><stop offset="1" stop-color="#0000ff"/></linearGradient>
<pattern id="v0" x="0" y="0" width="100" height="100" patternUnits="userSpaceOnUse" patternTransform="matrix(0.0125 0 0 0.0125 -0.125 -0.125)"><path fill="url(#n0)" stroke="none" d="M 10 10 L 90 10 L 90 90 L 10 90 Z"/></pattern>
<clipPath id="page"><path d="M 0 0 L 200 0 L 200 200 L 0 200 Z"/></clipPath>
<clipPath id="c0"><path d="M 10 90 L 50 10 L 90 90 Z"/></clipPath>
</defs>
<g clip-path="url(#page)"><g clip-path="url(#c0)"><g transform="matrix(80 0 0 80 10 10)"><path fill="url(#v0)" stroke="none" d="M 0 0 L 1 0 L 1 1 L 0 1 Z"/></g></g></g>
</svg>"##;

    #[test]
    fn a_clipped_shading_becomes_the_shape_filled_with_its_gradient() {
        let out = simplified(SHADED).unwrap();
        assert!(
            !out.contains("url(#page)"),
            "the page clip is dropped: {out}"
        );
        assert!(
            out.contains(r#"<path fill="url(#pdf-gradient-0)" fill-rule="nonzero" d="M 10 90 L 50 10 L 90 90 Z"/>"#),
            "{out}"
        );
        // The gradient maps to the group's space: tile, pattern and square undone.
        assert!(
            out.contains("gradientTransform=\"matrix(80 0 0 80 10 10)\""),
            "{out}"
        );
        let options = usvg::Options::default();
        let before = usvg::Tree::from_str(SHADED, &options).unwrap();
        let after = usvg::Tree::from_str(&out, &options).unwrap();
        assert!(super::super::draws_the_same(&before, &after));
    }

    #[test]
    fn a_rectangle_is_told_from_other_paths() {
        assert_eq!(
            rectangle("M 0 0 L 384 0 L 384 192 L 0 192 Z"),
            Some([0.0, 0.0, 384.0, 192.0])
        );
        assert_eq!(rectangle("M 0 0 L 10 0 L 10 10 Z"), None);
        assert_eq!(rectangle("M 0 0 L 10 0 L 12 10 L 0 10 Z"), None);
    }
}
