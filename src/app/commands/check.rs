//! `followup check` and `followup rule`: the rules over every note, rendered as asked.

use std::path::Path;

use crate::app::cli::{CheckArgs, CheckFormat, ColorChoice, RuleArgs};
use crate::app::commands::fix::{fix_notes, Report};
use crate::app::settings::{resolve, Env};
use crate::app::workspace::scan_with_book;
use crate::app::{report_scan_problems, AppResult, Exit, Io};
use crate::fs::source::read_note;
use crate::fs::walk::{walk, NoteFile};
use crate::notes::model::Note;
use crate::notes::reader::Source;
use crate::render::check::concise::Concise;
use crate::render::check::github::Github;
use crate::render::check::human::Human;
use crate::render::check::json::Json;
use crate::render::check::sarif::Sarif;
use crate::render::check::{Emitter, Rendered, Summary};
use crate::rules::obsidian::Dependencies;
use crate::rules::{check_customers, check_dependencies, check_note, Context, Diagnostic, Rule};

/// Report width when the output is not a terminal: fixed, so logs read the same on
/// every machine.
const WIDTH: usize = 100;

/// What one note came to, made on a worker thread.
struct NoteReport {
    summary: Summary,
    /// The note's part of the output.
    rendered: Rendered,
}

/// Whether to colour: `--color`, then `NO_COLOR` (set and not empty), then whether
/// stdout is a terminal.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").map_or(true, |v| v.is_empty()) && is_terminal
        }
    }
}

/// The emitter of `--format`; the human one coloured and as wide as the terminal allows.
fn emitter(args: &CheckArgs, out_is_terminal: bool) -> Box<dyn Emitter> {
    match args.format {
        CheckFormat::Human => {
            let width = if out_is_terminal {
                std::env::var("COLUMNS")
                    .ok()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(WIDTH)
            } else {
                WIDTH
            };
            Box::new(Human::new(use_color(args.color, out_is_terminal), width))
        }
        CheckFormat::Concise => Box::new(Concise),
        CheckFormat::Github => Box::new(Github),
        CheckFormat::Json => Box::new(Json::default()),
        CheckFormat::Sarif => Box::new(Sarif::default()),
    }
}

/// Run `check`.
pub fn check(args: CheckArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    // `--fix` first, so that what is reported is what remains. Its lines go to stderr:
    // stdout is the report, which may be JSON or SARIF.
    let fixed = if args.fix {
        fix_notes(&args.scan.paths, &settings, false, Report::Stderr, io)?.exit
    } else {
        Exit::Success
    };
    let (config, today) = (&settings.config, settings.today);
    let mut emitter = emitter(&args, io.out_is_terminal);
    let renderer = emitter.renderer();
    // One note's diagnostics, rendered on the thread that found them.
    let report = |diagnostics: Vec<Diagnostic>, text: &str, summary: Summary| {
        let mut summary = summary;
        for d in &diagnostics {
            summary.count(d.level);
        }
        NoteReport {
            summary,
            rendered: renderer.render(&diagnostics, text),
        }
    };
    let per_note = |_: &NoteFile, note: Note, source: Source| {
        let rules = config.rules_for(Path::new(&note.path));
        let cx = Context {
            today,
            settings: &rules,
        };
        let diagnostics = check_note(&note, &source.text, cx);
        let summary = Summary {
            files: 1,
            commitments: note.commitments.len(),
            ..Summary::default()
        };
        (
            report(diagnostics, &source.text, summary),
            Dependencies::of(&note),
        )
    };

    let out = &mut *io.out;
    emitter.begin(out)?;
    let mut total = Summary::default();
    let walked = walk(&args.scan.paths, &settings.scan.walk);
    let mut emit = |r: NoteReport| {
        total.add(r.summary);
        emitter.note(r.rendered, out)
    };
    let mut dependencies: Vec<Dependencies> = Vec::new();
    let scanned = scan_with_book(walked, &settings, per_note, |(r, deps)| {
        if !deps.is_empty() {
            dependencies.push(deps);
        }
        emit(r)
    })?;
    // Customer findings need every note first; they follow the notes' own.
    let mut rows = scanned.customer_rows(&settings);
    // Notes named one by one (a pre-commit hook passes the staged ones): the customer
    // rules only for customers with a call note among them, judged from those notes; a
    // profile alone says nothing about when they were last contacted.
    if !args.scan.paths.is_empty() && args.scan.paths.iter().all(|p| p.is_file()) {
        rows.retain(|r| r.notes > 0);
    }
    let max = settings.scan.read.max_file_size;
    let rules = |path: &str| config.rules_for(Path::new(path));
    let read = |path: &str| read_note(Path::new(path), max).ok();
    for (diagnostics, text) in check_customers(&rows, today, rules, read) {
        emit(report(diagnostics, &text, Summary::default()))?;
    }
    // So do dependencies, on ids any note may have.
    for (diagnostics, text) in check_dependencies(&dependencies, rules, read) {
        emit(report(diagnostics, &text, Summary::default()))?;
    }
    emitter.end(&total, out)?;
    out.flush()?;

    let read = report_scan_problems(&scanned.workspace, io.err)?;
    if !args.quiet {
        writeln!(io.err, "{}", total.line())?;
    }
    Ok(if read == Exit::Error || fixed == Exit::Error {
        Exit::Error
    } else if total.any_at_or_above(args.fail_on) && !args.exit_zero {
        Exit::Findings
    } else {
        Exit::Success
    })
}

/// Run `rule`: one rule's documentation, or the list of rules.
pub fn rule(args: RuleArgs, io: &mut Io<'_>) -> AppResult {
    if args.list {
        let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
        for r in Rule::ALL {
            writeln!(
                io.out,
                "{:width$}  {:7}  {}",
                r.name(),
                r.default_level().as_str(),
                r.summary()
            )?;
        }
        return Ok(Exit::Success);
    }
    let name = args.name.unwrap_or_default();
    match Rule::from_name(&name) {
        Some(r) => {
            writeln!(io.out, "{}", r.docs())?;
            Ok(Exit::Success)
        }
        None => {
            writeln!(
                io.err,
                "error: there is no rule `{}`; `followup rule --list` lists them",
                crate::text::terminal_safe(&name)
            )?;
            Ok(Exit::Error)
        }
    }
}
