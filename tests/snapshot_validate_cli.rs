//! `entente validate` and `entente snapshot`, run as a user runs them: `validate` and `snapshot` on fixtures,
//! golden snapshot JSON, and one malformed fixture per validation rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;

fn data(p: &str) -> String {
    common::data_str(p)
}

/// Snapshot JSON compared with tests/golden/snapshot/NAME.
fn golden_snapshot(name: &str, actual: &str) {
    common::golden(&format!("snapshot/{name}"), actual);
}

#[test]
fn snapshot_json_matches_golden_files() {
    for date in ["2003-06-01", "2004-08-01", "2009-01-01"] {
        let got = common::stdout(&["snapshot", &data("five-states.json"), "--date", date]);
        golden_snapshot(&format!("five-states-{date}.json"), &got);
    }
}

#[test]
fn snapshot_is_deterministic_and_reads_stdin() {
    let text = std::fs::read(data("five-states.json")).unwrap();
    let a = entente()
        .args(["snapshot", "-", "--date", "2004-08-01"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    let b = entente()
        .args(["snapshot", "-", "--date", "2004-08-01"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    golden_snapshot(
        "five-states-2004-08-01.json",
        &String::from_utf8(a.stdout).unwrap(),
    );
}

#[test]
fn snapshot_table_is_readable() {
    let out = entente()
        .args([
            "snapshot",
            &data("five-states.json"),
            "--date",
            "2004-08-01",
            "--format",
            "table",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(t.contains("Small test world — 2004-08-01"), "{t}");
    assert!(
        t.contains("5 states present, 5 ties (4 positive, 1 negative)"),
        "{t}"
    );
    assert!(t.contains("AAA  DDD  -0.187"), "{t}");
    assert!(t.contains("PACT (3): AAA BBB; suspended: CCC"), "{t}");
}

/// `--state S`: the JSON keeps only S's pairs (with the same weights as the whole snapshot), the
/// table lists every tie S has with S first and only S's alliances; an absent state has none; an
/// unknown id is exit 2 naming it.
#[test]
fn snapshot_state_shows_one_states_ties() {
    let small = data("five-states.json");
    let json = |extra: &[&str]| {
        let mut args = vec!["snapshot", small.as_str(), "--date", "2003-06-01"];
        args.extend_from_slice(extra);
        let (code, out, err) = common::run(&args);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let all = json(&[]);
    let one = json(&["--state", "DDD"]);
    let pairs = |j: &serde_json::Value| -> Vec<(String, String, f64)> {
        j["ties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["a"].as_str().unwrap().into(),
                    t["b"].as_str().unwrap().into(),
                    t["weight"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let want: Vec<_> = pairs(&all)
        .into_iter()
        .filter(|(a, b, _)| a == "DDD" || b == "DDD")
        .collect();
    assert!(!want.is_empty());
    assert_eq!(pairs(&one), want);
    assert_eq!(one["states"], all["states"], "the present states stay");
    // Two states: the union of their pairs, each once.
    let two = pairs(&json(&[
        "--state", "DDD", "--state", "AAA", "--state", "DDD",
    ]));
    let union: Vec<_> = pairs(&all)
        .into_iter()
        .filter(|(a, b, _)| [a, b].iter().any(|s| *s == "DDD" || *s == "AAA"))
        .collect();
    assert_eq!(two, union);

    let (code, table, err) = common::run(&[
        "snapshot",
        &small,
        "--date",
        "2003-06-01",
        "--state",
        "AAA",
        "--format",
        "table",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(table.contains("Ties of AAA (3)\n"), "{table}");
    assert!(
        table.contains("\n  AAA  DDD  -0."),
        "AAA named first: {table}"
    );
    assert!(table.contains("\n  AAA  BBB  +0.600"), "{table}");
    assert!(
        table.contains("PACT (3)") && !table.contains("DUO"),
        "{table}"
    );
    assert!(!table.contains("Strongest ties"), "{table}");

    // EEE enters on 2001-06-01.
    let (code, table, _) = common::run(&[
        "snapshot",
        &small,
        "--date",
        "2000-06-01",
        "--state",
        "EEE",
        "--format",
        "table",
    ]);
    assert_eq!(code, 0);
    assert!(
        table.contains("Ties of EEE (not present on this date)\n  (none)"),
        "{table}"
    );

    let (code, out, err) =
        common::run(&["snapshot", &small, "--date", "2003-06-01", "--state", "ZZZ"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("--state: unknown state id \"ZZZ\""), "{err}");
}

#[test]
fn validate_prints_a_summary() {
    entente()
        .args(["validate", &data("five-states.json")])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "ok — \"Small test world\": 5 states, 2 alliances, 15 events, 2000-01-01 to 2009-01-01",
        ));
}

/// One malformed dataset per validation rule (`tests/data/invalid/FILE`) and the message
/// `validate` and `snapshot` must print after `error: PATH: `.
const RULES: &[(&str, &str)] = &[
        ("syntax.json", "5:5: malformed JSON: expected `,` or `]`"),
        ("unknown-field.json", "colour: unknown field \"colour\""),
        ("missing-field.json", "states[0]: missing field \"name\""),
        (
            "bad-date.json",
            "events[0].date: invalid date \"2023-02-30\"",
        ),
        (
            "duplicate-state.json",
            "states[1].id: duplicate state id \"A\"",
        ),
        (
            "duplicate-alliance.json",
            "alliances[1].id: duplicate alliance id \"X\"",
        ),
        (
            "unknown-state.json",
            "events[0].state: unknown state id \"ZZZ\"",
        ),
        (
            "unknown-alliance.json",
            "events[0].alliance: unknown alliance id \"NOPE\"",
        ),
        (
            "unknown-source.json",
            "events[0].source: unknown source id \"nowhere\"",
        ),
        (
            "self-tie.json",
            "events[0].b: a tie of a state with itself (\"A\")",
        ),
        (
            "non-finite.json",
            "1:140: malformed JSON: number out of range near `A\",\"b\":\"B\",\"delta\":1e400`",
        ),
        (
            "alliance-tie-range.json",
            "alliances[0].tie: 1.5 is out of range [0, 1]",
        ),
        (
            "factor-range.json",
            "events[0].factor: -0.1 is out of range [0, 1]",
        ),
        (
            "delta-range.json",
            "events[0].delta: 2.5 is out of range [-2, 2]",
        ),
        (
            "half-life.json",
            "events[0].half_life_days: 0 must be greater than 0",
        ),
        (
            "duration.json",
            "events[0].duration_days: -3 must be greater than 0",
        ),
        (
            "wrong-type.json",
            "events[0].delta: expected a number, found a string \"big\"",
        ),
        (
            "unknown-kind.json",
            "events[0].kind: unknown event kind \"annex\"",
        ),
        (
            "alliance-kind.json",
            "alliances[0].kind: unknown alliance kind \"friendship\"",
        ),
        (
            "duplicate-key.json",
            "4:9: malformed JSON: duplicate key \"events\" in one object",
        ),    (
        "retie-range.json",
        "events[0].tie: 1.5 is out of range [0, 1]",
    ),
    (
        "missing-kind.json",
        "events[0]: missing field \"kind\"",
    ),
    (
        "missing-date.json",
        "events[0]: missing field \"date\"",
    ),
    (
        "missing-state.json",
        "events[0]: missing field \"state\"",
    ),
    (
        "missing-alliance.json",
        "events[0]: missing field \"alliance\"",
    ),
    (
        "missing-tie-b.json",
        "events[0]: missing field \"b\"",
    ),
    (
        "missing-delta.json",
        "events[0]: missing field \"delta\"",
    ),
    (
        "missing-retie-tie.json",
        "events[0]: missing field \"tie\"",
    ),
    (
        "field-not-for-kind.json",
        "events[0].delta: unknown field \"delta\" (expected one of: date, kind, note, source, id, tags, state)",
    ),
    (
        "unknown-state-field.json",
        "states[0].capital: unknown field \"capital\" (expected one of: id, name, codes)",
    ),
    (
        "unknown-alliance-field.json",
        "alliances[0].founded: unknown field \"founded\" (expected one of: id, name, kind, tie)",
    ),
    (
        "unknown-source-field.json",
        "sources[0].publisher: unknown field \"publisher\" (expected one of: id, title, url, date)",
    ),
    (
        "source-missing-title.json",
        "sources[0]: missing field \"title\"",
    ),
    (
        "source-bad-date.json",
        "sources[0].date: invalid date \"2020-02-30\": no such day in the calendar",
    ),
    (
        "source-url-type.json",
        "sources[0].url: expected a string, found a number 42",
    ),
    (
        "codes-not-object.json",
        "states[0].codes: expected an object of codes, found an array [\"x\"]",
    ),
    (
        "alliances-not-array.json",
        "alliances: expected an array, found an object {\"id\":\"X\"}",
    ),
    (
        "events-not-array.json",
        "events: expected an array, found a string \"none\"",
    ),
    (
        "sources-not-array.json",
        "sources: expected an array, found a number 7",
    ),
    (
        "empty-alliance-id.json",
        "alliances[0].id: empty id \"\"",
    ),
    (
        "empty-source-id.json",
        "sources[0].id: empty id \"\"",
    ),
    (
        "respond-unanswerable.json",
        "events[2]: respond of \"A\" in \"X\" on 2020-01-03, but A has no open invocation in X on or before that date",
    ),
    (
        "invoke-article.json",
        "events[0].article: expected an article number (an integer from 1), found \"5\"",
    ),
    (
        "respond-outcome.json",
        "events[1].outcome: unknown outcome \"honored\" (expected one of: honoured, partial, declined)",
    ),
];

#[test]
fn every_invalid_fixture_has_a_rule_and_every_rule_a_fixture() {
    let listed: std::collections::BTreeSet<&str> = RULES.iter().map(|(f, _)| *f).collect();
    assert_eq!(listed.len(), RULES.len(), "a fixture is listed twice");
    common::assert_folder_is("invalid", &listed);
}

#[test]
fn each_validation_rule_names_the_place_and_the_value() {
    for &(file, want) in RULES {
        let path = data(&format!("invalid/{file}"));
        for cmd in [
            vec!["validate", path.as_str()],
            vec!["snapshot", path.as_str(), "--date", "2020-01-01"],
        ] {
            let out = entente().args(&cmd).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{file}: {err}");
            assert!(
                err.contains(&format!("error: {path}: {want}")),
                "{file}: expected {want:?} in\n{err}"
            );
            assert!(!err.contains("panicked"), "{err}");
            assert!(out.stdout.is_empty(), "{file}: nothing on stdout");
        }
    }
}

#[test]
fn all_problems_are_reported_in_one_pass() {
    let text = r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"A","name":"B"}],
        "events":[{"date":"2020-13-01","kind":"enter","state":"Q"}]}"#;
    let out = entente()
        .args(["validate", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("-: states[1].id: duplicate state id"), "{err}");
    assert!(
        err.contains("-: events[0].date: invalid date \"2020-13-01\""),
        "{err}"
    );
    assert!(
        err.contains("-: events[0].state: unknown state id \"Q\""),
        "{err}"
    );
    assert!(err.contains("3 problems found"), "{err}");
}

#[test]
fn suspicious_events_are_warnings_and_the_run_goes_on() {
    let text = r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"}],
        "alliances":[{"id":"X","name":"X"}],
        "events":[{"date":"2020-01-01","kind":"leave","state":"A","alliance":"X"}]}"#;
    let out = entente()
        .args(["snapshot", "-", "--date", "2020-01-02"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "warning: -: events[0]: 2020-01-01: leave of A in X, but A is not a member (ignored)"
        ),
        "{err}"
    );
}

#[test]
fn bad_flags_and_missing_files_exit_2() {
    let out = entente()
        .args([
            "snapshot",
            &data("five-states.json"),
            "--date",
            "2020-02-30",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--date: invalid date \"2020-02-30\""));
    let out = entente()
        .args(["validate", "/nonexistent/x.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.json: No such file"));
    let out = entente().args(["snapshot"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "missing --date");
}

#[test]
fn tie_csv_files_add_events() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("t.csv");
    std::fs::write(
        &csv,
        "date,a,b,delta,half_life_days,duration_days\n2003-06-01,EEE,AAA,0.25,,\n",
    )
    .unwrap();
    let out = entente()
        .args([
            "snapshot",
            &data("five-states.json"),
            "--date",
            "2003-06-01",
            "--ties",
            csv.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ties = v["ties"].as_array().unwrap();
    assert!(
        ties.iter()
            .any(|t| t["a"] == "AAA" && t["b"] == "EEE" && t["weight"] == 0.25),
        "{ties:?}"
    );
}
