//! The agenda as markdown (a document to read on Monday morning), JSON and iCalendar:
//! one file per format. Items are rendered as the notes are read and kept as bytes in
//! [`lines`]; each format then writes its document around them.

mod ics;
mod json;
pub mod lines;
mod markdown;

use std::io::{self, Write};

pub use ics::ICS_PRODID;
pub use json::JSON_MARKER;
pub(crate) use markdown::md_url;
pub use markdown::{md_text, shows_text, ticks, Limit, Tick};

use crate::agenda::{Agenda, Item, Key, Place, Section, Window};
use lines::{Lines, NotePath, Render};

/// Where an item's source link points: the note's path as seen from the agenda's folder.
pub type LinkTarget<'a> = &'a (dyn Fn(&str) -> String + Sync);

/// The agenda's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The document to read.
    Markdown,
    /// The same sections as data.
    Json,
    /// Open dated items as VTODOs.
    Ics,
}

/// One format's way with items and documents, for one window.
pub struct Renderer<'a> {
    /// The format.
    pub format: Format,
    /// The window.
    pub window: Window,
    /// Links to the notes.
    pub link: LinkTarget<'a>,
    /// The sections listed (markdown and JSON).
    pub sections: &'a [Section],
}

impl Render for Renderer<'_> {
    fn key(&self, item: &Item) -> Option<Key> {
        match self.format {
            Format::Ics => ics::key(item),
            Format::Markdown | Format::Json => Place::of(item, self.window)
                .filter(|p| self.sections.contains(&p.section()))
                .map(|p| p.key(item)),
        }
    }

    fn note(&self, path: &str) -> NotePath {
        match self.format {
            Format::Markdown => NotePath {
                shown: md_text(path),
                link: md_url(&(self.link)(path)),
            },
            Format::Json => NotePath {
                shown: String::new(),
                link: (self.link)(path),
            },
            Format::Ics => NotePath::default(),
        }
    }

    fn render(&self, item: &Item, key: Key, repeat: u64, note: &NotePath, out: &mut String) {
        let w = &self.window;
        match self.format {
            Format::Markdown => markdown::item(out, item, Place::of_key(key), w, note),
            Format::Json => json::item(out, item, key, w, note),
            Format::Ics => ics::item(out, item, repeat, w),
        }
    }

    fn name(&self, name: &str) -> String {
        match self.format {
            Format::Markdown => markdown::name(name),
            Format::Json => json::name(name),
            Format::Ics => ics::name(name),
        }
    }

    fn fill(&self, bytes: &[u8], name: &str, out: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Format::Ics => ics::fill(bytes, name, out),
            Format::Markdown | Format::Json => lines::fill(bytes, name, out),
        }
    }
}

impl Renderer<'_> {
    /// Write the document: `a`'s customer sections and numbers, the items in `lines`
    /// (at most `limit` per section, markdown only).
    pub fn write(
        &self,
        a: &Agenda,
        lines: &Lines,
        limit: Option<&Limit<'_>>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let w = &self.window;
        match self.format {
            Format::Markdown => markdown::markdown(a, lines, self, w, self.link, limit, out),
            Format::Json => json::json(a, lines, self, w, self.link, out),
            Format::Ics => ics::ics(lines, self, out),
        }
    }
}
