//! The `metrics` command's outputs: the series as JSON, as a long CSV and as a compact terminal
//! table.
//!
//! JSON: `{"dataset", "from", "to", "step", "series": [{"date", "graph", "alliances"}]}`, the
//! objects exactly as [`crate::metrics`] defines them (null for undefined values, floats at
//! full precision).
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
use crate::format::{fmt_opt, OrderedMap};
use crate::metrics::{AllianceMetrics, GraphMetrics, SeriesPoint};
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The CSV header line (without the line break).
pub const CSV_HEADER: &str = "date,scope,metric,value";

/// One date of the JSON series.
#[derive(Debug, Serialize)]
pub struct PointOut<'a> {
    pub date: String,
    pub graph: &'a GraphMetrics,
    pub alliances: &'a OrderedMap<AllianceMetrics>,
}

/// The metrics JSON document.
#[derive(Debug, Serialize)]
pub struct MetricsOut<'a> {
    pub dataset: &'a str,
    pub from: String,
    pub to: String,
    pub step: String,
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
            .map(|p| PointOut {
                date: fmt_date(p.date),
                graph: &p.metrics.graph,
                alliances: &p.metrics.alliances,
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

/// The counts among the numeric metrics, written as integers.
const COUNTS: [&str; 7] = [
    "states",
    "ties",
    "positive",
    "negative",
    "components",
    "members",
    "suspended",
];

fn row(w: &mut dyn Write, date: &str, scope: &str, metric: &str, v: Option<f64>) -> io::Result<()> {
    let value = match v {
        Some(x) if COUNTS.contains(&metric) => format!("{}", x as u64),
        _ => csv_number(v),
    };
    writeln!(w, "{date},{},{metric},{value}", csv_field(scope))
}

/// Writes the series as long CSV (header included).
pub fn write_csv(points: &[SeriesPoint], w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{CSV_HEADER}")?;
    for p in points {
        let date = fmt_date(p.date);
        for (k, v) in p.metrics.graph.numeric() {
            row(w, &date, "graph", k, v)?;
        }
        for (aid, a) in &p.metrics.alliances.0 {
            for (k, v) in a.numeric() {
                row(w, &date, aid, k, v)?;
            }
            for (sid, v) in &a.alignment.0 {
                row(w, &date, &format!("{aid}/{sid}"), "alignment", *v)?;
            }
        }
    }
    Ok(())
}

/// A compact terminal view: one table for the graph, one per alliance, a row per date.
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
    let f = |v: Option<f64>| fmt_opt(v, 3);
    let _ = writeln!(
        out,
        "graph\n{:<10}  {:>6} {:>6} {:>8} {:>8} {:>7} {:>7} {:>5} {:>5} {:>10}",
        "date",
        "states",
        "ties",
        "density",
        "mean_tie",
        "clust",
        "balance",
        "comp",
        "blocs",
        "modularity"
    );
    for p in points {
        let g = &p.metrics.graph;
        let _ = writeln!(
            out,
            "{:<10}  {:>6} {:>6} {:>8} {:>8} {:>7} {:>7} {:>5} {:>5} {:>10}",
            fmt_date(p.date),
            g.states,
            g.ties,
            f(g.density),
            f(g.mean_tie),
            f(g.clustering),
            f(g.balance),
            g.components,
            g.blocs
                .as_ref()
                .map_or("-".to_string(), |b| b.len().to_string()),
            f(g.modularity)
        );
    }
    for a in &ds.alliances {
        let rows: Vec<(&SeriesPoint, &AllianceMetrics)> = points
            .iter()
            .filter_map(|p| {
                p.metrics
                    .alliances
                    .0
                    .iter()
                    .find(|(k, _)| *k == a.id)
                    .map(|(_, m)| (p, m))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}\n{:<10}  {:>7} {:>4} {:>8} {:>8} {:>8} {:>7} {:>7} {:>8} {:>8}  lowest alignment",
            a.id,
            "date",
            "members",
            "susp",
            "density",
            "mean_tie",
            "min_tie",
            "clust",
            "balance",
            "ei_index",
            "fiedler"
        );
        for (p, m) in rows {
            let lowest = m
                .alignment
                .0
                .iter()
                .filter_map(|(s, v)| v.map(|v| (s, v)))
                .min_by(|x, y| x.1.total_cmp(&y.1))
                .map_or("-".to_string(), |(s, v)| format!("{s} {v:.3}"));
            let _ = writeln!(
                out,
                "{:<10}  {:>7} {:>4} {:>8} {:>8} {:>8} {:>7} {:>7} {:>8} {:>8}  {}",
                fmt_date(p.date),
                m.members,
                m.suspended,
                f(m.density),
                f(m.mean_tie),
                f(m.min_tie),
                f(m.clustering),
                f(m.balance),
                f(m.ei_index),
                f(m.fiedler),
                lowest
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
