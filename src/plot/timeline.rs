//! The cohesion timeline: one metric of each alliance over time, one line per series (gaps where
//! a value is missing), numbered event markers with their key under the plot, and the series
//! named to the right of the plot. The line-chart core here is shared with [`super::members`],
//! which adds suspended stretches.
//!
//! Telling lines apart: series with identical values are drawn once, named together; lines that
//! share a colour get successive dash patterns ([`Dash`]); when every line reaches the last date
//! and the names fit, each is named at its line's end (names nudged apart vertically, with a
//! leader from the line), otherwise in a legend beside the plot.

use super::axes::{self, DateFrame, Rect};
use super::canvas::{Align, Canvas, Weight};
use super::events::{self, Numbered};
use super::legend::{self, Entry, Swatch};
use super::palette::{solid, Dash, Mark, GREY, INK};
use super::text::{truncate, wrap_lines};
use super::RGBColor;
use super::{Chart, KeyItem, Marker, PlotError};
use chrono::NaiveDate;
use plotters::prelude::DrawingBackend;

/// One line of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The series' label (an alliance id).
    pub label: String,
    /// Its line colour.
    pub color: RGBColor,
    /// Marks drawn along the line to tell apart series that share a colour.
    pub mark: Mark,
    /// One value per date of the chart; `None` leaves a gap.
    pub values: Vec<Option<f64>>,
    /// An optional shaded band around the line: one `(low, high)` per date (`None` leaves a
    /// gap); empty for no band. Drawn translucent in the series colour, under every line.
    pub band: Vec<Option<(f64, f64)>>,
    /// Drawn dashed over its whole length (e.g. a scenario next to the observed series); the
    /// legend shows a dashed swatch.
    pub dashed: bool,
}

impl Series {
    /// A solid series without marks or band.
    pub fn new(label: impl Into<String>, color: RGBColor, values: Vec<Option<f64>>) -> Series {
        Series {
            label: label.into(),
            color,
            mark: Mark::None,
            values,
            band: Vec::new(),
            dashed: false,
        }
    }

    /// The same series with a shaded band (`(low, high)` per date).
    pub fn with_band(mut self, band: Vec<Option<(f64, f64)>>) -> Series {
        self.band = band;
        self
    }

    /// The same series drawn dashed.
    pub fn dashed(mut self) -> Series {
        self.dashed = true;
        self
    }
}

/// A metric of several series (alliances) over time.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineChart {
    /// Headline, e.g. the dataset name and what is shown.
    pub title: String,
    /// The metric's name, used for the value axis and the subtitle.
    pub metric_label: String,
    /// The dates of the values, ascending.
    pub dates: Vec<NaiveDate>,
    /// One series per alliance.
    pub series: Vec<Series>,
    /// Notable events, numbered in date order over the whole list; those outside the date range
    /// are not drawn (their numbers are skipped).
    pub events: Vec<Marker>,
    /// The value axis range; `None` fits the data (rounded outwards to ticks).
    pub y_range: Option<(f64, f64)>,
    /// What the shaded bands show (e.g. "5–95 % over perturbed weights"), as a legend entry;
    /// empty for none (the entry is only drawn when some series has a band).
    pub band_label: String,
}

impl TimelineChart {
    /// The numbered events this chart marks (those within its dates), for a caption: a paper
    /// chart draws only their numbers.
    pub fn event_key(&self) -> Vec<KeyItem> {
        event_key(&self.dates, &self.events)
    }
}

/// The numbered events of a chart over `dates` (see [`TimelineChart::event_key`]).
pub(crate) fn event_key(dates: &[NaiveDate], events: &[Marker]) -> Vec<KeyItem> {
    match date_span(dates) {
        Some((from, to)) => events::number(events, from, to)
            .into_iter()
            .map(|e| KeyItem {
                num: e.num,
                date: e.date,
                note: e.note,
            })
            .collect(),
        None => Vec::new(),
    }
}

impl Chart for TimelineChart {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<(), PlotError> {
        let lines: Vec<Line> = self
            .series
            .iter()
            .map(|s| Line {
                label: &s.label,
                color: s.color,
                mark: s.mark,
                values: &s.values,
                suspended: None,
                band: &s.band,
                dashed: s.dashed,
            })
            .collect();
        let extra_legend = band_entry(&self.band_label, &lines).into_iter().collect();
        draw_line_chart(
            c,
            &LineChart {
                title: &self.title,
                subtitle: &self.metric_label,
                y_title: &self.metric_label,
                legend_title: "",
                dates: &self.dates,
                lines: &lines,
                events: &self.events,
                y_range: self.y_range,
                extra_legend,
            },
        )
    }
}

/// The legend entry explaining the shaded bands, when there is a label and some line has a band.
pub(crate) fn band_entry(label: &str, lines: &[Line]) -> Option<Entry> {
    let any = lines.iter().any(|l| l.band.iter().any(Option::is_some));
    (any && !label.is_empty()).then(|| Entry {
        label: label.to_string(),
        color: GREY,
        mark: Mark::None,
        swatch: Swatch::Band,
        width: 3.0,
    })
}

/// A line of the shared line-chart core.
pub(crate) struct Line<'a> {
    pub label: &'a str,
    pub color: RGBColor,
    pub mark: Mark,
    pub values: &'a [Option<f64>],
    /// Per point: drawn dashed where `true`.
    pub suspended: Option<&'a [bool]>,
    /// Per point: a shaded `(low, high)` band; empty for none.
    pub band: &'a [Option<(f64, f64)>],
    /// The whole line dashed.
    pub dashed: bool,
}

/// Everything the shared line-chart core draws.
pub(crate) struct LineChart<'a> {
    pub title: &'a str,
    /// What is shown; the date range is appended.
    pub subtitle: &'a str,
    pub y_title: &'a str,
    pub legend_title: &'a str,
    pub dates: &'a [NaiveDate],
    pub lines: &'a [Line<'a>],
    pub events: &'a [Marker],
    pub y_range: Option<(f64, f64)>,
    pub extra_legend: Vec<Entry>,
}

pub(crate) const TITLE_SIZE: f64 = 31.0;
pub(crate) const SUBTITLE_SIZE: f64 = 20.0;
pub(crate) const MARGIN: f64 = 28.0;
const LINE_WIDTH: f64 = 3.0;

/// Draws the title and subtitle; returns the y below them. A paper chart has neither (they
/// belong in its caption): the top margin is returned.
pub(crate) fn draw_header<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    subtitle: &str,
) -> Result<f64, PlotError> {
    let m = c.px(MARGIN);
    if c.paper() {
        return Ok(m);
    }
    let maxw = c.width - 2.0 * m;
    let t = truncate(title, maxw, &|s| c.text_width(s, TITLE_SIZE, Weight::Bold));
    let y1 = m + c.font_px(TITLE_SIZE) * 0.8;
    c.text(m, y1, &t, TITLE_SIZE, Weight::Bold, INK, Align::Left)?;
    let s = truncate(subtitle, maxw, &|s| {
        c.text_width(s, SUBTITLE_SIZE, Weight::Normal)
    });
    let y2 = y1 + c.font_px(SUBTITLE_SIZE) * 1.5;
    c.text(m, y2, &s, SUBTITLE_SIZE, Weight::Normal, GREY, Align::Left)?;
    Ok(y2 + c.font_px(SUBTITLE_SIZE) * 0.6)
}

/// The x range shown for `dates`: first to last, widened by a fortnight each side for one date.
fn date_span(dates: &[NaiveDate]) -> Option<(NaiveDate, NaiveDate)> {
    let from = *dates.iter().min()?;
    let to = *dates.iter().max()?;
    if from == to {
        let a = from.checked_sub_days(chrono::Days::new(15)).unwrap_or(from);
        let b = to.checked_add_days(chrono::Days::new(15)).unwrap_or(to);
        return Some((a, b));
    }
    Some((from, to))
}

/// The value range: the given one, or the data's rounded outwards to ticks.
fn value_span(lines: &[Line], y_range: Option<(f64, f64)>) -> (f64, f64) {
    if let Some((a, b)) = y_range {
        if a.is_finite() && b.is_finite() && b > a {
            return (a, b);
        }
    }
    let vals = lines
        .iter()
        .flat_map(|l| {
            let band = l.band.iter().flatten().flat_map(|&(a, b)| [a, b]);
            l.values.iter().flatten().copied().chain(band)
        })
        .filter(|v| v.is_finite());
    let (lo, hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if lo > hi {
        return (0.0, 1.0);
    }
    axes::nice_range(lo, hi, 8)
}

/// A line as drawn: lines with identical values merged into one, named together, with the dash
/// pattern that sets it apart from the lines of its colour.
struct Drawn<'a> {
    line: &'a Line<'a>,
    label: String,
    dash: Dash,
}

/// Merges lines with identical values (and suspensions, bands and dashing) into one, keeping the
/// first's colour and mark, and hands each colour's lines successive dash patterns (lines drawn
/// dashed on purpose keep their dashes and are not counted).
fn drawn_lines<'a>(lines: &'a [Line<'a>]) -> Vec<Drawn<'a>> {
    let mut groups: Vec<(usize, Vec<&str>)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let has_values = l.values.iter().any(|v| v.is_some_and(f64::is_finite));
        let same = |o: &Line| {
            o.values == l.values
                && o.suspended == l.suspended
                && o.band == l.band
                && o.dashed == l.dashed
        };
        if has_values {
            if let Some(g) = groups.iter_mut().find(|(r, _)| same(&lines[*r])) {
                g.1.push(l.label);
                continue;
            }
        }
        groups.push((i, vec![l.label]));
    }
    let mut out: Vec<Drawn> = Vec::with_capacity(groups.len());
    for (r, labels) in groups {
        let line = &lines[r];
        let dash = if line.dashed {
            Dash::Solid
        } else {
            let k = out
                .iter()
                .filter(|d| !d.line.dashed && d.line.color == line.color)
                .count();
            Dash::round(k)
        };
        out.push(Drawn {
            line,
            label: labels.join(", "),
            dash,
        });
    }
    out
}

/// Text size of the names at the line ends (design pixels).
const LABEL_SIZE: f64 = 17.0;
/// Width of the swatch and gap before a name at a line end (design pixels); the leader from the
/// line's end crosses the 32-pixel gap between the plot and the names.
const LABEL_LEAD: f64 = 36.0;

/// Names at the line ends: each drawn line's label, wrapped, and its last value.
struct EndLabels {
    items: Vec<EndLabel>,
    /// The column's width, leader included.
    width: f64,
}

struct EndLabel {
    drawn: usize,
    lines: Vec<String>,
    value: f64,
    /// The top of the text block once placed.
    top: f64,
}

/// The names at the line ends, if every line with values has its last one at the last date and
/// there are not too many of them; `None` means a legend instead.
fn end_labels<DB: DrawingBackend>(
    c: &Canvas<DB>,
    drawn: &[Drawn],
    n_dates: usize,
) -> Option<EndLabels> {
    const MAX_LABELS: usize = 14;
    let max_w = c.width * 0.22;
    let measure = |s: &str| c.text_width(s, LABEL_SIZE, Weight::Normal);
    let mut items = Vec::new();
    for (k, d) in drawn.iter().enumerate() {
        let last = d
            .line
            .values
            .iter()
            .take(n_dates)
            .rposition(|v| v.is_some_and(f64::is_finite));
        let Some(t) = last else { continue };
        if t + 1 != n_dates {
            return None;
        }
        let value = d.line.values[t]?;
        let lines = wrap_lines(&d.label, max_w, 4, &measure);
        items.push(EndLabel {
            drawn: k,
            lines,
            value,
            top: 0.0,
        });
    }
    if items.is_empty() || items.len() > MAX_LABELS {
        return None;
    }
    let text_w = items
        .iter()
        .flat_map(|i| i.lines.iter())
        .map(|l| measure(l))
        .fold(0.0, f64::max);
    Some(EndLabels {
        items,
        width: c.px(LABEL_LEAD) + text_w,
    })
}

/// Places the names beside the plot: each centred on its line's end where it can be, nudged
/// apart vertically to at least `gap`, within `top..bottom`. Returns false when they cannot
/// all fit.
fn place_end_labels(
    labels: &mut EndLabels,
    ys: &[f64],
    line_h: f64,
    gap: f64,
    top: f64,
    bottom: f64,
) -> bool {
    let h = |l: &EndLabel| l.lines.len().max(1) as f64 * line_h;
    let mut order: Vec<usize> = (0..labels.items.len()).collect();
    order.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]).then(a.cmp(&b)));
    let total: f64 = labels.items.iter().map(h).sum::<f64>()
        + gap * (labels.items.len().saturating_sub(1)) as f64;
    if total > bottom - top + 1e-6 {
        return false;
    }
    // Downwards: each at its wish or just below the one above.
    let mut floor = top;
    for &i in &order {
        let want = ys[i] - h(&labels.items[i]) / 2.0;
        let t = want.max(floor);
        labels.items[i].top = t;
        floor = t + h(&labels.items[i]) + gap;
    }
    // Upwards: pull back inside the bottom, pushing the ones above.
    let mut ceil = bottom;
    for &i in order.iter().rev() {
        let hi = h(&labels.items[i]);
        if labels.items[i].top + hi > ceil {
            labels.items[i].top = ceil - hi;
        }
        ceil = labels.items[i].top - gap;
    }
    labels.items.iter().all(|l| l.top >= top - 1e-6)
}

/// The plot's layout for a right-hand column `right` pixels wide: the frame, the flags, the
/// ticks and the key.
struct Layout {
    frame: DateFrame,
    flags: Vec<events::Flag>,
    x_ticks: (Vec<NaiveDate>, axes::DateUnit),
    y_ticks: (Vec<f64>, f64),
    key: events::KeyLayout,
    key_gap: f64,
    axis_h: f64,
}

#[allow(clippy::too_many_arguments)]
fn layout_plot<DB: DrawingBackend>(
    c: &Canvas<DB>,
    header_bottom: f64,
    right: f64,
    from: NaiveDate,
    to: NaiveDate,
    lo: f64,
    hi: f64,
    numbered: &[Numbered],
) -> Layout {
    let m = c.px(MARGIN);
    let (w, h) = (c.width, c.height);
    let x1 = w - m - right - c.px(32.0);
    let y_ticks = axes::nice_ticks(lo, hi, 9);
    // Headroom: the frame reaches a little beyond the ticks' range, so a line at the top or
    // bottom of the range (an alliance at a constant 1.0, a count at 0) is drawn inside the
    // plot instead of on its edge; the ticks stay on the round values of [lo, hi].
    let (lo, hi) = axes::with_headroom(lo, hi);
    let x0 = m + axes::value_axis_width(c, &y_ticks);
    let probe = DateFrame {
        rect: Rect {
            x0,
            y0: 0.0,
            x1,
            y1: 1.0,
        },
        from,
        to,
        lo,
        hi,
    };
    let (flags, rows) = events::place_flags(c, &probe, numbered);
    let flags_h = if flags.is_empty() {
        c.px(12.0)
    } else {
        rows as f64 * events::flag_row_height(c) + c.px(10.0)
    };
    let max_ticks = ((x1 - x0) / c.px(95.0).max(c.font_px(axes::TICK_SIZE) * 3.2))
        .floor()
        .max(2.0) as usize;
    let x_ticks = axes::date_ticks(from, to, max_ticks);
    let two_lines = x_ticks.1 != axes::DateUnit::Year;
    let axis_h = axes::date_axis_height(c, two_lines, true);
    let min_plot = c.px(300.0).min(h * 0.4);
    let key = if c.paper() {
        // A paper chart's key goes in the caption.
        events::layout_key(c, &[], w - 2.0 * m, 0.0)
    } else {
        let key_room = (h - header_bottom - flags_h - axis_h - 2.0 * m - min_plot)
            .max(0.0)
            .min(h * 0.36);
        events::layout_key(c, numbered, w - 2.0 * m, key_room)
    };
    let key_gap = if key.height > 0.0 { c.px(18.0) } else { 0.0 };
    let y0 = header_bottom + flags_h;
    let y1 = h - m - key.height - key_gap - axis_h;
    Layout {
        frame: DateFrame {
            rect: Rect { x0, y0, x1, y1 },
            ..probe
        },
        flags,
        x_ticks,
        y_ticks,
        key,
        key_gap,
        axis_h,
    }
}

pub(crate) fn draw_line_chart<DB: DrawingBackend>(
    c: &Canvas<DB>,
    ch: &LineChart,
) -> Result<(), PlotError> {
    let m = c.px(MARGIN);
    let (w, h) = (c.width, c.height);
    let span = date_span(ch.dates);
    let subtitle = match span {
        Some(_) => {
            let (a, b) = (
                ch.dates.iter().min().copied(),
                ch.dates.iter().max().copied(),
            );
            match (a, b) {
                (Some(a), Some(b)) if a != b => format!(
                    "{} · {} to {}",
                    ch.subtitle,
                    crate::date::fmt_date(a),
                    crate::date::fmt_date(b)
                ),
                (Some(a), _) => format!("{} · {}", ch.subtitle, crate::date::fmt_date(a)),
                _ => ch.subtitle.to_string(),
            }
        }
        None => ch.subtitle.to_string(),
    };
    let header_bottom = draw_header(c, ch.title, &subtitle)?;
    let Some((from, to)) = span else {
        return no_data(c, header_bottom, "no dates to show");
    };
    let drawn = drawn_lines(ch.lines);
    let (lo, hi) = value_span(ch.lines, ch.y_range);
    let numbered: Vec<Numbered> = events::number(ch.events, from, to);

    // Extra entries (bands, suspension) always go in a small legend.
    let extra = legend::layout(c, "", &ch.extra_legend, w * 0.26, h * 0.3);
    let line_h = c.font_px(LABEL_SIZE) * 1.2;
    let label_gap = c.px(4.0);
    // Names at the line ends when they fit, else a legend.
    let mut direct: Option<(EndLabels, Vec<f64>)> = None;
    let mut direct_layout = None;
    if let Some(mut labels) = end_labels(c, &drawn, ch.dates.len()) {
        let right = labels.width.max(extra.width);
        let lay = layout_plot(c, header_bottom, right, from, to, lo, hi, &numbered);
        let f = &lay.frame;
        let ys: Vec<f64> = labels
            .items
            .iter()
            .map(|l| f.y(l.value).clamp(f.rect.y0, f.rect.y1))
            .collect();
        let extra_h = if extra.height > 0.0 {
            extra.height + c.px(12.0)
        } else {
            0.0
        };
        let (top, bottom) = (f.rect.y0 - line_h / 2.0, f.rect.y1 - extra_h);
        if place_end_labels(&mut labels, &ys, line_h, label_gap, top, bottom) {
            direct = Some((labels, ys));
            direct_layout = Some(lay);
        }
    }
    let leg = if direct.is_some() {
        None
    } else {
        let mut entries: Vec<Entry> = drawn
            .iter()
            .map(|d| {
                let mut e = Entry::line(&d.label, d.line.color, d.line.mark);
                if d.line.dashed {
                    e.swatch = Swatch::Dashed;
                } else if d.dash != Dash::Solid {
                    e.swatch = Swatch::Pattern(d.dash);
                }
                e
            })
            .collect();
        entries.extend(ch.extra_legend.iter().cloned());
        Some(legend::layout(
            c,
            ch.legend_title,
            &entries,
            w * 0.26,
            h * 0.62,
        ))
    };
    let lay = match direct_layout {
        Some(l) => l,
        None => {
            let right = leg.as_ref().map_or(0.0, |l| l.width);
            layout_plot(c, header_bottom, right, from, to, lo, hi, &numbered)
        }
    };
    let frame = lay.frame;
    let (x1, y0, y1) = (frame.rect.x1, frame.rect.y0, frame.rect.y1);
    let x0 = frame.rect.x0;

    axes::draw_date_axes(c, &frame, &lay.y_ticks, &lay.x_ticks, ch.y_title, "date")?;
    events::draw_event_lines(c, &frame, &lay.flags)?;
    for d in &drawn {
        draw_band(c, &frame, ch.dates, d.line)?;
    }
    let mut any = false;
    for (i, d) in drawn.iter().enumerate() {
        any |= draw_line(c, &frame, ch.dates, d, i)?;
    }
    if !any {
        c.text_mid(
            (x0 + x1) / 2.0,
            (y0 + y1) / 2.0,
            "no values in this date range",
            SUBTITLE_SIZE,
            Weight::Normal,
            GREY,
            Align::Center,
        )?;
    }
    events::draw_flags(c, &frame, &lay.flags)?;
    match (&direct, &leg) {
        (Some((labels, ys)), _) => {
            draw_end_labels(c, &frame, &drawn, labels, ys, line_h)?;
            if extra.height > 0.0 {
                legend::draw(c, &extra, x1 + c.px(32.0), y1 - extra.height)?;
            }
        }
        (None, Some(leg)) => legend::draw(c, leg, x1 + c.px(32.0), y0)?,
        (None, None) => {}
    }
    events::draw_key(c, &lay.key, m, y1 + lay.axis_h + lay.key_gap)?;
    Ok(())
}

/// Draws the names at the line ends: a thin grey leader across the gap from the line's end (at
/// `ys`) to its name when the name was nudged away, a swatch in the line's colour, pattern and
/// mark, and the name.
fn draw_end_labels<DB: DrawingBackend>(
    c: &Canvas<DB>,
    f: &DateFrame,
    drawn: &[Drawn],
    labels: &EndLabels,
    ys: &[f64],
    line_h: f64,
) -> Result<(), PlotError> {
    let col_x = f.rect.x1 + c.px(32.0);
    let swatch_w = c.px(LABEL_LEAD - 8.0);
    for (l, &y) in labels.items.iter().zip(ys) {
        let Some(d) = drawn.get(l.drawn) else {
            continue;
        };
        let mid = l.top + line_h / 2.0;
        let col = solid(d.line.color);
        let pattern = if d.line.dashed {
            &[7.0, 6.0][..]
        } else {
            d.dash.pattern()
        };
        c.line(
            &[(f.rect.x1 + c.px(5.0), y), (col_x - c.px(4.0), mid)],
            super::palette::alpha(GREY, 0.7),
            1.0,
        )?;
        c.patterned(
            &[(col_x, mid), (col_x + swatch_w, mid)],
            col,
            LINE_WIDTH,
            pattern,
        )?;
        legend::draw_mark(
            c,
            col_x + swatch_w / 2.0,
            mid,
            d.line.mark,
            d.line.color,
            1.0,
        )?;
        for (k, text) in l.lines.iter().enumerate() {
            c.text_mid(
                col_x + c.px(LABEL_LEAD),
                mid + k as f64 * line_h,
                text,
                LABEL_SIZE,
                Weight::Normal,
                INK,
                Align::Left,
            )?;
        }
    }
    Ok(())
}

fn no_data<DB: DrawingBackend>(c: &Canvas<DB>, top: f64, msg: &str) -> Result<(), PlotError> {
    c.text_mid(
        c.width / 2.0,
        (top + c.height) / 2.0,
        msg,
        SUBTITLE_SIZE,
        Weight::Normal,
        GREY,
        Align::Center,
    )
}

/// Draws one line (runs of present values, suspended stretches dashed (same colour, so
/// the member stays recognisable), isolated points as dots, marks spaced along it). Returns whether anything was drawn.
fn draw_line<DB: DrawingBackend>(
    c: &Canvas<DB>,
    f: &DateFrame,
    dates: &[NaiveDate],
    d: &Drawn,
    index: usize,
) -> Result<bool, PlotError> {
    let l = d.line;
    let pts: Vec<Option<(f64, f64)>> = dates
        .iter()
        .zip(l.values.iter().chain(std::iter::repeat(&None)))
        .map(|(d, v)| match v {
            Some(v) if v.is_finite() => Some((f.x(*d), f.y(*v))),
            _ => None,
        })
        .collect();
    let susp = |i: usize| l.suspended.and_then(|s| s.get(i).copied()).unwrap_or(false);
    let mut drawn = false;
    let mut i = 0;
    while i < pts.len() {
        let Some(start) = pts[i] else {
            i += 1;
            continue;
        };
        // A run of present points i..j.
        let mut j = i;
        while j + 1 < pts.len() && pts[j + 1].is_some() {
            j += 1;
        }
        drawn = true;
        if i == j && start.1 >= f.rect.y0 && start.1 <= f.rect.y1 {
            // An isolated point: a dot (hollow when suspended).
            let (fill, ring) = if susp(i) {
                (solid(super::palette::WHITE), Some((solid(l.color), 2.0)))
            } else {
                (solid(l.color), None)
            };
            c.circle(start.0, start.1, c.px(4.0), Some(fill), ring)?;
        }
        // Split the run into pieces of equal suspension; a segment is suspended when either end is.
        let mut k = i;
        while k < j {
            let s = l.dashed || susp(k) || susp(k + 1);
            let mut e = k + 1;
            while e < j && (l.dashed || susp(e) || susp(e + 1)) == s {
                e += 1;
            }
            let piece: Vec<(f64, f64)> = (k..=e).filter_map(|t| pts[t]).collect();
            for part in clip_y(&piece, f.rect.y0, f.rect.y1) {
                if s {
                    c.dashed(&part, solid(l.color), LINE_WIDTH, 7.0, 6.0)?;
                } else {
                    c.patterned(&part, solid(l.color), LINE_WIDTH, d.dash.pattern())?;
                }
            }
            k = e;
        }
        i = j + 1;
    }
    if l.mark != Mark::None {
        // Marks at least 70 design pixels apart, shifted per series so they do not coincide.
        let mut last = f64::NEG_INFINITY;
        let offset = c.px(17.0) * (index % 4) as f64;
        for (t, p) in pts.iter().enumerate() {
            if let Some(p) = p {
                if p.0 >= f.rect.x0 + offset
                    && p.0 - last >= c.px(70.0)
                    && p.1 >= f.rect.y0
                    && p.1 <= f.rect.y1
                {
                    let a = if susp(t) { 0.5 } else { 1.0 };
                    legend::draw_mark(c, p.0, p.1, l.mark, l.color, a)?;
                    last = p.0;
                }
            }
        }
    }
    Ok(drawn)
}

/// Draws a line's shaded band: one translucent polygon per run of dates with a band, clipped to
/// the plot (values beyond the axis are held at its edge).
fn draw_band<DB: DrawingBackend>(
    c: &Canvas<DB>,
    f: &DateFrame,
    dates: &[NaiveDate],
    l: &Line,
) -> Result<(), PlotError> {
    let clamp = |y: f64| y.clamp(f.rect.y0, f.rect.y1);
    let pts: Vec<Option<(f64, f64, f64)>> = dates
        .iter()
        .zip(l.band.iter().map(Some).chain(std::iter::repeat(None)))
        .map(|(d, b)| match b {
            Some(Some((lo, hi))) if lo.is_finite() && hi.is_finite() => {
                Some((f.x(*d), clamp(f.y(*lo)), clamp(f.y(*hi))))
            }
            _ => None,
        })
        .collect();
    let fill = super::palette::alpha(l.color, 0.18);
    for run in pts.split(Option::is_none) {
        let run: Vec<(f64, f64, f64)> = run.iter().flatten().copied().collect();
        match run.len() {
            0 => {}
            1 => {
                // A single date: a short vertical bar.
                let (x, a, b) = run[0];
                let hw = c.px(3.0);
                c.fill_rect(x - hw, a.min(b), x + hw, a.max(b), fill)?;
            }
            _ => {
                let mut poly: Vec<(f64, f64)> = run.iter().map(|&(x, lo, _)| (x, lo)).collect();
                poly.extend(run.iter().rev().map(|&(x, _, hi)| (x, hi)));
                c.polygon(&poly, fill)?;
            }
        }
    }
    Ok(())
}

/// Clips a polyline to the horizontal band `top ≤ y ≤ bottom`, returning the visible pieces.
pub(crate) fn clip_y(points: &[(f64, f64)], top: f64, bottom: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |p: (f64, f64)| p.1 >= top - 1e-9 && p.1 <= bottom + 1e-9;
    let cross = |a: (f64, f64), b: (f64, f64), y: f64| {
        let t = (y - a.1) / (b.1 - a.1);
        (a.0 + (b.0 - a.0) * t, y)
    };
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    for (k, &p) in points.iter().enumerate() {
        if k == 0 {
            if inside(p) {
                cur.push(p);
            }
            continue;
        }
        let a = points[k - 1];
        match (inside(a), inside(p)) {
            (true, true) => cur.push(p),
            (true, false) => {
                let y = if p.1 < top { top } else { bottom };
                cur.push(cross(a, p, y));
                out.push(std::mem::take(&mut cur));
            }
            (false, true) => {
                let y = if a.1 < top { top } else { bottom };
                cur = vec![cross(a, p, y), p];
            }
            (false, false) => {
                // Both outside: visible only if they straddle the band.
                if (a.1 < top && p.1 > bottom) || (a.1 > bottom && p.1 < top) {
                    let (ya, yb) = if a.1 < top {
                        (top, bottom)
                    } else {
                        (bottom, top)
                    };
                    out.push(vec![cross(a, p, ya), cross(a, p, yb)]);
                }
            }
        }
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out.retain(|v| v.len() >= 2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::Palette;

    fn line<'a>(label: &'a str, color: RGBColor, values: &'a [Option<f64>]) -> Line<'a> {
        Line {
            label,
            color,
            mark: Mark::None,
            values,
            suspended: None,
            band: &[],
            dashed: false,
        }
    }

    #[test]
    fn identical_lines_merge_and_shared_colours_get_distinct_dashes() {
        let flat = [Some(0.6), Some(0.6)];
        let falls = [Some(0.9), Some(0.1)];
        let labels: Vec<String> = (0..16).map(|i| format!("S{i}")).collect();
        let values: Vec<[Option<f64>; 2]> = (0..16)
            .map(|i| [Some(i as f64 / 20.0), Some(-(i as f64) / 20.0)])
            .collect();
        let mut lines: Vec<Line> = (0..16)
            .map(|i| line(&labels[i], Palette::color(i), &values[i]))
            .collect();
        lines.push(line("BLR", Palette::color(1), &flat));
        lines.push(line("KAZ", Palette::color(2), &flat));
        lines.push(line("RUS", Palette::color(3), &falls));
        let drawn = drawn_lines(&lines);
        // The two identical lines are one, named together, in the first one's colour.
        assert_eq!(drawn.len(), 18);
        let merged = drawn.iter().find(|d| d.label == "BLR, KAZ").unwrap();
        assert_eq!(merged.line.color, Palette::color(1));
        // No two drawn lines share both colour and dash pattern.
        for (i, a) in drawn.iter().enumerate() {
            for b in &drawn[i + 1..] {
                assert!(
                    (a.line.color, a.dash) != (b.line.color, b.dash),
                    "{} and {} look alike",
                    a.label,
                    b.label
                );
            }
        }
        // Colours 0 and 7 (ARM and AZE in the CSTO chart): solid, then dotted.
        assert_eq!((drawn[0].dash, drawn[7].dash), (Dash::Solid, Dash::Dotted));
        assert_eq!(drawn[14].dash, Dash::DashDot);
    }

    #[test]
    fn lines_dashed_on_purpose_are_not_given_patterns() {
        let a = [Some(0.1)];
        let b = [Some(0.2)];
        let mut scenario = line("scenario", Palette::color(0), &b);
        scenario.dashed = true;
        let lines = [line("observed", Palette::color(0), &a), scenario];
        let drawn = drawn_lines(&lines);
        assert_eq!((drawn[0].dash, drawn[1].dash), (Dash::Solid, Dash::Solid));
    }

    fn labels(n_lines: &[usize]) -> EndLabels {
        EndLabels {
            items: n_lines
                .iter()
                .enumerate()
                .map(|(k, &n)| EndLabel {
                    drawn: k,
                    lines: vec!["x".to_string(); n],
                    value: 0.0,
                    top: 0.0,
                })
                .collect(),
            width: 10.0,
        }
    }

    #[test]
    fn end_labels_are_nudged_apart_and_kept_inside() {
        // Three labels wanting the same place: stacked without overlap, in line order.
        let mut l = labels(&[1, 1, 1]);
        assert!(place_end_labels(
            &mut l,
            &[50.0, 50.0, 50.0],
            10.0,
            2.0,
            0.0,
            100.0
        ));
        let tops: Vec<f64> = l.items.iter().map(|i| i.top).collect();
        assert_eq!(tops, [45.0, 57.0, 69.0]);
        // At the bottom edge they are pushed up instead.
        let mut l = labels(&[1, 2]);
        assert!(place_end_labels(
            &mut l,
            &[99.0, 100.0],
            10.0,
            2.0,
            0.0,
            100.0
        ));
        assert_eq!(l.items[1].top, 80.0);
        assert_eq!(l.items[0].top, 68.0);
        // A label where it wants to be stays there.
        let mut l = labels(&[1, 1]);
        assert!(place_end_labels(
            &mut l,
            &[20.0, 80.0],
            10.0,
            2.0,
            0.0,
            100.0
        ));
        assert_eq!((l.items[0].top, l.items[1].top), (15.0, 75.0));
    }

    #[test]
    fn end_labels_that_cannot_fit_fall_back_to_a_legend() {
        let mut l = labels(&[3, 3, 3, 3]);
        assert!(!place_end_labels(&mut l, &[10.0; 4], 10.0, 2.0, 0.0, 100.0));
    }

    #[test]
    fn clipping_keeps_the_visible_pieces() {
        let p = clip_y(&[(0.0, 5.0), (10.0, 15.0), (20.0, 5.0)], 0.0, 10.0);
        assert_eq!(
            p,
            vec![
                vec![(0.0, 5.0), (5.0, 10.0)],
                vec![(15.0, 10.0), (20.0, 5.0)]
            ]
        );
        let p = clip_y(&[(0.0, -10.0), (10.0, 20.0)], 0.0, 10.0);
        assert_eq!(p.len(), 1);
        assert!((p[0][0].0 - 10.0 / 3.0).abs() < 1e-9);
        assert!(clip_y(&[(0.0, 20.0), (1.0, 30.0)], 0.0, 10.0).is_empty());
    }
}

#[cfg(test)]
mod headroom_tests {
    use crate::plot::{render_svg, Palette, Series, Size, TimelineChart};

    /// The points of every polyline stroked `stroke` in an SVG.
    fn polylines(svg: &str, stroke: &str) -> Vec<Vec<(f64, f64)>> {
        svg.split("<polyline")
            .skip(1)
            .filter(|p| p.contains(&format!("stroke=\"{stroke}\"")))
            .filter_map(|p| {
                let pts = p.split("points=\"").nth(1)?.split('"').next()?;
                Some(
                    pts.split_whitespace()
                        .filter_map(|xy| {
                            let (x, y) = xy.split_once(',')?;
                            Some((x.parse().ok()?, y.parse().ok()?))
                        })
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn lines_at_the_ends_of_the_range_are_drawn_inside_the_frame() {
        let d = |s| crate::date::parse_date(s).unwrap();
        let (top, bottom) = (Palette::color(0), Palette::color(1));
        let chart = TimelineChart {
            title: "Flat".into(),
            metric_label: "mean_tie".into(),
            dates: vec![d("2020-01-01"), d("2021-01-01"), d("2022-01-01")],
            series: vec![
                Series::new("top", top, vec![Some(1.0); 3]),
                Series::new("bottom", bottom, vec![Some(-1.0); 3]),
            ],
            events: vec![],
            y_range: Some((-1.0, 1.0)),
            band_label: String::new(),
        };
        let svg = render_svg(&chart, Size::new(1200, 700).unwrap()).unwrap();
        let hex = |c: crate::plot::RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        // The frame: the axis line x0,y0 x0,y1 x1,y1.
        let axis = polylines(&svg, "#222222")
            .into_iter()
            .find(|p| p.len() == 3 && p[0].0 == p[1].0 && p[1].1 == p[2].1)
            .expect("the axis line");
        let (y0, y1) = (axis[0].1, axis[1].1);
        let y_of = |c| {
            // The series (one point per date), not a legend swatch.
            let lines = polylines(&svg, &hex(c));
            let ys: Vec<f64> = lines
                .iter()
                .filter(|p| p.len() == 3)
                .flatten()
                .map(|p| p.1)
                .collect();
            assert!(!ys.is_empty(), "no line of {}", hex(c));
            assert!(ys.iter().all(|&y| y == ys[0]), "a flat line: {ys:?}");
            ys[0]
        };
        let (yt, yb) = (y_of(top), y_of(bottom));
        let gap = (y1 - y0) * 0.02;
        assert!(yt > y0 + gap, "1.0 at {yt} on the top of the frame {y0}");
        assert!(
            yb < y1 - gap,
            "−1.0 at {yb} on the bottom of the frame {y1}"
        );
        // The ticks still end at the range: labels 1 and −1 at the lines' heights.
        let labels: Vec<(f64, f64)> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| {
                let y: f64 = t.split(" y=\"").nth(1)?.split('"').next()?.parse().ok()?;
                let body = t.split('>').nth(1)?.split('<').next()?.trim();
                Some((body.replace('\u{2212}', "-").parse().ok()?, y))
            })
            .collect();
        for (value, y) in [(1.0, yt), (-1.0, yb)] {
            let (_, ty) = labels
                .iter()
                .find(|l| l.0 == value)
                .unwrap_or_else(|| panic!("no tick label {value}: {labels:?}"));
            assert!((ty - y).abs() < 15.0, "label {value} at {ty}, line at {y}");
        }
    }
}
