//! What a dataset declares about its own uncertainty: its top-level `uncertainty` rules and
//! `claims`, taken from the file's bytes without building the rest of its JSON, and checked
//! against the loaded dataset. One implementation for `validate`, `robust` and `sensitivity`, so
//! each refuses the same rule or claim with the same JSON path (docs/robust.md).

use super::claims::{self, Claim};
use super::rules::{self, Resolved, Rule};
use crate::dataset::Dataset;
use crate::error::Diagnostic;
use crate::model::TieEvent;
use serde_json::Value;

/// The dataset's `uncertainty` and `claims` as JSON (an object holding only those keys that
/// the file has), read from the file's bytes. Everything else in the file is skipped without
/// being built. `None` when the bytes are not a JSON object (the loader reports that).
pub fn sections(bytes: &[u8]) -> Option<Value> {
    #[derive(serde::Deserialize)]
    struct Sections {
        uncertainty: Option<Value>,
        claims: Option<Value>,
    }
    // A file that names neither (every imported dataset) is not parsed a second time.
    let names = |key: &[u8]| bytes.windows(key.len()).any(|w| w == key);
    let mut out = serde_json::Map::new();
    if !names(b"\"uncertainty\"") && !names(b"\"claims\"") {
        return Some(Value::Object(out));
    }
    let s: Sections = serde_json::from_slice(bytes).ok()?;
    if let Some(u) = s.uncertainty {
        out.insert("uncertainty".into(), u);
    }
    if let Some(c) = s.claims {
        out.insert("claims".into(), c);
    }
    Some(Value::Object(out))
}

/// The dataset's rules followed by `extra` (the command line's), each checked and resolved
/// against the dataset and its tie files (`rows[f]` read from `tie_files[f]`), and the
/// dataset's claims. Every problem is collected, each with its file and JSON path (or the
/// `--vary` text).
pub fn check(
    sections: &Value,
    extra: &[Rule],
    ds: &Dataset,
    file: &str,
    tie_files: &[String],
    rows: &[Vec<TieEvent>],
) -> Result<(Vec<Resolved>, Vec<Claim>), Vec<Diagnostic>> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut raw: Vec<Rule> = rules::from_json(sections, file).unwrap_or_else(|p| {
        problems.extend(p);
        Vec::new()
    });
    raw.extend(extra.iter().cloned());
    let mut resolved = Vec::new();
    for r in &raw {
        match rules::resolve(r, ds, tie_files, rows, file) {
            Ok(x) => resolved.push(x),
            Err(d) => problems.push(d),
        }
    }
    let claims = claims::from_json(sections, ds, file).unwrap_or_else(|p| {
        problems.extend(p);
        Vec::new()
    });
    if problems.is_empty() {
        Ok((resolved, claims))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn sections_keep_only_rules_and_claims() {
        let v = sections(br#"{"name":"x","claims":[{"id":"a"}],"events":[1,2]}"#).unwrap();
        assert_eq!(v, serde_json::json!({"claims": [{"id": "a"}]}));
        let v = sections(br#"{"name":"x","events":[]}"#).unwrap();
        assert_eq!(v, serde_json::json!({}));
        assert!(sections(br#""claims""#).is_none());
    }
}
