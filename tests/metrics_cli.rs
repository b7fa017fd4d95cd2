//! Integration tests of `entente metrics` (and the `metrics` object of `entente snapshot`):
//! golden JSON and CSV outputs on tests/data/six-states.json, flag handling and errors.
//!
//! The golden files (tests/golden/metrics/) were checked value by value against an independent
//! Python + networkx implementation of the model and metrics (full agreement). Regenerate them
//! after an intended change with `UPDATE_GOLDEN=1 cargo test --test metrics_cli`, and review the
//! diff.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;
use predicates::prelude::*;

const SMALL: &str = "tests/data/six-states.json";

/// Asserts that the first occurrences of `"key":` after `start` come in the given order.
fn assert_in_order(text: &str, start: &str, keys: &[&str]) {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"))
        + start.len();
    let rest = &text[from..];
    let mut last = 0;
    for k in keys {
        let at = rest
            .find(&format!("\"{k}\":"))
            .unwrap_or_else(|| panic!("{k} not found after {start}"));
        assert!(at >= last, "{k} out of order after {start}");
        last = at;
    }
}

#[test]
fn json_golden_over_the_default_span() {
    let out = entente().args(["metrics", SMALL]).assert().success();
    let out = out.get_output();
    assert!(
        out.stderr.is_empty(),
        "no progress bar or warning when piped"
    );
    common::golden("metrics/six-states.json", &out.stdout);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["from"], "2020-01-01");
    assert_eq!(v["to"], "2020-05-20");
    assert_eq!(v["step"], "1m");
    // Key order, checked on the text (serde_json::Value would sort the keys).
    let text = String::from_utf8_lossy(&out.stdout);
    assert_in_order(&text, "\"series\": [", &["date", "graph", "alliances"]);
    assert_in_order(
        &text,
        "\"graph\": {",
        &[
            "states",
            "ties",
            "positive",
            "negative",
            "density",
            "mean_tie",
            "clustering",
            "balance",
            "components",
            "blocs",
            "modularity",
        ],
    );
    assert_in_order(
        &text,
        "\"CSTO\": {",
        &[
            "members",
            "suspended",
            "density",
            "mean_tie",
            "min_tie",
            "clustering",
            "balance",
            "ei_index",
            "fiedler",
            "alignment",
            "ARM",
            "BLR",
            "KAZ",
            "RUS",
        ],
    );
    assert_in_order(&text, "\"alliances\": {", &["CSTO", "PAIR", "SOLO"]);
    // Alliance of one: pair metrics and alignment are null, the E−I index is defined.
    let solo = &v["series"][0]["alliances"]["SOLO"];
    assert!(solo["density"].is_null() && solo["fiedler"].is_null());
    assert!(solo["alignment"]["KAZ"].is_null());
    assert_eq!(solo["ei_index"], 1.0);
}

#[test]
fn csv_golden_with_filters_and_a_week_step() {
    let out = entente()
        .args([
            "metrics",
            SMALL,
            "--from",
            "2020-03-01",
            "--to",
            "2020-05-31",
            "--step",
            "3w",
            "--alliance",
            "SOLO",
            "--alliance",
            "CSTO",
            "--format",
            "csv",
        ])
        .assert()
        .success();
    let stdout = &out.get_output().stdout;
    common::golden("metrics/six-states.csv", stdout);
    let text = String::from_utf8_lossy(stdout);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("date,scope,metric,value"));
    for l in lines {
        assert_eq!(l.split(',').count(), 4, "{l}");
        let scope = l.split(',').nth(1).unwrap();
        assert!(
            ["graph", "CSTO", "SOLO"].contains(&scope)
                || scope.starts_with("CSTO/")
                || scope.starts_with("SOLO/"),
            "{l}"
        );
    }
    // The 2020-05-03 row of ARM (suspended) in CSTO, and a null written empty.
    assert!(text.contains("\n2020-05-03,CSTO,suspended,1\n"));
    assert!(text.contains("\n2020-03-01,SOLO/KAZ,alignment,\n"));
}

#[test]
fn same_input_same_bytes() {
    let run = || {
        entente()
            .args(["metrics", SMALL, "--step", "1w"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run(), run());
}

#[test]
fn table_is_readable() {
    entente()
        .args(["metrics", SMALL, "--format", "table"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "small — metrics 2020-01-01 to 2020-05-20",
        ))
        .stdout(predicate::str::contains("CSTO"))
        .stdout(predicate::str::contains("ARM 0.073"));
}

#[test]
fn unknown_alliance_is_a_usage_error_naming_it() {
    entente()
        .args(["metrics", SMALL, "--alliance", "NATO"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("\"NATO\""));
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        vec!["--step", "0m"],
        vec!["--step", "month"],
        vec!["--from", "2020-02-30"],
        vec!["--from", "2020-06-01", "--to", "2020-01-01"],
        vec!["--format", "xml"],
    ] {
        let mut cmd = entente();
        cmd.args(["metrics", SMALL]).args(&args);
        cmd.assert().code(2).stdout("");
    }
    entente()
        .args(["metrics", "tests/data/does-not-exist.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does-not-exist.json"));
}

#[test]
fn snapshot_json_carries_the_metrics() {
    let out = entente()
        .args(["snapshot", SMALL, "--date", "2020-05-01"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let text = String::from_utf8_lossy(&out.get_output().stdout);
    assert_in_order(&text, "\"metrics\": {", &["graph", "alliances"]);
    assert_eq!(v["metrics"].as_object().unwrap().len(), 2);
    // The same values as the metrics series at that date (with the signed-network metrics,
    // which a series computes only when asked).
    let series = entente()
        .args([
            "metrics",
            SMALL,
            "--from",
            "2020-05-01",
            "--to",
            "2020-05-01",
            "--signed",
        ])
        .assert()
        .success();
    let s: serde_json::Value = serde_json::from_slice(&series.get_output().stdout).unwrap();
    assert_eq!(v["metrics"]["graph"], s["series"][0]["graph"]);
    assert_eq!(v["metrics"]["alliances"], s["series"][0]["alliances"]);
}
