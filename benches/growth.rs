//! Growth of the per-snapshot graph metrics from 200 to 1,600 states, and the weighted
//! clustering kernel against a blocked dense one (docs/performance.md, "Growth to 1,600 states").
//!
//! The snapshots are generated as in `metrics_snapshot` (the density of W1: 5,000 tie events per
//! state over 10 years, `alliances` = states / 10, the snapshot taken at the end). For each size:
//! - `graph_metrics/N`: every standard whole-graph metric of the snapshot (the series' default
//!   set, no alliance); the target is growth no worse than (ties ratio)^1.2 from 200 states;
//! - `blocs/N`, `balance/N`: the blocs (Louvain, with their modularity) and the triangle
//!   balance alone, the two other graph metrics whose cost grows faster than the ties;
//! - `clustering/N`: entente's `average_clustering` over all states;
//! - `clustering_dense_gemm/N`: the same number from a blocked dense kernel: the matrix C of the
//!   cube roots of the normalised positive weights, C·C by nalgebra's blocked matrix product
//!   (matrixmultiply's packed, cache-blocked, SIMD kernel, one thread like entente's), then
//!   diag(C³) = Σ_y C_xy (C·C)_xy. The target is entente within 2× of it from 800 states.
//!
//! The sizes and tie counts are printed to stderr; the two clustering values are checked to agree
//! to 1e-12 before timing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use entente::metrics::clustering::average_clustering;
use entente::metrics::{self, Selection, View};
use nalgebra::DMatrix;

/// Average weighted clustering over all `n` nodes of `v`, through one dense matrix product.
fn clustering_gemm(v: View<'_>) -> f64 {
    let n = v.n();
    let mut max_w = 0.0f64;
    let mut degree = vec![0usize; n];
    for (i, d) in degree.iter_mut().enumerate() {
        for (j, &w) in v.row(i).iter().enumerate() {
            if j != i && w > 0.0 {
                max_w = max_w.max(w);
                *d += 1;
            }
        }
    }
    if max_w == 0.0 {
        return 0.0;
    }
    let inv = 1.0 / max_w;
    let c = DMatrix::from_fn(n, n, |i, j| {
        let w = v.w(i, j);
        if i != j && w > 0.0 {
            (w * inv).cbrt()
        } else {
            0.0
        }
    });
    let c2 = &c * &c;
    let mut sum = 0.0;
    for (x, &k) in degree.iter().enumerate() {
        if k < 2 {
            continue;
        }
        let twice: f64 = c.column(x).dot(&c2.column(x));
        sum += twice / (k * (k - 1)) as f64;
    }
    sum / n as f64
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("growth");
    g.sample_size(10);
    let standard = Selection::standard();
    for n in [200usize, 400, 800, 1600] {
        let (_, snap) = common::dense_snapshot(n);
        let v = View::from(&snap);
        let all: Vec<usize> = (0..snap.n()).collect();
        let ours = average_clustering(v, &all).unwrap();
        let dense = clustering_gemm(v);
        assert!((ours - dense).abs() < 1e-12, "{ours} vs {dense}");
        let positive = snap.ties().filter(|t| t.2 > 0.0).count();
        eprintln!(
            "{n} states: {} present, {} ties, {positive} positive; clustering {ours:.6}",
            snap.n(),
            snap.ties().count()
        );
        g.bench_with_input(BenchmarkId::new("graph_metrics", n), &snap, |b, snap| {
            b.iter(|| metrics::compute_selected(snap, Some(&[]), &standard))
        });
        for key in ["blocs", "balance"] {
            let one = Selection::of(&[key]).unwrap();
            g.bench_with_input(BenchmarkId::new(key, n), &snap, |b, snap| {
                b.iter(|| metrics::compute_selected(snap, Some(&[]), &one))
            });
        }
        g.bench_with_input(BenchmarkId::new("clustering", n), &v, |b, v| {
            b.iter(|| average_clustering(*v, &all))
        });
        g.bench_with_input(BenchmarkId::new("clustering_dense_gemm", n), &v, |b, v| {
            b.iter(|| clustering_gemm(*v))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
