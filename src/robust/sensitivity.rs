//! One-at-a-time sensitivity: each rule moved to its low and then its high end, every other
//! rule nominal, and the swing of one metric value at one date; rows sorted by swing (the data
//! of a tornado chart).

use super::{flatten, same_metric, At, Engine, Variant};
use crate::metrics::Metric;

/// One rule's effect on the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The rule's label (its compact form).
    pub rule: String,
    /// The value with the rule at its low end.
    pub low: Option<f64>,
    /// The value with the rule at its high end.
    pub high: Option<f64>,
    /// `|high − low|`; `None` when either is undefined.
    pub swing: Option<f64>,
}

/// The nominal value and one row per rule, sorted by swing (largest first; undefined last;
/// ties in rule order). `engine.dates` should hold the one date asked for.
pub fn run(engine: &Engine<'_>, at: At, metric: &'static Metric) -> (Option<f64>, Vec<Row>) {
    let value = |v: Variant| {
        let (ds, rows) = engine.variant(v);
        let f = flatten(&engine.series(&ds, &rows));
        f.cells
            .iter()
            .position(|c| c.at == at && same_metric(c.metric, metric))
            .and_then(|i| f.values[i])
            .filter(|x| x.is_finite())
    };
    let nominal = value(Variant::Nominal);
    let mut rows: Vec<Row> = engine
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let low = value(Variant::End { rule: i, high: false });
            let high = value(Variant::End { rule: i, high: true });
            let swing = match (low, high) {
                (Some(a), Some(b)) => Some((b - a).abs()),
                _ => None,
            };
            Row {
                rule: r.rule.label.clone(),
                low,
                high,
                swing,
            }
        })
        .collect();
    rows.sort_by(|a, b| match (a.swing, b.swing) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    (nominal, rows)
}
