//! Writing a dataset back to the JSON format. The output is deterministic (fixed key order,
//! shortest round-trip floats) and loads back as the same dataset.

use super::{Code, Dataset, EventKind};
use crate::date::fmt_date;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct OutDataset<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    sources: Vec<OutSource<'a>>,
    states: Vec<OutState<'a>>,
    alliances: Vec<OutAlliance<'a>>,
    events: Vec<OutEvent<'a>>,
}

#[derive(Serialize)]
struct OutSource<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutCode<'a> {
    Int(i64),
    Text(&'a str),
}

#[derive(Serialize)]
struct OutState<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    codes: BTreeMap<&'a str, OutCode<'a>>,
}

#[derive(Serialize)]
struct OutAlliance<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    tie: f64,
}

#[derive(Serialize, Default)]
struct OutEvent<'a> {
    date: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alliance: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delta: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    half_life_days: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_days: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    factor: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tie: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

fn out<'a>(ds: &'a Dataset) -> OutDataset<'a> {
    let st = |i: usize| Some(ds.states[i].id.as_str());
    let al = |i: usize| Some(ds.alliances[i].id.as_str());
    OutDataset {
        name: &ds.name,
        description: ds.description.as_deref(),
        sources: ds
            .sources
            .iter()
            .map(|s| OutSource {
                id: &s.id,
                title: &s.title,
                url: s.url.as_deref(),
                date: s.date.map(fmt_date),
            })
            .collect(),
        states: ds
            .states
            .iter()
            .map(|s| OutState {
                id: &s.id,
                name: &s.name,
                codes: s
                    .codes
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Code::Int(i) => OutCode::Int(*i),
                            Code::Text(t) => OutCode::Text(t),
                        };
                        (k.as_str(), v)
                    })
                    .collect(),
            })
            .collect(),
        alliances: ds
            .alliances
            .iter()
            .map(|a| OutAlliance {
                id: &a.id,
                name: &a.name,
                kind: a.kind.as_str(),
                tie: a.tie,
            })
            .collect(),
        events: ds
            .events
            .iter()
            .map(|e| {
                let mut o = OutEvent {
                    date: fmt_date(e.date),
                    kind: e.kind.name(),
                    note: e.note.as_deref(),
                    source: e.source.map(|i| ds.sources[i].id.as_str()),
                    ..OutEvent::default()
                };
                match e.kind {
                    EventKind::Enter { state } | EventKind::Exit { state } => o.state = st(state),
                    EventKind::Join { state, alliance }
                    | EventKind::Leave { state, alliance }
                    | EventKind::Resume { state, alliance } => {
                        o.state = st(state);
                        o.alliance = al(alliance);
                    }
                    EventKind::Suspend {
                        state,
                        alliance,
                        factor,
                    } => {
                        o.state = st(state);
                        o.alliance = al(alliance);
                        o.factor = Some(factor);
                    }
                    EventKind::Dissolve { alliance } => o.alliance = al(alliance),
                    EventKind::Retie { alliance, tie } => {
                        o.alliance = al(alliance);
                        o.tie = Some(tie);
                    }
                    EventKind::Tie(t) => {
                        o.a = st(t.a);
                        o.b = st(t.b);
                        o.delta = Some(t.delta);
                        o.half_life_days = t.half_life_days;
                        o.duration_days = t.duration_days;
                    }
                }
                o
            })
            .collect(),
    }
}

/// The dataset as pretty-printed JSON (one event per line), ending with a newline.
pub fn to_json_string(ds: &Dataset) -> String {
    let mut s = serde_json::to_string_pretty(&out(ds)).unwrap_or_default();
    s.push('\n');
    s
}
