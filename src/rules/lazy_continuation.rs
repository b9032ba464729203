//! `lazy-continuation`: an unindented line that markdown joins to the commitment above
//! it, although it carries a tag or a task marker of its own.
//!
//! What it does: reports a line right under a commitment, not indented, that holds a
//! date, done or waiting tag, or starts with `[ ]`, `[x]` or `TODO`.
//!
//! Why: CommonMark continues a list item's paragraph on the next line even when it is
//! not indented (a "lazy continuation"). `* Send the pricing sheet` followed by `Send
//! the MSA @due(fri)` is one commitment with the second line's date, and `- [x] Added to
//! CRM` followed by `TODO: ask Dana` marks the TODO done. Correct markdown, not what the
//! person meant.
//!
//! Example: `* Send the pricing sheet` then `Send the MSA @due(fri)` on the next line.

use crate::notes::model::{Note, ProblemKind};
use crate::rules::{Finding, Rule};

/// The lazy continuation lines the reader found in one note.
pub(super) fn check(note: &Note, out: &mut Vec<Finding>) {
    for p in note
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::LazyContinuation)
    {
        out.push(Finding {
            rule: Rule::LazyContinuation,
            message: p.message.clone(),
            span: p.span.clone(),
            label: "joined to the item above".to_owned(),
            also: None,
            help: "to make it a commitment of its own, give it its own bullet (`* ` or \
                   `- [ ] `); to keep it part of the item, indent it under the item's text"
                .to_owned(),
        });
    }
}
