//! What-if scenarios applied to a dataset before its timeline is built: dropping events
//! (`--without`) and adding the events of a scenario file (`--with`). Because both act on the
//! [`Dataset`], everything downstream (timeline, snapshots, metrics, charts) sees exactly what
//! it would see on a dataset edited by hand: a dropped event is as if it had never been written,
//! an added event as if it had been appended to the file's `events`.
//!
//! A scenario file is a JSON object holding only `events`, in the dataset format of
//! docs/dataset.md; its events are checked against the dataset's states, alliances, sources and
//! event ids, and every problem names the scenario file and the JSON path inside it
//! (`events[2].state`). An event may say `"scenario": true` (every event of a scenario file is
//! one anyway); any other value is refused. See docs/explain.md.

use crate::dataset::ties_csv::TieEvent;
use crate::dataset::{self, Dataset, EventKind};
use crate::error::{Diagnostic, Error, Result};
use crate::select::Selection;
use serde_json::Value;
use std::collections::BTreeSet;

/// Applies the selections of `--without`: the dataset without the events they match (indices
/// into `ds.events`, resolved against it), and the tie files without the rows they match (every
/// row of a selected file, or only those naming the selection's state).
pub fn apply_without(
    ds: &Dataset,
    tie_files: &mut [(String, Vec<TieEvent>)],
    selections: &[Selection],
) -> Dataset {
    let mut drop = BTreeSet::new();
    for s in selections {
        drop.extend(s.events.iter().copied());
        if let Some(rows) = &s.ties {
            for &f in &rows.files {
                if let Some((_, file)) = tie_files.get_mut(f) {
                    match rows.state {
                        None => file.clear(),
                        Some(st) => file.retain(|t| t.a as usize != st && t.b as usize != st),
                    }
                }
            }
        }
    }
    without(ds, &drop)
}

/// The dataset without the events whose index is in `drop` (indices into `ds.events`; others
/// ignored). The remaining events keep their file order.
///
/// ```
/// let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
/// let fewer = entente::scenario::without(&ds, &[0, 1].into_iter().collect());
/// assert_eq!(fewer.events.len(), ds.events.len() - 2);
/// assert_eq!(fewer.events[0], ds.events[2]);
/// ```
pub fn without(ds: &Dataset, drop: &BTreeSet<usize>) -> Dataset {
    let mut out = Dataset {
        events: Vec::new(),
        ..ds.clone()
    };
    out.events = ds
        .events
        .iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, e)| e.clone())
        .collect();
    renumber_layers(&mut out);
    out
}

/// Keeps only the layers the events still use, numbered in order of first use (as the loader
/// numbers them), so that a dataset with events dropped equals one edited by hand.
fn renumber_layers(ds: &mut Dataset) {
    let old = std::mem::take(&mut ds.layers);
    for e in &mut ds.events {
        if let EventKind::TieDelta(t) = &mut e.kind {
            if let Some(id) = t.layer.and_then(|i| old.get(i)) {
                let k = match ds.layers.iter().position(|l| l == id) {
                    Some(k) => k,
                    None => {
                        ds.layers.push(id.clone());
                        ds.layers.len() - 1
                    }
                };
                t.layer = Some(k);
            }
        }
    }
}

/// The dataset with the events of the scenario file `text` (named `file` in messages) appended
/// after its own. Equal to loading the dataset with those events appended to its `events`.
///
/// ```
/// let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
/// let text = r#"{"events": [{"date": "2024-06-12", "kind": "leave", "state": "ARM", "alliance": "CSTO"}]}"#;
/// let more = entente::scenario::with_events(&ds, text, "leave.json").unwrap();
/// assert_eq!(more.events.len(), ds.events.len() + 1);
/// let bad = r#"{"events": [{"date": "2024-06-12", "kind": "leave", "state": "XXX", "alliance": "CSTO"}]}"#;
/// let e = entente::scenario::with_events(&ds, bad, "bad.json").unwrap_err().to_string();
/// assert!(e.starts_with("bad.json: events[0].state"), "{e}");
/// ```
pub fn with_events(ds: &Dataset, text: &str, file: &str) -> Result<Dataset> {
    let events = scenario_events(text, file)?;
    // The dataset as JSON, its events replaced by the scenario's: the loader then checks the
    // scenario's events against the dataset's ids, and its JSON paths are the scenario file's.
    let mut whole: Value = serde_json::from_str(&dataset::write::to_json_string(ds))
        .map_err(|e| Error::Internal(format!("a dataset did not write back to JSON: {e}")))?;
    if let Value::Object(o) = &mut whole {
        o.insert("events".into(), Value::Array(events));
    }
    let added = dataset::load_str(&whole.to_string(), file)?;

    let mut problems = Vec::new();
    let known: BTreeSet<&str> = ds.events.iter().filter_map(|e| e.id.as_deref()).collect();
    for (i, e) in added.events.iter().enumerate() {
        if let Some(id) = e.id.as_deref().filter(|id| known.contains(id)) {
            problems.push(Diagnostic::new(
                file,
                format!("events[{i}].id"),
                format!("event id {id:?} is already used by an event of the dataset"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    // States, alliances and sources are the dataset's, in the same order, so their indices
    // carry over; layers are numbered in order of first use and are mapped by id.
    let mut out = ds.clone();
    for mut e in added.events {
        if let EventKind::TieDelta(t) = &mut e.kind {
            t.layer = match t.layer.and_then(|i| added.layers.get(i)) {
                None => None,
                Some(id) => Some(match out.layers.iter().position(|l| l == id) {
                    Some(k) => k,
                    None => {
                        out.layers.push(id.clone());
                        out.layers.len() - 1
                    }
                }),
            };
        }
        out.events.push(e);
    }
    Ok(out)
}

/// The `events` of a scenario file, with their `"scenario": true` markers removed; refuses
/// malformed JSON (line:column), other top-level keys and other marker values.
fn scenario_events(text: &str, file: &str) -> Result<Vec<Value>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::dataset::check_whole_json(text.as_bytes(), file, "a scenario file")?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        Error::invalid(
            file,
            format!("{}:{}", e.line(), e.column()),
            format!("malformed JSON: {msg}"),
        )
    })?;
    let Value::Object(top) = value else {
        return Err(Error::invalid(
            file,
            "",
            "expected a JSON object holding only \"events\"",
        ));
    };
    let mut problems = Vec::new();
    for key in top.keys().filter(|k| *k != "events") {
        problems.push(Diagnostic::new(
            file,
            key.clone(),
            format!("unknown key {key:?}: a scenario file holds only \"events\""),
        ));
    }
    let events = match top.get("events") {
        Some(Value::Array(a)) => a.clone(),
        Some(other) => {
            problems.push(Diagnostic::new(
                file,
                "events",
                format!(
                    "expected an array of events, found {}",
                    crate::dataset::load::show(other)
                ),
            ));
            Vec::new()
        }
        None => {
            problems.push(Diagnostic::new(file, "", "missing \"events\""));
            Vec::new()
        }
    };
    let mut out = Vec::with_capacity(events.len());
    for (i, mut e) in events.into_iter().enumerate() {
        if let Value::Object(o) = &mut e {
            match o.remove("scenario") {
                None | Some(Value::Bool(true)) => {}
                Some(other) => problems.push(Diagnostic::new(
                    file,
                    format!("events[{i}].scenario"),
                    format!(
                        "expected true (every event of a scenario file is one), found {}",
                        crate::dataset::load::show(&other)
                    ),
                )),
            }
        }
        out.push(e);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::load_str;

    const BASE: &str = r#"{"name": "t",
        "states": [{"id": "A", "name": "A"}, {"id": "B", "name": "B"}, {"id": "C", "name": "C"}],
        "alliances": [{"id": "X", "name": "X", "tie": 0.5}],
        "events": [
          {"date": "2000-01-01", "kind": "join", "state": "A", "alliance": "X", "id": "a"},
          {"date": "2000-01-01", "kind": "join", "state": "B", "alliance": "X"},
          {"date": "2001-01-01", "kind": "tie", "a": "A", "b": "C", "delta": 0.25, "layer": "l1"}
        ]}"#;

    #[test]
    fn appended_events_equal_a_hand_edited_file() {
        let ds = load_str(BASE, "base.json").unwrap();
        let scenario = r#"{"events": [
            {"date": "2002-01-01", "kind": "tie", "a": "B", "b": "C", "delta": -0.5, "layer": "l2", "scenario": true},
            {"date": "2003-01-01", "kind": "leave", "state": "A", "alliance": "X"}]}"#;
        let got = with_events(&ds, scenario, "s.json").unwrap();
        let by_hand = BASE.replace(
            r#""layer": "l1"}"#,
            r#""layer": "l1"},
            {"date": "2002-01-01", "kind": "tie", "a": "B", "b": "C", "delta": -0.5, "layer": "l2"},
            {"date": "2003-01-01", "kind": "leave", "state": "A", "alliance": "X"}"#,
        );
        assert_eq!(got, load_str(&by_hand, "base.json").unwrap());
    }

    #[test]
    fn problems_name_the_scenario_file_and_path() {
        let ds = load_str(BASE, "base.json").unwrap();
        let cases = [
            (
                r#"{"events": [{"date": "2002-01-01", "kind": "join", "state": "Z", "alliance": "X"}]}"#,
                "s.json: events[0].state",
            ),
            (
                r#"{"events": [{"date": "2002-01-01", "kind": "leave", "state": "A", "alliance": "X", "id": "a"}]}"#,
                "s.json: events[0].id: event id \"a\" is already used",
            ),
            (
                r#"{"events": [], "states": []}"#,
                "s.json: states: unknown key",
            ),
            (
                r#"{"events": [{"scenario": 1}]}"#,
                "s.json: events[0].scenario",
            ),
            ("{\"events\": [\n,]}", "s.json: 2:1: malformed JSON"),
            ("[]", "s.json: expected a JSON object"),
        ];
        for (text, want) in cases {
            let e = with_events(&ds, text, "s.json").unwrap_err().to_string();
            assert!(e.starts_with(want), "{text}: {e}");
        }
    }

    #[test]
    fn without_keeps_the_others_in_order() {
        let ds = load_str(BASE, "base.json").unwrap();
        let got = without(&ds, &[1].into_iter().collect());
        assert_eq!(got.events, vec![ds.events[0].clone(), ds.events[2].clone()]);
        assert_eq!(without(&ds, &BTreeSet::new()), ds);
    }
}
