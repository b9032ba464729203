//! What the notes say, once parsed: notes, commitments, customers.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;

use crate::notes::frontmatter::FrontMatter;
use crate::notes::status::StatusType;
use crate::notes::tags::{Tag, TaskFields};

/// Status of a commitment. Cancelled beats done beats open.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Still to do.
    Open,
    /// Kept.
    Done,
    /// Called off.
    Cancelled,
}

impl Status {
    /// The lowercase name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }
}

/// The checkbox of a task-list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Checkbox {
    /// `[ ]`
    Open,
    /// `[x]` or `[X]`
    Checked,
    /// `[-]`
    Cancelled,
}

/// How a list item was marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Marker {
    /// `*` bullet.
    Star,
    /// `-` bullet.
    Dash,
    /// `+` bullet.
    Plus,
    /// `1.` / `1)`.
    Ordered,
}

/// One promise found in a note.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Commitment {
    /// 1-based line of the bullet.
    pub line: usize,
    /// 1-based column of the bullet, in characters.
    pub column: usize,
    /// Byte range of the bullet marker (and checkbox, when there is one).
    pub bullet: Range<usize>,
    /// How the item is marked.
    pub marker: Marker,
    /// The checkbox, for task items.
    pub checkbox: Option<Checkbox>,
    /// Byte range of the checkbox itself (`[ ]`), for task items.
    pub checkbox_span: Option<Range<usize>>,
    /// Display text: tags, checkbox and strike-through markers removed.
    pub text: String,
    /// The whole text is struck through.
    pub struck: bool,
    /// Open, done or cancelled.
    pub status: Status,
    /// First valid due date.
    #[serde(with = "crate::notes::dates::days::option")]
    pub due: Option<NaiveDate>,
    /// First valid scheduled date.
    #[serde(with = "crate::notes::dates::days::option")]
    pub scheduled: Option<NaiveDate>,
    /// Date of the first dated done tag.
    #[serde(with = "crate::notes::dates::days::option")]
    pub done: Option<NaiveDate>,
    /// Who owes it to us (`@waiting(NAME)`).
    pub waiting: Option<String>,
    /// Every tag in the item's own text, in order.
    pub tags: Vec<Tag>,
    /// The date of the dated section it is in (a heading that starts with a date), if
    /// any: its relative dates count from it, and it was promised on it.
    #[serde(with = "crate::notes::dates::days::option")]
    pub section_date: Option<NaiveDate>,
    /// The symbol in the checkbox (`/` in `- [/]`), for task items.
    pub symbol: Option<char>,
    /// What the status is, Obsidian Tasks' way: in progress is open, and shown so.
    pub status_type: StatusType,
    /// Obsidian Tasks' other fields: start, created, priority, recurrence, ids.
    pub fields: TaskFields,
}

impl Commitment {
    /// The day it was promised: its section's date, else the note's.
    pub fn promised_on(&self, note: &Note) -> Option<NaiveDate> {
        self.section_date.or(note.date)
    }
}

/// A note-level problem found while reading (the linter reports these).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Which problem.
    pub kind: ProblemKind,
    /// Byte range it is about.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
}

/// Kinds of note-level problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ProblemKind {
    /// Front matter that is not valid YAML, or a `date:` that is not a date.
    BadFrontMatter,
    /// A customer profile field that cannot be read, or a profile that disagrees with
    /// its folder.
    BadProfile,
    /// A due or scheduled tag outside any commitment.
    StrayDate,
    /// An unindented line joined to a commitment that carries its own tag or task
    /// marker.
    LazyContinuation,
}

impl Problem {
    /// A front matter problem.
    pub fn bad_front_matter(span: Range<usize>, message: impl Into<String>) -> Self {
        Problem {
            kind: ProblemKind::BadFrontMatter,
            span,
            message: message.into(),
        }
    }
}

/// Where a note's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    /// `date:` in the front matter.
    FrontMatter,
    /// A date in the file name.
    FileName,
    /// A date in the first heading.
    Heading,
    /// A heading that starts a dated section (for a commitment in it).
    Section,
}

/// One parsed note.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// Path as shown to the user (`/` separators, as reached from the argument).
    pub path: String,
    /// Customer slug, if the note belongs to one.
    pub customer: Option<String>,
    /// The customer's name as this note gives it (front matter, else folder name).
    pub customer_label: Option<String>,
    /// The call's date.
    #[serde(with = "crate::notes::dates::days::option")]
    pub date: Option<NaiveDate>,
    /// Where `date` came from.
    pub date_source: Option<DateSource>,
    /// The dates of its dated sections (headings that start with a date), in order:
    /// each is a contact with the customer.
    #[serde(with = "crate::notes::dates::days::vec")]
    pub section_dates: Vec<NaiveDate>,
    /// A date in it had no year, and took the latest such day on or before today.
    pub year_guessed: bool,
    /// What the front matter says.
    pub front: FrontMatter,
    /// Commitments in source order.
    pub commitments: Vec<Commitment>,
    /// Problems found while reading the note.
    pub problems: Vec<Problem>,
    /// The HTML outside code that mentions `followup-`, in source order: where
    /// suppression comments can be (the rules read them).
    pub directive_html: Vec<Range<usize>>,
}

/// The customer one note belongs to, as [`Customers`] records it.
#[derive(Debug, Clone)]
pub struct NamedCustomer {
    /// The slug notes are matched by.
    pub slug: String,
    /// The name as this note gives it.
    pub label: String,
    /// How much the name counts: 2 for a profile's `name`, 1 for a `customer:` in
    /// front matter, 0 for a folder name.
    pub rank: u8,
}

impl Note {
    /// The customer this note belongs to, if any.
    pub fn named_customer(&self) -> Option<NamedCustomer> {
        Some(NamedCustomer {
            slug: self.customer.clone()?,
            label: self.customer_label.clone()?,
            rank: if self
                .front
                .profile
                .as_ref()
                .is_some_and(|p| p.name.is_some())
            {
                2
            } else {
                u8::from(self.front.customer.is_some())
            },
        })
    }
}

/// Customers by slug, with the display name chosen once for all notes.
#[derive(Debug, Clone, Default)]
pub struct Customers {
    /// Slug -> (rank of the name, display name).
    names: BTreeMap<String, (u8, String)>,
}

impl Customers {
    /// Collect customers from notes in path order (see [`Customers::add`]).
    pub fn from_notes(notes: &[Note]) -> Self {
        let mut customers = Customers::default();
        for named in notes.iter().filter_map(Note::named_customer) {
            customers.add(named);
        }
        customers
    }

    /// Record a customer a note names; call in path order. A profile's `name` beats a
    /// `customer:` in front matter, which beats a folder name; among equals, the first
    /// note (by path) wins, so the choice is stable.
    pub fn add(&mut self, named: NamedCustomer) {
        let NamedCustomer { slug, label, rank } = named;
        match self.names.get_mut(&slug) {
            None => {
                self.names.insert(slug, (rank, label));
            }
            Some(entry) if rank > entry.0 => *entry = (rank, label),
            Some(_) => {}
        }
    }

    /// Display name for a slug (the slug itself when unknown).
    pub fn name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.names.get(slug).map_or(slug, |(_, name)| name.as_str())
    }

    /// All customers, by slug.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names
            .iter()
            .map(|(k, (_, v))| (k.as_str(), v.as_str()))
    }
}

/// Customer slug: lowercase, runs of anything but letters and digits become `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(slug("Acme Corp"), "acme-corp");
        assert_eq!(slug("acme-corp"), "acme-corp");
        assert_eq!(slug("  Café  Société!! "), "café-société");
        assert_eq!(slug("東京 Robotics"), "東京-robotics");
        assert_eq!(slug("--"), "");
    }
}
