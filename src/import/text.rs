//! Line-oriented reading of the delimited text files the importers take: one line at a time
//! from a reused buffer (never the whole file), CRLF or LF endings, a leading byte-order mark
//! ignored, and field splitting for comma-separated (with double-quote quoting) and
//! tab-separated rows.

use crate::error::{Error, Result};
use std::io::BufRead;

/// Reads a text file line by line. Lines are returned without their ending (`\n` or `\r\n`).
pub struct Lines<R> {
    input: R,
    buf: Vec<u8>,
    /// Number of the line last returned (1-based).
    pub line_no: usize,
    file: String,
}

impl<R: BufRead> Lines<R> {
    /// Reads lines from `input`, naming `file` in errors.
    pub fn new(input: R, file: &str) -> Self {
        Lines {
            input,
            buf: Vec::with_capacity(1024),
            line_no: 0,
            file: file.to_string(),
        }
    }

    /// The next line as text (invalid UTF-8 is replaced, never an error), or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<String>> {
        self.buf.clear();
        let n = self
            .input
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::io(&self.file, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        let mut line: &[u8] = &self.buf;
        if let Some(l) = line.strip_suffix(b"\n") {
            line = l;
        }
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        if self.line_no == 1 {
            line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        }
        Ok(Some(String::from_utf8_lossy(line).into_owned()))
    }
}

/// Splits a comma-separated row. Fields may be quoted with `"` (a doubled `""` inside quotes is
/// one quote); surrounding spaces of unquoted fields are kept. Returns `None` for an unclosed
/// quote.
pub fn split_csv(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == ',' {
            out.push(std::mem::take(&mut field));
            was_quoted = false;
        } else if c == '"' && field.is_empty() && !was_quoted {
            quoted = true;
            was_quoted = true;
        } else {
            field.push(c);
        }
    }
    if quoted {
        return None;
    }
    out.push(field);
    Some(out)
}

/// Finds the columns named in `wanted` in a header row (exact names, surrounding spaces
/// ignored). Returns their positions, or the first missing name.
pub fn columns(header: &[String], wanted: &[&str]) -> std::result::Result<Vec<usize>, String> {
    wanted
        .iter()
        .map(|w| {
            header
                .iter()
                .position(|h| h.trim() == *w)
                .ok_or_else(|| (*w).to_string())
        })
        .collect()
}

/// The last component of a path (for outputs that must not depend on where the input was).
pub fn base_name(file: &str) -> String {
    std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Shortens a value for a message.
pub fn show(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(57).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_strip_crlf_and_bom() {
        let mut l = Lines::new("\u{feff}a,b\r\nc\n\nd".as_bytes(), "t");
        let mut got = Vec::new();
        while let Some(x) = l.next_line().unwrap() {
            got.push(x);
        }
        assert_eq!(got, ["a,b", "c", "", "d"]);
        assert_eq!(l.line_no, 4);
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(
            split_csv(r#"1,"a, b","say ""hi""",,x"#).unwrap(),
            ["1", "a, b", "say \"hi\"", "", "x"]
        );
        assert!(split_csv(r#"1,"open"#).is_none());
        for written in ["x \"y\", z", " edge ", "plain"] {
            let line = crate::base::csv::field(written);
            assert_eq!(split_csv(&line).unwrap(), [written], "{line:?}");
        }
    }
}
