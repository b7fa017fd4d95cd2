//! Claims: a dataset's findings stated so they can be checked in every draw (`below`, `above`,
//! `lowest`, `highest`, `falls`, `rises`; docs/robust.md), read from a `claims` array with
//! every problem reported by its JSON path, and the verdict labels of their probabilities.

use crate::dataset::Dataset;
use crate::date::try_parse_date;
use crate::error::Diagnostic;
use crate::metrics::catalogue::{Metric, Scope, CATALOGUE};
use chrono::NaiveDate;
use serde_json::Value;

/// What a claim asserts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Test {
    /// Below `value` at every series date of the window.
    Below(f64),
    /// Above `value` at every series date of the window.
    Above(f64),
    /// The state's value is the minimum among the alliance's members at every date.
    Lowest,
    /// The state's value is the maximum among the alliance's members at every date.
    Highest,
    /// The value at the window's last date is lower than at its first.
    Falls,
    /// The value at the window's last date is higher than at its first.
    Rises,
}

/// A checked claim.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub text: Option<String>,
    pub test: Test,
    pub metric: &'static Metric,
    /// Dataset index of the alliance (alliance and state scopes).
    pub alliance: Option<usize>,
    /// Dataset index of the state (state scope).
    pub state: Option<usize>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The one date of the check (`below`/`above` only); the last series date on or before it.
    pub at: Option<NaiveDate>,
    /// Where the claim was given (JSON path), for messages.
    pub place: String,
}

/// The verdict label of a probability: robust (≥ 0.95), likely (≥ 0.75), rejected (≤ 0.05),
/// unlikely (≤ 0.25), uncertain otherwise.
///
/// ```
/// use entente::robust::claims::label;
/// assert_eq!(label(0.96), "robust");
/// assert_eq!(label(0.5), "uncertain");
/// assert_eq!(label(0.0), "rejected");
/// ```
pub fn label(p: f64) -> &'static str {
    if p >= 0.95 {
        "robust"
    } else if p >= 0.75 {
        "likely"
    } else if p <= 0.05 {
        "rejected"
    } else if p <= 0.25 {
        "unlikely"
    } else {
        "uncertain"
    }
}

/// Reads a `claims` array (from `root["claims"]`, or `root` itself when it is an array, as in
/// a `--claims` file). `file` names the file in messages.
pub fn from_json(root: &Value, ds: &Dataset, file: &str) -> Result<Vec<Claim>, Vec<Diagnostic>> {
    let (arr, base) = match root {
        Value::Array(a) => (a, String::new()),
        other => match other.get("claims") {
            None => return Ok(Vec::new()),
            Some(Value::Array(a)) => (a, "claims".to_string()),
            Some(_) => return Err(vec![Diagnostic::new(file, "claims", "must be an array")]),
        },
    };
    let mut out: Vec<Claim> = Vec::new();
    let mut problems = Vec::new();
    for (i, v) in arr.iter().enumerate() {
        let path = if base.is_empty() {
            format!("[{i}]")
        } else {
            format!("{base}[{i}]")
        };
        match claim(v, ds, &path, file) {
            Ok(c) => {
                if out.iter().any(|o| o.id == c.id) {
                    problems.push(Diagnostic::new(
                        file,
                        format!("{path}.id"),
                        format!("duplicate claim id {:?}", c.id),
                    ));
                } else {
                    out.push(c);
                }
            }
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn claim(v: &Value, ds: &Dataset, path: &str, file: &str) -> Result<Claim, Diagnostic> {
    const FIELDS: [&str; 10] = [
        "id", "text", "test", "metric", "alliance", "state", "from", "to", "at", "value",
    ];
    let err = |k: &str, m: String| {
        let p = if k.is_empty() {
            path.to_string()
        } else {
            format!("{path}.{k}")
        };
        Diagnostic::new(file, p, m)
    };
    let Some(o) = v.as_object() else {
        return Err(err("", "a claim must be an object".into()));
    };
    if let Some(k) = o.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(err(
            k,
            format!("unknown field {k:?} (expected one of: {})", FIELDS.join(", ")),
        ));
    }
    let string = |k: &str, required: bool| -> Result<Option<String>, Diagnostic> {
        match o.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            None if !required => Ok(None),
            None => Err(err(k, "missing".into())),
            Some(other) => Err(err(k, format!("must be a non-empty string, got {other}"))),
        }
    };
    let date = |k: &str| -> Result<Option<NaiveDate>, Diagnostic> {
        match string(k, false)? {
            None => Ok(None),
            Some(s) => try_parse_date(&s)
                .map(Some)
                .map_err(|e| err(k, format!("{s:?}: {e}"))),
        }
    };
    let id = string("id", true)?.unwrap_or_default();
    let text = string("text", false)?;
    let metric_key = string("metric", true)?.unwrap_or_default();
    let value = match o.get("value") {
        None => None,
        Some(v) => match v.as_f64() {
            Some(x) if x.is_finite() => Some(x),
            _ => return Err(err("value", format!("must be a finite number, got {v}"))),
        },
    };
    let test_name = string("test", true)?.unwrap_or_default();
    let need_value = || value.ok_or_else(|| err("value", format!("missing (test {test_name:?} compares with a value)")));
    let test = match test_name.as_str() {
        "below" => Test::Below(need_value()?),
        "above" => Test::Above(need_value()?),
        "lowest" => Test::Lowest,
        "highest" => Test::Highest,
        "falls" => Test::Falls,
        "rises" => Test::Rises,
        other => {
            return Err(err(
                "test",
                format!("unknown test {other:?} (expected below, above, lowest, highest, falls or rises)"),
            ))
        }
    };
    let alliance = match string("alliance", false)? {
        None => None,
        Some(a) => Some(
            ds.alliance_index(&a)
                .ok_or_else(|| err("alliance", format!("unknown alliance id {a:?}")))?,
        ),
    };
    let state = match string("state", false)? {
        None => None,
        Some(s) => Some(
            ds.state_index(&s)
                .ok_or_else(|| err("state", format!("unknown state id {s:?}")))?,
        ),
    };
    // The scope follows the fields given: a state means a per-member metric, an alliance
    // alone an alliance metric, neither a graph metric.
    let scope = match (alliance, state) {
        (_, Some(_)) => Scope::State,
        (Some(_), None) => Scope::Alliance,
        (None, None) => Scope::Graph,
    };
    if scope == Scope::State && alliance.is_none() {
        return Err(err("alliance", "missing (a state's value is taken within an alliance)".into()));
    }
    let Some(metric) = CATALOGUE
        .iter()
        .find(|m| m.key == metric_key && m.scope == scope && super::has_number(m))
    else {
        let known = CATALOGUE.iter().any(|m| m.key == metric_key && super::has_number(m));
        return Err(err(
            "metric",
            if known {
                format!("{metric_key:?} is not a {} metric (give alliance and state for a per-member metric, alliance alone for an alliance metric)", scope.name())
            } else {
                format!("unknown metric {metric_key:?}")
            },
        ));
    };
    if matches!(test, Test::Lowest | Test::Highest) && metric.scope != Scope::State {
        return Err(err(
            "test",
            format!("{test_name:?} compares members: it needs a per-member metric, not {metric_key:?}"),
        ));
    }
    let (from, to, at) = (date("from")?, date("to")?, date("at")?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(err("to", format!("{t} is before from ({f})")));
        }
    }
    if at.is_some() && !matches!(test, Test::Below(_) | Test::Above(_)) {
        return Err(err("at", format!("only below and above take at, not {test_name:?}")));
    }
    Ok(Claim {
        id,
        text,
        test,
        metric,
        alliance,
        state,
        from,
        to,
        at,
        place: path.to_string(),
    })
}
