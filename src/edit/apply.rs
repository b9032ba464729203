//! Making edits: byte ranges of a note and their replacements, applied to the file's
//! original bytes with everything between them copied as it is, and the note as read
//! for editing ([`Original`]: its bytes, and its text without the byte order mark).

use std::fmt;
use std::ops::Range;

use crate::fs::source::{bom_len, decode, ReadError};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
