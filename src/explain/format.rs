//! An [`Explanation`] as text: the JSON layout of docs/explain.md (every group listed), CSV (one
//! row per group) and a terminal table (the `top` largest groups, then the rest summed). Floats
//! in JSON and CSV are the shortest text that reads back to the same value.

use super::{Explanation, Quantity};
use crate::base::csv::field;
use crate::dataset::Dataset;
use crate::date::fmt_date;
use serde::Serialize;

#[derive(Serialize)]
struct Json<'a> {
    metric: &'a str,
    scope: Scope<'a>,
    from: String,
    to: String,
    value_from: f64,
    value_to: f64,
    delta: f64,
    method: &'a str,
    contributions: Vec<JsonContribution<'a>>,
    residual: f64,
}

#[derive(Serialize)]
struct Scope<'a> {
    alliance: Option<&'a str>,
    state: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonContribution<'a> {
    group: &'a str,
    label: &'a str,
    contribution: f64,
    stderr: Option<f64>,
}

/// The scope's ids: (alliance, state).
fn scope_ids<'a>(ds: &'a Dataset, q: &Quantity) -> (Option<&'a str>, Option<&'a str>) {
    (
        q.alliance
            .and_then(|a| ds.alliances.get(a))
            .map(|a| a.id.as_str()),
        q.state
            .and_then(|s| ds.states.get(s))
            .map(|s| s.id.as_str()),
    )
}

/// Pretty JSON with a final newline.
pub fn json(x: &Explanation, ds: &Dataset, q: &Quantity) -> String {
    let (alliance, state) = scope_ids(ds, q);
    let j = Json {
        metric: q.metric.key,
        scope: Scope { alliance, state },
        from: fmt_date(x.from),
        to: fmt_date(x.to),
        value_from: x.value_from,
        value_to: x.value_to,
        delta: x.delta,
        method: x.method,
        contributions: x
            .contributions
            .iter()
            .map(|c| JsonContribution {
                group: &c.group,
                label: &c.label,
                contribution: c.contribution,
                stderr: c.stderr,
            })
            .collect(),
        residual: x.residual,
    };
    let mut s = serde_json::to_string_pretty(&j).unwrap_or_default();
    s.push('\n');
    s
}

/// CSV: `group,label,contribution,stderr`, one row per group in output order.
pub fn csv(x: &Explanation) -> String {
    let mut s = String::from("group,label,contribution,stderr\n");
    for c in &x.contributions {
        s.push_str(&format!(
            "{},{},{},{}\n",
            field(&c.group),
            field(&c.label),
            c.contribution,
            c.stderr.map(|e| e.to_string()).unwrap_or_default()
        ));
    }
    s
}

/// A table for reading: the header line, the `top` largest groups, the others summed, the sum
/// and the residual.
pub fn table(x: &Explanation, ds: &Dataset, q: &Quantity, by: &str, top: usize) -> String {
    let (alliance, state) = scope_ids(ds, q);
    let scope = match (alliance, state) {
        (Some(a), Some(s)) => format!("{a}/{s} "),
        (Some(a), None) => format!("{a} "),
        _ => String::new(),
    };
    let mut s = format!(
        "{scope}{} ({}) {} → {}: {:.4} → {:.4}, Δ = {:+.4}\n",
        q.metric.key,
        q.metric.title,
        fmt_date(x.from),
        fmt_date(x.to),
        x.value_from,
        x.value_to,
        x.delta
    );
    let method = match x.samples {
        Some(n) => format!("shapley ({n} permutations)"),
        None => x.method.to_string(),
    };
    s.push_str(&format!(
        "{method} over {} groups (by {by})\n\n",
        x.contributions.len()
    ));
    let shapley = x.samples.is_some();
    let id_w = x
        .contributions
        .iter()
        .take(top)
        .map(|c| c.group.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    if shapley {
        s.push_str(&format!(
            "{:>12}  {:>9}  {:<id_w$}  label\n",
            "contribution", "stderr", "group"
        ));
    } else {
        s.push_str(&format!(
            "{:>12}  {:<id_w$}  label\n",
            "contribution", "group"
        ));
    }
    for c in x.contributions.iter().take(top) {
        let label = if c.label == c.group { "" } else { &c.label };
        if shapley {
            let se = c.stderr.map_or("-".to_string(), |e| format!("{e:.4}"));
            s.push_str(&format!(
                "{:>+12.4}  {se:>9}  {:<id_w$}  {label}\n",
                c.contribution, c.group
            ));
        } else {
            s.push_str(&format!(
                "{:>+12.4}  {:<id_w$}  {label}\n",
                c.contribution, c.group
            ));
        }
    }
    let rest = &x.contributions[top.min(x.contributions.len())..];
    if !rest.is_empty() {
        let sum: f64 = rest.iter().map(|c| c.contribution).sum();
        s.push_str(&format!("{sum:>+12.4}  ({} other groups)\n", rest.len()));
    }
    let total: f64 = x.contributions.iter().map(|c| c.contribution).sum();
    s.push_str(&format!("\nsum of contributions  {total:+.4}\n"));
    s.push_str(&format!("residual (Δ − sum)    {:+.4}\n", x.residual));
    s
}
