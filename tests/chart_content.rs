//! What the charts show, read back from the picture and checked against the data.
//!
//! `entente plot` runs on `tests/data/charts.json`, built so its values are known: alliance X
//! (states A, B) has a tie of 0.2 until 2021-01-01 and 0.8 after; alliance Y (B, C) has 0.6
//! throughout; B is suspended from X from 2020-07-01 to 2020-10-01; A and C get a permanent −0.5
//! tie on 2022-01-01. The SVG is parsed, the axis scales are read from the chart's own tick labels
//! (value labels beside the gridlines, month/year labels under the date ticks, the colour bar's
//! labels), and every drawn point is mapped back to a date and a value that must match the data
//! within a pixel. The PNG of the same chart is checked at the pixels where a known value is drawn
//! (the series colour) and where nothing is (the white background).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Datelike, NaiveDate};
use common::entente;

const CHARTS: &str = "tests/data/charts.json";

/// A polyline of the SVG.
#[derive(Debug, Clone)]
struct Poly {
    stroke: String,
    width: f64,
    opacity: f64,
    points: Vec<(f64, f64)>,
}

/// A text element of the SVG (its anchor point and content).
#[derive(Debug, Clone)]
struct Text {
    x: f64,
    y: f64,
    anchor: String,
    text: String,
}

/// A filled rectangle of the SVG.
#[derive(Debug, Clone)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    fill: String,
}

/// A circle of the SVG.
#[derive(Debug, Clone)]
struct Circle {
    cx: f64,
    cy: f64,
    r: f64,
    fill: String,
}

#[derive(Debug, Default)]
struct Svg {
    polys: Vec<Poly>,
    texts: Vec<Text>,
    rects: Vec<Rect>,
    circles: Vec<Circle>,
}

fn num(n: &roxmltree::Node, a: &str) -> f64 {
    n.attribute(a)
        .unwrap_or_else(|| panic!("{a} missing on {n:?}"))
        .parse()
        .unwrap()
}

fn parse_svg(text: &str) -> Svg {
    let doc = roxmltree::Document::parse(text).unwrap();
    let mut svg = Svg::default();
    for n in doc.descendants() {
        let attr = |a: &str| n.attribute(a).unwrap_or("").to_string();
        match n.tag_name().name() {
            "polyline" => svg.polys.push(Poly {
                stroke: attr("stroke"),
                width: num(&n, "stroke-width"),
                opacity: n.attribute("opacity").map_or(1.0, |o| o.parse().unwrap()),
                points: attr("points")
                    .split_whitespace()
                    .map(|p| {
                        let (x, y) = p.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect(),
            }),
            "text" => svg.texts.push(Text {
                x: num(&n, "x"),
                y: num(&n, "y"),
                anchor: attr("text-anchor"),
                text: n.text().unwrap_or("").trim().to_string(),
            }),
            "rect" => svg.rects.push(Rect {
                x: num(&n, "x"),
                y: num(&n, "y"),
                w: num(&n, "width"),
                h: num(&n, "height"),
                fill: attr("fill"),
            }),
            "circle" => svg.circles.push(Circle {
                cx: num(&n, "cx"),
                cy: num(&n, "cy"),
                r: num(&n, "r"),
                fill: attr("fill"),
            }),
            _ => {}
        }
    }
    svg
}

/// A linear map `a + b·t`, fitted through labelled ticks and checked on every one of them.
#[derive(Debug, Clone, Copy)]
struct Linear {
    a: f64,
    b: f64,
}

impl Linear {
    fn fit(pairs: &[(f64, f64)], what: &str) -> Linear {
        assert!(pairs.len() >= 2, "{what}: fewer than two labelled ticks");
        let (t0, p0) = pairs[0];
        let (t1, p1) = pairs[pairs.len() - 1];
        let b = (p1 - p0) / (t1 - t0);
        let l = Linear { a: p0 - b * t0, b };
        for &(t, p) in pairs {
            assert!(
                (l.at(t) - p).abs() <= 1.0,
                "{what}: tick {t} at {p}, not on the line through the others ({})",
                l.at(t)
            );
        }
        l
    }
    fn at(&self, t: f64) -> f64 {
        self.a + self.b * t
    }
    fn inverse(&self, p: f64) -> f64 {
        (p - self.a) / self.b
    }
}

/// Parses a tick label (`0.2`, `−0.50`).
fn label_value(s: &str) -> Option<f64> {
    s.replace('−', "-").parse().ok()
}

/// The value axis of a line chart: each numeric right-aligned label with its gridline.
fn value_axis(svg: &Svg) -> Linear {
    let grid: Vec<f64> = svg
        .polys
        .iter()
        // Light gridlines, and the grey line at zero.
        .filter(|p| {
            (p.stroke == "#E3E3E3" || p.stroke == "#666666")
                && p.points.len() == 2
                && p.points[0].1 == p.points[1].1
        })
        .map(|p| p.points[0].1)
        .collect();
    let mut pairs: Vec<(f64, f64)> = svg
        .texts
        .iter()
        .filter(|t| t.anchor == "end")
        .filter_map(|t| {
            let v = label_value(&t.text)?;
            let y = grid
                .iter()
                .copied()
                .min_by(|a, b| (a - t.y).abs().total_cmp(&(b - t.y).abs()))?;
            assert!(
                (y - t.y).abs() < 20.0,
                "label {} far from its gridline",
                t.text
            );
            Some((v, y))
        })
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    Linear::fit(&pairs, "value axis")
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn day(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The frame of a line chart: its axis line `x0,y0 x0,y1 x1,y1`.
fn plot_frame(svg: &Svg) -> (f64, f64, f64, f64) {
    let axis = svg
        .polys
        .iter()
        .find(|p| {
            p.stroke == "#222222"
                && p.points.len() == 3
                && p.points[0].0 == p.points[1].0
                && p.points[1].1 == p.points[2].1
        })
        .expect("the axis line");
    (
        axis.points[0].0,
        axis.points[0].1,
        axis.points[2].0,
        axis.points[1].1,
    )
}

/// The date axis: each tick mark under the plot with its month/year labels.
fn date_axis(svg: &Svg) -> Linear {
    let (_, _, _, bottom) = plot_frame(svg);
    let mut ticks: Vec<f64> = svg
        .polys
        .iter()
        .filter(|p| {
            p.stroke == "#222222"
                && p.points.len() == 2
                && p.points[0].0 == p.points[1].0
                && p.points[0].1 == bottom
                && p.points[1].1 > bottom
        })
        .map(|p| p.points[0].0)
        .collect();
    ticks.sort_by(f64::total_cmp);
    let mut year: Option<i32> = None;
    let mut pairs = Vec::new();
    for x in ticks {
        let mut labels: Vec<&Text> = svg
            .texts
            .iter()
            // The axis title ("date") may sit under a tick: it is not a tick label.
            .filter(|t| t.anchor == "middle" && t.x == x && t.y > bottom && t.y < bottom + 45.0)
            .filter(|t| t.text != "date")
            .collect();
        labels.sort_by(|a, b| a.y.total_cmp(&b.y));
        let mut month = 1;
        for l in labels {
            if let Some(m) = MONTHS.iter().position(|m| *m == l.text) {
                month = m as u32 + 1;
            } else if let Ok(y) = l.text.parse::<i32>() {
                year = Some(y);
            } else {
                panic!("unexpected date label {:?}", l.text);
            }
        }
        let y = year.expect("a year label before the first month label");
        let d = NaiveDate::from_ymd_opt(y, month, 1).unwrap();
        pairs.push((day(d), x));
    }
    Linear::fit(&pairs, "date axis")
}

/// The colour of a legend entry: the short line just left of the entry's label.
fn legend_colour(svg: &Svg, label: &str) -> String {
    let t = svg
        .texts
        .iter()
        .find(|t| t.text == label && t.anchor == "start")
        .unwrap_or_else(|| panic!("no legend entry {label:?}"));
    svg.polys
        .iter()
        .filter(|p| p.points.len() == 2 && p.points[0].1 == p.points[1].1)
        .find(|p| {
            (p.points[0].1 - t.y).abs() < 15.0 && p.points[1].0 < t.x && t.x - p.points[1].0 < 15.0
        })
        .map(|p| p.stroke.clone())
        .unwrap_or_else(|| panic!("no legend line for {label:?}"))
}

/// The 3-pixel polylines of one colour inside the plot frame (the series' line pieces).
fn series_pieces<'a>(svg: &'a Svg, colour: &str) -> Vec<&'a Poly> {
    let (x0, _, x1, _) = plot_frame(svg);
    svg.polys
        .iter()
        .filter(|p| p.stroke == colour && p.width == 3.0)
        .filter(|p| {
            p.points
                .iter()
                .all(|&(x, _)| x >= x0 - 0.5 && x <= x1 + 0.5)
        })
        .collect()
}

/// The vertices of a series drawn as one solid line, mapped back to (date, value).
fn series_values(svg: &Svg, colour: &str) -> Vec<(NaiveDate, f64)> {
    let pieces = series_pieces(svg, colour);
    assert_eq!(pieces.len(), 1, "{colour}: expected one solid line");
    let (xa, ya) = (date_axis(svg), value_axis(svg));
    pieces[0]
        .points
        .iter()
        .map(|&(x, y)| {
            let d = NaiveDate::from_num_days_from_ce_opt(xa.inverse(x).round() as i32).unwrap();
            (d, ya.inverse(y))
        })
        .collect()
}

/// Monthly dates from `from` to `to` (the default step of `plot`).
fn months(from: &str, to: &str) -> Vec<NaiveDate> {
    let (from, to) = (date(from), date(to));
    let mut out = vec![];
    let mut d = from;
    while d <= to {
        out.push(d);
        d = d.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    out
}

/// Checks a drawn series against the expected value at each date, within a pixel.
fn assert_series(svg: &Svg, colour: &str, dates: &[NaiveDate], want: impl Fn(NaiveDate) -> f64) {
    let (xa, ya) = (date_axis(svg), value_axis(svg));
    let pieces = series_pieces(svg, colour);
    assert_eq!(pieces.len(), 1, "{colour}: expected one solid line");
    let pts = &pieces[0].points;
    assert_eq!(pts.len(), dates.len(), "{colour}: one vertex per date");
    for (&(x, y), &d) in pts.iter().zip(dates) {
        let (wx, wy) = (xa.at(day(d)), ya.at(want(d)));
        assert!(
            (x - wx).abs() <= 1.0 && (y - wy).abs() <= 1.0,
            "{colour} at {d}: drawn at ({x}, {y}) = ({:?}, {:.3}), expected ({wx:.1}, {wy:.1}) = {:.3}",
            NaiveDate::from_num_days_from_ce_opt(xa.inverse(x).round() as i32),
            ya.inverse(y),
            want(d)
        );
    }
}

fn plot(kind: &str, extra: &[&str], svg: bool) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(if svg { "chart.svg" } else { "chart.png" });
    let mut args = vec!["plot", kind, CHARTS, "--out", out.to_str().unwrap()];
    if svg {
        args.push("--svg");
    }
    args.extend_from_slice(extra);
    common::ok(&format!("{args:?}"), entente().args(&args));
    std::fs::read(&out).unwrap()
}

fn plot_svg(kind: &str, extra: &[&str]) -> Svg {
    parse_svg(&String::from_utf8(plot(kind, extra, true)).unwrap())
}

/// X's mean tie: 0.2 until 2021-01-01, 0.8 from then on; halved (0.1) while B is suspended at
/// factor 0.5 (2020-07-01 to 2020-10-01), as a member's tie is scaled by its factor.
fn x_tie(d: NaiveDate) -> f64 {
    if d >= date("2020-07-01") && d < date("2020-10-01") {
        0.1
    } else if d < date("2021-01-01") {
        0.2
    } else {
        0.8
    }
}

#[test]
fn timeline_draws_each_alliance_at_its_values_and_dates() {
    let svg = plot_svg("timeline", &[]);
    let dates = months("2020-01-01", "2022-01-01");
    let x = legend_colour(&svg, "X (Ex)");
    let y = legend_colour(&svg, "Y (Why)");
    assert_ne!(x, y, "two alliances, two colours");
    assert_series(&svg, &x, &dates, x_tie);
    assert_series(&svg, &y, &dates, |_| 0.6);
    // The axis spans the data: its ends are the first and last dates.
    let (x0, _, x1, _) = plot_frame(&svg);
    let xa = date_axis(&svg);
    assert!((xa.at(day(date("2020-01-01"))) - x0).abs() <= 1.0);
    assert!((xa.at(day(date("2022-01-01"))) - x1).abs() <= 1.0);
}

#[test]
fn timeline_alliance_flag_draws_that_alliance_only() {
    let svg = plot_svg("timeline", &["--alliance", "Y"]);
    assert!(
        !svg.texts.iter().any(|t| t.text.starts_with("X (")),
        "X is not in the legend"
    );
    let y = legend_colour(&svg, "Y (Why)");
    let dates = months("2020-01-01", "2022-01-01");
    assert_series(&svg, &y, &dates, |_| 0.6);
    let lines: Vec<&Poly> = svg
        .polys
        .iter()
        .filter(|p| p.width == 3.0 && p.points.len() > 2)
        .collect();
    assert_eq!(lines.len(), 1, "one series drawn");

    let svg = plot_svg("timeline", &["--alliance", "X"]);
    let x = legend_colour(&svg, "X (Ex)");
    assert_series(&svg, &x, &dates, x_tie);
}

#[test]
fn timeline_from_and_to_move_the_date_axis() {
    let svg = plot_svg(
        "timeline",
        &[
            "--from",
            "2020-06-01",
            "--to",
            "2021-06-01",
            "--alliance",
            "X",
        ],
    );
    let (x0, _, x1, _) = plot_frame(&svg);
    let xa = date_axis(&svg);
    assert!(
        (xa.at(day(date("2020-06-01"))) - x0).abs() <= 1.0,
        "the axis starts at --from"
    );
    assert!(
        (xa.at(day(date("2021-06-01"))) - x1).abs() <= 1.0,
        "the axis ends at --to"
    );
    let x = legend_colour(&svg, "X (Ex)");
    assert_series(&svg, &x, &months("2020-06-01", "2021-06-01"), x_tie);
    let drawn = series_values(&svg, &x);
    assert_eq!(drawn.first().unwrap().0, date("2020-06-01"));
    assert_eq!(drawn.last().unwrap().0, date("2021-06-01"));
}

#[test]
fn members_chart_dashes_the_suspended_stretch_only() {
    let svg = plot_svg("members", &["--alliance", "X"]);
    let xa = date_axis(&svg);
    let b = legend_colour(&svg, "B");
    let a = legend_colour(&svg, "A");
    // A is never suspended: one solid line.
    assert_eq!(series_pieces(&svg, &a).len(), 1, "A is one solid line");
    // B is suspended 2020-07-01 to 2020-10-01: the segments touching a suspended date (June to
    // October) are dashes; before and after, solid lines.
    let (start, end) = (
        xa.at(day(date("2020-06-01"))),
        xa.at(day(date("2020-10-01"))),
    );
    let pieces = series_pieces(&svg, &b);
    let len = |p: &Poly| {
        p.points
            .windows(2)
            .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
            .sum::<f64>()
    };
    let dashes: Vec<&&Poly> = pieces.iter().filter(|p| len(p) < 16.0).collect();
    let solid: Vec<&&Poly> = pieces.iter().filter(|p| len(p) >= 16.0).collect();
    assert!(
        dashes.len() >= 10,
        "B's suspended stretch is dashed: {}",
        dashes.len()
    );
    for d in &dashes {
        for &(x, _) in &d.points {
            assert!(
                x >= start - 1.0 && x <= end + 1.0,
                "a dash at x={x} outside the suspended stretch {start}..{end}"
            );
        }
    }
    // The dashes cover the stretch (gaps between dashes are short), and solid lines cover the rest.
    let mut xs: Vec<f64> = dashes
        .iter()
        .flat_map(|d| d.points.iter().map(|p| p.0))
        .collect();
    xs.sort_by(f64::total_cmp);
    assert!(
        // Within one dash gap of each end.
        (xs[0] - start).abs() <= 8.0 && (xs[xs.len() - 1] - end).abs() <= 8.0,
        "dashes from {} to {}, stretch {start}..{end}",
        xs[0],
        xs[xs.len() - 1]
    );
    assert_eq!(solid.len(), 2, "B is solid before and after the stretch");
    for s in solid {
        for &(x, _) in &s.points {
            assert!(
                x <= start + 1.0 || x >= end - 1.0,
                "solid line at x={x} inside the stretch"
            );
        }
    }
}

/// Decodes a PNG into (width, RGB bytes).
fn decode_png(bytes: &[u8]) -> (usize, Vec<u8>) {
    let dec = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width as usize, buf)
}

fn hex(c: &str) -> [u8; 3] {
    let v = u32::from_str_radix(c.trim_start_matches('#'), 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

fn close(a: [u8; 3], b: [u8; 3], tol: u8) -> bool {
    a.iter().zip(b).all(|(p, q)| p.abs_diff(q) <= tol)
}

#[test]
fn timeline_png_has_the_series_colour_where_a_value_is_drawn() {
    // The PNG and the SVG share one layout; the SVG gives the scales.
    let svg = plot_svg("timeline", &["--size", "1200x700"]);
    let (xa, ya) = (date_axis(&svg), value_axis(&svg));
    let x_colour = hex(&legend_colour(&svg, "X (Ex)"));
    let y_colour = hex(&legend_colour(&svg, "Y (Why)"));
    let (w, rgb) = decode_png(&plot("timeline", &["--size", "1200x700"], false));
    assert_eq!(w, 1200);
    let px = |d: &str, v: f64| {
        let (x, y) = (
            xa.at(day(date(d))).round() as usize,
            ya.at(v).round() as usize,
        );
        let i = (y * w + x) * 3;
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    for (d, v, c) in [
        ("2020-04-01", 0.2, x_colour),
        ("2021-08-01", 0.8, x_colour),
        ("2020-04-01", 0.6, y_colour),
        ("2021-08-01", 0.6, y_colour),
    ] {
        let got = px(d, v);
        assert!(close(got, c, 40), "{d} {v}: pixel {got:?}, expected {c:?}");
    }
    // Where nothing is drawn: background (between gridlines, away from the lines).
    for (d, v) in [
        ("2020-04-15", 0.45),
        ("2021-08-15", 0.25),
        ("2020-10-15", 0.75),
    ] {
        let got = px(d, v);
        assert_eq!(got, [255, 255, 255], "{d} {v}: expected background");
    }
}

/// The colour bar of a heatmap: value → colour, read from its labels and its strips.
fn colour_bar(svg: &Svg) -> impl Fn(f64) -> String + '_ {
    // The bar's strips: narrow rectangles 2 pixels high in one column.
    let strips: Vec<&Rect> = svg
        .rects
        .iter()
        .filter(|r| r.h <= 2.0 && r.w < 30.0)
        .collect();
    assert!(strips.len() > 50, "a colour bar");
    let bar_right = strips[0].x + strips[0].w;
    let ticks: Vec<f64> = svg
        .polys
        .iter()
        .filter(|p| {
            p.points.len() == 2 && p.points[0].0 == bar_right && p.points[0].1 == p.points[1].1
        })
        .map(|p| p.points[0].1)
        .collect();
    let mut pairs: Vec<(f64, f64)> = svg
        .texts
        .iter()
        .filter(|t| t.anchor == "start" && t.x > bar_right && t.x < bar_right + 10.0)
        .filter_map(|t| {
            let v = label_value(&t.text)?;
            let y = ticks
                .iter()
                .copied()
                .min_by(|a, b| (a - t.y).abs().total_cmp(&(b - t.y).abs()))?;
            Some((v, y))
        })
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let scale = Linear::fit(&pairs, "colour bar");
    move |v: f64| {
        let y = scale.at(v);
        strips
            .iter()
            .min_by(|a, b| ((a.y + 0.5) - y).abs().total_cmp(&((b.y + 0.5) - y).abs()))
            .unwrap()
            .fill
            .clone()
    }
}

/// The fill of the heatmap cell in the row labelled `row` and the column labelled `col`.
fn cell(svg: &Svg, row: &str, col: &str) -> String {
    let r = svg
        .texts
        .iter()
        .find(|t| t.text == row && t.anchor == "end")
        .unwrap();
    let c = svg
        .texts
        .iter()
        .find(|t| t.text == col && t.anchor == "start" && t.x < r.x + 1000.0 && t.y < 80.0)
        .unwrap();
    svg.rects
        .iter()
        .find(|q| {
            q.h > 10.0
                && q.fill != "#FFFFFF"
                && q.x <= c.x
                && c.x < q.x + q.w
                && q.y <= r.y
                && r.y < q.y + q.h
        })
        .unwrap_or_else(|| panic!("no cell {row}×{col}"))
        .fill
        .clone()
}

fn assert_cell(svg: &Svg, row: &str, col: &str, want: f64) {
    let bar = colour_bar(svg);
    let got = hex(&cell(svg, row, col));
    // Within a step of the bar either side (one strip is 2 px of a ~500 px bar).
    let ok = [-0.02, 0.0, 0.02]
        .iter()
        .any(|d| close(got, hex(&bar(want + d)), 6));
    assert!(
        ok,
        "cell {row}×{col}: {got:?}, expected the bar's colour at {want} ({})",
        bar(want)
    );
}

#[test]
fn heatmap_cells_have_the_colour_of_their_weight() {
    let svg = plot_svg("heatmap", &["--date", "2022-06-01", "--size", "800x600"]);
    assert_cell(&svg, "A", "B", 0.8);
    assert_cell(&svg, "B", "A", 0.8);
    assert_cell(&svg, "B", "C", 0.6);
    assert_cell(&svg, "A", "C", -0.5);
    assert_cell(&svg, "C", "A", -0.5);
}

#[test]
fn heatmap_date_and_vs_change_the_cells() {
    // Before the retie and the A–C tie: A–B is 0.2, A–C nothing (0).
    let svg = plot_svg("heatmap", &["--date", "2020-06-01", "--size", "800x600"]);
    assert_cell(&svg, "A", "B", 0.2);
    assert_cell(&svg, "A", "C", 0.0);
    // The change from 2020-06-01 to 2022-06-01: A–B +0.6, A–C −0.5, B–C 0.
    let svg = plot_svg(
        "heatmap",
        &[
            "--date",
            "2022-06-01",
            "--vs",
            "2020-06-01",
            "--size",
            "800x600",
        ],
    );
    assert_cell(&svg, "A", "B", 0.6);
    assert_cell(&svg, "A", "C", -0.5);
    assert_cell(&svg, "B", "C", 0.0);
}

#[test]
fn network_draws_each_tie_between_its_two_states_with_its_sign() {
    let svg = plot_svg("network", &["--date", "2022-06-01", "--size", "800x600"]);
    // A node: the filled circle just left of its label.
    let node = |id: &str| {
        let t = svg
            .texts
            .iter()
            .find(|t| t.text == id && t.anchor == "middle")
            .unwrap_or_else(|| panic!("no node label {id}"));
        let c = svg
            .circles
            .iter()
            .filter(|c| c.fill != "none" && c.r > 5.0)
            .min_by(|a, b| {
                (a.cx - t.x)
                    .hypot(a.cy - t.y)
                    .total_cmp(&(b.cx - t.x).hypot(b.cy - t.y))
            })
            .unwrap();
        (c.cx, c.cy)
    };
    let (a, b, c) = (node("A"), node("B"), node("C"));
    // Edges are drawn translucent (opacity < 1); legend samples are opaque.
    let edges: Vec<&Poly> = svg.polys.iter().filter(|p| p.opacity < 1.0).collect();
    let on_segment = |p: (f64, f64), s: (f64, f64), e: (f64, f64)| {
        let (dx, dy) = (e.0 - s.0, e.1 - s.1);
        let len = dx.hypot(dy);
        let cross = ((p.0 - s.0) * dy - (p.1 - s.1) * dx).abs() / len;
        let t = ((p.0 - s.0) * dx + (p.1 - s.1) * dy) / (len * len);
        cross <= 1.5 && (-0.01..=1.01).contains(&t)
    };
    let joins = |p: &Poly, s: (f64, f64), e: (f64, f64)| {
        let (f, l) = (p.points[0], p.points[p.points.len() - 1]);
        let near = |u: (f64, f64), v: (f64, f64)| (u.0 - v.0).hypot(u.1 - v.1) <= 1.5;
        (near(f, s) && near(l, e)) || (near(f, e) && near(l, s))
    };
    let positive: Vec<&&Poly> = edges.iter().filter(|p| p.stroke == "#4D4D4D").collect();
    let negative: Vec<&&Poly> = edges.iter().filter(|p| p.stroke == "#B2182B").collect();
    assert_eq!(positive.len(), 2, "two positive ties (A–B, B–C)");
    assert!(positive.iter().any(|p| joins(p, a, b)), "A–B drawn");
    assert!(positive.iter().any(|p| joins(p, b, c)), "B–C drawn");
    assert!(
        !positive.iter().any(|p| joins(p, a, c)),
        "A–C is not positive"
    );
    // The negative A–C tie: dashes, all on the segment from A to C, reaching both ends.
    assert!(negative.len() > 5, "A–C is dashed");
    for p in &negative {
        for &q in &p.points {
            assert!(on_segment(q, a, c), "negative dash at {q:?} is off A–C");
        }
    }
    let near_end = |e: (f64, f64)| {
        negative
            .iter()
            .flat_map(|p| p.points.iter())
            .any(|&q| (q.0 - e.0).hypot(q.1 - e.1) <= 12.0)
    };
    assert!(near_end(a) && near_end(c), "the dashes run from A to C");
}
