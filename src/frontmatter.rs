//! YAML front matter: only a block that opens the file counts.

use std::ops::Range;

use chrono::NaiveDate;
use yaml_rust2::{Yaml, YamlLoader};

use crate::dates::parse_iso;
use crate::model::Problem;

/// What followup reads from a note's front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `date:` when it is a valid date.
    pub date: Option<NaiveDate>,
    /// `customer:` as written.
    pub customer: Option<String>,
    /// `type:` (`customer` marks a profile note).
    pub kind: Option<String>,
}

/// Where the front matter sits in the note, and what it says.
#[derive(Debug, Default)]
pub struct Split {
    /// The parsed fields.
    pub front: FrontMatter,
    /// Byte offset where the markdown body starts.
    pub body_start: usize,
    /// Problems found while reading it.
    pub problems: Vec<Problem>,
}

/// Find and read the front matter at the very start of `text` (BOM already removed).
pub fn split(text: &str) -> Split {
    let mut out = Split::default();
    let Some(first_end) = line_end(text, 0) else {
        return out;
    };
    if text[..first_end.content].trim_end() != "---" {
        return out;
    }
    // Look for the closing `---` (or YAML's `...`) line.
    let mut pos = first_end.next;
    while pos < text.len() {
        let Some(end) = line_end(text, pos) else {
            break;
        };
        let line = text[pos..end.content].trim_end();
        if line == "---" || line == "..." {
            out.body_start = end.next;
            read_yaml(text, first_end.next..pos, &mut out);
            return out;
        }
        pos = end.next;
    }
    out.problems.push(Problem::bad_front_matter(
        0..3,
        "front matter is not closed: no `---` line ends it, so it is read as markdown",
    ));
    out
}

struct LineEnd {
    /// End of the line's content (before `\r\n` / `\n`).
    content: usize,
    /// Start of the next line.
    next: usize,
}

fn line_end(text: &str, from: usize) -> Option<LineEnd> {
    if from >= text.len() {
        return None;
    }
    Some(match text[from..].find('\n') {
        Some(i) => {
            let nl = from + i;
            let content = if nl > from && text.as_bytes()[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            LineEnd {
                content,
                next: nl + 1,
            }
        }
        None => LineEnd {
            content: text.len(),
            next: text.len(),
        },
    })
}

fn read_yaml(text: &str, yaml: Range<usize>, out: &mut Split) {
    let docs = match YamlLoader::load_from_str(&text[yaml.clone()]) {
        Ok(docs) => docs,
        Err(e) => {
            // The marker counts characters from the start of the YAML block.
            let m = e.marker();
            let at = text[yaml.clone()]
                .char_indices()
                .nth(m.index())
                .map_or(yaml.end, |(i, _)| yaml.start + i);
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[at..].find(['\r', '\n']).map_or(text.len(), |i| at + i);
            let span = if line_start < line_end {
                line_start..line_end
            } else {
                0..3
            };
            out.problems.push(Problem::bad_front_matter(
                span,
                format!("front matter is not valid YAML: {}", e.info()),
            ));
            return;
        }
    };
    let root = match docs.into_iter().next() {
        None | Some(Yaml::Null) => return,
        Some(Yaml::Hash(h)) => h,
        Some(_) => {
            out.problems.push(Problem::bad_front_matter(
                0..3,
                "front matter is not a mapping of keys to values",
            ));
            return;
        }
    };
    let get = |key: &str| root.get(&Yaml::String(key.to_owned()));
    let key_span = |key: &str| find_key(text, yaml.clone(), key);
    if let Some(v) = get("date") {
        match scalar(v).as_deref().and_then(parse_note_date) {
            Some(d) => out.front.date = Some(d),
            None => out.problems.push(Problem::bad_front_matter(
                key_span("date"),
                format!(
                    "`date:` is not a date: `{}` (write YYYY-MM-DD)",
                    scalar(v).unwrap_or_default()
                ),
            )),
        }
    }
    out.front.customer = get("customer")
        .and_then(scalar)
        .filter(|s| !s.trim().is_empty());
    out.front.kind = get("type").and_then(scalar);
}

/// A front matter `date:` may carry a time after the day (`2026-11-16 14:30`, as
/// Obsidian templates write it); the day is what counts.
fn parse_note_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let day = s.get(..10)?;
    let rest = &s[10..];
    if rest.is_empty() || rest.starts_with([' ', 'T']) {
        parse_iso(day)
    } else {
        None
    }
}

/// A YAML scalar as text.
pub fn scalar(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The line of `key:` inside the YAML block, for pointing a diagnostic at it.
fn find_key(text: &str, yaml: Range<usize>, key: &str) -> Range<usize> {
    let mut pos = yaml.start;
    for line in text[yaml.clone()].split_inclusive('\n') {
        if line
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return pos..pos + line.trim_end().len();
        }
        pos += line.len();
    }
    0..3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_body_start() {
        let t =
            "---\r\ncustomer: Acme Corp\r\ndate: 2026-11-16\r\ntype: customer\r\n---\r\n# Hi\r\n";
        let s = split(t);
        assert_eq!(s.front.customer.as_deref(), Some("Acme Corp"));
        assert_eq!(s.front.date, parse_iso("2026-11-16"));
        assert_eq!(s.front.kind.as_deref(), Some("customer"));
        assert_eq!(&t[s.body_start..], "# Hi\r\n");
        assert!(s.problems.is_empty());
    }

    #[test]
    fn no_front_matter_unless_at_start() {
        let s = split("# Title\n---\ndate: 2026-11-16\n---\n");
        assert_eq!(s.body_start, 0);
        assert_eq!(s.front, FrontMatter::default());
    }

    #[test]
    fn date_with_time_and_bad_date() {
        assert_eq!(
            split("---\ndate: 2026-11-16 14:30\n---\n").front.date,
            parse_iso("2026-11-16")
        );
        let s = split("---\ndate: next week\n---\nbody\n");
        assert_eq!(s.front.date, None);
        assert_eq!(s.problems.len(), 1);
        assert!(s.problems[0].message.contains("`next week`"));
        assert_eq!(s.problems[0].span, 4..19);
    }

    #[test]
    fn malformed_yaml_is_a_problem_not_a_crash() {
        let t = "---\ncustomer: \"Acme\ndate: 2026-11-16\n---\n* Send it\n";
        let s = split(t);
        assert_eq!(s.problems.len(), 1);
        assert!(s.problems[0]
            .message
            .starts_with("front matter is not valid YAML"));
        assert_eq!(&t[s.body_start..], "* Send it\n");
        let u = split("---\ndate: 2026-11-16\n* no end\n");
        assert_eq!(u.body_start, 0);
        assert!(u.problems[0].message.contains("not closed"));
    }
}
