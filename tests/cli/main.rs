//! CLI tests: cases run the real `followup` binary, except the few that need what the
//! binary cannot give: a file changing between walk and read, and the per-note pipeline
//! shared with the fuzz target (`pipeline`).

mod agenda;
mod architecture;
mod check;
mod config;
mod customers;
mod demo;
mod done;
mod fix;
#[cfg(unix)]
mod hostile;
mod integrations;
mod list;
mod pipeline;
#[cfg(unix)]
mod progress;
#[cfg(unix)]
mod report;
mod shell;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The project root, so tests can name `fixtures/notes` whatever the working folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the project root with a clean environment for determinism
/// (no colour, not under CI, no GitHub Actions).
pub fn followup() -> Command {
    let mut cmd = Command::cargo_bin("followup").expect("binary builds");
    cmd.current_dir(root())
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("FORCE_COLOR")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

/// Write `files` (relative path -> content) under a new temporary folder.
pub fn notes_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, content) in files {
        write(dir.path(), rel, content);
    }
    dir
}

/// Write one file, creating its folders.
pub fn write(base: &Path, rel: &str, content: &[u8]) {
    let path = base.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

/// Run and capture stdout as a string (whatever the exit code).
pub fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8 stdout")
}

/// The binary as a user the file permissions apply to: root reads any file, so when the
/// tests run as root it runs as `nobody` (the files it reads must be reachable by them).
pub fn unprivileged() -> std::process::Command {
    let bin = assert_cmd::cargo::cargo_bin("followup");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let mut cmd = if is_root {
        let mut c = std::process::Command::new("runuser");
        c.args(["-u", "nobody", "--"]).arg(bin);
        c
    } else {
        std::process::Command::new(bin)
    };
    cmd.env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    cmd
}
