//! The agenda as JSON: the markdown agenda's sections as data.

use chrono::NaiveDate;
use serde::Serialize;

use super::LinkTarget;
use crate::agenda::{Agenda, Counts, Item, Window};
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
    starting: Vec<JsonItem<'a>>,
    waiting: Vec<JsonItem<'a>>,
    contact: Vec<JsonContact<'a>>,
    occasions: Vec<JsonOccasion<'a>>,
    cards: Vec<JsonCard<'a>>,
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

#[derive(Serialize)]
struct JsonCard<'a> {
    date: NaiveDate,
    post_by: NaiveDate,
    what: &'a str,
    customer: Option<&'a str>,
    customer_name: Option<&'a str>,
    path: Option<&'a str>,
    link: Option<String>,
}

fn json_items<'a>(v: &'a [Item], w: &Window, link: LinkTarget<'_>) -> Vec<JsonItem<'a>> {
    v.iter()
        .map(|i| JsonItem {
            commitment: JsonCommitment::of_item(i, link(&i.path)),
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
        starting: items(&a.starting),
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
            })
            .collect(),
        no_due_date: items(&a.undated),
        done: items(&a.done),
    };
    json_safe(serde_json::to_string_pretty(&doc).expect("plain data serializes")) + "\n"
}
