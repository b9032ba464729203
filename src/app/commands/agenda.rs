//! `followup agenda`: the weekly follow-up agenda, to stdout or a file.

use std::io;
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::agenda::{items_of, name_customers, Agenda, Item, Window};
use crate::app::cli::{AgendaArgs, AgendaFormat};
use crate::app::settings::{resolve, Env};
use crate::app::workspace::scan_with_book;
use crate::app::{report_scan_problems, AppError, AppResult, Exit, Io};
use crate::config::AgendaFrom;
use crate::edit::diff_with;
use crate::fs::paths::normalize;
use crate::fs::walk::walk;
use crate::fs::write::GENERATED_MARKER;
use crate::fs::write::{write_generated, Written};
use crate::notes::model::Status;
use crate::notes::scan::never_fails;
use crate::render::agenda::{self as render, JSON_MARKER};

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
    if file.is_none() && (args.check || args.force) {
        let flag = if args.check { "--check" } else { "--force" };
        writeln!(
            io.err,
            "error: {flag} needs an agenda file: -o FILE, or `output` in the configuration's [agenda]"
        )?;
        return Ok(Exit::Error);
    }
    let mut walked = walk(&args.scan.paths, &settings.scan.walk);
    let output = file.as_deref().map(|p| normalize(&cwd.join(p)));
    // The agenda's own file is never a note, whatever its format or first line.
    if let Some(out) = &output {
        walked
            .files
            .retain(|f| normalize(&cwd.join(&f.fs_path)) != *out);
    }
    let mut items: Vec<Item> = Vec::new();
    let scanned = never_fails(scan_with_book(
        walked,
        &settings,
        |_, note, _| items_of(&note, window),
        |note_items| {
            items.extend(note_items);
            Ok(())
        },
    ));
    let ws = &scanned.workspace;
    let read = report_scan_problems(ws, io.err)?;
    name_customers(&mut items, &ws.customers);

    // Links are relative to the folder the agenda is written to.
    let base = output
        .as_deref()
        .and_then(Path::parent)
        .map_or_else(|| cwd.clone(), Path::to_path_buf);
    let link = |path: &str| relative(&base, &normalize(&cwd.join(path)));
    let content = match args.format {
        AgendaFormat::Ics => {
            let open: Vec<&Item> = items
                .iter()
                .filter(|i| i.status == Status::Open && i.due.is_some())
                .collect();
            render::ics(&open, &window)
        }
        AgendaFormat::Markdown | AgendaFormat::Json => {
            let mut agenda = Agenda::build(items, window);
            agenda.add_customers(
                &scanned.book,
                &ws.customers,
                window,
                config.customer_cadence,
            );
            agenda.add_cards(&scanned.book, &ws.customers, window, &config.occasions);
            agenda.add_check_ins(&scanned.book, &ws.customers, window, &config.after_sale);
            agenda.keep_sections(&config.agenda.sections);
            if args.format == AgendaFormat::Json {
                render::json(&agenda, &window, &link)
            } else {
                render::markdown(&agenda, &window, &link)
            }
        }
    };

    let Some(path) = &file else {
        io.out.write_all(content.as_bytes())?;
        return Ok(read);
    };
    // A path from the configuration is shown as reached from here, like the notes.
    // Every path printed goes through the same neutraliser as note text: a config value
    // or file name could hold an escape sequence or a CI workflow command.
    let shown = crate::text::terminal_safe(
        &path
            .strip_prefix(&cwd)
            .unwrap_or(path)
            .display()
            .to_string(),
    )
    .into_owned();
    if args.check {
        let current = match std::fs::read_to_string(path) {
            Ok(text) => text,
            // Not written yet: every line is missing from it.
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(AppError::msg(format!("{shown}: cannot read it: {e}"))),
        };
        if current == content {
            writeln!(io.err, "{shown} is up to date")?;
            return Ok(read);
        }
        let diff = diff_with(
            &format!("{shown} (as it is)"),
            &format!("{shown} (as it should be)"),
            current.as_bytes(),
            content.as_bytes(),
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
            "{shown} is out of date: run `followup agenda` with the same arguments, without --check, to update it"
        )?;
        return Ok(read.max(Exit::Findings));
    }
    let markers = [GENERATED_MARKER, JSON_MARKER, ICS_MARKER];
    match write_generated(path, &content, &markers, args.force) {
        Ok(written) => {
            let what = match written {
                Written::Created => "wrote",
                Written::Updated => "updated",
                Written::Unchanged => "unchanged:",
            };
            writeln!(io.err, "{what} {shown}")?;
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
        assert!(render::ics(&[], &w).starts_with(ICS_MARKER));
    }
}
