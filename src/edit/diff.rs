//! Showing an edit: a unified diff for `--dry-run`.

/// A unified diff of a note before and after an edit, for `--dry-run`: `---`/`+++`
/// headers naming the note, three lines of context, each line made safe for a terminal
/// and ended with `\n` (as `agenda --check` shows its diff; a CRLF note's diff reads like
/// any other).
pub fn unified_diff(path: &str, before: &[u8], after: &[u8]) -> String {
    diff_with(path, path, before, after, 3)
}

/// A unified diff with these `---`/`+++` names and `context` lines around each change,
/// every line made safe for a terminal and ended with `\n`.
pub fn diff_with(old: &str, new: &str, before: &[u8], after: &[u8], context: usize) -> String {
    let before = String::from_utf8_lossy(before);
    let after = String::from_utf8_lossy(after);
    let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
    let text = diff
        .unified_diff()
        .context_radius(context)
        .header(old, new)
        .to_string();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&crate::text::terminal_safe(line));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_names_the_note_and_shows_the_change() {
        let d = unified_diff("n.md", b"a\r\n* x\r\nb", b"a\r\n* x @done(2026-11-23)\r\nb");
        assert_eq!(
            d,
            "--- n.md\n+++ n.md\n@@ -1,3 +1,3 @@\n a\n-* x\n+* x @done(2026-11-23)\n b\n\\ No newline at end of file\n"
        );
    }
}
