//! Hollowness: how far an alliance's treaty ties exceed its members' behaviour towards each
//! other. With T the weight matrix of the `treaty` layer alone and B that of the behaviour
//! layers (every layer but `treaty`, or those chosen), both at the same date:
//!
//! - per alliance: the mean over member pairs of (T_ij − B_ij); null when m < 2;
//! - per member i: the mean over the other members j of (T_ij − B_ij); null when m < 2.
//!
//! High values mean "allied on paper, estranged in practice"; 0 means behaviour matches the
//! treaty; negative values mean behaviour closer than the treaty says. With weights in [−1, 1]
//! the range is [−2, 2].
//!
//! Both are null when the snapshot carries no treaty/behaviour split (the command was not
//! asked for one: `--behaviour`, docs/metrics.md).
//!
//! Complexity: O(m²) time, O(m) memory for the result.

use super::{Cx, Value, View};

/// The alliance's hollowness and each member's (in the order of `members`, local indices of
/// both views, which must describe the same states).
///
/// ```
/// use entente::metrics::{hollowness::hollowness, View};
/// // Two members with a treaty tie of 1 and a behaviour tie of −0.5: hollowness 1.5.
/// let t = [0.0, 1.0, 1.0, 0.0];
/// let b = [0.0, -0.5, -0.5, 0.0];
/// let (h, per) = hollowness(View::new(2, &t), View::new(2, &b), &[0, 1]);
/// assert_eq!(h, Some(1.5));
/// assert_eq!(per, vec![Some(1.5), Some(1.5)]);
/// ```
pub fn hollowness(
    treaty: View<'_>,
    behaviour: View<'_>,
    members: &[usize],
) -> (Option<f64>, Vec<Option<f64>>) {
    let m = members.len();
    if m < 2 {
        return (None, vec![None; m]);
    }
    let gap = |i: usize, j: usize| treaty.w(i, j) - behaviour.w(i, j);
    let mut total = 0.0;
    let per = members
        .iter()
        .map(|&i| {
            let s: f64 = members
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| gap(i, j))
                .sum();
            total += s;
            Some(s / (m - 1) as f64)
        })
        .collect();
    // Each pair was counted twice in `total`.
    (Some(total / 2.0 / (m * (m - 1) / 2) as f64), per)
}

/// The alliance's hollowness and each member's, from the snapshot's split (`None` without one).
fn of(cx: &Cx<'_>) -> Option<(Option<f64>, Vec<Option<f64>>)> {
    let s = cx.snap.split.as_ref()?;
    let n = cx.snap.n();
    Some(hollowness(
        View::new(n, &s.treaty),
        View::new(n, &s.behaviour),
        &cx.members,
    ))
}

/// The catalogue's `hollowness` of an alliance.
pub fn alliance_value(cx: &Cx<'_>) -> Value {
    let h = cx.shared("hollowness", || of(cx));
    Value::Number(h.as_ref().as_ref().and_then(|x| x.0))
}

/// The catalogue's `hollowness` of each member of an alliance.
pub fn member_value(cx: &Cx<'_>) -> Value {
    let h = cx.shared("hollowness", || of(cx));
    Value::PerState(
        cx.members
            .iter()
            .enumerate()
            .map(|(x, &k)| {
                (
                    cx.state(k),
                    h.as_ref()
                        .as_ref()
                        .and_then(|v| v.1.get(x).copied().flatten()),
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::*;

    #[test]
    fn hand_computed() {
        // Three members, treaty ties 1 everywhere; behaviour 0–1: 0.5, 0–2: −0.5, 1–2: 0.
        let t = matrix(3, &[(0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0)]);
        let b = matrix(3, &[(0, 1, 0.5), (0, 2, -0.5)]);
        let (h, per) = hollowness(View::new(3, &t), View::new(3, &b), &[0, 1, 2]);
        // Gaps: 0–1 0.5, 0–2 1.5, 1–2 1 → mean 1.0.
        approx(h.unwrap_or(f64::NAN), 1.0);
        // Member 0: (0.5 + 1.5)/2 = 1; member 1: (0.5 + 1)/2 = 0.75; member 2: (1.5 + 1)/2.
        approx(per[0].unwrap_or(f64::NAN), 1.0);
        approx(per[1].unwrap_or(f64::NAN), 0.75);
        approx(per[2].unwrap_or(f64::NAN), 1.25);
        assert_eq!(
            hollowness(View::new(3, &t), View::new(3, &b), &[1]),
            (None, vec![None])
        );
    }

    /// Relabelling states changes no value.
    #[test]
    fn relabelling_changes_nothing() {
        for seed in 0..50u64 {
            let n = 2 + (seed as usize % 7);
            let t = random_matrix(n, seed, 1, -1.0);
            let b = random_matrix(n, seed + 1000, 2, -1.0);
            // A rotation as the relabelling.
            let perm: Vec<usize> = (0..n).map(|i| (i + 1 + seed as usize) % n).collect();
            let permute = |w: &[f64]| {
                let mut p = vec![0.0; n * n];
                for i in 0..n {
                    for j in 0..n {
                        p[perm[i] * n + perm[j]] = w[i * n + j];
                    }
                }
                p
            };
            let (pt, pb) = (permute(&t), permute(&b));
            let members: Vec<usize> = (0..n).collect();
            let (h, per) = hollowness(View::new(n, &t), View::new(n, &b), &members);
            let (ph, pper) = hollowness(View::new(n, &pt), View::new(n, &pb), &members);
            approx(h.unwrap_or(f64::NAN), ph.unwrap_or(f64::NAN));
            for i in 0..n {
                approx(
                    per[i].unwrap_or(f64::NAN),
                    pper[perm[i]].unwrap_or(f64::NAN),
                );
            }
        }
    }
}
