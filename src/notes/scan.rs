//! The scan: walk, then read and parse every note in parallel.

use std::convert::Infallible;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::fs::source::{read_note, ReadError, DEFAULT_MAX_FILE_SIZE};
use crate::fs::walk::{walk, NoteFile, Walk, WalkError, WalkOptions};
use crate::fs::write::GENERATED_MARKER;
use crate::notes::model::{Customers, NamedCustomer, Note};
use crate::notes::parse::{parse_note, Markers, NoteOrigin};

/// How to scan: what counts as a commitment, and which files are read.
#[derive(Debug, Clone)]
pub struct ScanSettings {
    /// Which list items are commitments.
    pub markers: Markers,
    /// Notes bigger than this many bytes are reported and not read.
    pub max_file_size: u64,
    /// Which files the walk reads.
    pub walk: WalkOptions,
    /// Show a progress bar on stderr once the scan has taken this long.
    pub progress: Option<Duration>,
}

impl Default for ScanSettings {
    fn default() -> Self {
        ScanSettings {
            markers: Markers::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            walk: WalkOptions::default(),
            progress: None,
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

/// What the scan learnt besides what `per_note` made of each note.
#[derive(Debug, Default)]
pub struct Workspace {
    /// How many notes were read and parsed.
    pub notes: usize,
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
    Note(T, Option<NamedCustomer>),
    Empty,
    Generated,
    Failed(ReadError),
}

/// Read and parse one note file, then hand the note and its text to `per_note`.
fn load<T>(
    file: &NoteFile,
    settings: &ScanSettings,
    per_note: &(impl Fn(Note, String) -> T + Sync),
) -> Loaded<T> {
    let text = match read_note(&file.fs_path, settings.max_file_size) {
        Ok(t) => t,
        Err(e) => return Loaded::Failed(e),
    };
    if text.trim().is_empty() {
        return Loaded::Empty;
    }
    // An agenda followup wrote lists commitments too: reading it would count them twice.
    if text.starts_with(GENERATED_MARKER) {
        return Loaded::Generated;
    }
    let note = parse_file(file, &text, settings.markers);
    let customer = note.named_customer();
    Loaded::Note(per_note(note, text), customer)
}

/// Parse the text of a note file found by the walk, with what its path says (its shown
/// path, its name's date, its customer folder). `fix` parses notes it reads itself with
/// this, so that it sees each note exactly as `check` does.
pub fn parse_file(file: &NoteFile, text: &str, markers: Markers) -> Note {
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
    parse_note(text, origin, markers)
}

/// Scan `paths` with the default settings and these `markers`; what `per_note` made of
/// each note comes back in path order. See [`scan_each`].
pub fn scan<T: Send>(
    paths: &[PathBuf],
    markers: Markers,
    per_note: impl Fn(Note, String) -> T + Sync,
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
    per_note: impl Fn(Note, String) -> T + Sync,
) -> (Workspace, Vec<T>) {
    scan_walked(walk(paths, &settings.walk), settings, per_note)
}

/// [`scan`] on the files of a walk done before.
pub fn scan_walked<T: Send>(
    walked: Walk,
    settings: &ScanSettings,
    per_note: impl Fn(Note, String) -> T + Sync,
) -> (Workspace, Vec<T>) {
    let mut all = Vec::new();
    let ws = scan_each(walked, settings, per_note, |t| {
        all.push(t);
        Ok::<(), Infallible>(())
    });
    match ws {
        Ok(ws) => (ws, all),
        Err(never) => match never {},
    }
}

/// Notes parsed in parallel before their results are handed on in order. Big enough to
/// keep both cores busy, small enough that a 200,000-note scan never holds more than a
/// few thousand notes' results at once.
const CHUNK: usize = 4096;

/// Read and parse the files of a walk: `per_note` runs on a worker thread right after a
/// note is parsed, with the note and its text (which it may keep or drop); `sink` then
/// gets its results on this thread, in path order, a chunk of files at a time, so that
/// memory stays flat however many notes there are. A file that went away or changed
/// since the walk is reported like any file that cannot be read. The first error from
/// `sink` ends the scan.
pub fn scan_each<T: Send, E>(
    walked: Walk,
    settings: &ScanSettings,
    per_note: impl Fn(Note, String) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<Workspace, E> {
    let mut ws = Workspace {
        errors: walked.errors.into_iter().map(FileError::from).collect(),
        skipped: walked.skipped.into_iter().map(FileError::from).collect(),
        ..Workspace::default()
    };
    let progress = Progress::new(settings.progress, walked.files.len());
    for files in walked.files.chunks(CHUNK) {
        progress.show_if_slow();
        let loaded: Vec<Loaded<T>> = files
            .par_iter()
            .map(|f| {
                let l = load(f, settings, &per_note);
                progress.bar.inc(1);
                l
            })
            .collect();
        for (file, l) in files.iter().zip(loaded) {
            match l {
                Loaded::Note(result, customer) => {
                    ws.notes += 1;
                    if let Some(c) = customer {
                        ws.customers.add(c);
                    }
                    // Lines written while the bar shows would be torn by its redraws.
                    progress.bar.suspend(|| sink(result))?;
                }
                Loaded::Empty => ws.empty.push(file.display.clone()),
                Loaded::Generated => {}
                Loaded::Failed(e) => ws.errors.push(FileError {
                    path: file.display.clone(),
                    message: read_error_message(e),
                }),
            }
        }
    }
    progress.bar.finish_and_clear();
    ws.errors.sort_by(|a, b| a.path.cmp(&b.path));
    ws.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ws)
}

/// A progress bar that stays hidden unless asked for and the scan turns out slow: a
/// bar that flashes for a tenth of a second is noise.
struct Progress {
    bar: ProgressBar,
    after: Option<Duration>,
    started: Instant,
}

impl Progress {
    fn new(after: Option<Duration>, files: usize) -> Self {
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} notes {wide_bar} {eta}")
                .expect("valid template"),
        );
        Progress {
            bar,
            after,
            started: Instant::now(),
        }
    }

    /// Called between chunks of files: show the bar once the delay has gone by.
    fn show_if_slow(&self) {
        let due = self.after.is_some_and(|d| self.started.elapsed() >= d);
        if due && self.bar.is_hidden() {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
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
