//! `entente generate --states N --alliances K --events E --years Y --seed S -o DIR`: writes a
//! deterministic synthetic workload, `DIR/dataset.json` and `DIR/ties.csv` (see
//! [`entente::generate`]). The folder is written whole and replaced only if entente made it
//! (or with `--force`).

use super::args;
use entente::error::Result;
use entente::generate::{self, Params};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of states (2 to 5000).
    #[arg(long, default_value_t = 200, value_parser = args::count::<usize>, allow_negative_numbers = true)]
    pub states: usize,
    /// Number of alliances.
    #[arg(long, default_value_t = 20, value_parser = args::count::<usize>, allow_negative_numbers = true)]
    pub alliances: usize,
    /// Number of tie events in ties.csv.
    #[arg(long, default_value_t = 1_000_000, value_parser = args::count::<u64>, allow_negative_numbers = true)]
    pub events: u64,
    /// Years covered, from 1980-01-01.
    #[arg(long, default_value_t = 10, value_parser = args::count::<u32>, allow_negative_numbers = true)]
    pub years: u32,
    /// Random seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1, value_parser = args::count::<u64>, allow_negative_numbers = true)]
    pub seed: u64,
    /// Output folder (created if missing; replaced whole if entente made it).
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "out",
        value_name = "DIR"
    )]
    pub out: PathBuf,
    /// Replace the output folder even if entente did not make it (its files are deleted).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> Result<()> {
    let p = Params {
        states: args.states,
        alliances: args.alliances,
        events: args.events,
        years: args.years,
        seed: args.seed,
    };
    let mut ds = None;
    entente::output::replace_folder(&args.out, args.force, "--force", |dir| {
        ds = Some(generate::write_files(&p, dir)?);
        Ok(vec!["dataset.json".into(), "ties.csv".into()])
    })?;
    let ds = ds.ok_or_else(|| entente::error::Error::Internal("generate wrote nothing".into()))?;
    super::args::print_for_reading(&format!(
        "{}: {} states, {} alliances, {} membership and presence events; {}: {} tie events, {} to {}\n",
        args.out.join("dataset.json").display(),
        ds.states.len(),
        ds.alliances.len(),
        ds.events.len(),
        args.out.join("ties.csv").display(),
        p.events,
        entente::date::fmt_date(p.start()),
        entente::date::fmt_date(p.end().pred_opt().unwrap_or(p.end())),
    ))
}
