//! Which files the walk reads as git would: `.gitignore` files, `.git/info/exclude`,
//! git's `core.excludesFile`, `.ignore` files and nested repositories, all turned off by
//! `--no-ignore`. Each run gets a home folder of its own, so that the global gitignore
//! of whoever runs the tests plays no part.

use std::path::Path;
use std::process::Command as StdCommand;

use crate::{followup, notes_dir, write};

const NOTE: &[u8] = b"* Send the pricing sheet @due(2026-11-18)\n";

/// `git init` in `dir`; false (after saying so) when git is not installed.
fn git_init(dir: &Path) -> bool {
    let status = StdCommand::new("git")
        .args(["init", "-q"])
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status();
    match status {
        Ok(s) => {
            assert!(s.success(), "git init {}", dir.display());
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("skipped: git not installed");
            false
        }
        Err(e) => panic!("git init: {e}"),
    }
}

/// The paths `list` reads in `dir` with `home` as the home folder (and no other git
/// configuration than what is in it).
fn listed(dir: &Path, home: &Path, args: &[&str]) -> Vec<String> {
    let out = followup()
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("GIT_CONFIG_GLOBAL")
        .env("GIT_CONFIG_SYSTEM", "/dev/null")
        .args(["list", "--format", "json", "--today", "2026-11-23"])
        .args(args)
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

#[test]
fn core_excludes_file_counts_inside_a_repository() {
    let home = tempfile::tempdir().unwrap();
    let global = home.path().join("global-ignore");
    std::fs::write(&global, "drafts/\n").unwrap();
    write(
        home.path(),
        ".gitconfig",
        format!("[core]\n\texcludesFile = {}\n", global.display()).as_bytes(),
    );
    let dir = notes_dir(&[
        ("notes/acme/2026-11-16.md", NOTE),
        ("notes/drafts/2026-11-17.md", NOTE),
    ]);
    // Outside a repository git ignores nothing, and neither does the walk.
    let all = ["notes/acme/2026-11-16.md", "notes/drafts/2026-11-17.md"];
    assert_eq!(listed(dir.path(), home.path(), &["notes"]), all);
    if !git_init(dir.path()) {
        return;
    }
    assert_eq!(
        listed(dir.path(), home.path(), &["notes"]),
        ["notes/acme/2026-11-16.md"]
    );
    assert_eq!(
        listed(dir.path(), home.path(), &["notes", "--no-ignore"]),
        all
    );

    // `GIT_CONFIG_GLOBAL` names the file instead of `~/.gitconfig`, as for git.
    let empty_home = tempfile::tempdir().unwrap();
    assert_eq!(listed(dir.path(), empty_home.path(), &["notes"]), all);
    let mut cmd = followup();
    let out = cmd
        .current_dir(dir.path())
        .env("HOME", empty_home.path())
        .env("XDG_CONFIG_HOME", empty_home.path().join(".config"))
        .env("GIT_CONFIG_GLOBAL", home.path().join(".gitconfig"))
        .env("GIT_CONFIG_SYSTEM", "/dev/null")
        .args(["list", "notes", "--format", "json", "--today", "2026-11-23"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("acme/2026-11-16.md") && !text.contains("drafts/"),
        "{text}"
    );
}

#[test]
fn dot_ignore_files_count_in_any_folder() {
    let home = tempfile::tempdir().unwrap();
    let dir = notes_dir(&[
        (".ignore", b"scratch/\n*.old.md\n"),
        ("a/.ignore", b"!keep.old.md\n"),
        ("a/2026-11-16.md", NOTE),
        ("a/2026-11-09.old.md", NOTE),
        ("a/keep.old.md", NOTE),
        ("scratch/2026-11-16.md", NOTE),
    ]);
    // Not a repository: `.ignore` is not git's, and counts all the same; the innermost
    // file with a say decides.
    assert_eq!(
        listed(dir.path(), home.path(), &[]),
        ["a/2026-11-16.md", "a/keep.old.md"]
    );
    // One above the walked folder counts too.
    assert_eq!(
        listed(dir.path(), home.path(), &["a"]),
        ["a/2026-11-16.md", "a/keep.old.md"]
    );
    assert_eq!(
        listed(dir.path(), home.path(), &["--no-ignore"]),
        [
            "a/2026-11-09.old.md",
            "a/2026-11-16.md",
            "a/keep.old.md",
            "scratch/2026-11-16.md"
        ]
    );
}

#[test]
fn a_nested_repository_has_its_own_ignore_files() {
    let home = tempfile::tempdir().unwrap();
    // A plain notes folder (not a repository) holding a repository.
    let dir = notes_dir(&[
        (".gitignore", b"*.md\n"),
        ("globex/2026-11-16.md", NOTE),
        ("acme/.gitignore", b"drafts/\n"),
        ("acme/2026-11-16.md", NOTE),
        ("acme/old.md", NOTE),
        ("acme/drafts/2026-11-17.md", NOTE),
    ]);
    if !git_init(&dir.path().join("acme")) {
        return;
    }
    write(dir.path(), "acme/.git/info/exclude", b"old.md\n");
    // The outer .gitignore is in no repository: it does not count; the nested
    // repository's .gitignore and .git/info/exclude do.
    assert_eq!(
        listed(dir.path(), home.path(), &[]),
        ["acme/2026-11-16.md", "globex/2026-11-16.md"]
    );
    assert_eq!(
        listed(dir.path(), home.path(), &["--no-ignore"]),
        [
            "acme/2026-11-16.md",
            "acme/drafts/2026-11-17.md",
            "acme/old.md",
            "globex/2026-11-16.md"
        ]
    );

    // Once the outer folder is a repository too, its .gitignore counts in it, but not
    // inside the nested repository (as for git).
    if !git_init(dir.path()) {
        return;
    }
    assert_eq!(listed(dir.path(), home.path(), &[]), ["acme/2026-11-16.md"]);
}

#[test]
fn a_gitignore_above_the_repository_does_not_count() {
    let home = tempfile::tempdir().unwrap();
    let dir = notes_dir(&[
        (".gitignore", b"*.md\n"),
        ("repo/.gitignore", b"drafts/\n"),
        ("repo/notes/acme/2026-11-16.md", NOTE),
        ("repo/notes/drafts/2026-11-17.md", NOTE),
    ]);
    if !git_init(&dir.path().join("repo")) {
        return;
    }
    // The repository root's .gitignore, above the walked folder, counts; the one above
    // the repository does not.
    assert_eq!(
        listed(&dir.path().join("repo/notes"), home.path(), &[]),
        ["acme/2026-11-16.md"]
    );
}
