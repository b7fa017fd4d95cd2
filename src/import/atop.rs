//! `import atop`: the ATOP member-level file and the Correlates of War state list become a
//! dataset (docs/import.md).
//!
//! - States come from the COW list (id `stateabb`, name `statenme`, codes `{"cow": ccode}`), with
//!   an `enter` at the start of each spell and an `exit` dated the day AFTER the spell's end date
//!   (the end date is the state's last day present); a spell ending on the list's coverage end
//!   (the latest end date in the file, 2016-12-31 in v2016) is right-censored: no `exit`.
//! - One alliance per `atopid` (id `ATOP-<atopid>`). A member row is a membership from its entry
//!   date up to (not including) its exit date (exit year 0: still in force). A member's rows that
//!   meet or overlap are one membership, so consecutive phases leave no gap.
//! - A membership is cut to the member's COW spells: a join before the spell start moves to the
//!   spell start, a membership still running when the state leaves the list ends with a `leave`
//!   on the `exit` date. Both are counted and reported.
//! - Tie weight of a row = the largest weight among its obligations (`--weights`); an alliance's
//!   tie is the largest row weight of its first phase, and a `retie` marks each later phase whose
//!   largest weight differs. The kind is the strongest obligation over all rows.
//! - On one date, events are ordered leave, exit, enter, join, retie, so the timeline never
//!   sees a membership change of an absent state.

use super::spans::{merge_spans, Span};
use super::text::{columns, show, split_csv, Lines};
use super::Progress;
use crate::dataset::load;
use crate::dataset::{Alliance, AllianceKind, Code, Dataset, Event, EventKind, Source, State};
use crate::date::fmt_date;
use crate::error::{Diagnostic, Error, Result};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// The obligations of an ATOP row, in the order that breaks ties between equal weights.
const OBLIGATIONS: [(&str, AllianceKind); 5] = [
    ("defense", AllianceKind::Defense),
    ("offense", AllianceKind::Offense),
    ("neutral", AllianceKind::Neutrality),
    ("nonagg", AllianceKind::Nonaggression),
    ("consul", AllianceKind::Consultation),
];

/// Tie weights of the five ATOP obligations, each in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights(pub [f64; 5]);

impl Default for Weights {
    fn default() -> Self {
        Weights([1.0, 1.0, 0.5, 0.4, 0.3])
    }
}

impl Weights {
    /// Parses `defense=1,offense=1,neutral=0.5,nonagg=0.4,consul=0.3`; obligations not named
    /// keep their default weight.
    ///
    /// ```
    /// let w = entente::import::atop::Weights::parse("consul=0,defense=0.8").unwrap();
    /// assert_eq!(w.0, [0.8, 1.0, 0.5, 0.4, 0.0]);
    /// ```
    pub fn parse(s: &str) -> std::result::Result<Weights, String> {
        let mut w = Weights::default();
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: expected NAME=WEIGHT"))?;
            let i = OBLIGATIONS
                .iter()
                .position(|(name, _)| *name == k.trim())
                .ok_or_else(|| {
                    format!(
                        "unknown obligation {:?} (expected defense, offense, neutral, nonagg, consul)",
                        k.trim()
                    )
                })?;
            let x: f64 = v
                .trim()
                .parse()
                .map_err(|_| format!("{part:?}: the weight must be a number"))?;
            if !(0.0..=1.0).contains(&x) {
                return Err(format!("{part:?}: the weight must be in [0, 1]"));
            }
            w.0[i] = x;
        }
        Ok(w)
    }
}

/// A state of the COW list with its spells (first day, last day).
#[derive(Debug, Clone, PartialEq)]
pub struct CowState {
    /// The COW abbreviation (the state's id in the dataset).
    pub abb: String,
    /// The COW numeric code.
    pub ccode: i64,
    /// The state's name.
    pub name: String,
    /// The spells during which the state is in the system (start, end).
    pub spells: Vec<(NaiveDate, NaiveDate)>,
}

/// The COW state list: states in order of first appearance, and the coverage end (the latest
/// spell end date, at which spells are right-censored).
#[derive(Debug, Clone, PartialEq)]
pub struct CowList {
    /// The states, in file order.
    pub states: Vec<CowState>,
    /// The last day the list covers.
    pub coverage_end: NaiveDate,
}

fn int_field(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    // A float spelling (`900.0`, `1e3`) counts only while every integer is exact in an f64
    // (|x| ≤ 2^53): beyond, `as i64` would saturate and merge different codes into one.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    t.parse::<i64>().ok().or_else(|| {
        t.parse::<f64>()
            .ok()
            .filter(|x| x.fract() == 0.0 && x.abs() <= EXACT)
            .map(|x| x as i64)
    })
}

/// A date of the COW state list from its year, month and day fields (all required).
fn cow_date(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    ymd(int_field(y)?, int_field(m)?, int_field(d)?)
}

/// The calendar day of these numbers, if it is one and can be written in the dataset format.
fn ymd(y: i64, m: i64, d: i64) -> Option<NaiveDate> {
    i32::try_from(y)
        .ok()
        .zip(u32::try_from(m).ok())
        .zip(u32::try_from(d).ok())
        .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d))
        .filter(representable)
}

/// Reads the COW state list (`stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,
/// endday,…`). Strict: any malformed row is an error naming the line.
pub fn read_cow_states(input: impl BufRead, file: &str) -> Result<CowList> {
    let mut lines = Lines::new(input, file);
    let header = lines
        .next_line()?
        .ok_or_else(|| Error::invalid(file, "", "empty file: expected the COW state list"))?;
    let header = split_csv(&header).unwrap_or_default();
    const COLS: [&str; 9] = [
        "stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth",
        "endday",
    ];
    let col = columns(&header, &COLS)
        .map_err(|c| Error::invalid(file, "line 1", format!("missing column {c:?}")))?;
    let mut states: Vec<CowState> = Vec::new();
    let mut by_code: HashMap<i64, usize> = HashMap::new();
    let mut coverage_end: Option<NaiveDate> = None;
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        let n = lines.line_no;
        let err = |m: String| Error::invalid(file, format!("line {n}"), m);
        let f = split_csv(&line).ok_or_else(|| err("unclosed quote".into()))?;
        let get = |k: usize| f.get(col[k]).map(String::as_str).unwrap_or("");
        let ccode =
            int_field(get(1)).ok_or_else(|| err(format!("invalid ccode {:?}", show(get(1)))))?;
        let date = |y: usize| -> Result<NaiveDate> {
            cow_date(get(y), get(y + 1), get(y + 2)).ok_or_else(|| {
                err(format!(
                    "invalid date {}-{}-{}",
                    get(y),
                    get(y + 1),
                    get(y + 2)
                ))
            })
        };
        let start = date(3)?;
        let end = date(6)?;
        if end < start {
            return Err(err(format!(
                "spell ends ({}) before it starts ({})",
                fmt_date(end),
                fmt_date(start)
            )));
        }
        // The dataset's rules for ids and text, here where the line is known: the id is the
        // abbreviation, or `ABB-ccode` where two codes share one (see `cow_states`).
        let abb = get(0).trim();
        let id_problem = if abb.is_empty() {
            None
        } else {
            load::id_problem(abb)
        };
        if let Some(problem) = id_problem.or_else(|| load::id_problem(&format!("{abb}-{ccode}"))) {
            return Err(err(format!("stateabb: {problem}")));
        }
        if let Some(problem) = load::text_problem(get(2).trim()) {
            return Err(err(format!("statenme: {problem}")));
        }
        coverage_end = Some(coverage_end.map_or(end, |c| c.max(end)));
        let i = *by_code.entry(ccode).or_insert_with(|| {
            states.push(CowState {
                abb: get(0).trim().to_string(),
                ccode,
                name: get(2).trim().to_string(),
                spells: Vec::new(),
            });
            states.len() - 1
        });
        states[i].spells.push((start, end));
    }
    let coverage_end =
        coverage_end.ok_or_else(|| Error::invalid(file, "", "no states in the COW state list"))?;
    for s in &mut states {
        s.spells.sort();
    }
    Ok(CowList {
        states,
        coverage_end,
    })
}

/// Options of the ATOP import.
#[derive(Debug, Clone, Default)]
pub struct AtopOptions {
    /// The base tie per ATOP obligation type.
    pub weights: Weights,
    /// Alliance names by atopid (others are named `ATOP <atopid>`).
    pub names: HashMap<i64, String>,
}

/// What the import did, for the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AtopSummary {
    /// Rows read from the member-level file.
    pub rows: usize,
    /// Rows that could not be used.
    pub bad_rows: usize,
    /// Alliances imported.
    pub alliances: usize,
    /// States imported.
    pub states: usize,
    /// Events written.
    pub events: usize,
    /// Date fields (day or month) that were blank or zero and taken as 1.
    pub filled_dates: usize,
    /// Memberships whose join moved to the member's COW spell start.
    pub clamped_joins: usize,
    /// Memberships still running when the member left the COW list (a leave on its exit date,
    /// and a join again if it re-enters while the membership lasts).
    pub clamped_leaves: usize,
    /// Memberships entirely outside the member's COW spells (dropped).
    pub outside: usize,
    /// Member codes missing from the COW list, with their row counts.
    pub unknown_members: BTreeMap<i64, usize>,
    /// `retie` events written for a change of obligations between phases.
    pub retie_events: usize,
}

/// The imported dataset, warnings about the input, and the summary.
#[derive(Debug, Clone)]
pub struct AtopImport {
    /// The imported dataset.
    pub dataset: Dataset,
    /// Problems in the input that did not stop the import.
    pub warnings: Vec<Diagnostic>,
    /// What the import did.
    pub summary: AtopSummary,
}

struct Row {
    atopid: i64,
    member: i64,
    start: NaiveDate,
    end: Option<NaiveDate>,
    phase: i64,
    weight: f64,
    strongest: Option<usize>,
}

/// Parses a date from year, month and day fields. Blank or zero month takes January (and the
/// first day), blank or zero day the first; `filled` counts the fields so filled.
fn atop_date(
    y: &str,
    m: &str,
    d: &str,
    filled: &mut usize,
) -> std::result::Result<NaiveDate, String> {
    let bad = || format!("invalid date {y:?}-{m:?}-{d:?}");
    let yy = int_field(y).filter(|&v| v > 0).ok_or_else(bad)?;
    let mut mm = int_field(m).unwrap_or(0);
    let mut dd = int_field(d).unwrap_or(0);
    if mm == 0 {
        *filled += 1;
        mm = 1;
        if dd != 0 {
            dd = 1;
        }
    }
    if dd == 0 {
        *filled += 1;
        dd = 1;
    }
    ymd(yy, mm, dd).ok_or_else(bad)
}

/// Whether a date can be written in the dataset format (`YYYY-MM-DD`, years 0000–9999): a
/// year such as 18100 is refused here, naming its line, rather than by the dataset check.
fn representable(d: &NaiveDate) -> bool {
    (0..=9999).contains(&chrono::Datelike::year(d))
}

/// The weight of a row and its strongest obligation (index into [`OBLIGATIONS`]).
fn strongest(flags: &[bool; 5], w: &Weights) -> (f64, Option<usize>) {
    let mut best: (f64, Option<usize>) = (0.0, None);
    for (i, &on) in flags.iter().enumerate() {
        if on && (best.1.is_none() || w.0[i] > best.0) {
            best = (w.0[i], Some(i));
        }
    }
    best
}

/// ATOP's alliance names and abbreviations, embedded (`data/atop-names.csv`): the table
/// `entente import atop` uses when no `--names` file is given.
pub const EMBEDDED_NAMES: &str = include_str!("../../data/atop-names.csv");

/// The name under which [`EMBEDDED_NAMES`] appears in error messages.
pub const EMBEDDED_NAMES_FILE: &str = "<embedded data/atop-names.csv>";

/// Reads an `atopid,name` CSV (a header line `atopid,name` is skipped). An `atopid` named
/// twice with two names, or a name longer than the dataset allows, is an error naming the
/// line(s).
pub fn read_names(input: impl BufRead, file: &str) -> Result<HashMap<i64, String>> {
    let mut lines = Lines::new(input, file);
    // atopid → (name, line that gave it).
    let mut out: HashMap<i64, (String, usize)> = HashMap::new();
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        let n = lines.line_no;
        let f = split_csv(&line)
            .ok_or_else(|| Error::invalid(file, format!("line {n}"), "unclosed quote"))?;
        if n == 1 && f.first().is_some_and(|h| h.trim() == "atopid") {
            continue;
        }
        match (f.first().and_then(|x| int_field(x)), f.get(1)) {
            (Some(id), Some(name)) if f.len() == 2 && !name.trim().is_empty() => {
                let name = name.trim();
                if let Some(problem) = load::text_problem(name) {
                    return Err(Error::invalid(file, format!("line {n}"), problem));
                }
                match out.get(&id) {
                    // The same name twice: harmless, as in a codes file.
                    Some((given, _)) if given == name => {}
                    Some((given, first)) => {
                        return Err(Error::invalid(
                            file,
                            format!("line {n}"),
                            format!(
                                "atopid {id} is named twice: {:?} on line {first}, {:?} here",
                                show(given),
                                show(name)
                            ),
                        ))
                    }
                    None => {
                        out.insert(id, (name.to_string(), n));
                    }
                }
            }
            _ => {
                return Err(Error::invalid(
                    file,
                    format!("line {n}"),
                    format!("expected atopid,name, found {:?}", show(&line)),
                ))
            }
        }
    }
    Ok(out.into_iter().map(|(id, (name, _))| (id, name)).collect())
}

/// Event order on one date: leave, exit, enter, join, retie.
fn priority(k: &EventKind) -> u8 {
    match k {
        EventKind::Leave { .. } => 0,
        EventKind::Exit { .. } => 1,
        EventKind::Enter { .. } => 2,
        EventKind::Join { .. } => 3,
        _ => 4,
    }
}

/// Imports the ATOP member-level file `members` (named `file` in messages) against the COW
/// state list.
pub fn import(
    cow: &CowList,
    members: impl BufRead,
    file: &str,
    opts: &AtopOptions,
    progress: &mut Progress,
) -> Result<AtopImport> {
    let mut summary = AtopSummary::default();
    let mut warnings = Vec::new();
    let states = cow_states(cow);
    let spells = cow_spells(cow);
    let mut events = presence_events(&spells);
    let rows = read_rows(members, file, opts, progress, &mut summary, &mut warnings)?;
    let members = Members {
        state_of: cow
            .states
            .iter()
            .enumerate()
            .map(|(i, s)| (s.ccode, i))
            .collect(),
        spells,
    };
    let alliances = alliances(&rows, opts, &members, &mut events, &mut summary);
    warnings.extend(membership_warnings(file, &summary));
    events.sort_by_key(|(d, k)| (*d, priority(k))); // stable: otherwise creation order
    summary.alliances = alliances.len();
    summary.states = states.len();
    summary.events = events.len();
    Ok(AtopImport {
        dataset: atop_dataset(file, states, alliances, events),
        warnings,
        summary,
    })
}

/// The states of the COW list, with unique ids (the abbreviation; `ABB-ccode` if two codes
/// share one).
fn cow_states(cow: &CowList) -> Vec<State> {
    let mut abb_count: HashMap<&str, usize> = HashMap::new();
    for s in &cow.states {
        *abb_count.entry(s.abb.as_str()).or_default() += 1;
    }
    cow.states
        .iter()
        .map(|s| State {
            id: if abb_count.get(s.abb.as_str()).copied().unwrap_or(0) > 1 || s.abb.is_empty() {
                format!("{}-{}", s.abb, s.ccode)
            } else {
                s.abb.clone()
            },
            name: s.name.clone(),
            codes: BTreeMap::from([("cow".to_string(), Code::Int(s.ccode))]),
        })
        .collect()
}

/// Each state's spells as [first day, day after the last) — `None` end: right-censored.
fn cow_spells(cow: &CowList) -> Vec<Vec<Span>> {
    cow.states
        .iter()
        .map(|s| {
            s.spells
                .iter()
                .map(|&(a, b)| {
                    let end = if b >= cow.coverage_end {
                        None
                    } else {
                        b.succ_opt()
                    };
                    (a, end)
                })
                .collect()
        })
        .collect()
}

/// An `enter` at the start of each spell and an `exit` after each spell that ends.
fn presence_events(spells: &[Vec<Span>]) -> Vec<(NaiveDate, EventKind)> {
    let mut events = Vec::new();
    for (i, sp) in spells.iter().enumerate() {
        for &(a, b) in sp {
            events.push((a, EventKind::Enter { state: i }));
            if let Some(b) = b {
                events.push((b, EventKind::Exit { state: i }));
            }
        }
    }
    events
}

/// The columns of the member-level file that the import reads, in the order [`parse_row`]
/// uses them.
const COLS: [&str; 14] = [
    "atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "phase",
    "defense", "offense", "neutral", "nonagg", "consul",
];

/// Reads the member rows. A malformed row is skipped with a warning naming its line, unless
/// more than half of the rows are malformed (then the file is refused).
fn read_rows(
    members: impl BufRead,
    file: &str,
    opts: &AtopOptions,
    progress: &mut Progress,
    summary: &mut AtopSummary,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Row>> {
    let mut lines = Lines::new(members, file);
    let header = lines.next_line()?.ok_or_else(|| {
        Error::invalid(file, "", "empty file: expected the ATOP member-level file")
    })?;
    let header = split_csv(&header).unwrap_or_default();
    let col = columns(&header, &COLS).map_err(|c| {
        Error::invalid(
            file,
            "line 1",
            format!("missing column {c:?}: not an ATOP member-level file"),
        )
    })?;
    let width = header.len();
    let mut rows: Vec<Row> = Vec::new();
    let mut first_bad: Option<(usize, String)> = None;
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        progress.tick();
        summary.rows += 1;
        let n = lines.line_no;
        match parse_row(&line, &col, width, &opts.weights, &mut summary.filled_dates) {
            Ok(r) => rows.push(r),
            Err(m) => {
                summary.bad_rows += 1;
                first_bad.get_or_insert((n, m.clone()));
                warnings.push(Diagnostic::new(
                    file,
                    format!("line {n}"),
                    format!("{m} (row skipped)"),
                ));
            }
        }
    }
    progress.finish();
    if summary.bad_rows * 2 > summary.rows {
        let (n, m) = first_bad.unwrap_or_default();
        return Err(Error::invalid(
            file,
            format!("line {n}"),
            format!(
                "{m}; {} of {} rows are malformed: is this an ATOP member-level file?",
                summary.bad_rows, summary.rows
            ),
        ));
    }
    if summary.filled_dates > 0 {
        warnings.push(Diagnostic::new(
            file,
            "",
            format!(
                "{} blank or zero day/month fields taken as the first of the month or year",
                summary.filled_dates
            ),
        ));
    }
    Ok(rows)
}

/// One member row; `col` maps [`COLS`] to the file's columns. `filled` counts the blank or
/// zero day and month fields taken as the first.
fn parse_row(
    line: &str,
    col: &[usize],
    width: usize,
    weights: &Weights,
    filled: &mut usize,
) -> std::result::Result<Row, String> {
    let f = split_csv(line).ok_or("unclosed quote")?;
    if f.len() != width {
        return Err(format!("expected {width} fields, found {}", f.len()));
    }
    let g = |k: usize| f[col[k]].as_str();
    let atopid = int_field(g(0)).ok_or_else(|| format!("invalid atopid {:?}", g(0)))?;
    let member = int_field(g(1)).ok_or_else(|| format!("invalid member {:?}", g(1)))?;
    let start = atop_date(g(2), g(3), g(4), filled).map_err(|e| format!("entry: {e}"))?;
    let end = if int_field(g(5)).unwrap_or(0) == 0 {
        None
    } else {
        Some(atop_date(g(5), g(6), g(7), filled).map_err(|e| format!("exit: {e}"))?)
    };
    if end.is_some_and(|e| e < start) {
        return Err(format!("exit before entry ({})", show(line)));
    }
    let phase = int_field(g(8)).unwrap_or(0);
    let mut flags = [false; 5];
    for (k, fl) in flags.iter_mut().enumerate() {
        *fl = int_field(g(9 + k)).unwrap_or(0) != 0;
    }
    let (weight, strongest) = strongest(&flags, weights);
    Ok(Row {
        atopid,
        member,
        start,
        end,
        phase,
        weight,
        strongest,
    })
}

/// What membership events are cut to: the state of each COW code and each state's spells.
struct Members {
    state_of: HashMap<i64, usize>,
    spells: Vec<Vec<Span>>,
}

/// The alliances, in atopid order, with their `retie`, `join` and `leave` events.
fn alliances(
    rows: &[Row],
    opts: &AtopOptions,
    members: &Members,
    events: &mut Vec<(NaiveDate, EventKind)>,
    summary: &mut AtopSummary,
) -> Vec<Alliance> {
    let mut by_alliance: BTreeMap<i64, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by_alliance.entry(r.atopid).or_default().push(r);
    }
    let mut alliances = Vec::new();
    for (&atopid, arows) in &by_alliance {
        let ai = alliances.len();
        let (base, reties) = phase_ties(arows);
        summary.retie_events += reties.len();
        events.extend(
            reties
                .into_iter()
                .map(|(start, tie)| (start, EventKind::Retie { alliance: ai, tie })),
        );
        alliances.push(Alliance {
            id: format!("ATOP-{atopid}"),
            name: opts
                .names
                .get(&atopid)
                .cloned()
                .unwrap_or_else(|| format!("ATOP {atopid}")),
            kind: alliance_kind(arows),
            tie: base,
        });
        membership_events(ai, arows, members, events, summary);
    }
    alliances
}

/// The kind of an alliance: its strongest obligation over all rows.
fn alliance_kind(arows: &[&Row]) -> AllianceKind {
    let mut best: (f64, Option<usize>) = (0.0, None);
    for r in arows {
        if let Some(k) = r.strongest {
            if best.1.is_none() || r.weight > best.0 || (r.weight == best.0 && Some(k) < best.1) {
                best = (r.weight, Some(k));
            }
        }
    }
    best.1.map_or(AllianceKind::Other, |k| OBLIGATIONS[k].1)
}

/// The tie of each phase (its largest row weight), phases in order: the first phase's tie,
/// and a (start, tie) change for each later phase whose tie differs from the one before.
fn phase_ties(arows: &[&Row]) -> (f64, Vec<(NaiveDate, f64)>) {
    let mut phases: BTreeMap<i64, (NaiveDate, f64)> = BTreeMap::new();
    for r in arows {
        let e = phases.entry(r.phase).or_insert((r.start, r.weight));
        e.0 = e.0.min(r.start);
        e.1 = e.1.max(r.weight);
    }
    let mut phase_iter = phases.values();
    let base = phase_iter.next().map_or(0.0, |p| p.1);
    let mut current = base;
    let mut changes = Vec::new();
    for &(start, tie) in phase_iter {
        if tie != current {
            changes.push((start, tie));
            current = tie;
        }
    }
    (base, changes)
}

/// The `join` and `leave` events of alliance `ai`: per member (in order of first entry), its
/// rows merged into memberships, each cut to the member's COW spells.
fn membership_events(
    ai: usize,
    arows: &[&Row],
    members: &Members,
    events: &mut Vec<(NaiveDate, EventKind)>,
    summary: &mut AtopSummary,
) {
    let mut by_member: Vec<(i64, Vec<Span>)> = Vec::new();
    for r in arows {
        match by_member.iter_mut().find(|(m, _)| *m == r.member) {
            Some((_, v)) => v.push((r.start, r.end)),
            None => by_member.push((r.member, vec![(r.start, r.end)])),
        }
    }
    by_member.sort_by_key(|(_, v)| v.iter().map(|x| x.0).min());
    for (member, ivs) in by_member {
        let Some(&si) = members.state_of.get(&member) else {
            *summary.unknown_members.entry(member).or_default() += ivs.len();
            continue;
        };
        for (js, je) in merge_spans(ivs) {
            let pieces = cut_to_spells((js, je), &members.spells[si], summary);
            for (lo, hi) in pieces {
                let (state, alliance) = (si, ai);
                events.push((lo, EventKind::Join { state, alliance }));
                if let Some(hi) = hi {
                    events.push((hi, EventKind::Leave { state, alliance }));
                }
            }
        }
    }
}

/// The parts of a membership that lie within the member's spells, counting in `summary` the
/// memberships moved to a spell start, cut at a spell end, or entirely outside.
fn cut_to_spells(membership: Span, spells: &[Span], summary: &mut AtopSummary) -> Vec<Span> {
    let (js, je) = membership;
    let mut pieces = Vec::new();
    for &(ss, se) in spells {
        let lo = js.max(ss);
        let hi = match (je, se) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (Some(a), None) => Some(a),
            (None, b) => b,
        };
        if hi.map_or(true, |h| lo < h) {
            pieces.push((lo, hi));
        }
    }
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        summary.outside += 1;
        return pieces;
    };
    if first.0 > js {
        summary.clamped_joins += 1;
    }
    let cut_end = match (last.1, je) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        _ => false,
    };
    if cut_end || pieces.len() > 1 {
        summary.clamped_leaves += 1;
    }
    pieces
}

/// The warnings about memberships: unknown member codes, joins moved, memberships dropped.
fn membership_warnings(file: &str, summary: &AtopSummary) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if !summary.unknown_members.is_empty() {
        let list: Vec<String> = summary
            .unknown_members
            .iter()
            .map(|(c, n)| format!("{c} ({n} rows)"))
            .collect();
        warnings.push(Diagnostic::new(
            file,
            "",
            format!(
                "member codes not in the COW state list (rows skipped): {}",
                list.join(", ")
            ),
        ));
    }
    if summary.clamped_joins > 0 {
        warnings.push(Diagnostic::new(
            file,
            "",
            format!(
                "{} memberships begin before the member's COW spell: joined at the spell start instead",
                summary.clamped_joins
            ),
        ));
    }
    if summary.outside > 0 {
        warnings.push(Diagnostic::new(
            file,
            "",
            format!(
                "{} memberships lie entirely outside the member's COW spells (dropped)",
                summary.outside
            ),
        ));
    }
    warnings
}

/// The dataset of the import, with its two sources cited.
fn atop_dataset(
    file: &str,
    states: Vec<State>,
    alliances: Vec<Alliance>,
    events: Vec<(NaiveDate, EventKind)>,
) -> Dataset {
    Dataset {
        name: "ATOP alliances over COW states".to_string(),
        description: Some(format!(
            "Imported by entente from {}: {} alliances, {} states; membership dates cut to COW state-system spells.",
            super::text::base_name(file),
            alliances.len(),
            states.len()
        )),
        sources: vec![
            Source {
                id: "atop".into(),
                title: "Leeds, Ritter, Mitchell and Long (2002), Alliance Treaty Obligations and Provisions, 1815-1944, International Interactions 28: 237-260".into(),
                url: Some("http://www.atopdata.org/".into()),
                date: None,
            },
            Source {
                id: "cow".into(),
                title: "Correlates of War Project, State System Membership List".into(),
                url: Some("https://correlatesofwar.org/data-sets/state-system-membership/".into()),
                date: None,
            },
        ],
        states,
        alliances,
        events: events
            .into_iter()
            .map(|(date, kind)| Event::new(date, kind))
            .collect(),
        ..Dataset::default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::date::parse_date;
    use crate::model::Timeline;

    /// The real ATOP 5.1 rows of NATO (3180) and the CSTO (4220), with the COW spells of their
    /// members (CRLF line endings as in the original file).
    const NATO_CSTO: &str = include_str!("../../tests/data/import/atop-nato-csto.csv");
    const NATO_CSTO_STATES: &str = include_str!("../../tests/data/import/states-nato-csto.csv");
    const MESSY: &str = include_str!("../../tests/data/import/atop-messy.csv");
    const MESSY_STATES: &str = include_str!("../../tests/data/import/states-messy.csv");

    fn run(members: &str, states: &str) -> AtopImport {
        let cow = read_cow_states(states.as_bytes(), "states.csv").unwrap();
        let names = read_names(EMBEDDED_NAMES.as_bytes(), "atop-names.csv").unwrap();
        import(
            &cow,
            members.as_bytes(),
            "atop.csv",
            &AtopOptions {
                weights: Weights::default(),
                names,
            },
            &mut Progress::hidden(),
        )
        .unwrap()
    }

    fn members_at(ds: &Dataset, tl: &Timeline, alliance: &str, date: &str) -> Vec<String> {
        let a = ds.alliance_index(alliance).unwrap();
        let snap = tl.snapshot(parse_date(date).unwrap());
        let mut v: Vec<String> = snap
            .membership(a)
            .map(|m| m.members())
            .unwrap_or_default()
            .into_iter()
            .map(|k| ds.states[snap.states[k]].id.clone())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn nato_member_counts_on_key_dates() {
        let r = run(NATO_CSTO, NATO_CSTO_STATES);
        let ds = &r.dataset;
        ds.check().unwrap();
        let tl = Timeline::new(ds, "t");
        assert!(tl.warnings.is_empty(), "{:?}", tl.warnings);
        let nato = &ds.alliances[ds.alliance_index("ATOP-3180").unwrap()];
        assert_eq!(nato.name, "North Atlantic Treaty Organization (NATO)");
        assert_eq!((nato.kind, nato.tie), (AllianceKind::Defense, 1.0));
        let count = |d: &str| members_at(ds, &tl, "ATOP-3180", d).len();
        assert_eq!(count("1949-04-03"), 0);
        assert_eq!(count("1949-04-04"), 12);
        assert_eq!(count("1949-12-31"), 12);
        // Greece and Turkey 1951-10-22 (ATOP's date), 14; West Germany: ATOP codes 1954-10-23,
        // COW lists the GFR from 1955-05-05, so the join moves to that day.
        assert_eq!(count("1952-01-01"), 14);
        assert_eq!(count("1955-05-04"), 14);
        assert_eq!(count("1955-05-05"), 15);
        assert_eq!(count("1982-06-30"), 16);
        // Reunification: the GFR leaves as Germany joins, on the same day; still 16.
        assert_eq!(count("1990-10-03"), 16);
        assert!(members_at(ds, &tl, "ATOP-3180", "1990-10-03").contains(&"GMY".to_string()));
        assert_eq!(count("1999-06-30"), 19);
        assert_eq!(count("2004-06-30"), 26);
        assert_eq!(count("2009-06-30"), 28);
        // Montenegro per ATOP's coding (2016-05-19, the accession protocol).
        assert_eq!(count("2016-05-18"), 28);
        assert_eq!(count("2016-05-19"), 29);
        assert_eq!(count("2018-12-31"), 29);
        assert_eq!(r.summary.clamped_joins, 1, "only the GFR's join is moved");
    }

    #[test]
    fn csto_members_as_atop_codes_them() {
        let r = run(NATO_CSTO, NATO_CSTO_STATES);
        let ds = &r.dataset;
        let tl = Timeline::new(ds, "t");
        let m = |d: &str| members_at(ds, &tl, "ATOP-4220", d).join(" ");
        assert_eq!(m("1992-05-14"), "");
        assert_eq!(m("1992-05-15"), "ARM KYR KZK RUS TAJ UZB");
        assert_eq!(m("1993-12-31"), "ARM AZE GRG KYR KZK RUS TAJ UZB");
        assert_eq!(m("1994-01-03"), "ARM AZE BLR GRG KYR KZK RUS TAJ UZB");
        assert_eq!(m("2003-06-30"), "ARM BLR KYR KZK RUS TAJ");
        assert_eq!(m("2008-06-30"), "ARM BLR KYR KZK RUS TAJ UZB");
        assert_eq!(m("2013-06-30"), "ARM BLR KYR KZK RUS TAJ");
        // Phases 1 and 2 meet on 2002-10-07: the six who stay have no leave event.
        let csto = ds.alliance_index("ATOP-4220").unwrap();
        let rus = ds.state_index("RUS").unwrap();
        assert!(!ds.events.iter().any(|e| e.kind
            == EventKind::Leave {
                state: rus,
                alliance: csto
            }));
        assert_eq!(r.summary.retie_events, 0);
    }

    #[test]
    fn states_spells_and_censoring() {
        let r = run(NATO_CSTO, NATO_CSTO_STATES);
        let ds = &r.dataset;
        let gmy = ds.state_index("GMY").unwrap();
        assert_eq!(ds.states[gmy].codes["cow"], Code::Int(255));
        let dates: Vec<(String, &str)> = ds
            .events
            .iter()
            .filter(|e| {
                matches!(e.kind, EventKind::Enter { state } | EventKind::Exit { state } if state == gmy)
            })
            .map(|e| (fmt_date(e.date), e.kind.name()))
            .collect();
        // The 1816–1945-05-08 spell exits the day after its last day; the 1990 spell runs to
        // the list's end (2016-12-31): right-censored, no exit.
        assert_eq!(
            dates,
            [
                ("1816-01-01".to_string(), "enter"),
                ("1945-05-09".to_string(), "exit"),
                ("1990-10-03".to_string(), "enter")
            ]
        );
        let tl = Timeline::new(ds, "t");
        let present = |d: &str| tl.snapshot(parse_date(d).unwrap()).local(gmy).is_some();
        assert!(present("1945-05-08"));
        assert!(!present("1945-05-09"));
        assert!(present("2016-12-31") && present("2020-01-01"));
    }

    #[test]
    fn messy_rows_blank_days_retie_clamps_and_gaps() {
        let r = run(MESSY, MESSY_STATES);
        let ds = &r.dataset;
        ds.check().unwrap();
        let tl = Timeline::new(ds, "t");
        assert!(tl.warnings.is_empty(), "{:?}", tl.warnings);
        let s = &r.summary;
        assert_eq!(s.rows, 12);
        assert_eq!(s.bad_rows, 1, "month 13");
        assert_eq!(
            s.filled_dates, 3,
            "a blank day, a zero month and a zero day"
        );
        assert_eq!(s.unknown_members.get(&999), Some(&1));
        assert_eq!(s.clamped_joins, 1, "UKG from 1800, the list starts 1816");
        assert_eq!(s.outside, 2, "alliance 9004 ended before the list starts");
        assert_eq!(s.clamped_leaves, 1, "Gapland leaves the list in 1921");
        let warnings: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
        let all = warnings.join("\n");
        assert!(
            all.contains("atop.csv: line 7: entry: invalid date"),
            "{all}"
        );
        assert!(all.contains("3 blank or zero day/month fields"), "{all}");
        assert!(all.contains("999 (1 rows)"), "{all}");

        // 9001: consultation (0.3) in phase 1, defense (1.0) from phase 2: a retie, no gap.
        let a = ds.alliance_index("ATOP-9001").unwrap();
        assert_eq!(ds.alliances[a].name, "ATOP 9001");
        assert_eq!(ds.alliances[a].kind, AllianceKind::Defense);
        assert_eq!(ds.alliances[a].tie, 0.3);
        let w = |d: &str| {
            let snap = tl.snapshot(parse_date(d).unwrap());
            let (i, j) = (
                snap.local(ds.state_index("USA").unwrap()).unwrap(),
                snap.local(ds.state_index("CAN").unwrap()).unwrap(),
            );
            snap.w(i, j)
        };
        assert_eq!(
            w("1950-06-14"),
            0.5,
            "9002 only: neutral 0.5 beats nonagg 0.4"
        );
        assert_eq!(w("1950-06-15"), 0.3 + 0.5, "Canada joins 9001 on the 15th");
        assert_eq!(w("1955-01-01"), 1.0, "clamped: 1.0 + 0.5");
        // The exit fields 1955-0-0 read as 1955-01-01, which meets phase 2: one membership.
        assert_eq!(
            ds.events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Leave { alliance, .. } if alliance == a))
                .count(),
            0
        );
        let kinds: Vec<&str> = ds
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Retie { alliance, .. } if alliance == a))
            .map(|e| e.kind.name())
            .collect();
        assert_eq!(kinds, ["retie"]);

        // Gapland: member of 9003 from 1910, out of the list 1921–1929, member again from 1930.
        let g = |d: &str| members_at(ds, &tl, "ATOP-9003", d).join(" ");
        assert_eq!(g("1915-01-01"), "UKG XXX");
        assert_eq!(g("1925-01-01"), "UKG");
        assert_eq!(g("1930-01-01"), "UKG XXX");
        assert_eq!(
            ds.alliances[ds.alliance_index("ATOP-9003").unwrap()].kind,
            AllianceKind::Offense
        );
        let x = ds.state_index("XXX").unwrap();
        assert_eq!(ds.states[x].name, "Gapland, Republic of");
    }

    #[test]
    fn wrong_files_are_errors() {
        let cow = read_cow_states(MESSY_STATES.as_bytes(), "s.csv").unwrap();
        let opts = AtopOptions::default();
        let e = import(
            &cow,
            "a,b\n1,2\n".as_bytes(),
            "x.csv",
            &opts,
            &mut Progress::hidden(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("x.csv: line 1: missing column \"atopid\""),
            "{e}"
        );
        let bad = "atopid,member,yrent,moent,dayent,yrexit,moexit,dayexit,phase,defense,offense,neutral,nonagg,consul\n1,2\n1,2,3\n";
        let e = import(
            &cow,
            bad.as_bytes(),
            "x.csv",
            &opts,
            &mut Progress::hidden(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("x.csv: line 2: expected 14 fields, found 2"),
            "{e}"
        );
        let e = read_cow_states("stateabb,ccode\n".as_bytes(), "s.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("s.csv: line 1: missing column \"statenme\""),
            "{e}"
        );
        assert!(Weights::parse("defense=2").is_err());
        assert!(Weights::parse("war=1").is_err());
    }

    #[test]
    fn cow_rows_the_dataset_would_refuse_are_errors_at_their_line() {
        let head = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday\n";
        let ok = "USA,2,United States,1816,1,1,2016,12,31\n";
        let long_name = "N".repeat(load::MAX_TEXT_BYTES + 1);
        let long_abb = "A".repeat(load::MAX_ID_CHARS - 1);
        for (row, want) in [
            (
                "US\u{1}A,2,United States,1816,1,1,2016,12,31\n".to_string(),
                "s.csv: line 3: stateabb: id \"US\\u{1}A\" has an invisible character U+0001",
            ),
            (
                format!("CAN,20,{long_name},1920,1,10,2016,12,31\n"),
                "s.csv: line 3: statenme: the text has 65537 bytes",
            ),
            // Short enough alone, too long as `ABB-ccode` (its id if two codes shared it).
            (
                format!("{long_abb},20,Canada,1920,1,10,2016,12,31\n"),
                "s.csv: line 3: stateabb: id",
            ),
        ] {
            let e = read_cow_states(format!("{head}{ok}{row}").as_bytes(), "s.csv")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{e} does not contain {want}");
        }
    }

    #[test]
    fn names_given_twice_or_too_long_are_errors_at_their_line() {
        let ok = read_names("atopid,name\n3180,NATO\n3180,NATO\n".as_bytes(), "n.csv").unwrap();
        assert_eq!(ok[&3180], "NATO");
        let e = read_names(
            "atopid,name\n3180,NATO\n4220,CSTO\n3180,OTAN\n".as_bytes(),
            "n.csv",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains(
                "n.csv: line 4: atopid 3180 is named twice: \"NATO\" on line 2, \"OTAN\" here"
            ),
            "{e}"
        );
        let long = format!("3180,{}\n", "N".repeat(load::MAX_TEXT_BYTES + 1));
        let e = read_names(long.as_bytes(), "n.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("n.csv: line 1: the text has 65537 bytes"), "{e}");
    }
}
