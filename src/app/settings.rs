//! The settings stage: the configuration file, the command line and the environment
//! resolved once into the typed settings a command runs with (ripgrep's low args ->
//! high args). Nothing after this stage looks at a flag or a file of settings again.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;

use crate::app::cli::{ConfigArgs, ScanArgs};
use crate::app::AppError;
use crate::config::{self, Config};
use crate::fs::paths::{absolute, is_match};
use crate::fs::source::DEFAULT_MAX_FILE_SIZE;
use crate::fs::walk::WalkOptions;
use crate::notes::reader::ReadPolicy;
use crate::notes::scan::ScanSettings;
use crate::rules::{Rule, RuleSettings};

/// What a command that reads notes runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration in effect (rule levels, agenda and customer defaults).
    pub config: Config,
    /// How to walk and read the notes.
    pub scan: ScanSettings,
    /// The day to judge dates against.
    pub today: NaiveDate,
    /// The cache folder, unless the cache is off (`--no-cache`, `[cache] enabled =
    /// false`, no cache folder).
    pub cache: Option<PathBuf>,
}

/// What the environment tells the settings: read once, so tests can give their own.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Whether stderr is a terminal (for the progress bar).
    pub stderr_tty: bool,
    /// `CI` is set (a CI service runs us).
    pub ci: bool,
    /// `PRE_COMMIT` is set (pre-commit runs us).
    pub pre_commit: bool,
    /// `FOLLOWUP_PROGRESS_DELAY_MS`: how long a scan runs before its bar shows.
    pub progress_delay: Option<Duration>,
    /// The cache folder: `FOLLOWUP_CACHE_DIR`, else the user's cache folder; none (no
    /// cache) by default, so that a test never writes to the user's.
    pub cache_dir: Option<PathBuf>,
}

impl Env {
    /// The environment of this process.
    pub fn current() -> Env {
        let set = |name: &str| std::env::var_os(name).is_some();
        Env {
            stderr_tty: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            ci: set("CI"),
            pre_commit: set("PRE_COMMIT"),
            progress_delay: std::env::var("FOLLOWUP_PROGRESS_DELAY_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map(Duration::from_millis),
            cache_dir: cache_dir(),
        }
    }
}

/// `FOLLOWUP_CACHE_DIR` when set (and not empty), else the user's cache folder.
pub fn cache_dir() -> Option<PathBuf> {
    std::env::var_os("FOLLOWUP_CACHE_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(crate::cache::default_dir)
}

/// Resolve a scanning command's arguments: load the configuration (`--config`, else
/// discovered from the first path, unless `--isolated`) and lay the flags over it.
pub fn resolve(args: &ScanArgs, env: &Env) -> Result<Settings, AppError> {
    let config = load_config(&args.config, &args.paths)?;
    let today = today(args.today);
    let mut scan = scan_settings(&config, today)?;
    // Command-line patterns are relative to the current folder, the file's to its own.
    let cwd = absolute(Path::new("."));
    let from_flags = Config {
        root: cwd.clone(),
        ..Config::default()
    }
    .exclude_matcher(&args.exclude)
    .map_err(|e| AppError::msg(format!("--exclude: {e}")))?;
    if !from_flags.is_empty() {
        scan.walk.exclude.push((from_flags, cwd));
    }
    if let Some(max) = args.max_file_size {
        scan.read.max_file_size = max;
    }
    scan.walk.follow_links = args.follow;
    scan.walk.include_hidden |= args.hidden;
    scan.walk.gitignore &= !args.no_ignore;
    scan.progress = progress_after(args.no_progress, env);
    let cache = env
        .cache_dir
        .clone()
        .filter(|_| config.cache && !args.no_cache);
    Ok(Settings {
        config,
        scan,
        today,
        cache,
    })
}

/// How notes are walked and read under `config` alone, judged on `today` (the flags of
/// [`resolve`] lay over this; the language server uses it as it is).
pub fn scan_settings(config: &Config, today: NaiveDate) -> Result<ScanSettings, AppError> {
    let mut exclude = Vec::new();
    let from_file = config
        .exclude_matcher(&[])
        .map_err(|e| AppError::msg(format!("[files] exclude: {e}")))?;
    if !from_file.is_empty() {
        exclude.push((from_file, config.root.clone()));
    }
    let mut read = read_policy(config, None);
    read.markers.today = Some(today);
    Ok(ScanSettings {
        read,
        customers: config.customer_folders.clone(),
        walk: WalkOptions {
            follow_links: false,
            include_hidden: config.files.include_hidden,
            gitignore: config.files.respect_gitignore,
            exclude,
        },
        progress: None,
    })
}

/// `--select` and `--ignore`: which rules run, laid over the levels the configuration
/// (and its overrides) gives each note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// Only these rules, when given.
    pub select: Option<Vec<Rule>>,
    /// Never these rules (wins over `select`).
    pub ignore: Vec<Rule>,
}

impl RuleSelection {
    /// Validate `--select` and `--ignore` against the registry: an unknown name is an
    /// error with "did you mean".
    pub fn from_flags(select: &[String], ignore: &[String]) -> Result<Self, AppError> {
        let names = |flag: &str, names: &[String]| -> Result<Vec<Rule>, AppError> {
            names
                .iter()
                .map(|n| n.trim())
                .filter(|n| !n.is_empty())
                .map(|n| Rule::from_name(n).ok_or_else(|| unknown_rule(flag, n)))
                .collect()
        };
        let chosen = names("--select", select)?;
        Ok(RuleSelection {
            select: (!select.is_empty()).then_some(chosen),
            ignore: names("--ignore", ignore)?,
        })
    }

    /// Lay the selection over one note's rule settings.
    pub fn apply(&self, rules: &mut RuleSettings) {
        if let Some(select) = &self.select {
            for r in Rule::ALL {
                if !select.contains(&r) {
                    rules.set_level(r, None);
                } else if rules.level(r).is_none() {
                    rules.set_level(r, Some(r.default_level()));
                }
            }
        }
        for &r in &self.ignore {
            rules.set_level(r, None);
        }
    }
}

/// "`--select`: there is no rule `overdu`; did you mean `overdue`?"
pub fn unknown_rule(flag: &str, name: &str) -> AppError {
    let name_shown = crate::text::terminal_safe(name);
    let prefix = if flag.is_empty() {
        String::new()
    } else {
        format!("{flag}: ")
    };
    AppError::msg(match crate::rules::registry::closest_name(name) {
        Some(close) => {
            format!("{prefix}there is no rule `{name_shown}`; did you mean `{close}`?")
        }
        None => {
            format!("{prefix}there is no rule `{name_shown}`; `followup rule --list` lists them")
        }
    })
}

/// How notes are read under `config`, with `--max-file-size` when given.
pub fn read_policy(config: &Config, max_file_size: Option<u64>) -> ReadPolicy {
    ReadPolicy {
        markers: config.markers,
        max_file_size: max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
    }
}

/// Whether the configuration's `[files] exclude` keeps followup from reading `path`.
pub fn excluded_by_config(config: &Config, path: &Path) -> Result<bool, AppError> {
    let matcher = config
        .exclude_matcher(&[])
        .map_err(|e| AppError::msg(format!("[files] exclude: {e}")))?;
    Ok(!matcher.is_empty() && is_match(&matcher, &config.root, &absolute(path)))
}

/// `--today`, else the local date.
pub fn today(flag: Option<NaiveDate>) -> NaiveDate {
    flag.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The configuration `args` ask for, for `paths`.
pub fn load_config(args: &ConfigArgs, paths: &[PathBuf]) -> Result<Config, AppError> {
    if args.isolated {
        return Ok(Config {
            root: absolute(Path::new(".")),
            ..Config::default()
        });
    }
    let start = paths.first().map_or(Path::new("."), PathBuf::as_path);
    config::load(args.config.as_deref(), start).map_err(|e| AppError::msg(e.to_string()))
}

/// A progress bar is for a person watching a terminal: never when asked not to, never
/// when stderr is a file or pipe, never under CI or pre-commit. It shows once a scan has
/// run a second (so that a bar never flashes on a fast run), or as the environment says.
fn progress_after(no_progress: bool, env: &Env) -> Option<Duration> {
    let wanted = !no_progress && env.stderr_tty && !env.ci && !env.pre_commit;
    wanted.then(|| env.progress_delay.unwrap_or(Duration::from_secs(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::cli::Cli;
    use clap::Parser;

    fn scan_args(line: &[&str]) -> ScanArgs {
        let cli = Cli::try_parse_from(["followup", "list"].iter().chain(line)).unwrap();
        match cli.command {
            crate::app::cli::Command::List(a) => a.scan,
            _ => unreachable!(),
        }
    }

    fn config_dir(toml: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("followup.toml"), toml).unwrap();
        dir
    }

    #[test]
    fn flags_beat_the_file() {
        let dir = config_dir(
            "[files]\ninclude-hidden = false\nrespect-gitignore = true\n\
             [markers]\nstar-bullets = false\n",
        );
        let path = dir.path().to_str().unwrap();
        let s = resolve(&scan_args(&[path]), &Env::default()).unwrap();
        assert!(!s.scan.walk.include_hidden && s.scan.walk.gitignore);
        assert!(!s.scan.read.markers.star && s.scan.read.markers.tasks);
        assert_eq!(s.scan.read.max_file_size, DEFAULT_MAX_FILE_SIZE);
        let s = resolve(
            &scan_args(&[path, "--hidden", "--no-ignore", "--max-file-size", "2K"]),
            &Env::default(),
        )
        .unwrap();
        assert!(s.scan.walk.include_hidden && !s.scan.walk.gitignore);
        assert_eq!(s.scan.read.max_file_size, 2048);
        let s = resolve(&scan_args(&[path, "--isolated"]), &Env::default()).unwrap();
        assert!(s.scan.read.markers.star, "--isolated ignores the file");
    }

    #[test]
    fn excludes_from_the_file_and_the_flags() {
        let dir = config_dir("[files]\nexclude = [\"Templates/\"]\n");
        let path = dir.path().to_str().unwrap();
        let s = resolve(
            &scan_args(&[path, "--exclude", "*.tmp.md"]),
            &Env::default(),
        )
        .unwrap();
        assert_eq!(s.scan.walk.exclude.len(), 2);
        assert!(excluded_by_config(&s.config, &dir.path().join("Templates/call.md")).unwrap());
        assert!(!excluded_by_config(&s.config, &dir.path().join("acme/call.md")).unwrap());
    }

    #[test]
    fn a_bad_file_is_one_error_naming_it() {
        let dir = config_dir("[rules]\noverdu = \"error\"\n");
        let e = resolve(&scan_args(&[dir.path().to_str().unwrap()]), &Env::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("followup.toml") && e.contains("overdue"), "{e}");
    }

    #[test]
    fn select_and_ignore_lay_over_the_levels() {
        let flags = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut rules = RuleSettings::default();
        rules.set_level(Rule::MissingDue, None);
        rules.set_level(Rule::Overdue, Some(crate::rules::Level::Warning));
        let sel = RuleSelection::from_flags(
            &flags(&["overdue", "missing-due", "due-soon"]),
            &flags(&["due-soon"]),
        )
        .unwrap();
        sel.apply(&mut rules);
        for r in Rule::ALL {
            let expected = match r {
                // Kept at the configured level.
                Rule::Overdue => Some(crate::rules::Level::Warning),
                // Off in the configuration, selected: its default level.
                Rule::MissingDue => Some(Rule::MissingDue.default_level()),
                _ => None,
            };
            assert_eq!(rules.level(r), expected, "{r}");
        }
        let none = RuleSelection::from_flags(&[], &[]).unwrap();
        let mut all = RuleSettings::default();
        none.apply(&mut all);
        assert_eq!(all, RuleSettings::default());
        let e = RuleSelection::from_flags(&flags(&["overdu"]), &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--select: there is no rule `overdu`; did you mean `overdue`?"
        );
    }

    #[test]
    fn progress_only_for_a_person_at_a_terminal() {
        let tty = Env {
            stderr_tty: true,
            ..Env::default()
        };
        assert_eq!(progress_after(false, &tty), Some(Duration::from_secs(1)));
        assert_eq!(progress_after(true, &tty), None, "--no-progress");
        assert_eq!(progress_after(false, &Env::default()), None, "not a tty");
        let ci = Env {
            ci: true,
            ..tty.clone()
        };
        assert_eq!(progress_after(false, &ci), None, "CI");
        let hook = Env {
            pre_commit: true,
            ..tty.clone()
        };
        assert_eq!(progress_after(false, &hook), None, "pre-commit");
        let fast = Env {
            progress_delay: Some(Duration::ZERO),
            ..tty
        };
        assert_eq!(progress_after(false, &fast), Some(Duration::ZERO));
    }
}
