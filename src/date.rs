//! Calendar dates and series steps: strict ISO `YYYY-MM-DD` parsing, day arithmetic and the
//! `Nd`/`Nw`/`Nm`/`Ny` step grammar used by every series command.
//!
//! Inside the engine a date is a [`Day`]: the number of days since 0001-01-01 (chrono's
//! `num_days_from_ce`), so that differences are plain integer subtraction.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Days since the common era (0001-01-01 is day 1), as chrono counts them.
pub type Day = i32;

/// Parses a date written exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) that
/// exists in the proleptic Gregorian calendar. Returns a message naming the problem on failure.
///
/// ```
/// use entente::date::parse_date;
/// assert!(parse_date("2024-02-29").is_ok());
/// assert!(parse_date("2023-02-30").is_err());
/// assert!(parse_date("99999-01-01").is_err());
/// ```
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    try_parse_date(s).map_err(|e| e.to_string())
}

/// Why a text is not a date; the message quotes the text and names the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the shape `YYYY-MM-DD`.
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    Shape(String),
    /// The shape is right but the day does not exist (2023-02-30).
    #[error("invalid date {0:?}: no such day in the calendar")]
    NoSuchDay(String),
}

/// As [`parse_date`], with a typed error.
///
/// ```
/// use entente::date::{try_parse_date, DateError};
/// assert!(matches!(try_parse_date("2023-02-30"), Err(DateError::NoSuchDay(_))));
/// assert!(matches!(try_parse_date("-1"), Err(DateError::Shape(_))));
/// ```
pub fn try_parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(DateError::Shape(s.to_string()));
    }
    let num = |r: std::ops::Range<usize>| -> u32 {
        b[r].iter()
            .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
    };
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| DateError::NoSuchDay(s.to_string()))
}

/// The engine's day number of a date.
pub fn to_day(d: NaiveDate) -> Day {
    d.num_days_from_ce()
}

/// The date of a day number. Day numbers come from valid dates, so this cannot fail for them;
/// out-of-range numbers saturate to chrono's limits.
pub fn from_day(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(if day < 1 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// Formats a date as `YYYY-MM-DD`.
pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The unit of a series step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUnit {
    /// Days.
    Day,
    /// Weeks (7 days).
    Week,
    /// Calendar months (the day clamped to the month's length).
    Month,
    /// Calendar years.
    Year,
}

/// A series step such as `1m` (one month) or `14d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// How many units (at least 1).
    pub n: u32,
    /// The unit.
    pub unit: StepUnit,
}

impl Step {
    /// One month, the default step.
    pub const MONTH: Step = Step {
        n: 1,
        unit: StepUnit::Month,
    };

    /// Parses `Nd`, `Nw`, `Nm` or `Ny` with N a positive integer of at most 6 digits.
    ///
    /// ```
    /// use entente::date::Step;
    /// assert_eq!(Step::parse("3m").unwrap().to_string(), "3m");
    /// assert!(Step::parse("0d").is_err());
    /// assert!(Step::parse("m").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Step, String> {
        s.parse().map_err(|e: StepError| e.to_string())
    }

    /// The k-th date of a series starting at `from`: `from + k·step`. Month and year steps are
    /// counted from `from` and clamp to the month's last day (2020-01-31 + 1m = 2020-02-29).
    /// `None` when the date would leave chrono's range.
    pub fn nth(&self, from: NaiveDate, k: u32) -> Option<NaiveDate> {
        let k = u64::from(k) * u64::from(self.n);
        match self.unit {
            StepUnit::Day => from.checked_add_days(chrono::Days::new(k)),
            StepUnit::Week => from.checked_add_days(chrono::Days::new(k.checked_mul(7)?)),
            StepUnit::Month => add_months_clamped(from, k),
            StepUnit::Year => add_months_clamped(from, k.checked_mul(12)?),
        }
    }
}

fn add_months_clamped(from: NaiveDate, months: u64) -> Option<NaiveDate> {
    let total =
        i64::from(from.year()) * 12 + i64::from(from.month0()) + i64::try_from(months).ok()?;
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    let m = u32::try_from(total.rem_euclid(12)).ok()? + 1;
    let last = last_day_of_month(y, m)?;
    NaiveDate::from_ymd_opt(y, m, from.day().min(last))
}

fn last_day_of_month(y: i32, m: u32) -> Option<u32> {
    let (ny, nm) = if m == 12 {
        (y.checked_add(1)?, 1)
    } else {
        (y, m + 1)
    };
    Some(NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()?.day())
}

/// Why a text is not a series step; the message quotes the text and names the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// Not of the shape `N` followed by `d`, `w`, `m` or `y`.
    #[error("invalid step {0:?}: expected N followed by d, w, m or y (e.g. 1m)")]
    Shape(String),
    /// A negative count (`-1m`): series run forward in time.
    #[error("invalid step {0:?}: a step must be positive (series run forward in time)")]
    Negative(String),
    /// `0d` and friends.
    #[error("invalid step {0:?}: N must be at least 1")]
    Zero(String),
}

impl std::str::FromStr for Step {
    type Err = StepError;

    /// Parses `Nd`, `Nw`, `Nm` or `Ny` with N a positive integer of at most 6 digits.
    fn from_str(s: &str) -> Result<Step, StepError> {
        let err = || StepError::Shape(s.to_string());
        // The unit is the last character, which may be several bytes long (`1é`): split there,
        // not one byte before the end.
        let Some(last) = s.chars().next_back() else {
            return Err(err());
        };
        let num = &s[..s.len() - last.len_utf8()];
        let unit = match last {
            'd' => StepUnit::Day,
            'w' => StepUnit::Week,
            'm' => StepUnit::Month,
            'y' => StepUnit::Year,
            _ => return Err(err()),
        };
        if let Some(digits) = num.strip_prefix('-') {
            if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(StepError::Negative(s.to_string()));
            }
        }
        if num.is_empty() || num.len() > 6 || !num.bytes().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        let n: u32 = num.parse().map_err(|_| err())?;
        if n == 0 {
            return Err(StepError::Zero(s.to_string()));
        }
        Ok(Step { n, unit })
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = match self.unit {
            StepUnit::Day => 'd',
            StepUnit::Week => 'w',
            StepUnit::Month => 'm',
            StepUnit::Year => 'y',
        };
        write!(f, "{}{}", self.n, u)
    }
}

/// The most dates a series may have (a daily series over 270 years): beyond it a command is
/// refused with a message instead of computing for hours.
pub const MAX_SERIES_DATES: usize = 100_000;

/// As [`series_dates`], refusing series longer than [`MAX_SERIES_DATES`] with a message that
/// names the range and the step.
///
/// ```
/// use entente::date::{checked_series_dates, parse_date, Step};
/// let (a, b) = (parse_date("0001-01-01").unwrap(), parse_date("9999-12-31").unwrap());
/// assert!(checked_series_dates(a, b, Step::parse("1d").unwrap()).is_err());
/// assert_eq!(checked_series_dates(a, b, Step::parse("1y").unwrap()).unwrap().len(), 9999);
/// ```
pub fn checked_series_dates(
    from: NaiveDate,
    to: NaiveDate,
    step: Step,
) -> Result<Vec<NaiveDate>, String> {
    if let Some(d) = step.nth(from, MAX_SERIES_DATES as u32) {
        if d <= to {
            return Err(format!(
                "the series {} to {} by {step} has more than {MAX_SERIES_DATES} dates: use a larger step or a shorter range",
                fmt_date(from),
                fmt_date(to)
            ));
        }
    }
    Ok(series_dates(from, to, step))
}

/// The dates `from, from+step, …` up to and including `to` (empty when `to < from`).
pub fn series_dates(from: NaiveDate, to: NaiveDate, step: Step) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut k = 0u32;
    while let Some(d) = step.nth(from, k) {
        if d > to {
            break;
        }
        out.push(d);
        k = match k.checked_add(1) {
            Some(k) => k,
            None => break,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(fmt_date(d("0001-01-01")), "0001-01-01");
        for bad in [
            "2023-02-30",
            "2023-13-01",
            "99999-01-01",
            "2023-1-01",
            "",
            "2023-01-01 ",
            "２０２３-01-01",
            "2023/01/01",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn month_steps_clamp_and_count_from_start() {
        let s = Step::parse("1m").unwrap();
        assert_eq!(s.nth(d("2020-01-31"), 1), Some(d("2020-02-29")));
        assert_eq!(s.nth(d("2020-01-31"), 2), Some(d("2020-03-31")));
        assert_eq!(
            Step::parse("1y").unwrap().nth(d("2020-02-29"), 1),
            Some(d("2021-02-28"))
        );
        assert_eq!(
            Step::parse("2w").unwrap().nth(d("2020-01-01"), 1),
            Some(d("2020-01-15"))
        );
    }

    #[test]
    fn series_includes_end() {
        let v = series_dates(d("2020-01-31"), d("2020-04-30"), Step::MONTH);
        let got: Vec<String> = v.into_iter().map(fmt_date).collect();
        assert_eq!(
            got,
            ["2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30"]
        );
        assert!(series_dates(d("2020-02-01"), d("2020-01-01"), Step::MONTH).is_empty());
    }

    #[test]
    fn step_errors_are_typed() {
        assert_eq!(
            "2w".parse::<Step>(),
            Ok(Step {
                n: 2,
                unit: StepUnit::Week
            })
        );
        assert_eq!(
            "-1m".parse::<Step>(),
            Err(StepError::Negative("-1m".into()))
        );
        assert_eq!("0y".parse::<Step>(), Err(StepError::Zero("0y".into())));
        assert_eq!("1é".parse::<Step>(), Err(StepError::Shape("1é".into())));
        assert_eq!(
            Step::parse("1x").unwrap_err(),
            "invalid step \"1x\": expected N followed by d, w, m or y (e.g. 1m)"
        );
    }

    #[test]
    fn days_round_trip() {
        let x = d("2024-02-26");
        assert_eq!(from_day(to_day(x)), x);
        assert_eq!(to_day(d("2024-03-01")) - to_day(d("2024-02-28")), 2);
    }
}
