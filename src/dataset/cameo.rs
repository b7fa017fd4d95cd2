//! The CAMEO event codes and their Goldstein scale values, embedded in the binary from
//! `cameo-goldstein.tsv` (GDELT's lookup table; its provenance is in the file's header and in
//! `docs/dataset.md`). A `tie` event may name a CAMEO code instead of a `delta`: the delta is
//! then Goldstein(code) / 10 × the dataset's `goldstein_scale`.

use std::sync::OnceLock;

/// The embedded table: `#` comment lines, a header line, then `CODE<TAB>GOLDSTEIN` rows.
const TABLE: &str = include_str!("cameo-goldstein.tsv");

/// A CAMEO event code known to the embedded table (an index into it, so it is `Copy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CameoCode(u16);

struct Entry {
    code: &'static str,
    goldstein: f64,
}

/// The parsed table, in the file's order.
fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("CAMEOEVENTCODE"))
            .filter_map(|l| {
                let (code, value) = l.split_once('\t')?;
                let goldstein = value.trim().parse::<f64>().ok()?;
                Some(Entry {
                    code: code.trim(),
                    goldstein,
                })
            })
            .collect()
    })
}

impl CameoCode {
    /// The code for this text (`"042"`, `"1123"`: digits, leading zeros significant), if the
    /// table knows it.
    pub fn parse(text: &str) -> Option<CameoCode> {
        let i = entries().iter().position(|e| e.code == text)?;
        u16::try_from(i).ok().map(CameoCode)
    }

    fn entry(self) -> &'static Entry {
        // Only `parse` makes a `CameoCode`, so the index is in range; the fallback is unreachable.
        const NONE: Entry = Entry {
            code: "",
            goldstein: 0.0,
        };
        entries().get(usize::from(self.0)).unwrap_or(&NONE)
    }

    /// The code as written (`"042"`).
    pub fn as_str(self) -> &'static str {
        self.entry().code
    }

    /// Its value on the Goldstein scale, in [−10, 10].
    pub fn goldstein(self) -> f64 {
        self.entry().goldstein
    }

    /// The delta of a tie event coded with this code: Goldstein / 10 × `scale`.
    pub fn delta(self, scale: f64) -> f64 {
        self.goldstein() / 10.0 * scale
    }
}

/// Every code of the table, in table order.
pub fn all() -> impl Iterator<Item = CameoCode> {
    (0..entries().len()).filter_map(|i| u16::try_from(i).ok().map(CameoCode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_table_is_read() {
        let rows = TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .count();
        assert_eq!(rows, 311);
        assert_eq!(all().count(), 311, "every row parses");
        for c in all() {
            assert!((-10.0..=10.0).contains(&c.goldstein()), "{}", c.as_str());
            assert!(c.as_str().chars().all(|ch| ch.is_ascii_digit()));
            assert_eq!(CameoCode::parse(c.as_str()), Some(c), "codes are unique");
        }
    }

    #[test]
    fn known_values_from_the_codebook() {
        let g = |s: &str| CameoCode::parse(s).map(CameoCode::goldstein);
        assert_eq!(g("01"), Some(0.0));
        assert_eq!(g("042"), Some(1.9));
        assert_eq!(g("1123"), Some(-2.0));
        assert_eq!(g("190"), Some(-10.0));
        assert_eq!(g("2042"), Some(-10.0));
        assert_eq!(g("42"), None, "leading zeros are significant");
        assert_eq!(g("999"), None);
        assert_eq!(g(""), None);
    }

    #[test]
    fn delta_is_goldstein_over_ten_times_scale() {
        let c = CameoCode::parse("190").map(|c| c.delta(1.0));
        assert_eq!(c, Some(-1.0));
        let c = CameoCode::parse("042").map(|c| c.delta(0.5));
        assert_eq!(c, Some(1.9 / 10.0 * 0.5));
    }
}
