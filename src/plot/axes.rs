//! Axes: "nice" value ticks (1, 2, 2.5, 5 × 10^k), calendar-aligned date ticks (days, months or
//! years by span, on the 1st of the month or January 1st), the mapping from data to pixels and
//! the drawing of grid, ticks, tick labels and axis titles.

use super::canvas::{Align, Canvas, Weight};
use super::palette::{solid, GRID, INK};
use super::PlotError;
use chrono::{Datelike, NaiveDate};
use plotters::prelude::DrawingBackend;

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// Ticks at round values covering `[lo, hi]`: at most `max_n` of them, with the step.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_n: usize) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) || max_n < 2 {
        return (vec![lo], 1.0);
    }
    let raw = span / (max_n - 1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= (max_n - 1) as f64 + 1e-9)
        .unwrap_or(10.0 * mag);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let ticks = (first..=last).map(|k| k as f64 * step).collect();
    (ticks, step)
}

/// Expands `[lo, hi]` outwards to multiples of a round step (at most `max_n` ticks) so an axis
/// starts and ends on a labelled value. A constant (`lo == hi`) gets a fixed axis from 0 to the
/// value (0 to 1 for 0), not a sliver around it: a flat 1.0 reads as 1.0 on a 0–1 axis.
///
/// ```
/// use entente::plot::nice_range;
/// assert_eq!(nice_range(-0.23, 0.87, 8), (-0.4, 1.0));
/// assert_eq!(nice_range(1.0, 1.0, 8), (0.0, 1.0));
/// assert_eq!(nice_range(-0.5, -0.5, 8), (-0.5, 0.0));
/// assert_eq!(nice_range(0.0, 0.0, 8), (0.0, 1.0));
/// ```
pub fn nice_range(lo: f64, hi: f64, max_n: usize) -> (f64, f64) {
    let (lo, hi) = if hi - lo > 1e-12 {
        (lo, hi)
    } else if lo.abs() > 1e-9 {
        (lo.min(0.0), lo.max(0.0))
    } else {
        (0.0, 1.0)
    };
    let (_, step) = nice_ticks(lo, hi, max_n);
    let a = (lo / step + 1e-9).floor() * step;
    let b = (hi / step - 1e-9).ceil() * step;
    (a, b)
}

/// The share of a value axis's range added above and below it in a line chart's frame.
pub(crate) const HEADROOM: f64 = 0.04;

/// `[lo, hi]` widened by [`HEADROOM`] of its span on each side (unchanged when empty or not
/// finite): the value range of a line chart's frame, whose ticks stay within `[lo, hi]`.
pub(crate) fn with_headroom(lo: f64, hi: f64) -> (f64, f64) {
    let pad = (hi - lo) * HEADROOM;
    if pad.is_finite() && pad > 0.0 {
        (lo - pad, hi + pad)
    } else {
        (lo, hi)
    }
}

/// The granularity of date ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateUnit {
    Day,
    Month,
    Year,
}

/// Calendar-aligned ticks within `[from, to]` (at most `max_n`): the unit and step are the finest
/// of 1, 2, 7, 14 days; 1, 2, 3, 6 months; 1, 2, 5, 10, 20, 25, 50, 100… years that fit.
pub(crate) fn date_ticks(
    from: NaiveDate,
    to: NaiveDate,
    max_n: usize,
) -> (Vec<NaiveDate>, DateUnit) {
    let max_n = max_n.max(2);
    if (to - from).num_days() <= 120 {
        let days: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
        for step in [1usize, 2] {
            let v: Vec<NaiveDate> = days.iter().copied().step_by(step).collect();
            if v.len() <= max_n {
                return (v, DateUnit::Day);
            }
        }
        for set in [&[1u32, 8, 15, 22][..], &[1, 15]] {
            let v: Vec<NaiveDate> = days
                .iter()
                .copied()
                .filter(|d| set.contains(&d.day()))
                .collect();
            if v.len() <= max_n {
                return (v, DateUnit::Day);
            }
        }
    }
    for step in [1u32, 2, 3, 6] {
        let v = month_ticks(from, to, step);
        if v.len() <= max_n && !v.is_empty() {
            return (v, DateUnit::Month);
        }
    }
    let mut mult = 1i32;
    loop {
        for s in [1, 2, 5, 10, 20, 25, 50] {
            let step = s * mult;
            let v: Vec<NaiveDate> = (from.year()..=to.year())
                .filter(|y| y.rem_euclid(step) == 0)
                .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
                .filter(|d| *d >= from && *d <= to)
                .collect();
            if v.len() <= max_n {
                return (v, DateUnit::Year);
            }
        }
        mult = mult.saturating_mul(100);
    }
}

fn month_ticks(from: NaiveDate, to: NaiveDate, step: u32) -> Vec<NaiveDate> {
    let mut v = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while let Some(d) = NaiveDate::from_ymd_opt(y, m, 1) {
        if d > to {
            break;
        }
        if d >= from && (m - 1) % step == 0 {
            v.push(d);
        }
        m += 1;
        if m == 13 {
            m = 1;
            y += 1;
        }
    }
    v
}

/// Tick labels of date ticks: one or two lines each (the second line, the year, only where it
/// changes or on the first tick).
pub(crate) fn date_labels(ticks: &[NaiveDate], unit: DateUnit) -> Vec<(String, String)> {
    let mut prev_year = None;
    ticks
        .iter()
        .map(|d| {
            let year_changed = prev_year != Some(d.year());
            prev_year = Some(d.year());
            match unit {
                DateUnit::Year => (d.year().to_string(), String::new()),
                DateUnit::Month => (
                    d.format("%b").to_string(),
                    if year_changed {
                        d.year().to_string()
                    } else {
                        String::new()
                    },
                ),
                DateUnit::Day => (
                    d.format("%-d %b").to_string(),
                    if year_changed {
                        d.year().to_string()
                    } else {
                        String::new()
                    },
                ),
            }
        })
        .collect()
}

/// Formats a tick value with as many decimals as the step needs.
pub(crate) fn fmt_tick(v: f64, step: f64) -> String {
    let decimals = (0..=6usize)
        .find(|&d| {
            let x = step * 10f64.powi(d as i32);
            (x - x.round()).abs() < 1e-6 * x.abs().max(1.0)
        })
        .unwrap_or(6);
    let s = format!("{v:.decimals$}");
    // Avoid "-0.0"; use a true minus sign.
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "\u{2212}")
    }
}

/// A time × value frame: maps dates and values to pixels inside `rect`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateFrame {
    pub rect: Rect,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lo: f64,
    pub hi: f64,
}

impl DateFrame {
    pub fn x(&self, d: NaiveDate) -> f64 {
        let span = (self.to - self.from).num_days() as f64;
        if span <= 0.0 {
            return (self.rect.x0 + self.rect.x1) / 2.0;
        }
        self.rect.x0 + (d - self.from).num_days() as f64 / span * self.rect.width()
    }

    pub fn y(&self, v: f64) -> f64 {
        self.rect.y1 - (v - self.lo) / (self.hi - self.lo) * self.rect.height()
    }
}

/// Sizes of axis text in design pixels.
pub(crate) const TICK_SIZE: f64 = 19.0;
pub(crate) const AXIS_TITLE_SIZE: f64 = 21.0;

/// Draws grid lines, the frame, tick labels and axis titles of a date frame. `y_ticks` are the
/// value ticks with their step.
pub(crate) fn draw_date_axes<DB: DrawingBackend>(
    c: &Canvas<DB>,
    f: &DateFrame,
    y_ticks: &(Vec<f64>, f64),
    x_ticks: &(Vec<NaiveDate>, DateUnit),
    y_title: &str,
    x_title: &str,
) -> Result<(), PlotError> {
    let r = f.rect;
    let grid = solid(GRID);
    for &v in &y_ticks.0 {
        let y = f.y(v);
        let zero = v.abs() < y_ticks.1 * 1e-6;
        let col = if zero {
            solid(super::palette::GREY)
        } else {
            grid
        };
        c.line(&[(r.x0, y), (r.x1, y)], col, if zero { 1.5 } else { 1.0 })?;
        c.text_mid(
            r.x0 - c.px(10.0),
            y,
            &fmt_tick(v, y_ticks.1),
            TICK_SIZE,
            Weight::Normal,
            INK,
            Align::Right,
        )?;
    }
    let labels = date_labels(&x_ticks.0, x_ticks.1);
    let line1 = r.y1 + c.px(10.0) + c.font_px(TICK_SIZE) * 0.75;
    let line2 = line1 + c.font_px(TICK_SIZE) * 1.1;
    for (d, (a, b)) in x_ticks.0.iter().zip(&labels) {
        let x = f.x(*d);
        c.line(&[(x, r.y0), (x, r.y1)], grid, 1.0)?;
        c.line(&[(x, r.y1), (x, r.y1 + c.px(6.0))], solid(INK), 1.0)?;
        c.text(x, line1, a, TICK_SIZE, Weight::Normal, INK, Align::Center)?;
        c.text(x, line2, b, TICK_SIZE, Weight::Normal, INK, Align::Center)?;
    }
    c.line(&[(r.x0, r.y0), (r.x0, r.y1), (r.x1, r.y1)], solid(INK), 1.2)?;
    if !x_title.is_empty() {
        let has_second = labels.iter().any(|(_, b)| !b.is_empty());
        let y = if has_second { line2 } else { line1 } + c.font_px(AXIS_TITLE_SIZE) * 1.3;
        c.text(
            (r.x0 + r.x1) / 2.0,
            y,
            x_title,
            AXIS_TITLE_SIZE,
            Weight::Normal,
            INK,
            Align::Center,
        )?;
    }
    if !y_title.is_empty() {
        let widest = y_ticks
            .0
            .iter()
            .map(|&v| c.text_width(&fmt_tick(v, y_ticks.1), TICK_SIZE, Weight::Normal))
            .fold(0.0, f64::max);
        let x = r.x0 - c.px(10.0) - widest - c.px(14.0);
        c.text_up(
            x,
            (r.y0 + r.y1) / 2.0,
            y_title,
            AXIS_TITLE_SIZE,
            Weight::Normal,
            INK,
            Align::Center,
        )?;
    }
    Ok(())
}

/// The height below the plot rectangle that [`draw_date_axes`] uses (tick labels + x title).
pub(crate) fn date_axis_height<DB: DrawingBackend>(
    c: &Canvas<DB>,
    two_lines: bool,
    x_title: bool,
) -> f64 {
    let mut h = c.px(10.0) + c.font_px(TICK_SIZE) * 0.95;
    if two_lines {
        h += c.font_px(TICK_SIZE) * 1.1;
    }
    if x_title {
        h += c.font_px(AXIS_TITLE_SIZE) * 1.5;
    }
    h
}

/// The width left of the plot rectangle that [`draw_date_axes`] uses (y title + tick labels).
pub(crate) fn value_axis_width<DB: DrawingBackend>(c: &Canvas<DB>, ticks: &(Vec<f64>, f64)) -> f64 {
    let widest = ticks
        .0
        .iter()
        .map(|&v| c.text_width(&fmt_tick(v, ticks.1), TICK_SIZE, Weight::Normal))
        .fold(0.0, f64::max);
    c.px(10.0) + widest + c.px(14.0) + c.font_px(AXIS_TITLE_SIZE) * 1.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::date::parse_date(s).unwrap()
    }

    #[test]
    fn value_ticks_are_round() {
        let (t, s) = nice_ticks(-0.23, 0.87, 8);
        assert_eq!(s, 0.2);
        assert_eq!(t.len(), 6);
        assert!((t[0] - -0.2).abs() < 1e-12);
        assert_eq!(nice_range(-0.23, 0.87, 8), (-0.4, 1.0));
        assert_eq!(fmt_tick(-0.4, 0.2), "−0.4");
        assert_eq!(fmt_tick(0.0, 0.25), "0.00");
        assert_eq!(fmt_tick(0.25, 0.25), "0.25");
        assert_eq!(fmt_tick(-0.0000001, 0.2), "0.0");
    }

    #[test]
    fn date_ticks_pick_years_or_months_by_span() {
        let (t, u) = date_ticks(d("1992-05-15"), d("2024-12-31"), 12);
        assert_eq!(u, DateUnit::Year);
        assert_eq!(t[0], d("1995-01-01"));
        assert!(t.len() <= 12 && t.len() >= 6, "{t:?}");
        let (t, u) = date_ticks(d("2022-01-15"), d("2023-06-30"), 12);
        assert_eq!(u, DateUnit::Month);
        assert!(t.iter().all(|x| x.day() == 1));
        assert!(t.iter().all(|x| (x.month() - 1) % 2 == 0), "{t:?}");
        let (t, u) = date_ticks(d("2022-01-01"), d("2022-01-10"), 12);
        assert_eq!(u, DateUnit::Day);
        assert_eq!(t.len(), 10);
        let labels = date_labels(
            &[d("2021-11-01"), d("2021-12-01"), d("2022-01-01")],
            DateUnit::Month,
        );
        assert_eq!(labels[0], ("Nov".to_string(), "2021".to_string()));
        assert_eq!(labels[1].1, "");
        assert_eq!(labels[2].1, "2022");
    }
}
