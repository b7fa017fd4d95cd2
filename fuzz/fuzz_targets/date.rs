//! Fuzz target: the date and step parsers. A date that parses prints back to the same text;
//! a step that parses prints as a canonical text that parses to the same step; series
//! arithmetic never panics and stays ordered.
#![no_main]

use entente::date::{fmt_date, from_day, parse_date, series_dates, to_day, Step};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The input is "DATE" or "STEP" or "DATE STEP K" (k-th date of a series).
    let mut parts = text.splitn(3, ' ');
    let first = parts.next().unwrap_or("");
    let date = parse_date(first);
    if let Ok(d) = date {
        assert_eq!(fmt_date(d), first, "date does not print back");
        assert_eq!(from_day(to_day(d)), d, "day number round trip");
    }
    for s in [first, parts.next().unwrap_or("")] {
        if let Ok(step) = Step::parse(s) {
            let canon = step.to_string();
            assert_eq!(Step::parse(&canon), Ok(step), "step print/parse round trip");
            if let Ok(d) = date {
                let k: u32 = parts.clone().next().and_then(|k| k.parse().ok()).unwrap_or(3);
                if let Some(next) = step.nth(d, k) {
                    assert!(next >= d, "series went backwards");
                }
                // A short series: bounded by the step so it stays small.
                if let Some(to) = step.nth(d, 5) {
                    let s = series_dates(d, to, step);
                    assert!(s.windows(2).all(|p| p[0] < p[1]), "series not increasing");
                    assert_eq!(s.len(), 6, "series of 6 steps");
                    assert_eq!(s.first(), Some(&d));
                }
            }
        }
    }
});
