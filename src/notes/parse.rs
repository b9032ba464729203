//! Markdown -> commitments. One pulldown-cmark pass per note; every position is a
//! byte offset into the note, turned into line and column once per commitment.

use std::ops::Range;

use chrono::NaiveDate;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag as MdTag, TagEnd};

use crate::fs::source::LineCursor;
use chrono::Datelike;

use crate::notes::dates::{find_date, leading_date, parse_value_in, DateOrder, DateValue, Found};
use crate::notes::frontmatter;
use crate::notes::model::{
    slug, Checkbox, Commitment, DateSource, Marker, Note, Problem, ProblemKind, Status,
};
use crate::notes::status::{StatusRegistry, StatusType};
use crate::notes::tags::{self, Tag, TagKind};
use crate::notes::{comments, filter};

/// How the reader reads a note: which list items are commitments (`[markers]` in the
/// configuration: `*` bullets and task items by default), how numeric dates read
/// (`[dates] order`), and the day a date without a year is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Markers {
    /// `*` bullets mark commitments.
    pub star: bool,
    /// Task-list items (`- [ ]`) are commitments.
    pub tasks: bool,
    /// `-` and `+` bullets are commitments too (`dash-bullets`).
    pub dash: bool,
    /// Ordered items (`1.`) are commitments too (`ordered-items`).
    pub ordered: bool,
    /// How numeric dates such as `12/4` read; `None`: ambiguous ones are reported.
    pub date_order: Option<DateOrder>,
    /// Today (`--today`): a note date without a year is the latest such day not after
    /// it (nor after the file's modification time).
    pub today: Option<NaiveDate>,
    /// What each checkbox symbol means (`[statuses]`).
    pub statuses: &'static StatusRegistry,
    /// Obsidian Tasks' global filter (`[tasks] global-filter`): when set, only task items
    /// that hold it are commitments.
    pub global_filter: Option<&'static str>,
    /// Leave the global filter out of the displayed text (`remove-global-filter`).
    pub remove_global_filter: bool,
}

impl Default for Markers {
    fn default() -> Self {
        Markers {
            star: true,
            tasks: true,
            dash: false,
            ordered: false,
            date_order: None,
            today: None,
            statuses: StatusRegistry::defaults(),
            global_filter: None,
            remove_global_filter: false,
        }
    }
}

/// Where a note sits, for the facts that come from its path.
#[derive(Debug, Clone, Copy)]
pub struct NoteOrigin<'a> {
    /// Path as shown to the user.
    pub path: &'a str,
    /// The file's own name, for a date in it.
    pub file_name: &'a str,
    /// First folder below the path given on the command line, if any.
    pub folder: Option<&'a str>,
}

/// Parse one note (BOM already removed).
pub fn parse_note(text: &str, origin: NoteOrigin<'_>, markers: Markers) -> Note {
    let split = frontmatter::split(text);
    let mut problems = split.problems;
    // Obsidian `%% comments %%` read as blanks, at the same offsets.
    let masked = comments::mask(text, split.body_start);
    let text: &str = &masked;
    let body = Body::scan(text, split.body_start, markers);
    let reference = markers.today;
    let heading_date = || {
        body.first_heading
            .as_deref()
            .and_then(|h| find_date(h, false, markers.date_order))
            .map(|(f, _)| f)
    };
    let mut year_guessed = false;
    let mut resolve = |found: Found| {
        year_guessed |= matches!(found, Found::Yearless(..));
        found.resolve(reference)
    };

    // Note date: front matter, then the file name, then the first heading.
    let (date, date_source) = if let Some(d) = split.front.date {
        (Some(d), Some(DateSource::FrontMatter))
    } else if let Some(found) = date_in_name(origin.file_name, markers.date_order) {
        // A yearless `11-18` takes its year from a year folder (`2026/11/...`), else
        // from a full date in the first heading or a section, else the latest such day.
        let year = year_folder(origin.path).or_else(|| {
            heading_date()
                .iter()
                .chain(body.sections.iter().filter_map(|s| s.date.as_ref()))
                .find_map(|f| match f {
                    Found::Full(d) => Some(d.year()),
                    Found::Yearless(..) => None,
                })
        });
        let d = match (found, year) {
            (Found::Yearless(..), Some(y)) => found.in_year(y),
            _ => resolve(found),
        };
        (d, d.map(|_| DateSource::FileName))
    } else if let Some(d) = heading_date().and_then(&mut resolve) {
        (Some(d), Some(DateSource::Heading))
    } else {
        (None, None)
    };
    let section_dates: Vec<Option<NaiveDate>> = body
        .sections
        .iter()
        .map(|s| match s.date {
            Some(Found::Yearless(m, d)) => match date {
                // A running log's sections share the note's year when it has one.
                Some(nd) => NaiveDate::from_ymd_opt(nd.year(), m, d),
                None => resolve(Found::Yearless(m, d)),
            },
            Some(f) => resolve(f),
            None => None,
        })
        .collect();

    // The slug comes from `customer:` or the folder, so that a profile's display `name`
    // never moves it away from its notes; a profile's `name` then names the customer.
    let profile_name = split.front.profile.as_ref().and_then(|p| p.name.clone());
    if let (Some(name), Some(folder), None) = (&profile_name, origin.folder, &split.front.customer)
    {
        // `name:` is a display name and may be longer or shorter (`Acme Corporation` in
        // `acme-corp/`); one that shares not even its first word names someone else.
        let first_word = |s: &str| slug(s).split('-').next().map(str::to_owned);
        if first_word(name) != first_word(folder) {
            problems.push(Problem {
                kind: ProblemKind::BadProfile,
                span: frontmatter::key_span(text, "name"),
                message: format!(
                    "this profile is in the folder `{folder}` but says `name: {name}`: the \
                     folder's notes are filed as `{folder}` and shown as `{name}`; if they \
                     are not one customer, move the profile or rename the folder"
                ),
            });
        }
    }
    let label = split
        .front
        .customer
        .clone()
        .or_else(|| origin.folder.map(str::to_owned))
        .or_else(|| profile_name.clone())
        .filter(|l| !slug(l).is_empty());
    let customer = label.as_deref().map(slug);
    let label = label.map(|l| profile_name.unwrap_or(l));

    for stray in body.stray {
        problems.push(Problem {
            kind: ProblemKind::StrayDate,
            span: stray.tag.span.clone(),
            message: format!(
                "`{}` is on {}, which is not a commitment: followup does not see this promise",
                &text[stray.tag.span.clone()],
                stray.on
            ),
        });
    }
    // Items come in source order: lines are counted forward from one to the next, only
    // as far as the last commitment (no index of every line).
    let mut lines = LineCursor::default();
    let commitments = body
        .items
        .into_iter()
        .map(|item| {
            let section = item.section.and_then(|i| section_dates[i]);
            let at = lines.line_col(text, item.start);
            item.finish(text, at, section, date, &mut problems)
        })
        .collect();
    problems.sort_by_key(|p| p.span.start);

    Note {
        path: origin.path.to_owned(),
        customer,
        customer_label: label,
        date,
        date_source,
        section_dates: section_dates.into_iter().flatten().collect(),
        year_guessed,
        front: split.front,
        commitments,
        problems,
        directive_html: body.directive_html,
    }
}

/// A daily-note year folder in a path (`2026/11/2026-11-18.md` -> 2026).
fn year_folder(path: &str) -> Option<i32> {
    let mut folders: Vec<&str> = path.split('/').collect();
    folders.pop();
    folders.iter().rev().find_map(|f| {
        (f.len() == 4
            && f.bytes().all(|b| b.is_ascii_digit())
            && (f.starts_with("19") || f.starts_with("20")))
        .then(|| f.parse().ok())
        .flatten()
    })
}

/// A date in a file name (its extension left out): see [`find_date`].
fn date_in_name(name: &str, order: Option<DateOrder>) -> Option<Found> {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    find_date(stem, true, order).map(|(f, _)| f)
}

/// The first date in a file name that is a real day with its year: `YYYY-MM-DD`,
/// `YYYYMMDD`, `YYYY_MM_DD`, `Nov 18 2026`...
pub fn date_in_file_name(name: &str) -> Option<NaiveDate> {
    match find_date(name, true, None)? {
        (Found::Full(d), _) => Some(d),
        _ => None,
    }
}

/// Everything one pass over the markdown body collects; the items' text pieces borrow
/// from the note.
struct Body<'a> {
    items: Vec<RawItem<'a>>,
    /// The text of the first heading (its date is looked for only when needed).
    first_heading: Option<String>,
    /// Headings that open a dated section, and the date they open with.
    sections: Vec<SectionHeading>,
    /// Due and scheduled tags outside commitments.
    stray: Vec<Stray>,
    directive_html: Vec<Range<usize>>,
}

/// A heading that starts with a date.
struct SectionHeading {
    date: Option<Found>,
}

/// A due or scheduled tag where followup reads no commitment.
struct Stray {
    tag: Tag,
    /// What it is on, for the message: "a `-` bullet", "a heading"...
    on: &'static str,
}

/// Where text outside commitments sits, for [`Stray`] tags.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outside {
    Heading,
    Paragraph,
    Item(Marker),
}

impl Outside {
    fn describe(self) -> &'static str {
        match self {
            Outside::Heading => "a heading",
            Outside::Paragraph => "a plain paragraph",
            Outside::Item(Marker::Dash) => "a `-` bullet",
            Outside::Item(Marker::Plus) => "a `+` bullet",
            Outside::Item(Marker::Ordered) => "an ordered item",
            Outside::Item(Marker::Star) => "a quoted `*` bullet",
        }
    }
}

/// Whether `s` may hold a due or scheduled tag: a cheap look before the tag scanner
/// runs on text that is not a commitment (most of a note). Every such tag is `@due`,
/// `@scheduled`, `[due::`, `[scheduled::`, `due:` (any case) or one of the emoji.
fn may_hold_date_tag(s: &[u8]) -> bool {
    let word_at = |i: usize, w: &[u8]| {
        s.get(i..i + w.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(w))
    };
    let emoji = |i: usize| {
        [
            "\u{1F4C5}",
            "\u{1F4C6}",
            "\u{1F5D3}",
            "\u{23F3}",
            "\u{231B}",
        ]
        .iter()
        .any(|e| s[i..].starts_with(e.as_bytes()))
    };
    memchr::memchr3_iter(b'@', b'[', b':', s).any(|i| match s[i] {
        b':' => i >= 3 && word_at(i - 3, b"due"),
        _ => word_at(i + 1, b"due") || word_at(i + 1, b"scheduled"),
    }) || memchr::memchr2_iter(0xF0, 0xE2, s).any(emoji)
}

/// A piece of an item's own text.
struct Piece<'a> {
    range: Range<usize>,
    kind: PieceKind<'a>,
    struck: bool,
}

enum PieceKind<'a> {
    /// Markdown text; `Some` when it differs from the source (escapes, entities): the
    /// parser's own string, kept as it gives it (short ones are inline, no allocation).
    Text(Option<CowStr<'a>>),
    /// An inline code span: shown, never scanned for tags.
    Code,
    /// A line break inside the paragraph.
    Break,
}

#[derive(PartialEq)]
enum Collect {
    /// Nothing of the item's text seen yet.
    Fresh,
    /// Inside the item's first paragraph.
    On,
    /// The first paragraph is over (nested lists and later blocks are not its text).
    Over,
}

/// A list item while the parser is inside it.
struct RawItem<'a> {
    start: usize,
    /// The dated section it is in (an index into [`Body::sections`]).
    section: Option<usize>,
    marker: Marker,
    in_quote: bool,
    /// The checkbox's symbol and range.
    checkbox: Option<(char, Range<usize>)>,
    /// Known at its start not to be a commitment (see [`RawItem::may_commit`]): its text
    /// is only looked at for stray tags, as it comes, and no pieces are kept.
    plain: bool,
    pieces: Vec<Piece<'a>>,
    collect: Collect,
    markers: Markers,
}

/// Where [`push_piece`] put a piece.
enum Taken {
    /// Into the innermost open item's pieces.
    Kept,
    /// Nowhere: it is the first paragraph of an item that is not a commitment, and it
    /// goes to the stray-tag look as text on such an item (`None` inside a quote).
    Plain(Option<Outside>),
    /// No open item is reading its first paragraph.
    No,
}

impl<'a> Body<'a> {
    fn scan(text: &'a str, body_start: usize, markers: Markers) -> Body<'a> {
        let body = &text[body_start..];
        let mut open: Vec<RawItem<'a>> = Vec::new();
        let mut done: Vec<RawItem<'a>> = Vec::new();
        let mut quote_depth = 0usize;
        let mut strike_depth = 0usize;
        let order = markers.date_order;
        // The heading being read: its level and text.
        let mut heading: Option<(HeadingLevel, String)> = None;
        let mut first_heading: Option<String> = None;
        let mut sections: Vec<SectionHeading> = Vec::new();
        // Open dated sections: the heading level and the section's index.
        let mut section_stack: Vec<(HeadingLevel, usize)> = Vec::new();
        // Text outside commitments, each stretch looked at for stray tags by itself (a
        // look at the whole body first cost more than it saved: most notes hold tags).
        let mut outside: Vec<(Range<usize>, Outside)> = Vec::new();
        let mut code_depth = 0usize;
        let mut table_depth = 0usize;
        let mut directive_html = Vec::new();
        // Only HTML the parser saw as HTML: a comment inside code is text, not a directive.
        let mut html = |range: Range<usize>| {
            if memchr::memmem::find(text[range.clone()].as_bytes(), b"followup-").is_some() {
                directive_html.push(range);
            }
        };

        for (event, r) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
            let range = body_start + r.start..body_start + r.end;
            match event {
                Event::Start(MdTag::Item) => {
                    stop_collecting(&mut open);
                    let start = item_start(text, range);
                    let mut item = RawItem::new(text, start, quote_depth > 0, markers);
                    item.section = section_stack.last().map(|&(_, i)| i);
                    open.push(item);
                }
                Event::End(TagEnd::Item) => {
                    if let Some(item) = open.pop() {
                        if item.plain {
                            // Its text went to the stray-tag look as it came.
                        } else if item.is_commitment(text) {
                            done.push(item);
                        } else if !item.in_quote {
                            let on = Outside::Item(item.marker);
                            for p in &item.pieces {
                                if matches!(p.kind, PieceKind::Text(_)) {
                                    push_outside(&mut outside, text, p.range.clone(), on);
                                }
                            }
                        }
                    }
                }
                Event::Start(MdTag::Paragraph) => {
                    if let Some(item) = open.last_mut() {
                        if item.collect == Collect::Fresh {
                            item.collect = Collect::On;
                        }
                    }
                }
                Event::End(TagEnd::Paragraph) => stop_collecting(&mut open),
                Event::Start(MdTag::BlockQuote(_)) => {
                    stop_collecting(&mut open);
                    quote_depth += 1;
                }
                Event::End(TagEnd::BlockQuote(_)) => quote_depth -= 1,
                Event::Start(MdTag::Heading { level, .. }) => {
                    stop_collecting(&mut open);
                    while section_stack.last().is_some_and(|&(l, _)| l >= level) {
                        section_stack.pop();
                    }
                    heading = Some((level, String::new()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, h)) = heading.take() {
                        if let Some(date) = leading_date(&h, order) {
                            section_stack.push((level, sections.len()));
                            sections.push(SectionHeading { date: Some(date) });
                        }
                        if first_heading.is_none() {
                            first_heading = Some(h);
                        }
                    }
                }
                Event::Start(MdTag::Strikethrough) => strike_depth += 1,
                Event::End(TagEnd::Strikethrough) => strike_depth = strike_depth.saturating_sub(1),
                Event::Start(MdTag::HtmlBlock) => {
                    stop_collecting(&mut open);
                    html(range);
                }
                Event::InlineHtml(_) => html(range),
                Event::Start(MdTag::CodeBlock(_)) => {
                    stop_collecting(&mut open);
                    code_depth += 1;
                }
                Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
                Event::Start(MdTag::Table(_)) => {
                    stop_collecting(&mut open);
                    table_depth += 1;
                }
                Event::End(TagEnd::Table) => table_depth = table_depth.saturating_sub(1),
                Event::Start(
                    MdTag::List(_)
                    | MdTag::FootnoteDefinition(_)
                    | MdTag::DefinitionList
                    | MdTag::MetadataBlock(_),
                )
                | Event::Rule => stop_collecting(&mut open),
                Event::TaskListMarker(checked) => {
                    if let Some(item) = open.last_mut() {
                        let symbol = text[range.clone()]
                            .chars()
                            .nth(1)
                            .filter(|c| !c.is_whitespace() || !checked)
                            .unwrap_or(if checked { 'x' } else { ' ' });
                        item.checkbox.get_or_insert((symbol, range));
                    }
                }
                Event::Text(t) => {
                    if let Some((_, h)) = heading.as_mut() {
                        h.push_str(&t);
                    }
                    let own = (*t != text[range.clone()]).then_some(t);
                    let taken =
                        push_piece(&mut open, range.clone(), PieceKind::Text(own), strike_depth);
                    let on = match taken {
                        Taken::Kept | Taken::Plain(None) => None,
                        Taken::Plain(on) => on,
                        Taken::No if quote_depth == 0 && code_depth == 0 && table_depth == 0 => {
                            Some(if heading.is_some() {
                                Outside::Heading
                            } else {
                                Outside::Paragraph
                            })
                        }
                        Taken::No => None,
                    };
                    if let Some(on) = on {
                        push_outside(&mut outside, text, range, on);
                    }
                }
                Event::Code(c) => {
                    if let Some((_, h)) = heading.as_mut() {
                        h.push_str(&c);
                    }
                    push_piece(&mut open, range, PieceKind::Code, strike_depth);
                }
                Event::SoftBreak | Event::HardBreak => {
                    push_piece(&mut open, range, PieceKind::Break, strike_depth);
                }
                _ => {}
            }
        }
        // An unclosed structure at end of input still ends its items.
        done.extend(open.into_iter().filter(|i| i.is_commitment(text)));
        done.sort_by_key(|i| i.start);
        Body {
            items: done,
            first_heading,
            sections,
            stray: stray_tags(text, outside),
            directive_html,
        }
    }
}

/// Record a piece of text outside commitments when it may hold a date tag (most prose
/// does not, and is dropped here), widened by a bracket on either side so that a
/// Dataview tag the parser split at its `[` is seen whole. Adjacent pieces join into
/// one stretch, scanned as one, as commitments' are.
fn push_outside(
    outside: &mut Vec<(Range<usize>, Outside)>,
    text: &str,
    mut r: Range<usize>,
    on: Outside,
) {
    if !may_hold_date_tag(&text.as_bytes()[r.clone()]) {
        return;
    }
    if r.start > 0 && text.as_bytes()[r.start - 1] == b'[' {
        r.start -= 1;
    }
    if let Some(close) = memchr::memchr2(b']', b'\n', &text.as_bytes()[r.end..]) {
        if text.as_bytes()[r.end + close] == b']' {
            r.end += close + 1;
        }
    }
    match outside.last_mut() {
        // Only a stretch that goes on from the last one joins it: an item that is not a
        // commitment but was a candidate hands its text on when it ends, after its
        // nested items'.
        Some((last, last_on)) if *last_on == on && (last.start..=last.end).contains(&r.start) => {
            last.end = last.end.max(r.end)
        }
        _ => outside.push((r, on)),
    }
}

/// The due and scheduled tags in text outside commitments.
fn stray_tags(text: &str, runs: Vec<(Range<usize>, Outside)>) -> Vec<Stray> {
    let mut out = Vec::new();
    let mut tags = Vec::new();
    for (r, on) in runs {
        tags.clear();
        tags::scan(text, r, None, &mut tags);
        out.extend(
            tags.drain(..)
                .filter(|t| matches!(t.kind, TagKind::Due | TagKind::Scheduled))
                .map(|tag| Stray {
                    tag,
                    on: on.describe(),
                }),
        );
    }
    out
}

fn stop_collecting(open: &mut [RawItem]) {
    // Also when the item is still fresh: a block that opens an item (`* ```code`)
    // means it has no first paragraph.
    if let Some(item) = open.last_mut() {
        item.collect = Collect::Over;
    }
}

/// Give a piece to the innermost open item, if it is reading its first paragraph.
fn push_piece<'a>(
    open: &mut [RawItem<'a>],
    range: Range<usize>,
    kind: PieceKind<'a>,
    strike_depth: usize,
) -> Taken {
    if let Some(item) = open.last_mut() {
        if item.collect == Collect::Fresh {
            // Tight list items have no Paragraph event: text starts the first paragraph.
            item.collect = Collect::On;
        }
        if item.collect == Collect::On {
            if item.plain {
                return Taken::Plain((!item.in_quote).then_some(Outside::Item(item.marker)));
            }
            item.pieces.push(Piece {
                range,
                kind,
                struck: strike_depth > 0,
            });
            return Taken::Kept;
        }
    }
    Taken::No
}

/// The checkbox of the item whose bullet (`*`, `-`, `+`, `1.`, `1)`) is at `start`, read
/// from the source right after the bullet, the one place a checkbox can be: whether one
/// may be there at all (a `[` after the bullet on its line: pulldown-cmark reads its
/// `[ ]`, `[x]` and `[X]` nowhere else), and the box when it is one pulldown-cmark does
/// not know (`[-]`, `[/]`, `[>]`: any one character, as Obsidian Tasks reads them).
/// By hand: this runs for every list item, and a regex here cost more than the rest of
/// the item.
fn status_box(text: &str, start: usize) -> (bool, Option<(char, Range<usize>)>) {
    let bytes = &text.as_bytes()[start..];
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let after_bullet = match bytes.get(digits) {
        Some(b'*' | b'-' | b'+') if digits == 0 => 1,
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        // Not a bullet this reads: a box cannot be ruled out.
        _ => return (true, None),
    };
    let gap = bytes[after_bullet..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let at = after_bullet + gap;
    if bytes.get(at) != Some(&b'[') {
        return (false, None);
    }
    if gap == 0 {
        return (true, None);
    }
    let Some(symbol) = text[start + at + 1..].chars().next() else {
        return (true, None);
    };
    let close = at + 1 + symbol.len_utf8();
    let pulldown = matches!(symbol, ' ' | 'x' | 'X');
    let boxed = !pulldown && !matches!(symbol, '\n' | '\r' | '\t' | ']' | '[');
    let ends = bytes.get(close) == Some(&b']')
        && matches!(
            bytes.get(close + 1),
            None | Some(b' ' | b'\t' | b'\n' | b'\r')
        );
    (
        true,
        (boxed && ends).then(|| (symbol, start + at..start + close + 1)),
    )
}

/// Where the item whose event covers `range` starts: pulldown-cmark starts a
/// tab-indented item (Obsidian indents with tabs) at the line break before it; the item
/// is where its marker is.
fn item_start(text: &str, range: Range<usize>) -> usize {
    range.start
        + text.as_bytes()[range]
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r' | b' ' | b'\t'))
            .count()
}

/// The markdown extensions notes are read with.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_STRIKETHROUGH);

impl<'a> RawItem<'a> {
    fn new(text: &str, start: usize, in_quote: bool, markers: Markers) -> RawItem<'a> {
        let marker = match text.as_bytes().get(start) {
            Some(b'*') => Marker::Star,
            Some(b'-') => Marker::Dash,
            Some(b'+') => Marker::Plus,
            _ => Marker::Ordered,
        };
        let (boxed, checkbox) = status_box(text, start);
        let mut item = RawItem {
            start,
            section: None,
            marker,
            in_quote,
            checkbox,
            plain: false,
            pieces: Vec::new(),
            collect: Collect::Fresh,
            markers,
        };
        item.plain = !item.may_commit(boxed);
        item
    }

    /// Whether the item can turn out a commitment, known at its start: a task item
    /// needs a box (`boxed`: a `[` right after the bullet, where pulldown-cmark reads
    /// `[ ]`, `[x]` and `[X]` too), other items a marker that counts outside quotes.
    /// Most `-` bullets are notes, not promises: deciding here spares collecting their
    /// text.
    fn may_commit(&self, boxed: bool) -> bool {
        (self.markers.tasks && boxed) || self.marker_counts()
    }

    /// Whether the bullet alone makes the item a commitment (`[markers]`): `*` by
    /// default, `-`, `+` and `1.` when asked; never inside a block quote, where a
    /// bullet is quoted text (an email), not our promise.
    fn marker_counts(&self) -> bool {
        !self.in_quote
            && match self.marker {
                Marker::Star => self.markers.star,
                Marker::Dash | Marker::Plus => self.markers.dash,
                Marker::Ordered => self.markers.ordered,
            }
    }

    fn is_commitment(&self, text: &str) -> bool {
        if let Some((symbol, _)) = &self.checkbox {
            if self.markers.statuses.kind(*symbol) == StatusType::NonTask {
                return false;
            }
            if let Some(filter) = self.markers.global_filter {
                if !self
                    .pieces
                    .iter()
                    .any(|p| filter::holds(&text[p.range.clone()], filter))
                {
                    return false;
                }
            }
        }
        (self.markers.tasks && self.checkbox.is_some()) || self.marker_counts()
    }

    /// The commitment this item is. Relative dates resolve against `section_date` (a
    /// dated heading above it) or else the note's date. Lines that CommonMark joins to
    /// the item but that look like their own item are reported into `problems`.
    fn finish(
        self,
        text: &str,
        (line, column): (usize, usize),
        section_date: Option<NaiveDate>,
        note_date: Option<NaiveDate>,
        problems: &mut Vec<Problem>,
    ) -> Commitment {
        let note_date = section_date.or(note_date);
        let box_span = self.checkbox.as_ref().map(|(_, r)| r.clone());
        // Tags: scan runs of adjacent text pieces as one stretch of source, so a tag that
        // pulldown-cmark split into several text events (`[due:: x]`) is still seen whole.
        let mut tags: Vec<Tag> = Vec::new();
        let mut run: Option<Range<usize>> = None;
        for p in &self.pieces {
            let is_text = matches!(p.kind, PieceKind::Text(_));
            match (&mut run, is_text) {
                (Some(r), true) if r.end == p.range.start => r.end = p.range.end,
                (_, true) => {
                    if let Some(r) = run.take() {
                        tags::scan(text, r, note_date, &mut tags);
                    }
                    run = Some(p.range.clone());
                }
                (_, false) => {
                    if let Some(r) = run.take() {
                        tags::scan(text, r, note_date, &mut tags);
                    }
                }
            }
        }
        if let Some(r) = run {
            tags::scan(text, r, note_date, &mut tags);
        }
        if let Some(b) = &box_span {
            tags.retain(|t| t.span.end <= b.start || t.span.start >= b.end);
        }
        // `12/4` reads two ways; with a `[dates] order` it reads one.
        if let Some(order) = self.markers.date_order {
            for t in &mut tags {
                if let (Some(DateValue::Ambiguous(_)), Some(v)) = (&t.date, &t.value) {
                    t.date = Some(parse_value_in(v, note_date, true, Some(order)));
                }
            }
        }
        self.lazy_lines(text, line, &tags, problems);

        // Display text: the pieces minus tags (known ones, signifiers and the count of
        // moves `snooze` keeps, `@moved(N)`) and checkbox.
        let mut hidden: Vec<Range<usize>> = tags
            .iter()
            .filter(|t| t.kind != TagKind::Unknown || t.name.eq_ignore_ascii_case("moved"))
            .map(|t| t.span.clone())
            .chain(box_span.clone())
            .collect();
        if let (Some(f), true) = (
            self.markers.global_filter,
            self.markers.remove_global_filter,
        ) {
            for p in &self.pieces {
                if matches!(p.kind, PieceKind::Text(None)) {
                    let words = filter::words(text, p.range.clone(), f);
                    hidden.extend(words.into_iter().filter(|w| {
                        !tags
                            .iter()
                            .any(|t| t.span.start < w.end && w.start < t.span.end)
                    }));
                }
            }
        }
        // Sorted and disjoint, so each piece finds its cuts by binary search: a 1 MB line
        // of tags has ~10^5 pieces and ~10^4 tags, and a scan per piece was quadratic.
        hidden.sort_by_key(|h| h.start);
        // Pieces are appended in place (an owned string per piece was a tenth of the
        // parse), then spaces are collapsed in one more pass.
        let mut raw = String::new();
        // Struck through when every visible piece is inside `~~...~~`.
        let (mut any_struck, mut any_plain) = (false, false);
        for p in &self.pieces {
            let from = raw.len();
            match &p.kind {
                PieceKind::Break => raw.push(' '),
                PieceKind::Code => raw.push_str(&text[p.range.clone()]),
                PieceKind::Text(None) => push_without(&mut raw, text, p.range.clone(), &hidden),
                PieceKind::Text(Some(own)) => {
                    let inside = cuts(&hidden, &p.range)
                        .any(|h| h.start <= p.range.start && p.range.end <= h.end);
                    if !inside {
                        raw.push_str(own)
                    }
                }
            }
            if !raw[from..].trim().is_empty() {
                if p.struck {
                    any_struck = true
                } else {
                    any_plain = true
                }
            }
        }
        let struck = any_struck && !any_plain;
        let mut display = String::with_capacity(raw.len());
        for word in raw.split_whitespace() {
            if !display.is_empty() {
                display.push(' ');
            }
            display.push_str(word);
        }
        // A trailing block link (`^e5bebf`) is Obsidian's anchor, not the text.
        if let Some((rest, last)) = display.rsplit_once(' ') {
            if is_block_link(last) {
                display.truncate(rest.len());
            }
        }

        let first = |k: TagKind| tags.iter().filter(|t| t.kind == k).find_map(Tag::resolved);
        let has = |k: TagKind| tags.iter().any(|t| t.kind == k);
        let symbol = self.checkbox.as_ref().map(|(c, _)| *c);
        // A task item's checkbox decides its status, as in Obsidian Tasks (a done tag on
        // an open box is `status-mismatch`); other items go by their tags.
        let status_type = match symbol {
            Some(s) => self.markers.statuses.kind(s),
            None if has(TagKind::Cancelled) => StatusType::Cancelled,
            None if has(TagKind::Done) || struck => StatusType::Done,
            None => StatusType::Todo,
        };
        let (status, checkbox) = match status_type {
            StatusType::Cancelled => (Status::Cancelled, Checkbox::Cancelled),
            StatusType::Done | StatusType::NonTask => (Status::Done, Checkbox::Checked),
            StatusType::Todo | StatusType::InProgress => (Status::Open, Checkbox::Open),
        };
        let checkbox = symbol.map(|_| checkbox);
        let waiting = tags
            .iter()
            .find(|t| t.kind == TagKind::Waiting)
            .map(|t| t.value.as_deref().unwrap_or_default().to_owned());
        let marker_len = text[self.start..]
            .find(|c: char| c.is_whitespace())
            .unwrap_or(text.len() - self.start);
        Commitment {
            line,
            column,
            bullet: self.start..box_span.as_ref().map_or(self.start + marker_len, |b| b.end),
            marker: self.marker,
            checkbox,
            checkbox_span: box_span,
            text: display,
            struck,
            status,
            due: first(TagKind::Due),
            scheduled: first(TagKind::Scheduled),
            done: first(TagKind::Done),
            waiting,
            fields: tags::fields(&tags),
            tags,
            section_date,
            symbol,
            status_type,
        }
    }

    /// Lines of the item's first paragraph that start left of its text (a "lazy
    /// continuation", which CommonMark joins to the item) and carry a tag or a task
    /// marker of their own: the person meant a new item. `item_line` is the item's line.
    fn lazy_lines(&self, text: &str, item_line: usize, tags: &[Tag], out: &mut Vec<Problem>) {
        let line_start = |at: usize| text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let indent = |from: usize| {
            text[from..]
                .bytes()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count()
        };
        // Lazy: the line starts no further right than the item's own bullet.
        let bullet_indent = self.start - line_start(self.start);
        for p in &self.pieces {
            if !matches!(p.kind, PieceKind::Break) {
                continue;
            }
            let Some(nl) = memchr::memchr(b'\n', &text.as_bytes()[p.range.start..]) else {
                continue;
            };
            let start = p.range.start + nl + 1;
            let end = text[start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |i| start + i);
            let lead = indent(start);
            if lead > bullet_indent || start + lead >= end {
                continue;
            }
            let line = &text[start + lead..end];
            let tagged = tags.iter().find(|t| {
                (start..end).contains(&t.span.start)
                    && !matches!(t.kind, TagKind::Unknown | TagKind::Start | TagKind::Created)
            });
            let upper = line.get(..4).map(str::to_ascii_uppercase);
            let task = ["[ ]", "[x]", "[X]", "[-]"]
                .iter()
                .any(|m| line.starts_with(m))
                || upper.as_deref() == Some("TODO");
            if tagged.is_none() && !task {
                continue;
            }
            let what = match tagged {
                Some(t) => format!("its `{}` counts for that item", &text[t.span.clone()]),
                None => "it is part of that item, and shares its status".to_owned(),
            };
            out.push(Problem {
                kind: ProblemKind::LazyContinuation,
                span: start + lead..end,
                message: format!(
                    "this line continues the commitment on line {item_line} (it is not \
                     indented, so markdown joins it to the item above): {what}"
                ),
            });
        }
    }
}

/// `^abc-123`: an Obsidian block link.
fn is_block_link(word: &str) -> bool {
    word.len() > 1
        && word.starts_with('^')
        && word[1..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The ranges of `hidden` (sorted, disjoint) that overlap `range`.
fn cuts<'a>(
    hidden: &'a [Range<usize>],
    range: &Range<usize>,
) -> impl Iterator<Item = &'a Range<usize>> {
    let first = hidden.partition_point(|h| h.end <= range.start);
    let end = range.end;
    hidden[first..].iter().take_while(move |h| h.start < end)
}

/// Append `text[range]` to `out`, with the parts covered by `hidden` (sorted, disjoint)
/// left out.
fn push_without(out: &mut String, text: &str, range: Range<usize>, hidden: &[Range<usize>]) {
    let mut pos = range.start;
    for h in cuts(hidden, &range) {
        if h.start > pos {
            out.push_str(&text[pos..h.start]);
        }
        pos = pos.max(h.end);
    }
    if pos < range.end {
        out.push_str(&text[pos..range.end]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::dates::parse_iso;
    use crate::notes::tags::Syntax;

    fn note_at(path: &str, folder: Option<&str>, text: &str) -> Note {
        let file_name = path.rsplit('/').next().unwrap();
        let origin = NoteOrigin {
            path,
            file_name,
            folder,
        };
        parse_note(text, origin, Markers::default())
    }

    fn note(text: &str) -> Note {
        note_at("acme/2026-11-16-call.md", Some("acme"), text)
    }

    /// (line, status, due, text) of every commitment.
    fn summary(n: &Note) -> Vec<(usize, &'static str, Option<String>, String)> {
        n.commitments
            .iter()
            .map(|c| {
                (
                    c.line,
                    c.status.as_str(),
                    c.due.map(|d| d.to_string()),
                    c.text.clone(),
                )
            })
            .collect()
    }

    fn d(s: &str) -> Option<NaiveDate> {
        parse_iso(s)
    }

    #[test]
    fn star_bullets_and_task_items_are_commitments_dash_bullets_are_not() {
        let n = note(
            "# Pricing call\n\nDana wants numbers before the board meeting.\n\n\
             - Discussed the Q1 rollout\n\
             * Send the pricing sheet @due(fri)\n\
             - [ ] Book the demo room 📅 2026-11-27\n\
             + Budget is approved\n\
             * [x] Intro email to legal ✅ 2026-11-17\n",
        );
        assert_eq!(
            summary(&n),
            vec![
                (
                    6,
                    "open",
                    Some("2026-11-20".into()),
                    "Send the pricing sheet".into()
                ),
                (
                    7,
                    "open",
                    Some("2026-11-27".into()),
                    "Book the demo room".into()
                ),
                (9, "done", None, "Intro email to legal".into()),
            ]
        );
        assert_eq!(n.commitments[2].done, d("2026-11-17"));
        assert_eq!(n.commitments[0].column, 1);
    }

    #[test]
    fn ordered_task_items_and_cancelled_checkbox() {
        let n = note(
            "## Next steps\n\n1. [ ] Draft the SOW [due:: 2026-11-26]\n2. Talk to finance\n3) [-] Send the old deck\n\
             4. [X] Share the recording\n",
        );
        assert_eq!(
            summary(&n),
            vec![
                (3, "open", Some("2026-11-26".into()), "Draft the SOW".into()),
                (5, "cancelled", None, "Send the old deck".into()),
                (6, "done", None, "Share the recording".into()),
            ]
        );
        assert_eq!(n.commitments[1].checkbox, Some(Checkbox::Cancelled));
    }

    #[test]
    fn nested_items_are_judged_on_their_own_and_text_is_the_first_paragraph() {
        let n = note(
            "* Prepare the renewal proposal @due(+3d)\n  covering both sites\n  - ask Zoë about seat counts\n  \
             * Get the seat count from Zoë due:tomorrow\n    - [x] Ping her on Slack\n",
        );
        assert_eq!(
            summary(&n),
            vec![
                (
                    1,
                    "open",
                    Some("2026-11-19".into()),
                    "Prepare the renewal proposal covering both sites".into()
                ),
                (
                    4,
                    "open",
                    Some("2026-11-17".into()),
                    "Get the seat count from Zoë".into()
                ),
                (5, "done", None, "Ping her on Slack".into()),
            ]
        );
        assert_eq!(n.commitments[1].column, 3);
    }

    #[test]
    fn tab_indented_items_are_on_their_own_line() {
        // pulldown-cmark's range for these starts at the line break before the tab.
        let n = note("- [ ] Parent\n\t- [ ] Child @due(fri)\r\n\n\t* [-] Dropped\n");
        let at: Vec<_> = n
            .commitments
            .iter()
            .map(|c| (c.line, c.column, c.marker, c.status))
            .collect();
        assert_eq!(
            at,
            [
                (1, 1, Marker::Dash, Status::Open),
                (2, 2, Marker::Dash, Status::Open),
                (4, 2, Marker::Star, Status::Cancelled),
            ]
        );
        assert_eq!(
            &"- [ ] Parent\n\t- [ ] Child"[n.commitments[1].bullet.clone()],
            "- [ ]"
        );
    }

    #[test]
    fn loose_lists_keep_the_task_marker() {
        // In loose lists pulldown-cmark puts the task marker inside the paragraph.
        let n = note("* [ ] Send the DPA @due(2026-11-25)\n\n* [x] Countersign the NDA\n\n  It is in DocuSign.\n\n* Call back Łukasz\n");
        assert_eq!(
            summary(&n),
            vec![
                (1, "open", Some("2026-11-25".into()), "Send the DPA".into()),
                (3, "done", None, "Countersign the NDA".into()),
                (7, "open", None, "Call back Łukasz".into()),
            ]
        );
    }

    #[test]
    fn code_blocks_code_spans_and_html_are_never_read() {
        let n = note(
            "```\n* [ ] not a task @due(fri)\n```\n\n    * indented code @due(fri)\n\n\
             <div>\n* [ ] inside html\n</div>\n\n\
             * Check the `@due(fri)` syntax with José <!-- @due(2026-11-30) --> @due(2026-11-24)\n",
        );
        assert_eq!(
            summary(&n),
            vec![(
                11,
                "open",
                Some("2026-11-24".into()),
                "Check the `@due(fri)` syntax with José".into()
            )]
        );
        assert_eq!(n.commitments[0].tags.len(), 1);
    }

    #[test]
    fn block_quotes_hold_task_items_but_not_star_bullets() {
        let n = note(
            "> From Dana's email:\n>\n> * Please send the invoice again\n> - [ ] Confirm the PO number @waiting(Dana)\n\n\
             > [!todo] Callout\n> - [ ] Review the contract 📅 2026-11-24\n",
        );
        assert_eq!(
            summary(&n),
            vec![
                (4, "open", None, "Confirm the PO number".into()),
                (
                    7,
                    "open",
                    Some("2026-11-24".into()),
                    "Review the contract".into()
                ),
            ]
        );
        assert_eq!(n.commitments[0].waiting.as_deref(), Some("Dana"));
    }

    #[test]
    fn tables_are_not_commitments() {
        let n = note("| item | when |\n|---|---|\n| * Renewal | due:2026-12-01 |\n\n* Real one\n");
        assert_eq!(summary(&n), vec![(5, "open", None, "Real one".into())]);
    }

    #[test]
    fn struck_through_is_done_partly_struck_is_not() {
        let n = note("* ~~Re-send the pricing sheet~~\n* ~~Old~~ new plan @due(2026-11-30)\n* ~~Call IT~~ @done(2026-11-18)\n");
        assert_eq!(
            summary(&n),
            vec![
                (1, "done", None, "Re-send the pricing sheet".into()),
                (2, "open", Some("2026-11-30".into()), "Old new plan".into()),
                (3, "done", None, "Call IT".into()),
            ]
        );
        assert!(n.commitments[0].struck && !n.commitments[1].struck);
        assert_eq!(n.commitments[2].done, d("2026-11-18"));
    }

    #[test]
    fn the_checkbox_decides_else_cancelled_beats_done_beats_open() {
        // As in Obsidian Tasks, a task item's checkbox decides its status (a tag that
        // says otherwise is `status-mismatch`); without one, cancelled beats done.
        let n = note("* [x] Ship it @cancelled\n* Send it @done ❌ 2026-11-10\n* [ ] Book it done:2026-11-19\n");
        let st: Vec<_> = n.commitments.iter().map(|c| c.status).collect();
        assert_eq!(st, vec![Status::Done, Status::Cancelled, Status::Open]);
        assert_eq!(n.commitments[2].done, d("2026-11-19"));
    }

    #[test]
    fn every_tag_syntax_and_signifiers_leave_the_display_text() {
        let n = note(
            "- [ ] Weekly check-in 🔁 every week ⏫ 📆 2026-11-27 ⏳ 2026-11-24 🛫 2026-11-20 ➕ 2026-11-16\n\
             * Quote @scheduled(mon) [scheduled:: 2026-11-25] 🗓️ 2026-11-28\n\
             * Invoice [cancelled:: 2026-11-12]\n* Report [completion:: 2026-11-17]\n",
        );
        assert_eq!(n.commitments[0].text, "Weekly check-in");
        assert_eq!(n.commitments[0].due, d("2026-11-27"));
        assert_eq!(n.commitments[0].scheduled, d("2026-11-24"));
        assert_eq!(n.commitments[1].text, "Quote");
        assert_eq!(n.commitments[1].scheduled, d("2026-11-23"));
        assert_eq!(n.commitments[1].due, d("2026-11-28"));
        assert_eq!(n.commitments[2].status, Status::Cancelled);
        assert_eq!(n.commitments[3].status, Status::Done);
        assert_eq!(n.commitments[3].done, d("2026-11-17"));
        let syntaxes: Vec<_> = n.commitments[1].tags.iter().map(|t| t.syntax).collect();
        assert_eq!(syntaxes, vec![Syntax::At, Syntax::Dataview, Syntax::Emoji]);
    }

    #[test]
    fn unknown_tags_and_mentions_stay_in_the_text() {
        let n = note("* Ask @dana about @owner(sam) and mail dana@acme.com @deu(2026-11-26)\n");
        let c = &n.commitments[0];
        assert_eq!(
            c.text,
            "Ask @dana about @owner(sam) and mail dana@acme.com @deu(2026-11-26)"
        );
        assert_eq!(c.due, None);
        let unknown: Vec<_> = c
            .tags
            .iter()
            .filter(|t| t.kind == TagKind::Unknown)
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(unknown, vec!["owner", "deu"]);
    }

    #[test]
    fn note_date_precedence_front_matter_then_file_name_then_heading() {
        let fm = note_at(
            "a/2026-01-01-x.md",
            Some("a"),
            "---\ndate: 2026-11-16\n---\n# Call 2026-10-10\n* A @due(tomorrow)\n",
        );
        assert_eq!(
            (fm.date, fm.date_source),
            (d("2026-11-16"), Some(DateSource::FrontMatter))
        );
        assert_eq!(fm.commitments[0].due, d("2026-11-17"));
        assert_eq!(fm.commitments[0].line, 5);

        let name = note_at(
            "a/call-20261102.md",
            Some("a"),
            "# Call 2026-10-10\n* A @due(fri)\n",
        );
        assert_eq!(
            (name.date, name.date_source),
            (d("2026-11-02"), Some(DateSource::FileName))
        );
        assert_eq!(name.commitments[0].due, d("2026-11-06"));

        let head = note_at(
            "a/globex-call.md",
            Some("a"),
            "Intro\n\n# Call with Globex — 2026-09-14\n\n# Later 2026-10-01\n* A @due(+1w)\n",
        );
        assert_eq!(
            (head.date, head.date_source),
            (d("2026-09-14"), Some(DateSource::Heading))
        );
        assert_eq!(head.commitments[0].due, d("2026-09-21"));

        let none = note_at("a/ideas.md", Some("a"), "# Ideas\n* A @due(fri)\n");
        assert_eq!(none.date, None);
        assert_eq!(none.commitments[0].due, None);
        assert_eq!(
            none.commitments[0].tags[0].date,
            Some(crate::notes::dates::DateValue::Unresolved)
        );
    }

    #[test]
    fn invalid_dates_leave_the_commitment_listed_without_a_due_date() {
        let n = note("* Send the contract @due(2026-02-30)\n* Plan the offsite @due(someday)\n");
        assert_eq!(n.commitments.len(), 2);
        assert!(n
            .commitments
            .iter()
            .all(|c| c.due.is_none() && c.status == Status::Open));
    }

    #[test]
    fn crlf_and_bom_front_matter() {
        // The BOM is removed when the file is read; lines and columns don't count it.
        let text = crate::fs::source::decode(
            b"\xEF\xBB\xBF---\r\ncustomer: Acme Corp\r\ndate: 2026-11-16\r\n---\r\n# Call\r\n\r\n* Send it @due(fri)\r\n  and the deck\r\n- [ ] Book it\r\n".to_vec(),
        )
        .unwrap();
        let n = note_at("x/2026-01-01.md", Some("x"), &text);
        assert_eq!(n.customer.as_deref(), Some("acme-corp"));
        assert_eq!(n.customer_label.as_deref(), Some("Acme Corp"));
        assert_eq!(
            summary(&n),
            vec![
                (
                    7,
                    "open",
                    Some("2026-11-20".into()),
                    "Send it and the deck".into()
                ),
                (9, "open", None, "Book it".into()),
            ]
        );
    }

    #[test]
    fn customer_from_front_matter_or_first_folder() {
        assert_eq!(note_at("n.md", None, "* x\n").customer, None);
        assert_eq!(
            note_at("acme-corp/n.md", Some("acme-corp"), "* x\n")
                .customer
                .as_deref(),
            Some("acme-corp")
        );
        let n = note_at("n.md", None, "---\ncustomer: Initech Inc.\n---\n* x\n");
        assert_eq!(
            (n.customer.as_deref(), n.customer_label.as_deref()),
            (Some("initech-inc"), Some("Initech Inc."))
        );
    }

    #[test]
    fn bad_front_matter_is_a_problem_and_the_body_is_still_read() {
        let n = note("---\ncustomer: \"Acme\ndate: 2026-11-16\n---\n# Call\n* Send the quote @due(2026-11-20)\n");
        assert_eq!(n.problems.len(), 1);
        assert_eq!(
            summary(&n),
            vec![(
                6,
                "open",
                Some("2026-11-20".into()),
                "Send the quote".into()
            )]
        );
    }

    #[test]
    fn emphasis_links_and_escapes_in_text() {
        let n = note(
            "* **Send** the [deck](https://x.test/a) to *José* &amp; team\\! @due(2026-11-24)\n",
        );
        assert_eq!(n.commitments[0].text, "Send the deck to José & team!");
        assert_eq!(n.commitments[0].due, d("2026-11-24"));
    }

    #[test]
    fn unclosed_structures_and_deep_nesting_do_not_panic() {
        let deep: String = (0..300)
            .map(|i| format!("{}* level {i}\n", "  ".repeat(i)))
            .collect();
        let n = note(&deep);
        assert!(!n.commitments.is_empty());
        let n = note("* [ ] a\n```\n* [ ] in an unclosed fence\n");
        assert_eq!(n.commitments.len(), 1);
    }

    #[test]
    fn multibyte_text_near_the_checkbox_window_does_not_panic() {
        // The `[-]` look-ahead reads a window after the bullet; it once cut a char in two.
        for pad in 55..70 {
            let line = format!("* {}— @due(2026-11-24)\n", "x".repeat(pad));
            let n = note(&line);
            assert_eq!(n.commitments.len(), 1, "pad {pad}");
            assert_eq!(n.commitments[0].due, d("2026-11-24"));
        }
    }

    #[test]
    fn a_long_line_of_tags_keeps_only_its_words() {
        // Each piece finds the tags it overlaps by binary search; check the cuts land right
        // with escapes (pieces whose text differs from the source) between tags.
        let line: String = (0..300)
            .map(|i| format!("w{i} @due(2026-11-20) \\* 📅 2026-11-2{} ", i % 10))
            .collect();
        let n = note(&format!("* {line}\n"));
        let want: Vec<String> = (0..300).map(|i| format!("w{i} *")).collect();
        assert_eq!(n.commitments[0].text, want.join(" "));
        assert_eq!(n.commitments[0].tags.len(), 600);
        assert_eq!(n.commitments[0].due, d("2026-11-20"));
    }

    fn with(path: &str, markers: Markers, text: &str) -> Note {
        let file_name = path.rsplit('/').next().unwrap();
        let origin = NoteOrigin {
            path,
            file_name,
            folder: None,
        };
        parse_note(text, origin, markers)
    }

    fn today() -> Markers {
        Markers {
            today: d("2026-11-23"),
            ..Markers::default()
        }
    }

    #[test]
    fn note_dates_from_sloppy_file_names_and_headings() {
        let date = |path: &str, text: &str| {
            let n = with(path, today(), text);
            (n.date.map(|d| d.to_string()), n.date_source)
        };
        let is = |s: &str, src| (Some(s.to_owned()), Some(src));
        use DateSource::*;
        assert_eq!(
            date("a/2026_11_18 Acme.md", "x\n"),
            is("2026-11-18", FileName)
        );
        assert_eq!(
            date("a/Renewal call 11-18.md", "x\n"),
            is("2026-11-18", FileName)
        );
        assert_eq!(
            date("2025/11/Renewal 11-18.md", "x\n"),
            is("2025-11-18", FileName)
        );
        assert_eq!(date("a/Nov 18 call.md", "x\n"), is("2026-11-18", FileName));
        // A yearless file-name date takes the year of a full date in the heading.
        assert_eq!(
            date("a/call 11-18.md", "# Call, 18 Nov 2025\n"),
            is("2025-11-18", FileName)
        );
        assert_eq!(
            date("a/x.md", "# Acme call (Nov 18)\n"),
            is("2026-11-18", Heading)
        );
        assert_eq!(
            date("a/x.md", "## 18 Nov 2025\n"),
            is("2025-11-18", Heading)
        );
        assert_eq!(
            date("a/x.md", "# Renewal, November 18, 2026\n"),
            is("2026-11-18", Heading)
        );
        // The latest such day on or before today: a Dec 1 note is last year's.
        assert_eq!(date("a/x.md", "# Dec 1 call\n"), is("2025-12-01", Heading));
        // Ambiguous without an order; read with one.
        assert_eq!(date("a/x.md", "# Call 11/10/2026\n"), (None, None));
        let mdy = Markers {
            date_order: Some(DateOrder::Mdy),
            ..today()
        };
        let n = with("a/x.md", mdy, "# Call 11/10/2026\n");
        assert_eq!(n.date, d("2026-11-10"));
        assert_eq!(
            date("a/x.md", "# Call 11/18/2026\n"),
            is("2026-11-18", Heading)
        );
        // Without today, a yearless date is no date.
        assert_eq!(with("a/x.md", Markers::default(), "# Nov 18\n").date, None);
        let n = with(
            "a/x.md",
            today(),
            "---\nCreated: 2026-11-09\n---\n# Nov 18\n",
        );
        assert_eq!(
            (n.date, n.date_source),
            (d("2026-11-09"), Some(FrontMatter))
        );
    }

    #[test]
    fn dated_sections_resolve_their_own_dates() {
        let n = with(
            "a/Acme log.md",
            today(),
            "# Acme log\n\n## 2026-11-02 kickoff\n* A @due(fri)\n### Actions\n* B @due(tmrw)\n\
             ## Notes\n* C @due(fri)\n## Tue, Nov 17 call\n* D @due(fri)\n## [[2026-11-19]]\n* E @due(today)\n",
        );
        assert_eq!(n.date, None);
        let got: Vec<_> = n
            .commitments
            .iter()
            .map(|c| {
                (
                    c.text.as_str(),
                    c.due.map(|d| d.to_string()),
                    c.section_date,
                )
            })
            .collect();
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            got,
            vec![
                ("A", some("2026-11-06"), d("2026-11-02")),
                ("B", some("2026-11-03"), d("2026-11-02")),
                // An undated heading of the same level ends the section.
                ("C", None, None),
                ("D", some("2026-11-20"), d("2026-11-17")),
                ("E", some("2026-11-19"), d("2026-11-19")),
            ]
        );
        assert_eq!(
            n.section_dates,
            vec![
                d("2026-11-02").unwrap(),
                d("2026-11-17").unwrap(),
                d("2026-11-19").unwrap()
            ]
        );
        // In a dated note, a yearless section takes the note's year.
        let n = with(
            "a/2025-11-01 log.md",
            today(),
            "## Nov 3 call\n* A @due(tmrw)\n",
        );
        assert_eq!(n.commitments[0].due, d("2025-11-04"));
    }

    #[test]
    fn stray_tags_outside_commitments_are_problems() {
        let text = "# Plan @due(fri)\n\n- Send the deck @due(fri)\n1. Call Dana due:2026-12-01\n\n\
                    Send the MSA by Fri @due(2026-12-04)\n\n> - Quoted @due(fri)\n\n```\n- code @due(fri)\n```\n\n\
                    | a | b |\n|---|---|\n| x @due(fri) | y |\n\n* Real one @due(fri)\n  - nested @scheduled(mon)\n";
        let n = note(text);
        let stray: Vec<_> = n
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::StrayDate)
            .map(|p| {
                (
                    &text[p.span.clone()],
                    p.message.contains("heading"),
                    p.message.contains("`-` bullet"),
                    p.message.contains("ordered"),
                    p.message.contains("paragraph"),
                )
            })
            .collect();
        assert_eq!(
            stray,
            vec![
                ("@due(fri)", true, false, false, false),
                ("@due(fri)", false, true, false, false),
                ("due:2026-12-01", false, false, true, false),
                ("@due(2026-12-04)", false, false, false, true),
                ("@scheduled(mon)", false, true, false, false),
            ]
        );
        assert_eq!(n.commitments.len(), 1);
        // Two tags in one paragraph, one of them split by the parser at its `[`: each once.
        let text = "Call Dana @due(fri) [due:: 2026-12-01] and more\n";
        let n = note(text);
        let found: Vec<_> = n.problems.iter().map(|p| &text[p.span.clone()]).collect();
        assert_eq!(found, vec!["@due(fri)", "[due:: 2026-12-01]"]);
        // With the markers on, those items are commitments, and not stray.
        let on = Markers {
            dash: true,
            ordered: true,
            ..Markers::default()
        };
        let n = with(
            "a/2026-11-16.md",
            on,
            "- Send the deck @due(fri)\n1. Call Dana\n> - quoted\n",
        );
        assert_eq!(summary(&n).len(), 2);
        assert!(n.problems.is_empty());
    }

    #[test]
    fn stray_tags_on_nested_plain_items_are_each_reported() {
        // A plain item's text is looked at as it comes, outer item before inner.
        let text =
            "- Send the deck @due(fri)\n  - and the MSA @due(mon)\n    + also @scheduled(tue)\n";
        let n = note(text);
        let stray: Vec<_> = n.problems.iter().map(|p| &text[p.span.clone()]).collect();
        assert_eq!(stray, vec!["@due(fri)", "@due(mon)", "@scheduled(tue)"]);
        assert!(n.problems[2].message.contains("`+` bullet"));
        // A task item that the global filter leaves out hands its text on at its end,
        // after its nested item's: both tags still count.
        let filtered = Markers {
            global_filter: Some("#task"),
            ..Markers::default()
        };
        let text = "- [ ] Send the deck @due(fri)\n  - and the MSA @due(mon)\n";
        let n = with("a/2026-11-16.md", filtered, text);
        let stray: Vec<_> = n.problems.iter().map(|p| &text[p.span.clone()]).collect();
        assert_eq!(stray, vec!["@due(fri)", "@due(mon)"]);
    }

    #[test]
    fn a_box_after_the_bullet_keeps_a_dash_item_a_candidate() {
        let text = "- [ ] a\n-\t[x] b\n- [/] c\n- plain [ ] d @due(fri)\n-\n  [ ] e @due(mon)\n";
        let n = note(text);
        let texts: Vec<_> = n.commitments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["a", "b", "c"]);
        // A box anywhere else is text: those items are plain, their tags stray.
        let stray: Vec<_> = n.problems.iter().map(|p| &text[p.span.clone()]).collect();
        assert_eq!(stray, vec!["@due(fri)", "@due(mon)"]);
    }

    proptest::proptest! {
        /// Every item pulldown-cmark gives a task marker is one whose start `status_box`
        /// said may hold a box: the items it rules out lose nothing by keeping no text.
        #[test]
        fn task_markers_only_where_a_box_was_foreseen(
            text in "(?s)[-*+>\\[\\] xX\n\r\t0-9.)a]{0,80}"
        ) {
            let mut open = Vec::new();
            for (event, range) in Parser::new_ext(&text, OPTIONS).into_offset_iter() {
                match event {
                    Event::Start(MdTag::Item) => open.push(item_start(&text, range)),
                    Event::End(TagEnd::Item) => {
                        open.pop();
                    }
                    Event::TaskListMarker(_) => {
                        let start = *open.last().unwrap();
                        proptest::prop_assert!(status_box(&text, start).0, "{:?}", start);
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn lazy_continuation_lines_with_their_own_tag_or_task_marker() {
        let text = "* Send the pricing sheet\nSend the MSA @due(fri)\n\n- [x] Added to CRM\nTODO: ask Dana\n\n\
                    * Send the deck\n  to Dana @due(fri)\n\n* Plain lazy\nline without tags\n";
        let n = note(text);
        let lazy: Vec<_> = n
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::LazyContinuation)
            .map(|p| &text[p.span.clone()])
            .collect();
        assert_eq!(lazy, vec!["Send the MSA @due(fri)", "TODO: ask Dana"]);
        assert_eq!(n.commitments[0].due, d("2026-11-20"));
    }

    #[test]
    fn numeric_dates_follow_the_date_order() {
        let text = "* Send it @due(12/4)\n";
        let n = note(text);
        assert!(matches!(
            n.commitments[0].tags[0].date,
            Some(DateValue::Ambiguous(_))
        ));
        let dmy = Markers {
            date_order: Some(DateOrder::Dmy),
            ..Markers::default()
        };
        let n = with("a/2026-11-16.md", dmy, text);
        assert_eq!(n.commitments[0].due, d("2027-04-12"));
    }

    proptest::proptest! {
        /// Any text parses without a panic, and every commitment's line and span lie
        /// inside the note.
        #[test]
        fn any_text_parses(text in "(?s)[-*+>\\[\\] x\n\r\t#`~@()0-9a-z:📅✅é—|<!]{0,200}") {
            let n = note(&text);
            // CR LF, LF and a lone CR each end a line.
            let lines = 1 + text.replace("\r\n", "\n").matches(['\n', '\r']).count();
            for c in &n.commitments {
                proptest::prop_assert!(c.line >= 1 && c.line <= lines);
                proptest::prop_assert!(c.bullet.end <= text.len());
                for t in &c.tags {
                    proptest::prop_assert!(text.is_char_boundary(t.span.start) && t.span.end <= text.len());
                }
            }
        }
    }
}
