//! The follow-through report and the brief before a call: the numbers, before any of it
//! is rendered (`render::report`). Definitions are in `docs/report.md`; in short:
//!
//! - a promise is *mine* unless it carries `@waiting(NAME)` (then it is owed to me);
//! - it is *promised on* the date of its note;
//! - it falls in the week of its due date, weeks starting on the `[dates] week-start` day;
//! - *kept on time*: done with a done date on or before the due date; *kept late*: a
//!   later done date; *kept, no done date*: done without one (not judged);
//!   *open past due*: still open and due before today; *cancelled*: called off (not judged);
//! - the on-time rate is kept on time / (kept on time + kept late + open past due).

pub mod brief;

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

use crate::customers::{CustomerRow, Occasion};
use crate::notes::dates::days_between;
use crate::notes::model::{Commitment, Customers, Note, Status};

/// One promise, as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Promise {
    /// The note's path, as shown.
    pub path: String,
    /// Line of the bullet.
    pub line: usize,
    /// Customer slug.
    pub customer: Option<String>,
    /// When it was promised: the note's date.
    pub promised: Option<NaiveDate>,
    /// Display text.
    pub text: String,
    /// Open, done or cancelled.
    pub status: Status,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Done date.
    pub done: Option<NaiveDate>,
    /// Who owes it to me (`@waiting`); `None` for my own promises.
    pub waiting: Option<String>,
    /// The customer's display name, filled in for the promises a report lists.
    pub customer_name: Option<String>,
}

impl Promise {
    /// One commitment of a note.
    pub fn of(note: &Note, c: &Commitment) -> Promise {
        Promise {
            path: note.path.clone(),
            line: c.line,
            customer: note.customer.clone(),
            promised: note.date,
            text: c.text.clone(),
            status: c.status,
            due: c.due,
            done: c.done,
            waiting: c.waiting.clone(),
            customer_name: None,
        }
    }

    /// Mine (not owed to me).
    pub fn is_mine(&self) -> bool {
        self.waiting.is_none()
    }

    /// Open and due before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == Status::Open && self.due.is_some_and(|d| d < today)
    }

    /// Days past due on `today` (open ones only).
    pub fn days_late(&self, today: NaiveDate) -> Option<i64> {
        self.due
            .filter(|_| self.status == Status::Open)
            .map(|d| days_between(d, today))
            .filter(|&n| n > 0)
    }
}

/// Every promise of a note.
pub fn promises_of(note: &Note) -> Vec<Promise> {
    note.commitments
        .iter()
        .map(|c| Promise::of(note, c))
        .collect()
}

/// A dated call with a customer: a note with a customer and a date that is not a profile.
pub fn call_of(note: &Note) -> Option<(String, NaiveDate)> {
    if note.front.profile.is_some() {
        return None;
    }
    Some((note.customer.clone()?, note.date?))
}

/// What a report covers: `weeks` weeks ending with the week of `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The day judged against.
    pub today: NaiveDate,
    /// How many weeks, the current one included (at least 1).
    pub weeks: u32,
    /// The day weeks start on.
    pub week_start: Weekday,
}

impl Period {
    /// The first day of the week `day` falls in.
    pub fn week_of(&self, day: NaiveDate) -> NaiveDate {
        let back =
            (7 + day.weekday().num_days_from_monday() - self.week_start.num_days_from_monday()) % 7;
        day - Days::new(u64::from(back))
    }

    /// The first day of the first week.
    pub fn from(&self) -> NaiveDate {
        let weeks = u64::from(self.weeks.max(1) - 1);
        self.week_of(self.today)
            .checked_sub_days(Days::new(7 * weeks))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the last week (the week of today).
    pub fn to(&self) -> NaiveDate {
        self.week_of(self.today) + Days::new(6)
    }

    /// Which week (0 = the first) `day` is in, if it is in the period.
    pub fn index(&self, day: NaiveDate) -> Option<usize> {
        if day < self.from() || day > self.to() {
            return None;
        }
        usize::try_from(days_between(self.from(), day) / 7).ok()
    }
}

/// What became of the promises due in a week (or for a customer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Done on or before the due date.
    pub on_time: usize,
    /// Done after the due date.
    pub late: usize,
    /// Done, with no done date: kept, but not judged on time or late.
    pub done_undated: usize,
    /// Still open, due before today.
    pub open_past_due: usize,
    /// Still open, due today or later (the current week).
    pub open_not_due: usize,
    /// Called off.
    pub cancelled: usize,
}

impl Tally {
    /// Count one dated promise of mine, judged on `today`.
    pub fn add(&mut self, p: &Promise, today: NaiveDate) {
        let Some(due) = p.due else { return };
        match (p.status, p.done) {
            (Status::Done, Some(d)) if d <= due => self.on_time += 1,
            (Status::Done, Some(_)) => self.late += 1,
            (Status::Done, None) => self.done_undated += 1,
            (Status::Open, _) if due < today => self.open_past_due += 1,
            (Status::Open, _) => self.open_not_due += 1,
            (Status::Cancelled, _) => self.cancelled += 1,
        }
    }

    /// The promises whose outcome is judged: kept on time, kept late, open past due.
    pub fn judged(&self) -> usize {
        self.on_time + self.late + self.open_past_due
    }

    /// Every promise counted.
    pub fn total(&self) -> usize {
        self.judged() + self.done_undated + self.open_not_due + self.cancelled
    }

    /// Kept on time / judged, when anything is judged.
    pub fn rate(&self) -> Option<f64> {
        (self.judged() > 0).then(|| ratio(self.on_time, self.judged()))
    }
}

/// `n / d`, rounded to 4 decimals so that output is short and stable.
fn ratio(n: usize, d: usize) -> f64 {
    // Counts of promises are far below 2^52: the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let r = n as f64 / d as f64;
    (r * 10_000.0).round() / 10_000.0
}

/// One week of the follow-through chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// My promises due in it.
    pub tally: Tally,
    /// Kept on time / judged.
    pub on_time_rate: Option<f64>,
}

/// One customer's follow-through over the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerFollowThrough {
    /// Slug.
    pub customer: String,
    /// Display name.
    pub name: String,
    /// My promises to them due in the period.
    pub tally: Tally,
    /// Kept on time / judged.
    pub on_time_rate: Option<f64>,
}

/// Open promises each way with one customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BothWays {
    /// Slug.
    pub customer: String,
    /// Display name.
    pub name: String,
    /// Open promises I made.
    pub mine_open: usize,
    /// Of those, past due.
    pub mine_overdue: usize,
    /// Open promises owed to me (`@waiting`).
    pub theirs_open: usize,
    /// Of those, past due.
    pub theirs_overdue: usize,
}

/// One customer's contact rhythm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rhythm {
    /// Slug.
    pub customer: String,
    /// Display name.
    pub name: String,
    /// The cadence in days.
    pub cadence_days: Option<u32>,
    /// The latest call on or before today.
    pub last_contact: Option<NaiveDate>,
    /// When the next contact is (was) due.
    pub contact_due: Option<NaiveDate>,
    /// Whether contact is overdue.
    pub lapsed: bool,
    /// Calls in the period, by date (one per day).
    pub calls: Vec<NaiveDate>,
    /// The latest call before the period, whose cadence may reach into it.
    pub call_before: Option<NaiveDate>,
}

/// One bar of the age histogram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgeBucket {
    /// `0-7 days`, ...; `no date` for promises in undated notes.
    pub label: &'static str,
    /// Fewest days old (inclusive).
    pub min_days: Option<i64>,
    /// Most days old (inclusive); `None`: no upper bound.
    pub max_days: Option<i64>,
    /// Open promises of mine this old.
    pub count: usize,
}

/// The age buckets: (label, min, max) in days since promised.
const AGES: [(&str, i64, Option<i64>); 7] = [
    ("0-7 days", 0, Some(7)),
    ("8-14 days", 8, Some(14)),
    ("15-30 days", 15, Some(30)),
    ("31-60 days", 31, Some(60)),
    ("61-90 days", 61, Some(90)),
    ("91-180 days", 91, Some(180)),
    ("over 180 days", 181, None),
];

/// A birthday or anniversary coming up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upcoming {
    /// The day.
    pub date: NaiveDate,
    /// `birthday` or `anniversary`.
    pub kind: &'static str,
    /// How many years it marks, when known.
    pub years: Option<i32>,
    /// Who.
    pub person: String,
    /// Their role.
    pub role: Option<String>,
    /// The customer's slug.
    pub customer: String,
    /// The customer's display name.
    pub customer_name: String,
    /// The profile note.
    pub profile: String,
}

impl From<&Occasion> for Upcoming {
    fn from(o: &Occasion) -> Upcoming {
        Upcoming {
            date: o.date,
            kind: o.kind.as_str(),
            years: o.years,
            person: o.person.clone(),
            role: o.role.clone(),
            customer: o.customer.clone(),
            customer_name: o.customer_name.clone(),
            profile: o.profile.clone(),
        }
    }
}

/// The whole report's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The day judged against.
    pub today: NaiveDate,
    /// The period's first day.
    pub from: NaiveDate,
    /// The period's last day.
    pub to: NaiveDate,
    /// My promises due in the period, all weeks together.
    pub total: Tally,
    /// Kept on time / judged, over the period.
    pub on_time_rate: Option<f64>,
    /// Week by week, oldest first.
    pub weeks: Vec<Week>,
    /// Per customer, the worst rate first (customers with nothing judged last).
    pub customers: Vec<CustomerFollowThrough>,
    /// Per customer with anything open either way, the most overdue first.
    pub both_ways: Vec<BothWays>,
    /// Per customer, lapsed first (as `followup customers` orders them).
    pub rhythm: Vec<Rhythm>,
    /// Open promises of mine by age.
    pub ages: Vec<AgeBucket>,
    /// Open promises of mine in notes without a date.
    pub ages_unknown: usize,
    /// The oldest ten open promises of mine.
    pub oldest: Vec<Promise>,
    /// Open promises of mine without a due date.
    pub open_undated: usize,
    /// Birthdays and anniversaries in the next two weeks.
    pub occasions: Vec<Upcoming>,
    /// Open promises (both ways) due in the next two weeks.
    pub due_soon: Vec<Promise>,
}

/// How many days "Coming up" looks ahead (today and the 13 after).
pub const COMING_UP_DAYS: u64 = 14;

/// The display name of a customer, or `None`.
fn name_of(names: &Customers, slug: Option<&str>) -> Option<String> {
    slug.map(|s| names.name(s).to_owned())
}

impl Report {
    /// Count everything. `promises` and `calls` in path order; `rows` as
    /// [`crate::customers::Book::rows`] gives them; `occasions` of the next two weeks.
    pub fn build(
        period: Period,
        promises: &[Promise],
        calls: &[(String, NaiveDate)],
        rows: &[CustomerRow],
        occasions: &[Occasion],
        names: &Customers,
    ) -> Report {
        let today = period.today;
        let mut weeks: Vec<Week> = (0..period.weeks.max(1))
            .map(|i| {
                let start = period.from() + Days::new(7 * u64::from(i));
                Week {
                    start,
                    end: start + Days::new(6),
                    tally: Tally::default(),
                    on_time_rate: None,
                }
            })
            .collect();
        let mut per_customer: BTreeMap<&str, Tally> = BTreeMap::new();
        let mut both: BTreeMap<&str, BothWays> = BTreeMap::new();
        let mut ages = AGES.map(|(label, min, max)| AgeBucket {
            label,
            min_days: Some(min),
            max_days: max,
            count: 0,
        });
        let mut ages_unknown = 0;
        let mut open_undated = 0;
        let mut oldest: Vec<&Promise> = Vec::new();
        let mut due_soon: Vec<&Promise> = Vec::new();
        let soon_end = today + Days::new(COMING_UP_DAYS - 1);

        for p in promises {
            let open = p.status == Status::Open;
            if open && p.due.is_some_and(|d| d >= today && d <= soon_end) {
                due_soon.push(p);
            }
            if let (Some(c), true) = (p.customer.as_deref(), open) {
                let b = both.entry(c).or_default();
                let overdue = p.is_overdue(today);
                if p.is_mine() {
                    b.mine_open += 1;
                    b.mine_overdue += usize::from(overdue);
                } else {
                    b.theirs_open += 1;
                    b.theirs_overdue += usize::from(overdue);
                }
            }
            if !p.is_mine() {
                continue;
            }
            if open {
                open_undated += usize::from(p.due.is_none());
                match p.promised.map(|d| days_between(d, today)) {
                    // Promised in the future (a note dated ahead): as young as can be.
                    Some(age) => {
                        let age = age.max(0);
                        if let Some(b) = ages.iter_mut().find(|b| {
                            b.min_days.is_some_and(|m| age >= m)
                                && b.max_days.map_or(true, |m| age <= m)
                        }) {
                            b.count += 1;
                        }
                        oldest.push(p);
                    }
                    None => ages_unknown += 1,
                }
            }
            let Some(week) = p.due.and_then(|d| period.index(d)) else {
                continue;
            };
            weeks[week].tally.add(p, today);
            if let Some(c) = p.customer.as_deref() {
                per_customer.entry(c).or_default().add(p, today);
            }
        }

        let mut total = Tally::default();
        for w in &mut weeks {
            w.on_time_rate = w.tally.rate();
            let t = w.tally;
            total.on_time += t.on_time;
            total.late += t.late;
            total.done_undated += t.done_undated;
            total.open_past_due += t.open_past_due;
            total.open_not_due += t.open_not_due;
            total.cancelled += t.cancelled;
        }

        let mut customers: Vec<CustomerFollowThrough> = per_customer
            .into_iter()
            .map(|(slug, tally)| CustomerFollowThrough {
                customer: slug.to_owned(),
                name: names.name(slug).to_owned(),
                tally,
                on_time_rate: tally.rate(),
            })
            .collect();
        customers.sort_by(|a, b| {
            let key = |c: &CustomerFollowThrough| {
                (
                    c.on_time_rate.is_none(),
                    c.on_time_rate.map(|r| (r * 10_000.0) as i64),
                    std::cmp::Reverse(c.tally.judged()),
                )
            };
            key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
        });

        let mut both_ways: Vec<BothWays> = both
            .into_iter()
            .map(|(slug, b)| BothWays {
                customer: slug.to_owned(),
                name: names.name(slug).to_owned(),
                ..b
            })
            .collect();
        both_ways.sort_by(|a, b| {
            let key = |x: &BothWays| {
                std::cmp::Reverse((
                    x.mine_overdue + x.theirs_overdue,
                    x.mine_open + x.theirs_open,
                ))
            };
            key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
        });

        let mut call_dates: BTreeMap<&str, Vec<NaiveDate>> = BTreeMap::new();
        for (slug, date) in calls {
            if *date <= today {
                call_dates.entry(slug.as_str()).or_default().push(*date);
            }
        }
        let rhythm = rows
            .iter()
            .map(|r| {
                let mut dates = call_dates.remove(r.customer.as_str()).unwrap_or_default();
                dates.sort_unstable();
                dates.dedup();
                let from = period.from();
                Rhythm {
                    customer: r.customer.clone(),
                    name: r.name.clone(),
                    cadence_days: r.cadence_days,
                    last_contact: r.last_contact,
                    contact_due: r.contact_due,
                    lapsed: r.lapsed,
                    call_before: dates.iter().rev().find(|&&d| d < from).copied(),
                    calls: dates.into_iter().filter(|&d| d >= from).collect(),
                }
            })
            .collect();

        // Oldest first; the stable sort keeps path order among equals.
        oldest.sort_by_key(|p| p.promised);
        due_soon.sort_by_key(|p| p.due);
        Report {
            today,
            from: period.from(),
            to: period.to(),
            total,
            on_time_rate: total.rate(),
            weeks,
            customers,
            both_ways,
            rhythm,
            ages: ages.to_vec(),
            ages_unknown,
            oldest: named(oldest.into_iter().take(10), names),
            open_undated,
            occasions: occasions.iter().map(Upcoming::from).collect(),
            due_soon: named(due_soon.into_iter(), names),
        }
    }
}

/// Copies of `promises` with their customers' display names.
pub fn named<'a>(promises: impl Iterator<Item = &'a Promise>, names: &Customers) -> Vec<Promise> {
    promises
        .map(|p| Promise {
            customer_name: name_of(names, p.customer.as_deref()),
            ..p.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests;
