//! The weekly follow-up agenda: which commitments go in which section, before any of it
//! is rendered (`render::agenda`).

use chrono::{Days, NaiveDate};

use crate::customers::{Book, CustomerRow, Occasion};
use crate::notes::model::{Commitment, Customers, Note, Status};
use crate::notes::profile::Cadence;
use crate::notes::recurrence::Recurrence;
use crate::notes::status::StatusType;
use crate::notes::tags::Priority;

/// One commitment as the agenda shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The note's path, as shown.
    pub path: String,
    /// Line of the bullet.
    pub line: usize,
    /// Customer slug.
    pub customer: Option<String>,
    /// Customer display name (filled in once every note is read).
    pub customer_name: Option<String>,
    /// The note's date.
    pub note_date: Option<NaiveDate>,
    /// Display text.
    pub text: String,
    /// Open or done (cancelled items are never on an agenda).
    pub status: Status,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Scheduled date.
    pub scheduled: Option<NaiveDate>,
    /// Done date.
    pub done: Option<NaiveDate>,
    /// Who owes it to us.
    pub waiting: Option<String>,
    /// Obsidian Tasks' fields the agenda uses.
    pub tasks: ItemTasks,
}

/// What the agenda takes from an item's Obsidian Tasks fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTasks {
    /// Obsidian Tasks' status type: in progress (`[/]`) is open, and shown so.
    pub status_type: StatusType,
    /// Orders items within a day and within Overdue.
    pub priority: Option<Priority>,
    /// Its recurrence rule, in Obsidian Tasks' words, when it can be read.
    pub rule: Option<String>,
    /// When work can start: an undated item starting after today is under "Starting this
    /// week" (or not listed, when it starts after the window).
    pub start: Option<NaiveDate>,
    /// Its id (`🆔`).
    pub id: Option<String>,
    /// The ids it waits for (`⛔`).
    pub depends_on: Vec<String>,
    /// Those of `depends_on` that are open items on this agenda's scan.
    pub blocked_by: Vec<String>,
}

impl Item {
    fn new(note: &Note, c: &Commitment) -> Self {
        Item {
            path: note.path.clone(),
            line: c.line,
            customer: note.customer.clone(),
            customer_name: None,
            note_date: c.promised_on(note),
            text: c.text.clone(),
            status: c.status,
            due: c.due,
            scheduled: c.scheduled,
            done: c.done,
            waiting: c.waiting.clone(),
            tasks: ItemTasks {
                status_type: c.status_type,
                priority: c.fields.priority,
                rule: c
                    .fields
                    .recurrence
                    .as_deref()
                    .and_then(|r| Recurrence::parse(r).ok())
                    .map(|r| r.to_string()),
                start: c.fields.start,
                id: c.fields.id.clone(),
                depends_on: c.fields.depends_on.clone(),
                blocked_by: Vec::new(),
            },
        }
    }
}

/// Which days the agenda covers, and what day it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The day judged against (what is overdue, what was done lately).
    pub today: NaiveDate,
    /// First day of the window.
    pub from: NaiveDate,
    /// Number of days in it.
    pub days: u32,
}

impl Window {
    /// The window's last day.
    pub fn to(&self) -> NaiveDate {
        self.from
            .checked_add_days(Days::new(u64::from(self.days.saturating_sub(1))))
            .unwrap_or(NaiveDate::MAX)
    }

    fn contains(&self, d: NaiveDate) -> bool {
        d >= self.from && d <= self.to()
    }

    /// Done in the last 7 days: today and the 6 before.
    fn recently_done(&self, d: NaiveDate) -> bool {
        d <= self.today
            && self
                .today
                .checked_sub_days(Days::new(6))
                .is_some_and(|s| d >= s)
    }
}

/// The note's commitments that may be on an agenda: open ones, and done ones with a done
/// date in the last week. Runs on the scan's worker threads; cancelled and old items are
/// dropped there.
pub fn items_of(note: &Note, window: Window) -> Vec<Item> {
    note.commitments
        .iter()
        .filter(|c| match c.status {
            Status::Open => true,
            Status::Done => c.done.is_some_and(|d| window.recently_done(d)),
            Status::Cancelled => false,
        })
        .map(|c| Item::new(note, c))
        .collect()
}

/// Give items their customers' display names, chosen once every note is read.
pub fn name_customers(items: &mut [Item], customers: &Customers) {
    for item in items {
        item.customer_name = item
            .customer
            .as_deref()
            .map(|s| customers.name(s).to_owned());
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Open commitments, ours and others'.
    pub open: usize,
    /// Open and due before today or before the window.
    pub overdue: usize,
    /// Open and due in the window.
    pub due_in_window: usize,
    /// Open and due after the window (counted, not listed).
    pub later: usize,
    /// Done in the last 7 days.
    pub done_recently: usize,
    /// Of those with a due date, done on or before it.
    pub done_on_time: usize,
    /// Done in the last 7 days that had a due date.
    pub done_with_due: usize,
}

/// The agenda, sorted into sections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    /// Overdue: ours, open, due before today or before the window; oldest first.
    pub overdue: Vec<Item>,
    /// Due or scheduled in the window, by day.
    pub days: Vec<(NaiveDate, Vec<Item>)>,
    /// Ours, open, undated, starting after today and within the window (listed with the
    /// `days` section); by start date.
    pub starting: Vec<Item>,
    /// What others owe us: open `@waiting` items due by the window's end or undated.
    pub waiting: Vec<Item>,
    /// Ours, open, no due date (and no scheduled date ahead); oldest note first.
    pub undated: Vec<Item>,
    /// Done in the last 7 days, by done date.
    pub done: Vec<Item>,
    /// Customers whose contact cadence has lapsed or lapses within the window, most
    /// overdue first.
    pub contact: Vec<CustomerRow>,
    /// Birthdays and anniversaries in the window, by date.
    pub occasions: Vec<Occasion>,
    /// Cards to post by the window's end, for occasions from the window's start on
    /// (shown at the top of the Occasions section).
    pub cards: Vec<crate::customers::Card>,
    /// Check-ins after a sale due by the window's end and not yet done (shown in
    /// Customers to contact).
    pub check_ins: Vec<crate::customers::CheckIn>,
    /// The summary line's numbers.
    pub counts: Counts,
}

impl Agenda {
    /// Sort the items of a whole scan into sections. Items come in path order.
    pub fn build(items: Vec<Item>, window: Window) -> Agenda {
        let mut a = Agenda::default();
        let mut days: std::collections::BTreeMap<NaiveDate, Vec<Item>> = Default::default();
        // Late is late, as `check` says, even when the window starts before today
        // (`from = "week-start"`): due before today or before the window is overdue.
        let late = window.from.max(window.today);
        // Items wait for the open items whose ids they depend on.
        let open_ids: std::collections::BTreeSet<String> = items
            .iter()
            .filter(|i| i.status == Status::Open)
            .filter_map(|i| i.tasks.id.clone())
            .collect();
        for mut item in items {
            item.tasks.blocked_by = item
                .tasks
                .depends_on
                .iter()
                .filter(|id| open_ids.contains(*id))
                .cloned()
                .collect();
            if item.status == Status::Done {
                a.counts.done_recently += 1;
                if let Some(due) = item.due {
                    a.counts.done_with_due += 1;
                    if item.done.is_some_and(|d| d <= due) {
                        a.counts.done_on_time += 1;
                    }
                }
                a.done.push(item);
                continue;
            }
            a.counts.open += 1;
            match item.due {
                Some(d) if d < late => a.counts.overdue += 1,
                Some(d) if window.contains(d) => a.counts.due_in_window += 1,
                Some(_) => a.counts.later += 1,
                None => {}
            }
            if item.waiting.is_some() {
                if item.due.map_or(true, |d| d <= window.to()) {
                    a.waiting.push(item);
                }
                continue;
            }
            let day = match (item.due, item.scheduled) {
                (Some(d), _) if d < late => {
                    a.overdue.push(item);
                    continue;
                }
                (Some(d), _) if window.contains(d) => Some(d),
                // Due later (or never) but planned for this window: on the planned day.
                (_, Some(s)) if window.contains(s) => Some(s),
                // Due or planned after the window: counted, not listed.
                (Some(_), _) => None,
                (None, Some(s)) if s > window.to() => None,
                // Not started yet: under "Starting this week" when it starts in the window,
                // else not listed.
                (None, _) if item.tasks.start.is_some_and(|s| s > window.today) => {
                    if item.tasks.start.is_some_and(|s| window.contains(s)) {
                        a.starting.push(item);
                    }
                    continue;
                }
                (None, _) => {
                    a.undated.push(item);
                    continue;
                }
            };
            if let Some(d) = day {
                days.entry(d).or_default().push(item);
            }
        }
        // Stable sorts keep path order among equals. Priority first within Overdue and
        // within a day, as Obsidian Tasks orders them (no priority between medium and low).
        let rank = |i: &Item| Priority::rank(i.tasks.priority);
        a.overdue.sort_by_key(|i| (rank(i), i.due));
        for items in days.values_mut() {
            items.sort_by_key(rank);
        }
        a.starting.sort_by_key(|i| i.tasks.start);
        a.waiting.sort_by_key(|i| (i.due.is_none(), i.due));
        a.undated
            .sort_by_key(|i| (i.note_date.is_none(), i.note_date));
        a.done.sort_by_key(|i| i.done);
        a.days = days.into_iter().collect();
        a
    }

    /// Add the customer sections: who to contact and the occasions in the window.
    pub fn add_customers(
        &mut self,
        book: &Book,
        names: &Customers,
        window: Window,
        default: Option<Cadence>,
    ) {
        self.contact = book
            .rows(names, window.today, default)
            .into_iter()
            .filter(|r| r.lapsed || r.contact_due.is_some_and(|d| d <= window.to()))
            .collect();
        self.occasions = book.occasions(names, window.from, window.to());
    }

    /// Add the cards to write: those whose posting day is in the window.
    pub fn add_cards(
        &mut self,
        book: &Book,
        names: &Customers,
        window: Window,
        settings: &crate::notes::occasion::OccasionSettings,
    ) {
        self.cards = book.cards(names, settings, window.from, window.to());
    }

    /// Add the check-ins after a sale at `after_sale` days that are due by the window's
    /// end and have no call note since their day.
    pub fn add_check_ins(
        &mut self,
        book: &Book,
        names: &Customers,
        window: Window,
        after_sale: &[u32],
    ) {
        self.check_ins = book.check_ins(names, after_sale, window.to());
    }

    /// Empty the sections not in `keep` (the summary's counts stay: they describe all
    /// the notes, whatever is listed).
    pub fn keep_sections(&mut self, keep: &[Section]) {
        let has = |s| keep.contains(&s);
        if !has(Section::Overdue) {
            self.overdue.clear();
        }
        if !has(Section::Days) {
            self.days.clear();
            self.starting.clear();
        }
        if !has(Section::Waiting) {
            self.waiting.clear();
        }
        if !has(Section::Contact) {
            self.check_ins.clear();
            self.contact.clear();
        }
        if !has(Section::Occasions) {
            self.occasions.clear();
            self.cards.clear();
        }
        if !has(Section::NoDueDate) {
            self.undated.clear();
        }
        if !has(Section::Done) {
            self.done.clear();
        }
    }
}

/// The agenda's sections, as the configuration names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `overdue`
    Overdue,
    /// `days`: the window, day by day, and the undated items starting in it.
    Days,
    /// `waiting`: what others owe us.
    Waiting,
    /// `contact`: customers to get in touch with.
    Contact,
    /// `occasions`: birthdays and anniversaries.
    Occasions,
    /// `no-due-date`
    NoDueDate,
    /// `done`: done in the last 7 days.
    Done,
}

impl Section {
    /// Every section, in the agenda's order.
    pub const ALL: [Section; 7] = [
        Section::Overdue,
        Section::Days,
        Section::Waiting,
        Section::Contact,
        Section::Occasions,
        Section::NoDueDate,
        Section::Done,
    ];

    /// The name in configuration.
    pub fn name(self) -> &'static str {
        match self {
            Section::Overdue => "overdue",
            Section::Days => "days",
            Section::Waiting => "waiting",
            Section::Contact => "contact",
            Section::Occasions => "occasions",
            Section::NoDueDate => "no-due-date",
            Section::Done => "done",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::notes::dates::parse_iso(s).unwrap()
    }

    fn item(text: &str, due: Option<&str>, scheduled: Option<&str>) -> Item {
        Item {
            path: format!("notes/{text}.md"),
            line: 1,
            customer: None,
            customer_name: None,
            note_date: Some(d("2026-11-16")),
            text: text.to_owned(),
            status: Status::Open,
            due: due.map(d),
            scheduled: scheduled.map(d),
            done: None,
            waiting: None,
            tasks: ItemTasks {
                status_type: StatusType::Todo,
                priority: None,
                rule: None,
                start: None,
                id: None,
                depends_on: Vec::new(),
                blocked_by: Vec::new(),
            },
        }
    }

    #[test]
    fn priority_start_dates_and_dependencies() {
        let window = Window {
            today: d("2026-11-23"),
            from: d("2026-11-23"),
            days: 7,
        };
        let with = |text: &str, due: Option<&str>, f: &dyn Fn(&mut ItemTasks)| {
            let mut i = item(text, due, None);
            f(&mut i.tasks);
            i
        };
        let a = Agenda::build(
            vec![
                with("late low", Some("2026-11-10"), &|t| {
                    t.priority = Some(Priority::Low)
                }),
                with("late high", Some("2026-11-20"), &|t| {
                    t.priority = Some(Priority::High)
                }),
                with("wed plain", Some("2026-11-25"), &|_| {}),
                with("wed highest", Some("2026-11-25"), &|t| {
                    t.priority = Some(Priority::Highest);
                    t.depends_on = vec!["a1".into(), "gone".into()];
                }),
                with("first", Some("2026-11-24"), &|t| t.id = Some("a1".into())),
                with("starts thu", None, &|t| t.start = Some(d("2026-11-26"))),
                with("starts wed", None, &|t| t.start = Some(d("2026-11-25"))),
                with("starts today", None, &|t| t.start = Some(d("2026-11-23"))),
                with("starts in january", None, &|t| {
                    t.start = Some(d("2027-01-04"))
                }),
                with("started", None, &|t| t.start = Some(d("2026-11-01"))),
            ],
            window,
        );
        let texts = |v: &[Item]| v.iter().map(|i| i.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&a.overdue), ["late high", "late low"]);
        let wed = &a
            .days
            .iter()
            .find(|(d2, _)| *d2 == d("2026-11-25"))
            .unwrap()
            .1;
        assert_eq!(texts(wed), ["wed highest", "wed plain"]);
        assert_eq!(wed[0].tasks.blocked_by, ["a1"]);
        // Not started: under "Starting this week", not on a day nor under "No due date";
        // starting after the window: not listed.
        assert!(a.days.iter().all(|(d2, _)| *d2 != d("2026-11-26")));
        assert_eq!(texts(&a.starting), ["starts wed", "starts thu"]);
        assert_eq!(texts(&a.undated), ["starts today", "started"]);
        let mut only_days = a.clone();
        only_days.keep_sections(&[Section::Overdue]);
        assert!(only_days.starting.is_empty(), "listed with `days`");
    }

    #[test]
    fn items_land_in_one_section_each() {
        let window = Window {
            today: d("2026-11-23"),
            from: d("2026-11-23"),
            days: 7,
        };
        let mut waiting = item("owed", Some("2026-11-20"), None);
        waiting.waiting = Some("Dana".into());
        let mut done = item("kept", Some("2026-11-20"), None);
        done.status = Status::Done;
        done.done = Some(d("2026-11-21"));
        let items = vec![
            item("late-2", Some("2026-11-20"), None),
            item("late-1", Some("2026-11-02"), None),
            item("today", Some("2026-11-23"), None),
            item("planned", None, Some("2026-11-25")),
            item("sunday", Some("2026-11-29"), Some("2026-11-24")),
            item("planned-early", Some("2026-12-10"), Some("2026-11-26")),
            item("later", Some("2026-11-30"), None),
            item("undated", None, None),
            item("was-planned", None, Some("2026-11-01")),
            waiting,
            done,
        ];
        let a = Agenda::build(items, window);
        let texts = |v: &[Item]| v.iter().map(|i| i.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&a.overdue), ["late-1", "late-2"]);
        let days: Vec<_> = a
            .days
            .iter()
            .map(|(d, v)| (d.to_string(), texts(v)))
            .collect();
        assert_eq!(
            days,
            [
                ("2026-11-23".to_owned(), vec!["today".to_owned()]),
                ("2026-11-25".to_owned(), vec!["planned".to_owned()]),
                ("2026-11-26".to_owned(), vec!["planned-early".to_owned()]),
                ("2026-11-29".to_owned(), vec!["sunday".to_owned()]),
            ]
        );
        assert_eq!(texts(&a.waiting), ["owed"]);
        // (see also `a_window_from_the_week_start_shows_this_weeks_late_items_as_overdue`)
        assert_eq!(texts(&a.undated), ["undated", "was-planned"]);
        assert_eq!(texts(&a.done), ["kept"]);
        assert_eq!(
            a.counts,
            Counts {
                open: 10,
                overdue: 3,
                due_in_window: 2,
                later: 2,
                done_recently: 1,
                done_on_time: 0,
                done_with_due: 1,
            }
        );
    }

    #[test]
    fn a_window_from_the_week_start_shows_this_weeks_late_items_as_overdue() {
        // Wednesday, with the window from Monday: Monday's and Tuesday's are late.
        let window = Window {
            today: d("2026-11-25"),
            from: d("2026-11-23"),
            days: 7,
        };
        let items = vec![
            item("monday", Some("2026-11-23"), None),
            item("tuesday", Some("2026-11-24"), None),
            item("today", Some("2026-11-25"), None),
            item("planned-monday", None, Some("2026-11-23")),
        ];
        let a = Agenda::build(items, window);
        let texts = |v: &[Item]| v.iter().map(|i| i.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&a.overdue), ["monday", "tuesday"]);
        let days: Vec<_> = a.days.iter().map(|(d, _)| d.to_string()).collect();
        assert_eq!(days, ["2026-11-23", "2026-11-25"]);
        assert_eq!((a.counts.overdue, a.counts.due_in_window), (2, 1));
    }
}
