//! `followup snooze`: move commitments' due (or scheduled) dates by their locators (or
//! `--match TEXT`), in each item's own tag style, counting the moves in `@moved(N)`.
//! All or nothing, like `done`.

use chrono::NaiveDate;

use crate::app::cli::{target_arg, SnoozeArgs};
use crate::app::commands::done::{
    locators_of, parse_for_edit, plan_notes, refuse, Change, Changed,
};
use crate::app::settings::{load_config, read_policy, today};
use crate::app::{AppResult, Io};
use crate::edit::{snooze_note, Which};
use crate::notes::dates::{parse_iso, parse_natural, DateOrder, Natural};
use crate::notes::reader::parse_text;
use crate::text::{plural, terminal_safe};

/// Run `snooze`.
pub fn snooze(args: SnoozeArgs, io: &mut Io<'_>) -> AppResult {
    let today = today(args.today);
    let mut words = args.args.clone();
    // The date is the last argument; `next fri` or `Dec 5 2026` may come as several.
    let Some(mut spec) = words.pop() else {
        return refuse(
            &["give the new date last: YYYY-MM-DD, +3d, fri".to_owned()],
            io,
        );
    };
    for more in [2, 1] {
        if words.len() >= more {
            let joined = format!("{} {spec}", words[words.len() - more..].join(" "));
            if parse_natural(&joined, None).is_some() {
                words.truncate(words.len() - more);
                spec = joined;
                break;
            }
        }
    }
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
    let to = match snooze_date(&spec, today, config.markers.date_order) {
        Ok(d) => d,
        Err(why) => return refuse(&[why], io),
    };
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
                    Changed {
                        what,
                        line: m.line,
                        text: m.text,
                        plain: false,
                    }
                })
                .collect(),
        })
    })?;
    let plans = match plans {
        Ok(p) => p,
        Err(problems) => return refuse(&problems, io),
    };
    Ok(plans.finish(args.dry_run, "would move", "moved", io)?)
}

/// The new date: `YYYY-MM-DD`, or any form a date tag takes (docs/format.md#dates),
/// counted from today as a tag's is from the note's date: `+3d`, `+2w`, `tomorrow`, `fri`
/// (the first Friday after today), `next fri` (Friday next week), `Dec 5`, `eom`...
pub fn snooze_date(
    spec: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
) -> Result<NaiveDate, String> {
    let spec = spec.trim();
    if let Some(d) = parse_iso(spec) {
        return Ok(d);
    }
    let bad = || {
        format!(
            "`{}` is not a date: write YYYY-MM-DD, +3d, +2w, tomorrow, fri, `next fri` or Dec 5",
            terminal_safe(spec)
        )
    };
    match parse_natural(spec, order).ok_or_else(bad)? {
        Natural::Exact(d) => Ok(d),
        Natural::Ambiguous(why) => Err(why),
        Natural::Relative(r) => r.apply(today).ok_or_else(bad),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_from_today() {
        let today = parse_iso("2026-11-23").unwrap(); // a Monday
        let d = |s| snooze_date(s, today, None).ok().map(|d| d.to_string());
        assert_eq!(d("2026-12-01").as_deref(), Some("2026-12-01"));
        assert_eq!(d("+3d").as_deref(), Some("2026-11-26"));
        assert_eq!(d("+2w").as_deref(), Some("2026-12-07"));
        assert_eq!(d("fri").as_deref(), Some("2026-11-27"));
        assert_eq!(d("next fri").as_deref(), Some("2026-12-04"));
        assert_eq!(d("mon").as_deref(), Some("2026-11-30"));
        assert_eq!(d("Dec 15").as_deref(), Some("2026-12-15"));
        assert_eq!(d("someday"), None);
        assert!(snooze_date("3/4", today, None)
            .unwrap_err()
            .contains("month/day"));
    }
}
