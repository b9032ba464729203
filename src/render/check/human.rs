//! The `human` format of `check`: miette's graphical reports, one per diagnostic, with
//! the source lines and a label under the exact tag.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, Severity,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Emitter, Rendered, Renderer};
use crate::fs::source::LineIndex;
use crate::rules::{Diagnostic, Level};
use crate::text::{is_bidi, terminal_safe};

/// Renders diagnostics as miette reports. Built once per run and shared by the worker
/// threads, so that every report looks the same. Also the human format's emitter: each
/// note's reports as they come.
#[derive(Clone)]
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
        let source = Source::new(terminal_safe(&first.path).into_owned(), snippet_text(text));
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

impl Emitter for Human {
    fn renderer(&self) -> Renderer {
        let human = self.clone();
        Renderer::new(move |diagnostics, text| {
            let mut out = String::new();
            human.note(diagnostics, text, &mut out);
            Rendered::text(out)
        })
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

/// A note's text for miette, with its line index. miette's own `read_span` counts lines
/// from the start of the text for every label it draws, so a long note with many findings
/// took time quadratic in its length (a fifth of `check`'s human output). This hands
/// miette only the text from the line before the first context line on, and shifts its
/// answer back: the same answer (a property test checks it against miette's).
struct Source {
    name: String,
    text: String,
    index: LineIndex,
}

impl Source {
    fn new(name: String, text: String) -> Source {
        let index = LineIndex::new(&text);
        Source { name, text, index }
    }
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let line = self.index.line(span.offset()).saturating_sub(1);
        // One line more than the context: miette looks at the character before an empty
        // span, which may end the line before.
        let skipped = line.saturating_sub(context_lines_before + 1);
        let start = self.index.line_start(skipped + 1).min(span.offset());
        let window = &self.text.as_bytes()[start..];
        let local = SourceSpan::new((span.offset() - start).into(), span.len());
        let c = window.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            SourceSpan::new((c.span().offset() + start).into(), c.span().len()),
            c.line() + skipped,
            c.column(),
            c.line_count() + skipped,
        )))
    }
}

/// One diagnostic as miette sees it.
struct Report<'a> {
    d: &'a Diagnostic,
    source: &'a Source,
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
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The line-indexed source answers exactly what miette's own would, for any text
        /// and span (what snippet_text makes: `\n` line ends, no CR).
        #[test]
        fn indexed_source_reads_spans_like_miette(
            text in "[ab\n]{0,80}",
            start in 0usize..90,
            len in 0usize..20,
            before in 0usize..3,
            after in 0usize..3,
        ) {
            // Spans always lie within the text (miette itself panics otherwise).
            let start = start.min(text.len());
            let len = len.min(text.len() - start);
            let ours = Source::new("n.md".to_owned(), text.clone());
            let theirs = miette::NamedSource::new("n.md", text.clone());
            let span = SourceSpan::new(start.into(), len);
            let a = ours.read_span(&span, before, after);
            let b = theirs.read_span(&span, before, after);
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    prop_assert_eq!(a.data(), b.data());
                    prop_assert_eq!(a.span(), b.span());
                    prop_assert_eq!(a.line(), b.line());
                    prop_assert_eq!(a.column(), b.column());
                    prop_assert_eq!(a.line_count(), b.line_count());
                    prop_assert_eq!(a.name(), b.name());
                }
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "{:?} vs {:?}", a.is_ok(), b.is_ok()),
            };
        }
    }

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
