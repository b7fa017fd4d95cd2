//! Output and process safety: a closed standard output (`entente … | head -1`) ends quietly with
//! exit status 0; a full disk on standard output is exit status 2 with a clear error; files are
//! written atomically, so an unwritable folder, a full disk or a target that is a directory
//! gives a clear error and leaves the user's existing file intact and no temporary file behind.
//!
//! The tests run as root on CI, and root ignores permission bits: unwritable folders are made
//! with constructions that fail for root too (a parent that is a regular file, `chattr +i`, a
//! tiny tmpfs); each is skipped with a note where the machine does not allow it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::bounded::{assert_safe, run, MIB};
use common::{bin, names};
use entente::output::{write_atomic, write_atomic_with};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A dataset whose snapshot JSON is several megabytes: `n` states all in one alliance.
fn big_dataset(n: usize) -> String {
    let states: Vec<String> = (0..n)
        .map(|i| format!("{{\"id\": \"S{i:04}\", \"name\": \"State {i}\"}}"))
        .collect();
    let joins: Vec<String> = (0..n)
        .map(|i| {
            format!("{{\"date\": \"2000-01-01\", \"kind\": \"join\", \"state\": \"S{i:04}\", \"alliance\": \"BIG\"}}")
        })
        .collect();
    format!(
        "{{\"name\": \"big\", \"states\": [{}], \"alliances\": [{{\"id\": \"BIG\", \"name\": \"Big\", \"tie\": 0.5}}], \"events\": [{}]}}",
        states.join(", "),
        joins.join(", ")
    )
}

#[test]
fn closed_stdout_is_a_quiet_success() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.json");
    fs::write(&p, big_dataset(400)).unwrap(); // 79,800 ties: about 5 MB of JSON
    for format in ["json", "table"] {
        let mut child = Command::new(bin())
            .arg("snapshot")
            .arg(&p)
            .args([
                "--date",
                "2001-01-01",
                "--format",
                format,
                "--top",
                "100000",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, like `head -1`, then close the pipe.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "snapshot did not end after its reader went away"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(
            status.code(),
            Some(0),
            "{format}: {status:?}; stderr: {err}"
        );
        assert!(err.is_empty(), "{format}: stderr not empty: {err}");
    }
}

#[test]
fn full_disk_on_stdout_is_exit_2_with_a_message() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        common::skip("full_disk_on_stdout", "no /dev/full on this machine");
        return;
    }
    let base = common::data("hardening/base.json");
    for cmd in [
        argv!["snapshot", base.clone(), "--date", "2024-01-01",],
        argv!["validate", base.clone()],
    ] {
        let out = Command::new(bin())
            .args(&cmd)
            .stdout(fs::File::create(full).unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {err}");
        assert!(
            err.contains("error: <stdout>: No space left on device"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn output_path_that_is_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.json");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("keep.txt"), "user data").unwrap();
    let e = write_atomic(&target, b"{}").unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let msg = e.to_string();
    assert!(
        msg.contains("out.json") && msg.contains("is a directory"),
        "{msg}"
    );
    assert_eq!(
        fs::read_to_string(target.join("keep.txt")).unwrap(),
        "user data"
    );
    assert_eq!(names(dir.path()), ["out.json"]);
}

#[test]
fn output_under_a_regular_file() {
    // A parent that is a regular file fails for root as well (ENOTDIR).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    fs::write(&file, "user data").unwrap();
    let target = file.join("out.json");
    let e = write_atomic(&target, b"{}").unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let msg = e.to_string();
    assert!(msg.contains("notes.txt/out.json"), "{msg}");
    assert!(msg.to_lowercase().contains("not a directory"), "{msg}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "user data");
    assert_eq!(names(dir.path()), ["notes.txt"]);
}

/// Runs `cmd args` and says whether it succeeded (false when the tool is missing).
fn sh(cmd: &str, a: &[&Path]) -> bool {
    Command::new(cmd)
        .args(a)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A folder made immutable with `chattr +i` (refuses new files even to root); undone on drop.
struct Immutable(PathBuf);

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn unwritable_folder_keeps_the_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    fs::write(&target, "the user's previous report").unwrap();
    if !sh("chattr", &[Path::new("+i"), dir.path()]) {
        common::skip(
            "unwritable_folder_keeps_the_existing_file",
            "chattr +i is not available here (not root, or the file system lacks it)",
        );
        return;
    }
    let _guard = Immutable(dir.path().to_path_buf());
    if fs::write(dir.path().join("probe"), "x").is_ok() {
        common::skip(
            "unwritable_folder_keeps_the_existing_file",
            "the immutable flag is not enforced here",
        );
        return;
    }
    let e = write_atomic(&target, b"new content").unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let msg = e.to_string();
    assert!(msg.contains("report.json"), "{msg}");
    assert!(
        msg.contains("Operation not permitted") || msg.contains("ermission"),
        "{msg}"
    );
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "the user's previous report"
    );
    assert_eq!(names(dir.path()), ["report.json"]);
}

/// A 256 KiB tmpfs mounted on a temporary folder; unmounted on drop.
struct TinyFs(tempfile::TempDir);

impl TinyFs {
    fn mount() -> Option<TinyFs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(TinyFs(dir))
    }
}

impl Drop for TinyFs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn full_disk_keeps_the_existing_file() {
    let Some(fs_) = TinyFs::mount() else {
        common::skip(
            "full_disk_keeps_the_existing_file",
            "cannot mount a tmpfs here (needs root and mount rights)",
        );
        return;
    };
    let dir = fs_.0.path();
    let target = dir.join("series.csv");
    fs::write(&target, "the user's previous series").unwrap();
    // 4 MiB cannot fit in 256 KiB: the write fails part-way.
    let e = write_atomic_with(&target, |w| {
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..64 {
            w.write_all(&chunk)?;
        }
        Ok(())
    })
    .unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let msg = e.to_string();
    assert!(
        msg.contains("series.csv") && msg.contains("No space left"),
        "{msg}"
    );
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "the user's previous series"
    );
    assert_eq!(names(dir), ["series.csv"], "temporary file left behind");
    // And the same folder still takes a write that fits.
    write_atomic(&target, b"small").unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"small");
}

#[test]
fn commands_do_not_panic_on_odd_flags() {
    let base = common::data("hardening/base.json");
    let cases: Vec<(Vec<std::ffi::OsString>, i32, &str)> = vec![
        (
            argv!["snapshot", base.clone(), "--date", "2023-02-30",],
            2,
            "--date: invalid date \"2023-02-30\"",
        ),
        (
            argv!["snapshot", base.clone(), "--date", "99999-01-01",],
            2,
            "--date: invalid date \"99999-01-01\"",
        ),
        (
            argv!["snapshot", base.clone(), "--date", "0001-01-01",],
            0,
            "",
        ),
        (
            argv!["snapshot", base.clone(), "--date", "9999-12-31",],
            0,
            "",
        ),
        (
            argv!["snapshot", "/nonexistent/x.json", "--date", "2020-01-01",],
            2,
            "/nonexistent/x.json: No such file",
        ),
        (
            argv!["validate", "-", "--ties", "-"],
            2,
            "standard input (-) can be used only once",
        ),
        (argv!["validate", std::env::temp_dir()], 2, "error: "),
        (argv!["snapshot", "--date"], 2, "error: "),
    ];
    for (a, status, want) in cases {
        let o = run(&a, Some(b""), Duration::from_secs(20), 512 * MIB);
        assert_safe(&format!("{a:?}"), &o, status);
        assert!(o.stderr.contains(want), "{a:?}: {}", o.stderr);
    }
}

/// Every command that writes a file with `-o`: its arguments before `-o`. `%name` stands for
/// tests/data/import/name, `$base` for tests/data/hardening/base.json.
const WRITERS: &[&[&str]] = &[
    &["import", "members", "--csv", "%members.csv"],
    &[
        "import",
        "events",
        "--format",
        "csv",
        "--dataset",
        "%events-states.json",
        "%events.csv",
    ],
    &[
        "import",
        "atop",
        "--states",
        "%states-messy.csv",
        "--members",
        "%atop-messy.csv",
    ],
    &["export", "gexf", "$base"],
    &["export", "graphml", "$base", "--date", "2024-01-01"],
    &["export", "csv", "$base", "--date", "2024-01-01"],
];

fn writer_args(cmd: &[&str], out: &Path) -> Vec<std::ffi::OsString> {
    let mut v: Vec<std::ffi::OsString> = cmd
        .iter()
        .map(|a| match *a {
            "$base" => common::data("hardening/base.json").into_os_string(),
            a if a.starts_with('%') => common::data("import").join(&a[1..]).into_os_string(),
            a => a.into(),
        })
        .collect();
    v.push("-o".into());
    v.push(out.into());
    v
}

fn run_writer(cmd: &[&str], out: &Path) -> common::bounded::Outcome {
    run(
        &writer_args(cmd, out),
        None,
        Duration::from_secs(30),
        512 * MIB,
    )
}

#[test]
fn writers_succeed_and_replace_the_file() {
    for cmd in WRITERS {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.txt");
        fs::write(&out, "old").unwrap();
        let o = run_writer(cmd, &out);
        assert_safe(&format!("{cmd:?}"), &o, 0);
        let text = fs::read_to_string(&out).unwrap();
        assert!(text.len() > 10 && text != "old", "{cmd:?}: {text}");
        assert_eq!(
            names(dir.path()),
            ["out.txt"],
            "{cmd:?}: temporary file left"
        );
    }
}

#[test]
fn writers_refuse_a_directory_target() {
    for cmd in WRITERS {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("keep.txt"), "user data").unwrap();
        let o = run_writer(cmd, &out);
        assert_safe(&format!("{cmd:?}"), &o, 2);
        assert!(
            o.stderr.contains("out.json: is a directory"),
            "{cmd:?}: {}",
            o.stderr
        );
        assert_eq!(
            fs::read_to_string(out.join("keep.txt")).unwrap(),
            "user data"
        );
        assert_eq!(names(dir.path()), ["out.json"]);
    }
}

#[test]
fn writers_refuse_a_path_under_a_regular_file() {
    for cmd in WRITERS {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        fs::write(&file, "user data").unwrap();
        let o = run_writer(cmd, &file.join("out.json"));
        assert_safe(&format!("{cmd:?}"), &o, 2);
        assert!(
            o.stderr.contains("notes.txt/out.json: Not a directory"),
            "{cmd:?}: {}",
            o.stderr
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "user data");
        assert_eq!(names(dir.path()), ["notes.txt"]);
    }
}

#[test]
fn writers_keep_the_file_in_an_immutable_folder() {
    for cmd in WRITERS {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        fs::write(&out, "previous").unwrap();
        if !sh("chattr", &[Path::new("+i"), dir.path()]) {
            common::skip(
                "writers_keep_the_file_in_an_immutable_folder",
                "chattr +i is not available here",
            );
            return;
        }
        let _guard = Immutable(dir.path().to_path_buf());
        let o = run_writer(cmd, &out);
        assert_safe(&format!("{cmd:?}"), &o, 2);
        assert!(
            o.stderr.contains("out.json: Operation not permitted"),
            "{cmd:?}: {}",
            o.stderr
        );
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous");
        drop(_guard);
        assert_eq!(names(dir.path()), ["out.json"]);
    }
}

#[test]
fn writers_keep_the_file_on_a_full_disk() {
    let Some(fs_) = TinyFs::mount() else {
        common::skip(
            "writers_keep_the_file_on_a_full_disk",
            "cannot mount a tmpfs here (needs root and mount rights)",
        );
        return;
    };
    let dir = fs_.0.path();
    let out = dir.join("out.json");
    fs::write(&out, "previous").unwrap();
    // Fill the rest of the 256 KiB so that any new content fails.
    let mut filler = fs::File::create(dir.join("filler")).unwrap();
    let chunk = vec![0u8; 4096];
    while std::io::Write::write_all(&mut filler, &chunk).is_ok() {}
    drop(filler);
    for cmd in WRITERS {
        let o = run_writer(cmd, &out);
        assert_safe(&format!("{cmd:?}"), &o, 2);
        assert!(
            o.stderr.contains("out.json: No space left on device"),
            "{cmd:?}: {}",
            o.stderr
        );
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous", "{cmd:?}");
        assert_eq!(
            names(dir),
            ["filler", "out.json"],
            "{cmd:?}: temporary file left"
        );
    }
}

#[test]
fn a_bad_input_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    fs::write(&out, "previous").unwrap();
    let bad = common::data("bad");
    for cmd in [
        argv![
            "import",
            "members",
            "--csv",
            bad.join("members_feb30.csv"),
            "-o",
            &out
        ],
        argv!["export", "gexf", bad.join("date_feb30.json"), "-o", &out],
        argv![
            "export",
            "csv",
            bad.join("truncated.json"),
            "--date",
            "2020-01-01",
            "-o",
            &out
        ],
    ] {
        let o = run(&cmd, None, Duration::from_secs(30), 512 * MIB);
        assert_safe(&format!("{cmd:?}"), &o, 2);
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous");
        assert_eq!(names(dir.path()), ["out.json"]);
    }
}

#[test]
fn export_to_a_closed_pipe_is_a_quiet_success() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.json");
    fs::write(&p, big_dataset(300)).unwrap();
    for what in [&["export", "csv"][..], &["export", "graphml"][..]] {
        let mut child = Command::new(bin())
            .args(what)
            .arg(&p)
            .args(["--date", "2001-01-01"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{what:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("error"),
            "{what:?}: {err}"
        );
    }
}

/// Runs `entente ARGS`, reads one line of its output like `head -1`, closes the pipe, and
/// returns the exit status and stderr.
fn head_1(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty(), "{args:?}: no output");
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn metrics_to_a_closed_pipe_is_a_quiet_success() {
    // The embedded dataset, ten years monthly: 120 dates, about 700 KB of CSV (more than a pipe
    // holds), so the writes after the reader has gone fail with EPIPE.
    for format in ["csv", "json", "table"] {
        let (status, err) = head_1(&[
            "metrics",
            "--from",
            "2015-01-01",
            "--to",
            "2024-12-31",
            "--format",
            format,
        ]);
        assert_eq!(status, Some(0), "{format}: {err}");
        // Only the note on the metrics that cannot apply to this dataset: no error.
        assert!(
            err.lines()
                .all(|l| l.starts_with("note: metrics: left out as they cannot apply")),
            "{format}: stderr: {err}"
        );
    }
}
