//! Tags inside a commitment's text: `@due(fri)`, `due:2026-11-25`, `📅 2026-11-25`,
//! `[due:: 2026-11-25]` and friends. Scanning works on byte ranges of the source so
//! that every tag keeps its exact location for diagnostics and edits.

use std::ops::Range;

use chrono::NaiveDate;

use crate::notes::dates::{parse_value, DateValue};

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

/// Where the tags are in `hay`: byte ranges, left to right, never overlapping.
///
/// It finds exactly what this regex finds (a property test holds it to that):
///
/// ```text
/// \[[A-Za-z]+::[ \t]*[^\]\n]*\]
/// | @[\p{Alphabetic}\p{N}_][\p{Alphabetic}\p{N}_-]*(?:\([^()\n]*\))?
/// | (?i:due|done):[^\s:][^\s]*
/// | (?:📅|📆|🗓|⏳|⌛|✅|❌|🛫|➕)\x{FE0F}?(?:[ \t]+[0-9][^\s]*)?
/// | [⏫🔼🔽🔺⏬]\x{FE0F}?
/// | 🔁\x{FE0F}?[^📅📆🗓⏳⌛✅❌🛫➕⏫🔼🔽🔺⏬@\[\n]*
/// ```
///
/// By hand because this runs on the text of every commitment: the regex (even with
/// its capture groups gone) was a fifth of the time of a whole scan, and each branch is
/// fixed by its first byte, so one pass over the bytes decides it.
fn matches(hay: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = hay.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let found = match bytes[i] {
                b'[' => dataview_at(bytes, i),
                b'@' => at_tag_at(hay, i),
                b'd' | b'D' => colon_at(hay, i),
                // The lead bytes of every tag emoji.
                0xE2 | 0xF0 => emoji_at(hay, i),
                _ => None,
            };
            match found {
                Some(end) => {
                    let start = i;
                    i = end;
                    return Some(start..end);
                }
                None => i += 1,
            }
        }
        None
    })
}

/// The Obsidian Tasks emoji that may be followed by a date, and what each means: the one
/// table both finding (`emoji_at`) and reading (`split`, `scan`) a tag go by.
const DATE_EMOJI: [(&str, TagKind); 9] = [
    ("📅", TagKind::Due),
    ("📆", TagKind::Due),
    ("🗓", TagKind::Due),
    ("⏳", TagKind::Scheduled),
    ("⌛", TagKind::Scheduled),
    ("✅", TagKind::Done),
    ("❌", TagKind::Cancelled),
    // Start and created dates: recognised, otherwise ignored.
    ("🛫", TagKind::Signifier),
    ("➕", TagKind::Signifier),
];
const PRIORITY_EMOJI: [char; 5] = ['⏫', '🔼', '🔽', '🔺', '⏬'];

fn skip_fe0f(hay: &str, i: usize) -> usize {
    if hay[i..].starts_with('\u{FE0F}') {
        i + '\u{FE0F}'.len_utf8()
    } else {
        i
    }
}

/// `[name:: value]`
fn dataview_at(bytes: &[u8], i: usize) -> Option<usize> {
    let name = bytes[i + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let mut j = i + 1 + name;
    if name == 0 || !bytes[j..].starts_with(b"::") {
        return None;
    }
    j += 2;
    let close = bytes[j..].iter().position(|&b| b == b']' || b == b'\n')?;
    (bytes[j + close] == b']').then_some(j + close + 1)
}

/// `@name` or `@name(value)`
fn at_tag_at(hay: &str, i: usize) -> Option<usize> {
    let word = |c: char, first: bool| {
        c.is_alphabetic() || c.is_numeric() || c == '_' || (!first && c == '-')
    };
    let rest = &hay[i + 1..];
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    if !word(first, true) {
        return None;
    }
    let name_end = chars
        .find(|&(_, c)| !word(c, false))
        .map_or(rest.len(), |(k, _)| k);
    let end = i + 1 + name_end;
    let value = hay[end..].strip_prefix('(').and_then(|v| {
        let close = v.find(['(', ')', '\n'])?;
        (v.as_bytes()[close] == b')').then_some(end + 1 + close + 1)
    });
    Some(value.unwrap_or(end))
}

/// `due:value` or `done:value`, any case.
fn colon_at(hay: &str, i: usize) -> Option<usize> {
    let rest = &hay[i..];
    let name = ["due:", "done:"].into_iter().find(|n| {
        rest.get(..n.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(n))
    })?;
    let value = &rest[name.len()..];
    let first = value.chars().next()?;
    if first.is_whitespace() || first == ':' {
        return None;
    }
    let len = value.find(char::is_whitespace).unwrap_or(value.len());
    Some(i + name.len() + len)
}

/// An Obsidian Tasks emoji, with its date when one follows.
fn emoji_at(hay: &str, i: usize) -> Option<usize> {
    let rest = &hay[i..];
    if let Some((e, _)) = DATE_EMOJI.iter().find(|(e, _)| rest.starts_with(e)) {
        let end = skip_fe0f(hay, i + e.len());
        let gap = hay[end..]
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let value = &hay[end + gap..];
        if gap > 0 && value.starts_with(|c: char| c.is_ascii_digit()) {
            let len = value.find(char::is_whitespace).unwrap_or(value.len());
            return Some(end + gap + len);
        }
        return Some(end);
    }
    let c = rest.chars().next()?;
    if PRIORITY_EMOJI.contains(&c) {
        return Some(skip_fe0f(hay, i + c.len_utf8()));
    }
    if c == '🔁' {
        let from = skip_fe0f(hay, i + c.len_utf8());
        let stop = |c: char| {
            DATE_EMOJI.iter().any(|(e, _)| e.starts_with(c))
                || PRIORITY_EMOJI.contains(&c)
                || matches!(c, '@' | '[' | '\n')
        };
        return Some(hay[from..].find(stop).map_or(hay.len(), |k| from + k));
    }
    None
}

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

/// The parts of one tag found by `matches`; its shape is fixed by its first character.
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
        kind: TagKind,
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
    if let Some(&(_, kind)) = DATE_EMOJI.iter().find(|(e, _)| *e == emoji) {
        let rest = whole[first..].trim_start_matches('\u{FE0F}');
        let value = rest.trim_start_matches([' ', '\t']);
        return Parts::Emoji {
            emoji,
            kind,
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
    for found in matches(hay) {
        let whole = &hay[found.clone()];
        let span = base + found.start..base + found.end;
        // Byte range in `src` of a slice of this match.
        let abs = |part: &str| {
            let at = span.start + (part.as_ptr() as usize - whole.as_ptr() as usize);
            at..at + part.len()
        };
        let tag = match split(whole) {
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
            Parts::Emoji { emoji, kind, value } => match value {
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
            },
            Parts::Signifier => {
                // Priority and recurrence signifiers: recognised, never reported.
                let span = span.start..span.start + whole.trim_end().len();
                Tag {
                    kind: TagKind::Signifier,
                    syntax: Syntax::Emoji,
                    name: whole.chars().next().map(String::from).unwrap_or_default(),
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
    use crate::notes::dates::parse_iso;

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
    fn every_date_emoji_is_found_and_read_as_its_kind() {
        for (e, kind) in DATE_EMOJI {
            assert_eq!(e.chars().count(), 1, "{e}");
            // `matches` hands only these lead bytes to `emoji_at`.
            assert!(matches!(e.as_bytes()[0], 0xE2 | 0xF0), "{e}");
            for text in [
                format!("a {e} 2026-11-27"),
                format!("a {e}\u{FE0F} 2026-11-27"),
            ] {
                let found = tags(&text);
                assert_eq!(found.len(), 1, "{text}");
                assert_eq!(
                    (found[0].kind, found[0].syntax),
                    (kind, Syntax::Emoji),
                    "{text}"
                );
                assert_eq!(found[0].name, e);
                assert_eq!(&text[found[0].span.clone()], &text[2..], "{text}");
            }
        }
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

    /// The specification `matches` implements, as a regex: the test oracle.
    fn oracle() -> &'static regex::Regex {
        static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(concat!(
                r"\[[A-Za-z]+::[ \t]*[^\]\n]*\]",
                r"|@[\p{Alphabetic}\p{N}_][\p{Alphabetic}\p{N}_-]*(?:\([^()\n]*\))?",
                r"|(?i:due|done):[^\s:][^\s]*",
                r"|(?:📅|📆|🗓|⏳|⌛|✅|❌|🛫|➕)\x{FE0F}?(?:[ \t]+[0-9][^\s]*)?",
                r"|[⏫🔼🔽🔺⏬]\x{FE0F}?",
                r"|🔁\x{FE0F}?[^📅📆🗓⏳⌛✅❌🛫➕⏫🔼🔽🔺⏬@\[\n]*",
            ))
            .unwrap()
        });
        &RE
    }

    #[test]
    fn matches_agrees_with_the_regex_on_samples() {
        let re = oracle();
        for hay in [
            "Send @due(fri) due:2026-11-24. [due:: 2026-11-25] 📅 2026-11-27 ✅️2026-11-20",
            "@a(b(c)) @x( @y) [a::b\n] [::x] dUe:: DONE:x 🔁 every week 📅x ⏫️ @é-ü_1(v)",
            "🛫 \t2026-01-01x ➕ @ @- [Ab:: ] ⌛2026 🗓️ 2026-11-28",
        ] {
            let want: Vec<_> = re.find_iter(hay).map(|m| m.range()).collect();
            assert_eq!(matches(hay).collect::<Vec<_>>(), want, "{hay:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn matches_agrees_with_the_regex(
            hay in r"(@|\[|\]|::|:|\(|\)|due|DoNe|d|[a-z0-9]|é|ⅷ|٣|\u{0301}|-|_| |\t|\n|📅|✅|⏳|🔁|⏫|🔼|\u{FE0F}|2026-11-2[0-9]){0,24}"
        ) {
            let want: Vec<_> = oracle().find_iter(&hay).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(matches(&hay).collect::<Vec<_>>(), want);
        }
    }
}
