//! Surgical edits to a note: which bytes to change and what to put there, planned from
//! the parsed note and applied to the file's original bytes. Pure: no file system here
//! (`commands::done` and `commands::fix` read and write; `write::rewrite_note` writes).
//!
//! Every edit is a byte range of the note and its replacement, so everything outside the
//! ranges stays byte for byte as it was: line endings, a byte order mark, a missing final
//! newline, indentation, every other line. Edits never touch a line break, except the
//! whole lines `done` adds (a recurring item's next occurrence) or removes (`🏁 delete`). The parser's
//! offsets are into the note's text, which is the file minus a leading byte order mark
//! (front matter included), so an edit moves by the BOM's length on its way to the file.
//!
//! Each plan is checked before anything is written: the edited text is parsed again
//! and must say what the edit meant (the commitment is now done, dates resolve to the
//! same days) and nothing else (no other commitment changed).
//!
//! - `apply`: [`Edit`]s made to a note's bytes, and the note as read for editing.
//! - `verify`: the check every plan passes before it is written.
//! - `fix`: what `followup fix` rewrites.
//! - `close`: what `followup done` changes.
//! - `snooze`: what `followup snooze` changes.
//! - `card_sent`: what `followup occasions sent` adds to a profile.
//! - `diff`: the `--dry-run` diff.

mod apply;
mod card_sent;
mod close;
mod diff;
mod fix;
mod snooze;
#[cfg(test)]
mod testing;
mod verify;

pub use apply::{apply, ApplyError, Edit, Original};
pub use card_sent::card_sent_edit;
pub use close::{
    close_note, close_note_in, commitments_at, find_commitment, plan_close, Close, Closed, Refusal,
};
pub use diff::{diff_with, unified_diff};
pub use fix::{fix_note, plan_fixes, Fix, FixKind, Fixed};
pub use snooze::{moves, plan_snooze, snooze_note, Move, Snoozed, Which, MOVED};
pub use verify::Unsafe;
