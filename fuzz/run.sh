#!/usr/bin/env bash
# Runs one fuzz target for a given time at the lowest priority, on one core, with its seed
# corpus and dictionary; see docs/testing.md. Usage: fuzz/run.sh TARGET SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
secs=${2:-600}
mkdir -p "fuzz/corpus/$target" fuzz/logs
dict=()
[ -f "fuzz/dict/$target.dict" ] && dict=("-dict=fuzz/dict/$target.dict")
# cargo-fuzz needs nightly flags (-Z sanitizer, sancov); RUSTC_BOOTSTRAP lets the stable
# toolchain accept them.
RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O "$target" "fuzz/corpus/$target" -- \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -print_final_stats=1 "${dict[@]}" 2>&1 | tee "fuzz/logs/$target.log"
