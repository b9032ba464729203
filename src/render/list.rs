//! `followup list`: a table for people, JSON for programs.

use std::io::{self, Write};

use super::commitment::JsonCommitment;
use crate::notes::dates::{days_between, describe_offset};
use crate::notes::model::{Commitment, Customers, Note, Status};
use crate::notes::status::StatusType;
use crate::text::{json_safe, plural, shown_path, terminal_safe};
use chrono::NaiveDate;

/// One row of `list`: a commitment and the note it is in.
pub type Row<'a> = (&'a Note, &'a Commitment);

/// Write rows as a JSON array (pretty, one key per line, stable order).
pub fn json(out: &mut dyn Write, rows: &[Row<'_>], customers: &Customers) -> io::Result<()> {
    let rows: Vec<JsonCommitment<'_>> = rows
        .iter()
        .map(|(n, c)| {
            JsonCommitment::of_note(n, c, n.customer.as_deref().map(|s| customers.name(s)))
        })
        .collect();
    let text = serde_json::to_string_pretty(&rows).expect("plain data serializes");
    writeln!(out, "{}", json_safe(text))
}

/// How far a due date is from today, for people.
fn when(c: &Commitment, today: NaiveDate) -> String {
    match (c.status, c.due) {
        (Status::Open, Some(due)) => {
            let d = days_between(today, due);
            if d < 0 {
                format!("{} late", plural(-d, "day"))
            } else {
                describe_offset(d)
            }
        }
        _ => String::new(),
    }
}

/// Write rows as aligned columns: due, when, status, customer, location, text.
pub fn table(
    out: &mut dyn Write,
    rows: &[Row<'_>],
    customers: &Customers,
    today: NaiveDate,
) -> io::Result<()> {
    let header = ["DUE", "WHEN", "STATUS", "CUSTOMER", "LOCATION", "TEXT"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|(n, c)| {
            [
                c.due
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".to_owned()),
                when(c, today),
                if c.status_type == StatusType::InProgress {
                    "in progress".to_owned()
                } else {
                    c.status.as_str().to_owned()
                },
                terminal_safe(n.customer.as_deref().map_or("-", |s| customers.name(s)))
                    .into_owned(),
                shown_path(&format!("{}:{}", n.path, c.line)).into_owned(),
                terminal_safe(&match &c.waiting {
                    Some(who) => format!("{} (waiting on {who})", c.text),
                    None => c.text.clone(),
                })
                .into_owned(),
            ]
        })
        .collect();
    super::aligned(out, header, &cells)
}
