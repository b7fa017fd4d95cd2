//! `entente explain` on fixtures with hand-computed contributions (tests/data/whatif/linear.json:
//! a linear case, zero residual; clamped.json: a clamped tie, residual 1), the JSON layout, the
//! table and CSV, Shapley's exact sum and determinism by seed, the waterfall chart, and errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::close;
use serde_json::Value;

fn explain(args: &[&str]) -> Vec<u8> {
    common::entente()
        .arg("explain")
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

fn explain_json(file: &str, extra: &[&str]) -> Value {
    let path = common::data_str(file);
    let mut args = vec![
        path.as_str(),
        "--metric",
        "mean_tie",
        "--from",
        "2001-01-01",
        "--to",
        "2002-01-01",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    serde_json::from_slice(&explain(&args)).unwrap()
}

/// (group, contribution) of every listed contribution, in output order.
fn contributions(j: &Value) -> Vec<(String, f64)> {
    j["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["group"].as_str().unwrap().to_string(),
                c["contribution"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn linear_case_adds_up_exactly_in_the_documented_layout() {
    let j = explain_json("whatif/linear.json", &[]);
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    let mut want = [
        "metric",
        "scope",
        "from",
        "to",
        "value_from",
        "value_to",
        "delta",
        "method",
        "contributions",
        "residual",
    ];
    want.sort_unstable();
    assert_eq!(sorted, want);
    assert_eq!(j["metric"], "mean_tie");
    assert_eq!(
        j["scope"],
        serde_json::json!({"alliance": null, "state": null})
    );
    assert_eq!(
        (j["from"].as_str(), j["to"].as_str()),
        (Some("2001-01-01"), Some("2002-01-01"))
    );
    assert_eq!(j["method"], "leave-one-out");
    // 0.3/3 = 0.1 → (0.6 − 0.6)/3 = 0.
    assert!(close(&j["value_from"], 0.1) && close(&j["value_to"], 0.0) && close(&j["delta"], -0.1));
    // By hand: e3 (−0.6 on B–C) −0.2, e2 (+0.3 on A–B) +0.1, e1 (before D1, no decay) 0; e4 is
    // after D2 and forms no group. Sorted by |c|.
    let c = contributions(&j);
    let groups: Vec<&str> = c.iter().map(|(g, _)| g.as_str()).collect();
    assert_eq!(groups, ["e3", "e2", "e1"]);
    assert!((c[0].1 + 0.2).abs() < 1e-12 && (c[1].1 - 0.1).abs() < 1e-12 && c[2].1.abs() < 1e-12);
    assert!(close(&j["residual"], 0.0));
    assert!(j["contributions"][0]["stderr"].is_null());
    assert_eq!(j["contributions"][0]["label"], "B–C −0.6");
}

#[test]
fn clamped_case_has_the_hand_computed_residual() {
    let j = explain_json("whatif/clamped.json", &[]);
    // Δ = clamp(1.8) − 0.8 = 0.2; without e1: 0 → 1 (c = −0.8); without e2 or e3 the tie still
    // clamps at 1 (c = 0); residual = 0.2 − (−0.8) = 1.
    assert!(close(&j["delta"], 0.2));
    let c = contributions(&j);
    assert_eq!(c[0].0, "e1");
    assert!((c[0].1 + 0.8).abs() < 1e-12 && c[1].1.abs() < 1e-12 && c[2].1.abs() < 1e-12);
    assert!(close(&j["residual"], 1.0));
}

#[test]
fn shapley_sums_to_delta_and_is_determined_by_its_seed() {
    let run = |seed: &str| {
        explain_json(
            "whatif/clamped.json",
            &["--method", "shapley", "--samples", "64", "--seed", seed],
        )
    };
    let j = run("3");
    assert_eq!(j["method"], "shapley");
    let sum: f64 = contributions(&j).iter().map(|c| c.1).sum();
    assert!((sum - j["delta"].as_f64().unwrap()).abs() < 1e-12);
    assert!(j["residual"].as_f64().unwrap().abs() < 1e-12);
    assert!(j["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["stderr"].as_f64().is_some_and(|e| e >= 0.0)));
    assert_eq!(run("3"), j);
    assert_ne!(run("4")["contributions"], j["contributions"]);
}

#[test]
fn groups_by_tag_kind_alliance_and_source() {
    let world = |by: &str, extra: &[&str]| {
        let path = common::data_str("whatif/world.json");
        let mut args = vec![
            path.as_str(),
            "--metric",
            "mean_tie",
            "--alliance",
            "PACT",
            "--from",
            "2001-01-01",
            "--to",
            "2002-12-31",
            "--by",
            by,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let j: Value = serde_json::from_slice(&explain(&args)).unwrap();
        let mut g: Vec<String> = contributions(&j).into_iter().map(|c| c.0).collect();
        g.sort();
        (j, g)
    };
    // First tag only: `refusal` holds the freeze; with --multi also the A–C grievance.
    assert_eq!(
        world("tag", &[]).1,
        ["(untagged)", "exercise", "grievance", "refusal"]
    );
    let (multi, _) = world("tag", &["--multi"]);
    assert!(multi["residual"].is_number());
    assert_eq!(world("kind", &[]).1, ["join", "suspend", "tie"]);
    assert_eq!(world("alliance", &[]).1, ["(no alliance)", "PACT"]);
    assert_eq!(world("source", &[]).1, ["(no source)", "s1"]);
    // A tie file is a group of its own.
    let ties = common::data_str("whatif/ties.csv");
    let (_, g) = world("kind", &["--ties", &ties]);
    assert!(g.iter().any(|x| x.ends_with("ties.csv")), "{g:?}");
    // --without removes the events before the groups are formed.
    let (_, g) = world("tag", &["--without", "tag=refusal"]);
    assert_eq!(g, ["(untagged)", "exercise", "grievance"]);
}

#[test]
fn table_and_csv_show_what_json_lists() {
    let path = common::data_str("whatif/linear.json");
    let base = [
        path.as_str(),
        "--metric",
        "mean_tie",
        "--from",
        "2001-01-01",
        "--to",
        "2002-01-01",
    ];
    let table = String::from_utf8(explain(&[&base[..], &["--top", "1"]].concat())).unwrap();
    assert!(table.contains("Δ = -0.1000"), "{table}");
    assert!(table.contains("-0.2000  e3"), "{table}");
    assert!(table.contains("(2 other groups)"), "{table}");
    assert!(!table.contains("  e2  "), "{table}");
    assert!(table.contains("residual (Δ − sum)    +0.0000"), "{table}");
    let csv = String::from_utf8(explain(
        &[&base[..], &["--format", "csv", "--top", "1"]].concat(),
    ))
    .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "group,label,contribution,stderr");
    assert_eq!(lines.len(), 4, "every group, whatever --top says: {csv}");
    let row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(row[..2], ["e3", "B–C −0.6"], "{csv}");
    assert!(
        (row[2].parse::<f64>().unwrap() + 0.2).abs() < 1e-12 && row[3].is_empty(),
        "{csv}"
    );
}

#[test]
fn waterfall_chart_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("w.png");
    let path = common::data_str("whatif/world.json");
    explain(&[
        &path,
        "--metric",
        "mean_tie",
        "--alliance",
        "PACT",
        "--from",
        "2001-01-01",
        "--to",
        "2002-12-31",
        "--plot",
        png.to_str().unwrap(),
        "--size",
        "1200x700",
    ]);
    let decoder = png::Decoder::new(std::fs::File::open(&png).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1200, 700));
    let px: Vec<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
    let count = |c: [u8; 3]| px.iter().filter(|p| **p == c).count();
    // Falls in vermillion, rises in blue, totals in dark grey.
    assert!(count([0xD5, 0x5E, 0x00]) > 500, "no falling bar");
    assert!(count([0x00, 0x72, 0xB2]) > 500, "no rising bar");
    assert!(count([0x55, 0x55, 0x55]) > 500, "no total bar");
}

#[test]
fn bad_requests_are_refused_by_name() {
    let path = common::data_str("whatif/world.json");
    let dates = ["--from", "2001-01-01", "--to", "2002-12-31"];
    let cases: [(&[&str], &str); 6] = [
        (&["--metric", "nope"], "--metric: unknown metric \"nope\""),
        (
            &["--metric", "min_tie"],
            "is an alliance metric: give --alliance",
        ),
        (&["--metric", "blocs"], "groups of states"),
        (
            &["--metric", "mean_tie", "--multi"],
            "--multi applies only to --by tag",
        ),
        (
            &["--metric", "mean_tie", "--alliance", "NOPE"],
            "unknown alliance id \"NOPE\"",
        ),
        (
            &["--metric", "mean_tie", "--plot", "w.gif"],
            "unknown image extension .gif",
        ),
    ];
    for (extra, want) in cases {
        let out = common::entente()
            .args(["explain", &path])
            .args(dates)
            .args(extra)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{extra:?}: {err}");
    }
    let out = common::entente()
        .args([
            "explain",
            &path,
            "--metric",
            "mean_tie",
            "--from",
            "2003-01-01",
            "--to",
            "2002-01-01",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is after --to"));
}
