//! `followup done`: mark commitments done (or cancelled) by their locators, the
//! `path:line` that `check`, `list` and the agenda print, or by `--match TEXT`. All or
//! nothing: every locator is checked before any note is written.
//!
//! The machinery is shared: [`plan_closes`] plans a set of closes (what `agenda -o FILE`
//! applies from the ticks in its file), and `edit_notes` drives any per-note planner
//! (also `snooze`'s) through `--dry-run` or [`rewrite_notes`].

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::app::cli::{DoneArgs, Locator, ScanArgs, Target};
use crate::app::settings::{excluded_by_config, load_config, read_policy, resolve, today, Env};
use crate::app::{AppError, AppResult, Exit, Io};
use crate::config::Config;
use crate::edit::{close_note_in, unified_diff, Close, Original};
use crate::fs::rewrite::{rewrite_notes, NoteEdit, RewriteError};
use crate::fs::source::{read_note_bytes, BOM};
use crate::fs::walk::{display_name, walk, NoteFile};
use crate::notes::dates::parse_past;
use crate::notes::model::{Note, Status};
use crate::notes::reader::{self, named_file, parse_text, Read, ReadPolicy, Source};
use crate::notes::scan::collect;
use crate::render::agenda::shows_text;
use crate::text::terminal_safe;

/// One commitment to close.
#[derive(Debug, Clone)]
pub struct Closing {
    /// The note, as the user named it (or as an agenda links to it).
    pub path: PathBuf,
    /// The line of its bullet (or of one of its tags).
    pub line: usize,
    /// Done or cancelled.
    pub close: Close,
    /// The item as a markdown agenda showed it (the agenda's round trip, see
    /// [`shows_text`]): the line is checked against it, and when the note changed above
    /// it, the one open commitment in the note with this text is closed instead.
    /// `None`: the line alone decides.
    pub expect: Option<String>,
}

/// A note named by some requests, and the requests.
struct NoteTarget<R> {
    /// The path as the user gave it (first spelling, when named twice).
    path: PathBuf,
    /// How it is shown in messages.
    shown: String,
    /// The file it is, to recognise one note named two ways (`a.md`, `./a.md`, a
    /// symbolic link, a hard link).
    key: FileKey,
    asks: Vec<R>,
}

/// A file's identity: device and inode where there are such, else its canonical path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileKey {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    Path(PathBuf),
}

fn file_key(path: &Path) -> FileKey {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(path) {
            return FileKey::Inode(m.dev(), m.ino());
        }
    }
    FileKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Requests grouped by the note they are about, in the order first named.
fn group<R>(asks: impl IntoIterator<Item = (PathBuf, R)>) -> Vec<NoteTarget<R>> {
    let mut targets: Vec<NoteTarget<R>> = Vec::new();
    for (path, ask) in asks {
        let key = file_key(&path);
        match targets.iter_mut().find(|t| t.key == key) {
            Some(t) => t.asks.push(ask),
            None => targets.push(NoteTarget {
                shown: display_name(path.as_os_str()).into_owned(),
                path,
                key,
                asks: vec![ask],
            }),
        }
    }
    targets
}

/// What a per-note planner returns: the note as read, its new bytes, and one line per
/// change for the user (`marked done: notes/a.md:8 Send it`, without the verb's tense:
/// see `Change::lines`).
pub struct Change {
    /// The note as read.
    pub original: Original,
    /// Its new bytes.
    pub bytes: Vec<u8>,
    /// What changed, one entry per commitment. The same entries when planned again mean
    /// the same edit.
    pub changed: Vec<Changed>,
}

/// One commitment changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// What was done to it (`done`, `due 2026-11-20 -> 2026-11-27 (moved 1 time)`).
    pub what: String,
    /// Its line.
    pub line: usize,
    /// Its text.
    pub text: String,
    /// Said as it is, without the command's verb (a recurring item's next occurrence).
    pub plain: bool,
}

impl Change {
    /// `{verb} {what}: {shown}:{line} {text}` for each commitment.
    fn lines(&self, shown: &str, verb: &str) -> Vec<String> {
        self.changed
            .iter()
            .map(|c| {
                let verb = if c.plain {
                    String::new()
                } else {
                    format!("{verb} ")
                };
                format!(
                    "{verb}{}: {}:{} {}",
                    c.what,
                    terminal_safe(shown),
                    c.line,
                    terminal_safe(&c.text)
                )
            })
            .collect()
    }
}

/// A planned note edit.
struct Planned {
    path: PathBuf,
    shown: String,
    change: Change,
}

/// Edits planned for a set of notes, ready to show or write.
pub struct Plans {
    planned: Vec<Planned>,
    /// Plans a note again, on what is there now (see [`rewrite_notes`]).
    #[allow(clippy::type_complexity)]
    replan: Box<dyn Fn(usize, &NoteFile, Source) -> Result<Change, Vec<String>>>,
}

impl Plans {
    /// No note to change.
    pub fn is_empty(&self) -> bool {
        self.planned.iter().all(|p| p.change.changed.is_empty())
    }

    /// Show the edits as diffs on `out`, and what would change.
    pub fn show_dry_run(&self, verb: &str, io: &mut Io<'_>) -> io::Result<()> {
        for p in &self.planned {
            let diff = unified_diff(&p.shown, &p.change.original.bytes, &p.change.bytes);
            io.out.write_all(diff.as_bytes())?;
            for line in p.change.lines(&p.shown, verb) {
                writeln!(io.out, "{line}")?;
            }
        }
        Ok(())
    }

    /// The end of an edit command: with `dry_run` show the edits (`would` on `out`) and
    /// write nothing, else write them and say so (`done` on `out`).
    pub fn finish(
        self,
        dry_run: bool,
        would: &str,
        done: &str,
        io: &mut Io<'_>,
    ) -> io::Result<Exit> {
        if dry_run {
            self.show_dry_run(would, io)?;
            writeln!(io.err, "dry run: nothing written")?;
            return Ok(Exit::Success);
        }
        self.write(done, io)
    }

    /// Write every note, all or nothing, and say what changed (`verb` on `out`). An
    /// error is said on `err`: `Exit::Error`.
    pub fn write(self, verb: &str, io: &mut Io<'_>) -> io::Result<Exit> {
        let mut edits: Vec<NoteEdit> = self
            .planned
            .iter()
            .map(|p| NoteEdit {
                path: p.path.clone(),
                shown: crate::text::shown_path(&p.shown).into_owned(),
                read: p.change.original.bytes.clone(),
                new: p.change.bytes.clone(),
            })
            .collect();
        let planned = &self.planned;
        let replan = &self.replan;
        // Another run (or an editor) changed a note since it was planned: plan again on
        // what is there now, as long as the same commitments change the same way.
        let again = |i: usize, current: &[u8]| {
            let p = &planned[i];
            let shown = crate::text::shown_path(&p.shown).into_owned();
            let source = Source::decode(current.to_vec()).map_err(|e| format!("{shown}: {e}"))?;
            let file = named_file(&p.path, p.shown.clone());
            let change = replan(i, &file, source).map_err(|e| e.join("; "))?;
            if change.changed != p.change.changed {
                return Err(format!(
                    "{shown}: changed while followup was editing it; nothing written (run the command again)"
                ));
            }
            Ok(change.bytes)
        };
        match rewrite_notes(&mut edits, again) {
            Ok(()) => {
                for p in planned {
                    for line in p.change.lines(&p.shown, verb) {
                        writeln!(io.out, "{line}")?;
                    }
                }
                Ok(Exit::Success)
            }
            Err(e @ RewriteError::Partial { .. }) => {
                writeln!(io.err, "error: {}", terminal_safe(&e.to_string()))?;
                Ok(Exit::Error)
            }
            Err(e) => {
                say_refused(&[terminal_safe(&e.to_string()).into_owned()], io)?;
                Ok(Exit::Error)
            }
        }
    }
}

/// Plan edits to notes: `planner(asks, file, source)` plans one note's edit from its
/// requests. Every note is read and planned before any is written; the problems, one
/// line each, when any cannot be done.
pub fn plan_notes<R: Clone + 'static>(
    config: &Config,
    policy: ReadPolicy,
    asks: Vec<(PathBuf, R)>,
    planner: impl Fn(&[R], &NoteFile, Source) -> Result<Change, Vec<String>> + 'static,
) -> Result<Result<Plans, Vec<String>>, AppError> {
    let targets = group(asks);
    let mut problems: Vec<String> = Vec::new();
    let mut planned: Vec<Planned> = Vec::new();
    let mut asks_of: Vec<Vec<R>> = Vec::new();
    for target in targets {
        let shown = crate::text::shown_path(&target.shown).into_owned();
        if excluded_by_config(config, &target.path)? {
            let file = config.file.as_deref().unwrap_or(Path::new("followup.toml"));
            problems.push(format!(
                "{shown}: excluded by [files] exclude in {}: followup does not read it",
                terminal_safe(&file.display().to_string())
            ));
            continue;
        }
        let file = named_file(&target.path, target.shown.clone());
        let source =
            match read_note_bytes(&target.path, policy.max_file_size).and_then(Source::decode) {
                Ok(s) => s,
                Err(e) => {
                    problems.push(format!("{shown}: {e}"));
                    continue;
                }
            };
        match planner(&target.asks, &file, source) {
            Ok(change) => {
                planned.push(Planned {
                    path: target.path,
                    shown: target.shown,
                    change,
                });
                asks_of.push(target.asks);
            }
            Err(mut e) => problems.append(&mut e),
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    Ok(Ok(Plans {
        planned,
        replan: Box::new(move |i, file, source| planner(&asks_of[i], file, source)),
    }))
}

/// Read a note's text for editing: the original and the parsed note.
pub fn parse_for_edit(
    file: &NoteFile,
    source: Source,
    policy: ReadPolicy,
) -> Result<(Original, Note), Vec<String>> {
    let shown = crate::text::shown_path(&file.display).into_owned();
    let original = Original {
        bytes: source.bytes(),
        bom: if source.bom { BOM.len() } else { 0 },
        text: source.text.clone(),
    };
    match reader::parse(file, source, policy.markers) {
        Read::Note(note, _) => Ok((original, *note)),
        Read::Empty => Err(vec![format!("{shown}: empty, no commitment to mark")]),
        Read::Generated => Err(vec![format!(
            "{shown}: a generated agenda, not a note: give the locator its item links to"
        )]),
    }
}

/// Plan a set of closes: every note read, every locator checked, nothing written.
pub fn plan_closes(
    config: &Config,
    policy: ReadPolicy,
    date: NaiveDate,
    closings: Vec<Closing>,
) -> Result<Result<Plans, Vec<String>>, AppError> {
    let asks = closings.into_iter().map(|c| (c.path.clone(), c)).collect();
    // A recurring item's next occurrence goes below it (`[tasks] new-occurrence`).
    let below = config.occurrence_below;
    plan_notes(config, policy, asks, move |asks, file, source| {
        plan_source(file, asks, source, policy, date, below)
    })
}

/// Plan one note's closes: done ones first, then cancelled ones on the result.
fn plan_source(
    file: &NoteFile,
    asks: &[Closing],
    source: Source,
    policy: ReadPolicy,
    date: NaiveDate,
    below: bool,
) -> Result<Change, Vec<String>> {
    let shown = crate::text::shown_path(&file.display).into_owned();
    let (original, note) = parse_for_edit(file, source, policy)?;
    // Which line each request means, checked against its text when it has one.
    let mut problems = Vec::new();
    let mut lines: Vec<(usize, Close)> = Vec::new();
    for ask in asks {
        match resolve_line(&note, ask) {
            Ok(Some(line)) => lines.push((line, ask.close)),
            Ok(None) => {}
            Err(why) => problems.push(format!("{shown}:{}: {why}", ask.line)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut current = original.clone();
    let mut changed = Vec::new();
    for how in [Close::Done, Close::Cancel] {
        let these: Vec<usize> = lines
            .iter()
            .filter(|(_, c)| *c == how)
            .map(|(l, _)| *l)
            .collect();
        if these.is_empty() {
            continue;
        }
        let note = if changed.is_empty() {
            note.clone()
        } else {
            parse_text(file, &current.text, policy.markers)
        };
        let reparse = |text: &str| parse_text(file, text, policy.markers);
        let closed =
            close_note_in(&current, &note, reparse, &these, how, date, below).map_err(|rs| {
                rs.iter()
                    .map(|r| format!("{shown}:{}: {}", r.line(), terminal_safe(&r.to_string())))
                    .collect::<Vec<_>>()
            })?;
        for (line, text) in closed.closed {
            changed.push(Changed {
                what: how.status().as_str().to_owned(),
                line,
                text,
                plain: false,
            });
        }
        for (line, text, due, rule) in closed.next {
            let due = due.map(|d| format!(", due {d}")).unwrap_or_default();
            changed.push(Changed {
                what: format!("next occurrence ({}{due})", terminal_safe(&rule)),
                line,
                text,
                plain: true,
            });
        }
        current = Original::new(closed.bytes).map_err(|e| vec![format!("{shown}: {e}")])?;
    }
    changed.sort_by_key(|c| (c.plain, c.line));
    Ok(Change {
        original,
        bytes: current.bytes,
        changed,
    })
}

/// The line a request means. With an expected text (the agenda's round trip): its line
/// when the commitment there still reads so, else the one open commitment in the note
/// that does; `None` when it is already closed there (nothing to do); an error when the
/// text is nowhere, or on more than one open commitment.
fn resolve_line(note: &Note, ask: &Closing) -> Result<Option<usize>, String> {
    let Some(expect) = &ask.expect else {
        return Ok(Some(ask.line));
    };
    let reads = |c: &crate::notes::model::Commitment| shows_text(expect, &c.text);
    if let Some(c) = note
        .commitments
        .iter()
        .find(|c| c.line == ask.line && reads(c))
    {
        return Ok((c.status == Status::Open).then_some(c.line));
    }
    let same: Vec<_> = note.commitments.iter().filter(|c| reads(c)).collect();
    let open: Vec<_> = same.iter().filter(|c| c.status == Status::Open).collect();
    match (open.as_slice(), same.as_slice()) {
        ([one], _) => Ok(Some(one.line)),
        ([], []) => Err(format!(
            "the note changed: no commitment there reads `{}` any more",
            terminal_safe(expect)
        )),
        ([], _) => Ok(None),
        (more, _) => Err(format!(
            "the note changed: `{}` is on lines {}; mark the one you mean with `followup done PATH:LINE`",
            terminal_safe(expect),
            more.iter()
                .map(|c| c.line.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Run `done`.
pub fn done(args: DoneArgs, io: &mut Io<'_>) -> AppResult {
    let locators = match locators_of(
        &args.targets,
        args.r#match.as_deref(),
        &args.config,
        args.today,
        io,
    )? {
        Ok(l) => l,
        Err(exit) => return Ok(exit),
    };
    let first = locators.first().map(|l| l.path.clone());
    let config = load_config(&args.config, first.as_slice())?;
    let policy = read_policy(&config, args.max_file_size);
    let close = if args.cancel {
        Close::Cancel
    } else {
        Close::Done
    };
    let today = today(args.today);
    let date = match &args.date {
        None => today,
        Some(d) => parse_past(d, today, config.markers.date_order)
            .map_err(|e| AppError::msg(format!("--date: {e}")))?,
    };
    let closings = locators
        .into_iter()
        .map(|l| Closing {
            path: l.path,
            line: l.line,
            close,
            expect: None,
        })
        .collect();
    let plans = match plan_closes(&config, policy, date, closings)? {
        Ok(p) => p,
        Err(problems) => return refuse(&problems, io),
    };
    Ok(plans.finish(args.dry_run, "would mark", "marked", io)?)
}

/// The locators named on the command line: each `PATH:LINE`, or with `--match TEXT`
/// the one open commitment matching it under the paths given; or the exit after saying
/// why not.
pub fn locators_of(
    targets: &[Target],
    pattern: Option<&str>,
    config: &crate::app::cli::ConfigArgs,
    today: Option<NaiveDate>,
    io: &mut Io<'_>,
) -> Result<Result<Vec<Locator>, Exit>, AppError> {
    if let Some(pattern) = pattern {
        // With --match, every argument is a place to look.
        let paths: Vec<PathBuf> = targets
            .iter()
            .map(|t| match t {
                Target::Locator(l) => l.path.clone(),
                Target::Path(p, _) => p.clone(),
            })
            .collect();
        return Ok(match_open(pattern, &paths, config, today, io)?.map(|l| vec![l]));
    }
    let mut locators = Vec::new();
    let mut problems = Vec::new();
    for t in targets {
        match t {
            Target::Locator(l) => locators.push(l.clone()),
            Target::Path(_, why) => problems.push(why.clone()),
        }
    }
    if locators.is_empty() && problems.is_empty() {
        problems.push(
            "name the commitments: PATH:LINE as check, list and the agenda print them, or --match TEXT"
                .to_owned(),
        );
    }
    if !problems.is_empty() {
        return Ok(Err(refuse(&problems, io)?));
    }
    Ok(Ok(locators))
}

/// The one open commitment under `paths` (default `.`) whose text contains `pattern`,
/// case-insensitively, as a locator; or the exit after saying why not (none: exit 2;
/// several: exit 2, each listed).
pub fn match_open(
    pattern: &str,
    paths: &[PathBuf],
    config: &crate::app::cli::ConfigArgs,
    today: Option<NaiveDate>,
    io: &mut Io<'_>,
) -> Result<Result<Locator, Exit>, AppError> {
    let scan = ScanArgs {
        paths: paths.to_vec(),
        today,
        max_file_size: None,
        follow: false,
        no_progress: true,
        no_ignore: false,
        hidden: false,
        no_cache: true,
        exclude: Vec::new(),
        config: crate::app::cli::ConfigArgs {
            config: config.config.clone(),
            isolated: config.isolated,
        },
    };
    let settings = resolve(&scan, &Env::current())?;
    let walked = walk(&scan.paths, &settings.scan.walk);
    let (ws, notes) = collect(walked, &settings.scan, |_, note, _| note);
    if crate::app::report_scan_problems(&ws, io.err)? == Exit::Error {
        writeln!(io.err, "nothing written")?;
        return Ok(Err(Exit::Error));
    }
    let needle = pattern.to_lowercase();
    let found: Vec<(String, usize, String)> = notes
        .iter()
        .flat_map(|n| n.commitments.iter().map(move |c| (n, c)))
        .filter(|(_, c)| c.status == Status::Open && c.text.to_lowercase().contains(&needle))
        .map(|(n, c)| (n.path.clone(), c.line, c.text.clone()))
        .collect();
    let shown = terminal_safe(pattern);
    match found.as_slice() {
        [(path, line, _)] => Ok(Ok(Locator {
            path: PathBuf::from(path),
            line: *line,
        })),
        [] => {
            writeln!(
                io.err,
                "error: no open commitment matches `{shown}`; nothing written"
            )?;
            Ok(Err(Exit::Error))
        }
        many => {
            writeln!(
                io.err,
                "error: {} open commitments match `{shown}`; give a longer text or one of these locators:",
                many.len()
            )?;
            for (path, line, text) in many {
                writeln!(
                    io.err,
                    "  {}:{line} {}",
                    terminal_safe(path),
                    terminal_safe(text)
                )?;
            }
            writeln!(io.err, "nothing written")?;
            Ok(Err(Exit::Error))
        }
    }
}

/// The errors, and that nothing was written: exit 2.
pub fn refuse(problems: &[String], io: &mut Io<'_>) -> AppResult {
    say_refused(problems, io)?;
    Ok(Exit::Error)
}

fn say_refused(problems: &[String], io: &mut Io<'_>) -> io::Result<()> {
    for p in problems {
        writeln!(io.err, "error: {p}")?;
    }
    writeln!(io.err, "nothing written")
}
