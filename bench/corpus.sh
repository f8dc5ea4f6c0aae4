#!/usr/bin/env bash
# Whole-corpus timings, measured side by side in one run: the floor (one
# bare pulldown-cmark pass over the same files, `examples/bare_parse.rs`)
# against the full pipeline (`codegen generate`: read, model, emit, format,
# write), as the median of RUNS runs each, with the pipeline's peak memory.
#
#   bench/corpus.sh            # DOCGEN_GRAPH_DOCS, or ../shared/graph-docs
#   RUNS=9 bench/corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."

docs="${DOCGEN_GRAPH_DOCS:-../shared/graph-docs}/2021-07"
runs="${RUNS:-5}"
cargo build --release --quiet -p docgen-codegen --bin codegen --example bare_parse
bin="${CARGO_TARGET_DIR:-target}/release"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Seconds and peak KiB of one command, as "SECONDS KIB".
measure() {
  /usr/bin/time -o "$scratch/time" -f '%e %M' "$@" > /dev/null 2>&1
  cat "$scratch/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-12s %10s %10s %7s %10s\n' input floor_s pipeline_s ratio peak_MiB
for set in "v1.0" "v1.0 beta"; do
  : > "$scratch/floor"; : > "$scratch/full"; : > "$scratch/rss"
  for _ in $(seq "$runs"); do
    dirs=()
    for s in $set; do dirs+=("$docs/$s"); done
    measure "$bin/examples/bare_parse" "${dirs[@]}" | awk '{ print $1 }' >> "$scratch/floor"
    total=0; peak=0
    for s in $set; do
      read -r secs kib < <(measure "$bin/codegen" generate --docs "$docs/$s" --out "$scratch/out-$s" --name "bench-${s//./-}")
      total=$(echo "$total + $secs" | bc); [ "$kib" -gt "$peak" ] && peak=$kib
    done
    echo "$total" >> "$scratch/full"; echo "$peak" >> "$scratch/rss"
  done
  floor=$(median < "$scratch/floor"); full=$(median < "$scratch/full"); rss=$(median < "$scratch/rss")
  printf '%-12s %10s %10s %7.2f %10d\n' "${set// /+}" "$floor" "$full" "$(echo "$full / $floor" | bc -l)" "$((rss / 1024))"
done
