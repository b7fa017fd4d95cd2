#!/usr/bin/env python3
"""The temporal-graph-engine peer for docs/performance.md: Raphtory on W1's tie CSV.

    python3 -m venv /tmp/nxenv && /tmp/nxenv/bin/pip install raphtory pandas
    /tmp/nxenv/bin/python peers/raphtory_w1.py W1/ties.csv

The work: load every tie event as a temporal edge (time = the event's date, property `delta`),
then for each of the monthly dates of W1's series (the first event's date, then every month up
to the last event's date, as `entente metrics` does) take the view of everything up to that date
(`before`) and compute the density (edges / pairs) and the average local clustering coefficient
over the nodes. Raphtory's clustering is unweighted and its views know no decay, windows or
alliances: it does strictly less than entente (which computes weighted clustering over the
decayed, windowed, clamped weights, and every other metric), so the comparison flatters it.
It prints one CSV row per date on stdout and the timings on stderr. Not part of the test suite.
"""
import sys
import time
import datetime as dt

import pandas as pd
from raphtory import Graph
import raphtory.algorithms as algo


def add_months(d, k):
    import calendar
    y = d.year + (d.month - 1 + k) // 12
    m = (d.month - 1 + k) % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def main():
    t0 = time.perf_counter()
    df = pd.read_csv(sys.argv[1], usecols=["date", "a", "b", "delta"])
    df["time"] = pd.to_datetime(df["date"]).astype("int64") // 1_000_000  # epoch milliseconds
    g = Graph()
    g.load_edges(df, time="time", src="a", dst="b", properties=["delta"])
    t1 = time.perf_counter()
    first = dt.date.fromisoformat(df["date"].min())
    last = dt.date.fromisoformat(df["date"].max())
    dates = []
    k = 0
    while (d := add_months(first, k)) <= last:
        dates.append(d)
        k += 1
    print("date,density,clustering")
    for d in dates:
        end = int(dt.datetime(d.year, d.month, d.day).timestamp() * 1000) + 86_400_000  # include the day
        v = g.before(end)
        n = v.count_nodes()
        e = v.count_edges()
        dens = e / (n * (n - 1) / 2) if n > 1 else float("nan")
        lcc = algo.local_clustering_coefficient_batch(v)
        vals = [x["lcc"] for x in lcc.values()]
        clust = sum(vals) / len(vals) if vals else float("nan")
        print(f"{d},{dens},{clust}")
    t2 = time.perf_counter()
    print(f"raphtory peer: {len(df)} events, {len(dates)} dates; load {t1 - t0:.2f} s, "
          f"windows {t2 - t1:.2f} s, total {t2 - t0:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
