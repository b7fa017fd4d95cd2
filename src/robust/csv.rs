//! Banded cells as CSV, one row per date × scope × metric:
//! `date,alliance,state,metric,nominal,mean,q…,draws`, the `alliance` and `state` columns as in
//! `entente metrics --format csv`, values as `metrics` writes them (counts as integers, empty
//! when undefined). `entente robust --format csv` and the report's `bands.csv` write their rows
//! through these functions, so the two files have one layout.

use super::{At, Band, Cell};
use crate::base::csv::field;
use crate::dataset::Dataset;
use crate::metrics::Metric;

/// The `alliance` and `state` columns of a cell, as in `entente metrics --format csv` (empty
/// for the graph; the state empty for an alliance metric).
pub fn scope_ids(ds: &Dataset, at: At) -> (&str, &str) {
    match at {
        At::Graph => ("", ""),
        At::Alliance(a) => (&ds.alliances[a].id, ""),
        At::Member(a, s) => (&ds.alliances[a].id, &ds.states[s].id),
    }
}

/// The header line (with its newline); `quantiles` are the names of the quantile columns
/// without their `q` (e.g. `0.05`).
///
/// ```
/// use entente::robust::csv::header;
/// assert_eq!(
///     header(&["0.05", "0.95"]),
///     "date,alliance,state,metric,nominal,mean,q0.05,q0.95,draws\n"
/// );
/// ```
pub fn header<S: AsRef<str>>(quantiles: &[S]) -> String {
    let mut out = String::from("date,alliance,state,metric,nominal,mean");
    for q in quantiles {
        out.push_str(",q");
        out.push_str(q.as_ref());
    }
    out.push_str(",draws\n");
    out
}

/// A value as CSV text, as `metrics` writes it: a count with an integral value as an integer,
/// other numbers as their shortest round-trip text (as the JSON writes them), empty when
/// undefined.
///
/// ```
/// use entente::metrics::catalogue::{find, Scope};
/// use entente::robust::csv::value;
/// let members = find(Scope::Alliance, "members").unwrap();
/// let mean_tie = find(Scope::Alliance, "mean_tie").unwrap();
/// assert_eq!(value(members, Some(4.0)), "4");
/// assert_eq!(value(mean_tie, Some(0.1)), "0.1");
/// assert_eq!(value(mean_tie, Some(f64::NAN)), "");
/// ```
pub fn value(m: &Metric, v: Option<f64>) -> String {
    match v.filter(|x| x.is_finite()) {
        Some(x) if m.is_count() && x.fract() == 0.0 && x >= 0.0 => format!("{}", x as u64),
        Some(x) => serde_json::to_string(&x).unwrap_or_default(),
        None => String::new(),
    }
}

/// The row of one cell and its band (with its newline); `date` is the cell's date as text.
pub fn row(ds: &Dataset, date: &str, cell: &Cell, band: &Band) -> String {
    let (alliance, state) = scope_ids(ds, cell.at);
    let mut out = format!(
        "{date},{},{},{},{},{}",
        field(alliance),
        field(state),
        cell.metric.key,
        value(cell.metric, band.nominal),
        value(cell.metric, band.mean)
    );
    for q in &band.quantiles {
        out.push(',');
        out.push_str(&value(cell.metric, *q));
    }
    out.push_str(&format!(",{}\n", band.draws));
    out
}
