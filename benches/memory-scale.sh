#!/usr/bin/env bash
# Whole-run memory benchmark: does logoproc's peak memory grow with the length of a batch?
#
#   benches/memory-scale.sh [--logos 10] [--repeat 100] [--size 512] [--rounds 3] [--jobs N]
#                           [--small-runs 5] [--work DIR]
#
# --jobs N passes --jobs N to logoproc (default: the allocator's worker count).
# --small-runs K runs the small batch K times a round (it takes about a second at 512 px):
# its peak spreads by more than a megabyte from run to run at 512 px (15 runs of one build:
# 16.2 to 17.6 MB), more than the large batch's, and the ratio's median needs it pinned down.
# Renders the first --logos corpus SVGs at --size px on white (examples/render_corpus.rs), then
# builds two batches with the peer benchmark's work (benches/vs-peers.toml: transparent, vector,
# 8 social images) and measures the peak RSS (GNU time's %M) of each:
#   small   the --logos logos once
#   large   the same sequence of logos --repeat times over (hard links named <k>_<name>, so
#           the batch runs the small batch's order again and again), so that a difference in
#           peak memory comes from the batch's length, not from other logos, and the logos
#           that run side by side are mostly the same pairs as in the small batch (only where
#           one copy ends and the next begins do the last and first logos meet)
# The two batches alternate --rounds times; the table gives each one's median over all its
# runs and the ratio of the medians (a single peak varies by 10% or more from run to run).
# During each run the script also reads the peak so far (VmHWM in /proc/PID/status) every
# 0.2 s, and the table gives the large batch's peak by the end of the first tenth of its wall
# time: what the rest of the batch adds to it is what a longer batch costs, set apart from
# what any batch of more than a few logos meets. (That tenth includes the start-up: reading
# the binary from disk, planning and checking the inputs; so it covers somewhat fewer than a
# tenth of the logos.)
#
# Before each run the binary's pages are dropped from the page cache (sync, then dd
# iflag=nocache), so that every run maps it the same way: a freshly written binary (just
# built or copied) had 0.7 to 1.4 MB more of it resident at the peak (RssFile 9.5 to 9.9
# against 8.5 to 8.8 MB at 512 px, /proc/PID/status), which made binaries built at
# different times differ by that much whatever their code. Each run then reads the binary
# from disk, so its wall times are not comparable with runs made without this.
#
# Which logos run at once matters: the workers take logos in windows (of as many logos as
# workers), and two copies of one large logo in one window remove their backgrounds in
# lockstep, so their peaks add up. With copies named <name>_<k> (this script before
# 2026-11-28) every window of the large batch was such a pair, which no window of the small
# batch is. Keep --logos a multiple of the worker count so the windows line up (the script
# warns when it is not).
#
# Environment: LOGOPROC (a logoproc binary; default: cargo build --release here), RENDER (a
# render_corpus binary; default: cargo run --release --example render_corpus), CORPUS (default
# $repo/../shared/corpus/public, else $repo/fixtures/corpus).
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME with a decimal point, for awk

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
logos=10 repeat=100 size=512 rounds=3 jobs="" small_reps=5 work=${TMPDIR:-/tmp}/logoproc-memory-scale
if [[ -z ${CORPUS:-} ]]; then
  # The shared corpus when it is beside the clone, else the copy in fixtures/.
  CORPUS=$repo/../shared/corpus/public
  [[ -d $CORPUS ]] || CORPUS=$repo/fixtures/corpus
fi
while [[ $# -gt 0 ]]; do
  case $1 in
    --logos) logos=${2:?}; shift 2 ;;
    --repeat) repeat=${2:?}; shift 2 ;;
    --size) size=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    --small-runs) small_reps=${2:?}; shift 2 ;;
    --work) work=${2:?}; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "memory-scale: unknown argument $1" >&2; exit 2 ;;
  esac
done
for n in logos repeat size rounds small_reps ${jobs:+jobs}; do
  [[ ${!n} =~ ^[1-9][0-9]*$ ]] || {
    echo "memory-scale: --${n/small_reps/small-runs} must be a whole number of 1 or more" >&2
    exit 2
  }
done
workers_guess=${jobs:-$(nproc)}
if ((logos % workers_guess != 0)); then
  echo "memory-scale: warning: $logos logos is not a multiple of $workers_guess workers" \
    "(${jobs:+--jobs}${jobs:-guessed from nproc}); the large batch will pair logos that the" \
    "small one does not" >&2
fi
[[ -n ${EPOCHREALTIME:-} ]] || { echo "memory-scale: needs bash 5 (EPOCHREALTIME)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "memory-scale: needs GNU time (apt-get install time)" >&2; exit 1; }
command -v pgrep >/dev/null || { echo "memory-scale: needs pgrep (apt-get install procps)" >&2; exit 1; }

if [[ -z ${LOGOPROC:-} ]]; then
  (cd "$repo" && cargo build --release --quiet)
  LOGOPROC=$repo/target/release/logoproc
fi
# The file itself, for dropping its pages from the page cache.
LOGOPROC=$(command -v "$LOGOPROC") || { echo "memory-scale: no binary $LOGOPROC" >&2; exit 1; }
sync "$LOGOPROC" || true
if ! dd if="$LOGOPROC" iflag=nocache count=0 status=none; then
  echo "memory-scale: warning: cannot drop $LOGOPROC from the page cache (dd iflag=nocache);" \
    "peaks will include however much of it the cache maps" >&2
fi
mkdir -p "$work"
small=$work/small-$logos-$size large=$work/large-$logos-$size-x$repeat-seq
if [[ ! -d $small ]]; then
  if [[ -n ${RENDER:-} ]]; then
    "$RENDER" "$CORPUS" "$small" --size "$size" --count "$logos"
  else
    (cd "$repo" && cargo run --release --quiet --example render_corpus -- \
      "$CORPUS" "$small" --size "$size" --count "$logos")
  fi
fi
if [[ ! -d $large ]]; then
  rm -rf "$large.tmp"
  mkdir -p "$large.tmp"
  width=${#repeat}
  for ((k = 0; k < repeat; k++)); do
    printf -v copy "%0${width}d" "$k"
    for f in "$small"/*.png; do
      ln "$f" "$large.tmp/${copy}_${f##*/}"
    done
  done
  mv "$large.tmp" "$large"
fi

peak() { # folder -> "seconds peak_kb early_kb"
  local out=$work/out
  rm -rf "$out"
  # Drop the binary's cached pages (checked above; dirty ones are written first).
  sync "$LOGOPROC" 2>/dev/null || true
  dd if="$LOGOPROC" iflag=nocache count=0 status=none 2>/dev/null || true
  /usr/bin/time -f '%e %M' -o "$work/time.txt" \
    "$LOGOPROC" build "$1" --config "$repo/benches/vs-peers.toml" -o "$out" --json \
    ${jobs:+--jobs "$jobs"} >"$work/report.json" &
  local timer=$! pid="" start=$EPOCHREALTIME key value rest
  # The peak so far (VmHWM) every 0.2 s, as "start now KB" lines (times in seconds), read
  # with builtins: once logoproc (GNU time's child) is found, a sleep is the only process
  # started.
  : >"$work/hwm.txt"
  while kill -0 "$timer" 2>/dev/null; do
    [[ -n $pid ]] || pid=$(pgrep -P "$timer") || true
    if [[ -n $pid ]]; then
      { while read -r key value rest; do
          if [[ $key == VmHWM: ]]; then
            echo "$start $EPOCHREALTIME $value" >>"$work/hwm.txt"
            break
          fi
        done <"/proc/$pid/status"; } 2>/dev/null || true
    fi
    sleep 0.2
  done
  if ! wait "$timer"; then
    echo "memory-scale: logoproc failed on $1 (see $work/report.json)" >&2
    return 1
  fi
  # The peak by the end of the run's first tenth: the last sample in it, 0 unless that
  # sample is from its second half (a short run's only sample may be from before logoproc
  # started).
  local early
  early=$(awk -v wall="$(cut -d' ' -f1 "$work/time.txt")" \
    '$2 - $1 <= wall / 10 { kb = $3; t = $2 - $1 } END { print (t > wall / 20 ? kb : 0) }' \
    "$work/hwm.txt")
  if [[ $1 == "$large" && $early == 0 ]]; then
    echo "memory-scale: warning: no sample in the second half of the first tenth of the" \
      "run on $1; its first-tenth peak is left out" >&2
  fi
  echo "$(cat "$work/time.txt") $early"
}
small_runs=() large_runs=()
for ((r = 1; r <= rounds; r++)); do
  these=()
  for ((k = 1; k <= small_reps; k++)); do
    these+=("$(peak "$small")")
  done
  small_runs+=("${these[@]}")
  large_runs+=("$(peak "$large")")
  echo "round $r: small ${these[*]}  large ${large_runs[-1]}  (seconds peak KB" \
    "peak-by-a-tenth KB)" >&2
done
n_small=$(find "$small" -name '*.png' | wc -l)
n_large=$(find "$large" -name '*.png' | wc -l)
cpus=$(nproc)
if [[ -n $jobs ]]; then workers="--jobs $jobs"; else workers="workers from the allocator"; fi
printf '%s\n' "${small_runs[@]/#/small }" "${large_runs[@]/#/large }" |
  awk -v ns="$n_small" -v nl="$n_large" -v px="$size" -v cpus="$cpus" -v jobs="$workers" '
  function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
      t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
    }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function list(a, n,    i, s) {
    for (i = 1; i <= n; i++) s = s (i > 1 ? ", " : "") sprintf("%.1f", a[i] / 1024)
    return s
  }
  $1 == "small" { ss[++n1] = $2; ks[n1] = $3 }
  $1 == "large" { sl[++n2] = $2; kl[n2] = $3; if ($4 > 0) el[++n3] = $4 }
  END {
    print "| batch | logos | median wall s | median peak RSS MB | peaks MB (in run order) |"
    print "| --- | ---: | ---: | ---: | --- |"
    ls = list(ks, n1); ll = list(kl, n2); le = list(el, n3)
    ms = median(ks, n1); ml = median(kl, n2); me = n3 ? median(el, n3) : 0
    printf "| small | %d | %.1f | %.1f | %s |\n", ns, median(ss, n1), ms / 1024, ls
    row = "| large, by a tenth of its wall time (%d of %d runs) | under %d | | %.1f | %s |\n"
    if (n3) printf row, n3, n2, nl / 10, me / 1024, le
    printf "| large | %d | %.1f | %.1f | %s |\n", nl, median(sl, n2), ml / 1024, ll
    printf "median peak RSS large/small: %.3f (%s px logos, %s CPUs, %s, %d rounds, %d small runs)\n",
      ml / ms, px, cpus, jobs, n2, n1
    if (me > 0) printf "median peak RSS large/its first tenth: %.3f\n", ml / me
  }'
