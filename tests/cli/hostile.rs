//! Hostile input: whatever is in the notes folder, the run finishes, names each file it
//! could not or would not read, and still lists every other note.
//!
//! The corpus is built here in temporary folders (big files included), so the suite
//! needs nothing but the project itself.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use followup::fs::walk::walk;
use followup::notes::scan::{collect, ScanSettings};
use serde_json::Value;

use crate::{followup, notes_dir, open_to_everyone, unprivileged, write};

const OK: &[u8] = b"* Good promise @due(2026-11-20)\n";

/// How a run ended: exit code, stdout, stderr.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// `path:line` of every listed commitment (from `--format json` output).
    fn listed(&self) -> Vec<String> {
        let rows: Value = serde_json::from_str(&self.stdout).expect("valid json");
        rows.as_array()
            .expect("array")
            .iter()
            .map(|r| format!("{}:{}", r["path"].as_str().unwrap(), r["line"]))
            .collect()
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = followup()
        .current_dir(dir)
        .args([
            "list",
            "--format",
            "json",
            "--sort",
            "path",
            "--today",
            "2026-11-23",
        ])
        .args(args)
        .output()
        .expect("runs");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn mkfifo(path: &Path) {
    let status = StdCommand::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A file name with raw bytes in it.
fn raw_name(dir: &Path, name: &[u8]) -> PathBuf {
    dir.join(OsString::from_vec(name.to_vec()))
}

/// A note of `size` bytes or a little more, made of commitments.
fn big_note(size: usize) -> Vec<u8> {
    let line = b"* Send the weekly report @due(2026-11-20)\n";
    let mut out = Vec::with_capacity(size + line.len());
    while out.len() < size {
        out.extend_from_slice(line);
    }
    out
}

/// Lists nested 500 deep (`-` and `*` alternating, a task at the bottom), then block
/// quotes nested 500 deep, each holding a `*` item.
fn nested_500() -> String {
    let mut s = String::from("# Nested\n\n");
    for i in 0..500 {
        let marker = if i % 2 == 0 { '-' } else { '*' };
        s.push_str(&format!("{}{marker} level {}\n", "  ".repeat(i), i + 1));
    }
    s.push_str(&format!(
        "{}- [ ] deepest @due(2026-04-30)\n\n",
        "  ".repeat(500)
    ));
    for i in 0..500 {
        s.push_str(&format!("{}* quoted level {}\n", "> ".repeat(i + 1), i + 1));
    }
    s
}

/// One 1 MB line: a single `*` item full of tags, checkboxes and emphasis markers.
fn one_mb_line() -> String {
    let words = [
        "follow",
        "up",
        "@due(2026-05-18)",
        "[x]",
        "*",
        "📅 2026-06-01",
        "due:",
        "naïve",
        "_",
    ];
    let mut s = String::from("## Commitments\n\n* ");
    let mut i = 0;
    while s.len() < 1 << 20 {
        s.push_str(words[i % words.len()]);
        s.push(' ');
        i += 1;
    }
    s.push('\n');
    s
}

/// Front matter whose YAML aliases would expand to 10^10 values (a "billion laughs").
fn alias_bomb() -> String {
    let mut s = String::from(
        "---\ncustomer: Acme\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    s.push_str("---\n* Promise under an alias bomb\n");
    s
}

/// Every kind of hostile entry in one folder, next to good notes (but for the 50 MB one).
fn hostile_corpus() -> tempfile::TempDir {
    let dir = notes_dir(&[
        ("outside/secret.md", b"* Secret outside the tree\n"),
        ("notes/acme/ok.md", OK),
        // Odd but fine text.
        (
            "notes/acme/crlf.md",
            b"---\r\ncustomer: Acme\r\n---\r\n# Call\r\n\r\n* CRLF promise\r\n",
        ),
        ("notes/acme/cr-only.md", b"# Call\r\r* CR promise\r"),
        (
            "notes/acme/bom.md",
            b"\xEF\xBB\xBF---\ncustomer: Acme\n---\n* BOM promise\n",
        ),
        ("notes/acme/no-newline.md", b"# Call\n\n* Last line promise"),
        (
            "notes/acme/unterminated-front-matter.md",
            b"---\ncustomer: Acme\ndate: 2026-11-16\n* Promise after open front matter\n",
        ),
        (
            "notes/acme/unclosed-fence.md",
            b"* Before the fence\n```\n* [ ] inside the fence\n",
        ),
        (
            "notes/acme/controls.md",
            b"* Escape \x1b[2J\x1b]0;pwned\x07 and NUL \0 here\n",
        ),
        ("notes/acme/nested.md", nested_500().as_bytes()),
        ("notes/acme/one-line.md", one_mb_line().as_bytes()),
        ("notes/acme/alias-bomb.md", alias_bomb().as_bytes()),
        // Not readable as text.
        ("notes/acme/latin1.md", b"# Caf\xE9\n* Send the menu\n"),
        ("notes/acme/utf16.md", b"\xFF\xFE*\0 \0x\0\n\0"),
        // Empty.
        ("notes/acme/empty.md", b""),
        ("notes/acme/blank.md", b" \n\t\r\n"),
    ]);
    let notes = dir.path().join("notes");
    mkfifo(&notes.join("acme/pipe.md"));
    symlink("self.md", notes.join("acme/self.md")).unwrap();
    symlink("nothing.md", notes.join("acme/broken.md")).unwrap();
    symlink("ok.md", notes.join("acme/link-in.md")).unwrap();
    symlink("../../outside/secret.md", notes.join("acme/link-out.md")).unwrap();
    symlink("..", notes.join("acme/up")).unwrap();
    symlink("../outside", notes.join("extdir")).unwrap();
    std::fs::write(raw_name(&notes.join("acme"), b"caf\xE9.md"), OK).unwrap();
    std::fs::write(notes.join("acme/new\nline.md"), OK).unwrap();
    dir
}

/// Messages with the temporary folder's path made stable.
fn redact(dir: &Path, s: &str) -> String {
    let real = dir.canonicalize().unwrap();
    s.replace(&real.to_string_lossy().into_owned(), "[TMP]")
}

#[test]
fn a_hostile_corpus_is_reported_file_by_file_and_the_rest_is_listed() {
    let dir = hostile_corpus();
    // Only here: 50 MB is not worth writing for every test.
    write(
        &dir.path().join("notes"),
        "acme/big.md",
        &big_note(50_000_000),
    );
    let run = run_in(dir.path(), &["notes"]);
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    insta::assert_snapshot!(redact(dir.path(), &run.stderr), @r"
    error: notes/acme/big.md: 47.7 MiB is over the 4 MiB limit for one note; not read (raise it with --max-file-size)
    error: notes/acme/latin1.md: not valid UTF-8 (first bad byte at line 1, column 6); re-save the note as UTF-8
    error: notes/acme/utf16.md: UTF-16 text; re-save the note as UTF-8
    warning: notes/acme/broken.md: broken symbolic link (its target does not exist); not read
    warning: notes/acme/link-out.md: symbolic link to a file outside the scanned folders ([TMP]/outside/secret.md); not read (use --follow to read it)
    warning: notes/acme/pipe.md: a named pipe (FIFO), not a regular file; not read
    warning: notes/acme/self.md: symbolic link loop; not read
    warning: notes/extdir: symbolic link to a folder outside the scanned folders ([TMP]/outside); not followed (use --follow to follow it)
    ");
    let listed = run.listed();
    let files: Vec<&str> = {
        let mut f: Vec<&str> = listed
            .iter()
            .map(|l| l.rsplit_once(':').unwrap().0)
            .collect();
        f.dedup();
        f
    };
    // Every readable note, each once: `link-in.md` is `ok.md`, read under its own name.
    assert_eq!(
        files,
        [
            "notes/acme/alias-bomb.md",
            "notes/acme/bom.md",
            "notes/acme/caf\\xE9.md",
            "notes/acme/controls.md",
            "notes/acme/cr-only.md",
            "notes/acme/crlf.md",
            "notes/acme/nested.md",
            "notes/acme/new\nline.md",
            "notes/acme/no-newline.md",
            "notes/acme/ok.md",
            "notes/acme/one-line.md",
            "notes/acme/unclosed-fence.md",
            "notes/acme/unterminated-front-matter.md",
        ]
    );
    for want in [
        "notes/acme/crlf.md:6",
        "notes/acme/cr-only.md:3",
        "notes/acme/bom.md:4",
        "notes/acme/no-newline.md:3",
        "notes/acme/unclosed-fence.md:1",
    ] {
        assert!(listed.contains(&want.to_owned()), "{want} in {listed:?}");
    }
    // 250 `*` levels and the task at the bottom; `*` items in quotes are quoted text.
    assert_eq!(
        listed.iter().filter(|l| l.contains("nested.md")).count(),
        251
    );
    assert_eq!(
        listed.iter().filter(|l| l.contains("one-line.md")).count(),
        1
    );
}

#[test]
fn hostile_text_and_names_cannot_drive_the_terminal() {
    let dir = hostile_corpus();
    let out = followup()
        .current_dir(dir.path())
        .args(["list", "notes/acme", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    for s in [&stdout, &stderr] {
        assert!(!s.contains('\x1b') && !s.contains('\x07') && !s.contains('\0'));
    }
    assert!(stdout.contains("acme/controls.md:1"));
    assert!(stdout.contains("Escape ␛[2J␛]0;pwned␇ and NUL ␀ here"));
    // The name's newline is shown, not obeyed: the row stays one line.
    assert!(stdout.contains("acme/new␊line.md:1"));
}

#[test]
fn follow_reads_links_out_of_the_tree_and_reports_loops() {
    let dir = hostile_corpus();
    let run = run_in(dir.path(), &["notes/acme/ok.md", "notes", "--follow"]);
    let listed = run.listed();
    // `link-out.md` and `extdir/` both lead to `outside/secret.md`: it is read once, under
    // the first name (issue #20.6).
    assert!(listed.contains(&"notes/acme/link-out.md:1".to_owned()));
    assert!(!listed.contains(&"notes/extdir/secret.md:1".to_owned()));
    // Links into the tree still are not read twice, and `up` is not walked around.
    assert!(!listed
        .iter()
        .any(|l| l.contains("link-in") || l.contains("/up/")));
    assert!(
        run.stderr
            .contains("warning: notes/acme/up: symbolic link loop back to notes; not followed"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("warning: notes/acme/self.md: symbolic link loop; not read"));
    assert!(!run.stderr.contains("outside the scanned folders"));
}

#[test]
fn the_size_limit_can_be_raised_or_lowered() {
    let dir = notes_dir(&[("ok.md", OK), ("big.md", &big_note(1_500_000))]);
    let run = run_in(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.listed().len(), 1 + 35_715);

    let run = run_in(dir.path(), &["--max-file-size", "1M"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: big.md: 1.4 MiB is over the 1 MiB limit for one note; not read (raise it with --max-file-size)\n"
    );
    assert_eq!(run.listed(), ["ok.md:1"]);

    let run = run_in(dir.path(), &["--max-file-size", "2 MiB"]);
    assert_eq!((run.code, run.listed().len()), (0, 1 + 35_715));

    let bad = followup()
        .args(["list", "--max-file-size", "lots"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("`lots` is not a size"));
}

#[test]
fn a_fifo_named_on_the_command_line_is_an_error_not_a_hang() {
    let dir = notes_dir(&[("ok.md", OK)]);
    mkfifo(&dir.path().join("pipe.md"));
    let run = run_in(dir.path(), &["pipe.md", "ok.md"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: pipe.md: a named pipe (FIFO), not a file or folder; not read\n"
    );
    assert_eq!(run.listed(), ["ok.md:1"]);
}

#[test]
fn a_link_named_on_the_command_line_is_followed() {
    let dir = notes_dir(&[("elsewhere/real.md", OK), ("notes/ok.md", OK)]);
    symlink("../elsewhere/real.md", dir.path().join("notes/named.md")).unwrap();
    symlink("elsewhere", dir.path().join("linked-folder")).unwrap();
    let run = run_in(dir.path(), &["notes/named.md", "linked-folder"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // Both arguments lead to `elsewhere/real.md`: one file, read once, under the first
    // name in path order (issue #20.6).
    assert_eq!(run.listed(), ["linked-folder/real.md:1"]);
}

/// Root reads any file, so this runs as `nobody` when the tests run as root.
#[test]
fn an_unreadable_folder_is_an_error_naming_it() {
    let Some(mut cmd) = unprivileged() else {
        return;
    };
    let dir = notes_dir(&[("a/ok.md", OK), ("locked/inside.md", OK)]);
    open_to_everyone(dir.path());
    let mode = |p: &Path, m| {
        std::fs::set_permissions(p, std::os::unix::fs::PermissionsExt::from_mode(m)).unwrap()
    };
    mode(&dir.path().join("locked"), 0o000);
    let out = cmd
        .current_dir(dir.path())
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    mode(&dir.path().join("locked"), 0o755);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr, "error: locked: Permission denied (os error 13)\n");
    assert!(String::from_utf8_lossy(&out.stdout).contains("a/ok.md"));
}

/// A note that goes away (or is swapped for a FIFO) between the walk and the read is
/// reported; the run neither stops nor blocks. Done through the library, where the gap
/// between walk and read can be held open.
#[test]
fn a_note_that_changes_between_walk_and_read_is_reported() {
    let dir = notes_dir(&[("a/gone.md", OK), ("a/ok.md", OK), ("a/swapped.md", OK)]);
    let walked = walk(&[dir.path().to_path_buf()], &Default::default());
    assert_eq!(walked.files.len(), 3);
    std::fs::remove_file(dir.path().join("a/gone.md")).unwrap();
    std::fs::remove_file(dir.path().join("a/swapped.md")).unwrap();
    mkfifo(&dir.path().join("a/swapped.md"));

    let (ws, notes) = collect(walked, &ScanSettings::default(), |_, n, _| n);
    let errors: Vec<_> = ws
        .errors
        .iter()
        .map(|e| (e.path.rsplit('/').next().unwrap(), e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "gone.md",
                "disappeared before it could be read (removed or renamed during the run)"
            ),
            (
                "swapped.md",
                "a named pipe (FIFO), not a regular file; not read"
            ),
        ]
    );
    assert_eq!(notes.len(), 1);
    assert!(notes[0].path.ends_with("a/ok.md"));
}

/// `check` in `format`, in `dir`, as of 2026-11-23: exit code, stdout, stderr.
fn check_in(dir: &Path, format: &str, args: &[&str]) -> Run {
    let out = followup()
        .current_dir(dir)
        .args(["check", "--today", "2026-11-23", "--format", format])
        .args(args)
        .output()
        .expect("runs");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

const FORMATS: [&str; 5] = ["human", "concise", "github", "json", "sarif"];

/// Issue #20.1: a finding past column 65,535 made miette panic ("Formatting argument out
/// of range"). Every format reports it; the human report shows the line cut around the
/// label, with the note's own column in its header, and the other notes too.
#[test]
fn a_finding_on_a_656_kb_line_is_reported_in_every_format() {
    let long = format!("* {} @due(2026-02-30)\n", "x".repeat(65_600));
    let dir = notes_dir(&[
        ("a.md", long.as_bytes()),
        ("b.md", b"* Call @due(2026-02-30)\n"),
    ]);
    for format in FORMATS {
        let run = check_in(dir.path(), format, &["a.md", "b.md"]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{format}: {}", run.stderr);
        assert!(run.stdout.contains("b.md"), "{format}");
    }
    let human = check_in(dir.path(), "human", &["a.md", "b.md"]).stdout;
    assert!(human.contains("a.md:1:65609]"), "{human}");
    assert!(human.contains("…xxx"), "{human}");
    let longest = human.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 300, "a line of {longest} characters");
}

/// Issue #20.18: 10,000 findings on one line, in every format: each one reported once,
/// and the human output stays proportional (each report shows a cut line, not the line).
/// The time budget is in bench/hostile.sh, not here.
#[test]
fn ten_thousand_findings_on_one_line_are_each_reported() {
    let line = format!("* x {}\n", vec!["@due(2026-02-30)"; 10_000].join(" "));
    let dir = notes_dir(&[("a.md", line.as_bytes())]);
    let concise = check_in(dir.path(), "concise", &["a.md"]);
    assert_eq!(concise.code, 1);
    let findings = concise
        .stdout
        .lines()
        .filter(|l| l.contains("invalid-date"))
        .count();
    assert_eq!(findings, 10_000);
    assert!(concise
        .stdout
        .contains("a.md:1:169993: error[invalid-date]"));
    let human = check_in(dir.path(), "human", &["a.md"]);
    assert_eq!(human.code, 1);
    assert_eq!(human.stdout.matches("× invalid date").count(), 10_000);
    assert!(
        human.stdout.len() < 10_000 * 1_500,
        "{} bytes",
        human.stdout.len()
    );
    let json: Value =
        serde_json::from_str(&check_in(dir.path(), "json", &["a.md"]).stdout).expect("json parses");
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 10_000);
}

/// Names built to break output: a newline, a workflow command, an escape sequence, a
/// markdown link end, a backslash, a Latin-1 byte, a bidi override, a BEL.
fn hostile_names() -> Vec<Vec<u8>> {
    [
        &b"new\nline.md"[..],
        b"::error::pwned.md",
        b"esc\x1b[2J.md",
        b"](javascript:x).md",
        b"back\\slash.md",
        b"caf\xE9.md",
        b"rtl\xE2\x80\xAEdm.md",
        b"bel\x07.md",
        b"%0A::warning::x.md",
    ]
    .iter()
    .map(|n| n.to_vec())
    .collect()
}

/// A folder `notes/acme` holding one overdue promise under each hostile name.
fn hostile_name_tree() -> tempfile::TempDir {
    let dir = notes_dir(&[("notes/acme/ok.md", OK)]);
    for name in hostile_names() {
        let path = raw_name(&dir.path().join("notes/acme"), &name);
        std::fs::write(
            path,
            b"* Send [x](javascript:alert(1)) ![](https://t.example/p.png) @due(2026-11-20)\n",
        )
        .unwrap();
    }
    dir
}

/// Percent-decoded bytes of a URI path.
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// What no output may hold: a control character that acts (but the line ends), a bidi
/// override, or a line that is a workflow command followup did not write.
fn assert_inert(what: &str, s: &str) {
    let acts = |c: char| {
        (c.is_control() && c != '\n' && c != '\t') || ('\u{202A}'..='\u{202E}').contains(&c)
    };
    let s = s.replace("\r\n", "\n");
    for c in s.chars() {
        assert!(!acts(c), "{what}: {c:?} in {s}");
    }
    for line in s.lines() {
        let ours = ["::error file=", "::warning file=", "::notice file="]
            .iter()
            .any(|p| line.starts_with(p));
        assert!(
            ours || !line.trim_start().starts_with("::"),
            "{what}: {line}"
        );
    }
}

/// Issue #20 items 8, 9, 10: hostile file names through every output: nothing acts on a
/// terminal or a CI log, the markdown agenda links only to the notes (their own bytes,
/// percent-encoded) and makes no link, image or HTML of note text, and SARIF URIs are
/// the names' bytes.
#[test]
fn hostile_names_are_inert_in_every_format() {
    let dir = hostile_name_tree();
    let notes = dir.path().join("notes");
    for format in FORMATS {
        let run = check_in(&notes, format, &[]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert_inert(format, &run.stdout);
        assert_inert(format, &run.stderr);
        if format == "json" || format == "sarif" {
            serde_json::from_str::<Value>(&run.stdout).expect("parses");
        }
        if format == "sarif" {
            assert!(run.stdout.contains("\"acme/caf%E9.md\""), "{}", run.stdout);
            assert!(run.stdout.contains("\"acme/back%5Cslash.md\""));
        }
        // Run in the names' own folder, a path starts the line.
        let here = check_in(&notes.join("acme"), format, &[]);
        assert_inert(format, &here.stdout);
        assert_inert(format, &here.stderr);
        if format == "concise" {
            assert!(
                here.stdout.contains("./::error::pwned.md:1:"),
                "{}",
                here.stdout
            );
        }
    }
    for args in [&["list"][..], &["list", "--format", "json"], &["customers"]] {
        let out = followup()
            .current_dir(&notes)
            .args(args)
            .args(["--today", "2026-11-23"])
            .output()
            .unwrap();
        assert_inert(&args.join(" "), &String::from_utf8(out.stdout).unwrap());
        assert_inert(&args.join(" "), &String::from_utf8(out.stderr).unwrap());
    }
    for format in ["markdown", "json", "ics"] {
        let out = followup()
            .current_dir(&notes)
            .args(["agenda", "--today", "2026-11-23", "--format", format])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_inert(format, &stdout);
        if format != "markdown" {
            continue;
        }
        use pulldown_cmark::{Event, Parser, Tag};
        let mut links = 0;
        for event in Parser::new(&stdout) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    links += 1;
                    let target = notes.join(OsString::from_vec(percent_decode(&dest_url)));
                    assert!(target.is_file(), "{dest_url} links to no note");
                }
                // followup's own marker comment is the one HTML there is.
                Event::Html(h) if h.starts_with("<!-- Generated by followup agenda.") => {}
                Event::Start(Tag::Image { .. }) | Event::Html(_) | Event::InlineHtml(_) => {
                    panic!("{event:?} in {stdout}")
                }
                _ => {}
            }
        }
        assert_eq!(links, hostile_names().len() + 1, "{stdout}");
    }
    // A path given as `[agenda] output` with an ESC and a workflow command: shown inert.
    let out = followup()
        .current_dir(&notes)
        .args([
            "agenda",
            "--today",
            "2026-11-23",
            "--check",
            "-o",
            "::error::x\x1b[2J.md",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_inert("agenda --check", &stderr);
    assert!(stderr.starts_with("./::error::x␛[2J.md"), "{stderr}");
}

/// Issue #20.13: FIFOs as `-o` and `--config`, and `-o /dev/stdout` on a pipe, are
/// refused at once (exit 2), never waited on.
#[test]
fn fifos_as_output_or_config_are_refused_not_waited_on() {
    let dir = notes_dir(&[("notes/ok.md", OK)]);
    let fifo = dir.path().join("fifo.md");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap();
    for args in [
        &["agenda", "notes", "-o", fifo][..],
        &["agenda", "notes", "--check", "-o", fifo],
        &["agenda", "notes", "--config", fifo],
        &["list", "notes", "--config", fifo],
        // The test's stdout is a pipe, so /dev/stdout is one.
        &["agenda", "notes", "-o", "/dev/stdout"],
    ] {
        let out = followup()
            .current_dir(dir.path())
            .args(args)
            .args(["--today", "2026-11-23"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
    }
}

/// Issue #20.17: front matter whose aliases copy one big string (3.3 MB of note) is
/// refused as a whole; the body is still read, and `check` says why.
#[test]
fn a_yaml_size_bomb_is_refused_and_the_body_read() {
    let mut note = format!(
        "---\ncustomer: Acme\nbig: &big {}\nb: &b [{}]\nc: [{}]\n---\n",
        "x".repeat(3_300_000),
        vec!["*big"; 100].join(", "),
        vec!["*b"; 100].join(", ")
    );
    note.push_str("* Promise under a size bomb @due(2026-11-20)\n");
    let dir = notes_dir(&[("bomb.md", note.as_bytes())]);
    let run = run_in(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.listed(), ["bomb.md:7"]);
    let check = check_in(dir.path(), "concise", &[]);
    assert!(
        check.stdout.contains("bad-front-matter"),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("through YAML aliases"));
}

/// Issue #20.18: `fix` on 200,000 relative dates writes every one out (correctness
/// only; the time budget is in bench/hostile.sh).
#[test]
fn fix_writes_out_200k_relative_dates() {
    let mut note = String::from("# Call 2026-11-16\n\n");
    for i in 0..200_000 {
        note.push_str(&format!("* P{i} @due(+{}d)\n", i % 30 + 1));
    }
    let dir = notes_dir(&[("2026-11-16-call.md", note.as_bytes())]);
    let out = followup()
        .current_dir(dir.path())
        .args([
            "fix",
            ".",
            "--today",
            "2026-11-23",
            "--max-file-size",
            "64M",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed = std::fs::read_to_string(dir.path().join("2026-11-16-call.md")).unwrap();
    assert!(!fixed.contains("@due(+"));
    assert_eq!(fixed.matches("@due(2026-").count(), 200_000);
    assert!(fixed.contains("* P0 @due(2026-11-17)\n* P1 @due(2026-11-18)\n"));
}

/// Issue #20.11: same text twice in one note, two UIDs; a date past 9999 is an
/// `invalid-date`, never `+10000-...` in JSON.
#[test]
fn ics_uids_are_distinct_and_years_stay_within_four_digits() {
    let note = b"# Call 2026-11-16\n\n* Send the deck @due(2026-11-25)\n* Send the deck @due(2026-11-26)\n* Far @due(+100000m)\n";
    let dir = notes_dir(&[("2026-11-16-call.md", note)]);
    let ics = followup()
        .current_dir(dir.path())
        .args(["agenda", "--format", "ics", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let ics = String::from_utf8(ics.stdout).unwrap();
    let uids: Vec<&str> = ics.lines().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(uids.len(), 2);
    assert_ne!(uids[0], uids[1]);
    assert!(!ics.contains("DUE;VALUE=DATE:+"));
    let run = run_in(dir.path(), &[]);
    assert!(!run.stdout.contains("\"+1"), "{}", run.stdout);
    let check = check_in(dir.path(), "concise", &[]);
    assert!(
        check.stdout.contains(":5:") && check.stdout.contains("invalid-date"),
        "{}",
        check.stdout
    );
}

/// Issue #20.12 and 15: `@waiting(<b>Bob</b>)` says what was there; a note that only
/// starts like the agenda's marker is a note.
#[test]
fn waiting_without_a_name_and_marker_lookalikes() {
    let dir = notes_dir(&[
        (
            "a.md",
            b"* Contract back @waiting(<b>Bob</b>) @due(2026-11-25)\n",
        ),
        (
            "b.md",
            b"<!-- Generated by followup? No, by hand -->\n* My promise @due(2026-11-20)\n",
        ),
    ]);
    let agenda = followup()
        .current_dir(dir.path())
        .args(["agenda", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let agenda = String::from_utf8(agenda.stdout).unwrap();
    assert!(!agenda.contains("owed by ,"), "{agenda}");
    assert!(agenda.contains("owed by someone not named"), "{agenda}");
    let check = check_in(dir.path(), "concise", &[]);
    assert!(check.stderr.contains("Checked 2 files"), "{}", check.stderr);
    assert!(check.stdout.contains("b.md:2:"), "{}", check.stdout);
}

/// Issue #20.7: a Latin-1 `caf\xE9.md` and a file literally named `caf\\xE9.md` are two
/// notes, shown differently, and a locator edits the one it names; a backslash in a name
/// given on the command line stays a backslash.
#[test]
fn colliding_names_stay_two_notes_and_backslashes_stay() {
    let dir = notes_dir(&[]);
    let latin1 = raw_name(dir.path(), b"caf\xE9.md");
    let literal = dir.path().join("caf\\xE9.md");
    std::fs::write(&latin1, b"* Latin-1 promise @due(2026-11-20)\n").unwrap();
    std::fs::write(&literal, b"* Literal promise @due(2026-11-20)\n").unwrap();
    let run = run_in(dir.path(), &[]);
    // Sorted by what is shown: `\\` before `\x`.
    assert_eq!(
        run.listed(),
        ["caf\\\\xE9.md:1", "caf\\xE9.md:1"],
        "{}",
        run.stderr
    );
    // Each locator edits its own file.
    let out = followup()
        .current_dir(dir.path())
        .arg("done")
        .arg(OsString::from_vec(b"caf\\xE9.md:1".to_vec()))
        .args(["--today", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&literal)
        .unwrap()
        .contains("@done(2026-11-23)"));
    assert!(!std::fs::read(&latin1)
        .unwrap()
        .windows(5)
        .any(|w| w == b"@done"));

    let back = notes_dir(&[("back\\slash.md", OK)]);
    let run = run_in(back.path(), &["back\\slash.md"]);
    assert_eq!(run.listed(), ["back\\slash.md:1"], "{}", run.stderr);
    let run = run_in(back.path(), &[]);
    assert_eq!(run.listed(), ["back\\slash.md:1"], "{}", run.stderr);
}

/// Issue #20.6: with `--follow`, a file reached through several links is read once, and
/// `fix --follow` then fixes it without a spurious "changed since".
#[test]
fn follow_reads_a_file_reached_through_several_links_once() {
    let dir = notes_dir(&[
        ("outside/2026-11-16-real.md", b"* Send it @due(+2d)\n"),
        ("notes/ok.md", OK),
    ]);
    let real = dir.path().join("outside/2026-11-16-real.md");
    symlink(&real, dir.path().join("notes/one.md")).unwrap();
    symlink(&real, dir.path().join("notes/two.md")).unwrap();
    symlink(dir.path().join("outside"), dir.path().join("notes/dir")).unwrap();
    let run = run_in(dir.path(), &["notes", "--follow"]);
    let promises = run
        .listed()
        .iter()
        .filter(|l| !l.starts_with("notes/ok.md"))
        .count();
    assert_eq!(promises, 1, "{:?} {}", run.listed(), run.stderr);
    let out = followup()
        .current_dir(dir.path())
        .args(["fix", "notes", "--follow", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("changed"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "* Send it @due(2026-11-18)\n"
    );
}

/// Hard links: a note with two names in the tree is one note: listed once, and `fix`
/// writes it once (it used to write it under the first name, then refuse the second as
/// "changed while fixing", exit 2); the link stays.
#[test]
fn a_hard_linked_note_is_one_note() {
    let dir = notes_dir(&[("2026-11-16-a.md", b"* Send it @due(+2d)\n")]);
    let a = dir.path().join("2026-11-16-a.md");
    let h = dir.path().join("2026-11-16-h.md");
    std::fs::hard_link(&a, &h).unwrap();
    let run = run_in(dir.path(), &[]);
    assert_eq!(run.listed(), ["2026-11-16-a.md:1"], "{}", run.stderr);
    let out = followup()
        .current_dir(dir.path())
        .args(["fix", ".", "--today", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        std::fs::metadata(&a).unwrap().ino(),
        std::fs::metadata(&h).unwrap().ino()
    );
    assert_eq!(
        std::fs::read_to_string(&h).unwrap(),
        "* Send it @due(2026-11-18)\n"
    );
}
