//! `followup list`: every commitment, as a table or JSON.

use std::io;

use crate::app::cli::{ListArgs, ListFormat, StatusFilter};
use crate::app::{report_scan_problems, setup, today, Exit, Io};
use crate::notes::model::{slug, Status};
use crate::notes::scan::scan_with;
use crate::render;

/// Run `list`.
pub fn list(args: ListArgs, io: &mut Io<'_>) -> io::Result<Exit> {
    let today = today(&args.scan);
    let Some(setup) = setup(&args.scan, io.err)? else {
        return Ok(Exit::Error);
    };
    let (ws, notes) = scan_with(&args.scan.paths, &setup.scan, |n, _| n);
    let exit = report_scan_problems(&ws, io.err)?;
    let want = args.customer.as_deref().map(slug);
    let rows: Vec<_> = notes
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
    match args.format {
        ListFormat::Json => render::list::json(io.out, &rows, &ws.customers)?,
        ListFormat::Table => render::list::table(io.out, &rows, &ws.customers, today)?,
    }
    Ok(exit)
}
