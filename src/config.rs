//! Configuration: `followup.toml` (or `.followup.toml`), found by walking up from the
//! first path given, over the documented defaults. Command-line flags are applied on top
//! by the commands. Unknown keys are errors, never silently ignored: a typo in a config
//! file that quietly does nothing is worse than no config file.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use chrono::Weekday;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;

use crate::agenda::Section;
use crate::fs::paths::{absolute, is_match};
use crate::notes::dates::DateOrder;
use crate::notes::occasion::{parse_lead, Holiday, HolidayRule, OccasionSettings};
use crate::notes::parse::Markers;
use crate::notes::profile::{Cadence, Cadences, CustomerFolders, Stage, DEFAULT_IGNORE_FOLDERS};
use crate::notes::status::StatusRegistry;
use crate::rules::{Level, Rule, RuleSettings};

/// The file names looked for, in order of preference.
pub const FILE_NAMES: [&str; 2] = ["followup.toml", ".followup.toml"];

/// The settings in effect.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file they came from; `None` for the defaults.
    pub file: Option<PathBuf>,
    /// The folder that `exclude` and override patterns are relative to: the config
    /// file's folder, else the current folder.
    pub root: PathBuf,
    /// Rule levels and options.
    pub rules: RuleSettings,
    /// Rule levels for some paths, applied in order over `rules`.
    pub overrides: Vec<Override>,
    /// Which list items are commitments.
    pub markers: Markers,
    /// Which files are read.
    pub files: Files,
    /// The first day of the week.
    pub week_start: Weekday,
    /// Agenda defaults.
    pub agenda: AgendaDefaults,
    /// The contact cadence of customers whose profile gives none, per stage.
    pub customer_cadence: Cadences,
    /// Which folders name customers (`[customers] folders`, `ignore-folders`).
    pub customer_folders: CustomerFolders,
    /// `[tasks] new-occurrence = "below"`: `done` on a recurring item puts the next one
    /// below it (above by default, as Obsidian Tasks does).
    pub occurrence_below: bool,
    /// `[occasions]`: how early cards go out, and the holidays they go out for.
    pub occasions: OccasionSettings,
    /// `[customers] after-sale`: days after a profile's `won:` to check in.
    pub after_sale: Vec<u32>,
}

/// `[files]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    /// Patterns (gitignore syntax, relative to [`Config::root`]) of paths never read.
    pub exclude: Vec<String>,
    /// Read hidden files and folders (names starting with `.`; `.git` never).
    pub include_hidden: bool,
    /// Skip what `.gitignore` files (and `.git/info/exclude`) ignore.
    pub respect_gitignore: bool,
}

/// `[agenda]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaDefaults {
    /// Where `followup agenda` writes when no `-o` is given (relative to the root).
    pub output: Option<PathBuf>,
    /// Window length in days.
    pub days: u32,
    /// Where the window starts by default.
    pub from: AgendaFrom,
    /// The sections listed, in the agenda's own order whatever the order given.
    pub sections: Vec<Section>,
}

/// Where the agenda's window starts when `--from` is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaFrom {
    /// Today.
    Today,
    /// The latest `week-start` day on or before today.
    WeekStart,
}

/// Rule levels for the files matching some patterns (`[[overrides]]`).
#[derive(Debug, Clone)]
pub struct Override {
    /// The patterns as written.
    pub paths: Vec<String>,
    matcher: Gitignore,
    /// `(rule, level)` changes, in the order they apply.
    changes: Vec<(Rule, Option<Level>)>,
    /// The rules table as written (`all` first), for `followup config`.
    written: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            file: None,
            root: PathBuf::from("."),
            rules: RuleSettings::default(),
            overrides: Vec::new(),
            markers: Markers::default(),
            files: Files {
                exclude: Vec::new(),
                include_hidden: false,
                respect_gitignore: true,
            },
            week_start: Weekday::Mon,
            agenda: AgendaDefaults {
                output: None,
                days: 7,
                from: AgendaFrom::Today,
                sections: Section::ALL.to_vec(),
            },
            customer_cadence: Cadences::default(),
            customer_folders: CustomerFolders::default(),
            occurrence_below: false,
            occasions: OccasionSettings::default(),
            after_sale: DEFAULT_AFTER_SALE.to_vec(),
        }
    }
}

/// A configuration file that could not be used.
#[derive(Debug)]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// What is wrong, naming the key.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Relative to the current folder when under it, as the docs show it.
        let cwd = std::env::current_dir().ok();
        let shown = cwd
            .as_deref()
            .and_then(|cwd| self.file.strip_prefix(cwd).ok())
            .unwrap_or(&self.file);
        write!(f, "{}: {}", shown.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Find the configuration file for `start` (a file or folder): the first `followup.toml`
/// or `.followup.toml` in it or a folder above it, stopping after the folder that holds
/// `.git` (the repository root). Both names in one folder: `followup.toml` wins.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = absolute(start);
    let dir = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    for dir in dir.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Load the settings: `file` when given, else the discovered one for `start`, else the
/// defaults (`root` then is the current folder).
pub fn load(file: Option<&Path>, start: &Path) -> Result<Config, ConfigError> {
    match file.map(Path::to_path_buf).or_else(|| discover(start)) {
        Some(file) => {
            // Non-blocking and regular files only: `--config FIFO` must not hang.
            let text = crate::fs::source::read_text_file(&file).map_err(|e| ConfigError {
                file: file.clone(),
                message: format!("cannot read it: {e}"),
            })?;
            from_toml(&text, &absolute(&file))
        }
        None => Ok(Config {
            root: absolute(Path::new(".")),
            ..Config::default()
        }),
    }
}

/// Read a configuration file's text; `file` names it in errors and gives the root.
pub fn from_toml(text: &str, file: &Path) -> Result<Config, ConfigError> {
    let error = |message: String| ConfigError {
        file: file.to_path_buf(),
        message,
    };
    let raw: Raw = toml::from_str(text).map_err(|e| error(toml_message(&e, text)))?;
    let root = file
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut config = Config {
        file: Some(file.to_path_buf()),
        root: root.clone(),
        ..Config::default()
    };
    for (rule, level) in
        rule_changes(&raw.rules, "[rules]", Some(&mut config.rules)).map_err(error)?
    {
        config.rules.set_level(rule, level);
    }
    for (i, o) in raw.overrides.into_iter().enumerate() {
        let at = format!("[[overrides]] #{}", i + 1);
        if o.paths.is_empty() {
            return Err(error(format!("{at}: `paths` is empty")));
        }
        let matcher = matcher(&root, &o.paths).map_err(|m| error(format!("{at}: {m}")))?;
        let changes = rule_changes(&o.rules, &format!("{at} rules"), None).map_err(error)?;
        let all = o.rules.get_key_value("all");
        let written: Vec<String> = all
            .into_iter()
            .chain(o.rules.iter().filter(|(k, _)| *k != "all"))
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        config.overrides.push(Override {
            paths: o.paths,
            matcher,
            changes,
            written: format!("{{ {} }}", written.join(", ")),
        });
    }
    let m = raw.markers;
    config.markers = Markers {
        star: m.star_bullets.unwrap_or(config.markers.star),
        tasks: m.task_items.unwrap_or(config.markers.tasks),
        dash: m.dash_bullets.unwrap_or(config.markers.dash),
        ordered: m.ordered_items.unwrap_or(config.markers.ordered),
        ..config.markers
    };
    if let Some(table) = &raw.statuses {
        config.markers.statuses = StatusRegistry::from_table(table).map_err(error)?.leak();
    }
    let t = raw.tasks;
    config.markers.global_filter = t
        .global_filter
        .filter(|f| !f.trim().is_empty())
        .map(|f| &*Box::leak(f.into_boxed_str()));
    config.markers.remove_global_filter = t.remove_global_filter.unwrap_or(false);
    config.occurrence_below = match t.new_occurrence.as_deref() {
        None | Some("above") => false,
        Some("below") => true,
        Some(other) => {
            return Err(error(format!(
                "[tasks] new-occurrence: `{other}` is neither \"above\" nor \"below\""
            )))
        }
    };
    if let Some(order) = raw.dates.order {
        config.markers.date_order = Some(DateOrder::parse(&order).ok_or_else(|| {
            error(format!(
                "[dates] order: `{order}` is not a date order (\"mdy\", \"dmy\" or \"ymd\")"
            ))
        })?);
    }
    let f = raw.files;
    matcher(&root, &f.exclude).map_err(|m| error(format!("[files] exclude: {m}")))?;
    config.files = Files {
        exclude: f.exclude,
        include_hidden: f.include_hidden.unwrap_or(config.files.include_hidden),
        respect_gitignore: f
            .respect_gitignore
            .unwrap_or(config.files.respect_gitignore),
    };
    if let Some(day) = raw.dates.week_start {
        config.week_start = day.parse().map_err(|_| {
            error(format!(
                "[dates] week-start: `{day}` is not a day of the week"
            ))
        })?;
    }
    if let Some(c) = &raw.customers.cadence {
        config.customer_cadence = cadences(c).map_err(error)?;
    }
    config.occasions = occasion_settings(raw.occasions).map_err(error)?;
    config.rules.occasion_lead = config.occasions.lead;
    if let Some(offsets) = &raw.customers.after_sale {
        config.after_sale = offsets
            .iter()
            .map(|o| {
                parse_lead(o).ok_or_else(|| {
                    error(format!(
                        "[customers] after-sale: `{o}` is not a number of days (write `7d`, `1m`)"
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
    }
    let c = raw.customers;
    config.customer_folders = CustomerFolders::new(
        c.folders,
        c.ignore_folders
            .unwrap_or_else(|| DEFAULT_IGNORE_FOLDERS.map(str::to_owned).to_vec()),
        root.clone(),
    )
    .map_err(|m| error(format!("[customers] folders: {m}")))?;
    let a = raw.agenda;
    if let Some(days) = a.days {
        if !(1..=366).contains(&days) {
            return Err(error(format!(
                "[agenda] days: {days} is not between 1 and 366"
            )));
        }
        config.agenda.days = days;
    }
    config.agenda.output = a.output;
    if let Some(names) = a.sections {
        let mut sections = Vec::new();
        for name in &names {
            let Some(s) = Section::ALL.into_iter().find(|s| s.name() == name) else {
                let known: Vec<&str> = Section::ALL.map(Section::name).to_vec();
                return Err(error(format!(
                    "[agenda] sections: `{name}` is not a section (one of {})",
                    known.join(", ")
                )));
            };
            sections.push(s);
        }
        config.agenda.sections = Section::ALL
            .into_iter()
            .filter(|s| sections.contains(s))
            .collect();
    }
    config.agenda.from = match a.from.as_deref() {
        None | Some("today") => AgendaFrom::Today,
        Some("week-start") => AgendaFrom::WeekStart,
        Some(other) => {
            return Err(error(format!(
                "[agenda] from: `{other}` is neither \"today\" nor \"week-start\""
            )))
        }
    };
    Ok(config)
}

impl Config {
    /// The rule settings for one note (its path as reached from the current folder):
    /// `[rules]`, then every override whose patterns match it, in file order.
    pub fn rules_for(&self, path: &Path) -> RuleSettings {
        let mut rules = self.rules;
        if self.overrides.is_empty() {
            return rules;
        }
        let path = absolute(path);
        for o in &self.overrides {
            if is_match(&o.matcher, &self.root, &path) {
                for &(rule, level) in &o.changes {
                    rules.set_level(rule, level);
                }
            }
        }
        rules
    }

    /// The `exclude` patterns as a matcher (empty when there are none).
    pub fn exclude_matcher(&self, extra: &[String]) -> Result<Gitignore, String> {
        let all: Vec<String> = self.files.exclude.iter().chain(extra).cloned().collect();
        matcher(&self.root, &all)
    }

    /// The settings as a TOML file that would give them: what `followup config` prints.
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        let q = |v: &str| toml::Value::String(v.to_owned()).to_string();
        let level = |l: Option<Level>| q(l.map_or("off", Level::as_str));
        s.push_str("[rules]\n");
        for r in Rule::ALL {
            if r == Rule::DueSoon {
                let _ = writeln!(
                    s,
                    "{r} = {{ level = {}, days = {} }}",
                    level(self.rules.level(r)),
                    self.rules.due_soon_days
                );
            } else if r == Rule::OftenMoved {
                let _ = writeln!(
                    s,
                    "{r} = {{ level = {}, times = {} }}",
                    level(self.rules.level(r)),
                    self.rules.often_moved_times
                );
            } else {
                let _ = writeln!(s, "{r} = {}", level(self.rules.level(r)));
            }
        }
        let list = |items: &[String]| {
            let quoted: Vec<String> = items.iter().map(|i| q(i)).collect();
            format!("[{}]", quoted.join(", "))
        };
        let _ = write!(
            s,
            "\n[markers]\nstar-bullets = {}\ntask-items = {}\ndash-bullets = {}\nordered-items = {}\n",
            self.markers.star, self.markers.tasks, self.markers.dash, self.markers.ordered
        );
        let _ = write!(
            s,
            "\n[files]\nexclude = {}\ninclude-hidden = {}\nrespect-gitignore = {}\n",
            list(&self.files.exclude),
            self.files.include_hidden,
            self.files.respect_gitignore
        );
        let _ = write!(
            s,
            "\n[dates]\nweek-start = {}\n",
            q(&weekday_name(self.week_start))
        );
        match self.markers.date_order {
            Some(o) => {
                let _ = writeln!(s, "order = {}", q(o.as_str()));
            }
            None => s.push_str("# no order: numeric dates that read two ways are reported\n"),
        }
        s.push_str("\n[agenda]\n");
        if let Some(out) = &self.agenda.output {
            let _ = writeln!(s, "output = {}", q(&out.display().to_string()));
        }
        let from = match self.agenda.from {
            AgendaFrom::Today => "today",
            AgendaFrom::WeekStart => "week-start",
        };
        let _ = write!(s, "days = {}\nfrom = {}\n", self.agenda.days, q(from));
        let sections: Vec<String> = self
            .agenda
            .sections
            .iter()
            .map(|s| s.name().to_owned())
            .collect();
        let _ = writeln!(s, "sections = {}", list(&sections));
        s.push_str("\n[customers]\n");
        let days = |c: Option<Cadence>| c.map(|c| q(&format!("{}d", c.days)));
        let cadences = self.customer_cadence;
        match days(cadences.customer) {
            Some(c) if cadences.is_single() => {
                let _ = writeln!(s, "cadence = {c}");
            }
            None if cadences == Cadences::default() => {
                s.push_str("# no default cadence\n");
            }
            _ => {
                let stages: Vec<String> = [
                    (Stage::Prospect, cadences.prospect),
                    (Stage::Customer, cadences.customer),
                    (Stage::Former, cadences.former),
                ]
                .into_iter()
                .filter_map(|(stage, c)| Some(format!("{} = {}", stage.as_str(), days(c)?)))
                .collect();
                let _ = writeln!(s, "cadence = {{ {} }}", stages.join(", "));
            }
        }
        let _ = writeln!(
            s,
            "folders = {}\nignore-folders = {}",
            list(&self.customer_folders.folders),
            list(&self.customer_folders.ignore)
        );
        let after: Vec<String> = self.after_sale.iter().map(|d| format!("{d}d")).collect();
        let _ = writeln!(s, "after-sale = {}", list(&after));
        let _ = writeln!(s, "\n[tasks]");
        if let Some(f) = self.markers.global_filter {
            let _ = writeln!(s, "global-filter = {}", q(f));
        }
        let _ = writeln!(
            s,
            "remove-global-filter = {}\nnew-occurrence = {}",
            self.markers.remove_global_filter,
            q(if self.occurrence_below {
                "below"
            } else {
                "above"
            })
        );
        let _ = writeln!(
            s,
            "\n[occasions]\nlead = {}",
            q(&format!("{}d", self.occasions.lead))
        );
        let holidays: Vec<String> = self
            .occasions
            .holidays
            .iter()
            .map(|h| {
                let lead = h
                    .lead
                    .map(|l| format!(", lead = {}", q(&format!("{l}d"))))
                    .unwrap_or_default();
                format!(
                    "{{ what = {}, rule = {}{lead} }}",
                    q(&h.what),
                    q(&h.rule_text)
                )
            })
            .collect();
        let _ = writeln!(s, "holidays = [{}]", holidays.join(", "));
        let statuses = self.markers.statuses.to_toml();
        if !statuses.is_empty() {
            let _ = write!(s, "\n[statuses]\n{statuses}");
        }
        for o in &self.overrides {
            let _ = write!(s, "\n[[overrides]]\npaths = {}\n", list(&o.paths));
            let _ = writeln!(s, "rules = {}", o.written);
        }
        s
    }
}

/// A gitignore-syntax matcher for `patterns`, relative to `root`.
fn matcher(root: &Path, patterns: &[String]) -> Result<Gitignore, String> {
    let mut b = GitignoreBuilder::new(root);
    for p in patterns {
        b.add_line(None, p)
            .map_err(|e| format!("`{p}` is not a valid pattern: {e}"))?;
    }
    b.build().map_err(|e| e.to_string())
}

/// The `(rule, level)` changes a rules table asks for, in order: `all` first, then each
/// rule. Options (`due-soon`'s `days`) go into `options` when given; they are not
/// allowed where it is `None` (overrides only change levels).
fn rule_changes(
    table: &BTreeMap<String, toml::Value>,
    at: &str,
    mut options: Option<&mut RuleSettings>,
) -> Result<Vec<(Rule, Option<Level>)>, String> {
    let bad = |message: String| format!("{at}: {message}");
    let mut changes = Vec::new();
    if let Some(v) = table.get("all") {
        let level = level_value(v).map_err(|m| bad(format!("all: {m}")))?;
        changes.extend(Rule::ALL.map(|r| (r, level)));
    }
    for (key, value) in table.iter().filter(|(k, _)| *k != "all") {
        let Some(rule) = Rule::from_name(key) else {
            let hint = crate::rules::closest_name(key)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(bad(format!("`{key}` is not a rule{hint}")));
        };
        let level = match value {
            toml::Value::Table(t) => {
                let mut level = Some(rule.default_level());
                for (k, v) in t {
                    match (k.as_str(), rule, options.as_deref_mut()) {
                        ("level", _, _) => {
                            level = level_value(v).map_err(|m| bad(format!("{key}.level: {m}")))?
                        }
                        ("days", Rule::DueSoon, Some(o)) => {
                            o.due_soon_days = v
                                .as_integer()
                                .and_then(|d| u32::try_from(d).ok())
                                .filter(|d| (1..=366).contains(d))
                                .ok_or_else(|| {
                                    bad(format!("{key}.days: {v} is not between 1 and 366"))
                                })?;
                        }
                        ("times", Rule::OftenMoved, Some(o)) => {
                            o.often_moved_times = v
                                .as_integer()
                                .and_then(|d| u32::try_from(d).ok())
                                .filter(|d| (1..=1000).contains(d))
                                .ok_or_else(|| {
                                    bad(format!("{key}.times: {v} is not between 1 and 1000"))
                                })?;
                        }
                        _ => return Err(bad(format!("{key}: unknown option `{k}`"))),
                    }
                }
                level
            }
            v => level_value(v).map_err(|m| bad(format!("{key}: {m}")))?,
        };
        changes.push((rule, level));
    }
    Ok(changes)
}

/// `"error" | "warning" | "info" | "off"`.
fn level_value(v: &toml::Value) -> Result<Option<Level>, String> {
    match v.as_str() {
        Some("error") => Ok(Some(Level::Error)),
        Some("warning") => Ok(Some(Level::Warning)),
        Some("info") => Ok(Some(Level::Info)),
        Some("off") => Ok(None),
        _ => Err(format!(
            "{v} is not a level (\"error\", \"warning\", \"info\" or \"off\")"
        )),
    }
}

/// The weekday's full lowercase name.
fn weekday_name(day: Weekday) -> String {
    let names = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    names[day.num_days_from_monday() as usize].to_owned()
}

/// A TOML error in one line with its line number (toml's own message spans several
/// lines with a source excerpt).
fn toml_message(e: &toml::de::Error, text: &str) -> String {
    let message = e.message().trim_end_matches('\n');
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message.to_owned(),
    }
}

/// The check-ins after a sale when `[customers] after-sale` is not set: a week, a month,
/// a quarter.
pub const DEFAULT_AFTER_SALE: [u32; 3] = [7, 30, 90];

/// `[customers] cadence`: one cadence (`"14d"`, prospects and customers) or one per
/// stage (`{ prospect = "30d", customer = "14d", former = "90d" }`).
fn cadences(value: &toml::Value) -> Result<Cadences, String> {
    let one = |key: &str, v: &toml::Value| {
        let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        Cadence::parse(&text).ok_or_else(|| {
            format!("[customers] {key}: `{text}` is not a cadence (write `14d`, `2w`, `1m`, `quarterly`...)")
        })
    };
    let toml::Value::Table(stages) = value else {
        return Ok(Cadences::every(Some(one("cadence", value)?)));
    };
    let mut out = Cadences::default();
    for (name, v) in stages {
        let c = Some(one(&format!("cadence.{name}"), v)?);
        match Stage::parse(name) {
            Some(Stage::Prospect) => out.prospect = c,
            Some(Stage::Customer) => out.customer = c,
            Some(Stage::Former) => out.former = c,
            None => {
                return Err(format!(
                    "[customers] cadence: `{name}` is not a stage (write `prospect`, `customer` or `former`)"
                ))
            }
        }
    }
    Ok(out)
}

/// `[occasions]`, checked.
fn occasion_settings(raw: RawOccasions) -> Result<OccasionSettings, String> {
    let bad_lead = |key: &str, l: &str| {
        format!("[occasions] {key}: `{l}` is not a number of days (write `7d`, `2w`, `0d`)")
    };
    let mut out = OccasionSettings::default();
    if let Some(l) = raw.lead.as_deref() {
        out.lead = parse_lead(l).ok_or_else(|| bad_lead("lead", l))?;
    }
    for h in raw.holidays {
        let rule = HolidayRule::parse(&h.rule).ok_or_else(|| {
            format!(
                "[occasions] holidays: `{}` for {} is not a rule (write `4th thu of nov`, `last mon of may` or `12-25`)",
                h.rule, h.what
            )
        })?;
        let lead = match h.lead.as_deref() {
            None => None,
            Some(l) => Some(parse_lead(l).ok_or_else(|| bad_lead("holidays lead", l))?),
        };
        out.holidays.push(Holiday {
            what: h.what,
            rule,
            rule_text: h.rule,
            lead,
        });
    }
    Ok(out)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOccasions {
    lead: Option<String>,
    #[serde(default)]
    holidays: Vec<RawHoliday>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawHoliday {
    what: String,
    rule: String,
    lead: Option<String>,
}

/// The file as serde reads it; `deny_unknown_fields` everywhere makes typos errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    rules: BTreeMap<String, toml::Value>,
    #[serde(default)]
    markers: RawMarkers,
    #[serde(default)]
    files: RawFiles,
    #[serde(default)]
    dates: RawDates,
    #[serde(default)]
    agenda: RawAgenda,
    #[serde(default)]
    customers: RawCustomers,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    statuses: Option<toml::Table>,
    #[serde(default)]
    tasks: RawTasks,
    #[serde(default)]
    occasions: RawOccasions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTasks {
    global_filter: Option<String>,
    remove_global_filter: Option<bool>,
    new_occurrence: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCustomers {
    cadence: Option<toml::Value>,
    after_sale: Option<Vec<String>>,
    #[serde(default)]
    folders: Vec<String>,
    ignore_folders: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMarkers {
    star_bullets: Option<bool>,
    task_items: Option<bool>,
    dash_bullets: Option<bool>,
    ordered_items: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFiles {
    #[serde(default)]
    exclude: Vec<String>,
    include_hidden: Option<bool>,
    respect_gitignore: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDates {
    week_start: Option<String>,
    order: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAgenda {
    output: Option<PathBuf>,
    days: Option<u32>,
    from: Option<String>,
    sections: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, toml::Value>,
}

/// What `followup init` writes: every key at its default, commented.
pub const STARTER: &str = include_str!("starter.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        from_toml(text, Path::new("/repo/followup.toml")).map_err(|e| e.message)
    }

    #[test]
    fn every_table_is_read() {
        let c = parse(
            "[rules]\nall = \"warning\"\noverdue = \"error\"\ndue-soon = { level = \"info\", days = 5 }\n\
             [[overrides]]\npaths = [\"archive/\"]\nrules = { all = \"off\" }\n\
             [markers]\nstar-bullets = false\n\
             [files]\nexclude = [\"Templates/\"]\ninclude-hidden = true\nrespect-gitignore = false\n\
             [dates]\nweek-start = \"sunday\"\n\
             [agenda]\ndays = 14\nfrom = \"week-start\"\noutput = \"AGENDA.md\"\nsections = [\"overdue\"]\n\
             [customers]\ncadence = \"2w\"\n",
        )
        .unwrap();
        assert_eq!(c.root, Path::new("/repo"));
        assert_eq!(c.rules.level(Rule::Overdue), Some(Level::Error));
        assert_eq!(c.rules.level(Rule::MissingDue), Some(Level::Warning));
        assert_eq!(c.rules.level(Rule::DueSoon), Some(Level::Info));
        assert_eq!(c.rules.due_soon_days, 5);
        assert!(!c.markers.star && c.markers.tasks);
        assert!(c.files.include_hidden && !c.files.respect_gitignore);
        assert_eq!(c.week_start, Weekday::Sun);
        assert_eq!(c.agenda.days, 14);
        assert_eq!(c.agenda.from, AgendaFrom::WeekStart);
        assert_eq!(c.agenda.output.as_deref(), Some(Path::new("AGENDA.md")));
        assert_eq!(c.agenda.sections, [Section::Overdue]);
        assert_eq!(c.customer_cadence.customer.map(|c| c.days), Some(14));
        // The override turns every rule off under archive/, and only there.
        let archived = c.rules_for(Path::new("/repo/archive/old.md"));
        assert_eq!(archived.level(Rule::Overdue), None);
        let current = c.rules_for(Path::new("/repo/acme/call.md"));
        assert_eq!(current.level(Rule::Overdue), Some(Level::Error));
    }

    #[test]
    fn errors_name_the_key_and_suggest() {
        let cases = [
            (
                "[files]\nexcludes = []\n",
                "line 2: unknown field `excludes`",
            ),
            ("[rules]\noverdu = \"error\"\n", "did you mean `overdue`"),
            ("[rules]\noverdue = \"loud\"\n", "is not a level"),
            ("[rules]\noverdue = { days = 3 }\n", "unknown option `days`"),
            (
                "[rules]\ndue-soon = { days = 0 }\n",
                "not between 1 and 366",
            ),
            (
                "[[overrides]]\npaths = []\nrules = {}\n",
                "`paths` is empty",
            ),
            (
                "[dates]\nweek-start = \"someday\"\n",
                "not a day of the week",
            ),
            ("[agenda]\ndays = 400\n", "not between 1 and 366"),
            (
                "[agenda]\nfrom = \"tomorrow\"\n",
                "neither \"today\" nor \"week-start\"",
            ),
            (
                "[agenda]\nsections = [\"overdue\", \"soon\"]\n",
                "`soon` is not a section",
            ),
            ("[customers]\ncadence = \"often\"\n", "is not a cadence"),
        ];
        for (text, want) in cases {
            let e = parse(text).unwrap_err();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn discovery_prefers_followup_toml_and_stops_at_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("notes/acme")).unwrap();
        // Above the repository: never found from inside it.
        std::fs::write(dir.path().join("followup.toml"), "").unwrap();
        assert_eq!(discover(&repo.join("notes/acme")), None);
        std::fs::write(repo.join(".followup.toml"), "").unwrap();
        assert_eq!(
            discover(&repo.join("notes/acme")),
            Some(repo.join(".followup.toml"))
        );
        std::fs::write(repo.join("followup.toml"), "").unwrap();
        assert_eq!(
            discover(&repo.join("notes/acme")),
            Some(repo.join("followup.toml"))
        );
        std::fs::write(repo.join("notes/followup.toml"), "").unwrap();
        assert_eq!(
            discover(&repo.join("notes/acme")),
            Some(repo.join("notes/followup.toml")),
            "the nearest file wins"
        );
    }

    #[test]
    fn printed_settings_read_back_the_same() {
        let c = parse(
            "[rules]\noverdue = \"warning\"\n[markers]\ntask-items = false\n\
             [agenda]\ndays = 10\n[customers]\ncadence = \"30d\"\n",
        )
        .unwrap();
        let again = parse(&c.to_toml()).unwrap();
        assert_eq!(again.to_toml(), c.to_toml());
        assert_eq!(again.rules.level(Rule::Overdue), Some(Level::Warning));
        assert!(!again.markers.tasks);
        assert_eq!(again.agenda.days, 10);
    }

    #[test]
    fn cadence_per_stage_is_read_and_printed_back() {
        let c = parse(
            "[customers]\ncadence = { prospect = \"30d\", customer = \"2w\", former = \"1q\" }\n",
        )
        .unwrap();
        let days = |c: Option<Cadence>| c.map(|c| c.days);
        let got = c.customer_cadence;
        assert_eq!(
            (days(got.prospect), days(got.customer), days(got.former)),
            (Some(30), Some(14), Some(91))
        );
        assert!(c
            .to_toml()
            .contains("cadence = { prospect = \"30d\", customer = \"14d\", former = \"91d\" }"));
        assert_eq!(parse(&c.to_toml()).unwrap().customer_cadence, got);
        // Some stages only; the others have no default cadence.
        let some = parse("[customers]\ncadence = { prospect = \"30d\" }\n").unwrap();
        assert_eq!(days(some.customer_cadence.customer), None);
        assert_eq!(
            parse(&some.to_toml()).unwrap().customer_cadence,
            some.customer_cadence
        );
        // One cadence is every stage but former, as it always was.
        let one = parse("[customers]\ncadence = \"14d\"\n").unwrap();
        assert_eq!(one.customer_cadence, Cadences::every(Cadence::parse("14d")));
        assert!(one.to_toml().contains("cadence = \"14d\"\n"));
        for (text, want) in [
            ("cadence = { lead = \"30d\" }", "`lead` is not a stage"),
            (
                "cadence = { prospect = \"often\" }",
                "[customers] cadence.prospect: `often`",
            ),
            ("cadence = 14", "[customers] cadence: `14` is not a cadence"),
        ] {
            let e = parse(&format!("[customers]\n{text}\n")).unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn occasions_table_is_read_and_printed_back() {
        let c = parse(
            "[occasions]\nlead = \"10d\"\nholidays = [{ what = \"Thanksgiving\", rule = \"4th thu of nov\" }, \
             { what = \"New Year\", rule = \"01-01\", lead = \"2w\" }]\n",
        )
        .unwrap();
        assert_eq!(c.occasions.lead, 10);
        assert_eq!(c.occasions.holidays.len(), 2);
        assert_eq!(c.occasions.holidays[1].lead, Some(14));
        let again = parse(&c.to_toml()).unwrap();
        assert_eq!(again.occasions, c.occasions);
        assert_eq!(Config::default().occasions.lead, 7);
        assert_eq!(Config::default().after_sale, vec![7, 30, 90]);
        let after = parse("[customers]\nafter-sale = [\"1w\", \"1m\"]\n").unwrap();
        assert_eq!(after.after_sale, vec![7, 30]);
        assert_eq!(parse(&after.to_toml()).unwrap().after_sale, vec![7, 30]);
        let e = parse("[customers]\nafter-sale = [\"later\"]\n").unwrap_err();
        assert!(e.contains("[customers] after-sale: `later`"), "{e}");
        for (text, want) in [
            ("[occasions]\nlead = \"soon\"\n", "is not a number of days"),
            (
                "[occasions]\nholidays = [{ what = \"X\", rule = \"someday\" }]\n",
                "is not a rule",
            ),
            ("[occasions]\nholidays = [{ what = \"X\" }]\n", "rule"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
        }
    }
}
