//! `entente generate --states N --alliances K --events E --years Y --seed S -o DIR`: writes a
//! deterministic synthetic workload, `DIR/dataset.json` and `DIR/ties.csv` (see
//! [`crate::generate`]).

use crate::error::Result;
use crate::generate::{self, Params};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of states (2 to 5000).
    #[arg(long, default_value_t = 200)]
    pub states: usize,
    /// Number of alliances.
    #[arg(long, default_value_t = 20)]
    pub alliances: usize,
    /// Number of tie events in ties.csv.
    #[arg(long, default_value_t = 1_000_000)]
    pub events: u64,
    /// Years covered, from 1980-01-01.
    #[arg(long, default_value_t = 10)]
    pub years: u32,
    /// Random seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder (created if missing).
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let p = Params {
        states: args.states,
        alliances: args.alliances,
        events: args.events,
        years: args.years,
        seed: args.seed,
    };
    let ds = generate::write_files(&p, &args.out)?;
    crate::output::print(&format!(
        "{}: {} states, {} alliances, {} membership and presence events; {}: {} tie events, {} to {}\n",
        args.out.join("dataset.json").display(),
        ds.states.len(),
        ds.alliances.len(),
        ds.events.len(),
        args.out.join("ties.csv").display(),
        p.events,
        crate::date::fmt_date(p.start()),
        crate::date::fmt_date(p.end().pred_opt().unwrap_or(p.end())),
    ))
}
