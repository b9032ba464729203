//! Notes: how one file's text becomes a [`model::Note`] ([`reader`], [`parse`],
//! [`frontmatter`], [`tags`], [`dates`], [`profile`], [`occasion`], [`status`], [`recurrence`],
//! [`comments`], [`filter`]), and [`scan`], the parallel map
//! that reads every note of a walk.

pub mod comments;
pub mod dates;
pub mod filter;
pub mod frontmatter;
pub mod model;
pub mod occasion;
pub mod parse;
pub mod profile;
pub mod reader;
pub mod recurrence;
pub mod scan;
pub mod status;
pub mod tags;
