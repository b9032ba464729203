//! Obsidian comments, `%% like this %%`, inline or over several lines: what is inside
//! is not read, like an HTML comment. [`mask`] blanks them out, keeping every offset
//! and line break, so that the parser never sees them and positions stay true.

use std::borrow::Cow;

/// `text` with every `%% … %%` comment after `from` (the body's start) turned into
/// spaces, line breaks kept. A `%%` with no closing one comments out the rest of the
/// note, as in Obsidian. `%%` inside a fenced code block or an inline code span on one
/// line is text.
pub fn mask(text: &str, from: usize) -> Cow<'_, str> {
    if memchr::memmem::find(&text.as_bytes()[from..], b"%%").is_none() {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut in_comment = false;
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = from;
    while line_start < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |k| line_start + k + 1);
        let line = &bytes[line_start..line_end];
        if !in_comment {
            let indent = line.iter().take_while(|b| **b == b' ').count();
            let body = &line[indent.min(line.len())..];
            let run = |c: u8| body.iter().take_while(|b| **b == c).count();
            let (tick, tilde) = (run(b'`'), run(b'~'));
            let opener = if tick >= 3 {
                Some((b'`', tick))
            } else if tilde >= 3 {
                Some((b'~', tilde))
            } else {
                None
            };
            match (fence, opener) {
                (None, Some(f)) if indent < 4 => {
                    fence = Some(f);
                    line_start = line_end;
                    continue;
                }
                (Some((c, n)), Some((c2, n2))) if c == c2 && n2 >= n => {
                    fence = None;
                    line_start = line_end;
                    continue;
                }
                (Some(_), _) => {
                    line_start = line_end;
                    continue;
                }
                _ => {}
            }
        }
        let mut i = line_start;
        while i < line_end {
            if in_comment {
                if bytes[i..line_end].starts_with(b"%%") {
                    out[i] = b' ';
                    out[i + 1] = b' ';
                    in_comment = false;
                    i += 2;
                    continue;
                }
                if !matches!(bytes[i], b'\n' | b'\r') {
                    out[i] = b' ';
                }
                i += 1;
            } else if bytes[i] == b'`' {
                // An inline code span closed on this line is text.
                let n = bytes[i..line_end]
                    .iter()
                    .take_while(|b| **b == b'`')
                    .count();
                let after = i + n;
                let close = (after..line_end).find(|&k| {
                    bytes[k..].starts_with(&bytes[i..after])
                        && bytes.get(k + n) != Some(&b'`')
                        && bytes[k - 1] != b'`'
                });
                i = close.map_or(after, |k| k + n);
            } else if bytes[i..line_end].starts_with(b"%%") {
                out[i] = b' ';
                out[i + 1] = b' ';
                in_comment = true;
                i += 2;
            } else {
                i += 1;
            }
        }
        line_start = line_end;
    }
    // Only ASCII bytes were written, each over a whole character's bytes (a character
    // inside a comment is blanked byte by byte), so this is UTF-8.
    Cow::Owned(String::from_utf8(out).expect("masking keeps UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn inline_and_multi_line_comments_become_blanks() {
        let t = "- [ ] a %%📅 2026-01-01%% b\n%%\n- [ ] hidden\n%%\n- [ ] c\n";
        let m = mask(t, 0);
        assert_eq!(m.len(), t.len());
        assert_eq!(
            m,
            format!(
                "- [ ] a {} b\n  \n            \n  \n- [ ] c\n",
                " ".repeat(19)
            )
        );
    }

    #[test]
    fn code_is_not_a_comment_and_unclosed_runs_to_the_end() {
        let t = "`%%` x\n```\n%%\n```\n- [ ] a %% open\n- [ ] b\n";
        assert_eq!(
            mask(t, 0),
            "`%%` x\n```\n%%\n```\n- [ ] a        \n       \n"
        );
        assert!(matches!(
            mask("no comments", 0),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    proptest::proptest! {
        /// Masking keeps the length, every line break and everything outside comments.
        #[test]
        fn masking_keeps_offsets_and_lines(text in "(%%|%|`|```|~~~|\\n|\\r|a|é|📅| ){0,40}") {
            let m = mask(&text, 0);
            proptest::prop_assert_eq!(m.len(), text.len());
            for (a, b) in text.bytes().zip(m.bytes()) {
                proptest::prop_assert!(a == b || b == b' ');
                proptest::prop_assert_eq!(a == b'\n' || a == b'\r', b == b'\n' || b == b'\r');
            }
        }
    }
}
