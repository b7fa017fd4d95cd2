//! `entente metrics [FILE] [--from D] [--to D] [--step 1m] [--alliance ID]… [--format
//! json|csv|table] [--signed]`: the cohesion metrics at each date of a series (the signed-network
//! metrics only with `--signed`). Metrics that cannot apply to the data (hollowness without a
//! treaty/behaviour split, reliability without an answered call for help) are left out, with a
//! note on standard error.

use super::alliances;
use super::args::{self, OutputArg, SeriesArgs};
use super::input::{self, DataArgs};
use super::progress::ProgressBar;
use entente::error::Result;
use entente::format::metrics as fmt;
use entente::limits::{self, GraphSize};
use entente::metrics;

/// `--format` of `metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MetricsOutput {
    /// Pretty-printed JSON with the series parameters.
    Json,
    /// One row per date and scope.
    Csv,
    /// A text table for reading.
    Table,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub series: SeriesArgs,
    /// Only this alliance (repeatable): an id, a name, or an ATOP number; default: every
    /// alliance.
    #[arg(long = "alliance", value_name = "ID")]
    pub alliances: Vec<String>,
    /// Also compute the signed-network metrics (frustration, camps, weighted balance, signed
    /// blocs, spoiler): several times slower on large graphs (docs/performance.md).
    #[arg(long)]
    pub signed: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: MetricsOutput,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    let filter = alliances::filter(&l.dataset, &args.alliances)?;
    let (from, to) = args.series.range(&l.timeline, &l.label)?;
    let step = args.series.step();
    let dates = entente::date::checked_series_dates(from, to, step).map_err(args::too_many)?;
    limits::check_metrics(GraphSize::bound(&l.dataset, &l.timeline), "the metrics")?;
    let bar = ProgressBar::new("metrics", dates.len());
    let wanted = if args.signed {
        metrics::Selection::all()
    } else {
        metrics::Selection::standard()
    };
    // Metrics that cannot apply to this data (every value would be null) are left out.
    let (selection, left_out) = wanted.applicable(&l.timeline);
    if let Some(note) = metrics::catalogue::left_out_note(&left_out) {
        diag!("note: metrics: {note}");
    }
    // JSON and CSV are written while the later dates are computed (the memory of a long series
    // stays flat); the table groups the rows by alliance, so it needs the whole series first.
    let result = metrics::series_streamed(
        &l.timeline,
        &dates,
        filter.as_deref(),
        &selection,
        &|done| bar.set(done),
        |points| match args.format {
            MetricsOutput::Json => args
                .output
                .emit(|w| fmt::write_json(&l.dataset, (from, to, step), points, w)),
            MetricsOutput::Csv => args.output.emit(|w| fmt::write_csv(&l.dataset, points, w)),
            MetricsOutput::Table => {
                let points: Vec<_> = points.collect();
                args.output
                    .print(&fmt::table(&l.dataset, from, to, step, &points))
            }
        },
    );
    bar.finish();
    result
}
