//! Resolving `--state` values to dataset indices: a state id, or a state name (any case) when
//! one state alone has it (`--state armenia` for `ARM`). An unknown value is a usage error
//! naming it and the dataset, with the closest ids as a "did you mean" hint, as `--alliance`
//! gives (alliances.rs).

use entente::dataset::Dataset;
use entente::error::{Error, Result};

/// The index of the state named by `value`, if any.
fn find(ds: &Dataset, value: &str) -> Option<usize> {
    if let Some(i) = ds.state_index(value) {
        return Some(i);
    }
    let mut by_name = ds
        .states
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name.eq_ignore_ascii_case(value));
    match (by_name.next(), by_name.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// The index of the state `value` names, or a usage error for `flag` (`--state`) naming the
/// value, the dataset (`label`) and the nearest ids.
pub fn resolve(ds: &Dataset, flag: &str, value: &str, label: &str) -> Result<usize> {
    find(ds, value).ok_or_else(|| {
        let mut msg = format!("{flag}: unknown state id {value:?} in {label}");
        let near = super::alliances::nearest(
            value,
            ds.states.iter().map(|s| (s.id.as_str(), s.name.as_str())),
        );
        if !near.is_empty() {
            msg.push_str(&format!(" (did you mean {}?)", near.join(", ")));
        }
        msg.push_str(" (see `entente list states`)");
        Error::Usage(msg)
    })
}

/// The indices of the states `values` name, in the order given, each once.
pub fn resolve_all(ds: &Dataset, flag: &str, values: &[String], label: &str) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for v in values {
        let k = resolve(ds, flag, v, label)?;
        if !out.contains(&k) {
            out.push(k);
        }
    }
    Ok(out)
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
        let arm = ds.state_index("ARM").unwrap();
        assert_eq!(resolve(&ds, "--state", "ARM", "d").unwrap(), arm);
        assert_eq!(resolve(&ds, "--state", "armenia", "d").unwrap(), arm);
        let both = ["ARM".to_string(), "Armenia".into(), "RUS".into()];
        let rus = ds.state_index("RUS").unwrap();
        assert_eq!(
            resolve_all(&ds, "--state", &both, "d").unwrap(),
            vec![arm, rus]
        );
        let err = resolve(&ds, "--state", "ARN", "csto.json")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--state: unknown state id \"ARN\" in csto.json"),
            "{err}"
        );
        assert!(err.contains("did you mean ARM"), "{err}");
        assert!(err.contains("`entente list states`"), "{err}");
        let err = resolve(&ds, "--state", "ARM ", "d")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("did you mean ARM?") || err.contains("did you mean ARM,"),
            "{err}"
        );
        let err = resolve(&ds, "--state", "Q", "d").unwrap_err().to_string();
        assert!(!err.contains("did you mean"), "{err}");
    }
}
