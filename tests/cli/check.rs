//! `followup check`: every rule, every format, exit codes, hostile note text.

use std::path::PathBuf;

use serde_json::Value;

use crate::{followup, notes_dir, root, stdout_of};

/// The folder of per-rule fixtures: `RULE/notes/...`.
fn fixtures() -> PathBuf {
    root().join("tests/fixtures/check")
}

fn rule_dirs() -> Vec<(String, PathBuf)> {
    let mut dirs: Vec<_> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    dirs.sort();
    dirs
}

/// `followup check notes --today 2026-11-23 ARGS` in a rule's fixture folder.
fn check_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    followup()
        .current_dir(dir)
        .args(["check", "notes", "--today", "2026-11-23"])
        .args(args)
        .output()
        .expect("runs")
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("UTF-8 output")
}

#[test]
fn every_rule_has_a_fixture_that_fires_it() {
    let names: Vec<_> = rule_dirs().into_iter().map(|(n, _)| n).collect();
    let listed = stdout_of(followup().args(["rule", "--list"]));
    let rules: Vec<&str> = listed
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut sorted = rules.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "one fixture folder per rule");
    for (rule, dir) in rule_dirs() {
        let out = text(check_in(&dir, &["--format", "concise", "-q"]).stdout);
        assert!(
            out.contains(&format!("[{rule}]: ")),
            "{rule} does not fire on its fixture:\n{out}"
        );
        insta::assert_snapshot!(format!("concise-{rule}"), out);
    }
}

#[test]
fn docs_show_the_real_output_of_every_rule() {
    let docs = std::fs::read_to_string(root().join("docs/rules.md")).expect("docs/rules.md");
    for (rule, dir) in rule_dirs() {
        let out = text(check_in(&dir, &["-q"]).stdout);
        assert!(
            docs.contains(out.trim_end()),
            "docs/rules.md does not show what `check` prints for {rule}; it prints:\n{out}"
        );
        let shown = stdout_of(followup().args(["rule", &rule, "--format", "markdown"]));
        assert!(shown.starts_with(&format!("## `{rule}`")), "{shown}");
        assert!(docs.contains(shown.trim_end()));
    }
}

#[test]
fn every_format_on_all_rules() {
    for format in ["human", "concise", "json", "github", "sarif"] {
        let out = all_rules(&["--format", format, "-q"]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(out.stderr.is_empty(), "-q: nothing on stderr");
        insta::assert_snapshot!(format!("format-{format}"), text(out.stdout));
    }
}

/// `check` in the fixtures root, whose `notes` does not exist: paths are `RULE/notes`.
fn all_rules(args: &[&str]) -> std::process::Output {
    followup()
        .current_dir(fixtures())
        .args(["check", ".", "--today", "2026-11-23"])
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn json_is_sorted_and_complete() {
    let out = all_rules(&["--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["version"], 1);
    let diags = v["diagnostics"].as_array().expect("array");
    let keys: Vec<(String, u64, u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Customer and dependency findings need every note read first: they follow the
    // notes' own.
    let customer = |k: &(String, u64, u64, String)| {
        ["no-contact", "stale-contact", "unknown-dependency"].contains(&k.3.as_str())
    };
    let split = keys.iter().position(customer).unwrap_or(keys.len());
    assert!(keys[split..].iter().all(customer), "{keys:?}");
    for part in [&keys[..split], &keys[split..]] {
        let mut sorted = part.to_vec();
        sorted.sort();
        assert_eq!(part, sorted, "sorted by path, line, column, rule");
    }
    for d in diags {
        for field in ["end_line", "end_column", "severity", "message", "help"] {
            assert!(!d[field].is_null(), "{field} in {d}");
        }
    }
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(v["summary"]["errors"], errors);
    assert_eq!(v["summary"]["files"], 25);
    let summary = text(out.stderr);
    assert!(
        summary.starts_with("Checked 25 files, 34 commitments: "),
        "{summary}"
    );
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json"))
            .expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let out = all_rules(&["--format", "sarif"]);
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // And what code scanning needs beyond the schema.
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "followup");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap().len();
    assert_eq!(
        rules,
        followup::rules::Rule::ALL.len(),
        "every rule is described"
    );
    let result = &run["results"][0];
    assert!(result["ruleId"].is_string());
    let region = &result["locations"][0]["physicalLocation"]["region"];
    for key in ["startLine", "startColumn", "endLine", "endColumn"] {
        assert!(region[key].as_u64().unwrap() >= 1, "{key}");
    }
    // A schema validator that accepts anything would make this test worthless.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn exit_codes_follow_fail_on_and_exit_zero() {
    let warn_only = fixtures().join("missing-due");
    let code = |dir: &std::path::Path, args: &[&str]| check_in(dir, args).status.code();
    assert_eq!(
        code(&warn_only, &[]),
        Some(0),
        "warnings don't fail by default"
    );
    assert_eq!(code(&warn_only, &["--fail-on", "warning"]), Some(1));
    assert_eq!(code(&warn_only, &["--fail-on", "error"]), Some(0));
    let info_only = fixtures().join("due-soon");
    assert_eq!(code(&info_only, &["--fail-on", "warning"]), Some(0));
    assert_eq!(code(&info_only, &["--fail-on", "info"]), Some(1));
    let errors = fixtures().join("overdue");
    assert_eq!(code(&errors, &[]), Some(1));
    assert_eq!(code(&errors, &["--exit-zero"]), Some(0));
    // A usage error and a missing path are 2, even with --exit-zero.
    assert_eq!(code(&errors, &["--fail-on", "fatal"]), Some(2));
    let missing = followup()
        .args(["check", "no/such/folder", "--exit-zero"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(missing.stderr).contains("no/such/folder"));
}

#[test]
fn summary_on_stderr_and_quiet() {
    let dir = fixtures().join("overdue");
    let out = check_in(&dir, &["--format", "concise"]);
    assert_eq!(
        text(out.stderr),
        "Checked 1 file, 2 commitments: 1 error, 0 warnings, 0 infos\n"
    );
    let clean = notes_dir(&[("notes/a.md", b"* Done thing @done(2026-11-01)\n")]);
    let out = check_in(clean.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(out.stderr),
        "Checked 1 file, 1 commitment: 0 errors, 0 warnings, 0 infos\n"
    );
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let dir = fixtures().join("overdue");
    let plain = text(check_in(&dir, &[]).stdout);
    assert!(!plain.contains('\x1b'), "NO_COLOR and not a terminal");
    let forced = text(check_in(&dir, &["--color", "always"]).stdout);
    assert!(forced.contains("\x1b["), "--color always");
    let auto = followup()
        .current_dir(&dir)
        .env_remove("NO_COLOR")
        .args(["check", "notes", "--today", "2026-11-23"])
        .output()
        .unwrap();
    assert!(!auto.stdout.contains(&0x1b), "a pipe is not a terminal");
}

/// Note text that tries to take over a terminal or a CI log.
const HOSTILE: &str = "---\ndate: 2026-11-16\n---\n\
* Evil \x1b[2J\x1b]0;pwned\x07 %0A::error::x ::warning file=a::b @due(2026-11-01)\n\
* Split \r::error::injected @due(2026-11-02)\n\
* Bidi \u{202E}txet @due(2026-11-03)\n\
- [ ] ::add-mask::secret @deu(2026-11-04)\n";

#[test]
fn hostile_note_text_is_inert_in_every_format() {
    let dir = notes_dir(&[("notes/::error::x.md", HOSTILE.as_bytes())]);
    for format in ["human", "concise", "github", "json", "sarif"] {
        let out = check_in(dir.path(), &["--format", format]);
        let stdout = text(out.stdout);
        assert!(
            stdout.contains("overdue"),
            "{format} reports the items:\n{stdout}"
        );
        // Nothing that acts on a terminal: no ESC, BEL, CR, C1 or bidi controls.
        assert!(
            !stdout
                .chars()
                .any(|c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c)),
            "{format}: control character in {stdout:?}"
        );
        // No line can be a workflow command, except github's own annotations.
        for line in stdout.lines() {
            if format == "github" {
                assert!(
                    line.starts_with("::error file=")
                        || line.starts_with("::warning file=")
                        || line.starts_with("::notice file="),
                    "{line}"
                );
                let data = line.split_once("::").unwrap().1.split_once("::").unwrap().1;
                assert!(!data.contains('\r') && !data.contains('\n'));
            } else {
                assert!(!line.starts_with("::"), "{format}: {line}");
            }
        }
        if format == "json" || format == "sarif" {
            let v: Value = serde_json::from_str(&stdout).expect("still valid JSON");
            let all = v.to_string();
            assert!(all.contains("\\u001b[2J"), "{format} escapes ESC as data");
        }
    }
}

#[test]
fn rule_command_explains_and_lists() {
    let out = followup().args(["rule", "overdue"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let shown = text(out.stdout);
    // For a terminal: no markdown markup.
    assert!(shown.starts_with("overdue\n-------\n"), "{shown}");
    assert!(shown.contains("Default level: error\n"));
    assert!(shown.contains("\nHOW TO FIX\n"));
    assert!(!shown.contains("```") && !shown.contains("**"));
    let raw = stdout_of(followup().args(["rule", "overdue", "--format", "markdown"]));
    assert!(raw.contains("Default level: **error**"));
    assert!(raw.contains("### How to fix"));
    let list = stdout_of(followup().args(["rule", "--list"]));
    assert!(list.contains("missing-due"));
    assert!(list
        .lines()
        .any(|l| l.starts_with("overdue") && l.contains("error")));
    let bad = followup().args(["rule", "overdu"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        text(bad.stderr),
        "error: there is no rule `overdu`; did you mean `overdue`?\n"
    );
}

#[test]
fn per_rule_summary_after_human_output_and_statistics() {
    let out = all_rules(&[]);
    let stderr = text(out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let checked = lines
        .iter()
        .position(|l| l.starts_with("Checked "))
        .unwrap();
    let summary = lines[..checked].join(" ");
    assert!(summary.contains(" overdue,"), "{stderr}");
    assert!(summary.contains(" missing-due"), "{stderr}");
    // Not for the machine formats.
    let concise = all_rules(&["--format", "concise"]);
    assert!(text(concise.stderr).starts_with("Checked "));

    let stats = all_rules(&["--statistics"]);
    let table = text(stats.stdout);
    assert!(table.starts_with("count  rule"), "{table}");
    assert!(table
        .lines()
        .any(|l| l.split_whitespace().collect::<Vec<_>>()[1..] == ["overdue", "error"]));
    let json = all_rules(&["--statistics", "--format", "json"]);
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let rows = v.as_array().expect("an array");
    assert!(rows
        .iter()
        .any(|r| r["rule"] == "overdue" && r["level"] == "error" && r["count"].as_u64() > Some(0)));
    assert_eq!(
        all_rules(&["--statistics", "--format", "sarif"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn select_and_ignore_lay_over_the_configuration() {
    let concise = |args: &[&str]| {
        let mut all = vec!["--format", "concise"];
        all.extend(args);
        text(all_rules(&all).stdout)
    };
    let rules_in = |out: &str| {
        let mut rules: Vec<String> = out
            .lines()
            .filter_map(|l| l.split_once('[')?.1.split_once(']').map(|r| r.0.to_owned()))
            .collect();
        rules.sort();
        rules.dedup();
        rules
    };
    assert_eq!(
        rules_in(&concise(&["--select", "overdue,missing-due"])),
        ["missing-due", "overdue"]
    );
    assert_eq!(
        rules_in(&concise(&[
            "--select",
            "overdue",
            "--select",
            "missing-due",
            "--ignore",
            "overdue"
        ])),
        ["missing-due"]
    );
    let all = rules_in(&concise(&[]));
    let ignored = rules_in(&concise(&["--ignore", "overdue"]));
    assert_eq!(ignored.len() + 1, all.len());
    let bad = all_rules(&["--ignore", "missing-deu"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        text(bad.stderr),
        "error: --ignore: there is no rule `missing-deu`; did you mean `missing-due`?\n"
    );
    // A rule the configuration turns off comes back at its default level when selected.
    let dir = notes_dir(&[
        ("followup.toml", b"[rules]\nmissing-due = \"off\"\n"),
        ("notes/a.md", b"* Call Dana\n"),
    ]);
    assert_eq!(
        text(check_in(dir.path(), &["--format", "concise"]).stdout),
        ""
    );
    let out = text(
        check_in(
            dir.path(),
            &["--format", "concise", "--select", "missing-due"],
        )
        .stdout,
    );
    assert!(out.contains("warning[missing-due]"), "{out}");
}

#[test]
fn empty_notes_are_quiet_and_no_notes_is_an_error() {
    let dir = notes_dir(&[
        ("notes/empty.md", b""),
        ("notes/blank.md", b" \n\n"),
        ("notes/daily.md", b"---\ndate: 2026-11-20\n---\n\n"),
        (
            "notes/acme/call.md",
            b"---\ncustomer: Acme Corp\ndate: 2026-11-20\n---\n",
        ),
    ]);
    let out = check_in(dir.path(), &["--format", "concise"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(out.stderr),
        "warning: notes/acme/call.md: front matter for a call with Acme Corp but nothing written under it\n\
         Checked 2 files, 0 commitments: 0 errors, 0 warnings, 0 infos\n"
    );
    let none = notes_dir(&[("notes/picture.png", b"x"), ("notes/sub/.keep", b"")]);
    for cmd in ["check", "list", "customers", "fix"] {
        let out = followup()
            .current_dir(none.path())
            .args([cmd, "notes"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let stderr = text(out.stderr);
        assert!(
            stderr.contains("error: no notes found under notes"),
            "{cmd}: {stderr}"
        );
    }
}

#[test]
fn output_is_deterministic() {
    let a = all_rules(&["--format", "human"]).stdout;
    let b = followup()
        .current_dir(fixtures())
        .env("RAYON_NUM_THREADS", "1")
        .args(["check", ".", "--today", "2026-11-23"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(a, b, "same output on one thread and on many");
}
