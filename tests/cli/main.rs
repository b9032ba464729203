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
mod obsidian;
mod occasions;
mod pipeline;
#[cfg(unix)]
mod progress;
#[cfg(unix)]
mod report;
mod shell;
mod snooze;
#[cfg(unix)]
mod tree;
mod vault;
mod walk;
mod watch;

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
        .env("COLUMNS", "100")
        // The walk reads git's global excludes file: not the developer's own.
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("XDG_CONFIG_HOME", "/nonexistent-followup-test-config");
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

/// Whether the external program `name` is on `PATH`. When it is not, the test that needs it
/// is skipped: a `skipped: NAME not installed` line goes straight to stderr (not through the
/// test harness's capture, so a plain `cargo test` shows it) and this returns false. Under
/// CI (`CI=true`, as `.ci/run` sets it) a missing program fails the test instead: CI
/// installs every one, so every test runs there.
pub fn tool_available(name: &str) -> bool {
    if on_path(name) {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{name} not installed, and CI=true: CI installs every program the tests use"
    );
    use std::io::Write;
    // `eprintln!` would be captured and shown only when the test fails.
    let _ = writeln!(std::io::stderr(), "skipped: {name} not installed");
    false
}

/// An executable file called `name` in one of the `PATH` folders.
fn on_path(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        let candidate = dir.join(name);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(&candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        }
        #[cfg(not(unix))]
        {
            candidate.is_file() || candidate.with_extension("exe").is_file()
        }
    })
}

/// Make a temporary folder of notes readable by every user (folders 0755, files 0644):
/// `tempfile` makes its folders 0700, and a umask may have closed the rest, so `nobody`
/// (see [`unprivileged`]) could not reach the notes otherwise.
#[cfg(unix)]
pub fn open_to_everyone(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        if meta.is_dir() {
            open_to_everyone(&path);
        } else if meta.is_file() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        }
    }
}

/// Whether the tests run as root (`id -u` prints 0).
#[cfg(unix)]
fn running_as_root() -> bool {
    static ROOT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ROOT.get_or_init(|| {
        std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout == b"0\n")
    })
}

/// The binary as a user the file permissions apply to: root reads any file, so when the
/// tests run as root it runs as `nobody` through `runuser`. `nobody` may not be able to
/// reach `target/` (a checkout inside a `chmod 700` folder), so it runs a copy of the binary
/// in a folder of its own under the temporary folder (see [`binary_for_nobody`]). The notes
/// it reads must be reachable by `nobody` too: a temporary folder made 0755.
///
/// `None`, after a `skipped: runuser not installed` line, when root has no `runuser`: the
/// caller returns early, since root would read the "unreadable" files.
#[cfg(unix)]
pub fn unprivileged() -> Option<std::process::Command> {
    let mut cmd = if running_as_root() {
        if !tool_available("runuser") {
            return None;
        }
        let mut c = std::process::Command::new("runuser");
        c.args(["-u", "nobody", "--"]).arg(binary_for_nobody());
        c
    } else {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("followup"))
    };
    cmd.env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    Some(cmd)
}

/// A copy of the built binary that `nobody` can execute, made once per test process:
/// `<temp>/followup-tests-<key>/followup`, folder and file mode 0755, where the key
/// is a hash of the binary's path so each checkout reuses (and overwrites) one copy instead
/// of leaving one behind per run. Only root calls this, and the folder must be a real folder
/// owned by root, so no other user can have put a link or a binary of theirs there. The copy
/// is written under a temporary name and renamed into place, so a test process running
/// beside this one never executes a half-written file.
#[cfg(unix)]
fn binary_for_nobody() -> &'static Path {
    use std::hash::{Hash, Hasher};
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let bin = assert_cmd::cargo::cargo_bin("followup");
        let mut key = std::collections::hash_map::DefaultHasher::new();
        bin.hash(&mut key);
        let dir = std::env::temp_dir().join(format!("followup-tests-{:016x}", key.finish()));
        match std::fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => panic!("cannot create {}: {e}", dir.display()),
        }
        let meta = std::fs::symlink_metadata(&dir).expect("the copy's folder");
        assert!(
            meta.is_dir() && meta.uid() == 0,
            "{} is not a folder owned by root; remove it",
            dir.display()
        );
        let mode = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(&dir, mode.clone()).expect("chmod the copy's folder");
        let partial = dir.join(format!("followup.{}.partial", std::process::id()));
        std::fs::copy(&bin, &partial).expect("copy the binary");
        std::fs::set_permissions(&partial, mode).expect("chmod the copy");
        let copy = dir.join("followup");
        std::fs::rename(&partial, &copy).expect("rename the copy into place");
        copy
    })
}
