#!/usr/bin/env bash
# Writes the seed corpus of every fuzz target into fuzz/corpus/TARGET from the repository's own
# fixtures (tests/data, data/), so a fresh checkout can start fuzzing with no manual step. Seeds
# are only added: an existing corpus keeps its inputs. A target's kept corpus (fuzz/kept/TARGET.tar.gz,
# written by fuzz/keep.sh after a long run) is unpacked too, so fuzzing goes on from where the last
# campaign stopped. See docs/testing.md ("Fuzzing").
# Usage: fuzz/seed.sh [TARGET...]   (all targets when none is named; FUZZ_CORPUS=DIR writes
# DIR/TARGET instead, as CI does to check that every target gets seeds)
set -euo pipefail
c=$(realpath -m "${FUZZ_CORPUS:-$(dirname "$0")/corpus}")
cd "$(dirname "$0")/.."
t=tests/data

# seed TARGET NAME: stdin becomes fuzz/corpus/TARGET/seed-NAME.
seed() { mkdir -p "$c/$1"; cat > "$c/$1/seed-$2"; }
# join FILE... : the files separated by lines '---' (the multi-part targets' input format).
join() {
  local first=1
  for f in "$@"; do
    [ $first = 1 ] || printf '\n---\n'
    first=0
    cat "$f"
  done
}
copy() { local target=$1; shift; mkdir -p "$c/$target"; for f in "$@"; do cp "$f" "$c/$target/seed-$(basename "$f")"; done; }

dataset() {
  copy dataset "$t"/*.json "$t"/invalid/*.json "$t"/bad/*.json "$t"/hardening/base.json \
    "$t"/calls/*.json "$t"/layers/*.json "$t"/signed/*.json "$t"/robust/*.json "$t"/whatif/world.json \
    data/csto.json
}
ties_csv() { copy ties_csv "$t"/bad/ties_*.csv "$t"/hardening/ties.csv "$t"/robust/ties.csv "$t"/whatif/ties.csv; }
import_members() { copy import_members "$t"/import/members.csv "$t"/bad/members_*.csv; }
import_atop() {
  join "$t"/import/states-nato-csto.csv "$t"/import/atop-nato-csto.csv | seed import_atop nato-csto
  join "$t"/import/states-messy.csv "$t"/import/atop-messy.csv | seed import_atop messy
  join "$t"/import/states-nato-csto.csv "$t"/import/atop-nato-csto.csv "$t"/import/names.csv |
    seed import_atop nato-csto-names
}
# import_gdelt, import_icews: one option byte, then the event file.
events() {
  for b in 0 1 2 3; do
    { printf "\\x$b"; cat "$2"; } | seed "$1" "$b"
  done
}
import_gdelt() { events import_gdelt "$t"/import/gdelt-mixed.tsv; }
import_icews() { events import_icews "$t"/import/icews-mixed.tab; }
date() {
  local i=0
  for s in '2024-02-29' '2020-01-31 1m 5' '1999-12-31 14d 3' '0000-01-01 1w' '9999-12-31 1y 2' '14d' '999999y'; do
    printf '%s' "$s" | seed date "$i"
    i=$((i + 1))
  done
}
import_unvotes() {
  join <(head -n 6 "$t"/unvotes/roll_calls.csv) <(head -n 30 "$t"/unvotes/votes.csv) | seed import_unvotes head
}
codes() {
  copy codes "$t"/import/codes.csv
  head -n 40 src/import/crosswalk.csv | seed codes crosswalk-head
}
tie_csv_ids() {
  # Up to four ids separated by byte 0xFF, then 0xFE, then tie bytes (four per event).
  printf 'ARM\xffKorea, Republic of\xff"Quoted" id\xffC\xc3\xb4te d\xe2\x80\x99Ivoire\xfe\x00\x01\x40\x10\x02\x03\xc0\x20' |
    seed tie_csv_ids ids
}
xml_writers() {
  # The dataset's name, an alliance name, then state ids and names, separated by byte 0xFF.
  printf 'World <&> "quotes"\xffPact \x1b[31m\xffARM\xffArmenia\x00\xffRUS\xffRussia \xef\xbf\xbe' |
    seed xml_writers names
}
whatif_inputs() {
  # A scenario, '---', the rules and claims of tests/data/robust/four-states.json rewritten for the
  # base dataset's ids, '---', lines tried as --vary rules and --without selectors.
  local rules='{"uncertainty": [{"select": "kind=suspend", "param": "factor", "range": [0, 0.5], "dist": "triangular"},
 {"select": {"event": "x"}, "param": "delta", "scale": [0.5, 1.5]},
 {"select": "alliance=CSTO", "param": "tie", "range": [0.6, 0.9]}],
 "claims": [{"id": "arm-lowest", "text": "ARM is the least aligned member", "test": "lowest", "metric": "alignment", "alliance": "CSTO", "state": "ARM", "from": "2021-06-01"},
 {"id": "csto-falls", "test": "falls", "metric": "mean_tie", "alliance": "CSTO", "from": "2020-01-01", "to": "2025-01-01"},
 {"id": "arm-below", "test": "below", "metric": "alignment", "alliance": "CSTO", "state": "ARM", "value": 0, "at": "2024-06-01"}]}'
  local lines='alliance=CSTO:tie=0.5..0.9
kind=suspend:factor=0..0.5
ties=ties.csv
state=ARM
event=x,kind=join'
  {
    printf '{"events": [{"date": "2024-03-01", "kind": "leave", "state": "ARM", "alliance": "CSTO", "id": "x", "scenario": true},\n'
    printf ' {"date": "2024-04-01", "kind": "tie", "a": "ARM", "b": "FRA", "delta": 0.5, "layer": "talk"}]}'
    printf '\n---\n%s\n---\n%s\n' "$rules" "$lines"
  } | seed whatif_inputs base
  copy whatif_inputs "$t"/whatif/leave.json "$t"/whatif/linear.json
}

all=(dataset ties_csv import_members import_atop import_gdelt import_icews date import_unvotes codes tie_csv_ids xml_writers whatif_inputs)
want=("$@")
[ ${#want[@]} -gt 0 ] || want=("${all[@]}")
for w in "${want[@]}"; do
  [[ " ${all[*]} " == *" $w "* ]] || { echo "seed.sh: no target $w" >&2; exit 2; }
  "$w"
  # The kept corpus holds a folder named after its target; its inputs carry the time 1970-01-01,
  # so fuzz/cov-since.sh counts them as found before any run.
  kept=fuzz/kept/$w.tar.gz
  if [ -f "$kept" ]; then tar -xzf "$kept" -C "$c"; fi
done
