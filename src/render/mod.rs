//! Renderers: turn notes and findings into text for people and machines.

pub mod agenda;
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
    use unicode_width::UnicodeWidthStr;
    let mut widths = header.map(UnicodeWidthStr::width);
    for row in cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cols: [&str; N]| {
        let mut s = String::new();
        for (i, cell) in cols.iter().enumerate() {
            s.push_str(cell);
            if i + 1 < N {
                s.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        s.truncate(s.trim_end().len());
        s
    };
    writeln!(out, "{}", line(header))?;
    for row in cells {
        writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
    }
    Ok(())
}
