#!/usr/bin/env bash
# Whole-run memory benchmark: does logoproc's peak memory grow with the length of a batch?
#
#   benches/memory-scale.sh [--logos 10] [--repeat 100] [--size 512] [--jobs N] [--work DIR]
#
# --jobs N passes --jobs N to logoproc (default: the allocator's worker count).
# Renders the first --logos corpus SVGs at --size px on white (examples/render_corpus.rs), then
# builds two batches with the peer benchmark's work (benches/vs-peers.toml: transparent, vector,
# 8 social images) and prints the peak RSS (GNU time's %M) of each:
#   small   the --logos logos once
#   large   the same logos --repeat times over (hard links with distinct names), so that any
#           difference in peak memory comes from the batch's length, not from other logos
# and the ratio large/small. A streaming run keeps at most workers + window decoded logos; what
# still grows is the report (one record per job and per file written).
#
# Environment: LOGOPROC (a logoproc binary; default: cargo build --release here), RENDER (a
# render_corpus binary; default: cargo run --release --example render_corpus), CORPUS (default
# $repo/../shared/corpus/public, else $repo/fixtures/corpus).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
logos=10 repeat=100 size=512 jobs="" work=${TMPDIR:-/tmp}/logoproc-memory-scale
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
    --jobs) jobs=${2:?}; shift 2 ;;
    --work) work=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "memory-scale: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x /usr/bin/time ]] || { echo "memory-scale: needs GNU time (apt-get install time)" >&2; exit 1; }

if [[ -z ${LOGOPROC:-} ]]; then
  (cd "$repo" && cargo build --release --quiet)
  LOGOPROC=$repo/target/release/logoproc
fi
mkdir -p "$work"
small=$work/small-$logos-$size large=$work/large-$logos-$size-x$repeat
if [[ ! -d $small ]]; then
  if [[ -n ${RENDER:-} ]]; then
    "$RENDER" "$CORPUS" "$small" --size "$size" --count "$logos"
  else
    (cd "$repo" && cargo run --release --quiet --example render_corpus -- \
      "$CORPUS" "$small" --size "$size" --count "$logos")
  fi
fi
if [[ ! -d $large ]]; then
  mkdir -p "$large.tmp"
  for ((k = 0; k < repeat; k++)); do
    for f in "$small"/*.png; do
      b=$(basename "$f" .png)
      ln "$f" "$large.tmp/${b}_$k.png"
    done
  done
  mv "$large.tmp" "$large"
fi

peak() { # folder -> "seconds peak_kb"
  local out=$work/out
  rm -rf "$out"
  /usr/bin/time -f '%e %M' -o "$work/time.txt" \
    "$LOGOPROC" build "$1" --config "$repo/benches/vs-peers.toml" -o "$out" --json \
    ${jobs:+--jobs "$jobs"} >"$work/report.json"
  cat "$work/time.txt"
}
read -r small_s small_kb < <(peak "$small")
read -r large_s large_kb < <(peak "$large")
n_small=$(find "$small" -name '*.png' | wc -l)
n_large=$(find "$large" -name '*.png' | wc -l)
cpus=$(nproc)
if [[ -n $jobs ]]; then workers="--jobs $jobs"; else workers="workers from the allocator"; fi
awk -v ns="$n_small" -v nl="$n_large" -v ss="$small_s" -v sl="$large_s" \
    -v ks="$small_kb" -v kl="$large_kb" -v px="$size" -v cpus="$cpus" \
    -v jobs="$workers" 'BEGIN {
  print "| batch | logos | wall s | peak RSS MB |"
  print "| --- | ---: | ---: | ---: |"
  printf "| small | %d | %.1f | %.1f |\n", ns, ss, ks / 1024
  printf "| large | %d | %.1f | %.1f |\n", nl, sl, kl / 1024
  printf "peak RSS large/small: %.3f (%s px logos, %s CPUs, %s)\n", kl / ks, px, cpus, jobs
}'
