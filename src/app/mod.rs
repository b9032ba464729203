//! The command line: [`cli`] parses it, [`run`] dispatches to one of [`commands`],
//! each of which resolves its settings, runs the library and writes its output.

pub mod cli;
pub mod commands;
pub mod lsp;
pub mod settings;
pub mod watch;
pub mod workspace;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::app::cli::{Cli, Command};
use crate::notes::scan::Workspace;
use crate::text::terminal_safe;

/// How a run ended; the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Nothing to report at or above the failure level.
    Success = 0,
    /// Findings at or above the failure level.
    Findings = 1,
    /// A usage error, an unreadable path or file, or bad configuration.
    Error = 2,
}

/// Where a command writes: results to `out`, messages to `err`.
pub struct Io<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    /// Whether standard output is a terminal (colour, width).
    pub out_is_terminal: bool,
}

/// Why a command could not run: printed once, as `error: ...`, by [`run`]; exit 2.
#[derive(Debug)]
pub enum AppError {
    /// Reading or writing failed (a closed pipe on stdout is no error: see [`run`]).
    Io(io::Error),
    /// Anything else, said for the user (a bad configuration, a bad argument...).
    Message(String),
}

impl AppError {
    /// An error with this message.
    pub fn msg(message: impl Into<String>) -> AppError {
        AppError::Message(message.into())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Io(e) => write!(f, "{e}"),
            AppError::Message(m) => f.write_str(m),
        }
    }
}

impl From<io::Error> for AppError {
    fn from(e: io::Error) -> Self {
        AppError::Io(e)
    }
}

/// What a command returns.
pub type AppResult = Result<Exit, AppError>;

/// Run a parsed command line, then flush `out`: output that could not be written is an
/// error (exit 2), except on a closed pipe (`followup list | head`), which ends the run
/// quietly, as it does for ripgrep.
pub fn run_to_end(cli: Cli, io: &mut Io<'_>) -> Exit {
    let exit = run(cli, io);
    match io.out.flush() {
        Ok(()) => exit,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => exit,
        Err(e) => {
            let _ = writeln!(io.err, "error: cannot write the output: {e}");
            Exit::Error
        }
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli, io: &mut Io<'_>) -> Exit {
    let result = match cli.command {
        Command::Agenda(args) => commands::agenda::agenda(args, io),
        Command::Check(args) => commands::check::check(args, io),
        Command::Report(args) => commands::report::report(args, io),
        Command::Brief(args) => commands::brief::brief(args, io),
        Command::List(args) => commands::list::list(args, io),
        Command::Customers(args) => commands::customers::customers(args, io),
        Command::Done(args) => commands::done::done(args, io),
        Command::Snooze(args) => commands::snooze::snooze(args, io),
        Command::Occasions(args) => commands::occasions::occasions(args, io),
        Command::Fix(args) => commands::fix::fix(args, io),
        Command::Rule(args) => commands::check::rule(args, io),
        Command::Config(args) => commands::config::show(args, io),
        Command::Init(args) => commands::config::init(args, io),
        Command::Completions(args) => commands::shell::completions(args.shell, io),
        Command::Man(args) => commands::shell::man(args.subcommand.as_deref(), io),
        Command::Lsp(_) => lsp::run_stdio(io.out).map_or_else(
            |e| Err(AppError::msg(format!("lsp: {e}"))),
            |()| Ok(Exit::Success),
        ),
    };
    match result {
        Ok(exit) => exit,
        // A closed pipe (`followup list | head`) is not an error worth a message.
        Err(AppError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => Exit::Success,
        Err(e) => {
            let _ = writeln!(io.err, "error: {}", terminal_safe(&e.to_string()));
            Exit::Error
        }
    }
}

/// Report files that could not be read (and skipped ones) on stderr; `Exit::Error` when any
/// could not be read, so that a CI run never passes on a note it did not check, or when the
/// paths held no note at all (see [`report_scan`]; here the paths are not named).
///
/// Empty files are no news: a daily-note template leaves one a day, and nothing in them
/// can be late. (`check` warns about a note whose front matter promises a call and that
/// has nothing under it.)
pub fn report_scan_problems(ws: &Workspace, err: &mut dyn Write) -> io::Result<Exit> {
    report_scan_in(None, ws, err)
}

/// [`report_scan_problems`], naming `paths` (the command line's, `.` when none) when they
/// held no note at all: `error: no notes found under notes` (exit 2), so that a mistyped
/// or empty folder is never a clean run. Empty notes count as notes found; an agenda
/// followup generated does not. When every path is a file (a hook's staged notes, which
/// the configuration may exclude), finding no note is no error.
pub fn report_scan(paths: &[PathBuf], ws: &Workspace, err: &mut dyn Write) -> io::Result<Exit> {
    report_scan_in(Some(paths), ws, err)
}

fn report_scan_in(
    paths: Option<&[PathBuf]>,
    ws: &Workspace,
    err: &mut dyn Write,
) -> io::Result<Exit> {
    for e in &ws.errors {
        writeln!(
            err,
            "error: {}: {}",
            crate::text::shown_path(&e.path),
            terminal_safe(&e.message)
        )?;
    }
    for s in &ws.skipped {
        writeln!(
            err,
            "warning: {}: {}",
            crate::text::shown_path(&s.path),
            terminal_safe(&s.message)
        )?;
    }
    if !ws.errors.is_empty() {
        return Ok(Exit::Error);
    }
    // Files named one by one (a pre-commit hook's staged notes) may all be excluded:
    // that is no error. A folder with no note in it is.
    let folders = paths.map_or(true, |p| p.is_empty() || p.iter().any(|p| p.is_dir()));
    if ws.notes + ws.empty.len() == 0 && folders {
        let shown = match paths {
            None => "the paths given".to_owned(),
            Some([]) => ".".to_owned(),
            Some(paths) => paths
                .iter()
                .map(|p| crate::text::shown_path(&p.display().to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
        };
        writeln!(
            err,
            "error: no notes found under {shown} (followup reads *.md and *.markdown files)"
        )?;
        return Ok(Exit::Error);
    }
    Ok(Exit::Success)
}
