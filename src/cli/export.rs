//! `entente export gexf|graphml|csv …`: the graph for other tools (Gephi and friends).

use super::input::{self, DataArgs};
use crate::date::{parse_date, Step};
use crate::error::{Error, Result};
use crate::export;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
    #[arg(long, default_value = "1m")]
    pub step: String,
    /// Write here (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SnapArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The date (YYYY-MM-DD).
    #[arg(long)]
    pub date: String,
    /// Write here (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn emit(out: Option<&Path>, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match out {
        Some(p) => crate::output::write_atomic_with(p, fill),
        None => crate::output::stream(fill),
    }
}

pub fn run(args: Args) -> Result<()> {
    match args.what {
        What::Gexf(a) => {
            let step = Step::parse(&a.step).map_err(|e| Error::Usage(format!("--step: {e}")))?;
            let l = input::load(&a.data)?;
            emit(a.output.as_deref(), |w| {
                export::gexf::write(&l.dataset, &l.timeline, step, w)
            })
        }
        What::Graphml(a) => snapshot(a, export::graphml::write),
        What::Csv(a) => snapshot(a, export::csv::write),
    }
}

type SnapWriter =
    fn(&crate::dataset::Dataset, &crate::model::Snapshot, &mut dyn Write) -> io::Result<()>;

fn snapshot(a: SnapArgs, write: SnapWriter) -> Result<()> {
    let date = parse_date(&a.date).map_err(|e| Error::Usage(format!("--date: {e}")))?;
    let l = input::load(&a.data)?;
    let snap = l.timeline.snapshot(date);
    emit(a.output.as_deref(), |w| write(&l.dataset, &snap, w))
}
