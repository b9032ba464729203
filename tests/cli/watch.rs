//! `check --watch`: the binary runs, waits, and runs again when a note changes.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use crate::notes_dir;

/// Lines of a child's pipe, read on a thread, so that a test can wait with a timeout.
fn lines(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The lines up to and including the first that starts with `prefix`.
fn until(rx: &Receiver<String>, prefix: &str, child: &mut Child) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => {
                let done = line.starts_with(prefix);
                seen.push(line);
                if done {
                    return seen;
                }
            }
            Err(e) => {
                let _ = child.kill();
                panic!("no `{prefix}` line ({e}); saw {seen:?}");
            }
        }
    }
}

#[test]
fn check_watch_reruns_when_a_note_changes() {
    let dir = notes_dir(&[("notes/acme/call.md", b"* Send it @due(2026-11-30)\n")]);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("followup"))
        .current_dir(dir.path())
        .args(["check", "notes", "--watch", "--format", "concise"])
        .args(["--today", "2026-11-23"])
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let out = lines(child.stdout.take().unwrap());
    let err = lines(child.stderr.take().unwrap());

    let first = until(&err, "Checked ", &mut child);
    assert_eq!(
        first.last().unwrap(),
        "Checked 1 file, 1 commitment: 0 errors, 0 warnings, 0 infos"
    );
    until(&err, "[watching notes for changes", &mut child);

    // followup's own temporary files and other files start nothing.
    std::fs::write(dir.path().join("notes/.followup-x.tmp"), "x").unwrap();
    std::fs::write(dir.path().join("notes/picture.png"), "x").unwrap();
    std::fs::write(
        dir.path().join("notes/acme/call.md"),
        "* Send it @due(2026-11-20)\n",
    )
    .unwrap();
    let second = until(&err, "Checked ", &mut child);
    assert_eq!(
        second.last().unwrap(),
        "Checked 1 file, 1 commitment: 1 error, 0 warnings, 0 infos"
    );
    let report = until(&out, "notes/acme/call.md:1:", &mut child);
    assert!(
        report.last().unwrap().contains("error[overdue]"),
        "{report:?}"
    );

    // Reading the notes (which the watcher sees opened) starts no run of its own.
    until(&err, "[watching for changes", &mut child);
    let again = err.recv_timeout(Duration::from_millis(1500));
    assert!(again.is_err(), "a run nothing started: {again:?}");

    child.kill().expect("ends");
    child.wait().expect("waits");
}

#[test]
fn agenda_watch_is_not_started_by_its_own_file() {
    let dir = notes_dir(&[("notes/acme/call.md", b"* Send it @due(2026-11-30)\n")]);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("followup"))
        .current_dir(dir.path())
        .args(["agenda", "notes", "-o", "notes/AGENDA.md", "--watch"])
        .args(["--today", "2026-11-23"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let err = lines(child.stderr.take().unwrap());
    until(&err, "wrote notes/AGENDA.md", &mut child);
    until(&err, "[watching notes for changes", &mut child);
    std::fs::write(
        dir.path().join("notes/acme/call.md"),
        "* Send it @due(2026-11-20)\n",
    )
    .unwrap();
    until(&err, "updated notes/AGENDA.md", &mut child);
    until(&err, "[watching for changes", &mut child);
    let again = err.recv_timeout(Duration::from_millis(1500));
    assert!(again.is_err(), "its own write started a run: {again:?}");
    let agenda = std::fs::read_to_string(dir.path().join("notes/AGENDA.md")).unwrap();
    assert!(agenda.contains("3 days late"), "{agenda}");
    child.kill().expect("ends");
    child.wait().expect("waits");
}
