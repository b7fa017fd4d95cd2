//! `plot network|heatmap --blocs signed` and `plot alluvial`, read back from the SVG: signed
//! blocs part two enemies that positive-only Louvain puts together (fixture
//! `signed/enemies-share-a-friend.json`), and the alluvial chart draws and reports the bloc
//! switch of `signed/switch.json` (B leaves A for C and D on 2010-01-01) and Armenia's 2024
//! switch in the CSTO data. The network layout of a graph above the exact-repulsion size is the
//! same bytes run after run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{data_str, entente, ok, SWITCH_SERIES};

/// A filled polygon: fill, opacity, points.
type Polygon = (String, f64, Vec<(f64, f64)>);

/// The parts of an SVG these tests read.
#[derive(Debug, Default)]
struct Svg {
    /// (x, y, anchor, content, bold)
    texts: Vec<(f64, f64, String, String, bool)>,
    /// (cx, cy, r, fill)
    circles: Vec<(f64, f64, f64, String)>,
    /// (fill, opacity, points)
    polygons: Vec<Polygon>,
}

fn parse(text: &str) -> Svg {
    let doc = roxmltree::Document::parse(text).unwrap();
    let num = |n: &roxmltree::Node, a: &str| -> f64 { n.attribute(a).unwrap().parse().unwrap() };
    let mut svg = Svg::default();
    for n in doc.descendants() {
        let attr = |a: &str| n.attribute(a).unwrap_or("").to_string();
        match n.tag_name().name() {
            "text" => svg.texts.push((
                num(&n, "x"),
                num(&n, "y"),
                attr("text-anchor"),
                n.text().unwrap_or("").trim().to_string(),
                attr("font-weight") == "bold",
            )),
            "circle" => {
                svg.circles
                    .push((num(&n, "cx"), num(&n, "cy"), num(&n, "r"), attr("fill")))
            }
            "polygon" => svg.polygons.push((
                attr("fill"),
                n.attribute("opacity").map_or(1.0, |o| o.parse().unwrap()),
                attr("points")
                    .split_whitespace()
                    .map(|p| {
                        let (x, y) = p.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect(),
            )),
            _ => {}
        }
    }
    svg
}

/// Runs `entente plot KIND FILE ARGS… -o chart.svg`; returns the SVG and standard output.
fn plot(kind: &str, file: &str, extra: &[&str]) -> (Svg, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("chart.svg");
    let mut args = vec!["plot", kind, file, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = ok(&format!("{args:?}"), entente().args(&args));
    let text = std::fs::read_to_string(&out).unwrap();
    (parse(&text), String::from_utf8(o.stdout).unwrap())
}

/// The fill of the node drawn for label `id` (the filled circle nearest its centred label).
fn node_fill(svg: &Svg, id: &str) -> String {
    let t = svg
        .texts
        .iter()
        .find(|t| t.3 == id && t.2 == "middle")
        .unwrap_or_else(|| panic!("no node label {id}"));
    nearest_fill(svg.circles.iter().filter(|c| c.3 != "none" && c.2 > 5.0), t)
}

/// The fill of the circle nearest a text's anchor.
fn nearest_fill<'a>(
    circles: impl Iterator<Item = &'a (f64, f64, f64, String)>,
    t: &(f64, f64, String, String, bool),
) -> String {
    circles
        .min_by(|a, b| {
            (a.0 - t.0)
                .hypot(a.1 - t.1)
                .total_cmp(&(b.0 - t.0).hypot(b.1 - t.1))
        })
        .unwrap()
        .3
        .clone()
}

fn has_text(svg: &Svg, s: &str) -> bool {
    svg.texts.iter().any(|t| t.3 == s)
}

#[test]
fn signed_blocs_colour_two_enemies_apart_where_louvain_joins_them() {
    let file = data_str("signed/enemies-share-a-friend.json");
    let (positive, _) = plot("network", &file, &["--size", "800x600"]);
    // Positive-only Louvain: A, B and C in one bloc, so one colour.
    assert_eq!(node_fill(&positive, "A"), node_fill(&positive, "B"));
    assert_eq!(node_fill(&positive, "A"), node_fill(&positive, "C"));
    assert!(has_text(&positive, "Louvain blocs (positive ties)"));
    let (signed, _) = plot(
        "network",
        &file,
        &["--size", "800x600", "--blocs", "signed"],
    );
    // Signed blocs {A, C} and {B}: the enemies differ, A keeps its friend's colour.
    assert_ne!(node_fill(&signed, "A"), node_fill(&signed, "B"));
    assert_eq!(node_fill(&signed, "A"), node_fill(&signed, "C"));
    assert!(has_text(
        &signed,
        "Signed blocs (positive and negative ties)"
    ));
    // The caption (wrapped over two lines) counts the signed blocs of two or more states.
    let caption: Vec<&str> = signed.texts.iter().map(|t| t.3.as_str()).collect();
    assert!(
        caption
            .join(" ")
            .contains("signed blocs 1 (signed modularity 0.045)"),
        "{caption:?}"
    );
}

#[test]
fn signed_blocs_group_the_heatmap_rows() {
    let file = data_str("signed/enemies-share-a-friend.json");
    // Row labels are right-aligned left of the matrix; read them top to bottom.
    let rows = |svg: &Svg| -> Vec<String> {
        let mut r: Vec<&(f64, f64, String, String, bool)> = svg
            .texts
            .iter()
            .filter(|t| t.2 == "end" && ["A", "B", "C"].contains(&t.3.as_str()))
            .collect();
        r.sort_by(|a, b| a.1.total_cmp(&b.1));
        r.iter().map(|t| t.3.clone()).collect()
    };
    let (positive, _) = plot("heatmap", &file, &["--size", "800x600"]);
    assert_eq!(rows(&positive), ["A", "B", "C"]);
    let (signed, _) = plot(
        "heatmap",
        &file,
        &["--size", "800x600", "--blocs", "signed"],
    );
    // {A, C} first, B (a bloc of its own) last.
    assert_eq!(rows(&signed), ["A", "C", "B"]);
    assert!(signed
        .texts
        .iter()
        .any(|t| t.3.contains("states grouped by signed bloc")));
}

#[test]
fn alluvial_draws_and_reports_a_known_switch() {
    let file = data_str("signed/switch.json");
    let mut extra = SWITCH_SERIES.to_vec();
    extra.extend(["--size", "800x600"]);
    let (svg, stdout) = plot("alluvial", &file, &extra);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[1..],
        ["B leaves the bloc of A for the bloc of C, D on 2010-01-01"]
    );
    for d in ["2005-01-01", "2010-01-01", "2015-01-01"] {
        assert!(has_text(&svg, d), "column {d}");
    }
    assert!(svg
        .texts
        .iter()
        .any(|t| t.3 == "Switches (1): B 0 → 1 on 2010-01-01."));
    // B is labelled in bold (it moves), A is not.
    assert!(svg.texts.iter().any(|t| t.3 == "B" && t.4));
    assert!(svg.texts.iter().any(|t| t.3 == "A" && !t.4));
    // One band is drawn strong: B's, from its slot in A's bloc (left) to its slot in the bloc
    // of C and D (right), in the colour of A's bloc.
    let strong: Vec<_> = svg.polygons.iter().filter(|p| p.1 > 0.8).collect();
    assert_eq!(strong.len(), 1);
    let band = &strong[0];
    let legend = |label: &str| {
        let t = svg.texts.iter().find(|t| t.3 == label).unwrap();
        nearest_fill(svg.circles.iter(), t)
    };
    assert_eq!(band.0, legend("0: A"));
    assert_ne!(band.0, legend("1: B, C, D"));
    let x0 = band.2.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let left: Vec<f64> = band.2.iter().filter(|p| p.0 == x0).map(|p| p.1).collect();
    let b_left = svg
        .texts
        .iter()
        .find(|t| t.3 == "B" && t.2 == "end")
        .unwrap();
    // The label's anchor is its top (dy 0.76em): its middle lies a little below.
    let (lo, hi) = (left[0].min(left[1]), left[0].max(left[1]));
    assert!(
        lo - 10.0 <= b_left.1 && b_left.1 <= hi,
        "B's label at {} beside its band {lo}–{hi}",
        b_left.1
    );
}

#[test]
fn alluvial_shows_armenia_leaving_the_russian_bloc_in_2024() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("arm.png");
    let o = ok(
        "alluvial",
        entente().args([
            "plot",
            "alluvial",
            "--from",
            "2018-01-01",
            "--state",
            "ARM",
            "--state",
            "RUS",
            "--state",
            "FRA",
            "-o",
            out.to_str().unwrap(),
        ]),
    );
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(
        stdout.contains("ARM leaves the bloc of RUS, BLR, KAZ and 6 more for the bloc of GEO, UKR, TUR and 31 more on 2024-03-01"),
        "{stdout}"
    );
    // Only the shown states' switches are reported.
    assert!(!stdout.contains("AZE leaves"), "{stdout}");
}

#[test]
fn alluvial_refuses_flags_that_do_not_apply_and_unknown_states() {
    let (code, _, err) = common::run(&["plot", "alluvial", "--date", "2020-01-01", "-o", "x.png"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--date does not apply to `plot alluvial`"),
        "{err}"
    );
    let (code, _, err) = common::run(&["plot", "alluvial", "--state", "XYZ", "-o", "x.png"]);
    assert_eq!(code, 2);
    assert!(err.contains("--state: unknown state id \"XYZ\""), "{err}");
    let (code, _, err) = common::run(&["plot", "timeline", "--blocs", "signed", "-o", "x.png"]);
    assert_eq!(code, 2);
    assert!(err.contains("--blocs does not apply"), "{err}");
}

#[test]
fn a_large_network_is_laid_out_the_same_way_every_run() {
    // 200 states: above the exact-repulsion size, so the Barnes–Hut path runs.
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g");
    ok(
        "generate",
        entente().args([
            "generate",
            "--states",
            "200",
            "--alliances",
            "6",
            "--events",
            "3000",
            "--years",
            "2",
            "-o",
            g.to_str().unwrap(),
        ]),
    );
    let ds = g.join("dataset.json");
    let ties = g.join("ties.csv");
    let run = |name: &str| {
        let out = dir.path().join(name);
        ok(
            "network",
            entente().args([
                "plot",
                "network",
                ds.to_str().unwrap(),
                "--ties",
                ties.to_str().unwrap(),
                "--size",
                "800x600",
                "-o",
                out.to_str().unwrap(),
            ]),
        );
        std::fs::read(out).unwrap()
    };
    let (a, b) = (run("a.svg"), run("b.svg"));
    assert!(a == b, "two runs drew different networks");
}

#[test]
fn the_report_draws_the_alluvial_chart_in_its_story() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    ok(
        "report",
        entente().args(["report", "-o", out.to_str().unwrap()]),
    );
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    let chart = "alluvial-signed-blocs.png";
    assert!(out.join(chart).is_file(), "no {chart}");
    // In the story, after the focal alliance's member chart and before the first ego chart.
    let at = |s: &str| {
        page.find(s)
            .unwrap_or_else(|| panic!("{s} not in the page"))
    };
    assert!(
        at("members-CSTO.png") < at(chart),
        "alluvial before the members chart"
    );
    assert!(at(chart) < at("ego-"), "alluvial after the ego charts");
}
