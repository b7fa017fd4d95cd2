//! Reading the inputs every analysis command shares: the dataset (a file, `-` for standard
//! input, or the embedded default) and extra tie CSV files, then building the timeline.

use entente::dataset::{self, ties_csv, Dataset};
use entente::error::{Diagnostic, Error, Result};
use entente::model::Timeline;
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

/// Loads the dataset and tie files and builds the timeline; prints warnings.
pub fn load(args: &DataArgs) -> Result<Loaded> {
    // Checked before reading anything, so the refusal does not depend on what stdin holds.
    let stdin_twice = args.ties.iter().filter(|p| p.as_os_str() == "-").count()
        + usize::from(args.file.as_deref().is_some_and(|p| p.as_os_str() == "-"));
    if stdin_twice > 1 {
        return Err(Error::Usage(
            "standard input (-) can be used only once".into(),
        ));
    }
    let (dataset, label) = read_dataset(args.file.as_deref())?;
    let mut extra = Vec::new();
    let mut labels = Vec::new();
    for p in &args.ties {
        let l = label_of(p);
        let mut ties = if p.as_os_str() == "-" {
            ties_csv::read_ties(&dataset, io::stdin().lock(), &l)?
        } else {
            let f = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
            ties_csv::read_ties(&dataset, BufReader::with_capacity(1 << 20, f), &l)?
        };
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
