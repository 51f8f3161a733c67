//! Geometry regression test: the vector trace's outlines measured against `source.svg` on
//! the 40 logos of `fixtures/corpus` delivered as `white.png`. Fails when a median or
//! worst-tenth figure passes its bar.
//!
//! The bars are today's measured values plus a small margin, so that nothing gets worse
//! unnoticed; issue #26 sets the targets. Print the full tables with
//! `cargo run --release --example fidelity -- geometry --rows --kinds white.png`.

use std::path::Path;

use logoproc::config::Config;
use logoproc::fidelity::{measure_geometry, summarise_geometry, Spread};

/// A bar on a figure where larger is worse: its median and worst tenth may not exceed it.
struct Most {
    what: &'static str,
    median: f64,
    worst_tenth: f64,
}

/// A bar on a figure where smaller is worse.
struct Least {
    what: &'static str,
    median: f64,
    worst_tenth: f64,
}

// Known gap: issue #26 bar is X. Today (white.png): mean error 0.286 / 2.387 px, p95 error
// 0.657 / 4.102 px, turning ratio 1.587 / 2.809, nodes 185 / 531.
const MOST: [Most; 4] = [
    Most {
        what: "mean outline error (px)",
        median: 0.33,
        worst_tenth: 2.8,
    },
    Most {
        what: "95th percentile outline error (px)",
        median: 0.75,
        worst_tenth: 4.7,
    },
    Most {
        what: "turning ratio",
        median: 1.75,
        worst_tenth: 3.1,
    },
    Most {
        what: "path nodes",
        median: 215.0,
        worst_tenth: 610.0,
    },
];

// Known gap: issue #26 bar is X. Today (white.png): IoU at 4x 0.9892 / 0.8100, PSNR at 4x
// 27.55 / 19.22 dB.
const LEAST: [Least; 2] = [
    Least {
        what: "IoU at 4x",
        median: 0.985,
        worst_tenth: 0.79,
    },
    Least {
        what: "PSNR at 4x (dB)",
        median: 27.0,
        worst_tenth: 18.5,
    },
];

#[test]
fn vector_trace_geometry_meets_the_bars() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    let kinds = ["white.png"];
    let rows = measure_geometry(&corpus, &Config::default(), &kinds).unwrap();
    assert_eq!(rows.len(), 40, "40 logos x 1 kind");
    for r in &rows {
        assert!(
            r.mean_error.is_finite() && r.turning_ratio.is_finite() && r.iou.is_finite(),
            "{}: a figure is not a number: {r:?}",
            r.logo
        );
    }
    let summary = &summarise_geometry(&rows, &kinds)[0];
    assert_eq!(summary.logos, 40);
    let figure = |what: &str| -> Spread {
        match what {
            "mean outline error (px)" => summary.mean_error,
            "95th percentile outline error (px)" => summary.p95_error,
            "turning ratio" => summary.turning_ratio,
            "path nodes" => summary.nodes,
            "IoU at 4x" => summary.iou,
            "PSNR at 4x (dB)" => summary.psnr_4x,
            other => unreachable!("no figure {other}"),
        }
    };
    let mut failures = Vec::new();
    for bar in MOST {
        let f = figure(bar.what);
        if f.median > bar.median {
            failures.push(format!(
                "median {} {:.4} > {}",
                bar.what, f.median, bar.median
            ));
        }
        if f.worst_tenth > bar.worst_tenth {
            failures.push(format!(
                "worst tenth {} {:.4} > {}",
                bar.what, f.worst_tenth, bar.worst_tenth
            ));
        }
    }
    for bar in LEAST {
        let f = figure(bar.what);
        if f.median < bar.median {
            failures.push(format!(
                "median {} {:.4} < {}",
                bar.what, f.median, bar.median
            ));
        }
        if f.worst_tenth < bar.worst_tenth {
            failures.push(format!(
                "worst tenth {} {:.4} < {}",
                bar.what, f.worst_tenth, bar.worst_tenth
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "vector geometry regressed:\n{}",
        failures.join("\n")
    );
}
