//! The agenda as markdown: a document to read on Monday morning.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::LinkTarget;
use crate::agenda::{Agenda, Counts, Item, Window};
use crate::customers::CustomerRow;
use crate::fs::write::GENERATED_MARKER;
use crate::notes::dates::{days_between, describe_offset};
use crate::notes::model::Status;
use crate::text::plural;
use crate::text::terminal_safe;

/// `Fri 2026-11-20`.
/// The cards to write, at the top of the Occasions section.
fn cards(out: &mut String, a: &Agenda, w: &Window, link: LinkTarget<'_>) {
    if a.cards.is_empty() {
        return;
    }
    let _ = writeln!(out, "Cards to write: {}\n", a.cards.len());
    for c in &a.cards {
        let today = if c.post_by == w.today { " (today)" } else { "" };
        let whose = match (&c.customer, &c.profile) {
            (Some((_, name)), Some(path)) => format!(
                " · {} · [{}]({})",
                md_text(name),
                md_text(path),
                md_url(&link(path))
            ),
            _ => " · every customer".to_owned(),
        };
        let _ = writeln!(
            out,
            "- write a card for {} ({}): post by {}{today}{whose}",
            md_text(&c.what),
            day(c.date),
            day(c.post_by),
        );
    }
    if !a.occasions.is_empty() {
        out.push('\n');
    }
}

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
    if !a.contact.is_empty() || !a.check_ins.is_empty() {
        out.push_str("\n## Customers to contact\n\n");
        for r in &a.contact {
            let _ = writeln!(out, "- {}", contact_line(r, w));
        }
        for c in &a.check_ins {
            let _ = writeln!(
                out,
                "- check in with **{}**: is the sale wearing well? ({} after the sale, {}) · [{}]({})",
                md_text(&c.name),
                plural(i64::from(c.days_after), "day"),
                day(c.date),
                md_text(&c.profile),
                md_url(&link(&c.profile)),
            );
        }
    }
    if !a.occasions.is_empty() || !a.cards.is_empty() {
        out.push_str("\n## Occasions\n\n");
        cards(&mut out, a, w, link);
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
            let notes = if o.notes.is_empty() {
                String::new()
            } else {
                let first = o.person.split_whitespace().next().unwrap_or(&o.person);
                format!(" ({}: {})", md_text(first), md_text(&o.notes.join(", ")))
            };
            let _ = writeln!(
                out,
                "- {}: **{}** ({role}{}): {}{years}{notes} · [{}]({})",
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
    let mut s = match r.stage {
        crate::notes::profile::Stage::Customer => format!("**{}**: ", md_text(&r.name)),
        stage => format!("**{}** ({}): ", md_text(&r.name), stage.as_str()),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_survive_spaces_and_parentheses() {
        assert_eq!(
            md_url("acme/QBR prep (draft).md"),
            "acme/QBR%20prep%20%28draft%29.md"
        );
    }
}
