//! Markdown -> commitments. One pulldown-cmark pass per note; every position is a
//! byte offset into the note, turned into line and column once per commitment.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag as MdTag, TagEnd};
use regex::Regex;

use crate::dates::parse_iso;
use crate::frontmatter;
use crate::model::{slug, Checkbox, Commitment, DateSource, Marker, Note, Status};
use crate::source::LineIndex;
use crate::tags::{self, Tag, TagKind};

/// Which list items are commitments (configurable later; both on by default).
#[derive(Debug, Clone, Copy)]
pub struct Markers {
    /// `*` bullets mark commitments.
    pub star: bool,
    /// Task-list items (`- [ ]`) are commitments.
    pub tasks: bool,
}

impl Default for Markers {
    fn default() -> Self {
        Markers {
            star: true,
            tasks: true,
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
    let body = Body::scan(text, split.body_start, markers);

    let (date, date_source) = if let Some(d) = split.front.date {
        (Some(d), Some(DateSource::FrontMatter))
    } else if let Some(d) = date_in_file_name(origin.file_name) {
        (Some(d), Some(DateSource::FileName))
    } else if let Some(d) = body.heading_date {
        (Some(d), Some(DateSource::Heading))
    } else {
        (None, None)
    };

    let label = split
        .front
        .customer
        .clone()
        .or_else(|| origin.folder.map(str::to_owned))
        .filter(|l| !slug(l).is_empty());
    let index = LineIndex::new(text);
    let commitments = body
        .items
        .into_iter()
        .map(|item| item.finish(text, &index, date))
        .collect();

    Note {
        path: origin.path.to_owned(),
        customer: label.as_deref().map(slug),
        customer_label: label,
        date,
        date_source,
        front: split.front,
        commitments,
        problems: split.problems,
    }
}

static FILE_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\D)(\d{4}-\d{2}-\d{2}|\d{8})(?:\D|$)").expect("regex"));
static ISO_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{4}-\d{2}-\d{2}").expect("regex"));

/// The first `YYYY-MM-DD` or `YYYYMMDD` in a file name that is a real date.
pub fn date_in_file_name(name: &str) -> Option<NaiveDate> {
    FILE_DATE.captures_iter(name).find_map(|c| {
        let s = &c[1];
        if s.len() == 8 {
            parse_iso(&format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]))
        } else {
            parse_iso(s)
        }
    })
}

/// Everything one pass over the markdown body collects.
struct Body {
    items: Vec<RawItem>,
    heading_date: Option<NaiveDate>,
}

/// A piece of an item's own text.
struct Piece {
    range: Range<usize>,
    kind: PieceKind,
    struck: bool,
}

enum PieceKind {
    /// Markdown text; `Some` when it differs from the source (escapes, entities).
    Text(Option<String>),
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
struct RawItem {
    start: usize,
    marker: Marker,
    in_quote: bool,
    checkbox: Option<(Checkbox, Range<usize>)>,
    pieces: Vec<Piece>,
    collect: Collect,
    markers: Markers,
}

impl Body {
    fn scan(text: &str, body_start: usize, markers: Markers) -> Body {
        let body = &text[body_start..];
        let opts =
            Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
        let mut open: Vec<RawItem> = Vec::new();
        let mut done: Vec<RawItem> = Vec::new();
        let mut quote_depth = 0usize;
        let mut strike_depth = 0usize;
        let mut h1: Option<String> = None;
        let mut h1_seen = false;
        let mut heading_date = None;

        for (event, r) in Parser::new_ext(body, opts).into_offset_iter() {
            let range = body_start + r.start..body_start + r.end;
            match event {
                Event::Start(MdTag::Item) => {
                    stop_collecting(&mut open);
                    open.push(RawItem::new(text, range.start, quote_depth > 0, markers));
                }
                Event::End(TagEnd::Item) => {
                    if let Some(item) = open.pop() {
                        if item.is_commitment() {
                            done.push(item);
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
                    if level == HeadingLevel::H1 && !h1_seen {
                        h1_seen = true;
                        h1 = Some(String::new());
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(h) = h1.take() {
                        heading_date = ISO_IN_TEXT
                            .find_iter(&h)
                            .find_map(|m| parse_iso(m.as_str()));
                    }
                }
                Event::Start(MdTag::Strikethrough) => strike_depth += 1,
                Event::End(TagEnd::Strikethrough) => strike_depth = strike_depth.saturating_sub(1),
                Event::Start(
                    MdTag::List(_)
                    | MdTag::CodeBlock(_)
                    | MdTag::HtmlBlock
                    | MdTag::Table(_)
                    | MdTag::FootnoteDefinition(_)
                    | MdTag::DefinitionList
                    | MdTag::MetadataBlock(_),
                )
                | Event::Rule => stop_collecting(&mut open),
                Event::TaskListMarker(checked) => {
                    if let Some(item) = open.last_mut() {
                        let state = if checked {
                            Checkbox::Checked
                        } else {
                            Checkbox::Open
                        };
                        item.checkbox.get_or_insert((state, range));
                    }
                }
                Event::Text(t) => {
                    if let Some(h) = h1.as_mut() {
                        h.push_str(&t);
                    }
                    let own = if *t == text[range.clone()] {
                        None
                    } else {
                        Some(t.into_string())
                    };
                    push_piece(&mut open, range, PieceKind::Text(own), strike_depth);
                }
                Event::Code(c) => {
                    if let Some(h) = h1.as_mut() {
                        h.push_str(&c);
                    }
                    push_piece(&mut open, range, PieceKind::Code, strike_depth);
                }
                Event::SoftBreak | Event::HardBreak => {
                    push_piece(&mut open, range, PieceKind::Break, strike_depth)
                }
                _ => {}
            }
        }
        // An unclosed structure at end of input still ends its items.
        done.extend(open.into_iter().filter(RawItem::is_commitment));
        done.sort_by_key(|i| i.start);
        Body {
            items: done,
            heading_date,
        }
    }
}

fn stop_collecting(open: &mut [RawItem]) {
    // Also when the item is still fresh: a block that opens an item (`* ```code`)
    // means it has no first paragraph.
    if let Some(item) = open.last_mut() {
        item.collect = Collect::Over;
    }
}

fn push_piece(open: &mut [RawItem], range: Range<usize>, kind: PieceKind, strike_depth: usize) {
    if let Some(item) = open.last_mut() {
        if item.collect == Collect::Fresh {
            // Tight list items have no Paragraph event: text starts the first paragraph.
            item.collect = Collect::On;
        }
        if item.collect == Collect::On {
            item.pieces.push(Piece {
                range,
                kind,
                struck: strike_depth > 0,
            });
        }
    }
}

// pulldown-cmark has no `[-]` task marker; recognise it from the source right after
// the bullet, the one place a checkbox can be.
static CANCEL_BOX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[*+-]|\d{1,9}[.)])[ \t]+(\[-\])(?:[ \t]|\r?\n|$)").expect("regex")
});

impl RawItem {
    fn new(text: &str, start: usize, in_quote: bool, markers: Markers) -> RawItem {
        let marker = match text.as_bytes().get(start) {
            Some(b'*') => Marker::Star,
            Some(b'-') => Marker::Dash,
            Some(b'+') => Marker::Plus,
            _ => Marker::Ordered,
        };
        let rest = &text[start..text.len().min(start + 64)];
        let rest = &rest[..crate::source::floor_char_boundary(rest, rest.len())];
        let checkbox = CANCEL_BOX.captures(rest).map(|c| {
            let m = c.get(1).expect("group 1");
            (Checkbox::Cancelled, start + m.start()..start + m.end())
        });
        RawItem {
            start,
            marker,
            in_quote,
            checkbox,
            pieces: Vec::new(),
            collect: Collect::Fresh,
            markers,
        }
    }

    fn is_commitment(&self) -> bool {
        let task = self.markers.tasks && self.checkbox.is_some();
        // Inside a block quote a `*` bullet is quoted text (an email), not our promise.
        let star = self.markers.star && self.marker == Marker::Star && !self.in_quote;
        task || star
    }

    fn finish(self, text: &str, index: &LineIndex, note_date: Option<NaiveDate>) -> Commitment {
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

        // Display text: the pieces minus tags (known ones and signifiers) and checkbox.
        let hidden: Vec<Range<usize>> = tags
            .iter()
            .filter(|t| t.kind != TagKind::Unknown)
            .map(|t| t.span.clone())
            .chain(box_span.clone())
            .collect();
        let mut display = String::new();
        // Struck through when every visible piece is inside `~~...~~`.
        let (mut any_struck, mut any_plain) = (false, false);
        for p in &self.pieces {
            let piece = match &p.kind {
                PieceKind::Break => " ".to_owned(),
                PieceKind::Code => text[p.range.clone()].to_owned(),
                PieceKind::Text(None) => without(text, p.range.clone(), &hidden),
                PieceKind::Text(Some(own)) => {
                    let inside = hidden
                        .iter()
                        .any(|h| h.start <= p.range.start && p.range.end <= h.end);
                    if inside {
                        String::new()
                    } else {
                        own.clone()
                    }
                }
            };
            if !piece.trim().is_empty() {
                if p.struck {
                    any_struck = true
                } else {
                    any_plain = true
                }
            }
            display.push_str(&piece);
        }
        let struck = any_struck && !any_plain;
        let display = display.split_whitespace().collect::<Vec<_>>().join(" ");

        let first = |k: TagKind| tags.iter().filter(|t| t.kind == k).find_map(Tag::resolved);
        let has = |k: TagKind| tags.iter().any(|t| t.kind == k);
        let checkbox = self.checkbox.as_ref().map(|(c, _)| *c);
        let status = if checkbox == Some(Checkbox::Cancelled) || has(TagKind::Cancelled) {
            Status::Cancelled
        } else if checkbox == Some(Checkbox::Checked) || has(TagKind::Done) || struck {
            Status::Done
        } else {
            Status::Open
        };
        let waiting = tags
            .iter()
            .find(|t| t.kind == TagKind::Waiting)
            .map(|t| t.value.clone().unwrap_or_default());
        let (line, column) = index.line_col(text, self.start);
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
            tags,
        }
    }
}

/// `text[range]` with the parts covered by `hidden` left out.
fn without(text: &str, range: Range<usize>, hidden: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut pos = range.start;
    let mut cuts: Vec<&Range<usize>> = hidden
        .iter()
        .filter(|h| h.start < range.end && h.end > range.start)
        .collect();
    cuts.sort_by_key(|h| h.start);
    for h in cuts {
        if h.start > pos {
            out.push_str(&text[pos..h.start]);
        }
        pos = pos.max(h.end);
    }
    if pos < range.end {
        out.push_str(&text[pos..range.end]);
    }
    out
}
