//! `followup check` and `followup rule`: the rules over every note, rendered as asked.

use std::path::Path;

use crate::app::cli::{CheckArgs, CheckFormat, ColorChoice, DocsFormat, RuleArgs};
use crate::app::commands::fix::{fix_notes, Report};
use crate::app::settings::{resolve, unknown_rule, Env, RuleSelection};
use crate::app::workspace::scan_with_book;
use crate::app::{report_scan, AppError, AppResult, Exit, Io};
use crate::cache::{Need, Parsed};
use crate::fs::source::read_note;
use crate::fs::walk::{walk, NoteFile};
use crate::render::check::concise::Concise;
use crate::render::check::github::Github;
use crate::render::check::human::Human;
use crate::render::check::json::Json;
use crate::render::check::sarif::Sarif;
use crate::render::check::{Emitter, Rendered, RuleCounts, Summary};
use crate::rules::obsidian::Dependencies;
use crate::rules::{check_customers, check_dependencies, check_facts, Context, Diagnostic, Rule};

/// Report width when the output is not a terminal: fixed, so logs read the same on
/// every machine.
const WIDTH: usize = 100;

/// What one note came to, made on a worker thread.
struct NoteReport {
    summary: Summary,
    /// How often each rule fired in it.
    counts: RuleCounts,
    /// A note whose front matter promises a call, with nothing under it: its warning.
    blank_call: Option<String>,
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

/// Run `check`; with `--watch`, again on every change to the notes.
pub fn check(args: CheckArgs, io: &mut Io<'_>) -> AppResult {
    // A misspelt rule is a usage error before anything runs (and before watching).
    RuleSelection::from_flags(&args.select, &args.ignore)?;
    if args.watch {
        let paths = args.scan.paths.clone();
        return crate::app::watch::watch(&paths, &[], io, |io| check_once(&args, io));
    }
    check_once(&args, io)
}

/// The warning for a note whose front matter names a customer (so a call took place) and
/// that has nothing written under it (see [`Parsed::blank_call`]); `None` for every other
/// note.
fn blank_call(parsed: &Parsed) -> Option<String> {
    let customer = parsed.note.front.customer.as_deref()?;
    parsed.blank_call.then(|| {
        format!(
            "warning: {}: front matter for a call with {} but nothing written under it",
            crate::text::terminal_safe(&parsed.note.path),
            crate::text::terminal_safe(customer)
        )
    })
}

/// One run of `check`.
fn check_once(args: &CheckArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let selection = RuleSelection::from_flags(&args.select, &args.ignore)?;
    // `--fix` first, so that what is reported is what remains. Its lines go to stderr:
    // stdout is the report, which may be JSON or SARIF.
    let fixed = if args.fix {
        fix_notes(&args.scan.paths, &settings, false, Report::Stderr, io)?.exit
    } else {
        Exit::Success
    };
    if args.statistics && !matches!(args.format, CheckFormat::Human | CheckFormat::Json) {
        return Err(AppError::msg(
            "--statistics prints a table (--format human) or JSON (--format json)",
        ));
    }
    let (config, today) = (&settings.config, settings.today);
    let rules_for = |path: &str| {
        let mut rules = config.rules_for(Path::new(path));
        selection.apply(&mut rules);
        rules
    };
    let mut emitter = emitter(args, io.out_is_terminal);
    let renderer = emitter.renderer();
    // One note's diagnostics, rendered on the thread that found them.
    let report = |diagnostics: Vec<Diagnostic>, text: &str, summary: Summary| {
        let mut summary = summary;
        let mut counts = RuleCounts::default();
        for d in &diagnostics {
            summary.count(d.level);
            counts.count(d);
        }
        NoteReport {
            summary,
            counts,
            blank_call: None,
            rendered: if args.statistics {
                Rendered::default()
            } else {
                renderer.render(&diagnostics, text)
            },
        }
    };
    let per_note = |_: &NoteFile, mut parsed: Parsed| {
        let note = &parsed.note;
        let rules = rules_for(&note.path);
        let cx = Context {
            today,
            settings: &rules,
        };
        let text = parsed.source.as_ref().map(|s| s.text.as_str());
        let diagnostics = check_facts(note, &parsed.facts, text, &parsed.line_col(), cx);
        let summary = Summary {
            files: 1,
            commitments: note.commitments.len(),
            ..Summary::default()
        };
        let (blank_call, dependencies) = (blank_call(&parsed), Dependencies::of(note));
        // Rendering needs only the text: the note goes first. A big note's commitments
        // take as much memory as its rendered reports will (50 MB of notes: 100 MB and
        // 60 MB), and given back now, the reports are written in it.
        let source = parsed.source.take();
        drop(parsed);
        let text = source.as_ref().map_or("", |s| s.text.as_str());
        if text.len() >= crate::memory::BIG {
            crate::memory::release_freed();
        }
        let mut r = report(diagnostics, text, summary);
        r.blank_call = blank_call;
        (r, dependencies)
    };
    // Only the human format shows the text (its snippets).
    let need = if args.format == CheckFormat::Human && !args.statistics {
        Need::Text
    } else {
        Need::Note
    };

    let out = &mut *io.out;
    if !args.statistics {
        emitter.begin(out)?;
    }
    let mut total = Summary::default();
    let mut counts = RuleCounts::default();
    let mut blank_calls = Vec::new();
    let walked = || walk(&args.scan.paths, &settings.scan.walk);
    let mut emit = |r: NoteReport| {
        total.add(r.summary);
        counts.add(&r.counts);
        blank_calls.extend(r.blank_call);
        if args.statistics {
            Ok(())
        } else {
            emitter.note(r.rendered, out)
        }
    };
    let mut dependencies: Vec<Dependencies> = Vec::new();
    let scanned = scan_with_book(
        &args.scan.paths,
        walked,
        &settings,
        need,
        per_note,
        |(r, deps)| {
            if !deps.is_empty() {
                dependencies.push(deps);
            }
            emit(r)
        },
    )?;
    // Customer findings need every note first; they follow the notes' own.
    let mut rows = scanned.customer_rows(&settings);
    // Notes named one by one (a pre-commit hook passes the staged ones): the customer
    // rules only for customers with a call note among them, judged from those notes; a
    // profile alone says nothing about when they were last contacted.
    if !args.scan.paths.is_empty() && args.scan.paths.iter().all(|p| p.is_file()) {
        rows.retain(|r| r.notes > 0);
    }
    let max = settings.scan.read.max_file_size;
    let read = |path: &str| read_note(Path::new(path), max).ok();
    for (diagnostics, text) in check_customers(&rows, today, rules_for, read) {
        emit(report(diagnostics, &text, Summary::default()))?;
    }
    // So do dependencies, on ids any note may have.
    for (diagnostics, text) in check_dependencies(&dependencies, rules_for, read) {
        emit(report(diagnostics, &text, Summary::default()))?;
    }
    if args.statistics {
        match args.format {
            CheckFormat::Json => counts.json(out)?,
            _ => counts.table(out)?,
        }
    } else {
        emitter.end(&total, out)?;
    }
    out.flush()?;

    let read = report_scan(&args.scan.paths, &scanned.workspace, io.err)?;
    for w in &blank_calls {
        writeln!(io.err, "{w}")?;
    }
    if !args.quiet {
        if args.format == CheckFormat::Human && !args.statistics {
            for line in counts.summary_lines(WIDTH) {
                writeln!(io.err, "{line}")?;
            }
        }
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

/// Run `rule`: one rule's documentation (for a terminal, or as markdown), or the list.
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
    let r = Rule::from_name(&name).ok_or_else(|| unknown_rule("", &name))?;
    match args.format {
        DocsFormat::Text => io
            .out
            .write_all(markdown_for_terminal(r.docs()).as_bytes())?,
        DocsFormat::Markdown => writeln!(io.out, "{}", r.docs())?,
    }
    Ok(Exit::Success)
}

/// Markdown documentation made readable in a terminal: headings underlined (level 1 and
/// 2) or in capitals (level 3 and below), code blocks indented by four spaces without
/// their fences, emphasis markers dropped, `[text](url)` as `text (url)` (as `text` for a
/// link to another docs page). Inline code keeps its backticks; tables stay as they are.
pub fn markdown_for_terminal(md: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in md.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            if line.is_empty() {
                out.push('\n');
            } else {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            let text = inline(line[hashes..].trim()).replace('`', "");
            if hashes <= 2 {
                let width = unicode_width::UnicodeWidthStr::width(text.as_str());
                let rule = if hashes == 1 { "=" } else { "-" };
                out.push_str(&format!("{text}\n{}\n", rule.repeat(width)));
            } else {
                out.push_str(&text.to_uppercase());
                out.push('\n');
            }
            continue;
        }
        out.push_str(&inline(line));
        out.push('\n');
    }
    out
}

/// One line of markdown text without emphasis markers, with links written out; what is
/// inside backticks is left alone.
fn inline(line: &str) -> String {
    let mut out = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut text = part.replace("**", "").replace("__", "");
        text = links(&text);
        // `*word*` and `_word_` emphasis; a lone `*` (a bullet, a footnote) stays.
        out.push_str(&strip_single(&strip_single(&text, '*'), '_'));
    }
    out
}

/// `[text](url)` as `text (url)`, or `text` for a relative link (another docs page).
fn links(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(mid) = rest[open..].find("](").map(|m| open + m) else {
            break;
        };
        let Some(close) = rest[mid..].find(')').map(|c| mid + c) else {
            break;
        };
        let (label, url) = (&rest[open + 1..mid], &rest[mid + 2..close]);
        out.push_str(&rest[..open]);
        out.push_str(label);
        if url.starts_with("http") {
            out.push_str(&format!(" ({url})"));
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Drop `mark`s that open emphasis (before a letter, after a space or the start) and the
/// matching close.
fn strip_single(text: &str, mark: char) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut open = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == mark {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            let opens = !open
                && before.map_or(true, |b| b.is_whitespace() || b == '(')
                && after.is_some_and(|a| a.is_alphanumeric());
            let closes = open
                && before.is_some_and(|b| !b.is_whitespace())
                && after.map_or(true, |a| !a.is_alphanumeric());
            if opens || closes {
                open = opens;
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown_for_terminal;

    #[test]
    fn markdown_reads_well_in_a_terminal() {
        let md = "## `overdue`\n\nDefault level: **error**, *really* a `*` bullet.\n\n\
                  ### How to fix\n\n```toml\n[rules]\noverdue = \"off\"\n```\n\
                  See [the docs](https://example.org/x) and [rules](rules.md).\n";
        assert_eq!(
            markdown_for_terminal(md),
            "overdue\n-------\n\nDefault level: error, really a `*` bullet.\n\n\
             HOW TO FIX\n\n    [rules]\n    overdue = \"off\"\n\
             See the docs (https://example.org/x) and rules.\n"
        );
    }
}
