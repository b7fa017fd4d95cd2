//! The story a report leads with: which alliances and states to focus on, the key dates around
//! the focal alliance's largest change in cohesion, and a summary paragraph written from the
//! data. Chosen from the series when the caller (flags or the dataset's `view`) does not say.
//! No IO.

use crate::dataset::Dataset;
use crate::date::fmt_date;
use crate::metrics::SeriesPoint;
use crate::model::Timeline;
use crate::plot::{Palette, Series, TimelineChart};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What the report focuses on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Story {
    /// Focal alliances (dataset indices).
    pub focus: Vec<usize>,
    /// Focal states (dataset indices): one ego chart each.
    pub states: Vec<usize>,
    /// Key dates (ascending): the networks before/after and the change heatmap between them.
    pub key: Vec<NaiveDate>,
    /// Summary sentences, in reading order.
    pub summary: Vec<String>,
}

/// The pair of indices `(i, j)`, `i < j`, of present values with the largest `|v[j] − v[i]|`;
/// among equal changes the shortest span (so a plateau before a fall gives its last date).
/// `None` when fewer than two values are present or nothing changes. O(n).
///
/// ```
/// use entente::report::story::largest_change;
/// let v = [Some(0.7), Some(0.7), None, Some(0.7), Some(0.5), Some(0.3), Some(0.3)];
/// assert_eq!(largest_change(&v), Some((3, 5)));
/// assert_eq!(largest_change(&[Some(1.0), Some(1.0)]), None);
/// ```
pub fn largest_change(values: &[Option<f64>]) -> Option<(usize, usize)> {
    // Running minimum and maximum so far (latest index among equals).
    let mut lo: Option<(usize, f64)> = None;
    let mut hi: Option<(usize, f64)> = None;
    let mut best: Option<(usize, usize, f64)> = None;
    for (j, v) in values.iter().enumerate() {
        let Some(v) = v.filter(|v| v.is_finite()) else {
            continue;
        };
        for (i, x) in [lo, hi].into_iter().flatten() {
            let d = (v - x).abs();
            let better = match best {
                None => d > 1e-12,
                Some((bi, bj, bd)) => {
                    d > bd + 1e-12 || ((d - bd).abs() <= 1e-12 && j - i < bj - bi)
                }
            };
            if better {
                best = Some((i, j, d));
            }
        }
        if lo.map_or(true, |(_, x)| v <= x) {
            lo = Some((j, v));
        }
        if hi.map_or(true, |(_, x)| v >= x) {
            hi = Some((j, v));
        }
    }
    best.map(|(i, j, _)| (i, j))
}

/// An alliance's mean tie at every date of the series.
pub fn cohesion(points: &[SeriesPoint], alliance: usize) -> Vec<Option<f64>> {
    points
        .iter()
        .map(|p| p.metrics.alliance(alliance)?.number("mean_tie"))
        .collect()
}

use super::charts::member_alignment as alignment;

fn size_of(v: &[Option<f64>], (i, j): (usize, usize)) -> f64 {
    match (v[i], v[j]) {
        (Some(a), Some(b)) => (b - a).abs(),
        _ => 0.0,
    }
}

/// The alliance with the largest change in cohesion over the series, among those with at least
/// three members at some date (all alliances when none has).
pub fn focal_alliance(points: &[SeriesPoint], candidates: &[usize]) -> Option<usize> {
    let big: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&a| super::charts::max_members(points, a) >= 3)
        .collect();
    let pool = if big.is_empty() { candidates } else { &big };
    let mut best: Option<(usize, f64)> = None;
    for &a in pool {
        let v = cohesion(points, a);
        if let Some(ij) = largest_change(&v) {
            let d = size_of(&v, ij);
            if best.map_or(true, |(_, b)| d > b + 1e-12) {
                best = Some((a, d));
            }
        }
    }
    best.map(|(a, _)| a)
}

/// The member of `alliance` whose alignment fell furthest (largest drop from an earlier value to
/// a later one), with the indices of that drop.
pub fn furthest_fall(
    ds: &Dataset,
    points: &[SeriesPoint],
    alliance: usize,
) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize, f64)> = None;
    for s in 0..ds.states.len() {
        let v = alignment(points, alliance, s);
        if v.iter().all(Option::is_none) {
            continue;
        }
        // Largest drop: running maximum.
        let mut hi: Option<(usize, f64)> = None;
        for (j, x) in v.iter().enumerate() {
            let Some(x) = *x else { continue };
            if let Some((i, h)) = hi {
                let d = h - x;
                if d > 1e-12 && best.map_or(true, |b| d > b.3 + 1e-12) {
                    best = Some((s, i, j, d));
                }
            }
            if hi.map_or(true, |(_, h)| x >= h) {
                hi = Some((j, x));
            }
        }
    }
    best.map(|(s, i, j, _)| (s, i, j))
}

/// A state's label: `ID (Name)`, or the id alone.
pub fn state_label(ds: &Dataset, s: usize) -> String {
    let st = &ds.states[s];
    if st.name.is_empty() || st.name == st.id {
        st.id.clone()
    } else {
        format!("{} ({})", st.id, st.name)
    }
}

/// Chooses what was not given: `focus` (else the focal alliance), `states` (else the member of
/// the first focal alliance that fell furthest), `key` (else the dates before and after the first
/// focal alliance's largest cohesion change); writes the summary.
pub fn choose(
    ds: &Dataset,
    points: &[SeriesPoint],
    focus: &[usize],
    states: &[usize],
    key: &[NaiveDate],
) -> Story {
    let all: Vec<usize> = (0..ds.alliances.len()).collect();
    let focus: Vec<usize> = if focus.is_empty() {
        focal_alliance(points, &all).into_iter().collect()
    } else {
        focus.to_vec()
    };
    let date = |k: usize| fmt_date(points[k].date);
    let mut summary = Vec::new();
    let mut key_dates: Vec<NaiveDate> = key.to_vec();
    let mut chosen_states = states.to_vec();
    if let Some(&a) = focus.first() {
        let al = &ds.alliances[a];
        let v = cohesion(points, a);
        let present: Vec<usize> = (0..v.len()).filter(|&k| v[k].is_some()).collect();
        let mut s = format!("{} ({})", al.id, al.name);
        if let (Some(&f), Some(&l)) = (present.first(), present.last()) {
            s.push_str(&format!(
                ": cohesion (mean tie between members) {} on {} and {} on {}.",
                super::fmt_signed(v[f], 2),
                date(f),
                super::fmt_signed(v[l], 2),
                date(l)
            ));
            if let Some((i, j)) = largest_change(&v) {
                s.push_str(&format!(
                    " Its largest change: from {} on {} to {} on {}.",
                    super::fmt_signed(v[i], 2),
                    date(i),
                    super::fmt_signed(v[j], 2),
                    date(j)
                ));
                if key_dates.is_empty() {
                    key_dates = vec![points[i].date, points[j].date];
                }
            }
        } else {
            s.push_str(": no cohesion value in this period.");
        }
        if let Some((m, i, j)) = furthest_fall(ds, points, a) {
            let v = alignment(points, a, m);
            s.push_str(&format!(
                " Of its members, {} fell furthest: alignment {} on {} to {} on {}.",
                state_label(ds, m),
                super::fmt_signed(v[i], 2),
                date(i),
                super::fmt_signed(v[j], 2),
                date(j)
            ));
            if chosen_states.is_empty() {
                chosen_states.push(m);
            }
        }
        summary.push(s);
    }
    key_dates.sort_unstable();
    key_dates.dedup();
    Story {
        focus,
        states: chosen_states,
        key: key_dates,
        summary,
    }
}

/// The most partners an ego chart draws (the ones whose tie changes most).
pub const EGO_PARTNERS: usize = 8;

/// The ego chart of `state`: its tie to each other state over the series dates, for the
/// [`EGO_PARTNERS`] partners whose tie changes most (then strongest); gaps where either state is
/// absent. `None` when the state never has a non-zero tie.
pub fn ego(
    ds: &Dataset,
    timeline: &Timeline,
    dates: &[NaiveDate],
    state: usize,
    events: &[crate::plot::Marker],
) -> Option<TimelineChart> {
    let e = ego_data(ds, timeline, dates, state)?;
    Some(ego_chart(ds, &e, dates, events, &BTreeMap::new(), ""))
}

/// What an ego chart draws: the state, its partners (dataset order) and their ties at each
/// series date, and the span `t0..=t1` of dates where the state has a tie value.
#[derive(Debug, Clone, PartialEq)]
pub struct Ego {
    /// The focal state (dataset index).
    pub state: usize,
    /// The partners drawn (dataset indices, ascending).
    pub partners: Vec<usize>,
    /// The same partners, the one whose tie changes most first.
    pub ranked: Vec<usize>,
    /// Per partner, its tie to `state` at each series date.
    values: Vec<Vec<Option<f64>>>,
    t0: usize,
    t1: usize,
}

/// The partners and ties of `state`'s ego chart ([`ego`]).
pub fn ego_data(
    ds: &Dataset,
    timeline: &Timeline,
    dates: &[NaiveDate],
    state: usize,
) -> Option<Ego> {
    let n = ds.states.len();
    let mut rows: Vec<Vec<Option<f64>>> = vec![vec![None; dates.len()]; n];
    for (t, snap) in timeline.sweep(dates).enumerate() {
        let Some(i) = snap.local(state) else {
            continue;
        };
        for (j, &w) in snap.row(i).iter().enumerate() {
            let other = snap.states[j];
            if other != state {
                rows[other][t] = Some(w);
            }
        }
    }
    let mut partners: Vec<(usize, f64, f64)> = (0..n)
        .filter(|&p| p != state)
        .filter_map(|p| {
            let v = &rows[p];
            let (lo, hi, max_abs) = v.iter().flatten().fold(
                (f64::INFINITY, f64::NEG_INFINITY, 0.0f64),
                |(a, b, m), &x| (a.min(x), b.max(x), m.max(x.abs())),
            );
            (max_abs > 1e-12).then_some((p, hi - lo, max_abs))
        })
        .collect();
    if partners.is_empty() {
        return None;
    }
    partners.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(b.2.total_cmp(&a.2))
            .then(a.0.cmp(&b.0))
    });
    partners.truncate(EGO_PARTNERS);
    let ranked = partners.iter().map(|p| p.0).collect();
    partners.sort_by_key(|p| p.0);
    // Show the state's own span: from the first to the last date it has a tie value.
    let has = |t: usize| partners.iter().any(|&(p, _, _)| rows[p][t].is_some());
    let t0 = (0..dates.len()).find(|&t| has(t)).unwrap_or(0);
    let t1 = (0..dates.len())
        .rev()
        .find(|&t| has(t))
        .unwrap_or(0)
        .max(t0);
    Some(Ego {
        state,
        partners: partners.iter().map(|p| p.0).collect(),
        ranked,
        values: partners.iter().map(|p| rows[p.0].clone()).collect(),
        t0,
        t1,
    })
}

/// The ego chart of [`ego_data`]'s result, with a shaded band per (state, partner) pair where
/// `bands` has one (over the series dates).
pub fn ego_chart(
    ds: &Dataset,
    e: &Ego,
    dates: &[NaiveDate],
    events: &[crate::plot::Marker],
    bands: &BTreeMap<(usize, usize), super::charts::BandLine>,
    band_label: &str,
) -> TimelineChart {
    let (t0, t1) = (e.t0, e.t1);
    let series: Vec<Series> = e
        .partners
        .iter()
        .zip(&e.values)
        .enumerate()
        .map(|(k, (&p, v))| {
            let mut s = Series::new(state_label(ds, p), Palette::color(k), v[t0..=t1].to_vec());
            s.mark = Palette::mark(k);
            if let Some(b) = bands.get(&(e.state, p)).and_then(|b| b.get(t0..=t1)) {
                s.band = b.to_vec();
            }
            s
        })
        .collect();
    let (lo, hi) = series
        .iter()
        .flat_map(|s| {
            s.values
                .iter()
                .flatten()
                .copied()
                .chain(s.band.iter().flatten().flat_map(|&(lo, hi)| [lo, hi]))
        })
        .fold((0.0f64, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
    let (lo, hi) = crate::plot::nice_range(lo, hi, 8);
    TimelineChart {
        title: format!("{}: {}'s ties", ds.name, ds.states[e.state].id),
        metric_label: "tie weight".into(),
        dates: dates[t0..=t1].to_vec(),
        series,
        events: events.to_vec(),
        y_range: Some((lo.max(-1.0), hi.min(1.0))),
        band_label: band_label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_change_prefers_the_biggest_then_the_shortest_span() {
        assert_eq!(largest_change(&[]), None);
        assert_eq!(largest_change(&[Some(0.5)]), None);
        assert_eq!(largest_change(&[Some(0.1), None, Some(0.9)]), Some((0, 2)));
        // A rise then a larger fall: the fall.
        let v = [Some(0.2), Some(0.5), Some(0.5), Some(0.0)];
        assert_eq!(largest_change(&v), Some((2, 3)));
        // Equal rises: the shorter one.
        let v = [Some(0.0), Some(1.0), Some(0.0), Some(0.0), Some(1.0)];
        assert_eq!(largest_change(&v), Some((0, 1)));
    }
}
