//! What the edit tests share: notes parsed as the commands parse them, and the
//! property that an edit is surgical, with notes generated to test it on.

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::select;

use super::apply::Edit;
use crate::fs::source::bom_len;
use crate::notes::dates::parse_iso;
use crate::notes::model::Note;
use crate::notes::parse::{parse_note, Markers, NoteOrigin};

/// Parse as the note `acme/FILE_NAME`.
fn parse_in_acme(file_name: &str, text: &str) -> Note {
    let path = format!("acme/{file_name}");
    let origin = NoteOrigin {
        path: &path,
        file_name,
        folder: Some("acme"),
    };
    parse_note(text, origin, Markers::default())
}

/// Parse as a note dated Monday 2026-11-16 by its file name.
pub(super) fn parse(text: &str) -> Note {
    parse_in_acme("2026-11-16-call.md", text)
}

/// Parse as a note with no date.
pub(super) fn undated(text: &str) -> Note {
    parse_in_acme("ideas.md", text)
}

pub(super) fn day(s: &str) -> NaiveDate {
    parse_iso(s).unwrap()
}

/// Lines of `bytes`: (start, end of content, end with its line break), with `\n`,
/// `\r\n` and a lone `\r` each ending a line, as the parser reads them.
fn lines(bytes: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                out.push((start, i, i + 2));
                i += 2;
                start = i;
            }
            b'\n' | b'\r' => {
                out.push((start, i, i + 1));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push((start, bytes.len(), bytes.len()));
    out
}

/// What an edit must leave alone, checked without `apply`: the new bytes are the old
/// ones with each range replaced (spliced from the back, one at a time), no edit
/// touches a line break or the BOM, and line for line the two files have the same
/// line breaks, the lines with no edit byte for byte.
pub(super) fn assert_surgical(old: &[u8], new: &[u8], edits: &[Edit]) {
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|e| e.range.start);
    let mut spliced = old.to_vec();
    for e in sorted.iter().rev() {
        spliced.splice(e.range.clone(), e.with.bytes());
    }
    assert_eq!(spliced, new, "only the edited ranges differ");
    for e in &sorted {
        assert!(e.range.start >= bom_len(old), "an edit inside the BOM");
        assert!(!old[e.range.clone()]
            .iter()
            .any(|b| matches!(b, b'\n' | b'\r')));
        assert!(!e.with.contains(['\n', '\r']), "an edit adds a line break");
    }
    assert_eq!(bom_len(old), bom_len(new), "the BOM stays or stays away");
    let (before, after) = (lines(old), lines(new));
    assert_eq!(before.len(), after.len(), "same number of lines");
    for (&(s, c, e), &(s2, c2, e2)) in before.iter().zip(&after) {
        assert_eq!(old[c..e], new[c2..e2], "same line break");
        let touched = sorted
            .iter()
            .any(|ed| s <= ed.range.start && ed.range.start <= c);
        if !touched {
            assert_eq!(old[s..e], new[s2..e2], "an unedited line changed");
        }
    }
}

/// One line of a note: an indent, maybe a bullet, and words and tags, some of
/// them what `fix` rewrites, some what it must leave alone.
fn line() -> impl Strategy<Value = String> {
    let indent = select(vec!["", "", "  ", "    ", "> ", "\t"]);
    let bullet = select(vec![
        "* ", "* ", "- [ ] ", "- [ ] ", "1. [ ] ", "2) [ ] ", "+ [ ] ", "- ", "* [x] ", "- [-] ",
        "- [/] ", "- [>] ", "", "# Call ", "```", "---", "*",
    ]);
    let word = select(vec![
        "Send",
        "the deck",
        "é",
        "—",
        "@due(fri)",
        "@due(+3d)",
        "due:tomorrow",
        "due:tomorrow.",
        "@deu(2026-11-27)",
        "@deu(mon)",
        "@dne(fri)",
        "📅 2026-11-27",
        "⏫",
        "@scheduled(today)",
        "@waitng(Dana)",
        "[due:: 2026-11-25]",
        "(due:: 2026-11-26)",
        "📅2026-11-28",
        "✅ 2026-11-20",
        "^abc1",
        "#work",
        "🆔 a1",
        "@due 2026-12-05",
        "%% note %%",
        "@done",
        "`@due(fri)`",
        "~~x~~",
        "\\",
        "  ",
        "@due(someday)",
        "@dana",
        "<!-- c -->",
        "`code",
        "@Due( Friday )",
        "✅ 2026-11-20",
        "@due(+999999m)",
    ]);
    (indent, bullet, prop::collection::vec(word, 0..5))
        .prop_map(|(i, b, w)| format!("{i}{b}{}", w.join(" ")))
}

/// A note: maybe a BOM, maybe front matter, lines ended by the file's line
/// break (now and then another), with or without a final one.
pub(super) fn note() -> impl Strategy<Value = Vec<u8>> {
    let body = prop::collection::vec((line(), 0..8u8), 0..14);
    let ending = select(vec!["\n", "\r\n", "\r"]);
    (any::<bool>(), any::<bool>(), body, ending, any::<bool>()).prop_map(
        |(bom, front, body, ending, last)| {
            let mut s = String::new();
            if bom {
                s.push('\u{FEFF}');
            }
            if front {
                s.push_str(&format!("---{ending}customer: Acme{ending}---{ending}"));
            }
            let n = body.len();
            for (k, (l, odd)) in body.into_iter().enumerate() {
                s.push_str(&l);
                if k + 1 < n || last {
                    s.push_str(if odd == 0 { "\r\n" } else { ending });
                }
            }
            s.into_bytes()
        },
    )
}
