//! Work limits for dense datasets: how large a graph the metrics and the network chart may be
//! asked to handle, set from measured cost (docs/testing.md, "Dense-dataset limits") and checked
//! before the work starts, so that a dataset under the loader's 10,000-state cap is refused with
//! a message saying what to do instead of running for minutes or aborting.
//!
//! The size of a graph is its number of states `n` and of ties `e` (nonzero weights). The metrics
//! of one date cost about O(n·e) (weighted clustering, portfolio similarity and the Fiedler value
//! are cubic on a dense graph), the network chart O(n²) per layout iteration plus the drawing of
//! every tie. A command that works on one date checks the snapshot itself
//! ([`GraphSize::of_snapshot`]); a series checks, before any snapshot is built, an upper bound of
//! every date's size ([`GraphSize::bound`]).

use crate::dataset::{Dataset, EventKind};
use crate::error::{Error, Result};
use crate::model::{Snapshot, Timeline};

/// The most `states × ties` one date's metrics may cost: about 8 s of CPU (1,600 states in one
/// alliance; 1,500 took 6.1 s and 2,000 took 23.8 s, measured in docs/testing.md).
pub const MAX_METRICS_WORK: u64 = 2_000_000_000;

/// The most states a network chart draws: its force layout is quadratic in them (3,000 states
/// took 12.9 s, 1,000 took 1.5 s). One constant, so a faster layout changes one line.
pub const MAX_NETWORK_STATES: usize = 2_000;

/// The most ties a network chart draws: each is a thick anti-aliased line (31,125 ties took
/// 6.3 s, 124,750 took 25.3 s).
pub const MAX_NETWORK_TIES: u64 = 40_000;

/// The size of a graph (or an upper bound of it) that the limits are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphSize {
    /// States present.
    pub states: usize,
    /// Ties (pairs with a nonzero weight).
    pub ties: u64,
    /// Whether this is a bound over every date rather than one snapshot's size.
    pub bound: bool,
}

impl GraphSize {
    /// The size of one snapshot. O(n²).
    pub fn of_snapshot(snap: &Snapshot) -> GraphSize {
        GraphSize {
            states: snap.n(),
            ties: snap.ties().count() as u64,
            bound: false,
        }
    }

    /// An upper bound of the size of the graph at every date: all the dataset's states, and
    /// the pairs that can ever be tied (every pair of states that share an alliance at some
    /// time, plus every pair with a tie event), at most n(n−1)/2. O(1) when all pairs of the
    /// states are within the limits (up to 283 states); otherwise O(events + n²/64).
    pub fn bound(ds: &Dataset, tl: &Timeline) -> GraphSize {
        let n = ds.states.len();
        let all_pairs = (n as u64) * (n as u64).saturating_sub(1) / 2;
        let size = |ties| GraphSize {
            states: n,
            ties,
            bound: true,
        };
        if (n as u64).saturating_mul(all_pairs) <= MAX_METRICS_WORK && all_pairs <= MAX_NETWORK_TIES
        {
            return size(all_pairs);
        }
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); ds.alliances.len()];
        // One bit per ordered pair (12.5 MB at the loader's 10,000 states): O(1) per event.
        let mut seen = vec![0u64; (n * n).div_ceil(64)];
        let mut ties = 0u64;
        let mut pair = |a: usize, b: usize| {
            let bit = a.min(b) * n + a.max(b);
            if let Some(word) = seen.get_mut(bit / 64) {
                if *word & (1 << (bit % 64)) == 0 {
                    *word |= 1 << (bit % 64);
                    ties += 1;
                }
            }
        };
        for e in &ds.events {
            match &e.kind {
                EventKind::Join { state, alliance } => {
                    if let Some(m) = members.get_mut(*alliance) {
                        m.push(*state);
                    }
                }
                EventKind::TieDelta(t) => pair(t.a, t.b),
                _ => {}
            }
        }
        for t in tl.tie_events() {
            pair(t.a as usize, t.b as usize);
        }
        for m in &mut members {
            m.sort_unstable();
            m.dedup();
            let k = m.len() as u64;
            ties = ties.saturating_add(k * k.saturating_sub(1) / 2);
        }
        size(ties.min(all_pairs))
    }

    /// `states × ties`, the measure of a date's metrics cost.
    pub fn work(&self) -> u64 {
        (self.states as u64).saturating_mul(self.ties)
    }

    fn describe(&self) -> String {
        if self.bound {
            format!(
                "{} states and up to {} ties at some date",
                self.states, self.ties
            )
        } else {
            format!("{} states and {} ties", self.states, self.ties)
        }
    }
}

/// Refuses metrics on a graph whose `states × ties` exceeds [`MAX_METRICS_WORK`]. `what` names
/// the command's work (`"the metrics"`, `"the network chart's metrics"`).
///
/// ```
/// use entente::limits::{check_metrics, GraphSize};
/// let dense = |n: usize| GraphSize { states: n, ties: (n * (n - 1) / 2) as u64, bound: false };
/// assert!(check_metrics(dense(1_000), "the metrics").is_ok());
/// assert!(check_metrics(dense(3_000), "the metrics").is_err());
/// ```
pub fn check_metrics(size: GraphSize, what: &str) -> Result<()> {
    if size.work() <= MAX_METRICS_WORK {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{what} of a graph of {} would take too long: states × ties is {}, above the limit \
         of {MAX_METRICS_WORK} (about 1,600 states all tied to each other). Use fewer states \
         (a dataset of the states you study) or fewer ties (--without alliance=ID, --without \
         ties, --layer); see docs/testing.md, \"Dense-dataset limits\"",
        size.describe(),
        size.work()
    )))
}

/// Refuses a network chart of more than [`MAX_NETWORK_STATES`] states or
/// [`MAX_NETWORK_TIES`] ties.
///
/// ```
/// use entente::limits::{check_network, GraphSize};
/// assert!(check_network(GraphSize { states: 45, ties: 300, bound: false }).is_ok());
/// assert!(check_network(GraphSize { states: 500, ties: 124_750, bound: false }).is_err());
/// ```
pub fn check_network(size: GraphSize) -> Result<()> {
    if size.states <= MAX_NETWORK_STATES && size.ties <= MAX_NETWORK_TIES {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "a network chart of {} would take too long to draw and could not be read: the limit \
         is {MAX_NETWORK_STATES} states and {MAX_NETWORK_TIES} ties. Draw fewer states (a \
         dataset of the states you study) or fewer ties (--without alliance=ID, --without \
         ties, --layer); see docs/testing.md, \"Dense-dataset limits\"",
        size.describe()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::load_str;

    fn one_alliance(n: usize) -> Dataset {
        let states: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id": "S{i}", "name": "S{i}"}}"#))
            .collect();
        let joins: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"date": "2000-01-01", "kind": "join", "state": "S{i}", "alliance": "A"}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"name": "d", "states": [{}], "alliances": [{{"id": "A", "name": "A", "tie": 0.5}}], "events": [{}]}}"#,
            states.join(","),
            joins.join(",")
        );
        load_str(&json, "d.json").unwrap()
    }

    #[test]
    fn the_bound_counts_alliance_pairs_and_tie_pairs_once() {
        let ds = one_alliance(3000);
        let tl = Timeline::new(&ds, "d.json");
        let b = GraphSize::bound(&ds, &tl);
        assert_eq!(b.ties, 3000 * 2999 / 2);
        assert!(check_metrics(b, "the metrics").is_err());
        // The bound is never below the real size at a date.
        let snap = tl.snapshot(chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap());
        let s = GraphSize::of_snapshot(&snap);
        assert_eq!((s.states, s.ties), (3000, b.ties));
    }

    #[test]
    fn many_states_without_ties_pass() {
        let mut ds = one_alliance(5000);
        ds.events.truncate(10);
        let tl = Timeline::new(&ds, "d.json");
        let b = GraphSize::bound(&ds, &tl);
        assert_eq!(b.ties, 45);
        assert!(check_metrics(b, "the metrics").is_ok());
        assert!(
            check_network(b).is_err(),
            "5000 states are too many to draw"
        );
    }
}
