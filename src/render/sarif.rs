//! SARIF 2.1.0, the format GitHub code scanning uploads.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::rules::{Diagnostic, Level, Rule};
use crate::text::json_safe;

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
/// characters and `/` is percent-encoded.
fn artifact_location(path: &str) -> Value {
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    match uri.strip_prefix('/') {
        Some(_) => json!({ "uri": format!("file://{uri}") }),
        None => json!({ "uri": uri, "uriBaseId": "%SRCROOT%" }),
    }
}

/// Write one SARIF log: the tool with every rule, then the diagnostics as results.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
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
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
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
    }
}
