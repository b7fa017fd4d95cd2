//! `entente import unvotes` on a fixture cut from the real UN General Assembly files
//! (tests/data/unvotes: 16 roll calls of 1989, 2015 and 2016 and the votes of nine countries on
//! them, including both Germanies and both Yemens of 1989). Agreement and S are checked against
//! a computation written here from the raw rows, independent of the importer's code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::run;

use std::collections::BTreeMap;

/// A fixture under `tests/data/unvotes/`, as an absolute path string.
fn data(p: &str) -> String {
    common::data_str(&format!("unvotes/{p}"))
}

fn import(extra: &[&str]) -> (String, String) {
    let (votes, rcs) = (data("votes.csv"), data("roll_calls.csv"));
    let mut args = vec![
        "import",
        "unvotes",
        "--votes",
        &votes,
        "--roll-calls",
        &rcs,
        "--min-votes",
        "2",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    (out, err)
}

/// (year, a, b) → delta from a tie CSV.
fn parse_ties(csv: &str) -> BTreeMap<(String, String, String), f64> {
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("date,a,b,delta,half_life_days,duration_days")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f[4], "");
            let days: f64 = f[5].parse().unwrap();
            assert!(days == 365.0 || days == 366.0, "a year window: {l}");
            assert!(f[0].ends_with("-01-01"), "dated at the window start: {l}");
            (
                (f[0][..4].to_string(), f[1].to_string(), f[2].to_string()),
                f[3].parse().unwrap(),
            )
        })
        .collect()
}

/// The independent computation: votes coded 1/2/3 by (year, dataset id), joined by rcid.
fn expected(measure: &str) -> BTreeMap<(String, String, String), f64> {
    // The crosswalk facts this fixture needs, written out by hand: UN code or name (when the
    // code is empty) → id of the embedded dataset (ISO alpha-3). The Byelorussian SSR (BY in
    // 1989) was not a state; the GDR and the Yemens are not in the dataset.
    let id = |code: &str, name: &str, year: &str| -> Option<&'static str> {
        match (code, name) {
            ("AM", _) => Some("ARM"),
            ("RU", _) => Some("RUS"),
            ("US", _) => Some("USA"),
            ("KZ", _) => Some("KAZ"),
            ("BY", _) if year >= "1991" => Some("BLR"),
            ("", "Federal Republic of Germany") => Some("DEU"),
            _ => None,
        }
    };
    let order = ["ARM", "RUS", "BLR", "KAZ", "USA", "DEU"]; // dataset order
    let mut year_of = BTreeMap::new();
    for l in std::fs::read_to_string(data("roll_calls.csv"))
        .unwrap()
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = l.split(',').collect();
        year_of.insert(f[0].to_string(), f[3][..4].to_string());
    }
    let mut votes: BTreeMap<String, Vec<(&str, i32)>> = BTreeMap::new();
    for l in std::fs::read_to_string(data("votes.csv"))
        .unwrap()
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = l.split(',').collect();
        let year = &year_of[f[0]];
        let v = match f[3] {
            "yes" => 1,
            "abstain" => 2,
            "no" => 3,
            x => panic!("{x}"),
        };
        if let Some(s) = id(f[2], f[1], year) {
            votes.entry(f[0].to_string()).or_default().push((s, v));
        }
    }
    // (year, a, b) → list of vote pairs
    let mut pairs: BTreeMap<(String, String, String), Vec<(i32, i32)>> = BTreeMap::new();
    for (rc, vs) in &votes {
        for &(a, va) in vs {
            for &(b, vb) in vs {
                let (ia, ib) = (
                    order.iter().position(|x| *x == a).unwrap(),
                    order.iter().position(|x| *x == b).unwrap(),
                );
                if ia < ib {
                    pairs
                        .entry((year_of[rc].clone(), a.to_string(), b.to_string()))
                        .or_default()
                        .push((va, vb));
                }
            }
        }
    }
    pairs
        .into_iter()
        .filter(|(_, p)| p.len() >= 2)
        .map(|(k, p)| {
            let n = p.len() as f64;
            let v = match measure {
                "agreement" => 2.0 * p.iter().filter(|(a, b)| a == b).count() as f64 / n - 1.0,
                _ => 1.0 - p.iter().map(|(a, b)| f64::from((a - b).abs())).sum::<f64>() / n,
            };
            (k, v)
        })
        .collect()
}

#[test]
fn agreement_and_s_match_an_independent_computation() {
    for m in ["agreement", "s"] {
        let (out, _) = import(&["--measure", m]);
        let got = parse_ties(&out);
        let want = expected(m);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{m}: the same pair-years"
        );
        for (k, w) in &want {
            assert!((got[k] - w).abs() < 1e-12, "{m} {k:?}: {} vs {w}", got[k]);
        }
        // West Germany's 1989 votes (no UN code, matched by name) are there.
        assert!(got.contains_key(&("1989".into(), "RUS".into(), "DEU".into())));
    }
}

#[test]
fn summary_counts_what_was_left_out() {
    let (_, err) = import(&[]);
    assert!(
        err.contains("import unvotes: 83 votes read, 67 used on 16 roll calls"),
        "{err}"
    );
    // GDR and both Yemens: known countries outside this dataset; BY in 1989: not a state.
    assert!(
        err.contains("12 by 3 countries not in the dataset"),
        "{err}"
    );
    assert!(
        err.contains("4 by countries not in the COW state system at the vote's date (\"BY\" 4)"),
        "{err}"
    );
    assert!(!err.contains("dropped"), "{err}");
}

#[test]
fn unknown_codes_are_listed_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let votes = dir.path().join("votes.csv");
    let mut text = std::fs::read_to_string(data("votes.csv")).unwrap();
    for _ in 0..22 {
        text.push_str("5389,Atlantis,XA,yes\n");
    }
    std::fs::write(&votes, text).unwrap();
    let v = votes.display().to_string();
    let rcs = data("roll_calls.csv");
    let (code, _, err) = run(&["import", "unvotes", "--votes", &v, "--roll-calls", &rcs]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("22 rows dropped for unmatched or ambiguous countries"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{v}: line 85: \"XA\": not a known iso2 code")),
        "{err}"
    );
    assert!(err.contains(&format!("{v}: line 104: \"XA\"")), "{err}");
    assert!(
        !err.contains("line 105"),
        "only the first 20 are listed: {err}"
    );
    assert!(err.contains("... and 2 more"), "{err}");
}

#[test]
fn issue_and_importance_filters() {
    let issues = data("issues.csv");
    let (out, err) = import(&["--issues", &issues, "--issue", "human rights"]);
    // Human rights: 2 roll calls in 1989, 2 in 2016.
    assert!(err.contains("used on 4 roll calls"), "{err}");
    let years: std::collections::BTreeSet<String> =
        parse_ties(&out).keys().map(|k| k.0.clone()).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), ["1989", "2016"]);
    let (_, err) = import(&["--important-only"]);
    assert!(err.contains("used on 3 roll calls"), "{err}");
    let (code, _, err) = run(&[
        "import",
        "unvotes",
        "--votes",
        &data("votes.csv"),
        "--roll-calls",
        &data("roll_calls.csv"),
        "--issues",
        &issues,
        "--issue",
        "fishing",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--issue \"fishing\": no roll call"), "{err}");
    assert!(err.contains("Human rights"), "{err}");
}

#[test]
fn bad_rows_are_errors_naming_file_line_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let votes = dir.path().join("votes.csv");
    let out = dir.path().join("ties.csv");
    std::fs::write(&out, "keep me").unwrap();
    let rcs = data("roll_calls.csv");
    for (text, want) in [
        (
            "rcid,country,country_code,vote\n5389,Armenia,AM,maybe\n",
            "line 2, column 4: vote \"maybe\"",
        ),
        (
            "rcid,country,country_code,vote\n99999,Armenia,AM,yes\n",
            "line 2, column 1: rcid \"99999\"",
        ),
        (
            "rcid,country,vote\n",
            "line 1: missing column \"country_code\"",
        ),
        (
            "rcid,country,country_code,vote\n5389,Armenia,AM\n",
            "line 2: 3 fields, expected 4",
        ),
    ] {
        std::fs::write(&votes, text).unwrap();
        let v = votes.display().to_string();
        let o = out.display().to_string();
        let (code, _, err) = run(&[
            "import",
            "unvotes",
            "--votes",
            &v,
            "--roll-calls",
            &rcs,
            "-o",
            &o,
        ]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(&format!("{v}: {want}")), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    }
}

#[test]
fn kappa_and_pi_stay_in_range_and_session_windows_work() {
    for m in ["kappa", "pi"] {
        let (out, _) = import(&["--measure", m]);
        for (_, v) in parse_ties(&out) {
            assert!((-1.0..=1.0).contains(&v), "{m}: {v}");
        }
    }
    let (out, err) = import(&["--window", "session"]);
    assert!(err.contains("over 3 windows"), "{err}");
    // Session 44: from its first roll call (1989-09-05) to the day after its last (1989-10-06),
    // since session 45 is not in the fixture; session 71: 2016-10-26 to 2016-11-30.
    let windows: std::collections::BTreeSet<(String, String)> = out
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[5].to_string())
        })
        .collect();
    assert_eq!(
        windows.into_iter().collect::<Vec<_>>(),
        [
            ("1989-09-05".to_string(), "32".to_string()),
            ("2015-06-03".to_string(), "146".to_string()),
            ("2016-10-26".to_string(), "36".to_string())
        ]
    );
}
