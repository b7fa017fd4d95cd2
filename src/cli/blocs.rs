//! `entente blocs [FILE] [--from D] [--to D] [--step 1m]`: the signed blocs at each date of a
//! series with labels kept consistent from date to date, each state's flexibility, the
//! allegiance of each pair of states and the list of bloc switches, as JSON (definitions in
//! docs/metrics.md, "Bloc dynamics over a series").

use super::args::{self, OutputArg, SeriesArgs};
use super::input::{self, DataArgs};
use super::progress::ProgressBar;
use entente::dataset::Dataset;
use entente::date::fmt_date;
use entente::error::Result;
use entente::metrics;
use entente::metrics::bloc_dynamics::{bloc_dynamics, BlocDynamics, DatedBlocs};
/// The sentence of a switch, shared with the report and `plot alluvial`.
pub(super) use entente::report::charts::switch_text;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub series: SeriesArgs,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Serialize)]
struct BlocOut<'a> {
    label: usize,
    states: Vec<&'a str>,
}

#[derive(Serialize)]
struct DateOut<'a> {
    date: String,
    blocs: Vec<BlocOut<'a>>,
}

#[derive(Serialize)]
struct PairOut<'a> {
    a: &'a str,
    b: &'a str,
    allegiance: f64,
}

#[derive(Serialize)]
struct SwitchOut<'a> {
    date: String,
    state: &'a str,
    from: usize,
    to: usize,
    text: String,
}

#[derive(Serialize)]
struct BlocsOut<'a> {
    dataset: &'a str,
    from: String,
    to: String,
    step: String,
    dates: Vec<DateOut<'a>>,
    flexibility: BTreeMap<&'a str, f64>,
    allegiance: Vec<PairOut<'a>>,
    switches: Vec<SwitchOut<'a>>,
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    let (from, to) = args.series.range(&l.timeline, &l.label)?;
    let step = args.series.step();
    let dates = entente::date::checked_series_dates(from, to, step).map_err(args::too_many)?;
    let bar = ProgressBar::new("blocs", dates.len());
    let selection = metrics::Selection::of(&["signed_blocs"]).map_err(|e| {
        entente::error::Error::Internal(format!("the catalogue lacks signed_blocs: {e}"))
    })?;
    let points = metrics::series_selected(&l.timeline, &dates, Some(&[]), &selection, &|done| {
        bar.set(done)
    });
    bar.finish();
    let series = entente::report::charts::dated_blocs(&points, "signed_blocs");
    let dy = bloc_dynamics(&series);
    let out = blocs_out(&l.dataset, &series, &dy, (from, to, step.to_string()));
    args.output.emit(|w| {
        serde_json::to_writer_pretty(&mut *w, &out)?;
        writeln!(w)
    })
}

fn blocs_out<'a>(
    ds: &'a Dataset,
    series: &[DatedBlocs],
    dy: &BlocDynamics,
    (from, to, step): (chrono::NaiveDate, chrono::NaiveDate, String),
) -> BlocsOut<'a> {
    let id = |s: usize| ds.states[s].id.as_str();
    let dates = series
        .iter()
        .zip(&dy.labels)
        .map(|(d, labels)| DateOut {
            date: fmt_date(d.date),
            blocs: d
                .blocs
                .iter()
                .zip(labels)
                .map(|(b, &label)| BlocOut {
                    label,
                    states: b.iter().map(|&s| id(s)).collect(),
                })
                .collect(),
        })
        .collect();
    let switches = dy
        .switches
        .iter()
        .map(|sw| SwitchOut {
            date: fmt_date(sw.date),
            state: id(sw.state),
            from: sw.from,
            to: sw.to,
            text: switch_text(ds, series, dy, sw),
        })
        .collect();
    BlocsOut {
        dataset: &ds.name,
        from: fmt_date(from),
        to: fmt_date(to),
        step,
        dates,
        flexibility: dy.flexibility.iter().map(|(&s, &f)| (id(s), f)).collect(),
        allegiance: dy
            .allegiance
            .iter()
            .map(|(&(a, b), &v)| PairOut {
                a: id(a),
                b: id(b),
                allegiance: v,
            })
            .collect(),
        switches,
    }
}
