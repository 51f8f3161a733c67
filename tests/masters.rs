//! Design masters as designers keep them: PDF and PDF-compatible Illustrator files made
//! by other producers, the pages of a PDF, SVG text no font can draw, and the formats
//! that are not read.

use std::path::Path;

mod common;
use common::{assert_kit_checks, fixture, logoproc, workdir};

/// Copy `fixtures/<from>` into `dir` as `to`.
fn copy(dir: &Path, from: &str, to: &str) {
    std::fs::copy(fixture(from), dir.join(to)).unwrap();
}

/// Build `variations` of `input` in `dir`, asserting success; returns stdout.
fn build(dir: &Path, input: &str, variations: &str) -> String {
    let run = logoproc(dir)
        .args(["build", input, "--variation", variations])
        .assert()
        .success();
    String::from_utf8(run.get_output().stdout.clone()).unwrap()
}

fn transparent(dir: &Path, stem: &str) -> image::RgbaImage {
    let path = dir.join(format!("logoproc-out/{stem}/transparent/{stem}.png"));
    image::open(path).unwrap().to_rgba8()
}

fn vector(dir: &Path, stem: &str) -> String {
    std::fs::read_to_string(dir.join(format!("logoproc-out/{stem}/vector/{stem}.svg"))).unwrap()
}

/// Intersection over union of the pixels at least half opaque; images of different
/// sizes do not match at all.
fn alpha_iou(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    if a.dimensions() != b.dimensions() {
        return 0.0;
    }
    let (mut both, mut either) = (0u64, 0u64);
    for (p, q) in a.pixels().zip(b.pixels()) {
        let (x, y) = (p[3] >= 128, q[3] >= 128);
        both += u64::from(x && y);
        either += u64::from(x || y);
    }
    both as f64 / either.max(1) as f64
}

/// Assert that the master `stem` built in `dir` matches the SVG `svg_stem` built there:
/// the transparent PNGs agree (alpha IoU >= 0.99) and the vector SVG is vector, with at
/// most twice the SVG's paths.
fn assert_builds_like_its_svg(dir: &Path, stem: &str, svg_stem: &str) {
    let iou = alpha_iou(&transparent(dir, stem), &transparent(dir, svg_stem));
    assert!(
        iou >= 0.99,
        "{stem}: alpha IoU {iou:.4} against {svg_stem}.svg"
    );
    let (ours, theirs) = (vector(dir, stem), vector(dir, svg_stem));
    assert!(
        !ours.contains("<image"),
        "{stem}: the vector SVG holds a raster"
    );
    let paths = |svg: &str| svg.matches("<path").count();
    assert!(
        paths(&ours) >= 1 && paths(&ours) <= 2 * paths(&theirs),
        "{stem}: {} paths against the SVG's {}",
        paths(&ours),
        paths(&theirs)
    );
}

#[test]
fn pdf_and_illustrator_masters_from_other_producers_build_like_their_svg() {
    // rsvg-convert and cairosvg PDFs of corpus logos, and a PDF-compatible .ai (see
    // fixtures/LICENSE.md), beside the SVGs they were made from.
    let dir = workdir(&[]);
    for (master, logo) in [
        ("babel_rsvg.pdf", "babel"),
        ("dart_cairosvg.pdf", "dart"),
        ("gopher_rsvg.ai", "gopher"),
    ] {
        copy(dir.path(), &format!("pdf/{master}"), master);
        copy(
            dir.path(),
            &format!("corpus/{logo}/source.svg"),
            &format!("{logo}.svg"),
        );
    }
    // A folder scan picks up the PDF and the .ai along with the SVGs.
    build(dir.path(), ".", "transparent,vector");
    assert_builds_like_its_svg(dir.path(), "babel_rsvg", "babel");
    assert_builds_like_its_svg(dir.path(), "dart_cairosvg", "dart");
    assert_builds_like_its_svg(dir.path(), "gopher_rsvg", "gopher");
}

#[test]
fn logoprocs_own_print_pdf_reads_back_as_the_logo() {
    let dir = workdir(&["mark.svg"]);
    build(dir.path(), "mark.svg", "transparent,vector,print");
    std::fs::copy(
        dir.path().join("logoproc-out/mark/print/mark.pdf"),
        dir.path().join("printed.pdf"),
    )
    .unwrap();
    // Named in a list file, as scripts name their inputs.
    std::fs::write(dir.path().join("list.txt"), "printed.pdf\n").unwrap();
    logoproc(dir.path())
        .args([
            "build",
            "--from-list",
            "list.txt",
            "--variation",
            "transparent,vector",
        ])
        .assert()
        .success();
    assert_builds_like_its_svg(dir.path(), "printed", "mark");
}

#[test]
fn a_pdf_page_is_chosen_by_number_and_cut_to_its_drawing() {
    // Two A4 pages (rsvg-convert): nginx 60 mm wide on the first, hashicorp on the second.
    let dir = workdir(&[]);
    copy(dir.path(), "pdf/two_pages_a4.pdf", "pages.pdf");
    copy(dir.path(), "corpus/nginx/source.svg", "nginx.svg");
    copy(dir.path(), "corpus/hashicorp/source.svg", "hashicorp.svg");
    build(dir.path(), ".", "transparent,vector");
    assert_builds_like_its_svg(dir.path(), "pages", "nginx");
    // The vector canvas is the drawing with the transparent padding, not the A4 page.
    let svg = vector(dir.path(), "pages");
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default()).unwrap();
    let size = tree.size();
    let aspect = size.width() / size.height();
    let png = transparent(dir.path(), "pages");
    let png_aspect = png.width() as f32 / png.height() as f32;
    assert!(
        (aspect - png_aspect).abs() < 0.02,
        "{aspect} against {png_aspect}"
    );
    assert!(size.width() < 0.5 * 595.0, "{} pt wide", size.width());

    // --page 2, and the same from the configuration file.
    let out = tempfile::tempdir().unwrap();
    logoproc(dir.path())
        .args([
            "build",
            "pages.pdf",
            "--page",
            "2",
            "--variation",
            "transparent",
        ])
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let second = image::open(out.path().join("pages/transparent/pages.png"))
        .unwrap()
        .to_rgba8();
    let iou = alpha_iou(&second, &transparent(dir.path(), "hashicorp"));
    assert!(
        iou >= 0.99,
        "page 2: alpha IoU {iou:.4} against hashicorp.svg"
    );
    std::fs::write(dir.path().join("logoproc.toml"), "[input]\npage = 2\n").unwrap();
    let again = tempfile::tempdir().unwrap();
    logoproc(dir.path())
        .args(["build", "pages.pdf", "--variation", "transparent"])
        .arg("--out")
        .arg(again.path())
        .assert()
        .success();
    let from_config = std::fs::read(again.path().join("pages/transparent/pages.png")).unwrap();
    let from_flag = std::fs::read(out.path().join("pages/transparent/pages.png")).unwrap();
    assert!(from_config == from_flag, "input.page = 2 is --page 2");

    // A page the PDF does not have: one line naming the file and the page count.
    let none = tempfile::tempdir().unwrap();
    let run = logoproc(dir.path())
        .args([
            "build",
            "pages.pdf",
            "--page",
            "3",
            "--variation",
            "transparent",
        ])
        .arg("--out")
        .arg(none.path())
        .assert()
        .failure();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("pages.pdf: the PDF has 2 page(s); page 3 was asked for"),
        "{stderr}"
    );
    assert!(!none.path().join("pages/transparent").exists());
}

#[test]
fn masters_that_are_not_read_are_named_with_what_to_export() {
    let dir = workdir(&["badge_on_white.png"]);
    for f in ["print.eps", "layers.psd", "notes.txt"] {
        std::fs::write(dir.path().join(f), b"not read").unwrap();
    }
    // A folder scan says which masters it skipped at the default verbosity (notes stay
    // quiet) and builds the rest.
    let run = logoproc(dir.path())
        .args(["build", ".", "--variation", "transparent"])
        .assert()
        .success();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    for f in ["print.eps", "layers.psd"] {
        let line = stderr.lines().find(|l| l.contains(f));
        assert!(
            line.is_some_and(
                |l| l.contains("skipping") && l.contains("export the logo as PDF or SVG")
            ),
            "{f}: {stderr}"
        );
    }
    assert!(!stderr.contains("notes.txt"), "{stderr}");
    assert!(dir
        .path()
        .join("logoproc-out/badge_on_white/transparent/badge_on_white.png")
        .is_file());

    // Named, each is one error line saying what to do, and the other logo is built.
    copy(dir.path(), "pdf/postscript_only.ai", "old.ai");
    std::fs::write(dir.path().join("broken.pdf"), b"%PDF-1.4\nnothing else").unwrap();
    std::fs::write(dir.path().join("renamed.pdf"), b"GIF89a").unwrap();
    let run = logoproc(dir.path())
        .args([
            "build",
            "layers.psd",
            "old.ai",
            "broken.pdf",
            "renamed.pdf",
            "badge_on_white.png",
        ])
        .args(["--variation", "transparent", "--out", "named"])
        .assert()
        .failure();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    for expected in [
        "layers.psd: a Photoshop file is not read; export the logo as PDF or SVG",
        "old.ai: an Illustrator file without PDF content: save it with \"Create PDF Compatible File\" on",
        "broken.pdf: not a valid PDF",
        "renamed.pdf: not a PDF (no %PDF- header)",
    ] {
        assert_eq!(stderr.matches(expected).count(), 1, "{expected}: {stderr}");
    }
    assert!(dir
        .path()
        .join("named/badge_on_white/transparent/badge_on_white.png")
        .is_file());
}

#[test]
fn svg_text_no_font_can_draw_fails_the_logo_or_by_setting_builds_without_it() {
    // U+10FFFD is a private-use character that no font has.
    let dir = workdir(&["mark.svg"]);
    std::fs::write(
        dir.path().join("tofu.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"100\">\
         <rect x=\"5\" y=\"20\" width=\"40\" height=\"60\" fill=\"#d02020\"/>\
         <text x=\"60\" y=\"75\" font-size=\"40\" font-family=\"Brand Sans\">Logo &#x10FFFD;</text></svg>",
    )
    .unwrap();
    let run = logoproc(dir.path())
        .args([
            "build",
            "tofu.svg",
            "mark.svg",
            "--variation",
            "transparent,vector",
        ])
        .assert()
        .failure();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    let said = "tofu.svg: its text cannot be drawn: no installed font has \"\u{10FFFD}\" \
                (U+10FFFD) (text \"Logo \u{10FFFD}\"); convert the text to paths";
    assert_eq!(stderr.matches(said).count(), 1, "{stderr}");
    assert!(!dir.path().join("logoproc-out/tofu/transparent").exists());
    assert!(dir
        .path()
        .join("logoproc-out/mark/transparent/mark.png")
        .is_file());

    // input.missing_text = "warn": built, with one warning in the report and the JSON.
    std::fs::write(
        dir.path().join("logoproc.toml"),
        "[input]\nmissing_text = \"warn\"\n",
    )
    .unwrap();
    let run = logoproc(dir.path())
        .args([
            "build",
            "tofu.svg",
            "--variation",
            "transparent,vector",
            "--json",
        ])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    let warnings: Vec<String> = json["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|j| j["warnings"].as_array().cloned().unwrap_or_default())
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    let built_without = "built without text that cannot be drawn: no installed font has";
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.contains(built_without))
            .count(),
        1,
        "{warnings:?}"
    );
    assert!(dir
        .path()
        .join("logoproc-out/tofu/transparent/tofu.png")
        .is_file());
}

/// The frames of an ICO file (PNG-encoded, as logoproc writes them), decoded.
fn ico_frames(bytes: &[u8]) -> Vec<image::RgbaImage> {
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "ICO header");
    let count = u16::from_le_bytes([bytes[4], bytes[5]]) as usize;
    (0..count)
        .map(|i| {
            let entry = &bytes[6 + 16 * i..6 + 16 * (i + 1)];
            let size = u32::from_le_bytes(entry[8..12].try_into().unwrap()) as usize;
            let at = u32::from_le_bytes(entry[12..16].try_into().unwrap()) as usize;
            image::load_from_memory(&bytes[at..at + size])
                .unwrap()
                .to_rgba8()
        })
        .collect()
}

/// Width and height of the box of the pixels at least half opaque and not white.
fn ink_box(img: &image::RgbaImage) -> (u32, u32) {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in img.enumerate_pixels() {
        if p[3] >= 128 && p.0[..3].iter().any(|&c| c < 200) {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
        }
    }
    (x1.saturating_sub(x0), y1.saturating_sub(y0))
}

/// Whether `img` shows the mark fixture's purple (terraform's #4040b2 and #5c4ee5).
fn has_purple(img: &image::RgbaImage) -> bool {
    img.pixels()
        .filter(|p| p[3] >= 128 && p[2] > 150 && p[0] < 120 && p[1] < 110)
        .count()
        > 20
}

/// The JSON report's jobs for `variation`.
fn jobs<'a>(report: &'a serde_json::Value, variation: &str) -> Vec<&'a serde_json::Value> {
    report["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["variation"] == variation)
        .collect()
}

#[test]
fn the_symbol_of_a_symbol_plus_name_logo_makes_its_square_outputs() {
    // HashiCorp: the H hexagon beside the name, delivered on white (see fixtures/corpus).
    let dir = workdir(&[]);
    copy(dir.path(), "corpus/hashicorp/white.png", "hashicorp.png");
    copy(dir.path(), "corpus/si-ted/source.svg", "ted.svg");
    let run = logoproc(dir.path())
        .args([
            "build",
            "hashicorp.png",
            "ted.svg",
            "--variation",
            "favicon,social",
            "--json",
        ])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    let out = dir.path().join("logoproc-out");
    // The 32 px favicon holds the symbol, filling the square, not a thin line of the
    // whole logo (4.3 times as wide as tall).
    let frames = ico_frames(&std::fs::read(out.join("hashicorp/favicon/favicon.ico")).unwrap());
    let f32 = frames.iter().find(|f| f.width() == 32).unwrap();
    let (w, h) = ink_box(f32);
    assert!(
        h >= 24 && w >= 20 && w <= h + 4,
        "32 px favicon ink {w}x{h}"
    );
    // So does favicon.svg, cut from the trace (1106 px wide, traced at a smaller scale).
    let svg = std::fs::read(out.join("hashicorp/favicon/favicon.svg")).unwrap();
    let drawn = logoproc::fidelity::render_svg(&svg).unwrap();
    let (w, h) = ink_box(&drawn);
    let (cw, ch) = drawn.dimensions();
    assert!(
        w as f64 > 0.8 * cw as f64 && h as f64 > 0.8 * ch as f64 && w <= h + h / 8,
        "favicon.svg ink {w}x{h} on {cw}x{ch}"
    );
    // Square social images show the symbol too, the others the whole logo.
    let avatar = image::open(out.join("hashicorp/social/x-avatar.png"))
        .unwrap()
        .to_rgba8();
    let (w, h) = ink_box(&avatar);
    assert!((w as f64 / h as f64) < 1.3, "x-avatar ink {w}x{h}");
    let og = image::open(out.join("hashicorp/social/og.png"))
        .unwrap()
        .to_rgba8();
    let (w, h) = ink_box(&og);
    assert!((w as f64 / h as f64) > 3.5, "og ink {w}x{h}");
    // The report says so, and names what each logo's square outputs were made from.
    for job in jobs(&report, "favicon") {
        let warnings = job["warnings"].to_string();
        if job["input"] == "hashicorp.png" {
            assert_eq!(job["artwork"], "the logo's symbol");
            assert!(
                warnings.contains("made from the logo's symbol"),
                "{warnings}"
            );
        } else {
            // TED is a wordmark: whole, with a warning suggesting a mark.
            assert_eq!(job["artwork"], "the whole logo");
            assert!(warnings.contains("the logo is wide") && warnings.contains("--mark"));
        }
    }
    let page = std::fs::read_to_string(out.join("hashicorp/index.html")).unwrap();
    assert!(
        page.contains("Made from the logo&#39;s symbol."),
        "preview page"
    );
}

#[test]
fn a_mark_makes_every_square_output_from_the_flag_or_beside_the_logo() {
    let dir = workdir(&["mark.svg"]);
    copy(dir.path(), "corpus/hashicorp/white.png", "hashicorp.png");
    let square_and_not = |out: &Path| {
        let logo = out.join("hashicorp");
        let mut square = Vec::new();
        for group in ["favicon", "app-icon"] {
            for file in common::walk(&logo.join(group)) {
                // Android's background layer is a flat colour, its monochrome layer and
                // notification icon white and iOS's tinted icon grey: the others show the
                // artwork's colours.
                let name = file.file_name().unwrap().to_string_lossy().into_owned();
                let layer = ["background", "monochrome", "notify", "tinted"]
                    .iter()
                    .any(|l| name.contains(l));
                if file.extension().is_some_and(|e| e == "png") && !layer {
                    square.push(file);
                }
            }
        }
        let (mut not, mut social) = (Vec::new(), Vec::new());
        for file in common::walk(&logo.join("social")) {
            let img = image::open(&file).unwrap().to_rgba8();
            if img.width() == img.height() {
                social.push(file);
            } else {
                not.push(img);
            }
        }
        assert!(
            square.len() >= 20 && social.len() >= 8,
            "{square:?} {social:?}"
        );
        for file in square.iter().chain(&social) {
            let img = image::open(file).unwrap().to_rgba8();
            assert!(has_purple(&img), "{} shows the mark", file.display());
        }
        assert_kit_checks(&logo);
        let ico = std::fs::read(logo.join("favicon/favicon.ico")).unwrap();
        assert!(
            ico_frames(&ico).iter().all(has_purple),
            "favicon.ico shows the mark"
        );
        let svg = std::fs::read_to_string(logo.join("favicon/favicon.svg")).unwrap();
        assert!(
            svg.to_ascii_lowercase().contains("#4040b2"),
            "favicon.svg is the mark"
        );
        for img in &not {
            assert!(!has_purple(img), "a wide social image shows the whole logo");
        }
    };
    let variations = "favicon,app-icon,social";
    // Outside the folder that is scanned below.
    let flag = tempfile::tempdir().unwrap();
    logoproc(dir.path())
        .args([
            "build",
            "hashicorp.png",
            "--mark",
            "mark.svg",
            "--variation",
            variations,
        ])
        .arg("--out")
        .arg(flag.path())
        .assert()
        .success();
    square_and_not(flag.path());

    // Beside the logo, found by a folder scan, which does not build it as a logo.
    std::fs::rename(
        dir.path().join("mark.svg"),
        dir.path().join("hashicorp.mark.svg"),
    )
    .unwrap();
    let scan = |dir: &Path| -> serde_json::Value {
        let run = logoproc(dir)
            .args([
                "build",
                ".",
                "--variation",
                variations,
                "--out",
                "beside",
                "--json",
            ])
            .assert()
            .success();
        serde_json::from_slice(&run.get_output().stdout).unwrap()
    };
    let first = scan(dir.path());
    assert!(!dir.path().join("beside/hashicorp.mark").exists());
    assert_eq!(jobs(&first, "favicon").len(), 1, "one logo");
    square_and_not(&dir.path().join("beside"));
    let page = std::fs::read_to_string(dir.path().join("beside/hashicorp/index.html")).unwrap();
    assert!(
        page.contains("Made from the mark hashicorp.mark.svg."),
        "preview page"
    );
    // Unchanged, the logo is skipped; a changed mark rebuilds it.
    assert_eq!(scan(dir.path())["totals"]["skipped"], 1);
    let teal = std::fs::read_to_string(fixture("mark.svg"))
        .unwrap()
        .replace("#4040B2", "#14b8a6")
        .replace("#5C4EE5", "#14b8a6")
        .replace("#4040b2", "#14b8a6")
        .replace("#5c4ee5", "#14b8a6");
    std::fs::write(dir.path().join("hashicorp.mark.svg"), teal).unwrap();
    assert_eq!(scan(dir.path())["totals"]["skipped"], 0);
    let icon = image::open(dir.path().join("beside/hashicorp/favicon/icon-192.png"))
        .unwrap()
        .to_rgba8();
    assert!(!has_purple(&icon), "the changed mark is used");

    // A mark that cannot be read fails the outputs that use it, naming it; the others
    // are built.
    std::fs::write(dir.path().join("hashicorp.mark.svg"), "not an svg").unwrap();
    let run = logoproc(dir.path())
        .args([
            "build",
            "hashicorp.png",
            "--variation",
            "transparent,favicon",
            "--out",
            "bad",
        ])
        .assert()
        .failure();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("hashicorp.png: favicon: the mark hashicorp.mark.svg: not a valid SVG"),
        "{stderr}"
    );
    assert!(dir
        .path()
        .join("bad/hashicorp/transparent/hashicorp.png")
        .is_file());
}
