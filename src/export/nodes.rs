//! What the exporters write about each state besides its id and name: its alliances (member,
//! and suspended), its bloc (and signed bloc), its alignment in each alliance. The metric values
//! come from the caller as plain data ([`NodeAttributes`] at one date, [`NodeHistory`] over the
//! GEXF sample days), so the exporters need no metrics code; memberships come from the snapshot.
//!
//! [`write_csv`] writes the nodes table that goes next to the edge CSV (Gephi's "nodes table"
//! import): one row per present state, isolated ones included, written with the `csv` crate
//! (RFC 4180 quoting). Columns: `id,label,alliances,suspended,bloc[,signed_bloc],alignment:ID…`
//! — `alliances` and `suspended` list alliance ids separated by `;`, blocs are labels (numbers
//! from 0, see docs/export.md), and there is one `alignment:ID` column per alliance with members
//! at the date (dataset order), empty where the state is not a member or the value is undefined.

use crate::dataset::Dataset;
use crate::date::Day;
use crate::model::Snapshot;
use std::collections::BTreeMap;
use std::io::Write;

/// Metric values of the present states of one snapshot (snapshot-local state indices).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeAttributes {
    /// Each present state's bloc label (`None`: in no bloc).
    pub bloc: Vec<Option<usize>>,
    /// Each present state's signed bloc label, when asked for.
    pub signed_bloc: Option<Vec<Option<usize>>>,
    /// For each alliance with members (dataset index, dataset order), each present state's
    /// alignment (`None`: not a member, or undefined).
    pub alignment: Vec<(usize, Vec<Option<f64>>)>,
}

/// The alliances each present state belongs to at the snapshot's date, and those in which it
/// is suspended, as `;`-joined ids (dataset order).
pub fn memberships(ds: &Dataset, snap: &Snapshot) -> Vec<(String, String)> {
    let mut member: Vec<Vec<&str>> = vec![Vec::new(); snap.n()];
    let mut suspended: Vec<Vec<&str>> = vec![Vec::new(); snap.n()];
    for m in &snap.memberships {
        let id = ds.alliances[m.alliance].id.as_str();
        for k in m.members() {
            member[k].push(id);
        }
        for &k in &m.suspended {
            suspended[k].push(id);
        }
    }
    member
        .into_iter()
        .zip(suspended)
        .map(|(m, s)| (m.join(";"), s.join(";")))
        .collect()
}

/// The title of the alignment attribute of an alliance (`alignment:ID`).
pub fn alignment_title(alliance_id: &str) -> String {
    format!("alignment:{alliance_id}")
}

/// Writes the nodes table of `snap` (see the module header).
pub fn write_csv(
    ds: &Dataset,
    snap: &Snapshot,
    attrs: &NodeAttributes,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<String> = ["id", "label", "alliances", "suspended", "bloc"]
        .map(String::from)
        .to_vec();
    if attrs.signed_bloc.is_some() {
        header.push("signed_bloc".into());
    }
    for (a, _) in &attrs.alignment {
        header.push(alignment_title(&ds.alliances[*a].id));
    }
    out.write_record(&header)
        .map_err(crate::base::csv::io_error)?;
    let label = |b: Option<usize>| b.map_or(String::new(), |b| b.to_string());
    let member_of = memberships(ds, snap);
    for (k, &s) in snap.states.iter().enumerate() {
        let st = &ds.states[s];
        let (alliances, suspended) = &member_of[k];
        let mut row = vec![
            st.id.clone(),
            st.name.clone(),
            alliances.clone(),
            suspended.clone(),
            label(attrs.bloc.get(k).copied().flatten()),
        ];
        if let Some(sb) = &attrs.signed_bloc {
            row.push(label(sb.get(k).copied().flatten()));
        }
        for (_, values) in &attrs.alignment {
            row.push(
                values
                    .get(k)
                    .copied()
                    .flatten()
                    .map_or(String::new(), number),
            );
        }
        out.write_record(&row).map_err(crate::base::csv::io_error)?;
    }
    out.flush()
}

/// A number as the exporters write it: the shortest text that reads back to the same value.
pub fn number(x: f64) -> String {
    format!("{x}")
}

/// The type of a node attribute (GEXF's and GraphML's names differ only for integers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    /// A whole number (bloc labels).
    Integer,
    /// A floating-point number.
    Double,
    /// Text.
    Text,
}

/// A declared node attribute: its id in the file, its title, its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The id used by `<attvalue for=…>` (plain ASCII: `bloc`, `alignment_3`, …).
    pub id: String,
    /// The title shown by Gephi (`alignment:CSTO`).
    pub title: String,
    /// The value type.
    pub ty: AttrType,
}

/// One interval of a value: first day, last day (`None`: open), the value as text.
pub type ValueInterval = (Day, Option<Day>, String);

/// Each state's (dataset index) values: (attribute position, interval), attributes in
/// declaration order, intervals in day order.
pub type StateValues = BTreeMap<usize, Vec<(usize, ValueInterval)>>;

/// Node attribute values over a series of days, kept as intervals of constant value (for the
/// dynamic GEXF). Each attribute is fed its own days in ascending order with [`NodeHistory::day`]:
/// a state's value holds from the day it appears until the day before it changes or is missing.
#[derive(Debug, Clone, Default)]
pub struct NodeHistory {
    /// The declared attributes, in declaration order.
    pub attributes: Vec<Attribute>,
    /// (attribute, dataset state) → the current value and the day it started.
    current: BTreeMap<(usize, usize), (Day, String)>,
    /// (dataset state, attribute) → closed intervals, in day order.
    closed: BTreeMap<(usize, usize), Vec<ValueInterval>>,
}

impl NodeHistory {
    /// Declares an attribute (or finds the one declared with this id); returns its position.
    pub fn attribute(&mut self, id: String, title: String, ty: AttrType) -> usize {
        if let Some(k) = self.attributes.iter().position(|a| a.id == id) {
            return k;
        }
        self.attributes.push(Attribute { id, title, ty });
        self.attributes.len() - 1
    }

    /// The values of attribute `attr` on `day` (dataset state, value as text); states not
    /// listed have no value that day. Days of one attribute must ascend.
    pub fn day(&mut self, attr: usize, day: Day, values: &[(usize, String)]) {
        let now: BTreeMap<usize, &String> = values.iter().map(|(s, v)| (*s, v)).collect();
        let closed = &mut self.closed;
        self.current.retain(|&(a, s), (start, v)| {
            if a != attr || now.get(&s).is_some_and(|x| *x == v) {
                return true;
            }
            closed
                .entry((s, a))
                .or_default()
                .push((*start, Some(day - 1), std::mem::take(v)));
            false
        });
        for (s, v) in now {
            self.current
                .entry((attr, s))
                .or_insert_with(|| (day, v.clone()));
        }
    }

    /// Every state's intervals per attribute, the open ones closed at infinity: dataset state
    /// → (attribute, intervals in day order), attributes in declaration order.
    pub fn finish(mut self) -> (Vec<Attribute>, StateValues) {
        for ((a, s), (start, v)) in std::mem::take(&mut self.current) {
            self.closed
                .entry((s, a))
                .or_default()
                .push((start, None, v));
        }
        let mut by_state = StateValues::new();
        for ((s, a), ivs) in self.closed {
            let entry = by_state.entry(s).or_default();
            entry.extend(ivs.into_iter().map(|iv| (a, iv)));
        }
        (self.attributes, by_state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_intervals_of_constant_value() {
        let mut h = NodeHistory::default();
        let bloc = h.attribute("bloc".into(), "bloc".into(), AttrType::Integer);
        let al = h.attribute("a0".into(), "alignment:X".into(), AttrType::Double);
        h.day(bloc, 10, &[(0, "0".into()), (1, "1".into())]);
        h.day(bloc, 20, &[(0, "0".into()), (1, "0".into())]);
        h.day(bloc, 30, &[(0, "0".into())]);
        h.day(al, 10, &[(1, "0.5".into())]);
        h.day(al, 30, &[(1, "0.5".into())]);
        let (attrs, by_state) = h.finish();
        assert_eq!(attrs.len(), 2);
        assert_eq!(by_state[&0], vec![(bloc, (10, None, "0".to_string()))]);
        assert_eq!(
            by_state[&1],
            vec![
                (bloc, (10, Some(19), "1".to_string())),
                (bloc, (20, Some(29), "0".to_string())),
                (al, (10, None, "0.5".to_string())),
            ]
        );
    }
}
