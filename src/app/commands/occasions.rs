//! `followup occasions sent NAME`: record that a card went out, as a dated `card-sent:`
//! entry in the customer's profile (the agenda then says when the last one was sent,
//! and does not list this year's card again). Written as `done` writes: locked,
//! all or nothing, planned again if the profile changed meanwhile.

use std::path::PathBuf;

use crate::app::cli::{OccasionsArgs, OccasionsCommand, OccasionsSentArgs};
use crate::app::commands::done::{parse_for_edit, plan_notes, refuse, Change, Changed};
use crate::app::settings::{read_policy, resolve, Env};
use crate::app::workspace::scan_book;
use crate::app::{report_scan, AppResult, Exit, Io};
use crate::edit::{apply, card_sent_edit};
use crate::notes::occasion::{CardDay, Named};
use crate::text::terminal_safe;

/// Run `occasions`.
pub fn occasions(args: OccasionsArgs, io: &mut Io<'_>) -> AppResult {
    match args.command {
        OccasionsCommand::Sent(args) => sent(args, io),
    }
}

/// Run `occasions sent`: the one occasion `NAME` names gets the entry; none or several:
/// exit 2, listing them.
fn sent(args: OccasionsSentArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let scanned = scan_book(&args.scan.paths, &settings);
    if report_scan(&args.scan.paths, &scanned.workspace, io.err)? == Exit::Error {
        writeln!(io.err, "nothing written")?;
        return Ok(Exit::Error);
    }
    let days = scanned.book.card_days();
    let whole: Vec<_> = days
        .iter()
        .filter(|(_, _, d)| d.named(&args.name) == Some(Named::Whole))
        .collect();
    let found = if whole.is_empty() {
        days.iter()
            .filter(|(_, _, d)| d.named(&args.name).is_some())
            .collect()
    } else {
        whole
    };
    let names = &scanned.workspace.customers;
    let listed = |list: &[&(&str, &str, CardDay)]| -> Vec<String> {
        list.iter()
            .map(|(slug, path, d)| {
                format!(
                    "  {} ({}, {})",
                    terminal_safe(&d.what),
                    terminal_safe(names.name(slug)),
                    terminal_safe(path)
                )
            })
            .collect()
    };
    let shown = terminal_safe(&args.name);
    let (path, what) = match found.as_slice() {
        [(_, path, day)] => (PathBuf::from(path), day.what.clone()),
        [] => {
            let all: Vec<_> = days.iter().collect();
            if all.is_empty() {
                writeln!(
                    io.err,
                    "error: no occasion is named `{shown}`: no profile has a birthday, anniversary or occasion"
                )?;
            } else {
                writeln!(
                    io.err,
                    "error: no occasion is named `{shown}`; the profiles' occasions are:"
                )?;
                for line in listed(&all) {
                    writeln!(io.err, "{line}")?;
                }
            }
            writeln!(io.err, "nothing written")?;
            return Ok(Exit::Error);
        }
        many => {
            writeln!(
                io.err,
                "error: `{shown}` names {} occasions; give the whole of one (or the profile's folder after it):",
                many.len()
            )?;
            for line in listed(many) {
                writeln!(io.err, "{line}")?;
            }
            writeln!(io.err, "nothing written")?;
            return Ok(Exit::Error);
        }
    };
    let date = args.date.unwrap_or(settings.today);
    let recorded = what.clone();
    let policy = read_policy(&settings.config, args.scan.max_file_size);
    let plans = plan_notes(
        &settings.config,
        policy,
        vec![(path, ())],
        move |_, file, source| {
            let shown = crate::text::shown_path(&file.display).into_owned();
            let (original, note) = parse_for_edit(file, source, policy)?;
            // Recorded already (a second run): nothing to change.
            let sent = note.front.profile.as_ref().is_some_and(|p| {
                p.cards_sent
                    .iter()
                    .any(|c| c.date == date && c.what.eq_ignore_ascii_case(&what))
            });
            if sent {
                let bytes = original.bytes.clone();
                return Ok(Change {
                    original,
                    bytes,
                    changed: Vec::new(),
                });
            }
            let edit = card_sent_edit(&original.text, date, &what)
                .map_err(|why| vec![format!("{shown}: cannot add to `card-sent:`: {why}")])?;
            // The entry's line: the last line the edit adds.
            let line = original.text[..edit.range.start].matches('\n').count()
                + edit.with.matches('\n').count();
            let bytes = apply(&original.bytes, &original.to_file(&[edit]))
                .map_err(|e| vec![format!("{shown}: {e}")])?;
            Ok(Change {
                original,
                bytes,
                changed: vec![Changed {
                    what: format!("card sent {date}"),
                    line,
                    text: what.clone(),
                    plain: false,
                }],
            })
        },
    )?;
    let plans = match plans {
        Ok(p) => p,
        Err(problems) => return refuse(&problems, io),
    };
    if plans.is_empty() {
        writeln!(
            io.out,
            "already recorded: card sent {date} for {}",
            terminal_safe(&recorded)
        )?;
        return Ok(Exit::Success);
    }
    Ok(plans.finish(args.dry_run, "would record", "recorded", io)?)
}
