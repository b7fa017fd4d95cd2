//! The timeline: the dataset's events put in date order (same date: file order), checked once
//! for suspicious-but-usable data (warnings, the events dropped as no-ops), ready to give the
//! graph at any date.
//!
//! The tie weight of present states i, j at date t (docs/dataset.md):
//! `w_ij(t) = clamp(Σ_A tie_A·f_i^A·f_j^A + Σ_e delta_e·2^(−(t−date_e)/half_life_e), −1, 1)`,
//! zero when |w| < 1e-9. [`Timeline::snapshot`] computes it by folding every event up to t: the
//! simple reference implementation, O(events + Σ_A m_A² + n²) per date. Series of dates go through
//! the incremental [`Timeline::sweep`](super::sweep) instead.

use super::calls::CallRecord;
use super::snapshot::Split;
use super::{Membership, Snapshot, EPS};
use crate::dataset::ties_csv::TieEvent;
use crate::dataset::{Dataset, EventKind, TieDelta};
use crate::date::{from_day, to_day, Day};
use crate::error::Diagnostic;
use chrono::NaiveDate;
use std::sync::Arc;

/// A structural change: presence, membership or an alliance's base tie.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum StructuralChange {
    Enter(u32),
    Exit(u32),
    Join {
        state: u32,
        alliance: u32,
    },
    Leave {
        state: u32,
        alliance: u32,
    },
    Suspend {
        state: u32,
        alliance: u32,
        factor: f64,
    },
    Resume {
        state: u32,
        alliance: u32,
    },
    Dissolve(u32),
    Retie {
        alliance: u32,
        tie: f64,
    },
}

/// The timeline's reading of a tie event: its contribution to the weight at a date.
impl TieEvent {
    /// This event's contribution at day `t` (t ≥ day): zero once its window has closed,
    /// decayed by its half-life.
    #[inline]
    pub fn value_at(&self, t: Day) -> f64 {
        let age = f64::from(t - self.day);
        if age >= self.duration_or_inf() {
            return 0.0;
        }
        let half_life = self.half_life_or_inf();
        if half_life.is_finite() {
            decayed(self.delta, age, half_life)
        } else {
            self.delta
        }
    }
}

/// `delta · 2^(−age/half_life)`: the one expression every implementation of the weight uses, so
/// that the naive fold and the sweep compute bit-identical per-event values.
#[inline]
pub fn decayed(delta: f64, age: f64, half_life: f64) -> f64 {
    delta * (-age / half_life).exp2()
}

/// Membership status of a state in an alliance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Status {
    None,
    Active,
    Suspended(f64),
}

impl Status {
    /// The factor f of the weight formula: 1 for active, the suspend factor, 0 for non-members.
    pub(crate) fn factor(self) -> f64 {
        match self {
            Status::None => 0.0,
            Status::Active => 1.0,
            Status::Suspended(f) => f,
        }
    }
}

/// The dataset's events in order, checked, ready to be folded.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub(crate) n_states: usize,
    pub(crate) n_alliances: usize,
    /// Presence before any event: true for states without an `enter` event.
    pub(crate) initially_present: Vec<bool>,
    /// Alliance base ties before any `retie`.
    pub(crate) base_tie: Vec<f64>,
    /// Effective structural changes (no-ops removed), sorted by day, then file order.
    pub(crate) changes: Vec<(Day, StructuralChange)>,
    /// Effective tie events (both states present at their date), sorted by day, then file order.
    pub(crate) ties: Vec<TieEvent>,
    /// First and last day of all events (including ignored ones), if any.
    pub(crate) span: Option<(Day, Day)>,
    /// Suspicious-but-usable data found while ordering the events.
    pub(crate) warnings: Vec<Diagnostic>,
    /// The timelines of the treaty layer and of the behaviour layers, when asked for
    /// ([`Timeline::with_split`]): snapshots then carry their weights.
    pub(crate) split: Option<Arc<(Timeline, Timeline)>>,
    /// The calls for help and their answers, shared with every snapshot.
    pub(crate) calls: Arc<CallRecord>,
}

/// The structural state of the world at a moment of the sweep.
#[derive(Debug, Clone)]
pub(crate) struct World {
    pub(crate) present: Vec<bool>,
    pub(crate) tie: Vec<f64>,
    /// `status[alliance * n_states + state]`.
    pub(crate) status: Vec<Status>,
    pub(crate) n_states: usize,
}

impl World {
    pub(crate) fn new(t: &Timeline) -> World {
        World {
            present: t.initially_present.clone(),
            tie: t.base_tie.clone(),
            status: vec![Status::None; t.n_alliances * t.n_states],
            n_states: t.n_states,
        }
    }

    #[inline]
    pub(crate) fn status(&self, alliance: usize, state: usize) -> Status {
        self.status[alliance * self.n_states + state]
    }

    /// Applies an effective change.
    pub(crate) fn apply(&mut self, c: StructuralChange) {
        let n = self.n_states;
        match c {
            StructuralChange::Enter(s) => self.present[s as usize] = true,
            StructuralChange::Exit(s) => self.present[s as usize] = false,
            StructuralChange::Join { state, alliance }
            | StructuralChange::Resume { state, alliance } => {
                self.status[alliance as usize * n + state as usize] = Status::Active
            }
            StructuralChange::Leave { state, alliance } => {
                self.status[alliance as usize * n + state as usize] = Status::None
            }
            StructuralChange::Suspend {
                state,
                alliance,
                factor,
            } => self.status[alliance as usize * n + state as usize] = Status::Suspended(factor),
            StructuralChange::Dissolve(a) => {
                let a = a as usize;
                self.status[a * n..(a + 1) * n].fill(Status::None);
            }
            StructuralChange::Retie { alliance, tie } => self.tie[alliance as usize] = tie,
        }
    }
}

impl Timeline {
    /// Orders and checks the dataset's events. `file` names the dataset in warnings.
    pub fn new(ds: &Dataset, file: &str) -> Timeline {
        Timeline::with_ties(ds, file, Vec::new(), "")
    }

    /// As [`Timeline::new`], with extra tie events (from tie CSV files) that follow the
    /// dataset's events of the same date. Tie events of a state that is not present at their
    /// date are dropped and counted in one warning naming `extra_label`.
    pub fn with_ties(
        ds: &Dataset,
        file: &str,
        mut extra: Vec<TieEvent>,
        extra_label: &str,
    ) -> Timeline {
        let mut order: Vec<usize> = (0..ds.events.len()).collect();
        order.sort_by_key(|&i| ds.events[i].date); // stable: same date keeps file order
        if !extra.windows(2).all(|w| w[0].day <= w[1].day) {
            extra.sort_by_key(|t| t.day); // stable
        }
        let mut tl = Timeline::before_events(ds, event_span(ds, &order, &extra));
        tl.apply_dataset_events(ds, file, &order);
        tl.record_calls(ds, file);
        let extra = tl.keep_present_ties(extra, extra_label);
        tl.merge_ties(extra);
        tl
    }

    /// The timeline with no event applied yet: presence (true for states without an `enter`
    /// event) and the alliances' base ties.
    fn before_events(ds: &Dataset, span: Option<(Day, Day)>) -> Timeline {
        let mut has_enter = vec![false; ds.states.len()];
        for e in &ds.events {
            if let EventKind::Enter { state } = e.kind {
                has_enter[state] = true;
            }
        }
        Timeline {
            n_states: ds.states.len(),
            n_alliances: ds.alliances.len(),
            initially_present: has_enter.iter().map(|h| !h).collect(),
            base_tie: ds.alliances.iter().map(|a| a.tie).collect(),
            changes: Vec::new(),
            ties: Vec::new(),
            span,
            warnings: Vec::new(),
            split: None,
            calls: Arc::new(CallRecord::default()),
        }
    }

    /// Pairs the calls for help with their answers ([`crate::dataset::calls::pair`]); an answer
    /// with no open call (possible once `--without` has dropped its call) is a warning.
    fn record_calls(&mut self, ds: &Dataset, file: &str) {
        let pairings = crate::dataset::calls::pair(&ds.events);
        for &i in &pairings.unanswerable {
            if let Some(e) = ds.events.get(i) {
                self.warnings.push(Diagnostic::new(
                    file,
                    format!("events[{i}]"),
                    format!(
                        "{}: respond with no open invocation to answer (ignored)",
                        crate::date::fmt_date(e.date)
                    ),
                ));
            }
        }
        self.calls = Arc::new(CallRecord::new(ds, &pairings));
    }

    /// This timeline with the half-life (days) by which `reliability` discounts old answers
    /// (default [`crate::model::calls::DEFAULT_HALF_LIFE_DAYS`], ten years).
    pub fn with_reliability_half_life(mut self, days: f64) -> Timeline {
        let record = (*self.calls).clone().with_half_life(days);
        self.calls = Arc::new(record);
        self
    }

    /// The calls for help and their answers.
    pub fn calls(&self) -> &CallRecord {
        &self.calls
    }

    /// Simulates the dataset's events in `order`, keeping the effective structural changes and
    /// the tie events between present states; every other event becomes a warning.
    fn apply_dataset_events(&mut self, ds: &Dataset, file: &str, order: &[usize]) {
        let mut world = World::new(self);
        for &i in order {
            let e = &ds.events[i];
            let day = to_day(e.date);
            match effect(ds, &world, &e.kind) {
                Effect::Change(change) => {
                    world.apply(change);
                    self.changes.push((day, change));
                }
                Effect::Tie(t) => self.ties.push(TieEvent::new(
                    day,
                    t.a as u32,
                    t.b as u32,
                    t.delta,
                    t.half_life_days,
                    t.duration_days,
                )),
                Effect::Call(None) => {}
                Effect::Call(Some(why)) => self.warnings.push(Diagnostic::new(
                    file,
                    format!("events[{i}]"),
                    format!("{}: {why}", crate::date::fmt_date(e.date)),
                )),
                Effect::Ignored(why) => self.warnings.push(Diagnostic::new(
                    file,
                    format!("events[{i}]"),
                    format!("{}: {why} (ignored)", crate::date::fmt_date(e.date)),
                )),
            }
        }
    }

    /// Keeps the extra ties whose two states are present after every change of their date (in
    /// place: event files can hold millions of rows); one warning counts the others.
    fn keep_present_ties(&mut self, mut extra: Vec<TieEvent>, extra_label: &str) -> Vec<TieEvent> {
        let mut present = self.initially_present.clone();
        let mut next_change = 0;
        let before = extra.len();
        extra.retain(|t| {
            while let Some(&(day, c)) = self.changes.get(next_change) {
                if day > t.day {
                    break;
                }
                match c {
                    StructuralChange::Enter(s) => present[s as usize] = true,
                    StructuralChange::Exit(s) => present[s as usize] = false,
                    _ => {}
                }
                next_change += 1;
            }
            present[t.a as usize] && present[t.b as usize]
        });
        let extra_dropped = before - extra.len();
        if extra_dropped > 0 {
            self.warnings.push(Diagnostic::new(
                extra_label,
                "",
                format!("{extra_dropped} tie rows involve a state that is not present at their date (ignored)"),
            ));
        }
        extra
    }

    /// Adds the extra ties after the dataset's ties of the same date (a stable sort by date).
    fn merge_ties(&mut self, mut extra: Vec<TieEvent>) {
        if self.ties.is_empty() {
            self.ties = extra;
        } else {
            let ds_ties = std::mem::take(&mut self.ties);
            extra.splice(0..0, ds_ties);
            extra.sort_by_key(|t| t.day);
            self.ties = extra;
        }
        self.ties.shrink_to_fit();
    }

    /// The first and last event dates, if there are events.
    pub fn date_span(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.span.map(|(a, b)| (from_day(a), from_day(b)))
    }

    /// The structural world after every change dated on or before `t`.
    pub(crate) fn world_at(&self, t: Day) -> World {
        let mut w = World::new(self);
        for &(day, c) in &self.changes {
            if day > t {
                break;
            }
            w.apply(c);
        }
        w
    }

    /// The graph at `date`, by folding every event dated on or before it (the reference
    /// implementation).
    pub fn snapshot(&self, date: NaiveDate) -> Snapshot {
        let (mut snap, raw) = self.raw_snapshot(date);
        let n = snap.n();
        for i in 0..n {
            for j in (i + 1)..n {
                let w = clamp_weight(raw[i * n + j]);
                snap.weights[i * n + j] = w;
                snap.weights[j * n + i] = w;
            }
        }
        self.attach_split(snap)
    }

    /// This timeline, whose snapshots also carry the weights of `treaty` and `behaviour` (the
    /// same dataset's timelines restricted to those layers, see [`crate::model::layers`]).
    /// Each snapshot then costs two more folds of the events.
    pub fn with_split(mut self, treaty: Timeline, behaviour: Timeline) -> Timeline {
        self.split = Some(Arc::new((treaty, behaviour)));
        self
    }

    /// Whether snapshots carry a treaty/behaviour split.
    pub fn has_split(&self) -> bool {
        self.split.is_some()
    }

    /// Adds the split's weights to a snapshot of this timeline (nothing without a split).
    pub(crate) fn attach_split(&self, mut snap: Snapshot) -> Snapshot {
        let Some(split) = &self.split else {
            return snap;
        };
        let n = snap.n();
        // The layer timelines have the same presence (layers change weights only), but map by
        // dataset index to be safe.
        let matrix = |t: &Timeline| {
            let s = t.snapshot(snap.date);
            let local: Vec<Option<usize>> = snap.states.iter().map(|&x| s.local(x)).collect();
            let mut w = vec![0.0; n * n];
            for i in 0..n {
                for j in 0..n {
                    if let (Some(a), Some(b)) = (local[i], local[j]) {
                        w[i * n + j] = s.w(a, b);
                    }
                }
            }
            w
        };
        snap.split = Some(Arc::new(Split {
            treaty: matrix(&split.0),
            behaviour: matrix(&split.1),
        }));
        snap
    }

    /// The snapshot at `date` with an all-zero weight matrix, and the raw sums of the weight
    /// formula before clamping (row-major `n × n`, upper triangle `i < j` filled): what layers
    /// add up to.
    pub fn raw_snapshot(&self, date: NaiveDate) -> (Snapshot, Vec<f64>) {
        let t = to_day(date);
        let world = self.world_at(t);
        let n_all = self.n_states;
        let states: Vec<usize> = (0..n_all).filter(|&s| world.present[s]).collect();
        let n = states.len();
        let mut local = vec![usize::MAX; n_all];
        for (k, &s) in states.iter().enumerate() {
            local[s] = k;
        }
        let mut raw = vec![0.0f64; n * n];
        let mut memberships = Vec::new();
        for a in 0..self.n_alliances {
            let mut members: Vec<(usize, f64)> = Vec::new();
            let mut m = Membership {
                alliance: a,
                active: Vec::new(),
                suspended: Vec::new(),
            };
            for (k, &s) in states.iter().enumerate() {
                match world.status(a, s) {
                    Status::None => continue,
                    Status::Active => m.active.push(k),
                    Status::Suspended(_) => m.suspended.push(k),
                }
                members.push((k, world.status(a, s).factor()));
            }
            if members.is_empty() {
                continue;
            }
            let tie = world.tie[a];
            for (x, &(i, fi)) in members.iter().enumerate() {
                for &(j, fj) in &members[x + 1..] {
                    let v = tie * fi * fj;
                    raw[i * n + j] += v;
                }
            }
            memberships.push(m);
        }
        let end = self.ties.partition_point(|e| e.day <= t);
        for e in &self.ties[..end] {
            let (i, j) = (local[e.a as usize], local[e.b as usize]);
            if i == usize::MAX || j == usize::MAX {
                continue;
            }
            let (i, j) = if i < j { (i, j) } else { (j, i) };
            raw[i * n + j] += e.value_at(t);
        }
        let snap = Snapshot {
            date,
            states,
            weights: vec![0.0f64; n * n],
            memberships,
            split: None,
            calls: Arc::clone(&self.calls),
        };
        (snap, raw)
    }

    /// The graphs at each of `dates` (ascending), computed incrementally by
    /// [`Timeline::sweep`]; equal to [`Timeline::snapshot`] at each date (weights to rounding).
    pub fn snapshots<'a>(&'a self, dates: &'a [NaiveDate]) -> impl Iterator<Item = Snapshot> + 'a {
        self.sweep(dates)
    }
}

/// The first and last day of all events, dataset events (in `order`) and extra ties (by day),
/// including those the timeline will ignore.
fn event_span(ds: &Dataset, order: &[usize], extra: &[TieEvent]) -> Option<(Day, Day)> {
    let mut span: Option<(Day, Day)> = None;
    let mut widen = |d: Day| {
        span = Some(match span {
            None => (d, d),
            Some((a, b)) => (a.min(d), b.max(d)),
        })
    };
    if let (Some(&f), Some(&l)) = (order.first(), order.last()) {
        widen(to_day(ds.events[f].date));
        widen(to_day(ds.events[l].date));
    }
    if let (Some(f), Some(l)) = (extra.first(), extra.last()) {
        widen(f.day);
        widen(l.day);
    }
    span
}

/// What a dataset event does to the world as it stands.
pub(super) enum Effect<'a> {
    Change(StructuralChange),
    Tie(&'a TieDelta),
    /// A call for help or an answer: no change to the graph (the call record keeps it), with
    /// a warning when the caller is not a member.
    Call(Option<String>),
    /// A no-op, with the reason worded for the warning.
    Ignored(String),
}

/// The effect of an event of `kind` on `world`: a structural change, a tie between present
/// states, or the reason it is ignored.
pub(super) fn effect<'a>(ds: &Dataset, world: &World, kind: &'a EventKind) -> Effect<'a> {
    let state_id = |s: usize| ds.states[s].id.as_str();
    let alliance_id = |a: usize| ds.alliances[a].id.as_str();
    match kind {
        &EventKind::Enter { state } if world.present[state] => {
            Effect::Ignored(format!("{} enters while already present", state_id(state)))
        }
        &EventKind::Enter { state } => Effect::Change(StructuralChange::Enter(state as u32)),
        &EventKind::Exit { state } if !world.present[state] => {
            Effect::Ignored(format!("{} exits while not present", state_id(state)))
        }
        &EventKind::Exit { state } => Effect::Change(StructuralChange::Exit(state as u32)),
        &EventKind::Join { state, alliance }
        | &EventKind::Leave { state, alliance }
        | &EventKind::Suspend {
            state, alliance, ..
        }
        | &EventKind::Resume { state, alliance } => {
            let (s, a) = (state_id(state), alliance_id(alliance));
            if !world.present[state] {
                return Effect::Ignored(format!(
                    "{} of {s} in {a}, but {s} is not present",
                    kind.name()
                ));
            }
            match membership_change(*kind, world.status(alliance, state), state, alliance) {
                Ok(change) => Effect::Change(change),
                Err(MembershipNoOp::AlreadyMember) => {
                    Effect::Ignored(format!("{s} joins {a} while already a member"))
                }
                Err(MembershipNoOp::NotMember) => Effect::Ignored(format!(
                    "{} of {s} in {a}, but {s} is not a member",
                    kind.name()
                )),
                Err(MembershipNoOp::NotSuspended) => {
                    Effect::Ignored(format!("resume of {s} in {a}, but {s} is not suspended"))
                }
            }
        }
        &EventKind::Dissolve { alliance } => {
            if (0..ds.states.len()).any(|s| world.status(alliance, s) != Status::None) {
                Effect::Change(StructuralChange::Dissolve(alliance as u32))
            } else {
                Effect::Ignored(format!(
                    "dissolve of {}, which has no members",
                    alliance_id(alliance)
                ))
            }
        }
        &EventKind::Retie { alliance, tie } => Effect::Change(StructuralChange::Retie {
            alliance: alliance as u32,
            tie,
        }),
        &EventKind::Invoke {
            state, alliance, ..
        } => Effect::Call((world.status(alliance, state) == Status::None).then(|| {
            format!(
                "{} calls on {} but is not a member (kept in the call record)",
                state_id(state),
                alliance_id(alliance)
            )
        })),
        EventKind::Respond { .. } => Effect::Call(None),
        EventKind::TieDelta(t) => {
            let missing: Vec<&str> = [t.a, t.b]
                .into_iter()
                .filter(|&s| !world.present[s])
                .map(state_id)
                .collect();
            if missing.is_empty() {
                Effect::Tie(t)
            } else {
                Effect::Ignored(format!(
                    "tie {}–{} involves {}, not present",
                    state_id(t.a),
                    state_id(t.b),
                    missing.join(" and ")
                ))
            }
        }
    }
}

/// Why a membership event of a present state does nothing.
enum MembershipNoOp {
    AlreadyMember,
    NotMember,
    NotSuspended,
}

/// The change a join, leave, suspend or resume makes given the state's current `status` in the
/// alliance.
fn membership_change(
    kind: EventKind,
    status: Status,
    state: usize,
    alliance: usize,
) -> Result<StructuralChange, MembershipNoOp> {
    let (state, alliance) = (state as u32, alliance as u32);
    match (kind, status) {
        (EventKind::Join { .. }, Status::None) => Ok(StructuralChange::Join { state, alliance }),
        (EventKind::Join { .. }, _) => Err(MembershipNoOp::AlreadyMember),
        (_, Status::None) => Err(MembershipNoOp::NotMember),
        (EventKind::Leave { .. }, _) => Ok(StructuralChange::Leave { state, alliance }),
        (EventKind::Suspend { factor, .. }, _) => Ok(StructuralChange::Suspend {
            state,
            alliance,
            factor,
        }),
        (_, Status::Active) => Err(MembershipNoOp::NotSuspended),
        _ => Ok(StructuralChange::Resume { state, alliance }),
    }
}

/// A weight from its raw sum: clamped to [−1, 1], floating-point residue (below [`EPS`]) zeroed.
#[inline]
pub fn clamp_weight(raw: f64) -> f64 {
    let w = raw.clamp(-1.0, 1.0);
    if w.abs() < EPS {
        0.0
    } else {
        w
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::dataset::load_str;
    use crate::date::parse_date;

    /// States A, B, C; alliance X (tie 0.5) and Y (tie 1.0); the given events.
    fn timeline(events: &str) -> (Dataset, Timeline) {
        let text = format!(
            r#"{{"name":"t","states":[{{"id":"A","name":"A"}},{{"id":"B","name":"B"}},{{"id":"C","name":"C"}}],
               "alliances":[{{"id":"X","name":"X","tie":0.5}},{{"id":"Y","name":"Y"}}],
               "events":[{events}]}}"#
        );
        let ds = load_str(&text, "t.json").unwrap();
        let tl = Timeline::new(&ds, "t.json");
        (ds, tl)
    }

    fn w(tl: &Timeline, date: &str, a: usize, b: usize) -> f64 {
        let s = tl.snapshot(parse_date(date).unwrap());
        match (s.local(a), s.local(b)) {
            (Some(i), Some(j)) => s.w(i, j),
            _ => f64::NAN,
        }
    }

    #[test]
    fn decay_after_one_and_two_half_lives() {
        let (_, tl) = timeline(
            r#"{"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":0.8,"half_life_days":10}"#,
        );
        assert_eq!(w(&tl, "2019-12-31", 0, 1), 0.0);
        assert_eq!(w(&tl, "2020-01-01", 0, 1), 0.8);
        assert!((w(&tl, "2020-01-11", 0, 1) - 0.4).abs() < 1e-12);
        assert!((w(&tl, "2020-01-21", 0, 1) - 0.2).abs() < 1e-12);
        assert!((w(&tl, "2020-01-06", 0, 1) - 0.8 / 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn windows_close_and_sums_clamp() {
        let (_, tl) = timeline(
            r#"{"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":0.7,"duration_days":10},
               {"date":"2020-01-05","kind":"tie","a":"B","b":"A","delta":0.7},
               {"date":"2020-01-01","kind":"tie","a":"A","b":"C","delta":-2}"#,
        );
        assert_eq!(w(&tl, "2020-01-04", 0, 1), 0.7);
        assert_eq!(w(&tl, "2020-01-05", 0, 1), 1.0, "0.7 + 0.7 clamps to 1");
        assert_eq!(
            w(&tl, "2020-01-10", 0, 1),
            1.0,
            "day 9 of the window still counts"
        );
        assert_eq!(
            w(&tl, "2020-01-11", 0, 1),
            0.7,
            "the window closes at date + duration"
        );
        assert_eq!(w(&tl, "2020-01-01", 0, 2), -1.0);
    }

    #[test]
    fn residue_below_epsilon_is_no_tie() {
        let (_, tl) = timeline(
            r#"{"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":0.3},
               {"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":-0.1},
               {"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":-0.2}"#,
        );
        let s = tl.snapshot(parse_date("2020-01-02").unwrap());
        assert_eq!(s.w(0, 1), 0.0, "0.3 - 0.1 - 0.2 leaves residue, not a tie");
        assert_eq!(s.ties().count(), 0);
    }

    #[test]
    fn alliance_ties_with_suspend_factor_resume_leave() {
        let (_, tl) = timeline(
            r#"{"date":"2000-01-01","kind":"join","state":"A","alliance":"X"},
               {"date":"2000-01-01","kind":"join","state":"B","alliance":"X"},
               {"date":"2000-01-01","kind":"join","state":"C","alliance":"X"},
               {"date":"2000-01-01","kind":"join","state":"A","alliance":"Y"},
               {"date":"2000-01-01","kind":"join","state":"B","alliance":"Y"},
               {"date":"2001-01-01","kind":"suspend","state":"A","alliance":"X","factor":0.5},
               {"date":"2002-01-01","kind":"resume","state":"A","alliance":"X"},
               {"date":"2003-01-01","kind":"suspend","state":"A","alliance":"X"},
               {"date":"2004-01-01","kind":"leave","state":"B","alliance":"Y"}"#,
        );
        assert_eq!(w(&tl, "2000-06-01", 0, 1), 1.0, "0.5 (X) + 1.0 (Y) clamps");
        assert_eq!(w(&tl, "2000-06-01", 0, 2), 0.5);
        assert_eq!(w(&tl, "2001-06-01", 0, 2), 0.25, "suspended at factor 0.5");
        assert_eq!(w(&tl, "2001-06-01", 1, 2), 0.5, "other members unaffected");
        assert_eq!(w(&tl, "2002-06-01", 0, 2), 0.5, "resumed");
        assert_eq!(
            w(&tl, "2003-06-01", 0, 2),
            0.0,
            "suspended, default factor 0"
        );
        assert_eq!(w(&tl, "2003-06-01", 0, 1), 1.0, "Y still ties A and B");
        assert_eq!(
            w(&tl, "2004-06-01", 0, 1),
            0.0,
            "B left Y; A suspended in X"
        );
        let s = tl.snapshot(parse_date("2003-06-01").unwrap());
        let x = s.membership(0).unwrap();
        assert_eq!(
            (x.active.clone(), x.suspended.clone()),
            (vec![1, 2], vec![0])
        );
    }

    #[test]
    fn dissolve_and_retie() {
        let (_, tl) = timeline(
            r#"{"date":"2000-01-01","kind":"join","state":"A","alliance":"X"},
               {"date":"2000-01-01","kind":"join","state":"B","alliance":"X"},
               {"date":"2001-01-01","kind":"retie","alliance":"X","tie":0.2},
               {"date":"2002-01-01","kind":"dissolve","alliance":"X"}"#,
        );
        assert_eq!(w(&tl, "2000-12-31", 0, 1), 0.5);
        assert_eq!(w(&tl, "2001-01-01", 0, 1), 0.2);
        assert_eq!(w(&tl, "2002-01-01", 0, 1), 0.0);
        assert!(tl
            .snapshot(parse_date("2002-01-01").unwrap())
            .memberships
            .is_empty());
    }

    #[test]
    fn same_date_events_apply_in_file_order() {
        // Leave then join on one date: a member afterwards. Join then leave: not a member.
        let (_, tl) = timeline(
            r#"{"date":"2000-01-01","kind":"join","state":"A","alliance":"X"},
               {"date":"2000-01-01","kind":"join","state":"B","alliance":"X"},
               {"date":"2001-01-01","kind":"leave","state":"A","alliance":"X"},
               {"date":"2001-01-01","kind":"join","state":"A","alliance":"X"},
               {"date":"2001-01-01","kind":"join","state":"C","alliance":"X"},
               {"date":"2001-01-01","kind":"leave","state":"C","alliance":"X"}"#,
        );
        assert_eq!(w(&tl, "2001-01-01", 0, 1), 0.5);
        assert_eq!(w(&tl, "2001-01-01", 1, 2), 0.0);
        assert!(tl.warnings.is_empty(), "{:?}", tl.warnings);
    }

    #[test]
    fn presence_spells() {
        // C enters, exits, and enters again; absent states give and get no weight but keep
        // their memberships; a state without an enter event is present from the beginning.
        let (_, tl) = timeline(
            r#"{"date":"1990-01-01","kind":"enter","state":"C"},
               {"date":"1990-01-01","kind":"join","state":"C","alliance":"Y"},
               {"date":"1990-01-01","kind":"join","state":"A","alliance":"Y"},
               {"date":"1995-01-01","kind":"exit","state":"C"},
               {"date":"1996-01-01","kind":"tie","a":"A","b":"B","delta":0.1},
               {"date":"1999-01-01","kind":"enter","state":"C"}"#,
        );
        let at = |d: &str| tl.snapshot(parse_date(d).unwrap()).states;
        assert_eq!(at("1989-12-31"), vec![0, 1]);
        assert_eq!(at("1990-01-01"), vec![0, 1, 2]);
        assert_eq!(at("1995-01-01"), vec![0, 1]);
        assert_eq!(at("1999-01-01"), vec![0, 1, 2]);
        assert_eq!(w(&tl, "1994-12-31", 0, 2), 1.0);
        assert!(w(&tl, "1996-01-01", 0, 2).is_nan(), "C absent");
        assert_eq!(
            w(&tl, "1999-01-01", 0, 2),
            1.0,
            "membership kept across the gap"
        );
        assert_eq!(w(&tl, "1999-01-01", 0, 1), 0.1);
    }

    #[test]
    fn suspicious_events_warn_and_do_nothing() {
        let (_, tl) = timeline(
            r#"{"date":"1990-01-01","kind":"enter","state":"C"},
               {"date":"1991-01-01","kind":"enter","state":"C"},
               {"date":"1992-01-01","kind":"join","state":"A","alliance":"X"},
               {"date":"1992-01-02","kind":"join","state":"A","alliance":"X"},
               {"date":"1992-01-03","kind":"leave","state":"B","alliance":"X"},
               {"date":"1992-01-04","kind":"resume","state":"A","alliance":"X"},
               {"date":"1993-01-01","kind":"exit","state":"C"},
               {"date":"1993-01-02","kind":"exit","state":"C"},
               {"date":"1993-01-03","kind":"join","state":"C","alliance":"X"},
               {"date":"1993-01-04","kind":"tie","a":"A","b":"C","delta":0.5}"#,
        );
        let msgs: Vec<String> = tl.warnings.iter().map(|d| d.to_string()).collect();
        let all = msgs.join("\n");
        assert_eq!(msgs.len(), 7, "{all}");
        for want in [
            "t.json: events[1]: 1991-01-01: C enters while already present (ignored)",
            "events[3]: 1992-01-02: A joins X while already a member",
            "events[4]: 1992-01-03: leave of B in X, but B is not a member",
            "events[5]: 1992-01-04: resume of A in X, but A is not suspended",
            "events[7]: 1993-01-02: C exits while not present",
            "events[8]: 1993-01-03: join of C in X, but C is not present",
            "events[9]: 1993-01-04: tie A–C involves C, not present",
        ] {
            assert!(all.contains(want), "missing {want:?} in\n{all}");
        }
        assert_eq!(w(&tl, "2000-01-01", 0, 1), 0.0);
    }

    #[test]
    fn extra_ties_join_the_dataset_events() {
        let (ds, _) = timeline(r#"{"date":"2000-01-01","kind":"enter","state":"C"}"#);
        let extra = vec![
            TieEvent::new(
                to_day(parse_date("1999-06-01").unwrap()),
                2,
                0,
                0.4,
                None,
                None,
            ),
            TieEvent::new(
                to_day(parse_date("2000-02-01").unwrap()),
                2,
                0,
                0.3,
                None,
                None,
            ),
            TieEvent::new(
                to_day(parse_date("2000-02-01").unwrap()),
                1,
                0,
                -0.3,
                Some(1.0),
                None,
            ),
        ];
        let tl = Timeline::with_ties(&ds, "t.json", extra, "ties.csv");
        assert_eq!(
            tl.ties.len(),
            2,
            "the tie dated before C entered is dropped"
        );
        assert_eq!(tl.warnings.len(), 1);
        assert!(tl.warnings[0]
            .to_string()
            .starts_with("ties.csv: 1 tie rows"));
        assert_eq!(w(&tl, "2000-02-01", 0, 2), 0.3);
        assert_eq!(w(&tl, "2000-02-02", 0, 1), -0.15);
    }
}
