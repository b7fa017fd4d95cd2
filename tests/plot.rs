//! Chart rendering: every chart is rendered in memory, the PNG decoded and checked for its size,
//! for not being blank and for the colours that must appear (never for exact bytes, except the
//! determinism test, which compares two renderings of the same input).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use entente::date::{parse_date, series_dates, Step};
use entente::plot::{
    self, diverging, Format, HeatmapChart, Marker, MemberSeries, MembersChart, NetworkChart,
    Palette, RGBColor, Series, Size, TimelineChart,
};

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

fn decode(png_bytes: &[u8]) -> Image {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    Image {
        width: info.width,
        height: info.height,
        rgb: buf,
    }
}

impl Image {
    /// Pixels that are not (near) white.
    fn ink(&self) -> usize {
        self.rgb
            .chunks(3)
            .filter(|p| p.iter().any(|&v| v < 235))
            .count()
    }

    /// Pixels within `tol` of `c` on every channel.
    fn count(&self, c: RGBColor, tol: i32) -> usize {
        self.rgb
            .chunks(3)
            .filter(|p| {
                (i32::from(p[0]) - i32::from(c.0)).abs() <= tol
                    && (i32::from(p[1]) - i32::from(c.1)).abs() <= tol
                    && (i32::from(p[2]) - i32::from(c.2)).abs() <= tol
            })
            .count()
    }

    /// Inked pixels in a horizontal band of rows.
    fn ink_rows(&self, y0: u32, y1: u32) -> usize {
        let w = self.width as usize * 3;
        self.rgb[y0 as usize * w..y1 as usize * w]
            .chunks(3)
            .filter(|p| p.iter().any(|&v| v < 200))
            .count()
    }
}

fn events() -> Vec<Marker> {
    (0..20)
        .map(|k| Marker {
            date: d("1995-03-01") + chrono::Days::new(k * 530),
            note: format!("Event number {k} with a note long enough to need wrapping in a narrow column of the key"),
        })
        .collect()
}

fn timeline() -> TimelineChart {
    let dates = series_dates(d("1994-01-31"), d("2024-12-31"), Step::parse("1m").unwrap());
    let series = (0..6)
        .map(|a| {
            let values = (0..dates.len())
                .map(|t| {
                    if a == 3 && t < 200 {
                        None
                    } else {
                        Some(0.7 - 0.1 * a as f64 + 0.05 * (t as f64 / 20.0 + a as f64).sin())
                    }
                })
                .collect();
            Series::new(format!("Alliance {a}"), Palette::color(a), values)
        })
        .collect();
    TimelineChart {
        title: "Test dataset: alliance cohesion".into(),
        metric_label: "mean_tie".into(),
        dates,
        series,
        events: events(),
        y_range: None,
        band_label: String::new(),
    }
}

fn members() -> MembersChart {
    let dates = series_dates(d("2015-01-01"), d("2024-12-01"), Step::parse("1m").unwrap());
    let n = dates.len();
    let members = (0..9)
        .map(|i| MemberSeries {
            label: format!("S{i}"),
            color: Palette::color(i),
            mark: Palette::mark(i),
            values: (0..n)
                .map(|t| Some(0.5 + 0.03 * i as f64 - if i == 0 { t as f64 / 400.0 } else { 0.0 }))
                .collect(),
            suspended: (0..n).map(|t| i == 0 && t > n - 12).collect(),
            band: Vec::new(),
            dashed: false,
        })
        .collect();
    MembersChart {
        title: "Test dataset: member alignment".into(),
        metric_label: "alignment".into(),
        dates,
        members,
        events: events(),
        y_range: None,
        band_label: String::new(),
    }
}

fn matrix(n: usize) -> (Vec<f64>, Vec<usize>) {
    let bloc: Vec<usize> = (0..n).map(|i| usize::from(i >= n / 2)).collect();
    let mut w = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let v = if bloc[i] == bloc[j] {
                if (i + j) % 3 != 0 {
                    0.5
                } else {
                    0.0
                }
            } else if (i * j) % 7 == 1 {
                -0.75
            } else {
                0.0
            };
            w[i * n + j] = v;
            w[j * n + i] = v;
        }
    }
    (w, bloc)
}

fn network() -> NetworkChart {
    let (weights, bloc) = matrix(40);
    NetworkChart {
        title: "Test network".into(),
        date: d("2024-02-26"),
        caption: "density 0.2 · modularity 0.4".into(),
        labels: (0..40).map(|i| format!("S{i:02}")).collect(),
        bloc,
        bloc_labels: vec!["first bloc".into(), "second bloc".into()],
        bloc_title: String::new(),
        weights,
        positions: None,
    }
}

fn heatmap(base: Option<Vec<f64>>) -> HeatmapChart {
    let (weights, bloc) = matrix(40);
    let mut order: Vec<usize> = (0..40).collect();
    order.sort_by_key(|&i| (bloc[i], i));
    HeatmapChart {
        title: "Test heatmap".into(),
        subtitle: "tie weights at 2024-02-26".into(),
        labels: (0..40).map(|i| format!("S{i:02}")).collect(),
        bloc,
        bloc_labels: vec![],
        bloc_title: String::new(),
        order,
        weights,
        base,
        value_label: None,
    }
}

fn check_basics(png_bytes: &[u8], size: Size) -> Image {
    assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
    let img = decode(png_bytes);
    assert_eq!((img.width, img.height), (size.width, size.height));
    let total = (size.width * size.height) as usize;
    let ink = img.ink();
    assert!(
        ink > total / 50,
        "nearly blank: {ink} of {total} pixels inked"
    );
    assert!(ink < total * 9 / 10, "nearly all ink: {ink} of {total}");
    img
}

#[test]
fn timeline_shows_every_series_colour_and_the_event_key() {
    let size = Size::DEFAULT;
    let img = check_basics(&plot::render_png(&timeline(), size).unwrap(), size);
    for a in 0..6 {
        let n = img.count(Palette::color(a), 6);
        assert!(n > 300, "series {a} colour found on {n} pixels");
    }
    // The event key occupies the bottom of the picture.
    assert!(img.ink_rows(size.height - 250, size.height - 20) > 5000);
}

#[test]
fn members_draws_every_member() {
    let size = Size::DEFAULT;
    let img = check_basics(&plot::render_png(&members(), size).unwrap(), size);
    for i in 0..7 {
        let n = img.count(Palette::color(i), 6);
        assert!(n > 200, "member {i} colour found on {n} pixels");
    }
}

#[test]
fn network_shows_bloc_colours_and_negative_ties() {
    let size = Size::DEFAULT;
    let img = check_basics(&plot::render_png(&network(), size).unwrap(), size);
    for b in 0..2 {
        let n = img.count(Palette::color(b), 4);
        assert!(n > 40 * 100 / 2, "bloc {b} colour found on {n} pixels");
    }
    // Negative ties: red (blended with white), unlike vermillion which has no blue.
    let red = img
        .rgb
        .chunks(3)
        .filter(|p| {
            let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
            r > g + 60 && b >= g - 10
        })
        .count();
    assert!(red > 500, "negative ties: {red} red pixels");
}

#[test]
fn heatmap_shows_the_diverging_colours() {
    let size = Size::DEFAULT;
    let img = check_basics(&plot::render_png(&heatmap(None), size).unwrap(), size);
    // Scale [−1, 1]: 0.5 is mid blue, −0.75 a strong red; each cell is over 100 pixels.
    assert!(img.count(diverging(0.5), 3) > 20 * 100);
    assert!(img.count(diverging(-0.75), 3) > 4 * 100);
}

#[test]
fn change_heatmap_scales_to_the_largest_change() {
    let (w, _) = matrix(40);
    // Every positive tie grew by 0.25 (base = w − 0.25 where w = 0.5); negatives unchanged.
    let base: Vec<f64> = w
        .iter()
        .map(|&v| if v > 0.0 { v - 0.25 } else { v })
        .collect();
    let size = Size::DEFAULT;
    let img = check_basics(&plot::render_png(&heatmap(Some(base)), size).unwrap(), size);
    // The largest change, 0.25, takes the end colour of the scale.
    assert!(img.count(diverging(1.0), 3) > 20 * 100);
}

#[test]
fn same_input_same_bytes() {
    let size = Size::new(800, 450).unwrap();
    assert_eq!(
        plot::render_png(&network(), size).unwrap(),
        plot::render_png(&network(), size).unwrap()
    );
    assert_eq!(
        plot::render_png(&timeline(), size).unwrap(),
        plot::render_png(&timeline(), size).unwrap()
    );
    assert_eq!(
        plot::render_svg(&heatmap(None), size).unwrap(),
        plot::render_svg(&heatmap(None), size).unwrap()
    );
}

#[test]
fn svg_keeps_text_as_escaped_text() {
    let mut chart = timeline();
    chart.title = "<script>alert(1)</script> & co".into();
    let svg = String::from_utf8(plot::render(&chart, Size::DEFAULT, Format::Svg).unwrap()).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("&lt;script&gt;"));
    assert!(svg.contains("Alliance 5"));
}

#[test]
fn odd_sizes_and_degenerate_inputs_render() {
    let sizes = [
        Size::new(320, 320).unwrap(),
        Size::new(1800, 320).unwrap(),
        Size::new(320, 1200).unwrap(),
    ];
    for size in sizes {
        let img = decode(&plot::render_png(&timeline(), size).unwrap());
        assert_eq!((img.width, img.height), (size.width, size.height));
        plot::render_png(&network(), size).unwrap();
        plot::render_png(&heatmap(None), size).unwrap();
        plot::render_png(&members(), size).unwrap();
    }
    let size = Size::new(800, 450).unwrap();
    // No dates; one date; values shorter than dates; NaN; everything missing.
    let mut t = timeline();
    t.dates.clear();
    plot::render_png(&t, size).unwrap();
    let mut t = timeline();
    t.dates.truncate(1);
    plot::render_png(&t, size).unwrap();
    let mut t = timeline();
    t.series[0].values.truncate(3);
    t.series[1].values[5] = Some(f64::NAN);
    t.y_range = Some((1.0, 0.0));
    plot::render_png(&t, size).unwrap();
    let mut t = timeline();
    t.series
        .iter_mut()
        .for_each(|s| s.values.iter_mut().for_each(|v| *v = None));
    check_basics(&plot::render_png(&t, size).unwrap(), size);
    // Empty and one-node graphs; a weight matrix of the wrong length.
    let mut n = network();
    n.labels.clear();
    n.bloc.clear();
    n.weights.clear();
    plot::render_png(&n, size).unwrap();
    let mut n = network();
    n.labels.truncate(1);
    n.weights = vec![0.0];
    plot::render_png(&n, size).unwrap();
    let mut n = network();
    n.weights.truncate(7);
    plot::render_png(&n, size).unwrap();
    let mut h = heatmap(None);
    h.labels.truncate(1);
    h.weights.truncate(1);
    plot::render_png(&h, size).unwrap();
    let mut h = heatmap(None);
    h.labels.clear();
    plot::render_png(&h, size).unwrap();
}

#[test]
fn a_large_graph_renders() {
    let n = 250;
    let (weights, bloc) = matrix(n);
    let chart = NetworkChart {
        title: "large".into(),
        date: d("2020-01-01"),
        caption: String::new(),
        labels: (0..n).map(|i| format!("STATE{i}")).collect(),
        bloc: bloc.clone(),
        bloc_labels: vec![],
        bloc_title: String::new(),
        weights: weights.clone(),
        positions: None,
    };
    let size = Size::new(800, 450).unwrap();
    check_basics(&plot::render_png(&chart, size).unwrap(), size);
    let h = HeatmapChart {
        title: "large".into(),
        subtitle: String::new(),
        labels: chart.labels.clone(),
        bloc,
        bloc_labels: vec![],
        bloc_title: String::new(),
        order: vec![],
        weights,
        base: None,
        value_label: None,
    };
    check_basics(&plot::render_png(&h, size).unwrap(), size);
}

/// A timeline of one flat series at 0.5 with a band 0.3–0.7, optionally with a dashed copy at 0.2.
fn banded(dashed: Option<bool>) -> TimelineChart {
    let dates = series_dates(d("2000-01-01"), d("2010-01-01"), Step::parse("1y").unwrap());
    let n = dates.len();
    let mut series = vec![
        Series::new("observed", Palette::color(0), vec![Some(0.5); n]).with_band(vec![
            Some((
                0.3, 0.7
            ));
            n
        ]),
    ];
    if let Some(dash) = dashed {
        let s = Series::new("scenario", Palette::color(1), vec![Some(0.2); n]);
        series.push(if dash { s.dashed() } else { s });
    }
    TimelineChart {
        title: "Bands".into(),
        metric_label: "mean_tie".into(),
        dates,
        series,
        events: vec![],
        y_range: Some((0.0, 1.0)),
        band_label: "5–95 % range".into(),
    }
}

#[test]
fn a_band_is_shaded_in_the_series_colour_and_explained_in_the_legend() {
    let size = Size::DEFAULT;
    let img = check_basics(&plot::render_png(&banded(None), size).unwrap(), size);
    // Okabe–Ito blue at 18 % over white.
    let tint = img.count(RGBColor(209, 230, 241), 4);
    assert!(tint > 50_000, "band tint on {tint} pixels");
    let without = {
        let mut c = banded(None);
        c.series[0].band.clear();
        decode(&plot::render_png(&c, size).unwrap())
    };
    assert!(without.count(RGBColor(209, 230, 241), 4) < 2_000);
    let svg = String::from_utf8(plot::render(&banded(None), size, Format::Svg).unwrap()).unwrap();
    assert!(svg.contains("5–95 % range"), "band legend entry");
    // No band, no band entry.
    let mut c = banded(None);
    c.series[0].band.clear();
    let svg = String::from_utf8(plot::render(&c, size, Format::Svg).unwrap()).unwrap();
    assert!(!svg.contains("5–95 % range"));
}

#[test]
fn a_dashed_series_draws_fewer_pixels_than_the_same_solid_one() {
    let size = Size::DEFAULT;
    let vermillion = Palette::color(1);
    let solid = decode(&plot::render_png(&banded(Some(false)), size).unwrap()).count(vermillion, 6);
    let dashed = decode(&plot::render_png(&banded(Some(true)), size).unwrap()).count(vermillion, 6);
    assert!(dashed > 300, "dashed line visible: {dashed}");
    assert!(
        (dashed as f64) < solid as f64 * 0.8,
        "dashed {dashed} vs solid {solid}"
    );
}
