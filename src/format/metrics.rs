//! The `metrics` command's outputs: the series as JSON, as a long CSV and as a compact terminal
//! table; and the output form of metric results (the edge where dataset indices become ids).
//!
//! JSON: `{"dataset", "from", "to", "step", "series": [{"date", "graph", "alliances"}]}`, the
//! objects holding the computed metrics in the order of [`crate::metrics::catalogue`] (null for
//! undefined values, floats at full precision). The table's columns are the catalogue's.
//!
//! CSV (long form, loadable as is in pandas or R): header `date,alliance,state,metric,value`,
//! one row per date, scope entry and metric. Graph metrics have `alliance` and `state` empty; an
//! alliance's metrics have its id in `alliance` and `state` empty; a member's per-state values
//! (`alignment`, …) have both. Two columns rather than one joined scope, so an id holding `/` or
//! `,` is never ambiguous. Rows follow the JSON order (graph metrics, then each alliance's metrics
//! followed by its members' values). The value is empty for null; counts are integers; groups
//! (`blocs`, `camps`, `signed_blocs`) are written as the number of groups, as the table shows
//! them (the groups themselves are in the JSON); flags are 1 or 0; other numbers are written as in
//! the JSON (shortest text that reads back to the same f64). Written with the `csv` crate:
//! fields holding a comma, a quote or a line break are quoted (RFC 4180).

use crate::dataset::Dataset;
use crate::date::{fmt_date, Step};
use crate::format::fmt_opt;
use crate::metrics::catalogue::{self, Scope};
use crate::metrics::{Metric, SeriesPoint, SnapshotMetrics, Value, Values};
use chrono::NaiveDate;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use std::borrow::Borrow;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The CSV header line (without the line break).
pub const CSV_HEADER: [&str; 5] = ["date", "alliance", "state", "metric", "value"];

/// The output form of one scope entry's [`Values`]: a JSON object, keys in catalogue order,
/// states and groups written as ids.
#[derive(Debug, Clone, Copy)]
pub struct ValuesOut<'a> {
    /// The dataset, for ids.
    pub ds: &'a Dataset,
    /// The values to write.
    pub values: &'a Values,
}

/// A value with its states written as ids.
struct ValueOut<'a> {
    ds: &'a Dataset,
    value: &'a Value,
}

impl Serialize for ValueOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let id = |k: &usize| self.ds.states[*k].id.as_str();
        match self.value {
            Value::Count(n) => n.serialize(s),
            Value::Number(v) => v.serialize(s),
            Value::Flag(b) => b.serialize(s),
            Value::Groups(g) => g
                .as_ref()
                .map(|g| {
                    g.iter()
                        .map(|b| b.iter().map(id).collect::<Vec<&str>>())
                        .collect::<Vec<_>>()
                })
                .serialize(s),
            Value::PerState(p) => {
                let mut m = s.serialize_map(Some(p.len()))?;
                for (k, v) in p {
                    m.serialize_entry(id(k), v)?;
                }
                m.end()
            }
        }
    }
}

impl Serialize for ValuesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let entries: Vec<(&Metric, &Value)> = self.values.entries().collect();
        let mut m = s.serialize_map(Some(entries.len()))?;
        for (metric, value) in entries {
            m.serialize_entry(metric.key, &ValueOut { ds: self.ds, value })?;
        }
        m.end()
    }
}

/// The output form of alliance metrics: alliance id → metrics, dataset order.
#[derive(Debug, Clone, Copy)]
pub struct AlliancesOut<'a> {
    /// The dataset, for ids.
    pub ds: &'a Dataset,
    /// Each alliance's dataset index and values.
    pub alliances: &'a [(usize, Values)],
}

impl Serialize for AlliancesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.alliances.len()))?;
        for (a, values) in self.alliances {
            m.serialize_entry(
                &self.ds.alliances[*a].id,
                &ValuesOut {
                    ds: self.ds,
                    values,
                },
            )?;
        }
        m.end()
    }
}

/// The `metrics` object of a date (`graph` and `alliances`), as the snapshot command writes it.
#[derive(Debug, Serialize)]
pub struct SnapshotMetricsOut<'a> {
    /// The graph's metrics.
    pub graph: ValuesOut<'a>,
    /// Each alliance's metrics, by id.
    pub alliances: AlliancesOut<'a>,
}

/// The output form of a date's metrics.
pub fn snapshot_metrics_out<'a>(ds: &'a Dataset, m: &'a SnapshotMetrics) -> SnapshotMetricsOut<'a> {
    SnapshotMetricsOut {
        graph: ValuesOut {
            ds,
            values: &m.graph,
        },
        alliances: AlliancesOut {
            ds,
            alliances: &m.alliances,
        },
    }
}

/// One date of the JSON series.
#[derive(Debug, Serialize)]
pub struct PointOut<'a> {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// The graph's metrics at that date.
    pub graph: ValuesOut<'a>,
    /// Each alliance's metrics at that date, by id.
    pub alliances: AlliancesOut<'a>,
}

/// The metrics JSON document (`series`: the points, collected, or written as they come by
/// [`write_json`]).
#[derive(Debug, Serialize)]
pub struct MetricsOut<'a, S = Vec<PointOut<'a>>> {
    /// The dataset's name.
    pub dataset: &'a str,
    /// First date of the series.
    pub from: String,
    /// Last date of the series.
    pub to: String,
    /// The step between dates (`1m`, …).
    pub step: String,
    /// One entry per date.
    pub series: S,
}

/// Builds the JSON document of a series.
pub fn metrics_out<'a>(
    ds: &'a Dataset,
    from: NaiveDate,
    to: NaiveDate,
    step: Step,
    points: &'a [SeriesPoint],
) -> MetricsOut<'a> {
    MetricsOut {
        dataset: &ds.name,
        from: fmt_date(from),
        to: fmt_date(to),
        step: step.to_string(),
        series: points
            .iter()
            .map(|p| {
                let m = snapshot_metrics_out(ds, &p.metrics);
                PointOut {
                    date: fmt_date(p.date),
                    graph: m.graph,
                    alliances: m.alliances,
                }
            })
            .collect(),
    }
}

/// The series of [`write_json`], serialized point by point as an iterator hands them out.
struct LazySeries<'a, 'i> {
    ds: &'a Dataset,
    points: RefCell<&'i mut dyn Iterator<Item = SeriesPoint>>,
}

impl Serialize for LazySeries<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut points = self.points.borrow_mut();
        for p in &mut **points {
            let m = snapshot_metrics_out(self.ds, &p.metrics);
            seq.serialize_element(&PointOut {
                date: fmt_date(p.date),
                graph: m.graph,
                alliances: m.alliances,
            })?;
        }
        seq.end()
    }
}

/// Writes the JSON document of a series (pretty-printed, then a line break) while `points`
/// hands out its dates, so that a long series need not be kept whole: the same bytes as
/// [`metrics_out`] of the collected points.
pub fn write_json(
    ds: &Dataset,
    (from, to, step): (NaiveDate, NaiveDate, Step),
    points: &mut dyn Iterator<Item = SeriesPoint>,
    w: &mut dyn Write,
) -> io::Result<()> {
    let doc = MetricsOut {
        dataset: &ds.name,
        from: fmt_date(from),
        to: fmt_date(to),
        step: step.to_string(),
        series: LazySeries {
            ds,
            points: RefCell::new(points),
        },
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}

/// A number as the JSON writes it (shortest round-trip text); empty for null.
pub fn csv_number(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => serde_json::to_string(&x).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A value as a CSV field: counts as integers, groups as their number, flags as 1 or 0, other
/// numbers as [`csv_number`]; empty for null.
fn csv_value(metric: &Metric, value: &Value) -> String {
    match value {
        Value::Count(n) => n.to_string(),
        Value::Number(Some(x)) if metric.is_count() => format!("{}", *x as u64),
        Value::Number(v) => csv_number(*v),
        Value::Groups(g) => g.as_ref().map_or(String::new(), |g| g.len().to_string()),
        Value::Flag(b) => u8::from(*b).to_string(),
        Value::PerState(_) => String::new(),
    }
}

/// Writes the series as long CSV (header included).
/// The points may be a slice or an iterator that hands them out as they are computed.
pub fn write_csv<P: Borrow<SeriesPoint>>(
    ds: &Dataset,
    points: impl IntoIterator<Item = P>,
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(CSV_HEADER)
        .map_err(crate::base::csv::io_error)?;
    for p in points {
        let p = p.borrow();
        let date = fmt_date(p.date);
        for (m, v) in p.metrics.graph.entries() {
            if !matches!(v, Value::PerState(_)) {
                out.write_record([date.as_str(), "", "", m.key, &csv_value(m, v)])
                    .map_err(crate::base::csv::io_error)?;
            }
        }
        for (a, values) in &p.metrics.alliances {
            let aid = ds.alliances[*a].id.as_str();
            for (m, v) in values.entries() {
                if !matches!(v, Value::PerState(_)) {
                    out.write_record([date.as_str(), aid, "", m.key, &csv_value(m, v)])
                        .map_err(crate::base::csv::io_error)?;
                }
            }
            for (m, per_state) in values.per_state_entries() {
                for (s, v) in per_state {
                    let sid = ds.states[*s].id.as_str();
                    out.write_record([date.as_str(), aid, sid, m.key, &csv_number(*v)])
                        .map_err(crate::base::csv::io_error)?;
                }
            }
        }
    }
    out.flush()
}

/// The table headings of `scope` (metrics with a column, in catalogue order).
fn heading(scope: Scope) -> String {
    let mut out = format!("{:<10} ", "date");
    for m in catalogue::CATALOGUE.iter().filter(|m| m.scope == scope) {
        if let Some(c) = m.column {
            let _ = write!(out, " {:>w$}", c.header, w = c.width);
        }
    }
    out
}

/// One table row: the columns of the metrics of `scope` in `values`.
fn table_row(date: NaiveDate, scope: Scope, values: &Values) -> String {
    let mut out = format!("{:<10} ", fmt_date(date));
    for (m, v) in values.entries().filter(|(m, _)| m.scope == scope) {
        let Some(c) = m.column else { continue };
        let text = match v {
            Value::Count(n) => n.to_string(),
            Value::Number(x) => fmt_opt(*x, 3),
            Value::Groups(g) => g.as_ref().map_or("-".to_string(), |g| g.len().to_string()),
            Value::Flag(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::PerState(_) => continue,
        };
        let _ = write!(out, " {:>w$}", text, w = c.width);
    }
    out
}

/// The lowest per-state values of `values` as trailing table columns ("  STATE 0.123").
fn lowest(ds: &Dataset, values: &Values) -> String {
    let mut out = String::new();
    for (m, per_state) in values.per_state_entries() {
        if m.column.is_none() {
            continue;
        }
        let low = per_state
            .iter()
            .filter_map(|(s, v)| v.map(|v| (s, v)))
            .min_by(|x, y| x.1.total_cmp(&y.1))
            .map_or("-".to_string(), |(s, v)| {
                format!("{} {v:.3}", ds.states[*s].id)
            });
        let _ = write!(out, "  {low}");
    }
    out
}

/// The table view, with control and bidirectional formatting characters of dataset text
/// escaped for the terminal (see [`crate::base::text::for_terminal`]).
pub fn table(
    ds: &Dataset,
    from: NaiveDate,
    to: NaiveDate,
    step: Step,
    points: &[SeriesPoint],
) -> String {
    crate::base::text::for_terminal(&table_raw(ds, from, to, step, points)).into_owned()
}

/// A compact terminal view: one table for the graph, one per alliance, a row per date; the
/// columns are the catalogue's.
fn table_raw(
    ds: &Dataset,
    from: NaiveDate,
    to: NaiveDate,
    step: Step,
    points: &[SeriesPoint],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — metrics {} to {}, step {} ({} date{})\n",
        ds.name,
        fmt_date(from),
        fmt_date(to),
        step,
        points.len(),
        if points.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "graph\n{}", heading(Scope::Graph));
    for p in points {
        let _ = writeln!(out, "{}", table_row(p.date, Scope::Graph, &p.metrics.graph));
    }
    let state_headers: String = catalogue::of_scope(Scope::State)
        .filter_map(|m| m.column)
        .map(|c| format!("  {}", c.header))
        .collect();
    for (a, al) in ds.alliances.iter().enumerate() {
        let rows: Vec<(&SeriesPoint, &Values)> = points
            .iter()
            .filter_map(|p| p.metrics.alliance(a).map(|m| (p, m)))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}\n{}{state_headers}",
            al.id,
            heading(Scope::Alliance)
        );
        for (p, m) in rows {
            let _ = writeln!(
                out,
                "{}{}",
                table_row(p.date, Scope::Alliance, m),
                lowest(ds, m)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_numbers() {
        assert_eq!(csv_number(None), "");
        assert_eq!(csv_number(Some(0.1)), "0.1");
        assert_eq!(csv_number(Some(1e-10)), "1e-10");
        assert_eq!(csv_number(Some(f64::NAN)), "");
    }
}
