//! Calls for help (`invoke`/`respond`), the `reliability` metric and the snapshot's call record
//! and triad census, through the binary, on the hand-computed fixture
//! `tests/data/calls/calls.json` and on the CSTO dataset. The definitions are in
//! docs/metrics.md ("Alliance reliability") and docs/dataset.md ("Calls for help").
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{data_str, entente};
use serde_json::Value;

const FIXTURE: &str = "calls/calls.json";

/// `metrics --format json` of the fixture on the given dates (one-day series), with extra flags.
fn reliability_on(dates: &[&str], extra: &[&str]) -> Vec<Option<f64>> {
    dates
        .iter()
        .map(|d| {
            let mut args = vec![
                "metrics".to_string(),
                data_str(FIXTURE),
                "--from".into(),
                d.to_string(),
                "--to".into(),
                d.to_string(),
                "--alliance".into(),
                "X".into(),
            ];
            args.extend(extra.iter().map(|s| s.to_string()));
            let out = entente().args(&args).assert().success();
            let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
            v["series"][0]["alliances"]["X"]["reliability"].as_f64()
        })
        .collect()
}

#[track_caller]
fn close(got: Option<f64>, want: f64) {
    let g = got.expect("a value");
    assert!((g - want).abs() < 1e-12, "{g} != {want}");
}

/// Day 0 = 2000-01-10 (honoured), day 200 = 2000-07-28 (partial), day 300 = 2000-11-05
/// (declined); half-life 100 days: on day 300 the weights are ⅛, ½ and 1.
#[test]
fn hand_computed_reliability_with_decay() {
    let h = ["--reliability-half-life", "100"];
    let r = reliability_on(
        &[
            "2000-01-09",
            "2000-01-10",
            "2000-04-19",
            "2000-07-28",
            "2000-11-05",
            "2001-06-01",
        ],
        &h,
    );
    assert_eq!(r[0], None, "null before the first answer");
    close(r[1], 1.0);
    close(r[2], 1.0);
    // Day 200: honoured (weight ¼) and partial (weight 1): (¼·1 + 1·½) / (¼ + 1) = 0.6.
    close(r[3], 0.75 / 1.25);
    close(r[4], 0.375 / 1.625);
    // Later, every weight has decayed alike: the same value (the open call does not count).
    close(r[5], 0.375 / 1.625);
}

#[test]
fn the_half_life_is_read_in_days_or_years_and_defaults_to_ten_years() {
    let default = reliability_on(&["2000-11-05"], &[])[0];
    let ten_years = reliability_on(&["2000-11-05"], &["--reliability-half-life", "10y"])[0];
    let days = reliability_on(&["2000-11-05"], &["--reliability-half-life", "3652.5"])[0];
    let h = 3652.5f64;
    let w = |age: f64| (-age / h).exp2();
    let want = (w(300.0) * 1.0 + w(100.0) * 0.5) / (w(300.0) + w(100.0) + 1.0);
    close(default, want);
    assert_eq!(default, ten_years);
    assert_eq!(default, days);
    for bad in ["0", "-5", "abc", "10x", "inf", "1e400y"] {
        entente()
            .args([
                "metrics",
                &data_str(FIXTURE),
                "--reliability-half-life",
                bad,
            ])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains("--reliability-half-life"));
    }
}

#[test]
fn the_snapshot_lists_the_calls_as_of_its_date_and_the_triad_census() {
    let snap = |date: &str| -> Value {
        let out = entente()
            .args(["snapshot", &data_str(FIXTURE), "--date", date])
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let v = snap("2000-06-15");
    let calls = v["calls"]["X"].as_array().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[0],
        serde_json::json!({"state": "A", "invoked": "2000-01-10", "article": 5,
                           "answered": "2000-01-10", "outcome": "honoured"})
    );
    assert_eq!(
        calls[1],
        serde_json::json!({"state": "B", "invoked": "2000-06-01", "answered": null, "outcome": null}),
        "answered later: open on this date, and no article given"
    );
    let v = snap("2001-01-01");
    let calls = v["calls"]["X"].as_array().unwrap();
    let outcomes: Vec<&Value> = calls.iter().map(|c| &c["outcome"]).collect();
    assert_eq!(
        outcomes,
        [
            &Value::from("honoured"),
            &"partial".into(),
            &"declined".into(),
            &Value::Null
        ]
    );
    assert_eq!(calls[2]["article"], 4);
    assert!(
        v["calls"].get("Y").is_none(),
        "alliances without calls are left out"
    );
    assert!(
        snap("2000-01-05").get("calls").is_none(),
        "no calls yet: no key"
    );
    // Before the tie: A, B, C all tied at 1 (one +++ triangle of intensity 1); after it A–C is
    // −0.5, so the triangle is ++− with intensity (1·1·0.5)^(1/3).
    let census = |v: &Value, t: &str| {
        (
            v["triad_census"][t]["count"].as_u64(),
            v["triad_census"][t]["weight"].as_f64(),
        )
    };
    assert_eq!(census(&v, "+++"), (Some(1), Some(1.0)));
    assert_eq!(census(&v, "++-"), (Some(0), Some(0.0)));
    let v = snap("2002-01-01");
    assert_eq!(census(&v, "+++"), (Some(0), Some(0.0)));
    let (n, w) = census(&v, "++-");
    assert_eq!(n, Some(1));
    assert!((w.unwrap() - 0.5f64.cbrt()).abs() < 1e-15);
    assert_eq!(census(&v, "+--"), (Some(0), Some(0.0)));
    assert_eq!(census(&v, "---"), (Some(0), Some(0.0)));
    let table = entente()
        .args([
            "snapshot",
            &data_str(FIXTURE),
            "--date",
            "2002-01-01",
            "--format",
            "table",
        ])
        .assert()
        .success();
    let text = String::from_utf8(table.get_output().stdout.clone()).unwrap();
    assert!(text.contains("  ++-           1       0.794"), "{text}");
    assert!(
        text.contains("  X  2000-10-01  C (article 4): declined 2000-11-05"),
        "{text}"
    );
    assert!(text.contains("  X  2000-12-01  A: open"), "{text}");
}

#[test]
fn a_respond_with_no_open_call_is_an_error_with_its_path() {
    let ds = r#"{"name":"t","states":[{"id":"A","name":"A"}],"alliances":[{"id":"X","name":"X"}],
        "events":[{"date":"2000-01-01","kind":"join","state":"A","alliance":"X"},
                  {"date":"2000-02-01","kind":"respond","state":"A","alliance":"X","outcome":"declined"},
                  {"date":"2000-03-01","kind":"invoke","state":"A","alliance":"X","article":0},
                  {"date":"2000-03-01","kind":"respond","state":"A","alliance":"X","outcome":"maybe"}]}"#;
    let out = entente()
        .args(["validate", "-"])
        .write_stdin(ds)
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains(
            "-: events[1]: respond of \"A\" in \"X\" on 2000-02-01, but A has no open invocation in X"
        ),
        "{err}"
    );
    assert!(
        err.contains("events[2].article: expected an article number (an integer from 1), found 0"),
        "{err}"
    );
    assert!(
        err.contains("events[3].outcome: unknown outcome \"maybe\" (expected one of: honoured, partial, declined)"),
        "{err}"
    );
}

#[test]
fn dropping_a_call_leaves_its_answer_unmatched_with_a_warning() {
    let out = entente()
        .args([
            "metrics",
            &data_str(FIXTURE),
            "--from",
            "2000-02-01",
            "--to",
            "2000-02-01",
            "--alliance",
            "X",
            "--without",
            "event=a-calls",
        ])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["series"][0]["alliances"]["X"]["reliability"], Value::Null);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("2000-01-10: respond with no open invocation to answer (ignored)"),
        "{err}"
    );
}

#[test]
fn calls_round_trip_through_the_writer() {
    // The writer (used by `import` and `--emit-draws`) gives back every field of the calls.
    let text = std::fs::read_to_string(common::data(FIXTURE)).unwrap();
    let ds = entente::dataset::load_str(&text, "calls.json").unwrap();
    let written = entente::dataset::write::to_json_string(&ds);
    assert_eq!(entente::dataset::load_str(&written, "w").unwrap(), ds);
}

/// The CSTO dataset's calls: Kazakhstan's (honoured, 6 Jan 2022) and Armenia's (declined,
/// 13 Sep 2022); Armenia's May 2021 request stays open.
#[test]
fn csto_reliability_falls_when_it_declines_armenia() {
    let out = entente()
        .args([
            "metrics",
            "--from",
            "2021-12-31",
            "--to",
            "2022-12-31",
            "--step",
            "3m",
            "--alliance",
            "CSTO",
        ])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let r: Vec<Option<f64>> = v["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["alliances"]["CSTO"]["reliability"].as_f64())
        .collect();
    assert_eq!(r[0], None);
    assert_eq!(r[1], Some(1.0));
    let w = (-250.0f64 / 3652.5).exp2();
    close(r[4], w / (w + 1.0));
    assert!((r[4].unwrap() - 0.488).abs() < 5e-4);
}
