//! The optional event fields of `docs/dataset.md`: event `id` and `tags`, and on `tie` events
//! `cameo` (with the dataset's `goldstein_scale`) and `layer`. Each is checked valid and invalid
//! (exit 2, a message naming the file, the JSON path and the value), the CAMEO-derived delta
//! against a hand computation (in the library and in the binary's snapshot), and the round trip
//! through the writer. Fixtures are in `tests/data/fields/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use entente::dataset::write::to_json_string;
use entente::dataset::{load_str, Dataset, EventKind, TieDelta};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fields")
        .join(name)
}

fn load(name: &str) -> Dataset {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    load_str(&text, name).unwrap()
}

fn ties(ds: &Dataset) -> Vec<TieDelta> {
    ds.events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TieDelta(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// Runs `entente validate` on a fixture: its exit status and stderr.
fn validate(name: &str) -> (i32, String) {
    let out = common::entente()
        .current_dir(fixture(""))
        .args(["validate", name])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn valid_fields_load_and_are_kept_on_the_events() {
    let ds = load("valid.json");
    assert_eq!(ds.goldstein_scale, Some(0.5));
    let e = &ds.events[0];
    assert_eq!(e.id.as_deref(), Some("a-joins"));
    assert_eq!(e.tags, ["treaty"]);
    assert_eq!(ds.events[1].id, None);
    assert!(ds.events[1].tags.is_empty());
    let fight = &ds.events[2];
    assert_eq!(fight.id.as_deref(), Some("a-b-fight"));
    assert_eq!(fight.tags, ["war", "grievance"]);
    let t = ties(&ds);
    assert_eq!(t[0].cameo.map(|c| c.as_str()), Some("190"));
    assert_eq!(ds.layer_id(&t[0]), "military");
    // "layer": "events" is the default layer, the same as no layer.
    assert_eq!(t[1].layer, None);
    assert_eq!(ds.layer_id(&t[1]), "events");
    assert_eq!(ds.layer_id(&t[2]), "rhetoric");
    assert_eq!(ds.layers, ["military", "rhetoric"]);
    let (code, err) = validate("valid.json");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn cameo_delta_is_goldstein_over_ten_times_the_scale() {
    let t = ties(&load("valid.json"));
    // 190 "use conventional military force": Goldstein −10 → −10 / 10 × 0.5.
    assert_eq!(t[0].delta, -0.5);
    assert!(t[0].delta_from_cameo);
    // An explicit delta wins over the code's: 0.3, not 1.9 / 10 × 0.5.
    assert_eq!(t[1].delta, 0.3);
    assert!(!t[1].delta_from_cameo);
    // 1123 "accuse of aggression": Goldstein −2 → −2 / 10 × 0.5 = −0.1.
    assert_eq!(t[2].delta, -2.0 / 10.0 * 0.5);
    // Without goldstein_scale the scale is 1: 190 gives −1.0.
    let d = load("scale_default.json");
    assert_eq!(d.goldstein_scale, None);
    assert_eq!(ties(&d)[0].delta, -1.0);
}

/// The derived delta is the weight the model uses: the snapshot shows it.
#[test]
fn snapshot_uses_the_derived_delta() {
    let out = common::entente()
        .args(["snapshot", "--date", "2020-01-02"])
        .arg(fixture("scale_default.json"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tie = &v["ties"][0];
    assert_eq!(
        (tie["a"].as_str(), tie["b"].as_str()),
        (Some("A"), Some("B"))
    );
    assert_eq!(tie["weight"].as_f64(), Some(-1.0));

    let out = common::entente()
        .args(["snapshot", "--date", "2020-07-01"])
        .arg(fixture("valid.json"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let weight = |a: &str, b: &str| {
        v["ties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["a"] == a && t["b"] == b)
            .and_then(|t| t["weight"].as_f64())
    };
    assert_eq!(weight("A", "B"), Some(-0.5));
    assert_eq!(weight("A", "C"), Some(0.5 + 0.3)); // alliance tie + explicit delta
}

#[test]
fn round_trip_through_the_writer() {
    let ds = load("valid.json");
    let text = to_json_string(&ds);
    let back = load_str(&text, "written.json").unwrap();
    assert_eq!(back, ds);
    assert_eq!(to_json_string(&back), text, "writing is stable");
    // A derived delta is written back as its code, not as a number; an explicit one stays.
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let fight = &v["events"][2];
    assert_eq!(fight["cameo"], "190");
    assert!(fight.get("delta").is_none(), "{fight}");
    assert_eq!(fight["id"], "a-b-fight");
    assert_eq!(fight["tags"], serde_json::json!(["war", "grievance"]));
    assert_eq!(fight["layer"], "military");
    assert_eq!(v["events"][3]["delta"], 0.3);
    assert!(v["events"][3].get("layer").is_none(), "default layer");
    assert_eq!(v["goldstein_scale"], 0.5);
}

#[test]
fn datasets_without_the_new_fields_write_as_before() {
    let text = r#"{"name":"x","states":[{"id":"A","name":"A"},{"id":"B","name":"B"}],
        "events":[{"date":"2020-01-01","kind":"tie","a":"A","b":"B","delta":0.25}]}"#;
    let written = to_json_string(&load_str(text, "x").unwrap());
    assert!(!written.contains("goldstein_scale"), "{written}");
    assert!(
        written.contains(
            "{\n      \"date\": \"2020-01-01\",\n      \"kind\": \"tie\",\n      \"a\": \"A\",\n      \"b\": \"B\",\n      \"delta\": 0.25\n    }"
        ),
        "{written}"
    );
}

/// Each invalid fixture: exit 2, and the messages it must print (file, JSON path, value).
#[test]
fn invalid_fields_are_refused_with_path_and_value() {
    let cases: &[(&str, &[&str])] = &[
        (
            "id_duplicate.json",
            &["id_duplicate.json: events[2].id: duplicate event id \"e1\" (first at events[0].id)"],
        ),
        (
            "id_number.json",
            &["id_number.json: events[0].id: expected a string, found a number 7"],
        ),
        ("id_empty.json", &["id_empty.json: events[0].id: empty event id \"\""]),
        (
            "id_space.json",
            &["id_space.json: events[0].id: event id \"arm freeze\" has a character that is not visible (U+0020)"],
        ),
        (
            "tags_not_array.json",
            &["tags_not_array.json: events[0].tags: expected an array of strings, found a string \"war\""],
        ),
        (
            "tags_number.json",
            &["tags_number.json: events[0].tags[1]: expected a string, found a number 3"],
        ),
        (
            "tags_duplicate.json",
            &["tags_duplicate.json: events[0].tags[2]: duplicate tag \"arms\" (first at events[0].tags[0])"],
        ),
        (
            "tags_long.json",
            &["tags_long.json: events[0].tags[0]: tag \"xxxx", "has 65 characters, more than the 64 allowed"],
        ),
        ("tags_empty.json", &["tags_empty.json: events[0].tags[0]: empty tag \"\""]),
        (
            "tags_control.json",
            &["tags_control.json: events[0].tags[0]: tag \"war\\u{7}\" has a character that is not visible (U+0007)"],
        ),
        (
            "cameo_unknown.json",
            &["cameo_unknown.json: events[0].cameo: unknown CAMEO event code \"999\""],
        ),
        (
            "cameo_number.json",
            &["cameo_number.json: events[0].cameo: expected a string, found a number 190"],
        ),
        (
            "cameo_no_leading_zero.json",
            &["cameo_no_leading_zero.json: events[0].cameo: unknown CAMEO event code \"42\""],
        ),
        (
            "cameo_on_join.json",
            &["cameo_on_join.json: events[0].cameo: unknown field \"cameo\""],
        ),
        (
            "no_delta_no_cameo.json",
            &["no_delta_no_cameo.json: events[0]: missing field \"delta\""],
        ),
        (
            "scale_zero.json",
            &["scale_zero.json: goldstein_scale: 0 is out of range (0, 2]"],
        ),
        (
            "scale_negative.json",
            &["scale_negative.json: goldstein_scale: -1 is out of range (0, 2]"],
        ),
        (
            "scale_too_big.json",
            &["scale_too_big.json: goldstein_scale: 2.5 is out of range (0, 2]"],
        ),
        (
            "scale_string.json",
            &["scale_string.json: goldstein_scale: expected a number, found a string \"1\""],
        ),
        ("layer_empty.json", &["layer_empty.json: events[0].layer: empty layer id \"\""]),
        (
            "layer_space.json",
            &["layer_space.json: events[0].layer: layer id \"un votes\" has a character that is not visible (U+0020)"],
        ),
        (
            "layer_number.json",
            &["layer_number.json: events[0].layer: expected a string, found a number 1"],
        ),
        (
            "layer_on_suspend.json",
            &["layer_on_suspend.json: events[0].layer: unknown field \"layer\""],
        ),
    ];
    let mut failures = Vec::new();
    for (file, want) in cases {
        let (code, err) = validate(file);
        if code != 2 || !want.iter().all(|w| err.contains(w)) || err.contains("panicked") {
            failures.push(format!("{file}: exit {code}\n{err}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every fixture but the two valid ones is a case above.
    let n = std::fs::read_dir(fixture("")).unwrap().count();
    assert_eq!(n, cases.len() + 2);
}
