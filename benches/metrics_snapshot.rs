//! All metrics of one snapshot (`metrics::compute`: every whole-graph metric and every
//! alliance's) as the number of states grows: 100, 200, 400, 800 states, with tie events scaled
//! so that the graphs have the density of W1 (5,000 events per state over 10 years; the snapshot
//! is taken at the end). The target is growth no worse than cubic: time(800)/time(100)
//! ≤ 512.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use entente::metrics;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("metrics_snapshot");
    g.sample_size(10);
    for n in [100usize, 200, 400, 800] {
        let (ds, snap) = common::dense_snapshot(n);
        let m = metrics::compute(&ds, &snap);
        eprintln!(
            "{n} states: {} present, {} positive ties (density {:.2}), {} alliances",
            m.graph.count("states").unwrap_or(0),
            m.graph.count("positive").unwrap_or(0),
            m.graph.number("density").unwrap_or(0.0),
            m.alliances.len()
        );
        g.bench_with_input(BenchmarkId::from_parameter(n), &snap, |b, snap| {
            b.iter(|| metrics::compute(&ds, snap))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
