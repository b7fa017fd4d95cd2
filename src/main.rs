//! The `entente` binary: runs the command line and maps failures to exit codes
//! (0 success, 2 the user's input or environment, 1 internal error). The command line lives in
//! `src/cli/` and belongs to the binary only: the library never sees clap.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
