//! The `entente` binary: runs the command line and maps failures to exit codes
//! (0 success, 2 the user's input or environment, 1 internal error).

fn main() {
    std::process::exit(entente::cli::run());
}
