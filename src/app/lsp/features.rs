//! What the server answers about one document: diagnostics, code actions, hover, inlay
//! hints, completion and symbols, each from the document's one analysis (the library's
//! note and diagnostics) and, for edits, the library's byte-exact planner.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use lsp_types as lsp;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    CompletionTextEdit, DiagnosticSeverity, DocumentSymbol, Hover, HoverContents, InlayHint,
    InlayHintLabel, MarkupContent, MarkupKind, NumberOrString, SymbolKind, TextEdit, Url,
    WorkspaceEdit,
};

use crate::config::Config;
use crate::customers::CustomerRow;
use crate::edit::{self, close_note, find_commitment, fix_note, Close, Edit, FixKind, Original};
use crate::fs::source::LineIndex;
use crate::fs::walk::NoteFile;
use crate::notes::dates::{days_between, DateValue};
use crate::notes::model::{Commitment, Note, Status};
use crate::notes::reader::{self, Read, Source};
use crate::notes::tags::TagKind;
use crate::rules::{check_note, Context, Diagnostic, Level, Rule, RuleSettings};

use super::position::Lines;

/// Where the rules are documented: a rule's name is its anchor.
pub const DOCS_BASE: &str = "https://github.com/followup-notes/followup/blob/main/docs/rules.md#";

/// Each rule's docs link, in [`Rule::ALL`] order (parsed once: a note can have a
/// thousand findings).
static DOCS_URLS: std::sync::LazyLock<Vec<Option<Url>>> = std::sync::LazyLock::new(|| {
    Rule::ALL
        .iter()
        .map(|r| Url::parse(&format!("{DOCS_BASE}{}", r.name())).ok())
        .collect()
});

/// A document, read the way the library reads a note.
pub struct Analysis {
    /// Length of a byte order mark the document starts with (0 or 3): the library's
    /// offsets are into the text after it.
    pub bom: usize,
    /// The note (`None` for an empty document or a generated agenda).
    pub note: Option<Note>,
    /// Line starts of the whole document.
    pub lines: Lines,
    /// The rule settings for its path.
    pub settings: RuleSettings,
    /// The note's own diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Read `text` as the note `file`, with `config`, on `today`.
    pub fn new(file: &NoteFile, text: &str, config: &Config, today: NaiveDate) -> Analysis {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let settings = config.rules_for(std::path::Path::new(&file.display));
        let source = Source {
            text: text[bom..].to_owned(),
            bom: bom > 0,
        };
        let note = match reader::parse(file, source, config.markers) {
            Read::Note(note, _) => Some(*note),
            Read::Empty | Read::Generated => None,
        };
        let diagnostics = note.as_ref().map_or_else(Vec::new, |n| {
            check_note(
                n,
                &text[bom..],
                Context {
                    today,
                    settings: &settings,
                },
            )
        });
        Analysis {
            bom,
            note,
            lines: Lines::new(text),
            settings,
            diagnostics,
        }
    }
}

/// A library diagnostic as the protocol has it (`text` is the whole document, `bom` the
/// length of its byte order mark).
pub fn to_lsp(d: &Diagnostic, text: &str, bom: usize, lines: &Lines, uri: &Url) -> lsp::Diagnostic {
    let f = &d.finding;
    let range = lines.range(text, f.span.start + bom..f.span.end + bom);
    let related = f.also.as_ref().map(|(span, label)| {
        vec![lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(
                uri.clone(),
                lines.range(text, span.start + bom..span.end + bom),
            ),
            message: label.clone(),
        }]
    });
    lsp::Diagnostic {
        range,
        severity: Some(match d.level {
            Level::Error => DiagnosticSeverity::ERROR,
            Level::Warning => DiagnosticSeverity::WARNING,
            Level::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule().name().to_owned())),
        code_description: DOCS_URLS[d.rule() as usize]
            .clone()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("followup".to_owned()),
        message: if f.help.is_empty() {
            f.message.clone()
        } else {
            format!("{}\nhelp: {}", f.message, f.help)
        },
        related_information: related,
        tags: None,
        data: None,
    }
}

/// File edits (in the document's byte offsets) as LSP text edits.
fn text_edits(edits: &[Edit], text: &str, lines: &Lines) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit::new(lines.range(text, e.range.clone()), e.with.clone()))
        .collect()
}

fn action(
    title: String,
    kind: CodeActionKind,
    uri: &Url,
    edits: Vec<TextEdit>,
    preferred: bool,
) -> CodeActionOrCommand {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

/// The code action kind of "fix everything followup can fix in this note".
pub const FIX_ALL: &str = "source.fixAll.followup";

/// Everything the code actions need besides the document.
pub struct ActionCx<'a> {
    /// The document.
    pub uri: &'a Url,
    /// Its text.
    pub text: &'a str,
    /// Its file.
    pub file: &'a NoteFile,
    /// Its configuration.
    pub config: &'a Config,
    /// The day.
    pub today: NaiveDate,
    /// How long a suppression added by a code action lasts.
    pub suppress_days: u64,
}

/// The code actions for the lines `first..=last` (1-based) of a document: mark done,
/// cancel, write relative dates out and correct tag names (quick fixes from the edit
/// planner, each checked by it), suppress a finding until a date; and "fix all" as a
/// source action.
pub fn code_actions(
    an: &Analysis,
    cx: &ActionCx<'_>,
    first: usize,
    last: usize,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let Some(note) = &an.note else {
        return Vec::new();
    };
    let wants = |kind: &CodeActionKind| {
        only.map_or(true, |only| {
            only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let quickfix = CodeActionKind::QUICKFIX;
    let fix_all = CodeActionKind::from(FIX_ALL);
    let mut out = Vec::new();
    let Ok(original) = Original::new(cx.text.as_bytes().to_vec()) else {
        return out;
    };
    let reparse = |t: &str| reader::parse_text(cx.file, t, cx.config.markers);
    let (text, lines) = (cx.text, &an.lines);
    if wants(&quickfix) {
        // Mark done / cancel: the commitment on the first line asked about.
        let mut seen = Vec::new();
        for line in first..=last.min(first + 200) {
            let Ok(i) = find_commitment(note, &original.text, line) else {
                continue;
            };
            if seen.contains(&i) || note.commitments[i].status != Status::Open {
                continue;
            }
            seen.push(i);
            let c = &note.commitments[i];
            let overdue = c.due.is_some_and(|d| d < cx.today);
            for (close, verb) in [(Close::Done, "Mark done"), (Close::Cancel, "Cancel")] {
                if let Ok(closed) = close_note(&original, note, reparse, &[c.line], close, cx.today)
                {
                    out.push(action(
                        format!("{verb}: {}", short(&c.text)),
                        quickfix.clone(),
                        cx.uri,
                        text_edits(&closed.edits, text, lines),
                        overdue && close == Close::Done,
                    ));
                }
            }
        }
    }
    // Fixes: planned for the whole note and checked by `fix_note`; each one offered
    // on its own line, and all of them as "fix all".
    if wants(&quickfix) || wants(&fix_all) {
        if let Ok(Some(fixed)) = fix_note(&original, note, reparse) {
            if wants(&quickfix) {
                for (fix, e) in fixed.fixes.iter().zip(&fixed.edits) {
                    if fix.line < first || fix.line > last {
                        continue;
                    }
                    let title = match &fix.kind {
                        FixKind::RelativeDate { written, date } => {
                            format!("Write `{written}` out as {date}")
                        }
                        FixKind::TagName { written, known } => {
                            format!("Correct `{written}` to `{known}`")
                        }
                    };
                    out.push(action(
                        title,
                        quickfix.clone(),
                        cx.uri,
                        text_edits(std::slice::from_ref(e), text, lines),
                        true,
                    ));
                }
            }
            if wants(&fix_all) {
                out.push(action(
                    "Fix all followup findings that can be fixed".to_owned(),
                    fix_all,
                    cx.uri,
                    text_edits(&fixed.edits, text, lines),
                    false,
                ));
            }
        }
    }
    if wants(&quickfix) {
        let until = cx
            .today
            .checked_add_days(Days::new(cx.suppress_days))
            .unwrap_or(cx.today);
        let mut done_rules: Vec<(Rule, usize)> = Vec::new();
        for d in &an.diagnostics {
            if d.line > last || d.end_line.max(d.line) < first {
                continue;
            }
            if d.rule() == Rule::UnusedSuppression || done_rules.contains(&(d.rule(), d.line)) {
                continue;
            }
            done_rules.push((d.rule(), d.line));
            if let Some(edit) = suppression(note, &original.text, an, d, until, cx) {
                out.push(action(
                    format!("Suppress `{}` here until {until}", d.rule()),
                    quickfix.clone(),
                    cx.uri,
                    text_edits(std::slice::from_ref(&edit), text, lines),
                    false,
                ));
            }
        }
    }
    out
}

/// A `followup-disable-next-line RULE until=DATE` comment above the commitment a
/// diagnostic is about (above its line when it is about no commitment), in the
/// document's offsets: offered only when the rules, run again over the edited text,
/// no longer report it and report nothing new.
fn suppression(
    note: &Note,
    text: &str,
    an: &Analysis,
    d: &Diagnostic,
    until: NaiveDate,
    cx: &ActionCx<'_>,
) -> Option<Edit> {
    let line = find_commitment(note, text, d.line).map_or(d.line, |i| note.commitments[i].line);
    let index = LineIndex::new(text);
    let start = index.line_start(line);
    let indent: String = text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let eol = if text[start..].contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let with = format!(
        "{indent}<!-- followup-disable-next-line {} until={until} -->{eol}",
        d.rule()
    );
    let edit = Edit {
        range: start..start,
        with,
    };
    let new_text = edit::apply(text.as_bytes(), std::slice::from_ref(&edit)).ok()?;
    let new_text = String::from_utf8(new_text).ok()?;
    let after = reader::parse_text(cx.file, &new_text, cx.config.markers);
    let settings = an.settings;
    let found = check_note(
        &after,
        &new_text,
        Context {
            today: cx.today,
            settings: &settings,
        },
    );
    let before_count = |ds: &[Diagnostic], r: Rule| ds.iter().filter(|x| x.rule() == r).count();
    let before = check_note(
        note,
        text,
        Context {
            today: cx.today,
            settings: &settings,
        },
    );
    let gone = before_count(&found, d.rule()) < before_count(&before, d.rule());
    let nothing_new = before_count(&found, Rule::UnusedSuppression)
        <= before_count(&before, Rule::UnusedSuppression)
        && found.len() < before.len();
    (gone && nothing_new).then(|| edit.shifted(an.bom))
}

fn short(text: &str) -> String {
    const MAX: usize = 50;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!(
            "{}…",
            text.chars().take(MAX - 1).collect::<String>().trim_end()
        )
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

fn when(d: NaiveDate, today: NaiveDate) -> String {
    match days_between(today, d) {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        n if n > 1 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

/// The commitment whose bullet or tags are on the 1-based `line`.
pub fn commitment_at<'a>(an: &'a Analysis, text: &str, line: usize) -> Option<&'a Commitment> {
    let note = an.note.as_ref()?;
    let i = find_commitment(note, &text[an.bom..], line).ok()?;
    note.commitments.get(i)
}

/// The 1-based line (as the library counts them) of a protocol position.
pub fn line_of(an: &Analysis, text: &str, pos: lsp::Position) -> usize {
    let offset = an.lines.offset(text, pos);
    let body = &text[an.bom..];
    LineIndex::new(body).line(offset.saturating_sub(an.bom))
}

/// Hover on a commitment: status, resolved dates, customer.
pub fn hover(
    an: &Analysis,
    text: &str,
    pos: lsp::Position,
    today: NaiveDate,
    customer: impl Fn(&str) -> Option<CustomerRow>,
) -> Option<Hover> {
    let line = line_of(an, text, pos);
    let c = commitment_at(an, text, line)?;
    let note = an.note.as_ref()?;
    let mut md = format!("**{}** · {}\n", c.status.as_str(), c.text);
    for t in &c.tags {
        let Some(label) = t.kind.at_name() else {
            continue;
        };
        let written = t.value.clone().unwrap_or_default();
        match &t.date {
            Some(DateValue::Absolute(d)) => {
                md.push_str(&format!("\n- {label} {} ({})", day(*d), when(*d, today)));
            }
            Some(DateValue::Relative { date, from }) => md.push_str(&format!(
                "\n- {label} `{written}` → {}, from the note's date {from} ({})",
                day(*date),
                when(*date, today)
            )),
            Some(DateValue::Unresolved) => md.push_str(&format!(
                "\n- {label} `{written}`: relative, and the note has no date"
            )),
            Some(DateValue::Invalid(why)) => {
                md.push_str(&format!("\n- {label} `{written}`: not a date ({why})"));
            }
            Some(DateValue::Ambiguous(why)) => {
                md.push_str(&format!("\n- {label} `{written}`: ambiguous ({why})"));
            }
            None if t.kind == TagKind::Waiting => {
                md.push_str(&format!("\n- waiting on {written}"));
            }
            None => md.push_str(&format!("\n- {label}")),
        }
    }
    if let Some(slug) = &note.customer {
        let name = note.customer_label.clone().unwrap_or_else(|| slug.clone());
        md.push_str(&format!("\n\n**{name}**"));
        if let Some(row) = customer(slug) {
            match row.last_contact {
                Some(d) => md.push_str(&format!(": last contact {} ({})", day(d), when(d, today))),
                None => md.push_str(": no contact on record"),
            }
            if let Some(days) = row.cadence_days {
                md.push_str(&format!(", every {days} days"));
                if row.lapsed {
                    md.push_str(" (lapsed)");
                }
            }
            md.push_str(&format!("; {} open, {} overdue", row.open, row.overdue));
        }
    }
    let start = c.bullet.start + an.bom;
    let range = an.lines.range(text, start..an.lines.line_end(text, start));
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(range),
    })
}

/// Inlay hints: the day each relative date stands for, after the date.
pub fn inlay_hints(an: &Analysis, text: &str, range: lsp::Range) -> Vec<InlayHint> {
    let Some(note) = &an.note else {
        return Vec::new();
    };
    let (from, to) = (
        an.lines.offset(text, range.start),
        an.lines.offset(text, range.end),
    );
    let mut out = Vec::new();
    for c in &note.commitments {
        for t in &c.tags {
            let Some(DateValue::Relative { date, .. }) = &t.date else {
                continue;
            };
            let at = t.span.end + an.bom;
            if at < from || at > to {
                continue;
            }
            out.push(InlayHint {
                position: an.lines.position(text, at),
                label: InlayHintLabel::String(format!("= {}", day(*date))),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            });
        }
    }
    out
}

/// Date completions, as `YYYY-MM-DD`: today, tomorrow, the next seven weekdays and the
/// end of the week (Friday; next Friday at the weekend).
pub fn date_choices(today: NaiveDate) -> Vec<(NaiveDate, String)> {
    let mut out = vec![(today, "today".to_owned())];
    if let Some(t) = today.succ_opt() {
        out.push((t, "tomorrow".to_owned()));
    }
    for n in 2..=7u64 {
        if let Some(d) = today.checked_add_days(Days::new(n)) {
            out.push((d, format!("next {}", d.format("%A"))));
        }
    }
    let to_friday =
        (Weekday::Fri.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    if let Some(d) = today.checked_add_days(Days::new(u64::from(to_friday))) {
        out.push((d, "end of week".to_owned()));
    }
    out
}

/// Completion at `pos`: tag names after `@`, dates after `@due(`, `due:` and the
/// Tasks date emoji, customer names after `customer:` in front matter.
pub fn completion(
    an: &Analysis,
    text: &str,
    pos: lsp::Position,
    today: NaiveDate,
    customers: &[String],
) -> Vec<CompletionItem> {
    let offset = an.lines.offset(text, pos);
    let line = an.lines.line_range(text, pos.line as usize);
    let before = &text[line.start..offset.max(line.start)];
    let item = |label: String, detail: String, insert: String, start: usize, kind| CompletionItem {
        label: label.clone(),
        kind: Some(kind),
        detail: Some(detail.clone()),
        filter_text: Some(format!("{insert} {detail}")),
        sort_text: None,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            an.lines.range(text, start..offset),
            insert,
        ))),
        ..CompletionItem::default()
    };
    // The word being typed: letters, digits, `-`, `_` before the cursor.
    let word_len = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        .map(char::len_utf8)
        .sum::<usize>();
    let head = &before[..before.len() - word_len];
    let word_start = offset - word_len;
    // Front matter: `customer:` on a line between the opening `---` and its close.
    let in_front = text[an.bom..].starts_with("---")
        && pos.line > 0
        && (1..pos.line as usize).all(|l| {
            let r = an.lines.line_range(text, l);
            text[r].trim_end() != "---"
        });
    if in_front {
        let Some(rest) = before.strip_prefix("customer:") else {
            return Vec::new();
        };
        let start = line.start + "customer:".len() + (rest.len() - rest.trim_start().len());
        return customers
            .iter()
            .map(|name| {
                item(
                    name.clone(),
                    "customer".to_owned(),
                    name.clone(),
                    start,
                    CompletionItemKind::VALUE,
                )
            })
            .collect();
    }
    let dates = |start: usize| {
        date_choices(today)
            .into_iter()
            .enumerate()
            .map(|(i, (d, what))| {
                let mut it = item(
                    d.to_string(),
                    format!("{what} ({})", d.format("%a")),
                    d.to_string(),
                    start,
                    CompletionItemKind::CONSTANT,
                );
                it.sort_text = Some(format!("{i:02}"));
                it
            })
            .collect::<Vec<_>>()
    };
    let lower = head.to_ascii_lowercase();
    let date_tag = [
        "@due(",
        "@scheduled(",
        "@done(",
        "@cancelled(",
        "due:",
        "done:",
    ]
    .iter()
    .any(|t| lower.ends_with(t));
    let emoji_tag = ["📅", "📆", "🗓", "⏳", "⌛", "✅", "❌", "🛫", "➕"]
        .iter()
        .any(|e| head.trim_end_matches([' ', '\u{fe0f}']).ends_with(e) && head.ends_with(' '));
    if date_tag || emoji_tag {
        return dates(word_start);
    }
    if head.ends_with('@') {
        return [
            ("due", "due date: @due(DATE)"),
            ("scheduled", "when you plan to do it: @scheduled(DATE)"),
            ("done", "done on: @done(DATE)"),
            ("cancelled", "called off on: @cancelled(DATE)"),
            ("waiting", "someone owes it to you: @waiting(NAME)"),
        ]
        .into_iter()
        .map(|(name, what)| {
            item(
                name.to_owned(),
                what.to_owned(),
                format!("{name}("),
                word_start,
                CompletionItemKind::KEYWORD,
            )
        })
        .collect();
    }
    Vec::new()
}

fn describe(c: &Commitment) -> String {
    let mut s = c.status.as_str().to_owned();
    if let Some(d) = c.due {
        s.push_str(&format!(" · due {d}"));
    } else if let Some(d) = c.scheduled {
        s.push_str(&format!(" · scheduled {d}"));
    }
    if let Some(w) = &c.waiting {
        s.push_str(&format!(" · waiting on {w}"));
    }
    s
}

/// Document symbols: each commitment, with its status.
#[allow(deprecated)]
pub fn document_symbols(an: &Analysis, text: &str) -> Vec<DocumentSymbol> {
    let Some(note) = &an.note else {
        return Vec::new();
    };
    note.commitments
        .iter()
        .map(|c| {
            let start = c.bullet.start + an.bom;
            let end = an.lines.line_end(text, start);
            let name = if c.text.trim().is_empty() {
                "(no text)".to_owned()
            } else {
                c.text.clone()
            };
            DocumentSymbol {
                name,
                detail: Some(describe(c)),
                kind: SymbolKind::EVENT,
                tags: None,
                deprecated: None,
                range: an.lines.range(text, start..end),
                selection_range: an.lines.range(text, start..c.bullet.end + an.bom),
                children: None,
            }
        })
        .collect()
}
