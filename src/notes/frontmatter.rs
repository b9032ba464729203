//! YAML front matter: only a block that opens the file counts.

use std::ops::Range;

use chrono::NaiveDate;
use yaml_rust2::parser::{EventReceiver, Parser};
use yaml_rust2::{Event, Yaml, YamlLoader};

use crate::notes::dates::parse_iso;
use crate::notes::model::{Problem, ProblemKind};
use crate::notes::profile::{self, Profile};

/// What followup reads from a note's front matter.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    /// `date:` when it is a valid date.
    #[serde(with = "crate::notes::dates::days::option")]
    pub date: Option<NaiveDate>,
    /// `customer:` as written.
    pub customer: Option<String>,
    /// `type:` (`customer` marks a profile note).
    pub kind: Option<String>,
    /// What a profile note (`type: customer`) says about its customer.
    pub profile: Option<Profile>,
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
    // memchr: `str::find` sets up a searcher per call, a tenth of this file's cost.
    Some(match memchr::memchr(b'\n', &text.as_bytes()[from..]) {
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
    // Nearly all front matter is a handful of `key: value` lines; reading those without
    // building a YAML tree took a tenth off the whole scan. Anything less plain goes to
    // the real parser, so both paths agree (a property test checks it).
    if let Some(fields) = simple::fields(&text[yaml.clone()]) {
        let find = |key: &str| fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(key));
        let get = |key: &str| find(key).and_then(|(_, v)| *v);
        // A `customer:` list goes to the real parser, which reads its items.
        let customer_list = find("customer").is_some_and(|(_, v)| v.is_none());
        if !get("type").is_some_and(|t| t.eq_ignore_ascii_case("customer")) && !customer_list {
            fill(
                out,
                |key| get(key).map(|v| Value::One(v.to_owned())),
                |key| find(key).is_some(),
                |key| find_key(text, yaml.clone(), key),
                |key| &text[find_key(text, yaml.clone(), key)],
            );
            return;
        }
    }
    if expands_too_far(&text[yaml.clone()]) {
        out.problems.push(Problem::bad_front_matter(
            0..3,
            format!(
                "front matter expands to over {MAX_YAML_NODES} values or {} MiB through YAML \
                 aliases; not read",
                MAX_YAML_BYTES >> 20
            ),
        ));
        return;
    }
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
    // Keys are matched whatever their case (`Customer:`, `DATE:`).
    let get = |key: &str| {
        root.get(&Yaml::String(key.to_owned())).or_else(|| {
            root.iter()
                .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
                .map(|(_, v)| v)
        })
    };
    fill(
        out,
        |key| get(key).and_then(value),
        |key| get(key).is_some(),
        |key| find_key(text, yaml.clone(), key),
        |key| &text[find_key(text, yaml.clone(), key)],
    );
    if out
        .front
        .kind
        .as_deref()
        .is_some_and(|k| k.eq_ignore_ascii_case("customer"))
    {
        let (mut p, problems) = profile::read(|key| get(key).cloned());
        for problem in problems {
            out.problems.push(Problem {
                kind: ProblemKind::BadProfile,
                span: find_key(text, yaml.clone(), problem.key),
                message: problem.message,
            });
        }
        if get("cadence").is_some() {
            p.cadence_span = Some(find_key(text, yaml.clone(), "cadence"));
        }
        out.front.profile = Some(p);
    }
}

/// The most values a front matter may hold once its aliases are expanded. The YAML
/// loader copies the node an alias names, so a few hundred bytes of nested aliases (a
/// "billion laughs") would build billions of values; real front matter holds dozens.
const MAX_YAML_NODES: usize = 100_000;

/// The most bytes of scalar text a front matter may hold once its aliases are expanded:
/// a few aliases of one big anchored string (a "size bomb") stay under the value count
/// but would copy megabytes each time.
const MAX_YAML_BYTES: usize = 16 * 1024 * 1024;

/// Whether `yaml` holds more than [`MAX_YAML_NODES`] values, or more than
/// [`MAX_YAML_BYTES`] of text, with its aliases expanded. Counted on the parser's events,
/// which expand nothing: linear in the text.
fn expands_too_far(yaml: &str) -> bool {
    /// Values and bytes of text.
    type Size = (usize, usize);
    fn add(a: &mut Size, b: Size) {
        a.0 = a.0.saturating_add(b.0);
        a.1 = a.1.saturating_add(b.1);
    }
    #[derive(Default)]
    struct Count {
        /// Expanded size of each anchored node.
        anchored: std::collections::HashMap<usize, Size>,
        /// Open collections: anchor id and size so far.
        open: Vec<(usize, Size)>,
        total: Size,
    }
    impl Count {
        fn node(&mut self, size: Size, anchor: usize) {
            if anchor > 0 {
                self.anchored.insert(anchor, size);
            }
            let sum = self.open.last_mut().map_or(&mut self.total, |(_, n)| n);
            add(sum, size);
        }
    }
    impl EventReceiver for Count {
        fn on_event(&mut self, ev: Event) {
            match ev {
                Event::Scalar(text, _, anchor, _) => self.node((1, text.len()), anchor),
                Event::Alias(id) => {
                    let size = self.anchored.get(&id).copied().unwrap_or((1, 0));
                    self.node(size, 0)
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    self.open.push((anchor, (1, 0)))
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some((anchor, size)) = self.open.pop() {
                        self.node(size, anchor);
                    }
                }
                _ => {}
            }
        }
    }
    let mut count = Count::default();
    // A parse error is left for the loader to report.
    let _ = Parser::new_from_str(yaml).load(&mut count, true);
    count.total.0 > MAX_YAML_NODES || count.total.1 > MAX_YAML_BYTES
}

/// A front matter value as followup reads it: one scalar, or the scalars of a list.
enum Value {
    One(String),
    Many(Vec<String>),
}

impl Value {
    fn first(self) -> Option<String> {
        match self {
            Value::One(s) => Some(s),
            Value::Many(v) => v.into_iter().next(),
        }
    }
}

/// A YAML value as a [`Value`]. An unquoted wikilink (`customer: [[Acme Corp]]`) is a
/// list in a list to YAML: its innermost item is the link's text.
fn value(v: &Yaml) -> Option<Value> {
    match v {
        Yaml::Array(items) => {
            let all: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    Yaml::Array(inner) if inner.len() == 1 => {
                        scalar(&inner[0]).map(|s| format!("[[{s}]]"))
                    }
                    i => scalar(i),
                })
                .collect();
            Some(Value::Many(all))
        }
        v => scalar(v).map(Value::One),
    }
}

/// The customer a `customer:` value names: an Obsidian wikilink (`[[Acme Corp]]`,
/// `[[Clients/Acme Corp|Acme]]`, `[[Acme Corp#Contacts]]`) names its target note.
pub fn link_target(s: &str) -> &str {
    let s = s.trim();
    let Some(inner) = s.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) else {
        return s;
    };
    let target = inner.split(['|', '#']).next().unwrap_or(inner);
    let name = target.rsplit('/').next().unwrap_or(target);
    name.strip_suffix(".md").unwrap_or(name).trim()
}

/// Set the fields followup reads from front matter, whichever parser read it.
/// `get(key)` is the key's value (None when absent or not a scalar or list),
/// `present(key)` whether the key is there at all.
fn fill<'t>(
    out: &mut Split,
    get: impl Fn(&str) -> Option<Value>,
    present: impl Fn(&str) -> bool,
    key_span: impl Fn(&str) -> Range<usize>,
    key_line: impl Fn(&str) -> &'t str,
) {
    let scalar = |key: &str| get(key).and_then(Value::first);
    if present("date") {
        let value = scalar("date");
        match value.as_deref().and_then(parse_note_date) {
            Some(d) => out.front.date = Some(d),
            None => {
                let value = value.unwrap_or_default();
                // An unfilled template (`{{date}}`, Templater's `<% ... %>`): the advice is
                // to leave the templates folder out, not to write a date into it.
                // Unquoted, `{{date}}` is YAML for a mapping: the line says what was meant.
                let raw = key_line("date").split_once(':').map_or("", |(_, v)| v);
                let fix = if is_placeholder(&value) || is_placeholder(raw) {
                    "a template's placeholder: if this is a template, leave its folder out \
                     (`[files] exclude = [\"Templates/\"]` in followup.toml, or `--exclude`)"
                } else {
                    "write YYYY-MM-DD"
                };
                out.problems.push(Problem::bad_front_matter(
                    key_span("date"),
                    format!(
                        "`date:` is not a date: `{}` ({fix})",
                        if value.is_empty() { raw.trim() } else { &value }
                    ),
                ))
            }
        }
    } else {
        // What note-taking apps write when the note was made: the call's day, when no
        // `date:` says otherwise. Any other form is left alone (it is not ours).
        out.front.date = ["created", "date created", "date-created", "created-at"]
            .into_iter()
            .find_map(|k| scalar(k).as_deref().and_then(parse_note_date));
    }
    out.front.customer = match get("customer") {
        Some(Value::Many(names)) => {
            let names: Vec<String> = names
                .iter()
                .map(|n| link_target(n).to_owned())
                .filter(|n| !n.is_empty())
                .collect();
            if names.len() > 1 {
                out.problems.push(Problem::bad_front_matter(
                    key_span("customer"),
                    format!(
                        "`customer:` names {} customers; a note belongs to one, so it is filed \
                         under the first, {} (write one customer, or split the note)",
                        names.len(),
                        names[0]
                    ),
                ));
            }
            names.into_iter().next()
        }
        Some(Value::One(name)) => Some(link_target(&name).to_owned()),
        None => None,
    }
    .filter(|s| !s.trim().is_empty());
    out.front.kind = scalar("type");
}

/// Whether a front matter value is a note template's unfilled placeholder: Obsidian's
/// core templates write `{{date}}`, the Templater plugin `<% tp.date.now() %>`.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with("{{") && v.ends_with("}}")) || (v.starts_with("<%") && v.ends_with("%>"))
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

/// The line of `key:` in a note's front matter (`0..3`, the opening `---`, when it is
/// not there), for pointing a diagnostic at it.
pub fn key_span(text: &str, key: &str) -> Range<usize> {
    let end = text
        .get(3..)
        .and_then(|t| t.find("\n---"))
        .map_or(0, |i| i + 3);
    find_key(text, 0..end, key)
}

/// The line of `key:` inside the YAML block, for pointing a diagnostic at it.
fn find_key(text: &str, yaml: Range<usize>, key: &str) -> Range<usize> {
    let mut pos = yaml.start;
    for line in text[yaml.clone()].split_inclusive('\n') {
        if line
            .get(..key.len())
            .is_some_and(|k| k.eq_ignore_ascii_case(key))
            && line[key.len()..].trim_start().starts_with(':')
        {
            return pos..pos + line.trim_end().len();
        }
        pos += line.len();
    }
    0..3
}

/// The plain subset of YAML that most front matter is written in, read without a
/// YAML parser. Hand-written because it is the hot path of every scan; it answers only
/// when it is sure, and the real parser reads everything else.
mod simple {
    /// Top-level `key: value` pairs; the value is `None` for a sequence or an empty
    /// value. `None` overall when the block is not plain enough to be sure: then the
    /// caller uses the real YAML parser.
    pub fn fields(yaml: &str) -> Option<Vec<(&str, Option<&str>)>> {
        let mut out: Vec<(&str, Option<&str>)> = Vec::new();
        // Whether block sequence items (`- x`) may follow (right after `key:` or an
        // item), and the indentation the first item set for the rest.
        let mut in_seq = false;
        let mut seq_indent = None;
        for line in lines(yaml) {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let body = line.trim_start_matches(' ');
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            if line.contains('\t') {
                return None;
            }
            if let Some(item) = body.strip_prefix("- ") {
                let indent = line.len() - body.len();
                if !in_seq || *seq_indent.get_or_insert(indent) != indent {
                    return None;
                }
                item_value(item)?;
                continue;
            }
            if body.len() != line.len() {
                // Indented but not a sequence item: a nested mapping or a folded line.
                return None;
            }
            let (key, rest) = line.split_once(':')?;
            let keyish = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
            if key.is_empty() || !key.chars().all(keyish) || key.starts_with('-') {
                return None;
            }
            if out.iter().any(|(k, _)| *k == key) {
                return None;
            }
            if !(rest.is_empty() || rest.starts_with(' ')) {
                return None;
            }
            let rest = rest.trim();
            in_seq = rest.is_empty();
            seq_indent = None;
            let value = if rest.is_empty() {
                None
            } else if let Some(inner) = rest.strip_prefix('[') {
                let inner = inner.strip_suffix(']')?;
                if !inner.trim().is_empty() {
                    for it in inner.split(',') {
                        let it = it.trim();
                        if it.contains(['[', ']', '{', '}']) {
                            return None;
                        }
                        item_value(it)?;
                    }
                }
                None
            } else {
                Some(item_value(rest)?)
            };
            out.push((key, value));
        }
        Some(out)
    }

    /// `s.lines()`, line ends found with memchr (cheaper per line than `lines`' searcher).
    pub fn lines(s: &str) -> impl Iterator<Item = &str> {
        let mut start = 0;
        std::iter::from_fn(move || {
            if start >= s.len() {
                return None;
            }
            let line = match memchr::memchr(b'\n', &s.as_bytes()[start..]) {
                Some(i) => {
                    let line = &s[start..start + i];
                    start += i + 1;
                    line.strip_suffix('\r').unwrap_or(line)
                }
                None => {
                    let line = &s[start..];
                    start = s.len();
                    line
                }
            };
            Some(line)
        })
    }

    /// A scalar whose meaning is its text: a plain string that YAML would not read
    /// as a number, a boolean or null, or a simple quoted string.
    fn item_value(v: &str) -> Option<&str> {
        let v = v.trim();
        if let Some(q) = v.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            return (!q.contains(['"', '\\'])).then_some(q);
        }
        if let Some(q) = v.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
            return (!q.contains('\'')).then_some(q);
        }
        let first = v.chars().next()?;
        let indicator = "-?:,[]{}#&*!|>'\"%@`.+~".contains(first);
        // Byte pairs, not `str::contains`: its substring searcher costs more to set up
        // than these few bytes take to scan.
        let pair = |a: u8, b: u8| v.as_bytes().windows(2).any(|w| w == [a, b]);
        let special = pair(b':', b' ') || v.ends_with(':') || pair(b' ', b'#');
        let numeric = first.is_ascii_digit() || first == '-';
        // Cheap tests first: most values are names and dates, read for every note.
        let float_chars = || {
            v.bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        };
        let typed = (numeric && float_chars() && v.parse::<f64>().is_ok())
            || v.starts_with("0x")
            || v.starts_with("0o")
            || (v.len() <= 8
                && [
                    "null", "true", "false", "yes", "no", "on", "off", "inf", "infinity", "nan",
                ]
                .iter()
                .any(|w| v.eq_ignore_ascii_case(w)));
        (!indicator && !special && !typed).then_some(v)
    }
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
    fn a_template_placeholder_date_says_to_leave_templates_out() {
        for t in [
            "---\ndate: \"{{date}}\"\n---\n",
            "---\ndate: <% tp.date.now() %>\n---\n",
        ] {
            let s = split(t);
            assert_eq!(s.front.date, None);
            assert!(s.problems[0].message.contains("template"), "{t:?}");
            assert!(s.problems[0].message.contains("[files] exclude"), "{t:?}");
        }
        let s = split("---\ndate: someday\n---\n");
        assert!(s.problems[0].message.contains("write YYYY-MM-DD"));
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
    fn alias_bombs_are_refused_aliases_are_read() {
        let mut bomb =
            String::from("---\ncustomer: Acme\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        bomb.push_str("---\n* promise\n");
        let s = split(&bomb);
        assert_eq!(s.front, FrontMatter::default());
        assert!(s.problems[0].message.contains("through YAML aliases"));

        let s = split("---\nwhen: &d 2026-11-16\ndate: *d\ncustomer: [Acme]\n---\n");
        assert_eq!(s.front.date, parse_iso("2026-11-16"));
        assert!(!expands_too_far("a: &a [1, 2]\nb: [*a, *a, *a]"));
        // Issue #20.17: few values, but each a copy of one big string.
        let size_bomb = format!(
            "a: &a {}\nb: &b [{}]\nc: [{}]\n",
            "x".repeat(100_000),
            vec!["*a"; 100].join(", "),
            vec!["*b"; 100].join(", ")
        );
        assert!(expands_too_far(&size_bomb));
    }

    #[test]
    fn keys_any_case_created_dates_wikilinks_and_lists() {
        let s = split("---\nCustomer: Acme Corp\nDATE: 2026-11-16\n---\n");
        assert_eq!(s.front.customer.as_deref(), Some("Acme Corp"));
        assert_eq!(s.front.date, parse_iso("2026-11-16"));
        let s = split("---\ncreated: 2026-11-18T09:12\n---\n");
        assert_eq!(s.front.date, parse_iso("2026-11-18"));
        let s = split("---\ndate created: 2026-11-19\n---\n");
        assert_eq!(s.front.date, parse_iso("2026-11-19"));
        let s = split("---\ndate: 2026-11-20\ncreated: 2026-11-01\n---\n");
        assert_eq!(s.front.date, parse_iso("2026-11-20"));
        for (yaml, want) in [
            ("customer: \"[[Acme Corp]]\"", "Acme Corp"),
            ("customer: [[Acme Corp]]", "Acme Corp"),
            ("customer: \"[[Clients/Acme Corp|Acme]]\"", "Acme Corp"),
            ("customer: '[[Acme Corp#Contacts]]'", "Acme Corp"),
            ("Customer: [[Acme Corp|Acme]]", "Acme Corp"),
        ] {
            let s = split(&format!("---\n{yaml}\n---\n"));
            assert_eq!(s.front.customer.as_deref(), Some(want), "{yaml}");
            assert!(s.problems.is_empty(), "{yaml}");
        }
        let s = split("---\ncustomer: [Acme, Globex]\n---\n");
        assert_eq!(s.front.customer.as_deref(), Some("Acme"));
        assert_eq!(s.problems.len(), 1);
        assert!(s.problems[0].message.contains("names 2 customers"));
        assert_eq!(s.problems[0].span, 4..28);
        let s = split("---\ncustomer:\n  - \"[[Globex]]\"\n---\n");
        assert_eq!(s.front.customer.as_deref(), Some("Globex"));
        assert!(s.problems.is_empty());
        let s = split("---\nType: Customer\nName: Acme Corp\n---\n");
        assert_eq!(
            s.front.profile.and_then(|p| p.name).as_deref(),
            Some("Acme Corp")
        );
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

    #[test]
    fn simple_reader_takes_plain_blocks_and_declines_the_rest() {
        let plain = "customer: Acme Corp\ndate: 2026-11-16 14:30\ntags: [call, renewal]\nattendees:\n  - Dana\n  - \"Zoë\"\n# note\n";
        assert_eq!(
            simple::fields(plain),
            Some(vec![
                ("customer", Some("Acme Corp")),
                ("date", Some("2026-11-16 14:30")),
                ("tags", None),
                ("attendees", None),
            ])
        );
        for tricky in [
            "customer: 123\n",
            "customer: Acme # inline comment\n",
            "customer: a: b\n",
            "customer: |\n  folded\n",
            "contacts:\n  - name: Dana\n",
            "customer: Acme\ncustomer: Globex\n",
            "customer: \"Ac\\\"me\"\n",
            "customer: ~\n",
            "customer:\tAcme\n",
            "nested:\n  key: value\n",
        ] {
            assert_eq!(simple::fields(tricky), None, "{tricky:?}");
        }
    }

    proptest::proptest! {
        /// The memchr line splitter gives what `str::lines` gives.
        #[test]
        fn lines_split_as_str_lines(s in "[a\r\n:é]{0,24}") {
            let ours: Vec<&str> = simple::lines(&s).collect();
            proptest::prop_assert_eq!(ours, s.lines().collect::<Vec<_>>());
        }

        /// Where the simple reader answers, it reads what the YAML parser reads.
        #[test]
        fn simple_reader_agrees_with_the_yaml_parser(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("(date|customer|type|tags|x-y): ?[A-Za-z0-9 :#'\"\\[\\],.~-]{0,14}").unwrap(),
                    proptest::string::string_regex(" {0,3}- [A-Za-z0-9 :'\"]{0,8}").unwrap(),
                    proptest::string::string_regex("#[a-z ]{0,5}|").unwrap(),
                ],
                0..6,
            )
        ) {
            let yaml = lines.join("\n");
            if let Some(fields) = simple::fields(&yaml) {
                let docs = YamlLoader::load_from_str(&yaml);
                proptest::prop_assert!(docs.is_ok(), "parser rejects {:?}", yaml);
                let docs = docs.unwrap();
                match docs.first() {
                    Some(Yaml::Hash(h)) => {
                        for (k, v) in &fields {
                            let parsed = h.get(&Yaml::String((*k).to_owned()));
                            proptest::prop_assert!(parsed.is_some(), "{:?} lost {}", yaml, k);
                            let text = parsed.and_then(scalar);
                            proptest::prop_assert_eq!(text.as_deref(), *v, "{:?}", yaml);
                        }
                        proptest::prop_assert_eq!(h.len(), fields.len());
                    }
                    None | Some(Yaml::Null) => proptest::prop_assert!(fields.is_empty()),
                    Some(other) => proptest::prop_assert!(false, "{:?} read as {:?}", yaml, other),
                }
            }
        }
    }

    #[test]
    fn simple_reader_agrees_on_scalars_yaml_types() {
        for v in [
            "1_000",
            "0b101",
            "1e3",
            "12:30",
            "2026-11-16",
            "0777",
            "1.",
            "Inf",
            "-.inf",
            "NaN",
            "TRUE",
            "True",
            "yes",
            "0o17",
            "0x1F",
            "1:30:00",
            "2026-11-16T10:00:00Z",
            "=",
            "<<",
        ] {
            let yaml = format!("k: {v}");
            let parsed = YamlLoader::load_from_str(&yaml).unwrap();
            if let Some(fields) = simple::fields(&yaml) {
                assert_eq!(scalar(&parsed[0]["k"]).as_deref(), fields[0].1, "{v}");
            }
        }
    }
}
