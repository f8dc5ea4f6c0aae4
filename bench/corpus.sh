#!/usr/bin/env bash
# Whole-corpus timings, measured side by side in one run, each the median of
# RUNS runs:
#  1. the floor (one bare pulldown-cmark pass over the same files on one
#     thread, `examples/bare_parse.rs`) against the full pipeline
#     (`codegen generate`: read, model, emit, format, write into an empty
#     folder) on one thread and on every core, with its peak memory, for
#     2021-07 v1.0 and v1.0+beta; outputs of both thread counts must be
#     byte-identical;
#  2. how time and memory grow with the corpus: 25, 50 and 100% of the
#     beta pages;
#  3. `cargo build` of the root crate: a no-op, and after touching one page
#     of docs-input/;
#  4. regenerating v1.0+beta after a one-page edit in v1.0 (into the
#     folders a first run filled, with the cache of formatted files, the
#     parsed pages and the record of the run it left in their target/),
#     against the floor: what
#     a docs change costs, as medians and as the median of each run's
#     ratio to the floor measured just before it;
#  5. the same with a page edited in each tree, so that neither run can
#     stop at the record of the last one.
#
#   bench/corpus.sh            # DOCGEN_GRAPH_DOCS, or ../shared/graph-docs
#   RUNS=9 bench/corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."

docs="${DOCGEN_GRAPH_DOCS:-../shared/graph-docs}/2021-07"
runs="${RUNS:-5}"
cargo build --release --quiet -p docgen-codegen --bin codegen --example bare_parse
bin="$(cd "${CARGO_TARGET_DIR:-target}/release" && pwd)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Seconds and peak KiB of one command, as "SECONDS KIB".
measure() {
  /usr/bin/time -o "$scratch/time" -f '%e %M' "$@" > /dev/null 2>&1
  cat "$scratch/time"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { echo "scale=2; $1 / $2" | bc; }

# Generates every tree in "$@" (names below $docs) with THREADS threads into
# fresh folders under $scratch/$label; prints "SECONDS PEAK_KIB".
pipeline() {
  local label=$1; shift
  local total=0 peak=0 secs kib
  for s in "$@"; do
    rm -rf "$scratch/$label-$s"
    read -r secs kib < <(RAYON_NUM_THREADS=$THREADS measure "$bin/codegen" generate \
      --docs "$docs/$s" --out "$scratch/$label-$s" --name "bench-${s//./-}")
    total=$(echo "$total + $secs" | bc)
    [ "$kib" -gt "$peak" ] && peak=$kib
  done
  echo "$total $peak"
}

echo "== 1. floor and pipeline ($runs runs each, medians; $(nproc) cores)"
printf '%-10s %8s %10s %10s %8s %8s %9s\n' input floor_s one_thr_s all_thr_s one/flr all/flr peak_MiB
for set in "v1.0" "v1.0 beta"; do
  : > "$scratch/floor"; : > "$scratch/one"; : > "$scratch/all"; : > "$scratch/rss"
  for _ in $(seq "$runs"); do
    dirs=()
    for s in $set; do dirs+=("$docs/$s"); done
    measure "$bin/examples/bare_parse" "${dirs[@]}" | awk '{ print $1 }' >> "$scratch/floor"
    read -r secs kib < <(THREADS=1 pipeline one $set)
    echo "$secs" >> "$scratch/one"; echo "$kib" >> "$scratch/rss"
    read -r secs kib < <(THREADS=$(nproc) pipeline all $set)
    echo "$secs" >> "$scratch/all"; echo "$kib" >> "$scratch/rss"
  done
  for s in $set; do
    diff -r -x target "$scratch/one-$s" "$scratch/all-$s" > /dev/null \
      || { echo "output differs between 1 and $(nproc) threads for $s" >&2; exit 1; }
  done
  floor=$(median < "$scratch/floor"); one=$(median < "$scratch/one"); all=$(median < "$scratch/all")
  printf '%-10s %8s %10s %10s %8s %8s %9d\n' "${set// /+}" "$floor" "$one" "$all" \
    "$(ratio "$one" "$floor")" "$(ratio "$all" "$floor")" "$(( $(sort -n "$scratch/rss" | tail -1) / 1024 ))"
done
echo "outputs byte-identical on 1 and $(nproc) threads"

echo
echo "== 2. growth with the corpus: a share of the beta pages, every core"
printf '%-6s %6s %10s %9s\n' share pages seconds peak_MiB
mapfile -t pages < <(cd "$docs/beta" && find . -name '*.md' | sort)
for share in 25 50 100; do
  subset="$scratch/subset-$share"
  # Every page whose position falls in the share, spread over the tree.
  for i in "${!pages[@]}"; do
    if (( (i % 4) < share / 25 )); then
      mkdir -p "$subset/$(dirname "${pages[$i]}")"
      cp -l "$docs/beta/${pages[$i]}" "$subset/${pages[$i]}" 2>/dev/null || cp "$docs/beta/${pages[$i]}" "$subset/${pages[$i]}"
    fi
  done
  : > "$scratch/secs"; : > "$scratch/kib"
  for _ in $(seq "$runs"); do
    rm -rf "$scratch/out-share"
    read -r secs kib < <(measure "$bin/codegen" generate --docs "$subset" --out "$scratch/out-share" --name share)
    echo "$secs" >> "$scratch/secs"; echo "$kib" >> "$scratch/kib"
  done
  printf '%-6s %6s %10s %9d\n' "$share%" "$(find "$subset" -name '*.md' | wc -l)" \
    "$(median < "$scratch/secs")" "$(( $(median < "$scratch/kib") / 1024 ))"
done

echo
echo "== 3. cargo build of the root crate (docs-input)"
cargo build --quiet
: > "$scratch/noop"; : > "$scratch/touch"
for _ in $(seq "$runs"); do
  measure cargo build --quiet | awk '{ print $1 }' >> "$scratch/noop"
  touch docs-input/api/user-get.md
  measure cargo build --quiet | awk '{ print $1 }' >> "$scratch/touch"
done
printf 'no-op build: %s s; after touching one page: %s s\n' "$(median < "$scratch/noop")" "$(median < "$scratch/touch")"

echo
# Regenerates v1.0+beta RUNS times, each time after alternately adding and
# removing a word in the description of user-get.md in each tree named in
# "$@", the floor measured just before; prints "FLOOR_MEDIAN WARM_MEDIAN
# RATIO_MEDIAN", the last being the median of each run's ratio to the floor
# measured beside it, which the floor's drift from run to run moves less.
warm_after_edits() {
  local edited="$scratch/edited-$*" s n total secs
  edited="${edited// /-}"
  mkdir -p "$edited"
  for s in v1.0 beta; do cp -rl "$docs/$s" "$edited/$s"; done
  # Real copies of the pages, so that editing them leaves the corpus alone.
  for s in "$@"; do cp --remove-destination "$docs/$s/api/user-get.md" "$edited/$s/api/user-get.md"; done
  for s in v1.0 beta; do
    "$bin/codegen" generate --docs "$edited/$s" --out "$edited-out-$s" --name "warm-${s//./-}" > /dev/null 2>&1
  done
  : > "$scratch/floor"; : > "$scratch/warm"; : > "$scratch/ratio"
  for n in $(seq "$runs"); do
    for s in "$@"; do
      if (( n % 2 )); then
        sed -i 's/^Retrieve the properties/Retrieve all the properties/' "$edited/$s/api/user-get.md"
      else
        sed -i 's/^Retrieve all the properties/Retrieve the properties/' "$edited/$s/api/user-get.md"
      fi
    done
    read -r floor _ < <(measure "$bin/examples/bare_parse" "$edited/v1.0" "$edited/beta")
    echo "$floor" >> "$scratch/floor"
    total=0
    for s in v1.0 beta; do
      read -r secs _ < <(measure "$bin/codegen" generate --docs "$edited/$s" --out "$edited-out-$s" --name "warm-${s//./-}")
      total=$(echo "$total + $secs" | bc)
    done
    echo "$total" >> "$scratch/warm"
    ratio "$total" "$floor" >> "$scratch/ratio"
  done
  echo "$(median < "$scratch/floor") $(median < "$scratch/warm") $(median < "$scratch/ratio")"
}

echo
echo "== 4. v1.0+beta regenerated after a one-page edit in v1.0, every core, against the floor"
echo "   (beta's bytes are unchanged: its run stops at the record of the last one)"
read -r floor warm paired < <(warm_after_edits v1.0)
printf 'floor %s s; regenerate after a one-page edit %s s; %sx the floor (run by run: %sx)\n' \
  "$floor" "$warm" "$(ratio "$warm" "$floor")" "$paired"

echo
echo "== 5. v1.0+beta regenerated after a one-page edit in each tree, every core, against the floor"
read -r floor warm paired < <(warm_after_edits v1.0 beta)
printf 'floor %s s; regenerate after a one-page edit in each %s s; %sx the floor (run by run: %sx)\n' \
  "$floor" "$warm" "$(ratio "$warm" "$floor")" "$paired"
