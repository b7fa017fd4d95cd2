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
dict=()
d=$target
[ "$target" = import_atop ] && d=import_members # the same CSV vocabulary
[ -f "fuzz/dict/$d.dict" ] && dict=("-dict=fuzz/dict/$d.dict")
# cargo-fuzz needs nightly flags (-Z sanitizer, sancov); RUSTC_BOOTSTRAP lets the stable
# toolchain accept them.
RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O "$target" "fuzz/corpus/$target" -- \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -print_final_stats=1 "${dict[@]}" "$@" 2>&1 | tee "fuzz/logs/$target.log"
