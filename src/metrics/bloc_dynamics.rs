//! Bloc dynamics over a series of dates: bloc labels kept consistent from date to date, each
//! state's `flexibility`, the `allegiance` of two states, and the list of bloc `switches`.
//!
//! Input: the blocs of each date (any partition of the states present then, e.g. the signed
//! blocs), states named by a stable index (the dataset's), dates in ascending order.
//!
//! - Labels (overlap matching): the blocs of the first date get labels 0, 1, 2, … in order.
//!   At each later date, every pair (bloc, bloc of the previous date) sharing s > 0 states is
//!   listed; taking the pairs by s descending (ties: the bloc's position, then the previous
//!   bloc's), a bloc takes the previous bloc's label when neither is matched yet. Blocs left
//!   unmatched get new labels, never used before. This is the matching the charts use for bloc
//!   colours, chained date to date instead of against one reference date, so a bloc keeps its
//!   label through gradual change. Single-state blocs are blocs like any other.
//! - Flexibility of a state: over the consecutive pairs of dates at which it is present at
//!   both, the share on which its bloc label changes (Bassett et al.'s node flexibility). Left
//!   out for a state never present at two consecutive dates.
//! - Allegiance of two states: over the dates at which both are present, the share at which
//!   they are in the same bloc. Left out for pairs never present together.
//! - Switches: (date, state, from label, to label) whenever a state present at two consecutive
//!   dates changes label, in date order then state order.
//!
//! Complexity: O(T·(n + b²)) for the labels (b blocs per date), O(T·n²) for allegiance, with T
//! dates and n states present per date; O(N²) memory for N = the largest state index + 1.

use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One date's partition: blocs of state indices.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedBlocs {
    /// The date.
    pub date: NaiveDate,
    /// The blocs at that date, each a list of state indices.
    pub blocs: Vec<Vec<usize>>,
}

/// A state changing bloc between two consecutive dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Switch {
    /// The later date (the first at which the state is in its new bloc).
    pub date: NaiveDate,
    /// The state index.
    pub state: usize,
    /// Its bloc label at the previous date.
    pub from: usize,
    /// Its bloc label at `date`.
    pub to: usize,
}

/// The dynamics of a series of partitions.
#[derive(Debug, Clone, PartialEq)]
pub struct BlocDynamics {
    /// Per date, the label of each bloc (in the order of the input blocs).
    pub labels: Vec<Vec<usize>>,
    /// State → flexibility in [0, 1].
    pub flexibility: BTreeMap<usize, f64>,
    /// (a, b) with a < b → allegiance in [0, 1].
    pub allegiance: BTreeMap<(usize, usize), f64>,
    /// Every change of bloc, by date then state.
    pub switches: Vec<Switch>,
}

/// The consistent labels, flexibility, allegiance and switches of `series` (ascending dates).
///
/// ```
/// use chrono::NaiveDate;
/// use entente::metrics::bloc_dynamics::{bloc_dynamics, DatedBlocs};
/// let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
/// // State 2 leaves the bloc of 0 and 1 for the bloc of 3 and 4.
/// let series = [
///     DatedBlocs { date: d(2020), blocs: vec![vec![0, 1, 2], vec![3, 4]] },
///     DatedBlocs { date: d(2021), blocs: vec![vec![0, 1], vec![2, 3, 4]] },
/// ];
/// let dy = bloc_dynamics(&series);
/// assert_eq!(dy.labels, vec![vec![0, 1], vec![0, 1]]);
/// assert_eq!((dy.switches[0].state, dy.switches[0].from, dy.switches[0].to), (2, 0, 1));
/// assert_eq!(dy.flexibility[&2], 1.0);
/// assert_eq!(dy.allegiance[&(0, 2)], 0.5);
/// ```
pub fn bloc_dynamics(series: &[DatedBlocs]) -> BlocDynamics {
    let universe = series
        .iter()
        .flat_map(|d| d.blocs.iter().flatten())
        .max()
        .map_or(0, |&s| s + 1);
    let mut labels: Vec<Vec<usize>> = Vec::with_capacity(series.len());
    let mut next_label = 0usize;
    // Label of each state at the previous date (usize::MAX: absent).
    let mut prev_of = vec![usize::MAX; universe];
    let mut cur_of = vec![usize::MAX; universe];
    let mut changes = vec![0usize; universe];
    let mut steps = vec![0usize; universe];
    let mut together = vec![0u32; universe * universe];
    let mut present = vec![0u32; universe * universe];
    let mut switches = Vec::new();
    for (t, d) in series.iter().enumerate() {
        let lab = if t == 0 {
            (0..d.blocs.len()).collect()
        } else {
            match_blocs(
                &series[t - 1].blocs,
                &labels[t - 1],
                &d.blocs,
                &mut next_label,
            )
        };
        if t == 0 {
            next_label = d.blocs.len();
        }
        cur_of.iter_mut().for_each(|x| *x = usize::MAX);
        for (b, bloc) in d.blocs.iter().enumerate() {
            for &s in bloc {
                cur_of[s] = lab[b];
            }
        }
        let mut here: Vec<usize> = d.blocs.iter().flatten().copied().collect();
        here.sort_unstable();
        for &s in &here {
            if prev_of[s] != usize::MAX {
                steps[s] += 1;
                if prev_of[s] != cur_of[s] {
                    changes[s] += 1;
                    switches.push(Switch {
                        date: d.date,
                        state: s,
                        from: prev_of[s],
                        to: cur_of[s],
                    });
                }
            }
        }
        for (x, &a) in here.iter().enumerate() {
            for &b in &here[x + 1..] {
                present[a * universe + b] += 1;
                if cur_of[a] == cur_of[b] {
                    together[a * universe + b] += 1;
                }
            }
        }
        std::mem::swap(&mut prev_of, &mut cur_of);
        labels.push(lab);
    }
    let flexibility = (0..universe)
        .filter(|&s| steps[s] > 0)
        .map(|s| (s, changes[s] as f64 / steps[s] as f64))
        .collect();
    let mut allegiance = BTreeMap::new();
    for a in 0..universe {
        for b in (a + 1)..universe {
            let p = present[a * universe + b];
            if p > 0 {
                allegiance.insert((a, b), f64::from(together[a * universe + b]) / f64::from(p));
            }
        }
    }
    BlocDynamics {
        labels,
        flexibility,
        allegiance,
        switches,
    }
}

/// The labels of `blocs` matched to the previous date's `prev` blocs (labelled `prev_labels`)
/// by overlap; unmatched blocs get new labels from `next_label` on.
fn match_blocs(
    prev: &[Vec<usize>],
    prev_labels: &[usize],
    blocs: &[Vec<usize>],
    next_label: &mut usize,
) -> Vec<usize> {
    let mut owner: BTreeMap<usize, usize> = BTreeMap::new();
    for (r, b) in prev.iter().enumerate() {
        for &s in b {
            owner.insert(s, r);
        }
    }
    // (shared, bloc, previous bloc)
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, b) in blocs.iter().enumerate() {
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for s in b {
            if let Some(&r) = owner.get(s) {
                *shared.entry(r).or_insert(0) += 1;
            }
        }
        pairs.extend(shared.into_iter().map(|(r, c)| (c, i, r)));
    }
    pairs.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut out = vec![usize::MAX; blocs.len()];
    let mut used = vec![false; prev.len()];
    for (_, i, r) in pairs {
        if out[i] == usize::MAX && !used[r] {
            out[i] = prev_labels[r];
            used[r] = true;
        }
    }
    for l in out.iter_mut().filter(|l| **l == usize::MAX) {
        *l = *next_label;
        *next_label += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, 1, 1).unwrap()
    }

    fn at(y: i32, blocs: &[&[usize]]) -> DatedBlocs {
        DatedBlocs {
            date: d(y),
            blocs: blocs.iter().map(|b| b.to_vec()).collect(),
        }
    }

    #[test]
    fn labels_follow_their_members() {
        // The blocs are listed in a different order each date; a new bloc gets a new label, a
        // bloc that merges with another keeps the label of the larger overlap.
        let series = [
            at(2000, &[&[0, 1, 2], &[3, 4]]),
            at(2001, &[&[3, 4], &[0, 1, 2]]),
            at(2002, &[&[3], &[0, 1], &[2, 4, 5]]),
            at(2003, &[&[0, 1, 2, 3, 4, 5]]),
        ];
        let dy = bloc_dynamics(&series);
        assert_eq!(dy.labels[0], vec![0, 1]);
        assert_eq!(dy.labels[1], vec![1, 0]);
        // {3} and {2,4,5} both share one state with {3,4}; {2,4,5} shares one with {0,1,2}
        // too, and {0,1} shares two, so {0,1} keeps 0; {3} (earlier in the list) keeps 1;
        // {2,4,5} is new: 2.
        assert_eq!(dy.labels[2], vec![1, 0, 2]);
        // Everyone together: the largest overlap is {2,4,5} (3 states).
        assert_eq!(dy.labels[3], vec![2]);
    }

    #[test]
    fn flexibility_allegiance_and_switches_by_hand() {
        // 0 and 1 stay together; 2 goes from 0's bloc to 3's and back; 3 is absent in 2001.
        let series = [
            at(2000, &[&[0, 1, 2], &[3]]),
            at(2001, &[&[0, 1], &[2]]),
            at(2002, &[&[0, 1, 2], &[3]]),
        ];
        let dy = bloc_dynamics(&series);
        // 3 comes back after a date away: a new label (matching is date to date).
        assert_eq!(dy.labels, vec![vec![0, 1], vec![0, 2], vec![0, 3]]);
        assert_eq!(dy.flexibility[&0], 0.0);
        assert_eq!(dy.flexibility[&2], 1.0);
        // 3 is never present at two consecutive dates.
        assert!(!dy.flexibility.contains_key(&3));
        assert_eq!(dy.allegiance[&(0, 1)], 1.0);
        assert!((dy.allegiance[&(0, 2)] - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(dy.allegiance[&(2, 3)], 0.0);
        let got: Vec<(NaiveDate, usize, usize, usize)> = dy
            .switches
            .iter()
            .map(|s| (s.date, s.state, s.from, s.to))
            .collect();
        assert_eq!(got, vec![(d(2001), 2, 0, 2), (d(2002), 2, 2, 0)]);
        assert_eq!(bloc_dynamics(&[]).labels, Vec::<Vec<usize>>::new());
    }
}
