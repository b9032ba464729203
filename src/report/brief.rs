//! The brief to read before a call with one customer: who they are, the last calls, what
//! is open both ways, how well promises to them were kept, and what to bring up.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::customers::{CustomerRow, Occasion};
use crate::notes::dates::days_between;
use crate::notes::frontmatter;
use crate::notes::model::{slug, Customers, Note, Status};
use crate::notes::profile::{Profile, Yearly};
use crate::report::{named, Period, Promise, Tally, Upcoming};

/// What one note gives a brief.
#[derive(Debug, Clone)]
pub enum NoteInfo {
    /// A customer's profile note, with its text after the front matter.
    Profile {
        /// Slug.
        customer: String,
        /// Path, as shown.
        path: String,
        /// What the front matter says.
        profile: Profile,
        /// The note's own text.
        body: String,
    },
    /// A call note: its date and title.
    Call {
        /// Slug.
        customer: String,
        /// Path, as shown.
        path: String,
        /// The call's date.
        date: Option<NaiveDate>,
        /// The first level-1 heading.
        title: Option<String>,
    },
}

/// What a note gives a brief, from the note and its text.
pub fn info_of(note: &Note, text: &str) -> Option<NoteInfo> {
    let customer = note.customer.clone()?;
    let body_start = frontmatter::split(text).body_start;
    let body = text.get(body_start..).unwrap_or("");
    Some(match &note.front.profile {
        Some(p) => NoteInfo::Profile {
            customer,
            path: note.path.clone(),
            profile: p.clone(),
            body: body.trim().to_owned(),
        },
        None => NoteInfo::Call {
            customer,
            path: note.path.clone(),
            date: note.date,
            title: title_of(body),
        },
    })
}

/// The first level-1 ATX heading's text, outside fenced code.
pub fn title_of(body: &str) -> Option<String> {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        for f in ["```", "~~~"] {
            if t.starts_with(f) {
                fence = match fence {
                    Some(open) if open == f => None,
                    None => Some(f),
                    other => other,
                };
            }
        }
        if fence.is_none() {
            if let Some(title) = t.strip_prefix("# ") {
                let title = title.trim().trim_end_matches('#').trim();
                if !title.is_empty() {
                    return Some(title.to_owned());
                }
            }
        }
    }
    None
}

/// Which customer a name given on the command line means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// This slug.
    One(String),
    /// Several start with it: (slug, name) of each.
    Many(Vec<(String, String)>),
    /// None: the names it may have meant.
    Unknown(Vec<String>),
}

/// Find a customer by slug or name, exactly (ignoring case) or by a prefix of either.
pub fn find_customer(query: &str, names: &Customers) -> Match {
    let q = query.trim().to_lowercase();
    let qs = slug(&q);
    let all: Vec<(&str, &str)> = names.iter().collect();
    if let Some((s, _)) = all
        .iter()
        .find(|(s, n)| (!qs.is_empty() && *s == qs) || n.to_lowercase() == q)
    {
        return Match::One((*s).to_owned());
    }
    let prefixed: Vec<(String, String)> = all
        .iter()
        .filter(|(s, n)| {
            (!qs.is_empty() && s.starts_with(&qs))
                || (!q.is_empty() && n.to_lowercase().starts_with(&q))
        })
        .map(|(s, n)| ((*s).to_owned(), (*n).to_owned()))
        .collect();
    match prefixed.len() {
        1 => return Match::One(prefixed[0].0.clone()),
        n if n > 1 => return Match::Many(prefixed),
        _ => {}
    }
    // Close to a slug, or to the start of one as long as the query ("acmee" for acme-corp).
    let mut near: Vec<String> = Vec::new();
    for (s, n) in &all {
        let start: String = s.chars().take(qs.chars().count()).collect();
        let candidates = [*s, start.as_str()];
        if !qs.is_empty() && !crate::text::closest(&qs, candidates).is_empty() {
            near.push((*n).to_owned());
        }
    }
    Match::Unknown(near)
}

/// A person at the customer, as the brief shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Option<String>,
    /// `YYYY-MM-DD`, or `--MM-DD` when the year is unknown.
    pub birthday: Option<String>,
    /// The same for the anniversary.
    pub anniversary: Option<String>,
}

fn yearly(y: Option<Yearly>) -> Option<String> {
    y.map(|y| match y.year {
        Some(year) => format!("{year:04}-{:02}-{:02}", y.month, y.day),
        None => format!("--{:02}-{:02}", y.month, y.day),
    })
}

/// A call with the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    /// The call's date.
    pub date: Option<NaiveDate>,
    /// The note's first heading.
    pub title: Option<String>,
    /// The note.
    pub path: String,
}

/// One thing to bring up on the call, with the promise it is about (if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    /// What to say or ask.
    pub text: String,
    /// The note it comes from.
    pub path: Option<String>,
    /// Its line.
    pub line: Option<usize>,
}

/// The brief's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Brief {
    /// The day judged against.
    pub today: NaiveDate,
    /// Slug.
    pub customer: String,
    /// Display name.
    pub name: String,
    /// The profile note.
    pub profile: Option<String>,
    /// Who looks after the account.
    pub owner: Option<String>,
    /// The people there.
    pub contacts: Vec<Person>,
    /// Their birthdays and anniversaries in the next 30 days.
    pub occasions: Vec<Upcoming>,
    /// The profile note's own text (after its front matter).
    pub profile_text: Option<String>,
    /// Call notes in all.
    pub calls: usize,
    /// The last five calls, latest first.
    pub last_calls: Vec<Call>,
    /// The cadence in days.
    pub cadence_days: Option<u32>,
    /// The last call on or before today.
    pub last_contact: Option<NaiveDate>,
    /// When the next contact is (was) due.
    pub contact_due: Option<NaiveDate>,
    /// Whether contact is overdue.
    pub lapsed: bool,
    /// Open promises of mine: by due date, undated last.
    pub mine_open: Vec<Promise>,
    /// Open promises owed to me: by due date, undated last.
    pub theirs_open: Vec<Promise>,
    /// Open and past due, both ways, oldest due date first.
    pub overdue: Vec<Promise>,
    /// My promises to them due in the period (the report's weeks).
    pub follow_through: Tally,
    /// Kept on time / judged, over the period.
    pub on_time_rate: Option<f64>,
    /// The period's first day.
    pub since: NaiveDate,
    /// What to bring up, most pressing first.
    pub talking_points: Vec<Point>,
}

/// How many days ahead the brief looks for occasions.
pub const OCCASION_DAYS: u64 = 30;

/// Everything a brief is built from.
pub struct Inputs<'a> {
    /// The customer's slug.
    pub customer: &'a str,
    /// The weeks its follow-through rate covers, and today.
    pub period: Period,
    /// Every promise of the scan (others' are skipped).
    pub promises: &'a [Promise],
    /// Every profile and call note of the scan (others' are skipped).
    pub notes: &'a [NoteInfo],
    /// The customer's row, when the book has one.
    pub row: Option<&'a CustomerRow>,
    /// The occasions of the next 30 days, all customers.
    pub occasions: &'a [Occasion],
    /// Display names.
    pub names: &'a Customers,
}

/// Put the brief together.
pub fn build(i: Inputs<'_>) -> Brief {
    let today = i.period.today;
    let slug = i.customer;
    let theirs = |p: &&Promise| p.customer.as_deref() == Some(slug);
    let mine: Vec<&Promise> = i.promises.iter().filter(theirs).collect();

    let mut profile = None;
    let mut calls: Vec<Call> = Vec::new();
    for n in i.notes {
        match n {
            NoteInfo::Profile {
                customer,
                path,
                profile: p,
                body,
            } if customer == slug && profile.is_none() => {
                profile = Some((path.clone(), p.clone(), body.clone()));
            }
            NoteInfo::Call {
                customer,
                path,
                date,
                title,
            } if customer == slug => calls.push(Call {
                date: *date,
                title: title.clone(),
                path: path.clone(),
            }),
            _ => {}
        }
    }
    let call_count = calls.len();
    // Latest first; undated calls last; the stable sort keeps path order among equals.
    calls.sort_by_key(|c| std::cmp::Reverse(c.date));
    calls.retain(|c| c.date.map_or(true, |d| d <= today));
    calls.truncate(5);

    let by_due = |v: &mut Vec<&Promise>| v.sort_by_key(|p| (p.due.is_none(), p.due));
    let open = |p: &&&Promise| p.status == Status::Open;
    let mut mine_open: Vec<&Promise> = mine
        .iter()
        .filter(open)
        .filter(|p| p.is_mine())
        .copied()
        .collect();
    let mut theirs_open: Vec<&Promise> = mine
        .iter()
        .filter(open)
        .filter(|p| !p.is_mine())
        .copied()
        .collect();
    by_due(&mut mine_open);
    by_due(&mut theirs_open);
    let mut overdue: Vec<&Promise> = mine
        .iter()
        .filter(|p| p.is_overdue(today))
        .copied()
        .collect();
    by_due(&mut overdue);

    let mut tally = Tally::default();
    for p in mine.iter().filter(|p| p.is_mine()) {
        if p.due.is_some_and(|d| i.period.index(d).is_some()) {
            tally.add(p, today);
        }
    }

    let occasions: Vec<Upcoming> = i
        .occasions
        .iter()
        .filter(|o| o.customer == slug)
        .map(Upcoming::from)
        .collect();

    let mut points = Vec::new();
    let point = |text: String, p: Option<&Promise>| Point {
        text,
        path: p.map(|p| p.path.clone()),
        line: p.map(|p| p.line),
    };
    let on = |d: Option<NaiveDate>| {
        d.map_or_else(String::new, |d| format!(" on {}", d.format("%a %Y-%m-%d")))
    };
    for p in &overdue {
        let late = p.days_late(today).unwrap_or(0);
        let text = match &p.waiting {
            None => format!(
                "You promised \"{}\"{} (due {}, {} late): done?",
                p.text,
                on(p.promised),
                fmt_day(p.due),
                crate::text::plural(late, "day"),
            ),
            Some(who) => format!(
                "{who} owes \"{}\" (due {}, {} late): ask about it.",
                p.text,
                fmt_day(p.due),
                crate::text::plural(late, "day"),
            ),
        };
        points.push(point(text, Some(p)));
    }
    let week_end = today + Days::new(6);
    for p in mine_open
        .iter()
        .filter(|p| p.due.is_some_and(|d| d >= today && d <= week_end))
    {
        points.push(point(
            format!("\"{}\" is due {}: on track?", p.text, fmt_day(p.due)),
            Some(p),
        ));
    }
    for p in mine_open.iter().filter(|p| p.due.is_none()) {
        points.push(point(
            format!(
                "\"{}\"{} has no due date: agree one.",
                p.text,
                p.promised
                    .map_or_else(String::new, |d| format!(" (promised {})", fmt_day(Some(d))))
            ),
            Some(p),
        ));
    }
    let since_last = calls.first().and_then(|c| c.date);
    for p in mine.iter().filter(|p| {
        p.is_mine()
            && p.status == Status::Done
            && p.done.is_some_and(|d| {
                d <= today && since_last.map_or(days_between(d, today) <= 30, |l| d >= l)
            })
    }) {
        points.push(point(
            format!("Done{}: \"{}\": tell them.", on(p.done), p.text),
            Some(p),
        ));
    }
    if let Some(r) = i.row.filter(|r| r.lapsed) {
        let text = match (r.last_contact, r.cadence_days) {
            (Some(last), Some(c)) => format!(
                "Last contact {} ({} ago); the cadence is every {}: the call is overdue.",
                last.format("%a %Y-%m-%d"),
                crate::text::plural(days_between(last, today), "day"),
                crate::text::plural(c.into(), "day"),
            ),
            _ => "No call on record yet.".to_owned(),
        };
        points.push(point(text, None));
    }
    for o in &occasions {
        let years = o.years.map_or_else(String::new, |y| {
            format!(", {}", crate::text::plural(y.into(), "year"))
        });
        points.push(point(
            format!(
                "{}'s {} on {}{years}.",
                o.person,
                o.kind,
                o.date.format("%a %Y-%m-%d")
            ),
            None,
        ));
    }

    let (profile_path, p, body) = match profile {
        Some((path, p, body)) => (Some(path), Some(p), Some(body).filter(|b| !b.is_empty())),
        None => (None, None, None),
    };
    Brief {
        today,
        customer: slug.to_owned(),
        name: i.names.name(slug).to_owned(),
        profile: profile_path,
        owner: p.as_ref().and_then(|p| p.owner.clone()),
        contacts: p
            .as_ref()
            .map(|p| {
                p.contacts
                    .iter()
                    .map(|c| Person {
                        name: c.name.clone(),
                        role: c.role.clone(),
                        birthday: yearly(c.birthday),
                        anniversary: yearly(c.anniversary),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        occasions,
        profile_text: body,
        calls: call_count,
        last_calls: calls,
        cadence_days: i.row.and_then(|r| r.cadence_days),
        last_contact: i.row.and_then(|r| r.last_contact),
        contact_due: i.row.and_then(|r| r.contact_due),
        lapsed: i.row.is_some_and(|r| r.lapsed),
        mine_open: named(mine_open.into_iter(), i.names),
        theirs_open: named(theirs_open.into_iter(), i.names),
        overdue: named(overdue.into_iter(), i.names),
        follow_through: tally,
        on_time_rate: tally.rate(),
        since: i.period.from(),
        talking_points: points,
    }
}

/// `Mon 2026-11-23`, or `-`.
pub fn fmt_day(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "-".to_owned(), |d| d.format("%a %Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::model::NamedCustomer;

    #[test]
    fn the_title_is_the_first_level_1_heading_outside_code() {
        assert_eq!(
            title_of("text\n# Call with Dana #\n# Second").as_deref(),
            Some("Call with Dana")
        );
        assert_eq!(
            title_of("```\n# not a title\n```\n## Sub\n# Real").as_deref(),
            Some("Real")
        );
        assert_eq!(title_of("#hashtag\n"), None);
    }

    #[test]
    fn customers_by_name_slug_or_prefix() {
        let mut names = Customers::default();
        for (slug, label) in [
            ("acme-corp", "Acme Corp"),
            ("acme-labs", "Acme Labs"),
            ("globex", "Globex"),
        ] {
            names.add(NamedCustomer {
                slug: slug.into(),
                label: label.into(),
                rank: 1,
            });
        }
        assert_eq!(
            find_customer("Acme Corp", &names),
            Match::One("acme-corp".into())
        );
        assert_eq!(
            find_customer("ACME-LABS", &names),
            Match::One("acme-labs".into())
        );
        assert_eq!(find_customer("glo", &names), Match::One("globex".into()));
        assert!(matches!(find_customer("acme", &names), Match::Many(v) if v.len() == 2));
        assert_eq!(
            find_customer("globx", &names),
            Match::Unknown(vec!["Globex".into()])
        );
        assert_eq!(find_customer("zzz", &names), Match::Unknown(vec![]));
    }
}
