//! The graph at one date as GraphML: present states as nodes (label = name, `alliances` = the
//! ids of the alliances it is a member of at that date, separated by `;`), ties as undirected
//! edges with a `weight`.

use super::xml_escape as x;
use crate::dataset::Dataset;
use crate::model::Snapshot;
use std::io::Write;

/// Writes `snap` as GraphML.
pub fn write(ds: &Dataset, snap: &Snapshot, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    writeln!(
        w,
        r#"  <key id="label" for="node" attr.name="label" attr.type="string"/>"#
    )?;
    writeln!(
        w,
        r#"  <key id="alliances" for="node" attr.name="alliances" attr.type="string"/>"#
    )?;
    writeln!(
        w,
        r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
    )?;
    writeln!(
        w,
        r#"  <graph id="{}" edgedefault="undirected">"#,
        x(&format!("{} {}", ds.name, crate::date::fmt_date(snap.date)))
    )?;
    let mut member_of: Vec<Vec<&str>> = vec![Vec::new(); snap.n()];
    for m in &snap.memberships {
        for k in m.members() {
            member_of[k].push(&ds.alliances[m.alliance].id);
        }
    }
    for (k, &s) in snap.states.iter().enumerate() {
        let st = &ds.states[s];
        writeln!(
            w,
            r#"    <node id="{}"><data key="label">{}</data><data key="alliances">{}</data></node>"#,
            x(&st.id),
            x(&st.name),
            x(&member_of[k].join(";"))
        )?;
    }
    for (e, (i, j, wt)) in snap.ties().enumerate() {
        writeln!(
            w,
            r#"    <edge id="e{e}" source="{}" target="{}"><data key="weight">{wt}</data></edge>"#,
            x(&ds.states[snap.states[i]].id),
            x(&ds.states[snap.states[j]].id)
        )?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}
