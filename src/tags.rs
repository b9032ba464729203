//! Tags inside a commitment's text: `@due(fri)`, `due:2026-11-25`, `📅 2026-11-25`,
//! `[due:: 2026-11-25]` and friends. Scanning works on byte ranges of the source so
//! that every tag keeps its exact location for diagnostics and edits.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::dates::{parse_value, DateValue};

/// What a tag means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TagKind {
    /// When the commitment is due.
    Due,
    /// When we plan to work on it.
    Scheduled,
    /// Marks it done, optionally with the day.
    Done,
    /// Marks it cancelled, optionally with the day.
    Cancelled,
    /// Someone else owes this to us: `@waiting(NAME)`.
    Waiting,
    /// Another Obsidian Tasks signifier (start, created, recurrence, priority):
    /// recognised so that it is not shown in the text, otherwise ignored.
    Signifier,
    /// `@name(...)` with a name that is not a known tag.
    Unknown,
}

impl TagKind {
    /// The `@name` spelling of a known tag, for messages and suggestions.
    pub fn at_name(self) -> Option<&'static str> {
        match self {
            TagKind::Due => Some("due"),
            TagKind::Scheduled => Some("scheduled"),
            TagKind::Done => Some("done"),
            TagKind::Cancelled => Some("cancelled"),
            TagKind::Waiting => Some("waiting"),
            TagKind::Signifier | TagKind::Unknown => None,
        }
    }

    /// The kinds whose value is a DATE.
    pub fn takes_date(self) -> bool {
        matches!(
            self,
            TagKind::Due | TagKind::Scheduled | TagKind::Done | TagKind::Cancelled
        )
    }
}

/// Which of the accepted spellings a tag uses; edits keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `@due(...)`, `@done`.
    At,
    /// `due:VALUE`, `done:VALUE`.
    Colon,
    /// `📅 DATE` and the other Obsidian Tasks emoji.
    Emoji,
    /// `[due:: DATE]`.
    Dataview,
}

/// One tag found in a commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// What it means.
    pub kind: TagKind,
    /// How it is written.
    pub syntax: Syntax,
    /// The tag name as written (`due`, `Due`, `deu`; the emoji for emoji tags).
    pub name: String,
    /// Byte range of the whole tag in the note.
    pub span: Range<usize>,
    /// Byte range of the value, when it has one (`fri` in `@due(fri)`).
    pub value_span: Option<Range<usize>>,
    /// The value's text, trimmed.
    pub value: Option<String>,
    /// The parsed date, for date tags that carry a value.
    pub date: Option<DateValue>,
}

impl Tag {
    /// The resolved calendar date, if the tag has a valid one.
    pub fn resolved(&self) -> Option<NaiveDate> {
        self.date.as_ref().and_then(DateValue::date)
    }
}

// One alternation so that matches never overlap; the order of the branches decides
// which reading wins where two could start at the same byte.
static TAG_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\[[A-Za-z]+::[ \t]*[^\]\n]*\]",
        r"|@[\p{L}\p{N}_][\p{L}\p{N}_-]*(?:\([^()\n]*\))?",
        // No `\b` here: a Unicode word boundary would keep the regex off its fast DFA
        // engines. `scan` checks the character before the match instead.
        r"|(?i:due|done):[^\s:][^\s]*",
        r"|(?:📅|📆|🗓|⏳|⌛|✅|❌|🛫|➕)\x{FE0F}?(?:[ \t]+[0-9][^\s]*)?",
        r"|[⏫🔼🔽🔺⏬]\x{FE0F}?",
        r"|🔁\x{FE0F}?[^📅📆🗓⏳⌛✅❌🛫➕⏫🔼🔽🔺⏬@\[\n]*",
    ))
    .expect("tag regex compiles")
});

/// Characters that end a `due:` or emoji value but are prose, not the value:
/// `due:2026-11-24.` means 2026-11-24.
const TRAILING_PUNCT: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '"', '\''];

fn trimmed_value(src: &str, r: Range<usize>) -> Range<usize> {
    let s = &src[r.clone()];
    let end = s.trim_end_matches(TRAILING_PUNCT).len();
    r.start..r.start + end
}

fn known_at(name: &str) -> TagKind {
    match name.to_lowercase().as_str() {
        "due" => TagKind::Due,
        "scheduled" => TagKind::Scheduled,
        "done" => TagKind::Done,
        "cancelled" | "canceled" => TagKind::Cancelled,
        "waiting" => TagKind::Waiting,
        _ => TagKind::Unknown,
    }
}

/// The parts of one regex match, split by hand: the regex only finds where tags are.
/// Asking it for capture groups cost more than everything else in the scan, and the
/// shape of a match is fixed by its first character.
enum Parts<'a> {
    /// `[name:: value]`
    Dataview { name: &'a str, value: &'a str },
    /// `@name` or `@name(value)`
    At {
        name: &'a str,
        value: Option<&'a str>,
    },
    /// `due:value`
    Colon { name: &'a str, value: &'a str },
    /// `📅 value` and friends; value may be absent.
    Emoji {
        emoji: &'a str,
        value: Option<&'a str>,
    },
    /// A priority or recurrence signifier.
    Signifier,
}

fn split(whole: &str) -> Parts<'_> {
    if let Some(rest) = whole.strip_prefix('[') {
        let (name, value) = rest.split_once("::").unwrap_or((rest, ""));
        let value = value.strip_suffix(']').unwrap_or(value);
        return Parts::Dataview {
            name,
            value: value.trim_start_matches([' ', '\t']),
        };
    }
    if let Some(rest) = whole.strip_prefix('@') {
        return match rest.split_once('(') {
            Some((name, v)) => Parts::At {
                name,
                value: Some(v.strip_suffix(')').unwrap_or(v)),
            },
            None => Parts::At {
                name: rest,
                value: None,
            },
        };
    }
    let first = whole.chars().next().map_or(0, char::len_utf8);
    let emoji = &whole[..first];
    if matches!(
        emoji,
        "📅" | "📆" | "🗓" | "⏳" | "⌛" | "✅" | "❌" | "🛫" | "➕"
    ) {
        let rest = whole[first..].trim_start_matches('\u{FE0F}');
        let value = rest.trim_start_matches([' ', '\t']);
        return Parts::Emoji {
            emoji,
            value: (!value.is_empty()).then_some(value),
        };
    }
    match whole.split_once(':') {
        Some((name, value))
            if name.eq_ignore_ascii_case("due") || name.eq_ignore_ascii_case("done") =>
        {
            Parts::Colon { name, value }
        }
        _ => Parts::Signifier,
    }
}

/// Scan `src[range]` for tags. `note_date` resolves relative dates.
pub fn scan(src: &str, range: Range<usize>, note_date: Option<NaiveDate>, out: &mut Vec<Tag>) {
    let hay = &src[range.clone()];
    let base = range.start;
    // Every tag has an `@`, `[` or `:`, or starts with an emoji (a non-ASCII byte);
    // most runs of text have none of them and need no regex search at all.
    if memchr::memchr3(b'@', b'[', b':', hay.as_bytes()).is_none() && hay.is_ascii() {
        return;
    }
    for whole in TAG_RE.find_iter(hay) {
        let span = base + whole.start()..base + whole.end();
        // Byte range in `src` of a slice of this match.
        let abs = |part: &str| {
            let at = span.start + (part.as_ptr() as usize - whole.as_str().as_ptr() as usize);
            at..at + part.len()
        };
        let tag = match split(whole.as_str()) {
            Parts::Dataview { name, value } => {
                let kind = match name.to_lowercase().as_str() {
                    "due" => TagKind::Due,
                    "scheduled" => TagKind::Scheduled,
                    "completion" => TagKind::Done,
                    "cancelled" => TagKind::Cancelled,
                    "start" | "created" => TagKind::Signifier,
                    // Other Dataview fields (`[priority:: high]`) are the user's own data.
                    _ => continue,
                };
                let vr = abs(value.trim_end());
                date_tag(
                    src,
                    kind,
                    Syntax::Dataview,
                    name,
                    span,
                    vr,
                    note_date,
                    false,
                )
            }
            Parts::At { name, value } => {
                // `dana@acme.com` and `x@y` are not tags: `@` must start a word.
                let prev = src[..span.start].chars().next_back();
                if prev.is_some_and(|c| {
                    c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '@')
                }) {
                    continue;
                }
                let kind = known_at(name);
                let name = name.to_owned();
                match value {
                    Some(v) => {
                        let vr = abs(v.trim());
                        match kind {
                            TagKind::Waiting | TagKind::Unknown => Tag {
                                kind,
                                syntax: Syntax::At,
                                value: Some(src[vr.clone()].to_owned()),
                                value_span: Some(vr),
                                name,
                                span,
                                date: None,
                            },
                            _ => date_tag(src, kind, Syntax::At, &name, span, vr, note_date, true),
                        }
                    }
                    // A bare `@dana` is a mention, never a tag; bare `@done` is.
                    None if kind == TagKind::Unknown => continue,
                    None => Tag {
                        kind,
                        syntax: Syntax::At,
                        name,
                        span,
                        value_span: None,
                        value: None,
                        // `@due` with no value is a due tag without a date.
                        date: (kind == TagKind::Due || kind == TagKind::Scheduled)
                            .then(|| DateValue::Invalid("no date given".to_owned())),
                    },
                }
            }
            Parts::Colon { name, value } => {
                // `overdue:x` is a word, not a tag.
                if src[..span.start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                let kind = known_at(name);
                let vr = trimmed_value(src, abs(value));
                date_tag(src, kind, Syntax::Colon, name, span, vr, note_date, true)
            }
            Parts::Emoji { emoji, value } => {
                let kind = match emoji {
                    "📅" | "📆" | "🗓" => TagKind::Due,
                    "⏳" | "⌛" => TagKind::Scheduled,
                    "✅" => TagKind::Done,
                    "❌" => TagKind::Cancelled,
                    _ => TagKind::Signifier,
                };
                match value {
                    Some(v) => {
                        let vr = trimmed_value(src, abs(v));
                        let span = span.start..vr.end;
                        date_tag(src, kind, Syntax::Emoji, emoji, span, vr, note_date, false)
                    }
                    None => Tag {
                        kind,
                        syntax: Syntax::Emoji,
                        name: emoji.to_owned(),
                        span,
                        value_span: None,
                        value: None,
                        date: matches!(kind, TagKind::Due | TagKind::Scheduled)
                            .then(|| DateValue::Invalid("no date given".to_owned())),
                    },
                }
            }
            Parts::Signifier => {
                // Priority and recurrence signifiers: recognised, never reported.
                let span = span.start..span.start + whole.as_str().trim_end().len();
                Tag {
                    kind: TagKind::Signifier,
                    syntax: Syntax::Emoji,
                    name: whole
                        .as_str()
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default(),
                    span,
                    value_span: None,
                    value: None,
                    date: None,
                }
            }
        };
        out.push(tag);
    }
}

#[allow(clippy::too_many_arguments)]
fn date_tag(
    src: &str,
    kind: TagKind,
    syntax: Syntax,
    name: &str,
    span: Range<usize>,
    value_span: Range<usize>,
    note_date: Option<NaiveDate>,
    relative_ok: bool,
) -> Tag {
    let value = src[value_span.clone()].to_owned();
    Tag {
        kind,
        syntax,
        name: name.to_owned(),
        date: Some(parse_value(&value, note_date, relative_ok)),
        span,
        value_span: Some(value_span),
        value: Some(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_iso;

    fn tags(s: &str) -> Vec<Tag> {
        let mut out = Vec::new();
        scan(s, 0..s.len(), parse_iso("2026-11-16"), &mut out);
        out
    }

    fn kinds(s: &str) -> Vec<(TagKind, Option<String>)> {
        tags(s)
            .into_iter()
            .map(|t| (t.kind, t.resolved().map(|d| d.to_string())))
            .collect()
    }

    #[test]
    fn at_forms() {
        assert_eq!(
            kinds("Send it @due(fri) @Scheduled(2026-11-18) @done"),
            vec![
                (TagKind::Due, Some("2026-11-20".into())),
                (TagKind::Scheduled, Some("2026-11-18".into())),
                (TagKind::Done, None),
            ]
        );
        let t = &tags("x @waiting( Dana )")[0];
        assert_eq!(
            (t.kind, t.value.as_deref()),
            (TagKind::Waiting, Some("Dana"))
        );
    }

    #[test]
    fn mentions_and_emails_are_not_tags() {
        assert!(tags("ask @dana and mail dana@acme.com").is_empty());
        assert_eq!(tags("@owner(sam)")[0].kind, TagKind::Unknown);
    }

    #[test]
    fn colon_form_needs_value_right_after_colon() {
        assert_eq!(
            kinds("due:2026-11-24."),
            vec![(TagKind::Due, Some("2026-11-24".into()))]
        );
        assert!(tags("payment due: Friday").is_empty());
        assert!(tags("overdue:2026-11-24").is_empty());
        assert_eq!(
            kinds("DONE:2026-11-19"),
            vec![(TagKind::Done, Some("2026-11-19".into()))]
        );
    }

    #[test]
    fn emoji_forms() {
        assert_eq!(
            kinds("a 📅 2026-11-27 ⏳ 2026-11-24 ✅ 2026-11-20 🗓️ 2026-11-28 ❌ 2026-11-10"),
            vec![
                (TagKind::Due, Some("2026-11-27".into())),
                (TagKind::Scheduled, Some("2026-11-24".into())),
                (TagKind::Done, Some("2026-11-20".into())),
                (TagKind::Due, Some("2026-11-28".into())),
                (TagKind::Cancelled, Some("2026-11-10".into())),
            ]
        );
        // Emoji forms take only YYYY-MM-DD.
        let t = &tags("📅 fri")[0];
        assert!(matches!(t.date, Some(DateValue::Invalid(_))));
        assert_eq!(tags("⏫ 🔁 every week 📅 2026-11-27").len(), 3);
    }

    #[test]
    fn dataview_forms() {
        assert_eq!(
            kinds("[due:: 2026-11-26] [completion:: 2026-11-17] [priority:: high]"),
            vec![
                (TagKind::Due, Some("2026-11-26".into())),
                (TagKind::Done, Some("2026-11-17".into())),
            ]
        );
    }

    #[test]
    fn spans_cover_the_tag() {
        let s = "Send @due(fri) now";
        let t = &tags(s)[0];
        assert_eq!(&s[t.span.clone()], "@due(fri)");
        assert_eq!(&s[t.value_span.clone().unwrap()], "fri");
    }
}
