//! The whole timeline as a dynamic GEXF 1.3 graph that Gephi's timeline plays.
//!
//! Representation (docs/import.md): `timeformat="date"`, closed day intervals (`end` is the last
//! day of an interval; GEXF 1.3 has no open bounds). Nodes carry presence spells taken exactly
//! from the `enter`/`exit` events (a state present from the start has no start; one present at
//! the end has no end). Edges carry spells where their weight is non-zero and the weight as the
//! dynamic edge attribute `weight` (`<attvalue for="weight" value start end>`), piecewise
//! constant between sample dates.
//!
//! Sample dates: every day on which something changes exactly (structural events, tie events,
//! the day a tie event's window closes), plus a regular series (`step`, monthly by default)
//! from the first to the last of those days, because weights under a half-life change
//! continuously: between two sample dates the exported weight is the one at the earlier date.
//! After the last sample date each value holds for ever (no `end`).
//!
//! Node attributes (when the caller gives a [`NodeHistory`], computed over the same sample
//! days): dynamic `<attvalue>`s in the same closed-interval form, declared in
//! `<attributes class="node" mode="dynamic">` — `alliances` and `suspended` (`;`-joined alliance
//! ids), `bloc`, `signed_bloc`, one `alignment:ID` per alliance (see [`super::nodes`]).

use super::nodes::{AttrType, Attribute, NodeHistory, StateValues};
use super::xml_escape as x;
use crate::dataset::Dataset;
use crate::date::{checked_series_dates, fmt_date, from_day, to_day, Day, Step, MAX_SERIES_DATES};
use crate::model::{Spell, Timeline};
use std::collections::BTreeMap;
use std::io::ErrorKind::InvalidInput;
use std::io::Write;

/// The days at which the weights are sampled (see the module header), ascending; refused
/// (with a message naming the range and the step) when the regular samples would be more than
/// [`MAX_SERIES_DATES`], as a series is: `--step 1d` over events from year 1 to 9999 would be
/// 3.65 million samples.
pub fn sample_days(tl: &Timeline, step: Step) -> Result<Vec<Day>, String> {
    let mut days = tl.exact_change_days();
    if let (Some(&first), Some(&last)) = (days.first(), days.last()) {
        let (from, to) = (from_day(first), from_day(last));
        let regular = checked_series_dates(from, to, step).map_err(|_| {
            format!(
                "sampling the weights every {step} from {} to {} (the first and the last change) \
                 would take more than {MAX_SERIES_DATES} samples: use a larger step",
                fmt_date(from),
                fmt_date(to)
            )
        })?;
        for d in regular {
            days.insert(to_day(d));
        }
    }
    Ok(days.into_iter().collect())
}

/// One interval of an edge: first day, last day (`None`: open).
type Interval = (Day, Option<Day>);

/// The weight of each tie (pair of dataset states) over the sample days: the intervals where it
/// holds one non-zero value, in day order, pairs in order.
type EdgeIntervals = BTreeMap<(usize, usize), Vec<(Interval, f64)>>;

fn spell(w: &mut dyn Write, (a, b): Spell) -> std::io::Result<()> {
    write!(w, "<spell")?;
    if let Some(a) = a {
        write!(w, r#" start="{}""#, fmt_date(from_day(a)))?;
    }
    if let Some(b) = b {
        write!(w, r#" end="{}""#, fmt_date(from_day(b)))?;
    }
    write!(w, "/>")
}

/// Writes the dataset's timeline as dynamic GEXF 1.3 (no node attributes), sampled with
/// `step`; an error of kind `InvalidInput` when `step` gives too many samples ([`sample_days`]).
pub fn write(ds: &Dataset, tl: &Timeline, step: Step, w: &mut dyn Write) -> std::io::Result<()> {
    let days = sample_days(tl, step).map_err(|e| std::io::Error::new(InvalidInput, e))?;
    write_with_nodes(ds, tl, &days, None, w)
}

/// Writes the dataset's timeline as dynamic GEXF 1.3 sampled on `days` (from [`sample_days`]),
/// with the node attributes of `nodes`, computed on the same days (memberships are added here
/// from the timeline).
pub fn write_with_nodes(
    ds: &Dataset,
    tl: &Timeline,
    days: &[Day],
    nodes: Option<NodeHistory>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let (edges, nodes) = edge_intervals(ds, tl, days, nodes);
    let (attributes, values) = match nodes {
        Some(h) => h.finish(),
        None => Default::default(),
    };
    write_header(ds, days, &attributes, w)?;
    write_nodes(ds, &tl.presence_spells(), &attributes, &values, w)?;
    write_edges(ds, &edges, w)?;
    writeln!(w, "  </graph>")?;
    writeln!(w, "</gexf>")
}

/// Samples the graph at each of `days` and turns each tie's values into intervals of constant
/// weight (an interval ends the day before its value changes or the tie disappears).
/// With `nodes`, also feeds it each state's memberships on each sample day.
fn edge_intervals(
    ds: &Dataset,
    tl: &Timeline,
    days: &[Day],
    mut nodes: Option<NodeHistory>,
) -> (EdgeIntervals, Option<NodeHistory>) {
    let mut current: BTreeMap<(usize, usize), (Day, f64)> = BTreeMap::new();
    let mut edges = EdgeIntervals::new();
    let member_attrs = nodes.as_mut().map(|h| {
        let text = |id: &str| (id.to_string(), id.to_string(), AttrType::Text);
        let (a, b, c) = text("alliances");
        let (d, e, f) = text("suspended");
        (h.attribute(a, b, c), h.attribute(d, e, f))
    });
    for &d in days {
        let snap = tl.snapshot(from_day(d));
        if let (Some(h), Some((member, suspended))) = (nodes.as_mut(), member_attrs) {
            let lists = super::nodes::memberships(ds, &snap);
            let pick = |f: fn(&(String, String)) -> &String| -> Vec<(usize, String)> {
                snap.states
                    .iter()
                    .zip(&lists)
                    .filter(|(_, l)| !f(l).is_empty())
                    .map(|(&s, l)| (s, f(l).clone()))
                    .collect()
            };
            h.day(member, d, &pick(|l| &l.0));
            h.day(suspended, d, &pick(|l| &l.1));
        }
        let now: BTreeMap<(usize, usize), f64> = snap
            .ties()
            .map(|(i, j, wt)| ((snap.states[i], snap.states[j]), wt))
            .collect();
        current.retain(|pair, (start, wt)| {
            if now.get(pair) == Some(wt) {
                return true;
            }
            edges
                .entry(*pair)
                .or_default()
                .push(((*start, Some(d - 1)), *wt));
            false
        });
        for (pair, wt) in now {
            current.entry(pair).or_insert((d, wt));
        }
    }
    for (pair, (start, wt)) in current {
        edges.entry(pair).or_default().push(((start, None), wt));
    }
    (edges, nodes)
}

/// The XML declaration, the `<gexf>` and `<graph>` openings (spanning the sample days) and the
/// declaration of the dynamic `weight` edge attribute.
fn write_header(
    ds: &Dataset,
    days: &[Day],
    attributes: &[Attribute],
    w: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(
        w,
        "  <meta><creator>entente</creator><description>{}</description></meta>",
        x(&ds.name)
    )?;
    write!(
        w,
        r#"  <graph mode="dynamic" defaultedgetype="undirected" timeformat="date" timerepresentation="interval""#
    )?;
    if let (Some(&a), Some(&b)) = (days.first(), days.last()) {
        write!(
            w,
            r#" start="{}" end="{}""#,
            fmt_date(from_day(a)),
            fmt_date(from_day(b))
        )?;
    }
    writeln!(w, ">")?;
    if !attributes.is_empty() {
        writeln!(w, r#"    <attributes class="node" mode="dynamic">"#)?;
        for a in attributes {
            let ty = match a.ty {
                AttrType::Integer => "integer",
                AttrType::Double => "double",
                AttrType::Text => "string",
            };
            writeln!(
                w,
                r#"      <attribute id="{}" title="{}" type="{ty}"/>"#,
                x(&a.id),
                x(&a.title)
            )?;
        }
        writeln!(w, "    </attributes>")?;
    }
    writeln!(w, r#"    <attributes class="edge" mode="dynamic">"#)?;
    writeln!(
        w,
        r#"      <attribute id="weight" title="Weight" type="double"/>"#
    )?;
    writeln!(w, "    </attributes>")
}

/// Every state as a node, with its attribute values (by dataset state index) and its presence
/// spells unless it is present throughout.
fn write_nodes(
    ds: &Dataset,
    spells: &[Vec<Spell>],
    attributes: &[Attribute],
    values: &StateValues,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(w, r#"    <nodes count="{}">"#, ds.states.len())?;
    for (k, (st, node_spells)) in ds.states.iter().zip(spells).enumerate() {
        write!(
            w,
            r#"      <node id="{}" label="{}">"#,
            x(&st.id),
            x(&st.name)
        )?;
        if let Some(vals) = values.get(&k).filter(|v| !v.is_empty()) {
            write!(w, "<attvalues>")?;
            for (a, (start, end, v)) in vals {
                write!(
                    w,
                    r#"<attvalue for="{}" value="{}" start="{}""#,
                    x(attributes.get(*a).map_or("", |at| at.id.as_str())),
                    x(v),
                    fmt_date(from_day(*start))
                )?;
                if let Some(e) = end {
                    write!(w, r#" end="{}""#, fmt_date(from_day(*e)))?;
                }
                write!(w, "/>")?;
            }
            write!(w, "</attvalues>")?;
        }
        if !node_spells.is_empty() && node_spells[..] != [(None, None)] {
            write!(w, "<spells>")?;
            for &sp in node_spells {
                spell(w, sp)?;
            }
            write!(w, "</spells>")?;
        }
        writeln!(w, "</node>")?;
    }
    writeln!(w, "    </nodes>")
}

/// Every tie as an edge: its weight per interval, then its spells.
fn write_edges(ds: &Dataset, edges: &EdgeIntervals, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, r#"    <edges count="{}">"#, edges.len())?;
    for (k, ((a, b), ivs)) in edges.iter().enumerate() {
        write!(
            w,
            r#"      <edge id="e{k}" source="{}" target="{}"><attvalues>"#,
            x(&ds.states[*a].id),
            x(&ds.states[*b].id)
        )?;
        for &((s, e), wt) in ivs {
            write!(
                w,
                r#"<attvalue for="weight" value="{wt}" start="{}""#,
                fmt_date(from_day(s))
            )?;
            if let Some(e) = e {
                write!(w, r#" end="{}""#, fmt_date(from_day(e)))?;
            }
            write!(w, "/>")?;
        }
        write!(w, "</attvalues><spells>")?;
        for (s, e) in merged_spells(ivs) {
            spell(w, (Some(s), e))?;
        }
        writeln!(w, "</spells></edge>")?;
    }
    writeln!(w, "    </edges>")
}

/// The union of an edge's intervals (in day order), contiguous ones merged.
fn merged_spells(ivs: &[(Interval, f64)]) -> Vec<Interval> {
    let mut merged: Vec<Interval> = Vec::new();
    for &((s, e), _) in ivs {
        match merged.last_mut() {
            Some((_, Some(le))) if *le + 1 == s => *le = e.unwrap_or(Day::MAX),
            _ => merged.push((s, e)),
        }
        if let Some(last) = merged.last_mut() {
            if last.1 == Some(Day::MAX) {
                last.1 = None;
            }
        }
    }
    merged
}
