//! One commitment as JSON: the shape `list --format json` writes and the agenda's JSON
//! items share, so that the two cannot drift apart.

use chrono::NaiveDate;
use serde::Serialize;

use crate::agenda::Item;
use crate::notes::model::{Commitment, DateSource, Note, Status};
use crate::notes::status::StatusType;
use crate::notes::tags::{Priority, TaskFields};

/// A commitment as programs read it. Keys come out in declaration order.
///
/// The two outputs differ in a few keys, kept so that neither changes: `list` has the
/// bullet's `column` (an agenda item does not carry one), `note_date_source` (when
/// the commitment has a date to promise it on) and all of Obsidian Tasks' fields as
/// written; the agenda a `link` (the note's path as seen from the agenda's folder) and
/// the fields it uses as its markdown shows them (the rule in Obsidian Tasks' words,
/// `blocked_by`). Both have `status_type`. A key a source lacks is left out, not `null`.
/// The agenda adds `days_late` after these keys (see `render/agenda/json.rs`).
#[derive(Debug, Serialize)]
pub struct JsonCommitment<'a> {
    path: &'a str,
    line: usize,
    /// `list` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    /// The agenda only.
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<String>,
    customer: Option<&'a str>,
    customer_name: Option<&'a str>,
    note_date: Option<NaiveDate>,
    /// `list` only: where `note_date` came from (`front-matter`, `file-name`,
    /// `heading`, or `section` for a dated section's heading).
    #[serde(skip_serializing_if = "Option::is_none")]
    note_date_source: Option<DateSource>,
    text: &'a str,
    status: Status,
    due: Option<NaiveDate>,
    scheduled: Option<NaiveDate>,
    done: Option<NaiveDate>,
    waiting: Option<&'a str>,
    /// Obsidian Tasks' status type (`IN_PROGRESS`...).
    status_type: StatusType,
    /// `list` only: Obsidian Tasks' fields (start, priority, recurrence, ids...).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    fields: Option<&'a TaskFields>,
    /// The agenda only: the fields it uses.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    agenda_fields: Option<AgendaFields<'a>>,
}

/// The Obsidian Tasks fields an agenda item carries, as the markdown agenda shows them.
#[derive(Debug, Serialize)]
struct AgendaFields<'a> {
    start: Option<NaiveDate>,
    priority: Option<Priority>,
    /// The rule in Obsidian Tasks' words (`every week on Friday`), `null` when there is
    /// none or it cannot be read.
    recurrence: Option<&'a str>,
    id: Option<&'a str>,
    depends_on: &'a [String],
    /// Those of `depends_on` that are open items: shown "blocked by".
    blocked_by: &'a [String],
}

impl<'a> JsonCommitment<'a> {
    /// A commitment in its note, as `list` shows it; `customer_name` is the display name
    /// of the note's customer.
    pub fn of_note(note: &'a Note, c: &'a Commitment, customer_name: Option<&'a str>) -> Self {
        JsonCommitment {
            path: &note.path,
            line: c.line,
            column: Some(c.column),
            link: None,
            customer: note.customer.as_deref(),
            customer_name,
            note_date: c.promised_on(note),
            note_date_source: if c.section_date.is_some() {
                Some(DateSource::Section)
            } else {
                note.date_source
            },
            text: &c.text,
            status: c.status,
            due: c.due,
            scheduled: c.scheduled,
            done: c.done,
            waiting: c.waiting.as_deref(),
            status_type: c.status_type,
            fields: Some(&c.fields),
            agenda_fields: None,
        }
    }

    /// An agenda item, with its note linked as `link` and its customer's display name.
    pub fn of_item(i: &'a Item, link: String, customer_name: Option<&'a str>) -> Self {
        JsonCommitment {
            path: &i.path,
            line: i.line,
            column: None,
            link: Some(link),
            customer: i.customer.as_deref(),
            customer_name,
            note_date: i.note_date,
            note_date_source: None,
            text: &i.text,
            status: i.status,
            due: i.due,
            scheduled: i.scheduled,
            done: i.done,
            waiting: i.waiting.as_deref(),
            status_type: i.tasks.status_type,
            fields: None,
            agenda_fields: Some(AgendaFields {
                start: i.tasks.start,
                priority: i.tasks.priority,
                recurrence: i.tasks.rule.as_deref(),
                id: i.tasks.id.as_deref(),
                depends_on: &i.tasks.depends_on,
                blocked_by: &i.tasks.blocked_by,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::{items_of, Window};
    use crate::notes::parse::{parse_note, Markers, NoteOrigin};

    /// The keys of one serialized value, in order.
    fn keys(v: &impl Serialize) -> Vec<String> {
        let text = serde_json::to_string_pretty(v).expect("serializes");
        text.lines()
            .filter_map(|l| l.strip_prefix("  \""))
            .map(|l| l[..l.find('"').expect("a key")].to_owned())
            .collect()
    }

    #[test]
    fn list_and_agenda_differ_only_in_column_link_and_fields() {
        let origin = NoteOrigin {
            path: "acme/2026-11-16-call.md",
            file_name: "2026-11-16-call.md",
            folder: Some("acme"),
        };
        let note = parse_note(
            "* Send the sheet @due(2026-11-20)\n",
            origin,
            Markers::default(),
        );
        let c = &note.commitments[0];
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
        let window = Window {
            today: day,
            from: day,
            days: 7,
        };
        let item = &items_of(&note, window)[0];
        let common = [
            "customer",
            "customer_name",
            "note_date",
            "text",
            "status",
            "due",
            "scheduled",
            "done",
            "waiting",
        ];
        let expected = |extra: &'static str| {
            let mut k = vec!["path", "line", extra];
            k.extend(common);
            k
        };
        let mut list = expected("column");
        list.insert(6, "note_date_source");
        // And Obsidian Tasks' status type and fields, flattened.
        let mut agenda = expected("link");
        agenda.extend([
            "status_type",
            "start",
            "priority",
            "recurrence",
            "id",
            "depends_on",
            "blocked_by",
        ]);
        list.extend([
            "status_type",
            "start",
            "created",
            "cancelled",
            "priority",
            "recurrence",
            "id",
            "depends_on",
            "on_completion",
        ]);
        assert_eq!(keys(&JsonCommitment::of_note(&note, c, Some("Acme"))), list);
        assert_eq!(
            keys(&JsonCommitment::of_item(item, "x.md".into(), Some("Acme"))),
            agenda
        );
    }
}
