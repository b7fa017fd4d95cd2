//! The one table of event kinds and their fields, shared by the loader (which fields an event
//! of a kind may and must carry, and how they make an [`EventKind`]) and the writer (which
//! fields an [`EventKind`] gives back). Adding a kind or a field starts here.

use super::{CameoCode, EventKind, Outcome, TieDelta};

/// The fields every event may carry, whatever its kind (`date` and `kind` are required).
pub(crate) const COMMON_KEYS: [&str; 6] = ["date", "kind", "note", "source", "id", "tags"];

/// A field that belongs to some kinds of events only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    State,
    Alliance,
    A,
    B,
    Delta,
    Cameo,
    HalfLifeDays,
    DurationDays,
    Layer,
    Factor,
    Tie,
    Article,
    Outcome,
}

impl Field {
    /// Every field, in the order the writer puts them.
    pub(crate) const ALL: [Field; 13] = [
        Field::State,
        Field::Alliance,
        Field::A,
        Field::B,
        Field::Delta,
        Field::Cameo,
        Field::HalfLifeDays,
        Field::DurationDays,
        Field::Layer,
        Field::Factor,
        Field::Tie,
        Field::Article,
        Field::Outcome,
    ];

    /// The field's JSON key.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Field::State => "state",
            Field::Alliance => "alliance",
            Field::A => "a",
            Field::B => "b",
            Field::Delta => "delta",
            Field::Cameo => "cameo",
            Field::HalfLifeDays => "half_life_days",
            Field::DurationDays => "duration_days",
            Field::Layer => "layer",
            Field::Factor => "factor",
            Field::Tie => "tie",
            Field::Article => "article",
            Field::Outcome => "outcome",
        }
    }
}

/// Whether an event of a kind must carry a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Required,
    Optional,
    /// Required unless the other field is given (`delta` unless `cameo`).
    RequiredUnless(Field),
}

/// One kind of event: its name in the JSON, its own fields (beside [`COMMON_KEYS`]) in the order
/// they are read, and how the values read make the event.
pub(crate) struct KindSpec {
    pub name: &'static str,
    pub fields: &'static [(Field, Need)],
    pub build: fn(&Values) -> Option<EventKind>,
}

use Need::{Optional, Required};

/// Every kind of event.
pub(crate) static KINDS: [KindSpec; 11] = [
    KindSpec {
        name: "enter",
        fields: &[(Field::State, Required)],
        build: |v| Some(EventKind::Enter { state: v.state? }),
    },
    KindSpec {
        name: "exit",
        fields: &[(Field::State, Required)],
        build: |v| Some(EventKind::Exit { state: v.state? }),
    },
    KindSpec {
        name: "join",
        fields: &[(Field::State, Required), (Field::Alliance, Required)],
        build: |v| {
            Some(EventKind::Join {
                state: v.state?,
                alliance: v.alliance?,
            })
        },
    },
    KindSpec {
        name: "leave",
        fields: &[(Field::State, Required), (Field::Alliance, Required)],
        build: |v| {
            Some(EventKind::Leave {
                state: v.state?,
                alliance: v.alliance?,
            })
        },
    },
    KindSpec {
        name: "suspend",
        fields: &[
            (Field::State, Required),
            (Field::Alliance, Required),
            (Field::Factor, Optional),
        ],
        build: |v| {
            Some(EventKind::Suspend {
                state: v.state?,
                alliance: v.alliance?,
                factor: v.factor.value_or(0.0)?,
            })
        },
    },
    KindSpec {
        name: "resume",
        fields: &[(Field::State, Required), (Field::Alliance, Required)],
        build: |v| {
            Some(EventKind::Resume {
                state: v.state?,
                alliance: v.alliance?,
            })
        },
    },
    KindSpec {
        name: "dissolve",
        fields: &[(Field::Alliance, Required)],
        build: |v| {
            Some(EventKind::Dissolve {
                alliance: v.alliance?,
            })
        },
    },
    KindSpec {
        name: "retie",
        fields: &[(Field::Alliance, Required), (Field::Tie, Required)],
        build: |v| {
            Some(EventKind::Retie {
                alliance: v.alliance?,
                tie: v.tie?,
            })
        },
    },
    KindSpec {
        name: "tie",
        fields: &[
            (Field::A, Required),
            (Field::B, Required),
            (Field::Delta, Need::RequiredUnless(Field::Cameo)),
            (Field::Cameo, Optional),
            (Field::HalfLifeDays, Optional),
            (Field::DurationDays, Optional),
            (Field::Layer, Optional),
        ],
        build: build_tie,
    },
    KindSpec {
        name: "invoke",
        fields: &[
            (Field::State, Required),
            (Field::Alliance, Required),
            (Field::Article, Optional),
        ],
        build: |v| {
            Some(EventKind::Invoke {
                state: v.state?,
                alliance: v.alliance?,
                article: v.article.optional()?,
            })
        },
    },
    KindSpec {
        name: "respond",
        fields: &[
            (Field::State, Required),
            (Field::Alliance, Required),
            (Field::Outcome, Required),
        ],
        build: |v| {
            Some(EventKind::Respond {
                state: v.state?,
                alliance: v.alliance?,
                outcome: v.outcome?,
            })
        },
    },
];

/// The kind with this JSON name.
pub(crate) fn spec(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}

/// The names of every kind, for messages.
pub(crate) fn names() -> String {
    let all: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
    all.join(", ")
}

/// An optional field as read: absent, given but invalid (already reported), or a value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) enum Slot<T> {
    #[default]
    Absent,
    Bad,
    Given(T),
}

impl<T: Copy> Slot<T> {
    /// The value, `default` when absent, `None` when invalid.
    pub(crate) fn value_or(self, default: T) -> Option<T> {
        match self {
            Slot::Absent => Some(default),
            Slot::Bad => None,
            Slot::Given(x) => Some(x),
        }
    }

    /// `Some(None)` when absent, `Some(Some(x))` when given, `None` when invalid.
    pub(crate) fn optional(self) -> Option<Option<T>> {
        match self {
            Slot::Absent => Some(None),
            Slot::Bad => None,
            Slot::Given(x) => Some(Some(x)),
        }
    }
}

/// The kind-specific values of one event, as read by the loader (`None` or [`Slot::Bad`]: absent
/// or invalid, already reported) or taken apart by the writer. Indices refer to the dataset.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Values {
    pub state: Option<usize>,
    pub alliance: Option<usize>,
    pub a: Option<usize>,
    pub b: Option<usize>,
    pub delta: Slot<f64>,
    pub cameo: Slot<CameoCode>,
    pub half_life_days: Slot<f64>,
    pub duration_days: Slot<f64>,
    /// `Given(None)` is the default layer.
    pub layer: Slot<Option<usize>>,
    pub factor: Slot<f64>,
    pub tie: Option<f64>,
    pub article: Slot<u32>,
    pub outcome: Option<Outcome>,
    /// The dataset's `goldstein_scale` (for deltas derived from `cameo`).
    pub goldstein_scale: f64,
}

fn build_tie(v: &Values) -> Option<EventKind> {
    let cameo = v.cameo.optional()?;
    let (delta, delta_from_cameo) = match (v.delta, cameo) {
        (Slot::Given(d), _) => (d, false),
        (Slot::Absent, Some(code)) => (code.delta(v.goldstein_scale), true),
        _ => return None,
    };
    Some(EventKind::TieDelta(TieDelta {
        a: v.a?,
        b: v.b?,
        delta,
        half_life_days: v.half_life_days.optional()?,
        duration_days: v.duration_days.optional()?,
        cameo,
        delta_from_cameo,
        layer: v.layer.optional()?.flatten(),
    }))
}

/// The values an event kind gives back (what [`KindSpec::build`] made it from).
pub(crate) fn values_of(kind: &EventKind) -> Values {
    let given = |x: Option<f64>| x.map_or(Slot::Absent, Slot::Given);
    match *kind {
        EventKind::Enter { state } | EventKind::Exit { state } => Values {
            state: Some(state),
            ..Values::default()
        },
        EventKind::Join { state, alliance }
        | EventKind::Leave { state, alliance }
        | EventKind::Resume { state, alliance } => Values {
            state: Some(state),
            alliance: Some(alliance),
            ..Values::default()
        },
        EventKind::Suspend {
            state,
            alliance,
            factor,
        } => Values {
            state: Some(state),
            alliance: Some(alliance),
            factor: Slot::Given(factor),
            ..Values::default()
        },
        EventKind::Dissolve { alliance } => Values {
            alliance: Some(alliance),
            ..Values::default()
        },
        EventKind::Retie { alliance, tie } => Values {
            alliance: Some(alliance),
            tie: Some(tie),
            ..Values::default()
        },
        EventKind::TieDelta(t) => Values {
            a: Some(t.a),
            b: Some(t.b),
            delta: if t.delta_from_cameo && t.cameo.is_some() {
                Slot::Absent
            } else {
                Slot::Given(t.delta)
            },
            cameo: t.cameo.map_or(Slot::Absent, Slot::Given),
            half_life_days: given(t.half_life_days),
            duration_days: given(t.duration_days),
            layer: t.layer.map_or(Slot::Absent, |l| Slot::Given(Some(l))),
            ..Values::default()
        },
        EventKind::Invoke {
            state,
            alliance,
            article,
        } => Values {
            state: Some(state),
            alliance: Some(alliance),
            article: article.map_or(Slot::Absent, Slot::Given),
            ..Values::default()
        },
        EventKind::Respond {
            state,
            alliance,
            outcome,
        } => Values {
            state: Some(state),
            alliance: Some(alliance),
            outcome: Some(outcome),
            ..Values::default()
        },
    }
}

#[cfg(test)]
impl Values {
    /// Whether the value of this field is present (the writer writes exactly these).
    pub(crate) fn has(&self, f: Field) -> bool {
        match f {
            Field::State => self.state.is_some(),
            Field::Alliance => self.alliance.is_some(),
            Field::A => self.a.is_some(),
            Field::B => self.b.is_some(),
            Field::Delta => matches!(self.delta, Slot::Given(_)),
            Field::Cameo => matches!(self.cameo, Slot::Given(_)),
            Field::HalfLifeDays => matches!(self.half_life_days, Slot::Given(_)),
            Field::DurationDays => matches!(self.duration_days, Slot::Given(_)),
            Field::Layer => matches!(self.layer, Slot::Given(Some(_))),
            Field::Factor => matches!(self.factor, Slot::Given(_)),
            Field::Tie => self.tie.is_some(),
            Field::Article => matches!(self.article, Slot::Given(_)),
            Field::Outcome => self.outcome.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_has_one_spec() {
        let all: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len(), "names are unique");
        assert_eq!(
            names(),
            "enter, exit, join, leave, suspend, resume, dissolve, retie, tie, invoke, respond"
        );
    }

    /// The writer gives back exactly the fields the kind's spec allows, and building from them
    /// makes the same event: the table is the single place both sides read.
    #[test]
    fn written_fields_are_the_allowed_ones_and_build_back() {
        let cameo = CameoCode::parse("190");
        let kinds = [
            EventKind::Enter { state: 1 },
            EventKind::Exit { state: 2 },
            EventKind::Join {
                state: 0,
                alliance: 1,
            },
            EventKind::Leave {
                state: 0,
                alliance: 1,
            },
            EventKind::Suspend {
                state: 0,
                alliance: 1,
                factor: 0.25,
            },
            EventKind::Resume {
                state: 0,
                alliance: 1,
            },
            EventKind::Dissolve { alliance: 3 },
            EventKind::Retie {
                alliance: 3,
                tie: 0.5,
            },
            EventKind::TieDelta(TieDelta {
                a: 0,
                b: 1,
                delta: -0.5,
                half_life_days: Some(30.0),
                duration_days: None,
                cameo,
                delta_from_cameo: true,
                layer: Some(0),
            }),
            EventKind::Invoke {
                state: 0,
                alliance: 1,
                article: Some(4),
            },
            EventKind::Invoke {
                state: 2,
                alliance: 0,
                article: None,
            },
            EventKind::Respond {
                state: 0,
                alliance: 1,
                outcome: Outcome::Partial,
            },
        ];
        for kind in kinds {
            let s = spec(kind.name()).expect("a spec for every kind");
            let mut v = values_of(&kind);
            for f in Field::ALL {
                if v.has(f) {
                    assert!(
                        s.fields.iter().any(|(g, _)| *g == f),
                        "{} writes {}",
                        s.name,
                        f.key()
                    );
                }
            }
            for (f, need) in s.fields {
                if *need == Required {
                    assert!(v.has(*f), "{} lacks {}", s.name, f.key());
                }
            }
            v.goldstein_scale = 0.5;
            assert_eq!((s.build)(&v), Some(kind), "{}", s.name);
        }
    }
}
