//! Regression tests for the bugs the hardening work found (fuzzing, the bad-input corpus and
//! the code audit); docs/testing.md lists each with how it was found. Each test failed before
//! its fix.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::bounded::{assert_safe, run, MIB};
use common::data;
use std::time::Duration;

const T: Duration = Duration::from_secs(30);

/// A 0.3 MB file of 10,001 states used to reach a 1.6 GB dense snapshot (and 60,000 states,
/// 1.8 MB of JSON, a 28.8 GB allocation that aborted the process with signal 6).
#[test]
fn too_many_states_is_a_clear_refusal_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("many.json");
    let states: Vec<String> = (0..60_000)
        .map(|i| format!("{{\"id\": \"S{i}\", \"name\": \"\"}}"))
        .collect();
    std::fs::write(
        &p,
        format!("{{\"name\": \"many\", \"states\": [{}]}}", states.join(",")),
    )
    .unwrap();
    let o = run(
        &argv!["snapshot", &p, "--date", "2020-01-01"],
        None,
        T,
        512 * MIB,
    );
    assert_safe("60,000 states", &o, 2);
    assert!(
        o.stderr
            .contains("many.json: states: 60000 states is more than the 10000 supported"),
        "{}",
        o.stderr
    );
}

#[test]
fn too_many_alliance_state_pairs_is_refused() {
    // 9,000 states × 6,000 alliances: a 54-million-entry status table (864 MB).
    let states: Vec<String> = (0..9_000)
        .map(|i| format!("{{\"id\":\"S{i}\",\"name\":\"\"}}"))
        .collect();
    let alliances: Vec<String> = (0..6_000)
        .map(|i| format!("{{\"id\":\"A{i}\",\"name\":\"\"}}"))
        .collect();
    let text = format!(
        "{{\"name\":\"x\",\"states\":[{}],\"alliances\":[{}]}}",
        states.join(","),
        alliances.join(",")
    );
    let e = entente::dataset::load_str(&text, "pairs.json")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("pairs.json: alliances: 6000 alliances × 9000 states is more than"),
        "{e}"
    );
}

/// `validate` counted the dataset's tie events twice when tie CSV files were given.
#[test]
fn validate_counts_tie_rows_once() {
    let o = run(
        &argv![
            "validate",
            data("hardening/base.json"),
            "--ties",
            data("hardening/ties.csv")
        ],
        None,
        T,
        512 * MIB,
    );
    assert_safe("validate with ties", &o, 0);
    // 5 dataset events + 3 CSV rows.
    assert!(o.stdout.contains("8 events"), "{}", o.stdout);
}

/// `-` named twice was detected only after the dataset had been read from stdin, so the user
/// saw "empty file" (or a parse error) instead of the usage error.
#[test]
fn stdin_twice_is_refused_before_reading() {
    // Empty stdin: the old order read it as the dataset and reported an empty file.
    let o = run(
        &argv!["validate", "-", "--ties", "-"],
        Some(b""),
        T,
        512 * MIB,
    );
    assert_safe("stdin twice", &o, 2);
    assert!(
        o.stderr
            .contains("error: standard input (-) can be used only once"),
        "{}",
        o.stderr
    );
}

/// Found by the `date` fuzz target after 1,526 runs (input `9'gА`, a Cyrillic А): Step::parse
/// split one byte before the end of the text, inside a multi-byte last character, and panicked.
/// Reachable from the command line as `import events --period 1é`.
#[test]
fn step_with_a_multibyte_last_character_is_an_error() {
    for s in ["9'gА", "1é", "é", "12ｍ", "1m\u{301}"] {
        assert!(entente::date::Step::parse(s).is_err(), "{s}");
    }
    assert_eq!(
        entente::date::Step::parse("12m").unwrap().to_string(),
        "12m"
    );
    let o = run(
        &argv![
            "import",
            "events",
            "--format",
            "csv",
            "--dataset",
            data("import/events-states.json"),
            "--period",
            "1é",
            data("import/events.csv")
        ],
        None,
        T,
        512 * MIB,
    );
    assert_safe("--period 1é", &o, 2);
    assert!(
        o.stderr.contains("--period: invalid step \"1é\""),
        "{}",
        o.stderr
    );
}

/// Found by the `import_atop` fuzz target after 24,848 runs: an exit year of 18100 passed the
/// ATOP importer and gave a date the dataset format cannot write ("+18100-01-01"); the CLI then
/// failed in the final check with `<in-memory>: events[17].date`, naming neither the file nor
/// the line. Years outside 0000–9999 are now bad rows of the ATOP file (skipped and counted, as
/// other malformed rows) and errors of the COW list naming the line.
#[test]
fn atop_and_cow_years_beyond_9999_are_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let atop = dir.path().join("atop.csv");
    std::fs::write(
        &atop,
        "atopid,member,yrent,moent,dayent,yrexit,moexit,dayexit,phase,defense,offense,neutral,nonagg,consul\n\
         9001,2,1950,6,1,1955,1,1,1,1,0,0,0,0\n\
         9001,20,1950,6,1,1955,1,1,1,1,0,0,0,0\n\
         9002,2,1950,6,1,18100,1,1,1,1,0,0,0,0\n",
    )
    .unwrap();
    let out = dir.path().join("out.json");
    let o = run(
        &argv![
            "import",
            "atop",
            "--states",
            data("import/states-messy.csv"),
            "--members",
            &atop,
            "-o",
            &out
        ],
        None,
        T,
        512 * MIB,
    );
    assert_safe("ATOP year 18100", &o, 0);
    assert!(o.stderr.contains("(1 skipped)"), "{}", o.stderr);
    assert!(!o.stderr.contains("<in-memory>"), "{}", o.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("18100"));
    entente::dataset::load_str(&text, "out.json").unwrap();

    let cow = dir.path().join("states.csv");
    std::fs::write(
        &cow,
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n\
         USA,2,United States,18160,1,1,2016,12,31,2016\n",
    )
    .unwrap();
    let o = run(
        &argv![
            "import",
            "atop",
            "--states",
            &cow,
            "--members",
            data("import/atop-messy.csv")
        ],
        None,
        T,
        512 * MIB,
    );
    assert_safe("COW year 18160", &o, 2);
    assert!(
        o.stderr
            .contains("states.csv: line 2: invalid date 18160-1-1"),
        "{}",
        o.stderr
    );
}

/// `metrics` and `report` over ten thousand years by day used to compute for hours before
/// writing anything; such a series is now refused at once, naming the range and the step.
#[test]
fn an_endless_series_is_refused_at_once() {
    for cmd in [
        argv![
            "metrics",
            "--from",
            "0001-01-01",
            "--to",
            "9999-12-31",
            "--step",
            "1d"
        ],
        argv![
            "report",
            "--from",
            "0001-01-01",
            "--to",
            "9999-12-31",
            "--step",
            "1w",
            "--out",
            "/nonexistent-entente-dir"
        ],
    ] {
        let o = run(&cmd, None, T, 512 * MIB);
        assert_safe("endless series", &o, 2);
        assert!(
            o.stderr
                .contains("the series 0001-01-01 to 9999-12-31 by 1")
                && o.stderr.contains("has more than 100000 dates"),
            "{}",
            o.stderr
        );
    }
}

/// `export gexf` samples the weights at a regular step from the first to the last event: by day
/// over events from year 1 to 9999 that was 3.65 million samples (13 s in a debug build for two
/// states, proportionally more for more). It is refused at once like a series of more than
/// 100,000 dates, and the output file is not created; a coarser step is fine.
#[test]
fn a_gexf_of_millions_of_samples_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("long.json");
    std::fs::write(
        &p,
        r#"{"name": "long", "states": [{"id": "AAA", "name": "A"}, {"id": "BBB", "name": "B"}],
            "alliances": [{"id": "P", "name": "P", "kind": "defense"}],
            "events": [
              {"date": "0001-01-01", "kind": "join", "state": "AAA", "alliance": "P"},
              {"date": "0001-01-01", "kind": "join", "state": "BBB", "alliance": "P"},
              {"date": "9999-12-31", "kind": "leave", "state": "BBB", "alliance": "P"}]}"#,
    )
    .unwrap();
    let out = dir.path().join("long.gexf");
    let o = run(
        &argv!["export", "gexf", &p, "--step", "1d", "-o", &out],
        None,
        T,
        512 * MIB,
    );
    assert_safe("GEXF by day over 10,000 years", &o, 2);
    assert!(
        o.stderr.contains(
            "export gexf: sampling the weights every 1d from 0001-01-01 to 9999-12-31 (the first \
             and the last change) would take more than 100000 samples: use a larger step (--step)"
        ),
        "{}",
        o.stderr
    );
    assert!(!out.exists());
    let o = run(
        &argv!["export", "gexf", &p, "--step", "1y", "-o", &out],
        None,
        T,
        512 * MIB,
    );
    assert_safe("GEXF by year over 10,000 years", &o, 0);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("9999-12-31"));
}
