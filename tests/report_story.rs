//! The story a report leads with, checked on small fixtures whose answer is known by hand:
//! `tests/data/report-story.json` (A drifts away from BLOC: its ties to B, C and D fall in three
//! steps from 2016-02 to 2018-03, so BLOC's mean tie goes 0.60 → 0.40 and A's alignment
//! 0.60 → 0.20) and `tests/data/report-view.json` (the same with a dataset `view`). Also: the
//! series ends on the last event's date, the `--alliance/--state/--metric` filters, constant
//! metrics as a sentence, the 12-alliance cap, and bad `view` input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;
use std::path::Path;

const STORY: &str = "tests/data/report-story.json";
const VIEW: &str = "tests/data/report-view.json";

fn report(dir: &Path, dataset: &str, extra: &[&str]) -> String {
    let mut args = vec!["report", dataset, "--out", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::ok(&format!("{args:?}"), entente().args(&args));
    std::fs::read_to_string(dir.join("index.html")).unwrap()
}

fn charts(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".svg") || n.ends_with(".png"))
        .collect();
    v.sort();
    v
}

#[test]
fn without_a_view_the_story_is_chosen_from_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), STORY, &["--svg", "--size", "640x400"]);
    let files = charts(dir.path());
    // Focal alliance BLOC (the only one of three or more members), focal state A (fell
    // furthest), key dates around BLOC's largest change: 2016-01-01 (last month at 0.60) and
    // 2018-03-01 (first month at 0.40); the last date is the last event's, 2019-01-20.
    for f in [
        "members-BLOC.svg",
        "ego-A.svg",
        "network-2016-01-01.svg",
        "network-2018-03-01.svg",
        "heatmap-change-2016-01-01-2018-03-01.svg",
        "network-2019-01-20.svg",
        "heatmap-change-2010-01-01-2019-01-20.svg",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    assert!(
        !files.iter().any(|f| f.starts_with("members-PAIR")),
        "{files:?}"
    );
    assert!(html.contains(
        "BLOC (The bloc): cohesion (mean tie between members) 0.60 on 2010-01-01 and 0.40 on \
         2019-01-20. Its largest change: from 0.60 on 2016-01-01 to 0.40 on 2018-03-01."
    ));
    assert!(html.contains("Of its members, A (State A) fell furthest: alignment 0.60 on 2016-01-01 to 0.20 on 2018-03-01."));
    // The story comes before the timelines.
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("{s} not on the page"))
    };
    assert!(pos("members-BLOC.svg") < pos("timeline-mean_tie.svg"));
    assert!(pos("heatmap-change-2016-01-01-2018-03-01.svg") < pos("timeline-mean_tie.svg"));
    // Member counts and suspensions never change: a sentence, no chart.
    assert!(
        !files.iter().any(|f| f == "timeline-members.svg"),
        "{files:?}"
    );
    assert!(
        html.contains("Members is constant over"),
        "no sentence for a constant metric"
    );
    assert!(html.contains("metrics.csv") && html.contains("metrics.json"));
}

#[test]
fn the_series_ends_on_the_last_event() {
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        STORY,
        &["--svg", "--size", "640x400", "--metric", "mean_tie"],
    );
    let csv = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
    let last = csv.lines().last().unwrap();
    assert!(last.starts_with("2019-01-20,"), "{last}");
    let json = std::fs::read_to_string(dir.path().join("metrics.json")).unwrap();
    assert!(json.contains("\"to\": \"2019-01-20\""));
}

#[test]
fn the_dataset_view_sets_the_defaults_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), VIEW, &["--svg", "--size", "640x400"]);
    let files = charts(dir.path());
    for f in [
        "ego-E.svg",
        "network-2015-06-01.svg",
        "network-2019-01-01.svg",
        "heatmap-change-2015-06-01-2019-01-01.svg",
        "heatmap-change-2015-01-01-2019-01-20.svg",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    // Focus PAIR: its two members' alignment never changes, so a sentence replaces the chart;
    // BLOC is not in focus.
    assert!(html.contains("alignment in PAIR is constant"));
    assert!(
        !files.iter().any(|f| f.starts_with("members-")),
        "{files:?}"
    );
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("PAIR (The pair): cohesion"));
    let csv = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("2015-01-01,"));

    // Flags win over the view.
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        VIEW,
        &[
            "--svg",
            "--size",
            "640x400",
            "--from",
            "2012-01-01",
            "--at",
            "2017-01-01",
            "--alliance",
            "BLOC",
            "--state",
            "B",
        ],
    );
    let files = charts(dir.path());
    for f in ["network-2017-01-01.svg", "members-BLOC.svg", "ego-B.svg"] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    assert!(!files
        .iter()
        .any(|f| f == "network-2015-06-01.svg" || f == "ego-E.svg"));
    let csv = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("2012-01-01,"));
}

#[test]
fn filters_narrow_the_timelines() {
    let dir = tempfile::tempdir().unwrap();
    report(
        dir.path(),
        STORY,
        &[
            "--svg",
            "--size",
            "640x400",
            "--alliance",
            "BLOC",
            "--metric",
            "mean_tie",
            "--metric",
            "density",
        ],
    );
    let files = charts(dir.path());
    let timelines: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("timeline-"))
        .collect();
    // BLOC's ties stay positive: its density never changes (a sentence), its mean tie does.
    assert_eq!(timelines, ["timeline-mean_tie.svg"]);
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.contains("Density of positive ties is constant over"));
    let svg = std::fs::read_to_string(dir.path().join("timeline-mean_tie.svg")).unwrap();
    assert!(svg.contains("BLOC"));
    assert!(!svg.contains("PAIR"));
    for (flag, value, says) in [
        ("--metric", "cohesion", "unknown metric \"cohesion\""),
        ("--state", "ZZZ", "unknown state id \"ZZZ\""),
        ("--alliance", "BLOK", "did you mean BLOC"),
    ] {
        let out = entente()
            .args(["report", STORY, "--out"])
            .arg(dir.path().join("x"))
            .args([flag, value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{flag} {value}: {err}");
        assert!(!dir.path().join("x").exists());
    }
}

#[test]
fn more_than_twelve_alliances_show_the_twelve_largest() {
    // Alliance k has members S0 … S(k+1): the largest twelve of fourteen are A02 … A13.
    let states: Vec<serde_json::Value> = (0..16)
        .map(|i| serde_json::json!({"id": format!("S{i}"), "name": format!("State {i}")}))
        .collect();
    let alliances: Vec<serde_json::Value> = (0..14)
        .map(|k| serde_json::json!({"id": format!("A{k:02}"), "name": format!("Name{k:02}"), "tie": 0.05}))
        .collect();
    let mut events = Vec::new();
    for k in 0..14 {
        for i in 0..(k + 2) {
            events.push(serde_json::json!({"date": "2020-01-01", "kind": "join", "state": format!("S{i}"), "alliance": format!("A{k:02}")}));
        }
    }
    events.push(serde_json::json!({"date": "2020-06-01", "kind": "tie", "a": "S0", "b": "S1", "delta": -0.9}));
    events.push(serde_json::json!({"date": "2020-12-01", "kind": "tie", "a": "S2", "b": "S3", "delta": 0.1}));
    let ds = serde_json::json!({"name": "many", "states": states, "alliances": alliances, "events": events});
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("many.json");
    std::fs::write(&file, serde_json::to_string(&ds).unwrap()).unwrap();
    let dir = tmp.path().join("out");
    let html = report(
        &dir,
        file.to_str().unwrap(),
        &["--svg", "--size", "640x400", "--metric", "mean_tie"],
    );
    assert!(html.contains("Only the 12 largest of 14 alliances"));
    let svg = std::fs::read_to_string(dir.join("timeline-mean_tie.svg")).unwrap();
    assert!(svg.contains("Name13") && svg.contains("Name02"));
    assert!(!svg.contains("Name00") && !svg.contains("Name01"));
    // The table under Latest metrics still lists every alliance.
    assert!(html.contains(">A00<") && html.contains(">A01<"));
}

#[test]
fn a_bad_view_is_refused_with_its_place() {
    let text = std::fs::read_to_string(VIEW).unwrap();
    for (from, to, says) in [
        (
            "\"focus\": [\n   \"PAIR\"",
            "\"focus\": [\n   \"NOPE\"",
            "view.focus[0]: unknown alliance id \"NOPE\"",
        ),
        (
            "\"states\": [\n   \"E\"",
            "\"states\": [\n   7",
            "view.states[0]: expected a string",
        ),
        // Found by the dataset fuzz target (run 33): a view naming a state twice.
        (
            "\"states\": [\n   \"E\"",
            "\"states\": [\n   \"E\", \"E\"",
            "view.states[1]: duplicate state id \"E\"",
        ),
        (
            "\"from\": \"2015-01-01\"",
            "\"from\": \"2030-01-01\"",
            "view.to",
        ),
        ("\"2015-06-01\"", "\"2015-13-01\"", "view.at[0]"),
    ] {
        assert!(text.contains(from), "{from}");
        let mut bad = text.replace(from, to);
        if says == "view.to" {
            bad = bad.replace("\"view\": {", "\"view\": {\n  \"to\": \"2020-01-01\",");
        }
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("bad.json");
        std::fs::write(&file, bad).unwrap();
        let out = entente()
            .args(["report", file.to_str().unwrap(), "--out"])
            .arg(tmp.path().join("out"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad.json") && err.contains(says),
            "{says}: {err}"
        );
        assert!(!tmp.path().join("out").exists());
    }
}

#[test]
fn the_view_round_trips_through_the_writer() {
    let text = std::fs::read_to_string(VIEW).unwrap();
    let ds = entente::dataset::load_str(&text, "view.json").unwrap();
    let v = ds.view.clone().unwrap();
    assert_eq!(v.focus, vec![ds.alliance_index("PAIR").unwrap()]);
    assert_eq!(v.states, vec![ds.state_index("E").unwrap()]);
    assert_eq!(v.at.len(), 2);
    let again = entente::dataset::write::to_json_string(&ds);
    assert_eq!(
        entente::dataset::load_str(&again, "again.json").unwrap(),
        ds
    );
}

/// The default (CSTO) report tells Armenia's switch of signed bloc in its summary, in the words
/// and at the date `entente blocs` gives over the same series, and its network charts are
/// coloured by signed blocs, which the captions and the legend name.
#[test]
fn the_summary_states_the_focal_states_bloc_switch_and_networks_show_signed_blocs() {
    let dir = tempfile::tempdir().unwrap();
    common::ok(
        "the default report",
        entente()
            .args([
                "report", "--draws", "0", "--svg", "--size", "800x450", "--out",
            ])
            .arg(dir.path()),
    );
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let out = entente()
        .args([
            "blocs",
            "--from",
            "2018-01-31",
            "--to",
            "2025-08-08",
            "--step",
            "1m",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let arm: Vec<&str> = v["switches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] == "ARM")
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(arm.len(), 1, "{arm:?}");
    assert!(arm[0].starts_with("ARM leaves the bloc of RUS"), "{arm:?}");
    let sentence = format!(
        "In the signed blocs (found with the hostile ties too), {}.",
        arm[0]
    );
    let summary_end = html.find("</p>").unwrap();
    assert!(
        html[..summary_end].contains(&sentence),
        "{sentence} not in the summary: {}",
        &html[..summary_end]
    );
    assert!(html.contains("coloured by their signed bloc"));
    let net = std::fs::read_to_string(dir.path().join("network-2024-03-01.svg")).unwrap();
    assert!(net.contains("Signed blocs (positive and negative ties)"));
    // The networks colour each bloc as the alluvial chart does: the legend swatch of the bloc
    // whose entry starts with `start` (the last filled circle before its text).
    let swatch = |file: &str, start: &str| -> String {
        let svg = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let at = svg
            .find(&format!("\n{start}"))
            .unwrap_or_else(|| panic!("{start} not in {file}"));
        svg[..at]
            .rsplit("<circle")
            .filter_map(|c| c.split("fill=\"").nth(1)?.split('"').next())
            .find(|f| *f != "none")
            .unwrap()
            .to_string()
    };
    let russian = swatch("alluvial-signed-blocs.svg", "0: RUS, BLR");
    assert_eq!(swatch("network-2025-08-08.svg", "RUS, BLR"), russian);
    assert_eq!(swatch("network-2020-09-26.svg", "ARM, RUS, BLR"), russian);
    let western = swatch("alluvial-signed-blocs.svg", "2: ARM, GEO");
    assert_ne!(western, russian);
    assert_eq!(swatch("network-2025-08-08.svg", "ARM, GEO"), western);
    assert!(html.contains("colours as in the bloc-membership chart"));
}
