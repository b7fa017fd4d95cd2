//! Renders every chart type from a synthetic but realistic fixture (6 alliances over 33 years
//! with 30 noted events; a 40-state network with two blocs and negative ties) into a folder, to
//! look at them: `cargo run --example charts -- /tmp/entente-charts [--svg] [--size WxH]`. The
//! event markers are the noted events of the embedded dataset.

use chrono::NaiveDate;
use entente::date::{series_dates, Step};
use entente::plot::{
    self, HeatmapChart, Marker, MemberSeries, MembersChart, NetworkChart, Palette, Series, Size,
    TimelineChart,
};
use std::path::PathBuf;

fn d(s: &str) -> NaiveDate {
    entente::date::parse_date(s).unwrap_or(NaiveDate::MIN)
}

/// The noted events of the embedded CSTO dataset (30 events, crowded in 2020–2025).
fn events() -> Vec<Marker> {
    let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json");
    ds.map(|ds| {
        ds.events
            .iter()
            .filter_map(|e| {
                e.note.as_ref().map(|n| Marker {
                    date: e.date,
                    note: n.clone(),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let svg = args.iter().any(|a| a == "--svg");
    let dir = PathBuf::from(
        args.iter()
            .find(|a| !a.starts_with("--"))
            .cloned()
            .unwrap_or_else(|| "/tmp/entente-charts".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let size = match args.iter().position(|a| a == "--size") {
        Some(i) => Size::parse(args.get(i + 1).map(String::as_str).unwrap_or(""))?,
        None => Size::DEFAULT,
    };
    let write = |name: &str, chart: &dyn Fn(plot::Format) -> entente::error::Result<Vec<u8>>| {
        let fmt = if svg {
            plot::Format::Svg
        } else {
            plot::Format::Png
        };
        let path = dir.join(format!("{name}.{}", fmt.extension()));
        let bytes = chart(fmt)?;
        entente::output::write_atomic(&path, &bytes)?;
        println!("{}", path.display());
        Ok::<(), entente::error::Error>(())
    };

    let dates = series_dates(d("1992-05-31"), d("2025-08-31"), Step::parse("1m")?);
    let names = ["CSTO", "CIS", "SCO", "EAEU", "Union State", "GUAM"];
    let series: Vec<Series> = names
        .iter()
        .enumerate()
        .map(|(a, name)| {
            let values = dates
                .iter()
                .enumerate()
                .map(|(t, _)| {
                    let x = t as f64 / 12.0;
                    if a == 3 && x < 20.0 || a == 5 && x > 25.0 {
                        return None;
                    }
                    let base = 0.75 - 0.08 * a as f64;
                    let drift = if a == 0 {
                        -0.012 * (x - 20.0).max(0.0) * 2.0
                    } else {
                        0.0
                    };
                    Some(base + 0.07 * (x * 0.7 + a as f64).sin() + drift)
                })
                .collect();
            Series::new(*name, Palette::color(a), values)
        })
        .collect();
    let timeline = TimelineChart {
        title: "CSTO and neighbours (synthetic fixture): alliance cohesion".into(),
        metric_label: "mean_tie".into(),
        dates: dates.clone(),
        series,
        events: events(),
        y_range: None,
        band_label: String::new(),
    };
    write("timeline", &|f| plot::render(&timeline, size, f))?;

    let members = [
        "ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "AZE", "GEO",
    ];
    let member_series: Vec<MemberSeries> = members
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let mut values = Vec::new();
            let mut suspended = Vec::new();
            for (t, date) in dates.iter().enumerate() {
                let x = t as f64 / 12.0;
                let gone = (*id == "AZE" || *id == "GEO") && *date > d("1999-04-02")
                    || *id == "UZB"
                        && (*date > d("1999-04-02") && *date < d("2006-08-16")
                            || *date > d("2012-12-20"));
                let susp = *id == "ARM" && *date >= d("2024-02-22")
                    || *id == "UZB" && *date >= d("2012-06-28") && *date <= d("2012-12-20");
                values.push(if gone {
                    None
                } else {
                    let drop = if *id == "ARM" {
                        -0.05 * (x - 26.0).max(0.0) * 3.0
                    } else {
                        0.0
                    };
                    Some(0.62 + 0.05 * (x * 0.5 + i as f64).sin() + drop)
                });
                suspended.push(susp);
            }
            MemberSeries {
                label: format!(
                    "{id} ({})",
                    [
                        "Armenia",
                        "Belarus",
                        "Kazakhstan",
                        "Kyrgyzstan",
                        "Russia",
                        "Tajikistan",
                        "Uzbekistan",
                        "Azerbaijan",
                        "Georgia"
                    ][i]
                ),
                color: Palette::color(i),
                mark: Palette::mark(i),
                values,
                suspended,
                band: Vec::new(),
                dashed: false,
            }
        })
        .collect();
    let mchart = MembersChart {
        title: "CSTO (synthetic fixture): member alignment".into(),
        metric_label: "alignment".into(),
        dates: dates.clone(),
        members: member_series,
        events: events(),
        y_range: None,
        band_label: String::new(),
    };
    write("members", &|f| plot::render(&mchart, size, f))?;

    // 40 states: bloc 0 = 0..22, bloc 1 = 22..40; dense positive ties inside blocs, a few
    // negative ties across, some positive bridges.
    let n = 40;
    // Unique three-letter ids.
    let labels: Vec<String> = (0..n)
        .map(|i| {
            let a = (b'A' + (i % 26) as u8) as char;
            let b = (b'A' + ((i * 7 + 3) % 26) as u8) as char;
            let c = (b'A' + ((i / 26) * 5 + 11) as u8) as char;
            format!("{a}{b}{c}")
        })
        .collect();
    let bloc: Vec<usize> = (0..n).map(|i| usize::from(i >= 22)).collect();
    let mut w = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let h = (i * 31 + j * 17) % 23;
            let v = if bloc[i] == bloc[j] {
                if h < 9 {
                    0.3 + 0.05 * (h as f64)
                } else {
                    0.0
                }
            } else if h == 0 || h == 5 {
                -0.4 - 0.05 * ((i + j) % 8) as f64
            } else if h == 11 {
                0.2
            } else {
                0.0
            };
            w[i * n + j] = v;
            w[j * n + i] = v;
        }
    }
    let net = NetworkChart {
        title: "Synthetic 40-state network".into(),
        date: d("2024-02-26"),
        caption: "density 0.21 · mean tie 0.08 · clustering 0.34 · balance 0.81 · 2 components · modularity 0.37".into(),
        labels: labels.clone(),
        bloc: bloc.clone(),
        bloc_labels: vec!["bloc 1 (22 states)".into(), "bloc 2 (18 states)".into()],
        bloc_title: String::new(),
        weights: w.clone(),
        positions: None,
    };
    write("network", &|f| plot::render(&net, size, f))?;

    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (bloc[i], i));
    let heat = HeatmapChart {
        title: "Synthetic 40-state network: tie weights".into(),
        subtitle: "tie weights at 2024-02-26, states grouped by bloc".into(),
        labels: labels.clone(),
        bloc: bloc.clone(),
        bloc_labels: vec!["bloc 1".into(), "bloc 2".into()],
        bloc_title: String::new(),
        order: order.clone(),
        weights: w.clone(),
        base: None,
        value_label: None,
    };
    write("heatmap", &|f| plot::render(&heat, size, f))?;
    let base: Vec<f64> = w
        .iter()
        .enumerate()
        .map(|(k, v)| {
            if (k / n + k % n) % 5 == 0 {
                v * 0.2
            } else {
                *v
            }
        })
        .collect();
    let change = HeatmapChart {
        subtitle: "change in tie weights 1994-01-31 → 2024-12-31".into(),
        base: Some(base),
        value_label: None,
        ..heat.clone()
    };
    write("heatmap-change", &|f| plot::render(&change, size, f))?;
    Ok(())
}
