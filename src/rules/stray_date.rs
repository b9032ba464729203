//! `stray-date`: a due or scheduled tag where followup reads no commitment.
//!
//! What it does: reports a `@due(...)`, `due:...`, `📅 ...` or scheduled tag on a `-` or
//! `+` bullet, an ordered item, a plain paragraph or a heading, none of which is a
//! commitment (unless `[markers] dash-bullets` / `ordered-items` say so).
//!
//! Why: a date tag says a promise was made. On a line followup does not read as a
//! commitment, the promise is never listed, never overdue and never on the agenda, and
//! nothing else says so.
//!
//! Example: `- Send the deck @due(fri)` (Obsidian's default bullet).

use crate::notes::model::{Note, ProblemKind};
use crate::rules::{Finding, Rule};

/// The stray tags the reader found in one note.
pub(super) fn check(note: &Note, out: &mut Vec<Finding>) {
    for p in note
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::StrayDate)
    {
        let mut help = "make the line a commitment: start it with `* ` or make it a task item \
                        (`- [ ] `)"
            .to_owned();
        if p.message.contains("bullet") {
            help.push_str(
                "; or count every `-` and `+` bullet as a commitment with \
                 `[markers] dash-bullets = true` in followup.toml",
            );
        } else if p.message.contains("ordered item") {
            help.push_str(
                "; or count every ordered item as a commitment with \
                 `[markers] ordered-items = true` in followup.toml",
            );
        }
        out.push(Finding {
            rule: Rule::StrayDate,
            message: p.message.clone(),
            span: p.span.clone(),
            label: "not a commitment's date".to_owned(),
            also: None,
            help,
        });
    }
}
