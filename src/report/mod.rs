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
pub mod story;
pub mod uncertainty;

use crate::dataset::{Dataset, EventKind};
use crate::date::{checked_series_dates, fmt_date, Step};
use crate::error::{Error, Result};
use crate::metrics::{self, catalogue, SeriesPoint};
use crate::model::{Snapshot, Timeline};
use crate::plot::{self, Chart, Format, Size};
use crate::robust;
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
    /// Why the step is what it is, when the caller chose it (a sentence for the page).
    pub step_note: Option<String>,
    /// Key dates for network and heatmap charts (besides the last date); default: the date
    /// before the largest change of the series.
    pub at: Vec<NaiveDate>,
    /// Chart size in pixels.
    pub size: Size,
    /// PNG or SVG charts.
    pub format: Format,
    /// Charts for a screen or a paper (no titles, event numbers whose key is the page's event
    /// table).
    pub style: plot::Style,
    /// Only these alliances (dataset indices) in the timelines, and their member charts; they
    /// are the focal alliances. Default: every alliance (the 12 largest when there are more),
    /// focused on the one whose cohesion changes most.
    pub alliances: Vec<usize>,
    /// Focal alliances (dataset indices) when `alliances` is empty, e.g. from the dataset's
    /// `view`; timelines still show every alliance.
    pub focus: Vec<usize>,
    /// Focal states (dataset indices), one ego chart each; default: the focal alliance's member
    /// whose alignment falls furthest.
    pub states: Vec<usize>,
    /// Only these metrics (catalogue keys) as timelines; default: every charted metric.
    pub metrics: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            from: None,
            to: None,
            step: Step::MONTH,
            step_note: None,
            at: Vec::new(),
            size: Size::DEFAULT,
            format: Format::Png,
            style: plot::Style::Screen,
            alliances: Vec::new(),
            focus: Vec::new(),
            states: Vec::new(),
            metrics: Vec::new(),
        }
    }
}

/// The timelines whose focal-alliance line gets a band: cohesion (the mean tie).
pub const BANDED_TIMELINES: [&str; 1] = ["mean_tie"];

/// How many of a focal state's ties get a band in its ego chart (those that change most).
pub const EGO_BANDS: usize = 2;

/// The most bloc switches of the focal states the summary names (the latest ones).
pub const MAX_SUMMARY_SWITCHES: usize = 3;

/// With more alliances than this and no `--alliance`, timelines show only this many.
pub const MAX_TIMELINE_SERIES: usize = 12;

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

/// A what-if scenario to compare with the actual series: its name, how it was given, and the
/// dataset and timeline with its events dropped or added (docs/explain.md).
pub struct Scenario {
    /// The name shown in legends and tables.
    pub name: String,
    /// The specification as given (`without:SELECTOR;with:FILE…`), for the page.
    pub spec: String,
    /// The scenario's dataset (same states and alliances as the report's).
    pub dataset: Dataset,
    /// Its timeline.
    pub timeline: Timeline,
}

/// What a report adds to the plain metrics: uncertainty (bands, findings and the tornado) and
/// what-if scenarios drawn dashed beside the actual series.
#[derive(Default)]
pub struct Additions {
    /// The rules, claims and draws; `None`: no bands and no findings.
    pub uncertainty: Option<uncertainty::Uncertainty>,
    /// The scenarios of `--compare`, in order.
    pub scenarios: Vec<Scenario>,
}

/// A chart to render, with its place on the page.
enum ChartJob {
    Timeline(plot::TimelineChart),
    Members(plot::MembersChart),
    Network(plot::NetworkChart),
    Heatmap(plot::HeatmapChart),
    Alluvial(plot::AlluvialChart),
    Tornado(plot::TornadoChart),
}

struct Figure {
    name: String,
    section: usize,
    alt: String,
    caption: String,
    chart: ChartJob,
}

fn render_job(job: &ChartJob, size: Size, format: Format, style: plot::Style) -> Result<Vec<u8>> {
    fn go(c: &impl Chart, size: Size, format: Format, style: plot::Style) -> Result<Vec<u8>> {
        plot::render_styled(c, size, format, style)
    }
    match job {
        ChartJob::Timeline(c) => go(c, size, format, style),
        ChartJob::Members(c) => go(c, size, format, style),
        ChartJob::Network(c) => go(c, size, format, style),
        ChartJob::Heatmap(c) => go(c, size, format, style),
        ChartJob::Alluvial(c) => go(c, size, format, style),
        ChartJob::Tornado(c) => go(c, size, format, style),
    }
}

/// A stage of [`build_with`], reported with the steps done and the stage's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Metrics at each date of the series.
    Metrics,
    /// Rendering the charts.
    Charts,
}

const SECTIONS: [&str; 7] = [
    "The story",
    "Findings",
    "Before and after",
    "Cohesion over time",
    "Networks and tie heatmaps",
    "Latest metrics",
    "Events and sources",
];
const STORY: usize = 0;
const FINDINGS: usize = 1;
const KEY_DATES: usize = 2;
const TIMELINES: usize = 3;
const NETWORKS: usize = 4;
const METRICS: usize = 5;
const EVENTS: usize = 6;

/// The series dates of the options: `from`, `from + step`, … up to `to`, and `to` itself when
/// the steps do not land on it (so the last event is always in the charts).
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
    let mut dates = checked_series_dates(from, to, opts.step).map_err(Error::Usage)?;
    if dates.last().is_some_and(|&l| l < to) {
        dates.push(to);
    }
    Ok(dates)
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
    build_with(
        ds,
        timeline,
        opts,
        label,
        &Additions::default(),
        &|_, _, _| {},
    )
}

/// As [`build`], with bands, findings, the tornado and what-if scenarios from `add`, calling
/// `progress(stage, done, total)` as dates and charts are done (from worker threads; for a
/// progress bar).
pub fn build_with(
    ds: &Dataset,
    timeline: &Timeline,
    opts: &Options,
    label: &str,
    add: &Additions,
    progress: &(dyn Fn(Stage, usize, usize) + Sync),
) -> Result<Report> {
    let dates = resolve_dates(timeline, opts, label)?;
    let (Some(&first), Some(&last)) = (dates.first(), dates.last()) else {
        return Err(Error::Usage(format!("{label}: no dates in the series")));
    };
    // The standard metrics, without those that cannot apply to this data (as `entente
    // metrics` chooses them).
    let (selection, left_out) = metrics::Selection::standard().applicable(timeline);
    let points = metrics::series_selected(timeline, &dates, None, &selection, &|done| {
        progress(Stage::Metrics, done, dates.len())
    });
    let events = charts::markers(ds);
    let ext = opts.format.extension();
    let mut namer = Namer::new();
    for fixed in [INDEX, "metrics.json", "metrics.csv", "bands.csv"] {
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
    let mut notes: Vec<(usize, String)> = Vec::new();
    let focus = if opts.alliances.is_empty() {
        &opts.focus
    } else {
        &opts.alliances
    };
    let mut story = story::choose(ds, &points, focus, &opts.states, &opts.at);

    // The timelines drawn, mean_tie first.
    let shown_metrics: Vec<&'static MetricInfo> = charts::charted_metrics()
        .into_iter()
        .filter(|info| opts.metrics.is_empty() || opts.metrics.iter().any(|m| m == info.key))
        .collect();
    let egos: Vec<(usize, Option<story::Ego>)> = story
        .states
        .iter()
        .map(|&st| (st, story::ego_data(ds, timeline, &dates, st)))
        .collect();

    // Uncertainty: the draws (bands and the claims' findings), then the sentence saying what
    // the claims' verdicts are.
    let outcome = match &add.uncertainty {
        Some(u) => {
            // The cohesion timeline gets bands; the other metrics would cost every draw their
            // computation (the Fiedler value, clustering) for lines drawn further down.
            let keys: Vec<&'static str> = shown_metrics
                .iter()
                .map(|i| i.key)
                .filter(|k| BANDED_TIMELINES.contains(k))
                .collect();
            // Bands for the ties that change most: more overlapping bands would hide each other.
            let ego_pairs: Vec<(usize, Vec<usize>)> = egos
                .iter()
                .filter_map(|(s, e)| {
                    e.as_ref()
                        .map(|e| (*s, e.ranked.iter().take(EGO_BANDS).copied().collect()))
                })
                .collect();
            let wanted = uncertainty::Wanted {
                alliances: &story.focus,
                metric_keys: &keys,
                ego: &ego_pairs,
            };
            Some(uncertainty::run(ds, u, &dates, &wanted)?)
        }
        None => None,
    };
    if let (Some(u), Some(o)) = (&add.uncertainty, &outcome) {
        story.summary.extend(findings_sentence(u, &o.findings));
    }
    let drawing = add.uncertainty.as_ref().is_some_and(|u| u.drawing());
    let band_legend = add
        .uncertainty
        .as_ref()
        .filter(|u| u.drawing())
        .map(|u| {
            format!(
                "{}–{} % of {} draws",
                uncertainty::pct(uncertainty::BAND.0),
                uncertainty::pct(uncertainty::BAND.1),
                u.draws
            )
        })
        .unwrap_or_default();
    let band_caption = add
        .uncertainty
        .as_ref()
        .filter(|u| u.drawing())
        .map(|u| {
            format!(
                " Shaded: {} (the range of the value when the modelling choices vary; see \
                 Findings).",
                u.band_text()
            )
        })
        .unwrap_or_default();

    // What-if scenarios: their series over the same dates (the metrics drawn and the claims').
    let scenario_series: Vec<(String, Vec<SeriesPoint>)> = add
        .scenarios
        .iter()
        .map(|sc| -> Result<(String, Vec<SeriesPoint>)> {
            let mut keys: Vec<&str> = shown_metrics.iter().map(|i| i.key).collect();
            keys.push("alignment");
            let mut alliances = story.focus.clone();
            if let Some(u) = &add.uncertainty {
                keys.extend(uncertainty::claim_keys(&u.claims));
                alliances.extend(u.claims.iter().filter_map(|c| c.alliance));
            }
            alliances.sort_unstable();
            alliances.dedup();
            let selection = metrics::Selection::of(&keys).map_err(Error::Internal)?;
            let pts = metrics::series_selected(
                &sc.timeline,
                &dates,
                Some(&alliances),
                &selection,
                &|_| {},
            );
            Ok((sc.name.clone(), pts))
        })
        .collect::<Result<_>>()?;
    let scenario_caption = if add.scenarios.is_empty() {
        String::new()
    } else {
        format!(
            " Dashed with marks: the same under {} (what-if; see Findings).",
            add.scenarios
                .iter()
                .map(|s| format!("{:?}", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };

    // The story: the focal alliances' members, the focal states' ego charts.
    let suspended = charts::suspended_states(timeline, &dates, &story.focus);
    for (k, &a) in story.focus.iter().enumerate() {
        let per_date: Vec<Vec<usize>> = suspended.iter().map(|d| d[k].clone()).collect();
        let al = &ds.alliances[a];
        // The focal states' bands when they are members (more overlapping bands would hide
        // each other), else every member's.
        let focal_members: Vec<usize> = story
            .states
            .iter()
            .copied()
            .filter(|&s| is_member(&points, a, s))
            .collect();
        let banded = |s: usize| focal_members.is_empty() || focal_members.contains(&s);
        let band_whose = if !drawing {
            String::new()
        } else if focal_members.is_empty() {
            " each member's".to_string()
        } else {
            format!(
                " {}",
                focal_members
                    .iter()
                    .map(|&s| format!("{}'s", ds.states[s].id))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        let extras = charts::Extras {
            bands: outcome
                .as_ref()
                .map(|o| o.member_bands(a, banded))
                .unwrap_or_default(),
            band_label: band_legend.clone(),
            scenarios: &scenario_series,
            dashed: &story.states,
        };
        match charts::members_with(ds, &points, a, &per_date, &events, &extras) {
            Some(chart) if !all_constant(chart.members.iter().map(|m| &m.values)) => {
                figures.push(Figure {
                    name: namer.name("members", &al.id, ext),
                    section: STORY,
                    alt: format!("alignment of each member of {} over time", al.id),
                    caption: format!(
                        "Alignment of each member of {} ({}): its mean signed tie to the other \
                         members (−1 … +1); the member drifting away is the line falling below \
                         the others. Dashed stretches: membership suspended. {series_text}; \
                         numbered lines mark the noted events listed under the chart.\
                         {}{}",
                        al.id,
                        al.name,
                        band_caption.replacen("Shaded:", &format!("Shaded:{band_whose} band,"), 1),
                        if !focal_members.is_empty() {
                            scenario_caption.as_str()
                        } else {
                            ""
                        }
                    ),
                    chart: ChartJob::Members(chart),
                });
            }
            Some(_) => notes.push((
                STORY,
                format!(
                    "Every member's alignment in {} is constant over {series_text}: no chart.",
                    al.id
                ),
            )),
            None => notes.push((
                STORY,
                format!("{} has no members over {series_text}.", al.id),
            )),
        }
    }
    // Who moves between signed blocs, and when: every state, or the focal alliances' members
    // and the focal states when every state needs too many columns.
    let blocs = charts::Alluvial::of(timeline, &dates, charts::BlocKind::Signed)?;
    let mut rows: Vec<usize> = (0..ds.states.len()).collect();
    let mut alluvial = blocs.chart(ds, &rows);
    if alluvial.columns().len() > charts::MAX_ALLUVIAL_COLUMNS {
        rows = story.states.clone();
        for &a in &story.focus {
            for p in &points {
                if let Some(m) = p.metrics.alliance(a).and_then(|v| v.per_state("alignment")) {
                    rows.extend(m.iter().map(|(s, _)| *s));
                }
            }
        }
        rows.sort_unstable();
        rows.dedup();
        alluvial = blocs.chart(ds, &rows);
    }
    // The focal states' switches of signed bloc, in the summary as `entente blocs` words them.
    let moves: Vec<String> = blocs
        .dynamics
        .switches
        .iter()
        .filter(|sw| story.states.contains(&sw.state))
        .map(|sw| charts::switch_text(ds, &blocs.series, &blocs.dynamics, sw))
        .collect();
    if let Some(first) = story.summary.first_mut() {
        let shown = &moves[moves.len().saturating_sub(MAX_SUMMARY_SWITCHES)..];
        if !shown.is_empty() {
            first.push_str(&format!(
                " In the signed blocs (found with the hostile ties too), {}{}.",
                if shown.len() < moves.len() {
                    format!("of {} switches: ", moves.len())
                } else {
                    String::new()
                },
                shown.join("; ")
            ));
        }
    }
    // The networks and heatmaps colour the signed blocs of the last date as the alluvial
    // chart does, when it is drawn.
    let mut alluvial_colours: Option<BlocColors> = None;
    if alluvial.columns().len() <= charts::MAX_ALLUVIAL_COLUMNS {
        let colour = alluvial.label_colours();
        if let (Some(d), Some(labels)) = (blocs.series.last(), blocs.dynamics.labels.last()) {
            alluvial_colours = Some(BlocColors::with_colours(
                d.blocs
                    .iter()
                    .zip(labels)
                    .map(|(b, &l)| {
                        let ids = b.iter().map(|&s| ds.states[s].id.clone()).collect();
                        (ids, colour.get(l).copied().unwrap_or(plot::NO_BLOC))
                    })
                    .collect(),
            ));
        }
        let switches = alluvial.switches();
        let movers = switches
            .iter()
            .map(|s| s.row)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let moved = match switches.len() {
            0 => "no shown state switches".to_string(),
            n => format!(
                "the {movers} states that switch are in bold ({n} switches, listed under the chart)"
            ),
        };
        figures.push(Figure {
            name: namer.name("alluvial", "signed-blocs", ext),
            section: STORY,
            alt: "bloc membership over time".to_string(),
            caption: format!(
                "Signed blocs over {series_text}: at each column (the first and last dates and \
                 every date where a shown state changes bloc) the blocs are stacked bars, one \
                 slot per state; each state flows to its next slot in its bloc's colour. Labels \
                 are kept from date to date by overlap, as `entente blocs` prints them; {moved}."
            ),
            chart: ChartJob::Alluvial(alluvial),
        });
    } else {
        notes.push((
            STORY,
            format!(
                "The signed blocs change at too many dates over {series_text} for an alluvial \
                 chart; `entente blocs` lists the switches."
            ),
        ));
    }
    let no_bands = std::collections::BTreeMap::new();
    for (st, ego) in &egos {
        let st = *st;
        let id = &ds.states[st].id;
        let ego_bands = outcome.as_ref().map_or(&no_bands, |o| &o.ego);
        match ego {
            Some(e) => figures.push(Figure {
                name: namer.name("ego", id, ext),
                section: STORY,
                alt: format!("{id}'s tie to each other state over time"),
                caption: format!(
                    "{}'s ties: its tie weight (−1 … +1) to each of the {} states whose tie to it \
                     changes most, {series_text}; gaps where either state is absent.{}",
                    story::state_label(ds, st),
                    e.partners.len(),
                    if drawing {
                        band_caption.replacen(
                            "Shaded:",
                            &format!(
                                "Shaded: the band of its tie to {},",
                                e.ranked
                                    .iter()
                                    .take(EGO_BANDS)
                                    .map(|&p| ds.states[p].id.as_str())
                                    .collect::<Vec<_>>()
                                    .join(" and ")
                            ),
                            1,
                        )
                    } else {
                        String::new()
                    }
                ),
                chart: ChartJob::Timeline(story::ego_chart(
                    ds,
                    e,
                    &dates,
                    &events,
                    ego_bands,
                    &band_legend,
                )),
            }),
            None => notes.push((
                STORY,
                format!("{id} has no ties over {series_text}: no ego chart."),
            )),
        }
    }

    // Treaty versus behaviour: hollowness of the focal alliances, when the weights are split.
    for &a in &story.focus {
        if let Some(chart) = charts::hollowness(ds, &points, a, &events) {
            let al = &ds.alliances[a];
            if all_constant(chart.series.iter().map(|s| &s.values)) {
                notes.push((
                    STORY,
                    format!(
                        "{}'s hollowness is constant over {series_text}: no chart.",
                        al.id
                    ),
                ));
                continue;
            }
            figures.push(Figure {
                name: namer.name("hollowness", &al.id, ext),
                section: STORY,
                alt: format!("hollowness of {} and its members over time", al.id),
                caption: format!(
                    "{} on paper and in practice: hollowness, the treaty layer's tie minus the \
                     behaviour layers' tie (−2 … +2; above 0: allied on paper, estranged in \
                     practice), as the mean over member pairs (dark, with marks) and for each \
                     member towards the others, {series_text}. Behaviour: the layers of \
                     --behaviour, by default every layer but treaty (docs/metrics.md).",
                    al.id
                ),
                chart: ChartJob::Timeline(chart),
            });
        }
    }

    // Cohesion timelines, mean_tie first: the filtered alliances, or the largest ones.
    let shown: Option<Vec<usize>> = if !opts.alliances.is_empty() {
        Some(opts.alliances.clone())
    } else if ds.alliances.len() > MAX_TIMELINE_SERIES {
        Some(largest_alliances(&points, ds.alliances.len()))
    } else {
        None
    };
    let capped = opts.alliances.is_empty() && ds.alliances.len() > MAX_TIMELINE_SERIES;
    for info in shown_metrics.iter().copied() {
        let extras = charts::Extras {
            bands: outcome
                .as_ref()
                .map(|o| o.alliance_bands(info.key))
                .unwrap_or_default(),
            band_label: band_legend.clone(),
            scenarios: &scenario_series,
            dashed: &story.focus,
        };
        let chart = charts::timeline_with(ds, &points, info, shown.as_deref(), &events, &extras);
        if chart.series.is_empty() {
            continue;
        }
        if all_constant(chart.series.iter().map(|s| &s.values)) {
            notes.push((
                TIMELINES,
                format!(
                    "{} is constant over {series_text} for every alliance shown ({}): no chart.",
                    capitalise(info.title),
                    chart
                        .series
                        .iter()
                        .map(|s| format!(
                            "{} {}",
                            s.label,
                            fmt_metric(info.key, s.values.iter().flatten().next().copied())
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        }
        let mut caption = timeline_caption(info, &series_text);
        if drawing && BANDED_TIMELINES.contains(&info.key) {
            caption.push_str(&format!(
                " Shaded around the focal alliance{}: {}.",
                if story.focus.len() == 1 { "" } else { "s" },
                add.uncertainty
                    .as_ref()
                    .map(uncertainty::Uncertainty::band_text)
                    .unwrap_or_default()
            ));
        }
        caption.push_str(&scenario_caption);
        if capped {
            caption.push_str(&format!(
                " Only the {MAX_TIMELINE_SERIES} largest of {} alliances (by members, then mean \
                 tie) are drawn; every alliance is in the table under Latest metrics and in \
                 metrics.csv.",
                ds.alliances.len()
            ));
        }
        figures.push(Figure {
            name: namer.name("timeline", info.key, ext),
            section: TIMELINES,
            alt: format!("{} of each alliance over time", info.title),
            caption,
            chart: ChartJob::Timeline(chart),
        });
    }

    // Findings: the claims' table, the what-if verdicts, the tornado of the focal value.
    let mut lead: Vec<(usize, Item)> = Vec::new();
    if let (Some(u), Some(o)) = (&add.uncertainty, &outcome) {
        lead.extend(findings_items(u, &o.findings, &series_text));
    }
    if !add.scenarios.is_empty() {
        lead.push((
            FINDINGS,
            Item::Paragraph(format!(
                "What if: {}. Each is drawn dashed (with marks) beside the actual series of the \
                 focal alliance{} and state{}; its values are in the file named after it (the \
                 same columns as metrics.csv).",
                add.scenarios
                    .iter()
                    .map(|s| format!("{:?} = {}", s.name, s.spec))
                    .collect::<Vec<_>>()
                    .join("; "),
                if story.focus.len() == 1 { "" } else { "s" },
                if story.states.len() == 1 { "" } else { "s" },
            )),
        ));
        if let Some(u) = add.uncertainty.as_ref().filter(|u| !u.claims.is_empty()) {
            let actual = uncertainty::verdicts(&u.claims, &points, &dates, label);
            let per: Vec<Vec<Option<bool>>> = scenario_series
                .iter()
                .map(|(_, pts)| uncertainty::verdicts(&u.claims, pts, &dates, label))
                .collect();
            let word = |v: Option<bool>| match v {
                Some(true) => "holds",
                Some(false) => "fails",
                None => "not checked",
            };
            let mut header = vec!["claim".to_string(), "actual".to_string()];
            header.extend(add.scenarios.iter().map(|s| s.name.clone()));
            lead.push((
                FINDINGS,
                Item::Table {
                    caption: "The claims under each what-if scenario (the plain run of each, \
                              without draws)"
                        .into(),
                    header,
                    rows: u
                        .claims
                        .iter()
                        .enumerate()
                        .map(|(k, c)| {
                            let mut row = vec![c.id.clone(), word(actual[k]).to_string()];
                            row.extend(per.iter().map(|v| word(v[k]).to_string()));
                            row
                        })
                        .collect(),
                },
            ));
        }
    }
    if let Some(u) = add.uncertainty.as_ref().filter(|u| u.drawing()) {
        if let Some(&a) = story.focus.first() {
            let date = story
                .key
                .last()
                .copied()
                .filter(|d| *d <= last)
                .unwrap_or(last);
            let d = fmt_date(date);
            let aid = &ds.alliances[a].id;
            let member = story
                .states
                .iter()
                .copied()
                .find(|&s| is_member(&points, a, s));
            let (at, metric, what) = match member {
                Some(s) => (
                    robust::At::Member(a, s),
                    uncertainty::metric(metrics::Scope::State, "alignment"),
                    format!("{}'s alignment in {aid} on {d}", ds.states[s].id),
                ),
                None => (
                    robust::At::Alliance(a),
                    uncertainty::metric(metrics::Scope::Alliance, "mean_tie"),
                    format!("{aid}'s cohesion (mean tie) on {d}"),
                ),
            };
            if let Some(metric) = metric {
                match uncertainty::tornado(ds, u, date, at, metric, &what)? {
                    Some(chart) => figures.push(Figure {
                        name: namer.name("tornado", &format!("{aid}-{d}"), ext),
                        section: FINDINGS,
                        alt: format!("which modelling choice moves {what} most"),
                        caption: format!(
                            "Which choice matters most for {what} (nominal {}): each bar is one \
                             uncertainty rule set to the low and then the high end of its range \
                             with every other rule at its nominal value, longest swing first \
                             (as `entente sensitivity` computes it).{}",
                            fmt_signed(chart.nominal, 3),
                            match u.rules.len().saturating_sub(chart.bars.len()) {
                                0 => String::new(),
                                1 => " The one other rule does not move it.".to_string(),
                                n => format!(" The {n} other rules do not move it."),
                            }
                        ),
                        chart: ChartJob::Tornado(chart),
                    }),
                    None => notes.push((
                        FINDINGS,
                        format!("No uncertainty rule moves {what}: no tornado chart."),
                    )),
                }
            }
        }
    }

    // Networks and heatmaps at the key dates and the last date.
    let mut at: Vec<NaiveDate> = story.key.clone();
    if at.is_empty() {
        at.extend(before_largest_change(timeline, &dates));
    }
    at.push(last);
    at.sort_unstable();
    at.dedup();
    // Networks and heatmaps show the signed blocs (which keep hostile states apart), with the
    // graph metrics of their captions.
    let kind = charts::BlocKind::Signed;
    let caption_metrics = metrics::Selection::of(kind.chart_metrics()).map_err(Error::Internal)?;
    let graph_at = |s: &Snapshot| metrics::compute_selected(s, Some(&[]), &caption_metrics).graph;
    let snaps: Vec<(Snapshot, metrics::GraphMetrics)> = at
        .par_iter()
        .map(|&d| {
            let s = timeline.snapshot(d);
            let g = graph_at(&s);
            (s, g)
        })
        .collect();
    // Colours follow the blocs of the last date (always drawn: `at` ends with it), in the
    // alluvial chart's colours when it is drawn.
    let same_as_alluvial = if alluvial_colours.is_some() {
        "as in the bloc-membership chart, "
    } else {
        ""
    };
    let colors = alluvial_colours.unwrap_or_else(|| {
        let reference = snaps.last().and_then(|(_, g)| g.group_ids(ds, kind.key()));
        BlocColors::new(reference.as_deref().unwrap_or(&[]))
    });
    let focal = story
        .focus
        .first()
        .map(|&a| ds.alliances[a].id.clone())
        .unwrap_or_default();
    for (snap, g) in &snaps {
        let d = fmt_date(snap.date);
        let is_key = story.key.contains(&snap.date);
        let why = if is_key && !opts.at.is_empty() {
            "a key date".to_string()
        } else if is_key && story.key.first() == Some(&snap.date) {
            format!("before {focal}'s largest change in cohesion")
        } else if is_key {
            format!("after {focal}'s largest change in cohesion")
        } else if snap.date == last {
            "the last date of the series".to_string()
        } else {
            "the date before the largest change of the series".to_string()
        };
        figures.push(Figure {
            name: namer.name("network", &d, ext),
            section: if is_key { KEY_DATES } else { NETWORKS },
            alt: format!("network of ties on {d}"),
            caption: format!(
                "The network on {d} ({why}). Nodes are states, coloured by their signed bloc: \
                 the groups that maximise signed modularity over the positive and the negative \
                 ties, so that allies share a bloc and hostile states are kept apart (colours \
                 {same_as_alluvial}following the same group of states in every chart; grey: a \
                 bloc of its own). \
                 Solid grey lines are positive ties, dashed red lines negative ties, wider for \
                 stronger ties. Layout: deterministic force-directed, each date's from the \
                 previous one's, so a state stays put unless its ties move. {}.",
                charts::graph_caption_with(g, kind)
            ),
            chart: ChartJob::Network(charts::network_with(ds, snap, g, &colors, kind)),
        });
        figures.push(Figure {
            name: namer.name("heatmap", &d, ext),
            section: NETWORKS,
            alt: format!("heatmap of tie weights on {d}"),
            caption: format!(
                "Tie weights on {d} ({why}): blue positive, red negative, white no tie; states \
                 grouped by signed bloc, groups separated by lines."
            ),
            chart: ChartJob::Heatmap(charts::heatmap_with(ds, snap, g, &colors, kind)),
        });
    }
    // The change between the key dates (the story), then over the whole series.
    let mut changes: Vec<(NaiveDate, NaiveDate, usize)> = Vec::new();
    if let (Some(&a), Some(&b)) = (story.key.first(), story.key.last()) {
        if a < b {
            changes.push((a, b, KEY_DATES));
        }
    }
    if first != last && !changes.iter().any(|c| c.0 == first && c.1 == last) {
        changes.push((first, last, NETWORKS));
    }
    for (from, to, section) in changes {
        let before = timeline.snapshot(from);
        let (after, g_after) = match snaps.iter().find(|(s, _)| s.date == to) {
            Some((s, g)) => (s.clone(), g.clone()),
            None => {
                let s = timeline.snapshot(to);
                let g = graph_at(&s);
                (s, g)
            }
        };
        let (f, t) = (fmt_date(from), fmt_date(to));
        figures.push(Figure {
            name: namer.name("heatmap-change", &format!("{f}-{t}"), ext),
            section,
            alt: format!("change in tie weights from {f} to {t}"),
            caption: format!(
                "Change in tie weights from {f} to {t}: blue stronger, red weaker or more \
                 hostile; the colour scale is symmetric around 0 and ends at the largest \
                 change; states grouped by signed bloc on {t}."
            ),
            chart: ChartJob::Heatmap(charts::change_heatmap_with(
                ds, &before, &after, &g_after, &colors, kind,
            )),
        });
    }
    // The networks of the run, laid out from one another (date order) so they can be compared.
    let mut networks: Vec<&mut plot::NetworkChart> = figures
        .iter_mut()
        .filter_map(|f| match &mut f.chart {
            ChartJob::Network(c) => Some(c),
            _ => None,
        })
        .collect();
    plot::network::lay_out_together(&mut networks, opts.size);
    // The story section in reading order: members, alluvial, ego charts, networks before/after,
    // change.
    figures.sort_by_key(|f| f.section);

    // A paper chart draws only the events' numbers: their key is the page's event table.
    if opts.style.is_paper() {
        for f in &mut figures {
            f.caption = f
                .caption
                .replace("listed under the chart", "listed under Events and sources");
        }
    }

    // Render every chart, in parallel, keeping the order.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let rendered: Vec<Vec<u8>> = figures
        .par_iter()
        .map(|f| {
            let bytes = render_job(&f.chart, opts.size, opts.format, opts.style);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(Stage::Charts, n, figures.len());
            bytes
        })
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
    if let Some(o) = outcome.as_ref().filter(|o| !o.cells.is_empty()) {
        files.push(File {
            name: "bands.csv".into(),
            bytes: bands_csv(ds, &dates, &o.cells).into_bytes(),
        });
    }
    for (name, pts) in &scenario_series {
        let mut csv = Vec::new();
        crate::format::metrics::write_csv(ds, pts, &mut csv)
            .map_err(|e| Error::Internal(format!("writing a scenario's CSV in memory: {e}")))?;
        files.push(File {
            name: namer.name("scenario", name, "csv"),
            bytes: csv,
        });
    }
    let files_text = match catalogue::left_out_note(&left_out) {
        Some(n) => format!("metrics.csv and metrics.json; {n}"),
        None => "metrics.csv and metrics.json".to_string(),
    };
    let about = format!(
        "Cohesion metrics {series_text}: {} states, {} alliances, {} events. Every metric at \
         every date: {files_text}. Made by entente {}.",
        ds.states.len(),
        ds.alliances.len(),
        ds.events.len(),
        env!("CARGO_PKG_VERSION")
    );
    let mut page = page(ds, &points, &figures, &lead, &notes, &story, about);
    if let Some(n) = &opts.step_note {
        page.intro.push(n.clone());
    }
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

/// Whether `state` has an alignment value in `alliance` at some date of the series.
fn is_member(points: &[SeriesPoint], alliance: usize, state: usize) -> bool {
    charts::member_alignment(points, alliance, state)
        .iter()
        .any(Option::is_some)
}

/// A number with `digits` decimals and a true minus sign (U+2212); "–" when undefined, and
/// no "−0.00" for a value that rounds to zero.
///
/// ```
/// # use entente::report::fmt_signed;
/// assert_eq!(fmt_signed(Some(-0.317), 2), "\u{2212}0.32");
/// assert_eq!(fmt_signed(Some(-0.001), 2), "0.00");
/// assert_eq!(fmt_signed(Some(0.5), 1), "0.5");
/// assert_eq!(fmt_signed(None, 2), "–");
/// ```
pub fn fmt_signed(v: Option<f64>, digits: usize) -> String {
    match v {
        Some(x) => {
            let t = format!("{x:.digits$}");
            match t.strip_prefix('-') {
                Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
                Some(rest) => format!("\u{2212}{rest}"),
                None => t,
            }
        }
        None => "–".to_string(),
    }
}

/// The summary sentence on the claims: how many there are and their verdicts.
fn findings_sentence(
    u: &uncertainty::Uncertainty,
    findings: &[uncertainty::Finding],
) -> Option<String> {
    if findings.is_empty() {
        return None;
    }
    let n = findings.len();
    let claims = if n == 1 { "claim" } else { "claims" };
    if u.drawing() {
        let mut parts: Vec<String> = Vec::new();
        for label in ["robust", "likely", "uncertain", "unlikely", "rejected"] {
            let c = findings.iter().filter(|f| f.label == Some(label)).count();
            if c > 0 {
                parts.push(format!("{c} {label}"));
            }
        }
        let unchecked = findings
            .iter()
            .filter(|f| f.holds_nominal.is_none())
            .count();
        if unchecked > 0 {
            parts.push(format!("{unchecked} not checked in this period"));
        }
        Some(format!(
            "The dataset states {n} {claims}, tested in {} draws of its {} uncertainty rule{}: \
             {} (see Findings).",
            u.draws,
            u.rules.len(),
            if u.rules.len() == 1 { "" } else { "s" },
            parts.join(", ")
        ))
    } else {
        let holds = findings
            .iter()
            .filter(|f| f.holds_nominal == Some(true))
            .count();
        Some(format!(
            "The dataset states {n} {claims}; {holds} hold{} in this run (no draws: see \
             Findings).",
            if holds == 1 { "s" } else { "" }
        ))
    }
}

/// The findings table and the sentence before it.
fn findings_items(
    u: &uncertainty::Uncertainty,
    findings: &[uncertainty::Finding],
    series_text: &str,
) -> Vec<(usize, Item)> {
    if findings.is_empty() {
        return Vec::new();
    }
    let intro = if u.drawing() {
        format!(
            "Each claim of the dataset is checked at the report's dates ({series_text}) in the \
             plain run and in each of {} draws of its {} uncertainty rules (seed {}), as \
             `entente robust` does. Verdict: robust when it holds in at least 95 % of the \
             draws, likely 75 %, unlikely 25 % or less, rejected 5 % or less, uncertain \
             between.",
            u.draws,
            u.rules.len(),
            u.seed
        )
    } else {
        format!(
            "Each claim of the dataset checked at the report's dates ({series_text}) in the plain \
             run only ({}).",
            if u.rules.is_empty() {
                "no uncertainty rules"
            } else {
                "--draws 0"
            }
        )
    };
    let rows = findings
        .iter()
        .map(|f| {
            vec![
                f.id.clone(),
                f.text.clone().unwrap_or_default(),
                match f.holds_nominal {
                    Some(true) => "holds".into(),
                    Some(false) => "fails".into(),
                    None => "not checked".into(),
                },
                f.probability
                    .map_or_else(|| "–".into(), |p| format!("{p:.3}")),
                match (f.label, &f.note) {
                    (Some(l), _) => l.to_string(),
                    (None, Some(n)) => n.clone(),
                    (None, None) => "–".into(),
                },
            ]
        })
        .collect();
    vec![
        (FINDINGS, Item::Paragraph(intro)),
        (
            FINDINGS,
            Item::Table {
                caption: "The dataset's claims".into(),
                header: vec![
                    "claim".into(),
                    "finding".into(),
                    "nominal".into(),
                    "probability".into(),
                    "verdict".into(),
                ],
                rows,
            },
        ),
    ]
}

/// The banded cells as `entente robust --format csv --quantiles 0.05,0.95` writes them (one
/// layout: [`robust::csv`]).
fn bands_csv(ds: &Dataset, dates: &[NaiveDate], cells: &[(robust::Cell, robust::Band)]) -> String {
    let mut out = robust::csv::header(&[
        uncertainty::BAND.0.to_string(),
        uncertainty::BAND.1.to_string(),
    ]);
    for (c, b) in cells {
        let date = dates.get(c.date).map(|d| fmt_date(*d)).unwrap_or_default();
        out.push_str(&robust::csv::row(ds, &date, c, b));
    }
    out
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
        EventKind::Invoke {
            state,
            alliance,
            article,
        } => match article {
            Some(n) => format!("{} invokes article {n} in {}", s(state), a(alliance)),
            None => format!("{} calls on {} for help", s(state), a(alliance)),
        },
        EventKind::Respond {
            state,
            alliance,
            outcome,
        } => format!(
            "{} answers {}'s call: {}",
            a(alliance),
            s(state),
            outcome.as_str()
        ),
    }
}

/// Whether every series is constant over its present values (or empty).
fn all_constant<'a>(series: impl Iterator<Item = &'a Vec<Option<f64>>>) -> bool {
    let mut all = true;
    for v in series {
        let mut vals = v.iter().flatten();
        if let Some(first) = vals.next() {
            all &= vals.all(|x| (x - first).abs() <= 1e-12);
        }
    }
    all
}

/// The `n` largest alliances (at most [`MAX_TIMELINE_SERIES`]): most members at any date, then
/// highest mean tie over the series; in dataset order.
fn largest_alliances(points: &[SeriesPoint], n: usize) -> Vec<usize> {
    let mut rank: Vec<(usize, usize, f64)> = (0..n)
        .map(|a| {
            let v = story::cohesion(points, a);
            let present: Vec<f64> = v.into_iter().flatten().collect();
            let mean = if present.is_empty() {
                f64::NEG_INFINITY
            } else {
                present.iter().sum::<f64>() / present.len() as f64
            };
            (a, charts::max_members(points, a), mean)
        })
        .collect();
    rank.sort_by(|x, y| y.1.cmp(&x.1).then(y.2.total_cmp(&x.2)).then(x.0.cmp(&y.0)));
    let mut top: Vec<usize> = rank
        .into_iter()
        .take(MAX_TIMELINE_SERIES)
        .map(|r| r.0)
        .collect();
    top.sort_unstable();
    top
}

fn page(
    ds: &Dataset,
    points: &[SeriesPoint],
    figures: &[Figure],
    lead: &[(usize, Item)],
    notes: &[(usize, String)],
    story: &story::Story,
    about: String,
) -> Page {
    let mut intro = Vec::new();
    intro.extend(story.summary.iter().cloned());
    if let Some(d) = ds.description.as_ref().filter(|d| !d.trim().is_empty()) {
        intro.push(d.clone());
    }
    // What the series covers and where its files are.
    intro.push(about);
    let mut sections: Vec<Section> = SECTIONS
        .iter()
        .map(|h| Section {
            heading: h.to_string(),
            items: Vec::new(),
        })
        .collect();
    for (section, item) in lead {
        sections[*section].items.push(item.clone());
    }
    for f in figures {
        sections[f.section].items.push(Item::Figure {
            src: f.name.clone(),
            alt: f.alt.clone(),
            caption: f.caption.clone(),
        });
    }
    for (section, note) in notes {
        sections[*section].items.push(Item::Paragraph(note.clone()));
    }

    // Latest metrics.
    if let Some(p) = points.last() {
        let g = &p.metrics.graph;
        let d = fmt_date(p.date);
        sections[METRICS].items.push(Item::Table {
            caption: format!("Whole graph on {d}"),
            header: vec!["metric".into(), "value".into()],
            rows: g
                .numeric()
                .map(|(m, v)| vec![m.key.to_string(), fmt_metric(m.key, v)])
                .collect(),
        });
        if let Some(blocs) = &g.group_ids(ds, "blocs") {
            sections[METRICS].items.push(Item::Definitions(
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
        sections[METRICS].items.push(Item::Table {
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
                sections[METRICS].items.push(Item::Table {
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
    sections[EVENTS].items.push(Item::Paragraph(
        "Every event of the dataset by date; noted events are numbered as in the charts' event keys."
            .into(),
    ));
    // The number column is a plain cell: make it the row header only when present.
    sections[EVENTS].items.push(Item::Table {
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
        sections[EVENTS].items.push(Item::Table {
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
    sections.retain(|s| !s.items.is_empty());
    Page {
        title: ds.name.clone(),
        intro,
        sections,
    }
}
