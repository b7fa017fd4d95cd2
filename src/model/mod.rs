//! The model: from a validated [`Dataset`](crate::dataset::Dataset) to the signed, weighted
//! graph at any date. [`Timeline`] orders and checks the events once; [`Snapshot`] is the graph
//! at one date. The model does no IO.

pub mod calls;
pub mod layers;
pub mod queries;
pub mod snapshot;
pub mod sweep;
pub mod timeline;
pub mod trace;

pub use crate::dataset::ties_csv::TieEvent;
pub use calls::{Call, CallRecord};
pub use queries::Spell;
pub use snapshot::{Membership, Snapshot, Split};
pub use sweep::Sweep;
pub use timeline::Timeline;
pub use trace::{Slot, Trace};

/// Weights with an absolute value below this are no tie (floating-point residue).
pub const EPS: f64 = 1e-9;
