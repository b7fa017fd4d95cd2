//! The look of line charts, checked on the binary's output: `--style paper` (text of at least
//! 8 pt at 6.5 in × 300 dpi, computed from the SVG's font sizes and the resolution; no title;
//! the event key written beside the chart), names at the line ends with identical lines named
//! together, a fixed axis for a flat series, `--width-in/--dpi` sizes and their refusals, and
//! no progress bar when standard error is not a terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;
use std::path::Path;

/// Every `<text>` of an SVG: its content and its font size in pixels.
fn texts(svg: &str) -> Vec<(String, f64)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let size = n
                .attribute("font-size")
                .and_then(|s| s.trim_end_matches("px").parse::<f64>().ok())
                .expect("every text has a font size");
            (n.text().unwrap_or("").trim().to_string(), size)
        })
        .collect()
}

/// The SVG's width attribute.
fn svg_width(svg: &str) -> f64 {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.root_element()
        .attribute("width")
        .unwrap()
        .parse()
        .unwrap()
}

fn plot(dir: &Path, name: &str, args: &[&str]) -> (String, String) {
    let out = dir.join(name);
    let o = entente()
        .arg("plot")
        .args(args)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (
        std::fs::read_to_string(&out).unwrap_or_default(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

#[test]
fn paper_charts_have_8_pt_text_no_title_and_the_key_beside_them() {
    let tmp = tempfile::tempdir().unwrap();
    for (kind, extra) in [
        ("timeline", &["--metric", "mean_tie"][..]),
        ("members", &["--alliance", "CSTO"][..]),
    ] {
        let mut args = vec![kind, "--from", "2018-01-01"];
        args.extend_from_slice(extra);
        let (screen, _) = plot(tmp.path(), &format!("{kind}-screen.svg"), &args);
        args.extend_from_slice(&["--style", "paper", "--width-in", "6.5", "--dpi", "300"]);
        let (paper, stdout) = plot(tmp.path(), &format!("{kind}.svg"), &args);
        assert_eq!(svg_width(&paper), 1950.0, "6.5 in at 300 dpi");

        // Point size = font size in pixels (the em) × 72 / dpi.
        let sizes = texts(&paper);
        assert!(
            sizes.iter().any(|(t, _)| t == "2020"),
            "{kind}: a year tick"
        );
        for (text, px) in &sizes {
            let pt = px * 72.0 / 300.0;
            assert!(pt >= 8.0 - 1e-9, "{kind}: {text:?} is {pt:.2} pt");
        }
        // The same chart for a screen at this width would have had smaller axis text.
        let tick_px = sizes.iter().find(|(t, _)| t == "2020").unwrap().1;
        assert!(tick_px * 72.0 / 300.0 < 10.0, "axis text stays modest");

        // The title is in the screen chart, not in the paper one; nor is the in-image key.
        let title = "CSTO under strain";
        assert!(texts(&screen).iter().any(|(t, _)| t.starts_with(title)));
        assert!(texts(&screen).iter().any(|(t, _)| t == "Events"));
        assert!(!sizes.iter().any(|(t, _)| t.starts_with(title)), "{kind}");
        assert!(!sizes.iter().any(|(t, _)| t == "Events"), "{kind}");
        assert!(!paper.contains("Second Nagorno-Karabakh war begins"));

        // The key is written beside the chart and named on stdout.
        let key_path = tmp.path().join(format!("{kind}.key.txt"));
        assert!(stdout.contains(&key_path.display().to_string()), "{stdout}");
        let key = std::fs::read_to_string(&key_path).unwrap();
        assert!(
            key.lines()
                .any(|l| l == "10  2020-09-27  Second Nagorno-Karabakh war begins"),
            "{key}"
        );
        // Every numbered event of the range, and none before it.
        assert!(!key.contains("1992-05-15"), "{key}");
        let first: usize = key.split_whitespace().next().unwrap().parse().unwrap();
        let drawn: Vec<&str> = sizes.iter().map(|(t, _)| t.as_str()).collect();
        assert!(
            drawn
                .iter()
                .any(|t| t.split([',', '–']).any(|n| n == first.to_string())),
            "event {first} is numbered on the chart: {drawn:?}"
        );
    }
}

#[test]
fn paper_png_defaults_to_6_5_in_at_300_dpi() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("fig.png");
    entente()
        .args([
            "plot",
            "timeline",
            "--from",
            "2020-01-01",
            "--style",
            "paper",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let reader = png::Decoder::new(&bytes[..]).read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (1950, 1097));
    assert!(tmp.path().join("fig.key.txt").exists());
}

#[test]
fn lines_are_named_at_their_ends_and_identical_lines_together() {
    let tmp = tempfile::tempdir().unwrap();
    let (svg, _) = plot(
        tmp.path(),
        "members.svg",
        &["members", "--alliance", "CSTO", "--from", "2018-01-01"],
    );
    let t = texts(&svg);
    let names: Vec<&str> = t.iter().map(|(s, _)| s.as_str()).collect();
    // Kyrgyzstan's and Tajikistan's alignments are equal over the whole range: one line, one
    // name for both; no legend title.
    assert!(
        names.contains(&"KGZ (Kyrgyzstan), TJK (Tajikistan)"),
        "{names:?}"
    );
    assert!(names.contains(&"RUS (Russia)"), "{names:?}");
    assert!(
        !names.contains(&"Members"),
        "names at the line ends, not a legend"
    );
}

#[test]
fn a_flat_series_gets_a_fixed_axis_from_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let (svg, _) = plot(
        tmp.path(),
        "flat.svg",
        &[
            "timeline",
            "--metric",
            "balance",
            "--alliance",
            "NATO",
            "--from",
            "2018-01-01",
        ],
    );
    let names: Vec<String> = texts(&svg).into_iter().map(|(s, _)| s).collect();
    assert!(names.iter().any(|s| s == "0.0"), "{names:?}");
    assert!(names.iter().any(|s| s == "1.0"), "{names:?}");
    assert!(
        !names.iter().any(|s| s == "0.90" || s == "0.9"),
        "{names:?}"
    );
}

#[test]
fn inches_and_dpi_size_the_picture_and_are_refused_when_meaningless() {
    let tmp = tempfile::tempdir().unwrap();
    let (svg, _) = plot(
        tmp.path(),
        "small.svg",
        &["timeline", "--width-in", "3.25", "--dpi", "200"],
    );
    assert_eq!(svg_width(&svg), 650.0);
    for (args, msg) in [
        (
            &["--dpi", "300"][..],
            "--dpi needs --width-in or --style paper",
        ),
        (
            &["--size", "800x600", "--width-in", "3"][..],
            "cannot be used with",
        ),
        (&["--width-in", "0"][..], "greater than 0"),
        (&["--style", "paper", "--dpi", "2"][..], "from 50 to 2400"),
    ] {
        let out = tmp.path().join("refused.png");
        let o = entente()
            .args(["plot", "timeline"])
            .args(args)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(msg), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?}: nothing written");
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t.png");
    let o = entente()
        .args(["plot", "timeline", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let dir = tmp.path().join("report");
    let o = entente()
        .args(["report", &common::data_str("five-states.json"), "-o"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains('\r') && !err.contains("report:"), "{err}");
}

#[test]
fn a_paper_report_has_paper_charts_and_points_its_captions_to_the_event_table() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("paper");
    entente()
        .args([
            "report",
            &common::data_str("five-states.json"),
            "--metric",
            "mean_tie",
            "--style",
            "paper",
            "--svg",
            "-o",
        ])
        .arg(&dir)
        .assert()
        .success();
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(!page.contains("listed under the chart"), "{page}");
    let svg = std::fs::read_to_string(dir.join("timeline-mean_tie.svg")).unwrap();
    assert_eq!(svg_width(&svg), 1950.0);
    assert!(!texts(&svg).iter().any(|(t, _)| t == "Events"));
    for (text, px) in texts(&svg) {
        assert!(px * 72.0 / 300.0 >= 8.0 - 1e-9, "{text:?}");
    }
}
