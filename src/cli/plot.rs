//! `entente plot timeline|members|network|heatmap|similarity [FILE] [--ties F]… -o PATH [options]`: one
//! chart to a PNG or an SVG (chosen by the path's extension, or `--svg`), written atomically.
//!
//! - `timeline`: `--metric M` (default `mean_tie`) of each alliance (`--alliance ID`… to choose)
//!   over `--from/--to/--step`, with the noted events.
//! - `members`: the alignment of each member of `--alliance ID` over the same series.
//! - `network`: the graph at `--date D` (default: the last event's date), nodes coloured by
//!   `--blocs positive` (Louvain on the positive ties, the default) or `--blocs signed`.
//! - `heatmap`: the tie weights at `--date D`; with `--vs D0`, their change from D0 to D; states
//!   grouped by `--blocs` as for `network`.
//! - `alluvial`: bloc membership over `--from/--to/--step` (`--blocs signed`, the default, or
//!   `positive`), with the labels `entente blocs` prints; `--state ID`… to show only some
//!   states. Prints the bloc switches it draws after the file name.
//! - `similarity`: the portfolio similarity (`--measure s|s_sq|pearson`) at `--date D`, grouped
//!   by bloc like the heatmap.
//!
//! `--style paper` draws no title and marks events with numbered ticks; for `timeline` and
//! `members` the key of those numbers goes to a text file beside the chart (`fig.png` →
//! `fig.key.txt`, one `N  YYYY-MM-DD  note` line per event) for the figure's caption. On a
//! terminal, a progress bar on standard error follows the series (never in a pipe).

use super::alliances;
use super::args::{self, ChartArgs, SeriesArgs};
use super::input::{self, DataArgs};
use super::progress::ProgressBar;
use chrono::NaiveDate;
use entente::date::fmt_date;
use entente::error::{Error, Result};
use entente::limits::{self, GraphSize};
use entente::metrics;
use entente::plot::{self, Format, KeyItem, Size, Style};
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
    /// Bloc membership over time: which states move between blocs, and when.
    Alluvial,
}

/// Which blocs colour or group the states (`--blocs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BlocsArg {
    /// Louvain on the positive ties only.
    Positive,
    /// Signed modularity: negative ties pull states apart.
    Signed,
}

impl BlocsArg {
    fn kind(self) -> charts::BlocKind {
        match self {
            BlocsArg::Positive => charts::BlocKind::Positive,
            BlocsArg::Signed => charts::BlocKind::Signed,
        }
    }
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
    /// network, heatmap, alluvial: which blocs colour and group the states; default: positive
    /// for network and heatmap, signed for alluvial.
    #[arg(long, value_enum, value_name = "KIND")]
    pub blocs: Option<BlocsArg>,
    /// alluvial: only these states (repeatable; a state id, or a name, any case).
    #[arg(long = "state", value_name = "ID")]
    pub states: Vec<String>,
    #[command(flatten)]
    pub chart: ChartArgs,
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
    size: Size,
    style: Style,
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
        let (size, style) = args.chart.resolve()?;
        Ok(Settings {
            args,
            metric,
            format,
            size,
            style,
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

/// The flags of `given` that were given, by name: `[(true, "--date"), (false, "--vs")]` →
/// `["--date"]`.
fn given<'a>(flags: &[(bool, &'a str)]) -> Vec<&'a str> {
    flags
        .iter()
        .filter(|(given, _)| *given)
        .map(|(_, name)| *name)
        .collect()
}

/// Refuses flags that do not apply to the chart kind, naming them.
fn check_flags(args: &Args) -> Result<()> {
    let series = args.series.given();
    let blocs = args.blocs.is_some();
    let states = !args.states.is_empty();
    let bad = match args.kind {
        Kind::Timeline => given(&[
            (args.date.is_some(), "--date"),
            (args.vs.is_some(), "--vs"),
            (blocs, "--blocs"),
            (states, "--state"),
        ]),
        Kind::Members => given(&[
            (args.metric.is_some(), "--metric"),
            (args.date.is_some(), "--date"),
            (args.vs.is_some(), "--vs"),
            (blocs, "--blocs"),
            (states, "--state"),
        ]),
        Kind::Network | Kind::Heatmap | Kind::Similarity => given(&[
            (args.metric.is_some(), "--metric"),
            (!args.alliances.is_empty(), "--alliance"),
            (series, "--from/--to/--step"),
            (args.kind != Kind::Heatmap && args.vs.is_some(), "--vs"),
            (args.kind == Kind::Similarity && blocs, "--blocs"),
            (states, "--state"),
        ]),
        Kind::Alluvial => given(&[
            (args.metric.is_some(), "--metric"),
            (!args.alliances.is_empty(), "--alliance"),
            (args.date.is_some(), "--date"),
            (args.vs.is_some(), "--vs"),
        ]),
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
        Kind::Alluvial => "alluvial",
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
        size,
        style,
    } = Settings::new(args)?;
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
    let series = |dates: &[NaiveDate], only: Option<&[usize]>| {
        let bar = ProgressBar::new("plot", dates.len());
        let points = metrics::series_with_progress(ds, tl, dates, only, &|done| bar.set(done));
        bar.finish();
        points
    };
    // The chart's bytes, and the key of its event numbers for a paper timeline or members chart.
    let (bytes, key): (Vec<u8>, Option<Vec<KeyItem>>) = match args.kind {
        Kind::Timeline => {
            let dates = args.series.dates(tl, &l.label)?;
            limits::check_metrics(GraphSize::bound(ds, tl), "the chart's metrics")?;
            let points = series(&dates, filter.as_deref());
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
            let key = style.is_paper().then(|| chart.event_key());
            (plot::render_styled(&chart, size, format, style)?, key)
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
            let points = series(&dates, Some(&[a]));
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
            let key = style.is_paper().then(|| chart.event_key());
            (plot::render_styled(&chart, size, format, style)?, key)
        }
        Kind::Network | Kind::Heatmap => {
            let kind = args.blocs.unwrap_or(BlocsArg::Positive).kind();
            let snap = tl.snapshot(at()?);
            let graph = GraphSize::of_snapshot(&snap);
            if args.kind == Kind::Network {
                limits::check_network(graph)?;
            }
            limits::check_metrics(graph, "the chart's metrics")?;
            let m = chart_metrics(&snap, kind)?;
            let colors =
                charts::BlocColors::new(&m.graph.group_ids(ds, kind.key()).unwrap_or_default());
            let bytes = match (args.kind, vs) {
                (Kind::Network, _) => plot::render_styled(
                    &charts::network_with(ds, &snap, &m.graph, &colors, kind),
                    size,
                    format,
                    style,
                )?,
                (_, Some(v)) => plot::render_styled(
                    &charts::change_heatmap_with(
                        ds,
                        &tl.snapshot(v),
                        &snap,
                        &m.graph,
                        &colors,
                        kind,
                    ),
                    size,
                    format,
                    style,
                )?,
                (_, None) => plot::render_styled(
                    &charts::heatmap_with(ds, &snap, &m.graph, &colors, kind),
                    size,
                    format,
                    style,
                )?,
            };
            (bytes, None)
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
            (plot::render_styled(&chart, size, format, style)?, None)
        }
        Kind::Alluvial => {
            let kind = args.blocs.unwrap_or(BlocsArg::Signed).kind();
            let (chart, texts) = alluvial(&args, &l, kind)?;
            let bytes = plot::render_styled(&chart, size, format, style)?;
            entente::output::write_atomic(&args.out, &bytes)?;
            let mut out = format!("{}\n", args.out.display());
            for t in texts {
                out.push_str(&t);
                out.push('\n');
            }
            return super::args::print_for_reading(&out);
        }
    };
    entente::output::write_atomic(&args.out, &bytes)?;
    let mut printed = format!("{}\n", args.out.display());
    if let Some(key) = key {
        let path = key_path(&args.out);
        entente::output::write_atomic(&path, key_text(&key).as_bytes())?;
        printed.push_str(&format!("{}\n", path.display()));
    }
    super::args::print_for_reading(&printed)
}

/// Where the event key of a paper chart goes: beside the chart, `fig.png` → `fig.key.txt`.
fn key_path(out: &Path) -> PathBuf {
    out.with_extension("key.txt")
}

/// The event key as text: one `N  YYYY-MM-DD  note` line per event (none when no event is in
/// the chart's range).
fn key_text(key: &[KeyItem]) -> String {
    key.iter()
        .map(|k| format!("{}  {}  {}\n", k.num, fmt_date(k.date), k.note))
        .collect()
}

/// `plot alluvial`: the blocs of `kind` at each date of the series, labelled as `entente blocs`
/// labels them (bloc dynamics), for all states or those of `--state`; the chart, and the text
/// of each switch it draws (printed after the file name).
fn alluvial(
    args: &Args,
    l: &input::Loaded,
    kind: charts::BlocKind,
) -> Result<(plot::AlluvialChart, Vec<String>)> {
    let (ds, tl) = (&l.dataset, &l.timeline);
    let rows: Vec<usize> = if args.states.is_empty() {
        (0..ds.states.len()).collect()
    } else {
        super::states::resolve_all(ds, "--state", &args.states, &l.label)?
    };
    let dates = args.series.dates(tl, &l.label)?;
    let a = charts::Alluvial::of(tl, &dates, kind)?;
    let chart = a.chart(ds, &rows);
    let columns = chart.columns().len();
    if columns > charts::MAX_ALLUVIAL_COLUMNS {
        return Err(Error::Usage(format!(
            "plot alluvial: the shown states change bloc often enough to need {columns} columns, \
             more than the {} a chart can show: narrow --from/--to, use a longer --step, or \
             choose states with --state",
            charts::MAX_ALLUVIAL_COLUMNS
        )));
    }
    let texts: Vec<String> = a
        .dynamics
        .switches
        .iter()
        .filter(|sw| rows.contains(&sw.state))
        .map(|sw| super::blocs::switch_text(ds, &a.series, &a.dynamics, sw))
        .collect();
    Ok((chart, texts))
}

/// The graph metrics a network or heatmap chart of `kind` blocs shows, and no others (the
/// Fiedler value and frustration cost far more than the chart on large graphs).
fn chart_metrics(
    snap: &entente::model::Snapshot,
    kind: charts::BlocKind,
) -> Result<metrics::SnapshotMetrics> {
    let selection = metrics::Selection::of(kind.chart_metrics())
        .map_err(|e| Error::Internal(format!("the catalogue lacks a chart metric: {e}")))?;
    Ok(metrics::compute_selected(snap, Some(&[]), &selection))
}
