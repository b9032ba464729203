//! One module per subcommand: settings in, output written, exit code out.

pub mod agenda;
pub mod brief;
pub mod check;
pub mod config;
pub mod customers;
pub mod done;
pub mod fix;
pub mod list;
pub mod occasions;
pub mod report;
pub mod shell;
pub mod snooze;
