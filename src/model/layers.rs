//! Layers: every contribution to a tie belongs to one. `treaty` holds the alliance memberships
//! (the first sum of the weight formula), each dataset `tie` event its `layer` (default
//! `events`), and each tie CSV its own layer (`--ties votes=FILE`; by default the file's stem). The combined weight is
//! the sum of the layers, clamped, exactly as without layers.
//!
//! Selecting layers (`--layer L`) and scaling them (`--layer-weight L=W`) is done on the inputs,
//! before the timeline is built: the weight formula is linear in each alliance's tie and each
//! event's delta, so scaling those by W scales the layer's sum by W, and a layer left out is
//! one scaled by 0 (its events are dropped; memberships stay, with no weight). The model itself
//! is unchanged.

use super::{TieEvent, Timeline};
use crate::dataset::{Dataset, EventKind, DEFAULT_LAYER};
use std::collections::BTreeMap;

/// The layer of alliance memberships.
pub const TREATY: &str = "treaty";
/// The layer of the dataset's `tie` events that name none.
pub const EVENTS: &str = DEFAULT_LAYER;

/// Which layers count, and how much.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayerSpec {
    /// The layers to compute from; empty: all.
    pub only: Vec<String>,
    /// Scale per layer (default 1).
    pub weights: BTreeMap<String, f64>,
}

impl LayerSpec {
    /// Only these layers, unscaled.
    pub fn only<S: AsRef<str>>(layers: &[S]) -> LayerSpec {
        LayerSpec {
            only: layers.iter().map(|s| s.as_ref().to_string()).collect(),
            weights: BTreeMap::new(),
        }
    }

    /// The factor a layer's contributions are multiplied by.
    pub fn factor(&self, layer: &str) -> f64 {
        if !self.only.is_empty() && !self.only.iter().any(|l| l == layer) {
            return 0.0;
        }
        self.weights.get(layer).copied().unwrap_or(1.0)
    }

    /// Whether the spec changes nothing.
    pub fn is_identity(&self) -> bool {
        self.only.is_empty() && self.weights.values().all(|&w| w == 1.0)
    }

    /// Parses `L=W` (a layer name and a finite number).
    pub fn parse_weight(s: &str) -> Result<(String, f64), String> {
        let (l, w) = s
            .split_once('=')
            .ok_or_else(|| format!("expected LAYER=WEIGHT, found {s:?}"))?;
        let l = l.trim();
        if l.is_empty() {
            return Err(format!("empty layer name in {s:?}"));
        }
        let w: f64 = w
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| format!("weight of {l:?} is not a finite number: {:?}", w.trim()))?;
        Ok((l.to_string(), w))
    }

    /// Checks that every named layer exists among `known`; the error names the unknown one and
    /// lists the known ones.
    pub fn check(&self, known: &[String]) -> Result<(), String> {
        for l in self.only.iter().chain(self.weights.keys()) {
            if !known.iter().any(|k| k == l) {
                return Err(format!(
                    "unknown layer {l:?} (layers: {})",
                    known.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// Tie events of one layer (one or more tie CSV files).
#[derive(Debug, Clone, PartialEq)]
pub struct TieLayer {
    /// The layer's name.
    pub name: String,
    /// Its tie events.
    pub ties: Vec<TieEvent>,
}

/// The layer names of a dataset and its tie layers: `treaty`, `events`, the dataset's other
/// tie-event layers, then the tie layers in the order given (each once).
pub fn names(ds: &Dataset, ties: &[TieLayer]) -> Vec<String> {
    let mut out = vec![TREATY.to_string(), EVENTS.to_string()];
    for name in ds.layers.iter().chain(ties.iter().map(|t| &t.name)) {
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// The dataset with its treaty and event layers scaled by `spec` (alliance ties, `retie` values
/// and `tie` deltas multiplied by their layer's factor; tie events of a factor-0 layer dropped).
pub fn scaled_dataset(ds: &Dataset, spec: &LayerSpec) -> Dataset {
    let ft = spec.factor(TREATY);
    // The factor of each dataset layer: index 0 the default, k + 1 `ds.layers[k]`.
    let fl: Vec<f64> = std::iter::once(EVENTS)
        .chain(ds.layers.iter().map(String::as_str))
        .map(|l| spec.factor(l))
        .collect();
    if ft == 1.0 && fl.iter().all(|&f| f == 1.0) {
        return ds.clone();
    }
    let mut out = ds.clone();
    for a in &mut out.alliances {
        a.tie *= ft;
    }
    out.events.retain_mut(|e| match &mut e.kind {
        EventKind::Retie { tie, .. } => {
            *tie *= ft;
            true
        }
        EventKind::TieDelta(t) => {
            let f = fl[t.layer.map_or(0, |k| k + 1).min(fl.len() - 1)];
            t.delta *= f;
            f != 0.0
        }
        _ => true,
    });
    out
}

/// The tie events of every tie layer, deltas scaled by their layer's factor (factor-0 layers
/// left out), in one list.
pub fn scaled_ties(ties: &[TieLayer], spec: &LayerSpec) -> Vec<TieEvent> {
    let mut out = Vec::new();
    for t in ties {
        let f = spec.factor(&t.name);
        if f == 0.0 {
            continue;
        }
        if f == 1.0 {
            out.extend_from_slice(&t.ties);
        } else {
            out.extend(t.ties.iter().map(|e| {
                let mut e = *e;
                e.delta *= f;
                e
            }));
        }
    }
    out
}

/// The timeline of the layers `spec` selects, scaled.
pub fn timeline(
    ds: &Dataset,
    file: &str,
    ties: &[TieLayer],
    ties_label: &str,
    spec: &LayerSpec,
) -> Timeline {
    Timeline::with_ties(
        &scaled_dataset(ds, spec),
        file,
        scaled_ties(ties, spec),
        ties_label,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::date::{parse_date, to_day};

    fn fixture() -> (Dataset, Vec<TieLayer>) {
        let ds = crate::dataset::load_str(
            r#"{"name":"t","states":[{"id":"A","name":"A"},{"id":"B","name":"B"},{"id":"C","name":"C"}],
            "alliances":[{"id":"X","name":"X","kind":"defense","tie":0.8}],
            "events":[
              {"date":"2000-01-01","kind":"join","state":"A","alliance":"X"},
              {"date":"2000-01-01","kind":"join","state":"B","alliance":"X"},
              {"date":"2000-01-01","kind":"join","state":"C","alliance":"X"},
              {"date":"2001-01-01","kind":"tie","a":"A","b":"B","delta":0.5},
              {"date":"2001-01-01","kind":"tie","a":"A","b":"C","delta":-0.3},
              {"date":"2001-06-01","kind":"tie","a":"B","b":"C","delta":0.25,"layer":"arms"},
              {"date":"2003-01-01","kind":"retie","alliance":"X","tie":0.6}]}"#,
            "t",
        )
        .unwrap();
        let d = to_day(parse_date("2002-01-01").unwrap());
        let votes = TieLayer {
            name: "votes".into(),
            ties: vec![
                TieEvent::new(d, 0, 1, 0.4, None, None),
                TieEvent::new(d, 0, 2, -0.9, None, Some(400.0)),
                TieEvent::new(d, 1, 2, 0.2, Some(365.0), None),
            ],
        };
        (ds, vec![votes])
    }

    #[test]
    fn layer_subsets_sum_to_the_combined_weight_before_clamping() {
        let (ds, ties) = fixture();
        let all = timeline(&ds, "t", &ties, "v", &LayerSpec::default());
        for date in [
            "2000-06-01",
            "2001-06-01",
            "2002-06-01",
            "2003-06-01",
            "2004-06-01",
        ] {
            let d = parse_date(date).unwrap();
            let (snap, raw) = all.raw_snapshot(d);
            let n = snap.n();
            let mut sum = vec![0.0; n * n];
            for l in names(&ds, &ties) {
                let (_, r) = timeline(&ds, "t", &ties, "v", &LayerSpec::only(&[l])).raw_snapshot(d);
                for k in 0..n * n {
                    sum[k] += r[k];
                }
            }
            for k in 0..n * n {
                assert!(
                    (sum[k] - raw[k]).abs() < 1e-12,
                    "{date} {k}: {} vs {}",
                    sum[k],
                    raw[k]
                );
            }
            // The combined weight is the clamped sum, as without layers.
            let w = all.snapshot(d);
            for i in 0..n {
                for j in (i + 1)..n {
                    assert_eq!(
                        w.w(i, j),
                        crate::model::timeline::clamp_weight(raw[i * n + j])
                    );
                }
            }
        }
        // On 2002-06-01 A–B sums to 0.8 + 0.5 + 0.4 = 1.7 before clamping, 1 after.
        let (_, raw) = all.raw_snapshot(parse_date("2002-06-01").unwrap());
        assert!((raw[1] - 1.7).abs() < 1e-12);
        assert_eq!(all.snapshot(parse_date("2002-06-01").unwrap()).w(0, 1), 1.0);
    }

    #[test]
    fn layer_weights_scale_a_layer() {
        let (ds, ties) = fixture();
        let d = parse_date("2003-06-01").unwrap();
        let mut spec = LayerSpec::default();
        spec.weights.insert("treaty".into(), 0.5);
        spec.weights.insert("votes".into(), 2.0);
        let (_, raw) = timeline(&ds, "t", &ties, "v", &spec).raw_snapshot(d);
        // A–B: treaty 0.6 (retie) · 0.5 + events 0.5 + votes 0.4 · 2.
        assert!((raw[1] - (0.3 + 0.5 + 0.8)).abs() < 1e-12);
        assert!(LayerSpec::default().is_identity());
        assert_eq!(spec.factor("events"), 1.0);
        assert_eq!(LayerSpec::only(&["votes"]).factor("treaty"), 0.0);
        assert_eq!(
            LayerSpec::parse_weight("votes=0.5"),
            Ok(("votes".into(), 0.5))
        );
        assert!(LayerSpec::parse_weight("votes").is_err());
        assert!(LayerSpec::parse_weight("votes=inf").is_err());
        assert!(LayerSpec::only(&["vote"])
            .check(&names(&ds, &ties))
            .unwrap_err()
            .contains("unknown layer \"vote\" (layers: treaty, events, arms, votes)"));
        // A dataset event's own layer: B–C on 2003-06-01 is treaty 0.6 + arms 0.25 + votes
        // 0.2 decayed; without arms, 0.25 less.
        let all = timeline(&ds, "t", &ties, "v", &LayerSpec::default())
            .raw_snapshot(d)
            .1;
        let mut no_arms = LayerSpec::default();
        no_arms.weights.insert("arms".into(), 0.0);
        let less = timeline(&ds, "t", &ties, "v", &no_arms).raw_snapshot(d).1;
        assert!((all[5] - less[5] - 0.25).abs() < 1e-12);
    }
}
