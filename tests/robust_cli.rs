//! Integration tests of `entente robust` and `entente sensitivity` on tests/data/robust/:
//! zero-width rules give the nominal values bit for bit; emitted draws reproduce the values
//! `robust` used (through `entente metrics`, and as a property over random datasets and rules
//! through the library); quantiles match a hand computation from the emitted draws; claims'
//! truth tables (a pair's tie included); bad rules and claims refused with their JSON path, by
//! `robust` and by `validate` alike; `goldstein_scale` rules; claims on opt-in metrics; the same
//! bytes across runs and thread counts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{data_str, entente, ok, ALIGNMENT_OF_A_IN_X};
use entente::robust::{flatten, rules, Engine, Variant};
use proptest::prelude::*;
use serde_json::Value;

const FIXTURE: &str = "robust/four-states.json";

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The fixture with its top-level fields changed (`Value::Null` removes one), written to `dir`.
fn variant(dir: &std::path::Path, name: &str, edit: &[(&str, Value)]) -> String {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(common::data(FIXTURE)).unwrap()).unwrap();
    for (k, x) in edit {
        let o = v.as_object_mut().unwrap();
        if x.is_null() {
            o.remove(*k);
        } else {
            o.insert((*k).to_string(), x.clone());
        }
    }
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    p.display().to_string()
}

/// CSV rows as maps from column name to text.
fn csv_rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            head.iter()
                .map(|h| h.to_string())
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn zero_width_rules_give_the_nominal_values_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let file = variant(
        dir.path(),
        "plain.json",
        &[("uncertainty", Value::Null), ("claims", Value::Null)],
    );
    let out = ok(
        "robust",
        entente().args([
            "robust",
            &file,
            "--ties",
            &data_str("robust/ties.csv"),
            "--draws",
            "20",
            "--step",
            "3m",
            "--format",
            "csv",
            "--vary",
            "tag=grievance:delta*1..1",
            "--vary",
            "event=a-freeze:factor=0.2..0.2",
            "--vary",
            "ties:delta*1..1:per=event",
            "--vary",
            "alliance=X:tie=0.8..0.8:triangular",
        ]),
    );
    let rows = csv_rows(&stdout(&out));
    assert!(rows.len() > 50);
    let metrics = ok(
        "metrics",
        entente().args([
            "metrics",
            &file,
            "--ties",
            &data_str("robust/ties.csv"),
            "--step",
            "3m",
            "--format",
            "csv",
        ]),
    );
    // robust bands the numeric metrics; `metrics` also writes group counts and flags.
    let numeric = |key: &str| {
        use entente::metrics::catalogue::{Kind, CATALOGUE};
        !CATALOGUE
            .iter()
            .any(|m| m.key == key && matches!(m.kind, Kind::Groups | Kind::Flag))
    };
    let plain: Vec<_> = csv_rows(&stdout(&metrics))
        .into_iter()
        .filter(|r| numeric(&r["metric"]))
        .collect();
    assert_eq!(rows.len(), plain.len());
    for (r, m) in rows.iter().zip(&plain) {
        assert_eq!(
            (&r["date"], &r["alliance"], &r["state"], &r["metric"]),
            (&m["date"], &m["alliance"], &m["state"], &m["metric"])
        );
        // Same text: the shortest representation, so the same bits.
        for col in [
            "nominal", "mean", "q0.05", "q0.25", "q0.5", "q0.75", "q0.95",
        ] {
            assert_eq!(r[col], m["value"], "{col} of {r:?}");
        }
        let expected = if m["value"].is_empty() { "0" } else { "20" };
        assert_eq!(r["draws"], expected);
    }
}

#[test]
fn quantiles_match_a_hand_computation_from_the_emitted_draws() {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("draws");
    let ties = data_str("robust/ties.csv");
    // Without the dataset's claims, whose windows lie outside this short series.
    let file = variant(dir.path(), "no-claims.json", &[("claims", Value::Null)]);
    let out = ok(
        "robust",
        entente()
            .args([
                "robust",
                &file,
                "--ties",
                &ties,
                "--draws",
                "7",
                "--seed",
                "3",
                "--metric",
                "alignment",
                "--from",
                "2022-01-01",
                "--to",
                "2022-03-01",
                "--step",
                "1m",
                "--quantiles",
                "0,0.1,0.5,0.9,1",
                "--vary",
                "ties:delta*0.5..1.5:per=event",
                "--format",
                "csv",
                "--emit-draws",
            ])
            .arg(&draws),
    );
    let rows = csv_rows(&stdout(&out));
    // Every value of every emitted draw, by (date, alliance, state), through `entente metrics`.
    let mut per_cell: std::collections::BTreeMap<(String, String, String), Vec<f64>> =
        Default::default();
    for k in 1..=7 {
        let json = draws.join(format!("draw-{k:04}.json"));
        let csv = draws.join(format!("draw-{k:04}-ties.csv"));
        assert!(csv.exists(), "the varied tie CSV is rewritten");
        let m = ok(
            "metrics on a draw",
            entente()
                .arg("metrics")
                .arg(&json)
                .arg("--ties")
                .arg(&csv)
                .args([
                    "--from",
                    "2022-01-01",
                    "--to",
                    "2022-03-01",
                    "--step",
                    "1m",
                    "--format",
                    "csv",
                ]),
        );
        for r in csv_rows(&stdout(&m)) {
            if r["metric"] == "alignment" && !r["value"].is_empty() {
                per_cell
                    .entry((r["date"].clone(), r["alliance"].clone(), r["state"].clone()))
                    .or_default()
                    .push(r["value"].parse().unwrap());
            }
        }
    }
    assert!(!draws.join("draw-0008.json").exists());
    let by_hand = |xs: &mut Vec<f64>, q: f64| {
        xs.sort_by(f64::total_cmp);
        let h = (xs.len() - 1) as f64 * q;
        let j = h.floor() as usize;
        if j + 1 >= xs.len() {
            xs[j]
        } else {
            xs[j] + (h - j as f64) * (xs[j + 1] - xs[j])
        }
    };
    let mut checked = 0;
    for r in rows.iter().filter(|r| !r["state"].is_empty()) {
        let xs = per_cell
            .get_mut(&(r["date"].clone(), r["alliance"].clone(), r["state"].clone()))
            .unwrap();
        assert_eq!(xs.len(), 7);
        for (col, q) in [
            ("q0", 0.0),
            ("q0.1", 0.1),
            ("q0.5", 0.5),
            ("q0.9", 0.9),
            ("q1", 1.0),
        ] {
            let got: f64 = r[col].parse().unwrap();
            assert_eq!(got, by_hand(xs, q), "{col} of {r:?}");
        }
        checked += 1;
    }
    assert_eq!(checked, 9, "three dates × three members");
    // Draws differ: the band has width.
    assert!(rows.iter().any(|r| r["q0"] != r["q1"]));
}

fn claims_of(args: &[&str]) -> Vec<Value> {
    let out = ok("robust", entente().args(args));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["claims"].as_array().unwrap().clone()
}

#[test]
fn claims_truth_tables() {
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("claims.json");
    // On 2022-01-01 (nominal): A's alignment −0.2 (its ties to B −0.26, to C −0.14), B's 0.32,
    // C's 0.38; the pact's mean tie fell from 0.8 (2020) and rose from 2021-06-01 on.
    std::fs::write(
        &claims,
        r#"[{"id":"c-highest","test":"highest","metric":"alignment","alliance":"X","state":"C","from":"2022-01-01","to":"2022-01-01"},
            {"id":"b-highest","test":"highest","metric":"alignment","alliance":"X","state":"B","from":"2022-01-01","to":"2022-01-01"},
            {"id":"x-rises","test":"rises","metric":"mean_tie","alliance":"X","from":"2020-01-01","to":"2022-01-01"},
            {"id":"graph-above","test":"above","metric":"mean_tie","value":-1},
            {"id":"graph-below","test":"below","metric":"mean_tie","value":-1}]"#,
    )
    .unwrap();
    let file = data_str(FIXTURE);
    let c = claims_of(&[
        "robust",
        &file,
        "--draws",
        "40",
        "--claims",
        claims.to_str().unwrap(),
        "--step",
        "1m",
    ]);
    let get = |id: &str| c.iter().find(|x| x["id"] == id).unwrap().clone();
    for (id, holds) in [
        ("a-lowest", true),
        ("x-falls", true),
        ("a-below-zero", true),
        ("c-highest", true),
        ("b-highest", false),
        ("x-rises", false),
        ("graph-above", true),
        ("graph-below", false),
    ] {
        assert_eq!(get(id)["holds_nominal"], holds, "{id}");
    }
    // Facts no rule of the fixture can change hold in every draw, or in none.
    for (id, p, label) in [
        ("graph-above", 1.0, "robust"),
        ("graph-below", 0.0, "rejected"),
        ("x-rises", 0.0, "rejected"),
    ] {
        assert_eq!(get(id)["probability"], p, "{id}");
        assert_eq!(get(id)["label"], label, "{id}");
    }
    // A's alignment below zero depends on the freeze factor and the grievances: some draws keep it.
    let p = get("a-below-zero")["probability"].as_f64().unwrap();
    assert!(p > 0.0 && p < 1.0, "{p}");
    // The CSV table of claims.
    let csv = dir.path().join("claims.csv");
    ok(
        "claims csv",
        entente().args([
            "robust",
            &file,
            "--draws",
            "5",
            "--claims-csv",
            csv.to_str().unwrap(),
        ]),
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("id,holds_nominal,probability,label\na-lowest,true,"),
        "{text}"
    );
}

#[test]
fn verdict_labels() {
    use entente::robust::claims::label;
    for (p, l) in [
        (1.0, "robust"),
        (0.95, "robust"),
        (0.9, "likely"),
        (0.75, "likely"),
        (0.5, "uncertain"),
        (0.25, "unlikely"),
        (0.1, "unlikely"),
        (0.05, "rejected"),
        (0.0, "rejected"),
    ] {
        assert_eq!(label(p), l, "{p}");
    }
}

#[test]
fn bad_rules_are_refused_with_their_json_path() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |r: &str| -> Value { serde_json::from_str(&format!("[{r}]")).unwrap() };
    for (name, r, place, words) in [
        (
            "inverted",
            r#"{"select":"kind=tie","param":"delta","range":[0.5,0.1]}"#,
            "uncertainty[0].range",
            "inverted",
        ),
        (
            "domain",
            r#"{"select":"kind=suspend","param":"factor","range":[0,1.5]}"#,
            "uncertainty[0].range",
            "domain",
        ),
        (
            "scale-domain",
            r#"{"select":"tag=grievance","param":"delta","scale":[0,4]}"#,
            "uncertainty[0].scale",
            "outside its domain",
        ),
        (
            "not-number",
            r#"{"select":"kind=tie","param":"delta","range":[0,"x"]}"#,
            "uncertainty[0].range",
            "two numbers",
        ),
        (
            "tag",
            r#"{"select":"tag=nope","param":"delta","scale":[0.5,1]}"#,
            "uncertainty[0].select",
            "unknown tag",
        ),
        (
            "empty",
            r#"{"select":"event=a-freeze,kind=tie","param":"delta","scale":[0.5,1]}"#,
            "uncertainty[0].select",
            "matches nothing",
        ),
        (
            "carries",
            r#"{"select":"kind=join","param":"delta","scale":[0.5,1]}"#,
            "uncertainty[0].select",
            "no event with a delta",
        ),
        (
            "param",
            r#"{"select":"kind=tie","param":"weight","scale":[0.5,1]}"#,
            "uncertainty[0].param",
            "unknown parameter",
        ),
        (
            "field",
            r#"{"select":"kind=tie","param":"delta","scale":[0.5,1],"often":1}"#,
            "uncertainty[0].often",
            "unknown field",
        ),
        (
            "goldstein-select",
            r#"{"select":"kind=tie","param":"goldstein_scale","range":[0.1,0.3]}"#,
            "uncertainty[0].select",
            "no select",
        ),
        (
            "goldstein-per-event",
            r#"{"param":"goldstein_scale","range":[0.1,0.3],"per":"event"}"#,
            "uncertainty[0].per",
            "per=rule only",
        ),
        (
            "goldstein-domain",
            r#"{"param":"goldstein_scale","range":[0,0.3]}"#,
            "uncertainty[0].range",
            "(0, 2]",
        ),
        (
            "goldstein-nothing",
            r#"{"param":"goldstein_scale","range":[0.1,0.3]}"#,
            "uncertainty[0]",
            "no tie event takes its delta from a CAMEO code",
        ),
    ] {
        let file = variant(
            dir.path(),
            &format!("{name}.json"),
            &[("uncertainty", rule(r))],
        );
        let out_file = dir.path().join(format!("{name}.csv"));
        let out = entente()
            .args([
                "robust",
                &file,
                "--draws",
                "3",
                "--format",
                "csv",
                "-o",
                out_file.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{file}: {place}: ")), "{name}: {err}");
        assert!(err.contains(words), "{name}: {err}");
        assert!(!out_file.exists(), "{name}: no output on error");
        same_error_from_validate(&file, &err, name);
    }
    for (v, words) in [
        ("kind=tie:delta=0.5..0.1", "inverted"),
        ("kind=tie:delta=NaN..1", "finite"),
        ("colour=red:delta=0..1", "unknown key"),
        ("kind=tie:factor=0..1", "no event with a factor"),
        ("goldstein_scale=0.1..0.3", "changes nothing"),
        ("kind=tie:goldstein_scale=0.1..0.3", "without a selector"),
    ] {
        let out = entente()
            .args(["robust", &data_str(FIXTURE), "--draws", "2", "--vary", v])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{v}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--vary") && err.contains(words), "{v}: {err}");
    }
}

#[test]
fn bad_claims_are_refused_with_their_json_path() {
    let dir = tempfile::tempdir().unwrap();
    for (name, c, place, words) in [
        (
            "alliance",
            r#"{"id":"c","test":"falls","metric":"mean_tie","alliance":"Y"}"#,
            "claims[0].alliance",
            "unknown alliance",
        ),
        (
            "state",
            r#"{"id":"c","test":"lowest","metric":"alignment","alliance":"X","state":"Z"}"#,
            "claims[0].state",
            "unknown state",
        ),
        (
            "metric",
            r#"{"id":"c","test":"falls","metric":"cohesion"}"#,
            "claims[0].metric",
            "unknown metric",
        ),
        (
            "value",
            r#"{"id":"c","test":"below","metric":"mean_tie"}"#,
            "claims[0].value",
            "missing",
        ),
        (
            "test",
            r#"{"id":"c","test":"wobbles","metric":"mean_tie"}"#,
            "claims[0].test",
            "unknown test",
        ),
        (
            "date",
            r#"{"id":"c","test":"falls","metric":"mean_tie","from":"2021-02-30"}"#,
            "claims[0].from",
            "2021-02-30",
        ),
        (
            "lowest-graph",
            r#"{"id":"c","test":"lowest","metric":"mean_tie"}"#,
            "claims[0].test",
            "per-member",
        ),
        (
            "tie-alone",
            r#"{"id":"c","test":"rises","metric":"tie"}"#,
            "claims[0].states",
            "two states",
        ),
        (
            "pair-metric",
            r#"{"id":"c","test":"rises","metric":"mean_tie","states":["A","B"]}"#,
            "claims[0].metric",
            "reads their tie",
        ),
        (
            "pair-unknown",
            r#"{"id":"c","test":"rises","metric":"tie","states":["A","Q"]}"#,
            "claims[0].states",
            "unknown state id \"Q\"",
        ),
        (
            "pair-twice",
            r#"{"id":"c","test":"rises","metric":"tie","states":["A","A"]}"#,
            "claims[0].states",
            "twice",
        ),
        (
            "pair-three",
            r#"{"id":"c","test":"rises","metric":"tie","states":["A","B","C"]}"#,
            "claims[0].states",
            "two state ids",
        ),
        (
            // Found by fuzzing (run 59): two elements, one of them not a string.
            "pair-number",
            r#"{"id":"c","test":"rises","metric":"tie","states":["A",3]}"#,
            "claims[0].states",
            "two state ids, [A, B], got [\"A\",3]",
        ),
        (
            "pair-string",
            r#"{"id":"c","test":"rises","metric":"tie","states":"A,B"}"#,
            "claims[0].states",
            "two state ids, [A, B], got \"A,B\"",
        ),
        (
            "pair-alliance",
            r#"{"id":"c","test":"rises","metric":"tie","states":["A","B"],"alliance":"X"}"#,
            "claims[0].alliance",
            "not with states",
        ),
        (
            "pair-lowest",
            r#"{"id":"c","test":"lowest","metric":"tie","states":["A","B"]}"#,
            "claims[0].test",
            "below, above, falls or rises",
        ),
    ] {
        let v: Value = serde_json::from_str(&format!("[{c}]")).unwrap();
        let file = variant(dir.path(), &format!("{name}.json"), &[("claims", v)]);
        let out = entente()
            .args(["robust", &file, "--draws", "2"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{file}: {place}: ")), "{name}: {err}");
        assert!(err.contains(words), "{name}: {err}");
        same_error_from_validate(&file, &err, name);
    }
}

/// `validate FILE` refuses the file with exit status 2 and exactly the message `robust` gave.
fn same_error_from_validate(file: &str, robust_err: &str, name: &str) {
    let out = entente().args(["validate", file]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "validate {name}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        robust_err,
        "validate {name}: the same message as robust"
    );
    assert!(out.stdout.is_empty(), "validate {name}: no summary line");
}

#[test]
fn output_is_the_same_across_runs_and_thread_counts() {
    let args = [
        "robust",
        &data_str(FIXTURE),
        "--ties",
        &data_str("robust/ties.csv"),
        "--draws",
        "60",
        "--seed",
        "9",
        "--vary",
        "ties:delta*0.5..1.5:per=event",
        "--vary",
        "kind=tie:half_life_days=100..1000:triangular:per=event",
    ];
    let a = ok("run 1", entente().args(args)).stdout;
    let b = ok("run 2", entente().args(args)).stdout;
    let c = ok(
        "one thread",
        entente().args(args).env("RAYON_NUM_THREADS", "1"),
    )
    .stdout;
    let d = ok(
        "three threads",
        entente().args(args).env("RAYON_NUM_THREADS", "3"),
    )
    .stdout;
    assert!(a == b && a == c && a == d);
    let other_seed = ok(
        "seed",
        entente()
            .args(&args[..6])
            .args(["--seed", "10"])
            .args(&args[8..]),
    )
    .stdout;
    assert_ne!(a, other_seed);
}

#[test]
fn sensitivity_sorts_by_swing_and_draws_a_tornado() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("tornado.png");
    let out = ok(
        "sensitivity",
        entente()
            .args(["sensitivity", &data_str(FIXTURE)])
            .args(ALIGNMENT_OF_A_IN_X)
            .args([
                "--date",
                "2022-01-01",
                "--format",
                "csv",
                "--chart",
                png.to_str().unwrap(),
            ]),
    );
    let rows = csv_rows(&stdout(&out));
    assert_eq!(rows.len(), 3, "the fixture's three rules");
    let swings: Vec<f64> = rows.iter().map(|r| r["swing"].parse().unwrap()).collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");
    for r in &rows {
        let (lo, hi): (f64, f64) = (r["low"].parse().unwrap(), r["high"].parse().unwrap());
        assert_eq!(r["swing"].parse::<f64>().unwrap(), (hi - lo).abs());
    }
    // The freeze factor 0 → 0.5 raises A's base ties from 0 to 0.4 to both partners.
    let freeze = rows
        .iter()
        .find(|r| r["rule"].starts_with("event=a-freeze"))
        .unwrap();
    let d: f64 = freeze["high"].parse::<f64>().unwrap() - freeze["low"].parse::<f64>().unwrap();
    assert!((d - 0.4).abs() < 1e-9, "{d}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (1600, 900));
    let bad = entente()
        .args([
            "sensitivity",
            &data_str(FIXTURE),
            "--metric",
            "alignment",
            "--date",
            "2022-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// A random small dataset: states, one alliance, tie events with tags, a suspension.
fn random_dataset(seed: u64, n_ties: usize) -> String {
    let mut rng = entente::base::Rng::new(seed, 0);
    let states = ["A", "B", "C", "D", "E"];
    let mut events = vec![];
    for s in &states[..4] {
        events.push(format!(
            r#"{{"date":"2020-01-01","kind":"join","state":"{s}","alliance":"X"}}"#
        ));
    }
    for i in 0..n_ties {
        let a = rng.below(5) as usize;
        let b = (a + 1 + rng.below(4) as usize) % 5;
        let delta = (rng.unit() * 2.0 - 1.0) * 0.9;
        let hl = if rng.unit() < 0.5 {
            format!(r#","half_life_days":{}"#, 30 + rng.below(900))
        } else {
            String::new()
        };
        let dur = if rng.unit() < 0.3 {
            format!(r#","duration_days":{}"#, 30 + rng.below(600))
        } else {
            String::new()
        };
        let tag = if i % 2 == 0 { "g" } else { "h" };
        // Every third tie takes its delta from a CAMEO code (and the dataset's goldstein_scale).
        let weight = if i % 3 == 0 {
            let code = ["042", "190", "0312", "057", "111"][rng.below(5) as usize];
            format!(r#""cameo":"{code}""#)
        } else {
            format!(r#""delta":{delta}"#)
        };
        events.push(format!(
            r#"{{"date":"2020-{:02}-{:02}","kind":"tie","a":"{}","b":"{}",{weight}{hl}{dur},"tags":["{tag}"]}}"#,
            1 + rng.below(12), 1 + rng.below(28), states[a], states[b]
        ));
    }
    events.push(r#"{"date":"2020-07-01","kind":"suspend","state":"A","alliance":"X","factor":0.3,"id":"fz"}"#.into());
    // E enters in May: its earlier ties take no effect (the timeline warns and drops them).
    events.push(r#"{"date":"2020-05-01","kind":"enter","state":"E"}"#.into());
    events.push(r#"{"date":"2020-09-01","kind":"retie","alliance":"X","tie":0.7}"#.into());
    format!(
        r#"{{"name":"random","goldstein_scale":0.3,"states":[{}],"alliances":[{{"id":"X","name":"X","kind":"defense","tie":0.8}}],"events":[{}]}}"#,
        states
            .iter()
            .map(|s| format!(r#"{{"id":"{s}","name":"{s}"}}"#))
            .collect::<Vec<_>>()
            .join(","),
        events.join(",")
    )
}

const RULES: [&str; 8] = [
    "tag=g:delta*0.2..1.8:per=event",
    "tag=h:delta=-1..1",
    "kind=tie:half_life_days=10..400:triangular",
    "kind=tie:duration_days*0.5..2:per=event",
    "event=fz:factor=0..1:triangular",
    "alliance=X:tie=0.1..1",
    "state=B:delta*0..1",
    "goldstein_scale=0.05..0.6:triangular",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The contract of `--emit-draws`: the metrics of an emitted draw, loaded back from its
    /// JSON, are exactly the values the draw gave.
    #[test]
    fn emitted_draws_reproduce_the_values(seed in 0u64..10_000, n_ties in 1usize..12, pick in 1u32..256, draw_seed in 0u64..100) {
        let text = random_dataset(seed, n_ties);
        let ds = entente::dataset::load_str(&text, "random.json").unwrap();
        let mut resolved = vec![];
        for (i, r) in RULES.iter().enumerate() {
            if pick & (1 << i) != 0 {
                let rule = rules::parse_compact(r).unwrap();
                if let Ok(x) = rules::resolve(&rule, &ds, &[], &[], "random.json") {
                    resolved.push(x);
                }
            }
        }
        let dates = entente::date::series_dates(
            entente::date::parse_date("2020-01-01").unwrap(),
            entente::date::parse_date("2021-12-01").unwrap(),
            entente::date::Step::parse("2m").unwrap(),
        );
        let engine = Engine {
            ds: &ds, file: "random.json", tie_files: &[], rows: &[], rules: resolved, dates: dates.clone(),
            alliances: None, selection: entente::metrics::Selection::of(&["mean_tie", "alignment", "balance"]).unwrap(),
            seed: draw_seed, pairs: vec![], pair_dates: vec![],
        };
        for k in 1..=3 {
            let direct = engine.flat(Variant::Draw(k));
            let files = engine.draw_files(k);
            prop_assert_eq!(files.len(), 1);
            let back = entente::dataset::load_bytes(&files[0].1, &files[0].0).unwrap();
            let tl = entente::model::Timeline::new(&back, "back");
            let again = flatten(&entente::metrics::series(&back, &tl, &dates, None));
            // `metrics` computes every metric; compare the cells robust computed.
            let mut j = 0;
            for (c, v) in direct.cells.iter().zip(&direct.values) {
                while !(again.cells[j].date == c.date && again.cells[j].at == c.at && again.cells[j].metric.key == c.metric.key && again.cells[j].metric.scope == c.metric.scope) {
                    j += 1;
                }
                prop_assert_eq!(v.map(f64::to_bits), again.values[j].map(f64::to_bits), "{:?}", c);
            }
        }
    }
}

/// The weight of the tie `a`–`b` on `date`, as `entente snapshot` prints it.
fn snapshot_tie(file: &str, date: &str, a: &str, b: &str) -> f64 {
    let out = ok(
        "snapshot",
        entente().args(["snapshot", file, "--date", date, "--format", "json"]),
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["ties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| (t["a"] == a && t["b"] == b) || (t["a"] == b && t["b"] == a))
        .map_or(0.0, |t| t["weight"].as_f64().unwrap())
}

#[test]
fn claims_on_a_pair_read_its_tie() {
    let dir = tempfile::tempdir().unwrap();
    let file = data_str(FIXTURE);
    // A–B on 2021-01-01: the pact's 0.8 and the row's −0.6 (0.2, up to rounding); A–D: 0 until
    // the trade tie of 2020-06-01 (+0.4), which no rule of the fixture varies.
    let w = snapshot_tie(&file, "2021-01-01", "A", "B");
    assert!((w - 0.2).abs() < 1e-9, "{w}");
    let pair = |id: &str, test: &str, states: [&str; 2], extra: &str| {
        format!(
            r#"{{"id":"{id}","test":"{test}","metric":"tie","states":["{}","{}"]{extra}}}"#,
            states[0], states[1]
        )
    };
    let claims = [
        pair(
            "ad-rises",
            "rises",
            ["A", "D"],
            r#","from":"2020-01-01","to":"2021-01-01""#,
        ),
        pair(
            "da-rises",
            "rises",
            ["D", "A"],
            r#","from":"2020-01-01","to":"2021-01-01""#,
        ),
        pair(
            "ad-falls",
            "falls",
            ["A", "D"],
            r#","from":"2020-01-01","to":"2021-01-01""#,
        ),
        // Just above and just below the snapshot's own value: the claim reads exactly that tie.
        pair(
            "ab-below-w+",
            "below",
            ["A", "B"],
            &format!(r#","value":{},"at":"2021-01-01""#, w + 1e-12),
        ),
        pair(
            "ab-below-w-",
            "below",
            ["A", "B"],
            &format!(r#","value":{},"at":"2021-01-01""#, w - 1e-12),
        ),
        pair(
            "ab-above-w-",
            "above",
            ["A", "B"],
            &format!(r#","value":{},"at":"2021-01-01""#, w - 1e-12),
        ),
        // The row against A–B fades (two-year half-life) from 2021: the tie rises again.
        pair(
            "ab-recovers",
            "rises",
            ["A", "B"],
            r#","from":"2021-01-01","to":"2021-05-01""#,
        ),
        // C–D never tie: 0 throughout, so "above 0" fails and "below 0.01" holds.
        pair("cd-above", "above", ["C", "D"], r#","value":0"#),
        pair("cd-below", "below", ["C", "D"], r#","value":0.01"#),
    ];
    let path = dir.path().join("claims.json");
    std::fs::write(&path, format!("[{}]", claims.join(","))).unwrap();
    // A zero-width rule set: every draw is the nominal run.
    let c = claims_of(&[
        "robust",
        &file,
        "--draws",
        "3",
        "--step",
        "1m",
        "--claims",
        path.to_str().unwrap(),
        "--metric",
        "density",
    ]);
    let get = |id: &str| c.iter().find(|x| x["id"] == id).unwrap().clone();
    for (id, holds) in [
        ("ad-rises", true),
        ("da-rises", true),
        ("ad-falls", false),
        ("ab-below-w+", true),
        ("ab-below-w-", false),
        ("ab-above-w-", true),
        ("ab-recovers", true),
        ("cd-above", false),
        ("cd-below", true),
    ] {
        assert_eq!(get(id)["holds_nominal"], holds, "{id}");
    }
    // No rule touches A–D or C–D: those verdicts are certain.
    assert_eq!(get("ad-rises")["probability"], 1.0);
    assert_eq!(get("cd-above")["probability"], 0.0);
    // The grievance scale (×0.5–1.5) moves A–B around 0.2: "below 0.2" holds in some draws only.
    let c = claims_of(&[
        "robust",
        &file,
        "--draws",
        "40",
        "--step",
        "1m",
        "--claims",
        path.to_str().unwrap(),
    ]);
    let p = c.iter().find(|x| x["id"] == "ab-below-w+").unwrap()["probability"]
        .as_f64()
        .unwrap();
    assert!(p > 0.0 && p < 1.0, "{p}");
}

#[test]
fn claims_on_opt_in_metrics_get_them_computed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.json");
    // frustration is opt-in: a series leaves it out unless asked for. It is never below 0.
    std::fs::write(
        &path,
        r#"[{"id":"f","test":"above","metric":"frustration","value":-1}]"#,
    )
    .unwrap();
    for metric in [None, Some("mean_tie")] {
        let mut args = vec![
            "robust".to_string(),
            data_str(FIXTURE),
            "--draws".into(),
            "4".into(),
            "--claims".into(),
            path.display().to_string(),
        ];
        if let Some(m) = metric {
            args.extend(["--metric".into(), m.into()]);
        }
        let out = ok("robust", entente().args(&args));
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["claims"][0]["holds_nominal"], true, "{metric:?}");
        assert_eq!(v["claims"][0]["probability"], 1.0, "{metric:?}");
        // Computed for the claim, but not shown unless asked for.
        let shown = v["series"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["metric"] == "frustration");
        assert!(!shown, "{metric:?}");
    }
}

/// A small dataset coded with CAMEO codes: A–B `190` (delta derived), A–C `042` with an explicit
/// delta (kept), B–C a plain delta.
const CAMEO_FIXTURE: &str = r#"{"name":"cameo","goldstein_scale":0.25,
  "states":[{"id":"A","name":"A"},{"id":"B","name":"B"},{"id":"C","name":"C"}],
  "events":[
    {"date":"2020-01-01","kind":"tie","a":"A","b":"B","cameo":"190","id":"war"},
    {"date":"2020-02-01","kind":"tie","a":"A","b":"C","cameo":"042","delta":0.3,"id":"visit"},
    {"date":"2020-03-01","kind":"tie","a":"B","b":"C","delta":-0.2,"id":"plain"}]}"#;

fn tie_deltas(ds: &entente::dataset::Dataset) -> Vec<(f64, bool)> {
    ds.events
        .iter()
        .filter_map(|e| match &e.kind {
            entente::dataset::EventKind::TieDelta(t) => Some((t.delta, t.delta_from_cameo)),
            _ => None,
        })
        .collect()
}

#[test]
fn goldstein_scale_rescales_every_cameo_derived_delta() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cameo.json");
    std::fs::write(&file, CAMEO_FIXTURE).unwrap();
    let file = file.display().to_string();
    let nominal = tie_deltas(&entente::dataset::load_str(CAMEO_FIXTURE, "cameo.json").unwrap());
    assert_eq!(nominal[0], (-0.25, true));
    // ×2: the derived delta doubles exactly, the others stay; the emitted draw states the scale
    // and leaves the derived delta to its code, as the file did.
    for (k, rules) in [
        ("scale", vec!["goldstein_scale*2..2"]),
        ("range", vec!["goldstein_scale=0.5..0.5"]),
    ] {
        let out = dir.path().join(k);
        let mut args = vec![
            "robust",
            &file,
            "--draws",
            "1",
            "--emit-draws",
            out.to_str().unwrap(),
        ];
        for r in &rules {
            args.extend(["--vary", r]);
        }
        ok(k, entente().args(&args));
        let text = std::fs::read_to_string(out.join("draw-0001.json")).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["goldstein_scale"], 0.5, "{k}");
        assert!(
            v["events"][0].get("delta").is_none(),
            "{k}: still derived from its code"
        );
        let drawn = tie_deltas(&entente::dataset::load_str(&text, "draw").unwrap());
        assert_eq!(drawn[0], (2.0 * nominal[0].0, true), "{k}");
        assert_eq!(&drawn[1..], &nominal[1..], "{k}");
    }
    // A goldstein_scale rule applies before the others, wherever it is listed: the delta rule
    // then scales the re-derived delta.
    let out = dir.path().join("order");
    ok(
        "order",
        entente().args([
            "robust",
            &file,
            "--draws",
            "1",
            "--emit-draws",
            out.to_str().unwrap(),
            "--vary",
            "kind=tie:delta*0.5..0.5",
            "--vary",
            "goldstein_scale=0.5..0.5",
        ]),
    );
    let text = std::fs::read_to_string(out.join("draw-0001.json")).unwrap();
    let drawn = tie_deltas(&entente::dataset::load_str(&text, "draw").unwrap());
    assert_eq!(
        drawn.iter().map(|d| d.0).collect::<Vec<_>>(),
        [-0.25, 0.15, -0.1]
    );
}

#[test]
fn the_csto_goldstein_rule_reaches_every_cameo_derived_delta() {
    let ds = entente::dataset::load_str(entente::DEFAULT_DATASET, "csto").unwrap();
    let rule = rules::parse_compact("goldstein_scale*2..2").unwrap();
    let resolved = rules::resolve(&rule, &ds, &[], &[], "csto").unwrap();
    let engine = Engine {
        ds: &ds,
        file: "csto",
        tie_files: &[],
        rows: &[],
        rules: vec![resolved],
        dates: vec![],
        alliances: None,
        selection: entente::metrics::Selection::of(&["mean_tie"]).unwrap(),
        seed: 1,
        pairs: vec![],
        pair_dates: vec![],
    };
    let (drawn, _) = engine.variant(Variant::Draw(1));
    let (before, after) = (tie_deltas(&ds), tie_deltas(&drawn));
    let derived = before.iter().filter(|d| d.1).count();
    assert!(derived >= 100, "{derived}");
    for (b, a) in before.iter().zip(&after) {
        let want = if b.1 { 2.0 * b.0 } else { b.0 };
        assert_eq!(a.0, want);
    }
    // The dataset's own rules vary goldstein_scale (not a tag's deltas).
    let root: Value = serde_json::from_str(entente::DEFAULT_DATASET).unwrap();
    let rules = root["uncertainty"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["param"] == "goldstein_scale"));
    assert!(!rules.iter().any(|r| r["select"] == "tag=cameo"));
}

#[test]
fn dataset_claims_outside_the_series_are_left_out_with_a_warning() {
    // x-falls reads 2020-01-01 to 2022-01-01: a series from 2021-06-01 does not cover it.
    let out = ok(
        "short series",
        entente().args([
            "robust",
            &data_str(FIXTURE),
            "--draws",
            "3",
            "--from",
            "2021-06-01",
            "--to",
            "2022-06-01",
        ]),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("claims[1]: claim \"x-falls\" is not tested: the series (2021-06-01 to 2022-06-01) does not cover its window (2020-01-01 to 2022-01-01)"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let ids: Vec<&str> = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a-lowest", "a-below-zero"]);
    // Over the whole span every claim is tested, without a warning.
    let out = ok(
        "whole span",
        entente().args(["robust", &data_str(FIXTURE), "--draws", "3"]),
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not tested"));
}

/// Random tie-CSV rows among the five states of [`random_dataset`], in no particular order.
fn random_rows(seed: u64, n: usize) -> Vec<entente::model::TieEvent> {
    let mut rng = entente::base::Rng::new(seed, 1);
    (0..n)
        .map(|_| {
            let a = rng.below(5) as u32;
            let b = (a + 1 + rng.below(4) as u32) % 5;
            let date = entente::date::parse_date(&format!(
                "2020-{:02}-{:02}",
                1 + rng.below(12),
                1 + rng.below(28)
            ))
            .unwrap();
            let hl = (rng.unit() < 0.5).then(|| 30.0 + rng.below(500) as f64);
            entente::model::TieEvent::new(
                entente::date::to_day(date),
                a,
                b,
                rng.unit() - 0.5,
                hl,
                None,
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The fast path of the draws: the nominal timeline given a draw's values through its trace
    /// is the timeline built from scratch from the draw's dataset and rows.
    #[test]
    fn traced_timelines_equal_rebuilt_ones(seed in 0u64..10_000, n_ties in 1usize..12, n_rows in 0usize..20, pick in 1u32..1024, draw_seed in 0u64..100) {
        let text = random_dataset(seed, n_ties);
        let ds = entente::dataset::load_str(&text, "random.json").unwrap();
        let rows = vec![random_rows(seed, n_rows)];
        let names = vec!["ties.csv".to_string()];
        let mut all_rules: Vec<&str> = RULES.to_vec();
        all_rules.extend(["ties:delta*0.5..1.5:per=event", "ties,state=C:half_life_days=10..100"]);
        let mut resolved = vec![];
        for (i, r) in all_rules.iter().enumerate() {
            if pick & (1 << i) != 0 {
                let rule = rules::parse_compact(r).unwrap();
                if let Ok(x) = rules::resolve(&rule, &ds, &names, &rows, "random.json") {
                    resolved.push(x);
                }
            }
        }
        let engine = Engine {
            ds: &ds, file: "random.json", tie_files: &names, rows: &rows, rules: resolved, dates: vec![],
            alliances: None, selection: entente::metrics::Selection::of(&["mean_tie"]).unwrap(),
            seed: draw_seed, pairs: vec![], pair_dates: vec![],
        };
        let (base, trace) = entente::model::Timeline::with_ties_traced(&ds, "random.json", rows.concat(), "ties.csv");
        let trace = trace.expect("the trace accounts for the timeline");
        for v in [Variant::Nominal, Variant::Draw(1), Variant::Draw(2), Variant::End { rule: 0, high: true }] {
            let fast = engine.variant_timeline(v, &base, &trace);
            let (ds2, rows2) = engine.variant(v);
            let slow = entente::model::Timeline::with_ties(&ds2, "random.json", rows2.concat(), "ties.csv");
            prop_assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{:?}", v);
        }
    }
}
