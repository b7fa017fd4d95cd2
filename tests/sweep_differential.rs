//! Differential test of the incremental timeline: on random datasets (states entering and
//! exiting, alliances with every kind of membership change, tie events with every mix of
//! half-life and duration, many on the same date, some from an extra tie file) and random
//! ascending date lists, `Timeline::sweep` gives the same snapshots as the reference fold
//! `Timeline::snapshot`: the same states and memberships exactly, every weight to 1e-9.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use entente::dataset::{Alliance, AllianceKind, Dataset, Event, EventKind, State, TieDelta};
use entente::date::{from_day, to_day};
use entente::model::{TieEvent, Timeline};
use proptest::prelude::*;

/// One random event: kind selector, day offset, two state selectors, an alliance selector and
/// three numbers (delta/factor/tie, half-life, duration selectors).
type RawEvent = (u8, i32, usize, usize, usize, f64, u8, u8);

fn base() -> i32 {
    to_day(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap())
}

fn half_life(sel: u8, x: f64) -> Option<f64> {
    match sel % 6 {
        0 | 1 => None,
        2 => Some(30.0),
        3 => Some(1.0),
        4 => Some(7.5),
        _ => Some(0.25 + x.abs() * 50.0), // arbitrary: many distinct groups
    }
}

fn duration(sel: u8, x: f64) -> Option<f64> {
    match sel % 6 {
        0..=2 => None,
        3 => Some(10.0),
        4 => Some(0.5),
        _ => Some(1.0 + (x.abs() * 97.0).floor() / 3.0), // fractional and integral durations
    }
}

fn build(
    n_states: usize,
    n_alliances: usize,
    raw: &[RawEvent],
    extra_raw: &[RawEvent],
) -> (Dataset, Vec<TieEvent>) {
    let states = (0..n_states)
        .map(|i| State {
            id: format!("S{i}"),
            name: format!("S{i}"),
            codes: Default::default(),
        })
        .collect();
    let alliances = (0..n_alliances)
        .map(|i| Alliance {
            id: format!("A{i}"),
            name: format!("A{i}"),
            kind: AllianceKind::Other,
            tie: [1.0, 0.5, 0.3, 0.0][i % 4],
        })
        .collect();
    let tie = |a: usize, b: usize, x: f64, h: u8, d: u8| {
        let a = a % n_states;
        let mut b = b % n_states;
        if a == b {
            b = (b + 1) % n_states;
        }
        TieDelta {
            a,
            b,
            delta: (x * 2.0).clamp(-2.0, 2.0),
            half_life_days: half_life(h, x),
            duration_days: duration(d, x),
            cameo: None,
            delta_from_cameo: false,
            layer: None,
        }
    };
    let mut events = Vec::new();
    for &(k, day, s1, s2, al, x, h, d) in raw {
        let state = s1 % n_states;
        let kind = if n_alliances == 0 && (2..8).contains(&(k % 12)) {
            EventKind::TieDelta(tie(s1, s2, x, h, d))
        } else {
            let alliance = al % n_alliances.max(1);
            match k % 12 {
                0 => EventKind::Enter { state },
                1 => EventKind::Exit { state },
                2 | 3 => EventKind::Join { state, alliance },
                4 => EventKind::Leave { state, alliance },
                5 => EventKind::Suspend {
                    state,
                    alliance,
                    factor: x.abs().min(1.0),
                },
                6 => EventKind::Resume { state, alliance },
                7 => {
                    if h % 3 == 0 {
                        EventKind::Dissolve { alliance }
                    } else {
                        EventKind::Retie {
                            alliance,
                            tie: x.abs().min(1.0),
                        }
                    }
                }
                _ => EventKind::TieDelta(tie(s1, s2, x, h, d)),
            }
        };
        events.push(Event {
            date: from_day(base() + day),
            kind,
            id: None,
            tags: Vec::new(),
            note: None,
            source: None,
        });
    }
    let extra = extra_raw
        .iter()
        .map(|&(_, day, s1, s2, _, x, h, d)| {
            let t = tie(s1, s2, x, h, d);
            TieEvent::new(
                base() + day,
                t.a as u32,
                t.b as u32,
                t.delta,
                t.half_life_days,
                t.duration_days,
            )
        })
        .collect();
    let ds = Dataset {
        name: "random".into(),
        states,
        alliances,
        events,
        ..Dataset::default()
    };
    (ds, extra)
}

fn raw_event() -> impl Strategy<Value = RawEvent> {
    (
        any::<u8>(),
        // Days clustered on a few values so that many events share a date.
        prop_oneof![0i32..400, (0i32..8).prop_map(|d| d * 50)],
        0usize..64,
        0usize..64,
        0usize..8,
        -1.0f64..1.0,
        any::<u8>(),
        any::<u8>(),
    )
}

fn dates() -> impl Strategy<Value = Vec<i32>> {
    prop::collection::vec(
        prop_oneof![-20i32..480, (0i32..8).prop_map(|d| d * 50)],
        0..14,
    )
    .prop_map(|mut v| {
        v.sort_unstable();
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn sweep_equals_the_fold(
        n_states in 2usize..7,
        n_alliances in 0usize..4,
        raw in prop::collection::vec(raw_event(), 0..40),
        extra_raw in prop::collection::vec(raw_event(), 0..12),
        days in dates(),
        dense in prop_oneof![Just(None), Just(Some(0usize)), Just(Some(usize::MAX)), (1usize..6).prop_map(Some)],
    ) {
        let (ds, extra) = build(n_states, n_alliances, &raw, &extra_raw);
        let tl = Timeline::with_ties(&ds, "random", extra, "extra.csv");
        let dates: Vec<NaiveDate> = days.iter().map(|&d| from_day(base() + d)).collect();
        let swept: Vec<_> = tl.sweep_tuned(&dates, dense).collect();
        prop_assert_eq!(swept.len(), dates.len());
        for (got, &date) in swept.iter().zip(&dates) {
            let want = tl.snapshot(date);
            prop_assert_eq!(got.date, want.date);
            prop_assert_eq!(&got.states, &want.states);
            prop_assert_eq!(&got.memberships, &want.memberships);
            prop_assert_eq!(got.weights.len(), want.weights.len());
            for (k, (x, y)) in got.weights.iter().zip(&want.weights).enumerate() {
                prop_assert!(
                    (x - y).abs() <= 1e-9,
                    "{}: weight {} differs: sweep {} fold {}", date, k, x, y
                );
            }
        }
    }
}

/// A long span with a short half-life: the decaying sums underflow and must neither blow up nor
/// leave residue; windows open and close across many steps.
#[test]
fn long_spans_and_short_half_lives() {
    let raw: Vec<RawEvent> = (0..300)
        .map(|i| {
            (
                8,
                i * 37 % 20000,
                i as usize,
                i as usize + 1,
                0,
                ((i % 7) as f64 - 3.0) / 3.0,
                (i % 6) as u8,
                (i % 5) as u8,
            )
        })
        .collect();
    let (ds, extra) = build(5, 0, &raw, &[]);
    let tl = Timeline::with_ties(&ds, "long", extra, "");
    let dates: Vec<NaiveDate> = (0..240).map(|k| from_day(base() + k * 91)).collect();
    for dense in [None, Some(0), Some(usize::MAX)] {
        for (got, &date) in tl.sweep_tuned(&dates, dense).zip(&dates) {
            let want = tl.snapshot(date);
            assert_eq!(got.states, want.states);
            for (x, y) in got.weights.iter().zip(&want.weights) {
                assert!((x - y).abs() <= 1e-9, "{date}: {x} vs {y}");
            }
        }
    }
}
