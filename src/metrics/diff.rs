//! What changed between two dates (the `diff` command's content): the pairs whose weight moved
//! most, the change of every graph and alliance metric, and per alliance the members whose
//! per-state values (`alignment`) moved most. Not a metric itself: it compares the metrics of two snapshots.
//!
//! States present at only one of the dates count with weight 0 (no tie) at the other; an
//! alliance or member present at only one date has null for the other value and a null change.
//! Rankings sort by |change| (largest first), nulls last, then dataset order, so the output is
//! deterministic. Complexity: two [`compute`] calls plus O(U²) for the pairs
//! (U = states present at either date).

use super::{compute, AllianceMetrics, SnapshotMetrics};
use crate::base::OrderedMap;
use crate::dataset::Dataset;
use crate::date::fmt_date;
use crate::metrics::Metric;
use crate::model::Snapshot;
use serde::Serialize;

/// A value at both dates and its signed change (to − from; null unless both exist).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ValueChange {
    /// The value at the first date (null when undefined).
    pub from: Option<f64>,
    /// The value at the second date (null when undefined).
    pub to: Option<f64>,
    /// `to − from`, when both are defined.
    pub change: Option<f64>,
}

impl ValueChange {
    /// The change from `from` to `to`.
    pub fn new(from: Option<f64>, to: Option<f64>) -> ValueChange {
        let change = match (from, to) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        ValueChange { from, to, change }
    }
}

/// The weight of a pair at both dates (0 = no tie) and its signed change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairChange {
    /// One state's id.
    pub a: String,
    /// The other state's id.
    pub b: String,
    /// The weight at the first date.
    pub from: f64,
    /// The weight at the second date.
    pub to: f64,
    /// `to − from`.
    pub change: f64,
}

/// A member's value of a per-state metric (such as `alignment`) at both dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberChange {
    /// The member's id.
    pub state: String,
    /// Its value at both dates.
    #[serde(flatten)]
    pub value: ValueChange,
}

/// An alliance's changes: every numeric metric, and for each per-state metric (key →
/// changes, written as keys of this object beside `metrics`) the members whose value moved
/// most.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllianceDiff {
    /// Each alliance metric's change, by key.
    pub metrics: OrderedMap<ValueChange>,
    /// Each per-member metric's changes, by key.
    #[serde(flatten)]
    pub members: OrderedMap<Vec<MemberChange>>,
}

/// The `diff` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The dataset's name.
    pub dataset: String,
    /// The first date.
    pub from: String,
    /// The second date.
    pub to: String,
    /// The `top` pairs whose weight changed most (pairs that did not change are left out).
    pub pairs: Vec<PairChange>,
    /// Every numeric graph metric (`blocs` left out).
    pub graph: OrderedMap<ValueChange>,
    /// Alliances with a present member at either date, dataset order.
    pub alliances: OrderedMap<AllianceDiff>,
}

/// Sorts by |change| descending, nulls last; stable, so equal changes keep their order.
fn rank<T>(v: &mut [T], change: impl Fn(&T) -> Option<f64>) {
    v.sort_by(|x, y| match (change(x), change(y)) {
        (Some(a), Some(b)) => b.abs().total_cmp(&a.abs()),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// Compares the snapshots `s1` (earlier) and `s2` (later), keeping the `top` largest pair and
/// alignment changes.
///
/// ```
/// let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
/// let t = entente::model::Timeline::new(&ds, "csto.json");
/// let d = |s| entente::date::parse_date(s).unwrap();
/// let diff = entente::metrics::diff::diff(&ds, &t.snapshot(d("1990-01-01")), &t.snapshot(d("2000-01-01")), 5);
/// assert!(diff.pairs.len() <= 5);
/// ```
pub fn diff(ds: &Dataset, s1: &Snapshot, s2: &Snapshot, top: usize) -> Diff {
    let (m1, m2) = (compute(ds, s1), compute(ds, s2));
    diff_metrics(ds, s1, s2, &m1, &m2, top)
}

/// As [`diff`], from metrics already computed for the two snapshots.
pub fn diff_metrics(
    ds: &Dataset,
    s1: &Snapshot,
    s2: &Snapshot,
    m1: &SnapshotMetrics,
    m2: &SnapshotMetrics,
    top: usize,
) -> Diff {
    let id = |s: usize| ds.states[s].id.clone();
    // Pairs over the states present at either date (dataset indices, ascending).
    let mut union: Vec<usize> = s1.states.iter().chain(&s2.states).copied().collect();
    union.sort_unstable();
    union.dedup();
    let l1: Vec<Option<usize>> = union.iter().map(|&s| s1.local(s)).collect();
    let l2: Vec<Option<usize>> = union.iter().map(|&s| s2.local(s)).collect();
    let weight = |s: &Snapshot, a: Option<usize>, b: Option<usize>| match (a, b) {
        (Some(i), Some(j)) => s.w(i, j),
        _ => 0.0,
    };
    let mut moved: Vec<(usize, usize, f64, f64)> = Vec::new();
    for x in 0..union.len() {
        for y in (x + 1)..union.len() {
            let (a, b) = (weight(s1, l1[x], l1[y]), weight(s2, l2[x], l2[y]));
            if a != b {
                moved.push((x, y, a, b));
            }
        }
    }
    rank(&mut moved, |p| Some(p.3 - p.2));
    moved.truncate(top);
    let pairs = moved
        .into_iter()
        .map(|(x, y, a, b)| PairChange {
            a: id(union[x]),
            b: id(union[y]),
            from: a,
            to: b,
            change: b - a,
        })
        .collect();

    let graph = OrderedMap(
        m1.graph
            .numeric()
            .zip(m2.graph.numeric())
            .map(|((k, a), (_, b))| (k.key.to_string(), ValueChange::new(a, b)))
            .collect(),
    );

    let mut alliances = Vec::new();
    for (ai, a) in ds.alliances.iter().enumerate() {
        let (a1, a2) = (m1.alliance(ai), m2.alliance(ai));
        let Some(shape) = a1.or(a2) else {
            continue;
        };
        let num = |m: Option<&AllianceMetrics>, key: &str| m.and_then(|x| x.number(key));
        let metrics = OrderedMap(
            shape
                .numeric()
                .map(|(k, _)| {
                    (
                        k.key.to_string(),
                        ValueChange::new(num(a1, k.key), num(a2, k.key)),
                    )
                })
                .collect(),
        );
        let per_state: Vec<&'static Metric> = shape.per_state_entries().map(|(m, _)| m).collect();
        let mut members = Vec::new();
        for metric in per_state {
            let (v1, v2) = (
                a1.and_then(|m| m.per_state(metric.key)),
                a2.and_then(|m| m.per_state(metric.key)),
            );
            let at = |v: Option<&super::StateValues>, s: usize| -> Option<f64> {
                v?.iter().find(|(k, _)| *k == s).and_then(|(_, x)| *x)
            };
            let in_either = |s: usize| {
                [v1, v2]
                    .iter()
                    .any(|v| v.is_some_and(|v| v.iter().any(|(k, _)| *k == s)))
            };
            let mut changes: Vec<MemberChange> = (0..ds.states.len())
                .filter(|&s| in_either(s))
                .map(|s| MemberChange {
                    state: ds.states[s].id.clone(),
                    value: ValueChange::new(at(v1, s), at(v2, s)),
                })
                .collect();
            rank(&mut changes, |m| m.value.change);
            changes.truncate(top);
            members.push((metric.key.to_string(), changes));
        }
        alliances.push((
            a.id.clone(),
            AllianceDiff {
                metrics,
                members: OrderedMap(members),
            },
        ));
    }
    Diff {
        dataset: ds.name.clone(),
        from: fmt_date(s1.date),
        to: fmt_date(s2.date),
        pairs,
        graph,
        alliances: OrderedMap(alliances),
    }
}
