//! `import members`: an analyst's own membership table becomes a dataset.
//!
//! The table is a CSV with the header `alliance,state,from,to[,tie][,kind]`. Each row says that
//! `state` is a member of `alliance` from `from` (its first day as a member) until `to` (the
//! first day it is no longer a member; empty = still a member). States and alliances are created
//! in order of first appearance, their id and name both the text in the table; states have no
//! `enter`/`exit` events (present throughout). An alliance's `tie` (default 1) and `kind`
//! (default `other`) may be given on any of its rows; where given more than once they must
//! agree. Rows of the same state and alliance that overlap or meet are one membership. Being the
//! analyst's own table, it is read strictly: any malformed row is an error naming its line.

use super::text::{show, split_csv, Lines};
use crate::dataset::{Alliance, AllianceKind, Dataset, Event, EventKind, State};
use crate::date::parse_date;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// A membership: first day, first day no longer a member (`None`: still a member).
type Span = (NaiveDate, Option<NaiveDate>);

/// Reads a membership table into a dataset called `name`.
pub fn import(input: impl BufRead, file: &str, name: &str) -> Result<Dataset> {
    let mut lines = Lines::new(input, file);
    let header = lines.next_line()?.ok_or_else(|| {
        Error::invalid(
            file,
            "",
            "empty file: expected the header alliance,state,from,to[,tie][,kind]",
        )
    })?;
    let h: Vec<String> = split_csv(&header)
        .unwrap_or_default()
        .iter()
        .map(|x| x.trim().to_string())
        .collect();
    let width = h.len();
    let ok_header = h.len() >= 4
        && h[..4] == ["alliance", "state", "from", "to"]
        && h.get(4).map_or(true, |x| x == "tie" || x == "kind")
        && h.get(5).map_or(true, |x| x == "kind" && h[4] == "tie")
        && h.len() <= 6;
    if !ok_header {
        return Err(Error::invalid(
            file,
            "line 1",
            format!(
                "expected the header alliance,state,from,to[,tie][,kind], found {:?}",
                show(&header)
            ),
        ));
    }
    let tie_col = h.iter().position(|x| x == "tie");
    let kind_col = h.iter().position(|x| x == "kind");

    let mut states: Vec<State> = Vec::new();
    let mut state_ix: HashMap<String, usize> = HashMap::new();
    let mut alliances: Vec<Alliance> = Vec::new();
    let mut alliance_ix: HashMap<String, usize> = HashMap::new();
    // Given tie/kind per alliance with the line that set them.
    let mut ties: HashMap<usize, (f64, usize)> = HashMap::new();
    let mut kinds: HashMap<usize, (AllianceKind, usize)> = HashMap::new();
    let mut spans: BTreeMap<(usize, usize), Vec<Span>> = BTreeMap::new();
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        let n = lines.line_no;
        let err = |col: usize, m: String| {
            Error::invalid(
                file,
                if col == 0 {
                    format!("line {n}")
                } else {
                    format!("line {n}, column {col}")
                },
                m,
            )
        };
        let f = split_csv(&line).ok_or_else(|| err(0, "unclosed quote".into()))?;
        if f.len() != width {
            return Err(err(
                0,
                format!(
                    "expected {width} fields, found {}: {:?}",
                    f.len(),
                    show(&line)
                ),
            ));
        }
        let (al, st) = (f[0].trim(), f[1].trim());
        if al.is_empty() {
            return Err(err(1, "empty alliance".into()));
        }
        if st.is_empty() {
            return Err(err(2, "empty state".into()));
        }
        let from = parse_date(f[2].trim()).map_err(|e| err(3, e))?;
        let to = match f[3].trim() {
            "" => None,
            t => Some(parse_date(t).map_err(|e| err(4, e))?),
        };
        if to.is_some_and(|t| t <= from) {
            return Err(err(
                4,
                format!("to ({}) is not after from ({})", f[3].trim(), f[2].trim()),
            ));
        }
        let si = *state_ix.entry(st.to_string()).or_insert_with(|| {
            states.push(State {
                id: st.to_string(),
                name: st.to_string(),
                codes: BTreeMap::new(),
            });
            states.len() - 1
        });
        let ai = *alliance_ix.entry(al.to_string()).or_insert_with(|| {
            alliances.push(Alliance {
                id: al.to_string(),
                name: al.to_string(),
                kind: AllianceKind::Other,
                tie: 1.0,
            });
            alliances.len() - 1
        });
        if let Some(c) = tie_col {
            let t = f[c].trim();
            if !t.is_empty() {
                let x: f64 = t
                    .parse()
                    .ok()
                    .filter(|x: &f64| (0.0..=1.0).contains(x))
                    .ok_or_else(|| {
                        err(
                            c + 1,
                            format!("invalid tie {t:?}: expected a number in [0, 1]"),
                        )
                    })?;
                match ties.get(&ai) {
                    Some(&(y, l)) if y != x => {
                        return Err(err(
                            c + 1,
                            format!("tie {x} of {al} differs from {y} given on line {l}"),
                        ))
                    }
                    _ => {
                        ties.insert(ai, (x, n));
                    }
                }
            }
        }
        if let Some(c) = kind_col {
            let k = f[c].trim();
            if !k.is_empty() {
                let kind = AllianceKind::parse(k).ok_or_else(|| {
                    let all: Vec<&str> = AllianceKind::ALL.iter().map(|k| k.as_str()).collect();
                    err(
                        c + 1,
                        format!("unknown kind {k:?} (expected one of: {})", all.join(", ")),
                    )
                })?;
                match kinds.get(&ai) {
                    Some(&(y, l)) if y != kind => {
                        return Err(err(
                            c + 1,
                            format!(
                                "kind {k} of {al} differs from {} given on line {l}",
                                y.as_str()
                            ),
                        ))
                    }
                    _ => {
                        kinds.insert(ai, (kind, n));
                    }
                }
            }
        }
        spans.entry((ai, si)).or_default().push((from, to));
    }
    for (ai, (t, _)) in ties {
        alliances[ai].tie = t;
    }
    for (ai, (k, _)) in kinds {
        alliances[ai].kind = k;
    }
    // (date, leave before join, creation order) → event.
    let mut events: Vec<(NaiveDate, u8, EventKind)> = Vec::new();
    for ((alliance, state), mut v) in spans {
        v.sort();
        let mut merged: Vec<Span> = Vec::new();
        for (s, e) in v {
            match merged.last_mut() {
                Some(last) if last.1.map_or(true, |le| s <= le) => {
                    last.1 = match (last.1, e) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    }
                }
                _ => merged.push((s, e)),
            }
        }
        for (s, e) in merged {
            events.push((s, 1, EventKind::Join { state, alliance }));
            if let Some(e) = e {
                events.push((e, 0, EventKind::Leave { state, alliance }));
            }
        }
    }
    events.sort_by_key(|(d, p, _)| (*d, *p));
    let ds = Dataset {
        name: name.to_string(),
        description: Some(format!(
            "Imported by entente from the membership table {}.",
            super::text::base_name(file)
        )),
        sources: Vec::new(),
        states,
        alliances,
        events: events
            .into_iter()
            .map(|(date, _, kind)| Event {
                date,
                kind,
                note: None,
                source: None,
            })
            .collect(),
    };
    Ok(ds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_memberships() {
        let t = "alliance,state,from,to,tie,kind\r\n\
                 A,X,2000-01-01,2001-01-01,0.5,defense\r\n\
                 A,X,2001-01-01,,,\r\n\
                 A,Y,2000-06-01,2000-09-01,,\r\n";
        let ds = import(t.as_bytes(), "m.csv", "m").unwrap();
        assert_eq!(ds.alliances[0].tie, 0.5);
        assert_eq!(ds.alliances[0].kind, AllianceKind::Defense);
        // X: one membership without a gap; Y: join and leave.
        let kinds: Vec<&str> = ds.events.iter().map(|e| e.kind.name()).collect();
        assert_eq!(kinds, ["join", "join", "leave"]);
        ds.check().unwrap();
    }

    #[test]
    fn errors_name_the_line() {
        for (t, want) in [
            ("a,b\n", "m.csv: line 1: expected the header"),
            (
                "alliance,state,from,to\nA,X,2000-13-01,\n",
                "m.csv: line 2, column 3: invalid date",
            ),
            (
                "alliance,state,from,to\nA,X,2000-01-01,1999-01-01\n",
                "line 2, column 4: to (1999-01-01) is not after",
            ),
            (
                "alliance,state,from,to,tie\nA,X,2000-01-01,,0.5\nA,Y,2000-01-01,,0.6\n",
                "line 3, column 5: tie 0.6 of A differs from 0.5 given on line 2",
            ),
            (
                "alliance,state,from,to,kind\nA,X,2000-01-01,,bogus\n",
                "unknown kind \"bogus\"",
            ),
            (
                "alliance,state,from,to\nA,X,2000-01-01\n",
                "line 2: expected 4 fields, found 3",
            ),
        ] {
            let e = import(t.as_bytes(), "m.csv", "m").unwrap_err().to_string();
            assert!(e.contains(want), "{e} does not contain {want}");
        }
    }
}
