#!/usr/bin/env bash
# Runs the given fuzz targets one after the other (never two at once: the machine is shared),
# each for SECONDS. Usage: fuzz/run_all.sh SECONDS TARGET...
set -uo pipefail
cd "$(dirname "$0")/.."
secs=$1
shift
for t in "$@"; do
  fuzz/run.sh "$t" "$secs" > /dev/null 2>&1
  echo "$t: exit $? at $(date -u +%H:%M:%S)" >> fuzz/logs/run_all.log
done
