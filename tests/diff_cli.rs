//! Integration tests of `entente diff` on tests/data/six-states.json: the pairs whose weight moved
//! most, the metric changes, the alignment movers, and errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::close;
use predicates::prelude::*;
use serde_json::Value;

const SMALL: &str = "tests/data/six-states.json";

fn diff_json(args: &[&str]) -> Value {
    let out = common::entente()
        .args(["diff", SMALL])
        .args(args)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn pairs_ranked_by_absolute_change_with_both_values() {
    let d = diff_json(&["--from", "2020-01-01", "--to", "2020-05-20", "--top", "3"]);
    assert_eq!(d["dataset"], "small");
    assert_eq!(
        (d["from"].as_str(), d["to"].as_str()),
        (Some("2020-01-01"), Some("2020-05-20"))
    );
    let pairs = d["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 3);
    // ARM–RUS: 0.6 (CSTO) → 0.6·0.25 (ARM suspended) − 0.4·2^(−66/60).
    let arm_rus = 0.15 - 0.4 * (-66.0f64 / 60.0).exp2();
    assert_eq!(
        (pairs[0]["a"].as_str(), pairs[0]["b"].as_str()),
        (Some("ARM"), Some("RUS"))
    );
    assert!(close(&pairs[0]["from"], 0.6) && close(&pairs[0]["to"], arm_rus));
    assert!(close(&pairs[0]["change"], arm_rus - 0.6));
    // Equal changes keep dataset order: ARM–BLR before ARM–KAZ.
    assert_eq!(pairs[1]["b"], "BLR");
    assert_eq!(pairs[2]["b"], "KAZ");
    assert!(close(&pairs[1]["change"], 0.15 - 0.6));
}

#[test]
fn a_state_present_at_one_date_only_counts_as_untied_at_the_other() {
    let d = diff_json(&["--from", "2020-01-01", "--to", "2020-05-20", "--top", "50"]);
    let pairs = d["pairs"].as_array().unwrap();
    let geo = pairs
        .iter()
        .find(|p| p["a"] == "TUR" && p["b"] == "GEO")
        .expect("TUR–GEO listed");
    assert!(close(&geo["from"], 0.0) && close(&geo["to"], 0.3) && close(&geo["change"], 0.3));
    // Unchanged pairs are left out: BLR–KAZ stays at 0.6.
    assert!(!pairs.iter().any(|p| p["a"] == "BLR" && p["b"] == "KAZ"));
    assert!(close(&d["graph"]["states"]["change"], 1.0));
}

#[test]
fn alliance_metrics_and_alignment_movers() {
    let d = diff_json(&["--from", "2020-01-01", "--to", "2020-05-20", "--top", "2"]);
    let csto = &d["alliances"]["CSTO"];
    assert!(close(&csto["metrics"]["suspended"]["change"], 1.0));
    assert!(close(&csto["metrics"]["mean_tie"]["from"], 0.6));
    let movers = csto["alignment"].as_array().unwrap();
    assert_eq!(movers.len(), 2);
    assert_eq!(movers[0]["state"], "ARM");
    assert!(movers[0]["change"].as_f64().unwrap() < movers[1]["change"].as_f64().unwrap());
    // Alliance of one: null values, null change.
    let solo = &d["alliances"]["SOLO"];
    assert!(solo["metrics"]["density"]["change"].is_null());
    assert!(solo["alignment"][0]["from"].is_null());
}

#[test]
fn table_view() {
    common::entente()
        .args([
            "diff",
            SMALL,
            "--from",
            "2020-01-01",
            "--to",
            "2020-05-20",
            "--format",
            "table",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Pairs whose weight moved most"))
        .stdout(predicate::str::contains(
            "ARM  RUS  +0.600 → -0.037  (-0.637)",
        ))
        .stdout(predicate::str::is_match(r"\n  suspended +0 → 1 +\(\+1\)\n").unwrap());
}

/// Ties and members present at one date only are named with words (`new`, `removed`), a value
/// at neither is `undefined`, and nothing prints as `(-)` or `-0.000`.
#[test]
fn table_names_new_and_removed_with_words() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("moves.json");
    std::fs::write(
        &file,
        r#"{"name": "moves", "states": [{"id": "A", "name": "A"}, {"id": "B", "name": "B"},
            {"id": "C", "name": "C"}, {"id": "D", "name": "D"}],
          "alliances": [{"id": "X", "name": "X", "kind": "defense", "tie": 0.5}],
          "events": [
            {"date": "2000-01-01", "kind": "join", "state": "A", "alliance": "X"},
            {"date": "2000-01-01", "kind": "join", "state": "B", "alliance": "X"},
            {"date": "2000-01-01", "kind": "tie", "a": "A", "b": "C", "delta": 0.4, "duration_days": 100},
            {"date": "2001-01-01", "kind": "tie", "a": "C", "b": "D", "delta": 0.3},
            {"date": "2001-01-01", "kind": "join", "state": "C", "alliance": "X"},
            {"date": "2001-02-01", "kind": "leave", "state": "B", "alliance": "X"}]}"#,
    )
    .unwrap();
    let (code, out, err) = common::run(&[
        "diff",
        file.to_str().unwrap(),
        "--from",
        "2000-03-01",
        "--to",
        "2001-06-01",
        "--format",
        "table",
    ]);
    assert_eq!(code, 0, "{err}");
    let line = |start: &str| {
        let words: Vec<&str> = start.split_whitespace().collect();
        out.lines()
            .find(|l| {
                l.split_whitespace()
                    .take(words.len())
                    .eq(words.iter().copied())
            })
            .unwrap_or_else(|| panic!("no line {start:?} in\n{out}"))
            .to_string()
    };
    assert!(line("C D").ends_with("(+0.300)  new"), "{out}");
    assert!(line("A B").ends_with("(-0.500)  removed"), "{out}");
    // A–C: a tie at both dates (the event's, then the treaty's), so no word.
    assert!(line("A C").ends_with("(+0.100)"), "{out}");
    // Members of X: C joined, B left.
    assert!(line("C -").ends_with("(new)"), "{out}");
    assert!(line("B 0.500 → -").ends_with("(removed)"), "{out}");
    assert!(!out.contains("(-)") && !out.contains("-0.000"), "{out}");
}

#[test]
fn bad_dates_and_missing_flags_exit_2() {
    for args in [
        vec!["--from", "2020-01-01"],
        vec!["--from", "2020-13-01", "--to", "2020-05-01"],
        vec!["--from", "2020-01-01", "--to", "yesterday"],
    ] {
        common::entente()
            .args(["diff", SMALL])
            .args(&args)
            .assert()
            .code(2)
            .stdout("");
    }
}
