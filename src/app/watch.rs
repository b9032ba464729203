//! `--watch` (`check`, `agenda -o FILE`): run the command, then run it again whenever a
//! note (or a configuration file) under the paths changes, until Ctrl-C ends the process.
//!
//! Changes are debounced (an editor's save is often several events: a temporary file, a
//! rename, a change of metadata) and batched into one rerun. What a run writes itself
//! never starts the next one: the agenda file given with `-o`, and followup's own
//! temporary files (`.followup-*.tmp`, see [`crate::fs::write`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};

use crate::app::cli::AgendaArgs;
use crate::app::{AppError, AppResult, Exit, Io};
use crate::config::FILE_NAMES;
use crate::fs::paths::absolute;
use crate::text::terminal_safe;

/// How long the notes must be quiet before the command runs again.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Run `once`, then again after every batch of changes under `paths` (`.` when empty)
/// that is not one of `own` (files the command writes itself). Returns only when
/// watching fails; Ctrl-C ends the process (a run is never half-written: files are
/// replaced atomically).
pub fn watch(
    paths: &[PathBuf],
    own: &[PathBuf],
    io: &mut Io<'_>,
    mut once: impl FnMut(&mut Io<'_>) -> AppResult,
) -> AppResult {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let own: Vec<PathBuf> = own.iter().map(|p| resolved(p)).collect();

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, tx).map_err(|e| AppError::msg(format!("cannot watch: {e}")))?;
    for p in paths {
        // A file is watched through its folder: an editor that saves by renaming a new
        // file over the old one would end a watch on the file itself.
        let (p, mode) = if p.is_dir() {
            (p.as_path(), RecursiveMode::Recursive)
        } else {
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
            (dir.unwrap_or(Path::new(".")), RecursiveMode::NonRecursive)
        };
        // A missing path is reported by the run itself (exit 2 each time); watch what
        // can be watched.
        if p.exists() {
            debouncer.watcher().watch(p, mode).map_err(|e| {
                AppError::msg(format!(
                    "cannot watch {}: {e}",
                    terminal_safe(&p.display().to_string())
                ))
            })?;
        }
    }

    // What each file looked like when last seen: watching also reports files being
    // opened (by our own runs too), which must not start a run.
    let mut seen = Seen::default();
    run_once(&mut once, io)?;
    let shown: Vec<String> = paths
        .iter()
        .map(|p| terminal_safe(&p.display().to_string()).into_owned())
        .collect();
    writeln!(
        io.err,
        "[watching {} for changes; Ctrl-C to stop]",
        shown.join(", ")
    )?;
    io.err.flush()?;
    for batch in rx {
        let events = match batch {
            Ok(events) => events,
            Err(e) => {
                writeln!(io.err, "warning: watching: {e}")?;
                continue;
            }
        };
        let mut changed = false;
        for e in events.iter().filter(|e| relevant(&e.path, &own)) {
            // Every event, so that each file's record is up to date.
            changed |= seen.changed(&e.path);
        }
        if !changed {
            continue;
        }
        seen.started = SystemTime::now();
        run_once(&mut once, io)?;
        writeln!(io.err, "[watching for changes; Ctrl-C to stop]")?;
        io.err.flush()?;
    }
    Ok(Exit::Success)
}

/// `agenda --watch`: the agenda again on every change, never started by its own file
/// (`-o FILE`; an agenda from the configuration's `output` is written only when it
/// changes, so its write starts at most one run that changes nothing).
pub fn agenda(args: AgendaArgs, io: &mut Io<'_>) -> AppResult {
    let own: Vec<PathBuf> = args
        .output
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let paths = args.scan.paths.clone();
    watch(&paths, &own, io, |io| {
        let once = AgendaArgs {
            watch: false,
            ..args.clone()
        };
        crate::app::commands::agenda::agenda(once, io)
    })
}

/// The files changes were reported for, as they were then: a report that a file was
/// opened or read leaves them as they were, which is no change.
struct Seen {
    /// Modification time and length, or `None` when the file was gone.
    files: HashMap<PathBuf, Option<(SystemTime, u64)>>,
    /// When the last run started.
    started: SystemTime,
}

impl Default for Seen {
    fn default() -> Self {
        Seen {
            files: HashMap::new(),
            started: SystemTime::now(),
        }
    }
}

impl Seen {
    /// Whether `path` changed: since it was last seen, or, the first time, since the last
    /// run started (or it is gone).
    fn changed(&mut self, path: &Path) -> bool {
        let now = std::fs::metadata(path)
            .ok()
            .map(|m| (m.modified().unwrap_or(UNIX_EPOCH), m.len()));
        match self.files.insert(path.to_path_buf(), now) {
            Some(before) => before != now,
            None => now.map_or(true, |(modified, _)| modified >= self.started),
        }
    }
}

/// One run: its errors are printed, as [`crate::app::run`] would, and watching goes on.
fn run_once(
    once: &mut impl FnMut(&mut Io<'_>) -> AppResult,
    io: &mut Io<'_>,
) -> Result<(), AppError> {
    match once(io) {
        Ok(_) => {}
        Err(AppError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return Err(AppError::Io(e))
        }
        Err(e) => writeln!(io.err, "error: {}", terminal_safe(&e.to_string()))?,
    }
    io.out.flush()?;
    io.err.flush()?;
    Ok(())
}

/// Where `path` is, with links in its folder resolved, even when the file itself does not
/// exist yet (an agenda not written yet).
fn resolved(path: &Path) -> PathBuf {
    let abs = absolute(path);
    if let Ok(c) = abs.canonicalize() {
        return c;
    }
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map_or_else(|_| abs.clone(), |d| d.join(name)),
        _ => abs,
    }
}

/// Whether a change at `path` is worth a rerun: a note or a configuration file, not
/// followup's temporary files, not one of the files the command writes itself.
pub fn relevant(path: &Path, own: &[PathBuf]) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with(".followup-") && name.ends_with(".tmp") {
        return false;
    }
    let ext_ok = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if !ext_ok && !FILE_NAMES.contains(&name) {
        return false;
    }
    let at = resolved(path);
    !own.contains(&at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_notes_and_configuration_not_our_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let agenda = dir.path().join("AGENDA.md");
        let own = [resolved(&agenda)];
        assert!(relevant(&dir.path().join("acme/call.md"), &own));
        assert!(relevant(&dir.path().join("a.markdown"), &own));
        assert!(relevant(&dir.path().join("followup.toml"), &own));
        assert!(!relevant(&agenda, &own), "the agenda's own write");
        assert!(!relevant(&dir.path().join(".followup-x1y2.tmp"), &own));
        assert!(!relevant(&dir.path().join("picture.png"), &own));
        assert!(!relevant(&dir.path().join(".call.md.swp"), &own));
    }
}
