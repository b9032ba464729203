//! Obsidian Tasks' global filter (`[tasks] global-filter = "#task"`): with one set, a
//! task item is a commitment only when its text holds the filter (anywhere, as
//! Obsidian Tasks' `GlobalFilter.includedIn` checks), and `remove-global-filter` leaves
//! it out of the displayed text where it stands as a word (`removeAsWordFrom`).

use std::ops::Range;

/// Whether `text` holds the filter.
pub fn holds(text: &str, filter: &str) -> bool {
    text.contains(filter)
}

/// Where the filter stands as a word in `text[range]` (whitespace or the ends around
/// it), as byte ranges of `text`.
pub fn words(text: &str, range: Range<usize>, filter: &str) -> Vec<Range<usize>> {
    let hay = &text[range.clone()];
    if filter.is_empty() {
        return Vec::new();
    }
    hay.match_indices(filter)
        .filter(|(at, _)| {
            let before = hay[..*at].chars().next_back();
            let after = hay[at + filter.len()..].chars().next();
            before.map_or(true, char::is_whitespace) && after.map_or(true, char::is_whitespace)
        })
        .map(|(at, _)| range.start + at..range.start + at + filter.len())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_words() {
        let t = "Send it #task #tasks x#task #task";
        assert!(holds(t, "#task"));
        assert_eq!(words(t, 0..t.len(), "#task"), [8..13, 28..33]);
    }
}
