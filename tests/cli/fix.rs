//! `followup fix` and `check --fix`: each fix byte for byte on every kind of note,
//! what is never touched, `--dry-run`, idempotence, and what `check --fix` reports.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

use crate::{followup, notes_dir, root, write};

fn fix_in(dir: &Path, args: &[&str]) -> Output {
    followup()
        .current_dir(dir)
        .arg("fix")
        .args(args)
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).expect("read")
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// Set a file's modification time to a fixed moment long ago.
fn age(path: &Path) -> SystemTime {
    let then = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(then).unwrap();
    then
}

/// (what, note, expected note) for notes dated Monday 2026-11-16 by their file name.
const FIXES: &[(&str, &[u8], &[u8])] = &[
    (
        "LF: every syntax keeps its own form",
        b"* Send it @due(fri)\n- [ ] Book it due:tomorrow.\n* Plan it @scheduled( +1w ) @Due(Friday)\n",
        b"* Send it @due(2026-11-20)\n- [ ] Book it due:2026-11-17.\n* Plan it @scheduled( 2026-11-23 ) @Due(2026-11-20)\n",
    ),
    (
        "CRLF",
        b"# Call\r\n\r\n* Send it @due(+3d)\r\n",
        b"# Call\r\n\r\n* Send it @due(2026-11-19)\r\n",
    ),
    (
        "BOM and front matter",
        b"\xEF\xBB\xBF---\r\ncustomer: Acme\r\n---\r\n* Send it @due(tomorrow)\r\n",
        b"\xEF\xBB\xBF---\r\ncustomer: Acme\r\n---\r\n* Send it @due(2026-11-17)\r\n",
    ),
    (
        "no final newline",
        b"* First\n* Send it @deu(2026-11-27)",
        b"* First\n* Send it @due(2026-11-27)",
    ),
    (
        "loose list, nested and ordered items",
        b"* [ ] One @due(mon)\n\n  - [ ] Nested due:today\n\n1. [ ] Ordered @waitng(Dana) @deu(+2w)\n",
        b"* [ ] One @due(2026-11-23)\n\n  - [ ] Nested due:2026-11-16\n\n1. [ ] Ordered @waiting(Dana) @due(2026-11-30)\n",
    ),
    (
        "emoji items: only their @-tags (emoji dates are YYYY-MM-DD already)",
        "- [ ] Review 📅 2026-11-27 ⏫ @scheduled(wed)\n".as_bytes(),
        "- [ ] Review 📅 2026-11-27 ⏫ @scheduled(2026-11-18)\n".as_bytes(),
    ),
];

#[test]
fn fix_changes_only_the_values_and_names_it_is_sure_of() {
    for &(what, note, want) in FIXES {
        let dir = notes_dir(&[("notes/2026-11-16-call.md", note)]);
        let out = fix_in(dir.path(), &["notes"]);
        assert_eq!(out.status.code(), Some(0), "{what}: {}", text(&out.stderr));
        assert_eq!(
            text(&read(dir.path(), "notes/2026-11-16-call.md")),
            text(want),
            "{what}"
        );
        assert_eq!(
            read(dir.path(), "notes/2026-11-16-call.md"),
            want,
            "{what}: bytes"
        );
        assert!(
            text(&out.stdout).starts_with("fixed notes/2026-11-16-call.md: "),
            "{what}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn fix_never_touches_what_it_would_have_to_guess_or_is_not_a_commitment() {
    let untouched: &[(&str, &[u8])] = &[
        // No date: `fri` is relative to nothing yet.
        ("notes/ideas.md", b"* Send it @due(fri)\n"),
        (
            "notes/2026-11-16-call.md",
            b"- Talked about @due(fri)\n\nDue: due:tomorrow\n\n```\n* [ ] x @due(fri)\n```\n\n\
              * Check the `@due(fri)` syntax @due(2026-11-20)\n\
              * Ask @dne(2026-11-20) and @priority(high) and @dana\n\
              * Plan it @due(someday) \xF0\x9F\x93\x85 fri\n",
        ),
    ];
    let dir = notes_dir(untouched);
    for (rel, _) in untouched {
        age(&dir.path().join(rel));
    }
    let out = fix_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr), "Nothing to fix in 2 notes\n");
    for (rel, bytes) in untouched {
        assert_eq!(read(dir.path(), rel), *bytes, "{rel}");
        let then = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(mtime(&dir.path().join(rel)), then, "{rel} not rewritten");
    }
}

#[test]
fn fix_twice_changes_nothing_the_second_time() {
    let dir = notes_dir(&[(
        "2026-11-16-call.md",
        b"* Send it @deu(fri)\r\n* Call @due(+1m)",
    )]);
    let first = fix_in(dir.path(), &[]);
    assert_eq!(
        text(&first.stdout),
        "fixed 2026-11-16-call.md: 2 relative dates, 1 tag name (lines 1, 2)\n"
    );
    assert_eq!(
        text(&first.stderr),
        "Fixed 2 relative dates and 1 tag name in 1 of 1 note\n"
    );
    let once = read(dir.path(), "2026-11-16-call.md");
    assert_eq!(
        text(&once),
        "* Send it @due(2026-11-20)\r\n* Call @due(2026-12-16)"
    );
    let then = age(&dir.path().join("2026-11-16-call.md"));
    let second = fix_in(dir.path(), &[]);
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(text(&second.stdout), "");
    assert_eq!(text(&second.stderr), "Nothing to fix in 1 note\n");
    assert_eq!(read(dir.path(), "2026-11-16-call.md"), once);
    assert_eq!(mtime(&dir.path().join("2026-11-16-call.md")), then);
}

/// A copy of the demo notes in a new folder, as `fixtures/notes/...`.
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut stack = vec![root().join("fixtures/notes")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root()).unwrap().to_str().unwrap().to_owned();
                write(dir.path(), &rel, &std::fs::read(&p).unwrap());
            }
        }
    }
    dir
}

#[test]
fn dry_run_on_the_demo_shows_every_fix_and_writes_nothing() {
    let dir = demo_copy();
    let note = dir
        .path()
        .join("fixtures/notes/acme-corp/2026-11-16-pricing-call.md");
    let before = std::fs::read(&note).unwrap();
    let then = age(&note);
    let out = fix_in(dir.path(), &["fixtures/notes", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(&note).unwrap(), before, "bytes unchanged");
    assert_eq!(mtime(&note), then, "mtime unchanged");
    assert_eq!(
        text(&out.stderr),
        "Would fix 7 relative dates and 1 tag name in 5 of 22 notes\ndry run: nothing written\n"
    );
    insta::assert_snapshot!(text(&out.stdout));

    // The same run for real writes exactly what the dry run showed.
    let real = fix_in(dir.path(), &["fixtures/notes"]);
    assert_eq!(real.status.code(), Some(0));
    let shown: Vec<String> = text(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("would fix "))
        .map(|l| l.replacen("would fix ", "fixed ", 1))
        .collect();
    let done: Vec<String> = text(&real.stdout).lines().map(str::to_owned).collect();
    assert_eq!(done, shown);
    let again = fix_in(dir.path(), &["fixtures/notes", "--dry-run"]);
    assert_eq!(text(&again.stdout), "", "nothing left to fix");
}

#[test]
fn check_fix_fixes_then_reports_what_remains() {
    let dir = demo_copy();
    let before = followup()
        .current_dir(dir.path())
        .args(["check", "fixtures/notes", "--today", "2026-11-23"])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let after = followup()
        .current_dir(dir.path())
        .args(["check", "fixtures/notes", "--today", "2026-11-23"])
        .args(["--format", "json", "--fix"])
        .output()
        .unwrap();
    assert_eq!(after.status.code(), Some(1), "errors remain: overdue ones");
    let err = text(&after.stderr);
    assert!(
        err.starts_with(
            "fixed fixtures/notes/acme-corp/2026-09-02-technical-deep-dive.md: 1 relative date (line 9)\n"
        ),
        "{err}"
    );
    assert_eq!(err.matches("\nfixed ").count() + 1, 5, "{err}");
    // stdout is still one JSON document, now without what was fixed.
    let json = |o: &Output| -> serde_json::Value { serde_json::from_slice(&o.stdout).unwrap() };
    let rules = |v: &serde_json::Value| -> Vec<String> {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    let (was, now) = (rules(&json(&before)), rules(&json(&after)));
    assert!(was.contains(&"unknown-tag".to_owned()));
    assert!(
        !now.contains(&"unknown-tag".to_owned()),
        "the typo is fixed"
    );
    // Only the typo's finding is gone: relative dates resolve to the same days, so
    // every timing finding stays; the renamed `@due(2026-11-27)` is not due soon yet.
    assert_eq!(now.len() + 1, was.len(), "{was:?}\n{now:?}");
    let count = |v: &[String], r: &str| v.iter().filter(|x| *x == r).count();
    for rule in [
        "overdue",
        "due-soon",
        "due-today",
        "missing-due",
        "due-before-note",
    ] {
        assert_eq!(count(&now, rule), count(&was, rule), "{rule}");
    }
    // And a second run has nothing to fix and reports the same.
    let third = followup()
        .current_dir(dir.path())
        .args(["check", "fixtures/notes", "--today", "2026-11-23"])
        .args(["--format", "json", "--fix"])
        .output()
        .unwrap();
    assert!(!text(&third.stderr).contains("fixed "));
    assert_eq!(third.stdout, after.stdout);
}

#[test]
fn check_fix_leaves_unresolved_dates_to_report() {
    let dir = notes_dir(&[("notes/ideas.md", b"* Send it @due(fri)\n")]);
    let out = followup()
        .current_dir(dir.path())
        .args(["check", "notes", "--today", "2026-11-23", "--fix"])
        .args(["--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("error[unresolved-date]"));
    assert_eq!(read(dir.path(), "notes/ideas.md"), b"* Send it @due(fri)\n");
}

#[test]
fn a_note_that_cannot_be_read_does_not_stop_the_others() {
    let dir = notes_dir(&[
        ("notes/2026-11-16-a.md", b"* Send it @due(fri)\n"),
        ("notes/2026-11-16-b.md", b"* Caf\xE9 @due(fri)\n"),
    ]);
    let out = fix_in(dir.path(), &["notes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error: notes/2026-11-16-b.md: not valid UTF-8"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        read(dir.path(), "notes/2026-11-16-a.md"),
        b"* Send it @due(2026-11-20)\n"
    );
    assert_eq!(
        read(dir.path(), "notes/2026-11-16-b.md"),
        b"* Caf\xE9 @due(fri)\n"
    );
}

#[test]
fn a_generated_agenda_is_never_fixed() {
    // A real agenda (its exact first line, items that link to their notes), written
    // from a note that is then taken away.
    let dir = notes_dir(&[("notes/a.md", b"* Send it @due(fri)\n")]);
    let made = followup()
        .current_dir(dir.path())
        .args([
            "agenda",
            "notes",
            "-o",
            "AGENDA.md",
            "--today",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let agenda = read(dir.path(), "AGENDA.md");
    std::fs::remove_file(dir.path().join("notes/a.md")).unwrap();
    // An agenda is not a note: alone, it leaves nothing to fix, which is an error.
    let out = fix_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no notes found under"));
    write(dir.path(), "notes/a.md", b"* Fine @due(2026-11-20)\n");
    let out = fix_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        read(dir.path(), "AGENDA.md"),
        agenda,
        "the agenda is untouched"
    );
}

/// docs/editing.md shows real output: every command it shows, run on its example note,
/// prints what the page says.
#[test]
fn docs_editing_md_shows_real_output() {
    let docs = std::fs::read_to_string(root().join("docs/editing.md")).unwrap();
    let note = docs
        .split("```markdown\n")
        .nth(1)
        .and_then(|rest| rest.split("```\n").next())
        .expect("the example note");
    let rel = "notes/acme/2026-11-16-pricing-call.md";
    let shown = |o: &Output| (text(&o.stdout), text(&o.stderr));
    let assert_shown = |what: &str, out: &str| {
        assert!(
            docs.contains(out),
            "docs/editing.md does not show what {what} prints:\n{out}"
        );
    };

    // check --fix, on the note as written.
    let dir = notes_dir(&[(rel, note.as_bytes())]);
    let check = |fix: bool| {
        let mut cmd = followup();
        cmd.current_dir(dir.path()).args([
            "check",
            "notes",
            "--today",
            "2026-11-23",
            "--format",
            "concise",
        ]);
        if fix {
            cmd.arg("--fix");
        }
        cmd.output().unwrap()
    };
    assert!(text(&check(false).stdout).contains("warning[unknown-tag]: unknown tag `@deu`"));
    let (out, err) = shown(&check(true));
    assert_shown("check --fix", &out);
    assert_shown("check --fix (stderr)", &err);

    // fix --dry-run, fix, fix again.
    let dir = notes_dir(&[(rel, note.as_bytes())]);
    let (out, err) = shown(&fix_in(dir.path(), &["notes", "--dry-run"]));
    assert_shown("fix --dry-run", &out);
    assert_shown("fix --dry-run (stderr)", &err);
    let (out, err) = shown(&fix_in(dir.path(), &["notes"]));
    assert_shown("fix", &out);
    assert_shown("fix (stderr)", err.trim_end());
    let (_, err) = shown(&fix_in(dir.path(), &["notes"]));
    assert_shown("fix, again (stderr)", err.trim_end());

    // done, after the fix.
    let done = |args: &[&str]| {
        followup()
            .current_dir(dir.path())
            .arg("done")
            .args(args)
            .args(["--today", "2026-11-23"])
            .output()
            .unwrap()
    };
    let six = format!("{rel}:6");
    let eight = format!("{rel}:8");
    let (out, _) = shown(&done(&[&six, &eight, "--dry-run"]));
    assert_shown("done --dry-run", &out);
    let (out, _) = shown(&done(&[&six, &eight]));
    assert_shown("done", &out);
    let five = format!("{rel}:5");
    let seven = format!("{rel}:7");
    let refused = done(&[&five, &six, &seven]);
    assert_eq!(refused.status.code(), Some(2));
    assert_shown("done, refused (stderr)", &text(&refused.stderr));
}

/// Files nobody may write (`chmod a-w`) are refused, named, exit 2, and left as they are:
/// by `fix`, by `done` and by `agenda -o`. (As root, who may write anything, the mode
/// bits are what counts.)
#[cfg(unix)]
#[test]
fn read_only_notes_and_agendas_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let note = b"* Send it @due(tomorrow)\n";
    let dir = notes_dir(&[("notes/2026-11-16-a.md", note)]);
    let path = dir.path().join("notes/2026-11-16-a.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = fix_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error: notes/2026-11-16-a.md is read-only; nothing written"),
        "{}",
        text(&out.stderr)
    );
    let done = followup()
        .current_dir(dir.path())
        .args(["done", "notes/2026-11-16-a.md:1", "--date", "2026-11-20"])
        .output()
        .unwrap();
    assert_eq!(done.status.code(), Some(2));
    assert!(
        text(&done.stderr).contains("notes/2026-11-16-a.md is read-only"),
        "{}",
        text(&done.stderr)
    );
    assert_eq!(read(dir.path(), "notes/2026-11-16-a.md"), note);

    let agenda = dir.path().join("AGENDA.md");
    let old = "<!-- Generated by followup agenda. -->\nold\n";
    std::fs::write(&agenda, old).unwrap();
    std::fs::set_permissions(&agenda, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = followup()
        .current_dir(dir.path())
        .args(["agenda", "notes", "-o", "AGENDA.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("AGENDA.md is read-only; not replacing it"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&agenda).unwrap(), old);
}

#[test]
fn an_agenda_in_a_missing_folder_names_the_folder() {
    let dir = notes_dir(&[("notes/a.md", b"* Send it @due(2026-11-20)\n")]);
    let out = followup()
        .current_dir(dir.path())
        .args(["agenda", "notes", "-o", "nodir/AGENDA.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot write nodir/AGENDA.md: the folder nodir does not exist"),
        "{stderr}"
    );
    assert!(!stderr.contains(".followup-"), "{stderr}");
}

/// A note the user may not write is refused even when its folder would let a rename replace
/// it (run as `nobody` on a note owned by someone else, in a folder everyone may write).
#[cfg(unix)]
#[test]
fn a_note_this_user_may_not_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let Some(mut cmd) = crate::unprivileged() else {
        return;
    };
    let note = b"* Send it @due(tomorrow)\n";
    let dir = notes_dir(&[("notes/2026-11-16-a.md", note)]);
    crate::open_to_everyone(dir.path());
    let folder = dir.path().join("notes");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
    // Not root: the note is the test user's own, and the binary runs as that user.
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    if !root {
        return;
    }
    let out = cmd.current_dir(dir.path()).args(["fix"]).output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("notes/2026-11-16-a.md is read-only; nothing written"),
        "{stderr}"
    );
    assert_eq!(read(dir.path(), "notes/2026-11-16-a.md"), note);
}
