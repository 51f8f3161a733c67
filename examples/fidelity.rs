//! Measure logoproc's outputs against the ground-truth corpus.
//!
//! ```text
//! cargo run --release --example fidelity -- transparent [CORPUS] [--rows]
//! cargo run --release --example fidelity -- vector [CORPUS] [--rows]
//! ```
//! CORPUS defaults to `fixtures/corpus` (a folder of logo folders, each with `truth.png`
//! and the delivery kinds). Prints medians and worst cases per input kind and overall;
//! `--rows` adds one line per logo and kind; `--config FILE` measures another configuration.

use std::path::PathBuf;

use logoproc::config::Config;
use logoproc::fidelity::{measure_transparent, measure_vector, summarise, summarise_vector};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("transparent");
    let config = match args.iter().position(|a| a == "--config") {
        Some(i) => Config::load(args.get(i + 1).map(std::path::Path::new)).unwrap_or_else(|e| {
            eprintln!("fidelity: error: {e}");
            std::process::exit(2);
        }),
        None => Config::default(),
    };
    let corpus = args
        .iter()
        .skip(1)
        .filter(|a| !a.ends_with(".toml"))
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("fixtures/corpus"));
    let rows_wanted = args.iter().any(|a| a == "--rows");
    let result = match mode {
        "transparent" => {
            measure_transparent(&corpus, &config).map(|r| transparent(&r, rows_wanted))
        }
        "vector" => measure_vector(&corpus, &config).map(|r| vector(&r, rows_wanted)),
        other => {
            eprintln!("fidelity: unknown mode {other:?} (known: transparent, vector)");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("fidelity: error: {e}");
        std::process::exit(1);
    }
}

fn transparent(rows: &[logoproc::fidelity::Row], rows_wanted: bool) {
    if rows_wanted {
        println!(
            "{:<24} {:<14} {:>7} {:>7} {:>7} {:>7}",
            "logo", "kind", "MAE", "IoU", "halo", "opaque"
        );
        for r in rows {
            let f = r.fidelity;
            println!(
                "{:<24} {:<14} {:>7.3} {:>7.4} {:>7.2} {:>7.2}",
                r.logo, r.kind, f.alpha_mae, f.iou, f.halo, f.opaque_error
            );
        }
        println!();
    }
    println!(
        "{:<14} {:>5} {:>15} {:>17} {:>7} {:>15} {:>15} {:>9}",
        "kind",
        "logos",
        "MAE med/worst",
        "IoU med/worst",
        "<0.97",
        "halo med/worst",
        "opaque med/wst",
        "ms/MP"
    );
    for s in summarise(rows) {
        println!(
            "{:<14} {:>5} {:>7.3}/{:<7.3} {:>8.4}/{:<8.4} {:>7} {:>7.2}/{:<7.2} {:>7.2}/{:<7.2} {:>9.1}",
            s.kind, s.logos, s.alpha_mae.0, s.alpha_mae.1, s.iou.0, s.iou.1, s.below_097, s.halo.0, s.halo.1,
            s.opaque_error.0, s.opaque_error.1, s.ms_per_mp
        );
    }
}

fn vector(rows: &[logoproc::fidelity::VectorRow], rows_wanted: bool) {
    if rows_wanted {
        println!(
            "{:<24} {:<14} {:>7} {:>7} {:>7} {:>7} {:>6} {:>8}",
            "logo", "kind", "PSNR", "SSIM", "IoU", "bytes", "paths", "ms"
        );
        for r in rows {
            let f = r.fidelity;
            println!(
                "{:<24} {:<14} {:>7.2} {:>7.4} {:>7.4} {:>7} {:>6} {:>8.1}",
                r.logo, r.kind, f.psnr, f.ssim, f.iou, r.bytes, r.paths, r.trace_ms
            );
        }
        println!();
    }
    println!(
        "{:<14} {:>5} {:>13} {:>15} {:>15} {:>15} {:>11} {:>9} {:>9}",
        "kind",
        "logos",
        "PSNR med/wst",
        "SSIM med/wst",
        "IoU med/wst",
        "bytes med/max",
        "paths m/max",
        "ms/MP",
        "x vtracer"
    );
    for s in summarise_vector(rows) {
        println!(
            "{:<14} {:>5} {:>6.2}/{:<6.2} {:>7.4}/{:<7.4} {:>7.4}/{:<7.4} {:>7.0}/{:<7.0} {:>5.0}/{:<5.0} {:>9.1} {:>9.2}",
            s.kind, s.logos, s.psnr.0, s.psnr.1, s.ssim.0, s.ssim.1, s.iou.0, s.iou.1, s.bytes.0, s.bytes.1,
            s.paths.0, s.paths.1, s.ms_per_mp, s.time_ratio
        );
    }
}
