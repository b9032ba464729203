//! The line formats of `check` (concise, github, json) and its summary. Each renders
//! one note's diagnostics at a time, so that output streams in path order.

use std::fmt::Write as _;

use serde::Serialize;

use crate::rules::{Diagnostic, Level};
use crate::text::{json_safe, terminal_safe};

/// `path:line:col: level[rule]: message`, the format editors' quickfix lists read.
pub fn concise(diagnostics: &[Diagnostic], out: &mut String) {
    for d in diagnostics {
        let path = terminal_safe(&d.path);
        // Under GitHub Actions a log line starting with `::` is a workflow command; a
        // note named `::error::x.md` must not be able to write one.
        let dot = if path.starts_with("::") { "./" } else { "" };
        let _ = writeln!(
            out,
            "{dot}{path}:{}:{}: {}[{}]: {}",
            d.line,
            d.column,
            d.level,
            d.rule(),
            terminal_safe(&d.finding.message)
        );
    }
}

/// GitHub Actions workflow commands (`::error file=...::message`): annotations on the
/// pull request. Escaped as the Actions toolkit does, so note text can neither end the
/// command nor start another.
pub fn github(diagnostics: &[Diagnostic], out: &mut String) {
    for d in diagnostics {
        let command = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let _ = write!(
            out,
            "::{command} file={},line={}",
            escape_property(&d.path),
            d.line
        );
        // Columns only make sense on one line.
        if d.end_line == d.line {
            let _ = write!(out, ",col={},endColumn={}", d.column, d.end_column);
        } else {
            let _ = write!(out, ",endLine={}", d.end_line);
        }
        let message = format!("{}\nhelp: {}", d.finding.message, d.finding.help);
        let _ = writeln!(
            out,
            ",title={}::{}",
            escape_property(&format!("followup {}", d.rule())),
            escape_data(&message)
        );
    }
}

/// The toolkit's `escapeData`, after control characters are made visible (so an ESC
/// cannot colour the log either).
fn escape_data(s: &str) -> String {
    let mut lines = s.split('\n').map(|l| terminal_safe(l).into_owned());
    let mut joined = lines.next().unwrap_or_default();
    for l in lines {
        joined.push('\n');
        joined.push_str(&l);
    }
    joined
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The toolkit's `escapeProperty`: `escapeData` plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

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

/// What a run found, in numbers.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Notes read.
    pub files: usize,
    /// Commitments in them.
    pub commitments: usize,
    /// Diagnostics at error level.
    pub errors: usize,
    /// At warning level.
    pub warnings: usize,
    /// At info level.
    pub infos: usize,
}

impl Summary {
    /// Count one diagnostic.
    pub fn count(&mut self, level: Level) {
        match level {
            Level::Error => self.errors += 1,
            Level::Warning => self.warnings += 1,
            Level::Info => self.infos += 1,
        }
    }

    /// Add another summary's counts.
    pub fn add(&mut self, other: Summary) {
        self.files += other.files;
        self.commitments += other.commitments;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// Whether anything was found at or above `level`.
    pub fn any_at_or_above(&self, level: Level) -> bool {
        match level {
            Level::Error => self.errors > 0,
            Level::Warning => self.errors + self.warnings > 0,
            Level::Info => self.errors + self.warnings + self.infos > 0,
        }
    }

    /// `Checked 14 files, 52 commitments: 3 errors, 5 warnings, 2 infos`.
    pub fn line(&self) -> String {
        use crate::text::plural;
        format!(
            "Checked {}, {}: {}, {}, {}",
            plural(self.files as i64, "file"),
            plural(self.commitments as i64, "commitment"),
            plural(self.errors as i64, "error"),
            plural(self.warnings as i64, "warning"),
            plural(self.infos as i64, "info"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping_matches_the_toolkit() {
        assert_eq!(escape_data("100% done\nnext"), "100%25 done%0Anext");
        // A CR is shown, not passed on: it could hide what came before it in a log.
        assert_eq!(escape_data("a\r\nb"), "a␍%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x%0A::error::y"), "x%250A::error::y");
        assert_eq!(escape_data("\x1b[2J"), "␛[2J");
    }
}
