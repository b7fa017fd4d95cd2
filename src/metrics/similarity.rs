//! Portfolio similarity: two states compared by their whole rows of the weight matrix (their
//! "portfolios" of ties) rather than by their tie to each other.
//!
//! A state's portfolio is its row over the K present states, both states of the pair included,
//! with its tie to itself counted as 1: p_i(k) = w_ik for k ≠ i, p_i(i) = 1. Weights lie in
//! [−1, 1], a range of d = 2.
//!
//! - `s_score` (Signorino and Ritter 1999): S = 1 − 2·Σ_k |p_i(k) − p_j(k)| / (K·d)
//!   = 1 − Σ_k |p_i(k) − p_j(k)| / K, in [−1, 1];
//! - `s_score_sq`: S = 1 − 2·Σ_k (p_i(k) − p_j(k))² / (K·d²) = 1 − Σ_k (p_i(k) − p_j(k))² / (2K),
//!   in [−1, 1];
//! - `pearson`: the Pearson correlation of p_i and p_j over the K states; null when either
//!   portfolio is constant.
//!
//! Per alliance (members M, m = |M|): `portfolio_cohesion` = the mean S over member pairs (null
//! when m < 2); per member: `portfolio_alignment` = S between the member's portfolio and the
//! members' mean portfolio p̄(k) = Σ_{j∈M} p_j(k) / m (null when m < 2).
//!
//! Complexity: one pair O(K); the whole matrix O(K³); `portfolio_cohesion` O(m²K);
//! `portfolio_alignment` O(mK). Memory O(K) besides the result.

use super::{Cx, Value, View};

/// Which portfolio similarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The S-score (absolute differences).
    S,
    /// The S-score with squared differences.
    SSq,
    /// The Pearson correlation.
    Pearson,
}

impl Measure {
    /// The measure's name in outputs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::S => "s",
            Measure::SSq => "s_sq",
            Measure::Pearson => "pearson",
        }
    }
}

/// p_i(k): the weight, with 1 on the diagonal.
#[inline]
fn p(v: View<'_>, i: usize, k: usize) -> f64 {
    if i == k {
        1.0
    } else {
        v.w(i, k)
    }
}

/// The similarity of the portfolios of local states `i` and `j`; `None` when undefined (no
/// state, or a constant portfolio for `pearson`).
///
/// ```
/// use entente::metrics::{similarity::{similarity, Measure}, View};
/// // Three states; 0 and 1 allied (0.5), 2 hostile to 0 (−0.5).
/// let w = [0.0, 0.5, -0.5, 0.5, 0.0, 0.0, -0.5, 0.0, 0.0];
/// // Portfolios: p0 = (1, .5, −.5), p1 = (.5, 1, 0); Σ|diff| = .5 + .5 + .5 = 1.5.
/// assert_eq!(similarity(View::new(3, &w), 0, 1, Measure::S), Some(0.5));
/// ```
pub fn similarity(v: View<'_>, i: usize, j: usize, m: Measure) -> Option<f64> {
    let k = v.n();
    if k == 0 {
        return None;
    }
    let kf = k as f64;
    match m {
        Measure::S => {
            let d: f64 = (0..k).map(|x| (p(v, i, x) - p(v, j, x)).abs()).sum();
            Some(1.0 - d / kf)
        }
        Measure::SSq => {
            let d: f64 = (0..k).map(|x| (p(v, i, x) - p(v, j, x)).powi(2)).sum();
            Some(1.0 - d / (2.0 * kf))
        }
        Measure::Pearson => {
            let (mi, mj) = (
                (0..k).map(|x| p(v, i, x)).sum::<f64>() / kf,
                (0..k).map(|x| p(v, j, x)).sum::<f64>() / kf,
            );
            let (mut sij, mut sii, mut sjj) = (0.0, 0.0, 0.0);
            for x in 0..k {
                let (a, b) = (p(v, i, x) - mi, p(v, j, x) - mj);
                sij += a * b;
                sii += a * a;
                sjj += b * b;
            }
            (sii > 1e-18 && sjj > 1e-18).then(|| (sij / (sii * sjj).sqrt()).clamp(-1.0, 1.0))
        }
    }
}

/// The K × K similarity matrix (row-major), over every present state.
pub fn matrix(v: View<'_>, m: Measure) -> Vec<Option<f64>> {
    let k = v.n();
    let mut out = vec![None; k * k];
    for i in 0..k {
        for j in i..k {
            let s = similarity(v, i, j, m);
            out[i * k + j] = s;
            out[j * k + i] = s;
        }
    }
    out
}

/// `portfolio_cohesion`: the mean S over pairs of `members` (local indices); `None` when m < 2.
///
/// Each pair's Σ_k |p_i(k) − p_j(k)| is summed over k in order, as [`similarity`] does, but
/// sixteen pairs at a time (one member i against a block of members j, whose portfolios are
/// stored interleaved): the same additions in the same order for every pair, so the same
/// value to the bit, without one long chain of dependent additions per pair.
pub fn portfolio_cohesion(v: View<'_>, members: &[usize]) -> Option<f64> {
    let m = members.len();
    if m < 2 {
        return None;
    }
    let k = v.n();
    let kf = k as f64;
    let blocks = m.div_ceil(LANES);
    // t[(b·k + x)·LANES + l] = p_j(x) for the member j at position b·LANES + l (0 past the end).
    let mut t = vec![0.0f64; blocks * k * LANES];
    for (y, &j) in members.iter().enumerate() {
        let (b, l) = (y / LANES, y % LANES);
        let block = &mut t[b * k * LANES..(b + 1) * k * LANES];
        for (x, (cell, &w)) in block
            .chunks_exact_mut(LANES)
            .map(|c| &mut c[l])
            .zip(v.row(j))
            .enumerate()
        {
            *cell = if x == j { 1.0 } else { w };
        }
    }
    let mut own = vec![0.0f64; k];
    let mut sum = 0.0;
    for (pos, &i) in members.iter().enumerate().take(m - 1) {
        own.copy_from_slice(v.row(i));
        own[i] = 1.0;
        for b in (pos + 1) / LANES..blocks {
            let mut acc = [0.0f64; LANES];
            for (&pi, col) in own
                .iter()
                .zip(t[b * k * LANES..(b + 1) * k * LANES].chunks_exact(LANES))
            {
                for (a, &pj) in acc.iter_mut().zip(col) {
                    *a += (pi - pj).abs();
                }
            }
            for y in (pos + 1).max(b * LANES)..((b + 1) * LANES).min(m) {
                sum += 1.0 - acc[y - b * LANES] / kf;
            }
        }
    }
    Some(sum / (m * (m - 1) / 2) as f64)
}

/// How many pairs [`portfolio_cohesion`] sums side by side.
const LANES: usize = 16;

/// `portfolio_alignment`: for each member, S between its portfolio and the members' mean
/// portfolio, in the order of `members`; all `None` when m < 2.
pub fn portfolio_alignment(v: View<'_>, members: &[usize]) -> Vec<Option<f64>> {
    let (m, k) = (members.len(), v.n());
    if m < 2 || k == 0 {
        return vec![None; m];
    }
    // Σ_j p_j(x) over the members in order, row by row (−0.0 first, as `Sum` starts).
    let mut mean = vec![-0.0f64; k];
    for &j in members {
        for (x, (s, &w)) in mean.iter_mut().zip(v.row(j)).enumerate() {
            *s += if x == j { 1.0 } else { w };
        }
    }
    for s in &mut mean {
        *s /= m as f64;
    }
    members
        .iter()
        .map(|&i| {
            let d: f64 = (0..k).map(|x| (p(v, i, x) - mean[x]).abs()).sum();
            Some(1.0 - d / k as f64)
        })
        .collect()
}

/// The catalogue's `portfolio_cohesion` of an alliance.
pub fn cohesion_value(cx: &Cx<'_>) -> Value {
    Value::Number(portfolio_cohesion(cx.view, &cx.members))
}

/// The catalogue's `portfolio_alignment` of each member of an alliance.
pub fn alignment_value(cx: &Cx<'_>) -> Value {
    let a = portfolio_alignment(cx.view, &cx.members);
    Value::PerState(
        cx.members
            .iter()
            .zip(a)
            .map(|(&k, v)| (cx.state(k), v))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testutil::{self, approx, random_matrix};

    #[test]
    fn hand_computed() {
        // Four states: 0–1 allies (1.0), 2 hostile to 0 (−1), 3 neutral.
        // p0 = (1, 1, −1, 0), p1 = (1, 1, 0, 0), p2 = (−1, 0, 1, 0), p3 = (0, 0, 0, 1).
        let w = testutil::matrix(4, &[(0, 1, 1.0), (0, 2, -1.0)]);
        let v = View::new(4, &w);
        // S(0,1): Σ|diff| = 0+0+1+0 = 1 → 1 − 1/4 = 0.75.
        approx(similarity(v, 0, 1, Measure::S).unwrap_or(f64::NAN), 0.75);
        // S(0,2): 2+1+2+0 = 5 → 1 − 5/4 = −0.25.
        approx(similarity(v, 0, 2, Measure::S).unwrap_or(f64::NAN), -0.25);
        // S_sq(0,2): Σ diff² = 4+1+4+0 = 9 → 1 − 9/8 = −0.125.
        approx(
            similarity(v, 0, 2, Measure::SSq).unwrap_or(f64::NAN),
            -0.125,
        );
        // Identical portfolios: 1 under every measure; a state with itself too.
        approx(similarity(v, 3, 3, Measure::S).unwrap_or(f64::NAN), 1.0);
        approx(
            similarity(v, 1, 1, Measure::Pearson).unwrap_or(f64::NAN),
            1.0,
        );
        // Pearson(0,1): means .25 and .5; centred p0 = (.75,.75,−1.25,−.25),
        // p1 = (.5,.5,−.5,−.5): Σab = .375+.375+.625+.125 = 1.5, Σa² = 2.75, Σb² = 1.
        approx(
            similarity(v, 0, 1, Measure::Pearson).unwrap_or(f64::NAN),
            1.5 / 2.75f64.sqrt(),
        );
        // Cohesion of {0, 1, 2}: S(0,1) = .75, S(0,2) = −.25, S(1,2): 2+1+1+0 = 4 → 0.
        approx(
            portfolio_cohesion(v, &[0, 1, 2]).unwrap_or(f64::NAN),
            0.5 / 3.0,
        );
        // Alignment: mean portfolio of {0,1,2} = (1/3, 2/3, 0, 0);
        // member 0: |2/3|+|1/3|+1+0 = 2 → 0.5; member 2: 4/3+2/3+1+0 = 3 → 0.25.
        let a = portfolio_alignment(v, &[0, 1, 2]);
        approx(a[0].unwrap_or(f64::NAN), 0.5);
        approx(a[2].unwrap_or(f64::NAN), 0.25);
        assert_eq!(portfolio_cohesion(v, &[1]), None);
        assert_eq!(portfolio_alignment(v, &[1]), vec![None]);
        let m = super::matrix(v, Measure::S);
        assert_eq!(m[1], m[4]);
        assert_eq!(m.len(), 16);
    }

    /// The pair-by-pair definitions (the previous implementation): the blocked sums must give
    /// the same values to the bit.
    fn cohesion_reference(v: View<'_>, members: &[usize]) -> Option<f64> {
        let m = members.len();
        if m < 2 {
            return None;
        }
        let mut sum = 0.0;
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                sum += similarity(v, i, j, Measure::S)?;
            }
        }
        Some(sum / (m * (m - 1) / 2) as f64)
    }

    fn alignment_reference(v: View<'_>, members: &[usize]) -> Vec<Option<f64>> {
        let (m, k) = (members.len(), v.n());
        if m < 2 || k == 0 {
            return vec![None; m];
        }
        let mean: Vec<f64> = (0..k)
            .map(|x| members.iter().map(|&j| p(v, j, x)).sum::<f64>() / m as f64)
            .collect();
        members
            .iter()
            .map(|&i| {
                let d: f64 = (0..k).map(|x| (p(v, i, x) - mean[x]).abs()).sum();
                Some(1.0 - d / k as f64)
            })
            .collect()
    }

    #[test]
    fn blocked_sums_equal_the_pairwise_definition_to_the_bit() {
        use proptest::prelude::*;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        runner
            .run(
                &(1usize..40, any::<u64>(), 0u64..4, any::<u64>()),
                |(n, seed, zero, pick)| {
                    let w = random_matrix(n, seed, zero, -1.0);
                    let v = View::new(n, &w);
                    // Every state, and a subset chosen by the bits of `pick`.
                    let all: Vec<usize> = (0..n).collect();
                    let some: Vec<usize> = (0..n).filter(|i| pick >> (i % 64) & 1 == 1).collect();
                    for members in [all, some] {
                        let (a, b) = (
                            portfolio_cohesion(v, &members),
                            cohesion_reference(v, &members),
                        );
                        prop_assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits));
                        let bits = |x: Vec<Option<f64>>| -> Vec<Option<u64>> {
                            x.into_iter().map(|y| y.map(f64::to_bits)).collect()
                        };
                        prop_assert_eq!(
                            bits(portfolio_alignment(v, &members)),
                            bits(alignment_reference(v, &members))
                        );
                    }
                    Ok(())
                },
            )
            .unwrap();
    }

    #[test]
    fn pearson_of_a_constant_portfolio_is_null() {
        // One state: its portfolio (1) is constant.
        let w = [0.0];
        assert_eq!(similarity(View::new(1, &w), 0, 0, Measure::Pearson), None);
        assert_eq!(similarity(View::new(0, &[]), 0, 0, Measure::S), None);
    }

    /// Relabelling states (a permutation of the matrix) permutes the results and changes no
    /// value.
    #[test]
    fn relabelling_changes_nothing() {
        use proptest::prelude::*;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        runner
            .run(
                &(2usize..9, any::<u64>(), 0u64..4, Just(())).prop_flat_map(
                    |(n, seed, zero, _)| {
                        (
                            Just(n),
                            Just(seed),
                            Just(zero),
                            Just(()).prop_perturb(move |_, mut rng| {
                                let mut perm: Vec<usize> = (0..n).collect();
                                for i in (1..n).rev() {
                                    perm.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
                                }
                                perm
                            }),
                        )
                    },
                ),
                |(n, seed, zero, perm)| {
                    let w = random_matrix(n, seed, zero, -1.0);
                    let mut pw = vec![0.0; n * n];
                    for i in 0..n {
                        for j in 0..n {
                            pw[perm[i] * n + perm[j]] = w[i * n + j];
                        }
                    }
                    let (v, pv) = (View::new(n, &w), View::new(n, &pw));
                    for m in [Measure::S, Measure::SSq, Measure::Pearson] {
                        for i in 0..n {
                            for j in 0..n {
                                let (a, b) =
                                    (similarity(v, i, j, m), similarity(pv, perm[i], perm[j], m));
                                prop_assert_eq!(a.is_some(), b.is_some());
                                prop_assert!((a.unwrap_or(0.0) - b.unwrap_or(0.0)).abs() < 1e-9);
                            }
                        }
                    }
                    let members: Vec<usize> = (0..n).filter(|i| i % 2 == 0).collect();
                    let mut pm: Vec<usize> = members.iter().map(|&i| perm[i]).collect();
                    let c = portfolio_cohesion(v, &members);
                    let pc = portfolio_cohesion(pv, &pm);
                    prop_assert!((c.unwrap_or(0.0) - pc.unwrap_or(0.0)).abs() < 1e-9);
                    let a = portfolio_alignment(v, &members);
                    let order: Vec<usize> = pm.clone();
                    pm.sort_unstable();
                    let pa = portfolio_alignment(pv, &pm);
                    for (x, &i) in order.iter().enumerate() {
                        let y = pm.iter().position(|&k| k == i).unwrap_or(0);
                        prop_assert!((a[x].unwrap_or(0.0) - pa[y].unwrap_or(0.0)).abs() < 1e-9);
                    }
                    Ok(())
                },
            )
            .unwrap();
    }
}
