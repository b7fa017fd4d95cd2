//! Where each dataset event and tie-CSV row ended up in a timeline, so that a timeline can be
//! given new values (a tie's delta, half-life or duration, a suspension factor, an alliance's
//! tie) without being built again: no re-sorting, no re-checking, no copy of the dataset. This
//! is what makes a draw of `entente robust` cost only the recomputation (docs/robust.md).
//!
//! Values never decide whether an event takes effect (presence and membership do), so a
//! timeline given new values through its trace equals the timeline built from a dataset holding
//! those values; `tests/robust_cli.rs` checks it on random datasets and rules.

use super::timeline::{effect, Effect, StructuralChange, Timeline, World};
use super::TieEvent;
use crate::dataset::Dataset;
use crate::date::to_day;

/// Where one dataset event went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// It took no effect (a warning of the timeline).
    Ignored,
    /// It is the timeline's structural change with this index.
    Change(usize),
    /// It is the timeline's tie event with this index.
    Tie(usize),
}

/// The place of every dataset event and extra tie row in a [`Timeline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// Per dataset event, in dataset order.
    events: Vec<Slot>,
    /// Per extra tie row, in the order given: its index among the timeline's ties, if kept.
    rows: Vec<Option<usize>>,
}

impl Trace {
    /// Where dataset event `i` went.
    pub fn event(&self, i: usize) -> Slot {
        self.events.get(i).copied().unwrap_or(Slot::Ignored)
    }

    /// Where extra tie row `i` (counted over all the rows given, in order) went.
    pub fn row(&self, i: usize) -> Option<usize> {
        self.rows.get(i).copied().flatten()
    }
}

impl Timeline {
    /// [`Timeline::with_ties`] and the trace of where each event and row went. `None` for the
    /// trace if it does not account for the timeline exactly (a bug: the caller then builds
    /// each variant's timeline from its dataset instead).
    pub fn with_ties_traced(
        ds: &Dataset,
        file: &str,
        extra: Vec<TieEvent>,
        extra_label: &str,
    ) -> (Timeline, Option<Trace>) {
        let given = extra.clone();
        let tl = Timeline::with_ties(ds, file, extra, extra_label);
        let trace = trace(&tl, ds, &given);
        (tl, trace)
    }

    /// Tie event `k` (in the timeline's order).
    pub fn tie_event(&self, k: usize) -> Option<&TieEvent> {
        self.ties.get(k)
    }

    /// Gives tie event `k` the delta, half-life and duration of `t` (its day and pair stay).
    pub fn set_tie_values(&mut self, k: usize, t: &TieEvent) {
        if let Some(x) = self.ties.get_mut(k) {
            *x = TieEvent::new(x.day, x.a, x.b, t.delta, t.half_life(), t.duration());
        }
    }

    /// The factor of structural change `k` if it is a suspension, or the tie if it is a retie.
    pub fn change_value(&self, k: usize) -> Option<f64> {
        match self.changes.get(k) {
            Some((_, StructuralChange::Suspend { factor, .. })) => Some(*factor),
            Some((_, StructuralChange::Retie { tie, .. })) => Some(*tie),
            _ => None,
        }
    }

    /// Sets the factor of suspension `k`, or the tie of retie `k` (other changes carry no value).
    pub fn set_change_value(&mut self, k: usize, v: f64) {
        match self.changes.get_mut(k) {
            Some((_, StructuralChange::Suspend { factor, .. })) => *factor = v,
            Some((_, StructuralChange::Retie { tie, .. })) => *tie = v,
            _ => {}
        }
    }

    /// Alliance `a`'s base tie (before any retie).
    pub fn base_tie(&self, a: usize) -> Option<f64> {
        self.base_tie.get(a).copied()
    }

    /// Sets alliance `a`'s base tie.
    pub fn set_base_tie(&mut self, a: usize, v: f64) {
        if let Some(x) = self.base_tie.get_mut(a) {
            *x = v;
        }
    }
}

/// Replays the steps of `Timeline::with_ties` on indices: the events in date order (stable),
/// simulated; the rows in day order (stable), those of absent states dropped; the dataset's ties
/// and the rows merged by day (stable). Then checks that every slot holds what it claims.
fn trace(tl: &Timeline, ds: &Dataset, extra: &[TieEvent]) -> Option<Trace> {
    let mut order: Vec<usize> = (0..ds.events.len()).collect();
    order.sort_by_key(|&i| ds.events[i].date);
    let mut events = vec![Slot::Ignored; ds.events.len()];
    let mut world = World::new(tl);
    let (mut n_changes, mut ds_ties) = (0, Vec::new());
    for &i in &order {
        match effect(ds, &world, &ds.events[i].kind) {
            Effect::Change(c) => {
                world.apply(c);
                events[i] = Slot::Change(n_changes);
                n_changes += 1;
            }
            Effect::Tie(_) => {
                events[i] = Slot::Tie(ds_ties.len());
                ds_ties.push((to_day(ds.events[i].date), i));
            }
            // Calls for help and answers change no weight: nothing for a draw to set.
            Effect::Call(_) | Effect::Ignored(_) => {}
        }
    }
    let mut rows: Vec<usize> = (0..extra.len()).collect();
    rows.sort_by_key(|&r| extra[r].day);
    let mut present = tl.initially_present.clone();
    let mut next_change = 0;
    rows.retain(|&r| {
        let t = &extra[r];
        while let Some(&(day, c)) = tl.changes.get(next_change) {
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
    // The merged order: the dataset's ties first, then the rows, stably by day.
    #[derive(Clone, Copy)]
    enum Origin {
        Event(usize),
        Row(usize),
    }
    let mut merged: Vec<(crate::date::Day, Origin)> = ds_ties
        .iter()
        .map(|&(day, i)| (day, Origin::Event(i)))
        .chain(rows.iter().map(|&r| (extra[r].day, Origin::Row(r))))
        .collect();
    merged.sort_by_key(|(day, _)| *day);
    if n_changes != tl.changes.len() || merged.len() != tl.ties.len() {
        return None;
    }
    let mut row_slots = vec![None; extra.len()];
    for (k, &(_, origin)) in merged.iter().enumerate() {
        match origin {
            Origin::Event(i) => events[i] = Slot::Tie(k),
            Origin::Row(r) => row_slots[r] = Some(k),
        }
    }
    // Every tie slot holds the event or row it names.
    for (k, &(_, origin)) in merged.iter().enumerate() {
        let expected = match origin {
            Origin::Row(r) => extra[r],
            Origin::Event(i) => match &ds.events[i].kind {
                crate::dataset::EventKind::TieDelta(t) => TieEvent::new(
                    to_day(ds.events[i].date),
                    t.a as u32,
                    t.b as u32,
                    t.delta,
                    t.half_life_days,
                    t.duration_days,
                ),
                _ => return None,
            },
        };
        if tl.ties.get(k) != Some(&expected) {
            return None;
        }
    }
    Some(Trace {
        events,
        rows: row_slots,
    })
}
