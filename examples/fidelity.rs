//! Measure logoproc's outputs against the ground-truth corpus.
//!
//! ```text
//! cargo run --release --example fidelity -- transparent [CORPUS] [--rows]
//! cargo run --release --example fidelity -- vector [CORPUS] [--rows]
//! cargo run --release --example fidelity -- mono [CORPUS] [--rows] [--kinds K1,K2]
//! cargo run --release --example fidelity -- geometry [CORPUS] [--rows] [--kinds K1,K2] [--json FILE] [--draw DIR]
//! ```
//! CORPUS defaults to `fixtures/corpus` (a folder of logo folders, each with `truth.png`
//! and the delivery kinds). Prints medians and worst cases per input kind and overall;
//! `--rows` adds one line per logo and kind; `--config FILE` measures another configuration.
//! `geometry` measures the vector trace's outlines against `source.svg` (medians and worst
//! tenths) on the kinds of `--kinds` (default `white.png,white_q85.jpg`); `--json FILE`
//! also writes its rows and summaries there, for comparing runs; `--draw DIR` draws each
//! logo's outlines there (original blue, placed trace red). `mono` measures the black
//! one-ink mark's detail and tint (see `src/fidelity/mono.rs`) on the kinds of `--kinds`
//! (default `white.png,white_q85.jpg,truth.png`).

use std::path::PathBuf;

use logoproc::config::Config;
use logoproc::fidelity::{
    measure_and_draw_geometry, measure_geometry, measure_mono, measure_transparent, measure_vector,
    summarise, summarise_geometry, summarise_mono, summarise_vector, GeometryRow, GEOMETRY_KINDS,
};

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
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let corpus = args
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(i, _)| {
            !matches!(
                args[i - 1].as_str(),
                "--config" | "--kinds" | "--json" | "--draw"
            )
        })
        .map(|(_, a)| a)
        .filter(|a| !a.ends_with(".toml"))
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("fixtures/corpus"));
    let rows_wanted = args.iter().any(|a| a == "--rows");
    // `--kinds K1,K2`, else `default`.
    let kinds = |default: &[&'static str]| -> Vec<&'static str> {
        match value("--kinds") {
            Some(list) => list
                .split(',')
                .map(|k| &*Box::leak(k.to_string().into_boxed_str()))
                .collect(),
            None => default.to_vec(),
        }
    };
    let result = match mode {
        "transparent" => {
            measure_transparent(&corpus, &config).map(|r| transparent(&r, rows_wanted))
        }
        "vector" => measure_vector(&corpus, &config).map(|r| vector(&r, rows_wanted)),
        "geometry" => {
            let kinds = kinds(&GEOMETRY_KINDS);
            match value("--draw") {
                Some(dir) => measure_and_draw_geometry(&corpus, &config, &kinds, dir.as_ref()),
                None => measure_geometry(&corpus, &config, &kinds),
            }
            .and_then(|r| geometry(&r, &kinds, rows_wanted, value("--json")))
        }
        "mono" => {
            let kinds = kinds(&["white.png", "white_q85.jpg", "truth.png"]);
            measure_mono(&corpus, &config, &kinds).map(|rows| mono(&rows, &kinds, rows_wanted))
        }
        other => {
            eprintln!(
                "fidelity: unknown mode {other:?} (known: transparent, vector, geometry, mono)"
            );
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

fn geometry(
    rows: &[GeometryRow],
    kinds: &[&str],
    rows_wanted: bool,
    json: Option<&String>,
) -> Result<(), String> {
    if rows_wanted {
        println!(
            "{:<26} {:<14} {:>6} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6} {:>7} {:>6} {:>5} {:>6} {:>7}",
            "logo",
            "kind",
            "err",
            "p95",
            "turn",
            "len",
            "IoU4x",
            "PSNR4",
            "PSNR",
            "SSIM",
            "bytes",
            "paths",
            "nodes",
            "ms"
        );
        for r in rows {
            println!(
                "{:<26} {:<14} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>7.4} {:>6.2} {:>6.2} {:>7.4} {:>6} {:>5} {:>6} {:>7.1}",
                r.logo, r.kind, r.mean_error, r.p95_error, r.turning_ratio, r.length_ratio, r.iou,
                r.psnr_4x, r.psnr, r.ssim, r.bytes, r.paths, r.nodes, r.trace_ms
            );
        }
        println!();
    }
    let summaries = summarise_geometry(rows, kinds);
    println!("median / worst tenth (90th percentile; 10th for IoU, PSNR, SSIM)");
    println!(
        "{:<14} {:>5} {:>13} {:>13} {:>13} {:>13} {:>15} {:>13} {:>13} {:>15} {:>13} {:>11} {:>13} {:>13}",
        "kind", "logos", "err px", "p95 px", "turning", "length", "IoU 4x", "PSNR 4x", "PSNR 1x",
        "SSIM 1x", "bytes", "paths", "nodes", "trace ms"
    );
    for s in &summaries {
        let f = |v: logoproc::fidelity::Spread, p: usize| {
            format!("{:.p$}/{:.p$}", v.median, v.worst_tenth)
        };
        println!(
            "{:<14} {:>5} {:>13} {:>13} {:>13} {:>13} {:>15} {:>13} {:>13} {:>15} {:>13} {:>11} {:>13} {:>13}",
            s.kind,
            s.logos,
            f(s.mean_error, 3),
            f(s.p95_error, 3),
            f(s.turning_ratio, 3),
            f(s.length_ratio, 3),
            f(s.iou, 4),
            f(s.psnr_4x, 2),
            f(s.psnr, 2),
            f(s.ssim, 4),
            f(s.bytes, 0),
            f(s.paths, 0),
            f(s.nodes, 0),
            f(s.trace_ms, 0)
        );
    }
    if let Some(path) = json {
        let doc = serde_json::json!({ "rows": rows, "summary": summaries });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{path}: cannot write: {e}"))?;
    }
    Ok(())
}

fn mono(rows: &[logoproc::fidelity::MonoRow], kinds: &[&str], rows_wanted: bool) {
    if rows_wanted {
        for r in rows {
            let detail = r.detail.map_or("-".to_string(), |d| format!("{d:.3}"));
            println!(
                "{:<24} {:<14} boundary px {:>6}  detail {:>6}  tint {:.4}",
                r.logo, r.kind, r.boundaries, detail, r.tint
            );
        }
        println!();
    }
    println!("kind           logos  with inner boundaries  detail median  detail < 0.5  tint > 1%");
    for s in summarise_mono(rows, kinds) {
        println!(
            "{:<14} {:>5}  {:>21}  {:>13.3}  {:>12}  {:>9}",
            s.kind, s.logos, s.with_boundaries, s.detail_median, s.below_half, s.tinted
        );
    }
}
