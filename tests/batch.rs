//! Batch features, through the real binary: inputs from globs and lists, incremental
//! re-runs, the output folder's lock, interruption, quiet runs and sharding.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use logoproc::lock::{Lock, Wait};
use predicates::prelude::PredicateBooleanExt;
use serde_json::Value;

mod common;
use common::{assert_same_tree, files, logoproc, workdir};

/// A temp folder with `logos/<name>.png`: the first `n` corpus logos on white.
fn corpus_batch(n: usize) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("white.png").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.truncate(n);
    assert_eq!(names.len(), n, "fixtures/corpus has too few logos");
    std::fs::create_dir_all(dir.path().join("logos")).unwrap();
    for name in &names {
        std::fs::copy(
            corpus.join(name).join("white.png"),
            dir.path().join("logos").join(format!("{name}.png")),
        )
        .unwrap();
    }
    (dir, names)
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("the report is JSON")
}

/// The inputs of the jobs a JSON report lists.
fn built(report: &Value) -> BTreeSet<String> {
    report["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["input"].as_str().unwrap().to_string())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn globs_lists_and_folders_find_the_same_inputs() {
    let (dir, names) = corpus_batch(3);
    std::fs::write(dir.path().join("logos/notes.txt"), "not a logo").unwrap();
    let plan = |args: &[&str], stdin: &str| -> Vec<String> {
        let out = logoproc(dir.path())
            .args(["plan", "--json", "--variation", "transparent"])
            .args(args)
            .write_stdin(stdin)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let mut stems: Vec<String> = json(&out)["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["stem"].as_str().unwrap().to_string())
            .collect();
        stems.sort();
        stems
    };
    // The folder's notes.txt is skipped quietly, not an error.
    assert_eq!(plan(&["logos"], ""), names);
    assert_eq!(plan(&["logos/*.png"], ""), names);
    let list: String = names.iter().map(|n| format!("logos/{n}.png\n")).collect();
    assert_eq!(plan(&["--from-list", "-"], &list), names);
    std::fs::write(dir.path().join("list.txt"), &list).unwrap();
    assert_eq!(plan(&["--from-list", "list.txt"], ""), names);
    // A named unsupported file is an error of that file alone.
    let out = logoproc(dir.path())
        .args(["build", "logos/notes.txt", "--variation", "transparent"])
        .arg(format!("logos/{}.png", names[0]))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("logos/notes.txt: unsupported file type"),
        "{stderr}"
    );
    // Nothing to build (cron's `find -newer` found nothing) is a success with an empty
    // report; a folder without logos says so.
    let empty = logoproc(dir.path())
        .args(["build", "--from-list", "-", "--json"])
        .write_stdin("")
        .assert()
        .success()
        .stderr("")
        .get_output()
        .clone();
    let report = json(&empty.stdout);
    assert_eq!(
        (
            report["totals"]["jobs"].as_u64(),
            report["jobs"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    std::fs::create_dir(dir.path().join("none")).unwrap();
    logoproc(dir.path())
        .args(["build", "none"])
        .assert()
        .success()
        .stderr(
            predicates::str::contains("no supported images")
                .and(predicates::str::contains("none: nothing to build")),
        );
    // A missing list is a one-line error naming it.
    logoproc(dir.path())
        .args(["build", "--from-list", "nope.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nope.txt: cannot read"));
}

#[test]
fn reruns_skip_what_is_unchanged_and_rebuild_what_changed() {
    let (dir, names) = corpus_batch(3);
    let build = |extra: &[&str]| -> Value {
        let out = logoproc(dir.path())
            .args([
                "build",
                "logos",
                "--json",
                "--variation",
                "transparent,vector",
            ])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        json(&out)
    };
    let first = build(&[]);
    assert_eq!(first["totals"]["skipped"], 0);
    // Utilisation counts the CPU time of jobs, never more than their wall time.
    for job in first["jobs"].as_array().unwrap() {
        let (ms, cpu) = (job["ms"].as_f64().unwrap(), job["cpu_ms"].as_f64().unwrap());
        assert!(cpu > 0.0 && cpu <= ms * 1.05 + 1.0, "{job}");
    }
    let t = &first["totals"];
    let busy: f64 = first["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["cpu_ms"].as_f64().unwrap())
        .sum();
    assert!((t["busy_ms"].as_f64().unwrap() - busy).abs() < 1e-6);
    assert_eq!(built(&first).len(), 3);
    let before: Vec<(String, Vec<u8>)> = files(&dir.path().join("logoproc-out"))
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.path().join("logoproc-out").join(&f)).unwrap();
            (f, bytes)
        })
        .collect();

    let again = build(&[]);
    assert_eq!(again["totals"]["skipped"], 3);
    assert_eq!(again["totals"]["jobs"], 0);
    assert_eq!(strings(&again["skipped"]).len(), 3);

    // A modified output, a deleted one and a changed input each rebuild their logo only.
    let out = dir.path().join("logoproc-out");
    std::fs::write(
        out.join(&names[0]).join(format!("vector/{}.svg", names[0])),
        "edited",
    )
    .unwrap();
    std::fs::remove_file(
        out.join(&names[1])
            .join(format!("transparent/{}.webp", names[1])),
    )
    .unwrap();
    let third = build(&[]);
    assert_eq!(third["totals"]["skipped"], 1);
    assert_eq!(built(&third).len(), 2);
    // What was rebuilt is byte for byte what the first run wrote.
    for (f, bytes) in &before {
        assert_eq!(&std::fs::read(out.join(f)).unwrap(), bytes, "{f}");
    }
    let input = dir.path().join("logos").join(format!("{}.png", names[2]));
    let other = dir.path().join("logos").join(format!("{}.png", names[0]));
    std::fs::copy(&other, &input).unwrap();
    assert_eq!(built(&build(&[])).len(), 1);

    // Other settings rebuild everything; so does --force.
    std::fs::write(
        dir.path().join("logoproc.toml"),
        "[transparent]\npadding = 0.1\n",
    )
    .unwrap();
    assert_eq!(built(&build(&[])).len(), 3);
    assert_eq!(build(&[])["totals"]["skipped"], 3);
    assert_eq!(built(&build(&["--force"])).len(), 3);
}

#[test]
fn a_second_run_on_a_locked_folder_fails_at_once_or_waits() {
    let dir = workdir(&["badge_on_white.png"]);
    let out = dir.path().join("logoproc-out");
    std::fs::create_dir_all(&out).unwrap();
    let lock = Lock::acquire(&out, None, Wait::default()).unwrap();
    let start = Instant::now();
    let failed = logoproc(dir.path())
        .args(["build", "badge_on_white.png", "--variation", "transparent"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(start.elapsed() < Duration::from_secs(5), "fails at once");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("another logoproc run is writing this output folder")
            && stderr.contains(&format!("pid {}", std::process::id()))
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(!out.join("badge_on_white").exists(), "nothing built");

    // --wait-lock waits for the holder to finish, then builds; Ctrl-C ends the wait.
    let bin = assert_cmd::cargo::cargo_bin("logoproc");
    // It fails before reading a single input: planning would block reading a named pipe.
    #[cfg(unix)]
    {
        let pipe = dir.path().join("pipe.png");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        assert!(made.unwrap().success());
        let mut child = std::process::Command::new(&bin)
            .current_dir(dir.path())
            .args(["build", "pipe.png", "--variation", "transparent"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let ended = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status.code();
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(ended, Some(2), "it read its input before the lock");
        std::fs::remove_file(&pipe).unwrap();
    }
    let wait = || {
        std::process::Command::new(&bin)
            .current_dir(dir.path())
            .env_remove("RUST_LOG")
            .args(["build", "badge_on_white.png", "--variation", "transparent"])
            .arg("--wait-lock")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (mut stopped, waiting) = (wait(), wait());
    // Signalled once it says it waits (its Ctrl-C handler is in place by then); a run
    // that never says so fails the test instead of hanging it.
    let (tx, said) = std::sync::mpsc::channel();
    let stderr = stopped.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
            let _ = tx.send(line.unwrap());
        }
    });
    let first = said.recv_timeout(Duration::from_secs(60));
    if first.is_err() {
        let _ = stopped.kill();
    }
    let first = first.expect("no line on stderr within 60 s");
    assert!(first.contains("waiting for the run"), "{first}");
    assert!(!out.join("badge_on_white").exists(), "still waiting");
    #[cfg(unix)]
    {
        let kill = std::process::Command::new("kill")
            .args(["-INT", &stopped.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let start = Instant::now();
        let ended = stopped.wait().unwrap();
        assert!(start.elapsed() < Duration::from_secs(5), "stops at once");
        assert_eq!(ended.code(), Some(130));
        reader.join().unwrap();
        let stderr: Vec<String> = said.try_iter().collect();
        let last = stderr.last().map_or("", String::as_str);
        assert!(
            last.starts_with("logoproc: error: ")
                && last.contains("interrupted while waiting")
                && last.contains("nothing was built"),
            "{stderr:?}"
        );
        assert!(!out.join("badge_on_white").exists(), "still waiting");
    }
    #[cfg(not(unix))]
    {
        let _ = stopped.kill();
        reader.join().unwrap();
    }
    drop(lock);
    let done = waiting.wait_with_output().unwrap();
    assert!(done.status.success());
    assert!(String::from_utf8_lossy(&done.stderr).contains("waiting for the run"));
    assert!(out
        .join("badge_on_white/transparent/badge_on_white.png")
        .is_file());
}

#[test]
fn a_stale_lock_and_its_temporary_files_are_taken_over() {
    let dir = workdir(&["badge_on_white.png"]);
    let out = dir.path().join("logoproc-out");
    std::fs::create_dir_all(out.join(".logoproc")).unwrap();
    std::fs::create_dir_all(out.join("badge_on_white/social")).unwrap();
    // What a run killed with SIGKILL leaves: its lock file's text and a staged file.
    std::fs::write(
        out.join(".logoproc/lock"),
        "pid 4000000 on gone, started 1 s",
    )
    .unwrap();
    let temp = out.join("badge_on_white/social/.logoproc-Ab12.tmp");
    std::fs::write(&temp, "half a png").unwrap();
    // A whole run holds the folder alone: a logo outside this batch is swept too.
    std::fs::create_dir_all(out.join("other/vector")).unwrap();
    let other = out.join("other/vector/.logoproc-Cd34.tmp");
    std::fs::write(&other, "half an svg").unwrap();
    let run = logoproc(dir.path())
        .args(["build", "badge_on_white.png", "--variation", "transparent"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("taking over a stale lock"), "{stderr}");
    assert!(!temp.exists() && !other.exists());
}

#[cfg(unix)]
#[test]
fn ctrl_c_finishes_running_jobs_reports_and_the_next_run_continues() {
    let (dir, names) = corpus_batch(10);
    let out = dir.path().join("logoproc-out");
    let bin = assert_cmd::cargo::cargo_bin("logoproc");
    let child = std::process::Command::new(&bin)
        .current_dir(dir.path())
        .args(["build", "logos", "--all", "--json", "-j", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the first logo is done.
    let state = out.join(".logoproc/state");
    let start = Instant::now();
    while std::fs::read_dir(&state).map_or(0, |d| d.count()) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no logo finished"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let ended = child.wait_with_output().unwrap();
    assert_eq!(ended.status.code(), Some(130));
    let report = json(&ended.stdout);
    assert_eq!(report["interrupted"], true);
    let not_started = report["totals"]["not_started"].as_u64().unwrap();
    assert!(not_started > 0, "interrupted early");
    assert!(report["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|j| j["status"] == "ok"));
    let leftovers: Vec<PathBuf> = common::walk(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The next run builds what is missing only, and the result is a whole build.
    let rest = logoproc(dir.path())
        .args(["build", "logos", "--all", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rest = json(&rest);
    assert!(rest["totals"]["skipped"].as_u64().unwrap() >= 1);
    assert_eq!(rest["totals"]["jobs"].as_u64().unwrap(), {
        let per_logo = logoproc::variation::Variation::ALL.len() as u64;
        let done_logos = rest["totals"]["skipped"].as_u64().unwrap();
        (names.len() as u64 - done_logos) * per_logo
    });
    logoproc(dir.path())
        .args(["build", "logos", "--all", "-o", "clean"])
        .assert()
        .success();
    assert_same_tree(&out, &dir.path().join("clean"));
}

#[test]
fn quiet_runs_print_nothing_but_errors() {
    let dir = workdir(&["badge_on_white.png"]);
    logoproc(dir.path())
        .args([
            "-q",
            "build",
            "badge_on_white.png",
            "--variation",
            "transparent",
        ])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    logoproc(dir.path())
        .args(["-q", "build", "badge_on_white.png", "missing.png"])
        .args(["--variation", "transparent", "-o", "o2"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("logoproc: error: missing.png: cannot read: no such file\n");
}

/// The README's command lines for running shards under each engine, with `{N}` for the
/// shard count (8 in the README, 3 here). Each is run as written, by `sh`.
const KUBERNETES: &str = r#"mkdir -p reports && logoproc build logos -o out --shard "$JOB_COMPLETION_INDEX/{N}" --json > "reports/$JOB_COMPLETION_INDEX.json""#;
const SLURM: &str = r#"mkdir -p reports && logoproc build logos -o out --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" --json > "reports/$SLURM_ARRAY_TASK_ID.json""#;
const GNU_PARALLEL: &str = r#"mkdir -p reports && parallel -j 1 -S "$HOSTS" --workdir . 'logoproc build logos -o out --shard {}/{N} --json > reports/{}.json' ::: $(seq 0 $(({N} - 1)))"#;

#[test]
fn readme_shard_command_lines_build_the_batch_once_byte_for_byte() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for line in [KUBERNETES, SLURM, GNU_PARALLEL] {
        let shown = line.replace("{N}", "8");
        assert!(readme.contains(&shown), "README lacks: {shown}");
    }
    let (dir, names) = corpus_batch(8);
    let variations = ["--variation", "transparent,vector,palette"];
    logoproc(dir.path())
        .args(["build", "logos", "-o", "whole"])
        .args(variations)
        .assert()
        .success();
    std::fs::write(
        dir.path().join("logoproc.toml"),
        "[build]\nvariations = [\"transparent\", \"vector\", \"palette\"]\n",
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("logoproc");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Each engine starts the shards its own way: all at once, in one shared folder.
    let sh = |line: &str, env: &[(&str, String)]| {
        let mut cmd = std::process::Command::new("sh");
        cmd.current_dir(dir.path())
            .env("PATH", &path)
            .env("HOSTS", ":")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .arg("-c")
            .arg(line.replace("{N}", "3"));
        cmd.spawn().unwrap()
    };
    let engines: [(&str, Vec<Env>); 3] = [
        (
            KUBERNETES,
            (0..3)
                .map(|k| vec![("JOB_COMPLETION_INDEX", k.to_string())])
                .collect(),
        ),
        (
            SLURM,
            (0..3)
                .map(|k| {
                    vec![
                        ("SLURM_ARRAY_TASK_ID", k.to_string()),
                        ("SLURM_ARRAY_TASK_COUNT", "3".to_string()),
                    ]
                })
                .collect(),
        ),
        (GNU_PARALLEL, vec![vec![]]),
    ];
    for (line, runs) in engines {
        if line == GNU_PARALLEL && which("parallel").is_none() {
            eprintln!("skipped the GNU parallel line: `parallel` is not installed");
            continue;
        }
        for folder in ["out", "reports"] {
            let _ = std::fs::remove_dir_all(dir.path().join(folder));
        }
        let children: Vec<_> = runs.iter().map(|env| sh(line, env)).collect();
        for child in children {
            let status = child.wait_with_output().unwrap().status;
            assert!(status.success(), "{line}: {status}");
        }
        // Every shard built something, and no logo was built twice.
        let mut seen = BTreeSet::new();
        let mut total = 0;
        for k in 0..3 {
            let report = std::fs::read(dir.path().join(format!("reports/{k}.json"))).unwrap();
            let inputs = built(&json(&report));
            assert!(!inputs.is_empty() && inputs.len() < names.len(), "{line}");
            total += inputs.len();
            seen.extend(inputs);
        }
        assert_eq!((total, seen.len()), (names.len(), names.len()), "{line}");
        assert_same_tree(&dir.path().join("whole"), &dir.path().join("out"));
    }
}

/// Environment variables of one process.
type Env = Vec<(&'static str, String)>;

/// The path of `program` on PATH, if any.
fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

#[cfg(target_os = "linux")]
/// An SVG that makes usvg warn while it is parsed (in the logo's first job): a rectangle
/// of negative width, which it skips.
const SVG_WITH_A_BAD_RECT: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
  <rect x="10" y="10" width="180" height="80" fill="#c00"/>
  <rect id="bad" x="20" y="20" width="-5" height="30" fill="#00c"/>
</svg>
"##;

/// (`script -qec` is util-linux's; BSD's takes other options.)
#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_a_progress_bar_runs_under_whole_log_lines_and_q_hides_both() {
    if which("script").is_none() {
        eprintln!("skipped: `script` (util-linux) is not installed to make a terminal");
        return;
    }
    let dir = workdir(&[
        "badge_on_white.png",
        "badge_on_offwhite.png",
        "mascot_transparent.png",
    ]);
    // Last, so its warning comes while the bar is drawn.
    const LOGOS: &str =
        "badge_on_white.png badge_on_offwhite.png mascot_transparent.png zz_warns.svg";
    std::fs::write(dir.path().join("zz_warns.svg"), SVG_WITH_A_BAD_RECT).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("logoproc");
    let build = |args: &str| {
        format!(
            "{} build {LOGOS} --variation transparent,vector -j 1 {args}",
            bin.display()
        )
    };
    // `script` runs the command on a pseudo-terminal and copies what it shows to stdout.
    let on_terminal = |args: &str| {
        let out = std::process::Command::new("script")
            .current_dir(dir.path())
            .env_remove("RUST_LOG")
            .args(["-qec", &build(args), "/dev/null"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // The pieces of text between carriage returns and newlines, without escape codes.
    let pieces = |shown: &str| -> Vec<String> {
        shown
            .split(['\r', '\n'])
            .map(strip_escapes)
            .filter(|p| !p.trim().is_empty())
            .collect()
    };
    let shown = pieces(&on_terminal("-o a"));
    assert!(
        shown
            .iter()
            .any(|p| p.contains("/8 jobs, ") && p.contains("/4 logos, ETA")),
        "no progress bar: {shown:#?}"
    );
    // The bar was cleared before the warning was printed, and drawn again after it.
    let warning = shown
        .iter()
        .position(|p| p.contains("has an invalid 'width' value"))
        .expect("usvg's warning");
    assert!(
        shown[warning].contains("WARN")
            && shown[warning].ends_with("Skipped.")
            && !shown[warning].contains("jobs, "),
        "{:?}",
        shown[warning]
    );
    assert!(shown[warning + 1].contains("jobs, "), "{shown:#?}");
    let quiet = pieces(&on_terminal("-o b -q"));
    assert!(
        quiet
            .iter()
            .all(|p| !p.contains("ETA") && !p.contains("WARN")),
        "{quiet:#?}"
    );
    // Off a terminal, the warning and no bar.
    let off = logoproc(dir.path())
        .arg("build")
        .args(LOGOS.split(' '))
        .args(["--variation", "transparent,vector", "-o", "c"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&off.stderr);
    assert!(
        stderr.contains("has an invalid 'width' value")
            && !stderr.contains("ETA")
            && !stderr.contains('\r'),
        "{stderr}"
    );
}

/// `text` without terminal escape sequences (`ESC [ ... letter`).
#[cfg(target_os = "linux")]
fn strip_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
