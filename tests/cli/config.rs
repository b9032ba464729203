//! Configuration files (discovery, every key, precedence, errors), `followup config`,
//! `followup init`, file selection (.gitignore, exclude, hidden) and inline suppressions.

use std::path::Path;

use assert_cmd::Command;

use crate::{followup, notes_dir, stdout_of, write};

/// A note with one of each kind of commitment, dated 2026-11-16 (a Monday).
const NOTE: &str = "# Call with Dana, 2026-11-16

* Send the pricing sheet @due(2026-11-18)
* Draft the renewal proposal
- [ ] Book the demo room @due(2026-11-24)
- a plain bullet, not a promise
";

/// `followup ARGS` run in `dir`, on 2026-11-23 unless ARGS say otherwise.
fn run_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = followup();
    cmd.current_dir(dir).args(args);
    if !args.contains(&"--today") {
        cmd.args(["--today", "2026-11-23"]);
    }
    cmd
}

/// The concise `check` lines and the exit code.
fn check(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = run_in(
        dir,
        &[&["check", "--format", "concise", "-q"], args].concat(),
    )
    .output()
    .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// The paths of the notes `list` reads.
fn listed(dir: &Path, args: &[&str]) -> Vec<String> {
    // By path, so that each note's rows are together.
    let out = run_in(
        dir,
        &[&["list", "--format", "json", "--sort", "path"], args].concat(),
    )
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut paths: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_owned())
        .collect();
    paths.dedup();
    paths
}

fn stderr(mut cmd: impl std::borrow::BorrowMut<Command>) -> (Option<i32>, String) {
    let cmd: &mut Command = cmd.borrow_mut();
    let out = cmd.output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn found_by_walking_up_from_the_first_path_and_not_past_the_repository() {
    let dir = notes_dir(&[
        ("followup.toml", b"[rules]\nmissing-due = \"off\"\n"),
        ("notes/acme/2026-11-16.md", NOTE.as_bytes()),
    ]);
    let (_, all) = check(dir.path(), &["notes"]);
    assert!(!all.contains("missing-due"), "{all}");
    assert!(all.contains("[overdue]"));
    // From deep inside, with the default path `.`.
    let (_, inside) = check(&dir.path().join("notes/acme"), &[]);
    assert!(!inside.contains("missing-due"), "{inside}");
    // A repository root between the notes and the file: the file is not looked at.
    std::fs::create_dir(dir.path().join("notes/.git")).unwrap();
    let (_, repo) = check(dir.path(), &["notes"]);
    assert!(repo.contains("[missing-due]"), "{repo}");
    // `.followup.toml` is found too; `followup.toml` wins when both are there.
    write(
        &dir.path().join("notes"),
        ".followup.toml",
        b"[rules]\noverdue = \"off\"\n",
    );
    let (_, hidden) = check(dir.path(), &["notes"]);
    assert!(
        !hidden.contains("[overdue]") && hidden.contains("[missing-due]"),
        "{hidden}"
    );
    write(
        &dir.path().join("notes"),
        "followup.toml",
        b"[rules]\nmissing-due = \"off\"\n",
    );
    let (_, both) = check(dir.path(), &["notes"]);
    assert!(
        both.contains("[overdue]") && !both.contains("[missing-due]"),
        "{both}"
    );
}

#[test]
fn config_flag_names_a_file_and_isolated_ignores_them_all() {
    let dir = notes_dir(&[
        ("followup.toml", b"[rules]\nmissing-due = \"off\"\n"),
        ("strict.toml", b"[rules]\nmissing-due = \"error\"\n"),
        ("notes/2026-11-16.md", NOTE.as_bytes()),
    ]);
    let (_, strict) = check(dir.path(), &["notes", "--config", "strict.toml"]);
    assert!(strict.contains("error[missing-due]"), "{strict}");
    let (_, isolated) = check(dir.path(), &["notes", "--isolated"]);
    assert!(isolated.contains("warning[missing-due]"), "{isolated}");
    let (code, err) = stderr(run_in(
        dir.path(),
        &["check", "notes", "--config", "nope.toml"],
    ));
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: nope.toml: cannot read it: "),
        "{err}"
    );
}

#[test]
fn unknown_keys_and_bad_values_are_errors_that_name_them() {
    let cases: [(&str, &str); 7] = [
        (
            "[files]\nexcludes = [\"archive/\"]\n",
            "followup.toml: line 2: unknown field `excludes`, expected one of `exclude`, `include-hidden`, `respect-gitignore`",
        ),
        ("[rule]\n", "followup.toml: line 1: unknown field `rule`"),
        (
            "[rules]\noverdu = \"off\"\n",
            "followup.toml: [rules]: `overdu` is not a rule (did you mean `overdue`?)",
        ),
        (
            "[rules]\noverdue = \"loud\"\n",
            "followup.toml: [rules]: overdue: \"loud\" is not a level (\"error\", \"warning\", \"info\" or \"off\")",
        ),
        (
            "[rules]\ndue-soon = { days = 0 }\n",
            "followup.toml: [rules]: due-soon.days: 0 is not between 1 and 366",
        ),
        (
            "[rules]\noverdue = { days = 3 }\n",
            "followup.toml: [rules]: overdue: unknown option `days`",
        ),
        (
            "[dates]\nweek-start = \"someday\"\n",
            "followup.toml: [dates] week-start: `someday` is not a day of the week",
        ),
    ];
    for (toml, message) in cases {
        let dir = notes_dir(&[
            ("followup.toml", toml.as_bytes()),
            ("n.md", NOTE.as_bytes()),
        ]);
        let (code, err) = stderr(run_in(dir.path(), &["check"]));
        assert_eq!(code, Some(2), "{toml}");
        let first = err.lines().next().unwrap_or_default();
        // The path as the docs show it: relative to the current folder.
        assert!(
            first.starts_with(&format!("error: {message}")),
            "{toml}: {first}"
        );
        // From elsewhere, the path from there.
        let (_, err) = stderr(run_in(
            dir.path().parent().unwrap(),
            &["check", &dir.path().file_name().unwrap().to_string_lossy()],
        ));
        let name = dir
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            err.starts_with(&format!("error: {name}/followup.toml: ")),
            "{err}"
        );
    }
}

#[test]
fn config_docs_are_in_the_binary_and_the_starter_file_points_there() {
    let text = stdout_of(followup().args(["config", "--docs"]));
    assert!(text.starts_with("Configuration\n=============\n"), "{text}");
    assert!(text.contains("Where the file is found\n---"));
    assert!(!text.contains("```") && !text.contains("\n## "));
    let raw = stdout_of(followup().args(["config", "--docs", "--format", "markdown"]));
    let file = std::fs::read_to_string(crate::root().join("docs/configuration.md")).unwrap();
    assert_eq!(raw, file);
    let dir = notes_dir(&[]);
    let (code, _) = stderr(followup().current_dir(dir.path()).arg("init"));
    assert_eq!(code, Some(0));
    let starter = std::fs::read_to_string(dir.path().join("followup.toml")).unwrap();
    assert!(starter.contains("`followup config --docs`"), "{starter}");
    assert!(starter
        .contains("https://github.com/followup-notes/followup/blob/main/docs/configuration.md"));
}

#[test]
fn rule_levels_all_and_options() {
    let dir = notes_dir(&[("n/2026-11-16.md", NOTE.as_bytes())]);
    let conf = |text: &str| std::fs::write(dir.path().join("followup.toml"), text).unwrap();
    conf("[rules]\nall = \"off\"\nmissing-due = \"error\"\n");
    let (code, out) = check(dir.path(), &["n"]);
    assert_eq!(code, Some(1));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("error[missing-due]"));
    // due-soon looks `days` ahead: the demo room is due tomorrow; with days = 1 it is
    // reported, and it is reported as an error.
    conf("[rules]\nall = \"off\"\ndue-soon = { level = \"error\", days = 1 }\n");
    let (_, out) = check(dir.path(), &["n", "--today", "2026-11-23"]);
    assert!(out.contains("error[due-soon]"), "{out}");
    conf("[rules]\nall = \"off\"\ndue-soon = { level = \"error\", days = 1 }\n");
    let (_, out) = check(dir.path(), &["n", "--today", "2026-11-22"]);
    assert!(
        out.is_empty(),
        "two days ahead is not soon with days = 1: {out}"
    );
}

#[test]
fn overrides_set_levels_for_matching_paths_in_order() {
    let dir = notes_dir(&[
        (
            "followup.toml",
            b"[[overrides]]\npaths = [\"archive/\"]\nrules = { all = \"off\" }\n\n\
              [[overrides]]\npaths = [\"archive/keep/*.md\"]\nrules = { overdue = \"info\" }\n",
        ),
        ("archive/2025/2026-11-16.md", NOTE.as_bytes()),
        ("archive/keep/2026-11-16.md", NOTE.as_bytes()),
        ("live/2026-11-16.md", NOTE.as_bytes()),
    ]);
    let (_, out) = check(dir.path(), &[]);
    assert!(!out.contains("archive/2025"), "{out}");
    let keep: Vec<&str> = out.lines().filter(|l| l.contains("archive/keep")).collect();
    assert_eq!(keep.len(), 1, "{out}");
    assert!(keep[0].contains("info[overdue]"));
    assert!(
        out.contains("live/2026-11-16.md:3:26: error[overdue]"),
        "{out}"
    );
}

#[test]
fn markers_choose_which_items_are_commitments() {
    let dir = notes_dir(&[("n/2026-11-16.md", NOTE.as_bytes())]);
    let count = |toml: &str| {
        std::fs::write(dir.path().join("followup.toml"), toml).unwrap();
        let out = run_in(dir.path(), &["list", "--format", "json", "n"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array().unwrap().len()
    };
    assert_eq!(count(""), 3);
    assert_eq!(count("[markers]\nstar-bullets = false\n"), 1);
    assert_eq!(count("[markers]\ntask-items = false\n"), 2);
}

#[test]
fn exclude_hidden_and_gitignore_choose_the_files() {
    let dir = notes_dir(&[
        (
            "followup.toml",
            b"[files]\nexclude = [\"archive/\", \"*.draft.md\"]\n",
        ),
        ("a/2026-11-16.md", NOTE.as_bytes()),
        ("a/idea.draft.md", NOTE.as_bytes()),
        ("archive/2026-11-16.md", NOTE.as_bytes()),
        (".private/2026-11-16.md", NOTE.as_bytes()),
        ("scratch/2026-11-16.md", NOTE.as_bytes()),
        ("scratch/keep/2026-11-16.md", NOTE.as_bytes()),
        (".gitignore", b"scratch/*\n!scratch/keep/\n"),
    ]);
    // Not a repository yet: .gitignore does not apply.
    assert_eq!(
        listed(dir.path(), &[]),
        [
            "a/2026-11-16.md",
            "scratch/2026-11-16.md",
            "scratch/keep/2026-11-16.md"
        ]
    );
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    assert_eq!(
        listed(dir.path(), &[]),
        ["a/2026-11-16.md", "scratch/keep/2026-11-16.md"]
    );
    // A nested .gitignore, and one above the walked folder, both count.
    write(dir.path(), "a/.gitignore", b"2026-*\n");
    assert_eq!(listed(dir.path(), &[]), ["scratch/keep/2026-11-16.md"]);
    assert_eq!(
        listed(dir.path(), &["scratch"]),
        ["scratch/keep/2026-11-16.md"]
    );
    // The command line beats the file.
    assert_eq!(
        listed(
            dir.path(),
            &["--no-ignore", "--hidden", "--exclude", "scratch/keep/"]
        ),
        [
            ".private/2026-11-16.md",
            "a/2026-11-16.md",
            "scratch/2026-11-16.md"
        ]
    );
    std::fs::write(
        dir.path().join("followup.toml"),
        "[files]\ninclude-hidden = true\nrespect-gitignore = false\n",
    )
    .unwrap();
    assert_eq!(listed(dir.path(), &[]).len(), 6);
    // An excluded file stays excluded when named (a pre-commit hook names files).
    std::fs::write(
        dir.path().join("followup.toml"),
        "[files]\nexclude = [\"archive/\"]\n",
    )
    .unwrap();
    assert!(listed(dir.path(), &["archive/2026-11-16.md"]).is_empty());
}

#[test]
fn agenda_defaults_come_from_the_file_and_flags_beat_them() {
    let dir = notes_dir(&[
        (
            "followup.toml",
            b"[dates]\nweek-start = \"sunday\"\n[agenda]\noutput = \"review/AGENDA.md\"\ndays = 3\nfrom = \"week-start\"\n",
        ),
        ("n/2026-11-16.md", NOTE.as_bytes()),
    ]);
    std::fs::create_dir(dir.path().join("review")).unwrap();
    // 2026-11-25 is a Wednesday; the week started on Sunday the 22nd.
    let (code, err) = stderr(run_in(
        dir.path(),
        &["agenda", "n", "--today", "2026-11-25"],
    ));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "wrote review/AGENDA.md\n");
    let md = std::fs::read_to_string(dir.path().join("review/AGENDA.md")).unwrap();
    assert!(
        md.contains("# Follow-up agenda, 2026-11-22 to 2026-11-24"),
        "{md}"
    );
    // Flags win; `-o -` prints instead of writing.
    let out = run_in(
        dir.path(),
        &[
            "agenda",
            "n",
            "--days",
            "7",
            "--from",
            "2026-11-23",
            "-o",
            "-",
        ],
    )
    .output()
    .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("# Follow-up agenda, 2026-11-23 to 2026-11-29"),
        "{md}"
    );
    // --check uses the configured file.
    let (code, err) = stderr(run_in(
        dir.path(),
        &["agenda", "n", "--check", "--today", "2026-11-25"],
    ));
    assert_eq!(
        (code, err.as_str()),
        (Some(0), "review/AGENDA.md is up to date\n")
    );
    let (code, err) = stderr(run_in(
        dir.path(),
        &["agenda", "n", "--check", "--isolated"],
    ));
    assert_eq!(code, Some(2));
    assert!(err.contains("--check needs an agenda file"), "{err}");
}

#[test]
fn show_config_prints_the_settings_and_their_source() {
    let dir = notes_dir(&[(
        ".followup.toml",
        b"[rules]\nmissing-due = \"error\"\ndue-soon = { days = 5 }\n[files]\nexclude = [\"archive/\"]\n\n[[overrides]]\npaths = [\"old/\"]\nrules = { all = \"off\" }\n",
    )]);
    let shown = crate::stdout_of(followup().current_dir(dir.path()).arg("config"));
    insta::assert_snapshot!("config-from-file", shown);
    let docs = std::fs::read_to_string(crate::root().join("docs/configuration.md")).unwrap();
    assert!(
        docs.contains(&format!("$ followup config\n{shown}```")),
        "docs/configuration.md shows this output"
    );
    // What it prints is a configuration that gives the same settings.
    std::fs::write(dir.path().join("followup.toml"), shown.as_bytes()).unwrap();
    let again = crate::stdout_of(followup().current_dir(dir.path()).arg("config"));
    assert_eq!(
        again.lines().skip(1).collect::<Vec<_>>(),
        shown.lines().skip(1).collect::<Vec<_>>()
    );
    let defaults = crate::stdout_of(
        followup()
            .current_dir(dir.path())
            .args(["config", "--isolated"]),
    );
    assert!(
        defaults.starts_with("# defaults (--isolated)\n"),
        "{defaults}"
    );
    assert!(defaults.contains("missing-due = \"warning\"\n"));
}

#[test]
fn init_writes_a_starter_that_gives_the_defaults_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = stderr(followup().current_dir(dir.path()).arg("init"));
    assert_eq!((code, err.as_str()), (Some(0), "wrote ./followup.toml\n"));
    let starter = std::fs::read_to_string(dir.path().join("followup.toml")).unwrap();
    assert!(starter.starts_with("# followup configuration."));
    let from_starter = crate::stdout_of(followup().current_dir(dir.path()).arg("config"));
    let defaults = crate::stdout_of(
        followup()
            .current_dir(dir.path())
            .args(["config", "--isolated"]),
    );
    assert_eq!(
        from_starter.lines().skip(1).collect::<Vec<_>>(),
        defaults.lines().skip(1).collect::<Vec<_>>(),
        "the starter file sets every key to its default"
    );
    std::fs::write(dir.path().join("followup.toml"), "# mine\n").unwrap();
    let (code, err) = stderr(followup().current_dir(dir.path()).arg("init"));
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: ./followup.toml already exists; not overwriting it\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("followup.toml")).unwrap(),
        "# mine\n"
    );
    let (code, _) = stderr(
        followup()
            .current_dir(dir.path())
            .args(["init", "missing/dir"]),
    );
    assert_eq!(code, Some(2));
}

#[test]
fn suppression_comments_in_every_form() {
    let note = "# Call, 2026-11-16

<!-- followup-disable-next-line overdue -- Dana is away -->
* Send the pricing sheet @due(2026-11-18)
* Send the deck @due(2026-11-18)

<!-- followup-disable missing-due -->
* Draft the renewal
* Draft the proposal
<!-- followup-enable missing-due -->
* Draft the contract

<!--
followup-disable-next-line
-->
* Call legal @due(2026-11-10) @deu(fri)

```markdown
<!-- followup-disable-file -->
```
* Chase the PO @due(2026-11-19)
";
    let dir = notes_dir(&[("n/2026-11-16.md", note.as_bytes())]);
    let (_, out) = check(dir.path(), &["n"]);
    let lines: Vec<&str> = out.lines().map(|l| l.split_once(": ").unwrap().1).collect();
    // Line 4 (suppressed) and 8-9 (region) and 16 (all rules) are silent; line 5, 11 and
    // 21 (after a comment in a code block, which is text) are not.
    assert_eq!(
        out.lines()
            .map(|l| l.split(':').nth(1).unwrap())
            .collect::<Vec<_>>(),
        ["5", "11", "21"],
        "{out}"
    );
    assert!(lines[0].starts_with("error[overdue]"), "{out}");
    assert!(lines[1].starts_with("warning[missing-due]"), "{out}");

    let file = "<!-- followup-disable-file overdue until=2026-11-30 -->\n# Call, 2026-11-16\n\n* Send the pricing sheet @due(2026-11-18)\n";
    let dir = notes_dir(&[("n/2026-11-16.md", file.as_bytes())]);
    let (code, out) = check(dir.path(), &["n"]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), ""),
        "snoozed until the 30th"
    );
    let (code, out) = check(dir.path(), &["n", "--today", "2026-12-01"]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("1:1: warning[unused-suppression]: this suppression expired on 2026-11-30"),
        "{out}"
    );
    assert!(out.contains("4:26: error[overdue]"), "{out}");
}

#[test]
fn unused_suppressions_are_reported_unless_their_rule_is_off() {
    let note = "# Call, 2026-11-16

<!-- followup-disable-next-line overdue, missing-due -->
* Send the pricing sheet @due(2026-11-18)
<!-- followup-enable -->
<!-- followup-disable-next-line due-soon -->
* Draft the renewal @due(2027-01-10)
";
    let dir = notes_dir(&[("n/2026-11-16.md", note.as_bytes())]);
    let (_, out) = check(dir.path(), &["n"]);
    assert_eq!(
        out,
        "n/2026-11-16.md:3:1: warning[unused-suppression]: `missing-due` suppresses nothing on the next line\n\
         n/2026-11-16.md:5:1: warning[unused-suppression]: `followup-enable` with no `followup-disable` before it\n\
         n/2026-11-16.md:6:1: warning[unused-suppression]: `due-soon` suppresses nothing on the next line\n"
    );
    // A rule that is off here may be on elsewhere: its suppressions are not reported.
    std::fs::write(
        dir.path().join("followup.toml"),
        "[rules]\ndue-soon = \"off\"\n",
    )
    .unwrap();
    let (_, out) = check(dir.path(), &["n"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(!out.contains("due-soon"), "{out}");
    std::fs::write(
        dir.path().join("followup.toml"),
        "[rules]\nunused-suppression = \"off\"\n",
    )
    .unwrap();
    let (code, out) = check(dir.path(), &["n"]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
}
