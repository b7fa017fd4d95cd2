//! Pair statistics over a member set M: `density` (share of pairs with w > 0), `mean_tie`
//! (Σ_pairs w / pairs, signed) and `min_tie` (the weakest link), plus the whole graph's tie
//! counts (`ties`, `positive`, `negative`).
//!
//! pairs(M) = m(m−1)/2 unordered pairs of distinct members; every value is null when m < 2.
//! Complexity: O(m²) time, no allocation.

use super::{Cx, Value, View};

/// `density`, `mean_tie` and `min_tie` of a member set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairStats {
    /// positive pairs / pairs, in [0, 1].
    pub density: Option<f64>,
    /// Σ_pairs w / pairs, in [−1, 1].
    pub mean_tie: Option<f64>,
    /// min over pairs of w, in [−1, 1].
    pub min_tie: Option<f64>,
}

/// Counts of the pairs of M with a tie (w ≠ 0), a positive and a negative tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TieCounts {
    /// Pairs with a non-zero weight.
    pub ties: usize,
    /// Pairs with a positive weight.
    pub positive: usize,
    /// Pairs with a negative weight.
    pub negative: usize,
}

/// The pair statistics of `members` (local indices, ascending). Pairs are summed row by row in
/// member order.
///
/// ```
/// use entente::metrics::{density::pair_stats, View};
/// // A triangle with ties 0.5, 0.5 and −0.2.
/// let w = [0.0, 0.5, -0.2, 0.5, 0.0, 0.5, -0.2, 0.5, 0.0];
/// let s = pair_stats(View::new(3, &w), &[0, 1, 2]);
/// assert_eq!(s.density, Some(2.0 / 3.0));
/// assert!((s.mean_tie.unwrap() - 0.8 / 3.0).abs() < 1e-12);
/// assert_eq!(s.min_tie, Some(-0.2));
/// ```
pub fn pair_stats(v: View<'_>, members: &[usize]) -> PairStats {
    let m = members.len();
    if m < 2 {
        return PairStats {
            density: None,
            mean_tie: None,
            min_tie: None,
        };
    }
    let mut positive = 0usize;
    let mut total = 0.0f64;
    let mut min = f64::INFINITY;
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for &j in &members[x + 1..] {
            let w = row[j];
            total += w;
            min = min.min(w);
            if w > 0.0 {
                positive += 1;
            }
        }
    }
    let pairs = (m * (m - 1) / 2) as f64;
    PairStats {
        density: Some(positive as f64 / pairs),
        mean_tie: Some(total / pairs),
        min_tie: Some(min),
    }
}

/// Tie counts over the pairs of `members`. O(m²).
///
/// ```
/// use entente::metrics::{density::tie_counts, View};
/// let w = [0.0, 0.5, -0.2, 0.5, 0.0, 0.0, -0.2, 0.0, 0.0];
/// let c = tie_counts(View::new(3, &w), &[0, 1, 2]);
/// assert_eq!((c.ties, c.positive, c.negative), (2, 1, 1));
/// ```
pub fn tie_counts(v: View<'_>, members: &[usize]) -> TieCounts {
    let mut c = TieCounts {
        ties: 0,
        positive: 0,
        negative: 0,
    };
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for &j in &members[x + 1..] {
            let w = row[j];
            if w > 0.0 {
                c.positive += 1;
            } else if w < 0.0 {
                c.negative += 1;
            }
        }
    }
    c.ties = c.positive + c.negative;
    c
}

/// The pair statistics of the context's members, computed once for `density`, `mean_tie` and
/// `min_tie`.
fn shared_pairs(cx: &Cx<'_>) -> std::rc::Rc<PairStats> {
    cx.shared("density::pair_stats", || pair_stats(cx.view, &cx.members))
}

/// The tie counts of the context's members, computed once for `ties`, `positive`, `negative`.
fn shared_counts(cx: &Cx<'_>) -> std::rc::Rc<TieCounts> {
    cx.shared("density::tie_counts", || tie_counts(cx.view, &cx.members))
}

/// The catalogue's `density`.
pub fn density(cx: &Cx<'_>) -> Value {
    Value::Number(shared_pairs(cx).density)
}

/// The catalogue's `mean_tie`.
pub fn mean_tie(cx: &Cx<'_>) -> Value {
    Value::Number(shared_pairs(cx).mean_tie)
}

/// The catalogue's `min_tie`.
pub fn min_tie(cx: &Cx<'_>) -> Value {
    Value::Number(shared_pairs(cx).min_tie)
}

/// The catalogue's `ties`.
pub fn ties(cx: &Cx<'_>) -> Value {
    Value::Count(shared_counts(cx).ties)
}

/// The catalogue's `positive`.
pub fn positive(cx: &Cx<'_>) -> Value {
    Value::Count(shared_counts(cx).positive)
}

/// The catalogue's `negative`.
pub fn negative(cx: &Cx<'_>) -> Value {
    Value::Count(shared_counts(cx).negative)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::testutil::*;

    #[test]
    fn triangle_with_one_negative_edge() {
        let w = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        let s = pair_stats(View::new(3, &w), &[0, 1, 2]);
        assert_eq!(s.density, Some(2.0 / 3.0));
        approx(s.mean_tie.unwrap(), 0.6 / 3.0);
        assert_eq!(s.min_tie, Some(-0.3));
        let c = tie_counts(View::new(3, &w), &[0, 1, 2]);
        assert_eq!((c.ties, c.positive, c.negative), (3, 2, 1));
    }

    #[test]
    fn star_and_subsets() {
        // Star: centre 0, leaves 1..=3 at 0.4; leaves not tied to each other.
        let w = matrix(4, &[(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]);
        let v = View::new(4, &w);
        let s = pair_stats(v, &[0, 1, 2, 3]);
        assert_eq!(s.density, Some(0.5));
        approx(s.mean_tie.unwrap(), 1.2 / 6.0);
        assert_eq!(s.min_tie, Some(0.0));
        // Leaves only: no ties at all.
        let s = pair_stats(v, &[1, 2, 3]);
        assert_eq!(
            (s.density, s.mean_tie, s.min_tie),
            (Some(0.0), Some(0.0), Some(0.0))
        );
    }

    #[test]
    fn alliance_of_one_and_empty() {
        let w = matrix(2, &[(0, 1, 0.5)]);
        let none = PairStats {
            density: None,
            mean_tie: None,
            min_tie: None,
        };
        assert_eq!(pair_stats(View::new(2, &w), &[1]), none);
        assert_eq!(pair_stats(View::new(2, &w), &[]), none);
    }
}
