//! Fuzz target: the membership-table importer. No panic; a table that imports gives a dataset
//! that passes validation (`Dataset::check`), survives the JSON round trip, and whose timeline
//! gives weights in [−1, 1].
#![no_main]

use entente::dataset::{load_str, write::to_json_string};
use entente::import::members;
use entente::model::Timeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(ds) = members::import(data, "fuzz.csv", "fuzz") else {
        return;
    };
    if let Err(e) = ds.check() {
        panic!("imported dataset does not validate: {e}");
    }
    let back = load_str(&to_json_string(&ds), "rt.json").expect("round trip");
    assert_eq!(back, ds);
    let tl = Timeline::new(&ds, "fuzz");
    for e in ds.events.iter().take(16) {
        for &w in &tl.snapshot(e.date).weights {
            assert!((-1.0..=1.0).contains(&w), "weight {w}");
        }
    }
});
