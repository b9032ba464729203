//! The one note reader: the only way a file becomes a [`Note`]. Every command that
//! reads notes (`check`, `list`, `agenda`, `customers`, `fix`, `done`) goes through
//! [`read`], so they all agree on what a note is: a regular file within the size limit,
//! UTF-8 (a byte order mark is dropped), not empty, not an agenda followup generated,
//! parsed with the configured markers.

use std::path::Path;

use crate::fs::source::{bom_len, decode, read_note_bytes, ReadError, BOM};
use crate::fs::walk::NoteFile;
use crate::fs::write::GENERATED_LINES;
use crate::notes::model::Note;
use crate::notes::parse::{parse_note, Markers, NoteOrigin};

/// What the reader does with a file: every setting that changes what a note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadPolicy {
    /// Which list items are commitments.
    pub markers: Markers,
    /// Files bigger than this many bytes are refused unread.
    pub max_file_size: u64,
}

impl Default for ReadPolicy {
    fn default() -> Self {
        ReadPolicy {
            markers: Markers::default(),
            max_file_size: crate::fs::source::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// A note's text as read, and whether its file starts with a byte order mark: the file's
/// bytes are exactly the mark (if any) followed by the text, so an edit can be planned
/// on the text and written to the bytes without keeping a second copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The text the parser read (without the byte order mark).
    pub text: String,
    /// Whether the file starts with a UTF-8 byte order mark.
    pub bom: bool,
}

impl Source {
    /// Decode a file's bytes.
    pub fn decode(bytes: Vec<u8>) -> Result<Source, ReadError> {
        let bom = bom_len(&bytes) > 0;
        Ok(Source {
            text: decode(bytes)?,
            bom,
        })
    }

    /// The file's bytes, as they were on disk.
    pub fn bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(self.text.len() + BOM.len());
        if self.bom {
            b.extend_from_slice(BOM);
        }
        b.extend_from_slice(self.text.as_bytes());
        b
    }
}

/// What one file turned out to be.
#[derive(Debug)]
pub enum Read {
    /// A note, parsed, with its text.
    Note(Box<Note>, Source),
    /// Nothing but white space: nothing to read, worth a word.
    Empty,
    /// An agenda followup wrote: it lists commitments too, so reading it would count
    /// them twice.
    Generated,
}

/// Read and parse the note at `file` under `policy`.
pub fn read(file: &NoteFile, policy: ReadPolicy) -> Result<Read, ReadError> {
    let bytes = read_note_bytes(&file.fs_path, policy.max_file_size)?;
    let source = Source::decode(bytes)?;
    Ok(parse(file, source, policy.markers))
}

/// Parse text already read (a note whose bytes are in hand, such as an edited one) the
/// way [`read`] parses a file's.
pub fn parse(file: &NoteFile, source: Source, markers: Markers) -> Read {
    if source.text.trim().is_empty() {
        return Read::Empty;
    }
    let first = source
        .text
        .split_once('\n')
        .map_or(source.text.as_str(), |(first, _)| first)
        .trim_end_matches('\r');
    let generated = GENERATED_LINES.contains(&first);
    let note = parse_text(file, &source.text, markers);
    // An agenda lists commitments too: reading it would count them twice. But a file
    // with commitments of its own (items that are not agenda lines) is read as a note,
    // so that they are never skipped without a word.
    if generated && only_agenda_items(&note, &source.text) {
        return Read::Generated;
    }
    Read::Note(Box::new(note), source)
}

/// Whether every commitment of `note` is on an agenda line: one that ends with the
/// ` · [path:line](link)` the agenda writes after each item.
fn only_agenda_items(note: &Note, text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    note.commitments.iter().all(|c| {
        lines.get(c.line.saturating_sub(1)).is_some_and(|l| {
            l.rsplit_once(" · [")
                .is_some_and(|(_, tail)| tail.contains("](") && tail.ends_with(')'))
        })
    })
}

/// Parse the text of `file` with what its path says (its shown path, its name's date,
/// its customer folder). Edits re-parse their result with this, so that a changed note
/// is read exactly as the original was.
pub fn parse_text(file: &NoteFile, text: &str, markers: Markers) -> Note {
    let file_name = file
        .fs_path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let origin = NoteOrigin {
        path: &file.display,
        file_name: &file_name,
        folder: file.folder.as_deref(),
    };
    let note = parse_note(text, origin, markers);
    // A date without a year is the latest such day on or before today; when the file
    // was last changed before today, on or before that day (a note is written on or
    // after its call). Only such notes pay for the look at the file's time.
    if note.year_guessed {
        let changed = std::fs::metadata(&file.fs_path)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| chrono::DateTime::<chrono::Local>::from(t).date_naive());
        if let Some(changed) = changed.filter(|c| markers.today.map_or(true, |t| *c < t)) {
            let markers = Markers {
                today: Some(changed),
                ..markers
            };
            return parse_note(text, origin, markers);
        }
    }
    note
}

/// A [`NoteFile`] for a path named directly (a locator), not found by a walk: shown as
/// given, with no customer folder.
pub fn named_file(path: &Path, display: String) -> NoteFile {
    NoteFile {
        fs_path: path.to_path_buf(),
        display,
        folder: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::write::GENERATED_LINE;

    fn file(dir: &Path, name: &str, bytes: &[u8]) -> NoteFile {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        named_file(&path, name.to_owned())
    }

    #[test]
    fn one_policy_for_every_kind_of_file() {
        let dir = tempfile::tempdir().unwrap();
        let policy = ReadPolicy::default();
        let note = file(
            dir.path(),
            "a.md",
            b"\xEF\xBB\xBF* Send it @due(2026-12-04)\n",
        );
        match read(&note, policy).unwrap() {
            Read::Note(n, src) => {
                assert_eq!(n.commitments.len(), 1);
                assert!(src.bom);
                assert_eq!(src.bytes(), std::fs::read(dir.path().join("a.md")).unwrap());
            }
            other => panic!("a note, not {other:?}"),
        }
        let empty = file(dir.path(), "b.md", b" \n\t\n");
        assert!(matches!(read(&empty, policy).unwrap(), Read::Empty));
        let generated = file(
            dir.path(),
            "c.md",
            format!("{GENERATED_LINE}\n- [ ] x · [a.md:1](a.md)\n").as_bytes(),
        );
        assert!(matches!(read(&generated, policy).unwrap(), Read::Generated));
        // Issue #20.15: only the exact marker line, and never over commitments of its own.
        for (name, text) in [
            (
                "e.md",
                "<!-- Generated by followup? no -->\n* Send it\n".to_owned(),
            ),
            (
                "f.md",
                format!("{GENERATED_LINE} x\n- [ ] x · [a.md:1](a.md)\n"),
            ),
            ("g.md", format!("{GENERATED_LINE}\n* My own promise\n")),
        ] {
            let f = file(dir.path(), name, text.as_bytes());
            assert!(
                matches!(read(&f, policy).unwrap(), Read::Note(..)),
                "{name}"
            );
        }
        let latin1 = file(dir.path(), "d.md", b"caf\xE9\n");
        assert!(matches!(
            read(&latin1, policy),
            Err(ReadError::NotUtf8 { .. })
        ));
        let small = ReadPolicy {
            max_file_size: 4,
            ..policy
        };
        assert!(matches!(
            read(&note, small),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn markers_come_from_the_policy() {
        let dir = tempfile::tempdir().unwrap();
        let note = file(dir.path(), "a.md", b"* Send it\n- [ ] Call\n");
        let no_stars = ReadPolicy {
            markers: Markers {
                star: false,
                ..Markers::default()
            },
            ..ReadPolicy::default()
        };
        let count = |p| match read(&note, p).unwrap() {
            Read::Note(n, _) => n.commitments.len(),
            other => panic!("a note, not {other:?}"),
        };
        assert_eq!(count(ReadPolicy::default()), 2);
        assert_eq!(count(no_stars), 1);
    }
}
