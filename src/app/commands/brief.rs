//! `followup brief`: what to know before a call with one customer.

use chrono::Days;

use crate::app::cli::{BriefArgs, BriefFormat};
use crate::app::commands::agenda::relative;
use crate::app::commands::report::{base_folder, emit, scan};
use crate::app::settings::{resolve, Env};
use crate::app::{report_scan_problems, AppResult, Exit, Io};
use crate::cache::Need;
use crate::fs::paths::normalize;
use crate::render::report::{brief as render, json};
use crate::report::brief::{build, find_customer, info_of, Inputs, Match, NoteInfo, OCCASION_DAYS};
use crate::report::{promises_of, Period, Promise};
use crate::text::terminal_safe;

/// Run `brief`.
pub fn brief(args: BriefArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let today = settings.today;
    let cwd = std::env::current_dir()?;
    let output = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    let mut promises: Vec<Promise> = Vec::new();
    let mut notes: Vec<NoteInfo> = Vec::new();
    let scanned = scan(
        &args.scan.paths,
        &settings,
        output,
        &cwd,
        Need::Text,
        |p| (promises_of(&p.note), info_of(&p.note, p.text())),
        |(p, n)| {
            promises.extend(p);
            notes.extend(n);
        },
    );
    let read = report_scan_problems(&scanned.workspace, io.err)?;
    let names = &scanned.workspace.customers;
    let slug = match find_customer(&args.customer, names) {
        Match::One(slug) => slug,
        Match::Many(all) => {
            let list: Vec<String> = all
                .iter()
                .map(|(s, n)| format!("{} ({s})", terminal_safe(n)))
                .collect();
            writeln!(
                io.err,
                "error: `{}` could mean several customers: {}; give more of the name",
                terminal_safe(&args.customer),
                list.join(", ")
            )?;
            return Ok(Exit::Error);
        }
        Match::Unknown(near) => {
            write!(
                io.err,
                "error: no customer `{}` in the notes",
                terminal_safe(&args.customer)
            )?;
            if near.is_empty() {
                let known: Vec<String> = names
                    .iter()
                    .map(|(_, n)| terminal_safe(n).into_owned())
                    .collect();
                if known.is_empty() {
                    writeln!(io.err, "; the notes name no customers")?;
                } else {
                    writeln!(io.err, "; customers: {}", known.join(", "))?;
                }
            } else {
                let near: Vec<String> =
                    near.iter().map(|n| terminal_safe(n).into_owned()).collect();
                writeln!(io.err, "; did you mean {}?", near.join(" or "))?;
            }
            return Ok(Exit::Error);
        }
    };
    let rows = scanned.customer_rows(&settings);
    let occasions = scanned
        .book
        .occasions(names, today, today + Days::new(OCCASION_DAYS - 1));
    let b = build(Inputs {
        customer: &slug,
        period: Period {
            today,
            weeks: args.weeks,
            week_start: settings.config.week_start,
        },
        promises: &promises,
        notes: &notes,
        row: rows.iter().find(|r| r.customer == slug),
        occasions: &occasions,
        names,
    });
    let base = base_folder(output, &cwd);
    let link = |path: &str| relative(&base, &normalize(&cwd.join(path)));
    let content = match args.format {
        BriefFormat::Markdown => render::markdown(&b, &link),
        BriefFormat::Json => json::brief(&b),
    };
    emit(
        output,
        &content,
        &[render::MARKER, json::BRIEF_MARKER],
        args.force,
        &cwd,
        read,
        io,
    )
}
