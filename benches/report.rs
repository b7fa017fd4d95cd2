//! The main job's cost: `report::build` on the embedded CSTO dataset (every file of the report
//! made in memory, no disk), and its parts: the metrics series, the key-date search and one
//! chart of each kind rendered to PNG at the default size.
//!
//! `cargo bench --bench report`; figures in docs/charts.md.

use criterion::{criterion_group, criterion_main, Criterion};
use entente::date::{series_dates, Step};
use entente::plot::{self, Size};
use entente::report::{self, charts};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap_or_default();
    let tl = entente::model::Timeline::new(&ds, "csto.json");
    let opts = report::Options::default();
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("build_csto_default", |b| {
        b.iter(|| black_box(report::build(&ds, &tl, &opts, "csto").map(|r| r.files.len())))
    });
    let Some((from, to)) = tl.date_span() else {
        return;
    };
    let dates = series_dates(from, to, Step::MONTH);
    g.bench_function("metrics_series", |b| {
        b.iter(|| black_box(entente::metrics::series(&ds, &tl, &dates, None).len()))
    });
    g.bench_function("before_largest_change", |b| {
        b.iter(|| black_box(report::before_largest_change(&tl, &dates)))
    });
    let points = entente::metrics::series(&ds, &tl, &dates, None);
    let markers = charts::markers(&ds);
    let timeline = charts::timeline(&ds, &points, charts::charted_metrics()[0], None, &markers);
    g.bench_function("render_timeline_png", |b| {
        b.iter(|| black_box(plot::render_png(&timeline, Size::DEFAULT).map(|v| v.len())))
    });
    let snap = tl.snapshot(to);
    let m = entente::metrics::compute(&ds, &snap);
    let colors = charts::BlocColors::new(&m.graph.group_ids(&ds, "blocs").unwrap_or_default());
    let network = charts::network(&ds, &snap, &m.graph, &colors);
    g.bench_function("render_network_png", |b| {
        b.iter(|| black_box(plot::render_png(&network, Size::DEFAULT).map(|v| v.len())))
    });
    let heatmap = charts::heatmap(&ds, &snap, &m.graph, &colors);
    g.bench_function("render_heatmap_png", |b| {
        b.iter(|| black_box(plot::render_png(&heatmap, Size::DEFAULT).map(|v| v.len())))
    });
    g.bench_function("render_timeline_rgb_only", |b| {
        b.iter(|| black_box(plot::render_rgb(&timeline, Size::DEFAULT).map(|v| v.len())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
