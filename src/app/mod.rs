//! The command line: [`cli`] parses it, [`run`] dispatches to one of [`commands`],
//! each of which resolves its settings, runs the library and writes its output.

pub mod cli;
pub mod commands;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;

use crate::app::cli::{Cli, Command, ConfigArgs, ScanArgs};
use crate::config::{self, Config};
use crate::fs::paths::absolute;
use crate::fs::walk::WalkOptions;
use crate::notes::scan::{ScanSettings, Workspace};
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

/// Run a parsed command line.
pub fn run(cli: Cli, io: &mut Io<'_>) -> Exit {
    let result = match cli.command {
        Command::Agenda(args) => commands::agenda::agenda(args, io),
        Command::Check(args) => commands::check::check(args, io),
        Command::List(args) => commands::list::list(args, io),
        Command::Customers(args) => commands::customers::customers(args, io),
        Command::Done(args) => commands::done::done(args, io),
        Command::Fix(args) => commands::fix::fix(args, io),
        Command::Rule(args) => commands::check::rule(args, io),
        Command::Config(args) => commands::config::show(args, io),
        Command::Init(args) => commands::config::init(args, io),
        Command::Completions(args) => commands::shell::completions(args.shell, io),
        Command::Man(args) => commands::shell::man(args.subcommand.as_deref(), io),
    };
    match result {
        Ok(exit) => exit,
        // A closed pipe (`followup list | head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Exit::Success,
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            Exit::Error
        }
    }
}

/// The day to judge dates against.
pub fn today(args: &ScanArgs) -> NaiveDate {
    args.today
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The settings a scanning command runs with.
pub struct Setup {
    /// The configuration in effect.
    pub config: Config,
    /// How to walk and read the notes.
    pub scan: ScanSettings,
}

/// Load the configuration (`--config`, else discovered from the first path, unless
/// `--isolated`) and lay the command line over it. A configuration that cannot be used
/// is reported on `err`; `None` then, and the command exits with 2.
pub fn setup(args: &ScanArgs, err: &mut dyn Write) -> io::Result<Option<Setup>> {
    let Some(config) = load_config(&args.config, &args.paths, err)? else {
        return Ok(None);
    };
    let exclude = match config.exclude_matcher(&[]) {
        Ok(m) => m,
        Err(e) => {
            writeln!(err, "error: [files] exclude: {e}")?;
            return Ok(None);
        }
    };
    // Command-line patterns are relative to the current folder, the file's to its own.
    let cli_exclude = Config {
        root: absolute(Path::new(".")),
        ..Config::default()
    };
    let cli_exclude = match cli_exclude.exclude_matcher(&args.exclude) {
        Ok(m) => m,
        Err(e) => {
            writeln!(err, "error: --exclude: {e}")?;
            return Ok(None);
        }
    };
    let default = ScanSettings::default();
    let mut excludes = Vec::new();
    if !exclude.is_empty() {
        excludes.push((exclude, config.root.clone()));
    }
    if !cli_exclude.is_empty() {
        excludes.push((cli_exclude, absolute(Path::new("."))));
    }
    let scan = ScanSettings {
        markers: config.markers,
        max_file_size: args.max_file_size.unwrap_or(default.max_file_size),
        walk: WalkOptions {
            follow_links: args.follow,
            include_hidden: args.hidden || config.files.include_hidden,
            gitignore: !args.no_ignore && config.files.respect_gitignore,
            exclude: excludes,
        },
        progress: progress_wanted(
            args.no_progress,
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
            |name| std::env::var_os(name).is_some(),
        )
        .then(progress_delay),
    };
    Ok(Some(Setup { config, scan }))
}

/// The configuration `args` ask for, for `paths`; errors are reported on `err` (`None`).
pub fn load_config(
    args: &ConfigArgs,
    paths: &[PathBuf],
    err: &mut dyn Write,
) -> io::Result<Option<Config>> {
    if args.isolated {
        return Ok(Some(Config {
            root: absolute(Path::new(".")),
            ..Config::default()
        }));
    }
    let start = paths.first().map_or(Path::new("."), PathBuf::as_path);
    match config::load(args.config.as_deref(), start) {
        Ok(c) => Ok(Some(c)),
        Err(e) => {
            writeln!(err, "error: {}", terminal_safe(&e.to_string()))?;
            Ok(None)
        }
    }
}

/// A progress bar is for a person watching a terminal: never when asked not to, never
/// when stderr is a file or pipe, never under CI or pre-commit (both set a variable).
fn progress_wanted(no_progress: bool, stderr_tty: bool, env_set: impl Fn(&str) -> bool) -> bool {
    !no_progress && stderr_tty && !env_set("CI") && !env_set("PRE_COMMIT")
}

/// How long a scan runs before its progress bar shows: a second, so that a bar never
/// flashes on a fast run. `FOLLOWUP_PROGRESS_DELAY_MS` changes it (the tests use 0 to
/// see the bar on a small corpus).
fn progress_delay() -> Duration {
    std::env::var("FOLLOWUP_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// Report files that could not be read (and skipped and empty ones) on stderr; `Exit::Error` when
/// any could not be read, so that a CI run never passes on a note it did not check.
pub fn report_scan_problems(ws: &Workspace, err: &mut dyn Write) -> io::Result<Exit> {
    for e in &ws.errors {
        writeln!(
            err,
            "error: {}: {}",
            terminal_safe(&e.path),
            terminal_safe(&e.message)
        )?;
    }
    for s in &ws.skipped {
        writeln!(
            err,
            "warning: {}: {}",
            terminal_safe(&s.path),
            terminal_safe(&s.message)
        )?;
    }
    for p in &ws.empty {
        writeln!(
            err,
            "warning: {}: empty file, nothing to read",
            terminal_safe(p)
        )?;
    }
    Ok(if ws.errors.is_empty() {
        Exit::Success
    } else {
        Exit::Error
    })
}

#[cfg(test)]
mod tests {
    use super::progress_wanted;

    #[test]
    fn progress_only_for_a_person_at_a_terminal() {
        let none = |_: &str| false;
        assert!(progress_wanted(false, true, none));
        assert!(!progress_wanted(true, true, none), "--no-progress");
        assert!(
            !progress_wanted(false, false, none),
            "stderr not a terminal"
        );
        assert!(!progress_wanted(false, true, |v| v == "CI"), "CI");
        assert!(
            !progress_wanted(false, true, |v| v == "PRE_COMMIT"),
            "pre-commit"
        );
    }
}
