//! `clustering`: the average weighted clustering coefficient of G⁺ restricted to a member set,
//! as networkx's `average_clustering(G, weight="weight")` defines it (Onnela et al.):
//!
//! c_i = 2 / (k_i (k_i − 1)) · Σ_{j<k} (ŵ_ij ŵ_ik ŵ_jk)^{1/3}, over the unordered pairs of
//! neighbours j, k of i, with ŵ = w / (max w over the edges of the graph measured) and k_i the
//! degree of i in G⁺; c_i = 0 when k_i < 2 (or no triangle). The result is the mean of c_i over
//! all members (zeros included), in [0, 1]; null for an empty member set.
//!
//! Complexity: O(m³) time (each triangle visited once), O(m) extra memory.

use super::View;

/// Average weighted clustering of G⁺[members] (members: local indices, ascending).
///
/// ```
/// use entente::metrics::{clustering::average_clustering, View};
/// // A positive triangle with equal weights: every c_i = 1.
/// let w = [0.0, 0.5, 0.5, 0.5, 0.0, 0.5, 0.5, 0.5, 0.0];
/// assert_eq!(average_clustering(View::new(3, &w), &[0, 1, 2]), Some(1.0));
/// ```
pub fn average_clustering(v: View<'_>, members: &[usize]) -> Option<f64> {
    let m = members.len();
    if m == 0 {
        return None;
    }
    let mut max_w = 0.0f64;
    let mut degree = vec![0usize; m];
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for (y, &j) in members.iter().enumerate().skip(x + 1) {
            let w = row[j];
            if w > 0.0 {
                max_w = max_w.max(w);
                degree[x] += 1;
                degree[y] += 1;
            }
        }
    }
    if max_w == 0.0 {
        return Some(0.0);
    }
    // tri[x] = Σ over the triangles at x of (ŵ ŵ ŵ)^{1/3}.
    let mut tri = vec![0.0f64; m];
    let inv = 1.0 / max_w;
    for (x, &i) in members.iter().enumerate() {
        let ri = v.row(i);
        for (y, &j) in members.iter().enumerate().skip(x + 1) {
            let wij = ri[j];
            if wij <= 0.0 {
                continue;
            }
            let rj = v.row(j);
            for (z, &k) in members.iter().enumerate().skip(y + 1) {
                let (wik, wjk) = (ri[k], rj[k]);
                if wik > 0.0 && wjk > 0.0 {
                    let t = ((wij * inv) * (wik * inv) * (wjk * inv)).cbrt();
                    tri[x] += t;
                    tri[y] += t;
                    tri[z] += t;
                }
            }
        }
    }
    let mut sum = 0.0;
    for (t, &k) in tri.iter().zip(&degree) {
        if k >= 2 && *t != 0.0 {
            sum += 2.0 * t / (k * (k - 1)) as f64;
        }
    }
    Some(sum / m as f64)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::testutil::*;

    #[test]
    fn triangle_with_one_negative_edge_has_no_positive_triangle() {
        let w = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        assert_eq!(average_clustering(View::new(3, &w), &[0, 1, 2]), Some(0.0));
    }

    #[test]
    fn weighted_triangle_normalises_by_max() {
        // Triangle 0.8, 0.4, 0.2: ŵ = 1, 0.5, 0.25, product 1/8, cube root 1/2; every
        // node has degree 2, so c_i = 2·0.5/2 = 0.5.
        let w = matrix(3, &[(0, 1, 0.8), (1, 2, 0.4), (0, 2, 0.2)]);
        approx(
            average_clustering(View::new(3, &w), &[0, 1, 2]).unwrap(),
            0.5,
        );
    }

    #[test]
    fn star_has_zero_clustering() {
        let w = matrix(4, &[(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]);
        assert_eq!(
            average_clustering(View::new(4, &w), &[0, 1, 2, 3]),
            Some(0.0)
        );
    }

    #[test]
    fn two_cliques_joined_by_a_bridge() {
        // Two triangles {0,1,2} and {3,4,5} of weight 0.5, bridge 2–3 of weight 0.5.
        let w = two_cliques();
        // Nodes 2 and 3 have degree 3 and one triangle: c = 2·1/(3·2) = 1/3; others 1.
        approx(
            average_clustering(View::new(6, &w), &[0, 1, 2, 3, 4, 5]).unwrap(),
            (4.0 + 2.0 / 3.0) / 6.0,
        );
        // Restricted to one clique the bridge is gone.
        assert_eq!(average_clustering(View::new(6, &w), &[0, 1, 2]), Some(1.0));
    }

    #[test]
    fn one_member_and_none() {
        let w = matrix(2, &[(0, 1, 0.5)]);
        assert_eq!(average_clustering(View::new(2, &w), &[0]), Some(0.0));
        assert_eq!(average_clustering(View::new(2, &w), &[]), None);
    }
}
