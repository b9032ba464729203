//! `followup customers`: one row per customer, the most neglected first.

use crate::app::cli::{CustomersArgs, CustomersFormat};
use crate::app::settings::{resolve, Env};
use crate::app::workspace::scan_book;
use crate::app::{report_scan, AppResult, Io};
use crate::render::customers as render;

/// Run `customers`.
pub fn customers(args: CustomersArgs, io: &mut Io<'_>) -> AppResult {
    let settings = resolve(&args.scan, &Env::current())?;
    let scanned = scan_book(&args.scan.paths, &settings);
    let exit = report_scan(&args.scan.paths, &scanned.workspace, io.err)?;
    let rows = scanned.customer_rows(&settings);
    match args.format {
        CustomersFormat::Table => render::table(io.out, &rows)?,
        CustomersFormat::Json => render::json(io.out, &rows)?,
    }
    Ok(exit)
}
