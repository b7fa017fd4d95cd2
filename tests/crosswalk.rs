//! The country crosswalk through the command line: a GDELT sample (rows of the real samples whose
//! actor codes collide with COW abbreviations or are historical, tests/data/unvotes) imported
//! against an ATOP-style dataset (every COW state, ids = COW abbreviations, `codes.cow`) joins
//! only the right countries when its scheme is declared; unmatched rows are listed by line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::run;

use std::collections::BTreeSet;

/// A fixture under `tests/data/unvotes/`, as an absolute path string.
fn data(p: &str) -> String {
    common::data_str(&format!("unvotes/{p}"))
}

fn pairs(csv: &str) -> BTreeSet<(String, String)> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let (a, b) = (f[1].to_string(), f[2].to_string());
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect()
}

#[test]
fn gdelt_against_cow_ids_joins_no_wrong_country() {
    let (ds, gd) = (data("cow-states.json"), data("gdelt-collisions.tsv"));
    let (code, out, err) = run(&[
        "import",
        "events",
        "--format",
        "gdelt",
        &gd,
        "--dataset",
        &ds,
        "--codes-scheme",
        "cameo",
    ]);
    assert_eq!(code, 0, "{err}");
    // Written by hand from the fixture's rows: GDELT (ISO alpha-3) → COW. AUS is Australia (AUL),
    // never Austria (COW AUS); SLV is El Salvador (SAL), never Slovenia (COW SLV); CHE is
    // Switzerland (COW SWZ); DEU is West Germany (GFR) in 1982 and Germany (GMY) in 2016.
    let want: BTreeSet<(String, String)> = [
        ("AUL", "CHN"),
        ("AUL", "USA"),
        ("AUL", "IRE"),
        ("GMY", "USA"),
        ("TAW", "USA"),
        ("AUL", "ITA"),
        ("FRN", "GMY"),
        ("DRV", "GMY"),
        ("MNC", "RUS"),
        ("GMY", "TUR"),
        ("SWZ", "USA"),
        ("POR", "SRI"),
        ("AUL", "SRI"),
        ("COS", "GUA"),
        ("COS", "HON"),
        ("HON", "SAL"),
        ("COS", "SAL"),
        ("SAL", "USA"),
        ("AUL", "POL"),
        ("GFR", "POL"),
    ]
    .into_iter()
    .map(|(a, b)| {
        let (a, b) = (a.to_string(), b.to_string());
        if a < b {
            (a, b)
        } else {
            (b, a)
        }
    })
    .collect();
    assert_eq!(pairs(&out), want, "{err}");
    // Palestine (not a COW state) and the regional code EUR are dropped and listed by line.
    assert!(
        err.contains("rows dropped for unmatched countries"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{gd}: line 3: \"EUR\" not a known cameo code")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{gd}: line 5: \"PSE\" (ISO PSE) not in the dataset"
        )),
        "{err}"
    );
}

#[test]
fn without_a_declared_scheme_the_collision_is_what_the_warning_says() {
    // The old matching (ids first) reads GDELT's AUS as the COW id AUS, Austria: the reason
    // `--codes-scheme` exists. This pins the documented behaviour.
    let (ds, gd) = (data("cow-states.json"), data("gdelt-collisions.tsv"));
    let (code, out, _) = run(&[
        "import",
        "events",
        "--format",
        "gdelt",
        &gd,
        "--dataset",
        &ds,
    ]);
    assert_eq!(code, 0);
    assert!(pairs(&out).contains(&("AUS".to_string(), "USA".to_string())));
}

#[test]
fn ids_scheme_detection_and_override() {
    let gd = data("gdelt-collisions.tsv");
    // The embedded dataset's ids are ISO alpha-3: detected.
    let (code, out, err) = run(&[
        "import",
        "events",
        "--format",
        "gdelt",
        &gd,
        "--codes-scheme",
        "iso3",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(pairs(&out).contains(&("DEU".to_string(), "FRA".to_string())));
    assert!(!err.contains("AUS\" (COW 305)"), "{err}");
    // Declared wrongly as COW ids, the ISO ids match other countries or none: DEU and FRA are
    // not COW abbreviations, so no France–Germany tie can be made.
    let (code, out, _) = run(&[
        "import",
        "events",
        "--format",
        "gdelt",
        &gd,
        "--codes-scheme",
        "iso3",
        "--ids-scheme",
        "cow",
    ]);
    assert_eq!(code, 0);
    assert!(!pairs(&out).contains(&("DEU".to_string(), "FRA".to_string())));
}

#[test]
fn a_code_mapped_twice_names_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let codes = dir.path().join("codes.csv");
    std::fs::write(&codes, "code,state\nAUS,AUL\nRUS,RUS\nAUS,AUS\n").unwrap();
    let c = codes.display().to_string();
    let (code, _, err) = run(&[
        "import",
        "events",
        "--format",
        "gdelt",
        &data("gdelt-collisions.tsv"),
        "--dataset",
        &data("cow-states.json"),
        "--codes",
        &c,
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "{c}: line 4: code \"AUS\" is mapped to \"AUS\" here and to \"AUL\" on line 2"
        )),
        "{err}"
    );
}
