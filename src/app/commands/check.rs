//! `followup check` and `followup rule`: the rules over every note, rendered as asked.

use std::path::Path;

use crate::app::cli::{CheckArgs, CheckFormat, ColorChoice, RuleArgs};
use crate::app::commands::fix::{fix_notes, Report};
use crate::app::settings::{resolve, Env};
use crate::app::{report_scan_problems, AppResult, Exit, Io};
use crate::customers::{Book, NoteFacts};
use crate::fs::source::read_note;
use crate::fs::walk::walk;
use crate::fs::walk::NoteFile;
use crate::notes::reader::Source;
use crate::notes::scan::scan_each;
use crate::render::check::{self as lines, Summary};
use crate::render::human::Human;
use crate::render::sarif;
use crate::rules::obsidian::Dependencies;
use crate::rules::{check_customers, check_dependencies, check_note, Context, Diagnostic, Rule};

/// Report width when the output is not a terminal: fixed, so logs read the same on
/// every machine.
const WIDTH: usize = 100;

/// What one note came to, made on a worker thread.
struct NoteReport {
    summary: Summary,
    /// The note's part of the output, for the formats that stream.
    rendered: String,
    /// The diagnostics themselves, for SARIF, which is written whole at the end.
    kept: Vec<Diagnostic>,
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
    let human = (args.format == CheckFormat::Human).then(|| {
        let width = if io.out_is_terminal {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(WIDTH)
        } else {
            WIDTH
        };
        Human::new(use_color(args.color, io.out_is_terminal), width)
    });
    // One note's diagnostics, rendered on the thread that found them.
    let report = |diagnostics: Vec<Diagnostic>, text: &str, summary: Summary| {
        let mut summary = summary;
        for d in &diagnostics {
            summary.count(d.level);
        }
        let mut rendered = String::new();
        match args.format {
            CheckFormat::Human => {
                if let Some(h) = &human {
                    h.note(&diagnostics, text, &mut rendered);
                }
            }
            CheckFormat::Concise => lines::concise(&diagnostics, &mut rendered),
            CheckFormat::Github => lines::github(&diagnostics, &mut rendered),
            CheckFormat::Json => lines::json(&diagnostics, &mut rendered),
            CheckFormat::Sarif => {}
        }
        let kept = if args.format == CheckFormat::Sarif {
            diagnostics
        } else {
            Vec::new()
        };
        NoteReport {
            summary,
            rendered,
            kept,
        }
    };
    let per_note = |_: &NoteFile, note: crate::notes::model::Note, source: Source| {
        let text = source.text;
        let settings = config.rules_for(Path::new(&note.path));
        let cx = Context {
            today,
            settings: &settings,
        };
        let diagnostics = check_note(&note, &text, cx);
        let summary = Summary {
            files: 1,
            commitments: note.commitments.len(),
            ..Summary::default()
        };
        (
            report(diagnostics, &text, summary),
            NoteFacts::of(&note, today),
            Dependencies::of(&note),
        )
    };

    if args.format == CheckFormat::Json {
        io.out.write_all(b"{\"version\":1,\"diagnostics\":[\n")?;
    }
    let mut total = Summary::default();
    let mut kept = Vec::new();
    let mut first = true;
    let out = &mut *io.out;
    let walked = walk(&args.scan.paths, &settings.scan.walk);
    let mut book = Book::default();
    let mut dependencies: Vec<Dependencies> = Vec::new();
    let mut emit = |r: NoteReport| {
        total.add(r.summary);
        kept.extend(r.kept);
        if r.rendered.is_empty() {
            return Ok(());
        }
        if args.format == CheckFormat::Json && !std::mem::take(&mut first) {
            out.write_all(b",\n")?;
        }
        out.write_all(r.rendered.as_bytes())
    };
    let ws = scan_each(
        walked,
        &settings.scan,
        per_note,
        |(r, facts, deps): (NoteReport, NoteFacts, Dependencies)| {
            book.add(facts, today);
            if !deps.is_empty() {
                dependencies.push(deps);
            }
            emit(r)
        },
    )?;
    // Customer findings need every note first; they follow the notes' own.
    let rows = book.rows(&ws.customers, today, config.customer_cadence);
    let max = settings.scan.read.max_file_size;
    let settings = |path: &str| config.rules_for(Path::new(path));
    let read = |path: &str| read_note(Path::new(path), max).ok();
    for (diagnostics, text) in check_customers(&rows, today, settings, read) {
        emit(report(diagnostics, &text, Summary::default()))?;
    }
    // So do dependencies, on ids any note may have.
    for (diagnostics, text) in check_dependencies(&dependencies, settings, read) {
        emit(report(diagnostics, &text, Summary::default()))?;
    }
    match args.format {
        CheckFormat::Json => {
            let summary = serde_json::to_string(&total).expect("plain data serializes");
            writeln!(out, "\n],\"summary\":{summary}}}")?;
        }
        CheckFormat::Sarif => sarif::write(out, &kept)?,
        _ => {}
    }
    out.flush()?;

    let read = report_scan_problems(&ws, io.err)?;
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
