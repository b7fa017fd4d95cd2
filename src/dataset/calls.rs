//! Calls for help and their answers: which `respond` event answers which `invoke` event. The
//! one pairing rule, shared by the loader (a `respond` with nothing to answer is an error) and
//! the model (the call record behind `reliability`).
//!
//! Events are taken in date order, same date in file order (as the timeline takes them). A
//! `respond` of state S in alliance A answers the latest invocation of S in A that is still
//! open at that point; an invocation no `respond` answers stays open.

use super::{Event, EventKind, Outcome};

/// One invocation and its answer: indices into the event list given to [`pair`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    /// The `invoke` event.
    pub invoke: usize,
    /// The `respond` event that answers it, if any.
    pub respond: Option<usize>,
}

/// The pairing of a list of events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairings {
    /// Every invocation, in the order the events are taken (date, then file order).
    pub calls: Vec<Pairing>,
    /// The `respond` events with no open invocation to answer, in the same order.
    pub unanswerable: Vec<usize>,
}

/// Pairs the `invoke` and `respond` events of `events` (any order: they are taken by date,
/// then position). O(e log e) for the sort, then O(e + open calls) in all.
///
/// ```
/// use entente::dataset::{calls::pair, Event, EventKind, Outcome};
/// use entente::date::parse_date;
/// let d = |s| parse_date(s).unwrap();
/// let events = [
///     Event::new(d("2022-09-13"), EventKind::Respond { state: 0, alliance: 0, outcome: Outcome::Declined }),
///     Event::new(d("2022-09-13"), EventKind::Invoke { state: 0, alliance: 0, article: Some(4) }),
///     Event::new(d("2021-05-14"), EventKind::Invoke { state: 0, alliance: 0, article: Some(2) }),
/// ];
/// let p = pair(&events);
/// // Same day, file order: the respond comes before the 2022 call; the 2021 call is open then.
/// assert_eq!(p.calls[0].invoke, 2);
/// assert_eq!(p.calls[0].respond, Some(0));
/// assert_eq!(p.calls[1].respond, None);
/// assert!(p.unanswerable.is_empty());
/// ```
pub fn pair(events: &[Event]) -> Pairings {
    let mut order: Vec<usize> = (0..events.len())
        .filter(|&i| {
            matches!(
                events[i].kind,
                EventKind::Invoke { .. } | EventKind::Respond { .. }
            )
        })
        .collect();
    order.sort_by_key(|&i| events[i].date); // stable: same date keeps file order
    let mut out = Pairings::default();
    // Open calls as (state, alliance, position in `out.calls`), oldest first.
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    for i in order {
        match events[i].kind {
            EventKind::Invoke {
                state, alliance, ..
            } => {
                open.push((state, alliance, out.calls.len()));
                out.calls.push(Pairing {
                    invoke: i,
                    respond: None,
                });
            }
            EventKind::Respond {
                state, alliance, ..
            } => match open
                .iter()
                .rposition(|&(s, a, _)| s == state && a == alliance)
            {
                Some(k) => {
                    let (_, _, c) = open.remove(k);
                    out.calls[c].respond = Some(i);
                }
                None => out.unanswerable.push(i),
            },
            _ => {}
        }
    }
    out
}

/// The outcome of a `respond` event (`None` for any other kind).
pub fn outcome(event: &Event) -> Option<Outcome> {
    match event.kind {
        EventKind::Respond { outcome, .. } => Some(outcome),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::date::parse_date;

    fn ev(date: &str, kind: EventKind) -> Event {
        Event::new(parse_date(date).unwrap(), kind)
    }

    fn invoke(state: usize, alliance: usize) -> EventKind {
        EventKind::Invoke {
            state,
            alliance,
            article: None,
        }
    }

    fn respond(state: usize, alliance: usize) -> EventKind {
        EventKind::Respond {
            state,
            alliance,
            outcome: Outcome::Partial,
        }
    }

    #[test]
    fn a_respond_answers_the_latest_open_call_of_its_state_in_its_alliance() {
        let events = [
            ev("2000-01-01", invoke(0, 0)),
            ev("2001-01-01", invoke(0, 0)),
            ev("2001-06-01", invoke(1, 0)),
            ev("2001-07-01", invoke(0, 1)),
            ev("2002-01-01", respond(0, 0)),
            ev("2003-01-01", respond(0, 0)),
            ev("2004-01-01", respond(0, 0)),
            ev("2004-01-01", respond(1, 1)),
        ];
        let p = pair(&events);
        let answers: Vec<(usize, Option<usize>)> =
            p.calls.iter().map(|c| (c.invoke, c.respond)).collect();
        assert_eq!(
            answers,
            [(0, Some(5)), (1, Some(4)), (2, None), (3, None)],
            "the 2001 call is answered first, then the 2000 one"
        );
        assert_eq!(p.unanswerable, [6, 7]);
    }

    #[test]
    fn a_respond_dated_before_its_call_answers_nothing() {
        let events = [
            ev("2001-01-01", invoke(0, 0)),
            ev("2000-01-01", respond(0, 0)),
        ];
        let p = pair(&events);
        assert_eq!(p.calls[0].respond, None);
        assert_eq!(p.unanswerable, [1]);
    }
}
