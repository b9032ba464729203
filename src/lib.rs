//! followup: find the commitments in markdown call notes, lint them, and write a
//! weekly follow-up agenda.
//!
//! The modules follow the pipeline, and each uses only the ones listed before it (a test,
//! `tests/cli/architecture.rs`, keeps it so):
//!
//! - [`memory`]: the global allocator the binary installs (mimalloc for small blocks,
//!   the system's for big ones), and the process settings that keep its peak low.
//! - [`text`]: printing text safely, plurals, "did you mean".
//! - [`fs`]: walk the folders, read files, write files atomically.
//! - [`notes`]: one note reader ([`notes::reader`]) turns a file into a
//!   [`notes::model::Note`]; [`notes::scan`] reads a walk's notes in parallel.
//! - [`customers`]: what the notes say about each customer (last contact, cadence).
//! - [`rules`]: the rule registry and the checks, with suppression comments.
//! - [`cache`]: what a scan learnt from each note (parsed, and what the rules read in its
//!   text), kept between runs in the user's cache folder, keyed by each file's stamp.
//! - [`agenda`]: commitments sorted into a weekly review.
//! - [`report`]: the follow-through report and the brief before a call, as numbers.
//! - [`edit`]: byte-exact plans for `done` and `fix`.
//! - [`config`]: `followup.toml`, read and validated.
//! - [`render`]: one emitter per output format.
//! - [`app`]: the command line: settings resolved once per command, commands, exit codes.
#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod memory;

pub mod text;

pub mod fs;

pub mod notes;

pub mod customers;

pub mod rules;

pub mod cache;

pub mod agenda;

pub mod report;

pub mod edit;

pub mod config;

pub mod render;

pub mod app;
