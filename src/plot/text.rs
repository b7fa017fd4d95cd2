//! Fitting text into a width: word wrapping (breaking words longer than a line) and truncation
//! with an ellipsis. Widths come from a measuring function so the rules are testable without a
//! font.

/// Wraps `text` into lines no wider than `max` as measured by `width`; words longer than a line
/// are broken between characters. Whitespace runs collapse to one space; an empty text gives no
/// lines.
///
/// ```
/// use entente::plot::text::wrap;
/// let w = |s: &str| s.chars().count() as f64;
/// assert_eq!(wrap("the quick brown fox", 9.0, &w), ["the quick", "brown fox"]);
/// assert_eq!(wrap("abcdefghij", 4.0, &w), ["abcd", "efgh", "ij"]);
/// ```
pub fn wrap(text: &str, max: f64, width: &dyn Fn(&str) -> f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if width(&candidate) <= max {
            cur = candidate;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if width(word) <= max {
            cur = word.to_string();
            continue;
        }
        // Break a word that does not fit on a line of its own.
        for ch in word.chars() {
            let mut next = cur.clone();
            next.push(ch);
            if width(&next) > max && !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
                cur.push(ch);
            } else {
                cur = next;
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// `text` shortened with a trailing `…` so that it fits `max` (the text itself when it fits).
///
/// ```
/// use entente::plot::text::truncate;
/// let w = |s: &str| s.chars().count() as f64;
/// assert_eq!(truncate("Armenia", 10.0, &w), "Armenia");
/// assert_eq!(truncate("Kazakhstan", 5.0, &w), "Kaza…");
/// ```
pub fn truncate(text: &str, max: f64, width: &dyn Fn(&str) -> f64) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search on the number of characters kept.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let s: String = chars[..mid].iter().collect::<String>() + "…";
        if width(&s) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    format!("{}…", kept.trim_end())
}

/// Wraps into at most `max_lines` lines, the last one truncated with `…` if text remains.
pub fn wrap_lines(
    text: &str,
    max: f64,
    max_lines: usize,
    width: &dyn Fn(&str) -> f64,
) -> Vec<String> {
    let mut lines = wrap(text, max, width);
    if max_lines > 0 && lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(truncate(&(rest + " …"), max, width));
        if let Some(last) = lines.last_mut() {
            // `truncate` keeps the text if it fits; make sure the cut is visible.
            if !last.ends_with('…') {
                last.push('…');
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> f64 {
        s.chars().count() as f64
    }

    #[test]
    fn wraps_every_line_within_width() {
        let t =
            "Azerbaijan attacks Armenian territory; the CSTO declines Armenia's request for help";
        for max in [5.0, 12.0, 30.0] {
            let lines = wrap(t, max, &w);
            assert!(lines.iter().all(|l| w(l) <= max), "{lines:?}");
            let joined: String = lines.concat();
            let orig: String = t.split_whitespace().collect();
            assert_eq!(joined.replace(' ', ""), orig);
        }
        assert!(wrap("   ", 10.0, &w).is_empty());
    }

    #[test]
    fn limits_lines_and_marks_the_cut() {
        let lines = wrap_lines("one two three four five six", 9.0, 2, &w);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| w(l) <= 9.0), "{lines:?}");
        assert_eq!(truncate("abc", 0.0, &w), "…");
    }
}
