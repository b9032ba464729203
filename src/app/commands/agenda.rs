//! `followup agenda`: the weekly follow-up agenda, to stdout or a file.

use std::collections::BTreeSet;
use std::io::{self, BufRead, Read, Seek, Write};
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::agenda::{items_of, Agenda, Window};
use crate::app::cli::{AgendaArgs, AgendaFormat};
use crate::app::commands::done::{plan_closes, Closing};
use crate::app::commands::list::matching_customers;
use crate::app::settings::{resolve, Env};
use crate::app::workspace::scan_with_book;
use crate::app::{report_scan_problems, AppError, AppResult, Exit, Io};
use crate::cache::Need;
use crate::config::AgendaFrom;
use crate::customers::Book;
use crate::edit::diff_with;
use crate::edit::Close;
use crate::fs::paths::normalize;
use crate::fs::source::ReadError;
use crate::fs::walk::walk;
use crate::fs::write::GENERATED_MARKER;
use crate::fs::write::{write_generated_with, Compare, Written};
use crate::notes::scan::Workspace;
use crate::render::agenda::lines::{Lines, NoteLines};
use crate::render::agenda::{self as render, Format, Limit, Renderer, JSON_MARKER};

/// Run `agenda`.
pub fn agenda(args: AgendaArgs, io: &mut Io<'_>) -> AppResult {
    if args.watch {
        return crate::app::watch::agenda(args, io);
    }
    let settings = resolve(&args.scan, &Env::current())?;
    let (config, today) = (&settings.config, settings.today);
    let from = match (args.from, config.agenda.from) {
        (Some(from), _) => from,
        (None, AgendaFrom::Today) => today,
        (None, AgendaFrom::WeekStart) => week_start_on_or_before(today, config.week_start),
    };
    let window = Window {
        today,
        from,
        days: args.days.unwrap_or(config.agenda.days),
    };
    let cwd = std::env::current_dir()?;
    // `-o -` is stdout, even when the configuration names a file.
    let file = match &args.output {
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(p.clone()),
        None => config.agenda.output.as_ref().map(|p| config.root.join(p)),
    };
    if file.is_none() && (args.check || args.force || args.exit_code || args.dry_run) {
        let flag = if args.check {
            "--check"
        } else if args.exit_code {
            "--exit-code"
        } else if args.dry_run {
            "--dry-run"
        } else {
            "--force"
        };
        writeln!(
            io.err,
            "error: {flag} needs an agenda file: -o FILE, or `output` in the configuration's [agenda]"
        )?;
        return Ok(Exit::Error);
    }
    if args.limit.is_some() && args.format != AgendaFormat::Markdown {
        writeln!(
            io.err,
            "error: --limit is for the markdown agenda (JSON and iCalendar list every item)"
        )?;
        return Ok(Exit::Error);
    }
    let mut walked = walk(&args.scan.paths, &settings.scan.walk);
    let output = file.as_deref().map(|p| normalize(&cwd.join(p)));
    // A path that is not there (`agenda note -o AGENDA.md` for `notes`) would give an
    // empty agenda: write nothing, neither the notes nor the file.
    if let (Some(path), false) = (&file, walked.errors.is_empty()) {
        for e in &walked.errors {
            writeln!(
                io.err,
                "error: {}: {}",
                crate::text::terminal_safe(&e.display),
                crate::text::terminal_safe(&e.message)
            )?;
        }
        writeln!(io.err, "{} not written", shown_path(path, &cwd))?;
        return Ok(Exit::Error);
    }
    // Items ticked in the file: applied to the notes first, so the agenda shows them done.
    let mut applied = false;
    if let (Some(path), Some(out), false) = (&file, &output, args.check || args.no_apply) {
        if args.format == AgendaFormat::Markdown {
            match apply_ticks(path, out, &cwd, &settings, args.dry_run, io)? {
                Ticks::None => {}
                Ticks::Applied => applied = true,
                Ticks::Stop(exit) => return Ok(exit),
            }
        }
    }
    if args.dry_run {
        writeln!(io.err, "dry run: nothing written")?;
        return Ok(Exit::Success);
    }
    // The agenda's own file is never a note, whatever its format or first line.
    if let Some(out) = &output {
        walked
            .files
            .retain(|f| normalize(&cwd.join(&f.fs_path)) != *out);
    }
    // Links are relative to the folder the agenda is written to.
    let base = output
        .as_deref()
        .and_then(Path::parent)
        .map_or_else(|| cwd.clone(), Path::to_path_buf);
    let link = |path: &str| relative(&base, &normalize(&cwd.join(path)));
    let renderer = Renderer {
        format: match args.format {
            AgendaFormat::Markdown => Format::Markdown,
            AgendaFormat::Json => Format::Json,
            AgendaFormat::Ics => Format::Ics,
        },
        window,
        link: &link,
        sections: &config.agenda.sections,
    };
    // Each note's items are rendered on the worker that read it; only their sort keys
    // stay in memory, their bytes go to a temporary file once they are many.
    let mut lines = Lines::default();
    let scanned = scan_with_book(
        &args.scan.paths,
        || walked,
        &settings,
        Need::Note,
        |_, parsed| NoteLines::of(items_of(&parsed.note, window), window, &renderer),
        |note_lines| lines.add(note_lines),
    )?;
    let ws = &scanned.workspace;
    let read = report_scan_problems(ws, io.err)?;
    let only = customers_listed(&args, &scanned.book, ws, config, window)?;
    let keep = |slug: &str| only.as_ref().map_or(true, |o| o.contains(slug));
    lines.finish(&renderer, &ws.customers, only.is_some().then_some(&keep))?;
    let mut agenda = Agenda {
        counts: lines.counts(),
        ..Agenda::default()
    };
    if args.format != AgendaFormat::Ics {
        agenda.add_customers(
            &scanned.book,
            &ws.customers,
            window,
            &config.customer_cadence,
        );
        agenda.add_cards(&scanned.book, &ws.customers, window, &config.occasions);
        agenda.add_check_ins(&scanned.book, &ws.customers, window, &config.after_sale);
        agenda.keep_sections(&config.agenda.sections);
        agenda.keep_customers(&keep);
    }
    let list = |status: &str| list_command(&args, status);
    let limit = args.limit.map(|n| Limit {
        items: usize::try_from(n).unwrap_or(usize::MAX),
        list: &list,
    });
    let write = |out: &mut dyn Write| renderer.write(&agenda, &lines, limit.as_ref(), out);

    let Some(path) = &file else {
        let mut out = io::BufWriter::with_capacity(1 << 16, &mut *io.out);
        write(&mut out)?;
        out.flush()?;
        return Ok(read);
    };
    let shown = shown_path(path, &cwd);
    if read == Exit::Error {
        // A note that could not be read would be missing from it: keep the file as it is.
        writeln!(io.err, "{shown} not written")?;
        return Ok(Exit::Error);
    }
    if args.check {
        // Streamed to a temporary file and compared a block at a time: an agenda can be
        // bigger than the memory it may take.
        let mut new = tempfile::tempfile()?;
        // Compared only with a regular file: a FIFO must not make --check wait.
        let old = std::fs::metadata(path)
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::File::open(path))
            .transpose()?;
        let mut out = Compare::new(io::BufWriter::with_capacity(1 << 16, &mut new), old);
        write(&mut out)?;
        let (mut out, same) = out.finish()?;
        out.flush()?;
        drop(out);
        if same {
            writeln!(io.err, "{shown} is up to date")?;
            return Ok(read);
        }
        // As the config: a FIFO or device given as -o must not make --check wait.
        // Never a blocking read (a FIFO), and no size limit: an agenda can be big.
        let current = match crate::fs::source::read_note(path, u64::MAX) {
            Ok(text) => text,
            // Not written yet: every line is missing from it.
            Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(AppError::msg(format!("{shown}: cannot read it: {e}"))),
        };
        let mut content = Vec::new();
        new.seek(io::SeekFrom::Start(0))?;
        new.read_to_end(&mut content)?;
        let diff = diff_with(
            &format!("{shown} (as it is)"),
            &format!("{shown} (as it should be)"),
            current.as_bytes(),
            &content,
            1,
        );
        // A short diff is enough to see why; the fix is to regenerate.
        const MAX_LINES: usize = 40;
        for line in diff.lines().take(MAX_LINES) {
            writeln!(io.out, "{line}")?;
        }
        if diff.lines().count() > MAX_LINES {
            writeln!(io.out, "...")?;
        }
        writeln!(
            io.err,
            "{shown} is out of date: run `{}` to update it, then stage it (`git add {shown}`)",
            rerun(&["--check"])
        )?;
        return Ok(read.max(Exit::Findings));
    }
    let markers = [GENERATED_MARKER, JSON_MARKER, ICS_MARKER];
    match write_generated_with(path, &markers, args.force, write) {
        Ok(written) => {
            let what = match written {
                Written::Created => "wrote",
                Written::Updated => "updated",
                Written::Unchanged => "unchanged:",
            };
            writeln!(io.err, "{what} {shown}")?;
            let changed = !matches!(written, Written::Unchanged) || applied;
            if args.exit_code && changed {
                let (what, stage) = if applied {
                    (
                        "and the notes marked above changed: stage them",
                        " and those notes",
                    )
                } else {
                    ("changed: stage it", "")
                };
                writeln!(
                    io.err,
                    "{shown} {what} (`git add {shown}`{stage}) and commit again; \
                     to update it by hand: `{}`",
                    rerun(&["--exit-code"])
                )?;
                return Ok(read.max(Exit::Findings));
            }
            Ok(read)
        }
        Err(e) => {
            writeln!(
                io.err,
                "error: {}",
                crate::text::terminal_safe(&e.to_string())
            )?;
            Ok(Exit::Error)
        }
    }
}

/// The customers `--owner` and `--customer` ask for (by slug; both given: those that
/// both name), or `None` for all.
fn customers_listed(
    args: &AgendaArgs,
    book: &Book,
    ws: &Workspace,
    config: &crate::config::Config,
    window: Window,
) -> Result<Option<BTreeSet<String>>, AppError> {
    let by_owner = match &args.owner {
        None => None,
        Some(owner) => {
            let rows = book.rows(&ws.customers, window.today, &config.customer_cadence);
            let wanted = owner.trim().to_lowercase();
            let found: BTreeSet<String> = rows
                .iter()
                .filter(|r| {
                    r.owner
                        .as_deref()
                        .is_some_and(|o| o.trim().to_lowercase().starts_with(&wanted))
                })
                .map(|r| r.customer.clone())
                .collect();
            if found.is_empty() {
                let owners: BTreeSet<&str> =
                    rows.iter().filter_map(|r| r.owner.as_deref()).collect();
                let known = if owners.is_empty() {
                    "none: no profile has an `owner:`".to_owned()
                } else {
                    owners.into_iter().collect::<Vec<_>>().join(", ")
                };
                return Err(AppError::msg(
                    crate::text::terminal_safe(&format!(
                        "no customer's profile has the owner `{owner}`; owners: {known}"
                    ))
                    .into_owned(),
                ));
            }
            Some(found)
        }
    };
    let mut named = BTreeSet::new();
    for name in &args.customer {
        named.extend(matching_customers(name, &ws.customers)?);
    }
    Ok(match (by_owner, args.customer.is_empty()) {
        (None, true) => None,
        (None, false) => Some(named),
        (Some(owned), true) => Some(owned),
        (Some(owned), false) => Some(owned.intersection(&named).cloned().collect()),
    })
}

/// The `followup list` command line that shows a section's items in full.
fn list_command(args: &AgendaArgs, status: &str) -> String {
    let mut words = vec!["followup".to_owned(), "list".to_owned()];
    words.extend(args.scan.paths.iter().map(|p| p.display().to_string()));
    words.extend(["--status".to_owned(), status.to_owned()]);
    if let [one] = args.customer.as_slice() {
        words.extend(["--customer".to_owned(), one.clone()]);
    }
    if let Some(today) = args.scan.today {
        words.extend(["--today".to_owned(), today.to_string()]);
    }
    shell_words(&words)
}

/// Words joined for a shell: quoted when they hold anything but plain characters, and
/// made safe to print.
fn shell_words(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|a| {
            if !a.is_empty()
                && a.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./=:+@,".contains(&b))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect();
    crate::text::terminal_safe(&quoted.join(" ")).into_owned()
}

/// A path as reached from here, made safe to print. A path from the configuration is
/// shown as reached from here, like the notes; every path printed goes through the same
/// neutraliser as note text: a config value or file name could hold an escape sequence
/// or a CI workflow command.
fn shown_path(path: &Path, cwd: &Path) -> String {
    crate::text::shown_path(&path.strip_prefix(cwd).unwrap_or(path).display().to_string())
        .into_owned()
}

/// This command line again, without `drop` flags: what to run to update the file.
fn rerun(drop: &[&str]) -> String {
    let mut words = vec!["followup".to_owned()];
    words.extend(
        std::env::args()
            .skip(1)
            .filter(|a| !drop.contains(&a.as_str())),
    );
    shell_words(&words)
}

/// The items ticked in the markdown agenda at `path`, read a line at a time; `None` when
/// it is not there, not a regular file (never a blocking read: a FIFO is refused when
/// the agenda is written), not followup's, or not UTF-8.
fn ticked(path: &Path) -> Option<Vec<render::Tick>> {
    let file = crate::fs::source::open_for_read(path).ok()?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut reader = io::BufReader::new(file);
    let head = reader.fill_buf().ok()?;
    let bom = crate::fs::source::bom_len(head);
    if !head[bom..].starts_with(GENERATED_MARKER.as_bytes()) {
        return None;
    }
    reader.consume(bom);
    render::ticks(reader).ok().flatten()
}

/// What came of the ticks in an agenda file.
enum Ticks {
    /// None to apply.
    None,
    /// Applied to the notes.
    Applied,
    /// Stop here: refused, or a dry run shown.
    Stop(Exit),
}

/// Apply the items ticked in the agenda file at `path` (`out`: the same, absolute) to
/// the notes, with `done`'s machinery: all or nothing, byte-exact, and only when each
/// tick still points at its item (its line and text; the one open item with its text
/// when lines moved).
fn apply_ticks(
    path: &Path,
    out: &Path,
    cwd: &Path,
    settings: &crate::app::settings::Settings,
    dry_run: bool,
    io: &mut Io<'_>,
) -> Result<Ticks, AppError> {
    let shown = shown_path(path, cwd);
    // Not there yet, not ours, or not text: nothing ticked in it to apply.
    let Some(ticks) = ticked(path) else {
        return Ok(Ticks::None);
    };
    if ticks.is_empty() {
        return Ok(Ticks::None);
    }
    let base = out.parent().unwrap_or(Path::new("/"));
    let closings: Vec<Closing> = ticks
        .iter()
        .map(|t| {
            let note = normalize(&base.join(&t.target));
            let rel = relative(cwd, &note);
            let path = if rel.starts_with("..") {
                note
            } else {
                rel.into()
            };
            Closing {
                path,
                line: t.line,
                close: if t.cancel { Close::Cancel } else { Close::Done },
                expect: Some(t.shown.clone()),
            }
        })
        .collect();
    writeln!(
        io.err,
        "{shown}: {} ticked; applying to the notes",
        crate::text::plural(ticks.len() as i64, "item")
    )?;
    let policy = settings.scan.read;
    let plans = match plan_closes(&settings.config, policy, settings.today, closings)? {
        Ok(p) => p,
        Err(problems) => {
            for p in &problems {
                writeln!(io.err, "error: {p}")?;
            }
            writeln!(
                io.err,
                "nothing written: mark those in their notes (or untick them in {shown}) and run again, \
                 or pass --no-apply"
            )?;
            return Ok(Ticks::Stop(Exit::Error));
        }
    };
    if plans.is_empty() {
        return Ok(Ticks::None);
    }
    if dry_run {
        plans.show_dry_run("would mark", io)?;
        return Ok(Ticks::Stop(Exit::Success));
    }
    match plans.write("marked", io)? {
        Exit::Success => Ok(Ticks::Applied),
        exit => {
            writeln!(io.err, "{shown} not written")?;
            Ok(Ticks::Stop(exit))
        }
    }
}

/// How an iCalendar agenda starts.
const ICS_MARKER: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";

/// The latest `start` day on or before `day`.
fn week_start_on_or_before(day: NaiveDate, start: Weekday) -> NaiveDate {
    let back = (7 + day.weekday().num_days_from_monday() - start.num_days_from_monday()) % 7;
    day - Days::new(u64::from(back))
}

/// `to` as seen from the folder `from` (both absolute and normalized), with `/`.
pub(crate) fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        let r = |from: &str, to: &str| relative(Path::new(from), Path::new(to));
        assert_eq!(r("/repo", "/repo/notes/a.md"), "notes/a.md");
        assert_eq!(r("/repo/review", "/repo/notes/a.md"), "../notes/a.md");
        assert_eq!(r("/repo/a/b", "/repo/notes/a.md"), "../../notes/a.md");
        assert_eq!(
            normalize(Path::new("/repo/./x/../notes/a.md")),
            Path::new("/repo/notes/a.md")
        );
    }

    #[test]
    fn the_ics_marker_matches_what_is_written() {
        assert!(render::ICS_PRODID.starts_with("PRODID:"));
        let w = Window {
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            from: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            days: 7,
        };
        let r = Renderer {
            format: Format::Ics,
            window: w,
            link: &|p: &str| p.to_owned(),
            sections: &[],
        };
        let mut out = Vec::new();
        r.write(&Agenda::default(), &Lines::default(), None, &mut out)
            .unwrap();
        assert!(out.starts_with(ICS_MARKER.as_bytes()));
    }
}
