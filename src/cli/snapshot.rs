//! `entente snapshot [FILE] --date D [--format json|table]`: the graph at a date (the JSON
//! includes its cohesion metrics, keys `graph` and `alliances`).

use super::input::{self, DataArgs};
use crate::date::parse_date;
use crate::error::{Error, Result};
use crate::format::{self, snapshot as fmt};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Table,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// The date (YYYY-MM-DD); every event dated on or before it is included.
    #[arg(long)]
    pub date: String,
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Rows per section in the table view.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

pub fn run(args: Args) -> Result<()> {
    let date = parse_date(&args.date).map_err(|e| Error::Usage(format!("--date: {e}")))?;
    let l = input::load(&args.data)?;
    let snap = l.timeline.snapshot(date);
    let text = match args.format {
        Format::Json => {
            let m = crate::metrics::compute(&l.dataset, &snap);
            format::to_json(&fmt::with_metrics(
                fmt::snapshot_out(&l.dataset, &snap),
                crate::format::metrics::snapshot_metrics_out(&l.dataset, &m),
            ))
        }
        Format::Table => fmt::table(&l.dataset, &snap, args.top),
    };
    crate::output::print(&text)
}
