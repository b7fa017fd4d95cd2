//! Reading and validating a dataset. All problems are collected in one pass and reported
//! together, each with the file, the place (line:column for syntax errors, a JSON path such as
//! `events[17].state` otherwise) and the offending value.

use super::kinds::{self, Field, KindSpec, Need, Slot, Values};
use super::{
    Alliance, AllianceKind, CameoCode, Code, Dataset, Event, Outcome, Source, State, View,
    DEFAULT_GOLDSTEIN_SCALE, DEFAULT_LAYER,
};
use crate::date::parse_date;
use crate::error::{Diagnostic, Error, Result};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

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
    // Streamed (see `stream.rs`): the events are validated one by one, never all held as JSON.
    let malformed = |e: serde_json::Error| {
        let msg = e.to_string();
        // serde_json appends " at line L column C"; report that place in our own form.
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        let near = snippet(text, e.line(), e.column());
        Error::invalid(
            file,
            format!("{}:{}", e.line(), e.column()),
            format!("malformed JSON: {msg}{near}"),
        )
    };
    super::stream::check(text).map_err(malformed)?;
    let (value, raw_events) =
        super::stream::split(text, super::MAX_JSON_VALUE_BYTES).map_err(|e| match e {
            super::stream::SplitError::TooLarge { path, msg } => Error::invalid(file, path, msg),
            super::stream::SplitError::Json(e) => {
                Error::Internal(format!("{file}: a checked JSON text failed to parse: {e}"))
            }
        })?;
    validate(&value, raw_events, file)
}

/// Validates a parsed dataset: `value` is its top level, and `raw_events` the text of its
/// `events` array when that was left out of `value` to be read element by element.
fn validate(value: &Value, raw_events: Option<&str>, file: &str) -> Result<Dataset> {
    let mut v = Validator {
        file,
        problems: Vec::new(),
        event_ids: HashMap::new(),
        layers: Layers::default(),
        raw_events,
        refused: Default::default(),
    };
    let ds = v.dataset(value);
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

/// The largest `goldstein_scale`: a CAMEO-derived delta (Goldstein / 10 × scale) then stays
/// within a tie event's range [−2, 2].
pub const MAX_GOLDSTEIN_SCALE: f64 = 2.0;

/// The most characters a tag may have.
pub const MAX_TAG_CHARS: usize = 64;

/// The most tags an event may have: real events have a few (the CSTO dataset at most 4), and
/// the duplicate check compares each tag with those before it.
pub const MAX_TAGS: usize = 32;

/// The longest state, alliance or source id, in characters. Ids label charts and table
/// columns; real ones are a few characters (`ARM`, `ATOP-1234`). See docs/testing.md.
pub const MAX_ID_CHARS: usize = 200;

/// The longest text field (names, notes, titles, URLs), in bytes of UTF-8: 64 KiB. Laying out
/// a megabyte note made the report take over 30 s; a real note is a few sentences. See
/// docs/testing.md.
pub const MAX_TEXT_BYTES: usize = 64 << 10;

/// Unicode format characters (general category Cf) and other invisible characters an id may
/// not hold: zero-width spaces and joiners, bidirectional marks and overrides, the soft hyphen,
/// the byte-order mark, interlinear annotation and tag characters.
pub fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{890}'
        | '\u{891}' | '\u{8e2}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        | '\u{110bd}' | '\u{110cd}' | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0001}' | '\u{e0020}'..='\u{e007f}')
}

/// What is wrong with `s` as a state, alliance or source id, if anything: empty (or only
/// spaces), longer than [`MAX_ID_CHARS`], beginning or ending with white space, or holding a
/// control or format character. The one rule of those ids, applied by the dataset loader and
/// by every importer that makes ids from its input, so that an import that succeeds gives a
/// dataset that loads. White space at either end is refused because `"RUS "` would otherwise be a
/// second Russia, silently apart from `"RUS"` (the importers trim their fields first); a tab
/// or a no-break space counts as white space too.
pub fn id_problem(s: &str) -> Option<String> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Some(format!("empty id {:?}", show_str(s)));
    }
    let n = s.chars().count();
    if n > MAX_ID_CHARS {
        return Some(format!(
            "id {:?} has {n} characters, more than the {MAX_ID_CHARS} allowed",
            show_str(s)
        ));
    }
    if trimmed.len() != s.len() {
        return Some(format!(
            "id {:?} begins or ends with white space (ids may not; did you mean {:?}?)",
            show_str(s),
            show_str(trimmed)
        ));
    }
    s.chars()
        .find(|&c| c.is_control() || is_format_char(c))
        .map(|c| {
            format!(
                "id {:?} has an invisible character U+{:04X} (control or format characters are \
                 not allowed in ids)",
                show_str(s),
                u32::from(c)
            )
        })
}

/// The message for a reference to an id no entry declares, with a hint where the id is a
/// declared one with spaces around it (`"RUS "` for `"RUS"`).
fn unknown_id(what: &str, id: &str, known: impl Fn(&str) -> bool) -> String {
    let trimmed = id.trim();
    if trimmed.len() != id.len() && !trimmed.is_empty() && known(trimmed) {
        format!(
            "unknown {what} id {:?} (did you mean {:?}? ids may not begin or end with white space)",
            show_str(id),
            show_str(trimmed)
        )
    } else {
        format!("unknown {what} id {id:?}")
    }
}

/// What is wrong with `s` as a text field (a name, note, title or URL), if anything: longer
/// than [`MAX_TEXT_BYTES`].
pub fn text_problem(s: &str) -> Option<String> {
    (s.len() > MAX_TEXT_BYTES).then(|| {
        format!(
            "the text has {} bytes, more than the {} KiB a string may have: {:?}",
            s.len(),
            MAX_TEXT_BYTES >> 10,
            show_str(s)
        )
    })
}

/// At most 60 characters of a string, for a message.
pub fn show_str(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(57).collect::<String>())
    } else {
        s.to_string()
    }
}

struct Validator<'f> {
    file: &'f str,
    problems: Vec<Diagnostic>,
    /// The path of each event id met so far, to name both places of a duplicate.
    event_ids: HashMap<String, String>,
    layers: Layers,
    /// The text of the top-level `events` array, read element by element (`stream.rs`).
    raw_events: Option<&'f str>,
    /// (what, id) of the states, alliances and sources whose entry was refused: its problem is
    /// reported once, at the entry, not again at every event that names it.
    refused: std::collections::HashSet<(String, String)>,
}

/// Short rendering of a JSON value for messages. Serialises at most a few hundred bytes, so a
/// huge value in the wrong place does not get copied whole into a message. Every reader of JSON
/// (the dataset, scenarios, rules, claims) quotes a wrong value through it.
pub fn show(v: &Value) -> String {
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
            // One rule for null: it means "absent". An optional field may be null; a required
            // one that is null says so at its own path (docs/dataset.md).
            Some(Value::Null) if required => {
                self.err(
                    &join(&o.path, key),
                    "null, but this field is required (null counts as absent)",
                );
                None
            }
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
            Value::String(s) => match text_problem(s) {
                Some(problem) => {
                    self.err(&join(&o.path, key), problem);
                    None
                }
                None => Some(s.clone()),
            },
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

    /// The id of a `what` (state, alliance, source) entry, or `None` with the problem reported;
    /// a refused id is remembered so that references to it are not reported again.
    fn id(&mut self, o: &Obj<'_>, key: &str, what: &str) -> Option<String> {
        let s = self.string(o, key, true)?;
        if let Some(problem) = id_problem(&s) {
            self.err(&join(&o.path, key), problem);
            self.refused.insert((what.to_string(), s));
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
                if !self.was_refused(what, &id) {
                    let msg = unknown_id(what, &id, |t| index.contains_key(t));
                    self.err(&join(&o.path, key), msg);
                }
                None
            }
        }
    }

    /// Records the id of an entry refused for another field (`rest` is `None`), so that
    /// references to it are not reported as unknown ids: the root cause is reported once.
    fn refused_if_missing<T>(
        &mut self,
        what: &'static str,
        id: Option<String>,
        rest: Option<T>,
    ) -> (Option<String>, Option<T>) {
        if let (Some(id), None) = (&id, &rest) {
            self.refused.insert((what.to_string(), id.clone()));
        }
        (id, rest)
    }

    /// Whether `id` names a `what` whose entry was refused (its problem already reported).
    fn was_refused(&self, what: &str, id: &str) -> bool {
        self.refused.contains(&(what.to_string(), id.to_string()))
    }

    fn dataset(&mut self, root: &Value) -> Dataset {
        const TOP: &[&str] = &[
            "name",
            "description",
            "goldstein_scale",
            "sources",
            "states",
            "alliances",
            "events",
            "view",
            "uncertainty",
            "claims",
        ];
        let Some(top) = self.object(root, "", TOP) else {
            return Dataset::default();
        };
        let name = self.string(&top, "name", true).unwrap_or_default();
        let description = self.string(&top, "description", false);
        if !self.size_ok(&top) {
            return Dataset::default();
        }
        let goldstein_scale = self.goldstein_scale(&top);
        let (sources, source_index) = self.sources(&top);
        let (states, state_index) = self.states(&top);
        let (alliances, alliance_index) = self.alliances(&top);
        let refs = Refs {
            states: state_index,
            alliances: alliance_index,
            sources: source_index,
            goldstein_scale: goldstein_scale.unwrap_or(DEFAULT_GOLDSTEIN_SCALE),
        };
        let events = self.events(&top, &refs);
        let view = self.view(&top, &refs);
        // Uncertainty rules and claims are read and checked by `robust` (they name metrics and
        // selectors, which live above this layer); here they must at least be arrays.
        self.array(&top, "uncertainty", false);
        self.array(&top, "claims", false);
        Dataset {
            name,
            description,
            goldstein_scale,
            sources,
            states,
            alliances,
            events,
            layers: std::mem::take(&mut self.layers.ids),
            view,
        }
    }

    /// The top-level `view`: `from` ≤ `to` (dates), `focus` (alliance ids), `states` (state
    /// ids), `at` (dates, sorted on load); each optional.
    fn view(&mut self, top: &Obj<'_>, refs: &Refs) -> Option<View> {
        let v = self.get(top, "view", false)?;
        let o = self.object(v, "view", &["from", "to", "focus", "states", "at"])?;
        let from = self.date(&o, "from", false);
        let to = self.date(&o, "to", false);
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                self.err(
                    "view.to",
                    format!(
                        "\"{}\" is before view.from \"{}\"",
                        crate::date::fmt_date(t),
                        crate::date::fmt_date(f)
                    ),
                );
            }
        }
        let ids = |this: &mut Self, key: &str, index: &HashMap<String, usize>, what: &str| {
            let mut out = Vec::new();
            for (i, x) in this.array(&o, key, false).iter().enumerate() {
                let path = format!("view.{key}[{i}]");
                match x {
                    Value::String(id) => match index.get(id) {
                        Some(&k) if !out.contains(&k) => out.push(k),
                        Some(_) => this.err(&path, format!("duplicate {what} id {id:?}")),
                        None if this.was_refused(what, id) => {}
                        None => {
                            let msg = unknown_id(what, id, |t| index.contains_key(t));
                            this.err(&path, msg);
                        }
                    },
                    other => this.err(
                        &path,
                        format!(
                            "expected a string, found {} {}",
                            type_name(other),
                            show(other)
                        ),
                    ),
                }
            }
            out
        };
        let focus = ids(self, "focus", &refs.alliances, "alliance");
        let states = ids(self, "states", &refs.states, "state");
        let mut at = Vec::new();
        for (i, x) in self.array(&o, "at", false).iter().enumerate() {
            let path = format!("view.at[{i}]");
            match x {
                Value::String(d) => match parse_date(d) {
                    Ok(d) => at.push(d),
                    Err(e) => self.err(&path, e),
                },
                other => self.err(
                    &path,
                    format!(
                        "expected a date string, found {} {}",
                        type_name(other),
                        show(other)
                    ),
                ),
            }
        }
        at.sort_unstable();
        at.dedup();
        Some(View {
            from,
            to,
            focus,
            states,
            at,
        })
    }

    /// The top-level `goldstein_scale`: in (0, 2], so that a delta derived from a CAMEO code
    /// stays within a tie event's range [−2, 2].
    fn goldstein_scale(&mut self, top: &Obj<'_>) -> Option<f64> {
        let x = self.number(top, "goldstein_scale", false)?;
        if x <= 0.0 || x > MAX_GOLDSTEIN_SCALE {
            self.err(
                "goldstein_scale",
                format!("{x} is out of range (0, {MAX_GOLDSTEIN_SCALE}]"),
            );
            return None;
        }
        Some(x)
    }

    fn sources(&mut self, top: &Obj<'_>) -> (Vec<Source>, HashMap<String, usize>) {
        let mut sources = Vec::new();
        let mut index = HashMap::new();
        for (i, v) in self.array(top, "sources", false).iter().enumerate() {
            if self.saturated() {
                break;
            }
            let path = format!("sources[{i}]");
            let Some(o) = self.object(v, &path, &["id", "title", "url", "date"]) else {
                continue;
            };
            let id = self.id(&o, "id", "source");
            let title = self.string(&o, "title", true);
            let url = self.string(&o, "url", false);
            let date = self.date(&o, "date", false);
            let (id, title) = self.refused_if_missing("source", id, title);
            if let (Some(id), Some(title)) = (id, title) {
                if index.insert(id.clone(), sources.len()).is_some() {
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
        (sources, index)
    }

    fn states(&mut self, top: &Obj<'_>) -> (Vec<State>, HashMap<String, usize>) {
        let mut states = Vec::new();
        let mut index = HashMap::new();
        for (i, v) in self.array(top, "states", true).iter().enumerate() {
            if self.saturated() {
                break;
            }
            let path = format!("states[{i}]");
            let Some(o) = self.object(v, &path, &["id", "name", "codes"]) else {
                continue;
            };
            let id = self.id(&o, "id", "state");
            let name = self.string(&o, "name", true);
            let codes = self.codes(&o);
            let (id, name) = self.refused_if_missing("state", id, name);
            if let (Some(id), Some(name)) = (id, name) {
                if index.insert(id.clone(), states.len()).is_some() {
                    self.err(&join(&path, "id"), format!("duplicate state id {id:?}"));
                    continue;
                }
                states.push(State { id, name, codes });
            }
        }
        (states, index)
    }

    fn alliances(&mut self, top: &Obj<'_>) -> (Vec<Alliance>, HashMap<String, usize>) {
        let mut alliances = Vec::new();
        let mut index = HashMap::new();
        for (i, v) in self.array(top, "alliances", false).iter().enumerate() {
            if self.saturated() {
                break;
            }
            let path = format!("alliances[{i}]");
            let Some(o) = self.object(v, &path, &["id", "name", "kind", "tie"]) else {
                continue;
            };
            let id = self.id(&o, "id", "alliance");
            let name = self.string(&o, "name", true);
            let kind = self.alliance_kind(&o);
            let tie = if given(&o, "tie") {
                self.number_in(&o, "tie", true, 0.0, 1.0)
            } else {
                Some(1.0)
            };
            let rest = name.zip(kind).zip(tie);
            let (id, rest) = self.refused_if_missing("alliance", id, rest);
            if let (Some(id), Some(((name, kind), tie))) = (id, rest) {
                if index.insert(id.clone(), alliances.len()).is_some() {
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
        (alliances, index)
    }

    fn alliance_kind(&mut self, o: &Obj<'_>) -> Option<AllianceKind> {
        let Some(k) = self.string(o, "kind", false) else {
            return Some(AllianceKind::Other);
        };
        let parsed = AllianceKind::parse(&k);
        if parsed.is_none() {
            let all: Vec<&str> = AllianceKind::ALL.iter().map(|k| k.as_str()).collect();
            self.err(
                &join(&o.path, "kind"),
                format!(
                    "unknown alliance kind {k:?} (expected one of: {})",
                    all.join(", ")
                ),
            );
        }
        parsed
    }

    fn events(&mut self, top: &Obj<'_>, refs: &Refs) -> Vec<Event> {
        let mut events = Vec::new();
        let mut at = Vec::new();
        if let Some(raw) = self.raw_events.take() {
            let read = super::stream::for_each_element(raw, super::MAX_EVENT_BYTES, |i, v| {
                if self.saturated() {
                    return false;
                }
                let path = format!("events[{i}]");
                match v {
                    Ok(v) => {
                        if let Some(e) = self.event(&v, &path, refs) {
                            events.push(e);
                            at.push(i);
                        }
                    }
                    Err(n) => self.err(
                        &path,
                        format!(
                            "the event has {n} bytes of JSON, more than the {} MiB an event may have",
                            super::MAX_EVENT_BYTES >> 20
                        ),
                    ),
                }
                true
            });
            if let Err(e) = read {
                self.err("events", format!("malformed JSON: {e}"));
            }
            self.answers(&events, &at, refs);
            return events;
        }
        for (i, v) in self.array(top, "events", false).iter().enumerate() {
            if self.saturated() {
                break;
            }
            let path = format!("events[{i}]");
            if let Some(e) = self.event(v, &path, refs) {
                events.push(e);
                at.push(i);
            }
        }
        self.answers(&events, &at, refs);
        events
    }

    /// Every `respond` must answer an open invocation (docs/dataset.md); `at` holds each
    /// event's position in the file.
    fn answers(&mut self, events: &[Event], at: &[usize], refs: &Refs) {
        for k in super::calls::pair(events).unanswerable {
            let (Some(e), Some(&i)) = (events.get(k), at.get(k)) else {
                continue;
            };
            if let super::EventKind::Respond {
                state, alliance, ..
            } = e.kind
            {
                let name = |index: &HashMap<String, usize>, x: usize| {
                    index
                        .iter()
                        .find(|(_, &v)| v == x)
                        .map_or(String::new(), |(id, _)| id.clone())
                };
                let (s, a) = (name(&refs.states, state), name(&refs.alliances, alliance));
                self.err(
                    &format!("events[{i}]"),
                    format!(
                        "respond of {s:?} in {a:?} on {}, but {s} has no open invocation in {a} \
                         on or before that date (an invoke event must come first)",
                        crate::date::fmt_date(e.date)
                    ),
                );
            }
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
                Value::Number(n)
                    if n.is_u64()
                        || n.as_f64()
                            .is_some_and(|x| x.fract() == 0.0 && x.abs() >= 9.2e18) =>
                {
                    self.err(
                        &join(&path, k),
                        format!(
                            "integer code {n} is out of range (from {} to {}); write a larger \
                             code as a string",
                            i64::MIN,
                            i64::MAX
                        ),
                    )
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

    /// One event: its kind first (it decides which fields are allowed), then the fields every
    /// event may carry, then the kind's own fields as the table in `kinds.rs` lists them.
    fn event(&mut self, v: &Value, path: &str, refs: &Refs) -> Option<Event> {
        let spec = self.event_kind(v, path)?;
        let o = self.object(v, path, allowed_keys(spec))?;
        let date = self.date(&o, "date", true);
        let note = self.string(&o, "note", false);
        let source = match self.string(&o, "source", false) {
            None => Some(None),
            Some(id) => match refs.sources.get(&id) {
                Some(&i) => Some(Some(i)),
                None => {
                    if !self.was_refused("source", &id) {
                        let msg = unknown_id("source", &id, |t| refs.sources.contains_key(t));
                        self.err(&join(path, "source"), msg);
                    }
                    None
                }
            },
        };
        let mut values = Values {
            goldstein_scale: refs.goldstein_scale,
            ..Values::default()
        };
        for &(field, need) in spec.fields {
            self.field(&o, field, need, refs, &mut values);
        }
        let id = self.event_id(&o);
        let tags = self.tags(&o);
        let kind = (spec.build)(&values);
        Some(Event {
            date: date?,
            kind: kind?,
            id: id?,
            tags: tags?,
            note,
            source: source?,
        })
    }

    /// The `kind` of an event, read before anything else.
    fn event_kind(&mut self, v: &Value, path: &str) -> Option<&'static KindSpec> {
        match v.get("kind") {
            Some(Value::String(k)) => {
                let spec = kinds::spec(k);
                if spec.is_none() {
                    self.err(
                        &join(path, "kind"),
                        format!(
                            "unknown event kind {k:?} (expected one of: {})",
                            kinds::names()
                        ),
                    );
                }
                spec
            }
            Some(other) => {
                self.err(
                    &join(path, "kind"),
                    format!(
                        "expected a string, found {} {}",
                        type_name(other),
                        show(other)
                    ),
                );
                None
            }
            None if v.is_object() => {
                self.err(path, "missing field \"kind\"");
                None
            }
            None => {
                self.err(
                    path,
                    format!("expected an object, found {} {}", type_name(v), show(v)),
                );
                None
            }
        }
    }

    /// Reads one kind-specific field into `values`.
    fn field(&mut self, o: &Obj<'_>, field: Field, need: Need, refs: &Refs, values: &mut Values) {
        let key = field.key();
        let required = match need {
            Need::Required => true,
            Need::Optional => false,
            Need::RequiredUnless(other) => !given(o, other.key()),
        };
        match field {
            Field::State => values.state = self.lookup(o, key, "state", &refs.states),
            Field::Alliance => values.alliance = self.lookup(o, key, "alliance", &refs.alliances),
            Field::A => values.a = self.lookup(o, key, "state", &refs.states),
            Field::B => {
                values.b = self.lookup(o, key, "state", &refs.states);
                if values.b.is_some() && values.b == values.a {
                    let id = o.map.get("a").map(show).unwrap_or_default();
                    self.err(
                        &join(&o.path, "b"),
                        format!("a tie of a state with itself ({id})"),
                    );
                    values.b = None;
                }
            }
            Field::Delta => {
                values.delta = slot(o, key, self.number_in(o, key, required, -2.0, 2.0));
            }
            Field::Cameo => values.cameo = slot(o, key, self.cameo(o, key)),
            Field::HalfLifeDays => values.half_life_days = slot(o, key, self.positive(o, key)),
            Field::DurationDays => values.duration_days = slot(o, key, self.positive(o, key)),
            Field::Layer => values.layer = slot(o, key, self.layer(o, key)),
            Field::Factor => {
                // `null` counts as absent (one rule for every field): the default factor.
                values.factor = slot(o, key, self.number_in(o, key, given(o, key), 0.0, 1.0));
            }
            Field::Tie => values.tie = self.number_in(o, key, required, 0.0, 1.0),
            Field::Article => values.article = slot(o, key, self.article(o, key)),
            Field::Outcome => values.outcome = self.outcome(o, key),
        }
    }

    /// An `invoke` event's `article`: a treaty article number, an integer from 1.
    fn article(&mut self, o: &Obj<'_>, key: &str) -> Option<u32> {
        let v = self.get(o, key, false)?;
        match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n >= 1 => Some(n),
            _ => {
                self.err(
                    &join(&o.path, key),
                    format!(
                        "expected an article number (an integer from 1), found {}",
                        show(v)
                    ),
                );
                None
            }
        }
    }

    /// A `respond` event's `outcome`: honoured, partial or declined.
    fn outcome(&mut self, o: &Obj<'_>, key: &str) -> Option<Outcome> {
        let s = self.string(o, key, true)?;
        let parsed = Outcome::parse(&s);
        if parsed.is_none() {
            let all: Vec<&str> = Outcome::ALL.iter().map(|k| k.as_str()).collect();
            self.err(
                &join(&o.path, key),
                format!(
                    "unknown outcome {:?} (expected one of: {})",
                    show_str(&s),
                    all.join(", ")
                ),
            );
        }
        parsed
    }

    /// A CAMEO code: a string the embedded table knows.
    fn cameo(&mut self, o: &Obj<'_>, key: &str) -> Option<CameoCode> {
        let code = self.string(o, key, false)?;
        let parsed = CameoCode::parse(&code);
        if parsed.is_none() {
            self.err(
                &join(&o.path, key),
                format!("unknown CAMEO event code {code:?} (not in the embedded GDELT CAMEO table: see docs/dataset.md)"),
            );
        }
        parsed
    }

    /// A tie event's layer: `None` for the default layer, else its index in the dataset's layers.
    fn layer(&mut self, o: &Obj<'_>, key: &str) -> Option<Option<usize>> {
        let path = join(&o.path, key);
        let id = self.string(o, key, false)?;
        if !self.visible_id(&path, &id, "layer id") {
            return None;
        }
        if id == DEFAULT_LAYER {
            return Some(None);
        }
        Some(Some(self.layers.intern(id)))
    }

    /// The optional event `id`: a visible id, unique among the events (`Some(None)` if absent).
    fn event_id(&mut self, o: &Obj<'_>) -> Option<Option<String>> {
        if !given(o, "id") {
            return Some(None);
        }
        let path = join(&o.path, "id");
        let id = self.string(o, "id", false)?;
        if !self.visible_id(&path, &id, "event id") {
            return None;
        }
        if let Some(first) = self.event_ids.get(&id) {
            let msg = format!("duplicate event id {id:?} (first at {first})");
            self.err(&path, msg);
            return None;
        }
        self.event_ids.insert(id.clone(), path);
        Some(Some(id))
    }

    /// The optional `tags`: an array of distinct short visible strings (empty if absent).
    fn tags(&mut self, o: &Obj<'_>) -> Option<Vec<String>> {
        let path = join(&o.path, "tags");
        let items = match self.get(o, "tags", false) {
            None => return Some(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => {
                let msg = format!(
                    "expected an array of strings, found {} {}",
                    type_name(other),
                    show(other)
                );
                self.err(&path, msg);
                return None;
            }
        };
        if items.len() > MAX_TAGS {
            let msg = format!(
                "{} tags, more than the {MAX_TAGS} an event may have",
                items.len()
            );
            self.err(&path, msg);
            return None;
        }
        let mut tags: Vec<String> = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            ok &= match item {
                Value::String(t) => self.tag(&at, t, &tags),
                other => {
                    let msg = format!(
                        "expected a string, found {} {}",
                        type_name(other),
                        show(other)
                    );
                    self.err(&at, msg);
                    false
                }
            };
            if let Value::String(t) = item {
                tags.push(t.clone());
            }
        }
        ok.then_some(tags)
    }

    /// Checks one tag against the rules and the tags before it in the same event.
    fn tag(&mut self, at: &str, t: &str, before: &[String]) -> bool {
        if !self.visible_id(at, t, "tag") {
            return false;
        }
        let n = t.chars().count();
        if n > MAX_TAG_CHARS {
            self.err(
                at,
                format!("tag {t:?} has {n} characters, more than the {MAX_TAG_CHARS} allowed"),
            );
            return false;
        }
        if let Some(j) = before.iter().position(|b| b == t) {
            let msg = format!("duplicate tag {t:?} (first at {})", tag_path(at, j));
            self.err(at, msg);
            return false;
        }
        true
    }

    /// Checks the rule of event ids, tags and layer ids: non-empty, every character visible (no
    /// whitespace, no control characters). Reports and returns false if broken.
    fn visible_id(&mut self, path: &str, s: &str, what: &str) -> bool {
        if s.is_empty() {
            self.err(path, format!("empty {what} {s:?}"));
            return false;
        }
        if let Some(c) = s
            .chars()
            .find(|&c| c.is_whitespace() || c.is_control() || is_format_char(c))
        {
            self.err(
                path,
                format!(
                    "{what} {s:?} has a character that is not visible (U+{:04X})",
                    u32::from(c)
                ),
            );
            return false;
        }
        true
    }
}

/// The path of tag `j` of the same `tags` array as the tag at `at` (`events[3].tags[2]`).
fn tag_path(at: &str, j: usize) -> String {
    let base = at.rsplit_once('[').map_or(at, |(b, _)| b);
    format!("{base}[{j}]")
}

/// Whether a field is given (present and not `null`).
fn given(o: &Obj<'_>, key: &str) -> bool {
    o.map.get(key).is_some_and(|v| !v.is_null())
}

/// An optional field as read: absent, invalid (already reported), or its value.
fn slot<T>(o: &Obj<'_>, key: &str, read: Option<T>) -> Slot<T> {
    match read {
        Some(x) => Slot::Given(x),
        None if given(o, key) => Slot::Bad,
        None => Slot::Absent,
    }
}

/// The keys an event of this kind may carry: the common ones, then the kind's own.
fn allowed_keys(spec: &'static KindSpec) -> &'static [&'static str] {
    static ALLOWED: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    let all = ALLOWED.get_or_init(|| {
        kinds::KINDS
            .iter()
            .map(|k| {
                let own = k.fields.iter().map(|(f, _)| f.key());
                kinds::COMMON_KEYS.iter().copied().chain(own).collect()
            })
            .collect()
    });
    kinds::KINDS
        .iter()
        .position(|k| k.name == spec.name)
        .and_then(|i| all.get(i))
        .map_or(&kinds::COMMON_KEYS[..], Vec::as_slice)
}

/// What events refer to: the indices of ids, and the scale of CAMEO-derived deltas.
struct Refs {
    states: HashMap<String, usize>,
    alliances: HashMap<String, usize>,
    sources: HashMap<String, usize>,
    goldstein_scale: f64,
}

/// The layer ids met so far, interned in order of first use.
#[derive(Default)]
struct Layers {
    ids: Vec<String>,
    index: HashMap<String, usize>,
}

impl Layers {
    fn intern(&mut self, id: String) -> usize {
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        self.ids.push(id.clone());
        self.index.insert(id, self.ids.len() - 1);
        self.ids.len() - 1
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
    fn ids_may_not_begin_or_end_with_white_space() {
        // Inside an id a space is fine; at either end (a space, a tab, a no-break space) it
        // would make a second state beside the unpadded one, so it is refused with a hint.
        assert_eq!(id_problem("Côte d'Ivoire"), None);
        for padded in ["RUS ", " RUS", "RUS\t", "\u{a0}RUS"] {
            let p = id_problem(padded).expect(padded);
            assert!(p.contains("begins or ends with white space"), "{p}");
            assert!(p.contains("did you mean \"RUS\"?"), "{p}");
        }
        // A padded reference to a declared id gets the hint; an entry whose id was refused is
        // reported once, not again at each reference to it.
        let p = problems(
            r#"{"name":"x","states":[{"id":"RUS","name":"R"},{"id":"ARM ","name":"A"}],
               "alliances":[{"id":"CSTO","name":"C"}],
               "events":[{"date":"2002-10-07","kind":"join","state":"RUS ","alliance":"CSTO"},
                         {"date":"2002-10-07","kind":"join","state":"ARM ","alliance":"CSTO"},
                         {"date":"2002-10-07","kind":"join","state":"AZE ","alliance":"CSTO"}]}"#,
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p[0].contains("states[1].id: id \"ARM \" begins or ends"),
            "{p:?}"
        );
        assert!(
            p[1].contains("events[0].state: unknown state id \"RUS \" (did you mean \"RUS\"?"),
            "{p:?}"
        );
        assert!(
            p[2].ends_with("events[2].state: unknown state id \"AZE \""),
            "{p:?}"
        );
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

    fn tie_deltas(ds: &Dataset) -> Vec<super::super::TieDelta> {
        ds.events
            .iter()
            .filter_map(|e| match e.kind {
                super::super::EventKind::TieDelta(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn cameo_gives_the_delta_unless_one_is_given() {
        let ds = load_str(
            r#"{"name":"x","goldstein_scale":2,"states":[{"id":"A","name":"A"},{"id":"B","name":"B"}],
               "events":[{"date":"2020-01-01","kind":"tie","a":"A","b":"B","cameo":"190"},
                         {"date":"2020-01-01","kind":"tie","a":"A","b":"B","cameo":"190","delta":0.5},
                         {"date":"2020-01-01","kind":"tie","a":"A","b":"B","cameo":"042"}]}"#,
            "t",
        )
        .unwrap();
        let t = tie_deltas(&ds);
        assert_eq!((t[0].delta, t[0].delta_from_cameo), (-2.0, true));
        assert_eq!((t[1].delta, t[1].delta_from_cameo), (0.5, false));
        assert_eq!(t[2].delta, 1.9 / 10.0 * 2.0);
    }

    #[test]
    fn event_ids_tags_and_layers_are_checked() {
        let p = problems(
            r#"{"name":"x","states":[{"id":"A","name":"A"},{"id":"B","name":"B"}],
               "events":[{"date":"2020-01-01","kind":"enter","state":"A","id":"e","tags":["t","t"]},
                         {"date":"2020-01-01","kind":"enter","state":"B","id":"e"},
                         {"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":0.1,"layer":"x y"}]}"#,
        );
        let all = p.join("\n");
        assert!(
            all.contains("events[0].tags[1]: duplicate tag \"t\" (first at events[0].tags[0])"),
            "{all}"
        );
        assert!(
            all.contains("events[1].id: duplicate event id \"e\" (first at events[0].id)"),
            "{all}"
        );
        assert!(
            all.contains("events[2].layer: layer id \"x y\" has a character that is not visible"),
            "{all}"
        );
        assert_eq!(p.len(), 3, "{all}");
    }

    #[test]
    fn layers_are_interned_and_events_is_the_default() {
        let ds = load_str(
            r#"{"name":"x","states":[{"id":"A","name":"A"},{"id":"B","name":"B"}],
               "events":[{"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":0.1,"layer":"votes"},
                         {"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":0.1,"layer":"events"},
                         {"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":0.1,"layer":"votes"}]}"#,
            "t",
        )
        .unwrap();
        let t = tie_deltas(&ds);
        assert_eq!(ds.layers, ["votes"]);
        assert_eq!(
            [t[0].layer, t[1].layer, t[2].layer],
            [Some(0), None, Some(0)]
        );
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

    /// The loader before streaming: the whole text as one `Value`, then validated (`None` for
    /// a syntax error, which the bad-input tests check with its line and column).
    fn load_whole(text: &str) -> Option<std::result::Result<Dataset, String>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let super::super::strict_json::Strict(v) = serde_json::from_str(text).ok()?;
        Some(validate(&v, None, "t.json").map_err(|e| e.to_string()))
    }

    /// Every dataset fixture of the test suite, good and bad, as it is and with its top-level
    /// members sorted and reverse-sorted (so the events come before the states, sources and
    /// alliances they name, or after): streaming gives the same dataset or the same problems as
    /// validating the whole parsed value.
    #[test]
    fn streaming_equals_validating_the_whole_value() {
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from("tests/data"), "data".into()];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "json") {
                    files.push(p);
                }
            }
        }
        let mut compared = 0;
        for p in files {
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue; // not UTF-8: refused before parsing
            };
            let mut texts = vec![text.clone()];
            if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&text) {
                let member =
                    |(k, v): (&String, &Value)| format!("{}: {v}", Value::String(k.clone()));
                let sorted: Vec<String> = m.iter().map(member).collect();
                let reversed: Vec<String> = m.iter().rev().map(member).collect();
                texts.push(format!("{{{}}}", sorted.join(", ")));
                texts.push(format!("{{{}}}", reversed.join(", ")));
            }
            for t in texts {
                let Some(want) = load_whole(&t) else {
                    continue;
                };
                let got = load_str(&t, "t.json").map_err(|e| e.to_string());
                assert_eq!(got, want, "{}", p.display());
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared}");
    }
}
