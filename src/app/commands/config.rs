//! `followup config` (the settings in effect) and `followup init` (a starter file).

use std::path::{Path, PathBuf};

use crate::app::cli::{DocsFormat, InitArgs, ShowConfigArgs};
use crate::app::commands::check::markdown_for_terminal;
use crate::app::settings::load_config;
use crate::app::{AppResult, Exit, Io};
use crate::config::{FILE_NAMES, STARTER};
use crate::fs::write::write_new;
use crate::text::terminal_safe;

/// The configuration reference, `docs/configuration.md`, in the binary: the starter file
/// points to it (`followup config --docs`) for those who have no checkout.
pub const REFERENCE: &str = include_str!("../../../docs/configuration.md");

/// Run `config`: the settings as a TOML file that would give them, after a comment that
/// says where they came from.
pub fn show(args: ShowConfigArgs, io: &mut Io<'_>) -> AppResult {
    if args.docs {
        match args.format {
            DocsFormat::Text => io
                .out
                .write_all(markdown_for_terminal(REFERENCE).as_bytes())?,
            DocsFormat::Markdown => io.out.write_all(REFERENCE.as_bytes())?,
        }
        return Ok(Exit::Success);
    }
    let config = load_config(&args.config, &args.paths)?;
    match &config.file {
        Some(file) => {
            let cwd = std::env::current_dir()?;
            let shown = file.strip_prefix(&cwd).unwrap_or(file);
            writeln!(
                io.out,
                "# from {}",
                terminal_safe(&shown.display().to_string())
            )?;
        }
        None if args.config.isolated => writeln!(io.out, "# defaults (--isolated)")?,
        None => writeln!(
            io.out,
            "# defaults: no {} or {} from here up to the repository root",
            FILE_NAMES[0], FILE_NAMES[1]
        )?,
    }
    io.out.write_all(config.to_toml().as_bytes())?;
    Ok(Exit::Success)
}

/// Run `init`: write the starter file, never over an existing configuration.
pub fn init(args: InitArgs, io: &mut Io<'_>) -> AppResult {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let path = dir.join(FILE_NAMES[0]);
    let shown = |p: &Path| terminal_safe(&p.display().to_string()).into_owned();
    if let Some(existing) = FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.exists()) {
        writeln!(
            io.err,
            "error: {} already exists; not overwriting it",
            shown(&existing)
        )?;
        return Ok(Exit::Error);
    }
    match write_new(&path, STARTER) {
        Ok(()) => {
            writeln!(io.err, "wrote {}", shown(&path))?;
            Ok(Exit::Success)
        }
        Err(e) => {
            writeln!(io.err, "error: cannot write {}: {e}", shown(&path))?;
            Ok(Exit::Error)
        }
    }
}
