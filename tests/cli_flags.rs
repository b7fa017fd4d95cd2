//! The command-line boundary as a user meets it: one spelling of the output path in every
//! command that writes (`-o`, `--output`, and the old `--out`), the chart format chosen by the
//! file's extension, negative numbers as flag values, `import events --from-format` (and its
//! deprecated `--format`), shell completions, the man page, `list`, and `--alliance` by name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{entente, run};
use std::fs;
use std::path::{Path, PathBuf};

fn data(p: &str) -> String {
    common::data_str(p)
}

/// The arguments of each command that writes a file (or standard output unless told otherwise),
/// before the output flag.
fn writers() -> Vec<Vec<String>> {
    let small = data("five-states.json");
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&["validate", &small]),
        s(&["snapshot", &small, "--date", "2004-01-01"]),
        s(&["metrics", &small, "--step", "1y", "--format", "csv"]),
        s(&["diff", &small, "--from", "2002-01-01", "--to", "2004-01-01"]),
        s(&["list", "alliances", &small]),
        s(&["plot", "network", &small, "--size", "480x320"]),
        s(&["export", "csv", &small, "--date", "2004-01-01"]),
        s(&["export", "graphml", &small, "--date", "2004-01-01"]),
        s(&["export", "gexf", &small, "--step", "1y"]),
        s(&["import", "members", "--csv", &data("import/members.csv")]),
        s(&[
            "import",
            "events",
            "--from-format",
            "csv",
            "--dataset",
            &data("import/events-states.json"),
            &data("import/events.csv"),
        ]),
        s(&["completions", "bash"]),
        s(&["man"]),
    ]
}

#[test]
fn every_writer_takes_o_output_and_out_with_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    for (k, cmd) in writers().iter().enumerate() {
        let mut outputs = Vec::new();
        for flag in ["-o", "--output", "--out"] {
            let path = tmp.path().join(format!("{k}{flag}.png"));
            let o = entente().args(cmd).arg(flag).arg(&path).output().unwrap();
            assert!(
                o.status.success(),
                "{cmd:?} {flag}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            outputs.push(fs::read(&path).unwrap());
        }
        assert!(outputs[0].len() > 10, "{cmd:?}");
        if cmd[0] != "plot" {
            // Without the flag the same bytes go to standard output.
            let o = entente().args(cmd).output().unwrap();
            assert_eq!(o.stdout, outputs[0], "{cmd:?}: file and stdout differ");
        }
        assert!(
            outputs.iter().all(|b| b == &outputs[0]),
            "{cmd:?}: spellings differ"
        );
    }
}

#[test]
fn report_and_generate_take_every_spelling_of_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    for flag in ["-o", "--output", "--out"] {
        let dir = tmp.path().join(format!("report{flag}"));
        entente()
            .args(["report", &data("five-states.json"), "--step", "1y"])
            .args(["--size", "480x320", flag])
            .arg(&dir)
            .assert()
            .success();
        assert!(dir.join("index.html").is_file(), "{flag}");
        let dir = tmp.path().join(format!("gen{flag}"));
        entente()
            .args(["generate", "--states", "5", "--alliances", "2"])
            .args(["--events", "10", "--years", "1", flag])
            .arg(&dir)
            .assert()
            .success();
        assert!(dir.join("ties.csv").is_file(), "{flag}");
    }
}

#[test]
fn report_prints_a_file_url_to_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my report #1");
    let (code, out, err) = run(&[
        "report",
        &data("five-states.json"),
        "--step",
        "1y",
        "--size",
        "480x320",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let last = out.lines().last().unwrap();
    let want = format!(
        "open file://{}/my%20report%20%231/index.html",
        tmp.path().display()
    );
    assert_eq!(last, want);
}

fn plot_to(path: &Path, extra: &[&str]) -> (i32, String) {
    let o = entente()
        .args(["plot", "network", &data("five-states.json")])
        .args(["--size", "480x320"])
        .args(extra)
        .arg("-o")
        .arg(path)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn plot_chooses_svg_or_png_from_the_extension() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["x.svg", "X.SVG"] {
        let p = tmp.path().join(name);
        assert_eq!(plot_to(&p, &[]).0, 0);
        let text = fs::read_to_string(&p).unwrap();
        assert!(
            text.starts_with("<svg") || text.starts_with("<?xml"),
            "{name}: {}",
            &text[..text.len().min(40)]
        );
    }
    let p = tmp.path().join("x.png");
    assert_eq!(plot_to(&p, &[]).0, 0);
    assert_eq!(&fs::read(&p).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    // --svg with a .svg name agrees; without an extension --svg still decides.
    let p = tmp.path().join("y.svg");
    assert_eq!(plot_to(&p, &["--svg"]).0, 0);
    let p = tmp.path().join("noext");
    assert_eq!(plot_to(&p, &["--svg"]).0, 0);
    assert!(fs::read_to_string(&p).unwrap().contains("<svg"));
}

#[test]
fn plot_refuses_an_unknown_or_contradicting_extension() {
    let tmp = tempfile::tempdir().unwrap();
    let jpg = tmp.path().join("x.jpg");
    let (code, err) = plot_to(&jpg, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&jpg.display().to_string()) && err.contains(".jpg"),
        "{err}"
    );
    let png = tmp.path().join("x.png");
    let (code, err) = plot_to(&png, &["--svg"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&png.display().to_string()) && err.contains("--svg"),
        "{err}"
    );
    assert!(!jpg.exists() && !png.exists(), "nothing written");
}

#[test]
fn negative_numbers_get_our_message_not_clap_advice() {
    let small = data("five-states.json");
    for (args, want) in [
        (
            vec!["metrics", &small, "--step", "-1m"],
            "error: --step: invalid step \"-1m\": a step must be positive",
        ),
        (
            vec!["snapshot", &small, "--date", "2004-01-01", "--top", "-1"],
            "error: --top: expected a whole number of 0 or more, found the negative \"-1\"",
        ),
        (
            vec!["generate", "--states", "-5", "-o", "/nonexistent/x"],
            "error: --states: expected a whole number of 0 or more",
        ),
        (
            vec!["snapshot", &small, "--date", "-1"],
            "error: --date: invalid date \"-1\": expected YYYY-MM-DD",
        ),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("-- -1"), "{args:?}: clap's tip: {err}");
    }
    // A negative --scale is a value (it flips the sign), not a flag.
    let (code, out, err) = run(&[
        "import",
        "events",
        "--from-format",
        "csv",
        "--dataset",
        &data("import/events-states.json"),
        &data("import/events.csv"),
        "--scale",
        "-1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("date,a,b,delta"), "{out}");
    let (code, _, err) = run(&[
        "import",
        "events",
        "--from-format",
        "csv",
        &data("import/events.csv"),
        "--half-life",
        "-3",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--half-life: expected a number greater than 0, found -3"),
        "{err}"
    );
}

#[test]
fn flag_values_are_worded_with_the_flag_and_the_value() {
    let small = data("five-states.json");
    for (args, want) in [
        (
            vec![
                "plot",
                "network",
                &small,
                "--size",
                "10x",
                "-o",
                "/tmp/x.png",
            ],
            "error: --size: invalid size \"10x\"",
        ),
        (
            vec!["metrics", &small, "--from", "2004-13-01"],
            "error: --from: invalid date \"2004-13-01\"",
        ),
        (
            vec!["export", "gexf", &small, "--step", "0d"],
            "error: --step: invalid step \"0d\": N must be at least 1",
        ),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

#[test]
fn from_format_and_its_deprecated_alias_agree() {
    let go = |flag: &str| {
        run(&[
            "import",
            "events",
            flag,
            "csv",
            "--dataset",
            &data("import/events-states.json"),
            &data("import/events.csv"),
        ])
    };
    let (new, old) = (go("--from-format"), go("--format"));
    assert_eq!(new.0, 0, "{}", new.2);
    assert_eq!(new, old);
    let (_, help, _) = run(&["import", "events", "--help"]);
    assert!(help.contains("--from-format"), "{help}");
    assert!(help.contains("deprecated alias"), "{help}");
}

#[test]
fn completions_and_man_pages_come_from_the_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.len() > 1000, "{shell}: {} bytes", out.len());
        for word in ["entente", "snapshot", "from-format", "output"] {
            assert!(out.contains(word), "{shell} completion lacks {word}");
        }
    }
    let (code, man, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(
        man.contains(".TH entente 1") && man.contains("report"),
        "{man}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir: PathBuf = tmp.path().join("man1");
    entente()
        .args(["man", "--dir"])
        .arg(&dir)
        .assert()
        .success();
    for page in ["entente.1", "entente-plot.1", "entente-import-events.1"] {
        let text = fs::read_to_string(dir.join(page)).unwrap();
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
    }
}

#[test]
fn list_shows_ids_names_spans_and_counts() {
    let small = data("five-states.json");
    let (code, out, err) = run(&["list", "alliances", &small]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "id    name      kind     first       last        members\n\
         PACT  The Pact  defense  2000-01-01  2006-01-01  3\n\
         DUO   The Duo   entente  2002-01-01  2008-01-01  2\n"
    );
    let (_, csv, _) = run(&["list", "states", &small, "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,name,first,last,alliances");
    assert!(
        lines.contains(&"EEE,Eland,2001-06-01,2007-01-01,1"),
        "{csv}"
    );
    assert_eq!(lines.len(), 6);
    let (_, json, _) = run(&["list", "events", &small, "--format", "json"]);
    let events: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(events.len(), 15);
    assert_eq!(events[6]["kind"], "tie");
    assert_eq!(events[6]["subjects"], "AAA DDD");
    assert_eq!(events[6]["note"], "A border crisis");
}

#[test]
fn alliance_by_name_and_a_did_you_mean_hint() {
    let small = data("five-states.json");
    let by_id = run(&["metrics", &small, "--alliance", "PACT", "--format", "csv"]);
    let by_name = run(&[
        "metrics",
        &small,
        "--alliance",
        "the pact",
        "--format",
        "csv",
    ]);
    assert_eq!(by_id.0, 0, "{}", by_id.2);
    assert_eq!(by_id, by_name);
    let (code, _, err) = run(&["metrics", &small, "--alliance", "PCAT"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown alliance id \"PCAT\"") && err.contains("did you mean PACT"),
        "{err}"
    );
}
