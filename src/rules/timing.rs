//! Rules about when: `overdue`, `overdue-waiting`, `due-today`, `due-soon`, `missing-due`,
//! `due-before-note`, `done-in-future`.

use chrono::Datelike;

use crate::notes::dates::{days_between, DateValue};
use crate::notes::model::{Commitment, Note, Status};
use crate::notes::tags::{Tag, TagKind};
use crate::rules::diagnostic::{HowToMarkDone, Quote};
use crate::rules::syntax::suggestions;
use crate::rules::{Context, Finding, Rule};
use crate::text::{text, Piece, Plural};

/// The date rules for one commitment.
pub(super) fn check(note: &Note, c: &Commitment, cx: Context<'_>, out: &mut Vec<Finding>) {
    let due_tag = c.due.and_then(|due| {
        c.tags
            .iter()
            .find(|t| t.kind == TagKind::Due && t.resolved() == Some(due))
    });
    if let (Some(due), Some(tag)) = (c.due, due_tag) {
        if let Some(note_date) = note.date.filter(|&n| due < n) {
            let early = Plural(days_between(due, note_date), "day");
            out.push(Finding {
                rule: Rule::DueBeforeNote,
                message: text!(
                    "due ",
                    due,
                    ", before the note's own date ",
                    note_date,
                    ": ",
                    Quote::of(c)
                ),
                span: tag.span.clone(),
                label: text!("due ", due, ", ", early, " before the call"),
                also: None,
                help: "a typo in the date? Due dates come after the call they were promised on"
                    .to_owned(),
            });
        }
        if c.status == Status::Open {
            open_due(c, due, tag, cx, out);
        }
    }
    // An item that starts later (`🛫 DATE`) needs no date before it starts.
    let not_started = c.fields.start.is_some_and(|s| s > cx.today);
    if c.status == Status::Open
        && c.due.is_none()
        && c.scheduled.is_none()
        && !not_started
        && !has_bad_date(c)
    {
        out.push(Finding {
            rule: Rule::MissingDue,
            message: text!("no due date: ", Quote::of(c)),
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
            message: text!(
                "done ",
                done,
                ", which is after today (",
                cx.today,
                "): ",
                Quote::of(c)
            ),
            span: tag.span.clone(),
            label: text!("done ", Describe(tag)),
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
    let owed = c.waiting.as_ref().map(|who| (", waiting on ", who));
    let done = HowToMarkDone(c, cx.today);
    // What to do next depends on who owes it.
    let when_done = match c.waiting {
        Some(_) => "once it is in",
        None => "once it is done",
    };
    let (rule, message, help) = if days < 0 {
        (
            // Late on their side, not a broken promise of ours.
            if c.waiting.is_some() {
                Rule::OverdueWaiting
            } else {
                Rule::Overdue
            },
            text!(
                "overdue by ",
                Plural(-days, "day"),
                " (due ",
                due,
                owed,
                "): ",
                Quote::of(c)
            ),
            match &c.waiting {
                Some(who) => text!(
                    "chase ",
                    who,
                    "; ",
                    when_done,
                    ", ",
                    done,
                    "; or set a new date: `@due(YYYY-MM-DD)`"
                ),
                None => text!(
                    "done? ",
                    done,
                    "; still to do? set a new date: `@due(YYYY-MM-DD)`"
                ),
            },
        )
    } else if days == 0 {
        (
            Rule::DueToday,
            text!("due today", owed, ": ", Quote::of(c)),
            text!(when_done, ", ", done),
        )
    } else if days <= i64::from(cx.settings.due_soon_days) {
        (
            Rule::DueSoon,
            text!(
                "due in ",
                Plural(days, "day"),
                " (",
                due.weekday(),
                " ",
                due,
                owed,
                "): ",
                Quote::of(c)
            ),
            text!("nothing to do yet; ", when_done, ", ", done),
        )
    } else {
        return;
    };
    out.push(Finding {
        rule,
        message,
        span: tag.span.clone(),
        label: text!("due ", Describe(tag)),
        also: None,
        help,
    });
}

/// A date tag's value and what it resolved to: `fri -> 2026-11-20, from the note's date
/// 2026-11-16`, or just `2026-11-20`.
pub(super) struct Describe<'a>(pub &'a Tag);

impl Piece for Describe<'_> {
    fn max_len(&self) -> usize {
        let dates = 2 * chrono::NaiveDate::MAX.max_len();
        self.0.value.as_ref().map_or(0, |v| v.len()) + dates + 30
    }
    fn push_to(&self, out: &mut String) {
        match (&self.0.date, &self.0.value) {
            (Some(DateValue::Relative { date, from }), Some(value)) => {
                out.push_str(value);
                out.push_str(" -> ");
                date.push_to(out);
                out.push_str(", from the note's date ");
                from.push_to(out);
            }
            (Some(d), _) => d.date().push_to(out),
            (None, _) => {}
        }
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
