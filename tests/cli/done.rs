//! `followup done`: each edit byte for byte on every kind of note, `--cancel`, `--date`,
//! `--dry-run`, refusals, several locators, and locators as check, list and the agenda
//! print them. (A note that changes between read and write: `write::tests`.)

use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

use crate::{followup, notes_dir, write};

/// `followup done ARGS --today 2026-11-23`, run in `dir`.
fn done_in(dir: &Path, args: &[&str]) -> Output {
    followup()
        .current_dir(dir)
        .arg("done")
        .args(args)
        .args(["--today", "2026-11-23"])
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).expect("read")
}

/// Set a file's modification time to a fixed moment long ago.
fn age(path: &Path) -> SystemTime {
    let then = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(then).unwrap();
    then
}

/// (what, note, line, expected note): `done` changes exactly these bytes.
const DONE: &[(&str, &[u8], usize, &[u8])] = &[
    (
        "LF, star bullet",
        b"# Call\n\n* Send the deck @due(2026-11-20)\n- a fact\n",
        3,
        b"# Call\n\n* Send the deck @due(2026-11-20) @done(2026-11-23)\n- a fact\n",
    ),
    (
        "CRLF, task item",
        b"# Call\r\n\r\n- [ ] Book the room\r\n* Other\r\n",
        3,
        b"# Call\r\n\r\n- [x] Book the room @done(2026-11-23)\r\n* Other\r\n",
    ),
    (
        "BOM and front matter",
        b"\xEF\xBB\xBF---\ncustomer: Acme\n---\n* Send it\n",
        4,
        b"\xEF\xBB\xBF---\ncustomer: Acme\n---\n* Send it @done(2026-11-23)\n",
    ),
    (
        "no final newline",
        b"* First\n- [ ] Send it",
        2,
        b"* First\n- [x] Send it @done(2026-11-23)",
    ),
    (
        "lone CR line ends",
        b"* First\r* Second\r",
        2,
        b"* First\r* Second @done(2026-11-23)\r",
    ),
    (
        "tight list",
        b"- [ ] One\n- [ ] Two\n- [ ] Three\n",
        2,
        b"- [ ] One\n- [x] Two @done(2026-11-23)\n- [ ] Three\n",
    ),
    (
        "loose list",
        b"* [ ] One\n\n* [ ] Two\n\n  More about two.\n",
        3,
        b"* [ ] One\n\n* [x] Two @done(2026-11-23)\n\n  More about two.\n",
    ),
    (
        "nested item",
        b"* Parent\n  - [ ] Child\n    * Grandchild\n",
        2,
        b"* Parent\n  - [x] Child @done(2026-11-23)\n    * Grandchild\n",
    ),
    (
        "tab-indented item (Obsidian)",
        b"- [ ] Parent\n\t- [ ] Child\n",
        2,
        b"- [ ] Parent\n\t- [x] Child @done(2026-11-23)\n",
    ),
    (
        "ordered task item",
        b"1. [ ] Draft the SOW\n2. [ ] Send it\n",
        2,
        b"1. [ ] Draft the SOW\n2. [x] Send it @done(2026-11-23)\n",
    ),
    (
        "emoji tags",
        "- [ ] Review the contract 📅 2026-11-27 ⏫\n".as_bytes(),
        1,
        "- [x] Review the contract 📅 2026-11-27 ⏫ ✅ 2026-11-23\n".as_bytes(),
    ),
    (
        "trailing spaces (a hard break) stay after the tag",
        b"* Send the deck  \n  to Dana\n",
        1,
        b"* Send the deck @done(2026-11-23)  \n  to Dana\n",
    ),
    (
        "block quote (a callout)",
        b"> [!todo]\n> - [ ] Confirm the PO\n",
        2,
        b"> [!todo]\n> - [x] Confirm the PO @done(2026-11-23)\n",
    ),
];

#[test]
fn done_changes_only_the_box_and_the_end_of_the_first_line() {
    for &(what, note, line, want) in DONE {
        let dir = notes_dir(&[("notes/call.md", note)]);
        let out = done_in(dir.path(), &[&format!("notes/call.md:{line}")]);
        assert_eq!(out.status.code(), Some(0), "{what}: {}", text(&out.stderr));
        assert_eq!(
            text(&read(dir.path(), "notes/call.md")),
            text(want),
            "{what}"
        );
        assert_eq!(read(dir.path(), "notes/call.md"), want, "{what}: bytes");
        let said = text(&out.stdout);
        assert!(
            said.starts_with(&format!("marked done: notes/call.md:{line} ")),
            "{what}: {said}"
        );
    }
}

#[test]
fn cancel_uses_the_cancelled_box_and_tag_and_date_sets_the_day() {
    let dir = notes_dir(&[(
        "call.md",
        "- [ ] Book the room\r\n* Send the deck\r\n- [ ] Call IT 📅 2026-11-27\r\n".as_bytes(),
    )]);
    let out = done_in(
        dir.path(),
        &[
            "call.md:1",
            "call.md:2",
            "call.md:3",
            "--cancel",
            "--date",
            "2026-11-20",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&read(dir.path(), "call.md")),
        "- [-] Book the room @cancelled(2026-11-20)\r\n* Send the deck @cancelled(2026-11-20)\r\n\
         - [-] Call IT 📅 2026-11-27 ❌ 2026-11-20\r\n"
    );
    assert_eq!(
        text(&out.stdout),
        "marked cancelled: call.md:1 Book the room\nmarked cancelled: call.md:2 Send the deck\n\
         marked cancelled: call.md:3 Call IT\n"
    );
    // `list` agrees.
    let list = followup()
        .current_dir(dir.path())
        .args([
            "list",
            "call.md",
            "--status",
            "cancelled",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
}

#[test]
fn dry_run_shows_the_diff_and_writes_nothing() {
    let note = b"# Call 2026-11-16\r\n\r\n* Send the deck @due(fri)\r\n- [ ] Book the room";
    let dir = notes_dir(&[("notes/call.md", note)]);
    let path = dir.path().join("notes/call.md");
    let then = age(&path);
    let out = done_in(
        dir.path(),
        &["notes/call.md:3", "notes/call.md:4", "--dry-run"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(read(dir.path(), "notes/call.md"), note, "bytes unchanged");
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.modified().unwrap(), then, "mtime unchanged");
    assert_eq!(text(&out.stderr), "dry run: nothing written\n");
    insta::assert_snapshot!(text(&out.stdout), @r"
    --- notes/call.md
    +++ notes/call.md
    @@ -1,4 +1,4 @@
     # Call 2026-11-16
     
    -* Send the deck @due(fri)
    -- [ ] Book the room
    \ No newline at end of file
    +* Send the deck @due(fri) @done(2026-11-23)
    +- [x] Book the room @done(2026-11-23)
    \ No newline at end of file
    would mark done: notes/call.md:3 Send the deck
    would mark done: notes/call.md:4 Book the room
    ");
}

#[test]
fn refusals_name_file_and_line_and_nothing_is_written() {
    let a = b"# Call\n\n* Send the deck\n- [x] Booked @done(2026-11-20)\n- [-] Dropped\n- a fact\n";
    let b = b"* Call Dana\n";
    let dir = notes_dir(&[("notes/a.md", a), ("notes/b.md", b)]);
    let out = done_in(
        dir.path(),
        &[
            "notes/b.md:1",
            "notes/a.md:3",
            "notes/a.md:4",
            "notes/a.md:5",
            "notes/a.md:6",
            "notes/a.md:40",
            "notes/missing.md:2",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(
        err.contains("error: notes/a.md:4: already done: Booked\n"),
        "{err}"
    );
    assert!(
        err.contains("error: notes/a.md:5: already cancelled: Dropped\n"),
        "{err}"
    );
    assert!(
        err.contains("error: notes/a.md:6: not a commitment (the nearest starts on line 5)\n"),
        "{err}"
    );
    assert!(
        err.contains("error: notes/a.md:40: not a commitment (the nearest starts on line 5)\n"),
        "{err}"
    );
    assert!(err.contains("error: notes/missing.md: "), "{err}");
    assert!(err.ends_with("nothing written\n"), "{err}");
    // The good locators (b.md:1, a.md:3) were not written either.
    assert_eq!(read(dir.path(), "notes/a.md"), a);
    assert_eq!(read(dir.path(), "notes/b.md"), b);
}

#[test]
fn several_locators_in_several_notes_are_all_marked() {
    let dir = notes_dir(&[
        ("notes/a.md", b"* One\n* Two\n"),
        ("notes/b.md", b"- [ ] Three\n"),
    ]);
    // The same commitment twice, once by another spelling of its path: marked once.
    let out = done_in(
        dir.path(),
        &[
            "notes/a.md:2",
            "notes/b.md:1",
            "./notes/a.md:2",
            "notes/a.md:1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "marked done: notes/a.md:1 One\nmarked done: notes/a.md:2 Two\nmarked done: notes/b.md:1 Three\n"
    );
    assert_eq!(
        text(&read(dir.path(), "notes/a.md")),
        "* One @done(2026-11-23)\n* Two @done(2026-11-23)\n"
    );
    assert_eq!(
        text(&read(dir.path(), "notes/b.md")),
        "- [x] Three @done(2026-11-23)\n"
    );
}

#[test]
fn done_twice_is_refused_and_leaves_the_note_alone() {
    let dir = notes_dir(&[("call.md", b"- [ ] Send it\n")]);
    assert_eq!(done_in(dir.path(), &["call.md:1"]).status.code(), Some(0));
    let once = read(dir.path(), "call.md");
    let then = age(&dir.path().join("call.md"));
    let again = done_in(dir.path(), &["call.md:1"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        text(&again.stderr),
        "error: call.md:1: already done: Send it\nnothing written\n"
    );
    assert_eq!(read(dir.path(), "call.md"), once);
    let mtime = std::fs::metadata(dir.path().join("call.md"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(mtime, then);
}

#[test]
fn a_generated_agenda_is_not_a_note_to_mark() {
    let dir = notes_dir(&[("notes/call.md", b"* Send the deck @due(2026-11-24)\n")]);
    let agenda = followup()
        .current_dir(dir.path())
        .args([
            "agenda",
            "notes",
            "--today",
            "2026-11-23",
            "-o",
            "AGENDA.md",
        ])
        .output()
        .unwrap();
    assert_eq!(agenda.status.code(), Some(0));
    let before = read(dir.path(), "AGENDA.md");
    let line = text(&before)
        .lines()
        .position(|l| l.starts_with("- [ ]"))
        .unwrap()
        + 1;
    let out = done_in(dir.path(), &[&format!("AGENDA.md:{line}")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("AGENDA.md: a generated agenda, not a note"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(read(dir.path(), "AGENDA.md"), before);
}

/// The `[text](link)` of every agenda item: the text is the locator.
fn agenda_locators(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| l.starts_with("- ["))
        .map(|l| {
            let start = l.rfind(" · [").unwrap() + " · [".len();
            let end = l.rfind("](").unwrap();
            l[start..end].to_owned()
        })
        .collect()
}

#[test]
fn the_agenda_and_check_print_locators_done_takes() {
    let note = "---\ncustomer: Acme Corp\n---\n# Pricing call 2026-11-16\n\n\
                * Send Dana the pricing sheet @due(fri)\n\
                - [ ] Book the demo room\n  for the ops team due:tomorrow\n";
    let dir = notes_dir(&[("notes/acme corp/pricing (call).md", note.as_bytes())]);
    std::fs::create_dir(dir.path().join("review")).unwrap();
    // The agenda written into another folder: the link points from there, the text is
    // still the path from where the command ran.
    let agenda = followup()
        .current_dir(dir.path())
        .args([
            "agenda",
            "notes",
            "--today",
            "2026-11-23",
            "-o",
            "review/AGENDA.md",
        ])
        .output()
        .unwrap();
    assert_eq!(agenda.status.code(), Some(0));
    let md = text(&read(dir.path(), "review/AGENDA.md"));
    assert!(
        md.contains(
            "· [notes/acme corp/pricing (call).md:6](../notes/acme%20corp/pricing%20%28call%29.md)"
        ),
        "{md}"
    );
    let from_agenda = agenda_locators(&md);
    assert_eq!(from_agenda.len(), 2, "{md}");
    assert_eq!(
        from_agenda,
        [
            "notes/acme corp/pricing (call).md:7",
            "notes/acme corp/pricing (call).md:6"
        ]
    );
    let out = done_in(dir.path(), &[from_agenda[1].as_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "marked done: notes/acme corp/pricing (call).md:6 Send Dana the pricing sheet\n"
    );

    // `check --format concise` names the tag's line and column: on the item's second
    // line here.
    let check = followup()
        .current_dir(dir.path())
        .args([
            "check",
            "notes",
            "--today",
            "2026-11-23",
            "--format",
            "concise",
        ])
        .output()
        .unwrap();
    let concise = text(&check.stdout);
    let first = concise.lines().next().unwrap();
    let locator = first.split(": ").next().unwrap();
    assert_eq!(locator, "notes/acme corp/pricing (call).md:8:20");
    let out = done_in(dir.path(), &[locator, "--cancel"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "marked cancelled: notes/acme corp/pricing (call).md:7 Book the demo room for the ops team\n"
    );
    assert!(
        text(&read(dir.path(), "notes/acme corp/pricing (call).md")).ends_with(
            "- [-] Book the demo room @cancelled(2026-11-23)\n  for the ops team due:tomorrow\n"
        )
    );
}

#[test]
fn the_demo_agenda_locators_all_work_from_the_project_root() {
    // Every open item of the README's agenda, marked done in a copy of the notes.
    let dir = tempfile::tempdir().unwrap();
    for entry in walk(&crate::root().join("fixtures/notes")) {
        let rel = entry.strip_prefix(crate::root()).unwrap();
        write(
            dir.path(),
            rel.to_str().unwrap(),
            &std::fs::read(&entry).unwrap(),
        );
    }
    let agenda = followup()
        .current_dir(dir.path())
        .args(["agenda", "fixtures/notes", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let md = text(&agenda.stdout);
    let open: Vec<String> = md
        .lines()
        .filter(|l| l.starts_with("- [ ]"))
        .flat_map(agenda_locators)
        .collect();
    // 34 open: all but the 4 due after the week are on the agenda.
    assert_eq!(open.len(), 30);
    let args: Vec<&str> = open.iter().map(String::as_str).collect();
    let out = done_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // 30 marked, and the one recurring item (`🔁 every week`) gets its next occurrence.
    let said = text(&out.stdout);
    assert_eq!(said.lines().count(), 31, "{said}");
    assert!(said.contains(
        "next occurrence (every week, due 2026-12-02): fixtures/notes/initech/2026-11-20-steering-committee.md:9 Share the rollout timeline with Bill"
    ), "{said}");
    let after = followup()
        .current_dir(dir.path())
        .args([
            "list",
            "fixtures/notes",
            "--status",
            "open",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(
        rows.as_array().unwrap().len(),
        5,
        "only the 4 due later and the next weekly one are left"
    );
}

#[test]
fn list_locations_are_locators() {
    let dir = notes_dir(&[(
        "notes/acme/2026-11-16-call.md",
        b"# Call\n\n* Send the deck @due(fri)\n- [ ] Book the room\n",
    )]);
    let list = followup()
        .current_dir(dir.path())
        .args(["list", "notes", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let table = text(&list.stdout);
    let locations: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("notes/")))
        .collect();
    assert_eq!(
        locations,
        [
            "notes/acme/2026-11-16-call.md:3",
            "notes/acme/2026-11-16-call.md:4"
        ]
    );
    let out = done_in(dir.path(), &locations);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 2);
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn the_note_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = notes_dir(&[("call.md", b"* Send it\n")]);
    let path = dir.path().join("call.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(done_in(dir.path(), &["call.md:1"]).status.code(), Some(0));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn a_bad_locator_is_a_usage_error() {
    let out = followup().args(["done", "notes/call.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`notes/call.md` is not a locator: write PATH:LINE"));
}

/// `done` reads a note the way `list` does: the same markers, size limit and excludes
/// from followup.toml (it once used the defaults whatever the configuration said).
#[test]
fn done_honours_the_configuration() {
    let note = b"# Call\n\n* Send the deck @due(2026-11-20)\n- [ ] Book the room\n";
    let dir = notes_dir(&[
        (".git/HEAD", b"ref: refs/heads/main\n"),
        (
            "followup.toml",
            b"[markers]\nstar-bullets = false\n[files]\nexclude = [\"Templates/\"]\n",
        ),
        ("acme/call.md", note),
        ("Templates/call.md", note),
    ]);
    // `list` does not count the `*` bullet; neither does `done`.
    let listed = followup()
        .current_dir(dir.path())
        .args(["list", "acme", "--format", "json"])
        .output()
        .unwrap();
    assert!(!text(&listed.stdout).contains("Send the deck"));
    let out = done_in(dir.path(), &["acme/call.md:3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("acme/call.md:3: ")
            && text(&out.stderr).contains("nothing written"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(read(dir.path(), "acme/call.md"), note);
    // The task item is a commitment under this configuration.
    let out = done_in(dir.path(), &["acme/call.md:4"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&read(dir.path(), "acme/call.md")).contains("- [x] Book the room @done(2026-11-23)")
    );
    // An excluded note is not one followup reads.
    let out = done_in(dir.path(), &["Templates/call.md:4"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Templates/call.md: excluded by [files] exclude in"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(read(dir.path(), "Templates/call.md"), note);
    // --isolated: the defaults, so the `*` bullet is a commitment again.
    let out = done_in(dir.path(), &["Templates/call.md:3", "--isolated"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn done_honours_the_size_limit() {
    let dir = notes_dir(&[("call.md", b"# Call\n\n* Send the deck @due(2026-11-20)\n")]);
    let out = done_in(dir.path(), &["call.md:3", "--max-file-size", "16"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("over the 16 bytes limit"),
        "{}",
        text(&out.stderr)
    );
    let dir = notes_dir(&[
        ("followup.toml", b"[rules]\noverdu = \"error\"\n"),
        ("call.md", b"* Send\n"),
    ]);
    let out = done_in(dir.path(), &["call.md:1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `overdue`"),
        "{}",
        text(&out.stderr)
    );
}

/// Two `done` runs on different lines of one note at the same moment: both edits land
/// (the second waits for the first's lock, then plans on its result). 200 racing pairs.
#[test]
fn racing_runs_lose_no_edit() {
    let dir = notes_dir(&[]);
    let bin = assert_cmd::cargo::cargo_bin("followup");
    let mut lost = 0;
    for round in 0..200 {
        let name = format!("race-{round}.md");
        write(
            dir.path(),
            &name,
            b"# Call\n\n* First @due(2026-11-20)\n* Second @due(2026-11-21)\n",
        );
        let run = |line: usize| {
            std::process::Command::new(&bin)
                .current_dir(dir.path())
                .args(["done", &format!("{name}:{line}"), "--today", "2026-11-23"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (a, b) = (run(3), run(4));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let after = text(&read(dir.path(), &name));
        let landed = after.matches("@done(2026-11-23)").count();
        let succeeded = [&a, &b].iter().filter(|o| o.status.success()).count();
        // Never two successes with one edit lost; a refused run says so and exits 2.
        if landed != succeeded {
            lost += 1;
            eprintln!("round {round}: {succeeded} succeeded, {landed} landed:\n{after}");
        }
        for o in [&a, &b] {
            assert!(
                o.status.code() == Some(0) || o.status.code() == Some(2),
                "{o:?}"
            );
        }
    }
    assert_eq!(lost, 0, "lost edits");
}

/// A note reached through a hard link is one note: both locators are planned on it,
/// and the link survives (both names see the edits).
#[cfg(unix)]
#[test]
fn hard_links_are_one_note_and_stay_linked() {
    let dir = notes_dir(&[(
        "a.md",
        b"* First @due(2026-11-20)\n* Second @due(2026-11-21)\n",
    )]);
    std::fs::hard_link(dir.path().join("a.md"), dir.path().join("h.md")).unwrap();
    let out = done_in(dir.path(), &["a.md:1", "h.md:2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let want =
        "* First @due(2026-11-20) @done(2026-11-23)\n* Second @due(2026-11-21) @done(2026-11-23)\n";
    assert_eq!(text(&read(dir.path(), "a.md")), want);
    assert_eq!(text(&read(dir.path(), "h.md")), want, "still one file");
}

/// The rewrite keeps the note's owner and group (run as root, a note of another user
/// stays theirs, so they can still read it).
#[cfg(unix)]
#[test]
fn owner_and_group_are_kept() {
    use std::os::unix::fs::MetadataExt;
    let dir = notes_dir(&[("a.md", b"* First @due(2026-11-20)\n")]);
    let path = dir.path().join("a.md");
    // As root, give the note away first (to nobody: 65534); otherwise it is ours.
    let _ = std::os::unix::fs::chown(&path, Some(65534), Some(65534));
    let before = std::fs::metadata(&path).unwrap();
    let out = done_in(dir.path(), &["a.md:1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = std::fs::metadata(&path).unwrap();
    assert_ne!(before.ino(), after.ino(), "rewritten by a rename");
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
}
