#!/usr/bin/env bash
# `cargo check` time of the generated 2021-07 crates, with every area and
# with one area, as the median of RUNS runs each. Dependencies are built
# first and the crate's own check is timed: both its `lib.rs` files (the
# bindings' and their types' crate's) are touched before each run, with the
# incremental cache off, as on a first build. Peak memory is the largest
# single process's: rustc on one of the two crates.
#
#   bench/compile.sh                         # DOCGEN_GRAPH_DOCS, or ../shared/graph-docs
#   RUNS=3 FEATURES="users intune" SNAPSHOTS="v1.0 beta" bench/compile.sh
#   CODEGEN=/path/to/codegen bench/compile.sh  # another commit's generator, as a baseline
#   SDK=1 bench/compile.sh                   # also: clean check and build with dependencies,
#                                            # against graph-rs-sdk 3.0.1 from crates.io
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
  # A generator from before the types had a crate of their own (CODEGEN)
  # writes them under `src/`.
  types_mod="$out/types/src/types/mod.rs" roots=("$out/src/lib.rs" "$out/types/src/lib.rs")
  [ -f "$types_mod" ] || { types_mod="$out/src/types/mod.rs"; roots=("$out/src/lib.rs"); }
  for feature in all $areas; do
    if [ "$feature" = all ]; then flags=(); else flags=(--no-default-features --features "$feature"); fi
    # The types the feature compiles: ungated modules and those naming it.
    # A gate may span lines; it ends at the `mod` or `pub use` it gates.
    types=$(awk -v f="\"$feature\"" '
      /^mod / { if (gate == "" || f == "\"all\"" || index(gate, f)) n++; gate = ""; next }
      /^pub use/ { gate = ""; next }
      /^#\[cfg/ || gate != "" { gate = gate $0 }
      END { print n }' "$types_mod")
    (cd "$out" && cargo check --quiet --lib "${flags[@]}")
    : > "$scratch/secs"; : > "$scratch/kib"
    for _ in $(seq "$runs"); do
      touch "${roots[@]}"
      (cd "$out" && /usr/bin/time -o "$scratch/time" -f '%e %M' cargo check --quiet --lib "${flags[@]}")
      read -r secs kib < "$scratch/time"
      echo "$secs" >> "$scratch/secs"; echo "$kib" >> "$scratch/kib"
    done
    printf '%-6s %-10s %6s %8s %10d\n' "$snapshot" "$feature" "$types" \
      "$(median < "$scratch/secs")" "$(( $(median < "$scratch/kib") / 1024 ))"
  done
done

[ -n "${SDK:-}" ] || exit 0

# What a user pays on a first build: a clean `cargo check` and `cargo build`
# of the crate with all its dependencies, in a fresh target directory each
# time, beside graph-rs-sdk 3.0.1 (the Rust Graph SDK, untyped) in a crate
# that depends on nothing else, with rustls as ours has by default. Wall time and the peak memory of the
# largest process, medians of RUNS runs; the ratio is ours over the SDK's.
echo
echo "== clean check and build with dependencies, against graph-rs-sdk 3.0.1"
sdk="$scratch/sdk"
mkdir -p "$sdk/src"
printf '[package]\nname = "sdk-bench"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\ngraph-rs-sdk = { version = "=3.0.1", default-features = false, features = ["rustls-tls"] }\n\n[workspace]\n' > "$sdk/Cargo.toml"
echo 'pub use graph_rs_sdk;' > "$sdk/src/lib.rs"
(cd "$sdk" && cargo fetch --quiet)
clean() { # DIR COMMAND → "SECONDS KIB", median of RUNS clean runs
  local dir=$1 cmd=$2
  : > "$scratch/secs"; : > "$scratch/kib"
  for _ in $(seq "$runs"); do
    rm -rf "$scratch/clean-target"
    (cd "$dir" && CARGO_TARGET_DIR="$scratch/clean-target" /usr/bin/time -o "$scratch/time" -f '%e %M' cargo "$cmd" --quiet --lib)
    read -r secs kib < "$scratch/time"
    echo "$secs" >> "$scratch/secs"; echo "$kib" >> "$scratch/kib"
  done
  echo "$(median < "$scratch/secs") $(median < "$scratch/kib")"
}
printf '%-14s %-6s %8s %9s %8s %8s\n' crate cargo seconds peak_MiB time/sdk mem/sdk
for cmd in check build; do
  read -r sdk_s sdk_k < <(clean "$sdk" "$cmd")
  printf '%-14s %-6s %8s %9d %8s %8s\n' graph-rs-sdk "$cmd" "$sdk_s" "$(( sdk_k / 1024 ))" 1.00 1.00
  for snapshot in $snapshots; do
    read -r s k < <(clean "$scratch/$snapshot" "$cmd")
    printf '%-14s %-6s %8s %9d %8s %8s\n' "$snapshot" "$cmd" "$s" "$(( k / 1024 ))" \
      "$(echo "scale=2; $s / $sdk_s" | bc)" "$(echo "scale=2; $k / $sdk_k" | bc)"
  done
done
