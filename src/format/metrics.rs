//! The `metrics` command's outputs: the series as JSON, as a long CSV and as a compact terminal
//! table; and the output form of metric results (the edge where dataset indices become ids).
//!
//! JSON: `{"dataset", "from", "to", "step", "series": [{"date", "graph", "alliances"}]}`, the
//! objects holding the computed metrics in the order of [`crate::metrics::catalogue`] (null for
//! undefined values, floats at full precision). The table's columns are the catalogue's.
//!
//! CSV (long form, loadable as is in pandas or R): header `date,scope,metric,value`, one row per
//! date, scope and metric. Scope `graph` for the whole graph, the alliance id for an alliance's
//! metrics, and `ALLIANCE/STATE` for a member's `alignment`. Rows follow the JSON order (graph
//! metrics, then each alliance's metrics followed by its members' alignment). The value is empty
//! for null; counts are integers; other numbers are written as in the JSON (shortest text that
//! reads back to the same f64). `blocs` is not numeric and is left out of the CSV (use the JSON).
//! Fields containing a comma, a quote or a line break are quoted (RFC 4180).

use crate::dataset::Dataset;
use crate::date::{fmt_date, Step};
use crate::format::fmt_opt;
use crate::metrics::catalogue::{self, Scope};
use crate::metrics::{Metric, SeriesPoint, SnapshotMetrics, Value, Values};
use chrono::NaiveDate;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The CSV header line (without the line break).
pub const CSV_HEADER: &str = "date,scope,metric,value";

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

/// The metrics JSON document.
#[derive(Debug, Serialize)]
pub struct MetricsOut<'a> {
    /// The dataset's name.
    pub dataset: &'a str,
    /// First date of the series.
    pub from: String,
    /// Last date of the series.
    pub to: String,
    /// The step between dates (`1m`, …).
    pub step: String,
    /// One entry per date.
    pub series: Vec<PointOut<'a>>,
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

/// A CSV field, quoted when it needs to be.
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// A number as the JSON writes it (shortest round-trip text); empty for null.
pub fn csv_number(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => serde_json::to_string(&x).unwrap_or_default(),
        _ => String::new(),
    }
}

fn row(
    w: &mut dyn Write,
    date: &str,
    scope: &str,
    metric: &Metric,
    v: Option<f64>,
) -> io::Result<()> {
    let value = match v {
        Some(x) if metric.is_count() => format!("{}", x as u64),
        _ => csv_number(v),
    };
    writeln!(w, "{date},{},{},{value}", csv_field(scope), metric.key)
}

/// Writes the series as long CSV (header included).
pub fn write_csv(ds: &Dataset, points: &[SeriesPoint], w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{CSV_HEADER}")?;
    for p in points {
        let date = fmt_date(p.date);
        for (m, v) in p.metrics.graph.numeric() {
            row(w, &date, "graph", m, v)?;
        }
        for (a, values) in &p.metrics.alliances {
            let aid = &ds.alliances[*a].id;
            for (m, v) in values.numeric() {
                row(w, &date, aid, m, v)?;
            }
            for (m, per_state) in values.per_state_entries() {
                for (s, v) in per_state {
                    let scope = format!("{aid}/{}", ds.states[*s].id);
                    row(w, &date, &scope, m, *v)?;
                }
            }
        }
    }
    Ok(())
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

/// A compact terminal view: one table for the graph, one per alliance, a row per date; the
/// columns are the catalogue's.
pub fn table(
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
    fn csv_quoting_and_numbers() {
        assert_eq!(csv_field("CSTO"), "CSTO");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_number(None), "");
        assert_eq!(csv_number(Some(0.1)), "0.1");
        assert_eq!(csv_number(Some(1e-10)), "1e-10");
        assert_eq!(csv_number(Some(f64::NAN)), "");
    }
}
