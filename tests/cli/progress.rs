//! The progress bar, seen the way a person sees it: stderr on a pseudo-terminal made by
//! util-linux `script` (part of every Debian base system; the tests are skipped, with a line
//! saying so, where it is missing). A scan normally shows the bar only after a second;
//! `FOLLOWUP_PROGRESS_DELAY_MS=0` shows it on the small demo.

use std::time::Duration;

use assert_cmd::Command;

use crate::{root, tool_available};

/// Run `followup check fixtures/notes` with stderr on a terminal; stdout goes to a file.
/// Returns (what the terminal showed, stdout).
fn on_terminal(env: &[(&str, &str)], extra: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stdout.txt");
    let bin = assert_cmd::cargo::cargo_bin("followup");
    let cmd = format!(
        "'{}' check fixtures/notes --format concise --today 2026-11-23 {extra} > '{}'",
        bin.display(),
        out.display()
    );
    let mut script = Command::new("script");
    script
        .current_dir(root())
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("CI")
        .env_remove("PRE_COMMIT")
        .env("NO_COLOR", "1")
        .env("FOLLOWUP_PROGRESS_DELAY_MS", "0")
        // A progress bar that deadlocks shows up as a hang, not a failure.
        .timeout(Duration::from_secs(60));
    for (k, v) in env {
        script.env(k, v);
    }
    let run = script.output().expect("script runs");
    assert_eq!(
        run.status.code(),
        Some(1),
        "check finds problems in the demo"
    );
    let terminal = String::from_utf8_lossy(&run.stdout).into_owned();
    (terminal, std::fs::read_to_string(out).unwrap())
}

fn plain_stdout() -> String {
    let run = crate::followup()
        .args([
            "check",
            "fixtures/notes",
            "--format",
            "concise",
            "--today",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    String::from_utf8(run.stdout).unwrap()
}

#[test]
fn bar_shows_on_a_terminal_and_leaves_stdout_alone() {
    if !tool_available("script") {
        return;
    }
    let (terminal, stdout) = on_terminal(&[], "");
    assert!(terminal.contains("/22 notes "), "no bar in {terminal:?}");
    assert_eq!(stdout, plain_stdout());
}

#[test]
fn no_bar_under_ci_pre_commit_or_when_asked() {
    if !tool_available("script") {
        return;
    }
    for (env, extra) in [
        (&[("CI", "true")][..], ""),
        (&[("PRE_COMMIT", "1")][..], ""),
        (&[][..], "--no-progress"),
    ] {
        let (terminal, stdout) = on_terminal(env, extra);
        assert!(
            !terminal.contains(" notes "),
            "{env:?} {extra}: {terminal:?}"
        );
        assert!(
            terminal.contains("Checked 22 files"),
            "summary still shows: {terminal:?}"
        );
        assert_eq!(stdout, plain_stdout());
    }
}
