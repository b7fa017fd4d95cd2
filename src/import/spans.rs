//! Membership spans of the importers: a span is its first day and the first day after it
//! (`None`: still running); spans that overlap or meet are one.

use chrono::NaiveDate;

/// A membership or spell: first day, first day after it (`None`: still running).
pub type Span = (NaiveDate, Option<NaiveDate>);

/// The spans merged: sorted, and any that overlap or meet (one ends the day the next begins)
/// made one, so consecutive rows leave no gap. A running span absorbs every later one.
pub fn merge_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut merged: Vec<Span> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if last.1.map_or(true, |le| s <= le) => {
                last.1 = match (last.1, e) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => merged.push((s, e)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::date::parse_date(s).unwrap()
    }

    #[test]
    fn overlapping_and_meeting_spans_merge() {
        let spans = vec![
            (d("2001-01-01"), Some(d("2002-01-01"))),
            (d("2000-01-01"), Some(d("2001-01-01"))), // meets the next
            (d("2005-01-01"), Some(d("2006-01-01"))),
            (d("2005-06-01"), Some(d("2005-07-01"))), // inside
        ];
        assert_eq!(
            merge_spans(spans),
            vec![
                (d("2000-01-01"), Some(d("2002-01-01"))),
                (d("2005-01-01"), Some(d("2006-01-01"))),
            ]
        );
    }

    #[test]
    fn a_running_span_absorbs_later_ones() {
        let spans = vec![
            (d("2000-01-01"), None),
            (d("2003-01-01"), Some(d("2004-01-01"))),
        ];
        assert_eq!(merge_spans(spans), vec![(d("2000-01-01"), None)]);
        let gap = vec![
            (d("2000-01-01"), Some(d("2000-06-01"))),
            (d("2000-06-02"), None),
        ];
        assert_eq!(merge_spans(gap.clone()), gap);
    }
}
