//! followup: find the commitments in markdown call notes, lint them, and write a
//! weekly follow-up agenda.
//!
//! The pipeline, one module each: [`walk`] finds note files, [`source`] reads them,
//! [`frontmatter`] and [`parse`] turn text into the [`model`] (with [`tags`], [`dates`],
//! [`profile`] for customer profiles and [`suppress`] for suppression comments), [`scan`]
//! runs that over many files in parallel, [`customers`] gathers what the notes say about
//! each customer, [`rules`] lint each note (and each customer), [`agenda`] sorts
//! commitments into a weekly review, [`render`] turns results into text
//! and [`write`](mod@write) puts files on disk safely. [`edit`] plans the byte-exact changes that
//! `done` and `fix` make to notes. [`config`] reads `followup.toml`; [`cli`], [`run`] and
//! [`commands`] connect it all to the command line.
#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod agenda;
pub mod cli;
pub mod commands;
pub mod config;
pub mod customers;
pub mod dates;
pub mod edit;
pub mod frontmatter;
pub mod model;
pub mod parse;
pub mod profile;
pub mod render;
pub mod rules;
pub mod run;
pub mod scan;
pub mod source;
pub mod suppress;
pub mod tags;
pub mod walk;
pub mod write;
