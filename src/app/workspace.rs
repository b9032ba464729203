//! A scan with the customer book beside it: what `check`, `agenda` and `customers` all
//! need (each note's own result, and what the notes say about each customer).

use crate::app::settings::Settings;
use crate::customers::{Book, CustomerRow, NoteFacts};
use crate::fs::walk::{NoteFile, Walk};
use crate::notes::model::Note;
use crate::notes::reader::Source;
use crate::notes::scan::{scan_each, Workspace};

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

/// [`scan_each`], collecting each note's customer facts into a [`Book`] as well.
pub fn scan_with_book<T: Send, E>(
    walked: Walk,
    settings: &Settings,
    per_note: impl Fn(&NoteFile, Note, Source) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<Scanned, E> {
    let today = settings.today;
    let mut book = Book::default();
    let workspace = scan_each(
        walked,
        &settings.scan,
        |file, note, source| {
            let facts = NoteFacts::of(&note, today);
            (per_note(file, note, source), facts)
        },
        |(result, facts)| {
            book.add(facts, today);
            sink(result)
        },
    )?;
    Ok(Scanned { workspace, book })
}
