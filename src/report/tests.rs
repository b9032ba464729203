//! Every number of the report on a small set of promises counted by hand.
//!
//! Today is Wed 2026-11-25; 3 weeks starting on Monday: Nov 9-15, Nov 16-22, Nov 23-29.

use super::*;
use crate::customers::CustomerRow;
use crate::notes::model::NamedCustomer;

fn d(s: &str) -> NaiveDate {
    crate::notes::dates::parse_iso(s).unwrap()
}

fn period(week_start: Weekday) -> Period {
    Period {
        today: d("2026-11-25"),
        weeks: 3,
        week_start,
    }
}

/// (customer, promised, status, due, done, waiting)
type Row<'a> = (
    &'a str,
    Option<&'a str>,
    Status,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn promises(rows: &[Row<'_>]) -> Vec<Promise> {
    rows.iter()
        .enumerate()
        .map(|(i, (c, promised, status, due, done, waiting))| Promise {
            path: format!("notes/{c}.md"),
            line: i + 1,
            customer: Some((*c).to_owned()),
            promised: promised.map(d),
            text: format!("promise {}", i + 1),
            status: *status,
            due: due.map(d),
            done: done.map(d),
            waiting: waiting.map(str::to_owned),
            customer_name: None,
        })
        .collect()
}

fn names() -> Customers {
    let mut names = Customers::default();
    for (slug, label) in [("acme", "Acme Corp"), ("globex", "Globex")] {
        names.add(NamedCustomer {
            slug: slug.into(),
            label: label.into(),
            rank: 1,
        });
    }
    names
}

use Status::{Cancelled, Done, Open};

/// The fixture: the comment on each says where it is counted.
fn fixture() -> Vec<Promise> {
    promises(&[
        // 1: due on the last day of week 0 (a Sunday), done that day: on time.
        (
            "acme",
            Some("2026-11-09"),
            Done,
            Some("2026-11-15"),
            Some("2026-11-15"),
            None,
        ),
        // 2: due on the first day of week 1 (a Monday), done a day later: late.
        (
            "acme",
            Some("2026-11-09"),
            Done,
            Some("2026-11-16"),
            Some("2026-11-17"),
            None,
        ),
        // 3: week 1, open: past due. Promised 9 days ago.
        (
            "acme",
            Some("2026-11-16"),
            Open,
            Some("2026-11-16"),
            None,
            None,
        ),
        // 4: week 1, cancelled: counted, not judged.
        (
            "acme",
            Some("2026-11-16"),
            Cancelled,
            Some("2026-11-20"),
            None,
            None,
        ),
        // 5: week 1, done without a done date: kept, not judged.
        (
            "globex",
            Some("2026-11-16"),
            Done,
            Some("2026-11-20"),
            None,
            None,
        ),
        // 6: week 2, due today, open: not yet due. Promised 7 days ago.
        (
            "acme",
            Some("2026-11-18"),
            Open,
            Some("2026-11-25"),
            None,
            None,
        ),
        // 7: week 2, due yesterday, open: past due. Promised 8 days ago.
        (
            "globex",
            Some("2026-11-17"),
            Open,
            Some("2026-11-24"),
            None,
            None,
        ),
        // 8: due before the period: overdue, in no week. Promised 24 days ago.
        (
            "acme",
            Some("2026-11-01"),
            Open,
            Some("2026-11-08"),
            None,
            None,
        ),
        // 9: due after the period, in an undated note.
        ("acme", None, Open, Some("2026-11-30"), None, None),
        // 10: owed to me, past due: not in the follow-through.
        (
            "acme",
            Some("2026-11-09"),
            Open,
            Some("2026-11-16"),
            None,
            Some("Dana"),
        ),
        // 11: no due date. Promised 55 days ago.
        ("acme", Some("2026-10-01"), Open, None, None, None),
        // 12: week 1, done on its due date: on time.
        (
            "globex",
            Some("2026-11-16"),
            Done,
            Some("2026-11-18"),
            Some("2026-11-18"),
            None,
        ),
    ])
}

fn build(p: &[Promise]) -> Report {
    Report::build(period(Weekday::Mon), p, &[], &[], &[], &names())
}

fn tally(
    on_time: usize,
    late: usize,
    done_undated: usize,
    opd: usize,
    not_due: usize,
    cancelled: usize,
) -> Tally {
    Tally {
        on_time,
        late,
        done_undated,
        open_past_due: opd,
        open_not_due: not_due,
        cancelled,
    }
}

#[test]
fn the_period_and_its_weeks() {
    let p = period(Weekday::Mon);
    assert_eq!((p.from(), p.to()), (d("2026-11-09"), d("2026-11-29")));
    assert_eq!(p.index(d("2026-11-08")), None);
    assert_eq!(p.index(d("2026-11-09")), Some(0));
    assert_eq!(
        p.index(d("2026-11-15")),
        Some(0),
        "Sunday ends a Monday week"
    );
    assert_eq!(p.index(d("2026-11-16")), Some(1));
    assert_eq!(p.index(d("2026-11-29")), Some(2));
    assert_eq!(p.index(d("2026-11-30")), None);
    // Weeks starting on Sunday: Nov 8-14, 15-21, 22-28.
    let p = period(Weekday::Sun);
    assert_eq!((p.from(), p.to()), (d("2026-11-08"), d("2026-11-28")));
    assert_eq!(p.index(d("2026-11-14")), Some(0));
    assert_eq!(
        p.index(d("2026-11-15")),
        Some(1),
        "Sunday starts a Sunday week"
    );
    assert_eq!(p.index(d("2026-11-29")), None);
}

#[test]
fn per_week_buckets_and_the_on_time_rate() {
    let r = build(&fixture());
    let weeks: Vec<_> = r
        .weeks
        .iter()
        .map(|w| (w.start, w.end, w.tally, w.on_time_rate))
        .collect();
    assert_eq!(
        weeks,
        [
            // #1
            (
                d("2026-11-09"),
                d("2026-11-15"),
                tally(1, 0, 0, 0, 0, 0),
                Some(1.0)
            ),
            // #12, #2, #5, #3, #4: 1 on time of 3 judged
            (
                d("2026-11-16"),
                d("2026-11-22"),
                tally(1, 1, 1, 1, 0, 1),
                Some(0.3333)
            ),
            // #7 past due, #6 due today: 0 of 1
            (
                d("2026-11-23"),
                d("2026-11-29"),
                tally(0, 0, 0, 1, 1, 0),
                Some(0.0)
            ),
        ]
    );
    assert_eq!(r.total, tally(2, 1, 1, 2, 1, 1));
    assert_eq!(r.total.judged(), 5);
    assert_eq!(r.total.total(), 8);
    assert_eq!(r.on_time_rate, Some(0.4), "2 on time of 5 judged");
}

#[test]
fn a_week_with_only_cancelled_or_pending_promises_has_no_rate() {
    let p = promises(&[
        ("acme", None, Cancelled, Some("2026-11-10"), None, None),
        ("acme", None, Open, Some("2026-11-27"), None, None),
    ]);
    let r = build(&p);
    assert_eq!(r.weeks[0].tally, tally(0, 0, 0, 0, 0, 1));
    assert_eq!(r.weeks[0].on_time_rate, None);
    assert_eq!(r.weeks[1].on_time_rate, None, "an empty week");
    assert_eq!(r.weeks[2].on_time_rate, None, "not due yet is not judged");
    assert_eq!(r.on_time_rate, None);
}

#[test]
fn per_customer_the_worst_rate_first() {
    let r = build(&fixture());
    let rows: Vec<_> = r
        .customers
        .iter()
        .map(|c| (c.name.as_str(), c.tally, c.on_time_rate))
        .collect();
    assert_eq!(
        rows,
        [
            // #1, #2, #3, #4, #6
            ("Acme Corp", tally(1, 1, 0, 1, 1, 1), Some(0.3333)),
            // #5, #7, #12
            ("Globex", tally(1, 0, 1, 1, 0, 0), Some(0.5)),
        ]
    );
}

#[test]
fn both_ways_balance() {
    let r = build(&fixture());
    assert_eq!(
        r.both_ways,
        [
            BothWays {
                customer: "acme".into(),
                name: "Acme Corp".into(),
                // #3, #6, #8, #9, #11; past due: #3, #8
                mine_open: 5,
                mine_overdue: 2,
                // #10
                theirs_open: 1,
                theirs_overdue: 1,
            },
            BothWays {
                customer: "globex".into(),
                name: "Globex".into(),
                // #7
                mine_open: 1,
                mine_overdue: 1,
                theirs_open: 0,
                theirs_overdue: 0,
            },
        ]
    );
}

#[test]
fn open_promises_by_age() {
    let r = build(&fixture());
    let counts: Vec<_> = r.ages.iter().map(|b| (b.label, b.count)).collect();
    assert_eq!(
        counts,
        [
            ("0-7 days", 1),   // #6 (7 days)
            ("8-14 days", 2),  // #7 (8 days), #3 (9 days)
            ("15-30 days", 1), // #8 (24 days)
            ("31-60 days", 1), // #11 (55 days)
            ("61-90 days", 0),
            ("91-180 days", 0),
            ("over 180 days", 0),
        ]
    );
    assert_eq!(r.ages_unknown, 1, "#9 is in an undated note");
    assert_eq!(r.open_undated, 1, "#11 has no due date");
    let oldest: Vec<_> = r.oldest.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        oldest,
        [
            "promise 11",
            "promise 8",
            "promise 3",
            "promise 7",
            "promise 6"
        ]
    );
    assert_eq!(r.oldest[0].customer_name.as_deref(), Some("Acme Corp"));
}

#[test]
fn age_bucket_boundaries() {
    let today = d("2026-11-25");
    let ages = [0, 7, 8, 14, 15, 30, 31, 60, 61, 90, 91, 180, 181, 400, -3];
    let rows: Vec<Row<'_>> = Vec::new();
    let mut p = promises(&rows);
    for (i, age) in ages.iter().enumerate() {
        p.push(Promise {
            path: "a.md".into(),
            line: i + 1,
            customer: None,
            promised: Some(today - chrono::TimeDelta::days(*age)),
            text: String::new(),
            status: Open,
            due: None,
            done: None,
            waiting: None,
            customer_name: None,
        });
    }
    let r = build(&p);
    let counts: Vec<_> = r.ages.iter().map(|b| b.count).collect();
    // A note dated after today counts as 0 days old.
    assert_eq!(counts, [3, 2, 2, 2, 2, 2, 2]);
    assert_eq!(r.oldest.len(), 10, "the oldest ten only");
    assert_eq!(r.oldest[0].line, 14, "400 days");
}

#[test]
fn coming_up_lists_both_ways_for_two_weeks() {
    let mut p = fixture();
    p.extend(promises(&[
        ("globex", None, Open, Some("2026-12-08"), None, Some("Hank")),
        ("globex", None, Open, Some("2026-12-09"), None, None),
    ]));
    let r = build(&p);
    let due: Vec<_> = r
        .due_soon
        .iter()
        .map(|p| (p.text.as_str(), p.due))
        .collect();
    assert_eq!(
        due,
        [
            ("promise 6", Some(d("2026-11-25"))),
            ("promise 9", Some(d("2026-11-30"))),
            ("promise 1", Some(d("2026-12-08"))),
        ],
        "today to today + 13 days, owed to me included"
    );
}

#[test]
fn contact_rhythm_calls_in_and_before_the_period() {
    let row = CustomerRow {
        customer: "acme".into(),
        name: "Acme Corp".into(),
        notes: 3,
        last_contact: Some(d("2026-11-10")),
        days_since_contact: Some(15),
        cadence_days: Some(14),
        lapsed: true,
        contact_due: Some(d("2026-11-24")),
        open: 0,
        overdue: 0,
        next_due: None,
        owner: None,
        profile: None,
        cadence_span: None,
        last_note: None,
        first_note: None,
        extra_profiles: Vec::new(),
        stage: Default::default(),
        facts: Vec::new(),
        contacts: Vec::new(),
    };
    let calls = [
        ("acme".to_owned(), d("2026-10-01")),
        ("acme".to_owned(), d("2026-10-20")),
        ("acme".to_owned(), d("2026-11-10")),
        ("acme".to_owned(), d("2026-11-10")),
        ("acme".to_owned(), d("2026-11-30")),
    ];
    let r = Report::build(period(Weekday::Mon), &[], &calls, &[row], &[], &names());
    assert_eq!(r.rhythm.len(), 1);
    let h = &r.rhythm[0];
    assert_eq!(h.call_before, Some(d("2026-10-20")));
    assert_eq!(h.calls, [d("2026-11-10")], "one a day; none after today");
    assert!(h.lapsed);
}

#[test]
fn same_input_same_report() {
    let a = build(&fixture());
    let b = build(&fixture());
    assert_eq!(a, b);
}
