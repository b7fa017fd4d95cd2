//! Reading and validating a dataset. All problems are collected in one pass and reported
//! together, each with the file, the place (line:column for syntax errors, a JSON path such as
//! `events[17].state` otherwise) and the offending value.

use super::{Alliance, AllianceKind, Code, Dataset, Event, EventKind, Source, State, TieChange};
use crate::date::parse_date;
use crate::error::{Diagnostic, Error, Result};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Loads a dataset from bytes (which must be UTF-8; a leading byte-order mark is ignored).
/// `file` names the input in messages.
pub fn load_bytes(bytes: &[u8], file: &str) -> Result<Dataset> {
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(text, file),
        Err(e) => {
            let at = e.valid_up_to();
            let (line, col) = line_col(&bytes[..at]);
            Err(Error::invalid(
                file,
                format!("{line}:{col}"),
                format!("invalid UTF-8 (byte offset {at}): the dataset must be UTF-8 JSON"),
            ))
        }
    }
}

fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&prefix[start..]).chars().count() + 1;
    (line, col)
}

/// Loads a dataset from text. `file` names the input in messages.
pub fn load_str(text: &str, file: &str) -> Result<Dataset> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::invalid(
            file,
            "",
            "empty file: expected a JSON dataset object",
        ));
    }
    let super::strict_json::Strict(value) = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // serde_json appends " at line L column C"; report that place in our own form.
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        let near = snippet(text, e.line(), e.column());
        Error::invalid(
            file,
            format!("{}:{}", e.line(), e.column()),
            format!("malformed JSON: {msg}{near}"),
        )
    })?;
    let mut v = Validator {
        file,
        problems: Vec::new(),
    };
    let ds = v.dataset(&value);
    if v.problems.is_empty() {
        Ok(ds)
    } else {
        if v.saturated() {
            v.problems.push(Diagnostic::new(
                file,
                "",
                format!("too many problems: stopped after the first {MAX_PROBLEMS}"),
            ));
        }
        Err(Error::Invalid(v.problems))
    }
}

/// Validation stops after this many problems: a huge malformed file must not produce millions of
/// messages (and gigabytes of them in memory).
pub const MAX_PROBLEMS: usize = 100;

/// The text just before a line and column (1-based; serde_json counts the column in bytes),
/// quoted, for syntax-error messages: up to 24 bytes, continued to the end of a word or number
/// that starts there (so `NaN` is shown whole). Bounded work on a 100 MB line.
fn snippet(text: &str, line: usize, column: usize) -> String {
    let Some(l) = text.lines().nth(line.saturating_sub(1)) else {
        return String::new();
    };
    let at = column.min(l.len());
    let mut start = at.saturating_sub(24);
    while !l.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = at;
    while !l.is_char_boundary(end) {
        end += 1;
    }
    let rest = l.as_bytes().get(end..).unwrap_or_default();
    end += rest
        .iter()
        .take(16)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
        .count();
    let s = l.get(start..end).unwrap_or_default().trim();
    if s.is_empty() {
        String::new()
    } else {
        format!(" near `{s}`")
    }
}

/// The most states a dataset may have: a snapshot of 10,000 states holds two matrices of
/// 800 MB each.
pub const MAX_STATES: usize = 10_000;

/// The most alliance × state pairs (the timeline's status table, 16 bytes each: 800 MB).
pub const MAX_STATES_X_ALLIANCES: usize = 50_000_000;

struct Validator<'f> {
    file: &'f str,
    problems: Vec<Diagnostic>,
}

/// Short rendering of a JSON value for messages. Serialises at most a few hundred bytes, so a
/// huge value in the wrong place does not get copied whole into a message.
fn show(v: &Value) -> String {
    struct Capped(Vec<u8>);
    impl std::io::Write for Capped {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(256 - self.0.len());
            if n == 0 && !buf.is_empty() {
                return Err(std::io::Error::other("enough"));
            }
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = Capped(Vec::new());
    let _ = serde_json::to_writer(&mut w, v); // stops with an error once enough is written
    let s = String::from_utf8_lossy(&w.0).into_owned();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An object being read: tracks which fields were used to report unknown ones.
struct Obj<'v> {
    map: &'v Map<String, Value>,
    path: String,
    allowed: &'static [&'static str],
}

impl<'f> Validator<'f> {
    fn err(&mut self, path: &str, msg: impl Into<String>) {
        if !self.saturated() {
            self.problems.push(Diagnostic::new(self.file, path, msg));
        }
    }

    /// True once [`MAX_PROBLEMS`] problems have been collected: the loops stop there.
    fn saturated(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
    }

    fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        allowed: &'static [&'static str],
    ) -> Option<Obj<'v>> {
        match v {
            Value::Object(map) => {
                for k in map.keys() {
                    if self.saturated() {
                        break;
                    }
                    if !allowed.contains(&k.as_str()) {
                        self.err(
                            &join(path, k),
                            format!(
                                "unknown field {k:?} (expected one of: {})",
                                allowed.join(", ")
                            ),
                        );
                    }
                }
                Some(Obj {
                    map,
                    path: path.to_string(),
                    allowed,
                })
            }
            other => {
                let where_ = if path.is_empty() { "$" } else { path };
                self.err(
                    where_,
                    format!(
                        "expected an object, found {} {}",
                        type_name(other),
                        show(other)
                    ),
                );
                None
            }
        }
    }

    fn get<'v>(&mut self, o: &Obj<'v>, key: &str, required: bool) -> Option<&'v Value> {
        debug_assert!(o.allowed.contains(&key));
        match o.map.get(key) {
            Some(Value::Null) | None => {
                if required {
                    let p = if o.path.is_empty() {
                        "$".to_string()
                    } else {
                        o.path.clone()
                    };
                    self.err(&p, format!("missing field {key:?}"));
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    fn string(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Option<String> {
        let v = self.get(o, key, required)?;
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                self.err(
                    &join(&o.path, key),
                    format!(
                        "expected a string, found {} {}",
                        type_name(other),
                        show(other)
                    ),
                );
                None
            }
        }
    }

    fn id(&mut self, o: &Obj<'_>, key: &str) -> Option<String> {
        let s = self.string(o, key, true)?;
        if s.trim().is_empty() {
            self.err(&join(&o.path, key), format!("empty id {s:?}"));
            return None;
        }
        Some(s)
    }

    fn number(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Option<f64> {
        let v = self.get(o, key, required)?;
        match v.as_f64() {
            Some(x) if x.is_finite() => Some(x),
            Some(x) => {
                self.err(&join(&o.path, key), format!("non-finite number {x}"));
                None
            }
            None => {
                self.err(
                    &join(&o.path, key),
                    format!("expected a number, found {} {}", type_name(v), show(v)),
                );
                None
            }
        }
    }

    fn number_in(
        &mut self,
        o: &Obj<'_>,
        key: &str,
        required: bool,
        lo: f64,
        hi: f64,
    ) -> Option<f64> {
        let x = self.number(o, key, required)?;
        if x < lo || x > hi {
            self.err(
                &join(&o.path, key),
                format!("{x} is out of range [{lo}, {hi}]"),
            );
            return None;
        }
        Some(x)
    }

    fn positive(&mut self, o: &Obj<'_>, key: &str) -> Option<f64> {
        let x = self.number(o, key, false)?;
        if x <= 0.0 {
            self.err(&join(&o.path, key), format!("{x} must be greater than 0"));
            return None;
        }
        Some(x)
    }

    fn date(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Option<NaiveDate> {
        let s = self.string(o, key, required)?;
        match parse_date(&s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err(&join(&o.path, key), e);
                None
            }
        }
    }

    fn array<'v>(&mut self, o: &Obj<'v>, key: &str, required: bool) -> &'v [Value] {
        match self.get(o, key, required) {
            None => &[],
            Some(Value::Array(a)) => a,
            Some(other) => {
                self.err(
                    &join(&o.path, key),
                    format!(
                        "expected an array, found {} {}",
                        type_name(other),
                        show(other)
                    ),
                );
                &[]
            }
        }
    }

    fn lookup(
        &mut self,
        o: &Obj<'_>,
        key: &str,
        what: &str,
        index: &HashMap<String, usize>,
    ) -> Option<usize> {
        let id = self.string(o, key, true)?;
        match index.get(&id) {
            Some(&i) => Some(i),
            None => {
                self.err(&join(&o.path, key), format!("unknown {what} id {id:?}"));
                None
            }
        }
    }

    fn dataset(&mut self, root: &Value) -> Dataset {
        const TOP: &[&str] = &[
            "name",
            "description",
            "sources",
            "states",
            "alliances",
            "events",
        ];
        let Some(top) = self.object(root, "", TOP) else {
            return Dataset::default();
        };
        let name = self.string(&top, "name", true).unwrap_or_default();
        let description = self.string(&top, "description", false);
        if !self.size_ok(&top) {
            return Dataset::default();
        }

        let mut sources = Vec::new();
        let mut source_index = HashMap::new();
        for (i, v) in self.array(&top, "sources", false).iter().enumerate() {
            if self.saturated() {
                break;
            }
            let path = format!("sources[{i}]");
            let Some(o) = self.object(v, &path, &["id", "title", "url", "date"]) else {
                continue;
            };
            let id = self.id(&o, "id");
            let title = self.string(&o, "title", true);
            let url = self.string(&o, "url", false);
            let date = self.date(&o, "date", false);
            if let (Some(id), Some(title)) = (id, title) {
                if source_index.insert(id.clone(), sources.len()).is_some() {
                    self.err(&join(&path, "id"), format!("duplicate source id {id:?}"));
                    continue;
                }
                sources.push(Source {
                    id,
                    title,
                    url,
                    date,
                });
            }
        }

        let mut states = Vec::new();
        let mut state_index = HashMap::new();
        for (i, v) in self.array(&top, "states", true).iter().enumerate() {
            if self.saturated() {
                break;
            }
            let path = format!("states[{i}]");
            let Some(o) = self.object(v, &path, &["id", "name", "codes"]) else {
                continue;
            };
            let id = self.id(&o, "id");
            let name = self.string(&o, "name", true);
            let codes = self.codes(&o);
            if let (Some(id), Some(name)) = (id, name) {
                if state_index.insert(id.clone(), states.len()).is_some() {
                    self.err(&join(&path, "id"), format!("duplicate state id {id:?}"));
                    continue;
                }
                states.push(State { id, name, codes });
            }
        }

        let mut alliances = Vec::new();
        let mut alliance_index = HashMap::new();
        for (i, v) in self.array(&top, "alliances", false).iter().enumerate() {
            if self.saturated() {
                break;
            }
            let path = format!("alliances[{i}]");
            let Some(o) = self.object(v, &path, &["id", "name", "kind", "tie"]) else {
                continue;
            };
            let id = self.id(&o, "id");
            let name = self.string(&o, "name", true);
            let kind = match self.string(&o, "kind", false) {
                None => Some(AllianceKind::Other),
                Some(k) => {
                    let parsed = AllianceKind::parse(&k);
                    if parsed.is_none() {
                        let all: Vec<&str> = AllianceKind::ALL.iter().map(|k| k.as_str()).collect();
                        self.err(
                            &join(&path, "kind"),
                            format!(
                                "unknown alliance kind {k:?} (expected one of: {})",
                                all.join(", ")
                            ),
                        );
                    }
                    parsed
                }
            };
            let tie = if o.map.contains_key("tie") {
                self.number_in(&o, "tie", true, 0.0, 1.0)
            } else {
                Some(1.0)
            };
            if let (Some(id), Some(name), Some(kind), Some(tie)) = (id, name, kind, tie) {
                if alliance_index.insert(id.clone(), alliances.len()).is_some() {
                    self.err(&join(&path, "id"), format!("duplicate alliance id {id:?}"));
                    continue;
                }
                alliances.push(Alliance {
                    id,
                    name,
                    kind,
                    tie,
                });
            }
        }

        let mut events = Vec::new();
        for (i, v) in self.array(&top, "events", false).iter().enumerate() {
            if self.saturated() {
                break;
            }
            let path = format!("events[{i}]");
            if let Some(e) = self.event(v, &path, &state_index, &alliance_index, &source_index) {
                events.push(e);
            }
        }

        Dataset {
            name,
            description,
            sources,
            states,
            alliances,
            events,
        }
    }

    /// Refuses datasets too large for the model's dense structures (a snapshot holds two
    /// n × n matrices of f64, the timeline an alliances × states status table): past these
    /// limits a small file would make the process abort on a failed allocation.
    fn size_ok(&mut self, top: &Obj<'_>) -> bool {
        let len = |k: &str| match top.map.get(k) {
            Some(Value::Array(a)) => a.len(),
            _ => 0,
        };
        let (n, m) = (len("states"), len("alliances"));
        if n > MAX_STATES {
            self.err(
                "states",
                format!("{n} states is more than the {MAX_STATES} supported (a snapshot is a dense matrix of states × states)"),
            );
            return false;
        }
        if n.saturating_mul(m) > MAX_STATES_X_ALLIANCES {
            self.err(
                "alliances",
                format!("{m} alliances × {n} states is more than the {MAX_STATES_X_ALLIANCES} supported (the timeline keeps a status per alliance and state)"),
            );
            return false;
        }
        true
    }

    fn codes(&mut self, o: &Obj<'_>) -> std::collections::BTreeMap<String, Code> {
        let mut out = std::collections::BTreeMap::new();
        let Some(v) = self.get(o, "codes", false) else {
            return out;
        };
        let path = join(&o.path, "codes");
        let Value::Object(map) = v else {
            self.err(
                &path,
                format!(
                    "expected an object of codes, found {} {}",
                    type_name(v),
                    show(v)
                ),
            );
            return out;
        };
        for (k, v) in map {
            if self.saturated() {
                break;
            }
            match v {
                Value::String(s) => {
                    out.insert(k.clone(), Code::Text(s.clone()));
                }
                Value::Number(n) if n.as_i64().is_some() => {
                    out.insert(k.clone(), Code::Int(n.as_i64().unwrap_or_default()));
                }
                other => self.err(
                    &join(&path, k),
                    format!(
                        "expected a string or an integer code, found {}",
                        show(other)
                    ),
                ),
            }
        }
        out
    }

    fn event(
        &mut self,
        v: &Value,
        path: &str,
        states: &HashMap<String, usize>,
        alliances: &HashMap<String, usize>,
        sources: &HashMap<String, usize>,
    ) -> Option<Event> {
        // Read the kind first: it decides which fields are allowed.
        let kind_name = match v.get("kind") {
            Some(Value::String(k)) => k.clone(),
            Some(other) => {
                self.err(
                    &join(path, "kind"),
                    format!(
                        "expected a string, found {} {}",
                        type_name(other),
                        show(other)
                    ),
                );
                return None;
            }
            None => {
                if v.is_object() {
                    self.err(path, "missing field \"kind\"");
                } else {
                    self.err(
                        path,
                        format!("expected an object, found {} {}", type_name(v), show(v)),
                    );
                }
                return None;
            }
        };
        const COMMON: [&str; 4] = ["date", "kind", "note", "source"];
        let allowed: &'static [&'static str] = match kind_name.as_str() {
            "enter" | "exit" => &["date", "kind", "note", "source", "state"],
            "join" | "leave" | "resume" => &["date", "kind", "note", "source", "state", "alliance"],
            "suspend" => &[
                "date", "kind", "note", "source", "state", "alliance", "factor",
            ],
            "dissolve" => &["date", "kind", "note", "source", "alliance"],
            "retie" => &["date", "kind", "note", "source", "alliance", "tie"],
            "tie" => &[
                "date",
                "kind",
                "note",
                "source",
                "a",
                "b",
                "delta",
                "half_life_days",
                "duration_days",
            ],
            other => {
                self.err(
                    &join(path, "kind"),
                    format!("unknown event kind {other:?} (expected one of: enter, exit, join, leave, suspend, resume, dissolve, retie, tie)"),
                );
                return None;
            }
        };
        debug_assert!(COMMON.iter().all(|c| allowed.contains(c)));
        let o = self.object(v, path, allowed)?;
        let date = self.date(&o, "date", true);
        let note = self.string(&o, "note", false);
        let source = match self.string(&o, "source", false) {
            None => Some(None),
            Some(id) => match sources.get(&id) {
                Some(&i) => Some(Some(i)),
                None => {
                    self.err(&join(path, "source"), format!("unknown source id {id:?}"));
                    None
                }
            },
        };
        let kind = match kind_name.as_str() {
            "enter" => self
                .lookup(&o, "state", "state", states)
                .map(|state| EventKind::Enter { state }),
            "exit" => self
                .lookup(&o, "state", "state", states)
                .map(|state| EventKind::Exit { state }),
            "join" | "leave" | "resume" | "suspend" => {
                let s = self.lookup(&o, "state", "state", states);
                let a = self.lookup(&o, "alliance", "alliance", alliances);
                let factor = if kind_name == "suspend" {
                    if o.map.contains_key("factor") {
                        self.number_in(&o, "factor", true, 0.0, 1.0)
                    } else {
                        Some(0.0)
                    }
                } else {
                    Some(0.0)
                };
                match (s, a, factor) {
                    (Some(state), Some(alliance), Some(factor)) => Some(match kind_name.as_str() {
                        "join" => EventKind::Join { state, alliance },
                        "leave" => EventKind::Leave { state, alliance },
                        "resume" => EventKind::Resume { state, alliance },
                        _ => EventKind::Suspend {
                            state,
                            alliance,
                            factor,
                        },
                    }),
                    _ => None,
                }
            }
            "dissolve" => self
                .lookup(&o, "alliance", "alliance", alliances)
                .map(|alliance| EventKind::Dissolve { alliance }),
            "retie" => {
                let a = self.lookup(&o, "alliance", "alliance", alliances);
                let t = self.number_in(&o, "tie", true, 0.0, 1.0);
                match (a, t) {
                    (Some(alliance), Some(tie)) => Some(EventKind::Retie { alliance, tie }),
                    _ => None,
                }
            }
            _ => {
                let a = self.lookup(&o, "a", "state", states);
                let b = self.lookup(&o, "b", "state", states);
                let delta = self.number_in(&o, "delta", true, -2.0, 2.0);
                let hl_given = o.map.get("half_life_days").is_some_and(|v| !v.is_null());
                let du_given = o.map.get("duration_days").is_some_and(|v| !v.is_null());
                let half_life_days = self.positive(&o, "half_life_days");
                let duration_days = self.positive(&o, "duration_days");
                if let (Some(a), Some(b)) = (a, b) {
                    if a == b {
                        let id = o.map.get("a").map(show).unwrap_or_default();
                        self.err(
                            &join(path, "b"),
                            format!("a tie of a state with itself ({id})"),
                        );
                        return None;
                    }
                }
                match (a, b, delta) {
                    (Some(a), Some(b), Some(delta))
                        if hl_given == half_life_days.is_some()
                            && du_given == duration_days.is_some() =>
                    {
                        Some(EventKind::Tie(TieChange {
                            a,
                            b,
                            delta,
                            half_life_days,
                            duration_days,
                        }))
                    }
                    _ => None,
                }
            }
        };
        Some(Event {
            date: date?,
            kind: kind?,
            note,
            source: source?,
        })
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match load_str(text, "t.json") {
            Ok(_) => vec![],
            Err(Error::Invalid(d)) => d.iter().map(|d| d.to_string()).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    #[test]
    fn minimal_dataset_loads() {
        let ds = load_str(r#"{"name":"x","states":[{"id":"A","name":"A"}]}"#, "t").unwrap();
        assert_eq!(ds.states.len(), 1);
        assert!(ds.events.is_empty());
    }

    #[test]
    fn reports_every_problem_with_path_and_value() {
        let p = problems(
            r#"{"name":"x","states":[{"id":"A","name":"A"},{"id":"A","name":"B"}],
               "alliances":[{"id":"X","name":"X","tie":1.5}],
               "events":[{"date":"2023-02-30","kind":"enter","state":"A"},
                         {"date":"2020-01-01","kind":"tie","a":"A","b":"Q","delta":0.1},
                         {"date":"2020-01-01","kind":"tie","a":"A","b":"A","delta":0.1}]}"#,
        );
        let all = p.join("\n");
        assert!(
            all.contains("t.json: states[1].id: duplicate state id \"A\""),
            "{all}"
        );
        assert!(
            all.contains("alliances[0].tie: 1.5 is out of range"),
            "{all}"
        );
        assert!(
            all.contains("events[0].date: invalid date \"2023-02-30\""),
            "{all}"
        );
        assert!(all.contains("events[1].b: unknown state id \"Q\""), "{all}");
        assert!(
            all.contains("events[2].b: a tie of a state with itself"),
            "{all}"
        );
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let p = problems("{\n  \"name\": \"x\",\n  \"states\": [,]\n}");
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("t.json: 3:14: malformed JSON"), "{p:?}");
    }

    #[test]
    fn bom_is_ignored_and_invalid_utf8_located() {
        assert!(load_str("\u{feff}{\"name\":\"x\",\"states\":[]}", "t").is_ok());
        let e = load_bytes(b"{\"name\":\"\xff\"}", "t")
            .unwrap_err()
            .to_string();
        assert!(e.contains("t: 1:10: invalid UTF-8"), "{e}");
    }

    #[test]
    fn problems_are_capped() {
        let text = format!(
            r#"{{"name":"x","states":[],"events":[{}1]}}"#,
            "1,".repeat(10_000)
        );
        let p = problems(&text);
        assert_eq!(p.len(), MAX_PROBLEMS + 1, "{:?}", p.last());
        assert!(p[MAX_PROBLEMS].contains("too many problems: stopped after the first 100"));
    }
}
