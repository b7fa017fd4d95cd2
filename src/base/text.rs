//! Making dataset text safe for where it is shown. Dataset strings (ids, names, notes) may hold
//! any Unicode; three outputs need them tamed:
//!
//! - XML (SVG, GEXF, GraphML): characters XML 1.0 forbids (control characters other than tab,
//!   newline and carriage return; U+FFFE, U+FFFF) make the file unreadable, so
//!   [`xml_text`] replaces them with U+FFFD, and [`xml_escape`] also writes the five special
//!   characters as entities. Every XML writer uses these two.
//! - Terminals: [`for_terminal`] writes control characters (ESC, BEL, …) and bidirectional
//!   overrides (U+202A–U+202E, U+2066–U+2069, …) as visible `\u{…}` escapes, the way error
//!   messages quote values, so a dataset cannot move the cursor, recolour the terminal or
//!   reorder what a table shows. Newlines are kept (they separate the table's rows).
//! - HTML: [`html_text`] drops NUL, ESC and the other C0/C1 controls, which HTML forbids.

use std::borrow::Cow;

/// Whether XML 1.0 allows `c` in a document.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// Text with every character XML 1.0 forbids replaced by U+FFFD (no entity escaping: for
/// writers that escape `<`, `&`, … themselves).
///
/// ```
/// assert_eq!(entente::base::text::xml_text("a\u{0}b\u{1b}c\u{fffe}"), "a\u{fffd}b\u{fffd}c\u{fffd}");
/// ```
pub fn xml_text(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if xml_allowed(c) { c } else { '\u{fffd}' })
                .collect(),
        )
    }
}

/// Escapes text for XML content and attribute values: the five special characters become
/// entities, tab/newline/carriage return become character references (so attribute values keep
/// them), and characters XML 1.0 forbids become U+FFFD.
///
/// ```
/// assert_eq!(entente::base::text::xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{fffd}");
/// ```
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' => o.push_str("&#9;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            c if !xml_allowed(c) => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// Whether `c` is a bidirectional formatting character (marks, embeddings, overrides,
/// isolates): shown raw, they reorder the text around them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal: control characters other than newline, and bidirectional formatting
/// characters, written as `\u{…}` escapes (tab as `\t`).
///
/// ```
/// use entente::base::text::for_terminal;
/// assert_eq!(for_terminal("ARM\u{1b}[31m\u{202e}x\ny"), "ARM\\u{1b}[31m\\u{202e}x\ny");
/// ```
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n') || is_bidi_control(c);
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c == '\t' {
            o.push_str("\\t");
        } else if bad(c) {
            o.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            o.push(c);
        }
    }
    Cow::Owned(o)
}

/// Text for HTML with the control characters HTML forbids removed (NUL, ESC, the rest of C0
/// except tab, newline, carriage return and form feed; DEL and C1).
///
/// ```
/// assert_eq!(entente::base::text::html_text("a\u{0}b\u{1b}[1mc\td"), "ab[1mc\td");
/// ```
pub fn html_text(s: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
    if s.chars().any(bad) {
        Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// The longest line of a diagnostic, in characters: longer lines are cut in the middle
/// ([`cut_long_lines`]).
pub const MAX_DIAGNOSTIC_LINE_CHARS: usize = 1000;

/// Each line longer than `max` characters cut in the middle, keeping its start and its end (where
/// a message says what was expected) around `… [N characters left out] …`. The safety net under
/// every diagnostic: a message that quotes a megabyte value whole must not flood the terminal.
///
/// ```
/// use entente::base::text::cut_long_lines;
/// assert_eq!(cut_long_lines("short\nlines", 20), "short\nlines");
/// let long = format!("bad value \"{}\" (expected a date)", "x".repeat(5000));
/// let cut = cut_long_lines(&long, 100);
/// assert!(cut.starts_with("bad value \"xxx") && cut.ends_with("\" (expected a date)"));
/// assert!(cut.contains("characters left out") && cut.chars().count() < 140);
/// ```
pub fn cut_long_lines(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max || s.lines().all(|l| l.chars().count() <= max) {
        return Cow::Borrowed(s);
    }
    let (head, tail) = (max * 2 / 3, max / 3);
    let mut out = String::with_capacity(max * 2);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let n = line.chars().count();
        if n <= max {
            out.push_str(line);
            continue;
        }
        out.extend(line.chars().take(head));
        out.push_str(&format!(" … [{} characters left out] … ", n - head - tail));
        out.extend(line.chars().skip(n - tail));
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_in_the_middle_and_short_ones_kept() {
        let line = format!("a{}z", "é".repeat(3000));
        let text = format!("first\n{line}\nlast");
        let cut = cut_long_lines(&text, 300).into_owned();
        let lines: Vec<&str> = cut.split('\n').collect();
        assert_eq!(lines.len(), 3);
        assert_eq!((lines[0], lines[2]), ("first", "last"));
        assert!(lines[1].starts_with('a') && lines[1].ends_with('z'));
        assert!(
            lines[1].contains("[2702 characters left out]"),
            "{}",
            lines[1]
        );
        assert!(lines[1].chars().count() < 350);
        assert!(matches!(cut_long_lines("a\nb", 1), Cow::Borrowed(_)));
    }

    #[test]
    fn every_forbidden_xml_character_is_replaced() {
        for c in (0u32..0x20)
            .chain([0xfffe, 0xffff])
            .filter_map(char::from_u32)
        {
            let t = xml_text(&format!("a{c}b")).into_owned();
            let want = if matches!(c, '\t' | '\n' | '\r') {
                format!("a{c}b")
            } else {
                "a\u{fffd}b".to_string()
            };
            assert_eq!(t, want, "U+{:04X}", c as u32);
        }
        assert!(matches!(xml_text("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn terminal_text_has_no_raw_controls_or_overrides() {
        let hostile = "\u{1b}]0;title\u{7}\u{9b}\u{202e}\u{2066}\r\u{8}\t";
        let t = for_terminal(hostile);
        assert!(
            !t.chars().any(|c| c.is_control() || is_bidi_control(c)),
            "{t:?}"
        );
        assert_eq!(for_terminal("a\nb"), "a\nb");
    }

    #[test]
    fn html_text_drops_nul_and_esc() {
        assert_eq!(html_text("\u{0}x\u{1b}y\u{85}z"), "xyz");
        assert_eq!(html_text("a\nb"), "a\nb");
    }
}
