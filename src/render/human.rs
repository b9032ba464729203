//! The `human` format of `check`: miette's graphical reports, one per diagnostic, with
//! the source lines and a label under the exact tag.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity};

use crate::render::{is_bidi, terminal_safe};
use crate::rules::{Diagnostic, Level};

/// Renders diagnostics as miette reports. Built once per run and shared by the worker
/// threads, so that every report looks the same.
pub struct Human {
    handler: GraphicalReportHandler,
}

impl Human {
    /// A renderer with colour or without, wrapping at `width` columns. Terminal links
    /// are off: they are noise in a CI log, and a report must read the same everywhere.
    pub fn new(color: bool, width: usize) -> Self {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Human {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_links(false)
                .with_width(width)
                // A path or `@due(YYYY-MM-DD)` split across lines can't be copied.
                .with_break_words(false)
                .with_context_lines(1),
        }
    }

    /// Render one note's diagnostics. `text` is the note's text, which spans point into.
    pub fn note(&self, diagnostics: &[Diagnostic], text: &str, out: &mut String) {
        let Some(first) = diagnostics.first() else {
            return;
        };
        let source = NamedSource::new(terminal_safe(&first.path), snippet_text(text));
        for d in diagnostics {
            let report = Report { d, source: &source };
            // Writing to a String cannot fail; a render error would be miette's own bug,
            // and then the concise line still says what is wrong.
            if self.handler.render_report(out, &report).is_err() {
                out.push_str(&format!(
                    "{}:{}:{}: {}\n",
                    terminal_safe(&d.path),
                    d.line,
                    d.column,
                    terminal_safe(&d.finding.message)
                ));
            }
            out.push('\n');
        }
    }
}

/// The note's text as miette may print it: the same bytes at the same offsets (so that
/// spans still point at the right characters), with every control character that could
/// act on a terminal replaced by something inert of the same length. A CR of a CRLF
/// becomes a space (miette would print it); a lone CR ends a line, as it does for us.
fn snippet_text(text: &str) -> String {
    if !text
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi(c))
    {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => out.push(' '),
            '\r' => out.push('\n'),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {
                // One `?` per byte keeps every later offset where it was.
                out.extend(std::iter::repeat('?').take(c.len_utf8()));
            }
            // U+FFFD is three bytes, like every bidi control.
            c if is_bidi(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// One diagnostic as miette sees it.
struct Report<'a> {
    d: &'a Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&terminal_safe(&self.d.finding.message))
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.d.rule()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.d.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(terminal_safe(&self.d.finding.help)))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = &self.d.finding;
        let primary = LabeledSpan::new_primary_with_span(
            Some(terminal_safe(&f.label).into_owned()),
            f.span.clone(),
        );
        let also = f.also.as_ref().map(|(span, label)| {
            LabeledSpan::new_with_span(Some(terminal_safe(label).into_owned()), span.clone())
        });
        Some(Box::new(std::iter::once(primary).chain(also)))
    }
}

#[cfg(test)]
mod tests {
    use super::snippet_text;

    #[test]
    fn snippet_text_keeps_every_offset() {
        for text in [
            "plain\n",
            "crlf\r\nline\r\n",
            "lone\rcr",
            "esc \x1b[31m red\n",
            "c1 \u{9b}31m\n",
            "bidi \u{202E}txet\n",
            "tab\tok\n",
        ] {
            let safe = snippet_text(text);
            assert_eq!(safe.len(), text.len(), "{text:?}");
            assert!(
                !safe
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{safe:?}"
            );
            for (i, _) in text.char_indices() {
                assert!(safe.is_char_boundary(i), "{text:?} at {i}");
            }
        }
        assert_eq!(snippet_text("a\r\nb\rc"), "a \nb\nc");
    }
}
