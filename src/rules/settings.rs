//! Rule settings: a level (or off) per rule, and the rules' options.

use super::registry::{Level, Rule};

/// What the rules report and how: a level (or off) per rule, and their options.
/// Configuration files fill this in; the defaults are the documented ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSettings {
    /// Level per rule, in [`Rule::ALL`] order; `None` turns a rule off.
    levels: [Option<Level>; Rule::ALL.len()],
    /// `due-soon` looks this many days ahead (tomorrow included).
    pub due_soon_days: u32,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            levels: Rule::ALL.map(|r| Some(r.default_level())),
            due_soon_days: 3,
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
            assert_eq!(s.level(r), Some(r.default_level()), "{r}");
        }
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
