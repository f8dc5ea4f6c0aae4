//! The pages the previous run parsed, so that a run parses only the pages
//! whose bytes changed.
//!
//! Parsing is the largest stage of a run after a docs edit: pulldown-cmark's
//! walk, the tables and the annotations' JSON of every page. A page's
//! [`Page`] and findings depend on nothing but its name and bytes, so each
//! is kept under a 128-bit xxh3 of those two ([`key`]). Splicing the
//! fragments in reads other pages and runs after, on every run.
//!
//! Entries are kept encoded (postcard): a hit is decoded, which costs a
//! fraction of parsing, and this run's set hands the previous run's bytes
//! on, so saving encodes only the pages parsed. Each entry carries the
//! xxh3 of its bytes: an entry that is not what was put there, or that
//! does not decode into a page of the file it is keyed under, is parsed
//! again, which also makes the set be saved anew. Like the cache of
//! formatted files, the set belongs to one build of the generator; a set
//! that does not decode, is missing or is from another build is empty.
//! The output is the same with or without it (tested after random edits,
//! and with an entry damaged on disk).

use super::Page;
use crate::build_id::generator_build;
use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::path::Path;

/// Encoded pages and their findings, by the hash of their name and bytes.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The file the set was loaded from, in which kept entries lie: a
    /// hit is read where it lies rather than copied out.
    file: Vec<u8>,
    entries: HashMap<u128, Bytes>,
    /// Whether this set differs from the one it was built from, so that
    /// an unchanged set is not written again.
    changed: bool,
}

/// Where an entry's bytes are.
#[derive(Debug)]
pub(super) enum Bytes {
    /// In the loaded file, with the hash they were saved with.
    Kept { range: Range<usize>, hash: u64 },
    /// Encoded by this run.
    New(Vec<u8>),
}

/// The set as stored: borrowed from the set when saved, from the file
/// when loaded. Each entry: its key, the xxh3 of its bytes, its bytes.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    generator: Cow<'a, str>,
    #[serde(borrow)]
    entries: Vec<(u128, u64, &'a serde_bytes::Bytes)>,
}

/// The key of a file's name and bytes, each length-prefixed so that no two
/// pairs run into each other.
pub(super) fn key(file: &str, bytes: &[u8]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for field in [file.as_bytes(), bytes] {
        hasher.update(&(field.len() as u64).to_le_bytes());
        hasher.update(field);
    }
    hasher.digest128()
}

impl Parsed {
    /// The set saved at `path` by this build of the generator; otherwise
    /// an empty one.
    pub fn load(path: &Path) -> Parsed {
        let (Some(generator), Ok(file)) = (generator_build(), std::fs::read(path)) else {
            return Parsed::default();
        };
        let entries = match postcard::from_bytes::<Stored<'_>>(&file) {
            Ok(stored) if stored.generator == generator => (stored.entries.into_iter())
                .filter_map(|(key, hash, bytes)| {
                    // Each entry borrows from `file`: where it lies there.
                    let start = (bytes.as_ptr() as usize).checked_sub(file.as_ptr() as usize)?;
                    let range = start..start.checked_add(bytes.len())?;
                    (range.end <= file.len()).then_some((key, Bytes::Kept { range, hash }))
                })
                .collect(),
            _ => return Parsed::default(),
        };
        Parsed {
            file,
            entries,
            changed: false,
        }
    }

    /// Whether this set must be saved for the next run to find it.
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// Writes the set to `path` through a temporary sibling, so that a run
    /// killed meanwhile leaves the old set or none. Entries are written in
    /// key order, so that equal sets give equal files. Nothing is written
    /// when this build of the generator cannot be told: no run could use
    /// the set.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let Some(generator) = generator_build() else {
            return Ok(());
        };
        let mut entries: Vec<_> = (self.entries.iter())
            .map(|(key, bytes)| {
                let (bytes, hash) = match bytes {
                    Bytes::Kept { range, hash } => (&self.file[range.clone()], *hash),
                    Bytes::New(bytes) => (bytes.as_slice(), xxhash_rust::xxh3::xxh3_64(bytes)),
                };
                (*key, hash, serde_bytes::Bytes::new(bytes))
            })
            .collect();
        entries.sort_unstable_by_key(|(key, ..)| *key);
        let stored = Stored {
            generator: Cow::Owned(generator),
            entries,
        };
        let bytes = postcard::to_stdvec(&stored).map_err(io::Error::other)?;
        crate::replace::replace(path, &bytes)
    }

    /// The loaded entry under `key`, if its bytes are what was saved,
    /// and where it lies, for the next set. (Only a loaded set is looked
    /// up; entries encoded by this run are there to be saved.)
    pub(super) fn get(&self, key: u128) -> Option<(&[u8], Bytes)> {
        let Bytes::Kept { range, hash } = self.entries.get(&key)? else {
            return None;
        };
        let bytes = self.file.get(range.clone())?;
        (xxhash_rust::xxh3::xxh3_64(bytes) == *hash).then(|| {
            let kept = Bytes::Kept {
                range: range.clone(),
                hash: *hash,
            };
            (bytes, kept)
        })
    }

    /// The set of this run's entries, which lie in `previous`'s file or
    /// were encoded afresh; marked changed when any was, or `previous`
    /// holds entries no page took (every other entry was taken from it,
    /// each by one page).
    pub(super) fn of(entries: impl IntoIterator<Item = (u128, Bytes)>, previous: Parsed) -> Parsed {
        let entries: HashMap<u128, Bytes> = entries.into_iter().collect();
        let afresh = entries.values().any(|b| matches!(b, Bytes::New(_)));
        Parsed {
            changed: afresh || entries.len() != previous.entries.len(),
            file: previous.file,
            entries,
        }
    }
}

/// A page and its findings, encoded for the set.
pub(super) fn encode(page: &Page, found: &[Diagnostic]) -> Vec<u8> {
    // Encoding plain serde data into a vector cannot fail; an empty entry
    // does not decode and is parsed again next time.
    postcard::to_stdvec(&(page, found)).unwrap_or_default()
}

/// The page of `file` and its findings, unless `bytes` do not decode into
/// a page of that file.
pub(super) fn decode(file: &str, bytes: &[u8]) -> Option<(Page, Vec<Diagnostic>)> {
    postcard::from_bytes::<(Page, Vec<Diagnostic>)>(bytes)
        .ok()
        .filter(|(page, _)| page.file == file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Sources;

    /// A docs tree of a page with an annotated example, a page including
    /// a fragment, and the fragment.
    fn tree(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("docgen-reuse-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |path: &str, text: &str| {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "api/user-get.md",
            "# Get user\n\n## HTTP request\n\n<!-- { \"blockType\": \"request\", \"n\": 1.5e3, \"deep\": {\"a\": [null, true]}, } -->\n```http\nGET /users/{id}\n```\n\n| Name | Type |\n|:--|:--|\n| a | String |\n\n<!-- { \"blockType\": oops } -->\n```json\n{}\n```\n",
        );
        write(
            "api/team-get.md",
            "# Get team\n\n## Permissions\n\n[!INCLUDE [permissions](../includes/team-permissions.md)]\n",
        );
        write(
            "includes/team-permissions.md",
            "| Permission type | Permissions |\n|:--|:--|\n| Application | Team.Read.All |\n",
        );
        dir
    }

    #[test]
    fn reused_pages_are_the_pages_parsed_whatever_the_set_holds() {
        let dir = tree("same");
        let cold = Sources::read(&dir).parse();
        assert!(
            !cold.1.is_empty(),
            "the invalid annotation is a finding to keep"
        );
        let (first_pages, first_found, first) =
            Sources::read(&dir).parse_reusing(Some(Parsed::default()));
        let first = first.expect("a set for a set");
        assert_eq!((&first_pages, &first_found), (&cold.0, &cold.1));
        assert!(first.changed(), "every page was parsed afresh");
        assert_eq!(first.entries.len(), 3, "the fragment is kept too");

        // Saved and loaded, every page is decoded, the annotation's JSON
        // included, and the set is not written again.
        let path = dir.join("target/pages");
        first.save(&path).unwrap();
        let loaded = Parsed::load(&path);
        for (key, bytes) in &first.entries {
            let Bytes::New(bytes) = bytes else {
                panic!("a first run's entries are new")
            };
            assert_eq!(
                loaded.get(*key).map(|(kept, _)| kept),
                Some(bytes.as_slice())
            );
        }
        assert_eq!(loaded.entries.len(), first.entries.len());
        let (pages, found, second) = Sources::read(&dir).parse_reusing(Some(loaded));
        let second = second.expect("a set for a set");
        assert_eq!((&pages, &found), (&cold.0, &cold.1));
        assert!(!second.changed());

        // An entry whose bytes changed on disk is parsed again, even when
        // they still decode, and the set is then saved anew; an edited
        // fragment misses.
        let mut damaged = std::fs::read(&path).unwrap();
        let at = (damaged.windows(8).position(|w| w == b"Get user")).expect("the title is stored");
        damaged[at] = b'L';
        std::fs::write(&path, &damaged).unwrap();
        let loaded = Parsed::load(&path);
        assert_eq!(loaded.entries.len(), 3, "the damage still decodes");
        std::fs::write(
            dir.join("includes/team-permissions.md"),
            "| Permission type | Permissions |\n|:--|:--|\n| Delegated | Team.ReadBasic.All |\n",
        )
        .unwrap();
        let edited = Sources::read(&dir).parse();
        let (pages, found, third) = Sources::read(&dir).parse_reusing(Some(loaded));
        let third = third.expect("a set for a set");
        assert_eq!((&pages, &found), (&edited.0, &edited.1));
        assert!(third.changed());
        let new = third
            .entries
            .values()
            .filter(|b| matches!(b, Bytes::New(_)));
        assert_eq!(new.count(), 2, "the damaged page and the fragment");
        assert_ne!(
            pages, cold.0,
            "the fragment's edit reached the page including it"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_damaged_or_foreign_set_is_empty() {
        let dir = tree("damaged");
        let (_, _, parsed) = Sources::read(&dir).parse_reusing(Some(Parsed::default()));
        let parsed = parsed.expect("a set for a set");
        let path = dir.join("pages");
        parsed.save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(Parsed::load(&path).entries.is_empty());
        let foreign = Stored {
            generator: Cow::Borrowed("another build"),
            entries: vec![(1, 2, serde_bytes::Bytes::new(b"x"))],
        };
        std::fs::write(&path, postcard::to_stdvec(&foreign).unwrap()).unwrap();
        assert!(Parsed::load(&path).entries.is_empty());
        assert!(Parsed::load(&dir.join("missing")).entries.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
