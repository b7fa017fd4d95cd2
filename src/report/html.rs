//! The report's `index.html`: one static page (no scripts, no external resources) built from a
//! small document model. Every string is HTML-escaped when the page is rendered, so dataset text
//! (names, notes, ids) can never become markup.

/// Escapes text for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`) and drops the
/// control characters HTML forbids (NUL, ESC, …).
///
/// ```
/// use entente::report::html::escape;
/// assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
/// assert_eq!(escape("a\"b'c&d"), "a&quot;b&#39;c&amp;d");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // NUL, ESC and other controls HTML forbids are dropped (see base::text::html_text).
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') => {}
            c => out.push(c),
        }
    }
    out
}

/// A page: a title, introductory paragraphs and sections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The page title.
    pub title: String,
    /// Paragraphs before the first section.
    pub intro: Vec<String>,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

/// A section with a heading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// The section's heading.
    pub heading: String,
    /// Its items, in order.
    pub items: Vec<Item>,
}

/// A block of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A paragraph of text.
    Paragraph(String),
    /// An image file in the same folder, with its alternative text and caption.
    Figure {
        /// The image file, relative to the page.
        src: String,
        /// Its alternative text.
        alt: String,
        /// Its caption.
        caption: String,
    },
    /// A table; the first column is a row header.
    Table {
        /// The table's caption.
        caption: String,
        /// Column headings.
        header: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
    },
    /// A list of (term, text) rows, e.g. dated events.
    Definitions(Vec<(String, String)>),
}

impl Page {
    /// The images the page shows, in order.
    pub fn images(&self) -> Vec<&str> {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .filter_map(|i| match i {
                Item::Figure { src, .. } => Some(src.as_str()),
                _ => None,
            })
            .collect()
    }
}

const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1640px;margin:0 auto;padding:1em 2em;color:#222;line-height:1.45;overflow-wrap:break-word}\
h1{font-size:1.8em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}\
figcaption{color:#444;max-width:60em;margin-top:.4em}\
table{border-collapse:collapse;margin:1em 0;font-size:.92em}caption{text-align:left;font-weight:bold;padding:.3em 0}\
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}th:first-child,td:first-child,td.t,td.u{text-align:left}td.u{overflow-wrap:anywhere}\
th{background:#f3f3f3}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}\
nav a{margin-right:1em}";

/// Renders the page as a complete HTML document.
pub fn render(page: &Page) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!("<title>{}</title>\n", escape(&page.title)));
    h.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    h.push_str(&format!("<h1>{}</h1>\n", escape(&page.title)));
    for p in &page.intro {
        h.push_str(&format!("<p>{}</p>\n", escape(p)));
    }
    if page.sections.len() > 1 {
        h.push_str("<nav>");
        for (k, s) in page.sections.iter().enumerate() {
            h.push_str(&format!("<a href=\"#s{k}\">{}</a>", escape(&s.heading)));
        }
        h.push_str("</nav>\n");
    }
    for (k, s) in page.sections.iter().enumerate() {
        h.push_str(&format!("<h2 id=\"s{k}\">{}</h2>\n", escape(&s.heading)));
        for item in &s.items {
            render_item(&mut h, item);
        }
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// Whether a cell reads as a number (right-aligned; text is left-aligned): digits with an
/// optional sign (`-` or `−`), point and exponent, or the "–" of a missing value.
fn is_number(c: &str) -> bool {
    let t = c.trim();
    let t = t.strip_prefix(['-', '\u{2212}', '+']).unwrap_or(t);
    t == "–" || (!t.is_empty() && t.parse::<f64>().is_ok() && !t.contains(['i', 'n', 'N', 'I']))
}

fn render_item(h: &mut String, item: &Item) {
    match item {
        Item::Paragraph(t) => h.push_str(&format!("<p>{}</p>\n", escape(t))),
        Item::Figure { src, alt, caption } => h.push_str(&format!(
            "<figure>\n<img src=\"{}\" alt=\"{}\" loading=\"lazy\">\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(src),
            escape(alt),
            escape(caption)
        )),
        Item::Table {
            caption,
            header,
            rows,
        } => {
            h.push_str("<table>\n");
            if !caption.is_empty() {
                h.push_str(&format!("<caption>{}</caption>\n", escape(caption)));
            }
            h.push_str("<thead><tr>");
            for c in header {
                h.push_str(&format!("<th scope=\"col\">{}</th>", escape(c)));
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            for row in rows {
                h.push_str("<tr>");
                for (i, c) in row.iter().enumerate() {
                    if i == 0 {
                        h.push_str(&format!("<th scope=\"row\">{}</th>", escape(c)));
                    } else if is_number(c) {
                        h.push_str(&format!("<td>{}</td>", escape(c)));
                    } else {
                        // A long unbroken token (an address) may break anywhere, so that it
                        // cannot widen the page; other text breaks between words only.
                        let class = if c.split_whitespace().any(|w| w.chars().count() > 40) {
                            "u"
                        } else {
                            "t"
                        };
                        h.push_str(&format!("<td class=\"{class}\">{}</td>", escape(c)));
                    }
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody>\n</table>\n");
        }
        Item::Definitions(rows) => {
            h.push_str("<dl>\n");
            for (t, d) in rows {
                h.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(t), escape(d)));
            }
            h.push_str("</dl>\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_align_right_and_text_left() {
        for n in ["0.25", "\u{2212}0.25", "-3", "\u{2013}", "1e-3", "200"] {
            assert!(is_number(n), "{n}");
        }
        for t in ["holds", "NaN", "inf", "", "2020-01-01", "CSTO / ARM"] {
            assert!(!is_number(t), "{t}");
        }
        let page = Page {
            title: "t".into(),
            intro: Vec::new(),
            sections: vec![Section {
                heading: "s".into(),
                items: vec![Item::Table {
                    caption: String::new(),
                    header: vec!["a".into(), "b".into(), "c".into()],
                    rows: vec![vec!["x".into(), "0.5".into(), "holds".into()]],
                }],
            }],
        };
        let h = render(&page);
        assert!(h.contains("<td>0.5</td><td class=\"t\">holds</td>"), "{h}");
        let long = "https://example.org/a/very/long/address/that/has/no/spaces/at/all";
        let page = Page {
            sections: vec![Section {
                heading: "s".into(),
                items: vec![Item::Table {
                    caption: String::new(),
                    header: vec!["a".into(), "b".into()],
                    rows: vec![vec!["x".into(), long.into()]],
                }],
            }],
            ..page
        };
        assert!(render(&page).contains(&format!("<td class=\"u\">{long}</td>")));
    }

    #[test]
    fn every_string_is_escaped() {
        let evil = "<script>alert(1)</script>\"'&";
        let page = Page {
            title: evil.into(),
            intro: vec![evil.into()],
            sections: vec![
                Section {
                    heading: evil.into(),
                    items: vec![
                        Item::Paragraph(evil.into()),
                        Item::Figure {
                            src: "x\" onerror=\"alert(1).png".into(),
                            alt: evil.into(),
                            caption: evil.into(),
                        },
                        Item::Table {
                            caption: evil.into(),
                            header: vec![evil.into()],
                            rows: vec![vec![evil.into(), evil.into()]],
                        },
                        Item::Definitions(vec![(evil.into(), evil.into())]),
                    ],
                },
                Section::default(),
            ],
        };
        let h = render(&page);
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("\" onerror"));
        // title twice, intro, nav, heading, paragraph, alt, caption, table caption, header,
        // row header, cell, term, definition.
        assert_eq!(h.matches("&lt;script&gt;").count(), 14);
        assert!(!h.to_ascii_lowercase().contains("<script"));
        assert!(!h.contains("http://") && !h.contains("https://"));
    }
}
