//! Any bytes through everything followup does to one note: decode, parse, the rules of
//! `check`, every renderer of `list`, `check` and `agenda`, and the edits `fix` and
//! `done` plan. Shared
//! with the fuzz target (`fuzz/fuzz_targets/note.rs` includes this file), replayed on
//! every input that ever broke it (`tests/fuzz_regressions/`), and run on arbitrary
//! bytes by proptest.

use chrono::NaiveDate;
use followup::agenda::{items_of, Agenda, Section, Window};
use followup::edit::{apply, close_note, fix_note, Close, Original};
use followup::fs::source::decode;
use followup::notes::model::Customers;
use followup::notes::model::Status;
use followup::notes::parse::{parse_note, Markers, NoteOrigin};
use followup::render::agenda::lines::{Lines, NoteLines};
use followup::render::list::{self, NoteRows, Rows, Shape, Sort};
use followup::render::{agenda, check, human::Human, sarif};
use followup::rules::{check_note as lint, Context, RuleSettings};

/// Run `bytes` through the per-note pipeline and check what must hold for any input:
/// no panic, every position inside the note, JSON that parses back, and text output
/// with no control character but its line ends.
pub fn check_note(bytes: &[u8]) {
    let Ok(text) = decode(bytes.to_vec()) else {
        return;
    };
    let origin = NoteOrigin {
        path: "acme/2026-11-16-call.md",
        file_name: "2026-11-16-call.md",
        folder: Some("acme"),
    };
    let note = parse_note(&text, origin, Markers::default());

    // CR LF, LF and a lone CR each end a line.
    let lines = 1 + text.replace("\r\n", "\n").matches(['\n', '\r']).count();
    let inside = |r: &std::ops::Range<usize>| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for c in &note.commitments {
        assert!((1..=lines).contains(&c.line), "line {} of {lines}", c.line);
        assert!(c.column >= 1);
        assert!(inside(&c.bullet), "bullet {:?}", c.bullet);
        assert!(c.checkbox_span.as_ref().map_or(true, inside));
        for t in &c.tags {
            assert!(inside(&t.span), "tag {:?}", t.span);
            assert!(t.value_span.as_ref().map_or(true, inside));
        }
    }
    for p in &note.problems {
        assert!(inside(&p.span), "problem {:?}", p.span);
    }

    let notes = [note];
    let customers = Customers::from_notes(&notes);
    let rows = notes[0].commitments.len();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let written = |format, sort| {
        let shape = Shape {
            format,
            sort,
            today,
        };
        let mut rows = Rows::default();
        rows.add(NoteRows::of(&notes[0], &shape))
            .expect("rows kept");
        let mut out = Vec::new();
        rows.write(&shape, &customers, None, &mut out)
            .expect("list writes");
        out
    };

    let json = written(list::Format::Json, Sort::Due);
    let parsed: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
    assert_eq!(parsed.as_array().map(Vec::len), Some(rows));

    let table = written(list::Format::Table, Sort::Customer);
    let table = String::from_utf8(table).expect("UTF-8 table");
    assert_eq!(table.lines().count(), rows + 1);
    no_controls(&table);

    // check: every rule, every format.
    let settings = RuleSettings::default();
    let diagnostics = lint(
        &notes[0],
        &text,
        Context {
            today,
            settings: &settings,
        },
    );
    for d in &diagnostics {
        assert!(inside(&d.finding.span), "diagnostic {:?}", d.finding.span);
        assert!(d.line >= 1 && d.column >= 1 && d.end_line >= d.line);
    }
    let mut out = String::new();
    Human::new(false, 100).note(&diagnostics, &text, &mut out);
    check::concise(&diagnostics, &mut out);
    check::github(&diagnostics, &mut out);
    no_controls(&out);
    assert!(!out
        .lines()
        .any(|l| l.starts_with("::") && !l.contains(" file=")));
    let mut json = String::from("[");
    check::json(&diagnostics, &mut json);
    json.push(']');
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(parsed.as_array().map(Vec::len), Some(diagnostics.len()));
    let mut log = Vec::new();
    sarif::write(&mut log, &diagnostics).expect("sarif writes");
    serde_json::from_slice::<serde_json::Value>(&log).expect("valid SARIF JSON");

    // agenda: every format.
    let window = Window {
        today,
        from: today,
        days: 7,
    };
    let link = |p: &str| p.to_owned();
    let render = |format| {
        let r = agenda::Renderer {
            format,
            window,
            link: &link,
            sections: &Section::ALL,
        };
        let mut lines = Lines::default();
        let items = NoteLines::of(items_of(&notes[0], window), window, &r);
        lines.add(items).expect("in memory");
        lines.finish(&r, &customers, None).expect("in memory");
        let built = Agenda {
            counts: lines.counts(),
            ..Agenda::default()
        };
        let mut out = Vec::new();
        r.write(&built, &lines, None, &mut out).expect("in memory");
        String::from_utf8(out).expect("UTF-8")
    };
    let ics = render(agenda::Format::Ics);
    assert!(ics
        .split("\r\n")
        .all(|l| l.len() <= 75 && !l.contains(['\r', '\n'])));
    let md = render(agenda::Format::Markdown);
    no_controls(&md);
    let json = render(agenda::Format::Json);
    serde_json::from_str::<serde_json::Value>(&json).expect("valid agenda JSON");

    // fix and done: planned on any note without a panic; a fix always passes its own
    // check (anything else is a bug) and needs one run; the edits made are the ones
    // reported.
    let original = Original::new(bytes.to_vec()).expect("decoded above");
    let reparse = |t: &str| parse_note(t, origin, Markers::default());
    if let Some(f) = fix_note(&original, &notes[0], reparse).expect("a fix that checks out") {
        assert_eq!(apply(bytes, &f.edits).expect("edits apply"), f.bytes);
        let again = Original::new(f.bytes).expect("still UTF-8");
        let note = reparse(&again.text);
        assert_eq!(fix_note(&again, &note, reparse).expect("checks out"), None);
    }
    let open: Vec<usize> = notes[0]
        .commitments
        .iter()
        .filter(|c| c.status == Status::Open)
        .map(|c| c.line)
        .collect();
    if !open.is_empty() {
        if let Ok(c) = close_note(&original, &notes[0], reparse, &open, Close::Done, today) {
            assert_eq!(apply(bytes, &c.edits).expect("edits apply"), c.bytes);
        }
    }
}

/// Text for people: nothing that acts on a terminal, only line ends.
fn no_controls(s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "control character in {s:?}"
    );
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::check_note;

    /// Every input that once broke the pipeline (a panic found by fuzzing, a YAML alias
    /// bomb found in review) still goes through.
    #[test]
    fn fuzz_regressions_replay() {
        let dir = crate::root().join("tests/fuzz_regressions");
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).expect("tests/fuzz_regressions") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "md") {
                check_note(&std::fs::read(&path).expect("read"));
                count += 1;
            }
        }
        assert!(count > 0, "no regression inputs in {}", dir.display());
    }

    proptest! {
        /// Arbitrary bytes (the parser's own proptest covers text; this covers the
        /// bytes, the decoding and the renderers).
        #[test]
        fn any_bytes_go_through(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            check_note(&bytes);
        }

        /// Bytes that are mostly markdown, so that parsing and rendering get exercised
        /// and not just the UTF-8 check.
        #[test]
        fn markdown_like_bytes_go_through(
            parts in prop::collection::vec(
                prop_oneof![
                    Just(b"\n* ".to_vec()),
                    Just(b"\n- [ ] ".to_vec()),
                    Just(b"---\n".to_vec()),
                    Just(b"@due(2026-11-20)".to_vec()),
                    Just("📅 2026-11-20 ✅".as_bytes().to_vec()),
                    Just(b"[due:: fri]".to_vec()),
                    Just(b"\n<!-- followup-disable-next-line overdue -->\n".to_vec()),
                    Just(b"<!-- followup-disable until=2026-11-01 -- x -->".to_vec()),
                    Just(b"<!-- followup-enable overdu -->".to_vec()),
                    Just(b"\r\n> ".to_vec()),
                    Just(b"\xEF\xBB\xBF".to_vec()),
                    Just(b"\x1b[31m\x07\0".to_vec()),
                    Just("\u{202E}\u{85}".as_bytes().to_vec()),
                    prop::collection::vec(any::<u8>(), 0..8),
                    "[ -~]{0,12}".prop_map(String::into_bytes),
                ],
                0..40,
            )
        ) {
            check_note(&parts.concat());
        }
    }
}
