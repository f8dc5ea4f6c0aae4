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
//! or list differently, starts afresh. It is two files. The blob file
//! (`<cache>.blobs`) holds the formatted texts and encoded lines end to
//! end; a run appends only what it printed, and rewrites the file when
//! most of it is no longer referenced, so that after a docs edit a run
//! writes kilobytes rather than every file again and reads the texts
//! without decoding them. The index (postcard, a compact binary serde
//! format) holds each file's keys and where its bytes lie, with their
//! hash: bytes that are not what was put there (a blob file cut short,
//! written over) are a miss for the entries they hold. An index that is
//! missing, truncated or from another build, or a blob file of another
//! generation, is an empty cache, never an error. The writer still
//! compares every file with the disk, so a file edited by hand is restored
//! whatever the cache holds.

use super::api_listing::Lines;
use crate::build_id::generator_build;
use crate::replace::replace;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The previous run's formatted files by path, each with the key of the
/// inputs it was made from and its lines of the API listing, and the
/// listing's text with its key. Texts and lines lie in the blob file;
/// the index names where.
#[derive(Debug, Default)]
pub struct Cache {
    files: BTreeMap<String, Entry>,
    listing: Option<(u128, Blob)>,
    blobs: Blobs,
}

/// The index as stored.
#[derive(Serialize, Deserialize)]
struct Index<'a> {
    generator: Cow<'a, str>,
    /// The blob file this index points into ([`Blobs`]).
    generation: u64,
    files: Vec<(Cow<'a, str>, Entry)>,
    listing: Option<(u128, Blob)>,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Entry {
    /// The key of what the file was made from ([`Digest`]), unless it
    /// could not be hashed.
    inputs: Option<u128>,
    /// The key of its tokens' text ([`key`]): a file whose inputs changed
    /// but whose tokens did not is not parsed and printed again.
    text: u128,
    contents: Blob,
    lines_key: u128,
    lines: Blob,
}

/// Where some bytes lie in the blob file, and their xxh3, so that bytes
/// that are not what was put there (a torn append, another process's) are
/// a miss, never wrong output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Blob {
    start: u64,
    len: u64,
    hash: u64,
}

/// The blob file: a header (a tag and the generation its index names),
/// then texts and encoded lines end to end. A run appends what it printed
/// and rewrites the file only when most of it is no longer referenced, so
/// that a docs edit writes a few kilobytes rather than every file's text.
#[derive(Debug, Default)]
struct Blobs {
    generation: u64,
    bytes: Vec<u8>,
}

const TAG: &[u8; 8] = b"docgen\0\x01";
const HEADER: u64 = 16;

impl Blobs {
    /// The blob file at `path`, if its header names `generation`.
    fn load(path: &Path, generation: u64) -> Option<Blobs> {
        let bytes = std::fs::read(path).ok()?;
        (header(&bytes) == Some(generation)).then_some(Blobs { generation, bytes })
    }

    /// The bytes of `blob`, if they are still what was put there.
    fn get(&self, blob: Blob) -> Option<&[u8]> {
        let start = usize::try_from(blob.start).ok()?;
        let end = start.checked_add(usize::try_from(blob.len).ok()?)?;
        let bytes = self.bytes.get(start..end)?;
        (start >= HEADER as usize && xxhash_rust::xxh3::xxh3_64(bytes) == blob.hash)
            .then_some(bytes)
    }
}

/// The generation a blob file's header names.
fn header(bytes: &[u8]) -> Option<u64> {
    let (tag, rest) = bytes.split_first_chunk::<8>()?;
    let (generation, _) = rest.split_first_chunk::<8>()?;
    (tag == TAG).then(|| u64::from_le_bytes(*generation))
}

/// A file's entry, as a hit gives it back.
pub(super) struct Cached<'c> {
    pub inputs: Option<u128>,
    pub text: u128,
    pub contents: &'c str,
    pub lines: StoredLines<'c>,
    /// Where they lie, for the next run's index.
    pub kept: Kept,
}

/// Where a reused piece's text and lines lie in the blob file.
#[derive(Clone, Copy, Debug)]
pub(super) struct Kept {
    contents: Blob,
    lines: Blob,
}

/// A file's lines of the API listing, encoded: most runs need only their
/// key (the listing is taken whole from the cache when no file's lines
/// changed), so they are decoded only when the listing is rebuilt.
#[derive(Clone, Debug)]
pub(super) struct StoredLines<'a> {
    pub key: u128,
    bytes: Cow<'a, [u8]>,
}

impl StoredLines<'_> {
    pub(super) fn of(lines: &Lines) -> StoredLines<'static> {
        // Encoding plain serde data into a vector cannot fail.
        let bytes = postcard::to_stdvec(lines).unwrap_or_default();
        StoredLines {
            key: xxhash_rust::xxh3::xxh3_128(&bytes),
            bytes: Cow::Owned(bytes),
        }
    }

    /// The lines, unless the bytes do not decode (a damaged cache).
    pub(super) fn decode(&self) -> Option<Lines> {
        postcard::from_bytes(&self.bytes).ok()
    }
}

/// The blob file beside the index at `path`.
fn blobs_beside(path: &Path) -> PathBuf {
    let mut blobs = path.as_os_str().to_owned();
    blobs.push(".blobs");
    PathBuf::from(blobs)
}

impl Cache {
    /// The cache at `path` (and its blob file beside it), if it was
    /// written by this build of the generator; otherwise an empty one.
    pub fn load(path: &Path) -> Cache {
        let Some(generator) = generator_build() else {
            return Cache::default();
        };
        let Ok(bytes) = std::fs::read(path) else {
            return Cache::default();
        };
        let index = match postcard::from_bytes::<Index<'_>>(&bytes) {
            Ok(index) if index.generator == generator => index,
            _ => return Cache::default(),
        };
        let Some(blobs) = Blobs::load(&blobs_beside(path), index.generation) else {
            return Cache::default();
        };
        Cache {
            files: (index.files.into_iter())
                .map(|(path, entry)| (path.into_owned(), entry))
                .collect(),
            listing: index.listing,
            blobs,
        }
    }

    /// How many files (and pieces of files) it holds.
    pub(super) fn len(&self) -> usize {
        self.files.len()
    }

    /// The file at `path` last time, unless its bytes are not what was
    /// put there.
    pub(super) fn get(&self, path: &str) -> Option<Cached<'_>> {
        let entry = self.files.get(path)?;
        let contents = std::str::from_utf8(self.blobs.get(entry.contents)?).ok()?;
        let lines = self.blobs.get(entry.lines)?;
        Some(Cached {
            inputs: entry.inputs,
            text: entry.text,
            contents,
            lines: StoredLines {
                key: entry.lines_key,
                bytes: Cow::Borrowed(lines),
            },
            kept: Kept {
                contents: entry.contents,
                lines: entry.lines,
            },
        })
    }

    /// The listing's text if it was made from `key` last time.
    pub(super) fn listing(&self, key: u128) -> Option<&str> {
        let (kept, blob) = self.listing?;
        (kept == key)
            .then(|| self.blobs.get(blob))
            .flatten()
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    }
}

/// One piece of this run's output, for the next run's cache.
#[derive(Clone)]
pub(super) struct Record<'a> {
    pub path: &'a str,
    pub inputs: Option<u128>,
    pub text: u128,
    pub contents: &'a str,
    pub lines: &'a StoredLines<'a>,
    /// Where its text and lines already lie, when it came from the cache.
    pub kept: Option<Kept>,
}

/// One run's cache, encoded, for the next run: the index, and what to
/// write to the blob file.
#[derive(Debug)]
pub struct Snapshot {
    index: Vec<u8>,
    blobs: BlobWrite,
}

/// What a snapshot writes to the blob file.
#[derive(Debug)]
enum BlobWrite {
    /// Bytes to add at the end of the blob file, which must still be as
    /// loaded: `at` bytes long, its header naming `generation`.
    Append {
        generation: u64,
        at: u64,
        bytes: Vec<u8>,
    },
    /// A whole new blob file, header included.
    Whole(Vec<u8>),
}

/// Blobs put end to end after `base` bytes.
struct Appender {
    base: u64,
    bytes: Vec<u8>,
}

impl Appender {
    fn put(&mut self, data: &[u8]) -> Blob {
        let start = self.base + self.bytes.len() as u64;
        self.bytes.extend_from_slice(data);
        Blob {
            start,
            len: data.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_64(data),
        }
    }
}

/// Bytes no longer referenced that a blob file may hold beyond what is
/// referenced before it is rewritten: as much again, and a megabyte.
const SLACK: u64 = 1 << 20;

impl Snapshot {
    /// The cache of `records` and of the listing (its key and text) for
    /// this build of the generator. What `cache` already holds is
    /// referenced where it lies, and the rest appended, unless the blob
    /// file would then be mostly unreferenced bytes: it is then written
    /// anew, every blob copied.
    pub(super) fn of<'a>(
        cache: &Cache,
        records: impl Iterator<Item = Record<'a>> + Clone,
        listing: Option<(u128, &'a str)>,
    ) -> Snapshot {
        // The listing's blob is referenced again only if it still reads:
        // a damaged one is written anew, not left to miss on every run.
        let kept_listing = listing.and_then(|(key, _)| {
            cache.listing(key)?;
            cache.listing.map(|(_, blob)| blob)
        });
        // Bytes referenced, and bytes not yet in the blob file.
        let size = |r: &Record<'_>| (r.contents.len() + r.lines.bytes.len()) as u64;
        let listed = listing.map_or(0, |(_, text)| text.len() as u64);
        let live = records.clone().map(|r| size(&r)).sum::<u64>() + listed;
        let new = (records.clone().filter(|r| r.kept.is_none()))
            .map(|r| size(&r))
            .sum::<u64>()
            + kept_listing.map_or(listed, |_| 0);
        let at = cache.blobs.bytes.len() as u64;
        let append = cache.blobs.generation != 0 && at + new <= 2 * live + SLACK;
        // Appended blobs start where the file ends; a new file's after its
        // header.
        let mut out = match append {
            true => Appender {
                base: at,
                bytes: Vec::new(),
            },
            // The header, its generation filled in below.
            false => Appender {
                base: 0,
                bytes: [TAG.as_slice(), &[0; 8]].concat(),
            },
        };
        let files = records
            .map(|r| {
                let (contents, lines) = match r.kept {
                    Some(kept) if append => (kept.contents, kept.lines),
                    _ => (out.put(r.contents.as_bytes()), out.put(&r.lines.bytes)),
                };
                let entry = Entry {
                    inputs: r.inputs,
                    text: r.text,
                    contents,
                    lines_key: r.lines.key,
                    lines,
                };
                (Cow::Borrowed(r.path), entry)
            })
            .collect();
        let listing = listing.map(|(key, text)| match kept_listing {
            Some(blob) if append => (key, blob),
            _ => (key, out.put(text.as_bytes())),
        });
        // A new file's generation is the hash of what it holds: the same
        // output gives the same files, and another output another
        // generation.
        let generation = match append {
            true => cache.blobs.generation,
            false => {
                let generation = xxhash_rust::xxh3::xxh3_64(&out.bytes[HEADER as usize..]).max(1);
                out.bytes[TAG.len()..HEADER as usize].copy_from_slice(&generation.to_le_bytes());
                generation
            }
        };
        let index = Index {
            generator: Cow::Owned(generator_build().unwrap_or_default()),
            generation,
            files,
            listing,
        };
        Snapshot {
            // Encoding plain serde data into a vector cannot fail.
            index: postcard::to_stdvec(&index).unwrap_or_default(),
            blobs: match append {
                true => BlobWrite::Append {
                    generation,
                    at,
                    bytes: out.bytes,
                },
                false => BlobWrite::Whole(out.bytes),
            },
        }
    }

    /// Writes the blobs, then the index at `path` through a temporary
    /// sibling, so that a run killed meanwhile leaves an index that points
    /// at bytes still there, or at a blob file of another generation
    /// (an empty cache).
    ///
    /// # Errors
    /// When a file cannot be written, or the blob file to append to is no
    /// longer as loaded.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        // No run could use a cache of a build that cannot be told.
        if generator_build().is_none() {
            return Ok(());
        }
        let blobs = blobs_beside(path);
        match &self.blobs {
            BlobWrite::Append {
                generation,
                at,
                bytes,
            } => {
                let mut file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(&blobs)?;
                let mut head = [0; HEADER as usize];
                file.read_exact(&mut head)?;
                if header(&head) != Some(*generation) || file.metadata()?.len() != *at {
                    return Err(io::Error::other(
                        "the blob file changed since it was loaded",
                    ));
                }
                file.seek(io::SeekFrom::Start(*at))?;
                file.write_all(bytes)?;
            }
            BlobWrite::Whole(bytes) => replace(&blobs, bytes)?,
        }
        replace(path, &self.index)
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
impl StoredLines<'static> {
    /// Lines whose bytes do not decode, as a damaged cache holds them.
    pub(super) fn damaged() -> StoredLines<'static> {
        StoredLines {
            key: 0,
            bytes: Cow::Owned(vec![0xff; 3]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(
        path: &'a str,
        contents: &'a str,
        lines: &'a StoredLines<'a>,
        kept: Option<Kept>,
    ) -> Record<'a> {
        Record {
            path,
            inputs: Some(7),
            text: 8,
            contents,
            lines,
            kept,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("docgen-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("cache.bin")
    }

    #[test]
    fn a_saved_snapshot_loads_as_the_cache_it_describes() {
        let path = scratch("unit");
        let lines = StoredLines::of(&Lines::default());
        assert!(lines.decode().is_some());
        assert!(StoredLines::damaged().decode().is_none());
        let records = [record("lib.rs", "// lib", &lines, None)];
        Snapshot::of(&Cache::default(), records.into_iter(), Some((9, "# api")))
            .save(&path)
            .unwrap();
        let cache = Cache::load(&path);
        let cached = cache.get("lib.rs").expect("the file");
        assert_eq!((cached.inputs, cached.text), (Some(7), 8));
        assert_eq!(cached.contents, "// lib");
        assert_eq!(cached.lines.key, lines.key);
        assert!(cached.lines.decode().is_some());
        assert!(cache.get("api.rs").is_none());
        assert_eq!(cache.listing(9), Some("# api"));
        assert_eq!(cache.listing(10), None);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    /// The texts of the cache at `path`, by file.
    fn texts(path: &Path) -> Vec<(String, String)> {
        let cache = Cache::load(path);
        (cache.files.keys())
            .map(|file| {
                (
                    file.clone(),
                    cache
                        .get(file)
                        .expect("every entry reads")
                        .contents
                        .to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn a_run_appends_what_it_printed_and_rewrites_a_mostly_dead_file() {
        let path = scratch("append");
        let blobs = blobs_beside(&path);
        let lines = StoredLines::of(&Lines::default());
        let big = "x".repeat(SLACK as usize);
        let records = [
            record("a.rs", "// a", &lines, None),
            record("b.rs", &big, &lines, None),
        ];
        Snapshot::of(&Cache::default(), records.into_iter(), None)
            .save(&path)
            .unwrap();
        let first = std::fs::metadata(&blobs).unwrap().len();

        // `a.rs` reprinted, `b.rs` kept where it lies: only `a.rs` is
        // appended.
        let cache = Cache::load(&path);
        let kept = cache.get("b.rs").unwrap().kept;
        let records = [
            record("a.rs", "// a2", &lines, None),
            record("b.rs", &big, &lines, Some(kept)),
        ];
        Snapshot::of(&cache, records.into_iter(), None)
            .save(&path)
            .unwrap();
        let second = std::fs::metadata(&blobs).unwrap().len();
        assert_eq!(
            second,
            first + "// a2".len() as u64 + lines.bytes.len() as u64
        );
        assert_eq!(
            texts(&path),
            [
                ("a.rs".into(), "// a2".into()),
                ("b.rs".into(), big.clone())
            ]
        );

        // `b.rs` gone: the file is now mostly unreferenced, and rewritten.
        let cache = Cache::load(&path);
        let records = [record("a.rs", "// a3", &lines, None)];
        Snapshot::of(&cache, records.into_iter(), None)
            .save(&path)
            .unwrap();
        assert!(std::fs::metadata(&blobs).unwrap().len() < 100);
        assert_eq!(texts(&path), [("a.rs".into(), "// a3".into())]);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn bytes_that_are_not_what_was_put_there_are_a_miss() {
        let path = scratch("damaged");
        let blobs = blobs_beside(&path);
        let lines = StoredLines::of(&Lines::default());
        let records = [
            record("a.rs", "// a", &lines, None),
            record("b.rs", "// b", &lines, None),
        ];
        Snapshot::of(&Cache::default(), records.into_iter(), Some((1, "# api")))
            .save(&path)
            .unwrap();
        let cache = Cache::load(&path);

        // A blob overwritten in place: that entry alone is a miss.
        let mut bytes = std::fs::read(&blobs).unwrap();
        let at = bytes.windows(4).position(|w| w == b"// b").unwrap();
        bytes[at + 3] = b'c';
        std::fs::write(&blobs, &bytes).unwrap();
        let damaged = Cache::load(&path);
        assert!(damaged.get("a.rs").is_some());
        assert!(damaged.get("b.rs").is_none());

        // A blob file that grew since it was loaded is not appended to.
        let records = [record(
            "a.rs",
            "// a2",
            &lines,
            cache.get("a.rs").map(|c| c.kept),
        )];
        let snapshot = Snapshot::of(&cache, records.into_iter(), None);
        bytes.extend_from_slice(b"more");
        std::fs::write(&blobs, &bytes).unwrap();
        assert!(snapshot.save(&path).is_err());

        // Another generation's blob file, a truncated index, or none at
        // all: an empty cache.
        bytes[10] ^= 1;
        std::fs::write(&blobs, &bytes).unwrap();
        assert!(Cache::load(&path).files.is_empty());
        std::fs::remove_file(&blobs).unwrap();
        assert!(Cache::load(&path).files.is_empty());
        let index = std::fs::read(&path).unwrap();
        std::fs::write(&path, &index[..index.len() / 2]).unwrap();
        assert!(Cache::load(&path).files.is_empty());
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
