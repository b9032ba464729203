//! What the rules report: [`Finding`]s in a note's text, placed in their file as
//! [`Diagnostic`]s, and the wording findings share.

use std::ops::Range;

use chrono::NaiveDate;

use super::registry::{Level, Rule};
use crate::notes::model::Commitment;
use crate::notes::tags::Syntax;
use crate::text::{text, Piece};

/// A finding, before it is placed in its file: byte spans into the note's text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// Which rule.
    pub rule: Rule,
    /// What is wrong, in one line.
    pub message: String,
    /// The bytes it is about: the tag, or the bullet when there is no tag.
    pub span: Range<usize>,
    /// What the label under `span` says.
    pub label: String,
    /// A second place worth pointing at (the first of two conflicting dates).
    pub also: Option<(Range<usize>, String)>,
    /// How to fix it.
    pub help: String,
}

/// A finding placed in its file, at the level the settings give its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The note's path, as shown.
    pub path: String,
    /// The finding.
    pub finding: Finding,
    /// Its level.
    pub level: Level,
    /// 1-based line where the span starts.
    pub line: usize,
    /// 1-based column (in characters) where the span starts.
    pub column: usize,
    /// 1-based line where the span ends.
    pub end_line: usize,
    /// 1-based column (in characters) just after the span's last character.
    pub end_column: usize,
}

impl Diagnostic {
    /// The rule that reported it.
    pub fn rule(&self) -> Rule {
        self.finding.rule
    }
}

/// How to mark a commitment done, in its own syntax: check its box, or add a done tag
/// dated the day it is.
pub(super) struct HowToMarkDone<'a>(pub &'a Commitment, pub NaiveDate);

impl Piece for HowToMarkDone<'_> {
    fn max_len(&self) -> usize {
        "add `@done()`".len() + self.1.max_len()
    }
    fn push_to(&self, out: &mut String) {
        let HowToMarkDone(c, today) = *self;
        if c.checkbox.is_some() {
            out.push_str("check its box: `[x]`");
        } else if c.tags.iter().any(|t| t.syntax == Syntax::Emoji) {
            text!(into out; "add `✅ ", today, "`");
        } else {
            text!(into out; "add `@done(", today, ")`");
        }
    }
}

/// A commitment's text, short enough for a one-line message: at most 60 characters,
/// the last an ellipsis when it was cut.
pub(super) struct Quote<'a>(&'a str);

impl<'a> Quote<'a> {
    /// The most characters quoted.
    const MAX: usize = 60;

    /// The text of `c`.
    pub(super) fn of(c: &'a Commitment) -> Self {
        Quote(&c.text)
    }
}

impl Piece for Quote<'_> {
    fn max_len(&self) -> usize {
        // At most MAX characters of up to four bytes (or MAX - 1 and the `…`). A cut drops
        // two characters or more (two bytes or more) for the three bytes of `…`: one more
        // than the text.
        (self.0.len() + 1).min(4 * Quote::MAX)
    }
    fn push_to(&self, out: &mut String) {
        let text = self.0;
        // Where the MAX-th character starts, when there is one after it. Most texts start
        // with ASCII, where characters are bytes: no need to decode them.
        let cut = if text.as_bytes()[..text.len().min(Quote::MAX + 1)].is_ascii() {
            (text.len() > Quote::MAX).then_some(Quote::MAX - 1)
        } else {
            let mut starts = text.char_indices().map(|(i, _)| i);
            starts
                .nth(Quote::MAX - 1)
                .filter(|_| starts.next().is_some())
        };
        match cut {
            Some(cut) => text!(into out; text[..cut].trim_end(), '…'),
            None => out.push_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Quote;
    use crate::text::text;

    proptest! {
        /// Cut where the first 59 characters end, blanks before the cut dropped.
        #[test]
        fn quotes_cut_after_59_characters(
            chars in proptest::collection::vec(
                prop_oneof![Just('a'), Just(' '), Just('é'), Just('…'), Just('✅'), Just('😀')],
                0..80,
            ),
            ascii in 0usize..80,
        ) {
            let text: String = "x".repeat(ascii) + &chars.into_iter().collect::<String>();
            let want = if text.chars().count() <= 60 {
                text.clone()
            } else {
                let head: String = text.chars().take(59).collect();
                head.trim_end().to_owned() + "…"
            };
            let quoted = text!(Quote(&text));
            prop_assert!(quoted.len() <= crate::text::Piece::max_len(&Quote(&text)));
            prop_assert_eq!(quoted, want);
        }
    }
}
