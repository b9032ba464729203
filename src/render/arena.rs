//! Rendered bytes kept out of memory: how the agenda and `list` write output of any size
//! in little memory. Each item is rendered on the scan's worker thread as soon as its
//! note is read; its bytes go to an [`Arena`] that moves them to an anonymous temporary
//! file once they are many, and only a small [`Entry`] per item (its sort key, its
//! customer and its [`Pos`]) stays in memory until the entries are sorted and the bytes
//! read back in order. A customer's display name is known only once every note is read:
//! the renderer leaves [`NAME`] where it goes, and the writer fills it in.
//!
//! Each block moved to the file is a sorted run: its entries sorted by key (stably) and
//! its bytes written in that order. Entries sorted by key, then [`Pos`], are then in the
//! order they were stored in among equal keys, and visit each run front to back: a
//! [`Reader`] reads each run a block at a time, instead of one read per item.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};

/// Where a rendered item's customer name goes: never in rendered text (note text is
/// shown with control pictures, escaped in JSON, dropped in iCalendar).
pub const NAME: char = '\0';

/// Write `bytes` with `name` in [`NAME`]'s place.
pub fn fill(bytes: &[u8], name: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut start = 0;
    for at in memchr::memchr_iter(NAME as u8, bytes) {
        out.write_all(&bytes[start..at])?;
        out.write_all(name.as_bytes())?;
        start = at + 1;
    }
    out.write_all(&bytes[start..])
}

/// An item's place in the output and where its bytes are: 16 bytes with a 32-bit key, as
/// there can be a million.
#[derive(Debug, Clone, Copy)]
pub struct Entry<K> {
    /// Where it goes.
    pub key: K,
    /// Its customer, as [`Slugs::id`] numbers them.
    pub customer: u32,
    /// Where its bytes are.
    pub pos: Pos,
}

/// Customer slugs as small numbers, in the order they were first seen.
#[derive(Debug, Default)]
pub struct Slugs {
    slugs: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Slugs {
    /// The number of "no customer".
    pub const NONE: u32 = u32::MAX;

    /// The number of `slug` ([`Slugs::NONE`] for none), numbered now if it is new.
    pub fn id(&mut self, slug: Option<String>) -> u32 {
        let Some(slug) = slug else {
            return Slugs::NONE;
        };
        let next = self.slugs.len() as u32;
        *self.ids.entry(slug).or_insert_with_key(|slug| {
            self.slugs.push(slug.clone());
            next
        })
    }

    /// The slugs, by number.
    pub fn all(&self) -> &[String] {
        &self.slugs
    }
}

/// Where bytes are in an [`Arena`], in 8 bytes: where they start, shifted left by 24 bits,
/// then their length (or `LONG`, or `HELD`). Ordered as the bytes are in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos(u64);

/// Length bits that say: longer than they can hold; the length is in `Arena::long`.
const LONG: u64 = (1 << 24) - 1;
/// Length bits that say: a place held for bytes stored later; its bytes are the place's
/// number ([`Held`]), by which `Arena::later` finds them.
const HELD: u64 = LONG - 1;
/// How many bytes hold a held place's number.
const HELD_LEN: usize = 8;

impl Pos {
    fn at(self) -> u64 {
        self.0 >> 24
    }
}

/// Memory an arena keeps before it moves its bytes to its file: small, as the output's
/// memory must not grow with its size, and big enough for few, large writes.
pub const ARENA_MEMORY: usize = 1 << 20;

/// Memory a [`Reader`] shares out among the runs' buffers: little, as the agenda reaches its
/// peak memory while it writes.
pub const READER_MEMORY: usize = 2 << 20;

/// The most a [`Reader`] reads of a run at once: more saves few reads.
const READ_BLOCK: usize = 1 << 16;

/// A place [`Arena::hold`] gave, for [`Arena::put`].
#[derive(Debug, Clone, Copy)]
pub struct Held(u64);

/// Entries and their bytes, the bytes appended in memory and moved to an anonymous
/// temporary file in big blocks, each a run sorted by key.
pub struct Arena<K> {
    entries: Vec<Entry<K>>,
    /// The first entry whose bytes are in `tail`.
    unsorted: usize,
    file: Option<File>,
    /// How many bytes the file holds; `tail` follows them.
    spilled: u64,
    tail: Vec<u8>,
    /// Where each sorted run starts in the file.
    runs: Vec<u64>,
    /// Where the sorted runs end, once [`Arena::seal`] has run: bytes stored since (for
    /// held places) belong to no entry.
    sealed: Option<u64>,
    /// The lengths of stored bytes of `LONG` bytes or more, by where they start.
    long: HashMap<u64, u64>,
    /// How many places were held.
    holds: u64,
    /// Where the bytes of held places were stored, by the place's number.
    later: HashMap<u64, Pos>,
}

impl<K> Default for Arena<K> {
    fn default() -> Arena<K> {
        Arena {
            entries: Vec::new(),
            unsorted: 0,
            file: None,
            spilled: 0,
            tail: Vec::new(),
            runs: Vec::new(),
            sealed: None,
            long: HashMap::new(),
            holds: 0,
            later: HashMap::new(),
        }
    }
}

impl<K: Ord + Copy> Arena<K> {
    /// Store an entry for `key` and `customer` and its `bytes` (an arena holds up to
    /// 2^40 bytes). Not once sealed.
    pub fn store(&mut self, key: K, customer: u32, bytes: &[u8]) -> io::Result<()> {
        debug_assert!(self.sealed.is_none(), "entries come before the seal");
        let pos = self.push_bytes(bytes)?;
        self.entries.push(Entry { key, customer, pos });
        Ok(())
    }

    /// Store an entry for `key` and `customer` whose bytes are known only later: once
    /// sealed, [`Arena::put`] stores them and a [`Reader`] finds them.
    pub fn hold(&mut self, key: K, customer: u32) -> io::Result<Held> {
        debug_assert!(self.sealed.is_none(), "entries come before the seal");
        let held = Held(self.holds);
        self.holds += 1;
        let at = self.push(&held.0.to_le_bytes())?;
        let pos = Pos(at << 24 | HELD);
        self.entries.push(Entry { key, customer, pos });
        Ok(held)
    }

    /// Once every entry is stored: move the last run to the file (when there is one), so
    /// that bytes stored from now on belong to no run.
    pub fn seal(&mut self) -> io::Result<()> {
        if self.sealed.is_some() {
            return Ok(());
        }
        if self.file.is_some() && !self.tail.is_empty() {
            self.spill()?;
            // Little is stored from now on (the held places' bytes).
            self.tail = Vec::new();
        }
        self.sealed = Some(self.spilled);
        Ok(())
    }

    /// Store the bytes of a place [`Arena::hold`] gave, once sealed.
    pub fn put(&mut self, held: Held, bytes: &[u8]) -> io::Result<()> {
        debug_assert!(
            self.sealed.is_some(),
            "held places are filled after the seal"
        );
        let pos = self.push_bytes(bytes)?;
        self.later.insert(held.0, pos);
        Ok(())
    }

    /// The entries: stored order until the seal, then each run sorted by key.
    pub fn entries(&self) -> &[Entry<K>] {
        &self.entries
    }

    /// The entries to sort or drop, once sealed.
    pub fn entries_mut(&mut self) -> &mut Vec<Entry<K>> {
        debug_assert!(self.sealed.is_some(), "entries move only once sealed");
        &mut self.entries
    }

    /// A reader of the sealed arena's bytes.
    pub fn reader(&self) -> Reader {
        let block = (READER_MEMORY / self.runs.len().max(1)).min(READ_BLOCK);
        let runs = self.runs.iter().map(|&start| Run {
            start,
            bytes: Vec::new(),
            next: start,
        });
        Reader {
            runs: runs.collect(),
            block,
            #[cfg(test)]
            reads: 0,
        }
    }

    /// How many bytes were moved to the file.
    #[cfg(test)]
    pub fn spilled(&self) -> u64 {
        self.spilled
    }

    /// Append `bytes`: where they are.
    fn push_bytes(&mut self, bytes: &[u8]) -> io::Result<Pos> {
        let at = self.push(bytes)?;
        let len = bytes.len() as u64;
        if len < HELD {
            return Ok(Pos(at << 24 | len));
        }
        self.long.insert(at, len);
        Ok(Pos(at << 24 | LONG))
    }

    /// Append `bytes`: where they start.
    fn push(&mut self, bytes: &[u8]) -> io::Result<u64> {
        if self.tail.len() + bytes.len() > ARENA_MEMORY && !self.tail.is_empty() {
            self.spill()?;
        }
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(ARENA_MEMORY);
        }
        let at = self.spilled + self.tail.len() as u64;
        self.tail.extend_from_slice(bytes);
        Ok(at)
    }

    /// Move `tail` to the file: until sealed, as a run, its entries sorted by key (stably)
    /// and their bytes in that order.
    fn spill(&mut self) -> io::Result<()> {
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(tempfile::tempfile()?),
        };
        let base = self.spilled;
        if self.sealed.is_some() {
            file.write_all(&self.tail)?;
        } else {
            let run = &mut self.entries[self.unsorted..];
            run.sort_by_key(|e| e.key);
            let mut w = io::BufWriter::with_capacity(READ_BLOCK, &*file);
            let mut at = base;
            let mut moved_long = Vec::new();
            for e in run {
                let old = e.pos.at();
                let len = match e.pos.0 & LONG {
                    LONG => {
                        let len = self.long.remove(&old).expect("a long entry's length");
                        moved_long.push((at, len));
                        len
                    }
                    HELD => HELD_LEN as u64,
                    len => len,
                };
                let start = (old - base) as usize;
                w.write_all(&self.tail[start..start + len as usize])?;
                e.pos = Pos(at << 24 | e.pos.0 & LONG);
                at += len;
            }
            w.flush()?;
            self.long.extend(moved_long);
            self.runs.push(base);
            self.unsorted = self.entries.len();
        }
        self.spilled += self.tail.len() as u64;
        self.tail.clear();
        Ok(())
    }
}

/// Reads an [`Arena`]'s bytes: of each run, a block at a time while its entries are read
/// in its order (as entries sorted by key, then [`Pos`], are); others with one read each.
/// The default reads each with one read.
#[derive(Default)]
pub struct Reader {
    runs: Vec<Run>,
    /// How much of a run one read reads: [`READER_MEMORY`] shared out.
    block: usize,
    /// How many times the file was read.
    #[cfg(test)]
    reads: u64,
}

/// A run's bytes read last.
struct Run {
    /// Where `bytes` start.
    start: u64,
    bytes: Vec<u8>,
    /// Where the bytes of the entry read last from this run end.
    next: u64,
}

impl Reader {
    /// Read the bytes at `pos` in `arena` into `buf`.
    pub fn read<K: Ord + Copy>(
        &mut self,
        arena: &Arena<K>,
        pos: Pos,
        buf: &mut Vec<u8>,
    ) -> io::Result<()> {
        let mut pos = pos;
        if pos.0 & LONG == HELD {
            self.read_span(arena, pos.at(), HELD_LEN, buf)?;
            let number = u64::from_le_bytes(buf[..].try_into().map_err(io::Error::other)?);
            pos = *arena
                .later
                .get(&number)
                .ok_or_else(|| io::Error::other("a held place was never filled"))?;
        }
        let len = match pos.0 & LONG {
            LONG => arena.long[&pos.at()],
            len => len,
        } as usize;
        self.read_span(arena, pos.at(), len, buf)
    }

    fn read_span<K: Ord + Copy>(
        &mut self,
        arena: &Arena<K>,
        at: u64,
        len: usize,
        buf: &mut Vec<u8>,
    ) -> io::Result<()> {
        let sorted_end = arena.sealed.unwrap_or(0).min(arena.spilled);
        if at >= sorted_end {
            return self.read_direct(arena, at, len, buf);
        }
        let r = arena.runs.partition_point(|&start| start <= at) - 1;
        let end = arena.runs.get(r + 1).copied().unwrap_or(sorted_end);
        let run = &mut self.runs[r];
        let in_block =
            |run: &Run| at >= run.start && at + len as u64 <= run.start + run.bytes.len() as u64;
        // Read on from where the run was read last (or a little further): a block.
        if !in_block(run)
            && at >= run.next
            && at - run.next < self.block as u64 / 2
            && len < self.block
        {
            if run.bytes.capacity() == 0 {
                run.bytes.reserve_exact(self.block);
            }
            run.bytes.resize(self.block.min((end - at) as usize), 0);
            #[cfg(test)]
            {
                self.reads += 1;
            }
            let file = arena.file.as_ref().expect("runs are in the file");
            read_at(file, &mut run.bytes, at)?;
            run.start = at;
        }
        run.next = at + len as u64;
        if !in_block(run) {
            return self.read_direct(arena, at, len, buf);
        }
        let start = (at - run.start) as usize;
        buf.clear();
        buf.extend_from_slice(&run.bytes[start..start + len]);
        Ok(())
    }

    /// Read `len` bytes at `at` into `buf`, with a read of their own.
    fn read_direct<K>(
        &mut self,
        arena: &Arena<K>,
        at: u64,
        len: usize,
        buf: &mut Vec<u8>,
    ) -> io::Result<()> {
        buf.clear();
        if at >= arena.spilled {
            let start = (at - arena.spilled) as usize;
            buf.extend_from_slice(&arena.tail[start..start + len]);
            return Ok(());
        }
        buf.resize(len, 0);
        self.read_file(arena, buf, at)
    }

    fn read_file<K>(&mut self, arena: &Arena<K>, buf: &mut [u8], at: u64) -> io::Result<()> {
        #[cfg(test)]
        {
            self.reads += 1;
        }
        let file = arena.file.as_ref().expect("spilled bytes are in the file");
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Seal, sort by key then position, and read every entry back: its bytes, and how
    /// many reads of the file it took.
    fn sorted(arena: &mut Arena<u32>) -> (Vec<Vec<u8>>, u64) {
        arena.seal().unwrap();
        arena.entries_mut().sort_unstable_by_key(|e| (e.key, e.pos));
        let mut reader = arena.reader();
        let mut buf = Vec::new();
        let got = arena
            .entries()
            .iter()
            .map(|e| {
                reader.read(arena, e.pos, &mut buf).unwrap();
                buf.clone()
            })
            .collect();
        (got, reader.reads)
    }

    /// Items as they are stored: `key:number`, a few bytes each.
    fn item(key: u32, n: usize) -> Vec<u8> {
        format!("{key}:{n};").into_bytes()
    }

    #[test]
    fn runs_read_back_in_key_order_ties_in_stored_order_a_block_at_a_time() {
        let mut arena = Arena::default();
        let mut want = Vec::new();
        // Many runs, every key in each: ties across runs and within them.
        let n = 6 * ARENA_MEMORY / 8;
        for i in 0..n {
            let key = (i * 7 % 5) as u32;
            arena.store(key, 0, &item(key, i)).unwrap();
            want.push((key, item(key, i)));
        }
        want.sort_by_key(|w| w.0);
        let want: Vec<Vec<u8>> = want.into_iter().map(|w| w.1).collect();
        assert!(
            arena.spilled() > 4 * ARENA_MEMORY as u64,
            "runs in the file"
        );
        let (got, reads) = sorted(&mut arena);
        assert!(got == want, "in key order, ties in the order stored");
        assert!(reads < n as u64 / 100, "{reads} reads for {n} items");
    }

    #[test]
    fn long_items_held_places_and_empty_items_in_their_places() {
        let mut arena = Arena::default();
        arena.store(2, 0, b"first").unwrap();
        let held = arena.hold(1, 0).unwrap();
        // Longer than the length bits hold, and more than the arena keeps in memory: a
        // run of one item.
        let long = vec![b'x'; LONG as usize + 5];
        arena.store(1, 0, &long).unwrap();
        arena.store(0, 0, b"").unwrap();
        let early = arena.hold(2, 0).unwrap();
        arena.store(1, 0, b"last").unwrap();
        let unfilled = arena.hold(3, 0).unwrap();
        arena.seal().unwrap();
        arena.put(held, b"filled later").unwrap();
        arena.put(early, b"early").unwrap();
        assert!(arena.spilled() > LONG, "part of it in the file");
        arena.entries_mut().sort_unstable_by_key(|e| (e.key, e.pos));
        let mut reader = arena.reader();
        let mut buf = Vec::new();
        let mut got = Vec::new();
        for e in &arena.entries()[..5] {
            reader.read(&arena, e.pos, &mut buf).unwrap();
            got.push(buf.clone());
        }
        let want: [&[u8]; 5] = [b"", b"filled later", &long, b"last", b"first"];
        assert!(got == want, "by key, ties in the order stored");
        let end = arena.entries()[5];
        assert_eq!(end.key, 2);
        reader.read(&arena, end.pos, &mut buf).unwrap();
        assert_eq!(buf, b"early");
        let last = arena.entries()[6].pos;
        assert!(reader.read(&arena, last, &mut buf).is_err(), "{unfilled:?}");
    }

    #[test]
    fn small_arenas_stay_in_memory_empty_ones_read_nothing() {
        let mut arena = Arena::default();
        let (got, reads) = sorted(&mut arena);
        assert!(got.is_empty() && reads == 0);
        arena = Arena::default();
        for i in 0..3 {
            arena
                .store(3 - i as u32, 0, &item(3 - i as u32, i))
                .unwrap();
        }
        let (got, reads) = sorted(&mut arena);
        assert_eq!(got, [item(1, 2), item(2, 1), item(3, 0)]);
        assert_eq!((arena.spilled(), reads), (0, 0), "no file");
    }

    #[test]
    fn entries_read_out_of_run_order_or_far_apart_read_alike() {
        let mut arena = Arena::default();
        let n = 3 * ARENA_MEMORY / 8;
        for i in 0..n {
            let key = (i % 3) as u32;
            arena
                .store(key, u32::from(i % 9973 == 0), &item(key, i))
                .unwrap();
        }
        arena.seal().unwrap();
        let check = |arena: &Arena<u32>| {
            let mut reader = arena.reader();
            let mut buf = Vec::new();
            for e in arena.entries() {
                reader.read(arena, e.pos, &mut buf).unwrap();
                let text = std::str::from_utf8(&buf).unwrap();
                let (key, i) = text.trim_end_matches(';').split_once(':').unwrap();
                let i: usize = i.parse().unwrap();
                assert_eq!((key.parse::<u32>().unwrap(), i as u32 % 3), (e.key, e.key));
                assert_eq!(u32::from(i % 9973 == 0), e.customer, "{text}");
            }
            reader.reads
        };
        // Backwards: one read each.
        arena
            .entries_mut()
            .sort_unstable_by_key(|e| std::cmp::Reverse(e.pos));
        assert!(arena.spilled() > 0);
        assert_eq!(check(&arena), n as u64);
        // One customer's, far apart.
        arena.entries_mut().retain(|e| e.customer == 1);
        arena.entries_mut().sort_unstable_by_key(|e| (e.key, e.pos));
        let far = (0..n).filter(|i| i % 9973 == 0).count();
        assert_eq!(check(&arena), far as u64);
    }

    #[test]
    fn names_fill_their_places_and_slugs_keep_their_numbers() {
        let mut out = Vec::new();
        fill(b"\0 and \0.", "Acme", &mut out).unwrap();
        assert_eq!(out, b"Acme and Acme.");
        let mut slugs = Slugs::default();
        assert_eq!(slugs.id(Some("beta".into())), 0);
        assert_eq!(slugs.id(None), Slugs::NONE);
        assert_eq!(slugs.id(Some("acme".into())), 1);
        assert_eq!(slugs.id(Some("beta".into())), 0);
        assert_eq!(slugs.all(), ["beta", "acme"]);
    }
}
