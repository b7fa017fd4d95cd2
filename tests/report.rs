//! `entente report` and `entente plot` run as the user runs them: every file the page references
//! exists, dataset strings are escaped on the page, file names built from hostile ids stay inside
//! the output folder, files the run did not write are left alone, bad flags exit with status 2.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;
use std::fs;
use std::path::Path;

const EVIL: &str = "tests/data/report-evil.json";

/// Every `src="…"` of the page.
fn sources(html: &str) -> Vec<String> {
    html.split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

fn png_size(path: &Path) -> (u32, u32) {
    let f = fs::File::open(path).unwrap();
    let r = png::Decoder::new(std::io::BufReader::new(f))
        .read_info()
        .unwrap();
    (r.info().width, r.info().height)
}

fn run_report(dir: &Path, extra: &[&str]) -> String {
    let out = common::ok(
        &format!("report {extra:?}"),
        entente()
            .args(["report", EVIL, "--out"])
            .arg(dir)
            .args(["--step", "3m", "--size", "800x450"])
            .args(extra),
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_referenced_file_exists_and_names_stay_inside() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    // Member charts are drawn for the focal alliances: all three hostile ids.
    let stdout = run_report(
        &dir,
        &[
            "--alliance",
            "../../x",
            "--alliance",
            "A/B",
            "--alliance",
            "CON",
        ],
    );
    let html = fs::read_to_string(dir.join("index.html")).unwrap();
    let srcs = sources(&html);
    // The page shows every chart the run wrote, and only those.
    let pngs = fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".png")
        })
        .count();
    assert_eq!(srcs.len(), pngs, "{srcs:?}");
    for s in &srcs {
        assert!(
            !s.contains('/') && !s.contains('\\') && !s.starts_with('.'),
            "{s}"
        );
        let p = dir.join(s);
        assert!(p.is_file(), "index.html references missing {s}");
        assert_eq!(png_size(&p), (800, 450), "{s}");
        assert!(stdout.contains(&p.display().to_string()), "{s} not printed");
    }
    for f in ["metrics.json", "metrics.csv", "index.html"] {
        assert!(dir.join(f).is_file());
    }
    assert!(stdout
        .trim_end()
        .ends_with(&format!("open file://{}", dir.join("index.html").display())));
    // Hostile alliance ids became safe names, inside the folder.
    assert!(dir.join("members-x.png").is_file());
    // A/B's members' alignment never changes: a sentence instead of a chart.
    assert!(html.contains("alignment in A/B is constant"));
    assert!(dir.join("members-_CON.png").is_file());
    // Nothing was written beside the folder or above it.
    let beside: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(beside.len(), 1);
    assert!(!tmp.path().join("x.png").exists());
    // No temporary files left.
    assert!(fs::read_dir(&dir).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));
}

#[test]
fn dataset_strings_are_escaped_on_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    run_report(&dir, &[]);
    let html = fs::read_to_string(dir.join("index.html")).unwrap();
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script tag on the page");
    assert!(!lower.contains("<b>bold") && !lower.contains("<i>source"));
    assert!(!lower.contains("href=\"javascript"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("AAA"));
    assert!(html.contains("Founding &lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;"));
    assert!(html.contains("../../Evil &lt;b&gt;bold&lt;/b&gt; dataset"));
    assert!(html.contains("Border clash &amp; &quot;crisis&quot;"));
}

#[test]
fn the_default_folder_is_the_sanitised_dataset_name_and_a_users_folder_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("output").join("Evil_b_bold_b_dataset");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    fs::write(dir.join("index.html"), "old").unwrap();
    let run = |extra: &[&str]| {
        entente()
            .current_dir(tmp.path())
            .arg("report")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(EVIL))
            .args(["--step", "6m", "--size", "640x360", "--at", "2020-07-01"])
            .args(extra)
            .output()
            .unwrap()
    };
    // A folder entente did not make is refused, untouched.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
    assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "old");
    // With --force it is replaced whole.
    let out = run(&["--force"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("notes.txt").exists());
    assert!(fs::read_to_string(dir.join("index.html"))
        .unwrap()
        .contains("<!DOCTYPE html>"));
    assert!(dir.join("network-2020-07-01.png").is_file());
    // Only the output folder was created in the working directory.
    let top: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(top, ["output"]);
}

#[test]
fn same_input_same_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_report(&a, &["--at", "2021-01-01"]);
    run_report(&b, &["--at", "2021-01-01"]);
    for e in fs::read_dir(&a).unwrap() {
        let name = e.unwrap().file_name();
        assert_eq!(
            fs::read(a.join(&name)).unwrap(),
            fs::read(b.join(&name)).unwrap(),
            "{name:?} differs"
        );
    }
}

#[test]
fn report_refuses_a_file_as_folder_and_bad_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f");
    fs::write(&file, "x").unwrap();
    let out = entente()
        .args(["report", EVIL, "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder"));
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
    for bad in [
        &["--step", "0m"][..],
        &["--at", "2020-02-30"],
        &["--size", "10x10"],
        &["--from", "2022-01-01", "--to", "2020-01-01"],
    ] {
        let out = entente()
            .args(["report", EVIL, "--out"])
            .arg(tmp.path().join("never"))
            .args(bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(
            !tmp.path().join("never").exists(),
            "{bad:?} created the folder"
        );
    }
}

#[test]
fn plot_writes_each_chart_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str]); 6] = [
        ("timeline", &["--metric", "density", "--step", "2m"]),
        ("members", &["--alliance", "../../x"]),
        ("network", &["--date", "2021-06-01"]),
        ("heatmap", &[]),
        ("heatmap", &["--date", "2022-01-01", "--vs", "2020-01-01"]),
        ("timeline", &["--alliance", "A/B", "--alliance", "CON"]),
    ];
    for (k, (kind, extra)) in cases.iter().enumerate() {
        let p = tmp.path().join(format!("{k}.png"));
        let out = entente()
            .args(["plot", kind, EVIL, "--size", "640x360", "--out"])
            .arg(&p)
            .args(*extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{kind} {extra:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(png_size(&p), (640, 360));
    }
    let svg = tmp.path().join("t.svg");
    entente()
        .args(["plot", "network", EVIL, "--svg", "--out"])
        .arg(&svg)
        .assert()
        .success();
    let text = fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("F/F"));
}

#[test]
fn plot_rejects_what_does_not_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("x.png");
    for (kind, extra, says) in [
        (
            "timeline",
            &["--metric", "nope"][..],
            "unknown alliance metric",
        ),
        ("members", &[][..], "exactly one --alliance"),
        ("members", &["--alliance", "ZZZ"][..], "unknown alliance id"),
        (
            "network",
            &["--vs", "2020-01-01"][..],
            "--vs does not apply",
        ),
        (
            "timeline",
            &["--date", "2020-01-01"][..],
            "--date does not apply",
        ),
        ("heatmap", &["--step", "1m"][..], "does not apply"),
        ("heatmap", &["--date", "2020-13-01"][..], "--date"),
    ] {
        let out = entente()
            .args(["plot", kind, EVIL, "--out"])
            .arg(&p)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{kind} {extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{kind} {extra:?}: {err}");
        assert!(!p.exists());
    }
}
