//! `followup customers`: one row per customer, the most neglected first.

use crate::app::cli::{CustomersArgs, CustomersFormat};
use crate::app::settings::{resolve, Env};
use crate::app::workspace::scan_with_book;
use crate::app::{report_scan, AppResult, Io};
use crate::cache::Need;
use crate::fs::walk::walk;
use crate::notes::scan::never_fails;
use crate::render::customers as render;

/// Run `customers`.
pub fn customers(args: CustomersArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let walked = || walk(&args.scan.paths, &settings.scan.walk);
    let scanned = never_fails(scan_with_book(
        &args.scan.paths,
        walked,
        &settings,
        Need::Note,
        |_, _| (),
        |()| Ok(()),
    ));
    let exit = report_scan(&args.scan.paths, &scanned.workspace, io.err)?;
    let rows = scanned.customer_rows(&settings);
    match args.format {
        CustomersFormat::Table => render::table(io.out, &rows)?,
        CustomersFormat::Json => render::json(io.out, &rows)?,
    }
    Ok(exit)
}
