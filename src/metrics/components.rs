//! `components`: the number of connected components of G⁺ restricted to a member set (ties
//! w > 0 only; isolated states count as components of their own). Computed with petgraph's
//! `connected_components` (union–find).
//!
//! Complexity: O(m² + m·α(m)) time (building the edge list from the dense matrix), O(m + e)
//! memory.

use super::{Cx, Value, View};
use petgraph::graph::{NodeIndex, UnGraph};

/// Connected components of G⁺\[members\] (members: local indices, ascending); 0 when empty.
///
/// ```
/// use entente::metrics::{components::components, View};
/// // 0–1 positive, 2 tied to 0 only negatively: two components.
/// let w = [0.0, 0.5, -0.2, 0.5, 0.0, 0.0, -0.2, 0.0, 0.0];
/// assert_eq!(components(View::new(3, &w), &[0, 1, 2]), 2);
/// ```
pub fn components(v: View<'_>, members: &[usize]) -> usize {
    let m = members.len();
    let mut g: UnGraph<(), ()> = UnGraph::with_capacity(m, 0);
    for _ in 0..m {
        g.add_node(());
    }
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for (y, &j) in members.iter().enumerate().skip(x + 1) {
            if row[j] > 0.0 {
                g.add_edge(NodeIndex::new(x), NodeIndex::new(y), ());
            }
        }
    }
    petgraph::algo::connected_components(&g)
}

/// The catalogue's `components`.
pub fn value(cx: &Cx<'_>) -> Value {
    Value::Count(components(cx.view, &cx.members))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::*;

    #[test]
    fn cases() {
        let tri = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        assert_eq!(components(View::new(3, &tri), &[0, 1, 2]), 1);
        let star = matrix(4, &[(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]);
        assert_eq!(components(View::new(4, &star), &[0, 1, 2, 3]), 1);
        assert_eq!(components(View::new(4, &star), &[1, 2, 3]), 3);
        let w = two_cliques();
        assert_eq!(components(View::new(6, &w), &[0, 1, 2, 3, 4, 5]), 1);
        assert_eq!(components(View::new(6, &w), &[0, 1, 4, 5]), 2);
        assert_eq!(components(View::new(6, &w), &[]), 0);
    }
}
