//! `entente snapshot [FILE] --date D [--state S]… [--by-layer] [--format json|table]`: the graph
//! at a date (the JSON includes its cohesion metrics, keys `graph` and `alliances`); `--state`
//! narrows the ties to those of the states named, `--by-layer` adds each tie's per-layer parts.

use super::args::{self, JsonOrTable, OutputArg};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::error::Result;
use entente::format::snapshot::{LayerParts, View};
use entente::format::{self, snapshot as fmt};
use entente::limits::{self, GraphSize};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// The date (YYYY-MM-DD); every event dated on or before it is included.
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub date: NaiveDate,
    /// Only the ties of this state (repeatable): in the table every tie it has, strongest
    /// first; in the JSON the `ties` list narrowed to its pairs.
    #[arg(long = "state", value_name = "ID")]
    pub states: Vec<String>,
    /// Each tie's part in each layer (treaty, events, a dataset event layer, a --ties layer):
    /// the raw sums before clamping, whose sum clamped to [−1, 1] is the weight.
    #[arg(long)]
    pub by_layer: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: JsonOrTable,
    /// Rows per section in the table view.
    #[arg(long, default_value_t = 10, value_parser = args::count::<usize>, allow_negative_numbers = true)]
    pub top: usize,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    let (l, layer_timelines) = if args.by_layer {
        input::load_by_layer(&args.data)?
    } else {
        (input::load(&args.data)?, Vec::new())
    };
    let focus = super::states::resolve_all(&l.dataset, "--state", &args.states, &l.label)?;
    let snap = l.timeline.snapshot(args.date);
    let parts = args.by_layer.then(|| LayerParts {
        layers: layer_timelines
            .iter()
            .map(|(name, tl)| (name.clone(), tl.raw_snapshot(args.date).1))
            .collect(),
    });
    let view = View {
        states: &focus,
        parts: parts.as_ref(),
        top: args.top,
    };
    let text = match args.format {
        JsonOrTable::Json => {
            limits::check_metrics(GraphSize::of_snapshot(&snap), "the snapshot's metrics")?;
            let m = entente::metrics::compute(&l.dataset, &snap);
            format::to_json(&fmt::with_metrics(
                fmt::snapshot_view_out(&l.dataset, &snap, &view),
                entente::format::metrics::snapshot_metrics_out(&l.dataset, &m),
            ))
        }
        JsonOrTable::Table => fmt::table_view(&l.dataset, &snap, &view),
    };
    args.output.print(&text)
}
