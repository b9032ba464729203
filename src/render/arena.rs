//! Rendered bytes kept out of memory: how the agenda and `list` write output of any size
//! in little memory. Each item is rendered on the scan's worker thread as soon as its
//! note is read; its bytes go to an [`Arena`] that moves them to an anonymous temporary
//! file once they are many, and only a small [`Entry`] per item (its sort key, its
//! customer and its [`Pos`]) stays in memory until the entries are sorted and the bytes
//! read back in order. A customer's display name is known only once every note is read:
//! the renderer leaves [`NAME`] where it goes, and the writer fills it in.

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
/// then their length (or `LONG`, or `HELD`). Ordered as the bytes were stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos(u64);

/// Length bits that say: longer than they can hold; the length is in `Arena::long`.
const LONG: u64 = (1 << 24) - 1;
/// Length bits that say: a place held for bytes stored later; where is in `Arena::later`.
const HELD: u64 = LONG - 1;

/// Memory an arena keeps before it moves its bytes to its file: small, as the output's
/// memory must not grow with its size, and big enough for few, large writes.
pub const ARENA_MEMORY: usize = 1 << 20;

/// Bytes appended in memory, and moved to an anonymous temporary file in big blocks.
#[derive(Default)]
pub struct Arena {
    file: Option<File>,
    /// How many bytes the file holds; `tail` follows them.
    spilled: u64,
    tail: Vec<u8>,
    /// The lengths of stored bytes of `LONG` bytes or more, by where they start.
    long: HashMap<u64, u64>,
    /// Where the bytes of held places were stored, by where they are held.
    later: HashMap<u64, Pos>,
}

impl Arena {
    /// Store `bytes` (an arena holds up to 2^40 bytes).
    pub fn store(&mut self, bytes: &[u8]) -> io::Result<Pos> {
        let at = self.push(bytes)?;
        let len = bytes.len() as u64;
        if len < HELD {
            return Ok(Pos(at << 24 | len));
        }
        self.long.insert(at, len);
        Ok(Pos(at << 24 | LONG))
    }

    /// A place in the order of stored bytes for bytes known only later: [`Arena::put`]
    /// stores them, [`Arena::read`] finds them.
    pub fn hold(&mut self) -> io::Result<Pos> {
        // A byte that holds its place in the order.
        let at = self.push(b"-")?;
        Ok(Pos(at << 24 | HELD))
    }

    /// Store the bytes of a place [`Arena::hold`] gave.
    pub fn put(&mut self, held: Pos, bytes: &[u8]) -> io::Result<()> {
        let pos = self.store(bytes)?;
        self.later.insert(held.0 >> 24, pos);
        Ok(())
    }

    /// Read the bytes at `pos` into `buf`.
    pub fn read(&self, mut pos: Pos, buf: &mut Vec<u8>) -> io::Result<()> {
        if pos.0 & LONG == HELD {
            pos = *self
                .later
                .get(&(pos.0 >> 24))
                .ok_or_else(|| io::Error::other("a held place was never filled"))?;
        }
        let at = pos.0 >> 24;
        let len = match pos.0 & LONG {
            LONG => self.long[&at],
            len => len,
        } as usize;
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

    /// How many bytes were moved to the file.
    #[cfg(test)]
    pub fn spilled(&self) -> u64 {
        self.spilled
    }

    /// Append `bytes`: where they start.
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

    fn read(arena: &Arena, pos: Pos) -> Vec<u8> {
        let mut buf = Vec::new();
        arena.read(pos, &mut buf).unwrap();
        buf
    }

    #[test]
    fn bytes_read_back_from_memory_the_file_and_held_places_in_order() {
        let mut arena = Arena::default();
        let small = arena.store(b"first").unwrap();
        let held = arena.hold().unwrap();
        // Longer than the length bits hold, and more than the arena keeps in memory.
        let long = vec![b'x'; LONG as usize + 5];
        let big = arena.store(&long).unwrap();
        let empty = arena.store(b"").unwrap();
        let last = arena.store(b"last").unwrap();
        arena.put(held, b"filled later").unwrap();
        assert!(arena.spilled() > 0, "part of it in the file");
        assert_eq!(read(&arena, small), b"first");
        assert_eq!(read(&arena, held), b"filled later");
        assert_eq!(read(&arena, big), long);
        assert_eq!(read(&arena, empty), b"");
        assert_eq!(read(&arena, last), b"last");
        assert!(small < held && held < big && big < empty && empty < last);
        let unfilled = arena.hold().unwrap();
        assert!(arena.read(unfilled, &mut Vec::new()).is_err());
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
