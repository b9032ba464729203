//! Obsidian Tasks compatibility: task lines copied from Obsidian Tasks' own docs, demo
//! vault and unit tests (obsidian-tasks-group/obsidian-tasks, MIT licensed; the file each
//! line comes from is named beside it), read as Obsidian Tasks reads them: status, due,
//! scheduled, start, priority and recurrence per line. Then statuses, `%%` comments,
//! the global filter, and `done` on recurring items, byte for byte, with `--dry-run`
//! diffs. The differences we keep on purpose are listed in docs/format.md.

use serde_json::Value;

use crate::{followup, notes_dir, stdout_of};

/// (upstream file, line, status, due, scheduled, start, priority, recurrence).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const ALL_FORMATS: &str = "resources/sample_vaults/Tasks-Demo/Formats/All Formats Parsing.md";
const DATAVIEW_FORMAT: &str = "resources/sample_vaults/Tasks-Demo/Formats/Dataview Format.md";
const TASKS_FORMAT: &str = "resources/sample_vaults/Tasks-Demo/Formats/Tasks Format.md";
const TASK_TEST: &str = "tests/Task/Task.test.ts";
const DATAVIEW_TEST: &str = "tests/TaskSerializer/DataviewTaskSerializer.test.ts";
const ON_COMPLETION_TEST: &str = "tests/Task/OnCompletion.test.ts";
const CHECKBOXES: &str =
    "resources/sample_vaults/Tasks-Demo/Manual Testing/SlrVb's Alternate Checkboxes.md";

const LINES: &[Row] = &[
    (ALL_FORMATS, "- [/] #task This was Tasks format ⏫ 🔁 every day 🛫 2023-04-05 ⏳ 2023-04-06 📅 2023-04-07",
        "open", Some("2023-04-07"), Some("2023-04-06"), Some("2023-04-05"), Some("high"), Some("every day")),
    (ALL_FORMATS, "- [/] #task This was dataview [priority:: high] [repeat:: every day] [start:: 2023-04-05] [scheduled:: 2023-04-06] [due:: 2023-04-07]",
        "open", Some("2023-04-07"), Some("2023-04-06"), Some("2023-04-05"), Some("high"), Some("every day")),
    (DATAVIEW_FORMAT, "- [x] #task Has a done date  [completion:: 2023-04-17]",
        "done", None, None, None, None, None),
    (DATAVIEW_FORMAT, "- [-] #task Has a cancelled date  [cancelled:: 2023-04-18]",
        "cancelled", None, None, None, None, None),
    (DATAVIEW_FORMAT, "- [ ] #task Lowest priority  [priority:: lowest]",
        "open", None, None, None, Some("lowest"), None),
    (DATAVIEW_FORMAT, "- [ ] #task Is a recurring task  [repeat:: every day when done]",
        "open", None, None, None, None, Some("every day when done")),
    (DATAVIEW_FORMAT, "- [ ] #task Has one of every field except done  [priority:: high]  [repeat:: every day]  [start:: 2023-04-24]  [scheduled:: 2023-04-26]  [due:: 2023-04-27]",
        "open", Some("2023-04-27"), Some("2023-04-26"), Some("2023-04-24"), Some("high"), Some("every day")),
    (TASKS_FORMAT, "- [ ] #task Has a start date 🛫 2023-04-15",
        "open", None, None, Some("2023-04-15"), None, None),
    (TASKS_FORMAT, "- [ ] #task Highest priority 🔺",
        "open", None, None, None, Some("highest"), None),
    (TASKS_FORMAT, "- [ ] #task Low priority 🔽",
        "open", None, None, None, Some("low"), None),
    (TASKS_FORMAT, "- [ ] #task Normal priority",
        "open", None, None, None, None, None),
    (TASKS_FORMAT, "- [x] #task Has a done date ✅ 2023-04-17",
        "done", None, None, None, None, None),
    (TASKS_FORMAT, "- [ ] #task Remove completed instance of this recurring task when done 🔁 every day 🏁 delete",
        "open", None, None, None, None, Some("every day")),
    (TASK_TEST, "- [ ] Wobble ✅2022-07-01 📅2022-07-02 ⏳2022-07-03 🛫2022-07-04 ➕2022-07-05 🔁every day",
        "open", Some("2022-07-02"), Some("2022-07-03"), Some("2022-07-04"), None, Some("every day")),
    (TASK_TEST, "- [ ] Wobble ✅  2022-07-01 📅  2022-07-02 ⏳  2022-07-03 🛫  2022-07-04 ➕   2022-07-05 🔁  every day",
        "open", Some("2022-07-02"), Some("2022-07-03"), Some("2022-07-04"), None, Some("every day")),
    (TASK_TEST, "> - [ ] Task inside a blockquote or callout 📅2022-07-29",
        "open", Some("2022-07-29"), None, None, None, None),
    (TASK_TEST, "- [ ] this is a task due 📅 2021-09-12 #inside_tag ⏫ #some/tags_with_underscore",
        "open", Some("2021-09-12"), None, None, Some("high"), None),
    (TASK_TEST, "- [ ] Export [Cloud Feedly feeds](https://cloud.feedly.com/#opml) #context/pc_clare ⏳ 2022-05-15 🔁 every 4 weeks on Sunday #context/more_context",
        "open", None, Some("2022-05-15"), None, None, Some("every 4 weeks on Sunday")),
    (TASK_TEST, "- [ ] this is a task 📅 2021-09-12 ^my-precious",
        "open", Some("2021-09-12"), None, None, None, None),
    (TASK_TEST, "- [ ] this is a task 🗓 2021-09-12 🔁 every day",
        "open", Some("2021-09-12"), None, None, None, Some("every day")),
    (TASK_TEST, "- [X] Stuff 📅 2023-12-15 ✅ 2019-01-17",
        "done", Some("2023-12-15"), None, None, None, None),
    (DATAVIEW_TEST, "- [ ] Some task that is (due::2021-08-22) (priority:: high)",
        "open", Some("2021-08-22"), None, None, Some("high"), None),
    (ON_COMPLETION_TEST, "- [ ] A recurring task with \"delete\" Action 🔁 every day 🏁 delete 📅 2024-02-10",
        "open", Some("2024-02-10"), None, None, None, Some("every day")),
    (CHECKBOXES, "- [>] #task `>` Forward", "open", None, None, None, None, None),
    (CHECKBOXES, "- [<] #task `<` Migrated", "open", None, None, None, None, None),
    (CHECKBOXES, "- [?] #task `?` Question", "open", None, None, None, None, None),
    (CHECKBOXES, "- [!] #task `!` Important", "open", None, None, None, None, None),
    (CHECKBOXES, "- [X] #task `X` Checked", "done", None, None, None, None, None),
];

/// `followup list DIR --format json`, as JSON rows.
/// `list --format json` in line order (unless `args` sort otherwise), so rows line up
/// with the lines written.
fn list_json(dir: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let sort: &[&str] = if args.contains(&"--sort") {
        &[]
    } else {
        &["--sort", "path"]
    };
    let out = stdout_of(
        followup()
            .current_dir(dir)
            .args(["list", "notes", "--format", "json"])
            .args(sort)
            .args(args),
    );
    serde_json::from_str::<Value>(&out)
        .unwrap_or_else(|e| panic!("{e}: {out}"))
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn lines_from_obsidian_tasks_read_as_obsidian_tasks_reads_them() {
    // Blank lines between them: a `>` line would take the next one into its quote.
    let note: String = LINES.iter().map(|r| format!("{}\n\n", r.1)).collect();
    let dir = notes_dir(&[("notes/vault/2026-11-16-tasks.md", note.as_bytes())]);
    let rows = list_json(dir.path(), &[]);
    assert_eq!(rows.len(), LINES.len(), "one commitment per line");
    for (row, (from, line, status, due, scheduled, start, priority, recurrence)) in
        rows.iter().zip(LINES)
    {
        let got = |k: &str| row[k].as_str().map(str::to_owned);
        let own = |v: &Option<&str>| v.map(str::to_owned);
        assert_eq!(
            (
                got("status"),
                got("due"),
                got("scheduled"),
                got("start"),
                got("priority"),
                got("recurrence")
            ),
            (
                Some(status.to_string()),
                own(due),
                own(scheduled),
                own(start),
                own(priority),
                own(recurrence)
            ),
            "{line}\n  (from obsidian-tasks {from})"
        );
    }
    let text = |i: usize| rows[i]["text"].as_str().unwrap().to_owned();
    // The #tag after the rule stays in the text; the block link does not.
    assert_eq!(
        text(17),
        "Export Cloud Feedly feeds #context/pc_clare #context/more_context"
    );
    assert_eq!(text(18), "this is a task");
    assert_eq!(rows[0]["status_type"], "IN_PROGRESS");
    assert_eq!(rows[12]["on_completion"], "delete");
}

#[test]
fn ids_dependencies_and_on_completion_are_in_the_json() {
    // resources/sample_vaults/Tasks-Demo/Formats/Tasks Format.md and Dataview Format.md
    let note = "- [ ] #task do this first 🆔 dcf64c\n\
                - [ ] #task do this after first and some other task ⛔ dcf64c,0h17ye\n\
                - [ ] #task do this after first and some other task  [dependsOn:: dcf64c,0h17ye]\n\
                - [ ] #task Remove this task when done  [onCompletion:: delete]\n\
                - [ ] #task Has a created date ➕ 2023-04-13\n";
    let dir = notes_dir(&[("notes/vault/tasks.md", note.as_bytes())]);
    let rows = list_json(dir.path(), &[]);
    assert_eq!(rows[0]["id"], "dcf64c");
    assert_eq!(
        rows[1]["depends_on"],
        serde_json::json!(["dcf64c", "0h17ye"])
    );
    assert_eq!(
        rows[2]["depends_on"],
        serde_json::json!(["dcf64c", "0h17ye"])
    );
    assert_eq!(rows[3]["on_completion"], "delete");
    assert_eq!(rows[4]["created"], "2023-04-13");
    assert_eq!(
        rows[1]["text"],
        "#task do this after first and some other task"
    );
}

#[test]
fn statuses_can_be_retyped_and_non_tasks_are_not_commitments() {
    let note =
        "- [i] Dana prefers email\n- [d] Drafting the SOW 📅 2026-11-27\n- [/] Pricing sheet\n";
    let dir = notes_dir(&[
        ("notes/acme/2026-11-16-call.md", note.as_bytes()),
        (
            "followup.toml",
            b"[statuses]\ni = \"non-task\"\nd = { type = \"in-progress\", name = \"Doing\" }\n",
        ),
    ]);
    let rows = list_json(dir.path(), &[]);
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["text"].as_str().unwrap().to_owned(),
                r["status_type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Drafting the SOW".to_owned(), "IN_PROGRESS".to_owned()),
            ("Pricing sheet".to_owned(), "IN_PROGRESS".to_owned())
        ]
    );
}

#[test]
fn obsidian_comments_hide_tasks() {
    // docs/Getting Started/Getting Started.md: "Tasks does not read any tasks that are
    // inside these comments".
    let note = "- [ ] Send the deck 📅 2026-11-27 %% 📅 2026-11-20 %%\n%%\n- [ ] Hidden task\n%%\n- [ ] Seen\n";
    let dir = notes_dir(&[("notes/acme/2026-11-16-call.md", note.as_bytes())]);
    let rows = list_json(dir.path(), &[]);
    let got: Vec<(&str, &Value)> = rows
        .iter()
        .map(|r| (r["text"].as_str().unwrap(), &r["due"]))
        .collect();
    assert_eq!(
        got,
        [
            ("Send the deck", &Value::from("2026-11-27")),
            ("Seen", &Value::Null)
        ]
    );
}

#[test]
fn the_global_filter_picks_task_items() {
    let note = "- [ ] #task Send the deck\n- [ ] Not a task for Obsidian\n* Our own star bullet\n";
    let dir = notes_dir(&[
        ("notes/acme/2026-11-16-call.md", note.as_bytes()),
        (
            "followup.toml",
            b"[tasks]\nglobal-filter = \"#task\"\nremove-global-filter = true\n",
        ),
    ]);
    let rows = list_json(dir.path(), &[]);
    let texts: Vec<&str> = rows.iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Send the deck", "Our own star bullet"]);
}

#[test]
fn list_sorts_by_priority() {
    // Priorities as in Tasks Format.md.
    let note = "- [ ] Low 🔽\n- [ ] Normal\n- [ ] Highest 🔺\n- [ ] Medium 🔼\n- [ ] High [priority:: high]\n- [ ] Lowest ⏬\n";
    let dir = notes_dir(&[("notes/acme/2026-11-16-call.md", note.as_bytes())]);
    let rows = list_json(dir.path(), &["--sort", "priority"]);
    let texts: Vec<&str> = rows.iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        ["Highest", "High", "Medium", "Normal", "Low", "Lowest"]
    );
}

/// Run `followup done ARGS --today 2026-11-23` in `dir`: (stdout, stderr, exit code).
fn done(dir: &std::path::Path, args: &[&str]) -> (String, String, Option<i32>) {
    let out = followup()
        .current_dir(dir)
        .arg("done")
        .args(args)
        .args(["--today", "2026-11-23"])
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

/// (what, note, line, `--dry-run` output, the note after `done`).
const RECURRING: &[(&str, &str, &str, &str, &str)] = &[
    (
        "emoji, with a block link",
        "# Call\r\n- [ ] Weekly report to Dana 🔁 every week 📅 2026-11-20 ^e5bebf\r\n* After\r\n",
        "2",
        "--- n/2026-11-16-call.md\n+++ n/2026-11-16-call.md\n@@ -1,3 +1,4 @@\n\
         \x20# Call\n\
         -- [ ] Weekly report to Dana 🔁 every week 📅 2026-11-20 ^e5bebf\n\
         +- [ ] Weekly report to Dana 🔁 every week 📅 2026-11-27 ^e5bebf\n\
         +- [x] Weekly report to Dana 🔁 every week 📅 2026-11-20 ✅ 2026-11-23 ^e5bebf\n\
         \x20* After\n\
         would mark done: n/2026-11-16-call.md:2 Weekly report to Dana\n\
         next occurrence (every week, due 2026-11-27): n/2026-11-16-call.md:2 Weekly report to Dana\n",
        "# Call\r\n- [ ] Weekly report to Dana 🔁 every week 📅 2026-11-27 ^e5bebf\r\n\
         - [x] Weekly report to Dana 🔁 every week 📅 2026-11-20 ✅ 2026-11-23 ^e5bebf\r\n* After\r\n",
    ),
    (
        "Dataview, when done",
        "- [/] Invoice Acme [repeat:: every month when done] [scheduled:: 2026-11-01] [due:: 2026-11-05]",
        "1",
        "--- n/2026-11-16-call.md\n+++ n/2026-11-16-call.md\n@@ -1 +1,2 @@\n\
         -- [/] Invoice Acme [repeat:: every month when done] [scheduled:: 2026-11-01] [due:: 2026-11-05]\n\
         \\ No newline at end of file\n\
         +- [ ] Invoice Acme [repeat:: every month when done] [scheduled:: 2026-12-19] [due:: 2026-12-23]\n\
         +- [x] Invoice Acme [repeat:: every month when done] [scheduled:: 2026-11-01] [due:: 2026-11-05]  [completion:: 2026-11-23]\n\
         \\ No newline at end of file\n\
         would mark done: n/2026-11-16-call.md:1 Invoice Acme\n\
         next occurrence (every month when done, due 2026-12-23): n/2026-11-16-call.md:1 Invoice Acme\n",
        "- [ ] Invoice Acme [repeat:: every month when done] [scheduled:: 2026-12-19] [due:: 2026-12-23]\n\
         - [x] Invoice Acme [repeat:: every month when done] [scheduled:: 2026-11-01] [due:: 2026-11-05]  [completion:: 2026-11-23]",
    ),
    (
        "@every, relative due date",
        "* Check in with Dana @every(2w) @due(fri)\n  about the rollout\n",
        "1",
        "--- n/2026-11-16-call.md\n+++ n/2026-11-16-call.md\n@@ -1,2 +1,3 @@\n\
         -* Check in with Dana @every(2w) @due(fri)\n\
         +* Check in with Dana @every(2w) @due(2026-12-04)\n\
         +* Check in with Dana @every(2w) @due(fri) @done(2026-11-23)\n\
         \x20  about the rollout\n\
         would mark done: n/2026-11-16-call.md:1 Check in with Dana about the rollout\n\
         next occurrence (every 2 weeks, due 2026-12-04): n/2026-11-16-call.md:1 Check in with Dana\n",
        "* Check in with Dana @every(2w) @due(2026-12-04)\n\
         * Check in with Dana @every(2w) @due(fri) @done(2026-11-23)\n  about the rollout\n",
    ),
];

#[test]
fn done_on_recurring_items_adds_the_next_one_byte_for_byte() {
    for (what, note, line, dry, after) in RECURRING {
        let dir = notes_dir(&[("n/2026-11-16-call.md", note.as_bytes())]);
        let locator = format!("n/2026-11-16-call.md:{line}");
        let (out, err, code) = done(dir.path(), &[&locator, "--dry-run"]);
        assert_eq!((code, out.as_str()), (Some(0), *dry), "{what}: {err}");
        let unchanged = std::fs::read(dir.path().join("n/2026-11-16-call.md")).unwrap();
        assert_eq!(
            unchanged,
            note.as_bytes(),
            "{what}: --dry-run writes nothing"
        );
        let (_, err, code) = done(dir.path(), &[&locator]);
        assert_eq!(code, Some(0), "{what}: {err}");
        let written = std::fs::read(dir.path().join("n/2026-11-16-call.md")).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), *after, "{what}");
    }
}

#[test]
fn done_below_and_on_completion_delete() {
    let note = "- [ ] Standup notes 🔁 every weekday 📅 2026-11-20\n- [ ] One-off 📅 2026-11-20 🏁 delete\n";
    let dir = notes_dir(&[
        ("n/2026-11-16-call.md", note.as_bytes()),
        ("followup.toml", b"[tasks]\nnew-occurrence = \"below\"\n"),
    ]);
    let (_, err, code) = done(
        dir.path(),
        &["n/2026-11-16-call.md:1", "n/2026-11-16-call.md:2"],
    );
    assert_eq!(code, Some(0), "{err}");
    let written = std::fs::read_to_string(dir.path().join("n/2026-11-16-call.md")).unwrap();
    assert_eq!(
        written,
        "- [x] Standup notes 🔁 every weekday 📅 2026-11-20 ✅ 2026-11-23\n\
         - [ ] Standup notes 🔁 every weekday 📅 2026-11-23\n"
    );
}

#[test]
fn the_issue_case_done_before_the_block_link() {
    let dir = notes_dir(&[(
        "n/2026-11-16-call.md",
        "- [ ] Task 📅 2026-11-20 ^e5bebf\n".as_bytes(),
    )]);
    let (_, err, code) = done(dir.path(), &["n/2026-11-16-call.md:1"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("n/2026-11-16-call.md")).unwrap(),
        "- [x] Task 📅 2026-11-20 ✅ 2026-11-23 ^e5bebf\n"
    );
}

/// The first ```markdown block after `heading` in a docs page, and the page.
fn docs_example(page: &str, heading: &str) -> (String, String) {
    let docs = std::fs::read_to_string(crate::root().join(page)).unwrap();
    let note = docs
        .split(heading)
        .nth(1)
        .and_then(|s| s.split("```markdown\n").nth(1))
        .and_then(|s| s.split("```\n").next())
        .unwrap_or_else(|| panic!("{page}: no example under {heading}"))
        .to_owned();
    (docs, note)
}

#[test]
fn docs_format_md_shows_real_output() {
    let (docs, note) = docs_example("docs/format.md", "## Obsidian Tasks");
    let dir = notes_dir(&[("notes/acme/2026-11-16-rollout-call.md", note.as_bytes())]);
    for args in [
        &[
            "list",
            "notes",
            "--today",
            "2026-11-23",
            "--sort",
            "priority",
        ][..],
        &["agenda", "notes", "--today", "2026-11-23"][..],
    ] {
        let out = stdout_of(followup().current_dir(dir.path()).args(args));
        assert!(
            docs.contains(&out),
            "docs/format.md does not show what {args:?} prints:\n{out}"
        );
    }
}

#[test]
fn docs_editing_md_shows_real_recurring_done() {
    let (docs, note) = docs_example("docs/editing.md", "### Recurring commitments");
    let dir = notes_dir(&[("notes/acme/2026-11-16-rollout-call.md", note.as_bytes())]);
    let lines: Vec<String> = (3..=6)
        .map(|l| format!("notes/acme/2026-11-16-rollout-call.md:{l}"))
        .collect();
    let mut args: Vec<&str> = lines.iter().map(String::as_str).collect();
    args.push("--dry-run");
    let (out, err, code) = done(dir.path(), &args);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        docs.contains(&out),
        "docs/editing.md does not show the dry run:\n{out}"
    );
    args.pop();
    let (out, err, code) = done(dir.path(), &args);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        docs.contains(&out),
        "docs/editing.md does not show what done prints:\n{out}"
    );
    let after =
        std::fs::read_to_string(dir.path().join("notes/acme/2026-11-16-rollout-call.md")).unwrap();
    assert_eq!(
        after,
        "# Rollout call with Dana, 2026-11-16\n\n\
         - [ ] Weekly status mail to Dana 🔁 every week on Friday 📅 2026-11-27 ^status\n\
         - [x] Weekly status mail to Dana 🔁 every week on Friday 📅 2026-11-20 ✅ 2026-11-23 ^status\n\
         - [ ] Invoice Acme [repeat:: every month when done] [due:: 2026-12-23]\n\
         - [x] Invoice Acme [repeat:: every month when done] [due:: 2026-11-05]  [completion:: 2026-11-23]\n\
         * Check in with Dana @every(2w) @due(2026-12-04)\n\
         * Check in with Dana @every(2w) @due(fri) @done(2026-11-23)\n"
    );
}
