//! Writing results safely: files are written to a temporary name in the same folder and then
//! renamed over the target, so a failed or interrupted run leaves the old file or the new one,
//! never a half-written one; folders (the report, `generate -o`) are written into a staging
//! folder next to the target and swapped in whole, and only over a folder entente made (a
//! marker file) unless forced. Temporary files and staging folders are registered while they
//! exist: SIGINT/SIGTERM removes them (see [`install_signal_cleanup`]), and a later run removes
//! stale ones of our own naming pattern whose process is gone. Standard output treats a reader
//! that goes away early (`| head`) as success and a closed standard output (`>&-`) as an error.

use crate::error::{Error, Result};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Set by the binary when standard output was closed at start (`>&-`); the runtime then points
/// descriptor 1 at `/dev/null`, so this is the only way to tell.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Temporary files and staging folders that exist right now, removed on SIGINT/SIGTERM.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The name of the marker file entente writes into every folder it makes (report, generate):
/// the list of files the run wrote. A folder holding it may be replaced as a whole.
pub const MARKER: &str = ".entente-made";

/// Records that standard output was closed when the process started.
pub fn set_stdout_closed(closed: bool) {
    STDOUT_CLOSED.store(closed, Ordering::Relaxed);
}

fn stdout_closed_error() -> Error {
    Error::io(
        "<stdout>",
        io::Error::other("standard output is closed; redirect it to a file or to /dev/null"),
    )
}

fn register(p: &Path) {
    if let Ok(mut v) = IN_PROGRESS.lock() {
        v.push(p.to_path_buf());
    }
}

fn unregister(p: &Path) {
    if let Ok(mut v) = IN_PROGRESS.lock() {
        v.retain(|x| x != p);
    }
}

/// Runs `f` (a rename that ends a temporary's life) while holding the registry, so a signal
/// arriving meanwhile cannot remove a file that is being renamed into place.
fn finish<T>(p: &Path, f: impl FnOnce() -> T) -> T {
    let mut guard = IN_PROGRESS.lock().ok();
    let r = f();
    if let Some(v) = guard.as_mut() {
        v.retain(|x| x != p);
    }
    r
}

/// Removes every registered temporary file and staging folder (after a signal).
fn remove_in_progress() {
    // Keep the lock: the process exits right after, so nothing can register or rename again.
    let v = match IN_PROGRESS.lock() {
        Ok(v) => v,
        Err(p) => p.into_inner(),
    };
    for p in v.iter() {
        if p.is_dir() {
            let _ = fs::remove_dir_all(p);
        } else {
            let _ = fs::remove_file(p);
        }
    }
    std::mem::forget(v);
}

/// Blocks SIGINT and SIGTERM in this thread (and so in every thread started after it) and
/// starts a thread that waits for them: on either, it removes our temporary files and staging
/// folders and exits with 128 + the signal number, as the shell would report. Call it first
/// thing in `main`, before any other thread starts. SIGKILL cannot be caught: what it leaves
/// behind is removed by the next run ([`remove_stale_temps`], [`replace_folder`]).
#[cfg(unix)]
pub fn install_signal_cleanup() {
    // SAFETY: plain libc calls on a local, zero-initialised signal set; no memory is shared.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        let spawned = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || loop {
                let mut sig: libc::c_int = 0;
                // SAFETY: `set` is a valid, initialised signal set owned by this closure.
                if libc::sigwait(&set, &mut sig) == 0 {
                    remove_in_progress();
                    std::process::exit(128 + sig);
                }
            });
        if spawned.is_err() {
            // No watcher: let the signals act as before rather than be ignored.
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
    }
}

/// Without POSIX signals there is nothing to install.
#[cfg(not(unix))]
pub fn install_signal_cleanup() {}

/// Whether a process with this id is still running (Linux: `/proc/PID`). Elsewhere we cannot
/// tell cheaply, so every process counts as alive and nothing is removed.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// The process id in one of our temporary names: `.NAME.PID.N.tmp` (files) or
/// `.NAME.entente-new.PID` / `.NAME.entente-old.PID` (folders) for the given `NAME`.
fn our_temp_pid(entry: &str, name: &str) -> Option<u32> {
    let rest = entry
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix('.')?;
    if let Some(t) = rest.strip_suffix(".tmp") {
        let (pid, n) = t.split_once('.')?;
        n.parse::<u64>().ok()?;
        return pid.parse().ok();
    }
    let pid = rest
        .strip_prefix("entente-new.")
        .or_else(|| rest.strip_prefix("entente-old."))?;
    pid.parse().ok()
}

/// Removes temporaries for the target `name` in `dir` that an earlier run left (killed, power
/// lost): only names of our own pattern whose process is gone.
pub fn remove_stale_temps(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let entry = e.file_name();
        let Some(entry) = entry.to_str() else {
            continue;
        };
        if let Some(pid) = our_temp_pid(entry, name) {
            if !process_alive(pid) {
                let p = e.path();
                if p.is_dir() && !p.is_symlink() {
                    let _ = fs::remove_dir_all(&p);
                } else {
                    let _ = fs::remove_file(&p);
                }
            }
        }
    }
}

/// Whether an I/O error means the reader went away (`| head`): success by the pipe rule.
fn reader_gone(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// Says what is wrong with an output path instead of a bare "File exists (os error 17)".
fn explain(path: &Path, e: io::Error) -> Error {
    let what = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() && fs::metadata(path).is_err() => {
            Some("is a symbolic link that leads nowhere (dangling or a loop)")
        }
        Ok(m) if e.kind() == io::ErrorKind::AlreadyExists && !m.is_dir() => {
            Some("exists and is not a folder")
        }
        _ => None,
    };
    match what {
        Some(w) => Error::io(path, io::Error::new(e.kind(), format!("{w} ({e})"))),
        None => Error::io(path, e),
    }
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, fsync, rename).
/// A directory at `path` is an error; the existing file is replaced only on success.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// As [`write_atomic`], streaming the content through `fill`.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    if path.is_dir() {
        return Err(Error::io(
            path,
            io::Error::other("is a directory, not a file"),
        ));
    }
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place: renaming
    // a temporary file over it would replace the device with a regular file.
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let result = fs::OpenOptions::new().write(true).open(path).and_then(|f| {
            let mut w = io::BufWriter::new(f);
            fill(&mut w)?;
            w.flush()
        });
        return match result {
            Err(e) if reader_gone(&e) => Ok(()),
            r => r.map_err(|e| Error::io(path, e)),
        };
    }
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && fs::metadata(path).is_err()
    {
        return Err(explain(path, io::Error::from(io::ErrorKind::NotFound)));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::io(path, io::Error::other("not a file name")))?
        .to_string_lossy()
        .into_owned();
    remove_stale_temps(&dir, &name);
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    register(&tmp);
    let result = (|| -> io::Result<()> {
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut w = io::BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        finish(&tmp, || fs::rename(&tmp, path))
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        unregister(&tmp);
        return Err(explain(path, e));
    }
    Ok(())
}

/// Whether `dir` may be replaced: missing, empty, or holding our [`MARKER`].
fn ours_or_empty(dir: &Path) -> io::Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none() || dir.join(MARKER).is_file()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// Exchanges two paths atomically where the system can (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: two valid NUL-terminated paths, relative to the current directory.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Writes a folder as a whole: `fill` writes the files into a staging folder next to `dir`
/// (`.NAME.entente-new.PID`) and returns the names it wrote; the [`MARKER`] listing them is
/// added; then the staging folder is swapped in, so until that moment `dir` stays as it was
/// and after it `dir` holds exactly the new run. An existing `dir` is replaced only if it is
/// empty or holds the marker (a folder entente made), or when `force` is set; otherwise the
/// error says how to proceed (`flag` names the option that forces). Returns the paths of the
/// files in `dir`.
pub fn replace_folder(
    dir: &Path,
    force: bool,
    flag: &str,
    fill: impl FnOnce(&Path) -> Result<Vec<String>>,
) -> Result<Vec<PathBuf>> {
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        if fs::metadata(dir).is_err() {
            return Err(explain(dir, io::Error::from(io::ErrorKind::NotFound)));
        }
        return Err(Error::Usage(format!(
            "{}: is a symbolic link; give the folder it points to, or another folder",
            dir.display()
        )));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Error::io(
            dir,
            io::Error::other("exists and is not a folder"),
        ));
    }
    if !force && !ours_or_empty(dir).map_err(|e| Error::io(dir, e))? {
        return Err(Error::Usage(format!(
            "{}: the folder holds files entente did not write (there is no {MARKER} file in \
             it), so it is not replaced; choose another folder, or add {flag} to replace the \
             whole folder with this run's files",
            dir.display()
        )));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| explain(&parent, e))?;
    let name = dir
        .file_name()
        .ok_or_else(|| Error::io(dir, io::Error::other("not a folder name")))?
        .to_string_lossy()
        .into_owned();
    remove_stale_temps(&parent, &name);
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.entente-new.{pid}"));
    let old = parent.join(format!(".{name}.entente-old.{pid}"));
    let _ = fs::remove_dir_all(&staging);
    register(&staging);
    let result = (|| -> Result<Vec<String>> {
        fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        let names = fill(&staging)?;
        let mut manifest =
            String::from("# written by entente; this folder is replaced whole by the next run\n");
        for n in &names {
            manifest.push_str(n);
            manifest.push('\n');
        }
        write_atomic(&staging.join(MARKER), manifest.as_bytes())?;
        if dir.exists() {
            if exchange(&staging, dir).is_err() {
                // No atomic exchange: two renames; a crash between them leaves the old run at
                // `old`, which the next run removes.
                register(&old);
                fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
                finish(&staging, || fs::rename(&staging, dir)).map_err(|e| Error::io(dir, e))?;
                let _ = fs::remove_dir_all(&old);
                unregister(&old);
                return Ok(names);
            }
            // `staging` now holds the old folder.
            let _ = fs::remove_dir_all(&staging);
        } else {
            finish(&staging, || fs::rename(&staging, dir)).map_err(|e| Error::io(dir, e))?;
        }
        Ok(names)
    })();
    let _ = fs::remove_dir_all(&staging);
    unregister(&staging);
    Ok(result?.iter().map(|n| dir.join(n)).collect())
}

/// Writes text to standard output; a closed pipe ends quietly (returns `Ok`).
pub fn print(text: &str) -> Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(stdout_closed_error());
    }
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(text.as_bytes()).and_then(|_| lock.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("<stdout>", e)),
    }
}

/// Streams to standard output through `fill`; a closed pipe ends quietly.
pub fn stream(fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(stdout_closed_error());
    }
    let stdout = io::stdout();
    let mut w = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match fill(&mut w).and_then(|_| w.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("<stdout>", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_atomically_and_keeps_old_file_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        write_atomic(&p, b"old").unwrap();
        let r = write_atomic_with(&p, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file left behind"
        );
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn writes_devices_in_place() {
        write_atomic(Path::new("/dev/null"), b"x").unwrap();
        let m = fs::metadata("/dev/null").unwrap();
        assert!(!m.is_file(), "/dev/null was replaced by a regular file");
    }

    #[test]
    fn recognises_only_our_temp_names() {
        assert_eq!(our_temp_pid(".out.csv.123.4.tmp", "out.csv"), Some(123));
        assert_eq!(our_temp_pid(".site.entente-new.77", "site"), Some(77));
        assert_eq!(our_temp_pid(".site.entente-old.77", "site"), Some(77));
        assert_eq!(our_temp_pid(".out.csv.x.4.tmp", "out.csv"), None);
        assert_eq!(our_temp_pid("out.csv.123.4.tmp", "out.csv"), None);
        assert_eq!(our_temp_pid(".other.123.4.tmp", "out.csv"), None);
        assert_eq!(our_temp_pid(".site.backup.77", "site"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn stale_temps_of_dead_processes_are_removed_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids above the kernel's maximum (4,194,304) never exist.
        let stale = dir.path().join(".out.csv.999999999.0.tmp");
        let mine = dir
            .path()
            .join(format!(".out.csv.{}.0.tmp", std::process::id()));
        let user = dir.path().join(".out.csv.backup");
        for p in [&stale, &mine, &user] {
            fs::write(p, b"x").unwrap();
        }
        write_atomic(&dir.path().join("out.csv"), b"new").unwrap();
        assert!(!stale.exists());
        assert!(mine.exists() && user.exists());
    }

    #[test]
    fn folders_are_replaced_whole_and_only_ours() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let fill = |names: &'static [&'static str]| {
            move |d: &Path| -> Result<Vec<String>> {
                for n in names {
                    write_atomic(&d.join(n), n.as_bytes())?;
                }
                Ok(names.iter().map(|n| n.to_string()).collect())
            }
        };
        replace_folder(&site, false, "--force", fill(&["a", "b"])).unwrap();
        assert!(site.join(MARKER).is_file());
        replace_folder(&site, false, "--force", fill(&["c"])).unwrap();
        assert!(!site.join("a").exists() && site.join("c").is_file());
        // A failing run leaves the previous one whole.
        let r = replace_folder(&site, false, "--force", |d: &Path| {
            write_atomic(&d.join("half"), b"x")?;
            Err(Error::Usage("boom".into()))
        });
        assert!(r.is_err());
        assert!(site.join("c").is_file() && !site.join("half").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "staging left");
        // The user's folder is refused, then replaced with force.
        let user = dir.path().join("mine");
        fs::create_dir(&user).unwrap();
        fs::write(user.join("index.html"), b"mine").unwrap();
        let e = replace_folder(&user, false, "--force", fill(&["a"])).unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        assert_eq!(fs::read(user.join("index.html")).unwrap(), b"mine");
        replace_folder(&user, true, "--force", fill(&["a"])).unwrap();
        assert!(!user.join("index.html").exists());
    }

    #[test]
    fn refuses_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_atomic(dir.path(), b"x").is_err());
    }
}
