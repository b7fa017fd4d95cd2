//! Event selectors: the one grammar by which uncertainty rules, what-if scenarios and
//! explanations name the events they touch (see docs/robust.md).
//!
//! A selector is `KEY=VALUE[,KEY=VALUE…]`; several keys mean every one must match.
//!
//! | key | matches |
//! |---|---|
//! | `event=ID` | the event with this `id` |
//! | `tag=T` | events carrying tag `T` |
//! | `kind=K` | events of kind `K` (`enter`, `exit`, `join`, `leave`, `suspend`, `resume`, `dissolve`, `retie`, `tie`) |
//! | `alliance=A` | A's membership events (`join`, `leave`, `suspend`, `resume`, `dissolve`, `retie`); for a rule on the `tie` parameter, also A's base tie |
//! | `state=S` | events naming state `S` (either end of a `tie`) |
//! | `ties` | every row of every tie CSV |
//! | `ties=FILE` | the rows of the tie CSV given as `FILE` |
//!
//! `ties` may be combined with `state` only (tie-CSV rows have no id, tags or alliance). Parsing
//! checks the syntax; [`Selector::resolve`] checks the names against a dataset and refuses a
//! selector that matches nothing. Errors are typed ([`SelectError`]) and name the selector.

use crate::dataset::{Dataset, EventKind};
use std::fmt;

/// The event kinds a `kind=` key accepts.
pub const KINDS: [&str; 9] = [
    "enter", "exit", "join", "leave", "suspend", "resume", "dissolve", "retie", "tie",
];

/// One `KEY=VALUE` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// `event=ID`.
    Event(String),
    /// `tag=T`.
    Tag(String),
    /// `kind=K`.
    Kind(String),
    /// `alliance=A`.
    Alliance(String),
    /// `state=S`.
    State(String),
    /// Tie-CSV rows: of every file (`None`) or of the file given as this name.
    Ties(Option<String>),
}

/// A parsed selector, with its text for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// The selector as written.
    pub text: String,
    /// Its conditions, in the order written.
    pub keys: Vec<Key>,
}

/// Why a selector was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectError {
    /// The text is not `KEY=VALUE[,KEY=VALUE…]` with known keys.
    Syntax {
        /// The selector as written.
        selector: String,
        /// What is wrong.
        message: String,
    },
    /// A value names nothing in the dataset (an unknown id, tag, kind or tie file).
    #[allow(missing_docs)]
    Unknown {
        /// The selector as written.
        selector: String,
        /// What the value should name (`tag`, `state`, `tie file`, …).
        key: &'static str,
        /// The value.
        value: String,
    },
    /// The selector is well formed but matches no event, alliance or tie-CSV row.
    Empty {
        /// The selector as written.
        selector: String,
    },
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::Syntax { selector, message } => {
                write!(f, "selector {selector:?}: {message}")
            }
            SelectError::Unknown {
                selector,
                key,
                value,
            } => write!(f, "selector {selector:?}: unknown {key} {value:?}"),
            SelectError::Empty { selector } => {
                write!(f, "selector {selector:?} matches nothing")
            }
        }
    }
}

impl std::error::Error for SelectError {}

/// Which tie-CSV rows a selection holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieRows {
    /// Indices into the tie-file list given to [`Selector::resolve`].
    pub files: Vec<usize>,
    /// Only rows naming this state (dataset index), if set.
    pub state: Option<usize>,
}

/// What a selector matched in one dataset: dataset event indices (ascending), the alliances
/// named by an `alliance=` key (whose base tie a `tie` rule varies), and tie-CSV rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Matched dataset events (indices, ascending).
    pub events: Vec<usize>,
    /// Alliances whose base tie a `tie` rule varies (an `alliance=` key alone).
    pub alliances: Vec<usize>,
    /// Matched tie-CSV rows, if the selector is a `ties` one.
    pub ties: Option<TieRows>,
}

impl Selection {
    /// True when nothing was matched.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.alliances.is_empty() && self.ties.is_none()
    }
}

/// Parses `KEY=VALUE[,KEY=VALUE…]`.
///
/// ```
/// use entente::select::{parse, Key};
/// let s = parse("tag=grievance,state=ARM").unwrap();
/// assert_eq!(s.keys, vec![Key::Tag("grievance".into()), Key::State("ARM".into())]);
/// assert!(parse("colour=red").is_err());
/// ```
pub fn parse(text: &str) -> Result<Selector, SelectError> {
    let syntax = |message: String| SelectError::Syntax {
        selector: text.to_string(),
        message,
    };
    if text.trim().is_empty() {
        return Err(syntax("empty selector".into()));
    }
    let mut keys = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let (k, v) = match part.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (part, None),
        };
        if v.is_some_and(str::is_empty) {
            return Err(syntax(format!("{k}= needs a value")));
        }
        let need = |v: Option<&str>| {
            v.map(str::to_string)
                .ok_or_else(|| syntax(format!("{k} needs a value ({k}=…)")))
        };
        let key = match k {
            "event" => Key::Event(need(v)?),
            "tag" => Key::Tag(need(v)?),
            "kind" => {
                let v = need(v)?;
                if !KINDS.contains(&v.as_str()) {
                    return Err(SelectError::Unknown {
                        selector: text.to_string(),
                        key: "kind",
                        value: v,
                    });
                }
                Key::Kind(v)
            }
            "alliance" => Key::Alliance(need(v)?),
            "state" => Key::State(need(v)?),
            "ties" => Key::Ties(v.map(str::to_string)),
            other => {
                return Err(syntax(format!(
                    "unknown key {other:?} (expected event, tag, kind, alliance, state or ties)"
                )))
            }
        };
        if keys
            .iter()
            .any(|x| std::mem::discriminant(x) == std::mem::discriminant(&key))
        {
            return Err(syntax(format!("key {k:?} given twice")));
        }
        keys.push(key);
    }
    let has_ties = keys.iter().any(|k| matches!(k, Key::Ties(_)));
    if has_ties
        && keys
            .iter()
            .any(|k| !matches!(k, Key::Ties(_) | Key::State(_)))
    {
        return Err(syntax(
            "ties combines only with state (tie-CSV rows have no id, tag, kind or alliance)".into(),
        ));
    }
    Ok(Selector {
        text: text.to_string(),
        keys,
    })
}

/// The state and alliance an event names (for `state=` and `alliance=` keys).
fn names_state(kind: &EventKind, s: usize) -> bool {
    match *kind {
        EventKind::TieDelta(t) => t.a == s || t.b == s,
        _ => kind.state() == Some(s),
    }
}

impl Selector {
    /// What the selector matches in `ds`, whose tie CSVs are `tie_files` (names as given on the
    /// command line). Unknown ids, tags or files and empty selections are errors.
    pub fn resolve(&self, ds: &Dataset, tie_files: &[String]) -> Result<Selection, SelectError> {
        let unknown = |key: &'static str, value: &str| SelectError::Unknown {
            selector: self.text.clone(),
            key,
            value: value.to_string(),
        };
        let mut state = None;
        let mut alliance = None;
        for k in &self.keys {
            match k {
                Key::Event(id) => {
                    if !ds.events.iter().any(|e| e.id.as_deref() == Some(id)) {
                        return Err(unknown("event id", id));
                    }
                }
                Key::Tag(t) => {
                    if !ds.events.iter().any(|e| e.tags.iter().any(|x| x == t)) {
                        return Err(unknown("tag", t));
                    }
                }
                Key::State(s) => {
                    state = Some(ds.state_index(s).ok_or_else(|| unknown("state", s))?);
                }
                Key::Alliance(a) => {
                    alliance = Some(ds.alliance_index(a).ok_or_else(|| unknown("alliance", a))?);
                }
                Key::Kind(_) | Key::Ties(_) => {}
            }
        }
        let mut sel = Selection::default();
        if let Some(Key::Ties(file)) = self.keys.iter().find(|k| matches!(k, Key::Ties(_))) {
            let files: Vec<usize> = match file {
                None => (0..tie_files.len()).collect(),
                Some(f) => tie_files
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| *g == f || file_name(g) == file_name(f))
                    .map(|(i, _)| i)
                    .collect(),
            };
            if files.is_empty() {
                return match file {
                    Some(f) => Err(unknown("tie file", f)),
                    None => Err(SelectError::Empty {
                        selector: self.text.clone(),
                    }),
                };
            }
            sel.ties = Some(TieRows { files, state });
            return Ok(sel);
        }
        sel.events = (0..ds.events.len())
            .filter(|&i| self.matches_event(ds, i, state, alliance))
            .collect();
        if let Some(a) = alliance {
            if self.keys.len() == 1 {
                sel.alliances.push(a);
            }
        }
        if sel.is_empty() {
            return Err(SelectError::Empty {
                selector: self.text.clone(),
            });
        }
        Ok(sel)
    }

    fn matches_event(
        &self,
        ds: &Dataset,
        i: usize,
        state: Option<usize>,
        alliance: Option<usize>,
    ) -> bool {
        let e = &ds.events[i];
        self.keys.iter().all(|k| match k {
            Key::Event(id) => e.id.as_deref() == Some(id.as_str()),
            Key::Tag(t) => e.tags.iter().any(|x| x == t),
            Key::Kind(kd) => e.kind.name() == kd,
            Key::State(_) => state.is_some_and(|s| names_state(&e.kind, s)),
            Key::Alliance(_) => alliance.is_some_and(|a| e.kind.alliance() == Some(a)),
            Key::Ties(_) => false,
        })
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn ds() -> Dataset {
        crate::dataset::load_str(
            r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"},{"id":"C","name":"C"}],
               "alliances":[{"id":"X","name":"X","kind":"defense","tie":0.8}],
               "events":[{"date":"2020-01-01","kind":"join","state":"A","alliance":"X","id":"ja"},
                         {"date":"2020-01-01","kind":"join","state":"B","alliance":"X"},
                         {"date":"2021-01-01","kind":"tie","a":"A","b":"C","delta":-0.5,"tags":["grievance"],"id":"g1"},
                         {"date":"2021-02-01","kind":"tie","a":"B","b":"C","delta":-0.2,"tags":["grievance","minor"]},
                         {"date":"2022-01-01","kind":"suspend","state":"A","alliance":"X","factor":0,"id":"freeze"}]}"#,
            "t.json",
        )
        .unwrap()
    }

    fn events(text: &str) -> Vec<usize> {
        parse(text).unwrap().resolve(&ds(), &[]).unwrap().events
    }

    #[test]
    fn keys_select_events_and_combine_with_and() {
        assert_eq!(events("tag=grievance"), [2, 3]);
        assert_eq!(events("tag=grievance,state=A"), [2]);
        assert_eq!(events("event=freeze"), [4]);
        assert_eq!(events("kind=join"), [0, 1]);
        assert_eq!(events("alliance=X"), [0, 1, 4]);
        assert_eq!(events("state=C"), [2, 3]);
        assert_eq!(events("kind=join , state=B"), [1]);
    }

    #[test]
    fn alliance_alone_also_selects_its_base_tie() {
        let s = parse("alliance=X").unwrap().resolve(&ds(), &[]).unwrap();
        assert_eq!(s.alliances, [0]);
        let s = parse("alliance=X,kind=join")
            .unwrap()
            .resolve(&ds(), &[])
            .unwrap();
        assert!(s.alliances.is_empty());
    }

    #[test]
    fn ties_select_files() {
        let files = vec!["data/a.csv".to_string(), "b.csv".to_string()];
        let s = parse("ties").unwrap().resolve(&ds(), &files).unwrap();
        assert_eq!(s.ties.unwrap().files, [0, 1]);
        let s = parse("ties=a.csv,state=B")
            .unwrap()
            .resolve(&ds(), &files)
            .unwrap();
        assert_eq!(
            s.ties,
            Some(TieRows {
                files: vec![0],
                state: Some(1)
            })
        );
        assert_eq!(
            parse("ties=c.csv").unwrap().resolve(&ds(), &files),
            Err(SelectError::Unknown {
                selector: "ties=c.csv".into(),
                key: "tie file",
                value: "c.csv".into()
            })
        );
        assert!(matches!(
            parse("ties").unwrap().resolve(&ds(), &[]),
            Err(SelectError::Empty { .. })
        ));
    }

    #[test]
    fn errors_name_the_selector() {
        for bad in ["", "colour=red", "tag=", "tag", "tag=a,tag=b", "ties,tag=a"] {
            let e = parse(bad).unwrap_err();
            assert!(matches!(e, SelectError::Syntax { .. }), "{bad}: {e}");
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
        assert!(matches!(
            parse("kind=marry"),
            Err(SelectError::Unknown { key: "kind", .. })
        ));
        let e = parse("tag=nope").unwrap().resolve(&ds(), &[]).unwrap_err();
        assert_eq!(e.to_string(), r#"selector "tag=nope": unknown tag "nope""#);
        let e = parse("state=Z").unwrap().resolve(&ds(), &[]).unwrap_err();
        assert!(matches!(e, SelectError::Unknown { key: "state", .. }));
        let e = parse("event=ja,kind=tie")
            .unwrap()
            .resolve(&ds(), &[])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"selector "event=ja,kind=tie" matches nothing"#
        );
    }
}
