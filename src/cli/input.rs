//! Reading the inputs every analysis command shares: the dataset (a file, `-` for standard
//! input, or the embedded default) and extra tie CSV files, each a layer; the what-if flags
//! `--without` and `--with` applied to them (before the timeline is built, see docs/explain.md);
//! then the timeline of the chosen layers (docs/metrics.md, "Layers"): `--layer`,
//! `--layer-weight`, and `--behaviour` for the treaty/behaviour split that hollowness needs.

use entente::dataset::{self, ties_csv, Dataset};
use entente::error::{Diagnostic, Error, Result};
use entente::model::layers::{self, LayerSpec, TieLayer};
use entente::model::{TieEvent, Timeline};
use entente::select::{self, Selector};
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

/// Dataset and tie-file arguments shared by the analysis commands.
#[derive(Debug, Clone, clap::Args)]
pub struct DataArgs {
    /// Dataset JSON file (`-` for standard input); the embedded CSTO dataset when omitted.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Extra tie events from a tie CSV (`date,a,b,delta,half_life_days,duration_days`), as
    /// the layer LAYER (default: the file's stem); repeatable, `-` for standard input.
    #[arg(long = "ties", value_name = "[LAYER=]FILE.csv")]
    pub ties: Vec<PathBuf>,
    /// What if these events had not happened: drop the events (or tie-CSV rows) the selector
    /// matches (`event=ID`, `tag=T`, `kind=K`, `alliance=A`, `state=S`, `ties[=FILE]`, joined
    /// with commas: all must match) before anything is computed; repeatable. A selector that
    /// matches nothing is an error.
    #[arg(long = "without", value_name = "SELECTOR", value_parser = select::parse)]
    pub without: Vec<Selector>,
    /// What if these events had happened: add the events of a scenario file (JSON holding only
    /// `events`, checked against the dataset) after `--without` is applied; repeatable.
    #[arg(long = "with", value_name = "FILE")]
    pub with: Vec<PathBuf>,
    /// Compute from this layer only (repeatable): treaty, events, a dataset event layer or a
    /// --ties layer.
    #[arg(long = "layer", value_name = "LAYER")]
    pub layer: Vec<String>,
    /// Scale a layer before summing, e.g. votes=0.5 (repeatable; default 1).
    #[arg(
        long = "layer-weight",
        value_name = "LAYER=W",
        allow_hyphen_values = true
    )]
    pub layer_weight: Vec<String>,
    /// Split the weights into the treaty layer and these behaviour layers (none given: every
    /// layer but treaty), for the hollowness metrics.
    #[arg(long = "behaviour", value_name = "LAYER", num_args = 0.., value_delimiter = ',')]
    pub behaviour: Option<Vec<String>>,
    /// The half-life by which `reliability` discounts old answers to calls for help: days
    /// (`3650`) or years (`10y`, of 365.25 days); default 10y.
    #[arg(
        long = "reliability-half-life",
        value_name = "DAYS|Ny",
        value_parser = half_life,
        allow_negative_numbers = true
    )]
    pub reliability_half_life: Option<f64>,
}

/// Parses `--reliability-half-life`: a positive number of days, or of years with a `y`.
fn half_life(s: &str) -> std::result::Result<f64, String> {
    let (number, unit) = match s.strip_suffix('y') {
        Some(n) => (n, entente::model::calls::DAYS_PER_YEAR),
        None => (s.strip_suffix('d').unwrap_or(s), 1.0),
    };
    match number.parse::<f64>() {
        Ok(x) if x > 0.0 && (x * unit).is_finite() => Ok(x * unit),
        _ => Err(format!(
            "expected a positive number of days (3650) or years (10y), found {s:?}"
        )),
    }
}

/// Refuses `--reliability-half-life` on a command that builds its own timelines and would not
/// use it (`command` names it in the message).
pub fn no_half_life(args: &DataArgs, command: &str) -> Result<()> {
    if args.reliability_half_life.is_some() {
        return Err(Error::Usage(format!(
            "--reliability-half-life is not supported by {command}: it computes with the default \
             half-life (10y)"
        )));
    }
    Ok(())
}

/// A `--ties` value: `LAYER=FILE` when the text before `=` is a plain layer name and the whole
/// text is not an existing file; otherwise a file whose layer is its stem.
fn tie_source(p: &std::path::Path) -> (String, PathBuf) {
    let text = p.to_string_lossy();
    if let Some((l, f)) = text.split_once('=') {
        let plain = !l.is_empty()
            && l.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
        if plain && !p.exists() {
            return (l.to_string(), PathBuf::from(f));
        }
    }
    let stem = if p.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        p.file_stem()
            .map_or_else(|| text.to_string(), |s| s.to_string_lossy().into_owned())
    };
    (stem, p.to_path_buf())
}

/// The dataset and tie files as read, with `--without` and `--with` applied.
pub struct Inputs {
    pub dataset: Dataset,
    pub label: String,
    /// Each tie file's name (as given) and rows.
    pub tie_files: Vec<(String, Vec<TieEvent>)>,
    /// Each tie file's layer, in the order of `tie_files`.
    pub layers: Vec<String>,
    /// The dataset file's own `uncertainty` and `claims` (as JSON, unchecked), for the
    /// commands that check them (`validate`, `robust`, `sensitivity`).
    pub declared: serde_json::Value,
}

/// A loaded dataset with its timeline and the name it is known by in messages.
pub struct Loaded {
    pub dataset: Dataset,
    pub timeline: Timeline,
    pub label: String,
    /// Rows read from the tie CSV files (before dropping those of absent states).
    pub extra_rows: usize,
}

/// How many warnings are printed before the rest are only counted.
const MAX_WARNINGS: usize = 50;

/// Prints warnings on stderr (at most [`MAX_WARNINGS`], then a count).
pub fn print_warnings(w: &[Diagnostic]) {
    for d in w.iter().take(MAX_WARNINGS) {
        diag!("warning: {d}");
    }
    if w.len() > MAX_WARNINGS {
        diag!("warning: … and {} more warnings", w.len() - MAX_WARNINGS);
    }
}

fn label_of(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// Reads the dataset named by `file` (or the embedded default).
pub fn read_dataset(file: Option<&std::path::Path>) -> Result<(Dataset, String)> {
    read_dataset_declaring(file).map(|(ds, label, _)| (ds, label))
}

/// As [`read_dataset`], with the file's own `uncertainty` and `claims` sections.
fn read_dataset_declaring(
    file: Option<&std::path::Path>,
) -> Result<(Dataset, String, serde_json::Value)> {
    let declared = |bytes: &[u8]| {
        entente::robust::declared::sections(bytes).unwrap_or(serde_json::Value::Null)
    };
    match file {
        None => Ok((
            dataset::load_str(entente::DEFAULT_DATASET, entente::DEFAULT_DATASET_NAME)?,
            entente::DEFAULT_DATASET_NAME.to_string(),
            declared(entente::DEFAULT_DATASET.as_bytes()),
        )),
        Some(p) => {
            let label = label_of(p);
            let bytes = read_json_input(p)?;
            let ds = dataset::load_bytes(&bytes, &label)?;
            Ok((ds, label, declared(&bytes)))
        }
    }
}

/// Reads a whole JSON input — a dataset, a `--with` scenario, a `--claims` file — from `p`, or
/// standard input for `-`, refusing more than [`dataset::MAX_DATASET_BYTES`]: from the file's
/// size before reading when it has one, while reading otherwise (`/dev/zero`, a pipe).
pub fn read_json_input(p: &Path) -> Result<Vec<u8>> {
    if p.as_os_str() == "-" {
        return dataset::read_bounded(io::stdin().lock(), None, "-");
    }
    let f = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
    let len = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    dataset::read_bounded(f, len, &label_of(p))
}

/// Warns about a file given more than once to one flag (the same path, or two paths to the same
/// file): a second `--ties` counts its rows twice, a second `--with` adds its events twice, a
/// second event file of `import events` counts its rows twice. Allowed (it may be meant) but
/// rarely intended. `what` says what the repetition does; standard input (`-`) twice is refused
/// elsewhere.
pub fn warn_repeated(flag: &str, paths: &[PathBuf], what: &str) {
    let mut seen: Vec<(PathBuf, &PathBuf)> = Vec::new();
    for p in paths.iter().filter(|p| p.as_os_str() != "-") {
        let key = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            diag!(
                "warning: {flag} {} is the same file as {flag} {}: {what}",
                p.display(),
                first.display()
            );
        } else {
            seen.push((key, p));
        }
    }
}

/// Reads the dataset and tie files and applies `--without` and `--with`.
pub fn read(args: &DataArgs) -> Result<Inputs> {
    // Checked before reading anything, so the refusal does not depend on what stdin holds.
    let stdin_twice = args.ties.iter().filter(|p| p.as_os_str() == "-").count()
        + args.with.iter().filter(|p| p.as_os_str() == "-").count()
        + usize::from(args.file.as_deref().is_some_and(|p| p.as_os_str() == "-"));
    if stdin_twice > 1 {
        return Err(Error::Usage(
            "standard input (-) can be used only once".into(),
        ));
    }
    let tie_paths: Vec<PathBuf> = args.ties.iter().map(|t| tie_source(t).1).collect();
    warn_repeated("--ties", &tie_paths, "its rows are counted twice");
    warn_repeated("--with", &args.with, "its events are added twice");
    let (mut dataset, label, declared) = read_dataset_declaring(args.file.as_deref())?;
    let mut tie_files = Vec::new();
    let mut file_layers = Vec::new();
    for given in &args.ties {
        let (layer, path) = tie_source(given);
        let p = &path;
        let l = label_of(p);
        let ties = if p.as_os_str() == "-" {
            ties_csv::read_ties(&dataset, io::stdin().lock(), &l)?
        } else {
            let f = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
            ties_csv::read_ties(&dataset, BufReader::with_capacity(1 << 20, f), &l)?
        };
        tie_files.push((l, ties));
        file_layers.push(layer);
    }
    if !args.without.is_empty() {
        let names: Vec<String> = tie_files.iter().map(|(l, _)| l.clone()).collect();
        let mut selections = Vec::with_capacity(args.without.len());
        for s in &args.without {
            let sel = s
                .resolve(&dataset, &names)
                .map_err(|e| Error::Usage(format!("--without: {e}")))?;
            // `alliance=A` alone also names the alliance (for robust's rules on its base tie);
            // dropping needs events or tie rows.
            if sel.events.is_empty() && sel.ties.is_none() {
                return Err(Error::Usage(format!(
                    "--without: selector {:?} matches no event",
                    s.text
                )));
            }
            selections.push(sel);
        }
        dataset = entente::scenario::apply_without(&dataset, &mut tie_files, &selections);
    }
    for p in &args.with {
        let l = label_of(p);
        let bytes = read_json_input(p)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            Error::invalid(&l, "", "invalid UTF-8: a scenario file must be UTF-8 JSON")
        })?;
        dataset = entente::scenario::with_events(&dataset, text, &l)?;
    }
    Ok(Inputs {
        dataset,
        label,
        tie_files,
        layers: file_layers,
        declared,
    })
}

/// The inputs read and grouped into layers, with the checked layer selection: what the
/// timelines are built from.
struct Prepared {
    dataset: Dataset,
    label: String,
    tie_layers: Vec<TieLayer>,
    ties_label: String,
    names: Vec<String>,
    spec: LayerSpec,
    extra_rows: usize,
}

/// Groups the inputs (read by [`read`]) the tie files by layer and checks `--layer` and
/// `--layer-weight` against the layer names.
fn prepare(args: &DataArgs, inputs: Inputs) -> Result<Prepared> {
    let Inputs {
        dataset,
        label,
        tie_files,
        layers: file_layers,
        ..
    } = inputs;
    let mut tie_layers: Vec<TieLayer> = Vec::new();
    let mut labels = Vec::new();
    for ((l, mut ties), layer) in tie_files.into_iter().zip(file_layers) {
        match tie_layers.iter_mut().find(|t| t.name == layer) {
            Some(t) => t.ties.append(&mut ties),
            None => tie_layers.push(TieLayer {
                name: layer,
                ties, // no copy: tie files can hold millions of rows
            }),
        }
        labels.push(l);
    }
    let extra_rows = tie_layers.iter().map(|t| t.ties.len()).sum();
    let names = layers::names(&dataset, &tie_layers);
    let mut spec = LayerSpec::only(&args.layer);
    for w in &args.layer_weight {
        let (l, x) =
            LayerSpec::parse_weight(w).map_err(|e| Error::Usage(format!("--layer-weight: {e}")))?;
        spec.weights.insert(l, x);
    }
    spec.check(&names)
        .map_err(|e| Error::Usage(format!("--layer/--layer-weight: {e}")))?;
    Ok(Prepared {
        dataset,
        label,
        tie_layers,
        ties_label: labels.join(", "),
        names,
        spec,
        extra_rows,
    })
}

/// Loads the dataset and tie files, applies `--without` and `--with`, and builds the timeline;
/// prints warnings.
pub fn load(args: &DataArgs) -> Result<Loaded> {
    load_from(args, read(args)?)
}

/// As [`load`], from inputs already read with [`read`].
pub fn load_from(args: &DataArgs, inputs: Inputs) -> Result<Loaded> {
    finish(prepare(args, inputs)?, args)
}

/// [`load`], and besides the combined timeline one timeline per layer that counts (in the
/// order of [`layers::names`], each scaled by its `--layer-weight`; layers left out by
/// `--layer` are absent): the parts whose sum, clamped, is the combined weight. The inputs are
/// read once.
pub fn load_by_layer(args: &DataArgs) -> Result<(Loaded, Vec<(String, Timeline)>)> {
    let p = prepare(args, read(args)?)?;
    let parts = p
        .names
        .iter()
        .filter(|l| p.spec.factor(l) != 0.0)
        .map(|l| {
            let only = LayerSpec {
                only: vec![l.clone()],
                weights: p.spec.weights.clone(),
            };
            let tl = layers::timeline(&p.dataset, &p.label, &p.tie_layers, &p.ties_label, &only);
            (l.clone(), tl)
        })
        .collect();
    Ok((finish(p, args)?, parts))
}

/// Builds the timeline of the prepared inputs (and the treaty/behaviour split when
/// `--behaviour` is given); prints warnings.
fn finish(p: Prepared, args: &DataArgs) -> Result<Loaded> {
    let Prepared {
        dataset,
        label,
        mut tie_layers,
        ties_label,
        names,
        spec,
        extra_rows,
    } = p;
    let mut timeline = if spec.is_identity() && args.behaviour.is_none() {
        // The plain path: no copy of the tie events.
        let extra = tie_layers.into_iter().fold(Vec::new(), |mut acc, mut t| {
            if acc.is_empty() {
                t.ties
            } else {
                acc.append(&mut t.ties);
                acc
            }
        });
        tie_layers = Vec::new();
        Timeline::with_ties(&dataset, &label, extra, &ties_label)
    } else {
        layers::timeline(&dataset, &label, &tie_layers, &ties_label, &spec)
    };
    if let Some(b) = &args.behaviour {
        let behaviour: Vec<String> = if b.is_empty() {
            names
                .iter()
                .filter(|n| *n != layers::TREATY)
                .cloned()
                .collect()
        } else {
            b.clone()
        };
        LayerSpec::only(&behaviour)
            .check(&names)
            .map_err(|e| Error::Usage(format!("--behaviour: {e}")))?;
        // The split follows the same layer weights; --layer does not restrict it.
        let part = |only: Vec<String>| LayerSpec {
            only,
            weights: spec.weights.clone(),
        };
        let treaty = layers::timeline(
            &dataset,
            &label,
            &tie_layers,
            &ties_label,
            &part(vec![layers::TREATY.to_string()]),
        );
        let behave = layers::timeline(&dataset, &label, &tie_layers, &ties_label, &part(behaviour));
        timeline = timeline.with_split(treaty, behave);
    }
    if let Some(h) = args.reliability_half_life {
        timeline = timeline.with_reliability_half_life(h);
    }
    print_warnings(timeline.warnings());
    Ok(Loaded {
        dataset,
        timeline,
        label,
        extra_rows,
    })
}
