//! The tie CSV: `date,a,b,delta,half_life_days,duration_days`, one tie event per row, the last
//! two fields possibly empty, and the last two columns possibly left out altogether (a file
//! whose header is `date,a,b,delta` has four fields per row). Fields follow RFC 4180: a field
//! holding a comma, a double quote or edge spaces is double-quoted, with `""` for a quote, so
//! any state id round-trips; no field can hold a line break. As analysis input it is strict: a
//! missing header, a malformed row or an unknown state id is an error naming the file, the line
//! (and column) and the value.
//!
//! The reader is built for event files of millions of rows. It reads batches of whole lines and
//! parses each batch in parallel chunks cut at newlines (the events joined in file order), each
//! row in place with a byte-level fast path: the date compared with the previous row's (rows
//! come in date order) and otherwise parsed from its digits, state ids interned through a small
//! open-addressing table keyed by the id's first eight bytes, and numbers of the common shape
//! `-?digits[.digits]` converted exactly (an integer below 2⁵³ divided by an exact power of
//! ten: one correctly rounded IEEE division, hence the same `f64` as `str::parse`). Any row the
//! fast path does not accept in full, from a blank line or a quoted field to an exponent or an
//! error, goes through the general path below, which is the reference: it decides what is
//! valid and words every message. No allocation per row on the fast path.

use crate::base::csv::field as csv_field;
use crate::dataset::Dataset;
use crate::date::{parse_date, to_day, Day};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::{BufRead, Read};

/// The header line our writer writes (every column).
pub const HEADER: &str = "date,a,b,delta,half_life_days,duration_days";

/// The columns of a tie CSV, in order; a file has the first four, five or all six.
const COLUMNS: [&str; 6] = ["date", "a", "b", "delta", "half_life_days", "duration_days"];

/// The fewest columns a tie CSV may have (`date,a,b,delta`).
const MIN_COLUMNS: usize = 4;

/// A tie event between dataset states `a < b`: one row of a tie CSV, or a dataset `tie` event
/// once the timeline has ordered it. How it weighs at a date is the model's business
/// (`TieEvent::value_at` in `model::timeline`).
///
/// Kept small (40 bytes) because event data is large: the optional half-life and duration are
/// stored as `f64` with `+∞` for "none", which is exact (a half-life of +∞ is no decay, a duration
/// of +∞ never closes) and needs no tag. Read them with [`TieEvent::half_life`] and
/// [`TieEvent::duration`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieEvent {
    /// The day the change takes effect.
    pub day: Day,
    /// One state of the pair (dataset index).
    pub a: u32,
    /// The other state of the pair (dataset index).
    pub b: u32,
    /// The signed change of the weight, in [−2, 2].
    pub delta: f64,
    /// Half-life in days, `+∞` when the change does not decay.
    hl: f64,
    /// Duration in days, `+∞` when the change lasts for ever.
    dur: f64,
}

impl TieEvent {
    /// Builds a tie event, ordering the pair. Half-life and duration, when given, are positive.
    pub fn new(
        day: Day,
        a: u32,
        b: u32,
        delta: f64,
        half_life: Option<f64>,
        duration: Option<f64>,
    ) -> Self {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        TieEvent {
            day,
            a,
            b,
            delta,
            hl: half_life.unwrap_or(f64::INFINITY),
            dur: duration.unwrap_or(f64::INFINITY),
        }
    }

    /// The half-life in days, `None` when the change does not decay.
    #[inline]
    pub fn half_life(&self) -> Option<f64> {
        self.hl.is_finite().then_some(self.hl)
    }

    /// The duration in days, `None` when the change lasts for ever.
    #[inline]
    pub fn duration(&self) -> Option<f64> {
        self.dur.is_finite().then_some(self.dur)
    }

    /// The half-life in days, `+∞` when the change does not decay.
    #[inline]
    pub fn half_life_or_inf(&self) -> f64 {
        self.hl
    }

    /// The duration in days, `+∞` when the change lasts for ever.
    #[inline]
    pub fn duration_or_inf(&self) -> f64 {
        self.dur
    }
}

/// Bytes read from the input per batch; a batch is parsed while the next one is read.
const BATCH: usize = 8 << 20;

/// Bytes per parallel task: a batch is cut into chunks of about this size, at newlines.
const CHUNK: usize = 1 << 20;

/// Reads every row of a tie CSV. `file` names the input in messages.
///
/// The rows are parsed in parallel (rayon): the input is read in batches of whole lines, each
/// batch cut at newlines into chunks, and the chunks' events joined in file order, so the result
/// (and the first error, which is the first in file order) is the same as reading row by row.
/// Cutting at any newline is safe because no field holds a line break: state ids cannot hold
/// control characters, and dates and numbers cannot either, so a quoted field left open at the
/// end of its line is an error, not a field that goes on in the next line.
pub fn read_ties(ds: &Dataset, input: impl BufRead, file: &str) -> Result<Vec<TieEvent>> {
    read_with(ds, input, file, BATCH, CHUNK)
}

fn read_with(
    ds: &Dataset,
    mut input: impl BufRead,
    file: &str,
    batch: usize,
    chunk: usize,
) -> Result<Vec<TieEvent>> {
    let ids = IdTable::new(ds);
    let mut carry = Vec::new();
    let mut pending =
        next_batch(&mut input, &mut carry, batch).map_err(|e| e.into_error(file, 1))?;
    if pending.is_empty() {
        return Err(Error::invalid(
            file,
            "",
            format!("empty file: expected the header {HEADER:?}"),
        ));
    }
    let header_end = pending
        .iter()
        .position(|&b| b == b'\n')
        .map_or(pending.len(), |i| i + 1);
    let columns = header(&pending[..header_end]).map_err(|e| e.at(file, 1))?;
    pending.drain(..header_end);
    if pending.is_empty() {
        // The first batch was the header alone; a batch is empty only at the end of the input.
        pending = next_batch(&mut input, &mut carry, batch).map_err(|e| e.into_error(file, 2))?;
    }
    let mut line_no = 1; // lines consumed so far
    let mut out = Vec::new();
    while !pending.is_empty() {
        // Parse this batch on the pool while this thread reads the next one (the input need
        // not be `Send`: standard input's lock is not).
        let mut parsed = Vec::new();
        let next = rayon::in_place_scope(|scope| {
            scope.spawn(|_| parsed = parse_batch(&pending, &ids, columns, chunk));
            next_batch(&mut input, &mut carry, batch)
        });
        for part in parsed {
            match part {
                Ok((events, lines)) => {
                    out.extend_from_slice(&events);
                    line_no += lines;
                }
                Err((line, e)) => return Err(e.at(file, line_no + line)),
            }
        }
        pending = next.map_err(|e| e.into_error(file, line_no + 1))?;
    }
    Ok(out)
}

/// Why a batch could not be read.
enum BatchError {
    Io(std::io::Error),
    /// A line goes on past [`MAX_LINE_BYTES`](super::MAX_LINE_BYTES) without a newline.
    TooLong,
}

impl BatchError {
    /// The error, for the line `line` (1-based) where reading stopped.
    fn into_error(self, file: &str, line: usize) -> Error {
        match self {
            BatchError::Io(e) => Error::io(file, e),
            BatchError::TooLong => RowError::too_long().at(file, line),
        }
    }
}

/// The next batch of whole lines: `carry` (the unfinished last line of the previous batch), then
/// at least `target` more bytes or up to the end of the input, cut after the last newline; what
/// follows it goes back to `carry`. At the end of the input the batch is the rest (possibly a
/// last line without a newline), and empty once nothing is left.
fn next_batch(
    input: &mut impl Read,
    carry: &mut Vec<u8>,
    target: usize,
) -> std::result::Result<Vec<u8>, BatchError> {
    let mut buf = std::mem::take(carry);
    loop {
        let before = buf.len();
        let n = input
            .by_ref()
            .take(target.max(1) as u64)
            .read_to_end(&mut buf)
            .map_err(BatchError::Io)?;
        if n == 0 {
            return Ok(buf);
        }
        if let Some(i) = buf[before..].iter().rposition(|&b| b == b'\n') {
            carry.extend_from_slice(&buf[before + i + 1..]);
            buf.truncate(before + i + 1);
            return Ok(buf);
        }
        // No newline yet: `buf` is one line, still going on.
        if buf.len() > super::MAX_LINE_BYTES {
            return Err(BatchError::TooLong);
        }
    }
}

/// What [`parse_chunk`] gives for a chunk of whole lines: its events and its number of lines, or
/// the line (1-based within the chunk) and the problem of its first bad row.
type Chunk = std::result::Result<(Vec<TieEvent>, usize), (usize, RowError)>;

/// The rows of a batch of whole lines, parsed in parallel chunks cut at newlines, per chunk in
/// order.
fn parse_batch(batch: &[u8], ids: &IdTable, columns: usize, chunk: usize) -> Vec<Chunk> {
    let mut chunks = Vec::with_capacity(batch.len() / chunk.max(1) + 1);
    let mut start = 0;
    while start < batch.len() {
        // About `chunk` bytes, then on to just after the next newline: no line is split.
        let end = (start + chunk.max(1)).min(batch.len());
        let end = batch[end..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(batch.len(), |i| end + i + 1);
        chunks.push(&batch[start..end]);
        start = end;
    }
    chunks
        .par_iter()
        .map(|c| parse_chunk(c, ids, columns))
        .collect()
}

/// The rows of whole lines (see [`Chunk`]).
fn parse_chunk(b: &[u8], ids: &IdTable, columns: usize) -> Chunk {
    let mut out = Vec::with_capacity(b.len() / 32);
    let mut dates = DateCache::default();
    let (mut pos, mut lines) = (0, 0);
    while pos < b.len() {
        lines += 1;
        // The fast path: a complete, valid data row at `pos`.
        if let Some((e, used)) = fast_row(&b[pos..], ids, &mut dates, columns) {
            out.push(e);
            pos += used;
            continue;
        }
        // Otherwise the line through the general path.
        let end = b[pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |i| pos + i + 1);
        match general_row(&b[pos..end], ids, &mut dates, columns) {
            Ok(Some(e)) => out.push(e),
            Ok(None) => {}
            Err(e) => return Err((lines, e)),
        }
        pos = end;
    }
    Ok((out, lines))
}

/// A problem in one row: the column (1-based) of the field at fault if there is one, and the
/// message.
#[derive(Debug)]
struct RowError {
    column: Option<usize>,
    msg: String,
}

impl RowError {
    fn new(column: usize, msg: String) -> RowError {
        RowError {
            column: Some(column),
            msg,
        }
    }

    fn line(msg: String) -> RowError {
        RowError { column: None, msg }
    }

    fn too_long() -> RowError {
        RowError::line(format!(
            "the line is longer than {} MiB (is this a tie CSV?)",
            super::MAX_LINE_BYTES >> 20
        ))
    }

    /// The error at line `line` of `file`.
    fn at(self, file: &str, line: usize) -> Error {
        let place = match self.column {
            Some(c) => format!("line {line}, column {c}"),
            None => format!("line {line}"),
        };
        Error::invalid(file, place, self.msg)
    }
}

/// A line without its terminator (`\n`, `\r\n`).
fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The header line: the first four, five or six of [`COLUMNS`] (a byte-order mark before it is
/// ignored). Gives the number of columns every row then has.
fn header(line: &[u8]) -> std::result::Result<usize, RowError> {
    let line = trim_eol(line);
    let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    let refuse = || {
        RowError::line(format!(
            "expected the header {HEADER:?} (or its first four or five columns), found {:?}",
            lossy(line)
        ))
    };
    let fields = split_fields(line).map_err(|_| refuse())?;
    let n = fields.len();
    if (MIN_COLUMNS..=COLUMNS.len()).contains(&n)
        && fields
            .iter()
            .zip(COLUMNS)
            .all(|(f, c)| f[..] == *c.as_bytes())
    {
        Ok(n)
    } else {
        Err(refuse())
    }
}

/// Splits one line (without its terminator) into fields as RFC 4180 reads them: a field is
/// either plain text without double quotes, or a double-quoted text in which `""` stands for
/// one quote and commas are part of the field; a quoted field ends on its line. Gives the
/// column and the problem of the first malformed field.
fn split_fields(line: &[u8]) -> std::result::Result<Vec<Cow<'_, [u8]>>, RowError> {
    let mut fields = Vec::with_capacity(COLUMNS.len());
    let mut p = 0;
    loop {
        let column = fields.len() + 1;
        let start = p;
        if line.get(p) == Some(&b'"') {
            // Quoted: up to the closing quote, with `""` as a quote.
            let mut text: Cow<'_, [u8]> = Cow::Borrowed(&[]);
            let mut from = p + 1;
            loop {
                let Some(q) = line[from..].iter().position(|&b| b == b'"') else {
                    return Err(RowError::new(
                        column,
                        format!(
                            "the quoted field {:?} is not closed on its line (a field cannot \
                             span lines)",
                            lossy(&line[p..])
                        ),
                    ));
                };
                let part = &line[from..from + q];
                if from == p + 1 {
                    text = Cow::Borrowed(part);
                } else {
                    text.to_mut().extend_from_slice(part);
                }
                from += q + 1;
                if line.get(from) == Some(&b'"') {
                    text.to_mut().push(b'"');
                    from += 1;
                } else {
                    break;
                }
            }
            fields.push(text);
            p = from;
            match line.get(p) {
                None => return Ok(fields),
                Some(b',') => p += 1,
                Some(_) => {
                    let end = line[p..]
                        .iter()
                        .position(|&b| b == b',')
                        .map_or(line.len(), |i| p + i);
                    return Err(RowError::new(
                        column,
                        format!(
                            "the quoted field {:?} has text after its closing quote",
                            lossy(&line[start..end])
                        ),
                    ));
                }
            }
        } else {
            let end = line[p..]
                .iter()
                .position(|&b| b == b',')
                .map_or(line.len(), |i| p + i);
            let text = &line[p..end];
            if text.contains(&b'"') {
                return Err(RowError::new(
                    column,
                    format!(
                        "a double quote inside an unquoted field {:?} (quote the whole field \
                         and double the quote: \"a\"\"b\")",
                        lossy(text)
                    ),
                ));
            }
            fields.push(Cow::Borrowed(text));
            if end == line.len() {
                return Ok(fields);
            }
            p = end + 1;
        }
    }
}

/// The general path for one line (with its line terminator, if any): blank lines, rows of any
/// valid shape (quoted fields included), and every error message.
fn general_row(
    line: &[u8],
    ids: &IdTable,
    dates: &mut DateCache,
    columns: usize,
) -> std::result::Result<Option<TieEvent>, RowError> {
    if line.len() > super::MAX_LINE_BYTES {
        return Err(RowError::too_long());
    }
    let line = trim_eol(line);
    if line.is_empty() {
        return Ok(None);
    }
    let fields = split_fields(line)?;
    if fields.len() != columns {
        return Err(RowError::line(format!(
            "expected {columns} comma-separated fields, found {}: {:?}",
            fields.len(),
            lossy(line)
        )));
    }
    let day = match dates.get(&fields[0]) {
        Some(d) => d,
        None => {
            let bad = || RowError::new(1, format!("invalid date {:?}", lossy(&fields[0])));
            let s = std::str::from_utf8(&fields[0]).map_err(|_| bad())?;
            let d = to_day(parse_date(s).map_err(|e| RowError::new(1, e))?);
            dates.set(&fields[0], d);
            d
        }
    };
    let state = |k: usize| {
        ids.get(&fields[k]).ok_or_else(|| {
            RowError::new(k + 1, format!("unknown state id {:?}", lossy(&fields[k])))
        })
    };
    let a = state(1)?;
    let b = state(2)?;
    if a == b {
        return Err(RowError::new(
            3,
            format!("a tie of a state with itself ({:?})", lossy(&fields[1])),
        ));
    }
    let delta = number(&fields[3])
        .ok_or_else(|| RowError::new(4, format!("invalid delta {:?}", lossy(&fields[3]))))?;
    if !(-2.0..=2.0).contains(&delta) {
        return Err(RowError::new(
            4,
            format!("delta {delta} is out of range [-2, 2]"),
        ));
    }
    let positive = |k: usize| -> std::result::Result<Option<f64>, RowError> {
        match fields.get(k) {
            None => Ok(None),
            Some(f) if f.is_empty() => Ok(None),
            Some(f) => match number(f) {
                Some(x) if x > 0.0 => Ok(Some(x)),
                _ => Err(RowError::new(
                    k + 1,
                    format!(
                        "invalid {} {:?}: expected a number greater than 0 or nothing",
                        COLUMNS[k],
                        lossy(f)
                    ),
                )),
            },
        }
    };
    let half_life = positive(4)?;
    let duration = positive(5)?;
    Ok(Some(TieEvent::new(day, a, b, delta, half_life, duration)))
}

fn number(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?;
    let x: f64 = s.parse().ok()?;
    x.is_finite().then_some(x)
}

/// The fast path: parses one complete data row of `columns` plain (unquoted) fields at the start
/// of `b` (which must include its `\n`), returning the event and the bytes used, or `None` to
/// leave the row to [`general_row`]. It accepts only rows that the general path accepts with
/// the same result.
#[inline]
fn fast_row(
    b: &[u8],
    ids: &IdTable,
    dates: &mut DateCache,
    columns: usize,
) -> Option<(TieEvent, usize)> {
    if b.len() < 11 || b[10] != b',' {
        return None;
    }
    let day = match dates.get(&b[..10]) {
        Some(d) => d,
        None => {
            let d = fast_date(&b[..10])?;
            dates.set(&b[..10], d);
            d
        }
    };
    let mut p = 11;
    let field = |p: &mut usize| -> Option<&[u8]> {
        let start = *p;
        let n = b[start..].iter().position(|&c| c == b',' || c == b'\n')?;
        if b[start + n] != b',' {
            return None;
        }
        *p = start + n + 1;
        let f = &b[start..start + n];
        // A dataset id holding a quote must come quoted (the general path reads it).
        if ids.quotes && f.contains(&b'"') {
            return None;
        }
        Some(f)
    };
    let a = ids.get(field(&mut p)?)?;
    let bb = ids.get(field(&mut p)?)?;
    if a == bb {
        return None;
    }
    let (delta, used) = fast_number(&b[p..])?;
    p += used;
    if !(-2.0..=2.0).contains(&delta) {
        return None;
    }
    let mut optional = [None, None];
    for slot in optional.iter_mut().take(columns - MIN_COLUMNS) {
        if b.get(p) != Some(&b',') {
            return None;
        }
        p += 1;
        *slot = fast_optional(b, &mut p)?;
    }
    match b.get(p) {
        Some(b'\n') => p += 1,
        Some(b'\r') if b.get(p + 1) == Some(&b'\n') => p += 2,
        _ => return None,
    }
    let [half_life, duration] = optional;
    Some((TieEvent::new(day, a, bb, delta, half_life, duration), p))
}

/// An empty field (`Some(None)`) or a positive number, advancing `p` past it.
#[inline]
fn fast_optional(b: &[u8], p: &mut usize) -> Option<Option<f64>> {
    match b.get(*p) {
        Some(b',' | b'\n' | b'\r') => Some(None),
        _ => {
            let (x, used) = fast_number(&b[*p..])?;
            *p += used;
            (x > 0.0).then_some(Some(x))
        }
    }
}

/// Exact powers of ten (all representable in f64 up to 10²²).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses `-?digits[.digits]` at the start of `b` when its value is exactly `m / 10^k` with
/// `m < 2⁵³` and `k ≤ 22`: both are exact in f64 and the division is correctly rounded, so the
/// result is the `f64` nearest the decimal, as `str::parse` gives. Anything else is `None`.
#[inline]
fn fast_number(b: &[u8]) -> Option<(f64, usize)> {
    let mut p = 0;
    let neg = b.first() == Some(&b'-');
    if neg {
        p = 1;
    }
    let mut m: u64 = 0;
    let mut digits = 0;
    let int_start = p;
    while let Some(&c) = b.get(p) {
        if !c.is_ascii_digit() {
            break;
        }
        m = m.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
        digits += 1;
        p += 1;
    }
    if p == int_start {
        return None;
    }
    let mut k = 0;
    if b.get(p) == Some(&b'.') {
        p += 1;
        while let Some(&c) = b.get(p) {
            if !c.is_ascii_digit() {
                break;
            }
            m = m.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            digits += 1;
            k += 1;
            p += 1;
        }
        if k == 0 {
            return None;
        }
    }
    if digits > 19 || m > (1u64 << 53) || k >= POW10.len() {
        return None;
    }
    let x = m as f64 / POW10[k];
    Some((if neg { -x } else { x }, p))
}

/// `YYYY-MM-DD` from its digits, `None` unless it is a real date.
#[inline]
fn fast_date(b: &[u8]) -> Option<Day> {
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digit = |i: usize| -> Option<u32> {
        let c = b[i];
        c.is_ascii_digit().then(|| u32::from(c - b'0'))
    };
    let y = digit(0)? * 1000 + digit(1)? * 100 + digit(2)? * 10 + digit(3)?;
    let m = digit(5)? * 10 + digit(6)?;
    let d = digit(8)? * 10 + digit(9)?;
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).map(to_day)
}

/// The last date seen, as its ten bytes: rows come in date order, so most rows repeat it.
#[derive(Default)]
struct DateCache {
    key: Option<(u64, u16)>,
    day: Day,
}

impl DateCache {
    #[inline]
    fn key(b: &[u8]) -> Option<(u64, u16)> {
        if b.len() != 10 {
            return None;
        }
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[..8]);
        Some((u64::from_le_bytes(w), u16::from_le_bytes([b[8], b[9]])))
    }

    #[inline]
    fn get(&self, b: &[u8]) -> Option<Day> {
        (self.key.is_some() && Self::key(b) == self.key).then_some(self.day)
    }

    #[inline]
    fn set(&mut self, b: &[u8], day: Day) {
        self.key = Self::key(b);
        self.day = day;
    }
}

/// State ids to dataset indices: open addressing (linear probing, at most half full) keyed by
/// the id's length and first eight bytes; ids longer than eight bytes are compared in full.
struct IdTable<'d> {
    slots: Vec<Slot>,
    mask: usize,
    ids: Vec<&'d [u8]>,
    /// Whether some id holds a double quote (then a plain field holding one must not match it:
    /// such an id is written quoted).
    quotes: bool,
}

#[derive(Clone, Copy)]
struct Slot {
    word: u64,
    len: u32,
    /// Dataset index + 1; 0 = empty.
    index: u32,
}

impl<'d> IdTable<'d> {
    fn new(ds: &'d Dataset) -> IdTable<'d> {
        let cap = (ds.states.len() * 2).next_power_of_two().max(16);
        let mut t = IdTable {
            slots: vec![
                Slot {
                    word: 0,
                    len: 0,
                    index: 0
                };
                cap
            ],
            mask: cap - 1,
            ids: ds.states.iter().map(|s| s.id.as_bytes()).collect(),
            quotes: ds.states.iter().any(|s| s.id.contains('"')),
        };
        for i in 0..t.ids.len() {
            let id = t.ids[i];
            let word = Self::word(id);
            let mut h = Self::hash(word, id.len()) & t.mask;
            while t.slots[h].index != 0 {
                h = (h + 1) & t.mask;
            }
            t.slots[h] = Slot {
                word,
                len: id.len() as u32,
                index: i as u32 + 1,
            };
        }
        t
    }

    #[inline]
    fn word(b: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        let n = b.len().min(8);
        w[..n].copy_from_slice(&b[..n]);
        u64::from_le_bytes(w)
    }

    #[inline]
    fn hash(word: u64, len: usize) -> usize {
        ((word ^ (len as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize
    }

    /// The dataset index of a state id.
    #[inline]
    fn get(&self, b: &[u8]) -> Option<u32> {
        let word = Self::word(b);
        let mut h = Self::hash(word, b.len()) & self.mask;
        loop {
            let s = self.slots[h];
            if s.index == 0 {
                return None;
            }
            if s.word == word
                && s.len as usize == b.len()
                && (b.len() <= 8 || self.ids[s.index as usize - 1] == b)
            {
                return Some(s.index - 1);
            }
            h = (h + 1) & self.mask;
        }
    }
}

fn lossy(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(57).collect::<String>())
    } else {
        s.into_owned()
    }
}

/// Writes tie events as a tie CSV (header included), ids quoted as RFC 4180 needs
/// ([`crate::base::csv::field`]), so that [`read_ties`] reads back the same events.
pub fn write_ties(
    ds: &Dataset,
    ties: &[TieEvent],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    writeln!(w, "{HEADER}")?;
    let ids: Vec<Cow<'_, str>> = ds.states.iter().map(|s| csv_field(&s.id)).collect();
    for t in ties {
        let date = crate::date::fmt_date(crate::date::from_day(t.day));
        write!(
            w,
            "{date},{},{},{}",
            ids[t.a as usize], ids[t.b as usize], t.delta
        )?;
        match t.half_life() {
            Some(h) => write!(w, ",{h}")?,
            None => write!(w, ",")?,
        }
        match t.duration() {
            Some(d) => writeln!(w, ",{d}")?,
            None => writeln!(w, ",")?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ds() -> Dataset {
        crate::dataset::load_str(
            r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"}]}"#,
            "t",
        )
        .unwrap()
    }

    /// The general path alone, line by line, in one thread: the reference for the fast path
    /// and the parallel reader.
    fn reference(ds: &Dataset, text: &[u8], file: &str) -> Result<Vec<TieEvent>> {
        let ids = IdTable::new(ds);
        let mut dates = DateCache::default();
        let mut out = Vec::new();
        let mut lines = text.split_inclusive(|&b| b == b'\n');
        let Some(first) = lines.next() else {
            return Err(Error::invalid(
                file,
                "",
                format!("empty file: expected the header {HEADER:?}"),
            ));
        };
        let columns = header(first).map_err(|e| e.at(file, 1))?;
        for (i, line) in lines.enumerate() {
            match general_row(line, &ids, &mut dates, columns) {
                Ok(Some(e)) => out.push(e),
                Ok(None) => {}
                Err(e) => return Err(e.at(file, i + 2)),
            }
        }
        Ok(out)
    }

    /// A reader that hands out at most `step` bytes per call.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            // well-formed numbers, as the fast path sees them
            (-250i64..250, 0u32..4).prop_map(|(m, k)| {
                let x = m as f64 / 10f64.powi(k as i32);
                format!("{x}")
            }),
            (0u64..(1 << 54), 0usize..25).prop_map(|(m, k)| {
                let s = m.to_string();
                if k == 0 || k >= s.len() {
                    s
                } else {
                    format!("{}.{}", &s[..s.len() - k], &s[s.len() - k..])
                }
            }),
            // everything else the general path may accept or reject
            Just(String::new()),
            Just("1e-3".to_string()),
            Just("+0.5".to_string()),
            Just(".5".to_string()),
            Just("5.".to_string()),
            Just("-0".to_string()),
            Just("0".to_string()),
            Just("2.0000000000000000001".to_string()),
            Just("0.30000000000000004441".to_string()),
            Just("inf".to_string()),
            Just(" 1".to_string()),
            Just("-".to_string()),
            Just("3".to_string()),
        ]
    }

    /// A row as its six fields and its line end; no fields is a blank line.
    type Row = (Vec<String>, &'static str);

    /// Joins the first `columns` fields of each row (all six and one more for some rows, to
    /// give wrong field counts) after `header` columns.
    fn text_of(rows: &[(Row, u8)], columns: usize) -> String {
        let mut text = format!("{}\n", COLUMNS[..columns].join(","));
        for ((fields, end), extra) in rows {
            let n = match extra {
                0 => fields.len(),
                1 => columns + 1,
                _ => columns,
            };
            text.push_str(&fields[..n.min(fields.len())].join(","));
            text.push_str(end);
        }
        text
    }

    /// Ids as the rows may hold them: known, unknown, empty, quoted well and badly.
    fn id_field() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("A"),
            Just("B"),
            Just("LONGER_THAN_8"),
            Just("LONGER_THAN_9"),
            Just("Z"),
            Just(""),
            Just("\"A\""),
            Just("\"X,Y\""),
            Just("X,Y"),
            Just("\"Q\"\"Q\""),
            Just("Q\"Q"),
            Just("\"Q\"Q\""),
            Just("\"A"),
            Just("\"\""),
        ]
        .prop_map(str::to_string)
    }

    fn row() -> impl Strategy<Value = Row> {
        let date = prop_oneof![
            Just("2020-01-01"),
            Just("2020-01-01"),
            Just("2020-01-02"),
            Just("2020-02-30"),
            Just("2020-1-01"),
            Just("1999-12-31"),
            Just("0000-01-01"),
            Just("\"2020-01-02\""),
        ];
        let end = prop_oneof![
            Just("\n"),
            Just("\n"),
            Just("\r\n"),
            Just("\r\r\n"),
            Just(",\n")
        ];
        (
            date,
            id_field(),
            id_field(),
            cell(),
            cell(),
            cell(),
            end,
            0u8..20,
        )
            .prop_map(|(d, a, b, x, h, u, end, blank)| {
                if blank == 0 {
                    (vec![], "\n")
                } else {
                    (vec![d.to_string(), a, b, x, h, u], end)
                }
            })
    }

    /// Valid rows, mostly of the fast path's shapes.
    fn good_row() -> impl Strategy<Value = Row> {
        let date = prop_oneof![Just("2020-01-01"), Just("2020-01-02"), Just("2021-03-04")];
        let ids = prop_oneof![
            Just(("A", "B")),
            Just(("B", "A")),
            Just(("LONGER_THAN_8", "A")),
            Just(("LONGER_THAN_9", "LONGER_THAN_8")),
            Just(("\"X,Y\"", "A")),
            Just(("B", "\"Q\"\"Q\"")),
        ];
        let delta = prop_oneof![
            (-200i64..=200).prop_map(|m| format!("{}", m as f64 / 100.0)),
            Just("1e-1".to_string()),
            Just("-0".to_string()),
            Just("2.01".to_string()),
            Just("-7".to_string()),
        ];
        let pos = prop_oneof![
            Just(String::new()),
            (1u32..1000).prop_map(|x| x.to_string()),
            (1u32..1000).prop_map(|x| format!("{}", f64::from(x) / 8.0)),
            Just("3e1".to_string()),
            Just("0".to_string()),
            Just("-1".to_string()),
        ];
        let end = prop_oneof![4 => Just("\n"), 1 => Just("\r\n")];
        (date, ids, delta, pos.clone(), pos, end).prop_map(|(d, (a, b), x, h, u, end)| {
            (
                vec![d.to_string(), a.to_string(), b.to_string(), x, h, u],
                end,
            )
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

        #[test]
        fn fast_parallel_reader_equals_the_general_path(
            rows in proptest::collection::vec(
                (prop_oneof![12 => good_row(), 1 => row()], prop_oneof![20 => Just(2u8), 1 => Just(0), 1 => Just(1)]),
                0..30,
            ),
            columns in prop_oneof![4 => Just(6usize), 1 => Just(4), 1 => Just(5)],
            last_newline in proptest::bool::ANY,
            batch in 1usize..64,
            chunk in 1usize..64,
            step in 1usize..50,
        ) {
            let ds = ds4();
            let mut text = text_of(&rows, columns);
            if !last_newline && text.ends_with('\n') {
                text.pop();
            }
            let want = reference(&ds, text.as_bytes(), "t.csv").map_err(|e| e.to_string());
            let reader = std::io::BufReader::new(Trickle { data: text.as_bytes(), step });
            let got = read_with(&ds, reader, "t.csv", batch, chunk).map_err(|e| e.to_string());
            proptest::prop_assert_eq!(&got, &want);
            let got = read_ties(&ds, text.as_bytes(), "t.csv").map_err(|e| e.to_string());
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn fast_numbers_are_those_of_str_parse(m in 0u64..(1 << 60), k in 0usize..30, neg in proptest::bool::ANY) {
            let digits = m.to_string();
            let s = if k == 0 || k >= digits.len() { digits } else {
                format!("{}.{}", &digits[..digits.len() - k], &digits[digits.len() - k..])
            };
            let s = if neg { format!("-{s}") } else { s };
            if let Some((x, used)) = fast_number(s.as_bytes()) {
                proptest::prop_assert_eq!(used, s.len());
                proptest::prop_assert_eq!(x.to_bits(), s.parse::<f64>().unwrap().to_bits(), "{}", s);
            }
        }

        /// Any ids a dataset accepts (commas, quotes, spaces inside, any script) and
        /// any tie events: what `write_ties` writes, `read_ties` reads back the same, also in
        /// small parallel chunks.
        #[test]
        fn written_ties_read_back_the_same(
            ids in proptest::collection::btree_set("[ -~\u{a0}-\u{2ff}\u{400}-\u{4ff}\u{4e00}-\u{4e20}]{1,12}", 2..12),
            raw in proptest::collection::vec(
                (0i32..3000, 0usize..64, 0usize..64, -200i64..=200, proptest::option::of(1u32..500), proptest::option::of(1u32..500)),
                0..40,
            ),
            chunk in 1usize..200,
        ) {
            // The ids a dataset accepts: those its one id rule passes.
            let ids: Vec<String> = ids
                .into_iter()
                .filter(|s| crate::dataset::load::id_problem(s).is_none())
                .collect();
            prop_assume!(ids.len() >= 2);
            let states: Vec<_> = ids.iter().map(|i| serde_json::json!({"id": i, "name": "n"})).collect();
            let json = serde_json::json!({"name": "t", "states": states}).to_string();
            let ds = crate::dataset::load_str(&json, "t").unwrap();
            let n = ds.states.len();
            let ties: Vec<TieEvent> = raw
                .iter()
                .filter(|r| r.1 % n != r.2 % n)
                .map(|&(d, a, b, x, h, u)| {
                    TieEvent::new(
                        d,
                        (a % n) as u32,
                        (b % n) as u32,
                        x as f64 / 100.0,
                        h.map(|h| f64::from(h) / 4.0),
                        u.map(f64::from),
                    )
                })
                .collect();
            let mut text = Vec::new();
            write_ties(&ds, &ties, &mut text).unwrap();
            let back = read_with(&ds, &text[..], "t.csv", chunk, chunk).unwrap();
            proptest::prop_assert_eq!(&back, &ties);
            let back = read_ties(&ds, &text[..], "t.csv").unwrap();
            proptest::prop_assert_eq!(back, ties);
        }
    }

    fn ds4() -> Dataset {
        crate::dataset::load_str(
            r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"},
            {"id":"LONGER_THAN_8","name":"L"},{"id":"LONGER_THAN_9","name":"M"},
            {"id":"X,Y","name":"X"},{"id":"Q\"Q","name":"Q"}]}"#,
            "t",
        )
        .unwrap()
    }

    #[test]
    fn fast_path_takes_the_common_shapes() {
        let ids_ds = ds4();
        let ids = IdTable::new(&ids_ds);
        let mut dates = DateCache::default();
        for row in [
            "2020-01-01,A,B,0.5,,\n",
            "2020-01-01,B,A,-1,30,90\r\n",
            "2020-01-03,LONGER_THAN_8,LONGER_THAN_9,0.125,1.5,\n",
        ] {
            let (_, used) = fast_row(row.as_bytes(), &ids, &mut dates, 6).expect(row);
            assert_eq!(used, row.len());
        }
        for row in [
            "2020-01-01,A,B,1e-1,,\n",
            "2020-01-01,A,A,0.5,,\n",
            "2020-01-01,A,B,0.5,,",
        ] {
            assert!(
                fast_row(row.as_bytes(), &ids, &mut dates, 6).is_none(),
                "{row}"
            );
        }
        assert_eq!(ids.get(b"LONGER_THAN_9"), Some(3));
        assert_eq!(ids.get(b"LONGER_THAN_"), None);
        assert_eq!(ids.get(b"A\0"), None);
    }

    #[test]
    fn reads_rows_and_crlf() {
        let text = format!("{HEADER}\r\n2020-01-01,B,A,0.5,,\r\n2020-01-02,A,B,-1,30,90\n");
        let t = read_ties(&ds(), text.as_bytes(), "t.csv").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].a, t[0].b, t[0].delta), (0, 1, 0.5));
        assert_eq!(
            (t[1].half_life(), t[1].duration()),
            (Some(30.0), Some(90.0))
        );
    }

    #[test]
    fn errors_name_line_and_value() {
        let cases = [
            ("date,a,b\n", "t.csv: line 1: expected the header"),
            (
                &format!("{HEADER}\n2020-01-01,A,Z,0.5,,\n"),
                "t.csv: line 2, column 3: unknown state id \"Z\"",
            ),
            (
                &format!("{HEADER}\n2020-02-30,A,B,0.5,,\n"),
                "t.csv: line 2, column 1: invalid date \"2020-02-30\"",
            ),
            (
                &format!("{HEADER}\n2020-01-01,A,B,NaN,,\n"),
                "t.csv: line 2, column 4: invalid delta \"NaN\"",
            ),
            (
                &format!("{HEADER}\n2020-01-01,A,B,0.1,0,\n"),
                "line 2, column 5: invalid half_life_days \"0\"",
            ),
            (
                &format!("{HEADER}\n2020-01-01,A,B,0.1\n"),
                "line 2: expected 6 comma-separated fields, found 4",
            ),
            ("", "t.csv: empty file"),
        ];
        for (text, want) in cases {
            let e = read_ties(&ds(), text.as_bytes(), "t.csv")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{e} does not contain {want}");
        }
    }

    #[test]
    fn four_and_five_column_files() {
        let text = "date,a,b,delta\n2020-01-01,A,B,0.5\n\"2020-01-02\",B,A,-1\n";
        let t = read_ties(&ds(), text.as_bytes(), "t.csv").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!((t[1].a, t[1].b, t[1].delta), (0, 1, -1.0));
        assert_eq!((t[0].half_life(), t[0].duration()), (None, None));
        let text = "date,a,b,delta,half_life_days\n2020-01-01,A,B,0.5,30\n2020-01-01,A,B,0.5,\n";
        let t = read_ties(&ds(), text.as_bytes(), "t.csv").unwrap();
        assert_eq!((t[0].half_life(), t[1].half_life()), (Some(30.0), None));
        for (text, want) in [
            (
                "date,a,b,delta\n2020-01-01,A,B,0.5,,\n",
                "t.csv: line 2: expected 4 comma-separated fields, found 6",
            ),
            (
                "date,a,b\n2020-01-01,A,B\n",
                "t.csv: line 1: expected the header \"date,a,b,delta,half_life_days,duration_days\" (or its first four or five columns), found \"date,a,b\"",
            ),
            (
                "date,a,b,delta,duration_days\n",
                "found \"date,a,b,delta,duration_days\"",
            ),
            ("\"date,a\",b,delta\n", "line 1: expected the header"),
        ] {
            let e = read_ties(&ds(), text.as_bytes(), "t.csv")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{e} does not contain {want}");
        }
    }

    #[test]
    fn quoted_fields_follow_rfc_4180() {
        let ds = ds4();
        let text = "\"date\",a,\"b\",delta,half_life_days,duration_days\n\
             \"2020-01-01\",\"X,Y\",\"Q\"\"Q\",\"0.5\",\"\",\"30\"\n\
             2020-01-01,\"A\",B,0.25,,\r\n";
        let t = read_ties(&ds, text.as_bytes(), "t.csv").unwrap();
        assert_eq!(
            t,
            [
                TieEvent::new(t[0].day, 4, 5, 0.5, None, Some(30.0)),
                TieEvent::new(t[0].day, 0, 1, 0.25, None, None)
            ]
        );
        for (row, want) in [
            (
                "2020-01-01,\"A,B,0.5,,",
                "line 2, column 2: the quoted field \"\\\"A,B,0.5,,\" is not closed on its line (a field cannot span lines)",
            ),
            (
                "2020-01-01,\"Q\"Q,B,0.5,,",
                "line 2, column 2: the quoted field \"\\\"Q\\\"Q\" has text after its closing quote",
            ),
            (
                "2020-01-01,Q\"Q,B,0.5,,",
                "line 2, column 2: a double quote inside an unquoted field \"Q\\\"Q\"",
            ),
            (
                "2020-01-01,X,Y,B,0.5,,",
                "line 2: expected 6 comma-separated fields, found 7",
            ),
        ] {
            let text = format!("{HEADER}\n{row}\n");
            let e = read_ties(&ds, text.as_bytes(), "t.csv")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{e} does not contain {want}");
        }
    }

    #[test]
    fn a_quote_left_open_does_not_join_the_next_line() {
        // Were a quoted field to go on past its newline, these two lines would be one row of
        // six fields with an id "A\n2020-01-01,B"; they are a bad row instead, cut at the
        // newline, as the parallel reader cuts.
        let text = format!("{HEADER}\n2020-01-01,\"A\n2020-01-01,B\",B,0.5,,\n");
        let e = read_with(&ds(), text.as_bytes(), "t.csv", 1, 1)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.csv: line 2, column 2: the quoted field \"\\\"A\" is not closed"),
            "{e}"
        );
    }

    #[test]
    fn parallel_chunks_keep_file_order_and_the_first_error() {
        let ds = ds();
        let mut text = format!("{HEADER}\n");
        let mut want = Vec::new();
        for i in 0..5000 {
            let day = 18000 + i / 7;
            let date = crate::date::fmt_date(crate::date::from_day(day));
            let (a, b) = if i % 3 == 0 { ("A", "B") } else { ("B", "A") };
            let x = f64::from(i % 200 - 100) / 100.0;
            text.push_str(&format!("{date},{a},{b},{x},,\n"));
            want.push(TieEvent::new(day, 0, 1, x, None, None));
        }
        for (batch, chunk) in [(1, 1), (100, 37), (4096, 512), (BATCH, CHUNK)] {
            let got = read_with(&ds, text.as_bytes(), "t.csv", batch, chunk).unwrap();
            assert_eq!(got, want, "batch {batch}, chunk {chunk}");
        }
        // Errors on lines 3002 and 4502: the first one in the file is reported, with its line
        // number counted across batches and chunks.
        let mut lines: Vec<&str> = text.lines().collect();
        lines[3001] = "2020-01-01,A,Z,0.5,,";
        lines[4501] = "2020-01-01,A,A,0.5,,";
        let bad = lines.join("\n");
        for (batch, chunk) in [(1, 1), (100, 37), (4096, 512), (BATCH, CHUNK)] {
            let e = read_with(&ds, bad.as_bytes(), "t.csv", batch, chunk)
                .unwrap_err()
                .to_string();
            assert_eq!(
                e, "t.csv: line 3002, column 3: unknown state id \"Z\"",
                "batch {batch}, chunk {chunk}"
            );
        }
    }

    #[test]
    fn an_endless_line_is_refused_with_its_number() {
        let mut text = format!("{HEADER}\n2020-01-01,A,B,0.5,,\n").into_bytes();
        text.resize(text.len() + super::super::MAX_LINE_BYTES + 10, b'7');
        let e = read_with(&ds(), &text[..], "t.csv", 1 << 20, 1 << 16)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "t.csv: line 3: the line is longer than 16 MiB (is this a tie CSV?)"
        );
    }
}
