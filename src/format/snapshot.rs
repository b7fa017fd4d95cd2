//! The `snapshot` command's outputs: the graph at a date as JSON (exact keys, see
//! docs/dataset.md) and as a terminal table.

use super::OrderedMap;
use crate::dataset::Dataset;
use crate::date::fmt_date;
use crate::model::Snapshot;
use serde::Serialize;
use std::fmt::Write;

/// One tie of the snapshot JSON.
#[derive(Debug, Serialize)]
pub struct TieOut<'a> {
    /// One state's id.
    pub a: &'a str,
    /// The other state's id.
    pub b: &'a str,
    /// The weight, in [−1, 1].
    pub weight: f64,
}

/// An alliance's present members.
#[derive(Debug, Serialize)]
pub struct MembersOut<'a> {
    /// Present members taking part, by id.
    pub active: Vec<&'a str>,
    /// Present suspended members, by id.
    pub suspended: Vec<&'a str>,
}

/// The snapshot JSON document.
#[derive(Debug, Serialize)]
pub struct SnapshotOut<'a, M: Serialize> {
    /// The dataset's name.
    pub dataset: &'a str,
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// Present states, in dataset order.
    pub states: Vec<&'a str>,
    /// Non-zero ties, each pair once.
    pub ties: Vec<TieOut<'a>>,
    /// Each alliance's present members, by alliance id.
    pub memberships: OrderedMap<MembersOut<'a>>,
    /// The snapshot's metrics, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<M>,
}

/// Builds the snapshot document (without metrics).
pub fn snapshot_out<'a>(ds: &'a Dataset, s: &Snapshot) -> SnapshotOut<'a, ()> {
    let id = |k: usize| ds.states[s.states[k]].id.as_str();
    SnapshotOut {
        dataset: &ds.name,
        date: fmt_date(s.date),
        states: (0..s.n()).map(id).collect(),
        ties: s
            .ties()
            .map(|(i, j, w)| TieOut {
                a: id(i),
                b: id(j),
                weight: w,
            })
            .collect(),
        memberships: OrderedMap(
            s.memberships
                .iter()
                .map(|m| {
                    (
                        ds.alliances[m.alliance].id.clone(),
                        MembersOut {
                            active: m.active.iter().map(|&k| id(k)).collect(),
                            suspended: m.suspended.iter().map(|&k| id(k)).collect(),
                        },
                    )
                })
                .collect(),
        ),
        metrics: None,
    }
}

/// Adds a metrics object to a snapshot document.
pub fn with_metrics<'a, M: Serialize>(out: SnapshotOut<'a, ()>, metrics: M) -> SnapshotOut<'a, M> {
    SnapshotOut {
        dataset: out.dataset,
        date: out.date,
        states: out.states,
        ties: out.ties,
        memberships: out.memberships,
        metrics: Some(metrics),
    }
}

/// The table view, with control and bidirectional formatting characters of dataset text
/// escaped for the terminal (see [`crate::base::text::for_terminal`]).
pub fn table(ds: &Dataset, s: &Snapshot, top: usize) -> String {
    crate::base::text::for_terminal(&table_raw(ds, s, top)).into_owned()
}

/// Adds `t` to `rows`, which holds at most about 2·`top` rows: when full it is sorted by `order`
/// and cut to the first `top`. Sorting and cutting at the end gives the same rows as sorting
/// every tie, in O(ties · log top) time.
fn keep_top<T>(rows: &mut Vec<T>, t: T, top: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if top == 0 {
        return;
    }
    rows.push(t);
    if rows.len() >= top.saturating_mul(2).max(64) {
        rows.sort_by(&order);
        rows.truncate(top);
    }
}

/// A readable terminal view: counts, the strongest and most negative ties, members by alliance.
fn table_raw(ds: &Dataset, s: &Snapshot, top: usize) -> String {
    let id = |k: usize| ds.states[s.states[k]].id.as_str();
    let mut out = String::new();
    // One pass keeping only the `top` rows of each section (a dense graph of 10,000 states has
    // 50 M ties: collecting and sorting them all took 3 GB).
    type Tie = (usize, usize, f64);
    let strongest_first = |x: &Tie, y: &Tie| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1)));
    let most_negative_first =
        |x: &Tie, y: &Tie| x.2.total_cmp(&y.2).then((y.0, y.1).cmp(&(x.0, x.1)));
    let (mut n_ties, mut pos) = (0usize, 0usize);
    let (mut strongest, mut negative): (Vec<Tie>, Vec<Tie>) = (Vec::new(), Vec::new());
    for t in s.ties() {
        n_ties += 1;
        if t.2 > 0.0 {
            pos += 1;
            keep_top(&mut strongest, t, top, strongest_first);
        } else {
            keep_top(&mut negative, t, top, most_negative_first);
        }
    }
    strongest.sort_by(strongest_first);
    strongest.truncate(top);
    negative.sort_by(most_negative_first);
    negative.truncate(top);
    let (strongest, negative): (Vec<&Tie>, Vec<&Tie>) =
        (strongest.iter().collect(), negative.iter().collect());
    let _ = writeln!(out, "{} — {}", ds.name, fmt_date(s.date));
    let _ = writeln!(
        out,
        "{} states present, {} ties ({} positive, {} negative)\n",
        s.n(),
        n_ties,
        pos,
        n_ties - pos
    );
    let width = ds
        .states
        .iter()
        .map(|s| s.id.chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    let mut section = |title: &str, rows: &[&(usize, usize, f64)]| {
        let _ = writeln!(out, "{title}");
        if rows.is_empty() {
            let _ = writeln!(out, "  (none)");
        }
        for &&(i, j, w) in rows {
            let _ = writeln!(out, "  {:<width$}  {:<width$}  {:+.3}", id(i), id(j), w);
        }
        let _ = writeln!(out);
    };
    section("Strongest ties", &strongest);
    section("Most negative ties", &negative);
    let _ = writeln!(out, "Members by alliance");
    if s.memberships.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for m in &s.memberships {
        let active: Vec<&str> = m.active.iter().map(|&k| id(k)).collect();
        let _ = write!(
            out,
            "  {} ({}): {}",
            ds.alliances[m.alliance].id,
            m.active.len() + m.suspended.len(),
            active.join(" ")
        );
        if !m.suspended.is_empty() {
            let sus: Vec<&str> = m.suspended.iter().map(|&k| id(k)).collect();
            let _ = write!(out, "; suspended: {}", sus.join(" "));
        }
        let _ = writeln!(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::keep_top;
    use crate::base::Rng;

    /// Keeping the top rows while scanning gives the rows a full sort gives, ties of equal
    /// weight included (they are ordered by pair).
    #[test]
    fn keep_top_equals_sorting_everything() {
        let mut rng = Rng::new(7, 0);
        let order = |x: &(usize, usize, f64), y: &(usize, usize, f64)| {
            y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1)))
        };
        for top in [0, 1, 3, 10, 100] {
            let all: Vec<(usize, usize, f64)> = (0..1_000)
                .map(|i| (i % 37, i, rng.below(7) as f64 / 7.0))
                .collect();
            let mut kept = Vec::new();
            for &t in &all {
                keep_top(&mut kept, t, top, order);
            }
            kept.sort_by(order);
            kept.truncate(top);
            let mut sorted = all.clone();
            sorted.sort_by(order);
            sorted.truncate(top);
            assert_eq!(kept, sorted, "top {top}");
        }
    }
}
