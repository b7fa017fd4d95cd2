//! The `diff` command's outputs: the [`Diff`] document as JSON (see
//! [`crate::metrics::diff`]) and as a terminal table.

use crate::format::{fmt_opt, OrderedMap};
use crate::metrics::catalogue::is_count;
use crate::metrics::diff::{Diff, ValueChange};
use std::fmt::Write;

fn signed(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{x:+.3}"),
        None => "-".to_string(),
    }
}

fn section(out: &mut String, title: &str, rows: &OrderedMap<ValueChange>) {
    let _ = writeln!(out, "\n{title}");
    for (k, v) in &rows.0 {
        let d = if is_count(k) { 0 } else { 3 };
        let change = match v.change {
            Some(x) => format!("{x:+.d$}"),
            None => "-".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<12} {:>8} → {:<8} ({})",
            k,
            fmt_opt(v.from, d),
            fmt_opt(v.to, d),
            change
        );
    }
}

/// A readable terminal view of a diff.
pub fn table(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — changes from {} to {}\n", d.dataset, d.from, d.to);
    let width = d
        .pairs
        .iter()
        .flat_map(|p| [p.a.chars().count(), p.b.chars().count()])
        .max()
        .unwrap_or(3)
        .max(3);
    let _ = writeln!(out, "Pairs whose weight moved most");
    if d.pairs.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for p in &d.pairs {
        let _ = writeln!(
            out,
            "  {:<width$}  {:<width$}  {:+.3} → {:+.3}  ({:+.3})",
            p.a, p.b, p.from, p.to, p.change
        );
    }
    section(&mut out, "Graph", &d.graph);
    for (aid, a) in &d.alliances.0 {
        section(&mut out, aid, &a.metrics);
        for (key, changes) in &a.members.0 {
            let _ = writeln!(out, "  {key} moved most:");
            if changes.is_empty() {
                let _ = writeln!(out, "    (none)");
            }
            for m in changes {
                let _ = writeln!(
                    out,
                    "    {:<10} {:>8} → {:<8} ({})",
                    m.state,
                    fmt_opt(m.value.from, 3),
                    fmt_opt(m.value.to, 3),
                    signed(m.value.change)
                );
            }
        }
    }
    out
}
