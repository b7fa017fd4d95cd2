//! `entente export gexf|graphml|csv …`: the graph for other tools (Gephi and friends).

use super::args::{self, OutputArg};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::date::Step;
use entente::error::Result;
use entente::export;
use std::io::{self, Write};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// The whole timeline as dynamic GEXF 1.3 (Gephi's timeline).
    Gexf(GexfArgs),
    /// The graph at a date as GraphML.
    Graphml(SnapArgs),
    /// The graph at a date as a CSV edge list source,target,weight.
    Csv(SnapArgs),
}

#[derive(Debug, clap::Args)]
pub struct GexfArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Regular sampling step of edge weights, besides every event date (Nd, Nw, Nm, Ny).
    #[arg(long, default_value = "1m", allow_hyphen_values = true)]
    pub step: Step,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Debug, clap::Args)]
pub struct SnapArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The date (YYYY-MM-DD).
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub date: NaiveDate,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    match args.what {
        What::Gexf(a) => {
            let l = input::load(&a.data)?;
            a.output
                .emit(|w| export::gexf::write(&l.dataset, &l.timeline, a.step, w))
        }
        What::Graphml(a) => snapshot(a, export::graphml::write),
        What::Csv(a) => snapshot(a, export::csv::write),
    }
}

type SnapWriter =
    fn(&entente::dataset::Dataset, &entente::model::Snapshot, &mut dyn Write) -> io::Result<()>;

fn snapshot(a: SnapArgs, write: SnapWriter) -> Result<()> {
    let l = input::load(&a.data)?;
    let snap = l.timeline.snapshot(a.date);
    a.output.emit(|w| write(&l.dataset, &snap, w))
}
