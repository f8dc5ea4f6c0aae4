//! Files replaced in one step: written under a temporary name beside the
//! target, then renamed over it, so that a run killed meanwhile leaves the
//! old file or none, never half of one. The writer stages the generated
//! files this way; the records a run keeps for the next (the parsed pages,
//! the cache, the stamp) are saved this way, and the temporary files a
//! killed run left beside them are swept when they are next saved.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

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
/// folder if need be, then deletes what runs killed while replacing it
/// left behind ([`sweep`]).
pub(crate) fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = temporary_sibling(path);
    if let Err(e) = std::fs::write(&temporary, bytes) {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    std::fs::rename(&temporary, path)?;
    sweep(path);
    Ok(())
}

/// How old a temporary file must be to be taken for a killed run's: a
/// replacement is one write and a rename, over in seconds, so an older
/// one belongs to no live run.
const ABANDONED: Duration = Duration::from_secs(15 * 60);

/// Deletes the temporary siblings of `target` ([`temporary_sibling`])
/// that were last written [`ABANDONED`] ago or more: a run killed between
/// writing one and renaming it leaves it there (megabytes, for the parsed
/// pages), and the writer's sweep of the output directory does not reach
/// the records kept beside the cache. Best effort: what cannot be listed
/// or deleted stays.
fn sweep(target: &Path) {
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let abandoned = || {
            let modified = entry.metadata().and_then(|m| m.modified()).ok();
            modified
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age >= ABANDONED)
        };
        if file.starts_with(&prefix) && file.ends_with(TEMPORARY) && abandoned() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    #[test]
    fn a_killed_runs_temporaries_are_swept_and_a_live_runs_kept() {
        let dir = std::env::temp_dir().join(format!("docgen-replace-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("cache.bin");
        let old = temporary_sibling(&target);
        let live = temporary_sibling(&target);
        let other = temporary_sibling(&dir.join("other.bin"));
        for path in [&old, &live, &other] {
            std::fs::write(path, b"partial").unwrap();
        }
        let long_ago = SystemTime::now() - ABANDONED - Duration::from_secs(60);
        for path in [&old, &other] {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(long_ago).unwrap();
        }
        replace(&target, b"whole").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
        assert!(!old.exists(), "abandoned long ago");
        assert!(live.exists(), "may be another run's, still writing");
        assert!(other.exists(), "another record's");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
