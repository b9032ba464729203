//! Finding the notes: every `*.md` / `*.markdown` file under the paths given.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use walkdir::WalkDir;

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
    /// Skip what `.gitignore` files and `.git/info/exclude` ignore.
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

/// A file name as text: valid UTF-8 as is, any other byte as `\xNN`, so that a name
/// that is not UTF-8 is still shown, and two such names never look the same.
pub fn display_name(name: &OsStr) -> Cow<'_, str> {
    if let Some(s) = name.to_str() {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    Cow::Owned(out)
}

/// The argument as a display prefix: `.` is no prefix, `\` becomes `/`, and a trailing
/// `/` goes, so `notes/` and `notes` show files alike.
fn display_root(arg: &Path) -> String {
    let s = display_name(arg.as_os_str()).replace('\\', "/");
    let s = s.trim_end_matches('/');
    match s {
        "." | "" => String::new(),
        s => s.strip_prefix("./").unwrap_or(s).to_owned(),
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
pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Walk {
    let follow_links = options.follow_links;
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut out = Walk::default();
    for arg in paths {
        let root = display_root(arg);
        let join = |rel: &str| match (root.as_str(), rel) {
            ("", "") => ".".to_owned(),
            ("", rel) => rel.to_owned(),
            (root, "") => root.to_owned(),
            (root, rel) => format!("{root}/{rel}"),
        };
        let shown = |p: &Path| join(&rel_display(p.strip_prefix(arg).unwrap_or(p)));
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
        let excluded = |abs: &Path| {
            options
                .exclude
                .iter()
                .any(|(m, root)| is_match(m, root, abs))
        };
        if excluded(&abs_arg) {
            continue;
        }
        if meta.is_file() {
            out.files.push(NoteFile {
                fs_path: arg.clone(),
                display: join(""),
                folder: None,
            });
            continue;
        }
        if !meta.is_dir() {
            out.errors.push(WalkError {
                display: join(""),
                message: format!(
                    "{}, not a file or folder; not read",
                    describe_file_type(&meta.file_type())
                ),
            });
            continue;
        }
        let mut ignores = if options.gitignore {
            Ignores::above(&abs_arg)
        } else {
            None
        };
        let mut walker = WalkDir::new(arg)
            .follow_links(follow_links)
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name();
                if e.depth() == 0 {
                    return true;
                }
                if name == ".git" || (!options.include_hidden && is_hidden(name)) {
                    return false;
                }
                if options.exclude.is_empty() && ignores.is_none() {
                    return true;
                }
                let abs = abs_arg.join(e.path().strip_prefix(arg).unwrap_or(e.path()));
                if excluded(&abs) {
                    return false;
                }
                let Some(ignores) = ignores.as_mut() else {
                    return true;
                };
                let is_dir = e.file_type().is_dir();
                if ignores.ignored(e.depth(), &abs, is_dir) {
                    return false;
                }
                if is_dir {
                    ignores.enter(e.depth(), &abs);
                }
                true
            });

        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let display = e.path().map_or_else(|| join(""), shown);
                    // Following links, walkdir reports loops and dead links as errors.
                    let dead = e
                        .path()
                        .filter(|p| p.is_symlink())
                        .map(|p| (classify_link(p, &roots), p))
                        .filter(|(link, _)| link.is_dead());
                    if let Some(ancestor) = e.loop_ancestor() {
                        out.skipped.push(WalkError {
                            display,
                            message: format!(
                                "symbolic link loop back to {}; not followed",
                                shown(ancestor)
                            ),
                        });
                    } else if let Some((link, p)) = dead {
                        if let Some(message) = dead_link_message(&link, p) {
                            out.skipped.push(WalkError { display, message });
                        }
                    } else {
                        let message = e
                            .io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string);
                        out.errors.push(WalkError { display, message });
                    }
                    continue;
                }
            };
            let path = entry.path();
            if entry.depth() > 0 && entry.path_is_symlink() {
                let link = classify_link(path, &roots);
                if let Some(message) = skip_link(&link, path, follow_links) {
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    if let Some(message) = message {
                        out.skipped.push(WalkError {
                            display: shown(path),
                            message,
                        });
                    }
                    continue;
                }
            }
            let file_type = entry.file_type();
            if file_type.is_dir() || !is_note(path) {
                continue;
            }
            if !file_type.is_file() {
                out.skipped.push(WalkError {
                    display: shown(path),
                    message: format!(
                        "{}, not a regular file; not read",
                        describe_file_type(&file_type)
                    ),
                });
                continue;
            }
            let rel = path.strip_prefix(arg).unwrap_or(path);
            let mut comps = rel.components();
            let first = comps.next();
            let folder = first
                .filter(|_| comps.next().is_some())
                .map(|c| display_name(c.as_os_str()).into_owned());
            out.files.push(NoteFile {
                fs_path: path.to_path_buf(),
                display: join(&rel_display(rel)),
                folder,
            });
        }
    }
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.files.dedup_by(|a, b| a.display == b.display);
    out
}

/// The `.gitignore` files that apply where the walk is: those of the folders above the
/// walked one up to the repository root (and `.git/info/exclude`), then those of the
/// folders the walk is inside, innermost last. Like git (and ripgrep), only inside a
/// repository: a `.gitignore` in a home folder does not hide a plain notes folder.
struct Ignores {
    /// The depth of the folder holding each (`None`: above the walk), and its matcher.
    stack: Vec<(Option<usize>, Gitignore)>,
}

impl Ignores {
    /// The ignore files for a walk of `dir` (absolute); `None` outside a repository.
    fn above(dir: &Path) -> Option<Ignores> {
        let repo = dir.ancestors().find(|d| d.join(".git").exists())?;
        let mut stack = Vec::new();
        let exclude = repo.join(".git").join("info").join("exclude");
        stack.extend(load_ignore(repo, &exclude).map(|g| (None, g)));
        let mut above: Vec<&Path> = dir.ancestors().take_while(|d| *d != repo).collect();
        above.push(repo);
        for d in above.into_iter().rev() {
            stack.extend(load_ignore(d, &d.join(".gitignore")).map(|g| (None, g)));
        }
        Some(Ignores { stack })
    }

    /// The walk went into `dir` at `depth`.
    fn enter(&mut self, depth: usize, dir: &Path) {
        if let Some(g) = load_ignore(dir, &dir.join(".gitignore")) {
            self.stack.push((Some(depth), g));
        }
    }

    /// Whether the entry at `depth` (absolute `path`) is ignored: the innermost file
    /// with a say decides (a `!pattern` re-includes).
    fn ignored(&mut self, depth: usize, path: &Path, is_dir: bool) -> bool {
        // Files of folders the walk has left no longer apply.
        while matches!(self.stack.last(), Some((Some(d), _)) if *d >= depth) {
            self.stack.pop();
        }
        for (_, g) in self.stack.iter().rev() {
            match g.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}

/// The matcher of one ignore file with patterns relative to `dir`; `None` when the file
/// is missing or unusable (git too skips what it cannot read).
fn load_ignore(dir: &Path, file: &Path) -> Option<Gitignore> {
    if !file.is_file() {
        return None;
    }
    let mut b = GitignoreBuilder::new(dir);
    b.add(file);
    b.build().ok().filter(|g| !g.is_empty())
}

fn rel_display(rel: &Path) -> String {
    rel.components()
        .map(|c| display_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
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
