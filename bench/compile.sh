#!/usr/bin/env bash
# `cargo check` time of the generated 2021-07 crates, with every area and
# with one area, as the median of RUNS runs each. Dependencies are built
# first and the crate's own check is timed: `src/lib.rs` is touched before
# each run, with the incremental cache off, as on a first build.
#
#   bench/compile.sh                         # DOCGEN_GRAPH_DOCS, or ../shared/graph-docs
#   RUNS=3 FEATURES="users intune" SNAPSHOTS="v1.0 beta" bench/compile.sh
#   CODEGEN=/path/to/codegen bench/compile.sh  # another commit's generator, as a baseline
set -euo pipefail
cd "$(dirname "$0")/.."

docs="${DOCGEN_GRAPH_DOCS:-../shared/graph-docs}/2021-07"
runs="${RUNS:-3}"
areas="${FEATURES:-users intune}"
snapshots="${SNAPSHOTS:-v1.0 beta}"
if [ -n "${CODEGEN:-}" ]; then
  bin="$CODEGEN"
else
  cargo build --release --quiet -p docgen-codegen --bin codegen
  bin="$(cd "${CARGO_TARGET_DIR:-target}/release" && pwd)/codegen"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export CARGO_TARGET_DIR="$scratch/target" CARGO_INCREMENTAL=0

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-6s %-10s %6s %8s %10s\n' crate features types check_s peak_MiB
for snapshot in $snapshots; do
  out="$scratch/$snapshot"
  "$bin" generate --overrides "overrides/2021-07-$snapshot.toml" --docs "$docs/$snapshot" \
    --out "$out" --name "graph-${snapshot//./-}" --runtime runtime > /dev/null 2>&1
  for feature in all $areas; do
    if [ "$feature" = all ]; then flags=(); else flags=(--no-default-features --features "$feature"); fi
    # The types the feature compiles: ungated modules and those naming it.
    # A gate may span lines; it ends at the `mod` or `pub use` it gates.
    types=$(awk -v f="\"$feature\"" '
      /^mod / { if (gate == "" || f == "\"all\"" || index(gate, f)) n++; gate = ""; next }
      /^pub use/ { gate = ""; next }
      /^#\[cfg/ || gate != "" { gate = gate $0 }
      END { print n }' "$out/src/types/mod.rs")
    (cd "$out" && cargo check --quiet --lib "${flags[@]}")
    : > "$scratch/secs"; : > "$scratch/kib"
    for _ in $(seq "$runs"); do
      touch "$out/src/lib.rs"
      (cd "$out" && /usr/bin/time -o "$scratch/time" -f '%e %M' cargo check --quiet --lib "${flags[@]}")
      read -r secs kib < "$scratch/time"
      echo "$secs" >> "$scratch/secs"; echo "$kib" >> "$scratch/kib"
    done
    printf '%-6s %-10s %6s %8s %10d\n' "$snapshot" "$feature" "$types" \
      "$(median < "$scratch/secs")" "$(( $(median < "$scratch/kib") / 1024 ))"
  done
done
