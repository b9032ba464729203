//! The cache file: one per set of scanned folders, in the cache folder, holding one
//! record per note: the note's path, folder and file [`Stamp`], and its serialised entry.
//!
//! Layout (integers little-endian). The head: the magic `FUCACHE2`; the fingerprint (u64)
//! of what the entries depend on; the file's length (u64); the record count (u32); one
//! slot per record, sorted by the xxh3 hash of the record's path (u64), then where the
//! record starts (u64), its length (u32) and the xxh3 hash of its bytes (u64); last, the
//! xxh3 hash (u64) of the head before it. Then the records, in path order: the stamp (four
//! u64), the hash of the note's file's bytes (u64), the path, the folder (a flag byte, then
//! the text when there is one; texts are a u32 length and the bytes), and the entry's
//! bytes to the record's end.
//!
//! A file whose head is not whole, or not of this version, is ignored and replaced. A
//! record is checked against its hash only when its note asks for it, so that a run never
//! reads the file in one pass: a damaged record is a miss for its note alone (and the file
//! is written again without it).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use memmap2::Mmap;
#[cfg(unix)]
use memmap2::UncheckedAdvice;
use xxhash_rust::xxh3::xxh3_64;

/// The first bytes of every cache file; a new layout gets a new one.
const MAGIC: &[u8; 8] = b"FUCACHE2";

/// The most cache files kept (one per set of folders scanned): after a write, the least
/// recently written beyond this many are removed.
pub const MAX_FILES: usize = 16;

/// The largest cache file written: past this, the folder is scanned without one.
pub const MAX_BYTES: usize = 512 << 20;

/// What a cache file's name starts and ends with: [`clean`] removes only these.
const PREFIX: &str = "notes-";
const SUFFIX: &str = ".cache";

/// A file's size, times and identity: a file whose stamp is unchanged is taken to be
/// unchanged (as ruff, git and make do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modified, in nanoseconds since the epoch.
    pub modified: u64,
    /// Metadata changed (Unix's ctime: a rename, a `chmod`), in nanoseconds; 0 where
    /// there is none.
    pub changed: u64,
    /// Inode, where there is one (0 elsewhere): a file replaced by another is another.
    pub inode: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let nanos = |t: io::Result<SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64)
        };
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            let changed = (meta.ctime() as u64)
                .saturating_mul(1_000_000_000)
                .saturating_add(meta.ctime_nsec() as u64);
            (changed, meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        Stamp {
            size: meta.len(),
            modified: nanos(meta.modified()),
            changed,
            inode,
        }
    }

    /// Whether the file was modified so shortly before `now` that a change right after
    /// could leave the stamp as it is (file system clocks tick in steps of up to two
    /// seconds): such a file is not kept, so that an edit never hides behind an equal
    /// stamp (git's "racy clean" entries). Every edit moves the modification time.
    pub fn is_racy(&self, now: SystemTime) -> bool {
        let margin = Duration::from_secs(2);
        let now = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .saturating_sub(margin)
            .as_nanos() as u64;
        self.modified >= now || self.modified == 0
    }
}

/// The bytes of a record, up to its path's length: the stamp's four numbers and the hash
/// of the file's bytes.
const RECORD_FIXED: usize = 40;

/// The bytes of a slot: the path's hash (u64), where its record starts (u64), its length
/// (u32) and its hash (u64).
const SLOT: usize = 28;

/// The bytes before the slots: the magic, the fingerprint, the file's length and the count.
const HEADER: usize = 28;

/// The file is mapped, and given back to the system, in blocks of this many bytes: a block
/// is dropped from memory once every record in it has been looked at.
const BLOCK: usize = 1 << 20;

/// A record made this run: its path's hash, its path (to sort by), its bytes and their hash.
struct NewRecord {
    key: u64,
    path: String,
    bytes: Vec<u8>,
    sum: u64,
}

/// A record as it is written: its path's hash, its path, its bytes and their hash.
struct Row<'a> {
    key: u64,
    path: &'a [u8],
    bytes: &'a [u8],
    sum: u64,
}

/// A cache file, mapped, and the entries this run keeps for the next.
///
/// The file is mapped rather than read: a run over unchanged notes touches each record once,
/// on the worker that handles its note, and memory holds only the blocks in use. A mapped
/// file must not shrink or change under the mapping: followup never truncates or writes a
/// cache file in place (it writes a temporary file and renames it over the old one, and a run
/// that has the old one mapped keeps reading the old one), and the folder is its own. (On
/// Windows a mapped file cannot be replaced: a run that finishes while another has the file
/// mapped does not write its cache, which is no error.)
pub struct Store {
    /// Where it is read from and written to.
    path: PathBuf,
    fingerprint: u64,
    /// The file, when there was one of this layout and fingerprint.
    map: Option<Mmap>,
    /// How many slots it has.
    count: usize,
    /// Where the slots of each range of path hashes start: the slots of the hashes whose
    /// top bits are `b` are `buckets[b]..buckets[b + 1]` (the hashes are spread evenly,
    /// so each range holds about one, found without a search through the table).
    buckets: Vec<u32>,
    /// Per block of the file, how many records in it are still to be looked at.
    pending: Vec<AtomicU32>,
    /// Per slot, whether its record is kept for the next run.
    kept: Vec<AtomicBool>,
    /// Records made this run.
    new: Mutex<Vec<NewRecord>>,
}

/// What [`Store::get`] found for a note: its record's blocks may be given back once it
/// is dropped.
pub struct Hit<'a> {
    /// The entry's bytes.
    pub bytes: &'a [u8],
    /// The hash of the note's file's bytes.
    pub hash: u64,
    slot: usize,
    store: &'a Store,
}

impl Drop for Hit<'_> {
    fn drop(&mut self) {
        self.store.looked_at(self.slot);
    }
}

/// The cache file for `key` (the folders scanned, as given and where they are) in `dir`.
pub fn file_for(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{PREFIX}{:016x}{SUFFIX}", xxh3_64(key.as_bytes())))
}

/// A little-endian u64 at `at` of `data`.
fn u64_at(data: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(data[at..at + 8].try_into().expect("8 bytes"))
}

/// A little-endian u32 at `at` of `data`.
fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(data[at..at + 4].try_into().expect("4 bytes"))
}

impl Store {
    /// Map the cache file at `path`: its records when its head is whole and was written
    /// with `fingerprint`; none otherwise (a missing, torn, corrupt or other version's file
    /// is no error: it is rebuilt). Each record is checked against its hash when it is
    /// used, so a damaged record is a miss for its note alone.
    pub fn open(path: PathBuf, fingerprint: u64) -> Store {
        let mut store = Store {
            path,
            fingerprint,
            map: None,
            count: 0,
            buckets: Vec::new(),
            pending: Vec::new(),
            kept: Vec::new(),
            new: Mutex::new(Vec::new()),
        };
        let map = fs::File::open(&store.path).ok().and_then(|file| {
            // SAFETY: a cache file is only ever replaced whole by a rename, never written
            // or truncated in place (see `Store`), so the mapping stays as it was.
            unsafe { Mmap::map(&file) }.ok()
        });
        let Some(map) = map else { return store };
        let Some(count) = check_head(&map, fingerprint) else {
            return store;
        };
        let mut pending: Vec<u32> = vec![0; map.len().div_ceil(BLOCK)];
        for i in 0..count {
            let (start, len) = slot_range(&map, i);
            for block in &mut pending[start / BLOCK..(start + len).div_ceil(BLOCK)] {
                *block += 1;
            }
        }
        store.pending = pending.into_iter().map(AtomicU32::new).collect();
        store.kept = (0..count).map(|_| AtomicBool::new(false)).collect();
        let buckets = count.next_power_of_two();
        store.buckets = Vec::with_capacity(buckets + 1);
        for i in 0..count {
            let b = bucket(u64_at(&map, slot_at(i)), buckets);
            while store.buckets.len() <= b {
                store.buckets.push(i as u32);
            }
        }
        store.buckets.resize(buckets + 1, count as u32);
        store.count = count;
        store.map = Some(map);
        store
    }

    /// How many records the file mapped has.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the file mapped had no record.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The entry of the note at `path` (as shown) in customer folder `folder`, when its
    /// file's stamp is still `stamp` and its record is whole.
    pub fn get(&self, path: &str, folder: Option<&str>, stamp: Stamp) -> Option<Hit<'_>> {
        let map = self.map.as_deref()?;
        let key = xxh3_64(path.as_bytes());
        let b = bucket(key, self.buckets.len() - 1);
        let (slot, record, fields) = (self.buckets[b] as usize..self.buckets[b + 1] as usize)
            .filter(|&i| u64_at(map, slot_at(i)) == key)
            .find_map(|slot| {
                let (start, len) = slot_range(map, slot);
                let record = &map[start..start + len];
                let fields = Record::read(record).filter(|r| r.path == path.as_bytes())?;
                Some((slot, record, fields))
            })?;
        let hit = fields.folder == folder.map(str::as_bytes)
            && fields.stamp == stamp
            && xxh3_64(record) == u64_at(map, slot_at(slot) + 20);
        if !hit {
            self.looked_at(slot);
            return None;
        }
        Some(Hit {
            bytes: &record[fields.entry..],
            hash: fields.hash,
            slot,
            store: self,
        })
    }

    /// The record of `slot` has been looked at: its blocks go back to the system once
    /// every record in them has been (the file stays as it is: a block read again is
    /// read from the file).
    fn looked_at(&self, slot: usize) {
        let Some(map) = &self.map else { return };
        let (start, len) = slot_range(map, slot);
        // The head (the slots) is looked up for every note: never given back.
        let head = slot_at(self.count) + 8;
        for block in start / BLOCK..(start + len).div_ceil(BLOCK) {
            if self.pending[block].fetch_sub(1, Ordering::AcqRel) == 1 && block * BLOCK >= head {
                let len = BLOCK.min(map.len() - block * BLOCK);
                #[cfg(unix)]
                // SAFETY: the mapping is read only and shared, and every record in the block
                // has been looked at, so nothing reads it any more; a page that is read again
                // all the same is read from the file, which is unchanged (see `Store`), so its
                // bytes are the same.
                let _ = unsafe {
                    map.unchecked_advise_range(UncheckedAdvice::DontNeed, block * BLOCK, len)
                };
                #[cfg(not(unix))]
                let _ = len;
            }
        }
    }

    /// Keep a loaded entry for the next run.
    pub fn keep(&self, hit: &Hit<'_>) {
        self.kept[hit.slot].store(true, Ordering::Relaxed);
    }

    /// Keep a new entry for the note at `path`: its file's stamp and hash, and its bytes.
    pub fn put(&self, path: &str, folder: Option<&str>, stamp: Stamp, hash: u64, entry: &[u8]) {
        let mut bytes = Vec::with_capacity(RECORD_FIXED + 9 + path.len() + entry.len());
        for n in [stamp.size, stamp.modified, stamp.changed, stamp.inode, hash] {
            bytes.extend_from_slice(&n.to_le_bytes());
        }
        put_text(&mut bytes, path.as_bytes());
        match folder {
            Some(f) => {
                bytes.push(1);
                put_text(&mut bytes, f.as_bytes());
            }
            None => bytes.push(0),
        }
        bytes.extend_from_slice(entry);
        let record = NewRecord {
            key: xxh3_64(path.as_bytes()),
            path: path.to_owned(),
            sum: xxh3_64(&bytes),
            bytes,
        };
        self.new
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(record);
    }

    /// Write the entries kept this run, when they differ from the file's: through a
    /// temporary file renamed over it, so that a run reading it (or racing to write it)
    /// sees the old file or the new one, never a part. The last writer wins. Then the
    /// least recently written cache files beyond [`MAX_FILES`] are removed.
    pub fn save(self) -> io::Result<()> {
        let new = self
            .new
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let kept = self.kept.iter().filter(|k| k.load(Ordering::Relaxed));
        if new.is_empty() && kept.count() == self.count && self.map.is_some() {
            return Ok(());
        }
        let map = self.map.as_deref().unwrap_or_default();
        let old = (0..self.count)
            .filter(|&i| self.kept[i].load(Ordering::Relaxed))
            .map(|slot| {
                let (start, len) = slot_range(map, slot);
                let bytes = &map[start..start + len];
                Row {
                    key: u64_at(map, slot_at(slot)),
                    path: Record::read(bytes).map_or(&[][..], |r| r.path),
                    bytes,
                    sum: u64_at(map, slot_at(slot) + 20),
                }
            });
        let mut rows: Vec<Row<'_>> = old
            .chain(new.iter().map(|n| Row {
                key: n.key,
                path: n.path.as_bytes(),
                bytes: &n.bytes,
                sum: n.sum,
            }))
            .collect();
        // Records in path order, the order a walk asks for them in.
        rows.sort_by(|a, b| a.path.cmp(b.path));
        rows.dedup_by(|a, b| a.path == b.path);
        let records_start = slot_at(rows.len()) + 8;
        let total = rows.iter().map(|r| r.bytes.len()).sum::<usize>() + records_start;
        if total > MAX_BYTES {
            // Too big to be worth reading back: no cache for this folder.
            drop(self.map);
            return match fs::remove_file(&self.path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let mut slots = Vec::with_capacity(rows.len());
        let mut at = records_start;
        for row in &rows {
            slots.push((row.key, at, row.bytes.len(), row.sum));
            at += row.bytes.len();
        }
        slots.sort_unstable();
        let mut head = Vec::with_capacity(records_start);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&self.fingerprint.to_le_bytes());
        head.extend_from_slice(&(total as u64).to_le_bytes());
        head.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (key, start, len, sum) in slots {
            head.extend_from_slice(&key.to_le_bytes());
            head.extend_from_slice(&(start as u64).to_le_bytes());
            head.extend_from_slice(&(len as u32).to_le_bytes());
            head.extend_from_slice(&sum.to_le_bytes());
        }
        let head_sum = xxh3_64(&head);
        head.extend_from_slice(&head_sum.to_le_bytes());
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_dir(dir)?;
        let tmp = tempfile::Builder::new()
            .prefix(".notes-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let mut out = io::BufWriter::with_capacity(1 << 16, tmp);
        out.write_all(&head)?;
        for row in &rows {
            out.write_all(row.bytes)?;
        }
        let tmp = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        drop(rows);
        // Unmapped before the rename: Windows renames no file over a mapped one.
        drop(self.map);
        // No sync: a file torn by a crash fails its checks and is rebuilt.
        tmp.persist(&self.path).map_err(|e| e.error)?;
        prune(dir)
    }
}

/// The offset of slot `i` in a file.
fn slot_at(i: usize) -> usize {
    HEADER + i * SLOT
}

/// Where the record of slot `i` is (checked against the file's length when it was opened).
fn slot_range(map: &[u8], i: usize) -> (usize, usize) {
    let at = slot_at(i);
    (u64_at(map, at + 8) as usize, u32_at(map, at + 16) as usize)
}

/// The range of `buckets` (a power of two) a path's hash falls in: its top bits.
fn bucket(key: u64, buckets: usize) -> usize {
    key.checked_shr(64 - buckets.trailing_zeros()).unwrap_or(0) as usize
}

/// The number of slots of a cache file's bytes, or `None` when its head is not whole, of
/// this layout, written with `fingerprint`, for a file of this length, with every record
/// inside the file.
fn check_head(data: &[u8], fingerprint: u64) -> Option<usize> {
    let header = data.get(..HEADER)?;
    if &header[..8] != MAGIC
        || u64_at(header, 8) != fingerprint
        || u64_at(header, 16) != data.len() as u64
    {
        return None;
    }
    let count = u32_at(header, 24) as usize;
    let head_len = slot_at(count).checked_add(8).filter(|&n| n <= data.len())?;
    if u64_at(data, head_len - 8) != xxh3_64(&data[..head_len - 8]) {
        return None;
    }
    let inside = (0..count).all(|i| {
        let (start, len) = slot_range(data, i);
        start >= head_len && start.checked_add(len).is_some_and(|end| end <= data.len())
    });
    inside.then_some(count)
}

/// A record's fields, read from its bytes: its stamp and hash, its path and folder, and
/// where its entry starts.
struct Record<'a> {
    stamp: Stamp,
    hash: u64,
    path: &'a [u8],
    folder: Option<&'a [u8]>,
    entry: usize,
}

impl<'a> Record<'a> {
    /// The fields of `record`, or `None` when it is not one.
    fn read(record: &'a [u8]) -> Option<Record<'a>> {
        let mut r = Reader {
            data: record,
            at: 0,
        };
        let stamp = Stamp {
            size: r.u64()?,
            modified: r.u64()?,
            changed: r.u64()?,
            inode: r.u64()?,
        };
        let hash = r.u64()?;
        let path = r.text()?;
        let folder = match r.take(1)?[0] {
            0 => None,
            1 => Some(r.text()?),
            _ => return None,
        };
        Some(Record {
            stamp,
            hash,
            path,
            folder,
            entry: r.at,
        })
    }
}

/// Append a length-prefixed text.
fn put_text(out: &mut Vec<u8>, text: &[u8]) {
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text);
}

/// Reads a record's fields, never past its end.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len())?;
        let s = &self.data[self.at..end];
        self.at = end;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A length-prefixed text.
    fn text(&mut self) -> Option<&'a [u8]> {
        let len = self.u32()? as usize;
        self.take(len)
    }
}

/// Create the cache folder, marked as a cache for backup tools (`CACHEDIR.TAG`, as
/// cargo's and ruff's are).
fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join("CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55\n\
         # This file is a cache directory tag created by followup.\n",
    )
}

/// The cache files in `dir`, with their sizes and modification times.
fn cache_files(dir: &Path) -> io::Result<Vec<(PathBuf, u64, SystemTime)>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = (name.starts_with(PREFIX) && name.ends_with(SUFFIX))
            || (name.starts_with(".notes-") && name.ends_with(".tmp"));
        if !ours {
            continue;
        }
        let meta = entry.metadata()?;
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        files.push((entry.path(), meta.len(), modified));
    }
    Ok(files)
}

/// Remove the least recently written cache files beyond [`MAX_FILES`].
fn prune(dir: &Path) -> io::Result<()> {
    let mut files: Vec<_> = cache_files(dir)?
        .into_iter()
        .filter(|(p, ..)| p.extension().is_some_and(|e| e == "cache"))
        .collect();
    if files.len() <= MAX_FILES {
        return Ok(());
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.2));
    for (path, ..) in &files[MAX_FILES..] {
        let _ = fs::remove_file(path);
    }
    Ok(())
}

/// Remove every cache file followup wrote in `dir` (and nothing else): how many, and
/// their bytes.
pub fn clean(dir: &Path) -> io::Result<(usize, u64)> {
    let files = match cache_files(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((0, 0)),
        r => r?,
    };
    let mut removed = (0, 0);
    for (path, size, _) in files {
        match fs::remove_file(&path) {
            Ok(()) => {
                removed.0 += 1;
                removed.1 += size;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u64) -> Stamp {
        Stamp {
            size: n,
            modified: 1,
            changed: 2,
            inode: 3,
        }
    }

    #[test]
    fn entries_round_trip_and_a_damaged_file_is_no_cache() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let path = file_for(&dir, "notes");
        let store = Store::open(path.clone(), 7);
        assert!(store.is_empty());
        store.put("b.md", None, stamp(2), 22, b"bee");
        store.put("a/x.md", Some("a"), stamp(1), 11, b"ay");
        store.save().unwrap();
        assert!(dir.join("CACHEDIR.TAG").is_file(), "a folder it made");

        let store = Store::open(path.clone(), 7);
        assert_eq!(store.len(), 2);
        let hit = store.get("a/x.md", Some("a"), stamp(1)).unwrap();
        assert_eq!((hit.bytes, hit.hash), (&b"ay"[..], 11));
        assert!(
            store.get("a/x.md", None, stamp(1)).is_none(),
            "other folder"
        );
        assert!(
            store.get("a/x.md", Some("a"), stamp(9)).is_none(),
            "changed"
        );
        assert!(store.get("c.md", None, stamp(1)).is_none());
        // Only a.md is seen again: b.md goes.
        store.keep(&hit);
        drop(hit);
        store.save().unwrap();
        let store = Store::open(path.clone(), 7);
        assert_eq!(store.len(), 1);
        // Nothing changed: the file is not written again.
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        let hit = store.get("a/x.md", Some("a"), stamp(1)).unwrap();
        store.keep(&hit);
        drop(hit);
        store.save().unwrap();
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);

        assert_eq!(Store::open(path.clone(), 8).len(), 0, "other fingerprint");
        let good = fs::read(&path).unwrap();
        for cut in [0, 8, good.len() / 2, good.len() - 1] {
            fs::write(&path, &good[..cut]).unwrap();
            assert_eq!(Store::open(path.clone(), 7).len(), 0, "torn at {cut}");
        }
        let mut flipped = good.clone();
        flipped[30] ^= 1;
        fs::write(&path, &flipped).unwrap();
        assert_eq!(Store::open(path.clone(), 7).len(), 0, "flipped bit");
    }

    #[test]
    fn a_damaged_record_is_a_miss_for_its_note_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let path = file_for(tmp.path(), "notes");
        let store = Store::open(path.clone(), 7);
        store.put("a.md", None, stamp(1), 11, b"ay");
        store.put("b.md", None, stamp(2), 22, b"bee");
        store.save().unwrap();
        let mut bytes = fs::read(&path).unwrap();
        // The last byte of the last record, b.md's.
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(&path, &bytes).unwrap();
        let store = Store::open(path.clone(), 7);
        assert_eq!(store.len(), 2);
        assert!(store.get("b.md", None, stamp(2)).is_none());
        let hit = store.get("a.md", None, stamp(1)).unwrap();
        assert_eq!(hit.bytes, b"ay");
        store.keep(&hit);
        drop(hit);
        store.save().unwrap();
        assert_eq!(
            Store::open(path.clone(), 7).len(),
            1,
            "written again without it"
        );
    }

    #[test]
    fn blocks_given_back_are_read_again_from_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = file_for(tmp.path(), "notes");
        let store = Store::open(path.clone(), 7);
        let entry = |i: usize| vec![i as u8; 10_000 + i];
        let name = |i: usize| format!("n/{i:04}.md");
        for i in 0..300 {
            store.put(&name(i), Some("n"), stamp(i as u64), 0, &entry(i));
        }
        store.save().unwrap();
        let store = Store::open(path.clone(), 7);
        assert!(store.pending.len() > 2, "records over several blocks");
        let read_all = || {
            for i in 0..300 {
                let hit = store.get(&name(i), Some("n"), stamp(i as u64)).unwrap();
                assert_eq!(hit.bytes, entry(i), "record {i}");
            }
        };
        read_all();
        let pending = store.pending.iter().map(|p| p.load(Ordering::Relaxed));
        assert_eq!(pending.max(), Some(0), "every record looked at");
        // Every block has been given back: read again from the file.
        read_all();
    }

    #[test]
    fn the_folder_keeps_a_bounded_number_of_files_and_cleans_only_its_own() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("mine.txt"), "keep").unwrap();
        for i in 0..MAX_FILES + 3 {
            let store = Store::open(file_for(dir.path(), &i.to_string()), 1);
            store.put("a.md", None, stamp(1), 1, &[1]);
            store.save().unwrap();
        }
        let (files, bytes) = clean(dir.path()).unwrap();
        assert_eq!(files, MAX_FILES);
        assert!(bytes > 0);
        assert!(dir.path().join("mine.txt").is_file());
        assert_eq!(clean(&dir.path().join("none")).unwrap(), (0, 0));
    }

    #[test]
    fn a_file_changed_just_now_is_racy() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let at = |s: u64| Stamp {
            modified: s * 1_000_000_000,
            changed: s * 1_000_000_000,
            ..stamp(1)
        };
        assert!(!at(900).is_racy(now));
        assert!(at(999).is_racy(now));
        assert!(at(1_001).is_racy(now), "from the future");
    }
}
