//! `balance_weighted_strict`, `balance_weighted_weak` and the signed triad census: structural
//! balance with each triangle weighted by the intensity of its ties.
//!
//! Among the triangles of a member set whose three pairs all have a tie (w ≠ 0), each with
//! intensity g_Δ = |w_ij·w_jk·w_ki|^(1/3) (the geometric mean of its ties' strengths):
//! - strict (Cartwright & Harary 1956): Σ_Δ g_Δ·[w_ij·w_jk·w_ki > 0] / Σ_Δ g_Δ, the
//!   balanced triangles being +++ and +−−;
//! - weak (Davis 1967, clusterability): −−− counts as balanced too (three mutual enemies can be
//!   three camps), so only ++− is unbalanced;
//! - the census: the number of triangles and the sum of g_Δ of each type +++, ++−, +−−, −−−.
//!
//! Both shares are in [0, 1] and `None` when there is no triangle. With every |w| equal they
//! are the unweighted shares (strict = the existing `balance`).
//!
//! Complexity: O(m³) time (every triple of members), O(m²) memory (the cube roots of the ties).

use super::{Cx, Value, View};
use std::rc::Rc;

/// The census of the context's members, computed once.
fn shared(cx: &Cx<'_>) -> Rc<Triads> {
    cx.shared("triads", || triads(cx.view, &cx.members))
}

/// The catalogue's `balance_weighted_strict`.
pub fn strict(cx: &Cx<'_>) -> Value {
    Value::Number(shared(cx).strict)
}

/// The catalogue's `balance_weighted_weak`.
pub fn weak(cx: &Cx<'_>) -> Value {
    Value::Number(shared(cx).weak)
}

/// The signed triangle types, by number of negative ties.
pub const TYPES: [&str; 4] = ["+++", "++-", "+--", "---"];

/// The triad census of a member set and the two intensity-weighted balance shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Triads {
    /// Number of triangles of each type, in [`TYPES`] order.
    pub counts: [u64; 4],
    /// Σ g_Δ over the triangles of each type, in [`TYPES`] order.
    pub weights: [f64; 4],
    /// Weighted share of +++ and +−− triangles; `None` without triangles.
    pub strict: Option<f64>,
    /// Weighted share of +++, +−− and −−− triangles; `None` without triangles.
    pub weak: Option<f64>,
}

/// The triad census and weighted balance of `members` (local indices, ascending).
///
/// ```
/// use entente::metrics::{triads::triads, View};
/// // + + − (ties 1, 1, −0.125): one ++− triangle of intensity 0.5, unbalanced both ways.
/// let w = [0.0, 1.0, -0.125, 1.0, 0.0, 1.0, -0.125, 1.0, 0.0];
/// let t = triads(View::new(3, &w), &[0, 1, 2]);
/// assert_eq!(t.counts, [0, 1, 0, 0]);
/// assert!((t.weights[1] - 0.5).abs() < 1e-15);
/// assert_eq!((t.strict, t.weak), (Some(0.0), Some(0.0)));
/// ```
pub fn triads(v: View<'_>, members: &[usize]) -> Triads {
    let m = members.len();
    // Per member pair: the cube root of |w| (0: no tie) and whether w < 0, so that a triangle
    // costs two multiplications (g_Δ = the product of the three cube roots).
    let mut root = vec![0.0f64; m * m];
    let mut negative = vec![false; m * m];
    // One cube root per pair (the matrix is symmetric), mirrored.
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for (y, &j) in members.iter().enumerate().skip(x + 1) {
            let (r, neg) = (row[j].abs().cbrt(), row[j] < 0.0);
            root[x * m + y] = r;
            root[y * m + x] = r;
            negative[x * m + y] = neg;
            negative[y * m + x] = neg;
        }
    }
    let mut counts = [0u64; 4];
    let mut weights = [0.0f64; 4];
    for x in 0..m {
        let (rx, nx) = (&root[x * m..(x + 1) * m], &negative[x * m..(x + 1) * m]);
        for y in (x + 1)..m {
            let gxy = rx[y];
            if gxy == 0.0 {
                continue;
            }
            let (ry, ny) = (&root[y * m..(y + 1) * m], &negative[y * m..(y + 1) * m]);
            let base = usize::from(nx[y]);
            for z in (y + 1)..m {
                let (gxz, gyz) = (rx[z], ry[z]);
                if gxz == 0.0 || gyz == 0.0 {
                    continue;
                }
                let t = base + usize::from(nx[z]) + usize::from(ny[z]);
                counts[t] += 1;
                weights[t] += gxy * gxz * gyz;
            }
        }
    }
    let total: f64 = weights.iter().sum();
    let share = |w: f64| (counts.iter().sum::<u64>() > 0).then(|| share_of(w, total));
    Triads {
        counts,
        strict: share(weights[0] + weights[2]),
        weak: share(weights[0] + weights[2] + weights[3]),
        weights,
    }
}

/// `part / total`, 0 when both are 0.
fn share_of(part: f64, total: f64) -> f64 {
    if total > 0.0 {
        part / total
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::*;
    use proptest::prelude::*;

    #[test]
    fn balanced_and_unbalanced_triangles() {
        // +−− with ties 0.8, −0.4, −0.2: g = (0.064)^(1/3) = 0.4, balanced both ways.
        let w = matrix(3, &[(0, 1, 0.8), (1, 2, -0.4), (0, 2, -0.2)]);
        let t = triads(View::new(3, &w), &[0, 1, 2]);
        assert_eq!(t.counts, [0, 0, 1, 0]);
        approx(t.weights[2], 0.4);
        assert_eq!((t.strict, t.weak), (Some(1.0), Some(1.0)));
        // −−−: unbalanced strictly, balanced weakly.
        let w = matrix(3, &[(0, 1, -1.0), (1, 2, -1.0), (0, 2, -1.0)]);
        let t = triads(View::new(3, &w), &[0, 1, 2]);
        assert_eq!(t.counts, [0, 0, 0, 1]);
        assert_eq!((t.strict, t.weak), (Some(0.0), Some(1.0)));
        // No triangle.
        let t = triads(View::new(3, &w), &[0, 1]);
        assert_eq!((t.counts, t.strict, t.weak), ([0; 4], None, None));
    }

    #[test]
    fn intensity_weights_the_shares() {
        // K4: triangle 012 is +++ with ties 1 (g = 1); the three others involve 3, whose ties
        // are −0.001 to 0 and 0.001 to 1 and 2:
        //   013: w01 = 1, w03 = −0.001, w13 = 0.001 → ++−, g = (1e-6)^(1/3) = 0.01
        //   023: w02 = 1, w03 = −0.001, w23 = 0.001 → ++−, g = 0.01
        //   123: w12 = 1, w13 = 0.001, w23 = 0.001 → +++, g = 0.01
        let w = matrix(
            4,
            &[
                (0, 1, 1.0),
                (0, 2, 1.0),
                (1, 2, 1.0),
                (0, 3, -0.001),
                (1, 3, 0.001),
                (2, 3, 0.001),
            ],
        );
        let t = triads(View::new(4, &w), &[0, 1, 2, 3]);
        assert_eq!(t.counts, [2, 2, 0, 0]);
        approx(t.weights[0], 1.01);
        approx(t.weights[1], 0.02);
        // Unweighted, half the triangles are unbalanced; weighted, 1.01 / 1.03.
        approx(t.strict.unwrap_or(-1.0), 1.01 / 1.03);
        approx(t.weak.unwrap_or(-1.0), 1.01 / 1.03);
    }

    proptest! {
        #[test]
        fn equal_intensities_give_the_unweighted_balance(
            n in 1usize..30,
            seed in any::<u64>(),
            zero in 0u64..4,
        ) {
            let w: Vec<f64> = random_matrix(n, seed, zero, -1.0)
                .into_iter()
                .map(|x| if x == 0.0 { 0.0 } else { 0.5f64.copysign(x) })
                .collect();
            let all: Vec<usize> = (0..n).collect();
            let v = View::new(n, &w);
            let t = triads(v, &all);
            let b = crate::metrics::balance::balance(v, &all);
            prop_assert_eq!(t.strict.is_some(), b.is_some());
            if let (Some(s), Some(b)) = (t.strict, b) {
                prop_assert!((s - b).abs() < 1e-12);
            }
            prop_assert!(t.weak >= t.strict);
        }
    }
}
