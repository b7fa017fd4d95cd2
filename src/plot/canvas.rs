//! The drawing surface every chart uses: pixel-space primitives (lines, dashed lines, rectangles,
//! circles, polygons) and text placed by its baseline, measured with the embedded font.
//!
//! Charts are laid out in *design pixels* of a 1600×900 picture; [`Canvas::px`] scales them to the
//! real size (`scale = min(width/1600, height/900)`). Text is positioned by its baseline and
//! measured with the font's own advances and kerning. On bitmaps the glyphs are rasterised here
//! with ab_glyph (plotters' own text drawing ignores each glyph's side bearing, which puts a gap
//! before a `J`); on SVG the text stays text, placed where the bitmap would put it.

use super::{perr, PlotError, RGBColor, Style};
use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontTransform, RGBAColor};

/// The font family name the embedded font is registered under in plotters.
/// It is also the SVG `font-family`: the same font first, then fonts of similar width.
pub(crate) const FAMILY: &str = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif";

/// How text reaches the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextMode {
    /// Glyphs rasterised here and blended pixel by pixel.
    Bitmap,
    /// plotters' SVG `<text>`: `font-size = size/1.24`, a top-anchored string has its baseline
    /// `0.76 em` below the anchor.
    Svg,
}

/// Em size / pixel scale of DejaVu Sans: ab_glyph scales so that ascent − descent = the pixel
/// scale, which is 1.164 em for this font.
const EM_PER_PX: f64 = 1.0 / 1.164;

/// The parsed embedded fonts (regular, bold).
fn fonts() -> Option<&'static (FontRef<'static>, FontRef<'static>)> {
    static FONTS: std::sync::OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> =
        std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            let r = FontRef::try_from_slice(dejavu::sans::regular()).ok()?;
            let b = FontRef::try_from_slice(dejavu::sans::bold()).ok()?;
            Some((r, b))
        })
        .as_ref()
}

fn face(weight: Weight) -> Result<&'static FontRef<'static>, PlotError> {
    let f = fonts().ok_or_else(|| PlotError("the embedded font could not be parsed".into()))?;
    Ok(match weight {
        Weight::Normal => &f.0,
        Weight::Bold => &f.1,
    })
}

/// Horizontal alignment of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A drawing surface of `width × height` pixels.
pub struct Canvas<DB: DrawingBackend> {
    area: DrawingArea<DB, Shift>,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
    /// Pixels per design pixel.
    pub scale: f64,
    mode: TextMode,
    /// Screen or paper: paper charts draw no header, mark events with ticks and size text in
    /// points.
    pub style: Style,
}

/// Text weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Normal,
    Bold,
}

impl<DB: DrawingBackend> Canvas<DB> {
    pub(crate) fn new(area: DrawingArea<DB, Shift>, mode: TextMode, style: Style) -> Self {
        let (w, h) = area.dim_in_pixel();
        let (width, height) = (f64::from(w), f64::from(h));
        let scale = (width / 1600.0).min(height / 900.0);
        // Bitmaps come white already; SVG needs its background rectangle.
        if mode == TextMode::Svg {
            let _ = area.fill(&WHITE);
        }
        Canvas {
            area,
            width,
            height,
            scale,
            mode,
            style,
        }
    }

    /// Whether the chart is drawn for a paper.
    pub fn paper(&self) -> bool {
        self.style.is_paper()
    }

    /// Flushes the drawing to the backend's buffer or string.
    pub(crate) fn finish(&self) -> Result<(), PlotError> {
        self.area.present().map_err(perr)
    }

    /// Width in design pixels.
    pub fn design_width(&self) -> f64 {
        self.width / self.scale
    }

    /// Height in design pixels.
    pub fn design_height(&self) -> f64 {
        self.height / self.scale
    }

    /// Scales design pixels to pixels.
    pub fn px(&self, design: f64) -> f64 {
        design * self.scale
    }

    /// A line width in pixels (at least 1).
    fn stroke(&self, design: f64) -> u32 {
        (design * self.scale).round().max(1.0) as u32
    }

    /// A font size in pixels (ab_glyph's scale: ascent − descent). On screen: the design size
    /// scaled, never below 8 px. On paper: the em in points at the print resolution, tick labels ([`super::axes::TICK_SIZE`]) at
    /// [`Style::PAPER_TICK_PT`] and every other size in proportion, never below
    /// [`Style::PAPER_MIN_PT`]; so text keeps its printed size whatever the pixel size.
    pub fn font_px(&self, size: f64) -> f64 {
        // Points measure the em; the pixel scale here is ascent − descent, 1.164 em.
        match self.style.points_to_px(paper_points(size)) {
            Some(em_px) => em_px / EM_PER_PX,
            None => (size * self.scale).max(8.0),
        }
    }

    /// The width in pixels of `text` at design size `size` (advances and kerning).
    pub fn text_width(&self, text: &str, size: f64, weight: Weight) -> f64 {
        let px = self.font_px(size);
        match face(weight) {
            Ok(f) => advance(f, px, text),
            Err(_) => text.chars().count() as f64 * px * 0.6,
        }
    }

    /// Draws `text` with its baseline at `y` (pixels), aligned on `x`.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        weight: Weight,
        color: RGBColor,
        align: Align,
    ) -> Result<(), PlotError> {
        self.draw_string(x, y, text, size, weight, color, align, false)
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_string(
        &self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        weight: Weight,
        color: RGBColor,
        align: Align,
        up: bool,
    ) -> Result<(), PlotError> {
        if text.is_empty() {
            return Ok(());
        }
        let px = self.font_px(size);
        match self.mode {
            TextMode::Bitmap => {
                let f = face(weight)?;
                let width = advance(f, px, text);
                let lead = match align {
                    Align::Left => 0.0,
                    Align::Center => width / 2.0,
                    Align::Right => width,
                };
                // Glyph pixels come in a horizontal frame, pen starting at (0, 0) on the
                // baseline, and are mapped: unrotated (gx, gy) → (x − lead + gx, y + gy);
                // reading upwards, the baseline is the vertical line `x` and the text starts at
                // `y + lead`: (gx, gy) → (x + gy, y + lead − gx).
                let (ox, oy) = if up {
                    (x.round() as i32, (y + lead).round() as i32)
                } else {
                    ((x - lead).floor() as i32, y.round() as i32)
                };
                let frac = if up {
                    0.0
                } else {
                    ((x - lead) - (x - lead).floor()) as f32
                };
                let scaled = f.as_scaled(PxScale::from(px as f32));
                let mut pen = frac;
                let mut prev = None;
                let mut result = Ok(());
                for ch in text.chars() {
                    let id = scaled.glyph_id(ch);
                    if let Some(p) = prev {
                        pen += scaled.kern(p, id);
                    }
                    let glyph = id.with_scale_and_position(px as f32, point(pen, 0.0));
                    if let Some(og) = f.outline_glyph(glyph) {
                        let b = og.px_bounds();
                        og.draw(|gx, gy, cov| {
                            if cov <= 0.0 || result.is_err() {
                                return;
                            }
                            let gx = b.min.x as i32 + gx as i32;
                            let gy = b.min.y as i32 + gy as i32;
                            let q = if up {
                                (ox + gy, oy - gx)
                            } else {
                                (ox + gx, oy + gy)
                            };
                            let c = RGBAColor(color.0, color.1, color.2, f64::from(cov.min(1.0)));
                            result = self.area.draw_pixel(q, &c).map_err(perr);
                        });
                    }
                    pen += scaled.h_advance(id);
                    prev = Some(id);
                }
                result
            }
            TextMode::Svg => {
                // plotters writes font-size = size/1.24: ask for the size whose em matches the
                // bitmap's, anchored at the top (the baseline 0.76 em below).
                let em = px * EM_PER_PX;
                let mut font = FontDesc::new(
                    FontFamily::Name(FAMILY),
                    em * 1.24,
                    match weight {
                        Weight::Normal => FontStyle::Normal,
                        Weight::Bold => FontStyle::Bold,
                    },
                );
                if up {
                    font = font.transform(FontTransform::Rotate270);
                }
                let h = match align {
                    Align::Left => HPos::Left,
                    Align::Center => HPos::Center,
                    Align::Right => HPos::Right,
                };
                let style = font.color(&color.px()).pos(Pos::new(h, VPos::Top));
                let pos = if up {
                    (x - 0.76 * em, y)
                } else {
                    (x, y - 0.76 * em)
                };
                // SVG is XML: characters XML forbids would make the file unreadable.
                let text = crate::base::text::xml_text(text);
                self.area
                    .draw_text(&text, &style, (pos.0.round() as i32, pos.1.round() as i32))
                    .map_err(perr)
            }
        }
    }

    /// Draws `text` vertically centred (on its capital letters) on `y`.
    #[allow(clippy::too_many_arguments)]
    pub fn text_mid(
        &self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        weight: Weight,
        color: RGBColor,
        align: Align,
    ) -> Result<(), PlotError> {
        self.text(x, y + self.cap_half(size), text, size, weight, color, align)
    }

    /// Half the capital height of the font at design size `size`, in pixels.
    pub fn cap_half(&self, size: f64) -> f64 {
        // DejaVu Sans: cap height 0.729 em, em = size / 1.164 in ab_glyph's scaling.
        0.313 * self.font_px(size)
    }

    /// Draws `text` rotated to read upwards, its baseline on the vertical line `x`; the text
    /// starts at `y` (`Align::Left`, extending upwards), ends at `y` (`Align::Right`) or is
    /// centred on it.
    #[allow(clippy::too_many_arguments)]
    pub fn text_up(
        &self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        weight: Weight,
        color: RGBColor,
        align: Align,
    ) -> Result<(), PlotError> {
        self.draw_string(x, y, text, size, weight, color, align, true)
    }

    /// A polyline of width `width` design pixels.
    pub fn line(
        &self,
        points: &[(f64, f64)],
        color: RGBAColor,
        width: f64,
    ) -> Result<(), PlotError> {
        if points.len() < 2 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| ipt(p)).collect();
        let style = ShapeStyle {
            color,
            filled: false,
            stroke_width: self.stroke(width),
        };
        self.area
            .draw(&PathElement::new(pts, style))
            .map_err(perr)?;
        // Round joins: plotters' bitmap strokes each segment separately, which leaves notches
        // (SVG polylines join by themselves).
        if self.mode == TextMode::Bitmap && self.stroke(width) > 2 && points.len() > 2 {
            let r = (self.px(width) / 2.0).round() as i32;
            for &p in &points[1..points.len() - 1] {
                self.area
                    .draw(&Circle::new(ipt(p), r, color.filled()))
                    .map_err(perr)?;
            }
        }
        Ok(())
    }

    /// A dashed polyline: dashes of `dash` and gaps of `gap` design pixels, continuing across
    /// vertices.
    pub fn dashed(
        &self,
        points: &[(f64, f64)],
        color: RGBAColor,
        width: f64,
        dash: f64,
        gap: f64,
    ) -> Result<(), PlotError> {
        for piece in dash_pieces(points, self.px(dash), self.px(gap)) {
            self.line(&piece, color, width)?;
        }
        Ok(())
    }

    /// A polyline drawn with a dash `pattern` (on and off lengths in design pixels, alternating;
    /// solid when empty), the pattern continuing across vertices.
    pub fn patterned(
        &self,
        points: &[(f64, f64)],
        color: RGBAColor,
        width: f64,
        pattern: &[f64],
    ) -> Result<(), PlotError> {
        if pattern.is_empty() {
            return self.line(points, color, width);
        }
        let px: Vec<f64> = pattern.iter().map(|&d| self.px(d)).collect();
        for piece in pattern_pieces(points, &px) {
            self.line(&piece, color, width)?;
        }
        Ok(())
    }

    /// A filled rectangle between two corners (pixels).
    pub fn fill_rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        color: RGBAColor,
    ) -> Result<(), PlotError> {
        self.area
            .draw(&Rectangle::new(
                [ipt((x0, y0)), ipt((x1, y1))],
                color.filled(),
            ))
            .map_err(perr)
    }

    /// The outline of a rectangle.
    pub fn stroke_rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        color: RGBAColor,
        width: f64,
    ) -> Result<(), PlotError> {
        self.line(
            &[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
            color,
            width,
        )
    }

    /// A circle of radius `r` pixels, filled and/or outlined.
    pub fn circle(
        &self,
        x: f64,
        y: f64,
        r: f64,
        fill: Option<RGBAColor>,
        outline: Option<(RGBAColor, f64)>,
    ) -> Result<(), PlotError> {
        let c = ipt((x, y));
        if let Some(f) = fill {
            self.area
                .draw(&Circle::new(c, r.round() as i32, f.filled()))
                .map_err(perr)?;
        }
        if let Some((col, w)) = outline {
            let style = ShapeStyle {
                color: col,
                filled: false,
                stroke_width: self.stroke(w),
            };
            self.area
                .draw(&Circle::new(c, r.round() as i32, style))
                .map_err(perr)?;
        }
        Ok(())
    }

    /// A filled polygon.
    pub fn polygon(&self, points: &[(f64, f64)], color: RGBAColor) -> Result<(), PlotError> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| ipt(p)).collect();
        self.area
            .draw(&Polygon::new(pts, color.filled()))
            .map_err(perr)
    }
}

/// The point size on paper of text of design size `size`: tick labels at
/// [`Style::PAPER_TICK_PT`], the rest in proportion, never below [`Style::PAPER_MIN_PT`].
pub(crate) fn paper_points(size: f64) -> f64 {
    (size * Style::PAPER_TICK_PT / super::axes::TICK_SIZE).max(Style::PAPER_MIN_PT)
}

/// The advance width of `text` in pixels at pixel scale `px`, with kerning.
fn advance(f: &FontRef<'static>, px: f64, text: &str) -> f64 {
    let scaled = f.as_scaled(PxScale::from(px as f32));
    let mut w = 0.0f32;
    let mut prev = None;
    for ch in text.chars() {
        let id = scaled.glyph_id(ch);
        if let Some(p) = prev {
            w += scaled.kern(p, id);
        }
        w += scaled.h_advance(id);
        prev = Some(id);
    }
    f64::from(w)
}

fn ipt((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

/// Splits a polyline into the pieces drawn by a dash pattern (`dash` on, `gap` off), the pattern
/// continuing across vertices.
pub(crate) fn dash_pieces(points: &[(f64, f64)], dash: f64, gap: f64) -> Vec<Vec<(f64, f64)>> {
    pattern_pieces(points, &[dash, gap])
}

/// Splits a polyline into the pieces drawn by a dash pattern (lengths alternating on and off,
/// starting on), the pattern continuing across vertices.
pub(crate) fn pattern_pieces(points: &[(f64, f64)], pattern: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    if points.len() < 2 || pattern.first().map_or(true, |&d| d <= 0.0) {
        return out;
    }
    // Non-positive lengths would never advance: treat them as tiny.
    let len_at = |k: usize| pattern[k % pattern.len()].max(1e-3);
    let mut k = 0usize;
    let mut on = true;
    let mut left = len_at(0);
    let mut cur: Vec<(f64, f64)> = vec![points[0]];
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut t = 0.0;
        while len - t > left {
            t += left;
            let p = (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
            if on {
                cur.push(p);
                out.push(std::mem::take(&mut cur));
            } else {
                cur = vec![p];
            }
            on = !on;
            k += 1;
            left = len_at(k);
        }
        left -= len - t;
        if on {
            cur.push(b);
        }
    }
    if on && cur.len() >= 2 {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_continue_across_vertices() {
        let p = dash_pieces(&[(0.0, 0.0), (5.0, 0.0), (5.0, 10.0)], 4.0, 2.0);
        // on 0..4, off 4..6, on 6..10, off 10..12, on 12..15
        assert_eq!(p.len(), 3);
        assert_eq!(p[0], vec![(0.0, 0.0), (4.0, 0.0)]);
        assert_eq!(p[1], vec![(5.0, 1.0), (5.0, 5.0)]);
        assert_eq!(p[2], vec![(5.0, 7.0), (5.0, 10.0)]);
        // A four-part pattern: on 3, off 1, on 2, off 3, then again.
        let p = pattern_pieces(&[(0.0, 0.0), (12.0, 0.0)], &[3.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            p,
            vec![
                vec![(0.0, 0.0), (3.0, 0.0)],
                vec![(4.0, 0.0), (6.0, 0.0)],
                vec![(9.0, 0.0), (12.0, 0.0)]
            ]
        );
    }
}
