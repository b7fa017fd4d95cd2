//! The `snapshot` command's outputs: the graph at a date as JSON (exact keys, see
//! docs/dataset.md) and as a terminal table, with the signed triad census of the whole graph
//! and each alliance's calls for help (docs/metrics.md, `reliability`). A [`View`] narrows the
//! ties to some states' (`--state`) and adds each tie's per-layer parts (`--by-layer`, see
//! [`LayerParts`]).

use super::OrderedMap;
use crate::dataset::Dataset;
use crate::date::fmt_date;
use crate::metrics::triads::{self, Triads};
use crate::metrics::View as MatrixView;
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
    /// The tie's part in each layer (`--by-layer`): the raw sums before clamping, layer by
    /// layer (zero parts left out); their sum, clamped to [−1, 1], is `weight`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layers: Option<OrderedMap<f64>>,
}

/// Each layer's raw weight matrix at the snapshot's date (the sums before clamping, over the
/// snapshot's present states, row-major, upper triangle `i < j`), in layer order. The combined weight of a tie is the
/// sum of its parts, clamped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayerParts {
    /// Each layer's name and raw n × n matrix.
    pub layers: Vec<(String, Vec<f64>)>,
}

impl LayerParts {
    /// The parts of the tie between the snapshot's states `i` and `j` (either order), parts
    /// smaller than 1e-9 in size (floating-point residue) left out.
    pub fn of(&self, n: usize, i: usize, j: usize) -> OrderedMap<f64> {
        let (i, j) = (i.min(j), i.max(j));
        OrderedMap(
            self.layers
                .iter()
                .filter_map(|(l, raw)| {
                    let x = raw.get(i * n + j).copied().unwrap_or(0.0);
                    (x.abs() >= 1e-9).then(|| (l.clone(), x))
                })
                .collect(),
        )
    }
}

/// What a snapshot output shows: every tie, or only those of some states; with or without
/// their per-layer parts; how many rows per table section.
#[derive(Debug, Clone, Copy, Default)]
pub struct View<'a> {
    /// Only the ties of these states (dataset indices); empty: every tie.
    pub states: &'a [usize],
    /// Each tie's per-layer parts, when asked for.
    pub parts: Option<&'a LayerParts>,
    /// Rows per section in the table's whole-graph view.
    pub top: usize,
}

impl View<'_> {
    /// Whether the tie between the snapshot's states `i` and `j` is shown.
    fn shows(&self, s: &Snapshot, i: usize, j: usize) -> bool {
        self.states.is_empty()
            || self.states.contains(&s.states[i])
            || self.states.contains(&s.states[j])
    }
}

/// An alliance's present members.
#[derive(Debug, Serialize)]
pub struct MembersOut<'a> {
    /// Present members taking part, by id.
    pub active: Vec<&'a str>,
    /// Present suspended members, by id.
    pub suspended: Vec<&'a str>,
}

/// One call for help in the snapshot JSON: made on or before the date, with its answer if
/// given by then.
#[derive(Debug, Serialize)]
pub struct CallOut<'a> {
    /// The member that called, by id.
    pub state: &'a str,
    /// The date of the call, `YYYY-MM-DD`.
    pub invoked: String,
    /// The treaty article invoked, when the dataset gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<u32>,
    /// The date of the answer; null while the call is open.
    pub answered: Option<String>,
    /// `honoured`, `partial` or `declined`; null while the call is open.
    pub outcome: Option<&'static str>,
}

/// One type of signed triangle in the census.
#[derive(Debug, Serialize)]
pub struct TriadOut {
    /// The number of triangles of this type.
    pub count: u64,
    /// Σ g_Δ over them, g_Δ = |w_ij·w_jk·w_ki|^(1/3) (docs/metrics.md).
    pub weight: f64,
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
    /// The signed triad census of the whole graph: each type (`+++`, `++-`, `+--`, `---`, by
    /// its number of negative ties) with its triangles and their summed intensity.
    pub triad_census: OrderedMap<TriadOut>,
    /// Each alliance's calls for help made on or before the date, in the order made, by
    /// alliance id (alliances without calls left out; the key is absent when there are none).
    #[serde(skip_serializing_if = "no_calls")]
    pub calls: OrderedMap<Vec<CallOut<'a>>>,
    /// The snapshot's metrics, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<M>,
}

fn no_calls(calls: &OrderedMap<Vec<CallOut<'_>>>) -> bool {
    calls.0.is_empty()
}

/// The triad census of every present state of `s`.
fn census(s: &Snapshot) -> Triads {
    let all: Vec<usize> = (0..s.n()).collect();
    triads::triads(MatrixView::from(s), &all)
}

/// The census as the JSON object: one entry per triangle type.
fn census_out(t: &Triads) -> OrderedMap<TriadOut> {
    OrderedMap(
        triads::TYPES
            .iter()
            .zip(t.counts.iter().zip(&t.weights))
            .map(|(name, (&count, &weight))| (name.to_string(), TriadOut { count, weight }))
            .collect(),
    )
}

/// Each alliance's calls for help as of the snapshot's date, in dataset order of alliances.
fn calls_out<'a>(ds: &'a Dataset, s: &Snapshot) -> OrderedMap<Vec<CallOut<'a>>> {
    let mut by_alliance: Vec<Vec<CallOut<'a>>> = ds.alliances.iter().map(|_| Vec::new()).collect();
    for c in s.calls.as_of(s.date) {
        let (Some(list), Some(state)) = (by_alliance.get_mut(c.alliance), ds.states.get(c.state))
        else {
            continue;
        };
        list.push(CallOut {
            state: &state.id,
            invoked: fmt_date(c.invoked),
            article: c.article,
            answered: c.answer.map(|(d, _)| fmt_date(d)),
            outcome: c.answer.map(|(_, o)| o.as_str()),
        });
    }
    OrderedMap(
        ds.alliances
            .iter()
            .zip(by_alliance)
            .filter(|(_, list)| !list.is_empty())
            .map(|(a, list)| (a.id.clone(), list))
            .collect(),
    )
}

/// Builds the snapshot document (without metrics).
pub fn snapshot_out<'a>(ds: &'a Dataset, s: &Snapshot) -> SnapshotOut<'a, ()> {
    snapshot_view_out(ds, s, &View::default())
}

/// Builds the snapshot document (without metrics) as `view` narrows it: only the ties of its
/// states, each with its per-layer parts when asked for.
pub fn snapshot_view_out<'a>(ds: &'a Dataset, s: &Snapshot, view: &View) -> SnapshotOut<'a, ()> {
    let id = |k: usize| ds.states[s.states[k]].id.as_str();
    SnapshotOut {
        dataset: &ds.name,
        date: fmt_date(s.date),
        states: (0..s.n()).map(id).collect(),
        ties: s
            .ties()
            .filter(|&(i, j, _)| view.shows(s, i, j))
            .map(|(i, j, w)| TieOut {
                a: id(i),
                b: id(j),
                weight: w,
                layers: view.parts.map(|p| p.of(s.n(), i, j)),
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
        triad_census: census_out(&census(s)),
        calls: calls_out(ds, s),
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
        triad_census: out.triad_census,
        calls: out.calls,
        metrics: Some(metrics),
    }
}

/// The table view, with control and bidirectional formatting characters of dataset text
/// escaped for the terminal (see [`crate::base::text::for_terminal`]).
pub fn table(ds: &Dataset, s: &Snapshot, top: usize) -> String {
    table_view(
        ds,
        s,
        &View {
            top,
            ..View::default()
        },
    )
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

/// The table view as `view` narrows it (see [`table`]): with states, every tie of each of them
/// (strongest first) instead of the graph's strongest and most negative; with parts, each tie's
/// per-layer parts after its weight.
pub fn table_view(ds: &Dataset, s: &Snapshot, view: &View) -> String {
    crate::base::text::for_terminal(&table_raw(ds, s, view)).into_owned()
}

/// A tie's per-layer parts as table text (`  treaty +0.600  events -0.839`).
fn parts_text(view: &View, n: usize, i: usize, j: usize) -> String {
    let Some(parts) = view.parts else {
        return String::new();
    };
    let mut out = String::new();
    for (l, x) in &parts.of(n, i, j).0 {
        let _ = write!(out, "  {l} {}", super::signed_fixed(*x, 3));
    }
    out
}

/// A readable terminal view: counts, the strongest and most negative ties (or every tie of the
/// view's states), members by alliance.
fn table_raw(ds: &Dataset, s: &Snapshot, view: &View) -> String {
    let top = view.top;
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
            let _ = writeln!(
                out,
                "  {:<width$}  {:<width$}  {:>6}{}",
                id(i),
                id(j),
                super::signed_fixed(w, 3),
                parts_text(view, s.n(), i, j)
            );
        }
        let _ = writeln!(out);
    };
    if view.states.is_empty() {
        section("Strongest ties", &strongest);
        section("Most negative ties", &negative);
    } else {
        for &state in view.states {
            let st = &ds.states[state].id;
            if s.local(state).is_none() {
                section(&format!("Ties of {st} (not present on this date)"), &[]);
                continue;
            }
            // The state first in each row, whichever side of the pair it is on.
            let mut theirs: Vec<Tie> = s
                .ties()
                .filter(|t| s.states[t.0] == state || s.states[t.1] == state)
                .collect();
            theirs.sort_by(strongest_first);
            let own: Vec<(usize, usize, f64)> = theirs
                .iter()
                .map(|&(i, j, w)| {
                    if s.states[i] == state {
                        (i, j, w)
                    } else {
                        (j, i, w)
                    }
                })
                .collect();
            let rows: Vec<&(usize, usize, f64)> = own.iter().collect();
            section(&format!("Ties of {st} ({})", own.len()), &rows);
        }
    }
    let _ = writeln!(out, "Members by alliance");
    if s.memberships.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    // With states in view, only the alliances they are members of.
    let in_view = |m: &&crate::model::Membership| {
        view.states.is_empty()
            || m.active
                .iter()
                .chain(&m.suspended)
                .any(|&k| view.states.contains(&s.states[k]))
    };
    for m in s.memberships.iter().filter(in_view) {
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
    let t = census(s);
    let _ = writeln!(out, "\nTriad census (signed triangles of the whole graph)");
    let _ = writeln!(out, "  type  {:>9}  {:>10}", "triangles", "intensity");
    for (k, name) in triads::TYPES.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {name:<4}  {:>9}  {:>10.3}",
            t.counts[k], t.weights[k]
        );
    }
    let calls = calls_out(ds, s);
    if !calls.0.is_empty() {
        let _ = writeln!(out, "\nCalls for help");
        for (alliance, list) in &calls.0 {
            for c in list {
                let article = c
                    .article
                    .map_or(String::new(), |a| format!(" (article {a})"));
                let answer = match (&c.answered, c.outcome) {
                    (Some(d), Some(o)) => format!("{o} {d}"),
                    _ => "open".to_string(),
                };
                let _ = writeln!(
                    out,
                    "  {alliance}  {}  {}{article}: {answer}",
                    c.invoked, c.state
                );
            }
        }
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
