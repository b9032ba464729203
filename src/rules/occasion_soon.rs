//! `occasion-soon`: a card to write now, reported on the profile line of its day.
//!
//! What it does: in a customer profile, reports a contact's `birthday:` or
//! `anniversary:` line, or an `occasions:` entry, when today is within the card's lead
//! time before the day (`[occasions] lead`, or the occasion's own `lead:`) and no
//! `card-sent:` entry says it went out. Why: for those who keep profiles open in an
//! editor, the reminder where the day is written. Off by default: the agenda's cards say
//! the same once a week.

use crate::notes::dates::{days_between, describe_offset};
use crate::notes::model::Note;
use crate::notes::occasion::post_by;
use crate::rules::{Context, Finding, Rule};

/// `occasion-soon` for one note: nothing unless it is a profile and the rule is on
/// (finding the lines takes a second read of the front matter).
pub(super) fn check(note: &Note, text: &str, cx: Context<'_>, out: &mut Vec<Finding>) {
    let Some(profile) = &note.front.profile else {
        return;
    };
    if cx.settings.level(Rule::OccasionSoon).is_none() {
        return;
    }
    for day in profile.card_days() {
        let Some(date) = day.next_on_or_after(cx.today) else {
            continue;
        };
        let post = post_by(date, day.lead.unwrap_or(cx.settings.occasion_lead));
        if cx.today < post || profile.card_sent_for(&day.what, date) {
            continue;
        }
        let Some(span) = day.line_in(text) else {
            continue;
        };
        let when = describe_offset(days_between(cx.today, date));
        out.push(Finding {
            rule: Rule::OccasionSoon,
            message: format!(
                "write a card for {} ({}): post by {}",
                day.what,
                date.format("%a %Y-%m-%d"),
                post.format("%a %Y-%m-%d"),
            ),
            span,
            label: when,
            also: None,
            help: format!(
                "once it is posted: `followup occasions sent \"{}\"`",
                day.what
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::notes::parse::{parse_note, Markers, NoteOrigin};
    use crate::rules::{check_note, Context, Rule, RuleSettings};

    const PROFILE: &str = "---\ntype: customer\ncontacts:\n  - name: Dana Ruiz\n    birthday: --12-03\n  - name: Kim Lee\n    anniversary: 2019-01-02\noccasions:\n  - what: Leap day party\n    date: 2016-02-29\n    lead: 3d\n  - what: Maya's graduation\n    date: 2027-06-12\n    yearly: false\ncard-sent:\n  - 2026-11-28 Dana Ruiz's birthday\n---\n";

    /// `occasion-soon`'s (line, message start) on `PROFILE`, judged on `today`.
    fn soon(today: &str) -> Vec<(usize, String)> {
        let origin = NoteOrigin {
            path: "acme/_customer.md",
            file_name: "_customer.md",
            folder: Some("acme"),
        };
        let note = parse_note(PROFILE, origin, Markers::default());
        let mut settings = RuleSettings::default();
        settings.set_level(Rule::OccasionSoon, Some(Rule::OccasionSoon.default_level()));
        let cx = Context {
            today: today.parse::<NaiveDate>().expect("a date"),
            settings: &settings,
        };
        check_note(&note, PROFILE, cx)
            .into_iter()
            .filter(|d| d.rule() == Rule::OccasionSoon)
            .map(|d| (d.line, d.finding.message))
            .collect()
    }

    #[test]
    fn within_the_lead_time_across_month_and_year_ends() {
        let dana = "write a card for Dana Ruiz's birthday (Wed 2025-12-03): post by Wed 2025-11-26";
        let kim = "write a card for Kim Lee's anniversary (Sat 2027-01-02): post by Sat 2026-12-26";
        let cases: Vec<(&str, Vec<(usize, String)>)> = vec![
            // Dana's card was sent on 2026-11-28 for this year's birthday; last year's
            // was not.
            ("2025-11-25", vec![]),
            ("2025-11-26", vec![(5, dana.to_owned())]),
            ("2025-12-03", vec![(5, dana.to_owned())]),
            ("2025-12-04", vec![]),
            ("2026-11-27", vec![]),
            // Across the year end: posted in December for January 2.
            ("2026-12-25", vec![]),
            ("2026-12-26", vec![(7, kim.to_owned())]),
            ("2027-01-02", vec![(7, kim.to_owned())]),
            ("2027-01-03", vec![]),
            // Feb 29 falls on Feb 28 in 2027; a 3-day lead crosses nothing, in 2028 it
            // does not cross the month end either: Feb 26 to Feb 29.
            (
                "2027-02-25",
                vec![(
                    9,
                    "write a card for Leap day party (Sun 2027-02-28): post by Thu 2027-02-25"
                        .to_owned(),
                )],
            ),
            ("2027-03-01", vec![]),
            (
                "2028-02-26",
                vec![(
                    9,
                    "write a card for Leap day party (Tue 2028-02-29): post by Sat 2028-02-26"
                        .to_owned(),
                )],
            ),
            // A one-off: only the year it happens.
            (
                "2027-06-05",
                vec![(
                    12,
                    "write a card for Maya's graduation (Sat 2027-06-12): post by Sat 2027-06-05"
                        .to_owned(),
                )],
            ),
            ("2028-06-05", vec![]),
        ];
        for (today, want) in cases {
            assert_eq!(soon(today), want, "on {today}");
        }
    }

    #[test]
    fn off_by_default() {
        let origin = NoteOrigin {
            path: "acme/_customer.md",
            file_name: "_customer.md",
            folder: Some("acme"),
        };
        let note = parse_note(PROFILE, origin, Markers::default());
        let cx = Context {
            today: "2025-11-30".parse::<NaiveDate>().expect("a date"),
            settings: &RuleSettings::default(),
        };
        assert!(check_note(&note, PROFILE, cx).is_empty());
    }
}
