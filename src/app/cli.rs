//! Command-line arguments. Parsed by clap, then turned into settings by `run`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::fs::source::parse_size;
use crate::notes::dates::parse_iso;
use crate::rules::Level;

/// Find the promises in your markdown call notes, lint them, and write a weekly
/// follow-up agenda.
#[derive(Debug, Parser)]
#[command(name = "followup", version = env!("FOLLOWUP_VERSION"), about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the weekly follow-up agenda: overdue, this week by day, waiting on others.
    Agenda(AgendaArgs),
    /// Lint the notes: overdue, undated and malformed commitments.
    Check(CheckArgs),
    /// Write the follow-through report: one HTML page with charts (or its numbers as JSON).
    Report(ReportArgs),
    /// Write the brief to read before a call with one customer.
    Brief(BriefArgs),
    /// List the commitments in the notes, by due date (undated last).
    List(ListArgs),
    /// One row per customer: last contact, cadence, open and overdue commitments.
    Customers(CustomersArgs),
    /// Mark commitments done (or cancelled) by the `path:line` that check, list and the
    /// agenda print.
    Done(DoneArgs),
    /// Move the due (or scheduled) date of commitments, in each item's own tag style,
    /// and count the move in `@moved(N)`.
    Snooze(SnoozeArgs),
    /// Rewrite what can be fixed without guessing: relative dates as YYYY-MM-DD, and
    /// misspelt tag names unknown-tag is sure of.
    Fix(FixArgs),
    /// Cards for occasions: `occasions sent NAME` records that one went out.
    Occasions(OccasionsArgs),
    /// Explain a rule of `check`, or list them all.
    Rule(RuleArgs),
    /// Print the settings in effect (as a followup.toml) and the file they came from;
    /// `--docs` prints the configuration reference.
    Config(ShowConfigArgs),
    /// Write a commented starter followup.toml (never over an existing one).
    Init(InitArgs),
    /// The cache of what was read in each note: where it is, and removing it.
    Cache(CacheArgs),
    /// Print a shell completion script: `followup completions bash > ~/.local/share/bash-completion/completions/followup`.
    Completions(CompletionsArgs),
    /// Print the man page (roff): `followup man > ~/.local/share/man/man1/followup.1`.
    Man(ManArgs),
    /// Run the language server on stdin and stdout: diagnostics, fixes and more in any
    /// editor with an LSP client (see docs/editors.md).
    Lsp(LspArgs),
}

/// `followup lsp`.
#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over stdin and stdout (the only transport; accepted because many clients
    /// pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// `followup man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand's page instead (`followup man check` is followup-check(1)).
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

/// `followup completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Which notes to read and what day it is.
#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Files or folders to scan [default: .]
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// The day to judge due dates against (YYYY-MM-DD) [default: the local date].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub today: Option<NaiveDate>,
    /// Skip (and report) notes bigger than this: bytes, or with K, M or G (powers of
    /// 1024) [default: 4M].
    #[arg(long, value_name = "SIZE", value_parser = size_arg)]
    pub max_file_size: Option<u64>,
    /// Follow symbolic links that lead out of the scanned folders (loops are reported).
    #[arg(long)]
    pub follow: bool,
    /// Never show a progress bar (it shows on a terminal when a scan takes over a
    /// second, never under CI or pre-commit).
    #[arg(long)]
    pub no_progress: bool,
    /// Also read what `.gitignore` files ignore.
    #[arg(long)]
    pub no_ignore: bool,
    /// Also read hidden files and folders (names starting with `.`).
    #[arg(long)]
    pub hidden: bool,
    /// Read every note, and neither read nor write the cache of what was read in each
    /// note (`followup cache dir` says where it is).
    #[arg(long)]
    pub no_cache: bool,
    /// Never read paths matching GLOB (.gitignore syntax, relative to the current
    /// folder); adds to the configuration's `exclude`.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub config: ConfigArgs,
}

/// Which configuration file to use.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Use this configuration file instead of looking for `followup.toml` or
    /// `.followup.toml` from the first path up to the repository root.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file: the defaults and the command line only.
    #[arg(long)]
    pub isolated: bool,
}

/// `followup config`.
#[derive(Debug, Args)]
pub struct ShowConfigArgs {
    /// Show the settings in effect for these paths (the first one decides) [default: .]
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Print the configuration reference (every key, with examples) instead.
    #[arg(long)]
    pub docs: bool,
    /// How to print the reference with `--docs`.
    #[arg(long, value_enum, default_value_t = DocsFormat::Text, requires = "docs")]
    pub format: DocsFormat,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub config: ConfigArgs,
}

/// `followup cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do with the cache.
    #[command(subcommand)]
    pub action: CacheAction,
}

/// `followup cache dir` and `followup cache clean`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum CacheAction {
    /// Print the cache folder (`FOLLOWUP_CACHE_DIR`, else the user's cache folder).
    Dir,
    /// Remove every cache file followup wrote there.
    Clean,
}

/// `followup init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write `followup.toml` in [default: .]
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `followup list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Which commitments to show.
    #[arg(long, value_enum, default_value_t = StatusFilter::All)]
    pub status: StatusFilter,
    /// Only customers whose name or slug starts with NAME, ignoring case (`acme`,
    /// `Acme Corp` and `acme-corp` all find Acme Corp).
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// The order of the rows.
    #[arg(long, value_enum, default_value_t = ListSort::Due)]
    pub sort: ListSort,
}

/// `list --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListSort {
    /// By due date, undated last, then by path and line.
    Due,
    /// Highest priority first (Obsidian Tasks' 🔺⏫🔼, none, 🔽⏬), then by due date.
    Priority,
    /// By customer name, notes with none last, then by due date.
    Customer,
    /// By path and line.
    Path,
}

/// `followup customers`.
#[derive(Debug, Args)]
pub struct CustomersArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CustomersFormat::Table)]
    pub format: CustomersFormat,
}

/// `followup occasions`.
#[derive(Debug, Args)]
pub struct OccasionsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: OccasionsCommand,
}

/// The `occasions` subcommands.
#[derive(Debug, Subcommand)]
pub enum OccasionsCommand {
    /// Record that the card for an occasion went out: a dated entry under `card-sent:`
    /// in the customer's profile.
    Sent(OccasionsSentArgs),
}

/// `followup occasions sent`.
#[derive(Debug, Args)]
pub struct OccasionsSentArgs {
    /// The occasion: what the card is for ("Dana Ruiz's birthday", "Maya's graduation")
    /// or whose day it is, in any case; part of what it is for when nothing matches whole.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The day the card was sent (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub date: Option<NaiveDate>,
    /// Print the change as a diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scan: ScanArgs,
}

/// `customers` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CustomersFormat {
    /// Aligned columns for people.
    Table,
    /// A JSON array, one object per customer.
    Json,
}

/// `followup agenda`.
#[derive(Debug, Clone, Args)]
pub struct AgendaArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scan: ScanArgs,
    /// First day of the window (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub from: Option<NaiveDate>,
    /// Length of the window in days [default: 7, or the configuration's `days`].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: Option<u32>,
    /// Write the agenda to FILE (atomically, only when it changes) instead of stdout;
    /// `-` is stdout [default: the configuration's `output`, else stdout].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AgendaFormat::Markdown)]
    pub format: AgendaFormat,
    /// Write nothing: exit 0 when FILE is up to date, 1 (with a diff) when it is not.
    #[arg(long)]
    pub check: bool,
    /// Overwrite FILE even when followup did not generate it.
    #[arg(long)]
    pub force: bool,
    /// With -o FILE: write it, and exit 1 when that changed it (as formatters do in a
    /// pre-commit hook: the next commit includes it).
    #[arg(long, conflicts_with = "check")]
    pub exit_code: bool,
    /// Don't apply the items ticked in FILE (`[x]` done, `[-]` cancelled) to the notes
    /// before writing it again.
    #[arg(long)]
    pub no_apply: bool,
    /// Write nothing: show what the ticks in FILE would change in the notes, as a diff.
    #[arg(long, conflicts_with = "check")]
    pub dry_run: bool,
    /// Write the agenda again whenever a note changes (Ctrl-C ends it).
    #[arg(long, conflicts_with = "check")]
    pub watch: bool,
    /// Only the customers whose profile's `owner:` starts with NAME, ignoring case (`sam`
    /// finds Sam Patel).
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Only this customer: its name or slug, or the start of one, as `list --customer`
    /// (repeat it for several; with --owner, those of the owner's customers).
    #[arg(long, value_name = "NAME")]
    pub customer: Vec<String>,
    /// At most N items per section of the markdown agenda, then how many more and the
    /// `followup list` command that shows them.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
}

/// `followup report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scan: ScanArgs,
    /// How many weeks the follow-through covers, this one included.
    #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=104))]
    pub weeks: u32,
    /// Write the report to FILE (atomically, only when it changes) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Overwrite FILE even when followup did not generate it.
    #[arg(long)]
    pub force: bool,
}

/// `report` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page with charts.
    Html,
    /// The same numbers as data.
    Json,
}

/// `followup brief`.
#[derive(Debug, Args)]
pub struct BriefArgs {
    /// The customer: a name or slug, or the start of one (`acme`).
    #[arg(value_name = "CUSTOMER")]
    pub customer: String,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scan: ScanArgs,
    /// How many weeks the follow-through rate covers, this one included.
    #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=104))]
    pub weeks: u32,
    /// Write the brief to FILE (atomically, only when it changes) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Markdown)]
    pub format: BriefFormat,
    /// Overwrite FILE even when followup did not generate it.
    #[arg(long)]
    pub force: bool,
}

/// `brief` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BriefFormat {
    /// A markdown page to read before the call.
    Markdown,
    /// The same content as data.
    Json,
}

/// `followup done`.
#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The commitments, as PATH:LINE, the way `check`, `list` and the agenda print them
    /// (PATH:LINE:COL from `check` works too); PATH as seen from the current folder.
    /// With --match: the files or folders to look in [default: .]
    #[arg(value_name = "LOCATOR", required_unless_present = "match", value_parser = target_arg)]
    pub targets: Vec<Target>,
    /// The one open commitment whose text contains TEXT (case-insensitive), instead of
    /// a locator; more than one match lists them and exits 2.
    #[arg(long = "match", value_name = "TEXT")]
    pub r#match: Option<String>,
    /// The day they were done: YYYY-MM-DD, or a form such as yesterday, fri (the latest
    /// Friday), Dec 5, 2026-12-5 [default: today].
    #[arg(long, value_name = "DATE", value_parser = past_date_arg)]
    pub date: Option<String>,
    /// Mark them cancelled instead: `[-]` and `@cancelled(DATE)` (`❌ DATE` on items
    /// that use emoji tags).
    #[arg(long)]
    pub cancel: bool,
    /// Write nothing: show the change as a unified diff.
    #[arg(long)]
    pub dry_run: bool,
    /// What day it is (YYYY-MM-DD) [default: the local date].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub today: Option<NaiveDate>,
    /// Refuse notes bigger than this: bytes, or with K, M or G (powers of 1024)
    /// [default: 4M].
    #[arg(long, value_name = "SIZE", value_parser = size_arg)]
    pub max_file_size: Option<u64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub config: ConfigArgs,
}

/// `followup snooze`.
#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The commitments, as PATH:LINE (or, with --match, the files or folders to look
    /// in), then the new date: YYYY-MM-DD, +3d, +2w, or a day name (`fri`, `next fri`),
    /// counted from today.
    #[arg(value_name = "LOCATOR... DATE", required = true, num_args = 1..)]
    pub args: Vec<String>,
    /// The one open commitment whose text contains TEXT (case-insensitive), instead of
    /// a locator.
    #[arg(long = "match", value_name = "TEXT")]
    pub r#match: Option<String>,
    /// Move the scheduled date instead of the due date.
    #[arg(long)]
    pub scheduled: bool,
    /// Don't count the move in `@moved(N)`.
    #[arg(long)]
    pub no_count: bool,
    /// Write nothing: show the change as a unified diff.
    #[arg(long)]
    pub dry_run: bool,
    /// What day it is (YYYY-MM-DD) [default: the local date].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub today: Option<NaiveDate>,
    /// Refuse notes bigger than this: bytes, or with K, M or G (powers of 1024)
    /// [default: 4M].
    #[arg(long, value_name = "SIZE", value_parser = size_arg)]
    pub max_file_size: Option<u64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub config: ConfigArgs,
}

/// `followup fix`.
#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scan: ScanArgs,
    /// Write nothing: show each change as a unified diff.
    #[arg(long)]
    pub dry_run: bool,
}

/// Where a commitment is: a note and the line of its bullet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    /// The note, as given (relative to the current folder, or absolute).
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
}

/// A positional argument of `done`: a locator, or (with `--match`) a path to look in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `PATH:LINE`.
    Locator(Locator),
    /// Not a locator: a path for `--match`, else an error (the message says why).
    Path(PathBuf, String),
}

/// Parse a `done` argument: a locator when it is one, else kept as a path.
pub fn target_arg(s: &str) -> Result<Target, String> {
    Ok(match locator_arg(s) {
        Ok(l) => Target::Locator(l),
        Err(why) => Target::Path(PathBuf::from(s), why),
    })
}

/// `agenda` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgendaFormat {
    /// A markdown document to read (and tick off) on Monday morning.
    Markdown,
    /// The same sections as data.
    Json,
    /// iCalendar (RFC 5545): one to-do per open dated commitment.
    Ics,
}

/// `followup check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Exit with 1 when there are findings at or above this level.
    #[arg(long, value_parser = level_parser(), value_name = "LEVEL", default_value_t = Level::Error)]
    pub fail_on: Level,
    /// Exit with 0 even when there are findings (errors reading notes still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// When to colour the output [default: auto: when NO_COLOR is unset and stdout is a
    /// terminal].
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Don't print the summary line on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// First fix what can be fixed without guessing (what `followup fix` does; each
    /// note changed is named on stderr), then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// Only these rules (comma-separated names), at their configured level (their default
    /// level where the configuration turns them off).
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Turn these rules off (comma-separated names); wins over `--select`.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Print a table of how often each rule fired (rule, count, level) instead of the
    /// findings; a JSON array with `--format json`.
    #[arg(long)]
    pub statistics: bool,
    /// Check again whenever a note changes (Ctrl-C ends it).
    #[arg(long)]
    pub watch: bool,
}

/// A [`Level`] by name (`--fail-on`), each listed in `--help` with what it means.
fn level_parser() -> impl TypedValueParser<Value = Level> {
    let names = Level::ALL.map(|l| PossibleValue::new(l.as_str()).help(l.summary()));
    PossibleValuesParser::new(names).try_map(|name| Level::from_name(&name).ok_or("not a level"))
}

/// `check` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Reports with the source lines and a label under each tag, for people.
    Human,
    /// `path:line:col: level[rule]: message`, one per line (editors' quickfix).
    Concise,
    /// `{"version": 1, "diagnostics": [...], "summary": {...}}`.
    Json,
    /// GitHub Actions workflow commands: annotations on pull requests.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when NO_COLOR is unset or empty and stdout is a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `followup rule`.
#[derive(Debug, Args)]
#[command(arg_required_else_help = true)]
pub struct RuleArgs {
    /// The rule to explain (`overdue`, `missing-due`, ...).
    #[arg(value_name = "NAME", required_unless_present = "list")]
    pub name: Option<String>,
    /// List every rule with its default level.
    #[arg(long, conflicts_with = "name")]
    pub list: bool,
    /// How to print the documentation.
    #[arg(long, value_enum, default_value_t = DocsFormat::Text)]
    pub format: DocsFormat,
}

/// How `rule` and `help config` print documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsFormat {
    /// Formatted for a terminal: headings underlined, code indented, no markup.
    Text,
    /// The markdown source, as in the docs folder.
    Markdown,
}

/// `list` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people.
    Table,
    /// A JSON array, one object per commitment.
    Json,
}

/// `--status` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    /// Still to do.
    Open,
    /// Kept.
    Done,
    /// Called off.
    Cancelled,
    /// Open and due before today.
    Overdue,
    /// Open and due from today to the `due-soon` window's end (3 days unless configured).
    DueSoon,
    /// Open and owed to you by someone else (`@waiting(NAME)`).
    Waiting,
    /// Everything.
    All,
}

/// Parse a `YYYY-MM-DD` argument.
pub fn date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_iso(s)
        .ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD, for example 2026-11-23"))
}

/// Check a `done --date` value's form; it is resolved against today (and the
/// configuration's `[dates] order`) by the command.
pub fn past_date_arg(s: &str) -> Result<String, String> {
    if parse_iso(s).is_some() || crate::notes::dates::parse_natural(s, None).is_some() {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "`{s}` is not a date: write YYYY-MM-DD, or a form such as yesterday, fri, Dec 5"
        ))
    }
}

/// Parse a locator: `PATH:LINE`, or `PATH:LINE:COL` as `check` prints it (a trailing `:`
/// copied with it is allowed). The last one or two `:NUMBER`s are split off, so a path
/// may hold colons of its own.
pub fn locator_arg(s: &str) -> Result<Locator, String> {
    let bad = || {
        format!(
            "`{s}` is not a locator: write PATH:LINE as check, list and the agenda print it, \
             for example notes/acme/2026-11-16-call.md:8"
        )
    };
    let number = |s: &str| -> Option<(String, usize)> {
        let (rest, n) = s.rsplit_once(':')?;
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((rest.to_owned(), n.parse().ok()?))
    };
    let trimmed = s.strip_suffix(':').unwrap_or(s);
    let (rest, last) = number(trimmed).ok_or_else(bad)?;
    let (path, line) = match number(&rest) {
        Some((path, line)) if !path.is_empty() => (path, line),
        _ => (rest, last),
    };
    if path.is_empty() || line == 0 {
        return Err(bad());
    }
    Ok(Locator {
        path: PathBuf::from(path),
        line,
    })
}

/// Parse a `--max-file-size` argument.
pub fn size_arg(s: &str) -> Result<u64, String> {
    parse_size(s).ok_or_else(|| {
        format!(
            "`{s}` is not a size: write a number of bytes, or one with K, M or G, for example 16M"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_takes_the_level_names_and_lists_them_with_their_meaning() {
        use clap::CommandFactory;
        let fail_on = |args: &[&str]| match Cli::try_parse_from(args).map(|c| c.command) {
            Ok(Command::Check(a)) => Ok(a.fail_on),
            Ok(_) => unreachable!("parsed as another command"),
            Err(e) => Err(e.kind()),
        };
        assert_eq!(fail_on(&["followup", "check"]), Ok(Level::Error));
        for l in Level::ALL {
            assert_eq!(
                fail_on(&["followup", "check", "--fail-on", l.as_str()]),
                Ok(l)
            );
        }
        assert_eq!(
            fail_on(&["followup", "check", "--fail-on", "warn"]),
            Err(clap::error::ErrorKind::InvalidValue)
        );
        let cmd = Cli::command();
        let check = cmd.find_subcommand("check").expect("check");
        let arg = check
            .get_arguments()
            .find(|a| a.get_id() == "fail_on")
            .expect("--fail-on");
        let listed: Vec<_> = arg
            .get_possible_values()
            .iter()
            .map(|v| (v.get_name().to_owned(), v.get_help().map(|h| h.to_string())))
            .collect();
        let expected: Vec<_> = Level::ALL
            .iter()
            .map(|l| (l.as_str().to_owned(), Some(l.summary().to_owned())))
            .collect();
        assert_eq!(listed, expected);
    }

    #[test]
    fn locators_as_check_list_and_the_agenda_print_them() {
        let loc = |s: &str| locator_arg(s).map(|l| (l.path.display().to_string(), l.line));
        assert_eq!(loc("notes/a.md:8"), Ok(("notes/a.md".into(), 8)));
        assert_eq!(loc("notes/a.md:8:38"), Ok(("notes/a.md".into(), 8)));
        assert_eq!(loc("notes/a.md:8:38:"), Ok(("notes/a.md".into(), 8)));
        assert_eq!(
            loc("Acme QBR prep 2026-11-20.md:9"),
            Ok(("Acme QBR prep 2026-11-20.md".into(), 9))
        );
        assert_eq!(loc("a:b.md:3"), Ok(("a:b.md".into(), 3)));
        assert_eq!(loc("/abs/a.md:12"), Ok(("/abs/a.md".into(), 12)));
        for bad in [
            "notes/a.md",
            "notes/a.md:",
            "notes/a.md:0",
            ":8",
            "a.md:x",
            "a.md:-1",
        ] {
            assert!(loc(bad).unwrap_err().contains("is not a locator"), "{bad}");
        }
    }
}
