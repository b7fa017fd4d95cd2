//! The signed-network metrics as a user sees them: in `entente snapshot` (camps, signed blocs,
//! frustration, spoilers), left out of `entente metrics` unless `--signed`, and `entente blocs`
//! (consistent labels, flexibility, allegiance, switches). Every expected value is computed by
//! hand in the comments (definitions in docs/metrics.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{data_str, entente, ok, SWITCH_SERIES};
use serde_json::Value;

fn json(out: std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(v: &Value) -> Vec<Vec<String>> {
    serde_json::from_value(v.clone()).unwrap()
}

fn close(v: &Value, want: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((x - want).abs() < 1e-12, "{x} ≠ {want}");
}

/// A and B are enemies (−0.6) with a common friend C (+0.8 each).
#[test]
fn snapshot_has_camps_signed_blocs_frustration_and_spoilers() {
    let file = data_str("signed/enemies-share-a-friend.json");
    let out = json(ok(
        "snapshot",
        entente().args(["snapshot", &file, "--date", "2001-01-01"]),
    ));
    let g = &out["metrics"]["graph"];
    // Positive-only Louvain: the path A–C–B has modularity 0 in one bloc and −0.125 for
    // {A,C},{B}, so the enemies end up together.
    assert_eq!(ids(&g["blocs"]), vec![vec!["A", "B", "C"]]);
    // Signed modularity of {A,C},{B}: 2w⁺ = 3.2, Q⁺ = −0.125; 2w⁻ = 1.2, Q⁻ = −0.5 (A and B
    // apart); Q = (3.2·(−0.125) + 1.2·0.5) / 4.4 = 0.2 / 4.4: the enemies are apart.
    assert_eq!(ids(&g["signed_blocs"]), vec![vec!["A", "C"], vec!["B"]]);
    close(&g["signed_modularity"], 0.2 / 4.4);
    // One tie must be frustrated, the cheapest is A–B: L = 0.6 = the bound; W = 2.2, so the
    // balance is 1 − 0.6 / 1.1.
    close(&g["frustration"], 0.6);
    close(&g["frustration_bound"], 0.6);
    assert_eq!(g["frustration_exact"], Value::Bool(true));
    close(&g["frustration_balance"], 1.0 - 0.6 / 1.1);
    assert_eq!(
        ids(&g["camps"]),
        vec![vec!["A".to_string(), "B".into(), "C".into()], vec![]]
    );
    // The only triangle is + + −: unbalanced, strictly and weakly.
    close(&g["balance_weighted_strict"], 0.0);
    close(&g["balance_weighted_weak"], 0.0);
    // φ = ½ Σ |w| over frustrated ties: A and B share the frustrated A–B tie.
    let sp = &out["metrics"]["alliances"]["TRIO"]["spoiler"];
    close(&sp["A"], 0.3);
    close(&sp["B"], 0.3);
    close(&sp["C"], 0.0);
}

#[test]
fn metrics_series_computes_the_signed_metrics_only_when_asked() {
    let file = data_str("signed/enemies-share-a-friend.json");
    let args = [
        "metrics",
        &file,
        "--from",
        "2001-01-01",
        "--to",
        "2001-01-01",
    ];
    let plain = json(ok("metrics", entente().args(args)));
    let g = &plain["series"][0]["graph"];
    assert!(g.get("modularity").is_some());
    for k in [
        "frustration",
        "camps",
        "signed_blocs",
        "balance_weighted_weak",
    ] {
        assert!(g.get(k).is_none(), "{k} computed without --signed");
    }
    assert!(plain["series"][0]["alliances"]["TRIO"]
        .get("spoiler")
        .is_none());
    let signed = json(ok("metrics --signed", entente().args(args).arg("--signed")));
    let g = &signed["series"][0]["graph"];
    close(&g["frustration"], 0.6);
    close(
        &signed["series"][0]["alliances"]["TRIO"]["spoiler"]["A"],
        0.3,
    );
    // The CSV has them all: numbers, groups as their count (as the table shows them), flags as
    // 1/0; the alliance and the state in their own columns.
    let csv = ok(
        "metrics csv",
        entente().args(args).args(["--signed", "--format", "csv"]),
    );
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.contains("2001-01-01,,,frustration,0.6\n"), "{csv}");
    assert!(csv.contains("2001-01-01,TRIO,A,spoiler,0.3\n"), "{csv}");
    assert!(csv.contains("2001-01-01,,,camps,2\n"), "{csv}");
    assert!(csv.contains("2001-01-01,,,frustration_exact,1\n"), "{csv}");
}

/// Two camps {A,B} and {C,D}; on 2010-01-01 B turns on A and befriends C and D.
#[test]
fn blocs_command_tracks_a_switch_with_consistent_labels() {
    let file = data_str("signed/switch.json");
    let out = json(ok(
        "blocs",
        entente().args(["blocs", &file]).args(SWITCH_SERIES),
    ));
    let dates = out["dates"].as_array().unwrap();
    assert_eq!(dates.len(), 3);
    // 2005: {A,B} = 0, {C,D} = 1. 2010: {B,C,D} overlaps {C,D} most, so it keeps label 1; {A}
    // keeps 0. B switches 0 → 1 on 2010-01-01; nothing changes in 2015.
    let labelled = |t: usize| -> Vec<(u64, Vec<String>)> {
        dates[t]["blocs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["label"].as_u64().unwrap(),
                    serde_json::from_value(b["states"].clone()).unwrap(),
                )
            })
            .collect()
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(labelled(0), vec![(0, s(&["A", "B"])), (1, s(&["C", "D"]))]);
    assert_eq!(labelled(1), vec![(0, s(&["A"])), (1, s(&["B", "C", "D"]))]);
    assert_eq!(labelled(2), labelled(1));
    let sw = out["switches"].as_array().unwrap();
    assert_eq!(sw.len(), 1);
    assert_eq!(sw[0]["date"], "2010-01-01");
    assert_eq!(sw[0]["state"], "B");
    assert_eq!(
        (sw[0]["from"].as_u64(), sw[0]["to"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(
        sw[0]["text"],
        "B leaves the bloc of A for the bloc of C, D on 2010-01-01"
    );
    // Flexibility: B changes on 1 of its 2 consecutive pairs of dates.
    close(&out["flexibility"]["B"], 0.5);
    close(&out["flexibility"]["A"], 0.0);
    // Allegiance: A–B together on 1 date of 3, B–C on 2 of 3, C–D always.
    let pair = |a: &str, b: &str| {
        out["allegiance"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["a"] == a && p["b"] == b)
            .unwrap()["allegiance"]
            .clone()
    };
    close(&pair("A", "B"), 1.0 / 3.0);
    close(&pair("B", "C"), 2.0 / 3.0);
    close(&pair("C", "D"), 1.0);
    // Same input, same bytes.
    let again = ok(
        "blocs again",
        entente().args(["blocs", &file]).args(SWITCH_SERIES),
    );
    assert_eq!(serde_json::from_slice::<Value>(&again.stdout).unwrap(), out);
}

#[test]
fn blocs_command_names_a_bad_file() {
    let out = entente()
        .args(["blocs", "no-such-file.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.json"));
}

/// The CSTO story: Armenia leaves the Russian bloc for the western one in 2024 (monthly dates).
#[test]
fn csto_blocs_show_armenia_switching_in_2024() {
    let file = common::root().join("data/csto.json");
    let out = json(ok(
        "blocs csto",
        entente().arg("blocs").arg(&file).args([
            "--from",
            "2023-01-01",
            "--to",
            "2024-12-01",
            "--step",
            "1m",
        ]),
    ));
    let arm: Vec<&Value> = out["switches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] == "ARM")
        .collect();
    assert_eq!(arm.len(), 1, "{arm:?}");
    assert!(arm[0]["date"].as_str().unwrap().starts_with("2024-"));
    // The bloc it leaves holds RUS the month before; the one it joins holds USA.
    let bloc_with = |date: &str, label: &Value| -> Vec<String> {
        let d = out["dates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["date"] == date)
            .unwrap();
        let b = d["blocs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| &b["label"] == label)
            .unwrap();
        serde_json::from_value(b["states"].clone()).unwrap()
    };
    let dates: Vec<&str> = out["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    let at = dates.iter().position(|d| *d == arm[0]["date"]).unwrap();
    assert!(bloc_with(dates[at - 1], &arm[0]["from"]).contains(&"RUS".to_string()));
    assert!(bloc_with(dates[at], &arm[0]["to"]).contains(&"USA".to_string()));
    assert!(arm[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("ARM leaves the bloc of RUS"));
}
