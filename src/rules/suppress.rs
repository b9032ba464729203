//! Inline suppressions: HTML comments (invisible when the note is rendered) that silence
//! rules for a line, a region or a file.
//!
//! ```markdown
//! <!-- followup-disable-next-line overdue -- waiting for the budget -->
//! <!-- followup-disable missing-due until=2026-12-31 -->  ...  <!-- followup-enable -->
//! <!-- followup-disable-file -->
//! ```
//!
//! The parser hands over the HTML it saw outside code (so a comment in a code block is
//! never a suppression); this module reads the directives in it and applies them.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::notes::dates::parse_iso;
use crate::rules::{closest_name, Rule};

/// What a directive does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `followup-disable-next-line`: the line after the comment (and the whole
    /// commitment that starts on it).
    NextLine,
    /// `followup-disable`: from here to a matching `followup-enable` or the end.
    Disable,
    /// `followup-enable`: ends a `followup-disable`.
    Enable,
    /// `followup-disable-file`: the whole note.
    File,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::NextLine => "followup-disable-next-line",
            Kind::Disable => "followup-disable",
            Kind::Enable => "followup-enable",
            Kind::File => "followup-disable-file",
        }
    }
}

/// Which rules: a bit per rule in [`Rule::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuleSet(u32);

impl RuleSet {
    /// Every rule.
    pub const ALL: RuleSet = RuleSet((1 << Rule::ALL.len()) - 1);

    fn bit(rule: Rule) -> u32 {
        1 << rule as u32
    }

    /// Whether `rule` is in the set.
    pub fn contains(self, rule: Rule) -> bool {
        self.0 & Self::bit(rule) != 0
    }

    fn insert(&mut self, rule: Rule) {
        self.0 |= Self::bit(rule);
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn rules(self) -> impl Iterator<Item = Rule> {
        Rule::ALL.into_iter().filter(move |&r| self.contains(r))
    }
}

/// One suppression comment, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// What it does.
    pub kind: Kind,
    /// The rules it names; every rule when it names none.
    pub rules: RuleSet,
    /// Whether it named its rules (`false`: all rules).
    pub named: bool,
    /// Names that are not rules.
    pub unknown: Vec<String>,
    /// The last day it applies (`until=YYYY-MM-DD`).
    pub until: Option<NaiveDate>,
    /// An `until=` value that is not a date: the directive is then ignored.
    pub bad_until: Option<String>,
    /// The comment's bytes in the note.
    pub span: Range<usize>,
}

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--\s*followup-([a-z]+(?:-[a-z]+)*)(.*?)-->").expect("regex")
});

/// The directives in a piece of HTML at `offset` in the note.
pub fn directives_in(html: &str, offset: usize, out: &mut Vec<Directive>) {
    for c in DIRECTIVE.captures_iter(html) {
        let whole = c.get(0).expect("match");
        let span = offset + whole.start()..offset + whole.end();
        let kind = match &c[1] {
            "disable-next-line" => Kind::NextLine,
            "disable" => Kind::Disable,
            "enable" => Kind::Enable,
            "disable-file" => Kind::File,
            // Not a directive of ours (or a misspelt one, which `unused-suppression`
            // cannot tell from prose about followup): left alone.
            _ => continue,
        };
        let body = &c[2];
        // Everything after `--` is the reason, for people.
        let body = body.find("--").map_or(body, |i| &body[..i]);
        let mut d = Directive {
            kind,
            rules: RuleSet::default(),
            named: false,
            unknown: Vec::new(),
            until: None,
            bad_until: None,
            span,
        };
        for word in body.split(|ch: char| ch == ',' || ch.is_whitespace()) {
            if word.is_empty() {
                continue;
            }
            if let Some(date) = word.strip_prefix("until=") {
                match parse_iso(date) {
                    Some(day) => d.until = Some(day),
                    None => d.bad_until = Some(date.to_owned()),
                }
            } else if let Some(rule) = Rule::from_name(word) {
                d.named = true;
                d.rules.insert(rule);
            } else {
                d.named = true;
                d.unknown.push(word.to_owned());
            }
        }
        if !d.named {
            d.rules = RuleSet::ALL;
        }
        out.push(d);
    }
}

/// A finding as suppressions see it.
pub struct Target {
    /// Its rule.
    pub rule: Rule,
    /// The line it is on.
    pub line: usize,
    /// The line of the commitment it is about, if any.
    pub item_line: Option<usize>,
}

/// A directive that suppressed nothing, or could not be used: what to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    /// The comment's bytes.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// The label under the comment.
    pub label: String,
    /// How to fix it.
    pub help: String,
}

/// Which of `targets` the directives suppress (`true` = suppressed), and the directives
/// that did not earn their place. `line_of` gives a byte offset's 1-based line; rules
/// that are off (`is_on` false) are never reported as suppressing nothing: the comment
/// may be for a place where they are on.
pub fn apply(
    directives: &[Directive],
    targets: &[Target],
    today: NaiveDate,
    line_of: impl Fn(usize) -> usize,
    is_on: impl Fn(Rule) -> bool,
) -> (Vec<bool>, Vec<Unused>) {
    let mut suppressed = vec![false; targets.len()];
    let mut unused = Vec::new();
    // Each directive's reach: lines and rules, and which of its rules were used.
    struct Reach {
        directive: usize,
        lines: Range<usize>,
        rules: RuleSet,
    }
    let mut reaches: Vec<Reach> = Vec::new();
    let mut open: Vec<Reach> = Vec::new();
    for (i, d) in directives.iter().enumerate() {
        let start = line_of(d.span.start);
        let end = line_of(d.span.end.saturating_sub(1).max(d.span.start));
        match d.kind {
            Kind::NextLine => reaches.push(Reach {
                directive: i,
                lines: end + 1..end + 2,
                rules: d.rules,
            }),
            Kind::File => reaches.push(Reach {
                directive: i,
                lines: 0..usize::MAX,
                rules: d.rules,
            }),
            Kind::Disable => open.push(Reach {
                directive: i,
                lines: start..usize::MAX,
                rules: d.rules,
            }),
            Kind::Enable => {
                let mut closed = RuleSet::default();
                for r in &mut open {
                    let ending = RuleSet(r.rules.0 & d.rules.0);
                    if ending.is_empty() {
                        continue;
                    }
                    closed.0 |= ending.0;
                    reaches.push(Reach {
                        directive: r.directive,
                        lines: r.lines.start..start + 1,
                        rules: ending,
                    });
                    r.rules.0 &= !ending.0;
                }
                open.retain(|r| !r.rules.is_empty());
                if closed.is_empty() && d.unknown.is_empty() {
                    unused.push(Unused {
                        span: d.span.clone(),
                        message: format!(
                            "`{}` with no `followup-disable` before it",
                            d.kind.name()
                        ),
                        label: "nothing to enable".to_owned(),
                        help: "remove this comment, or add the `followup-disable` it ends"
                            .to_owned(),
                    });
                }
            }
        }
    }
    reaches.append(&mut open);

    let mut used = vec![RuleSet::default(); directives.len()];
    for reach in &reaches {
        let d = &directives[reach.directive];
        if d.bad_until.is_some() || d.until.is_some_and(|u| today > u) {
            continue;
        }
        for (t, s) in targets.iter().zip(&mut suppressed) {
            let on_line = reach.lines.contains(&t.line)
                || (d.kind == Kind::NextLine
                    && t.item_line.is_some_and(|l| reach.lines.contains(&l)));
            if on_line && reach.rules.contains(t.rule) {
                *s = true;
                used[reach.directive].insert(t.rule);
            }
        }
    }

    for (d, used) in directives.iter().zip(used) {
        if d.kind == Kind::Enable {
            unknown_names(d, &mut unused);
            continue;
        }
        if let Some(bad) = &d.bad_until {
            unused.push(Unused {
                span: d.span.clone(),
                message: format!("`until={bad}` is not a date; this suppression is ignored"),
                label: "not a YYYY-MM-DD date".to_owned(),
                help: "write the last day it should apply as `until=YYYY-MM-DD`".to_owned(),
            });
            continue;
        }
        if let Some(until) = d.until.filter(|&u| today > u) {
            unused.push(Unused {
                span: d.span.clone(),
                message: format!("this suppression expired on {until}"),
                label: format!("until {until}"),
                help: "deal with what it silenced and remove it, or move `until` later".to_owned(),
            });
            continue;
        }
        unknown_names(d, &mut unused);
        let mut idle = RuleSet(d.rules.0 & !used.0);
        for r in idle.rules() {
            if !is_on(r) {
                idle.0 &= !RuleSet::bit(r);
            }
        }
        if !d.named && used.is_empty() {
            unused.push(nothing(d, "this suppression"));
        } else if d.named && !idle.is_empty() {
            let names: Vec<String> = idle.rules().map(|r| format!("`{r}`")).collect();
            unused.push(nothing(d, &names.join(", ")));
        }
    }
    unused.sort_by_key(|u| u.span.start);
    (suppressed, unused)
}

fn nothing(d: &Directive, what: &str) -> Unused {
    let place = match d.kind {
        Kind::NextLine => "on the next line",
        Kind::Disable => "in its region",
        Kind::File | Kind::Enable => "in this note",
    };
    Unused {
        span: d.span.clone(),
        message: format!("{what} suppresses nothing {place}"),
        label: "suppresses nothing".to_owned(),
        help: "remove it (or the rule names that no longer apply): what it silenced is gone"
            .to_owned(),
    }
}

fn unknown_names(d: &Directive, unused: &mut Vec<Unused>) {
    for name in &d.unknown {
        let help = match closest_name(name) {
            Some(n) => format!("did you mean `{n}`? (`followup rule --list` lists the rules)"),
            None => "`followup rule --list` lists the rules".to_owned(),
        };
        unused.push(Unused {
            span: d.span.clone(),
            message: format!("`{name}` is not a rule, so it suppresses nothing"),
            label: "unknown rule".to_owned(),
            help,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(html: &str) -> Vec<Directive> {
        let mut out = Vec::new();
        directives_in(html, 10, &mut out);
        out
    }

    #[test]
    fn reads_kinds_rules_dates_and_reasons() {
        let d = parse(
            "<!-- followup-disable-next-line overdue, missing-due until=2026-12-31 -- budget -->",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, Kind::NextLine);
        assert!(d[0].rules.contains(Rule::Overdue) && d[0].rules.contains(Rule::MissingDue));
        assert!(!d[0].rules.contains(Rule::DueSoon));
        assert_eq!(d[0].until, NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(d[0].span.start, 10);

        let d = parse("<!--followup-disable-file-->\n<!-- followup-enable overdu -- typo -->");
        assert_eq!(d[0].kind, Kind::File);
        assert_eq!(d[0].rules, RuleSet::ALL);
        assert!(!d[0].named);
        assert_eq!(d[1].unknown, ["overdu"]);
        assert!(parse("<!-- followup-disable-line overdue -->").is_empty());
        assert!(parse("<!-- todo: followup-disable -->").is_empty());
    }

    #[test]
    fn regions_end_rule_by_rule() {
        let d = parse(
            "<!-- followup-disable overdue missing-due -->\n<!-- followup-enable overdue -->",
        );
        let line_of = |off: usize| if off < 10 + 46 { 1 } else { 2 };
        let t = |rule, line| Target {
            rule,
            line,
            item_line: None,
        };
        let targets = [
            t(Rule::Overdue, 2),
            t(Rule::Overdue, 5),
            t(Rule::MissingDue, 5),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let (s, unused) = apply(&d, &targets, today, line_of, |_| true);
        assert_eq!(s, [true, false, true]);
        assert!(unused.is_empty(), "{unused:?}");
    }
}
