//! Property tests on random datasets (proptest): snapshot weights lie in [−1, 1], are
//! symmetric with a zero diagonal; relabelling and reordering the states leaves the snapshot
//! unchanged up to the relabelling (and to rounding: 1e-12); reordering events with distinct dates changes nothing; a
//! dataset written with `write::to_json_string` loads back as the same `Dataset`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use entente::dataset::{
    load_str, write::to_json_string, Alliance, AllianceKind, Code, Dataset, Event, EventKind,
    Source, State, TieDelta,
};
use entente::date::{from_day, to_day};
use entente::model::{Snapshot, Timeline, EPS};
use proptest::collection::vec;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// An event before it is fitted to the dataset's sizes.
#[derive(Debug, Clone)]
struct RawEvent {
    day: i32,
    kind: u8,
    s1: usize,
    s2: usize,
    alliance: usize,
    delta: f64,
    half_life: Option<f64>,
    duration: Option<f64>,
    factor: f64,
    note: Option<String>,
    source: Option<usize>,
}

fn raw_event() -> impl Strategy<Value = RawEvent> {
    (
        (0i32..4000, 0u8..9, 0usize..64, 0usize..64, 0usize..64),
        (
            -2.0f64..=2.0,
            proptest::option::of(0.5f64..2000.0),
            proptest::option::of(1.0f64..1000.0),
            0.0f64..=1.0,
            proptest::option::of("\\PC{0,12}"),
            proptest::option::of(0usize..8),
        ),
    )
        .prop_map(
            |(
                (day, kind, s1, s2, alliance),
                (delta, half_life, duration, factor, note, source),
            )| {
                RawEvent {
                    day,
                    kind,
                    s1,
                    s2,
                    alliance,
                    delta,
                    half_life,
                    duration,
                    factor,
                    note,
                    source,
                }
            },
        )
}

fn base_day() -> i32 {
    to_day(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap())
}

fn fit(e: &RawEvent, n: usize, m: usize, n_sources: usize) -> Event {
    let s = e.s1 % n;
    let kind = if m == 0 && (1..=7).contains(&e.kind) {
        // No alliance to refer to: presence events instead.
        if e.kind % 2 == 0 {
            EventKind::Enter { state: s }
        } else {
            EventKind::Exit { state: s }
        }
    } else {
        let a = if m > 0 { e.alliance % m } else { 0 };
        match e.kind {
            0 => EventKind::Enter { state: s },
            1 => EventKind::Join {
                state: s,
                alliance: a,
            },
            2 => EventKind::Join {
                state: s,
                alliance: a,
            },
            3 => EventKind::Leave {
                state: s,
                alliance: a,
            },
            4 => EventKind::Suspend {
                state: s,
                alliance: a,
                factor: e.factor,
            },
            5 => EventKind::Resume {
                state: s,
                alliance: a,
            },
            6 => EventKind::Dissolve { alliance: a },
            7 => EventKind::Retie {
                alliance: a,
                tie: e.factor,
            },
            _ if n >= 2 => {
                let mut b = e.s2 % n;
                if b == s {
                    b = (s + 1) % n;
                }
                EventKind::TieDelta(TieDelta {
                    a: s,
                    b,
                    delta: e.delta,
                    half_life_days: e.half_life,
                    duration_days: e.duration,
                    cameo: None,
                    delta_from_cameo: false,
                    layer: None,
                })
            }
            _ => EventKind::Exit { state: s },
        }
    };
    Event {
        date: from_day(base_day() + e.day),
        kind,
        id: None,
        tags: Vec::new(),
        note: e.note.clone(),
        source: e
            .source
            .filter(|_| n_sources > 0)
            .map(|i| i % n_sources.max(1)),
    }
}

/// A random valid dataset: up to 8 states, 3 alliances, 40 events over about 11 years.
fn dataset() -> impl Strategy<Value = Dataset> {
    (
        1usize..8,
        0usize..4,
        0usize..3,
        vec(raw_event(), 0..40),
        vec(0.0f64..=1.0, 4),
        // Spaces inside an id, never at its end (the id rule refuses that).
        vec("([a-zé ]{0,2}[a-zé])?", 8),
        proptest::option::of("\\PC{0,20}"),
        any::<i64>(),
    )
        .prop_map(
            |(n, m, n_sources, raw, ties, suffixes, description, code)| {
                let states = (0..n)
                    .map(|i| State {
                        id: format!("S{i}{}", suffixes[i]),
                        name: format!("State {i}"),
                        codes: if i == 0 {
                            BTreeMap::from([
                                ("cow".to_string(), Code::Int(code)),
                                ("iso".to_string(), Code::Text(format!("X{i}"))),
                            ])
                        } else {
                            BTreeMap::new()
                        },
                    })
                    .collect();
                let alliances = (0..m)
                    .map(|i| Alliance {
                        id: format!("A{i}"),
                        name: format!("Alliance {i}"),
                        kind: AllianceKind::ALL[i % AllianceKind::ALL.len()],
                        tie: ties[i],
                    })
                    .collect();
                let sources = (0..n_sources)
                    .map(|i| Source {
                        id: format!("src{i}"),
                        title: format!("Source {i}"),
                        url: (i == 0).then(|| "https://example.org/x".to_string()),
                        date: (i == 1).then(|| from_day(base_day() + 17)),
                    })
                    .collect();
                let events = raw.iter().map(|e| fit(e, n, m, n_sources)).collect();
                Dataset {
                    name: "random".into(),
                    description,
                    sources,
                    states,
                    alliances,
                    events,
                    ..Dataset::default()
                }
            },
        )
}

/// The dates at which to compare snapshots: around every event and outside the range.
fn probe_dates(ds: &Dataset) -> Vec<NaiveDate> {
    let mut days: BTreeSet<i32> = BTreeSet::new();
    for e in &ds.events {
        let d = to_day(e.date);
        days.extend([d - 1, d, d + 1, d + 200]);
    }
    days.insert(base_day() - 10);
    days.insert(base_day() + 6000);
    days.into_iter().map(from_day).collect()
}

fn check_invariants(s: &Snapshot) -> Result<(), TestCaseError> {
    let n = s.n();
    prop_assert_eq!(s.weights.len(), n * n);
    for i in 0..n {
        prop_assert_eq!(s.w(i, i), 0.0);
        for j in 0..n {
            let w = s.w(i, j);
            prop_assert!((-1.0..=1.0).contains(&w), "weight {} out of [-1, 1]", w);
            prop_assert!(w == 0.0 || w.abs() >= EPS, "residue {}", w);
            prop_assert_eq!(w.to_bits(), s.w(j, i).to_bits());
        }
    }
    Ok(())
}

/// A snapshot keyed by state ids: ties by unordered id pair, members by alliance id.
type Keyed = (
    BTreeSet<String>,
    BTreeMap<(String, String), u64>,
    BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
);

fn keyed(ds: &Dataset, s: &Snapshot, rename: impl Fn(&str) -> String) -> Keyed {
    let id = |k: usize| rename(&ds.states[s.states[k]].id);
    let states = (0..s.n()).map(id).collect();
    let ties = s
        .ties()
        .map(|(i, j, w)| {
            let (a, b) = (id(i), id(j));
            let key = if a < b { (a, b) } else { (b, a) };
            (key, w.to_bits())
        })
        .collect();
    let members = s
        .memberships
        .iter()
        .map(|m| {
            (
                ds.alliances[m.alliance].id.clone(),
                (
                    m.active.iter().map(|&k| id(k)).collect(),
                    m.suspended.iter().map(|&k| id(k)).collect(),
                ),
            )
        })
        .collect();
    (states, ties, members)
}

/// The dataset with its states put in the order `perm` (new position k holds old state
/// perm[k]) and renamed by `rename`; events refer to the same states.
fn permute_states(ds: &Dataset, perm: &[usize], rename: impl Fn(&str) -> String) -> Dataset {
    let mut new_of_old = vec![0; perm.len()];
    for (k, &old) in perm.iter().enumerate() {
        new_of_old[old] = k;
    }
    let mut out = ds.clone();
    out.states = perm
        .iter()
        .map(|&old| {
            let mut s = ds.states[old].clone();
            s.id = rename(&s.id);
            s
        })
        .collect();
    let f = |s: usize| new_of_old[s];
    for e in &mut out.events {
        e.kind = match e.kind {
            EventKind::Enter { state } => EventKind::Enter { state: f(state) },
            EventKind::Exit { state } => EventKind::Exit { state: f(state) },
            EventKind::Join { state, alliance } => EventKind::Join {
                state: f(state),
                alliance,
            },
            EventKind::Leave { state, alliance } => EventKind::Leave {
                state: f(state),
                alliance,
            },
            EventKind::Suspend {
                state,
                alliance,
                factor,
            } => EventKind::Suspend {
                state: f(state),
                alliance,
                factor,
            },
            EventKind::Resume { state, alliance } => EventKind::Resume {
                state: f(state),
                alliance,
            },
            EventKind::TieDelta(t) => EventKind::TieDelta(TieDelta {
                a: f(t.a),
                b: f(t.b),
                ..t
            }),
            EventKind::Invoke {
                state,
                alliance,
                article,
            } => EventKind::Invoke {
                state: f(state),
                alliance,
                article,
            },
            EventKind::Respond {
                state,
                alliance,
                outcome,
            } => EventKind::Respond {
                state: f(state),
                alliance,
                outcome,
            },
            k @ (EventKind::Dissolve { .. } | EventKind::Retie { .. }) => k,
        };
    }
    out
}

fn relabel(id: &str) -> String {
    format!("new-{}", id.chars().rev().collect::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_datasets_are_valid_and_weights_in_range(ds in dataset()) {
        prop_assert!(ds.check().is_ok(), "{:?}", ds.check());
        let tl = Timeline::new(&ds, "random.json");
        for d in probe_dates(&ds) {
            check_invariants(&tl.snapshot(d))?;
        }
    }

    #[test]
    fn relabelling_and_reordering_states_changes_nothing(
        (ds, perm) in dataset().prop_flat_map(|ds| {
            let n = ds.states.len();
            (Just(ds), Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
        })
    ) {
        let moved = permute_states(&ds, &perm, relabel);
        prop_assert!(moved.check().is_ok());
        let (t1, t2) = (Timeline::new(&ds, "a"), Timeline::new(&moved, "b"));
        for d in probe_dates(&ds) {
            let (s1, s2) = (t1.snapshot(d), t2.snapshot(d));
            check_invariants(&s2)?;
            let (k1, k2) = (keyed(&ds, &s1, relabel), keyed(&moved, &s2, |s| s.to_string()));
            prop_assert_eq!(&k1.0, &k2.0, "present states at {}", d);
            prop_assert_eq!(&k1.2, &k2.2, "memberships at {}", d);
            // Weights agree to rounding: the fold computes tie·f_i·f_j in state order, and
            // floating-point multiplication is not associative, so a swap can move the last bit.
            let pairs: BTreeSet<&(String, String)> = k1.1.keys().chain(k2.1.keys()).collect();
            for p in pairs {
                let w = |k: &Keyed| k.1.get(p).map_or(0.0, |&b| f64::from_bits(b));
                prop_assert!((w(&k1) - w(&k2)).abs() <= 1e-12, "{:?} at {}: {} vs {}", p, d, w(&k1), w(&k2));
            }
        }
    }

    #[test]
    fn reordering_events_with_distinct_dates_changes_nothing(
        (ds, order) in dataset().prop_flat_map(|mut ds| {
            // Give every event its own date (keeping their relative order in time).
            for (i, e) in ds.events.iter_mut().enumerate() {
                e.date = from_day(base_day() + 3 * i as i32);
            }
            let n = ds.events.len();
            (Just(ds), Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
        })
    ) {
        let mut shuffled = ds.clone();
        shuffled.events = order.iter().map(|&i| ds.events[i].clone()).collect();
        let (t1, t2) = (Timeline::new(&ds, "a"), Timeline::new(&shuffled, "b"));
        for d in probe_dates(&ds) {
            prop_assert_eq!(t1.snapshot(d), t2.snapshot(d), "at {}", d);
        }
    }

    #[test]
    fn write_then_load_gives_the_same_dataset(ds in dataset()) {
        let text = to_json_string(&ds);
        let back = load_str(&text, "round-trip.json");
        prop_assert!(back.is_ok(), "{:?}\n{}", back.as_ref().err(), text);
        prop_assert_eq!(back.unwrap(), ds.clone());
        // And the text is a fixed point: writing the loaded dataset gives the same bytes.
        prop_assert_eq!(to_json_string(&load_str(&text, "x").unwrap()), text);
    }
}
