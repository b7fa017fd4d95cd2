//! The tie CSV: `date,a,b,delta,half_life_days,duration_days`, one tie event per row, the last
//! two fields possibly empty. As analysis input it is strict: a missing header, a malformed row or
//! an unknown state id is an error naming the file, the line and the value.
//!
//! The reader works on bytes, one line at a time from a reused buffer, and interns state ids
//! through a hash map from id bytes to the dataset index: no allocation per row.

use crate::dataset::Dataset;
use crate::date::{parse_date, to_day};
use crate::error::{Error, Result};
use crate::model::TieEvent;
use std::collections::HashMap;
use std::io::BufRead;

/// The header line every tie CSV starts with.
pub const HEADER: &str = "date,a,b,delta,half_life_days,duration_days";

/// Reads every row of a tie CSV. `file` names the input in messages.
pub fn read_ties(ds: &Dataset, mut input: impl BufRead, file: &str) -> Result<Vec<TieEvent>> {
    let ids: HashMap<&[u8], u32> = ds
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_bytes(), i as u32))
        .collect();
    let mut out = Vec::new();
    let mut buf = Vec::with_capacity(256);
    let mut line_no = 0usize;
    let mut last_date: (Vec<u8>, i32) = (Vec::new(), 0);
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::io(file, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let mut line: &[u8] = &buf;
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
            continue;
        }
        if line.is_empty() {
            continue;
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
        let day = if fields[0] == last_date.0.as_slice() {
            last_date.1
        } else {
            let s = std::str::from_utf8(fields[0])
                .map_err(|_| row_err(1, format!("invalid date {:?}", lossy(fields[0]))))?;
            let d = to_day(parse_date(s).map_err(|e| row_err(1, e))?);
            last_date = (fields[0].to_vec(), d);
            d
        };
        let state = |k: usize| -> Result<u32> {
            ids.get(fields[k])
                .copied()
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
        out.push(TieEvent::new(day, a, b, delta, half_life, duration));
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

fn number(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?;
    let x: f64 = s.parse().ok()?;
    x.is_finite().then_some(x)
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

    fn ds() -> Dataset {
        crate::dataset::load_str(
            r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"}]}"#,
            "t",
        )
        .unwrap()
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
