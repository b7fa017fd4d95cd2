//! `entente generate`: files written, deterministic, usable by the other commands; bad
//! parameters are usage errors (exit 2) that write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use predicates::str::contains;

fn generate(dir: &std::path::Path, seed: &str) {
    common::entente()
        .args([
            "generate",
            "--states",
            "25",
            "--alliances",
            "4",
            "--events",
            "3000",
        ])
        .args(["--years", "6", "--seed", seed, "-o"])
        .arg(dir)
        .assert()
        .success()
        .stdout(contains("3000 tie events, 1980-01-01 to 1985-12-31"));
}

#[test]
fn same_seed_same_bytes_and_the_workload_validates() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = (t.path().join("a"), t.path().join("b"));
    generate(&a, "5");
    generate(&b, "5");
    for f in ["dataset.json", "ties.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
    let csv = std::fs::read_to_string(a.join("ties.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3001);
    assert!(csv.starts_with("date,a,b,delta,half_life_days,duration_days\n1980-01-01,S0"));
    common::entente()
        .arg("validate")
        .arg(a.join("dataset.json"))
        .arg("--ties")
        .arg(a.join("ties.csv"))
        .assert()
        .success()
        .stdout(contains("25 states, 4 alliances"))
        .stderr("");
}

#[test]
fn bad_parameters_are_usage_errors() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("w");
    common::entente()
        .args(["generate", "--states", "1", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("--states 1: expected 2 to 5000"));
    assert!(!out.exists());
}
