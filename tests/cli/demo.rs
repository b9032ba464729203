//! The bundled example notes (`fixtures/notes`, the README's demo): what every command
//! prints on them is checked in as snapshots, so a change in what is found shows up in
//! review.

use crate::followup;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = followup()
        .args(args)
        .args(["fixtures/notes", "--today", "2026-11-23"])
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

#[test]
fn list_table() {
    let (code, out) = run(&["list"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!(out);
}

#[test]
fn list_json() {
    let (code, out) = run(&["list", "--format", "json"]);
    assert_eq!(code, Some(0));
    let rows: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(rows.as_array().map(Vec::len), Some(57));
    insta::assert_snapshot!(out);
}

#[test]
fn check_every_rule_fires_on_the_demo() {
    let (code, out) = run(&["check", "--format", "concise", "-q"]);
    assert_eq!(code, Some(1), "the demo has overdue items");
    // Not on the demo: `overdue-waiting` (nothing there is owed late), `often-moved` and
    // `occasion-soon` (off by default); their fixtures show them.
    for rule in stdout_rules() {
        if ["overdue-waiting", "often-moved", "occasion-soon"].contains(&rule.as_str()) {
            continue;
        }
        assert!(out.contains(&format!("[{rule}]")), "{rule} not shown");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn check_human() {
    let (_, out) = run(&["check"]);
    insta::assert_snapshot!(out);
}

fn stdout_rules() -> Vec<String> {
    let out = followup().args(["rule", "--list"]).output().expect("runs");
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}
