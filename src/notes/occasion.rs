//! Occasions beyond a contact's birthday and anniversary: a profile's `occasions:` list
//! (a wedding, a graduation, a child's birthday), the holidays the user sends cards for
//! (`[occasions] holidays` in followup.toml), and when a card for one has to be posted
//! (`lead`).
//!
//! ```yaml
//! occasions:
//!   - what: Maya's graduation
//!     date: 2027-06-12
//!     who: Dana Ruiz
//!     yearly: false
//!   - what: Leo's birthday     # Dana's son, year unknown
//!     date: --12-03
//!     lead: 10d
//! ```

use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::{Event, Yaml};

use crate::notes::dates::month_from_word;
use crate::notes::frontmatter::scalar;
use crate::notes::profile::{Cadence, Yearly};

/// How many days before an occasion its card is posted when nothing says otherwise.
pub const DEFAULT_LEAD_DAYS: u32 = 7;

/// Read a lead time: `0d` or anything [`Cadence::parse`] reads (`7d`, `1w`...).
pub fn parse_lead(s: &str) -> Option<u32> {
    let t = s.trim().to_ascii_lowercase();
    if t == "0" || t == "0d" || t == "0w" {
        return Some(0);
    }
    Cadence::parse(&t).map(|c| c.days).filter(|&d| d <= 366)
}

/// The day a card has to be posted: `lead` days before the occasion.
pub fn post_by(date: NaiveDate, lead: u32) -> NaiveDate {
    date.checked_sub_days(Days::new(lead.into()))
        .unwrap_or(date)
}

/// One entry of a profile's `occasions:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileOccasion {
    /// What it is: "Maya's graduation".
    pub what: String,
    /// The day (the year may be unknown for a yearly one).
    pub date: Yearly,
    /// Whose it is, when given.
    pub who: Option<String>,
    /// Whether it comes back every year (`yearly: false` for a one-off).
    pub yearly: bool,
    /// Days before it to post the card, overriding `[occasions] lead`.
    pub lead: Option<u32>,
}

impl ProfileOccasion {
    /// The first time it falls on or after `from`; a one-off only on its own day.
    /// Feb 29 falls on Feb 28 in other years.
    pub fn next_on_or_after(&self, from: NaiveDate) -> Option<NaiveDate> {
        next_day(self.date, self.yearly, from)
    }

    /// Read one entry: a mapping with `what:` and `date:`, and optional `who:`,
    /// `yearly:` (true unless `false`) and `lead:`.
    pub fn read(v: &Yaml) -> Result<ProfileOccasion, String> {
        let Yaml::Hash(h) = v else {
            return Err(
                "not a mapping with `what:` and `date:` (and optional `who:`, `yearly:`, `lead:`)"
                    .to_owned(),
            );
        };
        for k in h.keys() {
            let k = scalar(k).unwrap_or_default();
            if !["what", "date", "who", "yearly", "lead"].contains(&k.as_str()) {
                return Err(format!(
                    "`{k}:` is not an occasion field (write `what:`, `date:`, `who:`, `yearly:`, `lead:`)"
                ));
            }
        }
        let get = |k: &str| h.get(&Yaml::String(k.to_owned())).and_then(scalar);
        let what = get("what")
            .filter(|w| !w.trim().is_empty())
            .ok_or_else(|| "no `what:`".to_owned())?;
        let text = get("date").ok_or_else(|| format!("{what}: no `date:`"))?;
        let date = Yearly::parse(&text).ok_or_else(|| {
            format!("{what}: `date: {text}` is not a date (write YYYY-MM-DD, or --MM-DD without the year)")
        })?;
        let yearly = match h.get(&Yaml::String("yearly".to_owned())) {
            None => true,
            Some(Yaml::Boolean(b)) => *b,
            Some(other) => {
                return Err(format!(
                    "{what}: `yearly: {}` is not true or false",
                    scalar(other).unwrap_or_default()
                ))
            }
        };
        if !yearly && date.year.is_none() {
            return Err(format!(
                "{what}: a one-off occasion (`yearly: false`) needs the year in `date:`"
            ));
        }
        let lead = match get("lead") {
            None => None,
            Some(l) => Some(parse_lead(&l).ok_or_else(|| {
                format!("{what}: `lead: {l}` is not a number of days (write `7d`, `2w`)")
            })?),
        };
        Ok(ProfileOccasion {
            what,
            date,
            who: get("who").filter(|w| !w.trim().is_empty()),
            yearly,
            lead,
        })
    }
}

/// The first time `date` falls on or after `from`: every year, or (not `yearly`) only
/// on its own day. Feb 29 falls on Feb 28 in other years.
fn next_day(date: Yearly, yearly: bool, from: NaiveDate) -> Option<NaiveDate> {
    if yearly {
        return date.next_on_or_after(from).map(|(d, _)| d);
    }
    let d = NaiveDate::from_ymd_opt(date.year?, date.month, date.day)?;
    (d >= from).then_some(d)
}

/// Which field of a profile a card's day comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayField {
    /// A contact's `birthday:`.
    Birthday,
    /// A contact's `anniversary:`.
    Anniversary,
    /// An entry of `occasions:`.
    Occasion,
}

/// A day in a profile that a card goes out for: a contact's birthday or anniversary,
/// or an `occasions:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDay {
    /// What for, as cards and `card-sent:` say it: "Dana Ruiz's birthday", "Maya's
    /// graduation".
    pub what: String,
    /// Whose day: the contact, or the occasion's `who:`.
    pub who: Option<String>,
    /// The day.
    pub date: Yearly,
    /// Every year (`false` for a one-off occasion).
    pub yearly: bool,
    /// Days before it to post the card, overriding `[occasions] lead`.
    pub lead: Option<u32>,
    /// Where it is written.
    pub field: DayField,
}

/// How a name given on the command line names a [`CardDay`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Its whole `what` or person.
    Whole,
    /// Part of its `what`.
    Part,
}

impl CardDay {
    /// The first time it falls on or after `from`.
    pub fn next_on_or_after(&self, from: NaiveDate) -> Option<NaiveDate> {
        next_day(self.date, self.yearly, from)
    }

    /// How `name` names it, in any case: as its whole `what` or person, or as part of
    /// its `what`; `None` when not at all.
    pub fn named(&self, name: &str) -> Option<Named> {
        let name = name.trim().to_lowercase();
        let what = self.what.to_lowercase();
        let who = self.who.as_deref().map(str::to_lowercase);
        if name.is_empty() {
            None
        } else if what == name || who.as_deref() == Some(name.as_str()) {
            Some(Named::Whole)
        } else {
            what.contains(&name).then_some(Named::Part)
        }
    }

    /// Where in `text` (a profile note) it is written: the contact's `birthday:` or
    /// `anniversary:` key to the end of its line, or the occasion entry's first key.
    pub fn line_in(&self, text: &str) -> Option<Range<usize>> {
        let (start, end) = yaml_block(text)?;
        let mut walk = Walk::default();
        Parser::new_from_str(&text[start..end])
            .load(&mut walk, false)
            .ok()?;
        let who = self.who.as_deref().unwrap_or_default();
        let key = match self.field {
            DayField::Birthday => "birthday",
            DayField::Anniversary => "anniversary",
            DayField::Occasion => "",
        };
        let entry = walk.entries.iter().find(|e| match self.field {
            DayField::Occasion => e.list == "occasions" && e.name.as_deref() == Some(&self.what),
            _ => e.list == "contacts" && e.name.as_deref() == Some(who),
        })?;
        let chars = if key.is_empty() {
            entry.first_key?
        } else {
            entry.keys.iter().find(|(k, _)| k == key)?.1
        };
        let at = start + text[start..end].char_indices().nth(chars)?.0;
        let line_end = text[at..].find(['\r', '\n']).map_or(text.len(), |i| at + i);
        Some(at..line_end)
    }
}

/// Where the YAML between a note's opening `---` line and its closing `---` (or `...`)
/// line is: from the line after the opening one to the start of the closing one.
pub fn yaml_block(text: &str) -> Option<(usize, usize)> {
    let first = text.find('\n')?;
    if text[..first].trim_end() != "---" {
        return None;
    }
    let mut pos = first + 1;
    for line in text[pos..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return Some((first + 1, pos));
        }
        pos += line.len();
    }
    None
}

/// One mapping in a top-level list of a profile (`contacts:`, `occasions:`): its name
/// (`name:` or `what:`) and where its keys are (in characters from the YAML's start).
#[derive(Debug, Default)]
struct Entry {
    list: String,
    name: Option<String>,
    first_key: Option<usize>,
    keys: Vec<(String, usize)>,
}

/// A container being read: a mapping (its current key; whether a key comes next) or a
/// sequence.
#[derive(Debug)]
enum Frame {
    Map { key: Option<String>, at_key: bool },
    Seq,
}

/// Reads the parser's events into the [`Entry`]s of `contacts:` and `occasions:`.
#[derive(Debug, Default)]
struct Walk {
    stack: Vec<Frame>,
    entries: Vec<Entry>,
}

impl Walk {
    /// The top-level list the current mapping is an entry of, when it is one.
    fn list(&self) -> Option<String> {
        match &self.stack[..] {
            [Frame::Map { key: Some(k), .. }, Frame::Seq, Frame::Map { .. }] => {
                Some(k.to_ascii_lowercase())
            }
            _ => None,
        }
    }

    /// A node is done: the mapping above it expects a value next, or a key.
    fn done(&mut self) {
        if let Some(Frame::Map { at_key, .. }) = self.stack.last_mut() {
            *at_key = !*at_key;
        }
    }
}

impl MarkedEventReceiver for Walk {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            // A container is done (and the mapping above it moves on) at its end.
            Event::MappingStart(..) => {
                self.stack.push(Frame::Map {
                    key: None,
                    at_key: true,
                });
                if let Some(list) = self.list() {
                    self.entries.push(Entry {
                        list,
                        ..Entry::default()
                    });
                }
            }
            Event::SequenceStart(..) => {
                self.stack.push(Frame::Seq);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.done();
            }
            Event::Scalar(text, ..) => {
                let in_entry = self.list().is_some();
                if let Some(Frame::Map { key, at_key }) = self.stack.last_mut() {
                    if *at_key {
                        *key = Some(text.clone());
                        if in_entry {
                            if let Some(e) = self.entries.last_mut() {
                                e.first_key.get_or_insert(mark.index());
                                e.keys.push((text, mark.index()));
                            }
                        }
                    } else if in_entry && matches!(key.as_deref(), Some("name" | "what")) {
                        if let Some(e) = self.entries.last_mut() {
                            e.name.get_or_insert(text);
                        }
                    }
                }
                self.done();
            }
            Event::Alias(_) => self.done(),
            _ => {}
        }
    }
}

/// When a holiday falls each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayRule {
    /// The same day every year: `12-25`.
    Fixed {
        /// Month, 1-12.
        month: u32,
        /// Day of the month.
        day: u32,
    },
    /// The nth weekday of a month (`4th thu of nov`), or the last one (`last mon of
    /// may`, `n` = 0).
    Weekday {
        /// 1-5, or 0 for the last.
        n: u32,
        /// Which weekday.
        weekday: Weekday,
        /// Month, 1-12.
        month: u32,
    },
}

impl HolidayRule {
    /// Read `MM-DD` (or `--MM-DD`), `1st`..`5th WEEKDAY of MONTH`, or `last WEEKDAY of
    /// MONTH` (`4th thu of nov`, `last monday of may`, `2nd sun of may`).
    pub fn parse(s: &str) -> Option<HolidayRule> {
        let t = s.trim().to_ascii_lowercase();
        let md = t.strip_prefix("--").unwrap_or(&t);
        if let Some(y) = Yearly::parse(&format!("--{md}")) {
            return Some(HolidayRule::Fixed {
                month: y.month,
                day: y.day,
            });
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let [nth, weekday, of, month] = words[..] else {
            return None;
        };
        if of != "of" {
            return None;
        }
        let n = match nth {
            "last" => 0,
            "1st" | "first" => 1,
            "2nd" | "second" => 2,
            "3rd" | "third" => 3,
            "4th" | "fourth" => 4,
            "5th" | "fifth" => 5,
            _ => return None,
        };
        Some(HolidayRule::Weekday {
            n,
            weekday: weekday.parse().ok()?,
            month: month_from_word(month)?,
        })
    }

    /// The day it falls on in `year`; `None` when the month has no such day (a 5th
    /// Monday that year). Feb 29 falls on Feb 28 in other years.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        match self {
            HolidayRule::Fixed { month, day } => Yearly {
                month,
                day,
                year: None,
            }
            .in_year(year),
            HolidayRule::Weekday {
                n: 0,
                weekday,
                month,
            } => {
                let (ny, nm) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                let mut d = NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()?;
                while d.weekday() != weekday {
                    d = d.pred_opt()?;
                }
                Some(d)
            }
            HolidayRule::Weekday { n, weekday, month } => {
                NaiveDate::from_weekday_of_month_opt(year, month, weekday, n as u8)
            }
        }
    }

    /// The first time it falls on or after `from` (looking a few years ahead).
    pub fn next_on_or_after(self, from: NaiveDate) -> Option<NaiveDate> {
        (from.year()..from.year() + 8)
            .filter_map(|y| self.in_year(y))
            .find(|&d| d >= from)
    }
}

/// A holiday the user sends cards for: `{ what = "Thanksgiving", rule = "4th thu of
/// nov" }`, with an optional `lead`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Its name.
    pub what: String,
    /// When it falls.
    pub rule: HolidayRule,
    /// The rule as written, for printing the settings back.
    pub rule_text: String,
    /// Days before it to post the cards, overriding `[occasions] lead`.
    pub lead: Option<u32>,
}

/// `[occasions]` in followup.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccasionSettings {
    /// Days before an occasion to post its card.
    pub lead: u32,
    /// The holidays cards go out for.
    pub holidays: Vec<Holiday>,
}

impl Default for OccasionSettings {
    fn default() -> Self {
        OccasionSettings {
            lead: DEFAULT_LEAD_DAYS,
            holidays: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::dates::parse_iso;

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    #[test]
    fn holiday_rules_in_every_form() {
        let cases = [
            ("4th thu of nov", 2026, Some("2026-11-26")),
            ("4th thu of nov", 2027, Some("2027-11-25")),
            ("fourth Thursday of November", 2026, Some("2026-11-26")),
            ("last mon of may", 2026, Some("2026-05-25")),
            ("last mon of may", 2027, Some("2027-05-31")),
            ("last fri of dec", 2026, Some("2026-12-25")),
            ("last sat of feb", 2028, Some("2028-02-26")),
            ("last tue of feb", 2028, Some("2028-02-29")),
            ("2nd sun of may", 2026, Some("2026-05-10")),
            ("1st mon of sep", 2026, Some("2026-09-07")),
            ("1st mon of sept", 2026, Some("2026-09-07")),
            ("5th mon of nov", 2026, Some("2026-11-30")),
            ("5th mon of feb", 2026, None),
            ("12-25", 2026, Some("2026-12-25")),
            ("--01-01", 2027, Some("2027-01-01")),
            ("02-29", 2027, Some("2027-02-28")),
            ("02-29", 2028, Some("2028-02-29")),
        ];
        for (rule, year, want) in cases {
            let r = HolidayRule::parse(rule).unwrap_or_else(|| panic!("{rule}"));
            assert_eq!(r.in_year(year), want.map(d), "{rule} in {year}");
        }
        for bad in [
            "6th mon of may",
            "4th thu in nov",
            "4th xyz of nov",
            "4th thu of no",
            "13-01",
            "thanksgiving",
            "",
        ] {
            assert_eq!(HolidayRule::parse(bad), None, "{bad}");
        }
        let thanksgiving = HolidayRule::parse("4th thu of nov").unwrap();
        assert_eq!(
            thanksgiving.next_on_or_after(d("2026-11-27")),
            Some(d("2027-11-25"))
        );
    }

    #[test]
    fn lead_times_across_month_and_year_ends() {
        let cases = [
            ("2026-11-27", 7, "2026-11-20"),
            ("2026-12-03", 7, "2026-11-26"),
            ("2027-01-02", 7, "2026-12-26"),
            ("2027-01-05", 10, "2026-12-26"),
            ("2028-03-01", 1, "2028-02-29"),
            ("2027-03-01", 1, "2027-02-28"),
            ("2026-12-25", 0, "2026-12-25"),
        ];
        for (date, lead, want) in cases {
            assert_eq!(post_by(d(date), lead), d(want), "{date} - {lead}d");
        }
        assert_eq!(parse_lead("7d"), Some(7));
        assert_eq!(parse_lead("2w"), Some(14));
        assert_eq!(parse_lead("0d"), Some(0));
        assert_eq!(parse_lead("soon"), None);
        assert_eq!(parse_lead("2y"), None);
    }

    fn yaml(s: &str) -> Yaml {
        yaml_rust2::YamlLoader::load_from_str(s).unwrap().remove(0)
    }

    #[test]
    fn card_days_are_found_on_their_lines_and_by_name() {
        let text = "---\ntype: customer\nContacts:\n  - name: Kim\n    birthday: 2026-02-30\n  - role: CFO\n    name: Dana Ruiz\n    anniversary: 2019-11-25\n    birthday: --11-27\noccasions:\n  - { what: Leo's birthday, date: --12-03 }\n  - date: 2027-06-12\n    what: \"Maya's graduation\"\n---\nbirthday: --11-27\n";
        let profile = crate::notes::frontmatter::split(text)
            .front
            .profile
            .expect("a profile");
        let days = profile.card_days();
        let found: Vec<(&str, &str)> = days
            .iter()
            .map(|d| (d.what.as_str(), d.line_in(text).map_or("", |r| &text[r])))
            .collect();
        // Kim's bad birthday leaves Kim out; Dana is still found by name.
        assert_eq!(
            found,
            [
                ("Dana Ruiz's birthday", "birthday: --11-27"),
                ("Dana Ruiz's anniversary", "anniversary: 2019-11-25"),
                ("Leo's birthday", "what: Leo's birthday, date: --12-03 }"),
                ("Maya's graduation", "date: 2027-06-12"),
            ]
        );
        let named: Vec<Option<Named>> = [
            "dana ruiz",
            "DANA RUIZ'S BIRTHDAY",
            "birthday",
            "graduation party",
            " ",
        ]
        .iter()
        .map(|n| days[0].named(n))
        .collect();
        assert_eq!(
            named,
            [
                Some(Named::Whole),
                Some(Named::Whole),
                Some(Named::Part),
                None,
                None
            ]
        );
    }

    #[test]
    fn profile_occasions_yearly_one_off_and_feb_29() {
        let o = ProfileOccasion::read(&yaml(
            "what: Maya's graduation\ndate: 2027-06-12\nwho: Maya\nyearly: false",
        ))
        .unwrap();
        assert!(!o.yearly);
        assert_eq!(o.who.as_deref(), Some("Maya"));
        assert_eq!(o.next_on_or_after(d("2026-12-01")), Some(d("2027-06-12")));
        assert_eq!(o.next_on_or_after(d("2027-06-13")), None);
        let kid =
            ProfileOccasion::read(&yaml("what: Leo's birthday\ndate: --12-03\nlead: 10d")).unwrap();
        assert_eq!(kid.lead, Some(10));
        assert_eq!(kid.next_on_or_after(d("2026-12-04")), Some(d("2027-12-03")));
        let leap =
            ProfileOccasion::read(&yaml("what: Company anniversary\ndate: 2016-02-29")).unwrap();
        assert_eq!(
            leap.next_on_or_after(d("2026-12-01")),
            Some(d("2027-02-28"))
        );
        assert_eq!(
            leap.next_on_or_after(d("2027-12-01")),
            Some(d("2028-02-29"))
        );
        for (bad, why) in [
            ("date: 2027-06-12", "no `what:`"),
            ("what: x", "no `date:`"),
            ("what: x\ndate: 2027-13-01", "is not a date"),
            ("what: x\ndate: --06-12\nyearly: false", "needs the year"),
            (
                "what: x\ndate: --06-12\nyearly: sometimes",
                "not true or false",
            ),
            ("what: x\ndate: --06-12\nlead: soon", "not a number of days"),
            ("what: x\ndate: --06-12\nwhen: now", "not an occasion field"),
            ("just text", "not a mapping"),
        ] {
            let e = ProfileOccasion::read(&yaml(bad)).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
