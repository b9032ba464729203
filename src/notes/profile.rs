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
use crate::notes::occasion::{CardDay, DayField};

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
    #[serde(with = "crate::notes::dates::days::option")]
    pub won: Option<NaiveDate>,
    /// `facts:`, free notes about the customer (affiliations, history).
    pub facts: Vec<String>,
    /// `card-sent:`, the cards that went out, oldest first as written.
    pub cards_sent: Vec<CardSent>,
}

/// One entry of `card-sent:`: `2026-11-20 Dana Ruiz's birthday`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CardSent {
    /// The day it was sent.
    #[serde(with = "crate::notes::dates::days")]
    pub date: NaiveDate,
    /// What for, as the card said it.
    pub what: String,
}

impl CardSent {
    /// Read `YYYY-MM-DD WHAT`.
    pub fn parse(s: &str) -> Option<CardSent> {
        let (date, what) = s.trim().split_once(char::is_whitespace)?;
        let what = what.trim();
        Some(CardSent {
            date: parse_iso(date)?,
            what: what.to_owned(),
        })
        .filter(|_| !what.is_empty())
    }
}

/// How long before an occasion a card sent still counts for it: half a year, so a
/// card sent for last year's (even late) never hides this year's.
const SENT_FOR_DAYS: u64 = 183;

impl Profile {
    /// The days in the profile that cards go out for: each contact's birthday and
    /// anniversary, then each `occasions:` entry.
    pub fn card_days(&self) -> Vec<CardDay> {
        let mut out = Vec::new();
        for c in &self.contacts {
            for (field, kind, day) in [
                (DayField::Birthday, "birthday", c.birthday),
                (DayField::Anniversary, "anniversary", c.anniversary),
            ] {
                if let Some(date) = day {
                    out.push(CardDay {
                        what: format!("{}'s {kind}", c.name),
                        who: Some(c.name.clone()),
                        date,
                        yearly: true,
                        lead: None,
                        field,
                    });
                }
            }
        }
        out.extend(self.occasions.iter().map(|o| CardDay {
            what: o.what.clone(),
            who: o.who.clone(),
            date: o.date,
            yearly: o.yearly,
            lead: o.lead,
            field: DayField::Occasion,
        }));
        out
    }

    /// When the last card for `what` (any case) was sent, by `card-sent:`.
    pub fn last_card_sent(&self, what: &str) -> Option<NaiveDate> {
        self.cards_sent
            .iter()
            .filter(|c| c.what.eq_ignore_ascii_case(what))
            .map(|c| c.date)
            .max()
    }

    /// Whether the card for `what` on `date` went out: a `card-sent:` entry for it
    /// dated in the half year up to that day.
    pub fn card_sent_for(&self, what: &str, date: NaiveDate) -> bool {
        let since = date
            .checked_sub_days(chrono::Days::new(SENT_FOR_DAYS))
            .unwrap_or(NaiveDate::MIN);
        self.cards_sent
            .iter()
            .any(|c| c.what.eq_ignore_ascii_case(what) && c.date > since && c.date <= date)
    }
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

/// The contact cadence of customers whose profile gives none, per stage:
/// `[customers] cadence = "14d"` (prospects and customers) or `{ prospect = "30d",
/// customer = "14d", former = "90d" }`. A former customer has no cadence unless `former`
/// is named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cadences {
    /// For prospects.
    pub prospect: Option<Cadence>,
    /// For customers.
    pub customer: Option<Cadence>,
    /// For former customers: only when named, since a former customer is not kept in
    /// touch with unless asked.
    pub former: Option<Cadence>,
}

impl Cadences {
    /// One cadence for prospects and customers (`cadence = "14d"`).
    pub fn every(c: Option<Cadence>) -> Cadences {
        Cadences {
            prospect: c,
            customer: c,
            former: None,
        }
    }

    /// The cadence a customer at `stage` is kept to: their profile's `own` when given,
    /// else the stage's. A former customer has none unless `former` is set.
    pub fn resolve(&self, stage: Stage, own: Option<Cadence>) -> Option<Cadence> {
        match stage {
            Stage::Prospect => own.or(self.prospect),
            Stage::Customer => own.or(self.customer),
            Stage::Former => self.former.and(own.or(self.former)),
        }
    }

    /// Whether it is one cadence for prospects and customers (and none for former
    /// customers): what a single `cadence = "14d"` gives.
    pub fn is_single(&self) -> bool {
        self.prospect == self.customer && self.former.is_none()
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

impl std::fmt::Display for Yearly {
    /// As written in a profile: `1984-11-27`, or `--11-27` without the year.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
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
    // An empty `card-sent:` is an empty list, as a template may leave it.
    if let Some(v) = get("card-sent").filter(|v| !v.is_null()) {
        match texts(&v) {
            Some(entries) => {
                for (i, e) in entries.iter().enumerate() {
                    match CardSent::parse(e) {
                        Some(c) => p.cards_sent.push(c),
                        None => problems.push(FieldProblem {
                            key: "card-sent",
                            message: format!(
                                "card-sent {}: `{e}` is not `YYYY-MM-DD WHAT` (write `2026-11-20 Dana Ruiz's birthday`)",
                                i + 1
                            ),
                        }),
                    }
                }
            }
            None => problems.push(FieldProblem {
                key: "card-sent",
                message: "`card-sent:` is not a list of `YYYY-MM-DD WHAT` entries".to_owned(),
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

/// Where a walked file's first folder starts in its display path; `None` for a file
/// directly in the scanned folder.
fn first_folder_start(file: &NoteFile) -> Option<usize> {
    let first = file.folder.as_deref()?;
    let d = file.display.as_str();
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'/', d.as_bytes()).map(|b| b + 1))
        .find(|&s| d[s..].starts_with(first) && d[s + first.len()..].starts_with('/'))
}

/// How many folders below the scanned path hold `file`: the length of
/// [`folders_below_root`], without building it (most files are one level down).
fn depth_below_root(file: &NoteFile) -> usize {
    first_folder_start(file).map_or(0, |start| {
        memchr::memchr_iter(b'/', &file.display.as_bytes()[start..]).count()
    })
}

/// A walked file's folders below the path it was found under, as display paths
/// (`notes/Clients`, `notes/Clients/Acme Corp`), outermost first; empty for a file
/// directly in the scanned folder.
fn folders_below_root(file: &NoteFile) -> Vec<&str> {
    let Some(start) = first_folder_start(file) else {
        return Vec::new();
    };
    let d = file.display.as_str();
    memchr::memchr_iter(b'/', &d.as_bytes()[start..])
        .map(|b| &d[..start + b])
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
                .filter(|f| (min_depth..=max_depth).contains(&depth_below_root(f)))
                .filter_map(|f| {
                    let folders = folders_below_root(f);
                    let dir = *folders.last()?;
                    (!self.ignored(last_name(dir))).then_some((f, dir))
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
        if profile_dirs.is_empty() && self.matcher.is_none() {
            // The first-folder rule alone (the common layout): no need to look further
            // up each file's folders.
            for f in files.iter_mut() {
                f.folder = f.folder.take().filter(|d| !self.ignored(d));
            }
            return;
        }
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
    fn cadence_per_stage_resolution() {
        let c = |s| Cadence::parse(s);
        let per_stage = Cadences {
            prospect: c("30d"),
            customer: c("14d"),
            former: c("90d"),
        };
        let single = Cadences::every(c("14d"));
        let days = |x: Option<Cadence>| x.map(|x| x.days);
        // (settings, stage, the profile's own, the cadence kept)
        let cases = [
            (per_stage, Stage::Prospect, None, Some(30)),
            (per_stage, Stage::Customer, None, Some(14)),
            (per_stage, Stage::Former, None, Some(90)),
            (per_stage, Stage::Prospect, c("1w"), Some(7)),
            (per_stage, Stage::Former, c("1w"), Some(7)),
            (single, Stage::Prospect, None, Some(14)),
            (single, Stage::Customer, None, Some(14)),
            (single, Stage::Customer, c("1m"), Some(30)),
            // A former customer is kept in touch with only when `former` is named.
            (single, Stage::Former, None, None),
            (single, Stage::Former, c("1w"), None),
            (Cadences::default(), Stage::Customer, None, None),
            (Cadences::default(), Stage::Prospect, c("2w"), Some(14)),
        ];
        for (settings, stage, own, want) in cases {
            assert_eq!(
                days(settings.resolve(stage, own)),
                want,
                "{settings:?} {stage:?} own {own:?}"
            );
        }
        assert!(single.is_single() && !per_stage.is_single());
    }

    #[test]
    fn cards_sent_count_for_the_half_year_up_to_the_day() {
        let d = |s| parse_iso(s).unwrap();
        assert_eq!(
            CardSent::parse(" 2025-11-20  Dana Ruiz's birthday "),
            Some(CardSent {
                date: d("2025-11-20"),
                what: "Dana Ruiz's birthday".to_owned()
            })
        );
        for bad in [
            "2025-11-20",
            "Dana's birthday 2025-11-20",
            "2025-13-01 x",
            "",
        ] {
            assert_eq!(CardSent::parse(bad), None, "{bad}");
        }
        let p = Profile {
            cards_sent: [
                "2025-11-20 Dana Ruiz's birthday",
                "2026-05-30 dana ruiz's BIRTHDAY",
            ]
            .iter()
            .filter_map(|s| CardSent::parse(s))
            .collect(),
            ..Profile::default()
        };
        assert_eq!(
            p.last_card_sent("Dana Ruiz's birthday"),
            Some(d("2026-05-30"))
        );
        assert_eq!(p.last_card_sent("Leo's birthday"), None);
        // (occasion's day, whether a card went out for it)
        for (day, sent) in [
            ("2025-11-27", true),
            ("2025-11-19", false),
            ("2026-05-30", true),
            ("2026-11-27", true),
            ("2026-11-28", true),
            ("2026-11-29", false),
        ] {
            assert_eq!(
                p.card_sent_for("Dana Ruiz's birthday", d(day)),
                sent,
                "{day}"
            );
        }
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
        assert_eq!(b.to_string(), "1984-11-27");
        assert_eq!(no_year.to_string(), "--03-02");
        assert_eq!(Yearly::parse("--02-30"), None);
        assert_eq!(Yearly::parse("1984-13-01"), None);
    }
}
