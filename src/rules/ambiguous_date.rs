//! `ambiguous-date`: a numeric date such as `12/4` that reads as two different days,
//! with no `[dates] order` to say which.
//!
//! What it does: reports each date tag whose value is month/day or day/month, both of
//! them real days, while `[dates] order` is not set.
//!
//! Why: `12/4` is December 4 to one person and April 12 to another. Guessing would put
//! the promise on the wrong day without a word, so followup reads neither.
//!
//! Example: `* Send the MSA @due(12/4)` in a configuration without `[dates] order`.

use crate::notes::dates::DateValue;
use crate::notes::model::Commitment;
use crate::rules::{Finding, Rule};
use crate::text::text;

/// The ambiguous dates of one commitment. `text` is the note's text.
pub(super) fn check(c: &Commitment, text: &str, out: &mut Vec<Finding>) {
    for tag in &c.tags {
        if let Some(DateValue::Ambiguous(_)) = &tag.date {
            let value = tag.value.as_deref().unwrap_or_default();
            out.push(Finding {
                rule: Rule::AmbiguousDate,
                message: text!(
                    "`",
                    &text[tag.span.clone()],
                    "` reads as two different days, so it is not read"
                ),
                span: tag.value_span.clone().unwrap_or_else(|| tag.span.clone()),
                label: "month/day or day/month?".to_owned(),
                also: None,
                help: text!(
                    "say how numeric dates read: `[dates] order = \"mdy\"` (month first) or \
                     `\"dmy\"` (day first) in followup.toml; or write `",
                    value,
                    "` as YYYY-MM-DD"
                ),
            });
        }
    }
}
