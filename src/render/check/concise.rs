//! `--format concise`: `path:line:col: level[rule]: message`, one line per diagnostic.

use super::{Emitter, Renderer};
use crate::rules::Diagnostic;
use crate::text::{shown_path, terminal_safe, text};

/// `path:line:col: level[rule]: message`, the format editors' quickfix lists read.
pub fn concise(diagnostics: &[Diagnostic], out: &mut String) {
    for d in diagnostics {
        // Under GitHub Actions a log line starting with `::` is a workflow command; a
        // note named `::error::x.md` must not be able to write one.
        let path = shown_path(&d.path);
        let message = terminal_safe(&d.finding.message);
        let (line, column) = (d.line, d.column);
        let (level, rule) = (d.level.as_str(), d.rule().name());
        text!(into out; path, ":", line, ":", column, ": ", level, "[", rule, "]: ", message, "\n");
    }
}

/// The concise format's emitter: each note's lines as they come.
#[derive(Debug, Default)]
pub struct Concise;

impl Emitter for Concise {
    fn renderer(&self) -> Renderer {
        Renderer::lines(concise)
    }
}
