//! Fuzz target: the tie CSV round trip through our own writer and reader over arbitrary ids.
//! The input gives up to four state ids (any text the dataset loader accepts: commas, quotes,
//! spaces, non-ASCII) and a few tie events between them; `write_ties` then `read_ties` must give
//! the same events back, whatever the ids hold (docs/testing.md, "Fuzzing").
#![no_main]

use entente::dataset::{load_str, ties_csv};
use entente::model::TieEvent;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Up to four ids separated by 0xFF, then 0xFE, then the tie bytes.
    let (ids, ties) = match data.iter().position(|&b| b == 0xFE) {
        Some(p) => (&data[..p], &data[p + 1..]),
        None => (data, &[][..]),
    };
    let ids: Vec<String> = ids
        .split(|&b| b == 0xFF)
        .take(4)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    if ids.len() < 2 {
        return;
    }
    let states: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| serde_json::json!({"id": id, "name": "n"}))
        .collect();
    let json = serde_json::json!({"name": "fuzz", "states": states, "alliances": [], "events": []});
    let Ok(ds) = load_str(&json.to_string(), "fuzz.json") else {
        return; // ids the loader refuses (duplicates, control characters, …)
    };
    let n = ds.states.len() as u32;
    let mut events = Vec::new();
    for c in ties.chunks_exact(4).take(32) {
        let (a, b) = (u32::from(c[0]) % n, u32::from(c[1]) % n);
        if a == b {
            continue;
        }
        let (a, b) = (a.min(b), a.max(b));
        let delta = (f64::from(c[2]) - 127.0) / 64.0;
        let day = 700_000 + i32::from(c[3]) * 37;
        let t = match c[3] % 3 {
            0 => TieEvent::new(day, a, b, delta, Some(30.0 + f64::from(c[2])), None),
            1 => TieEvent::new(day, a, b, delta, None, Some(1.0 + f64::from(c[2]))),
            _ => TieEvent::new(day, a, b, delta, None, None),
        };
        events.push(t);
    }
    let mut out = Vec::new();
    ties_csv::write_ties(&ds, &events, &mut out).expect("writing to memory");
    let back = ties_csv::read_ties(&ds, out.as_slice(), "rt.csv").unwrap_or_else(|e| {
        panic!(
            "our own tie CSV is refused: {e}\n{}",
            String::from_utf8_lossy(&out)
        )
    });
    assert_eq!(back, events, "tie CSV round trip changed the events");
});
