//! All metrics of one snapshot (`metrics::compute`: every whole-graph metric and every
//! alliance's) as the number of states grows: 100, 200, 400, 800 states, with tie events scaled
//! so that the graphs have the density of W1 (5,000 events per state over 10 years; the snapshot
//! is taken at the end). The target is growth no worse than cubic: time(800)/time(100)
//! ≤ 512.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use entente::generate::{self, Params};
use entente::metrics;
use entente::model::Timeline;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("metrics_snapshot");
    g.sample_size(10);
    for n in [100usize, 200, 400, 800] {
        let p = Params {
            states: n,
            alliances: n / 10,
            events: 5000 * n as u64,
            years: 10,
            seed: 4,
        };
        let ds = generate::dataset(&p);
        let tl = Timeline::with_ties(&ds, "dataset.json", generate::tie_events(&p), "ties.csv");
        let (_, last) = tl.date_span().unwrap();
        let snap = tl.snapshot(last);
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
