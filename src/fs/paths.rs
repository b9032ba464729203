//! Paths by their letters: made absolute, normalised, matched against ignore patterns.

use std::path::{Component, Path, PathBuf};

use ignore::gitignore::Gitignore;

/// Whether `path` (absolute) or a folder above it matches; paths outside `root` never do.
pub fn is_match(matcher: &Gitignore, root: &Path, path: &Path) -> bool {
    // `matched_path_or_any_parents` panics on a path outside the matcher's root.
    path.starts_with(root)
        && path != root
        && matcher.matched_path_or_any_parents(path, false).is_ignore()
}

/// `path` made absolute against the current folder, with `.` and `..` resolved by the
/// letters alone (it may not exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    normalize(&joined)
}

/// `.` and `..` resolved by the letters alone (no file system access).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}
