//! From the model and the metrics to chart inputs: which metric is drawn how (title, value
//! range), the alliance and member series, the noted events as markers, the blocs of a snapshot
//! with colours that stay with the same group of states across every chart of a run, and the
//! network and heatmap of a snapshot (coloured by Louvain or signed blocs, [`BlocKind`]), and the
//! alluvial chart of bloc membership over a series. Shared by `entente plot` and `entente
//! report`; no IO.

use crate::dataset::Dataset;
use crate::date::fmt_date;
use crate::error::{Error, Result};
use crate::metrics::bloc_dynamics::{bloc_dynamics, BlocDynamics, DatedBlocs};
use crate::metrics::{GraphMetrics, SeriesPoint};
use crate::model::{Snapshot, Timeline};
use crate::plot::alluvial::{AlluvialChart, LabelledBlocs};
use crate::plot::{
    nice_range, HeatmapChart, Mark, Marker, MemberSeries, MembersChart, NetworkChart, Palette,
    Series, TimelineChart, NO_BLOC,
};
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub use crate::metrics::catalogue::Bounds;

/// What a per-alliance metric is, for titles and captions: its catalogue entry.
pub type MetricInfo = crate::metrics::Metric;

/// The per-alliance metrics drawn as timelines, the headline metric (`mean_tie`) first.
pub fn charted_metrics() -> Vec<&'static MetricInfo> {
    crate::metrics::catalogue::charted()
}

/// The charted per-alliance metric with this key.
pub fn metric(key: &str) -> Option<&'static MetricInfo> {
    crate::metrics::catalogue::charted_metric(key)
}

/// The dataset's noted events as chart markers.
pub fn markers(ds: &Dataset) -> Vec<Marker> {
    ds.events
        .iter()
        .filter_map(|e| {
            e.note
                .as_ref()
                .filter(|n| !n.trim().is_empty())
                .map(|n| Marker {
                    date: e.date,
                    note: n.clone(),
                })
        })
        .collect()
}

/// An axis range for values of the given kind: the data's range rounded outwards to ticks,
/// kept inside the metric's bounds; counts start at 0.
fn value_range(bounds: Bounds, values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if lo > hi {
        return None;
    }
    let (lo, hi) = match bounds {
        Bounds::Count => (0.0, hi.max(1.0)),
        Bounds::NonNegative => (0.0, hi),
        _ => (lo, hi),
    };
    let (a, b) = nice_range(lo, hi, 8);
    let (a, b) = match bounds {
        Bounds::Signed => (a.max(-1.0), b.min(1.0)),
        Bounds::Unit => (a.max(0.0), b.min(1.0)),
        Bounds::Between(low, high) => (a.max(low), b.min(high)),
        Bounds::NonNegative | Bounds::Count => (a.max(0.0), b),
    };
    (b > a).then_some((a, b))
}

/// The value of `metric` for one alliance (dataset index) at one date.
fn alliance_value(p: &SeriesPoint, alliance: usize, metric: &str) -> Option<f64> {
    p.metrics.alliance(alliance)?.number(metric)
}

/// The cohesion timeline of `metric` for the alliances in `only` (dataset indices; all that have
/// a value when `None`), coloured by dataset index.
pub fn timeline(
    ds: &Dataset,
    points: &[SeriesPoint],
    info: &MetricInfo,
    only: Option<&[usize]>,
    events: &[Marker],
) -> TimelineChart {
    timeline_with(ds, points, info, only, events, &Extras::default())
}

/// A band per date (`None` leaves a gap).
pub type BandLine = Vec<Option<(f64, f64)>>;

/// What a report adds to a line chart: shaded bands and dashed what-if series.
#[derive(Debug, Clone, Default)]
pub struct Extras<'a> {
    /// Per alliance (timelines) or member state (member charts), dataset index: its band at
    /// each series date.
    pub bands: BTreeMap<usize, BandLine>,
    /// What the bands show, for the legend.
    pub band_label: String,
    /// What-if scenarios: each one's name and series (over the same dates).
    pub scenarios: &'a [(String, Vec<SeriesPoint>)],
    /// The alliances (timelines) or states (member charts) drawn dashed under each scenario.
    pub dashed: &'a [usize],
}

/// The mark of what-if scenario `k`: each scenario's dashed lines carry their own shape.
pub fn scenario_mark(k: usize) -> Mark {
    const MARKS: [Mark; 4] = [Mark::Circle, Mark::Square, Mark::Triangle, Mark::Diamond];
    MARKS[k % MARKS.len()]
}

/// As [`timeline`], with the bands and dashed scenario series of `extras`.
pub fn timeline_with(
    ds: &Dataset,
    points: &[SeriesPoint],
    info: &MetricInfo,
    only: Option<&[usize]>,
    events: &[Marker],
    extras: &Extras<'_>,
) -> TimelineChart {
    let mut series: Vec<Series> = ds
        .alliances
        .iter()
        .enumerate()
        .filter(|(a, _)| only.map_or(true, |o| o.contains(a)))
        .filter_map(|(a, al)| {
            let values: Vec<Option<f64>> = points
                .iter()
                .map(|p| alliance_value(p, a, info.key))
                .collect();
            values.iter().any(Option::is_some).then(|| Series {
                label: alliance_label(&al.id, &al.name),
                color: Palette::color(a),
                mark: Palette::mark(a),
                values,
                band: extras.bands.get(&a).cloned().unwrap_or_default(),
                dashed: false,
            })
        })
        .collect();
    for (k, (name, scenario)) in extras.scenarios.iter().enumerate() {
        for &a in extras.dashed {
            let Some(al) = ds.alliances.get(a) else {
                continue;
            };
            let values: Vec<Option<f64>> = scenario
                .iter()
                .map(|p| alliance_value(p, a, info.key))
                .collect();
            if values.iter().any(Option::is_some) {
                series.push(Series {
                    label: format!("{}: {name}", alliance_label(&al.id, &al.name)),
                    color: Palette::color(a),
                    mark: scenario_mark(k),
                    values,
                    band: Vec::new(),
                    dashed: true,
                });
            }
        }
    }
    let y_range = value_range(info.bounds, line_values(&series));
    TimelineChart {
        title: format!("{}: {} by alliance", ds.name, info.title),
        metric_label: info.key.to_string(),
        dates: points.iter().map(|p| p.date).collect(),
        series,
        events: events.to_vec(),
        y_range,
        band_label: extras.band_label.clone(),
    }
}

/// Every value a set of lines draws: the values and the bands' ends.
fn line_values(series: &[Series]) -> impl Iterator<Item = f64> + '_ {
    series.iter().flat_map(|s| {
        s.values
            .iter()
            .flatten()
            .copied()
            .chain(s.band.iter().flatten().flat_map(|&(lo, hi)| [lo, hi]))
    })
}

/// For each date (ascending) and each alliance in `alliances`, the states suspended in it: the
/// model's [`Timeline::suspended_at`].
pub fn suspended_states(
    timeline: &Timeline,
    dates: &[NaiveDate],
    alliances: &[usize],
) -> Vec<Vec<Vec<usize>>> {
    timeline.suspended_at(dates, alliances)
}

/// A member's alignment in an alliance at every date of the series (`None` where it is not a
/// member or the value is undefined).
pub fn member_alignment(points: &[SeriesPoint], alliance: usize, state: usize) -> Vec<Option<f64>> {
    points
        .iter()
        .map(|p| {
            p.metrics
                .alliance(alliance)?
                .per_state("alignment")?
                .iter()
                .find(|(s, _)| *s == state)
                .and_then(|(_, v)| *v)
        })
        .collect()
}

/// The largest number of members `alliance` has at any date of the series.
pub fn max_members(points: &[SeriesPoint], alliance: usize) -> usize {
    points
        .iter()
        .filter_map(|p| p.metrics.alliance(alliance)?.count("members"))
        .max()
        .unwrap_or(0)
}

/// The member-alignment chart of `alliance`: one line per state that is a member at some date
/// (dataset order), dashed where suspended (`suspended[t]` = suspended states at date t, as
/// [`suspended_states`] gives for this alliance), over the dates where the alliance has members.
/// `None` when it never has any.
pub fn members(
    ds: &Dataset,
    points: &[SeriesPoint],
    alliance: usize,
    suspended: &[Vec<usize>],
    events: &[Marker],
) -> Option<MembersChart> {
    members_with(ds, points, alliance, suspended, events, &Extras::default())
}

/// As [`members`], with the bands (per member state) and the dashed scenario series (for the
/// states in `extras.dashed`) of `extras`.
pub fn members_with(
    ds: &Dataset,
    points: &[SeriesPoint],
    alliance: usize,
    suspended: &[Vec<usize>],
    events: &[Marker],
    extras: &Extras<'_>,
) -> Option<MembersChart> {
    let al = &ds.alliances[alliance];
    let per_date: Vec<Option<&crate::metrics::StateValues>> = points
        .iter()
        .map(|p| p.metrics.alliance(alliance)?.per_state("alignment"))
        .collect();
    let mut ever: Vec<usize> = per_date
        .iter()
        .flatten()
        .flat_map(|m| m.iter().map(|(s, _)| *s))
        .collect();
    ever.sort_unstable();
    ever.dedup();
    if ever.is_empty() {
        return None;
    }
    let member_label = |s: usize| {
        let (id, name) = (&ds.states[s].id, &ds.states[s].name);
        if name.is_empty() || name == id {
            id.clone()
        } else {
            format!("{id} ({name})")
        }
    };
    let mut members = ever
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let values = per_date
                .iter()
                .map(|m| {
                    m.and_then(|m| m.iter().find(|(x, _)| *x == s))
                        .and_then(|(_, v)| *v)
                })
                .collect();
            let susp = (0..points.len())
                .map(|t| suspended.get(t).is_some_and(|v| v.contains(&s)))
                .collect();
            MemberSeries {
                label: member_label(s),
                color: Palette::color(k),
                mark: Palette::mark(k),
                values,
                suspended: susp,
                band: extras.bands.get(&s).cloned().unwrap_or_default(),
                dashed: false,
            }
        })
        .collect::<Vec<_>>();
    for (k, (name, scenario)) in extras.scenarios.iter().enumerate() {
        for &s in extras.dashed {
            let Some(colour) = ever.iter().position(|&x| x == s) else {
                continue;
            };
            let values = member_alignment(scenario, alliance, s);
            if values.iter().any(Option::is_some) {
                members.push(MemberSeries {
                    label: format!("{}: {name}", ds.states[s].id),
                    color: Palette::color(colour),
                    mark: scenario_mark(k),
                    suspended: vec![false; values.len()],
                    values,
                    band: Vec::new(),
                    dashed: true,
                });
            }
        }
    }
    // Show the alliance's own span: from the first to the last date it has a value.
    let has = |t: usize| members.iter().any(|m| m.values[t].is_some());
    let t0 = (0..points.len()).find(|&t| has(t)).unwrap_or(0);
    let t1 = (0..points.len()).rev().find(|&t| has(t)).unwrap_or(0);
    let members: Vec<MemberSeries> = members
        .into_iter()
        .map(|m| MemberSeries {
            values: m.values[t0..=t1].to_vec(),
            suspended: m.suspended[t0..=t1].to_vec(),
            band: m.band.get(t0..=t1).map(<[_]>::to_vec).unwrap_or_default(),
            ..m
        })
        .collect();
    let y_range = value_range(
        Bounds::Signed,
        members.iter().flat_map(|m| {
            m.values
                .iter()
                .flatten()
                .copied()
                .chain(m.band.iter().flatten().flat_map(|&(lo, hi)| [lo, hi]))
        }),
    );
    Some(MembersChart {
        title: format!("{}: {} members' alignment", ds.name, al.id),
        metric_label: "alignment".into(),
        dates: points[t0..=t1].iter().map(|p| p.date).collect(),
        members,
        events: events.to_vec(),
        y_range,
        band_label: extras.band_label.clone(),
    })
}

/// The hollowness chart of `alliance` (treaty-layer weight minus behaviour weight; docs/metrics.md):
/// the alliance's mean over member pairs, drawn dark with marks, and each member's
/// `member_hollowness` (its ties to the other members), over the dates where the alliance has
/// a value. `None` when it never has one (no treaty/behaviour split, or fewer than two members).
pub fn hollowness(
    ds: &Dataset,
    points: &[SeriesPoint],
    alliance: usize,
    events: &[Marker],
) -> Option<TimelineChart> {
    let al = ds.alliances.get(alliance)?;
    let whole: Vec<Option<f64>> = points
        .iter()
        .map(|p| alliance_value(p, alliance, "hollowness"))
        .collect();
    let t0 = whole.iter().position(Option::is_some)?;
    let t1 = whole.iter().rposition(Option::is_some)?;
    let mut ever: Vec<usize> = points
        .iter()
        .filter_map(|p| p.metrics.alliance(alliance)?.per_state("member_hollowness"))
        .flat_map(|m| m.iter().map(|(s, _)| *s))
        .collect();
    ever.sort_unstable();
    ever.dedup();
    let mut series: Vec<Series> = ever
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let values = points[t0..=t1]
                .iter()
                .map(|p| {
                    p.metrics
                        .alliance(alliance)?
                        .per_state("member_hollowness")?
                        .iter()
                        .find(|(x, _)| *x == s)
                        .and_then(|(_, v)| *v)
                })
                .collect();
            let mut line = Series::new(ds.states[s].id.clone(), Palette::color(k), values);
            line.mark = Palette::mark(k);
            line
        })
        .collect();
    let mut all = Series::new(
        format!("{} (all member pairs)", al.id),
        crate::plot::RGBColor(34, 34, 34),
        whole[t0..=t1].to_vec(),
    );
    all.mark = Mark::Circle;
    series.insert(0, all);
    let y_range = value_range(Bounds::Between(-2.0, 2.0), line_values(&series));
    Some(TimelineChart {
        title: format!("{}: {} on paper and in practice", ds.name, al.id),
        metric_label: "hollowness (treaty − behaviour)".into(),
        dates: points[t0..=t1].iter().map(|p| p.date).collect(),
        series,
        events: events.to_vec(),
        y_range,
        band_label: String::new(),
    })
}

/// Bloc colours that stay with the same group of states across the charts of a run: blocs are
/// matched to the blocs of a reference date by shared members (largest overlap first), and a
/// matched bloc takes its reference bloc's colour; new groups get the next free colours. Blocs
/// of a single state are "in no bloc" (grey).
#[derive(Debug, Clone, Default)]
pub struct BlocColors {
    /// Reference blocs (state ids) and their colour indices.
    reference: Vec<(Vec<String>, usize)>,
}

impl BlocColors {
    /// Colours for the blocs of a reference date: in order, 0, 1, 2, …
    pub fn new(reference: &[Vec<String>]) -> BlocColors {
        BlocColors {
            reference: reference
                .iter()
                .filter(|b| b.len() > 1)
                .enumerate()
                .map(|(k, b)| (b.clone(), k))
                .collect(),
        }
    }

    /// Colours given with the blocs of a reference date (blocs of one state and blocs whose
    /// colour is [`NO_BLOC`] are left out), e.g. as another chart of the run draws them.
    pub fn with_colours(reference: Vec<(Vec<String>, usize)>) -> BlocColors {
        BlocColors {
            reference: reference
                .into_iter()
                .filter(|(b, c)| b.len() > 1 && *c != NO_BLOC)
                .collect(),
        }
    }

    /// The colour index of each bloc of `blocs` ([`NO_BLOC`] for single states).
    pub fn assign(&self, blocs: &[Vec<String>]) -> Vec<usize> {
        let mut out = vec![NO_BLOC; blocs.len()];
        // Overlaps (count, bloc, reference) largest first; ties by bloc then reference order.
        let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
        for (i, b) in blocs.iter().enumerate().filter(|(_, b)| b.len() > 1) {
            for (r, (rb, _)) in self.reference.iter().enumerate() {
                let shared = b.iter().filter(|s| rb.contains(s)).count();
                if shared > 0 {
                    pairs.push((shared, i, r));
                }
            }
        }
        pairs.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut used_ref = vec![false; self.reference.len()];
        for (_, i, r) in pairs {
            if out[i] == NO_BLOC && !used_ref[r] {
                out[i] = self.reference[r].1;
                used_ref[r] = true;
            }
        }
        // New groups take colours after every reference colour.
        let mut next = self.reference.iter().map(|r| r.1 + 1).max().unwrap_or(0);
        for (i, b) in blocs.iter().enumerate() {
            if out[i] == NO_BLOC && b.len() > 1 {
                out[i] = next;
                next += 1;
            }
        }
        out
    }
}

/// For the present states of `snap` (local order), their bloc colour index, and the legend text
/// of each colour index used. `blocs` are the Louvain blocs of the graph metrics (state ids).
fn bloc_of_states(
    ds: &Dataset,
    snap: &Snapshot,
    blocs: Option<&Vec<Vec<String>>>,
    colors: &BlocColors,
) -> (Vec<usize>, Vec<String>) {
    let n = snap.n();
    let mut bloc = vec![NO_BLOC; n];
    let mut labels: Vec<String> = Vec::new();
    if let Some(blocs) = blocs {
        let assigned = colors.assign(blocs);
        let local: BTreeMap<&str, usize> = snap
            .states
            .iter()
            .enumerate()
            .map(|(k, &s)| (ds.states[s].id.as_str(), k))
            .collect();
        for (b, &col) in blocs.iter().zip(&assigned) {
            for id in b {
                if let Some(&k) = local.get(id.as_str()) {
                    bloc[k] = col;
                }
            }
            if col != NO_BLOC {
                if labels.len() <= col {
                    labels.resize(col + 1, String::new());
                }
                labels[col] = bloc_label(b);
            }
        }
    }
    (bloc, labels)
}

/// "RUS, BLR, KAZ +5 (8 states)".
fn bloc_label(ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(4).map(String::as_str).collect();
    let more = ids.len().saturating_sub(4);
    if more > 0 {
        format!("{} +{} ({} states)", shown.join(", "), more, ids.len())
    } else {
        format!("{} ({} states)", shown.join(", "), ids.len())
    }
}

/// Which blocs colour and group the states in the network and heatmap charts (`--blocs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BlocKind {
    /// Louvain on the positive ties only (the `blocs` metric).
    #[default]
    Positive,
    /// Signed-modularity blocs, which use the negative ties too (the `signed_blocs` metric).
    Signed,
}

impl BlocKind {
    /// The graph metric holding these blocs.
    pub fn key(self) -> &'static str {
        match self {
            BlocKind::Positive => "blocs",
            BlocKind::Signed => "signed_blocs",
        }
    }

    /// The legend title naming these blocs.
    pub fn title(self) -> &'static str {
        match self {
            BlocKind::Positive => "Louvain blocs (positive ties)",
            BlocKind::Signed => "Signed blocs (positive and negative ties)",
        }
    }

    /// The metrics a network or heatmap chart of these blocs needs (its caption's and the blocs).
    pub fn chart_metrics(self) -> &'static [&'static str] {
        match self {
            BlocKind::Positive => &CAPTION_METRICS[..7],
            BlocKind::Signed => &CAPTION_METRICS,
        }
    }
}

/// The graph metrics of a network caption: the standard ones, then the signed blocs'.
const CAPTION_METRICS: [&str; 9] = [
    "density",
    "mean_tie",
    "clustering",
    "balance",
    "components",
    "blocs",
    "modularity",
    "signed_blocs",
    "signed_modularity",
];

/// The metrics caption of a network chart with signed blocs: [`graph_caption`] and the signed
/// blocs' count and modularity.
pub fn graph_caption_with(g: &GraphMetrics, kind: BlocKind) -> String {
    let caption = graph_caption(g);
    match kind {
        BlocKind::Positive => caption,
        BlocKind::Signed => {
            let blocs = g
                .groups("signed_blocs")
                .map_or(0, |b| b.iter().filter(|b| b.len() > 1).count());
            let q = g
                .number("signed_modularity")
                .map_or("–".to_string(), |x| format!("{x:.3}"));
            format!("{caption} · signed blocs {blocs} (signed modularity {q})")
        }
    }
}

/// The metrics caption of a network chart.
pub fn graph_caption(g: &GraphMetrics) -> String {
    let f = |v: Option<f64>| v.map_or("–".to_string(), |x| format!("{x:.3}"));
    let blocs = g
        .groups("blocs")
        .map_or(0, |b| b.iter().filter(|b| b.len() > 1).count());
    format!(
        "density {} · mean tie {} · clustering {} · balance {} · components {} · Louvain blocs {} (modularity {})",
        f(g.number("density")),
        f(g.number("mean_tie")),
        f(g.number("clustering")),
        f(g.number("balance")),
        g.count("components").unwrap_or(0),
        blocs,
        f(g.number("modularity"))
    )
}

/// The network chart of a snapshot.
pub fn network(
    ds: &Dataset,
    snap: &Snapshot,
    g: &GraphMetrics,
    colors: &BlocColors,
) -> NetworkChart {
    network_with(ds, snap, g, colors, BlocKind::Positive)
}

/// The network chart of a snapshot, nodes coloured by the `kind` of blocs.
pub fn network_with(
    ds: &Dataset,
    snap: &Snapshot,
    g: &GraphMetrics,
    colors: &BlocColors,
    kind: BlocKind,
) -> NetworkChart {
    let (bloc, bloc_labels) =
        bloc_of_states(ds, snap, g.group_ids(ds, kind.key()).as_ref(), colors);
    NetworkChart {
        title: format!("{}: the network of ties", ds.name),
        date: snap.date,
        caption: graph_caption_with(g, kind),
        labels: snap
            .states
            .iter()
            .map(|&s| ds.states[s].id.clone())
            .collect(),
        bloc,
        bloc_labels,
        bloc_title: kind.title().to_string(),
        weights: snap.weights.clone(),
        positions: None,
    }
}

/// Display order: by bloc colour index (no bloc last), then dataset order.
fn bloc_order(bloc: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bloc.len()).collect();
    order.sort_by_key(|&i| (bloc[i], i));
    order
}

/// The tie heatmap of a snapshot, states grouped by bloc.
pub fn heatmap(
    ds: &Dataset,
    snap: &Snapshot,
    g: &GraphMetrics,
    colors: &BlocColors,
) -> HeatmapChart {
    heatmap_with(ds, snap, g, colors, BlocKind::Positive)
}

/// The tie heatmap of a snapshot, states grouped by the `kind` of blocs.
pub fn heatmap_with(
    ds: &Dataset,
    snap: &Snapshot,
    g: &GraphMetrics,
    colors: &BlocColors,
    kind: BlocKind,
) -> HeatmapChart {
    let (bloc, bloc_labels) =
        bloc_of_states(ds, snap, g.group_ids(ds, kind.key()).as_ref(), colors);
    HeatmapChart {
        title: format!("{}: tie weights", ds.name),
        subtitle: format!(
            "{} · states grouped by {}",
            crate::date::fmt_date(snap.date),
            match kind {
                BlocKind::Positive => "Louvain bloc",
                BlocKind::Signed => "signed bloc",
            }
        ),
        labels: snap
            .states
            .iter()
            .map(|&s| ds.states[s].id.clone())
            .collect(),
        order: bloc_order(&bloc),
        bloc,
        bloc_labels,
        bloc_title: kind.title().to_string(),
        weights: snap.weights.clone(),
        base: None,
        value_label: None,
    }
}

/// The change of tie weights from `before` to `after` over every state present at either date
/// (a state absent at a date has no ties then), grouped by the blocs at `after`.
pub fn change_heatmap(
    ds: &Dataset,
    before: &Snapshot,
    after: &Snapshot,
    g_after: &GraphMetrics,
    colors: &BlocColors,
) -> HeatmapChart {
    change_heatmap_with(ds, before, after, g_after, colors, BlocKind::Positive)
}

/// [`change_heatmap`], states grouped by the `kind` of blocs at `after`.
pub fn change_heatmap_with(
    ds: &Dataset,
    before: &Snapshot,
    after: &Snapshot,
    g_after: &GraphMetrics,
    colors: &BlocColors,
    kind: BlocKind,
) -> HeatmapChart {
    let mut states: Vec<usize> = before.states.iter().chain(&after.states).copied().collect();
    states.sort_unstable();
    states.dedup();
    let n = states.len();
    let matrix = |snap: &Snapshot| -> Vec<f64> {
        let local: Vec<Option<usize>> = states.iter().map(|&s| snap.local(s)).collect();
        let mut w = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if let (Some(a), Some(b)) = (local[i], local[j]) {
                    w[i * n + j] = snap.w(a, b);
                }
            }
        }
        w
    };
    let (after_bloc, bloc_labels) = bloc_of_states(
        ds,
        after,
        g_after.group_ids(ds, kind.key()).as_ref(),
        colors,
    );
    let bloc: Vec<usize> = states
        .iter()
        .map(|&s| after.local(s).map_or(NO_BLOC, |k| after_bloc[k]))
        .collect();
    HeatmapChart {
        title: format!("{}: change in tie weights", ds.name),
        subtitle: format!(
            "from {} to {} (red: weaker or more hostile, blue: stronger) · states grouped by bloc at {}",
            crate::date::fmt_date(before.date),
            crate::date::fmt_date(after.date),
            crate::date::fmt_date(after.date)
        ),
        labels: states.iter().map(|&s| ds.states[s].id.clone()).collect(),
        order: bloc_order(&bloc),
        bloc,
        bloc_labels,
        bloc_title: kind.title().to_string(),
        weights: matrix(after),
        base: Some(matrix(before)),
        value_label: None,
    }
}

/// The blocs of each date held in graph metric `key` (`signed_blocs` or `blocs`; an empty
/// partition where the graph has no tie).
pub fn dated_blocs(points: &[SeriesPoint], key: &str) -> Vec<DatedBlocs> {
    points
        .iter()
        .map(|p| DatedBlocs {
            date: p.date,
            blocs: p
                .metrics
                .graph
                .groups(key)
                .map(<[Vec<usize>]>::to_vec)
                .unwrap_or_default(),
        })
        .collect()
}

/// The most columns an alluvial chart should draw: beyond, bands are too narrow to follow.
pub const MAX_ALLUVIAL_COLUMNS: usize = 40;

/// Bloc membership over a series, for alluvial charts: the blocs of each date and their
/// dynamics (consistent labels, switches), as `entente blocs` computes them.
#[derive(Debug, Clone)]
pub struct Alluvial {
    /// Which blocs.
    pub kind: BlocKind,
    /// The blocs of each date.
    pub series: Vec<DatedBlocs>,
    /// Their consistent labels, flexibility, allegiance and switches (every state's).
    pub dynamics: BlocDynamics,
}

impl Alluvial {
    /// The `kind` blocs at each of `dates` (ascending) and their dynamics.
    pub fn of(timeline: &Timeline, dates: &[NaiveDate], kind: BlocKind) -> Result<Alluvial> {
        let selection = crate::metrics::Selection::of(&[kind.key()])
            .map_err(|e| Error::Internal(format!("the catalogue lacks {}: {e}", kind.key())))?;
        let points =
            crate::metrics::series_selected(timeline, dates, Some(&[]), &selection, &|_| {});
        let series = dated_blocs(&points, kind.key());
        let dynamics = bloc_dynamics(&series);
        Ok(Alluvial {
            kind,
            series,
            dynamics,
        })
    }

    /// The chart for the states `rows` (dataset indices), its caption listing their switches
    /// (`STATE from → to on DATE`, labels as in the legend).
    pub fn chart(&self, ds: &Dataset, rows: &[usize]) -> AlluvialChart {
        let labelled: Vec<LabelledBlocs> = self
            .series
            .iter()
            .zip(&self.dynamics.labels)
            .map(|(d, labels)| LabelledBlocs {
                date: d.date,
                blocs: labels
                    .iter()
                    .copied()
                    .zip(d.blocs.iter().cloned())
                    .collect(),
            })
            .collect();
        let ids: Vec<String> = ds.states.iter().map(|s| s.id.clone()).collect();
        let (first, last) = (self.series.first(), self.series.last());
        let mut chart = AlluvialChart::from_labelled(
            format!("{}: bloc membership over time", ds.name),
            format!(
                "{} → {} · {} · columns at the first and last date and where a shown state \
                 changes bloc",
                first.map(|d| fmt_date(d.date)).unwrap_or_default(),
                last.map(|d| fmt_date(d.date)).unwrap_or_default(),
                match self.kind {
                    BlocKind::Positive => "Louvain blocs of the positive ties",
                    BlocKind::Signed => "signed blocs",
                }
            ),
            self.kind.title().to_string(),
            &ids,
            rows,
            &labelled,
        );
        let short: Vec<String> = self
            .dynamics
            .switches
            .iter()
            .filter(|sw| rows.contains(&sw.state))
            .map(|sw| {
                format!(
                    "{} {} → {} on {}",
                    ds.states[sw.state].id,
                    sw.from,
                    sw.to,
                    fmt_date(sw.date)
                )
            })
            .collect();
        chart.caption = if short.is_empty() {
            "No shown state changes bloc.".to_string()
        } else {
            format!("Switches ({}): {}.", short.len(), short.join("; "))
        };
        chart
    }
}

/// A bloc named by up to three of its members other than `except`, in dataset order.
fn bloc_name(ds: &Dataset, bloc: &[usize], except: usize) -> String {
    let others: Vec<&str> = bloc
        .iter()
        .filter(|&&s| s != except)
        .map(|&s| ds.states[s].id.as_str())
        .collect();
    match others.len() {
        0 => "a bloc of its own".to_string(),
        1..=3 => format!("the bloc of {}", others.join(", ")),
        n => format!("the bloc of {} and {} more", others[..3].join(", "), n - 3),
    }
}

/// A switch in words, as `entente blocs` and the report write it: "ARM leaves the bloc of RUS,
/// BLR, KAZ and 6 more for the bloc of … on 2024-03-01" (the first date of `series` at which it
/// is in its new bloc).
pub fn switch_text(
    ds: &Dataset,
    series: &[DatedBlocs],
    dy: &BlocDynamics,
    sw: &crate::metrics::bloc_dynamics::Switch,
) -> String {
    // The bloc with a label at a date.
    let bloc_at = |t: usize, label: usize| -> &[usize] {
        series[t]
            .blocs
            .iter()
            .zip(&dy.labels[t])
            .find(|(_, &l)| l == label)
            .map_or(&[][..], |(b, _)| b.as_slice())
    };
    let t = series.iter().position(|d| d.date == sw.date).unwrap_or(0);
    let before = t.saturating_sub(1);
    format!(
        "{} leaves {} for {} on {}",
        ds.states[sw.state].id,
        bloc_name(ds, bloc_at(before, sw.from), sw.state),
        bloc_name(ds, bloc_at(t, sw.to), sw.state),
        fmt_date(sw.date)
    )
}

/// Σ |Δw| over the pairs of states present at either date: how much the graph changed.
pub fn total_change(a: &Snapshot, b: &Snapshot) -> f64 {
    let mut states: Vec<usize> = a.states.iter().chain(&b.states).copied().collect();
    states.sort_unstable();
    states.dedup();
    let la: Vec<Option<usize>> = states.iter().map(|&s| a.local(s)).collect();
    let lb: Vec<Option<usize>> = states.iter().map(|&s| b.local(s)).collect();
    let w = |snap: &Snapshot, l: &[Option<usize>], i: usize, j: usize| match (l[i], l[j]) {
        (Some(x), Some(y)) => snap.w(x, y),
        _ => 0.0,
    };
    let mut sum = 0.0;
    for i in 0..states.len() {
        for j in (i + 1)..states.len() {
            sum += (w(b, &lb, i, j) - w(a, &la, i, j)).abs();
        }
    }
    sum
}

/// A legend label for an alliance: its id, with a short name or the abbreviation a long name
/// ends with in parentheses (`ATOP-3180 (NATO)`), so imported ids stay readable.
fn alliance_label(id: &str, name: &str) -> String {
    let name = name.trim();
    if let Some(open) = name.rfind('(') {
        if name.ends_with(')') {
            let abbr = &name[open + 1..name.len() - 1];
            if !abbr.is_empty() && abbr.chars().count() <= 12 && abbr != id {
                return format!("{id} ({abbr})");
            }
        }
    }
    if !name.is_empty() && name != id && name.chars().count() <= 16 {
        format!("{id} ({name})")
    } else {
        id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn alliance_labels_stay_short() {
        assert_eq!(
            alliance_label("ATOP-3180", "North Atlantic Treaty Organization (NATO)"),
            "ATOP-3180 (NATO)"
        );
        assert_eq!(
            alliance_label("CSTO", "Collective Security Treaty Organization"),
            "CSTO"
        );
        assert_eq!(alliance_label("X", "The Pact"), "X (The Pact)");
        assert_eq!(alliance_label("NATO", "NATO"), "NATO");
    }

    #[test]
    fn bloc_colours_follow_their_members() {
        let c = BlocColors::new(&[
            ids(&["RUS", "BLR", "KAZ"]),
            ids(&["USA", "FRA"]),
            ids(&["X"]),
        ]);
        // Earlier: the western bloc is listed first and ARM sits with Russia.
        let got = c.assign(&[
            ids(&["FRA", "USA", "GBR"]),
            ids(&["ARM", "RUS", "BLR"]),
            ids(&["IRN"]),
        ]);
        assert_eq!(got, vec![1, 0, NO_BLOC]);
        // A new group gets a new colour.
        let got = c.assign(&[ids(&["RUS", "BLR"]), ids(&["CHN", "PRK"])]);
        assert_eq!(got, vec![0, 2]);
        // Two blocs overlapping the same reference: the larger overlap keeps the colour.
        let got = c.assign(&[ids(&["RUS", "ARM"]), ids(&["BLR", "KAZ", "TJK"])]);
        assert_eq!(got, vec![2, 0]);
    }

    #[test]
    fn given_colours_are_kept_and_new_groups_come_after_them() {
        let c = BlocColors::with_colours(vec![
            (ids(&["RUS", "BLR"]), 0),
            (ids(&["USA", "FRA", "ARM"]), 2),
            (ids(&["X"]), 1),
            (ids(&["Y", "Z"]), NO_BLOC),
        ]);
        let got = c.assign(&[
            ids(&["FRA", "USA"]),
            ids(&["ARM", "RUS", "BLR"]),
            ids(&["CHN", "PRK"]),
        ]);
        assert_eq!(got, vec![2, 0, 3]);
    }

    #[test]
    fn value_ranges_respect_bounds() {
        let (a, b) = value_range(Bounds::Unit, [0.93, 0.99].into_iter()).unwrap();
        assert!(
            (a - 0.93).abs() < 1e-9 && (b - 0.99).abs() < 1e-9,
            "{a} {b}"
        );
        let (a, b) = value_range(Bounds::Unit, [0.0, 1.0].into_iter()).unwrap();
        assert!(a == 0.0 && b == 1.0);
        assert_eq!(
            value_range(Bounds::Count, [3.0, 5.0].into_iter()),
            Some((0.0, 5.0))
        );
        assert_eq!(value_range(Bounds::Signed, [f64::NAN].into_iter()), None);
        let (a, b) = value_range(Bounds::Signed, [-0.97, 0.2].into_iter()).unwrap();
        assert!(a >= -1.0 && b <= 1.0 && a <= -0.97 && b >= 0.2);
    }
}
