//! `alignment`: for each member i of M, its mean signed tie to the other members,
//! Σ_{j∈M, j≠i} w_ij / (m − 1). In [−1, 1]; low values show who is drifting away. Every value
//! is null when m < 2.
//!
//! Complexity: O(m²) time, O(m) memory for the result.

use super::{Cx, Value, View};

/// The alignment of each of `members` (local indices, ascending), in the same order.
///
/// ```
/// use entente::metrics::{alignment::alignment, View};
/// let w = [0.0, 0.5, -0.2, 0.5, 0.0, 0.5, -0.2, 0.5, 0.0];
/// let a = alignment(View::new(3, &w), &[0, 1, 2]);
/// assert_eq!(a, vec![Some(0.15), Some(0.5), Some(0.15)]);
/// ```
pub fn alignment(v: View<'_>, members: &[usize]) -> Vec<Option<f64>> {
    let m = members.len();
    if m < 2 {
        return vec![None; m];
    }
    let denom = (m - 1) as f64;
    members
        .iter()
        .map(|&i| {
            let row = v.row(i);
            let sum: f64 = members.iter().filter(|&&j| j != i).map(|&j| row[j]).sum();
            Some(sum / denom)
        })
        .collect()
}

/// The catalogue's `alignment`: each member's value, by dataset index.
pub fn value(cx: &Cx<'_>) -> Value {
    let align = alignment(cx.view, &cx.members);
    Value::PerState(
        cx.members
            .iter()
            .zip(align)
            .map(|(&k, a)| (cx.state(k), a))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::*;

    #[test]
    fn cases() {
        let tri = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        let a = alignment(View::new(3, &tri), &[0, 1, 2]);
        approx(a[0].unwrap_or(f64::NAN), 0.15);
        approx(a[1].unwrap_or(f64::NAN), 0.45);
        approx(a[2].unwrap_or(f64::NAN), 0.0);
        // Star: centre 0.4, leaves 0.4/3.
        let star = matrix(4, &[(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]);
        let a = alignment(View::new(4, &star), &[0, 1, 2, 3]);
        approx(a[0].unwrap_or(f64::NAN), 0.4);
        approx(a[3].unwrap_or(f64::NAN), 0.4 / 3.0);
        assert_eq!(alignment(View::new(4, &star), &[2]), vec![None]);
        assert!(alignment(View::new(4, &star), &[]).is_empty());
    }
}
