//! `clustering`: the average weighted clustering coefficient of G⁺ restricted to a member set,
//! as networkx's `average_clustering(G, weight="weight")` defines it (Onnela et al.):
//!
//! c_i = 2 / (k_i (k_i − 1)) · Σ_{j<k} (ŵ_ij ŵ_ik ŵ_jk)^{1/3}, over the unordered pairs of
//! neighbours j, k of i, with ŵ = w / (max w over the edges of the graph measured) and k_i the
//! degree of i in G⁺; c_i = 0 when k_i < 2 (or no triangle). The result is the mean of c_i over
//! all members (zeros included), in [0, 1]; null for an empty member set.
//!
//! Complexity: O(m³) time as dense row products (one cube root per edge, then for each edge the
//! dot product of the two cube-root rows, vectorised), O(m²) extra memory. The cube root of a
//! triangle's product is taken as the product of the edges' cube roots, which differs from the
//! definition's order of operations only by rounding (far below 1e-12).

use super::{Cx, Value, View};

/// Average weighted clustering of G⁺\[members\] (members: local indices, ascending).
///
/// ```
/// use entente::metrics::{clustering::average_clustering, View};
/// // A positive triangle with equal weights: every c_i = 1.
/// let w = [0.0, 0.5, 0.5, 0.5, 0.0, 0.5, 0.5, 0.5, 0.0];
/// assert_eq!(average_clustering(View::new(3, &w), &[0, 1, 2]), Some(1.0));
/// ```
pub fn average_clustering(v: View<'_>, members: &[usize]) -> Option<f64> {
    clustering_batched::<BATCH>(v, members)
}

/// [`average_clustering`] with the dot products of each row taken `B` at a time (any `B` gives
/// the same result to the bit; `B` = 1 is the plain loop).
fn clustering_batched<const B: usize>(v: View<'_>, members: &[usize]) -> Option<f64> {
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
    // c[x·m + y] = ŵ_xy^{1/3} on the edges of G⁺, 0 elsewhere; then for each edge (x, y),
    // Σ_z c_xz·c_yz is the sum over the triangles on that edge of (ŵ_xy ŵ_xz ŵ_yz)^{1/3} / c_xy.
    let inv = 1.0 / max_w;
    let mut c = vec![0.0f64; m * m];
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for (y, &j) in members.iter().enumerate().skip(x + 1) {
            let w = row[j];
            if w > 0.0 {
                let r = (w * inv).cbrt();
                c[x * m + y] = r;
                c[y * m + x] = r;
            }
        }
    }
    // twice[x] = 2 · Σ over the triangles at x of (ŵ ŵ ŵ)^{1/3} (each counted from both edges
    // at x).
    // The edges (x, y > x) are taken B at a time, so that the dot products of row x with
    // several rows run side by side; the sums are then added in y order, as one at a time.
    let mut twice = vec![0.0f64; m];
    let mut ys = [0usize; B];
    for x in 0..m {
        let cx = &c[x * m..(x + 1) * m];
        let mut edges = ((x + 1)..m).filter(|&y| cx[y] != 0.0);
        loop {
            let mut len = 0;
            for y in edges.by_ref().take(B) {
                ys[len] = y;
                len += 1;
            }
            if len == 0 {
                break;
            }
            let sums = if len == B {
                dot_batch(cx, ys.map(|y| &c[y * m..(y + 1) * m]))
            } else {
                let mut s = [0.0; B];
                for (s, &y) in s.iter_mut().zip(&ys[..len]) {
                    [*s] = dot_batch(cx, [&c[y * m..(y + 1) * m]]);
                }
                s
            };
            for (&y, &d) in ys[..len].iter().zip(&sums) {
                let t = cx[y] * d;
                twice[x] += t;
                twice[y] += t;
            }
        }
    }
    let mut sum = 0.0;
    for (t, &k) in twice.iter().zip(&degree) {
        if k >= 2 && *t != 0.0 {
            sum += t / (k * (k - 1)) as f64;
        }
    }
    Some(sum / m as f64)
}

/// How many dot products [`average_clustering`] computes side by side.
const BATCH: usize = 4;

/// Σ a_i·b_i for each b of `bs`, each in eight interleaved partial sums (a fixed order, so the
/// result is the same on every run and for every `B`; the compiler vectorises it). With `B` > 1
/// the loads of `a` are shared and the additions of the different products are independent of
/// each other.
#[inline]
fn dot_batch<const B: usize>(a: &[f64], bs: [&[f64]; B]) -> [f64; B] {
    let mut acc = [[0.0f64; 8]; B];
    let n = a.len() / 8 * 8;
    for (q, x) in a[..n].chunks_exact(8).enumerate() {
        for (acc, b) in acc.iter_mut().zip(&bs) {
            let y = &b[q * 8..q * 8 + 8];
            for k in 0..8 {
                acc[k] += x[k] * y[k];
            }
        }
    }
    let mut out = [0.0f64; B];
    for ((o, acc), b) in out.iter_mut().zip(&acc).zip(&bs) {
        let mut s =
            ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
        for (x, y) in a[n..].iter().zip(&b[n..]) {
            s += x * y;
        }
        *o = s;
    }
    out
}

/// The catalogue's graph `clustering`.
pub fn graph(cx: &Cx<'_>) -> Value {
    Value::Number(average_clustering(cx.view, &cx.members))
}

/// The catalogue's alliance `clustering`: null when m < 2.
pub fn alliance(cx: &Cx<'_>) -> Value {
    Value::Number(if cx.members.len() < 2 {
        None
    } else {
        average_clustering(cx.view, &cx.members)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::testutil::*;
    use proptest::prelude::*;

    /// One cube root per triangle, as the definition reads (the previous implementation).
    fn reference(v: View<'_>, members: &[usize]) -> Option<f64> {
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

    proptest! {
        #[test]
        fn row_products_equal_the_triangle_loop(
            n in 1usize..90,
            seed in any::<u64>(),
            zero in 0u64..4,
            skip in 0usize..3,
        ) {
            let w = crate::metrics::testutil::random_matrix(n, seed, zero, -0.8);
            let members: Vec<usize> = (0..n).filter(|i| skip == 0 || i % (skip + 1) != 0).collect();
            let v = View::new(n, &w);
            let (a, b) = (average_clustering(v, &members), reference(v, &members));
            prop_assert_eq!(a.is_some(), b.is_some());
            if let (Some(a), Some(b)) = (a, b) {
                prop_assert!((a - b).abs() <= 1e-13, "{} vs {}", a, b);
            }
        }

        /// Batched dot products change no bit: the same as one product at a time.
        #[test]
        fn batched_products_equal_single_ones_to_the_bit(
            n in 1usize..60,
            seed in any::<u64>(),
            zero in 0u64..4,
            skip in 0usize..3,
        ) {
            let w = crate::metrics::testutil::random_matrix(n, seed, zero, -0.8);
            let members: Vec<usize> = (0..n).filter(|i| skip == 0 || i % (skip + 1) != 0).collect();
            let v = View::new(n, &w);
            let one = clustering_batched::<1>(v, &members).map(f64::to_bits);
            prop_assert_eq!(clustering_batched::<BATCH>(v, &members).map(f64::to_bits), one);
            prop_assert_eq!(clustering_batched::<3>(v, &members).map(f64::to_bits), one);
        }
    }

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
