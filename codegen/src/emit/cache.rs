//! The formatted files of the previous run, so that a regeneration parses
//! and prints only the files whose tokens changed.
//!
//! Building a file's tokens with `quote!` is the cheap part of emitting;
//! parsing them with syn, printing them with prettyplease and listing their
//! public API is most of a run. A file whose input is what it was last time
//! is taken from the cache instead: its input is its tokens' text and, for
//! the API listing, what its folder's `mod.rs` exports from it, and the key
//! is a 128-bit xxh3 of both. What a hit gives back is what parsing and
//! printing gave back then, so output with a cache is byte for byte the
//! output without one (tested after random edits).
//!
//! A cache belongs to one build of the generator (its executable's path,
//! size and modification time): a rebuilt generator, which may print or
//! list differently, starts afresh. A cache file that is missing, truncated
//! or from another build is an empty cache, never an error. The writer
//! still compares every file with the disk, so a file edited by hand is
//! restored whatever the cache holds.

use super::api_listing::Lines;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// Formatted files by path, each with the key of the input it was made
/// from and its lines of the API listing.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    generator: String,
    files: BTreeMap<String, Cached>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Cached {
    /// [`key`] as hexadecimal.
    key: String,
    pub contents: String,
    pub lines: Lines,
}

impl Cache {
    /// The cache at `path`, if it was written by this build of the
    /// generator; otherwise an empty one.
    pub fn load(path: &Path) -> Cache {
        let Some(generator) = generator() else {
            return Cache::default();
        };
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
            .filter(|cache| cache.generator == generator)
            .unwrap_or_default()
    }

    /// Writes the cache to `path` through a temporary sibling, so that a
    /// run killed meanwhile leaves the old cache or none.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let bytes = serde_json::to_vec(self).map_err(io::Error::other)?;
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, path)
    }

    /// The file at `path` if its input had `key` last time.
    pub(super) fn get(&self, path: &str, key: u128) -> Option<&Cached> {
        self.files
            .get(path)
            .filter(|cached| cached.key == format!("{key:032x}"))
    }

    /// A cache of `files` (path, key, contents, listing lines) for this
    /// build of the generator.
    pub(super) fn of(files: impl IntoIterator<Item = (String, u128, String, Lines)>) -> Cache {
        Cache {
            generator: generator().unwrap_or_default(),
            files: files
                .into_iter()
                .map(|(path, key, contents, lines)| {
                    let key = format!("{key:032x}");
                    (
                        path,
                        Cached {
                            key,
                            contents,
                            lines,
                        },
                    )
                })
                .collect(),
        }
    }
}

/// The key of a file's input: its tokens' text and what its folder
/// exports from it.
pub(super) fn key(tokens: &str, exports: &str) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(tokens.as_bytes());
    hasher.update(&[0]);
    hasher.update(exports.as_bytes());
    hasher.digest128()
}

/// This build of the generator: the running executable's path, size and
/// modification time. `None` when they cannot be read, and then nothing is
/// cached.
fn generator() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}.{:09}",
        exe.display(),
        meta.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ))
}
