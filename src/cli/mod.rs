//! The command line: clap parses flags here and nowhere else; each subcommand lives in its own
//! file with its arguments and a `run`. Errors become `error: …` on stderr and an exit status.

mod diff;
mod export;
mod import;
mod input;
mod metrics;
mod progress;
mod snapshot;
mod validate;

use crate::error::Error;

/// The alliance names shipped with entente, for the importer's tests.
#[cfg(test)]
pub(crate) const ATOP_NAMES_FOR_TESTS: &str = import::ATOP_NAMES;
use clap::{Parser, Subcommand};

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
    /// What changed between two dates: ties, metrics, alignment.
    Diff(diff::Args),
    /// Read ATOP, GDELT, ICEWS or membership tables into datasets and tie CSVs.
    Import(import::Args),
    /// Write the graph for Gephi and other tools (GEXF, GraphML, CSV).
    Export(export::Args),
}

/// Runs the command line with the process arguments; returns the exit status.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Validate(a) => validate::run(a),
        Command::Snapshot(a) => snapshot::run(a),
        Command::Metrics(a) => metrics::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Import(a) => import::run(a),
        Command::Export(a) => export::run(a),
    };
    match result {
        Ok(()) => 0,
        Err(e) => report_error(&e),
    }
}

/// Prints an error the way every command does and returns its exit status.
pub fn report_error(e: &Error) -> i32 {
    eprintln!("error: {e}");
    e.exit_code()
}
