//! Checking an edit before it is written: the edited note, parsed again, must keep
//! every commitment on its line and, where the edit did not mean to change one, its
//! status, text and dates. A plan that fails is [`Unsafe`]: a bug, never written.

use std::fmt;

use chrono::NaiveDate;

use crate::fs::source::decode;
use crate::notes::model::{Commitment, Note, Status};

/// A planned edit that does not do what it should: a bug in followup, never written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsafe(pub String);

impl fmt::Display for Unsafe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(super) fn decode_lossless(bytes: &[u8]) -> Result<String, Unsafe> {
    decode(bytes.to_vec()).map_err(|e| Unsafe(format!("the edited note does not decode: {e}")))
}

pub(super) fn reparse_bytes(bytes: &[u8], reparse: &impl Fn(&str) -> Note) -> Result<Note, Unsafe> {
    Ok(reparse(&decode_lossless(bytes)?))
}

/// The same commitments on the same lines before and after an edit; those for which
/// `unchanged` is true also keep their status, text and dates.
pub(super) fn same_commitments(
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
