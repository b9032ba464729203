//! `followup completions` and `followup man`: generated from the command line's own
//! definition, so they never fall behind it.

use clap::CommandFactory;

use crate::app::cli::Cli;
use crate::app::{AppResult, Exit, Io};

/// Print a completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, io: &mut Io<'_>) -> AppResult {
    clap_complete::generate(shell, &mut Cli::command(), "followup", io.out);
    Ok(Exit::Success)
}

/// Print the man page: `followup(1)`, or `followup-NAME(1)` for a subcommand.
pub fn man(subcommand: Option<&str>, io: &mut Io<'_>) -> AppResult {
    let cmd = Cli::command();
    let page = match subcommand {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub.clone().name(format!("followup-{name}")),
            None => {
                writeln!(
                    io.err,
                    "error: there is no subcommand `{}`",
                    crate::text::terminal_safe(name)
                )?;
                return Ok(Exit::Error);
            }
        },
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    io.out
        .write_all(ascii_roff(&String::from_utf8_lossy(&roff)).as_bytes())?;
    Ok(Exit::Success)
}

/// Roff with every character outside ASCII written as groff's `\[uXXXX]` escape: groff
/// reads its input as Latin-1 and warns about (and garbles) UTF-8, such as the `❌` and
/// `✅` in the help of `done`.
fn ascii_roff(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len());
    for c in roff.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out
}
