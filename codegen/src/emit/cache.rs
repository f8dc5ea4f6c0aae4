//! The formatted files of the previous run, so that a regeneration builds,
//! parses and prints only the files whose inputs changed.
//!
//! Parsing a file's tokens with syn, printing them with prettyplease and
//! listing their public API is most of a cold run; building the tokens with
//! `quote!` is most of what is left of a warm one. So a file is keyed by
//! what it is made from, without building it: the plan's and the features'
//! decisions (shared by all files), the model items it reads (a type and
//! the properties of its base chain, a tree file's nodes and their
//! endpoints) and, for the API listing, what its folder's `mod.rs` exports
//! from it, hashed as JSON into a 128-bit xxh3 ([`Digest`]). Files whose
//! tokens are built in one pass for the whole crate (fixtures, the mock)
//! are keyed by their tokens' text instead. What a hit gives back is what
//! building, parsing and printing gave back then, so output with a cache is
//! byte for byte the output without one (tested after random edits, and
//! for an inherited description in particular).
//!
//! A cache belongs to one build of the generator (its executable's path,
//! size and modification time): a rebuilt generator, which may emit, print
//! or list differently, starts afresh. It is stored with postcard, a compact
//! binary serde format: the cache is mostly Rust source, which JSON would
//! escape and unescape. A cache file that is missing, truncated or from
//! another build is an empty cache, never an error. The writer still
//! compares every file with the disk, so a file edited by hand is restored
//! whatever the cache holds.

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
    key: u128,
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
            .and_then(|bytes| postcard::from_bytes::<Cache>(&bytes).ok())
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
        let bytes = postcard::to_stdvec(self).map_err(io::Error::other)?;
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, path)
    }

    /// The file at `path` if its input had `key` last time.
    pub(super) fn get(&self, path: &str, key: u128) -> Option<&Cached> {
        self.files.get(path).filter(|cached| cached.key == key)
    }

    /// A cache of `files` (path, key, contents, listing lines) for this
    /// build of the generator.
    pub(super) fn of(files: impl IntoIterator<Item = (String, u128, String, Lines)>) -> Cache {
        Cache {
            generator: generator().unwrap_or_default(),
            files: files
                .into_iter()
                .map(|(path, key, contents, lines)| {
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

/// A key built from serde values: what a file is made from, hashed
/// without building its tokens. Each value is hashed as its JSON, so the
/// values must serialise the same way whenever they are equal (no
/// `HashMap`s: sorted views of them). A value that fails to serialise
/// spoils the digest, and the file is then keyed by its tokens instead.
#[derive(Clone)]
pub(super) struct Digest {
    hasher: xxhash_rust::xxh3::Xxh3,
    spoilt: bool,
}

impl Digest {
    pub(super) fn new() -> Digest {
        Digest {
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            spoilt: false,
        }
    }

    /// Adds `value`, closed by a separator so that no two sequences of
    /// values hash alike by running into each other.
    pub(super) fn add(&mut self, value: &impl Serialize) -> &mut Digest {
        if serde_json::to_writer(&mut *self, value).is_err() {
            self.spoilt = true;
        }
        self.hasher.update(&[0]);
        self
    }

    /// The key, unless a value failed to serialise.
    pub(super) fn finish(&self) -> Option<u128> {
        (!self.spoilt).then(|| self.hasher.digest128())
    }
}

impl io::Write for Digest {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.hasher.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
