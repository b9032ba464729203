//! `--format github`: GitHub Actions workflow commands, one per diagnostic.

use std::fmt::Write as _;

use super::{Emitter, Renderer};
use crate::rules::{Diagnostic, Level};
use crate::text::terminal_safe;

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

/// The github format's emitter: each note's workflow commands as they come.
#[derive(Debug, Default)]
pub struct Github;

impl Emitter for Github {
    fn renderer(&self) -> Renderer {
        Renderer::lines(github)
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
