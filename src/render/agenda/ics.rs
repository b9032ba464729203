//! The agenda as iCalendar (RFC 5545): open dated commitments as VTODOs.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::agenda::{Item, Window};
use crate::text::is_unsafe;

/// The product identifier an iCalendar agenda carries.
pub const ICS_PRODID: &str = "PRODID:-//followup//followup agenda//EN";

/// Write open dated commitments as iCalendar VTODOs (RFC 5545). Every open item with a due
/// date is included, whatever the window, so a calendar app shows what is late too.
pub fn ics(items: &[&Item], w: &Window) -> String {
    let mut out = String::new();
    let mut line = |s: String| fold(&mut out, &s);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(ICS_PRODID.into());
    line("CALSCALE:GREGORIAN".into());
    line("X-WR-CALNAME:Follow-up".into());
    // DTSTAMP is required; the day judged against keeps the file reproducible.
    let stamp = format!("DTSTAMP:{}T000000Z", w.today.format("%Y%m%d"));
    // How many items with the same note and text came before: the second "Send the deck"
    // in one note gets a UID of its own.
    let mut seen: HashMap<(&str, &str), u64> = HashMap::new();
    for i in items {
        let Some(due) = i.due else { continue };
        let n = seen.entry((i.path.as_str(), i.text.as_str())).or_default();
        let repeat = *n;
        *n += 1;
        line("BEGIN:VTODO".into());
        line(format!("UID:{}", uid(i, repeat)));
        line(stamp.clone());
        let summary = match &i.customer_name {
            Some(c) => format!("{c}: {}", i.text),
            None => i.text.clone(),
        };
        line(format!("SUMMARY:{}", ics_text(&summary)));
        line(format!("DUE;VALUE=DATE:{}", due.format("%Y%m%d")));
        let mut description = format!("{}:{}", i.path, i.line);
        if let Some(who) = &i.waiting {
            let _ = write!(description, "\nWaiting on {who}");
        }
        if let Some(n) = i.note_date {
            let _ = write!(description, "\nPromised on {n}");
        }
        line(format!("DESCRIPTION:{}", ics_text(&description)));
        if let Some(c) = &i.customer_name {
            line(format!("CATEGORIES:{}", ics_text(c)));
        }
        line("STATUS:NEEDS-ACTION".into());
        line("END:VTODO".into());
    }
    line("END:VCALENDAR".into());
    out
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
