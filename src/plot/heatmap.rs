//! The tie heatmap: the matrix of tie weights at a date (or its change between two dates), rows
//! and columns in a given order (states grouped by bloc, groups separated by lines), coloured on
//! a diverging red–white–blue scale centred on 0 with a colour bar. Levels use the fixed scale
//! [−1, 1] of tie weights; changes a scale symmetric over the largest |change|. Label size
//! follows the cell size; column labels read upwards; when cells are too small for every label,
//! every k-th is shown.

use super::axes::{self, Rect};
use super::canvas::{Align, Canvas, Weight};
use super::legend;
use super::palette::{bloc_color, diverging, solid, GREY, INK, NO_BLOC};
use super::text::truncate;
use super::timeline::{draw_header, MARGIN};
use super::RGBColor;
use super::{Chart, PlotError};
use plotters::prelude::DrawingBackend;

/// A matrix of tie weights, or of their change.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapChart {
    /// The chart's title.
    pub title: String,
    /// What and when, e.g. `tie weights at 2024-02-26` or `change 1992-05-15 → 2024-12-31`.
    pub subtitle: String,
    /// Row/column labels (state ids), in dataset order.
    pub labels: Vec<String>,
    /// Bloc index per state (colour [`super::bloc_color`], grey for [`super::NO_BLOC`]).
    pub bloc: Vec<usize>,
    /// Legend text per bloc index.
    pub bloc_labels: Vec<String>,
    /// The title of the bloc legend, saying which blocs group the states (e.g. "Signed blocs");
    /// empty: "Blocs".
    pub bloc_title: String,
    /// Display order: a permutation of `0..n` (states grouped by bloc); anything else falls back
    /// to dataset order.
    pub order: Vec<usize>,
    /// Row-major `n × n` weights.
    pub weights: Vec<f64>,
    /// Change mode: the earlier weights; the chart shows `weights − base`.
    pub base: Option<Vec<f64>>,
    /// The colour bar's title when the matrix is not of tie weights (e.g. a similarity);
    /// `None`: "tie weight" (or "change in tie weight").
    pub value_label: Option<String>,
}

/// Colour of the diagonal (no self-ties).
const DIAGONAL: RGBColor = RGBColor(0xD0, 0xD0, 0xD0);

impl HeatmapChart {
    fn n(&self) -> usize {
        self.labels.len()
    }

    /// The displayed values (level or change), row-major; non-finite values read as 0.
    fn values(&self) -> Vec<f64> {
        let n = self.n();
        let get = |v: &[f64], k: usize| v.get(k).copied().filter(|x| x.is_finite()).unwrap_or(0.0);
        (0..n * n)
            .map(|k| match &self.base {
                Some(b) => get(&self.weights, k) - get(b, k),
                None => get(&self.weights, k),
            })
            .collect()
    }

    fn display_order(&self) -> Vec<usize> {
        let n = self.n();
        let mut seen = vec![false; n];
        let ok = self.order.len() == n
            && self
                .order
                .iter()
                .all(|&i| i < n && !std::mem::replace(&mut seen[i], true));
        if ok {
            self.order.clone()
        } else {
            (0..n).collect()
        }
    }

    /// The half-width of the colour scale.
    fn vmax(&self, values: &[f64]) -> f64 {
        let n = self.n();
        let m = (0..n * n)
            .filter(|k| k / n != k % n)
            .map(|k| values[k].abs())
            .fold(0.0, f64::max);
        match self.base {
            None => m.max(1.0),
            Some(_) if m > 1e-12 => m,
            Some(_) => 1.0,
        }
    }
}

impl Chart for HeatmapChart {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<(), PlotError> {
        let top = draw_header(c, &self.title, &self.subtitle)?;
        let m = c.px(MARGIN);
        let (w, h) = (c.width, c.height);
        let n = self.n();
        if n == 0 {
            return c.text_mid(
                w / 2.0,
                (top + h) / 2.0,
                "no states present",
                20.0,
                Weight::Normal,
                GREY,
                Align::Center,
            );
        }
        let values = self.values();
        let order = self.display_order();
        let vmax = self.vmax(&values);

        // Right side: colour bar and bloc legend.
        let entries = legend::bloc_entries(&self.bloc, &self.bloc_labels);
        let bloc_title = if self.bloc_title.is_empty() {
            "Blocs"
        } else {
            self.bloc_title.as_str()
        };
        let leg = legend::layout(c, bloc_title, &entries, w * 0.25, h - top - 2.0 * m);
        let bar_w = c.px(26.0);
        let bar_ticks = axes::nice_ticks(-vmax, vmax, 9);
        let bar_label_w = bar_ticks
            .0
            .iter()
            .map(|&v| c.text_width(&axes::fmt_tick(v, bar_ticks.1), 17.0, Weight::Normal))
            .fold(0.0, f64::max);
        let bar_title = match (&self.value_label, self.base.is_some()) {
            (Some(l), _) => l.as_str(),
            (None, true) => "change in tie weight",
            (None, false) => "tie weight",
        };
        let bar_block =
            (bar_w + c.px(10.0) + bar_label_w).max(c.text_width(bar_title, 17.0, Weight::Bold));
        let right_w = bar_block + c.px(50.0) + leg.width;

        // Matrix and labels: fit the cell size, then the label size to the cell.
        let avail_h = h - top - m - c.px(10.0);
        let avail_w = w - 2.0 * m - right_w - c.px(40.0);
        let mut size = 17.0;
        let mut label_w = 0.0;
        let mut cell = 0.0;
        for _ in 0..3 {
            let lab = c.px(12.0) + c.px(14.0); // gap + bloc strip
            let side = (avail_h - label_w - lab).min(avail_w - label_w - lab);
            cell = (side / n as f64).max(1.0);
            size = (cell * 0.8 / c.scale).clamp(8.0, 17.0);
            label_w = order
                .iter()
                .map(|&i| {
                    let t = truncate(&self.labels[i], c.px(160.0), &|s| {
                        c.text_width(s, size, Weight::Normal)
                    });
                    c.text_width(&t, size, Weight::Normal)
                })
                .fold(0.0, f64::max);
        }
        let every = (c.font_px(size) * 1.05 / cell).ceil().max(1.0) as usize;
        let strip = c.px(14.0);
        let gap = c.px(6.0);
        let side = cell * n as f64;
        // Centre the whole composition (labels, matrix, colour bar, legend) horizontally.
        let block = label_w + 2.0 * gap + strip + side + c.px(40.0) + right_w;
        let shift = ((w - 2.0 * m - block) / 2.0).max(0.0);
        let mx0 = m + shift + label_w + gap + strip + gap;
        let my0 = top + c.px(10.0) + label_w + gap + strip + gap;
        let mat = Rect {
            x0: mx0,
            y0: my0,
            x1: mx0 + side,
            y1: my0 + side,
        };

        // Cells (with a hairline gap when they are large enough to show it).
        let inset = if cell >= c.px(10.0) { c.px(0.5) } else { 0.0 };
        for (r, &i) in order.iter().enumerate() {
            for (col, &j) in order.iter().enumerate() {
                let color = if i == j {
                    DIAGONAL
                } else {
                    diverging(values[i * n + j] / vmax)
                };
                let x = mat.x0 + col as f64 * cell;
                let y = mat.y0 + r as f64 * cell;
                c.fill_rect(
                    x + inset,
                    y + inset,
                    x + cell - inset,
                    y + cell - inset,
                    solid(color),
                )?;
            }
        }
        // Bloc group separators.
        for k in 1..n {
            let (a, b) = (order[k - 1], order[k]);
            if self.bloc.get(a) != self.bloc.get(b) {
                let t = k as f64 * cell;
                c.line(
                    &[(mat.x0, mat.y0 + t), (mat.x1, mat.y0 + t)],
                    solid(INK),
                    1.5,
                )?;
                c.line(
                    &[(mat.x0 + t, mat.y0), (mat.x0 + t, mat.y1)],
                    solid(INK),
                    1.5,
                )?;
            }
        }
        c.stroke_rect(mat.x0, mat.y0, mat.x1, mat.y1, solid(INK), 1.0)?;

        // Bloc strips and labels.
        for (k, &i) in order.iter().enumerate() {
            let col = bloc_color(self.bloc.get(i).copied().unwrap_or(NO_BLOC));
            let t0 = k as f64 * cell;
            c.fill_rect(
                mat.x0 - gap - strip,
                mat.y0 + t0,
                mat.x0 - gap,
                mat.y0 + t0 + cell,
                solid(col),
            )?;
            c.fill_rect(
                mat.x0 + t0,
                mat.y0 - gap - strip,
                mat.x0 + t0 + cell,
                mat.y0 - gap,
                solid(col),
            )?;
            if k % every != 0 {
                continue;
            }
            let text = truncate(&self.labels[i], c.px(160.0), &|s| {
                c.text_width(s, size, Weight::Normal)
            });
            let mid = t0 + cell / 2.0;
            c.text_mid(
                mat.x0 - 2.0 * gap - strip,
                mat.y0 + mid,
                &text,
                size,
                Weight::Normal,
                INK,
                Align::Right,
            )?;
            c.text_up(
                mat.x0 + mid + c.cap_half(size),
                mat.y0 - 2.0 * gap - strip,
                &text,
                size,
                Weight::Normal,
                INK,
                Align::Left,
            )?;
        }

        // Colour bar.
        let bx0 = mat.x1 + c.px(40.0);
        let (by0, by1) = (mat.y0, mat.y1);
        c.text(
            bx0,
            by0 - c.px(14.0),
            bar_title,
            17.0,
            Weight::Bold,
            INK,
            Align::Left,
        )?;
        let steps = ((by1 - by0) / c.px(2.0)).ceil().max(1.0) as usize;
        for s in 0..steps {
            let ya = by0 + (by1 - by0) * s as f64 / steps as f64;
            let yb = by0 + (by1 - by0) * (s + 1) as f64 / steps as f64;
            let v = 1.0 - 2.0 * (s as f64 + 0.5) / steps as f64;
            c.fill_rect(bx0, ya, bx0 + bar_w, yb + 0.5, solid(diverging(v)))?;
        }
        c.stroke_rect(bx0, by0, bx0 + bar_w, by1, solid(INK), 1.0)?;
        for &v in &bar_ticks.0 {
            let y = by0 + (vmax - v) / (2.0 * vmax) * (by1 - by0);
            c.line(
                &[(bx0 + bar_w, y), (bx0 + bar_w + c.px(6.0), y)],
                solid(INK),
                1.0,
            )?;
            c.text_mid(
                bx0 + bar_w + c.px(10.0),
                y,
                &axes::fmt_tick(v, bar_ticks.1),
                17.0,
                Weight::Normal,
                INK,
                Align::Left,
            )?;
        }
        let lx = bx0 + bar_block + c.px(50.0);
        legend::draw(c, &leg, lx, by0 - c.px(30.0))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(order: Vec<usize>, base: Option<Vec<f64>>) -> HeatmapChart {
        HeatmapChart {
            title: "t".into(),
            subtitle: "s".into(),
            labels: vec!["A".into(), "B".into()],
            bloc: vec![0, 1],
            bloc_labels: vec![],
            bloc_title: String::new(),
            order,
            weights: vec![0.0, 0.5, 0.5, 0.0],
            base,
            value_label: None,
        }
    }

    #[test]
    fn bad_orders_fall_back_to_dataset_order() {
        assert_eq!(chart(vec![1, 0], None).display_order(), vec![1, 0]);
        assert_eq!(chart(vec![0, 0], None).display_order(), vec![0, 1]);
        assert_eq!(chart(vec![0, 5], None).display_order(), vec![0, 1]);
        assert_eq!(chart(vec![], None).display_order(), vec![0, 1]);
    }

    #[test]
    fn scales() {
        let c = chart(vec![], None);
        assert_eq!(c.vmax(&c.values()), 1.0);
        let c = chart(vec![], Some(vec![0.0, 0.8, 0.8, 0.0]));
        let v = c.values();
        assert!((v[1] - -0.3).abs() < 1e-12);
        assert!((c.vmax(&v) - 0.3).abs() < 1e-12);
        let c = chart(vec![], Some(vec![0.0, 0.5, 0.5, 0.0]));
        assert_eq!(c.vmax(&c.values()), 1.0);
    }
}
