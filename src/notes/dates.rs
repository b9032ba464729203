//! DATE values in tags: absolute `YYYY-MM-DD`, or relative to the note's own date.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// What a tag's date value turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// A `YYYY-MM-DD` date as written.
    Absolute(NaiveDate),
    /// A relative date (`fri`, `+2w`, ...) resolved against the note date.
    Relative {
        /// The resolved calendar date.
        date: NaiveDate,
        /// The note date it was resolved from.
        from: NaiveDate,
    },
    /// A relative date in a note that has no date.
    Unresolved,
    /// Not a date at all, or an impossible one (`2026-02-30`, `someday`).
    Invalid(String),
}

impl DateValue {
    /// The calendar date, when there is one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            DateValue::Absolute(d) | DateValue::Relative { date: d, .. } => Some(*d),
            DateValue::Unresolved | DateValue::Invalid(_) => None,
        }
    }
}

/// Parse a strict `YYYY-MM-DD` date. Chrono's own parser accepts `2026-1-5` and
/// surrounding whitespace; the notes format does not, so the shape is checked first.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Why a `YYYY-MM-DD`-shaped value is still not a date, for messages.
fn invalid_reason(value: &str) -> String {
    let looks_iso = value.len() == 10
        && value.bytes().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if value.is_empty() {
        "no date given".to_owned()
    } else if looks_iso {
        format!("`{value}` is not a day on the calendar")
    } else {
        format!("`{value}` is not a date")
    }
}

/// Parse a tag's date value. `relative_ok` is false for the emoji and Dataview
/// forms, which take only `YYYY-MM-DD`.
pub fn parse_value(value: &str, note_date: Option<NaiveDate>, relative_ok: bool) -> DateValue {
    if let Some(d) = parse_iso(value) {
        if !in_calendar_range(d) {
            return DateValue::Invalid(format!("`{value}` is outside the years 0001 to 9999"));
        }
        return DateValue::Absolute(d);
    }
    if !relative_ok {
        return DateValue::Invalid(invalid_reason(value));
    }
    let Some(offset) = parse_relative(value) else {
        return DateValue::Invalid(invalid_reason(value));
    };
    let Some(from) = note_date else {
        return DateValue::Unresolved;
    };
    match offset.apply(from) {
        Some(date) if in_calendar_range(date) => DateValue::Relative { date, from },
        _ => DateValue::Invalid(format!(
            "`{value}` is out of range (a date must be in the years 0001 to 9999)"
        )),
    }
}

/// Whether a date can be written as `YYYY-MM-DD` (and in iCalendar, JSON, ...): the
/// years 0001 to 9999. Chrono goes further (`+10000-01-01`), which no reader takes.
pub fn in_calendar_range(d: NaiveDate) -> bool {
    (1..=9999).contains(&d.year())
}

/// A relative date, before it meets a note date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// `today` (0) or `tomorrow` (1), or `+Nd` / `+Nw` as a day count.
    Days(u64),
    /// `+Nm`: calendar months, clamped to the month's end.
    Months(u32),
    /// A weekday: the first such day strictly after the note date.
    Next(Weekday),
}

impl Relative {
    /// Resolve against a note date; `None` when the result leaves chrono's range.
    pub fn apply(self, from: NaiveDate) -> Option<NaiveDate> {
        match self {
            Relative::Days(n) => from.checked_add_days(Days::new(n)),
            Relative::Months(n) => from.checked_add_months(Months::new(n)),
            Relative::Next(wd) => {
                let ahead =
                    (wd.num_days_from_monday() + 7 - from.weekday().num_days_from_monday()) % 7;
                let ahead = if ahead == 0 { 7 } else { ahead };
                from.checked_add_days(Days::new(u64::from(ahead)))
            }
        }
    }
}

/// Parse a relative date word (case-insensitive): `today`, `tomorrow`, weekday names
/// and three-letter abbreviations, `+Nd`, `+Nw`, `+Nm`.
pub fn parse_relative(value: &str) -> Option<Relative> {
    let lower = value.to_ascii_lowercase();
    let day = |wd| Some(Relative::Next(wd));
    match lower.as_str() {
        "today" => return Some(Relative::Days(0)),
        "tomorrow" => return Some(Relative::Days(1)),
        "mon" | "monday" => return day(Weekday::Mon),
        "tue" | "tuesday" => return day(Weekday::Tue),
        "wed" | "wednesday" => return day(Weekday::Wed),
        "thu" | "thursday" => return day(Weekday::Thu),
        "fri" | "friday" => return day(Weekday::Fri),
        "sat" | "saturday" => return day(Weekday::Sat),
        "sun" | "sunday" => return day(Weekday::Sun),
        _ => {}
    }
    let rest = lower.strip_prefix('+')?;
    let unit = rest.chars().last()?;
    let digits = &rest[..rest.len() - unit.len_utf8()];
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    match unit {
        'd' => Some(Relative::Days(u64::from(n))),
        'w' => Some(Relative::Days(u64::from(n) * 7)),
        'm' => Some(Relative::Months(n)),
        _ => None,
    }
}

/// Signed whole days from `from` to `to` (positive when `to` is later).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// "today", "tomorrow", "in 3 days", "yesterday", "5 days ago".
pub fn describe_offset(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        n if n > 1 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    #[test]
    fn iso_is_strict() {
        assert_eq!(parse_iso("2026-11-25"), Some(d("2026-11-25")));
        assert_eq!(parse_iso("2026-02-30"), None);
        assert_eq!(parse_iso("2026-1-05"), None);
        assert_eq!(parse_iso(" 2026-11-25"), None);
        assert_eq!(parse_iso("２０２６-11-25"), None);
    }

    #[test]
    fn weekday_is_strictly_after_note_date() {
        // 2026-11-16 is a Monday.
        let from = d("2026-11-16");
        let rel = |v| parse_value(v, Some(from), true).date().unwrap();
        assert_eq!(rel("fri"), d("2026-11-20"));
        assert_eq!(rel("Friday"), d("2026-11-20"));
        assert_eq!(rel("mon"), d("2026-11-23"));
        assert_eq!(rel("tue"), d("2026-11-17"));
        assert_eq!(rel("today"), from);
        assert_eq!(rel("TOMORROW"), d("2026-11-17"));
    }

    #[test]
    fn offsets_days_weeks_months() {
        let rel = |v, from| parse_value(v, Some(d(from)), true).date().unwrap();
        assert_eq!(rel("+3d", "2026-11-16"), d("2026-11-19"));
        assert_eq!(rel("+2w", "2026-11-16"), d("2026-11-30"));
        assert_eq!(rel("+1m", "2026-01-31"), d("2026-02-28"));
        assert_eq!(rel("+1m", "2028-01-31"), d("2028-02-29"));
        assert_eq!(rel("+12m", "2026-11-16"), d("2027-11-16"));
    }

    #[test]
    fn invalid_and_unresolved() {
        let from = Some(d("2026-11-16"));
        assert!(
            matches!(parse_value("2026-02-30", from, true), DateValue::Invalid(m) if m.contains("not a day on the calendar"))
        );
        assert!(
            matches!(parse_value("someday", from, true), DateValue::Invalid(m) if m.contains("`someday` is not a date"))
        );
        assert!(matches!(
            parse_value("+3x", from, true),
            DateValue::Invalid(_)
        ));
        assert!(matches!(
            parse_value("+", from, true),
            DateValue::Invalid(_)
        ));
        assert!(matches!(
            parse_value("+9999999d", from, true),
            DateValue::Invalid(_)
        ));
        assert_eq!(parse_value("fri", None, true), DateValue::Unresolved);
        // Emoji and Dataview forms take only YYYY-MM-DD.
        assert!(matches!(
            parse_value("fri", from, false),
            DateValue::Invalid(_)
        ));
        assert_eq!(
            parse_value("2026-11-20", None, false),
            DateValue::Absolute(d("2026-11-20"))
        );
    }

    #[test]
    fn a_multibyte_unit_is_invalid_not_a_panic() {
        // Found by fuzzing: `@due(+՛)` sliced the value inside its last character.
        let from = Some(d("2026-11-16"));
        for v in ["+՛", "+3é", "+😀"] {
            assert!(
                matches!(parse_value(v, from, true), DateValue::Invalid(_)),
                "{v}"
            );
        }
    }

    #[test]
    fn dates_outside_the_years_1_to_9999_are_invalid() {
        let from = Some(d("2026-11-16"));
        assert!(matches!(
            parse_value("+99999999d", from, true),
            DateValue::Invalid(_)
        ));
        assert!(matches!(
            parse_value("+100000m", from, true),
            DateValue::Invalid(_)
        ));
        assert!(matches!(
            parse_value("+96000m", from, true),
            DateValue::Invalid(_)
        ));
        assert!(matches!(
            parse_value("0000-01-01", from, true),
            DateValue::Invalid(_)
        ));
        assert_eq!(
            parse_value("9999-12-31", from, true).date(),
            Some(d("9999-12-31"))
        );
    }

    #[test]
    fn describes_offsets() {
        assert_eq!(describe_offset(0), "today");
        assert_eq!(describe_offset(3), "in 3 days");
        assert_eq!(describe_offset(-4), "4 days ago");
        assert_eq!(days_between(d("2026-11-20"), d("2026-11-23")), 3);
    }
}
