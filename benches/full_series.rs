//! The whole pipeline after loading: the incremental sweep and every metric at each date of a
//! monthly series (`metrics::series`), on W1 (1,000,000 tie events, 200 states, 20 alliances,
//! 120 monthly dates) and WL (500,000 30-day-window events, 200 states, 120 monthly dates, every
//! date's positive graph searched in full by Louvain); see `benches/common`. Throughput is in
//! dates per second.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use entente::metrics;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("full_series");
    g.sample_size(10);
    for (name, (ds, tl)) in [
        ("w1_120_monthly_all_metrics", common::build(&common::w1())),
        ("wl_120_monthly_all_metrics", common::build_wl()),
    ] {
        let dates = common::monthly(&tl);
        assert_eq!(dates.len(), 120);
        g.throughput(Throughput::Elements(dates.len() as u64));
        g.bench_function(name, |b| b.iter(|| metrics::series(&ds, &tl, &dates, None)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
