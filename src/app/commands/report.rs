//! `followup report`: the follow-through report, as an HTML page or JSON.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};

use crate::app::cli::{ReportArgs, ReportFormat};
use crate::app::commands::agenda::relative;
use crate::app::settings::{resolve, Env, Settings};
use crate::app::workspace::{scan_with_book, Scanned};
use crate::app::{report_scan_problems, AppResult, Exit, Io};
use crate::cache::{Need, Parsed};
use crate::fs::paths::normalize;
use crate::fs::walk::walk;
use crate::fs::write::{write_generated, Written};
use crate::notes::scan::never_fails;
use crate::render::report::{html, json};
use crate::report::{call_of, promises_of, Period, Promise, Report, COMING_UP_DAYS};

/// Run `report`.
pub fn report(args: ReportArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let period = Period {
        today: settings.today,
        weeks: args.weeks,
        week_start: settings.config.week_start,
    };
    let cwd = std::env::current_dir()?;
    let output = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    let mut promises: Vec<Promise> = Vec::new();
    let mut calls: Vec<(String, NaiveDate)> = Vec::new();
    let scanned = scan(
        &args.scan.paths,
        &settings,
        output,
        &cwd,
        Need::Note,
        |p| (promises_of(&p.note), call_of(&p.note)),
        |(p, c)| {
            promises.extend(p);
            calls.extend(c);
        },
    );
    let read = report_scan_problems(&scanned.workspace, io.err)?;
    let names = &scanned.workspace.customers;
    let today = settings.today;
    let occasions = scanned
        .book
        .occasions(names, today, today + Days::new(COMING_UP_DAYS - 1));
    let rows = scanned.customer_rows(&settings);
    let rep = Report::build(period, &promises, &calls, &rows, &occasions, names);
    let base = base_folder(output, &cwd);
    let link = |path: &str| relative(&base, &normalize(&cwd.join(path)));
    let content = match args.format {
        ReportFormat::Html => html::html(&rep, args.weeks, &link),
        ReportFormat::Json => json::report(&rep),
    };
    let markers = [html::HTML_MARKER, json::REPORT_MARKER];
    emit(output, &content, &markers, args.force, &cwd, read, io)
}

/// Scan `paths` (leaving out the file being written), with the customers' book.
pub(crate) fn scan<T: Send>(
    paths: &[PathBuf],
    settings: &Settings,
    output: Option<&Path>,
    cwd: &Path,
    need: Need,
    per_note: impl Fn(Parsed) -> T + Sync,
    mut sink: impl FnMut(T),
) -> Scanned {
    let walked = || {
        let mut walked = walk(paths, &settings.scan.walk);
        if let Some(out) = output.map(|p| normalize(&cwd.join(p))) {
            walked
                .files
                .retain(|f| normalize(&cwd.join(&f.fs_path)) != out);
        }
        walked
    };
    never_fails(scan_with_book(
        paths,
        walked,
        settings,
        need,
        |_, parsed| per_note(parsed),
        |t| {
            sink(t);
            Ok(())
        },
    ))
}

/// The folder links are relative to: the output file's, else the current one.
pub(crate) fn base_folder(output: Option<&Path>, cwd: &Path) -> PathBuf {
    output
        .map(|p| normalize(&cwd.join(p)))
        .as_deref()
        .and_then(Path::parent)
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
}

/// Print `content`, or write it to `output` as a generated file.
pub(crate) fn emit(
    output: Option<&Path>,
    content: &str,
    markers: &[&str],
    force: bool,
    cwd: &Path,
    read: Exit,
    io: &mut Io<'_>,
) -> AppResult {
    let Some(path) = output else {
        io.out.write_all(content.as_bytes())?;
        return Ok(read);
    };
    // Every printed path through the one neutraliser (a config value can hold an ESC).
    let shown =
        crate::text::shown_path(&path.strip_prefix(cwd).unwrap_or(path).display().to_string())
            .into_owned();
    match write_generated(path, content, markers, force) {
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
