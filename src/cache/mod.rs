//! The cache: what a scan learnt from each note, kept between runs (as ruff keeps its
//! lint results), so that a second run over an unchanged notes folder reads no note.
//!
//! # What is kept
//!
//! Per note, everything the commands take from its text that does not depend on the day
//! (`Kept`): the parsed [`Note`]; the [`TextFacts`] (what the rules that quote the text
//! found, and the suppression comments: the findings of the rules that judge against
//! today are made afresh each run, from the note); whether it is a call note with
//! nothing written in it; and [`Columns`], the line starts and wide characters, so that a
//! finding is placed at the line and character column it would be with the text at hand.
//! Findings are never kept: they depend on `--today`. A note is checked by the same
//! code whether it was read now or kept ([`crate::rules::check_facts`]).
//!
//! Only `check`'s human format (its snippets) and `brief` need the text itself: for them a
//! kept note's file is read again, and its entry is used only when the bytes hash to what
//! they did ([`Need::Text`]); the parse is what is saved.
//!
//! # When an entry is used
//!
//! An entry is used when the note's path (as shown), customer folder and file [`Stamp`]
//! (size, modification and change times, inode) are those it was kept with, and the
//! cache file's fingerprint matches: the followup build, the serialiser, and every
//! setting that changes what a note is (markers, statuses, date order, customer folders,
//! the size limit). Anything else is a miss, and the note is read and parsed as without a
//! cache. Not kept: notes changed in the last two seconds (an edit right after could
//! leave the stamp as it is), and notes with a date without a year (it is resolved
//! against today and the local time zone).
//!
//! # The file
//!
//! One file per set of folders scanned ([`store`]), in the user's cache folder
//! ([`default_dir`]; `FOLLOWUP_CACHE_DIR` overrides it), rewritten whole through a
//! temporary file and a rename when an entry changed (never when none did). The new file's
//! records are written to the temporary file as the scan hands its notes on, from the first
//! one that changed (those kept are copied from the old file), and its table last, so that
//! a run holds no more than a chunk's records whatever it has to write. It is mapped
//! into memory, not read: a small head (the fingerprint and a table of the records sorted
//! by their paths' hashes) is checked by a hash when the file is opened, and each note's
//! record by its own hash on the worker that handles the note, only when the note asks
//! for it; the blocks of the file go back to the system as soon as every record in them has
//! been used, so memory stays flat however big the folder. A torn, corrupt or other
//! version's file (or record) is a cache miss, never an error. Edits (`done`, `snooze`,
//! `fix`, `occasions sent`) read the file they change, and the language server (which has
//! the editor's unsaved text) never uses the cache; an edited note's new stamp is a miss.

pub mod store;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::fs::source::{read_note_bytes, LineIndex, ReadError};
use crate::fs::walk::NoteFile;
use crate::notes::frontmatter;
use crate::notes::model::Note;
use crate::notes::reader::{self, Read, ReadPolicy, Source};
use crate::notes::scan::{Loaded, ScanSettings};
use crate::rules::TextFacts;
use store::{Stamp, Store};

/// The user's cache folder for followup (`$XDG_CACHE_HOME/followup` or
/// `~/.cache/followup` on Linux, `~/Library/Caches/followup` on macOS,
/// `%LOCALAPPDATA%\followup\cache` on Windows), when there is a home folder.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "followup").map(|d| d.cache_dir().to_path_buf())
}

/// A note as a scan hands it on: parsed now, or kept from an earlier run.
#[derive(Debug)]
pub struct Parsed {
    /// The note.
    pub note: Note,
    /// What the rules read in its text.
    pub facts: TextFacts,
    /// Its front matter names a customer (so a call took place) and nothing is written
    /// under it: no commitments, no kind, a blank body.
    pub blank_call: bool,
    /// Its text, when it was read this run.
    pub source: Option<Source>,
    /// Lines and columns of its text, for a note kept from an earlier run.
    columns: Option<Columns>,
}

impl Parsed {
    /// A note read and parsed now.
    pub fn read(note: Note, source: Source) -> Parsed {
        Parsed {
            facts: TextFacts::of(&note, &source.text),
            blank_call: blank_call(&note, &source.text),
            note,
            source: Some(source),
            columns: None,
        }
    }

    /// Its text: empty unless it was read this run (as it is with [`Need::Text`]).
    pub fn text(&self) -> &str {
        self.source.as_ref().map_or("", |s| s.text.as_str())
    }

    /// The 1-based line and character column of a byte offset in the note's text, as
    /// [`LineIndex::line_col`] gives them.
    pub fn line_col(&self) -> impl Fn(usize) -> (usize, usize) + '_ {
        let index = std::cell::OnceCell::new();
        move |offset| match (&self.source, &self.columns) {
            (Some(s), _) => index
                .get_or_init(|| LineIndex::new(&s.text))
                .line_col(&s.text, offset),
            (None, Some(c)) => c.line_col(offset),
            (None, None) => (1, 1),
        }
    }
}

/// Whether `note` is a call note with nothing written in it (see [`Parsed::blank_call`]).
/// An empty file, or one with only a `date:` (a daily-note template), is not.
fn blank_call(note: &Note, text: &str) -> bool {
    note.front.customer.is_some()
        && note.front.kind.is_none()
        && note.commitments.is_empty()
        && text[frontmatter::split(text).body_start.min(text.len())..]
            .trim()
            .is_empty()
}

/// What the cache keeps of one file: for a note, `T` is the note, its [`TextFacts`],
/// [`Parsed::blank_call`] and its [`Columns`] (owned when read back, borrowed when
/// written: both have the same bytes).
#[derive(Serialize, Deserialize)]
enum Kept<T> {
    /// A note.
    Note(T),
    /// An empty file.
    Empty,
    /// An agenda followup wrote.
    Generated,
}

/// A kept note, as read back.
type KeptNote = (Note, TextFacts, bool, Columns);

/// Where a text's lines start and which of its characters take more than one byte:
/// enough to turn a byte offset into a line and character column without the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns {
    /// The text's length in bytes.
    len: u32,
    /// The byte offset where each line starts.
    starts: Vec<u32>,
    /// The byte offset of each character of more than one byte, and the bytes beyond the
    /// first of it and of every such character before it.
    wide: Vec<(u32, u32)>,
}

impl Columns {
    /// The columns of `text`, or `None` for a text over 4 GiB.
    pub fn of(text: &str) -> Option<Columns> {
        let len = u32::try_from(text.len()).ok()?;
        let index = LineIndex::new(text);
        let lines = index.line(text.len());
        let starts = (1..=lines).map(|l| index.line_start(l) as u32).collect();
        let mut wide = Vec::new();
        let mut extra = 0;
        let bytes = text.as_bytes();
        for (c, chunk) in bytes.chunks(64).enumerate() {
            if chunk.is_ascii() {
                continue;
            }
            for (i, &b) in chunk.iter().enumerate() {
                let width = match b {
                    0xF0.. => 3,
                    0xE0.. => 2,
                    0xC0.. => 1,
                    _ => continue,
                };
                extra += width;
                wide.push(((c * 64 + i) as u32, extra));
            }
        }
        Some(Columns { len, starts, wide })
    }

    /// 1-based line and 1-based column in characters, as [`LineIndex::line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        // The character the offset is in, or the text's end.
        let mut at = offset.min(self.len);
        let before = self.wide.partition_point(|w| w.0 <= at);
        if let Some(&(pos, upto)) = before.checked_sub(1).map(|i| &self.wide[i]) {
            let width = upto - before.checked_sub(2).map_or(0, |i| self.wide[i].1);
            if at > pos && at <= pos + width {
                at = pos;
            }
        }
        let extra_before = |x: u32| match self.wide.partition_point(|w| w.0 < x) {
            0 => 0,
            n => self.wide[n - 1].1,
        };
        let column = (at - start) - (extra_before(at) - extra_before(start));
        (line, column as usize + 1)
    }
}

/// The serialiser of the entries, and how they are written: chosen for the speed of
/// reading them back (see docs/performance.md for the measurements). A change in how a
/// type is written (dates as day numbers, [`crate::notes::dates::days`]) changes it, so
/// that the files written before are misses.
const CODEC: &str = "postcard, dates as day numbers";

/// An entry's bytes.
fn encode<T: Serialize>(value: &T) -> Option<Vec<u8>> {
    postcard::to_allocvec(value).ok()
}

/// An entry from its bytes, or `None` when they are not one.
fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}

/// What a command needs of each note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The note and what the rules read in it.
    Note,
    /// Its text too.
    Text,
}

/// The fingerprint of what every entry depends on besides its file: this build of
/// followup, the serialiser, and the settings that change what a note is.
fn fingerprint(scan: &ScanSettings) -> u64 {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| Stamp::of(&m));
    let markers = crate::notes::parse::Markers {
        today: None,
        ..scan.read.markers
    };
    let what = format!(
        "{}|{CODEC}|{exe:?}|{markers:?}|{}|{:?}",
        env!("FOLLOWUP_VERSION"),
        scan.read.max_file_size,
        scan.customers,
    );
    xxh3_64(what.as_bytes())
}

/// A scan's use of the cache: the mapped file, and the entries made for the next run.
pub struct Session {
    store: Store,
    policy: ReadPolicy,
    need: Need,
    started: SystemTime,
}

impl Session {
    /// The cache of the folders `paths` (the current folder when empty) in `dir`, for a
    /// scan with `scan`; `None` when a path is not a folder (a pre-commit hook names the
    /// files just staged: nothing to gain).
    pub fn open(dir: &Path, paths: &[PathBuf], scan: &ScanSettings, need: Need) -> Option<Self> {
        let here = [PathBuf::from(".")];
        let paths = if paths.is_empty() { &here[..] } else { paths };
        let mut key = String::new();
        for p in paths {
            let canonical = std::fs::canonicalize(p).ok().filter(|c| c.is_dir())?;
            key.push_str(&format!("{}\0{}\0", canonical.display(), p.display()));
        }
        Some(Session {
            store: Store::open(store::file_for(dir, &key), fingerprint(scan)),
            policy: scan.read,
            need,
            started: SystemTime::now(),
        })
    }

    /// Write out the entries made so far, in path order: call it whenever every note
    /// before the scan's next one has been loaded (between its chunks).
    pub fn flush(&self) {
        self.store.flush();
    }

    /// Write the entries for the next run (a cache that cannot be written is no error:
    /// the next run reads the notes).
    pub fn save(self) {
        let _ = self.store.save();
    }

    /// One file of the scan: from its entry when its stamp is unchanged, else read and
    /// parsed (and kept for the next run).
    pub fn load(&self, file: &NoteFile) -> Result<Loaded<Parsed>, ReadError> {
        let folder = file.folder.as_deref();
        let stamp = std::fs::metadata(&file.fs_path).map(|m| Stamp::of(&m));
        let Ok(stamp) = stamp else {
            // Reported as a read error, as without a cache.
            return load(file, self.policy);
        };
        let max = self.policy.max_file_size;
        let found = self.store.get(&file.display, folder, stamp);
        let found = found.and_then(|hit| Some((decode::<Kept<KeptNote>>(hit.bytes)?, hit)));
        let mut read_now = None;
        if let Some((kept, hit)) = found {
            let source = match self.need {
                Need::Note => None,
                Need::Text => {
                    let bytes = read_note_bytes(&file.fs_path, max)?;
                    if xxh3_64(&bytes) == hit.hash {
                        Some(Source::decode(bytes)?)
                    } else {
                        // Changed since it was looked at: read as it is now.
                        read_now = Some(bytes);
                        None
                    }
                }
            };
            if read_now.is_none() {
                self.store.keep(&hit);
                return Ok(kept.loaded(source));
            }
        }
        let bytes = match read_now {
            Some(b) => b,
            None => read_note_bytes(&file.fs_path, max)?,
        };
        self.fresh(file, stamp, bytes)
    }

    /// A file read now: parsed, and kept for the next run unless it changed just now or
    /// depends on today.
    fn fresh(
        &self,
        file: &NoteFile,
        stamp: Stamp,
        bytes: Vec<u8>,
    ) -> Result<Loaded<Parsed>, ReadError> {
        let folder = file.folder.as_deref();
        let hash = xxh3_64(&bytes);
        let read = reader::parse(file, Source::decode(bytes)?, self.policy.markers);
        let keep = |kept: Kept<(&Note, &TextFacts, bool, &Columns)>| {
            if let Some(b) = encode(&kept) {
                self.store.put(&file.display, folder, stamp, hash, &b);
            }
        };
        let racy = stamp.is_racy(self.started);
        Ok(match read {
            Read::Note(note, source) => {
                let mut parsed = Parsed::read(*note, source);
                // A yearless date is resolved against today: such a note is read each run.
                if !racy && !parsed.note.year_guessed {
                    let text = parsed.source.as_ref().map_or("", |s| s.text.as_str());
                    parsed.facts.find_card_lines(&parsed.note, text);
                    if let Some(columns) = Columns::of(text) {
                        let p = &parsed;
                        keep(Kept::Note((&p.note, &p.facts, p.blank_call, &columns)));
                    }
                }
                let customer = parsed.note.named_customer();
                Loaded::Note(parsed, customer)
            }
            Read::Empty => {
                if !racy {
                    keep(Kept::Empty);
                }
                Loaded::Empty
            }
            Read::Generated => {
                if !racy {
                    keep(Kept::Generated);
                }
                Loaded::Generated
            }
        })
    }
}

impl Kept<KeptNote> {
    /// What the scan hands on for a kept file, with its text when it was read.
    fn loaded(self, source: Option<Source>) -> Loaded<Parsed> {
        match self {
            Kept::Note((note, facts, blank_call, columns)) => {
                let customer = note.named_customer();
                let parsed = Parsed {
                    note,
                    facts,
                    blank_call,
                    columns: source.is_none().then_some(columns),
                    source,
                };
                Loaded::Note(parsed, customer)
            }
            Kept::Empty => Loaded::Empty,
            Kept::Generated => Loaded::Generated,
        }
    }
}

/// One file read and parsed, without a cache.
pub fn load(file: &NoteFile, policy: ReadPolicy) -> Result<Loaded<Parsed>, ReadError> {
    Ok(match reader::read(file, policy)? {
        Read::Note(note, source) => {
            let customer = note.named_customer();
            Loaded::Note(Parsed::read(*note, source), customer)
        }
        Read::Empty => Loaded::Empty,
        Read::Generated => Loaded::Generated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::source::floor_char_boundary;
    use crate::notes::reader::named_file;

    #[test]
    fn an_entry_is_trusted_on_its_stamp_and_checked_against_the_text_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "* Now @due(2026-11-20)\n").unwrap();
        let file = named_file(&path, "a.md".to_owned());
        let stamp = Stamp::of(&std::fs::metadata(&path).unwrap());
        // An entry under the file's stamp for other text: what a change the stamp did not
        // show would leave.
        let other = NoteFile {
            fs_path: dir.path().join("b.md"),
            ..file.clone()
        };
        let text = "* Before @due(2026-11-19)\n";
        let Read::Note(note, source) = reader::parse(
            &other,
            Source::decode(text.into()).unwrap(),
            Default::default(),
        ) else {
            panic!("a note")
        };
        let parsed = Parsed::read(*note, source);
        let columns = Columns::of(text).unwrap();
        let entry = encode(&Kept::Note((&parsed.note, &parsed.facts, false, &columns))).unwrap();
        let cache = dir.path().join("cache/notes.cache");
        let store = Store::open(cache.clone(), 1);
        store.put("a.md", None, stamp, xxh3_64(text.as_bytes()), &entry);
        store.save().unwrap();
        let session = |need| Session {
            store: Store::open(cache.clone(), 1),
            policy: ReadPolicy::default(),
            need,
            started: SystemTime::now(),
        };
        let text_of = |loaded: Loaded<Parsed>| match loaded {
            Loaded::Note(p, _) => p.note.commitments[0].text.clone(),
            _ => panic!("a note"),
        };
        // Same stamp: taken from the cache, unread.
        assert_eq!(text_of(session(Need::Note).load(&file).unwrap()), "Before");
        // With the text, the bytes decide: read and parsed as they are.
        assert_eq!(text_of(session(Need::Text).load(&file).unwrap()), "Now");
    }

    #[test]
    fn columns_place_offsets_as_the_line_index_does() {
        let texts = [
            "",
            "x",
            "ab\r\nçé x\rz\n",
            "* Send 📅 2026-11-27 ✅ 2026-11-20\n- [ ] 東京 call @due(fri)\n\n",
            "\u{feff}é\n\n\r\r\nü",
        ];
        let long = format!("x\n{}é{}", "ab".repeat(9000), "ü".repeat(5000));
        for text in texts.iter().copied().chain([long.as_str()]) {
            let index = LineIndex::new(text);
            let columns = Columns::of(text).unwrap();
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    columns.line_col(offset),
                    index.line_col(text, offset),
                    "{text:?} at {offset} ({})",
                    floor_char_boundary(text, offset)
                );
            }
        }
    }
}
