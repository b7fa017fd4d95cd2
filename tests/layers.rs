//! Layers, hollowness and portfolio similarity through the command line, on a small hand-made
//! dataset (tests/data/layers: four states, one alliance of three with tie 0.8, an `events` tie
//! A–D 0.5, an `arms` tie B–C −0.25, and a votes tie CSV with A–B −0.5, A–C 0.75, B–D 0.25).
//! Every expected value below is worked out by hand from those numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::run;
use serde_json::Value;

fn ds() -> String {
    common::data_str("layers/three.json")
}

fn votes() -> String {
    format!("votes={}", common::data_str("layers/votes.csv"))
}

/// The snapshot's ties as (a, b) → weight.
fn ties(extra: &[&str]) -> std::collections::BTreeMap<(String, String), f64> {
    let (ds, v) = (ds(), votes());
    let mut args = vec!["snapshot", &ds, "--ties", &v, "--date", "2003-01-01"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    j["ties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                (
                    t["a"].as_str().unwrap().to_string(),
                    t["b"].as_str().unwrap().to_string(),
                ),
                t["weight"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn layers_select_and_scale_and_sum_to_the_combined_weight() {
    let all = ties(&[]);
    // Combined: A–B 0.8 − 0.5 = 0.3; A–C 0.8 + 0.75 = 1.55 → 1 (clamped); B–C 0.8 − 0.25 = 0.55;
    // A–D 0.5; B–D 0.25.
    let want = [
        (("A", "B"), 0.3),
        (("A", "C"), 1.0),
        (("B", "C"), 0.55),
        (("A", "D"), 0.5),
        (("B", "D"), 0.25),
    ];
    assert_eq!(all.len(), want.len(), "{all:?}");
    for ((a, b), w) in want {
        assert!(close(all[&(a.into(), b.into())], w), "{a}–{b}: {all:?}");
    }
    // Each layer alone; below the clamp, the parts add up to the combined weight.
    let layer = |l: &str| ties(&["--layer", l]);
    let (t, e, arms, v) = (
        layer("treaty"),
        layer("events"),
        layer("arms"),
        layer("votes"),
    );
    assert!(close(t[&("A".into(), "B".into())], 0.8));
    assert!(close(e[&("A".into(), "D".into())], 0.5));
    assert!(close(arms[&("B".into(), "C".into())], -0.25));
    assert!(close(v[&("A".into(), "C".into())], 0.75));
    let get = |m: &std::collections::BTreeMap<(String, String), f64>, a: &str, b: &str| {
        m.get(&(a.to_string(), b.to_string()))
            .copied()
            .unwrap_or(0.0)
    };
    for (a, b) in [("A", "B"), ("B", "C"), ("A", "D"), ("B", "D")] {
        let sum = get(&t, a, b) + get(&e, a, b) + get(&arms, a, b) + get(&v, a, b);
        assert!(close(sum, get(&all, a, b)), "{a}–{b}");
    }
    // Two layers together; a layer weighted 0 is a layer left out.
    let two = ties(&["--layer", "treaty", "--layer", "votes"]);
    assert!(close(two[&("B".into(), "C".into())], 0.8));
    let scaled = ties(&["--layer-weight", "votes=0.5", "--layer-weight", "treaty=0"]);
    assert!(close(scaled[&("A".into(), "C".into())], 0.375));
    assert!(close(scaled[&("B".into(), "C".into())], -0.25));
}

#[test]
fn unknown_layers_and_bad_weights_are_refused() {
    let (ds, v) = (ds(), votes());
    for (flag, value, want) in [
        (
            "--layer",
            "vote",
            "unknown layer \"vote\" (layers: treaty, events, arms, votes)",
        ),
        (
            "--layer-weight",
            "votes",
            "--layer-weight: expected LAYER=WEIGHT, found \"votes\"",
        ),
        ("--layer-weight", "votes=x", "is not a finite number"),
        ("--behaviour", "nope", "--behaviour: unknown layer \"nope\""),
    ] {
        let (code, _, err) = run(&[
            "metrics",
            &ds,
            "--ties",
            &v,
            "--from",
            "2003-01-01",
            "--to",
            "2003-01-01",
            flag,
            value,
        ]);
        assert_eq!(code, 2, "{flag} {value}: {err}");
        assert!(err.contains(want), "{flag} {value}: {err}");
    }
}

#[test]
fn hollowness_by_hand() {
    let (ds, v) = (ds(), votes());
    let metrics = |extra: &[&str]| -> Value {
        let mut args = vec![
            "metrics",
            &ds,
            "--ties",
            &v,
            "--from",
            "2003-01-01",
            "--to",
            "2003-01-01",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<Value>(&out).unwrap()["series"][0]["alliances"]["X"].clone()
    };
    // Without --behaviour there is no split: null.
    assert!(metrics(&[])["hollowness"].is_null());
    // Behaviour = every layer but treaty: A–B −0.5, A–C 0.75, B–C −0.25 (arms).
    // Gaps (treaty 0.8): 1.3, 0.05, 1.05 → mean 0.8; A: (1.3 + 0.05)/2, B: (1.3 + 1.05)/2,
    // C: (0.05 + 1.05)/2.
    let x = metrics(&["--behaviour"]);
    assert!(close(x["hollowness"].as_f64().unwrap(), 0.8), "{x}");
    let h = &x["member_hollowness"];
    assert!(close(h["A"].as_f64().unwrap(), 0.675), "{h}");
    assert!(close(h["B"].as_f64().unwrap(), 1.175), "{h}");
    assert!(close(h["C"].as_f64().unwrap(), 0.55), "{h}");
    // Behaviour = votes only: gaps 1.3, 0.05, 0.8 → mean 0.7166….
    let x = metrics(&["--behaviour", "votes"]);
    assert!(close(x["hollowness"].as_f64().unwrap(), 2.15 / 3.0), "{x}");
}

#[test]
fn similarity_matrix_by_hand() {
    let (ds, v) = (ds(), votes());
    let (code, out, err) = run(&[
        "similarity",
        &ds,
        "--ties",
        &v,
        "--date",
        "2003-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["date"], "2003-01-01");
    assert_eq!(j["measure"], "s");
    assert_eq!(j["states"], serde_json::json!(["A", "B", "C", "D"]));
    // Portfolios (self = 1): A (1, .3, 1, .5), B (.3, 1, .55, .25), C (1, .55, 1, 0),
    // D (.5, .25, 0, 1). S(A,B) = 1 − (.7 + .7 + .45 + .25)/4 = 0.475;
    // S(A,C) = 1 − (0 + .25 + 0 + .5)/4 = 0.8125.
    let m = &j["matrix"];
    assert!(close(m[0][1].as_f64().unwrap(), 0.475), "{m}");
    assert!(close(m[1][0].as_f64().unwrap(), 0.475), "{m}");
    assert!(close(m[0][2].as_f64().unwrap(), 0.8125), "{m}");
    assert!(close(m[3][3].as_f64().unwrap(), 1.0), "{m}");
    // CSV long form, only the states asked for, in dataset order.
    let (code, out, _) = run(&[
        "similarity",
        &ds,
        "--ties",
        &v,
        "--date",
        "2003-01-01",
        "--format",
        "csv",
        "--states",
        "C,A",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out, "a,b,value\nA,A,1\nA,C,0.8125\nC,A,0.8125\nC,C,1\n");
    let (code, _, err) = run(&["similarity", &ds, "--date", "2003-01-01", "--states", "Z"]);
    assert_eq!(code, 2);
    assert!(err.contains("--states: unknown state id \"Z\" in"), "{err}");
}

#[test]
fn plot_similarity_draws_a_png() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sim.png");
    let (ds, v) = (ds(), votes());
    let o = out.display().to_string();
    let (code, _, err) = run(&[
        "plot",
        "similarity",
        &ds,
        "--ties",
        &v,
        "--date",
        "2003-01-01",
        "-o",
        &o,
    ]);
    assert_eq!(code, 0, "{err}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&out).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1600, 900));
    // Not blank: some strongly blue cells (similarity near 1) and white.
    let px: Vec<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
    assert!(
        px.iter().any(|p| p[2] > 100 && p[0] < 60),
        "a dark blue cell"
    );
    assert!(px.iter().any(|p| p[0] > 250 && p[1] > 250 && p[2] > 250));
}

/// `snapshot --by-layer`: each tie's parts, worked out by hand from the fixture; their sum,
/// clamped, is the weight; `--layer-weight` scales a part, `--layer` drops the others; the
/// tie file given on standard input is read once.
#[test]
fn snapshot_by_layer_gives_each_ties_parts() {
    let (ds, v) = (ds(), votes());
    let parts = |extra: &[&str]| {
        let mut args = vec![
            "snapshot",
            &ds,
            "--ties",
            &v,
            "--date",
            "2003-01-01",
            "--by-layer",
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let j: Value = serde_json::from_str(&out).unwrap();
        j["ties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let key = format!("{}–{}", t["a"].as_str().unwrap(), t["b"].as_str().unwrap());
                let layers: Vec<(String, f64)> = t["layers"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(l, x)| (l.clone(), x.as_f64().unwrap()))
                    .collect();
                (key, (t["weight"].as_f64().unwrap(), layers))
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let all = parts(&[]);
    let of = |key: &str| {
        all.get(key)
            .unwrap_or_else(|| panic!("no {key} in {all:?}"))
    };
    let expect = |key: &str, want: &[(&str, f64)]| {
        // (serde_json's objects come back sorted by key; the order is checked on the text.)
        let got = &of(key).1;
        let mut want = want.to_vec();
        want.sort_by(|x, y| x.0.cmp(y.0));
        assert_eq!(got.len(), want.len(), "{key}: {got:?}");
        for ((l, x), (wl, wx)) in got.iter().zip(&want) {
            assert!(
                l == wl && close(*x, *wx),
                "{key}: {got:?}, expected {want:?}"
            );
        }
    };
    expect("A–B", &[("treaty", 0.8), ("votes", -0.5)]);
    expect("A–C", &[("treaty", 0.8), ("votes", 0.75)]);
    expect("B–C", &[("treaty", 0.8), ("arms", -0.25)]);
    expect("A–D", &[("events", 0.5)]);
    expect("B–D", &[("votes", 0.25)]);
    // The weight is the clamped sum of the parts (A–C: 1.55 → 1).
    for (key, (w, ps)) in &all {
        let sum: f64 = ps.iter().map(|p| p.1).sum();
        assert!(close(*w, sum.clamp(-1.0, 1.0)), "{key}: {w} vs {ps:?}");
    }
    // Scaled and selected layers.
    let scaled = parts(&["--layer-weight", "votes=2"]);
    let part = |ps: &[(String, f64)], l: &str| ps.iter().find(|p| p.0 == l).unwrap().1;
    assert!(close(part(&scaled["A–B"].1, "votes"), -1.0));
    assert!(close(part(&scaled["A–B"].1, "treaty"), 0.8));
    assert!(close(scaled["A–B"].0, -0.2));
    let only = parts(&["--layer", "treaty", "--layer", "arms"]);
    assert!(only
        .values()
        .all(|(_, ps)| ps.iter().all(|(l, _)| l == "treaty" || l == "arms")));
    assert!(!only.contains_key("A–D"));

    // The table prints the parts after the weight, and `--ties -` is read once.
    let csv = std::fs::read(common::data("layers/votes.csv")).unwrap();
    let out = common::entente()
        .args([
            "snapshot",
            &ds,
            "--ties",
            "votes=-",
            "--date",
            "2003-01-01",
            "--by-layer",
            "--state",
            "A",
            "--format",
            "table",
        ])
        .write_stdin(csv)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("  A    B    +0.300  treaty +0.800  votes -0.500\n"),
        "{text}"
    );
    assert!(
        text.contains("  A    C    +1.000  treaty +0.800  votes +0.750\n"),
        "{text}"
    );
}
