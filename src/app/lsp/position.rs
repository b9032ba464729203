//! Byte offsets (what the library speaks) to LSP positions (line and UTF-16 code unit,
//! what the protocol speaks) and back. Lines end at `\n`, `\r\n` or a lone `\r`, as the
//! protocol says; a position past the end of its line is clamped to the line's end.

use lsp_types::{Position, Range};

/// Line starts of one document, for converting both ways.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    /// Index `text`.
    pub fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// How many lines (a final line break starts an empty last line).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of a 0-based line, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let Some(&start) = self.starts.get(line) else {
            return self.len..self.len;
        };
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        while end > start && matches!(b[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    /// The end (before its line break) of the line `offset` is on.
    pub fn line_end(&self, text: &str, offset: usize) -> usize {
        let line = self.starts.partition_point(|&s| s <= offset.min(self.len)) - 1;
        self.line_range(text, line).end
    }

    /// The LSP position of a byte offset (an offset inside a character counts as its
    /// start).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = crate::fs::source::floor_char_boundary(text, offset.min(self.len));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The LSP range of a byte range.
    pub fn range(&self, text: &str, r: std::ops::Range<usize>) -> Range {
        Range::new(self.position(text, r.start), self.position(text, r.end))
    }

    /// The byte offset of an LSP position: a line past the end is the end of the text, a
    /// character past the end of its line is the line's end, and a character in the
    /// middle of a surrogate pair is the start of that character.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let range = self.line_range(text, line);
        let mut units = 0usize;
        for (i, c) in text[range.clone()].char_indices() {
            let next = units + c.len_utf16();
            if next > pos.character as usize {
                return range.start + i;
            }
            units = next;
        }
        range.end
    }
}

/// Apply one `didChange` content change to `text`: a range replaced, or (no range) the
/// whole text.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str) {
    match range {
        None => *text = new_text.to_owned(),
        Some(r) => {
            let lines = Lines::new(text);
            let start = lines.offset(text, r.start);
            let end = lines.offset(text, r.end).max(start);
            text.replace_range(start..end, new_text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_with_emoji_and_cjk_before_a_tag() {
        // 😀 is two UTF-16 units (four bytes), 東京 one unit each (three bytes each).
        let text = "# Call\n* 😀 東京 send it @due(fri)\r\nnext\rlast";
        let lines = Lines::new(text);
        let tag = text.find("@due").unwrap();
        // "* " 2 + 😀 2 + " " 1 + 東京 2 + " send it " 9 = 16
        assert_eq!(lines.position(text, tag), Position::new(1, 16));
        assert_eq!(lines.offset(text, Position::new(1, 16)), tag);
        // Every char boundary round-trips, but the `\n` of a `\r\n`, inside a line break.
        for (i, _) in text.char_indices() {
            if text[..i].ends_with('\r') && text[i..].starts_with('\n') {
                continue;
            }
            let p = lines.position(text, i);
            assert_eq!(lines.offset(text, p), i, "offset {i} -> {p:?}");
        }
        // Inside the surrogate pair: the emoji's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(lines.offset(text, Position::new(1, 3)), emoji);
        // CRLF and lone CR end lines; past the end clamps.
        assert_eq!(lines.count(), 4);
        assert_eq!(
            lines.position(text, text.find("next").unwrap()),
            Position::new(2, 0)
        );
        assert_eq!(
            lines.position(text, text.find("last").unwrap()),
            Position::new(3, 0)
        );
        assert_eq!(
            lines.offset(text, Position::new(1, 999)),
            text.find("\r\n").unwrap()
        );
        assert_eq!(lines.offset(text, Position::new(99, 0)), text.len());
        assert_eq!(lines.line_end(text, tag), text.find("\r\n").unwrap());
        assert_eq!(lines.line_end(text, 0), "# Call".len());
    }

    #[test]
    fn incremental_changes_in_utf16() {
        let mut text = "* 東京 😀 @due(fri)\n".to_owned();
        // Replace `fri` (after 2 + 2 + 1 + 2 + 1 + 5 = 13 units) with `mon`.
        let r = Range::new(Position::new(0, 13), Position::new(0, 16));
        apply_change(&mut text, Some(r), "mon");
        assert_eq!(text, "* 東京 😀 @due(mon)\n");
        apply_change(
            &mut text,
            Some(Range::new(Position::new(1, 0), Position::new(1, 0))),
            "x",
        );
        assert_eq!(text, "* 東京 😀 @due(mon)\nx");
        apply_change(&mut text, None, "new");
        assert_eq!(text, "new");
        // A reversed or out-of-range change never panics.
        apply_change(
            &mut text,
            Some(Range::new(Position::new(5, 9), Position::new(0, 1))),
            "!",
        );
        assert_eq!(text, "new!");
    }
}
