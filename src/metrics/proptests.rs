//! Property tests of the metrics on random snapshots: every value stays in its range, and
//! relabelling the states (permuting the dataset order) leaves every value unchanged.
//!
//! The Louvain blocs are the exception to relabelling: Louvain is a heuristic whose result can
//! depend on the order nodes are visited in (which is the dataset order), so only its
//! consistency (the blocs partition the states, the modularity is that of the blocs) is checked
//! on every graph.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::catalogue::Bounds;
use super::{compute, louvain, Value, View};
use crate::dataset::{Alliance, AllianceKind, Dataset, State};
use crate::model::{Membership, Snapshot};
use proptest::prelude::*;

/// A random world: n states, a weight per pair (0 for about a third), alliances as
/// (member, suspended) flags per state.
#[derive(Debug, Clone)]
struct World {
    n: usize,
    weights: Vec<f64>,
    alliances: Vec<Vec<(bool, bool)>>,
}

fn world() -> impl Strategy<Value = World> {
    (1usize..10).prop_flat_map(|n| {
        let pairs = n * (n - 1) / 2;
        (
            Just(n),
            prop::collection::vec(prop_oneof![1 => Just(0.0), 2 => -1.0f64..=1.0], pairs),
            prop::collection::vec(
                prop::collection::vec((any::<bool>(), prop::bool::weighted(0.2)), n),
                0..4,
            ),
        )
            .prop_map(|(n, upper, alliances)| {
                let mut weights = vec![0.0; n * n];
                let mut k = 0;
                for i in 0..n {
                    for j in (i + 1)..n {
                        let w = if upper[k].abs() < 1e-9 { 0.0 } else { upper[k] };
                        weights[i * n + j] = w;
                        weights[j * n + i] = w;
                        k += 1;
                    }
                }
                World {
                    n,
                    weights,
                    alliances,
                }
            })
    })
}

/// The dataset and snapshot of a world whose state k is placed at position `pos[k]`.
fn build(w: &World, pos: &[usize]) -> (Dataset, Snapshot) {
    let n = w.n;
    let mut ds = Dataset {
        name: "prop".into(),
        ..Dataset::default()
    };
    let mut ids = vec![String::new(); n];
    for (k, &p) in pos.iter().enumerate() {
        ids[p] = format!("S{k}");
    }
    ds.states = ids
        .iter()
        .map(|id| State {
            id: id.clone(),
            name: id.clone(),
            codes: Default::default(),
        })
        .collect();
    ds.alliances = (0..w.alliances.len())
        .map(|a| Alliance {
            id: format!("A{a}"),
            name: format!("A{a}"),
            kind: AllianceKind::Defense,
            tie: 0.5,
        })
        .collect();
    let mut weights = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            weights[pos[i] * n + pos[j]] = w.weights[i * n + j];
        }
    }
    let memberships = w
        .alliances
        .iter()
        .enumerate()
        .filter_map(|(a, flags)| {
            let mut active: Vec<usize> = Vec::new();
            let mut suspended: Vec<usize> = Vec::new();
            for (k, &(member, susp)) in flags.iter().enumerate() {
                if member {
                    if susp {
                        suspended.push(pos[k]);
                    } else {
                        active.push(pos[k]);
                    }
                }
            }
            active.sort_unstable();
            suspended.sort_unstable();
            (!active.is_empty() || !suspended.is_empty()).then_some(Membership {
                alliance: a,
                active,
                suspended,
            })
        })
        .collect();
    let snap = Snapshot {
        date: crate::date::parse_date("2020-01-01").unwrap(),
        states: (0..n).collect(),
        weights,
        memberships,
        split: None,
        calls: std::sync::Arc::default(),
    };
    (ds, snap)
}

fn in_range(v: Option<f64>, lo: f64, hi: f64) -> bool {
    v.map_or(true, |x| x >= lo - 1e-12 && x <= hi + 1e-12)
}

/// Whether `v` lies in `bounds` (1e-12 of slack for rounding).
fn within(bounds: Bounds, v: Option<f64>) -> bool {
    match bounds {
        Bounds::Signed => in_range(v, -1.0, 1.0),
        Bounds::Unit => in_range(v, 0.0, 1.0),
        Bounds::Between(lo, hi) => in_range(v, lo, hi),
        Bounds::NonNegative | Bounds::Count => in_range(v, 0.0, f64::INFINITY),
    }
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9,
        (None, None) => true,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn values_stay_in_range(w in world()) {
        let id: Vec<usize> = (0..w.n).collect();
        let (ds, snap) = build(&w, &id);
        let m = compute(&ds, &snap);
        let g = &m.graph;
        let components = g.count("components").unwrap();
        prop_assert!(components >= 1 && components <= g.count("states").unwrap());
        // Every value lies in the range its catalogue entry declares.
        for values in std::iter::once(g).chain(m.alliances.iter().map(|(_, a)| a)) {
            for (metric, v) in values.entries() {
                let numbers: Vec<Option<f64>> = match v {
                    Value::PerState(p) => p.iter().map(|(_, x)| *x).collect(),
                    other => vec![other.number()],
                };
                for x in numbers {
                    prop_assert!(within(metric.bounds, x), "{}: {:?}", metric.key, x);
                }
            }
        }
    }

    #[test]
    fn relabelling_states_changes_nothing(w in world(), seed in any::<u64>()) {
        let n = w.n;
        // A permutation from the seed (Fisher–Yates with a small LCG).
        let mut pos: Vec<usize> = (0..n).collect();
        let mut x = seed | 1;
        for i in (1..n).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            pos.swap(i, (x >> 33) as usize % (i + 1));
        }
        let id: Vec<usize> = (0..n).collect();
        let (ds1, s1) = build(&w, &id);
        let (ds2, s2) = build(&w, &pos);
        let (m1, m2) = (compute(&ds1, &s1), compute(&ds2, &s2));
        for ((k, a), (_, b)) in m1.graph.numeric().zip(m2.graph.numeric()) {
            // Both modularities come from heuristic searches whose local optimum may depend on
            // the visiting order, hence on the labels.
            if k.key != "modularity" && k.key != "signed_modularity" {
                prop_assert!(same(a, b), "graph.{}: {:?} vs {:?}", k.key, a, b);
            }
        }
        prop_assert_eq!(m1.alliances.len(), m2.alliances.len());
        for ((id1, a1), (id2, a2)) in m1.alliances.iter().zip(&m2.alliances) {
            prop_assert_eq!(id1, id2);
            for ((k, x), (_, y)) in a1.numeric().zip(a2.numeric()) {
                let tol_ok = if k.key == "fiedler" {
                    match (x, y) { (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * (1.0 + x.abs()), (None, None) => true, _ => false }
                } else {
                    same(x, y)
                };
                prop_assert!(tol_ok, "{}.{}: {:?} vs {:?}", id1, k.key, x, y);
            }
            // Per-state values by state id (the dataset order differs).
            let by_id = |ds: &Dataset, a: &super::Values| {
                let mut v: Vec<(String, Option<f64>)> = a
                    .per_state("alignment")
                    .unwrap()
                    .iter()
                    .map(|(s, x)| (ds.states[*s].id.clone(), *x))
                    .collect();
                v.sort_by(|p, q| p.0.cmp(&q.0));
                v
            };
            let (al1, al2) = (by_id(&ds1, a1), by_id(&ds2, a2));
            prop_assert_eq!(al1.len(), al2.len());
            for ((s1, x), (s2, y)) in al1.iter().zip(&al2) {
                prop_assert_eq!(s1, s2);
                prop_assert!(same(*x, *y), "{}.alignment.{}: {:?} vs {:?}", id1, s1, x, y);
            }
        }
    }

    #[test]
    fn blocs_partition_and_modularity_is_theirs(w in world()) {
        let v = View::new(w.n, &w.weights);
        let all: Vec<usize> = (0..w.n).collect();
        let has_edge = w.weights.iter().any(|&x| x > 0.0);
        match louvain::louvain(v, &all) {
            None => prop_assert!(!has_edge),
            Some(b) => {
                prop_assert!(has_edge);
                let mut labels = vec![usize::MAX; w.n];
                for (c, bloc) in b.blocs.iter().enumerate() {
                    prop_assert!(!bloc.is_empty());
                    prop_assert!(bloc.windows(2).all(|p| p[0] < p[1]));
                    for &k in bloc {
                        prop_assert_eq!(labels[k], usize::MAX);
                        labels[k] = c;
                    }
                }
                prop_assert!(labels.iter().all(|&l| l != usize::MAX));
                prop_assert!(b.blocs.windows(2).all(|p| p[0][0] < p[1][0]));
                let q = louvain::modularity(v, &all, &labels);
                prop_assert!((q - b.modularity).abs() <= 1e-12);
                // Never worse than everything in one bloc, or every state alone.
                prop_assert!(b.modularity >= louvain::modularity(v, &all, &vec![0; w.n]) - 1e-12);
                prop_assert!(b.modularity >= louvain::modularity(v, &all, &all) - 1e-12);
            }
        }
    }
}
