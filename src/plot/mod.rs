//! Charts as pictures: the cohesion timeline, member alignment, network snapshot, tie heatmap and
//! attribution waterfall,
//! rendered to PNG (bytes) or SVG (a string) from plain data. The charts know nothing of the
//! dataset, the model or the metrics: callers hand them dates, labels, values and colours, and
//! write the result themselves (atomically, with [`crate::output::write_atomic`]).
//!
//! Text uses DejaVu Sans embedded in the binary (the `dejavu` crate, Bitstream Vera licence), so
//! charts render the same on a machine with no system fonts. Layout is computed for the picture's
//! size in "design pixels" of a 1600×900 picture and scaled; PNGs are drawn at twice the size and
//! averaged down, which anti-aliases lines and shapes. Same input, same bytes.
//!
//! ```
//! use entente::plot::{self, Palette, Series, Size, TimelineChart};
//! use entente::date::parse_date;
//! let d = |s| parse_date(s).unwrap();
//! let chart = TimelineChart {
//!     title: "Example".into(),
//!     metric_label: "mean_tie".into(),
//!     dates: vec![d("2020-01-01"), d("2021-01-01")],
//!     series: vec![Series::new("A", Palette::color(0), vec![Some(0.5), Some(0.2)])],
//!     events: vec![],
//!     y_range: None,
//!     band_label: String::new(),
//! };
//! let png = plot::render_png(&chart, Size::new(800, 450).unwrap()).unwrap();
//! assert_eq!(&png[1..4], b"PNG");
//! ```

pub mod alluvial;
mod axes;
mod canvas;
mod events;
pub mod heatmap;
pub mod layout;
mod legend;
pub mod members;
pub mod network;
mod palette;
pub mod similarity;
pub mod text;
pub mod timeline;
pub mod tornado;
pub mod waterfall;

pub use alluvial::AlluvialChart;
pub use axes::nice_range;
pub use events::{KeyItem, Marker};
pub use heatmap::HeatmapChart;
pub use members::{MemberSeries, MembersChart};
pub use network::NetworkChart;
pub use palette::{bloc_color, diverging, Dash, Mark, Palette, NO_BLOC};
pub use tornado::{TornadoBar, TornadoChart};
pub use waterfall::WaterfallChart;

/// A colour as 8-bit red, green and blue. entente's own type, so that the library's API does not
/// expose the drawing crate; the charts convert it where they draw.
#[derive(Copy, Clone, Eq, PartialEq, Hash, Debug, Default)]
pub struct RGBColor(pub u8, pub u8, pub u8);

impl RGBColor {
    /// The drawing crate's colour.
    pub(crate) fn px(self) -> plotters::style::RGBColor {
        plotters::style::RGBColor(self.0, self.1, self.2)
    }
}
pub use timeline::{Series, TimelineChart};

use crate::error::{Error, Result};
use canvas::Canvas;
use plotters::prelude::*;
use std::fmt;
use std::sync::OnceLock;

/// The size of a picture in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Size {
    /// 1600×900, the size every text size is designed for.
    pub const DEFAULT: Size = Size {
        width: 1600,
        height: 900,
    };
    /// The smallest accepted side: below it text cannot stay legible.
    pub const MIN_SIDE: u32 = 320;
    /// The largest accepted side (a 2× supersampled 8000×8000 RGB buffer is 768 MB).
    pub const MAX_SIDE: u32 = 8000;

    /// A size within [`Size::MIN_SIDE`]..=[`Size::MAX_SIDE`] on both sides.
    pub fn new(width: u32, height: u32) -> Result<Size, String> {
        let ok = |v: u32| (Size::MIN_SIDE..=Size::MAX_SIDE).contains(&v);
        if !ok(width) || !ok(height) {
            return Err(format!(
                "invalid size {width}x{height}: each side must be between {} and {} pixels",
                Size::MIN_SIDE,
                Size::MAX_SIDE
            ));
        }
        Ok(Size { width, height })
    }

    /// Parses `WxH`, e.g. `1600x900`.
    ///
    /// ```
    /// use entente::plot::Size;
    /// assert_eq!(Size::parse("1200x800").unwrap(), Size::new(1200, 800).unwrap());
    /// assert!(Size::parse("1200").is_err());
    /// assert!(Size::parse("10x10").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Size, String> {
        let err = || format!("invalid size {s:?}: expected WIDTHxHEIGHT in pixels, e.g. 1600x900");
        let (w, h) = s.split_once(['x', 'X']).ok_or_else(err)?;
        let num = |t: &str| -> Result<u32, String> {
            if t.is_empty() || t.len() > 6 || !t.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            t.parse().map_err(|_| err())
        };
        Size::new(num(w)?, num(h)?)
    }
}

impl Default for Size {
    fn default() -> Self {
        Size::DEFAULT
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

/// How a chart is dressed: for a screen (a title and subtitle, event flags with their key under
/// the plot, text sized for the picture) or for a paper (no title or subtitle, which go in the
/// figure's caption; events as small numbered ticks on the top axis with the key left to the
/// caller, see [`TimelineChart::event_key`]; text sized in points for the print resolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// The default: everything in the picture.
    #[default]
    Screen,
    /// Ready to paste into a paper printed at `dpi` dots per inch.
    Paper {
        /// Print resolution in dots per inch: text sizes are points at this resolution.
        dpi: u32,
    },
}

impl Style {
    /// The smallest text size of a paper chart, in points.
    pub const PAPER_MIN_PT: f64 = 8.0;
    /// The size of axis tick labels in a paper chart, in points.
    pub const PAPER_TICK_PT: f64 = 9.0;

    /// Whether this is the paper style.
    pub fn is_paper(self) -> bool {
        matches!(self, Style::Paper { .. })
    }

    /// The pixel size of text of `points` points at this style's resolution (`None` on screen,
    /// where text has no physical size).
    ///
    /// ```
    /// use entente::plot::Style;
    /// assert_eq!(Style::Paper { dpi: 300 }.points_to_px(9.0), Some(37.5));
    /// assert_eq!(Style::Screen.points_to_px(9.0), None);
    /// ```
    pub fn points_to_px(self, points: f64) -> Option<f64> {
        match self {
            Style::Screen => None,
            Style::Paper { dpi } => Some(points * f64::from(dpi) / 72.0),
        }
    }

    /// The style of a picture drawn at `k` times the size (supersampled): the same print size,
    /// so `k` times the resolution.
    pub(crate) fn supersampled(self, k: u32) -> Style {
        match self {
            Style::Screen => Style::Screen,
            Style::Paper { dpi } => Style::Paper {
                dpi: dpi.saturating_mul(k),
            },
        }
    }

    /// The point size of text `px` pixels high printed at this style's resolution (`None` on
    /// screen).
    pub fn px_to_points(self, px: f64) -> Option<f64> {
        match self {
            Style::Screen => None,
            Style::Paper { dpi } => Some(px * 72.0 / f64::from(dpi)),
        }
    }
}

/// The pixel size of a picture `width_in` inches wide at `dpi` dots per inch, with the 16:9
/// aspect of the default size; an error when a side falls outside the accepted sizes.
///
/// ```
/// use entente::plot::{paper_size, Size};
/// assert_eq!(paper_size(6.5, 300).unwrap(), Size::new(1950, 1097).unwrap());
/// assert!(paper_size(0.5, 72).is_err());
/// ```
pub fn paper_size(width_in: f64, dpi: u32) -> Result<Size, String> {
    let w = width_in * f64::from(dpi);
    if !(w.is_finite() && w >= 1.0 && w <= f64::from(Size::MAX_SIDE)) {
        return Err(format!(
            "{width_in} in at {dpi} dpi is {w:.0} pixels wide: each side must be between {} and {} pixels",
            Size::MIN_SIDE,
            Size::MAX_SIDE
        ));
    }
    let w = w.round() as u32;
    let h = (f64::from(w) * 9.0 / 16.0).round() as u32;
    Size::new(w, h).map_err(|e| format!("{width_in} in at {dpi} dpi: {e}"))
}

/// The file format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A PNG bitmap.
    Png,
    /// An SVG drawing.
    Svg,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// A failure while drawing (a bug or an unrenderable input), turned into [`Error::Internal`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlotError(pub String);

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Converts any drawing error into a [`PlotError`].
pub(crate) fn perr<E: fmt::Display>(e: E) -> PlotError {
    PlotError(e.to_string())
}

impl From<PlotError> for Error {
    fn from(e: PlotError) -> Error {
        Error::Internal(format!("drawing a chart failed: {}", e.0))
    }
}

/// A chart that can draw itself (to PNG or SVG through [`render`]). How it draws is internal:
/// the drawing crate is not part of the library's API.
pub trait Chart {
    /// Draws the whole picture; the canvas is already white.
    #[doc(hidden)]
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<(), PlotError>;
}

/// Registers the embedded DejaVu Sans (regular and bold) as `sans-serif`, once per process.
pub fn init_fonts() -> Result<(), PlotError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        let r = plotters::style::register_font(
            canvas::FAMILY,
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
        let b =
            plotters::style::register_font(canvas::FAMILY, FontStyle::Bold, dejavu::sans::bold());
        r.is_ok() && b.is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError(
            "the embedded DejaVu Sans font could not be loaded".into(),
        ))
    }
}

/// Supersampling factor of PNG rendering (drawn at this multiple of the size, then averaged).
const SUPERSAMPLE: u32 = 2;

/// Renders a chart to a raw RGB buffer (`width × height × 3` bytes, row-major).
pub fn render_rgb(chart: &impl Chart, size: Size) -> Result<Vec<u8>> {
    render_rgb_styled(chart, size, Style::Screen)
}

/// As [`render_rgb`], in the given style.
pub fn render_rgb_styled(chart: &impl Chart, size: Size, style: Style) -> Result<Vec<u8>> {
    init_fonts()?;
    let (w, h) = (size.width * SUPERSAMPLE, size.height * SUPERSAMPLE);
    let mut big = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut big, (w, h)).into_drawing_area();
        let c = Canvas::new(
            root,
            canvas::TextMode::Bitmap,
            style.supersampled(SUPERSAMPLE),
        );
        chart.draw(&c)?;
        c.finish()?;
    }
    Ok(downsample(
        &big,
        w as usize,
        h as usize,
        SUPERSAMPLE as usize,
    ))
}

/// Averages `k×k` blocks of an RGB buffer (`w` and `h` multiples of `k`).
fn downsample(src: &[u8], w: usize, h: usize, k: usize) -> Vec<u8> {
    let (ow, oh) = (w / k, h / k);
    let mut out = vec![0u8; ow * oh * 3];
    if k == 2 {
        // The common case, without per-pixel index arithmetic.
        let row = w * 3;
        for (oy, dst) in out.chunks_exact_mut(ow * 3).enumerate() {
            let top = &src[2 * oy * row..(2 * oy + 1) * row];
            let bottom = &src[(2 * oy + 1) * row..(2 * oy + 2) * row];
            for ((d, a), b) in dst
                .chunks_exact_mut(3)
                .zip(top.chunks_exact(6))
                .zip(bottom.chunks_exact(6))
            {
                for ch in 0..3 {
                    let sum = u16::from(a[ch])
                        + u16::from(a[ch + 3])
                        + u16::from(b[ch])
                        + u16::from(b[ch + 3]);
                    d[ch] = ((sum + 2) / 4) as u8;
                }
            }
        }
        return out;
    }
    let n = (k * k) as u32;
    for oy in 0..oh {
        for ox in 0..ow {
            let mut acc = [0u32; 3];
            for dy in 0..k {
                let row = (oy * k + dy) * w;
                for dx in 0..k {
                    let p = (row + ox * k + dx) * 3;
                    acc[0] += u32::from(src[p]);
                    acc[1] += u32::from(src[p + 1]);
                    acc[2] += u32::from(src[p + 2]);
                }
            }
            let o = (oy * ow + ox) * 3;
            for ch in 0..3 {
                out[o + ch] = ((acc[ch] + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// Encodes an RGB buffer as a PNG file (deterministic: no timestamps or text chunks).
pub fn encode_png(rgb: &[u8], size: Size) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, size.width, size.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::FilterType::Sub);
        let mut w = enc
            .write_header()
            .map_err(|e| Error::Internal(format!("PNG encoding failed: {e}")))?;
        w.write_image_data(rgb)
            .map_err(|e| Error::Internal(format!("PNG encoding failed: {e}")))?;
        w.finish()
            .map_err(|e| Error::Internal(format!("PNG encoding failed: {e}")))?;
    }
    Ok(out)
}

/// Renders a chart as PNG bytes.
pub fn render_png(chart: &impl Chart, size: Size) -> Result<Vec<u8>> {
    let rgb = render_rgb(chart, size)?;
    encode_png(&rgb, size)
}

/// Renders a chart as an SVG document (text stays text; the viewer supplies a sans-serif font).
pub fn render_svg(chart: &impl Chart, size: Size) -> Result<String> {
    render_svg_styled(chart, size, Style::Screen)
}

/// As [`render_svg`], in the given style.
pub fn render_svg_styled(chart: &impl Chart, size: Size, style: Style) -> Result<String> {
    init_fonts()?;
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (size.width, size.height)).into_drawing_area();
        let c = Canvas::new(root, canvas::TextMode::Svg, style);
        chart.draw(&c)?;
        c.finish()?;
    }
    Ok(s)
}

/// Renders a chart in the given format, as the bytes of the file to write.
pub fn render(chart: &impl Chart, size: Size, format: Format) -> Result<Vec<u8>> {
    render_styled(chart, size, format, Style::Screen)
}

/// As [`render`], in the given style.
pub fn render_styled(
    chart: &impl Chart,
    size: Size,
    format: Format,
    style: Style,
) -> Result<Vec<u8>> {
    match format {
        Format::Png => encode_png(&render_rgb_styled(chart, size, style)?, size),
        Format::Svg => Ok(render_svg_styled(chart, size, style)?.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_reject() {
        assert_eq!(Size::parse("1600x900").unwrap(), Size::DEFAULT);
        assert_eq!(Size::parse("800X600").unwrap().to_string(), "800x600");
        for bad in [
            "",
            "x",
            "1600x",
            "x900",
            "-1x900",
            "1600x900x1",
            "1e3x900",
            "100x100",
            "9000x900",
        ] {
            assert!(Size::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn downsample_averages_blocks() {
        let src = [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&src, 2, 2, 2), vec![191, 191, 191]);
        // 4×2 pixels → 2×1, and the general path agrees with the k = 2 one.
        let src: Vec<u8> = (0..24).map(|v| (v * 10) as u8).collect();
        let fast = downsample(&src, 4, 2, 2);
        assert_eq!(fast, vec![75, 85, 95, 135, 145, 155]);
        let src3: Vec<u8> = (0..27).map(|v| (v * 9) as u8).collect();
        assert_eq!(downsample(&src3, 3, 3, 3), vec![108, 117, 126]);
    }
}
