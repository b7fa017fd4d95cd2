//! `blocs` and `modularity` of the whole graph: the partition that deterministic Louvain
//! ([`super::louvain`]) finds in G⁺ and Newman's weighted modularity of it, both from one
//! Louvain run shared through the context. Null when G⁺ has no edge. Blocs are written as state
//! lists (dataset order inside a bloc, blocs ordered by their first member).
//!
//! Complexity: one Louvain run, O(n²) per pass.
//!
//! ```
//! let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto.json").unwrap();
//! let t = entente::model::Timeline::new(&ds, "csto.json");
//! let snap = t.snapshot(entente::date::parse_date("2024-02-26").unwrap());
//! let m = entente::metrics::compute(&ds, &snap);
//! let blocs = m.graph.groups("blocs").unwrap();
//! assert_eq!(blocs.iter().map(Vec::len).sum::<usize>(), snap.n());
//! assert!(m.graph.number("modularity").is_some());
//! ```

use super::louvain::{louvain, Blocs};
use super::{Cx, Value};
use std::rc::Rc;

/// The Louvain partition of the context's members, computed once.
fn shared(cx: &Cx<'_>) -> Rc<Option<Blocs>> {
    cx.shared("louvain", || louvain(cx.view, &cx.members))
}

/// The catalogue's `blocs`: dataset indices.
pub fn blocs(cx: &Cx<'_>) -> Value {
    Value::Groups(shared(cx).as_ref().as_ref().map(|b| {
        b.blocs
            .iter()
            .map(|bloc| bloc.iter().map(|&k| cx.state(k)).collect())
            .collect()
    }))
}

/// The catalogue's `modularity`.
pub fn modularity(cx: &Cx<'_>) -> Value {
    Value::Number(shared(cx).as_ref().as_ref().map(|b| b.modularity))
}
