//! The cache file: one per set of scanned folders, in the cache folder, holding one
//! record per note: the note's path, folder and file [`Stamp`], and its serialised entry.
//!
//! Layout (integers little-endian). The header: the magic `FUCACHE3`; the fingerprint (u64)
//! of what the entries depend on; the file's length (u64); the record count (u32); where the
//! table starts (u64). Then the records, in path order: the stamp (four u64), the hash of the
//! note's file's bytes (u64), the path, the folder (a flag byte, then the text when there is
//! one; texts are a u32 length and the bytes), and the entry's bytes to the record's end.
//! Then the table: one slot per record, sorted by the xxh3 hash of the record's path (u64),
//! then where the record starts (u64), its length (u32) and the xxh3 hash of its bytes
//! (u64); last, the xxh3 hash (u64) of the header and the table. The header and the table
//! are the head: the table comes last so that the records can be written as the scan hands
//! its notes on, and the header is written at the end over the zeros that held its place.
//!
//! A file whose head is not whole, or not of this version, is ignored and replaced. A
//! record is checked against its hash only when its note asks for it, so that a run never
//! reads the file in one pass: a damaged record is a miss for its note alone (and the file
//! is written again without it).

use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use memmap2::Mmap;
#[cfg(unix)]
use memmap2::UncheckedAdvice;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// The first bytes of every cache file; a new layout gets a new one.
const MAGIC: &[u8; 8] = b"FUCACHE3";

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

/// The bytes of the header: the magic, the fingerprint, the file's length, the count and
/// where the table starts.
const HEADER: usize = 36;

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

/// A record of this run waiting for its turn: the scan hands its notes on in path order
/// a chunk at a time, and a chunk's records come in the order its workers finish them.
enum Waiting {
    /// A record of the mapped file, kept: its slot there, and its path.
    Old { slot: usize, path: Box<[u8]> },
    /// A record made this run.
    New(NewRecord),
}

impl Waiting {
    fn path(&self) -> &[u8] {
        match self {
            Waiting::Old { path, .. } => path,
            Waiting::New(n) => n.path.as_bytes(),
        }
    }
}

/// A record placed in the file being written: its path's hash, where it starts, its length
/// and its hash (offsets fit in a u32: the file is at most [`MAX_BYTES`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    key: u64,
    start: u32,
    len: u32,
    sum: u64,
}

impl Slot {
    fn new(key: u64, start: usize, len: usize, sum: u64) -> Slot {
        Slot {
            key,
            start: start as u32,
            len: len as u32,
            sum,
        }
    }
}

/// Where the file being written is.
enum Out {
    /// No record has changed yet: the records placed are where they are in the mapped file
    /// (see [`Writing::unchanged`]), and nothing is written unless one changes.
    Unopened,
    /// The temporary file, written up to the records placed.
    Open(io::BufWriter<tempfile::NamedTempFile>),
    /// Over [`MAX_BYTES`]: the folder gets no cache.
    Over,
    /// Not writable: the old file stays.
    Failed(io::Error),
}

/// The file this run writes: the records of its notes, placed in path order as the scan
/// hands them on, so that memory holds only the records of a chunk.
struct Writing {
    /// Records not yet placed.
    waiting: Vec<Waiting>,
    /// The records placed while the file is [`Out::Unopened`]: the mapped file's slots.
    unchanged: Vec<u32>,
    /// The records placed in the temporary file, in path order.
    slots: Vec<Slot>,
    /// The bytes of the header and of the records placed.
    len: usize,
    out: Out,
}

impl Writing {
    fn new() -> Writing {
        Writing {
            waiting: Vec::new(),
            unchanged: Vec::new(),
            slots: Vec::new(),
            len: HEADER,
            out: Out::Unopened,
        }
    }
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
    /// The file, when there was one of this layout and fingerprint: mapped, and open to
    /// copy the records kept (read, not through the mapping, so that the copy does not
    /// bring the blocks already given back into memory again).
    map: Option<(Mmap, fs::File)>,
    /// How many slots it has.
    count: usize,
    /// Where its table starts.
    table: usize,
    /// Where the slots of each range of path hashes start: the slots of the hashes whose
    /// top bits are `b` are `buckets[b]..buckets[b + 1]` (the hashes are spread evenly,
    /// so each range holds about one, found without a search through the table).
    buckets: Vec<u32>,
    /// Per block of the file, how many records in it are still to be looked at.
    pending: Vec<AtomicU32>,
    /// The largest file written ([`MAX_BYTES`]; smaller in tests).
    max_bytes: usize,
    /// The file written for the next run.
    writing: Mutex<Writing>,
}

/// What [`Store::get`] found for a note: its record's blocks may be given back once it
/// is dropped.
pub struct Hit<'a> {
    /// The entry's bytes.
    pub bytes: &'a [u8],
    /// The hash of the note's file's bytes.
    pub hash: u64,
    path: &'a [u8],
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
            table: 0,
            buckets: Vec::new(),
            pending: Vec::new(),
            max_bytes: MAX_BYTES,
            writing: Mutex::new(Writing::new()),
        };
        let Ok(file) = fs::File::open(&store.path) else {
            return store;
        };
        // SAFETY: a cache file is only ever replaced whole by a rename, never written
        // or truncated in place (see `Store`), so the mapping stays as it was.
        let Ok(map) = (unsafe { Mmap::map(&file) }) else {
            return store;
        };
        let Some((count, table)) = check_head(&map, fingerprint) else {
            return store;
        };
        let mut pending: Vec<u32> = vec![0; map.len().div_ceil(BLOCK)];
        for i in 0..count {
            let (start, len) = slot_range(&map, table, i);
            for block in &mut pending[start / BLOCK..(start + len).div_ceil(BLOCK)] {
                *block += 1;
            }
        }
        store.pending = pending.into_iter().map(AtomicU32::new).collect();
        let buckets = count.next_power_of_two();
        store.buckets = Vec::with_capacity(buckets + 1);
        for i in 0..count {
            let b = bucket(u64_at(&map, slot_at(table, i)), buckets);
            while store.buckets.len() <= b {
                store.buckets.push(i as u32);
            }
        }
        store.buckets.resize(buckets + 1, count as u32);
        store.count = count;
        store.table = table;
        store.map = Some((map, file));
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
        let map = self.map.as_ref()?.0.as_ref();
        let key = xxh3_64(path.as_bytes());
        let b = bucket(key, self.buckets.len() - 1);
        let (slot, record, fields) = (self.buckets[b] as usize..self.buckets[b + 1] as usize)
            .filter(|&i| u64_at(map, slot_at(self.table, i)) == key)
            .find_map(|slot| {
                let (start, len) = slot_range(map, self.table, slot);
                let record = &map[start..start + len];
                let fields = Record::read(record).filter(|r| r.path == path.as_bytes())?;
                Some((slot, record, fields))
            })?;
        let hit = fields.folder == folder.map(str::as_bytes)
            && fields.stamp == stamp
            && xxh3_64(record) == u64_at(map, slot_at(self.table, slot) + 20);
        if !hit {
            self.looked_at(slot);
            return None;
        }
        Some(Hit {
            bytes: &record[fields.entry..],
            hash: fields.hash,
            path: fields.path,
            slot,
            store: self,
        })
    }

    /// The record of `slot` has been looked at: its blocks go back to the system once
    /// every record in them has been (the file stays as it is: a block read again is
    /// read from the file).
    fn looked_at(&self, slot: usize) {
        let Some((map, _)) = &self.map else { return };
        #[cfg(not(unix))]
        let _ = map;
        let (start, len) = slot_range(map, self.table, slot);
        for block in start / BLOCK..(start + len).div_ceil(BLOCK) {
            // The table is looked up for every note: its blocks are never given back.
            let records_only = (block + 1) * BLOCK <= self.table;
            if self.pending[block].fetch_sub(1, Ordering::AcqRel) == 1 && records_only {
                #[cfg(unix)]
                // SAFETY: the mapping is read only and shared, and every record in the block
                // has been looked at, so nothing reads it any more; a page that is read again
                // all the same is read from the file, which is unchanged (see `Store`), so its
                // bytes are the same.
                let _ = unsafe {
                    map.unchecked_advise_range(UncheckedAdvice::DontNeed, block * BLOCK, BLOCK)
                };
            }
        }
    }

    /// The file being written, whatever a panicking worker left it as.
    fn writing(&self) -> std::sync::MutexGuard<'_, Writing> {
        self.writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keep a loaded entry for the next run.
    pub fn keep(&self, hit: &Hit<'_>) {
        let path = hit.path.into();
        self.writing().waiting.push(Waiting::Old {
            slot: hit.slot,
            path,
        });
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
        self.writing().waiting.push(Waiting::New(record));
    }

    /// Place the records kept or made so far, in path order, writing them to the temporary
    /// file from the first one that differs from the mapped file's: call it whenever every
    /// record before the scan's next note is in (between its chunks), so that memory holds
    /// no more than a chunk's records. (Records placed out of path order are read back all
    /// the same, only with less locality.)
    pub fn flush(&self) {
        let mut writing = self.writing();
        if !writing.waiting.is_empty() {
            self.place(&mut writing);
        }
    }

    /// Place the records waiting (see [`Store::flush`]).
    fn place(&self, w: &mut Writing) {
        let mut waiting = std::mem::take(&mut w.waiting);
        if matches!(w.out, Out::Over | Out::Failed(_)) {
            return;
        }
        waiting.sort_by(|a, b| a.path().cmp(b.path()));
        waiting.dedup_by(|a, b| a.path() == b.path());
        let changed = waiting.iter().any(|r| matches!(r, Waiting::New(_)));
        if changed && matches!(w.out, Out::Unopened) {
            self.open_out(w);
        }
        let mut copy = CopyRun::default();
        for record in &waiting {
            let (key, len, sum, old) = match record {
                Waiting::Old { slot, .. } => {
                    let (map, at) = (self.mapped(), slot_at(self.table, *slot));
                    let (start, len) = slot_range(map, self.table, *slot);
                    (u64_at(map, at), len, u64_at(map, at + 20), Some(start))
                }
                Waiting::New(n) => (n.key, n.bytes.len(), n.sum, None),
            };
            // The file with this record and its slot, and the table's hash.
            let records = w.unchanged.len() + w.slots.len() + 1;
            if w.len + len + records * SLOT + 8 > self.max_bytes {
                // Too big to be worth reading back: no cache for this folder.
                w.out = Out::Over;
                (w.unchanged, w.slots) = (Vec::new(), Vec::new());
                return;
            }
            let written = match (&mut w.out, old, record) {
                // Unchanged so far: the record stays where it is in the mapped file.
                (Out::Unopened, Some(_), Waiting::Old { slot, .. }) => {
                    w.unchanged.push(*slot as u32);
                    w.len += len;
                    continue;
                }
                (Out::Open(out), Some(start), _) => copy.add(self, start, len, out),
                (Out::Open(out), None, Waiting::New(n)) => {
                    copy.write(self, out).and_then(|()| out.write_all(&n.bytes))
                }
                // Not writable (a new record opens the file).
                _ => return,
            };
            if let Err(e) = written {
                w.out = Out::Failed(e);
                return;
            }
            w.slots.push(Slot::new(key, w.len, len, sum));
            w.len += len;
        }
        if let Out::Open(out) = &mut w.out {
            if let Err(e) = copy.write(self, out) {
                w.out = Out::Failed(e);
            }
        }
    }

    /// The mapped file's bytes (empty when there is none).
    fn mapped(&self) -> &[u8] {
        self.map.as_ref().map_or(&[], |m| &m.0[..])
    }

    /// Open the temporary file, and copy into it the records placed so far (all of them the
    /// mapped file's, unchanged).
    fn open_out(&self, w: &mut Writing) {
        let opened = (|| {
            let dir = self.path.parent().unwrap_or(Path::new("."));
            create_dir(dir)?;
            let tmp = tempfile::Builder::new()
                .prefix(".notes-")
                .suffix(".tmp")
                .tempfile_in(dir)?;
            let mut out = io::BufWriter::with_capacity(1 << 16, tmp);
            // The header's place: written last.
            out.write_all(&[0; HEADER])?;
            let mut copy = CopyRun::default();
            let mut at = HEADER;
            let map = self.mapped();
            for slot in std::mem::take(&mut w.unchanged) {
                let i = slot_at(self.table, slot as usize);
                let (start, len) = slot_range(map, self.table, slot as usize);
                copy.add(self, start, len, &mut out)?;
                w.slots
                    .push(Slot::new(u64_at(map, i), at, len, u64_at(map, i + 20)));
                at += len;
            }
            copy.write(self, &mut out)?;
            Ok(out)
        })();
        w.out = match opened {
            Ok(out) => Out::Open(out),
            Err(e) => Out::Failed(e),
        };
    }

    /// Write the entries kept this run, when they differ from the file's: the records not
    /// placed yet, then the table and the header, in a temporary file renamed over the old
    /// one, so that a run reading it (or racing to write it) sees the old file or the new
    /// one, never a part. The last writer wins. Then the least recently written cache files
    /// beyond [`MAX_FILES`] are removed.
    pub fn save(self) -> io::Result<()> {
        let mut w = std::mem::replace(&mut *self.writing(), Writing::new());
        self.place(&mut w);
        if matches!(w.out, Out::Unopened) {
            if w.unchanged.len() == self.count && self.map.is_some() {
                return Ok(());
            }
            // Notes gone (or no file yet): the file is written without them.
            self.open_out(&mut w);
        }
        // Unmapped before the rename (Windows renames no file over a mapped or open one).
        drop(self.map);
        let mut out = match w.out {
            Out::Open(out) => out,
            Out::Failed(e) => return Err(e),
            Out::Over => {
                return match fs::remove_file(&self.path) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            }
            // Opened above, or failed.
            Out::Unopened => return Ok(()),
        };
        let table = w.len;
        let total = table + w.slots.len() * SLOT + 8;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&self.fingerprint.to_le_bytes());
        header.extend_from_slice(&(total as u64).to_le_bytes());
        header.extend_from_slice(&(w.slots.len() as u32).to_le_bytes());
        header.extend_from_slice(&(table as u64).to_le_bytes());
        let mut sum = Xxh3::new();
        sum.update(&header);
        w.slots.sort_unstable();
        for s in &w.slots {
            let mut slot = [0; SLOT];
            slot[..8].copy_from_slice(&s.key.to_le_bytes());
            slot[8..16].copy_from_slice(&u64::from(s.start).to_le_bytes());
            slot[16..20].copy_from_slice(&s.len.to_le_bytes());
            slot[20..].copy_from_slice(&s.sum.to_le_bytes());
            sum.update(&slot);
            out.write_all(&slot)?;
        }
        out.write_all(&sum.digest().to_le_bytes())?;
        out.seek(io::SeekFrom::Start(0))?;
        out.write_all(&header)?;
        let tmp = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        // No sync: a file torn by a crash fails its checks and is rebuilt.
        tmp.persist(&self.path).map_err(|e| e.error)?;
        prune(self.path.parent().unwrap_or(Path::new(".")))
    }
}

/// A run of the mapped file's bytes to copy: records next to each other there are copied
/// in one read.
#[derive(Default)]
struct CopyRun {
    start: usize,
    len: usize,
}

impl CopyRun {
    /// Copy the record at `start` of `len` bytes: now, or with the run it continues.
    fn add(
        &mut self,
        store: &Store,
        start: usize,
        len: usize,
        out: &mut impl Write,
    ) -> io::Result<()> {
        if self.start + self.len != start {
            self.write(store, out)?;
            self.start = start;
        }
        self.len += len;
        Ok(())
    }

    /// Copy the run gathered so far.
    fn write(&mut self, store: &Store, out: &mut impl Write) -> io::Result<()> {
        if self.len == 0 {
            return Ok(());
        }
        let Some((_, file)) = &store.map else {
            return Err(io::ErrorKind::NotFound.into());
        };
        let mut file: &fs::File = file;
        file.seek(io::SeekFrom::Start(self.start as u64))?;
        let copied = io::copy(&mut file.take(self.len as u64), out)?;
        if copied != self.len as u64 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.len = 0;
        Ok(())
    }
}

/// The offset of slot `i` in a file whose table starts at `table`.
fn slot_at(table: usize, i: usize) -> usize {
    table + i * SLOT
}

/// Where the record of slot `i` is (checked against the file's length when it was opened).
fn slot_range(map: &[u8], table: usize, i: usize) -> (usize, usize) {
    let at = slot_at(table, i);
    (u64_at(map, at + 8) as usize, u32_at(map, at + 16) as usize)
}

/// The range of `buckets` (a power of two) a path's hash falls in: its top bits.
fn bucket(key: u64, buckets: usize) -> usize {
    key.checked_shr(64 - buckets.trailing_zeros()).unwrap_or(0) as usize
}

/// The number of slots of a cache file's bytes and where its table starts, or `None` when
/// its head is not whole, of this layout, written with `fingerprint`, for a file of this
/// length, with every record between the header and the table.
fn check_head(data: &[u8], fingerprint: u64) -> Option<(usize, usize)> {
    let header = data.get(..HEADER)?;
    if &header[..8] != MAGIC
        || u64_at(header, 8) != fingerprint
        || u64_at(header, 16) != data.len() as u64
    {
        return None;
    }
    let count = u32_at(header, 24) as usize;
    let table = usize::try_from(u64_at(header, 28)).ok()?;
    let end = count
        .checked_mul(SLOT)
        .and_then(|n| n.checked_add(table)?.checked_add(8))
        .filter(|&end| end == data.len() && table >= HEADER)?;
    let mut sum = Xxh3::new();
    sum.update(header);
    sum.update(&data[table..end - 8]);
    if u64_at(data, end - 8) != sum.digest() {
        return None;
    }
    let inside = (0..count).all(|i| {
        let (start, len) = slot_range(data, table, i);
        start >= HEADER && start.checked_add(len).is_some_and(|end| end <= table)
    });
    inside.then_some((count, table))
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

/// A temporary file not written to for this long was left by a run that was stopped (a
/// run writes its temporary file as it goes, a chunk of notes at a time).
const STALE: Duration = Duration::from_secs(60 * 60);

/// Remove the least recently written cache files beyond [`MAX_FILES`], and the temporary
/// files of runs that were stopped.
fn prune(dir: &Path) -> io::Result<()> {
    let (mut files, temporary): (Vec<_>, Vec<_>) = cache_files(dir)?
        .into_iter()
        .partition(|(p, ..)| p.extension().is_some_and(|e| e == "cache"));
    let now = SystemTime::now();
    for (path, _, modified) in temporary {
        if now.duration_since(modified).is_ok_and(|d| d > STALE) {
            let _ = fs::remove_file(path);
        }
    }
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

    /// The cache files and temporary files in `dir`.
    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(PREFIX) || n.starts_with(".notes-"))
            .collect();
        names.sort();
        names
    }

    /// Where each record of the file at `path` starts, for the paths given.
    fn starts(path: &Path, names: &[&str]) -> Vec<usize> {
        let store = Store::open(path.to_owned(), 7);
        let base = store.mapped().as_ptr() as usize;
        names
            .iter()
            .map(|n| {
                let hit = store.get(n, None, stamp(n.len() as u64)).expect(n);
                hit.bytes.as_ptr() as usize - base
            })
            .collect()
    }

    #[test]
    fn records_kept_and_made_are_written_as_they_come_in_path_order() {
        let tmp = tempfile::tempdir().unwrap();
        let path = file_for(tmp.path(), "notes");
        let put = |store: &Store, name: &str| {
            store.put(name, None, stamp(name.len() as u64), 1, name.as_bytes());
        };
        let store = Store::open(path.clone(), 7);
        for name in ["c.md", "a.md", "gg.md", "e.md"] {
            put(&store, name);
        }
        store.save().unwrap();
        let before = fs::read(&path).unwrap();

        // A run that sees a.md unchanged, then a new b.md, c.md unchanged, d.md new, e.md
        // unchanged, a new f.md; gg.md has gone. Each chunk comes in any order.
        let store = Store::open(path.clone(), 7);
        let keep = |name: &str| {
            let hit = store.get(name, None, stamp(name.len() as u64)).unwrap();
            store.keep(&hit);
        };
        keep("a.md");
        store.flush();
        assert_eq!(
            files_in(tmp.path()).len(),
            1,
            "nothing written while unchanged"
        );
        put(&store, "b.md");
        keep("c.md");
        store.flush();
        assert_eq!(
            files_in(tmp.path()).len(),
            2,
            "written from the first change"
        );
        keep("e.md");
        put(&store, "d.md");
        store.flush();
        put(&store, "f.md");
        assert_eq!(fs::read(&path).unwrap(), before, "the old file as it was");
        store.save().unwrap();

        let names = ["a.md", "b.md", "c.md", "d.md", "e.md", "f.md"];
        let store = Store::open(path.clone(), 7);
        assert_eq!(store.len(), names.len());
        assert!(store.get("gg.md", None, stamp(5)).is_none());
        for name in names {
            let hit = store.get(name, None, stamp(name.len() as u64)).unwrap();
            assert_eq!(hit.bytes, name.as_bytes());
        }
        let at = starts(&path, &names);
        assert!(at.windows(2).all(|w| w[0] < w[1]), "path order: {at:?}");
        assert_eq!(
            files_in(tmp.path()),
            [path.file_name().unwrap().to_str().unwrap()]
        );
    }

    #[test]
    fn an_interrupted_write_leaves_the_old_file_and_no_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = file_for(tmp.path(), "notes");
        let store = Store::open(path.clone(), 7);
        store.put("a.md", None, stamp(4), 1, b"a");
        store.flush();
        assert_eq!(files_in(tmp.path()).len(), 1, "a temporary file");
        // A run that ends before its save (an error, a panic): no file.
        drop(store);
        assert!(files_in(tmp.path()).is_empty());

        let store = Store::open(path.clone(), 7);
        store.put("a.md", None, stamp(4), 1, b"a");
        store.save().unwrap();
        let before = fs::read(&path).unwrap();
        let store = Store::open(path.clone(), 7);
        store.put("b.md", None, stamp(4), 1, b"b");
        store.flush();
        drop(store);
        assert_eq!(fs::read(&path).unwrap(), before);
        assert_eq!(files_in(tmp.path()).len(), 1, "the old file alone");
    }

    #[test]
    fn a_file_that_would_grow_past_the_bound_is_dropped_with_the_old_one() {
        let tmp = tempfile::tempdir().unwrap();
        let path = file_for(tmp.path(), "notes");
        let store = Store::open(path.clone(), 7);
        store.put("a.md", None, stamp(4), 1, b"a");
        store.save().unwrap();
        let mut store = Store::open(path.clone(), 7);
        store.max_bytes = 4000;
        let entry = [7; 1000];
        let keep = store.get("a.md", None, stamp(4)).unwrap();
        store.keep(&keep);
        drop(keep);
        store.put("b.md", None, stamp(4), 1, &entry);
        store.flush();
        assert_eq!(files_in(tmp.path()).len(), 2, "under the bound: written");
        for name in ["c.md", "d.md", "e.md"] {
            store.put(name, None, stamp(4), 1, &entry);
        }
        store.flush();
        assert_eq!(files_in(tmp.path()).len(), 1, "the temporary file dropped");
        store.put("f.md", None, stamp(4), 1, b"f");
        store.save().unwrap();
        assert!(files_in(tmp.path()).is_empty(), "no cache for this folder");
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
        // The last byte of the last record, b.md's, just before the table.
        let table = u64_at(&bytes, 28) as usize;
        bytes[table - 1] ^= 1;
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
        // A stopped run's temporary file, and one being written.
        let stopped = dir.path().join(".notes-stopped.tmp");
        let running = dir.path().join(".notes-running.tmp");
        fs::write(&running, "").unwrap();
        fs::File::create(&stopped)
            .unwrap()
            .set_modified(SystemTime::now() - STALE * 2)
            .unwrap();
        for i in 0..MAX_FILES + 3 {
            let store = Store::open(file_for(dir.path(), &i.to_string()), 1);
            store.put("a.md", None, stamp(1), 1, &[1]);
            store.save().unwrap();
        }
        assert!(!stopped.exists() && running.exists());
        let (files, bytes) = clean(dir.path()).unwrap();
        assert_eq!(
            files,
            MAX_FILES + 1,
            "the cache files and the temporary one"
        );
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
