//! `followup customers` output: a table to read, or JSON.

use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use crate::customers::CustomerRow;
use crate::notes::dates::describe_offset;
use crate::text::{json_safe, terminal_safe};

/// One row per customer, most neglected first.
pub fn table(out: &mut dyn Write, rows: &[CustomerRow]) -> io::Result<()> {
    let header = [
        "CUSTOMER",
        "NOTES",
        "LAST CONTACT",
        "CADENCE",
        "OPEN",
        "OVERDUE",
        "NEXT DUE",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            let last = match (r.last_contact, r.days_since_contact) {
                (Some(d), Some(since)) => format!("{d} ({})", describe_offset(-since)),
                _ => "never".to_owned(),
            };
            let cadence = match (r.cadence_days, r.lapsed) {
                (Some(c), true) => format!("{c}d, lapsed"),
                (Some(c), false) => format!("{c}d"),
                (None, _) => "-".to_owned(),
            };
            // A prospect or former customer says so after the name; a customer does not.
            let stage = match r.stage {
                crate::notes::profile::Stage::Customer => String::new(),
                s => format!(" ({})", s.as_str()),
            };
            [
                format!("{}{stage}", terminal_safe(&r.name)),
                r.notes.to_string(),
                last,
                cadence,
                r.open.to_string(),
                r.overdue.to_string(),
                r.next_due.map_or_else(|| "-".to_owned(), |d| d.to_string()),
            ]
        })
        .collect();
    super::aligned(out, header, &cells)
}

#[derive(Serialize)]
struct JsonRow<'a> {
    customer: &'a str,
    name: &'a str,
    notes: usize,
    last_contact: Option<NaiveDate>,
    days_since_contact: Option<i64>,
    cadence_days: Option<u32>,
    lapsed: bool,
    contact_due: Option<NaiveDate>,
    open: usize,
    overdue: usize,
    next_due: Option<NaiveDate>,
    owner: Option<&'a str>,
    stage: &'static str,
    facts: &'a [String],
    contacts: Vec<JsonContact<'a>>,
    profile: Option<&'a str>,
}

/// A profile's contact: who, their days, and their `notes:`.
#[derive(Serialize)]
struct JsonContact<'a> {
    name: &'a str,
    role: Option<&'a str>,
    birthday: Option<String>,
    anniversary: Option<String>,
    notes: &'a [String],
}

/// The same rows as a JSON array.
pub fn json(out: &mut dyn Write, rows: &[CustomerRow]) -> io::Result<()> {
    let rows: Vec<JsonRow<'_>> = rows
        .iter()
        .map(|r| JsonRow {
            customer: &r.customer,
            name: &r.name,
            notes: r.notes,
            last_contact: r.last_contact,
            days_since_contact: r.days_since_contact,
            cadence_days: r.cadence_days,
            lapsed: r.lapsed,
            contact_due: r.contact_due,
            open: r.open,
            overdue: r.overdue,
            next_due: r.next_due,
            owner: r.owner.as_deref(),
            stage: r.stage.as_str(),
            facts: &r.facts,
            contacts: r
                .contacts
                .iter()
                .map(|c| JsonContact {
                    name: &c.name,
                    role: c.role.as_deref(),
                    birthday: c.birthday.map(|d| d.to_string()),
                    anniversary: c.anniversary.map(|d| d.to_string()),
                    notes: &c.notes,
                })
                .collect(),
            profile: r.profile.as_deref(),
        })
        .collect();
    let text = serde_json::to_string_pretty(&rows).expect("plain data serializes");
    writeln!(out, "{}", json_safe(text))
}
