//! The linter's rules: what `followup check` reports about each note.
//!
//! Every rule has a stable kebab-case name, a default level and a section in
//! `docs/rules.md`, which `followup rule NAME` prints (one text, so the two never drift).
//! Rules look at one parsed note at a time: [`check_note`] runs them all.

mod contact;
pub mod suppress;
mod syntax;
mod timing;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use clap::ValueEnum;
use serde::Serialize;

use crate::customers::CustomerRow;
use crate::fs::source::LineIndex;
use crate::notes::model::{Commitment, Note};
use suppress::Target;

pub use syntax::sure_suggestion;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing, nothing to fix yet.
    Info,
    /// Probably wrong, or needs attention soon.
    Warning,
    /// A broken promise or a broken tag.
    Error,
}

impl Level {
    /// The lowercase name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every rule. Variants are in name order, so sorting by rule sorts by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// `bad-front-matter`
    BadFrontMatter,
    /// `bad-profile`
    BadProfile,
    /// `conflicting-dates`
    ConflictingDates,
    /// `done-in-future`
    DoneInFuture,
    /// `due-before-note`
    DueBeforeNote,
    /// `due-soon`
    DueSoon,
    /// `due-today`
    DueToday,
    /// `invalid-date`
    InvalidDate,
    /// `missing-due`
    MissingDue,
    /// `no-contact`
    NoContact,
    /// `overdue`
    Overdue,
    /// `stale-contact`
    StaleContact,
    /// `unknown-tag`
    UnknownTag,
    /// `unresolved-date`
    UnresolvedDate,
    /// `unused-suppression`
    UnusedSuppression,
}

/// The rules' documentation, one `## \`name\`` section each.
const DOCS: &str = include_str!("../../docs/rules.md");

impl Rule {
    /// All rules, in name order.
    pub const ALL: [Rule; 15] = [
        Rule::BadFrontMatter,
        Rule::BadProfile,
        Rule::ConflictingDates,
        Rule::DoneInFuture,
        Rule::DueBeforeNote,
        Rule::DueSoon,
        Rule::DueToday,
        Rule::InvalidDate,
        Rule::MissingDue,
        Rule::NoContact,
        Rule::Overdue,
        Rule::StaleContact,
        Rule::UnknownTag,
        Rule::UnresolvedDate,
        Rule::UnusedSuppression,
    ];

    /// The stable name, as written in output and configuration.
    pub fn name(self) -> &'static str {
        match self {
            Rule::BadFrontMatter => "bad-front-matter",
            Rule::BadProfile => "bad-profile",
            Rule::ConflictingDates => "conflicting-dates",
            Rule::DoneInFuture => "done-in-future",
            Rule::DueBeforeNote => "due-before-note",
            Rule::DueSoon => "due-soon",
            Rule::DueToday => "due-today",
            Rule::InvalidDate => "invalid-date",
            Rule::MissingDue => "missing-due",
            Rule::NoContact => "no-contact",
            Rule::Overdue => "overdue",
            Rule::StaleContact => "stale-contact",
            Rule::UnknownTag => "unknown-tag",
            Rule::UnresolvedDate => "unresolved-date",
            Rule::UnusedSuppression => "unused-suppression",
        }
    }

    /// The rule with this name.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The level it reports at unless configured otherwise.
    pub fn default_level(self) -> Level {
        match self {
            Rule::Overdue | Rule::InvalidDate | Rule::UnresolvedDate => Level::Error,
            Rule::DueSoon | Rule::NoContact => Level::Info,
            _ => Level::Warning,
        }
    }

    /// When it fires, in one line.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::BadFrontMatter => {
                "Front matter that is not valid YAML, or a `date:` that is not a date"
            }
            Rule::BadProfile => "A customer profile field that cannot be read",
            Rule::ConflictingDates => "Two different due dates on one commitment",
            Rule::DoneInFuture => "A done date after today",
            Rule::DueBeforeNote => "A due date earlier than the note's own date",
            Rule::DueSoon => "An open commitment due within the next few days",
            Rule::DueToday => "An open commitment due today",
            Rule::InvalidDate => "A date tag whose value is not a date",
            Rule::MissingDue => "An open commitment with no due or scheduled date",
            Rule::NoContact => "A customer with a contact cadence but no dated note",
            Rule::Overdue => "An open commitment whose due date has passed",
            Rule::StaleContact => "A customer not contacted within their cadence",
            Rule::UnknownTag => "A tag name that looks like a misspelt known tag",
            Rule::UnresolvedDate => "A relative date in a note that has no date",
            Rule::UnusedSuppression => {
                "A suppression comment that suppresses nothing, has expired, or names no rule"
            }
        }
    }

    /// The rule's section of `docs/rules.md`, heading included.
    pub fn docs(self) -> &'static str {
        let heading = format!("## `{}`", self.name());
        let Some(start) = DOCS.find(&heading) else {
            return self.summary();
        };
        let rest = &DOCS[start..];
        let end = rest[heading.len()..]
            .find("\n## ")
            .map_or(rest.len(), |i| heading.len() + i + 1);
        rest[..end].trim_end()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the rules report and how: a level (or off) per rule, and their options.
/// Configuration files fill this in; the defaults are the documented ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSettings {
    /// Level per rule, in [`Rule::ALL`] order; `None` turns a rule off.
    levels: [Option<Level>; Rule::ALL.len()],
    /// `due-soon` looks this many days ahead (tomorrow included).
    pub due_soon_days: u32,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            levels: Rule::ALL.map(|r| Some(r.default_level())),
            due_soon_days: 3,
        }
    }
}

impl RuleSettings {
    /// The level a rule reports at, or `None` when it is off.
    pub fn level(&self, rule: Rule) -> Option<Level> {
        self.levels[rule as usize]
    }

    /// Set a rule's level, or turn it off with `None`.
    pub fn set_level(&mut self, rule: Rule, level: Option<Level>) {
        self.levels[rule as usize] = level;
    }
}

/// What the rules judge against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The day it is.
    pub today: NaiveDate,
    /// Levels and options.
    pub settings: &'a RuleSettings,
}

/// A finding, before it is placed in its file: byte spans into the note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which rule.
    pub rule: Rule,
    /// What is wrong, in one line.
    pub message: String,
    /// The bytes it is about: the tag, or the bullet when there is no tag.
    pub span: Range<usize>,
    /// What the label under `span` says.
    pub label: String,
    /// A second place worth pointing at (the first of two conflicting dates).
    pub also: Option<(Range<usize>, String)>,
    /// How to fix it.
    pub help: String,
}

/// A finding placed in its file, at the level the settings give its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The note's path, as shown.
    pub path: String,
    /// The finding.
    pub finding: Finding,
    /// Its level.
    pub level: Level,
    /// 1-based line where the span starts.
    pub line: usize,
    /// 1-based column (in characters) where the span starts.
    pub column: usize,
    /// 1-based line where the span ends.
    pub end_line: usize,
    /// 1-based column (in characters) just after the span's last character.
    pub end_column: usize,
}

impl Diagnostic {
    /// The rule that reported it.
    pub fn rule(&self) -> Rule {
        self.finding.rule
    }
}

/// Run every rule that is on over one note: its diagnostics, sorted by line, column and
/// rule, after the note's suppression comments. `text` is the note's text (BOM removed),
/// which spans point into.
pub fn check_note(note: &Note, text: &str, cx: Context<'_>) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    // The line of the commitment each finding is about, for `disable-next-line`.
    let mut item_lines = Vec::new();
    syntax::front_matter(note, &mut findings);
    item_lines.resize(findings.len(), None);
    for c in &note.commitments {
        syntax::check(c, text, &mut findings);
        timing::check(note, c, cx, &mut findings);
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

/// The rule a misspelt rule name most likely meant (for configuration and suppression
/// comments), when one is closest.
pub fn closest_name(name: &str) -> Option<&'static str> {
    match crate::text::closest(name, Rule::ALL.map(Rule::name))[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// How to mark a commitment done, in its own syntax.
fn how_to_mark_done(c: &Commitment, today: NaiveDate) -> String {
    if c.checkbox.is_some() {
        "check its box: `[x]`".to_owned()
    } else if c
        .tags
        .iter()
        .any(|t| t.syntax == crate::notes::tags::Syntax::Emoji)
    {
        format!("add `✅ {today}`")
    } else {
        format!("add `@done({today})`")
    }
}

/// The commitment's text, short enough for a one-line message.
fn quote(c: &Commitment) -> String {
    const MAX: usize = 60;
    if c.text.chars().count() <= MAX {
        c.text.clone()
    } else {
        let cut: String = c.text.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_sorted() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_name(r.name()), Some(r));
        }
        let names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted, "Rule::ALL and the enum are in name order");
        assert_eq!(Rule::from_name("overdu"), None);
    }

    #[test]
    fn every_rule_has_a_docs_section_with_its_default_level() {
        for r in Rule::ALL {
            let docs = r.docs();
            assert!(
                docs.starts_with(&format!("## `{}`", r.name())),
                "docs/rules.md has no section for {}",
                r.name()
            );
            assert!(
                docs.contains(&format!("Default level: **{}**", r.default_level())),
                "the {} section does not give its default level",
                r.name()
            );
            for part in ["### Why", "### Example", "### How to fix"] {
                assert!(docs.contains(part), "{}: no {part}", r.name());
            }
        }
    }

    #[test]
    fn settings_turn_rules_off_and_change_levels() {
        let mut s = RuleSettings::default();
        assert_eq!(s.level(Rule::Overdue), Some(Level::Error));
        assert_eq!(s.level(Rule::DueSoon), Some(Level::Info));
        s.set_level(Rule::MissingDue, None);
        s.set_level(Rule::DueSoon, Some(Level::Error));
        assert_eq!(s.level(Rule::MissingDue), None);
        assert_eq!(s.level(Rule::DueSoon), Some(Level::Error));
    }
}
