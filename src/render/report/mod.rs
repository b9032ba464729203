//! The follow-through report and the brief, rendered: [`html`] (the report as one
//! self-contained page), [`json`] (the same numbers as data) and [`brief`] (markdown).

pub mod brief;
pub mod html;
pub mod json;

/// A note's path as the output's folder sees it.
pub type LinkTarget<'a> = &'a dyn Fn(&str) -> String;
