//! The signed-network metrics (docs/metrics.md and docs/performance.md) on real and generated snapshots:
//! frustration on every distinct yearly CSTO snapshot (exact; under 50 ms each is the target),
//! on random dense signed graphs (mostly positive, and mixed signs, where branch and bound is
//! hardest), and on a 200-state W1-like snapshot (exact, and the heuristic path); the triad
//! census and signed blocs on the CSTO and W1-like snapshots, with the positive-only Louvain
//! beside them as the peer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Datelike, NaiveDate};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use entente::base::Rng;
use entente::generate::{self, Params};
use entente::metrics::{frustration, louvain, signed_modularity, triads, View};
use entente::model::{Snapshot, Timeline};
use std::time::Instant;

/// The CSTO snapshots on 1 January of each year of the dataset's span (distinct ones only).
fn csto_snapshots() -> Vec<Snapshot> {
    let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
    let tl = Timeline::new(&ds, "csto.json");
    let (first, last) = tl.date_span().unwrap();
    let dates: Vec<NaiveDate> = (first.year()..=last.year())
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .chain([last])
        .collect();
    let mut out: Vec<Snapshot> = Vec::new();
    for snap in tl.sweep(&dates) {
        if out.last().is_some_and(|p| p.weights == snap.weights) {
            continue;
        }
        out.push(snap);
    }
    out
}

/// A dense random signed graph: every pair tied, uniform in [low, low + 2).
fn random_dense(n: usize, seed: u64, low: f64) -> Vec<f64> {
    let mut r = Rng::new(seed, 7);
    let mut w = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let x = r.unit() * 2.0 + low;
            w[i * n + j] = x;
            w[j * n + i] = x;
        }
    }
    w
}

/// The metrics timed on whole snapshots, with the positive-only Louvain as the peer.
#[allow(clippy::type_complexity)]
fn peers() -> Vec<(&'static str, fn(View<'_>, &[usize]))> {
    vec![
        ("triads", |v, m| {
            triads::triads(v, m);
        }),
        ("signed_blocs", |v, m| {
            signed_modularity::signed_blocs(v, m);
        }),
        ("louvain_peer", |v, m| {
            louvain::louvain(v, m);
        }),
    ]
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("signed_metrics");
    g.sample_size(10);
    let snaps = csto_snapshots();
    // One timing per snapshot, to name the slowest (the criterion figure below is the total).
    let mut worst = (0.0f64, String::new());
    for s in &snaps {
        let all: Vec<usize> = (0..s.n()).collect();
        let t = Instant::now();
        let f = frustration::frustration(View::from(s), &all);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        assert!(f.exact);
        if ms > worst.0 {
            worst = (ms, format!("{} ({} states)", s.date, s.n()));
        }
    }
    eprintln!(
        "CSTO: {} distinct yearly snapshots, all exact; slowest single run {:.2} ms on {}",
        snaps.len(),
        worst.0,
        worst.1
    );
    g.bench_function("frustration/csto_all_years", |b| {
        b.iter(|| {
            for s in &snaps {
                let all: Vec<usize> = (0..s.n()).collect();
                frustration::frustration(View::from(s), &all);
            }
        })
    });
    let last = snaps.last().unwrap();
    let all: Vec<usize> = (0..last.n()).collect();
    for (name, run) in peers() {
        g.bench_function(format!("{name}/csto_latest"), |b| {
            b.iter(|| run(View::from(last), &all))
        });
    }
    for n in [24usize, 32, 45] {
        let w = random_dense(n, 11, -0.6);
        let all: Vec<usize> = (0..n).collect();
        let f = frustration::frustration(View::new(n, &w), &all);
        eprintln!("random dense mostly positive {n}: exact {}", f.exact);
        g.bench_with_input(
            BenchmarkId::new("frustration/random_dense", n),
            &w,
            |b, w| b.iter(|| frustration::frustration(View::new(n, w), &all)),
        );
    }
    // Mixed signs: the hard case. One timed run each beyond the criterion sizes, to find where
    // the exact search gives up (its node budget) for the heuristic.
    for n in [16usize, 24, 32, 40, 48, 56, 64] {
        let w = random_dense(n, 13, -1.0);
        let all: Vec<usize> = (0..n).collect();
        let t = Instant::now();
        let f = frustration::frustration(View::new(n, &w), &all);
        eprintln!(
            "random dense mixed {n}: exact {}, one run {:.1} ms, L {:.4}, bound {:.4}",
            f.exact,
            t.elapsed().as_secs_f64() * 1e3,
            f.frustration,
            f.bound
        );
        if n <= 32 {
            g.bench_with_input(
                BenchmarkId::new("frustration/random_mixed", n),
                &w,
                |b, w| b.iter(|| frustration::frustration(View::new(n, w), &all)),
            );
        }
    }
    let p = Params {
        states: 200,
        alliances: 20,
        events: 1_000_000,
        years: 10,
        seed: 4,
    };
    let ds = generate::dataset(&p);
    let tl = Timeline::with_ties(&ds, "dataset.json", generate::tie_events(&p), "ties.csv");
    let (_, last) = tl.date_span().unwrap();
    let snap = tl.snapshot(last);
    let all: Vec<usize> = (0..snap.n()).collect();
    let f = frustration::frustration(View::from(&snap), &all);
    eprintln!(
        "W1-like {} states: exact {}, L = {:.4}, bound {:.4}",
        snap.n(),
        f.exact,
        f.frustration,
        f.bound
    );
    g.bench_function("frustration/w1_200", |b| {
        b.iter(|| frustration::frustration(View::from(&snap), &all))
    });
    let h = frustration::frustration_with_limit(View::from(&snap), &all, 0);
    eprintln!(
        "W1-like heuristic path: L = {:.4}, bound {:.4}",
        h.frustration, h.bound
    );
    g.bench_function("frustration_heuristic/w1_200", |b| {
        b.iter(|| frustration::frustration_with_limit(View::from(&snap), &all, 0))
    });
    for (name, run) in peers() {
        g.bench_function(format!("{name}/w1_200"), |b| {
            b.iter(|| run(View::from(&snap), &all))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
