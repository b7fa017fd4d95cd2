//! `entente plot timeline|members|network|heatmap [FILE] [--ties F]… --out PATH [options]`: one
//! chart to a PNG (or SVG with `--svg`), written atomically.
//!
//! - `timeline`: `--metric M` (default `mean_tie`) of each alliance (`--alliance ID`… to choose)
//!   over `--from/--to/--step`, with the noted events.
//! - `members`: the alignment of each member of `--alliance ID` over the same series.
//! - `network`: the graph at `--date D` (default: the last event's date).
//! - `heatmap`: the tie weights at `--date D`; with `--vs D0`, their change from D0 to D.

use super::input::{self, DataArgs};
use super::metrics::{alliance_filter, date_flag};
use crate::date::{fmt_date, Step};
use crate::error::{Error, Result};
use crate::metrics;
use crate::plot::{self, Format, Size};
use crate::report::{self, charts};
use std::path::PathBuf;

/// The chart to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// One metric of each alliance over time.
    Timeline,
    /// Each member's alignment over time, for one alliance.
    Members,
    /// The network of ties at a date.
    Network,
    /// The matrix of tie weights at a date, or its change since --vs.
    Heatmap,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which chart.
    #[arg(value_enum)]
    pub kind: Kind,
    #[command(flatten)]
    pub data: DataArgs,
    /// Output file.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub out: PathBuf,
    /// timeline: the alliance metric to draw (mean_tie, members, suspended, density, min_tie,
    /// clustering, balance, ei_index, fiedler).
    #[arg(long)]
    pub metric: Option<String>,
    /// timeline: only these alliances (repeatable); members: the alliance.
    #[arg(long = "alliance", value_name = "ID")]
    pub alliances: Vec<String>,
    /// timeline, members: first date of the series; default: the first event's date.
    #[arg(long)]
    pub from: Option<String>,
    /// timeline, members: last date of the series; default: the last event's date.
    #[arg(long)]
    pub to: Option<String>,
    /// timeline, members: step between dates (Nd, Nw, Nm, Ny); default 1m.
    #[arg(long)]
    pub step: Option<String>,
    /// network, heatmap: the date; default: the last event's date.
    #[arg(long)]
    pub date: Option<String>,
    /// heatmap: draw the change from this date to --date.
    #[arg(long, value_name = "DATE")]
    pub vs: Option<String>,
    /// Picture size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x900")]
    pub size: String,
    /// Write SVG instead of PNG.
    #[arg(long)]
    pub svg: bool,
}

/// Refuses flags that do not apply to the chart kind, naming them.
fn check_flags(args: &Args) -> Result<()> {
    let series = args.from.is_some() || args.to.is_some() || args.step.is_some();
    let bad: Vec<&str> = match args.kind {
        Kind::Timeline => [(args.date.is_some(), "--date"), (args.vs.is_some(), "--vs")]
            .iter()
            .filter(|x| x.0)
            .map(|x| x.1)
            .collect(),
        Kind::Members => [
            (args.metric.is_some(), "--metric"),
            (args.date.is_some(), "--date"),
            (args.vs.is_some(), "--vs"),
        ]
        .iter()
        .filter(|x| x.0)
        .map(|x| x.1)
        .collect(),
        Kind::Network | Kind::Heatmap => [
            (args.metric.is_some(), "--metric"),
            (!args.alliances.is_empty(), "--alliance"),
            (series, "--from/--to/--step"),
            (args.kind == Kind::Network && args.vs.is_some(), "--vs"),
        ]
        .iter()
        .filter(|x| x.0)
        .map(|x| x.1)
        .collect(),
    };
    if bad.is_empty() {
        return Ok(());
    }
    let kind = match args.kind {
        Kind::Timeline => "timeline",
        Kind::Members => "members",
        Kind::Network => "network",
        Kind::Heatmap => "heatmap",
    };
    Err(Error::Usage(format!(
        "{} does not apply to `plot {kind}`",
        bad.join(", ")
    )))
}

pub fn run(args: Args) -> Result<()> {
    check_flags(&args)?;
    let size = Size::parse(&args.size).map_err(|e| Error::Usage(format!("--size: {e}")))?;
    let step = match &args.step {
        Some(s) => Step::parse(s).map_err(|e| Error::Usage(format!("--step: {e}")))?,
        None => Step::MONTH,
    };
    let from = date_flag("--from", args.from.as_deref())?;
    let to = date_flag("--to", args.to.as_deref())?;
    let date = date_flag("--date", args.date.as_deref())?;
    let vs = date_flag("--vs", args.vs.as_deref())?;
    let info = match &args.metric {
        None => charts::metric(crate::metrics::catalogue::HEADLINE),
        Some(m) => charts::metric(m),
    }
    .ok_or_else(|| {
        let known: Vec<&str> = charts::charted_metrics().iter().map(|m| m.key).collect();
        Error::Usage(format!(
            "--metric: unknown alliance metric {:?} (known: {})",
            args.metric.as_deref().unwrap_or(""),
            known.join(", ")
        ))
    })?;
    let format = if args.svg { Format::Svg } else { Format::Png };
    let l = input::load(&args.data)?;
    let (ds, tl) = (&l.dataset, &l.timeline);
    let filter = alliance_filter(ds, &args.alliances)?;
    let series_opts = report::Options {
        from,
        to,
        step,
        ..report::Options::default()
    };
    let at = || -> Result<chrono::NaiveDate> {
        date.or(tl.date_span().map(|s| s.1)).ok_or_else(|| {
            Error::Usage(format!(
                "{}: the dataset has no events: give --date",
                l.label
            ))
        })
    };
    let bytes = match args.kind {
        Kind::Timeline => {
            let dates = report::resolve_dates(tl, &series_opts, &l.label)?;
            let points = metrics::series(ds, tl, &dates, filter.as_deref());
            let chart =
                charts::timeline(ds, &points, info, filter.as_deref(), &charts::markers(ds));
            if chart.series.is_empty() {
                eprintln!(
                    "warning: no alliance has a value of {} between {} and {}",
                    info.key,
                    dates.first().map(|d| fmt_date(*d)).unwrap_or_default(),
                    dates.last().map(|d| fmt_date(*d)).unwrap_or_default()
                );
            }
            plot::render(&chart, size, format)?
        }
        Kind::Members => {
            let a = match filter.as_deref() {
                Some([a]) => *a,
                _ => {
                    let ids: Vec<&str> = ds.alliances.iter().map(|a| a.id.as_str()).collect();
                    return Err(Error::Usage(format!(
                        "plot members needs exactly one --alliance ID (alliances: {})",
                        if ids.is_empty() {
                            "none".to_string()
                        } else {
                            ids.join(", ")
                        }
                    )));
                }
            };
            let dates = report::resolve_dates(tl, &series_opts, &l.label)?;
            let points = metrics::series(ds, tl, &dates, Some(&[a]));
            let suspended: Vec<Vec<usize>> = charts::suspended_states(tl, &dates, &[a])
                .into_iter()
                .map(|mut v| v.pop().unwrap_or_default())
                .collect();
            let chart = charts::members(ds, &points, a, &suspended, &charts::markers(ds))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "{} has no members between {} and {}",
                        ds.alliances[a].id,
                        dates.first().map(|d| fmt_date(*d)).unwrap_or_default(),
                        dates.last().map(|d| fmt_date(*d)).unwrap_or_default()
                    ))
                })?;
            plot::render(&chart, size, format)?
        }
        Kind::Network => {
            let snap = tl.snapshot(at()?);
            let m = metrics::compute(ds, &snap);
            let colors =
                charts::BlocColors::new(&m.graph.group_ids(ds, "blocs").unwrap_or_default());
            plot::render(&charts::network(ds, &snap, &m.graph, &colors), size, format)?
        }
        Kind::Heatmap => {
            let snap = tl.snapshot(at()?);
            let m = metrics::compute(ds, &snap);
            let colors =
                charts::BlocColors::new(&m.graph.group_ids(ds, "blocs").unwrap_or_default());
            let chart = match vs {
                Some(v) => charts::change_heatmap(ds, &tl.snapshot(v), &snap, &m.graph, &colors),
                None => charts::heatmap(ds, &snap, &m.graph, &colors),
            };
            plot::render(&chart, size, format)?
        }
    };
    crate::output::write_atomic(&args.out, &bytes)?;
    crate::output::print(&format!("{}\n", args.out.display()))
}
