//! Rewriting the user's notes (`done`, `fix`): one request's edits land together or not
//! at all, and two followup runs never lose each other's edits.
//!
//! - **Locked**: an exclusive advisory lock (`flock`) on each note's folder is held from
//!   the re-read to the last rename. A folder, not the note: the rename gives the note a
//!   new inode, so a lock on the note itself would not be seen by the next run. Another
//!   followup run waits; an editor does not lock, so the bytes are still compared right
//!   before the rename.
//! - **Re-planned**: under the lock each note is read again; when it changed since it
//!   was planned, the caller plans again on what is there now (or refuses).
//! - **All or nothing**: every note's new bytes go to a synced temporary file beside it
//!   first; only then are they put in place, one after the other. When one fails, the
//!   notes already replaced get their old bytes back.
//! - **Kept**: permissions, owner and group (where the user may set them), symbolic links
//!   (the target is rewritten) and hard links (a note with several names is written in
//!   place, after its new bytes are safe in the temporary file).

use std::collections::BTreeSet;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::fs::write::{persist, read_only, temp_beside};

/// One note to rewrite: the bytes its edit was planned on, and the new bytes.
#[derive(Debug, Clone)]
pub struct NoteEdit {
    /// The note as named (a symbolic link is followed when writing).
    pub path: PathBuf,
    /// How the note is shown in messages.
    pub shown: String,
    /// The bytes the edit was planned on.
    pub read: Vec<u8>,
    /// The bytes to write.
    pub new: Vec<u8>,
}

/// Why notes were not rewritten.
#[derive(Debug)]
pub enum RewriteError {
    /// A note changed and could not be planned again: nothing was written.
    Refused(String),
    /// The file system refused before anything was replaced: nothing was written.
    Io(String, io::Error),
    /// Replacing a note failed after others were replaced. `restored` lists the notes put
    /// back as they were; `not_restored` those left with the new bytes.
    Partial {
        /// The note whose replacement failed, and why.
        failed: (String, io::Error),
        /// Notes already replaced and put back.
        restored: Vec<String>,
        /// Notes already replaced that could not be put back.
        not_restored: Vec<String>,
    },
}

impl fmt::Display for RewriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RewriteError::Refused(m) => f.write_str(m),
            RewriteError::Io(shown, e) => write!(f, "cannot write {shown}: {e}"),
            RewriteError::Partial {
                failed: (shown, e),
                restored,
                not_restored,
            } => {
                write!(f, "cannot write {shown}: {e}")?;
                if !restored.is_empty() {
                    write!(f, "; put back as they were: {}", restored.join(", "))?;
                }
                if !not_restored.is_empty() {
                    write!(f, "; COULD NOT put back: {}", not_restored.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

/// An exclusive advisory lock on a folder, released when dropped (or when the process
/// ends, so a crash never leaves a stale lock).
struct FolderLock(#[allow(dead_code)] Option<File>);

fn lock_folder(dir: &Path) -> io::Result<FolderLock> {
    #[cfg(unix)]
    {
        let f = File::open(dir)?;
        fs4::FileExt::lock(&f)?;
        Ok(FolderLock(Some(f)))
    }
    // A folder cannot be opened as a file elsewhere: no lock; the compare before the
    // rename still stands.
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(FolderLock(None))
    }
}

/// The folder a path's file is in (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Rewrite `edits` as one request (see the module docs). `replan(i, current)` is called,
/// under the lock, for a note whose bytes are no longer `edits[i].read`: it returns the
/// new bytes for `current`, or a message that stops the request with nothing written.
pub fn rewrite_notes(
    edits: &mut [NoteEdit],
    replan: impl FnMut(usize, &[u8]) -> Result<Vec<u8>, String>,
) -> Result<(), RewriteError> {
    rewrite_notes_via(edits, replan, put)
}

/// Put a staged note in place: renamed over it, or written in place when it has other
/// names (after its new bytes are safe in the temporary file, removed after).
fn put(tmp: NamedTempFile, target: &Path, in_place: bool, new: &[u8]) -> io::Result<()> {
    if in_place {
        write_in_place(target, new).and_then(|()| tmp.close())
    } else {
        persist(tmp, target, true)
    }
}

/// [`rewrite_notes`] with the last step given, so that tests can make it fail.
fn rewrite_notes_via(
    edits: &mut [NoteEdit],
    mut replan: impl FnMut(usize, &[u8]) -> Result<Vec<u8>, String>,
    mut put: impl FnMut(NamedTempFile, &Path, bool, &[u8]) -> io::Result<()>,
) -> Result<(), RewriteError> {
    // Write where links lead, so that a link stays a link.
    let mut targets = Vec::with_capacity(edits.len());
    for e in edits.iter() {
        let t = fs::canonicalize(&e.path).map_err(|err| RewriteError::Io(e.shown.clone(), err))?;
        targets.push(t);
    }
    let folders: BTreeSet<PathBuf> = targets.iter().map(|t| folder_of(t)).collect();
    // In one order, so that two runs never each hold a lock the other waits for.
    let _locks = folders
        .iter()
        .map(|d| lock_folder(d))
        .collect::<io::Result<Vec<_>>>()
        .map_err(|err| RewriteError::Io(edits[0].shown.clone(), err))?;

    for (i, (e, target)) in edits.iter_mut().zip(&targets).enumerate() {
        let current = fs::read(target).map_err(|err| RewriteError::Io(e.shown.clone(), err))?;
        if current != e.read {
            e.new = replan(i, &current).map_err(RewriteError::Refused)?;
            e.read = current;
        }
    }

    // Every new note safe on disk before any is replaced.
    let mut staged = Vec::new();
    for (e, target) in edits.iter().zip(&targets) {
        if e.new == e.read {
            continue;
        }
        let meta = fs::metadata(target).map_err(|err| RewriteError::Io(e.shown.clone(), err))?;
        if read_only(target, &meta) {
            return Err(RewriteError::Refused(format!(
                "{} is read-only; nothing written (make it writable first)",
                e.shown
            )));
        }
        let tmp = temp_beside(target, Some(&meta), |f| f.write_all(&e.new))
            .map_err(|err| RewriteError::Io(e.shown.clone(), err))?;
        staged.push((e, target, tmp, multiply_linked(&meta)));
    }
    // An editor does not take our lock: look once more right before the first rename.
    for (e, target, _, _) in &staged {
        match fs::read(target) {
            Ok(now) if now == e.read => {}
            Ok(_) => {
                return Err(RewriteError::Refused(format!(
                "{} changed while followup was editing it; nothing written (run the command again)",
                e.shown
            )))
            }
            Err(err) => return Err(RewriteError::Io(e.shown.clone(), err)),
        }
    }

    let mut done: Vec<(&NoteEdit, &PathBuf, bool)> = Vec::new();
    for (e, target, tmp, in_place) in staged {
        if let Err(err) = put(tmp, target, in_place, &e.new) {
            let (mut restored, mut not_restored) = (Vec::new(), Vec::new());
            for (prev, prev_target, prev_in_place) in done.into_iter().rev() {
                let back = if prev_in_place {
                    write_in_place(prev_target, &prev.read)
                } else {
                    let meta = fs::metadata(prev_target).ok();
                    temp_beside(prev_target, meta.as_ref(), |f| f.write_all(&prev.read))
                        .and_then(|t| persist(t, prev_target, true))
                };
                match back {
                    Ok(()) => restored.push(prev.shown.clone()),
                    Err(_) => not_restored.push(prev.shown.clone()),
                }
            }
            return Err(RewriteError::Partial {
                failed: (e.shown.clone(), err),
                restored,
                not_restored,
            });
        }
        done.push((e, target, in_place));
    }
    Ok(())
}

/// Whether the file has other names (hard links) that a rename would leave behind.
fn multiply_linked(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() > 1
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// Overwrite a file's bytes in place (for a file with several names; its new bytes are
/// already safe in a temporary file when this runs).
fn write_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = File::options().write(true).open(path)?;
    f.set_len(0)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(path: &Path, read: &[u8], new: &[u8]) -> NoteEdit {
        NoteEdit {
            path: path.to_path_buf(),
            shown: path.file_name().unwrap().to_string_lossy().into_owned(),
            read: read.to_vec(),
            new: new.to_vec(),
        }
    }

    fn no_replan(_: usize, _: &[u8]) -> Result<Vec<u8>, String> {
        Err("changed".to_owned())
    }

    #[test]
    fn rewrites_every_note_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
        fs::write(&a, "* a\n").unwrap();
        fs::write(&b, "* b\n").unwrap();
        let mut edits = [
            edit(&a, b"* a\n", b"* a done\n"),
            edit(&b, b"* b\n", b"* b done\n"),
        ];
        rewrite_notes(&mut edits, no_replan).unwrap();
        assert_eq!(fs::read(&a).unwrap(), b"* a done\n");
        assert_eq!(fs::read(&b).unwrap(), b"* b done\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_note_changed_before_the_lock_is_planned_again() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        fs::write(&a, "* one\n* two\n").unwrap();
        // Planned on an older text; another run added a line since.
        let mut edits = [edit(&a, b"* one\n", b"* one done\n")];
        rewrite_notes(&mut edits, |_, current| {
            let text = String::from_utf8(current.to_vec()).unwrap();
            Ok(text.replacen("* one", "* one done", 1).into_bytes())
        })
        .unwrap();
        assert_eq!(fs::read(&a).unwrap(), b"* one done\n* two\n");
        // A refusal writes nothing.
        let mut edits = [edit(&a, b"* one\n", b"x\n")];
        let e = rewrite_notes(&mut edits, no_replan).unwrap_err();
        assert!(matches!(e, RewriteError::Refused(_)));
        assert_eq!(fs::read(&a).unwrap(), b"* one done\n* two\n");
    }

    #[test]
    fn a_failure_half_way_puts_the_first_notes_back() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["a.md", "b.md", "c.md"];
        let mut edits: Vec<NoteEdit> = names
            .iter()
            .map(|n| {
                let p = dir.path().join(n);
                fs::write(&p, format!("* {n}\n")).unwrap();
                edit(
                    &p,
                    format!("* {n}\n").as_bytes(),
                    format!("* {n} done\n").as_bytes(),
                )
            })
            .collect();
        // The disk fills up when the third note is put in place.
        let mut calls = 0;
        let failing = |tmp: NamedTempFile, target: &Path, in_place: bool, new: &[u8]| {
            calls += 1;
            if calls == 3 {
                return Err(io::Error::other("disk full"));
            }
            put(tmp, target, in_place, new)
        };
        let e = rewrite_notes_via(&mut edits, no_replan, failing).unwrap_err();
        match &e {
            RewriteError::Partial {
                failed,
                restored,
                not_restored,
            } => {
                assert_eq!(failed.0, "c.md");
                assert_eq!(restored, &["b.md", "a.md"]);
                assert!(not_restored.is_empty());
            }
            other => panic!("{other}"),
        }
        assert_eq!(
            e.to_string(),
            "cannot write c.md: disk full; put back as they were: b.md, a.md"
        );
        for n in names {
            assert_eq!(
                fs::read_to_string(dir.path().join(n)).unwrap(),
                format!("* {n}\n")
            );
        }
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            3,
            "no temporary file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn hard_links_stay_linked() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let h = dir.path().join("h.md");
        fs::write(&a, "* a\n").unwrap();
        fs::hard_link(&a, &h).unwrap();
        let mut edits = [edit(&h, b"* a\n", b"* a done\n")];
        rewrite_notes(&mut edits, no_replan).unwrap();
        assert_eq!(
            fs::read(&a).unwrap(),
            b"* a done\n",
            "both names see the edit"
        );
        assert_eq!(fs::read(&h).unwrap(), b"* a done\n");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }

    #[test]
    fn concurrent_requests_lose_no_edit() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let lines: Vec<String> = (0..8).map(|i| format!("* item {i}\n")).collect();
        fs::write(&a, lines.concat()).unwrap();
        let original = fs::read(&a).unwrap();
        std::thread::scope(|s| {
            for i in 0..8 {
                let (a, original) = (&a, &original);
                s.spawn(move || {
                    let mark = |text: &[u8]| {
                        let t = String::from_utf8(text.to_vec()).unwrap();
                        let from = format!("* item {i}\n");
                        t.replacen(&from, &format!("* item {i} done\n"), 1)
                            .into_bytes()
                    };
                    let mut edits = [NoteEdit {
                        path: a.clone(),
                        shown: "a.md".into(),
                        read: original.clone(),
                        new: mark(original),
                    }];
                    rewrite_notes(&mut edits, |_, current| Ok(mark(current))).unwrap();
                });
            }
        });
        let after = fs::read_to_string(&a).unwrap();
        assert_eq!(after.matches(" done").count(), 8, "{after}");
    }
}
