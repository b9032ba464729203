//! Sorted sections of pre-rendered lines: how an agenda of any size is written in little
//! memory. Each item is rendered on the scan's worker thread as soon as its note is read
//! (by its format's [`Render`]); its bytes go to an [`Arena`] (see
//! [`crate::render::arena`]), which keeps in memory only its sort [`Key`], where its bytes
//! are, and its customer. After the scan the entries are sorted and each section is written
//! in order, its bytes read back a run at a time, the customer's display name (known only
//! once every note is read) put where the renderer left [`NAME`].

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use crate::agenda::{blocked_by, Counts, Item, Key, Window};
use crate::notes::model::{Customers, Status};
pub use crate::render::arena::{fill, NAME};
use crate::render::arena::{Arena, Entry, Held, Reader, Slugs};

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

/// Every rendered item of a scan, sorted into sections once the scan is over.
#[derive(Default)]
pub struct Lines {
    arena: Arena<Key>,
    /// Reads the arena once sorted: a run at a time while the sections are written.
    reader: RefCell<Reader>,
    slugs: Slugs,
    /// Counts of the items without a customer, then per customer (by index).
    counts: Vec<Counts>,
    /// Items that waited for ids, by the place held for them.
    deferred: Vec<(Held, Key, u64, Item)>,
    open_ids: HashSet<String>,
    /// The customers listed, by index; all when `None`.
    only: Option<Vec<bool>>,
    /// Display names as the format writes them, by index.
    names: Vec<String>,
}

impl Lines {
    /// Take one note's lines; notes come in path order.
    pub fn add(&mut self, n: NoteLines) -> io::Result<()> {
        let customer = self.slugs.id(n.customer);
        let slot = customer.wrapping_add(1) as usize;
        if self.counts.len() <= slot {
            self.counts.resize(slot + 1, Counts::default());
        }
        self.counts[slot].merge(&n.counts);
        self.open_ids.extend(n.open_ids);
        let mut start = 0;
        for (key, end) in n.ends {
            self.arena
                .store(key, customer, &n.text.as_bytes()[start..end])?;
            start = end;
        }
        for (key, repeat, item) in n.deferred {
            // Its place in the order, until it is rendered.
            let held = self.arena.hold(key, customer)?;
            self.deferred.push((held, key, repeat, item));
        }
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
        self.arena.seal()?;
        let mut text = String::new();
        for (held, key, repeat, mut item) in std::mem::take(&mut self.deferred) {
            item.tasks.blocked_by = blocked_by(&item, &self.open_ids);
            text.clear();
            r.render(&item, key, repeat, &r.note(&item.path), &mut text);
            self.arena.put(held, text.as_bytes())?;
        }
        // Among equal keys, in the order stored: each run is sorted stably.
        self.arena
            .entries_mut()
            .sort_unstable_by_key(|e| (e.key, e.pos));
        self.reader = RefCell::new(self.arena.reader());
        self.names = self
            .slugs
            .all()
            .iter()
            .map(|s| r.name(customers.name(s)))
            .collect();
        self.only = only.map(|keep| self.slugs.all().iter().map(|s| keep(s)).collect());
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
        let entries = self.arena.entries();
        let from = entries.partition_point(|e| e.key.group() < group);
        let to = entries.partition_point(|e| e.key.group() <= group);
        entries[from..to]
            .iter()
            .filter(|e| self.listed(e.customer))
            .map(move |e| Line { lines: self, e })
    }
}

/// One listed entry of [`Lines::group`].
pub struct Line<'a> {
    lines: &'a Lines,
    e: &'a Entry<Key>,
}

impl Line<'_> {
    /// Its key.
    pub fn key(&self) -> Key {
        self.e.key
    }

    /// Write it with its customer's name, reading its bytes into `buf`.
    pub fn write(&self, r: &dyn Render, buf: &mut Vec<u8>, out: &mut dyn Write) -> io::Result<()> {
        let lines = self.lines;
        lines
            .reader
            .borrow_mut()
            .read(&lines.arena, self.e.pos, buf)?;
        let name = match self.e.customer {
            Slugs::NONE => "",
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
    use crate::render::arena::ARENA_MEMORY;

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
        assert!(all.arena.spilled() > 0, "part of it in the file");
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
