//! `entente report [FILE] [--ties F]… [-o DIR] [--from D] [--to D] [--step S] [--at D]…
//! [--alliance A]… [--state S]… [--metric M]… [--size WxH | --width-in IN] [--dpi N]
//! [--style screen|paper] [--svg] [--force] [--draws N] [--seed S] [--vary RULE]…
//! [--compare NAME=SPEC]…`: the main job.
//! Writes the metrics, every chart and `index.html` into the output folder (default
//! `output/<dataset name>`) and prints the paths written and the page to open as a `file://`
//! URL. The folder is written as a whole: into a staging folder next to it, swapped in at the
//! end, so the previous report stays complete until the new one is; a folder entente did not
//! make (no marker file) is refused unless `--force`. On a terminal, a progress bar on standard
//! error follows the metrics and the charts (never in a pipe).
//!
//! Here the dataset's uncertainty rules and claims are read and checked (as `robust` does) and
//! each `--compare` scenario is loaded; the report draws the bands, findings and dashed
//! scenario series (docs/charts.md, "Uncertainty and what-if in the report").

use super::args::{self, ChartArgs, SeriesArgs};
use super::input::{self, DataArgs};
use super::progress::ProgressBar;
use chrono::{Datelike, NaiveDate};
use entente::date::{Step, StepUnit};
use entente::error::Diagnostic;
use entente::error::{Error, Result};
use entente::limits::{self, GraphSize};
use entente::plot::Format;
use entente::report::uncertainty::Uncertainty;
use entente::report::{self, names, Additions, Scenario};
use entente::robust::claims;
use entente::robust::rules::{self, Rule};
use entente::select::{self, Selector};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output folder; default: output/<dataset name> (made safe as a file name).
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "out",
        value_name = "DIR"
    )]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub series: SeriesArgs,
    /// A key date for network and heatmap charts (repeatable); default: the date before the
    /// largest change of the series. The last date is always drawn.
    #[arg(long = "at", value_name = "DATE", value_parser = args::date, allow_negative_numbers = true)]
    pub at: Vec<NaiveDate>,
    #[command(flatten)]
    pub chart: ChartArgs,
    /// Write the charts as SVG instead of PNG.
    #[arg(long)]
    pub svg: bool,
    /// Only this alliance (repeatable): an id, a name, or an ATOP number. The report focuses on
    /// these; default: every alliance (the 12 largest in timelines when there are more),
    /// focused on the one whose cohesion changes most.
    #[arg(long = "alliance", value_name = "ID")]
    pub alliances: Vec<String>,
    /// A focal state (repeatable), drawn in an ego chart of its ties; default: the focal
    /// alliance's member whose alignment falls furthest.
    #[arg(long = "state", value_name = "ID")]
    pub states: Vec<String>,
    /// Only this metric's timeline (repeatable), e.g. mean_tie; default: every charted metric.
    #[arg(long = "metric", value_name = "KEY")]
    pub metrics: Vec<String>,
    /// Replace the output folder even if entente did not make it (its files are deleted).
    #[arg(long)]
    pub force: bool,
    /// Random draws of the uncertainty rules (the dataset's and --vary's) for the shaded 5–95 %
    /// bands and the claims' probabilities, as `entente robust` makes them; 0: no bands.
    #[arg(long, default_value = "200", value_parser = args::count::<usize>)]
    pub draws: usize,
    /// Seed of the draws (same seed, draws and input: same report).
    #[arg(long, default_value = "1", value_parser = args::count::<u64>)]
    pub seed: u64,
    /// An uncertainty rule in the compact syntax of `entente robust` (repeatable), added to
    /// the dataset's own (docs/robust.md).
    #[arg(long = "vary", value_name = "RULE")]
    pub vary: Vec<String>,
    /// A what-if scenario drawn dashed beside the actual series (repeatable): NAME=SPEC, SPEC
    /// being `without:SELECTOR` and `with:FILE` parts joined with `;`, e.g.
    /// `no-freeze=without:event=arm-freeze` (docs/charts.md).
    #[arg(long = "compare", value_name = "NAME=SPEC")]
    pub compare: Vec<String>,
}

/// A parsed `--compare` value.
#[derive(Debug, Clone, PartialEq)]
struct Compare {
    name: String,
    spec: String,
    without: Vec<Selector>,
    with: Vec<PathBuf>,
}

/// Parses `NAME=SPEC`: SPEC is one or more parts joined with `;`, each `without:SELECTOR` or
/// `with:FILE`. Every error names the value as given.
fn parse_compare(text: &str) -> Result<Compare> {
    let bad = |m: String| Error::Usage(format!("--compare {text:?}: {m}"));
    let Some((name, spec)) = text.split_once('=') else {
        return Err(bad(
            "expected NAME=SPEC, e.g. no-freeze=without:event=arm-freeze".into(),
        ));
    };
    let name = name.trim();
    if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 40 {
        return Err(bad(
            "the name before = must be 1 to 40 printable characters".into(),
        ));
    }
    let mut c = Compare {
        name: name.to_string(),
        spec: spec.trim().to_string(),
        without: Vec::new(),
        with: Vec::new(),
    };
    for part in spec.split(';').map(str::trim) {
        if let Some(sel) = part.strip_prefix("without:") {
            c.without
                .push(select::parse(sel.trim()).map_err(|e| bad(e.to_string()))?);
        } else if let Some(file) = part.strip_prefix("with:") {
            let file = file.trim();
            if file.is_empty() || file == "-" {
                return Err(bad(
                    "with: needs a scenario file (not standard input)".into()
                ));
            }
            c.with.push(PathBuf::from(file));
        } else {
            return Err(bad(format!(
                "{part:?} is neither without:SELECTOR nor with:FILE (parts are joined with ;)"
            )));
        }
    }
    Ok(c)
}

/// Whether the data comes (in part) from standard input, which cannot be read twice.
fn reads_stdin(d: &DataArgs) -> bool {
    d.file.as_deref().is_some_and(|p| p.as_os_str() == "-")
        || d.ties.iter().any(|p| p.as_os_str() == "-")
        || d.with.iter().any(|p| p.as_os_str() == "-")
}

/// The dataset's uncertainty rules (and `--vary`'s) and claims, checked as `robust` checks
/// them, resolved against the loaded (what-if applied) dataset; `None` when there are none.
fn uncertainty(a: &Args, l: &input::Loaded) -> Result<Option<Uncertainty>> {
    // Only the dataset's `uncertainty` and `claims`, not its events, become a `Value`.
    let sections = |bytes: &[u8], what: &str| {
        entente::robust::declared::sections(bytes).ok_or_else(|| {
            Error::Internal(format!("{what}: a loaded dataset is not a JSON object"))
        })
    };
    let root: Option<Value> = match a.data.file.as_deref() {
        None => Some(sections(
            entente::DEFAULT_DATASET.as_bytes(),
            "the embedded dataset",
        )?),
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(sections(&input::read_json_input(p)?, &l.label)?),
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut raw: Vec<Rule> = match &root {
        Some(r) => rules::from_json(r, &l.label).unwrap_or_else(|p| {
            problems.extend(p);
            Vec::new()
        }),
        None => Vec::new(),
    };
    for v in &a.vary {
        match rules::parse_compact(v) {
            Ok(r) => raw.push(r),
            Err(d) => problems.push(d),
        }
    }
    let claim_list = match &root {
        Some(r) => claims::from_json(r, &l.dataset, &l.label).unwrap_or_else(|p| {
            problems.extend(p);
            Vec::new()
        }),
        None => Vec::new(),
    };
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    if raw.is_empty() && claim_list.is_empty() {
        return Ok(None);
    }
    if a.data.file.as_deref().is_some_and(|p| p.as_os_str() == "-") {
        diag!("warning: report reads a dataset's uncertainty rules and claims from a file, not standard input: only --vary is drawn");
    }
    if !a.data.layer.is_empty() || !a.data.layer_weight.is_empty() {
        diag!("warning: report: no bands and findings with --layer or --layer-weight (the draws vary the combined weights)");
        return Ok(None);
    }
    // The tie rows per file (after --without/--with), which rules may vary.
    let (tie_files, rows) = if a.data.ties.is_empty() {
        (Vec::new(), Vec::new())
    } else if reads_stdin(&a.data) {
        diag!("warning: report: no bands and findings when tie CSVs come from standard input");
        return Ok(None);
    } else {
        input::read(&a.data)?.tie_files.into_iter().unzip()
    };
    let what_if = !a.data.without.is_empty() || !a.data.with.is_empty();
    let mut resolved = Vec::new();
    for r in &raw {
        match rules::resolve(r, &l.dataset, &tie_files, &rows, &l.label) {
            Ok(x) => resolved.push(x),
            // A rule whose events --without dropped is left out, not an error.
            Err(d) if what_if => diag!(
                "warning: report: uncertainty rule {:?} left out under --without/--with: {}",
                r.label,
                d.message
            ),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(Some(Uncertainty {
        label: l.label.clone(),
        tie_files,
        rows,
        rules: resolved,
        claims: claim_list,
        draws: a.draws,
        seed: a.seed,
    }))
}

/// Loads each `--compare` scenario: the report's data with the scenario's `--without` and
/// `--with` added.
fn scenarios(a: &Args) -> Result<Vec<Scenario>> {
    let parsed = a
        .compare
        .iter()
        .map(|c| parse_compare(c))
        .collect::<Result<Vec<_>>>()?;
    if !parsed.is_empty() && reads_stdin(&a.data) {
        return Err(Error::Usage(
            "--compare reads the data once per scenario: give the dataset and tie CSVs as files, not standard input".into(),
        ));
    }
    let mut out: Vec<Scenario> = Vec::new();
    for (c, text) in parsed.into_iter().zip(&a.compare) {
        if out.iter().any(|s| s.name == c.name) {
            return Err(Error::Usage(format!(
                "--compare {text:?}: the name {:?} is given twice",
                c.name
            )));
        }
        let mut data = a.data.clone();
        data.without.extend(c.without);
        data.with.extend(c.with);
        // Name the --compare value in every message about the scenario's own parts.
        let l = input::load(&data).map_err(|e| match e {
            Error::Usage(m) => Error::Usage(format!("--compare {text:?}: {m}")),
            e @ Error::Io { .. } => Error::Usage(format!("--compare {text:?}: {e}")),
            other => other,
        })?;
        out.push(Scenario {
            name: c.name,
            spec: c.spec,
            dataset: l.dataset,
            timeline: l.timeline,
        });
    }
    Ok(out)
}

/// Without `--step`, a series spanning more years than this is yearly: monthly dates over two
/// centuries (the ATOP import) make metrics files of about 150 MB each (docs/charts.md).
const YEARLY_ABOVE_YEARS: i32 = 100;

pub fn run(mut args: Args) -> Result<()> {
    // Behaviour layers from tie CSVs: split them from the treaty layer for the hollowness
    // charts, as `--behaviour` does.
    if !args.data.ties.is_empty() && args.data.behaviour.is_none() {
        args.data.behaviour = Some(Vec::new());
    }
    for c in &args.compare {
        parse_compare(c)?;
    }
    let (size, style) = args.chart.resolve()?;
    let l = input::load(&args.data)?;
    let add = Additions {
        uncertainty: uncertainty(&args, &l)?,
        scenarios: scenarios(&args)?,
    };
    // The dataset's own view fills in what no flag gives.
    let view = l.dataset.view.clone().unwrap_or_default();
    let mut series = args.series.clone();
    series.from = series.from.or(view.from);
    series.to = series.to.or(view.to);
    let (from, to) = series.range(&l.timeline, &l.label)?;
    let (step, step_note) = match args.series.step {
        Some(s) => (s, None),
        None if to.year() - from.year() > YEARLY_ABOVE_YEARS => (
            Step {
                n: 1,
                unit: StepUnit::Year,
            },
            Some(format!(
                "The series is yearly because it spans more than {YEARLY_ABOVE_YEARS} years \
                 (--step 1m gives monthly dates)."
            )),
        ),
        None => (Step::MONTH, None),
    };
    entente::date::checked_series_dates(from, to, step).map_err(args::too_many)?;
    let size_bound = GraphSize::bound(&l.dataset, &l.timeline);
    limits::check_metrics(size_bound, "the report's metrics")?;
    limits::check_network(size_bound)?;
    let alliances = super::alliances::filter(&l.dataset, &args.alliances)?.unwrap_or_default();
    let states = super::states::resolve_all(&l.dataset, "--state", &args.states, &l.label)?;
    let states = if args.states.is_empty() {
        view.states.clone()
    } else {
        states
    };
    for m in &args.metrics {
        if report::charts::metric(m).is_none() {
            let known: Vec<&str> = report::charts::charted_metrics()
                .iter()
                .map(|i| i.key)
                .collect();
            return Err(Error::Usage(format!(
                "--metric: unknown metric {m:?}; charted metrics: {}",
                known.join(", ")
            )));
        }
    }
    let opts = report::Options {
        from: Some(from),
        to: Some(to),
        step,
        step_note,
        at: if args.at.is_empty() {
            view.at.clone()
        } else {
            args.at
        },
        size,
        style,
        format: if args.svg { Format::Svg } else { Format::Png },
        alliances,
        focus: view.focus.clone(),
        states,
        metrics: args.metrics.clone(),
    };
    let dir = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join(names::sanitize(&l.dataset.name)));
    let built = {
        // One bar per stage, replaced when the stage changes.
        let bar: std::sync::Mutex<Option<(report::Stage, ProgressBar)>> =
            std::sync::Mutex::new(None);
        let progress = |stage: report::Stage, done: usize, total: usize| {
            let Ok(mut bar) = bar.lock() else { return };
            if bar.as_ref().map(|b| b.0) != Some(stage) {
                if let Some((_, old)) = bar.take() {
                    old.finish();
                }
                let label = match stage {
                    report::Stage::Metrics => "report: metrics",
                    report::Stage::Charts => "report: charts",
                };
                *bar = Some((stage, ProgressBar::new(label, total)));
            }
            if let Some((_, b)) = bar.as_ref() {
                b.set(done);
            }
        };
        let built = report::build_with(&l.dataset, &l.timeline, &opts, &l.label, &add, &progress);
        if let Ok(mut b) = bar.lock() {
            if let Some((_, b)) = b.take() {
                b.finish();
            }
        }
        built?
    };
    let written = entente::output::replace_folder(&dir, args.force, "--force", |staging| {
        let files = report::write(staging, &built)?;
        Ok(files
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect())
    })?;
    let mut out = String::new();
    for p in &written {
        out.push_str(&format!("{}\n", p.display()));
    }
    out.push_str(&format!("open {}\n", file_url(&dir.join(&built.open))?));
    super::args::print_for_reading(&out)
}

/// The `file://` URL of a path: made absolute, every byte other than an unreserved URL
/// character or `/` percent-encoded (so spaces, `#` and `%` in folder names survive).
fn file_url(path: &Path) -> Result<String> {
    let abs = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut url = String::from("file://");
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(abs.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = abs.to_string_lossy().replace('\\', "/").into_bytes();
    if bytes.first() != Some(&b'/') {
        url.push('/'); // a Windows drive letter: file:///C:/…
    }
    for b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~' | b':') {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_absolute_and_encoded() {
        let url = file_url(Path::new("/tmp/my report/#1/index.html")).unwrap();
        assert_eq!(url, "file:///tmp/my%20report/%231/index.html");
        let rel = file_url(Path::new("out/index.html")).unwrap();
        assert!(
            rel.starts_with("file:///") && rel.ends_with("/out/index.html"),
            "{rel}"
        );
        assert_eq!(file_url(Path::new("/t/é")).unwrap(), "file:///t/%C3%A9");
    }
}
