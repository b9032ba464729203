//! `--format json`: `{"version":1,"diagnostics":[...],"summary":{...}}`, the
//! diagnostics streamed one note at a time.

use std::io::{self, Write};

use serde::Serialize;

use super::{Emitter, Rendered, Renderer, Summary};
use crate::rules::{Diagnostic, Level};
use crate::text::json_safe;

/// A diagnostic as `--format json` writes it.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: &'static str,
    severity: Level,
    message: &'a str,
    help: &'a str,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            path: &d.path,
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            rule: d.rule().name(),
            severity: d.level,
            message: &d.finding.message,
            help: &d.finding.help,
        }
    }
}

/// One JSON object per diagnostic, separated by `,\n`: the inside of the
/// `"diagnostics"` array (serde_json escapes every control character).
pub fn json(diagnostics: &[Diagnostic], out: &mut String) {
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&json_safe(
            serde_json::to_string(&JsonDiagnostic::from(d)).expect("plain data serializes"),
        ));
    }
}

/// The json format's emitter: the envelope around every note's diagnostics.
#[derive(Debug)]
pub struct Json {
    /// No note has been written yet (the next needs no comma before it).
    first: bool,
}

impl Default for Json {
    fn default() -> Self {
        Json { first: true }
    }
}

impl Emitter for Json {
    fn renderer(&self) -> Renderer {
        Renderer::lines(json)
    }

    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"{\"version\":1,\"diagnostics\":[\n")
    }

    fn note(&mut self, note: Rendered, out: &mut dyn Write) -> io::Result<()> {
        if note.text.is_empty() {
            return Ok(());
        }
        if !std::mem::take(&mut self.first) {
            out.write_all(b",\n")?;
        }
        out.write_all(note.text.as_bytes())
    }

    fn end(&mut self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let summary = serde_json::to_string(summary).expect("plain data serializes");
        writeln!(out, "\n],\"summary\":{summary}}}")
    }
}
