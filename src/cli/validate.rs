//! `entente validate FILE`: checks a dataset and prints a one-line summary or the problems.

use super::input::{self, DataArgs};
use crate::date::fmt_date;
use crate::error::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    let range = match l.timeline.date_span() {
        Some((a, b)) => format!("{} to {}", fmt_date(a), fmt_date(b)),
        None => "no dated events".to_string(),
    };
    let extra = l.timeline.ties.len() + l.dataset.events.len();
    let n_events = if args.data.ties.is_empty() {
        l.dataset.events.len()
    } else {
        extra
    };
    crate::output::print(&format!(
        "{}: ok — \"{}\": {} states, {} alliances, {} events, {}{}\n",
        l.label,
        l.dataset.name,
        l.dataset.states.len(),
        l.dataset.alliances.len(),
        n_events,
        range,
        if l.timeline.warnings.is_empty() {
            String::new()
        } else {
            format!(" ({} warnings)", l.timeline.warnings.len())
        }
    ))
}
