//! `balance`: structural balance in the sense of Cartwright and Harary. Among the triangles of
//! a member set whose three pairs all have a tie (w ≠ 0), the share whose sign product is
//! positive (+++ or +−−). In [0, 1]; null when there is no such triangle.
//!
//! Complexity: O(m³) time, no allocation.

use super::View;

/// The share of balanced signed triangles among `members` (local indices, ascending).
///
/// ```
/// use entente::metrics::{balance::balance, View};
/// // + + − is unbalanced.
/// let w = [0.0, 0.5, -0.2, 0.5, 0.0, 0.5, -0.2, 0.5, 0.0];
/// assert_eq!(balance(View::new(3, &w), &[0, 1, 2]), Some(0.0));
/// ```
pub fn balance(v: View<'_>, members: &[usize]) -> Option<f64> {
    let mut triangles = 0u64;
    let mut balanced = 0u64;
    for (x, &i) in members.iter().enumerate() {
        let ri = v.row(i);
        for (y, &j) in members.iter().enumerate().skip(x + 1) {
            let wij = ri[j];
            if wij == 0.0 {
                continue;
            }
            let rj = v.row(j);
            for &k in &members[y + 1..] {
                let (wik, wjk) = (ri[k], rj[k]);
                if wik != 0.0 && wjk != 0.0 {
                    triangles += 1;
                    let negatives = u8::from(wij < 0.0) + u8::from(wik < 0.0) + u8::from(wjk < 0.0);
                    if negatives % 2 == 0 {
                        balanced += 1;
                    }
                }
            }
        }
    }
    (triangles > 0).then(|| balanced as f64 / triangles as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::*;

    #[test]
    fn triangle_with_one_negative_edge_is_unbalanced() {
        let w = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        assert_eq!(balance(View::new(3, &w), &[0, 1, 2]), Some(0.0));
    }

    #[test]
    fn two_negative_edges_balance() {
        let w = matrix(3, &[(0, 1, 0.6), (1, 2, -0.3), (0, 2, -0.3)]);
        assert_eq!(balance(View::new(3, &w), &[0, 1, 2]), Some(1.0));
    }

    #[test]
    fn mixed_count_and_no_triangle() {
        // K4 with one negative edge 0–1: triangles 012, 013 unbalanced; 023, 123 balanced.
        let w = matrix(
            4,
            &[
                (0, 1, -0.5),
                (0, 2, 0.5),
                (0, 3, 0.5),
                (1, 2, 0.5),
                (1, 3, 0.5),
                (2, 3, 0.5),
            ],
        );
        assert_eq!(balance(View::new(4, &w), &[0, 1, 2, 3]), Some(0.5));
        // A star has no triangle; so has an alliance of one.
        let star = matrix(4, &[(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]);
        assert_eq!(balance(View::new(4, &star), &[0, 1, 2, 3]), None);
        assert_eq!(balance(View::new(4, &star), &[0]), None);
    }

    #[test]
    fn bridge_cliques_are_balanced() {
        let w = two_cliques();
        assert_eq!(balance(View::new(6, &w), &[0, 1, 2, 3, 4, 5]), Some(1.0));
    }
}
