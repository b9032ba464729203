//! `followup list`: commitments, filtered and sorted, as a table or JSON.

use chrono::NaiveDate;

use crate::app::cli::{ListArgs, ListFormat, ListSort, StatusFilter};
use crate::app::settings::{resolve, Env};
use crate::app::workspace::scan;
use crate::app::{report_scan, AppError, AppResult, Io};
use crate::cache::Need;
use crate::fs::walk::walk;
use crate::notes::model::{slug, Commitment, Customers, Status};
use crate::render::list::{Format, NoteRows, Rows, Shape, Sort};
use crate::text::{closest, terminal_safe};

/// Run `list`.
pub fn list(args: ListArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let walked = || walk(&args.scan.paths, &settings.scan.walk);
    let today = settings.today;
    let soon = settings.config.rules.due_soon_days;
    let shape = Shape {
        format: match args.format {
            ListFormat::Json => Format::Json,
            ListFormat::Table => Format::Table,
        },
        sort: match args.sort {
            ListSort::Due => Sort::Due,
            ListSort::Priority => Sort::Priority,
            ListSort::Customer => Sort::Customer,
            ListSort::Path => Sort::Path,
        },
        today,
    };
    // Each row is rendered on the worker that read its note; only its sort key stays in
    // memory, its bytes go to a temporary file once they are many.
    let mut rows = Rows::default();
    let ws = scan(
        &args.scan.paths,
        walked,
        &settings,
        Need::Note,
        |_, parsed| {
            let mut note = parsed.note;
            note.commitments
                .retain(|c| shown(args.status, c, today, soon));
            NoteRows::of(&note, &shape)
        },
        |note_rows| rows.add(note_rows),
    )?;
    let exit = report_scan(&args.scan.paths, &ws, io.err)?;
    let wanted = match &args.customer {
        Some(name) => Some(matching_customers(name, &ws.customers)?),
        None => None,
    };
    let keep = |slug: &str| {
        wanted
            .as_ref()
            .map_or(true, |w| w.iter().any(|s| s == slug))
    };
    rows.write(
        &shape,
        &ws.customers,
        wanted.is_some().then_some(&keep),
        io.out,
    )?;
    Ok(exit)
}

/// Whether `--status` shows `c`. `due-soon` is today and the `soon` days after it (the
/// `due-soon` rule's window, which starts tomorrow, with `due-today`'s day).
fn shown(status: StatusFilter, c: &Commitment, today: NaiveDate, soon: u32) -> bool {
    let open = c.status == Status::Open;
    match status {
        StatusFilter::All => true,
        StatusFilter::Open => open,
        StatusFilter::Done => c.status == Status::Done,
        StatusFilter::Cancelled => c.status == Status::Cancelled,
        StatusFilter::Overdue => open && c.due.is_some_and(|d| d < today),
        StatusFilter::DueSoon => {
            open && c
                .due
                .is_some_and(|d| d >= today && (d - today).num_days() <= i64::from(soon))
        }
        StatusFilter::Waiting => open && c.waiting.is_some(),
    }
}

/// The customers (slugs) `--customer NAME` means: those whose name or slug starts with
/// NAME, ignoring case (`acme` finds Acme Corp; `acme-c` and `Acme Corp` too). None is an
/// error that lists the customers known, with "did you mean" when one is close.
pub(crate) fn matching_customers(
    name: &str,
    customers: &Customers,
) -> Result<Vec<String>, AppError> {
    let lower = name.trim().to_lowercase();
    let wanted_slug = slug(name);
    let found: Vec<String> = customers
        .iter()
        .filter(|(s, label)| {
            (!wanted_slug.is_empty() && s.starts_with(&wanted_slug))
                || (!lower.is_empty() && label.to_lowercase().starts_with(&lower))
        })
        .map(|(s, _)| s.to_owned())
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    let known: Vec<(&str, &str)> = customers.iter().collect();
    // "Did you mean": against each name and slug, whole and cut to the length typed (a
    // misspelt prefix). `closest` compares against names that live as long as the
    // program: a handful of customer names, leaked once, on an error path.
    let len = lower.chars().count();
    let candidates: Vec<(&'static str, &str)> = known
        .iter()
        .flat_map(|&(s, label)| {
            let l = label.to_lowercase();
            let cut: String = l.chars().take(len).collect();
            let slug_cut: String = s.chars().take(len).collect();
            [l, cut, s.to_owned(), slug_cut].map(|n| (&*Box::leak(n.into_boxed_str()), label))
        })
        .collect();
    let hint = match closest(&lower, candidates.iter().map(|c| c.0))[..] {
        [one, ..] => {
            let label = candidates.iter().find(|c| c.0 == one).map_or(one, |c| c.1);
            format!(" (did you mean `{}`?)", terminal_safe(label))
        }
        [] => String::new(),
    };
    let list = if known.is_empty() {
        "none: no note names a customer".to_owned()
    } else {
        known
            .iter()
            .map(|(_, l)| terminal_safe(l).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(AppError::msg(format!(
        "no customer matches `{}`{hint}; known: {list}",
        terminal_safe(name)
    )))
}
