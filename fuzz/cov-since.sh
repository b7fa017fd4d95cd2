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
# replay NAME DIR...: the covered functions into $work/NAME, and the uncovered branch targets
# (file:line) of each function hit, counted, into $work/NAME.pcs (for "where" below).
replay() {
  local name=$1; shift
  "$bin" -runs=0 -print_coverage=1 -max_len=16384 "$@" > "$work/raw" 2>&1 || true
  grep -a '^COVERED_FUNC' "$work/raw" > "$work/$name" || true
  awk '/^COVERED_FUNC/ { f = $0; sub(/^.*edges: [0-9]+\/[0-9]+ /, "", f) }
       /^  UNCOVERED_PC/ { print f "\t" $2 }' "$work/raw" | LC_ALL=C sort | uniq -c > "$work/$name.pcs"
}
replay a "$work/old"
replay a2 "$work/old"
replay b "$work/old" "$work/new"
replay b2 "$work/old" "$work/new"
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
# Where the gain is: branch targets uncovered in both replays of the inputs before and covered in
# both replays of all inputs, by the file and line they belong to and the function they are in
# (inlined std code is attributed to the function it was inlined into, so an entente function's
# count can rise in std's lines).
echo "  newly covered branch targets in entente functions, by source line and function" \
  "(both replays agree):"
awk -v src="$(cd .. && pwd)/src/" '
  FNR == 1 { k++ }
  { n = $1; line = $0; sub(/^ *[0-9]+ /, "", line); c[k, line] = n; keys[line] = 1 }
  END {
    for (key in keys) {
      split(key, part, "\t"); if (!index(part[1], src)) continue
      lo = c[1, key] < c[2, key] ? c[1, key] : c[2, key]
      hi = c[3, key] > c[4, key] ? c[3, key] : c[4, key]
      if (lo <= hi) continue
      loc = part[2]; sub(/^.*\/rustc\/[0-9a-f]*\/library\//, "std: ", loc)
      sub(/^.*\/(registry\/src\/[^\/]*|rust\/deps)\//, "dep: ", loc); sub(src, "src/", loc)
      fn = part[1]; sub(/ \/.*$/, "", fn); g[loc "  in " fn] += lo - hi; t += lo - hi
    }
    for (l in g) printf "    %5d  %s\n", g[l], l
    printf "    %5d  ~in all\n", t
  }' "$work/a.pcs" "$work/a2.pcs" "$work/b.pcs" "$work/b2.pcs" | LC_ALL=C sort -k2 | sed 's/~in all/in all/'

