//! `import events`: raw event rows (GDELT 1.0/2.0, ICEWS, or a plain `date,source,target,score`
//! CSV) become tie events, one per unordered pair of states and period (docs/import.md).
//!
//! Rows are read one at a time and folded into per-(period, pair) sums, so memory grows with the
//! number of pairs and periods, not rows. A bad row is skipped and counted by reason; a file
//! whose rows mostly have the wrong shape is an error naming the file and its first bad line.
//!
//! Periods are aligned to the calendar: `Nm` periods start on the first of a month whose index
//! (year·12 + month − 1) is a multiple of N (so `1m` = calendar months, `3m` = quarters), `Ny` on
//! 1 January of a year that is a multiple of N, `Nd`/`Nw` on multiples of N days/weeks counted
//! from 0001-01-01 (a Monday, so weeks start on Mondays).
//!
//! Periods stay inside the dates a dataset can hold (0000-01-01 to 9999-12-31): a period longer
//! than 10,000 years is refused before any row is read ([`check_period`]), and a row whose `Nd`/`Nw`
//! period would start before 0000-01-01 (`1w` on 0000-01-01 starts on −0001-12-27) is an error
//! naming its line, the date and the period, instead of a tie dated where no dataset can follow.

use super::codes::{Matcher, SchemeMatcher};
use super::crosswalk::Match;
use super::text::{columns, show, split_csv, Lines};
use super::Progress;
use crate::dataset::Dataset;
use crate::date::{from_day, parse_date, to_day, Day, Step, StepUnit};
use crate::error::{Error, Result};
use crate::model::TieEvent;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// Which kind of event table is read: its layout (columns, header, separator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTable {
    /// GDELT 1.0 or 2.0 event table: tab-separated, no header, 57, 58 or 61 columns.
    Gdelt,
    /// ICEWS event table: tab-separated with a header.
    Icews,
    /// `date,source,target,score` with that header; score on the Goldstein scale (−10..10).
    Csv,
}

/// How the scores of one pair in one period are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// The mean of the pair's scores in the period.
    Mean,
    /// The sum of the pair's scores in the period.
    Sum,
}

/// Options of the events import.
#[derive(Debug, Clone, PartialEq)]
pub struct EventOptions {
    /// Which kind of table is read.
    pub format: EventTable,
    /// The period events are aggregated over.
    pub period: Step,
    /// How a pair's scores in one period are combined.
    pub aggregate: Aggregate,
    /// Multiplies the aggregated score/10.
    pub scale: f64,
    /// Half-life of each tie event, in days (no window then).
    pub half_life: Option<f64>,
    /// Window of each tie event, in days; default: the period for `mean`, none for `sum`.
    pub duration: Option<f64>,
    /// GDELT only: keep only rows with IsRootEvent = 1.
    pub root_only: bool,
    /// GDELT only: keep only rows with NumMentions ≥ N.
    pub min_mentions: Option<u64>,
    /// Malformed rows and unmatched countries are errors instead of being skipped.
    pub strict: bool,
}

impl Default for EventOptions {
    fn default() -> Self {
        EventOptions {
            format: EventTable::Csv,
            period: Step::MONTH,
            aggregate: Aggregate::Mean,
            scale: 1.0,
            half_life: None,
            duration: None,
            root_only: false,
            min_mentions: None,
            strict: false,
        }
    }
}

/// Why a row was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    /// The row has the wrong number of columns.
    WrongColumns,
    /// The date cannot be read.
    BadDate,
    /// The score (Goldstein or intensity) cannot be read.
    BadScore,
    /// The mentions count cannot be read.
    BadMentions,
    /// An actor's country is empty.
    MissingCountry,
    /// An actor's country matches no state of the dataset.
    UnmatchedCountry,
    /// Both actors are the same state.
    SameCountry,
    /// Not a root event (with the root-only option).
    NotRoot,
    /// Fewer mentions than the minimum asked for.
    FewMentions,
    /// The row's period would start before 0000-01-01 (always an error, see [`check_period`]).
    PeriodOutOfRange,
}

impl Skip {
    /// The reason as printed in the summary.
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::WrongColumns => "wrong column count",
            Skip::BadDate => "invalid date",
            Skip::BadScore => "invalid score",
            Skip::BadMentions => "invalid NumMentions",
            Skip::MissingCountry => "no country on one side",
            Skip::UnmatchedCountry => "unmatched country",
            Skip::SameCountry => "same country on both sides",
            Skip::NotRoot => "not a root event (--root-only)",
            Skip::FewMentions => "too few mentions (--min-mentions)",
            Skip::PeriodOutOfRange => "period outside the dates a dataset can hold",
        }
    }

    /// Malformed rows and unmatched countries; `--strict` makes them errors. The others are
    /// deliberate filters.
    pub fn is_error(self) -> bool {
        matches!(
            self,
            Skip::PeriodOutOfRange
                | Skip::WrongColumns
                | Skip::BadDate
                | Skip::BadScore
                | Skip::BadMentions
                | Skip::UnmatchedCountry
        )
    }
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventStats {
    /// Files read.
    pub files: usize,
    /// Rows read.
    pub rows: u64,
    /// Rows used.
    pub used: u64,
    /// Rows not used, by reason.
    pub skipped: BTreeMap<Skip, u64>,
    /// Unmatched codes or names with the number of rows they appear in.
    pub unmatched: HashMap<String, u64>,
    /// Tie events whose delta was clamped to [−2, 2] (`sum` only).
    pub clamped: u64,
    /// The first rows dropped for unmatched or ambiguous countries: (file, line, why).
    pub dropped: Vec<(String, usize, String)>,
}

/// How many dropped rows the summary lists by line.
pub const DROPPED_LISTED: usize = 20;

impl EventStats {
    /// Unmatched codes, most frequent first (then by code).
    pub fn unmatched_sorted(&self) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self
            .unmatched
            .iter()
            .map(|(k, &n)| (k.as_str(), n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }
}

/// The longest period, in years, that `import events` accepts: the span of the dates a dataset
/// can hold (0000-01-01 to 9999-12-31).
pub const MAX_PERIOD_YEARS: u32 = 10_000;

/// Whether every period of `step` can be represented: at most [`MAX_PERIOD_YEARS`] long
/// (10,000 years = 3,652,425 days = 521,775 weeks = 120,000 months). A longer one would end
/// beyond any date (`999999y`) and its window could not be computed.
///
/// ```
/// use entente::date::Step;
/// use entente::import::events::check_period;
/// assert!(check_period(Step::parse("10000y").unwrap()).is_ok());
/// assert!(check_period(Step::parse("999999y").unwrap()).is_err());
/// assert!(check_period(Step::parse("999999d").unwrap()).is_ok());
/// ```
pub fn check_period(step: Step) -> std::result::Result<(), String> {
    let years = u64::from(MAX_PERIOD_YEARS);
    let max = match step.unit {
        StepUnit::Day => years * 146_097 / 400,
        StepUnit::Week => years * 146_097 / 400 / 7,
        StepUnit::Month => years * 12,
        StepUnit::Year => years,
    };
    if u64::from(step.n) > max {
        let unit = match step.unit {
            StepUnit::Day => 'd',
            StepUnit::Week => 'w',
            StepUnit::Month => 'm',
            StepUnit::Year => 'y',
        };
        return Err(format!(
            "a period longer than {MAX_PERIOD_YEARS} years, the span of the dates a dataset can \
             hold (0000-01-01 to 9999-12-31), cannot be represented: use at most {max}{unit}"
        ));
    }
    Ok(())
}

/// The first day of the period containing `d` (see the module header); `None` when that day
/// is before 0000-01-01 (possible only for `Nd`/`Nw` periods and dates in the year 0).
pub fn period_start(d: NaiveDate, step: Step) -> Option<NaiveDate> {
    let n = i64::from(step.n);
    match step.unit {
        StepUnit::Day | StepUnit::Week => {
            let len = if step.unit == StepUnit::Week {
                7 * n
            } else {
                n
            };
            let day = i64::from(to_day(d)) - 1;
            let start = day.div_euclid(len) * len + 1;
            let first = NaiveDate::from_ymd_opt(0, 1, 1).map_or(Day::MIN, to_day);
            Day::try_from(start)
                .ok()
                .filter(|&s| s >= first)
                .map(from_day)
        }
        StepUnit::Month => {
            let m = i64::from(d.year()) * 12 + i64::from(d.month0());
            let k = m.div_euclid(n) * n;
            NaiveDate::from_ymd_opt(
                i32::try_from(k.div_euclid(12)).ok()?,
                k.rem_euclid(12) as u32 + 1,
                1,
            )
        }
        StepUnit::Year => {
            let y = i64::from(d.year()).div_euclid(n) * n;
            NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, 1, 1)
        }
    }
}

/// Folds event rows from one or more files into per-(period, pair) sums.
pub struct Aggregator<'a> {
    matcher: &'a Matcher,
    /// With `--codes-scheme`: codes read through the crosswalk in that scheme, at the row's date.
    scheme: Option<&'a SchemeMatcher>,
    opts: EventOptions,
    /// (period start day, a, b) with a < b → (sum of score/10, rows).
    cells: BTreeMap<(Day, u32, u32), (f64, u64)>,
    /// Counts for the summary.
    pub stats: EventStats,
}

/// Where the columns of an ICEWS table are (from its header): date, source country, target
/// country, intensity; and how many columns it has.
#[derive(Default)]
struct Layout {
    icews_cols: Vec<usize>,
    icews_width: usize,
}

/// One parsed row before matching.
struct Raw<'l> {
    date: &'l str,
    source: &'l str,
    target: &'l str,
    score: &'l str,
}

impl<'a> Aggregator<'a> {
    /// An aggregator that matches countries with `matcher` and aggregates as `opts` say.
    pub fn new(matcher: &'a Matcher, opts: EventOptions) -> Self {
        Aggregator {
            matcher,
            scheme: None,
            opts,
            cells: BTreeMap::new(),
            stats: EventStats::default(),
        }
    }

    /// Reads codes in a declared scheme through the crosswalk instead of by id, code or name.
    pub fn with_scheme(mut self, m: &'a SchemeMatcher) -> Self {
        self.scheme = Some(m);
        self
    }

    /// Reads every row of one file.
    pub fn read(&mut self, input: impl BufRead, file: &str, progress: &mut Progress) -> Result<()> {
        check_period(self.opts.period)
            .map_err(|e| Error::Usage(format!("--period {}: {e}", self.opts.period)))?;
        self.stats.files += 1;
        let mut lines = Lines::new(input, file);
        let mut file_rows = 0u64;
        let mut wrong_cols = 0u64;
        let mut first_bad: Option<(usize, String)> = None;
        let layout = self.header(&mut lines, file)?;
        while let Some(line) = lines.next_line()? {
            if line.is_empty() {
                continue;
            }
            progress.tick();
            self.stats.rows += 1;
            file_rows += 1;
            let n = lines.line_no;
            let result = self.row(&line, &layout);
            if let Err((skip, value)) = result {
                if skip == Skip::WrongColumns {
                    wrong_cols += 1;
                    first_bad.get_or_insert((n, value.clone()));
                }
                if skip == Skip::UnmatchedCountry && self.stats.dropped.len() < DROPPED_LISTED {
                    self.stats
                        .dropped
                        .push((file.to_string(), n, value.clone()));
                }
                if skip == Skip::PeriodOutOfRange {
                    return Err(Error::invalid(file, format!("line {n}"), value));
                }
                if self.opts.strict && skip.is_error() {
                    return Err(Error::invalid(
                        file,
                        format!("line {n}"),
                        format!("{}: {} (--strict)", skip.as_str(), show(&value)),
                    ));
                }
                *self.stats.skipped.entry(skip).or_default() += 1;
            } else {
                self.stats.used += 1;
            }
        }
        if wrong_cols * 2 > file_rows {
            let (n, v) = first_bad.unwrap_or_default();
            let what = match self.opts.format {
                EventTable::Gdelt => "a GDELT event table (tab-separated, 57, 58 or 61 columns)",
                EventTable::Icews => {
                    "an ICEWS event table (tab-separated, as many fields as the header)"
                }
                EventTable::Csv => "a date,source,target,score CSV",
            };
            return Err(Error::invalid(
                file,
                format!("line {n}"),
                format!(
                    "{v}; {wrong_cols} of {file_rows} rows have the wrong number of columns: not {what}"
                ),
            ));
        }
        Ok(())
    }

    /// Reads the header line of the tables that have one, and where their columns are.
    fn header(&self, lines: &mut Lines<impl BufRead>, file: &str) -> Result<Layout> {
        match self.opts.format {
            EventTable::Gdelt => Ok(Layout::default()),
            EventTable::Icews => {
                let h = lines.next_line()?.ok_or_else(|| {
                    Error::invalid(file, "", "empty file: expected an ICEWS header line")
                })?;
                let header: Vec<String> = h.split('\t').map(str::to_string).collect();
                let wanted = [
                    "Event Date",
                    "Source Country",
                    "Target Country",
                    "Intensity",
                ];
                let icews_cols = columns(&header, &wanted).map_err(|c| {
                    Error::invalid(
                        file,
                        "line 1",
                        format!(
                            "missing column {c:?}: not an ICEWS tab-separated file (header {:?})",
                            show(&h)
                        ),
                    )
                })?;
                Ok(Layout {
                    icews_cols,
                    icews_width: header.len(),
                })
            }
            EventTable::Csv => {
                let h = lines.next_line()?.ok_or_else(|| {
                    Error::invalid(
                        file,
                        "",
                        "empty file: expected the header date,source,target,score",
                    )
                })?;
                let f = split_csv(&h).unwrap_or_default();
                let f: Vec<&str> = f.iter().map(|x| x.trim()).collect();
                if f != ["date", "source", "target", "score"] {
                    return Err(Error::invalid(
                        file,
                        "line 1",
                        format!(
                            "expected the header date,source,target,score, found {:?}",
                            show(&h)
                        ),
                    ));
                }
                Ok(Layout::default())
            }
        }
    }

    /// Parses, filters, matches and adds one row; the error is the skip reason and the value.
    fn row(&mut self, line: &str, layout: &Layout) -> std::result::Result<(), (Skip, String)> {
        let mut csv_fields = Vec::new();
        let raw = self.fields(line, layout, &mut csv_fields)?;
        self.add(&raw)
    }

    /// The date, source, target and score fields of a row (`csv` holds a CSV row's fields),
    /// after the checks of the table's own columns (count, GDELT root and mentions).
    fn fields<'l>(
        &self,
        line: &'l str,
        layout: &Layout,
        csv: &'l mut Vec<String>,
    ) -> std::result::Result<Raw<'l>, (Skip, String)> {
        match self.opts.format {
            EventTable::Gdelt => {
                let tsv: Vec<&str> = line.split('\t').collect();
                if !matches!(tsv.len(), 57 | 58 | 61) {
                    return Err((
                        Skip::WrongColumns,
                        format!("{} tab-separated columns", tsv.len()),
                    ));
                }
                if self.opts.root_only && tsv[25].trim() != "1" {
                    return Err((Skip::NotRoot, tsv[25].to_string()));
                }
                if let Some(min) = self.opts.min_mentions {
                    let m: u64 = tsv[31]
                        .trim()
                        .parse()
                        .map_err(|_| (Skip::BadMentions, tsv[31].to_string()))?;
                    if m < min {
                        return Err((Skip::FewMentions, tsv[31].to_string()));
                    }
                }
                Ok(Raw {
                    date: tsv[1],
                    source: tsv[7],
                    target: tsv[17],
                    score: tsv[30],
                })
            }
            EventTable::Icews => {
                let tsv: Vec<&str> = line.split('\t').collect();
                let (cols, width) = (&layout.icews_cols, layout.icews_width);
                if tsv.len() != width {
                    return Err((
                        Skip::WrongColumns,
                        format!("{} tab-separated columns, expected {width}", tsv.len()),
                    ));
                }
                Ok(Raw {
                    date: tsv[cols[0]],
                    source: tsv[cols[1]],
                    target: tsv[cols[2]],
                    score: tsv[cols[3]],
                })
            }
            EventTable::Csv => {
                *csv = split_csv(line).unwrap_or_default();
                if csv.len() != 4 {
                    return Err((
                        Skip::WrongColumns,
                        format!("{} comma-separated fields, expected 4", csv.len()),
                    ));
                }
                Ok(Raw {
                    date: &csv[0],
                    source: &csv[1],
                    target: &csv[2],
                    score: &csv[3],
                })
            }
        }
    }

    /// Checks the date and score of a row, matches its countries and adds it to its cell.
    fn add(&mut self, raw: &Raw<'_>) -> std::result::Result<(), (Skip, String)> {
        let d = raw.date.trim();
        let date = if self.opts.format == EventTable::Gdelt {
            (d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
                .then(|| parse_date(&format!("{}-{}-{}", &d[0..4], &d[4..6], &d[6..8])).ok())
                .flatten()
        } else {
            parse_date(d).ok()
        }
        .ok_or_else(|| (Skip::BadDate, d.to_string()))?;
        let score: f64 = raw
            .score
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite() && (-10.0..=10.0).contains(x))
            .ok_or_else(|| (Skip::BadScore, raw.score.to_string()))?;
        let (s, t) = (raw.source.trim(), raw.target.trim());
        // ICEWS files exported from R write a missing country as `NA`.
        let missing =
            |c: &str| c.is_empty() || (self.opts.format == EventTable::Icews && c == "NA");
        if missing(s) || missing(t) {
            return Err((Skip::MissingCountry, String::new()));
        }
        let get = |c: &str| -> std::result::Result<usize, String> {
            match self.scheme {
                None => self.matcher.get(c).ok_or_else(|| c.to_string()),
                Some(m) => match m.get(c, Some(date)) {
                    Match::State(i) => Ok(i),
                    Match::Unknown => Err(format!("{c:?} not a known {} code", m.input.as_str())),
                    Match::NotInDataset(e) => Err(format!("{c:?} ({e}) not in the dataset")),
                    Match::NotAtDate => Err(format!("{c:?} denotes no country on {date}")),
                    Match::OutsideSpell(e) => Err(format!("{c:?} ({e}) not a COW state on {date}")),
                    Match::Ambiguous(w) => Err(format!("{c:?} ambiguous: {w}")),
                },
            }
        };
        let (a, b) = (get(s), get(t));
        if a.is_err() || b.is_err() {
            let mut which = Vec::new();
            for (code, m) in [(s, &a), (t, &b)] {
                if let Err(why) = m {
                    *self.stats.unmatched.entry(code.to_string()).or_default() += 1;
                    which.push(why.clone());
                }
            }
            return Err((Skip::UnmatchedCountry, which.join(", ")));
        }
        let (a, b) = (a.unwrap_or(0), b.unwrap_or(0));
        let (a, b) = (a as u32, b as u32);
        if a == b {
            return Err((Skip::SameCountry, s.to_string()));
        }
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        let period = self.opts.period;
        let p = to_day(period_start(date, period).ok_or_else(|| {
            (
                Skip::PeriodOutOfRange,
                format!(
                    "the {period} period containing {date} would start before 0000-01-01, the \
                     first day a dataset can hold: use a month or year period (they start on \
                     0000-01-01), or leave out the rows dated before 0001-01-01"
                ),
            )
        })?);
        let cell = self.cells.entry((p, a, b)).or_insert((0.0, 0));
        cell.0 += score / 10.0;
        cell.1 += 1;
        Ok(())
    }

    /// The tie events, sorted by date, then pair in dataset order; and the counts.
    pub fn finish(mut self) -> (Vec<TieEvent>, EventStats) {
        let mut out = Vec::with_capacity(self.cells.len());
        for (&(p, a, b), &(sum, n)) in &self.cells {
            let agg = match self.opts.aggregate {
                Aggregate::Mean => sum / n as f64,
                Aggregate::Sum => sum,
            };
            let mut delta = agg * self.opts.scale;
            if !(-2.0..=2.0).contains(&delta) {
                delta = delta.clamp(-2.0, 2.0);
                self.stats.clamped += 1;
            }
            let start = from_day(p);
            let len = self
                .opts
                .period
                .nth(start, 1)
                .map_or(1.0, |e| f64::from(to_day(e) - p));
            let (hl, dur) = match (self.opts.half_life, self.opts.duration, self.opts.aggregate) {
                (Some(h), _, _) => (Some(h), None),
                (None, Some(d), _) => (None, Some(d)),
                (None, None, Aggregate::Mean) => (None, Some(len)),
                (None, None, Aggregate::Sum) => (None, None),
            };
            out.push(TieEvent::new(p, a, b, delta, hl, dur));
        }
        (out, self.stats)
    }
}

/// Counts of the output: distinct pairs and periods.
pub fn pairs_and_periods(ties: &[TieEvent]) -> (usize, usize) {
    let pairs: std::collections::BTreeSet<(u32, u32)> = ties.iter().map(|t| (t.a, t.b)).collect();
    let periods: std::collections::BTreeSet<Day> = ties.iter().map(|t| t.day).collect();
    (pairs.len(), periods.len())
}

/// Writes tie events as a JSON array of dataset `tie` events (to paste into a dataset).
pub fn write_json(
    ds: &Dataset,
    ties: &[TieEvent],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        date: String,
        kind: &'static str,
        a: &'a str,
        b: &'a str,
        delta: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        half_life_days: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        duration_days: Option<f64>,
    }
    writeln!(w, "[")?;
    for (i, t) in ties.iter().enumerate() {
        let o = Out {
            date: crate::date::fmt_date(from_day(t.day)),
            kind: "tie",
            a: &ds.states[t.a as usize].id,
            b: &ds.states[t.b as usize].id,
            delta: t.delta,
            half_life_days: t.half_life(),
            duration_days: t.duration(),
        };
        let s = serde_json::to_string(&o).map_err(std::io::Error::other)?;
        writeln!(w, "  {s}{}", if i + 1 < ties.len() { "," } else { "" })?;
    }
    writeln!(w, "]")
}
