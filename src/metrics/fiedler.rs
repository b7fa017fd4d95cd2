//! `fiedler`: the algebraic connectivity of G⁺\[M\], the second-smallest eigenvalue of its
//! weighted Laplacian L = D − W (W the positive weights between members, D their row sums).
//! It measures how hard the bloc is to split: 0 exactly when G⁺\[M\] is disconnected (reported as
//! 0.0, not as the eigen-solver's rounding residue), larger for tighter blocs; ≥ 0; null when
//! m < 2.
//!
//! L is reduced to a symmetric tridiagonal matrix T with the same eigenvalues (nalgebra's
//! Householder tridiagonalisation), and only the second-smallest eigenvalue of T is found, by
//! bisection on Sturm counts (the number of eigenvalues below x is the number of negative pivots
//! of T − xI) to the last bit (to ε²‖T‖ near 0): as accurate as a full QR eigen-decomposition
//! (both within a few ε‖T‖ of L's eigenvalue, the error of the tridiagonalisation), without
//! computing the other m − 1 eigenvalues.
//!
//! Complexity: O(m³) time (the tridiagonalisation; the bisection is O(m) per step, at most
//! 105 steps: the bracket starts within ±‖T‖), O(m²) memory.

use super::{tridiagonal, Cx, Value, View};
use nalgebra::{linalg::SymmetricTridiagonal, DMatrix};

/// Algebraic connectivity of G⁺\[members\] (members: local indices, ascending).
///
/// ```
/// use entente::metrics::{fiedler::fiedler, View};
/// // Two states tied at 0.5: L = [[0.5, −0.5], [−0.5, 0.5]], eigenvalues 0 and 1.
/// let w = [0.0, 0.5, 0.5, 0.0];
/// let f = fiedler(View::new(2, &w), &[0, 1]).unwrap();
/// assert!((f - 1.0).abs() < 1e-12);
/// ```
pub fn fiedler(v: View<'_>, members: &[usize]) -> Option<f64> {
    let m = members.len();
    if m < 2 {
        return None;
    }
    if super::components::components(v, members) > 1 {
        return Some(0.0);
    }
    let mut l = DMatrix::<f64>::zeros(m, m);
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        let mut degree = 0.0;
        for (y, &j) in members.iter().enumerate() {
            let w = row[j];
            if y != x && w > 0.0 {
                l[(x, y)] = -w;
                degree += w;
            }
        }
        l[(x, x)] = degree;
    }
    let t = SymmetricTridiagonal::new(l);
    let (diag, off) = (t.diagonal(), t.off_diagonal());
    Some(tridiagonal::kth_eigenvalue(diag.as_slice(), off.as_slice(), 1).max(0.0))
}

/// The catalogue's `fiedler`.
pub fn value(cx: &Cx<'_>) -> Value {
    Value::Number(fiedler(cx.view, &cx.members))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::*;

    fn f(w: &[f64], n: usize, members: &[usize]) -> f64 {
        fiedler(View::new(n, w), members).unwrap_or(f64::NAN)
    }

    proptest::proptest! {
        #[test]
        fn bisection_agrees_with_the_full_eigen_decomposition(
            n in 2usize..40,
            seed in proptest::prelude::any::<u64>(),
            zero in 0u64..3,
        ) {
            let w = random_matrix(n, seed, zero, -0.5);
            let mut l = DMatrix::<f64>::zeros(n, n);
            for x in 0..n {
                for y in 0..n {
                    if y != x && w[x * n + y] > 0.0 {
                        l[(x, y)] = -w[x * n + y];
                        l[(x, x)] += w[x * n + y];
                    }
                }
            }
            let mut ev: Vec<f64> = l.symmetric_eigenvalues().iter().copied().collect();
            ev.sort_by(f64::total_cmp);
            let t = SymmetricTridiagonal::new(l);
            let (d, e) = (t.diagonal(), t.off_diagonal());
            let scale = ev[n - 1].abs().max(1.0);
            for (k, want) in ev.iter().enumerate() {
                let got = tridiagonal::kth_eigenvalue(d.as_slice(), e.as_slice(), k);
                proptest::prop_assert!((got - want).abs() <= 1e-12 * scale, "{k}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn triangle_with_one_negative_edge_is_a_path() {
        // G⁺ is the path 0 –0.6– 1 –0.3– 2: L = [[.6,−.6,0],[−.6,.9,−.3],[0,−.3,.3]];
        // characteristic polynomial λ(λ² − 1.8λ + 0.54): λ₂ = 0.9 − √0.27.
        let tri = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        approx(f(&tri, 3, &[0, 1, 2]), 0.9 - 0.27f64.sqrt());
    }

    #[test]
    fn star_and_complete_graph() {
        // Star K1,3 with weight a: eigenvalues 0, a, a, 4a.
        let star = matrix(4, &[(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]);
        approx(f(&star, 4, &[0, 1, 2, 3]), 0.4);
        // K3 with weight a: eigenvalues 0, 3a, 3a.
        let k3 = matrix(3, &[(0, 1, 0.5), (0, 2, 0.5), (1, 2, 0.5)]);
        approx(f(&k3, 3, &[0, 1, 2]), 1.5);
    }

    #[test]
    fn disconnected_is_exactly_zero() {
        let star = matrix(4, &[(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]);
        assert_eq!(fiedler(View::new(4, &star), &[1, 2, 3]), Some(0.0));
        let neg = matrix(2, &[(0, 1, -0.5)]);
        assert_eq!(fiedler(View::new(2, &neg), &[0, 1]), Some(0.0));
        assert_eq!(fiedler(View::new(2, &neg), &[0]), None);
    }

    #[test]
    fn bridge_lowers_connectivity() {
        let w = two_cliques();
        let whole = f(&w, 6, &[0, 1, 2, 3, 4, 5]);
        let clique = f(&w, 6, &[0, 1, 2]);
        assert!(whole > 0.0 && whole < clique, "{whole} vs {clique}");
        // Unit-weight barbell of two triangles: λ₂ = (5 − √17)/2; weights 0.5 halve it.
        approx(whole, (5.0 - 17f64.sqrt()) / 4.0);
        approx(clique, 1.5);
    }
}
