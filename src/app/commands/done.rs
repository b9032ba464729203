//! `followup done`: mark commitments done (or cancelled) by their locators, the
//! `path:line` that `check`, `list` and the agenda print. All or nothing: every locator
//! is checked before any note is written.

use std::io;
use std::path::{Path, PathBuf};

use crate::app::cli::DoneArgs;
use crate::app::settings::{excluded_by_config, load_config, read_policy, today};
use crate::app::{AppError, AppResult, Exit, Io};
use crate::edit::{close_note, unified_diff, Close, Closed, Original};
use crate::fs::rewrite::{rewrite_notes, NoteEdit, RewriteError};
use crate::fs::source::{read_note_bytes, BOM};
use crate::fs::walk::display_name;
use crate::fs::walk::NoteFile;
use crate::notes::dates::parse_past;
use crate::notes::reader::{self, named_file, parse_text, Read, ReadPolicy, Source};
use crate::text::terminal_safe;

/// One note named by the locators, and the lines asked for in it.
struct Target {
    /// The path as the user gave it (first spelling, when named twice).
    path: PathBuf,
    /// How it is shown in messages.
    shown: String,
    /// The file it is, to recognise one note named two ways (`a.md`, `./a.md`, a
    /// symbolic link, a hard link).
    key: FileKey,
    lines: Vec<usize>,
}

/// A file's identity: device and inode where there are such, else its canonical path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileKey {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    Path(PathBuf),
}

fn file_key(path: &Path) -> FileKey {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(path) {
            return FileKey::Inode(m.dev(), m.ino());
        }
    }
    FileKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// What `done` was asked to do to every note.
#[derive(Clone, Copy)]
struct Ask {
    policy: ReadPolicy,
    close: Close,
    date: chrono::NaiveDate,
}

/// A note's edit, ready to write.
struct Plan {
    target: Target,
    file: NoteFile,
    original: Original,
    closed: Closed,
}

/// Run `done`.
pub fn done(args: DoneArgs, io: &mut Io<'_>) -> AppResult {
    let first = args.locators.first().map(|l| l.path.clone());
    let config = load_config(&args.config, first.as_slice())?;
    let today = today(args.today);
    let date = match &args.date {
        None => today,
        Some(d) => parse_past(d, today, config.markers.date_order)
            .map_err(|e| AppError::msg(format!("--date: {e}")))?,
    };
    let ask = Ask {
        policy: read_policy(&config, args.max_file_size),
        close: if args.cancel {
            Close::Cancel
        } else {
            Close::Done
        },
        date,
    };

    let mut targets: Vec<Target> = Vec::new();
    for loc in args.locators {
        let key = file_key(&loc.path);
        match targets.iter_mut().find(|t| t.key == key) {
            Some(t) => t.lines.push(loc.line),
            None => targets.push(Target {
                shown: display_name(loc.path.as_os_str()).into_owned(),
                path: loc.path,
                key,
                lines: vec![loc.line],
            }),
        }
    }

    // Check every locator first; write nothing unless all of them are good.
    let mut problems: Vec<String> = Vec::new();
    let mut plans: Vec<Plan> = Vec::new();
    for target in targets {
        if excluded_by_config(&config, &target.path)? {
            let file = config.file.as_deref().unwrap_or(Path::new("followup.toml"));
            problems.push(format!(
                "{}: excluded by [files] exclude in {}: followup does not read it",
                terminal_safe(&target.shown),
                terminal_safe(&file.display().to_string())
            ));
            continue;
        }
        match plan(target, ask) {
            Ok(p) => plans.push(p),
            Err(mut e) => problems.append(&mut e),
        }
    }
    if !problems.is_empty() {
        return refuse(&problems, io);
    }

    if args.dry_run {
        for p in &plans {
            let diff = unified_diff(&p.target.shown, &p.original.bytes, &p.closed.bytes);
            io.out.write_all(diff.as_bytes())?;
            report(&p.target.shown, &p.closed, ask.close, "would mark", io)?;
        }
        writeln!(io.err, "dry run: nothing written")?;
        return Ok(Exit::Success);
    }

    let mut edits: Vec<NoteEdit> = plans
        .iter()
        .map(|p| NoteEdit {
            path: p.target.path.clone(),
            shown: crate::text::shown_path(&p.target.shown).into_owned(),
            read: p.original.bytes.clone(),
            new: p.closed.bytes.clone(),
        })
        .collect();
    // Another run (or an editor) changed a note since it was planned: plan again on
    // what is there now, as long as the same commitments are on the same lines.
    let replan = |i: usize, current: &[u8]| {
        let p: &Plan = &plans[i];
        let source =
            Source::decode(current.to_vec()).map_err(|e| format!("{}: {e}", p.edit_shown()))?;
        let (_, closed) =
            plan_source(&p.file, &p.target.lines, source, ask).map_err(|e| e.join("; "))?;
        if closed.closed != p.closed.closed {
            return Err(format!(
                "{}: changed while followup was editing it; nothing written (run the command again)",
                p.edit_shown()
            ));
        }
        Ok(closed.bytes)
    };
    match rewrite_notes(&mut edits, replan) {
        Ok(()) => {
            for p in &plans {
                report(&p.target.shown, &p.closed, ask.close, "marked", io)?;
            }
            Ok(Exit::Success)
        }
        Err(e @ RewriteError::Partial { .. }) => {
            writeln!(io.err, "error: {}", terminal_safe(&e.to_string()))?;
            Ok(Exit::Error)
        }
        Err(e) => refuse(&[terminal_safe(&e.to_string()).into_owned()], io),
    }
}

impl Plan {
    fn edit_shown(&self) -> String {
        crate::text::shown_path(&self.target.shown).into_owned()
    }
}

/// Read one note and plan its edit: the problems, one line each, when it cannot be done.
fn plan(target: Target, ask: Ask) -> Result<Plan, Vec<String>> {
    let shown = crate::text::shown_path(&target.shown).into_owned();
    let file = named_file(&target.path, target.shown.clone());
    let source = read_note_bytes(&target.path, ask.policy.max_file_size)
        .and_then(Source::decode)
        .map_err(|e| vec![format!("{shown}: {e}")])?;
    let (original, closed) = plan_source(&file, &target.lines, source, ask)?;
    Ok(Plan {
        target,
        file,
        original,
        closed,
    })
}

/// Plan closing `lines` in a note's text, read as [`reader::parse`] reads any note.
fn plan_source(
    file: &NoteFile,
    lines: &[usize],
    source: Source,
    ask: Ask,
) -> Result<(Original, Closed), Vec<String>> {
    let shown = crate::text::shown_path(&file.display).into_owned();
    let original = Original {
        bytes: source.bytes(),
        bom: if source.bom { BOM.len() } else { 0 },
        text: source.text.clone(),
    };
    let note = match reader::parse(file, source, ask.policy.markers) {
        Read::Note(note, _) => note,
        Read::Empty => return Err(vec![format!("{shown}: empty, no commitment to mark")]),
        Read::Generated => {
            return Err(vec![format!(
                "{shown}: a generated agenda, not a note: give the locator its item links to"
            )])
        }
    };
    let reparse = |text: &str| parse_text(file, text, ask.policy.markers);
    close_note(&original, &note, reparse, lines, ask.close, ask.date)
        .map(|closed| (original, closed))
        .map_err(|refusals| {
            refusals
                .iter()
                .map(|r| format!("{shown}:{}: {}", r.line(), terminal_safe(&r.to_string())))
                .collect()
        })
}

/// The errors, and that nothing was written: exit 2.
fn refuse(problems: &[String], io: &mut Io<'_>) -> AppResult {
    for p in problems {
        writeln!(io.err, "error: {p}")?;
    }
    writeln!(io.err, "nothing written")?;
    Ok(Exit::Error)
}

/// `marked done: notes/a.md:8 Send the pricing sheet`, one line per commitment.
fn report(
    shown: &str,
    closed: &Closed,
    close: Close,
    verb: &str,
    io: &mut Io<'_>,
) -> io::Result<()> {
    for (line, text) in &closed.closed {
        writeln!(
            io.out,
            "{verb} {}: {}:{line} {}",
            close.status().as_str(),
            terminal_safe(shown),
            terminal_safe(text)
        )?;
    }
    Ok(())
}
