//! Rule settings: a level (or off) per rule, and the rules' options.

use super::registry::{Level, Rule, OFF_BY_DEFAULT};

/// What the rules report and how: a level (or off) per rule, and their options.
/// Configuration files fill this in; the defaults are the documented ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSettings {
    /// Level per rule, in [`Rule::ALL`] order; `None` turns a rule off.
    levels: [Option<Level>; Rule::ALL.len()],
    /// `due-soon` looks this many days ahead (tomorrow included).
    pub due_soon_days: u32,
    /// `often-moved` fires at this many moves (`@moved(N)`, N at least this).
    pub often_moved_times: u32,
    /// `occasion-soon`: days before an occasion its card is posted (`[occasions] lead`).
    pub occasion_lead: u32,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            levels: Rule::ALL.map(|r| (!OFF_BY_DEFAULT.contains(&r)).then(|| r.default_level())),
            due_soon_days: 3,
            often_moved_times: 3,
            occasion_lead: crate::notes::occasion::DEFAULT_LEAD_DAYS,
        }
    }
}

impl RuleSettings {
    /// The level a rule reports at, or `None` when it is off.
    pub fn level(&self, rule: Rule) -> Option<Level> {
        self.levels[rule as usize]
    }

    /// Set a rule's level, or turn it off with `None`.
    pub fn set_level(&mut self, rule: Rule, level: Option<Level>) {
        self.levels[rule as usize] = level;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_registry_levels() {
        let s = RuleSettings::default();
        for r in Rule::ALL {
            let on = !OFF_BY_DEFAULT.contains(&r);
            assert_eq!(s.level(r), on.then(|| r.default_level()), "{r}");
        }
        assert_eq!(s.level(Rule::OftenMoved), None);
    }

    #[test]
    fn settings_turn_rules_off_and_change_levels() {
        let mut s = RuleSettings::default();
        assert_eq!(s.level(Rule::Overdue), Some(Level::Error));
        assert_eq!(s.level(Rule::DueSoon), Some(Level::Info));
        s.set_level(Rule::MissingDue, None);
        s.set_level(Rule::DueSoon, Some(Level::Error));
        assert_eq!(s.level(Rule::MissingDue), None);
        assert_eq!(s.level(Rule::DueSoon), Some(Level::Error));
    }
}
