//! Record the git commit followup is built from, for `--version` (`0.1.0 (abc123def)`). Outside a git
//! checkout (a crates.io build) there is none, and the version stands alone.

use std::process::Command;

fn main() {
    // Where git keeps them: in a worktree `.git` is a file, and a path that does not exist
    // would rerun this script, and rebuild followup, on every cargo command (replacing the
    // binary under a running test, whose cache then no longer matches it).
    for name in ["HEAD", "refs"] {
        let path = Command::new("git")
            .args(["rev-parse", "--git-path", name])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|| format!(".git/{name}"));
        println!("cargo:rerun-if-changed={path}");
    }
    let commit = Command::new("git")
        .args(["rev-parse", "--short=9", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let version = env!("CARGO_PKG_VERSION");
    let shown = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version.to_owned(),
    };
    println!("cargo:rustc-env=FOLLOWUP_VERSION={shown}");
}
