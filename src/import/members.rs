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
//!
//! With [`Codes`] (`--codes-scheme S [--ids-scheme T]`), the `state` column is read as country
//! codes in scheme S through the built-in crosswalk ([`super::crosswalk`]), on the row's `from`
//! date, and each state gets the id of its country in scheme T (default `cow`: COW
//! abbreviations, with the COW number as `codes.cow`) and the crosswalk's name. Rows whose code
//! is unknown, ambiguous, or has no id in T are dropped and listed by line ([`Dropped`]).

use super::crosswalk::{Crosswalk, Entity, Lookup, Scheme};
use super::spans::{merge_spans, Span};
use super::text::{show, split_csv, Lines};
use crate::dataset::load::id_problem;
use crate::dataset::{Alliance, AllianceKind, Code, Dataset, Event, EventKind, State};
use crate::date::parse_date;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// Reads a membership table into a dataset called `name`.
pub fn import(input: impl BufRead, file: &str, name: &str) -> Result<Dataset> {
    import_with(input, file, name, None).map(|(ds, _)| ds)
}

/// How the `state` column is read: codes in `input`, ids made in `ids`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codes {
    /// The scheme of the table's state codes.
    pub input: Scheme,
    /// The scheme of the dataset's state ids (`cow`, `iso3`, `iso2`; `cameo` means `iso3`).
    pub ids: Scheme,
}

/// How many dropped rows are listed by line before they are only counted.
pub const LIST_DROPPED: usize = 20;

/// The rows dropped because their state code did not give a dataset id: the first
/// [`LIST_DROPPED`] with their line, code and reason, and how many in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dropped {
    /// (line, code, reason) of the first rows dropped.
    pub rows: Vec<(usize, String, String)>,
    /// Every row dropped.
    pub count: u64,
}

/// Reads a membership table into a dataset called `name`, the state column read through the
/// crosswalk when `codes` is given; returns the rows dropped for their codes.
pub fn import_with(
    input: impl BufRead,
    file: &str,
    name: &str,
    codes: Option<Codes>,
) -> Result<(Dataset, Dropped)> {
    if codes.is_some_and(|c| c.ids == Scheme::Name) {
        return Err(Error::Usage(
            "--ids-scheme name: names are not ids (they hold spaces); use cow, iso3 or iso2".into(),
        ));
    }
    let mut lines = Lines::new(input, file);
    let header = read_header(&mut lines, file)?;
    let mut table = Table::default();
    let mut dropped = Dropped::default();
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        table.row(&line, lines.line_no, file, &header, codes, &mut dropped)?;
    }
    Ok((table.into_dataset(name, file), dropped))
}

/// The state of a code read in `codes.input` on `date`: its id, name and COW number, or why
/// it has none.
fn state_of(code: &str, codes: Codes, date: NaiveDate) -> std::result::Result<State, String> {
    let cw = Crosswalk::builtin();
    let entity = match cw.lookup(codes.input, code, Some(date)) {
        Lookup::Found(e) => e,
        Lookup::Unknown => {
            return Err(format!(
                "unknown {} code (not in the crosswalk)",
                codes.input.as_str()
            ))
        }
        Lookup::NotAtDate => return Err(format!("denotes no country on {date}")),
        Lookup::Ambiguous(v) => {
            let all: Vec<String> = v.iter().map(ToString::to_string).collect();
            return Err(format!("ambiguous: {}", all.join(" or ")));
        }
    };
    let (id, name) = cw
        .id_of(&entity, codes.ids, Some(date))
        .ok_or_else(|| format!("{entity} has no {} code", codes.ids.as_str()))?;
    let mut state_codes = BTreeMap::new();
    if let Entity::Cow(c) = entity {
        state_codes.insert("cow".to_string(), Code::Int(i64::from(c)));
    }
    Ok(State {
        id,
        name,
        codes: state_codes,
    })
}

/// The header: how many columns, and where the optional `tie` and `kind` columns are.
struct Header {
    width: usize,
    tie_col: Option<usize>,
    kind_col: Option<usize>,
}

fn read_header(lines: &mut Lines<impl BufRead>, file: &str) -> Result<Header> {
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
    Ok(Header {
        width: h.len(),
        tie_col: h.iter().position(|x| x == "tie"),
        kind_col: h.iter().position(|x| x == "kind"),
    })
}

/// The table as read so far: states and alliances in order of first appearance, the `tie` and
/// `kind` given for each alliance with the line that gave them, and the membership spans.
#[derive(Default)]
struct Table {
    states: Vec<State>,
    state_ix: HashMap<String, usize>,
    alliances: Vec<Alliance>,
    alliance_ix: HashMap<String, usize>,
    ties: HashMap<usize, (f64, usize)>,
    kinds: HashMap<usize, (AllianceKind, usize)>,
    spans: BTreeMap<(usize, usize), Vec<Span>>,
}

/// An error on line `n`, at a 1-based column (0: the whole line).
fn at(file: &str, n: usize, col: usize, m: String) -> Error {
    let place = if col == 0 {
        format!("line {n}")
    } else {
        format!("line {n}, column {col}")
    };
    Error::invalid(file, place, m)
}

impl Table {
    /// Reads row `n` (a row whose code gives no state is counted in `dropped`).
    fn row(
        &mut self,
        line: &str,
        n: usize,
        file: &str,
        h: &Header,
        codes: Option<Codes>,
        dropped: &mut Dropped,
    ) -> Result<()> {
        let err = |col: usize, m: String| at(file, n, col, m);
        let f = split_csv(line).ok_or_else(|| err(0, "unclosed quote".into()))?;
        if f.len() != h.width {
            let msg = format!(
                "expected {} fields, found {}: {:?}",
                h.width,
                f.len(),
                show(line)
            );
            return Err(err(0, msg));
        }
        let (al, st) = (f[0].trim(), f[1].trim());
        if al.is_empty() {
            return Err(err(1, "empty alliance".into()));
        }
        if st.is_empty() {
            return Err(err(2, "empty state".into()));
        }
        // The dataset's rule for ids, here where the line is known (the state column holds ids
        // only without `codes`; the crosswalk's ids keep the rule).
        if let Some(problem) = id_problem(al) {
            return Err(err(1, problem));
        }
        if codes.is_none() {
            if let Some(problem) = id_problem(st) {
                return Err(err(2, problem));
            }
        }
        let from = parse_date(f[2].trim()).map_err(|e| err(3, e))?;
        let to = match f[3].trim() {
            "" => None,
            t => Some(parse_date(t).map_err(|e| err(4, e))?),
        };
        if to.is_some_and(|t| t <= from) {
            let msg = format!("to ({}) is not after from ({})", f[3].trim(), f[2].trim());
            return Err(err(4, msg));
        }
        let si = match codes {
            None => self.state(State {
                id: st.to_string(),
                name: st.to_string(),
                codes: BTreeMap::new(),
            }),
            Some(c) => match state_of(st, c, from) {
                Ok(state) => self.state(state),
                Err(why) => {
                    if dropped.rows.len() < LIST_DROPPED {
                        dropped.rows.push((n, st.to_string(), why));
                    }
                    dropped.count += 1;
                    return Ok(());
                }
            },
        };
        let ai = self.alliance(al);
        if let Some(c) = h.tie_col {
            self.tie(ai, al, f[c].trim(), n)
                .map_err(|m| err(c + 1, m))?;
        }
        if let Some(c) = h.kind_col {
            self.kind(ai, al, f[c].trim(), n)
                .map_err(|m| err(c + 1, m))?;
        }
        self.spans.entry((ai, si)).or_default().push((from, to));
        Ok(())
    }

    /// The index of the state with `state`'s id, created from `state` at its first appearance.
    fn state(&mut self, state: State) -> usize {
        let states = &mut self.states;
        *self.state_ix.entry(state.id.clone()).or_insert_with(|| {
            states.push(state);
            states.len() - 1
        })
    }

    fn alliance(&mut self, al: &str) -> usize {
        let alliances = &mut self.alliances;
        *self.alliance_ix.entry(al.to_string()).or_insert_with(|| {
            alliances.push(Alliance {
                id: al.to_string(),
                name: al.to_string(),
                kind: AllianceKind::Other,
                tie: 1.0,
            });
            alliances.len() - 1
        })
    }

    /// The `tie` field of row `n` (blank: not given) for alliance `ai`, named `al`.
    fn tie(&mut self, ai: usize, al: &str, t: &str, n: usize) -> std::result::Result<(), String> {
        if t.is_empty() {
            return Ok(());
        }
        let x: f64 = t
            .parse()
            .ok()
            .filter(|x: &f64| (0.0..=1.0).contains(x))
            .ok_or_else(|| format!("invalid tie {t:?}: expected a number in [0, 1]"))?;
        match self.ties.get(&ai) {
            Some(&(y, l)) if y != x => Err(format!(
                "tie {x} of {al} differs from {y} given on line {l}"
            )),
            _ => {
                self.ties.insert(ai, (x, n));
                Ok(())
            }
        }
    }

    /// The `kind` field of row `n` (blank: not given) for alliance `ai`, named `al`.
    fn kind(&mut self, ai: usize, al: &str, k: &str, n: usize) -> std::result::Result<(), String> {
        if k.is_empty() {
            return Ok(());
        }
        let kind = AllianceKind::parse(k).ok_or_else(|| {
            let all: Vec<&str> = AllianceKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown kind {k:?} (expected one of: {})", all.join(", "))
        })?;
        match self.kinds.get(&ai) {
            Some(&(y, l)) if y != kind => Err(format!(
                "kind {k} of {al} differs from {} given on line {l}",
                y.as_str()
            )),
            _ => {
                self.kinds.insert(ai, (kind, n));
                Ok(())
            }
        }
    }

    /// The dataset: alliances with their given tie and kind, and a `join` (and `leave`) per
    /// merged membership, leaves before joins on one date.
    fn into_dataset(mut self, name: &str, file: &str) -> Dataset {
        for (&ai, &(t, _)) in &self.ties {
            self.alliances[ai].tie = t;
        }
        for (&ai, &(k, _)) in &self.kinds {
            self.alliances[ai].kind = k;
        }
        // (date, leave before join, creation order) → event.
        let mut events: Vec<(NaiveDate, u8, EventKind)> = Vec::new();
        for ((alliance, state), v) in self.spans {
            for (s, e) in merge_spans(v) {
                events.push((s, 1, EventKind::Join { state, alliance }));
                if let Some(e) = e {
                    events.push((e, 0, EventKind::Leave { state, alliance }));
                }
            }
        }
        events.sort_by_key(|(d, p, _)| (*d, *p));
        Dataset {
            name: name.to_string(),
            description: Some(format!(
                "Imported by entente from the membership table {}.",
                super::text::base_name(file)
            )),
            states: self.states,
            alliances: self.alliances,
            events: events
                .into_iter()
                .map(|(date, _, kind)| Event::new(date, kind))
                .collect(),
            ..Dataset::default()
        }
    }
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
    fn codes_read_through_the_crosswalk_by_scheme() {
        // AUS is Austria in COW and Australia in ISO alpha-3: the declared scheme decides.
        let t = "alliance,state,from,to\n\
                 P,AUS,2000-01-01,\n\
                 P,NZL,2000-01-01,\n\
                 P,XXX,2000-01-01,\n\
                 P,Australia,2000-01-01,\n";
        let iso = Codes {
            input: Scheme::Iso3,
            ids: Scheme::Cow,
        };
        let (ds, dropped) = import_with(t.as_bytes(), "m.csv", "m", Some(iso)).unwrap();
        let ids: Vec<&str> = ds.states.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["AUL", "NEW"]);
        assert_eq!(ds.states[0].codes.get("cow"), Some(&Code::Int(900)));
        assert_eq!(dropped.count, 2);
        assert_eq!(dropped.rows[0].0, 4);
        assert_eq!(dropped.rows[0].1, "XXX");
        assert_eq!(dropped.rows[1].0, 5, "a name is not an alpha-3 code");
        let cow = Codes {
            input: Scheme::Cow,
            ids: Scheme::Iso3,
        };
        let (ds, _) = import_with(t.as_bytes(), "m.csv", "m", Some(cow)).unwrap();
        assert_eq!(ds.states[0].id, "AUT", "COW AUS is Austria");
        ds.check().unwrap();
        let name = Codes {
            input: Scheme::Name,
            ids: Scheme::Name,
        };
        assert!(import_with(t.as_bytes(), "m.csv", "m", Some(name)).is_err());
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
            // Ids the dataset would refuse are refused here, at their line and column.
            (
                "alliance,state,from,to\nA,X,2000-01-01,\nP\u{0}act,Y,2000-01-01,\n",
                "line 3, column 1: id \"P\\0act\" has an invisible character U+0000",
            ),
            (
                "alliance,state,from,to\nA,\"X\u{200b}\",2000-01-01,\n",
                "line 2, column 2: id \"X\\u{200b}\" has an invisible character U+200B",
            ),
        ] {
            let e = import(t.as_bytes(), "m.csv", "m").unwrap_err().to_string();
            assert!(e.contains(want), "{e} does not contain {want}");
        }
    }

    #[test]
    fn long_ids_are_refused_at_their_line() {
        let long = "A".repeat(crate::dataset::load::MAX_ID_CHARS + 1);
        let t = format!("alliance,state,from,to\n{long},X,2000-01-01,\n");
        let e = import(t.as_bytes(), "m.csv", "m").unwrap_err().to_string();
        assert!(
            e.contains("line 2, column 1: id") && e.contains("201 characters"),
            "{e}"
        );
        // At the limit the id is kept and the dataset validates.
        let ok = "A".repeat(crate::dataset::load::MAX_ID_CHARS);
        let t = format!("alliance,state,from,to\n{ok},X,2000-01-01,\n");
        import(t.as_bytes(), "m.csv", "m").unwrap().check().unwrap();
    }
}
