//! Shapley attribution by permutation sampling. The game: v(S) = Δ on the dataset keeping only
//! the events of the groups in S (and those dated after D2, which belong to no group); v(∅) = 0
//! because with no event up to D2 the graphs at D1 and D2 are the same. For each of `samples`
//! random orders of the groups, every group is credited with v(before ∪ {g}) − v(before); these
//! marginal contributions telescope to v(all) = Δ in every order, so the averages sum to Δ
//! (to floating-point rounding). The standard error of each average is s/√samples, s the sample
//! standard deviation of its marginal contributions.
//!
//! Permutation k is drawn from [`Rng`]`::new(seed, k)` (Fisher–Yates), so results depend only on
//! the seed and the number of samples, not on the number of threads.
//! Cost: samples × G evaluations (a timeline build and two snapshots each), in parallel.

use super::{
    endpoints, sort, Contribution, Evaluator, ExplainError, Explanation, Group, Input, Quantity,
};
use crate::base::Rng;
use chrono::NaiveDate;
use rayon::prelude::*;

/// Permutation-sampled Shapley values of the groups, sorted by |c| descending then group id.
pub fn shapley(
    input: Input<'_>,
    quantity: Quantity,
    from: NaiveDate,
    to: NaiveDate,
    groups: &[Group],
    samples: usize,
    seed: u64,
) -> Result<Explanation, ExplainError> {
    let n = groups.len();
    let ev = Evaluator::new(input, quantity, from, to, groups);
    let (value_from, value_to) = endpoints(&ev, n)?;
    let delta = value_to - value_from;
    // marginal[k][g]: group g's marginal contribution in permutation k.
    let marginals: Vec<Vec<f64>> = (0..samples)
        .into_par_iter()
        .map(|k| {
            let mut order: Vec<usize> = (0..n).collect();
            let mut rng = Rng::new(seed, k as u64);
            for i in (1..n).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                order.swap(i, j);
            }
            let mut present = vec![false; n];
            let mut before = 0.0;
            let mut m = vec![0.0; n];
            for (step, &g) in order.iter().enumerate() {
                present[g] = true;
                // The last step adds every group: its value is the actual Δ.
                let after = if step + 1 == n {
                    delta
                } else {
                    ev.delta(&present)
                };
                m[g] = after - before;
                before = after;
            }
            m
        })
        .collect();
    let mut contributions: Vec<Contribution> = groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let xs: Vec<f64> = marginals.iter().map(|m| m[g]).collect();
            let (mean, stderr) = mean_and_stderr(&xs);
            Contribution {
                group: group.id.clone(),
                label: group.label.clone(),
                contribution: mean,
                stderr,
            }
        })
        .collect();
    sort(&mut contributions);
    let sum: f64 = contributions.iter().map(|c| c.contribution).sum();
    Ok(Explanation {
        from,
        to,
        value_from,
        value_to,
        delta,
        method: "shapley",
        contributions,
        residual: delta - sum,
        samples: Some(samples),
    })
}

/// The mean and its standard error s/√n (`None` below two values).
fn mean_and_stderr(xs: &[f64]) -> (f64, Option<f64>) {
    let n = xs.len();
    if n == 0 {
        return (0.0, None);
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, None);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, Some((var / n as f64).sqrt()))
}
