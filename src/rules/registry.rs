//! The rule registry: one table gives every rule its variant, stable name, default level
//! and one-line summary. [`Rule`], [`Rule::ALL`] and [`RULES`] are all generated from it,
//! so adding a rule is one line here, a `## \`name\`` section in `docs/rules.md` and
//! its check.

use std::fmt;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing, nothing to fix yet.
    Info,
    /// Probably wrong, or needs attention soon.
    Warning,
    /// A broken promise or a broken tag.
    Error,
}

impl Level {
    /// All levels, least serious first.
    pub const ALL: [Level; 3] = [Level::Info, Level::Warning, Level::Error];

    /// The lowercase name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// What the level means, in one line (the command line's help lists it).
    pub fn summary(self) -> &'static str {
        match self {
            Level::Info => "Worth knowing, nothing to fix yet",
            Level::Warning => "Probably wrong, or needs attention soon",
            Level::Error => "A broken promise or a broken tag",
        }
    }

    /// The level with this lowercase name.
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the registry knows about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule.
    pub rule: Rule,
    /// Its stable kebab-case name, as written in output and configuration.
    pub name: &'static str,
    /// The level it reports at unless configured otherwise.
    pub default_level: Level,
    /// When it fires, in one line.
    pub summary: &'static str,
}

/// Declares [`Rule`] and [`RULES`] from one table, in the same order, so a rule's
/// discriminant is its index in [`RULES`].
macro_rules! rules {
    ($($variant:ident: $name:literal, $level:ident, $summary:literal;)*) => {
        /// Every rule. Variants are in name order, so sorting by rule sorts by name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(
                #[doc = concat!("`", $name, "`: ", $summary, ".")]
                $variant,
            )*
        }

        /// The registry: every rule's name, default level and summary, indexed by the
        /// rule's discriminant, in name order.
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo {
                rule: Rule::$variant,
                name: $name,
                default_level: Level::$level,
                summary: $summary,
            },)*
        ];

        impl Rule {
            /// All rules, in name order.
            pub const ALL: [Rule; RULES.len()] = [$(Rule::$variant,)*];
        }
    };
}

rules! {
    AmbiguousDate: "ambiguous-date", Warning,
        "A numeric date that reads as two days, with no `[dates] order`";
    BadFrontMatter: "bad-front-matter", Warning,
        "Front matter that is not valid YAML, or a `date:` that is not a date";
    BadProfile: "bad-profile", Warning,
        "A customer profile field that cannot be read";
    ConflictingDates: "conflicting-dates", Warning,
        "Two different due dates on one commitment";
    DoneInFuture: "done-in-future", Warning,
        "A done date after today";
    DueBeforeNote: "due-before-note", Warning,
        "A due date earlier than the note's own date";
    DueSoon: "due-soon", Info,
        "An open commitment due within the next few days";
    DueToday: "due-today", Warning,
        "An open commitment due today";
    InvalidDate: "invalid-date", Error,
        "A date tag whose value is not a date";
    InvalidRecurrence: "invalid-recurrence", Error,
        "A recurrence rule that cannot be read";
    LazyContinuation: "lazy-continuation", Info,
        "An unindented line joined to a commitment that carries its own tag or task marker";
    MissingDue: "missing-due", Warning,
        "An open commitment with no due or scheduled date";
    NoContact: "no-contact", Info,
        "A customer with a contact cadence but no dated note";
    OccasionSoon: "occasion-soon", Info,
        "A profile's birthday, anniversary or occasion whose card is to be written now; off by default";
    OftenMoved: "often-moved", Warning,
        "An open commitment whose date was moved many times (`@moved(N)`); off by default";
    Overdue: "overdue", Error,
        "An open commitment whose due date has passed";
    OverdueWaiting: "overdue-waiting", Warning,
        "Something others owe us (`@waiting`) whose due date has passed";
    StaleContact: "stale-contact", Warning,
        "A customer not contacted within their cadence";
    StatusMismatch: "status-mismatch", Warning,
        "A done or cancelled tag on a task item whose checkbox says otherwise";
    StrayDate: "stray-date", Warning,
        "A due or scheduled tag on a line that is not a commitment";
    UnknownDependency: "unknown-dependency", Warning,
        "A dependency (`⛔ ID`) on an id that no item has";
    UnknownTag: "unknown-tag", Warning,
        "A tag name that looks like a misspelt known tag";
    UnresolvedDate: "unresolved-date", Error,
        "A relative date in a note that has no date";
    UnusedSuppression: "unused-suppression", Warning,
        "A suppression comment that suppresses nothing, has expired, or names no rule";
}

/// Rules that are off unless the configuration turns them on (at their default level
/// when it names no other).
pub const OFF_BY_DEFAULT: &[Rule] = &[Rule::OccasionSoon, Rule::OftenMoved];

/// The rules' documentation, one `## \`name\`` section each.
const DOCS: &str = include_str!("../../docs/rules.md");

impl Rule {
    /// What the registry says about it.
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }

    /// The stable name, as written in output and configuration.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The rule with this name.
    pub fn from_name(name: &str) -> Option<Rule> {
        RULES.iter().find(|i| i.name == name).map(|i| i.rule)
    }

    /// The level it reports at unless configured otherwise.
    pub fn default_level(self) -> Level {
        self.info().default_level
    }

    /// When it fires, in one line.
    pub fn summary(self) -> &'static str {
        self.info().summary
    }

    /// The rule's section of `docs/rules.md`, heading included.
    pub fn docs(self) -> &'static str {
        let heading = format!("## `{}`", self.name());
        let Some(start) = DOCS.find(&heading) else {
            return self.summary();
        };
        let rest = &DOCS[start..];
        let end = rest[heading.len()..]
            .find("\n## ")
            .map_or(rest.len(), |i| heading.len() + i + 1);
        rest[..end].trim_end()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The rule a misspelt rule name most likely meant (for configuration and suppression
/// comments), when one is closest.
pub fn closest_name(name: &str) -> Option<&'static str> {
    match crate::text::closest(name, Rule::ALL.map(Rule::name))[..] {
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_indexed_by_discriminant() {
        assert_eq!(RULES.len(), Rule::ALL.len());
        for (i, info) in RULES.iter().enumerate() {
            assert_eq!(info.rule as usize, i, "{} is out of place", info.name);
            assert_eq!(Rule::ALL[i], info.rule);
        }
    }

    #[test]
    fn names_round_trip_and_are_sorted() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_name(r.name()), Some(r));
        }
        let names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "the registry is in name order, without repeats"
        );
        assert_eq!(Rule::from_name("overdu"), None);
        for r in Rule::ALL {
            let n = r.name();
            assert!(
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{n} is not kebab-case"
            );
        }
    }

    #[test]
    fn levels_round_trip_and_are_ordered() {
        for l in Level::ALL {
            assert_eq!(Level::from_name(l.as_str()), Some(l));
            assert_eq!(l.to_string(), l.as_str());
        }
        assert!(Level::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Level::from_name("warn"), None);
    }

    #[test]
    fn every_rule_has_a_docs_section_with_its_default_level() {
        for r in Rule::ALL {
            let docs = r.docs();
            assert!(
                docs.starts_with(&format!("## `{}`", r.name())),
                "docs/rules.md has no section for {}",
                r.name()
            );
            assert!(
                docs.contains(&format!("Default level: **{}**", r.default_level())),
                "the {} section does not give its default level",
                r.name()
            );
            for part in ["### Why", "### Example", "### How to fix"] {
                assert!(docs.contains(part), "{}: no {part}", r.name());
            }
        }
    }

    #[test]
    fn every_docs_section_names_a_rule() {
        let mut documented = Vec::new();
        for line in DOCS.lines() {
            if let Some(rest) = line.strip_prefix("## `") {
                let name = rest.strip_suffix('`').unwrap_or(rest);
                assert!(
                    Rule::from_name(name).is_some(),
                    "docs/rules.md documents `{name}`, which is not in the registry"
                );
                documented.push(name);
            }
        }
        documented.sort_unstable();
        let before = documented.len();
        documented.dedup();
        assert_eq!(before, documented.len(), "a rule is documented twice");
        assert_eq!(documented.len(), RULES.len());
    }
}
