//! What changed between two dates (the `diff` command's content): the pairs whose weight moved
//! most, the change of every graph and alliance metric, and per alliance the members whose
//! alignment moved most. Not a metric itself: it compares the metrics of two snapshots.
//!
//! States present at only one of the dates count with weight 0 (no tie) at the other; an
//! alliance or member present at only one date has null for the other value and a null change.
//! Rankings sort by |change| (largest first), nulls last, then dataset order, so the output is
//! deterministic. Complexity: two [`compute`] calls plus O(U²) for the pairs
//! (U = states present at either date).

use super::{compute, AllianceMetrics, SnapshotMetrics};
use crate::dataset::Dataset;
use crate::date::fmt_date;
use crate::format::OrderedMap;
use crate::model::Snapshot;
use serde::Serialize;

/// A value at both dates and its signed change (to − from; null unless both exist).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ValueChange {
    pub from: Option<f64>,
    pub to: Option<f64>,
    pub change: Option<f64>,
}

impl ValueChange {
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
    pub a: String,
    pub b: String,
    pub from: f64,
    pub to: f64,
    pub change: f64,
}

/// A member's alignment at both dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberChange {
    pub state: String,
    #[serde(flatten)]
    pub value: ValueChange,
}

/// An alliance's changes: every numeric metric, and the members whose alignment moved most.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllianceDiff {
    pub metrics: OrderedMap<ValueChange>,
    pub alignment: Vec<MemberChange>,
}

/// The `diff` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub dataset: String,
    pub from: String,
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
            .iter()
            .zip(m2.graph.numeric())
            .map(|(&(k, a), (_, b))| (k.to_string(), ValueChange::new(a, b)))
            .collect(),
    );

    let find = |m: &'_ SnapshotMetrics, aid: &str| -> Option<AllianceMetrics> {
        m.alliances
            .0
            .iter()
            .find(|(k, _)| k == aid)
            .map(|(_, v)| v.clone())
    };
    let mut alliances = Vec::new();
    for a in &ds.alliances {
        let (a1, a2) = (find(m1, &a.id), find(m2, &a.id));
        if a1.is_none() && a2.is_none() {
            continue;
        }
        let num = |m: &Option<AllianceMetrics>| m.as_ref().map(|x| x.numeric());
        let (n1, n2) = (num(&a1), num(&a2));
        let keys = n1.or(n2).map(|n| n.map(|(k, _)| k)).unwrap_or_default();
        let metrics = OrderedMap(
            keys.iter()
                .enumerate()
                .map(|(i, k)| {
                    let v1 = n1.and_then(|n| n[i].1);
                    let v2 = n2.and_then(|n| n[i].1);
                    (k.to_string(), ValueChange::new(v1, v2))
                })
                .collect(),
        );
        let align = |m: &Option<AllianceMetrics>, s: &str| -> Option<f64> {
            m.as_ref()?
                .alignment
                .0
                .iter()
                .find(|(k, _)| k == s)
                .and_then(|(_, v)| *v)
        };
        let in_either = |s: &str| {
            [&a1, &a2].iter().any(|m| {
                m.as_ref()
                    .is_some_and(|m| m.alignment.0.iter().any(|(k, _)| k == s))
            })
        };
        let mut alignment: Vec<MemberChange> = ds
            .states
            .iter()
            .filter(|s| in_either(&s.id))
            .map(|s| MemberChange {
                state: s.id.clone(),
                value: ValueChange::new(align(&a1, &s.id), align(&a2, &s.id)),
            })
            .collect();
        rank(&mut alignment, |m| m.value.change);
        alignment.truncate(top);
        alliances.push((a.id.clone(), AllianceDiff { metrics, alignment }));
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
