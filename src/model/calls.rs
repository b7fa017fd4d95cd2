//! The call record: every member's calls for help (`invoke` events) and the alliances' answers
//! (`respond` events), paired by the one rule of [`crate::dataset::calls`], with the half-life
//! that the `reliability` metric discounts old answers by. Calls change no tie weight; the
//! timeline keeps the record beside the structural changes and every snapshot shares it.

use crate::dataset::calls::{outcome, Pairings};
use crate::dataset::{Dataset, EventKind, Outcome};
use crate::date::{to_day, Day};
use chrono::NaiveDate;

/// Days in a year for half-lives given in years (`10y`): the Julian year, 365.25 days.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// The default half-life of `reliability`: ten years.
pub const DEFAULT_HALF_LIFE_DAYS: f64 = 10.0 * DAYS_PER_YEAR;

/// One call for help and, once given, its answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Call {
    /// The member calling (index into `Dataset::states`).
    pub state: usize,
    /// The alliance called on (index into `Dataset::alliances`).
    pub alliance: usize,
    /// The treaty article invoked, if given.
    pub article: Option<u32>,
    /// The date of the `invoke` event.
    pub invoked: NaiveDate,
    /// The date of the answer and what it was, if the call has been answered.
    pub answer: Option<(NaiveDate, Outcome)>,
    /// Index of the `invoke` event in `Dataset::events`.
    pub invoke_event: usize,
}

/// Every call of a dataset, in the order they were made, and the half-life of `reliability`.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    calls: Vec<Call>,
    /// (answer day, position in `calls`), ascending by day, then by the answer's place in the
    /// event order.
    answers: Vec<(Day, usize)>,
    half_life_days: f64,
}

impl Default for CallRecord {
    fn default() -> Self {
        CallRecord {
            calls: Vec::new(),
            answers: Vec::new(),
            half_life_days: DEFAULT_HALF_LIFE_DAYS,
        }
    }
}

impl CallRecord {
    /// The record of `ds`'s events as `pairings` pairs them (see [`crate::dataset::calls::pair`]).
    pub fn new(ds: &Dataset, pairings: &Pairings) -> CallRecord {
        let mut calls = Vec::with_capacity(pairings.calls.len());
        let mut answers = Vec::new();
        for p in &pairings.calls {
            let Some(ev) = ds.events.get(p.invoke) else {
                continue;
            };
            let EventKind::Invoke {
                state,
                alliance,
                article,
            } = ev.kind
            else {
                continue;
            };
            let answer = p
                .respond
                .and_then(|r| ds.events.get(r))
                .and_then(|r| Some((r.date, outcome(r)?)));
            if let Some((date, _)) = answer {
                answers.push((to_day(date), p.respond.unwrap_or(0), calls.len()));
            }
            calls.push(Call {
                state,
                alliance,
                article,
                invoked: ev.date,
                answer,
                invoke_event: p.invoke,
            });
        }
        // By day, then file order (the order the timeline applies events of one day).
        answers.sort_unstable_by_key(|&(day, event, _)| (day, event));
        CallRecord {
            calls,
            answers: answers.into_iter().map(|(d, _, c)| (d, c)).collect(),
            half_life_days: DEFAULT_HALF_LIFE_DAYS,
        }
    }

    /// The same record with another half-life (days, positive and finite).
    pub fn with_half_life(mut self, days: f64) -> CallRecord {
        self.half_life_days = days;
        self
    }

    /// The half-life of `reliability`, in days.
    pub fn half_life_days(&self) -> f64 {
        self.half_life_days
    }

    /// Whether the dataset has no call at all.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The calls made on or before `date`, in the order they were made, each with its answer
    /// only if given on or before `date`.
    pub fn as_of(&self, date: NaiveDate) -> impl Iterator<Item = Call> + '_ {
        self.calls
            .iter()
            .filter(move |c| c.invoked <= date)
            .map(move |c| Call {
                answer: c.answer.filter(|(d, _)| *d <= date),
                ..*c
            })
    }

    /// How many answers were given on or before `date` (two dates with the same count see the
    /// same answers).
    pub fn answered_by(&self, date: NaiveDate) -> usize {
        let t = to_day(date);
        self.answers.partition_point(|&(d, _)| d <= t)
    }

    /// The answers `alliance` gave on or before `date`, as (age in days at `date`, score h_e),
    /// in the order given.
    pub fn answers(&self, alliance: usize, date: NaiveDate) -> Vec<(f64, f64)> {
        let t = to_day(date);
        let end = self.answered_by(date);
        self.answers[..end]
            .iter()
            .filter_map(|&(day, c)| {
                let call = self.calls.get(c)?;
                let (_, o) = call.answer?;
                (call.alliance == alliance).then(|| (f64::from(t - day), o.score()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::dataset::load_str;
    use crate::date::parse_date;

    #[test]
    fn answers_are_seen_from_their_date_and_calls_from_theirs() {
        let ds = load_str(
            r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"}],
               "alliances":[{"id":"X","name":"X"}],
               "events":[{"date":"2000-01-01","kind":"invoke","state":"A","alliance":"X","article":4},
                         {"date":"2000-03-01","kind":"respond","state":"A","alliance":"X","outcome":"partial"},
                         {"date":"2000-02-01","kind":"invoke","state":"B","alliance":"X"}]}"#,
            "t",
        )
        .unwrap();
        let r = CallRecord::new(&ds, &crate::dataset::calls::pair(&ds.events));
        let d = |s| parse_date(s).unwrap();
        assert_eq!(r.as_of(d("1999-12-31")).count(), 0);
        let feb: Vec<Call> = r.as_of(d("2000-02-15")).collect();
        assert_eq!(feb.len(), 2);
        assert_eq!((feb[0].article, feb[0].answer), (Some(4), None));
        let mar: Vec<Call> = r.as_of(d("2000-03-01")).collect();
        assert_eq!(mar[0].answer, Some((d("2000-03-01"), Outcome::Partial)));
        assert_eq!(mar[1].answer, None);
        assert_eq!(r.answered_by(d("2000-02-29")), 0);
        assert_eq!(r.answered_by(d("2000-03-01")), 1);
        assert_eq!(r.answers(0, d("2000-03-11")), vec![(10.0, 0.5)]);
        assert_eq!(r.half_life_days(), 3652.5);
    }
}
