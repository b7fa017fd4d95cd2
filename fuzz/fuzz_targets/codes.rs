//! Fuzz target: the `--codes` table reader and the crosswalk table parser. No panic; every
//! mapping names a state of the dataset and no code is mapped twice; a crosswalk that parses
//! answers lookups in every scheme without panicking.
#![no_main]

use entente::dataset::{load_str, Dataset};
use entente::import::codes::read_codes;
use entente::import::crosswalk::{Crosswalk, Scheme};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const DATASET: &str = r#"{"name": "fuzz", "states": [
  {"id": "ARM", "name": "Armenia"}, {"id": "RUS", "name": "Russia"},
  {"id": "Côte d'Ivoire", "name": "Côte d'Ivoire"}, {"id": "a,b", "name": "comma"}],
 "alliances": [], "events": []}"#;

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| load_str(DATASET, "fuzz.json").expect("fixed dataset is valid"))
}

fuzz_target!(|data: &[u8]| {
    let ds = dataset();
    if let Ok(table) = read_codes(ds, data, "codes.csv") {
        let mut seen = std::collections::BTreeSet::new();
        for (code, state) in &table {
            assert!(*state < ds.states.len(), "state index {state}");
            assert!(seen.insert(code.clone()), "code {code:?} mapped twice");
        }
    }
    let text = String::from_utf8_lossy(data);
    if let Ok(cw) = Crosswalk::parse(&text) {
        let date = entente::date::parse_date("2000-01-01").ok();
        for line in text.lines().take(8) {
            for field in line.split(',').take(8) {
                for scheme in Scheme::ALL {
                    let _ = cw.lookup(scheme, field, date);
                    let _ = cw.rows(scheme, field);
                }
            }
        }
    }
});
