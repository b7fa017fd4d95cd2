//! Deterministic synthetic workloads for benchmarks and scale checks: a dataset (states,
//! alliances, memberships that change over the years, a few states entering and leaving) and a
//! stream of tie events spread over the years, heavy-tailed across pairs as real event data is.
//!
//! Same parameters and seed, same bytes: the random numbers come from SplitMix64 (a small,
//! well-known generator, written here so that no dependency update can change the output), with one
//! independent stream per purpose.
//!
//! The tie events:
//! - dates: a daily rate that varies (noise, a yearly cycle and rare bursts), the events of a day
//!   written in order, so the file is in date order;
//! - pairs: Zipf-distributed (exponent 0.9) over a seeded random ranking of all pairs, so a few
//!   pairs carry much of the traffic and most pairs see little;
//! - deltas: in [−1, 1], in hundredths, around a per-pair disposition (some pairs friendly, some
//!   hostile);
//! - kinds: 20 % permanent (small deltas), 50 % decaying (half-life 30, 90 or 365 days), 20 %
//!   windowed (30 or 180 days), 10 % decaying and windowed (half-life 60, 365 days).
//!
//! Nothing here does IO except [`write_files`].

use crate::base::Rng;
use crate::dataset::{Alliance, AllianceKind, Dataset, Event, EventKind, State};
use crate::date::{fmt_date, from_day, to_day, Day};
use crate::error::{Error, Result};
use crate::model::TieEvent;
use chrono::NaiveDate;
use std::io::{self, Write};
use std::path::Path;

/// The parameters of a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// Number of states.
    pub states: usize,
    /// Number of alliances.
    pub alliances: usize,
    /// Number of tie events (rows of `ties.csv`).
    pub events: u64,
    /// Years covered, from 1980-01-01.
    pub years: u32,
    /// Random seed: the same seed gives the same bytes.
    pub seed: u64,
}

impl Params {
    /// Largest accepted values (the pair table is `states²/2` entries).
    pub const MAX_STATES: usize = 5000;
    /// Largest number of alliances accepted.
    pub const MAX_ALLIANCES: usize = 1000;
    /// Largest number of tie events accepted.
    pub const MAX_EVENTS: u64 = 2_000_000_000;
    /// Largest number of years accepted.
    pub const MAX_YEARS: u32 = 400;

    /// Checks the parameters; the message names the offending one.
    pub fn check(&self) -> std::result::Result<(), String> {
        if !(2..=Self::MAX_STATES).contains(&self.states) {
            return Err(format!(
                "--states {}: expected 2 to {}",
                self.states,
                Self::MAX_STATES
            ));
        }
        if self.alliances > Self::MAX_ALLIANCES {
            return Err(format!(
                "--alliances {}: expected at most {}",
                self.alliances,
                Self::MAX_ALLIANCES
            ));
        }
        if self.events > Self::MAX_EVENTS {
            return Err(format!(
                "--events {}: expected at most {}",
                self.events,
                Self::MAX_EVENTS
            ));
        }
        if !(1..=Self::MAX_YEARS).contains(&self.years) {
            return Err(format!(
                "--years {}: expected 1 to {}",
                self.years,
                Self::MAX_YEARS
            ));
        }
        Ok(())
    }

    /// The first day of the workload (1980-01-01).
    pub fn start(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The day after the last day of the workload (start + years).
    pub fn end(&self) -> NaiveDate {
        self.start()
            .checked_add_months(chrono::Months::new(12 * self.years))
            .unwrap_or(NaiveDate::MAX)
    }
}

const STREAM_MEMBERS: u64 = 1;
const STREAM_PRESENCE: u64 = 2;
const STREAM_PAIRS: u64 = 3;
const STREAM_RATES: u64 = 4;
const STREAM_TIES: u64 = 5;

fn width(n: usize, min: usize) -> usize {
    n.to_string().len().max(min)
}

/// The id of state `i` (0-based): `S001`, `S002`, …
pub fn state_id(p: &Params, i: usize) -> String {
    format!("S{:0w$}", i + 1, w = width(p.states, 3))
}

/// The id of alliance `k` (0-based): `A01`, `A02`, …
pub fn alliance_id(p: &Params, k: usize) -> String {
    format!("A{:0w$}", k + 1, w = width(p.alliances, 2))
}

/// When each state is present: `[enter, exit)` in days (`Day::MIN`/`Day::MAX` when it has no
/// enter/exit event). One state in 50 (from the 20th) enters during the first 60 % of the span and one in 100
/// exits during the last 30 % (never the first two states, which are always present).
fn presence(p: &Params) -> Vec<(Day, Day)> {
    let (start, end) = (to_day(p.start()), to_day(p.end()));
    let span = i64::from(end - start);
    let mut rng = Rng::new(p.seed, STREAM_PRESENCE);
    (0..p.states)
        .map(|i| {
            let enter = if p.states >= 20 && i % 50 == 19 {
                start + 1 + rng.below((span * 6 / 10).max(1) as u64) as Day
            } else {
                Day::MIN
            };
            let exit = if p.states >= 20 && i % 100 == 37 {
                start + (span * 7 / 10) as Day + rng.below((span * 3 / 10).max(1) as u64) as Day
            } else {
                Day::MAX
            };
            (enter, exit)
        })
        .collect()
}

fn present(pr: &[(Day, Day)], s: usize, day: Day) -> bool {
    pr[s].0 <= day && day < pr[s].1
}

/// The workload's dataset: states, alliances and their membership events (no tie events: those
/// come from [`ties`]).
pub fn dataset(p: &Params) -> Dataset {
    let pr = presence(p);
    let states: Vec<State> = (0..p.states)
        .map(|i| State {
            id: state_id(p, i),
            name: format!("State {}", i + 1),
            codes: Default::default(),
        })
        .collect();
    let mut rng = Rng::new(p.seed, STREAM_MEMBERS);
    let mut alliances = Vec::new();
    let mut dated: Vec<(Day, EventKind)> = Vec::new();
    for (s, &(enter, exit)) in pr.iter().enumerate() {
        if enter != Day::MIN {
            dated.push((enter, EventKind::Enter { state: s }));
        }
        if exit != Day::MAX {
            dated.push((exit, EventKind::Exit { state: s }));
        }
    }
    for k in 0..p.alliances {
        alliances.push(alliance_history(p, &pr, k, &mut rng, &mut dated));
    }
    dated.sort_by_key(|&(d, _)| d); // stable: same day keeps generation order
    Dataset {
        name: "synthetic".to_string(),
        description: Some(format!(
            "Synthetic workload: entente generate --states {} --alliances {} --events {} --years {} --seed {}",
            p.states, p.alliances, p.events, p.years, p.seed
        )),
        sources: Vec::new(),
        states,
        alliances,
        events: dated
            .into_iter()
            .map(|(d, kind)| Event {
                date: from_day(d),
                kind,
                id: None,
                tags: Vec::new(),
                note: None,
                source: None,
            })
            .collect(),
        ..Dataset::default()
    }
}

/// Membership status of a state in the alliance being generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    No,
    Active,
    Suspended,
}

/// Alliance `k`: its base tie, its founding members, about one membership change every four
/// years and, for every tenth alliance, its dissolution; the events go to `dated`.
fn alliance_history(
    p: &Params,
    pr: &[(Day, Day)],
    k: usize,
    rng: &mut Rng,
    dated: &mut Vec<(Day, EventKind)>,
) -> Alliance {
    let (start, end) = (to_day(p.start()), to_day(p.end()));
    let span = (end - start).max(1) as u64;
    let tie = (30.0 + rng.below(71) as f64) / 100.0;
    let alliance = Alliance {
        id: alliance_id(p, k),
        name: format!("Alliance {}", k + 1),
        kind: AllianceKind::ALL[k % AllianceKind::ALL.len()],
        tie,
    };
    let founded = start + rng.below(span / 4 + 1) as Day;
    let mut status = founding_members(p, pr, k, founded, rng, dated);
    let mut members = status.iter().filter(|&&m| m == Member::Active).count();
    let dissolves = k % 10 == 9;
    let last = if dissolves {
        end - (span / 8) as Day
    } else {
        end
    };
    let n_changes = p.years as usize / 4 + 1;
    let mut days: Vec<Day> = (0..n_changes)
        .map(|_| founded + 1 + rng.below(((last - founded - 1).max(1)) as u64) as Day)
        .collect();
    days.sort_unstable();
    for day in days {
        if let Some(kind) = membership_change(p, pr, k, day, &mut status, members, rng) {
            match kind {
                EventKind::Join { .. } => members += 1,
                EventKind::Leave { .. } => members -= 1,
                _ => {}
            }
            dated.push((day, kind));
        }
    }
    if dissolves && members > 0 {
        dated.push((last, EventKind::Dissolve { alliance: k }));
    }
    alliance
}

/// 3 to 30 members present on the founding day, drawn at random (at most 20 draws per seat);
/// their joins go to `dated`. Returns every state's status.
fn founding_members(
    p: &Params,
    pr: &[(Day, Day)],
    k: usize,
    founded: Day,
    rng: &mut Rng,
    dated: &mut Vec<(Day, EventKind)>,
) -> Vec<Member> {
    let size = (3 + rng.below(28) as usize).min(p.states);
    let mut status = vec![Member::No; p.states];
    let mut members = 0;
    for _ in 0..size * 20 {
        if members == size {
            break;
        }
        let s = rng.below(p.states as u64) as usize;
        if status[s] == Member::No && present(pr, s, founded) {
            status[s] = Member::Active;
            members += 1;
            dated.push((
                founded,
                EventKind::Join {
                    state: s,
                    alliance: k,
                },
            ));
        }
    }
    status
}

/// One random membership change of alliance `k` on `day` (join, leave while more than two
/// members, suspend, resume, or a new base tie), updating `status`; `None` when no present
/// state fits within 64 draws.
fn membership_change(
    p: &Params,
    pr: &[(Day, Day)],
    k: usize,
    day: Day,
    status: &mut [Member],
    members: usize,
    rng: &mut Rng,
) -> Option<EventKind> {
    let pick = |rng: &mut Rng, want: &dyn Fn(usize) -> bool| -> Option<usize> {
        (0..64)
            .map(|_| rng.below(p.states as u64) as usize)
            .find(|&s| want(s) && present(pr, s, day))
    };
    let kind = match rng.below(10) {
        0..=2 => {
            let state = pick(rng, &|s| status[s] == Member::No)?;
            status[state] = Member::Active;
            EventKind::Join { state, alliance: k }
        }
        3 | 4 if members > 2 => {
            let state = pick(rng, &|s| status[s] != Member::No)?;
            status[state] = Member::No;
            EventKind::Leave { state, alliance: k }
        }
        5 | 6 => {
            let state = pick(rng, &|s| status[s] == Member::Active)?;
            status[state] = Member::Suspended;
            EventKind::Suspend {
                state,
                alliance: k,
                factor: rng.below(6) as f64 / 10.0,
            }
        }
        7 | 8 => {
            let state = pick(rng, &|s| status[s] == Member::Suspended)?;
            status[state] = Member::Active;
            EventKind::Resume { state, alliance: k }
        }
        _ => EventKind::Retie {
            alliance: k,
            tie: (30.0 + rng.below(71) as f64) / 100.0,
        },
    };
    Some(kind)
}

/// One generated tie row: dataset state indices, the delta in hundredths, half-life and duration
/// in whole days (0 = none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The day of the row.
    pub day: Day,
    /// One state of the pair (dataset index).
    pub a: u32,
    /// The other state of the pair (dataset index).
    pub b: u32,
    /// The delta in hundredths.
    pub hundredths: i16,
    /// Half-life in days (0 = none).
    pub half_life: u16,
    /// Duration in days (0 = none).
    pub duration: u16,
}

impl Row {
    /// The row as a [`TieEvent`] (parsing its CSV text gives the same values).
    pub fn event(&self) -> TieEvent {
        let opt = |x: u16| (x > 0).then_some(f64::from(x));
        TieEvent::new(
            self.day,
            self.a,
            self.b,
            f64::from(self.hundredths) / 100.0,
            opt(self.half_life),
            opt(self.duration),
        )
    }
}

/// The stream of tie rows of a workload, in date order.
pub struct Ties {
    pr: Vec<(Day, Day)>,
    /// Cumulative Zipf weights over ranked pairs.
    cdf: Vec<f64>,
    /// Pair of each rank: `(a, b)`, `a < b`.
    pairs: Vec<(u32, u32)>,
    /// Disposition of each rank, in hundredths.
    mood: Vec<i16>,
    /// Events to emit by the end of each day (cumulative).
    quota: Vec<u64>,
    start: Day,
    day: usize,
    emitted: u64,
    rng: Rng,
}

/// The tie rows of a workload (an iterator of [`Row`]; the dataset must be [`dataset`]`(p)`).
pub fn ties(p: &Params) -> Ties {
    let pr = presence(p);
    let (start, end) = (to_day(p.start()), to_day(p.end()));
    let n_days = (end - start).max(1) as usize;
    // Pairs ranked in a seeded random order, Zipf weights by rank.
    let mut rng = Rng::new(p.seed, STREAM_PAIRS);
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(p.states * (p.states - 1) / 2);
    for a in 0..p.states as u32 {
        for b in a + 1..p.states as u32 {
            pairs.push((a, b));
        }
    }
    for i in (1..pairs.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        pairs.swap(i, j);
    }
    let mut cdf = Vec::with_capacity(pairs.len());
    let mut acc = 0.0;
    for r in 0..pairs.len() {
        acc += 1.0 / ((r + 1) as f64).powf(0.9);
        cdf.push(acc);
    }
    let mood: Vec<i16> = (0..pairs.len())
        .map(|_| (rng.below(121) as i16 - 45).clamp(-60, 60))
        .collect();
    // Daily rates: noise, a yearly cycle, rare bursts.
    let mut rng = Rng::new(p.seed, STREAM_RATES);
    let rates: Vec<f64> = (0..n_days)
        .map(|d| {
            let season = 1.0 + 0.3 * (d as f64 * std::f64::consts::TAU / 365.25).sin();
            let burst = if rng.below(200) == 0 { 5.0 } else { 1.0 };
            (0.5 + rng.unit()) * season * burst
        })
        .collect();
    let total: f64 = rates.iter().sum();
    let mut quota = Vec::with_capacity(n_days);
    let mut cum = 0.0;
    for r in &rates {
        cum += r;
        quota.push(((cum / total) * p.events as f64).round() as u64);
    }
    if let Some(q) = quota.last_mut() {
        *q = p.events;
    }
    Ties {
        pr,
        cdf,
        pairs,
        mood,
        quota,
        start,
        day: 0,
        emitted: 0,
        rng: Rng::new(p.seed, STREAM_TIES),
    }
}

impl Iterator for Ties {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        while self.day < self.quota.len() && self.emitted >= self.quota[self.day] {
            self.day += 1;
        }
        if self.day >= self.quota.len() {
            return None;
        }
        self.emitted += 1;
        let day = self.start + self.day as Day;
        let total = self.cdf.last().copied().unwrap_or(0.0);
        let mut rank = 0;
        for _ in 0..64 {
            let u = self.rng.unit() * total;
            rank = self
                .cdf
                .partition_point(|&c| c <= u)
                .min(self.cdf.len() - 1);
            let (a, b) = self.pairs[rank];
            if present(&self.pr, a as usize, day) && present(&self.pr, b as usize, day) {
                break;
            }
            rank = usize::MAX;
        }
        let (a, b, mood) = if rank == usize::MAX {
            (0, 1, 0) // the first two states are always present
        } else {
            (self.pairs[rank].0, self.pairs[rank].1, self.mood[rank])
        };
        let noise = self.rng.below(91) as i16 - 45;
        let kind = self.rng.below(10);
        let choice = self.rng.below(6) as usize;
        let mut hundredths = (mood + noise).clamp(-100, 100);
        let (half_life, duration) = match kind {
            0 | 1 => {
                hundredths /= 10; // lasting shifts are small
                (0, 0)
            }
            2..=6 => ([30, 90, 365][choice % 3], 0),
            7 | 8 => (0, [30, 180][choice % 2]),
            _ => ([60, 365][choice % 2], 365),
        };
        Some(Row {
            day,
            a,
            b,
            hundredths,
            half_life,
            duration,
        })
    }
}

/// The workload's tie events in memory (for benchmarks; files hold them as [`write_ties_csv`]).
pub fn tie_events(p: &Params) -> Vec<TieEvent> {
    let mut v = Vec::with_capacity(p.events as usize);
    v.extend(ties(p).map(|r| r.event()));
    v
}

/// Streams the workload's tie CSV (header included) to `w`: rows are formatted into a reused
/// buffer, never held all at once.
pub fn write_ties_csv(p: &Params, w: &mut dyn Write) -> io::Result<()> {
    let ids: Vec<String> = (0..p.states).map(|i| state_id(p, i)).collect();
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    buf.extend_from_slice(crate::dataset::ties_csv::HEADER.as_bytes());
    buf.push(b'\n');
    let mut date_day = Day::MIN;
    let mut date = [0u8; 10];
    for r in ties(p) {
        if r.day != date_day {
            date_day = r.day;
            date.copy_from_slice(fmt_date(from_day(r.day)).as_bytes());
        }
        buf.extend_from_slice(&date);
        buf.push(b',');
        buf.extend_from_slice(ids[r.a as usize].as_bytes());
        buf.push(b',');
        buf.extend_from_slice(ids[r.b as usize].as_bytes());
        buf.push(b',');
        push_hundredths(&mut buf, r.hundredths);
        buf.push(b',');
        if r.half_life > 0 {
            push_uint(&mut buf, u64::from(r.half_life));
        }
        buf.push(b',');
        if r.duration > 0 {
            push_uint(&mut buf, u64::from(r.duration));
        }
        buf.push(b'\n');
        if buf.len() >= (1 << 16) - 64 {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    w.write_all(&buf)
}

fn push_uint(buf: &mut Vec<u8>, x: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let mut x = x;
    loop {
        i -= 1;
        tmp[i] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// `k/100` in its shortest form: `-0.45`, `0.5`, `1`, `0`.
fn push_hundredths(buf: &mut Vec<u8>, k: i16) {
    if k < 0 {
        buf.push(b'-');
    }
    let k = k.unsigned_abs();
    push_uint(buf, u64::from(k / 100));
    let frac = k % 100;
    if frac != 0 {
        buf.push(b'.');
        buf.push(b'0' + (frac / 10) as u8);
        if frac % 10 != 0 {
            buf.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// Writes `DIR/dataset.json` and `DIR/ties.csv` (creating `DIR`), each atomically. Returns the
/// dataset.
pub fn write_files(p: &Params, dir: &Path) -> Result<Dataset> {
    p.check().map_err(Error::Usage)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let ds = dataset(p);
    let json = crate::dataset::write::to_json_string(&ds);
    crate::output::write_atomic(&dir.join("dataset.json"), json.as_bytes())?;
    crate::output::write_atomic_with(&dir.join("ties.csv"), |w| write_ties_csv(p, w))?;
    Ok(ds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Params {
        Params {
            states: 40,
            alliances: 12,
            events: 5000,
            years: 12,
            seed: 7,
        }
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let csv = |p: &Params| {
            let mut v = Vec::new();
            write_ties_csv(p, &mut v).unwrap();
            v
        };
        let p = small();
        assert_eq!(csv(&p), csv(&p));
        assert_eq!(
            crate::dataset::write::to_json_string(&dataset(&p)),
            crate::dataset::write::to_json_string(&dataset(&p))
        );
        let q = Params { seed: 8, ..p };
        assert_ne!(csv(&p), csv(&q));
    }

    #[test]
    fn workload_is_valid_in_order_and_without_warnings() {
        let p = small();
        let ds = dataset(&p);
        ds.check().unwrap();
        let mut text = Vec::new();
        write_ties_csv(&p, &mut text).unwrap();
        let read = crate::dataset::ties_csv::read_ties(&ds, &text[..], "ties.csv").unwrap();
        assert_eq!(read.len() as u64, p.events);
        assert_eq!(read, tie_events(&p), "the CSV text reads back as the rows");
        assert!(read.windows(2).all(|w| w[0].day <= w[1].day));
        let (start, end) = (to_day(p.start()), to_day(p.end()));
        assert!(read.iter().all(|t| start <= t.day && t.day < end));
        assert!(read.iter().all(|t| (-1.0..=1.0).contains(&t.delta)));
        assert!(read
            .iter()
            .any(|t| t.half_life().is_some() && t.duration().is_some()));
        assert!(read
            .iter()
            .any(|t| t.half_life().is_none() && t.duration().is_none()));
        let tl = crate::model::Timeline::with_ties(&ds, "d", read, "ties.csv");
        assert!(tl.warnings.is_empty(), "{:?}", tl.warnings);
        assert_eq!(tl.ties.len() as u64, p.events);
        let kinds: std::collections::BTreeSet<&str> =
            ds.events.iter().map(|e| e.kind.name()).collect();
        for k in [
            "enter", "exit", "join", "leave", "suspend", "resume", "retie", "dissolve",
        ] {
            assert!(kinds.contains(k), "no {k} event in {kinds:?}");
        }
    }

    #[test]
    fn pairs_are_heavy_tailed() {
        let p = Params {
            events: 20000,
            ..small()
        };
        let mut counts = std::collections::HashMap::new();
        for r in ties(&p) {
            *counts.entry((r.a, r.b)).or_insert(0usize) += 1;
        }
        let mut c: Vec<usize> = counts.values().copied().collect();
        c.sort_unstable_by(|a, b| b.cmp(a));
        let top10: usize = c.iter().take(10).sum();
        // 780 pairs: uniform would give the top 10 about 1.3 % of the events.
        assert!(
            top10 * 100 > 15 * 20000,
            "top 10 pairs hold {top10} of 20000"
        );
    }

    #[test]
    fn hundredths_are_written_in_shortest_form() {
        for (k, s) in [
            (-45, "-0.45"),
            (50, "0.5"),
            (100, "1"),
            (0, "0"),
            (-3, "-0.03"),
        ] {
            let mut b = Vec::new();
            push_hundredths(&mut b, k);
            assert_eq!(String::from_utf8(b).unwrap(), s);
            assert_eq!(s.parse::<f64>().unwrap(), f64::from(k) / 100.0);
        }
    }
}
