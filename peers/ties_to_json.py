#!/usr/bin/env python3
"""Memory check of the dataset JSON loader for docs/performance.md: writes a dataset JSON whose
events are those of DATASET followed by every row of TIES (a tie CSV) as a `tie` event, so that
`/usr/bin/time -v entente validate OUT` measures the loader's memory per input byte.

    python3 peers/ties_to_json.py w1/dataset.json w1/ties.csv w1-json.json

Standard library only; not part of the test suite.
"""
import json
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        ds = json.load(f)
    events = ds.setdefault("events", [])
    with open(sys.argv[2]) as f:
        next(f)
        for line in f:
            date, a, b, delta, half_life, duration = line.rstrip("\r\n").split(",")
            e = {"date": date, "kind": "tie", "a": a, "b": b, "delta": float(delta)}
            if half_life:
                e["half_life_days"] = float(half_life)
            if duration:
                e["duration_days"] = float(duration)
            events.append(e)
    with open(sys.argv[3], "w") as f:
        json.dump(ds, f)


if __name__ == "__main__":
    main()
