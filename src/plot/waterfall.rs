//! The waterfall chart of an attribution, drawn horizontally so that long event labels stay
//! readable: the value at the first date as a bar from zero, one floating bar per group (its
//! contribution, from the running total; blue up, vermillion down), an optional grey residual
//! bar, and the value at the second date as a bar from zero. Each bar is labelled on the left
//! and carries its signed value at its end; a dotted line links consecutive running totals.

use super::axes::{fmt_tick, nice_range, nice_ticks, TICK_SIZE};
use super::canvas::{Align, Canvas, Weight};
use super::palette::{solid, GREY, GRID, INK, OKABE_ITO};
use super::text::truncate;
use super::timeline::{draw_header, MARGIN};
use super::{Chart, PlotError, RGBColor};
use plotters::prelude::DrawingBackend;

/// A waterfall: a start value, signed steps, an optional residual, an end value.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallChart {
    /// The chart's title.
    pub title: String,
    /// The line under the title (values, method, groups).
    pub subtitle: String,
    /// The label of the start bar, e.g. `value on 2021-01-01`.
    pub start_label: String,
    /// The value at the first date.
    pub start: f64,
    /// (label, change) per bar, top to bottom.
    pub steps: Vec<(String, f64)>,
    /// The interaction residual (drawn when `Some`).
    pub residual: Option<f64>,
    /// The label of the end bar.
    pub end_label: String,
    /// The value at the second date.
    pub end: f64,
    /// What the values are (the value axis title).
    pub value_label: String,
}

const LABEL_SIZE: f64 = 18.0;
const VALUE_SIZE: f64 = 16.0;
const UP: RGBColor = OKABE_ITO[0];
const DOWN: RGBColor = OKABE_ITO[1];
const TOTAL: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// One drawn bar: label, from, to, colour, the text at its end.
struct Bar {
    label: String,
    from: f64,
    to: f64,
    color: RGBColor,
    text: String,
}

impl WaterfallChart {
    fn bars(&self) -> Vec<Bar> {
        let fin = |v: f64| if v.is_finite() { v } else { 0.0 };
        let signed = |v: f64| {
            let s = format!("{:+.3}", fin(v));
            s.replace('-', "\u{2212}")
        };
        let mut bars = vec![Bar {
            label: self.start_label.clone(),
            from: 0.0,
            to: fin(self.start),
            color: TOTAL,
            text: format!("{:.3}", fin(self.start)).replace('-', "\u{2212}"),
        }];
        let mut run = fin(self.start);
        let steps = self
            .steps
            .iter()
            .map(|(l, v)| (l.clone(), *v, false))
            .chain(
                self.residual
                    .map(|r| ("residual (interactions)".to_string(), r, true)),
            );
        for (label, v, residual) in steps {
            let v = fin(v);
            let color = if residual {
                GREY
            } else if v >= 0.0 {
                UP
            } else {
                DOWN
            };
            bars.push(Bar {
                label,
                from: run,
                to: run + v,
                color,
                text: signed(v),
            });
            run += v;
        }
        bars.push(Bar {
            label: self.end_label.clone(),
            from: 0.0,
            to: fin(self.end),
            color: TOTAL,
            text: format!("{:.3}", fin(self.end)).replace('-', "\u{2212}"),
        });
        bars
    }
}

impl Chart for WaterfallChart {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<(), PlotError> {
        let top = draw_header(c, &self.title, &self.subtitle)?;
        let m = c.px(MARGIN);
        let bars = self.bars();
        let (lo, hi) = bars.iter().fold((0.0f64, 0.0f64), |(a, b), bar| {
            (a.min(bar.from).min(bar.to), b.max(bar.from).max(bar.to))
        });
        let (lo, hi) = if hi > lo {
            nice_range(lo, hi, 8)
        } else {
            (0.0, 1.0)
        };
        let ticks = nice_ticks(lo, hi, 8);

        // Left column: labels, at most 40% of the width.
        let last = bars.len().saturating_sub(1);
        let weight_of = |k: usize| {
            if k == 0 || k == last {
                Weight::Bold
            } else {
                Weight::Normal
            }
        };
        let label_w = bars
            .iter()
            .enumerate()
            .map(|(k, b)| c.text_width(&b.label, LABEL_SIZE, weight_of(k)))
            .fold(0.0, f64::max)
            .min(c.width * 0.4);
        let value_w = c.text_width("−0.000", VALUE_SIZE, Weight::Normal) + c.px(8.0);
        let x0 = m + label_w + c.px(16.0) + value_w;
        let x1 = c.width - m - value_w;
        let axis_h = c.font_px(TICK_SIZE) * 1.6 + c.font_px(LABEL_SIZE) * 1.6;
        let y0 = top + c.px(10.0);
        let y1 = c.height - m - axis_h;
        let x = |v: f64| x0 + (v - lo) / (hi - lo) * (x1 - x0);
        let row_h = (y1 - y0) / bars.len().max(1) as f64;
        let bar_h = (row_h * 0.62).min(c.px(44.0));

        // Grid and ticks.
        for &t in &ticks.0 {
            let tx = x(t);
            c.line(&[(tx, y0), (tx, y1)], solid(GRID), 1.0)?;
            c.text(
                tx,
                y1 + c.font_px(TICK_SIZE) * 1.2,
                &fmt_tick(t, ticks.1),
                TICK_SIZE,
                Weight::Normal,
                GREY,
                Align::Center,
            )?;
        }
        c.text(
            (x0 + x1) / 2.0,
            y1 + c.font_px(TICK_SIZE) * 1.3 + c.font_px(LABEL_SIZE) * 1.3,
            &self.value_label,
            LABEL_SIZE,
            Weight::Bold,
            INK,
            Align::Center,
        )?;
        if lo < 0.0 && hi > 0.0 {
            c.line(&[(x(0.0), y0), (x(0.0), y1)], solid(GREY), 1.5)?;
        }

        for (k, bar) in bars.iter().enumerate() {
            let cy = y0 + row_h * (k as f64 + 0.5);
            let (a, b) = (x(bar.from.min(bar.to)), x(bar.from.max(bar.to)));
            // A change too small to see still gets a visible sliver.
            let b = b.max(a + c.px(2.0));
            c.fill_rect(a, cy - bar_h / 2.0, b, cy + bar_h / 2.0, solid(bar.color))?;
            let weight = weight_of(k);
            let label = truncate(&bar.label, label_w, &|s| {
                c.text_width(s, LABEL_SIZE, weight)
            });
            c.text_mid(
                m + label_w,
                cy,
                &label,
                LABEL_SIZE,
                weight,
                INK,
                Align::Right,
            )?;
            // The value at the bar's far end (right for increases and totals, left for falls).
            let falls = bar.to < bar.from;
            let (tx, align) = if falls {
                (a - c.px(6.0), Align::Right)
            } else {
                (b + c.px(6.0), Align::Left)
            };
            c.text_mid(tx, cy, &bar.text, VALUE_SIZE, Weight::Normal, INK, align)?;
            // Connector to the next bar's start.
            if k < last {
                let cx = x(bar.to);
                let ny = y0 + row_h * (k as f64 + 1.5);
                c.dashed(
                    &[(cx, cy + bar_h / 2.0), (cx, ny - bar_h / 2.0)],
                    solid(GREY),
                    1.0,
                    3.0,
                    3.0,
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_totals_end_at_the_end_value() {
        let ch = WaterfallChart {
            title: "t".into(),
            subtitle: "s".into(),
            start_label: "start".into(),
            start: 0.7,
            steps: vec![("a".into(), -0.3), ("b".into(), 0.1)],
            residual: Some(-0.1),
            end_label: "end".into(),
            end: 0.4,
            value_label: "v".into(),
        };
        let bars = ch.bars();
        assert_eq!(bars.len(), 5);
        assert!((bars[3].to - 0.4).abs() < 1e-12);
        assert_eq!(bars[1].color, DOWN);
        assert_eq!(bars[2].color, UP);
        assert_eq!(bars[3].color, GREY);
        assert_eq!(bars[1].text, "\u{2212}0.300");
    }
}
