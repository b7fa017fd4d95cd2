//! `entente import atop|events|members …`: flags in, library importers called, result written
//! (atomically with `-o`) and a summary on stderr.

use super::args::{self, OutputArg};
use super::input::{print_warnings, read_dataset};
use entente::dataset::write::to_json_string;
use entente::dataset::{ties_csv, Dataset};
use entente::date::Step;
use entente::error::{Error, Result};
use entente::import::{atop, codes, events, members, Progress};
use entente::model::Timeline;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// A dataset from the ATOP member-level file and the COW state list.
    Atop(AtopArgs),
    /// Tie events (tie CSV or JSON) from GDELT, ICEWS or CSV event rows.
    Events(EventsArgs),
    /// A dataset from a membership table `alliance,state,from,to[,tie][,kind]`.
    Members(MembersArgs),
}

#[derive(Debug, clap::Args)]
pub struct AtopArgs {
    /// ATOP member-level CSV (e.g. atop5_1m.csv).
    #[arg(long, value_name = "FILE")]
    pub members: PathBuf,
    /// COW state list CSV (e.g. states2016.csv).
    #[arg(long, value_name = "FILE")]
    pub states: PathBuf,
    /// Alliance names, a CSV `atopid,name`; default: the names shipped with entente.
    #[arg(long, value_name = "FILE")]
    pub names: Option<PathBuf>,
    /// Tie weight of each obligation, e.g. defense=1,offense=1,neutral=0.5,nonagg=0.4,consul=0.3
    #[arg(long, value_name = "LIST")]
    pub weights: Option<String>,
    #[command(flatten)]
    pub output: OutputArg,
}

/// `--from-format` of `import events`: where the event rows come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EventSource {
    /// GDELT 1.0/2.0 event export (tab-separated).
    Gdelt,
    /// ICEWS coded event data (tab-separated).
    Icews,
    /// CSV rows `date,source,target,score`.
    Csv,
}

/// `--aggregate` of `import events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Aggregation {
    /// The mean score of the pair in the period.
    Mean,
    /// The sum of the scores.
    Sum,
}

#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    /// The format of the event files. (`--format` is a deprecated alias: `--format` means the
    /// output format in every other command.)
    #[arg(
        long = "from-format",
        alias = "format",
        value_enum,
        value_name = "FORMAT"
    )]
    pub from_format: EventSource,
    /// Event files (`-` for standard input).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The dataset whose states are matched; the embedded dataset when omitted.
    #[arg(long, value_name = "FILE")]
    pub dataset: Option<PathBuf>,
    /// Code table `code,state` matched before ids, codes and names.
    #[arg(long, value_name = "FILE")]
    pub codes: Option<PathBuf>,
    /// Aggregation period (Nd, Nw, Nm, Ny).
    #[arg(long, default_value = "1m", allow_hyphen_values = true)]
    pub period: Step,
    /// How the scores of a pair in a period are combined.
    #[arg(long, value_enum, default_value = "mean")]
    pub aggregate: Aggregation,
    /// Multiplies the aggregated score/10 (a negative scale flips the sign).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub scale: f64,
    /// Half-life of each tie event in days (instead of a window).
    #[arg(
        long,
        value_name = "DAYS",
        conflicts_with = "duration",
        allow_negative_numbers = true
    )]
    pub half_life: Option<f64>,
    /// Window of each tie event in days (default: the period for mean, none for sum).
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
    pub duration: Option<f64>,
    /// GDELT: only rows with IsRootEvent = 1.
    #[arg(long)]
    pub root_only: bool,
    /// GDELT: only rows with NumMentions >= N.
    #[arg(long, value_name = "N", value_parser = args::count::<u64>, allow_negative_numbers = true)]
    pub min_mentions: Option<u64>,
    /// Malformed rows and unmatched countries are errors.
    #[arg(long)]
    pub strict: bool,
    /// Write a JSON array of tie events instead of a tie CSV.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Debug, clap::Args)]
pub struct MembersArgs {
    /// The membership table.
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,
    /// The dataset's name.
    #[arg(long, default_value = "memberships")]
    pub name: String,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    match args.what {
        What::Atop(a) => run_atop(a),
        What::Events(a) => run_events(a),
        What::Members(a) => run_members(a),
    }
}

fn open(p: &Path) -> Result<Box<dyn BufRead>> {
    if p.as_os_str() == "-" {
        return Ok(Box::new(BufReader::new(io::stdin())));
    }
    let f = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
    Ok(Box::new(BufReader::with_capacity(1 << 20, f)))
}

fn emit_dataset(ds: &Dataset, source: &str, out: &OutputArg) -> Result<()> {
    // Validate through the loader so that what we write always loads back; a refusal names
    // the input file the dataset was built from.
    ds.check_as(source)?;
    let text = to_json_string(ds);
    out.print(&text)
}

/// Builds the timeline of an imported dataset and reports its warnings: the importers order
/// events so that there should be none.
fn timeline_check(ds: &Dataset, label: &str) -> usize {
    let tl = Timeline::new(ds, label);
    print_warnings(tl.warnings());
    tl.warnings().len()
}

fn run_atop(a: AtopArgs) -> Result<()> {
    let weights = match &a.weights {
        Some(s) => atop::Weights::parse(s).map_err(|e| Error::Usage(format!("--weights: {e}")))?,
        None => atop::Weights::default(),
    };
    let names = match &a.names {
        Some(p) => atop::read_names(open(p)?, &p.display().to_string())?,
        None => atop::read_names(atop::EMBEDDED_NAMES.as_bytes(), atop::EMBEDDED_NAMES_FILE)?,
    };
    let states_label = a.states.display().to_string();
    let cow = atop::read_cow_states(open(&a.states)?, &states_label)?;
    let label = a.members.display().to_string();
    let mut progress = Progress::stderr("import atop");
    let r = atop::import(
        &cow,
        open(&a.members)?,
        &label,
        &atop::AtopOptions { weights, names },
        &mut progress,
    )?;
    print_warnings(&r.warnings);
    let s = &r.summary;
    let tw = timeline_check(&r.dataset, "<imported dataset>");
    emit_dataset(&r.dataset, &label, &a.output)?;
    diag!(
        "import atop: {} rows ({} skipped), {} alliances, {} states, {} events ({} retie); \
         {} joins moved to the COW spell start, {} memberships ended by the state's exit, {} outside COW spells; \
         timeline warnings: {tw}",
        s.rows,
        s.bad_rows,
        s.alliances,
        s.states,
        s.events,
        s.retie_events,
        s.clamped_joins,
        s.clamped_leaves,
        s.outside
    );
    Ok(())
}

fn run_events(a: EventsArgs) -> Result<()> {
    let period = a.period;
    let positive = |x: Option<f64>, flag: &str| -> Result<()> {
        match x {
            Some(v) if !(v.is_finite() && v > 0.0) => Err(Error::Usage(format!(
                "{flag}: expected a number greater than 0, found {v}"
            ))),
            _ => Ok(()),
        }
    };
    positive(a.half_life, "--half-life")?;
    positive(a.duration, "--duration")?;
    if !a.scale.is_finite() || a.scale == 0.0 {
        return Err(Error::Usage(format!(
            "--scale: expected a non-zero number, found {}",
            a.scale
        )));
    }
    if a.from_format != EventSource::Gdelt && (a.root_only || a.min_mentions.is_some()) {
        return Err(Error::Usage(
            "--root-only and --min-mentions apply to --format gdelt only".into(),
        ));
    }
    if a.files.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Error::Usage(
            "standard input (-) can be used only once".into(),
        ));
    }
    let (ds, _label) = read_dataset(a.dataset.as_deref())?;
    let table = match &a.codes {
        Some(p) => codes::read_codes(&ds, open(p)?, &p.display().to_string())?,
        None => Vec::new(),
    };
    let matcher = codes::Matcher::new(&ds, &table);
    let opts = events::EventOptions {
        format: match a.from_format {
            EventSource::Gdelt => events::EventTable::Gdelt,
            EventSource::Icews => events::EventTable::Icews,
            EventSource::Csv => events::EventTable::Csv,
        },
        period,
        aggregate: match a.aggregate {
            Aggregation::Mean => events::Aggregate::Mean,
            Aggregation::Sum => events::Aggregate::Sum,
        },
        scale: a.scale,
        half_life: a.half_life,
        duration: a.duration,
        root_only: a.root_only,
        min_mentions: a.min_mentions,
        strict: a.strict,
    };
    let mut agg = events::Aggregator::new(&matcher, opts);
    let mut progress = Progress::stderr("import events");
    for p in &a.files {
        agg.read(open(p)?, &p.display().to_string(), &mut progress)?;
    }
    progress.finish();
    let (ties, stats) = agg.finish();
    if a.json {
        a.output.emit(|w| events::write_json(&ds, &ties, w))?;
    } else {
        a.output.emit(|w| ties_csv::write_ties(&ds, &ties, w))?;
    }
    diag_nonl!("{}", events_summary(&stats, &ties));
    Ok(())
}

/// The stderr summary of `import events`.
pub fn events_summary(stats: &events::EventStats, ties: &[entente::model::TieEvent]) -> String {
    let mut s = format!(
        "import events: {} rows read from {} file(s), {} used",
        stats.rows, stats.files, stats.used
    );
    let skipped: u64 = stats.skipped.values().sum();
    if skipped > 0 {
        let parts: Vec<String> = stats
            .skipped
            .iter()
            .map(|(k, n)| format!("{n} {}", k.as_str()))
            .collect();
        s.push_str(&format!(", {skipped} skipped ({})", parts.join(", ")));
    }
    s.push('\n');
    let unmatched = stats.unmatched_sorted();
    if !unmatched.is_empty() {
        let parts: Vec<String> = unmatched
            .iter()
            .map(|(c, n)| format!("{c:?} {n}"))
            .collect();
        s.push_str(&format!(
            "unmatched codes (rows; map them with --codes code,state): {}\n",
            parts.join(", ")
        ));
    }
    let (pairs, periods) = events::pairs_and_periods(ties);
    s.push_str(&format!(
        "wrote {} tie events: {pairs} pairs over {periods} periods",
        ties.len()
    ));
    if stats.clamped > 0 {
        s.push_str(&format!(" ({} deltas clamped to [-2, 2])", stats.clamped));
    }
    s.push('\n');
    s
}

fn run_members(a: MembersArgs) -> Result<()> {
    let label = a.csv.display().to_string();
    let ds = members::import(open(&a.csv)?, &label, &a.name)?;
    let tw = timeline_check(&ds, "<imported dataset>");
    emit_dataset(&ds, &label, &a.output)?;
    diag!(
        "import members: {} alliances, {} states, {} events; timeline warnings: {tw}",
        ds.alliances.len(),
        ds.states.len(),
        ds.events.len()
    );
    Ok(())
}
