//! What-if flags on every analysis command: `--without SELECTOR` gives exactly the output of the
//! same command on a dataset edited by hand without the selected events (a property test on
//! random datasets and selectors, then every command on tests/data/whatif/world.json), `--with
//! FILE` the output on a dataset with the scenario's events appended, and bad selectors or
//! scenario files are refused with exit status 2 and a message naming them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use entente::base::Rng;
use entente::dataset::load_str;
use entente::{scenario, select};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// The property: on random datasets, dropping the selected events equals editing the file.

const MEMBERSHIP_KINDS: [&str; 6] = ["join", "leave", "suspend", "resume", "dissolve", "retie"];

/// A random valid dataset as JSON: 3–5 states, two alliances, up to 15 events of every kind,
/// some with ids, tags and layers.
fn random_dataset(seed: u64) -> Value {
    let mut r = Rng::new(seed, 1);
    let n = 3 + r.below(3) as usize;
    let states: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("S{i}"), "name": format!("State {i}")}))
        .collect();
    let alliances = json!([
        {"id": "X", "name": "X", "tie": 0.6},
        {"id": "Y", "name": "Y", "tie": 0.4}
    ]);
    let mut events = Vec::new();
    for i in 0..(1 + r.below(15)) {
        let date = format!("{}-0{}-01", 2000 + r.below(10), 1 + r.below(9));
        let s = format!("S{}", r.below(n as u64));
        let a = if r.below(2) == 0 { "X" } else { "Y" };
        let mut e = match r.below(9) {
            0 => json!({"kind": "enter", "state": s}),
            1 => json!({"kind": "exit", "state": s}),
            2 | 3 => json!({"kind": "join", "state": s, "alliance": a}),
            4 => json!({"kind": "leave", "state": s, "alliance": a}),
            5 => json!({"kind": "suspend", "state": s, "alliance": a, "factor": 0.5}),
            6 => json!({"kind": "resume", "state": s, "alliance": a}),
            7 => json!({"kind": "retie", "alliance": a, "tie": 0.3}),
            _ => {
                let x = r.below(n as u64);
                let y = (x + 1 + r.below(n as u64 - 1)) % n as u64;
                let mut t = json!({"kind": "tie", "a": format!("S{x}"), "b": format!("S{y}"),
                                   "delta": (r.unit() * 2.0 - 1.0)});
                if r.below(2) == 0 {
                    t["layer"] = json!(format!("l{}", r.below(3)));
                }
                t
            }
        };
        e["date"] = json!(date);
        if r.below(2) == 0 {
            e["id"] = json!(format!("e{i}"));
        }
        let tags: Vec<&str> = ["x", "y", "z"]
            .into_iter()
            .filter(|_| r.below(3) == 0)
            .collect();
        if !tags.is_empty() {
            e["tags"] = json!(tags);
        }
        events.push(e);
    }
    json!({"name": "random", "states": states, "alliances": alliances, "events": events})
}

/// A random selector of one or two keys over values that mostly exist in `ds`.
fn random_selector(ds: &Value, seed: u64) -> String {
    let mut r = Rng::new(seed, 2);
    let events = ds["events"].as_array().unwrap();
    let mut keys: Vec<String> = Vec::new();
    let mut used = Vec::new();
    for _ in 0..(1 + r.below(2)) {
        let k = r.below(5);
        if used.contains(&k) {
            continue;
        }
        used.push(k);
        keys.push(match k {
            0 => {
                let e = &events[r.below(events.len() as u64) as usize];
                format!("event={}", e["id"].as_str().unwrap_or("e0"))
            }
            1 => format!("tag={}", ["x", "y", "z"][r.below(3) as usize]),
            2 => format!(
                "kind={}",
                ["join", "tie", "leave", "enter", "retie"][r.below(5) as usize]
            ),
            3 => format!("alliance={}", ["X", "Y"][r.below(2) as usize]),
            _ => format!("state=S{}", r.below(3)),
        });
    }
    keys.join(",")
}

/// The selector's meaning, written out again for the test: does event `e` match?
fn matches_by_hand(e: &Value, selector: &str) -> bool {
    selector.split(',').all(|kv| {
        let (k, v) = kv.split_once('=').unwrap();
        let kind = e["kind"].as_str().unwrap();
        match k {
            "event" => e["id"].as_str() == Some(v),
            "tag" => e["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| x == v)),
            "kind" => kind == v,
            "alliance" => MEMBERSHIP_KINDS.contains(&kind) && e["alliance"] == v,
            "state" => e["state"] == v || e["a"] == v || e["b"] == v,
            _ => unreachable!(),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn without_equals_the_hand_edited_dataset(seed in any::<u64>()) {
        let json = random_dataset(seed);
        let ds = load_str(&json.to_string(), "random.json").unwrap();
        let text = random_selector(&json, seed);
        let selector = select::parse(&text).unwrap();
        let mut edited = json.clone();
        let kept: Vec<Value> = json["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !matches_by_hand(e, &text))
            .cloned()
            .collect();
        let matched = json["events"].as_array().unwrap().len() - kept.len();
        edited["events"] = Value::Array(kept);
        match selector.resolve(&ds, &[]) {
            // `alliance=A` resolves (it names the alliance) even with no event to drop; the
            // command line refuses it as matching no event.
            Ok(selection) if selection.events.is_empty() => prop_assert_eq!(matched, 0, "{}", text),
            Ok(selection) => {
                prop_assert!(matched > 0, "{text} resolved but matches nothing by hand");
                let got = scenario::apply_without(&ds, &mut [], &[selection]);
                let want = load_str(&edited.to_string(), "random.json").unwrap();
                prop_assert_eq!(got, want, "{}", text);
            }
            // Unknown values (an id or tag the dataset lacks) and empty selections are refused;
            // an empty one must match nothing by hand either.
            Err(select::SelectError::Empty { .. }) => prop_assert_eq!(matched, 0, "{}", text),
            Err(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Every command through the binary.

const WORLD: &str = "whatif/world.json";

/// Writes `world.json` (its events filtered by `keep`, then `extra` appended) into a new folder.
fn edited_world(keep: impl Fn(&Value) -> bool, extra: &[Value]) -> tempfile::TempDir {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(common::data(WORLD)).unwrap()).unwrap();
    let mut events: Vec<Value> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| keep(e))
        .cloned()
        .collect();
    events.extend(extra.iter().cloned());
    v["events"] = Value::Array(events);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("world.json"), v.to_string()).unwrap();
    dir
}

/// A folder holding the untouched world.json (so both runs name their dataset the same way).
fn original_world() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::data(WORLD), dir.path().join("world.json")).unwrap();
    dir
}

/// The analysis commands, each with the file it writes (`None`: standard output).
fn commands() -> Vec<(Vec<&'static str>, Option<&'static str>)> {
    vec![
        (vec!["snapshot", "world.json", "--date", "2002-07-01"], None),
        (vec!["metrics", "world.json", "--step", "3m"], None),
        (
            vec!["metrics", "world.json", "--format", "csv", "--step", "3m"],
            None,
        ),
        (
            vec![
                "diff",
                "world.json",
                "--from",
                "2001-01-01",
                "--to",
                "2002-07-01",
            ],
            None,
        ),
        (
            vec![
                "plot",
                "timeline",
                "world.json",
                "--step",
                "3m",
                "-o",
                "out.png",
            ],
            Some("out.png"),
        ),
        (
            vec![
                "plot",
                "heatmap",
                "world.json",
                "--date",
                "2002-07-01",
                "-o",
                "out.svg",
            ],
            Some("out.svg"),
        ),
        (
            vec!["report", "world.json", "--step", "3m", "--svg", "-o", "rep"],
            Some("rep/index.html"),
        ),
        (vec!["export", "gexf", "world.json"], None),
        (
            vec!["export", "csv", "world.json", "--date", "2002-07-01"],
            None,
        ),
    ]
}

/// Runs `args` (plus `extra`) in `dir`; returns what the command wrote.
fn run_in(dir: &Path, args: &[&str], extra: &[&str], file: Option<&str>) -> Vec<u8> {
    let out = common::entente()
        .current_dir(dir)
        .args(args)
        .args(extra)
        .assert()
        .success();
    match file {
        None => out.get_output().stdout.clone(),
        Some(f) => std::fs::read(dir.join(f)).unwrap(),
    }
}

/// Which events a selector drops, written out by hand.
type Drops = fn(&Value) -> bool;

#[test]
fn without_equals_the_edited_file_on_every_command() {
    // (selector, the events it drops by hand)
    let cases: [(&str, Drops); 4] = [
        ("tag=refusal", |e| {
            e["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| x == "refusal"))
        }),
        ("event=quarrel", |e| e["id"] == "quarrel"),
        ("state=DDD", |e| e["a"] == "DDD" || e["b"] == "DDD"),
        ("kind=tie,tag=grievance", |e| {
            e["kind"] == "tie"
                && e["tags"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|x| x == "grievance"))
        }),
    ];
    for (selector, drops) in cases {
        let original = original_world();
        let edited = edited_world(|e| !drops(e), &[]);
        for (args, file) in commands() {
            let got = run_in(original.path(), &args, &["--without", selector], file);
            let want = run_in(edited.path(), &args, &[], file);
            assert!(
                got == want,
                "{selector}: {args:?} differs from the hand-edited dataset"
            );
        }
    }
}

#[test]
fn with_equals_the_events_appended() {
    let scenario: Value =
        serde_json::from_str(&std::fs::read_to_string(common::data("whatif/leave.json")).unwrap())
            .unwrap();
    let mut added: Vec<Value> = scenario["events"].as_array().unwrap().clone();
    for e in &mut added {
        e.as_object_mut().unwrap().remove("scenario");
    }
    let original = original_world();
    std::fs::copy(
        common::data("whatif/leave.json"),
        original.path().join("leave.json"),
    )
    .unwrap();
    let edited = edited_world(|_| true, &added);
    for (args, file) in commands() {
        let got = run_in(original.path(), &args, &["--with", "leave.json"], file);
        let want = run_in(edited.path(), &args, &[], file);
        assert!(
            got == want,
            "{args:?} differs from the dataset with the events appended"
        );
    }
    // Both together: without the freeze, with the exit instead.
    let edited = edited_world(|e| e["id"] != "a-freezes", &added);
    let args = ["snapshot", "world.json", "--date", "2002-07-01"];
    let got = run_in(
        original.path(),
        &args,
        &["--without", "event=a-freezes", "--with", "leave.json"],
        None,
    );
    assert_eq!(got, run_in(edited.path(), &args, &[], None));
}

#[test]
fn without_ties_drops_a_tie_file() {
    let world = common::data_str(WORLD);
    let ties = common::data_str("whatif/ties.csv");
    let run = |extra: &[&str]| {
        common::entente()
            .args(["snapshot", &world, "--date", "2002-07-01"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let plain = run(&[]);
    let with_file = run(&["--ties", &ties]);
    assert_ne!(plain, with_file);
    assert_eq!(run(&["--ties", &ties, "--without", "ties=ties.csv"]), plain);
    // Only the rows naming AAA: the BBB–DDD row stays.
    let only_b = run(&["--ties", &ties, "--without", "ties,state=AAA"]);
    assert_ne!(only_b, plain);
    assert_ne!(only_b, with_file);
}

#[test]
fn bad_selectors_and_scenarios_are_refused_by_name() {
    let world = common::data_str(WORLD);
    let cases: [(&[&str], &str); 5] = [
        (
            &["--without", "tag=nope"],
            "--without: selector \"tag=nope\": unknown tag \"nope\"",
        ),
        (
            &["--without", "event=quarrel,kind=join"],
            "--without: selector \"event=quarrel,kind=join\" matches nothing",
        ),
        (
            &["--without", "colour=red"],
            "--without: selector \"colour=red\": unknown key",
        ),
        (
            &["--with", "tests/data/whatif/bad-scenario.json"],
            "tests/data/whatif/bad-scenario.json: events[1].b",
        ),
        (
            &["--with", "tests/data/whatif/missing.json"],
            "tests/data/whatif/missing.json",
        ),
    ];
    for (extra, want) in cases {
        let out = common::entente()
            .args(["metrics", &world])
            .args(extra)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{extra:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}
