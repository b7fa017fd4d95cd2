//! The incremental timeline: the graphs at a series of ascending dates from one pass over the
//! events, instead of refolding every event for every date as [`Timeline::snapshot`] does.
//!
//! The sweep keeps, for every pair of states (dense `n × n` arrays over all dataset states):
//! - the alliance contribution `Σ_A tie_A·f_i^A·f_j^A`, recomputed only for the states whose
//!   memberships changed since the previous date (in alliance order, so it is bit-identical to the
//!   reference fold's);
//! - one running sum per *group* of tie events, a group being a half-life (or none) and whether the
//!   events have a duration. A decaying group's sums are kept at the current date and rescaled by
//!   `2^(−Δ/h)` when the sweep advances by Δ days (re-based at every date, so nothing grows or
//!   overflows over long spans; values that underflow to zero are zero in the fold too);
//! - windowed events (with a duration) are added at their date and subtracted at the first date of
//!   the series on which their window has closed; the expirations are bucketed by date once, before
//!   the sweep starts (a counting sort, no heap). A pair's windowed sum is reset to exactly zero
//!   when its last open window closes.
//!
//! A group with few events for the number of states (say thousands of distinct half-lives) is kept
//! as a list of its live events, each evaluated at every date as the fold does, so the memory stays
//! bounded by the events rather than by groups × n².
//!
//! Cost per date: O(n² · dense groups + events since the previous date + expirations + the
//! membership rows that changed (alliances × n each) + list events), against O(all events so far +
//! n²) for the fold. Presence changes only change which pairs are read out. The result equals the
//! fold's to rounding (the tests check 1e-9 on every weight, exact states and memberships).
//!
//! Dates that are not ascending fall back to the fold, date by date.

use super::timeline::{clamp_weight, Status, StructuralChange, Timeline, World};
use super::TieEvent;
use super::{Membership, Snapshot};
use crate::date::{to_day, Day};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;

/// Iterator over the snapshots at a series of dates; see the module documentation.
pub struct Sweep<'a> {
    tl: &'a Timeline,
    dates: &'a [NaiveDate],
    next: usize,
    state: Option<Box<State>>,
}

impl Timeline {
    /// The graphs at each of `dates`, computed incrementally (one pass over the events when the
    /// dates are ascending; otherwise each date is folded on its own).
    pub fn sweep<'a>(&'a self, dates: &'a [NaiveDate]) -> Sweep<'a> {
        self.sweep_tuned(dates, None)
    }

    /// As [`Timeline::sweep`], choosing how groups of tie events are stored: a group is kept as
    /// dense per-pair sums when it has at least `dense_min_events` events (default: half the
    /// number of state pairs), otherwise as a list of live events. The permanent group is always
    /// dense. Exposed so that tests can exercise both representations.
    #[doc(hidden)]
    pub fn sweep_tuned<'a>(
        &'a self,
        dates: &'a [NaiveDate],
        dense_min_events: Option<usize>,
    ) -> Sweep<'a> {
        let ascending = dates.windows(2).all(|w| w[0] <= w[1]);
        let state = (ascending && !dates.is_empty() && self.ties.len() < u32::MAX as usize)
            .then(|| Box::new(State::new(self, dates, dense_min_events)));
        Sweep {
            tl: self,
            dates,
            next: 0,
            state,
        }
    }
}

impl Iterator for Sweep<'_> {
    type Item = Snapshot;

    fn next(&mut self) -> Option<Snapshot> {
        let date = *self.dates.get(self.next)?;
        let k = self.next;
        self.next += 1;
        Some(match &mut self.state {
            Some(s) => self.tl.attach_split(s.step(self.tl, k, date)),
            None => self.tl.snapshot(date),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.dates.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Sweep<'_> {}

/// A group key: the half-life bits (`+∞` for none; never negative, so the sign bit is free) with
/// the sign bit set for windowed events.
#[inline]
fn key_of(e: &TieEvent) -> u64 {
    e.half_life_or_inf().to_bits() | (u64::from(e.duration_or_inf().is_finite()) << 63)
}

/// Maps group keys to group numbers: a linear scan while there are few groups (the usual case),
/// a hash map beyond.
#[derive(Default)]
struct KeyMap {
    keys: Vec<u64>,
    map: HashMap<u64, u32>,
}

impl KeyMap {
    const LINEAR: usize = 8;

    #[inline]
    fn get(&self, key: u64) -> Option<u32> {
        if self.keys.len() <= Self::LINEAR {
            self.keys.iter().position(|&k| k == key).map(|p| p as u32)
        } else {
            self.map.get(&key).copied()
        }
    }

    fn insert(&mut self, key: u64) -> u32 {
        let id = self.keys.len() as u32;
        self.keys.push(key);
        self.map.insert(key, id);
        id
    }

    /// The number of `key`, numbering it next (and giving it a zero in `counts`) if it is new.
    fn number(&mut self, key: u64, counts: &mut Vec<usize>) -> u32 {
        self.get(key).unwrap_or_else(|| {
            counts.push(0);
            self.insert(key)
        })
    }
}

/// How a group is stored.
enum Store {
    /// Per-pair sums (`n × n`, entry `a·n + b` for `a < b`). A decaying group keeps them on the
    /// scale of its reference day `t_ref`: the value at day t is `sum · 2^(−(t − t_ref)/h)`.
    Dense {
        sum: Vec<f64>,
        /// Open windows per pair (windowed groups only).
        open: Vec<u32>,
        /// Pairs with a nonzero decaying sum, to rescale at a re-base (decaying groups only).
        touched: Vec<u32>,
        is_touched: Vec<bool>,
    },
    /// Events evaluated one by one at every date (they live in [`State::live`]).
    List,
}

struct Group {
    /// `+∞` when the events do not decay.
    half_life: f64,
    windowed: bool,
    store: Store,
    /// Reference day of a dense decaying group's sums.
    t_ref: Day,
    /// `2^(d/h)` for `d = 0, 1, …` days after `t_ref` (the weight of an event of day
    /// `t_ref + d` on the reference scale), filled at each re-base.
    growth: Vec<f64>,
}

/// A decaying group is re-based (its sums brought to the current day) once the current day is more
/// than this many half-lives past its reference day, so that no scale factor exceeds 2^32.
const REBASE_HALF_LIVES: f64 = 32.0;
/// Longest table of growth factors per group; later offsets are computed directly.
const GROWTH_TABLE: usize = 1 << 14;

impl Group {
    /// The weight on the reference scale of an event dated `day`: `2^((day − t_ref)/h)`.
    #[inline]
    fn growth(&self, day: Day) -> f64 {
        let d = day - self.t_ref;
        match usize::try_from(d).ok().and_then(|d| self.growth.get(d)) {
            Some(&g) => g,
            None => (f64::from(d) / self.half_life).exp2(),
        }
    }

    /// Brings a dense decaying group's sums to the scale of day `t`.
    fn rebase(&mut self, t: Day) {
        let f = (-f64::from(t - self.t_ref) / self.half_life).exp2();
        if let Store::Dense { sum, touched, .. } = &mut self.store {
            for &p in touched.iter() {
                sum[p as usize] *= f;
            }
        }
        self.t_ref = t;
        let len = ((REBASE_HALF_LIVES * self.half_life).ceil() as usize + 2).min(GROWTH_TABLE);
        self.growth.clear();
        self.growth
            .extend((0..len).map(|d| (d as f64 / self.half_life).exp2()));
    }
}

/// The sweep's state between two dates.
struct State {
    n: usize,
    days: Vec<Day>,
    world: World,
    next_change: usize,
    next_tie: usize,
    /// Ties dated on or before the last date.
    end_tie: usize,
    /// Alliance contribution per pair (symmetric `n × n`).
    alliance: Vec<f64>,
    dirty: Vec<bool>,
    dirty_list: Vec<usize>,
    row: Vec<f64>,
    keys: KeyMap,
    /// Group of each tie event up to `end_tie` (empty beyond 65,535 groups: then `keys`).
    group_of: Vec<u16>,
    groups: Vec<Group>,
    /// Live events of list groups (indices into `Timeline::ties`).
    live: Vec<u32>,
    /// Windowed events of dense groups to subtract at date k:
    /// `expire[expire_start[k]..expire_start[k + 1]]`.
    expire_start: Vec<usize>,
    expire: Vec<u32>,
    /// Local index of each dataset state in the current snapshot (`usize::MAX` if absent).
    local: Vec<usize>,
}

/// Tie events per chunk of the set-up passes, which run on the chunks in parallel (rayon). The
/// results are put together in chunk order, so they do not depend on the chunking or on the
/// number of threads.
const SETUP_CHUNK: usize = 1 << 15;

/// Pass 1 over the tie events up to the last date: their groups (by half-life and whether they
/// are windowed), each group's size, and each event's group (empty beyond 65,535 groups: then
/// look the group up in the key map). Groups are numbered in order of their first event, as a
/// single pass in event order numbers them: each chunk numbers its own keys in order of first
/// appearance (in parallel), the chunks' key lists are merged in chunk order, and each chunk's
/// numbers are then translated to the merged ones.
fn group_events(ties: &[TieEvent]) -> (KeyMap, Vec<usize>, Vec<u16>) {
    group_events_in(ties, SETUP_CHUNK)
}

/// [`group_events`] on chunks of `chunk` events (any size gives the same result; at most
/// 65,536, so that an event's number among its chunk's groups fits in a `u16`).
fn group_events_in(ties: &[TieEvent], chunk: usize) -> (KeyMap, Vec<usize>, Vec<u16>) {
    let chunk = chunk.clamp(1, 1 << 16);
    // Per chunk: its keys in order of first appearance, their counts, and each event's number
    // among them.
    let parts: Vec<(Vec<u64>, Vec<usize>, Vec<u16>)> = ties
        .par_chunks(chunk)
        .map(|chunk| {
            let mut keys = KeyMap::default();
            let mut counts: Vec<usize> = Vec::new();
            let mut local: Vec<u16> = Vec::with_capacity(chunk.len());
            let mut last = (u64::MAX, 0u32); // consecutive events often share a group
            for e in chunk {
                let key = key_of(e);
                let g = if key == last.0 {
                    last.1
                } else {
                    let g = keys.number(key, &mut counts);
                    last = (key, g);
                    g
                };
                counts[g as usize] += 1;
                local.push(g as u16);
            }
            (keys.keys, counts, local)
        })
        .collect();
    let mut keys = KeyMap::default();
    let mut counts: Vec<usize> = Vec::new();
    let mut global: Vec<Vec<u32>> = Vec::with_capacity(parts.len());
    for (chunk_keys, chunk_counts, _) in &parts {
        let to: Vec<u32> = chunk_keys
            .iter()
            .zip(chunk_counts)
            .map(|(&key, &c)| {
                let g = keys.number(key, &mut counts);
                counts[g as usize] += c;
                g
            })
            .collect();
        global.push(to);
    }
    if keys.keys.len() > usize::from(u16::MAX) {
        return (keys, counts, Vec::new());
    }
    let mut group_of = vec![0u16; ties.len()];
    group_of
        .par_chunks_mut(chunk)
        .zip(&parts)
        .zip(&global)
        .for_each(|((out, (_, _, local)), to)| {
            for (o, &g) in out.iter_mut().zip(local) {
                *o = to[g as usize] as u16;
            }
        });
    (keys, counts, group_of)
}

/// The group of tie event `i` (`e`): from `group_of` when it is kept, else from the key map.
#[inline]
fn group_index(group_of: &[u16], keys: &KeyMap, i: usize, e: &TieEvent) -> usize {
    match group_of.get(i) {
        Some(&g) => usize::from(g),
        None => keys.get(key_of(e)).unwrap_or(0) as usize,
    }
}

impl Group {
    /// The group of events with this `key` (half-life and windowed flag), `count` of them among
    /// `n` states: dense sums when it has at least `dense_min` events or never changes once
    /// added, else a list evaluated event by event. Decaying dense groups start on the scale of
    /// day `first`.
    fn build(key: u64, count: usize, n: usize, dense_min: usize, first: Day) -> Group {
        let half_life = f64::from_bits(key & !(1 << 63));
        let windowed = key >> 63 == 1;
        let decaying = half_life.is_finite();
        let dense = count >= dense_min || (!decaying && !windowed);
        let store = if dense {
            Store::Dense {
                sum: vec![0.0; n * n],
                open: if windowed { vec![0; n * n] } else { Vec::new() },
                touched: Vec::new(),
                is_touched: if decaying {
                    vec![false; n * n]
                } else {
                    Vec::new()
                },
            }
        } else {
            Store::List
        };
        let mut g = Group {
            half_life,
            windowed,
            store,
            t_ref: first,
            growth: Vec::new(),
        };
        if decaying && dense {
            g.rebase(first);
        }
        g
    }
}

/// Pass 2: the expirations of dense windowed events, bucketed by the date they happen on, as
/// `(expire_start, expire)` (the `expire_start` and `expire` fields of `State`). An event added at date k (the first date on
/// or after its own) expires at the first date k' ≥ k whose age reaches its duration; when
/// k' = k it is never added at all. Events come in date order, so k advances with a cursor; k'
/// is found by galloping from k.
fn expirations(
    ties: &[TieEvent],
    days: &[Day],
    groups: &[Group],
    group_of: &[u16],
    keys: &KeyMap,
) -> (Vec<usize>, Vec<u32>) {
    expirations_in(ties, days, groups, group_of, keys, SETUP_CHUNK)
}

/// [`expirations`] on chunks of `size` events (any size gives the same result).
fn expirations_in(
    ties: &[TieEvent],
    days: &[Day],
    groups: &[Group],
    group_of: &[u16],
    keys: &KeyMap,
    size: usize,
) -> (Vec<usize>, Vec<u32>) {
    // The chunks run in parallel; each starts its date cursor where a single pass would have it
    // (the number of dates before its first event: events and dates are both ascending), and
    // their lists are concatenated in chunk order, so `expire_at` is the single pass's.
    let parts: Vec<Vec<(u32, u32)>> = ties
        .par_chunks(size)
        .enumerate()
        .map(|(c, chunk)| {
            let base = c * size;
            let mut expire_at: Vec<(u32, u32)> = Vec::new();
            let mut added = chunk
                .first()
                .map_or(0, |e| days.partition_point(|&d| d < e.day));
            for (i, e) in chunk.iter().enumerate().map(|(k, e)| (base + k, e)) {
                let g = &groups[group_index(group_of, keys, i, e)];
                if !g.windowed || matches!(g.store, Store::List) {
                    continue;
                }
                while added < days.len() && days[added] < e.day {
                    added += 1;
                }
                let open = |t: Day| f64::from(t - e.day) < e.duration_or_inf();
                let expires = if added >= days.len() || !open(days[added]) {
                    added
                } else {
                    // open at `lo`; the first closed date is in (lo, hi]
                    let (mut lo, mut step) = (added, 1);
                    while lo + step < days.len() && open(days[lo + step]) {
                        lo += step;
                        step *= 2;
                    }
                    let hi = (lo + step).min(days.len());
                    lo + 1 + days[lo + 1..hi].partition_point(|&t| open(t))
                };
                if expires > added && expires < days.len() {
                    expire_at.push((expires as u32, i as u32));
                }
            }
            expire_at
        })
        .collect();
    let expire_at: Vec<(u32, u32)> = parts.concat();
    let mut expire_start = vec![0usize; days.len() + 1];
    for &(k, _) in &expire_at {
        expire_start[k as usize + 1] += 1;
    }
    for k in 0..days.len() {
        expire_start[k + 1] += expire_start[k];
    }
    let mut fill = expire_start.clone();
    let mut expire = vec![0u32; expire_at.len()];
    for &(k, i) in &expire_at {
        expire[fill[k as usize]] = i;
        fill[k as usize] += 1;
    }
    (expire_start, expire)
}

impl State {
    fn new(tl: &Timeline, dates: &[NaiveDate], dense_min_events: Option<usize>) -> State {
        let n = tl.n_states;
        let days: Vec<Day> = dates.iter().map(|&d| to_day(d)).collect();
        let first = days.first().copied().unwrap_or(Day::MIN);
        let last = days.last().copied().unwrap_or(Day::MIN);
        let end_tie = tl.ties.partition_point(|e| e.day <= last);
        let ties = &tl.ties[..end_tie];

        let (keys, counts, group_of) = group_events(ties);
        let dense_min = dense_min_events
            .unwrap_or(n * n.saturating_sub(1) / 4)
            .max(1);
        let groups: Vec<Group> = keys
            .keys
            .iter()
            .zip(&counts)
            .map(|(&key, &count)| Group::build(key, count, n, dense_min, first))
            .collect();
        let (expire_start, expire) = expirations(ties, &days, &groups, &group_of, &keys);

        State {
            n,
            days,
            world: World::new(tl),
            next_change: 0,
            next_tie: 0,
            end_tie,
            alliance: vec![0.0; n * n],
            dirty: vec![false; n],
            dirty_list: Vec::new(),
            row: vec![0.0; n],
            keys,
            group_of,
            groups,
            live: Vec::new(),
            expire_start,
            expire,
            local: vec![usize::MAX; n],
        }
    }

    #[inline]
    fn group(&self, i: usize, e: &TieEvent) -> usize {
        group_index(&self.group_of, &self.keys, i, e)
    }

    fn mark(&mut self, s: usize) {
        if !self.dirty[s] {
            self.dirty[s] = true;
            self.dirty_list.push(s);
        }
    }

    /// Advances to date `k` (`date`) and returns the snapshot there.
    fn step(&mut self, tl: &Timeline, k: usize, date: NaiveDate) -> Snapshot {
        let t = self.days[k];
        self.rebase_far_groups(t);
        self.apply_changes(tl, t);
        self.refresh_alliance_rows(tl);
        self.add_ties(tl, t);
        self.close_windows(tl, k, t);
        self.read_out(tl, t, date)
    }

    /// Re-bases the decaying groups whose scale would grow too far by day `t`.
    fn rebase_far_groups(&mut self, t: Day) {
        for g in &mut self.groups {
            if g.half_life.is_finite()
                && matches!(g.store, Store::Dense { .. })
                && f64::from(t - g.t_ref) > REBASE_HALF_LIVES * g.half_life
            {
                g.rebase(t);
            }
        }
    }

    /// Applies the structural changes (presence, memberships, base ties) dated up to day `t`,
    /// marking the states whose alliance rows must be recomputed.
    fn apply_changes(&mut self, tl: &Timeline, t: Day) {
        while let Some(&(day, change)) = tl.changes.get(self.next_change) {
            if day > t {
                break;
            }
            match change {
                StructuralChange::Enter(_) | StructuralChange::Exit(_) => {}
                StructuralChange::Join { state, .. }
                | StructuralChange::Leave { state, .. }
                | StructuralChange::Suspend { state, .. }
                | StructuralChange::Resume { state, .. } => self.mark(state as usize),
                StructuralChange::Dissolve(a) | StructuralChange::Retie { alliance: a, .. } => {
                    for s in 0..self.n {
                        if self.world.status(a as usize, s) != Status::None {
                            self.mark(s);
                        }
                    }
                }
            }
            self.world.apply(change);
            self.next_change += 1;
        }
    }

    /// Adds the tie events dated in (previous date, `t`] to their groups.
    fn add_ties(&mut self, tl: &Timeline, t: Day) {
        let n = self.n;
        while self.next_tie < self.end_tie {
            let e = &tl.ties[self.next_tie];
            if e.day > t {
                break;
            }
            let i = self.next_tie;
            self.next_tie += 1;
            if f64::from(t - e.day) >= e.duration_or_inf() {
                continue; // its window closed before this date: it never shows
            }
            let g = self.group(i, e);
            let g = &mut self.groups[g];
            let growth = if g.half_life.is_finite() {
                g.growth(e.day)
            } else {
                1.0
            };
            match &mut g.store {
                Store::List => self.live.push(i as u32),
                Store::Dense {
                    sum,
                    open,
                    touched,
                    is_touched,
                } => {
                    let p = e.a as usize * n + e.b as usize;
                    if g.half_life.is_finite() {
                        sum[p] += e.delta * growth;
                        if !is_touched[p] {
                            is_touched[p] = true;
                            touched.push(p as u32);
                        }
                    } else {
                        sum[p] += e.delta;
                    }
                    if g.windowed {
                        open[p] += 1;
                    }
                }
            }
        }
    }

    /// Removes the events whose windows close on date `k` (day `t`): from the dense sums by the
    /// expiry buckets, from the live list by their age.
    fn close_windows(&mut self, tl: &Timeline, k: usize, t: Day) {
        let n = self.n;
        for x in self.expire_start[k]..self.expire_start[k + 1] {
            let i = self.expire[x] as usize;
            let e = &tl.ties[i];
            let g = self.group(i, e);
            let g = &mut self.groups[g];
            let growth = if g.half_life.is_finite() {
                g.growth(e.day)
            } else {
                1.0
            };
            if let Store::Dense { sum, open, .. } = &mut g.store {
                let p = e.a as usize * n + e.b as usize;
                open[p] -= 1;
                if open[p] == 0 {
                    sum[p] = 0.0;
                } else {
                    sum[p] -= e.delta * growth;
                }
            }
        }
        self.live.retain(|&i| {
            let e = &tl.ties[i as usize];
            f64::from(t - e.day) < e.duration_or_inf()
        });
    }

    /// Recomputes the alliance contribution of every pair involving a state whose memberships
    /// changed, summing alliances in order as the fold does.
    fn refresh_alliance_rows(&mut self, tl: &Timeline) {
        let n = self.n;
        for &s in &self.dirty_list {
            self.row.fill(0.0);
            for a in 0..tl.n_alliances {
                let fs = self.world.status(a, s);
                if fs == Status::None {
                    continue;
                }
                let tie = self.world.tie[a];
                let fs = fs.factor();
                let statuses = &self.world.status[a * n..(a + 1) * n];
                for (j, st) in statuses.iter().enumerate() {
                    if *st == Status::None || j == s {
                        continue;
                    }
                    let fj = st.factor();
                    self.row[j] += if s < j { tie * fs * fj } else { tie * fj * fs };
                }
            }
            for j in 0..n {
                self.alliance[s * n + j] = self.row[j];
                self.alliance[j * n + s] = self.row[j];
            }
            self.dirty[s] = false;
        }
        self.dirty_list.clear();
    }

    /// The snapshot at day `t` from the per-pair state.
    fn read_out(&mut self, tl: &Timeline, t: Day, date: NaiveDate) -> Snapshot {
        let n_all = self.n;
        let states: Vec<usize> = (0..n_all).filter(|&s| self.world.present[s]).collect();
        let n = states.len();
        self.local.fill(usize::MAX);
        for (k, &s) in states.iter().enumerate() {
            self.local[s] = k;
        }
        // Each dense group's scale factor at `t` (1 for a group that does not decay, which is
        // then added without a multiplication).
        let factors: Vec<Option<f64>> = self
            .groups
            .iter()
            .map(|g| {
                g.half_life
                    .is_finite()
                    .then(|| (-f64::from(t - g.t_ref) / g.half_life).exp2())
            })
            .collect();
        let mut raw = vec![0.0f64; n * n];
        for (i, &a) in states.iter().enumerate() {
            let out = &mut raw[i * n..(i + 1) * n];
            let row = &self.alliance[a * n_all..(a + 1) * n_all];
            for (j, &b) in states.iter().enumerate().skip(i + 1) {
                out[j] = row[b];
            }
            for (g, f) in self.groups.iter().zip(&factors) {
                if let Store::Dense { sum, .. } = &g.store {
                    let row = &sum[a * n_all..(a + 1) * n_all];
                    match *f {
                        Some(f) => {
                            for (j, &b) in states.iter().enumerate().skip(i + 1) {
                                out[j] += row[b] * f;
                            }
                        }
                        None => {
                            for (j, &b) in states.iter().enumerate().skip(i + 1) {
                                out[j] += row[b];
                            }
                        }
                    }
                }
            }
        }
        for &i in &self.live {
            let e = &tl.ties[i as usize];
            let (i, j) = (self.local[e.a as usize], self.local[e.b as usize]);
            if i != usize::MAX && j != usize::MAX && i < j {
                raw[i * n + j] += e.value_at(t);
            }
        }
        let mut weights = raw;
        for i in 0..n {
            for j in (i + 1)..n {
                let w = clamp_weight(weights[i * n + j]);
                weights[i * n + j] = w;
                weights[j * n + i] = w;
            }
        }
        let mut memberships = Vec::new();
        for a in 0..tl.n_alliances {
            let mut m = Membership {
                alliance: a,
                active: Vec::new(),
                suspended: Vec::new(),
            };
            for (k, &s) in states.iter().enumerate() {
                match self.world.status(a, s) {
                    Status::None => {}
                    Status::Active => m.active.push(k),
                    Status::Suspended(_) => m.suspended.push(k),
                }
            }
            if !m.active.is_empty() || !m.suspended.is_empty() {
                memberships.push(m);
            }
        }
        Snapshot {
            date,
            states,
            weights,
            memberships,
            split: None,
            calls: std::sync::Arc::clone(&tl.calls),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::date::parse_date;

    fn ds() -> crate::dataset::Dataset {
        crate::dataset::load_str(
            r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"},{"id":"C","name":"C"}],
            "alliances":[{"id":"X","name":"X","tie":0.5}],
            "events":[
              {"date":"2000-01-01","kind":"join","state":"A","alliance":"X"},
              {"date":"2000-01-01","kind":"join","state":"B","alliance":"X"},
              {"date":"2000-03-01","kind":"suspend","state":"B","alliance":"X","factor":0.5},
              {"date":"2000-01-10","kind":"tie","a":"A","b":"C","delta":0.4,"half_life_days":30},
              {"date":"2000-01-10","kind":"tie","a":"B","b":"C","delta":-0.3,"duration_days":45},
              {"date":"2000-02-01","kind":"tie","a":"A","b":"B","delta":0.2,"half_life_days":10,"duration_days":40}
            ]}"#,
            "t",
        )
        .unwrap()
    }

    #[test]
    fn sweep_matches_the_fold_on_a_small_case() {
        let ds = ds();
        let tl = Timeline::new(&ds, "t");
        let dates: Vec<NaiveDate> = [
            "1999-12-31",
            "2000-01-10",
            "2000-01-10",
            "2000-02-20",
            "2000-02-24",
            "2000-03-05",
            "2000-06-01",
        ]
        .iter()
        .map(|d| parse_date(d).unwrap())
        .collect();
        for dense in [None, Some(0), Some(usize::MAX)] {
            let got: Vec<Snapshot> = tl.sweep_tuned(&dates, dense).collect();
            assert_eq!(got.len(), dates.len());
            for (s, &d) in got.iter().zip(&dates) {
                let want = tl.snapshot(d);
                assert_eq!(s.states, want.states);
                assert_eq!(s.memberships, want.memberships);
                for (x, y) in s.weights.iter().zip(&want.weights) {
                    assert!((x - y).abs() <= 1e-12, "{d}: {x} vs {y}");
                }
            }
        }
    }

    #[test]
    fn tie_events_stay_small() {
        assert!(std::mem::size_of::<TieEvent>() <= 40);
        let e = TieEvent::new(5, 2, 1, 0.5, None, Some(3.0));
        assert_eq!(
            (e.a, e.b, e.half_life(), e.duration()),
            (1, 2, None, Some(3.0))
        );
        assert_eq!((e.value_at(7), e.value_at(8)), (0.5, 0.0));
    }

    /// The set-up passes give the same groups, counts and expirations whatever the chunking
    /// (one chunk is the plain single pass in event order).
    #[test]
    fn set_up_passes_do_not_depend_on_the_chunks() {
        // Ascending days, a mix of half-lives and durations whose groups first appear at various
        // places (so that chunks see them in different orders).
        // Groups are keyed by half-life and by whether the event is windowed: up to 2 × 8 groups,
        // past the key map's linear scan.
        let half_lives = [
            None,
            Some(30.0),
            Some(7.5),
            Some(365.0),
            Some(1.0),
            Some(90.0),
            Some(2.5),
            Some(180.0),
        ];
        let durations = [None, Some(10.0), Some(45.0), Some(0.5)];
        let ties: Vec<TieEvent> = (0..600u32)
            .map(|i| {
                let r = i.wrapping_mul(2_654_435_761) >> 7;
                let day = 10_000 + (i / 3) as Day;
                let (a, b) = (r % 5, (r / 5) % 5);
                let b = if a == b { (b + 1) % 5 } else { b };
                let hl = half_lives[(r as usize / 25 + i as usize / 200) % 8];
                let dur = durations[(r as usize / 100) % 4];
                TieEvent::new(day, a, b, 0.25, hl, dur)
            })
            .collect();
        let days: Vec<Day> = (0..40).map(|k| 10_000 + 5 * k).collect();
        let (keys, counts, group_of) = group_events_in(&ties, usize::MAX);
        assert!(
            keys.keys.len() > KeyMap::LINEAR,
            "{} groups",
            keys.keys.len()
        );
        for dense_min in [1, 40, usize::MAX] {
            let groups: Vec<Group> = keys
                .keys
                .iter()
                .zip(&counts)
                .map(|(&k, &c)| Group::build(k, c, 5, dense_min, days[0]))
                .collect();
            let want = expirations_in(&ties, &days, &groups, &group_of, &keys, usize::MAX);
            if dense_min == 1 {
                assert!(want.1.len() > 100, "{} expirations", want.1.len());
            }
            for chunk in [1, 2, 3, 7, 64, 599] {
                let (k, c, g) = group_events_in(&ties, chunk);
                assert_eq!(
                    (&k.keys, &c, &g),
                    (&keys.keys, &counts, &group_of),
                    "chunk {chunk}"
                );
                let got = expirations_in(&ties, &days, &groups, &group_of, &keys, chunk);
                assert_eq!(got, want, "chunk {chunk}, dense_min {dense_min}");
            }
        }
    }

    #[test]
    fn unordered_dates_fall_back_to_the_fold() {
        let ds = ds();
        let tl = Timeline::new(&ds, "t");
        let dates: Vec<NaiveDate> = ["2000-06-01", "2000-01-10"]
            .iter()
            .map(|d| parse_date(d).unwrap())
            .collect();
        let got: Vec<Snapshot> = tl.sweep(&dates).collect();
        assert_eq!(got[0], tl.snapshot(dates[0]));
        assert_eq!(got[1], tl.snapshot(dates[1]));
    }
}
