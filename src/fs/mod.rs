//! The file system: finding note files ([`walk`]), reading them ([`source`]) and
//! writing files safely ([`write`](mod@write)). Knows nothing of markdown.

pub mod paths;
pub mod rewrite;
pub mod source;
pub mod walk;
pub mod write;
