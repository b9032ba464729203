//! What the server knows about the workspace beyond the open documents: every note's
//! customer facts and open commitments, from a scan in the background at `initialize`,
//! kept current by watched-file events and the open buffers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::app::settings::{read_policy, scan_settings};
use crate::config::Config;
use crate::customers::{Book, CustomerRow, NoteFacts};
use crate::fs::walk::{walk, NoteFile, Walk};
use crate::notes::model::{Customers, NamedCustomer, Note, Status};
use crate::notes::scan::collect;

/// One open commitment, for workspace symbols.
#[derive(Debug, Clone)]
pub struct OpenItem {
    /// 1-based line of its bullet.
    pub line: usize,
    /// Its text.
    pub text: String,
    /// Its due date.
    pub due: Option<NaiveDate>,
}

/// What one note contributes to the workspace.
#[derive(Debug, Clone)]
pub struct Indexed {
    /// Its customer facts.
    pub facts: NoteFacts,
    /// The customer it names.
    pub named: Option<NamedCustomer>,
    /// Its open commitments.
    pub open: Vec<OpenItem>,
}

impl Indexed {
    /// What `note` contributes, judged on `today`.
    pub fn of(note: &Note, today: NaiveDate) -> Indexed {
        Indexed {
            facts: NoteFacts::of(note, today),
            named: note.named_customer(),
            open: note
                .commitments
                .iter()
                .filter(|c| c.status == Status::Open)
                .map(|c| OpenItem {
                    line: c.line,
                    text: c.text.clone(),
                    due: c.due,
                })
                .collect(),
        }
    }
}

/// Every note's contribution, by path (as shown: absolute).
#[derive(Debug, Default)]
pub struct Index {
    /// By path.
    pub notes: BTreeMap<String, Indexed>,
    /// Customers by slug, from the last [`Index::customers`].
    pub rows: BTreeMap<String, CustomerRow>,
    /// Customer names, from the last [`Index::customers`].
    pub names: Vec<String>,
}

impl Index {
    /// Rebuild the customer rows (and names) from the notes.
    pub fn customers(&mut self, today: NaiveDate, config: &Config) -> Vec<CustomerRow> {
        let mut book = Book::default();
        let mut customers = Customers::default();
        for ix in self.notes.values() {
            if let Some(n) = &ix.named {
                customers.add(n.clone());
            }
            book.add(ix.facts.clone(), today);
        }
        let rows = book.rows(&customers, today, &config.customer_cadence);
        self.names = customers.iter().map(|(_, name)| name.to_owned()).collect();
        self.names.sort_unstable();
        self.names.dedup();
        self.rows = rows
            .iter()
            .map(|r| (r.customer.clone(), r.clone()))
            .collect();
        rows
    }
}

/// The file a document is, as a walk of the workspace folders would have found it: shown
/// as its absolute path, with the first folder below its workspace folder as its
/// customer folder.
pub fn note_file(path: &Path, roots: &[PathBuf]) -> NoteFile {
    let folder = roots
        .iter()
        .filter_map(|root| path.strip_prefix(root).ok())
        .min_by_key(|rel| rel.components().count())
        .and_then(|rel| {
            let mut parts = rel.components();
            let first = parts.next()?;
            parts.next()?;
            Some(first.as_os_str().to_string_lossy().into_owned())
        });
    NoteFile {
        fs_path: path.to_path_buf(),
        display: path.to_string_lossy().replace('\\', "/"),
        folder,
    }
}

/// Scan one workspace folder, `report`ing (done, total) files as it goes.
pub fn scan_root(
    root: &Path,
    config: &Arc<Config>,
    today: NaiveDate,
    mut report: impl FnMut(usize, usize),
) -> Vec<(String, Indexed)> {
    // A configuration whose patterns do not compile is reported on the notes' own
    // diagnostics; the workspace is then walked without its excludes.
    let settings = scan_settings(config, today).unwrap_or_else(|_| {
        let mut s = scan_settings(&Config::default(), today).expect("the defaults compile");
        s.read = read_policy(config, None);
        s
    });
    let walked = walk(&[root.to_path_buf()], &settings.walk);
    let total = walked.files.len();
    let mut out = Vec::with_capacity(total);
    let mut done = 0;
    report(0, total);
    for chunk in walked.files.chunks(2048) {
        let part = Walk {
            files: chunk.to_vec(),
            ..Walk::default()
        };
        let (_, found) = collect(part, &settings, |file, note, _| {
            (file.display.clone(), Indexed::of(&note, today))
        });
        out.extend(found);
        done += chunk.len();
        report(done, total);
    }
    out
}
