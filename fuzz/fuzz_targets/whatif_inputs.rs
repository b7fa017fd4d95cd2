//! Fuzz target: the what-if and robustness inputs read against a dataset — a `--with` scenario
//! file, the dataset's `uncertainty` rules and `claims` (or a `--claims` file), `--vary` rules
//! and `--without` selectors. The input is a scenario JSON, a line `---`, a JSON object with
//! `uncertainty` and `claims`, another `---`, and lines each tried as a `--vary` rule and as a
//! `--without` selector; they are read against a small fixed dataset and tie CSV
//! (`tests/data/hardening/`). No panic; invariants:
//! - a scenario that is accepted gives a dataset that validates, holds the base's events and
//!   the scenario's, and survives a write/load round trip;
//! - every draw and every rule end of the accepted rules is a plain dataset that loads back
//!   (the contract of `robust --emit-draws`) with its tie rows still in range;
//! - a selector that resolves selects only events, alliances and tie files that exist.
#![no_main]

use entente::dataset::{load_bytes, load_str, ties_csv, write::to_json_string, Dataset};
use entente::model::TieEvent;
use entente::robust::{declared, rules, Engine, Variant};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const BASE: &str = include_str!("../../tests/data/hardening/base.json");
const TIES: &str = include_str!("../../tests/data/hardening/ties.csv");

fn base() -> &'static (Dataset, Vec<String>, Vec<Vec<TieEvent>>) {
    static B: OnceLock<(Dataset, Vec<String>, Vec<Vec<TieEvent>>)> = OnceLock::new();
    B.get_or_init(|| {
        let ds = load_str(BASE, "base.json").expect("the base dataset loads");
        let rows = ties_csv::read_ties(&ds, TIES.as_bytes(), "ties.csv").expect("the ties load");
        (ds, vec!["ties.csv".to_string()], vec![rows])
    })
}

fn parts(data: &[u8]) -> Vec<&[u8]> {
    let sep = b"\n---\n";
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() < 2 {
        match rest.windows(sep.len()).position(|w| w == sep) {
            Some(at) => {
                out.push(&rest[..at]);
                rest = &rest[at + sep.len()..];
            }
            None => break,
        }
    }
    out.push(rest);
    out
}

fn check_loads(name: &str, bytes: &[u8]) {
    if let Err(e) = load_bytes(bytes, name) {
        panic!("{name} does not load back: {e}");
    }
}

fuzz_target!(|data: &[u8]| {
    let (ds, tie_files, rows) = base();
    let p = parts(data);

    // A --with scenario.
    if let Ok(text) = std::str::from_utf8(p[0]) {
        if let Ok(more) = entente::scenario::with_events(ds, text, "scenario.json") {
            if let Err(e) = more.check() {
                panic!("a scenario's dataset does not validate: {e}");
            }
            assert!(more.events.len() >= ds.events.len());
            assert_eq!(more.states.len(), ds.states.len());
            let back = load_str(&to_json_string(&more), "round-trip.json")
                .expect("a scenario's dataset loads back");
            assert_eq!(back, more, "round trip changed the dataset");
        }
    }

    // The dataset's declared rules and claims, plus the lines as --vary rules.
    let lines: Vec<&str> = p
        .get(2)
        .and_then(|b| std::str::from_utf8(b).ok())
        .map(|t| t.lines().take(8).collect())
        .unwrap_or_default();
    let mut extra = Vec::new();
    for l in &lines {
        if let Ok(r) = rules::parse_compact(l) {
            extra.push(r);
        }
        // And as a --without selector.
        if let Ok(sel) = entente::select::parse(l) {
            if let Ok(s) = sel.resolve(ds, tie_files) {
                assert!(s.events.windows(2).all(|w| w[0] < w[1]), "events not ascending");
                assert!(s.events.iter().all(|&i| i < ds.events.len()));
                assert!(s.alliances.iter().all(|&a| a < ds.alliances.len()));
                if let Some(t) = &s.ties {
                    assert!(t.files.iter().all(|&f| f < tie_files.len()));
                    assert!(t.state.is_none_or(|s| s < ds.states.len()));
                }
            }
        }
    }
    let sections = p
        .get(1)
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .unwrap_or(serde_json::Value::Null);
    let Ok((resolved, _claims)) =
        declared::check(&sections, &extra, ds, "base.json", tie_files, rows)
    else {
        return;
    };
    if resolved.is_empty() {
        return;
    }
    let n_rules = resolved.len().min(4);
    let engine = Engine {
        ds,
        file: "base.json",
        tie_files,
        rows,
        rules: resolved,
        dates: Vec::new(),
        alliances: None,
        selection: entente::metrics::Selection::standard(),
        seed: 1,
        pairs: Vec::new(),
        pair_dates: Vec::new(),
    };
    for k in 1..=2 {
        for (name, bytes) in engine.draw_files(k) {
            if name.ends_with(".json") {
                check_loads(&name, &bytes);
            } else {
                let text = String::from_utf8(bytes).expect("a tie CSV is UTF-8");
                if let Err(e) = ties_csv::read_ties(ds, text.as_bytes(), &name) {
                    panic!("{name} does not read back: {e}");
                }
            }
        }
    }
    for rule in 0..n_rules {
        for high in [false, true] {
            let (d, r) = engine.variant(Variant::End { rule, high });
            check_loads("end.json", to_json_string(&d).as_bytes());
            for t in r.iter().flatten() {
                assert!(t.delta.is_finite(), "a drawn tie delta is {}", t.delta);
            }
        }
    }
});
