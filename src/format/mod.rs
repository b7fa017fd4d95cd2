//! Text outputs of the analysis commands: JSON, CSV and terminal tables. Everything serialised
//! here is deterministic: vectors in dataset order, maps in insertion order, floats printed as the
//! shortest text that reads back to the same value.

pub mod diff;
pub mod metrics;
pub mod snapshot;

pub use crate::base::OrderedMap;
use serde::Serialize;

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Formats an optional number for tables: fixed decimals, `-` for null; a value that rounds to
/// zero prints as `0.000`, never `-0.000`.
pub fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) => fixed(x, decimals),
        None => "-".to_string(),
    }
}

/// `x` with `decimals` fixed decimals; a value that rounds to zero has no sign (`0.000`, not
/// `-0.000`).
pub fn fixed(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rounds_to_zero(rest) => rest.to_string(),
        _ => text,
    }
}

/// `x` with `decimals` fixed decimals and an explicit sign (`+0.120`, `-0.120`); a value that
/// rounds to zero prints as `0.000`, with no sign.
pub fn signed_fixed(x: f64, decimals: usize) -> String {
    let text = fixed(x, decimals);
    if rounds_to_zero(&text) || text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

/// Whether a formatted number has only zero digits.
fn rounds_to_zero(text: &str) -> bool {
    text.chars().all(|c| c == '0' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_has_no_sign() {
        assert_eq!(fixed(-0.0001, 3), "0.000");
        assert_eq!(fixed(-0.0, 3), "0.000");
        assert_eq!(fixed(-0.0006, 3), "-0.001");
        assert_eq!(fixed(-2.0, 0), "-2");
        assert_eq!(signed_fixed(0.0, 3), "0.000");
        assert_eq!(signed_fixed(-0.0004, 3), "0.000");
        assert_eq!(signed_fixed(0.0004, 3), "0.000");
        assert_eq!(signed_fixed(0.12, 3), "+0.120");
        assert_eq!(signed_fixed(-0.12, 3), "-0.120");
        assert_eq!(signed_fixed(3.0, 0), "+3");
        assert_eq!(signed_fixed(0.0, 0), "0");
        assert_eq!(fmt_opt(Some(-1e-9), 3), "0.000");
        assert_eq!(fmt_opt(None, 3), "-");
    }
}
