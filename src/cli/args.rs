//! Flag groups and value parsers shared by the commands: the series range `--from/--to/--step`,
//! the output path `-o/--output`, the chart look `--size/--style/--width-in/--dpi`, and the parsers that turn flag text into typed values
//! (dates, steps, picture sizes, counts). A value that does not parse is refused by clap with
//! our typed error, which [`super::run`] words as `--flag: message` with exit status 2.

use chrono::NaiveDate;
use entente::date::{checked_series_dates, fmt_date, try_parse_date, DateError, Step};
use entente::error::{Error, Result};
use entente::model::Timeline;
use entente::plot::{paper_size, Size, Style};
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

/// Parses a `--width-in` value: a width in inches, more than 0 and at most 100.
pub fn inches(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 100.0 => Ok(v),
        _ => Err(format!(
            "expected a width in inches greater than 0 and at most 100, e.g. 6.5, found {s:?}"
        )),
    }
}

/// Parses a `--dpi` value: dots per inch, 50 to 2400.
pub fn dpi(s: &str) -> std::result::Result<u32, String> {
    match s.parse::<u32>() {
        Ok(v) if (50..=2400).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected a resolution in dots per inch from 50 to 2400, e.g. 300, found {s:?}"
        )),
    }
}

/// The look of a chart: for a screen or for a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum StyleArg {
    /// Title, subtitle, event flags and their key in the picture.
    #[default]
    Screen,
    /// No title or subtitle, events as numbered ticks with the key outside the picture, text
    /// in points for the print size.
    Paper,
}

/// `--size`, `--style`, `--width-in`, `--dpi`: the picture's size and look.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ChartArgs {
    /// Picture size in pixels, WIDTHxHEIGHT; default 1600x900 (or --width-in at --dpi).
    #[arg(long, value_parser = size, conflicts_with = "width_in")]
    pub size: Option<Size>,
    /// screen, or paper: no title (it goes in the caption), events as numbered ticks with the
    /// key outside the picture, text in points (at least 8 pt) for --dpi; default size 6.5 in
    /// at 300 dpi.
    #[arg(long, value_enum, default_value = "screen")]
    pub style: StyleArg,
    /// Picture width in inches, instead of --size (the height is 9/16 of it), e.g. 6.5 for a
    /// one-column figure.
    #[arg(long, value_name = "INCHES", value_parser = inches)]
    pub width_in: Option<f64>,
    /// Print resolution in dots per inch for --width-in and --style paper; default 300.
    #[arg(long, value_name = "DPI", value_parser = dpi)]
    pub dpi: Option<u32>,
}

impl ChartArgs {
    /// The default width of a paper chart, in inches (one text column).
    pub const PAPER_WIDTH_IN: f64 = 6.5;
    /// The default print resolution.
    pub const DPI: u32 = 300;

    /// The picture's size in pixels and its style. `--dpi` alone on a screen chart is refused:
    /// it would change nothing.
    pub fn resolve(&self) -> Result<(Size, Style)> {
        let paper = self.style == StyleArg::Paper;
        if !paper && self.width_in.is_none() && self.dpi.is_some() {
            return Err(Error::Usage(
                "--dpi needs --width-in or --style paper (a screen chart in pixels has no \
                 resolution; use --size)"
                    .into(),
            ));
        }
        let dpi = self.dpi.unwrap_or(Self::DPI);
        let size = match (self.size, self.width_in) {
            (Some(s), _) => s,
            (None, Some(w)) => {
                paper_size(w, dpi).map_err(|e| Error::Usage(format!("--width-in: {e}")))?
            }
            (None, None) if paper => paper_size(Self::PAPER_WIDTH_IN, dpi)
                .map_err(|e| Error::Usage(format!("--dpi: {e}")))?,
            (None, None) => Size::DEFAULT,
        };
        let style = if paper {
            Style::Paper { dpi }
        } else {
            Style::Screen
        };
        Ok((size, style))
    }
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

    /// Writes text for reading (a table, a summary line) like [`OutputArg::print`], with the
    /// control and bidirectional formatting characters of dataset strings escaped
    /// ([`entente::base::text::for_terminal`]): a name holding ESC or U+202E must not restyle or
    /// reorder the user's terminal. JSON and CSV go through `print` or `emit`, unchanged.
    pub fn print_for_reading(&self, text: &str) -> Result<()> {
        self.print(&entente::base::text::for_terminal(text))
    }
}

/// Prints text for reading on standard output (the paths a command wrote, a summary line),
/// escaped for the terminal like [`OutputArg::print_for_reading`]: a path is the user's, but it
/// may come from a script or an archive and hold ESC.
pub fn print_for_reading(text: &str) -> Result<()> {
    entente::output::print(&entente::base::text::for_terminal(text))
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

    #[test]
    fn chart_args_resolve_sizes_and_styles() {
        let screen = ChartArgs::default();
        assert_eq!(screen.resolve().unwrap(), (Size::DEFAULT, Style::Screen));
        let paper = ChartArgs {
            style: StyleArg::Paper,
            ..ChartArgs::default()
        };
        assert_eq!(
            paper.resolve().unwrap(),
            (Size::new(1950, 1097).unwrap(), Style::Paper { dpi: 300 })
        );
        let by_inches = ChartArgs {
            width_in: Some(3.25),
            dpi: Some(600),
            ..ChartArgs::default()
        };
        assert_eq!(
            by_inches.resolve().unwrap(),
            (Size::new(1950, 1097).unwrap(), Style::Screen)
        );
        let dpi_alone = ChartArgs {
            dpi: Some(300),
            ..ChartArgs::default()
        };
        assert!(dpi_alone.resolve().is_err());
        let too_wide = ChartArgs {
            width_in: Some(40.0),
            dpi: Some(600),
            ..ChartArgs::default()
        };
        assert!(too_wide
            .resolve()
            .unwrap_err()
            .to_string()
            .contains("--width-in"));
        assert!(inches("0").is_err() && inches("-1").is_err() && inches("nan").is_err());
        assert_eq!(inches("6.5"), Ok(6.5));
        assert!(dpi("10").is_err() && dpi("x").is_err());
    }
}
