//! Input paths the other tests do not take: several `--ties` files and `--ties -` on every command
//! that reads them; `import events` with several files and standard input, and its refusal of
//! scales and durations that make no sense; the cap on printed warnings; `snapshot --top`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;
use std::path::{Path, PathBuf};

const CHARTS: &str = "tests/data/charts.json";
const TIES_1: &str = "date,a,b,delta,half_life_days,duration_days\n2020-03-01,A,C,0.4,,\n";
const TIES_2: &str = "date,a,b,delta,half_life_days,duration_days\n2020-05-01,A,B,-0.3,90,\n";

/// Runs entente with `stdin`; returns standard output, or the file `out` when given.
fn run(args: &[String], stdin: &str, out: Option<&Path>) -> Vec<u8> {
    let o = entente().args(args).write_stdin(stdin).output().unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    match out {
        Some(p) => std::fs::read(p).unwrap(),
        None => o.stdout,
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn several_tie_files_and_stdin_on_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let t1 = dir.path().join("t1.csv");
    let t2 = dir.path().join("t2.csv");
    std::fs::write(&t1, TIES_1).unwrap();
    std::fs::write(&t2, TIES_2).unwrap();
    let (t1, t2) = (t1.to_str().unwrap(), t2.to_str().unwrap());
    let png = dir.path().join("chart.png");
    let folder = dir.path().join("report");
    // (command, where its output goes: None for stdout)
    let commands: Vec<(Vec<&str>, Option<PathBuf>)> = vec![
        (vec!["validate", CHARTS], None),
        (vec!["snapshot", CHARTS, "--date", "2020-06-01"], None),
        (vec!["metrics", CHARTS, "--to", "2020-08-01"], None),
        (
            vec!["diff", CHARTS, "--from", "2020-01-01", "--to", "2020-06-01"],
            None,
        ),
        (vec!["export", "gexf", CHARTS, "--step", "1m"], None),
        (vec!["export", "csv", CHARTS, "--date", "2020-06-01"], None),
        (
            vec!["export", "graphml", CHARTS, "--date", "2020-06-01"],
            None,
        ),
        (
            vec![
                "plot",
                "heatmap",
                CHARTS,
                "--date",
                "2020-06-01",
                "--size",
                "400x320",
                "--out",
            ],
            Some(png.clone()),
        ),
        (
            vec![
                "report",
                CHARTS,
                "--to",
                "2020-08-01",
                "--size",
                "400x320",
                "--svg",
                "--out",
            ],
            Some(folder.join("metrics.csv")),
        ),
    ];
    for (cmd, out) in commands {
        let mut base = strings(&cmd);
        if cmd[0] == "plot" {
            base.push(png.to_str().unwrap().into());
        }
        if cmd[0] == "report" {
            base.push(folder.to_str().unwrap().into());
        }
        let with = |ties: &[&str]| {
            let mut a = base.clone();
            for t in ties {
                a.extend(["--ties".to_string(), t.to_string()]);
            }
            a
        };
        let none = run(&base, "", out.as_deref());
        let one = run(&with(&[t1]), "", out.as_deref());
        let both = run(&with(&[t1, t2]), "", out.as_deref());
        let reversed = run(&with(&[t2, t1]), "", out.as_deref());
        let stdin = run(&with(&[t1, "-"]), TIES_2, out.as_deref());
        let stdin_first = run(&with(&["-", t2]), TIES_1, out.as_deref());
        let what = cmd[..2].join(" ");
        if cmd[0] == "validate" {
            // validate reports the rows it read.
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            assert_ne!(text(&none), text(&both), "{what}: the tie rows count");
            continue;
        }
        assert!(
            none != one && one != both,
            "{what}: each tie file changes the output"
        );
        assert!(
            both == reversed,
            "{what}: the order of --ties files does not matter"
        );
        assert!(
            both == stdin,
            "{what}: --ties - reads standard input like a file"
        );
        assert!(both == stdin_first, "{what}: --ties - may come first");
    }
}

#[test]
fn stdin_cannot_be_two_tie_files() {
    let out = entente()
        .args([
            "snapshot",
            CHARTS,
            "--date",
            "2020-06-01",
            "--ties",
            "-",
            "--ties",
            "-",
        ])
        .write_stdin(TIES_1)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn import_events_from_several_files_and_stdin() {
    let events = common::data_str("import/events.csv");
    let text = std::fs::read_to_string(&events).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let (a, b) = rows.split_at(2);
    let part = |r: &[&str]| format!("{header}\n{}\n", r.join("\n"));
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&pa, part(a)).unwrap();
    std::fs::write(&pb, part(b)).unwrap();
    let (pa, pb) = (pa.to_str().unwrap(), pb.to_str().unwrap());
    let import = |files: &[&str], stdin: &str| {
        let mut args = strings(&["import", "events", "--format", "csv"]);
        args.extend(files.iter().map(|f| f.to_string()));
        let o = entente().args(&args).write_stdin(stdin).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    };
    let (whole, _) = import(&[&events], "");
    let (split, err) = import(&[pa, pb], "");
    assert_eq!(split, whole, "two files give the rows of one");
    assert!(err.contains("5 rows read from 2 file(s), 3 used"), "{err}");
    let (from_stdin, _) = import(&[pa, "-"], &part(b));
    assert_eq!(from_stdin, whole, "standard input as one of the files");
    let (all_stdin, _) = import(&["-"], &text);
    assert_eq!(all_stdin, whole);
    assert!(whole.starts_with("date,a,b,delta,half_life_days,duration_days\n"));
    assert_eq!(whole.lines().count(), 3, "{whole}");
}

#[test]
fn import_events_refuses_meaningless_scales_and_durations() {
    let events = common::data_str("import/events.csv");
    for (flag, value, want) in [
        (
            "--scale",
            "0",
            "error: --scale: expected a non-zero number, found 0",
        ),
        (
            "--scale",
            "NaN",
            "error: --scale: expected a non-zero number, found NaN",
        ),
        (
            "--scale",
            "inf",
            "error: --scale: expected a non-zero number, found inf",
        ),
        (
            "--half-life",
            "0",
            "error: --half-life: expected a number greater than 0, found 0",
        ),
        (
            "--half-life",
            "NaN",
            "error: --half-life: expected a number greater than 0, found NaN",
        ),
        (
            "--duration",
            "0",
            "error: --duration: expected a number greater than 0, found 0",
        ),
        (
            "--duration",
            "inf",
            "error: --duration: expected a number greater than 0, found inf",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out_file = dir.path().join("ties.csv");
        let o = entente()
            .args([
                "import", "events", "--format", "csv", &events, flag, value, "-o",
            ])
            .arg(&out_file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}: {err}");
        assert_eq!(err.lines().next(), Some(want), "{flag} {value}");
        assert!(!out_file.exists(), "{flag} {value}: nothing written");
    }
    // Negative half-lives and durations are refused too (today by the flag parser).
    for flag in ["--half-life", "--duration"] {
        let o = entente()
            .args(["import", "events", "--format", "csv", &events, flag, "-3"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{flag} -3");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn warnings_are_capped_with_a_count_of_the_rest() {
    // 60 suspicious events (leaving an alliance one is not in): 50 printed, then a count.
    let events: Vec<String> = (0..60)
        .map(|k| {
            format!(
                r#"{{"date":"2020-01-{:02}","kind":"leave","state":"A","alliance":"X"}}"#,
                k % 28 + 1
            )
        })
        .collect();
    let text = format!(
        r#"{{"name":"t","states":[{{"id":"A","name":"A"}}],"alliances":[{{"id":"X","name":"X"}}],"events":[{}]}}"#,
        events.join(",")
    );
    let out = entente()
        .args(["snapshot", "-", "--date", "2020-03-01"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 51, "{err}");
    assert!(lines[..50]
        .iter()
        .all(|l| l.starts_with("warning: -: events[")));
    assert_eq!(lines[50], "warning: … and 10 more warnings");
}

#[test]
fn snapshot_top_sets_the_rows_per_section() {
    let table = |top: &str| {
        let o = entente()
            .args([
                "snapshot",
                "--date",
                "2024-03-01",
                "--format",
                "table",
                "--top",
                top,
            ])
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap()
    };
    // Rows of a section: the indented lines under its heading.
    let section = |text: &str, heading: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| *l != heading)
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .map(str::to_string)
            .collect()
    };
    let three = table("3");
    let ten = table("10");
    for heading in ["Strongest ties", "Most negative ties"] {
        let (a, b) = (section(&three, heading), section(&ten, heading));
        assert_eq!(a.len(), 3, "{heading}:\n{three}");
        assert_eq!(b.len(), 10, "{heading}");
        assert_eq!(
            a[..],
            b[..3],
            "--top 3 shows the first three of the same ranking"
        );
    }
    assert_eq!(section(&ten, "Most negative ties")[0], "  ARM  AZE  -0.888");
}
