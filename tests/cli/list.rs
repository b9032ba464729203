//! `followup list`: what is found, how paths look, and bad input.

use predicates::prelude::*;
use serde_json::Value;

use crate::{followup, notes_dir, open_to_everyone, stdout_of, unprivileged, write};

const CALL: &str = "---\ncustomer: Acme Corp\ndate: 2026-11-16\n---\n# Pricing call\n\n\
* Send the pricing sheet @due(fri)\n- [x] Intro email ✅ 2026-11-17\n- [-] Old deck\n";

fn json(cmd: &mut assert_cmd::Command) -> Vec<Value> {
    serde_json::from_str::<Value>(&stdout_of(cmd))
        .expect("json")
        .as_array()
        .expect("array")
        .clone()
}

/// The texts of `list --format json` in `dir` with `args`, in the order listed.
fn texts(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    json(
        followup()
            .current_dir(dir)
            .args(["list", "--format", "json"])
            .args(args),
    )
    .iter()
    .map(|r| r["text"].as_str().unwrap().to_owned())
    .collect()
}

#[test]
fn json_fields_and_paths_as_reached_from_the_argument() {
    let dir = notes_dir(&[("notes/acme-corp/2026-11-16-pricing.md", CALL.as_bytes())]);
    let rows = json(followup().current_dir(dir.path()).args([
        "list",
        "notes/",
        "--format",
        "json",
        "--today",
        "2026-11-23",
    ]));
    assert_eq!(rows.len(), 3);
    let first = &rows[0];
    assert_eq!(first["path"], "notes/acme-corp/2026-11-16-pricing.md");
    assert_eq!(first["line"], 7);
    assert_eq!(first["column"], 1);
    assert_eq!(first["customer"], "acme-corp");
    assert_eq!(first["customer_name"], "Acme Corp");
    assert_eq!(first["note_date"], "2026-11-16");
    assert_eq!(first["text"], "Send the pricing sheet");
    assert_eq!(first["status"], "open");
    assert_eq!(first["due"], "2026-11-20");
    assert_eq!(first["scheduled"], Value::Null);
    assert_eq!(first["waiting"], Value::Null);
    assert_eq!(rows[1]["done"], "2026-11-17");
    assert_eq!(rows[2]["status"], "cancelled");

    // Scanning `.` shows paths without a `./` prefix.
    let rows = json(
        followup()
            .current_dir(dir.path().join("notes"))
            .args(["list", "--format", "json"]),
    );
    assert_eq!(rows[0]["path"], "acme-corp/2026-11-16-pricing.md");
}

#[test]
fn status_and_customer_filters() {
    let dir = notes_dir(&[
        ("acme-corp/2026-11-16-pricing.md", CALL.as_bytes()),
        (
            "globex/2026-11-10-intro.md",
            b"# Intro\n* [ ] Send case studies\n",
        ),
    ]);
    let run = |args: &[&str]| {
        json(
            followup()
                .current_dir(dir.path())
                .args(["list", "--format", "json"])
                .args(args),
        )
        .iter()
        .map(|r| format!("{}:{}", r["path"].as_str().unwrap(), r["line"]))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        run(&["--status", "open"]),
        [
            "acme-corp/2026-11-16-pricing.md:7",
            "globex/2026-11-10-intro.md:2"
        ]
    );
    assert_eq!(
        run(&["--status", "done"]),
        ["acme-corp/2026-11-16-pricing.md:8"]
    );
    assert_eq!(
        run(&["--status", "cancelled"]),
        ["acme-corp/2026-11-16-pricing.md:9"]
    );
    assert_eq!(run(&["--customer", "Acme Corp"]).len(), 3);
    assert_eq!(
        run(&["--customer", "GLOBEX"]),
        ["globex/2026-11-10-intro.md:2"]
    );
    // A prefix of the name or the slug, in any case.
    assert_eq!(run(&["--customer", "acme"]).len(), 3);
    assert_eq!(run(&["--customer", "ACME-C"]).len(), 3);
    assert_eq!(
        run(&["--customer", "glo"]),
        ["globex/2026-11-10-intro.md:2"]
    );
    // No match is an error that lists the customers, with "did you mean".
    let nobody = followup()
        .current_dir(dir.path())
        .args(["list", "--customer", "acmee"])
        .output()
        .unwrap();
    assert_eq!(nobody.status.code(), Some(2));
    assert!(nobody.stdout.is_empty());
    assert_eq!(
        String::from_utf8(nobody.stderr).unwrap(),
        "error: no customer matches `acmee` (did you mean `Acme Corp`?); known: Acme Corp, globex\n"
    );
    let far = followup()
        .current_dir(dir.path())
        .args(["list", "--customer", "initech"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(far.stderr).unwrap(),
        "error: no customer matches `initech`; known: Acme Corp, globex\n"
    );
}

#[test]
fn status_overdue_due_soon_and_waiting() {
    let dir = notes_dir(&[(
        "acme/2026-11-16-call.md",
        b"* Late @due(2026-11-20)\n* Today @due(2026-11-23)\n* Soon @due(2026-11-26)\n\
          * Later @due(2026-11-27)\n* Undated\n* Late but done @due(2026-11-01) @done(2026-11-02)\n\
          * Order form back @waiting(Dana) @due(2026-11-30)\n",
    )]);
    let run = |status: &str| texts(dir.path(), &["--today", "2026-11-23", "--status", status]);
    assert_eq!(run("overdue"), ["Late"]);
    assert_eq!(run("due-soon"), ["Today", "Soon"], "today and 3 days ahead");
    assert_eq!(run("waiting"), ["Order form back"]);
}

#[test]
fn sort_by_due_customer_or_path() {
    let dir = notes_dir(&[
        ("acme/a.md", b"* A undated\n* A late @due(2026-11-20)\n"),
        ("beta/b.md", b"* B first @due(2026-11-01)\n* B undated\n"),
        ("loose.md", b"* Loose @due(2026-11-10)\n"),
    ]);
    let run = |args: &[&str]| texts(dir.path(), args);
    // By due date, undated last (then by path and line): the default.
    let by_due = ["B first", "Loose", "A late", "A undated", "B undated"];
    assert_eq!(run(&[]), by_due);
    assert_eq!(run(&["--sort", "due"]), by_due);
    assert_eq!(
        run(&["--sort", "customer"]),
        ["A late", "A undated", "B first", "B undated", "Loose"]
    );
    assert_eq!(
        run(&["--sort", "path"]),
        ["A undated", "A late", "B first", "B undated", "Loose"]
    );
}

#[test]
fn table_shows_due_date_distance_customer_location_and_text() {
    let dir = notes_dir(&[("acme-corp/2026-11-16-pricing.md", CALL.as_bytes())]);
    let out = stdout_of(
        followup()
            .current_dir(dir.path())
            .args(["list", "--today", "2026-11-23"]),
    );
    insta::assert_snapshot!(out, @r"
    DUE         WHEN         STATUS     CUSTOMER   LOCATION                           TEXT
    2026-11-20  3 days late  open       Acme Corp  acme-corp/2026-11-16-pricing.md:7  Send the pricing sheet
    -                        done       Acme Corp  acme-corp/2026-11-16-pricing.md:8  Intro email
    -                        cancelled  Acme Corp  acme-corp/2026-11-16-pricing.md:9  Old deck
    ");
}

#[test]
fn hidden_folders_and_other_extensions_are_skipped() {
    let dir = notes_dir(&[
        ("a/call.markdown", b"* Kept promise\n"),
        (".obsidian/templates/t.md", b"* Template promise\n"),
        ("a/.draft.md", b"* Hidden promise\n"),
        ("a/notes.txt", b"* Text promise\n"),
    ]);
    let rows = json(
        followup()
            .current_dir(dir.path())
            .args(["list", "--format", "json"]),
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["path"], "a/call.markdown");
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let dir = notes_dir(&[
        ("acme/2026-11-16-call.md", CALL.as_bytes()),
        ("acme/latin1.md", b"# Caf\xE9 call\n* Send the menu\n"),
        ("acme/empty.md", b""),
    ]);
    followup()
        .current_dir(dir.path())
        .args(["list", "--format", "json"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("Send the pricing sheet"))
        .stderr(predicate::str::contains(
            "error: acme/latin1.md: not valid UTF-8 (first bad byte at line 1, column 6)",
        ))
        // An empty note is no news (a daily-note template leaves one a day).
        .stderr(predicate::str::contains("empty.md").not());
}

#[test]
fn a_missing_path_is_an_error_naming_it() {
    followup()
        .args(["list", "no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: no/such/folder:"));
}

#[test]
fn bad_today_is_a_usage_error() {
    followup()
        .args(["list", "--today", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`2026-02-30` is not a date"));
}

#[test]
fn unreadable_file_is_reported_and_others_are_read() {
    let Some(mut cmd) = unprivileged() else {
        return;
    };
    let dir = notes_dir(&[
        ("a/ok.md", b"* Readable promise\n"),
        ("a/locked.md", b"* Locked\n"),
    ]);
    // Everything but the locked note must be reachable by `nobody`.
    open_to_everyone(dir.path());
    let locked = dir.path().join("a/locked.md");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let out = cmd
        .current_dir(dir.path())
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("error: a/locked.md: Permission denied"),
        "stderr: {stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Readable promise"));
}

#[test]
fn output_is_deterministic_across_runs() {
    let dir = notes_dir(&[]);
    for i in 0..40 {
        write(
            dir.path(),
            &format!("c{}/2026-11-{:02}-call-{i}.md", i % 7, i % 28 + 1),
            CALL.as_bytes(),
        );
    }
    let a = stdout_of(
        followup()
            .current_dir(dir.path())
            .args(["list", "--today", "2026-11-23"]),
    );
    let b = stdout_of(
        followup()
            .current_dir(dir.path())
            .args(["list", "--today", "2026-11-23"]),
    );
    assert_eq!(a, b);
    assert_eq!(a.lines().count(), 121);
}

/// Notes of two customers whose names sort otherwise than their slugs (`Acme Zeta`,
/// `acme-zeta`, before `Acme-Beta Worldwide`, `acme-beta-worldwide`), and one without.
const TIES: &[(&str, &[u8])] = &[
    (
        "acme-beta/2026-11-02-b.md",
        b"---\ncustomer: Acme-Beta Worldwide\n---\n* B undated\n* B due 20 @due(2026-11-20)\n\
          - [ ] B high \xe2\x8f\xab\n",
    ),
    (
        "acme-zeta/2026-11-01-a.md",
        b"---\ncustomer: Acme Zeta\n---\n* Z due 20 @due(2026-11-20)\n\
          - [ ] Z high \xe2\x8f\xab \xf0\x9f\x93\x85 2026-11-25\n",
    ),
    (
        "acme-zeta/2026-11-03-c.md",
        b"---\ncustomer: Acme Zeta\n---\n* Z2 due 20 @due(2026-11-20)\n\
          * Z2 due 18 @due(2026-11-18)\n",
    ),
    (
        "loose.md",
        b"* Loose due 20 @due(2026-11-20)\n- [ ] Loose high \xe2\x8f\xab\n",
    ),
];

#[test]
fn each_sort_breaks_ties_by_due_then_path_and_line() {
    let dir = notes_dir(TIES);
    let run = |sort: &str| texts(dir.path(), &["--today", "2026-11-23", "--sort", sort]);
    assert_eq!(
        run("due"),
        [
            "Z2 due 18",
            "B due 20",
            "Z due 20",
            "Z2 due 20",
            "Loose due 20",
            "Z high",
            "B undated",
            "B high",
            "Loose high",
        ]
    );
    assert_eq!(
        run("priority"),
        [
            "Z high",
            "B high",
            "Loose high",
            "Z2 due 18",
            "B due 20",
            "Z due 20",
            "Z2 due 20",
            "Loose due 20",
            "B undated",
        ]
    );
    // By display name ignoring case (`acme zeta` before `acme-beta worldwide`), not by slug.
    assert_eq!(
        run("customer"),
        [
            "Z2 due 18",
            "Z due 20",
            "Z2 due 20",
            "Z high",
            "B due 20",
            "B undated",
            "B high",
            "Loose due 20",
            "Loose high",
        ]
    );
    assert_eq!(
        run("path"),
        [
            "B undated",
            "B due 20",
            "B high",
            "Z due 20",
            "Z high",
            "Z2 due 20",
            "Z2 due 18",
            "Loose due 20",
            "Loose high",
        ]
    );
}

#[test]
fn table_columns_fit_the_rows_shown() {
    let dir = notes_dir(TIES);
    let table = |args: &[&str]| {
        stdout_of(
            followup()
                .current_dir(dir.path())
                .args(["list", "--today", "2026-11-23"])
                .args(args),
        )
    };
    insta::assert_snapshot!(table(&["--sort", "customer"]), @r"
    DUE         WHEN         STATUS  CUSTOMER             LOCATION                     TEXT
    2026-11-18  5 days late  open    Acme Zeta            acme-zeta/2026-11-03-c.md:5  Z2 due 18
    2026-11-20  3 days late  open    Acme Zeta            acme-zeta/2026-11-01-a.md:4  Z due 20
    2026-11-20  3 days late  open    Acme Zeta            acme-zeta/2026-11-03-c.md:4  Z2 due 20
    2026-11-25  in 2 days    open    Acme Zeta            acme-zeta/2026-11-01-a.md:5  Z high
    2026-11-20  3 days late  open    Acme-Beta Worldwide  acme-beta/2026-11-02-b.md:5  B due 20
    -                        open    Acme-Beta Worldwide  acme-beta/2026-11-02-b.md:4  B undated
    -                        open    Acme-Beta Worldwide  acme-beta/2026-11-02-b.md:6  B high
    2026-11-20  3 days late  open    -                    loose.md:1                   Loose due 20
    -                        open    -                    loose.md:2                   Loose high
    ");
    // Acme-Beta Worldwide's rows left out: the customer column is as wide as Acme Zeta.
    insta::assert_snapshot!(
        table(&["--customer", "acme z", "--status", "open"]),
        @r"
    DUE         WHEN         STATUS  CUSTOMER   LOCATION                     TEXT
    2026-11-18  5 days late  open    Acme Zeta  acme-zeta/2026-11-03-c.md:5  Z2 due 18
    2026-11-20  3 days late  open    Acme Zeta  acme-zeta/2026-11-01-a.md:4  Z due 20
    2026-11-20  3 days late  open    Acme Zeta  acme-zeta/2026-11-03-c.md:4  Z2 due 20
    2026-11-25  in 2 days    open    Acme Zeta  acme-zeta/2026-11-01-a.md:5  Z high
    "
    );
}
