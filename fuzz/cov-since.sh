#!/usr/bin/env bash
# Which coverage did the inputs a fuzzer added after a given time bring? Replays the corpus
# inputs older than TIME twice (to see the run-to-run noise: std's HashMap hashes with a random
# seed, so some std and hashbrown edges come and go) and then all inputs twice, with libFuzzer's
# -print_coverage, and sums the covered edges of entente's own functions (src/), of the fuzz
# harness and of std and the dependencies. See docs/testing.md ("Plateau").
# "After" means written after TIME: libFuzzer rewrites an input it reduces, so a reduced old input
# counts as new and its coverage leaves the "before" set. A gain is therefore an upper bound on
# what the run found (check libFuzzer's own counter); no gain is conclusive.
# Usage: fuzz/cov-since.sh TARGET "YYYY-MM-DD HH:MM"   (after `cargo fuzz build -O TARGET`)
set -euo pipefail
cd "$(dirname "$0")"
target=$1
since=$2
bin=target/x86_64-unknown-linux-gnu/release/$target
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/old" "$work/new"
[ -d "corpus/$target" ] || { echo "cov-since: no corpus at fuzz/corpus/$target" >&2; exit 2; }
# A fuzzer still running removes inputs it has reduced: the ones gone by the time they are copied
# are skipped (their reduced replacements are among the "after" inputs).
find "corpus/$target" -type f ! -newermt "$since" -exec cp {} "$work/old/" \; 2>/dev/null || true
find "corpus/$target" -type f -newermt "$since" -exec cp {} "$work/new/" \; 2>/dev/null || true
echo "$target: $(ls "$work/old" | wc -l) inputs before $since, $(ls "$work/new" | wc -l) after"
replay() { "$bin" -runs=0 -print_coverage=1 -max_len=16384 "$@" 2>&1 | grep -a '^COVERED_FUNC' || true; }
replay "$work/old" > "$work/a"
replay "$work/old" > "$work/a2"
replay "$work/old" "$work/new" > "$work/b"
replay "$work/old" "$work/new" > "$work/b2"
sum() {
  awk -v src="$(cd .. && pwd)/src/" '{
      e = $5; sub(/\/.*/, "", e); name = $0
      if (index(name, src)) g = "entente"; else if (name ~ /__libfuzzer_sys_run/) g = "harness"; else g = "std+deps"
      s[g] += e
    } END { printf "entente %d, harness %d, std+deps %d", s["entente"], s["harness"], s["std+deps"] }' "$1"
}
echo "  inputs before, replayed:       $(sum "$work/a")"
echo "  inputs before, replayed again: $(sum "$work/a2")"
echo "  all inputs:                    $(sum "$work/b")"
echo "  all inputs, replayed again:    $(sum "$work/b2")"
# Covered edges per function name (summed over instances of the same name), sorted for join.
per_function() {
  awk '{ e = $5; sub(/\/.*/, "", e); $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); s[$0] += e }
       END { for (k in s) print k "\t" s[k] }' "$1" | LC_ALL=C sort
}
echo "  entente functions whose covered edges differ (before / before again / all / all again):"
LC_ALL=C join -t $'\t' -a1 -a2 -e 0 -o 0,1.2,1.3,2.2,2.3 \
  <(LC_ALL=C join -t $'\t' -a1 -a2 -e 0 -o 0,1.2,2.2 <(per_function "$work/a") <(per_function "$work/a2")) \
  <(LC_ALL=C join -t $'\t' -a1 -a2 -e 0 -o 0,1.2,2.2 <(per_function "$work/b") <(per_function "$work/b2")) |
  grep -F "$(cd .. && pwd)/src/" |
  awk -F'\t' '!($2 == $3 && $3 == $4 && $4 == $5) { print "    " $2 " / " $3 " / " $4 " / " $5 "  " $1 }' || true
