//! The agenda as markdown (a document to read on Monday morning), JSON and iCalendar.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::agenda::{Agenda, Counts, Item, Window};
use crate::customers::CustomerRow;
use crate::fs::write::GENERATED_MARKER;
use crate::notes::dates::{days_between, describe_offset};
use crate::notes::model::Status;
use crate::text::plural;
use crate::text::{is_unsafe, json_safe, terminal_safe};

/// Where an item's source link points: the note's path as seen from the agenda's folder.
pub type LinkTarget<'a> = &'a dyn Fn(&str) -> String;

/// `Fri 2026-11-20`.
fn day(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

/// Note text made safe inside a markdown list item: no control characters, no raw HTML.
fn md_text(s: &str) -> String {
    terminal_safe(s).replace('<', "&lt;").replace('>', "&gt;")
}

/// A link target with the characters that would end or break it percent-encoded.
fn md_url(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '[' | ']' | '%' | '#' | '?' | '\\' => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The title's window: "Follow-up agenda, 2026-11-23 to 2026-11-29".
fn title(w: &Window) -> String {
    format!("Follow-up agenda, {} to {}", w.from, w.to())
}

fn window_name(w: &Window) -> String {
    if w.days == 7 {
        "this week".to_owned()
    } else {
        format!("in the next {}", plural(i64::from(w.days), "day"))
    }
}

/// The one-line summary under the title.
fn summary(c: &Counts, w: &Window) -> String {
    let mut s = format!(
        "{} open: {} overdue, {} due {}, {} later.",
        c.open,
        c.overdue,
        c.due_in_window,
        window_name(w),
        c.later
    );
    let _ = write!(s, " Done in the last 7 days: {}", c.done_recently);
    if c.done_with_due > 0 {
        let _ = write!(s, " ({} of {} on time)", c.done_on_time, c.done_with_due);
    }
    s.push('.');
    s
}

/// Write the markdown agenda.
pub fn markdown(a: &Agenda, w: &Window, link: LinkTarget<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{GENERATED_MARKER} agenda. Edit the notes, not this file: it is rewritten. -->"
    );
    let _ = writeln!(out, "# {}\n", title(w));
    let _ = writeln!(out, "{}", summary(&a.counts, w));

    let item = |out: &mut String, i: &Item, detail: &str| {
        let check = match (i.status, i.tasks.in_progress) {
            (Status::Done, _) => "x",
            (_, true) => "/",
            _ => " ",
        };
        // A recurring item's rule, and the open items a blocked one waits for.
        let mut detail = detail.to_owned();
        for extra in i.tasks.rule.iter().cloned().chain(
            (!i.tasks.blocked_by.is_empty())
                .then(|| format!("blocked by {}", i.tasks.blocked_by.join(", "))),
        ) {
            if !detail.is_empty() {
                detail.push_str(", ");
            }
            detail.push_str(&md_text(&extra));
        }
        let who = i
            .customer_name
            .as_deref()
            .map(|n| format!("**{}** ", md_text(n)))
            .unwrap_or_default();
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" ({detail})")
        };
        let _ = writeln!(
            out,
            "- [{check}] {who}{}{detail} · [{}:{}]({})",
            md_text(&i.text),
            md_text(&i.path),
            i.line,
            md_url(&link(&i.path)),
        );
    };

    if !a.overdue.is_empty() {
        out.push_str("\n## Overdue\n\n");
        for i in &a.overdue {
            item(&mut out, i, &due_detail(i, w));
        }
    }
    if !a.days.is_empty() {
        let heading = if w.days == 7 {
            "This week".to_owned()
        } else {
            format!("Next {}", plural(i64::from(w.days), "day"))
        };
        let _ = writeln!(out, "\n## {heading}");
        for (d, items) in &a.days {
            let _ = writeln!(out, "\n### {}\n", day(*d));
            for i in items {
                // Placed on its due day, or on its scheduled day when it is due later.
                let detail = match (i.due, i.scheduled) {
                    (Some(due), _) if due != *d => format!("scheduled, due {}", day(due)),
                    (Some(due), Some(s)) if s != due => {
                        format!("due {}, scheduled {}", day(due), day(s))
                    }
                    (Some(due), _) => format!("due {}", day(due)),
                    (None, Some(s)) if s == *d => "scheduled".to_owned(),
                    (None, _) if i.tasks.start == Some(*d) => "starts".to_owned(),
                    (None, _) => "scheduled".to_owned(),
                };
                item(&mut out, i, &detail);
            }
        }
    }
    if !a.waiting.is_empty() {
        out.push_str("\n## Waiting on others\n\n");
        for i in &a.waiting {
            let who = i.waiting.as_deref().map(md_text).unwrap_or_default();
            let detail = match i.due {
                Some(_) => format!("owed by {who}, {}", due_detail(i, w)),
                None => format!("owed by {who}, no date"),
            };
            item(&mut out, i, &detail);
        }
    }
    if !a.contact.is_empty() {
        out.push_str("\n## Customers to contact\n\n");
        for r in &a.contact {
            let _ = writeln!(out, "- {}", contact_line(r, w));
        }
    }
    if !a.occasions.is_empty() {
        out.push_str("\n## Occasions\n\n");
        for o in &a.occasions {
            let role = o
                .role
                .as_deref()
                .map(|r| format!("{}, ", md_text(r)))
                .unwrap_or_default();
            let years = o
                .years
                .map(|y| format!(", {}", plural(i64::from(y), "year")))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {}: **{}** ({role}{}): {}{years} · [{}]({})",
                day(o.date),
                md_text(&o.person),
                md_text(&o.customer_name),
                o.kind.as_str(),
                md_text(&o.profile),
                md_url(&link(&o.profile)),
            );
        }
    }
    if !a.undated.is_empty() {
        out.push_str("\n## No due date\n\n");
        for i in &a.undated {
            let detail = match (i.note_date, i.scheduled) {
                (_, Some(s)) => format!("was scheduled {}", day(s)),
                (Some(n), None) => format!("promised {}", day(n)),
                (None, None) => String::new(),
            };
            item(&mut out, i, &detail);
        }
    }
    if !a.done.is_empty() {
        out.push_str("\n## Done in the last 7 days\n\n");
        if a.counts.done_with_due > 0 {
            let _ = writeln!(
                out,
                "{} of {} on time.\n",
                a.counts.done_on_time, a.counts.done_with_due
            );
        }
        for i in &a.done {
            let done = i.done.map(day).unwrap_or_default();
            let detail = match (i.done, i.due) {
                (Some(d), Some(due)) if d > due => {
                    format!("done {done}, {} late", plural(days_between(due, d), "day"))
                }
                (Some(_), Some(_)) => format!("done {done}, on time"),
                _ => format!("done {done}"),
            };
            item(&mut out, i, &detail);
        }
    }
    out
}

/// "**Hooli**: last contact Thu 2026-07-02 (144 days ago), every 91 days, due since Thu
/// 2026-10-01 · 2 open".
fn contact_line(r: &CustomerRow, w: &Window) -> String {
    let mut s = format!("**{}**: ", md_text(&r.name));
    match (r.last_contact, r.days_since_contact) {
        (Some(last), Some(since)) => {
            let _ = write!(
                s,
                "last contact {} ({})",
                day(last),
                describe_offset(-since)
            );
        }
        _ => s.push_str("no contact on record"),
    }
    if let Some(c) = r.cadence_days {
        let _ = write!(s, ", every {}", plural(i64::from(c), "day"));
    }
    match r.contact_due {
        Some(due) if due < w.today => {
            let _ = write!(s, ", due since {}", day(due));
        }
        Some(due) => {
            let _ = write!(s, ", due {}", day(due));
        }
        None => {}
    }
    if r.open > 0 {
        let _ = write!(s, " · {} open", r.open);
        if r.overdue > 0 {
            let _ = write!(s, ", {} overdue", r.overdue);
        }
    }
    s
}

/// "due Fri 2026-11-20, 3 days late", or "due Fri 2026-11-27".
fn due_detail(i: &Item, w: &Window) -> String {
    let Some(due) = i.due else {
        return String::new();
    };
    let late = days_between(due, w.today);
    if late > 0 {
        format!("due {}, {} late", day(due), plural(late, "day"))
    } else {
        format!("due {}", day(due))
    }
}

#[derive(Serialize)]
struct JsonItem<'a> {
    path: &'a str,
    line: usize,
    link: String,
    customer: Option<&'a str>,
    customer_name: Option<&'a str>,
    note_date: Option<NaiveDate>,
    text: &'a str,
    status: Status,
    due: Option<NaiveDate>,
    scheduled: Option<NaiveDate>,
    done: Option<NaiveDate>,
    waiting: Option<&'a str>,
    days_late: Option<i64>,
}

#[derive(Serialize)]
struct JsonDay<'a> {
    date: NaiveDate,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAgenda<'a> {
    generated_by: &'static str,
    version: u32,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    summary: Counts,
    overdue: Vec<JsonItem<'a>>,
    days: Vec<JsonDay<'a>>,
    waiting: Vec<JsonItem<'a>>,
    contact: Vec<JsonContact<'a>>,
    occasions: Vec<JsonOccasion<'a>>,
    no_due_date: Vec<JsonItem<'a>>,
    done: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonContact<'a> {
    customer: &'a str,
    name: &'a str,
    last_contact: Option<NaiveDate>,
    days_since_contact: Option<i64>,
    cadence_days: Option<u32>,
    contact_due: Option<NaiveDate>,
    lapsed: bool,
    open: usize,
    overdue: usize,
}

#[derive(Serialize)]
struct JsonOccasion<'a> {
    date: NaiveDate,
    kind: &'static str,
    years: Option<i32>,
    person: &'a str,
    role: Option<&'a str>,
    customer: &'a str,
    customer_name: &'a str,
    path: &'a str,
    link: String,
}

fn json_items<'a>(v: &'a [Item], w: &Window, link: LinkTarget<'_>) -> Vec<JsonItem<'a>> {
    v.iter()
        .map(|i| JsonItem {
            path: &i.path,
            line: i.line,
            link: link(&i.path),
            customer: i.customer.as_deref(),
            customer_name: i.customer_name.as_deref(),
            note_date: i.note_date,
            text: &i.text,
            status: i.status,
            due: i.due,
            scheduled: i.scheduled,
            done: i.done,
            waiting: i.waiting.as_deref(),
            days_late: i
                .due
                .filter(|_| i.status == Status::Open)
                .map(|d| days_between(d, w.today))
                .filter(|&n| n > 0),
        })
        .collect()
}

/// The marker a JSON agenda starts with (its first key).
pub const JSON_MARKER: &str = "{\n  \"generated_by\": \"followup agenda\"";

/// Write the agenda as JSON: the same sections as data.
pub fn json(a: &Agenda, w: &Window, link: LinkTarget<'_>) -> String {
    let items = |v| json_items(v, w, link);
    let doc = JsonAgenda {
        generated_by: "followup agenda",
        version: 1,
        today: w.today,
        from: w.from,
        to: w.to(),
        summary: a.counts,
        overdue: items(&a.overdue),
        days: a
            .days
            .iter()
            .map(|(date, v)| JsonDay {
                date: *date,
                items: items(v),
            })
            .collect(),
        waiting: items(&a.waiting),
        contact: a
            .contact
            .iter()
            .map(|r| JsonContact {
                customer: &r.customer,
                name: &r.name,
                last_contact: r.last_contact,
                days_since_contact: r.days_since_contact,
                cadence_days: r.cadence_days,
                contact_due: r.contact_due,
                lapsed: r.lapsed,
                open: r.open,
                overdue: r.overdue,
            })
            .collect(),
        occasions: a
            .occasions
            .iter()
            .map(|o| JsonOccasion {
                date: o.date,
                kind: o.kind.as_str(),
                years: o.years,
                person: &o.person,
                role: o.role.as_deref(),
                customer: &o.customer,
                customer_name: &o.customer_name,
                path: &o.profile,
                link: link(&o.profile),
            })
            .collect(),
        no_due_date: items(&a.undated),
        done: items(&a.done),
    };
    json_safe(serde_json::to_string_pretty(&doc).expect("plain data serializes")) + "\n"
}

/// The product identifier an iCalendar agenda carries.
pub const ICS_PRODID: &str = "PRODID:-//followup//followup agenda//EN";

/// Write open dated commitments as iCalendar VTODOs (RFC 5545). Every open item with a due
/// date is included, whatever the window, so a calendar app shows what is late too.
pub fn ics(items: &[&Item], w: &Window) -> String {
    let mut out = String::new();
    let mut line = |s: String| fold(&mut out, &s);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(ICS_PRODID.into());
    line("CALSCALE:GREGORIAN".into());
    line("X-WR-CALNAME:Follow-up".into());
    // DTSTAMP is required; the day judged against keeps the file reproducible.
    let stamp = format!("DTSTAMP:{}T000000Z", w.today.format("%Y%m%d"));
    for i in items {
        let Some(due) = i.due else { continue };
        line("BEGIN:VTODO".into());
        line(format!("UID:{}", uid(i)));
        line(stamp.clone());
        let summary = match &i.customer_name {
            Some(c) => format!("{c}: {}", i.text),
            None => i.text.clone(),
        };
        line(format!("SUMMARY:{}", ics_text(&summary)));
        line(format!("DUE;VALUE=DATE:{}", due.format("%Y%m%d")));
        let mut description = format!("{}:{}", i.path, i.line);
        if let Some(who) = &i.waiting {
            let _ = write!(description, "\nWaiting on {who}");
        }
        if let Some(n) = i.note_date {
            let _ = write!(description, "\nPromised on {n}");
        }
        line(format!("DESCRIPTION:{}", ics_text(&description)));
        if let Some(c) = &i.customer_name {
            line(format!("CATEGORIES:{}", ics_text(c)));
        }
        line("STATUS:NEEDS-ACTION".into());
        line("END:VTODO".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// A stable identifier from the note's path and the item's text, so that re-importing
/// updates the same to-do instead of adding a copy. FNV-1a by hand: std's hasher is not
/// guaranteed stable across Rust releases, and eight lines beat a dependency.
fn uid(i: &Item) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in i.path.bytes().chain([0]).chain(i.text.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}@followup")
}

/// RFC 5545 TEXT escaping: backslash, semicolon, comma, newline; other controls and
/// bidirectional overrides dropped.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Write one content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8
/// character, each physical line ending in CRLF.
fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        fold(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn ics_text_escapes() {
        assert_eq!(ics_text("a,b;c\\d\ne\x1b"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn urls_survive_spaces_and_parentheses() {
        assert_eq!(
            md_url("acme/QBR prep (draft).md"),
            "acme/QBR%20prep%20%28draft%29.md"
        );
    }
}
