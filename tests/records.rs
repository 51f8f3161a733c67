//! What a batch keeps per logo: the plan's records and the run's, counted by this test
//! binary's allocator as the growth from a batch of 40 logos to one of 240. A long batch
//! holds them all at once, so each byte here is a kilobyte in a batch of 1,000 logos
//! (README "Memory"). Run on the code before 391c13c (which this test came with), it gave
//! 167 and 145 bytes a logo; 391c13c, 88 and 43; since the run stopped keeping each
//! input's hash (the state records the digest of the bytes the jobs decoded), 88 and 10.
//!
//! One test in this binary, so that nothing else allocates while it counts.

use std::sync::atomic::Ordering::SeqCst;
use std::sync::Mutex;

use logoproc::{plan, run, Variation};

#[path = "common/counting.rs"]
mod counting;
use counting::{Counting, LIVE};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes a logo the plan may hold beyond its path, for one variation: its input record
/// and its job (56 and 32 bytes).
const PLAN_BYTES: f64 = 120.0;
/// Bytes a logo the run may hold while its jobs are not under way, for one variation:
/// whether to skip it and its job count, its job's place in the queue and its log
/// record: 23 bytes on paper (1 + 2 + 4 + 16), though 10 were measured (the 13 not
/// found); with each input's hash kept as well, 33 bytes more, it was 43.
const RUN_BYTES: f64 = 25.0;

/// What planning and running a batch of `n` logos holds: (after planning, at the job
/// ends of the middle half of the run, the least), both less what was live before.
fn held(n: usize) -> (usize, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let logos = dir.path().join("logos");
    std::fs::create_dir(&logos).unwrap();
    let logo = image::RgbImage::from_fn(64, 64, |x, y| {
        let inside = (16..48).contains(&x) && (16..48).contains(&y);
        image::Rgb(if inside { [20, 40, 160] } else { [255; 3] })
    });
    for i in 0..n {
        logo.save(logos.join(format!("logo-{i:04}.png"))).unwrap();
    }
    let path_bytes = n * logos.join("logo-0000.png").as_os_str().len();
    // Allocated before counting starts, so that it is in neither count.
    let ends = Mutex::new(Vec::with_capacity(n + 1));
    let mut config = logoproc::Config::default();
    config.build.out = dir.path().join("out");
    config.parallel.jobs = Some(1);
    let before = LIVE.load(SeqCst);
    let plan = plan::plan(
        &plan::Inputs::new(vec![logos]),
        &[Variation::Transparent],
        config,
    )
    .unwrap();
    assert_eq!(plan.inputs.len(), n);
    let planned = LIVE.load(SeqCst) - before - path_bytes;
    let progress = |_: run::Progress| ends.lock().unwrap().push(LIVE.load(SeqCst));
    let options = run::Options {
        progress: Some(&progress),
        ..Default::default()
    };
    let report = run::run(&plan, &options).unwrap();
    assert_eq!(report.totals.failed, 0, "{:?}", report.errors());
    let ends = ends.into_inner().unwrap();
    let middle = ends[n / 4..3 * n / 4].iter().min().unwrap() - before - path_bytes;
    (planned, middle - planned, n)
}

#[test]
fn a_batch_holds_little_per_logo() {
    let (small, big) = (held(40), held(240));
    let logos = (big.2 - small.2) as f64;
    let plan = (big.0 as f64 - small.0 as f64) / logos;
    let run = (big.1 as f64 - small.1 as f64) / logos;
    eprintln!("per logo: plan {plan:.1} B, run {run:.1} B");
    assert!(
        plan <= PLAN_BYTES,
        "the plan holds {plan:.1} bytes a logo beyond its path (bar: {PLAN_BYTES})"
    );
    assert!(
        run <= RUN_BYTES,
        "the run holds {run:.1} bytes a logo (bar: {RUN_BYTES})"
    );
    // Not bars that cannot fail: the records are counted.
    assert!(
        plan >= 60.0 && run >= 5.0,
        "plan {plan:.1}, run {run:.1}: not counted?"
    );
}
