//! The formatted files of the previous run, so that a regeneration builds,
//! parses and prints only the files whose inputs changed.
//!
//! Parsing a file's tokens with syn, printing them with prettyplease and
//! listing their public API is most of a cold run; building the tokens with
//! `quote!` is most of what is left of a warm one. So a file is keyed by
//! what it is made from, without building it: the plan's and the features'
//! decisions (shared by all files), the model items it reads (a type and
//! the properties of its base chain, a tree file's nodes and their
//! endpoints, a mock file's endpoints, a fixture's operation) and, for the
//! API listing, what its folder's `mod.rs` exports from it, hashed as JSON
//! into a 128-bit xxh3 ([`Digest`]). Any change to the plan (an endpoint
//! added, a name given) misses every file's inputs key; each file is then
//! built, and taken from the cache still if its tokens' text is as last
//! time (its second key). What a hit gives back is what
//! building, parsing and printing gave back then, so output with a cache is
//! byte for byte the output without one (tested after random edits, and
//! for an inherited description in particular). The API listing is kept
//! whole too, keyed by every file's lines: a docs edit seldom changes a
//! signature, and then no file's lines are decoded.
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
use crate::build_id::generator_build;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// The previous run's formatted files by path, each with the key of the
/// inputs it was made from and its lines of the API listing, and the
/// listing's text with its key.
#[derive(Debug, Default)]
pub struct Cache {
    files: BTreeMap<String, Cached<'static>>,
    listing: Option<CachedListing<'static>>,
}

/// The cache as stored: owned when loaded, borrowed from the run's output
/// when saved.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    generator: Cow<'a, str>,
    files: Vec<(Cow<'a, str>, Cached<'a>)>,
    listing: Option<CachedListing<'a>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Cached<'a> {
    /// The key of what the file was made from ([`Digest`]), unless it
    /// could not be hashed.
    pub inputs: Option<u128>,
    /// The key of its tokens' text ([`key`]): a file whose inputs changed
    /// but whose tokens did not is not parsed and printed again.
    pub text: u128,
    pub contents: Cow<'a, str>,
    pub lines: Cow<'a, StoredLines>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct CachedListing<'a> {
    key: u128,
    text: Cow<'a, str>,
}

/// A file's lines of the API listing, encoded: most runs need only their
/// key (the listing is taken whole from the cache when no file's lines
/// changed), so they are decoded only when the listing is rebuilt.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct StoredLines {
    pub key: u128,
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
}

impl StoredLines {
    pub(super) fn of(lines: &Lines) -> StoredLines {
        // Encoding plain serde data into a vector cannot fail.
        let bytes = postcard::to_stdvec(lines).unwrap_or_default();
        StoredLines {
            key: xxhash_rust::xxh3::xxh3_128(&bytes),
            bytes,
        }
    }

    /// The lines, unless the bytes do not decode (a damaged cache).
    pub(super) fn decode(&self) -> Option<Lines> {
        postcard::from_bytes(&self.bytes).ok()
    }
}

impl Cache {
    /// The cache at `path`, if it was written by this build of the
    /// generator; otherwise an empty one.
    pub fn load(path: &Path) -> Cache {
        let Some(generator) = generator_build() else {
            return Cache::default();
        };
        let Ok(bytes) = std::fs::read(path) else {
            return Cache::default();
        };
        match postcard::from_bytes::<Stored<'_>>(&bytes) {
            Ok(stored) if stored.generator == generator => Cache {
                files: (stored.files.into_iter())
                    .map(|(path, cached)| (path.into_owned(), cached.into_owned()))
                    .collect(),
                listing: stored.listing.map(CachedListing::into_owned),
            },
            _ => Cache::default(),
        }
    }

    /// How many files (and pieces of files) it holds.
    pub(super) fn len(&self) -> usize {
        self.files.len()
    }

    /// The file at `path` last time.
    pub(super) fn get(&self, path: &str) -> Option<&Cached<'static>> {
        self.files.get(path)
    }

    /// The listing's text if it was made from `key` last time.
    pub(super) fn listing(&self, key: u128) -> Option<&str> {
        (self.listing.as_ref())
            .filter(|listing| listing.key == key)
            .map(|listing| &*listing.text)
    }
}

impl Cached<'_> {
    fn into_owned(self) -> Cached<'static> {
        Cached {
            inputs: self.inputs,
            text: self.text,
            contents: Cow::Owned(self.contents.into_owned()),
            lines: Cow::Owned(self.lines.into_owned()),
        }
    }
}

impl CachedListing<'_> {
    fn into_owned(self) -> CachedListing<'static> {
        CachedListing {
            key: self.key,
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

/// One run's cache, encoded, for the next run.
#[derive(Debug, Default)]
pub struct Snapshot(Vec<u8>);

impl Snapshot {
    /// The cache of `files` (path, inputs key, text key, contents, listing
    /// lines) and of the listing (its key and text) for this build of the
    /// generator.
    pub(super) fn of<'a>(
        files: impl IntoIterator<Item = (&'a str, Option<u128>, u128, &'a str, &'a StoredLines)>,
        listing: Option<(u128, &'a str)>,
    ) -> Snapshot {
        let stored = Stored {
            generator: Cow::Owned(generator_build().unwrap_or_default()),
            files: (files.into_iter())
                .map(|(path, inputs, text, contents, lines)| {
                    let cached = Cached {
                        inputs,
                        text,
                        contents: Cow::Borrowed(contents),
                        lines: Cow::Borrowed(lines),
                    };
                    (Cow::Borrowed(path), cached)
                })
                .collect(),
            listing: listing.map(|(key, text)| CachedListing {
                key,
                text: Cow::Borrowed(text),
            }),
        };
        // Encoding plain serde data into a vector cannot fail.
        Snapshot(postcard::to_stdvec(&stored).unwrap_or_default())
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
        std::fs::write(&temporary, &self.0)?;
        std::fs::rename(&temporary, path)
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

    /// Adds the key of another digest, or spoils this one if that one
    /// was spoilt.
    pub(super) fn add_key(&mut self, key: Option<u128>) -> &mut Digest {
        match key {
            Some(key) => self.hasher.update(&key.to_le_bytes()),
            None => self.spoilt = true,
        }
        self
    }

    /// The key of `value` alone.
    pub(super) fn of(value: &impl Serialize) -> Option<u128> {
        Digest::new().add(value).finish()
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

#[cfg(test)]
impl StoredLines {
    /// Lines whose bytes do not decode, as a damaged cache holds them.
    pub(super) fn damaged() -> StoredLines {
        StoredLines {
            key: 0,
            bytes: vec![0xff; 3],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_snapshot_loads_as_the_cache_it_describes() {
        let dir = std::env::temp_dir().join(format!("docgen-cache-unit-{}", std::process::id()));
        let path = dir.join("cache.bin");
        let lines = StoredLines::of(&Lines::default());
        assert!(lines.decode().is_some());
        assert!(StoredLines::damaged().decode().is_none());
        Snapshot::of(
            [("lib.rs", Some(7), 8, "// lib", &lines)],
            Some((9, "# api")),
        )
        .save(&path)
        .unwrap();
        let cache = Cache::load(&path);
        let cached = cache.get("lib.rs").expect("the file");
        assert_eq!((cached.inputs, cached.text), (Some(7), 8));
        assert_eq!(cached.contents, "// lib");
        assert_eq!(cached.lines.key, lines.key);
        assert!(cache.get("api.rs").is_none());
        assert_eq!(cache.listing(9), Some("# api"));
        assert_eq!(cache.listing(10), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
