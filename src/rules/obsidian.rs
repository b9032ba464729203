//! Rules about Obsidian Tasks' fields: `status-mismatch` (a done or cancelled tag on a
//! task item whose checkbox says otherwise) and `invalid-recurrence` (a recurrence
//! rule `done` cannot repeat).

use crate::notes::model::{Commitment, Status};
use crate::notes::recurrence::Recurrence;
use crate::notes::tags::TagKind;
use crate::rules::diagnostic::quote;
use crate::rules::{Finding, Rule};

/// The Obsidian rules for one commitment. `text` is the note's text.
pub(super) fn check(c: &Commitment, text: &str, out: &mut Vec<Finding>) {
    status_mismatch(c, text, out);
    invalid_recurrence(c, text, out);
}

/// A task item whose checkbox and tags disagree: the checkbox counts.
fn status_mismatch(c: &Commitment, text: &str, out: &mut Vec<Finding>) {
    let (Some(symbol), Some(_)) = (c.symbol, &c.checkbox_span) else {
        return;
    };
    let says = |k: TagKind| c.tags.iter().find(|t| t.kind == k);
    let tag = match c.status {
        Status::Open => says(TagKind::Cancelled).or_else(|| says(TagKind::Done)),
        Status::Done => says(TagKind::Cancelled),
        Status::Cancelled => None,
    };
    let Some(tag) = tag else {
        return;
    };
    let tag_says = if tag.kind == TagKind::Done {
        "done"
    } else {
        "cancelled"
    };
    out.push(Finding {
        rule: Rule::StatusMismatch,
        message: format!(
            "the checkbox `[{symbol}]` says {}, `{}` says {tag_says}: {}",
            c.status.as_str(),
            &text[tag.span.clone()],
            quote(c)
        ),
        span: tag.span.clone(),
        label: format!("says {tag_says}, but the checkbox counts"),
        also: c
            .checkbox_span
            .clone()
            .map(|b| (b, format!("says {}", c.status.as_str()))),
        help: format!(
            "mark the checkbox to match (`[x]` done, `[-]` cancelled), or delete the {tag_says} tag"
        ),
    });
}

/// A recurrence rule that cannot be read.
fn invalid_recurrence(c: &Commitment, text: &str, out: &mut Vec<Finding>) {
    let Some(tag) = c.tags.iter().find(|t| t.kind == TagKind::Recurrence) else {
        return;
    };
    let written = tag.value.as_deref().unwrap_or_default();
    let why = if written.trim().is_empty() {
        "no rule given".to_owned()
    } else {
        match Recurrence::parse(written) {
            Ok(_) => return,
            Err(e) => e,
        }
    };
    out.push(Finding {
        rule: Rule::InvalidRecurrence,
        message: format!(
            "cannot read the recurrence in `{}`: {why}",
            &text[tag.span.clone()]
        ),
        span: tag.value_span.clone().unwrap_or_else(|| tag.span.clone()),
        label: why,
        also: None,
        help: "write `every day`, `every 2 weeks on Monday`, `every month on the 1st`, \
               `every weekday`, optionally ending `when done`; `@every(2w)`, `@every(mon)`"
            .to_owned(),
    });
}
