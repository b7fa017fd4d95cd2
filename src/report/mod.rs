//! The report, the main job: from a dataset and its timeline, everything an analyst needs in
//! one folder — `metrics.json` and `metrics.csv` (as `entente metrics` writes them), a cohesion
//! timeline per alliance metric, a member-alignment chart per alliance of three or more members,
//! the network and the tie heatmap at the last date and at key dates, the change heatmap from the
//! first to the last date, and `index.html`, a static page that shows them with captions, the
//! latest metrics and the event list.
//!
//! [`build`] makes every file in memory (charts rendered in parallel) and does no IO; the
//! command line writes them. File names come from [`names`], so dataset ids cannot escape the
//! folder; every dataset string on the page is escaped by [`html`].

pub mod charts;
pub mod html;
pub mod names;

use crate::dataset::{Dataset, EventKind};
use crate::date::{checked_series_dates, fmt_date, Step};
use crate::error::{Error, Result};
use crate::metrics::{self, catalogue, SeriesPoint};
use crate::model::{Snapshot, Timeline};
use crate::plot::{self, Chart, Format, Size};
use charts::{BlocColors, MetricInfo};
use chrono::NaiveDate;
use html::{Item, Page, Section};
use names::Namer;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What to put in the report.
#[derive(Debug, Clone)]
pub struct Options {
    /// First date of the series; default: the first event's date.
    pub from: Option<NaiveDate>,
    /// Last date; default: the last event's date.
    pub to: Option<NaiveDate>,
    /// The step between dates.
    pub step: Step,
    /// Key dates for network and heatmap charts (besides the last date); default: the date
    /// before the largest change of the series.
    pub at: Vec<NaiveDate>,
    /// Chart size in pixels.
    pub size: Size,
    /// PNG or SVG charts.
    pub format: Format,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            from: None,
            to: None,
            step: Step::MONTH,
            at: Vec::new(),
            size: Size::DEFAULT,
            format: Format::Png,
        }
    }
}

/// A file of the report: its name in the output folder and its content.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// The file's name in the report folder.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The report's files, in the order to write them (`index.html` last, so a page never
/// announces a chart that was not written), and the name of the page to open.
#[derive(Debug, Clone)]
pub struct Report {
    /// The files, `index.html` last.
    pub files: Vec<File>,
    /// The file to open (the page).
    pub open: String,
}

/// The name of the report's page.
pub const INDEX: &str = "index.html";

/// A chart to render, with its place on the page.
enum ChartJob {
    Timeline(plot::TimelineChart),
    Members(plot::MembersChart),
    Network(plot::NetworkChart),
    Heatmap(plot::HeatmapChart),
}

struct Figure {
    name: String,
    section: usize,
    alt: String,
    caption: String,
    chart: ChartJob,
}

fn render_job(job: &ChartJob, size: Size, format: Format) -> Result<Vec<u8>> {
    fn go(c: &impl Chart, size: Size, format: Format) -> Result<Vec<u8>> {
        plot::render(c, size, format)
    }
    match job {
        ChartJob::Timeline(c) => go(c, size, format),
        ChartJob::Members(c) => go(c, size, format),
        ChartJob::Network(c) => go(c, size, format),
        ChartJob::Heatmap(c) => go(c, size, format),
    }
}

const SECTIONS: [&str; 6] = [
    "Cohesion over time",
    "Member alignment",
    "Networks",
    "Tie heatmaps",
    "Latest metrics",
    "Events and sources",
];

/// The series dates of the options: `from`, `from + step`, … up to `to`.
pub fn resolve_dates(timeline: &Timeline, opts: &Options, label: &str) -> Result<Vec<NaiveDate>> {
    let span = timeline.date_span();
    let (from, to) = match (
        opts.from.or(span.map(|s| s.0)),
        opts.to.or(span.map(|s| s.1)),
    ) {
        (Some(f), Some(t)) => (f, t),
        _ => {
            return Err(Error::Usage(format!(
                "{label}: the dataset has no events, so the series needs a first and a last date"
            )))
        }
    };
    if from > to {
        return Err(Error::Usage(format!(
            "the series would start on {} after its last date {}",
            fmt_date(from),
            fmt_date(to)
        )));
    }
    checked_series_dates(from, to, opts.step).map_err(Error::Usage)
}

/// The date before the largest change between consecutive dates (Σ|Δw| over all pairs), if the
/// graph changes at all.
pub fn before_largest_change(timeline: &Timeline, dates: &[NaiveDate]) -> Option<NaiveDate> {
    if dates.len() < 2 {
        return None;
    }
    let changes: Vec<f64> = (0..dates.len() - 1)
        .into_par_iter()
        .map(|k| {
            charts::total_change(
                &timeline.snapshot(dates[k]),
                &timeline.snapshot(dates[k + 1]),
            )
        })
        .collect();
    let mut best: Option<(usize, f64)> = None;
    for (k, &c) in changes.iter().enumerate() {
        if c > 1e-9 && best.map_or(true, |(_, b)| c > b) {
            best = Some((k, c));
        }
    }
    best.map(|(k, _)| dates[k])
}

/// Builds every file of the report. `label` names the dataset in messages.
pub fn build(ds: &Dataset, timeline: &Timeline, opts: &Options, label: &str) -> Result<Report> {
    let dates = resolve_dates(timeline, opts, label)?;
    let (Some(&first), Some(&last)) = (dates.first(), dates.last()) else {
        return Err(Error::Usage(format!("{label}: no dates in the series")));
    };
    let points = metrics::series(ds, timeline, &dates, None);
    let events = charts::markers(ds);
    let ext = opts.format.extension();
    let mut namer = Namer::new();
    for fixed in [INDEX, "metrics.json", "metrics.csv"] {
        namer.reserve(fixed);
    }
    let series_text = format!(
        "{} to {}, every {} ({} dates)",
        fmt_date(first),
        fmt_date(last),
        step_words(opts.step),
        dates.len()
    );
    let mut figures: Vec<Figure> = Vec::new();

    // Cohesion timelines, mean_tie first.
    for info in charts::charted_metrics() {
        let chart = charts::timeline(ds, &points, info, None, &events);
        if chart.series.is_empty() {
            continue;
        }
        figures.push(Figure {
            name: namer.name("timeline", info.key, ext),
            section: 0,
            alt: format!("{} of each alliance over time", info.title),
            caption: timeline_caption(info, &series_text),
            chart: ChartJob::Timeline(chart),
        });
    }

    // Member alignment of alliances with three or more members.
    let big: Vec<usize> = (0..ds.alliances.len())
        .filter(|&a| charts::max_members(&points, a) >= 3)
        .collect();
    let suspended = charts::suspended_states(timeline, &dates, &big);
    for (k, &a) in big.iter().enumerate() {
        let per_date: Vec<Vec<usize>> = suspended.iter().map(|d| d[k].clone()).collect();
        if let Some(chart) = charts::members(ds, &points, a, &per_date, &events) {
            let al = &ds.alliances[a];
            figures.push(Figure {
                name: namer.name("members", &al.id, ext),
                section: 1,
                alt: format!("alignment of each member of {} over time", al.id),
                caption: format!(
                    "Alignment of each member of {} ({}): its mean signed tie to the other members \
                     (−1 … +1); the member drifting away is the line falling below the others. \
                     Dashed stretches: membership suspended. {series_text}; numbered lines mark \
                     the noted events listed under the chart.",
                    al.id, al.name
                ),
                chart: ChartJob::Members(chart),
            });
        }
    }

    // Networks and heatmaps at the key dates and the last date.
    let mut at: Vec<NaiveDate> = if opts.at.is_empty() {
        before_largest_change(timeline, &dates)
            .into_iter()
            .collect()
    } else {
        opts.at.clone()
    };
    at.push(last);
    at.sort_unstable();
    at.dedup();
    let reference = points
        .last()
        .and_then(|p| p.metrics.graph.group_ids(ds, "blocs"));
    let colors = BlocColors::new(reference.as_deref().unwrap_or(&[]));
    let snaps: Vec<(Snapshot, metrics::SnapshotMetrics)> = at
        .par_iter()
        .map(|&d| {
            let s = timeline.snapshot(d);
            // A date of the series already has its metrics.
            let m = match dates.binary_search(&d) {
                Ok(k) => points[k].metrics.clone(),
                Err(_) => metrics::compute(ds, &s),
            };
            (s, m)
        })
        .collect();
    for (snap, m) in &snaps {
        let d = fmt_date(snap.date);
        let why = if snap.date == last {
            "the last date of the series"
        } else if opts.at.is_empty() {
            "the date before the largest change of the series"
        } else {
            "a key date"
        };
        figures.push(Figure {
            name: namer.name("network", &d, ext),
            section: 2,
            alt: format!("network of ties on {d}"),
            caption: format!(
                "The network on {d} ({why}). Nodes are states, coloured by the bloc Louvain \
                 finds in the positive ties (colours follow the same group of states in every \
                 chart; grey: in no bloc); solid grey lines are positive ties, dashed red lines \
                 negative ties, wider for stronger ties. Layout: deterministic force-directed. \
                 {}.",
                charts::graph_caption(&m.graph)
            ),
            chart: ChartJob::Network(charts::network(ds, snap, &m.graph, &colors)),
        });
        figures.push(Figure {
            name: namer.name("heatmap", &d, ext),
            section: 3,
            alt: format!("heatmap of tie weights on {d}"),
            caption: format!(
                "Tie weights on {d} ({why}): blue positive, red negative, white no tie; states \
                 grouped by bloc, groups separated by lines."
            ),
            chart: ChartJob::Heatmap(charts::heatmap(ds, snap, &m.graph, &colors)),
        });
    }
    if first != last {
        let before = timeline.snapshot(first);
        let (after, m_after) = match snaps.iter().find(|(s, _)| s.date == last) {
            Some((s, m)) => (s.clone(), m.clone()),
            None => {
                let s = timeline.snapshot(last);
                let m = metrics::compute(ds, &s);
                (s, m)
            }
        };
        figures.push(Figure {
            name: namer.name(
                "heatmap-change",
                &format!("{}-{}", fmt_date(first), fmt_date(last)),
                ext,
            ),
            section: 3,
            alt: format!(
                "change in tie weights from {} to {}",
                fmt_date(first),
                fmt_date(last)
            ),
            caption: format!(
                "Change in tie weights from {} to {}: blue stronger, red weaker or more \
                 hostile; the colour scale is symmetric around 0 and ends at the largest change.",
                fmt_date(first),
                fmt_date(last)
            ),
            chart: ChartJob::Heatmap(charts::change_heatmap(
                ds,
                &before,
                &after,
                &m_after.graph,
                &colors,
            )),
        });
    }

    // Render every chart, in parallel, keeping the order.
    let rendered: Vec<Vec<u8>> = figures
        .par_iter()
        .map(|f| render_job(&f.chart, opts.size, opts.format))
        .collect::<Result<_>>()?;

    let mut files: Vec<File> = figures
        .iter()
        .zip(rendered)
        .map(|(f, bytes)| File {
            name: f.name.clone(),
            bytes,
        })
        .collect();
    // The requested (or default) end of the series, as `entente metrics` writes it: the last
    // series date falls short of it when the steps do not land on it.
    let to = opts
        .to
        .or(timeline.date_span().map(|s| s.1))
        .unwrap_or(last);
    let json = crate::format::to_json(&crate::format::metrics::metrics_out(
        ds, first, to, opts.step, &points,
    ));
    files.push(File {
        name: "metrics.json".into(),
        bytes: json.into_bytes(),
    });
    let mut csv = Vec::new();
    crate::format::metrics::write_csv(ds, &points, &mut csv)
        .map_err(|e| Error::Internal(format!("writing metrics.csv in memory: {e}")))?;
    files.push(File {
        name: "metrics.csv".into(),
        bytes: csv,
    });
    let page = page(ds, &points, &figures, &series_text);
    files.push(File {
        name: INDEX.into(),
        bytes: html::render(&page).into_bytes(),
    });
    Ok(Report {
        files,
        open: INDEX.into(),
    })
}

/// Writes the report's files into `dir` (created if needed), each atomically, `index.html` last;
/// returns the paths written. Nothing else in the folder is touched: files the run did not write
/// stay as they are.
pub fn write(dir: &Path, report: &Report) -> Result<Vec<PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::io(
            dir,
            std::io::Error::other("exists and is not a folder"),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut written = Vec::with_capacity(report.files.len());
    for f in &report.files {
        // Names come from `names`; refuse anything that could leave the folder all the same.
        if f.name.is_empty() || f.name.contains(['/', '\\', '\0']) || f.name.starts_with('.') {
            return Err(Error::Internal(format!(
                "unsafe report file name {:?}",
                f.name
            )));
        }
        let p = dir.join(&f.name);
        crate::output::write_atomic(&p, &f.bytes)?;
        written.push(p);
    }
    Ok(written)
}

/// "month", "3 months", "2 weeks", …
fn step_words(step: Step) -> String {
    use crate::date::StepUnit::*;
    let unit = match step.unit {
        Day => "day",
        Week => "week",
        Month => "month",
        Year => "year",
    };
    if step.n == 1 {
        unit.to_string()
    } else {
        format!("{} {unit}s", step.n)
    }
}

fn timeline_caption(info: &MetricInfo, series_text: &str) -> String {
    format!(
        "{} of each alliance: {}. One line per alliance, {series_text}; gaps where an \
         alliance has no present member, or too few for the metric. Numbered dashed lines mark \
         the dataset's noted events, listed under the chart.",
        if info.title == info.key {
            capitalise(info.title)
        } else {
            format!("{} ({})", capitalise(info.title), info.key)
        },
        info.meaning
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A metric for the page: counts as integers, other values with 3 decimals, `–` for null.
fn fmt_metric(key: &str, v: Option<f64>) -> String {
    match v {
        Some(x) if crate::metrics::catalogue::is_count(key) => format!("{x:.0}"),
        Some(x) => format!("{x:.3}"),
        None => "–".to_string(),
    }
}

/// A plain-words description of an event.
fn describe(ds: &Dataset, kind: &EventKind) -> String {
    let s = |i: &usize| ds.states[*i].id.as_str();
    let a = |i: &usize| ds.alliances[*i].id.as_str();
    match kind {
        EventKind::Enter { state } => format!("{} enters", s(state)),
        EventKind::Exit { state } => format!("{} exits", s(state)),
        EventKind::Join { state, alliance } => format!("{} joins {}", s(state), a(alliance)),
        EventKind::Leave { state, alliance } => format!("{} leaves {}", s(state), a(alliance)),
        EventKind::Suspend {
            state,
            alliance,
            factor,
        } => format!(
            "{} suspended in {} (tie factor {factor})",
            s(state),
            a(alliance)
        ),
        EventKind::Resume { state, alliance } => {
            format!("{} resumes in {}", s(state), a(alliance))
        }
        EventKind::Dissolve { alliance } => format!("{} dissolved", a(alliance)),
        EventKind::Retie { alliance, tie } => format!("{} base tie set to {tie}", a(alliance)),
        EventKind::TieDelta(t) => {
            let mut d = format!("{}–{} tie {:+}", s(&t.a), s(&t.b), t.delta);
            if let Some(h) = t.half_life_days {
                d.push_str(&format!(", half-life {h} days"));
            }
            if let Some(l) = t.duration_days {
                d.push_str(&format!(", lasting {l} days"));
            }
            d
        }
    }
}

fn page(ds: &Dataset, points: &[SeriesPoint], figures: &[Figure], series_text: &str) -> Page {
    let mut intro = Vec::new();
    if let Some(d) = ds.description.as_ref().filter(|d| !d.trim().is_empty()) {
        intro.push(d.clone());
    }
    intro.push(format!(
        "Cohesion metrics {series_text}: {} states, {} alliances, {} events. Files: metrics.json \
         and metrics.csv (every metric at every date), and the charts below. Made by entente {}.",
        ds.states.len(),
        ds.alliances.len(),
        ds.events.len(),
        env!("CARGO_PKG_VERSION")
    ));
    let mut sections: Vec<Section> = SECTIONS
        .iter()
        .map(|h| Section {
            heading: h.to_string(),
            items: Vec::new(),
        })
        .collect();
    for f in figures {
        sections[f.section].items.push(Item::Figure {
            src: f.name.clone(),
            alt: f.alt.clone(),
            caption: f.caption.clone(),
        });
    }
    if sections[1].items.is_empty() {
        sections[1].items.push(Item::Paragraph(
            "No alliance has three or more members in this period.".into(),
        ));
    }

    // Latest metrics.
    if let Some(p) = points.last() {
        let g = &p.metrics.graph;
        let d = fmt_date(p.date);
        sections[4].items.push(Item::Table {
            caption: format!("Whole graph on {d}"),
            header: vec!["metric".into(), "value".into()],
            rows: g
                .numeric()
                .map(|(m, v)| vec![m.key.to_string(), fmt_metric(m.key, v)])
                .collect(),
        });
        if let Some(blocs) = &g.group_ids(ds, "blocs") {
            sections[4].items.push(Item::Definitions(
                blocs
                    .iter()
                    .enumerate()
                    .map(|(k, b)| (format!("bloc {}", k + 1), b.join(", ")))
                    .collect(),
            ));
        }
        let mut header = vec!["alliance".to_string()];
        if let Some((_, m)) = p.metrics.alliances.first() {
            header.extend(m.numeric().map(|(k, _)| k.key.to_string()));
        }
        sections[4].items.push(Item::Table {
            caption: format!("Alliances on {d}"),
            header,
            rows: p
                .metrics
                .alliances
                .iter()
                .map(|(a, m)| {
                    let mut row = vec![ds.alliances[*a].id.clone()];
                    row.extend(m.numeric().map(|(k, v)| fmt_metric(k.key, v)));
                    row
                })
                .collect(),
        });
        for metric in catalogue::of_scope(catalogue::Scope::State) {
            let rows: Vec<Vec<String>> = p
                .metrics
                .alliances
                .iter()
                .filter(|(_, m)| m.count("members").unwrap_or(0) >= 3)
                .flat_map(|(a, m)| {
                    let id = &ds.alliances[*a].id;
                    m.per_state(metric.key)
                        .unwrap_or_default()
                        .iter()
                        .map(move |(s, v)| {
                            vec![
                                format!("{id} / {}", ds.states[*s].id),
                                fmt_metric(metric.key, *v),
                            ]
                        })
                })
                .collect();
            if !rows.is_empty() {
                sections[4].items.push(Item::Table {
                    caption: format!("Member {} on {d} (alliances of three or more)", metric.key),
                    header: vec!["alliance / member".into(), metric.key.into()],
                    rows,
                });
            }
        }
    }

    // Events: numbered as in the charts' keys (noted events within the series, by date).
    let mut order: Vec<usize> = (0..ds.events.len()).collect();
    order.sort_by_key(|&i| ds.events[i].date);
    let mut num = 0;
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let e = &ds.events[i];
            // Numbered as `charts::markers` gives them to every chart.
            let shown = e.note.as_ref().is_some_and(|n| !n.trim().is_empty());
            if shown {
                num += 1;
            }
            let source = e
                .source
                .and_then(|s| ds.sources.get(s))
                .map(|s| s.id.clone())
                .unwrap_or_default();
            vec![
                if shown {
                    num.to_string()
                } else {
                    String::new()
                },
                fmt_date(e.date),
                describe(ds, &e.kind),
                e.note.clone().unwrap_or_default(),
                source,
            ]
        })
        .collect();
    sections[5].items.push(Item::Paragraph(
        "Every event of the dataset by date; noted events are numbered as in the charts' event keys."
            .into(),
    ));
    // The number column is a plain cell: make it the row header only when present.
    sections[5].items.push(Item::Table {
        caption: String::new(),
        header: vec![
            "#".into(),
            "date".into(),
            "event".into(),
            "note".into(),
            "source".into(),
        ],
        rows,
    });
    if !ds.sources.is_empty() {
        sections[5].items.push(Item::Table {
            caption: "Sources".into(),
            header: vec!["id".into(), "title".into(), "date".into(), "address".into()],
            rows: ds
                .sources
                .iter()
                .map(|s| {
                    vec![
                        s.id.clone(),
                        s.title.clone(),
                        s.date.map(fmt_date).unwrap_or_default(),
                        s.url.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        });
    }
    Page {
        title: ds.name.clone(),
        intro,
        sections,
    }
}
