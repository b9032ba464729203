//! The common human report drawn by hand: one label on one line, byte for byte what
//! miette's graphical handler draws with [`super::human::Human`]'s settings.
//!
//! Why by hand: miette builds every report from scratch. It wraps the message and the
//! help with textwrap, which runs a Unicode line segmenter over every text, even one that
//! fits on its line; it reads the excerpt three times through `SourceCode::read_span`,
//! copies the context into owned lines and styles each piece through a `String` of its
//! own. That was half of `check`'s time on a corpus with findings, for reports that
//! almost all look alike. Anything this module does not draw exactly as miette does
//! (two labels, a span over a line end, an empty span at the end of the text) it leaves
//! to miette; `human.rs`'s property test compares the two on random notes.

use std::fmt::Write as _;
use std::ops::Range;

use miette::GraphicalTheme;
use owo_colors::Style;
use textwrap::core::display_width;
// The unicode-width miette measures columns with (0.1; the crate's own is 0.2, whose
// widths differ for some characters): a label must sit under the same column.
use unicode_width_01::UnicodeWidthChar;

use crate::rules::{Diagnostic, Level};
use crate::text::terminal_safe;

/// Whether the handler may break a word longer than the width; `Human` tells miette the
/// same. (No: a path or `@due(YYYY-MM-DD)` split across lines can't be copied.)
pub(super) const BREAK_WORDS: bool = false;

/// Miette's tab stops (its default, which `Human` keeps).
const TAB: usize = 4;

/// Draws reports as miette would, for the cases it knows.
#[derive(Clone)]
pub(super) struct Fast {
    theme: GraphicalTheme,
    /// The width miette wraps the message and the help to (its width minus 2).
    wrap: usize,
    /// The message's indents, first line and the others, per level (error, warning, info).
    indents: [(String, String); 3],
    /// The help's first indent.
    help: String,
}

/// What one report shows of its note: the excerpt (lines already cut and made safe, as
/// miette is given them), its first line's number in the note, the label's span in it.
pub(super) struct Shown<'a> {
    /// The excerpt.
    pub text: &'a str,
    /// The note's number of the excerpt's first line.
    pub first_line: usize,
    /// The label's span, in the excerpt.
    pub span: Range<usize>,
}

impl Fast {
    /// A drawer for reports `width` columns wide, in `theme`'s characters and colours.
    pub(super) fn new(theme: GraphicalTheme, width: usize) -> Self {
        let styles = &theme.styles;
        let chars = &theme.characters;
        let indents = [
            (styles.error, &chars.error),
            (styles.warning, &chars.warning),
            (styles.advice, &chars.advice),
        ]
        .map(|(style, icon)| {
            (
                format!("  {} ", style.style(icon)),
                format!("  {} ", style.style(chars.vbar)),
            )
        });
        let help = styles.help.style("  help: ").to_string();
        Fast {
            wrap: width.saturating_sub(2),
            indents,
            help,
            theme,
        }
    }

    /// Write `d`'s report, with `name` as the note's name, and return true; or, when
    /// miette must draw it, write nothing and return false.
    pub(super) fn report(
        &self,
        d: &Diagnostic,
        name: &str,
        shown: &Shown<'_>,
        out: &mut String,
    ) -> bool {
        if d.finding.also.is_some() {
            return false;
        }
        let Some(lines) = Lines::new(shown.text, &shown.span) else {
            return false;
        };
        let styles = &self.theme.styles;
        let chars = &self.theme.characters;
        let (style, level) = match d.level {
            Level::Error => (styles.error, 0),
            Level::Warning => (styles.warning, 1),
            Level::Info => (styles.advice, 2),
        };
        // The rule (miette's "code": a rule shows as its name), a blank line, the message.
        styled(out, style, |o| o.push_str(d.rule().name()));
        out.push_str("\n\n");
        let (first, rest) = &self.indents[level];
        fill(
            out,
            &terminal_safe(&d.finding.message),
            self.wrap,
            first,
            rest,
        );
        out.push('\n');

        // The excerpt: a header naming the place, the numbered lines, the label under its
        // line, a closing line.
        let linum = decimal_digits(shown.first_line + lines.len - 1);
        push_n(out, ' ', linum + 2);
        out.push(chars.ltop);
        out.push(chars.hbar);
        out.push('[');
        // The label's line and the finding's column in the note, as `human::Source`
        // tells miette.
        styled(out, styles.link, |o| {
            o.push_str(name);
            o.push(':');
            push_decimal(o, shown.first_line + lines.label, 0);
            o.push(':');
            push_decimal(o, d.column.saturating_sub(1) + 1, 0);
        });
        out.push_str("]\n");
        let highlight = styles.highlights.first().copied().unwrap_or_default();
        for (i, range) in lines.ranges[..lines.len].iter().enumerate() {
            out.push(' ');
            styled(out, styles.linum, |o| {
                push_decimal(o, shown.first_line + i, linum)
            });
            out.push(' ');
            out.push(chars.vbar);
            out.push(' ');
            let line = &shown.text[range.clone()];
            push_expanded(out, line);
            out.push('\n');
            if i != lines.label {
                continue;
            }
            // Miette's single-line label: an underline from the span's first column to
            // its last (one column for an empty span), `┬` or `▲` in its middle, and
            // under that, the label hanging from the middle.
            let start = columns(&line[..shown.span.start - range.start]);
            let end = if shown.span.is_empty() {
                start + 1
            } else {
                columns(&line[..shown.span.end - range.start]).max(start + 1)
            };
            let middle = (start + end) / 2;
            self.no_linum(out, linum);
            styled(out, highlight, |o| {
                push_n(o, ' ', start);
                push_n(o, chars.underline, middle - start);
                o.push(if shown.span.is_empty() {
                    chars.uarrow
                } else {
                    chars.underbar
                });
                push_n(o, chars.underline, end - middle - 1);
            });
            out.push('\n');
            self.no_linum(out, linum);
            push_n(out, ' ', middle);
            styled(out, highlight, |o| {
                o.push(chars.lbot);
                o.push(chars.hbar);
                o.push(chars.hbar);
                o.push(' ');
                styled(o, highlight, |o| {
                    o.push_str(&terminal_safe(&d.finding.label))
                });
            });
            out.push('\n');
        }
        push_n(out, ' ', linum + 2);
        out.push(chars.lbot);
        push_n(out, chars.hbar, 4);
        out.push('\n');

        fill(
            out,
            &terminal_safe(&d.finding.help),
            self.wrap,
            &self.help,
            "        ",
        );
        out.push('\n');
        true
    }

    /// The gutter of a line under a source line: no number, a dotted bar.
    fn no_linum(&self, out: &mut String, linum: usize) {
        push_n(out, ' ', linum + 2);
        out.push(self.theme.characters.vbar_break);
        out.push(' ');
    }
}

/// The excerpt's lines as miette shows them (a line end at the very end starts no line
/// of its own), when there are at most three and the span lies within one of them, and
/// miette draws its label (an empty span at the end of a text with no line end after it
/// gets no label).
struct Lines {
    ranges: [Range<usize>; 3],
    len: usize,
    /// The line with the label.
    label: usize,
}

impl Lines {
    fn new(text: &str, span: &Range<usize>) -> Option<Lines> {
        let mut lines = Lines {
            ranges: [0..0, 0..0, 0..0],
            len: 0,
            label: usize::MAX,
        };
        let mut start = 0;
        while start < text.len() {
            let end =
                memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
            if lines.len == lines.ranges.len() {
                return None;
            }
            if (start..=end).contains(&span.start) {
                if span.end > end || (span.start == end && end == text.len()) {
                    return None;
                }
                lines.label = lines.len;
            }
            lines.ranges[lines.len] = start..end;
            lines.len += 1;
            start = end + 1;
        }
        (lines.label < lines.len).then_some(lines)
    }
}

/// `text` wrapped as miette wraps a message or its help: `textwrap::fill` with these
/// indents and the options miette passes. A text that fits on its first line (most do)
/// is written without textwrap, as `fill` writes it then: the first indent, then the
/// text without its trailing spaces.
fn fill(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    let trimmed = text.trim_end_matches(' ');
    let room = width.saturating_sub(display_width(first));
    // No character is wider than its UTF-8 bytes: a short text needs no measuring.
    if !trimmed.is_empty()
        && !text.contains('\n')
        && (trimmed.len() <= room || display_width(trimmed) <= room)
    {
        out.push_str(first);
        out.push_str(trimmed);
    } else {
        let options = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .break_words(BREAK_WORDS);
        out.push_str(&textwrap::fill(text, options));
    }
}

/// What `draw` writes, in `style`: as owo-colors writes a styled value, and without the
/// detour through a `String` of its own when the style is plain (no colour).
fn styled(out: &mut String, style: Style, draw: impl FnOnce(&mut String)) {
    if style.is_plain() {
        draw(out);
    } else {
        let mut text = String::new();
        draw(&mut text);
        let _ = write!(out, "{}", style.style(text));
    }
}

/// The width miette gives a character at `column` (a tab reaches the next tab stop).
fn char_columns(c: char, column: usize) -> usize {
    if c == '\t' {
        TAB - column % TAB
    } else {
        c.width().unwrap_or(0)
    }
}

/// The columns `line` takes in miette's drawing.
fn columns(line: &str) -> usize {
    line.chars()
        .fold(0, |column, c| column + char_columns(c, column))
}

/// A source line as miette writes it: tabs as spaces up to the next tab stop.
fn push_expanded(out: &mut String, line: &str) {
    if !line.contains('\t') {
        out.push_str(line);
        return;
    }
    let mut column = 0;
    for c in line.chars() {
        let n = char_columns(c, column);
        if c == '\t' {
            push_n(out, ' ', n);
        } else {
            out.push(c);
        }
        column += n;
    }
}

fn push_n(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat(c).take(n));
}

/// `n` in decimal, right-aligned in `width` columns: what `{n:width$}` writes, without
/// the formatting machinery.
fn push_decimal(out: &mut String, n: usize, width: usize) {
    push_n(out, ' ', width.saturating_sub(decimal_digits(n)));
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Digits of `n` in decimal.
fn decimal_digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}
