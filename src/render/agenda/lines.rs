//! Sorted sections of pre-rendered lines: how an agenda of any size is written in little
//! memory. Each item is rendered on the scan's worker thread as soon as its note is read
//! (by its format's [`Render`]); this module keeps only its sort [`Key`], where its bytes
//! are, and its customer, while the bytes go to an arena that moves to an anonymous
//! temporary file once it is big. After the scan the entries are sorted and each section
//! is written in order, the customer's display name (known only once every note is read)
//! put where the renderer left [`NAME`].

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Write};

use crate::agenda::{blocked_by, Counts, Item, Key, Window};
use crate::notes::model::{Customers, Status};

/// Where a rendered item's customer name goes: never in rendered text (note text is
/// shown with control pictures, escaped in JSON, dropped in iCalendar).
pub const NAME: char = '\0';

/// What a format does with an item.
pub trait Render: Sync {
    /// Where the item goes, if it is listed.
    fn key(&self, item: &Item) -> Option<Key>;
    /// What the items of the note at `path` share, computed once per note.
    fn note(&self, path: &str) -> NotePath;
    /// Append the item's bytes, [`NAME`] where its customer's name goes; `repeat`: how
    /// many listed items of its note with its text came before it; `note`: its note's
    /// [`Render::note`].
    fn render(&self, item: &Item, key: Key, repeat: u64, note: &NotePath, out: &mut String);
    /// The customer's name as it replaces [`NAME`].
    fn name(&self, name: &str) -> String;
    /// Write an entry's bytes with `name` in [`NAME`]'s place ([`fill`], unless the
    /// format must do more).
    fn fill(&self, bytes: &[u8], name: &str, out: &mut dyn Write) -> io::Result<()>;
}

/// A note's path as a format writes it in each of its items.
#[derive(Debug, Default)]
pub struct NotePath {
    /// The path as shown.
    pub shown: String,
    /// The link to the note.
    pub link: String,
}

/// Write `bytes` with `name` in [`NAME`]'s place.
pub fn fill(bytes: &[u8], name: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut parts = bytes.split(|&b| b == NAME as u8);
    if let Some(first) = parts.next() {
        out.write_all(first)?;
    }
    for part in parts {
        out.write_all(name.as_bytes())?;
        out.write_all(part)?;
    }
    Ok(())
}

/// One note's items, rendered on a scan worker.
pub struct NoteLines {
    customer: Option<String>,
    counts: Counts,
    /// Rendered items, one after the other.
    text: String,
    /// Each rendered item's key and where it ends in `text`.
    ends: Vec<(Key, usize)>,
    /// Items that wait for ids: rendered once every open id is known.
    deferred: Vec<(Key, u64, Item)>,
    /// The ids of its open items.
    open_ids: Vec<String>,
}

impl NoteLines {
    /// Render a note's agenda items (all of one note, so of one customer) with `r`.
    pub fn of(items: Vec<Item>, window: Window, r: &dyn Render) -> NoteLines {
        let mut n = NoteLines {
            customer: items.first().and_then(|i| i.customer.clone()),
            counts: Counts::default(),
            text: String::new(),
            ends: Vec::new(),
            deferred: Vec::new(),
            open_ids: Vec::new(),
        };
        let mut seen: HashMap<String, u64> = HashMap::new();
        let note = items.first().map(|i| r.note(&i.path)).unwrap_or_default();
        for item in items {
            n.counts.add(&item, window);
            if item.status == Status::Open {
                n.open_ids.extend(item.tasks.id.clone());
            }
            let Some(key) = r.key(&item) else { continue };
            let repeat = match seen.get_mut(&item.text) {
                Some(count) => {
                    *count += 1;
                    *count - 1
                }
                None => {
                    seen.insert(item.text.clone(), 1);
                    0
                }
            };
            if item.tasks.depends_on.is_empty() {
                r.render(&item, key, repeat, &note, &mut n.text);
                n.ends.push((key, n.text.len()));
            } else {
                n.deferred.push((key, repeat, item));
            }
        }
        n
    }
}

/// An item's place in the output and where its bytes are: 16 bytes, as there can be a
/// million. Sorted by key, then by where its bytes are, which is the order items came in.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Key,
    /// An index into `Lines::slugs`, or `NONE`.
    customer: u32,
    /// Where its bytes start in the arena, shifted left by 24 bits, then their length (or
    /// `LONG`, or `DEFERRED`).
    pos: u64,
}

const NONE: u32 = u32::MAX;

/// Length bits that say: longer than they can hold; the length is in `Lines::long`.
const LONG: u64 = (1 << 24) - 1;
/// Length bits that say: rendered after the scan; where is in `Lines::later`.
const DEFERRED: u64 = LONG - 1;

/// Bytes appended in memory, and moved to an anonymous temporary file in big blocks.
#[derive(Default)]
struct Arena {
    file: Option<File>,
    /// How many bytes the file holds; `tail` follows them.
    spilled: u64,
    tail: Vec<u8>,
}

/// Memory the arena keeps before it moves its bytes to its file: small, as the agenda's
/// memory must not grow with its size, and big enough for few, large writes.
const ARENA_MEMORY: usize = 1 << 20;

impl Arena {
    fn push(&mut self, bytes: &[u8]) -> io::Result<u64> {
        if self.tail.len() + bytes.len() > ARENA_MEMORY && !self.tail.is_empty() {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(tempfile::tempfile()?),
            };
            file.write_all(&self.tail)?;
            self.spilled += self.tail.len() as u64;
            self.tail.clear();
        }
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(ARENA_MEMORY);
        }
        let at = self.spilled + self.tail.len() as u64;
        self.tail.extend_from_slice(bytes);
        Ok(at)
    }

    fn read(&self, at: u64, len: usize, buf: &mut Vec<u8>) -> io::Result<()> {
        buf.clear();
        if at >= self.spilled {
            let start = (at - self.spilled) as usize;
            buf.extend_from_slice(&self.tail[start..start + len]);
            return Ok(());
        }
        buf.resize(len, 0);
        let file = self.file.as_ref().expect("spilled bytes are in the file");
        read_at(file, buf, at)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// Every rendered item of a scan, sorted into sections once the scan is over.
#[derive(Default)]
pub struct Lines {
    entries: Vec<Entry>,
    arena: Arena,
    /// The lengths of items of `LONG` bytes or more, by where they start.
    long: HashMap<u64, u64>,
    /// Where the items that waited for ids were rendered, by where they wait.
    later: HashMap<u64, u64>,
    slugs: Vec<String>,
    ids: HashMap<String, u32>,
    /// Counts of the items without a customer, then per customer (by index).
    counts: Vec<Counts>,
    deferred: Vec<(u64, Key, u64, Item)>,
    open_ids: HashSet<String>,
    /// The customers listed, by index; all when `None`.
    only: Option<Vec<bool>>,
    /// Display names as the format writes them, by index.
    names: Vec<String>,
}

impl Lines {
    /// Take one note's lines; notes come in path order.
    pub fn add(&mut self, n: NoteLines) -> io::Result<()> {
        let customer = match n.customer {
            None => NONE,
            Some(slug) => {
                let next = self.slugs.len() as u32;
                *self.ids.entry(slug).or_insert_with_key(|slug| {
                    self.slugs.push(slug.clone());
                    next
                })
            }
        };
        let slot = customer.wrapping_add(1) as usize;
        if self.counts.len() <= slot {
            self.counts.resize(slot + 1, Counts::default());
        }
        self.counts[slot].merge(&n.counts);
        self.open_ids.extend(n.open_ids);
        let mut start = 0;
        for (key, end) in n.ends {
            self.push(key, customer, &n.text.as_bytes()[start..end])?;
            start = end;
        }
        for (key, repeat, item) in n.deferred {
            // A byte that holds its place in the order, until it is rendered.
            let at = self.arena.push(b"-")?;
            self.entries.push(Entry {
                key,
                customer,
                pos: at << 24 | DEFERRED,
            });
            self.deferred.push((at, key, repeat, item));
        }
        Ok(())
    }

    /// Put bytes in the arena: their [`Entry::pos`] (an arena of up to 2^40 bytes).
    fn store(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let at = self.arena.push(bytes)?;
        let len = bytes.len() as u64;
        if len < DEFERRED {
            return Ok(at << 24 | len);
        }
        self.long.insert(at, len);
        Ok(at << 24 | LONG)
    }

    fn push(&mut self, key: Key, customer: u32, bytes: &[u8]) -> io::Result<()> {
        let pos = self.store(bytes)?;
        self.entries.push(Entry { key, customer, pos });
        Ok(())
    }

    /// Once every note is read: render the items that wait for ids, sort, and name the
    /// customers; list only those `only` accepts (by slug), when given.
    pub fn finish(
        &mut self,
        r: &dyn Render,
        customers: &Customers,
        only: Option<&dyn Fn(&str) -> bool>,
    ) -> io::Result<()> {
        let mut text = String::new();
        for (at, key, repeat, mut item) in std::mem::take(&mut self.deferred) {
            item.tasks.blocked_by = blocked_by(&item, &self.open_ids);
            text.clear();
            r.render(&item, key, repeat, &r.note(&item.path), &mut text);
            let pos = self.store(text.as_bytes())?;
            self.later.insert(at, pos);
        }
        self.entries.sort_unstable_by_key(|e| (e.key, e.pos));
        self.names = self
            .slugs
            .iter()
            .map(|s| r.name(customers.name(s)))
            .collect();
        self.only = only.map(|keep| self.slugs.iter().map(|s| keep(s)).collect());
        Ok(())
    }

    /// The summary's numbers for the customers listed.
    pub fn counts(&self) -> Counts {
        let mut total = Counts::default();
        for (slot, c) in self.counts.iter().enumerate() {
            // Slot 0: items without a customer, listed only when no customer is asked for.
            let listed = match slot {
                0 => self.only.is_none(),
                s => self.listed(s as u32 - 1),
            };
            if listed {
                total.merge(c);
            }
        }
        total
    }

    fn listed(&self, customer: u32) -> bool {
        match &self.only {
            None => true,
            Some(only) => only.get(customer as usize).copied().unwrap_or(false),
        }
    }

    /// The keys of the group's entries listed, in order.
    pub fn group(&self, group: u8) -> impl Iterator<Item = Line<'_>> + '_ {
        let from = self.entries.partition_point(|e| e.key.group() < group);
        let to = self.entries.partition_point(|e| e.key.group() <= group);
        self.entries[from..to]
            .iter()
            .filter(|e| self.listed(e.customer))
            .map(move |e| Line { lines: self, e })
    }
}

/// One listed entry of [`Lines::group`].
pub struct Line<'a> {
    lines: &'a Lines,
    e: &'a Entry,
}

impl Line<'_> {
    /// Its key.
    pub fn key(&self) -> Key {
        self.e.key
    }

    /// Write it with its customer's name, reading its bytes into `buf`.
    pub fn write(&self, r: &dyn Render, buf: &mut Vec<u8>, out: &mut dyn Write) -> io::Result<()> {
        let lines = self.lines;
        let mut pos = self.e.pos;
        if pos & LONG == DEFERRED {
            pos = lines.later[&(pos >> 24)];
        }
        let at = pos >> 24;
        let len = match pos & LONG {
            LONG => lines.long[&at],
            len => len,
        };
        lines.arena.read(at, len as usize, buf)?;
        let name = match self.e.customer {
            NONE => "",
            i => &lines.names[i as usize],
        };
        r.fill(buf, name, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::Place;
    use crate::notes::parse::{parse_note, Markers, NoteOrigin};

    /// Each item as its text and its customer's name, `;`-ended.
    struct Plain(Window);

    impl Render for Plain {
        fn key(&self, item: &Item) -> Option<Key> {
            Place::of(item, self.0).map(|p| p.key(item))
        }
        fn note(&self, path: &str) -> NotePath {
            NotePath {
                shown: path.to_owned(),
                link: String::new(),
            }
        }
        fn render(&self, item: &Item, _: Key, _: u64, note: &NotePath, out: &mut String) {
            assert_eq!(note.shown, item.path);
            out.push_str(&item.text);
            out.push(NAME);
            out.push_str(&item.tasks.blocked_by.join(","));
            out.push(';');
        }
        fn name(&self, name: &str) -> String {
            format!("@{name}")
        }
        fn fill(&self, bytes: &[u8], name: &str, out: &mut dyn Write) -> io::Result<()> {
            fill(bytes, name, out)
        }
    }

    fn note(path: &str, text: &str) -> crate::notes::model::Note {
        let (folder, file_name) = path.split_once('/').unwrap();
        parse_note(
            text,
            NoteOrigin {
                path,
                file_name,
                folder: Some(folder),
            },
            Markers::default(),
        )
    }

    #[test]
    fn sections_in_order_ties_in_path_order_through_the_file() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let w = Window {
            today: day,
            from: day,
            days: 7,
        };
        let r = Plain(w);
        let mut lines = Lines::default();
        // Enough bytes to move most of them to the arena's file.
        let long = "x".repeat(ARENA_MEMORY / 3);
        let notes = [
            note(
                "acme/2026-11-16-a.md",
                &format!("- [ ] {long} 📅 2026-11-20\n- [ ] waits ⛔ p1 📅 2026-11-20\n"),
            ),
            note("beta/2026-11-16-b.md", "- [ ] b1 📅 2026-11-20\n- [ ] b2\n"),
            note(
                "acme/2026-11-17-c.md",
                &format!("- [ ] c1 🆔 p1 📅 2026-11-20\n- [ ] {long}2\n- [ ] {long}3\n"),
            ),
        ];
        for n in &notes {
            let items = crate::agenda::items_of(n, w);
            lines.add(NoteLines::of(items, w, &r)).unwrap();
        }
        let beta_only = |slug: &str| slug == "beta";
        let mut all = Lines::default();
        std::mem::swap(&mut all, &mut lines);
        all.finish(&r, &Customers::default(), None).unwrap();
        let shown = |lines: &Lines, group: u8| {
            let mut out = Vec::new();
            let mut buf = Vec::new();
            for l in lines.group(group) {
                l.write(&r, &mut buf, &mut out).unwrap();
            }
            String::from_utf8(out).unwrap()
        };
        assert!(all.arena.spilled > 0, "part of it in the file");
        let overdue = shown(&all, Place::Overdue.group());
        assert_eq!(
            overdue,
            format!("{long}@acme;waits@acmep1;b1@beta;c1@acme;"),
            "same key: path order, the waiting item in its place"
        );
        let undated = shown(&all, Place::Undated.group());
        assert_eq!(undated, format!("b2@beta;{long}2@acme;{long}3@acme;"));
        assert_eq!(all.counts().open, 7);

        for n in &notes {
            let items = crate::agenda::items_of(n, w);
            lines.add(NoteLines::of(items, w, &r)).unwrap();
        }
        lines
            .finish(&r, &Customers::default(), Some(&beta_only))
            .unwrap();
        assert_eq!(shown(&lines, Place::Overdue.group()), "b1@beta;");
        assert_eq!(lines.counts().open, 2, "the customers listed only");
    }
}
