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

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use yaml_rust2::Yaml;

use crate::notes::dates::parse_iso;
use crate::notes::frontmatter::scalar;

/// What a profile note says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
}

/// How often to be in touch, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Their name.
    pub name: String,
    /// Their role, if given.
    pub role: Option<String>,
    /// Their birthday.
    pub birthday: Option<Yearly>,
    /// An anniversary worth marking (first order, go-live).
    pub anniversary: Option<Yearly>,
}

/// A day that comes back every year, with the year it started when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    Ok(Contact {
        birthday: day("birthday")?,
        anniversary: day("anniversary")?,
        role: get("role"),
        name,
    })
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
