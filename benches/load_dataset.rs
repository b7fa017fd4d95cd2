//! Loading and validating a dataset JSON (`dataset::load_str`) and ordering its events into a
//! timeline, on generated datasets: W2-shaped (250 states, 40 alliances, 40 years) and a larger
//! one (2000 states, 400 alliances, 100 years).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use entente::dataset::{load_str, write::to_json_string};
use entente::generate::{self, Params};
use entente::model::Timeline;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("load_dataset");
    for (name, p) in [
        (
            "w2_250_states",
            Params {
                states: 250,
                alliances: 40,
                events: 0,
                years: 40,
                seed: 2,
            },
        ),
        (
            "2000_states",
            Params {
                states: 2000,
                alliances: 400,
                events: 0,
                years: 100,
                seed: 3,
            },
        ),
    ] {
        let json = to_json_string(&generate::dataset(&p));
        g.throughput(Throughput::Bytes(json.len() as u64));
        g.bench_function(format!("load_str/{name}"), |b| {
            b.iter(|| load_str(&json, "dataset.json").unwrap())
        });
        let ds = load_str(&json, "dataset.json").unwrap();
        g.bench_function(format!("timeline/{name}"), |b| {
            b.iter(|| Timeline::new(&ds, "dataset.json"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
