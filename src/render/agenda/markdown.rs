//! The agenda as markdown: a document to read on Monday morning.

use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::NaiveDate;

use super::lines::{Lines, NotePath, Render};
use super::LinkTarget;
use crate::agenda::{Agenda, Counts, Item, Place, Window};
use crate::customers::CustomerRow;
use crate::fs::write::GENERATED_LINE;
use crate::notes::dates::{days_between, describe_offset};
use crate::notes::model::Status;
use crate::notes::status::StatusType;
use crate::text::{display_to_bytes, percent_encode, plural, terminal_safe};

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
        let last = c
            .last_sent
            .map(|d| format!(" · last card sent {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- write a card for {} ({}): post by {}{today}{last}{whose}",
            md_text(&c.what),
            day(c.date),
            day(c.post_by),
        );
    }
    if !a.occasions.is_empty() || !a.other_occasions.is_empty() {
        out.push('\n');
    }
}

/// A profile occasion (`- Thu 2026-12-03: **Leo (Dana's son)** (Northwind Traders):
/// Leo's birthday · [profile](link)`) or a holiday (`- Thu 2026-11-26: **Thanksgiving**
/// (holiday, every customer)`) in the Occasions list.
fn other_occasion_line(o: &crate::customers::OtherOccasion, link: LinkTarget<'_>) -> String {
    let (Some((_, name)), Some(path)) = (&o.customer, &o.profile) else {
        return format!(
            "- {}: **{}** (holiday, every customer)",
            day(o.date),
            md_text(&o.what)
        );
    };
    let years = o
        .years
        .map(|y| format!(", {}", plural(i64::from(y), "year")))
        .unwrap_or_default();
    let head = match &o.who {
        Some(who) => format!("**{}** ({})", md_text(who), md_text(name)),
        None => format!("**{}**", md_text(name)),
    };
    format!(
        "- {}: {head}: {}{years} · [{}]({})",
        day(o.date),
        md_text(&o.what),
        md_text(path),
        md_url(&link(path)),
    )
}

fn day(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

/// Note text (or a file name) made inert inside a markdown list item: no control
/// characters, no raw HTML, and every character that could start inline markdown (a
/// link, an image, `*` emphasis, code, an entity) escaped, so `[x](javascript:...)`,
/// `![](https://tracker.example/p.png)` or a file named `](x).md` stay text. It is also
/// what a tick's round trip checks an agenda item's text against.
pub fn md_text(s: &str) -> String {
    let safe = terminal_safe(s);
    let mut out = String::with_capacity(safe.len());
    let mut chars = safe.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Only where it would start an entity (`&amp;`, `&#106;`): `R&D` stays.
            '&' if is_entity(chars.clone()) => out.push_str("&amp;"),
            // Not `_` (file names and snake_case stay readable; at worst it is italics)
            // nor `!` (no image without an unescaped `[`).
            '\\' | '`' | '*' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether the text after a `&` reads as an entity's rest: `#`, letters or digits, `;`.
fn is_entity(rest: impl Iterator<Item = char>) -> bool {
    let mut n = 0;
    for c in rest {
        match c {
            ';' => return n > 0,
            c if c.is_ascii_alphanumeric() || (c == '#' && n == 0) => n += 1,
            _ => return false,
        }
    }
    false
}

/// A link target: the path's own bytes (a name shown with `\xNN` is that byte),
/// percent-encoded but for unreserved characters and `/`; nothing is dropped.
pub(crate) fn md_url(path: &str) -> String {
    percent_encode(&display_to_bytes(path))
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

/// An item's line: `- [ ] **Customer** TEXT (DETAIL) · [PATH:LINE](URL)`, with
/// [`NAME`] for the customer's bold name (see [`name`]).
pub(super) fn item(out: &mut String, i: &Item, place: Place, w: &Window, note: &NotePath) {
    let check = match (i.status, i.tasks.status_type) {
        (Status::Done, _) => "x",
        (_, StatusType::InProgress) => "/",
        _ => " ",
    };
    // A recurring item's rule, and the open items a blocked one waits for.
    let mut detail = detail(i, place, w);
    for extra in i.tasks.rule.iter().cloned().chain(
        (!i.tasks.blocked_by.is_empty())
            .then(|| format!("blocked by {}", i.tasks.blocked_by.join(", "))),
    ) {
        if !detail.is_empty() {
            detail.push_str(", ");
        }
        detail.push_str(&md_text(&extra));
    }
    let who = if i.customer.is_some() { "\0" } else { "" };
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    };
    let _ = writeln!(
        out,
        "- [{check}] {who}{}{detail} · [{}:{}]({})",
        md_text(&i.text),
        note.shown,
        i.line,
        note.link,
    );
}

/// A customer's name as an item line shows it.
pub(super) fn name(name: &str) -> String {
    format!("**{}** ", md_text(name))
}

/// What an item's parentheses say, by where it is listed.
fn detail(i: &Item, place: Place, w: &Window) -> String {
    match place {
        Place::Overdue => due_detail(i, w),
        // Placed on its due day, or on its scheduled day when it is due later.
        Place::Day(d) => match (i.due, i.scheduled) {
            (Some(due), _) if due != d => format!("scheduled, due {}", day(due)),
            (Some(due), Some(s)) if s != due => {
                format!("due {}, scheduled {}", day(due), day(s))
            }
            (Some(due), _) => format!("due {}", day(due)),
            (None, _) => "scheduled".to_owned(),
        },
        Place::Starting => i
            .tasks
            .start
            .map(|s| format!("starts {}", day(s)))
            .unwrap_or_default(),
        Place::Waiting => {
            // `@waiting(<b>Bob</b>)` leaves no plain-text name: say so rather than
            // "owed by ,".
            let who = match i.waiting.as_deref().map(str::trim) {
                Some(name) if !name.is_empty() => md_text(name),
                _ => "someone not named (the `@waiting` tag has no plain-text name)".to_owned(),
            };
            match i.due {
                Some(_) => format!("owed by {who}, {}", due_detail(i, w)),
                None => format!("owed by {who}, no date"),
            }
        }
        Place::Undated => match (i.note_date, i.scheduled) {
            (_, Some(s)) => format!("was scheduled {}", day(s)),
            (Some(n), None) => format!("promised {}", day(n)),
            (None, None) => String::new(),
        },
        Place::Done => {
            let done = i.done.map(day).unwrap_or_default();
            match (i.done, i.due) {
                (Some(d), Some(due)) if d > due => {
                    format!("done {done}, {} late", plural(days_between(due, d), "day"))
                }
                (Some(_), Some(_)) => format!("done {done}, on time"),
                _ => format!("done {done}"),
            }
        }
    }
}

/// Write the markdown agenda: its items from `lines`, rendered by `r`.
pub fn markdown(
    a: &Agenda,
    lines: &Lines,
    r: &dyn Render,
    w: &Window,
    link: LinkTarget<'_>,
    limit: Option<&Limit<'_>>,
    to: &mut dyn Write,
) -> io::Result<()> {
    let mut out = String::new();
    let _ = writeln!(out, "{GENERATED_LINE}");
    let _ = writeln!(out, "# {}\n", title(w));
    let _ = writeln!(out, "{}", summary(&a.counts, w));
    let mut items = Items {
        lines,
        r,
        limit,
        buf: Vec::new(),
    };
    items.section(&mut out, to, Place::Overdue, "Overdue", "\n")?;
    let heading = if w.days == 7 {
        "This week".to_owned()
    } else {
        format!("Next {}", plural(i64::from(w.days), "day"))
    };
    items.section(&mut out, to, Place::Day(w.from), &heading, "")?;
    let starting = format!("Starting {}", window_name(w));
    items.section(&mut out, to, Place::Starting, &starting, "\n")?;
    items.section(&mut out, to, Place::Waiting, "Waiting on others", "\n")?;
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
    if !a.occasions.is_empty() || !a.cards.is_empty() || !a.other_occasions.is_empty() {
        out.push_str("\n## Occasions\n\n");
        cards(&mut out, a, w, link);
        // The other occasions go between the birthdays and anniversaries, by date.
        let mut others = a.other_occasions.iter().peekable();
        for o in &a.occasions {
            while let Some(x) = others.next_if(|x| x.date < o.date) {
                let _ = writeln!(out, "{}", other_occasion_line(x, link));
            }
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
        for x in others {
            let _ = writeln!(out, "{}", other_occasion_line(x, link));
        }
    }
    items.section(&mut out, to, Place::Undated, "No due date", "\n")?;
    let c = &a.counts;
    let on_time = if c.done_with_due > 0 {
        format!("\n{} of {} on time.\n\n", c.done_on_time, c.done_with_due)
    } else {
        "\n".to_owned()
    };
    items.section(
        &mut out,
        to,
        Place::Done,
        "Done in the last 7 days",
        &on_time,
    )?;
    to.write_all(out.as_bytes())
}

/// At most so many items per section, then how many more and where to see them.
pub struct Limit<'a> {
    /// Items per section.
    pub items: usize,
    /// The `followup list` command line that lists a `--status`.
    pub list: &'a dyn Fn(&str) -> String,
}

/// `1,234`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The item sections' writer.
struct Items<'a> {
    lines: &'a Lines,
    r: &'a dyn Render,
    limit: Option<&'a Limit<'a>>,
    buf: Vec<u8>,
}

impl Items<'_> {
    /// Write a section's heading and items (nothing when it has none): `out` first,
    /// then the items straight to `to`. The days' section has a heading per day.
    fn section(
        &mut self,
        out: &mut String,
        to: &mut dyn Write,
        place: Place,
        heading: &str,
        intro: &str,
    ) -> io::Result<()> {
        let mut listed = self.lines.group(place.group()).peekable();
        if listed.peek().is_none() {
            return Ok(());
        }
        let _ = write!(out, "\n## {heading}\n{intro}");
        let mut shown = 0;
        let mut more = 0;
        let mut last_day = None;
        for line in listed {
            if self.limit.is_some_and(|l| shown >= l.items) {
                more += 1;
                continue;
            }
            if let Place::Day(d) = Place::of_key(line.key()) {
                if last_day != Some(d) {
                    let _ = writeln!(out, "\n### {}\n", day(d));
                    last_day = Some(d);
                }
            }
            to.write_all(out.as_bytes())?;
            out.clear();
            line.write(self.r, &mut self.buf, to)?;
            shown += 1;
        }
        if let (Some(l), true) = (self.limit, more > 0) {
            let status = match place {
                Place::Overdue => "overdue",
                Place::Waiting => "waiting",
                Place::Done => "done",
                Place::Day(_) | Place::Starting | Place::Undated => "open",
            };
            let _ = writeln!(
                out,
                "\nand {} more: `{}`",
                thousands(more),
                (l.list)(status)
            );
        }
        Ok(())
    }
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

/// An item ticked in a markdown agenda: `- [x]` (done) or `- [-]` (cancelled), outside
/// the "Done in the last 7 days" section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    /// `true` for `[-]`: cancelled.
    pub cancel: bool,
    /// The link's target, percent-decoded: the note as seen from the agenda's folder.
    pub target: String,
    /// The line in the link's text (`path:LINE`).
    pub line: usize,
    /// The item as shown, without its customer: its text, then its detail in
    /// parentheses (see [`shows_text`]).
    pub shown: String,
    /// The agenda's line number, for messages.
    pub agenda_line: usize,
}

/// Whether an item shown as `shown` (a [`Tick`]'s) is the commitment with this text:
/// the agenda wrote `TEXT` or `TEXT (DETAIL)`.
pub fn shows_text(shown: &str, text: &str) -> bool {
    let t = md_text(text);
    shown == t
        || shown
            .strip_prefix(t.as_str())
            .is_some_and(|r| r.starts_with(" ("))
}

/// The items ticked in a markdown agenda this module wrote: each item line is
/// `- [ ] **Customer** TEXT (DETAIL) · [PATH:LINE](URL)`. Read a line at a time, as an
/// agenda can be bigger than the memory followup may take; `None` when it is not UTF-8.
pub fn ticks(mut agenda: impl io::BufRead) -> io::Result<Option<Vec<Tick>>> {
    let mut out = Vec::new();
    let mut in_done = false;
    let mut bytes = Vec::new();
    for n in 0.. {
        bytes.clear();
        if agenda.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            return Ok(None);
        };
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(h) = line.strip_prefix("## ") {
            in_done = h.starts_with("Done in the last");
            continue;
        }
        if in_done {
            continue;
        }
        let cancel = match line.get(..6) {
            Some("- [x] " | "- [X] ") => false,
            Some("- [-] ") => true,
            _ => continue,
        };
        let rest = &line[6..];
        let Some(at) = rest.rfind(" · [") else {
            continue;
        };
        let (content, link) = (&rest[..at], &rest[at + " · [".len()..]);
        let Some((label, url)) = link.split_once("](") else {
            continue;
        };
        let Some(url) = url.strip_suffix(')') else {
            continue;
        };
        let Some(line_no) = label
            .rsplit_once(':')
            .and_then(|(_, l)| l.parse::<usize>().ok())
        else {
            continue;
        };
        // `**Customer** ` first, when the note has a customer.
        let shown = content
            .strip_prefix("**")
            .and_then(|c| c.split_once("** ").map(|(_, t)| t))
            .unwrap_or(content);
        out.push(Tick {
            cancel,
            target: percent_decode(url),
            line: line_no,
            shown: shown.to_owned(),
            agenda_line: n + 1,
        });
    }
    Ok(Some(out))
}

/// Undo [`md_url`]: `%XX` back to its byte.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_read_back_with_their_link_and_text() {
        let md = "# Agenda\n\n## Overdue\n\n\
                  - [x] **Acme Corp** Send the deck (due Fri 2026-11-20, 3 days late) · [notes/a b.md:8](notes/a%20b.md)\n\
                  - [ ] **Acme Corp** Open one · [notes/a.md:9](notes/a.md)\n\
                  - [-] Call (IT) back · [x.md:3](x.md)\n\
                  \n## Done in the last 7 days\n\n\
                  - [x] Old · [x.md:4](x.md)\n";
        let t = ticks(md.as_bytes()).unwrap().unwrap();
        assert_eq!(ticks(&b"- [x] \xff"[..]).unwrap(), None, "not UTF-8");
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(
            (t[0].cancel, t[0].target.as_str(), t[0].line),
            (false, "notes/a b.md", 8)
        );
        assert!(shows_text(&t[0].shown, "Send the deck"));
        assert!(!shows_text(&t[0].shown, "Send the"));
        assert!(t[1].cancel && shows_text(&t[1].shown, "Call (IT) back"));
        assert_eq!(percent_decode(&md_url("a (b)%.md")), "a (b)%.md");
    }

    #[test]
    fn more_counts_read_with_thousands_separators() {
        let shown: Vec<String> = [0, 7, 999, 1_000, 92_171, 602_241, 1_234_567]
            .into_iter()
            .map(thousands)
            .collect();
        assert_eq!(
            shown,
            ["0", "7", "999", "1,000", "92,171", "602,241", "1,234,567"]
        );
    }

    #[test]
    fn urls_survive_spaces_and_parentheses() {
        assert_eq!(
            md_url("acme/QBR prep (draft).md"),
            "acme/QBR%20prep%20%28draft%29.md"
        );
        // Issue #20.8: control characters are encoded, never dropped; so are bidi
        // overrides; a byte shown as `\xE9` is that byte.
        assert_eq!(md_url("bel\x07.md"), "bel%07.md");
        assert_eq!(md_url("a\u{202E}b.md"), "a%E2%80%AEb.md");
        assert_eq!(md_url("caf\\xE9.md"), "caf%E9.md");
    }

    #[test]
    fn copied_text_cannot_make_links_images_or_html() {
        for (text, escaped) in [
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            (
                "![](https://t.example/p.png)",
                "!\\[\\](https://t.example/p.png)",
            ),
            ("a](x).md", "a\\](x).md"),
            ("<img src=x>", "&lt;img src=x&gt;"),
            (
                "**bold** `code` R&D &amp;",
                "\\*\\*bold\\*\\* \\`code\\` R&D &amp;amp;",
            ),
        ] {
            assert_eq!(md_text(text), escaped);
        }
        // Parsed, none of it is a link, an image or HTML.
        use pulldown_cmark::{Event, Parser, Tag};
        let md = md_text("[x](javascript:alert(1)) ![](https://t.example/p.png) <b>");
        let live = Parser::new(&md).any(|e| {
            matches!(
                e,
                Event::Start(Tag::Link { .. } | Tag::Image { .. })
                    | Event::InlineHtml(_)
                    | Event::Html(_)
            )
        });
        assert!(!live, "{md}");
    }
}
