//! The graph at one date as a CSV edge list `source,target,weight` (Gephi's spreadsheet import
//! reads it as is): one row per tie, pairs in dataset order, weights as the shortest text that
//! reads back to the same number. Written with the `csv` crate (RFC 4180 quoting); the nodes
//! table that goes next to it, isolated states included, is [`super::nodes::write_csv`].

use crate::dataset::Dataset;
use crate::model::Snapshot;
use std::io::Write;

/// The header line.
pub const HEADER: &str = "source,target,weight";

/// Writes the ties of `snap`.
pub fn write(ds: &Dataset, snap: &Snapshot, w: &mut dyn Write) -> std::io::Result<()> {
    let mut out = ::csv::Writer::from_writer(w);
    out.write_record(HEADER.split(','))
        .map_err(crate::base::csv::io_error)?;
    for (i, j, x) in snap.ties() {
        let a = &ds.states[snap.states[i]].id;
        let b = &ds.states[snap.states[j]].id;
        out.write_record([a.as_str(), b.as_str(), &super::nodes::number(x)])
            .map_err(crate::base::csv::io_error)?;
    }
    out.flush()
}
