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

/// Formats an optional number for tables: fixed decimals, `-` for null.
pub fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) => format!("{x:.decimals$}"),
        None => "-".to_string(),
    }
}
