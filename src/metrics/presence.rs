//! Who is present: `states` (|N|, the present states), and per alliance `members` (m, present
//! members, active and suspended) and `suspended` (present members whose membership is
//! suspended). Counts read off the snapshot. Complexity: O(1) (the member list is built once
//! per alliance by the context).
//!
//! ```
//! let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
//! let t = entente::model::Timeline::new(&ds, "csto.json");
//! let snap = t.snapshot(entente::date::parse_date("2024-02-26").unwrap());
//! let m = entente::metrics::compute(&ds, &snap);
//! assert_eq!(m.graph.count("states"), Some(snap.n()));
//! ```

use super::{Cx, Value};

/// `states`: the number of present states.
pub fn states(cx: &Cx<'_>) -> Value {
    Value::Count(cx.members.len())
}

/// `members`: the alliance's present members, active and suspended.
pub fn members(cx: &Cx<'_>) -> Value {
    Value::Count(cx.members.len())
}

/// `suspended`: the alliance's present suspended members.
pub fn suspended(cx: &Cx<'_>) -> Value {
    Value::Count(cx.membership.map_or(0, |m| m.suspended.len()))
}
