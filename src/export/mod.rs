//! Exporters: the graph for other tools. [`gexf`] writes the whole timeline as a dynamic GEXF 1.3
//! graph for Gephi's timeline; [`graphml`] and [`csv`] write the graph at one date. Writers take
//! a `dyn Write` and do no other IO; their output is deterministic.

pub mod csv;
pub mod gexf;
pub mod graphml;

/// Escapes text for XML content and attribute values: the five special characters become
/// entities, tab/newline/carriage return become character references (so attribute values keep
/// them), and characters XML 1.0 forbids (other control characters, U+FFFE/U+FFFF) become
/// U+FFFD.
///
/// ```
/// assert_eq!(entente::export::xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{fffd}");
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
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}
