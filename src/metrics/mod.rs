//! Cohesion metrics of a snapshot: the whole graph's (`graph`) and each alliance's
//! (`alliances.ID`), exactly as docs/metrics.md defines them, so that values can be checked
//! against other tools one by one.
//!
//! Notation used by every metric file: at a date, N = the present states, w_ij the tie weight
//! (0 where no tie), G⁺ = the graph on N with the ties w > 0 (weighted by w). For an alliance,
//! M = its present members (active and suspended), m = |M|. "Pairs" are unordered pairs of
//! distinct states.
//!
//! Each metric lives in its own file as a plain function of a [`View`] (the dense weight matrix
//! of a snapshot) and a member list (local indices, ascending): [`presence`], [`density`],
//! [`clustering`], [`balance`], [`components`], [`louvain`] (with [`blocs`]), [`ei_index`], [`fiedler`],
//! [`alignment`]; each file also gives the `fn(&Cx) -> Value` its [`catalogue`] entries call.
//! The catalogue declares every metric once; [`compute`] (or [`compute_selected`] for a subset)
//! runs its entries into a [`SnapshotMetrics`] keyed by dataset indices; [`series`] does so for
//! many dates in parallel. [`diff`] compares two dates. Ids are written by
//! [`crate::format::metrics`]. Nothing here does IO.

pub mod alignment;
pub mod balance;
pub mod bloc_dynamics;
pub mod blocs;
pub mod catalogue;
pub mod clustering;
pub mod components;
pub mod density;
pub mod diff;
pub mod ei_index;
pub mod fiedler;
pub mod frustration;
pub mod hollowness;
pub mod louvain;
pub mod presence;
#[cfg(test)]
mod proptests;
pub mod reliability;
pub mod signed_modularity;
pub mod similarity;
pub mod triads;
mod tridiagonal;

pub use catalogue::{Metric, Scope, Selection, CATALOGUE};

use crate::dataset::Dataset;
use crate::model::{Membership, Snapshot, Timeline};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

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

/// A metric's value inside the engine. States are dataset indices (ids are written by the
/// output formats, see [`crate::format::metrics`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A count ([`Kind::Count`](catalogue::Kind::Count)).
    Count(usize),
    /// A number, or null when undefined.
    Number(Option<f64>),
    /// Groups of states (dataset indices, each group ascending), or null.
    Groups(Option<Vec<Vec<usize>>>),
    /// One number (or null) per member state: (dataset index, value), in dataset order.
    PerState(Vec<(usize, Option<f64>)>),
    /// True or false ([`Kind::Flag`](catalogue::Kind::Flag)).
    Flag(bool),
}

impl Value {
    /// The value as a number: counts as floats; `None` for null, groups and per-state values.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(*n as f64),
            Value::Number(v) => *v,
            Value::Groups(_) | Value::PerState(_) | Value::Flag(_) => None,
        }
    }
}

/// One number (or null) per state: (dataset index, value), in dataset order.
pub type StateValues = [(usize, Option<f64>)];

/// The computed metrics of one scope entry (the whole graph, or one alliance with its members'
/// values), in catalogue order, each with its catalogue entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Values(Vec<(usize, Value)>);

/// The whole graph's metrics at a date (the `graph` object).
pub type GraphMetrics = Values;
/// One alliance's metrics at a date, its members' values included.
pub type AllianceMetrics = Values;

impl Values {
    /// Every value with its metric, in catalogue (output) order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static Metric, &Value)> {
        self.0.iter().map(|(i, v)| (&CATALOGUE[*i], v))
    }

    /// The metrics with one number per entry (counts and numbers) as (metric, value), in
    /// output order.
    pub fn numeric(&self) -> impl Iterator<Item = (&'static Metric, Option<f64>)> + '_ {
        self.entries()
            .filter(|(m, _)| m.is_numeric())
            .map(|(m, v)| (m, v.number()))
    }

    /// The metrics with one value per member state, in output order.
    pub fn per_state_entries(&self) -> impl Iterator<Item = (&'static Metric, &StateValues)> + '_ {
        self.entries().filter_map(|(m, v)| match v {
            Value::PerState(p) => Some((m, p.as_slice())),
            _ => None,
        })
    }

    /// The value of the metric with this key, if computed.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries().find(|(m, _)| m.key == key).map(|(_, v)| v)
    }

    /// The number (or count) of the metric with this key; `None` when null or not computed.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Value::number)
    }

    /// The count with this key, if computed.
    pub fn count(&self, key: &str) -> Option<usize> {
        match self.get(key) {
            Some(Value::Count(n)) => Some(*n),
            _ => None,
        }
    }

    /// The groups with this key (dataset state indices); `None` when null or not computed.
    pub fn groups(&self, key: &str) -> Option<&[Vec<usize>]> {
        match self.get(key) {
            Some(Value::Groups(g)) => g.as_deref(),
            _ => None,
        }
    }

    /// The groups with this key as state ids (for charts and outputs).
    pub fn group_ids(&self, ds: &Dataset, key: &str) -> Option<Vec<Vec<String>>> {
        self.groups(key).map(|g| {
            g.iter()
                .map(|b| b.iter().map(|&s| ds.states[s].id.clone()).collect())
                .collect()
        })
    }

    /// The per-state values with this key, if computed.
    pub fn per_state(&self, key: &str) -> Option<&StateValues> {
        match self.get(key) {
            Some(Value::PerState(p)) => Some(p),
            _ => None,
        }
    }
}

/// The metrics of a date: the whole graph's, and each alliance's with a present member
/// (dataset index, ascending).
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotMetrics {
    /// The graph's metrics.
    pub graph: GraphMetrics,
    /// Each computed alliance's dataset index and metrics.
    pub alliances: Vec<(usize, AllianceMetrics)>,
}

impl SnapshotMetrics {
    /// The metrics of the alliance with this dataset index, if it has a present member.
    pub fn alliance(&self, alliance: usize) -> Option<&AllianceMetrics> {
        self.alliances
            .iter()
            .find(|(a, _)| *a == alliance)
            .map(|(_, m)| m)
    }
}

/// One date of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    /// The date.
    pub date: NaiveDate,
    /// The metrics at that date.
    pub metrics: SnapshotMetrics,
}

/// What a metric's compute function sees: the snapshot, its weight matrix, the member set of
/// the scope entry (every present state for the graph), and intermediate results shared
/// between metrics. One `Cx` per scope entry and snapshot; not shared between threads.
pub struct Cx<'a> {
    /// The snapshot.
    pub snap: &'a Snapshot,
    /// Its weight matrix.
    pub view: View<'a>,
    /// Local indices of the states in scope, ascending.
    pub members: Vec<usize>,
    /// The alliance's membership (`None` for the whole graph).
    pub membership: Option<&'a Membership>,
    /// The whole graph's context, for alliance metrics that need a graph-wide result.
    pub graph: Option<&'a Cx<'a>>,
    shared: RefCell<Vec<(&'static str, Rc<dyn Any>)>>,
}

impl<'a> Cx<'a> {
    /// The context of the whole graph of `snap`.
    pub fn graph(snap: &'a Snapshot) -> Cx<'a> {
        Cx {
            snap,
            view: View::from(snap),
            members: (0..snap.n()).collect(),
            membership: None,
            graph: None,
            shared: RefCell::new(Vec::new()),
        }
    }

    /// The context of one alliance of `graph`'s snapshot.
    pub fn alliance(graph: &'a Cx<'a>, membership: &'a Membership) -> Cx<'a> {
        Cx {
            snap: graph.snap,
            view: graph.view,
            members: membership.members(),
            membership: Some(membership),
            graph: Some(graph),
            shared: RefCell::new(Vec::new()),
        }
    }

    /// The intermediate result named `name`, computed by `make` the first time it is asked
    /// for in this context (so metrics that share a computation run it once).
    pub fn shared<T: 'static>(&self, name: &'static str, make: impl FnOnce() -> T) -> Rc<T> {
        let found = self
            .shared
            .borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| Rc::clone(v));
        if let Some(v) = found.and_then(|v| v.downcast::<T>().ok()) {
            return v;
        }
        let v = Rc::new(make());
        self.shared
            .borrow_mut()
            .push((name, Rc::clone(&v) as Rc<dyn Any>));
        v
    }

    /// Dataset index of the local state `k`.
    pub fn state(&self, k: usize) -> usize {
        self.snap.states[k]
    }

    /// The selected metrics of `scopes`, in catalogue order.
    fn values(&self, scopes: &[Scope], selection: &Selection) -> Values {
        Values(
            CATALOGUE
                .iter()
                .enumerate()
                .filter(|(i, m)| scopes.contains(&m.scope) && selection.contains(*i))
                .map(|(i, m)| (i, (m.compute)(self)))
                .collect(),
        )
    }
}

/// The whole-graph metrics of a snapshot. O(n³) (clustering, balance); Louvain is O(n²) per
/// pass.
pub fn graph_metrics(snap: &Snapshot) -> GraphMetrics {
    Cx::graph(snap).values(&[Scope::Graph], &Selection::all())
}

/// The metrics of one alliance of a snapshot (its members' values included).
pub fn alliance_metrics(snap: &Snapshot, membership: &Membership) -> AllianceMetrics {
    let g = Cx::graph(snap);
    Cx::alliance(&g, membership).values(&[Scope::Alliance, Scope::State], &Selection::all())
}

/// The selected metrics of a snapshot. `alliances`: dataset indices of the alliances to
/// include (in any order; output is in dataset order), `None` for all. Only the selected
/// metrics (and what they need) are computed.
pub fn compute_selected(
    snap: &Snapshot,
    alliances: Option<&[usize]>,
    selection: &Selection,
) -> SnapshotMetrics {
    let g = Cx::graph(snap);
    let graph = g.values(&[Scope::Graph], selection);
    let alliances = if selection.any_of(Scope::Alliance) || selection.any_of(Scope::State) {
        snap.memberships
            .iter()
            .filter(|m| alliances.map_or(true, |f| f.contains(&m.alliance)))
            .map(|m| {
                let cx = Cx::alliance(&g, m);
                (
                    m.alliance,
                    cx.values(&[Scope::Alliance, Scope::State], selection),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    SnapshotMetrics { graph, alliances }
}

/// All metrics of a snapshot, for the alliances in `alliances` (dataset indices; `None` for
/// all).
pub fn compute_filtered(
    _ds: &Dataset,
    snap: &Snapshot,
    alliances: Option<&[usize]>,
) -> SnapshotMetrics {
    compute_selected(snap, alliances, &Selection::all())
}

/// All metrics of a snapshot (every alliance with a present member).
///
/// ```
/// let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
/// let t = entente::model::Timeline::new(&ds, "csto.json");
/// let snap = t.snapshot(entente::date::parse_date("2024-02-26").unwrap());
/// let m = entente::metrics::compute(&ds, &snap);
/// assert_eq!(m.graph.count("states"), Some(snap.n()));
/// ```
pub fn compute(ds: &Dataset, snap: &Snapshot) -> SnapshotMetrics {
    compute_filtered(ds, snap, None)
}

/// The standard metrics ([`Selection::standard`]: all but the signed-network ones, which a
/// series computes only when asked through [`series_selected`]) at each of `dates` (any order;
/// output in the same order), computed in parallel
/// with rayon. `alliances` filters as in [`compute_filtered`]. `progress` is called with the
/// number of dates done so far, from worker threads, after each date (for a progress bar).
/// The result does not depend on the number of threads. (The dataset is not needed: results
/// hold dataset indices; the parameter stays for existing callers.)
pub fn series_with_progress(
    _ds: &Dataset,
    timeline: &Timeline,
    dates: &[NaiveDate],
    alliances: Option<&[usize]>,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<SeriesPoint> {
    series_selected(timeline, dates, alliances, &Selection::standard(), progress)
}

/// As [`series_with_progress`], computing only the metrics of `selection` (and what they
/// need): a series without Louvain, say, skips its cost.
pub fn series_selected(
    timeline: &Timeline,
    dates: &[NaiveDate],
    alliances: Option<&[usize]>,
    selection: &Selection,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<SeriesPoint> {
    // One thread at a time advances the incremental sweep (it hands out the snapshots in date
    // order); the metrics of the snapshots are computed in parallel, then put back in order. A
    // snapshot equal to the one before it (same states, weights and memberships: common in
    // quiet years, where no tie decays) has the same metrics, so they are computed once and
    // copied, which gives the same output as computing them again.
    let done = AtomicUsize::new(0);
    let mut points: Vec<(usize, NaiveDate, Option<SnapshotMetrics>)> =
        distinct(timeline.sweep(dates))
            .enumerate()
            .par_bridge()
            .map(|(k, (date, snap))| {
                let metrics = snap.map(|s| compute_selected(&s, alliances, selection));
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

/// The snapshots of a sweep, each with its date, `None` in place of a snapshot equal to the one
/// before it (same states, weights, memberships and answered calls: same metrics).
fn distinct(
    sweep: impl Iterator<Item = Snapshot>,
) -> impl Iterator<Item = (NaiveDate, Option<Arc<Snapshot>>)> {
    let mut prev: Option<Arc<Snapshot>> = None;
    sweep.map(move |snap| {
        let same = prev.as_ref().is_some_and(|p| {
            p.states == snap.states
                && p.memberships == snap.memberships
                && p.weights == snap.weights
                && p.calls.answered_by(p.date) == snap.calls.answered_by(snap.date)
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
}

/// As [`series_selected`], but the points are handed to `consume`, in date order, while the
/// later dates are still being computed, instead of being kept until the whole series is done:
/// the memory of a long series is that of the dates in flight (about one per thread, more while
/// one date takes much longer than those after it), not of every date. The points are those
/// [`series_selected`] returns. When `consume` returns before the last point (a write error,
/// say), the dates not yet started are skipped.
///
/// For a command's top level: the computation runs on a thread of its own that waits for
/// rayon's pool, so calling this from inside a rayon task could leave that pool without a free
/// thread.
pub fn series_streamed<R>(
    timeline: &Timeline,
    dates: &[NaiveDate],
    alliances: Option<&[usize]>,
    selection: &Selection,
    progress: &(dyn Fn(usize) + Sync),
    consume: impl FnOnce(&mut dyn Iterator<Item = SeriesPoint>) -> R,
) -> R {
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            let done = AtomicUsize::new(0);
            distinct(timeline.sweep(dates))
                .take_while(|_| !stop.load(Ordering::Relaxed))
                .enumerate()
                .par_bridge()
                .for_each_with(tx, |tx, (k, (date, snap))| {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let metrics = snap.map(|s| compute_selected(&s, alliances, selection));
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    // The receiver is gone only once `consume` has returned.
                    let _ = tx.send((k, date, metrics));
                });
        });
        let mut points = InOrder {
            rx,
            waiting: BTreeMap::new(),
            next: 0,
            total: dates.len(),
            last: None,
        };
        let out = consume(&mut points);
        stop.store(true, Ordering::Relaxed);
        drop(points);
        out
    })
}

/// The points of [`series_streamed`] put back in date order as they arrive from the workers.
struct InOrder {
    rx: mpsc::Receiver<(usize, NaiveDate, Option<SnapshotMetrics>)>,
    /// Points that arrived before the one due next, by index.
    waiting: BTreeMap<usize, (NaiveDate, Option<SnapshotMetrics>)>,
    /// The index of the point due next.
    next: usize,
    /// The number of points the series has.
    total: usize,
    /// The metrics of the last point handed out (copied for a snapshot equal to its own).
    last: Option<SnapshotMetrics>,
}

impl Iterator for InOrder {
    type Item = SeriesPoint;

    fn next(&mut self) -> Option<SeriesPoint> {
        loop {
            if let Some((date, metrics)) = self.waiting.remove(&self.next) {
                self.next += 1;
                let metrics = match metrics {
                    Some(m) => m,
                    // The first snapshot always has its own metrics, so a previous point exists.
                    None => match &self.last {
                        Some(m) => m.clone(),
                        None => continue,
                    },
                };
                self.last = Some(metrics.clone());
                return Some(SeriesPoint { date, metrics });
            }
            let Ok((k, date, metrics)) = self.rx.recv() else {
                // Every sender is gone. Before the last point, a worker panicked: fail here too,
                // while the output is still being written, rather than end a series short (the
                // panic itself is passed on when the scope ends).
                assert!(
                    self.next >= self.total,
                    "the series stopped at date {} of {}",
                    self.next,
                    self.total
                );
                return None;
            };
            self.waiting.insert(k, (date, metrics));
        }
    }
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
        let mut r = crate::base::Rng::new(seed, 0);
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
