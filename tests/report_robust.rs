//! Uncertainty, what-if and behaviour in the report, checked against the commands that compute
//! the same things on their own: the bands (`bands.csv`) equal `entente robust`'s 5 % and 95 %
//! quantiles, the findings table equals `robust`'s claims, a `--compare` scenario's series
//! equals `entente metrics --without …`, bad `--compare` values exit 2 naming the value, the
//! tornado and the hollowness chart are drawn, `--draws 0` turns the bands off, and negative
//! numbers in the summary carry a true minus sign.
//! Fixtures: `tests/data/robust/four-states.json` (three rules, three claims) and
//! `tests/data/layers/` (a treaty layer and a votes tie CSV).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{entente, stdout, ALIGNMENT_OF_A_IN_X};
use std::collections::BTreeMap;
use std::path::Path;

const FOUR: &str = "tests/data/robust/four-states.json";
const RANGE: [&str; 6] = ["--from", "2020-01-01", "--to", "2022-01-01", "--step", "1m"];

fn report(dir: &Path, dataset: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "report",
        dataset,
        "--out",
        dir.to_str().unwrap(),
        "--svg",
        "--size",
        "800x450",
    ];
    args.extend_from_slice(extra);
    common::ok(&format!("{args:?}"), entente().args(&args));
    std::fs::read_to_string(dir.join("index.html")).unwrap()
}

/// CSV rows keyed by their first `key` columns.
fn rows_by_key(csv: &str, key: usize) -> BTreeMap<String, String> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let cols: Vec<&str> = l.split(',').collect();
            (cols[..key].join(","), l.to_string())
        })
        .collect()
}

#[test]
fn bands_equal_the_robust_quantiles() {
    let dir = tempfile::tempdir().unwrap();
    let mut extra = vec!["--draws", "40", "--seed", "7"];
    extra.extend_from_slice(&RANGE);
    report(dir.path(), FOUR, &extra);
    let bands = std::fs::read_to_string(dir.path().join("bands.csv")).unwrap();
    assert!(
        bands.starts_with("date,alliance,state,metric,nominal,mean,q0.05,q0.95,draws\n"),
        "{bands}"
    );
    let mut args = vec![
        "robust",
        FOUR,
        "--draws",
        "40",
        "--seed",
        "7",
        "--quantiles",
        "0.05,0.95",
        "--format",
        "csv",
    ];
    args.extend_from_slice(&RANGE);
    let robust = rows_by_key(&stdout(&args), 4);
    let ours = rows_by_key(&bands, 4);
    // The focal alliance's cohesion and every member's alignment, at every date.
    for key in [
        "2021-07-01,X,,mean_tie",
        "2021-07-01,X,A,alignment",
        "2022-01-01,X,B,alignment",
    ] {
        assert!(ours.contains_key(key), "{key} not in bands.csv");
    }
    assert_eq!(ours.len(), 25 * (1 + 3), "{bands}");
    for (key, line) in &ours {
        assert_eq!(Some(line), robust.get(key), "{key}");
    }
    // The bands really spread: A's alignment after its freeze is not a point.
    let a = &ours["2021-07-01,X,A,alignment"];
    let cols: Vec<f64> = a
        .split(',')
        .skip(6)
        .take(2)
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(cols[1] - cols[0] > 0.05, "{a}");
    // The band is drawn: the members chart names it in its legend.
    let svg = std::fs::read_to_string(dir.path().join("members-X.svg")).unwrap();
    let plain = tempfile::tempdir().unwrap();
    let mut extra0 = vec!["--draws", "0"];
    extra0.extend_from_slice(&RANGE);
    report(plain.path(), FOUR, &extra0);
    let svg0 = std::fs::read_to_string(plain.path().join("members-X.svg")).unwrap();
    assert!(svg.len() > svg0.len(), "the banded chart draws more");
    // The captions say what the band is.
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        html.contains(
            "Alignment of each member of X (Pact X): its mean signed tie to the other members"
        ),
        "{html}"
    );
    assert!(
        html.contains("Shaded: A&#39;s band, 5–95 % of 40 draws of 3 uncertainty rules (seed 7)"),
        "no band caption"
    );
    assert!(!plain.path().join("bands.csv").exists());
}

#[test]
fn findings_equal_the_robust_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let mut extra = vec!["--draws", "60", "--seed", "2"];
    extra.extend_from_slice(&RANGE);
    let html = report(dir.path(), FOUR, &extra);
    let mut args = vec!["robust", FOUR, "--draws", "60", "--seed", "2"];
    args.extend_from_slice(&RANGE);
    let json: serde_json::Value = serde_json::from_str(&stdout(&args)).unwrap();
    let claims = json["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 3);
    let mut labels: BTreeMap<String, usize> = BTreeMap::new();
    for c in claims {
        let id = c["id"].as_str().unwrap();
        let holds = if c["holds_nominal"].as_bool().unwrap() {
            "holds"
        } else {
            "fails"
        };
        let p = c["probability"].as_f64().unwrap();
        let label = c["label"].as_str().unwrap();
        *labels.entry(label.to_string()).or_default() += 1;
        let row = html
            .split("<tr>")
            .find(|r| r.starts_with(&format!("<th scope=\"row\">{id}</th>")))
            .unwrap_or_else(|| panic!("no findings row for {id}"));
        let cells: Vec<&str> = row
            .split("</td>")
            .filter_map(|c| c.rsplit('>').next())
            .collect();
        assert_eq!(cells[1], holds, "{id}: {row}");
        assert_eq!(cells[2], format!("{p:.3}"), "{id}: {row}");
        assert_eq!(cells[3], label, "{id}: {row}");
    }
    // The summary counts the verdicts.
    let counted: Vec<String> = labels.iter().map(|(l, n)| format!("{n} {l}")).collect();
    let summary = html
        .split("<p>")
        .find(|p| p.starts_with("The dataset states 3 claims, tested in 60 draws of its 3"))
        .expect("no summary sentence on the claims");
    for c in counted {
        assert!(summary.contains(&c), "{c} not in {summary}");
    }
    // Findings come right after the story, before the timelines; the tornado is there.
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("{s} not on the page"))
    };
    assert!(pos("members-X.svg") < pos(">Findings</h2>"));
    assert!(pos(">Findings</h2>") < pos("timeline-mean_tie.svg"));
    assert!(pos(">Findings</h2>") < pos("tornado-X-"));
}

#[test]
fn the_tornado_draws_the_rules_that_move_the_focal_value() {
    let dir = tempfile::tempdir().unwrap();
    let mut extra = vec!["--draws", "10", "--at", "2021-12-01"];
    extra.extend_from_slice(&RANGE);
    let html = report(dir.path(), FOUR, &extra);
    let name = "tornado-X-2021-12-01.svg";
    assert!(dir.path().join(name).exists(), "{name} missing");
    assert!(
        html.contains("alignment in X on 2021-12-01"),
        "no tornado caption"
    );
    // Its numbers are `entente sensitivity`'s.
    let mut args = vec!["sensitivity", FOUR];
    args.extend(ALIGNMENT_OF_A_IN_X);
    args.extend(["--date", "2021-12-01", "--format", "csv"]);
    let table = stdout(&args);
    let svg = std::fs::read_to_string(dir.path().join(name)).unwrap();
    for line in table.lines().skip(1) {
        let rule = line.split(',').next().unwrap().trim_matches('"');
        let moves = line.rsplit(',').next().unwrap().parse::<f64>().unwrap() > 1e-12;
        assert_eq!(svg.contains(rule), moves, "{rule}: {line}");
    }
}

#[test]
fn a_compare_scenario_equals_metrics_without() {
    let dir = tempfile::tempdir().unwrap();
    let mut extra = vec![
        "--draws",
        "0",
        "--compare",
        "no grievance=without:tag=grievance",
        "--compare",
        "no freeze=without:event=a-freeze",
    ];
    extra.extend_from_slice(&RANGE);
    let html = report(dir.path(), FOUR, &extra);
    for (file, selector) in [
        ("scenario-no_grievance.csv", "tag=grievance"),
        ("scenario-no_freeze.csv", "event=a-freeze"),
    ] {
        let ours = std::fs::read_to_string(dir.path().join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut args = vec!["metrics", FOUR, "--without", selector, "--format", "csv"];
        args.extend_from_slice(&RANGE);
        let theirs = stdout(&args);
        let theirs: std::collections::BTreeSet<&str> = theirs.lines().collect();
        let mut alignment = 0;
        for line in ours.lines() {
            assert!(
                theirs.contains(line),
                "{file}: {line} differs from metrics --without"
            );
            alignment += usize::from(line.contains("alignment"));
        }
        assert!(
            alignment >= 25 * 3,
            "{file}: the members' alignment is in it"
        );
    }
    // Dashed series with a legend entry per scenario, and the claims under each scenario.
    // (a dashed line is drawn as many short pieces).
    let pieces = |d: &Path| {
        std::fs::read_to_string(d.join("timeline-mean_tie.svg"))
            .unwrap()
            .matches("<polyline")
            .count()
    };
    let plain = tempfile::tempdir().unwrap();
    let mut extra0 = vec!["--draws", "0"];
    extra0.extend_from_slice(&RANGE);
    report(plain.path(), FOUR, &extra0);
    assert!(
        pieces(dir.path()) > pieces(plain.path()) + 20,
        "no dashed scenario lines: {} vs {}",
        pieces(dir.path()),
        pieces(plain.path())
    );
    assert!(
        html.contains("<th scope=\"col\">no grievance</th>"),
        "no scenario table"
    );
    assert!(html.contains("&quot;no freeze&quot; = without:event=a-freeze"));
    // The verdict under a scenario is its plain run's: check one cell against metrics --without
    // (the scenario table comes after the findings table).
    let row = html
        .split("<tr>")
        .filter(|r| r.starts_with("<th scope=\"row\">a-below-zero</th>"))
        .last()
        .unwrap();
    let mut args = vec![
        "metrics",
        FOUR,
        "--without",
        "event=a-freeze",
        "--format",
        "csv",
    ];
    args.extend_from_slice(&RANGE);
    let m = stdout(&args);
    let a = m
        .lines()
        .find(|l| l.starts_with("2022-01-01,X,A,alignment,"))
        .unwrap();
    let v: f64 = a.rsplit(',').next().unwrap().parse().unwrap();
    let cells: Vec<&str> = row
        .split("</td>")
        .filter_map(|c| c.rsplit('>').next())
        .collect();
    assert_eq!(cells[2], if v < 0.0 { "holds" } else { "fails" }, "{row}");
}

#[test]
fn bad_compare_values_exit_2_naming_them() {
    for (spec, says) in [
        ("no-name", "expected NAME=SPEC"),
        ("=without:tag=grievance", "name before ="),
        (
            "x=drop:tag=grievance",
            "neither without:SELECTOR nor with:FILE",
        ),
        ("x=without:colour=red", "colour"),
        ("x=without:event=nothing-has-this", "nothing-has-this"),
        (
            "x=with:tests/data/no-such-scenario.json",
            "no-such-scenario.json",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("out");
        let out = entente()
            .args(["report", FOUR, "--draws", "0", "--out"])
            .arg(&out_dir)
            .args(["--compare", spec])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{spec}: {err}");
        assert!(err.contains(says), "{spec}: {err}");
        assert!(err.contains(&format!("{spec:?}")), "{spec}: {err}");
        assert!(!out_dir.exists(), "{spec}: something was written");
    }
    // The same name twice.
    let out = entente()
        .args(["report", FOUR, "--draws", "0", "--out", "/nonexistent/x"])
        .args(["--compare", "a=without:tag=grievance"])
        .args(["--compare", "a=without:event=a-freeze"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("given twice"));
}

#[test]
fn hollowness_is_drawn_when_a_tie_csv_adds_behaviour() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(
        dir.path(),
        "tests/data/layers/three.json",
        &[
            "--ties",
            "votes=tests/data/layers/votes.csv",
            "--alliance",
            "X",
        ],
    );
    assert!(
        dir.path().join("hollowness-X.svg").exists(),
        "no hollowness chart"
    );
    assert!(html.contains("X on paper and in practice"));
    let plain = tempfile::tempdir().unwrap();
    report(
        plain.path(),
        "tests/data/layers/three.json",
        &["--alliance", "X"],
    );
    assert!(!plain.path().join("hollowness-X.svg").exists());
}

#[test]
fn summary_numbers_use_a_minus_sign() {
    let dir = tempfile::tempdir().unwrap();
    let mut extra = vec!["--draws", "0"];
    extra.extend_from_slice(&RANGE);
    let html = report(dir.path(), FOUR, &extra);
    let summary = html
        .split("<p>")
        .find(|p| p.contains("fell furthest"))
        .unwrap();
    let summary = summary.split("</p>").next().unwrap();
    assert!(summary.contains("alignment 0.80 on"), "{summary}");
    assert!(summary.contains(" to \u{2212}0.25 on"), "{summary}");
    assert!(!summary.contains(" -0"), "{summary}");
}
