//! Eigenvalues of a symmetric tridiagonal matrix T (diagonal `a`, off-diagonal `b`) by
//! bisection on Sturm counts: the number of eigenvalues of T below x is the number of negative
//! pivots of the LDLᵀ factorisation of T − xI. One step is O(n); the bracket starts at T's
//! Gershgorin interval and is halved until it stops shrinking (two adjacent numbers) or is
//! within ε²‖T‖ (which only matters near 0), at most about 105 steps.
//!
//! Used where only one eigenvalue is wanted, instead of a full O(n³) decomposition: the Fiedler
//! value (the second-smallest eigenvalue of a Laplacian after nalgebra's tridiagonalisation)
//! and the Lanczos restarts of the frustration bound (the smallest eigenvalue of the small
//! Krylov matrix, whose bracket's lower end shifts the inverse iteration for its vector).

/// The final bracket `(lo, hi)` around the `k`-th smallest (from 0) eigenvalue of the symmetric
/// tridiagonal matrix with diagonal `a` and off-diagonal `b` (`b.len() + 1 == a.len()`,
/// `k < a.len()`): at most `k` eigenvalues lie below `lo` and more than `k` below `hi`, and the
/// two are adjacent numbers or within ε²‖T‖.
pub(crate) fn kth_eigenvalue_bracket(a: &[f64], b: &[f64], k: usize) -> (f64, f64) {
    let n = a.len();
    // Gershgorin bounds, and ‖T‖ (the largest absolute row sum).
    let (mut lo, mut hi, mut norm) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for i in 0..n {
        let r = if i > 0 { b[i - 1].abs() } else { 0.0 } + b.get(i).map_or(0.0, |x| x.abs());
        lo = lo.min(a[i] - r);
        hi = hi.max(a[i] + r);
        norm = norm.max(a[i].abs() + r);
    }
    let tol = f64::EPSILON * f64::EPSILON * norm;
    // A pivot of exactly 0 is replaced by a tiny negative one (as LAPACK's dstebz does).
    let pivmin = f64::MIN_POSITIVE * norm.max(1.0);
    let below = |x: f64| {
        let mut count = 0;
        let mut q = a[0] - x;
        for i in 0..n {
            if i > 0 {
                q = a[i] - x - b[i - 1] * b[i - 1] / q;
            }
            if q.abs() < pivmin {
                q = -pivmin;
            }
            if q < 0.0 {
                count += 1;
            }
        }
        count
    };
    while hi - lo > tol {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if below(mid) > k {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    (lo, hi)
}

/// The `k`-th smallest (from 0) eigenvalue of the symmetric tridiagonal matrix with diagonal
/// `a` and off-diagonal `b`: the midpoint of [`kth_eigenvalue_bracket`].
pub(crate) fn kth_eigenvalue(a: &[f64], b: &[f64], k: usize) -> f64 {
    let (lo, hi) = kth_eigenvalue_bracket(a, b, k);
    lo + (hi - lo) / 2.0
}
