//! The `entente` binary: runs the command line and maps failures to exit codes
//! (0 success, 2 the user's input or environment, 1 internal error). The command line lives in
//! `src/cli/` and belongs to the binary only: the library never sees clap.

mod cli;

/// Whether descriptor 1 was open when the process started. Runs from `.init_array`, before the
/// Rust runtime, which points a closed descriptor 1 at `/dev/null` (after which `>&-` would
/// look like a successful run that printed nothing).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static CHECK_STDOUT: extern "C" fn() = {
    extern "C" fn check() {
        // SAFETY: `fcntl(F_GETFD)` only queries the descriptor table.
        let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
        STDOUT_CLOSED_AT_START.store(closed, std::sync::atomic::Ordering::Relaxed);
    }
    check
};

static STDOUT_CLOSED_AT_START: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

fn main() {
    entente::output::install_signal_cleanup();
    entente::output::set_stdout_closed(
        STDOUT_CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed),
    );
    std::process::exit(cli::run());
}
