#!/usr/bin/env python3
"""Bloc quality check for docs/performance.md: compares the per-date modularity (and blocs) of two
`entente metrics --format json` outputs of the same input, BEFORE (e.g. the previous release
binary) and AFTER (the current one).

    python3 peers/compare_modularity.py before.json after.json

Prints the number of dates, how many have the same blocs, how many a higher or lower modularity,
and the worst difference (after - before). Exits with status 1 if any date's modularity is more
than 1e-9 below before's. Standard library only; not part of the test suite.
"""
import json
import sys


def series(path):
    with open(path) as f:
        doc = json.load(f)
    return {s["date"]: s["graph"] for s in doc["series"]}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    before, after = series(sys.argv[1]), series(sys.argv[2])
    if before.keys() != after.keys():
        sys.exit("the two outputs do not have the same dates")
    same = higher = lower = 0
    worst = 0.0
    for date, b in before.items():
        a = after[date]
        if a.get("blocs") == b.get("blocs"):
            same += 1
        qa, qb = a.get("modularity"), b.get("modularity")
        if qa is None or qb is None:
            if qa != qb:
                sys.exit(f"{date}: modularity {qb} before, {qa} after")
            continue
        d = qa - qb
        if d > 1e-9:
            higher += 1
        elif d < -1e-9:
            lower += 1
            print(f"{date}: modularity {qb!r} before, {qa!r} after ({d:+.3g})")
        worst = min(worst, d)
    print(
        f"{len(before)} dates: {same} with the same blocs, {higher} higher modularity, "
        f"{lower} lower (beyond 1e-9); worst after - before: {worst:+.3g}"
    )
    sys.exit(1 if lower else 0)


if __name__ == "__main__":
    main()
