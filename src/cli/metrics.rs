//! `entente metrics [FILE] [--from D] [--to D] [--step 1m] [--alliance ID]… [--format
//! json|csv|table]`: the cohesion metrics at each date of a series.

use super::input::{self, DataArgs};
use super::progress::Progress;
use crate::dataset::Dataset;
use crate::date::{checked_series_dates, parse_date, Step};
use crate::error::{Error, Result};
use crate::format::metrics as fmt;
use crate::metrics;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Table,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// First date of the series (YYYY-MM-DD); default: the first event's date.
    #[arg(long)]
    pub from: Option<String>,
    /// Last date of the series, included when the steps land on it; default: the last event's
    /// date.
    #[arg(long)]
    pub to: Option<String>,
    /// Step between dates: Nd, Nw, Nm or Ny (months and years counted from --from, clamped to
    /// the month's last day).
    #[arg(long, default_value = "1m")]
    pub step: String,
    /// Only this alliance (repeatable); default: every alliance.
    #[arg(long = "alliance", value_name = "ID")]
    pub alliances: Vec<String>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
}

/// Parses an optional date flag.
pub fn date_flag(flag: &str, v: Option<&str>) -> Result<Option<NaiveDate>> {
    v.map(|s| parse_date(s).map_err(|e| Error::Usage(format!("{flag}: {e}"))))
        .transpose()
}

/// Resolves `--alliance` ids to dataset indices; an unknown id is a usage error naming it.
pub fn alliance_filter(ds: &Dataset, ids: &[String]) -> Result<Option<Vec<usize>>> {
    if ids.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match ds.alliance_index(id) {
            Some(i) => out.push(i),
            None => {
                let known: Vec<&str> = ds.alliances.iter().map(|a| a.id.as_str()).collect();
                return Err(Error::Usage(format!(
                    "--alliance: unknown alliance id {id:?} (known: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
    }
    Ok(Some(out))
}

pub fn run(args: Args) -> Result<()> {
    let step = Step::parse(&args.step).map_err(|e| Error::Usage(format!("--step: {e}")))?;
    let from = date_flag("--from", args.from.as_deref())?;
    let to = date_flag("--to", args.to.as_deref())?;
    let l = input::load(&args.data)?;
    let filter = alliance_filter(&l.dataset, &args.alliances)?;
    let span = l.timeline.date_span();
    let (from, to) = match (from.or(span.map(|s| s.0)), to.or(span.map(|s| s.1))) {
        (Some(f), Some(t)) => (f, t),
        _ => {
            return Err(Error::Usage(format!(
                "{}: the dataset has no events: give --from and --to",
                l.label
            )))
        }
    };
    if from > to {
        return Err(Error::Usage(format!(
            "--from {} is after --to {}",
            crate::date::fmt_date(from),
            crate::date::fmt_date(to)
        )));
    }
    let dates = checked_series_dates(from, to, step).map_err(Error::Usage)?;
    let bar = Progress::new("metrics", dates.len());
    let points = metrics::series_with_progress(
        &l.dataset,
        &l.timeline,
        &dates,
        filter.as_deref(),
        &|done| bar.set(done),
    );
    bar.finish();
    match args.format {
        Format::Json => crate::output::stream(|w| {
            serde_json::to_writer_pretty(
                &mut *w,
                &fmt::metrics_out(&l.dataset, from, to, step, &points),
            )?;
            writeln!(w)
        }),
        Format::Csv => crate::output::stream(|w| fmt::write_csv(&l.dataset, &points, w)),
        Format::Table => crate::output::print(&fmt::table(&l.dataset, from, to, step, &points)),
    }
}
