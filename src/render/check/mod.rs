//! The output formats of `check`, one emitter each: [`human::Human`], [`concise::Concise`],
//! [`github::Github`], [`json::Json`] and [`sarif::Sarif`].
//!
//! A run is rendered in two halves. Each note's diagnostics are rendered on the worker
//! thread that found them, by the [`Renderer`] the emitter hands out (shared, so `Sync`);
//! the [`Emitter`] then writes the rendered notes on one thread, in path order, between
//! its `begin` and its `end`. What a format needs across notes (the JSON envelope and the
//! commas inside it, SARIF's buffer of every result) is the emitter's own state.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::rules::{Diagnostic, Level, Rule};

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
mod snippet;

pub use concise::concise;
pub use github::github;
pub use json::json;

/// One output format of `check`.
pub trait Emitter: Send {
    /// What renders one note's diagnostics, on the worker threads.
    fn renderer(&self) -> Renderer;

    /// Write what comes before the first note.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Write (or keep) one note's rendering; called in path order. By default the text is
    /// written as it is, as the human, concise and github formats do.
    fn note(&mut self, note: Rendered, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(note.text.as_bytes())
    }

    /// Write what comes after the last note; `summary` is the whole run's.
    fn end(&mut self, _summary: &Summary, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// Renders one note's diagnostics (with the note's text, which their spans point into)
/// for its emitter. Shared by the worker threads.
pub struct Renderer(Box<RenderNote>);

/// A function that renders one note: its diagnostics, its text.
type RenderNote = dyn Fn(&[Diagnostic], &str) -> Rendered + Send + Sync;

impl Renderer {
    /// A renderer from a function.
    pub fn new(f: impl Fn(&[Diagnostic], &str) -> Rendered + Send + Sync + 'static) -> Self {
        Renderer(Box::new(f))
    }

    /// A renderer of text that does not need the note's text.
    fn lines(f: fn(&[Diagnostic], &mut String)) -> Self {
        Renderer::new(move |diagnostics, _| {
            let mut text = String::new();
            f(diagnostics, &mut text);
            Rendered::text(text)
        })
    }

    /// Render one note's diagnostics.
    pub fn render(&self, diagnostics: &[Diagnostic], text: &str) -> Rendered {
        (self.0)(diagnostics, text)
    }
}

/// One note's part of a `check` report, rendered on a worker thread: text for the
/// formats that stream, SARIF results for the one that is written whole at the end.
#[derive(Debug, Default)]
pub struct Rendered {
    text: String,
    results: Vec<serde_json::Value>,
}

impl Rendered {
    /// Text, written as it is.
    pub fn text(text: String) -> Self {
        Rendered {
            text,
            ..Rendered::default()
        }
    }
}

/// What a run found, in numbers.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Notes read.
    pub files: usize,
    /// Commitments in them.
    pub commitments: usize,
    /// Diagnostics at error level.
    pub errors: usize,
    /// At warning level.
    pub warnings: usize,
    /// At info level.
    pub infos: usize,
}

impl Summary {
    /// Count one diagnostic.
    pub fn count(&mut self, level: Level) {
        match level {
            Level::Error => self.errors += 1,
            Level::Warning => self.warnings += 1,
            Level::Info => self.infos += 1,
        }
    }

    /// Add another summary's counts.
    pub fn add(&mut self, other: Summary) {
        self.files += other.files;
        self.commitments += other.commitments;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// Whether anything was found at or above `level`.
    pub fn any_at_or_above(&self, level: Level) -> bool {
        match level {
            Level::Error => self.errors > 0,
            Level::Warning => self.errors + self.warnings > 0,
            Level::Info => self.errors + self.warnings + self.infos > 0,
        }
    }

    /// `Checked 14 files, 52 commitments: 3 errors, 5 warnings, 2 infos`.
    pub fn line(&self) -> String {
        use crate::text::plural;
        format!(
            "Checked {}, {}: {}, {}, {}",
            plural(self.files as i64, "file"),
            plural(self.commitments as i64, "commitment"),
            plural(self.errors as i64, "error"),
            plural(self.warnings as i64, "warning"),
            plural(self.infos as i64, "info"),
        )
    }
}

/// How often each rule fired, at each level (a rule can report at two levels when an
/// override changes it for some paths): the per-rule summary after human output and
/// `--statistics`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RuleCounts(BTreeMap<(Rule, Level), usize>);

/// One row of `--statistics --format json`.
#[derive(Debug, Serialize)]
struct StatisticsRow {
    rule: &'static str,
    count: usize,
    level: Level,
}

impl RuleCounts {
    /// Count one diagnostic.
    pub fn count(&mut self, d: &Diagnostic) {
        *self.0.entry((d.rule(), d.level)).or_default() += 1;
    }

    /// Add another run's counts.
    pub fn add(&mut self, other: &RuleCounts) {
        for (&key, &n) in &other.0 {
            *self.0.entry(key).or_default() += n;
        }
    }

    /// Whether nothing fired.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// (rule, level, count), the most frequent first, then by rule name and level.
    pub fn rows(&self) -> Vec<(Rule, Level, usize)> {
        let mut rows: Vec<_> = self.0.iter().map(|(&(r, l), &n)| (r, l, n)).collect();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(b.1.cmp(&a.1)));
        rows
    }

    /// `12 overdue, 5 missing-due, 1 unknown-tag`: one count per rule (all levels), the
    /// most frequent first, in lines no wider than `width`. Nothing when nothing fired.
    pub fn summary_lines(&self, width: usize) -> Vec<String> {
        let mut per_rule: BTreeMap<Rule, usize> = BTreeMap::new();
        for (&(r, _), &n) in &self.0 {
            *per_rule.entry(r).or_default() += n;
        }
        let mut counts: Vec<_> = per_rule.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for (i, (rule, n)) in counts.iter().enumerate() {
            let item = format!("{n} {}", rule.name());
            let sep = if i + 1 < counts.len() { "," } else { "" };
            if !line.is_empty() && line.len() + 1 + item.len() + sep.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&item);
            line.push_str(sep);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// The `--statistics` table: count, rule and level, one row each, under a header.
    pub fn table(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows = self.rows();
        let width = rows
            .iter()
            .map(|r| r.0.name().len())
            .chain(["rule".len()])
            .max()
            .unwrap_or(0);
        let count_width = rows
            .iter()
            .map(|r| r.2.to_string().len())
            .chain(["count".len()])
            .max()
            .unwrap_or(0);
        writeln!(out, "{:>count_width$}  {:width$}  level", "count", "rule")?;
        for (rule, level, n) in rows {
            writeln!(out, "{n:>count_width$}  {:width$}  {level}", rule.name())?;
        }
        Ok(())
    }

    /// The `--statistics` rows as a JSON array of `{"rule", "count", "level"}`.
    pub fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows: Vec<_> = self
            .rows()
            .into_iter()
            .map(|(rule, level, count)| StatisticsRow {
                rule: rule.name(),
                count,
                level,
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::Value;

    use super::*;
    use crate::notes::parse::{parse_note, Markers, NoteOrigin};
    use crate::rules::{check_note, Context, RuleSettings};

    /// A note's text and the diagnostics the rules find in it.
    fn note(text: &str) -> (Vec<Diagnostic>, String) {
        let origin = NoteOrigin {
            path: "acme/2026-11-16-call.md",
            file_name: "2026-11-16-call.md",
            folder: Some("acme"),
        };
        let parsed = parse_note(text, origin, Markers::default());
        let cx = Context {
            today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date"),
            settings: &RuleSettings::default(),
        };
        (check_note(&parsed, text, cx), text.to_owned())
    }

    /// What `emitter` writes for these notes, driven as `check` drives it.
    fn run(mut emitter: impl Emitter, notes: &[(Vec<Diagnostic>, String)]) -> String {
        let renderer = emitter.renderer();
        let mut out = Vec::new();
        let mut summary = Summary::default();
        emitter.begin(&mut out).expect("writes");
        for (diagnostics, text) in notes {
            summary.files += 1;
            for d in diagnostics {
                summary.count(d.level);
            }
            let rendered = renderer.render(diagnostics, text);
            emitter.note(rendered, &mut out).expect("writes");
        }
        emitter.end(&summary, &mut out).expect("writes");
        String::from_utf8(out).expect("UTF-8")
    }

    /// Two notes with findings around one without.
    fn notes() -> Vec<(Vec<Diagnostic>, String)> {
        let notes = vec![
            note("* Send the sheet @due(2026-11-02)\n* Call Dana @due(tomorow)\n"),
            note("# Nothing promised\n"),
            note("* Book the room\n"),
        ];
        assert!(!notes[0].0.is_empty() && notes[1].0.is_empty() && !notes[2].0.is_empty());
        notes
    }

    fn parse(s: &str) -> Value {
        serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
    }

    #[test]
    fn json_with_no_notes_is_an_empty_envelope() {
        let v = parse(&run(json::Json::default(), &[]));
        assert_eq!(v["version"], 1);
        assert_eq!(v["diagnostics"], Value::Array(Vec::new()));
        assert_eq!(v["summary"]["files"], 0);
    }

    #[test]
    fn json_puts_one_comma_between_notes_and_none_for_a_clean_one() {
        let notes = notes();
        let v = parse(&run(json::Json::default(), &notes));
        let all: usize = notes.iter().map(|(d, _)| d.len()).sum();
        assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(all));
        assert_eq!(v["summary"]["files"], 3);
    }

    #[test]
    fn sarif_with_no_results_is_a_whole_log() {
        let v = parse(&run(sarif::Sarif::default(), &[]));
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"][0]["results"], Value::Array(Vec::new()));
        assert!(!v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
            .is_empty());
    }

    #[test]
    fn sarif_keeps_every_note_until_the_end_and_matches_write() {
        let notes = notes();
        let written = run(sarif::Sarif::default(), &notes);
        let all: Vec<Diagnostic> = notes.iter().flat_map(|(d, _)| d.clone()).collect();
        let mut whole = Vec::new();
        sarif::write(&mut whole, &all).expect("writes");
        assert_eq!(written.as_bytes(), whole);
        let v = parse(&written);
        assert_eq!(
            v["runs"][0]["results"].as_array().map(Vec::len),
            Some(all.len())
        );
    }

    #[test]
    fn line_formats_write_only_their_lines() {
        let notes = notes();
        let all: usize = notes.iter().map(|(d, _)| d.len()).sum();
        assert_eq!(run(concise::Concise, &notes).lines().count(), all);
        assert_eq!(run(github::Github, &notes).lines().count(), all);
        for text in [
            run(concise::Concise, &[]),
            run(github::Github, &[]),
            run(human::Human::new(false, 100), &[]),
        ] {
            assert_eq!(text, "");
        }
    }

    #[test]
    fn human_writes_what_its_renderer_renders() {
        let notes = notes();
        let human = human::Human::new(false, 100);
        let mut by_hand = String::new();
        for (d, text) in &notes {
            human.note(d, text, &mut by_hand);
        }
        assert_eq!(run(human, &notes), by_hand);
    }

    #[test]
    fn rule_counts_sum_levels_in_the_summary_and_split_them_in_the_table() {
        let mut counts = RuleCounts::default();
        for (diagnostics, _) in notes() {
            for d in &diagnostics {
                counts.count(d);
            }
        }
        let mut extra = counts.clone();
        extra.add(&counts);
        let lines = extra.summary_lines(100);
        assert_eq!(lines.len(), 1, "{lines:?}");
        // Adding the counts to themselves doubles every number, rule by rule.
        let once = counts.summary_lines(100).join(" ");
        let doubled: Vec<String> = once
            .split(' ')
            .map(|w| {
                w.parse::<usize>()
                    .map_or(w.to_owned(), |n| (2 * n).to_string())
            })
            .collect();
        assert_eq!(lines[0], doubled.join(" "), "{lines:?}");
        let narrow = extra.summary_lines(10);
        assert!(narrow.len() > 1, "wrapped: {narrow:?}");
        let mut table = Vec::new();
        extra.table(&mut table).expect("writes");
        let table = String::from_utf8(table).expect("UTF-8");
        assert!(table.starts_with("count  rule"), "{table}");
        assert_eq!(table.lines().count(), 1 + extra.rows().len());
        let mut json = Vec::new();
        extra.json(&mut json).expect("writes");
        let v = parse(std::str::from_utf8(&json).expect("UTF-8"));
        assert_eq!(v[0]["count"], 2 * counts.rows()[0].2);
        assert!(RuleCounts::default().summary_lines(100).is_empty());
    }
}
