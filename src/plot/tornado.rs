//! The tornado chart of a sensitivity analysis: one horizontal bar per uncertainty rule, from
//! the value with the rule at its low end to the value at its high end, around a vertical line
//! at the nominal value; the rule with the widest swing on top. The low-end half of each bar
//! is blue, the high-end half vermillion, and both ends are labelled with their values.

use super::axes::{fmt_tick, nice_range, nice_ticks};
use super::canvas::{Align, Canvas, Weight};
use super::palette::{alpha, GREY, GRID, INK, OKABE_ITO};
use super::text::truncate;
use super::{Chart, PlotError};
use plotters::prelude::DrawingBackend;

/// One bar: a rule and the value at its low and high end (`None`: undefined there).
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// A tornado chart. Bars are drawn in the order given (callers sort them by swing).
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoChart {
    pub title: String,
    /// What is measured, e.g. `alignment of CSTO/ARM on 2024-03-01`.
    pub subtitle: String,
    pub nominal: Option<f64>,
    pub bars: Vec<TornadoBar>,
}

/// At most this many bars are drawn; the rest are counted in a note.
const MAX_BARS: usize = 20;

impl Chart for TornadoChart {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<(), PlotError> {
        let low_color = OKABE_ITO[0];
        let high_color = OKABE_ITO[1];
        let (w, h) = (c.width, c.height);
        let margin = c.px(40.0);
        c.text(margin, c.px(58.0), &self.title, 34.0, Weight::Bold, INK, Align::Left)?;
        c.text(margin, c.px(96.0), &self.subtitle, 22.0, Weight::Normal, GREY, Align::Left)?;
        // Legend, top right.
        let lx = w - margin;
        let items = [("rule at its high end", high_color), ("rule at its low end", low_color)];
        let mut x = lx;
        for (text, color) in items {
            let tw = c.text_width(text, 20.0, Weight::Normal);
            c.text(x, c.px(96.0), text, 20.0, Weight::Normal, INK, Align::Right)?;
            x -= tw + c.px(10.0);
            c.fill_rect(x - c.px(26.0), c.px(82.0), x, c.px(100.0), alpha(color, 1.0))?;
            x -= c.px(26.0) + c.px(30.0);
        }
        let shown = &self.bars[..self.bars.len().min(MAX_BARS)];
        let mut values: Vec<f64> = shown
            .iter()
            .flat_map(|b| [b.low, b.high])
            .flatten()
            .chain(self.nominal)
            .filter(|v| v.is_finite())
            .collect();
        if values.is_empty() {
            values.push(0.0);
        }
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = nice_range(lo, hi, 8);
        let (ticks, step) = nice_ticks(lo, hi, 8);
        // Rule labels on the left, up to a third of the width.
        let label_size = 20.0;
        let max_label = w * 0.34;
        let labels: Vec<String> = shown
            .iter()
            .map(|b| truncate(&b.label, max_label, &|s| c.text_width(s, label_size, Weight::Normal)))
            .collect();
        let widest = labels
            .iter()
            .map(|l| c.text_width(l, label_size, Weight::Normal))
            .fold(0.0, f64::max);
        let x0 = margin + widest + c.px(20.0);
        let x1 = w - margin - c.px(60.0);
        let y0 = c.px(140.0);
        let y1 = h - c.px(90.0);
        let xv = |v: f64| x0 + (v - lo) / (hi - lo) * (x1 - x0);
        // Grid and value axis.
        for t in &ticks {
            let x = xv(*t);
            c.line(&[(x, y0), (x, y1)], alpha(GRID, 1.0), 1.0)?;
            c.text(x, y1 + c.px(34.0), &fmt_tick(*t, step), 20.0, Weight::Normal, INK, Align::Center)?;
        }
        c.line(&[(x0, y1), (x1, y1)], alpha(INK, 1.0), c.px(1.5))?;
        if shown.is_empty() {
            c.text_mid((x0 + x1) / 2.0, (y0 + y1) / 2.0, "no uncertainty rules", 24.0, Weight::Normal, GREY, Align::Center)?;
        }
        let n = shown.len().max(1) as f64;
        let row = (y1 - y0) / n;
        let bar = (row * 0.6).min(c.px(48.0));
        let nominal = self.nominal.filter(|v| v.is_finite());
        for (i, (b, label)) in shown.iter().zip(&labels).enumerate() {
            let yc = y0 + row * (i as f64 + 0.5);
            c.text_mid(x0 - c.px(14.0), yc, label, label_size, Weight::Normal, INK, Align::Right)?;
            let base = nominal.unwrap_or_else(|| b.low.or(b.high).unwrap_or(lo));
            for (v, color, other) in [(b.low, low_color, b.high), (b.high, high_color, b.low)] {
                let Some(v) = v else { continue };
                let (a, z) = (xv(base.min(v)), xv(base.max(v)));
                c.fill_rect(a, yc - bar / 2.0, z.max(a + 1.0), yc + bar / 2.0, alpha(color, 0.9))?;
                // The value at the bar's end, outside the bar; when both ends fall on the same
                // side of the nominal value, the farther one is labelled outside, the nearer
                // one inside.
                let right = v >= base;
                let nearer = other.is_some_and(|o| (o >= base) == right && (o - base).abs() > (v - base).abs());
                let text = fmt_tick(v, step / 100.0);
                let (tx, align, ink) = match (right, nearer) {
                    (true, false) => (xv(v) + c.px(8.0), Align::Left, INK),
                    (false, false) => (xv(v) - c.px(8.0), Align::Right, INK),
                    (true, true) => (xv(v) - c.px(6.0), Align::Right, super::palette::WHITE),
                    (false, true) => (xv(v) + c.px(6.0), Align::Left, super::palette::WHITE),
                };
                c.text_mid(tx, yc, &text, 17.0, Weight::Normal, ink, align)?;
            }
            if b.low.is_none() && b.high.is_none() {
                c.text_mid(x0 + c.px(8.0), yc, "undefined at both ends", 17.0, Weight::Normal, GREY, Align::Left)?;
            }
        }
        if let Some(v) = nominal {
            let x = xv(v);
            c.line(&[(x, y0 - c.px(10.0)), (x, y1)], alpha(INK, 1.0), c.px(2.0))?;
            c.text(x, y0 - c.px(16.0), &format!("nominal {}", fmt_tick(v, step / 100.0)), 18.0, Weight::Bold, INK, Align::Center)?;
        }
        if self.bars.len() > shown.len() {
            c.text(margin, h - c.px(24.0), &format!("{} more rules with smaller swings not shown", self.bars.len() - shown.len()), 18.0, Weight::Normal, GREY, Align::Left)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::plot::{render_rgb, render_svg, Size};

    fn chart() -> TornadoChart {
        TornadoChart {
            title: "Which choice matters".into(),
            subtitle: "alignment of CSTO/ARM on 2024-03-01".into(),
            nominal: Some(-0.2),
            bars: vec![
                TornadoBar { label: "event=arm-freeze:factor=0..0.5".into(), low: Some(-0.35), high: Some(0.1) },
                TornadoBar { label: "kind=tie:delta*0.5..1.5".into(), low: Some(-0.1), high: Some(-0.3) },
                TornadoBar { label: "undefined".into(), low: None, high: None },
            ],
        }
    }

    #[test]
    fn draws_both_colours_and_text() {
        let size = Size::new(800, 450).unwrap();
        let rgb = render_rgb(&chart(), size).unwrap();
        let has = |c: crate::plot::RGBColor| {
            rgb.chunks_exact(3).any(|p| {
                (i32::from(p[0]) - i32::from(c.0)).abs() < 30
                    && (i32::from(p[1]) - i32::from(c.1)).abs() < 30
                    && (i32::from(p[2]) - i32::from(c.2)).abs() < 30
            })
        };
        assert!(has(OKABE_ITO[0]) && has(OKABE_ITO[1]));
        let svg = render_svg(&chart(), size).unwrap();
        assert!(svg.contains("nominal"), "{svg}");
        assert!(svg.contains("kind=tie:delta*0.5..1.5"));
    }
}
