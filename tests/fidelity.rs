//! Quality regression tests: the transparent PNG and the vector SVG measured against
//! ground truth on the 40 logos of `fixtures/corpus`, in every delivery kind, and the
//! transparent PNG on the 24 full-colour logos with white parts of `fixtures/white-parts`.
//! Each fails when a figure passes its bar.
//!
//! The bars are issue #3's, except where the tool does not reach them yet; there the bar
//! is today's measured level, marked `known gap`, so that nothing gets worse unnoticed.
//! Print the full tables with `cargo run --release --example fidelity -- transparent` (or
//! `-- vector`).

use std::path::Path;

use logoproc::config::Config;
use logoproc::fidelity::{
    measure_mono, measure_transparent, measure_vector, summarise, summarise_mono, summarise_vector,
    Summary,
};

struct Bar {
    kind: &'static str,
    max_mae: f64,
    min_iou: f64,
    max_below_097: usize,
    max_halo: f64,
}

const BARS: [Bar; 5] = [
    // Known gap: issue bar is 2. Of the 6: arc's and snyk's white outlines touch the
    // background (on white.png the same pixels as it); si-lydia, si-pinia and stitch are
    // one-colour marks whose inner figures are cut-outs by their set's convention, and
    // ethereum's line drawing has triangular holes as wide as their frame is uneven, all
    // four taken for white figures on a badge (issue #27's rule, which brings the 24 logos
    // of `fixtures/white-parts` from 22 to 5; see README).
    Bar {
        kind: "white.png",
        max_mae: 0.6,
        min_iou: 0.99,
        max_below_097: 6,
        max_halo: 6.0,
    },
    // Known gap: issue bar is 2. si-lydia, si-pinia, stitch, ethereum-color, as above.
    Bar {
        kind: "offwhite.png",
        max_mae: 0.6,
        min_iou: 0.99,
        max_below_097: 4,
        max_halo: 6.0,
    },
    // Known gap: issue bar is 0. ethereum-color, on #111827, which counts as black.
    Bar {
        kind: "color.png",
        max_mae: 0.6,
        min_iou: 0.99,
        max_below_097: 1,
        max_halo: 6.0,
    },
    // Known gap: issue bar is 3. The same six as white.png.
    Bar {
        kind: "white_q85.jpg",
        max_mae: 1.2,
        min_iou: 0.985,
        max_below_097: 6,
        max_halo: 12.0,
    },
    Bar {
        kind: "truth.png",
        max_mae: 0.0,
        min_iou: 1.0,
        max_below_097: 0,
        max_halo: 0.0,
    },
];

/// Issue #27's bars for the full-colour logos with white parts of `fixtures/white-parts`
/// (24 of the 46 in `shared/corpus/extra`), as a share of 60 logos: at most 5 of 60
/// under IoU 0.97 from white.png, 8 of 60 from the JPEG, 3 of 60 from color.png and
/// offwhite.png. Measured: 5, 5, 0 and 1 of 24 (before: 22, 23, 0, 1); the five are white
/// parts that touch the background (amex's letters and ocaml's camel cut by the badge's
/// edge, z-ai's white frame), taskade's face in a thin ring and cassandra's eye.
const WHITE_PARTS_BARS: [(&str, usize); 4] = [
    ("white.png", 5),
    ("white_q85.jpg", 5),
    ("offwhite.png", 1),
    ("color.png", 0),
];

#[test]
fn white_parts_of_full_colour_logos_are_kept() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/white-parts");
    let rows = measure_transparent(&corpus, &Config::default()).unwrap();
    let summaries = summarise(&rows);
    let mut failures = Vec::new();
    for (kind, max_below) in WHITE_PARTS_BARS {
        let s: &Summary = summaries.iter().find(|s| s.kind == kind).unwrap();
        assert_eq!(s.logos, 24);
        if s.below_097 > max_below {
            failures.push(format!(
                "{kind}: {} logos with IoU < 0.97 > {max_below}",
                s.below_097
            ));
        }
        if s.iou.0 < 0.99 {
            failures.push(format!("{kind}: median IoU {:.4} < 0.99", s.iou.0));
        }
    }
    assert!(
        failures.is_empty(),
        "white parts lost:\n{}",
        failures.join("\n")
    );
}

#[test]
fn transparent_png_meets_the_fidelity_bars() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    let rows = measure_transparent(&corpus, &Config::default()).unwrap();
    assert_eq!(rows.len(), 200, "40 logos x 5 kinds");
    let summaries = summarise(&rows);
    let mut failures = Vec::new();
    for bar in BARS {
        let s: &Summary = summaries.iter().find(|s| s.kind == bar.kind).unwrap();
        assert_eq!(s.logos, 40);
        let mut check = |ok: bool, what: String| {
            if !ok {
                failures.push(format!("{}: {what}", bar.kind));
            }
        };
        check(
            s.alpha_mae.0 <= bar.max_mae,
            format!("median alpha MAE {:.3} > {}", s.alpha_mae.0, bar.max_mae),
        );
        check(
            s.iou.0 >= bar.min_iou,
            format!("median IoU {:.4} < {}", s.iou.0, bar.min_iou),
        );
        check(
            s.below_097 <= bar.max_below_097,
            format!(
                "{} logos with IoU < 0.97 > {}",
                s.below_097, bar.max_below_097
            ),
        );
        check(
            s.halo.0 <= bar.max_halo,
            format!("median halo {:.2} > {}", s.halo.0, bar.max_halo),
        );
    }
    let truth = summaries.iter().find(|s| s.kind == "truth.png").unwrap();
    assert_eq!(
        truth.alpha_mae.1, 0.0,
        "an already transparent logo keeps its alpha exactly"
    );
    assert!(
        failures.is_empty(),
        "fidelity regressed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn vector_trace_meets_the_fidelity_bars() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    let rows = measure_vector(&corpus, &Config::default()).unwrap();
    assert_eq!(rows.len(), 160, "40 logos x 4 kinds");
    let summaries = summarise_vector(&rows);
    let get = |kind: &str| summaries.iter().find(|s| s.kind == kind).unwrap();
    let (white, jpeg, colour) = (get("white.png"), get("white_q85.jpg"), get("color.png"));
    let mut failures = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            failures.push(what);
        }
    };
    check(
        white.psnr.0 >= 38.0,
        format!("white.png median PSNR {:.2} < 38 dB", white.psnr.0),
    );
    check(
        white.ssim.0 >= 0.995,
        format!("white.png median SSIM {:.4} < 0.995", white.ssim.0),
    );
    check(
        white.iou.0 >= 0.99,
        format!("white.png median IoU {:.4} < 0.99", white.iou.0),
    );
    check(
        white.bytes.0 <= 6000.0,
        format!("white.png median {} bytes > 6 kB", white.bytes.0),
    );
    check(
        jpeg.bytes.0 <= 6000.0,
        format!("white_q85.jpg median {} bytes > 6 kB", jpeg.bytes.0),
    );
    check(
        jpeg.paths.0 <= 8.0,
        format!("white_q85.jpg median {} paths > 8", jpeg.paths.0),
    );
    check(
        colour.psnr.0 >= 38.0,
        format!("color.png median PSNR {:.2} < 38 dB", colour.psnr.0),
    );
    // Logos drawn with gradients keep them: the median PSNR of those on white is well
    // above what flat colour bands reach (30.3 to 32.8 dB on these four).
    let mut graded: Vec<f64> = (rows.iter())
        .filter(|r| r.kind == "white.png" && has_gradient(&corpus.join(&r.logo)))
        .map(|r| r.fidelity.psnr)
        .collect();
    graded.sort_by(f64::total_cmp);
    check(
        graded.len() >= 4,
        format!("{} logos with gradients, want 4", graded.len()),
    );
    let median = match graded.len() {
        0 => 0.0,
        n => (graded[(n - 1) / 2] + graded[n / 2]) / 2.0,
    };
    check(
        median >= 33.5,
        format!("logos with gradients: median PSNR {median:.2} < 33.5 dB"),
    );
    // Every SVG parses, has no background shape and covers the logo.
    for r in &rows {
        check(
            r.fidelity.iou > 0.7,
            format!("{} {}: IoU {:.3}", r.logo, r.kind, r.fidelity.iou),
        );
    }
    assert!(
        failures.is_empty(),
        "vector fidelity regressed:\n{}",
        failures.join("\n")
    );
}

/// Whether the logo's original SVG paints with a gradient.
fn has_gradient(dir: &Path) -> bool {
    let svg = std::fs::read_to_string(dir.join("source.svg")).unwrap();
    svg.contains("<linearGradient") || svg.contains("<radialGradient")
}

/// Issue #27's one-ink bars, on `fixtures/corpus` and `fixtures/white-parts`: the black
/// mark keeps at least 75% of the truth's inner colour boundaries (median of the logos
/// with any), few logos keep less than half, and no logo has grey tints.
/// (kind, corpus, at most this many below half, at most this many tinted over 1%).
const MONO_BARS: [(&str, &str, usize, usize); 4] = [
    // Measured: 0 and 0 (before: 12 of 17 below half, a silhouette keeps none).
    ("white.png", "fixtures/corpus", 0, 0),
    // Measured: 0 and 0 (1 tinted before partial ink was kept to edges only).
    ("white_q85.jpg", "fixtures/corpus", 0, 0),
    // Measured: 1 (z-ai, whose white frame is lost with the background) and 0.
    ("white.png", "fixtures/white-parts", 1, 0),
    ("white_q85.jpg", "fixtures/white-parts", 1, 0),
];

#[test]
fn one_ink_marks_keep_the_drawing_in_one_ink() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    for (kind, corpus, max_below_half, max_tinted) in MONO_BARS {
        let rows = measure_mono(&root.join(corpus), &Config::default(), &[kind]).unwrap();
        let s = &summarise_mono(&rows, &[kind])[0];
        assert!(s.with_boundaries >= 17, "{corpus} {kind}: {s:?}");
        if s.detail_median < 0.75 {
            failures.push(format!(
                "{corpus} {kind}: median detail {:.3} < 0.75",
                s.detail_median
            ));
        }
        if s.below_half > max_below_half {
            failures.push(format!(
                "{corpus} {kind}: {} logos keep less than half > {max_below_half}",
                s.below_half
            ));
        }
        if s.tinted > max_tinted {
            failures.push(format!(
                "{corpus} {kind}: {} tinted logos > {max_tinted}",
                s.tinted
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "one-ink marks regressed:\n{}",
        failures.join("\n")
    );
}
