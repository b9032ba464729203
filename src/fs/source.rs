//! Reading a note's bytes into text, and mapping byte offsets to lines and columns.

use std::fmt;
use std::fs::{File, FileType, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// The largest note read unless configured otherwise. Call notes are a few KB. A 4 MiB
/// note of ordinary text is listed in about 0.1 s; one made of nothing but a million
/// one-word commitments takes about a second of CPU and 500 MB. Both grow with the size
/// (50 MB of ordinary text: 1 s and 300 MB; 16 MiB of one-word commitments: 1.8 GB), so
/// bigger files are reported and not read.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Why a note could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    /// The file system refused (missing, permission denied...).
    Io(io::Error),
    /// Not a regular file (a FIFO would block the read, a device never end it).
    NotRegular(&'static str),
    /// Bigger than the limit; not read at all.
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The bytes are not UTF-8; the position of the first bad byte helps find it.
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based byte column of the first invalid byte.
        column: usize,
    },
    /// UTF-16 text (it starts with a UTF-16 byte order mark), as some Windows tools save.
    Utf16,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular(kind) => write!(f, "{kind}, not a regular file; not read"),
            ReadError::TooLarge { size, limit } => {
                let (shown, max) = (human_size(*size), human_size(*limit));
                // Just over the limit, both round alike: then the exact sizes tell.
                let (shown, max) = if shown == max {
                    (format!("{size} bytes"), format!("{max} ({limit} bytes)"))
                } else {
                    (shown, max)
                };
                write!(
                    f,
                    "{shown} is over the {max} limit for one note; not read (raise it with --max-file-size)"
                )
            }
            ReadError::NotUtf8 { line, column } => write!(
                f,
                "not valid UTF-8 (first bad byte at line {line}, column {column}); re-save the note as UTF-8"
            ),
            ReadError::Utf16 => write!(f, "UTF-16 text; re-save the note as UTF-8"),
        }
    }
}

/// What kind of file system entry this is, for messages about entries that are not read.
pub fn describe_file_type(ft: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// Open for reading without ever blocking: a FIFO put where a note was found opens at
/// once (and is then refused as not regular) instead of waiting for a writer.
pub(crate) fn open_for_read(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    opts.open(path)
}

/// The most a configuration file (or another small text file followup reads besides the
/// notes) may hold.
pub const MAX_TEXT_FILE_SIZE: u64 = 1024 * 1024;

/// A small text file's text (a configuration file, an agenda compared by `--check`), read
/// as notes are: opened without blocking, only a regular file, at most
/// [`MAX_TEXT_FILE_SIZE`] bytes, UTF-8. A FIFO named as `--config` is refused at once
/// instead of waiting for a writer forever. The error says why, without the notes' hints.
pub fn read_text_file(path: &Path) -> io::Result<String> {
    let other = |m: String| io::Error::other(m);
    match read_note(path, MAX_TEXT_FILE_SIZE) {
        Ok(text) => Ok(text),
        Err(ReadError::Io(e)) => Err(e),
        Err(ReadError::NotRegular(kind)) => {
            Err(other(format!("{kind}, not a regular file; not read")))
        }
        Err(ReadError::TooLarge { size, .. }) => Err(other(format!(
            "{} is over the {} limit; not read",
            human_size(size),
            human_size(MAX_TEXT_FILE_SIZE)
        ))),
        Err(ReadError::NotUtf8 { line, column }) => Err(other(format!(
            "not valid UTF-8 (first bad byte at line {line}, column {column})"
        ))),
        Err(ReadError::Utf16) => Err(other("UTF-16 text; re-save it as UTF-8".to_owned())),
    }
}

/// A note's text with any UTF-8 byte order mark removed. Only a regular file of at most
/// `max_size` bytes is read; the checks are made on the open file, so a file swapped
/// after the walk cannot slip past them.
pub fn read_note(path: &Path, max_size: u64) -> Result<String, ReadError> {
    decode(read_note_bytes(path, max_size)?)
}

/// A note's bytes exactly as they are on disk (BOM and all), with the checks of
/// [`read_note`]. Editing a note needs them: an edit is made to these bytes, and they are
/// compared with the file again just before it is replaced.
pub fn read_note_bytes(path: &Path, max_size: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_for_read(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(describe_file_type(&meta.file_type())));
    }
    let too_large = |size| ReadError::TooLarge {
        size,
        limit: max_size,
    };
    if meta.len() > max_size {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte past the limit tells a file that grew while it was read.
    let read = (&file)
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if read as u64 > max_size {
        let size = file
            .metadata()
            .map_or(read as u64, |m| m.len().max(read as u64));
        return Err(too_large(size));
    }
    Ok(bytes)
}

/// The UTF-8 byte order mark, which [`decode`] drops: offsets into a note's text are
/// this much further into its file when the file starts with one.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many bytes of `bytes` are a leading byte order mark: 3 or 0.
pub fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// Decode bytes as UTF-8, dropping a leading byte order mark.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, ReadError> {
    bytes.drain(..bom_len(&bytes));
    String::from_utf8(bytes).map_err(|e| {
        if e.as_bytes().starts_with(b"\xFF\xFE") || e.as_bytes().starts_with(b"\xFE\xFF") {
            return ReadError::Utf16;
        }
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

const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];

/// A size for people: `512 bytes`, `1.5 KiB`, `16 MiB`, `50.2 MiB`.
pub fn human_size(bytes: u64) -> String {
    for (unit, size) in UNITS {
        if bytes >= size {
            let tenths = (bytes as u128 * 10 + size as u128 / 2) / size as u128;
            return match tenths % 10 {
                0 => format!("{} {unit}", tenths / 10),
                t => format!("{}.{t} {unit}", tenths / 10),
            };
        }
    }
    format!("{bytes} bytes")
}

/// Parse a size: a number of bytes with an optional binary unit, `K`, `M` or `G` (also
/// written `KB`/`KiB`...; all are powers of 1024), case-insensitive: `16M`, `512KiB`.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let number: u64 = s[..digits].parse().ok()?;
    let unit = s[digits..].trim_start().to_ascii_lowercase();
    let scale = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(scale)
}

/// Line starts of one text, built once per file: offsets become line/column with a
/// binary search instead of a rescan per lookup.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before every [`CHUNK`]-th byte, built the first time a column is asked
    /// for far into a long line: a column then costs at most two chunks' counting, not the
    /// whole line's (10,000 findings on one 4 MB line were quadratic).
    chars_before: std::sync::OnceLock<Vec<usize>>,
}

/// The stride of [`LineIndex`]'s character counts, in bytes.
const CHUNK: usize = 4096;

/// Characters in `bytes` (whole UTF-8 text): the bytes that do not continue a character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    /// Index `text`. Lines end at `\n`, `\r\n`, or a lone `\r` (old Mac files).
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Sized for lines of ~40 bytes, as notes' are: growing it was a tenth of its cost.
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 2);
        starts.push(0);
        // memchr: a byte-at-a-time loop here was 5% of a whole scan.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            chars_before: std::sync::OnceLock::new(),
        }
    }

    /// Characters in `text[..offset]` (`offset` a char boundary), from the chunk counts.
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let table = self.chars_before.get_or_init(|| {
            let mut n = 0;
            let mut table = vec![0];
            for chunk in text.as_bytes().chunks(CHUNK) {
                n += count_chars(chunk);
                table.push(n);
            }
            table
        });
        let chunk = offset / CHUNK;
        table[chunk] + count_chars(&text.as_bytes()[chunk * CHUNK..offset])
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
        let column = if offset - start <= 2 * CHUNK {
            count_chars(&text.as_bytes()[start..offset])
        } else {
            self.chars_to(text, offset) - self.chars_to(text, start)
        };
        (line, column + 1)
    }
}

/// Line and column of offsets asked for in increasing order, counted forward from the
/// last one: for a few lookups in one pass, such as a note's commitments, cheaper than a
/// [`LineIndex`] of every line. Same answers as [`LineIndex::line_col`].
#[derive(Debug, Default)]
pub struct LineCursor {
    /// Where counting stopped (a char boundary).
    pos: usize,
    /// Line breaks before `pos`.
    breaks: usize,
    /// Start of the line `pos` is on.
    line_start: usize,
    /// Characters from `line_start` to `pos`.
    chars: usize,
}

impl LineCursor {
    /// 1-based line and 1-based column in characters of `offset` in `text`; an offset
    /// before the last one asked for starts the count over.
    pub fn line_col(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        if offset < self.pos {
            *self = LineCursor::default();
        }
        let bytes = text.as_bytes();
        let seg = &bytes[self.pos..offset];
        // Lines end at `\n`, `\r\n` or a lone `\r`, as in [`LineIndex`]; without a `\r`
        // (nearly every note) counting `\n` is one vectorised pass.
        let last_break = if memchr::memchr(b'\r', seg).is_none() {
            self.breaks += memchr::memchr_iter(b'\n', seg).count();
            memchr::memrchr(b'\n', seg)
        } else {
            let mut last = None;
            for i in memchr::memchr2_iter(b'\n', b'\r', seg) {
                if seg[i] == b'\n' || bytes.get(self.pos + i + 1) != Some(&b'\n') {
                    self.breaks += 1;
                    last = Some(i);
                }
            }
            last
        };
        match last_break {
            Some(i) => {
                self.line_start = self.pos + i + 1;
                self.chars = count_chars(&bytes[self.line_start..offset]);
            }
            None => self.chars += count_chars(seg),
        }
        self.pos = offset;
        (self.breaks + 1, self.chars + 1)
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
    fn columns_far_into_a_long_line_count_characters() {
        let text = format!("x\n{}é{}", "ab".repeat(9000), "ü".repeat(5000));
        let index = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(997).chain([text.len()]) {
            let offset = floor_char_boundary(&text, offset);
            let line = index.line(offset);
            let start = index.line_start(line);
            let expected = text[start..offset].chars().count() + 1;
            assert_eq!(index.line_col(&text, offset), (line, expected), "{offset}");
        }
    }

    proptest::proptest! {
        /// The cursor answers as the index does, for increasing offsets (the way the
        /// parser asks) and for one that goes back.
        #[test]
        fn line_cursor_agrees_with_the_index(
            text in "(?s)[ab\r\né\t]{0,60}",
            mut offsets in proptest::collection::vec(0usize..70, 0..8),
            back in 0usize..70,
        ) {
            let index = LineIndex::new(&text);
            let mut cursor = LineCursor::default();
            offsets.sort_unstable();
            for offset in offsets.into_iter().chain([back]) {
                let offset = offset.min(text.len());
                proptest::prop_assert_eq!(
                    cursor.line_col(&text, offset),
                    index.line_col(&text, offset),
                    "{}", offset
                );
            }
        }
    }

    #[test]
    fn bom_is_dropped_and_bad_bytes_located() {
        assert_eq!(decode(b"\xEF\xBB\xBF---\n".to_vec()).unwrap(), "---\n");
        let err = decode(b"# Caf\xE9\nx".to_vec()).unwrap_err();
        assert!(matches!(err, ReadError::NotUtf8 { line: 1, column: 6 }));
        let err = decode(b"ok\nal\xFFso".to_vec()).unwrap_err();
        assert!(matches!(err, ReadError::NotUtf8 { line: 2, column: 3 }));
    }

    #[test]
    fn utf16_is_named() {
        let err = decode(b"\xFF\xFE#\0 \0".to_vec()).unwrap_err();
        assert_eq!(err.to_string(), "UTF-16 text; re-save the note as UTF-8");
    }

    #[test]
    fn sizes_for_people_and_from_arguments() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(DEFAULT_MAX_FILE_SIZE), "4 MiB");
        assert_eq!(human_size(16 << 20), "16 MiB");
        assert_eq!(human_size(50 * 1000 * 1000), "47.7 MiB");
        assert_eq!(human_size(3 << 30), "3 GiB");
        assert_eq!(parse_size("4M"), Some(DEFAULT_MAX_FILE_SIZE));
        assert_eq!(parse_size("16 MiB"), Some(16 << 20));
        assert_eq!(parse_size("512kb"), Some(512 * 1024));
        assert_eq!(parse_size("100"), Some(100));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("M"), None);
        assert_eq!(parse_size("1.5M"), None);
        assert_eq!(parse_size("10T"), None);
        assert_eq!(parse_size("99999999999999999999"), None);
        assert_eq!(parse_size("99999999999G"), None);
    }

    #[test]
    fn only_regular_files_up_to_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("n.md");
        std::fs::write(&note, "0123456789").unwrap();
        assert_eq!(read_note(&note, 10).unwrap(), "0123456789");
        let err = read_note(&note, 9).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { size: 10, limit: 9 }));
        assert_eq!(
            err.to_string(),
            "10 bytes is over the 9 bytes limit for one note; not read (raise it with --max-file-size)"
        );
        let just_over = ReadError::TooLarge {
            size: DEFAULT_MAX_FILE_SIZE + 494,
            limit: DEFAULT_MAX_FILE_SIZE,
        };
        assert_eq!(
            just_over.to_string(),
            "4194798 bytes is over the 4 MiB (4194304 bytes) limit for one note; not read (raise it with --max-file-size)"
        );
        let err = read_note(dir.path(), 10).unwrap_err();
        assert_eq!(err.to_string(), "a folder, not a regular file; not read");
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
