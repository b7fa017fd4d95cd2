// Shared body of the GDELT and ICEWS fuzz targets (included with `include!`): the first byte
// picks the options (aggregate, period, strict, half-life/window), the rest is the event file.
// No panic; every tie event is finite with delta in [−2, 2], a < b, positive half-life and
// window; the tie CSV written from them reads back the same; a timeline built on them gives
// weights in [−1, 1].

use entente::dataset::{load_str, ties_csv, Dataset};
use entente::date::{from_day, Step, StepUnit};
use entente::import::{codes, events, Progress};
use entente::model::Timeline;
use std::sync::OnceLock;

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| load_str(entente::DEFAULT_DATASET, "csto.json").expect("embedded dataset"))
}

fn check_events(data: &[u8], format: events::EventTable) {
    let Some((&opts_byte, body)) = data.split_first() else {
        return;
    };
    let ds = dataset();
    let matcher = codes::Matcher::new(ds, &[]);
    let period = match opts_byte & 3 {
        0 => Step::MONTH,
        1 => Step { n: 1, unit: StepUnit::Day },
        2 => Step { n: 2, unit: StepUnit::Week },
        _ => Step { n: 1, unit: StepUnit::Year },
    };
    let opts = events::EventOptions {
        format,
        period,
        aggregate: if opts_byte & 4 == 0 {
            events::Aggregate::Mean
        } else {
            events::Aggregate::Sum
        },
        scale: if opts_byte & 8 == 0 { 1.0 } else { -3.5 },
        half_life: (opts_byte & 16 != 0).then_some(30.0),
        duration: (opts_byte & 16 == 0 && opts_byte & 32 != 0).then_some(7.0),
        root_only: format == events::EventTable::Gdelt && opts_byte & 64 != 0,
        min_mentions: None,
        strict: opts_byte & 128 != 0,
    };
    let mut agg = events::Aggregator::new(&matcher, opts);
    if agg.read(body, "fuzz.tsv", &mut Progress::hidden()).is_err() {
        return;
    }
    let (ties, _stats) = agg.finish();
    for t in &ties {
        assert!(t.delta.is_finite() && (-2.0..=2.0).contains(&t.delta), "delta {}", t.delta);
        assert!(t.a < t.b && (t.b as usize) < ds.states.len(), "pair {} {}", t.a, t.b);
        for x in [t.half_life(), t.duration()].into_iter().flatten() {
            assert!(x.is_finite() && x > 0.0, "half-life/window {x}");
        }
    }
    let mut csv = Vec::new();
    ties_csv::write_ties(ds, &ties, &mut csv).expect("write to memory");
    let back = ties_csv::read_ties(ds, csv.as_slice(), "rt.csv").expect("imported ties read back");
    assert_eq!(back.len(), ties.len());
    let days: Vec<i32> = ties.iter().take(8).map(|t| t.day).collect();
    let tl = Timeline::with_ties(ds, "csto.json", ties, "fuzz.tsv");
    for day in days {
        for &w in &tl.snapshot(from_day(day)).weights {
            assert!((-1.0..=1.0).contains(&w), "weight {w}");
        }
    }
}
