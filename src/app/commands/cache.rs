//! `followup cache dir` and `followup cache clean`: where the cache of parsed notes is,
//! and removing it (see [`crate::cache`]).

use crate::app::cli::CacheAction;
use crate::app::settings::cache_dir;
use crate::app::{AppError, AppResult, Exit, Io};
use crate::cache::store;
use crate::fs::source::human_size;
use crate::text::display_bytes;

/// Run `cache dir` or `cache clean`.
pub fn cache(action: CacheAction, io: &mut Io<'_>) -> AppResult {
    let dir = cache_dir().ok_or_else(|| {
        AppError::msg("no cache folder: there is no home folder; set FOLLOWUP_CACHE_DIR")
    })?;
    let shown = display_bytes(dir.as_os_str().as_encoded_bytes());
    match action {
        CacheAction::Dir => writeln!(io.out, "{shown}")?,
        CacheAction::Clean => {
            let (files, bytes) = store::clean(&dir)
                .map_err(|e| AppError::msg(format!("cannot clean {shown}: {e}")))?;
            let s = if files == 1 { "" } else { "s" };
            writeln!(
                io.out,
                "removed {files} cache file{s} ({}) from {shown}",
                human_size(bytes)
            )?;
        }
    }
    Ok(Exit::Success)
}
