//! `followup snooze`: move commitments' due (or scheduled) dates by their locators (or
//! `--match TEXT`), in each item's own tag style, counting the moves in `@moved(N)`.
//! All or nothing, like `done`.

use chrono::NaiveDate;

use crate::app::cli::{target_arg, SnoozeArgs};
use crate::app::commands::done::{locators_of, parse_for_edit, plan_notes, refuse, Change};
use crate::app::settings::{load_config, read_policy, today};
use crate::app::{AppResult, Exit, Io};
use crate::edit::{snooze_note, Which};
use crate::notes::dates::{parse_iso, parse_relative};
use crate::notes::reader::parse_text;
use crate::text::{plural, terminal_safe};

/// Run `snooze`.
pub fn snooze(args: SnoozeArgs, io: &mut Io<'_>) -> AppResult {
    let today = today(args.today);
    let mut words = args.args.clone();
    // The date is the last argument; `next fri` may come as two.
    let Some(mut spec) = words.pop() else {
        return refuse(
            &["give the new date last: YYYY-MM-DD, +3d, fri".to_owned()],
            io,
        );
    };
    if words.last().is_some_and(|w| w.eq_ignore_ascii_case("next")) {
        words.pop();
        spec = format!("next {spec}");
    }
    let Some(to) = snooze_date(&spec, today) else {
        return refuse(
            &[format!(
                "`{}` is not a date: write YYYY-MM-DD, +3d, +2w, tomorrow, fri or `next fri`",
                terminal_safe(&spec)
            )],
            io,
        );
    };
    let targets: Vec<_> = words
        .iter()
        .map(|w| target_arg(w).expect("never fails"))
        .collect();
    let locators = match locators_of(
        &targets,
        args.r#match.as_deref(),
        &args.config,
        args.today,
        io,
    )? {
        Ok(l) => l,
        Err(exit) => return Ok(exit),
    };
    let first = locators.first().map(|l| l.path.clone());
    let config = load_config(&args.config, first.as_slice())?;
    let policy = read_policy(&config, args.max_file_size);
    let which = if args.scheduled {
        Which::Scheduled
    } else {
        Which::Due
    };
    let count = !args.no_count;
    let asks = locators.into_iter().map(|l| (l.path, l.line)).collect();
    let plans = plan_notes(&config, policy, asks, move |lines, file, source| {
        let shown = terminal_safe(&file.display).into_owned();
        let (original, note) = parse_for_edit(file, source, policy)?;
        let reparse = |text: &str| parse_text(file, text, policy.markers);
        let s = snooze_note(&original, &note, reparse, lines, which, to, count).map_err(|rs| {
            rs.iter()
                .map(|r| format!("{shown}:{}: {}", r.line(), terminal_safe(&r.to_string())))
                .collect::<Vec<_>>()
        })?;
        Ok(Change {
            original,
            bytes: s.bytes,
            changed: s
                .moved
                .into_iter()
                .map(|m| {
                    let from = m.from.map_or("no date".to_owned(), |d| d.to_string());
                    let what = format!(
                        "{} {from} -> {to} (moved {})",
                        which.as_str(),
                        plural(i64::from(m.moves), "time")
                    );
                    (what, m.line, m.text)
                })
                .collect(),
        })
    })?;
    let plans = match plans {
        Ok(p) => p,
        Err(problems) => return refuse(&problems, io),
    };
    if args.dry_run {
        plans.show_dry_run("would move", io)?;
        writeln!(io.err, "dry run: nothing written")?;
        return Ok(Exit::Success);
    }
    Ok(plans.write("moved", io)?)
}

/// The new date: `YYYY-MM-DD`, or a relative date counted from today (`+3d`, `+2w`,
/// `+1m`, `tomorrow`, `fri`; `next fri` is the same as `fri`: the first Friday after
/// today).
pub fn snooze_date(spec: &str, today: NaiveDate) -> Option<NaiveDate> {
    let spec = spec.trim();
    if let Some(d) = parse_iso(spec) {
        return Some(d);
    }
    let lower = spec.to_ascii_lowercase();
    let word = lower
        .strip_prefix("next ")
        .map_or(lower.as_str(), str::trim);
    parse_relative(word)?.apply(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_from_today() {
        let today = parse_iso("2026-11-23").unwrap(); // a Monday
        let d = |s| snooze_date(s, today).map(|d| d.to_string());
        assert_eq!(d("2026-12-01").as_deref(), Some("2026-12-01"));
        assert_eq!(d("+3d").as_deref(), Some("2026-11-26"));
        assert_eq!(d("+2w").as_deref(), Some("2026-12-07"));
        assert_eq!(d("fri").as_deref(), Some("2026-11-27"));
        assert_eq!(d("next fri").as_deref(), Some("2026-11-27"));
        assert_eq!(d("mon").as_deref(), Some("2026-11-30"));
        assert_eq!(d("someday"), None);
    }
}
