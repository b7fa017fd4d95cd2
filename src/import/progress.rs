//! [`RowCounter`]: counts the rows an importer reads and, only when standard error is a
//! terminal, keeps a line there saying how many and how fast (logs and pipes never receive it).
//! This is the one place under `import/` that writes anywhere; the command line's bar over the
//! dates of a series is `cli::progress::Progress`.

use std::io::{IsTerminal, Write};
use std::time::Instant;

/// Counts rows and redraws `label: N rows (R rows/s)` at most every half second.
pub struct RowCounter {
    enabled: bool,
    label: String,
    start: Instant,
    last: Instant,
    rows: u64,
}

impl RowCounter {
    /// A progress line that shows only if standard error is a terminal.
    pub fn stderr(label: &str) -> RowCounter {
        RowCounter::new(label, std::io::stderr().is_terminal())
    }

    /// A progress line that never shows (for tests and library use).
    pub fn hidden() -> RowCounter {
        RowCounter::new("", false)
    }

    fn new(label: &str, enabled: bool) -> RowCounter {
        let now = Instant::now();
        RowCounter {
            enabled,
            label: label.to_string(),
            start: now,
            last: now,
            rows: 0,
        }
    }

    /// Counts one row.
    #[inline]
    pub fn tick(&mut self) {
        self.rows += 1;
        if self.enabled && self.rows % 4096 == 0 {
            let now = Instant::now();
            if now.duration_since(self.last).as_millis() >= 500 {
                self.last = now;
                self.draw();
            }
        }
    }

    fn draw(&self) {
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let rate = self.rows as f64 / secs;
        let mut e = std::io::stderr().lock();
        let _ = write!(
            e,
            "\r{}: {} rows ({:.0} rows/s)\x1b[K",
            self.label, self.rows, rate
        );
        let _ = e.flush();
    }

    /// Clears the line (if one was drawn).
    pub fn finish(&mut self) {
        if self.enabled && self.last != self.start {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[K");
            let _ = e.flush();
        }
    }
}
