//! `often-moved`: a promise whose date was pushed again and again. `followup snooze`
//! counts each move in the item's `@moved(N)` tag; this rule reads the count.
//!
//! What it does: reports an open commitment with `@moved(N)`, N at least the rule's
//! `times` (3 unless configured). Why: a promise moved three times is a promise you
//! are not keeping; say so to the customer, or drop it. Off by default.

use crate::notes::model::{Commitment, Status};
use crate::notes::tags::{Syntax, Tag};
use crate::rules::diagnostic::Quote;
use crate::rules::{Context, Finding, Rule};
use crate::text::{text, Plural};

/// The tag name that counts moves: `@moved(N)`.
pub const MOVED: &str = "moved";

/// The item's `@moved(...)` tag, if it has one.
pub fn moved_tag(c: &Commitment) -> Option<&Tag> {
    c.tags
        .iter()
        .find(|t| t.syntax == Syntax::At && t.name.eq_ignore_ascii_case(MOVED))
}

/// How many times a commitment was moved: its `@moved(N)` (0 without one).
pub fn times_moved(c: &Commitment) -> u32 {
    moved_tag(c)
        .and_then(|t| t.value.as_deref())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// `often-moved` for one commitment.
pub(super) fn check(c: &Commitment, cx: Context<'_>, out: &mut Vec<Finding>) {
    let n = times_moved(c);
    let times = cx.settings.often_moved_times;
    if c.status != Status::Open || n == 0 || n < times {
        return;
    }
    let Some(tag) = moved_tag(c) else { return };
    out.push(Finding {
        rule: Rule::OftenMoved,
        message: text!("moved ", Plural(i64::from(n), "time"), ": ", Quote::of(c)),
        span: tag.span.clone(),
        label: text!("moved ", Plural(i64::from(n), "time")),
        also: None,
        help: "tell them the real date, or cancel it: `followup done --cancel PATH:LINE`"
            .to_owned(),
    });
}
