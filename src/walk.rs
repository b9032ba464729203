//! Finding the notes: every `*.md` / `*.markdown` file under the paths given.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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

/// A path that could not be walked.
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
}

/// True for the note extensions.
pub fn is_note(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// The argument as a display prefix: `.` is no prefix, `\` becomes `/`, and a trailing
/// `/` goes, so `notes/` and `notes` show files alike.
fn display_root(arg: &Path) -> String {
    let s = arg.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    match s {
        "." | "" => String::new(),
        s => s.strip_prefix("./").unwrap_or(s).to_owned(),
    }
}

/// Walk `paths` (the current folder when empty). A file named directly is read whatever
/// its extension; below a folder only notes are, hidden entries are skipped, and symbolic
/// links are not followed.
pub fn walk(paths: &[PathBuf]) -> Walk {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut out = Walk::default();
    for arg in paths {
        let root = display_root(arg);
        let join = |rel: &str| match (root.as_str(), rel) {
            ("", rel) => rel.to_owned(),
            (root, "") => root.to_owned(),
            (root, rel) => format!("{root}/{rel}"),
        };
        let meta = match std::fs::metadata(arg) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(WalkError {
                    display: arg.to_string_lossy().into_owned(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if meta.is_file() {
            out.files.push(NoteFile {
                fs_path: arg.clone(),
                display: join(""),
                folder: None,
            });
            continue;
        }
        let walker = WalkDir::new(arg)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let display = e
                        .path()
                        .and_then(|p| p.strip_prefix(arg).ok())
                        .map(|p| join(&rel_display(p)))
                        .unwrap_or_else(|| join(""));
                    let message = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    out.errors.push(WalkError { display, message });
                    continue;
                }
            };
            if !entry.file_type().is_file() || !is_note(entry.path()) {
                continue;
            }
            let rel = entry.path().strip_prefix(arg).unwrap_or(entry.path());
            let mut comps = rel.components();
            let first = comps.next();
            let folder = first
                .filter(|_| comps.next().is_some())
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            out.files.push(NoteFile {
                fs_path: entry.path().to_path_buf(),
                display: join(&rel_display(rel)),
                folder,
            });
        }
    }
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.files.dedup_by(|a, b| a.display == b.display);
    out
}

fn rel_display(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
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
}
