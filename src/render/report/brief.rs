//! The brief as markdown: a page to read in the minute before a call.

use std::fmt::Write as _;

use crate::report::brief::{fmt_day, Brief};
use crate::report::{Promise, Tally};
use crate::text::plural;

use super::LinkTarget;

/// The first line of a markdown brief: marks the file as followup's.
pub const MARKER: &str = crate::fs::write::GENERATED_BRIEF_LINE;

/// Note text made safe to show in markdown: escaped as the agenda escapes it (no
/// control characters, HTML, links, images or code from a note).
fn md(s: &str) -> String {
    crate::render::agenda::md_text(s)
}

/// A link target: the file's bytes, percent-encoded as the agenda's are.
fn url(path: &str) -> String {
    crate::render::agenda::md_url(path)
}

fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| format!("{}%", (r * 100.0).round()))
}

fn item(out: &mut String, p: &Promise, today: chrono::NaiveDate, link: LinkTarget<'_>) {
    let mut detail = Vec::new();
    if let Some(who) = &p.waiting {
        detail.push(format!("owed by {}", md(who)));
    }
    if let Some(d) = p.promised {
        detail.push(format!("promised {}", fmt_day(Some(d))));
    }
    match (p.due, p.days_late(today)) {
        (Some(_), Some(n)) => {
            detail.push(format!("due {}, {} late", fmt_day(p.due), plural(n, "day")))
        }
        (Some(_), None) => detail.push(format!("due {}", fmt_day(p.due))),
        (None, _) => detail.push("no due date".to_owned()),
    }
    let _ = writeln!(
        out,
        "- [ ] {} ({}) · [{}:{}]({})",
        md(&p.text),
        detail.join(", "),
        md(&p.path),
        p.line,
        url(&link(&p.path)),
    );
}

fn tally_line(t: &Tally, r: Option<f64>) -> String {
    format!(
        "{} of {} kept on time ({}); {} kept late, {} open past due, {} kept without a done date, {} not yet due, {} cancelled.",
        t.on_time,
        t.judged(),
        rate(r),
        t.late,
        t.open_past_due,
        t.done_undated,
        t.open_not_due,
        t.cancelled,
    )
}

/// Render the brief. `link` gives a note's path as seen from the brief's folder.
pub fn markdown(b: &Brief, link: LinkTarget<'_>) -> String {
    let mut out = String::new();
    let today = b.today;
    let _ = writeln!(out, "{MARKER}");
    let _ = writeln!(out, "# Brief: {}, {}\n", md(&b.name), fmt_day(Some(today)));

    let contact = match (b.last_contact, b.cadence_days) {
        (Some(last), cadence) => {
            let ago = crate::notes::dates::days_between(last, today);
            let mut s = format!(
                "Last contact {} ({})",
                fmt_day(Some(last)),
                match ago {
                    0 => "today".to_owned(),
                    n => format!("{} ago", plural(n, "day")),
                }
            );
            if let Some(c) = cadence {
                let _ = write!(s, ", every {}", plural(c.into(), "day"));
            }
            match (b.contact_due, b.lapsed) {
                (Some(due), true) => {
                    let _ = write!(s, ": lapsed, contact was due {}", fmt_day(Some(due)));
                }
                (Some(due), false) => {
                    let _ = write!(s, ": next contact due {}", fmt_day(Some(due)));
                }
                _ => {}
            }
            s + "."
        }
        (None, Some(c)) => format!(
            "No call on record; the cadence is every {}.",
            plural(c.into(), "day")
        ),
        (None, None) => "No call on record.".to_owned(),
    };
    let mine_overdue = b.overdue.iter().filter(|p| p.is_mine()).count();
    let _ = writeln!(
        out,
        "{contact} {} of mine ({} overdue), {} owed to me. Follow-through since {}: {}\n",
        plural(
            i64::try_from(b.mine_open.len()).unwrap_or(0),
            "open promise"
        ),
        mine_overdue,
        b.theirs_open.len(),
        fmt_day(Some(b.since)),
        tally_line(&b.follow_through, b.on_time_rate),
    );

    out.push_str("## Talking points\n\n");
    if b.talking_points.is_empty() {
        out.push_str("Nothing pressing.\n");
    }
    for p in &b.talking_points {
        let _ = write!(out, "- {}", md(&p.text));
        if let (Some(path), Some(line)) = (&p.path, p.line) {
            let _ = write!(out, " · [{}:{line}]({})", md(path), url(&link(path)));
        }
        out.push('\n');
    }

    out.push_str("\n## Who\n\n");
    let mut facts = Vec::new();
    if let Some(owner) = &b.owner {
        facts.push(format!("Account owner: {}", md(owner)));
    }
    if let Some(path) = &b.profile {
        facts.push(format!("profile: [{}]({})", md(path), url(&link(path))));
    }
    if facts.is_empty() {
        out.push_str("No profile note (`type: customer`) for this customer.\n");
    } else {
        let _ = writeln!(out, "{}.", facts.join("; "));
    }
    if !b.contacts.is_empty() {
        out.push('\n');
    }
    for c in &b.contacts {
        let _ = write!(out, "- **{}**", md(&c.name));
        if let Some(role) = &c.role {
            let _ = write!(out, ", {}", md(role));
        }
        let mut days = Vec::new();
        if let Some(d) = &c.birthday {
            days.push(format!("birthday {d}"));
        }
        if let Some(d) = &c.anniversary {
            days.push(format!("anniversary {d}"));
        }
        if !days.is_empty() {
            let _ = write!(out, " ({})", days.join(", "));
        }
        out.push('\n');
    }
    if !b.occasions.is_empty() {
        out.push_str("\n### Occasions in the next 30 days\n\n");
        for o in &b.occasions {
            let years = o
                .years
                .map_or_else(String::new, |y| format!(", {}", plural(y.into(), "year")));
            let _ = writeln!(
                out,
                "- {}: **{}** {}{years}",
                fmt_day(Some(o.date)),
                md(&o.person),
                o.kind
            );
        }
    }
    if let Some(text) = &b.profile_text {
        out.push_str("\n### From the profile note\n\n");
        let mut fence = false;
        for line in text.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fence = !fence;
            }
            // The note's headings sit under this one.
            if !fence && trimmed.starts_with('#') {
                let _ = writeln!(out, "###{}", md(trimmed));
            } else {
                let _ = writeln!(out, "{}", md(line));
            }
        }
    }

    let _ = writeln!(out, "\n## Last calls\n");
    if b.last_calls.is_empty() {
        out.push_str("No call notes.\n");
    }
    for c in &b.last_calls {
        let _ = writeln!(
            out,
            "- {}: {} · [{}]({})",
            fmt_day(c.date),
            md(c.title.as_deref().unwrap_or("(no title)")),
            md(&c.path),
            url(&link(&c.path)),
        );
    }
    if b.calls > b.last_calls.len() {
        let _ = writeln!(out, "\n{} call notes in all.", b.calls);
    }

    let lists = [
        ("Overdue", &b.overdue, "Nothing overdue."),
        ("Open promises of mine", &b.mine_open, "Nothing open."),
        ("Owed to me", &b.theirs_open, "Nobody owes anything."),
    ];
    for (title, items, empty) in lists {
        let _ = writeln!(out, "\n## {title}\n");
        if items.is_empty() {
            let _ = writeln!(out, "{empty}");
        }
        for p in items {
            item(&mut out, p, today, link);
        }
    }

    let _ = writeln!(
        out,
        "\n## Follow-through since {}\n",
        fmt_day(Some(b.since))
    );
    let t = &b.follow_through;
    out.push_str("| kept on time | kept late | kept, no done date | open past due | open, not yet due | cancelled | on-time rate |\n");
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |",
        t.on_time,
        t.late,
        t.done_undated,
        t.open_past_due,
        t.open_not_due,
        t.cancelled,
        rate(b.on_time_rate)
    );
    out
}
