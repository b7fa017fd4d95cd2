//! The tie CSV: `date,a,b,delta,half_life_days,duration_days`, one tie event per row, the last
//! two fields possibly empty. As analysis input it is strict: a missing header, a malformed row or
//! an unknown state id is an error naming the file, the line and the value.
//!
//! The reader is built for event files of millions of rows. It reads large blocks into one
//! reused buffer and parses each row in place with a byte-level fast path: the date compared with
//! the previous row's (rows come in date order) and otherwise parsed from its digits, state ids
//! interned through a small open-addressing table keyed by the id's first eight bytes, and
//! numbers of the common shape `-?digits[.digits]` converted exactly (an integer below 2⁵³ divided
//! by an exact power of ten: one correctly rounded IEEE division, hence the same `f64` as
//! `str::parse`). Any row the fast path does not accept in full, from a blank line to an exponent
//! or an error, goes through the general path below, which is the reference: it decides what is
//! valid and words every message. No allocation per row.

use crate::dataset::Dataset;
use crate::date::{parse_date, to_day, Day};
use crate::error::{Error, Result};
use std::io::BufRead;

/// The header line every tie CSV starts with.
pub const HEADER: &str = "date,a,b,delta,half_life_days,duration_days";

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

/// Size of the blocks read from the input.
const BLOCK: usize = 1 << 20;

/// Reads every row of a tie CSV. `file` names the input in messages.
pub fn read_ties(ds: &Dataset, input: impl BufRead, file: &str) -> Result<Vec<TieEvent>> {
    read_blocks(ds, input, file, BLOCK)
}

fn read_blocks(
    ds: &Dataset,
    mut input: impl BufRead,
    file: &str,
    block: usize,
) -> Result<Vec<TieEvent>> {
    let ids = IdTable::new(ds);
    let mut out = Vec::new();
    let mut buf = vec![0u8; block.max(1)];
    let (mut pos, mut len) = (0usize, 0usize);
    let mut eof = false;
    let mut line_no = 0usize;
    let mut dates = DateCache::default();
    loop {
        // The fast path: a complete, valid data row at `pos`.
        if line_no > 0 {
            if let Some((e, used)) = fast_row(&buf[pos..len], &ids, &mut dates) {
                out.push(e);
                pos += used;
                line_no += 1;
                continue;
            }
        }
        // Otherwise one line through the general path, reading more input if needed.
        let line_end = match buf[pos..len].iter().position(|&b| b == b'\n') {
            Some(i) => pos + i + 1,
            None if eof => len,
            None => {
                buf.copy_within(pos..len, 0);
                len -= pos;
                pos = 0;
                if len == buf.len() {
                    buf.resize(buf.len() * 2, 0); // a line longer than the buffer
                }
                let n = loop {
                    match input.read(&mut buf[len..]) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(Error::io(file, e)),
                    }
                };
                eof = n == 0;
                len += n;
                continue;
            }
        };
        if line_end == pos {
            break; // end of input
        }
        line_no += 1;
        let line = &buf[pos..line_end];
        pos = line_end;
        if let Some(e) = general_row(line, line_no, &ids, &mut dates, file)? {
            out.push(e);
        }
    }
    if line_no == 0 {
        return Err(Error::invalid(
            file,
            "",
            format!("empty file: expected the header {HEADER:?}"),
        ));
    }
    Ok(out)
}

/// The general path for one line (with its line terminator, if any): the header, blank lines,
/// rows of any valid shape, and every error message.
fn general_row(
    line: &[u8],
    line_no: usize,
    ids: &IdTable,
    dates: &mut DateCache,
    file: &str,
) -> Result<Option<TieEvent>> {
    let mut line = line;
    if let Some(l) = line.strip_suffix(b"\n") {
        line = l;
    }
    if let Some(l) = line.strip_suffix(b"\r") {
        line = l;
    }
    if line_no == 1 {
        let l = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        if l != HEADER.as_bytes() {
            return Err(Error::invalid(
                file,
                "line 1",
                format!("expected the header {HEADER:?}, found {:?}", lossy(l)),
            ));
        }
        return Ok(None);
    }
    if line.is_empty() {
        return Ok(None);
    }
    let row_err = |col: usize, msg: String| {
        Error::invalid(file, format!("line {line_no}, column {col}"), msg)
    };
    let mut fields = [&[][..]; 6];
    let mut count = 0;
    for f in line.split(|&b| b == b',') {
        if count < 6 {
            fields[count] = f;
        }
        count += 1;
    }
    if count != 6 {
        return Err(Error::invalid(
            file,
            format!("line {line_no}"),
            format!(
                "expected 6 comma-separated fields, found {count}: {:?}",
                lossy(line)
            ),
        ));
    }
    let day = match dates.get(fields[0]) {
        Some(d) => d,
        None => {
            let s = std::str::from_utf8(fields[0])
                .map_err(|_| row_err(1, format!("invalid date {:?}", lossy(fields[0]))))?;
            let d = to_day(parse_date(s).map_err(|e| row_err(1, e))?);
            dates.set(fields[0], d);
            d
        }
    };
    let state = |k: usize| -> Result<u32> {
        ids.get(fields[k])
            .ok_or_else(|| row_err(k + 1, format!("unknown state id {:?}", lossy(fields[k]))))
    };
    let a = state(1)?;
    let b = state(2)?;
    if a == b {
        return Err(row_err(
            3,
            format!("a tie of a state with itself ({:?})", lossy(fields[1])),
        ));
    }
    let delta = number(fields[3])
        .ok_or_else(|| row_err(4, format!("invalid delta {:?}", lossy(fields[3]))))?;
    if !(-2.0..=2.0).contains(&delta) {
        return Err(row_err(4, format!("delta {delta} is out of range [-2, 2]")));
    }
    let positive = |k: usize, what: &str| -> Result<Option<f64>> {
        if fields[k].is_empty() {
            return Ok(None);
        }
        match number(fields[k]) {
            Some(x) if x > 0.0 => Ok(Some(x)),
            _ => Err(row_err(
                k + 1,
                format!(
                    "invalid {what} {:?}: expected a number greater than 0 or nothing",
                    lossy(fields[k])
                ),
            )),
        }
    };
    let half_life = positive(4, "half_life_days")?;
    let duration = positive(5, "duration_days")?;
    Ok(Some(TieEvent::new(day, a, b, delta, half_life, duration)))
}

fn number(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?;
    let x: f64 = s.parse().ok()?;
    x.is_finite().then_some(x)
}

/// The fast path: parses one complete data row at the start of `b` (which must include its
/// `\n`), returning the event and the bytes used, or `None` to leave the row to
/// [`general_row`]. It accepts only rows that the general path accepts with the same result.
#[inline]
fn fast_row(b: &[u8], ids: &IdTable, dates: &mut DateCache) -> Option<(TieEvent, usize)> {
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
        Some(&b[start..start + n])
    };
    let a = ids.get(field(&mut p)?)?;
    let bb = ids.get(field(&mut p)?)?;
    if a == bb {
        return None;
    }
    let (delta, used) = fast_number(&b[p..])?;
    p += used;
    if b.get(p) != Some(&b',') || !(-2.0..=2.0).contains(&delta) {
        return None;
    }
    p += 1;
    let half_life = fast_optional(b, &mut p)?;
    if b.get(p) != Some(&b',') {
        return None;
    }
    p += 1;
    let duration = fast_optional(b, &mut p)?;
    match b.get(p) {
        Some(b'\n') => p += 1,
        Some(b'\r') if b.get(p + 1) == Some(&b'\n') => p += 2,
        _ => return None,
    }
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

/// Writes tie events as a tie CSV (header included).
pub fn write_ties(
    ds: &Dataset,
    ties: &[TieEvent],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    writeln!(w, "{HEADER}")?;
    for t in ties {
        let date = crate::date::fmt_date(crate::date::from_day(t.day));
        write!(
            w,
            "{date},{},{},{}",
            ds.states[t.a as usize].id, ds.states[t.b as usize].id, t.delta
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

    /// The general path alone, line by line: the reference for the fast path.
    fn reference(ds: &Dataset, text: &[u8], file: &str) -> Result<Vec<TieEvent>> {
        let ids = IdTable::new(ds);
        let mut dates = DateCache::default();
        let mut out = Vec::new();
        let mut line_no = 0;
        for line in text.split_inclusive(|&b| b == b'\n') {
            line_no += 1;
            if let Some(e) = general_row(line, line_no, &ids, &mut dates, file)? {
                out.push(e);
            }
        }
        if line_no == 0 {
            return Err(Error::invalid(file, "", "empty file"));
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

    fn row() -> impl Strategy<Value = String> {
        let date = prop_oneof![
            Just("2020-01-01"),
            Just("2020-01-01"),
            Just("2020-01-02"),
            Just("2020-02-30"),
            Just("2020-1-01"),
            Just("1999-12-31"),
            Just("0000-01-01"),
        ];
        let id = prop_oneof![
            Just("A"),
            Just("B"),
            Just("LONGER_THAN_8"),
            Just("LONGER_THAN_9"),
            Just("Z"),
            Just("")
        ];
        let end = prop_oneof![
            Just("\n"),
            Just("\n"),
            Just("\r\n"),
            Just("\r\r\n"),
            Just(",\n")
        ];
        (date, id.clone(), id, cell(), cell(), cell(), end, 0u8..20).prop_map(
            |(d, a, b, x, h, u, end, blank)| {
                if blank == 0 {
                    "\n".to_string()
                } else {
                    format!("{d},{a},{b},{x},{h},{u}{end}")
                }
            },
        )
    }

    /// Valid rows, mostly of the fast path's shapes.
    fn good_row() -> impl Strategy<Value = String> {
        let date = prop_oneof![Just("2020-01-01"), Just("2020-01-02"), Just("2021-03-04")];
        let ids = prop_oneof![
            Just(("A", "B")),
            Just(("B", "A")),
            Just(("LONGER_THAN_8", "A")),
            Just(("LONGER_THAN_9", "LONGER_THAN_8"))
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
        (date, ids, delta, pos.clone(), pos, end)
            .prop_map(|(d, (a, b), x, h, u, end)| format!("{d},{a},{b},{x},{h},{u}{end}"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

        #[test]
        fn fast_reader_equals_the_general_path(
            rows in proptest::collection::vec(prop_oneof![12 => good_row(), 1 => row()], 0..30),
            last_newline in proptest::bool::ANY,
            block in 1usize..64,
            step in 1usize..50,
        ) {
            let ds = ds4();
            let mut text = format!("{HEADER}\n");
            for r in &rows {
                text.push_str(r);
            }
            if !last_newline && text.ends_with('\n') {
                text.pop();
            }
            let want = reference(&ds, text.as_bytes(), "t.csv").map_err(|e| e.to_string());
            let reader = std::io::BufReader::new(Trickle { data: text.as_bytes(), step });
            let got = read_blocks(&ds, reader, "t.csv", block).map_err(|e| e.to_string());
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
    }

    fn ds4() -> Dataset {
        crate::dataset::load_str(
            r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"},
            {"id":"LONGER_THAN_8","name":"L"},{"id":"LONGER_THAN_9","name":"M"}]}"#,
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
            let (_, used) = fast_row(row.as_bytes(), &ids, &mut dates).expect(row);
            assert_eq!(used, row.len());
        }
        for row in [
            "2020-01-01,A,B,1e-1,,\n",
            "2020-01-01,A,A,0.5,,\n",
            "2020-01-01,A,B,0.5,,",
        ] {
            assert!(
                fast_row(row.as_bytes(), &ids, &mut dates).is_none(),
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
}
