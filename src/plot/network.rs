//! The network snapshot: the signed graph at one date, placed by the deterministic force-directed
//! layout of [`super::layout`] (or at positions given by the caller, e.g. from
//! [`lay_out_together`], so that the networks of several dates are comparable). Positive ties
//! are solid grey lines, negative ties dashed red, both wider for larger |weight|; nodes are
//! coloured by bloc (legend on the right, titled by the kind of bloc) and labelled with their
//! ids, each label put where it overlaps the fewest nodes and labels. A caption line under the
//! graph carries the graph metrics.

use super::axes::Rect;
use super::canvas::{Align, Canvas, Weight};
use super::layout::{force_layout, layout_series, separate, SeriesGraph};
use super::legend::{self, Entry, Swatch};
use super::palette::WHITE;
use super::palette::{alpha, bloc_color, solid, Mark, GREY, INK, NO_BLOC};
use super::text::{truncate, wrap_lines};
use super::timeline::{draw_header, MARGIN};
use super::RGBColor;
use super::{Chart, PlotError, Size};
use chrono::NaiveDate;
use plotters::prelude::DrawingBackend;

/// Colour of positive ties.
const POSITIVE: RGBColor = RGBColor(0x4D, 0x4D, 0x4D);
/// Colour of negative ties: the red of the heatmap's scale (so red means negative in every
/// chart), kept out of the bloc palette so a tie never reads as a bloc.
pub const NEGATIVE: RGBColor = RGBColor(0xB2, 0x18, 0x2B);

/// The graph at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkChart {
    /// The chart's title.
    pub title: String,
    /// The date drawn.
    pub date: NaiveDate,
    /// A line of graph metrics shown under the graph (wrapped to two lines at most).
    pub caption: String,
    /// Node labels (state ids), in dataset order.
    pub labels: Vec<String>,
    /// Bloc index of each node; the node's colour is [`super::bloc_color`] (grey for
    /// [`super::NO_BLOC`]).
    pub bloc: Vec<usize>,
    /// Legend text of each bloc index (missing ones read "bloc N"; [`super::NO_BLOC`]: "in no bloc").
    pub bloc_labels: Vec<String>,
    /// The title of the bloc legend, saying which blocs colour the nodes (e.g. "Signed blocs");
    /// empty: "Blocs".
    pub bloc_title: String,
    /// Row-major `n × n` symmetric tie weights (0 = no tie); only the upper triangle is read.
    pub weights: Vec<f64>,
    /// Node positions in the unit square (x to the right, y down), one per label, as
    /// [`super::layout::layout_series`] gives them; `None` (or positions that do not fit):
    /// the chart lays itself out with [`super::layout::force_layout`].
    pub positions: Option<Vec<(f64, f64)>>,
}

/// The width / height of the area a network chart of `size` draws its nodes in, about: what
/// [`lay_out_together`] lays out for (a chart maps the unit square onto its actual area).
pub fn layout_aspect(size: Size) -> f64 {
    // The legend column, margins and label room take about 576 × 243 design pixels (of a
    // 1600×900 design, scaled with the picture): measured within 1 % at 1600×900, 800×600 and
    // 1200×1200 on the CSTO network.
    let (w, h) = (f64::from(size.width), f64::from(size.height));
    let scale = (w / 1600.0).min(h / 900.0);
    (w - 576.0 * scale) / (h - 243.0 * scale).max(1.0)
}

/// Lays out `charts` (one network at several dates, in date order) together, so that a state
/// that keeps its ties is drawn at the same place in each ([`layout_series`]: each date starts
/// from the previous one's positions), and stores the positions in each chart. States are
/// matched by label. `size` is the size the charts will be drawn at.
pub fn lay_out_together(charts: &mut [&mut NetworkChart], size: Size) {
    let ties: Vec<Vec<(usize, usize, f64)>> = charts.iter().map(|c| c.ties()).collect();
    let graphs: Vec<SeriesGraph<'_>> = charts
        .iter()
        .zip(&ties)
        .map(|(c, t)| SeriesGraph {
            keys: &c.labels,
            edges: t,
        })
        .collect();
    let positions = layout_series(&graphs, layout_aspect(size));
    for (c, p) in charts.iter_mut().zip(positions) {
        c.positions = Some(p);
    }
}

impl NetworkChart {
    fn n(&self) -> usize {
        self.labels.len()
    }

    /// The ties `(a, b, w)` with `a < b` and `w ≠ 0`.
    fn ties(&self) -> Vec<(usize, usize, f64)> {
        let n = self.n();
        let mut v = Vec::new();
        if self.weights.len() != n * n {
            return v;
        }
        for a in 0..n {
            for b in (a + 1)..n {
                let w = self.weights[a * n + b];
                if w != 0.0 && w.is_finite() {
                    v.push((a, b, w));
                }
            }
        }
        v
    }
}

const LABEL_SIZE: f64 = 17.0;
const CAPTION_SIZE: f64 = 18.0;

impl Chart for NetworkChart {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<(), PlotError> {
        let n = self.n();
        let ties = self.ties();
        let neg = ties.iter().filter(|t| t.2 < 0.0).count();
        let subtitle = format!(
            "{} · {} states · {} ties ({} negative)",
            crate::date::fmt_date(self.date),
            n,
            ties.len(),
            neg
        );
        let top = draw_header(c, &self.title, &subtitle)?;
        let m = c.px(MARGIN);
        let (w, h) = (c.width, c.height);

        // Legends: blocs, then ties.
        let bloc_entries = legend::bloc_entries(&self.bloc, &self.bloc_labels);
        let tie_entries = vec![
            Entry {
                label: "positive tie".into(),
                color: POSITIVE,
                mark: Mark::None,
                swatch: Swatch::Line,
                width: 3.0,
            },
            Entry {
                label: "negative tie".into(),
                color: NEGATIVE,
                mark: Mark::None,
                swatch: Swatch::Dashed,
                width: 3.0,
            },
            Entry {
                label: "width ∝ |weight|".into(),
                color: POSITIVE,
                mark: Mark::None,
                swatch: Swatch::Line,
                width: 1.0,
            },
        ];
        let tie_leg = legend::layout(c, "Ties", &tie_entries, w * 0.24, h * 0.3);
        let bloc_room = h - top - m - tie_leg.height - c.px(30.0);
        let bloc_title = if self.bloc_title.is_empty() {
            "Blocs"
        } else {
            self.bloc_title.as_str()
        };
        let bloc_leg = legend::layout(c, bloc_title, &bloc_entries, w * 0.24, bloc_room);
        let leg_w = bloc_leg.width.max(tie_leg.width);
        let lx = w - m - leg_w;
        legend::draw(c, &bloc_leg, lx, top + c.px(10.0))?;
        legend::draw(
            c,
            &tie_leg,
            lx,
            top + c.px(10.0) + bloc_leg.height + c.px(24.0),
        )?;

        // Caption under the graph.
        let cap_w = lx - m - c.px(30.0);
        let cap_lines = wrap_lines(&self.caption, cap_w, 2, &|s| {
            c.text_width(s, CAPTION_SIZE, Weight::Normal)
        });
        let cap_line_h = c.font_px(CAPTION_SIZE) * 1.35;
        let cap_h = cap_lines.len() as f64 * cap_line_h;
        for (k, line) in cap_lines.iter().enumerate() {
            let y = h - m - cap_h + (k as f64 + 0.8) * cap_line_h;
            c.text(m, y, line, CAPTION_SIZE, Weight::Normal, GREY, Align::Left)?;
        }

        let area = Rect {
            x0: m,
            y0: top + c.px(10.0),
            x1: lx - c.px(30.0),
            y1: h - m - cap_h - c.px(12.0),
        };
        if n == 0 {
            return c.text_mid(
                (area.x0 + area.x1) / 2.0,
                (area.y0 + area.y1) / 2.0,
                "no states present at this date",
                CAPTION_SIZE,
                Weight::Normal,
                GREY,
                Align::Center,
            );
        }
        let r = c.px(
            (0.22 * (area.width() * area.height() / n as f64).sqrt() / c.scale).clamp(5.0, 15.0),
        );
        let label_size = if n > 80 { 13.0 } else { LABEL_SIZE };
        // Room for labels around the outermost nodes.
        let pad_x = r + c.px(8.0) + c.text_width("MMMM", label_size, Weight::Normal);
        let pad_y = r + c.font_px(label_size) * 1.4;
        let inner = Rect {
            x0: area.x0 + pad_x,
            y0: area.y0 + pad_y,
            x1: area.x1 - pad_x,
            y1: area.y1 - pad_y,
        };
        let given = self.positions.as_ref().filter(|p| {
            p.len() == n
                && p.iter()
                    .all(|q| (0.0..=1.0).contains(&q.0) && (0.0..=1.0).contains(&q.1))
        });
        let unit = match given {
            Some(p) => p.clone(),
            None => force_layout(n, &ties, inner.width() / inner.height().max(1.0)),
        };
        let mut pos: Vec<(f64, f64)> = unit
            .iter()
            .map(|&(u, v)| (inner.x0 + u * inner.width(), inner.y0 + v * inner.height()))
            .collect();
        separate(
            &mut pos,
            2.0 * r + c.px(30.0),
            (inner.x0, inner.y0, inner.x1, inner.y1),
        );

        // Ties, weakest first so strong ones stay on top.
        let mut order = ties.clone();
        order.sort_by(|a, b| a.2.abs().total_cmp(&b.2.abs()));
        for &(a, b, x) in &order {
            let width = 0.6 + 4.4 * x.abs().min(1.0);
            let seg = [pos[a], pos[b]];
            if x > 0.0 {
                c.line(&seg, alpha(POSITIVE, 0.25 + 0.45 * x.min(1.0)), width)?;
            } else {
                c.dashed(
                    &seg,
                    alpha(NEGATIVE, 0.45 + 0.4 * (-x).min(1.0)),
                    width,
                    9.0,
                    6.0,
                )?;
            }
        }
        for (i, &(x, y)) in pos.iter().enumerate() {
            let col = bloc_color(self.bloc.get(i).copied().unwrap_or(NO_BLOC));
            c.circle(x, y, r, Some(solid(col)), Some((solid(INK), 1.5)))?;
        }
        draw_labels(c, &self.labels, &pos, r, label_size, &area)?;
        Ok(())
    }
}

/// Places each label at the candidate position (right, left, above, below, diagonals) that
/// overlaps the fewest nodes and already placed labels, and draws it on a white halo.
fn draw_labels<DB: DrawingBackend>(
    c: &Canvas<DB>,
    labels: &[String],
    pos: &[(f64, f64)],
    r: f64,
    size: f64,
    area: &Rect,
) -> Result<(), PlotError> {
    let fh = c.font_px(size);
    let gap = c.px(4.0);
    let node_boxes: Vec<Rect> = pos
        .iter()
        .map(|&(x, y)| Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        })
        .collect();
    let mut placed: Vec<Rect> = Vec::new();
    let overlap = |a: &Rect, b: &Rect| {
        let w = (a.x1.min(b.x1) - a.x0.max(b.x0)).max(0.0);
        let h = (a.y1.min(b.y1) - a.y0.max(b.y0)).max(0.0);
        w * h
    };
    for (i, &(x, y)) in pos.iter().enumerate() {
        let text = truncate(&labels[i], c.px(140.0), &|s| {
            c.text_width(s, size, Weight::Normal)
        });
        let tw = c.text_width(&text, size, Weight::Normal);
        let (bw, bh) = (tw + c.px(6.0), fh * 1.1);
        let d = r + gap;
        let diag = d * 0.75;
        // Top-left corners of the candidate boxes, in order of preference.
        let cands = [
            (x + d, y - bh / 2.0),
            (x - d - bw, y - bh / 2.0),
            (x - bw / 2.0, y - d - bh),
            (x - bw / 2.0, y + d),
            (x + diag, y - diag - bh),
            (x - diag - bw, y - diag - bh),
            (x + diag, y + diag),
            (x - diag - bw, y + diag),
        ];
        let mut best = (f64::INFINITY, cands[0]);
        for (k, &(bx, by)) in cands.iter().enumerate() {
            let b = Rect {
                x0: bx,
                y0: by,
                x1: bx + bw,
                y1: by + bh,
            };
            let mut score = k as f64 * 1e-3;
            for (j, nb) in node_boxes.iter().enumerate() {
                if j != i {
                    score += 2.0 * overlap(&b, nb);
                }
            }
            for p in &placed {
                score += 3.0 * overlap(&b, p);
            }
            let outside = (area.x0 - b.x0).max(0.0)
                + (b.x1 - area.x1).max(0.0)
                + (area.y0 - b.y0).max(0.0)
                + (b.y1 - area.y1).max(0.0);
            score += outside * bh * 10.0;
            if score < best.0 {
                best = (score, (bx, by));
            }
        }
        let (bx, by) = best.1;
        let b = Rect {
            x0: bx,
            y0: by,
            x1: bx + bw,
            y1: by + bh,
        };
        c.fill_rect(b.x0, b.y0, b.x1, b.y1, alpha(WHITE, 0.85))?;
        c.text_mid(
            bx + bw / 2.0,
            by + bh / 2.0,
            &text,
            size,
            Weight::Normal,
            INK,
            Align::Center,
        )?;
        placed.push(b);
    }
    Ok(())
}
