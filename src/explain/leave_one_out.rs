//! Leave-one-out attribution: the contribution of a group g is Δ − Δ₋g, where Δ₋g is the change
//! of the metric between D1 and D2 on the dataset without g's events. Contributions of groups
//! that interact (ties clamped at ±1, non-linear metrics, a `join` and the ties it enables) need
//! not add up to Δ; the residual Δ − Σ contributions says by how much, so nothing is hidden.
//!
//! Cost: one timeline build and one or two snapshots per group (the value at D1 is reused when
//! the group's events cannot reach it), computed in parallel; O(G · (E log E + n² + metric)).

use super::{
    endpoints, sort, Contribution, Evaluator, ExplainError, Explanation, Group, Input, Quantity,
};
use chrono::NaiveDate;
use rayon::prelude::*;

/// Leave-one-out contributions of every group, sorted by |c| descending then group id.
///
/// ```
/// use entente::explain::{self, By, Input, Quantity};
/// use entente::metrics::catalogue;
/// let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
/// let d = |s| entente::date::parse_date(s).unwrap();
/// let metric = catalogue::find(catalogue::Scope::Alliance, "mean_tie").unwrap();
/// let q = Quantity::new(metric, ds.alliance_index("CSTO"), None).unwrap();
/// let input = Input { dataset: &ds, tie_files: &[] };
/// let groups = explain::groups(input, By::Kind, d("2024-06-30"), false);
/// let x = explain::leave_one_out(input, q, d("2021-01-01"), d("2024-06-30"), &groups).unwrap();
/// let sum: f64 = x.contributions.iter().map(|c| c.contribution).sum();
/// assert!((x.delta - sum - x.residual).abs() < 1e-12);
/// ```
pub fn leave_one_out(
    input: Input<'_>,
    quantity: Quantity,
    from: NaiveDate,
    to: NaiveDate,
    groups: &[Group],
) -> Result<Explanation, ExplainError> {
    let ev = Evaluator::new(input, quantity, from, to, groups);
    let (value_from, value_to) = endpoints(&ev, groups.len())?;
    let delta = value_to - value_from;
    let mut contributions: Vec<Contribution> = (0..groups.len())
        .into_par_iter()
        .map(|g| {
            let mut present = vec![true; groups.len()];
            present[g] = false;
            Contribution {
                group: groups[g].id.clone(),
                label: groups[g].label.clone(),
                contribution: delta - ev.delta(&present),
                stderr: None,
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
        method: "leave-one-out",
        contributions,
        residual: delta - sum,
        samples: None,
    })
}
