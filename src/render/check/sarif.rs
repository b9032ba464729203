//! SARIF 2.1.0, the format GitHub code scanning uploads.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{Emitter, Rendered, Renderer, Summary};
use crate::rules::{Diagnostic, Level, Rule};
use crate::text::{display_to_bytes, json_safe, percent_encode};

/// SARIF's name for a level.
fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// A path as a SARIF artifact location: relative paths are URI references against the
/// checkout (`%SRCROOT%`), absolute ones `file://` URIs; anything but unreserved
/// characters and `/` is percent-encoded, from the name's own bytes (a Latin-1 `é`, shown
/// `caf\xE9.md`, is `caf%E9.md`).
fn artifact_location(path: &str) -> Value {
    let uri = percent_encode(&display_to_bytes(path));
    match uri.strip_prefix('/') {
        Some(_) => json!({ "uri": format!("file://{uri}") }),
        None => json!({ "uri": uri, "uriBaseId": "%SRCROOT%" }),
    }
}

/// One diagnostic as a SARIF result.
fn result(d: &Diagnostic) -> Value {
    json!({
        "ruleId": d.rule().name(),
        "ruleIndex": Rule::ALL.iter().position(|r| *r == d.rule()),
        "level": level(d.level),
        "message": { "text": format!("{}\nhelp: {}", d.finding.message, d.finding.help) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact_location(&d.path),
                "region": {
                    "startLine": d.line,
                    "startColumn": d.column,
                    "endLine": d.end_line,
                    "endColumn": d.end_column,
                },
            },
        }],
    })
}

/// Write one SARIF log: the tool with every rule, then the results.
fn write_log(out: &mut dyn Write, results: Vec<Value>) -> io::Result<()> {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.name(),
                "name": r.name(),
                "shortDescription": { "text": r.summary() },
                "fullDescription": { "text": r.summary() },
                "help": { "text": r.docs(), "markdown": r.docs() },
                "defaultConfiguration": { "level": level(r.default_level()) },
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "followup",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let text = serde_json::to_string_pretty(&log).expect("plain data serializes");
    writeln!(out, "{}", json_safe(text))
}

/// Write one SARIF log of `diagnostics`.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    write_log(out, diagnostics.iter().map(result).collect())
}

/// The sarif format's emitter. A SARIF log is one JSON document with the results inside
/// it, so they are made on the worker threads and kept until the end, then written whole.
#[derive(Debug, Default)]
pub struct Sarif {
    results: Vec<Value>,
}

impl Emitter for Sarif {
    fn renderer(&self) -> Renderer {
        Renderer::new(|diagnostics, _| Rendered {
            results: diagnostics.iter().map(result).collect(),
            ..Rendered::default()
        })
    }

    fn note(&mut self, note: Rendered, _out: &mut dyn Write) -> io::Result<()> {
        self.results.extend(note.results);
        Ok(())
    }

    fn end(&mut self, _summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        write_log(out, std::mem::take(&mut self.results))
    }
}

#[cfg(test)]
mod tests {
    use super::artifact_location;
    use serde_json::json;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location("notes/Acme Corp/call #1.md"),
            json!({ "uri": "notes/Acme%20Corp/call%20%231.md", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("/tmp/café.md"),
            json!({ "uri": "file:///tmp/caf%C3%A9.md" })
        );
        // Issue #20.10: a name that is not UTF-8 is encoded from its bytes.
        assert_eq!(
            artifact_location("notes/caf\\xE9.md"),
            json!({ "uri": "notes/caf%E9.md", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("notes/caf\\\\xE9.md"),
            json!({ "uri": "notes/caf%5CxE9.md", "uriBaseId": "%SRCROOT%" })
        );
    }
}
