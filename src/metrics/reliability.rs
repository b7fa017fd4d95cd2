//! `reliability`: how far an alliance has honoured its members' calls for help, recent answers
//! counting more than old ones.
//!
//! Over the alliance's answered invocations up to the date t (a `respond` event dated on or
//! before t answering an `invoke`, docs/dataset.md), with t_e the date of the answer,
//! h_e = 1 (honoured), ½ (partial) or 0 (declined), and h the half-life
//! (`--reliability-half-life`, default ten years):
//!
//! reliability(t) = Σ_e 2^(−(t−t_e)/h)·h_e / Σ_e 2^(−(t−t_e)/h)
//!
//! a decay-weighted share of honoured calls in [0, 1], null before the first answer. Open
//! calls do not count. Since every weight decays at the same rate, the value changes only when
//! an answer is given; the half-life sets how much an answer weighs against earlier ones.
//! Computed with ages counted from the latest answer (the ratio is the same), so no weight
//! underflows to zero however old the answers are.
//!
//! Reading it: Leeds, Long & Mitchell (2000, "Reevaluating Alliance Reliability: Specific
//! Threats, Specific Promises", Journal of Conflict Resolution 44(5), 686–699) find that
//! alliance commitments were honoured 74.5 % of the time when their conditions arose
//! (1816–1944); Berkemeier & Fuhrmann (2018, "Reassessing the fulfillment of alliance
//! commitments in war", Research & Politics 5(2)) extend the data to 2003 and find 66 % before
//! 1945 and 22 % from 1945 to 2003. A value near ¾ is a reliable alliance by the historical
//! standard; one near 0 has refused its members' recent calls.
//!
//! Complexity: O(c) per alliance and date, c = the alliance's answered calls.

use super::{Cx, Value};

/// The decay-weighted share of honoured calls: `answers` as (age in days at the date, score
/// h_e), `half_life_days` positive. `None` without answers.
///
/// ```
/// use entente::metrics::reliability::reliability;
/// // Declined ten years ago, honoured today, half-life ten years: (½·0 + 1·1) / (½ + 1) = ⅔.
/// let r = reliability(&[(3652.5, 0.0), (0.0, 1.0)], 3652.5).unwrap();
/// assert!((r - 2.0 / 3.0).abs() < 1e-15);
/// assert_eq!(reliability(&[], 3652.5), None);
/// ```
pub fn reliability(answers: &[(f64, f64)], half_life_days: f64) -> Option<f64> {
    let newest = answers.iter().map(|a| a.0).reduce(f64::min)?;
    let (mut num, mut den) = (0.0, 0.0);
    for &(age, score) in answers {
        let w = (-(age - newest) / half_life_days).exp2();
        num += w * score;
        den += w;
    }
    Some(num / den)
}

/// The catalogue's `reliability` of an alliance (null for the whole graph).
pub fn value(cx: &Cx<'_>) -> Value {
    let Some(m) = cx.membership else {
        return Value::Number(None);
    };
    let record = &cx.snap.calls;
    Value::Number(reliability(
        &record.answers(m.alliance, cx.snap.date),
        record.half_life_days(),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::testutil::approx;

    #[test]
    fn one_answer_is_its_score_whatever_its_age() {
        for (age, score) in [(0.0, 1.0), (1e6, 0.5), (40.0, 0.0)] {
            assert_eq!(reliability(&[(age, score)], 30.0), Some(score));
        }
    }

    #[test]
    fn hand_computed_with_decay() {
        // Half-life 100 days. Answers: honoured 300 days ago (weight ⅛), partial 100 days ago
        // (weight ½), declined today (weight 1): (⅛·1 + ½·½ + 1·0) / (⅛ + ½ + 1) = 0.375/1.625.
        let r = reliability(&[(300.0, 1.0), (100.0, 0.5), (0.0, 0.0)], 100.0).unwrap();
        approx(r, 0.375 / 1.625);
        // The same answers a year later: every weight halves 3.65 times, the ratio stays.
        let r2 = reliability(&[(665.0, 1.0), (465.0, 0.5), (365.0, 0.0)], 100.0).unwrap();
        approx(r2, 0.375 / 1.625);
    }

    #[test]
    fn very_old_answers_do_not_underflow() {
        // 2^(−1e6) is 0 in f64; counted from the newest answer the weights are 1 and 2^(−1).
        let r = reliability(&[(1e6 + 10.0, 1.0), (1e6, 0.0)], 10.0).unwrap();
        approx(r, 0.5 / 1.5);
    }

    #[test]
    fn a_long_half_life_is_the_plain_share_and_a_short_one_the_latest() {
        let answers = [(2000.0, 1.0), (1000.0, 1.0), (0.0, 0.0)];
        let long = reliability(&answers, 1e12).unwrap();
        assert!((long - 2.0 / 3.0).abs() < 1e-9, "{long}");
        assert!(reliability(&answers, 1.0).unwrap() < 1e-200);
    }
}
