#!/usr/bin/env bash
# Tie-CSV read and dataset-JSON load, for docs/performance.md: BEFORE and AFTER entente binaries
# run interleaved (before, after, before, after, …) REPS times on
#   - `validate W2/dataset.json --ties W2/ties.csv` (reading W2's 10 M rows and ordering them),
#   - `metrics W2/dataset.json --ties W2/ties.csv --format json` (the whole series; the two
#     outputs are compared byte for byte at the end),
#   - `validate JSON` for each dataset JSON given (the loader's peak memory),
# printing one line per run: what, binary, wall seconds, user seconds, system seconds, peak KB.
#
#   peers/read_and_load.sh BEFORE AFTER REPS W2_DIR [DATASET.json...]
set -u
BEFORE=$1; AFTER=$2; REPS=$3; W2=$4; shift 4
OUT=$(mktemp -d)
t() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
for r in $(seq "$REPS"); do
  for b in before after; do
    bin=$BEFORE; [ $b = after ] && bin=$AFTER
    echo "w2-read $b $(t "$bin" validate "$W2/dataset.json" --ties "$W2/ties.csv")"
  done
done
for r in $(seq "$REPS"); do
  for b in before after; do
    bin=$BEFORE; [ $b = after ] && bin=$AFTER
    echo "w2-metrics $b $(/usr/bin/time -f "%e %U %S %M" "$bin" metrics "$W2/dataset.json" \
      --ties "$W2/ties.csv" --format json 2>&1 >"$OUT/w2-$b.json" | tail -1)"
  done
done
cmp -s "$OUT/w2-before.json" "$OUT/w2-after.json" && echo "w2-metrics outputs identical" \
  || echo "w2-metrics outputs DIFFER"
for j in "$@"; do
  for r in $(seq "$REPS"); do
    for b in before after; do
      bin=$BEFORE; [ $b = after ] && bin=$AFTER
      echo "load-$(basename "$j" .json) $b $(t "$bin" validate "$j")"
    done
  done
done
rm -rf "$OUT"
