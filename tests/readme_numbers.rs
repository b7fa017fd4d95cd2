//! The README, pinned: every number it quotes next to a command is checked by running that
//! command on the embedded CSTO dataset. The numbers are parsed from README.md itself, so when the
//! data changes, the README and this test move together (a stale README fails here). The main job
//! (`report` with no arguments) runs to completion and its page tells the story.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;
use serde_json::Value;
use std::collections::BTreeMap;

fn readme() -> String {
    std::fs::read_to_string(common::root().join("README.md")).unwrap()
}

/// Splits a README command line (`entente snapshot --date … # comment`) into its arguments and
/// its comment.
fn command(line: &str) -> (Vec<String>, String) {
    let (cmd, comment) = line.split_once('#').unwrap_or((line, ""));
    let args: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
    assert_eq!(args[0], "entente", "{line}");
    (args[1..].to_vec(), comment.trim().to_string())
}

fn run(args: &[String]) -> String {
    let out = common::ok(&format!("README command {args:?}"), entente().args(args));
    String::from_utf8(out.stdout).unwrap()
}

/// A README number (`+0.852`, `−0.274`, `0.65`) as a float.
fn number(s: &str) -> f64 {
    s.trim_matches('*')
        .replace('−', "-")
        .trim_start_matches('+')
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// The number of decimals a README number is quoted with.
fn decimals(s: &str) -> usize {
    s.trim_matches('*').split('.').nth(1).map_or(0, str::len)
}

fn rounds_to(value: f64, quoted: &str) -> bool {
    let d = decimals(quoted) as i32;
    (value - number(quoted)).abs() <= 0.5 * 10f64.powi(-d) + 1e-12
}

/// The lines of the code block under the heading `heading`.
fn code_block(text: &str, heading: &str) -> Vec<String> {
    let at = text
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?}"));
    let rest = &text[at..];
    let start = rest.find("```sh\n").unwrap() + 6;
    let end = start + rest[start..].find("```").unwrap();
    rest[start..end].lines().map(str::to_string).collect()
}

#[test]
fn snapshot_numbers_in_the_story() {
    let text = readme();
    let mut checked = 0;
    for line in code_block(&text, "## The story in numbers") {
        let (args, comment) = command(&line);
        if args[0] != "snapshot" || comment.is_empty() {
            continue;
        }
        // The command as shown runs; its JSON twin gives the exact weights.
        let table = run(&args);
        let mut json_args = args.clone();
        let f = json_args.iter().position(|a| a == "--format").unwrap();
        json_args[f + 1] = "json".into();
        let snap: Value = serde_json::from_str(&run(&json_args)).unwrap();
        let weight = |a: &str, b: &str| {
            snap["ties"].as_array().unwrap().iter().find_map(|t| {
                let (x, y) = (t["a"].as_str().unwrap(), t["b"].as_str().unwrap());
                ((x, y) == (a, b) || (x, y) == (b, a)).then(|| t["weight"].as_f64().unwrap())
            })
        };
        for claim in comment.split(',').map(str::trim) {
            let words: Vec<&str> = claim.split_whitespace().collect();
            match words.as_slice() {
                [pair, value] if pair.contains('–') => {
                    let (a, b) = pair.split_once('–').unwrap();
                    let w = weight(a, b).unwrap_or_else(|| panic!("{line}: no {pair} tie"));
                    assert!(
                        rounds_to(w, value),
                        "{line}: {pair} is {w}, README says {value}"
                    );
                    // The command shown prints it.
                    let printed = value.replace('−', "-");
                    assert!(
                        table.lines().any(|l| {
                            let f: Vec<&str> = l.split_whitespace().collect();
                            f.len() >= 3 && f[..2] == [a, b] && f[2] == printed
                        }),
                        "{line}: the table does not print {pair} {printed}"
                    );
                }
                ["no", pair, "tie"] => {
                    let (a, b) = pair.split_once('–').unwrap();
                    assert_eq!(weight(a, b), None, "{line}: README says no {pair} tie");
                    assert!(
                        !table.lines().any(|l| {
                            let f: Vec<&str> = l.split_whitespace().collect();
                            f.len() >= 2 && (f[..2] == [a, b] || f[..2] == [b, a])
                        }),
                        "{line}: the table prints a {pair} tie"
                    );
                }
                [state, "suspended", "in", "the", alliance] => {
                    let susp = &snap["memberships"][*alliance]["suspended"];
                    assert!(
                        susp.as_array().unwrap().iter().any(|s| s == state),
                        "{line}: {state} is not suspended in {alliance}: {susp}"
                    );
                    assert!(
                        table.contains(&format!("suspended: {state}")),
                        "{line}: the table does not show it"
                    );
                }
                _ => panic!("{line}: a claim this test does not know how to check: {claim:?}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} claims found");
}

#[test]
fn csto_table_and_its_sentence() {
    let text = readme();
    // The command is quoted in backticks just before the table.
    let intro = text
        .lines()
        .find(|l| l.starts_with('`') && l.contains("entente metrics") && l.ends_with("`:"))
        .expect("the command before the CSTO table");
    let (args, _) = command(intro.trim_start_matches('`').trim_end_matches("`:"));
    let csv = run(&args);
    // Columns: date, alliance, state, metric, value.
    let mut values: BTreeMap<(String, String, String, String), f64> = BTreeMap::new();
    for row in csv.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        if let Ok(v) = f[4].parse() {
            values.insert((f[0].into(), f[1].into(), f[2].into(), f[3].into()), v);
        }
    }
    // The table: | date | CSTO mean_tie | ARM | RUS | … |
    let start = text.find("| date | CSTO mean_tie |").unwrap();
    let table: Vec<Vec<String>> = text[start..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let header = &table[0];
    let mut cells = 0;
    let mut mean_ties = vec![];
    for row in &table[2..] {
        let date = &row[0];
        for (col, quoted) in header.iter().zip(row).skip(1) {
            let key = if col == "CSTO mean_tie" {
                (
                    date.clone(),
                    "CSTO".into(),
                    String::new(),
                    "mean_tie".into(),
                )
            } else {
                (date.clone(), "CSTO".into(), col.clone(), "alignment".into())
            };
            let v = *values
                .get(&key)
                .unwrap_or_else(|| panic!("no {key:?} in the command's output"));
            assert!(rounds_to(v, quoted), "{key:?}: {v}, README says {quoted}");
            if col == "CSTO mean_tie" {
                mean_ties.push(v);
            }
            cells += 1;
        }
    }
    assert!(cells >= 40, "only {cells} cells");
    // "The CSTO's cohesion falls from A to B": the first and last rows, rounded.
    let s = text.find("The CSTO's cohesion falls from ").unwrap();
    let words: Vec<&str> = text[s..].split_whitespace().collect();
    let (a, b) = (words[5], words[7].trim_end_matches([';', ',', '.']));
    assert!(
        rounds_to(mean_ties[0], a),
        "falls from {a}: {}",
        mean_ties[0]
    );
    assert!(rounds_to(*mean_ties.last().unwrap(), b), "to {b}");
}

#[test]
fn the_main_job_runs_and_tells_the_story() {
    // `report` with no arguments writes under ./output: run it in an empty folder.
    let dir = tempfile::tempdir().unwrap();
    let out = common::ok("report", entente().current_dir(dir.path()).arg("report"));
    let folder = dir.path().join("output/CSTO_under_strain");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("output/CSTO_under_strain/index.html"),
        "it prints the page to open"
    );
    let html = std::fs::read_to_string(folder.join("index.html")).unwrap();
    let plain = html
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    // The story: the dataset's description and every noted event, with its source.
    let ds: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("data/csto.json")).unwrap(),
    )
    .unwrap();
    let description = ds["description"].as_str().unwrap();
    assert!(plain.contains(description), "the page opens with the story");
    assert!(plain.contains("frozen its CSTO participation"));
    let mut notes = 0;
    for e in ds["events"].as_array().unwrap() {
        if let Some(note) = e["note"].as_str() {
            assert!(
                plain.contains(note),
                "noted event missing from the page: {note}"
            );
            notes += 1;
        }
    }
    assert!(notes >= 20, "{notes} notes");
    // The last date's table: Armenia is the CSTO's suspended member.
    let at = plain.find("<caption>Alliances on").unwrap();
    let row = &plain[at..];
    let row = &row[row.find("<th scope=\"row\">CSTO</th>").unwrap()..];
    let cells: Vec<&str> = row
        .split("<td>")
        .skip(1)
        .take(2)
        .map(|c| c.split("</td>").next().unwrap())
        .collect();
    assert_eq!(cells, ["6", "1"], "CSTO: 6 members, 1 suspended");
    for f in [
        "metrics.json",
        "metrics.csv",
        "members-CSTO.png",
        "timeline-mean_tie.png",
    ] {
        assert!(folder.join(f).is_file(), "{f}");
    }
}

#[test]
fn findings_table_is_what_robust_prints() {
    let text = readme();
    let lines = code_block(&text, "### How sure? The findings as tested claims");
    assert_eq!(lines.len(), 1, "one command above the findings table");
    let (mut args, _) = command(&lines[0]);
    assert_eq!(args[0], "robust");
    // The command as shown runs; its JSON twin gives the claims exactly.
    run(&args);
    let f = args.iter().position(|a| a == "--format").unwrap();
    args[f + 1] = "json".into();
    let out: Value = serde_json::from_str(&run(&args)).unwrap();
    let claims = out["claims"].as_array().unwrap();
    let start = text.find("| claim | finding | holds (nominal) |").unwrap();
    let rows: Vec<Vec<String>> = text[start..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('*').trim_matches('`').to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), claims.len(), "one row per claim of the dataset");
    for (row, c) in rows.iter().zip(claims) {
        assert_eq!(row[0], c["id"].as_str().unwrap());
        assert_eq!(row[1], c["text"].as_str().unwrap(), "{}", row[0]);
        assert_eq!(row[2], c["holds_nominal"].to_string(), "{}", row[0]);
        let p = c["probability"].as_f64().unwrap();
        assert!(
            rounds_to(p, &row[3]),
            "{}: {p}, README says {}",
            row[0],
            row[3]
        );
        assert_eq!(row[4], c["label"].as_str().unwrap(), "{}", row[0]);
    }
    // "Three findings are not robust": the count of rows below "likely".
    let weak = claims
        .iter()
        .filter(|c| !matches!(c["label"].as_str(), Some("robust" | "likely")))
        .count();
    assert!(text.contains("Three findings are **not robust**."));
    assert_eq!(
        weak, 3,
        "the sentence counts the claims neither robust nor likely"
    );
}

#[test]
fn explain_numbers_in_the_story() {
    let text = readme();
    let lines = code_block(&text, "### Why did cohesion fall?");
    assert_eq!(lines.len(), 1, "one command above the explanation");
    let (mut args, comment) = command(&lines[0]);
    assert_eq!(args[0], "explain");
    // Run it as shown, but draw the chart into a temporary folder.
    let dir = tempfile::tempdir().unwrap();
    let p = args.iter().position(|a| a == "--plot").unwrap();
    args[p + 1] = dir.path().join("waterfall.png").display().to_string();
    run(&args);
    assert!(
        dir.path().join("waterfall.png").is_file(),
        "the waterfall chart"
    );
    args.drain(p..p + 2);
    args.extend(["--format".to_string(), "json".to_string()]);
    let out: Value = serde_json::from_str(&run(&args)).unwrap();
    let contributions = out["contributions"].as_array().unwrap();
    let mut checked = 0;
    for claim in comment.split(',').map(str::trim) {
        let (group, value) = claim.split_once(' ').unwrap();
        let c = contributions
            .iter()
            .find(|c| c["group"] == group)
            .unwrap_or_else(|| panic!("no group {group:?}"));
        let v = c["contribution"].as_f64().unwrap();
        assert!(rounds_to(v, value), "{group}: {v}, README says {value}");
        checked += 1;
    }
    assert_eq!(checked, 3);
    // The sentence's Δ is the command's.
    assert!(rounds_to(out["delta"].as_f64().unwrap(), "−0.317"));
    assert!(text.contains("(Δ −0.317)"));
}
