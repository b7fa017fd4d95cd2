#!/usr/bin/env bash
# Runs one fuzz target for a given time at the lowest priority, on one core, with its seed
# corpus and dictionary; see docs/testing.md. An empty corpus is first seeded from the
# repository's fixtures (fuzz/seed.sh). Extra arguments go to libFuzzer (e.g. -len_control=0).
# Usage: fuzz/run.sh TARGET SECONDS [LIBFUZZER-FLAG...]
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
secs=${2:-600}
shift $(($# < 2 ? $# : 2))
mkdir -p "fuzz/corpus/$target" fuzz/logs
[ -n "$(ls -A "fuzz/corpus/$target")" ] || fuzz/seed.sh "$target"
# libFuzzer takes one -dict, so the dictionary is put together here: the target's own words
# (import_atop shares import_members' CSV vocabulary; whatif_inputs reads datasets too, so it
# adds dataset's), then text.dict, whose characters every target's text meets (is_format_char).
parts=()
case $target in
  import_atop) parts=(fuzz/dict/import_members.dict) ;;
  whatif_inputs) parts=(fuzz/dict/whatif_inputs.dict fuzz/dict/dataset.dict) ;;
  *) if [ -f "fuzz/dict/$target.dict" ]; then parts=("fuzz/dict/$target.dict"); fi ;;
esac
parts+=(fuzz/dict/text.dict)
mkdir -p fuzz/target
cat "${parts[@]}" > "fuzz/target/$target.dict"
dict=("-dict=fuzz/target/$target.dict")
# cargo-fuzz needs nightly flags (-Z sanitizer, sancov); RUSTC_BOOTSTRAP lets the stable
# toolchain accept them.
RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O "$target" "fuzz/corpus/$target" -- \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -print_final_stats=1 "${dict[@]}" "$@" 2>&1 | tee "fuzz/logs/$target.log"
