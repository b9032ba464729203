//! The agenda as JSON: the markdown agenda's sections as data.

use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use super::lines::{Lines, NotePath, Render};
use super::LinkTarget;
use crate::agenda::{Agenda, Counts, Item, Key, Place, Window};
use crate::notes::dates::days_between;
use crate::notes::model::Status;
use crate::render::commitment::JsonCommitment;
use crate::text::json_safe;

/// An agenda item: the shape `list` writes too, then how late it is.
#[derive(Serialize)]
struct JsonItem<'a> {
    #[serde(flatten)]
    commitment: JsonCommitment<'a>,
    days_late: Option<i64>,
}

/// Where a section of items goes in the document: written as [`SLOT`], replaced by the
/// items as they are streamed (see [`json`]).
struct Slot;

impl Serialize for Slot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("\0")
    }
}

/// How a [`Slot`] is written: no note text can be this (a NUL in a note is `\u0000`
/// inside a string, never right after a top-level key at the start of a line).
const SLOT: &str = "\"\\u0000\"";

#[derive(Serialize)]
struct JsonAgenda<'a> {
    generated_by: &'static str,
    version: u32,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    summary: Counts,
    overdue: Slot,
    days: Slot,
    starting: Slot,
    waiting: Slot,
    contact: Vec<JsonContact<'a>>,
    occasions: Vec<JsonOccasion<'a>>,
    cards: Vec<JsonCard<'a>>,
    other_occasions: Vec<JsonOtherOccasion<'a>>,
    check_ins: Vec<JsonCheckIn<'a>>,
    no_due_date: Slot,
    done: Slot,
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

#[derive(Serialize)]
struct JsonCard<'a> {
    date: NaiveDate,
    post_by: NaiveDate,
    what: &'a str,
    customer: Option<&'a str>,
    customer_name: Option<&'a str>,
    path: Option<&'a str>,
    link: Option<String>,
    last_sent: Option<NaiveDate>,
}

#[derive(Serialize)]
struct JsonOtherOccasion<'a> {
    date: NaiveDate,
    what: &'a str,
    who: Option<&'a str>,
    years: Option<i32>,
    customer: Option<&'a str>,
    customer_name: Option<&'a str>,
    path: Option<&'a str>,
    link: Option<String>,
}

#[derive(Serialize)]
struct JsonCheckIn<'a> {
    customer: &'a str,
    name: &'a str,
    date: NaiveDate,
    days_after_sale: u32,
    path: &'a str,
    link: String,
}

/// An item as the JSON agenda writes it, indented for where it goes (in `days`, two
/// levels deeper), with [`NAME`] for its customer's name.
pub(super) fn item(out: &mut String, i: &Item, key: Key, w: &Window, note: &NotePath) {
    let item = JsonItem {
        commitment: JsonCommitment::of_item(
            i,
            note.link.clone(),
            i.customer.as_ref().map(|_| "\0"),
        ),
        days_late: i
            .due
            .filter(|_| i.status == Status::Open)
            .map(|d| days_between(d, w.today))
            .filter(|&n| n > 0),
    };
    let text = json_safe(serde_json::to_string_pretty(&item).expect("plain data serializes"));
    let text = text.replacen(
        "\n  \"customer_name\": \"\\u0000\"",
        "\n  \"customer_name\": \0",
        1,
    );
    let indent = if matches!(Place::of_key(key), Place::Day(_)) {
        "        "
    } else {
        "    "
    };
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(indent);
        out.push_str(line);
    }
}

/// A customer's name as an item's `customer_name`.
pub(super) fn name(name: &str) -> String {
    json_safe(serde_json::to_string(name).expect("a string serializes"))
}

/// The marker a JSON agenda starts with (its first key).
pub const JSON_MARKER: &str = "{\n  \"generated_by\": \"followup agenda\"";

/// Write the agenda as JSON: the same sections as data, its items from `lines`.
pub fn json(
    a: &Agenda,
    lines: &Lines,
    r: &dyn Render,
    w: &Window,
    link: LinkTarget<'_>,
    to: &mut dyn Write,
) -> io::Result<()> {
    let doc = JsonAgenda {
        generated_by: "followup agenda",
        version: 1,
        today: w.today,
        from: w.from,
        to: w.to(),
        summary: a.counts,
        overdue: Slot,
        days: Slot,
        starting: Slot,
        waiting: Slot,
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
        cards: a
            .cards
            .iter()
            .map(|c| JsonCard {
                date: c.date,
                post_by: c.post_by,
                what: &c.what,
                customer: c.customer.as_ref().map(|(slug, _)| slug.as_str()),
                customer_name: c.customer.as_ref().map(|(_, name)| name.as_str()),
                path: c.profile.as_deref(),
                link: c.profile.as_deref().map(link),
                last_sent: c.last_sent,
            })
            .collect(),
        other_occasions: a
            .other_occasions
            .iter()
            .map(|o| JsonOtherOccasion {
                date: o.date,
                what: &o.what,
                who: o.who.as_deref(),
                years: o.years,
                customer: o.customer.as_ref().map(|(slug, _)| slug.as_str()),
                customer_name: o.customer.as_ref().map(|(_, name)| name.as_str()),
                path: o.profile.as_deref(),
                link: o.profile.as_deref().map(link),
            })
            .collect(),
        check_ins: a
            .check_ins
            .iter()
            .map(|c| JsonCheckIn {
                customer: &c.customer,
                name: &c.name,
                date: c.date,
                days_after_sale: c.days_after,
                path: &c.profile,
                link: link(&c.profile),
            })
            .collect(),
        no_due_date: Slot,
        done: Slot,
    };
    let text = json_safe(serde_json::to_string_pretty(&doc).expect("plain data serializes")) + "\n";
    let mut rest = text.as_str();
    let mut buf = Vec::new();
    for (key, place) in [
        ("overdue", Place::Overdue),
        ("days", Place::Day(w.from)),
        ("starting", Place::Starting),
        ("waiting", Place::Waiting),
        ("no_due_date", Place::Undated),
        ("done", Place::Done),
    ] {
        let slot = format!("\n  \"{key}\": {SLOT}");
        let at = rest.find(&slot).expect("every slot is written") + slot.len() - SLOT.len();
        to.write_all(&rest.as_bytes()[..at])?;
        rest = &rest[at + SLOT.len()..];
        let mut listed = lines.group(place.group()).peekable();
        if listed.peek().is_none() {
            to.write_all(b"[]")?;
            continue;
        }
        to.write_all(b"[\n")?;
        let mut day = None;
        for (n, line) in listed.enumerate() {
            match Place::of_key(line.key()) {
                Place::Day(d) if day != Some(d) => {
                    if day.is_some() {
                        to.write_all(b"\n      ]\n    },\n")?;
                    }
                    write!(to, "    {{\n      \"date\": \"{d}\",\n      \"items\": [\n")?;
                    day = Some(d);
                }
                _ if n > 0 => to.write_all(b",\n")?,
                _ => {}
            }
            line.write(r, &mut buf, to)?;
        }
        if day.is_some() {
            to.write_all(b"\n      ]\n    }")?;
        }
        to.write_all(b"\n  ]")?;
    }
    to.write_all(rest.as_bytes())
}
