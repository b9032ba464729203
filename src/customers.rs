//! Customers across notes: when each was last contacted, whether that is within their
//! cadence, what is open for them, and the occasions of the people there.
//!
//! Notes are read one at a time on worker threads; each gives its [`NoteFacts`], which a
//! [`Book`] collects in path order on the main thread. The book is small (one record
//! per customer), so it stays in memory however many notes there are.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;

use crate::notes::dates::days_between;
use crate::notes::model::{Customers, Note, Status};
use crate::notes::profile::{Cadences, Profile, Stage, Yearly};

/// What one note tells about its customer.
#[derive(Debug, Clone)]
pub struct NoteFacts {
    path: String,
    customer: Option<String>,
    date: Option<NaiveDate>,
    /// The dates of the note's dated sections (a running log's calls).
    sections: Vec<NaiveDate>,
    profile: Option<Profile>,
    open: usize,
    overdue: usize,
    next_due: Option<NaiveDate>,
}

impl NoteFacts {
    /// The facts of one note, judged on `today`.
    pub fn of(note: &Note, today: NaiveDate) -> NoteFacts {
        let open = note.commitments.iter().filter(|c| c.status == Status::Open);
        let mut facts = NoteFacts {
            path: note.path.clone(),
            customer: note.customer.clone(),
            date: note.date,
            sections: note.section_dates.clone(),
            profile: note.front.profile.clone(),
            open: 0,
            overdue: 0,
            next_due: None,
        };
        for c in open {
            facts.open += 1;
            match c.due {
                Some(d) if d < today => facts.overdue += 1,
                Some(d) => facts.next_due = Some(facts.next_due.map_or(d, |n| n.min(d))),
                None => {}
            }
        }
        facts
    }
}

/// Everything known about one customer.
#[derive(Debug, Clone, Default)]
struct Record {
    notes: usize,
    /// The latest note dated on or before today: (date, path).
    last: Option<(NaiveDate, String)>,
    /// The first note by path (where a customer without a profile is reported).
    first_path: Option<String>,
    /// The profile note: path and what it says (the first one by path).
    profile: Option<(String, Profile)>,
    /// Further profiles of the same customer (their fields are not read).
    extra_profiles: Vec<String>,
    open: usize,
    overdue: usize,
    next_due: Option<NaiveDate>,
}

/// The customers of a scan.
#[derive(Debug, Clone, Default)]
pub struct Book {
    records: BTreeMap<String, Record>,
}

impl Book {
    /// Add one note's facts; call in path order.
    pub fn add(&mut self, f: NoteFacts, today: NaiveDate) {
        let Some(slug) = f.customer else {
            return;
        };
        let r = self.records.entry(slug).or_default();
        r.open += f.open;
        r.overdue += f.overdue;
        r.next_due = match (r.next_due, f.next_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(p) = f.profile {
            // A profile describes the customer; it is not a contact with them.
            if r.profile.is_none() {
                r.profile = Some((f.path, p));
            } else {
                r.extra_profiles.push(f.path);
            }
            return;
        }
        // A running log is one contact per dated section; any other note is one.
        let mut contacts: Vec<NaiveDate> = f.date.into_iter().chain(f.sections).collect();
        contacts.sort_unstable();
        contacts.dedup();
        r.notes += contacts.len().max(1);
        if r.first_path.is_none() {
            r.first_path = Some(f.path.clone());
        }
        if let Some(d) = contacts.into_iter().filter(|&d| d <= today).max() {
            if r.last.as_ref().map_or(true, |(last, _)| d >= *last) {
                r.last = Some((d, f.path));
            }
        }
    }

    /// One row per customer, the most neglected first: lapsed ones by how long ago
    /// contact was due, then the others by how long since the last contact (never
    /// contacted first), then by name. `cadences` are those of customers whose profile
    /// gives none, per stage.
    pub fn rows(
        &self,
        names: &Customers,
        today: NaiveDate,
        cadences: &Cadences,
    ) -> Vec<CustomerRow> {
        let mut rows: Vec<CustomerRow> = self
            .records
            .iter()
            .map(|(slug, r)| {
                let profile = r.profile.as_ref();
                let stage = profile.and_then(|(_, p)| p.stage).unwrap_or_default();
                let cadence = cadences.resolve(stage, profile.and_then(|(_, p)| p.cadence));
                let last_contact = r.last.as_ref().map(|(d, _)| *d);
                let contact_due = match (last_contact, cadence) {
                    (Some(d), Some(c)) => d.checked_add_days(chrono::Days::new(c.days.into())),
                    _ => None,
                };
                CustomerRow {
                    customer: slug.clone(),
                    name: names.name(slug).to_owned(),
                    notes: r.notes,
                    last_contact,
                    days_since_contact: last_contact.map(|d| days_between(d, today)),
                    cadence_days: cadence.map(|c| c.days),
                    lapsed: contact_due.is_some_and(|due| due < today)
                        || (cadence.is_some() && last_contact.is_none()),
                    contact_due,
                    open: r.open,
                    overdue: r.overdue,
                    next_due: r.next_due,
                    owner: profile.and_then(|(_, p)| p.owner.clone()),
                    profile: profile.map(|(path, _)| path.clone()),
                    cadence_span: profile.and_then(|(_, p)| p.cadence_span.clone()),
                    last_note: r.last.as_ref().map(|(_, path)| path.clone()),
                    first_note: r.first_path.clone(),
                    extra_profiles: r.extra_profiles.clone(),
                    stage,
                    facts: profile.map(|(_, p)| p.facts.clone()).unwrap_or_default(),
                    contacts: profile.map(|(_, p)| p.contacts.clone()).unwrap_or_default(),
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            let key = |r: &CustomerRow| {
                (
                    !r.lapsed,
                    r.contact_due,
                    std::cmp::Reverse(r.days_since_contact.map_or(i64::MAX, |d| d)),
                )
            };
            key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
        });
        rows
    }

    /// Birthdays and anniversaries of the customers' contacts from `from` to `to`
    /// (inclusive), by date, then customer and person.
    pub fn occasions(&self, names: &Customers, from: NaiveDate, to: NaiveDate) -> Vec<Occasion> {
        let mut out = Vec::new();
        for (slug, r) in &self.records {
            let Some((path, p)) = &r.profile else {
                continue;
            };
            for c in &p.contacts {
                let days = [
                    (OccasionKind::Birthday, c.birthday),
                    (OccasionKind::Anniversary, c.anniversary),
                ];
                for (kind, day) in days {
                    let Some((date, years)) = day.and_then(|d: Yearly| d.next_on_or_after(from))
                    else {
                        continue;
                    };
                    if date <= to {
                        out.push(Occasion {
                            notes: c.notes.clone(),
                            date,
                            kind,
                            years,
                            person: c.name.clone(),
                            role: c.role.clone(),
                            customer: slug.clone(),
                            customer_name: names.name(slug).to_owned(),
                            profile: path.clone(),
                        });
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            (a.date, &a.customer_name, &a.person).cmp(&(b.date, &b.customer_name, &b.person))
        });
        out
    }
}

/// One customer, as `followup customers` and the agenda show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    /// The slug.
    pub customer: String,
    /// The display name.
    pub name: String,
    /// Calls: a note each, or each dated section of a running log (profiles not
    /// counted).
    pub notes: usize,
    /// The latest note date on or before today.
    pub last_contact: Option<NaiveDate>,
    /// Days from the last contact to today.
    pub days_since_contact: Option<i64>,
    /// The cadence in days, from the profile or the configuration.
    pub cadence_days: Option<u32>,
    /// Whether contact is overdue: the last contact plus the cadence is before today, or
    /// there is a cadence and no contact at all.
    pub lapsed: bool,
    /// When the next contact is due (last contact plus cadence).
    pub contact_due: Option<NaiveDate>,
    /// Open commitments.
    pub open: usize,
    /// Open commitments past their due date.
    pub overdue: usize,
    /// The nearest due date of an open commitment that is not overdue.
    pub next_due: Option<NaiveDate>,
    /// Who looks after the account.
    pub owner: Option<String>,
    /// The profile note's path.
    pub profile: Option<String>,
    /// Where `cadence:` is in the profile note.
    pub cadence_span: Option<Range<usize>>,
    /// The note of the last contact.
    pub last_note: Option<String>,
    /// The first call note by path.
    pub first_note: Option<String>,
    /// Profiles after the first one for this customer (by path): their fields are not
    /// read, and `bad-profile` says so.
    pub extra_profiles: Vec<String>,
    /// `stage:` in the profile (customer when not given); a former customer has no
    /// cadence.
    pub stage: Stage,
    /// `facts:` in the profile.
    pub facts: Vec<String>,
    /// `contacts:` in the profile, with their `notes:`.
    pub contacts: Vec<crate::notes::profile::Contact>,
}

/// What kind of day an occasion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccasionKind {
    /// A contact's birthday.
    Birthday,
    /// An anniversary (first order, go-live).
    Anniversary,
}

impl OccasionKind {
    /// `birthday` or `anniversary`.
    pub fn as_str(self) -> &'static str {
        match self {
            OccasionKind::Birthday => "birthday",
            OccasionKind::Anniversary => "anniversary",
        }
    }
}

/// A birthday or anniversary in the agenda's window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occasion {
    /// The day it falls on this time.
    pub date: NaiveDate,
    /// Birthday or anniversary.
    pub kind: OccasionKind,
    /// How many years it marks, when the first year is known.
    pub years: Option<i32>,
    /// Who.
    pub person: String,
    /// Their role, if known.
    pub role: Option<String>,
    /// The customer's slug.
    pub customer: String,
    /// The customer's display name.
    pub customer_name: String,
    /// The profile note it comes from.
    pub profile: String,
    /// The person's `notes:` (hobbies, family) from the profile.
    pub notes: Vec<String>,
}

/// A card to write: for a contact's birthday or anniversary, an occasion in a profile,
/// or a holiday (to every customer, so no customer is named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The occasion's day.
    pub date: NaiveDate,
    /// The day to post the card by: the date less the lead time.
    pub post_by: NaiveDate,
    /// What for: "Dana Ruiz's birthday", "Maya's graduation", "Thanksgiving".
    pub what: String,
    /// The customer's slug and display name; `None` for a holiday.
    pub customer: Option<(String, String)>,
    /// The profile note it comes from; `None` for a holiday.
    pub profile: Option<String>,
    /// When the last card for it was sent (`card-sent:` in the profile).
    pub last_sent: Option<NaiveDate>,
}

impl Book {
    /// The cards to post from `from` to `to` (inclusive): every contact's birthday and
    /// anniversary, every profile occasion, every holiday of `settings` whose date less
    /// its lead time falls in those days, unless the profile's `card-sent:` says it went
    /// out; by posting day, then date and what.
    pub fn cards(
        &self,
        names: &Customers,
        settings: &crate::notes::occasion::OccasionSettings,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<Card> {
        use crate::notes::occasion::post_by;
        let mut out = Vec::new();
        // The first occasion whose posting day is on or after `from`.
        let after = |lead: Option<u32>| {
            from.checked_add_days(chrono::Days::new(lead.unwrap_or(settings.lead).into()))
                .unwrap_or(from)
        };
        let mut push = |date: NaiveDate,
                        lead: Option<u32>,
                        what: &str,
                        whose: Option<(&str, &str, &Profile)>| {
            let post = post_by(date, lead.unwrap_or(settings.lead));
            let sent = whose.is_some_and(|(_, _, p)| p.card_sent_for(what, date));
            if (from..=to).contains(&post) && !sent {
                out.push(Card {
                    date,
                    post_by: post,
                    what: what.to_owned(),
                    customer: whose
                        .map(|(slug, _, _)| (slug.to_owned(), names.name(slug).to_owned())),
                    profile: whose.map(|(_, path, _)| path.to_owned()),
                    last_sent: whose.and_then(|(_, _, p)| p.last_card_sent(what)),
                });
            }
        };
        for (slug, r) in &self.records {
            let Some((path, p)) = &r.profile else {
                continue;
            };
            for day in p.card_days() {
                if let Some(date) = day.next_on_or_after(after(day.lead)) {
                    push(date, day.lead, &day.what, Some((slug, path, p)));
                }
            }
        }
        for h in &settings.holidays {
            if let Some(date) = h.rule.next_on_or_after(after(h.lead)) {
                push(date, h.lead, &h.what, None);
            }
        }
        out.sort_by(|a, b| (a.post_by, a.date, &a.what).cmp(&(b.post_by, b.date, &b.what)));
        out
    }
}

impl Book {
    /// Every profile's days that cards go out for, with the customer's slug and the
    /// profile's path: by customer, then as written.
    pub fn card_days(&self) -> Vec<(&str, &str, crate::notes::occasion::CardDay)> {
        self.records
            .iter()
            .filter_map(|(slug, r)| r.profile.as_ref().map(|(path, p)| (slug, path, p)))
            .flat_map(|(slug, path, p)| {
                p.card_days()
                    .into_iter()
                    .map(move |d| (slug.as_str(), path.as_str(), d))
            })
            .collect()
    }
}

/// A profile's `occasions:` entry or a holiday, on its day in the agenda's window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherOccasion {
    /// The day it falls on this time.
    pub date: NaiveDate,
    /// What it is: "Maya's graduation", "Thanksgiving".
    pub what: String,
    /// Whose it is, when the profile says.
    pub who: Option<String>,
    /// How many years it marks, for a yearly one whose first year is known.
    pub years: Option<i32>,
    /// The customer's slug and display name; `None` for a holiday.
    pub customer: Option<(String, String)>,
    /// The profile note it comes from; `None` for a holiday.
    pub profile: Option<String>,
}

impl Book {
    /// The profiles' `occasions:` entries and the holidays of `settings` falling from
    /// `from` to `to` (inclusive), by date, then customer (holidays first) and what.
    pub fn other_occasions(
        &self,
        names: &Customers,
        settings: &crate::notes::occasion::OccasionSettings,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<OtherOccasion> {
        use crate::notes::occasion::DayField;
        let mut out: Vec<OtherOccasion> = settings
            .holidays
            .iter()
            .filter_map(|h| {
                let date = h.rule.next_on_or_after(from).filter(|d| *d <= to)?;
                Some(OtherOccasion {
                    date,
                    what: h.what.clone(),
                    who: None,
                    years: None,
                    customer: None,
                    profile: None,
                })
            })
            .collect();
        for (slug, path, day) in self.card_days() {
            if day.field != DayField::Occasion {
                continue;
            }
            let Some(date) = day.next_on_or_after(from).filter(|d| *d <= to) else {
                continue;
            };
            let years = day
                .date
                .year
                .filter(|_| day.yearly)
                .map(|y| chrono::Datelike::year(&date) - y)
                .filter(|&n| n > 0);
            out.push(OtherOccasion {
                date,
                what: day.what,
                who: day.who,
                years,
                customer: Some((slug.to_owned(), names.name(slug).to_owned())),
                profile: Some(path.to_owned()),
            });
        }
        out.sort_by(|a, b| {
            let key = |o: &OtherOccasion| (o.date, o.customer.as_ref().map(|(_, n)| n.clone()));
            key(a).cmp(&key(b)).then_with(|| a.what.cmp(&b.what))
        });
        out
    }
}

/// A check-in after a sale: `won:` in the profile plus one of `[customers] after-sale`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    /// The day to check in.
    pub date: NaiveDate,
    /// Days after the sale.
    pub days_after: u32,
    /// The customer's slug.
    pub customer: String,
    /// The customer's display name.
    pub name: String,
    /// The profile note.
    pub profile: String,
}

impl Book {
    /// The check-ins after each customer's sale (`won:`) at `offsets` days that are due
    /// by `to` and not yet done: no call note dated from that day to `today`. By date,
    /// then name.
    pub fn check_ins(&self, names: &Customers, offsets: &[u32], to: NaiveDate) -> Vec<CheckIn> {
        let mut out = Vec::new();
        for (slug, r) in &self.records {
            let Some((path, p)) = &r.profile else {
                continue;
            };
            let Some(won) = p.won else {
                continue;
            };
            for &days in offsets {
                let Some(date) = won.checked_add_days(chrono::Days::new(days.into())) else {
                    continue;
                };
                let done = r.last.as_ref().is_some_and(|(last, _)| *last >= date);
                if date <= to && !done {
                    out.push(CheckIn {
                        date,
                        days_after: days,
                        customer: slug.clone(),
                        name: names.name(slug).to_owned(),
                        profile: path.clone(),
                    });
                }
            }
        }
        out.sort_by(|a, b| (a.date, &a.name).cmp(&(b.date, &b.name)));
        out
    }
}
