//! `entente completions bash|zsh|fish|elvish|powershell` and `entente man`: shell completion
//! scripts and the man page, generated from the clap definitions so they never drift from the
//! flags. Both go to standard output (or `-o FILE`, written atomically); `man --dir DIR`
//! writes one page per command.

use super::args::OutputArg;
use clap::CommandFactory;
use entente::error::Error;
use entente::error::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    #[command(flatten)]
    pub output: OutputArg,
    /// Write every page (entente.1 and entente-<command>.1 for each command) into this folder
    /// instead.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub dir: Option<PathBuf>,
}

pub fn completions(args: CompletionsArgs) -> Result<()> {
    let mut cmd = super::Cli::command();
    args.output.emit(|w| {
        let mut buf = Vec::new();
        clap_complete::generate(args.shell, &mut cmd, "entente", &mut buf);
        w.write_all(&buf)
    })
}

pub fn man(args: ManArgs) -> Result<()> {
    let cmd = super::Cli::command();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        clap_mangen::generate_to(cmd, dir).map_err(|e| Error::io(dir, e))?;
        return super::args::print_for_reading(&format!("{}\n", dir.display()));
    }
    args.output.emit(|w| {
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut buf)?;
        w.write_all(&buf)
    })
}
