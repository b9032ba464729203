//! What the rules report: [`Finding`]s in a note's text, placed in their file as
//! [`Diagnostic`]s, and the wording findings share.

use std::ops::Range;

use chrono::NaiveDate;

use super::registry::{Level, Rule};
use crate::notes::model::Commitment;

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

/// How to mark a commitment done, in its own syntax.
pub(super) fn how_to_mark_done(c: &Commitment, today: NaiveDate) -> String {
    if c.checkbox.is_some() {
        "check its box: `[x]`".to_owned()
    } else if c
        .tags
        .iter()
        .any(|t| t.syntax == crate::notes::tags::Syntax::Emoji)
    {
        format!("add `✅ {today}`")
    } else {
        format!("add `@done({today})`")
    }
}

/// The commitment's text, short enough for a one-line message.
pub(super) fn quote(c: &Commitment) -> String {
    const MAX: usize = 60;
    if c.text.chars().count() <= MAX {
        c.text.clone()
    } else {
        let cut: String = c.text.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
