//! Finding the notes: every `*.md` / `*.markdown` file under the paths given.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::Gitignore;
use ignore::WalkBuilder;

use crate::fs::paths::{absolute, is_match};
use crate::fs::source::describe_file_type;

/// A note file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFile {
    /// Where it is on disk.
    pub fs_path: PathBuf,
    /// How it is shown: as reached from the argument given, with `/` separators.
    pub display: String,
    /// The first folder below the argument, which names the customer by default.
    pub folder: Option<String>,
}

/// A path that could not be walked, or an entry that was not read on purpose.
#[derive(Debug)]
pub struct WalkError {
    /// The path, as shown.
    pub display: String,
    /// What went wrong.
    pub message: String,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Note files, sorted by display path, each once.
    pub files: Vec<NoteFile>,
    /// Paths that could not be read.
    pub errors: Vec<WalkError>,
    /// Entries named like notes that are not read on purpose: symbolic links out of the
    /// scanned folders (without `--follow`), broken links, link loops, FIFOs, sockets
    /// and devices.
    pub skipped: Vec<WalkError>,
}

/// Which entries the walk reads, beyond the note extensions.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Follow symbolic links out of the scanned folders.
    pub follow_links: bool,
    /// Read hidden files and folders (`.git` never).
    pub include_hidden: bool,
    /// Skip what git ignores (`.gitignore` files, `.git/info/exclude`, git's
    /// `core.excludesFile`) inside a repository, and what `.ignore` files ignore.
    pub gitignore: bool,
    /// Paths never read, even when named on the command line (so that a pre-commit
    /// hook, which names files, honours them): matchers and the folders they are
    /// relative to.
    pub exclude: Vec<(Gitignore, PathBuf)>,
}

/// True for the note extensions.
pub fn is_note(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// A file name as text: valid UTF-8 as is, any other byte as `\xNN`, and a backslash
/// that would read as such an escape doubled (see [`crate::text::display_bytes`]): a
/// name that is not UTF-8 is still shown, and two names never look the same (a Latin-1
/// `caf\xE9.md` and a file literally named `caf\\xE9.md`).
pub fn display_name(name: &OsStr) -> Cow<'_, str> {
    crate::text::display_bytes(name.as_encoded_bytes())
}

/// The argument as a display prefix: `.` is no prefix, and a trailing `/` goes, so
/// `notes/` and `notes` show files alike. A backslash is a separator only on Windows;
/// elsewhere it is part of a name and stays (turned into `/`, the shown path named
/// another file).
fn display_root(arg: &Path) -> String {
    let s = display_name(arg.as_os_str());
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    let s = s.trim_end_matches('/');
    match s {
        "." | "" => String::new(),
        s => s.strip_prefix("./").unwrap_or(s).to_owned(),
    }
}

/// A file's identity on its file system (device and inode), where there is one.
fn file_id(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Where a symbolic link below a scanned folder leads.
enum Link {
    /// Into one of the scanned folders: what it points at is walked there already.
    Inside,
    /// Out of the scanned folders, to this (canonical) path.
    Outside(PathBuf),
    /// To nothing.
    Broken,
    /// To itself, through one or more links.
    Loop,
    /// Somewhere that cannot be resolved.
    Unresolved(std::io::Error),
}

impl Link {
    fn is_dead(&self) -> bool {
        matches!(self, Link::Broken | Link::Loop | Link::Unresolved(_))
    }
}

fn classify_link(path: &Path, roots: &[PathBuf]) -> Link {
    match std::fs::canonicalize(path) {
        Ok(t) if roots.iter().any(|r| t.starts_with(r)) => Link::Inside,
        Ok(t) => Link::Outside(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Link::Broken,
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Link::Loop,
        Err(e) => Link::Unresolved(e),
    }
}

/// Why a dead link is skipped, or `None` when it is not worth a word: only links named
/// like notes are, since any other name is not a note anyway.
fn dead_link_message(link: &Link, path: &Path) -> Option<String> {
    if !is_note(path) {
        return None;
    }
    match link {
        Link::Broken => Some("broken symbolic link (its target does not exist); not read".into()),
        Link::Loop => Some("symbolic link loop; not read".into()),
        Link::Unresolved(e) => Some(format!(
            "symbolic link that cannot be resolved ({e}); not read"
        )),
        Link::Inside | Link::Outside(_) => None,
    }
}

/// Whether to skip a symbolic link found below a scanned folder: `None` to go on with
/// it (followed out of the tree with `follow_links`), else `Some` with a message when
/// the skip is worth one.
fn skip_link(link: &Link, path: &Path, follow_links: bool) -> Option<Option<String>> {
    match link {
        Link::Inside => Some(None),
        Link::Outside(_) if follow_links => None,
        Link::Outside(target) => {
            let to = display_name(target.as_os_str());
            Some(if target.is_dir() {
                Some(format!("symbolic link to a folder outside the scanned folders ({to}); not followed (use --follow to follow it)"))
            } else if is_note(path) {
                Some(format!("symbolic link to a file outside the scanned folders ({to}); not read (use --follow to read it)"))
            } else {
                None
            })
        }
        dead => Some(dead_link_message(dead, path)),
    }
}

/// Walk `paths` (the current folder when empty). A path named directly is read whatever
/// its extension, and followed if it is a link. Below a folder only notes are read,
/// hidden entries are skipped, and symbolic links are handled so that nothing is read
/// twice and nothing outside the scanned folders is read unless `follow_links`:
///
/// - a link into a scanned folder is skipped: its target is read under its own name;
/// - a link out of them is reported and skipped, or followed with `follow_links`;
/// - broken links and link loops are reported and skipped.
///
/// Entries that are not regular files or folders (FIFOs, sockets, devices) are never
/// opened: reading a FIFO would wait for a writer forever.
///
/// With `gitignore`, what git would ignore is skipped, as [`ignore::WalkBuilder`] (the
/// walker of ripgrep) reads it: `.gitignore` files in the walked folders and in the
/// folders above them up to the repository root, `.git/info/exclude`, git's
/// `core.excludesFile` (the global gitignore), each repository's own files inside a
/// nested repository; and `.ignore` files. Like git, the git files count only inside
/// a repository: a `.gitignore` in a home folder does not hide a plain notes folder.
/// `.ignore` files are not git's and count anywhere (as in ripgrep and fd).
pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Walk {
    let follow_links = options.follow_links;
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let roots: Arc<[PathBuf]> = paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let exclude: Arc<[(Gitignore, PathBuf)]> = options.exclude.clone().into();
    let mut out = Walk::default();
    // Each file with its inode, when known (hard links share one).
    let mut files: Vec<(NoteFile, Option<u64>)> = Vec::new();
    for arg in paths {
        let root = display_root(arg);
        let meta = match std::fs::metadata(arg) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(WalkError {
                    display: display_name(arg.as_os_str()).into_owned(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let abs_arg = absolute(arg);
        if exclude.iter().any(|(m, root)| is_match(m, root, &abs_arg)) {
            continue;
        }
        let here = Folder {
            arg,
            root: &root,
            roots: &roots,
            follow_links,
        };
        if meta.is_file() {
            let file = NoteFile {
                fs_path: arg.clone(),
                display: here.join(""),
                folder: None,
            };
            files.push((file, inode(&meta)));
            continue;
        }
        if !meta.is_dir() {
            out.errors.push(WalkError {
                display: here.join(""),
                message: format!(
                    "{}, not a file or folder; not read",
                    describe_file_type(&meta.file_type())
                ),
            });
            continue;
        }
        // Both cores walk: one thread listing 200,000 files was a fifth of a whole scan,
        // with the parsers waiting. The order is restored below (files, errors and
        // skipped entries are sorted by their shown path). What the threads find goes
        // straight to these lists, a batch at a time: no second copy of 200,000 entries.
        let (errors, skipped) = (out.errors.len(), out.skipped.len());
        let found = std::sync::Mutex::new(Found {
            files: std::mem::take(&mut files),
            errors: std::mem::take(&mut out.errors),
            skipped: std::mem::take(&mut out.skipped),
        });
        builder(arg, abs_arg, options, &roots, &exclude)
            .build_parallel()
            .visit(&mut Visitors {
                folder: &here,
                found: &found,
            });
        let found = found
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files = found.files;
        out.errors = found.errors;
        out.skipped = found.skipped;
        out.errors[errors..].sort_by(|a, b| a.display.cmp(&b.display));
        out.skipped[skipped..].sort_by(|a, b| a.display.cmp(&b.display));
    }
    // Unstable: a stable sort's scratch copy of half the list was the walk's peak. Equal
    // displays are one file (below), so which comes first does not matter.
    files.sort_unstable_by(|a, b| a.0.display.cmp(&b.0.display));
    // The display is one-to-one with the path (see `display_name`): the same display is
    // the same path, reached from two arguments such as `notes` and `notes/`.
    files.dedup_by(|a, b| a.0.display == b.0.display);
    // One file can have several names: links followed with `--follow`, hard links. Read
    // it once, under the first name (it would list its commitments twice, and `fix` would
    // find it "changed since" on the second write). Identity is device + inode: every
    // file is looked at when following links; otherwise only those whose inode (from the
    // directory listing, free) is shared.
    let mut count = std::collections::HashMap::new();
    for ino in files.iter().filter_map(|f| f.1) {
        *count.entry(ino).or_insert(0usize) += 1;
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|(f, ino)| {
        let shared = ino.is_some_and(|i| count.get(&i).is_some_and(|&n| n > 1));
        !(follow_links || shared) || file_id(&f.fs_path).map_or(true, |id| seen.insert(id))
    });
    out.files = files.into_iter().map(|(f, _)| f).collect();
    out
}

/// A folder named on the command line, as its walk's threads see it.
struct Folder<'a> {
    arg: &'a Path,
    /// How `arg` is shown, as a prefix (see [`display_root`]).
    root: &'a str,
    roots: &'a [PathBuf],
    follow_links: bool,
}

/// What a folder's walk found (or, for one thread, found since it last handed on).
#[derive(Default)]
struct Found {
    files: Vec<(NoteFile, Option<u64>)>,
    errors: Vec<WalkError>,
    skipped: Vec<WalkError>,
}

impl Found {
    fn len(&self) -> usize {
        self.files.len() + self.errors.len() + self.skipped.len()
    }

    fn append(&mut self, other: &mut Found) {
        self.files.append(&mut other.files);
        self.errors.append(&mut other.errors);
        self.skipped.append(&mut other.skipped);
    }
}

/// What one entry of a folder's walk turned out to be.
enum Entry {
    File(NoteFile, Option<u64>),
    Error(WalkError),
    Skipped(WalkError),
}

impl Folder<'_> {
    /// A path relative to the argument, as shown.
    fn join(&self, rel: &str) -> String {
        match (self.root, rel) {
            ("", "") => ".".to_owned(),
            ("", rel) => rel.to_owned(),
            (root, "") => root.to_owned(),
            // Exactly its size: one is kept per note, 200,000 on a big folder.
            (root, rel) => {
                let mut s = String::with_capacity(root.len() + 1 + rel.len());
                s.push_str(root);
                s.push('/');
                s.push_str(rel);
                s
            }
        }
    }

    fn shown(&self, p: &Path) -> String {
        self.join(&rel_display(p.strip_prefix(self.arg).unwrap_or(p)))
    }

    /// What an entry of the walk is: a note to read, an error, an entry skipped on
    /// purpose, or `None` for what is not worth a word (folders, other files).
    fn visit(&self, entry: Result<ignore::DirEntry, ignore::Error>) -> Option<Entry> {
        let entry = match entry {
            Ok(e) => e,
            // Without a depth, the error is about an ignore file above the folder,
            // which is skipped (git too skips what it cannot read); so are the ones
            // of the folders inside (`DirEntry::error`).
            Err(e) if e.depth().is_none() => return None,
            Err(e) => {
                let (path, ancestor) = error_paths(&e);
                let display = path.map_or_else(|| self.join(""), |p| self.shown(p));
                // Following links, the walk reports loops and dead links as errors.
                let dead = path
                    .filter(|p| p.is_symlink())
                    .map(|p| (classify_link(p, self.roots), p))
                    .filter(|(link, _)| link.is_dead());
                return if let Some(ancestor) = ancestor {
                    Some(Entry::Skipped(WalkError {
                        display,
                        message: format!(
                            "symbolic link loop back to {}; not followed",
                            self.shown(ancestor)
                        ),
                    }))
                } else if let Some((link, p)) = dead {
                    dead_link_message(&link, p)
                        .map(|message| Entry::Skipped(WalkError { display, message }))
                } else {
                    let message = error_message(&e);
                    Some(Entry::Error(WalkError { display, message }))
                };
            }
        };
        if entry.depth() == 0 {
            return None;
        }
        let path = entry.path();
        // Links into the scanned folders never get here when following links: the
        // filter drops them before the walk goes into them.
        if entry.path_is_symlink() {
            let link = classify_link(path, self.roots);
            if let Some(message) = skip_link(&link, path, self.follow_links) {
                return message.map(|message| {
                    Entry::Skipped(WalkError {
                        display: self.shown(path),
                        message,
                    })
                });
            }
        }
        let file_type = entry.file_type()?;
        if file_type.is_dir() || !is_note(path) {
            return None;
        }
        if !file_type.is_file() {
            return Some(Entry::Skipped(WalkError {
                display: self.shown(path),
                message: format!(
                    "{}, not a regular file; not read",
                    describe_file_type(&file_type)
                ),
            }));
        }
        let rel = path.strip_prefix(self.arg).unwrap_or(path);
        let mut comps = rel.components();
        let first = comps.next();
        let folder = first
            .filter(|_| comps.next().is_some())
            .map(|c| display_name(c.as_os_str()).into_owned());
        Some(Entry::File(
            NoteFile {
                fs_path: path.to_path_buf(),
                display: self.join(&rel_display(rel)),
                folder,
            },
            entry.ino(),
        ))
    }
}

/// One walking thread: what it finds goes to the shared lists a batch at a time.
struct Visitor<'s> {
    folder: &'s Folder<'s>,
    mine: Found,
    found: &'s std::sync::Mutex<Found>,
}

impl Visitor<'_> {
    fn hand_on(&mut self) {
        let mut found = self
            .found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        found.append(&mut self.mine);
    }
}

impl ignore::ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        match self.folder.visit(entry) {
            Some(Entry::File(f, ino)) => self.mine.files.push((f, ino)),
            Some(Entry::Error(e)) => self.mine.errors.push(e),
            Some(Entry::Skipped(e)) => self.mine.skipped.push(e),
            None => {}
        }
        // Small batches: the lock is taken rarely, and no thread holds many entries.
        if self.mine.len() >= 256 {
            self.hand_on();
        }
        ignore::WalkState::Continue
    }
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        self.hand_on();
    }
}

/// Makes a [`Visitor`] for each walking thread.
struct Visitors<'s> {
    folder: &'s Folder<'s>,
    found: &'s std::sync::Mutex<Found>,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for Visitors<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Visitor {
            folder: self.folder,
            mine: Found::default(),
            found: self.found,
        })
    }
}

/// A file's inode from metadata already at hand.
fn inode(meta: &std::fs::Metadata) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The walker of the folder `arg` (`abs_arg` made absolute). The ignore files are
/// `ignore`'s; hidden entries, `.git`, `exclude` and links into the scanned folders
/// (when following links) are dropped by the filter, so that the walk does not go into
/// them. Hidden entries are dropped here rather than by `ignore`, where a `!pattern` in
/// a `.gitignore` would bring one back.
fn builder(
    arg: &Path,
    abs_arg: PathBuf,
    options: &WalkOptions,
    roots: &Arc<[PathBuf]>,
    exclude: &Arc<[(Gitignore, PathBuf)]>,
) -> WalkBuilder {
    let mut b = WalkBuilder::new(arg);
    b.standard_filters(false).follow_links(options.follow_links);
    if options.gitignore {
        b.parents(true)
            .ignore(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(true)
            .require_git(true);
    }
    let include_hidden = options.include_hidden;
    let follow_links = options.follow_links;
    let arg = arg.to_path_buf();
    let roots = Arc::clone(roots);
    let exclude = Arc::clone(exclude);
    b.filter_entry(move |e| {
        let name = e.file_name();
        if name == ".git" || (!include_hidden && is_hidden(name)) {
            return false;
        }
        if follow_links
            && e.path_is_symlink()
            && matches!(classify_link(e.path(), &roots), Link::Inside)
        {
            return false;
        }
        if exclude.is_empty() {
            return true;
        }
        let abs = abs_arg.join(e.path().strip_prefix(&arg).unwrap_or(e.path()));
        !exclude.iter().any(|(m, root)| is_match(m, root, &abs))
    });
    b
}

/// What went wrong, without the path (it is shown before): the I/O error under the
/// walkdir error that `ignore` wraps in an I/O error.
fn error_message(e: &ignore::Error) -> String {
    let Some(io) = e.io_error() else {
        return e.to_string();
    };
    io.get_ref()
        .and_then(|inner| inner.source())
        .map_or_else(|| io.to_string(), ToString::to_string)
}

/// The path a walk error is about, and for a link loop the folder it leads back to.
fn error_paths(e: &ignore::Error) -> (Option<&Path>, Option<&Path>) {
    match e {
        ignore::Error::Loop { ancestor, child } => (Some(child), Some(ancestor)),
        ignore::Error::WithPath { path, err } => {
            let (inner, ancestor) = error_paths(err);
            (inner.or(Some(path)), ancestor)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_paths(err)
        }
        _ => (None, None),
    }
}

fn rel_display(rel: &Path) -> String {
    let mut out = String::with_capacity(rel.as_os_str().len());
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&display_name(c.as_os_str()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        assert_eq!(display_root(Path::new(".")), "");
        assert_eq!(display_root(Path::new("./notes/")), "notes");
        assert_eq!(display_root(Path::new("notes")), "notes");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_show_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        assert_eq!(display_name(OsStr::new("café.md")), "café.md");
        assert_eq!(
            display_name(OsStr::from_bytes(b"caf\xE9.md")),
            "caf\\xE9.md"
        );
        assert_eq!(
            display_name(OsStr::from_bytes(b"\xFF\xFEok")),
            "\\xFF\\xFEok"
        );
    }
}
