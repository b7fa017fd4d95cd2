//! What the report says, checked against the data rather than its layout: its `metrics.json` and
//! `metrics.csv` are what `entente metrics` prints for the same range and step; the "Latest
//! metrics" tables hold the last date's values; every noted event inside the window is in the
//! charts' event key (and none outside it); the key dates follow the documented rule (the dates
//! before and after the focal alliance's largest change in cohesion) on `tests/data/charts.json`,
//! whose cohesion is known by hand (X's mean tie 0.2, 0.1 while B is suspended, 0.8 after the
//! retie on 2021-01-01; Y's constant).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;
use serde_json::Value;
use std::path::Path;

const CHARTS: &str = "tests/data/charts.json";
const NOTED: &str = "tests/data/report-events.json";

fn report(dir: &Path, dataset: &str, extra: &[&str]) {
    let mut args = vec!["report", dataset, "--out", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::ok(&format!("{args:?}"), entente().args(&args));
}

fn metrics(dataset: &str, format: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec!["metrics", dataset, "--format", format];
    args.extend_from_slice(extra);
    let o = entente().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

#[test]
fn metrics_files_equal_the_metrics_command() {
    // The default range and a range the steps land on: the files are what `entente metrics`
    // prints.
    for range in [
        &[][..],
        &["--from", "2020-03-01", "--to", "2021-09-01", "--step", "2m"][..],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut args = range.to_vec();
        args.extend(["--svg", "--size", "400x320"]);
        report(dir.path(), CHARTS, &args);
        let json = std::fs::read(dir.path().join("metrics.json")).unwrap();
        let csv = std::fs::read(dir.path().join("metrics.csv")).unwrap();
        assert!(
            json == metrics(CHARTS, "json", range),
            "{range:?}: metrics.json differs from `entente metrics`"
        );
        assert!(
            csv == metrics(CHARTS, "csv", range),
            "{range:?}: metrics.csv differs from `entente metrics --format csv`"
        );
    }
    // A range the steps do not land on (the last weekly date is 2021-01-26): the report's
    // series also holds the requested end, 2021-02-01, so that the last date is in every chart;
    // the rows before it are `entente metrics`'s.
    let range = ["--step", "1w", "--from", "2020-12-01", "--to", "2021-02-01"];
    let dir = tempfile::tempdir().unwrap();
    let mut args = range.to_vec();
    args.extend(["--svg", "--size", "400x320"]);
    report(dir.path(), CHARTS, &args);
    let csv = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
    let cli = String::from_utf8(metrics(CHARTS, "csv", &range)).unwrap();
    let extra = csv
        .strip_prefix(cli.as_str())
        .expect("the metrics rows come first");
    assert!(!extra.is_empty());
    assert!(
        extra.lines().all(|l| l.starts_with("2021-02-01,")),
        "{extra}"
    );
    let json = std::fs::read_to_string(dir.path().join("metrics.json")).unwrap();
    assert!(json.contains("\"to\": \"2021-02-01\""));
    assert!(json.contains("\"date\": \"2021-02-01\""));
}

/// The rows of the HTML table whose caption starts with `caption`: header cell, then data cells.
fn table(html: &str, caption: &str) -> Vec<(String, Vec<String>)> {
    let start = html
        .find(&format!("<caption>{caption}"))
        .unwrap_or_else(|| panic!("no table {caption:?}"));
    let body = &html[start..];
    let body = &body[body.find("<tbody>").unwrap()..body.find("</tbody>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let head = row
                .split("<th scope=\"row\">")
                .nth(1)
                .and_then(|s| s.split("</th>").next())
                .unwrap()
                .to_string();
            let cells = row
                .split("<td>")
                .skip(1)
                .map(|c| c.split("</td>").next().unwrap().to_string())
                .collect();
            (head, cells)
        })
        .collect()
}

/// How the report prints a value: integers as they are, fractions to three decimals, `–` for none.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "–".into(),
        Value::Number(n) if n.is_u64() || n.is_i64() => n.to_string(),
        Value::Number(n) => format!("{:.3}", n.as_f64().unwrap()),
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn latest_metrics_tables_hold_the_last_dates_values() {
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        CHARTS,
        &[
            "--from",
            "2020-01-01",
            "--to",
            "2021-08-01",
            "--svg",
            "--size",
            "400x320",
        ],
    );
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("metrics.json")).unwrap()).unwrap();
    let last = json["series"].as_array().unwrap().last().unwrap();
    assert_eq!(last["date"], "2021-08-01");

    let graph = table(&html, "Whole graph on 2021-08-01");
    assert!(graph.len() >= 5, "{graph:?}");
    for (metric, cells) in &graph {
        assert_eq!(cells.len(), 1);
        assert_eq!(
            cells[0],
            shown(&last["graph"][metric.as_str()]),
            "whole graph {metric}"
        );
    }

    let head_start = html.find("<caption>Alliances on 2021-08-01").unwrap();
    let head = &html[head_start..];
    let head = &head[head.find("<thead>").unwrap()..head.find("</thead>").unwrap()];
    let columns: Vec<&str> = head
        .split("<th scope=\"col\">")
        .skip(2) // the "alliance" column
        .map(|c| c.split("</th>").next().unwrap())
        .collect();
    let rows = table(&html, "Alliances on 2021-08-01");
    assert_eq!(
        rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["X", "Y"]
    );
    for (alliance, cells) in &rows {
        assert_eq!(cells.len(), columns.len());
        for (col, cell) in columns.iter().zip(cells) {
            assert_eq!(
                *cell,
                shown(&last["alliances"][alliance.as_str()][*col]),
                "{alliance} {col}"
            );
        }
    }
    // The values are the known ones: X at 0.8 after its retie, Y at 0.6.
    assert_eq!(
        rows[0].1[columns.iter().position(|c| *c == "mean_tie").unwrap()],
        "0.800"
    );
    assert_eq!(
        rows[1].1[columns.iter().position(|c| *c == "mean_tie").unwrap()],
        "0.600"
    );
}

#[test]
fn every_noted_event_in_the_window_is_in_the_event_key() {
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        NOTED,
        &[
            "--from",
            "2020-03-01",
            "--to",
            "2021-12-01",
            "--svg",
            "--size",
            "1200x800",
        ],
    );
    let svg = std::fs::read_to_string(dir.path().join("timeline-mean_tie.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().replace("&apos;", "'"))
        .collect();
    let all = texts.join("\n");
    for inside in [
        "B steps back from X",
        "X tightens its ranks",
        "A quarrel that fades",
    ] {
        assert!(
            all.contains(inside),
            "{inside:?} is in the window but not in the key:\n{all}"
        );
    }
    for outside in ["X is founded", "A and C fall out"] {
        assert!(
            !all.contains(outside),
            "{outside:?} is outside the window but in the key"
        );
    }
    // The events table numbers the noted events by date, as the key does.
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let start = html.find("Events and sources</h2>").unwrap();
    let numbered: Vec<(String, String)> = html[start..]
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .filter_map(|r| {
            let (n, rest) = r.split_once("</th>")?;
            (!n.is_empty()).then(|| {
                // The second cell (text cells carry a class: `<td class="t">`).
                let date = rest.split("<td").nth(1).unwrap();
                let date = date.split_once('>').unwrap().1;
                (
                    n.to_string(),
                    date.split("</td>").next().unwrap().to_string(),
                )
            })
        })
        .collect();
    let dates: Vec<(&str, &str)> = numbered
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_str()))
        .collect();
    assert_eq!(
        dates,
        [
            ("1", "2020-01-01"),
            ("2", "2020-07-01"),
            ("3", "2021-01-01"),
            ("4", "2021-06-01"),
            ("5", "2022-01-01"),
        ]
    );
    // The key's numbers are the table's: 2, 3 and 4 are drawn, 1 and 5 are not.
    for (n, note) in [
        ("2", "B steps back from X"),
        ("3", "X tightens its ranks"),
        ("4", "A quarrel that fades"),
    ] {
        assert!(
            texts.iter().any(|t| t.starts_with(n) && t.contains(note))
                || texts.windows(2).any(|w| w[0] == n && w[1].contains(note)),
            "key entry {n} {note:?} not found in {texts:?}"
        );
    }
}

#[test]
fn key_dates_follow_the_largest_change_rule() {
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), CHARTS, &["--size", "400x320"]);
    let mut charts: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("network-") || n.starts_with("heatmap-"))
        .collect();
    charts.sort();
    // Monthly steps: X's cohesion changes most, from 0.1 (B suspended, last on 2020-09-01) to
    // 0.8 (the retie, 2021-01-01): those are the key dates, with the change heatmap between
    // them; the last date (2022-01-01) is always drawn; a second change heatmap spans the series.
    assert_eq!(
        charts,
        [
            "heatmap-2020-09-01.png",
            "heatmap-2021-01-01.png",
            "heatmap-2022-01-01.png",
            "heatmap-change-2020-01-01-2022-01-01.png",
            "heatmap-change-2020-09-01-2021-01-01.png",
            "network-2020-09-01.png",
            "network-2021-01-01.png",
            "network-2022-01-01.png",
        ]
    );
    // On a window that ends before the retie, X's largest change is B's suspension (0.2 → 0.1,
    // from 2020-06-01 to 2020-07-01; the resume on 2020-10-01 is the same size but comes later).
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        CHARTS,
        &["--to", "2020-12-01", "--size", "400x320"],
    );
    assert!(dir.path().join("network-2020-06-01.png").exists());
    assert!(dir.path().join("heatmap-2020-06-01.png").exists());
    // --at replaces the rule.
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        CHARTS,
        &["--at", "2021-03-01", "--size", "400x320"],
    );
    assert!(dir.path().join("network-2021-03-01.png").exists());
    assert!(!dir.path().join("network-2020-12-01.png").exists());
}

/// The report chooses its metrics as `entente metrics` does: those that cannot apply to the
/// data are left out of metrics.json and metrics.csv, and the page says which and why; with tie
/// CSVs (behaviour layers) hollowness applies and is kept.
#[test]
fn metrics_that_cannot_apply_are_left_out_and_the_page_says_so() {
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), CHARTS, &["--svg", "--size", "400x320"]);
    let csv = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
    let json = std::fs::read_to_string(dir.path().join("metrics.json")).unwrap();
    for key in ["hollowness", "reliability"] {
        assert!(
            !csv.contains(key) && !json.contains(key),
            "{key} in the files"
        );
    }
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        html.contains(
            "metrics.csv and metrics.json; left out as they cannot apply to this data: \
             hollowness, member_hollowness (no treaty/behaviour split: give --behaviour); \
             reliability (no call for help is answered in the dataset)."
        ),
        "no note on the left-out metrics"
    );
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        "tests/data/layers/three.json",
        &[
            "--ties",
            "tests/data/layers/votes.csv",
            "--svg",
            "--draws",
            "0",
        ],
    );
    let csv = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
    assert!(csv.contains(",hollowness,") && csv.contains(",member_hollowness,"));
    assert!(!csv.contains("reliability"));
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.contains("left out as it cannot apply to this data: reliability"));
}
