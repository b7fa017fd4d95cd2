//! The alluvial chart of bloc membership over time: one column per date at which some shown
//! state changes bloc (plus the first and the last date), evenly spaced; at each column the
//! blocs are stacked bars, one slot per state, in the order of their (consistent) labels; each
//! state flows from its slot at one column to its slot at the next as a band coloured by its
//! bloc at the earlier column. States that change bloc are drawn stronger and labelled in bold;
//! every state is labelled at its first and last column. A caption under the chart lists the
//! switches (given by the caller, who names the blocs).
//!
//! Input is plain data: the state of each row and its bloc label at each date of a series
//! (`None`: absent or not in any bloc), e.g. the labels kept consistent from date to date by
//! the bloc dynamics (docs/metrics.md). Columns are found by [`AlluvialChart::columns`].
//!
//! Cost: O(states · columns) bands, each a polygon of a fixed number of points.

use super::canvas::{Align, Canvas, Weight};
use super::legend::{self, Entry, Swatch};
use super::palette::{alpha, bloc_color, solid, Mark, GREY, INK, NO_BLOC, WHITE};
use super::text::{truncate, wrap_lines};
use super::timeline::{draw_header, MARGIN};
use super::{Chart, PlotError};
use chrono::NaiveDate;
use plotters::prelude::DrawingBackend;

/// Bloc membership of some states over a series of dates.
#[derive(Debug, Clone, PartialEq)]
pub struct AlluvialChart {
    /// The chart's title.
    pub title: String,
    /// The line under the title.
    pub subtitle: String,
    /// The dates of the series, ascending.
    pub dates: Vec<NaiveDate>,
    /// The label of each row (state ids).
    pub labels: Vec<String>,
    /// `bloc[row][t]`: the bloc label of the row's state at `dates[t]`; `None` when absent.
    pub bloc: Vec<Vec<Option<usize>>>,
    /// The legend text of each bloc label (indexed by label; missing: "bloc N").
    pub bloc_names: Vec<String>,
    /// The largest number of states (shown or not) each bloc label holds at any date: labels
    /// that never hold two states are drawn grey ("a state on its own"), the others get palette
    /// colours in label order. Empty: counted over the shown rows.
    pub bloc_sizes: Vec<usize>,
    /// The legend's title, saying which blocs these are.
    pub bloc_title: String,
    /// Text under the chart (e.g. the switches), wrapped to at most four lines.
    pub caption: String,
}

/// The blocs of one date with their consistent labels (e.g. from the bloc dynamics): each bloc
/// as (label, member state indices).
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledBlocs {
    /// The date.
    pub date: NaiveDate,
    /// (label, states) for each bloc.
    pub blocs: Vec<(usize, Vec<usize>)>,
}

/// One change of bloc between two drawn columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switch {
    /// The row.
    pub row: usize,
    /// The index in `dates` of the column where the row is in its new bloc.
    pub date: usize,
    /// The bloc label before.
    pub from: usize,
    /// The bloc label at `date`.
    pub to: usize,
}

/// Design pixels of the gap between two blocs stacked at a column.
const BLOC_GAP: f64 = 10.0;
/// Points along each band's edges.
const BAND_POINTS: usize = 24;

impl AlluvialChart {
    /// The chart of `series` (ascending dates) for the states `rows` (indices into `ids`, the
    /// ids of every state): the membership matrix, each label's largest size over every state,
    /// and each label named by up to four members at the last date it exists ("2: ARM, GEO,
    /// UKR, TUR +31 (35 states)"). Title, subtitle, legend title and caption as given.
    pub fn from_labelled(
        title: String,
        subtitle: String,
        bloc_title: String,
        ids: &[String],
        rows: &[usize],
        series: &[LabelledBlocs],
    ) -> AlluvialChart {
        let mut row_of = vec![usize::MAX; ids.len()];
        for (r, &s) in rows.iter().enumerate() {
            if let Some(x) = row_of.get_mut(s) {
                *x = r;
            }
        }
        let mut bloc: Vec<Vec<Option<usize>>> = vec![vec![None; series.len()]; rows.len()];
        let labels = series
            .iter()
            .flat_map(|d| d.blocs.iter().map(|b| b.0 + 1))
            .max()
            .unwrap_or(0);
        let mut bloc_names = vec![String::new(); labels];
        let mut bloc_sizes = vec![0usize; labels];
        for (t, d) in series.iter().enumerate() {
            for (label, members) in &d.blocs {
                for &s in members {
                    if let Some(&r) = row_of.get(s).filter(|&&r| r != usize::MAX) {
                        bloc[r][t] = Some(*label);
                    }
                }
                bloc_sizes[*label] = bloc_sizes[*label].max(members.len());
                let names: Vec<&str> = members
                    .iter()
                    .filter_map(|&s| ids.get(s).map(String::as_str))
                    .collect();
                let shown = names.iter().take(4).copied().collect::<Vec<_>>().join(", ");
                bloc_names[*label] = match names.len() {
                    0..=4 => format!("{label}: {shown}"),
                    n => format!("{label}: {shown} +{} ({n} states)", n - 4),
                };
            }
        }
        AlluvialChart {
            title,
            subtitle,
            dates: series.iter().map(|d| d.date).collect(),
            labels: rows
                .iter()
                .map(|&s| ids.get(s).cloned().unwrap_or_default())
                .collect(),
            bloc,
            bloc_names,
            bloc_sizes,
            bloc_title,
            caption: String::new(),
        }
    }

    /// The bloc of `row` at date index `t`.
    fn at(&self, row: usize, t: usize) -> Option<usize> {
        self.bloc.get(row).and_then(|r| r.get(t)).copied().flatten()
    }

    /// The date indices drawn as columns: the first date, every date at which some row's bloc
    /// differs from the previous date's (a state arriving or leaving counts as well), and the
    /// last date. Nothing is lost: between two columns no row changes.
    pub fn columns(&self) -> Vec<usize> {
        let t_n = self.dates.len();
        if t_n == 0 {
            return Vec::new();
        }
        let mut cols = vec![0];
        for t in 1..t_n {
            if (0..self.labels.len()).any(|r| self.at(r, t) != self.at(r, t - 1)) {
                cols.push(t);
            }
        }
        if cols.last() != Some(&(t_n - 1)) {
            cols.push(t_n - 1);
        }
        cols
    }

    /// Every change of bloc of a row present at two consecutive columns, by date then row.
    pub fn switches(&self) -> Vec<Switch> {
        let cols = self.columns();
        let mut out = Vec::new();
        for pair in cols.windows(2) {
            for row in 0..self.labels.len() {
                if let (Some(from), Some(to)) = (self.at(row, pair[0]), self.at(row, pair[1])) {
                    if from != to {
                        out.push(Switch {
                            row,
                            date: pair[1],
                            from,
                            to,
                        });
                    }
                }
            }
        }
        out
    }

    /// The colour index of each bloc label as the chart draws it ([`super::NO_BLOC`]: grey), so
    /// that other charts can colour the same blocs alike.
    pub fn label_colours(&self) -> Vec<usize> {
        self.colour_of(&self.columns())
    }

    /// The colour index of each bloc label: labels that hold two or more states at some date
    /// ([`AlluvialChart::bloc_sizes`], else the shown rows at the columns) get palette colours
    /// in label order; the others (a state on its own) are grey.
    fn colour_of(&self, cols: &[usize]) -> Vec<usize> {
        let max_label = self.bloc.iter().flatten().flatten().copied().max();
        let Some(max_label) = max_label else {
            return Vec::new();
        };
        let mut shared = vec![false; max_label + 1];
        if self.bloc_sizes.is_empty() {
            let mut count = vec![0usize; max_label + 1];
            for &t in cols {
                count.iter_mut().for_each(|c| *c = 0);
                for row in 0..self.labels.len() {
                    if let Some(b) = self.at(row, t) {
                        count[b] += 1;
                    }
                }
                for (b, &c) in count.iter().enumerate() {
                    shared[b] |= c > 1;
                }
            }
        } else {
            for (b, x) in shared.iter_mut().enumerate() {
                *x = self.bloc_sizes.get(b).is_some_and(|&n| n > 1);
            }
        }
        let mut next = 0;
        shared
            .iter()
            .map(|&s| {
                if s {
                    next += 1;
                    next - 1
                } else {
                    NO_BLOC
                }
            })
            .collect()
    }

    /// The rows in the order they are stacked at each column: blocs by label, and within a
    /// bloc by the position at the previous column (rows arriving last, in row order); at the
    /// first column by the bloc each row ends in, then row order.
    fn stacking(&self, cols: &[usize]) -> Vec<Vec<usize>> {
        let rows = self.labels.len();
        let last_bloc: Vec<usize> = (0..rows)
            .map(|r| {
                cols.iter()
                    .rev()
                    .find_map(|&t| self.at(r, t))
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let mut out: Vec<Vec<usize>> = Vec::with_capacity(cols.len());
        for (k, &t) in cols.iter().enumerate() {
            let mut here: Vec<usize> = (0..rows).filter(|&r| self.at(r, t).is_some()).collect();
            let prev_rank: Vec<usize> = match out.last() {
                Some(prev) => {
                    let mut rank = vec![usize::MAX; rows];
                    for (i, &r) in prev.iter().enumerate() {
                        rank[r] = i;
                    }
                    rank
                }
                None => vec![usize::MAX; rows],
            };
            here.sort_by_key(|&r| {
                let b = self.at(r, t).unwrap_or(usize::MAX);
                if k == 0 {
                    (b, last_bloc[r], r)
                } else {
                    (b, prev_rank[r], r)
                }
            });
            out.push(here);
        }
        out
    }
}

/// A smooth step from 0 to 1 (3u² − 2u³).
fn smooth(u: f64) -> f64 {
    u * u * (3.0 - 2.0 * u)
}

impl Chart for AlluvialChart {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<(), PlotError> {
        let top = draw_header(c, &self.title, &self.subtitle)?;
        let m = c.px(MARGIN);
        let (w, h) = (c.width, c.height);
        let cols = self.columns();
        let rows = self.labels.len();
        if cols.is_empty() || rows == 0 || self.bloc.iter().flatten().all(Option::is_none) {
            return c.text_mid(
                w / 2.0,
                (top + h) / 2.0,
                "no state is in a bloc at these dates",
                20.0,
                Weight::Normal,
                GREY,
                Align::Center,
            );
        }
        let colour = self.colour_of(&cols);
        let colour_at = |b: usize| bloc_color(colour.get(b).copied().unwrap_or(NO_BLOC));
        let stacks = self.stacking(&cols);
        let switches = self.switches();
        let mut moves = vec![false; rows];
        for s in &switches {
            moves[s.row] = true;
        }

        // Legend on the right: one entry per coloured label, then one for states on their own.
        let mut entries: Vec<Entry> = Vec::new();
        let mut lone = false;
        for (b, &col) in colour.iter().enumerate() {
            let used = cols
                .iter()
                .any(|&t| (0..rows).any(|r| self.at(r, t) == Some(b)));
            if !used {
                continue;
            }
            if col == NO_BLOC {
                lone = true;
                continue;
            }
            entries.push(Entry {
                label: self
                    .bloc_names
                    .get(b)
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .unwrap_or_else(|| format!("bloc {b}")),
                color: bloc_color(col),
                mark: Mark::None,
                swatch: Swatch::Dot,
                width: 3.0,
            });
        }
        if lone {
            entries.push(Entry {
                label: "a state on its own".into(),
                color: bloc_color(NO_BLOC),
                mark: Mark::None,
                swatch: Swatch::Dot,
                width: 3.0,
            });
        }
        let title = if self.bloc_title.is_empty() {
            "Blocs"
        } else {
            self.bloc_title.as_str()
        };
        let leg = legend::layout(c, title, &entries, w * 0.24, h - top - 2.0 * m);
        let lx = w - m - leg.width;
        legend::draw(c, &leg, lx, top + c.px(10.0))?;

        // Caption under the chart.
        let cap_w = lx - m - c.px(30.0);
        let cap_size = 16.0;
        let cap_lines = wrap_lines(&self.caption, cap_w, 4, &|s| {
            c.text_width(s, cap_size, Weight::Normal)
        });
        let cap_line_h = c.font_px(cap_size) * 1.35;
        let cap_h = cap_lines.len() as f64 * cap_line_h;
        for (k, line) in cap_lines.iter().enumerate() {
            let y = h - m - cap_h + (k as f64 + 0.8) * cap_line_h;
            c.text(m, y, line, cap_size, Weight::Normal, GREY, Align::Left)?;
        }

        // Vertical room: the tallest column (its slots and the gaps between its blocs).
        let date_h = c.font_px(15.0) * 2.0;
        let y0 = top + c.px(14.0);
        let y1 = h - m - cap_h - c.px(10.0) - date_h;
        let gap = c.px(BLOC_GAP);
        let blocs_in = |t: usize, stack: &[usize]| {
            let mut n = 0;
            let mut last = None;
            for &r in stack {
                let b = self.at(r, t);
                if b != last {
                    n += 1;
                    last = b;
                }
            }
            n
        };
        let tallest = cols
            .iter()
            .zip(&stacks)
            .map(|(&t, s)| (s.len(), blocs_in(t, s)))
            .fold((1usize, 1usize), |a, b| (a.0.max(b.0), a.1.max(b.1)));
        let slot = ((y1 - y0 - gap * (tallest.1.saturating_sub(1)) as f64) / tallest.0 as f64)
            .max(c.px(1.0));
        let label_size = (slot * 0.85 / c.scale).clamp(7.0, 17.0);
        let label_w = self
            .labels
            .iter()
            .map(|l| {
                let t = truncate(l, c.px(120.0), &|s| {
                    c.text_width(s, label_size, Weight::Bold)
                });
                c.text_width(&t, label_size, Weight::Bold)
            })
            .fold(0.0, f64::max)
            + c.px(8.0);
        let x0 = m + label_w;
        let x1 = lx - c.px(30.0) - label_w;
        let bar = c.px(14.0);
        let span = (x1 - x0 - bar).max(1.0);
        let col_x = |k: usize| {
            if cols.len() == 1 {
                x0 + span / 2.0
            } else {
                x0 + span * k as f64 / (cols.len() - 1) as f64
            }
        };

        // Slot centres: y of each row at each column (None when absent).
        let mut centre: Vec<Vec<Option<f64>>> = vec![vec![None; cols.len()]; rows];
        // Bars: (column, bloc, top, bottom).
        let mut bars: Vec<(usize, usize, f64, f64)> = Vec::new();
        for (k, (&t, stack)) in cols.iter().zip(&stacks).enumerate() {
            // Centre each column's stack vertically in the room.
            let used =
                stack.len() as f64 * slot + gap * blocs_in(t, stack).saturating_sub(1) as f64;
            let mut y = y0 + (y1 - y0 - used) / 2.0;
            let mut last: Option<usize> = None;
            for &r in stack {
                let b = self.at(r, t).unwrap_or(usize::MAX);
                if last.is_some() && last != Some(b) {
                    y += gap;
                }
                if last != Some(b) {
                    bars.push((k, b, y, y));
                }
                last = Some(b);
                centre[r][k] = Some(y + slot / 2.0);
                y += slot;
                if let Some(bar) = bars.last_mut() {
                    bar.3 = y;
                }
            }
        }

        // Bands between consecutive columns, quiet ones first, then the rows that move.
        for pass in [false, true] {
            for r in (0..rows).filter(|&r| moves[r] == pass) {
                for k in 0..cols.len().saturating_sub(1) {
                    let (Some(ya), Some(yb)) = (centre[r][k], centre[r][k + 1]) else {
                        continue;
                    };
                    let b = self.at(r, cols[k]).unwrap_or(usize::MAX);
                    let switched = self.at(r, cols[k + 1]) != Some(b);
                    let (xa, xb) = (col_x(k) + bar, col_x(k + 1));
                    let half = slot * 0.5 * if pass { 0.9 } else { 0.8 };
                    let mut poly: Vec<(f64, f64)> = Vec::with_capacity(2 * BAND_POINTS + 2);
                    for i in 0..=BAND_POINTS {
                        let u = i as f64 / BAND_POINTS as f64;
                        poly.push((xa + (xb - xa) * u, ya + (yb - ya) * smooth(u) - half));
                    }
                    for i in (0..=BAND_POINTS).rev() {
                        let u = i as f64 / BAND_POINTS as f64;
                        poly.push((xa + (xb - xa) * u, ya + (yb - ya) * smooth(u) + half));
                    }
                    let a = if switched {
                        0.85
                    } else if pass {
                        0.5
                    } else {
                        0.3
                    };
                    c.polygon(&poly, alpha(colour_at(b), a))?;
                }
            }
        }
        for &(k, b, ya, yb) in &bars {
            let x = col_x(k);
            c.fill_rect(x, ya, x + bar, yb, solid(colour_at(b)))?;
            c.stroke_rect(x, ya, x + bar, yb, solid(INK), 1.0)?;
        }

        // State labels at each row's first and last column (bold for rows that move).
        for r in 0..rows {
            let present: Vec<usize> = (0..cols.len())
                .filter(|&k| centre[r][k].is_some())
                .collect();
            let (Some(&first), Some(&last)) = (present.first(), present.last()) else {
                continue;
            };
            let weight = if moves[r] {
                Weight::Bold
            } else {
                Weight::Normal
            };
            let text = truncate(&self.labels[r], c.px(120.0), &|s| {
                c.text_width(s, label_size, weight)
            });
            let colour = if moves[r] { INK } else { GREY };
            for (k, right) in [(first, false), (last, true)] {
                if k == first && k == last && right {
                    continue;
                }
                let Some(y) = centre[r][k] else { continue };
                let (x, align) = if right {
                    (col_x(k) + bar + c.px(5.0), Align::Left)
                } else {
                    (col_x(k) - c.px(5.0), Align::Right)
                };
                if k != 0 && k + 1 != cols.len() {
                    // A label beside an inner column sits on the bands: give it a halo.
                    let tw = c.text_width(&text, label_size, weight);
                    let bx = if right { x } else { x - tw };
                    let fh = c.font_px(label_size);
                    c.fill_rect(
                        bx - c.px(2.0),
                        y - fh * 0.55,
                        bx + tw + c.px(2.0),
                        y + fh * 0.55,
                        alpha(WHITE, 0.85),
                    )?;
                }
                c.text_mid(x, y, &text, label_size, weight, colour, align)?;
            }
        }

        // Dates under the columns, thinned when they would collide.
        let date_y = y1 + date_h * 0.6;
        let dw = c.text_width("0000-00-00", 15.0, Weight::Normal) + c.px(10.0);
        let step = if cols.len() > 1 {
            ((dw / (span / (cols.len() - 1) as f64)).ceil() as usize).max(1)
        } else {
            1
        };
        for (k, &t) in cols.iter().enumerate() {
            if k % step != 0 && k + 1 != cols.len() {
                continue;
            }
            if k + 1 == cols.len() && k % step != 0 && k >= 1 {
                // The last date is always shown; skip it only if the previous shown one is too close.
                let prev = k - k % step;
                if col_x(k) - col_x(prev) < dw {
                    continue;
                }
            }
            c.text_mid(
                col_x(k) + bar / 2.0,
                date_y,
                &crate::date::fmt_date(self.dates[t]),
                15.0,
                Weight::Normal,
                INK,
                Align::Center,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
    }

    fn chart() -> AlluvialChart {
        // A stays in bloc 0, B in bloc 1; C moves from bloc 0 to bloc 1 at the third date; D
        // arrives (in bloc 1) at the fourth.
        AlluvialChart {
            title: "t".into(),
            subtitle: "s".into(),
            dates: vec![d(2020, 1), d(2020, 2), d(2020, 3), d(2020, 4), d(2020, 5)],
            labels: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            bloc: vec![
                vec![Some(0); 5],
                vec![Some(1); 5],
                vec![Some(0), Some(0), Some(1), Some(1), Some(1)],
                vec![None, None, None, Some(1), Some(1)],
            ],
            bloc_names: vec![],
            bloc_sizes: vec![],
            bloc_title: String::new(),
            caption: String::new(),
        }
    }

    #[test]
    fn built_from_labelled_blocs() {
        let ids: Vec<String> = ["A", "B", "C", "D", "E", "F"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let series = [
            LabelledBlocs {
                date: d(2020, 1),
                blocs: vec![(0, vec![0, 1, 2, 3, 4]), (1, vec![5])],
            },
            LabelledBlocs {
                date: d(2020, 2),
                blocs: vec![(0, vec![0, 1]), (2, vec![2, 3, 4, 5])],
            },
        ];
        let c = AlluvialChart::from_labelled(
            "t".into(),
            "s".into(),
            "Signed blocs".into(),
            &ids,
            &[2, 0],
            &series,
        );
        assert_eq!(c.labels, ["C", "A"]);
        assert_eq!(c.bloc, vec![vec![Some(0), Some(2)], vec![Some(0), Some(0)]]);
        assert_eq!(c.bloc_sizes, vec![5, 1, 4]);
        assert_eq!(c.bloc_names, ["0: A, B", "1: F", "2: C, D, E, F"]);
        let five = LabelledBlocs {
            date: d(2020, 3),
            blocs: vec![(0, vec![0, 1, 2, 3, 4])],
        };
        let c = AlluvialChart::from_labelled(
            String::new(),
            String::new(),
            String::new(),
            &ids,
            &[0],
            &[five],
        );
        assert_eq!(c.bloc_names, ["0: A, B, C, D +1 (5 states)"]);
    }

    #[test]
    fn columns_are_the_dates_where_something_changes() {
        let c = chart();
        assert_eq!(c.columns(), vec![0, 2, 3, 4]);
        assert_eq!(
            c.switches(),
            vec![Switch {
                row: 2,
                date: 2,
                from: 0,
                to: 1
            }]
        );
    }

    #[test]
    fn stacks_follow_blocs_then_previous_positions() {
        let c = chart();
        let cols = c.columns();
        let s = c.stacking(&cols);
        // First column: bloc 0 (A, then C, which ends in bloc 1), then bloc 1 (B).
        assert_eq!(s[0], vec![0, 2, 1]);
        // After the switch: bloc 0 (A), bloc 1 (C above B: C came from higher up).
        assert_eq!(s[1], vec![0, 2, 1]);
        assert_eq!(s[2], vec![0, 2, 1, 3]);
        // Bloc 0 holds one state from the third date on but two before: coloured.
        assert_eq!(c.colour_of(&cols), vec![0, 1]);
        // Sizes over every state (shown or not) decide instead when given.
        let c = AlluvialChart {
            bloc_sizes: vec![1, 3],
            ..chart()
        };
        assert_eq!(c.colour_of(&cols), vec![NO_BLOC, 0]);
    }
}
