use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use followup::app::cli::Cli;
use followup::app::{run_to_end, Io};

// mimalloc for the many small strings parsing allocates on all cores, the system's
// allocator for big blocks, which it returns at once (see followup::memory).
#[global_allocator]
static GLOBAL: followup::memory::Allocator = followup::memory::Allocator;

fn main() -> ExitCode {
    followup::memory::setup();
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let out_is_terminal = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Not locked for the whole run: the progress bar writes to stderr from worker threads.
    let mut err = std::io::stderr();
    let mut io = Io {
        out: &mut out,
        err: &mut err,
        out_is_terminal,
    };
    // The output is flushed (and a failure to write it reported) inside, so that
    // `followup list > /dev/full` exits 2 instead of losing the output silently.
    let exit = run_to_end(cli, &mut io);
    ExitCode::from(exit as u8)
}
