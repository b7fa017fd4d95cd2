//! Event markers on time charts: notable events are numbered in date order, drawn as dashed
//! vertical lines with their number in a flag above the plot (flags that would collide move up a
//! row; events of the same date share a flag), and listed in a numbered key under the plot
//! (date and note, wrapped, in as many columns and at the largest size that fit). On a paper
//! chart they are small ticks on the top axis with their numbers, and the key is left to the
//! caption ([`KeyItem`]).

use super::axes::DateFrame;
use super::canvas::{Align, Canvas, Weight};
use super::palette::WHITE;
use super::palette::{alpha, solid, GREY, INK};
use super::text::wrap_lines;
use super::PlotError;
use chrono::NaiveDate;
use plotters::prelude::DrawingBackend;

/// A dated, annotated event to mark on a time chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// The event's date.
    pub date: NaiveDate,
    /// Its label in the key.
    pub note: String,
}

/// One entry of a chart's event key: the number drawn on the chart, the date and the note.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyItem {
    /// The number on the chart.
    pub num: usize,
    /// The event's date.
    pub date: NaiveDate,
    /// Its note.
    pub note: String,
}

/// An event with its number in the key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Numbered {
    pub num: usize,
    pub date: NaiveDate,
    pub note: String,
}

/// The markers numbered from 1 in date order (stable: same-date events keep their order), then
/// those within `[from, to]`. Numbers count every marker given, so charts of different date
/// ranges fed the same markers number an event alike.
pub(crate) fn number(markers: &[Marker], from: NaiveDate, to: NaiveDate) -> Vec<Numbered> {
    let mut v: Vec<&Marker> = markers.iter().collect();
    v.sort_by_key(|m| m.date);
    v.into_iter()
        .enumerate()
        .filter(|(_, m)| m.date >= from && m.date <= to)
        .map(|(i, m)| Numbered {
            num: i + 1,
            date: m.date,
            note: m.note.clone(),
        })
        .collect()
}

/// A flag: the label of a group of events (one date, or several dates too close to tell apart
/// at this width) and its placement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Flag {
    pub label: String,
    /// The x of each event of the group, ascending.
    pub xs: Vec<f64>,
    /// The flag's centre.
    pub x: f64,
    pub width: f64,
    pub row: usize,
}

pub(crate) const FLAG_SIZE: f64 = 15.0;
const MAX_ROWS: usize = 3;

/// Places the flags of `events` over the x range of `frame`. Events of the same date share a
/// flag; flags go to the lowest of three rows where they do not overlap their left neighbour;
/// a flag that fits in no row is merged with its left neighbour into one flag labelled with the
/// range of numbers (`12–18`), and placement starts again. Returns the flags and the row count.
pub(crate) fn place_flags<DB: DrawingBackend>(
    c: &Canvas<DB>,
    frame: &DateFrame,
    events: &[Numbered],
) -> (Vec<Flag>, usize) {
    // Groups of event indices (first, last), initially one per date.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if events[g.1].date == e.date => g.1 = i,
            _ => groups.push((i, i)),
        }
    }
    let gap = c.px(3.0);
    loop {
        let mut flags: Vec<Flag> = groups
            .iter()
            .map(|&(i, j)| {
                let label = match j - i {
                    0 => events[i].num.to_string(),
                    1 => format!("{},{}", events[i].num, events[j].num),
                    _ => format!("{}–{}", events[i].num, events[j].num),
                };
                let xs: Vec<f64> = events[i..=j].iter().map(|e| frame.x(e.date)).collect();
                let x = (xs[0] + xs[xs.len() - 1]) / 2.0;
                Flag {
                    width: c.text_width(&label, FLAG_SIZE, Weight::Bold) + c.px(10.0),
                    label,
                    xs,
                    x,
                    row: 0,
                }
            })
            .collect();
        let mut row_end = [f64::NEG_INFINITY; MAX_ROWS];
        let mut rows = 0;
        let mut clash = None;
        for (k, f) in flags.iter_mut().enumerate() {
            let left = f.x - f.width / 2.0;
            match (0..MAX_ROWS).find(|&r| row_end[r] + gap <= left) {
                Some(r) => {
                    row_end[r] = f.x + f.width / 2.0;
                    f.row = r;
                    rows = rows.max(r + 1);
                }
                None => {
                    clash = Some(k);
                    break;
                }
            }
        }
        match clash {
            // k ≥ 1: the first flag always finds an empty row.
            Some(k) if k >= 1 => {
                groups[k - 1].1 = groups[k].1;
                groups.remove(k);
            }
            _ => return (flags, rows),
        }
    }
}

/// Height of one row of flags, in pixels.
pub(crate) fn flag_row_height<DB: DrawingBackend>(c: &Canvas<DB>) -> f64 {
    c.font_px(FLAG_SIZE) * 1.25 + c.px(4.0)
}

/// Draws the dashed event lines across the plot, a bracket over the events a flag groups, and
/// the leader from a raised flag down to the plot (call before the data).
pub(crate) fn draw_event_lines<DB: DrawingBackend>(
    c: &Canvas<DB>,
    frame: &DateFrame,
    flags: &[Flag],
) -> Result<(), PlotError> {
    let rh = flag_row_height(c);
    let base = frame.rect.y0 - c.px(4.0);
    let col = alpha(GREY, 0.75);
    for f in flags {
        for &x in &f.xs {
            if c.paper() {
                // A small tick on the top axis.
                let tick = (frame.rect.y0 + c.px(12.0)).min(frame.rect.y1);
                c.line(&[(x, base), (x, tick)], solid(GREY), 1.5)?;
            } else {
                c.dashed(&[(x, base), (x, frame.rect.y1)], col, 1.3, 6.0, 4.0)?;
            }
        }
        let (a, b) = (f.xs[0], f.xs[f.xs.len() - 1]);
        if b - a > 0.5 {
            c.line(&[(a, base), (b, base)], solid(GREY), 1.5)?;
        }
        if f.row > 0 {
            c.line(&[(f.x, base - rh * f.row as f64), (f.x, base)], col, 1.3)?;
        }
    }
    Ok(())
}

/// Draws the numbered flags above the plot (row 0 just above it).
pub(crate) fn draw_flags<DB: DrawingBackend>(
    c: &Canvas<DB>,
    frame: &DateFrame,
    flags: &[Flag],
) -> Result<(), PlotError> {
    let rh = flag_row_height(c);
    let h = c.font_px(FLAG_SIZE) * 1.25;
    for f in flags {
        let y1 = frame.rect.y0 - c.px(4.0) - rh * f.row as f64;
        let y0 = y1 - h;
        let (x0, x1) = (f.x - f.width / 2.0, f.x + f.width / 2.0);
        if !c.paper() {
            c.fill_rect(x0, y0, x1, y1, solid(WHITE))?;
            c.stroke_rect(x0, y0, x1, y1, solid(GREY), 1.0)?;
        }
        c.text_mid(
            f.x,
            (y0 + y1) / 2.0,
            &f.label,
            FLAG_SIZE,
            Weight::Bold,
            INK,
            Align::Center,
        )?;
    }
    Ok(())
}

/// One entry of the event key, laid out.
#[derive(Debug, Clone)]
pub(crate) struct KeyEntry {
    pub num: String,
    pub lines: Vec<String>,
    pub col: usize,
    pub y: f64,
}

/// The event key, laid out for a width.
#[derive(Debug, Clone)]
pub(crate) struct KeyLayout {
    pub size: f64,
    pub col_width: f64,
    pub gutter: f64,
    pub entries: Vec<KeyEntry>,
    /// Events left out for lack of room.
    pub omitted: usize,
    /// Total height in pixels, heading included (0 when there are no events).
    pub height: f64,
}

const KEY_HEADING: f64 = 17.0;

fn heading_height<DB: DrawingBackend>(c: &Canvas<DB>) -> f64 {
    c.font_px(KEY_HEADING) * 1.5
}

/// Lays out the key of `events` in `width` pixels and at most `max_height`: the largest text size,
/// then the most lines per note, then the fewest columns that fit; if nothing fits, the first
/// events at the smallest size, one line each, and a count of the rest.
pub(crate) fn layout_key<DB: DrawingBackend>(
    c: &Canvas<DB>,
    events: &[Numbered],
    width: f64,
    max_height: f64,
) -> KeyLayout {
    let empty = KeyLayout {
        size: 16.0,
        col_width: width,
        gutter: 0.0,
        entries: Vec::new(),
        omitted: 0,
        height: 0.0,
    };
    if events.is_empty() {
        return empty;
    }
    let avail = max_height - heading_height(c);
    let col_gap = c.px(28.0);
    let max_cols = ((width + col_gap) / (c.px(330.0) + col_gap))
        .floor()
        .clamp(1.0, 4.0) as usize;
    for size in [16.0, 15.0, 14.0, 13.0] {
        for max_lines in [3usize, 2, 1] {
            for cols in 1..=max_cols {
                let l =
                    key_in_columns(c, events, width, cols, col_gap, size, max_lines, usize::MAX);
                if l.height <= avail {
                    return KeyLayout {
                        height: l.height + heading_height(c),
                        ..l
                    };
                }
            }
        }
    }
    // Nothing fits: as many one-line entries as fit, and a line saying how many are left out.
    let line_h = c.font_px(13.0) * 1.3;
    let rows = ((avail - line_h) / line_h).floor().max(0.0) as usize;
    let keep = (rows * max_cols).min(events.len());
    let mut l = key_in_columns(c, events, width, max_cols, col_gap, 13.0, 1, keep);
    l.omitted = events.len() - keep;
    l.height = l.height + line_h + heading_height(c);
    l
}

#[allow(clippy::too_many_arguments)]
fn key_in_columns<DB: DrawingBackend>(
    c: &Canvas<DB>,
    events: &[Numbered],
    width: f64,
    cols: usize,
    col_gap: f64,
    size: f64,
    max_lines: usize,
    keep: usize,
) -> KeyLayout {
    let events = &events[..keep.min(events.len())];
    let col_width = (width - col_gap * (cols as f64 - 1.0)) / cols as f64;
    let widest_num = events
        .iter()
        .map(|e| c.text_width(&e.num.to_string(), size, Weight::Bold))
        .fold(0.0, f64::max);
    let gutter = widest_num + c.px(8.0);
    let line_h = c.font_px(size) * 1.3;
    let entry_gap = c.px(3.0);
    let measure = |s: &str| c.text_width(s, size, Weight::Normal);
    let wrapped: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            let text = format!("{}  {}", crate::date::fmt_date(e.date), e.note);
            wrap_lines(&text, col_width - gutter, max_lines, &measure)
        })
        .collect();
    let heights: Vec<f64> = wrapped
        .iter()
        .map(|l| l.len().max(1) as f64 * line_h + entry_gap)
        .collect();
    // Balanced column-major partition: the smallest column height that fits in `cols` columns.
    let total: f64 = heights.iter().sum();
    let tallest = heights.iter().copied().fold(0.0, f64::max);
    let mut limit = (total / cols as f64).max(tallest);
    let assign = |limit: f64| -> Option<Vec<(usize, f64)>> {
        let mut out = Vec::with_capacity(heights.len());
        let (mut col, mut y) = (0usize, 0.0);
        for &h in &heights {
            if y + h > limit + 1e-6 && y > 0.0 {
                col += 1;
                y = 0.0;
            }
            if col >= cols {
                return None;
            }
            out.push((col, y));
            y += h;
        }
        Some(out)
    };
    let placed = loop {
        if let Some(p) = assign(limit) {
            break p;
        }
        limit += line_h / 2.0;
    };
    let height = placed
        .iter()
        .zip(&heights)
        .map(|((_, y), h)| y + h)
        .fold(0.0, f64::max);
    let entries = events
        .iter()
        .zip(wrapped)
        .zip(placed)
        .map(|((e, lines), (col, y))| KeyEntry {
            num: e.num.to_string(),
            lines,
            col,
            y,
        })
        .collect();
    KeyLayout {
        size,
        col_width,
        gutter,
        entries,
        omitted: 0,
        height,
    }
}

/// Draws a laid-out key with its top-left corner at (`x`, `y`).
pub(crate) fn draw_key<DB: DrawingBackend>(
    c: &Canvas<DB>,
    key: &KeyLayout,
    x: f64,
    y: f64,
) -> Result<(), PlotError> {
    if key.entries.is_empty() {
        return Ok(());
    }
    c.text(
        x,
        y + c.font_px(KEY_HEADING) * 0.95,
        "Events",
        KEY_HEADING,
        Weight::Bold,
        INK,
        Align::Left,
    )?;
    let top = y + heading_height(c);
    let col_gap = c.px(28.0);
    let line_h = c.font_px(key.size) * 1.3;
    let base = c.font_px(key.size) * 0.95;
    for e in &key.entries {
        let cx = x + e.col as f64 * (key.col_width + col_gap);
        let ey = top + e.y;
        c.text(
            cx + key.gutter - c.px(8.0),
            ey + base,
            &e.num,
            key.size,
            Weight::Bold,
            INK,
            Align::Right,
        )?;
        for (k, line) in e.lines.iter().enumerate() {
            c.text(
                cx + key.gutter,
                ey + base + k as f64 * line_h,
                line,
                key.size,
                Weight::Normal,
                INK,
                Align::Left,
            )?;
        }
    }
    if key.omitted > 0 {
        let bottom = key
            .entries
            .iter()
            .map(|e| e.y + e.lines.len() as f64 * line_h)
            .fold(0.0, f64::max);
        c.text(
            x,
            top + bottom + base + c.px(3.0),
            &format!("… and {} more events not shown", key.omitted),
            key.size,
            Weight::Normal,
            GREY,
            Align::Left,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::date::parse_date(s).unwrap()
    }

    #[test]
    fn numbers_by_date_over_all_markers_keeping_same_date_order() {
        let m = |date: &str, note: &str| Marker {
            date: d(date),
            note: note.into(),
        };
        let v = number(
            &[
                m("2020-05-01", "b"),
                m("2019-01-01", "out"),
                m("2020-02-01", "a"),
                m("2020-05-01", "c"),
            ],
            d("2020-01-01"),
            d("2020-12-31"),
        );
        let got: Vec<(usize, &str)> = v.iter().map(|e| (e.num, e.note.as_str())).collect();
        assert_eq!(got, [(2, "a"), (3, "b"), (4, "c")]);
    }
}
