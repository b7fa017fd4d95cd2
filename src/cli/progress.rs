//! A minimal progress bar on standard error, drawn only when stderr is a terminal (never on
//! stdout, never into a pipe or a log file). Safe to call from several threads.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

/// A progress bar over `total` steps; silent unless stderr is a terminal.
pub struct ProgressBar {
    total: usize,
    label: &'static str,
    enabled: bool,
    /// The last drawn width of the filled part (redraw only when it changes).
    drawn: Mutex<Option<usize>>,
}

const WIDTH: usize = 30;

impl ProgressBar {
    /// A bar for `total` steps, shown only if stderr is a terminal and there is more than one
    /// step.
    pub fn new(label: &'static str, total: usize) -> ProgressBar {
        ProgressBar {
            total,
            label,
            enabled: total > 1 && std::io::stderr().is_terminal(),
            drawn: Mutex::new(None),
        }
    }

    /// Reports `done` steps finished.
    pub fn set(&self, done: usize) {
        if !self.enabled {
            return;
        }
        let filled = done.min(self.total) * WIDTH / self.total.max(1);
        let Ok(mut drawn) = self.drawn.lock() else {
            return;
        };
        if *drawn == Some(filled) && done != self.total {
            return;
        }
        *drawn = Some(filled);
        let mut e = std::io::stderr().lock();
        let _ = write!(
            e,
            "\r{} [{}{}] {}/{}",
            self.label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            done,
            self.total
        );
        let _ = e.flush();
    }

    /// Erases the bar.
    pub fn finish(&self) {
        if self.enabled {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[2K");
            let _ = e.flush();
        }
    }
}
