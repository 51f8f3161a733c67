//! Runs the real binary in a temporary folder and checks exit codes, messages, the exact
//! set of files produced, their sizes and pixels, and the JSON report.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use logoproc::fidelity::render_svg;

mod common;
use assert_cmd::Command;
use common::{assert_kit_checks, assert_same_tree, files, fixture, logoproc, workdir};
use tempfile::TempDir;

const SOCIAL: [(&str, u32, u32); 26] = [
    ("og", 1200, 630),
    ("github-social", 1280, 640),
    ("x-avatar", 400, 400),
    ("x-header", 1500, 500),
    ("linkedin-avatar", 400, 400),
    ("linkedin-banner", 1584, 396),
    ("linkedin-company-logo", 400, 400),
    ("linkedin-company-cover", 1128, 191),
    ("tiktok-avatar", 400, 400),
    ("pinterest-avatar", 400, 400),
    ("facebook-avatar", 320, 320),
    ("instagram-avatar", 320, 320),
    ("threads-avatar", 320, 320),
    ("facebook-cover", 851, 315),
    ("instagram-post", 1080, 1350),
    ("youtube-avatar", 800, 800),
    ("youtube-banner", 2560, 1440),
    ("bluesky-avatar", 1000, 1000),
    ("bluesky-banner", 3000, 1000),
    ("mastodon-avatar", 400, 400),
    ("mastodon-header", 1500, 500),
    ("discord-icon", 512, 512),
    ("discord-banner", 1920, 1080),
    ("twitch-avatar", 256, 256),
    ("twitch-banner", 1200, 480),
    ("whatsapp-avatar", 640, 640),
];

const FAVICON_FILES: [&str; 12] = [
    "apple-touch-icon.png",
    "favicon-96x96.png",
    "favicon.ico",
    "favicon.svg",
    "head.html",
    "icon-192.png",
    "icon-512.png",
    "icon-maskable-192.png",
    "icon-maskable-512.png",
    "icon-monochrome-192.png",
    "icon-monochrome-512.png",
    "site.webmanifest",
];

/// Android densities: folder suffix, adaptive layer side, legacy icon side.
const DENSITIES: [(&str, u32, u32); 5] = [
    ("mdpi", 108, 48),
    ("hdpi", 162, 72),
    ("xhdpi", 216, 96),
    ("xxhdpi", 324, 144),
    ("xxxhdpi", 432, 192),
];

/// Every file of the `app-icon` variation, relative to `<stem>/app-icon/`.
fn app_icon_files() -> BTreeSet<String> {
    let mut set: BTreeSet<String> = [
        "ios/AppIcon.appiconset/AppIcon-1024.png",
        "ios/AppIcon.appiconset/AppIcon-1024-dark.png",
        "ios/AppIcon.appiconset/AppIcon-1024-tinted.png",
        "ios/AppIcon.appiconset/Contents.json",
        "android/play-store-512.png",
        "macos/icon.icns",
        "windows/icon.ico",
    ]
    .map(String::from)
    .into();
    for side in [16, 24, 32, 48, 64, 128, 256, 512] {
        set.insert(format!("linux/{side}x{side}.png"));
    }
    for (density, _, _) in DENSITIES {
        for name in ["ic_stat_notify", "splash_icon"] {
            set.insert(format!("android/drawable-{density}/{name}.png"));
        }
    }
    for (density, _, _) in DENSITIES {
        for name in [
            "ic_launcher",
            "ic_launcher_round",
            "ic_launcher_foreground",
            "ic_launcher_background",
            "ic_launcher_monochrome",
        ] {
            set.insert(format!("android/mipmap-{density}/{name}.png"));
        }
    }
    for name in ["ic_launcher", "ic_launcher_round"] {
        set.insert(format!("android/mipmap-anydpi-v26/{name}.xml"));
    }
    set
}

/// The separations a run wrote for `stem` under `out`, from its `inks.json`: each spot
/// film as PNG, SVG and PDF named by its ink, each process film as PNG, the composite
/// and the list itself.
fn separation_files(out: &Path, stem: &str) -> BTreeSet<String> {
    let dir = format!("{stem}/separations");
    let inks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(&dir).join("inks.json")).unwrap()).unwrap();
    let spot = inks["mode"] == "spot";
    let mut set = BTreeSet::from([format!("{dir}/composite.png"), format!("{dir}/inks.json")]);
    for ink in inks["inks"].as_array().unwrap() {
        let film = ink["film"].as_str().unwrap();
        let hex = ink["hex"].as_str().unwrap()[1..].to_uppercase();
        if spot {
            assert!(film.starts_with("ink") && film.contains(&hex), "{film}");
            for ext in ["png", "svg", "pdf"] {
                set.insert(format!("{dir}/{film}.{ext}"));
            }
        } else {
            assert!(film.starts_with("process-"), "{film}");
            set.insert(format!("{dir}/{film}.png"));
        }
    }
    set
}

/// Every file `--all` writes for `stem` into `out`.
fn expected_files(out: &Path, stem: &str, ext: &str) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = SOCIAL
        .iter()
        .map(|(n, _, _)| format!("{stem}/social/{n}.png"))
        .collect();
    set.insert(format!("{stem}/index.html"));
    set.insert(format!("{stem}/transparent/{stem}.png"));
    set.insert(format!("{stem}/transparent/{stem}.webp"));
    for f in [
        "black.png",
        "white.png",
        "grayscale.png",
        "black.svg",
        "white.svg",
    ] {
        set.insert(format!("{stem}/mono/{stem}-{f}"));
    }
    for f in FAVICON_FILES {
        set.insert(format!("{stem}/favicon/{f}"));
    }
    for f in ["palette.json", "palette.css", "palette.png"] {
        set.insert(format!("{stem}/palette/{f}"));
    }
    for f in app_icon_files() {
        set.insert(format!("{stem}/app-icon/{f}"));
    }
    set.insert(format!("{stem}/vector/{stem}.{ext}"));
    set.insert(format!("{stem}/vector/{stem}-mono.{ext}"));
    set.insert(format!("{stem}/distressed/{stem}.png"));
    set.insert(format!("{stem}/halftone/{stem}.png"));
    set.insert(format!("{stem}/halftone/{stem}.svg"));
    for f in ["cutline.svg", "cutline.pdf", "with-cutline.png"] {
        set.insert(format!("{stem}/cutline/{stem}-{f}"));
    }
    for f in ["pdf", "eps"] {
        set.insert(format!("{stem}/print/{stem}.{f}"));
        set.insert(format!("{stem}/print/{stem}-mono.{f}"));
    }
    set.extend(separation_files(out, stem));
    set
}

/// Build `input`'s transparent PNG in `dir` (default settings) and read it.
fn build_transparent(dir: &Path, input: &str) -> image::RgbaImage {
    logoproc(dir)
        .args(["build", input, "--variation", "transparent"])
        .assert()
        .success();
    let stem = Path::new(input).file_stem().unwrap().to_string_lossy();
    rgba(&dir.join(format!("logoproc-out/{stem}/transparent/{stem}.png")))
}

fn rgba(path: &Path) -> image::RgbaImage {
    image::open(path).unwrap().to_rgba8()
}

/// How many pixels of `img` are at least half opaque.
fn ink_pixels(img: &image::RgbaImage) -> f64 {
    img.pixels().filter(|p| p[3] > 127).count() as f64
}

/// Copy `fixture` into a temp folder, build `variations` for it and return the folder
/// and the logo's output folder.
fn build(fixture: &str, variations: &str) -> (TempDir, PathBuf) {
    let dir = workdir(&[fixture]);
    logoproc(dir.path())
        .args(["build", fixture, "--variation", variations])
        .assert()
        .success();
    let stem = Path::new(fixture).file_stem().unwrap().to_string_lossy();
    let base = dir.path().join("logoproc-out").join(&*stem);
    (dir, base)
}

#[test]
fn build_all_writes_the_documented_tree_for_every_input_kind() {
    let inputs = [
        "badge_on_white.png",
        "wordmark_on_white_q85.jpg",
        "mascot_transparent.png",
        "mark.svg",
    ];
    let dir = workdir(&inputs);
    let before: Vec<Vec<u8>> = inputs
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap())
        .collect();
    logoproc(dir.path())
        .args(["build", "--all", "-o", "out"])
        .args(inputs)
        .assert()
        .success();
    let out = dir.path().join("out");
    let mut want = BTreeSet::new();
    for f in inputs {
        let stem = f.split('.').next().unwrap();
        want.extend(expected_files(&out, stem, "svg"));
    }
    want.insert("index.html".into());
    assert_eq!(files(&out), want);
    for f in inputs {
        let stem = f.split('.').next().unwrap();
        for (name, w, h) in SOCIAL {
            let img = image::open(out.join(format!("{stem}/social/{name}.png"))).unwrap();
            assert_eq!((img.width(), img.height()), (w, h), "{stem} {name}");
        }
    }
    // Inputs are never modified.
    for (f, bytes) in inputs.iter().zip(before) {
        assert_eq!(
            std::fs::read(dir.path().join(f)).unwrap(),
            bytes,
            "{f} changed"
        );
    }
}

#[test]
fn transparent_png_removes_background_and_keeps_the_logo() {
    let dir = workdir(&["badge_on_white.png"]);
    logoproc(dir.path())
        .args(["build", "badge_on_white.png", "--variation", "transparent"])
        .assert()
        .success();
    let img = rgba(
        &dir.path()
            .join("logoproc-out/badge_on_white/transparent/badge_on_white.png"),
    );
    let (w, h) = img.dimensions();
    assert_eq!(img.get_pixel(0, 0)[3], 0, "corner is transparent");
    assert_eq!(img.get_pixel(w - 1, h - 1)[3], 0);
    // The middle of the hexagon's green body, left of the white N, is opaque green.
    let p = img.get_pixel(w / 8 + 10, h / 2);
    assert_eq!(p[3], 255);
    assert!(p[1] > p[0] && p[1] > p[2], "green: {p:?}");
    // Padding: 4% of the content's long side on every side.
    let content = h as f64 / 1.08;
    let pad = (content * 0.04).round() as u32;
    assert!((0..pad).all(|y| (0..w).all(|x| img.get_pixel(x, y)[3] == 0)));
}

#[test]
fn white_parts_of_a_logo_on_off_white_are_kept() {
    let dir = workdir(&["badge_on_offwhite.png"]);
    let img = build_transparent(dir.path(), "badge_on_offwhite.png");
    assert_eq!(img.get_pixel(0, 0)[3], 0, "off-white background removed");
    // The white gear and K on the blue square stay opaque white.
    let white = img
        .pixels()
        .filter(|p| p[3] == 255 && p[0] > 240 && p[1] > 240 && p[2] > 240)
        .count();
    assert!(white > 20_000, "white parts kept: {white} px");
}

#[test]
fn already_transparent_logo_keeps_its_alpha() {
    let dir = workdir(&["mascot_transparent.png"]);
    logoproc(dir.path())
        .args([
            "build",
            "mascot_transparent.png",
            "--variation",
            "transparent",
        ])
        .args(["--config", "c.toml"])
        .assert()
        .failure()
        .code(2)
        .stderr(predicates::str::contains("c.toml"));
    std::fs::write(dir.path().join("c.toml"), "[transparent]\npadding = 0.0\n").unwrap();
    logoproc(dir.path())
        .args([
            "build",
            "mascot_transparent.png",
            "--variation",
            "transparent",
            "--config",
            "c.toml",
        ])
        .assert()
        .success();
    let out = rgba(
        &dir.path()
            .join("logoproc-out/mascot_transparent/transparent/mascot_transparent.png"),
    );
    let truth = rgba(&fixture("mascot_transparent.png"));
    // Align by the content box: the truth has 41 px of padding, the output none.
    let (x0, y0) = content_origin(&truth);
    for (x, y, p) in out.enumerate_pixels() {
        assert_eq!(p[3], truth.get_pixel(x + x0, y + y0)[3], "alpha at {x},{y}");
    }
}

fn content_origin(img: &image::RgbaImage) -> (u32, u32) {
    let xs = img.enumerate_pixels().filter(|p| p.2[3] > 0);
    xs.fold((u32::MAX, u32::MAX), |(x0, y0), (x, y, _)| {
        (x0.min(x), y0.min(y))
    })
}

#[test]
fn vector_svg_is_transparent_and_renders_like_the_logo() {
    let (_dir, base) = build("badge_on_white.png", "transparent,vector");
    let svg = std::fs::read(base.join("vector/badge_on_white.svg")).unwrap();
    let text = String::from_utf8(svg.clone()).unwrap();
    assert!(text.contains("viewBox="), "has a viewBox");
    let png = rgba(&base.join("transparent/badge_on_white.png"));
    let tree = usvg::Tree::from_data(&svg, &usvg::Options::default()).unwrap();
    let (w, h) = png.dimensions();
    assert_eq!(
        (tree.size().width() as u32, tree.size().height() as u32),
        (w, h)
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).unwrap();
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    assert_eq!(
        pixmap.pixel(0, 0).unwrap().alpha(),
        0,
        "no background shape"
    );
    // Alpha IoU of the render against the transparent PNG.
    let (mut inter, mut union) = (0u32, 0u32);
    for (p, q) in png.pixels().zip(pixmap.pixels()) {
        let (a, b) = (p[3] > 127, q.alpha() > 127);
        inter += (a && b) as u32;
        union += (a || b) as u32;
    }
    let iou = inter as f64 / union as f64;
    assert!(iou > 0.97, "IoU {iou}");

    // The one-ink version: every fill is the ink, the white N is knocked out.
    let mono = std::fs::read_to_string(base.join("vector/badge_on_white-mono.svg")).unwrap();
    assert_eq!(fills(&mono), BTreeSet::from(["#000000"]), "{mono}");
    let tree = usvg::Tree::from_data(mono.as_bytes(), &usvg::Options::default()).unwrap();
    let mut pixmap = tiny_skia::Pixmap::new(w, h).unwrap();
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let ink = pixmap.pixels().iter().filter(|p| p.alpha() > 127).count();
    let opaque_non_white = png
        .pixels()
        .filter(|p| p[3] > 127 && !(p[0] > 240 && p[1] > 240 && p[2] > 240))
        .count();
    let ratio = ink as f64 / opaque_non_white as f64;
    assert!(
        (0.97..1.03).contains(&ratio),
        "ink covers {ratio} of the coloured logo"
    );
}

#[test]
fn bad_inputs_fail_alone_with_one_line_errors() {
    let dir = workdir(&["badge_on_white.png"]);
    let d = dir.path();
    std::fs::write(d.join("empty.png"), b"").unwrap();
    std::fs::write(d.join("corrupt.png"), b"\x89PNG\r\n\x1a\nthis is not a png").unwrap();
    let good = std::fs::read(d.join("badge_on_white.png")).unwrap();
    std::fs::write(d.join("truncated.png"), &good[..good.len() / 2]).unwrap();
    image::RgbImage::from_pixel(1, 1, image::Rgb([10, 20, 30]))
        .save(d.join("tiny.png"))
        .unwrap();
    image::RgbImage::from_pixel(64, 64, image::Rgb([255, 255, 255]))
        .save(d.join("blank.png"))
        .unwrap();
    let assert = logoproc(d)
        .args([
            "build",
            "--all",
            "badge_on_white.png",
            "empty.png",
            "corrupt.png",
        ])
        .args(["truncated.png", "missing.png", "tiny.png", "blank.png"])
        .assert()
        .failure()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    for (name, says) in [
        ("empty.png", "empty"),
        ("corrupt.png", "cannot decode"),
        ("truncated.png", "cannot decode"),
        ("missing.png", "no such file"),
        ("tiny.png", "nothing left"),
        ("blank.png", "nothing left"),
    ] {
        let line = lines
            .iter()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no error line for {name}: {stderr}"));
        assert!(line.starts_with("logoproc: error: "), "{line}");
        assert!(line.contains(says), "{line}");
    }
    // The good logo is complete; the bad ones wrote nothing; no temporary files remain.
    let out = d.join("logoproc-out");
    let mut want = expected_files(&out, "badge_on_white", "svg");
    want.insert("index.html".into());
    assert_eq!(files(&out), want);
}

#[test]
fn worker_count_does_not_change_a_single_byte() {
    let inputs = ["badge_on_offwhite.png", "wide_on_flat_colour.png"];
    let dir = workdir(&inputs);
    for j in ["1", "2"] {
        logoproc(dir.path())
            .args(["build", "--all", "-j", j, "-o", &format!("out{j}")])
            .args(inputs)
            .assert()
            .success();
    }
    let (a, b) = (dir.path().join("out1"), dir.path().join("out2"));
    assert_eq!(assert_same_tree(&a, &b), 249);
}

#[test]
fn png_effort_trades_size_for_time_and_keeps_every_pixel() {
    let dir = workdir(&["badge_on_white.png"]);
    let png = |effort: &str| {
        let out = format!("out-{effort}");
        logoproc(dir.path())
            .args(["build", "badge_on_white.png", "--variation", "transparent"])
            .args(["--png", effort, "-o", &out])
            .assert()
            .success();
        dir.path()
            .join(out)
            .join("badge_on_white/transparent/badge_on_white.png")
    };
    let (fast, balanced, small) = (png("fast"), png("balanced"), png("small"));
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    assert!(
        size(&small) < size(&balanced) && size(&balanced) < size(&fast),
        "{} {} {}",
        size(&fast),
        size(&balanced),
        size(&small)
    );
    assert!(rgba(&fast) == rgba(&balanced) && rgba(&small) == rgba(&balanced));
    logoproc(dir.path())
        .args(["build", "badge_on_white.png", "--png", "tiny"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("tiny"));
}

#[test]
fn json_report_describes_every_job() {
    let dir = workdir(&["wide_on_flat_colour.png"]);
    std::fs::write(dir.path().join("bad.png"), b"nope").unwrap();
    let out = logoproc(dir.path())
        .args([
            "build",
            "--json",
            "--variation",
            "transparent,social",
            "wide_on_flat_colour.png",
            "bad.png",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("stdout is one JSON document");
    assert_eq!(v["tool"], "logoproc");
    assert!(v["version"].is_string());
    assert!(v["allocation"]["workers"].as_u64().unwrap() >= 1);
    assert!(v["allocation"]["reason"]
        .as_str()
        .unwrap()
        .contains("worker"));
    let jobs = v["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 4);
    assert_eq!(jobs[0]["variation"], "transparent");
    assert_eq!(jobs[0]["status"], "ok");
    assert!(jobs[0]["error"].is_null());
    assert!(jobs[0]["ms"].as_f64().unwrap() >= 0.0);
    let social = &jobs[1]["outputs"];
    assert_eq!(social.as_array().unwrap().len(), SOCIAL.len());
    assert_eq!(social[0]["format"], "png");
    assert_eq!(social[0]["width"], 1200);
    assert_eq!(social[0]["height"], 630);
    assert!(social[0]["bytes"].as_u64().unwrap() > 0);
    assert_eq!(jobs[2]["status"], "failed");
    assert!(jobs[2]["error"].as_str().unwrap().contains("bad.png"));
    let t = &v["totals"];
    assert_eq!(
        (t["jobs"].as_u64(), t["ok"].as_u64(), t["failed"].as_u64()),
        (Some(4), Some(2), Some(2))
    );
    assert_eq!(t["files"], 2 + SOCIAL.len());
    let u = t["utilisation"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&u));
}

#[test]
fn social_canvas_uses_the_input_background_and_centres_the_logo() {
    let dir = workdir(&["wide_on_flat_colour.png"]);
    logoproc(dir.path())
        .args(["build", "wide_on_flat_colour.png", "--variation", "social"])
        .assert()
        .success();
    let og = rgba(
        &dir.path()
            .join("logoproc-out/wide_on_flat_colour/social/og.png"),
    );
    let input = rgba(&fixture("wide_on_flat_colour.png"));
    assert_eq!(
        og.get_pixel(0, 0),
        input.get_pixel(0, 0),
        "canvas is the input's background"
    );
    // The logo sits inside the 1000x500 safe box at (100, 65), centred.
    let bg = *og.get_pixel(0, 0);
    let ink: Vec<(u32, u32)> = og
        .enumerate_pixels()
        .filter(|p| *p.2 != bg)
        .map(|(x, y, _)| (x, y))
        .collect();
    let (x0, x1) = (
        ink.iter().map(|p| p.0).min().unwrap(),
        ink.iter().map(|p| p.0).max().unwrap(),
    );
    let (y0, y1) = (
        ink.iter().map(|p| p.1).min().unwrap(),
        ink.iter().map(|p| p.1).max().unwrap(),
    );
    assert!(
        x0 >= 100 && x1 < 1100 && y0 >= 65 && y1 < 565,
        "{x0}..{x1} x {y0}..{y1}"
    );
    assert!((x0 + x1).abs_diff(1199) <= 2, "centred horizontally");
    assert!(
        x1 - x0 >= 895 || y1 - y0 >= 415,
        "fills the safe box on one side"
    );
}

#[test]
fn colliding_stems_and_bad_config_stop_before_work() {
    let dir = workdir(&["badge_on_white.png", "wordmark_on_white_q85.jpg"]);
    std::fs::copy(
        fixture("wordmark_on_white_q85.jpg"),
        dir.path().join("badge_on_white.jpg"),
    )
    .unwrap();
    logoproc(dir.path())
        .args(["build", "badge_on_white.png", "badge_on_white.jpg"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("badge_on_white.jpg"));
    // The output folder (locked before planning) and its parents are not left behind.
    logoproc(dir.path())
        .args([
            "build",
            "badge_on_white.png",
            "badge_on_white.jpg",
            "-o",
            "deep/er/out",
        ])
        .assert()
        .code(2);
    assert!(!dir.path().join("deep").exists());
    std::fs::write(
        dir.path().join("logoproc.toml"),
        "[parallel]\nmax_wrokers = 2\n",
    )
    .unwrap();
    logoproc(dir.path())
        .args(["build", "badge_on_white.png"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("max_wrokers"));
    assert!(!dir.path().join("logoproc-out").exists());
    logoproc(dir.path())
        .args(["build", "badge_on_white.png", "--variation", "sparkles"])
        .assert()
        .code(2);
}

#[test]
fn folder_input_and_plan_and_variations() {
    let dir = workdir(&["badge_on_white.png", "mark.svg"]);
    std::fs::write(dir.path().join("notes.txt"), "not a logo").unwrap();
    // Two workers: both logos are in the first window.
    let plan = logoproc(dir.path())
        .args(["plan", ".", "-j", "2"])
        .assert()
        .success();
    let text = String::from_utf8(plan.get_output().stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 25, "24 jobs and the decision: {text}");
    let jobs: Vec<(&str, f64)> = text
        .lines()
        .take(24)
        .map(|l| {
            let ms = l.split('~').nth(1).unwrap().trim();
            let input = l.split_whitespace().nth(1).unwrap();
            (input, ms.trim_end_matches("ms").trim().parse().unwrap())
        })
        .collect();
    // Each logo's longest job leads (it decodes the logo for the others), then the
    // rest of the window, longest first.
    for &(input, ms) in &jobs[..2] {
        let longest = jobs.iter().filter(|j| j.0 == input).map(|j| j.1);
        assert_eq!(longest.fold(0.0, f64::max), ms, "leader of {input}: {text}");
    }
    assert_ne!(jobs[0].0, jobs[1].0, "one leader per logo: {text}");
    assert!(
        jobs[2..].windows(2).all(|w| w[0].1 >= w[1].1),
        "longest first: {text}"
    );
    assert!(text.contains("workers for 24 jobs") || text.contains("worker for 24 jobs"));
    assert!(
        !dir.path().join("logoproc-out").exists(),
        "plan builds nothing"
    );
    let json = logoproc(dir.path())
        .args(["plan", ".", "--json", "-j", "1"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(v["allocation"]["workers"], 1);
    assert_eq!(v["jobs"].as_array().unwrap().len(), 24);
    let job = &v["jobs"][0];
    let stem = Path::new(v["inputs"][0]["path"].as_str().unwrap())
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(
        Path::new(job["out_dir"].as_str().unwrap()),
        Path::new("logoproc-out")
            .join(stem)
            .join(job["variation"].as_str().unwrap()),
        "{job}"
    );

    let list = logoproc(dir.path()).arg("variations").assert().success();
    let text = String::from_utf8(list.get_output().stdout.clone()).unwrap();
    for name in [
        "transparent",
        "vector",
        "social",
        "mono",
        "favicon",
        "palette",
        "app-icon",
        "print",
        "distressed",
        "halftone",
        "cutline",
        "separations",
    ] {
        assert!(text.contains(name));
    }
    logoproc(dir.path())
        .args(["build", ".", "--variation", "vector", "-q"])
        .assert()
        .success();
    assert_eq!(
        files(&dir.path().join("logoproc-out")),
        [
            "badge_on_white/index.html",
            "badge_on_white/vector/badge_on_white-mono.svg",
            "badge_on_white/vector/badge_on_white.svg",
            "index.html",
            "mark/index.html",
            "mark/vector/mark-mono.svg",
            "mark/vector/mark.svg",
        ]
        .into_iter()
        .map(String::from)
        .collect()
    );
}

#[test]
fn help_documents_layout_and_exit_codes() {
    let out = Command::cargo_bin("logoproc")
        .unwrap()
        .args(["build", "--help"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("Exit codes"));
    assert!(text.contains("<stem>/social/<preset>.png"));
}

#[test]
fn a_job_past_its_timeout_fails_and_writes_nothing() {
    let dir = workdir(&["badge_on_white.png"]);
    std::fs::write(
        dir.path().join("t.toml"),
        "[parallel]\ntimeout_seconds = 0.000001\n",
    )
    .unwrap();
    logoproc(dir.path())
        .args(["build", "--all", "badge_on_white.png", "--config", "t.toml"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("timed out"));
    assert_eq!(files(&dir.path().join("logoproc-out")), BTreeSet::new());
}

#[test]
fn every_raster_format_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let logo = image::open(fixture("badge_on_white.png"))
        .unwrap()
        .to_rgb8();
    let names = [
        "logo_gif.gif",
        "logo_webp.webp",
        "logo_bmp.bmp",
        "logo_tiff.tiff",
    ];
    for name in names {
        logo.save(dir.path().join(name)).unwrap();
    }
    logoproc(dir.path())
        .args(["build", ".", "--variation", "transparent"])
        .assert()
        .success();
    for name in names {
        let stem = name.split('.').next().unwrap();
        let img = rgba(
            &dir.path()
                .join(format!("logoproc-out/{stem}/transparent/{stem}.png")),
        );
        assert_eq!(img.get_pixel(0, 0)[3], 0, "{name}");
        assert!(
            img.pixels().filter(|p| p[3] == 255).count() > 10_000,
            "{name}"
        );
    }
    // A second run over the same folder does not take its own outputs as inputs.
    let before = files(&dir.path().join("logoproc-out"));
    logoproc(dir.path())
        .args(["build", ".", "--variation", "transparent"])
        .assert()
        .success();
    assert_eq!(files(&dir.path().join("logoproc-out")), before);
}

#[test]
fn hostile_names_and_blocked_outputs_fail_alone_without_partial_files() {
    let dir = workdir(&["badge_on_white.png", "mark.svg"]);
    let d = dir.path();
    // "...png" has the stem "..": it must not write outside the output folder.
    std::fs::copy(d.join("badge_on_white.png"), d.join("...png")).unwrap();
    // A folder where one social image should go: that job fails and writes none of its 8.
    std::fs::create_dir_all(d.join("out/mark/social/og.png")).unwrap();
    let assert = logoproc(d)
        .args([
            "build",
            "--all",
            "-o",
            "out",
            "...png",
            "mark.svg",
            "badge_on_white.png",
        ])
        .arg(d.join("badge_on_white.png"))
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("...png") && stderr.contains("rename"),
        "{stderr}"
    );
    assert!(stderr.contains("og.png"), "{stderr}");
    let out = d.join("out");
    let mut want = expected_files(&out, "badge_on_white", "svg");
    for f in expected_files(&out, "mark", "svg") {
        if !f.starts_with("mark/social/") {
            want.insert(f);
        }
    }
    want.insert("index.html".into());
    // The blocking folder is still there (as an empty folder, so `files` does not list it).
    assert_eq!(files(&d.join("out")), want);
    assert!(
        !d.join("transparent").exists(),
        "wrote outside the output folder"
    );
    // The cleaned SVG copy keeps a viewBox.
    let svg = std::fs::read_to_string(d.join("out/mark/vector/mark.svg")).unwrap();
    assert!(svg.contains("viewBox=\"0 0 "), "{svg}");
}

#[test]
fn a_white_logo_on_black_traces_in_white_and_its_one_ink_version_is_its_shape() {
    let dir = tempfile::tempdir().unwrap();
    let mut img = image::RgbImage::from_pixel(200, 120, image::Rgb([0, 0, 0]));
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (dx, dy) = (x as f64 - 100.0, y as f64 - 60.0);
        if dx * dx + dy * dy < 40.0 * 40.0 {
            *p = image::Rgb([255, 255, 255]);
        }
    }
    img.save(dir.path().join("disc.png")).unwrap();
    logoproc(dir.path())
        .args(["build", "disc.png", "--variation", "vector"])
        .assert()
        .success();
    let base = dir.path().join("logoproc-out/disc/vector");
    let colour = std::fs::read_to_string(base.join("disc.svg")).unwrap();
    let mono = std::fs::read_to_string(base.join("disc-mono.svg")).unwrap();
    assert!(colour.contains("fill=\"#FFFFFF\""), "{colour}");
    assert!(
        mono.contains("fill=\"#000000\"") && mono.contains("<path"),
        "{mono}"
    );
    let ink = ink_pixels(&render_svg(mono.as_bytes()).unwrap());
    let disc = std::f64::consts::PI * 40.0 * 40.0;
    assert!(
        (ink / disc - 1.0).abs() < 0.03,
        "ink {ink} px vs disc {disc:.0} px"
    );
}

#[test]
fn a_big_logo_is_traced_at_a_bounded_size_and_keeps_its_own() {
    let dir = tempfile::tempdir().unwrap();
    // An ellipse 2800 x 1000 px.
    let (w, h, (rx, ry)) = (3000u32, 1200u32, (1400.0, 500.0));
    let mut img = image::RgbImage::from_pixel(w, h, image::Rgb([255, 255, 255]));
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (dx, dy) = (x as f64 - 1500.0, y as f64 - 600.0);
        if (dx / rx).powi(2) + (dy / ry).powi(2) < 1.0 {
            *p = image::Rgb([200, 30, 30]);
        }
    }
    img.save(dir.path().join("big.png")).unwrap();
    logoproc(dir.path())
        .args(["build", "big.png", "--variation", "vector"])
        .assert()
        .success();
    let svg = std::fs::read_to_string(dir.path().join("logoproc-out/big/vector/big.svg")).unwrap();
    let view_box: Vec<f64> = svg
        .split("viewBox=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(
        view_box[2].max(view_box[3]) <= 2048.0,
        "traced at {view_box:?}"
    );
    let rendered = render_svg(svg.as_bytes()).unwrap();
    assert!(
        rendered.width() > 2800,
        "declared at the logo's own size: {:?}",
        rendered.dimensions()
    );
    let ink = ink_pixels(&rendered);
    let ellipse = std::f64::consts::PI * rx * ry;
    assert!(
        (ink / ellipse - 1.0).abs() < 0.02,
        "ink {ink} px vs ellipse {ellipse:.0} px"
    );
}

/// The `fill` values of an SVG.
fn fills(svg: &str) -> BTreeSet<&str> {
    svg.split("fill=\"")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
        .collect()
}

#[test]
fn mono_marks_keep_the_alpha_and_webp_is_lossless() {
    let (_dir, base) = build("mascot_transparent.png", "transparent,mono");
    let png = rgba(&base.join("transparent/mascot_transparent.png"));
    let webp = rgba(&base.join("transparent/mascot_transparent.webp"));
    assert!(png == webp, "the WebP holds the PNG's pixels exactly");

    let mono = |f: &str| rgba(&base.join(format!("mono/mascot_transparent-{f}.png")));
    let (black, white, grey) = (mono("black"), mono("white"), mono("grayscale"));
    for img in [&black, &white, &grey] {
        assert_eq!(img.dimensions(), png.dimensions());
    }
    let (mut knocked_out, mut soft) = (0, 0);
    for (((p, b), w), g) in png
        .pixels()
        .zip(black.pixels())
        .zip(white.pixels())
        .zip(grey.pixels())
    {
        assert_eq!(g[3], p[3], "grey keeps the alpha");
        assert!(g[0] == g[1] && g[1] == g[2]);
        assert_eq!(b[3], w[3], "black and white are one shape");
        assert!(b[3] <= p[3], "ink only where the logo is");
        if b[3] > 0 {
            assert_eq!(&b.0[..3], &[0, 0, 0]);
            assert_eq!(&w.0[..3], &[255, 255, 255]);
        }
        // The mascot's white eyes are knocked out, its body is ink.
        knocked_out += (p[3] == 255 && p[0] > 250 && p[1] > 250 && p[2] > 250 && b[3] == 0) as u32;
        soft += (b[3] > 0 && b[3] < 255) as u32;
    }
    assert!(
        knocked_out > 1000,
        "white parts knocked out: {knocked_out} px"
    );
    assert!(soft > 100, "soft edges kept: {soft} px");
    let svg = |f: &str| {
        std::fs::read_to_string(base.join(format!("mono/mascot_transparent-{f}.svg"))).unwrap()
    };
    assert_eq!(fills(&svg("black")), BTreeSet::from(["#000000"]));
    assert_eq!(fills(&svg("white")), BTreeSet::from(["#FFFFFF"]));
}

/// The frame sizes listed in an ICO file's directory.
fn ico_frames(bytes: &[u8]) -> Vec<u32> {
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "ICO header");
    let count = u16::from_le_bytes([bytes[4], bytes[5]]) as usize;
    (0..count)
        .map(|i| match bytes[6 + 16 * i] {
            0 => 256,
            w => w as u32,
        })
        .collect()
}

#[test]
fn favicons_and_web_app_icons_for_raster_and_svg_logos() {
    for fixture in ["badge_on_white.png", "mark.svg"] {
        let (_dir, base) = build(fixture, "favicon");
        assert_kit_checks(&base);
        let dir = base.join("favicon");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, FAVICON_FILES, "{fixture}");
        let mut frames = ico_frames(&std::fs::read(dir.join("favicon.ico")).unwrap());
        frames.sort();
        assert_eq!(frames, [16, 32, 48], "{fixture}");
        render_svg(&std::fs::read(dir.join("favicon.svg")).unwrap()).unwrap();
        for (name, side, opaque) in [
            ("favicon-96x96.png", 96, false),
            ("apple-touch-icon.png", 180, true),
            ("icon-192.png", 192, false),
            ("icon-512.png", 512, false),
            ("icon-maskable-192.png", 192, true),
            ("icon-maskable-512.png", 512, true),
        ] {
            let img = rgba(&dir.join(name));
            assert_eq!(img.dimensions(), (side, side), "{fixture} {name}");
            assert_eq!(
                img.pixels().all(|p| p[3] == 255),
                opaque,
                "{fixture} {name}: opaque only where the platform needs it"
            );
        }
        // Maskable: the logo stays inside the central 80% circle on a full-bleed colour.
        let img = rgba(&dir.join("icon-maskable-512.png"));
        let bg = *img.get_pixel(0, 0);
        let (mut inside, mut outside) = (0, 0);
        for (x, y, p) in img.enumerate_pixels() {
            if p != &bg {
                let (dx, dy) = (x as f64 + 0.5 - 256.0, y as f64 + 0.5 - 256.0);
                if (dx * dx + dy * dy).sqrt() <= 0.4 * 512.0 {
                    inside += 1;
                } else {
                    outside += 1;
                }
            }
        }
        assert!(
            inside > 1000 && outside == 0,
            "{fixture}: {inside} in, {outside} out"
        );

        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("site.webmanifest")).unwrap()).unwrap();
        // The name is the stem made readable, the short name its first word when longer
        // than 12 characters; id, start_url and scope are the site root.
        let stem = fixture.split('.').next().unwrap();
        assert_eq!(manifest["name"], stem.replace('_', " "));
        let short = manifest["short_name"].as_str().unwrap();
        assert!(
            short.chars().count() <= 12 && stem.starts_with(short),
            "{short}"
        );
        for key in ["id", "start_url", "scope"] {
            assert_eq!(manifest[key], "/", "{key}");
        }
        for key in ["display", "theme_color", "background_color"] {
            assert!(manifest[key].is_string(), "{key}");
        }
        let icons = manifest["icons"].as_array().unwrap();
        for icon in icons {
            let src = icon["src"].as_str().unwrap();
            let side = rgba(&dir.join(src)).width();
            assert_eq!(icon["sizes"], format!("{side}x{side}"));
            let purpose = ["maskable", "monochrome"]
                .into_iter()
                .find(|p| src.contains(p))
                .unwrap_or("any");
            assert_eq!(icon["purpose"], purpose);
        }
        assert_eq!(icons.len(), 6);
        let head = std::fs::read_to_string(dir.join("head.html")).unwrap();
        for href in head.split("href=\"/").skip(1) {
            let file = &href[..href.find('"').unwrap()];
            assert!(dir.join(file).is_file(), "head.html links {file}");
        }
    }
}

#[test]
fn web_app_names_colours_and_path_come_from_flags_and_a_dark_logo_turns_light_on_dark_tabs() {
    let dir = workdir(&["wordmark_on_white_q85.jpg", "mark.svg"]);
    logoproc(dir.path())
        .args([
            "build",
            "wordmark_on_white_q85.jpg",
            "mark.svg",
            "--variation",
            "favicon",
        ])
        .args([
            "--name",
            "Acme Rockets",
            "--short-name",
            "Acme",
            "--theme-color",
            "#112233",
        ])
        .args(["--background-color", "#fafafa", "--base-path", "/app"])
        .assert()
        .success();
    let out = dir.path().join("logoproc-out");
    let dir = out.join("wordmark_on_white_q85/favicon");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("site.webmanifest")).unwrap()).unwrap();
    assert_eq!(manifest["name"], "Acme Rockets");
    assert_eq!(manifest["short_name"], "Acme");
    assert_eq!(manifest["theme_color"], "#112233");
    assert_eq!(manifest["background_color"], "#fafafa");
    for key in ["id", "start_url", "scope"] {
        assert_eq!(manifest[key], "/app/", "{key}");
    }
    let head = std::fs::read_to_string(dir.join("head.html")).unwrap();
    assert_eq!(head.matches("href=\"/app/").count(), 5, "{head}");
    assert!(head.contains("content=\"#112233\""), "{head}");
    // The Coca-Cola wordmark is red (it keeps its colour); the mark fixture is purple:
    // neither is dark. A black logo gets a dark-tab rule.
    let svg = |stem: &str| std::fs::read_to_string(out.join(format!("{stem}/favicon/favicon.svg")));
    assert!(!svg("mark").unwrap().contains("prefers-color-scheme"));
    let black = dir
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("black.svg");
    std::fs::write(
        &black,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"40\">\
         <rect x=\"5\" y=\"5\" width=\"90\" height=\"30\" rx=\"8\" fill=\"#111111\"/></svg>",
    )
    .unwrap();
    logoproc(black.parent().unwrap())
        .args(["build", "black.svg", "--variation", "favicon"])
        .assert()
        .success();
    let dark = svg("black").unwrap();
    assert!(
        dark.contains("@media (prefers-color-scheme: dark)"),
        "{dark}"
    );
    // A bad colour is a configuration error naming the key.
    logoproc(black.parent().unwrap())
        .args(["build", "black.svg", "--theme-color", "teal"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("favicon.theme_color"));
}

#[test]
fn palette_lists_the_logo_colours_by_area() {
    // Red over two thirds of the logo, blue over one third, on white.
    let dir = tempfile::tempdir().unwrap();
    let mut img = image::RgbImage::from_pixel(100, 60, image::Rgb([255, 255, 255]));
    for (x, y, p) in img.enumerate_pixels_mut() {
        if (10..50).contains(&y) && (10..90).contains(&x) {
            *p = if x < 63 {
                image::Rgb([220, 38, 38])
            } else {
                image::Rgb([37, 99, 235])
            };
        }
    }
    img.save(dir.path().join("bars.png")).unwrap();
    logoproc(dir.path())
        .args(["build", "bars.png", "--variation", "palette"])
        .assert()
        .success();
    let base = dir.path().join("logoproc-out/bars/palette");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(base.join("palette.json")).unwrap()).unwrap();
    let colours = json["colours"].as_array().unwrap();
    let hex: Vec<&str> = colours.iter().map(|c| c["hex"].as_str().unwrap()).collect();
    assert_eq!(hex, ["#DC2626", "#2563EB"]);
    let share = colours[0]["share"].as_f64().unwrap();
    assert!((share - 0.66).abs() < 0.03, "red share {share}");
    assert_eq!(colours[0]["cmyk"], serde_json::json!([0, 83, 83, 14]));
    let css = std::fs::read_to_string(base.join("palette.css")).unwrap();
    assert!(css.contains("--brand-1: #DC2626;") && css.contains("--brand-2: #2563EB;"));
    assert_eq!(rgba(&base.join("palette.png")).dimensions(), (320, 200));
}

#[test]
fn app_icons_for_ios_and_android() {
    for fixture in ["badge_on_white.png", "mark.svg"] {
        let (_dir, base) = build(fixture, "app-icon");
        let root = base.join("app-icon");
        assert_eq!(files(&root), app_icon_files(), "{fixture}");
        assert_kit_checks(&base);

        // iOS: the App Store icon has no alpha channel; Contents.json names the three
        // appearances, which exist at 1024 px.
        let catalog = root.join("ios/AppIcon.appiconset");
        let store = image::open(catalog.join("AppIcon-1024.png")).unwrap();
        assert_eq!(store.color(), image::ColorType::Rgb8, "{fixture}: no alpha");
        assert_eq!((store.width(), store.height()), (1024, 1024));
        let contents: serde_json::Value =
            serde_json::from_slice(&std::fs::read(catalog.join("Contents.json")).unwrap()).unwrap();
        let mut appearances = BTreeSet::new();
        for image in contents["images"].as_array().unwrap() {
            assert_eq!(image["size"], "1024x1024");
            let file = catalog.join(image["filename"].as_str().unwrap());
            assert_eq!(rgba(&file).dimensions(), (1024, 1024));
            appearances.insert(image["appearances"][0]["value"].as_str().unwrap_or("any"));
        }
        assert_eq!(appearances, BTreeSet::from(["any", "dark", "tinted"]));
        let tinted = rgba(&catalog.join("AppIcon-1024-tinted.png"));
        assert!(
            tinted.pixels().all(|p| p[0] == p[1] && p[1] == p[2]),
            "grey levels"
        );
        // Notification icons: 24 dp white silhouettes; splash icons: 288 dp.
        for (density, layer, _) in DENSITIES {
            let drawable = root.join(format!("android/drawable-{density}"));
            let notify = rgba(&drawable.join("ic_stat_notify.png"));
            let side = (24.0 * layer as f64 / 108.0).round() as u32;
            assert_eq!(notify.dimensions(), (side, side), "{density}");
            assert!(notify
                .pixels()
                .all(|p| p[3] == 0 || p.0[..3] == [255, 255, 255]));
            assert!(notify.pixels().any(|p| p[3] == 255), "{density}: drawn");
            let side = (288.0 * layer as f64 / 108.0).round() as u32;
            let splash = rgba(&drawable.join("splash_icon.png"));
            assert_eq!(splash.dimensions(), (side, side), "{density}");
        }
        // Android's Play Store icon: 512 px, opaque.
        let play = image::open(root.join("android/play-store-512.png")).unwrap();
        assert_eq!(play.color(), image::ColorType::Rgb8);
        assert_eq!((play.width(), play.height()), (512, 512));
        // Desktop: the .icns lists 16 to 1024 px in its table of contents, the .ico six
        // layers.
        let icns_bytes = std::fs::read(root.join("macos/icon.icns")).unwrap();
        let family = icns::IconFamily::read(std::io::Cursor::new(&icns_bytes)).unwrap();
        let toc = &family.elements[0];
        assert_eq!(&toc.ostype.0, b"TOC ");
        assert_eq!(
            toc.data.len(),
            8 * (family.elements.len() - 1),
            "one entry each"
        );
        let mut sides: Vec<u32> = family
            .available_icons()
            .iter()
            .map(|t| t.pixel_width())
            .collect();
        sides.sort();
        sides.dedup();
        assert_eq!(sides, [16, 32, 64, 128, 256, 512, 1024], "{fixture}");
        let mut layers = ico_frames(&std::fs::read(root.join("windows/icon.ico")).unwrap());
        layers.sort();
        assert_eq!(layers, [16, 24, 32, 48, 64, 256]);

        for (density, layer, legacy) in DENSITIES {
            let icon =
                |name: &str| rgba(&root.join(format!("android/mipmap-{density}/{name}.png")));
            let (fg, bg, mono) = (
                icon("ic_launcher_foreground"),
                icon("ic_launcher_background"),
                icon("ic_launcher_monochrome"),
            );
            for img in [&fg, &bg, &mono] {
                assert_eq!(img.dimensions(), (layer, layer), "{fixture} {density}");
            }
            assert!(bg.pixels().all(|p| p[3] == 255 && p == bg.get_pixel(0, 0)));
            // The foreground stays inside the 66 dp safe circle of the 108 dp layer.
            let c = layer as f64 / 2.0;
            let safe = layer as f64 * 66.0 / 108.0 / 2.0;
            let mut ink = 0;
            for (x, y, p) in fg.enumerate_pixels() {
                if p[3] > 0 {
                    ink += 1;
                    let (dx, dy) = (x as f64 + 0.5 - c, y as f64 + 0.5 - c);
                    assert!(
                        (dx * dx + dy * dy).sqrt() <= safe + 1.0,
                        "{fixture} {density}: logo pixel at {x},{y} outside the safe zone"
                    );
                }
            }
            assert!(ink > 0);
            // The monochrome layer is the foreground's shape in one ink: no ink where the
            // foreground has none, and more than the foreground's alpha only where that
            // is mostly opaque (a translucent part inked solid, not a tint).
            for (m, f) in mono.pixels().zip(fg.pixels()) {
                assert!(
                    m[3] <= f[3] || f[3] >= 128,
                    "monochrome is the foreground's shape"
                );
            }
            let (square, round) = (icon("ic_launcher"), icon("ic_launcher_round"));
            assert_eq!(square.dimensions(), (legacy, legacy));
            assert_eq!(round.dimensions(), (legacy, legacy));
            assert!(square.pixels().all(|p| p[3] == 255));
            assert_eq!(round.get_pixel(0, 0)[3], 0, "round icon: corners clear");
            assert_eq!(
                round.get_pixel(legacy / 2, legacy / 8)[3],
                255,
                "round icon: disc"
            );
        }
        let xml = std::fs::read_to_string(root.join("android/mipmap-anydpi-v26/ic_launcher.xml"))
            .unwrap();
        for layer in ["background", "foreground", "monochrome"] {
            assert!(
                xml.contains(&format!(
                    "<{layer} android:drawable=\"@mipmap/ic_launcher_{layer}\" />"
                )),
                "{xml}"
            );
        }
    }
}

/// The `src` and `href` values of every element of an HTML page, percent-decoded.
fn links(html: &str) -> Vec<String> {
    let dom = tl::parse(html, tl::ParserOptions::default()).expect("the page parses");
    let mut out = Vec::new();
    for node in dom.nodes() {
        if let Some(tag) = node.as_tag() {
            for name in ["src", "href"] {
                if let Some(Some(value)) = tag.attributes().get(name) {
                    let raw = value.as_utf8_str().to_string();
                    let mut bytes = Vec::new();
                    let mut it = raw.bytes();
                    while let Some(b) = it.next() {
                        if b == b'%' {
                            let hex: String = [it.next().unwrap(), it.next().unwrap()]
                                .iter()
                                .map(|&c| c as char)
                                .collect();
                            bytes.push(u8::from_str_radix(&hex, 16).unwrap());
                        } else {
                            bytes.push(b);
                        }
                    }
                    out.push(String::from_utf8(bytes).unwrap());
                }
            }
        }
    }
    out
}

#[test]
fn preview_pages_show_every_output_and_link_only_existing_files() {
    let dir = workdir(&["badge_on_white.png", "mark.svg"]);
    std::fs::rename(
        dir.path().join("mark.svg"),
        dir.path().join("my mark #1.svg"),
    )
    .unwrap();
    logoproc(dir.path())
        .args(["build", "--all", "badge_on_white.png", "my mark #1.svg"])
        .assert()
        .success();
    let out = dir.path().join("logoproc-out");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let logo_links = links(&index);
    for stem in ["badge_on_white", "my mark #1"] {
        assert!(
            logo_links.contains(&format!("{stem}/index.html")),
            "{logo_links:?}"
        );
        let page_dir = out.join(stem);
        let html = std::fs::read_to_string(page_dir.join("index.html")).unwrap();
        assert!(
            !html.contains("<script") && !html.contains("http://") && !html.contains("https://")
        );
        let linked: BTreeSet<String> = links(&html).into_iter().collect();
        for link in &linked {
            assert!(
                page_dir.join(link).is_file(),
                "{stem}: links missing {link}"
            );
        }
        // Every output of the logo is on its page.
        for file in files(&page_dir) {
            if file != "index.html" {
                assert!(linked.contains(&file), "{stem}: {file} not on the page");
            }
        }
        // Transparent images on three backgrounds; social images with their safe zone.
        assert!(html.contains("class=\"dark\"") && html.contains("class=\"checker\""));
        let circles = html.matches("class=\"safe circle\"").count();
        assert_eq!(
            html.matches("class=\"safe").count() - circles,
            SOCIAL.len(),
            "{stem}: one safe-box overlay per social image"
        );
        assert!(html.contains("class=\"safe circle\""));
        // App icons under the masks platforms apply: the iOS icon once, each adaptive
        // icon under a circle and a squircle; the favicon on a light and a dark tab.
        assert_eq!(
            html.matches("class=\"mask\"").count(),
            1 + 2 * DENSITIES.len(),
            "{stem}: masks"
        );
        assert!(html.contains("class=\"tab light\"") && html.contains("class=\"tab dark\""));
        assert!(html.contains("1200x630 px"), "sizes are shown");
    }
}

#[test]
fn every_social_preset_keeps_the_logo_in_its_safe_box() {
    let data: toml::Value = toml::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/social.toml"))
            .unwrap(),
    )
    .unwrap();
    let presets = data["preset"].as_array().unwrap();
    let names: Vec<String> = presets
        .iter()
        .map(|p| format!("\"{}\"", p["name"].as_str().unwrap()))
        .collect();
    // A wide wordmark and a tall mascot, every preset including the opt-in ones.
    let dir = workdir(&["wordmark_on_white_q85.jpg", "mascot_transparent.png"]);
    std::fs::write(
        dir.path().join("all.toml"),
        format!("[social]\npresets = [{}]\n", names.join(", ")),
    )
    .unwrap();
    logoproc(dir.path())
        .args([
            "build",
            "wordmark_on_white_q85.jpg",
            "mascot_transparent.png",
            "--variation",
            "social",
            "--config",
            "all.toml",
        ])
        .assert()
        .success();
    for stem in ["wordmark_on_white_q85", "mascot_transparent"] {
        for p in presets {
            let name = p["name"].as_str().unwrap();
            let img = rgba(
                &dir.path()
                    .join(format!("logoproc-out/{stem}/social/{name}.png")),
            );
            let size = |k: &str| p[k].as_integer().unwrap() as u32;
            assert_eq!(img.dimensions(), (size("width"), size("height")), "{name}");
            let safe: Vec<u32> = p["safe"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_integer().unwrap() as u32)
                .collect();
            let bg = *img.get_pixel(0, 0);
            let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
            for (x, y, px) in img.enumerate_pixels() {
                let d: u32 = (0..4).map(|c| px[c].abs_diff(bg[c]) as u32).sum();
                if d > 24 {
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                }
            }
            assert!(x1 > 0, "{stem} {name}: logo drawn");
            // No pixel of the logo within 6% of the shorter side of a canvas edge.
            let (w, h) = img.dimensions();
            let m = (0.06 * w.min(h) as f64).ceil() as u32;
            assert!(
                x0 >= m && y0 >= m && x1 < w - m && y1 < h - m,
                "{stem} {name}: logo {x0}..{x1} x {y0}..{y1} within {m} px of an edge of {w}x{h}"
            );
            assert!(
                x0 >= safe[0] && y0 >= safe[1] && x1 < safe[0] + safe[2] && y1 < safe[1] + safe[3],
                "{stem} {name}: logo {x0}..{x1} x {y0}..{y1} outside safe box {safe:?}"
            );
            if let Some(max) = p.get("max_logo").and_then(|m| m.as_array()) {
                let (mw, mh) = (
                    max[0].as_integer().unwrap() as u32,
                    max[1].as_integer().unwrap() as u32,
                );
                assert!(mw == 0 || x1 - x0 < mw, "{stem} {name}: wider than {mw}");
                assert!(mh == 0 || y1 - y0 < mh, "{stem} {name}: taller than {mh}");
            }
        }
    }
}

#[test]
fn social_backgrounds_per_family_and_transparency_where_kept() {
    let dir = workdir(&["badge_on_white.png"]);
    std::fs::write(
        dir.path().join("bg.toml"),
        "[social]\nbackgrounds = { avatar = \"#112233\", share = \"transparent\" }\n\
         presets = [\"x-avatar\", \"github-social\", \"og\", \"x-header\"]\n",
    )
    .unwrap();
    let run = logoproc(dir.path())
        .args([
            "build",
            "badge_on_white.png",
            "--variation",
            "social",
            "--config",
            "bg.toml",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let social = dir.path().join("logoproc-out/badge_on_white/social");
    assert_eq!(
        rgba(&social.join("x-avatar.png")).get_pixel(0, 0).0,
        [0x11, 0x22, 0x33, 255]
    );
    assert_eq!(
        rgba(&social.join("github-social.png")).get_pixel(0, 0)[3],
        0,
        "kept transparent"
    );
    // og's platform flattens transparency: the automatic background, with a warning.
    assert_eq!(
        rgba(&social.join("og.png")).get_pixel(0, 0).0,
        [255, 255, 255, 255]
    );
    assert!(
        stdout.contains("og: the platform does not keep transparency"),
        "{stdout}"
    );
    assert_eq!(
        rgba(&social.join("x-header.png")).get_pixel(0, 0).0,
        [255, 255, 255, 255]
    );
}

#[test]
fn an_svg_draws_its_embedded_images_and_names_the_files_it_refuses() {
    let dir = workdir(&["embedded-image.svg"]);
    // A file beside the SVG that it names: refused all the same (an SVG must not read
    // the disk), and said so.
    image::RgbaImage::from_pixel(4, 4, image::Rgba([255, 0, 0, 255]))
        .save(dir.path().join("beside.png"))
        .unwrap();
    let run = logoproc(dir.path())
        .args(["build", "embedded-image.svg", "--variation", "transparent"])
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout
            .matches("left out 1 image(s) the SVG references")
            .count(),
        1,
        "{stdout}"
    );
    assert!(stdout.contains("\"beside.png\""), "{stdout}");
    let png = rgba(
        &dir.path()
            .join("logoproc-out/embedded-image/transparent/embedded-image.png"),
    );
    let (w, h) = png.dimensions();
    // The content box is the bar and the disc (10..190 x 10..90 of 200 x 100): the
    // disc's centre is three quarters across, the bar's a fifth.
    let disc = png.get_pixel(w * 3 / 4 + w / 18, h / 2).0;
    assert_eq!(disc, [245, 130, 32, 255], "the embedded PNG is drawn");
    let bar = png.get_pixel(w / 5, h / 2).0;
    assert_eq!(bar, [0x1f, 0x3a, 0x93, 255]);
    let red = png
        .pixels()
        .filter(|p| p[0] > 200 && p[1] < 50 && p[3] >= 128)
        .count();
    assert_eq!(red, 0, "the referenced file is not drawn");
}

#[test]
fn svg_text_in_generic_families_or_none_is_drawn() {
    // Text in each of the families a logo's SVG is likely to name, beside a red bar:
    // the text's dark blue must be in the transparent PNG (fontdb's defaults, Arial and
    // Times New Roman, are rarely installed; .ci/run installs DejaVu).
    for (n, family) in [
        "font-family=\"sans-serif\"",
        "font-family=\"serif\"",
        "font-family=\"Helvetica, Arial, sans-serif\"",
        "",
    ]
    .iter()
    .enumerate()
    {
        let dir = workdir(&[]);
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"100\">\
             <rect x=\"5\" y=\"20\" width=\"40\" height=\"60\" fill=\"#d02020\"/>\
             <text x=\"60\" y=\"75\" font-size=\"60\" {family} fill=\"#123456\">Logo</text></svg>"
        );
        std::fs::write(dir.path().join(format!("text{n}.svg")), svg).unwrap();
        let png = build_transparent(dir.path(), &format!("text{n}.svg"));
        let text = png
            .pixels()
            .filter(|p| p[3] == 255 && p[2] > p[0] + 40 && p[2] < 120)
            .count();
        let area = (png.width() * png.height()) as usize;
        assert!(text > area / 50, "{family}: {text} text pixels of {area}");
    }
}

#[test]
fn common_font_names_stand_for_their_generic_family_when_not_installed() {
    // Arial and Times name fonts a Linux machine rarely has: their text is drawn in the
    // sans-serif and serif fonts (with Arial installed, sans-serif is Arial itself).
    let dir = workdir(&[]);
    let build = |name: &str, family: &str| {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"100\">\
             <text x=\"10\" y=\"75\" font-size=\"60\" font-family=\"{family}\" \
             fill=\"#123456\">Logo</text></svg>"
        );
        std::fs::write(dir.path().join(format!("{name}.svg")), svg).unwrap();
        build_transparent(dir.path(), &format!("{name}.svg"))
    };
    let (arial, sans) = (build("arial", "Arial"), build("sans", "sans-serif"));
    let (times, serif) = (build("times", "Times"), build("serif", "serif"));
    assert!(arial == sans, "Arial is drawn in the sans-serif font");
    assert!(times == serif, "Times is drawn in the serif font");
    assert!(sans != serif, "the two fonts differ, so the test can tell");
}

#[test]
fn check_passes_on_built_kits_and_fails_on_a_missing_file_or_an_icon_with_alpha() {
    let dir = workdir(&["badge_on_white.png", "mark.svg"]);
    logoproc(dir.path())
        .args(["build", "badge_on_white.png", "mark.svg"])
        .args(["--variation", "favicon,app-icon", "--base-path", "/static/"])
        .assert()
        .success();
    let out = dir.path().join("logoproc-out");
    assert_kit_checks(&out);
    let run = logoproc(dir.path())
        .args(["check", "logoproc-out", "--json"])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    assert_eq!(report["logos"].as_array().unwrap().len(), 2);
    assert!(report["checked"].as_u64().unwrap() > 40);
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);

    // One file removed, and the App Store icon replaced by one with alpha.
    std::fs::remove_file(out.join("mark/favicon/icon-512.png")).unwrap();
    let catalog = out.join("badge_on_white/app-icon/ios/AppIcon.appiconset");
    image::RgbaImage::from_pixel(1024, 1024, image::Rgba([10, 20, 30, 255]))
        .save(catalog.join("AppIcon-1024.png"))
        .unwrap();
    let run = logoproc(dir.path())
        .args(["check", "logoproc-out"])
        .assert()
        .code(1);
    let text = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("mark/favicon/icon-512.png: missing"),
        "{text}"
    );
    assert!(
        text.contains("AppIcon-1024.png: has an alpha channel; App Store Connect refuses it"),
        "{text}"
    );
    assert!(text.contains("2 problem(s)"), "{text}");
    // Not a kit: a usage error.
    logoproc(dir.path())
        .args(["check", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nowhere: not a folder"));
}
