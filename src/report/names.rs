//! File names built from dataset strings (alliance ids, the dataset name): reduced to a safe,
//! portable alphabet so that no id can leave the output folder (`../../x`), create a sub-folder
//! (`A/B`), or break on another system (Windows device names such as `CON`, trailing dots,
//! over-long names), and made unique within a run.

use std::collections::BTreeSet;

/// Windows device names, reserved with any extension and in any case.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The longest name part kept (bytes; the alphabet is ASCII).
const MAX_LEN: usize = 60;

/// A portable name part: ASCII letters, digits, `-` and `_` kept; `.` kept between other
/// characters; every other run of characters becomes one `_`; never empty, never starting with
/// `.` or `-`, never a Windows device name, at most 60 characters.
///
/// ```
/// use entente::report::names::sanitize;
/// assert_eq!(sanitize("../../x"), "x");
/// assert_eq!(sanitize("A/B"), "A_B");
/// assert_eq!(sanitize("CON"), "_CON");
/// assert_eq!(sanitize("Union State"), "Union_State");
/// assert_eq!(sanitize("…"), "_");
/// ```
pub fn sanitize(s: &str) -> String {
    let mut out = String::new();
    let mut pending_sep = false;
    for ch in s.chars() {
        let keep = ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' || ch == '.';
        if keep {
            if pending_sep && !out.is_empty() {
                out.push('_');
            }
            pending_sep = false;
            out.push(ch);
        } else {
            pending_sep = true;
        }
    }
    // No leading dots or dashes (hidden files, "..", flags); no trailing dots (Windows).
    let trimmed = out
        .trim_start_matches(['.', '-', '_'])
        .trim_end_matches('.')
        .to_string();
    // Collapse ".." anywhere (harmless inside a name, but keep names boring).
    let mut name = trimmed;
    while name.contains("..") {
        name = name.replace("..", ".");
    }
    if name.len() > MAX_LEN {
        name.truncate(MAX_LEN);
        name = name.trim_end_matches('.').to_string();
    }
    if name.is_empty() {
        return "_".to_string();
    }
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        name.insert(0, '_');
    }
    name
}

/// Hands out unique file names within one output folder: names are compared case-insensitively
/// (as on macOS and Windows) and a clash gets `-2`, `-3`, … before the extension.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// A namer with no names taken yet.
    pub fn new() -> Namer {
        Namer::default()
    }

    /// Reserves a fixed name (e.g. `index.html`) so generated names avoid it.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_ascii_lowercase());
    }

    /// A unique name `prefix-<sanitised part>.<ext>` (`prefix.<ext>` when `part` is empty).
    ///
    /// ```
    /// use entente::report::names::Namer;
    /// let mut n = Namer::new();
    /// assert_eq!(n.name("members", "A/B", "png"), "members-A_B.png");
    /// assert_eq!(n.name("members", "A_B", "png"), "members-A_B-2.png");
    /// assert_eq!(n.name("members", "a_b", "png"), "members-a_b-3.png");
    /// ```
    pub fn name(&mut self, prefix: &str, part: &str, ext: &str) -> String {
        let stem = if part.is_empty() {
            sanitize(prefix)
        } else {
            format!("{}-{}", sanitize(prefix), sanitize(part))
        };
        let mut k = 1;
        loop {
            let candidate = if k == 1 {
                format!("{stem}.{ext}")
            } else {
                format!("{stem}-{k}.{ext}")
            };
            if self.taken.insert(candidate.to_ascii_lowercase()) {
                return candidate;
            }
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_escapes_or_breaks() {
        for (input, want) in [
            ("../../x", "x"),
            ("..", "_"),
            (".", "_"),
            ("", "_"),
            ("/etc/passwd", "etc_passwd"),
            ("C:\\Windows\\system32", "C_Windows_system32"),
            ("A/B", "A_B"),
            ("con", "_con"),
            ("Nul.txt", "_Nul.txt"),
            ("com1", "_com1"),
            ("COM10", "COM10"),
            ("name.", "name"),
            ("-rf", "rf"),
            ("a..b", "a.b"),
            ("Армения", "_"),
            ("NATO (1949)", "NATO_1949"),
            ("<script>alert(1)</script>", "script_alert_1_script"),
        ] {
            assert_eq!(sanitize(input), want, "{input:?}");
        }
        let long = "x".repeat(500);
        assert_eq!(sanitize(&long).len(), MAX_LEN);
        for s in [
            "../../x",
            "A/B",
            "CON",
            "..",
            "a\\b",
            "x\0y",
            "\u{202e}evil",
        ] {
            let n = sanitize(s);
            assert!(!n.contains('/') && !n.contains('\\') && !n.contains('\0'));
            assert!(!n.starts_with('.') && n != "..");
            assert!(n.is_ascii());
        }
    }

    #[test]
    fn names_are_unique_ignoring_case_and_avoid_reserved() {
        let mut n = Namer::new();
        n.reserve("index.html");
        assert_eq!(n.name("index", "", "html"), "index-2.html");
        assert_eq!(
            n.name("network", "2024-02-26", "png"),
            "network-2024-02-26.png"
        );
        assert_eq!(
            n.name("network", "2024-02-26", "png"),
            "network-2024-02-26-2.png"
        );
    }
}
