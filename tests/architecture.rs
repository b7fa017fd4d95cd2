//! The dependency rule of ARCHITECTURE.md, checked: every file under `src/` may name only the
//! modules its layer is allowed to use (`use crate::x…` lines and `crate::x::` paths in code,
//! tests included; comments are not dependencies). The matrix below is the one ARCHITECTURE.md
//! shows; change both together.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// For each top-level module of the library, the modules it may use. Layers, bottom first:
/// the shared pieces (`base`, `date`, `error`, `output`); `dataset`; `model`; the producers of
/// inputs (`import`, `generate`) and `metrics`; the renderers (`plot`, `format`, `export`);
/// `report`; `cli`.
///
/// `lib` stands for the items of the crate root (`DEFAULT_DATASET`, …), named as `crate::NAME`.
const ALLOWED: &[(&str, &[&str])] = &[
    ("lib", &[]),
    ("base", &[]),
    ("date", &[]),
    ("error", &[]),
    ("output", &["error"]),
    ("dataset", &["base", "date", "error"]),
    ("model", &["base", "date", "error", "dataset"]),
    ("select", &["base", "date", "error", "dataset"]),
    ("scenario", &["base", "date", "error", "dataset", "select"]),
    ("import", &["base", "date", "error", "dataset", "model"]),
    (
        "generate",
        &["base", "date", "error", "output", "dataset", "model"],
    ),
    ("metrics", &["base", "date", "error", "dataset", "model"]),
    ("limits", &["base", "date", "error", "dataset", "model"]),
    (
        "explain",
        &[
            "base", "date", "error", "dataset", "model", "metrics", "select", "scenario",
        ],
    ),
    (
        "robust",
        &[
            "base", "date", "error", "dataset", "model", "select", "metrics",
        ],
    ),
    ("plot", &["base", "date", "error", "output"]),
    (
        "format",
        &["base", "date", "error", "dataset", "model", "metrics"],
    ),
    ("export", &["base", "date", "error", "dataset", "model"]),
    (
        "report",
        &[
            "base", "date", "error", "output", "dataset", "model", "metrics", "robust", "plot",
            "format",
        ],
    ),
    (
        "cli",
        &[
            "lib", "base", "date", "error", "output", "dataset", "model", "select", "scenario",
            "import", "generate", "metrics", "explain", "robust", "plot", "format", "export",
            "report", "limits",
        ],
    ),
];

/// Known violations still to be removed, each with the file, the module it reaches and why it
/// is tolerated for now. An entry that no longer matches anything fails the test, so the list
/// only shrinks.
const PENDING: &[(&str, &str, &str)] = &[];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`src/model/sweep.rs` → `model`), or
/// `None` for the crate roots.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// The modules a file names, with the line of each first use: `crate::x` paths and the names
/// of `crate::{x, y::…}` groups, outside comments.
fn crate_imports(text: &str) -> Vec<(String, usize)> {
    let mut found: Vec<(String, usize)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut add = |name: &str, line: usize| {
        if !name.is_empty() && seen.insert(name.to_string()) {
            found.push((name.to_string(), line));
        }
    };
    for (index, raw) in text.lines().enumerate() {
        let code = raw.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let preceded_by_ident = rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
            rest = &rest[at + "crate::".len()..];
            if preceded_by_ident {
                continue; // `$crate::` in macros, `other_crate::`
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    add(&name, index + 1);
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                add(&name, index + 1);
            }
        }
    }
    found
}

#[test]
fn every_module_imports_only_what_its_layer_allows() {
    let root = src_dir();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(
        files.len() > 20,
        "found only {} files under src/",
        files.len()
    );

    let mut violations = Vec::new();
    let mut pending_used = BTreeSet::new();
    for path in &files {
        let relative = path.strip_prefix(&root).expect("file under src/");
        let Some(module) = module_of(relative) else {
            continue;
        };
        let shown = format!("src/{}", relative.display());
        let allowed = ALLOWED
            .iter()
            .find(|(name, _)| *name == module)
            .unwrap_or_else(|| {
                panic!("{shown}: module `{module}` is not in the matrix of tests/architecture.rs")
            })
            .1;
        let text = std::fs::read_to_string(path).expect("source file");
        for (name, line) in crate_imports(&text) {
            // `crate::x` is a module when `src/x.rs` or `src/x/` exists, else an item of the root.
            let is_module = root.join(format!("{name}.rs")).exists() || root.join(&name).is_dir();
            let used = if is_module { name } else { "lib".to_string() };
            if used == module || allowed.contains(&used.as_str()) {
                continue;
            }
            if PENDING.iter().any(|(f, m, _)| *f == shown && *m == used) {
                pending_used.insert((shown.clone(), used));
                continue;
            }
            violations.push(format!(
                "{shown}:{line}: `{module}` uses `crate::{used}`, but `{module}` may use only [{}]",
                allowed.join(", ")
            ));
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the dependency rule (ARCHITECTURE.md, \"Allowed dependencies\"):\n  {}\n\
         Move the shared piece down a layer, or ask the lower module a question instead.",
        violations.join("\n  ")
    );
    let stale: Vec<String> = PENDING
        .iter()
        .filter(|(f, m, _)| !pending_used.contains(&(f.to_string(), m.to_string())))
        .map(|(f, m, why)| format!("{f} → {m} ({why})"))
        .collect();
    assert!(
        stale.is_empty(),
        "these pending exceptions are fixed: remove them from PENDING in tests/architecture.rs:\n  {}",
        stale.join("\n  ")
    );
}

#[test]
fn the_matrix_only_points_down() {
    // A module may use only modules listed before it: the matrix is a layering, not a web.
    for (position, (module, allowed)) in ALLOWED.iter().enumerate() {
        for used in *allowed {
            let at = ALLOWED.iter().position(|(name, _)| name == used);
            assert!(
                at.is_some_and(|at| at < position),
                "`{module}` may use `{used}`, which is not listed before it in ALLOWED"
            );
        }
    }
}

#[test]
fn the_scanner_reads_paths_groups_and_skips_comments() {
    let text = "use crate::dataset::Dataset;\n\
                use crate::{date::Day, error::Error};\n\
                // crate::cli in a comment\n\
                /// [`crate::report`] in a doc comment\n\
                let x = crate::model::EPS; macro_rules! m { () => { $crate::plot } }\n";
    let names: Vec<String> = crate_imports(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["dataset", "date", "error", "model"]);
}
