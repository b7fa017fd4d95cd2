//! The `diff` command's outputs: the [`Diff`] document as JSON (see
//! [`crate::metrics::diff`]) and as a terminal table.

use crate::format::{fmt_opt, signed_fixed, OrderedMap};
use crate::metrics::catalogue::{self, is_count};
use crate::metrics::diff::{Diff, ValueChange};
use std::fmt::Write;

/// The change column of a value: the signed change, or a word when the value exists at only
/// one date (`new`, `removed`) or at neither (`undefined`). A change that rounds to zero prints
/// as `0.000`, never `-0.000`.
fn change_text(v: &ValueChange, decimals: usize) -> String {
    match (v.from, v.to, v.change) {
        (_, _, Some(x)) => signed_fixed(x, decimals),
        (None, Some(_), None) => "new".to_string(),
        (Some(_), None, None) => "removed".to_string(),
        _ => "undefined".to_string(),
    }
}

fn section(out: &mut String, title: &str, rows: &OrderedMap<ValueChange>) {
    let _ = writeln!(out, "\n{title}");
    // One width for every section: the longest metric key of the catalogue.
    let width = catalogue::CATALOGUE
        .iter()
        .map(|m| m.key.chars().count())
        .chain(rows.0.iter().map(|(k, _)| k.chars().count()))
        .max()
        .unwrap_or(12);
    for (k, v) in &rows.0 {
        let d = if is_count(k) { 0 } else { 3 };
        let _ = writeln!(
            out,
            "  {:<width$} {:>8} → {:<8} ({})",
            k,
            fmt_opt(v.from, d),
            fmt_opt(v.to, d),
            change_text(v, d)
        );
    }
}

/// The table view, with control and bidirectional formatting characters of dataset text
/// escaped for the terminal (see [`crate::base::text::for_terminal`]).
pub fn table(d: &Diff) -> String {
    crate::base::text::for_terminal(&table_raw(d)).into_owned()
}

/// A readable terminal view of a diff.
fn table_raw(d: &Diff) -> String {
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
        // A tie that exists at one date only is named with a word: 0 is "no tie".
        let word = if p.from == 0.0 && p.to != 0.0 {
            "  new"
        } else if p.to == 0.0 && p.from != 0.0 {
            "  removed"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {:<width$}  {:>6} → {:>6}  ({}){word}",
            p.a,
            p.b,
            signed_fixed(p.from, 3),
            signed_fixed(p.to, 3),
            signed_fixed(p.change, 3)
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
                    change_text(&m.value, 3)
                );
            }
        }
    }
    out
}
