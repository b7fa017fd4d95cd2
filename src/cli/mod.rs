//! The command line: clap parses flags here and nowhere else; each subcommand lives in its own
//! file with its arguments and a `run`. Flag values become typed values through the parsers of
//! [`args`] (dates, steps, sizes, counts), so no command re-parses a flag; what needs the
//! dataset (alliance ids, default date ranges) is resolved in [`alliances`] and
//! [`args::SeriesArgs`]. Errors become `error: …` on stderr and an exit status. This module
//! belongs to the binary, not to the library.

/// `eprintln!` that never panics: writing a diagnostic to a closed stderr (`2>&-`, `2>&1 | true`)
/// is ignored, so the exit status stays the one the error asks for. The text is escaped for the
/// terminal ([`entente::base::text::for_terminal`]): a diagnostic quotes file names and dataset
/// strings, and one holding ESC or U+202E must not restyle or reorder the user's terminal.
/// Lines over [`entente::base::text::MAX_DIAGNOSTIC_LINE_CHARS`] are cut in the middle: a message
/// quoting a megabyte value whole stays one readable line.
macro_rules! diag {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{}", $crate::cli::for_stderr(&format!($($arg)*)));
    }};
}

/// `eprint!` that never panics, escaped for the terminal (see [`diag!`]).
macro_rules! diag_nonl {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), "{}", $crate::cli::for_stderr(&format!($($arg)*)));
    }};
}

/// A diagnostic as written to stderr: escaped for the terminal, long lines cut (see [`diag!`]).
pub fn for_stderr(text: &str) -> String {
    use entente::base::text::{cut_long_lines, for_terminal, MAX_DIAGNOSTIC_LINE_CHARS};
    cut_long_lines(&for_terminal(text), MAX_DIAGNOSTIC_LINE_CHARS).into_owned()
}

mod alliances;
mod args;
mod blocs;
mod completions;
mod diff;
mod explain;
mod export;
mod generate;
mod import;
mod input;
mod list;
mod metrics;
mod plot;
mod progress;
mod report;
mod robust;
mod sensitivity;
mod similarity;
mod snapshot;
mod states;
mod validate;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand};
use entente::error::Error;

/// Alliance cohesion over time: a signed, weighted graph of states and alliances whose ties
/// change with dated events.
#[derive(Debug, Parser)]
#[command(name = "entente", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a dataset and print a one-line summary, or every problem found.
    Validate(validate::Args),
    /// The graph at a date: present states, ties and memberships.
    Snapshot(snapshot::Args),
    /// Cohesion metrics of the graph and each alliance at each date of a series.
    Metrics(metrics::Args),
    /// Signed blocs over a series: consistent labels, flexibility, allegiance, bloc switches.
    Blocs(blocs::Args),
    /// What changed between two dates: ties, metrics, alignment.
    Diff(diff::Args),
    /// Why a metric moved between two dates: each group of events' contribution.
    Explain(explain::Args),
    /// Write a deterministic synthetic workload (dataset.json and ties.csv) for benchmarks.
    Generate(generate::Args),
    /// Read ATOP, GDELT, ICEWS or membership tables into datasets and tie CSVs.
    Import(import::Args),
    /// Write the graph for Gephi and other tools (GEXF, GraphML, CSV).
    Export(export::Args),
    /// One chart to PNG or SVG: timeline, members, network or heatmap.
    Plot(plot::Args),
    /// The main job: metrics, every chart and an index.html in one folder.
    Report(report::Args),
    /// Metrics with uncertainty bands over draws of the dataset's uncertain choices, and how
    /// often each claim holds.
    Robust(robust::Args),
    /// Which uncertainty rule moves one value most: each rule at its ends, a table and a
    /// tornado chart.
    Sensitivity(sensitivity::Args),
    /// The portfolio-similarity matrix of the states at a date (S-score, S², Pearson).
    Similarity(similarity::Args),
    /// The ids of a dataset's states, alliances or events, with names, spans and counts.
    List(list::Args),
    /// A shell completion script (bash, zsh, fish, elvish, powershell) on standard output.
    Completions(completions::CompletionsArgs),
    /// The man page (roff) on standard output: `entente man | man -l -`.
    Man(completions::ManArgs),
}

/// Runs the command line with the process arguments; returns the exit status.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return report_clap_error(&e),
    };
    let result = match cli.command {
        Command::Validate(a) => validate::run(a),
        Command::Snapshot(a) => snapshot::run(a),
        Command::Metrics(a) => metrics::run(a),
        Command::Blocs(a) => blocs::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Generate(a) => generate::run(a),
        Command::Import(a) => import::run(a),
        Command::Export(a) => export::run(a),
        Command::Plot(a) => plot::run(a),
        Command::Report(a) => report::run(a),
        Command::Robust(a) => robust::run(a),
        Command::Sensitivity(a) => sensitivity::run(a),
        Command::Similarity(a) => similarity::run(a),
        Command::List(a) => list::run(a),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
    };
    match result {
        Ok(()) => 0,
        Err(e) => report_error(&e),
    }
}

/// Prints a command-line error and returns its exit status. A flag value that did not parse is
/// worded like every other usage error, `error: --flag: message` (the message quotes the value),
/// instead of clap's longer form; the rest (unknown flags, missing values, `--help`) is clap's.
fn report_clap_error(e: &clap::Error) -> i32 {
    if e.kind() == ErrorKind::ValueValidation {
        if let (Some(ContextValue::String(arg)), Some(source)) =
            (e.get(ContextKind::InvalidArg), std::error::Error::source(e))
        {
            let flag = arg.split([' ', '=']).next().unwrap_or(arg);
            diag!("error: {flag}: {source}");
            return 2;
        }
    }
    let _ = e.print();
    if e.use_stderr() {
        2
    } else {
        0
    }
}

/// Prints an error the way every command does and returns its exit status.
fn report_error(e: &Error) -> i32 {
    diag!("error: {e}");
    e.exit_code()
}
