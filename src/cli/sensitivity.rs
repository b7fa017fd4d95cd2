//! `entente sensitivity [FILE] --metric M [--alliance A] [--state S] --date D [--vary RULE]…
//! [--chart PATH]`: which uncertainty rule moves one value most. Each rule is set to its low
//! and then its high end, every other rule nominal; the table is sorted by swing, and `--chart`
//! draws the tornado (PNG or SVG by extension).

use super::alliances;
use super::args::{self, OutputArg};
use super::robust::{prepare, RuleArgs};
use chrono::NaiveDate;
use entente::error::{Error, Result};
use entente::metrics::Scope;
use entente::plot::{self, Size, TornadoBar, TornadoChart};
use entente::robust::{self, sensitivity, At};
use std::path::PathBuf;

/// `--format` of `sensitivity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SensitivityOutput {
    /// A text table, largest swing first.
    Table,
    /// CSV: rule, low, high, swing (and the nominal value in each row).
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The metric: a graph metric, an alliance metric (with --alliance) or a per-member
    /// metric (with --alliance and --state).
    #[arg(long, value_name = "KEY")]
    pub metric: String,
    /// The alliance of an alliance or per-member metric.
    #[arg(long, value_name = "ID")]
    pub alliance: Option<String>,
    /// The member of a per-member metric (e.g. alignment).
    #[arg(long, value_name = "ID")]
    pub state: Option<String>,
    /// The date of the value.
    #[arg(long, value_parser = args::date, allow_negative_numbers = true)]
    pub date: NaiveDate,
    /// Output format of the table.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SensitivityOutput,
    /// Also draw the tornado chart here (`.png` or `.svg`).
    #[arg(long, value_name = "PATH")]
    pub chart: Option<PathBuf>,
    /// Picture size of the chart, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x900", value_parser = args::size)]
    pub size: Size,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(a: Args) -> Result<()> {
    let format = a
        .chart
        .as_deref()
        .map(|p| super::plot::image_format(p, false))
        .transpose()?;
    // No random draws: each rule is set to its ends.
    let p = prepare(&a.rules, None, 0, 0)?;
    let alliance = match &a.alliance {
        None => None,
        Some(x) => {
            alliances::filter(&p.ds, std::slice::from_ref(x))?.and_then(|v| v.first().copied())
        }
    };
    let state = match &a.state {
        None => None,
        Some(s) => Some(super::states::resolve(&p.ds, "--state", s, &p.u.label)?),
    };
    let (scope, at) = match (alliance, state) {
        (None, None) => (Scope::Graph, At::Graph),
        (Some(x), None) => (Scope::Alliance, At::Alliance(x)),
        (Some(x), Some(s)) => (Scope::State, At::Member(x, s)),
        (None, Some(_)) => return Err(Error::Usage("--state needs --alliance".into())),
    };
    let metric = robust::metric(scope, &a.metric)
        .filter(|m| robust::has_number(m))
        .ok_or_else(|| {
            Error::Usage(format!(
                "--metric: {:?} is not a numeric {} metric",
                a.metric,
                scope.name()
            ))
        })?;
    let selection = entente::metrics::Selection::of(&[metric.key])
        .map_err(|m| Error::Usage(format!("--metric: {m}")))?;
    let engine =
        p.u.engine(&p.ds, vec![a.date], alliance.map(|x| vec![x]), selection);
    let (nominal, rows) = sensitivity::run(&engine, at, metric);
    let what = format!(
        "{} of {} on {}",
        metric.key,
        super::robust::scope_text(&p.ds, at),
        entente::date::fmt_date(a.date)
    );
    if let (Some(path), Some(format)) = (&a.chart, format) {
        let chart = TornadoChart {
            title: "Which choice moves the value most".into(),
            subtitle: what.clone(),
            nominal,
            bars: rows
                .iter()
                .map(|r| TornadoBar {
                    label: r.rule.clone(),
                    low: r.low,
                    high: r.high,
                })
                .collect(),
        };
        let bytes = plot::render(&chart, a.size, format)?;
        entente::output::write_atomic(path, &bytes)?;
    }
    let num = entente::format::metrics::csv_number;
    match a.format {
        SensitivityOutput::Csv => a.output.emit(|w| {
            writeln!(w, "rule,nominal,low,high,swing")?;
            for r in &rows {
                writeln!(
                    w,
                    "{},{},{},{},{}",
                    entente::base::csv::field(&r.rule),
                    num(nominal),
                    num(r.low),
                    num(r.high),
                    num(r.swing)
                )?;
            }
            Ok(())
        }),
        SensitivityOutput::Table => {
            let f = |v: Option<f64>| entente::format::fmt_opt(v, 4);
            let mut t = format!("{what}: nominal {}\n\n", f(nominal));
            let width = rows
                .iter()
                .map(|r| r.rule.chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            t.push_str(&format!(
                "{:<width$} {:>9} {:>9} {:>9}\n",
                "rule", "low end", "high end", "swing"
            ));
            for r in &rows {
                t.push_str(&format!(
                    "{:<width$} {:>9} {:>9} {:>9}\n",
                    r.rule,
                    f(r.low),
                    f(r.high),
                    f(r.swing)
                ));
            }
            a.output.print_for_reading(&t)
        }
    }
}
