//! Fuzz target: the dataset loader and validator. Any input must load or be refused without a
//! panic; a dataset that loads must give a timeline whose snapshots obey the model's invariants
//! (weights in [−1, 1], symmetric, zero diagonal, no residue below 1e-9), must render to JSON and
//! table without panicking, and must survive a write/load round trip unchanged.
#![no_main]

use entente::dataset::{load_bytes, load_str, write::to_json_string};
use entente::date::{from_day, to_day};
use entente::model::{Timeline, EPS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(ds) = load_bytes(data, "fuzz.json") else {
        return;
    };
    let tl = Timeline::new(&ds, "fuzz.json");
    // Dates to look at: the day before the first event, every event date (capped), the day
    // after each, and far after the last one.
    let mut days: Vec<i32> = ds.events.iter().take(32).map(|e| to_day(e.date)).collect();
    let extra: Vec<i32> = days.iter().map(|d| d.saturating_add(1)).collect();
    days.extend(extra);
    if let Some((a, b)) = ds.date_range() {
        days.push(to_day(a).saturating_sub(1));
        days.push(to_day(b).saturating_add(3650));
    } else {
        days.push(to_day(entente::date::parse_date("2000-01-01").unwrap()));
    }
    for day in days {
        let snap = tl.snapshot(from_day(day));
        let n = snap.n();
        assert_eq!(snap.weights.len(), n * n);
        for i in 0..n {
            assert_eq!(snap.w(i, i), 0.0, "non-zero diagonal");
            for j in 0..n {
                let w = snap.w(i, j);
                assert!(w.is_finite() && (-1.0..=1.0).contains(&w), "weight {w} out of range");
                assert!(w == 0.0 || w.abs() >= EPS, "residue weight {w}");
                assert_eq!(w.to_bits(), snap.w(j, i).to_bits(), "asymmetric weights");
            }
        }
        assert!(snap.states.windows(2).all(|p| p[0] < p[1]));
        let out = entente::format::snapshot::snapshot_out(&ds, &snap);
        let json = entente::format::to_json(&out);
        assert!(json.ends_with('\n') && json.len() > 2);
        let _ = entente::format::snapshot::table(&ds, &snap, 5);
    }
    let text = to_json_string(&ds);
    let back = load_str(&text, "round-trip.json").expect("a written dataset loads back");
    assert_eq!(back, ds, "round trip changed the dataset");
});
