//! The dataset: states, alliances and dated events, as read from the JSON format of
//! `docs/dataset.md` and validated. Ids are interned: events refer to states, alliances and
//! sources by index; the string ids live only in [`State`], [`Alliance`] and [`Source`].
//!
//! Reading and validation live in [`load`]; writing back to JSON in [`write`](mod@write).

pub mod calls;
pub mod cameo;
mod kinds;
pub mod load;
mod stream;
mod strict_json;
pub mod ties_csv;
pub mod write;

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;

pub use cameo::CameoCode;
pub use load::{load_bytes, load_str};

/// The longest line any line-oriented reader accepts (tie CSV, importers): 16 MiB. Real lines
/// are under a kilobyte; the limit only stops one endless line (`/dev/zero`, a file with no
/// newline) from taking all memory. See docs/testing.md.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// The largest dataset file read, and the largest of every other JSON input (a `--with` scenario,
/// a `--claims` file): 256 MiB. Checked against the file's size before reading when
/// the size is known, and while reading otherwise (standard input, devices, pipes). Loading
/// takes about 3 bytes of memory per input byte on real data (the text, then the typed events:
/// the events are streamed, see `stream.rs`); the largest real dataset (ATOP, every member) is
/// under 10 MB. What is parsed whole into a `serde_json::Value` (up to about 30 bytes of memory
/// per byte) is bounded further by [`MAX_JSON_VALUE_BYTES`] and [`MAX_EVENT_BYTES`]. See
/// docs/testing.md.
pub const MAX_DATASET_BYTES: u64 = 256 << 20;

/// The most JSON text that is parsed whole into a `serde_json::Value`: a dataset's members other
/// than `events` together, a `--with` scenario, a `--claims` file. 32 MiB: up to about 1 GB of
/// `Value` for the worst shape (an array of one-letter strings); a real dataset's states,
/// alliances, sources, rules and claims take well under 1 MB.
pub const MAX_JSON_VALUE_BYTES: usize = 32 << 20;

/// The longest JSON text of one element of a dataset's `events`, each parsed into a `Value` on
/// its own (see `stream.rs`): 4 MiB, far above any valid event (its text fields have at most
/// 64 KiB each, its tags at most [`load::MAX_TAGS`] of [`load::MAX_TAG_CHARS`] characters).
pub const MAX_EVENT_BYTES: usize = 4 << 20;

/// Reads a whole dataset file from `input`, refusing more than [`MAX_DATASET_BYTES`]. `len` is
/// the size the file system reports for a regular file (checked first, so a huge file is
/// refused without reading it); `file` names the input in messages.
pub fn read_bounded(
    input: impl std::io::Read,
    len: Option<u64>,
    file: &str,
) -> crate::error::Result<Vec<u8>> {
    use std::io::Read as _;
    let too_big = |what: String| {
        crate::error::Error::invalid(
            file,
            "",
            format!(
                "{what}, more than the {} MiB a JSON input may have",
                MAX_DATASET_BYTES >> 20
            ),
        )
    };
    if let Some(n) = len.filter(|&n| n > MAX_DATASET_BYTES) {
        return Err(too_big(format!("the file has {n} bytes")));
    }
    let mut v = Vec::new();
    input
        .take(MAX_DATASET_BYTES + 1)
        .read_to_end(&mut v)
        .map_err(|e| crate::error::Error::io(file, e))?;
    if v.len() as u64 > MAX_DATASET_BYTES {
        return Err(too_big("the input goes on past the limit".into()));
    }
    Ok(v)
}

/// Refuses a JSON input parsed whole into a `Value` (a `--with` scenario, a `--claims` file)
/// when its text is longer than [`MAX_JSON_VALUE_BYTES`]; `what` names the kind of file.
pub fn check_whole_json(text: &[u8], file: &str, what: &str) -> crate::error::Result<()> {
    if text.len() > MAX_JSON_VALUE_BYTES {
        return Err(crate::error::Error::invalid(
            file,
            "",
            format!(
                "the file has {} bytes, more than the {} MiB {what} may have",
                text.len(),
                MAX_JSON_VALUE_BYTES >> 20
            ),
        ));
    }
    Ok(())
}

/// The layer of a tie event that names none.
pub const DEFAULT_LAYER: &str = "events";

/// The `goldstein_scale` of a dataset that gives none.
pub const DEFAULT_GOLDSTEIN_SCALE: f64 = 1.0;

/// A cited source.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The source's id, as events cite it.
    pub id: String,
    /// Title of the cited work.
    pub title: String,
    /// Where to read it, if online.
    pub url: Option<String>,
    /// Publication date, if known.
    pub date: Option<NaiveDate>,
}

/// An external code of a state (for example its Correlates of War number): a string or integer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// A numeric code, such as a COW number.
    Int(i64),
    /// A textual code, such as an ISO abbreviation.
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
    /// The state's id (unique in the dataset), as events name it.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// External codes by scheme, e.g. `{"cow": 371}`.
    pub codes: BTreeMap<String, Code>,
}

/// The kind of an alliance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AllianceKind {
    /// A defence pact: members defend each other if attacked.
    Defense,
    /// An offensive alliance.
    Offense,
    /// A neutrality pact.
    Neutrality,
    /// A non-aggression pact.
    Nonaggression,
    /// A consultation pact: members consult in a crisis.
    Consultation,
    /// An entente: a looser understanding.
    Entente,
    /// A strategic partnership.
    Partnership,
    /// Any other kind.
    Other,
}

impl AllianceKind {
    /// Every kind, in the order of the documentation.
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

    /// The kind as written in a dataset (`"defense"`, …).
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

    /// The kind written as `s`, if it is one.
    pub fn parse(s: &str) -> Option<AllianceKind> {
        AllianceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An alliance: a group whose members give each other a base tie.
#[derive(Debug, Clone, PartialEq)]
pub struct Alliance {
    /// The alliance's id (unique in the dataset), as events name it.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// What kind of alliance it is.
    pub kind: AllianceKind,
    /// Base tie weight in [0, 1] members give each other (until a `retie`).
    pub tie: f64,
}

/// What a `tie` event carries: a signed change of the weight between two states, how it fades
/// and how long it lasts, with the CAMEO code and the layer it was coded under.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieDelta {
    /// One state of the pair (index into `Dataset::states`).
    pub a: usize,
    /// The other state of the pair (index into `Dataset::states`).
    pub b: usize,
    /// In [−2, 2]: the event's `delta`, or the one derived from `cameo` when it gives none.
    pub delta: f64,
    /// Positive; `None` means no decay.
    pub half_life_days: Option<f64>,
    /// Positive; `None` means the change lasts for ever.
    pub duration_days: Option<f64>,
    /// The CAMEO event code the event is coded with, if any.
    pub cameo: Option<CameoCode>,
    /// True when the file gave no `delta` and `delta` was derived from `cameo` (and the
    /// dataset's `goldstein_scale`); the writer then leaves `delta` out again.
    pub delta_from_cameo: bool,
    /// Index into `Dataset::layers`; `None` is the default layer [`DEFAULT_LAYER`].
    pub layer: Option<usize>,
}

/// An alliance's answer to a member's call for help (a `respond` event), scored for
/// reliability: honoured 1, partial ½, declined 0 (docs/metrics.md, `reliability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The alliance gave the help asked for.
    Honoured,
    /// The alliance gave part of it, or less than was asked.
    Partial,
    /// The alliance refused, or answered with something other than the help asked for.
    Declined,
}

impl Outcome {
    /// Every outcome, in the order of the documentation.
    pub const ALL: [Outcome; 3] = [Outcome::Honoured, Outcome::Partial, Outcome::Declined];

    /// The outcome as written in a dataset (`"honoured"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Honoured => "honoured",
            Outcome::Partial => "partial",
            Outcome::Declined => "declined",
        }
    }

    /// The outcome written as `s`, if it is one.
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Its score h_e in the reliability metric: 1, ½ or 0.
    pub fn score(self) -> f64 {
        match self {
            Outcome::Honoured => 1.0,
            Outcome::Partial => 0.5,
            Outcome::Declined => 0.0,
        }
    }
}

/// What an event does. Indices refer to `Dataset::states` and `Dataset::alliances`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventKind {
    /// A state comes into existence (becomes present).
    Enter {
        /// The state.
        state: usize,
    },
    /// A state ceases to exist (is no longer present).
    Exit {
        /// The state.
        state: usize,
    },
    /// A state joins an alliance.
    Join {
        /// The joining state.
        state: usize,
        /// The alliance joined.
        alliance: usize,
    },
    /// A state leaves an alliance.
    Leave {
        /// The leaving state.
        state: usize,
        /// The alliance left.
        alliance: usize,
    },
    /// A member's participation is suspended: its base tie is scaled by `factor`.
    Suspend {
        /// The suspended member.
        state: usize,
        /// The alliance.
        alliance: usize,
        /// What the member's base tie is multiplied by while suspended, in [0, 1].
        factor: f64,
    },
    /// A suspended member takes part again.
    Resume {
        /// The member.
        state: usize,
        /// The alliance.
        alliance: usize,
    },
    /// An alliance ends: every member leaves.
    Dissolve {
        /// The alliance.
        alliance: usize,
    },
    /// An alliance's base tie changes.
    Retie {
        /// The alliance.
        alliance: usize,
        /// The new base tie, in [0, 1].
        tie: f64,
    },
    /// A `tie` event.
    TieDelta(TieDelta),
    /// A member calls on an alliance for help (changes no tie weight).
    Invoke {
        /// The member calling.
        state: usize,
        /// The alliance called on.
        alliance: usize,
        /// The article of the alliance's treaty invoked, if the sources name one.
        article: Option<u32>,
    },
    /// The alliance answers the latest open call of `state` (changes no tie weight).
    Respond {
        /// The member whose call is answered.
        state: usize,
        /// The alliance answering.
        alliance: usize,
        /// What it answered.
        outcome: Outcome,
    },
}

impl EventKind {
    /// The alliance the event is about (memberships, dissolutions, re-ties, calls for help and
    /// their answers); `None` for entries, exits and tie changes.
    pub fn alliance(&self) -> Option<usize> {
        match *self {
            EventKind::Join { alliance, .. }
            | EventKind::Leave { alliance, .. }
            | EventKind::Suspend { alliance, .. }
            | EventKind::Resume { alliance, .. }
            | EventKind::Dissolve { alliance }
            | EventKind::Retie { alliance, .. }
            | EventKind::Invoke { alliance, .. }
            | EventKind::Respond { alliance, .. } => Some(alliance),
            EventKind::Enter { .. } | EventKind::Exit { .. } | EventKind::TieDelta(_) => None,
        }
    }

    /// The state the event is about (entries, exits, memberships, calls for help and their
    /// answers); `None` for dissolutions, re-ties and tie changes (a tie names two states).
    pub fn state(&self) -> Option<usize> {
        match *self {
            EventKind::Enter { state }
            | EventKind::Exit { state }
            | EventKind::Join { state, .. }
            | EventKind::Leave { state, .. }
            | EventKind::Suspend { state, .. }
            | EventKind::Resume { state, .. }
            | EventKind::Invoke { state, .. }
            | EventKind::Respond { state, .. } => Some(state),
            EventKind::Dissolve { .. } | EventKind::Retie { .. } | EventKind::TieDelta(_) => None,
        }
    }

    /// The kind as written in a dataset (`"join"`, `"tie"`, …).
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
            EventKind::TieDelta(_) => "tie",
            EventKind::Invoke { .. } => "invoke",
            EventKind::Respond { .. } => "respond",
        }
    }
}

/// A dated event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The day the event takes effect.
    pub date: NaiveDate,
    /// What it does.
    pub kind: EventKind,
    /// The event's id, unique among the dataset's events.
    pub id: Option<String>,
    /// Short labels (no duplicates), in file order.
    pub tags: Vec<String>,
    /// A short human-readable description (chart markers and the report use it).
    pub note: Option<String>,
    /// Index into `Dataset::sources`.
    pub source: Option<usize>,
}

impl Event {
    /// An event with no id, tags, note or source.
    pub fn new(date: NaiveDate, kind: EventKind) -> Event {
        Event {
            date,
            kind,
            id: None,
            tags: Vec::new(),
            note: None,
            source: None,
        }
    }
}

/// A validated dataset. Construct it with [`load_str`]/[`load_bytes`] (or by hand, then
/// [`Dataset::check`]); every index in it is in range.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    /// The dataset's name (the report's title).
    pub name: String,
    /// A longer description, if any.
    pub description: Option<String>,
    /// The scale of deltas derived from CAMEO codes; `None` is [`DEFAULT_GOLDSTEIN_SCALE`].
    pub goldstein_scale: Option<f64>,
    /// Cited sources, in file order.
    pub sources: Vec<Source>,
    /// The states (nodes), in file order.
    pub states: Vec<State>,
    /// The alliances, in file order.
    pub alliances: Vec<Alliance>,
    /// In file order (not sorted by date).
    pub events: Vec<Event>,
    /// The ids of the tie-event layers other than [`DEFAULT_LAYER`], in order of first use.
    pub layers: Vec<String>,
    /// How a report shows the dataset when no flag says otherwise (the top-level `view`).
    pub view: Option<View>,
}

/// The dataset's own default view (top-level `view`): the period, focal alliances and states,
/// and the key dates of its story. Every field is optional; command-line flags override it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct View {
    /// First date of the report's series.
    pub from: Option<NaiveDate>,
    /// Last date of the report's series.
    pub to: Option<NaiveDate>,
    /// Focal alliances (indices into `Dataset::alliances`).
    pub focus: Vec<usize>,
    /// Focal states (indices into `Dataset::states`).
    pub states: Vec<usize>,
    /// Key dates, ascending.
    pub at: Vec<NaiveDate>,
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

    /// The layer id of a tie event.
    pub fn layer_id(&self, tie: &TieDelta) -> &str {
        tie.layer
            .and_then(|i| self.layers.get(i))
            .map_or(DEFAULT_LAYER, String::as_str)
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
        self.check_as("<in-memory>")
    }

    /// As [`Dataset::check`], naming `source` (the file the dataset was built from) in
    /// messages, so a refusal (too many states, a bad id) points at the user's input.
    pub fn check_as(&self, source: &str) -> crate::error::Result<()> {
        // The writer looks every index up: check them first, so that an index past the end of
        // its list is an error naming it rather than a panic in the writer.
        if let Some((place, message)) = self.index_problem() {
            return Err(crate::error::Error::invalid(source, place, message));
        }
        let text = write::to_json_string(self);
        load_str(&text, source).map(|_| ())
    }

    /// The first index that points past the end of its list (a state, alliance, source or
    /// layer the dataset does not have), as (JSON path, message). A loaded dataset has none;
    /// one built in code may.
    fn index_problem(&self) -> Option<(String, String)> {
        let states = ("states", self.states.len());
        let alliances = ("alliances", self.alliances.len());
        let past = |i: usize, (what, len): (&str, usize)| {
            (i >= len).then(|| format!("index {i} is out of range: the dataset has {len} {what}"))
        };
        for (k, e) in self.events.iter().enumerate() {
            let tie = match e.kind {
                EventKind::TieDelta(t) => Some(t),
                _ => None,
            };
            let fields = [
                ("state", e.kind.state(), states),
                ("alliance", e.kind.alliance(), alliances),
                ("a", tie.map(|t| t.a), states),
                ("b", tie.map(|t| t.b), states),
                (
                    "layer",
                    tie.and_then(|t| t.layer),
                    ("layers", self.layers.len()),
                ),
                ("source", e.source, ("sources", self.sources.len())),
            ];
            let found = fields.into_iter().find_map(|(field, i, list)| {
                past(i?, list).map(|m| (format!("events[{k}].{field}"), m))
            });
            if found.is_some() {
                return found;
            }
        }
        let view = self.view.as_ref()?;
        let fields = [
            ("focus", &view.focus, alliances),
            ("states", &view.states, states),
        ];
        fields.into_iter().find_map(|(field, indices, list)| {
            indices
                .iter()
                .enumerate()
                .find_map(|(k, &i)| past(i, list).map(|m| (format!("view.{field}[{k}]"), m)))
        })
    }
}
