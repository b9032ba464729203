//! `followup list`: every commitment, as a table or JSON.

use crate::app::cli::{ListArgs, ListFormat, ListSort, StatusFilter};
use crate::app::settings::{resolve, Env};
use crate::app::{report_scan_problems, AppResult, Io};
use crate::fs::walk::walk;
use crate::notes::model::{slug, Status};
use crate::notes::scan::collect;
use crate::notes::tags::Priority;
use crate::render;

/// Run `list`.
pub fn list(args: ListArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let walked = walk(&args.scan.paths, &settings.scan.walk);
    let (ws, notes) = collect(walked, &settings.scan, |_, note, _| note);
    let exit = report_scan_problems(&ws, io.err)?;
    let want = args.customer.as_deref().map(slug);
    let mut rows: Vec<_> = notes
        .iter()
        .filter(|n| want.is_none() || n.customer == want)
        .flat_map(|n| n.commitments.iter().map(move |c| (n, c)))
        .filter(|(_, c)| match args.status {
            StatusFilter::All => true,
            StatusFilter::Open => c.status == Status::Open,
            StatusFilter::Done => c.status == Status::Done,
            StatusFilter::Cancelled => c.status == Status::Cancelled,
        })
        .collect();
    if args.sort == ListSort::Priority {
        rows.sort_by_key(|(_, c)| (Priority::rank(c.fields.priority), c.due.is_none(), c.due));
    }
    match args.format {
        ListFormat::Json => render::list::json(io.out, &rows, &ws.customers)?,
        ListFormat::Table => render::list::table(io.out, &rows, &ws.customers, settings.today)?,
    }
    Ok(exit)
}
