//! Rules about how things are written: `invalid-date`, `unresolved-date`,
//! `unknown-tag`, `conflicting-dates`, `bad-front-matter`.

use crate::notes::dates::DateValue;
use crate::notes::model::{Commitment, Note, ProblemKind};
use crate::notes::tags::{Syntax, TagKind};
use crate::rules::diagnostic::Quote;
use crate::rules::timing::Describe;
use crate::rules::{Finding, Rule};
use crate::text::text;

/// Problems the front matter reader found.
pub(super) fn front_matter(note: &Note, out: &mut Vec<Finding>) {
    for p in &note.problems {
        match p.kind {
            ProblemKind::BadFrontMatter => out.push(Finding {
                rule: Rule::BadFrontMatter,
                message: p.message.clone(),
                span: p.span.clone(),
                label: "here".to_owned(),
                also: None,
                help: "front matter is YAML between two `---` lines at the top of the note; \
                       dates are YYYY-MM-DD"
                    .to_owned(),
            }),
            ProblemKind::BadProfile => out.push(Finding {
                rule: Rule::BadProfile,
                message: p.message.clone(),
                span: p.span.clone(),
                label: "cannot be read".to_owned(),
                also: None,
                help: "cadence: `14d`, `2w`, `1m`, `quarterly`; contact dates: YYYY-MM-DD, or \
                       --MM-DD when the year is unknown (docs/format.md#customer-profiles)"
                    .to_owned(),
            }),
            ProblemKind::StrayDate | ProblemKind::LazyContinuation => {}
        }
    }
}

/// The tag rules for one commitment. `text` is the note's text.
pub(super) fn check(c: &Commitment, text: &str, out: &mut Vec<Finding>) {
    for tag in &c.tags {
        let written = &text[tag.span.clone()];
        match &tag.date {
            Some(DateValue::Invalid(why)) => out.push(Finding {
                rule: Rule::InvalidDate,
                message: text!("invalid date in `", written, "`: ", why),
                span: tag.value_span.clone().unwrap_or_else(|| tag.span.clone()),
                label: why.clone(),
                also: None,
                help: match tag.syntax {
                    Syntax::Emoji | Syntax::Dataview => {
                        "this form takes only YYYY-MM-DD, for example 2026-11-27".to_owned()
                    }
                    Syntax::At | Syntax::Colon => "write YYYY-MM-DD, or a date relative to the \
                                                   note's: today, tomorrow, a weekday (fri), \
                                                   +3d, +2w, +1m"
                        .to_owned(),
                },
            }),
            Some(DateValue::Unresolved) => out.push(Finding {
                rule: Rule::UnresolvedDate,
                message: text!(
                    "`",
                    written,
                    "` is relative to the note's date, and this note has no date"
                ),
                span: tag.value_span.clone().unwrap_or_else(|| tag.span.clone()),
                label: "relative to what?".to_owned(),
                also: None,
                help: "date the note (`date: YYYY-MM-DD` in its front matter, or a date in its \
                       file name or first heading), or write the date out: YYYY-MM-DD"
                    .to_owned(),
            }),
            _ => {}
        }
        if tag.kind == TagKind::Unknown && tag.syntax == Syntax::At && tag.value.is_some() {
            let known = suggestions(&tag.name);
            if !known.is_empty() {
                let name_span = tag.span.start..tag.span.start + 1 + tag.name.len();
                let either = |f: &dyn Fn(&str) -> String| {
                    known.iter().map(|k| f(k)).collect::<Vec<_>>().join(" or ")
                };
                let names = either(&|k| format!("`@{k}`"));
                out.push(Finding {
                    rule: Rule::UnknownTag,
                    message: text!(
                        "unknown tag `@",
                        tag.name.as_str(),
                        "`: did you mean ",
                        names,
                        "?"
                    ),
                    span: name_span,
                    label: text!("did you mean ", names, "?"),
                    also: None,
                    help: format!(
                        "write {}; a mention of a person has no parentheses: `@dana`",
                        either(&|k| format!("`@{k}(...)`"))
                    ),
                });
            }
        }
    }
    conflicting_dates(c, out);
}

/// Two due tags that resolve to different days: the first one is used.
fn conflicting_dates(c: &Commitment, out: &mut Vec<Finding>) {
    let mut dues = c
        .tags
        .iter()
        .filter(|t| t.kind == TagKind::Due)
        .filter_map(|t| Some((t, t.resolved()?)));
    let Some((first, first_date)) = dues.next() else {
        return;
    };
    if let Some((other, other_date)) = dues.find(|(_, d)| *d != first_date) {
        out.push(Finding {
            rule: Rule::ConflictingDates,
            message: text!(
                "two due dates, ",
                first_date,
                " and ",
                other_date,
                "; the first is used: ",
                Quote::of(c)
            ),
            span: other.span.clone(),
            label: text!("also due ", Describe(other)),
            also: Some((first.span.clone(), text!("due ", Describe(first)))),
            help: "keep one due date and delete the other".to_owned(),
        });
    }
}

/// The known tags a misspelt `@name(...)` most likely meant (more than one when several
/// are equally close: `@dne` is `@due` or `@done`).
pub(super) fn suggestions(name: &str) -> Vec<&'static str> {
    crate::text::closest(name, ["due", "done", "scheduled", "cancelled", "waiting"])
}

/// The known tag a misspelt `@name(...)` meant, when `unknown-tag` is sure of it: it
/// suggests exactly one. `followup fix` renames only these; a tie is left to the user.
pub fn sure_suggestion(name: &str) -> Option<&'static str> {
    match suggestions(name)[..] {
        [known] => Some(known),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{suggestions, sure_suggestion};

    #[test]
    fn suggests_close_known_tags() {
        let one = |name| match suggestions(name)[..] {
            [known] => Some(known),
            [] => None,
            ref several => panic!("{name}: {several:?}"),
        };
        assert_eq!(one("deu"), Some("due"));
        assert_eq!(one("Due_"), Some("due"));
        assert_eq!(one("shceduled"), Some("scheduled"));
        assert_eq!(one("schedule"), Some("scheduled"));
        assert_eq!(one("cancled"), Some("cancelled"));
        assert_eq!(one("wiating"), Some("waiting"));
        assert_eq!(one("waitng"), Some("waiting"));
        // Two edits on a short name is another word, not a typo.
        assert_eq!(one("dana"), None);
        assert_eq!(one("date"), None);
        assert_eq!(one("todo"), None);
        assert_eq!(one("priority"), None);
    }

    #[test]
    fn equally_close_tags_are_all_suggested_and_none_is_sure() {
        assert_eq!(suggestions("dne"), ["due", "done"]);
        assert_eq!(suggestions("dune"), ["due", "done"]);
        assert_eq!(sure_suggestion("dne"), None);
        assert_eq!(sure_suggestion("deu"), Some("due"));
        assert_eq!(sure_suggestion("priority"), None);
    }
}
