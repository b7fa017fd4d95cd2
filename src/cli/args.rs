//! Flag groups and value parsers shared by the commands: the series range `--from/--to/--step`,
//! the output path `-o/--output`, and the parsers that turn flag text into typed values
//! (dates, steps, picture sizes, counts). A value that does not parse is refused by clap with
//! our typed error, which [`super::run`] words as `--flag: message` with exit status 2.

use chrono::NaiveDate;
use entente::date::{checked_series_dates, fmt_date, try_parse_date, DateError, Step};
use entente::error::{Error, Result};
use entente::model::Timeline;
use entente::plot::Size;
use std::io::Write;
use std::path::PathBuf;
use std::str::FromStr;

/// Parses a `YYYY-MM-DD` flag value.
pub fn date(s: &str) -> std::result::Result<NaiveDate, DateError> {
    try_parse_date(s)
}

/// Parses a `WIDTHxHEIGHT` flag value.
pub fn size(s: &str) -> std::result::Result<Size, String> {
    Size::parse(s)
}

/// Parses a whole number of 0 or more; a negative one gets a message of its own instead of
/// clap's advice to write `-- -1` (which would turn the value into a file argument).
pub fn count<T: FromStr>(s: &str) -> std::result::Result<T, String> {
    s.parse().map_err(|_| {
        if s.starts_with('-') {
            format!("expected a whole number of 0 or more, found the negative {s:?}")
        } else {
            format!("expected a whole number of 0 or more, found {s:?}")
        }
    })
}

/// `--from/--to/--step`: the dates of a series.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SeriesArgs {
    /// First date of the series (YYYY-MM-DD); default: the first event's date.
    #[arg(long, value_name = "DATE", value_parser = date, allow_negative_numbers = true)]
    pub from: Option<NaiveDate>,
    /// Last date of the series, included when the steps land on it; default: the last event's
    /// date.
    #[arg(long, value_name = "DATE", value_parser = date, allow_negative_numbers = true)]
    pub to: Option<NaiveDate>,
    /// Step between dates: Nd, Nw, Nm or Ny (months and years counted from --from, clamped to
    /// the month's last day); default 1m.
    #[arg(long, value_name = "STEP", allow_hyphen_values = true)]
    pub step: Option<Step>,
}

impl SeriesArgs {
    /// The step, one month unless given.
    pub fn step(&self) -> Step {
        self.step.unwrap_or(Step::MONTH)
    }

    /// Whether any of the three flags was given.
    pub fn given(&self) -> bool {
        self.from.is_some() || self.to.is_some() || self.step.is_some()
    }

    /// The first and last date: the flags, else the span of the timeline's events. Refuses an
    /// empty dataset without both flags and a range that runs backwards.
    pub fn range(&self, timeline: &Timeline, label: &str) -> Result<(NaiveDate, NaiveDate)> {
        let span = timeline.date_span();
        let (Some(from), Some(to)) = (
            self.from.or(span.map(|s| s.0)),
            self.to.or(span.map(|s| s.1)),
        ) else {
            return Err(Error::Usage(format!(
                "{label}: the dataset has no events: give --from and --to"
            )));
        };
        if from > to {
            return Err(Error::Usage(format!(
                "--from {} is after --to {}",
                fmt_date(from),
                fmt_date(to)
            )));
        }
        Ok((from, to))
    }

    /// The dates `from, from + step, …` up to `to` (see [`SeriesArgs::range`]).
    pub fn dates(&self, timeline: &Timeline, label: &str) -> Result<Vec<NaiveDate>> {
        let (from, to) = self.range(timeline, label)?;
        checked_series_dates(from, to, self.step()).map_err(too_many)
    }
}

/// The refusal of a series with too many dates, pointing at the flags that shorten it.
pub fn too_many(message: String) -> Error {
    Error::Usage(format!("{message} (--step, --from, --to)"))
}

/// `-o/--output FILE` of the commands that write to standard output unless told otherwise.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArg {
    /// Write here (atomically) instead of standard output.
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "out",
        value_name = "FILE"
    )]
    pub output: Option<PathBuf>,
}

impl OutputArg {
    /// Writes to `-o FILE` atomically, or streams to standard output.
    pub fn emit(&self, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
        match self.output.as_deref() {
            Some(p) => entente::output::write_atomic_with(p, fill),
            None => entente::output::stream(fill),
        }
    }

    /// Writes `text` to `-o FILE` atomically, or prints it.
    pub fn print(&self, text: &str) -> Result<()> {
        match self.output.as_deref() {
            Some(p) => entente::output::write_atomic(p, text.as_bytes()),
            None => entente::output::print(text),
        }
    }
}

/// `--format json|table`: the output of `snapshot` and `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum JsonOrTable {
    /// Pretty-printed JSON.
    Json,
    /// A text table for reading.
    Table,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_refuse_negative_numbers_by_name() {
        assert_eq!(count::<usize>("12"), Ok(12));
        assert!(count::<usize>("-1")
            .unwrap_err()
            .contains("negative \"-1\""));
        assert!(count::<u64>("x").unwrap_err().contains("found \"x\""));
    }
}
