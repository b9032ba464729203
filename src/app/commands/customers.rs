//! `followup customers`: one row per customer, the most neglected first.

use std::io;

use crate::app::cli::{CustomersArgs, ListFormat};
use crate::app::{report_scan_problems, setup, today, Exit, Io};
use crate::customers::{Book, NoteFacts};
use crate::notes::scan::scan_with;
use crate::render::customers as render;

/// Run `customers`.
pub fn customers(args: CustomersArgs, io: &mut Io<'_>) -> io::Result<Exit> {
    let today = today(&args.scan);
    let Some(setup) = setup(&args.scan, io.err)? else {
        return Ok(Exit::Error);
    };
    let (ws, facts) = scan_with(&args.scan.paths, &setup.scan, |note, _| {
        NoteFacts::of(&note, today)
    });
    let exit = report_scan_problems(&ws, io.err)?;
    let mut book = Book::default();
    for f in facts {
        book.add(f, today);
    }
    let rows = book.rows(&ws.customers, today, setup.config.customer_cadence);
    match args.format {
        ListFormat::Table => render::table(io.out, &rows)?,
        ListFormat::Json => render::json(io.out, &rows)?,
    }
    Ok(exit)
}
