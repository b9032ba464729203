//! DATE values in tags: absolute `YYYY-MM-DD`, or relative to the note's own date.

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::Regex;

use crate::text::Piece;

/// What a tag's date value turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DateValue {
    /// A `YYYY-MM-DD` date as written.
    Absolute(#[serde(with = "days")] NaiveDate),
    /// A relative date (`fri`, `+2w`, ...) resolved against the note date.
    Relative {
        /// The resolved calendar date.
        #[serde(with = "days")]
        date: NaiveDate,
        /// The note date it was resolved from.
        #[serde(with = "days")]
        from: NaiveDate,
    },
    /// A relative date in a note that has no date.
    Unresolved,
    /// Not a date at all, or an impossible one (`2026-02-30`, `someday`).
    Invalid(String),
    /// A numeric date that reads two ways (`12/4`) and no `[dates] order` to choose:
    /// why, and how to choose.
    Ambiguous(String),
}

impl DateValue {
    /// The calendar date, when there is one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            DateValue::Absolute(d) | DateValue::Relative { date: d, .. } => Some(*d),
            DateValue::Unresolved | DateValue::Invalid(_) | DateValue::Ambiguous(_) => None,
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
/// forms, which take only `YYYY-MM-DD`. Numeric dates that read two ways are
/// [`DateValue::Ambiguous`]: [`parse_value_in`] takes the `[dates] order`.
pub fn parse_value(value: &str, note_date: Option<NaiveDate>, relative_ok: bool) -> DateValue {
    parse_value_in(value, note_date, relative_ok, None)
}

/// [`parse_value`] with a `[dates] order` for numeric dates. The strict `YYYY-MM-DD`
/// path comes first, so the wider grammar costs nothing for dates written out.
pub fn parse_value_in(
    value: &str,
    note_date: Option<NaiveDate>,
    relative_ok: bool,
    order: Option<DateOrder>,
) -> DateValue {
    if let Some(d) = parse_iso(value) {
        if !in_calendar_range(d) {
            return DateValue::Invalid(format!("`{value}` is outside the years 0001 to 9999"));
        }
        return DateValue::Absolute(d);
    }
    if !relative_ok {
        return DateValue::Invalid(invalid_reason(value));
    }
    let offset = match parse_natural(value, order) {
        None => return DateValue::Invalid(invalid_reason(value)),
        Some(Natural::Ambiguous(why)) => return DateValue::Ambiguous(why),
        // Written out, but not as YYYY-MM-DD: `fix` writes it the canonical way.
        Some(Natural::Exact(date)) if !in_calendar_range(date) => {
            return DateValue::Invalid(format!("`{value}` is outside the years 0001 to 9999"))
        }
        Some(Natural::Exact(date)) => {
            return DateValue::Relative {
                date,
                from: note_date.unwrap_or(date),
            }
        }
        Some(Natural::Relative(r)) => r,
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

/// How a numeric date such as `12/4` is read (`[dates] order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// Month first: `12/4` is December 4.
    Mdy,
    /// Day first: `12/4` is April 12.
    Dmy,
    /// Year first (`2026/12/4`); without a year, month then day.
    Ymd,
}

impl DateOrder {
    /// Read `mdy`, `dmy` or `ymd`.
    pub fn parse(s: &str) -> Option<DateOrder> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mdy" => Some(DateOrder::Mdy),
            "dmy" => Some(DateOrder::Dmy),
            "ymd" => Some(DateOrder::Ymd),
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
            DateOrder::Ymd => "ymd",
        }
    }
}

/// A relative date, before it meets a note date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// `today` (0) or `tomorrow` (1), or `+Nd` / `+Nw` / `in N days` as a day count.
    Days(u64),
    /// `yesterday`: days back.
    DaysBack(u64),
    /// `+Nm`, `+Nmo`, `+Ny`: calendar months, clamped to the month's end.
    Months(u32),
    /// A weekday: the first such day strictly after the note date.
    Next(Weekday),
    /// `this fri`: the first such day on or after the note date.
    This(Weekday),
    /// `next fri`, `next week` (Monday): that day in the week after the note's week.
    NextWeek(Weekday),
    /// `next month`: the first of the next month.
    NextMonth,
    /// `eow`: the Friday on or after the note date (the end of the work week).
    EndOfWeek,
    /// `eom`: the last day of the note's month.
    EndOfMonth,
    /// `eoq`: the last day of the note's quarter.
    EndOfQuarter,
    /// `eoy`: December 31 of the note's year.
    EndOfYear,
    /// `Dec 5`, `5 Dec`, `12/5`: the first such day on or after the note date.
    MonthDay(u32, u32),
}

impl Relative {
    /// Resolve against a note date; `None` when the result leaves chrono's range.
    pub fn apply(self, from: NaiveDate) -> Option<NaiveDate> {
        let wd_from = from.weekday().num_days_from_monday();
        let ahead = |wd: Weekday| (wd.num_days_from_monday() + 7 - wd_from) % 7;
        let add = |n: u32| from.checked_add_days(Days::new(u64::from(n)));
        match self {
            Relative::Days(n) => from.checked_add_days(Days::new(n)),
            Relative::DaysBack(n) => from.checked_sub_days(Days::new(n)),
            Relative::Months(n) => from.checked_add_months(Months::new(n)),
            Relative::Next(wd) => match ahead(wd) {
                0 => add(7),
                n => add(n),
            },
            Relative::This(wd) => add(ahead(wd)),
            Relative::NextWeek(wd) => add(7 - wd_from + wd.num_days_from_monday()),
            Relative::NextMonth => from.with_day(1)?.checked_add_months(Months::new(1)),
            Relative::EndOfWeek => add(ahead(Weekday::Fri)),
            Relative::EndOfMonth => end_of_month(from.year(), from.month()),
            Relative::EndOfQuarter => end_of_month(from.year(), (from.month() - 1) / 3 * 3 + 3),
            Relative::EndOfYear => NaiveDate::from_ymd_opt(from.year(), 12, 31),
            Relative::MonthDay(m, d) => {
                let this = day_in_year(from.year(), m, d)?;
                if this >= from {
                    Some(this)
                } else {
                    day_in_year(from.year() + 1, m, d)
                }
            }
        }
    }
}

fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

/// Feb 29 in a year without one is no day: the next leap year's is taken by the caller
/// only through [`Relative::MonthDay`], which tries the next year.
fn day_in_year(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Parse a relative date word (case-insensitive): `today`, `tomorrow`, weekday names
/// and three-letter abbreviations, `+Nd`, `+Nw`, `+Nm`. The wider grammar of
/// [`parse_natural`] includes these.
pub fn parse_relative(value: &str) -> Option<Relative> {
    match parse_natural(value, None)? {
        Natural::Relative(r) => Some(r),
        _ => None,
    }
}

/// What [`parse_natural`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Natural {
    /// A day given in full, written some other way than `YYYY-MM-DD` (`2026-12-5`,
    /// `Dec 5 2026`, `12/4/2026` with an order).
    Exact(NaiveDate),
    /// A day relative to the note's date.
    Relative(Relative),
    /// `12/4` with no `[dates] order`: both readings are days. The two readings,
    /// month-first then day-first.
    Ambiguous(String),
}

/// A month from its English name or abbreviation (`dec`, `December`, `sept`).
pub fn month_from_word(w: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = w.trim_end_matches('.');
    if w.eq_ignore_ascii_case("sept") {
        return Some(9);
    }
    if w.len() < 3 || w.len() > 9 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(w) || (w.len() == 3 && m[..3].eq_ignore_ascii_case(w)))
        .map(|i| i as u32 + 1)
}

/// A weekday from its name or a common abbreviation (`tues`, `thurs`, `weds`).
pub fn weekday_from_word(w: &str) -> Option<Weekday> {
    Some(match w {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// `5`, `5th`, `21st`, `2nd`, `3rd`: a day of the month, 1 to 31.
fn day_word(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_word(w: &str) -> Option<i32> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
}

/// Read a date as people type it (case-insensitive), against nothing yet: see
/// docs/format.md#dates for the grammar. `order` reads numeric `12/4`; without it a
/// numeric date that reads both ways is [`Natural::Ambiguous`].
pub fn parse_natural(value: &str, order: Option<DateOrder>) -> Option<Natural> {
    let lower = value.trim().to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let rel = |r| Some(Natural::Relative(r));
    match words.as_slice() {
        [] => None,
        ["today" | "tod" | "eod"] => rel(Relative::Days(0)),
        ["tomorrow" | "tmrw" | "tmr" | "tmw" | "tomorow"] => rel(Relative::Days(1)),
        ["yesterday"] => rel(Relative::DaysBack(1)),
        ["eow"] => rel(Relative::EndOfWeek),
        ["eom"] => rel(Relative::EndOfMonth),
        ["eoq"] => rel(Relative::EndOfQuarter),
        ["eoy"] => rel(Relative::EndOfYear),
        ["next", "week"] => rel(Relative::NextWeek(Weekday::Mon)),
        ["next", "month"] => rel(Relative::NextMonth),
        ["next", w] => rel(Relative::NextWeek(weekday_from_word(w)?)),
        ["this", w] => rel(Relative::This(weekday_from_word(w)?)),
        ["in", n, unit] => {
            let n: u32 = if *n == "a" || *n == "one" {
                1
            } else if n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()) {
                n.parse().ok()?
            } else {
                return None;
            };
            unit_offset(n, unit.trim_end_matches('s')).map(Natural::Relative)
        }
        [w] => {
            if let Some(wd) = weekday_from_word(w) {
                return rel(Relative::Next(wd));
            }
            if let Some(rest) = w.strip_prefix('+') {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 || digits > 6 {
                    return None;
                }
                let n: u32 = rest[..digits].parse().ok()?;
                return unit_offset(n, &rest[digits..]).map(Natural::Relative);
            }
            numeric(w, order)
        }
        [a, b] => month_and_day(a, b).map(|(m, d)| Natural::Relative(Relative::MonthDay(m, d))),
        [a, b, y] => {
            let (m, d) = month_and_day(a, b)?;
            NaiveDate::from_ymd_opt(year_word(y)?, m, d).map(Natural::Exact)
        }
        _ => None,
    }
}

/// `Dec 5`, `December 5th`, `5 Dec`, `5th of`... in either order.
fn month_and_day(a: &str, b: &str) -> Option<(u32, u32)> {
    if let (Some(m), Some(d)) = (month_from_word(a), day_word(b)) {
        return Some((m, d));
    }
    Some((month_from_word(b)?, day_word(a)?))
}

/// `d`/`day`, `w`/`week`, `m`/`mo`/`month`, `y`/`yr`/`year` (singular; plurals are
/// trimmed by the caller).
fn unit_offset(n: u32, unit: &str) -> Option<Relative> {
    Some(match unit {
        "d" | "day" => Relative::Days(u64::from(n)),
        "w" | "wk" | "week" => Relative::Days(u64::from(n) * 7),
        "m" | "mo" | "mon" | "month" => Relative::Months(n),
        "y" | "yr" | "year" => Relative::Months(n.checked_mul(12)?),
        _ => return None,
    })
}

/// `2026-12-5`, `2026/12/05`, `12/4`, `12/4/2026`, `4/12/26`.
fn numeric(w: &str, order: Option<DateOrder>) -> Option<Natural> {
    let sep = if w.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = w.split(sep).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = |i: usize| parts[i].parse::<u32>().ok();
    match parts.len() {
        3 if parts[0].len() == 4 => {
            NaiveDate::from_ymd_opt(n(0)? as i32, n(1)?, n(2)?).map(Natural::Exact)
        }
        // Only slashes carry a day-month order; `12-4` is too close to prose.
        2 if sep == '/' && parts.iter().all(|p| p.len() <= 2) => {
            let (a, b) = (n(0)?, n(1)?);
            let md = |m, d| NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d));
            Some(match pick_order(md(a, b), md(b, a), order, w)? {
                Ok((m, d)) => Natural::Relative(Relative::MonthDay(m, d)),
                Err(why) => Natural::Ambiguous(why),
            })
        }
        3 if sep == '/' && parts[0].len() <= 2 && parts[1].len() <= 2 => {
            let year = match parts[2].len() {
                2 => 2000 + n(2)? as i32,
                4 => n(2)? as i32,
                _ => return None,
            };
            let (a, b) = (n(0)?, n(1)?);
            let full = |m, d| NaiveDate::from_ymd_opt(year, m, d);
            Some(match pick_order(full(a, b), full(b, a), order, w)? {
                Ok(d) => Natural::Exact(d),
                Err(why) => Natural::Ambiguous(why),
            })
        }
        _ => None,
    }
}

/// Choose between the month-first and the day-first reading of a numeric date.
/// `Some(Err(why))` when both are days and no order is set.
fn pick_order<T: PartialEq>(
    month_first: Option<T>,
    day_first: Option<T>,
    order: Option<DateOrder>,
    written: &str,
) -> Option<Result<T, String>> {
    match order {
        Some(DateOrder::Mdy | DateOrder::Ymd) => month_first.map(Ok),
        Some(DateOrder::Dmy) => day_first.map(Ok),
        None => match (month_first, day_first) {
            (Some(a), Some(b)) if a != b => Some(Err(format!(
                "`{written}` could be month/day or day/month; set `[dates] order = \"mdy\"` \
                 (or \"dmy\") in followup.toml to say which"
            ))),
            (Some(a), _) => Some(Ok(a)),
            (None, Some(b)) => Some(Ok(b)),
            (None, None) => None,
        },
    }
}

/// A date found in a file name or a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// With its year.
    Full(NaiveDate),
    /// Month and day, no year (`Nov 18`, `11-18`).
    Yearless(u32, u32),
}

impl Found {
    /// The day: a yearless one is the latest such day on or before `reference`.
    pub fn resolve(self, reference: Option<NaiveDate>) -> Option<NaiveDate> {
        match self {
            Found::Full(d) => Some(d),
            Found::Yearless(m, d) => latest_on_or_before(m, d, reference?),
        }
    }

    /// The day in a given year.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        match self {
            Found::Full(d) => Some(d),
            Found::Yearless(m, d) => NaiveDate::from_ymd_opt(year, m, d),
        }
    }
}

/// The latest month-day on or before `reference` (Feb 29 looks back to a leap year).
pub fn latest_on_or_before(month: u32, day: u32, reference: NaiveDate) -> Option<NaiveDate> {
    (0..8)
        .filter_map(|back| NaiveDate::from_ymd_opt(reference.year() - back, month, day))
        .find(|d| *d <= reference)
}

static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])([0-9]{4})[-_./]([0-9]{1,2})[-_./]([0-9]{1,2})(?:[^0-9]|$)")
        .expect("regex")
});
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])([0-9]{4})([0-9]{2})([0-9]{2})(?:[^0-9]|$)").expect("regex")
});
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b([a-z]{3,9})\.?[ \t]+([0-9]{1,2})(?:st|nd|rd|th)?\b(?:,?[ \t]+([0-9]{4})\b)?",
    )
    .expect("regex")
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b([0-9]{1,2})(?:st|nd|rd|th)?[ \t]+([a-z]{3,9})\b\.?(?:,?[ \t]+([0-9]{4})\b)?",
    )
    .expect("regex")
});
static SLASHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9/])([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}|[0-9]{2}))?(?:[^0-9/]|$)")
        .expect("regex")
});
static DASHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9-])([0-9]{1,2})-([0-9]{1,2})(?:[^0-9-]|$)").expect("regex")
});

/// The first date in a file name or heading, and where it starts. Forms: `2026-11-18`
/// (also with `_`, `.` or `/`, and one-digit months and days), `20261118`, `Nov 18`,
/// `November 18, 2026`, `18 Nov 2026`, `11/18/2026` and `11/18` read by `order` (a
/// numeric date that reads two ways without an order is skipped), and in file names
/// `11-18` (month first, as in `Renewal call 11-18.md`).
pub fn find_date(s: &str, file_name: bool, order: Option<DateOrder>) -> Option<(Found, usize)> {
    let mut all: Vec<(Found, usize)> = Vec::new();
    fn offer(all: &mut Vec<(Found, usize)>, found: Option<Found>, at: usize) {
        all.extend(found.map(|f| (f, at)));
    }
    let num =
        |c: &regex::Captures<'_>, i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    for c in YMD.captures_iter(s).chain(COMPACT.captures_iter(s)) {
        let d = NaiveDate::from_ymd_opt(
            num(&c, 1).unwrap_or(0) as i32,
            num(&c, 2).unwrap_or(0),
            num(&c, 3).unwrap_or(0),
        );
        offer(
            &mut all,
            d.map(Found::Full),
            c.get(1).map_or(0, |m| m.start()),
        );
    }
    // File names keep their old reading: a full numeric date wins wherever it is.
    if file_name {
        if let Some(first) = all.iter().min_by_key(|(_, at)| *at) {
            return Some(*first);
        }
    }
    let with_year = |y: Option<u32>, m: u32, d: u32| match y {
        Some(y) => NaiveDate::from_ymd_opt(y as i32, m, d).map(Found::Full),
        None => NaiveDate::from_ymd_opt(2000, m, d).map(|_| Found::Yearless(m, d)),
    };
    for c in MONTH_DAY.captures_iter(s) {
        let Some(m) = month_from_word(&c[1]) else {
            continue;
        };
        offer(
            &mut all,
            with_year(num(&c, 3), m, num(&c, 2).unwrap_or(0)),
            c.get(1).map_or(0, |g| g.start()),
        );
    }
    for c in DAY_MONTH.captures_iter(s) {
        let Some(m) = month_from_word(&c[2]) else {
            continue;
        };
        offer(
            &mut all,
            with_year(num(&c, 3), m, num(&c, 1).unwrap_or(0)),
            c.get(1).map_or(0, |g| g.start()),
        );
    }
    for c in SLASHED.captures_iter(s) {
        let at = c.get(1).map_or(0, |g| g.start());
        let written = &s[at..c.get(3).or(c.get(2)).map_or(at, |g| g.end())];
        let found = match numeric(written, order) {
            Some(Natural::Exact(d)) => Some(Found::Full(d)),
            Some(Natural::Relative(Relative::MonthDay(m, d))) => Some(Found::Yearless(m, d)),
            _ => None,
        };
        offer(&mut all, found, at);
    }
    if file_name {
        for c in DASHED.captures_iter(s) {
            let (m, d) = (num(&c, 1).unwrap_or(0), num(&c, 2).unwrap_or(0));
            offer(
                &mut all,
                with_year(None, m, d),
                c.get(1).map_or(0, |g| g.start()),
            );
        }
    }
    all.into_iter().min_by_key(|(_, at)| *at)
}

/// A date that opens a heading (`## 2026-11-18 — pricing call`, `## Tue, Nov 18`,
/// `## [[2026-11-18]]`): the heading then starts a dated section.
pub fn leading_date(heading: &str, order: Option<DateOrder>) -> Option<Found> {
    let t = heading
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '[' | '(' | '*' | '_'));
    // An optional weekday first: `Tue Nov 18`, `Tuesday, 18 Nov`.
    let word_end = t
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(t.len());
    let word = &t[..word_end];
    let weekday =
        (3..=9).contains(&word.len()) && weekday_from_word(&word.to_ascii_lowercase()).is_some();
    let t = if weekday {
        t[word_end..].trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '.')
    } else {
        t
    };
    // Most headings ("Notes", "Next steps") are no date: only a number, a month or a
    // weekday can open one, decided before any pattern runs.
    let first_word = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .filter(|w| !w.is_empty())?;
    let opens_date = first_word.bytes().all(|b| b.is_ascii_digit())
        || first_word
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit())
        || month_from_word(first_word).is_some();
    if !opens_date {
        return None;
    }
    let (found, at) = find_date(t, false, order)?;
    (at == 0).then_some(found)
}

/// A date given on the command line for something already done (`done --date`): any
/// form a tag takes, resolved against `today`; a weekday or a day without a year is the
/// latest such day on or before today (`fri` on a Monday is three days ago).
pub fn parse_past(
    value: &str,
    today: NaiveDate,
    order: Option<DateOrder>,
) -> Result<NaiveDate, String> {
    if let Some(d) = parse_iso(value) {
        return Ok(d);
    }
    let bad = || {
        format!(
            "`{value}` is not a date: write YYYY-MM-DD, or a form such as yesterday, fri, \
             Dec 5, 2026-12-5"
        )
    };
    match parse_natural(value, order).ok_or_else(bad)? {
        Natural::Exact(d) => Ok(d),
        Natural::Ambiguous(why) => Err(why),
        Natural::Relative(r) => {
            let back = match r {
                Relative::Next(wd) | Relative::This(wd) => {
                    let behind = (today.weekday().num_days_from_monday() + 7
                        - wd.num_days_from_monday())
                        % 7;
                    today.checked_sub_days(Days::new(u64::from(behind)))
                }
                Relative::MonthDay(m, d) => latest_on_or_before(m, d, today),
                r => r.apply(today),
            };
            back.ok_or_else(bad)
        }
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

/// Append `date` as chrono's `Display` writes it: `YYYY-MM-DD`, with a sign and more
/// digits outside the years 0 to 9999. Written by hand because chrono's `Display` goes
/// through its general formatting machinery, about ten times the instructions for the
/// ten bytes, and `check` writes a date into most of its findings (a property test holds
/// the two to the same bytes over chrono's whole range).
pub fn push_date(out: &mut String, date: NaiveDate) {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        out.push_str(&date.to_string());
        return;
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let year = year.unsigned_abs();
    for n in [year / 1000, year / 100, year / 10, year] {
        out.push(digit(n));
    }
    for n in [date.month(), date.day()] {
        out.push('-');
        out.push(digit(n / 10));
        out.push(digit(n));
    }
}

/// `YYYY-MM-DD`, as chrono's `Display` writes it ([`push_date`]).
impl Piece for NaiveDate {
    fn max_len(&self) -> usize {
        // Out of the years 0 to 9999: a sign and up to six digits.
        14
    }
    fn push_to(&self, out: &mut String) {
        push_date(out, *self);
    }
}

/// `Mon`, as chrono's `%a` writes it.
impl Piece for Weekday {
    fn max_len(&self) -> usize {
        3
    }
    fn push_to(&self, out: &mut String) {
        const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        out.push_str(NAMES[self.num_days_from_monday() as usize]);
    }
}

/// How the cache writes dates (`#[serde(with = "crate::notes::dates::days")]`, and
/// [`option`](days::option) and [`vec`](days::vec) for `Option<NaiveDate>` and
/// `Vec<NaiveDate>`): to a compact serialiser such as the cache's postcard, the day
/// number ([`Datelike::num_days_from_ce`], three bytes for these centuries); to a
/// human-readable one (JSON), chrono's own `YYYY-MM-DD` text, unchanged. Reading back a
/// day number takes a fraction of parsing the text, and a kept note holds a dozen dates.
pub mod days {
    use chrono::{Datelike, NaiveDate};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// A date written as a day number for a compact serialiser.
    struct Day(NaiveDate);

    impl Serialize for Day {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(&self.0, s)
        }
    }

    impl<'de> Deserialize<'de> for Day {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d).map(Day)
        }
    }

    /// Write a date: its day number, or its text to a human-readable serialiser.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            date.serialize(s)
        } else {
            s.serialize_i32(date.num_days_from_ce())
        }
    }

    /// Read a date [`serialize`] wrote; a day number out of chrono's range is an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if d.is_human_readable() {
            NaiveDate::deserialize(d)
        } else {
            let n = i32::deserialize(d)?;
            NaiveDate::from_num_days_from_ce_opt(n)
                .ok_or_else(|| D::Error::custom(format!("day {n} is out of range")))
        }
    }

    /// [`days`](self) for an `Option<NaiveDate>`.
    pub mod option {
        use super::Day;
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        /// Write the date, if any, as [`serialize`](super::serialize) does.
        pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            date.map(Day).serialize(s)
        }

        /// Read what [`serialize`] wrote.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            Ok(Option::<Day>::deserialize(d)?.map(|Day(date)| date))
        }
    }

    /// [`days`](self) for a `Vec<NaiveDate>`.
    pub mod vec {
        use super::Day;
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Write the dates as [`serialize`](super::serialize) does.
        pub fn serialize<S: Serializer>(dates: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(dates.iter().map(|&date| Day(date)))
        }

        /// Read what [`serialize`] wrote.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
            Ok(Vec::<Day>::deserialize(d)?
                .into_iter()
                .map(|Day(date)| date)
                .collect())
        }
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

    /// Every natural form against one note date (Monday 2026-11-16), with each
    /// `[dates] order` and the ambiguous case.
    #[test]
    fn natural_dates_table() {
        use DateOrder::*;
        let from = Some(d("2026-11-16"));
        let table: &[(&str, Option<DateOrder>, &str)] = &[
            ("2026-11-20", None, "2026-11-20"),
            ("today", None, "2026-11-16"),
            ("tomorrow", None, "2026-11-17"),
            ("tmrw", None, "2026-11-17"),
            ("Tmrw", None, "2026-11-17"),
            ("yesterday", None, "2026-11-15"),
            ("eod", None, "2026-11-16"),
            ("eow", None, "2026-11-20"),
            ("EOM", None, "2026-11-30"),
            ("eoq", None, "2026-12-31"),
            ("eoy", None, "2026-12-31"),
            ("mon", None, "2026-11-23"),
            ("tue", None, "2026-11-17"),
            ("tues", None, "2026-11-17"),
            ("Tuesday", None, "2026-11-17"),
            ("weds", None, "2026-11-18"),
            ("thur", None, "2026-11-19"),
            ("thurs", None, "2026-11-19"),
            ("fri", None, "2026-11-20"),
            ("sun", None, "2026-11-22"),
            ("this fri", None, "2026-11-20"),
            ("this mon", None, "2026-11-16"),
            ("next fri", None, "2026-11-27"),
            ("next  Friday", None, "2026-11-27"),
            ("next mon", None, "2026-11-23"),
            ("next week", None, "2026-11-23"),
            ("next month", None, "2026-12-01"),
            ("in 3 days", None, "2026-11-19"),
            ("in 1 day", None, "2026-11-17"),
            ("in a week", None, "2026-11-23"),
            ("in 2 weeks", None, "2026-11-30"),
            ("in 2 months", None, "2027-01-16"),
            ("+3d", None, "2026-11-19"),
            ("+2w", None, "2026-11-30"),
            ("+1m", None, "2026-12-16"),
            ("+1mo", None, "2026-12-16"),
            ("+1y", None, "2027-11-16"),
            ("Dec 5", None, "2026-12-05"),
            ("dec. 5", None, "2026-12-05"),
            ("5 Dec", None, "2026-12-05"),
            ("December 5th", None, "2026-12-05"),
            ("5th December", None, "2026-12-05"),
            ("Sept 3", None, "2027-09-03"),
            ("Nov 16", None, "2026-11-16"),
            ("Nov 2", None, "2027-11-02"),
            ("Dec 5, 2027", None, "2027-12-05"),
            ("5 Dec 2027", None, "2027-12-05"),
            ("2026-12-5", None, "2026-12-05"),
            ("2026/12/05", None, "2026-12-05"),
            ("12/25", None, "2026-12-25"),
            ("25/12", None, "2026-12-25"),
            ("12/4", Some(Mdy), "2026-12-04"),
            ("12/4", Some(Dmy), "2027-04-12"),
            ("12/4", Some(Ymd), "2026-12-04"),
            ("11/18/2026", Some(Mdy), "2026-11-18"),
            ("4/12/2026", Some(Dmy), "2026-12-04"),
            ("4/12/26", Some(Dmy), "2026-12-04"),
            ("12/12", None, "2026-12-12"),
        ];
        for (value, order, want) in table {
            let got = parse_value_in(value, from, true, *order);
            assert_eq!(got.date(), Some(d(want)), "{value} {order:?}: {got:?}");
        }
        for value in ["12/4", "4/12/2026", "1/2"] {
            assert!(
                matches!(parse_value_in(value, from, true, None), DateValue::Ambiguous(ref m) if m.contains("[dates] order")),
                "{value}"
            );
        }
        for value in [
            "13/13",
            "Dec 32",
            "next year",
            "in x days",
            "Marketing 5",
            "2026-13-01",
            "12-4",
        ] {
            assert!(
                matches!(
                    parse_value_in(value, from, true, Some(Mdy)),
                    DateValue::Invalid(_)
                ),
                "{value}"
            );
        }
        // A written-out day needs no note date; a relative one does.
        assert_eq!(
            parse_value("Dec 5 2026", None, true).date(),
            Some(d("2026-12-05"))
        );
        assert_eq!(parse_value("Dec 5", None, true), DateValue::Unresolved);
        // Sunday: `eow` is the coming Friday, `next fri` the Friday after the week.
        let sun = Some(d("2026-11-22"));
        assert_eq!(parse_value("eow", sun, true).date(), Some(d("2026-11-27")));
        assert_eq!(
            parse_value("next fri", sun, true).date(),
            Some(d("2026-11-27"))
        );
        assert_eq!(
            parse_value("eoq", Some(d("2026-02-10")), true).date(),
            Some(d("2026-03-31"))
        );
    }

    #[test]
    fn past_dates_for_done() {
        let today = d("2026-11-23"); // a Monday
        let past = |v| parse_past(v, today, None);
        assert_eq!(past("yesterday"), Ok(d("2026-11-22")));
        assert_eq!(past("fri"), Ok(d("2026-11-20")));
        assert_eq!(past("mon"), Ok(d("2026-11-23")));
        assert_eq!(past("Dec 5"), Ok(d("2025-12-05")));
        assert_eq!(past("Nov 20"), Ok(d("2026-11-20")));
        assert_eq!(past("2026-11-2"), Ok(d("2026-11-02")));
        assert_eq!(past("2026-11-21"), Ok(d("2026-11-21")));
        assert!(past("11/2").unwrap_err().contains("[dates] order"));
        assert_eq!(
            parse_past("11/2", today, Some(DateOrder::Mdy)),
            Ok(d("2026-11-02"))
        );
        assert!(past("someday").unwrap_err().contains("not a date"));
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

    /// A date from its day number (chrono's whole range), for the property tests.
    fn day(n: i32) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(n).expect("in chrono's range")
    }

    /// Day numbers over chrono's whole range, most in the years 0 to 9999 (the notes hold
    /// the years 1 to 9999) and at either end of them.
    fn day_numbers() -> impl proptest::strategy::Strategy<Value = i32> {
        use proptest::prelude::*;
        let (min, max) = (
            NaiveDate::MIN.num_days_from_ce(),
            NaiveDate::MAX.num_days_from_ce(),
        );
        let year_0 = d("0001-01-01").num_days_from_ce() - 366;
        let year_9999 = d("9999-12-31").num_days_from_ce();
        prop_oneof![
            4 => year_0..=year_9999,
            1 => year_0 - 3..year_0 + 3,
            1 => year_9999 - 3..year_9999 + 3,
            1 => min..=max,
        ]
    }

    proptest::proptest! {
        /// The hand-written writer writes what chrono's `Display` does, and no more than
        /// the room it asks for.
        #[test]
        fn push_date_writes_what_chrono_does(n in day_numbers()) {
            let date = day(n);
            let mut out = "x".to_owned();
            push_date(&mut out, date);
            proptest::prop_assert_eq!(&out[1..], date.to_string());
            proptest::prop_assert!(out.len() - 1 <= date.max_len());
        }

        /// The cache's day numbers read back as the dates written, and JSON has chrono's
        /// own text, whatever the date.
        #[test]
        fn days_round_trip_and_json_is_unchanged(a in day_numbers(), b in day_numbers()) {
            #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
            struct Kept {
                #[serde(with = "days")]
                one: NaiveDate,
                #[serde(with = "days::option")]
                some: Option<NaiveDate>,
                #[serde(with = "days::option")]
                none: Option<NaiveDate>,
                #[serde(with = "days::vec")]
                all: Vec<NaiveDate>,
            }
            #[derive(serde::Serialize)]
            struct Plain {
                one: NaiveDate,
                some: Option<NaiveDate>,
                none: Option<NaiveDate>,
                all: Vec<NaiveDate>,
            }
            let (a, b) = (day(a), day(b));
            let kept = Kept { one: a, some: Some(b), none: None, all: vec![b, a] };
            let bytes = postcard::to_allocvec(&kept).unwrap();
            proptest::prop_assert_eq!(&postcard::from_bytes::<Kept>(&bytes).unwrap(), &kept);
            let plain = Plain { one: a, some: Some(b), none: None, all: vec![b, a] };
            proptest::prop_assert_eq!(
                serde_json::to_string(&kept).unwrap(),
                serde_json::to_string(&plain).unwrap()
            );
            let back: Kept = serde_json::from_str(&serde_json::to_string(&plain).unwrap()).unwrap();
            proptest::prop_assert_eq!(&back, &kept);
        }
    }

    #[test]
    fn a_day_number_is_three_bytes_and_one_out_of_range_is_an_error() {
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        struct Kept(#[serde(with = "days")] NaiveDate);
        assert_eq!(
            postcard::to_allocvec(&Kept(d("2026-11-23"))).unwrap().len(),
            3
        );
        let too_late = postcard::to_allocvec(&(NaiveDate::MAX.num_days_from_ce() + 1)).unwrap();
        assert!(postcard::from_bytes::<Kept>(&too_late).is_err());
    }

    #[test]
    fn weekdays_are_written_as_chrono_writes_them() {
        for n in 0..7 {
            let date = d("2026-11-23") + Days::new(n);
            let mut out = String::new();
            date.weekday().push_to(&mut out);
            assert_eq!(out, date.format("%a").to_string());
        }
    }
}
