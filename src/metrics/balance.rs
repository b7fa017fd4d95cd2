//! `balance`: structural balance in the sense of Cartwright and Harary. Among the triangles of
//! a member set whose three pairs all have a tie (w ≠ 0), the share whose sign product is
//! positive (+++ or +−−). In [0, 1]; null when there is no such triangle.
//!
//! Complexity: O(m³/64) time: the signs of each member's ties are kept as two bitsets (positive,
//! negative), and the triangles on a tie (x, y) are counted with popcounts over the members
//! after y; O(m²/32) words of memory.

use super::{Cx, Value, View};

/// The share of balanced signed triangles among `members` (local indices, ascending).
///
/// ```
/// use entente::metrics::{balance::balance, View};
/// // + + − is unbalanced.
/// let w = [0.0, 0.5, -0.2, 0.5, 0.0, 0.5, -0.2, 0.5, 0.0];
/// assert_eq!(balance(View::new(3, &w), &[0, 1, 2]), Some(0.0));
/// ```
pub fn balance(v: View<'_>, members: &[usize]) -> Option<f64> {
    let m = members.len();
    let words = m.div_ceil(64);
    // pos[x·words..], neg[x·words..]: bit y set when w_xy > 0 (resp. < 0).
    let mut pos = vec![0u64; m * words];
    let mut neg = vec![0u64; m * words];
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        // No branch on the sign of each weight: both bits are or-ed in, 0 or 1.
        for (y, &j) in members.iter().enumerate() {
            let w = row[j];
            let other = u64::from(y != x);
            pos[x * words + y / 64] |= (u64::from(w > 0.0) & other) << (y % 64);
            neg[x * words + y / 64] |= (u64::from(w < 0.0) & other) << (y % 64);
        }
    }
    let mut triangles = 0u64;
    let mut balanced = 0u64;
    for x in 0..m {
        let (px, nx) = (
            &pos[x * words..(x + 1) * words],
            &neg[x * words..(x + 1) * words],
        );
        for y in (x + 1)..m {
            let positive = px[y / 64] >> (y % 64) & 1 == 1;
            let negative = nx[y / 64] >> (y % 64) & 1 == 1;
            if !positive && !negative {
                continue;
            }
            let (py, ny) = (
                &pos[y * words..(y + 1) * words],
                &neg[y * words..(y + 1) * words],
            );
            // Third vertices z > y: from bit y + 1 on.
            let first = (y + 1) / 64;
            for k in first..words {
                let keep = if k == first {
                    u64::MAX.checked_shl(((y + 1) % 64) as u32).unwrap_or(0)
                } else {
                    u64::MAX
                };
                let (a, b) = ((px[k] | nx[k]) & keep, (py[k] | ny[k]) & keep);
                triangles += u64::from((a & b).count_ones());
                // Balanced: the two other ties have equal signs when w_xy > 0, opposite when < 0.
                let same = (px[k] & py[k]) | (nx[k] & ny[k]);
                let opposite = (px[k] & ny[k]) | (nx[k] & py[k]);
                let good = if positive { same } else { opposite };
                balanced += u64::from((good & keep).count_ones());
            }
        }
    }
    (triangles > 0).then(|| balanced as f64 / triangles as f64)
}

/// The catalogue's `balance` (graph and alliance).
pub fn value(cx: &Cx<'_>) -> Value {
    Value::Number(balance(cx.view, &cx.members))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::*;
    use proptest::prelude::*;

    /// The direct triple loop (the previous implementation): the reference for the bitsets.
    fn reference(v: View<'_>, members: &[usize]) -> Option<f64> {
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
                        let negatives =
                            u8::from(wij < 0.0) + u8::from(wik < 0.0) + u8::from(wjk < 0.0);
                        if negatives % 2 == 0 {
                            balanced += 1;
                        }
                    }
                }
            }
        }
        (triangles > 0).then(|| balanced as f64 / triangles as f64)
    }

    proptest! {
        #[test]
        fn bitsets_count_as_the_triple_loop(
            n in 1usize..140,
            seed in any::<u64>(),
            zero in 0u64..4,
            skip in 0usize..3,
        ) {
            let w = crate::metrics::testutil::random_matrix(n, seed, zero, -1.0);
            let members: Vec<usize> = (0..n).filter(|i| skip == 0 || i % (skip + 1) != 0).collect();
            let v = View::new(n, &w);
            prop_assert_eq!(balance(v, &members), reference(v, &members));
        }
    }

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
