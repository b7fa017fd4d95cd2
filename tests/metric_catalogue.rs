//! The metric catalogue is the one list of metrics: docs/metrics.md's summary table is made from
//! it (rewrite it with `UPDATE_GOLDEN=1 cargo test --test metric_catalogue`), every metric has a
//! definition row in the docs, the JSON and CSV outputs carry exactly the catalogue's metrics in
//! its order, and a subset selection computes only what was asked for (and what it needs) with
//! the same values as the full computation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use entente::format::metrics::{metrics_out, snapshot_metrics_out, write_csv, write_json};
use entente::metrics::catalogue::{self, Kind, Scope, Selection, CATALOGUE};
use entente::metrics::{
    compute, compute_selected, series, series_selected, series_streamed, SeriesPoint, Value,
};
use entente::{dataset, date, model};

const DOCS: &str = "docs/metrics.md";
const BEGIN: &str =
    "<!-- catalogue: begin (generated from src/metrics/catalogue.rs; do not edit) -->\n";
const END: &str = "<!-- catalogue: end -->";

fn csto() -> (dataset::Dataset, model::Timeline) {
    let ds = dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
    let tl = model::Timeline::new(&ds, "csto.json");
    (ds, tl)
}

#[test]
fn docs_summary_table_is_the_catalogue() {
    let text = std::fs::read_to_string(DOCS).unwrap();
    let (Some(a), Some(b)) = (text.find(BEGIN), text.find(END)) else {
        panic!("{DOCS}: the catalogue markers are missing");
    };
    let table = catalogue::markdown_table();
    let current = &text[a + BEGIN.len()..b];
    if std::env::var_os("UPDATE_GOLDEN").is_some() && current != table {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "UPDATE_GOLDEN is set under CI=true: {DOCS} is never rewritten by CI"
        );
        let new = format!("{}{BEGIN}{table}{}", &text[..a], &text[b..]);
        std::fs::write(DOCS, new).unwrap();
        return;
    }
    assert_eq!(
        current, table,
        "{DOCS}: the summary table is out of date; run UPDATE_GOLDEN=1 cargo test --test metric_catalogue"
    );
}

#[test]
fn every_metric_has_a_definition_row_and_every_row_a_metric() {
    let text = std::fs::read_to_string(DOCS).unwrap();
    // Everything but the generated summary.
    let defs = format!(
        "{}{}",
        &text[..text.find(BEGIN).unwrap()],
        &text[text.find(END).unwrap()..]
    );
    // Keys of the definition tables: the backticked names in a row's first cell.
    let mut documented: Vec<&str> = Vec::new();
    for line in defs.lines().filter(|l| l.starts_with("| `")) {
        let cell = line[1..].split(" | ").next().unwrap();
        documented.extend(cell.split('`').skip(1).step_by(2));
    }
    for m in CATALOGUE {
        assert!(
            documented.contains(&m.key),
            "{DOCS} defines no `{}` (add a row to its definition tables)",
            m.key
        );
    }
    for k in documented {
        assert!(
            CATALOGUE.iter().any(|m| m.key == k),
            "{DOCS} defines `{k}`, which is not in the catalogue"
        );
    }
}

/// The positions of `"key":` in `json`, for the given keys, must increase.
fn assert_key_order(json: &str, keys: &[&str]) {
    let mut last = 0;
    for k in keys {
        let at = json[last..]
            .find(&format!("\"{k}\":"))
            .unwrap_or_else(|| panic!("no {k:?} after byte {last} in {json}"));
        last += at + 1;
    }
}

#[test]
fn json_and_csv_carry_the_catalogue_in_order() {
    let (ds, tl) = csto();
    let d = date::parse_date("2024-02-26").unwrap();
    let snap = tl.snapshot(d);
    let m = compute(&ds, &snap);
    let out = snapshot_metrics_out(&ds, &m);
    let graph = serde_json::to_string(&out.graph).unwrap();
    let graph_keys: Vec<&str> = catalogue::of_scope(Scope::Graph).map(|m| m.key).collect();
    assert_key_order(&graph, &graph_keys);
    assert_eq!(graph.matches("\":").count(), graph_keys.len(), "{graph}");
    let alliance_keys: Vec<&str> = catalogue::of_scope(Scope::Alliance)
        .chain(catalogue::of_scope(Scope::State))
        .map(|m| m.key)
        .collect();
    let csto = m.alliance(ds.alliance_index("CSTO").unwrap()).unwrap();
    let one = serde_json::to_string(&entente::format::metrics::ValuesOut {
        ds: &ds,
        values: csto,
    })
    .unwrap();
    assert_key_order(&one, &alliance_keys);
    // Member values are written by id, in dataset order.
    let (first, _) = csto.per_state("alignment").unwrap()[0];
    let expect = format!("\"alignment\":{{\"{}\":", ds.states[first].id);
    assert!(one.contains(&expect), "{one}");

    let points = series_selected(&tl, &[d], None, &Selection::all(), &|_| {});
    let mut csv = Vec::new();
    write_csv(&ds, &points, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let graph_rows: Vec<&str> = rows
        .iter()
        .filter(|f| f[1].is_empty() && f[2].is_empty())
        .map(|f| f[3])
        .collect();
    // Every graph metric, in catalogue order: groups (`blocs`) as in the table, flags as 1/0.
    let graph_keys: Vec<&str> = catalogue::of_scope(Scope::Graph)
        .filter(|m| m.kind != Kind::PerState)
        .map(|m| m.key)
        .collect();
    assert_eq!(graph_rows, graph_keys);
    // Counts and groups are integers in the CSV; flags are 1 or 0.
    for m in CATALOGUE.iter() {
        for f in rows.iter().filter(|f| f[3] == m.key) {
            match m.kind {
                Kind::Count | Kind::Groups => {
                    assert!(f[4].is_empty() || f[4].parse::<u64>().is_ok(), "{f:?}")
                }
                Kind::Flag => assert!(f[4] == "1" || f[4] == "0", "{f:?}"),
                _ => {}
            }
        }
    }
    // `blocs` is the number of groups, as the table shows it.
    let blocs = m.graph.groups("blocs").unwrap().len().to_string();
    assert!(
        rows.iter().any(|f| f[3] == "blocs" && f[4] == blocs),
        "{csv}"
    );
}

#[test]
fn a_subset_computes_only_what_was_asked_with_the_same_values() {
    let (ds, tl) = csto();
    let snap = tl.snapshot(date::parse_date("2022-01-15").unwrap());
    let all = compute(&ds, &snap);

    let sel = Selection::of(&["modularity", "density"]).unwrap();
    let some = compute_selected(&snap, None, &sel);
    let keys: Vec<&str> = some.graph.entries().map(|(m, _)| m.key).collect();
    assert_eq!(keys, vec!["density", "modularity"]);
    assert_eq!(some.graph.get("modularity"), all.graph.get("modularity"));
    assert_eq!(some.graph.get("density"), all.graph.get("density"));
    assert_eq!(some.graph.get("blocs"), None, "blocs were not asked for");
    assert_eq!(some.alliances.len(), all.alliances.len());
    for ((a, s), (b, f)) in some.alliances.iter().zip(&all.alliances) {
        assert_eq!(a, b);
        let keys: Vec<&str> = s.entries().map(|(m, _)| m.key).collect();
        assert_eq!(keys, vec!["density"]);
        assert_eq!(s.get("density"), f.get("density"));
    }

    // A graph-only selection computes no alliance at all.
    let graph_only = compute_selected(&snap, None, &Selection::of(&["states"]).unwrap());
    assert!(graph_only.alliances.is_empty());
    assert_eq!(
        graph_only.graph.get("states"),
        Some(&Value::Count(snap.n()))
    );

    // A series of a subset equals the full series restricted to it.
    let dates: Vec<_> = ["2020-01-01", "2021-06-30", "2023-01-01"]
        .iter()
        .map(|d| date::parse_date(d).unwrap())
        .collect();
    let sel = Selection::of(&["alignment"]).unwrap();
    let full = series(&ds, &tl, &dates, None);
    let part = series_selected(&tl, &dates, None, &sel, &|_| {});
    assert_eq!(full.len(), part.len());
    for (f, p) in full.iter().zip(&part) {
        assert_eq!(p.metrics.graph.entries().count(), 0);
        for ((a, fv), (b, pv)) in f.metrics.alliances.iter().zip(&p.metrics.alliances) {
            assert_eq!(a, b);
            assert_eq!(pv.get("alignment"), fv.get("alignment"));
            assert_eq!(pv.entries().count(), 1);
        }
    }
}

/// `metrics` writes its JSON and CSV while the later dates are still computed: the points
/// handed out, and the bytes written from them, are those of the collected series, the quiet
/// dates (whose metrics are copied from the date before) included; a consumer that stops early
/// gets the first points and no more work is waited for.
#[test]
fn streamed_series_is_the_collected_series() {
    let (ds, tl) = csto();
    let (from, to) = (
        date::parse_date("1990-01-01").unwrap(),
        date::parse_date("2024-12-31").unwrap(),
    );
    let step = date::Step::parse("1m").unwrap();
    let dates = date::series_dates(from, to, step);
    let sel = Selection::all();
    let collected = series_selected(&tl, &dates, None, &sel, &|_| {});
    assert_eq!(collected.len(), dates.len());
    // Quiet months: equal snapshots, whose metrics the series copies.
    assert!(collected.windows(2).any(|p| p[0].metrics == p[1].metrics));
    let streamed: Vec<SeriesPoint> =
        series_streamed(&tl, &dates, None, &sel, &|_| {}, |points| points.collect());
    assert_eq!(streamed, collected);

    let mut json = Vec::new();
    series_streamed(&tl, &dates, None, &sel, &|_| {}, |points| {
        write_json(&ds, (from, to, step), points, &mut json)
    })
    .unwrap();
    let whole = entente::format::to_json(&metrics_out(&ds, from, to, step, &collected));
    assert_eq!(String::from_utf8(json).unwrap(), whole);

    let mut csv = Vec::new();
    series_streamed(&tl, &dates, None, &sel, &|_| {}, |points| {
        write_csv(&ds, points, &mut csv)
    })
    .unwrap();
    let mut csv_whole = Vec::new();
    write_csv(&ds, &collected, &mut csv_whole).unwrap();
    assert_eq!(csv, csv_whole);

    let first: Vec<SeriesPoint> = series_streamed(&tl, &dates, None, &sel, &|_| {}, |points| {
        points.take(3).collect()
    });
    assert_eq!(first, collected[..3]);

    // No dates: an empty series, written as the collected one is.
    let mut empty = Vec::new();
    series_streamed(&tl, &[], None, &sel, &|_| {}, |points| {
        write_json(&ds, (from, to, step), points, &mut empty)
    })
    .unwrap();
    let whole = entente::format::to_json(&metrics_out(&ds, from, to, step, &[]));
    assert_eq!(String::from_utf8(empty).unwrap(), whole);
}

#[test]
fn unknown_metric_is_refused_by_name() {
    let e = Selection::of(&["frobnication"]).unwrap_err();
    assert!(e.contains("\"frobnication\""), "{e}");
    for k in catalogue::keys() {
        assert!(e.contains(k), "{e} does not list {k}");
    }
}
