//! `followup snooze`: every date dialect moved byte for byte, the move counted in
//! `@moved(N)`, `--scheduled`, `--dry-run`, `--match`, refusals; and `often-moved`.

use std::path::Path;
use std::process::Output;

use crate::{followup, notes_dir};

/// `followup snooze ARGS --today 2026-11-23`, run in `dir`.
fn snooze_in(dir: &Path, args: &[&str]) -> Output {
    followup()
        .current_dir(dir)
        .arg("snooze")
        .args(args)
        .args(["--today", "2026-11-23"])
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// (what, note, line, expected note) for `snooze PATH:LINE 2026-12-04`.
const DIALECTS: &[(&str, &str, usize, &str)] = &[
    (
        "@due(), relative",
        "# Call 2026-11-16\n\n* Send the deck @due(fri)\n",
        3,
        "# Call 2026-11-16\n\n* Send the deck @due(2026-12-04) @moved(1)\n",
    ),
    (
        "due:, CRLF",
        "# Call 2026-11-16\r\n\r\n- [ ] Book the room due:tomorrow\r\n* Other\r\n",
        3,
        "# Call 2026-11-16\r\n\r\n- [ ] Book the room due:2026-12-04 @moved(1)\r\n* Other\r\n",
    ),
    (
        "emoji, with a priority after it",
        "- [ ] Call IT 📅 2026-11-20 ⏫\n",
        1,
        "- [ ] Call IT @moved(1) 📅 2026-12-04 ⏫\n",
    ),
    (
        "Dataview",
        "- [ ] Draft the SOW [due:: 2026-11-20]\n",
        1,
        "- [ ] Draft the SOW [due:: 2026-12-04] @moved(1)\n",
    ),
    (
        "moved before, BOM, no final newline",
        "\u{FEFF}* Send it @due(2026-11-20) @moved(2)",
        1,
        "\u{FEFF}* Send it @due(2026-12-04) @moved(3)",
    ),
    (
        "no date yet",
        "* Ask legal\n",
        1,
        "* Ask legal @due(2026-12-04) @moved(1)\n",
    ),
];

#[test]
fn every_dialect_is_moved_byte_for_byte() {
    for (what, before, line, after) in DIALECTS {
        let dir = notes_dir(&[("call.md", before.as_bytes())]);
        let loc = format!("call.md:{line}");
        let out = snooze_in(dir.path(), &[&loc, "2026-12-04"]);
        assert_eq!(out.status.code(), Some(0), "{what}: {}", text(&out.stderr));
        assert_eq!(
            text(&std::fs::read(dir.path().join("call.md")).unwrap()),
            *after,
            "{what}"
        );
        assert!(
            text(&out.stdout).starts_with("moved due "),
            "{what}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn relative_dates_scheduled_and_dry_run() {
    let note = "# Call 2026-11-16\n\n* Send the deck @due(2026-11-20) ⏳ 2026-11-19\n";
    let dir = notes_dir(&[("call.md", note.as_bytes())]);
    // A dry run shows the diff and writes nothing.
    let out = snooze_in(dir.path(), &["call.md:3", "+3d", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(
        diff.contains("+* Send the deck @due(2026-11-26) ⏳ 2026-11-19 @moved(1)")
            || diff.contains("+* Send the deck @due(2026-11-26) @moved(1) ⏳ 2026-11-19"),
        "{diff}"
    );
    assert!(
        diff.contains(
            "would move due 2026-11-20 -> 2026-11-26 (moved 1 time): call.md:3 Send the deck"
        ),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("call.md")).unwrap(),
        note
    );
    // `next fri` (two words: Friday next week), counted from today (Monday 2026-11-23);
    // --scheduled.
    let out = snooze_in(dir.path(), &["call.md:3", "next", "fri", "--scheduled"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("call.md")).unwrap(),
        "# Call 2026-11-16\n\n* Send the deck @due(2026-11-20) @moved(1) ⏳ 2026-12-04\n"
    );
    // `Dec 15` as two words.
    let out = snooze_in(dir.path(), &["call.md:3", "Dec", "15", "--scheduled"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(dir.path().join("call.md"))
        .unwrap()
        .contains("⏳ 2026-12-15"));
    let out = snooze_in(dir.path(), &["call.md:3", "+1w"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("call.md")).unwrap(),
        "# Call 2026-11-16\n\n* Send the deck @due(2026-11-30) @moved(3) ⏳ 2026-12-15\n"
    );
}

#[test]
fn refusals_write_nothing() {
    let note = "* Send it @due(2026-11-20)\n- [x] Done @due(2026-11-20)\n";
    let dir = notes_dir(&[("call.md", note.as_bytes())]);
    for (args, says) in [
        (&["call.md:2", "+3d"][..], "call.md:2: already done: Done"),
        (&["call.md:1", "someday"][..], "`someday` is not a date"),
        (
            &["call.md:1", "call.md:9", "+3d"][..],
            "call.md:9: not a commitment",
        ),
    ] {
        let out = snooze_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains(says) && err.contains("nothing written"),
            "{args:?}: {err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("call.md")).unwrap(),
            note
        );
    }
}

#[test]
fn match_finds_one_open_commitment_or_lists_the_candidates() {
    let dir = notes_dir(&[
        (
            "notes/acme/a.md",
            b"* Send Dana the volume Pricing Sheet @due(2026-11-20)\n* Send the deck @due(2026-11-20)\n",
        ),
        ("notes/globex/b.md", b"* Send the deck to Hank @due(2026-11-21)\n- [x] Old pricing sheet\n"),
    ]);
    let out = snooze_in(
        dir.path(),
        &["--match", "pricing sheet", "notes", "2026-12-01"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("notes/acme/a.md:1 Send Dana the volume Pricing Sheet"));
    assert!(std::fs::read_to_string(dir.path().join("notes/acme/a.md"))
        .unwrap()
        .starts_with("* Send Dana the volume Pricing Sheet @due(2026-12-01) @moved(1)\n"));
    // Ambiguous: exit 2, every candidate listed, nothing written.
    let before = std::fs::read(dir.path().join("notes/acme/a.md")).unwrap();
    let out = snooze_in(dir.path(), &["--match", "send the deck", "2026-12-01"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("2 open commitments match `send the deck`")
            && err.contains("a.md:2 Send the deck")
            && err.contains("b.md:1 Send the deck to Hank"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("notes/acme/a.md")).unwrap(),
        before
    );
    // done takes --match too.
    let out = followup()
        .current_dir(dir.path())
        .args(["done", "--match", "TO HANK", "--today", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes/globex/b.md")).unwrap(),
        "* Send the deck to Hank @due(2026-11-21) @done(2026-11-23)\n- [x] Old pricing sheet\n"
    );
    let out = followup()
        .current_dir(dir.path())
        .args([
            "done",
            "--match",
            "nothing like it",
            "--today",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no open commitment matches `nothing like it`"));
}

#[test]
fn often_moved_counts_the_moves_when_turned_on() {
    let dir = notes_dir(&[
        ("followup.toml", b"[rules]\noften-moved = { times = 2 }\n"),
        (
            "notes/a.md",
            b"# Call 2026-11-16\n\n* Send the deck @due(2026-11-30)\n",
        ),
    ]);
    let check = || {
        let out = followup()
            .current_dir(dir.path())
            .args([
                "check",
                "notes",
                "--today",
                "2026-11-23",
                "--format",
                "concise",
                "-q",
            ])
            .output()
            .unwrap();
        text(&out.stdout)
    };
    snooze_in(dir.path(), &["notes/a.md:3", "2026-12-04"]);
    assert!(!check().contains("often-moved"), "{}", check());
    snooze_in(dir.path(), &["notes/a.md:3", "2026-12-11"]);
    assert!(
        check().contains("warning[often-moved]: moved 2 times: Send the deck"),
        "{}",
        check()
    );
}
