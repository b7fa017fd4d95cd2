//! Fuzz target: the UN votes importer. The input is a roll-call table, a line `---`, and a votes
//! table (ISO alpha-2 country codes, as in the real files), matched against a small dataset with
//! ISO alpha-3 ids. No panic; every tie event has a finite delta in [−1, 1], a < b, and a
//! positive finite window; the events round-trip through the tie CSV.
#![no_main]

use entente::dataset::{load_str, ties_csv, Dataset};
use entente::import::codes::SchemeMatcher;
use entente::import::crosswalk::Scheme;
use entente::import::{unvotes, Progress};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const DATASET: &str = r#"{"name": "fuzz", "states": [
  {"id": "USA", "name": "United States", "codes": {"cow": 2}},
  {"id": "RUS", "name": "Russia", "codes": {"cow": 365}},
  {"id": "FRA", "name": "France", "codes": {"cow": 220}},
  {"id": "ARM", "name": "Armenia", "codes": {"cow": 371}}],
 "alliances": [], "events": []}"#;

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| load_str(DATASET, "fuzz.json").expect("fixed dataset is valid"))
}

fuzz_target!(|data: &[u8]| {
    let ds = dataset();
    let sep = b"\n---\n";
    let Some(p) = data.windows(sep.len()).position(|w| w == sep) else {
        return;
    };
    let (rc, votes) = (&data[..p + 1], &data[p + sep.len()..]);
    let Ok(roll_calls) = unvotes::read_roll_calls(rc, "rc.csv") else {
        return;
    };
    let matcher = SchemeMatcher::new(ds, &[], Scheme::Iso2, Some(Scheme::Iso3)).expect("matcher");
    let ids: Vec<String> = ds.states.iter().map(|s| s.id.clone()).collect();
    let opts = unvotes::UnvotesOptions {
        min_votes: 1,
        window: if data.len() % 2 == 0 {
            unvotes::Window::Year
        } else {
            unvotes::Window::Session
        },
        measure: [
            unvotes::Measure::Agreement,
            unvotes::Measure::S,
            unvotes::Measure::Kappa,
            unvotes::Measure::Pi,
        ][data.len() % 4],
        ..Default::default()
    };
    let Ok((ties, _stats)) = unvotes::import(
        &matcher,
        &ids,
        &roll_calls,
        &|_| true,
        votes,
        "votes.csv",
        &opts,
        &mut Progress::hidden(),
    ) else {
        return;
    };
    for t in &ties {
        assert!(t.delta.is_finite() && (-1.0..=1.0).contains(&t.delta), "delta {}", t.delta);
        assert!(t.a < t.b && (t.b as usize) < ds.states.len());
        for x in [t.half_life(), t.duration()].into_iter().flatten() {
            assert!(x.is_finite() && x > 0.0, "window {x}");
        }
    }
    let mut out = Vec::new();
    ties_csv::write_ties(ds, &ties, &mut out).expect("writing to memory");
    let back = ties_csv::read_ties(ds, out.as_slice(), "rt.csv").expect("written ties read back");
    assert_eq!(back, ties);
});
