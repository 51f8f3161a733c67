#!/usr/bin/env bash
# Whole-run benchmark: logoproc against the three peer pipelines of ../shared/peers.
#
#   benches/vs-peers.sh [--logos 20] [--size 2048] [--rounds 3] [--peers magick,pillow,seq] [--work DIR]
#
# Every tool does the same work per logo: a transparent PNG, a vector SVG and 8 social PNGs (the
# logo fitted into the central 70% of each canvas, on white); logoproc reads benches/vs-peers.toml.
# The inputs are the first --logos corpus SVGs rendered by `cargo run --example render_corpus` to
# opaque PNGs whose longest side is --size px (WORK/in, reused when logos and size match).
#
# Each round runs every tool once, one after another, on the same inputs into a fresh output
# folder (the starting tool rotates per round):
#   logoproc      logoproc build IN --config benches/vs-peers.toml --out OUT --json
#   logoproc-j1   the same with --jobs 1 (the sequential row)
#   magick        peer_magick.sh IN OUT          (ImageMagick + vtracer CLI, xargs -P nproc)
#   pillow        peer_pillow.py IN OUT --social-per-logo   (the "worker per task" pool formula)
#   seq           peer_seq.py IN OUT --social-per-logo      (the same tasks in one process)
#
# Per run it records:
#   wall    seconds from launch to exit (the sampler's monotonic clock)
#   cpu     user + sys of the whole process tree, from GNU /usr/bin/time (it counts every child
#           that was waited for, which covers xargs/convert/vtracer and pool workers)
#   tree    peak over time of the SUM of RSS of the launched process and all its descendants,
#           sampled every 20 ms from /proc (a sum over forked processes counts shared pages once
#           per process: it is what the machine has to hold, not the unique memory)
#   maxrss  largest single-process RSS (/usr/bin/time %M), which flatters multi-process peers
#   other   CPU seconds the rest of the machine used meanwhile (/proc/stat); on a 2-core box a
#           compile next door skews everything, so the summary says how much there was
# plus, for logoproc, the worker utilisation (.totals.utilisation of the JSON report).
# Raw numbers go to WORK/results.tsv, the summary table to stdout and WORK/summary.md; each run's
# stdout, stderr and JSON are kept in WORK/runs/.
#
# Environment: LOGOPROC (a logoproc binary; default: cargo build --release here), RENDER (a built
# render_corpus binary; default: cargo run --release --example render_corpus), CORPUS (default
# $repo/../shared/corpus/public, else $repo/fixtures/corpus), PEERS_DIR (default $repo/../shared/peers), PEERS_HOME (default
# ~/.cache/logoproc-peers; set up by $PEERS_DIR/setup.sh), SEQ_ARGS (peer_seq.py's extra
# arguments; default --social-per-logo), SAMPLE_MS (sampling period, default 20).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
logos=20 size=2048 rounds=3 peers=magick,pillow,seq work=${TMPDIR:-/tmp}/logoproc-vs-peers
PEERS_DIR=${PEERS_DIR:-$repo/../shared/peers}
PEERS_HOME=${PEERS_HOME:-$HOME/.cache/logoproc-peers}
if [[ -z ${CORPUS:-} ]]; then
  # The shared corpus when it is beside the clone, else the copy in fixtures/.
  CORPUS=$repo/../shared/corpus/public
  [[ -d $CORPUS ]] || CORPUS=$repo/fixtures/corpus
fi
SEQ_ARGS=${SEQ_ARGS:---social-per-logo}
SAMPLE_MS=${SAMPLE_MS:-20}
read -r -a seq_args <<< "$SEQ_ARGS"

die() { echo "vs-peers: error: $*" >&2; exit 1; }
say() { echo "vs-peers: $*" >&2; }
usage() { echo "benches/vs-peers.sh [--logos 20] [--size 2048] [--rounds 3] [--peers magick,pillow,seq] [--work DIR]"; }

# --- arguments -----------------------------------------------------------------------------------
while [[ $# -gt 0 ]]; do
  case $1 in
    --logos) logos=${2:?--logos needs a value}; shift 2 ;;
    --size) size=${2:?--size needs a value}; shift 2 ;;
    --rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
    --peers) peers=${2?--peers needs a value}; shift 2 ;;
    --work) work=${2:?--work needs a value}; shift 2 ;;
    -h|--help) echo "usage: $(usage)"; exit 0 ;;
    *) die "unknown argument $1; usage: $(usage)" ;;
  esac
done
for n in logos size rounds; do
  [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "--$n wants a positive whole number, not '${!n}'"
done
tools=(logoproc logoproc-j1)
IFS=, read -r -a wanted <<< "$peers"
for p in "${wanted[@]}"; do
  case $p in
    magick|pillow|seq) tools+=("$p") ;;
    '') ;;
    *) die "unknown peer '$p' (known: magick, pillow, seq)" ;;
  esac
done
mkdir -p "$work"
work=$(cd "$work" && pwd)

# --- tools the measurement needs -----------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed (stdlib only) for the sampler and the summary"
if ! [[ -x /usr/bin/time ]]; then
  say "installing GNU time (apt-get install time)"
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

# --- peers ---------------------------------------------------------------------------------------
# Only the peers asked for are checked.
peer_python=$PEERS_HOME/venv/bin/python
check_peers() {
  local p missing=()
  for p in "${wanted[@]}"; do
    case $p in
      magick)
        [[ -x $PEERS_DIR/peer_magick.sh ]] || missing+=("$PEERS_DIR/peer_magick.sh")
        [[ -x /usr/bin/convert ]] || command -v magick >/dev/null || missing+=("ImageMagick")
        [[ -x $PEERS_HOME/bin/vtracer ]] || missing+=("$PEERS_HOME/bin/vtracer") ;;
      pillow|seq)
        [[ -f $PEERS_DIR/peer_$p.py ]] || missing+=("$PEERS_DIR/peer_$p.py")
        "$peer_python" -c 'import PIL, numpy, vtracer' 2>/dev/null \
          || missing+=("$peer_python with pillow, numpy, vtracer") ;;
    esac
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    die "peers not set up (missing: ${missing[*]}); run $PEERS_DIR/setup.sh (PEERS_HOME=$PEERS_HOME)"
  fi
}
check_peers

# --- logoproc ------------------------------------------------------------------------------------
if [[ -z ${LOGOPROC:-} ]]; then
  say "building logoproc (cargo build --release in $repo)"
  (cd "$repo" && nice -n 10 cargo build --release --quiet --bin logoproc)
  LOGOPROC=${CARGO_TARGET_DIR:-$repo/target}/release/logoproc
fi
[[ -x $LOGOPROC ]] || die "LOGOPROC=$LOGOPROC is not an executable"
config=$repo/benches/vs-peers.toml
[[ -f $config ]] || die "$config is missing"

# --- inputs --------------------------------------------------------------------------------------
# WORK/in/.stamp remembers what the PNGs were rendered from; anything else re-renders them.
in=$work/in
stamp="logos=$logos size=$size corpus=$(cd "$CORPUS" 2>/dev/null && pwd || echo "$CORPUS")"
if [[ -f $in/.stamp && $(cat "$in/.stamp") == "$stamp" ]]; then
  say "reusing $in ($stamp)"
else
  rm -rf "$in"
  say "rendering $logos logos at $size px into $in"
  if [[ -n ${RENDER:-} ]]; then
    "$RENDER" "$CORPUS" "$in" --size "$size" --count "$logos"
  else
    (cd "$repo" && nice -n 10 cargo run --release --quiet --example render_corpus -- \
      "$CORPUS" "$in" --size "$size" --count "$logos")
  fi
  echo "$stamp" > "$in/.stamp"
fi

# --- the sampler: runs a command, samples its process tree's summed RSS -------------------------
# usage: treemem.py RESULT_FILE PERIOD_MS CMD...; writes "wall_s peak_tree_bytes samples
# max_procs sampler_cpu_s machine_busy_s" to RESULT_FILE and exits with the command's status.
# The sum covers the descendants of CMD (here /usr/bin/time), so time's own few MB are left out.
cat > "$work/treemem.py" <<'PY'
import os, subprocess, sys, threading, time

PAGE = os.sysconf("SC_PAGE_SIZE")
HAVE_CHILDREN = os.path.exists(f"/proc/self/task/{os.getpid()}/children")

def children_of(pid):
    """Child pids of every thread of pid (/proc/PID/task/TID/children)."""
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    kids += f.read().split()
            except OSError:
                pass
    except OSError:
        pass
    return kids

def children_map():
    """ppid -> child pids, from a scan of /proc/*/stat (when the children files are missing)."""
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    ppid = f.read().rsplit(")", 1)[1].split()[1]
                out.setdefault(ppid, []).append(name)
            except (OSError, IndexError):
                pass
    return out

def rss(pid):
    """Resident bytes of pid (statm's resident field = VmRSS), 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0

def tree_rss(root):
    """Summed RSS and count of the descendants of root (not root itself)."""
    kids = children_of if HAVE_CHILDREN else children_map().get
    stack = list(kids(str(root)) or [])
    seen, total = set(), 0
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss(pid)
        stack += kids(pid) or []
    return total, len(seen)

def busy_seconds():
    """CPU seconds the whole machine has spent busy since boot (/proc/stat, all CPUs)."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")

def main():
    result, period, cmd = sys.argv[1], float(sys.argv[2]) / 1000.0, sys.argv[3:]
    busy0 = busy_seconds()
    stop = threading.Event()
    peak = [0, 0, 0]  # bytes, samples, most processes at once

    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)

    def sample():
        while not stop.is_set():
            total, n = tree_rss(proc.pid)
            peak[0] = max(peak[0], total)
            peak[1] += 1
            peak[2] = max(peak[2], n)
            stop.wait(period)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    status = proc.wait()
    wall = time.monotonic() - t0
    stop.set()
    sampler.join()
    own = os.times()
    busy = busy_seconds() - busy0
    with open(result, "w") as f:
        f.write(f"{wall:.3f} {peak[0]} {peak[1]} {peak[2]} {own.user + own.system:.2f} {busy:.2f}\n")
    return status if status >= 0 else 128 - status

sys.exit(main())
PY

# --- one measured run ----------------------------------------------------------------------------
# measure TOOL ROUND CMD...: run under /usr/bin/time inside the sampler with stdout and stderr
# kept in WORK/runs, and append one row to results.tsv. $out is the run's output folder.
runs=$work/runs
results=$work/results.tsv
mkdir -p "$runs"
printf 'round\ttool\tstatus\twall_s\tuser_s\tsys_s\tcpu_s\tmaxrss_mb\ttree_peak_mb\tsamples\tmax_procs\tsampler_cpu_s\tother_cpu_s\toutputs\tutilisation\tworkers\n' > "$results"

measure() {
  local tool=$1 round=$2; shift 2
  local base=$runs/$tool.r$round status=0
  sync  # flush the previous run's writes outside the timed region
  python3 "$work/treemem.py" "$base.mem" "$SAMPLE_MS" \
    /usr/bin/time -f '%e %U %S %M' -o "$base.time" "$@" > "$base.out" 2> "$base.err" || status=$?
  local wall peak samples procs scpu busy user sys maxrss
  read -r wall peak samples procs scpu busy < "$base.mem"
  read -r _ user sys maxrss < <(tail -n 1 "$base.time")
  local cpu other outputs util=- workers=-
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  # CPU the rest of the machine used meanwhile (other users' work skews a 2-core benchmark).
  other=$(awk -v b="$busy" -v c="$cpu" -v s="$scpu" 'BEGIN { o = b - c - s; printf "%.2f", o < 0 ? 0 : o }')
  outputs=$(find "$out" -type f \( -name '*.png' -o -name '*.svg' -o -name '*.webp' \) | wc -l)
  if [[ $tool == logoproc* && -s $base.out ]]; then
    read -r util workers < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print(t["utilisation"], t["workers"])' "$base.out")
    mv "$base.out" "$base.json"
  elif [[ $tool == pillow || $tool == seq ]]; then
    workers=$(grep -o 'max_workers=[0-9]*' "$base.err" | cut -d= -f2 || echo -)
  elif [[ $tool == magick ]]; then
    workers=$(nproc)
  fi
  [[ $status -eq 0 ]] || say "$tool round $round exited with status $status (see $base.err)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" \
    "$status" "$wall" "$user" "$sys" "$cpu" "$((maxrss / 1024))" "$((peak / 1048576))" "$samples" \
    "$procs" "$scpu" "$other" "$outputs" "$util" "$workers" >> "$results"
  say "$(printf '%-12s round %d: %7.2f s wall, %7.2f s CPU, %6d MB tree peak, %3d files, %5.2f s other CPU' \
    "$tool" "$round" "$wall" "$cpu" "$((peak / 1048576))" "$outputs" "$other")"
}

# run_tool TOOL ROUND: the command line of each tool, into a fresh WORK/out/TOOL.
run_tool() {
  local tool=$1 round=$2
  local out=$work/out/$tool
  rm -rf "$out"
  mkdir -p "$out"
  case $tool in
    logoproc) measure "$tool" "$round" "$LOGOPROC" build "$in" --config "$config" --out "$out" --json ;;
    logoproc-j1) measure "$tool" "$round" "$LOGOPROC" build "$in" --config "$config" --out "$out" --json --jobs 1 ;;
    magick) measure "$tool" "$round" env PEERS_HOME="$PEERS_HOME" "$PEERS_DIR/peer_magick.sh" "$in" "$out" ;;
    pillow) measure "$tool" "$round" "$peer_python" "$PEERS_DIR/peer_pillow.py" "$in" "$out" --social-per-logo ;;
    seq) measure "$tool" "$round" "$peer_python" "$PEERS_DIR/peer_seq.py" "$in" "$out" "${seq_args[@]}" ;;
  esac
}

# --- the rounds ----------------------------------------------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "${#tools[@]} tools x $rounds rounds on $logos logos at $size px (load average $load_start)"
for ((r = 1; r <= rounds; r++)); do
  n=${#tools[@]}
  for ((i = 0; i < n; i++)); do
    run_tool "${tools[(i + r - 1) % n]}" "$r"
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- summary -------------------------------------------------------------------------------------
cat > "$work/summarise.py" <<'PY'
import csv, json, os, statistics, sys
from collections import defaultdict

results, runs, logos, size, load = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
LABEL = {
    "logoproc": "logoproc",
    "logoproc-j1": "logoproc --jobs 1",
    "magick": "ImageMagick + vtracer CLI (xargs -P)",
    "pillow": "Pillow pool, formula workers (--social-per-logo)",
    "seq": "Pillow sequential (peer_seq.py)",
}
rows = defaultdict(list)
with open(results) as f:
    for row in csv.DictReader(f, delimiter="\t"):
        rows[row["tool"]].append(row)

def med(tool, key):
    """Median over the tool's successful runs (nan when there are none)."""
    vals = [float(r[key]) for r in rows[tool] if r["status"] == "0" and r[key] not in ("", "-")]
    return statistics.median(vals) if vals else float("nan")

def fmt(x, spec=".2f"):
    """x formatted, or n/a for nan."""
    return "n/a" if x != x else format(x, spec)

def most(tool, key):
    """Largest value over all the tool's runs."""
    return max((float(r[key]) for r in rows[tool]), default=float("nan"))

def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 1048576
    osname = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME")), "?")
    return f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {model}, {mem:.1f} GiB, {osname}, Linux {os.uname().release}"

def stages(tool):
    """Job wall seconds summed per stage, from the last round (logoproc JSON, peers' tsv)."""
    last = max(int(r["round"]) for r in rows[tool])
    acc = defaultdict(float)
    if tool.startswith("logoproc"):
        path = f"{runs}/{tool}.r{last}.json"
        if os.path.exists(path):
            for job in json.load(open(path))["jobs"]:
                acc[job["variation"]] += job["ms"] / 1000
    else:
        path = os.path.join(os.path.dirname(results), "out", tool, ".peer_timings.tsv")
        if os.path.exists(path):
            for line in open(path):
                f = line.rstrip("\n").split("\t")
                if tool == "magick":
                    acc[f[1]] += float(f[3]) - float(f[2])
                else:
                    acc[f[1].split(":")[0]] += float(f[3]) + float(f[4])
    return ", ".join(f"{k} {v:.1f}" for k, v in acc.items()) or "-"

tools = [t for t in LABEL if t in rows]
base = med("logoproc", "wall_s")
n_rounds = max(len(v) for v in rows.values())
out = [f"## logoproc vs peers: {logos} logos at {size} px, {n_rounds} round(s)", "",
       f"Machine: {machine()}; load average {load}", "",
       "| tool | median wall s | median CPU s | peak memory MB (tree sum, max over rounds) "
       "| max single-process RSS MB | wall ratio to logoproc | workers | output files |",
       "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for t in tools:
    fails = sum(r["status"] != "0" for r in rows[t])
    note = f" ({fails} failed run{'s' if fails > 1 else ''})" if fails else ""
    workers = rows[t][-1]["workers"]
    files = "/".join(sorted({r["outputs"] for r in rows[t]}))
    out.append(f"| {LABEL[t]}{note} | {fmt(med(t, 'wall_s'))} | {fmt(med(t, 'cpu_s'))} | {most(t, 'tree_peak_mb'):.0f} "
               f"| {most(t, 'maxrss_mb'):.0f} | {fmt(med(t, 'wall_s') / base)} | {workers} | {files} |")
out.append("")
out.append(f"logoproc worker utilisation (median of .totals.utilisation): "
           f"{fmt(med('logoproc', 'utilisation'))}; with --jobs 1: {fmt(med('logoproc-j1', 'utilisation'))}")
if "seq" in rows:
    ratio = med("seq", "wall_s") / med("logoproc-j1", "wall_s")
    out.append(f"Sequential: peer_seq.py / logoproc --jobs 1 wall = {fmt(ratio)}x "
               f"({fmt(med('seq', 'wall_s'))} s vs {fmt(med('logoproc-j1', 'wall_s'))} s)")
out.append("")
out.append("Job wall seconds per stage, summed over jobs (last round; concurrent jobs overlap, and the "
           "Pillow peers' times include each task's repeated background removal):")
for t in tools:
    out.append(f"- {LABEL[t]}: {stages(t)}")
scpu = max(float(r["sampler_cpu_s"]) for v in rows.values() for r in v)
other = [float(r["other_cpu_s"]) / float(r["wall_s"]) for v in rows.values() for r in v]
out.append("")
out.append(f"Other processes used {statistics.median(other):.2f} CPUs (median; worst {max(other):.2f}) "
           f"during the runs: above 0.1 the numbers above are skewed by competing work.")
out.append("")
out.append(f"Memory sampler: every run polled /proc every {os.environ.get('SAMPLE_MS', '20')} ms; "
           f"it used at most {scpu:.2f} s CPU in one run. Raw numbers: {results}")
print("\n".join(out))
PY
SAMPLE_MS=$SAMPLE_MS python3 "$work/summarise.py" "$results" "$runs" "$logos" "$size" \
  "$load_start at start, $load_end at end" | tee "$work/summary.md"
# A failed run is in the table; it also makes the exit status 1.
failed=$(awk -F'\t' 'NR > 1 && $3 != 0' "$results" | wc -l)
[[ $failed -eq 0 ]] || die "$failed run(s) failed; see $runs/*.err"
