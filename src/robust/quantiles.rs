//! Quantiles and means of draws, defined exactly (docs/robust.md): the `q` quantile of `n`
//! sorted values `x[0] ≤ … ≤ x[n−1]` is `x[j] + (h − j)·(x[j+1] − x[j])` with `h = (n − 1)·q`
//! and `j = ⌊h⌋`: linear interpolation between order statistics, numpy's default method.

/// The quantile `q` (in [0, 1]) of `sorted` (ascending, finite); `None` when empty.
///
/// ```
/// use entente::robust::quantiles::quantile;
/// assert_eq!(quantile(&[1.0, 2.0, 4.0, 8.0], 0.5), Some(3.0));
/// assert_eq!(quantile(&[1.0, 2.0, 4.0, 8.0], 0.25), Some(1.75));
/// ```
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    let last = *sorted.last()?;
    let h = (n - 1) as f64 * q;
    let j = h.floor();
    let ju = j as usize;
    if ju + 1 >= n {
        return Some(last);
    }
    let (a, b) = (sorted[ju], sorted[ju + 1]);
    Some(a + (h - j) * (b - a))
}

/// The mean of `sorted`, computed as `x[0] + Σ(x[i] − x[0]) / n` so that equal values give
/// that value exactly; `None` when empty.
pub fn mean(sorted: &[f64]) -> Option<f64> {
    let first = *sorted.first()?;
    let sum: f64 = sorted.iter().map(|x| x - first).sum();
    Some(first + sum / sorted.len() as f64)
}

/// Parses `0.05,0.5,0.95`: each in [0, 1], as given (their text names the output columns).
pub fn parse_list(text: &str) -> Result<Vec<(String, f64)>, String> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let p = part.trim();
        match p.parse::<f64>() {
            Ok(q) if (0.0..=1.0).contains(&q) => {
                if out.iter().any(|(t, _): &(String, f64)| t == p) {
                    return Err(format!("quantile {p} given twice"));
                }
                out.push((p.to_string(), q))
            }
            _ => return Err(format!("{p:?} is not a quantile in [0, 1]")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn matches_numpy_linear_by_hand() {
        // numpy.quantile([0.1, 0.4, 0.2, 0.9, 0.5], [0, .05, .25, .5, .75, .95, 1]):
        // sorted 0.1 0.2 0.4 0.5 0.9; h = 4q.
        let x = [0.1, 0.2, 0.4, 0.5, 0.9];
        assert_eq!(quantile(&x, 0.0), Some(0.1));
        assert_eq!(quantile(&x, 1.0), Some(0.9));
        assert_eq!(quantile(&x, 0.5), Some(0.4));
        assert_eq!(quantile(&x, 0.25), Some(0.2));
        assert!((quantile(&x, 0.05).unwrap() - (0.1 + 0.2 * 0.1)).abs() < 1e-15);
        assert!((quantile(&x, 0.95).unwrap() - (0.5 + 0.8 * 0.4)).abs() < 1e-15);
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7.0], 0.3), Some(7.0));
    }

    #[test]
    fn equal_values_give_that_value_exactly() {
        let v = 0.1 + 0.2;
        let x = [v; 7];
        for q in [0.0, 0.05, 0.33, 0.5, 0.95, 1.0] {
            assert_eq!(quantile(&x, q).unwrap().to_bits(), v.to_bits());
        }
        assert_eq!(mean(&x).unwrap().to_bits(), v.to_bits());
    }

    #[test]
    fn lists() {
        assert_eq!(
            parse_list("0.05, 0.5").unwrap(),
            vec![("0.05".to_string(), 0.05), ("0.5".to_string(), 0.5)]
        );
        assert!(parse_list("0.5,1.5").is_err());
        assert!(parse_list("0.5,0.5").is_err());
        assert!(parse_list("x").is_err());
    }
}
