//! Files replaced in one step: written under a temporary name beside the
//! target, then renamed over it, so that a run killed meanwhile leaves the
//! old file or none, never half of one. The writer stages the generated
//! files this way; the records a run keeps for the next (the parsed pages,
//! the cache, the stamp) are saved this way.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The ending of temporary files' names.
pub(crate) const TEMPORARY: &str = ".docgen-tmp";

/// A name beside `target` that no other writer uses at the same time, so
/// that two runs over one directory never share a temporary file.
pub(crate) fn temporary_sibling(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!(".{name}.{}.{n}{TEMPORARY}", std::process::id()))
}

/// Replaces the file at `path` with `bytes` in one step, creating its
/// folder if need be.
pub(crate) fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = temporary_sibling(path);
    if let Err(e) = std::fs::write(&temporary, bytes) {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    std::fs::rename(&temporary, path)
}
