//! The output formats of `check`, one emitter each: [`human::Human`], [`concise::Concise`],
//! [`github::Github`], [`json::Json`] and [`sarif::Sarif`].
//!
//! A run is rendered in two halves. Each note's diagnostics are rendered on the worker
//! thread that found them, by the [`Renderer`] the emitter hands out (shared, so `Sync`);
//! the [`Emitter`] then writes the rendered notes on one thread, in path order, between
//! its `begin` and its `end`. What a format needs across notes (the JSON envelope and the
//! commas inside it, SARIF's buffer of every result) is the emitter's own state.

use std::io::{self, Write};

use serde::Serialize;

use crate::rules::{Diagnostic, Level};

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

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
}
