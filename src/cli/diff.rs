//! `entente diff [FILE] --from D1 --to D2 [--top 10] [--format json|table]`: what changed
//! between two dates — the pairs whose weight moved most, every graph and alliance metric, and
//! the members whose alignment moved most.

use super::input::{self, DataArgs};
use crate::date::parse_date;
use crate::error::{Error, Result};
use crate::format::{self, diff as fmt};
use crate::metrics::diff::diff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Table,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// The earlier date (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// The later date (YYYY-MM-DD); changes are `to − from`.
    #[arg(long)]
    pub to: String,
    /// How many pairs, and members per alliance, to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    let from = parse_date(&args.from).map_err(|e| Error::Usage(format!("--from: {e}")))?;
    let to = parse_date(&args.to).map_err(|e| Error::Usage(format!("--to: {e}")))?;
    let l = input::load(&args.data)?;
    let (s1, s2) = rayon::join(|| l.timeline.snapshot(from), || l.timeline.snapshot(to));
    let d = diff(&l.dataset, &s1, &s2, args.top);
    let text = match args.format {
        Format::Json => format::to_json(&d),
        Format::Table => fmt::table(&d),
    };
    crate::output::print(&text)
}
