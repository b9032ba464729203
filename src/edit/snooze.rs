//! `followup snooze`: move a commitment's due (or scheduled) date, in the item's own
//! dialect, and count the move in `@moved(N)`.
//!
//! - A date tag already there keeps its spelling; only its value changes, to
//!   `YYYY-MM-DD`: `@due(fri)` -> `@due(2026-12-04)`, `due:tomorrow` -> `due:2026-12-04`,
//!   `📅 2026-11-20` -> `📅 2026-12-04`, `[due:: 2026-11-20]` -> `[due:: 2026-12-04]`.
//! - An item with no such tag gets one in the style of its other tags (emoji, Dataview,
//!   `due:`), else `@due(DATE)` / `@scheduled(DATE)`, at the end of its first line.
//! - The count: `@moved(N)` becomes `@moved(N+1)`; an item moved for the first time gets
//!   `@moved(1)`, at the end of its first line, or just before its first Obsidian Tasks
//!   emoji (Obsidian Tasks reads its emoji fields only at the end of a line).
//!
//! Each plan is parsed again before it is written (as `done`'s): the item keeps its text,
//! status and other dates, now has the new date and count, and no other item changed.

use chrono::NaiveDate;

use super::apply::{apply, Edit, Original};
use super::close::{commitments_at, Refusal};
use super::verify::{reparse_bytes, same_commitments};
use crate::notes::model::{Commitment, Note, Status};
use crate::notes::tags::{Syntax, Tag, TagKind};

/// Which date to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The due date.
    Due,
    /// The scheduled date.
    Scheduled,
}

impl Which {
    fn kind(self) -> TagKind {
        match self {
            Which::Due => TagKind::Due,
            Which::Scheduled => TagKind::Scheduled,
        }
    }

    /// `due` or `scheduled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Which::Due => "due",
            Which::Scheduled => "scheduled",
        }
    }

    fn of(self, c: &Commitment) -> Option<NaiveDate> {
        match self {
            Which::Due => c.due,
            Which::Scheduled => c.scheduled,
        }
    }
}

use crate::rules::moves::moved_tag;
pub use crate::rules::moves::{times_moved as moves, MOVED};

/// One commitment moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// Its line.
    pub line: usize,
    /// Its text.
    pub text: String,
    /// The date it had.
    pub from: Option<NaiveDate>,
    /// The count of moves now (unchanged with `count` off).
    pub moves: u32,
}

/// Commitments moved in one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snoozed {
    /// The commitments moved, in line order.
    pub moved: Vec<Move>,
    /// The changes, in the file's offsets.
    pub edits: Vec<Edit>,
    /// The note's new bytes.
    pub bytes: Vec<u8>,
}

/// The edits that move one commitment's date to `to` (and count it when `count`).
pub fn plan_snooze(
    c: &Commitment,
    text: &str,
    which: Which,
    to: NaiveDate,
    count: bool,
) -> Result<Vec<Edit>, Refusal> {
    if c.status != Status::Open {
        return Err(Refusal::Closed {
            line: c.line,
            status: c.status,
            text: c.text.clone(),
        });
    }
    let unplaceable = |why: &str| Refusal::Unplaceable {
        line: c.line,
        why: why.to_owned(),
    };
    let tags: Vec<&Tag> = c.tags.iter().filter(|t| t.kind == which.kind()).collect();
    let mut edits = Vec::new();
    let date = to.to_string();
    // Where a new tag goes: the end of the first line, before trailing spaces.
    let bytes = text.as_bytes();
    let line_end = bytes[c.bullet.start..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |i| c.bullet.start + i);
    let mut end = line_end;
    while end > c.bullet.end && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    let mut append = String::new();
    match tags[..] {
        [] => {
            let style = |s| c.tags.iter().any(|t| t.syntax == s);
            let tag = if style(Syntax::Emoji) {
                match which {
                    Which::Due => format!(" 📅 {date}"),
                    Which::Scheduled => format!(" ⏳ {date}"),
                }
            } else if style(Syntax::Dataview) {
                format!(" [{}:: {date}]", which.as_str())
            } else if style(Syntax::Colon) && which == Which::Due {
                format!(" due:{date}")
            } else {
                format!(" @{}({date})", which.as_str())
            };
            append.push_str(&tag);
        }
        [tag] => {
            let value = tag.value_span.clone().ok_or_else(|| {
                unplaceable(&format!("its {} tag has no date to change", which.as_str()))
            })?;
            edits.push(Edit {
                range: value,
                with: date.clone(),
            });
        }
        _ => {
            return Err(unplaceable(&format!(
                "it has {} {} tags",
                tags.len(),
                which.as_str()
            )))
        }
    }
    if count {
        match moved_tag(c) {
            Some(t) => {
                let n = moves(c);
                let value = t
                    .value_span
                    .clone()
                    .filter(|_| n > 0)
                    .ok_or_else(|| unplaceable("its `@moved` tag is not `@moved(N)`"))?;
                edits.push(Edit {
                    range: value,
                    with: (n + 1).to_string(),
                });
            }
            None => {
                let first_line = |t: &&Tag| t.span.start >= c.bullet.end && t.span.end <= end;
                match c
                    .tags
                    .iter()
                    .filter(first_line)
                    .find(|t| t.syntax == Syntax::Emoji)
                {
                    Some(emoji) => edits.push(Edit {
                        range: emoji.span.start..emoji.span.start,
                        with: format!("@{MOVED}(1) "),
                    }),
                    None => append.push_str(&format!(" @{MOVED}(1)")),
                }
            }
        }
    }
    if !append.is_empty() {
        edits.push(Edit {
            range: end..end,
            with: append,
        });
    }
    Ok(edits)
}

/// Move the commitments `lines` point at in one note (see [`commitments_at`]), all or
/// none. `reparse` parses a text as this note, to check the result: each moved
/// commitment has the new date and count and kept its text, status and other dates;
/// every other commitment is as it was.
pub fn snooze_note(
    original: &Original,
    note: &Note,
    reparse: impl Fn(&str) -> Note,
    lines: &[usize],
    which: Which,
    to: NaiveDate,
    count: bool,
) -> Result<Snoozed, Vec<Refusal>> {
    let text = &original.text;
    let (mut targets, mut refusals) = commitments_at(note, text, lines);
    // Already on that day: nothing to move, and no move to count.
    targets.retain(|&i| which.of(&note.commitments[i]) != Some(to));
    targets.sort_unstable();
    let mut text_edits = Vec::new();
    for &i in &targets {
        match plan_snooze(&note.commitments[i], text, which, to, count) {
            Ok(mut e) => text_edits.append(&mut e),
            Err(r) => refusals.push(r),
        }
    }
    if !refusals.is_empty() {
        refusals.sort_by_key(Refusal::line);
        return Err(refusals);
    }
    let refuse_all = |why: String| {
        targets
            .iter()
            .map(|&i| Refusal::Unplaceable {
                line: note.commitments[i].line,
                why: why.clone(),
            })
            .collect::<Vec<_>>()
    };
    let edits = original.to_file(&text_edits);
    let bytes = apply(&original.bytes, &edits).map_err(|e| refuse_all(e.to_string()))?;
    let after = reparse_bytes(&bytes, &reparse).map_err(|e| refuse_all(e.0))?;
    same_commitments(note, &after, |i| !targets.contains(&i)).map_err(|_| {
        refuse_all("the new tag would change how the items around it are read".to_owned())
    })?;
    let mut moved = Vec::new();
    for &i in &targets {
        let (b, a) = (&note.commitments[i], &after.commitments[i]);
        let other = |c: &Commitment| match which {
            Which::Due => c.scheduled,
            Which::Scheduled => c.due,
        };
        let want = if count { moves(b) + 1 } else { moves(b) };
        if which.of(a) != Some(to) || moves(a) != want {
            return Err(refuse_all(format!(
                "the new date would not be read as {} {to}",
                which.as_str()
            )));
        }
        if (b.text.as_str(), b.status, other(b), b.done)
            != (a.text.as_str(), a.status, other(a), a.done)
        {
            return Err(refuse_all(
                "moving the date would change its text or other dates".to_owned(),
            ));
        }
        moved.push(Move {
            line: b.line,
            text: b.text.clone(),
            from: which.of(b),
            moves: want,
        });
    }
    Ok(Snoozed {
        moved,
        edits,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::testing::{assert_surgical, day, parse};

    fn snoozed(note: &str, lines: &[usize], which: Which) -> Result<String, Vec<Refusal>> {
        let original = Original::new(note.as_bytes().to_vec()).unwrap();
        let parsed = parse(&original.text);
        snooze_note(
            &original,
            &parsed,
            parse,
            lines,
            which,
            day("2026-12-04"),
            true,
        )
        .map(|s| {
            assert_surgical(note.as_bytes(), &s.bytes, &s.edits);
            String::from_utf8(s.bytes).unwrap()
        })
    }

    #[test]
    fn every_dialect_keeps_its_spelling() {
        let cases = [
            (
                "* Send it @due(fri)\n",
                "* Send it @due(2026-12-04) @moved(1)\n",
            ),
            (
                "- [ ] Book it due:tomorrow\n",
                "- [ ] Book it due:2026-12-04 @moved(1)\n",
            ),
            (
                "- [ ] Call IT 📅 2026-11-20 ⏫\n",
                "- [ ] Call IT @moved(1) 📅 2026-12-04 ⏫\n",
            ),
            (
                "- [ ] Draft it [due:: 2026-11-20]\n",
                "- [ ] Draft it [due:: 2026-12-04] @moved(1)\n",
            ),
            (
                "* Send it @due(2026-11-20) @moved(2)\r\n",
                "* Send it @due(2026-12-04) @moved(3)\r\n",
            ),
            (
                "* No date yet\n",
                "* No date yet @due(2026-12-04) @moved(1)\n",
            ),
            (
                "- [ ] Emoji ⏳ 2026-11-20\n",
                "- [ ] Emoji @moved(1) ⏳ 2026-11-20 📅 2026-12-04\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(
                snoozed(before, &[1], Which::Due).unwrap(),
                after,
                "{before}"
            );
        }
        assert_eq!(
            snoozed("* Plan it ⏳ 2026-11-20\n", &[1], Which::Scheduled).unwrap(),
            "* Plan it @moved(1) ⏳ 2026-12-04\n"
        );
        assert_eq!(
            snoozed("* Plan it @due(fri)\n", &[1], Which::Scheduled).unwrap(),
            "* Plan it @due(fri) @scheduled(2026-12-04) @moved(1)\n"
        );
    }

    #[test]
    fn closed_items_and_double_dates_are_refused() {
        let r = snoozed("- [x] Done @due(2026-11-20)\n", &[1], Which::Due).unwrap_err();
        assert!(matches!(r[0], Refusal::Closed { .. }), "{r:?}");
        let r = snoozed("* Two @due(2026-11-20) due:2026-11-21\n", &[1], Which::Due).unwrap_err();
        assert!(matches!(r[0], Refusal::Unplaceable { .. }), "{r:?}");
        // Already on that day: nothing changes, nothing is counted.
        let same = "* Send it @due(2026-12-04)\n";
        assert_eq!(snoozed(same, &[1], Which::Due).unwrap(), same);
    }
}
