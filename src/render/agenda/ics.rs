//! The agenda as iCalendar (RFC 5545): open dated commitments as VTODOs.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::lines::{Lines, Render, NAME};
use crate::agenda::{Item, Key, Window};
use crate::notes::model::Status;
use crate::text::is_unsafe;

/// The product identifier an iCalendar agenda carries.
pub const ICS_PRODID: &str = "PRODID:-//followup//followup agenda//EN";

/// Write the calendar: every open item with a due date, whatever the window, so a
/// calendar app shows what is late too (see [`item`]); its items from `lines`.
pub fn ics(lines: &Lines, r: &dyn Render, to: &mut dyn Write) -> io::Result<()> {
    let mut out = String::new();
    let mut line = |s: &str| fold(&mut out, s);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(ICS_PRODID);
    line("CALSCALE:GREGORIAN");
    line("X-WR-CALNAME:Follow-up");
    to.write_all(out.as_bytes())?;
    let mut buf = Vec::new();
    for l in lines.group(0) {
        l.write(r, &mut buf, to)?;
    }
    out.clear();
    fold(&mut out, "END:VCALENDAR");
    to.write_all(out.as_bytes())
}

/// Where an item goes in the calendar: open with a due date, in path order.
pub(super) fn key(i: &Item) -> Option<Key> {
    (i.status == Status::Open && i.due.is_some()).then_some(Key::default())
}

/// An item as a VTODO; `repeat`: how many items of its note with its text came before.
/// The lines that hold its customer's name ([`NAME`]) are folded when it is put in
/// (see [`fill`]).
pub(super) fn item(out: &mut String, i: &Item, repeat: u64, w: &Window) {
    let Some(due) = i.due else { return };
    let mut line = |s: &str| fold(out, s);
    line("BEGIN:VTODO");
    line(&format!("UID:{}", uid(i, repeat)));
    // DTSTAMP is required; the day judged against keeps the file reproducible.
    line(&format!("DTSTAMP:{}T000000Z", w.today.format("%Y%m%d")));
    let named = |out: &mut String, s: String| {
        out.push_str(&s);
        out.push_str("\r\n");
    };
    match &i.customer {
        Some(_) => named(out, format!("SUMMARY:{NAME}: {}", ics_text(&i.text))),
        None => fold(out, &format!("SUMMARY:{}", ics_text(&i.text))),
    }
    let mut line = |s: &str| fold(out, s);
    line(&format!("DUE;VALUE=DATE:{}", due.format("%Y%m%d")));
    let mut description = format!("{}:{}", i.path, i.line);
    if let Some(who) = &i.waiting {
        let _ = write!(description, "\nWaiting on {who}");
    }
    if let Some(n) = i.note_date {
        let _ = write!(description, "\nPromised on {n}");
    }
    line(&format!("DESCRIPTION:{}", ics_text(&description)));
    if i.customer.is_some() {
        named(out, format!("CATEGORIES:{NAME}"));
    }
    let mut line = |s: &str| fold(out, s);
    line("STATUS:NEEDS-ACTION");
    line("END:VTODO");
}

/// A customer's name as a VTODO shows it.
pub(super) fn name(name: &str) -> String {
    ics_text(name)
}

/// Put `name` in a VTODO's lines that wait for it, and fold them.
pub(super) fn fill(bytes: &[u8], name: &str, to: &mut dyn Write) -> io::Result<()> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len() + name.len() * 2);
    for l in text.split_terminator("\r\n") {
        if l.contains(NAME) {
            fold(&mut out, &l.replace(NAME, name));
        } else {
            out.push_str(l);
            out.push_str("\r\n");
        }
    }
    to.write_all(out.as_bytes())
}

/// A stable identifier from the note's path and the item's text (and, for the second and
/// later items with the same text in one note, how many came before), so that
/// re-importing updates the same to-do instead of adding a copy. FNV-1a by hand: std's hasher is not
/// guaranteed stable across Rust releases, and eight lines beat a dependency.
fn uid(i: &Item, repeat: u64) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let repeat = if repeat == 0 {
        Vec::new()
    } else {
        format!("\0{repeat}").into_bytes()
    };
    for b in i
        .path
        .bytes()
        .chain([0])
        .chain(i.text.bytes())
        .chain(repeat)
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}@followup")
}

/// RFC 5545 TEXT escaping: backslash, semicolon, comma, newline; other controls and
/// bidirectional overrides dropped.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Write one content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8
/// character, each physical line ending in CRLF. A continuation line never starts with
/// `::` after its space (a CI log could read it as a workflow command): the fold moves
/// back before the colons and the character ahead of them.
fn fold(out: &mut String, line: &str) {
    let chars: Vec<char> = line.chars().collect();
    let mut start = 0;
    let mut first = true;
    while start < chars.len() {
        let limit = if first { 75 } else { 74 };
        let mut end = start;
        let mut width = 0;
        while end < chars.len() && width + chars[end].len_utf8() <= limit {
            width += chars[end].len_utf8();
            end += 1;
        }
        if end < chars.len() && chars[end] == ':' && chars.get(end + 1) == Some(&':') {
            // Back before the run of colons, and one more, so the next line starts with
            // something else; unless that would leave this line empty.
            let mut back = end;
            while back > start && chars[back - 1] == ':' {
                back -= 1;
            }
            if back > start + 1 {
                end = back - 1;
            }
        }
        if !first {
            out.push_str("\r\n ");
        }
        out.extend(&chars[start..end]);
        start = end;
        first = false;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        fold(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn no_continuation_line_starts_with_two_colons() {
        for pad in 0..80 {
            let mut out = String::new();
            let long = format!(
                "DESCRIPTION:{}::error::x{}",
                "a".repeat(pad),
                "b".repeat(80)
            );
            fold(&mut out, &long);
            for l in out.split("\r\n").filter(|l| !l.is_empty()) {
                assert!(l.len() <= 75, "{} octets: {l}", l.len());
                assert!(!l.trim_start().starts_with("::"), "{pad}: {l}");
            }
            assert_eq!(out.replace("\r\n ", ""), format!("{long}\r\n"));
        }
    }

    #[test]
    fn ics_text_escapes() {
        assert_eq!(ics_text("a,b;c\\d\ne\x1b"), "a\\,b\\;c\\\\d\\ne");
    }
}
