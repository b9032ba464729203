//! The cache file: one per set of scanned folders, in the cache folder, holding one
//! serialised entry per note under the note's path and its file's [`Stamp`].
//!
//! Layout (integers little-endian): the magic `FUCACHE1`; the fingerprint (u64) of what
//! the entries depend on; the entry count (u32); per entry its path, its folder (a flag
//! byte, then the text when there is one; texts are a u32 length and the bytes), its
//! stamp (four u64), the hash of its file's bytes (u64) and its entry's length (u32);
//! then the entries' bytes in that order; last, the xxh3 hash (u64) of everything before
//! it. A file that is not whole, or not of this version, is ignored and replaced.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use xxhash_rust::xxh3::xxh3_64;

/// The first bytes of every cache file; a new layout gets a new one.
const MAGIC: &[u8; 8] = b"FUCACHE1";

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

/// One note's entry, as the index of a loaded file gives it.
#[derive(Debug)]
struct Entry {
    path: (usize, usize),
    folder: Option<(usize, usize)>,
    stamp: Stamp,
    hash: u64,
    bytes: (usize, usize),
}

/// An entry written this run, or kept from the file loaded.
enum Kept {
    Old(usize),
    New(NewEntry),
}

/// An entry made this run.
struct NewEntry {
    path: String,
    folder: Option<String>,
    stamp: Stamp,
    hash: u64,
    bytes: Vec<u8>,
}

/// One entry as it is written.
struct Row<'a> {
    path: &'a [u8],
    folder: Option<&'a [u8]>,
    stamp: Stamp,
    hash: u64,
    bytes: &'a [u8],
}

/// A cache file, loaded, and the entries this run keeps for the next.
pub struct Store {
    /// Where it is read from and written to.
    path: PathBuf,
    fingerprint: u64,
    /// The file's bytes (empty when there was none, or it was not usable).
    data: Vec<u8>,
    entries: Vec<Entry>,
    /// Entries by the hash of their path.
    by_path: HashMap<u64, usize>,
    kept: Mutex<Vec<Kept>>,
}

/// What [`Store::get`] found for a note.
pub struct Hit<'a> {
    /// The entry's bytes.
    pub bytes: &'a [u8],
    /// The hash of the note's file's bytes.
    pub hash: u64,
    index: usize,
}

/// The cache file for `key` (what was scanned, see [`file_name`]) in `dir`.
pub fn file_for(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{PREFIX}{:016x}{SUFFIX}", xxh3_64(key.as_bytes())))
}

impl Store {
    /// Load the cache file at `path`: its entries when it is whole and was written with
    /// `fingerprint`; none otherwise (a missing, torn, corrupt or other version's file is
    /// no error: it is rebuilt).
    pub fn open(path: PathBuf, fingerprint: u64) -> Store {
        let mut store = Store {
            path,
            fingerprint,
            data: Vec::new(),
            entries: Vec::new(),
            by_path: HashMap::new(),
            kept: Mutex::new(Vec::new()),
        };
        if let Ok(data) = fs::read(&store.path) {
            if let Some(entries) = parse(&data, fingerprint) {
                store.by_path = entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (xxh3_64(&data[e.path.0..e.path.1]), i))
                    .collect();
                store.entries = entries;
                store.data = data;
            }
        }
        store
    }

    /// How many entries the file loaded had.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the file loaded had no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry of the note at `path` (as shown) in customer folder `folder`, when its
    /// file's stamp is still `stamp`.
    pub fn get(&self, path: &str, folder: Option<&str>, stamp: Stamp) -> Option<Hit<'_>> {
        let &index = self.by_path.get(&xxh3_64(path.as_bytes()))?;
        let e = &self.entries[index];
        let text = |(a, b): (usize, usize)| &self.data[a..b];
        let same = text(e.path) == path.as_bytes()
            && e.folder.map(text) == folder.map(str::as_bytes)
            && e.stamp == stamp;
        same.then(|| Hit {
            bytes: text(e.bytes),
            hash: e.hash,
            index,
        })
    }

    /// Keep a loaded entry for the next run.
    pub fn keep(&self, hit: &Hit<'_>) {
        self.push(Kept::Old(hit.index));
    }

    /// Keep a new entry for the note at `path`: its file's stamp and hash, and its bytes.
    pub fn put(&self, path: &str, folder: Option<&str>, stamp: Stamp, hash: u64, bytes: Vec<u8>) {
        self.push(Kept::New(NewEntry {
            path: path.to_owned(),
            folder: folder.map(str::to_owned),
            stamp,
            hash,
            bytes,
        }));
    }

    fn push(&self, kept: Kept) {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(kept);
    }

    /// Write the entries kept this run, when they differ from the file's: through a
    /// temporary file renamed over it, so that a run reading it (or racing to write it)
    /// sees the old file or the new one, never a part. The last writer wins. Then the
    /// least recently written cache files beyond [`MAX_FILES`] are removed.
    pub fn save(self) -> io::Result<()> {
        let kept = self
            .kept
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let unchanged = kept.len() == self.entries.len()
            && kept.iter().all(|k| matches!(k, Kept::Old(_)))
            && !self.data.is_empty();
        if unchanged {
            return Ok(());
        }
        let data = &self.data;
        let entries = &self.entries;
        let text = |(a, b): (usize, usize)| &data[a..b];
        let mut rows: Vec<Row<'_>> = kept
            .iter()
            .map(|k| match k {
                Kept::Old(i) => {
                    let e = &entries[*i];
                    Row {
                        path: text(e.path),
                        folder: e.folder.map(text),
                        stamp: e.stamp,
                        hash: e.hash,
                        bytes: text(e.bytes),
                    }
                }
                Kept::New(n) => Row {
                    path: n.path.as_bytes(),
                    folder: n.folder.as_deref().map(str::as_bytes),
                    stamp: n.stamp,
                    hash: n.hash,
                    bytes: &n.bytes,
                },
            })
            .collect();
        rows.sort_by(|a, b| a.path.cmp(b.path));
        rows.dedup_by(|a, b| a.path == b.path);
        let mut out = Vec::with_capacity(data.len().max(1024));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for row in &rows {
            put_text(&mut out, row.path);
            match row.folder {
                Some(f) => {
                    out.push(1);
                    put_text(&mut out, f);
                }
                None => out.push(0),
            }
            let s = row.stamp;
            for n in [s.size, s.modified, s.changed, s.inode, row.hash] {
                out.extend_from_slice(&n.to_le_bytes());
            }
            out.extend_from_slice(&(row.bytes.len() as u32).to_le_bytes());
        }
        for row in &rows {
            out.extend_from_slice(row.bytes);
        }
        let sum = xxh3_64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        if out.len() > MAX_BYTES {
            // Too big to be worth reading back: no cache for this folder.
            return match fs::remove_file(&self.path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_dir(dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".notes-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(&out)?;
        // No sync: a file torn by a crash fails its checksum and is rebuilt.
        tmp.persist(&self.path).map_err(|e| e.error)?;
        prune(dir)
    }
}

/// Append a length-prefixed text.
fn put_text(out: &mut Vec<u8>, text: &[u8]) {
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text);
}

/// The entries of a cache file's bytes, or `None` when they are not a whole file of this
/// layout written with `fingerprint`.
fn parse(data: &[u8], fingerprint: u64) -> Option<Vec<Entry>> {
    let body_len = data.len().checked_sub(8)?;
    let (body, sum) = data.split_at(body_len);
    if u64::from_le_bytes(sum.try_into().ok()?) != xxh3_64(body) {
        return None;
    }
    let mut r = Reader { data: body, at: 0 };
    if r.take(8)? != MAGIC || r.u64()? != fingerprint {
        return None;
    }
    let count = r.u32()? as usize;
    // Each entry takes at least 49 bytes of index: a bad count fails here, unallocated.
    if count > body.len() / 49 {
        return None;
    }
    let mut entries = Vec::with_capacity(count);
    let mut lengths = Vec::with_capacity(count);
    for _ in 0..count {
        let path = r.text()?;
        let folder = match r.take(1)?[0] {
            0 => None,
            1 => Some(r.text()?),
            _ => return None,
        };
        let stamp = Stamp {
            size: r.u64()?,
            modified: r.u64()?,
            changed: r.u64()?,
            inode: r.u64()?,
        };
        let hash = r.u64()?;
        lengths.push(r.u32()? as usize);
        entries.push(Entry {
            path,
            folder,
            stamp,
            hash,
            bytes: (0, 0),
        });
    }
    for (e, len) in entries.iter_mut().zip(lengths) {
        let start = r.at;
        r.take(len)?;
        e.bytes = (start, r.at);
    }
    (r.at == body.len()).then_some(entries)
}

/// Reads a cache file's index, never past its end.
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

    /// A length-prefixed text: where it is.
    fn text(&mut self) -> Option<(usize, usize)> {
        let len = self.u32()? as usize;
        let start = self.at;
        self.take(len)?;
        Some((start, self.at))
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
        store.put("b.md", None, stamp(2), 22, b"bee".to_vec());
        store.put("a/x.md", Some("a"), stamp(1), 11, b"ay".to_vec());
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
        store.save().unwrap();
        let store = Store::open(path.clone(), 7);
        assert_eq!(store.len(), 1);
        // Nothing changed: the file is not written again.
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        let hit = store.get("a/x.md", Some("a"), stamp(1)).unwrap();
        store.keep(&hit);
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
    fn the_folder_keeps_a_bounded_number_of_files_and_cleans_only_its_own() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("mine.txt"), "keep").unwrap();
        for i in 0..MAX_FILES + 3 {
            let store = Store::open(file_for(dir.path(), &i.to_string()), 1);
            store.put("a.md", None, stamp(1), 1, vec![1]);
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
