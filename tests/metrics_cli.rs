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
    // No progress bar when piped; one note on the metrics that cannot apply to this dataset.
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "note: metrics: left out as they cannot apply to this data: hollowness, \
         member_hollowness (no treaty/behaviour split: give --behaviour); reliability (no call \
         for help is answered in the dataset)\n"
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
    assert_eq!(lines.next(), Some("date,alliance,state,metric,value"));
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        assert_eq!(f.len(), 5, "{l}");
        assert!(["", "CSTO", "SOLO"].contains(&f[1]), "{l}");
        assert!(
            !f[1].is_empty() || f[2].is_empty(),
            "a state without its alliance: {l}"
        );
    }
    // The 2020-05-03 row of ARM (suspended) in CSTO, and a null written empty.
    assert!(text.contains("\n2020-05-03,CSTO,,suspended,1\n"));
    assert!(text.contains("\n2020-03-01,SOLO,KAZ,alignment,\n"));
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
    // The series leaves out the metrics that cannot apply to this dataset (no behaviour
    // layer, no answered call); the snapshot writes them, null.
    let mut snap = v["metrics"]["alliances"].clone();
    for (_, a) in snap.as_object_mut().unwrap() {
        for key in ["hollowness", "member_hollowness", "reliability"] {
            let gone = a.as_object_mut().unwrap().remove(key).unwrap();
            assert!(gone.is_null() || gone.as_object().unwrap().values().all(|x| x.is_null()));
        }
    }
    assert_eq!(snap, s["series"][0]["alliances"]);
}

/// Ids holding `/`, `,` and `"`: with one joined scope, alliance `A/B` with member `C` and
/// alliance `A` with member `B/C` would both be `A/B/C`. Separate columns keep them apart, and a
/// standard CSV reader gets every id back.
#[test]
fn csv_columns_keep_hostile_ids_apart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.json");
    std::fs::write(
        &file,
        r#"{"name": "hostile", "states": [
            {"id": "C", "name": "C"}, {"id": "B/C", "name": "B/C"},
            {"id": "X,\"Y\"", "name": "comma and quotes"}, {"id": "D", "name": "D"}],
          "alliances": [
            {"id": "A/B", "name": "slash", "kind": "defense", "tie": 0.6},
            {"id": "A", "name": "plain", "kind": "defense", "tie": 0.4}],
          "events": [
            {"date": "2000-01-01", "kind": "join", "state": "C", "alliance": "A/B"},
            {"date": "2000-01-01", "kind": "join", "state": "D", "alliance": "A/B"},
            {"date": "2000-01-01", "kind": "join", "state": "B/C", "alliance": "A"},
            {"date": "2000-01-01", "kind": "join", "state": "X,\"Y\"", "alliance": "A"}]}"#,
    )
    .unwrap();
    let (code, out, err) = common::run(&[
        "metrics",
        file.to_str().unwrap(),
        "--from",
        "2000-01-01",
        "--to",
        "2000-01-01",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["date", "alliance", "state", "metric", "value"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let alignment = |alliance: &str, state: &str| {
        rows.iter()
            .filter(|r| r[1] == alliance && r[2] == state && r[3] == "alignment")
            .count()
    };
    assert_eq!(alignment("A/B", "C"), 1);
    assert_eq!(alignment("A", "B/C"), 1);
    assert_eq!(alignment("A", "X,\"Y\""), 1);
    assert_eq!(alignment("A/B", "D"), 1);
    // Every row has the five fields, and the graph's `blocs` is there as a count.
    assert!(rows.iter().all(|r| r.len() == 5));
    assert!(rows
        .iter()
        .any(|r| r[1].is_empty() && r[3] == "blocs" && r[4].parse::<usize>().is_ok()));
    // The hostile id is quoted per RFC 4180 in the text itself.
    assert!(out.contains(",A,\"X,\"\"Y\"\"\",alignment,"), "{out}");
}

/// A metric that cannot apply to the data (every value would be null) is left out of the
/// default set, with a note; once the data holds what it needs, it is computed.
#[test]
fn metrics_that_cannot_apply_are_left_out_until_the_data_has_what_they_need() {
    let run = |args: &[&str]| {
        let out = entente().args(args).assert().success();
        let out = out.get_output();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (v, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (ds, votes) = (
        "tests/data/layers/three.json",
        "tests/data/layers/votes.csv",
    );
    let span = ["--from", "2003-01-01", "--to", "2003-01-01"];
    let mut args = vec!["metrics", ds, "--ties", votes];
    args.extend(span);
    let (v, err) = run(&args);
    let x = v["series"][0]["alliances"]["X"]
        .as_object()
        .unwrap()
        .clone();
    assert!(!x.contains_key("hollowness") && !x.contains_key("member_hollowness"));
    assert!(!x.contains_key("reliability"));
    assert!(x.contains_key("mean_tie") && x.contains_key("alignment"));
    assert!(
        err.contains("hollowness, member_hollowness (no treaty/behaviour split"),
        "{err}"
    );
    // The CSV has no rows for them either.
    let mut csv = args.clone();
    csv.extend(["--format", "csv"]);
    let out = entente().args(&csv).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        !text.contains("hollowness") && !text.contains("reliability"),
        "{text}"
    );
    // With a treaty/behaviour split, hollowness applies: computed, no note on it.
    args.push("--behaviour");
    let (v, err) = run(&args);
    assert!(v["series"][0]["alliances"]["X"]["hollowness"].is_f64());
    assert!(!err.contains("hollowness"), "{err}");
    assert!(err.contains("reliability"), "{err}");
    // A dataset with answered calls for help keeps reliability, even at dates before the
    // first answer (null there).
    let (v, err) = run(&[
        "metrics",
        "tests/data/calls/calls.json",
        "--from",
        "2000-01-05",
        "--to",
        "2000-01-05",
    ]);
    let x = &v["series"][0]["alliances"]["X"];
    assert!(x.as_object().unwrap().contains_key("reliability"), "{x}");
    assert!(x["reliability"].is_null(), "{x}");
    assert!(!err.contains("reliability"), "{err}");
    // Named explicitly, a metric that cannot apply is computed as asked: null values.
    let out = entente()
        .args([
            "robust",
            SMALL,
            "--metric",
            "hollowness",
            "--draws",
            "2",
            "--format",
            "csv",
        ])
        .args(["--vary", "alliance=CSTO:tie=0.5..0.9"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.lines().nth(1) == Some("2020-01-01,CSTO,,hollowness,,,,,,,,0"),
        "{text}"
    );
}
