//! Attribution: why a metric moved between two dates. The quantity explained is
//! Δ = M(D2) − M(D1) for one metric in one scope (the graph, an alliance, or a member state of
//! an alliance). The events dated up to D2 are split into groups ([`By`]); a group's
//! contribution says how much of Δ is due to its events, by leave-one-out
//! ([`leave_one_out`]: Δ − Δ without the group, with the interaction residual
//! Δ − Σ contributions) or by permutation-sampled Shapley values ([`shapley`]: contributions that
//! sum to Δ, each with its sampling standard error).
//!
//! Every evaluation drops events from the dataset before the timeline is built (as
//! [`crate::scenario::without`] does) and computes the metric on two snapshots, at D1 and D2;
//! when the dropped events cannot reach D1 the value at D1 is reused. Events dated after D2 are
//! never dropped: they belong to no group. Rows of tie CSV files carry no ids, tags or notes:
//! each file is one group under every grouping. Rules and examples: docs/explain.md.

pub mod format;
mod leave_one_out;
mod shapley;

pub use leave_one_out::leave_one_out;
pub use shapley::shapley;

use crate::dataset::{Dataset, EventKind};
use crate::date::{to_day, Day};
use crate::metrics::catalogue::{Kind, Metric, Scope};
use crate::metrics::Cx;
use crate::model::{Snapshot, TieEvent, Timeline};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// How events are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One group per event (its id, else `events[i]`).
    Event,
    /// One group per tag; untagged events form the group `(untagged)`. An event with several
    /// tags belongs to its first tag's group, or with `multi` to each of its tags' groups.
    Tag,
    /// One group per event kind (`join`, `tie`, …).
    Kind,
    /// One group per alliance, holding the events that name it (membership, `retie`,
    /// `dissolve`); the others form `(no alliance)`.
    Alliance,
    /// One group per cited source; events without one form `(no source)`.
    Source,
}

impl By {
    /// The name used on the command line and in docs.
    pub fn name(self) -> &'static str {
        match self {
            By::Event => "event",
            By::Tag => "tag",
            By::Kind => "kind",
            By::Alliance => "alliance",
            By::Source => "source",
        }
    }
}

/// A set of events whose contribution is measured together.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group's id: an event id, a tag, a kind, an alliance or source id, a tie file's name.
    pub id: String,
    /// Text for tables and charts (an event's note, an alliance's name, …).
    pub label: String,
    /// Indices into the dataset's events, ascending.
    pub events: Vec<usize>,
    /// Indices into the tie files.
    pub tie_files: Vec<usize>,
}

/// What an attribution reads: the dataset (any `--without`/`--with` already applied) and the
/// tie CSV files, each with its name and its rows.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The dataset.
    pub dataset: &'a Dataset,
    /// Each tie CSV file's name and rows.
    pub tie_files: &'a [(String, Vec<TieEvent>)],
}

/// The explained metric and its scope.
#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    /// The metric's catalogue entry.
    pub metric: &'static Metric,
    /// Dataset index of the alliance (alliance and state scopes).
    pub alliance: Option<usize>,
    /// Dataset index of the member state (state scope).
    pub state: Option<usize>,
}

impl Quantity {
    /// Checks that the metric is numeric and the scope matches it; the message names what is
    /// missing or extra.
    pub fn new(
        metric: &'static Metric,
        alliance: Option<usize>,
        state: Option<usize>,
    ) -> Result<Quantity, String> {
        if metric.kind == Kind::Groups {
            return Err(format!(
                "metric {:?} gives groups of states, not a number: it cannot be explained",
                metric.key
            ));
        }
        match (metric.scope, alliance, state) {
            (Scope::Graph, None, None)
            | (Scope::Alliance, Some(_), None)
            | (Scope::State, Some(_), Some(_)) => Ok(Quantity {
                metric,
                alliance,
                state,
            }),
            (Scope::Graph, _, _) => Err(format!(
                "metric {:?} is a whole-graph metric: give neither --alliance nor --state",
                metric.key
            )),
            (Scope::Alliance, None, _) => Err(format!(
                "metric {:?} is an alliance metric: give --alliance",
                metric.key
            )),
            (Scope::Alliance, Some(_), Some(_)) => Err(format!(
                "metric {:?} is an alliance metric: --state applies only to per-member metrics",
                metric.key
            )),
            (Scope::State, _, _) => Err(format!(
                "metric {:?} has one value per member state: give --alliance and --state",
                metric.key
            )),
        }
    }

    /// The value in `snap`; `None` when undefined (no present member, a null metric).
    pub fn value(&self, snap: &Snapshot) -> Option<f64> {
        let g = Cx::graph(snap);
        let Some(a) = self.alliance else {
            return (self.metric.compute)(&g).number();
        };
        let membership = snap.membership(a)?;
        let cx = Cx::alliance(&g, membership);
        let v = (self.metric.compute)(&cx);
        match self.state {
            None => v.number(),
            Some(s) => match v {
                crate::metrics::Value::PerState(p) => {
                    p.iter().find(|(x, _)| *x == s).and_then(|(_, v)| *v)
                }
                other => other.number(),
            },
        }
    }
}

/// The attribution of Δ to groups, in the order of the JSON output.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// D1.
    pub from: NaiveDate,
    /// D2.
    pub to: NaiveDate,
    /// M(D1).
    pub value_from: f64,
    /// M(D2).
    pub value_to: f64,
    /// Δ = M(D2) − M(D1).
    pub delta: f64,
    /// `leave-one-out` or `shapley`.
    pub method: &'static str,
    /// Sorted by |contribution| descending, ties by group id.
    pub contributions: Vec<Contribution>,
    /// Δ − Σ contributions.
    pub residual: f64,
    /// Shapley: the number of permutations sampled.
    pub samples: Option<usize>,
}

/// One group's share of Δ.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The group's id.
    pub group: String,
    /// The group's label.
    pub label: String,
    /// Its share of Δ.
    pub contribution: f64,
    /// Shapley: the sampling standard error (null with fewer than two permutations).
    pub stderr: Option<f64>,
}

/// Why an attribution cannot be made.
#[derive(Debug, Clone, PartialEq)]
pub enum ExplainError {
    /// The metric has no value at this date in this scope (for example an alliance with no
    /// present member).
    Undefined(NaiveDate),
    /// D1 is after D2.
    Backwards,
}

impl std::fmt::Display for ExplainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExplainError::Undefined(d) => write!(
                f,
                "the metric has no value on {} in this scope: nothing to explain",
                crate::date::fmt_date(*d)
            ),
            ExplainError::Backwards => f.write_str("--from is after --to"),
        }
    }
}

/// The groups of `by` over the events dated on or before `to`, in order of first appearance
/// in the file (events), then the tie files. `multi`: with [`By::Tag`], an event belongs to
/// each of its tags' groups instead of its first tag's.
pub fn groups(input: Input<'_>, by: By, to: NaiveDate, multi: bool) -> Vec<Group> {
    let ds = input.dataset;
    let mut out: Vec<Group> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut add = |id: String, label: String, event: usize, out: &mut Vec<Group>| {
        let k = *index.entry(id.clone()).or_insert_with(|| {
            out.push(Group {
                id,
                label,
                events: Vec::new(),
                tie_files: Vec::new(),
            });
            out.len() - 1
        });
        if out[k].events.last() != Some(&event) {
            out[k].events.push(event);
        }
    };
    for (i, e) in ds.events.iter().enumerate() {
        if e.date > to {
            continue;
        }
        match by {
            By::Event => {
                let id = e.id.clone().unwrap_or_else(|| format!("events[{i}]"));
                let what = describe(ds, &e.kind);
                let label = match &e.note {
                    Some(note) => format!("{what}: {note}"),
                    None => what,
                };
                add(id, label, i, &mut out);
            }
            By::Tag => {
                let tags: &[String] = if multi {
                    &e.tags
                } else {
                    e.tags.get(..1).unwrap_or(&[])
                };
                if tags.is_empty() {
                    add(
                        "(untagged)".into(),
                        "events without tags".into(),
                        i,
                        &mut out,
                    );
                }
                for t in tags {
                    add(t.clone(), t.clone(), i, &mut out);
                }
            }
            By::Kind => {
                let k = e.kind.name().to_string();
                add(k.clone(), format!("{k} events"), i, &mut out);
            }
            By::Alliance => match e.kind.alliance() {
                Some(a) => {
                    let al = &ds.alliances[a];
                    add(al.id.clone(), al.name.clone(), i, &mut out);
                }
                None => add(
                    "(no alliance)".into(),
                    "events naming no alliance".into(),
                    i,
                    &mut out,
                ),
            },
            By::Source => match e.source {
                Some(s) => {
                    let src = &ds.sources[s];
                    add(src.id.clone(), src.title.clone(), i, &mut out);
                }
                None => add(
                    "(no source)".into(),
                    "events citing no source".into(),
                    i,
                    &mut out,
                ),
            },
        }
    }
    let to_day_ = to_day(to);
    for (f, (name, rows)) in input.tie_files.iter().enumerate() {
        if rows.iter().all(|r| r.day > to_day_) {
            continue; // no row up to D2: cannot contribute
        }
        out.push(Group {
            id: name.clone(),
            label: format!("tie file {name}"),
            events: Vec::new(),
            tie_files: vec![f],
        });
    }
    out
}

/// What an event does, in a few words with ids: `ARM joins CSTO`, `ARM–AZE −0.5`.
pub fn describe(ds: &Dataset, kind: &EventKind) -> String {
    let st = |s: usize| ds.states.get(s).map_or("?", |x| x.id.as_str());
    let al = |a: usize| ds.alliances.get(a).map_or("?", |x| x.id.as_str());
    match *kind {
        EventKind::Enter { state } => format!("{} enters", st(state)),
        EventKind::Exit { state } => format!("{} exits", st(state)),
        EventKind::Join { state, alliance } => format!("{} joins {}", st(state), al(alliance)),
        EventKind::Leave { state, alliance } => format!("{} leaves {}", st(state), al(alliance)),
        EventKind::Suspend {
            state, alliance, ..
        } => format!("{} suspended in {}", st(state), al(alliance)),
        EventKind::Resume { state, alliance } => {
            format!("{} resumes in {}", st(state), al(alliance))
        }
        EventKind::Dissolve { alliance } => format!("{} dissolved", al(alliance)),
        EventKind::Retie { alliance, tie } => format!("{} base tie {tie}", al(alliance)),
        EventKind::TieDelta(t) => {
            let d = format!("{:+}", t.delta).replace('-', "\u{2212}");
            format!("{}–{} {d}", st(t.a), st(t.b))
        }
        EventKind::Invoke {
            state, alliance, ..
        } => format!("{} calls on {}", st(state), al(alliance)),
        EventKind::Respond {
            state,
            alliance,
            outcome,
        } => format!("{} {} {}'s call", al(alliance), outcome.as_str(), st(state)),
    }
}

/// Computes the quantity at D1 and D2 with some groups dropped. Shared by both methods.
pub(crate) struct Evaluator<'a> {
    input: Input<'a>,
    quantity: Quantity,
    from: NaiveDate,
    to: NaiveDate,
    groups: &'a [Group],
    /// For each event, the groups it belongs to (empty: never dropped).
    event_groups: Vec<Vec<usize>>,
    /// For each tie file, the groups it belongs to.
    file_groups: Vec<Vec<usize>>,
    /// The value at D1 with nothing dropped.
    base_from: Option<f64>,
    /// The dataset as the timeline reads it: ids and weights kept, names, codes, sources,
    /// notes and tags left out, so that the copy made for each evaluation allocates little.
    skeleton: Dataset,
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(
        input: Input<'a>,
        quantity: Quantity,
        from: NaiveDate,
        to: NaiveDate,
        groups: &'a [Group],
    ) -> Evaluator<'a> {
        let mut event_groups = vec![Vec::new(); input.dataset.events.len()];
        let mut file_groups = vec![Vec::new(); input.tie_files.len()];
        for (g, group) in groups.iter().enumerate() {
            for &e in &group.events {
                if let Some(v) = event_groups.get_mut(e) {
                    v.push(g);
                }
            }
            for &f in &group.tie_files {
                if let Some(v) = file_groups.get_mut(f) {
                    v.push(g);
                }
            }
        }
        let ds = input.dataset;
        let skeleton = Dataset {
            name: String::new(),
            description: None,
            goldstein_scale: ds.goldstein_scale,
            view: ds.view.clone(),
            sources: Vec::new(),
            states: ds
                .states
                .iter()
                .map(|s| crate::dataset::State {
                    id: s.id.clone(),
                    name: String::new(),
                    codes: BTreeMap::new(),
                })
                .collect(),
            alliances: ds.alliances.clone(),
            events: ds
                .events
                .iter()
                .map(|e| {
                    let mut kind = e.kind;
                    if let EventKind::TieDelta(t) = &mut kind {
                        t.layer = None;
                    }
                    crate::dataset::Event::new(e.date, kind)
                })
                .collect(),
            layers: Vec::new(),
        };
        let mut ev = Evaluator {
            skeleton,
            input,
            quantity,
            from,
            to,
            groups,
            event_groups,
            file_groups,
            base_from: None,
        };
        ev.base_from = ev.values(&vec![true; groups.len()]).0;
        ev
    }

    /// The values at D1 and D2 when only the groups with `present[g]` keep their events (an
    /// event in several groups is dropped when any of them is absent).
    pub(crate) fn values(&self, present: &[bool]) -> (Option<f64>, Option<f64>) {
        let ds = &self.skeleton;
        let keep = |gs: &Vec<usize>| gs.iter().all(|&g| present.get(g).copied().unwrap_or(true));
        let dropped: Vec<usize> = (0..present.len()).filter(|&g| !present[g]).collect();
        let mut sub = Dataset {
            name: String::new(),
            description: None,
            goldstein_scale: ds.goldstein_scale,
            view: ds.view.clone(),
            sources: Vec::new(),
            states: ds.states.clone(),
            alliances: ds.alliances.clone(),
            events: Vec::new(),
            layers: Vec::new(),
        };
        sub.events = ds
            .events
            .iter()
            .zip(&self.event_groups)
            .filter(|(_, gs)| keep(gs))
            .map(|(e, _)| e.clone())
            .collect();
        let mut rows: Vec<TieEvent> = Vec::new();
        for ((_, file), gs) in self.input.tie_files.iter().zip(&self.file_groups) {
            if keep(gs) {
                rows.extend_from_slice(file);
            }
        }
        let timeline = Timeline::with_ties(&sub, "", rows, "");
        let reuse_from = self.base_from.is_some()
            && !dropped.is_empty()
            && dropped
                .iter()
                .all(|&g| self.cannot_reach(g, to_day(self.from)));
        let at_from = if reuse_from {
            self.base_from
        } else {
            self.quantity.value(&timeline.snapshot(self.from))
        };
        (at_from, self.quantity.value(&timeline.snapshot(self.to)))
    }

    /// Δ with only the `present` groups; 0 when the metric is undefined at either date (a
    /// coalition under which there is nothing to measure shows no change).
    pub(crate) fn delta(&self, present: &[bool]) -> f64 {
        match self.values(present) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        }
    }

    /// Whether dropping group `g` leaves the graph at day `t` unchanged: every event of it is
    /// dated after `t` and none is an `enter` (a state with an `enter` event is absent before
    /// it, so dropping one changes the past), and every tie file of it starts after `t`.
    fn cannot_reach(&self, g: usize, t: Day) -> bool {
        let ds = self.input.dataset;
        let group = &self.groups[g];
        group.events.iter().all(|&e| {
            ds.events.get(e).is_some_and(|ev| {
                to_day(ev.date) > t && !matches!(ev.kind, EventKind::Enter { .. })
            })
        }) && group.tie_files.iter().all(|&f| {
            self.input
                .tie_files
                .get(f)
                .is_some_and(|(_, rows)| rows.iter().all(|r| r.day > t))
        })
    }
}

/// The actual values at D1 and D2 (nothing dropped), or why there is nothing to explain.
pub(crate) fn endpoints(ev: &Evaluator<'_>, n_groups: usize) -> Result<(f64, f64), ExplainError> {
    if ev.from > ev.to {
        return Err(ExplainError::Backwards);
    }
    match ev.values(&vec![true; n_groups]) {
        (Some(a), Some(b)) => Ok((a, b)),
        (None, _) => Err(ExplainError::Undefined(ev.from)),
        (_, None) => Err(ExplainError::Undefined(ev.to)),
    }
}

/// Sorts contributions by |c| descending, ties by group id.
pub(crate) fn sort(contributions: &mut [Contribution]) {
    contributions.sort_by(|a, b| {
        b.contribution
            .abs()
            .total_cmp(&a.contribution.abs())
            .then_with(|| a.group.cmp(&b.group))
    });
}

#[cfg(test)]
mod tests;
