//! Legends drawn in a band of their own beside the plot, so they never hide data: a swatch (line,
//! dash pattern or filled dot, with the series mark) and a label wrapped to three lines; more
//! entries than fit one column go into further columns at a smaller size.

use super::canvas::{Align, Canvas, Weight};
use super::palette::WHITE;
use super::palette::{alpha, bloc_color, solid, Dash, Mark, INK, NO_BLOC};
use super::text::wrap_lines;
use super::PlotError;
use super::RGBColor;
use plotters::prelude::DrawingBackend;
use plotters::style::RGBAColor;

/// What a legend entry's swatch looks like.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    Line,
    Dashed,
    Dot,
    /// A translucent filled box (a shaded band).
    Band,
    /// A line in a dash pattern (lines sharing a colour).
    Pattern(Dash),
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub label: String,
    pub color: RGBColor,
    pub mark: Mark,
    pub swatch: Swatch,
    /// Swatch line width in design pixels.
    pub width: f64,
}

impl Entry {
    pub fn line(label: &str, color: RGBColor, mark: Mark) -> Entry {
        Entry {
            label: label.to_string(),
            color,
            mark,
            swatch: Swatch::Line,
            width: 3.0,
        }
    }
}

/// A legend laid out for a height.
#[derive(Debug, Clone)]
pub(crate) struct Legend {
    pub title: String,
    pub size: f64,
    pub col_width: f64,
    pub items: Vec<(Entry, Vec<String>, usize, f64)>,
    pub width: f64,
    pub height: f64,
}

const SWATCH: f64 = 38.0;

/// Lays out `entries` under an optional `title` in at most `max_width` × `max_height` pixels.
pub(crate) fn layout<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    entries: &[Entry],
    max_width: f64,
    max_height: f64,
) -> Legend {
    let title_h = if title.is_empty() {
        0.0
    } else {
        c.font_px(19.0) * 1.6
    };
    let mut best = None;
    for size in [19.0, 17.0, 15.0, 13.0] {
        for cols in 1..=4usize {
            let l = layout_with(c, title, entries, max_width, size, cols, title_h);
            let fits = l.height <= max_height && l.width <= max_width + 0.5;
            if fits {
                return l;
            }
            best = Some(l);
        }
    }
    // Nothing fits: the smallest layout, clipped by the caller's area.
    best.unwrap_or(Legend {
        title: title.to_string(),
        size: 13.0,
        col_width: max_width,
        items: Vec::new(),
        width: 0.0,
        height: 0.0,
    })
}

/// Legend entries for the blocs present in `bloc` (one bloc index per state), in bloc order:
/// the bloc's label where given, "in no bloc" for [`NO_BLOC`], else "bloc N".
pub fn bloc_entries(bloc: &[usize], labels: &[String]) -> Vec<Entry> {
    let mut blocs: Vec<usize> = bloc.to_vec();
    blocs.sort_unstable();
    blocs.dedup();
    blocs
        .iter()
        .map(|&b| Entry {
            label: match labels.get(b) {
                Some(l) => l.clone(),
                None if b == NO_BLOC => "in no bloc".to_string(),
                None => format!("bloc {}", b + 1),
            },
            color: bloc_color(b),
            mark: Mark::None,
            swatch: Swatch::Dot,
            width: 3.0,
        })
        .collect()
}

fn layout_with<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    entries: &[Entry],
    max_width: f64,
    size: f64,
    cols: usize,
    title_h: f64,
) -> Legend {
    let gap = c.px(18.0);
    let sw = c.px(SWATCH) + c.px(10.0);
    let measure = |s: &str| c.text_width(s, size, Weight::Normal);
    let natural = entries
        .iter()
        .map(|e| measure(&e.label))
        .fold(0.0, f64::max)
        + sw;
    let col_width = natural.min((max_width - gap * (cols as f64 - 1.0)) / cols as f64);
    let line_h = c.font_px(size) * 1.25;
    let per_col = entries.len().div_ceil(cols);
    let mut items = Vec::new();
    let mut height: f64 = 0.0;
    let (mut col, mut y, mut in_col) = (0usize, 0.0, 0usize);
    for e in entries {
        if in_col == per_col {
            col += 1;
            y = 0.0;
            in_col = 0;
        }
        let lines = wrap_lines(&e.label, (col_width - sw).max(c.px(20.0)), 3, &measure);
        let h = lines.len().max(1) as f64 * line_h + c.px(6.0);
        items.push((e.clone(), lines, col, y));
        y += h;
        in_col += 1;
        height = height.max(y);
    }
    let used_cols = if entries.is_empty() { 0 } else { col + 1 };
    let title_w = c.text_width(title, 19.0, Weight::Bold);
    Legend {
        title: title.to_string(),
        size,
        col_width,
        items,
        width: (col_width * used_cols as f64 + gap * (used_cols.max(1) as f64 - 1.0))
            .max(title_w.min(max_width)),
        height: height + title_h,
    }
}

/// Draws a swatch centred vertically on `y`, from `x` over `w` pixels.
pub(crate) fn draw_swatch<DB: DrawingBackend>(
    c: &Canvas<DB>,
    e: &Entry,
    x: f64,
    y: f64,
    w: f64,
) -> Result<(), PlotError> {
    let col = solid(e.color);
    match e.swatch {
        Swatch::Line => c.line(&[(x, y), (x + w, y)], col, e.width)?,
        Swatch::Dashed => c.dashed(&[(x, y), (x + w, y)], col, e.width, 7.0, 5.0)?,
        Swatch::Pattern(d) => c.patterned(&[(x, y), (x + w, y)], col, e.width, d.pattern())?,
        Swatch::Band => {
            let hh = c.px(7.0);
            c.fill_rect(x, y - hh, x + w, y + hh, alpha(e.color, 0.25))?
        }
        Swatch::Dot => c.circle(
            x + w / 2.0,
            y,
            c.px(9.0),
            Some(col),
            Some((solid(INK), 1.0)),
        )?,
    }
    draw_mark(c, x + w / 2.0, y, e.mark, e.color, 1.0)
}

/// Draws a series mark centred on (`x`, `y`); `a` is its opacity.
pub(crate) fn draw_mark<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: f64,
    y: f64,
    mark: Mark,
    color: RGBColor,
    a: f64,
) -> Result<(), PlotError> {
    let r = c.px(6.0);
    let fill: RGBAColor = alpha(color, a);
    let white = solid(WHITE);
    match mark {
        Mark::None => Ok(()),
        Mark::Circle => c.circle(x, y, r, Some(white), Some((fill, 2.2))),
        Mark::Square => {
            c.fill_rect(x - r, y - r, x + r, y + r, white)?;
            c.stroke_rect(x - r, y - r, x + r, y + r, fill, 2.2)
        }
        Mark::Triangle => {
            let pts = [
                (x, y - r * 1.2),
                (x + r * 1.1, y + r * 0.8),
                (x - r * 1.1, y + r * 0.8),
                (x, y - r * 1.2),
            ];
            c.polygon(&pts, white)?;
            c.line(&pts, fill, 2.2)
        }
        Mark::Diamond => {
            let pts = [
                (x, y - r * 1.3),
                (x + r * 1.3, y),
                (x, y + r * 1.3),
                (x - r * 1.3, y),
                (x, y - r * 1.3),
            ];
            c.polygon(&pts, white)?;
            c.line(&pts, fill, 2.2)
        }
    }
}

/// Draws a laid-out legend with its top-left corner at (`x`, `y`).
pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    l: &Legend,
    x: f64,
    y: f64,
) -> Result<(), PlotError> {
    let mut top = y;
    if !l.title.is_empty() {
        c.text(
            x,
            y + c.font_px(19.0) * 0.95,
            &l.title,
            19.0,
            Weight::Bold,
            INK,
            Align::Left,
        )?;
        top += c.font_px(19.0) * 1.6;
    }
    let gap = c.px(18.0);
    let line_h = c.font_px(l.size) * 1.25;
    for (e, lines, col, ey) in &l.items {
        let cx = x + *col as f64 * (l.col_width + gap);
        let first_mid = top + ey + line_h / 2.0;
        draw_swatch(c, e, cx, first_mid, c.px(SWATCH))?;
        for (k, line) in lines.iter().enumerate() {
            c.text_mid(
                cx + c.px(SWATCH) + c.px(10.0),
                first_mid + k as f64 * line_h,
                line,
                l.size,
                Weight::Normal,
                INK,
                Align::Left,
            )?;
        }
    }
    Ok(())
}
