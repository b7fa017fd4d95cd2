//! Tie CSV ingestion: `read_ties` on a generated W1-shaped file (1,000,000 rows, 200 states),
//! in memory, on rayon's default pool (parallel chunks) and on a pool of one thread (the same
//! code, sequential), in the same run. Throughput is reported in rows per second.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use entente::dataset::ties_csv::read_ties;
use entente::generate::{self, Params};

fn bench(c: &mut Criterion) {
    let p = Params {
        states: 200,
        alliances: 20,
        events: 1_000_000,
        years: 10,
        seed: 1,
    };
    let ds = generate::dataset(&p);
    let mut csv = Vec::new();
    generate::write_ties_csv(&p, &mut csv).unwrap();
    let mut g = c.benchmark_group("read_ties_csv");
    g.sample_size(20);
    g.throughput(Throughput::Elements(p.events));
    g.bench_function("w1_1M_rows", |b| {
        b.iter(|| {
            let v = read_ties(&ds, &csv[..], "ties.csv").unwrap();
            assert_eq!(v.len() as u64, p.events);
            v
        })
    });
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    g.bench_function("w1_1M_rows_one_thread", |b| {
        b.iter(|| {
            let v = one.install(|| read_ties(&ds, &csv[..], "ties.csv").unwrap());
            assert_eq!(v.len() as u64, p.events);
            v
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
