//! How sure are we: the metrics of a dataset under uncertain modelling choices (docs/robust.md).
//!
//! [`rules`] reads and checks uncertainty rules; [`Engine`] draws datasets from them (draw `k`
//! uses its own generator stream `k`, so results do not depend on threads), runs the selected
//! metrics on each, and summarises every date × scope × metric cell with its nominal value,
//! mean and quantiles ([`quantiles`]); [`claims`] states findings checked in every draw;
//! [`sensitivity`] moves one rule at a time to its ends.
//!
//! Parsing, validation, the ordering of the events and the list of series dates are done once:
//! the nominal timeline is built with its [`Trace`], and a draw sets its values in a copy of it
//! ([`Engine::variant_timeline`]), then computes the series as a plain `metrics` run would. The
//! same draws written into a copy of the dataset ([`Engine::variant`]) give the same timeline, so
//! a draw written out with [`Engine::draw_files`] gives the same values under `entente metrics`.

pub mod claims;
pub mod csv;
pub mod declared;
pub mod quantiles;
pub mod rules;
pub mod sensitivity;

use crate::base::Rng;
use crate::dataset::{ties_csv, write, Dataset, EventKind, DEFAULT_GOLDSTEIN_SCALE};
use crate::error::{Error, Result};
use crate::metrics::{self, Metric, Scope, SeriesPoint, CATALOGUE};
use crate::model::{Slot, TieEvent, Timeline, Trace};
use chrono::NaiveDate;
use claims::{Claim, Subject, Test};
use rayon::prelude::*;
use rules::{Param, Per, Resolved, Target};

/// Where a value sits: the whole graph, an alliance, or a member of an alliance (dataset
/// indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum At {
    /// The whole graph.
    Graph,
    /// An alliance (dataset index).
    Alliance(usize),
    /// A member state (dataset index) of an alliance (dataset index).
    Member(usize, usize),
}

/// The key of one cell of a series: date (index into the series dates), scope and metric.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    /// Index into the series dates.
    pub date: usize,
    /// The scope.
    pub at: At,
    /// The metric.
    pub metric: &'static Metric,
}

/// A series flattened to cells, in the order of `entente metrics --format csv`, followed by
/// the ties of the state pairs that claims read.
#[derive(Debug, Clone)]
pub struct Flat {
    /// The key of each metric value (the first `cells.len()` values).
    pub cells: Vec<Cell>,
    /// The key of each pair value (the values after the metric values): index into the
    /// series dates and the two states (dataset indices).
    pub pairs: Vec<(usize, usize, usize)>,
    /// The values (`None`: undefined).
    pub values: Vec<Option<f64>>,
}

impl Flat {
    /// The values with NaN for an undefined one, the form the claim checks compare.
    pub fn values_or_nan(&self) -> Vec<f64> {
        self.values.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
    }
}

/// The inputs of a robustness run.
pub struct Engine<'a> {
    /// The dataset as loaded.
    pub ds: &'a Dataset,
    /// The dataset's name in messages.
    pub file: &'a str,
    /// Tie CSV labels (as given) and their rows.
    pub tie_files: &'a [String],
    /// The rows of each tie CSV, in the order of `tie_files`.
    pub rows: &'a [Vec<TieEvent>],
    /// The checked rules, in order.
    pub rules: Vec<Resolved>,
    /// The series dates (the same for every draw).
    pub dates: Vec<NaiveDate>,
    /// Alliances to compute (`None`: all).
    pub alliances: Option<Vec<usize>>,
    /// Metrics to compute (with what they need).
    pub selection: metrics::Selection,
    /// The seed of the draws.
    pub seed: u64,
    /// State pairs whose tie claims read ([`Engine::watch`]).
    pub pairs: Vec<(usize, usize)>,
    /// The series dates (indices, ascending) at which they are read.
    pub pair_dates: Vec<usize>,
}

/// The most values `robust` and `report` keep over their draws (draws × the cells shown or
/// charted), about 2 GB of `f64`: every draw's value of every cell is kept for the exact
/// quantiles. 2,000 draws of the
/// CSTO series' 110,881 cells (222 M values) peaked at 1.78 GB (docs/testing.md).
pub const MAX_DRAW_VALUES: u64 = 250_000_000;

/// Refuses `draws` draws of `cells` cells each when they would keep more than
/// [`MAX_DRAW_VALUES`] values, saying how many draws the series allows.
///
/// ```
/// use entente::robust::check_draws;
/// assert!(check_draws(200, 110_881).is_ok());
/// let e = check_draws(100_000_000, 110_881).unwrap_err().to_string();
/// assert!(e.contains("at most 2254 draws"), "{e}");
/// ```
pub fn check_draws(draws: usize, cells: usize) -> Result<()> {
    let values = (draws as u64).saturating_mul(cells as u64);
    if values <= MAX_DRAW_VALUES {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "--draws {draws}: {draws} draws of the {cells} cells shown would keep {values} values, \
         above the limit of {MAX_DRAW_VALUES} (about 2 GB of memory). Use at most {} draws for \
         this series, or fewer cells (--metric, --alliance, --from, --to, --step); see \
         docs/testing.md, \"Dense-dataset limits\"",
        MAX_DRAW_VALUES / (cells.max(1) as u64)
    )))
}

/// Which variant of the dataset to build.
#[derive(Debug, Clone, Copy)]
pub enum Variant {
    /// The plain run: no rule applied.
    Nominal,
    /// Random draw number `k` (1-based, as in `draw-0001.json`).
    Draw(usize),
    /// Rule `rule` at its low (`false`) or high (`true`) end, every other rule nominal.
    End {
        /// Index of the rule in [`Engine::rules`].
        rule: usize,
        /// The high end (else the low end).
        high: bool,
    },
}

impl Engine<'_> {
    /// The dataset and tie rows of a variant.
    pub fn variant(&self, v: Variant) -> (Dataset, Vec<Vec<TieEvent>>) {
        let mut sink = DatasetSink {
            ds: self.ds.clone(),
            rows: self.rows.to_vec(),
        };
        self.drive(v, &mut sink);
        (sink.ds, sink.rows)
    }

    /// The timeline of a variant, from the nominal timeline `base` and its trace: the drawn
    /// values set in place, nothing sorted, checked or copied from the dataset again. Equal to
    /// the timeline of [`Engine::variant`]'s dataset.
    pub fn variant_timeline(&self, v: Variant, base: &Timeline, trace: &Trace) -> Timeline {
        let mut offsets = Vec::with_capacity(self.rows.len());
        let mut n = 0;
        for r in self.rows {
            offsets.push(n);
            n += r.len();
        }
        let mut sink = TimelineSink {
            tl: base.clone(),
            trace,
            ds: self.ds,
            offsets,
            goldstein_scale: self.ds.goldstein_scale.unwrap_or(DEFAULT_GOLDSTEIN_SCALE),
        };
        self.drive(v, &mut sink);
        sink.tl
    }

    /// Draws the values of variant `v` and hands each to `sink`: every rule in the order it
    /// applies takes one number `u` (per rule) or one per target (per event), from draw k's own
    /// generator stream (or `u` = 0 or 1 for a rule's ends). The one place the draws are made,
    /// whatever receives them.
    fn drive(&self, v: Variant, sink: &mut dyn Sink) {
        let mut rng = match v {
            Variant::Draw(k) => Some(Rng::new(self.seed, k as u64)),
            _ => None,
        };
        for (i, r) in self.application_order() {
            let fixed = match v {
                Variant::Nominal => continue,
                Variant::Draw(_) => None,
                Variant::End { rule, high } => {
                    if rule != i {
                        continue;
                    }
                    Some(if high { 1.0 } else { 0.0 })
                }
            };
            let next = |rng: &mut Option<Rng>| {
                fixed.unwrap_or_else(|| rng.as_mut().map_or(0.0, Rng::unit))
            };
            let shared = if r.rule.per == Per::Rule {
                Some(next(&mut rng))
            } else {
                None
            };
            for t in &r.targets {
                match *t {
                    Target::Event(e) => {
                        let u = shared.unwrap_or_else(|| next(&mut rng));
                        sink.event(e, r, u);
                    }
                    Target::BaseTie(a) => {
                        let u = shared.unwrap_or_else(|| next(&mut rng));
                        sink.base_tie(a, r, u);
                    }
                    Target::GoldsteinScale(ref derived) => {
                        let u = shared.unwrap_or_else(|| next(&mut rng));
                        sink.goldstein_scale(derived, r, u);
                    }
                    Target::Rows { file, state } => {
                        let Some(rs) = self.rows.get(file) else {
                            continue;
                        };
                        // Drawn values never change a row's pair: the nominal rows say which.
                        for (k, row) in rs.iter().enumerate() {
                            if state.map_or(true, |s| row.a as usize == s || row.b as usize == s) {
                                let u = shared.unwrap_or_else(|| next(&mut rng));
                                sink.row(file, k, r, u);
                            }
                        }
                    }
                }
            }
        }
    }

    /// The rules with their index, in the order a variant applies them: `goldstein_scale`
    /// rules first (they set the deltas other rules may then scale), then the others as given.
    fn application_order(&self) -> impl Iterator<Item = (usize, &Resolved)> {
        let global = |r: &Resolved| r.rule.param == Param::GoldsteinScale;
        let all = || self.rules.iter().enumerate();
        all()
            .filter(move |(_, r)| global(r))
            .chain(all().filter(move |(_, r)| !global(r)))
    }

    /// The series of a variant's dataset: the same timeline and metrics as `entente metrics`.
    pub fn series(&self, ds: &Dataset, rows: &[Vec<TieEvent>]) -> Vec<SeriesPoint> {
        self.series_of(&self.timeline(ds, rows))
    }

    fn series_of(&self, tl: &Timeline) -> Vec<SeriesPoint> {
        metrics::series_selected(
            tl,
            &self.dates,
            self.alliances.as_deref(),
            &self.selection,
            &|_| {},
        )
    }

    /// Reads the ties of the pairs that `claims` name, at the dates of their windows.
    pub fn watch(&mut self, claims: &[Claim]) {
        for c in claims {
            if let Subject::Tie(a, b) = c.subject {
                let p = (a.min(b), a.max(b));
                if !self.pairs.contains(&p) {
                    self.pairs.push(p);
                }
                self.pair_dates.extend(window(c, &self.dates));
            }
        }
        self.pair_dates.sort_unstable();
        self.pair_dates.dedup();
    }

    /// The ties of the watched pairs in a variant's timeline, date by date (NaN while either
    /// state is absent).
    fn pair_values(&self, tl: &Timeline, out: &mut Vec<f64>) {
        if self.pairs.is_empty() {
            return;
        }
        let dates: Vec<NaiveDate> = self.pair_dates.iter().map(|&d| self.dates[d]).collect();
        for snap in tl.sweep(&dates) {
            for &(a, b) in &self.pairs {
                out.push(match (snap.local(a), snap.local(b)) {
                    (Some(i), Some(j)) => snap.w(i, j),
                    _ => f64::NAN,
                });
            }
        }
    }

    /// The timeline of a variant's dataset, as `entente metrics` builds it.
    pub fn timeline(&self, ds: &Dataset, rows: &[Vec<TieEvent>]) -> Timeline {
        let extra: Vec<TieEvent> = rows.iter().flatten().copied().collect();
        Timeline::with_ties(ds, self.file, extra, &self.tie_files.join(", "))
    }

    /// The flattened series of a variant, with the watched pairs' ties.
    pub fn flat(&self, v: Variant) -> Flat {
        let (ds, rows) = self.variant(v);
        let tl = self.timeline(&ds, &rows);
        let mut flat = flatten(&self.series_of(&tl));
        let mut ties = Vec::new();
        self.pair_values(&tl, &mut ties);
        flat.values
            .extend(ties.into_iter().map(|x| Some(x).filter(|x| x.is_finite())));
        for &d in &self.pair_dates {
            for &(a, b) in &self.pairs {
                flat.pairs.push((d, a, b));
            }
        }
        flat
    }

    /// The values of a variant's dataset and tie rows, laid out as [`Engine::flat`] lays out
    /// the nominal run's (the series' cells, then the watched pairs' ties).
    pub fn values_of(&self, ds: &Dataset, rows: &[Vec<TieEvent>]) -> Vec<f64> {
        let tl = self.timeline(ds, rows);
        let mut values = Vec::new();
        flat_values(&self.series_of(&tl), &mut values);
        self.pair_values(&tl, &mut values);
        values
    }

    /// Runs draws `1..=n` in parallel; each gives its values aligned with `nominal`'s cells
    /// (NaN where undefined), and `each` maps them to what the caller keeps (in draw order).
    /// The layout of a draw's series is the nominal one: dates, presence and memberships do not
    /// change between draws, and the metrics are the same; a draw of another length is a bug.
    pub fn draws<T: Send>(
        &self,
        n: usize,
        nominal: &Flat,
        each: &(dyn Fn(&[f64]) -> T + Sync),
    ) -> Result<Vec<T>> {
        // The nominal timeline is built and traced once; each draw sets its values in a copy.
        let extra: Vec<TieEvent> = self.rows.iter().flatten().copied().collect();
        let (base, trace) =
            Timeline::with_ties_traced(self.ds, self.file, extra, &self.tie_files.join(", "));
        (1..=n)
            .into_par_iter()
            .map(|k| {
                let tl = match &trace {
                    Some(trace) => self.variant_timeline(Variant::Draw(k), &base, trace),
                    None => {
                        let (ds, rows) = self.variant(Variant::Draw(k));
                        self.timeline(&ds, &rows)
                    }
                };
                let mut values = Vec::with_capacity(nominal.values.len());
                flat_values(&self.series_of(&tl), &mut values);
                self.pair_values(&tl, &mut values);
                if values.len() != nominal.values.len() {
                    return Err(Error::Internal(format!(
                        "draw {k} has a different series layout from the nominal run"
                    )));
                }
                Ok(each(&values))
            })
            .collect()
    }

    /// The files of draw `k`: `draw-NNNN.json` and, for each tie CSV whose rows a rule varies,
    /// `draw-NNNN-STEM.csv`. Names are relative.
    pub fn draw_files(&self, k: usize) -> Vec<(String, Vec<u8>)> {
        let (ds, rows) = self.variant(Variant::Draw(k));
        let mut out = vec![(
            format!("draw-{k:04}.json"),
            write::to_json_string(&ds).into_bytes(),
        )];
        for (f, label) in self.tie_files.iter().enumerate() {
            let varied = self.rules.iter().any(|r| {
                r.targets
                    .iter()
                    .any(|t| matches!(t, Target::Rows { file, .. } if *file == f))
            });
            if varied {
                let stem = std::path::Path::new(label)
                    .file_stem()
                    .map_or_else(|| format!("ties{f}"), |s| s.to_string_lossy().into_owned());
                let mut bytes = Vec::new();
                let rs = rows.get(f).map_or(&[][..], Vec::as_slice);
                // Writing to a Vec cannot fail.
                let _ = ties_csv::write_ties(&ds, rs, &mut bytes);
                out.push((format!("draw-{k:04}-{stem}.csv"), bytes));
            }
        }
        out
    }
}

/// What receives a variant's drawn values: a copy of the dataset (to write it out, or as the
/// reference) or a copy of the nominal timeline (the fast path of the draws).
trait Sink {
    /// Dataset event `e` under rule `r` at draw `u`.
    fn event(&mut self, e: usize, r: &Resolved, u: f64);
    /// Alliance `a`'s base tie.
    fn base_tie(&mut self, a: usize, r: &Resolved, u: f64);
    /// The dataset's `goldstein_scale` and the deltas derived from it (`derived`).
    fn goldstein_scale(&mut self, derived: &[usize], r: &Resolved, u: f64);
    /// Row `k` of tie file `file`.
    fn row(&mut self, file: usize, k: usize, r: &Resolved, u: f64);
}

/// The drawn values written into a dataset and its tie rows.
struct DatasetSink {
    ds: Dataset,
    rows: Vec<Vec<TieEvent>>,
}

impl Sink for DatasetSink {
    fn event(&mut self, e: usize, r: &Resolved, u: f64) {
        set_event(&mut self.ds, e, r, u);
    }

    fn base_tie(&mut self, a: usize, r: &Resolved, u: f64) {
        if let Some(x) = self.ds.alliances.get_mut(a) {
            x.tie = r.apply(x.tie, u);
        }
    }

    fn goldstein_scale(&mut self, derived: &[usize], r: &Resolved, u: f64) {
        let g = r.apply(
            self.ds.goldstein_scale.unwrap_or(DEFAULT_GOLDSTEIN_SCALE),
            u,
        );
        set_goldstein_scale(&mut self.ds, derived, g);
    }

    fn row(&mut self, file: usize, k: usize, r: &Resolved, u: f64) {
        if let Some(row) = self.rows.get_mut(file).and_then(|rs| rs.get_mut(k)) {
            *row = set_row(row, r, u);
        }
    }
}

/// The drawn values written into a copy of the nominal timeline, through its trace. Every
/// value is computed by the same expression as in [`DatasetSink`] (`set_row` is what
/// `set_event` does to a tie event), so both give the same timeline.
struct TimelineSink<'a> {
    tl: Timeline,
    trace: &'a Trace,
    /// The nominal dataset: event kinds and CAMEO codes.
    ds: &'a Dataset,
    /// Index of each tie file's first row among all rows.
    offsets: Vec<usize>,
    /// The `goldstein_scale` drawn so far.
    goldstein_scale: f64,
}

impl TimelineSink<'_> {
    fn tie(&mut self, k: usize, r: &Resolved, u: f64) {
        if let Some(t) = self.tl.tie_event(k) {
            let drawn = set_row(t, r, u);
            self.tl.set_tie_values(k, &drawn);
        }
    }
}

impl Sink for TimelineSink<'_> {
    fn event(&mut self, e: usize, r: &Resolved, u: f64) {
        let kind = self.ds.events.get(e).map(|ev| &ev.kind);
        match (self.trace.event(e), kind, r.rule.param) {
            (Slot::Tie(k), Some(EventKind::TieDelta(_)), _) => self.tie(k, r, u),
            (Slot::Change(k), Some(EventKind::Suspend { .. }), Param::Factor)
            | (Slot::Change(k), Some(EventKind::Retie { .. }), Param::Tie) => {
                if let Some(v) = self.tl.change_value(k) {
                    self.tl.set_change_value(k, r.apply(v, u));
                }
            }
            _ => {}
        }
    }

    fn base_tie(&mut self, a: usize, r: &Resolved, u: f64) {
        if let Some(v) = self.tl.base_tie(a) {
            self.tl.set_base_tie(a, r.apply(v, u));
        }
    }

    fn goldstein_scale(&mut self, derived: &[usize], r: &Resolved, u: f64) {
        let g = r.apply(self.goldstein_scale, u);
        self.goldstein_scale = g;
        // goldstein_scale rules apply first, so every event of `derived` still takes its
        // delta from its code here (as `set_goldstein_scale` finds).
        for &e in derived {
            let code = match self.ds.events.get(e).map(|ev| &ev.kind) {
                Some(EventKind::TieDelta(t)) if t.delta_from_cameo => t.cameo,
                _ => None,
            };
            if let (Slot::Tie(k), Some(code)) = (self.trace.event(e), code) {
                if let Some(t) = self.tl.tie_event(k) {
                    let drawn =
                        TieEvent::new(t.day, t.a, t.b, code.delta(g), t.half_life(), t.duration());
                    self.tl.set_tie_values(k, &drawn);
                }
            }
        }
    }

    fn row(&mut self, file: usize, k: usize, r: &Resolved, u: f64) {
        let Some(base) = self.offsets.get(file) else {
            return;
        };
        if let Some(slot) = self.trace.row(base + k) {
            self.tie(slot, r, u);
        }
    }
}

fn set_event(ds: &mut Dataset, e: usize, r: &Resolved, u: f64) {
    let Some(ev) = ds.events.get_mut(e) else {
        return;
    };
    let (lo, hi) = (r.rule.lo, r.rule.hi);
    let unset = |v: Option<f64>| match (v, r.rule.mode) {
        (Some(x), _) => Some(r.apply(x, u)),
        (None, rules::Mode::Range) => Some(r.apply((lo + hi) / 2.0, u)),
        (None, rules::Mode::Scale) => None,
    };
    match (&mut ev.kind, r.rule.param) {
        (EventKind::TieDelta(t), Param::Delta) => {
            t.delta = r.apply(t.delta, u);
            t.delta_from_cameo = false;
        }
        (EventKind::TieDelta(t), Param::HalfLifeDays) => t.half_life_days = unset(t.half_life_days),
        (EventKind::TieDelta(t), Param::DurationDays) => t.duration_days = unset(t.duration_days),
        (EventKind::Suspend { factor, .. }, Param::Factor) => *factor = r.apply(*factor, u),
        (EventKind::Retie { tie, .. }, Param::Tie) => *tie = r.apply(*tie, u),
        _ => {}
    }
}

/// Sets the dataset's `goldstein_scale` to `g` and derives again, from their CAMEO codes, the
/// deltas of the events in `derived` that still take it from their code (as the loader does).
fn set_goldstein_scale(ds: &mut Dataset, derived: &[usize], g: f64) {
    ds.goldstein_scale = Some(g);
    for &e in derived {
        if let Some(EventKind::TieDelta(t)) = ds.events.get_mut(e).map(|ev| &mut ev.kind) {
            if let (true, Some(code)) = (t.delta_from_cameo, t.cameo) {
                t.delta = code.delta(g);
            }
        }
    }
}

fn set_row(t: &TieEvent, r: &Resolved, u: f64) -> TieEvent {
    let (lo, hi) = (r.rule.lo, r.rule.hi);
    let unset = |v: Option<f64>| match (v, r.rule.mode) {
        (Some(x), _) => Some(r.apply(x, u)),
        (None, rules::Mode::Range) => Some(r.apply((lo + hi) / 2.0, u)),
        (None, rules::Mode::Scale) => None,
    };
    let (mut d, mut h, mut l) = (t.delta, t.half_life(), t.duration());
    match r.rule.param {
        Param::Delta => d = r.apply(d, u),
        Param::HalfLifeDays => h = unset(h),
        Param::DurationDays => l = unset(l),
        Param::Factor | Param::Tie | Param::GoldsteinScale => {}
    }
    TieEvent::new(t.day, t.a, t.b, d, h, l)
}

/// A series as cells in the order of `entente metrics --format csv` (numeric metrics only).
pub fn flatten(points: &[SeriesPoint]) -> Flat {
    let mut cells = Vec::new();
    let mut values = Vec::new();
    for (d, p) in points.iter().enumerate() {
        for (m, v) in p.metrics.graph.numeric() {
            cells.push(Cell {
                date: d,
                at: At::Graph,
                metric: m,
            });
            values.push(v);
        }
        for (a, vals) in &p.metrics.alliances {
            for (m, v) in vals.numeric() {
                cells.push(Cell {
                    date: d,
                    at: At::Alliance(*a),
                    metric: m,
                });
                values.push(v);
            }
            for (m, per) in vals.per_state_entries() {
                for (s, v) in per {
                    cells.push(Cell {
                        date: d,
                        at: At::Member(*a, *s),
                        metric: m,
                    });
                    values.push(*v);
                }
            }
        }
    }
    Flat {
        cells,
        pairs: Vec::new(),
        values,
    }
}

/// The values of a series in the order of [`flatten`], NaN where undefined (no keys: the
/// per-draw path).
pub fn flat_values(points: &[SeriesPoint], out: &mut Vec<f64>) {
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    for p in points {
        out.extend(p.metrics.graph.numeric().map(|(_, v)| nan(v)));
        for (_, vals) in &p.metrics.alliances {
            out.extend(vals.numeric().map(|(_, v)| nan(v)));
            for (_, per) in vals.per_state_entries() {
                out.extend(per.iter().map(|(_, v)| nan(*v)));
            }
        }
    }
}

/// The summary of one cell over the draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The value of the plain run.
    pub nominal: Option<f64>,
    /// The mean over the draws that gave a value.
    pub mean: Option<f64>,
    /// One per requested quantile, in order.
    pub quantiles: Vec<Option<f64>>,
    /// How many draws gave a (finite) value.
    pub draws: usize,
}

/// Summarises each kept cell: `per_draw[k][j]` is draw k's value of the cell `keep[j]` (NaN
/// where undefined).
pub fn bands(nominal: &Flat, per_draw: &[Vec<f64>], qs: &[f64], keep: &[usize]) -> Vec<Band> {
    let mut xs: Vec<f64> = Vec::with_capacity(per_draw.len());
    keep.iter()
        .enumerate()
        .map(|(j, &i)| {
            xs.clear();
            xs.extend(
                per_draw
                    .iter()
                    .filter_map(|d| d.get(j).copied())
                    .filter(|x| x.is_finite()),
            );
            xs.sort_by(f64::total_cmp);
            Band {
                nominal: nominal.values.get(i).copied().flatten(),
                mean: quantiles::mean(&xs),
                quantiles: qs.iter().map(|&q| quantiles::quantile(&xs, q)).collect(),
                draws: xs.len(),
            }
        })
        .collect()
}

/// A claim compiled to the cells it reads.
#[derive(Debug, Clone)]
pub struct Check {
    test: Test,
    /// Per window date: the claimed cell and, for lowest/highest, the other members' cells.
    dates: Vec<(Option<usize>, Vec<usize>)>,
}

impl Check {
    /// Compiles `c` against the nominal run's cells; an empty window is an error.
    pub fn new(c: &Claim, nominal: &Flat, dates: &[NaiveDate], file: &str) -> Result<Check> {
        let window = window(c, dates);
        if window.is_empty() {
            return Err(Error::Invalid(vec![crate::error::Diagnostic::new(
                file,
                c.place.clone(),
                format!(
                    "claim {:?}: its window holds {} of the series' dates (widen --from/--to)",
                    c.id,
                    if matches!(c.test, Test::Falls | Test::Rises) {
                        "fewer than two"
                    } else {
                        "none"
                    }
                ),
            )]));
        }
        let dates = match c.subject {
            Subject::Tie(a, b) => {
                let p = (a.min(b), a.max(b));
                let base = nominal.cells.len();
                window
                    .iter()
                    .map(|&d| {
                        let at = nominal
                            .pairs
                            .iter()
                            .position(|&(x, i, j)| x == d && (i, j) == p);
                        (at.map(|k| base + k), Vec::new())
                    })
                    .collect()
            }
            Subject::Metric(metric) => {
                let want = |cell: &Cell| match metric.scope {
                    Scope::Graph => cell.at == At::Graph,
                    Scope::Alliance => Some(cell.at) == c.alliance.map(At::Alliance),
                    Scope::State => {
                        matches!((c.alliance, c.state), (Some(a), Some(s)) if cell.at == At::Member(a, s))
                    }
                };
                window
                    .iter()
                    .map(|&d| {
                        let mine = nominal
                            .cells
                            .iter()
                            .position(|x| x.date == d && same_metric(x.metric, metric) && want(x));
                        let others = if matches!(c.test, Test::Lowest | Test::Highest) {
                            nominal
                                .cells
                                .iter()
                                .enumerate()
                                .filter(|(_, x)| {
                                    x.date == d
                                        && same_metric(x.metric, metric)
                                        && matches!(x.at, At::Member(a, s) if Some(a) == c.alliance && Some(s) != c.state)
                                })
                                .map(|(i, _)| i)
                                .collect()
                        } else {
                            Vec::new()
                        };
                        (mine, others)
                    })
                    .collect()
            }
        };
        Ok(Check {
            test: c.test,
            dates,
        })
    }

    /// Whether the claim holds for these cell values. A missing or undefined value fails it.
    pub fn holds(&self, values: &[f64]) -> bool {
        let get = |i: Option<usize>| {
            i.and_then(|i| values.get(i).copied())
                .filter(|x| x.is_finite())
        };
        match self.test {
            Test::Below(v) => self
                .dates
                .iter()
                .all(|(m, _)| get(*m).is_some_and(|x| x < v)),
            Test::Above(v) => self
                .dates
                .iter()
                .all(|(m, _)| get(*m).is_some_and(|x| x > v)),
            Test::Lowest | Test::Highest => self.dates.iter().all(|(m, others)| {
                get(*m).is_some_and(|x| {
                    others.iter().all(|&o| {
                        get(Some(o)).map_or(true, |y| {
                            if self.test == Test::Lowest {
                                x <= y
                            } else {
                                x >= y
                            }
                        })
                    })
                })
            }),
            Test::Falls | Test::Rises => match (self.dates.first(), self.dates.last()) {
                (Some((a, _)), Some((b, _))) => match (get(*a), get(*b)) {
                    (Some(x), Some(y)) => {
                        if self.test == Test::Falls {
                            y < x
                        } else {
                            y > x
                        }
                    }
                    _ => false,
                },
                _ => false,
            },
        }
    }
}

/// The series dates (indices) a claim reads: the window's dates (or the one of `at`); for
/// `falls`/`rises` its first and last, empty when they are the same date.
pub fn window(c: &Claim, dates: &[NaiveDate]) -> Vec<usize> {
    let window: Vec<usize> = match c.at {
        Some(at) => dates.iter().rposition(|d| *d <= at).into_iter().collect(),
        None => (0..dates.len())
            .filter(|&k| {
                c.from.map_or(true, |f| dates[k] >= f) && c.to.map_or(true, |t| dates[k] <= t)
            })
            .collect(),
    };
    match c.test {
        Test::Falls | Test::Rises => match (window.first(), window.last()) {
            (Some(&a), Some(&b)) if a != b => vec![a, b],
            _ => Vec::new(),
        },
        _ => window,
    }
}

/// Whether two catalogue entries are the same metric (the catalogue is a `const`, so entries
/// are compared by key and scope, not by address).
pub fn same_metric(a: &Metric, b: &Metric) -> bool {
    a.key == b.key && a.scope == b.scope
}

/// Whether a metric gives numbers (a count, a number, or one number per member).
pub fn has_number(m: &Metric) -> bool {
    m.is_numeric() || m.kind == crate::metrics::catalogue::Kind::PerState
}

/// The metric of the catalogue with this key and scope.
pub fn metric(scope: Scope, key: &str) -> Option<&'static Metric> {
    CATALOGUE.iter().find(|m| m.scope == scope && m.key == key)
}
