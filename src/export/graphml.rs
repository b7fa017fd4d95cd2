//! The graph at one date as GraphML: present states as nodes, ties as undirected edges with a
//! `weight`. Node data: `label` (the name), `alliances` (the ids of the alliances it is a member
//! of at that date, separated by `;`), `suspended` (those in which it is suspended); with
//! [`NodeAttributes`] also `bloc`, `signed_bloc` and one `alignment:ID` per alliance with members
//! (key ids `alignment_K`, K the alliance's dataset position: GraphML key ids must be plain
//! tokens, the title carries the alliance id). A value that does not exist is left out.

use super::nodes::{alignment_title, memberships, number, NodeAttributes};
use super::xml_escape as x;
use crate::dataset::Dataset;
use crate::model::Snapshot;
use std::io::Write;

/// Writes `snap` as GraphML (memberships only).
pub fn write(ds: &Dataset, snap: &Snapshot, w: &mut dyn Write) -> std::io::Result<()> {
    write_with_nodes(ds, snap, None, w)
}

fn key(w: &mut dyn Write, id: &str, name: &str, ty: &str) -> std::io::Result<()> {
    writeln!(
        w,
        r#"  <key id="{}" for="node" attr.name="{}" attr.type="{ty}"/>"#,
        x(id),
        x(name)
    )
}

/// Writes `snap` as GraphML, with the node attributes of `attrs` when given.
pub fn write_with_nodes(
    ds: &Dataset,
    snap: &Snapshot,
    attrs: Option<&NodeAttributes>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    key(w, "label", "label", "string")?;
    key(w, "alliances", "alliances", "string")?;
    key(w, "suspended", "suspended", "string")?;
    if let Some(a) = attrs {
        key(w, "bloc", "bloc", "int")?;
        if a.signed_bloc.is_some() {
            key(w, "signed_bloc", "signed_bloc", "int")?;
        }
        for (k, _) in &a.alignment {
            key(
                w,
                &format!("alignment_{k}"),
                &alignment_title(&ds.alliances[*k].id),
                "double",
            )?;
        }
    }
    writeln!(
        w,
        r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
    )?;
    writeln!(
        w,
        r#"  <graph id="{}" edgedefault="undirected">"#,
        x(&format!("{} {}", ds.name, crate::date::fmt_date(snap.date)))
    )?;
    let member_of = memberships(ds, snap);
    for (k, &s) in snap.states.iter().enumerate() {
        let st = &ds.states[s];
        let (alliances, suspended) = &member_of[k];
        write!(
            w,
            r#"    <node id="{}"><data key="label">{}</data><data key="alliances">{}</data>"#,
            x(&st.id),
            x(&st.name),
            x(alliances)
        )?;
        if !suspended.is_empty() {
            write!(w, r#"<data key="suspended">{}</data>"#, x(suspended))?;
        }
        if let Some(a) = attrs {
            if let Some(b) = a.bloc.get(k).copied().flatten() {
                write!(w, r#"<data key="bloc">{b}</data>"#)?;
            }
            if let Some(b) = a
                .signed_bloc
                .as_ref()
                .and_then(|v| v.get(k).copied().flatten())
            {
                write!(w, r#"<data key="signed_bloc">{b}</data>"#)?;
            }
            for (al, values) in &a.alignment {
                if let Some(v) = values.get(k).copied().flatten() {
                    write!(w, r#"<data key="alignment_{al}">{}</data>"#, number(v))?;
                }
            }
        }
        writeln!(w, "</node>")?;
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
