//! Claims: a dataset's findings stated so they can be checked in every draw (`below`, `above`,
//! `lowest`, `highest`, `falls`, `rises`; docs/robust.md) on a metric of the graph, an alliance or
//! a member, or on the tie between two states; read from a `claims` array with every problem
//! reported by its JSON path, and the verdict labels of their probabilities.

use crate::dataset::load::show;
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

/// The key of the pair pseudo-metric: the weight of the tie between two states.
pub const TIE: &str = "tie";

/// What a claim reads.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    /// A metric of the catalogue (its scope follows `alliance` and `state`).
    Metric(&'static Metric),
    /// The weight of the tie between two states (dataset indices, in the order given):
    /// `"metric": "tie", "states": [A, B]`. Undefined while either state is absent.
    Tie(usize, usize),
}

impl Subject {
    /// The metric of the catalogue it reads, if any.
    pub fn metric(self) -> Option<&'static Metric> {
        match self {
            Subject::Metric(m) => Some(m),
            Subject::Tie(..) => None,
        }
    }

    /// The key as written in the claim (`tie` for a pair).
    pub fn key(self) -> &'static str {
        match self {
            Subject::Metric(m) => m.key,
            Subject::Tie(..) => TIE,
        }
    }
}

/// A checked claim.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Unique among the claims.
    pub id: String,
    /// The finding in words.
    pub text: Option<String>,
    /// What is tested.
    pub test: Test,
    /// What is tested: a metric (its scope follows `alliance` and `state`) or a pair's tie.
    pub subject: Subject,
    /// Dataset index of the alliance (alliance and state scopes).
    pub alliance: Option<usize>,
    /// Dataset index of the state (state scope).
    pub state: Option<usize>,
    /// First date of the window (`None`: the series start).
    pub from: Option<NaiveDate>,
    /// Last date of the window (`None`: the series end).
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
    const FIELDS: [&str; 11] = [
        "id", "text", "test", "metric", "alliance", "state", "states", "from", "to", "at", "value",
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
            format!(
                "unknown field {k:?} (expected one of: {})",
                FIELDS.join(", ")
            ),
        ));
    }
    let string = |k: &str, required: bool| -> Result<Option<String>, Diagnostic> {
        match o.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            None if !required => Ok(None),
            None => Err(err(k, "missing".into())),
            Some(other) => Err(err(
                k,
                format!("must be a non-empty string, got {}", show(other)),
            )),
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
    // The dataset's rules for ids and texts: a claim id is printed in tables and the report.
    if let Some(p) = crate::dataset::load::id_problem(&id) {
        return Err(err("id", p));
    }
    let text = string("text", false)?;
    if let Some(p) = text.as_deref().and_then(crate::dataset::load::text_problem) {
        return Err(err("text", p));
    }
    let metric_key = string("metric", true)?.unwrap_or_default();
    let value = match o.get("value") {
        None => None,
        Some(v) => match v.as_f64() {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                return Err(err(
                    "value",
                    format!("must be a finite number, got {}", show(v)),
                ))
            }
        },
    };
    let test_name = string("test", true)?.unwrap_or_default();
    let need_value = || {
        value.ok_or_else(|| {
            err(
                "value",
                format!("missing (test {test_name:?} compares with a value)"),
            )
        })
    };
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
                format!(
                "unknown test {other:?} (expected below, above, lowest, highest, falls or rises)"
            ),
            ))
        }
    };
    let window = |date: &dyn Fn(&str) -> Result<Option<NaiveDate>, Diagnostic>| {
        let (from, to, at) = (date("from")?, date("to")?, date("at")?);
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(err("to", format!("{t} is before from ({f})")));
            }
        }
        if at.is_some() && !matches!(test, Test::Below(_) | Test::Above(_)) {
            return Err(err(
                "at",
                format!("only below and above take at, not {test_name:?}"),
            ));
        }
        Ok((from, to, at))
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
    let pair = match o.get("states") {
        None => None,
        Some(v) => Some(pair(v, ds).map_err(|m| err("states", m))?),
    };
    if let Some((a, b)) = pair {
        if metric_key != TIE {
            return Err(err(
                "metric",
                format!("{metric_key:?}: a claim on two states reads their tie: give \"metric\": \"tie\""),
            ));
        }
        for k in ["alliance", "state"] {
            if o.contains_key(k) {
                return Err(err(
                    k,
                    "not with states (a pair's tie is read on the whole graph)".into(),
                ));
            }
        }
        if matches!(test, Test::Lowest | Test::Highest) {
            return Err(err(
                "test",
                format!("{test_name:?} compares members of an alliance: a pair's tie takes below, above, falls or rises"),
            ));
        }
        let (from, to, at) = window(&date)?;
        return Ok(Claim {
            id,
            text,
            test,
            subject: Subject::Tie(a, b),
            alliance: None,
            state: None,
            from,
            to,
            at,
            place: path.to_string(),
        });
    }
    if metric_key == TIE {
        return Err(err(
            "states",
            "missing (\"tie\" is the weight between two states: give \"states\": [A, B])".into(),
        ));
    }
    // The scope follows the fields given: a state means a per-member metric, an alliance
    // alone an alliance metric, neither a graph metric.
    let scope = match (alliance, state) {
        (_, Some(_)) => Scope::State,
        (Some(_), None) => Scope::Alliance,
        (None, None) => Scope::Graph,
    };
    if scope == Scope::State && alliance.is_none() {
        return Err(err(
            "alliance",
            "missing (a state's value is taken within an alliance)".into(),
        ));
    }
    let Some(metric) = CATALOGUE
        .iter()
        .find(|m| m.key == metric_key && m.scope == scope && super::has_number(m))
    else {
        let known = CATALOGUE
            .iter()
            .any(|m| m.key == metric_key && super::has_number(m));
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
            format!(
                "{test_name:?} compares members: it needs a per-member metric, not {metric_key:?}"
            ),
        ));
    }
    let (from, to, at) = window(&date)?;
    Ok(Claim {
        id,
        text,
        test,
        subject: Subject::Metric(metric),
        alliance,
        state,
        from,
        to,
        at,
        place: path.to_string(),
    })
}

/// The two distinct states of a pair claim's `states`.
fn pair(v: &Value, ds: &Dataset) -> Result<(usize, usize), String> {
    let ids: Option<Vec<&str>> = v
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    let (a, b) = match (v.as_array(), ids.as_deref()) {
        (Some(arr), Some([a, b])) if arr.len() == 2 => (*a, *b),
        _ => return Err(format!("must be two state ids, [A, B], got {}", show(v))),
    };
    let index = |s: &str| {
        ds.state_index(s)
            .ok_or_else(|| format!("unknown state id {s:?}"))
    };
    let (i, j) = (index(a)?, index(b)?);
    if i == j {
        return Err(format!(
            "names {a:?} twice: a tie joins two different states"
        ));
    }
    Ok((i, j))
}
