//! `followup fix`: what can be rewritten without guessing (relative dates written
//! out, sure tag typos renamed), planned from the parsed note and checked before it is
//! written.

use std::ops::Range;

use chrono::NaiveDate;

use super::apply::{apply, Edit, Original};
use super::verify::{decode_lossless, same_commitments, Unsafe};
use crate::fs::source::LineIndex;
use crate::notes::dates::{parse_iso, parse_value, DateValue};
use crate::notes::model::Note;
use crate::notes::tags::{Syntax, TagKind};
use crate::rules::sure_suggestion;

/// One thing `fix` rewrites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixKind {
    /// A relative date (`fri`) written out as the day it stands for.
    RelativeDate {
        /// The value as written.
        written: String,
        /// The day the parser resolved it to, from the note's date.
        date: NaiveDate,
    },
    /// A misspelt tag name (`deu`) renamed to the one known tag `unknown-tag` suggests.
    TagName {
        /// The name as written.
        written: String,
        /// The known tag it becomes.
        known: &'static str,
    },
    /// A date tag written with a space or a colon (`@due 2026-12-05`, `@due: 2026-12-05`)
    /// rewritten in its canonical form, `@due(2026-12-05)`.
    TagForm {
        /// The tag as written.
        written: String,
        /// What it becomes.
        canonical: String,
    },
}

/// A fix planned for one note: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// 1-based line of the change.
    pub line: usize,
    /// What it rewrites.
    pub kind: FixKind,
    /// The change, in the note's text offsets.
    pub edit: Edit,
}

/// The day a relative date value stands for, when writing it out is certain to mean
/// the same: the value is relative, the note has a date, and the day is a `YYYY-MM-DD`
/// the parser reads back (not a five-digit year, which `+999999m` reaches).
fn written_out(date: &Option<DateValue>) -> Option<NaiveDate> {
    match date {
        Some(DateValue::Relative { date, .. }) => {
            parse_iso(&date.to_string()).filter(|d| d == date)
        }
        _ => None,
    }
}

/// What `fix` would change in a note, in text order: every relative date in a
/// commitment's tags written out as `YYYY-MM-DD`, resolved from the note's date as the
/// parser resolves it, in the tag's own syntax (only the value changes: `@due(fri)` ->
/// `@due(2026-11-20)`, `due:tomorrow` -> `due:2026-11-17`); and every misspelt tag name
/// that `unknown-tag` is sure of (one suggestion, not a tie), renamed, with its relative
/// date written out too so that one run is enough. Nothing is guessed: relative dates
/// in an undated note, invalid dates and ambiguous names are left for the user.
pub fn plan_fixes(note: &Note, text: &str) -> Vec<Fix> {
    let mut planned: Vec<(Range<usize>, FixKind, String)> = Vec::new();
    for c in &note.commitments {
        for tag in &c.tags {
            let Some(value_span) = tag.value_span.clone() else {
                continue;
            };
            let whole = &text[tag.span.clone()];
            if tag.syntax == Syntax::At && tag.kind.takes_date() && !whole.ends_with(')') {
                let canonical = format!("@{}({})", tag.name, &text[value_span]);
                planned.push((
                    tag.span.clone(),
                    FixKind::TagForm {
                        written: whole.to_owned(),
                        canonical: canonical.clone(),
                    },
                    canonical,
                ));
                continue;
            }
            let mut date = written_out(&tag.date);
            if tag.kind == TagKind::Unknown && tag.syntax == Syntax::At {
                let Some(known) = sure_suggestion(&tag.name) else {
                    continue;
                };
                let name_start = tag.span.start + 1;
                planned.push((
                    name_start..name_start + tag.name.len(),
                    FixKind::TagName {
                        written: tag.name.to_string(),
                        known,
                    },
                    known.to_owned(),
                ));
                // `@waiting(NAME)` holds a name; the other known tags hold a DATE.
                if known != "waiting" {
                    let value = &text[value_span.clone()];
                    date = written_out(&Some(parse_value(value, note.date, true)));
                }
            }
            if let Some(date) = date {
                planned.push((
                    value_span.clone(),
                    FixKind::RelativeDate {
                        written: text[value_span].to_owned(),
                        date,
                    },
                    date.to_string(),
                ));
            }
        }
    }
    if planned.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut fixes: Vec<Fix> = planned
        .into_iter()
        .map(|(range, kind, with)| Fix {
            line: index.line(range.start),
            kind,
            edit: Edit { range, with },
        })
        .collect();
    fixes.sort_by_key(|f| f.edit.range.start);
    fixes
}

/// A note's fixes, made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The fixes, in text order.
    pub fixes: Vec<Fix>,
    /// The same changes in the file's offsets.
    pub edits: Vec<Edit>,
    /// The note's new bytes.
    pub bytes: Vec<u8>,
}

/// Fix a note (see [`plan_fixes`]): `None` when there is nothing to fix. `reparse`
/// parses a text as this note (same path, same origin) to check the result: every
/// commitment is still there on its line, every date it had resolves to the same day,
/// and a second run would change nothing. A result that fails the check is an
/// [`Unsafe`] error and must not be written.
pub fn fix_note(
    original: &Original,
    note: &Note,
    reparse: impl Fn(&str) -> Note,
) -> Result<Option<Fixed>, Unsafe> {
    let fixes = plan_fixes(note, &original.text);
    if fixes.is_empty() {
        return Ok(None);
    }
    let text_edits: Vec<Edit> = fixes.iter().map(|f| f.edit.clone()).collect();
    let edits = original.to_file(&text_edits);
    let bytes = apply(&original.bytes, &edits).map_err(|e| Unsafe(e.to_string()))?;
    let new_text = decode_lossless(&bytes)?;
    let after = reparse(&new_text);
    // The renamed tags' name ranges, in text order: looked up per tag by binary search,
    // not scanned per commitment (that was quadratic: 208k dates took minutes).
    let renames: Vec<&Range<usize>> = fixes
        .iter()
        .filter(|f| matches!(f.kind, FixKind::TagName { .. }))
        .map(|f| &f.edit.range)
        .collect();
    same_commitments(note, &after, |i| {
        // A renamed tag may make a date (or a status) appear: that is its point.
        let renamed = note.commitments[i].tags.iter().any(|t| {
            let first = renames.partition_point(|r| r.start <= t.span.start);
            renames.get(first).is_some_and(|r| r.end <= t.span.end)
        });
        !renamed
    })?;
    let again = plan_fixes(&after, &new_text);
    if !again.is_empty() {
        return Err(Unsafe(format!(
            "a second fix would still change line {}",
            again[0].line
        )));
    }
    Ok(Some(Fixed {
        fixes,
        edits,
        bytes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::testing::{assert_surgical, day, note, parse, undated};
    use proptest::prelude::*;

    /// `fix` on `bytes`: the new bytes, or `None` when there is nothing to fix.
    fn fixed(bytes: &[u8]) -> Option<String> {
        let original = Original::new(bytes.to_vec()).unwrap();
        let note = parse(&original.text);
        fix_note(&original, &note, parse)
            .unwrap()
            .map(|f| String::from_utf8(f.bytes).unwrap())
    }

    #[test]
    fn relative_dates_are_written_out_in_their_own_syntax() {
        let note = "* Send the deck @due(fri)\n- [ ] Book the room due:tomorrow.\n\
                    * Call Dana @scheduled( +1w ) @DUE(Friday)\n";
        assert_eq!(
            fixed(note.as_bytes()).unwrap(),
            "* Send the deck @due(2026-11-20)\n- [ ] Book the room due:2026-11-17.\n\
             * Call Dana @scheduled( 2026-11-23 ) @DUE(2026-11-20)\n"
        );
    }

    #[test]
    fn date_tags_with_a_space_or_colon_get_their_parentheses() {
        let note = "* Send the deck @due 2026-12-05\n- [ ] Book it @Due: 2026-12-06 today\n\
                    * Call @scheduled:2026-12-01 @due(2026-12-07)\n";
        assert_eq!(
            fixed(note.as_bytes()).unwrap(),
            "* Send the deck @due(2026-12-05)\n- [ ] Book it @Due(2026-12-06) today\n\
             * Call @scheduled(2026-12-01) @due(2026-12-07)\n"
        );
    }

    #[test]
    fn sure_tag_typos_are_renamed_and_their_dates_written_out() {
        let note = "* Send it @deu(2026-11-27)\n* Plan it @shceduled(fri) @waitng(Dana)\n\
                    * Ask @dne(fri) and @priority(high) and @dana\n";
        assert_eq!(
            fixed(note.as_bytes()).unwrap(),
            "* Send it @due(2026-11-27)\n* Plan it @scheduled(2026-11-20) @waiting(Dana)\n\
             * Ask @dne(fri) and @priority(high) and @dana\n"
        );
    }

    #[test]
    fn fix_leaves_alone_what_it_would_have_to_guess_or_is_not_a_commitment() {
        for note in [
            // Not commitments: a plain bullet, a paragraph, code.
            "- Talked about @due(fri)\n\nDue date: due:tomorrow\n\n```\n* [ ] x @due(fri)\n```\n",
            "* Check the `@due(fri)` syntax @due(2026-11-20)\n",
            // Emoji and Dataview forms take only YYYY-MM-DD; invalid dates stay.
            "* Send it 📅 2026-11-27 [due:: 2026-11-30] @due(someday) @due(2026-02-30)\n",
            // A tie between two tags.
            "* Send it @dne(2026-11-20)\n",
        ] {
            assert_eq!(fixed(note.as_bytes()), None, "{note}");
        }
        // An undated note: its relative dates mean nothing yet; a sure typo is still fixed.
        let original = Original::new(b"* Send it @due(fri) @deu(mon)\n".to_vec()).unwrap();
        let note = undated(&original.text);
        let f = fix_note(&original, &note, undated).unwrap().unwrap();
        assert_eq!(f.bytes, b"* Send it @due(fri) @due(mon)\n");
    }

    #[test]
    fn a_date_that_does_not_fit_yyyy_mm_dd_is_left_as_written() {
        assert_eq!(fixed(b"* Plan it @due(+999999m)\n"), None);
    }

    #[test]
    fn fix_keeps_bom_crlf_front_matter_and_a_missing_final_newline() {
        let note = b"\xEF\xBB\xBF---\r\ncustomer: Acme\r\n---\r\n# Call\r\n\r\n* Send it @due(fri)\r\n  and more due:tomorrow";
        assert_eq!(
            fixed(note).unwrap().as_bytes(),
            b"\xEF\xBB\xBF---\r\ncustomer: Acme\r\n---\r\n# Call\r\n\r\n* Send it @due(2026-11-20)\r\n  and more due:2026-11-17"
        );
    }

    #[test]
    fn fixes_say_what_and_where() {
        let original = Original::new(b"# Call\n\n* A @deu(fri)\n".to_vec()).unwrap();
        let fixes = plan_fixes(&parse(&original.text), &original.text);
        assert_eq!(
            fixes.iter().map(|f| (f.line, &f.kind)).collect::<Vec<_>>(),
            [
                (
                    3,
                    &FixKind::TagName {
                        written: "deu".into(),
                        known: "due"
                    }
                ),
                (
                    3,
                    &FixKind::RelativeDate {
                        written: "fri".into(),
                        date: day("2026-11-20")
                    }
                ),
            ]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// `fix` changes only its ranges, never needs a second run, and never plans
        /// an edit its own check refuses.
        #[test]
        fn fix_is_surgical_and_idempotent(bytes in note()) {
            let original = Original::new(bytes.clone()).unwrap();
            let note = parse(&original.text);
            let fixed = fix_note(&original, &note, parse);
            prop_assert!(fixed.is_ok(), "{:?}", fixed);
            if let Some(f) = fixed.unwrap() {
                assert_surgical(&bytes, &f.bytes, &f.edits);
                let again = Original::new(f.bytes.clone()).unwrap();
                let second = fix_note(&again, &parse(&again.text), parse).unwrap();
                prop_assert!(second.is_none(), "a second run changed {:?}", second);
            }
        }
    }
}
