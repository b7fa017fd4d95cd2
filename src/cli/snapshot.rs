//! `entente snapshot [FILE] --date D [--format json|table]`: the graph at a date (the JSON
//! includes its cohesion metrics, keys `graph` and `alliances`).

use super::args::{self, JsonOrTable, OutputArg};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::error::Result;
use entente::format::{self, snapshot as fmt};
use entente::limits::{self, GraphSize};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// The date (YYYY-MM-DD); every event dated on or before it is included.
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub date: NaiveDate,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: JsonOrTable,
    /// Rows per section in the table view.
    #[arg(long, default_value_t = 10, value_parser = args::count::<usize>, allow_negative_numbers = true)]
    pub top: usize,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    let snap = l.timeline.snapshot(args.date);
    let text = match args.format {
        JsonOrTable::Json => {
            limits::check_metrics(GraphSize::of_snapshot(&snap), "the snapshot's metrics")?;
            let m = entente::metrics::compute(&l.dataset, &snap);
            format::to_json(&fmt::with_metrics(
                fmt::snapshot_out(&l.dataset, &snap),
                entente::format::metrics::snapshot_metrics_out(&l.dataset, &m),
            ))
        }
        JsonOrTable::Table => fmt::table(&l.dataset, &snap, args.top),
    };
    args.output.print(&text)
}
