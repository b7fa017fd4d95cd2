//! Resolving `--alliance` values to dataset indices: an alliance id, an alliance name (any
//! case), or for ATOP imports the bare ATOP number (`3160` for `ATOP-3160`). An unknown value
//! is a usage error naming it, with the closest ids as a "did you mean" hint.

use entente::dataset::Dataset;
use entente::error::{Error, Result};

/// The index of the alliance named by `value`, if any.
fn find(ds: &Dataset, value: &str) -> Option<usize> {
    if let Some(i) = ds.alliance_index(value) {
        return Some(i);
    }
    if !value.is_empty() && value.bytes().all(|c| c.is_ascii_digit()) {
        if let Some(i) = ds.alliance_index(&format!("ATOP-{value}")) {
            return Some(i);
        }
    }
    let mut by_name = ds
        .alliances
        .iter()
        .enumerate()
        .filter(|(_, a)| a.name.eq_ignore_ascii_case(value));
    match (by_name.next(), by_name.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Levenshtein distance over characters, case-insensitive.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Up to three ids of `entries` (id, name) whose id or name is close to `value`, closest
/// first: within a third of `value`'s length in edits (at least two), case aside. Shared with
/// `--state` (states.rs).
pub(super) fn nearest<'a>(
    value: &str,
    entries: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<&'a str> {
    let limit = (value.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = entries
        .map(|(id, name)| (distance(value, id).min(distance(value, name)), id))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

/// How many known ids an error lists in full before it only counts them.
const LIST_KNOWN_UP_TO: usize = 20;

/// The message for an unknown `--alliance` value.
fn unknown(ds: &Dataset, value: &str) -> String {
    let mut msg = format!("--alliance: unknown alliance id {value:?}");
    let near = nearest(
        value,
        ds.alliances
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str())),
    );
    if !near.is_empty() {
        msg.push_str(&format!(" (did you mean {}?)", near.join(", ")));
    }
    let known: Vec<&str> = ds.alliances.iter().map(|a| a.id.as_str()).collect();
    if known.is_empty() {
        msg.push_str(" (known: none)");
    } else if known.len() <= LIST_KNOWN_UP_TO {
        msg.push_str(&format!(" (known: {})", known.join(", ")));
    } else {
        msg.push_str(&format!(
            " ({} alliances: `entente list alliances` shows them)",
            known.len()
        ));
    }
    msg
}

/// Resolves `--alliance` values to dataset indices; `None` when no value was given (every
/// alliance).
pub fn filter(ds: &Dataset, values: &[String]) -> Result<Option<Vec<usize>>> {
    if values.is_empty() {
        return Ok(None);
    }
    values
        .iter()
        .map(|v| find(ds, v).ok_or_else(|| Error::Usage(unknown(ds, v))))
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csto() -> Dataset {
        entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap()
    }

    #[test]
    fn resolves_ids_names_and_hints() {
        let ds = csto();
        let csto = ds.alliance_index("CSTO").unwrap();
        assert_eq!(filter(&ds, &["CSTO".into()]).unwrap(), Some(vec![csto]));
        let name = ds.alliances[csto].name.to_uppercase();
        assert_eq!(filter(&ds, &[name]).unwrap(), Some(vec![csto]));
        let err = filter(&ds, &["CTSO".into()]).unwrap_err().to_string();
        assert!(err.contains("unknown alliance id \"CTSO\""), "{err}");
        assert!(err.contains("did you mean CSTO"), "{err}");
        assert_eq!(filter(&ds, &[]).unwrap(), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("NATO", "nato"), 0);
        assert_eq!(distance("", "abc"), 3);
    }
}
