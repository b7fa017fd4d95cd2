//! Writing CSV text: the one quoting rule every CSV writer of entente uses.

use std::borrow::Cow;

/// A CSV field, quoted when it needs to be: RFC 4180's rule (a comma, a double quote, CR or LF
/// inside; quotes doubled) plus leading or trailing whitespace, which readers that trim
/// unquoted fields (ours among them) would otherwise lose. Anything else is written as is.
///
/// ```
/// use entente::base::csv::field;
/// assert_eq!(field("CSTO"), "CSTO");
/// assert_eq!(field("a,b"), "\"a,b\"");
/// assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
/// assert_eq!(field(" padded"), "\" padded\"");
/// ```
pub fn field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// A `csv` crate writer's error as the `io::Error` under it, so that its kind survives (a closed
/// pipe stays `BrokenPipe`, which the output layer treats as success); other errors as `Other`.
pub fn io_error(e: ::csv::Error) -> std::io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::field;
    use std::borrow::Cow;

    #[test]
    fn plain_fields_are_borrowed_unchanged() {
        for s in ["", "RUS", "a b", "Kyrgyz Republic", "é"] {
            assert!(matches!(field(s), Cow::Borrowed(_)), "{s:?}");
            assert_eq!(field(s), s);
        }
    }

    #[test]
    fn special_characters_and_edge_whitespace_are_quoted() {
        assert_eq!(field("a\nb"), "\"a\nb\"");
        assert_eq!(field("a\rb"), "\"a\rb\"");
        assert_eq!(field("x \"y\", z"), "\"x \"\"y\"\", z\"");
        assert_eq!(field("tail "), "\"tail \"");
        assert_eq!(field("\tlead"), "\"\tlead\"");
    }
}
