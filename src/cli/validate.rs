//! `entente validate FILE`: checks a dataset and prints a one-line summary or the problems.

use super::args::OutputArg;
use super::input::{self, DataArgs};
use entente::date::fmt_date;
use entente::error::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    let range = match l.timeline.date_span() {
        Some((a, b)) => format!("{} to {}", fmt_date(a), fmt_date(b)),
        None => "no dated events".to_string(),
    };
    // Dataset events plus tie CSV rows (the timeline's tie list mixes both, so it is not counted).
    let n_events = l.dataset.events.len() + l.extra_rows;
    args.output.print(&format!(
        "{}: ok — \"{}\": {} states, {} alliances, {} events, {}{}\n",
        l.label,
        l.dataset.name,
        l.dataset.states.len(),
        l.dataset.alliances.len(),
        n_events,
        range,
        if l.timeline.warnings().is_empty() {
            String::new()
        } else {
            format!(" ({} warnings)", l.timeline.warnings().len())
        }
    ))
}
