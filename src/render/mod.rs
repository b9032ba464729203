//! Renderers: turn notes and findings into text for people and machines.

pub mod agenda;
pub mod arena;
pub mod check;
pub mod commitment;
pub mod customers;
pub mod list;
pub mod report;

// `check`'s formats live in `check/`; these paths are the ones they had before.
pub use check::{human, sarif};

/// A table with columns padded to their widest cell (in terminal columns), two spaces
/// apart, no trailing spaces; cells are already made safe.
pub(crate) fn aligned<const N: usize>(
    out: &mut dyn std::io::Write,
    header: [&str; N],
    cells: &[[String; N]],
) -> std::io::Result<()> {
    let mut widths = Columns::of(header);
    for row in cells {
        widths.fit(row.each_ref().map(String::as_str));
    }
    writeln!(out, "{}", widths.line(header))?;
    for row in cells {
        writeln!(out, "{}", widths.line(row.each_ref().map(String::as_str)))?;
    }
    Ok(())
}

/// The widths of a table's columns (in terminal columns) but the last, which is never
/// padded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Columns<const N: usize>([usize; N]);

impl<const N: usize> Default for Columns<N> {
    fn default() -> Self {
        Columns([0; N])
    }
}

impl<const N: usize> Columns<N> {
    /// As wide as the header.
    pub(crate) fn of(header: [&str; N]) -> Self {
        let mut widths = Columns::default();
        widths.fit(header);
        widths
    }

    /// Widen the columns to fit a row's cells.
    pub(crate) fn fit(&mut self, row: [&str; N]) {
        use unicode_width::UnicodeWidthStr;
        for (w, cell) in self.0.iter_mut().zip(row).take(N.saturating_sub(1)) {
            *w = (*w).max(cell.width());
        }
    }

    /// Widen the columns to fit what `other` fits.
    pub(crate) fn merge(&mut self, other: &Self) {
        for (w, o) in self.0.iter_mut().zip(other.0) {
            *w = (*w).max(o);
        }
    }

    /// A row's line: each cell but the last padded to its column and two spaces, no
    /// trailing spaces.
    pub(crate) fn line(&self, cols: [&str; N]) -> String {
        use unicode_width::UnicodeWidthStr;
        let mut s = String::new();
        for (i, cell) in cols.iter().enumerate() {
            s.push_str(cell);
            if i + 1 < N {
                s.push_str(&" ".repeat(self.0[i] - cell.width() + 2));
            }
        }
        s.truncate(s.trim_end().len());
        s
    }
}
