//! Exporters: the graph for other tools. [`gexf`] writes the whole timeline as a dynamic GEXF 1.3
//! graph for Gephi's timeline; [`graphml`] and [`csv`] write the graph at one date; [`nodes`]
//! holds the node attributes they write (memberships, blocs, alignment) and the nodes CSV.
//! Writers take a `dyn Write` and do no other IO; their output is deterministic.

pub mod csv;
pub mod gexf;
pub mod graphml;
pub mod nodes;

/// The one XML sanitiser every XML writer uses (see [`crate::base::text`]).
pub use crate::base::text::xml_escape;
