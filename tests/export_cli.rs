//! `entente export gexf|graphml|csv`, run as a user runs them: golden files, XML parsed back
//! (and checked against the GEXF 1.3 schema with xmllint where it is installed), escaping of
//! hostile names, and the round trip snapshot → CSV edge list → `import events` → snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;
use std::path::Path;

fn root(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .display()
        .to_string()
}

fn ok(args: &[&str]) -> String {
    let out = entente().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const SMALL: &str = "tests/data/five-states.json";

/// Output of `xmllint --schema` with the vendored GEXF 1.3 schema (tests/data/gexf-1.3/), or
/// `None` when xmllint is not installed (Debian package libxml2-utils).
fn xmllint_schema(file: &Path) -> Option<String> {
    let xsd = common::data("gexf-1.3/gexf.xsd");
    assert!(xsd.exists(), "{} is vendored with the tests", xsd.display());
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(file)
        .output()
        .ok()?;
    Some(format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

#[test]
fn gexf_matches_golden_and_parses() {
    let text = ok(&["export", "gexf", &root(SMALL)]);
    common::golden("export/five-states.gexf", &text);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let graph = doc.descendants().find(|n| n.has_tag_name("graph")).unwrap();
    assert_eq!(graph.attribute("mode"), Some("dynamic"));
    assert_eq!(graph.attribute("timeformat"), Some("date"));
    let node = |id: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("node") && n.attribute("id") == Some(id))
            .unwrap()
    };
    // EEE enters 2001-06-01 and exits 2007-01-01: present through 2006-12-31.
    let spells: Vec<(Option<&str>, Option<&str>)> = node("EEE")
        .descendants()
        .filter(|n| n.has_tag_name("spell"))
        .map(|n| (n.attribute("start"), n.attribute("end")))
        .collect();
    assert_eq!(spells, [(Some("2001-06-01"), Some("2006-12-31"))]);
    assert_eq!(
        node("AAA")
            .descendants()
            .filter(|n| n.has_tag_name("spell"))
            .count(),
        0
    );
    // BBB–EEE: a 0.3 tie with a 90-day window from 2003-05-01, last day 2003-07-29.
    let edge = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("edge")
                && n.attribute("source") == Some("BBB")
                && n.attribute("target") == Some("EEE")
        })
        .unwrap();
    let values: Vec<(&str, &str, Option<&str>)> = edge
        .descendants()
        .filter(|n| n.has_tag_name("attvalue"))
        .map(|n| {
            (
                n.attribute("value").unwrap(),
                n.attribute("start").unwrap(),
                n.attribute("end"),
            )
        })
        .collect();
    assert_eq!(values, [("0.3", "2003-05-01", Some("2003-07-29"))]);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("small.gexf");
    ok(&["export", "gexf", &root(SMALL), "-o", f.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        text,
        "-o writes the same bytes"
    );
    match xmllint_schema(&f) {
        Some(out) => assert!(out.contains("validates"), "{out}"),
        None => common::skip(
            "gexf_schema",
            "xmllint is not installed (libxml2-utils): GEXF 1.3 schema check not run",
        ),
    }
}

#[test]
fn step_changes_sampling_of_decaying_weights() {
    let monthly = ok(&["export", "gexf", &root(SMALL)]);
    let yearly = ok(&["export", "gexf", &root(SMALL), "--step", "1y"]);
    let n = |t: &str| t.matches("<attvalue ").count();
    assert!(
        n(&yearly) < n(&monthly),
        "{} vs {}",
        n(&yearly),
        n(&monthly)
    );
    let out = entente()
        .args(["export", "gexf", &root(SMALL), "--step", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--step"));
}

#[test]
fn hostile_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("evil.json");
    std::fs::write(
        &ds,
        r#"{"name":"A & B <\"x\">","states":[{"id":"X&Y","name":"<Ex> \"one\" 'quoted'\u0001"},{"id":"Z","name":"Zed\ttab"}],
            "alliances":[{"id":"P<1>","name":"P","tie":0.5}],
            "events":[{"date":"2000-01-01","kind":"join","state":"X&Y","alliance":"P<1>"},
                      {"date":"2000-01-01","kind":"join","state":"Z","alliance":"P<1>"}]}"#,
    )
    .unwrap();
    let ds = ds.to_str().unwrap();
    let gexf = ok(&["export", "gexf", ds]);
    let doc = roxmltree::Document::parse(&gexf).unwrap();
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .map(|n| n.attribute("label").unwrap())
        .collect();
    assert_eq!(labels, ["<Ex> \"one\" 'quoted'\u{fffd}", "Zed\ttab"]);
    let f = dir.path().join("evil.gexf");
    std::fs::write(&f, &gexf).unwrap();
    if let Some(out) = xmllint_schema(&f) {
        assert!(out.contains("validates"), "{out}");
    }
    let graphml = ok(&["export", "graphml", ds, "--date", "2000-01-01"]);
    let doc = roxmltree::Document::parse(&graphml).unwrap();
    let alliances: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("data") && n.attribute("key") == Some("alliances"))
        .map(|n| n.text().unwrap_or(""))
        .collect();
    assert_eq!(alliances, ["P<1>", "P<1>"]);
    let csv = ok(&["export", "csv", ds, "--date", "2000-01-01"]);
    assert_eq!(csv, "source,target,weight\nX&Y,Z,0.5\n");
}

#[test]
fn graphml_and_csv_snapshots_match_golden() {
    let g = ok(&["export", "graphml", &root(SMALL), "--date", "2004-08-01"]);
    common::golden("export/five-states-2004-08-01.graphml", &g);
    let doc = roxmltree::Document::parse(&g).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("node")).count(),
        5
    );
    let c = ok(&["export", "csv", &root(SMALL), "--date", "2004-08-01"]);
    common::golden("export/five-states-2004-08-01.csv", &c);
    let out = entente()
        .args(["export", "csv", &root(SMALL), "--date", "2004-13-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn failed_export_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.gexf");
    std::fs::write(&out, "precious").unwrap();
    let r = entente()
        .args([
            "export",
            "gexf",
            &root("tests/data/invalid/syntax.json"),
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Snapshot → `export csv` → `import events --format csv` (scores = weight × 10, one-day
/// period and window) into the same states → snapshot: the same ties, to rounding.
#[test]
fn csv_export_round_trips_through_import_events() {
    let date = "2004-08-01";
    let edges = ok(&["export", "csv", &root(SMALL), "--date", date]);
    let mut events = String::from("date,source,target,score\n");
    for line in edges.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let w: f64 = f[2].parse().unwrap();
        events.push_str(&format!("{date},{},{},{}\n", f[0], f[1], w * 10.0));
    }
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("events.csv");
    std::fs::write(&ev, events).unwrap();
    // The same states, without alliances or events.
    let states = dir.path().join("states.json");
    std::fs::write(
        &states,
        r#"{"name":"s","states":[{"id":"AAA","name":"A"},{"id":"BBB","name":"B"},{"id":"CCC","name":"C"},{"id":"DDD","name":"D"},{"id":"EEE","name":"E"}]}"#,
    )
    .unwrap();
    let ties = dir.path().join("ties.csv");
    ok(&[
        "import",
        "events",
        "--format",
        "csv",
        ev.to_str().unwrap(),
        "--dataset",
        states.to_str().unwrap(),
        "--period",
        "1d",
        "-o",
        ties.to_str().unwrap(),
    ]);
    let again = ok(&[
        "export",
        "csv",
        states.to_str().unwrap(),
        "--ties",
        ties.to_str().unwrap(),
        "--date",
        date,
    ]);
    let parse = |t: &str| -> Vec<(String, String, f64)> {
        t.lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), f[1].to_string(), f[2].parse().unwrap())
            })
            .collect()
    };
    let (a, b) = (parse(&edges), parse(&again));
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len(), "{edges}\n{again}");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.0, &x.1), (&y.0, &y.1));
        assert!((x.2 - y.2).abs() < 1e-12, "{x:?} vs {y:?}");
    }
}

/// The metrics of `entente snapshot` at a date (JSON).
fn snapshot_json(ds: &str, date: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&["snapshot", ds, "--date", date])).unwrap()
}

/// GraphML node attributes: memberships and suspension from the snapshot, the bloc as the
/// position of the state's bloc in the snapshot's `blocs`, alignment per alliance equal to the
/// snapshot's `alignment`; a state in no alliance gets no alignment.
#[test]
fn graphml_node_attributes_equal_the_snapshot_metrics() {
    let small = root(SMALL);
    let date = "2004-08-01";
    let g = ok(&["export", "graphml", &small, "--date", date, "--signed"]);
    let doc = roxmltree::Document::parse(&g).unwrap();
    let snap = snapshot_json(&small, date);
    // Key id → attribute name.
    let keys: std::collections::BTreeMap<&str, &str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("key") && n.attribute("for") == Some("node"))
        .map(|n| {
            (
                n.attribute("id").unwrap(),
                n.attribute("attr.name").unwrap(),
            )
        })
        .collect();
    assert_eq!(keys["alignment_0"], "alignment:PACT");
    assert!(keys.contains_key("signed_bloc"));
    let mut checked = 0;
    for node in doc.descendants().filter(|n| n.has_tag_name("node")) {
        let id = node.attribute("id").unwrap();
        let data: std::collections::BTreeMap<&str, &str> = node
            .children()
            .filter(|c| c.has_tag_name("data"))
            .map(|c| (keys[c.attribute("key").unwrap()], c.text().unwrap_or("")))
            .collect();
        // Bloc: the position of the group holding the state.
        for (key, name) in [("blocs", "bloc"), ("signed_blocs", "signed_bloc")] {
            let groups = snap["metrics"]["graph"][key].as_array().unwrap();
            let pos = groups
                .iter()
                .position(|g| g.as_array().unwrap().iter().any(|s| s == id))
                .unwrap();
            assert_eq!(data[name], pos.to_string(), "{id} {name}");
        }
        for (aid, members) in snap["memberships"].as_object().unwrap() {
            let member = ["active", "suspended"]
                .iter()
                .any(|k| members[*k].as_array().unwrap().iter().any(|s| s == id));
            let title = format!("alignment:{aid}");
            let want = snap["metrics"]["alliances"][aid]["alignment"][id].as_f64();
            match data.get(title.as_str()) {
                Some(v) => assert_eq!(v.parse::<f64>().ok(), want, "{id} {title}"),
                None => assert!(!member || want.is_none(), "{id} lacks {title}"),
            }
            assert_eq!(
                data["alliances"].split(';').any(|a| a == aid),
                member,
                "{id} alliances"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10);
    // CCC is suspended in PACT from 2004-01-01 to 2005-01-01.
    assert!(g.contains(r#"<node id="CCC">"#));
    let ccc = g
        .lines()
        .find(|l| l.contains(r#"<node id="CCC">"#))
        .unwrap();
    assert!(
        ccc.contains(r#"<data key="suspended">PACT</data>"#),
        "{ccc}"
    );
    // --no-metrics keeps only the memberships.
    let plain = ok(&["export", "graphml", &small, "--date", date, "--no-metrics"]);
    assert!(!plain.contains("key=\"bloc\"") && plain.contains("key=\"suspended\""));
}

/// GEXF node attributes: dynamic, over the sample days, valid GEXF 1.3; CCC's suspension is
/// the interval of the suspend and resume events, its alignment on a day equals `metrics`.
#[test]
fn gexf_node_attributes_follow_the_timeline() {
    let small = root(SMALL);
    let gexf = ok(&["export", "gexf", &small]);
    let doc = roxmltree::Document::parse(&gexf).unwrap();
    let node = |id: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("node") && n.attribute("id") == Some(id))
            .unwrap()
    };
    let values = |id: &str, attr: &str| -> Vec<(String, String, Option<String>)> {
        node(id)
            .descendants()
            .filter(|n| n.has_tag_name("attvalue") && n.attribute("for") == Some(attr))
            .map(|n| {
                (
                    n.attribute("value").unwrap().to_string(),
                    n.attribute("start").unwrap().to_string(),
                    n.attribute("end").map(str::to_string),
                )
            })
            .collect()
    };
    assert_eq!(
        values("CCC", "suspended"),
        [(
            "PACT".into(),
            "2004-01-01".into(),
            Some("2004-12-31".into())
        )]
    );
    // BBB leaves PACT on 2006-01-01.
    let bbb = values("BBB", "alliances");
    assert_eq!(
        bbb.last().unwrap().2.as_deref(),
        Some("2005-12-31"),
        "{bbb:?}"
    );
    // Every state present at some sample day has a bloc.
    for id in ["AAA", "BBB", "CCC", "DDD", "EEE"] {
        assert!(!values(id, "bloc").is_empty(), "{id}");
    }
    // Alignment in PACT (attribute alignment_0) on 2004-08-01 equals `metrics`.
    let m: serde_json::Value = serde_json::from_str(&ok(&[
        "metrics",
        &small,
        "--from",
        "2004-08-01",
        "--to",
        "2004-08-01",
    ]))
    .unwrap();
    let want = m["series"][0]["alliances"]["PACT"]["alignment"]["AAA"]
        .as_f64()
        .unwrap();
    let on = |v: &(String, String, Option<String>), d: &str| {
        v.1.as_str() <= d && v.2.as_deref().is_none_or(|e| d <= e)
    };
    let got: Vec<f64> = values("AAA", "alignment_0")
        .iter()
        .filter(|v| on(v, "2004-08-01"))
        .map(|v| v.0.parse().unwrap())
        .collect();
    assert_eq!(got.len(), 1);
    assert!((got[0] - want).abs() < 1e-12, "{got:?} vs {want}");

    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("signed.gexf");
    ok(&[
        "export",
        "gexf",
        &small,
        "--signed",
        "-o",
        f.to_str().unwrap(),
    ]);
    let signed = std::fs::read_to_string(&f).unwrap();
    assert!(signed.contains(r#"<attribute id="signed_bloc""#));
    match xmllint_schema(&f) {
        Some(out) => assert!(out.contains("validates"), "{out}"),
        None => common::skip(
            "gexf_node_attributes_schema",
            "xmllint is not installed (libxml2-utils): GEXF 1.3 schema check not run",
        ),
    }
}

/// `export csv --nodes FILE`: one row per present state, isolated ones included, read back with
/// a standard CSV reader; ids with commas and quotes survive; the edge list is unchanged.
#[test]
fn nodes_csv_lists_every_present_state() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("nodes.json");
    std::fs::write(
        &ds,
        r#"{"name": "n", "states": [{"id": "A,\"1\"", "name": "Comma, \"Quoted\""},
            {"id": "B", "name": "Bee"}, {"id": "LONE", "name": "Alone"}],
          "alliances": [{"id": "P/Q", "name": "P", "kind": "defense", "tie": 0.5}],
          "events": [
            {"date": "2000-01-01", "kind": "join", "state": "A,\"1\"", "alliance": "P/Q"},
            {"date": "2000-01-01", "kind": "join", "state": "B", "alliance": "P/Q"},
            {"date": "2001-01-01", "kind": "suspend", "state": "B", "alliance": "P/Q", "factor": 0.5}]}"#,
    )
    .unwrap();
    let nodes = dir.path().join("nodes.csv");
    let edges = ok(&[
        "export",
        "csv",
        ds.to_str().unwrap(),
        "--date",
        "2001-06-01",
        "--nodes",
        nodes.to_str().unwrap(),
    ]);
    let mut r = csv::Reader::from_reader(edges.as_bytes());
    let e: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(e, [["A,\"1\"", "B", "0.25"]]);
    let mut r = csv::Reader::from_path(&nodes).unwrap();
    assert_eq!(
        r.headers().unwrap(),
        vec![
            "id",
            "label",
            "alliances",
            "suspended",
            "bloc",
            "alignment:P/Q"
        ]
    );
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0][..4], ["A,\"1\"", "Comma, \"Quoted\"", "P/Q", ""]);
    assert_eq!(rows[1][..4], ["B", "Bee", "P/Q", "P/Q"]);
    // The isolated state: no alliance, its own bloc, no alignment.
    assert_eq!(rows[2][0], "LONE");
    assert_eq!(rows[2][2..4], ["", ""]);
    assert_eq!(rows[2][5], "");
    assert_eq!(rows[0][5], "0.25");
    // Blocs: A and B together, LONE apart.
    assert_eq!(rows[0][4], rows[1][4]);
    assert_ne!(rows[0][4], rows[2][4]);
}
