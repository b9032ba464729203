//! `followup list`: a table for people, JSON for programs, in little memory whatever the
//! number of rows. Each row is rendered on the scan's worker as soon as its note is read
//! ([`NoteRows`]) and its bytes go to an [`Arena`], which keeps a 16-byte entry per row
//! (its sort key, its customer, where its bytes are); [`Rows`] sorts the entries once every
//! note is read and writes the rows in order, each customer's display name (known only
//! then) put in its place.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};

use super::arena::{fill, Arena, Slugs, NAME};
use super::commitment::JsonCommitment;
use super::Columns;
use crate::notes::dates::{days_between, describe_offset};
use crate::notes::model::{Commitment, Customers, Note, Status};
use crate::notes::status::StatusType;
use crate::notes::tags::Priority;
use crate::text::{json_safe, plural, shown_path, terminal_safe};

/// `list`'s formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns: due, when, status, customer, location, text.
    Table,
    /// A JSON array (pretty, one key per line, stable order).
    Json,
}

/// `list`'s orders; ties stay in path and line order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// By due date, undated last.
    Due,
    /// By priority (highest first), then by due date.
    Priority,
    /// By customer name ignoring case, rows without a customer last, then by due date.
    Customer,
    /// By path and line.
    Path,
}

/// How `list` writes its rows.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// The format.
    pub format: Format,
    /// The order.
    pub sort: Sort,
    /// The day the table's "when" counts from.
    pub today: NaiveDate,
}

/// The table's header.
const HEADER: [&str; 6] = ["DUE", "WHEN", "STATUS", "CUSTOMER", "LOCATION", "TEXT"];
/// The table's customer column: filled in when the row is written.
const CUSTOMER: usize = 3;
/// Between a table row's cells as it is kept: a control character, so never in a cell
/// (cells are made safe to print).
const CELL: char = '\x1f';

/// One note's rows, rendered on a scan worker.
#[derive(Debug)]
pub struct NoteRows {
    customer: Option<String>,
    /// Rendered rows, one after the other.
    text: String,
    /// Each row's sort key and where it ends in `text`.
    ends: Vec<(u32, usize)>,
    /// The table's columns as wide as these rows need (the customer's aside).
    widths: Columns<6>,
}

impl NoteRows {
    /// Render each of `note`'s commitments as a row.
    pub fn of(note: &Note, shape: &Shape) -> NoteRows {
        let mut n = NoteRows {
            customer: note.customer.clone(),
            text: String::new(),
            ends: Vec::with_capacity(note.commitments.len()),
            widths: Columns::default(),
        };
        for c in &note.commitments {
            match shape.format {
                Format::Json => json_row(note, c, &mut n.text),
                Format::Table => {
                    let cells = table_cells(note, c, shape.today);
                    n.widths.fit(cells.each_ref().map(String::as_str));
                    for (i, cell) in cells.iter().enumerate() {
                        if i > 0 {
                            n.text.push(CELL);
                        }
                        n.text.push_str(cell);
                    }
                }
            }
            n.ends.push((key(shape.sort, c), n.text.len()));
        }
        n
    }
}

/// A row as the JSON array holds it: indented as serde_json indents an array's items
/// (its strings never hold a raw line break), [`NAME`] for the customer's name.
fn json_row(note: &Note, c: &Commitment, out: &mut String) {
    let name = note.customer.as_ref().map(|_| "\0");
    let row = JsonCommitment::of_note(note, c, name);
    let text = json_safe(serde_json::to_string_pretty(&row).expect("plain data serializes"));
    // The one line of the key at the top level (no value starts a line: strings never
    // hold a raw line break), its value a NUL, which serde_json escapes.
    const KEY: &str = "  \"customer_name\": ";
    for (j, line) in text.split('\n').enumerate() {
        if j > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        match line
            .strip_prefix(KEY)
            .and_then(|r| r.strip_prefix("\"\\u0000\""))
        {
            Some(rest) => {
                out.push_str(KEY);
                out.push(NAME);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
}

/// A row's table cells, the customer's left empty.
fn table_cells(note: &Note, c: &Commitment, today: NaiveDate) -> [String; 6] {
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
        String::new(),
        shown_path(&format!("{}:{}", note.path, c.line)).into_owned(),
        terminal_safe(&match &c.waiting {
            Some(who) => format!("{} (waiting on {who})", c.text),
            None => c.text.clone(),
        })
        .into_owned(),
    ]
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

/// A row's sort key as far as it is known on the worker (the customer's name is not).
fn key(sort: Sort, c: &Commitment) -> u32 {
    match sort {
        Sort::Path => 0,
        Sort::Due | Sort::Customer => due_bits(c.due),
        Sort::Priority => {
            u32::from(Priority::rank(c.fields.priority)) << DUE_BITS | due_bits(c.due)
        }
    }
}

/// How many low bits of a key hold the due date.
const DUE_BITS: u32 = 28;

/// A due date in [`DUE_BITS`] bits, in date order, undated last: days from the common
/// era's start moved up by 2^27, which every date chrono can hold fits (±262,143 years
/// is ±96 million days).
fn due_bits(due: Option<NaiveDate>) -> u32 {
    match due {
        Some(d) => (d.num_days_from_ce() + (1 << (DUE_BITS - 1))) as u32,
        None => (1 << DUE_BITS) - 1,
    }
}

/// Every row of a scan, sorted and written once the scan is over.
#[derive(Default)]
pub struct Rows {
    arena: Arena<u32>,
    slugs: Slugs,
    /// The table's column widths over the rows without a customer, then per customer
    /// (by number); `None` for one without rows.
    widths: Vec<Option<Columns<6>>>,
}

impl Rows {
    /// Take one note's rows; notes come in path order.
    pub fn add(&mut self, n: NoteRows) -> io::Result<()> {
        if n.ends.is_empty() {
            return Ok(());
        }
        let customer = self.slugs.id(n.customer);
        let slot = customer.wrapping_add(1) as usize;
        if self.widths.len() <= slot {
            self.widths.resize(slot + 1, None);
        }
        self.widths[slot]
            .get_or_insert_with(Columns::default)
            .merge(&n.widths);
        let mut start = 0;
        for (key, end) in n.ends {
            self.arena
                .store(key, customer, &n.text.as_bytes()[start..end])?;
            start = end;
        }
        Ok(())
    }

    /// Once every note is read: write the rows of the customers `only` accepts (by slug;
    /// every row when `None`), in `shape`'s order.
    pub fn write(
        mut self,
        shape: &Shape,
        customers: &Customers,
        only: Option<&dyn Fn(&str) -> bool>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let listed: Vec<bool> = self
            .slugs
            .all()
            .iter()
            .map(|s| only.map_or(true, |keep| keep(s)))
            .collect();
        let is_listed = |customer: u32| match customer {
            Slugs::NONE => only.is_none(),
            i => listed[i as usize],
        };
        self.arena.seal()?;
        let entries = self.arena.entries_mut();
        entries.retain(|e| is_listed(e.customer));
        // Among equal keys, in the order stored: each run is sorted stably.
        match shape.sort {
            // Stored in path order.
            Sort::Path => {}
            Sort::Due | Sort::Priority => entries.sort_unstable_by_key(|e| (e.key, e.pos)),
            Sort::Customer => {
                let rank = name_ranks(self.slugs.all(), customers);
                let rank = |c: u32| rank.get(c as usize).copied().unwrap_or(u32::MAX);
                entries.sort_unstable_by_key(|e| (rank(e.customer), e.key, e.pos));
            }
        }
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        match shape.format {
            Format::Json => self.json(customers, &mut out)?,
            Format::Table => {
                let slots = self.widths.iter().enumerate();
                let mut widths = Columns::of(HEADER);
                let names: Vec<String> = self
                    .slugs
                    .all()
                    .iter()
                    .map(|s| terminal_safe(customers.name(s)).into_owned())
                    .collect();
                let name = |customer: u32| match customer {
                    Slugs::NONE => "-",
                    i => &names[i as usize],
                };
                for (slot, w) in slots {
                    let customer = (slot as u32).wrapping_sub(1);
                    if let (Some(w), true) = (w, is_listed(customer)) {
                        widths.merge(w);
                        let mut cells = [""; 6];
                        cells[CUSTOMER] = name(customer);
                        widths.fit(cells);
                    }
                }
                self.table(&widths, &name, &mut out)?;
            }
        }
        out.flush()
    }

    /// Write the entries as a JSON array.
    fn json(&self, customers: &Customers, out: &mut dyn Write) -> io::Result<()> {
        if self.arena.entries().is_empty() {
            return writeln!(out, "[]");
        }
        let names: Vec<String> = self
            .slugs
            .all()
            .iter()
            .map(|s| json_safe(serde_json::to_string(customers.name(s)).expect("a string")))
            .collect();
        let mut buf = Vec::new();
        let mut reader = self.arena.reader();
        out.write_all(b"[\n")?;
        for (i, e) in self.arena.entries().iter().enumerate() {
            if i > 0 {
                out.write_all(b",\n")?;
            }
            reader.read(&self.arena, e.pos, &mut buf)?;
            let name = names.get(e.customer as usize).map_or("", String::as_str);
            fill(&buf, name, out)?;
        }
        out.write_all(b"\n]\n")
    }

    /// Write the entries as a table with columns `widths` wide, `name` in the customer's.
    fn table<'n>(
        &self,
        widths: &Columns<6>,
        name: &dyn Fn(u32) -> &'n str,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        writeln!(out, "{}", widths.line(HEADER))?;
        let mut buf = Vec::new();
        let mut reader = self.arena.reader();
        for e in self.arena.entries() {
            reader.read(&self.arena, e.pos, &mut buf)?;
            let row = std::str::from_utf8(&buf).map_err(io::Error::other)?;
            let mut cells = [""; 6];
            for (cell, text) in cells.iter_mut().zip(row.splitn(6, CELL)) {
                *cell = text;
            }
            cells[CUSTOMER] = name(e.customer);
            writeln!(out, "{}", widths.line(cells))?;
        }
        Ok(())
    }
}

/// Each customer's place in name order (by number): names that are the same ignoring
/// case share theirs, so their rows stay in due, then path order.
fn name_ranks(slugs: &[String], customers: &Customers) -> Vec<u32> {
    let names: Vec<String> = slugs
        .iter()
        .map(|s| customers.name(s).to_lowercase())
        .collect();
    let mut order: Vec<usize> = (0..slugs.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    let mut ranks = vec![0; slugs.len()];
    let mut rank = 0;
    for (n, &i) in order.iter().enumerate() {
        if n > 0 && names[i] != names[order[n - 1]] {
            rank += 1;
        }
        ranks[i] = rank;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::walk::NoteFile;
    use crate::notes::reader::parse_text;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The rows written from the arena are the bytes of the whole array made pretty at
    /// once (what `list --format json` wrote before), unsafe characters escaped alike.
    #[test]
    fn rows_from_the_arena_are_the_whole_array() {
        let file = NoteFile {
            fs_path: "acme/2026-11-20-call.md".into(),
            display: "acme/2026-11-20-call.md".into(),
            folder: Some("acme".into()),
        };
        let text = "---\ncustomer: \"Acme \\u202e\\\"Corp\\\"\"\n---\n# Call\n\n\
                    * Send \"it\" \u{202e}now @due(fri) [] {}\n\
                    - [/] Draft 🔁 every week 📅 2026-11-27 ⏫\n  * nested\n";
        let note = parse_text(&file, text, Default::default());
        let mut customers = Customers::default();
        customers.add(note.named_customer().expect("a customer"));
        let name = customers.name(note.customer.as_deref().unwrap());
        assert!(name.contains('\u{202e}'), "{name}");
        let whole: Vec<JsonCommitment<'_>> = note
            .commitments
            .iter()
            .map(|c| JsonCommitment::of_note(&note, c, Some(name)))
            .collect();
        assert_eq!(whole.len(), 3);
        let shape = Shape {
            format: Format::Json,
            sort: Sort::Path,
            today: day("2026-11-23"),
        };
        for n in [0, 1, 3] {
            let mut part = note.clone();
            part.commitments.truncate(n);
            let mut rows = Rows::default();
            rows.add(NoteRows::of(&part, &shape)).unwrap();
            let mut got = Vec::new();
            rows.write(&shape, &customers, None, &mut got).unwrap();
            let want = format!(
                "{}\n",
                json_safe(serde_json::to_string_pretty(&whole[..n]).unwrap())
            );
            assert_eq!(String::from_utf8(got).unwrap(), want, "{n} rows");
        }
    }

    #[test]
    fn due_bits_keep_date_order_undated_last() {
        let dates = [
            Some(NaiveDate::MIN),
            Some(day("0001-01-01")),
            Some(day("2026-11-23")),
            Some(day("2026-11-24")),
            Some(NaiveDate::MAX),
            None,
        ];
        let bits: Vec<u32> = dates.iter().map(|&d| due_bits(d)).collect();
        assert!(bits.windows(2).all(|w| w[0] < w[1]), "{bits:?}");
        assert!(bits.iter().all(|&b| b < 1 << DUE_BITS));
    }

    #[test]
    fn customers_rank_by_name_ignoring_case_ties_shared() {
        // Not in the book: a customer's name is its slug.
        let slugs = ["zeta", "Beta", "alpha", "beta"].map(String::from);
        assert_eq!(name_ranks(&slugs, &Customers::default()), [2, 1, 0, 1]);
    }
}
