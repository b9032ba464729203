//! Reading a note's bytes into text, and mapping byte offsets to lines and columns.

use std::fmt;
use std::path::Path;

/// Why a note could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    /// The file system refused (missing, permission denied, not a regular file...).
    Io(std::io::Error),
    /// The bytes are not UTF-8; the position of the first bad byte helps find it.
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based byte column of the first invalid byte.
        column: usize,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotUtf8 { line, column } => write!(
                f,
                "not valid UTF-8 (first bad byte at line {line}, column {column}); re-save the note as UTF-8"
            ),
        }
    }
}

/// A note's text with any UTF-8 byte order mark removed.
pub fn read_note(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode(bytes)
}

/// Decode bytes as UTF-8, dropping a leading byte order mark.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let upto = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..upto];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        ReadError::NotUtf8 {
            line,
            column: upto - line_start + 1,
        }
    })
}

/// Line starts of one text, built once per file: offsets become line/column with a
/// binary search instead of a rescan per lookup.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index `text`. Lines end at `\n`, `\r\n`, or a lone `\r` (old Mac files).
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        // memchr: a byte-at-a-time loop here was 5% of a whole scan.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.saturating_sub(1).min(self.starts.len() - 1)]
    }

    /// 1-based line and 1-based column in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let offset = floor_char_boundary(text, offset);
        (line, text[start..offset].chars().count() + 1)
    }
}

/// The largest char boundary at or before `i` (stable `str::floor_char_boundary` is newer
/// than our minimum Rust).
pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped_and_bad_bytes_located() {
        assert_eq!(decode(b"\xEF\xBB\xBF---\n".to_vec()).unwrap(), "---\n");
        let err = decode(b"# Caf\xE9\nx".to_vec()).unwrap_err();
        assert!(matches!(err, ReadError::NotUtf8 { line: 1, column: 6 }));
        let err = decode(b"ok\nal\xFFso".to_vec()).unwrap_err();
        assert!(matches!(err, ReadError::NotUtf8 { line: 2, column: 3 }));
    }

    #[test]
    fn lines_and_char_columns() {
        let t = "ab\r\nçé x\rz\n";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 0), (1, 1));
        assert_eq!(ix.line_col(t, 4), (2, 1));
        assert_eq!(ix.line_col(t, t.find('x').unwrap()), (2, 4));
        assert_eq!(ix.line_col(t, t.find('z').unwrap()), (3, 1));
        assert_eq!(ix.line_start(2), 4);
    }
}
