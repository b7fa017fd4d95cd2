//! The country crosswalk built into the binary: Correlates of War (COW) state numbers and
//! abbreviations, ISO 3166-1 alpha-2 and alpha-3 codes, common and historical names, each row
//! with the dates over which its codes denote its COW state (docs/crosswalk.md gives the
//! sources and conventions).
//!
//! A code is always read in a declared [`Scheme`]: `AUS` is Australia in ISO alpha-3 and Austria
//! in COW, and only the scheme decides which. Within a scheme a code may still denote different
//! states at different dates (`DE`: West Germany to 1990-10-02, Germany from 1990-10-03); a
//! lookup with a date picks the row in force, one without a date reports every candidate.
//!
//! [`DatasetCodes`] maps crosswalk entities to a dataset's states, by the dataset's id scheme
//! (given, or detected from its ids and `codes.cow` entries).

use crate::dataset::{Code, Dataset};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// The embedded table (`src/import/crosswalk.csv`).
pub const TABLE: &str = include_str!("crosswalk.csv");

/// A code scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// COW state number (`365`) or abbreviation (`RUS`).
    Cow,
    /// ISO 3166-1 alpha-3 (`RUS`).
    Iso3,
    /// ISO 3166-1 alpha-2 (`RU`).
    Iso2,
    /// A country name, ignoring case (`Russian Federation`).
    Name,
    /// CAMEO actor country codes (GDELT): read as ISO 3166-1 alpha-3 (docs/crosswalk.md).
    Cameo,
}

impl Scheme {
    /// Every scheme, in the order of `--codes-scheme`'s values.
    pub const ALL: [Scheme; 5] = [
        Scheme::Cow,
        Scheme::Iso3,
        Scheme::Iso2,
        Scheme::Name,
        Scheme::Cameo,
    ];

    /// The scheme's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Cow => "cow",
            Scheme::Iso3 => "iso3",
            Scheme::Iso2 => "iso2",
            Scheme::Name => "name",
            Scheme::Cameo => "cameo",
        }
    }

    /// The scheme of a command-line name.
    pub fn parse(s: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The scheme whose index serves lookups in this one (CAMEO reads as alpha-3).
    fn index_scheme(self) -> Scheme {
        match self {
            Scheme::Cameo => Scheme::Iso3,
            s => s,
        }
    }
}

/// What a row denotes: a COW state, or (for territories outside the COW list) an ISO code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    /// A COW state, by its number.
    Cow(u16),
    /// A territory outside the COW list, by its ISO alpha-3 code.
    Iso3(String),
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Entity::Cow(c) => write!(f, "COW {c}"),
            Entity::Iso3(c) => write!(f, "ISO {c}"),
        }
    }
}

/// One row of the crosswalk.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// COW state number, if the row is a COW state.
    pub cow: Option<u16>,
    /// COW state abbreviation.
    pub cow_abb: Option<String>,
    /// ISO 3166-1 alpha-2 (or ISO 3166-3 for a former country).
    pub iso2: Option<String>,
    /// ISO 3166-1 alpha-3 (or ISO 3166-3 for a former country).
    pub iso3: Option<String>,
    /// First day on which this row's ISO codes and names denote its state (none: always).
    pub from: Option<NaiveDate>,
    /// Last day on which they do (none: still).
    pub to: Option<NaiveDate>,
    /// The usual English name.
    pub name: String,
    /// Other names (ISO and UN short names, former names).
    pub aliases: Vec<String>,
    /// The name in the COW state list.
    pub cow_name: Option<String>,
    /// The COW spells of membership in the state system (first and last day).
    pub cow_spells: Vec<(NaiveDate, NaiveDate)>,
}

impl Entry {
    /// What the row denotes.
    pub fn entity(&self) -> Entity {
        match (self.cow, &self.iso3) {
            (Some(c), _) => Entity::Cow(c),
            (None, Some(i)) => Entity::Iso3(i.clone()),
            (None, None) => Entity::Iso3(String::new()),
        }
    }

    /// Whether the row's ISO codes and names are in force on `d`.
    pub fn in_force(&self, d: NaiveDate) -> bool {
        self.from.map_or(true, |f| d >= f) && self.to.map_or(true, |t| d <= t)
    }

    /// The row's codes in a scheme (normalised: upper case, names lower case).
    fn codes(&self, s: Scheme) -> Vec<String> {
        match s.index_scheme() {
            Scheme::Cow => self
                .cow
                .map(|c| c.to_string())
                .into_iter()
                .chain(self.cow_abb.clone())
                .collect(),
            Scheme::Iso3 => self.iso3.iter().cloned().collect(),
            Scheme::Iso2 => self.iso2.iter().cloned().collect(),
            _ => std::iter::once(&self.name)
                .chain(&self.aliases)
                .chain(&self.cow_name)
                .map(|n| normalise_name(n))
                .collect(),
        }
    }
}

/// Names compare ignoring case, surrounding spaces and the typographic apostrophe.
fn normalise_name(s: &str) -> String {
    s.trim().replace('’', "'").to_lowercase()
}

fn normalise(s: Scheme, code: &str) -> String {
    match s.index_scheme() {
        Scheme::Name => normalise_name(code),
        _ => code.trim().to_uppercase(),
    }
}

/// The result of looking a code up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The code denotes this entity.
    Found(Entity),
    /// The code is not in the crosswalk under this scheme.
    Unknown,
    /// The code is in the crosswalk, but denotes nothing on that date.
    NotAtDate,
    /// The code denotes several entities (at that date, or over time when no date is given).
    Ambiguous(Vec<Entity>),
}

/// The crosswalk: rows and an index per scheme.
#[derive(Debug, Clone)]
pub struct Crosswalk {
    /// The rows, in table order.
    pub entries: Vec<Entry>,
    index: HashMap<(Scheme, String), Vec<usize>>,
}

impl Crosswalk {
    /// The embedded crosswalk (parsed once).
    pub fn builtin() -> &'static Crosswalk {
        static CW: OnceLock<Crosswalk> = OnceLock::new();
        // The table is part of the binary; a unit test checks that it parses without error, so
        // the fallback (an empty crosswalk) is never used in a tested build.
        CW.get_or_init(|| Crosswalk::parse(TABLE).unwrap_or_else(|_| Crosswalk::empty()))
    }

    fn empty() -> Crosswalk {
        Crosswalk {
            entries: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Parses a table with the header
    /// `cow,cow_abb,iso2,iso3,from,to,name,aliases,cow_name,cow_spells`.
    pub fn parse(text: &str) -> Result<Crosswalk, String> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if i == 0 || line.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            let f = super::text::split_csv(line).ok_or(format!("line {n}: unclosed quote"))?;
            if f.len() != 10 {
                return Err(format!("line {n}: {} fields, expected 10", f.len()));
            }
            let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
            let date = |s: &str| -> Result<Option<NaiveDate>, String> {
                opt(s)
                    .map(|x| crate::date::parse_date(&x).map_err(|e| format!("line {n}: {e}")))
                    .transpose()
            };
            let cow = opt(&f[0])
                .map(|c| c.parse::<u16>().map_err(|e| format!("line {n}: {e}")))
                .transpose()?;
            let mut spells = Vec::new();
            for s in f[9].split(';').filter(|s| !s.is_empty()) {
                let (a, b) = s
                    .split_once("..")
                    .ok_or(format!("line {n}: bad spell {s:?}"))?;
                spells.push((
                    date(a)?.ok_or(format!("line {n}: empty spell start"))?,
                    date(b)?.ok_or(format!("line {n}: empty spell end"))?,
                ));
            }
            entries.push(Entry {
                cow,
                cow_abb: opt(&f[1]),
                iso2: opt(&f[2]),
                iso3: opt(&f[3]),
                from: date(&f[4])?,
                to: date(&f[5])?,
                name: f[6].trim().to_string(),
                aliases: f[7]
                    .split(';')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().to_string())
                    .collect(),
                cow_name: opt(&f[8]),
                cow_spells: spells,
            });
        }
        let mut index: HashMap<(Scheme, String), Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for s in [Scheme::Cow, Scheme::Iso3, Scheme::Iso2, Scheme::Name] {
                for c in e.codes(s) {
                    let v = index.entry((s, c)).or_default();
                    if !v.contains(&i) {
                        v.push(i);
                    }
                }
            }
        }
        Ok(Crosswalk { entries, index })
    }

    /// Whether an entity is a member of the COW state system on `date`. The last spell of the
    /// list (ending on its coverage end, 2016-12-31) is taken as still running; entities outside
    /// the COW list always are.
    pub fn in_cow_spell(&self, e: &Entity, date: NaiveDate) -> bool {
        let Entity::Cow(c) = e else { return true };
        let end = self
            .entries
            .iter()
            .flat_map(|x| x.cow_spells.iter().map(|s| s.1))
            .max();
        self.entries
            .iter()
            .filter(|x| x.cow == Some(*c))
            .flat_map(|x| &x.cow_spells)
            .any(|&(f, t)| date >= f && (date <= t || Some(t) == end))
    }

    /// The id an entity gets in a dataset whose ids are in `scheme` (`cow`: the COW
    /// abbreviation; `iso3`/`cameo`, `iso2`: the ISO code of its row in force on `date`, else of
    /// its first row that has one), with the row's name; `None` when the entity has no code in
    /// that scheme (a COW state ISO never coded, a territory outside the COW list for `cow`) or
    /// the scheme is `name` (names are not ids).
    pub fn id_of(
        &self,
        e: &Entity,
        scheme: Scheme,
        date: Option<NaiveDate>,
    ) -> Option<(String, String)> {
        let rows = self.entries.iter().filter(|x| match e {
            Entity::Cow(c) => x.cow == Some(*c),
            Entity::Iso3(i) => x.cow.is_none() && x.iso3.as_deref() == Some(i.as_str()),
        });
        let code = |x: &Entry| match scheme.index_scheme() {
            Scheme::Cow => x.cow_abb.clone(),
            Scheme::Iso3 => x.iso3.clone(),
            Scheme::Iso2 => x.iso2.clone(),
            _ => None,
        };
        let with_code: Vec<(&Entry, String)> =
            rows.filter_map(|x| code(x).map(|c| (x, c))).collect();
        let pick = with_code
            .iter()
            .find(|(x, _)| date.is_some_and(|d| x.in_force(d)))
            .or_else(|| with_code.first())?;
        let name = match scheme {
            Scheme::Cow => pick
                .0
                .cow_name
                .clone()
                .unwrap_or_else(|| pick.0.name.clone()),
            _ => pick.0.name.clone(),
        };
        Some((pick.1.clone(), name))
    }

    /// The rows carrying `code` in `scheme`, whatever their dates.
    pub fn rows(&self, scheme: Scheme, code: &str) -> Vec<&Entry> {
        let s = scheme.index_scheme();
        self.index
            .get(&(s, normalise(s, code)))
            .map(|v| v.iter().map(|&i| &self.entries[i]).collect())
            .unwrap_or_default()
    }

    /// What `code` denotes in `scheme` on `date` (over all dates when `None`). COW numbers and
    /// abbreviations never change meaning, so their rows' dates are not consulted.
    pub fn lookup(&self, scheme: Scheme, code: &str, date: Option<NaiveDate>) -> Lookup {
        let rows = self.rows(scheme, code);
        let found: BTreeSet<Entity> = rows
            .iter()
            .filter(|e| match (scheme, date) {
                (Scheme::Cow, _) | (_, None) => true,
                (_, Some(d)) => e.in_force(d),
            })
            .map(|e| e.entity())
            .collect();
        let mut v: Vec<Entity> = found.into_iter().collect();
        match v.len() {
            0 if !rows.is_empty() => Lookup::NotAtDate,
            0 => Lookup::Unknown,
            1 => Lookup::Found(v.remove(0)),
            _ => Lookup::Ambiguous(v),
        }
    }
}

/// How a dataset's states map to crosswalk entities: each state with the entities its id (in
/// the dataset's scheme) denotes, and the dates over which it denotes them.
#[derive(Debug, Clone)]
pub struct DatasetCodes {
    /// The dataset's id scheme (given or detected).
    pub scheme: Scheme,
    by_entity: HashMap<Entity, Vec<Denotes>>,
}

/// A dataset state (index) and the first and last day its id denotes an entity (none: always).
type Denotes = (usize, Option<NaiveDate>, Option<NaiveDate>);

/// The outcome of matching one input code to a dataset state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The dataset state (index into `Dataset::states`).
    State(usize),
    /// The code is not in the crosswalk under the input scheme.
    Unknown,
    /// The code is in the crosswalk but denotes no country on that date.
    NotAtDate,
    /// The country is not a member of the COW state system on that date (e.g. the Byelorussian
    /// SSR's UN votes before 1991).
    OutsideSpell(Entity),
    /// The code denotes a country that is not in the dataset (at that date).
    NotInDataset(Entity),
    /// The code or its country maps to several candidates.
    Ambiguous(String),
}

impl DatasetCodes {
    /// Maps the dataset's states. With `scheme` `None` the id scheme is detected: `cow` when
    /// every state has a `codes.cow` entry, else whichever of `cow`, `iso3`, `iso2` recognises
    /// strictly the most ids; a tie is an error asking for `--ids-scheme`.
    pub fn new(cw: &Crosswalk, ds: &Dataset, scheme: Option<Scheme>) -> Result<Self, String> {
        let scheme = match scheme {
            Some(Scheme::Cameo) => Scheme::Iso3,
            Some(s) => s,
            None => detect(cw, ds)?,
        };
        let mut by_entity: HashMap<Entity, Vec<_>> = HashMap::new();
        for (i, st) in ds.states.iter().enumerate() {
            let mut keys: Vec<String> = vec![st.id.clone()];
            if scheme == Scheme::Cow {
                if let Some(c) = st.codes.get("cow") {
                    keys.insert(0, code_text(c));
                }
            }
            if scheme == Scheme::Name {
                keys.push(st.name.clone());
            }
            let mut seen = BTreeSet::new();
            for k in keys {
                for e in cw.rows(scheme, &k) {
                    let (f, t) = if scheme == Scheme::Cow {
                        (None, None)
                    } else {
                        (e.from, e.to)
                    };
                    if seen.insert((e.entity(), f, t)) {
                        by_entity.entry(e.entity()).or_default().push((i, f, t));
                    }
                }
                if !seen.is_empty() {
                    break;
                }
            }
        }
        Ok(DatasetCodes { scheme, by_entity })
    }

    /// The dataset state an entity is on `date`.
    pub fn state(&self, e: &Entity, date: Option<NaiveDate>) -> Match {
        let Some(v) = self.by_entity.get(e) else {
            return Match::NotInDataset(e.clone());
        };
        let hits: BTreeSet<usize> = v
            .iter()
            .filter(|(_, f, t)| match date {
                None => true,
                Some(d) => f.map_or(true, |f| d >= f) && t.map_or(true, |t| d <= t),
            })
            .map(|x| x.0)
            .collect();
        match hits.len() {
            0 => Match::NotInDataset(e.clone()),
            1 => Match::State(hits.into_iter().next().unwrap_or(0)),
            _ => Match::Ambiguous(format!("{e} is {} dataset states", hits.len())),
        }
    }

    /// Matches an input code, read in `input`, to a dataset state on `date`.
    pub fn get(&self, cw: &Crosswalk, input: Scheme, code: &str, date: Option<NaiveDate>) -> Match {
        match cw.lookup(input, code, date) {
            Lookup::Found(e) => match date {
                Some(d) if !cw.in_cow_spell(&e, d) => Match::OutsideSpell(e),
                _ => self.state(&e, date),
            },
            Lookup::Unknown => Match::Unknown,
            Lookup::NotAtDate => Match::NotAtDate,
            Lookup::Ambiguous(v) => Match::Ambiguous(
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" or "),
            ),
        }
    }
}

fn code_text(c: &Code) -> String {
    c.to_string()
}

fn detect(cw: &Crosswalk, ds: &Dataset) -> Result<Scheme, String> {
    if !ds.states.is_empty() && ds.states.iter().all(|s| s.codes.contains_key("cow")) {
        return Ok(Scheme::Cow);
    }
    let count = |s: Scheme| {
        ds.states
            .iter()
            .filter(|st| !cw.rows(s, &st.id).is_empty())
            .count()
    };
    let mut scores: Vec<(usize, Scheme)> = [Scheme::Cow, Scheme::Iso3, Scheme::Iso2]
        .into_iter()
        .map(|s| (count(s), s))
        .collect();
    scores.sort_by_key(|a| std::cmp::Reverse(a.0));
    let (best, s) = scores[0];
    if best == 0 || best == scores[1].0 {
        let parts: Vec<String> = scores
            .iter()
            .map(|(n, s)| format!("{} {n}", s.as_str()))
            .collect();
        return Err(format!(
            "cannot tell the dataset's id scheme (state ids recognised: {} of {}); give --ids-scheme cow|iso3|iso2|name",
            parts.join(", "),
            ds.states.len()
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(crate::date::parse_date(s).unwrap())
    }

    #[test]
    fn the_embedded_table_parses_and_is_consistent() {
        let cw = Crosswalk::parse(TABLE).unwrap();
        let cow: BTreeSet<u16> = cw.entries.iter().filter_map(|e| e.cow).collect();
        assert_eq!(cow.len(), 217, "every COW v2016 state has a row");
        for e in &cw.entries {
            if let Some(c) = &e.iso2 {
                assert!(
                    c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()),
                    "{c}"
                );
            }
            if let Some(c) = &e.iso3 {
                assert!(
                    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                    "{c}"
                );
            }
            assert_eq!(e.cow.is_some(), !e.cow_spells.is_empty(), "{}", e.name);
        }
        // No code means two things at one date: check every code at every row boundary.
        for s in [Scheme::Cow, Scheme::Iso3, Scheme::Iso2, Scheme::Name] {
            for e in &cw.entries {
                for code in e.codes(s) {
                    for day in [e.from, e.to, d("1950-01-01"), d("2020-01-01")]
                        .into_iter()
                        .flatten()
                    {
                        let l = cw.lookup(s, &code, Some(day));
                        assert!(
                            !matches!(l, Lookup::Ambiguous(_)),
                            "{} {code:?} on {day}: {l:?}",
                            s.as_str()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn collisions_are_resolved_by_the_scheme() {
        let cw = Crosswalk::builtin();
        let f = |s, c| cw.lookup(s, c, d("2010-01-01"));
        // (code, what it is in ISO alpha-3, what it is in COW)
        for (code, iso, cow) in [
            ("AUS", 900, 305), // Australia / Austria
            ("SLV", 92, 349),  // El Salvador / Slovenia
            ("MNG", 712, 341), // Mongolia / Montenegro
            ("SWZ", 572, 225), // Eswatini / Switzerland
        ] {
            assert_eq!(
                f(Scheme::Iso3, code),
                Lookup::Found(Entity::Cow(iso)),
                "{code}"
            );
            assert_eq!(
                f(Scheme::Cameo, code),
                Lookup::Found(Entity::Cow(iso)),
                "{code}"
            );
            assert_eq!(
                f(Scheme::Cow, code),
                Lookup::Found(Entity::Cow(cow)),
                "{code}"
            );
        }
        // MAC: Macao (not a COW state) in ISO, Macedonia in COW.
        assert_eq!(
            f(Scheme::Iso3, "MAC"),
            Lookup::Found(Entity::Iso3("MAC".into()))
        );
        assert_eq!(f(Scheme::Cow, "MAC"), Lookup::Found(Entity::Cow(343)));
        // CZE: the Czech Republic in ISO, Czechoslovakia in COW.
        assert_eq!(f(Scheme::Iso3, "CZE"), Lookup::Found(Entity::Cow(316)));
        assert_eq!(f(Scheme::Cow, "CZE"), Lookup::Found(Entity::Cow(315)));
    }

    #[test]
    fn historical_codes_follow_the_date() {
        let cw = Crosswalk::builtin();
        let at = |s, c, day| cw.lookup(s, c, d(day));
        assert_eq!(
            at(Scheme::Iso2, "DE", "1980-01-01"),
            Lookup::Found(Entity::Cow(260))
        );
        assert_eq!(
            at(Scheme::Iso2, "DE", "1995-01-01"),
            Lookup::Found(Entity::Cow(255))
        );
        assert_eq!(
            at(Scheme::Iso2, "DD", "1980-01-01"),
            Lookup::Found(Entity::Cow(265))
        );
        assert_eq!(
            cw.lookup(Scheme::Iso2, "DE", None),
            Lookup::Ambiguous(vec![Entity::Cow(255), Entity::Cow(260)])
        );
        assert_eq!(
            at(Scheme::Name, "Federal Republic of Germany", "1980-01-01"),
            Lookup::Found(Entity::Cow(260))
        );
        assert_eq!(
            at(Scheme::Name, "Federal Republic of Germany", "2000-01-01"),
            Lookup::Found(Entity::Cow(255))
        );
        assert_eq!(at(Scheme::Name, "Germany", "1970-01-01"), Lookup::NotAtDate);
        assert_eq!(at(Scheme::Name, "Atlantis", "1970-01-01"), Lookup::Unknown);
        // COW spells: Belarus from 1991; the last spell of the list is still running.
        assert!(!cw.in_cow_spell(&Entity::Cow(370), d("1980-01-01").unwrap()));
        assert!(cw.in_cow_spell(&Entity::Cow(370), d("2019-01-01").unwrap()));
        assert!(!cw.in_cow_spell(&Entity::Cow(260), d("1991-01-01").unwrap()));
        // The Soviet Union and Russia are one COW state (365).
        for c in ["RU", "SU"] {
            assert_eq!(
                at(Scheme::Iso2, c, "1970-01-01"),
                Lookup::Found(Entity::Cow(365))
            );
        }
        assert_eq!(
            at(
                Scheme::Name,
                "Union of Soviet Socialist Republics",
                "1970-01-01"
            ),
            Lookup::Found(Entity::Cow(365))
        );
        // CS: Czechoslovakia to 1992, Serbia and Montenegro (COW 345) after.
        assert_eq!(
            at(Scheme::Iso2, "CS", "1980-01-01"),
            Lookup::Found(Entity::Cow(315))
        );
        assert_eq!(
            at(Scheme::Iso2, "CS", "2004-01-01"),
            Lookup::Found(Entity::Cow(345))
        );
        for c in ["YU", "RS"] {
            assert_eq!(
                at(Scheme::Iso2, c, "2010-01-01"),
                Lookup::Found(Entity::Cow(345))
            );
        }
        // The Yemens.
        assert_eq!(
            at(Scheme::Iso2, "YE", "1980-01-01"),
            Lookup::Found(Entity::Cow(678))
        );
        assert_eq!(
            at(Scheme::Iso2, "YE", "1991-01-01"),
            Lookup::Found(Entity::Cow(679))
        );
        assert_eq!(
            at(Scheme::Iso2, "YD", "1980-01-01"),
            Lookup::Found(Entity::Cow(680))
        );
        assert_eq!(
            at(Scheme::Name, "Yemen Arab Republic", "1980-01-01"),
            Lookup::Found(Entity::Cow(678))
        );
        assert_eq!(
            at(Scheme::Name, "russian federation", "2018-01-01"),
            Lookup::Found(Entity::Cow(365))
        );
        assert_eq!(
            at(Scheme::Name, "Côte d’Ivoire", "2018-01-01"),
            Lookup::Found(Entity::Cow(437))
        );
    }

    #[test]
    fn dataset_ids_are_detected_and_mapped() {
        let cw = Crosswalk::builtin();
        let ds = crate::dataset::load_str(
            r#"{"name":"t","states":[{"id":"ARM","name":"Armenia"},{"id":"RUS","name":"Russia"},
                {"id":"KAZ","name":"Kazakhstan"},{"id":"DEU","name":"Germany"},
                {"id":"BLR","name":"Belarus"},{"id":"USA","name":"United States"}]}"#,
            "t",
        )
        .unwrap();
        let m = DatasetCodes::new(cw, &ds, None).unwrap();
        assert_eq!(m.scheme, Scheme::Iso3);
        let idx = |id: &str| ds.state_index(id).unwrap();
        let g = |s, c, day| m.get(cw, s, c, d(day));
        assert_eq!(
            g(Scheme::Iso2, "AM", "2000-01-01"),
            Match::State(idx("ARM"))
        );
        assert_eq!(
            g(Scheme::Cow, "KZK", "2000-01-01"),
            Match::State(idx("KAZ"))
        );
        assert_eq!(
            g(Scheme::Cow, "365", "2000-01-01"),
            Match::State(idx("RUS"))
        );
        // DEU is West Germany before 1990-10-03 and Germany after.
        assert_eq!(
            g(Scheme::Iso2, "DE", "1980-01-01"),
            Match::State(idx("DEU"))
        );
        assert_eq!(
            g(Scheme::Cow, "GFR", "1980-01-01"),
            Match::State(idx("DEU"))
        );
        assert_eq!(
            g(Scheme::Iso2, "DE", "2000-01-01"),
            Match::State(idx("DEU"))
        );
        assert_eq!(
            g(Scheme::Iso2, "DD", "1980-01-01"),
            Match::NotInDataset(Entity::Cow(265))
        );
        // Austria (COW AUS) is not in this dataset: never Australia, never anything else.
        assert_eq!(
            g(Scheme::Cow, "AUS", "2000-01-01"),
            Match::NotInDataset(Entity::Cow(305))
        );
        assert_eq!(g(Scheme::Iso2, "XX", "2000-01-01"), Match::Unknown);
        // The Byelorussian SSR voted in the UN as BY before Belarus was a state.
        assert_eq!(
            g(Scheme::Iso2, "BY", "1980-01-01"),
            Match::OutsideSpell(Entity::Cow(370))
        );
        assert_eq!(
            g(Scheme::Iso2, "BY", "1995-01-01"),
            Match::State(idx("BLR"))
        );
    }
}
