//! `followup done`: mark commitments done (or cancelled) by their locators, the
//! `path:line` that `check`, `list` and the agenda print. All or nothing: every locator
//! is checked before any note is written.

use std::io;
use std::path::{Path, PathBuf};

use crate::app::cli::DoneArgs;
use crate::app::settings::{excluded_by_config, load_config, read_policy, today};
use crate::app::{AppResult, Exit, Io};
use crate::edit::{close_note, unified_diff, Close, Closed, Original};
use crate::fs::source::BOM;
use crate::fs::walk::display_name;
use crate::fs::write::rewrite_note;
use crate::notes::reader::{self, named_file, parse_text, Read, ReadPolicy};
use crate::text::terminal_safe;

/// One note named by the locators, and the lines asked for in it.
struct Target {
    /// The path as the user gave it (first spelling, when named twice).
    path: PathBuf,
    /// How it is shown in messages.
    shown: String,
    /// The file it is, to recognise one note named two ways (`a.md`, `./a.md`).
    key: PathBuf,
    lines: Vec<usize>,
}

/// A note's edit, ready to write.
struct Plan {
    target: Target,
    original: Original,
    closed: Closed,
}

/// Run `done`.
pub fn done(args: DoneArgs, io: &mut Io<'_>) -> AppResult {
    let first = args.locators.first().map(|l| l.path.clone());
    let config = load_config(&args.config, first.as_slice())?;
    let policy = read_policy(&config, args.max_file_size);
    let date = args.date.unwrap_or_else(|| today(args.today));
    let close = if args.cancel {
        Close::Cancel
    } else {
        Close::Done
    };

    let mut targets: Vec<Target> = Vec::new();
    for loc in args.locators {
        let key = std::fs::canonicalize(&loc.path).unwrap_or_else(|_| loc.path.clone());
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
        match plan(target, policy, close, date) {
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
            report(&p.target.shown, &p.closed, close, "would mark", io)?;
        }
        writeln!(io.err, "dry run: nothing written")?;
        return Ok(Exit::Success);
    }

    // A note saved since it was read (an editor, a sync client) stops every write, not
    // only its own: the edits are one request.
    for p in &plans {
        let shown = terminal_safe(&p.target.shown);
        match std::fs::read(&p.target.path) {
            Ok(now) if now == p.original.bytes => {}
            Ok(_) => problems.push(format!("{shown}: changed since followup read it")),
            Err(e) => problems.push(format!("{shown}: cannot read it again: {e}")),
        }
    }
    if !problems.is_empty() {
        return refuse(&problems, io);
    }
    let mut exit = Exit::Success;
    for p in &plans {
        // rewrite_note compares once more right before its rename.
        match rewrite_note(&p.target.path, &p.original.bytes, &p.closed.bytes) {
            Ok(_) => report(&p.target.shown, &p.closed, close, "marked", io)?,
            Err(e) => {
                let e = e.to_string();
                writeln!(io.err, "error: {}", terminal_safe(&e))?;
                exit = Exit::Error;
            }
        }
    }
    Ok(exit)
}

/// Read one note and plan its edit: the problems, one line each, when it cannot be done.
fn plan(
    target: Target,
    policy: ReadPolicy,
    close: Close,
    date: chrono::NaiveDate,
) -> Result<Plan, Vec<String>> {
    let shown = terminal_safe(&target.shown).into_owned();
    let file = named_file(&target.path, target.shown.clone());
    let (note, source) = match reader::read(&file, policy) {
        Ok(Read::Note(note, source)) => (note, source),
        Ok(Read::Empty) => return Err(vec![format!("{shown}: empty, no commitment to mark")]),
        Ok(Read::Generated) => {
            return Err(vec![format!(
                "{shown}: a generated agenda, not a note: give the locator its item links to"
            )])
        }
        Err(e) => return Err(vec![format!("{shown}: {e}")]),
    };
    let original = Original {
        bytes: source.bytes(),
        bom: if source.bom { BOM.len() } else { 0 },
        text: source.text,
    };
    let reparse = |text: &str| parse_text(&file, text, policy.markers);
    match close_note(&original, &note, reparse, &target.lines, close, date) {
        Ok(closed) => Ok(Plan {
            target,
            original,
            closed,
        }),
        Err(refusals) => Err(refusals
            .iter()
            .map(|r| format!("{shown}:{}: {}", r.line(), terminal_safe(&r.to_string())))
            .collect()),
    }
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
