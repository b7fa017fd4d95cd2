//! `entente diff [FILE] --from D1 --to D2 [--top 10] [--format json|table]`: what changed
//! between two dates — the pairs whose weight moved most, every graph and alliance metric, and
//! the members whose alignment moved most.

use super::args::{self, JsonOrTable, OutputArg};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::error::Result;
use entente::format::{self, diff as fmt};
use entente::metrics::diff::diff;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// The earlier date (YYYY-MM-DD).
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub from: NaiveDate,
    /// The later date (YYYY-MM-DD); changes are `to − from`.
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub to: NaiveDate,
    /// How many pairs, and members per alliance, to list.
    #[arg(long, default_value_t = 10, value_parser = args::count::<usize>, allow_negative_numbers = true)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: JsonOrTable,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    let (s1, s2) = rayon::join(
        || l.timeline.snapshot(args.from),
        || l.timeline.snapshot(args.to),
    );
    let d = diff(&l.dataset, &s1, &s2, args.top);
    let text = match args.format {
        JsonOrTable::Json => format::to_json(&d),
        JsonOrTable::Table => fmt::table(&d),
    };
    args.output.print(&text)
}
