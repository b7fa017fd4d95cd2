//! `entente robust [FILE] [--ties F]… [--vary RULE]… [--draws 200] [--seed 1] [--quantiles …]
//! [--metric M]… [--alliance A]… [--from] [--to] [--step] [--format json|csv|table]
//! [--emit-draws DIR [--force]] [--claims FILE] [--claims-csv PATH]`: every metric cell of a series with
//! its nominal value, mean and quantiles over draws of the uncertain modelling choices, and the
//! probability of each claim (docs/robust.md). Also the loading shared with `sensitivity`.

use super::alliances;
use super::args::{self, OutputArg, SeriesArgs};
use super::input::{self, DataArgs};
use entente::dataset::Dataset;
use entente::error::{Diagnostic, Error, Result};
use entente::metrics::Metric;
use entente::model::{TieEvent, Timeline};
use entente::report::uncertainty::Uncertainty;
use entente::robust::claims::{self, Claim};
use entente::robust::csv as robust_csv;
use entente::robust::declared;
use entente::robust::quantiles;
use entente::robust::rules;
use entente::robust::{bands, At, Check, Flat, Variant};
use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;

/// `--format` of `robust`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RobustOutput {
    /// Pretty-printed JSON: parameters, `series` (one object per cell) and `claims`.
    Json,
    /// Long CSV: date, alliance, state, metric, nominal, mean, one column per quantile, draws.
    Csv,
    /// A text table for reading (and the claims below it).
    Table,
}

/// Flags shared by `robust` and `sensitivity`: the data and the rules.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// An uncertainty rule in the compact syntax `SELECTOR:PARAM=LO..HI` (range) or
    /// `SELECTOR:PARAM*LO..HI` (scale), optionally `:triangular`, `:per=event`; repeatable,
    /// added to the dataset's own `uncertainty` rules (docs/robust.md).
    #[arg(long = "vary", value_name = "RULE")]
    pub vary: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub series: SeriesArgs,
    /// How many random draws.
    #[arg(long, default_value = "200", value_parser = args::count::<usize>)]
    pub draws: usize,
    /// Seed of the draws (same seed, draws and input: same output).
    #[arg(long, default_value = "1", value_parser = args::count::<u64>)]
    pub seed: u64,
    /// Quantiles to report, comma-separated, each in [0, 1].
    #[arg(long, default_value = "0.05,0.25,0.5,0.75,0.95", value_name = "Q,…")]
    pub quantiles: String,
    /// Only this metric (repeatable; what it needs is computed too); default: every metric.
    #[arg(long = "metric", value_name = "KEY")]
    pub metrics: Vec<String>,
    /// Only this alliance (repeatable): an id, a name, or an ATOP number.
    #[arg(long = "alliance", value_name = "ID")]
    pub alliances: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: RobustOutput,
    /// Write each draw as a plain dataset `DIR/draw-0001.json` (and rewritten tie CSVs). The
    /// folder is replaced as a whole, like a report's: only one entente made, unless --force.
    #[arg(long = "emit-draws", value_name = "DIR")]
    pub emit_draws: Option<PathBuf>,
    /// Replace the --emit-draws folder even if entente did not make it (its files are deleted).
    #[arg(long, requires = "emit_draws")]
    pub force: bool,
    /// Claims to check (a JSON array, or an object with a `claims` array), besides the
    /// dataset's own.
    #[arg(long = "claims", value_name = "FILE")]
    pub claims: Option<PathBuf>,
    /// Write the claims' table (id, holds_nominal, probability, label) as CSV here.
    #[arg(long = "claims-csv", value_name = "PATH")]
    pub claims_csv: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArg,
}

/// What `robust` and `sensitivity` load: the dataset, and what varies it as the report has
/// it (the tie files one by one, the checked rules and claims, the draws and seed).
pub struct Prepared {
    pub ds: Dataset,
    pub u: Uncertainty,
    /// How many of `u.claims` (the first ones) the dataset itself states.
    pub own_claims: usize,
    /// The nominal timeline (for default date ranges).
    pub timeline: Timeline,
}

/// Loads the data (`--without` and `--with` applied), reads and resolves every rule (the
/// dataset's, then `--vary`'s) and the claims (the dataset's, then `--claims`'s), to be drawn
/// `draws` times from `seed`. Every problem is exit status 2; the dataset's rules and claims
/// are checked by the code `validate` uses.
pub fn prepare(
    a: &RuleArgs,
    claims_file: Option<&std::path::Path>,
    draws: usize,
    seed: u64,
) -> Result<Prepared> {
    input::no_half_life(&a.data, "robust and sensitivity")?;
    if claims_file.is_some_and(|p| p.as_os_str() == "-") {
        return Err(Error::Usage(
            "robust reads claims from a file, not standard input".into(),
        ));
    }
    if !a.data.layer.is_empty() || !a.data.layer_weight.is_empty() || a.data.behaviour.is_some() {
        return Err(Error::Usage(
            "robust and sensitivity draw every layer as it is: --layer, --layer-weight and --behaviour are not taken".into(),
        ));
    }
    let inputs = input::read(&a.data)?;
    let (ds, label) = (inputs.dataset, inputs.label);
    let (tie_labels, rows): (Vec<String>, Vec<Vec<TieEvent>>) =
        inputs.tie_files.into_iter().unzip();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut vary = Vec::new();
    for v in &a.vary {
        match rules::parse_compact(v) {
            Ok(r) => vary.push(r),
            Err(d) => problems.push(d),
        }
    }
    let (resolved, mut claim_list) =
        match declared::check(&inputs.declared, &vary, &ds, &label, &tie_labels, &rows) {
            Ok(x) => x,
            Err(p) => {
                problems.extend(p);
                (Vec::new(), Vec::new())
            }
        };
    let own_claims = claim_list.len();
    if let Some(p) = claims_file {
        let l = p.display().to_string();
        let bytes = input::read_json_input(p)?;
        entente::dataset::check_whole_json(&bytes, &l, "a claims file")?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => match claims::from_json(&v, &ds, &l) {
                Ok(c) => {
                    for c in c {
                        if claim_list.iter().any(|o| o.id == c.id) {
                            problems.push(Diagnostic::new(
                                &l,
                                format!("{}.id", c.place),
                                format!("claim id {:?} is also a claim of {label}", c.id),
                            ));
                        } else {
                            claim_list.push(c);
                        }
                    }
                }
                Err(p) => problems.extend(p),
            },
            Err(e) => problems.push(Diagnostic::new(
                &l,
                format!("{}:{}", e.line(), e.column()),
                format!("not JSON: {e}"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let u = Uncertainty {
        label,
        tie_files: tie_labels,
        rows,
        rules: resolved,
        claims: claim_list,
        draws,
        seed,
    };
    let timeline = u.timeline(&ds);
    input::print_warnings(timeline.warnings());
    if u.rules.is_empty() {
        diag!(
            "warning: {}: no uncertainty rules (the dataset declares none and no --vary was given): every draw is the nominal run",
            u.label
        );
    }
    Ok(Prepared {
        ds,
        u,
        own_claims,
        timeline,
    })
}

/// The scope column of a cell, as in `entente metrics --format csv`.
pub fn scope_text(ds: &Dataset, at: At) -> String {
    match at {
        At::Graph => "graph".into(),
        At::Alliance(a) => ds.alliances[a].id.clone(),
        At::Member(a, s) => format!("{}/{}", ds.alliances[a].id, ds.states[s].id),
    }
}

/// One claim's result.
#[derive(Debug, Serialize)]
struct ClaimOut {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    holds_nominal: bool,
    probability: f64,
    label: &'static str,
}

#[derive(Debug, Serialize)]
struct Out<'a> {
    from: String,
    to: String,
    step: String,
    draws: usize,
    seed: u64,
    rules: Vec<&'a str>,
    quantiles: Vec<f64>,
    series: Vec<entente::base::OrderedMap<Value>>,
    claims: Vec<ClaimOut>,
}

/// A value as JSON: counts with an integral value as integers (as `metrics` writes them).
fn number(m: &Metric, v: Option<f64>) -> Value {
    match v.filter(|x| x.is_finite()) {
        Some(x) if m.is_count() && x.fract() == 0.0 && x >= 0.0 => Value::from(x as u64),
        Some(x) => Value::from(x),
        None => Value::Null,
    }
}

pub fn run(a: Args) -> Result<()> {
    let p = prepare(&a.rules, a.claims.as_deref(), a.draws, a.seed)?;
    if a.draws == 0 {
        return Err(Error::Usage("--draws: give at least 1 draw".into()));
    }
    let qs = quantiles::parse_list(&a.quantiles)
        .map_err(|m| Error::Usage(format!("--quantiles: {m}")))?;
    let filter = alliances::filter(&p.ds, &a.alliances)?;
    let (from, to) = a.series.range(&p.timeline, &p.u.label)?;
    let step = a.series.step();
    let dates = entente::date::checked_series_dates(from, to, step).map_err(args::too_many)?;
    // A dataset's claim is tested only when the series covers its window (a claim about
    // 2022–2024 read on a series of 2024 alone would test something else); the others are left
    // out with a warning. A claim given with --claims is always tested (an empty window is
    // refused below).
    let covered = |c: &Claim| {
        c.from.map_or(true, |d| from <= d)
            && c.at.map_or(true, |d| from <= d)
            && c.to.map_or(true, |d| to >= d)
            && !entente::robust::window(c, &dates).is_empty()
    };
    let claims: Vec<Claim> = p
        .u
        .claims
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            let skip = *i < p.own_claims && !covered(c);
            if skip {
                diag!(
                    "warning: {}: {}: claim {:?} is not tested: the series ({} to {}) does not cover its window{}",
                    p.u.label,
                    c.place,
                    c.id,
                    entente::date::fmt_date(from),
                    entente::date::fmt_date(to),
                    match (c.at, c.from, c.to) {
                        (Some(at), _, _) => format!(" (at {})", entente::date::fmt_date(at)),
                        (None, Some(f), Some(t)) => format!(" ({} to {})", entente::date::fmt_date(f), entente::date::fmt_date(t)),
                        (None, Some(f), None) => format!(" (from {})", entente::date::fmt_date(f)),
                        (None, None, Some(t)) => format!(" (to {})", entente::date::fmt_date(t)),
                        (None, None, None) => String::new(),
                    }
                );
            }
            !skip
        })
        .map(|(_, c)| c.clone())
        .collect();
    let mut keys: Vec<&str> = a.metrics.iter().map(String::as_str).collect();
    let wanted = keys.clone();
    if keys.is_empty() {
        // The default set of `metrics`: every metric but the opt-in ones, without those that
        // cannot apply to this data.
        let (standard, left_out) = entente::metrics::Selection::standard().applicable(&p.timeline);
        if let Some(note) = entente::metrics::catalogue::left_out_note(&left_out) {
            diag!("note: robust: {note}");
        }
        keys.extend(standard.keys());
    }
    // A claim's metric is computed even when it is opt-in or not asked for.
    keys.extend(
        claims
            .iter()
            .filter_map(|c| c.subject.metric())
            .map(|m| m.key),
    );
    let selection = entente::metrics::Selection::of(&keys)
        .map_err(|m| Error::Usage(format!("--metric: {m}")))?;
    let compute_alliances = filter.clone().map(|mut f| {
        f.extend(claims.iter().filter_map(|c| c.alliance));
        f.sort_unstable();
        f.dedup();
        f
    });
    let mut engine =
        p.u.engine(&p.ds, dates.clone(), compute_alliances, selection);
    engine.watch(&claims);
    let nominal: Flat = engine.flat(Variant::Nominal);
    let nominal_values = nominal.values_or_nan();
    let checks = claims
        .iter()
        .map(|c| Check::new(c, &nominal, &dates, &p.u.label))
        .collect::<Result<Vec<_>>>()?;
    let keep: Vec<usize> = nominal
        .cells
        .iter()
        .enumerate()
        // Shown: the metrics asked for, or by default those `metrics` shows (not the opt-in
        // ones a claim alone needed).
        .filter(|(_, c)| {
            if wanted.is_empty() {
                !entente::metrics::catalogue::OPT_IN.contains(&c.metric.key)
            } else {
                wanted.contains(&c.metric.key)
            }
        })
        .filter(|(_, c)| match (c.at, &filter) {
            (_, None) | (At::Graph, _) => true,
            (At::Alliance(x) | At::Member(x, _), Some(f)) => f.contains(&x),
        })
        .map(|(i, _)| i)
        .collect();
    // Each draw keeps only the cells shown and the claims' verdicts.
    entente::robust::check_draws(a.draws, keep.len())?;
    let per_draw: Vec<(Vec<f64>, Vec<bool>)> = engine.draws(a.draws, &nominal, &|v| {
        (
            keep.iter().map(|&i| v[i]).collect(),
            checks.iter().map(|c| c.holds(v)).collect(),
        )
    })?;
    let (values, verdicts): (Vec<Vec<f64>>, Vec<Vec<bool>>) = per_draw.into_iter().unzip();
    let q: Vec<f64> = qs.iter().map(|(_, q)| *q).collect();
    let b = bands(&nominal, &values, &q, &keep);
    drop(values);
    let claim_rows: Vec<ClaimOut> = claims
        .iter()
        .zip(&checks)
        .enumerate()
        .map(|(k, (c, check))| {
            let n = verdicts.iter().filter(|h| h[k]).count();
            let prob = n as f64 / a.draws as f64;
            ClaimOut {
                id: c.id.clone(),
                text: c.text.clone(),
                holds_nominal: check.holds(&nominal_values),
                probability: prob,
                label: claims::label(prob),
            }
        })
        .collect();
    if let Some(dir) = &a.emit_draws {
        // As a whole: a rerun with fewer draws leaves no draw of the old run behind, an
        // interrupted one leaves the old folder as it was, and a user's folder is not written into.
        entente::output::replace_folder(dir, a.force, "--force", |staging| {
            let mut names = Vec::new();
            for k in 1..=a.draws {
                for (name, bytes) in engine.draw_files(k) {
                    entente::output::write_atomic(&staging.join(&name), &bytes)?;
                    names.push(name);
                }
            }
            Ok(names)
        })?;
    }
    if let Some(path) = &a.claims_csv {
        entente::output::write_atomic_with(path, |w| {
            writeln!(w, "id,holds_nominal,probability,label")?;
            for c in &claim_rows {
                writeln!(
                    w,
                    "{},{},{},{}",
                    entente::base::csv::field(&c.id),
                    c.holds_nominal,
                    c.probability,
                    c.label
                )?;
            }
            Ok(())
        })?;
    }
    let date_text = |i: usize| entente::date::fmt_date(dates[i]);
    match a.format {
        RobustOutput::Json => {
            let series = keep
                .iter()
                .zip(&b)
                .map(|(&i, band)| {
                    let c = nominal.cells[i];
                    let mut m = vec![
                        ("date".to_string(), Value::from(date_text(c.date))),
                        ("scope".to_string(), Value::from(scope_text(&p.ds, c.at))),
                        ("metric".to_string(), Value::from(c.metric.key)),
                        ("nominal".to_string(), number(c.metric, band.nominal)),
                        ("mean".to_string(), number(c.metric, band.mean)),
                    ];
                    for ((name, _), v) in qs.iter().zip(&band.quantiles) {
                        m.push((format!("q{name}"), number(c.metric, *v)));
                    }
                    m.push(("draws".to_string(), Value::from(band.draws)));
                    entente::base::OrderedMap(m)
                })
                .collect();
            let out = Out {
                from: entente::date::fmt_date(from),
                to: entente::date::fmt_date(to),
                step: step.to_string(),
                draws: a.draws,
                seed: a.seed,
                rules: engine.rules.iter().map(|r| r.rule.label.as_str()).collect(),
                quantiles: q.clone(),
                series,
                claims: claim_rows,
            };
            a.output.emit(|w| {
                serde_json::to_writer_pretty(&mut *w, &out)?;
                writeln!(w)
            })
        }
        RobustOutput::Csv => a.output.emit(|w| {
            let names: Vec<&str> = qs.iter().map(|(name, _)| name.as_str()).collect();
            write!(w, "{}", robust_csv::header(&names))?;
            for (&i, band) in keep.iter().zip(&b) {
                let c = &nominal.cells[i];
                write!(w, "{}", robust_csv::row(&p.ds, &date_text(c.date), c, band))?;
            }
            Ok(())
        }),
        RobustOutput::Table => {
            let f = |v: Option<f64>| entente::format::fmt_opt(v, 4);
            let mut t = format!(
                "{:<10} {:<16} {:<18} {:>9} {:>9}",
                "date", "scope", "metric", "nominal", "mean"
            );
            for (name, _) in &qs {
                t.push_str(&format!(" {:>9}", format!("q{name}")));
            }
            t.push_str(&format!(" {:>6}\n", "draws"));
            for (&i, band) in keep.iter().zip(&b) {
                let c = nominal.cells[i];
                t.push_str(&format!(
                    "{:<10} {:<16} {:<18} {:>9} {:>9}",
                    date_text(c.date),
                    scope_text(&p.ds, c.at),
                    c.metric.key,
                    f(band.nominal),
                    f(band.mean)
                ));
                for v in &band.quantiles {
                    t.push_str(&format!(" {:>9}", f(*v)));
                }
                t.push_str(&format!(" {:>6}\n", band.draws));
            }
            if !claim_rows.is_empty() {
                t.push_str(&format!(
                    "\n{:<24} {:>8} {:>11}  label\n",
                    "claim", "nominal", "probability"
                ));
                for c in &claim_rows {
                    t.push_str(&format!(
                        "{:<24} {:>8} {:>11.3}  {}\n",
                        c.id, c.holds_nominal, c.probability, c.label
                    ));
                }
            }
            a.output.print_for_reading(&t)
        }
    }
}
