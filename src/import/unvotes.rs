//! `import unvotes`: UN General Assembly roll calls (Voeten's data as packaged in the `unvotes`
//! files: `un_votes.csv`, `un_roll_calls.csv`, optionally `un_roll_call_issues.csv`) become one
//! tie event per pair of dataset states per window (year or session), its delta a dyadic
//! vote-similarity measure in [−1, 1] (docs/import.md, docs/metrics.md).
//!
//! Votes are coded yes = 1, abstain = 2, no = 3 (range d = 2) and a pair is compared over the
//! roll calls both voted on. Per pair and window only a 3×3 table of joint votes is kept (36
//! bytes), from which every measure follows:
//!
//! - `agreement`: the share p of identical votes, mapped as 2p − 1;
//! - `s`: Signorino and Ritter's S = 1 − Σ|x_i − x_j| / K (= 1 − 2Σ|x_i − x_j|/(K·d), d = 2);
//! - `kappa`: Cohen's κ with quadratic disagreement weights (x − y)²/d² (Häge 2011):
//!   κ = 1 − D_o/D_e, D_o the mean observed weight, D_e the weight expected from the two states'
//!   own vote shares;
//! - `pi`: Scott's π, the same with D_e from the pooled shares of both states.
//!
//! κ and π are undefined when D_e = 0 (both states cast one and the same vote on every shared
//! roll call); such pair-windows are left out and counted. Values below −1 (possible for κ, π)
//! are clamped to −1 and counted.
//!
//! The votes file is read row by row. Its rows need not be grouped by roll call (the real file
//! is not), so each matched vote is kept as 4 bytes (state index, vote) under its roll call until
//! the end of the file; the pair tables are then filled roll call by roll call. Cost:
//! O(rows + Σ over roll calls of voters²).

use super::codes::SchemeMatcher;
use super::crosswalk::{Match, Scheme};
use super::text::{columns, show, split_csv, Lines};
use super::Progress;
use crate::date::{parse_date, to_day, Day};
use crate::error::{Error, Result};
use crate::model::TieEvent;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// The window a pair's votes are pooled over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Calendar years (1 January to 31 December).
    Year,
    /// General Assembly sessions: from the session's first roll call to the next session's first
    /// (to the day after its own last roll call when the next session is not in the file).
    Session,
}

/// The dyadic measure written as the delta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// 2·(share of identical votes) − 1.
    Agreement,
    /// Signorino and Ritter's S.
    S,
    /// Cohen's κ with quadratic weights.
    Kappa,
    /// Scott's π with quadratic weights.
    Pi,
}

impl Measure {
    /// The measure's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Agreement => "agreement",
            Measure::S => "s",
            Measure::Kappa => "kappa",
            Measure::Pi => "pi",
        }
    }
}

/// Options of the import.
#[derive(Debug, Clone, PartialEq)]
pub struct UnvotesOptions {
    /// The window votes are pooled over.
    pub window: Window,
    /// The measure written as the delta.
    pub measure: Measure,
    /// Pairs with fewer shared roll calls in a window are left out.
    pub min_votes: u32,
    /// Only roll calls on this issue (needs the issues file).
    pub issue: Option<String>,
    /// Only roll calls on the US State Department's list of important votes.
    pub important_only: bool,
}

impl Default for UnvotesOptions {
    fn default() -> Self {
        UnvotesOptions {
            window: Window::Year,
            measure: Measure::Agreement,
            min_votes: 10,
            issue: None,
            important_only: false,
        }
    }
}

/// One roll call.
#[derive(Debug, Clone, PartialEq)]
pub struct RollCall {
    /// The roll call's id.
    pub rcid: u32,
    /// The General Assembly session.
    pub session: u32,
    /// The day of the vote.
    pub date: NaiveDate,
    /// `None` when the file leaves it empty.
    pub important: Option<bool>,
}

/// Reads the header line and finds the wanted columns by name: an empty file or a missing column
/// is an error naming the file (and line 1). Returns the columns and the header's width.
fn header_columns<R: BufRead>(
    lines: &mut Lines<R>,
    file: &str,
    what: &str,
    wanted: &[&str],
) -> Result<(Vec<usize>, usize)> {
    let header = lines
        .next_line()?
        .ok_or_else(|| Error::invalid(file, "", format!("empty file: expected {what}")))?;
    let h = split_csv(&header).unwrap_or_default();
    let cols = columns(&h, wanted).map_err(|c| {
        Error::invalid(
            file,
            "line 1",
            format!("missing column {c:?} (header {:?})", show(&header)),
        )
    })?;
    Ok((cols, h.len()))
}

/// Reads `un_roll_calls.csv` (columns found by name: `rcid`, `session`, `importantvote`,
/// `date`). A malformed row is an error naming its line and column.
pub fn read_roll_calls(input: impl BufRead, file: &str) -> Result<Vec<RollCall>> {
    let mut lines = Lines::new(input, file);
    let (cols, width) = header_columns(
        &mut lines,
        file,
        "a roll-call header",
        &["rcid", "session", "importantvote", "date"],
    )?;
    let mut out = Vec::new();
    let mut seen: HashMap<u32, usize> = HashMap::new();
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        let n = lines.line_no;
        let f = split_csv(&line)
            .ok_or_else(|| Error::invalid(file, format!("line {n}"), "unclosed quote"))?;
        if f.len() != width {
            return Err(Error::invalid(
                file,
                format!("line {n}"),
                format!("{} fields, expected {}", f.len(), width),
            ));
        }
        let at = |k: usize| format!("line {n}, column {}", cols[k] + 1);
        let val = |k: usize| f[cols[k]].trim();
        let rcid: u32 = val(0).parse().map_err(|_| {
            Error::invalid(
                file,
                at(0),
                format!("rcid {:?} is not a whole number", show(val(0))),
            )
        })?;
        let session: u32 = val(1).parse().map_err(|_| {
            Error::invalid(
                file,
                at(1),
                format!("session {:?} is not a whole number", show(val(1))),
            )
        })?;
        let important = match val(2) {
            "" | "NA" => None,
            "0" => Some(false),
            "1" => Some(true),
            v => {
                return Err(Error::invalid(
                    file,
                    at(2),
                    format!("importantvote {:?}: expected 0, 1 or empty", show(v)),
                ))
            }
        };
        let date = parse_date(val(3))
            .map_err(|e| Error::invalid(file, at(3), format!("date {:?}: {e}", show(val(3)))))?;
        if let Some(prev) = seen.insert(rcid, n) {
            return Err(Error::invalid(
                file,
                at(0),
                format!("rcid {rcid} appears twice (lines {prev} and {n})"),
            ));
        }
        out.push(RollCall {
            rcid,
            session,
            date,
            important,
        });
    }
    Ok(out)
}

/// Reads `un_roll_call_issues.csv` (`rcid`, `issue`): the set of rcids on `issue`, and every
/// issue name in the file (for the message when `issue` is not one of them).
pub fn read_issues(
    input: impl BufRead,
    file: &str,
    issue: &str,
) -> Result<(std::collections::HashSet<u32>, Vec<String>)> {
    let mut lines = Lines::new(input, file);
    let (cols, width) = header_columns(&mut lines, file, "an issues header", &["rcid", "issue"])?;
    let mut set = std::collections::HashSet::new();
    let mut names = std::collections::BTreeSet::new();
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        let n = lines.line_no;
        let f = split_csv(&line)
            .filter(|f| f.len() == width)
            .ok_or_else(|| Error::invalid(file, format!("line {n}"), "malformed row"))?;
        let rcid: u32 = f[cols[0]].trim().parse().map_err(|_| {
            Error::invalid(
                file,
                format!("line {n}, column {}", cols[0] + 1),
                format!("rcid {:?} is not a whole number", show(&f[cols[0]])),
            )
        })?;
        let name = f[cols[1]].trim();
        names.insert(name.to_string());
        if name.eq_ignore_ascii_case(issue) {
            set.insert(rcid);
        }
    }
    Ok((set, names.into_iter().collect()))
}

/// A vote row not used because its country could not be matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// Line in the votes file.
    pub line: usize,
    /// The code (or name) that was not matched.
    pub code: String,
    /// Why it was not matched.
    pub reason: String,
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnvotesStats {
    /// Vote rows read.
    pub rows: u64,
    /// Votes of dataset states on selected roll calls.
    pub used: u64,
    /// Votes on roll calls left out by `--issue` / `--important-only`.
    pub filtered: u64,
    /// Votes of countries known to the crosswalk but not in the dataset at that date, by country.
    pub not_in_dataset: BTreeMap<String, u64>,
    /// Votes of countries outside their COW spell at that date, by country.
    pub outside_spell: BTreeMap<String, u64>,
    /// Rows dropped for unknown or ambiguous codes: the first 20.
    pub dropped: Vec<Dropped>,
    /// How many rows were dropped for unknown or ambiguous codes in all.
    pub dropped_count: u64,
    /// Roll calls used.
    pub roll_calls: usize,
    /// Pair-windows below `--min-votes`.
    pub too_few: u64,
    /// Pair-windows where κ or π is undefined (no expected disagreement).
    pub undefined: u64,
    /// Values below −1 clamped to −1.
    pub clamped: u64,
}

/// How many dropped rows are listed by line.
pub const DROPPED_LISTED: usize = 20;

/// The 3×3 table of joint votes of one pair (row: the first state's vote, column: the other's).
pub type Table = [u32; 9];

/// The measure of a joint-vote table, before the `--min-votes` filter: `None` when undefined.
#[allow(clippy::needless_range_loop)] // the 3×3 formulas read as written in docs/metrics.md
pub fn measure(t: &Table, m: Measure) -> Option<f64> {
    let k: u32 = t.iter().sum();
    if k == 0 {
        return None;
    }
    let kf = f64::from(k);
    let cell = |x: usize, y: usize| f64::from(t[3 * x + y]);
    match m {
        Measure::Agreement => {
            let same = cell(0, 0) + cell(1, 1) + cell(2, 2);
            Some(2.0 * same / kf - 1.0)
        }
        Measure::S => {
            let mut dist = 0.0;
            for x in 0..3 {
                for y in 0..3 {
                    dist += cell(x, y) * (x as f64 - y as f64).abs();
                }
            }
            Some(1.0 - dist / kf)
        }
        Measure::Kappa | Measure::Pi => {
            let w = |x: usize, y: usize| (x as f64 - y as f64).powi(2) / 4.0;
            let mut d_obs = 0.0;
            let (mut pi, mut pj) = ([0.0; 3], [0.0; 3]);
            for x in 0..3 {
                for y in 0..3 {
                    let p = cell(x, y) / kf;
                    d_obs += p * w(x, y);
                    pi[x] += p;
                    pj[y] += p;
                }
            }
            if m == Measure::Pi {
                for x in 0..3 {
                    let pooled = (pi[x] + pj[x]) / 2.0;
                    pi[x] = pooled;
                    pj[x] = pooled;
                }
            }
            let mut d_exp = 0.0;
            for x in 0..3 {
                for y in 0..3 {
                    d_exp += pi[x] * pj[y] * w(x, y);
                }
            }
            (d_exp > 1e-12).then(|| 1.0 - d_obs / d_exp)
        }
    }
}

/// The windows of the selected roll calls: for each roll call its window's (start, length in
/// days).
fn windows(rcs: &[RollCall], w: Window) -> Result<HashMap<u32, (Day, f64)>> {
    let mut out = HashMap::new();
    match w {
        Window::Year => {
            for rc in rcs {
                let y = rc.date.year();
                let start = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(rc.date);
                let end = NaiveDate::from_ymd_opt(y + 1, 1, 1).unwrap_or(rc.date);
                out.insert(
                    rc.rcid,
                    (to_day(start), f64::from(to_day(end) - to_day(start))),
                );
            }
        }
        Window::Session => {
            // Session start: its first roll call; its end: the next session's start when that
            // session follows it (number + 1), else the day after its last roll call.
            let mut span: BTreeMap<u32, (Day, Day)> = BTreeMap::new();
            for rc in rcs {
                let d = to_day(rc.date);
                let e = span.entry(rc.session).or_insert((d, d));
                e.0 = e.0.min(d);
                e.1 = e.1.max(d);
            }
            let mut len: HashMap<u32, (Day, f64)> = HashMap::new();
            for (&s, &(first, last)) in &span {
                let end = match span.get(&(s + 1)) {
                    Some(&(next, _)) if next > first => next,
                    _ => last + 1,
                };
                len.insert(s, (first, f64::from(end - first)));
            }
            for rc in rcs {
                if let Some(&v) = len.get(&rc.session) {
                    out.insert(rc.rcid, v);
                }
            }
        }
    }
    Ok(out)
}

/// Reads the votes and computes the tie events, sorted by date, then pair in dataset order.
/// `keep` says which roll calls are selected (issue, importance); `state_ids` are the dataset's
/// state ids (for messages; their number sizes the pair tables).
#[allow(clippy::too_many_arguments)]
pub fn import(
    matcher: &SchemeMatcher,
    state_ids: &[String],
    roll_calls: &[RollCall],
    keep: &dyn Fn(&RollCall) -> bool,
    input: impl BufRead,
    file: &str,
    opts: &UnvotesOptions,
    progress: &mut Progress,
) -> Result<(Vec<TieEvent>, UnvotesStats)> {
    let by_rcid: HashMap<u32, usize> = roll_calls
        .iter()
        .enumerate()
        .map(|(i, r)| (r.rcid, i))
        .collect();
    let win = windows(roll_calls, opts.window)?;
    let mut stats = UnvotesStats::default();
    // Per roll call (by position): (state index, vote 0..3).
    let mut votes: Vec<Vec<(u16, u8)>> = vec![Vec::new(); roll_calls.len()];
    // Country matches are cached per (code, name, window start).
    let mut cache: HashMap<String, Match> = HashMap::new();
    let mut lines = Lines::new(input, file);
    let (cols, width) = header_columns(
        &mut lines,
        file,
        "a votes header",
        &["rcid", "country", "country_code", "vote"],
    )?;
    let mut key = String::new();
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        progress.tick();
        stats.rows += 1;
        let n = lines.line_no;
        // Rows without quotes split in place; quoted rows go through the CSV splitter.
        let owned: Vec<String>;
        let f: Vec<&str> = if line.contains('"') {
            owned = split_csv(&line)
                .ok_or_else(|| Error::invalid(file, format!("line {n}"), "unclosed quote"))?;
            owned.iter().map(String::as_str).collect()
        } else {
            line.split(',').collect()
        };
        if f.len() != width {
            return Err(Error::invalid(
                file,
                format!("line {n}"),
                format!("{} fields, expected {}", f.len(), width),
            ));
        }
        let at = |k: usize| format!("line {n}, column {}", cols[k] + 1);
        let rcid_text = f[cols[0]].trim();
        let rc = rcid_text
            .parse::<u32>()
            .ok()
            .and_then(|r| by_rcid.get(&r).copied())
            .ok_or_else(|| {
                Error::invalid(
                    file,
                    at(0),
                    format!(
                        "rcid {:?} is not a roll call of the roll-call file",
                        show(rcid_text)
                    ),
                )
            })?;
        let vote: u8 = match f[cols[3]].trim() {
            "yes" => 0,
            "abstain" => 1,
            "no" => 2,
            v => {
                return Err(Error::invalid(
                    file,
                    at(3),
                    format!("vote {:?}: expected yes, abstain or no", show(v)),
                ))
            }
        };
        let r = &roll_calls[rc];
        if !keep(r) {
            stats.filtered += 1;
            continue;
        }
        let (name, code) = (f[cols[1]].trim(), f[cols[2]].trim());
        // The code column in its scheme; the name when the code is empty or names are asked.
        let (text, scheme) = if code.is_empty() || matcher.input == Scheme::Name {
            (name, Scheme::Name)
        } else {
            (code, matcher.input)
        };
        let wstart = win.get(&r.rcid).map_or(0, |w| w.0);
        key.clear();
        key.push_str(code);
        key.push('\u{1}');
        key.push_str(name);
        key.push('\u{1}');
        key.push_str(&wstart.to_string());
        let m = match cache.get(key.as_str()) {
            Some(m) => m.clone(),
            None => {
                let m = matcher.get_in(scheme, text, Some(r.date));
                cache.insert(key.clone(), m.clone());
                m
            }
        };
        match m {
            Match::State(i) => {
                let i = u16::try_from(i).map_err(|_| {
                    Error::Internal(format!("state index {i} does not fit 16 bits"))
                })?;
                votes[rc].push((i, vote));
                stats.used += 1;
            }
            Match::NotInDataset(_) => {
                *stats.not_in_dataset.entry(text.to_string()).or_default() += 1;
            }
            Match::OutsideSpell(_) => {
                *stats.outside_spell.entry(text.to_string()).or_default() += 1;
            }
            Match::Unknown | Match::NotAtDate | Match::Ambiguous(_) => {
                stats.dropped_count += 1;
                if stats.dropped.len() < DROPPED_LISTED {
                    let reason = match m {
                        Match::Ambiguous(w) => format!("ambiguous: {w}"),
                        Match::NotAtDate => {
                            format!("denotes no country on {}", crate::date::fmt_date(r.date))
                        }
                        _ => format!("not a known {} code", scheme.as_str()),
                    };
                    stats.dropped.push(Dropped {
                        line: n,
                        code: text.to_string(),
                        reason,
                    });
                }
            }
        }
    }
    progress.finish();
    // Fill the pair tables, window by window (dense upper triangle per window).
    let n = state_ids.len();
    let tri = |a: usize, b: usize| a * (2 * n - a - 1) / 2 + (b - a - 1);
    let mut tables: BTreeMap<Day, (f64, Vec<Table>)> = BTreeMap::new();
    for (rc, v) in votes.iter_mut().enumerate() {
        if v.len() < 2 {
            continue;
        }
        stats.roll_calls += 1;
        v.sort_unstable();
        if let Some(w) = v.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::invalid(
                file,
                format!("rcid {}", roll_calls[rc].rcid),
                format!(
                    "two votes of dataset state {} on this roll call (two rows whose countries map to it)",
                    state_ids.get(usize::from(w[0].0)).map_or("?", String::as_str)
                ),
            ));
        }
        let (start, len) = win.get(&roll_calls[rc].rcid).copied().unwrap_or((0, 1.0));
        let t = &mut tables
            .entry(start)
            .or_insert_with(|| (len, vec![[0; 9]; n * n.saturating_sub(1) / 2]))
            .1;
        for (x, &(a, va)) in v.iter().enumerate() {
            for &(b, vb) in &v[x + 1..] {
                t[tri(usize::from(a), usize::from(b))][3 * usize::from(va) + usize::from(vb)] += 1;
            }
        }
    }
    let mut out = Vec::new();
    for (&start, (len, t)) in &tables {
        for a in 0..n {
            for b in a + 1..n {
                let cell = &t[tri(a, b)];
                let k: u32 = cell.iter().sum();
                if k == 0 {
                    continue;
                }
                if k < opts.min_votes {
                    stats.too_few += 1;
                    continue;
                }
                let Some(mut v) = measure(cell, opts.measure) else {
                    stats.undefined += 1;
                    continue;
                };
                if v < -1.0 {
                    v = -1.0;
                    stats.clamped += 1;
                }
                out.push(TieEvent::new(
                    start,
                    a as u32,
                    b as u32,
                    v,
                    None,
                    Some(*len),
                ));
            }
        }
    }
    Ok((out, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(pairs: &[(u8, u8)]) -> Table {
        let mut t = [0; 9];
        for &(x, y) in pairs {
            t[3 * usize::from(x - 1) + usize::from(y - 1)] += 1;
        }
        t
    }

    #[test]
    fn measures_by_hand() {
        // Votes (1 yes, 2 abstain, 3 no) of i and j on five roll calls:
        // i: 1 1 2 3 1   j: 1 3 2 3 2
        let t = table(&[(1, 1), (1, 3), (2, 2), (3, 3), (1, 2)]);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        // Agreement: 3 of 5 identical → 2·0.6 − 1 = 0.2.
        assert!(close(measure(&t, Measure::Agreement).unwrap(), 0.2));
        // S: Σ|x−y| = 0+2+0+0+1 = 3 → 1 − 3/5 = 0.4.
        assert!(close(measure(&t, Measure::S).unwrap(), 0.4));
        // κ: weights (x−y)²/4: observed (0+1+0+0+0.25)/5 = 0.25.
        // Shares i: yes 3/5, abstain 1/5, no 1/5; j: yes 1/5, abstain 2/5, no 2/5.
        // Expected: Σ p_i(x) p_j(y) (x−y)²/4 =
        //   yes-abs .6·.4·.25 + yes-no .6·.4·1 + abs-yes .2·.2·.25 + abs-no .2·.4·.25
        //   + no-yes .2·.2·1 + no-abs .2·.4·.25 = .06+.24+.01+.02+.04+.02 = 0.39
        // κ = 1 − 0.25/0.39.
        assert!(close(
            measure(&t, Measure::Kappa).unwrap(),
            1.0 - 0.25 / 0.39
        ));
        // π: pooled shares yes .4, abstain .3, no .3; expected
        //   2·(.4·.3·.25 + .4·.3·1 + .3·.3·.25) = 2·(.03+.12+.0225) = 0.345; π = 1 − 0.25/0.345.
        assert!(close(measure(&t, Measure::Pi).unwrap(), 1.0 - 0.25 / 0.345));
        // Both always yes: κ and π undefined, agreement and S are 1.
        let same = table(&[(1, 1), (1, 1)]);
        assert_eq!(measure(&same, Measure::Kappa), None);
        assert_eq!(measure(&same, Measure::Pi), None);
        assert_eq!(measure(&same, Measure::S), Some(1.0));
        // Opposite votes throughout: S = −1.
        assert_eq!(measure(&table(&[(1, 3), (3, 1)]), Measure::S), Some(-1.0));
    }
}
