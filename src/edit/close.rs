//! `followup done` and `--cancel`: the commitment a locator's line points at, the
//! edits that close it (check its box, append a dated tag in its own style), and the
//! check that the edited note reads as meant.

use std::fmt;

use chrono::NaiveDate;

use super::apply::{apply, Edit, Original};
use super::verify::{reparse_bytes, same_commitments};
use crate::fs::source::LineIndex;
use crate::notes::model::{Checkbox, Commitment, Note, Status};
use crate::notes::tags::{Syntax, TagKind};

/// Marking a commitment done or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// Kept: `[x]` and `@done(DATE)` / `✅ DATE`.
    Done,
    /// Called off: `[-]` and `@cancelled(DATE)` / `❌ DATE`.
    Cancel,
}

impl Close {
    /// The status it gives.
    pub fn status(self) -> Status {
        match self {
            Close::Done => Status::Done,
            Close::Cancel => Status::Cancelled,
        }
    }

    /// The checkbox it puts in a task item's box.
    fn mark(self) -> &'static str {
        match self {
            Close::Done => "x",
            Close::Cancel => "-",
        }
    }

    /// The tag it appends, in the item's style: the tags `tags.rs` reads as done or
    /// cancelled, emoji when the item already uses Obsidian Tasks emoji.
    fn tag(self, emoji: bool, date: NaiveDate) -> String {
        match (self, emoji) {
            (Close::Done, false) => format!(" @done({date})"),
            (Close::Done, true) => format!(" ✅ {date}"),
            (Close::Cancel, false) => format!(" @cancelled({date})"),
            (Close::Cancel, true) => format!(" ❌ {date}"),
        }
    }
}

/// Why a locator's commitment cannot be closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No commitment starts on the line (nor has a tag there).
    NotACommitment {
        /// The line asked for.
        line: usize,
        /// The lines of the commitments nearest before and after it.
        nearest: Vec<usize>,
    },
    /// More than one commitment starts on the line (`* * [ ] x`).
    Ambiguous {
        /// The line asked for.
        line: usize,
    },
    /// It is done or cancelled already.
    Closed {
        /// Its line.
        line: usize,
        /// Its status.
        status: Status,
        /// Its text.
        text: String,
    },
    /// The tag could not go on the item's first line and be read there (the line ends
    /// inside a code span, say): the user had better do it by hand.
    Unplaceable {
        /// Its line.
        line: usize,
        /// Why.
        why: String,
    },
}

impl Refusal {
    /// The line it is about.
    pub fn line(&self) -> usize {
        match self {
            Refusal::NotACommitment { line, .. }
            | Refusal::Ambiguous { line }
            | Refusal::Closed { line, .. }
            | Refusal::Unplaceable { line, .. } => *line,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotACommitment { nearest, .. } => {
                write!(f, "not a commitment")?;
                match nearest[..] {
                    [] => write!(f, " (this note has none)"),
                    [one] => write!(f, " (the nearest starts on line {one})"),
                    [a, b] => write!(f, " (the nearest start on lines {a} and {b})"),
                    _ => Ok(()),
                }
            }
            Refusal::Ambiguous { .. } => write!(
                f,
                "more than one commitment starts on this line; mark it in the note by hand"
            ),
            Refusal::Closed { status, text, .. } => {
                write!(f, "already {}: {text}", status.as_str())
            }
            Refusal::Unplaceable { why, .. } => {
                write!(
                    f,
                    "cannot mark it without guessing ({why}); edit the note by hand"
                )
            }
        }
    }
}

/// The commitment a locator's line points at: the one whose bullet is on `line` (what
/// `list` and the agenda print), or the one with a tag on `line` (what `check` prints
/// for a tag on a continuation line). Its index in `note.commitments`.
pub fn find_commitment(note: &Note, text: &str, line: usize) -> Result<usize, Refusal> {
    let on_line: Vec<usize> = (0..note.commitments.len())
        .filter(|&i| note.commitments[i].line == line)
        .collect();
    let found = if on_line.is_empty() {
        let index = LineIndex::new(text);
        (0..note.commitments.len())
            .filter(|&i| {
                note.commitments[i]
                    .tags
                    .iter()
                    .any(|t| index.line(t.span.start) == line)
            })
            .collect()
    } else {
        on_line
    };
    match found[..] {
        [i] => Ok(i),
        [] => {
            let before = note.commitments.iter().rev().find(|c| c.line < line);
            let after = note.commitments.iter().find(|c| c.line > line);
            Err(Refusal::NotACommitment {
                line,
                nearest: before.into_iter().chain(after).map(|c| c.line).collect(),
            })
        }
        _ => Err(Refusal::Ambiguous { line }),
    }
}

/// The edits that close one commitment: a task item's `[ ]` becomes `[x]` (`[-]` to
/// cancel), and a dated done (cancelled) tag is appended to the item's first line,
/// before any trailing spaces (which may be a hard line break). Only an open
/// commitment can be closed.
pub fn plan_close(
    c: &Commitment,
    text: &str,
    close: Close,
    date: NaiveDate,
) -> Result<Vec<Edit>, Refusal> {
    if c.status != Status::Open {
        return Err(Refusal::Closed {
            line: c.line,
            status: c.status,
            text: c.text.clone(),
        });
    }
    let mut edits = Vec::new();
    if c.checkbox == Some(Checkbox::Open) {
        let span = c.checkbox_span.clone().unwrap_or(0..0);
        let inside = span.start + 1;
        if text.as_bytes().get(span.start..span.end) != Some(b"[ ]") {
            return Err(Refusal::Unplaceable {
                line: c.line,
                why: "its checkbox is not `[ ]`".to_owned(),
            });
        }
        edits.push(Edit {
            range: inside..inside + 1,
            with: close.mark().to_owned(),
        });
    }
    let bytes = text.as_bytes();
    let line_end = bytes[c.bullet.start..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |i| c.bullet.start + i);
    let mut at = line_end;
    while at > c.bullet.end && matches!(bytes[at - 1], b' ' | b'\t') {
        at -= 1;
    }
    let emoji = c.tags.iter().any(|t| t.syntax == Syntax::Emoji);
    edits.push(Edit {
        range: at..at,
        with: close.tag(emoji, date),
    });
    Ok(edits)
}

/// Commitments closed in one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    /// The commitments closed, in line order: their line and text.
    pub closed: Vec<(usize, String)>,
    /// The changes, in the file's offsets.
    pub edits: Vec<Edit>,
    /// The note's new bytes.
    pub bytes: Vec<u8>,
}

/// Close the commitments `lines` point at in one note (see [`find_commitment`] and
/// [`plan_close`]), all or none: every line is checked first, and every refusal comes
/// back. Two lines that point at one commitment close it once. `reparse` parses a text
/// as this note, to check the result: the commitments closed now have the status and
/// date asked for and kept their text and dates, and every other commitment is as it was.
pub fn close_note(
    original: &Original,
    note: &Note,
    reparse: impl Fn(&str) -> Note,
    lines: &[usize],
    close: Close,
    date: NaiveDate,
) -> Result<Closed, Vec<Refusal>> {
    let text = &original.text;
    let mut refusals = Vec::new();
    let mut targets: Vec<usize> = Vec::new();
    for &line in lines {
        match find_commitment(note, text, line) {
            Ok(i) if !targets.contains(&i) => targets.push(i),
            Ok(_) => {}
            Err(r) => refusals.push(r),
        }
    }
    targets.sort_unstable();
    let mut planned = Vec::new();
    for &i in &targets {
        match plan_close(&note.commitments[i], text, close, date) {
            Ok(e) => planned.push((i, e)),
            Err(r) => refusals.push(r),
        }
    }
    if !refusals.is_empty() {
        refusals.sort_by_key(Refusal::line);
        return Err(refusals);
    }
    match checked_close(original, note, &reparse, &planned, close, date) {
        Ok((edits, bytes)) => Ok(Closed {
            closed: targets
                .iter()
                .map(|&i| (note.commitments[i].line, note.commitments[i].text.clone()))
                .collect(),
            edits,
            bytes,
        }),
        Err(why) => {
            // Say which item is the trouble: each one alone, or all when only together.
            let refuse = |i: usize, why: String| Refusal::Unplaceable {
                line: note.commitments[i].line,
                why,
            };
            let alone: Vec<Refusal> = planned
                .iter()
                .filter_map(|p| {
                    checked_close(
                        original,
                        note,
                        &reparse,
                        std::slice::from_ref(p),
                        close,
                        date,
                    )
                    .err()
                    .map(|why| refuse(p.0, why))
                })
                .collect();
            if alone.is_empty() {
                Err(planned.iter().map(|p| refuse(p.0, why.clone())).collect())
            } else {
                Err(alone)
            }
        }
    }
}

/// Make the planned edits (commitment index, its edits) and check the result (see
/// [`close_note`]): the file's edits and new bytes, or why it does not hold.
fn checked_close(
    original: &Original,
    note: &Note,
    reparse: &impl Fn(&str) -> Note,
    planned: &[(usize, Vec<Edit>)],
    close: Close,
    date: NaiveDate,
) -> Result<(Vec<Edit>, Vec<u8>), String> {
    let text_edits: Vec<Edit> = planned.iter().flat_map(|(_, e)| e.clone()).collect();
    let edits = original.to_file(&text_edits);
    let bytes = apply(&original.bytes, &edits).map_err(|e| e.to_string())?;
    let after = reparse_bytes(&bytes, reparse).map_err(|e| e.0)?;
    let targets: Vec<usize> = planned.iter().map(|(i, _)| *i).collect();
    same_commitments(note, &after, |i| !targets.contains(&i)).map_err(|_| {
        "a tag at the end of its first line would change how the items around it are read"
            .to_owned()
    })?;
    for &i in &targets {
        let (b, a) = (&note.commitments[i], &after.commitments[i]);
        let dated = match close {
            Close::Done => a.done == Some(date),
            Close::Cancel => a
                .tags
                .iter()
                .any(|t| t.kind == TagKind::Cancelled && t.resolved() == Some(date)),
        };
        let kept = (b.text.as_str(), b.due, b.scheduled) == (a.text.as_str(), a.due, a.scheduled);
        if a.status != close.status() || !dated {
            return Err("a tag at the end of its first line would not be read there".to_owned());
        }
        if !kept {
            return Err(
                "a tag at the end of its first line would change its text or dates".to_owned(),
            );
        }
    }
    Ok((edits, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::testing::{assert_surgical, day, note, parse};
    use proptest::prelude::*;

    /// Close the commitments on `lines` as of 2026-11-23.
    fn closed(bytes: &[u8], lines: &[usize], close: Close) -> Result<String, Vec<Refusal>> {
        let original = Original::new(bytes.to_vec()).unwrap();
        let note = parse(&original.text);
        close_note(&original, &note, parse, lines, close, day("2026-11-23"))
            .map(|c| String::from_utf8(c.bytes).unwrap())
    }

    #[test]
    fn done_checks_the_box_and_appends_a_dated_tag() {
        let note = "* Send the deck @due(fri)\n- [ ] Book the room\n1. [ ] Draft the SOW\n\
                    + [ ] Call IT 📅 2026-11-27 ⏫\n";
        assert_eq!(
            closed(note.as_bytes(), &[1, 2, 3, 4], Close::Done).unwrap(),
            "* Send the deck @due(fri) @done(2026-11-23)\n- [x] Book the room @done(2026-11-23)\n\
             1. [x] Draft the SOW @done(2026-11-23)\n+ [x] Call IT 📅 2026-11-27 ⏫ ✅ 2026-11-23\n"
        );
    }

    #[test]
    fn cancel_uses_the_cancelled_box_and_tag() {
        let note = "- [ ] Book the room\n* Send the deck\n- [ ] Call IT 📅 2026-11-27\n";
        assert_eq!(
            closed(note.as_bytes(), &[1, 2, 3], Close::Cancel).unwrap(),
            "- [-] Book the room @cancelled(2026-11-23)\n* Send the deck @cancelled(2026-11-23)\n\
             - [-] Call IT 📅 2026-11-27 ❌ 2026-11-23\n"
        );
    }

    #[test]
    fn nested_loose_quoted_and_multi_line_items() {
        let note = "* Prepare the proposal @due(+3d)\n  covering both sites\n  - [ ] Ask Zoë\n\n\
                    * [ ] Loose one\n\n  More about it.\n\n> - [ ] Quoted task\n";
        let out = closed(note.as_bytes(), &[1, 3, 5, 9], Close::Done).unwrap();
        assert_eq!(
            out,
            "* Prepare the proposal @due(+3d) @done(2026-11-23)\n  covering both sites\n  - [x] Ask Zoë @done(2026-11-23)\n\n\
             * [x] Loose one @done(2026-11-23)\n\n  More about it.\n\n> - [x] Quoted task @done(2026-11-23)\n"
        );
    }

    #[test]
    fn the_tag_goes_before_trailing_spaces_and_line_ends_stay() {
        let note = b"\xEF\xBB\xBF- [ ] Hard break  \r\n  next line\r\n* Last";
        assert_eq!(
            closed(note, &[1, 3], Close::Done).unwrap().as_bytes(),
            "\u{FEFF}- [x] Hard break @done(2026-11-23)  \r\n  next line\r\n* Last @done(2026-11-23)"
                .as_bytes()
        );
    }

    #[test]
    fn a_tag_line_of_a_commitment_points_at_it() {
        // `check` reports a tag on a continuation line at that line.
        let note = "* Prepare the proposal\n  for both sites @due(fri)\n";
        assert_eq!(
            closed(note.as_bytes(), &[2], Close::Done).unwrap(),
            "* Prepare the proposal @done(2026-11-23)\n  for both sites @due(fri)\n"
        );
    }

    #[test]
    fn refusals_name_the_line_and_why() {
        let note = "# Call\n\n* Send it\n- [x] Booked\n- plain\n- [-] Dropped\n* ~~Struck~~\n";
        let refusals = closed(note.as_bytes(), &[1, 3, 4, 5, 6, 7, 9], Close::Done).unwrap_err();
        let shown: Vec<String> = refusals
            .iter()
            .map(|r| format!("{}: {r}", r.line()))
            .collect();
        assert_eq!(
            shown,
            [
                "1: not a commitment (the nearest starts on line 3)",
                "4: already done: Booked",
                "5: not a commitment (the nearest start on lines 4 and 6)",
                "6: already cancelled: Dropped",
                "7: already done: Struck",
                "9: not a commitment (the nearest starts on line 7)",
            ]
        );
        let none = closed(b"# Just text\n", &[1], Close::Done).unwrap_err();
        assert_eq!(none[0].to_string(), "not a commitment (this note has none)");
        let two = closed(b"* * [ ] x\n", &[1], Close::Done).unwrap_err();
        assert!(matches!(two[0], Refusal::Ambiguous { line: 1 }));
    }

    #[test]
    fn a_tag_that_would_not_be_read_is_refused() {
        // The first line ends inside a code span: a tag there would be code.
        let note = "* Check the `config\n  file` today\n";
        let refusals = closed(note.as_bytes(), &[1], Close::Done).unwrap_err();
        assert!(
            matches!(&refusals[0], Refusal::Unplaceable { line: 1, .. }),
            "{refusals:?}"
        );
    }

    #[test]
    fn one_commitment_named_twice_is_closed_once() {
        let note = "* Send it\n  by mail @due(fri)\n";
        assert_eq!(
            closed(note.as_bytes(), &[1, 2, 1], Close::Done).unwrap(),
            "* Send it @done(2026-11-23)\n  by mail @due(fri)\n"
        );
    }

    #[test]
    fn empty_items_around_a_blank_line_are_closed_once() {
        // Once a proptest failure (proptest-regressions/edit.txt, from when this was
        // src/edit.rs): kept here as a test, since that file no longer matches a path.
        let note = b"* \r\n  \r\n  * ";
        let done = closed(note, &[1, 3], Close::Done).unwrap();
        assert_eq!(done, "* @done(2026-11-23) \r\n  \r\n  * @done(2026-11-23) ");
        let again = closed(done.as_bytes(), &[1, 3], Close::Done).unwrap_err();
        assert!(
            again.iter().all(|r| matches!(r, Refusal::Closed { .. })),
            "{again:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Closing every open commitment changes only its ranges and closes each;
        /// closing them again is refused, and writes nothing.
        #[test]
        fn done_is_surgical_and_refused_twice(bytes in note(), cancel in any::<bool>()) {
            let how = if cancel { Close::Cancel } else { Close::Done };
            let original = Original::new(bytes.clone()).unwrap();
            let note = parse(&original.text);
            let open: Vec<usize> = note
                .commitments
                .iter()
                .filter(|c| c.status == Status::Open)
                .map(|c| c.line)
                .collect();
            if open.is_empty() {
                return Ok(());
            }
            let date = day("2026-11-23");
            match close_note(&original, &note, parse, &open, how, date) {
                Ok(c) => {
                    assert_surgical(&bytes, &c.bytes, &c.edits);
                    let again = Original::new(c.bytes.clone()).unwrap();
                    let after = parse(&again.text);
                    for &l in &open {
                        let i = find_commitment(&after, &again.text, l).unwrap();
                        prop_assert_eq!(after.commitments[i].status, how.status());
                    }
                    let twice = close_note(&again, &after, parse, &open, how, date);
                    let refusals = twice.unwrap_err();
                    let all_closed = refusals.iter().all(|r| matches!(r, Refusal::Closed { .. }));
                    prop_assert!(all_closed, "{:?}", refusals);
                }
                Err(refusals) => {
                    // Only what cannot be done without guessing, on lines that hold
                    // markdown a tag at the end could fall into.
                    for r in refusals {
                        let l = r.line();
                        let text = original.text.replace("\r\n", "\n").replace('\r', "\n");
                        let first = text.lines().nth(l - 1).unwrap_or("");
                        let ambiguous = matches!(r, Refusal::Ambiguous { .. });
                        let unplaceable = matches!(r, Refusal::Unplaceable { .. });
                        prop_assert!(ambiguous || unplaceable, "{:?}", r);
                        // An item with nothing on its first line: what follows
                        // may join it once the line holds text.
                        let empty = note.commitments.iter().any(|c| c.line == l && c.text.is_empty());
                        let risky = empty || first.contains(['`', '\\', '<', '~']);
                        prop_assert!(ambiguous || risky, "refused line {} `{}`: {}", l, first, r);
                    }
                }
            }
        }
    }
}
