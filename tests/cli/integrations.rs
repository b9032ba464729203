//! Integrations run for real: the GitHub Action's script with the Actions environment
//! pointed at temporary files, and vim's quickfix reading `--format concise`.

use std::process::Command;

use crate::{followup, root, tool_available};

/// PATH with the freshly built binary first, as the action's install step leaves it.
fn path_with_followup() -> String {
    let bin = assert_cmd::cargo::cargo_bin("followup");
    let dir = bin.parent().expect("bin dir").to_path_buf();
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn action(dir: &std::path::Path, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts/github-action.sh"))
        .current_dir(dir)
        .env("PATH", path_with_followup())
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("bash runs")
}

#[test]
fn action_annotates_summarises_and_writes_sarif() {
    let fixture = root().join("tests/fixtures/check/overdue");
    let tmp = tempfile::tempdir().unwrap();
    let summary = tmp.path().join("summary.md");
    let sarif = tmp.path().join("out.sarif");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = action(
        &fixture,
        &[
            ("FOLLOWUP_PATHS", "notes"),
            ("FOLLOWUP_ARGS", "--today 2026-11-23"),
            ("FOLLOWUP_FAIL_ON", "error"),
            ("FOLLOWUP_SARIF", sarif.to_str().unwrap()),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "overdue fails the step: {stdout}"
    );
    assert!(
        stdout.contains("::error file=notes/acme/2026-11-16-pricing-call.md,line=8,col=38"),
        "{stdout}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("earlier step\n## followup check\n"),
        "appended: {md}"
    );
    assert!(
        md.contains("Checked 1 file, 2 commitments: 1 error"),
        "{md}"
    );
    assert!(
        md.contains("    notes/acme/2026-11-16-pricing-call.md:8:38: error[overdue]"),
        "{md}"
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).expect("SARIF JSON");
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "overdue");

    // fail-on info: the due-soon fixture fails too; by default it does not.
    let soon = root().join("tests/fixtures/check/due-soon");
    let args = ("FOLLOWUP_ARGS", "--today 2026-11-23");
    let paths = ("FOLLOWUP_PATHS", "notes");
    assert_eq!(action(&soon, &[args, paths]).status.code(), Some(0));
    let strict = action(&soon, &[args, paths, ("FOLLOWUP_FAIL_ON", "info")]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn action_inputs_are_never_run_as_shell() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("notes")).unwrap();
    let out = action(
        tmp.path(),
        &[
            (
                "FOLLOWUP_PATHS",
                "notes $(touch pwned1) `touch pwned2`; touch pwned3",
            ),
            ("FOLLOWUP_ARGS", "--today 2026-11-23 && touch pwned4"),
        ],
    );
    for i in 1..=4 {
        assert!(!tmp.path().join(format!("pwned{i}")).exists(), "pwned{i}");
    }
    // The odd words are paths that don't exist (or an unknown argument): exit 2.
    assert_eq!(out.status.code(), Some(2));

    // And action.yml passes inputs (and any other expression) through `env:` only.
    let yml = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let mut inputs = 0;
    for line in yml.lines().filter(|l| l.contains("${{")) {
        let trimmed = line.trim_start();
        assert!(
            trimmed.starts_with("FOLLOWUP_") && trimmed.contains(": ${{ "),
            "an expression outside env: {line}"
        );
        inputs += usize::from(trimmed.contains("${{ inputs."));
    }
    assert!(inputs >= 4, "the inputs reach the steps through env");
}

/// The vim `errorformat` documented in docs/integrations.md.
const ERRORFORMAT: &str = "%f:%l:%c: %t%*[^:]: %m";

#[test]
fn vim_quickfix_reads_concise_output() {
    if !tool_available("vim") {
        return;
    }
    let fixtures = root().join("tests/fixtures/check");
    let out = followup()
        .current_dir(&fixtures)
        .args([
            "check",
            ".",
            "--today",
            "2026-11-23",
            "--format",
            "concise",
            "-q",
        ])
        .output()
        .unwrap();
    let concise = String::from_utf8(out.stdout).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let errors = tmp.path().join("errors.txt");
    let qf = tmp.path().join("qf.txt");
    std::fs::write(&errors, &concise).unwrap();
    let docs = std::fs::read_to_string(root().join("docs/integrations.md")).unwrap();
    assert!(
        docs.contains(ERRORFORMAT),
        "the tested errorformat is the documented one"
    );
    let status = Command::new("vim")
        .current_dir(&fixtures)
        .args(["-es", "-N", "-u", "NONE", "-i", "NONE"])
        .arg("-c")
        .arg(format!("set errorformat={}", ERRORFORMAT.replace(' ', "\\ ")))
        .arg("-c")
        .arg(format!("cgetfile {}", errors.display()))
        .arg("-c")
        .arg(format!(
            "call writefile(map(getqflist(), {{_, e -> bufname(e.bufnr) . '|' . e.lnum . '|' . e.col . '|' . e.type . '|' . e.valid . '|' . e.text}}), '{}')",
            qf.display()
        ))
        .arg("-c")
        .arg("qa!")
        .status()
        .expect("vim runs");
    assert!(status.success());
    let entries: Vec<String> = std::fs::read_to_string(&qf)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(entries.len(), concise.lines().count());
    let first_overdue = entries
        .iter()
        .find(|e| e.contains("overdue by 3 days"))
        .expect("the overdue item");
    assert_eq!(
        first_overdue,
        "overdue/notes/acme/2026-11-16-pricing-call.md|8|38|e|1|overdue by 3 days (due 2026-11-20): Send Dana the volume pricing sheet"
    );
    assert!(
        entries.iter().all(|e| e.split('|').nth(4) == Some("1")),
        "all valid"
    );
    assert!(entries.iter().any(|e| e.split('|').nth(3) == Some("w")));
    assert!(entries.iter().any(|e| e.split('|').nth(3) == Some("i")));
}

#[test]
fn vscode_problem_matcher_matches_concise_output() {
    let docs = std::fs::read_to_string(root().join("docs/integrations.md")).unwrap();
    let block = docs
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the tasks.json block");
    let tasks: serde_json::Value = serde_json::from_str(block).expect("valid tasks.json");
    let pattern = &tasks["tasks"][0]["problemMatcher"]["pattern"];
    let re = regex::Regex::new(pattern["regexp"].as_str().unwrap()).expect("regex");
    let out = followup()
        .current_dir(root().join("tests/fixtures/check"))
        .args([
            "check",
            ".",
            "--today",
            "2026-11-23",
            "--format",
            "concise",
            "-q",
        ])
        .output()
        .unwrap();
    let concise = String::from_utf8(out.stdout).unwrap();
    for line in concise.lines() {
        let caps = re
            .captures(line)
            .unwrap_or_else(|| panic!("no match: {line}"));
        let group = |name: &str| &caps[pattern[name].as_u64().unwrap() as usize];
        assert!(group("file").ends_with(".md"));
        assert!(group("line").parse::<u32>().is_ok());
        assert!(["error", "warning", "info"].contains(&group("severity")));
        assert!(!group("message").is_empty());
    }
}
