//! How sure the report is: the shaded 5–95 % bands behind the focal charts, the findings (the
//! dataset's claims with their probability over the draws) and the tornado of the focal value,
//! all from the engine `entente robust` and `entente sensitivity` use ([`crate::robust`],
//! docs/robust.md): the same draws (draw `k` from generator stream `k` of the seed), the same
//! quantiles, the same claim checks and labels. A cell's band in the report therefore equals
//! `entente robust`'s `q0.05`/`q0.95` for that cell over the same dates, draws and seed.
//!
//! No IO; the command line loads the rules and claims and hands them over in [`Uncertainty`].

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::metrics::{self, Metric, Scope, SeriesPoint};
use crate::model::{TieEvent, Timeline};
use crate::plot::{TornadoBar, TornadoChart};
use crate::robust::claims::{self, Claim};
use crate::robust::rules::Resolved;
use crate::robust::{self, quantiles, sensitivity, At, Check, Engine, Flat, Variant};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The quantiles of the shaded bands.
pub const BAND: (f64, f64) = (0.05, 0.95);

/// The uncertain inputs and how to draw them: the checked rules and claims, the tie rows per
/// file (the rules may vary them), how many draws and the seed. The report builds one
/// ([`crate::report::Additions`]); `entente robust` and `entente sensitivity` load one beside
/// their dataset.
#[derive(Debug, Clone)]
pub struct Uncertainty {
    /// The dataset's name in messages (as `robust` gives it).
    pub label: String,
    /// Tie CSV labels, as given.
    pub tie_files: Vec<String>,
    /// The rows of each tie CSV, in the order of `tie_files`.
    pub rows: Vec<Vec<TieEvent>>,
    /// The rules, resolved against the dataset they vary.
    pub rules: Vec<Resolved>,
    /// The claims to test.
    pub claims: Vec<Claim>,
    /// How many draws; 0 turns the bands off (claims are then checked in the nominal run only).
    pub draws: usize,
    /// The seed of the draws.
    pub seed: u64,
}

impl Uncertainty {
    /// Whether draws are made: some rule and at least one draw.
    pub fn drawing(&self) -> bool {
        self.draws > 0 && !self.rules.is_empty()
    }

    /// A short description for captions: "5–95 % of 200 draws of the dataset's 17 uncertainty
    /// rules (seed 1)".
    pub fn band_text(&self) -> String {
        format!(
            "{}–{} % of {} draws of {} uncertainty rule{} (seed {})",
            pct(BAND.0),
            pct(BAND.1),
            self.draws,
            self.rules.len(),
            if self.rules.len() == 1 { "" } else { "s" },
            self.seed
        )
    }

    /// The nominal timeline of `ds` with every tie row (no rule applied).
    pub fn timeline(&self, ds: &Dataset) -> Timeline {
        let extra: Vec<TieEvent> = self.rows.iter().flatten().copied().collect();
        Timeline::with_ties(ds, &self.label, extra, &self.tie_files.join(", "))
    }

    /// The engine that varies `ds` by these rules over `dates` with this seed, computing
    /// `selection` for `alliances` (`None`: all). It watches no claim yet ([`Engine::watch`]).
    pub fn engine<'a>(
        &'a self,
        ds: &'a Dataset,
        dates: Vec<NaiveDate>,
        alliances: Option<Vec<usize>>,
        selection: metrics::Selection,
    ) -> Engine<'a> {
        Engine {
            ds,
            file: &self.label,
            tie_files: &self.tie_files,
            rows: &self.rows,
            rules: self.rules.clone(),
            dates,
            alliances,
            selection,
            seed: self.seed,
            pairs: Vec::new(),
            pair_dates: Vec::new(),
        }
    }

    /// The report's engine: [`Uncertainty::engine`] for the metrics `keys`, watching every claim.
    fn watching<'a>(
        &'a self,
        ds: &'a Dataset,
        dates: Vec<NaiveDate>,
        alliances: Vec<usize>,
        keys: &[&str],
    ) -> Result<Engine<'a>> {
        let selection = metrics::Selection::of(keys).map_err(Error::Internal)?;
        let mut engine = self.engine(ds, dates, Some(alliances), selection);
        // Claims on a pair's tie read it at the dates of their windows.
        engine.watch(&self.claims);
        Ok(engine)
    }
}

/// A quantile as a percentage: 0.05 → "5".
pub fn pct(q: f64) -> String {
    format!("{}", (q * 100.0).round())
}

/// One claim's result, as `entente robust` gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The claim's id.
    pub id: String,
    /// The claim in words.
    pub text: Option<String>,
    /// Whether it holds in the plain run; `None` when its window holds none of the report's
    /// dates (then `note` says so).
    pub holds_nominal: Option<bool>,
    /// The share of draws in which it holds (`None` without draws).
    pub probability: Option<f64>,
    /// The verdict label of the probability ([`claims::label`]).
    pub label: Option<&'static str>,
    /// Why the claim was not checked.
    pub note: Option<String>,
}

pub use super::charts::BandLine;

/// The result of the draws.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Per (scope, metric key): the band at each report date.
    pub bands: BTreeMap<(At, &'static str), BandLine>,
    /// Per (state, partner): the band of their tie at each report date (the ego charts).
    pub ego: BTreeMap<(usize, usize), BandLine>,
    /// Every banded cell in the order of `entente robust --format csv`: date index, scope,
    /// metric, and its summary (quantiles [`BAND`]).
    pub cells: Vec<(robust::Cell, robust::Band)>,
    /// One per claim, in order.
    pub findings: Vec<Finding>,
}

impl Outcome {
    /// The bands of `metric` per alliance (dataset index).
    pub fn alliance_bands(&self, metric: &str) -> BTreeMap<usize, BandLine> {
        self.bands
            .iter()
            .filter_map(|((at, key), line)| match at {
                At::Alliance(a) if *key == metric => Some((*a, line.clone())),
                _ => None,
            })
            .collect()
    }

    /// The alignment bands of the members of `alliance` that `keep` accepts, per state.
    pub fn member_bands(
        &self,
        alliance: usize,
        keep: impl Fn(usize) -> bool,
    ) -> BTreeMap<usize, BandLine> {
        self.bands
            .iter()
            .filter_map(|((at, key), line)| match at {
                At::Member(a, s) if *a == alliance && *key == "alignment" && keep(*s) => {
                    Some((*s, line.clone()))
                }
                _ => None,
            })
            .collect()
    }
}

/// What to band: the focal alliances' values of `metric_keys` and their members' alignment,
/// and the ties of each focal state to its ego partners.
pub struct Wanted<'a> {
    /// Focal alliances (dataset indices).
    pub alliances: &'a [usize],
    /// Alliance metrics to band (catalogue keys).
    pub metric_keys: &'a [&'static str],
    /// (state, partners) of each ego chart.
    pub ego: &'a [(usize, Vec<usize>)],
}

/// Runs the draws over `dates`: the bands of what is `wanted` and the claims' findings. With
/// no draws ([`Uncertainty::drawing`] false) only the claims' nominal verdicts are given.
pub fn run(
    ds: &Dataset,
    u: &Uncertainty,
    dates: &[NaiveDate],
    wanted: &Wanted<'_>,
) -> Result<Outcome> {
    let mut keys: Vec<&str> = wanted.metric_keys.to_vec();
    keys.push("alignment");
    keys.extend(
        u.claims
            .iter()
            .filter_map(|c| c.subject.metric())
            .map(|m| m.key),
    );
    keys.sort_unstable();
    keys.dedup();
    let mut alliances: Vec<usize> = wanted.alliances.to_vec();
    alliances.extend(u.claims.iter().filter_map(|c| c.alliance));
    alliances.sort_unstable();
    alliances.dedup();
    let engine = u.watching(ds, dates.to_vec(), alliances, &keys)?;
    let nominal: Flat = engine.flat(Variant::Nominal);
    let nominal_values = nominal.values_or_nan();
    // A claim whose window misses the report's dates is listed, not checked.
    let checks: Vec<std::result::Result<Check, String>> = u
        .claims
        .iter()
        .map(|c| {
            Check::new(c, &nominal, dates, &u.label).map_err(|e| match e {
                Error::Invalid(d) => d
                    .first()
                    .map_or_else(|| "not checked".to_string(), |d| d.message.clone()),
                other => other.to_string(),
            })
        })
        .collect();
    let keep: Vec<usize> = nominal
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| match c.at {
            At::Alliance(a) => {
                wanted.alliances.contains(&a) && wanted.metric_keys.contains(&c.metric.key)
            }
            At::Member(a, _) => wanted.alliances.contains(&a) && c.metric.key == "alignment",
            At::Graph => false,
        })
        .map(|(i, _)| i)
        .collect();
    let pairs: Vec<(usize, usize)> = wanted
        .ego
        .iter()
        .flat_map(|(s, ps)| ps.iter().map(move |p| (*s, *p)))
        .collect();
    let draws = if u.drawing() { u.draws } else { 0 };
    // Each draw keeps its charted cells and the ego chart's ties until the bands are taken.
    crate::robust::check_draws(draws, keep.len() + pairs.len() * dates.len())?;
    type Draw = (Vec<f64>, Vec<bool>, Vec<f64>);
    let per_draw: Vec<Draw> = (1..=draws)
        .into_par_iter()
        .map(|k| -> Result<Draw> {
            let (dsk, rows) = engine.variant(Variant::Draw(k));
            let values = engine.values_of(&dsk, &rows);
            if values.len() != nominal.values.len() {
                return Err(Error::Internal(format!(
                    "draw {k} has a different series layout from the nominal run"
                )));
            }
            let kept = keep.iter().map(|&i| values[i]).collect();
            let holds = checks
                .iter()
                .map(|c| c.as_ref().is_ok_and(|c| c.holds(&values)))
                .collect();
            let ego = if pairs.is_empty() {
                Vec::new()
            } else {
                ego_values(&engine, &dsk, &rows, dates, &pairs)
            };
            Ok((kept, holds, ego))
        })
        .collect::<Result<_>>()?;
    let q = [BAND.0, BAND.1];
    // Per draw: the claims' verdicts and the ego ties.
    type Rest = (Vec<bool>, Vec<f64>);
    let (kept, per_draw): (Vec<Vec<f64>>, Vec<Rest>) =
        per_draw.into_iter().map(|(a, b, c)| (a, (b, c))).unzip();
    let summaries = if draws > 0 {
        robust::bands(&nominal, &kept, &q, &keep)
    } else {
        Vec::new()
    };
    let mut out = Outcome::default();
    for (&i, b) in keep.iter().zip(&summaries) {
        let cell = nominal.cells[i];
        let line = out
            .bands
            .entry((cell.at, cell.metric.key))
            .or_insert_with(|| vec![None; dates.len()]);
        if let (Some(Some(lo)), Some(Some(hi))) = (b.quantiles.first(), b.quantiles.get(1)) {
            if let Some(slot) = line.get_mut(cell.date) {
                *slot = Some((*lo, *hi));
            }
        }
        out.cells.push((cell, b.clone()));
    }
    if draws > 0 {
        let n = dates.len();
        let mut xs: Vec<f64> = Vec::with_capacity(draws);
        for (k, &(s, p)) in pairs.iter().enumerate() {
            let line = (0..n)
                .map(|t| {
                    xs.clear();
                    xs.extend(
                        per_draw
                            .iter()
                            .filter_map(|d| d.1.get(k * n + t).copied())
                            .filter(|x| x.is_finite()),
                    );
                    xs.sort_by(f64::total_cmp);
                    match (
                        quantiles::quantile(&xs, q[0]),
                        quantiles::quantile(&xs, q[1]),
                    ) {
                        (Some(lo), Some(hi)) => Some((lo, hi)),
                        _ => None,
                    }
                })
                .collect();
            out.ego.insert((s, p), line);
        }
    }
    out.findings = u
        .claims
        .iter()
        .zip(&checks)
        .enumerate()
        .map(|(k, (c, check))| match check {
            Err(why) => Finding {
                id: c.id.clone(),
                text: c.text.clone(),
                holds_nominal: None,
                probability: None,
                label: None,
                note: Some(why.clone()),
            },
            Ok(check) => {
                let (probability, label) = if draws > 0 {
                    let n = per_draw.iter().filter(|d| d.0[k]).count();
                    let p = n as f64 / draws as f64;
                    (Some(p), Some(claims::label(p)))
                } else {
                    (None, None)
                };
                Finding {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    holds_nominal: Some(check.holds(&nominal_values)),
                    probability,
                    label,
                    note: None,
                }
            }
        })
        .collect();
    Ok(out)
}

/// A draw's ties of each (state, partner) pair at each date (NaN where either is absent), pair
/// by pair.
fn ego_values(
    engine: &Engine<'_>,
    ds: &Dataset,
    rows: &[Vec<TieEvent>],
    dates: &[NaiveDate],
    pairs: &[(usize, usize)],
) -> Vec<f64> {
    let tl = engine.timeline(ds, rows);
    let n = dates.len();
    let mut out = vec![f64::NAN; pairs.len() * n];
    for (t, snap) in tl.sweep(dates).enumerate() {
        for (k, &(s, p)) in pairs.iter().enumerate() {
            if let (Some(i), Some(j)) = (snap.local(s), snap.local(p)) {
                out[k * n + t] = snap.w(i, j);
            }
        }
    }
    out
}

/// Whether each claim holds in a series (`None` where its window misses the series' dates):
/// the verdicts of a what-if scenario.
pub fn verdicts(
    claims: &[Claim],
    points: &[SeriesPoint],
    dates: &[NaiveDate],
    label: &str,
) -> Vec<Option<bool>> {
    let flat = robust::flatten(points);
    let values = flat.values_or_nan();
    claims
        .iter()
        .map(|c| {
            Check::new(c, &flat, dates, label)
                .ok()
                .map(|check| check.holds(&values))
        })
        .collect()
}

/// The metrics a scenario's series needs for the claims (their keys).
pub fn claim_keys(claims: &[Claim]) -> Vec<&'static str> {
    claims
        .iter()
        .filter_map(|c| c.subject.metric())
        .map(|m| m.key)
        .collect()
}

/// The tornado chart of one value at one date: each rule at its low and high end, every other
/// rule nominal ([`sensitivity::run`]); only the rules that move the value have a bar. `None`
/// when no rule moves it.
pub fn tornado(
    ds: &Dataset,
    u: &Uncertainty,
    date: NaiveDate,
    at: At,
    metric: &'static Metric,
    what: &str,
) -> Result<Option<TornadoChart>> {
    let alliances = match at {
        At::Graph => Vec::new(),
        At::Alliance(a) | At::Member(a, _) => vec![a],
    };
    let engine = u.watching(ds, vec![date], alliances, &[metric.key])?;
    let (nominal, rows) = sensitivity::run(&engine, at, metric);
    if !rows.iter().any(|r| r.swing.is_some_and(|s| s > 1e-12)) {
        return Ok(None);
    }
    Ok(Some(TornadoChart {
        title: "Which choice moves the value most".into(),
        subtitle: what.to_string(),
        nominal,
        bars: rows
            .iter()
            .filter(|r| r.swing.is_some_and(|s| s > 1e-12))
            .map(|r| TornadoBar {
                label: r.rule.clone(),
                low: r.low,
                high: r.high,
            })
            .collect(),
    }))
}

/// The catalogue entry of a per-member or alliance metric.
pub fn metric(scope: Scope, key: &str) -> Option<&'static Metric> {
    robust::metric(scope, key)
}
