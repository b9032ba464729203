//! Tags inside a commitment's text: `@due(fri)`, `due:2026-11-25`, `📅 2026-11-25`,
//! `[due:: 2026-11-25]` and friends. Scanning works on byte ranges of the source so
//! that every tag keeps its exact location for diagnostics and edits.
//!
//! Obsidian Tasks' fields are read as its `DefaultTaskSerializer.ts` and
//! `DataviewTaskSerializer.ts` read them (obsidian-tasks-group/obsidian-tasks, MIT
//! licensed): an emoji with or without a space before its value (`📅2022-07-29`), a
//! Dataview field in brackets or parentheses with spaces inside (`( due:: 2021-08-22 )`),
//! start 🛫, created ➕, priority 🔺⏫🔼🔽⏬, recurrence 🔁, id 🆔, depends-on ⛔ and
//! on-completion 🏁; [`fields`] collects them into [`TaskFields`].

use std::ops::Range;

use chrono::NaiveDate;
use compact_str::CompactString;
use serde::Serialize;

use crate::notes::dates::{parse_value, DateValue};

/// What a tag means.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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
    /// When work can start: `🛫 DATE`, `[start:: DATE]`.
    Start,
    /// When the task was written: `➕ DATE`, `[created:: DATE]`.
    Created,
    /// `🔺⏫🔼🔽⏬`, `[priority:: high]`.
    Priority,
    /// `🔁 every week`, `[repeat:: every week]`, `@every(2w)`.
    Recurrence,
    /// `🆔 abc123`, `[id:: abc123]`.
    Id,
    /// `⛔ abc123,def456`, `[dependsOn:: abc123]`.
    DependsOn,
    /// `🏁 delete`, `[onCompletion:: keep]`.
    OnCompletion,
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
            TagKind::Recurrence => Some("every"),
            _ => None,
        }
    }

    /// The kinds whose value is a DATE.
    pub fn takes_date(self) -> bool {
        matches!(
            self,
            TagKind::Due
                | TagKind::Scheduled
                | TagKind::Done
                | TagKind::Cancelled
                | TagKind::Start
                | TagKind::Created
        )
    }
}

/// Which of the accepted spellings a tag uses; edits keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    /// What it means.
    pub kind: TagKind,
    /// How it is written.
    pub syntax: Syntax,
    /// The tag name as written (`due`, `Due`, `deu`; the emoji for emoji tags). Names
    /// and values are short: inline strings, no allocation for most (serialised as
    /// strings).
    pub name: CompactString,
    /// Byte range of the whole tag in the note.
    pub span: Range<usize>,
    /// Byte range of the value, when it has one (`fri` in `@due(fri)`).
    pub value_span: Option<Range<usize>>,
    /// The value's text, trimmed.
    pub value: Option<CompactString>,
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
/// \[[ \t]*[A-Za-z]+::[^\]\n]*\]
/// | \([ \t]*[A-Za-z]+::[^()\n]*\)
/// | @(?i:due|scheduled|done|cancelled|start)(?::?[ \t]+|:)[0-9]{4}-[0-9]{2}-[0-9]{2}
/// | @[\p{Alphabetic}\p{N}_][\p{Alphabetic}\p{N}_-]*(?:\([^()\n]*\))?
/// | (?i:due|done):[^\s:][^\s]*
/// | (?:📅|📆|🗓|⏳|⌛|✅|❌|🛫|➕)\x{FE0F}?(?:[ \t]*[0-9][^\s]*)?
/// | [⏫🔼🔽🔺⏬]\x{FE0F}?
/// | 🔁\x{FE0F}?[A-Za-z0-9, !]*
/// | 🏁\x{FE0F}?(?: *[A-Za-z]+)?
/// | 🆔\x{FE0F}?(?: *[A-Za-z0-9_-]+)?
/// | ⛔\x{FE0F}?(?: *[A-Za-z0-9_-]+(?: *, *[A-Za-z0-9_-]+)*)?
/// ```
///
/// The value patterns of 🔁, 🏁, 🆔 and ⛔ are Obsidian Tasks' own
/// (`DefaultTaskSerializer.ts`): a `#tag` after `🔁 every week` is not part of the rule.
///
/// By hand because this runs on the text of every commitment: the regex (even with
/// its capture groups gone) was a fifth of the time of a whole scan, and each branch is
/// fixed by its first byte, so one pass over the bytes decides it.
fn matches(hay: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = hay.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            // Most bytes start no tag: skip them with one table look each.
            if !TAG_START[usize::from(bytes[i])] {
                i += 1;
                continue;
            }
            let found = match bytes[i] {
                b'[' => dataview_at(bytes, i, b']'),
                b'(' => dataview_at(bytes, i, b')'),
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

/// The bytes a tag can start with (see [`matches`]).
const TAG_START: [bool; 256] = {
    let mut table = [false; 256];
    let starts = [b'[', b'(', b'@', b'd', b'D', 0xE2, 0xF0];
    let mut k = 0;
    while k < starts.len() {
        table[starts[k] as usize] = true;
        k += 1;
    }
    table
};

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
    ("🛫", TagKind::Start),
    ("➕", TagKind::Created),
];
/// Priority emoji, highest first.
const PRIORITY_EMOJI: [(char, Priority); 5] = [
    ('🔺', Priority::Highest),
    ('⏫', Priority::High),
    ('🔼', Priority::Medium),
    ('🔽', Priority::Low),
    ('⏬', Priority::Lowest),
];
/// The emoji followed by a text value.
const VALUE_EMOJI: [(char, TagKind); 4] = [
    ('🔁', TagKind::Recurrence),
    ('🏁', TagKind::OnCompletion),
    ('🆔', TagKind::Id),
    ('⛔', TagKind::DependsOn),
];

fn skip_fe0f(hay: &str, i: usize) -> usize {
    if hay[i..].starts_with('\u{FE0F}') {
        i + '\u{FE0F}'.len_utf8()
    } else {
        i
    }
}

/// `[name:: value]`, or `(name:: value)` when `close` is `)`; spaces may come first.
fn dataview_at(bytes: &[u8], i: usize, close: u8) -> Option<usize> {
    let gap = bytes[i + 1..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let from = i + 1 + gap;
    let name = bytes[from..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let mut j = from + name;
    if name == 0 || !bytes[j..].starts_with(b"::") {
        return None;
    }
    j += 2;
    let stop = |b: u8| b == close || b == b'\n' || (close == b')' && b == b'(');
    let end = bytes[j..].iter().position(|&b| stop(b))?;
    (bytes[j + end] == close).then_some(j + end + 1)
}

/// The length of `YYYY-MM-DD` at the start of `s` (digits and dashes only), if there.
fn iso_len(s: &[u8]) -> Option<usize> {
    let shape = s.len() >= 10
        && s[..10].iter().enumerate().all(|(k, b)| {
            if k == 4 || k == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shape.then_some(10)
}

/// `@name` or `@name(value)`; and `@due 2026-12-05` / `@due: 2026-12-05`, a date tag
/// written with a space or a colon instead of parentheses.
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
    if let Some(loose) = loose_date_at(hay, i + 1, end) {
        return Some(loose);
    }
    let value = hay[end..].strip_prefix('(').and_then(|v| {
        let close = v.find(['(', ')', '\n'])?;
        (v.as_bytes()[close] == b')').then_some(end + 1 + close + 1)
    });
    Some(value.unwrap_or(end))
}

/// After `@name` (name at `hay[from..end]`): the end of a `:? DATE` or `:DATE` that
/// makes `@due 2026-12-05` a date tag, for the date tags' names.
fn loose_date_at(hay: &str, from: usize, end: usize) -> Option<usize> {
    let name = &hay[from..end];
    if !["due", "scheduled", "done", "cancelled", "start"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
    {
        return None;
    }
    let bytes = hay.as_bytes();
    let colon = usize::from(bytes.get(end) == Some(&b':'));
    let gap = bytes[end + colon..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    if colon + gap == 0 {
        return None;
    }
    let at = end + colon + gap;
    iso_len(&bytes[at..]).map(|n| at + n)
}

/// `due:value` or `done:value`, any case.
fn colon_at(hay: &str, i: usize) -> Option<usize> {
    // `d` starts many words: only a colon after `due` or `done` makes one a tag.
    let colon = |k: usize| hay.as_bytes().get(i + k) == Some(&b':');
    if !colon(3) && !colon(4) {
        return None;
    }
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

/// How many bytes at the start of `s` are in `set` (ASCII).
fn run(s: &[u8], set: impl Fn(u8) -> bool) -> usize {
    s.iter().take_while(|&&b| set(b)).count()
}

fn id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// An Obsidian Tasks emoji, with its value when one follows.
fn emoji_at(hay: &str, i: usize) -> Option<usize> {
    let rest = &hay[i..];
    let bytes = hay.as_bytes();
    if let Some((e, _)) = DATE_EMOJI.iter().find(|(e, _)| rest.starts_with(e)) {
        let end = skip_fe0f(hay, i + e.len());
        let gap = run(&bytes[end..], |b| matches!(b, b' ' | b'\t'));
        let value = &hay[end + gap..];
        if value.starts_with(|c: char| c.is_ascii_digit()) {
            let len = value.find(char::is_whitespace).unwrap_or(value.len());
            return Some(end + gap + len);
        }
        return Some(end);
    }
    let c = rest.chars().next()?;
    if PRIORITY_EMOJI.iter().any(|(p, _)| *p == c) {
        return Some(skip_fe0f(hay, i + c.len_utf8()));
    }
    let (_, kind) = VALUE_EMOJI.iter().find(|(e, _)| *e == c)?;
    let from = skip_fe0f(hay, i + c.len_utf8());
    let after = &bytes[from..];
    let spaces = run(after, |b| b == b' ');
    let len = match kind {
        TagKind::Recurrence => run(after, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b',' | b' ' | b'!')
        }),
        TagKind::OnCompletion => match run(&after[spaces..], |b| b.is_ascii_alphabetic()) {
            0 => 0,
            n => spaces + n,
        },
        TagKind::Id => match run(&after[spaces..], id_byte) {
            0 => 0,
            n => spaces + n,
        },
        _ => {
            // ⛔ id( *, *id)*
            let first = run(&after[spaces..], id_byte);
            if first == 0 {
                0
            } else {
                let mut len = spaces + first;
                loop {
                    let mut k = len + run(&after[len..], |b| b == b' ');
                    if after.get(k) != Some(&b',') {
                        break;
                    }
                    k += 1;
                    k += run(&after[k..], |b| b == b' ');
                    let id = run(&after[k..], id_byte);
                    if id == 0 {
                        break;
                    }
                    len = k + id;
                }
                len
            }
        }
    };
    Some(from + len)
}

/// Characters that end a `due:` or emoji value but are prose, not the value:
/// `due:2026-11-24.` means 2026-11-24.
const TRAILING_PUNCT: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '"', '\''];

fn trimmed_value(src: &str, r: Range<usize>) -> Range<usize> {
    let s = &src[r.clone()];
    let end = s.trim_end_matches(TRAILING_PUNCT).len();
    r.start..r.start + end
}

/// The kind whose name in `names` is `name`, in any case. ASCII case is enough: no
/// character outside ASCII lowercases into one of these names (the Kelvin sign, the one
/// that lowercases to ASCII, `k`, is in none), and comparing in place allocates nothing
/// (lowercasing every name was a third of the tag scan's allocations).
fn kind_named(name: &str, names: &[(&str, TagKind)]) -> Option<TagKind> {
    names
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, kind)| kind)
}

fn known_at(name: &str) -> TagKind {
    const NAMES: [(&str, TagKind); 8] = [
        ("due", TagKind::Due),
        ("scheduled", TagKind::Scheduled),
        ("done", TagKind::Done),
        ("cancelled", TagKind::Cancelled),
        ("canceled", TagKind::Cancelled),
        ("waiting", TagKind::Waiting),
        ("start", TagKind::Start),
        ("every", TagKind::Recurrence),
    ];
    kind_named(name, &NAMES).unwrap_or(TagKind::Unknown)
}

/// What a Dataview field's name means; `None` for the user's own fields.
fn dataview_kind(name: &str) -> Option<TagKind> {
    const NAMES: [(&str, TagKind); 11] = [
        ("due", TagKind::Due),
        ("scheduled", TagKind::Scheduled),
        ("completion", TagKind::Done),
        ("cancelled", TagKind::Cancelled),
        ("start", TagKind::Start),
        ("created", TagKind::Created),
        ("priority", TagKind::Priority),
        ("repeat", TagKind::Recurrence),
        ("id", TagKind::Id),
        ("dependson", TagKind::DependsOn),
        ("oncompletion", TagKind::OnCompletion),
    ];
    kind_named(name, &NAMES)
}

/// The parts of one tag found by `matches`; its shape is fixed by its first character.
enum Parts<'a> {
    /// `[name:: value]` or `(name:: value)`
    Dataview { name: &'a str, value: &'a str },
    /// `@name` or `@name(value)`; `loose` for `@due 2026-12-05`.
    At {
        name: &'a str,
        value: Option<&'a str>,
        loose: bool,
    },
    /// `due:value`
    Colon { name: &'a str, value: &'a str },
    /// `📅 value` and friends; value may be absent.
    Emoji {
        emoji: &'a str,
        kind: TagKind,
        value: Option<&'a str>,
    },
    /// `🔁 every week`, `🆔 abc`, `⛔ a,b`, `🏁 delete`; value may be empty.
    Field {
        emoji: &'a str,
        kind: TagKind,
        value: &'a str,
    },
    /// A priority emoji.
    Priority { emoji: &'a str },
}

fn split(whole: &str) -> Parts<'_> {
    if let Some(rest) = whole.strip_prefix(['[', '(']) {
        let (name, value) = rest.split_once("::").unwrap_or((rest, ""));
        let value = value
            .strip_suffix([']', ')'])
            .unwrap_or(value)
            .trim_start_matches([' ', '\t']);
        return Parts::Dataview {
            name: name.trim_start_matches([' ', '\t']),
            value,
        };
    }
    if let Some(rest) = whole.strip_prefix('@') {
        let name_end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if let Some(k) = rest[name_end..]
            .starts_with([':', ' ', '\t'])
            .then_some(name_end)
        {
            let value = rest[k..]
                .trim_start_matches(':')
                .trim_start_matches([' ', '\t']);
            return Parts::At {
                name: &rest[..k],
                value: Some(value),
                loose: true,
            };
        }
        return match rest.split_once('(') {
            Some((name, v)) => Parts::At {
                name,
                value: Some(v.strip_suffix(')').unwrap_or(v)),
                loose: false,
            },
            None => Parts::At {
                name: rest,
                value: None,
                loose: false,
            },
        };
    }
    let first = whole.chars().next().map_or(0, char::len_utf8);
    let emoji = &whole[..first];
    let rest = whole[first..].trim_start_matches('\u{FE0F}');
    if let Some(&(_, kind)) = DATE_EMOJI.iter().find(|(e, _)| *e == emoji) {
        let value = rest.trim_start_matches([' ', '\t']);
        return Parts::Emoji {
            emoji,
            kind,
            value: (!value.is_empty()).then_some(value),
        };
    }
    if let Some(&(_, kind)) = VALUE_EMOJI.iter().find(|(e, _)| emoji.starts_with(*e)) {
        return Parts::Field {
            emoji,
            kind,
            value: rest.trim(),
        };
    }
    match whole.split_once(':') {
        Some((name, value))
            if name.eq_ignore_ascii_case("due") || name.eq_ignore_ascii_case("done") =>
        {
            Parts::Colon { name, value }
        }
        _ => Parts::Priority { emoji },
    }
}

/// A tag with a text value (not a date).
fn text_tag(
    src: &str,
    kind: TagKind,
    syntax: Syntax,
    name: &str,
    span: Range<usize>,
    vr: Range<usize>,
) -> Tag {
    Tag {
        kind,
        syntax,
        name: name.into(),
        span,
        value: (!vr.is_empty()).then(|| src[vr.clone()].into()),
        value_span: (!vr.is_empty()).then_some(vr),
        date: None,
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
                // Other Dataview fields (`[owner:: Dana]`) are the user's own data.
                let Some(kind) = dataview_kind(name) else {
                    continue;
                };
                let vr = abs(value.trim_end());
                if kind.takes_date() {
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
                } else {
                    text_tag(src, kind, Syntax::Dataview, name, span, vr)
                }
            }
            Parts::At { name, value, loose } => {
                // `dana@acme.com` and `x@y` are not tags: `@` must start a word.
                let prev = src[..span.start].chars().next_back();
                if prev.is_some_and(|c| {
                    c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '@')
                }) {
                    continue;
                }
                let kind = known_at(name);
                let name = CompactString::from(name);
                match value {
                    Some(v) => {
                        let vr = abs(v.trim());
                        match kind {
                            TagKind::Waiting | TagKind::Unknown | TagKind::Recurrence => Tag {
                                kind,
                                syntax: Syntax::At,
                                value: Some(src[vr.clone()].into()),
                                value_span: Some(vr),
                                name,
                                span,
                                date: None,
                            },
                            // `@due 2026-12-05` takes only YYYY-MM-DD, like the emoji.
                            _ => {
                                date_tag(src, kind, Syntax::At, &name, span, vr, note_date, !loose)
                            }
                        }
                    }
                    // A bare `@dana` is a mention, never a tag; bare `@done` is.
                    None if matches!(
                        kind,
                        TagKind::Unknown | TagKind::Recurrence | TagKind::Start
                    ) =>
                    {
                        continue
                    }
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
                    name: emoji.into(),
                    span,
                    value_span: None,
                    value: None,
                    date: matches!(kind, TagKind::Due | TagKind::Scheduled)
                        .then(|| DateValue::Invalid("no date given".to_owned())),
                },
            },
            Parts::Field { emoji, kind, value } => {
                let vr = abs(value);
                let span = span.start..span.start + whole.trim_end().len();
                text_tag(src, kind, Syntax::Emoji, emoji, span, vr)
            }
            Parts::Priority { emoji } => Tag {
                kind: TagKind::Priority,
                syntax: Syntax::Emoji,
                name: emoji.into(),
                span,
                value_span: None,
                value: None,
                date: None,
            },
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
    let value = CompactString::from(&src[value_span.clone()]);
    Tag {
        kind,
        syntax,
        name: name.into(),
        date: Some(parse_value(&value, note_date, relative_ok)),
        span,
        value_span: Some(value_span),
        value: Some(value),
    }
}

/// Obsidian Tasks' priorities. No priority is "normal", between medium and low.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// `🔺`, `[priority:: highest]`.
    Highest,
    /// `⏫`, `[priority:: high]`.
    High,
    /// `🔼`, `[priority:: medium]`.
    Medium,
    /// `🔽`, `[priority:: low]`.
    Low,
    /// `⏬`, `[priority:: lowest]`.
    Lowest,
}

impl Priority {
    /// The order items sort in: highest first, no priority between medium and low.
    pub fn rank(p: Option<Priority>) -> u8 {
        match p {
            Some(Priority::Highest) => 0,
            Some(Priority::High) => 1,
            Some(Priority::Medium) => 2,
            None => 3,
            Some(Priority::Low) => 4,
            Some(Priority::Lowest) => 5,
        }
    }

    /// The lowercase name (`high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Highest => "highest",
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
            Priority::Lowest => "lowest",
        }
    }

    /// The priority a tag gives: its emoji, or a Dataview value (`high`).
    pub fn of(tag: &Tag) -> Option<Priority> {
        if tag.kind != TagKind::Priority {
            return None;
        }
        if tag.syntax == Syntax::Emoji {
            let c = tag.name.chars().next()?;
            return PRIORITY_EMOJI
                .iter()
                .find(|(e, _)| *e == c)
                .map(|(_, p)| *p);
        }
        let v = tag.value.as_deref()?.to_ascii_lowercase();
        PRIORITY_EMOJI
            .iter()
            .map(|(_, p)| *p)
            .find(|p| p.as_str() == v)
    }
}

/// The Obsidian Tasks fields of one item, beyond the dates the agenda shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TaskFields {
    /// `🛫 DATE`, `[start:: DATE]`, `@start(DATE)`.
    #[serde(with = "crate::notes::dates::days::option")]
    pub start: Option<NaiveDate>,
    /// `➕ DATE`, `[created:: DATE]`.
    #[serde(with = "crate::notes::dates::days::option")]
    pub created: Option<NaiveDate>,
    /// `❌ DATE`, `[cancelled:: DATE]`, `@cancelled(DATE)`.
    #[serde(with = "crate::notes::dates::days::option")]
    pub cancelled: Option<NaiveDate>,
    /// `🔺⏫🔼🔽⏬`, `[priority:: high]`.
    pub priority: Option<Priority>,
    /// The recurrence rule as written: `every week` (`🔁`, `[repeat::]`), `2w` (`@every`).
    pub recurrence: Option<String>,
    /// `🆔 abc123`.
    pub id: Option<String>,
    /// `⛔ abc123,def456`: the ids it waits for.
    pub depends_on: Vec<String>,
    /// `🏁 delete` / `keep`.
    pub on_completion: Option<String>,
}

/// The fields the tags give; the first of each kind counts, as for due dates.
pub fn fields(tags: &[Tag]) -> TaskFields {
    let first_date = |k: TagKind| tags.iter().filter(|t| t.kind == k).find_map(Tag::resolved);
    let first_value = |k: TagKind| {
        tags.iter()
            .filter(|t| t.kind == k)
            .find_map(|t| t.value.as_deref())
    };
    TaskFields {
        start: first_date(TagKind::Start),
        created: first_date(TagKind::Created),
        cancelled: first_date(TagKind::Cancelled),
        priority: tags.iter().find_map(Priority::of),
        recurrence: first_value(TagKind::Recurrence).map(str::to_owned),
        id: first_value(TagKind::Id).map(str::to_owned),
        depends_on: first_value(TagKind::DependsOn)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        on_completion: first_value(TagKind::OnCompletion).map(|v| v.to_ascii_lowercase()),
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
            kinds("[due:: 2026-11-26] [completion:: 2026-11-17] [priority:: high] [owner:: Dana]"),
            vec![
                (TagKind::Due, Some("2026-11-26".into())),
                (TagKind::Done, Some("2026-11-17".into())),
                (TagKind::Priority, None),
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
                r"\[[ \t]*[A-Za-z]+::[^\]\n]*\]",
                r"|\([ \t]*[A-Za-z]+::[^()\n]*\)",
                r"|@(?i:due|scheduled|done|cancelled|start)(?::?[ \t]+|:)[0-9]{4}-[0-9]{2}-[0-9]{2}",
                r"|@[\p{Alphabetic}\p{N}_][\p{Alphabetic}\p{N}_-]*(?:\([^()\n]*\))?",
                r"|(?i:due|done):[^\s:][^\s]*",
                r"|(?:📅|📆|🗓|⏳|⌛|✅|❌|🛫|➕)\x{FE0F}?(?:[ \t]*[0-9][^\s]*)?",
                r"|[⏫🔼🔽🔺⏬]\x{FE0F}?",
                r"|🔁\x{FE0F}?[A-Za-z0-9, !]*",
                r"|🏁\x{FE0F}?(?: *[A-Za-z]+)?",
                r"|🆔\x{FE0F}?(?: *[A-Za-z0-9_-]+)?",
                r"|⛔\x{FE0F}?(?: *[A-Za-z0-9_-]+(?: *, *[A-Za-z0-9_-]+)*)?",
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
            "🔁 every week #tag ⛔ a1, b_2 ,c ,  🆔 x-1 🏁 delete ( due:: 2021-08-22 ) [ due:: 1 ]",
            "@due 2026-12-05 @Due: 2026-12-05 @due:2026-12-0 @due2026-12-05 @start\t2026-01-01",
        ] {
            let want: Vec<_> = re.find_iter(hay).map(|m| m.range()).collect();
            assert_eq!(matches(hay).collect::<Vec<_>>(), want, "{hay:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn matches_agrees_with_the_regex(
            hay in r"(@|\[|\]|::|:|\(|\)|,|!|#|due|DoNe|start|d|[a-z0-9]|é|ⅷ|٣|\u{0301}|-|_| |\t|\n|📅|✅|⏳|🔁|⏫|🔼|🏁|🆔|⛔|\u{FE0F}|2026-11-2[0-9]){0,24}"
        ) {
            let want: Vec<_> = oracle().find_iter(&hay).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(matches(&hay).collect::<Vec<_>>(), want);
        }
    }
}
