//! Colours: the Okabe–Ito colour-blind-safe palette for categories (one fixed colour per
//! alliance, member and bloc, chosen by its index so every chart of a run agrees), the dash
//! patterns that tell apart lines sharing a colour, and a blue–white–red diverging scale
//! (ColorBrewer RdBu, colour-blind safe) for signed values.

use super::RGBColor;
use plotters::style::RGBAColor;

/// Okabe & Ito (2008), reordered so that the first colours are the most distinct on white;
/// yellow (`#F0E442`) is left out because a thin yellow line is unreadable on white.
pub const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
];

/// A point marker that tells apart series sharing a colour (the palette has 7 colours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// No marker.
    None,
    /// A circle.
    Circle,
    /// A square.
    Square,
    /// A triangle.
    Triangle,
    /// A diamond.
    Diamond,
}

/// A line's dash pattern. Line charts give the lines that share a colour successive patterns
/// (the first solid), so no two lines of a chart share both colour and pattern; the medium
/// dash (7 on, 6 off) is kept for suspended stretches and scenario series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dash {
    /// A continuous line.
    #[default]
    Solid,
    /// Dots.
    Dotted,
    /// Dash, dot, dash.
    DashDot,
    /// Long dashes.
    LongDash,
}

impl Dash {
    /// The patterns in the order they are handed out to lines of one colour.
    pub const ROUNDS: [Dash; 4] = [Dash::Solid, Dash::Dotted, Dash::DashDot, Dash::LongDash];

    /// The `k`-th pattern of a colour (cycling after [`Dash::ROUNDS`]).
    ///
    /// ```
    /// use entente::plot::Dash;
    /// assert_eq!(Dash::round(0), Dash::Solid);
    /// assert_eq!(Dash::round(1), Dash::Dotted);
    /// assert_eq!(Dash::round(4), Dash::Solid);
    /// ```
    pub fn round(k: usize) -> Dash {
        Dash::ROUNDS[k % Dash::ROUNDS.len()]
    }

    /// On and off lengths in design pixels, alternating, starting with "on"; empty for solid.
    pub(crate) fn pattern(self) -> &'static [f64] {
        match self {
            Dash::Solid => &[],
            Dash::Dotted => &[2.5, 5.0],
            Dash::DashDot => &[13.0, 5.0, 2.5, 5.0],
            Dash::LongDash => &[22.0, 7.0],
        }
    }
}

/// Assigns categorical styles by index: index `i` always gets the same colour and mark.
///
/// ```
/// use entente::plot::{Palette, Mark};
/// assert_eq!(Palette::color(0), Palette::color(7));
/// assert_eq!(Palette::mark(0), Mark::None);
/// assert_ne!(Palette::mark(7), Mark::None);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Palette;

impl Palette {
    /// The colour of category `i`.
    pub fn color(i: usize) -> RGBColor {
        OKABE_ITO[i % OKABE_ITO.len()]
    }

    /// The mark of category `i`: none for the first 7, then one shape per further round.
    pub fn mark(i: usize) -> Mark {
        match (i / OKABE_ITO.len()) % 5 {
            0 => Mark::None,
            1 => Mark::Circle,
            2 => Mark::Square,
            3 => Mark::Triangle,
            _ => Mark::Diamond,
        }
    }
}

/// The bloc index of a state that belongs to no bloc (e.g. no positive tie): drawn grey.
pub const NO_BLOC: usize = usize::MAX;

/// Light grey of states in no bloc.
const NO_BLOC_COLOR: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);

/// The colour of bloc `b`: `Palette::color(b)`, light grey for [`NO_BLOC`].
pub fn bloc_color(b: usize) -> RGBColor {
    if b == NO_BLOC {
        NO_BLOC_COLOR
    } else {
        Palette::color(b)
    }
}

/// Grey used for event markers and secondary text.
pub(crate) const GREY: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Light grey for grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// The page's white.
pub(crate) const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
/// Near-black for text and axes.
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);

/// An opaque colour as RGBA.
pub(crate) fn solid(c: RGBColor) -> RGBAColor {
    RGBAColor(c.0, c.1, c.2, 1.0)
}

/// A colour with opacity `a`.
pub(crate) fn alpha(c: RGBColor, a: f64) -> RGBAColor {
    RGBAColor(c.0, c.1, c.2, a)
}

/// ColorBrewer RdBu (11 classes), from −1 (dark red) through white to +1 (dark blue).
const RDBU: [RGBColor; 11] = [
    RGBColor(0x67, 0x00, 0x1F),
    RGBColor(0xB2, 0x18, 0x2B),
    RGBColor(0xD6, 0x60, 0x4D),
    RGBColor(0xF4, 0xA5, 0x82),
    RGBColor(0xFD, 0xDB, 0xC7),
    RGBColor(0xF7, 0xF7, 0xF7),
    RGBColor(0xD1, 0xE5, 0xF0),
    RGBColor(0x92, 0xC5, 0xDE),
    RGBColor(0x43, 0x93, 0xC3),
    RGBColor(0x21, 0x66, 0xAC),
    RGBColor(0x05, 0x30, 0x61),
];

/// The diverging colour of `t` in [−1, 1] (clamped): red for negative, white at 0, blue for
/// positive, interpolated between the RdBu classes.
///
/// ```
/// use entente::plot::diverging;
/// let (neg, pos) = (diverging(-1.0), diverging(1.0));
/// assert!(neg.0 > neg.2 && pos.2 > pos.0);
/// ```
pub fn diverging(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let x = (t + 1.0) / 2.0 * 10.0;
    let i = (x.floor() as usize).min(9);
    let f = x - i as f64;
    let (a, b) = (RDBU[i], RDBU[i + 1]);
    let m = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * f).round() as u8;
    RGBColor(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_is_centred_and_symmetric_in_shape() {
        assert_eq!(diverging(0.0), RGBColor(0xF7, 0xF7, 0xF7));
        assert_eq!(diverging(-1.0), RDBU[0]);
        assert_eq!(diverging(1.0), RDBU[10]);
        assert_eq!(diverging(f64::NAN), diverging(0.0));
        assert_eq!(diverging(7.0), RDBU[10]);
    }
}
