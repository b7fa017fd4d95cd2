#!/usr/bin/env bash
# End-to-end timing for docs/performance.md: BEFORE and AFTER entente binaries run interleaved
# (before, after, before, after, …) REPS times on each workload folder given, with
# `metrics --format json` (every metric); then the Python peers once on the first workload:
# the igraph pipeline's and the networkx pipeline's values are first checked against AFTER's
# output there (the script stops if they disagree), and Raphtory runs when PYTHON has it.
# Prints one line per run: workload, program, wall seconds, user seconds, peak KB.
#
#   peers/timing.sh BEFORE AFTER PYTHON REPS WORKLOAD_DIR...
#
# PYTHON is a Python with networkx, python-igraph and numpy installed (see the peers' headers).
set -u
BEFORE=$1; AFTER=$2; PY=$3; REPS=$4; shift 4
HERE=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
# The program's stderr and /usr/bin/time's line go to $log; the last line (the timings) is printed.
t() { /usr/bin/time -f "%e %U %M" "$@" 2>"$log" >/dev/null; tail -1 "$log"; }
for w in "$@"; do
  for r in $(seq "$REPS"); do
    for b in before after; do
      bin=$BEFORE; [ $b = after ] && bin=$AFTER
      echo "$(basename "$w") $b $(t "$bin" metrics "$w/dataset.json" --ties "$w/ties.csv" --format json)"
    done
  done
done
w=$1
ref=$(mktemp)
"$AFTER" metrics "$w/dataset.json" --ties "$w/ties.csv" --format json > "$ref"
"$PY" "$HERE/igraph_pipeline.py" "$w/dataset.json" "$w/ties.csv" --check "$ref" > /dev/null || exit 1
echo "$(basename "$w") igraph-multilevel $(t "$PY" "$HERE/igraph_pipeline.py" "$w/dataset.json" "$w/ties.csv")"
echo "$(basename "$w") igraph-leiden10 $(t "$PY" "$HERE/igraph_pipeline.py" "$w/dataset.json" "$w/ties.csv" --leiden 10)"
# --check compares after the timed work (a few milliseconds of it) and prints its summary.
echo "$(basename "$w") networkx $(t "$PY" "$HERE/networkx_w1.py" "$w/dataset.json" "$w/ties.csv" --check "$ref")"
grep "check against entente\|Command exited" "$log" || { echo "networkx peer: no check" >&2; exit 1; }
grep -q "Command exited" "$log" && exit 1
if "$PY" -c "import raphtory" 2>/dev/null; then
  echo "$(basename "$w") raphtory $(t "$PY" "$HERE/raphtory_w1.py" "$w/ties.csv")"
fi
rm -f "$ref" "$log"
