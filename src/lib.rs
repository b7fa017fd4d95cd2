//! entente: alliance cohesion over time.
//!
//! States and alliances form a signed, weighted graph whose ties change with dated events. The
//! library follows one flow (see ARCHITECTURE.md):
//! [`dataset`] (load and validate) → [`model`] (timeline, snapshot at a date) → [`metrics`] →
//! plots and reports → the command line (the `entente` binary, `src/cli/`, which is not part of
//! this library). The model and the metrics do no IO.
//!
//! ```
//! let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
//! let timeline = entente::model::Timeline::new(&ds, "csto.json");
//! let date = entente::date::parse_date("2024-02-26").unwrap();
//! let snap = timeline.snapshot(date);
//! assert!(snap.n() > 0);
//! ```

#![warn(missing_docs)]

pub mod base;
pub mod dataset;
pub mod date;
pub mod error;
pub mod explain;
pub mod export;
pub mod format;
pub mod generate;
pub mod import;
pub mod limits;
pub mod metrics;
pub mod model;
pub mod output;
pub mod plot;
pub mod report;
pub mod robust;
pub mod scenario;
pub mod select;

/// The default dataset (`data/csto.json`), embedded so the main job runs from any directory.
pub const DEFAULT_DATASET: &str = include_str!("../data/csto.json");

/// The name under which the embedded dataset appears in messages.
pub const DEFAULT_DATASET_NAME: &str = "<embedded data/csto.json>";
