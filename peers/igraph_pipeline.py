#!/usr/bin/env python3
"""The igraph + numpy peer for docs/performance.md: what a researcher fluent in igraph would
write to get the per-date graph metrics of `entente metrics DATASET --ties TIES.csv`.

    python3 -m venv /tmp/igenv && /tmp/igenv/bin/pip install python-igraph numpy networkx
    entente metrics W/dataset.json --ties W/ties.csv --format json > entente.json
    /tmp/igenv/bin/python peers/igraph_pipeline.py W/dataset.json W/ties.csv --check entente.json
    /tmp/igenv/bin/python peers/igraph_pipeline.py W/dataset.json W/ties.csv --leiden 10

The tie weights per date are folded exactly as in peers/networkx_w1.py (its `load` and
`weights_at` are reused: numpy, vectorised). Per date it then computes, on the present states:
states, ties, positive, negative, density, mean tie (numpy); the average weighted clustering
coefficient of G+ in Onnela's definition, as entente and networkx compute it (numpy: the
diagonal of the cube of the cube-root matrix) -- igraph's own weighted
`transitivity_local_undirected(weights=...)` is Barrat's definition, a different number, so it
is not used; structural balance (signed triangles, from the traces of the sign matrix's cube);
the connected components of G+ (igraph); Louvain blocs with their modularity (igraph's
`community_multilevel`, one run), or with `--leiden K` the best modularity of K runs of
`community_leiden(objective_function="modularity")` seeded 0..K-1. Alliance metrics are not
computed (entente computes them too, so the peer does strictly less work).

With `--check`, the script first computes every date and compares with entente's JSON: every
value but the blocs must agree (counts exactly, reals within 1e-12), else it exits with status 1;
the modularity of igraph's partition is reported next to entente's (a different algorithm, so
not expected to be equal). Timings go to stderr. A benchmark peer, not part of the test suite.
"""
import argparse
import json
import os
import random
import sys
import time

import igraph as ig
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from networkx_w1 import add_months, check as check_rows, load, weights_at  # noqa: E402


def series_dates(states, events, ties):
    import datetime as dt

    dates = [e["date"] for e in events]
    first = min([dt.date.fromordinal(int(ties["day"][0]))] + [dt.date.fromisoformat(d) for d in dates])
    last = max([dt.date.fromordinal(int(ties["day"][-1]))] + [dt.date.fromisoformat(d) for d in dates])
    out, k = [], 0
    while add_months(first, k) <= last:
        out.append(add_months(first, k))
        k += 1
    return out


def metrics(w, leiden):
    """The graph metrics of one date; `w` is the strict upper triangle of the present states."""
    n = w.shape[0]
    pairs = n * (n - 1) // 2
    sym = w + w.T
    pos = np.where(sym > 0, sym, 0.0)
    positive = int((w > 0).sum())
    negative = int((w < 0).sum())
    row = {
        "states": n,
        "ties": positive + negative,
        "positive": positive,
        "negative": negative,
        "density": positive / pairs if pairs else None,
        "mean_tie": float(w.sum()) / pairs if pairs else None,
    }
    # Onnela clustering: c_i = sum_jk (w_ij w_jk w_ki)^(1/3) / (max w) / (k_i (k_i - 1)).
    if n:
        top = pos.max() if positive else 1.0
        c3 = np.cbrt(pos / top)
        tri = ((c3 @ c3) * c3).sum(axis=1)  # c3 is symmetric: (c3 c3)_ij c3_ji
        deg = (pos > 0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(deg > 1, tri / (deg * (deg - 1)), 0.0)
        row["clustering"] = float(c.mean())
    else:
        row["clustering"] = None
    # Balance: triangles with three ties, balanced when the product of the signs is positive.
    s = np.sign(sym)
    a = np.abs(s)
    t_all = np.trace(a @ a @ a) / 6
    t_sign = np.trace(s @ s @ s) / 6
    row["balance"] = None if t_all == 0 else float((t_all + t_sign) / 2 / t_all)
    ii, jj = np.nonzero(w > 0)
    g = ig.Graph(n=n, edges=list(zip(ii.tolist(), jj.tolist())))
    weights = w[ii, jj].tolist()
    row["components"] = len(g.connected_components())
    if positive == 0:
        row["modularity"] = None
    elif leiden:
        best = None
        for seed in range(leiden):
            random.seed(seed)
            ig.set_random_number_generator(random)
            p = g.community_leiden(objective_function="modularity", weights=weights, n_iterations=-1)
            q = g.modularity(p, weights=weights)
            best = q if best is None or q > best else best
        row["modularity"] = best
    else:
        p = g.community_multilevel(weights=weights)
        row["modularity"] = g.modularity(p, weights=weights)
    return row


def run(states, alliances, events, ties, dates, leiden):
    t_fold = t_metrics = 0.0
    rows = []
    for date in dates:
        a = time.perf_counter()
        _, w = weights_at(states, alliances, events, ties, date)
        b = time.perf_counter()
        rows.append(metrics(w, leiden))
        t_fold += b - a
        t_metrics += time.perf_counter() - b
    return rows, t_fold, t_metrics


def check(dates, rows, path):
    return check_rows([{"date": d.isoformat(), **r} for d, r in zip(dates, rows)], path, "igraph")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dataset")
    ap.add_argument("ties")
    ap.add_argument("--leiden", type=int, default=0, help="best of K Leiden runs instead of one multilevel run")
    ap.add_argument("--check", metavar="ENTENTE_JSON", help="compare every date with entente's series first")
    args = ap.parse_args()

    if args.check:
        ds, states, alliances, events, ties = load(args.dataset, args.ties)
        dates = series_dates(states, events, ties)
        rows, _, _ = run(states, alliances, events, ties, dates, args.leiden)
        if not check(dates, rows, args.check):
            sys.exit(1)

    t0 = time.perf_counter()
    c0 = time.process_time()
    ds, states, alliances, events, ties = load(args.dataset, args.ties)
    t_load = time.perf_counter() - t0
    dates = series_dates(states, events, ties)
    rows, t_fold, t_metrics = run(states, alliances, events, ties, dates, args.leiden)
    total = time.perf_counter() - t0
    json.dump([{"date": d.isoformat(), **r} for d, r in zip(dates, rows)], sys.stdout)
    print(
        f"igraph peer ({'leiden best of %d' % args.leiden if args.leiden else 'multilevel'}): "
        f"{len(ties['day'])} tie events, {len(states)} states, {len(dates)} dates; load {t_load:.2f} s, "
        f"fold {t_fold:.2f} s, metrics {t_metrics:.2f} s, total {total:.2f} s wall, "
        f"{time.process_time() - c0:.2f} s CPU",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
