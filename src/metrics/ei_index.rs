//! `ei_index`: Krackhardt's E−I index of a member set on positive weights,
//! (E − I) / (E + I), where I = Σ w over the positive pairs inside M and E = Σ w over the
//! positive pairs with one end in M and the other in N∖M. −1 is a closed bloc, +1 a bloc whose
//! ties all point outside; in [−1, 1]; null when E + I = 0.
//!
//! Complexity: O(m·n) time, O(n) extra memory (a membership mask).

use super::{Cx, Value, View};

/// The E−I index of `members` (local indices, ascending) in the whole graph of `v`.
///
/// ```
/// use entente::metrics::{ei_index::ei_index, View};
/// // M = {0, 1}: inside 0.75, outside 0–2 at 0.25: (0.25 − 0.75) / 1 = −0.5.
/// let w = [0.0, 0.75, 0.25, 0.75, 0.0, 0.0, 0.25, 0.0, 0.0];
/// assert_eq!(ei_index(View::new(3, &w), &[0, 1]), Some(-0.5));
/// ```
pub fn ei_index(v: View<'_>, members: &[usize]) -> Option<f64> {
    let mut inside = vec![false; v.n()];
    for &i in members {
        inside[i] = true;
    }
    let (mut internal, mut external) = (0.0f64, 0.0f64);
    // The weights that do not count are added as +0.0, which leaves a sum of positive terms
    // (never −0.0) unchanged to the bit: the same sums as skipping them, without a branch per
    // entry on the sign of a weight.
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for &j in &members[x + 1..] {
            let w = row[j];
            internal += if w > 0.0 { w } else { 0.0 };
        }
        for (&w, &inside) in row.iter().zip(&inside) {
            external += if w > 0.0 && !inside { w } else { 0.0 };
        }
    }
    let total = external + internal;
    (total > 0.0).then(|| (external - internal) / total)
}

/// The catalogue's `ei_index`.
pub fn value(cx: &Cx<'_>) -> Value {
    Value::Number(ei_index(cx.view, &cx.members))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::testutil::*;

    /// The branching sums (the previous implementation): the same values to the bit.
    fn reference(v: View<'_>, members: &[usize]) -> Option<f64> {
        let mut inside = vec![false; v.n()];
        for &i in members {
            inside[i] = true;
        }
        let (mut internal, mut external) = (0.0f64, 0.0f64);
        for (x, &i) in members.iter().enumerate() {
            let row = v.row(i);
            for &j in &members[x + 1..] {
                if row[j] > 0.0 {
                    internal += row[j];
                }
            }
            for (j, &w) in row.iter().enumerate() {
                if w > 0.0 && !inside[j] {
                    external += w;
                }
            }
        }
        let total = external + internal;
        (total > 0.0).then(|| (external - internal) / total)
    }

    #[test]
    fn branch_free_sums_equal_the_branching_ones() {
        for seed in 0..200u64 {
            let n = 1 + (seed % 37) as usize;
            let w = random_matrix(n, seed, seed % 4, -1.0);
            let v = View::new(n, &w);
            let members: Vec<usize> = (0..n).filter(|i| (seed >> (i % 8)) & 1 == 1).collect();
            assert_eq!(
                ei_index(v, &members).map(f64::to_bits),
                reference(v, &members).map(f64::to_bits)
            );
        }
    }

    #[test]
    fn cases() {
        // Triangle with one negative edge: M = {0, 2} has only the negative tie inside and
        // 0.6 + 0.3 outside: E−I = +1.
        let tri = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        assert_eq!(ei_index(View::new(3, &tri), &[0, 2]), Some(1.0));
        assert_eq!(ei_index(View::new(3, &tri), &[0, 1, 2]), Some(-1.0));
        // Two cliques and a bridge: one clique has I = 1.5, E = 0.5 → −0.5.
        let w = two_cliques();
        approx(ei_index(View::new(6, &w), &[0, 1, 2]).unwrap(), -0.5);
        // Alliance of one: only external ties.
        assert_eq!(ei_index(View::new(6, &w), &[2]), Some(1.0));
        // Nothing positive at all.
        let neg = matrix(2, &[(0, 1, -0.5)]);
        assert_eq!(ei_index(View::new(2, &neg), &[0]), None);
    }
}
