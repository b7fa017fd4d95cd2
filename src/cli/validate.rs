//! `entente validate FILE`: checks a dataset — its fields, and its uncertainty rules and claims
//! as `robust` reads them — and prints a one-line summary or the problems.

use super::args::OutputArg;
use super::input::{self, DataArgs};
use entente::date::fmt_date;
use entente::error::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    let mut inputs = input::read(&args.data)?;
    // The rules and claims are checked by the code `robust` uses, with the same messages (the
    // rows are lent to the check, not copied: tie files can hold millions).
    let names: Vec<String> = inputs.tie_files.iter().map(|(l, _)| l.clone()).collect();
    let rows: Vec<_> = inputs
        .tie_files
        .iter_mut()
        .map(|(_, r)| std::mem::take(r))
        .collect();
    let checked = entente::robust::declared::check(
        &inputs.declared,
        &[],
        &inputs.dataset,
        &inputs.label,
        &names,
        &rows,
    );
    for ((_, r), back) in inputs.tie_files.iter_mut().zip(rows) {
        *r = back;
    }
    checked.map_err(Error::Invalid)?;
    let l = input::load_from(&args.data, inputs)?;
    let range = match l.timeline.date_span() {
        Some((a, b)) => format!("{} to {}", fmt_date(a), fmt_date(b)),
        None => "no dated events".to_string(),
    };
    // Dataset events plus tie CSV rows (the timeline's tie list mixes both, so it is not counted).
    let n_events = l.dataset.events.len() + l.extra_rows;
    args.output.print_for_reading(&format!(
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
