//! Reading the inputs every analysis command shares: the dataset (a file, `-` for standard
//! input, or the embedded default) and extra tie CSV files, the what-if flags `--without` and
//! `--with` applied to them (before the timeline is built, see docs/explain.md), then the
//! timeline.

use entente::dataset::{self, ties_csv, Dataset};
use entente::error::{Diagnostic, Error, Result};
use entente::model::{TieEvent, Timeline};
use entente::select::{self, Selector};
use std::io::{self, BufReader, Read};
use std::path::PathBuf;

/// Dataset and tie-file arguments shared by the analysis commands.
#[derive(Debug, Clone, clap::Args)]
pub struct DataArgs {
    /// Dataset JSON file (`-` for standard input); the embedded CSTO dataset when omitted.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Extra tie events from a tie CSV (`date,a,b,delta,half_life_days,duration_days`);
    /// repeatable, `-` for standard input.
    #[arg(long = "ties", value_name = "FILE.csv")]
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
}

/// The dataset and tie files as read, with `--without` and `--with` applied.
pub struct Inputs {
    pub dataset: Dataset,
    pub label: String,
    /// Each tie file's name (as given) and rows.
    pub tie_files: Vec<(String, Vec<TieEvent>)>,
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
        eprintln!("warning: {d}");
    }
    if w.len() > MAX_WARNINGS {
        eprintln!("warning: … and {} more warnings", w.len() - MAX_WARNINGS);
    }
}

fn label_of(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// Reads the dataset named by `file` (or the embedded default).
pub fn read_dataset(file: Option<&std::path::Path>) -> Result<(Dataset, String)> {
    match file {
        None => Ok((
            dataset::load_str(entente::DEFAULT_DATASET, entente::DEFAULT_DATASET_NAME)?,
            entente::DEFAULT_DATASET_NAME.to_string(),
        )),
        Some(p) => {
            let label = label_of(p);
            let bytes = if p.as_os_str() == "-" {
                let mut v = Vec::new();
                io::stdin()
                    .lock()
                    .read_to_end(&mut v)
                    .map_err(|e| Error::io("-", e))?;
                v
            } else {
                std::fs::read(p).map_err(|e| Error::io(p, e))?
            };
            Ok((dataset::load_bytes(&bytes, &label)?, label))
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
    let (mut dataset, label) = read_dataset(args.file.as_deref())?;
    let mut tie_files = Vec::new();
    for p in &args.ties {
        let l = label_of(p);
        let ties = if p.as_os_str() == "-" {
            ties_csv::read_ties(&dataset, io::stdin().lock(), &l)?
        } else {
            let f = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
            ties_csv::read_ties(&dataset, BufReader::with_capacity(1 << 20, f), &l)?
        };
        tie_files.push((l, ties));
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
        let bytes = if p.as_os_str() == "-" {
            let mut v = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut v)
                .map_err(|e| Error::io("-", e))?;
            v
        } else {
            std::fs::read(p).map_err(|e| Error::io(p, e))?
        };
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            Error::invalid(&l, "", "invalid UTF-8: a scenario file must be UTF-8 JSON")
        })?;
        dataset = entente::scenario::with_events(&dataset, text, &l)?;
    }
    Ok(Inputs {
        dataset,
        label,
        tie_files,
    })
}

/// Loads the dataset and tie files, applies `--without` and `--with`, and builds the timeline;
/// prints warnings.
pub fn load(args: &DataArgs) -> Result<Loaded> {
    let Inputs {
        dataset,
        label,
        tie_files,
    } = read(args)?;
    let mut extra: Vec<TieEvent> = Vec::new();
    let mut labels = Vec::new();
    for (l, mut ties) in tie_files {
        if extra.is_empty() {
            extra = ties; // no copy: tie files can hold millions of rows
        } else {
            extra.append(&mut ties);
        }
        labels.push(l);
    }
    let extra_rows = extra.len();
    let timeline = Timeline::with_ties(&dataset, &label, extra, &labels.join(", "));
    print_warnings(timeline.warnings());
    Ok(Loaded {
        dataset,
        timeline,
        label,
        extra_rows,
    })
}
