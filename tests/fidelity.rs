//! Quality regression test: the transparent PNG measured against ground truth on the 40
//! logos of `fixtures/corpus`, in every delivery kind. Fails when a figure passes its bar.
//!
//! The bars are issue #3's, except where the tool does not reach them yet; there the bar
//! is today's measured level, marked `known gap`, so that nothing gets worse unnoticed.
//! Print the full table with `cargo run --release --example fidelity -- transparent`.

use std::path::Path;

use logoproc::config::Config;
use logoproc::fidelity::{measure_transparent, summarise, Summary};

struct Bar {
    kind: &'static str,
    max_mae: f64,
    min_iou: f64,
    max_below_097: usize,
    max_halo: f64,
}

const BARS: [Bar; 5] = [
    // Known gap: issue bar is 2. The 4 are white parts drawn on white that touch the
    // background (arc's and snyk's white outlines) or sit in a one-colour badge (cockpit,
    // nginx): on white.png they are the same pixels as a hole. See README.
    Bar {
        kind: "white.png",
        max_mae: 0.6,
        min_iou: 0.99,
        max_below_097: 4,
        max_halo: 6.0,
    },
    Bar {
        kind: "offwhite.png",
        max_mae: 0.6,
        min_iou: 0.99,
        max_below_097: 2,
        max_halo: 6.0,
    },
    // Known gap: issue bar is none (babel's brush texture).
    Bar {
        kind: "color.png",
        max_mae: 0.6,
        min_iou: 0.99,
        max_below_097: 1,
        max_halo: 6.0,
    },
    // Known gap: issue bar is 3 (the white.png four, plus kde and gopher whose whites
    // JPEG noise hides).
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
