//! Matching the country codes or names of event data to the dataset's states.
//!
//! A code matches, in this order of precedence: a row of the user's `--codes` table
//! (`code,state`); a state id; one of a state's `codes` entries (any scheme, integers as their
//! decimal text); a state's name, ignoring case. Codes are compared after trimming spaces.
//! Unmatched codes are counted with their rows so the user can extend the table.
//!
//! With a declared input scheme ([`SchemeMatcher`], `--codes-scheme`), a code is read through the
//! built-in crosswalk (docs/crosswalk.md) in that scheme only, at the row's date, and mapped to
//! the dataset's state by the dataset's id scheme; the user's table still comes first.

use super::crosswalk::{Crosswalk, DatasetCodes, Match, Scheme};
use super::text::{show, split_csv, Lines};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::BufRead;

/// A code → state index lookup built once from the dataset and the user's table.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    exact: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl Matcher {
    /// Builds the lookup. `table` holds the `--codes` rows (code, state id), already checked.
    pub fn new(ds: &Dataset, table: &[(String, usize)]) -> Matcher {
        let mut exact: HashMap<String, usize> = HashMap::new();
        // Lowest precedence first; later inserts overwrite.
        for (i, s) in ds.states.iter().enumerate().rev() {
            for c in s.codes.values() {
                exact.insert(c.to_string(), i);
            }
        }
        for (i, s) in ds.states.iter().enumerate().rev() {
            exact.insert(s.id.clone(), i);
        }
        for (code, i) in table {
            exact.insert(code.clone(), *i);
        }
        let mut by_name = HashMap::new();
        for (i, s) in ds.states.iter().enumerate().rev() {
            by_name.insert(s.name.to_lowercase(), i);
        }
        Matcher { exact, by_name }
    }

    /// The state index of a code or name.
    pub fn get(&self, code: &str) -> Option<usize> {
        let c = code.trim();
        self.exact
            .get(c)
            .or_else(|| self.by_name.get(&c.to_lowercase()))
            .copied()
    }
}

/// Matching in a declared input scheme through the crosswalk, after the user's table.
#[derive(Debug, Clone)]
pub struct SchemeMatcher {
    table: HashMap<String, usize>,
    cw: &'static Crosswalk,
    /// The dataset's states as crosswalk entities.
    pub dataset: DatasetCodes,
    /// The scheme input codes are read in.
    pub input: Scheme,
}

impl SchemeMatcher {
    /// `ids` is the dataset's id scheme (`None`: detected; an error when it cannot be told).
    pub fn new(
        ds: &Dataset,
        table: &[(String, usize)],
        input: Scheme,
        ids: Option<Scheme>,
    ) -> std::result::Result<SchemeMatcher, String> {
        let cw = Crosswalk::builtin();
        Ok(SchemeMatcher {
            table: table.iter().cloned().collect(),
            cw,
            dataset: DatasetCodes::new(cw, ds, ids)?,
            input,
        })
    }

    /// The state a code denotes on `date`.
    pub fn get(&self, code: &str, date: Option<NaiveDate>) -> Match {
        self.get_in(self.input, code, date)
    }

    /// The state a code read in `scheme` (not the declared one) denotes on `date`.
    pub fn get_in(&self, scheme: Scheme, code: &str, date: Option<NaiveDate>) -> Match {
        let c = code.trim();
        if let Some(&i) = self.table.get(c) {
            return Match::State(i);
        }
        self.dataset.get(self.cw, scheme, c, date)
    }
}

/// Reads a `code,state` CSV (an optional header `code,state`); every state must be a state id
/// of the dataset, and a code may be mapped only once.
pub fn read_codes(ds: &Dataset, input: impl BufRead, file: &str) -> Result<Vec<(String, usize)>> {
    let mut lines = Lines::new(input, file);
    let mut out = Vec::new();
    // code → (line, state index) of its first mapping, to refuse a code mapped twice.
    let mut first: std::collections::HashMap<String, (usize, usize)> = Default::default();
    while let Some(line) = lines.next_line()? {
        if line.trim().is_empty() {
            continue;
        }
        let n = lines.line_no;
        let err = |m: String| Error::invalid(file, format!("line {n}"), m);
        let f = split_csv(&line).ok_or_else(|| err("unclosed quote".into()))?;
        if f.len() != 2 {
            return Err(err(format!(
                "expected 2 fields code,state, found {}: {:?}",
                f.len(),
                show(&line)
            )));
        }
        let (code, state) = (f[0].trim(), f[1].trim());
        if n == 1 && code == "code" && state == "state" {
            continue;
        }
        let i = ds.state_index(state).ok_or_else(|| {
            Error::invalid(
                file,
                format!("line {n}, column 2"),
                format!("unknown state id {:?}", show(state)),
            )
        })?;
        match first.get(code) {
            Some(&(line1, j)) if j != i => {
                return Err(Error::invalid(
                    file,
                    format!("line {n}"),
                    format!(
                        "code {:?} is mapped to {:?} here and to {:?} on line {line1}: one code \
                         must name one state",
                        show(code),
                        ds.states[i].id,
                        ds.states[j].id
                    ),
                ));
            }
            Some(_) => continue, // the same mapping twice: harmless
            None => {
                first.insert(code.to_string(), (n, i));
            }
        }
        out.push((code.to_string(), i));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_table_id_code_name() {
        let ds = crate::dataset::load_str(
            r#"{"name":"t","states":[
                {"id":"AUS","name":"Austria","codes":{"cow":305}},
                {"id":"AUL","name":"Australia","codes":{"iso3":"AUS","cow":900}},
                {"id":"RUS","name":"Russia"}]}"#,
            "t",
        )
        .unwrap();
        let m = Matcher::new(&ds, &[]);
        assert_eq!(
            m.get("AUS"),
            Some(0),
            "the id wins over another state's code"
        );
        assert_eq!(m.get("900"), Some(1));
        assert_eq!(m.get(" russia "), Some(2));
        assert_eq!(m.get("Russian Federation"), None);
        let m = Matcher::new(&ds, &[("AUS".into(), 1), ("Russian Federation".into(), 2)]);
        assert_eq!(m.get("AUS"), Some(1), "the user's table wins");
        assert_eq!(m.get("Russian Federation"), Some(2));
        let t = read_codes(&ds, "code,state\r\nDEU,AUS\r\n".as_bytes(), "c.csv").unwrap();
        assert_eq!(t, vec![("DEU".to_string(), 0)]);
        let e = read_codes(&ds, "Austria,AUS\nx,RUS\nAustria,RUS\n".as_bytes(), "c.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("c.csv: line 3") && e.contains("line 1") && e.contains("\"Austria\""),
            "{e}"
        );
        let t = read_codes(&ds, "Austria,AUS\nAustria,AUS\n".as_bytes(), "c.csv").unwrap();
        assert_eq!(t.len(), 1);
        let e = read_codes(&ds, "X,ZZZ\n".as_bytes(), "c.csv").unwrap_err();
        assert!(e
            .to_string()
            .contains("c.csv: line 1, column 2: unknown state id \"ZZZ\""));
    }
}
