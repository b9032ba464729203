//! `followup fix` (and `check --fix`): rewrite in place what can be fixed without
//! guessing, in every note under the paths. The changes themselves are planned and
//! checked in `edit`; this reads the notes, shows or writes the result, and reports.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::app::cli::FixArgs;
use crate::app::settings::{resolve, Env, Settings};
use crate::app::{report_scan, report_scan_problems, AppResult, Exit, Io};
use crate::edit::{fix_note, unified_diff, FixKind, Fixed, Original, Unsafe};
use crate::fs::rewrite::{rewrite_notes, NoteEdit};
use crate::fs::source::BOM;
use crate::fs::walk::{walk, NoteFile};
use crate::notes::model::Note;
use crate::notes::parse::Markers;
use crate::notes::reader::{parse_text, Source};
use crate::notes::scan::scan_each;
use crate::text::{plural, terminal_safe};

/// Run `fix`.
pub fn fix(args: FixArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let report = fix_notes(
        &args.scan.paths,
        &settings,
        args.dry_run,
        Report::Stdout,
        io,
    )?;
    writeln!(io.err, "{}", report.line(args.dry_run))?;
    if args.dry_run {
        writeln!(io.err, "dry run: nothing written")?;
    }
    Ok(report.exit)
}

/// What fixing a set of notes came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixReport {
    /// Notes read.
    pub notes: usize,
    /// Notes fixed (or that would be, on a dry run).
    pub files: usize,
    /// Relative dates written out.
    pub dates: usize,
    /// Tag names corrected.
    pub names: usize,
    /// `Exit::Error` when a note could not be read or written.
    pub exit: Exit,
}

impl FixReport {
    /// The closing line: `Fixed 3 relative dates and 1 tag name in 2 of 15 notes`.
    pub fn line(&self, dry_run: bool) -> String {
        if self.files == 0 {
            return format!("Nothing to fix in {}", plural(self.notes as i64, "note"));
        }
        format!(
            "{} {} in {} of {}",
            if dry_run { "Would fix" } else { "Fixed" },
            what(self.dates, self.names).join(" and "),
            self.files,
            plural(self.notes as i64, "note")
        )
    }
}

/// `2 relative dates`, `1 tag name`: the parts that are not zero.
fn what(dates: usize, names: usize) -> Vec<String> {
    let mut parts = Vec::new();
    if dates > 0 {
        parts.push(plural(dates as i64, "relative date"));
    }
    if names > 0 {
        parts.push(plural(names as i64, "tag name"));
    }
    parts
}

/// What one note came to.
enum Planned {
    /// Fixes to write.
    Fix(Box<(Original, Fixed)>),
    /// Nothing to fix.
    Nothing,
    /// A fix that failed its own check: a bug, reported and not written.
    Unsafe(Unsafe),
}

fn plan(file: &NoteFile, note: &Note, source: Source, markers: Markers) -> Planned {
    let original = Original {
        bytes: source.bytes(),
        bom: if source.bom { BOM.len() } else { 0 },
        text: source.text,
    };
    let reparse = |text: &str| parse_text(file, text, markers);
    match fix_note(&original, note, reparse) {
        Ok(Some(fixed)) => Planned::Fix(Box::new((original, fixed))),
        Ok(None) => Planned::Nothing,
        Err(e) => Planned::Unsafe(e),
    }
}

/// Where `fix_notes` writes what it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// On stdout: it is `fix`'s output.
    Stdout,
    /// On stderr: `check --fix`, whose stdout is the check's report.
    Stderr,
}

impl Report {
    fn pick<'a>(self, io: &'a mut Io<'_>) -> &'a mut dyn Write {
        match self {
            Report::Stdout => io.out,
            Report::Stderr => io.err,
        }
    }
}

/// Fix every note under `paths`: each note changed gets a line (`fixed PATH: ...`),
/// preceded on a dry run by its unified diff, when nothing is written. Problems
/// (unreadable notes, a note that changed while it was fixed) go to stderr and make the
/// exit `Exit::Error`; the other notes are still fixed.
pub fn fix_notes(
    paths: &[PathBuf],
    settings: &Settings,
    dry_run: bool,
    to: Report,
    io: &mut Io<'_>,
) -> io::Result<FixReport> {
    let walked = walk(paths, &settings.scan.walk);
    let mut report = FixReport {
        notes: 0,
        files: 0,
        dates: 0,
        names: 0,
        exit: Exit::Success,
    };
    let markers = settings.scan.read.markers;
    let per_note = |file: &NoteFile, note: Note, source: Source| {
        (file.clone(), plan(file, &note, source, markers))
    };
    let ws = scan_each(walked, &settings.scan, per_note, |(file, planned)| {
        let shown = crate::text::shown_path(&file.display);
        match planned {
            Planned::Nothing => {}
            Planned::Unsafe(e) => {
                report.exit = Exit::Error;
                writeln!(
                    io.err,
                    "error: {shown}: a fix did not check out ({e}); nothing written to it. \
                     This is a bug in followup: please report it with the note."
                )?;
            }
            Planned::Fix(planned) => {
                let (original, fixed) = *planned;
                let dates = count(&fixed, |k| matches!(k, FixKind::RelativeDate { .. }));
                let names = fixed.fixes.len() - dates;
                let summary = summary(&fixed, dates, names);
                if dry_run {
                    let diff = unified_diff(&file.display, &original.bytes, &fixed.bytes);
                    let out = to.pick(io);
                    out.write_all(diff.as_bytes())?;
                    writeln!(out, "would fix {shown}: {summary}")?;
                } else {
                    let mut edit = [NoteEdit {
                        path: file.fs_path.clone(),
                        shown: shown.to_string(),
                        read: original.bytes,
                        new: fixed.bytes,
                    }];
                    // Fixes are planned before the lock; a note changed since is left for
                    // the next run rather than fixed on a guess.
                    let changed = |_: usize, _: &[u8]| {
                        Err(format!(
                            "{shown} changed while followup was fixing it; not written (run the command again)"
                        ))
                    };
                    match rewrite_notes(&mut edit, changed) {
                        Ok(()) => writeln!(to.pick(io), "fixed {shown}: {summary}")?,
                        Err(e) => {
                            report.exit = Exit::Error;
                            let e = e.to_string();
                            writeln!(io.err, "error: {}", terminal_safe(&e))?;
                            return Ok(());
                        }
                    }
                }
                report.files += 1;
                report.dates += dates;
                report.names += names;
            }
        }
        Ok::<(), io::Error>(())
    })?;
    report.notes = ws.notes;
    // `fix` says when the paths held no note; `check --fix` leaves that to its own report.
    let read = match to {
        Report::Stdout => report_scan(paths, &ws, io.err)?,
        Report::Stderr if ws.errors.is_empty() && ws.notes + ws.empty.len() == 0 => Exit::Success,
        Report::Stderr => report_scan_problems(&ws, io.err)?,
    };
    report.exit = report.exit.max(read);
    Ok(report)
}

fn count(fixed: &Fixed, kind: impl Fn(&FixKind) -> bool) -> usize {
    fixed.fixes.iter().filter(|f| kind(&f.kind)).count()
}

/// `2 relative dates, 1 tag name (lines 8, 9)`.
fn summary(fixed: &Fixed, dates: usize, names: usize) -> String {
    let mut lines: Vec<usize> = fixed.fixes.iter().map(|f| f.line).collect();
    lines.dedup();
    let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
    let word = if lines.len() == 1 { "line" } else { "lines" };
    format!(
        "{} ({word} {})",
        what(dates, names).join(", "),
        lines.join(", ")
    )
}
