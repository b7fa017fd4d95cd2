//! The one error type for user-facing failures. Every variant says where the problem is: the
//! file, the place in it (line:column or a JSON path such as `events[17].state`) and the value.
//!
//! Exit status: [`Error::exit_code`] is 2 for anything the user can fix (bad input, bad flags,
//! unwritable output) and 1 for internal failures only.

use std::fmt;
use std::path::PathBuf;

/// One problem found in an input: the file, the place and what is wrong (including the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it (`-` for standard input, `<embedded>` for the default data).
    pub file: String,
    /// `line:column`, `line N`, or a JSON path; empty when the whole file is concerned.
    pub place: String,
    /// What is wrong, quoting the offending value.
    pub message: String,
}

impl Diagnostic {
    /// A problem found in `file` at `place` (empty when the whole file is meant).
    pub fn new(
        file: impl Into<String>,
        place: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            place: place.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.place, self.message)
        }
    }
}

/// A failure of a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is invalid; every problem found is listed.
    #[error("{}", join_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),
    /// A file could not be read or written.
    #[error("{}: {}", .path.display(), .source)]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A flag or argument is wrong (beyond what the argument parser checks).
    #[error("{0}")]
    Usage(String),
    /// A bug or an unexpected condition: not the user's fault.
    #[error("internal error: {0}")]
    Internal(String),
}

fn join_diagnostics(d: &[Diagnostic]) -> String {
    let mut s = String::new();
    for (i, x) in d.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&x.to_string());
    }
    if d.len() > 1 {
        s.push_str(&format!("\n{} problems found", d.len()));
    }
    s
}

impl Error {
    /// One problem in one file.
    pub fn invalid(
        file: impl Into<String>,
        place: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid(vec![Diagnostic::new(file, place, message)])
    }

    /// An IO failure on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The process exit status for this error: 2 for the user's input or environment, 1 for bugs.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Internal(_) => 1,
            _ => 2,
        }
    }
}

/// Result with the crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
