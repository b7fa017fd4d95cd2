//! The foundation commands, run as a user runs them: `validate` and `snapshot` on fixtures,
//! golden snapshot JSON, and one malformed fixture per validation rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use std::path::Path;

fn entente() -> Command {
    Command::cargo_bin("entente").unwrap()
}

fn data(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
        .display()
        .to_string()
}

fn golden(p: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(p),
    )
    .unwrap()
}

#[test]
fn snapshot_json_matches_golden_files() {
    for date in ["2003-06-01", "2004-08-01", "2009-01-01"] {
        let out = entente()
            .args(["snapshot", &data("valid/small.json"), "--date", date])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            got,
            golden(&format!("small-snapshot-{date}.json")),
            "snapshot at {date}"
        );
    }
}

#[test]
fn snapshot_is_deterministic_and_reads_stdin() {
    let text = std::fs::read(data("valid/small.json")).unwrap();
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
    assert_eq!(
        String::from_utf8(a.stdout).unwrap(),
        golden("small-snapshot-2004-08-01.json")
    );
}

#[test]
fn snapshot_table_is_readable() {
    let out = entente()
        .args([
            "snapshot",
            &data("valid/small.json"),
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

#[test]
fn validate_prints_a_summary() {
    entente()
        .args(["validate", &data("valid/small.json")])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "ok — \"Small test world\": 5 states, 2 alliances, 15 events, 2000-01-01 to 2009-01-01",
        ));
}

#[test]
fn each_validation_rule_names_the_place_and_the_value() {
    let cases = [
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
        ),
    ];
    for (file, want) in cases {
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
            &data("valid/small.json"),
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
            &data("valid/small.json"),
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
