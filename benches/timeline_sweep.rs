//! The incremental sweep against the reference fold: the snapshots of a W1-shaped workload
//! (1,000,000 tie events, 200 states, 20 alliances, 10 years) at 120 monthly dates, and the sweep
//! alone on W2 (10,000,000 events, 250 states, 480 monthly dates). Throughput is in snapshots
//! (steps) per second.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let (_ds, tl) = common::build(&common::w1());
    assert!(tl.warnings().is_empty());
    let dates = common::monthly(&tl);
    assert_eq!(dates.len(), 120);
    let mut g = c.benchmark_group("timeline_sweep");
    g.sample_size(10);
    g.throughput(Throughput::Elements(dates.len() as u64));
    g.bench_function("sweep_w1_120_monthly", |b| {
        b.iter(|| tl.sweep(&dates).map(|s| s.weights.len()).sum::<usize>())
    });
    g.bench_function("naive_w1_120_monthly", |b| {
        b.iter(|| {
            dates
                .iter()
                .map(|&d| tl.snapshot(d).weights.len())
                .sum::<usize>()
        })
    });
    g.finish();
    drop(tl);

    // W2: 10,000,000 events, 250 states, 40 alliances, 40 years, 480 monthly dates (the fold
    // would take minutes per sample here: it is measured on W1 only).
    let (_ds, tl) = common::build(&common::w2());
    let dates = common::monthly(&tl);
    assert_eq!(dates.len(), 480);
    let mut g = c.benchmark_group("timeline_sweep");
    g.sample_size(10);
    g.throughput(Throughput::Elements(dates.len() as u64));
    g.bench_function("sweep_w2_480_monthly", |b| {
        b.iter(|| tl.sweep(&dates).map(|s| s.weights.len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
