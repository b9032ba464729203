//! The weekly follow-up agenda: which commitments go in which section, before any of it
//! is rendered (`render::agenda`).

use chrono::{Datelike, Days, NaiveDate};

use crate::customers::{Book, CustomerRow, Occasion};
use crate::notes::model::{Commitment, Customers, Note, Status};
use crate::notes::profile::Cadences;
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

/// Where an item is listed. Ordered as the sections are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Ours, open, due before today or before the window.
    Overdue,
    /// Due or scheduled on this day of the window.
    Day(NaiveDate),
    /// Ours, open, undated, starting after today and within the window (listed with the
    /// `days` section).
    Starting,
    /// What others owe us: open `@waiting` items due by the window's end or undated.
    Waiting,
    /// Ours, open, no due date (and no scheduled date ahead), started.
    Undated,
    /// Done in the last 7 days.
    Done,
}

impl Place {
    /// The configuration's section it is listed with.
    pub fn section(self) -> Section {
        match self {
            Place::Overdue => Section::Overdue,
            Place::Day(_) | Place::Starting => Section::Days,
            Place::Waiting => Section::Waiting,
            Place::Undated => Section::NoDueDate,
            Place::Done => Section::Done,
        }
    }

    /// Where `item` is listed, if anywhere: not when it is due or planned after the
    /// window, or starts after it.
    pub fn of(item: &Item, window: Window) -> Option<Place> {
        // Late is late, as `check` says, even when the window starts before today
        // (`from = "week-start"`): due before today or before the window is overdue.
        let late = window.from.max(window.today);
        if item.status == Status::Done {
            return Some(Place::Done);
        }
        if item.waiting.is_some() {
            return item
                .due
                .map_or(true, |d| d <= window.to())
                .then_some(Place::Waiting);
        }
        match (item.due, item.scheduled) {
            (Some(d), _) if d < late => Some(Place::Overdue),
            (Some(d), _) if window.contains(d) => Some(Place::Day(d)),
            // Due later (or never) but planned for this window: on the planned day.
            (_, Some(s)) if window.contains(s) => Some(Place::Day(s)),
            // Due or planned after the window: counted, not listed.
            (Some(_), _) => None,
            (None, Some(s)) if s > window.to() => None,
            // Not started yet: under "Starting this week" when it starts in the window,
            // else not listed.
            (None, _) if item.tasks.start.is_some_and(|s| s > window.today) => item
                .tasks
                .start
                .filter(|s| window.contains(*s))
                .map(|_| Place::Starting),
            (None, _) => Some(Place::Undated),
        }
    }

    /// The order of the items listed here: by this key, then path and line. Priority
    /// first within Overdue and within a day, as Obsidian Tasks orders them (no priority
    /// between medium and low).
    pub fn key(self, item: &Item) -> Key {
        let rank = u32::from(Priority::rank(item.tasks.priority));
        let x = match self {
            Place::Overdue => rank << DAY_BITS | day_bits(item.due, 0),
            Place::Day(d) => day_bits(Some(d), 0) << 3 | rank,
            Place::Starting => day_bits(item.tasks.start, 0),
            // Undated last.
            Place::Waiting => day_bits(item.due, DAY_MASK),
            Place::Undated => day_bits(item.note_date, DAY_MASK),
            Place::Done => day_bits(item.done, 0),
        };
        Key(u32::from(self.group()) << 29 | x)
    }

    /// The place a [`Place::key`] is the key of.
    pub fn of_key(key: Key) -> Place {
        match key.group() {
            0 => Place::Overdue,
            1 => Place::Day(
                NaiveDate::from_num_days_from_ce_opt(
                    ((key.0 >> 3) & DAY_MASK) as i32 - DAY_ZERO as i32,
                )
                .unwrap_or_default(),
            ),
            2 => Place::Starting,
            3 => Place::Waiting,
            4 => Place::Undated,
            _ => Place::Done,
        }
    }

    /// Its [`Key::group`]: the sections' order.
    pub fn group(self) -> u8 {
        match self {
            Place::Overdue => 0,
            Place::Day(_) => 1,
            Place::Starting => 2,
            Place::Waiting => 3,
            Place::Undated => 4,
            Place::Done => 5,
        }
    }
}

/// An item's place in the output, in 32 bits (an agenda can have a million items): its
/// section in the top 3, then its order within it; ties keep the order the items came in
/// (path, then line).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key(u32);

impl Key {
    /// The section, in output order.
    pub fn group(self) -> u8 {
        (self.0 >> 29) as u8
    }
}

/// A day in a key: 26 bits, days from the common era's start moved up by [`DAY_ZERO`];
/// 0 and [`DAY_MASK`] are kept for "none, first" and "none, last". That is ±90,000
/// years around year 1 (dates are written with four-digit years): outside it a date
/// sorts as the range's end.
const DAY_BITS: u32 = 26;
const DAY_MASK: u32 = (1 << DAY_BITS) - 1;
const DAY_ZERO: u32 = 1 << (DAY_BITS - 1);

fn day_bits(d: Option<NaiveDate>, none: u32) -> u32 {
    d.map_or(none, |d| {
        (i64::from(d.num_days_from_ce()) + i64::from(DAY_ZERO)).clamp(1, i64::from(DAY_MASK - 1))
            as u32
    })
}

/// The ids of `depends_on` that `open` (the ids of open items) holds: what the item
/// waits for.
pub fn blocked_by(item: &Item, open: &std::collections::HashSet<String>) -> Vec<String> {
    item.tasks
        .depends_on
        .iter()
        .filter(|id| open.contains(*id))
        .cloned()
        .collect()
}

impl Counts {
    /// Count one item of the scan (whatever is listed).
    pub fn add(&mut self, item: &Item, window: Window) {
        if item.status == Status::Done {
            self.done_recently += 1;
            if let Some(due) = item.due {
                self.done_with_due += 1;
                if item.done.is_some_and(|d| d <= due) {
                    self.done_on_time += 1;
                }
            }
            return;
        }
        self.open += 1;
        match item.due {
            Some(d) if d < window.from.max(window.today) => self.overdue += 1,
            Some(d) if window.contains(d) => self.due_in_window += 1,
            Some(_) => self.later += 1,
            None => {}
        }
    }

    /// Add another's numbers.
    pub fn merge(&mut self, o: &Counts) {
        self.open += o.open;
        self.overdue += o.overdue;
        self.due_in_window += o.due_in_window;
        self.later += o.later;
        self.done_recently += o.done_recently;
        self.done_on_time += o.done_on_time;
        self.done_with_due += o.done_with_due;
    }
}

/// What the agenda says besides its items (which are rendered as they are read, see
/// `render::agenda::lines`): the customer sections and the summary's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    /// Customers whose contact cadence has lapsed or lapses within the window, most
    /// overdue first.
    pub contact: Vec<CustomerRow>,
    /// Birthdays and anniversaries in the window, by date.
    pub occasions: Vec<Occasion>,
    /// Cards to post by the window's end, for occasions from the window's start on
    /// (shown at the top of the Occasions section).
    pub cards: Vec<crate::customers::Card>,
    /// The profiles' other occasions and the holidays in the window, by date (listed
    /// with the birthdays and anniversaries).
    pub other_occasions: Vec<crate::customers::OtherOccasion>,
    /// Check-ins after a sale due by the window's end and not yet done (shown in
    /// Customers to contact).
    pub check_ins: Vec<crate::customers::CheckIn>,
    /// The summary line's numbers.
    pub counts: Counts,
}

impl Agenda {
    /// Add the customer sections: who to contact and the occasions in the window.
    pub fn add_customers(
        &mut self,
        book: &Book,
        names: &Customers,
        window: Window,
        cadences: &Cadences,
    ) {
        self.contact = book
            .rows(names, window.today, cadences)
            .into_iter()
            .filter(|r| r.lapsed || r.contact_due.is_some_and(|d| d <= window.to()))
            .collect();
        self.occasions = book.occasions(names, window.from, window.to());
    }

    /// Add the cards to write (those whose posting day is in the window), and the
    /// profiles' other occasions and the holidays in the window.
    pub fn add_cards(
        &mut self,
        book: &Book,
        names: &Customers,
        window: Window,
        settings: &crate::notes::occasion::OccasionSettings,
    ) {
        self.cards = book.cards(names, settings, window.from, window.to());
        self.other_occasions = book.other_occasions(names, settings, window.from, window.to());
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

    /// Empty the customer sections not in `keep` (the item sections are filtered as
    /// items are placed; the summary's counts stay: they describe all the notes, whatever
    /// is listed).
    pub fn keep_sections(&mut self, keep: &[Section]) {
        if !keep.contains(&Section::Contact) {
            self.check_ins.clear();
            self.contact.clear();
        }
        if !keep.contains(&Section::Occasions) {
            self.occasions.clear();
            self.cards.clear();
            self.other_occasions.clear();
        }
    }

    /// Keep only what concerns the customers `keep` accepts (by slug); holidays and their
    /// cards, for every customer, stay.
    pub fn keep_customers(&mut self, keep: &dyn Fn(&str) -> bool) {
        self.contact.retain(|r| keep(&r.customer));
        self.check_ins.retain(|c| keep(&c.customer));
        self.occasions.retain(|o| keep(&o.customer));
        self.cards
            .retain(|c| c.customer.as_ref().map_or(true, |(slug, _)| keep(slug)));
        self.other_occasions
            .retain(|o| o.customer.as_ref().map_or(true, |(slug, _)| keep(slug)));
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
    use std::collections::BTreeMap;

    fn d(s: &str) -> NaiveDate {
        crate::notes::dates::parse_iso(s).unwrap()
    }

    /// The items' texts by place, each place in its order, and the counts.
    fn build(items: Vec<Item>, window: Window) -> (BTreeMap<Place, Vec<Item>>, Counts) {
        let open: std::collections::HashSet<String> = items
            .iter()
            .filter(|i| i.status == Status::Open)
            .filter_map(|i| i.tasks.id.clone())
            .collect();
        let mut counts = Counts::default();
        let mut placed: Vec<(Key, Place, Item)> = Vec::new();
        for mut i in items {
            counts.add(&i, window);
            i.tasks.blocked_by = blocked_by(&i, &open);
            if let Some(p) = Place::of(&i, window) {
                assert_eq!(Place::of_key(p.key(&i)), p);
                placed.push((p.key(&i), p, i));
            }
        }
        placed.sort_by_key(|(k, _, _)| *k);
        let mut by: BTreeMap<Place, Vec<Item>> = BTreeMap::new();
        for (_, p, i) in placed {
            by.entry(p).or_default().push(i);
        }
        (by, counts)
    }

    fn texts(by: &BTreeMap<Place, Vec<Item>>, p: Place) -> Vec<String> {
        by.get(&p)
            .map(|v| v.iter().map(|i| i.text.clone()).collect())
            .unwrap_or_default()
    }

    fn item(text: &str, due: Option<&str>, scheduled: Option<&str>) -> Item {
        Item {
            path: format!("notes/{text}.md"),
            line: 1,
            customer: None,
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
        let (a, _) = build(
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
        assert_eq!(texts(&a, Place::Overdue), ["late high", "late low"]);
        let wed = Place::Day(d("2026-11-25"));
        assert_eq!(texts(&a, wed), ["wed highest", "wed plain"]);
        assert_eq!(a[&wed][0].tasks.blocked_by, ["a1"]);
        // Not started: under "Starting this week", not on a day nor under "No due date";
        // starting after the window: not listed.
        assert!(!a.contains_key(&Place::Day(d("2026-11-26"))));
        assert_eq!(texts(&a, Place::Starting), ["starts wed", "starts thu"]);
        assert_eq!(texts(&a, Place::Undated), ["starts today", "started"]);
        assert_eq!(
            Place::Starting.section(),
            Section::Days,
            "listed with `days`"
        );
        assert!(!a.values().flatten().any(|i| i.text == "starts in january"));
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
        let (a, counts) = build(items, window);
        assert_eq!(texts(&a, Place::Overdue), ["late-1", "late-2"]);
        let days: Vec<_> = a
            .keys()
            .filter_map(|p| match p {
                Place::Day(day) => Some((day.to_string(), texts(&a, *p))),
                _ => None,
            })
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
        assert_eq!(texts(&a, Place::Waiting), ["owed"]);
        // (see also `a_window_from_the_week_start_shows_this_weeks_late_items_as_overdue`)
        assert_eq!(texts(&a, Place::Undated), ["undated", "was-planned"]);
        assert_eq!(texts(&a, Place::Done), ["kept"]);
        assert_eq!(
            counts,
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
        let (a, counts) = build(items, window);
        assert_eq!(texts(&a, Place::Overdue), ["monday", "tuesday"]);
        let days: Vec<_> = a
            .keys()
            .filter_map(|p| match p {
                Place::Day(day) => Some(day.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(days, ["2026-11-23", "2026-11-25"]);
        assert_eq!((counts.overdue, counts.due_in_window), (2, 1));
    }
}
