//! The incremental sweep against the reference fold: the snapshots of a W1-shaped workload
//! (1,000,000 tie events, 200 states, 20 alliances, 10 years) at 120 monthly dates, and the sweep
//! alone on W2 (10,000,000 events, 250 states, 480 monthly dates). Throughput is in snapshots
//! (steps) per second.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use entente::date::{series_dates, Step};
use entente::generate::{self, Params};
use entente::model::Timeline;

fn bench(c: &mut Criterion) {
    let p = Params {
        states: 200,
        alliances: 20,
        events: 1_000_000,
        years: 10,
        seed: 1,
    };
    let ds = generate::dataset(&p);
    let tl = Timeline::with_ties(&ds, "dataset.json", generate::tie_events(&p), "ties.csv");
    assert!(tl.warnings().is_empty());
    let (from, to) = tl.date_span().unwrap();
    let dates = series_dates(from, to, Step::MONTH);
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
    let p = Params {
        states: 250,
        alliances: 40,
        events: 10_000_000,
        years: 40,
        seed: 2,
    };
    let ds = generate::dataset(&p);
    let tl = Timeline::with_ties(&ds, "dataset.json", generate::tie_events(&p), "ties.csv");
    let (from, to) = tl.date_span().unwrap();
    let dates = series_dates(from, to, Step::MONTH);
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
