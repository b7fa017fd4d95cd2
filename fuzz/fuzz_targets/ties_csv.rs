//! Fuzz target: the tie CSV reader, against a fixed small dataset (ids of several shapes,
//! including non-ASCII). No panic; every returned event has a finite delta in [−2, 2], a < b,
//! positive finite half-life/duration when given; the timeline built from them gives weights in
//! [−1, 1]; write_ties then read_ties gives the same events.
#![no_main]

use entente::dataset::{load_str, ties_csv};
use entente::date::from_day;
use entente::model::Timeline;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const DATASET: &str = r#"{"name": "fuzz", "states": [
  {"id": "A", "name": "A"}, {"id": "B", "name": "B"}, {"id": "ARM", "name": "Armenia"},
  {"id": "RUS", "name": "Russia"}, {"id": "Ω", "name": "Omega"}, {"id": "x y", "name": "space"}],
 "alliances": [{"id": "P", "name": "P", "tie": 0.5}],
 "events": [{"date": "2000-01-01", "kind": "join", "state": "A", "alliance": "P"},
            {"date": "2000-01-01", "kind": "join", "state": "B", "alliance": "P"},
            {"date": "2010-01-01", "kind": "exit", "state": "RUS"}]}"#;

fn dataset() -> &'static entente::dataset::Dataset {
    static DS: OnceLock<entente::dataset::Dataset> = OnceLock::new();
    DS.get_or_init(|| load_str(DATASET, "fuzz.json").expect("fixed dataset is valid"))
}

fuzz_target!(|data: &[u8]| {
    let ds = dataset();
    let Ok(ties) = ties_csv::read_ties(ds, data, "fuzz.csv") else {
        return;
    };
    for t in &ties {
        assert!(t.delta.is_finite() && (-2.0..=2.0).contains(&t.delta), "delta {}", t.delta);
        assert!(t.a < t.b, "pair not ordered: {} {}", t.a, t.b);
        assert!((t.b as usize) < ds.states.len());
        for x in [t.half_life(), t.duration()].into_iter().flatten() {
            assert!(x.is_finite() && x > 0.0, "half-life/duration {x}");
        }
    }
    let mut out = Vec::new();
    ties_csv::write_ties(ds, &ties, &mut out).expect("writing to memory");
    let back = ties_csv::read_ties(ds, out.as_slice(), "rt.csv").expect("written ties read back");
    assert_eq!(back, ties, "tie CSV round trip changed the events");

    let days: Vec<i32> = ties.iter().take(16).map(|t| t.day).collect();
    let tl = Timeline::with_ties(ds, "fuzz.json", ties, "fuzz.csv");
    for day in days {
        let snap = tl.snapshot(from_day(day));
        for &w in &snap.weights {
            assert!(w.is_finite() && (-1.0..=1.0).contains(&w), "weight {w}");
        }
    }
});
