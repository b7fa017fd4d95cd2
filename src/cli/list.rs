//! `entente list states|alliances|events [FILE] [--format table|json|csv]`: the ids a dataset
//! uses, to find what to pass to `--alliance`, `--state` and friends. States and alliances come
//! with their names, the span of dates their events cover and membership counts; events with
//! their date, kind, subjects and note. Read from the dataset alone (tie CSV files are not
//! listed).

use super::args::OutputArg;
use super::input::{self, DataArgs};
use entente::base::csv::field as csv_field;
use entente::dataset::{Dataset, EventKind};
use entente::date::fmt_date;
use entente::error::Result;
use serde::Serialize;
use std::collections::BTreeSet;

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// Every state: id, name, first and last event date, alliances joined.
    States,
    /// Every alliance: id, name, kind, first and last event date, states that ever joined.
    Alliances,
    /// Every dated event of the dataset, in dataset order.
    Events,
}

/// `--format` of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListOutput {
    /// Aligned columns for reading.
    Table,
    /// A JSON array of objects.
    Json,
    /// CSV with a header row.
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to list.
    #[arg(value_enum)]
    pub what: What,
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListOutput,
    #[command(flatten)]
    pub output: OutputArg,
}

/// One state of the listing.
#[derive(Debug, Serialize)]
struct StateRow {
    id: String,
    name: String,
    /// Date of the first event that names the state (empty without one).
    first: String,
    /// Date of the last event that names the state.
    last: String,
    /// Distinct alliances the state ever joined.
    alliances: usize,
}

/// One alliance of the listing.
#[derive(Debug, Serialize)]
struct AllianceRow {
    id: String,
    name: String,
    kind: &'static str,
    first: String,
    last: String,
    /// Distinct states that ever joined.
    members: usize,
}

/// One event of the listing.
#[derive(Debug, Serialize)]
struct EventRow {
    date: String,
    kind: &'static str,
    /// The ids the event is about: state, alliance, or the two states of a tie.
    subjects: String,
    note: String,
}

/// The state and alliance indices an event names.
fn subjects(kind: &EventKind) -> (Vec<usize>, Option<usize>) {
    match *kind {
        EventKind::TieDelta(t) => (vec![t.a, t.b], None),
        _ => (kind.state().into_iter().collect(), kind.alliance()),
    }
}

/// The first and last date of the events `touches` selects, as text (empty when none).
fn span(ds: &Dataset, touches: impl Fn(&EventKind) -> bool) -> (String, String) {
    let mut dates = ds
        .events
        .iter()
        .filter(|e| touches(&e.kind))
        .map(|e| e.date);
    let Some(first) = dates.next() else {
        return (String::new(), String::new());
    };
    let (lo, hi) = dates.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d)));
    (fmt_date(lo), fmt_date(hi))
}

fn states(ds: &Dataset) -> Vec<StateRow> {
    ds.states
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (first, last) = span(ds, |k| subjects(k).0.contains(&i));
            let joined: BTreeSet<usize> = ds
                .events
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::Join { state, alliance } if state == i => Some(alliance),
                    _ => None,
                })
                .collect();
            StateRow {
                id: s.id.clone(),
                name: s.name.clone(),
                first,
                last,
                alliances: joined.len(),
            }
        })
        .collect()
}

fn alliances(ds: &Dataset) -> Vec<AllianceRow> {
    ds.alliances
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (first, last) = span(ds, |k| subjects(k).1 == Some(i));
            let members: BTreeSet<usize> = ds
                .events
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::Join { state, alliance } if alliance == i => Some(state),
                    _ => None,
                })
                .collect();
            AllianceRow {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind.as_str(),
                first,
                last,
                members: members.len(),
            }
        })
        .collect()
}

fn events(ds: &Dataset) -> Vec<EventRow> {
    ds.events
        .iter()
        .map(|e| {
            let (states, alliance) = subjects(&e.kind);
            let mut ids: Vec<&str> = states.iter().map(|&s| ds.states[s].id.as_str()).collect();
            if let Some(a) = alliance {
                ids.push(ds.alliances[a].id.as_str());
            }
            EventRow {
                date: fmt_date(e.date),
                kind: e.kind.name(),
                subjects: ids.join(" "),
                note: e.note.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// Rows as text cells, with their header.
trait Cells {
    const HEADER: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
}

impl Cells for StateRow {
    const HEADER: &'static [&'static str] = &["id", "name", "first", "last", "alliances"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.first.clone(),
            self.last.clone(),
            self.alliances.to_string(),
        ]
    }
}

impl Cells for AllianceRow {
    const HEADER: &'static [&'static str] = &["id", "name", "kind", "first", "last", "members"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.kind.to_string(),
            self.first.clone(),
            self.last.clone(),
            self.members.to_string(),
        ]
    }
}

impl Cells for EventRow {
    const HEADER: &'static [&'static str] = &["date", "kind", "subjects", "note"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.date.clone(),
            self.kind.to_string(),
            self.subjects.clone(),
            self.note.clone(),
        ]
    }
}

/// Aligned columns (by character count), the last one unpadded.
fn table<R: Cells>(rows: &[R]) -> String {
    // Dataset text is escaped for the terminal before widths are measured.
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.cells()
                .iter()
                .map(|c| entente::base::text::for_terminal(c).into_owned())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = R::HEADER.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = R::HEADER.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(&cells) {
        let last = row.len().saturating_sub(1);
        for (k, (c, w)) in row.iter().zip(&widths).enumerate() {
            if k == last {
                out.push_str(c);
            } else {
                out.push_str(c);
                out.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        out.truncate(out.trim_end_matches(' ').len());
        out.push('\n');
    }
    out
}

fn csv<R: Cells>(rows: &[R]) -> String {
    let mut out = R::HEADER.join(",");
    out.push('\n');
    for row in rows {
        let cells: Vec<String> = row
            .cells()
            .iter()
            .map(|c| csv_field(c).into_owned())
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn render<R: Cells + Serialize>(rows: &[R], format: ListOutput) -> String {
    match format {
        ListOutput::Table => table(rows),
        ListOutput::Json => entente::format::to_json(&rows),
        ListOutput::Csv => csv(rows),
    }
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    let ds = &l.dataset;
    let text = match args.what {
        What::States => render(&states(ds), args.format),
        What::Alliances => render(&alliances(ds), args.format),
        What::Events => render(&events(ds), args.format),
    };
    args.output.print(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csto() -> Dataset {
        entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap()
    }

    #[test]
    fn alliances_count_members_who_ever_joined() {
        let ds = csto();
        let rows = alliances(&ds);
        assert_eq!(rows.len(), ds.alliances.len());
        let csto = rows.iter().find(|r| r.id == "CSTO").unwrap();
        assert!(csto.members >= 6, "{csto:?}");
        assert!(csto.first <= csto.last && !csto.first.is_empty());
    }

    #[test]
    fn table_and_csv_have_a_header_and_a_row_each() {
        let ds = csto();
        let rows = states(&ds);
        assert_eq!(table(&rows).lines().count(), rows.len() + 1);
        let text = csv(&rows);
        assert!(text.starts_with("id,name,first,last,alliances\n"));
        assert_eq!(text.lines().count(), rows.len() + 1);
    }
}
