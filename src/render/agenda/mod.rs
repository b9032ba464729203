//! The agenda as markdown (a document to read on Monday morning), JSON and iCalendar:
//! one file per format.

mod ics;
mod json;
mod markdown;

pub use ics::{ics, ICS_PRODID};
pub use json::{json, JSON_MARKER};
pub(crate) use markdown::md_url;
pub use markdown::{markdown, md_text, shows_text, ticks, Tick};

/// Where an item's source link points: the note's path as seen from the agenda's folder.
pub type LinkTarget<'a> = &'a dyn Fn(&str) -> String;
