//! Fuzz target: every XML writer (GEXF, GraphML, SVG charts) over hostile dataset text. The input
//! gives the dataset's name, up to four state ids and names and an alliance name (any Unicode:
//! NUL, ESC, U+FFFE, `<`, `&`, quotes); each writer's output must parse as XML (roxmltree), and the
//! GraphML node ids and labels must read back as the text sanitiser's version of the originals
//! (docs/testing.md, "Fuzzing").
#![no_main]

use entente::base::text::xml_text;
use entente::dataset::load_str;
use entente::date::{parse_date, Step};
use entente::export::{gexf, graphml};
use entente::model::Timeline;
use entente::plot::{self, network::NetworkChart, Size};
use libfuzzer_sys::fuzz_target;

fn parse<'t>(what: &str, text: &'t str) -> roxmltree::Document<'t> {
    roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{what} is not well-formed XML: {e}\n{text}"))
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data
        .split(|&b| b == 0xFF)
        .map(|s| String::from_utf8_lossy(s).into_owned());
    let name = parts.next().unwrap_or_default();
    let alliance = parts.next().unwrap_or_default();
    let rest: Vec<String> = parts.take(8).collect();
    let states: Vec<serde_json::Value> = rest
        .chunks(2)
        .map(|c| serde_json::json!({"id": c[0], "name": c.get(1).cloned().unwrap_or_default()}))
        .collect();
    if states.len() < 2 {
        return;
    }
    let ids: Vec<&str> = rest.chunks(2).map(|c| c[0].as_str()).collect();
    let events = serde_json::json!([
        {"date": "2000-01-01", "kind": "join", "state": ids[0], "alliance": "P"},
        {"date": "2000-01-01", "kind": "join", "state": ids[1], "alliance": "P"},
        {"date": "2001-01-01", "kind": "tie", "a": ids[0], "b": ids[ids.len() - 1], "delta": -0.5},
    ]);
    let json = serde_json::json!({"name": name, "states": states,
        "alliances": [{"id": "P", "name": alliance, "tie": 0.5}], "events": events});
    let Ok(ds) = load_str(&json.to_string(), "fuzz.json") else {
        return;
    };
    let tl = Timeline::new(&ds, "fuzz.json");
    let date = parse_date("2001-06-01").expect("a valid date");
    let snap = tl.snapshot(date);

    let mut out = Vec::new();
    graphml::write(&ds, &snap, &mut out).expect("writing to memory");
    let text = String::from_utf8(out).expect("GraphML is UTF-8");
    let doc = parse("GraphML", &text);
    let nodes: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("node")).collect();
    assert_eq!(nodes.len(), snap.n());
    for (node, &s) in nodes.iter().zip(&snap.states) {
        let st = &ds.states[s];
        assert_eq!(node.attribute("id"), Some(xml_text(&st.id).as_ref()), "node id");
        let label = node.children().find(|c| c.attribute("key") == Some("label"));
        let label = label.and_then(|l| l.text()).unwrap_or("");
        assert_eq!(label, xml_text(&st.name), "node label");
    }

    let mut out = Vec::new();
    gexf::write(&ds, &tl, Step::parse("1y").expect("a step"), &mut out).expect("writing");
    parse("GEXF", &String::from_utf8(out).expect("GEXF is UTF-8"));

    let n = snap.n();
    let chart = NetworkChart {
        title: ds.name.clone(),
        date,
        caption: ds.alliances[0].name.clone(),
        labels: snap.states.iter().map(|&s| ds.states[s].id.clone()).collect(),
        bloc: vec![0; n],
        bloc_labels: vec![ds.alliances[0].name.clone()],
        bloc_title: String::new(),
        weights: snap.weights.clone(),
        positions: None,
    };
    let svg = plot::render_svg(&chart, Size { width: 400, height: 300 }).expect("SVG renders");
    parse("SVG", &svg);
});
