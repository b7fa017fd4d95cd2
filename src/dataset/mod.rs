//! The dataset: states, alliances and dated events, as read from the JSON format of
//! `docs/dataset.md` and validated. Ids are interned: events refer to states, alliances and
//! sources by index; the string ids live only in [`State`], [`Alliance`] and [`Source`].
//!
//! Reading and validation live in [`load`]; writing back to JSON in [`write`](mod@write).

pub mod load;
mod strict_json;
pub mod ties_csv;
pub mod write;

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;

pub use load::{load_bytes, load_str};

/// A cited source.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub date: Option<NaiveDate>,
}

/// An external code of a state (for example its Correlates of War number): a string or integer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    Int(i64),
    Text(String),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Int(i) => write!(f, "{i}"),
            Code::Text(s) => f.write_str(s),
        }
    }
}

/// A state (a node of the graph).
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub id: String,
    pub name: String,
    /// External codes by scheme, e.g. `{"cow": 371}`.
    pub codes: BTreeMap<String, Code>,
}

/// The kind of an alliance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AllianceKind {
    Defense,
    Offense,
    Neutrality,
    Nonaggression,
    Consultation,
    Entente,
    Partnership,
    Other,
}

impl AllianceKind {
    pub const ALL: [AllianceKind; 8] = [
        AllianceKind::Defense,
        AllianceKind::Offense,
        AllianceKind::Neutrality,
        AllianceKind::Nonaggression,
        AllianceKind::Consultation,
        AllianceKind::Entente,
        AllianceKind::Partnership,
        AllianceKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AllianceKind::Defense => "defense",
            AllianceKind::Offense => "offense",
            AllianceKind::Neutrality => "neutrality",
            AllianceKind::Nonaggression => "nonaggression",
            AllianceKind::Consultation => "consultation",
            AllianceKind::Entente => "entente",
            AllianceKind::Partnership => "partnership",
            AllianceKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<AllianceKind> {
        AllianceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An alliance: a group whose members give each other a base tie.
#[derive(Debug, Clone, PartialEq)]
pub struct Alliance {
    pub id: String,
    pub name: String,
    pub kind: AllianceKind,
    /// Base tie weight in [0, 1] members give each other (until a `retie`).
    pub tie: f64,
}

/// A tie event: a change of the weight between two states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieChange {
    pub a: usize,
    pub b: usize,
    /// In [−2, 2].
    pub delta: f64,
    /// Positive; `None` means no decay.
    pub half_life_days: Option<f64>,
    /// Positive; `None` means the change lasts for ever.
    pub duration_days: Option<f64>,
}

/// What an event does. Indices refer to `Dataset::states` and `Dataset::alliances`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventKind {
    Enter {
        state: usize,
    },
    Exit {
        state: usize,
    },
    Join {
        state: usize,
        alliance: usize,
    },
    Leave {
        state: usize,
        alliance: usize,
    },
    Suspend {
        state: usize,
        alliance: usize,
        factor: f64,
    },
    Resume {
        state: usize,
        alliance: usize,
    },
    Dissolve {
        alliance: usize,
    },
    Retie {
        alliance: usize,
        tie: f64,
    },
    Tie(TieChange),
}

impl EventKind {
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Enter { .. } => "enter",
            EventKind::Exit { .. } => "exit",
            EventKind::Join { .. } => "join",
            EventKind::Leave { .. } => "leave",
            EventKind::Suspend { .. } => "suspend",
            EventKind::Resume { .. } => "resume",
            EventKind::Dissolve { .. } => "dissolve",
            EventKind::Retie { .. } => "retie",
            EventKind::Tie(_) => "tie",
        }
    }
}

/// A dated event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub date: NaiveDate,
    pub kind: EventKind,
    pub note: Option<String>,
    /// Index into `Dataset::sources`.
    pub source: Option<usize>,
}

/// A validated dataset. Construct it with [`load_str`]/[`load_bytes`] (or by hand, then
/// [`Dataset::check`]); every index in it is in range.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    pub name: String,
    pub description: Option<String>,
    pub sources: Vec<Source>,
    pub states: Vec<State>,
    pub alliances: Vec<Alliance>,
    /// In file order (not sorted by date).
    pub events: Vec<Event>,
}

impl Dataset {
    /// Index of the state with this id.
    pub fn state_index(&self, id: &str) -> Option<usize> {
        self.states.iter().position(|s| s.id == id)
    }

    /// Index of the alliance with this id.
    pub fn alliance_index(&self, id: &str) -> Option<usize> {
        self.alliances.iter().position(|a| a.id == id)
    }

    /// The dates of the first and last events, if any.
    pub fn date_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.events.iter().map(|e| e.date).min()?;
        let last = self.events.iter().map(|e| e.date).max()?;
        Some((first, last))
    }

    /// Checks a dataset built in code by serialising it and validating the result, so that
    /// hand-built datasets obey the same rules as loaded ones.
    pub fn check(&self) -> crate::error::Result<()> {
        let text = write::to_json_string(self);
        load_str(&text, "<in-memory>").map(|_| ())
    }
}
