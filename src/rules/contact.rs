//! The customer rules: a customer not contacted within their cadence.

use std::ops::Range;

use chrono::NaiveDate;

use super::{Finding, Rule};
use crate::customers::CustomerRow;
use crate::notes::dates::{days_between, describe_offset};

/// The finding about one customer, if any, and where it goes: the note's path and the
/// span (`None`: the note's first line). A profile is pointed at its `cadence:` line;
/// a customer whose cadence comes from the configuration, at their last (or first) note.
pub(super) fn check(
    row: &CustomerRow,
    today: NaiveDate,
) -> Option<(String, Option<Range<usize>>, Finding)> {
    let cadence = row.cadence_days?;
    let every = if cadence == 1 {
        "every day".to_owned()
    } else {
        format!("every {cadence} days")
    };
    // The profile's `cadence:` line when the cadence is written there.
    let on_profile = || {
        let span = row.cadence_span.clone()?;
        Some((row.profile.clone()?, Some(span)))
    };
    let Some(last) = row.last_contact else {
        let (path, span) = on_profile().or_else(|| {
            let path = row.first_note.clone().or_else(|| row.profile.clone())?;
            Some((path, None))
        })?;
        return Some((
            path,
            span,
            Finding {
                rule: Rule::NoContact,
                message: format!(
                    "no contact with {} on record: no dated call note; the cadence is {every}",
                    row.name
                ),
                span: 0..0,
                label: format!("contact {every}"),
                also: None,
                help: "get in touch, and keep a dated note of it in their folder (or with \
                       `customer:` in its front matter)"
                    .to_owned(),
            },
        ));
    };
    let due = row.contact_due?;
    if due >= today {
        return None;
    }
    let (path, span) = on_profile().or_else(|| row.last_note.clone().map(|p| (p, None)))?;
    let since = days_between(last, today);
    Some((
        path,
        span,
        Finding {
            rule: Rule::StaleContact,
            message: if row.stage == crate::notes::profile::Stage::Prospect {
                format!(
                    "no touch with this prospect ({}) for {since} days (last {last}); the cadence is {every}",
                    row.name
                )
            } else {
                format!(
                    "no contact with {} for {since} days (last {last}); the cadence is {every}",
                    row.name
                )
            },
            span: 0..0,
            label: format!(
                "contact was due {}",
                describe_offset(days_between(today, due))
            ),
            also: None,
            help: format!(
                "call or write to {} and keep a dated note of it; if the cadence is wrong, change \
                 `cadence:` in their profile",
                row.name
            ),
        },
    ))
}
