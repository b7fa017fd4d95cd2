//! Questions the timeline answers for the stages after it (charts, exporters, the command line),
//! so that no caller replays the structural changes itself: who is suspended in which alliance
//! at a series of dates, the presence spells of each state, the days on which something changes
//! exactly, and read access to what the timeline holds (sizes, tie events, warnings).

use super::timeline::{Status, StructuralChange, World};
use super::{TieEvent, Timeline};
use crate::date::{to_day, Day};
use crate::error::Diagnostic;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// A presence spell of a state: first day and last day present, `None` where the spell is open
/// (present from before the first event, or still present after the last one).
pub type Spell = (Option<Day>, Option<Day>);

impl Timeline {
    /// The number of states in the dataset (present or not).
    pub fn n_states(&self) -> usize {
        self.n_states
    }

    /// The number of alliances in the dataset.
    pub fn n_alliances(&self) -> usize {
        self.n_alliances
    }

    /// The effective tie events (both states present at their date), by day, then file order.
    pub fn tie_events(&self) -> &[TieEvent] {
        &self.ties
    }

    /// Suspicious-but-usable data found while ordering the events (each ignored event).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// For each of `dates` (ascending) and each alliance in `alliances`, the present states
    /// suspended in it, in dataset order. One pass through the structural changes.
    ///
    /// ```
    /// let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
    /// let tl = entente::model::Timeline::new(&ds, "csto.json");
    /// let csto = ds.alliances.iter().position(|a| a.id == "CSTO").unwrap();
    /// let arm = ds.states.iter().position(|s| s.id == "ARM").unwrap();
    /// let dates = [entente::date::parse_date("2010-01-01").unwrap(),
    ///              entente::date::parse_date("2024-06-01").unwrap()];
    /// let got = tl.suspended_at(&dates, &[csto]);
    /// assert!(got[0][0].is_empty());
    /// assert_eq!(got[1][0], vec![arm], "Armenia froze its CSTO participation in 2024");
    /// ```
    pub fn suspended_at(&self, dates: &[NaiveDate], alliances: &[usize]) -> Vec<Vec<Vec<usize>>> {
        let mut world = World::new(self);
        let mut next = 0;
        let mut out = Vec::with_capacity(dates.len());
        for &date in dates {
            let day = to_day(date);
            while let Some(&(change_day, change)) = self.changes.get(next) {
                if change_day > day {
                    break;
                }
                world.apply(change);
                next += 1;
            }
            out.push(
                alliances
                    .iter()
                    .map(|&alliance| {
                        (0..self.n_states)
                            .filter(|&state| {
                                world.present[state]
                                    && matches!(world.status(alliance, state), Status::Suspended(_))
                            })
                            .collect()
                    })
                    .collect(),
            );
        }
        out
    }

    /// The presence spells of each state (dataset order), taken exactly from the `enter` and
    /// `exit` events: a spell ends the day before the exit. A state without presence events
    /// has the one spell `(None, None)`; a state that never enters has none.
    pub fn presence_spells(&self) -> Vec<Vec<Spell>> {
        let mut open: Vec<Option<Option<Day>>> = self
            .initially_present
            .iter()
            .map(|&present| present.then_some(None))
            .collect();
        let mut spells: Vec<Vec<Spell>> = vec![Vec::new(); self.n_states];
        for &(day, change) in &self.changes {
            match change {
                StructuralChange::Enter(s) => open[s as usize] = Some(Some(day)),
                StructuralChange::Exit(s) => {
                    if let Some(start) = open[s as usize].take() {
                        spells[s as usize].push((start, Some(day - 1)));
                    }
                }
                _ => {}
            }
        }
        for (state, start) in open.into_iter().enumerate() {
            if let Some(start) = start {
                spells[state].push((start, None));
            }
        }
        spells
    }

    /// The days on which the graph changes other than by decay: every structural change, every
    /// tie event, and the day each tie event's window closes. Between two of these days a
    /// weight changes only through half-lives.
    pub fn exact_change_days(&self) -> BTreeSet<Day> {
        let mut days: BTreeSet<Day> = self.changes.iter().map(|&(day, _)| day).collect();
        for tie in &self.ties {
            days.insert(tie.day);
            if let Some(duration) = tie.duration() {
                let end = f64::from(tie.day) + duration.ceil();
                if end < f64::from(Day::MAX) {
                    days.insert(end as Day);
                }
            }
        }
        days
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::dataset::load_str;
    use crate::date::{parse_date, to_day};
    use crate::model::Timeline;

    fn timeline(events: &str) -> Timeline {
        let text = format!(
            r#"{{"name":"t","states":[{{"id":"A","name":"A"}},{{"id":"B","name":"B"}},{{"id":"C","name":"C"}}],
               "alliances":[{{"id":"X","name":"X"}}],"events":[{events}]}}"#
        );
        Timeline::new(&load_str(&text, "t.json").unwrap(), "t.json")
    }

    fn day(s: &str) -> i32 {
        to_day(parse_date(s).unwrap())
    }

    #[test]
    fn presence_spells_follow_enter_and_exit() {
        let tl = timeline(
            r#"{"date":"1990-01-01","kind":"enter","state":"C"},
               {"date":"1995-01-01","kind":"exit","state":"C"},
               {"date":"1999-01-01","kind":"enter","state":"C"},
               {"date":"2000-01-01","kind":"exit","state":"B"}"#,
        );
        let spells = tl.presence_spells();
        assert_eq!(spells[0], vec![(None, None)]);
        assert_eq!(spells[1], vec![(None, Some(day("1999-12-31")))]);
        assert_eq!(
            spells[2],
            vec![
                (Some(day("1990-01-01")), Some(day("1994-12-31"))),
                (Some(day("1999-01-01")), None)
            ]
        );
    }

    #[test]
    fn suspended_members_at_each_date() {
        let tl = timeline(
            r#"{"date":"2000-01-01","kind":"join","state":"A","alliance":"X"},
               {"date":"2000-01-01","kind":"join","state":"B","alliance":"X"},
               {"date":"2001-01-01","kind":"suspend","state":"B","alliance":"X","factor":0.5},
               {"date":"2002-01-01","kind":"suspend","state":"A","alliance":"X"},
               {"date":"2003-01-01","kind":"resume","state":"B","alliance":"X"},
               {"date":"2004-01-01","kind":"exit","state":"A"}"#,
        );
        let dates: Vec<_> = [
            "2000-06-01",
            "2001-01-01",
            "2002-06-01",
            "2003-06-01",
            "2004-06-01",
        ]
        .iter()
        .map(|d| parse_date(d).unwrap())
        .collect();
        let got: Vec<Vec<usize>> = tl
            .suspended_at(&dates, &[0])
            .into_iter()
            .map(|mut per_alliance| per_alliance.remove(0))
            .collect();
        assert_eq!(
            got,
            vec![vec![], vec![1], vec![0, 1], vec![0], vec![]],
            "an absent state is not listed as suspended"
        );
    }

    #[test]
    fn exact_change_days_include_window_ends() {
        let tl = timeline(
            r#"{"date":"2000-01-01","kind":"join","state":"A","alliance":"X"},
               {"date":"2000-03-01","kind":"tie","a":"A","b":"B","delta":0.5,"duration_days":10}"#,
        );
        let days: Vec<i32> = tl.exact_change_days().into_iter().collect();
        assert_eq!(
            days,
            vec![day("2000-01-01"), day("2000-03-01"), day("2000-03-11")]
        );
    }
}
