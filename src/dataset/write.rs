//! Writing a dataset back to the JSON format. The output is deterministic (fixed key order,
//! shortest round-trip floats) and loads back as the same dataset.

use super::kinds::{values_of, Field, Slot, Values};
use super::{Code, Dataset, Event};
use crate::date::fmt_date;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct OutDataset<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    goldstein_scale: Option<f64>,
    sources: Vec<OutSource<'a>>,
    states: Vec<OutState<'a>>,
    alliances: Vec<OutAlliance<'a>>,
    events: Vec<OutEvent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    view: Option<OutView>,
}

#[derive(Serialize)]
struct OutView {
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    focus: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    states: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    at: Vec<String>,
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

/// One event as written: `date`, `kind`, `id`, the kind's own fields in [`Field::ALL`] order
/// (from the table in `kinds.rs`), then `tags`, `note`, `source`; absent fields are left out.
struct OutEvent(Vec<(&'static str, Value)>);

impl Serialize for OutEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

fn out<'a>(ds: &'a Dataset) -> OutDataset<'a> {
    OutDataset {
        name: &ds.name,
        description: ds.description.as_deref(),
        goldstein_scale: ds.goldstein_scale,
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
        events: ds.events.iter().map(|e| out_event(ds, e)).collect(),
        view: ds.view.as_ref().map(|v| OutView {
            from: v.from.map(fmt_date),
            to: v.to.map(fmt_date),
            focus: v
                .focus
                .iter()
                .map(|&a| ds.alliances[a].id.clone())
                .collect(),
            states: v.states.iter().map(|&s| ds.states[s].id.clone()).collect(),
            at: v.at.iter().copied().map(fmt_date).collect(),
        }),
    }
}

fn out_event(ds: &Dataset, e: &Event) -> OutEvent {
    let text = |s: &str| Value::String(s.to_string());
    let mut fields = vec![("date", Value::String(fmt_date(e.date)))];
    fields.push(("kind", text(e.kind.name())));
    if let Some(id) = &e.id {
        fields.push(("id", text(id)));
    }
    let values = values_of(&e.kind);
    for f in Field::ALL {
        if let Some(v) = field_value(ds, &values, f) {
            fields.push((f.key(), v));
        }
    }
    if !e.tags.is_empty() {
        fields.push(("tags", e.tags.iter().map(|t| text(t)).collect()));
    }
    if let Some(note) = &e.note {
        fields.push(("note", text(note)));
    }
    if let Some(i) = e.source {
        fields.push(("source", text(&ds.sources[i].id)));
    }
    OutEvent(fields)
}

/// The JSON value of one kind-specific field, if the event has it.
fn field_value(ds: &Dataset, v: &Values, f: Field) -> Option<Value> {
    let state = |i: Option<usize>| i.map(|i| Value::String(ds.states[i].id.clone()));
    let number = |x: Slot<f64>| match x {
        Slot::Given(x) => Some(Value::from(x)),
        _ => None,
    };
    match f {
        Field::State => state(v.state),
        Field::Alliance => v
            .alliance
            .map(|i| Value::String(ds.alliances[i].id.clone())),
        Field::A => state(v.a),
        Field::B => state(v.b),
        Field::Delta => number(v.delta),
        Field::Cameo => match v.cameo {
            Slot::Given(c) => Some(Value::String(c.as_str().to_string())),
            _ => None,
        },
        Field::HalfLifeDays => number(v.half_life_days),
        Field::DurationDays => number(v.duration_days),
        Field::Layer => match v.layer {
            Slot::Given(Some(i)) => ds.layers.get(i).map(|l| Value::String(l.clone())),
            _ => None,
        },
        Field::Factor => number(v.factor),
        Field::Tie => v.tie.map(Value::from),
        Field::Article => match v.article {
            Slot::Given(a) => Some(Value::from(a)),
            _ => None,
        },
        Field::Outcome => v.outcome.map(|o| Value::String(o.as_str().to_string())),
    }
}

/// The dataset as pretty-printed JSON (one event per line), ending with a newline.
pub fn to_json_string(ds: &Dataset) -> String {
    let mut s = serde_json::to_string_pretty(&out(ds)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{load_str, EventKind};

    #[test]
    fn every_kind_and_field_round_trips() {
        let text = r#"{"name":"x","goldstein_scale":0.5,
            "sources":[{"id":"s","title":"S"}],
            "states":[{"id":"A","name":"A"},{"id":"B","name":"B"}],
            "alliances":[{"id":"X","name":"X","tie":0.5}],
            "events":[{"date":"2000-01-01","kind":"enter","state":"A","id":"a-in","tags":["x"]},
                      {"date":"2000-01-01","kind":"join","state":"A","alliance":"X","source":"s"},
                      {"date":"2000-01-02","kind":"suspend","state":"A","alliance":"X","factor":0.25},
                      {"date":"2000-01-03","kind":"resume","state":"A","alliance":"X"},
                      {"date":"2000-01-04","kind":"retie","alliance":"X","tie":0.75},
                      {"date":"2000-01-05","kind":"tie","a":"A","b":"B","cameo":"1123","half_life_days":30,"layer":"talk","note":"n"},
                      {"date":"2000-01-06","kind":"tie","a":"A","b":"B","delta":0.5,"cameo":"042","duration_days":9},
                      {"date":"2000-01-07","kind":"leave","state":"A","alliance":"X"},
                      {"date":"2000-01-08","kind":"dissolve","alliance":"X"},
                      {"date":"2000-01-09","kind":"exit","state":"A"}]}"#;
        let ds = load_str(text, "t").unwrap();
        let written = to_json_string(&ds);
        assert_eq!(load_str(&written, "w").unwrap(), ds);
        assert!(written.contains(
            "\"kind\": \"tie\",\n      \"a\": \"A\",\n      \"b\": \"B\",\n      \"cameo\": \"1123\",\n      \"half_life_days\": 30.0,\n      \"layer\": \"talk\",\n      \"note\": \"n\""
        ), "{written}");
        assert!(written.contains("\"kind\": \"enter\",\n      \"id\": \"a-in\",\n      \"state\": \"A\",\n      \"tags\": [\n        \"x\"\n      ]"), "{written}");
    }

    #[test]
    fn an_index_past_its_list_is_an_error_naming_it_not_a_panic() {
        let text = r#"{"name":"x","sources":[{"id":"s","title":"S"}],
            "states":[{"id":"A","name":"A"},{"id":"B","name":"B"}],
            "alliances":[{"id":"X","name":"X","tie":0.5}],
            "events":[{"date":"2000-01-01","kind":"join","state":"A","alliance":"X","source":"s"},
                      {"date":"2000-01-05","kind":"tie","a":"A","b":"B","delta":0.5,"layer":"talk"}],
            "view":{"focus":["X"],"states":["A","B"]}}"#;
        let ds = load_str(text, "t").unwrap();
        assert!(ds.check().is_ok());
        // Each index field in turn pushed past the end of its list.
        type Break = (&'static str, &'static str, fn(&mut Dataset));
        let breaks: [Break; 8] = [
            (
                "events[0].state",
                "index 2 is out of range: the dataset has 2 states",
                |d| {
                    if let EventKind::Join { state, .. } = &mut d.events[0].kind {
                        *state = 2;
                    }
                },
            ),
            (
                "events[0].alliance",
                "index 7 is out of range: the dataset has 1 alliances",
                |d| {
                    if let EventKind::Join { alliance, .. } = &mut d.events[0].kind {
                        *alliance = 7;
                    }
                },
            ),
            (
                "events[0].source",
                "index 1 is out of range: the dataset has 1 sources",
                |d| d.events[0].source = Some(1),
            ),
            ("events[1].a", "index 9 is out of range", |d| {
                if let EventKind::TieDelta(t) = &mut d.events[1].kind {
                    t.a = 9;
                }
            }),
            ("events[1].b", "index 2 is out of range", |d| {
                if let EventKind::TieDelta(t) = &mut d.events[1].kind {
                    t.b = 2;
                }
            }),
            (
                "events[1].layer",
                "index 1 is out of range: the dataset has 1 layers",
                |d| {
                    if let EventKind::TieDelta(t) = &mut d.events[1].kind {
                        t.layer = Some(1);
                    }
                },
            ),
            (
                "view.focus[0]",
                "index 5 is out of range: the dataset has 1 alliances",
                |d| d.view.as_mut().unwrap().focus[0] = 5,
            ),
            ("view.states[1]", "index 2 is out of range", |d| {
                d.view.as_mut().unwrap().states[1] = 2
            }),
        ];
        for (place, message, break_it) in breaks {
            let mut bad = ds.clone();
            break_it(&mut bad);
            let err = bad.check().expect_err(place).to_string();
            assert!(
                err.contains(&format!("{place}: {message}")),
                "{place}: {err}"
            );
            assert!(err.contains("<in-memory>"), "{err}");
        }
    }
}
