//! `entente export gexf|graphml|csv …`: the graph for other tools (Gephi and friends). Node
//! attributes (bloc, signed bloc, alignment per alliance) are computed here from the metrics and
//! handed to the exporters as plain data; `export csv --nodes FILE` writes the nodes table.

use super::args::{self, OutputArg};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::dataset::{Dataset, EventKind};
use entente::date::{from_day, Day, Step};
use entente::error::{Error, Result};
use entente::export;
use entente::export::nodes::{alignment_title, number, AttrType, NodeAttributes, NodeHistory};
use entente::metrics::bloc_dynamics::{bloc_dynamics, DatedBlocs};
use entente::metrics::{self, Selection, SnapshotMetrics};
use entente::model::Snapshot;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// The whole timeline as dynamic GEXF 1.3 (Gephi's timeline), with dynamic node attributes.
    Gexf(GexfArgs),
    /// The graph at a date as GraphML, with node attributes.
    Graphml(SnapArgs),
    /// The graph at a date as a CSV edge list source,target,weight (--nodes: the nodes table).
    Csv(CsvArgs),
}

/// The node attribute flags shared by the exporters.
#[derive(Debug, Clone, clap::Args)]
pub struct NodeArgs {
    /// Also give each state its signed bloc (`signed_bloc`): several times slower on large
    /// graphs (docs/performance.md).
    #[arg(long)]
    pub signed: bool,
    /// Leave out the computed node attributes (bloc, signed bloc, alignment); memberships stay.
    #[arg(long, conflicts_with = "signed")]
    pub no_metrics: bool,
}

#[derive(Debug, clap::Args)]
pub struct GexfArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Regular sampling step of edge weights, besides every event date (Nd, Nw, Nm, Ny).
    #[arg(long, default_value = "1m", allow_hyphen_values = true)]
    pub step: Step,
    #[command(flatten)]
    pub nodes: NodeArgs,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Debug, clap::Args)]
pub struct SnapArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The date (YYYY-MM-DD).
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub date: NaiveDate,
    #[command(flatten)]
    pub nodes: NodeArgs,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Debug, clap::Args)]
pub struct CsvArgs {
    #[command(flatten)]
    pub snap: SnapArgs,
    /// Also write the nodes table here (one row per present state, isolated ones included:
    /// id, label, alliances, suspended, bloc, alignment per alliance), written atomically.
    #[arg(long, value_name = "FILE")]
    pub nodes: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    match args.what {
        What::Gexf(a) => {
            let l = input::load(&a.data)?;
            let days = export::gexf::sample_days(&l.timeline, a.step)
                .map_err(|e| Error::Usage(format!("export gexf: {e} (--step)")))?;
            let history = (!a.nodes.no_metrics)
                .then(|| node_history(&l.dataset, &l.timeline, &days, a.nodes.signed));
            a.output.emit(|w| {
                export::gexf::write_with_nodes(&l.dataset, &l.timeline, &days, history, w)
            })
        }
        What::Graphml(a) => {
            let l = input::load(&a.data)?;
            let snap = l.timeline.snapshot(a.date);
            let attrs = (!a.nodes.no_metrics).then(|| attributes_at(&snap, a.nodes.signed));
            a.output
                .emit(|w| export::graphml::write_with_nodes(&l.dataset, &snap, attrs.as_ref(), w))
        }
        What::Csv(a) => {
            let s = &a.snap;
            let l = input::load(&s.data)?;
            let snap = l.timeline.snapshot(s.date);
            if let Some(path) = &a.nodes {
                let attrs = if s.nodes.no_metrics {
                    NodeAttributes::default()
                } else {
                    attributes_at(&snap, s.nodes.signed)
                };
                entente::output::write_atomic_with(path, |w| {
                    export::nodes::write_csv(&l.dataset, &snap, &attrs, w)
                })?;
            }
            s.output.emit(|w| export::csv::write(&l.dataset, &snap, w))
        }
    }
}

/// The metrics the node attributes need.
fn selection(signed: bool) -> Selection {
    let keys: &[&str] = if signed {
        &["blocs", "signed_blocs", "alignment"]
    } else {
        &["blocs", "alignment"]
    };
    // The keys are the catalogue's own: a failure here is a bug the tests catch.
    Selection::of(keys).unwrap_or_else(|_| Selection::standard())
}

/// Each state's group position in `groups` (dataset indices), by dataset index.
fn group_of(groups: Option<&[Vec<usize>]>) -> BTreeMap<usize, usize> {
    groups
        .unwrap_or_default()
        .iter()
        .enumerate()
        .flat_map(|(b, g)| g.iter().map(move |&s| (s, b)))
        .collect()
}

/// The node attributes of one snapshot: blocs labelled by their position (as `entente blocs`
/// labels a single date), each alliance's members' alignment.
fn attributes_at(snap: &Snapshot, signed: bool) -> NodeAttributes {
    let m = metrics::compute_selected(snap, None, &selection(signed));
    let local = |groups: Option<&[Vec<usize>]>| -> Vec<Option<usize>> {
        let of = group_of(groups);
        snap.states.iter().map(|s| of.get(s).copied()).collect()
    };
    NodeAttributes {
        bloc: local(m.graph.groups("blocs")),
        signed_bloc: signed.then(|| local(m.graph.groups("signed_blocs"))),
        alignment: alignment_by_alliance(snap, &m),
    }
}

/// Each alliance's members' alignment, by snapshot-local state index.
fn alignment_by_alliance(snap: &Snapshot, m: &SnapshotMetrics) -> Vec<(usize, Vec<Option<f64>>)> {
    m.alliances
        .iter()
        .map(|(a, values)| {
            let mut out = vec![None; snap.n()];
            for &(s, v) in values.per_state("alignment").unwrap_or_default() {
                if let Some(k) = snap.local(s) {
                    out[k] = v;
                }
            }
            (*a, out)
        })
        .collect()
}

/// How many sample days are computed at once (bounds the memory of a long series).
const CHUNK: usize = 256;

/// The node attributes over the GEXF's sample days: bloc labels kept consistent from day to day
/// (the matching of `entente blocs`), each alliance's members' alignment.
fn node_history(
    ds: &Dataset,
    tl: &entente::model::Timeline,
    days: &[Day],
    signed: bool,
) -> NodeHistory {
    let dates: Vec<NaiveDate> = days.iter().map(|&d| from_day(d)).collect();
    let sel = selection(signed);
    let mut h = NodeHistory::default();
    // Declared in the order of the file's columns: memberships (fed by the GEXF writer), blocs,
    // then the alignment in each alliance anyone ever joins, in dataset order.
    for id in ["alliances", "suspended"] {
        h.attribute(id.into(), id.into(), AttrType::Text);
    }
    let bloc_attr = h.attribute("bloc".into(), "bloc".into(), AttrType::Integer);
    let signed_attr = signed.then(|| {
        h.attribute(
            "signed_bloc".into(),
            "signed_bloc".into(),
            AttrType::Integer,
        )
    });
    let joined: std::collections::BTreeSet<usize> = ds
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Join { alliance, .. } => Some(alliance),
            _ => None,
        })
        .collect();
    let alignment_attr: BTreeMap<usize, usize> = joined
        .into_iter()
        .map(|a| {
            let attr = h.attribute(
                format!("alignment_{a}"),
                alignment_title(&ds.alliances[a].id),
                AttrType::Double,
            );
            (a, attr)
        })
        .collect();
    let mut blocs: Vec<DatedBlocs> = Vec::with_capacity(days.len());
    let mut signed_blocs: Vec<DatedBlocs> = Vec::new();
    for (chunk_days, chunk_dates) in days.chunks(CHUNK).zip(dates.chunks(CHUNK)) {
        let points = metrics::series_selected(tl, chunk_dates, None, &sel, &|_| {});
        for (&day, p) in chunk_days.iter().zip(&points) {
            let groups = |key: &str| p.metrics.graph.groups(key).unwrap_or_default().to_vec();
            blocs.push(DatedBlocs {
                date: p.date,
                blocs: groups("blocs"),
            });
            if signed {
                signed_blocs.push(DatedBlocs {
                    date: p.date,
                    blocs: groups("signed_blocs"),
                });
            }
            for (a, values) in &p.metrics.alliances {
                let Some(&attr) = alignment_attr.get(a) else {
                    continue;
                };
                let vals: Vec<(usize, String)> = values
                    .per_state("alignment")
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&(s, v)| v.map(|v| (s, number(v))))
                    .collect();
                h.day(attr, day, &vals);
            }
            // Alliances without members that day: their values end.
            for (&a, &attr) in &alignment_attr {
                if !p.metrics.alliances.iter().any(|(x, _)| *x == a) {
                    h.day(attr, day, &[]);
                }
            }
        }
    }
    let mut labelled = |attr: usize, series: &[DatedBlocs]| {
        let labels = bloc_dynamics(series).labels;
        for ((&day, dated), labels) in days.iter().zip(series).zip(&labels) {
            let vals: Vec<(usize, String)> = dated
                .blocs
                .iter()
                .zip(labels)
                .flat_map(|(g, l)| g.iter().map(move |&s| (s, l.to_string())))
                .collect();
            h.day(attr, day, &vals);
        }
    };
    labelled(bloc_attr, &blocs);
    if let Some(attr) = signed_attr {
        labelled(attr, &signed_blocs);
    }
    h
}
