//! Recurrence rules: Obsidian Tasks' `🔁 every week` / `[repeat:: every week]` and our
//! own `@every(2w)` / `@every(mon)`, read into a [`Recurrence`] that gives the next
//! occurrence's dates.
//!
//! Obsidian Tasks reads rules with the rrule library's text parser and moves the
//! reference date (due, else scheduled, else start) to the rule's next date after it,
//! or after the day it is done for `when done`; the other dates keep their distance in
//! days from it (`src/Task/Recurrence.ts`, obsidian-tasks-group/obsidian-tasks, MIT
//! licensed). This reads the forms people write (see [`Recurrence::parse`]), not all
//! of rrule's English.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// How often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Every {
    /// Every N days.
    Days(u32),
    /// Every N weeks, on these days (none: the reference date's day).
    Weeks(u32, Vec<Weekday>),
    /// Monday to Friday.
    Weekday,
    /// Every N months, on this day of the month (none: the reference date's day).
    Months(u32, Option<MonthDay>),
    /// Every N years.
    Years(u32),
}

/// A day of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthDay {
    /// The 1st to the 31st (a shorter month: its last day).
    Nth(u32),
    /// The last day.
    Last,
}

/// A recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    /// How often.
    pub every: Every,
    /// From the day it is done (`when done`), not from its dates.
    pub when_done: bool,
}

const DAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn weekday(word: &str) -> Option<Weekday> {
    let w = word.trim_end_matches(',').to_ascii_lowercase();
    let w = w
        .strip_suffix('s')
        .filter(|s| s.ends_with("day"))
        .unwrap_or(&w);
    DAYS.iter()
        .find(|(name, _)| w.len() >= 3 && name.starts_with(w))
        .map(|(_, d)| *d)
}

fn ordinal(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: u32 = digits.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

fn unit(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "day" | "days" => "d",
        "week" | "weeks" => "w",
        "month" | "months" => "m",
        "year" | "years" => "y",
        _ => return None,
    })
}

impl Recurrence {
    /// Read a rule. Obsidian Tasks' forms: `every day`, `every 3 days`, `every week`,
    /// `every 2 weeks on Monday`, `every week on Monday, Friday`, `every Tuesday`,
    /// `every weekday`, `every month`, `every month on the 1st`, `every month on the
    /// last`, `every 2 months`, `every year`, each optionally ending `when done`. Ours,
    /// as in `@every(...)`: `2w`, `3d`, `1m`, `1y`, `mon`, `weekday`, `week`.
    pub fn parse(text: &str) -> Result<Recurrence, String> {
        let lower = text.trim().to_ascii_lowercase();
        let (body, when_done) = match lower.strip_suffix("when done") {
            Some(b) => (b.trim().to_owned(), true),
            None => (lower.clone(), false),
        };
        let bad = || format!("`{}` is not a recurrence rule", text.trim());
        let every = match body.strip_prefix("every") {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => parse_every(rest.trim()),
            _ => parse_short(&body),
        }
        .ok_or_else(bad)?;
        Ok(Recurrence { every, when_done })
    }

    /// The reference date's next occurrence: the rule's first date after `from`.
    pub fn next(&self, from: NaiveDate) -> Option<NaiveDate> {
        match &self.every {
            Every::Days(n) => from.checked_add_days(Days::new(u64::from(*n))),
            Every::Weeks(n, days) if days.is_empty() => {
                from.checked_add_days(Days::new(7 * u64::from(*n)))
            }
            Every::Weeks(n, days) => {
                let monday = from - Days::new(u64::from(from.weekday().num_days_from_monday()));
                let in_week = |start: NaiveDate| {
                    let mut found: Vec<NaiveDate> = days
                        .iter()
                        .filter_map(|d| {
                            start.checked_add_days(Days::new(u64::from(d.num_days_from_monday())))
                        })
                        .filter(|d| *d > from)
                        .collect();
                    found.sort();
                    found.first().copied()
                };
                in_week(monday)
                    .or_else(|| in_week(monday.checked_add_days(Days::new(7 * u64::from(*n)))?))
            }
            Every::Weekday => {
                let mut d = from.succ_opt()?;
                while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    d = d.succ_opt()?;
                }
                Some(d)
            }
            Every::Months(n, None) => add_months_clamped(from, *n, from.day()),
            Every::Months(n, Some(day)) => {
                let this = on_day(from.with_day(1)?, *day)?;
                if this > from {
                    Some(this)
                } else {
                    on_day(from.with_day(1)?.checked_add_months(Months::new(*n))?, *day)
                }
            }
            Every::Years(n) => add_months_clamped(from, 12 * n, from.day()),
        }
    }

    /// The next occurrence's dates: `(start, scheduled, due)` given this one's, and the
    /// day it is done. The reference date (due, else scheduled, else start; the done
    /// day for `when done`) moves to the rule's next date; the others keep their
    /// distance from it in days. `None` when a date would be out of range.
    #[allow(clippy::type_complexity)]
    pub fn next_dates(
        &self,
        dates: [Option<NaiveDate>; 3],
        done: NaiveDate,
    ) -> Option<[Option<NaiveDate>; 3]> {
        let [_, _, due] = dates;
        let reference = due.or(dates[1]).or(dates[0]);
        let Some(reference) = reference else {
            return Some(dates);
        };
        let base = if self.when_done { done } else { reference };
        let next = self.next(base)?;
        let shift = |d: Option<NaiveDate>| -> Option<Option<NaiveDate>> {
            match d {
                None => Some(None),
                Some(d) => {
                    let diff = d.signed_duration_since(reference);
                    Some(Some(next.checked_add_signed(diff)?))
                }
            }
        };
        Some([shift(dates[0])?, shift(dates[1])?, shift(dates[2])?])
    }
}

fn add_months_clamped(from: NaiveDate, n: u32, day: u32) -> Option<NaiveDate> {
    let first = from.with_day(1)?.checked_add_months(Months::new(n))?;
    on_day(first, MonthDay::Nth(day))
}

/// The day `day` of `first`'s month (its last day when the month is shorter).
fn on_day(first: NaiveDate, day: MonthDay) -> Option<NaiveDate> {
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?.day();
    let d = match day {
        MonthDay::Nth(n) => n.min(last),
        MonthDay::Last => last,
    };
    first.with_day(d)
}

/// After `every`: `week`, `2 weeks on Monday`, `weekday`, `month on the 1st`, ...
fn parse_every(rest: &str) -> Option<Every> {
    let words: Vec<&str> = rest
        .split([' ', ','])
        .filter(|w| !w.is_empty() && *w != "and")
        .collect();
    let (n, words) = match words.first()?.parse::<u32>() {
        Ok(n) if n >= 1 => (n, &words[1..]),
        Ok(_) => return None,
        // `every other week`, as rrule reads it.
        Err(_) if words[0] == "other" => (2, &words[1..]),
        Err(_) => (1, &words[..]),
    };
    let first = *words.first()?;
    if n == 1 && first == "weekday" && words.len() == 1 {
        return Some(Every::Weekday);
    }
    if n == 1 && weekday(first).is_some() {
        let days: Option<Vec<Weekday>> = words.iter().map(|w| weekday(w)).collect();
        return Some(Every::Weeks(1, days?));
    }
    let u = unit(first)?;
    let tail = &words[1..];
    match (u, tail) {
        ("d", []) => Some(Every::Days(n)),
        ("w", []) => Some(Every::Weeks(n, Vec::new())),
        ("w", ["on", days @ ..]) if !days.is_empty() => {
            let days: Option<Vec<Weekday>> = days.iter().map(|w| weekday(w)).collect();
            Some(Every::Weeks(n, days?))
        }
        ("m", []) => Some(Every::Months(n, None)),
        ("m", ["on", "the", "last"] | ["on", "the", "last", "day"]) => {
            Some(Every::Months(n, Some(MonthDay::Last)))
        }
        ("m", ["on", "the", day]) => Some(Every::Months(n, Some(MonthDay::Nth(ordinal(day)?)))),
        ("y", []) => Some(Every::Years(n)),
        _ => None,
    }
}

/// Our short forms: `2w`, `3d`, `1m`, `1y`, `mon`, `weekday`, `week`.
fn parse_short(s: &str) -> Option<Every> {
    let s = s.trim();
    if s == "weekday" {
        return Some(Every::Weekday);
    }
    if let Some(d) = weekday(s) {
        return Some(Every::Weeks(1, vec![d]));
    }
    if let Some(u) = unit(s) {
        return parse_every(&format!("1 {}", full(u)));
    }
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: u32 = digits.parse().ok().filter(|n| *n >= 1)?;
    let u = match &s[digits.len()..] {
        "d" => "d",
        "w" => "w",
        "m" => "m",
        "y" => "y",
        other => unit(other)?,
    };
    parse_every(&format!("{n} {}", full(u)))
}

fn full(u: &str) -> &'static str {
    match u {
        "d" => "days",
        "w" => "weeks",
        "m" => "months",
        _ => "years",
    }
}

impl fmt::Display for Recurrence {
    /// The rule in Obsidian Tasks' words: `every 2 weeks on Monday`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let every = |n: u32, one: &str, many: &str| {
            if n == 1 {
                format!("every {one}")
            } else {
                format!("every {n} {many}")
            }
        };
        let day_name = |d: &Weekday| {
            let (name, _) = DAYS.iter().find(|(_, w)| w == d).expect("a day");
            let mut c = name.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        };
        let text = match &self.every {
            Every::Days(n) => every(*n, "day", "days"),
            Every::Weeks(n, days) if days.is_empty() => every(*n, "week", "weeks"),
            Every::Weeks(n, days) => {
                let names: Vec<String> = days.iter().map(day_name).collect();
                format!("{} on {}", every(*n, "week", "weeks"), names.join(", "))
            }
            Every::Weekday => "every weekday".to_owned(),
            Every::Months(n, None) => every(*n, "month", "months"),
            Every::Months(n, Some(MonthDay::Last)) => {
                format!("{} on the last", every(*n, "month", "months"))
            }
            Every::Months(n, Some(MonthDay::Nth(d))) => {
                let suffix = match (d % 10, d % 100) {
                    (1, x) if x != 11 => "st",
                    (2, x) if x != 12 => "nd",
                    (3, x) if x != 13 => "rd",
                    _ => "th",
                };
                format!("{} on the {d}{suffix}", every(*n, "month", "months"))
            }
            Every::Years(n) => every(*n, "year", "years"),
        };
        f.write_str(&text)?;
        if self.when_done {
            f.write_str(" when done")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::dates::parse_iso;

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    /// (rule, due, done on, next due): each rule form, from its due date and when done.
    /// Rules are Obsidian Tasks' documented forms (docs/Editing/Recurring Tasks.md,
    /// obsidian-tasks-group/obsidian-tasks, MIT licensed) and our `@every` short ones.
    /// 2026-11-20 is a Friday; done on Monday 2026-11-23.
    const TABLE: &[(&str, &str, &str, &str)] = &[
        ("every day", "2026-11-20", "2026-11-23", "2026-11-21"),
        (
            "every day when done",
            "2026-11-20",
            "2026-11-23",
            "2026-11-24",
        ),
        ("every 3 days", "2026-11-20", "2026-11-23", "2026-11-23"),
        ("every week", "2026-11-20", "2026-11-23", "2026-11-27"),
        (
            "every week when done",
            "2026-11-20",
            "2026-11-23",
            "2026-11-30",
        ),
        ("every 2 weeks", "2026-11-20", "2026-11-23", "2026-12-04"),
        ("every other week", "2026-11-20", "2026-11-23", "2026-12-04"),
        (
            "every 2 weeks on Monday",
            "2026-11-20",
            "2026-11-23",
            "2026-11-30",
        ),
        (
            "every 2 weeks on Monday when done",
            "2026-11-20",
            "2026-11-23",
            "2026-12-07",
        ),
        (
            "every week on Monday, Friday",
            "2026-11-16",
            "2026-11-23",
            "2026-11-20",
        ),
        ("every Tuesday", "2026-11-20", "2026-11-23", "2026-11-24"),
        ("every weekday", "2026-11-20", "2026-11-23", "2026-11-23"),
        (
            "every weekday when done",
            "2026-11-20",
            "2026-11-23",
            "2026-11-24",
        ),
        ("every month", "2026-11-20", "2026-11-23", "2026-12-20"),
        (
            "every month when done",
            "2026-11-20",
            "2026-11-23",
            "2026-12-23",
        ),
        (
            "every month on the 1st",
            "2026-11-20",
            "2026-11-23",
            "2026-12-01",
        ),
        (
            "every month on the 1st when done",
            "2026-11-20",
            "2026-12-01",
            "2027-01-01",
        ),
        (
            "every month on the last",
            "2026-11-20",
            "2026-11-23",
            "2026-11-30",
        ),
        ("every month", "2027-01-31", "2027-01-31", "2027-02-28"),
        ("every 3 months", "2026-11-20", "2026-11-23", "2027-02-20"),
        ("every year", "2028-02-29", "2028-02-29", "2029-02-28"),
        (
            "every year when done",
            "2026-11-20",
            "2026-11-23",
            "2027-11-23",
        ),
        ("2w", "2026-11-20", "2026-11-23", "2026-12-04"),
        ("3d", "2026-11-20", "2026-11-23", "2026-11-23"),
        ("1m", "2026-11-20", "2026-11-23", "2026-12-20"),
        ("1y", "2026-11-20", "2026-11-23", "2027-11-20"),
        ("mon", "2026-11-20", "2026-11-23", "2026-11-23"),
        ("weekday", "2026-11-27", "2026-11-23", "2026-11-30"),
    ];

    #[test]
    fn every_rule_form_from_due_and_when_done() {
        for (rule, due, done, want) in TABLE {
            let r = Recurrence::parse(rule).unwrap_or_else(|e| panic!("{rule}: {e}"));
            let [_, _, next] = r.next_dates([None, None, Some(d(due))], d(done)).unwrap();
            assert_eq!(next, Some(d(want)), "{rule} from {due}, done {done}");
        }
    }

    #[test]
    fn other_dates_keep_their_distance() {
        let r = Recurrence::parse("every week").unwrap();
        let next = r
            .next_dates(
                [
                    Some(d("2026-11-16")),
                    Some(d("2026-11-18")),
                    Some(d("2026-11-20")),
                ],
                d("2026-11-23"),
            )
            .unwrap();
        assert_eq!(
            next,
            [
                Some(d("2026-11-23")),
                Some(d("2026-11-25")),
                Some(d("2026-11-27"))
            ]
        );
        // Scheduled is the reference without a due date.
        let next = r
            .next_dates([None, Some(d("2026-11-18")), None], d("2026-11-23"))
            .unwrap();
        assert_eq!(next, [None, Some(d("2026-11-25")), None]);
    }

    #[test]
    fn rules_print_in_obsidian_words_and_bad_ones_are_errors() {
        for (written, shown) in [
            ("every 2 weeks on monday", "every 2 weeks on Monday"),
            ("Every Week When Done", "every week when done"),
            ("2w", "every 2 weeks"),
            ("mon", "every week on Monday"),
            ("every month on the 22nd", "every month on the 22nd"),
        ] {
            assert_eq!(Recurrence::parse(written).unwrap().to_string(), shown);
        }
        for bad in [
            "",
            "every",
            "every fortnight",
            "sometimes",
            "0w",
            "every 0 days",
            "every month on the 32nd",
        ] {
            assert!(Recurrence::parse(bad).is_err(), "{bad}");
        }
    }
}
