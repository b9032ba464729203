//! The `human` format of `check`: miette's graphical reports, one per diagnostic, with
//! the source lines and a label under the exact tag. The common report (one label on one
//! line) is drawn by `snippet.rs`, byte for byte as miette would draw it.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, Severity,
    SourceCode, SourceSpan, SpanContents,
};

use super::snippet::{Fast, Shown, BREAK_WORDS};
use super::{Emitter, Rendered, Renderer};
use crate::fs::source::{floor_char_boundary, LineIndex};
use crate::rules::{Diagnostic, Level};
use crate::text::{has_unsafe_in_lines, is_bidi, shown_path, terminal_safe};

/// Renders diagnostics as miette reports. Built once per run and shared by the worker
/// threads, so that every report looks the same. Also the human format's emitter: each
/// note's reports as they come.
#[derive(Clone)]
pub struct Human {
    handler: GraphicalReportHandler,
    fast: Fast,
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
            handler: GraphicalReportHandler::new_themed(theme.clone())
                .with_links(false)
                .with_width(width)
                .with_break_words(BREAK_WORDS)
                .with_context_lines(1),
            fast: Fast::new(theme, width),
        }
    }

    /// Render one note's diagnostics. `text` is the note's text, which spans point into.
    /// Each report gets its own small excerpt of the note (the lines it shows, long ones
    /// cut around the labels), so a report costs the same whatever the note's size, and
    /// miette is never handed a column it cannot format (it panics past 65,535).
    pub fn note(&self, diagnostics: &[Diagnostic], text: &str, out: &mut String) {
        let Some(first) = diagnostics.first() else {
            return;
        };
        let name = shown_path(&first.path);
        let text = snippet_text(text);
        let index = LineIndex::new(&text);
        // Each excerpt is made just before its report and dropped after it: a note with
        // 92,000 findings held 44 MB of excerpts at once.
        for d in diagnostics {
            let excerpt = Excerpt::new(d, &text, &index);
            out.reserve(report_size(d, &excerpt) + name.len());
            if !self.fast.report(d, &name, &excerpt.shown(), out) {
                self.miette(d, &name, excerpt, out);
            }
            out.push('\n');
        }
    }

    /// One report drawn by miette.
    fn miette(&self, d: &Diagnostic, name: &str, excerpt: Excerpt, out: &mut String) {
        let mut source = Source::new(name.to_owned(), excerpt.text, excerpt.first_line);
        source.header = Some((excerpt.primary.start, d.column.saturating_sub(1)));
        let report = Report {
            d,
            source: &source,
            primary: excerpt.primary,
            also: excerpt.also,
        };
        // Writing to a String cannot fail; a render error would be miette's own bug,
        // and then the concise line still says what is wrong.
        if self.handler.render_report(out, &report).is_err() {
            out.push_str(&format!(
                "{}:{}:{}: {}\n",
                shown_path(&d.path),
                d.line,
                d.column,
                terminal_safe(&d.finding.message)
            ));
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

/// About how long a report is, in bytes, without its note's name: its texts, the
/// excerpt's lines, and under one of them an underline of up to three bytes a column;
/// plus the frame (rule, gutters, header, help's indent).
fn report_size(d: &Diagnostic, excerpt: &Excerpt) -> usize {
    let f = &d.finding;
    f.message.len() + f.label.len() + f.help.len() + 4 * excerpt.text.len() + 128
}

/// The note's text as miette may print it: the same bytes at the same offsets (so that
/// spans still point at the right characters), with every control character that could
/// act on a terminal replaced by something inert of the same length. A CR of a CRLF
/// becomes a space (miette would print it); a lone CR ends a line, as it does for us.
fn snippet_text(text: &str) -> Cow<'_, str> {
    if !has_unsafe_in_lines(text) {
        return Cow::Borrowed(text);
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
    Cow::Owned(out)
}

/// The longest source line a report shows, in bytes: a longer line is cut around its
/// labels, as rustc does, and marked with `…` where it was cut.
const MAX_LINE: usize = 160;

/// How much of a cut line is kept before its first label, in bytes.
const MARGIN: usize = 40;

/// The lines one report shows, taken from the note: from the line before its first label
/// to the line after its last, each cut to [`MAX_LINE`] around the labels on it; and the
/// labels' spans moved into it. Built in time proportional to what is shown.
struct Excerpt {
    text: String,
    /// The note's line number of the excerpt's first line.
    first_line: usize,
    primary: Range<usize>,
    also: Option<Range<usize>>,
}

impl Excerpt {
    /// What the report shows, for the hand-drawn report.
    fn shown(&self) -> Shown<'_> {
        Shown {
            text: &self.text,
            first_line: self.first_line,
            span: self.primary.clone(),
        }
    }

    fn new(d: &Diagnostic, text: &str, index: &LineIndex) -> Excerpt {
        let clamp = |r: &Range<usize>| {
            let start = floor_char_boundary(text, r.start);
            start..floor_char_boundary(text, r.end).max(start)
        };
        let primary = clamp(&d.finding.span);
        let also = d.finding.also.as_ref().map(|(r, _)| clamp(r));
        let spans: Vec<&Range<usize>> = std::iter::once(&primary).chain(also.as_ref()).collect();
        let last_line = index.line(text.len());
        let line_of = |o: usize| index.line(o);
        let lo = spans.iter().map(|r| line_of(r.start)).min().unwrap_or(1);
        let hi = spans.iter().map(|r| line_of(r.end)).max().unwrap_or(1);
        let first_line = lo.saturating_sub(1).max(1);
        let last = (hi + 1).min(last_line);
        // Room for the longest lines: cut to MAX_LINE, an ellipsis at each end, a line end.
        let mut out = String::with_capacity((last + 1 - first_line) * (MAX_LINE + 7));
        // (line start, kept start, kept end, where the kept part starts in `out`)
        let mut kept: Vec<(usize, usize, usize, usize)> = Vec::with_capacity(last + 1 - first_line);
        for line in first_line..=last {
            let ls = index.line_start(line);
            let le = if line < last_line {
                index.line_start(line + 1) - 1
            } else {
                text.len()
            };
            let (mut ws, mut we) = (ls, le);
            if le - ls > MAX_LINE {
                let points: Vec<usize> = spans
                    .iter()
                    .flat_map(|r| [r.start, r.end])
                    .filter(|&o| (ls..=le).contains(&o))
                    .collect();
                let a = points.iter().copied().min();
                // A line inside a span that starts above it is shown from its start.
                let a = match a {
                    Some(a) if spans.iter().any(|r| r.start < ls && r.end > ls) => a.min(ls),
                    Some(a) => a,
                    None => ls,
                };
                ws = a.saturating_sub(MARGIN).max(ls);
                we = (ws + MAX_LINE).min(le);
                ws = we.saturating_sub(MAX_LINE).max(ls);
                ws = floor_char_boundary(text, ws);
                we = floor_char_boundary(text, we);
            }
            if ws > ls {
                out.push('…');
            }
            kept.push((ls, ws, we, out.len()));
            out.push_str(&text[ws..we]);
            if we < le {
                out.push('…');
            }
            // Every line but the note's last keeps its line end: miette shows an empty
            // last context line only when a line end follows it.
            if line < last_line {
                out.push('\n');
            }
        }
        let map = |o: usize| {
            let line = line_of(o).clamp(first_line, last);
            let (_, ws, we, at) = kept[line - first_line];
            at + o.clamp(ws, we) - ws
        };
        let moved = |r: &Range<usize>| {
            let start = map(r.start);
            start..map(r.end).max(start)
        };
        Excerpt {
            primary: moved(&primary),
            also: also.as_ref().map(moved),
            text: out,
            first_line,
        }
    }
}

/// A report's excerpt for miette, with its line index, numbered as in the note.
struct Source {
    name: String,
    text: String,
    index: LineIndex,
    /// The note's line number of the text's first line.
    first_line: usize,
    /// Where the primary label starts in the text and its column (0-based) in the note:
    /// miette's header `[path:line:col]` must name the note's column, not the excerpt's.
    header: Option<(usize, usize)>,
}

impl Source {
    fn new(name: String, text: String, first_line: usize) -> Source {
        let index = LineIndex::new(&text);
        Source {
            name,
            text,
            index,
            first_line,
            header: None,
        }
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
        let skipped = skipped + self.first_line - 1;
        let column = match self.header {
            Some((at, column))
                if at == span.offset() && context_lines_before + context_lines_after == 0 =>
            {
                column
            }
            _ => c.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            SourceSpan::new((c.span().offset() + start).into(), c.span().len()),
            c.line() + skipped,
            column,
            c.line_count() + skipped,
        )))
    }
}

/// One diagnostic as miette sees it, its spans moved into its excerpt.
struct Report<'a> {
    d: &'a Diagnostic,
    source: &'a Source,
    primary: Range<usize>,
    also: Option<Range<usize>>,
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
            self.primary.clone(),
        );
        let also = f
            .also
            .as_ref()
            .zip(self.also.clone())
            .map(|((_, label), span)| {
                LabeledSpan::new_with_span(Some(terminal_safe(label).into_owned()), span)
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
            let ours = Source::new("n.md".to_owned(), text.clone(), 1);
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

    /// Characters for notes and messages: ASCII, accents, a combining mark, CJK, an
    /// emoji and its variation selector, zero-width ones, a character miette's
    /// unicode-width (0.1) and ours (0.2) measure differently, a soft hyphen, tabs,
    /// hyphens, and controls that snippet_text and terminal_safe make inert.
    const CHARS: &str = "[a-z A-Z0-9@()\t\u{e9}\u{301}\u{4e2d}\u{3000}\u{1F4C5}\u{FE0F}\u{200D}\u{200B}\u{1AD0}\u{AD}\u{2026}\r\x1b\u{202E}\u{9b}-]";

    /// A note: lines of those characters, some long enough to be cut, joined by `\n`
    /// or `\r\n`, the last with a line end or without.
    fn note_text() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            4 => proptest::string::string_regex(&format!("{CHARS}{{0,30}}")).expect("regex"),
            1 => proptest::string::string_regex(&format!("{CHARS}{{150,260}}")).expect("regex"),
        ];
        (
            proptest::collection::vec(line, 1..6),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(lines, crlf, last_end)| {
                let end = if crlf { "\r\n" } else { "\n" };
                let mut text = lines.join(end);
                if last_end {
                    text.push_str(end);
                }
                text
            })
    }

    /// A message, label or help: up to about two lines at width 100.
    fn words() -> impl Strategy<Value = String> {
        proptest::string::string_regex(&format!("({CHARS}|[ ]{{1,3}}|\n){{0,130}}")).expect("regex")
    }

    /// A span in `text`: anywhere, at a line's start or end, or over a line's text.
    fn span_in(text: &str, at: usize, len: usize, mode: u8) -> Range<usize> {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line = at % starts.len();
        let start = starts[line];
        let end = starts.get(line + 1).map_or(text.len(), |&s| s - 1);
        match mode {
            0 => {
                let s = at % (text.len() + 1);
                s..(s + len).min(text.len())
            }
            1 => start..(start + len).min(text.len()),
            2 => end..(end + len % 2).min(text.len()),
            _ => start..end,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The hand-drawn report is byte for byte miette's, with and without colour, at
        /// any width, whenever it draws one; and it draws every report with one label on
        /// one line but an empty span at the note's very end (miette shows no label
        /// there).
        #[test]
        fn fast_reports_are_miettes(
            note in note_text(),
            (at, len, mode) in (0usize..2000, 0usize..40, 0u8..4),
            also in proptest::option::weighted(0.1, (0usize..2000, 0usize..10)),
            (message, label, help) in (words(), words(), words()),
            level in proptest::sample::select(Level::ALL.to_vec()),
            column in 0usize..300,
            (width, aim, slack) in (prop_oneof![1 => 0usize..30, 4 => 30usize..140], 0u8..3, 0usize..6),
            color in any::<bool>(),
        ) {
            // Half the time, a width at which the message or the help just fits, or not.
            let width = match aim {
                1 => textwrap::core::display_width(&terminal_safe(&message)) + 4 + slack,
                2 => textwrap::core::display_width(&terminal_safe(&help)) + 8 + slack,
                _ => width,
            };
            let span = span_in(&note, at, len, mode);
            let d = Diagnostic {
                path: "acme/2026-11-16-call.md".to_owned(),
                finding: crate::rules::Finding {
                    rule: crate::rules::Rule::ALL[at % crate::rules::Rule::ALL.len()],
                    message,
                    span: span.clone(),
                    label: label.clone(),
                    also: also.map(|(a, l)| (span_in(&note, a, l, 0), label)),
                    help,
                },
                level,
                line: 1,
                column,
                end_line: 1,
                end_column: 1,
            };
            let human = Human::new(color, width);
            let text = snippet_text(&note);
            let index = LineIndex::new(&text);
            let excerpt = Excerpt::new(&d, &text, &index);
            let mut fast = String::new();
            let drawn = human.fast.report(&d, "acme/x.md", &excerpt.shown(), &mut fast);
            let mut theirs = String::new();
            human.miette(&d, "acme/x.md", excerpt, &mut theirs);
            if drawn {
                prop_assert_eq!(&fast, &theirs);
            } else {
                prop_assert_eq!(&fast, "");
            }
            let start = floor_char_boundary(&text, span.start);
            let end = floor_char_boundary(&text, span.end).max(start);
            let simple = d.finding.also.is_none()
                && !text[start..end].contains('\n')
                && !(start == end && end == text.len());
            prop_assert_eq!(drawn, simple, "{}", theirs);
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
