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
    if rows.is_empty() {
        return writeln!(out, "[]");
    }
    // One row at a time, indented as serde_json indents an array's items (its strings
    // never hold a raw line break): the same bytes as the whole array made pretty at once,
    // without holding hundreds of megabytes of it on a large scan.
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(b"[\n")?;
    for (i, (n, c)) in rows.iter().enumerate() {
        let row = JsonCommitment::of_note(n, c, n.customer.as_deref().map(|s| customers.name(s)));
        let text = json_safe(serde_json::to_string_pretty(&row).expect("plain data serializes"));
        if i > 0 {
            out.write_all(b",\n")?;
        }
        for (j, line) in text.split('\n').enumerate() {
            if j > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(b"  ")?;
            out.write_all(line.as_bytes())?;
        }
    }
    out.write_all(b"\n]\n")?;
    out.flush()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::walk::NoteFile;
    use crate::notes::reader::parse_text;

    /// The rows written one at a time are the bytes of the whole array made pretty at
    /// once (what `list --format json` wrote before), unsafe characters escaped alike.
    #[test]
    fn rows_one_at_a_time_are_the_whole_array() {
        let file = NoteFile {
            fs_path: "acme/2026-11-20-call.md".into(),
            display: "acme/2026-11-20-call.md".into(),
            folder: Some("acme".into()),
        };
        let text = "# Call\n\n* Send \"it\" \u{202e}now @due(fri) [] {}\n\
                    - [/] Draft 🔁 every week 📅 2026-11-27 ⏫\n  * nested\n";
        let note = parse_text(&file, text, Default::default());
        let mut customers = Customers::default();
        if let Some(c) = note.named_customer() {
            customers.add(c);
        }
        let rows: Vec<Row<'_>> = note.commitments.iter().map(|c| (&note, c)).collect();
        assert_eq!(rows.len(), 3);
        let whole: Vec<JsonCommitment<'_>> = rows
            .iter()
            .map(|(n, c)| {
                JsonCommitment::of_note(n, c, n.customer.as_deref().map(|s| customers.name(s)))
            })
            .collect();
        let want = format!(
            "{}\n",
            json_safe(serde_json::to_string_pretty(&whole).unwrap())
        );
        for n in [0, 1, 3] {
            let mut got = Vec::new();
            json(&mut got, &rows[..n], &customers).unwrap();
            let want = if n == 3 {
                want.clone()
            } else {
                let part: Vec<_> = whole.iter().take(n).collect();
                format!(
                    "{}\n",
                    json_safe(serde_json::to_string_pretty(&part).unwrap())
                )
            };
            assert_eq!(String::from_utf8(got).unwrap(), want, "{n} rows");
        }
    }
}
