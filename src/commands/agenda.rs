//! `followup agenda`: the weekly follow-up agenda, to stdout or a file.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::agenda::{items_of, name_customers, Agenda, Item, Window, GENERATED_MARKER};
use crate::cli::{AgendaArgs, AgendaFormat};
use crate::model::Status;
use crate::render::agenda::{self as render, JSON_MARKER};
use crate::run::{report_scan_problems, scan_settings, today, Exit, Io};
use crate::scan::scan_walked;
use crate::walk::walk;
use crate::write::{write_generated, Written};

/// Run `agenda`.
pub fn agenda(args: AgendaArgs, io: &mut Io<'_>) -> io::Result<Exit> {
    let today = today(&args.scan);
    let window = Window {
        today,
        from: args.from.unwrap_or(today),
        days: args.days,
    };
    let settings = scan_settings(&args.scan);
    let mut walked = walk(&args.scan.paths, settings.follow_links);
    let cwd = std::env::current_dir()?;
    let output = args.output.as_deref().map(|p| normalize(&cwd.join(p)));
    // The agenda's own file is never a note, whatever its format or first line.
    if let Some(out) = &output {
        walked
            .files
            .retain(|f| normalize(&cwd.join(&f.fs_path)) != *out);
    }
    let (ws, per_note) = scan_walked(walked, &settings, |note, _| items_of(&note, window));
    let read = report_scan_problems(&ws, io.err)?;
    let mut items: Vec<Item> = per_note.into_iter().flatten().collect();
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
        AgendaFormat::Markdown => render::markdown(&Agenda::build(items, window), &window, &link),
        AgendaFormat::Json => render::json(&Agenda::build(items, window), &window, &link),
    };

    let Some(path) = &args.output else {
        io.out.write_all(content.as_bytes())?;
        return Ok(read);
    };
    let shown = path.display();
    if args.check {
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if current == content {
            writeln!(io.err, "{shown} is up to date")?;
            return Ok(read);
        }
        let diff = similar::TextDiff::from_lines(&current, &content);
        let diff = diff
            .unified_diff()
            .context_radius(1)
            .header(
                &format!("{shown} (as it is)"),
                &format!("{shown} (as it should be)"),
            )
            .to_string();
        // A short diff is enough to see why; the fix is to regenerate.
        const MAX_LINES: usize = 40;
        for line in diff.lines().take(MAX_LINES) {
            writeln!(io.out, "{}", crate::render::terminal_safe(line))?;
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
            writeln!(io.err, "error: {e}")?;
            Ok(Exit::Error)
        }
    }
}

/// How an iCalendar agenda starts.
const ICS_MARKER: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";

/// A path with `.` and `..` resolved by the letters alone (no file system access: the
/// agenda file may not exist yet).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// `to` as seen from the folder `from` (both absolute and normalized), with `/`.
fn relative(from: &Path, to: &Path) -> String {
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
