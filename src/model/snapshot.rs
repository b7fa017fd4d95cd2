//! The graph at one date: the present states, the dense matrix of tie weights between them, and
//! the alliance memberships. Local indices (positions in [`Snapshot::states`]) are used
//! throughout; [`Snapshot::states`] maps them back to dataset indices.

use super::calls::CallRecord;
use chrono::NaiveDate;
use petgraph::graph::UnGraph;
use std::sync::Arc;

/// The treaty and behaviour parts of the weights at a snapshot's date (docs/metrics.md,
/// hollowness): each a row-major `n × n` matrix over the snapshot's states, clamped like the
/// combined weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The `treaty` layer alone.
    pub treaty: Vec<f64>,
    /// The behaviour layers (every layer but `treaty`, or those chosen) together.
    pub behaviour: Vec<f64>,
}

/// The members of one alliance present at the snapshot's date.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    /// Index into `Dataset::alliances`.
    pub alliance: usize,
    /// Local indices of active members, in dataset order.
    pub active: Vec<usize>,
    /// Local indices of suspended members, in dataset order.
    pub suspended: Vec<usize>,
}

impl Membership {
    /// All members (active and suspended), local indices in dataset order.
    pub fn members(&self) -> Vec<usize> {
        let mut m: Vec<usize> = self.active.iter().chain(&self.suspended).copied().collect();
        m.sort_unstable();
        m
    }
}

/// The signed, weighted graph at one date.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The date of the snapshot.
    pub date: NaiveDate,
    /// Dataset indices of the present states, ascending (dataset order).
    pub states: Vec<usize>,
    /// Row-major `n × n` symmetric matrix of weights, `n = states.len()`; zero diagonal; every
    /// entry is exactly 0.0 or has |w| ≥ 1e-9, and lies in [−1, 1].
    pub weights: Vec<f64>,
    /// Alliances with at least one present member, in dataset order.
    pub memberships: Vec<Membership>,
    /// The treaty/behaviour split of the weights, when the timeline was built with one
    /// ([`crate::model::Timeline::with_split`]).
    pub split: Option<Arc<Split>>,
    /// The timeline's call record (every snapshot of a timeline shares it): the calls for help
    /// and answers up to [`Snapshot::date`] are what `reliability` and the snapshot JSON read.
    pub calls: Arc<CallRecord>,
}

impl Snapshot {
    /// Number of present states.
    pub fn n(&self) -> usize {
        self.states.len()
    }

    /// Weight between local indices `i` and `j`.
    #[inline]
    pub fn w(&self, i: usize, j: usize) -> f64 {
        self.weights[i * self.states.len() + j]
    }

    /// Row `i` of the weight matrix.
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        let n = self.states.len();
        &self.weights[i * n..(i + 1) * n]
    }

    /// Local index of a dataset state index, if present.
    pub fn local(&self, state: usize) -> Option<usize> {
        self.states.binary_search(&state).ok()
    }

    /// The ties (i < j, local indices) with their weights, in (i, j) order.
    pub fn ties(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        let n = self.n();
        (0..n)
            .flat_map(move |i| ((i + 1)..n).map(move |j| (i, j, self.w(i, j))))
            .filter(|&(_, _, w)| w != 0.0)
    }

    /// The membership entry of an alliance (dataset index), if it has present members.
    pub fn membership(&self, alliance: usize) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.alliance == alliance)
    }

    /// The snapshot as a petgraph undirected graph: node weights are dataset state indices (node
    /// `k` is local index `k`), one edge per tie weighted by w.
    pub fn graph(&self) -> UnGraph<usize, f64> {
        let mut g = UnGraph::with_capacity(self.n(), 0);
        for &s in &self.states {
            g.add_node(s);
        }
        for (i, j, w) in self.ties() {
            g.add_edge(
                petgraph::graph::NodeIndex::new(i),
                petgraph::graph::NodeIndex::new(j),
                w,
            );
        }
        g
    }
}
