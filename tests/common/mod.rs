//! Helpers shared by the integration tests: the binary under test, fixture and golden-file
//! paths, the golden-file comparison (rewritten with `UPDATE_GOLDEN=1`, refused under `CI=true`),
//! and the marker a test writes when it cannot run one of its checks on this machine.
//!
//! Fixtures live in `tests/data/` (see `tests/data/README.md`), expected outputs in
//! `tests/golden/`. Each test file includes this module with `mod common;` and uses what it needs.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod bounded;

use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository root (where `Cargo.toml` is).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Path of the binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_entente"))
}

/// `entente` as an `assert_cmd` command, run from the repository root.
pub fn entente() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("entente").unwrap();
    c.current_dir(root());
    c
}

/// A fixture under `tests/data/`, as an absolute path.
pub fn data(rel: &str) -> PathBuf {
    root().join("tests/data").join(rel)
}

/// A fixture under `tests/data/`, as an absolute path string (for argument lists).
pub fn data_str(rel: &str) -> String {
    data(rel).display().to_string()
}

/// A golden file under `tests/golden/`.
pub fn golden_path(rel: &str) -> PathBuf {
    root().join("tests/golden").join(rel)
}

/// Compares `actual` with the golden file `tests/golden/REL`.
///
/// With `UPDATE_GOLDEN=1` the file is rewritten first (review the diff before committing); under
/// `CI=true` that is refused, so a CI run can never pass by rewriting its own expectations.
pub fn golden(rel: &str, actual: impl AsRef<[u8]>) {
    let actual = actual.as_ref();
    let path = golden_path(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "UPDATE_GOLDEN is set under CI=true: golden files are never rewritten by CI"
        );
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&path, actual).unwrap();
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if want != actual {
        let got = String::from_utf8_lossy(actual);
        let want = String::from_utf8_lossy(&want);
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "length".to_string(), |i| format!("line {}", i + 1));
        panic!(
            "output differs from {} (first difference: {line}); rerun with UPDATE_GOLDEN=1 after \
             an intended change.\n--- got ---\n{got}",
            path.display()
        );
    }
}

/// Where skip markers go: one line per check a test could not run (`.ci/run` counts them).
pub fn skip_log() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skipped-checks.log")
}

/// Records that `check` could not run here, and why: a line `SKIPPED <check>: <reason>` on
/// standard error and in [`skip_log`], which `.ci/run` turns into a one-line summary.
pub fn skip(check: &str, reason: &str) {
    let line = format!("SKIPPED {check}: {reason}");
    eprintln!("{line}");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(skip_log())
    {
        let _ = writeln!(f, "{line}");
    }
}

/// Whether `tool ARGS` can be run here and succeeds.
pub fn have(tool: &str, args: &[&str]) -> bool {
    std::process::Command::new(tool)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs a command that must succeed and returns its output; on failure the panic message shows
/// `what` and the command's standard error.
pub fn ok(what: &str, cmd: &mut assert_cmd::Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{what}: exit status {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Asserts that the files of `tests/data/FOLDER` are exactly `listed` (no file without a case,
/// no case without a file).
pub fn assert_folder_is(folder: &str, listed: &std::collections::BTreeSet<&str>) {
    let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(data(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let unlisted: Vec<&String> = on_disk
        .iter()
        .filter(|f| !listed.contains(f.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "{folder}: files without a case: {unlisted:?}"
    );
    let missing: Vec<&&str> = listed.iter().filter(|f| !on_disk.contains(**f)).collect();
    assert!(
        missing.is_empty(),
        "{folder}: cases without a file: {missing:?}"
    );
}

/// Runs `entente args…` from the repository root; returns (exit status, stdout, stderr), both
/// of which must be UTF-8.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = entente().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs `entente args…`, which must succeed ([`ok`]), and returns its standard output (UTF-8).
pub fn stdout<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(args: &[S]) -> String {
    String::from_utf8(ok(&format!("{args:?}"), entente().args(args)).stdout).unwrap()
}

/// The names in a folder, sorted (to check that no temporary file was left).
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Whether a JSON value is a number within 1e-12 of `x`.
pub fn close(v: &serde_json::Value, x: f64) -> bool {
    (v.as_f64().unwrap() - x).abs() < 1e-12
}

/// The value `sensitivity` is asked about in `tests/data/robust/four-states.json`: the
/// alignment of member A of alliance X (add `--date`).
pub const ALIGNMENT_OF_A_IN_X: [&str; 6] =
    ["--metric", "alignment", "--alliance", "X", "--state", "A"];

/// The series that reads `signed/switch.json` before, at and after B's switch (2005, 2010 and
/// 2015).
pub const SWITCH_SERIES: [&str; 6] = ["--from", "2005-01-01", "--to", "2015-01-01", "--step", "5y"];
