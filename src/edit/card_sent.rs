//! What `followup occasions sent` changes: one `- DATE WHAT` entry added to a profile's
//! `card-sent:` list, every other byte kept.

use chrono::NaiveDate;

use super::Edit;
use crate::notes::frontmatter::split;
use crate::notes::occasion::yaml_block;
use crate::notes::profile::CardSent;

/// The edit that records the card for `what` as sent on `date` in a profile's `text`
/// (without its byte order mark): a `- DATE WHAT` line after the last entry of
/// `card-sent:`, or (without one) `card-sent:` and the entry before the front matter's
/// closing line. Checked: the text read again has exactly that entry more, and no
/// other problem. The reason when it cannot be done.
pub fn card_sent_edit(text: &str, date: NaiveDate, what: &str) -> Result<Edit, String> {
    let (start, end) = yaml_block(text).ok_or("it has no front matter")?;
    let nl = if text[..start].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let entry = yaml_text(&format!("{date} {what}"));
    let edit = match key_line(text, start, end) {
        None => Edit {
            range: end..end,
            with: format!("card-sent:{nl}  - {entry}{nl}"),
        },
        Some((line, value)) => {
            let value = value.trim();
            if !(value.is_empty() || value.starts_with('#')) {
                return Err(
                    "its `card-sent:` is written on one line; write it as a list (`card-sent:`, \
                     then a `  - DATE WHAT` line each) and run again"
                        .to_owned(),
                );
            }
            // The list's lines: indented, or items at the key's own indentation. The
            // entry goes after the last of them (blank lines after it stay after it).
            let key_end = line + text[line..].find('\n').map_or(end - line, |i| i + 1);
            let mut at = key_end;
            let mut after_last = key_end;
            let mut indent = None;
            for l in text[key_end..end].split_inclusive('\n') {
                at += l.len();
                let body = l.trim_start_matches(' ');
                if body.trim().is_empty() {
                    continue;
                }
                if !(l.starts_with(' ') || l.starts_with('-')) {
                    break;
                }
                indent.get_or_insert(&l[..l.len() - body.len()]);
                after_last = at;
            }
            Edit {
                range: after_last..after_last,
                with: format!("{}- {entry}{nl}", indent.unwrap_or("  ")),
            }
        }
    };
    verify(text, &edit, date, what)?;
    Ok(edit)
}

/// The top-level `card-sent:` key's line in the YAML block `start..end`: its start, and
/// the text after the colon.
fn key_line(text: &str, start: usize, end: usize) -> Option<(usize, &str)> {
    let mut pos = start;
    for l in text[start..end].split_inclusive('\n') {
        let key = l.get(..KEY.len()).filter(|k| k.eq_ignore_ascii_case(KEY));
        if let Some(rest) =
            key.and_then(|_| l[KEY.len()..].trim_start_matches(' ').strip_prefix(':'))
        {
            return Some((pos, rest));
        }
        pos += l.len();
    }
    None
}

/// The profile key the cards sent are listed under.
const KEY: &str = "card-sent";

/// `s` as a YAML scalar in a block list: as it is when YAML reads it back the same,
/// else double-quoted.
fn yaml_text(s: &str) -> String {
    let plain = !(s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.ends_with(' ')
        || s.chars().any(char::is_control));
    if plain {
        return s.to_owned();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The edit is safe: the profile read again lists exactly one more card sent, this
/// one, and has no new problem.
fn verify(text: &str, edit: &Edit, date: NaiveDate, what: &str) -> Result<(), String> {
    let mut after = text.to_owned();
    after.replace_range(edit.range.clone(), &edit.with);
    let (before, after) = (split(text), split(&after));
    let sent = |s: &crate::notes::frontmatter::Split| {
        s.front.profile.as_ref().map(|p| p.cards_sent.clone())
    };
    let mut want = sent(&before).ok_or("it is not a customer profile (`type: customer`)")?;
    want.push(CardSent {
        date,
        what: what.to_owned(),
    });
    if sent(&after) != Some(want) || after.problems.len() > before.problems.len() {
        return Err(
            "adding the entry would not read back as one more card sent; add it by hand".to_owned(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn sent(text: &str, what: &str) -> Result<String, String> {
        let date = NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date");
        let edit = card_sent_edit(text, date, what)?;
        Ok(String::from_utf8(apply(text.as_bytes(), &[edit]).expect("applies")).expect("UTF-8"))
    }

    #[test]
    fn the_entry_goes_after_the_last_one_or_under_a_new_key() {
        let cases = [
            (
                "---\ntype: customer\nname: Acme\n---\n# Acme\n",
                "---\ntype: customer\nname: Acme\ncard-sent:\n  - 2026-11-20 Dana's birthday\n---\n# Acme\n",
            ),
            (
                "---\ntype: customer\ncard-sent:\n    - 2025-11-20 Dana's birthday\n\nname: Acme\n---\n",
                "---\ntype: customer\ncard-sent:\n    - 2025-11-20 Dana's birthday\n    - 2026-11-20 Dana's birthday\n\nname: Acme\n---\n",
            ),
            (
                "---\ntype: customer\nCard-Sent:\n- 2025-11-20 Dana's birthday # late\nname: Acme\n---\n",
                "---\ntype: customer\nCard-Sent:\n- 2025-11-20 Dana's birthday # late\n- 2026-11-20 Dana's birthday\nname: Acme\n---\n",
            ),
            (
                "---\r\ntype: customer\r\ncard-sent:   # cards that went out\r\n...\r\nbody",
                "---\r\ntype: customer\r\ncard-sent:   # cards that went out\r\n  - 2026-11-20 Dana's birthday\r\n...\r\nbody",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(
                sent(before, "Dana's birthday").as_deref(),
                Ok(after),
                "{before:?}"
            );
        }
    }

    #[test]
    fn texts_yaml_would_misread_are_quoted() {
        let out = sent("---\ntype: customer\n---\n", "Launch: v2 #1").unwrap();
        assert_eq!(
            out,
            "---\ntype: customer\ncard-sent:\n  - \"2026-11-20 Launch: v2 #1\"\n---\n"
        );
    }

    #[test]
    fn what_cannot_be_done_is_said() {
        for (text, why) in [
            ("# no front matter\n", "no front matter"),
            ("---\nname: x\n---\n", "not a customer profile"),
            (
                "---\ntype: customer\ncard-sent: [2025-11-20 x]\n---\n",
                "written on one line",
            ),
        ] {
            let e = sent(text, "x").unwrap_err();
            assert!(e.contains(why), "{text:?}: {e}");
        }
    }
}
