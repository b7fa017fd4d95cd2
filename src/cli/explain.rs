//! `entente explain [FILE] --metric M [--alliance A] [--state S] --from D1 --to D2 [--by …]
//! [--method leave-one-out|shapley] [--samples N] [--seed S] [--top 15] [--format …]
//! [--plot PATH]`: which events made a metric move between two dates (docs/explain.md).

use super::alliances;
use super::args::{self, OutputArg};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::date::fmt_date;
use entente::error::{Error, Result};
use entente::explain::{self, format as fmt, By, Explanation, Input, Quantity};
use entente::metrics::catalogue::{self, Scope, CATALOGUE};
use entente::plot::{Size, WaterfallChart};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// The metric explained (a key of `entente metrics`, e.g. mean_tie).
    #[arg(long)]
    pub metric: String,
    /// The alliance, for alliance and per-member metrics (an id, a name, or an ATOP number).
    #[arg(long, value_name = "ID")]
    pub alliance: Option<String>,
    /// The member state, for per-member metrics (alignment).
    #[arg(long, value_name = "ID")]
    pub state: Option<String>,
    /// The earlier date (YYYY-MM-DD).
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub from: NaiveDate,
    /// The later date (YYYY-MM-DD); Δ = value at --to − value at --from.
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub to: NaiveDate,
    /// How events are grouped.
    #[arg(long, value_enum, default_value = "event")]
    pub by: ByArg,
    /// With --by tag: an event with several tags belongs to each of their groups (default: to
    /// its first tag's only).
    #[arg(long)]
    pub multi: bool,
    /// Attribution method.
    #[arg(long, value_enum, default_value = "leave-one-out")]
    pub method: Method,
    /// shapley: how many random orders of the groups are sampled.
    #[arg(long, default_value_t = 200, value_parser = args::count::<usize>, allow_negative_numbers = true)]
    pub samples: usize,
    /// shapley: the seed of the random orders (same seed, same result).
    #[arg(long, default_value_t = 0, value_parser = args::count::<u64>, allow_negative_numbers = true)]
    pub seed: u64,
    /// How many groups the table and the chart show (the JSON and CSV list every group).
    #[arg(long, default_value_t = 15, value_parser = args::count::<usize>, allow_negative_numbers = true)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: TextFormat,
    /// Also draw the waterfall chart here (.png or .svg).
    #[arg(long, value_name = "PATH")]
    pub plot: Option<PathBuf>,
    /// Size of the chart in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x900", value_parser = args::size)]
    pub size: Size,
    #[command(flatten)]
    pub output: OutputArg,
}

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    Event,
    Tag,
    Kind,
    Alliance,
    Source,
}

/// `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Δ − Δ without the group, with the interaction residual.
    LeaveOneOut,
    /// Permutation-sampled Shapley values (they sum to Δ), with standard errors.
    Shapley,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextFormat {
    Table,
    Json,
    Csv,
}

impl From<ByArg> for By {
    fn from(b: ByArg) -> By {
        match b {
            ByArg::Event => By::Event,
            ByArg::Tag => By::Tag,
            ByArg::Kind => By::Kind,
            ByArg::Alliance => By::Alliance,
            ByArg::Source => By::Source,
        }
    }
}

pub fn run(args: Args) -> Result<()> {
    if args.from > args.to {
        return Err(Error::Usage(format!(
            "--from {} is after --to {}",
            fmt_date(args.from),
            fmt_date(args.to)
        )));
    }
    if args.multi && args.by != ByArg::Tag {
        return Err(Error::Usage("--multi applies only to --by tag".into()));
    }
    if args.method == Method::Shapley && args.samples == 0 {
        return Err(Error::Usage(
            "--samples: give at least 1 permutation".into(),
        ));
    }
    let plot_format = match &args.plot {
        Some(p) => Some(super::plot::image_format(p, false)?),
        None => None,
    };
    input::no_half_life(&args.data, "explain")?;
    let inputs = input::read(&args.data)?;
    let ds = &inputs.dataset;
    let alliance = match &args.alliance {
        Some(a) => alliances::filter(ds, std::slice::from_ref(a))?.and_then(|v| v.first().copied()),
        None => None,
    };
    let state = match &args.state {
        Some(s) => Some(super::states::resolve(ds, "--state", s, &inputs.label)?),
        None => None,
    };
    let quantity = quantity(&args.metric, alliance, state)?;
    let input = Input {
        dataset: ds,
        tie_files: &inputs.tie_files,
    };
    let by = By::from(args.by);
    let groups = explain::groups(input, by, args.to, args.multi);
    let x = match args.method {
        Method::LeaveOneOut => explain::leave_one_out(input, quantity, args.from, args.to, &groups),
        Method::Shapley => explain::shapley(
            input,
            quantity,
            args.from,
            args.to,
            &groups,
            args.samples,
            args.seed,
        ),
    }
    .map_err(|e| Error::Usage(e.to_string()))?;

    // The chart first: a failure leaves no text output behind either.
    if let (Some(path), Some(format)) = (&args.plot, plot_format) {
        let chart = waterfall(&x, ds, &quantity, by, args.top);
        let bytes = entente::plot::render(&chart, args.size, format)?;
        entente::output::write_atomic(path, &bytes)?;
    }
    match args.format {
        TextFormat::Table => {
            args.output
                .print_for_reading(&fmt::table(&x, ds, &quantity, by.name(), args.top))
        }
        TextFormat::Json => args.output.print(&fmt::json(&x, ds, &quantity)),
        TextFormat::Csv => args.output.print(&fmt::csv(&x)),
    }
}

/// The metric named by `--metric` in the scope the flags give.
fn quantity(key: &str, alliance: Option<usize>, state: Option<usize>) -> Result<Quantity> {
    let scope = match (alliance, state) {
        (_, Some(_)) => Scope::State,
        (Some(_), None) => Scope::Alliance,
        (None, None) => Scope::Graph,
    };
    let metric = catalogue::find(scope, key)
        .or_else(|| CATALOGUE.iter().find(|m| m.key == key))
        .ok_or_else(|| {
            let mut known: Vec<&str> = CATALOGUE
                .iter()
                .filter(|m| m.is_numeric() || m.kind == catalogue::Kind::PerState)
                .map(|m| m.key)
                .collect();
            known.sort_unstable();
            known.dedup();
            Error::Usage(format!(
                "--metric: unknown metric {key:?} (known: {})",
                known.join(", ")
            ))
        })?;
    Quantity::new(metric, alliance, state).map_err(|e| Error::Usage(format!("--metric: {e}")))
}

/// The waterfall of an explanation: the `top` largest groups, the rest as "other", the residual
/// when it is not negligible.
fn waterfall(
    x: &Explanation,
    ds: &entente::dataset::Dataset,
    q: &Quantity,
    by: By,
    top: usize,
) -> WaterfallChart {
    let scope = match (q.alliance, q.state) {
        (Some(a), Some(s)) => format!("{} / {}: ", ds.alliances[a].id, ds.states[s].id),
        (Some(a), None) => format!("{}: ", ds.alliances[a].id),
        _ => String::new(),
    };
    let mut steps: Vec<(String, f64)> = x
        .contributions
        .iter()
        .take(top)
        .map(|c| (c.label.clone(), c.contribution))
        .collect();
    let rest = &x.contributions[top.min(x.contributions.len())..];
    if !rest.is_empty() {
        steps.push((
            format!("other ({} groups)", rest.len()),
            rest.iter().map(|c| c.contribution).sum(),
        ));
    }
    let method = match x.samples {
        Some(n) => format!("Shapley values ({n} permutations)"),
        None => "leave-one-out contributions".to_string(),
    };
    WaterfallChart {
        title: format!(
            "{scope}why {} moved, {} → {}",
            q.metric.title,
            fmt_date(x.from),
            fmt_date(x.to)
        ),
        subtitle: format!(
            "{:.3} → {:.3} (Δ {}): {method} of {} groups by {}",
            x.value_from,
            x.value_to,
            format!("{:+.3}", x.delta).replace('-', "\u{2212}"),
            x.contributions.len(),
            by.name()
        ),
        start_label: format!("value on {}", fmt_date(x.from)),
        start: x.value_from,
        steps,
        residual: (x.residual.abs() > 1e-12).then_some(x.residual),
        end_label: format!("value on {}", fmt_date(x.to)),
        end: x.value_to,
        value_label: q.metric.title.to_string(),
    }
}
