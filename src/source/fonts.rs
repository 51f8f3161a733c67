//! Fonts for SVG text: the system fonts with each generic family and common font name
//! resolved to an installed font, and a record of the text that still cannot be drawn.

use std::sync::{Arc, Mutex, OnceLock};

use usvg::fontdb::Database;

/// The fonts each generic family stands for, best first. The first installed one stands
/// in for the generic family (fontdb's defaults, Arial, Times New Roman and Courier New,
/// are rarely installed on Linux, and without them text in those families, or in none,
/// which falls back to serif, is not drawn at all); and each name, when not installed,
/// falls back to its generic family ([`generic_for`]).
const SANS_SERIF: &[&str] = &[
    "Arial",
    "Helvetica",
    "Liberation Sans",
    "DejaVu Sans",
    "Noto Sans",
    "FreeSans",
    "Helvetica Neue",
    "Verdana",
    "Tahoma",
    "Segoe UI",
    "Roboto",
    "Open Sans",
    "Inter",
    "Lato",
    "Montserrat",
    "Source Sans Pro",
    "system-ui",
    "-apple-system",
    "BlinkMacSystemFont",
    "ui-sans-serif",
];
const SERIF: &[&str] = &[
    "Times New Roman",
    "Times",
    "Liberation Serif",
    "DejaVu Serif",
    "Noto Serif",
    "FreeSerif",
    "Georgia",
    "Garamond",
    "Palatino",
    "Cambria",
    "ui-serif",
];
const MONOSPACE: &[&str] = &[
    "Courier New",
    "Liberation Mono",
    "DejaVu Sans Mono",
    "Noto Sans Mono",
    "FreeMono",
    "Courier",
    "Menlo",
    "Monaco",
    "Consolas",
    "ui-monospace",
];

/// The shared font database: system fonts, loaded once, with each generic family set to
/// an installed font (see [`SANS_SERIF`]); `cursive` and `fantasy` take Comic Sans MS and
/// Impact when installed, else the sans-serif font, as does any generic family whose
/// fonts are all missing.
pub(super) fn fontdb() -> Arc<Database> {
    static DB: OnceLock<Arc<Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = Database::new();
        db.load_system_fonts();
        set_generic_families(&mut db);
        Arc::new(db)
    })
    .clone()
}

/// Set each generic family of `db` to an installed font (see [`fontdb`]); when none of
/// the well-known sans-serif fonts is installed, the first installed family by name
/// stands in for all of them, so that text is drawn in some font rather than not at all.
fn set_generic_families(db: &mut Database) {
    let installed = |db: &Database, names: &[&str]| {
        names
            .iter()
            .find(|&&name| {
                db.faces()
                    .any(|f| f.families.iter().any(|(n, _)| n == name))
            })
            .map(|name| name.to_string())
    };
    let any = db
        .faces()
        .filter_map(|f| f.families.first().map(|(n, _)| n.clone()))
        .min();
    let Some(sans) = installed(db, SANS_SERIF).or(any) else {
        return;
    };
    let or_sans = |found: Option<String>| found.unwrap_or_else(|| sans.clone());
    let serif = or_sans(installed(db, SERIF));
    let mono = or_sans(installed(db, MONOSPACE));
    let cursive = or_sans(installed(db, &["Comic Sans MS"]));
    let fantasy = or_sans(installed(db, &["Impact"]));
    db.set_serif_family(serif);
    db.set_monospace_family(mono);
    db.set_cursive_family(cursive);
    db.set_fantasy_family(fantasy);
    db.set_sans_serif_family(sans);
}

/// The generic family a font name stands for (see [`SANS_SERIF`]): an SVG logo asking
/// for Helvetica or Arial on a machine without them wants a sans-serif, not the serif
/// that text naming no installed font falls back to.
fn generic_for(name: &str) -> Option<usvg::fontdb::Family<'static>> {
    use usvg::fontdb::Family;
    let is = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(name.trim()));
    if is(SANS_SERIF) {
        Some(Family::SansSerif)
    } else if is(SERIF) {
        Some(Family::Serif)
    } else if is(MONOSPACE) {
        Some(Family::Monospace)
    } else {
        None
    }
}

/// usvg's font selection (the first installed family of the text's list, else serif)
/// with each common name followed by its generic family ([`generic_for`]).
fn select_font() -> usvg::FontSelectionFn<'static> {
    Box::new(|font, db| {
        use usvg::fontdb::{Family, Query, Stretch, Style, Weight};
        use usvg::{FontFamily, FontStretch, FontStyle};
        let mut families = Vec::new();
        for family in font.families() {
            families.push(match family {
                FontFamily::Serif => Family::Serif,
                FontFamily::SansSerif => Family::SansSerif,
                FontFamily::Cursive => Family::Cursive,
                FontFamily::Fantasy => Family::Fantasy,
                FontFamily::Monospace => Family::Monospace,
                FontFamily::Named(name) => Family::Name(name),
            });
            if let FontFamily::Named(name) = family {
                families.extend(generic_for(name));
            }
        }
        families.push(Family::Serif);
        let stretch = match font.stretch() {
            FontStretch::UltraCondensed => Stretch::UltraCondensed,
            FontStretch::ExtraCondensed => Stretch::ExtraCondensed,
            FontStretch::Condensed => Stretch::Condensed,
            FontStretch::SemiCondensed => Stretch::SemiCondensed,
            FontStretch::Normal => Stretch::Normal,
            FontStretch::SemiExpanded => Stretch::SemiExpanded,
            FontStretch::Expanded => Stretch::Expanded,
            FontStretch::ExtraExpanded => Stretch::ExtraExpanded,
            FontStretch::UltraExpanded => Stretch::UltraExpanded,
        };
        let style = match font.style() {
            FontStyle::Normal => Style::Normal,
            FontStyle::Italic => Style::Italic,
            FontStyle::Oblique => Style::Oblique,
        };
        db.query(&Query {
            families: &families,
            weight: Weight(font.weight()),
            stretch,
            style,
        })
    })
}

/// What an SVG's text asked for that no installed font has: the font-family lists that
/// found no font at all, and the characters that no font has.
#[derive(Debug, Default)]
pub(super) struct Missing {
    families: Vec<String>,
    chars: Vec<char>,
}

/// The font resolver for parsing: [`select_font`], and usvg's fallback for characters
/// the chosen font lacks, each recording into `missing` what it could not find.
pub(super) fn resolver(missing: Arc<Mutex<Missing>>) -> usvg::FontResolver<'static> {
    let select = select_font();
    let fallback = usvg::FontResolver::default_fallback_selector();
    let record = missing.clone();
    usvg::FontResolver {
        select_font: Box::new(move |font, db| {
            let found = select(font, db);
            if found.is_none() {
                let asked = family_list(font);
                let mut m = record.lock().unwrap_or_else(|p| p.into_inner());
                if !m.families.contains(&asked) {
                    m.families.push(asked);
                }
            }
            found
        }),
        select_fallback: Box::new(move |c, used, db| {
            let found = fallback(c, used, db);
            if found.is_none() && is_visible(c) {
                let mut m = missing.lock().unwrap_or_else(|p| p.into_inner());
                if !m.chars.contains(&c) {
                    m.chars.push(c);
                }
            }
            found
        }),
    }
}

/// A font's family list as the SVG would write it.
fn family_list(font: &usvg::Font) -> String {
    use usvg::FontFamily;
    let names: Vec<String> = font
        .families()
        .iter()
        .map(|f| match f {
            FontFamily::Named(name) => name.clone(),
            FontFamily::Serif => "serif".into(),
            FontFamily::SansSerif => "sans-serif".into(),
            FontFamily::Cursive => "cursive".into(),
            FontFamily::Fantasy => "fantasy".into(),
            FontFamily::Monospace => "monospace".into(),
        })
        .collect();
    names.join(", ")
}

/// Whether a character draws something: not white space, a control or a format
/// character (joiners, direction marks, the byte-order mark), which fonts may lack
/// without any text going missing.
fn is_visible(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}'))
}

/// Longest quotation of a text in a message, in characters.
const QUOTE_CHARS: usize = 40;
/// Most texts quoted in a message.
const QUOTED_TEXTS: usize = 3;

impl Missing {
    /// Why the text of the SVG `bytes` cannot be drawn, quoting the texts concerned, or
    /// `None` when all of it can.
    pub(super) fn describe(&self, bytes: &[u8]) -> Option<String> {
        // Most SVGs lack nothing: their XML is not read a second time.
        if self.families.is_empty() && self.chars.is_empty() {
            return None;
        }
        let texts = texts(bytes);
        let quote = |texts: Vec<&String>| {
            let mut quoted: Vec<String> = texts
                .iter()
                .take(QUOTED_TEXTS)
                .map(|t| match t.char_indices().nth(QUOTE_CHARS) {
                    Some((end, _)) => format!("\"{}...\"", &t[..end]),
                    None => format!("\"{t}\""),
                })
                .collect();
            if texts.len() > QUOTED_TEXTS {
                quoted.push(format!("and {} more", texts.len() - QUOTED_TEXTS));
            }
            quoted.join(", ")
        };
        let mut parts = Vec::new();
        if !self.families.is_empty() {
            let asked: Vec<String> = self.families.iter().map(|f| format!("\"{f}\"")).collect();
            let all: Vec<&String> = texts.iter().collect();
            parts.push(format!(
                "no installed font for font-family {} (text {})",
                asked.join(" or "),
                quote(all)
            ));
        }
        if !self.chars.is_empty() {
            let chars: Vec<String> = self
                .chars
                .iter()
                .map(|c| format!("\"{c}\" (U+{:04X})", *c as u32))
                .collect();
            let holding: Vec<&String> = texts
                .iter()
                .filter(|t| t.chars().any(|c| self.chars.contains(&c)))
                .collect();
            parts.push(format!(
                "no installed font has {} (text {})",
                chars.join(", "),
                quote(holding)
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// The text of each `<text>` element of the SVG `bytes`, white space collapsed, in
/// document order (none when the bytes are not plain XML, such as a gzipped SVGZ).
fn texts(bytes: &[u8]) -> Vec<String> {
    let Ok(xml) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(xml, options) else {
        return Vec::new();
    };
    doc.descendants()
        .filter(|n| n.has_tag_name(("http://www.w3.org/2000/svg", "text")))
        .map(|n| {
            let all: String = n
                .descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect();
            all.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_font_and_missing_characters_are_named_with_their_text() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><text>ACME  Corp</text>
            <g><text><tspan>Since</tspan> 1900 &#x10FFFD;</text></g></svg>"#;
        let missing = Missing {
            families: vec!["Helvetica, Arial, sans-serif".into()],
            chars: vec!['\u{10FFFD}'],
        };
        let said = missing.describe(svg).unwrap();
        assert!(
            said.contains(
                r#"font-family "Helvetica, Arial, sans-serif" (text "ACME Corp", "Since 1900"#
            ),
            "{said}"
        );
        assert!(said.contains("(U+10FFFD) (text \"Since 1900"), "{said}");
        assert!(Missing::default().describe(svg).is_none());
    }

    #[test]
    fn white_space_and_format_characters_are_not_missing_text() {
        assert!(!is_visible(' ') && !is_visible('\u{200D}') && !is_visible('\u{FEFF}'));
        assert!(is_visible('A') && is_visible('中'));
    }
}
