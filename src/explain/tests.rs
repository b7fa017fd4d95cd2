//! Attribution on small fixtures whose contributions are computed by hand, and the shortcuts of
//! the evaluator checked against plain recomputation on the CSTO data.

use super::*;
use crate::dataset::load_str;
use crate::date::parse_date;
use crate::metrics::catalogue;

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn graph_mean_tie() -> Quantity {
    Quantity::new(
        catalogue::find(Scope::Graph, "mean_tie").unwrap(),
        None,
        None,
    )
    .unwrap()
}

fn contribution(x: &Explanation, group: &str) -> f64 {
    x.contributions
        .iter()
        .find(|c| c.group == group)
        .unwrap_or_else(|| panic!("no group {group}"))
        .contribution
}

/// Three states present throughout; tie events without decay: the graph's mean tie is linear
/// in the events. D1 = 2001-01-01: 0.3/3 = 0.1; D2 = 2002-01-01: (0.6 − 0.6)/3 = 0.
const LINEAR: &str = r#"{"name": "linear",
  "states": [{"id": "A", "name": "A"}, {"id": "B", "name": "B"}, {"id": "C", "name": "C"}],
  "alliances": [],
  "events": [
    {"date": "2000-06-01", "kind": "tie", "a": "A", "b": "B", "delta": 0.3, "id": "e1"},
    {"date": "2001-06-01", "kind": "tie", "a": "A", "b": "B", "delta": 0.3, "id": "e2", "tags": ["up"]},
    {"date": "2001-07-01", "kind": "tie", "a": "B", "b": "C", "delta": -0.6, "id": "e3", "tags": ["down", "up"]},
    {"date": "2003-01-01", "kind": "tie", "a": "A", "b": "C", "delta": 0.9, "id": "e4"}
  ]}"#;

/// Two states; the tie is clamped at 1 by D2. D1: 0.8; D2: clamp(1.8) = 1.
const CLAMPED: &str = r#"{"name": "clamped",
  "states": [{"id": "A", "name": "A"}, {"id": "B", "name": "B"}],
  "alliances": [],
  "events": [
    {"date": "2000-06-01", "kind": "tie", "a": "A", "b": "B", "delta": 0.8, "id": "e1"},
    {"date": "2001-06-01", "kind": "tie", "a": "A", "b": "B", "delta": 0.5, "id": "e2"},
    {"date": "2001-07-01", "kind": "tie", "a": "A", "b": "B", "delta": 0.5, "id": "e3"}
  ]}"#;

#[test]
fn linear_leave_one_out_adds_up_with_zero_residual() {
    let ds = load_str(LINEAR, "linear.json").unwrap();
    let input = Input {
        dataset: &ds,
        tie_files: &[],
    };
    let (from, to) = (d("2001-01-01"), d("2002-01-01"));
    let groups = groups(input, By::Event, to, false);
    // e4 is after D2: no group.
    assert_eq!(
        groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
        ["e1", "e2", "e3"]
    );
    let x = leave_one_out(input, graph_mean_tie(), from, to, &groups).unwrap();
    assert!((x.value_from - 0.1).abs() < 1e-15 && x.value_to.abs() < 1e-15);
    assert!((x.delta + 0.1).abs() < 1e-15);
    // By hand: e3 −0.6/3 = −0.2, e2 +0.3/3 = 0.1, e1 (before D1, no decay) 0.
    assert!((contribution(&x, "e3") + 0.2).abs() < 1e-15);
    assert!((contribution(&x, "e2") - 0.1).abs() < 1e-15);
    assert!(contribution(&x, "e1").abs() < 1e-15);
    assert!(x.residual.abs() < 1e-15, "{}", x.residual);
    let order: Vec<&str> = x.contributions.iter().map(|c| c.group.as_str()).collect();
    assert_eq!(order, ["e3", "e2", "e1"]);
}

#[test]
fn clamped_leave_one_out_leaves_the_hand_computed_residual() {
    let ds = load_str(CLAMPED, "clamped.json").unwrap();
    let input = Input {
        dataset: &ds,
        tie_files: &[],
    };
    let (from, to) = (d("2001-01-01"), d("2002-01-01"));
    let groups = groups(input, By::Event, to, false);
    let x = leave_one_out(input, graph_mean_tie(), from, to, &groups).unwrap();
    // Δ = 1 − 0.8 = 0.2. Without e1: 0 → 1, so c(e1) = 0.2 − 1 = −0.8. Without e2 (or e3) the
    // tie still reaches clamp(1.3) = 1: c = 0. Residual = 0.2 − (−0.8) = 1.
    assert!((x.delta - 0.2).abs() < 1e-12);
    assert!((contribution(&x, "e1") + 0.8).abs() < 1e-12);
    assert!(contribution(&x, "e2").abs() < 1e-12);
    assert!(contribution(&x, "e3").abs() < 1e-12);
    assert!((x.residual - 1.0).abs() < 1e-12, "{}", x.residual);
}

#[test]
fn shapley_sums_to_delta_and_approaches_the_exact_values() {
    let ds = load_str(CLAMPED, "clamped.json").unwrap();
    let input = Input {
        dataset: &ds,
        tie_files: &[],
    };
    let (from, to) = (d("2001-01-01"), d("2002-01-01"));
    let groups = groups(input, By::Event, to, false);
    let x = shapley(input, graph_mean_tie(), from, to, &groups, 3000, 7).unwrap();
    let sum: f64 = x.contributions.iter().map(|c| c.contribution).sum();
    assert!((sum - x.delta).abs() < 1e-12 && x.residual.abs() < 1e-12);
    // Exact Shapley values over the 6 orders (v(S) = clamp(Σ_S at D2) − 0.8·[e1 ∈ S]):
    // φ(e1) = (0 + 0 − 0.3 − 0.3 − 0.8 − 0.8)/6 = −11/30, φ(e2) = φ(e3) = (0.2 + 11/30)/2.
    let exact = [
        ("e1", -11.0 / 30.0),
        ("e2", 17.0 / 60.0),
        ("e3", 17.0 / 60.0),
    ];
    for (g, want) in exact {
        let c = x.contributions.iter().find(|c| c.group == g).unwrap();
        let se = c.stderr.unwrap();
        assert!(
            (c.contribution - want).abs() < 4.0 * se + 1e-12,
            "{g}: {} vs {want} (se {se})",
            c.contribution
        );
    }
    // Same seed, same result; another seed, another sample.
    let again = shapley(input, graph_mean_tie(), from, to, &groups, 3000, 7).unwrap();
    assert_eq!(again, x);
    let other = shapley(input, graph_mean_tie(), from, to, &groups, 3000, 8).unwrap();
    assert_ne!(other.contributions, x.contributions);
}

#[test]
fn tags_go_to_the_first_tag_unless_multi() {
    let ds = load_str(LINEAR, "linear.json").unwrap();
    let input = Input {
        dataset: &ds,
        tie_files: &[],
    };
    let to = d("2002-01-01");
    let single = groups(input, By::Tag, to, false);
    let ids = |g: &[Group]| {
        g.iter()
            .map(|g| (g.id.clone(), g.events.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&single),
        [
            ("(untagged)".to_string(), vec![0]),
            ("up".into(), vec![1]),
            ("down".into(), vec![2])
        ]
    );
    let multi = groups(input, By::Tag, to, true);
    assert_eq!(
        ids(&multi),
        [
            ("(untagged)".to_string(), vec![0]),
            ("up".into(), vec![1, 2]),
            ("down".into(), vec![2])
        ]
    );
    // With an event in two groups, dropping either drops it; Shapley still sums to Δ.
    let x = shapley(input, graph_mean_tie(), d("2001-01-01"), to, &multi, 50, 1).unwrap();
    assert!(x.residual.abs() < 1e-12);
}

#[test]
fn leave_one_out_equals_recomputing_without_the_group_on_the_csto_data() {
    let ds = load_str(include_str!("../../data/csto.json"), "csto.json").unwrap();
    let input = Input {
        dataset: &ds,
        tie_files: &[],
    };
    let (from, to) = (d("2021-01-01"), d("2024-06-30"));
    let metric = catalogue::find(Scope::Alliance, "mean_tie").unwrap();
    let csto = ds.alliance_index("CSTO");
    let q = Quantity::new(metric, csto, None).unwrap();
    for by in [By::Event, By::Kind, By::Source] {
        let groups = groups(input, by, to, false);
        let x = leave_one_out(input, q, from, to, &groups).unwrap();
        assert_eq!(x.contributions.len(), groups.len());
        for g in &groups {
            let drop = g.events.iter().copied().collect();
            let t = Timeline::new(&crate::scenario::without(&ds, &drop), "x");
            let without = match (q.value(&t.snapshot(from)), q.value(&t.snapshot(to))) {
                (Some(a), Some(b)) => b - a,
                _ => 0.0,
            };
            let c = x.contributions.iter().find(|c| c.group == g.id).unwrap();
            assert_eq!(c.contribution, x.delta - without, "{} {}", by.name(), g.id);
        }
    }
}

#[test]
fn scopes_are_checked() {
    let m = catalogue::find(Scope::Alliance, "mean_tie").unwrap();
    assert!(Quantity::new(m, None, None)
        .unwrap_err()
        .contains("give --alliance"));
    let g = catalogue::find(Scope::Graph, "blocs").unwrap();
    assert!(Quantity::new(g, None, None)
        .unwrap_err()
        .contains("groups of states"));
}
