//! Cohesion metrics of a snapshot (issue #3): the whole graph's (`graph`) and each alliance's
//! (`alliances.ID`), exactly as the issue defines them, so that values can be checked against
//! other tools one by one.
//!
//! Notation used by every metric file: at a date, N = the present states, w_ij the tie weight
//! (0 where no tie), G⁺ = the graph on N with the ties w > 0 (weighted by w). For an alliance,
//! M = its present members (active and suspended), m = |M|. "Pairs" are unordered pairs of
//! distinct states.
//!
//! Each metric lives in its own file as a plain function of a [`View`] (the dense weight matrix
//! of a snapshot) and a member list (local indices, ascending): [`density`], [`clustering`],
//! [`balance`], [`components`], [`louvain`], [`ei_index`], [`fiedler`], [`alignment`].
//! [`compute`] assembles them into the serialisable [`SnapshotMetrics`]; [`series`] does so for
//! many dates in parallel. [`diff`] compares two dates. Nothing here does IO.

pub mod alignment;
pub mod balance;
pub mod clustering;
pub mod components;
pub mod density;
pub mod diff;
pub mod ei_index;
pub mod fiedler;
pub mod hollowness;
pub mod louvain;
#[cfg(test)]
mod proptests;
pub mod similarity;

use crate::dataset::Dataset;
use crate::format::OrderedMap;
use crate::model::{Snapshot, Timeline};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A read-only view of a dense, symmetric `n × n` weight matrix (row-major, zero diagonal), as
/// [`Snapshot::weights`] stores it. Indices are local (positions in [`Snapshot::states`]).
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    n: usize,
    w: &'a [f64],
}

impl<'a> View<'a> {
    /// A view of `w` as an `n × n` matrix.
    ///
    /// # Panics
    /// When `w.len() != n * n` (a programming error, never user input).
    pub fn new(n: usize, w: &'a [f64]) -> View<'a> {
        assert_eq!(w.len(), n * n, "weight matrix is not n × n");
        View { n, w }
    }

    /// Number of rows (states).
    #[inline]
    pub fn n(&self) -> usize {
        self.n
    }

    /// Weight between `i` and `j`.
    #[inline]
    pub fn w(&self, i: usize, j: usize) -> f64 {
        self.w[i * self.n + j]
    }

    /// Row `i`.
    #[inline]
    pub fn row(&self, i: usize) -> &'a [f64] {
        &self.w[i * self.n..(i + 1) * self.n]
    }
}

impl<'a> From<&'a Snapshot> for View<'a> {
    fn from(s: &'a Snapshot) -> View<'a> {
        View::new(s.n(), &s.weights)
    }
}

/// Metrics of the whole graph at a date (the `graph` object). Keys and meanings: issue #3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphMetrics {
    /// |N|.
    pub states: usize,
    /// Pairs with w ≠ 0.
    pub ties: usize,
    /// Pairs with w > 0.
    pub positive: usize,
    /// Pairs with w < 0.
    pub negative: usize,
    /// positive / pairs(N); null when |N| < 2.
    pub density: Option<f64>,
    /// Σ_pairs w / pairs(N); null when |N| < 2.
    pub mean_tie: Option<f64>,
    /// Average weighted clustering of G⁺; null when N is empty.
    pub clustering: Option<f64>,
    /// Share of balanced signed triangles; null when there is none.
    pub balance: Option<f64>,
    /// Connected components of G⁺ (isolated states count).
    pub components: usize,
    /// Louvain blocs of G⁺ (state ids in dataset order, blocs by first member); null when G⁺ has
    /// no edge.
    pub blocs: Option<Vec<Vec<String>>>,
    /// Newman's weighted modularity of `blocs` on G⁺; null when G⁺ has no edge.
    pub modularity: Option<f64>,
}

/// Metrics of one alliance at a date (an entry of the `alliances` object).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllianceMetrics {
    /// m: present members, active and suspended.
    pub members: usize,
    /// Present suspended members.
    pub suspended: usize,
    /// Share of member pairs with w > 0; null when m < 2.
    pub density: Option<f64>,
    /// Mean signed weight over member pairs; null when m < 2.
    pub mean_tie: Option<f64>,
    /// The smallest weight over member pairs (the weakest link); null when m < 2.
    pub min_tie: Option<f64>,
    /// Average weighted clustering of G⁺[M]; null when m < 2.
    pub clustering: Option<f64>,
    /// Share of balanced signed triangles inside M; null when there is none.
    pub balance: Option<f64>,
    /// Krackhardt's E−I index on positive weights; null when E + I = 0.
    pub ei_index: Option<f64>,
    /// Algebraic connectivity of G⁺[M]; null when m < 2, 0 when disconnected.
    pub fiedler: Option<f64>,
    /// Member id → mean signed weight to the other members (null when m < 2), dataset order.
    pub alignment: OrderedMap<Option<f64>>,
}

/// The `metrics` object of a date: keys `graph` and `alliances` (alliance id → metrics, in
/// dataset order, alliances without a present member omitted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotMetrics {
    pub graph: GraphMetrics,
    pub alliances: OrderedMap<AllianceMetrics>,
}

/// One date of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    pub date: NaiveDate,
    pub metrics: SnapshotMetrics,
}

impl GraphMetrics {
    /// The numeric metrics as (key, value) in JSON key order (`blocs` left out; counts as
    /// floats).
    pub fn numeric(&self) -> [(&'static str, Option<f64>); 10] {
        [
            ("states", Some(self.states as f64)),
            ("ties", Some(self.ties as f64)),
            ("positive", Some(self.positive as f64)),
            ("negative", Some(self.negative as f64)),
            ("density", self.density),
            ("mean_tie", self.mean_tie),
            ("clustering", self.clustering),
            ("balance", self.balance),
            ("components", Some(self.components as f64)),
            ("modularity", self.modularity),
        ]
    }
}

impl AllianceMetrics {
    /// The numeric metrics as (key, value) in JSON key order (`alignment` left out; counts as
    /// floats).
    pub fn numeric(&self) -> [(&'static str, Option<f64>); 9] {
        [
            ("members", Some(self.members as f64)),
            ("suspended", Some(self.suspended as f64)),
            ("density", self.density),
            ("mean_tie", self.mean_tie),
            ("min_tie", self.min_tie),
            ("clustering", self.clustering),
            ("balance", self.balance),
            ("ei_index", self.ei_index),
            ("fiedler", self.fiedler),
        ]
    }
}

/// The whole-graph metrics of a snapshot. O(n³) (clustering, balance); Louvain is O(n²) per
/// pass.
pub fn graph_metrics(ds: &Dataset, snap: &Snapshot) -> GraphMetrics {
    let v = View::from(snap);
    let all: Vec<usize> = (0..snap.n()).collect();
    let counts = density::tie_counts(v, &all);
    let pairs = density::pair_stats(v, &all);
    let id = |k: usize| ds.states[snap.states[k]].id.clone();
    let blocs = louvain::louvain(v, &all);
    GraphMetrics {
        states: snap.n(),
        ties: counts.ties,
        positive: counts.positive,
        negative: counts.negative,
        density: pairs.density,
        mean_tie: pairs.mean_tie,
        clustering: clustering::average_clustering(v, &all),
        balance: balance::balance(v, &all),
        components: components::components(v, &all),
        modularity: blocs.as_ref().map(|b| b.modularity),
        blocs: blocs.map(|b| {
            b.blocs
                .iter()
                .map(|bloc| bloc.iter().map(|&k| id(k)).collect())
                .collect()
        }),
    }
}

/// The metrics of one alliance whose present members (local indices, ascending) are `members`,
/// `suspended` of them suspended.
pub fn alliance_metrics(
    ds: &Dataset,
    snap: &Snapshot,
    members: &[usize],
    suspended: usize,
) -> AllianceMetrics {
    let v = View::from(snap);
    let m = members.len();
    let pairs = density::pair_stats(v, members);
    let align = alignment::alignment(v, members);
    AllianceMetrics {
        members: m,
        suspended,
        density: pairs.density,
        mean_tie: pairs.mean_tie,
        min_tie: pairs.min_tie,
        clustering: if m < 2 {
            None
        } else {
            clustering::average_clustering(v, members)
        },
        balance: balance::balance(v, members),
        ei_index: ei_index::ei_index(v, members),
        fiedler: fiedler::fiedler(v, members),
        alignment: OrderedMap(
            members
                .iter()
                .zip(align)
                .map(|(&k, a)| (ds.states[snap.states[k]].id.clone(), a))
                .collect(),
        ),
    }
}

/// All metrics of a snapshot. `alliances`: dataset indices of the alliances to include (in
/// any order; output is in dataset order), `None` for all.
pub fn compute_filtered(
    ds: &Dataset,
    snap: &Snapshot,
    alliances: Option<&[usize]>,
) -> SnapshotMetrics {
    let graph = graph_metrics(ds, snap);
    let entries = snap
        .memberships
        .iter()
        .filter(|m| alliances.map_or(true, |f| f.contains(&m.alliance)))
        .map(|m| {
            (
                ds.alliances[m.alliance].id.clone(),
                alliance_metrics(ds, snap, &m.members(), m.suspended.len()),
            )
        })
        .collect();
    SnapshotMetrics {
        graph,
        alliances: OrderedMap(entries),
    }
}

/// All metrics of a snapshot (every alliance with a present member).
///
/// ```
/// let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
/// let t = entente::model::Timeline::new(&ds, "csto.json");
/// let snap = t.snapshot(entente::date::parse_date("2024-02-26").unwrap());
/// let m = entente::metrics::compute(&ds, &snap);
/// assert_eq!(m.graph.states, snap.n());
/// ```
pub fn compute(ds: &Dataset, snap: &Snapshot) -> SnapshotMetrics {
    compute_filtered(ds, snap, None)
}

/// The metrics at each of `dates` (any order; output in the same order), computed in parallel
/// with rayon. `alliances` filters as in [`compute_filtered`]. `progress` is called with the
/// number of dates done so far, from worker threads, after each date (for a progress bar).
/// The result does not depend on the number of threads.
pub fn series_with_progress(
    ds: &Dataset,
    timeline: &Timeline,
    dates: &[NaiveDate],
    alliances: Option<&[usize]>,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<SeriesPoint> {
    // One thread at a time advances the incremental sweep (it hands out the snapshots in date
    // order); the metrics of the snapshots are computed in parallel, then put back in order. A
    // snapshot equal to the one before it (same states, weights and memberships: common in
    // quiet years, where no tie decays) has the same metrics, so they are computed once and
    // copied, which gives the same output as computing them again.
    let done = AtomicUsize::new(0);
    let mut prev: Option<Arc<Snapshot>> = None;
    let mut points: Vec<(usize, NaiveDate, Option<SnapshotMetrics>)> = timeline
        .sweep(dates)
        .map(|snap| {
            let same = prev.as_ref().is_some_and(|p| {
                p.states == snap.states
                    && p.memberships == snap.memberships
                    && p.weights == snap.weights
            });
            let date = snap.date;
            if same {
                (date, None)
            } else {
                let snap = Arc::new(snap);
                prev = Some(Arc::clone(&snap));
                (date, Some(snap))
            }
        })
        .enumerate()
        .par_bridge()
        .map(|(k, (date, snap))| {
            let metrics = snap.map(|s| compute_filtered(ds, &s, alliances));
            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
            (k, date, metrics)
        })
        .collect();
    points.sort_unstable_by_key(|p| p.0);
    let mut out: Vec<SeriesPoint> = Vec::with_capacity(points.len());
    for (_, date, metrics) in points {
        let metrics = match metrics {
            Some(m) => m,
            // The first snapshot always has its own metrics, so a previous point exists.
            None => match out.last() {
                Some(p) => p.metrics.clone(),
                None => continue,
            },
        };
        out.push(SeriesPoint { date, metrics });
    }
    out
}

/// As [`series_with_progress`], without progress reports.
pub fn series(
    ds: &Dataset,
    timeline: &Timeline,
    dates: &[NaiveDate],
    alliances: Option<&[usize]>,
) -> Vec<SeriesPoint> {
    series_with_progress(ds, timeline, dates, alliances, &|_| {})
}

/// The metrics that are counts (integers), as opposed to ratios and weights: printed without
/// decimals by every text output.
pub const COUNT_KEYS: [&str; 7] = [
    "states",
    "ties",
    "positive",
    "negative",
    "components",
    "members",
    "suspended",
];

#[cfg(test)]
pub(crate) mod testutil {
    //! Small hand-built weight matrices for the metric unit tests.

    /// A symmetric `n × n` matrix with the given ties (i, j, w).
    pub fn matrix(n: usize, ties: &[(usize, usize, f64)]) -> Vec<f64> {
        let mut w = vec![0.0; n * n];
        for &(i, j, x) in ties {
            w[i * n + j] = x;
            w[j * n + i] = x;
        }
        w
    }

    /// A random symmetric `n × n` matrix for property tests: each pair is 0 with probability
    /// `zero / 4`, else uniform in [`low`, `low + 2`).
    pub fn random_matrix(n: usize, seed: u64, zero: u64, low: f64) -> Vec<f64> {
        let mut r = crate::generate::Rng::new(seed, 0);
        let mut w = vec![0.0; n * n];
        for i in 0..n {
            for j in (i + 1)..n {
                let x = if r.below(4) < zero {
                    0.0
                } else {
                    r.unit() * 2.0 + low
                };
                w[i * n + j] = x;
                w[j * n + i] = x;
            }
        }
        w
    }

    /// Two triangles {0,1,2} and {3,4,5} with ties 0.5, joined by the bridge 2–3 at 0.5.
    pub fn two_cliques() -> Vec<f64> {
        matrix(
            6,
            &[
                (0, 1, 0.5),
                (0, 2, 0.5),
                (1, 2, 0.5),
                (3, 4, 0.5),
                (3, 5, 0.5),
                (4, 5, 0.5),
                (2, 3, 0.5),
            ],
        )
    }

    /// Asserts |a − b| ≤ 1e-12.
    #[track_caller]
    pub fn approx(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-12, "{a} != {b}");
    }
}
