//! Customer profiles: a note whose front matter says `type: customer` describes the
//! customer rather than a call: its name, how often to be in touch (`cadence`), who owns
//! the account, and the people there with their birthdays and anniversaries.
//!
//! ```yaml
//! type: customer
//! name: Acme Corp
//! cadence: 2w
//! owner: Sam
//! contacts:
//!   - name: Dana Ruiz
//!     role: Head of Operations
//!     birthday: --11-27        # year unknown
//!     anniversary: 2019-11-25  # first order
//! ```

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use yaml_rust2::Yaml;

use crate::fs::paths::absolute;
use crate::fs::walk::NoteFile;
use crate::notes::model::slug;

use crate::notes::dates::parse_iso;
use crate::notes::frontmatter::scalar;

/// What a profile note says.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// `name:`, the customer's display name.
    pub name: Option<String>,
    /// `cadence:`, when it could be read.
    pub cadence: Option<Cadence>,
    /// Where `cadence:` is, for diagnostics.
    pub cadence_span: Option<Range<usize>>,
    /// `owner:`, who looks after the account.
    pub owner: Option<String>,
    /// `contacts:`, the people at the customer.
    pub contacts: Vec<Contact>,
    /// `occasions:`, other days worth a card (a wedding, a graduation, a child's
    /// birthday).
    pub occasions: Vec<crate::notes::occasion::ProfileOccasion>,
    /// `stage:`, where the customer is in the sale (customer when not given).
    pub stage: Option<Stage>,
    /// `won:`, the day the sale was made: check-ins follow it.
    pub won: Option<NaiveDate>,
    /// `facts:`, free notes about the customer (affiliations, history).
    pub facts: Vec<String>,
}

/// Where a customer is: not bought yet, buying, or no longer buying.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Stage {
    /// Has not bought yet.
    Prospect,
    /// Buys (the default).
    #[default]
    Customer,
    /// Bought once, no longer does: never flagged for lapsed contact.
    Former,
}

impl Stage {
    /// Read `prospect`, `customer` or `former` (any case).
    pub fn parse(s: &str) -> Option<Stage> {
        match s.trim().to_ascii_lowercase().as_str() {
            "prospect" => Some(Stage::Prospect),
            "customer" => Some(Stage::Customer),
            "former" => Some(Stage::Former),
            _ => None,
        }
    }

    /// `prospect`, `customer` or `former`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Prospect => "prospect",
            Stage::Customer => "customer",
            Stage::Former => "former",
        }
    }
}

/// How often to be in touch, in days.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Cadence {
    /// Days between contacts.
    pub days: u32,
}

impl Cadence {
    /// Read `14d`, `2w`, `1m` (a month counts as 30 days), `1q` / `quarterly` (91), `1y` /
    /// `yearly` (365), `weekly`, `biweekly` / `fortnightly`, `monthly`.
    pub fn parse(s: &str) -> Option<Cadence> {
        let s = s.trim().to_ascii_lowercase();
        let days = match s.as_str() {
            "weekly" => 7,
            "biweekly" | "fortnightly" => 14,
            "monthly" => 30,
            "quarterly" => 91,
            "yearly" | "annually" => 365,
            _ => {
                let unit = s.chars().last()?;
                let n: u32 = s[..s.len() - unit.len_utf8()].parse().ok()?;
                let per = match unit {
                    'd' => 1,
                    'w' => 7,
                    'm' => 30,
                    'q' => 91,
                    'y' => 365,
                    _ => return None,
                };
                n.checked_mul(per)?
            }
        };
        (1..=3660).contains(&days).then_some(Cadence { days })
    }
}

/// A person at the customer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    /// Their name.
    pub name: String,
    /// Their role, if given.
    pub role: Option<String>,
    /// Their birthday.
    pub birthday: Option<Yearly>,
    /// An anniversary worth marking (first order, go-live).
    pub anniversary: Option<Yearly>,
    /// `notes:`, personal facts (hobbies, family): a list or one line.
    pub notes: Vec<String>,
}

/// A list of short texts: a YAML list of scalars, or one scalar; `None` otherwise.
fn texts(v: &Yaml) -> Option<Vec<String>> {
    match v {
        Yaml::Array(items) => items.iter().map(scalar).collect(),
        other => scalar(other).map(|s| vec![s]),
    }
}

/// A day that comes back every year, with the year it started when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Yearly {
    /// Month, 1-12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
    /// The first year (a birth year, the year of the first order), when known.
    pub year: Option<i32>,
}

impl Yearly {
    /// Read `YYYY-MM-DD`, or `--MM-DD` when the year is unknown.
    pub fn parse(s: &str) -> Option<Yearly> {
        let s = s.trim();
        if let Some(md) = s.strip_prefix("--") {
            // Any leap year checks that the day exists (Feb 29 included).
            let d = parse_iso(&format!("2000-{md}"))?;
            return Some(Yearly {
                month: d.month(),
                day: d.day(),
                year: None,
            });
        }
        let d = parse_iso(s)?;
        Some(Yearly {
            month: d.month(),
            day: d.day(),
            year: Some(d.year()),
        })
    }

    /// The day it falls on in `year`. Feb 29 falls on Feb 28 in other years: the day
    /// before March, as most people born on it celebrate.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
    }

    /// The first time it falls on or after `from`, and how many years it then marks
    /// (when the first year is known).
    pub fn next_on_or_after(self, from: NaiveDate) -> Option<(NaiveDate, Option<i32>)> {
        let this = self.in_year(from.year())?;
        let date = if this >= from {
            this
        } else {
            self.in_year(from.year() + 1)?
        };
        Some((date, self.year.map(|y| date.year() - y)))
    }
}

/// A profile field that could not be read: the key and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The top-level key it is under.
    pub key: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Read a profile from a front matter mapping; problems with single fields are
/// returned, the rest is still read.
pub fn read(get: impl Fn(&str) -> Option<Yaml>) -> (Profile, Vec<FieldProblem>) {
    let mut p = Profile::default();
    let mut problems = Vec::new();
    p.name = get("name")
        .as_ref()
        .and_then(scalar)
        .filter(|s| !s.trim().is_empty());
    p.owner = get("owner").as_ref().and_then(scalar);
    if let Some(v) = get("cadence") {
        let text = scalar(&v).unwrap_or_default();
        match Cadence::parse(&text) {
            Some(c) => p.cadence = Some(c),
            None => problems.push(FieldProblem {
                key: "cadence",
                message: format!(
                    "`cadence: {text}` is not a cadence (write `14d`, `2w`, `1m`, `quarterly`...)"
                ),
            }),
        }
    }
    match get("contacts") {
        None => {}
        Some(Yaml::Array(people)) => {
            for (i, person) in people.iter().enumerate() {
                match contact(person) {
                    Ok(c) => p.contacts.push(c),
                    Err(why) => problems.push(FieldProblem {
                        key: "contacts",
                        message: format!("contact {}: {why}", i + 1),
                    }),
                }
            }
        }
        Some(_) => problems.push(FieldProblem {
            key: "contacts",
            message: "`contacts:` is not a list of people".to_owned(),
        }),
    }
    if let Some(v) = get("stage") {
        let text = scalar(&v).unwrap_or_default();
        match Stage::parse(&text) {
            Some(s) => p.stage = Some(s),
            None => problems.push(FieldProblem {
                key: "stage",
                message: format!(
                    "`stage: {text}` is not a stage (write `prospect`, `customer` or `former`)"
                ),
            }),
        }
    }
    if let Some(v) = get("facts") {
        match texts(&v) {
            Some(f) => p.facts = f,
            None => problems.push(FieldProblem {
                key: "facts",
                message: "`facts:` is not a list of short texts".to_owned(),
            }),
        }
    }
    if let Some(v) = get("won") {
        let text = scalar(&v).unwrap_or_default();
        match parse_iso(text.trim()) {
            Some(d) => p.won = Some(d),
            None => problems.push(FieldProblem {
                key: "won",
                message: format!("`won: {text}` is not a date (write YYYY-MM-DD)"),
            }),
        }
    }
    match get("occasions") {
        None => {}
        Some(Yaml::Array(days)) => {
            for (i, day) in days.iter().enumerate() {
                match crate::notes::occasion::ProfileOccasion::read(day) {
                    Ok(o) => p.occasions.push(o),
                    Err(why) => problems.push(FieldProblem {
                        key: "occasions",
                        message: format!("occasion {}: {why}", i + 1),
                    }),
                }
            }
        }
        Some(_) => problems.push(FieldProblem {
            key: "occasions",
            message: "`occasions:` is not a list of `{ what, date }` entries".to_owned(),
        }),
    }
    (p, problems)
}

/// One entry of `contacts:`: a mapping with at least a name. A bad date is an error for
/// the whole entry, so a typo never silently drops a birthday.
fn contact(v: &Yaml) -> Result<Contact, String> {
    let Yaml::Hash(h) = v else {
        return Err(
            "not a mapping with `name:` and optional `role:`, `birthday:`, `anniversary:`"
                .to_owned(),
        );
    };
    let get = |k: &str| h.get(&Yaml::String(k.to_owned())).and_then(scalar);
    let name = get("name")
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| "no `name:`".to_owned())?;
    let day = |k: &str| -> Result<Option<Yearly>, String> {
        match get(k) {
            None => Ok(None),
            Some(s) => Yearly::parse(&s).map(Some).ok_or_else(|| {
                format!("{name}: `{k}: {s}` is not a date (write YYYY-MM-DD, or --MM-DD without the year)")
            }),
        }
    };
    let notes = match h.get(&Yaml::String("notes".to_owned())) {
        None => Vec::new(),
        Some(v) => {
            texts(v).ok_or_else(|| format!("{name}: `notes:` is not a list of short texts"))?
        }
    };
    Ok(Contact {
        notes,
        birthday: day("birthday")?,
        anniversary: day("anniversary")?,
        role: get("role"),
        name,
    })
}

/// The folder names that never name a customer by default (`[customers] ignore-folders`).
pub const DEFAULT_IGNORE_FOLDERS: [&str; 5] =
    ["Inbox", "Templates", "Archive", "Daily", "attachments"];

/// Which folders name customers: `[customers] folders` and `ignore-folders`, and the
/// pre-pass that finds the folders holding a customer profile. See
/// docs/format.md#customer for the order.
#[derive(Debug, Clone)]
pub struct CustomerFolders {
    /// Patterns (gitignore syntax, relative to `root`) of the customer folders
    /// (`Clients/*`); empty when not configured.
    pub folders: Vec<String>,
    /// Folder names (any case) that are never customers.
    pub ignore: Vec<String>,
    /// The folder `folders` is relative to (the configuration file's).
    pub root: PathBuf,
    matcher: Option<Gitignore>,
}

impl Default for CustomerFolders {
    fn default() -> Self {
        CustomerFolders {
            folders: Vec::new(),
            ignore: DEFAULT_IGNORE_FOLDERS.map(str::to_owned).to_vec(),
            root: PathBuf::from("."),
            matcher: None,
        }
    }
}

/// A walked file's folders below the path it was found under, as display paths
/// (`notes/Clients`, `notes/Clients/Acme Corp`), outermost first; empty for a file
/// directly in the scanned folder.
fn folders_below_root(file: &NoteFile) -> Vec<&str> {
    let Some(first) = file.folder.as_deref() else {
        return Vec::new();
    };
    let d = file.display.as_str();
    let mut bounds: Vec<usize> = memchr::memchr_iter(b'/', d.as_bytes()).collect();
    // The file's own name is not a folder.
    bounds.push(d.len());
    let Some(start) = std::iter::once(0)
        .chain(bounds.iter().map(|b| b + 1))
        .find(|&s| d[s..].starts_with(first) && d[s + first.len()..].starts_with('/'))
    else {
        return Vec::new();
    };
    bounds
        .iter()
        .filter(|&&b| b > start && b < d.len())
        .map(|&b| &d[..b])
        .collect()
}

fn last_name(display_folder: &str) -> &str {
    display_folder.rsplit('/').next().unwrap_or(display_folder)
}

/// Whether `fs_path`'s first bytes are front matter of a profile that belongs to its
/// own folder (`type: customer`, and no `customer:` naming someone else).
fn is_folder_profile(fs_path: &Path, folder: &str) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    let read = std::fs::File::open(fs_path).and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() || memchr::memmem::find(&head, b"ustomer").is_none() {
        return false;
    }
    let text = match std::str::from_utf8(&head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let front = crate::notes::frontmatter::split(text).front;
    front
        .kind
        .as_deref()
        .is_some_and(|k| k.eq_ignore_ascii_case("customer"))
        && front
            .customer
            .as_deref()
            .map_or(true, |c| slug(c) == slug(folder))
}

impl CustomerFolders {
    /// The settings, with `folders` checked and made ready to match.
    pub fn new(folders: Vec<String>, ignore: Vec<String>, root: PathBuf) -> Result<Self, String> {
        let matcher = if folders.is_empty() {
            None
        } else {
            let mut b = GitignoreBuilder::new(&root);
            for p in &folders {
                b.add_line(None, p)
                    .map_err(|e| format!("`{p}` is not a valid pattern: {e}"))?;
            }
            Some(b.build().map_err(|e| e.to_string())?)
        };
        Ok(CustomerFolders {
            folders,
            ignore,
            root,
            matcher,
        })
    }

    /// Whether a folder name can never be a customer: a name in `ignore-folders`, or a
    /// daily-note folder (`2026`, `11`, `2026-11`).
    pub fn ignored(&self, name: &str) -> bool {
        let dated = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            && name.bytes().next().is_some_and(|b| b.is_ascii_digit());
        dated || self.ignore.iter().any(|i| i.eq_ignore_ascii_case(name))
    }

    /// Set each walked file's `folder` to the folder that names its customer, or
    /// `None`: the nearest enclosing folder holding a customer profile, else a folder
    /// matching `[customers] folders`, else (when those are not configured) a sibling
    /// of a profile folder, else (when no profile folder was found either) the first
    /// folder below the scanned path. Ignored and dated folder names never count.
    ///
    /// Profile folders are found by a pre-pass that reads the first 4 KiB of files in
    /// nested folders (two or more levels below the scanned path), in parallel. A
    /// profile directly in a first-level folder needs no pre-pass, since the first
    /// folder names its customer anyway, unless nested profiles or `folders` turn
    /// that rule off; then the first-level files are read as well.
    pub fn assign(&self, files: &mut [NoteFile]) {
        use rayon::prelude::*;
        let find = |min_depth: usize, max_depth: usize| -> HashSet<String> {
            // Which files to read is decided here; only those are read, in parallel.
            let candidates: Vec<(&NoteFile, &str)> = files
                .iter()
                .filter_map(|f| {
                    let folders = folders_below_root(f);
                    let dir = *folders.last()?;
                    ((min_depth..=max_depth).contains(&folders.len())
                        && !self.ignored(last_name(dir)))
                    .then_some((f, dir))
                })
                .collect();
            if candidates.is_empty() {
                return HashSet::new();
            }
            candidates
                .par_iter()
                .filter(|(f, dir)| is_folder_profile(&f.fs_path, last_name(dir)))
                .map(|(_, dir)| (*dir).to_owned())
                .collect()
        };
        let mut profile_dirs = find(2, usize::MAX);
        if !profile_dirs.is_empty() || self.matcher.is_some() {
            profile_dirs.extend(find(1, 1));
        }
        let containers: HashSet<&str> = profile_dirs
            .iter()
            .filter_map(|d| d.rsplit_once('/').map(|(parent, _)| parent))
            .collect();
        let first_folder_rule = profile_dirs.is_empty() && self.matcher.is_none();
        for f in files.iter_mut() {
            let folders = folders_below_root(f);
            let name = |d: &&str| last_name(d).to_owned();
            let usable = |d: &&&str| !self.ignored(last_name(d));
            let chosen = folders
                .iter()
                .rev()
                .filter(usable)
                .find(|d| profile_dirs.contains(**d))
                .map(name)
                .or_else(|| self.configured(&f.fs_path, folders.len()))
                .or_else(|| {
                    if self.matcher.is_some() {
                        return None;
                    }
                    folders
                        .iter()
                        .rev()
                        .filter(usable)
                        .find(|d| {
                            d.rsplit_once('/')
                                .is_some_and(|(p, _)| containers.contains(p))
                        })
                        .map(name)
                })
                .or_else(|| {
                    let first = f.folder.as_deref()?;
                    (first_folder_rule && !self.ignored(first)).then(|| first.to_owned())
                });
            f.folder = chosen;
        }
    }

    /// The outermost of the file's `depth` enclosing folders that `folders` matches.
    fn configured(&self, fs_path: &Path, depth: usize) -> Option<String> {
        let matcher = self.matcher.as_ref()?;
        let path = absolute(fs_path);
        let mut found = None;
        for dir in path.ancestors().skip(1).take(depth) {
            let name = dir.file_name()?.to_string_lossy();
            if dir.starts_with(&self.root)
                && dir != self.root
                && !self.ignored(&name)
                && matcher.matched(dir, true).is_ignore()
            {
                found = Some(name.into_owned());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadences_in_every_form() {
        let days = |s| Cadence::parse(s).map(|c| c.days);
        assert_eq!(days("14d"), Some(14));
        assert_eq!(days("2w"), Some(14));
        assert_eq!(days("1m"), Some(30));
        assert_eq!(days("Quarterly"), Some(91));
        assert_eq!(days("2q"), Some(182));
        assert_eq!(days("1y"), Some(365));
        assert_eq!(days("fortnightly"), Some(14));
        assert_eq!(days("0d"), None);
        assert_eq!(days("often"), None);
        assert_eq!(days("3x"), None);
        assert_eq!(days("99999999999d"), None);
    }

    #[test]
    fn yearly_days_with_and_without_a_year_and_feb_29() {
        let d = |s| parse_iso(s).unwrap();
        let b = Yearly::parse("1984-11-27").unwrap();
        assert_eq!(
            b.next_on_or_after(d("2026-11-23")),
            Some((d("2026-11-27"), Some(42)))
        );
        assert_eq!(
            b.next_on_or_after(d("2026-11-28")),
            Some((d("2027-11-27"), Some(43)))
        );
        let no_year = Yearly::parse("--03-02").unwrap();
        assert_eq!(
            no_year.next_on_or_after(d("2026-11-23")),
            Some((d("2027-03-02"), None))
        );
        let leap = Yearly::parse("1988-02-29").unwrap();
        assert_eq!(
            leap.next_on_or_after(d("2027-02-01")),
            Some((d("2027-02-28"), Some(39)))
        );
        assert_eq!(
            leap.next_on_or_after(d("2028-02-01")),
            Some((d("2028-02-29"), Some(40)))
        );
        assert_eq!(Yearly::parse("--02-29").map(|y| y.day), Some(29));
        assert_eq!(Yearly::parse("--02-30"), None);
        assert_eq!(Yearly::parse("1984-13-01"), None);
    }
}
