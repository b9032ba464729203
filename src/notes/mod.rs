//! Notes: how one file's text becomes a [`model::Note`] ([`reader`], [`parse`],
//! [`frontmatter`], [`tags`], [`dates`], [`profile`]), and [`scan`], the parallel map
//! that reads every note of a walk.

pub mod dates;
pub mod frontmatter;
pub mod model;
pub mod parse;
pub mod profile;
pub mod reader;
pub mod scan;
pub mod tags;
