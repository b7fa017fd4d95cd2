//! Running the `entente` binary with bounds (used by the bad-input, regression and output-safety
//! tests): a wall-clock timeout (the child is killed past it), an address-space limit through
//! `prlimit` where the machine has it (util-linux; an allocation beyond the limit aborts the
//! child, which the caller sees as a non-2 exit status), stdout and stderr captured in threads so
//! a chatty child cannot block.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::bin;

pub const MIB: u64 = 1024 * 1024;

/// What a bounded run gave.
#[derive(Debug)]
pub struct Outcome {
    /// Exit status; `None` when killed by a signal (timeout or abort).
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
}

/// Whether `prlimit` can limit a child's address space here (checked once).
pub fn have_prlimit() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let ok = Command::new("prlimit")
            .args(["--as=1073741824", "--", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            super::skip(
                "prlimit",
                "prlimit unavailable: the bad-input tests run without a memory bound",
            );
        }
        ok
    })
}

/// Runs `entente ARGS` with `stdin` as standard input, killed after `timeout`, its address space
/// limited to `mem` bytes when prlimit is available.
pub fn run(args: &[OsString], stdin: Option<&[u8]>, timeout: Duration, mem: u64) -> Outcome {
    let mut cmd = if have_prlimit() {
        let mut c = Command::new("prlimit");
        c.arg(format!("--as={mem}")).arg("--").arg(bin());
        c
    } else {
        Command::new(bin())
    };
    cmd.args(args)
        .env("RUST_BACKTRACE", "0")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn entente");
    let feeder = stdin.map(|bytes| {
        let mut w = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = w.write_all(&bytes); // the child may stop reading early
        })
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait after kill");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    if let Some(f) = feeder {
        let _ = f.join();
    }
    Outcome {
        status: status.code(),
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
        elapsed,
        timed_out,
    }
}

/// Shorthand: OS strings from anything path-like.
pub fn args<I, S>(v: I) -> Vec<OsString>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    v.into_iter().map(Into::into).collect()
}

/// Asserts the common safety properties: finished in time, exit status as expected, no panic.
pub fn assert_safe(what: &str, o: &Outcome, status: i32) {
    assert!(!o.timed_out, "{what}: timed out after {:?}", o.elapsed);
    assert!(
        !o.stderr.contains("panicked"),
        "{what}: panic message on stderr:\n{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("memory allocation"),
        "{what}: ran out of its memory bound:\n{}",
        head(&o.stderr)
    );
    assert_eq!(
        o.status,
        Some(status),
        "{what}: exit status {:?} (expected {status}); stderr:\n{}",
        o.status,
        head(&o.stderr)
    );
}

/// The first 2,000 characters of a text, for failure messages.
pub fn head(s: &str) -> String {
    s.chars().take(2000).collect()
}

/// `argv!["validate", path, …]`: a vector of OS strings from strings and paths.
#[macro_export]
macro_rules! argv {
    ($($x:expr),* $(,)?) => {
        Vec::from([$(std::ffi::OsString::from($x)),*])
    };
}
