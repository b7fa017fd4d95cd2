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

use super::xml_escape as x;
use crate::dataset::Dataset;
use crate::date::{fmt_date, from_day, series_dates, to_day, Day, Step};
use crate::model::timeline::Change;
use crate::model::Timeline;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// The days at which the weights are sampled (see the module header), ascending.
pub fn sample_days(tl: &Timeline, step: Step) -> Vec<Day> {
    let mut days: BTreeSet<Day> = BTreeSet::new();
    for &(d, _) in &tl.changes {
        days.insert(d);
    }
    for t in &tl.ties {
        days.insert(t.day);
        if let Some(dur) = t.duration {
            let end = f64::from(t.day) + dur.ceil();
            if end < f64::from(Day::MAX) {
                days.insert(end as Day);
            }
        }
    }
    if let (Some(&first), Some(&last)) = (days.first(), days.last()) {
        for d in series_dates(from_day(first), from_day(last), step) {
            days.insert(to_day(d));
        }
    }
    days.into_iter().collect()
}

/// One interval of a node or edge: first day, last day (`None`: open).
type Interval = (Day, Option<Day>);

fn spell(w: &mut dyn Write, (a, b): (Option<Day>, Option<Day>)) -> std::io::Result<()> {
    write!(w, "<spell")?;
    if let Some(a) = a {
        write!(w, r#" start="{}""#, fmt_date(from_day(a)))?;
    }
    if let Some(b) = b {
        write!(w, r#" end="{}""#, fmt_date(from_day(b)))?;
    }
    write!(w, "/>")
}

/// Writes the dataset's timeline as dynamic GEXF 1.3.
pub fn write(ds: &Dataset, tl: &Timeline, step: Step, w: &mut dyn Write) -> std::io::Result<()> {
    // Node presence from the structural changes.
    let n = tl.n_states;
    let mut open: Vec<Option<Option<Day>>> = tl
        .initially_present
        .iter()
        .map(|&p| if p { Some(None) } else { None })
        .collect();
    let mut node_spells: Vec<Vec<(Option<Day>, Option<Day>)>> = vec![Vec::new(); n];
    for &(d, c) in &tl.changes {
        match c {
            Change::Enter(s) => open[s as usize] = Some(Some(d)),
            Change::Exit(s) => {
                if let Some(start) = open[s as usize].take() {
                    node_spells[s as usize].push((start, Some(d - 1)));
                }
            }
            _ => {}
        }
    }
    for (s, o) in open.into_iter().enumerate() {
        if let Some(start) = o {
            node_spells[s].push((start, None));
        }
    }

    // Edge weights at the sample days.
    let days = sample_days(tl, step);
    let mut current: BTreeMap<(usize, usize), (Day, f64)> = BTreeMap::new();
    let mut edges: BTreeMap<(usize, usize), Vec<(Interval, f64)>> = BTreeMap::new();
    for &d in &days {
        let snap = tl.snapshot(from_day(d));
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
    writeln!(w, r#"    <attributes class="edge" mode="dynamic">"#)?;
    writeln!(
        w,
        r#"      <attribute id="weight" title="Weight" type="double"/>"#
    )?;
    writeln!(w, "    </attributes>")?;
    writeln!(w, r#"    <nodes count="{n}">"#)?;
    for (s, st) in ds.states.iter().enumerate() {
        write!(
            w,
            r#"      <node id="{}" label="{}">"#,
            x(&st.id),
            x(&st.name)
        )?;
        if !node_spells[s].is_empty() && node_spells[s] != [(None, None)] {
            write!(w, "<spells>")?;
            for &sp in &node_spells[s] {
                spell(w, sp)?;
            }
            write!(w, "</spells>")?;
        }
        writeln!(w, "</node>")?;
    }
    writeln!(w, "    </nodes>")?;
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
        // Spells: the union of the intervals, contiguous ones merged.
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
        for (s, e) in merged {
            spell(w, (Some(s), e))?;
        }
        writeln!(w, "</spells></edge>")?;
    }
    writeln!(w, "    </edges>")?;
    writeln!(w, "  </graph>")?;
    writeln!(w, "</gexf>")
}
