//! `entente similarity [FILE] --date D [--states A,B,…] [--measure s|s_sq|pearson]
//! [--format table|csv|json]`: the portfolio-similarity matrix of the present states at a date
//! (docs/metrics.md: portfolios, the S-score, S², Pearson), over every present state's row;
//! `--states` chooses the rows and columns shown, in dataset order.

use super::args::{self, OutputArg};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::base::csv::field;
use entente::date::fmt_date;
use entente::error::{Error, Result};
use entente::metrics::similarity::{matrix, Measure};
use entente::metrics::View;

/// `--measure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MeasureArg {
    /// Signorino and Ritter's S-score (absolute differences).
    S,
    /// The S-score with squared differences.
    #[value(name = "s_sq")]
    SSq,
    /// The Pearson correlation of the portfolios.
    Pearson,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// A text table.
    Table,
    /// Long form `a,b,value`.
    Csv,
    /// `{"date", "measure", "states", "matrix"}`.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// The date (YYYY-MM-DD).
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub date: NaiveDate,
    /// The states shown (comma-separated ids or names); every present state when omitted.
    #[arg(long, value_delimiter = ',', value_name = "A,B,…")]
    pub states: Vec<String>,
    /// The similarity measure.
    #[arg(long, value_enum, default_value = "s")]
    pub measure: MeasureArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,
    #[command(flatten)]
    pub output: OutputArg,
}

/// The measure of a `--measure` value.
pub fn measure(m: MeasureArg) -> Measure {
    match m {
        MeasureArg::S => Measure::S,
        MeasureArg::SSq => Measure::SSq,
        MeasureArg::Pearson => Measure::Pearson,
    }
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    let ds = &l.dataset;
    let snap = l.timeline.snapshot(args.date);
    let m = measure(args.measure);
    // Local indices of the states shown, in dataset order.
    let shown: Vec<usize> = if args.states.is_empty() {
        (0..snap.n()).collect()
    } else {
        let mut v = Vec::new();
        for id in &args.states {
            let s = super::states::resolve(ds, "--states", id.trim(), &l.label)?;
            let k = snap.local(s).ok_or_else(|| {
                Error::Usage(format!(
                    "--states: {id} is not present on {}",
                    fmt_date(args.date)
                ))
            })?;
            v.push(k);
        }
        v.sort_unstable();
        v.dedup();
        v
    };
    let full = matrix(View::from(&snap), m);
    let n = snap.n();
    let ids: Vec<&str> = shown
        .iter()
        .map(|&k| ds.states[snap.states[k]].id.as_str())
        .collect();
    let value = |a: usize, b: usize| full[shown[a] * n + shown[b]];
    let text = match args.format {
        FormatArg::Json => {
            let rows: Vec<Vec<Option<f64>>> = (0..shown.len())
                .map(|a| (0..shown.len()).map(|b| value(a, b)).collect())
                .collect();
            let mut o = serde_json::Map::new();
            o.insert("date".into(), fmt_date(args.date).into());
            o.insert("measure".into(), m.as_str().into());
            o.insert("states".into(), serde_json::json!(ids));
            o.insert("matrix".into(), serde_json::json!(rows));
            let mut t = serde_json::to_string_pretty(&serde_json::Value::Object(o))
                .map_err(|e| Error::Internal(e.to_string()))?;
            t.push('\n');
            t
        }
        FormatArg::Csv => {
            let mut t = String::from("a,b,value\n");
            for a in 0..shown.len() {
                for b in 0..shown.len() {
                    let v = value(a, b).map(|x| x.to_string()).unwrap_or_default();
                    t.push_str(&format!("{},{},{v}\n", field(ids[a]), field(ids[b])));
                }
            }
            t
        }
        FormatArg::Table => {
            let w = ids
                .iter()
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
                .max(6);
            let mut t = format!(
                "{} — portfolio similarity ({}) on {}, over {} present states\n",
                ds.name,
                m.as_str(),
                fmt_date(args.date),
                n
            );
            t.push_str(&format!("{:w$}", ""));
            for id in &ids {
                t.push_str(&format!(" {id:>w$}"));
            }
            t.push('\n');
            for (a, id) in ids.iter().enumerate() {
                t.push_str(&format!("{id:w$}"));
                for b in 0..shown.len() {
                    match value(a, b) {
                        Some(v) => t.push_str(&format!(" {v:>w$.3}")),
                        None => t.push_str(&format!(" {:>w$}", "—")),
                    }
                }
                t.push('\n');
            }
            return args.output.print_for_reading(&t);
        }
    };
    args.output.print(&text)
}
