//! The graph at one date as a CSV edge list `source,target,weight` (Gephi's spreadsheet import
//! reads it as is): one row per tie, pairs in dataset order, weights as the shortest text that
//! reads back to the same number.

use crate::base::csv::field as csv_field;
use crate::dataset::Dataset;
use crate::model::Snapshot;
use std::io::Write;

/// The header line.
pub const HEADER: &str = "source,target,weight";

/// Writes the ties of `snap`.
pub fn write(ds: &Dataset, snap: &Snapshot, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "{HEADER}")?;
    for (i, j, x) in snap.ties() {
        let a = &ds.states[snap.states[i]].id;
        let b = &ds.states[snap.states[j]].id;
        writeln!(w, "{},{},{x}", csv_field(a), csv_field(b))?;
    }
    Ok(())
}
