//! Fuzz target: the ATOP importer. The input is a COW state list and an ATOP member-level file
//! separated by a line `---`, optionally followed by another `---` and an `atopid,name` names
//! file (`--names`). No panic; an import that succeeds gives a dataset that passes validation
//! (`Dataset::check`) and whose timeline gives weights in [−1, 1].
#![no_main]

use entente::import::{atop, Progress};
use entente::model::Timeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sep = b"\n---\n";
    let Some(at) = data.windows(sep.len()).position(|w| w == sep) else {
        return;
    };
    let (cow_bytes, rest) = (&data[..at], &data[at + sep.len()..]);
    let (members, names) = match rest.windows(sep.len()).position(|w| w == sep) {
        Some(at) => (&rest[..at], Some(&rest[at + sep.len()..])),
        None => (rest, None),
    };
    let Ok(cow) = atop::read_cow_states(cow_bytes, "states.csv") else {
        return;
    };
    let mut opts = atop::AtopOptions::default();
    if let Some(names) = names {
        let Ok(names) = atop::read_names(names, "names.csv") else {
            return;
        };
        opts.names = names;
    }
    let Ok(r) = atop::import(&cow, members, "atop.csv", &opts, &mut Progress::hidden()) else {
        return;
    };
    if let Err(e) = r.dataset.check() {
        panic!("imported dataset does not validate: {e}");
    }
    let tl = Timeline::new(&r.dataset, "fuzz");
    for e in r.dataset.events.iter().take(16) {
        for &w in &tl.snapshot(e.date).weights {
            assert!((-1.0..=1.0).contains(&w), "weight {w}");
        }
    }
});
