//! The engine: every rule that is on, run over a note (or a scan's customers), its
//! findings filtered through the note's suppression comments and placed in the file.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;

use super::diagnostic::{Diagnostic, Finding};
use super::registry::Rule;
use super::settings::RuleSettings;
use super::suppress::{self, Target};
use super::{
    ambiguous_date, contact, duplicate_profile, lazy_continuation, moves, obsidian, occasion_soon,
    stray_date, syntax, timing,
};
use crate::customers::CustomerRow;
use crate::fs::source::LineIndex;
use crate::notes::model::Note;

/// What the rules judge against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The day it is.
    pub today: NaiveDate,
    /// Levels and options.
    pub settings: &'a RuleSettings,
}

/// Run every rule that is on over one note: its diagnostics, sorted by line, column and
/// rule, after the note's suppression comments. `text` is the note's text (BOM removed),
/// which spans point into.
pub fn check_note(note: &Note, text: &str, cx: Context<'_>) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    // The line of the commitment each finding is about, for `disable-next-line`.
    let mut item_lines = Vec::new();
    syntax::front_matter(note, &mut findings);
    stray_date::check(note, &mut findings);
    lazy_continuation::check(note, &mut findings);
    occasion_soon::check(note, text, cx, &mut findings);
    item_lines.resize(findings.len(), None);
    for c in &note.commitments {
        syntax::check(c, text, &mut findings);
        ambiguous_date::check(c, text, &mut findings);
        obsidian::check(c, text, &mut findings);
        timing::check(note, c, cx, &mut findings);
        moves::check(c, cx, &mut findings);
        item_lines.resize(findings.len(), Some(c.line));
    }
    if findings.is_empty() && note.directive_html.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut directives = Vec::new();
    for r in &note.directive_html {
        suppress::directives_in(&text[r.clone()], r.start, &mut directives);
    }
    if !directives.is_empty() {
        // Every finding counts here, even of rules that are off: a suppression for a rule
        // turned off in one place is not "unused".
        let targets: Vec<Target> = findings
            .iter()
            .zip(&item_lines)
            .map(|(f, &item_line)| Target {
                rule: f.rule,
                line: index.line_col(text, f.span.start).0,
                item_line,
            })
            .collect();
        let line_of = |offset| index.line_col(text, offset).0;
        let is_on = |r| cx.settings.level(r).is_some();
        let (suppressed, unused) = suppress::apply(&directives, &targets, cx.today, line_of, is_on);
        let mut keep = suppressed.into_iter().map(|s| !s);
        findings.retain(|_| keep.next().unwrap_or(true));
        findings.extend(unused.into_iter().map(|u| Finding {
            rule: Rule::UnusedSuppression,
            message: u.message,
            span: u.span,
            label: u.label,
            also: None,
            help: u.help,
        }));
    }
    place(&note.path, text, &index, findings, cx.settings)
}

/// Findings placed in their file at the levels `settings` give (rules that are off are
/// dropped), sorted by line, column and rule.
fn place(
    path: &str,
    text: &str,
    index: &LineIndex,
    findings: Vec<Finding>,
    settings: &RuleSettings,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = findings
        .into_iter()
        .filter_map(|f| {
            let level = settings.level(f.rule)?;
            let (line, column) = index.line_col(text, f.span.start);
            // A span ending at a line break ends on its own line, not the next one.
            let last = f.span.end.max(f.span.start + 1) - 1;
            let (end_line, last_column) = index.line_col(text, last);
            let end_column = if f.span.is_empty() {
                column
            } else {
                last_column + 1
            };
            Some(Diagnostic {
                path: path.to_owned(),
                finding: f,
                level,
                line,
                column,
                end_line,
                end_column,
            })
        })
        .collect();
    out.sort_by_key(|d| (d.line, d.column, d.rule()));
    out
}

/// The customer rules (`stale-contact`, `no-contact`) over the customers of a scan: the
/// diagnostics of each note they are reported on, with its text (`read` gets it; a note
/// that went away since the scan is passed over). `settings` gives the rules for a path.
pub fn check_customers(
    rows: &[CustomerRow],
    today: NaiveDate,
    settings: impl Fn(&str) -> RuleSettings,
    read: impl Fn(&str) -> Option<String>,
) -> Vec<(Vec<Diagnostic>, String)> {
    // Per note: the findings and where each goes (`None`: the note's first line).
    type Placed = Vec<(Option<Range<usize>>, Finding)>;
    let mut by_note: BTreeMap<String, Placed> = BTreeMap::new();
    for row in rows {
        if let Some((path, span, finding)) = contact::check(row, today) {
            by_note.entry(path).or_default().push((span, finding));
        }
        for (path, finding) in duplicate_profile::check(row) {
            by_note.entry(path).or_default().push((None, finding));
        }
    }
    by_note
        .into_iter()
        .filter_map(|(path, found)| {
            let text = read(&path)?;
            // Without a `cadence:` line to point at, the note's first line stands for it.
            let first_line = 0..text.find(['\r', '\n']).unwrap_or(text.len());
            let findings = found
                .into_iter()
                .map(|(span, mut f)| {
                    f.span = span
                        .filter(|s| text.is_char_boundary(s.start) && text.is_char_boundary(s.end))
                        .unwrap_or_else(|| first_line.clone());
                    f
                })
                .collect();
            let index = LineIndex::new(&text);
            let diagnostics = place(&path, &text, &index, findings, &settings(&path));
            (!diagnostics.is_empty()).then_some((diagnostics, text))
        })
        .collect()
}

/// `unknown-dependency` over the dependencies of every note checked (see
/// [`Dependencies`](super::obsidian::Dependencies)): the diagnostics of each note it
/// reports on, with its text (`read` gets it; a note that went away since is passed over).
/// `settings` gives the rules for a path.
pub fn check_dependencies(
    all: &[super::obsidian::Dependencies],
    settings: impl Fn(&str) -> RuleSettings,
    read: impl Fn(&str) -> Option<String>,
) -> Vec<(Vec<Diagnostic>, String)> {
    obsidian::unknown_dependencies(all)
        .into_iter()
        .filter_map(|(path, findings)| {
            let text = read(&path)?;
            let findings: Vec<Finding> = findings
                .into_iter()
                .filter(|f| {
                    text.is_char_boundary(f.span.start)
                        && text.is_char_boundary(f.span.end)
                        && f.span.end <= text.len()
                })
                .collect();
            let index = LineIndex::new(&text);
            let diagnostics = place(&path, &text, &index, findings, &settings(&path));
            (!diagnostics.is_empty()).then_some((diagnostics, text))
        })
        .collect()
}
