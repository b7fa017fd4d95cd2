//! `entente import atop|events|members|unvotes …`: flags in, library importers called, result
//! written (atomically with `-o`) and a summary on stderr.

use super::args::{self, OutputArg};
use super::input::{print_warnings, read_dataset};
use entente::dataset::write::to_json_string;
use entente::dataset::{ties_csv, Dataset};
use entente::date::Step;
use entente::error::{Error, Result};
use entente::import::crosswalk::Scheme;
use entente::import::{atop, codes, events, members, unvotes, Progress};
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
    /// Vote-similarity ties (tie CSV) from UN General Assembly roll calls.
    Unvotes(UnvotesArgs),
}

/// A country code scheme of the crosswalk (docs/crosswalk.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemeArg {
    Cow,
    Iso3,
    Iso2,
    Name,
    Cameo,
}

impl SchemeArg {
    fn scheme(self) -> Scheme {
        match self {
            SchemeArg::Cow => Scheme::Cow,
            SchemeArg::Iso3 => Scheme::Iso3,
            SchemeArg::Iso2 => Scheme::Iso2,
            SchemeArg::Name => Scheme::Name,
            SchemeArg::Cameo => Scheme::Cameo,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WindowArg {
    Year,
    Session,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MeasureArg {
    Agreement,
    S,
    Kappa,
    Pi,
}

#[derive(Debug, clap::Args)]
pub struct UnvotesArgs {
    /// The votes, `rcid,country,country_code,vote` (un_votes.csv).
    #[arg(long, value_name = "FILE")]
    pub votes: PathBuf,
    /// The roll calls, with columns rcid, session, importantvote, date (un_roll_calls.csv).
    #[arg(long = "roll-calls", value_name = "FILE")]
    pub roll_calls: PathBuf,
    /// The roll calls' issues, `rcid,short_name,issue` (un_roll_call_issues.csv); for --issue.
    #[arg(long, value_name = "FILE")]
    pub issues: Option<PathBuf>,
    /// The dataset whose states are matched; the embedded dataset when omitted.
    #[arg(long, value_name = "FILE")]
    pub dataset: Option<PathBuf>,
    /// Code table `code,state` matched before the crosswalk.
    #[arg(long, value_name = "FILE")]
    pub codes: Option<PathBuf>,
    /// Scheme of the country_code column (rows without a code are matched by name).
    #[arg(long = "codes-scheme", value_enum, default_value = "iso2")]
    pub codes_scheme: SchemeArg,
    /// Scheme of the dataset's state ids; detected when omitted.
    #[arg(long = "ids-scheme", value_enum)]
    pub ids_scheme: Option<SchemeArg>,
    /// The window votes are pooled over.
    #[arg(long, value_enum, default_value = "year")]
    pub window: WindowArg,
    /// The similarity measure written as the delta.
    #[arg(long, value_enum, default_value = "agreement")]
    pub measure: MeasureArg,
    /// Leave out pair-windows with fewer shared roll calls.
    #[arg(long = "min-votes", default_value_t = 10)]
    pub min_votes: u32,
    /// Only roll calls on this issue (e.g. "human rights"; needs --issues).
    #[arg(long, value_name = "TOPIC", requires = "issues")]
    pub issue: Option<String>,
    /// Only roll calls on the US State Department's list of important votes.
    #[arg(long = "important-only")]
    pub important_only: bool,
    #[command(flatten)]
    pub output: OutputArg,
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
    /// Read the input's country codes in this scheme through the built-in crosswalk.
    #[arg(long = "codes-scheme", value_enum)]
    pub codes_scheme: Option<SchemeArg>,
    /// Scheme of the dataset's state ids (with --codes-scheme); detected when omitted.
    #[arg(long = "ids-scheme", value_enum, requires = "codes_scheme")]
    pub ids_scheme: Option<SchemeArg>,
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
    /// Read the state column as country codes in this scheme through the built-in crosswalk
    /// (docs/crosswalk.md); rows whose code gives no state are dropped and listed by line.
    #[arg(long = "codes-scheme", value_enum)]
    pub codes_scheme: Option<SchemeArg>,
    /// The scheme of the state ids written (with --codes-scheme): cow (COW abbreviations, the
    /// default), iso3 or iso2.
    #[arg(long = "ids-scheme", value_enum, requires = "codes_scheme")]
    pub ids_scheme: Option<SchemeArg>,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(args: Args) -> Result<()> {
    match args.what {
        What::Atop(a) => run_atop(a),
        What::Events(a) => run_events(a),
        What::Members(a) => run_members(a),
        What::Unvotes(a) => run_unvotes(a),
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
    events::check_period(period).map_err(|e| Error::Usage(format!("--period {period}: {e}")))?;
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
    super::input::warn_repeated("the event file", &a.files, "its rows are counted twice");
    let (ds, label) = read_dataset(a.dataset.as_deref())?;
    let table = match &a.codes {
        Some(p) => codes::read_codes(&ds, open(p)?, &p.display().to_string())?,
        None => Vec::new(),
    };
    let matcher = codes::Matcher::new(&ds, &table);
    let scheme_matcher = match a.codes_scheme {
        Some(s) => Some(
            codes::SchemeMatcher::new(&ds, &table, s.scheme(), a.ids_scheme.map(SchemeArg::scheme))
                .map_err(|e| Error::Usage(format!("{label}: {e}")))?,
        ),
        None => None,
    };
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
    if let Some(m) = &scheme_matcher {
        agg = agg.with_scheme(m);
    }
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
        let listed = stats.dropped.len() as u64;
        let all = stats
            .skipped
            .get(&events::Skip::UnmatchedCountry)
            .copied()
            .unwrap_or(0);
        s.push_str(&format!("rows dropped for unmatched countries ({all}):\n"));
        for (f, n, why) in &stats.dropped {
            s.push_str(&format!("  {f}: line {n}: {why}\n"));
        }
        if all > listed {
            s.push_str(&format!("  ... and {} more\n", all - listed));
        }
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
    // The dataset's name is a text field: refused here, as the flag it is, not after the import
    // under the table's name.
    if let Some(problem) = entente::dataset::load::text_problem(&a.name) {
        return Err(Error::Usage(format!("--name: {problem}")));
    }
    let label = a.csv.display().to_string();
    let codes = a.codes_scheme.map(|c| members::Codes {
        input: c.scheme(),
        ids: a.ids_scheme.map_or(Scheme::Cow, SchemeArg::scheme),
    });
    let (ds, dropped) = members::import_with(open(&a.csv)?, &label, &a.name, codes)?;
    let tw = timeline_check(&ds, "<imported dataset>");
    emit_dataset(&ds, &label, &a.output)?;
    diag_nonl!("{}", members_summary(&label, &ds, &dropped, tw));
    Ok(())
}

/// The stderr summary of `import members`: counts, then the rows dropped for their codes
/// (the first ones by line, then a count).
pub fn members_summary(file: &str, ds: &Dataset, dropped: &members::Dropped, tw: usize) -> String {
    let mut out = format!(
        "import members: {} alliances, {} states, {} events",
        ds.alliances.len(),
        ds.states.len(),
        ds.events.len()
    );
    if dropped.count > 0 {
        out.push_str(&format!(
            "; {} rows dropped for unmatched codes:\n",
            dropped.count
        ));
        for (line, code, why) in &dropped.rows {
            out.push_str(&format!("  {file}: line {line}: {code:?}: {why}\n"));
        }
        let more = dropped.count.saturating_sub(dropped.rows.len() as u64);
        if more > 0 {
            out.push_str(&format!("  ... and {more} more\n"));
        }
        out.push_str(&format!("timeline warnings: {tw}\n"));
    } else {
        out.push_str(&format!("; timeline warnings: {tw}\n"));
    }
    out
}

fn run_unvotes(a: UnvotesArgs) -> Result<()> {
    let (ds, label) = read_dataset(a.dataset.as_deref())?;
    let table = match &a.codes {
        Some(p) => codes::read_codes(&ds, open(p)?, &p.display().to_string())?,
        None => Vec::new(),
    };
    let matcher = codes::SchemeMatcher::new(
        &ds,
        &table,
        a.codes_scheme.scheme(),
        a.ids_scheme.map(SchemeArg::scheme),
    )
    .map_err(|e| Error::Usage(format!("{label}: {e}")))?;
    let rc_label = a.roll_calls.display().to_string();
    let roll_calls = unvotes::read_roll_calls(open(&a.roll_calls)?, &rc_label)?;
    let on_issue = match (&a.issue, &a.issues) {
        (Some(topic), Some(p)) => {
            let (set, names) = unvotes::read_issues(open(p)?, &p.display().to_string(), topic)?;
            if set.is_empty() {
                return Err(Error::Usage(format!(
                    "--issue {topic:?}: no roll call of {} has it (issues: {})",
                    p.display(),
                    names.join(", ")
                )));
            }
            Some(set)
        }
        _ => None,
    };
    let important_only = a.important_only;
    let keep = |rc: &unvotes::RollCall| {
        (!important_only || rc.important == Some(true))
            && on_issue.as_ref().map_or(true, |s| s.contains(&rc.rcid))
    };
    let opts = unvotes::UnvotesOptions {
        window: match a.window {
            WindowArg::Year => unvotes::Window::Year,
            WindowArg::Session => unvotes::Window::Session,
        },
        measure: match a.measure {
            MeasureArg::Agreement => unvotes::Measure::Agreement,
            MeasureArg::S => unvotes::Measure::S,
            MeasureArg::Kappa => unvotes::Measure::Kappa,
            MeasureArg::Pi => unvotes::Measure::Pi,
        },
        min_votes: a.min_votes.max(1),
        issue: a.issue.clone(),
        important_only,
    };
    let votes_label = a.votes.display().to_string();
    let mut progress = Progress::stderr("import unvotes");
    let ids: Vec<String> = ds.states.iter().map(|s| s.id.clone()).collect();
    let (ties, stats) = unvotes::import(
        &matcher,
        &ids,
        &roll_calls,
        &keep,
        open(&a.votes)?,
        &votes_label,
        &opts,
        &mut progress,
    )?;
    a.output.emit(|w| ties_csv::write_ties(&ds, &ties, w))?;
    eprint!(
        "{}",
        unvotes_summary(&votes_label, &stats, &ties, opts.measure)
    );
    Ok(())
}

/// The stderr summary of `import unvotes`.
pub fn unvotes_summary(
    file: &str,
    s: &unvotes::UnvotesStats,
    ties: &[entente::model::TieEvent],
    m: unvotes::Measure,
) -> String {
    let mut out = format!(
        "import unvotes: {} votes read, {} used on {} roll calls",
        s.rows, s.used, s.roll_calls
    );
    if s.filtered > 0 {
        out.push_str(&format!(", {} on roll calls not selected", s.filtered));
    }
    let outside: u64 = s.not_in_dataset.values().sum();
    if outside > 0 {
        out.push_str(&format!(
            ", {outside} by {} countries not in the dataset",
            s.not_in_dataset.len()
        ));
    }
    let spell: u64 = s.outside_spell.values().sum();
    if spell > 0 {
        let names: Vec<String> = s
            .outside_spell
            .iter()
            .map(|(k, n)| format!("{k:?} {n}"))
            .collect();
        out.push_str(&format!(
            ", {spell} by countries not in the COW state system at the vote's date ({})",
            names.join(", ")
        ));
    }
    out.push('\n');
    if s.dropped_count > 0 {
        out.push_str(&format!(
            "{} rows dropped for unmatched or ambiguous countries (map them with --codes code,state):\n",
            s.dropped_count
        ));
        for d in &s.dropped {
            out.push_str(&format!(
                "  {file}: line {}: {:?}: {}\n",
                d.line, d.code, d.reason
            ));
        }
        let more = s.dropped_count.saturating_sub(s.dropped.len() as u64);
        if more > 0 {
            out.push_str(&format!("  ... and {more} more\n"));
        }
    }
    let (pairs, periods) = events::pairs_and_periods(ties);
    out.push_str(&format!(
        "wrote {} tie events ({}): {pairs} pairs over {periods} windows; {} pair-windows below --min-votes",
        ties.len(),
        m.as_str(),
        s.too_few
    ));
    if s.undefined > 0 {
        out.push_str(&format!(
            ", {} undefined (no expected disagreement)",
            s.undefined
        ));
    }
    if s.clamped > 0 {
        out.push_str(&format!(", {} clamped to -1", s.clamped));
    }
    out.push('\n');
    out
}
