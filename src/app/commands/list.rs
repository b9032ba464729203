//! `followup list`: commitments, filtered and sorted, as a table or JSON.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::app::cli::{ListArgs, ListFormat, ListSort, StatusFilter};
use crate::app::settings::{resolve, Env};
use crate::app::workspace::scan;
use crate::app::{report_scan, AppError, AppResult, Io};
use crate::cache::Need;
use crate::fs::walk::walk;
use crate::notes::model::{slug, Commitment, Customers, Status};
use crate::notes::scan::never_fails;
use crate::notes::tags::Priority;
use crate::render;
use crate::render::list::Row;
use crate::text::{closest, terminal_safe};

/// Run `list`.
pub fn list(args: ListArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let walked = || walk(&args.scan.paths, &settings.scan.walk);
    let today = settings.today;
    let soon = settings.config.rules.due_soon_days;
    let mut notes = Vec::new();
    let ws = never_fails(scan(
        &args.scan.paths,
        walked,
        &settings,
        Need::Note,
        |_, parsed| {
            // Every row is kept until the sort: only what the rows show outlives the worker.
            let mut note = parsed.note;
            note.commitments
                .retain(|c| shown(args.status, c, today, soon));
            note.problems = Vec::new();
            note.directive_html = Vec::new();
            note
        },
        |note| {
            if !note.commitments.is_empty() {
                notes.push(note);
            }
            Ok(())
        },
    ));
    let exit = report_scan(&args.scan.paths, &ws, io.err)?;
    let wanted = match &args.customer {
        Some(name) => Some(matching_customers(name, &ws.customers)?),
        None => None,
    };
    let mut rows: Vec<Row<'_>> = notes
        .iter()
        .filter(|n| {
            wanted
                .as_ref()
                .map_or(true, |w| n.customer.as_ref().is_some_and(|c| w.contains(c)))
        })
        .flat_map(|n| n.commitments.iter().map(move |c| (n, c)))
        .collect();
    sort(&mut rows, args.sort, &ws.customers);
    match args.format {
        ListFormat::Json => render::list::json(io.out, &rows, &ws.customers)?,
        ListFormat::Table => render::list::table(io.out, &rows, &ws.customers, today)?,
    }
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

/// Sort rows as `--sort` asks; rows come in path and line order, and the sort is stable.
fn sort(rows: &mut [Row<'_>], by: ListSort, customers: &Customers) {
    // Undated last.
    let due = |a: Option<NaiveDate>, b: Option<NaiveDate>| match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    match by {
        ListSort::Path => {}
        ListSort::Due => rows.sort_by(|a, b| due(a.1.due, b.1.due)),
        ListSort::Priority => rows.sort_by(|a, b| {
            let rank = |r: &Row<'_>| Priority::rank(r.1.fields.priority);
            rank(a).cmp(&rank(b)).then_with(|| due(a.1.due, b.1.due))
        }),
        ListSort::Customer => {
            let name = |r: &Row<'_>| {
                r.0.customer
                    .as_deref()
                    .map(|s| customers.name(s).to_lowercase())
            };
            rows.sort_by(|a, b| match (name(a), name(b)) {
                (Some(x), Some(y)) => x.cmp(&y).then_with(|| due(a.1.due, b.1.due)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => due(a.1.due, b.1.due),
            });
        }
    }
}
