//! The scan: read and parse every note of a walk in parallel, results in path order.

use std::convert::Infallible;
use std::io::ErrorKind;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::fs::source::ReadError;
use crate::fs::walk::{NoteFile, Walk, WalkError, WalkOptions};
use crate::notes::model::{Customers, NamedCustomer, Note};
use crate::notes::profile::CustomerFolders;
use crate::notes::reader::{self, Read, ReadPolicy, Source};

/// How to scan: which files, how each is read, and whether to show progress.
#[derive(Debug, Clone, Default)]
pub struct ScanSettings {
    /// How each file is read.
    pub read: ReadPolicy,
    /// Which files the walk reads.
    pub walk: WalkOptions,
    /// Show a progress bar on stderr once the scan has taken this long.
    pub progress: Option<Duration>,
    /// Which folders name customers.
    pub customers: CustomerFolders,
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

/// What one file turned into on its worker: what the loader made of a note, and the
/// customer it names.
pub enum Loaded<T> {
    /// A note.
    Note(T, Option<NamedCustomer>),
    /// Nothing but white space (see [`Read::Empty`]).
    Empty,
    /// An agenda followup wrote (see [`Read::Generated`]).
    Generated,
}

impl<T> Loaded<T> {
    /// What `f` makes of the note, if it is one.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Loaded<U> {
        match self {
            Loaded::Note(t, customer) => Loaded::Note(f(t), customer),
            Loaded::Empty => Loaded::Empty,
            Loaded::Generated => Loaded::Generated,
        }
    }
}

/// [`scan_each`] with every result kept: what `per_note` made of each note, in path
/// order, for callers that need them all at once.
pub fn collect<T: Send>(
    walked: Walk,
    settings: &ScanSettings,
    per_note: impl Fn(&NoteFile, Note, Source) -> T + Sync,
) -> (Workspace, Vec<T>) {
    let mut all = Vec::new();
    let ws = scan_each(walked, settings, per_note, |t| {
        all.push(t);
        Ok::<(), Infallible>(())
    });
    (never_fails(ws), all)
}

/// The value of a result that cannot be an error.
pub fn never_fails<T>(r: Result<T, Infallible>) -> T {
    match r {
        Ok(t) => t,
        Err(never) => match never {},
    }
}

/// Notes parsed in parallel before their results are handed on in order. Big enough to
/// keep both cores busy, small enough that a 200,000-note scan never holds more than a
/// few thousand notes' results at once.
const CHUNK: usize = 4096;

/// The parallel map over notes, each file read with [`reader::read`]: `per_note` runs
/// on a worker thread right after a note is parsed, with its file, the note and its text
/// (which it may keep or drop). See [`scan_with`].
pub fn scan_each<T: Send, E>(
    walked: Walk,
    settings: &ScanSettings,
    per_note: impl Fn(&NoteFile, Note, Source) -> T + Sync,
    sink: impl FnMut(T) -> Result<(), E>,
) -> Result<Workspace, E> {
    let load = |f: &NoteFile| {
        Ok(match reader::read(f, settings.read)? {
            Read::Note(note, source) => {
                let customer = note.named_customer();
                Loaded::Note((*note, source), customer)
            }
            Read::Empty => Loaded::Empty,
            Read::Generated => Loaded::Generated,
        }
        .map(|(note, source)| per_note(f, note, source)))
    };
    scan_with(walked, settings, load, sink)
}

/// The one parallel map over notes: `load` turns each file of a walk into a result on a
/// worker thread (reading and parsing it, or finding it in the cache); `sink` then gets
/// the notes' results on this thread, in path order, a chunk of files at a time, so that
/// memory stays flat however many notes there are. A file that went away or changed
/// since the walk is reported like any file that cannot be read. The first error from
/// `sink` ends the scan.
pub fn scan_with<T: Send, E>(
    mut walked: Walk,
    settings: &ScanSettings,
    load: impl Fn(&NoteFile) -> Result<Loaded<T>, ReadError> + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<Workspace, E> {
    let mut ws = Workspace {
        errors: walked.errors.into_iter().map(FileError::from).collect(),
        skipped: walked.skipped.into_iter().map(FileError::from).collect(),
        ..Workspace::default()
    };
    settings.customers.assign(&mut walked.files);
    let progress = Progress::new(settings.progress, walked.files.len());
    // Each chunk's paths are dropped once its notes are handed on: the walk's 200,000
    // paths are a good part of a big scan's memory, and the sink's grows as they go.
    let mut rest = walked.files.into_iter();
    loop {
        let files: Vec<NoteFile> = rest.by_ref().take(CHUNK).collect();
        if files.is_empty() {
            break;
        }
        progress.show_if_slow();
        let loaded: Vec<Result<Loaded<T>, ReadError>> = files
            .par_iter()
            .map(|f| {
                let l = load(f);
                progress.bar.inc(1);
                l
            })
            .collect();
        for (file, l) in files.into_iter().zip(loaded) {
            match l {
                Ok(Loaded::Note(result, customer)) => {
                    ws.notes += 1;
                    if let Some(c) = customer {
                        ws.customers.add(c);
                    }
                    // Lines written while the bar shows would be torn by its redraws.
                    progress.bar.suspend(|| sink(result))?;
                }
                Ok(Loaded::Empty) => ws.empty.push(file.display),
                Ok(Loaded::Generated) => {}
                Err(e) => ws.errors.push(FileError {
                    path: file.display,
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
