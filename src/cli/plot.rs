//! `entente plot timeline|members|network|heatmap|similarity [FILE] [--ties F]… -o PATH [options]`: one
//! chart to a PNG or an SVG (chosen by the path's extension, or `--svg`), written atomically.
//!
//! - `timeline`: `--metric M` (default `mean_tie`) of each alliance (`--alliance ID`… to choose)
//!   over `--from/--to/--step`, with the noted events.
//! - `members`: the alignment of each member of `--alliance ID` over the same series.
//! - `network`: the graph at `--date D` (default: the last event's date).
//! - `heatmap`: the tie weights at `--date D`; with `--vs D0`, their change from D0 to D.
//! - `similarity`: the portfolio similarity (`--measure s|s_sq|pearson`) at `--date D`, grouped
//!   by bloc like the heatmap.

use super::alliances;
use super::args::{self, SeriesArgs};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::date::fmt_date;
use entente::error::{Error, Result};
use entente::limits::{self, GraphSize};
use entente::metrics;
use entente::plot::{self, Format, Size};
use entente::report::charts::{self, MetricInfo};
use std::path::{Path, PathBuf};

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
    /// The portfolio-similarity matrix at a date (--measure s|s_sq|pearson).
    Similarity,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which chart.
    #[arg(value_enum)]
    pub kind: Kind,
    #[command(flatten)]
    pub data: DataArgs,
    /// Output file: `.png` or `.svg` (the extension chooses the format).
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "out",
        value_name = "PATH"
    )]
    pub out: PathBuf,
    /// timeline: the alliance metric to draw (mean_tie, members, suspended, density, min_tie,
    /// clustering, balance, ei_index, fiedler).
    #[arg(long)]
    pub metric: Option<String>,
    /// timeline: only these alliances (repeatable); members: the alliance. An id, a name, or an
    /// ATOP number.
    #[arg(long = "alliance", value_name = "ID")]
    pub alliances: Vec<String>,
    /// timeline, members: the series.
    #[command(flatten)]
    pub series: SeriesArgs,
    /// similarity: the measure.
    #[arg(long, value_enum, default_value = "s")]
    pub measure: super::similarity::MeasureArg,
    /// network, heatmap, similarity: the date; default: the last event's date.
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub date: Option<NaiveDate>,
    /// heatmap: draw the change from this date to --date.
    #[arg(long, value_name = "DATE", value_parser = args::date, allow_negative_numbers = true)]
    pub vs: Option<NaiveDate>,
    /// Picture size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x900", value_parser = args::size)]
    pub size: Size,
    /// Write SVG instead of PNG (an output path ending in .svg does so too).
    #[arg(long)]
    pub svg: bool,
}

/// What `plot` was asked to draw, checked: the flags that apply to the chart kind, the metric
/// looked up, the image format settled with the output path.
struct Settings {
    args: Args,
    metric: &'static MetricInfo,
    format: Format,
}

impl Settings {
    fn new(args: Args) -> Result<Settings> {
        check_flags(&args)?;
        let metric = charts::metric(
            args.metric
                .as_deref()
                .unwrap_or(entente::metrics::catalogue::HEADLINE),
        )
        .ok_or_else(|| {
            let known: Vec<&str> = charts::charted_metrics().iter().map(|m| m.key).collect();
            Error::Usage(format!(
                "--metric: unknown alliance metric {:?} (known: {})",
                args.metric.as_deref().unwrap_or(""),
                known.join(", ")
            ))
        })?;
        let format = image_format(&args.out, args.svg)?;
        Ok(Settings {
            args,
            metric,
            format,
        })
    }
}

/// The image format for an output path: its extension (`.png`, `.svg`, any case) decides; a
/// path without one follows `--svg`. An unknown extension, or `.png` with `--svg`, is refused
/// naming the path.
pub(super) fn image_format(path: &Path, svg: bool) -> Result<Format> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match (ext.as_deref(), svg) {
        (None, false) => Ok(Format::Png),
        (None, true) | (Some("svg"), _) => Ok(Format::Svg),
        (Some("png"), false) => Ok(Format::Png),
        (Some("png"), true) => Err(Error::Usage(format!(
            "{}: --svg asks for SVG but the file name ends in .png: use a .svg name or drop --svg",
            path.display()
        ))),
        (Some(other), _) => Err(Error::Usage(format!(
            "{}: unknown image extension .{other}: use .png or .svg",
            path.display()
        ))),
    }
}

/// Refuses flags that do not apply to the chart kind, naming them.
fn check_flags(args: &Args) -> Result<()> {
    let series = args.series.given();
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
        Kind::Network | Kind::Heatmap | Kind::Similarity => [
            (args.metric.is_some(), "--metric"),
            (!args.alliances.is_empty(), "--alliance"),
            (series, "--from/--to/--step"),
            (args.kind != Kind::Heatmap && args.vs.is_some(), "--vs"),
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
        Kind::Similarity => "similarity",
    };
    Err(Error::Usage(format!(
        "{} does not apply to `plot {kind}`",
        bad.join(", ")
    )))
}

pub fn run(args: Args) -> Result<()> {
    let Settings {
        args,
        metric: info,
        format,
    } = Settings::new(args)?;
    let size = args.size;
    let (date, vs) = (args.date, args.vs);
    let l = input::load(&args.data)?;
    let (ds, tl) = (&l.dataset, &l.timeline);
    let filter = alliances::filter(ds, &args.alliances)?;
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
            let dates = args.series.dates(tl, &l.label)?;
            limits::check_metrics(GraphSize::bound(ds, tl), "the chart's metrics")?;
            let points = metrics::series(ds, tl, &dates, filter.as_deref());
            let chart =
                charts::timeline(ds, &points, info, filter.as_deref(), &charts::markers(ds));
            if chart.series.is_empty() {
                diag!(
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
            let dates = args.series.dates(tl, &l.label)?;
            limits::check_metrics(GraphSize::bound(ds, tl), "the chart's metrics")?;
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
            let graph = GraphSize::of_snapshot(&snap);
            limits::check_network(graph)?;
            limits::check_metrics(graph, "the chart's metrics")?;
            let m = metrics::compute(ds, &snap);
            let colors =
                charts::BlocColors::new(&m.graph.group_ids(ds, "blocs").unwrap_or_default());
            plot::render(&charts::network(ds, &snap, &m.graph, &colors), size, format)?
        }
        Kind::Heatmap => {
            let snap = tl.snapshot(at()?);
            limits::check_metrics(GraphSize::of_snapshot(&snap), "the chart's metrics")?;
            let m = metrics::compute(ds, &snap);
            let colors =
                charts::BlocColors::new(&m.graph.group_ids(ds, "blocs").unwrap_or_default());
            let chart = match vs {
                Some(v) => charts::change_heatmap(ds, &tl.snapshot(v), &snap, &m.graph, &colors),
                None => charts::heatmap(ds, &snap, &m.graph, &colors),
            };
            plot::render(&chart, size, format)?
        }
        Kind::Similarity => {
            let snap = tl.snapshot(at()?);
            limits::check_metrics(GraphSize::of_snapshot(&snap), "the chart's metrics")?;
            let m = metrics::compute(ds, &snap);
            let colors =
                charts::BlocColors::new(&m.graph.group_ids(ds, "blocs").unwrap_or_default());
            let measure = super::similarity::measure(args.measure);
            let sim = metrics::similarity::matrix(metrics::View::from(&snap), measure);
            let chart = plot::similarity::similarity_chart(
                charts::heatmap(ds, &snap, &m.graph, &colors),
                &ds.name,
                &fmt_date(snap.date),
                measure.as_str(),
                &sim,
            );
            plot::render(&chart, size, format)?
        }
    };
    entente::output::write_atomic(&args.out, &bytes)?;
    entente::output::print(&format!("{}\n", args.out.display()))
}
