//! The scan: walk, then read and parse every note in parallel.

use std::io::ErrorKind;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::model::{Customers, Note};
use crate::parse::{parse_note, Markers, NoteOrigin};
use crate::source::{read_note, ReadError, DEFAULT_MAX_FILE_SIZE};
use crate::walk::{walk, NoteFile, Walk, WalkError};

/// How to scan: what counts as a commitment, and which files are read.
#[derive(Debug, Clone, Copy)]
pub struct ScanSettings {
    /// Which list items are commitments.
    pub markers: Markers,
    /// Notes bigger than this many bytes are reported and not read.
    pub max_file_size: u64,
    /// Follow symbolic links out of the scanned folders.
    pub follow_links: bool,
}

impl Default for ScanSettings {
    fn default() -> Self {
        ScanSettings {
            markers: Markers::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            follow_links: false,
        }
    }
}

/// A file that was found but could not be used.
#[derive(Debug)]
pub struct FileError {
    /// The path, as shown.
    pub path: String,
    /// What went wrong, for the user.
    pub message: String,
}

/// Everything read from the notes.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Parsed notes, sorted by path.
    pub notes: Vec<Note>,
    /// Customers across all notes.
    pub customers: Customers,
    /// Files and paths that could not be read; the rest was still scanned.
    pub errors: Vec<FileError>,
    /// Files that were empty: read fine, but worth a word.
    pub empty: Vec<String>,
    /// Entries not read on purpose (links out of the scanned folders, FIFOs...): worth a
    /// warning, not a failure.
    pub skipped: Vec<FileError>,
}

impl From<WalkError> for FileError {
    fn from(w: WalkError) -> Self {
        FileError {
            path: w.display,
            message: w.message,
        }
    }
}

/// What one file turned into.
enum Loaded<T> {
    Note(Note, T),
    Empty,
    Failed(ReadError),
}

/// Read and parse one note file, then hand the note and its text to `per_note`.
fn load<T>(
    file: &NoteFile,
    settings: &ScanSettings,
    per_note: &(impl Fn(&Note, String) -> T + Sync),
) -> Loaded<T> {
    let text = match read_note(&file.fs_path, settings.max_file_size) {
        Ok(t) => t,
        Err(e) => return Loaded::Failed(e),
    };
    if text.trim().is_empty() {
        return Loaded::Empty;
    }
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
    let note = parse_note(&text, origin, settings.markers);
    let extra = per_note(&note, text);
    Loaded::Note(note, extra)
}

/// Scan `paths` with the default settings and these `markers`: notes, customers, and
/// everything that went wrong.
///
/// `per_note` runs on the worker thread right after a note is parsed, with the note's
/// text; whatever it returns comes back aligned with `Workspace::notes`. That is where
/// per-note work that needs the source belongs, so that the text of a note can be
/// dropped as soon as it is done with instead of being held for the whole scan.
pub fn scan<T: Send>(
    paths: &[PathBuf],
    markers: Markers,
    per_note: impl Fn(&Note, String) -> T + Sync,
) -> (Workspace, Vec<T>) {
    let settings = ScanSettings {
        markers,
        ..ScanSettings::default()
    };
    scan_with(paths, &settings, per_note)
}

/// [`scan`] with all the settings.
pub fn scan_with<T: Send>(
    paths: &[PathBuf],
    settings: &ScanSettings,
    per_note: impl Fn(&Note, String) -> T + Sync,
) -> (Workspace, Vec<T>) {
    scan_walked(walk(paths, settings.follow_links), settings, per_note)
}

/// Read and parse the files of a walk done before. A file that went away or changed
/// since is reported like any file that cannot be read.
pub fn scan_walked<T: Send>(
    walked: Walk,
    settings: &ScanSettings,
    per_note: impl Fn(&Note, String) -> T + Sync,
) -> (Workspace, Vec<T>) {
    let loaded: Vec<Loaded<T>> = walked
        .files
        .par_iter()
        .map(|f| load(f, settings, &per_note))
        .collect();
    let mut ws = Workspace {
        errors: walked.errors.into_iter().map(FileError::from).collect(),
        skipped: walked.skipped.into_iter().map(FileError::from).collect(),
        ..Workspace::default()
    };
    let mut extras = Vec::with_capacity(loaded.len());
    for (file, l) in walked.files.iter().zip(loaded) {
        match l {
            Loaded::Note(note, extra) => {
                ws.notes.push(note);
                extras.push(extra);
            }
            Loaded::Empty => ws.empty.push(file.display.clone()),
            Loaded::Failed(e) => ws.errors.push(FileError {
                path: file.display.clone(),
                message: read_error_message(e),
            }),
        }
    }
    ws.errors.sort_by(|a, b| a.path.cmp(&b.path));
    ws.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    ws.customers = Customers::from_notes(&ws.notes);
    (ws, extras)
}

/// The walk just found the file, so a file that is not there now went away mid-run.
fn read_error_message(e: ReadError) -> String {
    match e {
        ReadError::Io(io) if io.kind() == ErrorKind::NotFound => {
            "disappeared before it could be read (removed or renamed during the run)".to_owned()
        }
        e => e.to_string(),
    }
}
