//! `entente report [FILE] [--ties F]… [--out DIR] [--from D] [--to D] [--step S] [--at D]…
//! [--size WxH] [--svg]`: the main job. Writes the metrics, every chart and `index.html` into
//! the output folder (default `output/<dataset name>`), each file atomically, and prints the
//! paths written and the page to open. Nothing in the folder is deleted.

use super::input::{self, DataArgs};
use super::metrics::date_flag;
use crate::date::Step;
use crate::error::{Error, Result};
use crate::plot::{Format, Size};
use crate::report::{self, names};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output folder; default: output/<dataset name> (made safe as a file name).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// First date of the series (YYYY-MM-DD); default: the first event's date.
    #[arg(long)]
    pub from: Option<String>,
    /// Last date of the series; default: the last event's date.
    #[arg(long)]
    pub to: Option<String>,
    /// Step between dates: Nd, Nw, Nm or Ny.
    #[arg(long, default_value = "1m")]
    pub step: String,
    /// A key date for network and heatmap charts (repeatable); default: the date before the
    /// largest change of the series. The last date is always drawn.
    #[arg(long = "at", value_name = "DATE")]
    pub at: Vec<String>,
    /// Chart size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x900")]
    pub size: String,
    /// Write the charts as SVG instead of PNG.
    #[arg(long)]
    pub svg: bool,
}

pub fn run(args: Args) -> Result<()> {
    let step = Step::parse(&args.step).map_err(|e| Error::Usage(format!("--step: {e}")))?;
    let from = date_flag("--from", args.from.as_deref())?;
    let to = date_flag("--to", args.to.as_deref())?;
    let at = args
        .at
        .iter()
        .map(|s| date_flag("--at", Some(s)).map(|d| d.into_iter().collect::<Vec<_>>()))
        .collect::<Result<Vec<_>>>()?
        .concat();
    let size = Size::parse(&args.size).map_err(|e| Error::Usage(format!("--size: {e}")))?;
    let l = input::load(&args.data)?;
    let opts = report::Options {
        from,
        to,
        step,
        at,
        size,
        format: if args.svg { Format::Svg } else { Format::Png },
    };
    let dir = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join(names::sanitize(&l.dataset.name)));
    let built = report::build(&l.dataset, &l.timeline, &opts, &l.label)?;
    let written = report::write(&dir, &built)?;
    let mut out = String::new();
    for p in &written {
        out.push_str(&format!("{}\n", p.display()));
    }
    out.push_str(&format!("open {}\n", dir.join(&built.open).display()));
    crate::output::print(&out)
}
