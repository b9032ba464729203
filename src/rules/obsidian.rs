//! Rules about Obsidian Tasks' fields: `status-mismatch` (a done or cancelled tag on a
//! task item whose checkbox says otherwise), `invalid-recurrence` (a recurrence rule
//! `done` cannot repeat) and `unknown-dependency` (a `⛔` id no item has, across every
//! note checked: see [`Dependencies`]).

use std::collections::BTreeSet;
use std::ops::Range;

use crate::notes::model::{Commitment, Note, Status};
use crate::notes::recurrence::Recurrence;
use crate::notes::tags::TagKind;
use crate::rules::diagnostic::Quote;
use crate::rules::{Finding, Rule};
use crate::text::text;

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
        message: text!(
            "the checkbox `[",
            symbol,
            "]` says ",
            c.status.as_str(),
            ", `",
            &text[tag.span.clone()],
            "` says ",
            tag_says,
            ": ",
            Quote::of(c)
        ),
        span: tag.span.clone(),
        label: text!("says ", tag_says, ", but the checkbox counts"),
        also: c
            .checkbox_span
            .clone()
            .map(|b| (b, text!("says ", c.status.as_str()))),
        help: text!(
            "mark the checkbox to match (`[x]` done, `[-]` cancelled), or delete the ",
            tag_says,
            " tag"
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
        message: text!(
            "cannot read the recurrence in `",
            &text[tag.span.clone()],
            "`: ",
            why
        ),
        span: tag.value_span.clone().unwrap_or_else(|| tag.span.clone()),
        label: why,
        also: None,
        help: "write `every day`, `every 2 weeks on Monday`, `every month on the 1st`, \
               `every weekday`, optionally ending `when done`; `@every(2w)`, `@every(mon)`"
            .to_owned(),
    });
}

/// The ids one note's items have (`🆔`) and the ids they depend on (`⛔`): what
/// `unknown-dependency` needs from every note before it can judge any.
#[derive(Debug, Clone, Default)]
pub struct Dependencies {
    path: String,
    ids: Vec<String>,
    /// (the `⛔` tag's span, the ids it names, the item as quoted in messages).
    refs: Vec<(Range<usize>, Vec<String>, String)>,
}

impl Dependencies {
    /// What one note says.
    pub fn of(note: &Note) -> Dependencies {
        let mut d = Dependencies {
            path: note.path.clone(),
            ..Dependencies::default()
        };
        for c in &note.commitments {
            d.ids.extend(c.fields.id.iter().cloned());
            if let Some(tag) = c.tags.iter().find(|t| t.kind == TagKind::DependsOn) {
                if !c.fields.depends_on.is_empty() {
                    d.refs.push((
                        tag.span.clone(),
                        c.fields.depends_on.clone(),
                        text!(Quote::of(c)),
                    ));
                }
            }
        }
        d
    }

    /// Whether it says anything.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.refs.is_empty()
    }
}

/// The `unknown-dependency` findings, by note path: dependencies on ids that no item of
/// `all` has.
pub(super) fn unknown_dependencies(all: &[Dependencies]) -> Vec<(String, Vec<Finding>)> {
    let known: BTreeSet<&str> = all
        .iter()
        .flat_map(|d| d.ids.iter().map(String::as_str))
        .collect();
    all.iter()
        .filter_map(|d| {
            let findings: Vec<Finding> = d
                .refs
                .iter()
                .filter_map(|(span, ids, quoted)| {
                    let missing: Vec<&str> = ids
                        .iter()
                        .map(String::as_str)
                        .filter(|id| !known.contains(id))
                        .collect();
                    (!missing.is_empty()).then(|| Finding {
                        rule: Rule::UnknownDependency,
                        message: format!(
                            "depends on {}, which no item has: {quoted}",
                            missing
                                .iter()
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        span: span.clone(),
                        label: "no item has this id".to_owned(),
                        also: None,
                        help: "give the item it waits for that id (`🆔 ID`), or correct the id"
                            .to_owned(),
                    })
                })
                .collect();
            (!findings.is_empty()).then(|| (d.path.clone(), findings))
        })
        .collect()
}
