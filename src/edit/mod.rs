//! Surgical edits to a note: which bytes to change and what to put there, planned from
//! the parsed note and applied to the file's original bytes. Pure: no file system here
//! (`commands::done` and `commands::fix` read and write; `write::rewrite_note` writes).
//!
//! Every edit is a byte range of the note and its replacement, so everything outside the
//! ranges stays byte for byte as it was: line endings, a byte order mark, a missing final
//! newline, indentation, every other line. Edits never touch a line break. The parser's
//! offsets are into the note's text, which is the file minus a leading byte order mark
//! (front matter included), so an edit moves by the BOM's length on its way to the file.
//!
//! Each plan is checked before anything is written: the edited text is parsed again
//! and must say what the edit meant (the commitment is now done, dates resolve to the
//! same days) and nothing else (no other commitment changed).

use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;

use crate::fs::source::{bom_len, decode, LineIndex, ReadError};
use crate::notes::dates::{parse_iso, parse_value, DateValue};
use crate::notes::model::{Checkbox, Commitment, Note, Status};
use crate::notes::tags::{Syntax, TagKind};
use crate::rules::sure_suggestion;

/// One change: the bytes in `range` become `with` (an empty range inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte range to replace.
    pub range: Range<usize>,
    /// What goes there instead.
    pub with: String,
}

impl Edit {
    /// The same edit `by` bytes further on: from the note's text to its file, which has
    /// a byte order mark in front that the text does not.
    pub fn shifted(&self, by: usize) -> Edit {
        Edit {
            range: self.range.start + by..self.range.end + by,
            with: self.with.clone(),
        }
    }
}

/// Edits that cannot be applied together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyError {
    /// A range ends past the end of the bytes, or ends before it starts.
    OutOfRange(Range<usize>),
    /// Two ranges overlap: which one wins would be a guess.
    Overlap(Range<usize>, Range<usize>),
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplyError::OutOfRange(r) => write!(f, "edit {r:?} is outside the note"),
            ApplyError::Overlap(a, b) => write!(f, "edits {a:?} and {b:?} overlap"),
        }
    }
}

/// `original` with `edits` made: the bytes between the edited ranges are copied as they
/// are. Edits may come in any order; insertions at one offset keep their order.
pub fn apply(original: &[u8], edits: &[Edit]) -> Result<Vec<u8>, ApplyError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let grows: usize = sorted.iter().map(|e| e.with.len()).sum();
    let mut out = Vec::with_capacity(original.len() + grows);
    let mut pos = 0;
    let mut last: Option<&Range<usize>> = None;
    for e in sorted {
        if e.range.start > e.range.end || e.range.end > original.len() {
            return Err(ApplyError::OutOfRange(e.range.clone()));
        }
        if e.range.start < pos {
            let prev = last.cloned().unwrap_or(0..0);
            return Err(ApplyError::Overlap(prev, e.range.clone()));
        }
        out.extend_from_slice(&original[pos..e.range.start]);
        out.extend_from_slice(e.with.as_bytes());
        pos = e.range.end;
        last = Some(&e.range);
    }
    out.extend_from_slice(&original[pos..]);
    Ok(out)
}

/// A note as read for editing: its bytes as they are on disk, and its text as the
/// parser reads it (without the byte order mark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The text the parser reads; its offsets are `bom` bytes short of the file's.
    pub text: String,
    /// Length of the file's byte order mark: 3, or 0 when it has none.
    pub bom: usize,
}

impl Original {
    /// Decode a note's bytes, keeping them for the edit.
    pub fn new(bytes: Vec<u8>) -> Result<Original, ReadError> {
        let text = decode(bytes.clone())?;
        let bom = bom_len(&bytes);
        Ok(Original { bytes, text, bom })
    }

    /// Edits made to the text (its offsets), moved to the file's offsets.
    pub fn to_file(&self, edits: &[Edit]) -> Vec<Edit> {
        edits.iter().map(|e| e.shifted(self.bom)).collect()
    }
}

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
            let mut date = written_out(&tag.date);
            if tag.kind == TagKind::Unknown && tag.syntax == Syntax::At {
                let Some(known) = sure_suggestion(&tag.name) else {
                    continue;
                };
                let name_start = tag.span.start + 1;
                planned.push((
                    name_start..name_start + tag.name.len(),
                    FixKind::TagName {
                        written: tag.name.clone(),
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

/// A planned edit that does not do what it should: a bug in followup, never written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsafe(pub String);

impl fmt::Display for Unsafe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
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
    same_commitments(note, &after, |i| {
        // A renamed tag may make a date (or a status) appear: that is its point.
        let c = &note.commitments[i];
        let renamed = fixes.iter().any(|f| {
            matches!(f.kind, FixKind::TagName { .. })
                && c.tags
                    .iter()
                    .any(|t| t.span.start < f.edit.range.start && f.edit.range.end <= t.span.end)
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

fn decode_lossless(bytes: &[u8]) -> Result<String, Unsafe> {
    decode(bytes.to_vec()).map_err(|e| Unsafe(format!("the edited note does not decode: {e}")))
}

fn reparse_bytes(bytes: &[u8], reparse: &impl Fn(&str) -> Note) -> Result<Note, Unsafe> {
    Ok(reparse(&decode_lossless(bytes)?))
}

/// The same commitments on the same lines before and after an edit; those for which
/// `unchanged` is true also keep their status, text and dates.
fn same_commitments(
    before: &Note,
    after: &Note,
    unchanged: impl Fn(usize) -> bool,
) -> Result<(), Unsafe> {
    if before.commitments.len() != after.commitments.len() {
        return Err(Unsafe(format!(
            "the edit turned {} commitments into {}",
            before.commitments.len(),
            after.commitments.len()
        )));
    }
    for (i, (b, a)) in before
        .commitments
        .iter()
        .zip(&after.commitments)
        .enumerate()
    {
        if b.line != a.line {
            return Err(Unsafe(format!("the edit moved line {}", b.line)));
        }
        if unchanged(i) && facts(b) != facts(a) {
            return Err(Unsafe(format!(
                "the edit changed the commitment on line {}",
                b.line
            )));
        }
    }
    Ok(())
}

type Facts<'a> = (
    Status,
    &'a str,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<&'a str>,
);

/// What a commitment means, for comparing before and after an edit.
fn facts(c: &Commitment) -> Facts<'_> {
    (
        c.status,
        &c.text,
        c.due,
        c.scheduled,
        c.done,
        c.waiting.as_deref(),
    )
}

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

/// A unified diff of a note before and after an edit, for `--dry-run`: `---`/`+++`
/// headers naming the note, three lines of context, each line made safe for a terminal
/// and ended with `\n` (as `agenda --check` shows its diff; a CRLF note's diff reads like
/// any other).
pub fn unified_diff(path: &str, before: &[u8], after: &[u8]) -> String {
    let before = String::from_utf8_lossy(before);
    let after = String::from_utf8_lossy(after);
    let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&crate::text::terminal_safe(line));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::parse::{parse_note, Markers, NoteOrigin};

    /// Parse as a note dated Monday 2026-11-16 by its file name.
    fn parse(text: &str) -> Note {
        let origin = NoteOrigin {
            path: "acme/2026-11-16-call.md",
            file_name: "2026-11-16-call.md",
            folder: Some("acme"),
        };
        parse_note(text, origin, Markers::default())
    }

    fn undated(text: &str) -> Note {
        let origin = NoteOrigin {
            path: "acme/ideas.md",
            file_name: "ideas.md",
            folder: Some("acme"),
        };
        parse_note(text, origin, Markers::default())
    }

    fn day(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    /// `fix` on `bytes`: the new bytes, or `None` when there is nothing to fix.
    fn fixed(bytes: &[u8]) -> Option<String> {
        let original = Original::new(bytes.to_vec()).unwrap();
        let note = parse(&original.text);
        fix_note(&original, &note, parse)
            .unwrap()
            .map(|f| String::from_utf8(f.bytes).unwrap())
    }

    /// Close the commitments on `lines` as of 2026-11-23.
    fn closed(bytes: &[u8], lines: &[usize], close: Close) -> Result<String, Vec<Refusal>> {
        let original = Original::new(bytes.to_vec()).unwrap();
        let note = parse(&original.text);
        close_note(&original, &note, parse, lines, close, day("2026-11-23"))
            .map(|c| String::from_utf8(c.bytes).unwrap())
    }

    fn edit(range: Range<usize>, with: &str) -> Edit {
        Edit {
            range,
            with: with.to_owned(),
        }
    }

    #[test]
    fn apply_copies_everything_between_the_edits() {
        let out = apply(
            b"abcdef",
            &[edit(4..5, "E"), edit(0..0, ">"), edit(1..3, "")],
        )
        .unwrap();
        assert_eq!(out, b">adEf");
        assert_eq!(apply(b"abc", &[]).unwrap(), b"abc");
        assert_eq!(
            apply(b"abc", &[edit(0..2, "x"), edit(1..3, "y")]),
            Err(ApplyError::Overlap(0..2, 1..3))
        );
        assert_eq!(
            apply(b"abc", &[edit(2..4, "x")]),
            Err(ApplyError::OutOfRange(2..4))
        );
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
    fn the_diff_names_the_note_and_shows_the_change() {
        let d = unified_diff("n.md", b"a\r\n* x\r\nb", b"a\r\n* x @done(2026-11-23)\r\nb");
        assert_eq!(
            d,
            "--- n.md\n+++ n.md\n@@ -1,3 +1,3 @@\n a\n-* x\n+* x @done(2026-11-23)\n b\n\\ No newline at end of file\n"
        );
    }

    /// Lines of `bytes`: (start, end of content, end with its line break), with `\n`,
    /// `\r\n` and a lone `\r` each ending a line, as the parser reads them.
    fn lines(bytes: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    out.push((start, i, i + 2));
                    i += 2;
                    start = i;
                }
                b'\n' | b'\r' => {
                    out.push((start, i, i + 1));
                    i += 1;
                    start = i;
                }
                _ => i += 1,
            }
        }
        out.push((start, bytes.len(), bytes.len()));
        out
    }

    /// What an edit must leave alone, checked without `apply`: the new bytes are the old
    /// ones with each range replaced (spliced from the back, one at a time), no edit
    /// touches a line break or the BOM, and line for line the two files have the same
    /// line breaks, the lines with no edit byte for byte.
    fn assert_surgical(old: &[u8], new: &[u8], edits: &[Edit]) {
        let mut sorted = edits.to_vec();
        sorted.sort_by_key(|e| e.range.start);
        let mut spliced = old.to_vec();
        for e in sorted.iter().rev() {
            spliced.splice(e.range.clone(), e.with.bytes());
        }
        assert_eq!(spliced, new, "only the edited ranges differ");
        for e in &sorted {
            assert!(e.range.start >= bom_len(old), "an edit inside the BOM");
            assert!(!old[e.range.clone()]
                .iter()
                .any(|b| matches!(b, b'\n' | b'\r')));
            assert!(!e.with.contains(['\n', '\r']), "an edit adds a line break");
        }
        assert_eq!(bom_len(old), bom_len(new), "the BOM stays or stays away");
        let (before, after) = (lines(old), lines(new));
        assert_eq!(before.len(), after.len(), "same number of lines");
        for (&(s, c, e), &(s2, c2, e2)) in before.iter().zip(&after) {
            assert_eq!(old[c..e], new[c2..e2], "same line break");
            let touched = sorted
                .iter()
                .any(|ed| s <= ed.range.start && ed.range.start <= c);
            if !touched {
                assert_eq!(old[s..e], new[s2..e2], "an unedited line changed");
            }
        }
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;
        use proptest::sample::select;

        /// One line of a note: an indent, maybe a bullet, and words and tags, some of
        /// them what `fix` rewrites, some what it must leave alone.
        fn line() -> impl Strategy<Value = String> {
            let indent = select(vec!["", "", "  ", "    ", "> ", "\t"]);
            let bullet = select(vec![
                "* ", "* ", "- [ ] ", "- [ ] ", "1. [ ] ", "2) [ ] ", "+ [ ] ", "- ", "* [x] ",
                "- [-] ", "", "# Call ", "```", "---", "*",
            ]);
            let word = select(vec![
                "Send",
                "the deck",
                "é",
                "—",
                "@due(fri)",
                "@due(+3d)",
                "due:tomorrow",
                "due:tomorrow.",
                "@deu(2026-11-27)",
                "@deu(mon)",
                "@dne(fri)",
                "📅 2026-11-27",
                "⏫",
                "@scheduled(today)",
                "@waitng(Dana)",
                "[due:: 2026-11-25]",
                "@done",
                "`@due(fri)`",
                "~~x~~",
                "\\",
                "  ",
                "@due(someday)",
                "@dana",
                "<!-- c -->",
                "`code",
                "@Due( Friday )",
                "✅ 2026-11-20",
                "@due(+999999m)",
            ]);
            (indent, bullet, prop::collection::vec(word, 0..5))
                .prop_map(|(i, b, w)| format!("{i}{b}{}", w.join(" ")))
        }

        /// A note: maybe a BOM, maybe front matter, lines ended by the file's line
        /// break (now and then another), with or without a final one.
        fn note() -> impl Strategy<Value = Vec<u8>> {
            let body = prop::collection::vec((line(), 0..8u8), 0..14);
            let ending = select(vec!["\n", "\r\n", "\r"]);
            (any::<bool>(), any::<bool>(), body, ending, any::<bool>()).prop_map(
                |(bom, front, body, ending, last)| {
                    let mut s = String::new();
                    if bom {
                        s.push('\u{FEFF}');
                    }
                    if front {
                        s.push_str(&format!("---{ending}customer: Acme{ending}---{ending}"));
                    }
                    let n = body.len();
                    for (k, (l, odd)) in body.into_iter().enumerate() {
                        s.push_str(&l);
                        if k + 1 < n || last {
                            s.push_str(if odd == 0 { "\r\n" } else { ending });
                        }
                    }
                    s.into_bytes()
                },
            )
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
}
