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
    let (a, b) = (split_lines(&before), split_lines(&after));
    // An edit that keeps every line where it was (fix, done): line i against line i, in
    // one pass. The general diff is quadratic when most lines change (200k fixed dates).
    let text = if a.len() == b.len() {
        paired_diff(old, new, &a, &b, context)
    } else {
        let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
        diff.unified_diff()
            .context_radius(context)
            .header(old, new)
            .to_string()
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&crate::text::terminal_safe(line));
        out.push('\n');
    }
    out
}

/// Lines with their line ends, as `similar` splits them.
fn split_lines(s: &str) -> Vec<&str> {
    s.split_inclusive('\n').collect()
}

/// The unified diff of two texts with as many lines, line against line, as `similar`
/// writes it: hunks of changes with `context` lines around, changes closer than twice
/// that in one hunk, a changed run's old lines before its new ones.
fn paired_diff(old: &str, new: &str, a: &[&str], b: &[&str], context: usize) -> String {
    use std::fmt::Write as _;
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {old}\n+++ {new}\n");
    let line = |out: &mut String, sign: char, l: &str| {
        out.push(sign);
        out.push_str(l);
        if !l.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(context);
        let mut end = (changed[k] + 1 + context).min(a.len());
        k += 1;
        while k < changed.len() && changed[k] <= end + context {
            end = (changed[k] + 1 + context).min(a.len());
            k += 1;
        }
        let len = end - start;
        let _ = writeln!(out, "@@ -{},{len} +{},{len} @@", start + 1, start + 1);
        let mut i = start;
        while i < end {
            if a[i] == b[i] {
                line(&mut out, ' ', a[i]);
                i += 1;
                continue;
            }
            let run = i;
            while i < end && a[i] != b[i] {
                i += 1;
            }
            for l in &a[run..i] {
                line(&mut out, '-', l);
            }
            for l in &b[run..i] {
                line(&mut out, '+', l);
            }
        }
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

    /// The one-pass diff for edits that keep the lines writes what `similar` writes.
    #[test]
    fn the_paired_diff_matches_similar() {
        let before: String = (0..40)
            .map(|i| format!("* item {i} @due(+{i}d)\n"))
            .collect();
        for changed in [
            vec![0],
            vec![39],
            vec![3, 4],
            vec![5, 12],
            vec![5, 11],
            vec![1, 20, 30],
        ] {
            let after: String = before
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    if changed.contains(&i) {
                        format!("{l} @done(2026-11-23)\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            for (b, a) in [
                (before.clone(), after.clone()),
                (before.trim_end().to_owned(), after.trim_end().to_owned()),
            ] {
                let ours = unified_diff("n.md", b.as_bytes(), a.as_bytes());
                let theirs = similar::TextDiff::from_lines(&b, &a)
                    .unified_diff()
                    .context_radius(3)
                    .header("n.md", "n.md")
                    .to_string();
                let theirs: String = theirs.lines().map(|l| format!("{l}\n")).collect();
                assert_eq!(ours, theirs, "{changed:?}");
            }
        }
    }
}
