#!/usr/bin/env python3
"""The peer for docs/performance.md: the usual Python pipeline, rebuilding a networkx graph for
every monthly window, doing the work of `entente metrics DATASET --ties TIES.csv`.

    python3 -m venv /tmp/nxenv && /tmp/nxenv/bin/pip install networkx numpy
    /tmp/nxenv/bin/python peers/networkx_w1.py W1/dataset.json W1/ties.csv            # density, clustering
    /tmp/nxenv/bin/python peers/networkx_w1.py W1/dataset.json W1/ties.csv --all      # + the other graph metrics
    /tmp/nxenv/bin/python peers/networkx_w1.py W1/dataset.json W1/ties.csv --check entente.json  # then compare

The work, per date of the series (first event date, then every month up to the last event date,
as `entente metrics` does by default):
1. the tie weights with entente's semantics (docs/dataset.md): every tie event dated on or before
   the date contributes delta * 2^(-age/half_life) (no decay without a half-life) unless its
   window (duration) has closed; alliance members add tie * f_i * f_j; the sum is clamped to
   [-1, 1] and |w| < 1e-9 is no tie. The fold over the events is vectorised with numpy (one pass
   over the arrays per date), so that the Python side is as fast as it reasonably gets;
2. a networkx Graph rebuilt from scratch with the present states as nodes and the positive ties
   as weighted edges (G+ of the metrics issue);
3. density (positive pairs / pairs) and networkx's average weighted clustering of G+;
4. with --all, the other whole-graph metrics: ties, positive, negative, mean_tie, balance
   (signed triangles), connected components of G+, and Louvain blocs (networkx, seed 0) with
   their modularity.

It assumes the input produces no timeline warnings (true of `entente generate` workloads: every
tie is between present states and every membership event is effective). It prints one CSV row
per date on stdout and the timings on stderr. It is a benchmark peer, not part of the test suite.
"""
import argparse
import calendar
import csv
import datetime as dt
import json
import sys
import time

import networkx as nx
import numpy as np


def add_months(d, k):
    m = d.month - 1 + k
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def load(dataset_path, ties_path):
    with open(dataset_path) as f:
        ds = json.load(f)
    states = [s["id"] for s in ds["states"]]
    index = {s: i for i, s in enumerate(states)}
    alliances = {a["id"]: float(a.get("tie", 1.0)) for a in ds.get("alliances", [])}
    events = sorted(enumerate(ds.get("events", [])), key=lambda ie: (ie[1]["date"], ie[0]))
    events = [e for _, e in events]
    days, a, b, delta, hl, dur = [], [], [], [], [], []
    with open(ties_path, newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            if not row:
                continue
            days.append(dt.date.fromisoformat(row[0]).toordinal())
            i, j = index[row[1]], index[row[2]]
            if i > j:
                i, j = j, i
            a.append(i)
            b.append(j)
            delta.append(float(row[3]))
            hl.append(float(row[4]) if row[4] else np.inf)
            dur.append(float(row[5]) if row[5] else np.inf)
    n = len(states)
    order = np.argsort(np.array(days, dtype=np.int64), kind="stable")
    ties = {
        "day": np.array(days, dtype=np.int64)[order],
        "pair": (np.array(a, dtype=np.int64) * n + np.array(b, dtype=np.int64))[order],
        "delta": np.array(delta)[order],
        "hl": np.array(hl)[order],
        "dur": np.array(dur)[order],
    }
    return ds, states, alliances, events, ties


def world_at(states, alliances, events, date):
    """Presence and memberships after every dataset event dated on or before `date`."""
    iso = date.isoformat()
    entering = {e["state"] for e in events if e["kind"] == "enter"}
    present = {s: s not in entering for s in states}
    tie = dict(alliances)
    member = {k: {} for k in alliances}  # alliance -> state -> factor
    for e in events:
        if e["date"] > iso:
            break
        k = e["kind"]
        if k == "enter":
            present[e["state"]] = True
        elif k == "exit":
            present[e["state"]] = False
        elif k in ("join", "resume"):
            member[e["alliance"]][e["state"]] = 1.0
        elif k == "leave":
            member[e["alliance"]].pop(e["state"], None)
        elif k == "suspend":
            member[e["alliance"]][e["state"]] = float(e.get("factor", 0.0))
        elif k == "dissolve":
            member[e["alliance"]].clear()
        elif k == "retie":
            tie[e["alliance"]] = float(e["tie"])
    return present, tie, member


def weights_at(states, alliances, events, ties, date):
    n = len(states)
    t = date.toordinal()
    k = int(np.searchsorted(ties["day"], t, side="right"))
    age = (t - ties["day"][:k]).astype(float)
    live = age < ties["dur"][:k]
    val = ties["delta"][:k] * np.exp2(-age / ties["hl"][:k])
    raw = np.bincount(ties["pair"][:k][live], weights=val[live], minlength=n * n)
    present, tie, member = world_at(states, alliances, events, date)
    index = {s: i for i, s in enumerate(states)}
    for al, mem in member.items():
        ms = sorted(mem, key=index.get)
        for x in range(len(ms)):
            for y in range(x + 1, len(ms)):
                raw[index[ms[x]] * n + index[ms[y]]] += tie[al] * mem[ms[x]] * mem[ms[y]]
    w = np.clip(raw.reshape(n, n), -1.0, 1.0)
    w[np.abs(w) < 1e-9] = 0.0
    keep = [i for i, s in enumerate(states) if present[s]]
    w = np.triu(w[np.ix_(keep, keep)], 1)
    return keep, w


def balance(w):
    """Share of triangles (three nonzero ties) whose sign product is positive."""
    n = w.shape[0]
    nbrs = [set(np.nonzero(w[i] + w[:, i])[0].tolist()) for i in range(n)]
    sym = w + w.T
    tri = bal = 0
    for i in range(n):
        for j in nbrs[i]:
            if j <= i:
                continue
            for k in nbrs[i] & nbrs[j]:
                if k <= j:
                    continue
                tri += 1
                if sym[i, j] * sym[j, k] * sym[i, k] > 0:
                    bal += 1
    return None if tri == 0 else bal / tri


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dataset")
    ap.add_argument("ties")
    ap.add_argument("--all", action="store_true", help="every graph metric, not only density and clustering")
    ap.add_argument("--skip", type=int, default=0, help="skip the first N dates of the series")
    ap.add_argument("--limit", type=int, default=0, help="then only N dates (0 = all)")
    ap.add_argument(
        "--check",
        metavar="ENTENTE_JSON",
        help="after the timed run, compare every value with entente's series (exit 1 on a disagreement)",
    )
    args = ap.parse_args()

    t0 = time.perf_counter()
    ds, states, alliances, events, ties = load(args.dataset, args.ties)
    t_load = time.perf_counter() - t0

    dates = [e["date"] for e in events]
    first = min([dt.date.fromordinal(int(ties["day"][0]))] + [dt.date.fromisoformat(d) for d in dates])
    last = max([dt.date.fromordinal(int(ties["day"][-1]))] + [dt.date.fromisoformat(d) for d in dates])
    series = []
    k = 0
    while add_months(first, k) <= last:
        series.append(add_months(first, k))
        k += 1
    series = series[args.skip :]
    if args.limit:
        series = series[: args.limit]

    out = csv.writer(sys.stdout, lineterminator="\n")
    head = ["date", "density", "clustering"]
    if args.all:
        head += ["states", "ties", "positive", "negative", "mean_tie", "balance", "components", "blocs", "modularity"]
    out.writerow(head)
    rows = []
    t_fold = t_graph = t_metrics = 0.0
    for date in series:
        a = time.perf_counter()
        keep, w = weights_at(states, alliances, events, ties, date)
        b = time.perf_counter()
        g = nx.Graph()
        g.add_nodes_from(keep)
        ii, jj = np.nonzero(w > 0)
        g.add_weighted_edges_from((keep[i], keep[j], float(w[i, j])) for i, j in zip(ii.tolist(), jj.tolist()))
        c = time.perf_counter()
        n = len(keep)
        pairs = n * (n - 1) // 2
        positive = g.number_of_edges()
        row = [date.isoformat(), positive / pairs if pairs else None, nx.average_clustering(g, weight="weight") if n else None]
        if args.all:
            negative = int((w < 0).sum())
            blocs = nx.community.louvain_communities(g, weight="weight", seed=0) if positive else None
            row += [
                n,
                positive + negative,
                positive,
                negative,
                float(w.sum()) / pairs if pairs else None,
                balance(w),
                nx.number_connected_components(g),
                len(blocs) if blocs else None,
                nx.community.modularity(g, blocs, weight="weight") if blocs else None,
            ]
        out.writerow(row)
        rows.append(dict(zip(head, row)))
        d = time.perf_counter()
        t_fold += b - a
        t_graph += c - b
        t_metrics += d - c
    total = time.perf_counter() - t0
    print(
        f"networkx peer: {len(ties['day'])} tie events, {len(states)} states, {len(series)} dates; "
        f"load {t_load:.2f} s, fold {t_fold:.2f} s, graph build {t_graph:.2f} s, metrics {t_metrics:.2f} s, "
        f"total {total:.2f} s",
        file=sys.stderr,
    )
    if args.check and not check(rows, args.check):
        sys.exit(1)


def check(rows, path, peer="networkx"):
    """Every value of the rows (dicts with a "date" in ISO form) against entente's
    `metrics --format json` series: counts exactly, reals within 1e-12; the blocs and their
    modularity are reported, not compared (the peer's community search is another search). Shared
    with peers/igraph_pipeline.py."""
    with open(path) as f:
        theirs = {s["date"]: s["graph"] for s in json.load(f)["series"]}
    bad = 0
    worst = {}
    dq = []
    for row in rows:
        date = row["date"]
        e = theirs.get(date)
        if e is None:
            print(f"{date}: not in entente's output", file=sys.stderr)
            bad += 1
            continue
        for k, v in row.items():
            if k == "date" or k == "blocs":
                continue
            x = e.get(k)
            if k == "modularity":
                if v is not None and x is not None:
                    dq.append(v - x)
                continue
            if v is None or x is None or isinstance(v, int):
                if v != x:
                    print(f"{date} {k}: {peer} {v}, entente {x}", file=sys.stderr)
                    bad += 1
                continue
            d = abs(v - x)
            worst[k] = max(worst.get(k, 0.0), d)
            if d > 1e-12:
                print(f"{date} {k}: {peer} {v!r}, entente {x!r}", file=sys.stderr)
                bad += 1
    print(
        f"check against entente: {len(rows)} dates, {bad} disagreements; largest real differences "
        + ", ".join(f"{k} {v:.1e}" for k, v in worst.items())
        + (
            f"; {peer} modularity - entente's: min {min(dq):+.4f}, mean {sum(dq) / len(dq):+.4f}, "
            f"max {max(dq):+.4f}"
            if dq
            else ""
        ),
        file=sys.stderr,
    )
    return bad == 0


if __name__ == "__main__":
    main()
