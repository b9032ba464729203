//! The scan: walk, then read and parse every note in parallel.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::model::{Customers, Note};
use crate::parse::{parse_note, Markers, NoteOrigin};
use crate::source::{read_note, ReadError};
use crate::walk::{walk, NoteFile};

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
    markers: Markers,
    per_note: &(impl Fn(&Note, String) -> T + Sync),
) -> Loaded<T> {
    let text = match read_note(&file.fs_path) {
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
    let note = parse_note(&text, origin, markers);
    let extra = per_note(&note, text);
    Loaded::Note(note, extra)
}

/// Scan `paths`: notes, customers, and everything that went wrong.
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
    let walked = walk(paths);
    let loaded: Vec<Loaded<T>> = walked
        .files
        .par_iter()
        .map(|f| load(f, markers, &per_note))
        .collect();
    let mut ws = Workspace::default();
    let mut extras = Vec::with_capacity(loaded.len());
    for w in walked.errors {
        ws.errors.push(FileError {
            path: w.display,
            message: w.message,
        });
    }
    for (file, l) in walked.files.iter().zip(loaded) {
        match l {
            Loaded::Note(note, extra) => {
                ws.notes.push(note);
                extras.push(extra);
            }
            Loaded::Empty => ws.empty.push(file.display.clone()),
            Loaded::Failed(e) => ws.errors.push(FileError {
                path: file.display.clone(),
                message: e.to_string(),
            }),
        }
    }
    ws.errors.sort_by(|a, b| a.path.cmp(&b.path));
    ws.customers = Customers::from_notes(&ws.notes);
    (ws, extras)
}
