//! The scan the commands run: through the cache when the settings have one, and with
//! the customer book beside it for `check`, `agenda` and `customers` (each note's own
//! result, and what the notes say about each customer).

use std::path::PathBuf;

use crate::app::settings::Settings;
use crate::cache::{self, Need, Parsed, Session};
use crate::customers::{Book, CustomerRow, NoteFacts};
use crate::fs::walk::{walk, NoteFile, Walk};
use crate::notes::scan::{never_fails, scan_with, Workspace};

/// What a scan found, with the customers' book.
pub struct Scanned {
    /// Files read, and those that could not be.
    pub workspace: Workspace,
    /// What the notes say about each customer.
    pub book: Book,
}

impl Scanned {
    /// One row per customer, judged on the settings' day with their cadence.
    pub fn customer_rows(&self, settings: &Settings) -> Vec<CustomerRow> {
        self.book.rows(
            &self.workspace.customers,
            settings.today,
            &settings.config.customer_cadence,
        )
    }
}

/// The notes `walked` finds (the walk of `paths`), each handed to `per_note` on a worker
/// thread as a [`Parsed`] note, from the cache when it is on and the note's file has not
/// changed, else read and parsed (see [`crate::notes::scan::scan_with`] for the order
/// and `sink`). `need` says whether `per_note` needs the text too. The cache file is read
/// while the walk runs, and written for the next run once the scan is done.
pub fn scan<T: Send, E>(
    paths: &[PathBuf],
    walked: impl FnOnce() -> Walk + Send,
    settings: &Settings,
    need: Need,
    per_note: impl Fn(&NoteFile, Parsed) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<Workspace, E> {
    let (walked, session) = rayon::join(walked, || {
        settings
            .cache
            .as_deref()
            .and_then(|dir| Session::open(dir, paths, &settings.scan, need))
    });
    let policy = settings.scan.read;
    let load = |file: &NoteFile| {
        let loaded = match &session {
            Some(s) => s.load(file)?,
            None => cache::load(file, policy)?,
        };
        Ok(loaded.map(|parsed| per_note(file, parsed)))
    };
    // The sink gets a chunk's notes once the chunk is loaded: its entries are written then.
    let sink = |t| {
        if let Some(s) = &session {
            s.flush();
        }
        sink(t)
    };
    let workspace = scan_with(walked, &settings.scan, load, sink)?;
    if let Some(session) = session {
        session.save();
    }
    Ok(workspace)
}

/// [`scan`], collecting each note's customer facts into a [`Book`] as well.
pub fn scan_with_book<T: Send, E>(
    paths: &[PathBuf],
    walked: impl FnOnce() -> Walk + Send,
    settings: &Settings,
    need: Need,
    per_note: impl Fn(&NoteFile, Parsed) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<Scanned, E> {
    let today = settings.today;
    let mut book = Book::default();
    let workspace = scan(
        paths,
        walked,
        settings,
        need,
        |file, parsed| {
            let facts = NoteFacts::of(&parsed.note, today);
            (per_note(file, parsed), facts)
        },
        |(result, facts)| {
            book.add(facts, today);
            sink(result)
        },
    )?;
    Ok(Scanned { workspace, book })
}

/// A scan for the customer book alone (`customers`, `occasions sent`): each note's own
/// result is not needed.
pub fn scan_book(paths: &[PathBuf], settings: &Settings) -> Scanned {
    never_fails(scan_with_book(
        paths,
        || walk(paths, &settings.scan.walk),
        settings,
        Need::Note,
        |_, _| (),
        |()| Ok(()),
    ))
}
