//! Member alignment: for one alliance, each member's alignment (its mean tie to the other
//! members) over time, one line per member; stretches where the member is suspended are drawn
//! dashed; the same event markers and key as the cohesion timeline.

use super::canvas::Canvas;
use super::legend::{Entry, Swatch};
use super::palette::{Mark, GREY};
use super::timeline::{band_entry, draw_line_chart, Line, LineChart};
use super::RGBColor;
use super::{Chart, KeyItem, Marker, PlotError};
use chrono::NaiveDate;
use plotters::prelude::DrawingBackend;

/// One member's line.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberSeries {
    /// The member's label (its id).
    pub label: String,
    /// Its line colour.
    pub color: RGBColor,
    /// Its point marker.
    pub mark: Mark,
    /// One value per date; `None` where the state is not a member (a gap).
    pub values: Vec<Option<f64>>,
    /// One flag per date: suspended at that date.
    pub suspended: Vec<bool>,
    /// An optional shaded `(low, high)` band per date; empty for none.
    pub band: Vec<Option<(f64, f64)>>,
    /// Drawn dashed over its whole length (e.g. a scenario).
    pub dashed: bool,
}

/// The members of one alliance over time.
#[derive(Debug, Clone, PartialEq)]
pub struct MembersChart {
    /// The chart's title.
    pub title: String,
    /// The metric shown, for the value axis and subtitle (e.g. `alignment`).
    pub metric_label: String,
    /// The dates of the series.
    pub dates: Vec<NaiveDate>,
    /// One series per member.
    pub members: Vec<MemberSeries>,
    /// Event markers drawn on the time axis.
    pub events: Vec<Marker>,
    /// A fixed y range; fitted to the data when `None`.
    pub y_range: Option<(f64, f64)>,
    /// What the shaded bands show, as a legend entry; empty for none.
    pub band_label: String,
}

impl MembersChart {
    /// The numbered events this chart marks (those within its dates), for a caption: a paper
    /// chart draws only their numbers.
    pub fn event_key(&self) -> Vec<KeyItem> {
        super::timeline::event_key(&self.dates, &self.events)
    }
}

impl Chart for MembersChart {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<(), PlotError> {
        let lines: Vec<Line> = self
            .members
            .iter()
            .map(|s| Line {
                label: &s.label,
                color: s.color,
                mark: s.mark,
                values: &s.values,
                suspended: Some(&s.suspended),
                band: &s.band,
                dashed: s.dashed,
            })
            .collect();
        let any_suspended = self.members.iter().zip(&lines).any(|(m, _)| {
            m.suspended
                .iter()
                .zip(&m.values)
                .any(|(s, v)| *s && v.is_some())
        });
        let mut extra: Vec<Entry> = band_entry(&self.band_label, &lines).into_iter().collect();
        if any_suspended {
            extra.push(Entry {
                label: "suspended (dashed)".into(),
                color: GREY,
                mark: Mark::None,
                swatch: Swatch::Dashed,
                width: 3.0,
            });
        }
        draw_line_chart(
            c,
            &LineChart {
                title: &self.title,
                subtitle: &self.metric_label,
                y_title: &self.metric_label,
                legend_title: "Members",
                dates: &self.dates,
                lines: &lines,
                events: &self.events,
                y_range: self.y_range,
                extra_legend: extra,
            },
        )
    }
}
