//! The whole pipeline after loading: the incremental sweep and every metric at each date of a
//! monthly series (`metrics::series`), on the W1 workload (1,000,000 tie events, 200 states,
//! 20 alliances, 120 monthly dates). Throughput is in dates per second.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use entente::date::{series_dates, Step};
use entente::generate::{self, Params};
use entente::metrics;
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
    let (from, to) = tl.date_span().unwrap();
    let dates = series_dates(from, to, Step::MONTH);
    let mut g = c.benchmark_group("full_series");
    g.sample_size(10);
    g.throughput(Throughput::Elements(dates.len() as u64));
    g.bench_function("w1_120_monthly_all_metrics", |b| {
        b.iter(|| metrics::series(&ds, &tl, &dates, None))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
