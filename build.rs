//! Record the git commit followup is built from, for `--version` (`0.1.0 (abc123def)`). Outside a git
//! checkout (a crates.io build) there is none, and the version stands alone.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs");
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
