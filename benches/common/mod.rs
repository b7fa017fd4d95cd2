//! Workload builders shared by the benches: the generated workloads of docs/performance.md,
//! built in memory (no files) so that a bench measures the stage, not the disk.
//!
//! - W1: 200 states, 20 alliances, 1,000,000 tie events over 10 years (120 monthly dates);
//! - W2: 250 states, 40 alliances, 10,000,000 tie events over 40 years (480 monthly dates);
//! - WL: 200 states, 20 alliances, 500,000 tie events over 10 years, every event a 30-day
//!   window without decay (the generator's rows with half-life and duration replaced): about
//!   3,900 positive ties per date, every date's graph on the full-search side of Louvain's
//!   `LARGE_GRAPH` threshold. Built like docs/performance.md's WL (`entente generate … --seed 3`
//!   with the CSV's half-life and duration columns rewritten), from the events in memory.
// Each bench uses only some of the builders.
#![allow(dead_code)]

use chrono::NaiveDate;
use entente::dataset::Dataset;
use entente::date::{series_dates, Step};
use entente::generate::{self, Params};
use entente::model::{TieEvent, Timeline};

/// W1's parameters.
pub fn w1() -> Params {
    Params {
        states: 200,
        alliances: 20,
        events: 1_000_000,
        years: 10,
        seed: 1,
    }
}

/// W2's parameters.
pub fn w2() -> Params {
    Params {
        states: 250,
        alliances: 40,
        events: 10_000_000,
        years: 40,
        seed: 2,
    }
}

/// WL's parameters (its tie events are then made 30-day windows: [`windowed_30`]).
pub fn wl() -> Params {
    Params {
        states: 200,
        alliances: 20,
        events: 500_000,
        years: 10,
        seed: 3,
    }
}

/// The generated dataset and timeline of `p`, with `p`'s tie events (as `entente generate`
/// writes them).
pub fn build(p: &Params) -> (Dataset, Timeline) {
    let ds = generate::dataset(p);
    let tl = Timeline::with_ties(&ds, "dataset.json", generate::tie_events(p), "ties.csv");
    (ds, tl)
}

/// The WL workload: `wl()`'s dataset with every tie event a 30-day window without decay.
pub fn build_wl() -> (Dataset, Timeline) {
    let p = wl();
    let ds = generate::dataset(&p);
    let ties = windowed_30(generate::tie_events(&p));
    let tl = Timeline::with_ties(&ds, "dataset.json", ties, "ties.csv");
    (ds, tl)
}

/// The same events as 30-day windows without decay.
pub fn windowed_30(ties: Vec<TieEvent>) -> Vec<TieEvent> {
    ties.into_iter()
        .map(|t| TieEvent::new(t.day, t.a, t.b, t.delta, None, Some(30.0)))
        .collect()
}

/// The monthly series of dates over `tl`'s span, as `entente metrics` takes by default.
pub fn monthly(tl: &Timeline) -> Vec<NaiveDate> {
    let (from, to) = tl.date_span().expect("a generated workload has events");
    series_dates(from, to, Step::MONTH)
}

/// The last snapshot of a generated dataset of `n` states at W1's density (5,000 tie events per
/// state over 10 years, n / 10 alliances, seed 4), with its dataset: the graphs of the
/// per-snapshot benches (`metrics_snapshot`, `growth`).
pub fn dense_snapshot(n: usize) -> (Dataset, entente::model::Snapshot) {
    let p = Params {
        states: n,
        alliances: n / 10,
        events: 5000 * n as u64,
        years: 10,
        seed: 4,
    };
    let ds = generate::dataset(&p);
    let tl = Timeline::with_ties(&ds, "dataset.json", generate::tie_events(&p), "ties.csv");
    let (_, last) = tl.date_span().expect("a generated dataset has dates");
    let snap = tl.snapshot(last);
    (ds, snap)
}
