//! Rules about when: `overdue`, `due-today`, `due-soon`, `missing-due`,
//! `due-before-note`, `done-in-future`.

use crate::notes::dates::{days_between, DateValue};
use crate::notes::model::{Commitment, Note, Status};
use crate::notes::tags::{Tag, TagKind};
use crate::rules::diagnostic::{how_to_mark_done, quote};
use crate::rules::syntax::suggestions;
use crate::rules::{Context, Finding, Rule};
use crate::text::plural;

/// The date rules for one commitment.
pub(super) fn check(note: &Note, c: &Commitment, cx: Context<'_>, out: &mut Vec<Finding>) {
    let due_tag = c.due.and_then(|due| {
        c.tags
            .iter()
            .find(|t| t.kind == TagKind::Due && t.resolved() == Some(due))
    });
    if let (Some(due), Some(tag)) = (c.due, due_tag) {
        if let Some(note_date) = note.date.filter(|&n| due < n) {
            out.push(Finding {
                rule: Rule::DueBeforeNote,
                message: format!(
                    "due {due}, before the note's own date {note_date}: {}",
                    quote(c)
                ),
                span: tag.span.clone(),
                label: format!(
                    "due {due}, {} before the call",
                    plural(days_between(due, note_date), "day")
                ),
                also: None,
                help: "a typo in the date? Due dates come after the call they were promised on"
                    .to_owned(),
            });
        }
        if c.status == Status::Open {
            open_due(c, due, tag, cx, out);
        }
    }
    if c.status == Status::Open && c.due.is_none() && c.scheduled.is_none() && !has_bad_date(c) {
        out.push(Finding {
            rule: Rule::MissingDue,
            message: format!("no due date: {}", quote(c)),
            span: c.bullet.clone(),
            label: "an open commitment with no date".to_owned(),
            also: None,
            help: "give it a date: `@due(YYYY-MM-DD)`, `due:fri` or `📅 YYYY-MM-DD`".to_owned(),
        });
    }
    for tag in &c.tags {
        let Some(done) = tag
            .resolved()
            .filter(|&d| tag.kind == TagKind::Done && d > cx.today)
        else {
            continue;
        };
        out.push(Finding {
            rule: Rule::DoneInFuture,
            message: format!(
                "done {done}, which is after today ({}): {}",
                cx.today,
                quote(c)
            ),
            span: tag.span.clone(),
            label: format!("done {}", describe(tag)),
            also: None,
            help: "a done date is the day it was done: a typo in the date?".to_owned(),
        });
    }
}

/// `overdue`, `due-today` and `due-soon` for an open commitment due on `due`.
fn open_due(
    c: &Commitment,
    due: chrono::NaiveDate,
    tag: &Tag,
    cx: Context<'_>,
    out: &mut Vec<Finding>,
) {
    let days = days_between(cx.today, due);
    let owed = c
        .waiting
        .as_ref()
        .map(|who| format!(", waiting on {who}"))
        .unwrap_or_default();
    let done = how_to_mark_done(c, cx.today);
    // What to do next depends on who owes it.
    let (when_done, chase) = match &c.waiting {
        Some(who) => ("once it is in".to_owned(), format!("chase {who}; ")),
        None => ("once it is done".to_owned(), String::new()),
    };
    let (rule, message, help) = if days < 0 {
        (
            Rule::Overdue,
            format!(
                "overdue by {} (due {due}{owed}): {}",
                plural(-days, "day"),
                quote(c)
            ),
            match &c.waiting {
                Some(_) => {
                    format!("{chase}{when_done}, {done}; or set a new date: `@due(YYYY-MM-DD)`")
                }
                None => format!("done? {done}; still to do? set a new date: `@due(YYYY-MM-DD)`"),
            },
        )
    } else if days == 0 {
        (
            Rule::DueToday,
            format!("due today{owed}: {}", quote(c)),
            format!("{when_done}, {done}"),
        )
    } else if days <= i64::from(cx.settings.due_soon_days) {
        (
            Rule::DueSoon,
            format!(
                "due in {} ({} {due}{owed}): {}",
                plural(days, "day"),
                due.format("%a"),
                quote(c)
            ),
            format!("nothing to do yet; {when_done}, {done}"),
        )
    } else {
        return;
    };
    out.push(Finding {
        rule,
        message,
        span: tag.span.clone(),
        label: format!("due {}", describe(tag)),
        also: None,
        help,
    });
}

/// A date tag's value and what it resolved to: `fri -> 2026-11-20, from the note's date
/// 2026-11-16`, or just `2026-11-20`.
pub(super) fn describe(tag: &Tag) -> String {
    match (&tag.date, &tag.value) {
        (Some(DateValue::Relative { date, from }), Some(value)) => {
            format!("{value} -> {date}, from the note's date {from}")
        }
        (Some(d), _) => d.date().map(|d| d.to_string()).unwrap_or_default(),
        (None, _) => String::new(),
    }
}

/// A due or scheduled tag whose date could not be read, or one with a misspelt name:
/// `invalid-date`, `unresolved-date` or `unknown-tag` says so, and `missing-due` would
/// only repeat it.
fn has_bad_date(c: &Commitment) -> bool {
    c.tags.iter().any(|t| match t.kind {
        TagKind::Due | TagKind::Scheduled => {
            matches!(
                t.date,
                Some(DateValue::Invalid(_) | DateValue::Unresolved | DateValue::Ambiguous(_))
            )
        }
        TagKind::Unknown => suggestions(&t.name)
            .iter()
            .any(|k| matches!(*k, "due" | "scheduled")),
        _ => false,
    })
}
