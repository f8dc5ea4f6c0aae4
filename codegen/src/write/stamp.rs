//! A record of the last run into an output directory, so that a run whose
//! inputs did not change, into an output nobody touched, does nothing.
//!
//! Cargo runs a build script again whenever a file it watches gets a newer
//! timestamp, and a branch switch or a `touch` gives pages one without
//! changing a byte of them; a script generating several docs trees runs
//! again for all of them when one page of one changed. Reading the pages'
//! bytes is cheap next to parsing, modelling and emitting them.
//!
//! A [`Stamp`] holds the key of everything a run read (the generator's
//! build, the pages' bytes, the overrides, the name lock, the settings: the
//! caller's [`Inputs`]) and, as the run left them, the state of every file
//! it wrote and of every folder the writer scans for leftovers. A file's
//! state is its size, modification time and, on Unix, its inode and change
//! time (set by the system on every write, by no tool at will); a folder's
//! changes when a file is added to it, removed from it or renamed in it.
//! When the key and every state are as recorded, the output directory holds
//! what a full run would write there, as far as the file system can tell:
//! what it cannot tell is a file replaced with one of the same size by a
//! tool that sets its times back (possible without change times, that is
//! off Unix), or a folder whose file system keeps no times for folders.
//! A stamp is taken and checked during the run's turn at the directory
//! ([`Turn`]), so other runs cannot write in between.
//!
//! The stamp also records each page the run read, by its state taken just
//! before its bytes were read ([`Docs`]): a run that finds every page in
//! its recorded state knows the docs' key without reading a page, and
//! reads them only if the output or another input changed.
//!
//! A stamp is only ever a shortcut: a missing, damaged or foreign one (from
//! another build of the generator, another directory, other inputs) means a
//! full run, and only a run that wrote its output records one. In that full
//! run, a stamp of the same directory still tells the writer what each file
//! it recorded holds ([`Known`]): where the platform keeps change times,
//! a file whose state is as recorded is compared by hash, unread. A stamp
//! saved inside a folder the writer scans is never current, since saving
//! it changes that folder: keep it in build output, beside the cache.

use super::{Turn, skipped_folder};
use crate::diag::Diagnostic;
use crate::emit::SourceFile;
use crate::file_names;
use crate::file_state::State;
use crate::read::Listing;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a run found, kept in its stamp so that a run cut short by it can
/// report the same.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Files generated (all of them, written or not).
    pub files: usize,
    pub types: usize,
    pub endpoints: usize,
    /// Sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

/// The key of everything a run reads, built by its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs(pub u128);

/// The record of one run into one output directory.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    inputs: Inputs,
    /// Canonical.
    out_dir: PathBuf,
    /// Each generated file, relative to `out_dir`, in the order written.
    files: Vec<Entry>,
    /// `out_dir` and every folder below it that the writer scans.
    folders: Vec<Entry>,
    /// The [`Summary`], encoded: decoded only once the stamp is found
    /// current, so that a foreign stamp's findings are never read.
    #[serde(with = "serde_bytes")]
    summary: Vec<u8>,
    /// The pages the run read, by their states; `None` when one could not
    /// be read or told no state.
    docs: Option<Docs>,
}

/// The pages a run read, by their states: a later run that lists the same
/// files and finds each in the state recorded knows the docs' key without
/// reading them ([`Stamp::docs_key`]). Their states are trusted as the
/// writer trusts an output file's ([`Known`]): only with change times,
/// and only once settled. They are stamped by their own file system's
/// clock: one behind this machine's by more than three seconds can leave
/// a page edited just after it was read looking settled, and a network
/// file system that serves cached states can hide an edit made elsewhere
/// until its cache expires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Docs {
    /// The key of the listing read ([`Listing::key`]).
    listing: u128,
    /// The key of the bytes read.
    key: u128,
    /// Each page's state just before it was read, in listing order.
    pages: Vec<State>,
    /// A page changed less than [`RACY`] before the record: an edit within
    /// the same tick of the file system's clock leaves its state as it
    /// was, so the pages are read until a run records them again
    /// ([`Stamp::set_docs`]).
    racy: bool,
}

impl Docs {
    /// The time before which a page about to be read counts as settled:
    /// three seconds before now, longer than the coarsest tick a file
    /// system stamps files with. Taken before the pages are read, so that
    /// an edit within the same tick as a page's state counts as racy
    /// however long the reading takes.
    ///
    /// # Errors
    /// The output file system's clock cannot be read.
    pub fn cutoff(turn: &Turn) -> io::Result<Duration> {
        cutoff(turn)
    }

    /// The record of pages read in `pages` states from a listing keyed
    /// `listing`, their bytes keyed `key`, the [`Docs::cutoff`] taken
    /// before they were read.
    pub(crate) fn new(listing: u128, key: u128, pages: &[State], cutoff: Duration) -> Docs {
        Docs {
            listing,
            key,
            pages: pages.to_vec(),
            racy: pages.iter().any(|page| page.latest() >= cutoff),
        }
    }
}

/// A file or folder as the run left it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// Relative to the output directory, `/`-separated.
    path: String,
    state: State,
    /// A file's: the hash of the contents the run wrote, so that while its
    /// state is as recorded the next run knows what it holds without
    /// reading it ([`Known`]). A folder's: the hash of its names, taken
    /// only when it is racy, and read only while it is.
    hash: Option<u128>,
    /// Changed less than [`RACY`] before the stamp was taken: a change
    /// within the same tick of the file system's clock leaves its times as
    /// they were, so its contents (a folder's names) are compared with
    /// `hash` until that cannot happen.
    racy: bool,
}

/// Longer than the coarsest clock a file system stamps files with (FAT's
/// two seconds).
const RACY: Duration = Duration::from_secs(3);

impl Stamp {
    /// Records the state the directory of `turn` is in after a run with
    /// `inputs` wrote `files` there.
    ///
    /// # Errors
    /// An I/O error, or a file system that keeps no modification times.
    pub fn record(
        inputs: Inputs,
        turn: &Turn,
        files: &[SourceFile],
        summary: &Summary,
        docs: Option<Docs>,
    ) -> io::Result<Stamp> {
        let since = cutoff(turn)?;
        let out_dir = turn.dir().canonicalize()?;
        let files = files
            .par_iter()
            .map(|f| {
                let state = State::of(&out_dir.join(&f.path))?;
                Ok(Entry {
                    path: f.path.clone(),
                    state,
                    hash: Some(hash(f.contents.as_bytes())),
                    racy: state.latest() >= since,
                })
            })
            .collect::<io::Result<_>>()?;
        let folders = folders(&out_dir)?
            .into_iter()
            .map(|(path, state)| {
                let racy = state.latest() >= since;
                let hash = if racy {
                    Some(names(&out_dir.join(&path))?)
                } else {
                    None
                };
                Ok(Entry {
                    path,
                    state,
                    hash,
                    racy,
                })
            })
            .collect::<io::Result<_>>()?;
        Ok(Stamp {
            inputs,
            out_dir,
            files,
            folders,
            summary: postcard::to_stdvec(summary).map_err(io::Error::other)?,
            docs,
        })
    }

    /// The key of the docs' bytes this stamp's run read, when `listing`
    /// lists the same files and each is in the state recorded, settled:
    /// then they hold what that run read, unread.
    pub fn docs_key(&self, listing: &Listing) -> Option<u128> {
        let docs = (self.docs.as_ref()).filter(|d| !d.racy && d.listing == listing.key())?;
        // Without change times (off Unix), a page replaced by one of the
        // same size by a tool that keeps times looks untouched: such
        // pages are read, as the writer reads such output files.
        if docs.pages.iter().any(|page| page.changed.is_none()) {
            return None;
        }
        let now = listing.states();
        let same = docs.pages.len() == now.len()
            && (docs.pages.iter().zip(&now)).all(|(was, now)| now.as_ref().is_ok_and(|s| s == was));
        same.then_some(docs.key)
    }

    /// Records `docs`, read by a run that found this stamp current, in
    /// place of the record of the pages; whether that changed it (a racy
    /// record made settled, pages touched but not changed), and the stamp
    /// is worth saving again.
    pub fn set_docs(&mut self, docs: Option<Docs>) -> bool {
        let changed = self.docs != docs;
        self.docs = docs;
        changed
    }

    /// What the run that recorded the stamp found; `None` if it does not
    /// decode (a damaged stamp).
    pub fn summary(&self) -> Option<Summary> {
        postcard::from_bytes(&self.summary).ok()
    }

    /// The stamp saved at `path`, if there is a readable one.
    pub fn load(path: &Path) -> Option<Stamp> {
        postcard::from_bytes(&std::fs::read(path).ok()?).ok()
    }

    /// Saves the stamp at `path`, replacing any there in one step.
    ///
    /// # Errors
    /// An I/O error.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let bytes = postcard::to_stdvec(self).map_err(io::Error::other)?;
        crate::replace::replace(path, &bytes)
    }

    /// Whether a run with `inputs` into the directory of `turn` would
    /// write nothing: the same inputs as this stamp's, the same directory,
    /// and every file and folder as this stamp recorded it.
    pub fn is_current(&self, inputs: Inputs, turn: &Turn) -> bool {
        let same_dir = turn.dir().canonicalize().ok().as_ref() == Some(&self.out_dir);
        if self.inputs != inputs || !same_dir {
            return false;
        }
        let root = &self.out_dir;
        let file = |e: &Entry| {
            let path = root.join(&e.path);
            State::of(&path).is_ok_and(|now| now == e.state)
                && (!e.racy
                    || e.hash
                        .is_some_and(|h| std::fs::read(&path).is_ok_and(|b| hash(&b) == h)))
        };
        let folder = |(e, (path, now)): (&Entry, &(String, State))| {
            e.path == *path
                && e.state == *now
                && (!e.racy
                    || e.hash
                        .is_some_and(|h| names(&root.join(path)).is_ok_and(|n| n == h)))
        };
        self.files.par_iter().all(file)
            && folders(root).is_ok_and(|now| {
                now.len() == self.folders.len() && self.folders.iter().zip(&now).all(folder)
            })
    }

    /// What the files of this stamp's run hold, where they are still as
    /// that run left them, for a run into `root` (canonical): `None` for
    /// another directory.
    pub fn known(&self, root: &Path) -> Option<Known<'_>> {
        (self.out_dir == root).then(|| Known {
            // Only where change times are kept: without them, a file
            // replaced by one of the same size with its times set back
            // looks untouched, and reading it is what tells.
            files: (self.files.iter())
                .filter(|e| !e.racy && e.state.changed.is_some())
                .filter_map(|e| Some((e.path.as_str(), (e.state, e.hash?))))
                .collect(),
        })
    }

    /// Stops comparing the contents of entries whose times can now be
    /// trusted, after [`Stamp::is_current`] found them unchanged. Whether
    /// anything changed, and the stamp is worth saving again.
    pub fn settle(&mut self, turn: &Turn) -> bool {
        let Ok(now) = now(turn) else {
            return false;
        };
        let mut settled = false;
        for e in self.files.iter_mut().chain(&mut self.folders) {
            if e.racy && e.state.latest() + RACY < now {
                e.racy = false;
                settled = true;
            }
        }
        settled
    }
}

/// The files a previous run wrote whose times could be trusted when it
/// was recorded ([`Stamp::known`]), with the hash of what each holds: a
/// file whose state is still as recorded holds that, as far as the file
/// system can tell (the same bound as a current stamp's), so the writer
/// need not read it to know whether it changed.
#[derive(Debug)]
pub struct Known<'s> {
    files: HashMap<&'s str, (State, u128)>,
}

impl Known<'_> {
    /// Whether the file at `target` (the output directory's `path`) holds
    /// `contents`, by its state and the recorded hash; false when that
    /// cannot be told.
    pub(super) fn holds(&self, path: &str, target: &Path, contents: &[u8]) -> bool {
        self.files.get(path).is_some_and(|(state, written)| {
            State::of(target).is_ok_and(|now| now == *state) && hash(contents) == *written
        })
    }
}

/// Now, by the earlier of this machine's clock and the output file
/// system's: entries are racy for longer, never shorter, when they differ.
fn now(turn: &Turn) -> io::Result<Duration> {
    let here = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(io::Error::other)?;
    Ok(here.min(turn.clock()?))
}

/// What changed before this counts as settled: [`RACY`] before [`now`].
fn cutoff(turn: &Turn) -> io::Result<Duration> {
    Ok(now(turn)?.saturating_sub(RACY))
}

fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The hash of a folder's entry names, sorted.
fn names(folder: &Path) -> io::Result<u128> {
    let mut names = std::fs::read_dir(folder)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<Vec<_>>>()?;
    names.sort();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for n in &names {
        hasher.update(n.as_encoded_bytes());
        hasher.update(&[0]);
    }
    Ok(hasher.digest128())
}

/// `out_dir` and the folders below it that [`super::scan`] walks, each
/// with its state, in path order.
fn folders(out_dir: &Path) -> io::Result<Vec<(String, State)>> {
    // Unsorted, then sorted in path order once (see `read::walk`).
    let walk = walkdir::WalkDir::new(out_dir)
        .into_iter()
        .filter_entry(|e| e.file_type().is_dir() && !skipped_folder(e));
    let mut folders = walk
        .map(|entry| {
            let entry = entry.map_err(io::Error::other)?;
            let state = State::of(entry.path())?;
            Ok((entry.into_path(), state))
        })
        .collect::<io::Result<Vec<_>>>()?;
    // By the paths themselves: names that are not UTF-8 read alike once
    // made into strings.
    folders.sort_by(|(a, _), (b, _)| a.cmp(b));
    let relative = |(path, state): (PathBuf, State)| (file_names::relative(out_dir, &path), state);
    Ok(folders.into_iter().map(relative).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::{sync, sync_in_turn};

    fn file(path: &str, body: &str) -> SourceFile {
        SourceFile {
            path: path.to_owned(),
            contents: format!("// {}\n{body}\n", crate::emit::MARKER),
        }
    }

    fn files() -> Vec<SourceFile> {
        vec![file("lib.rs", "mod a;"), file("types/a.rs", "struct A;")]
    }

    fn fresh_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("docgen-stamp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// `files` synced into a new folder, and the stamp of that run.
    fn written(name: &str) -> (PathBuf, Stamp) {
        let dir = fresh_dir(name);
        sync(&dir, &files()).unwrap();
        let turn = Turn::take(&dir).unwrap();
        let stamp = Stamp::record(Inputs(7), &turn, &files(), &Summary::default(), None).unwrap();
        (dir, stamp)
    }

    fn current(stamp: &Stamp, inputs: u128, dir: &Path) -> bool {
        stamp.is_current(Inputs(inputs), &Turn::take(dir).unwrap())
    }

    #[test]
    fn current_until_inputs_or_output_change() {
        let (dir, stamp) = written("changes");
        assert!(current(&stamp, 7, &dir));
        assert!(!current(&stamp, 8, &dir), "other inputs");

        // Same size, same name: only the file's times tell.
        let a = dir.join("types/a.rs");
        let before = std::fs::read_to_string(&a).unwrap();
        std::fs::write(&a, before.replace("A;", "B;")).unwrap();
        assert!(!current(&stamp, 7, &dir), "a generated file edited");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn another_directory_is_not_current() {
        let (dir, mut stamp) = written("moved");
        assert!(current(&stamp, 7, &dir));
        stamp.out_dir = stamp.out_dir.with_extension("elsewhere");
        assert!(!current(&stamp, 7, &dir), "recorded for another directory");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_added_or_removed_anywhere_the_writer_looks_is_a_change() {
        let (dir, stamp) = written("added");
        std::fs::write(dir.join("types/b.rs"), "// a user's file\n").unwrap();
        assert!(!current(&stamp, 7, &dir), "added beside a generated file");
        let (dir, stamp) = written("added");
        std::fs::create_dir(dir.join("extra")).unwrap();
        assert!(!current(&stamp, 7, &dir), "a new folder");
        let (dir, stamp) = written("added");
        std::fs::remove_file(dir.join("lib.rs")).unwrap();
        assert!(!current(&stamp, 7, &dir), "a generated file removed");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn build_output_is_not_looked_at() {
        // A generated crate is built in place: its `target/` changes with
        // every build, and the writer never looks there.
        let dir = fresh_dir("target");
        std::fs::create_dir_all(dir.join("target")).unwrap();
        sync(&dir, &files()).unwrap();
        let turn = Turn::take(&dir).unwrap();
        let stamp = Stamp::record(Inputs(7), &turn, &files(), &Summary::default(), None).unwrap();
        drop(turn);
        std::fs::create_dir_all(dir.join("target/debug")).unwrap();
        std::fs::write(dir.join("target/debug/x.rs"), "").unwrap();
        assert!(current(&stamp, 7, &dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_edit_within_the_clocks_tick_is_caught_by_the_contents() {
        let (dir, mut stamp) = written("racy");
        let a = dir.join("types/a.rs");
        let before = std::fs::read_to_string(&a).unwrap();
        fn entry(stamp: &mut Stamp) -> &mut Entry {
            let e = stamp.files.iter_mut().find(|e| e.path == "types/a.rs");
            e.unwrap()
        }
        std::fs::write(&a, before.replace("A;", "B;")).unwrap();
        // As if the edit had left the file's times as they were.
        entry(&mut stamp).state = State::of(&a).unwrap();
        assert!(entry(&mut stamp).racy, "written just now");
        assert!(!current(&stamp, 7, &dir));
        std::fs::write(&a, before).unwrap();
        entry(&mut stamp).state = State::of(&a).unwrap();
        assert!(current(&stamp, 7, &dir), "the contents are as written");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn contents_are_compared_until_the_times_can_be_trusted() {
        let (dir, mut stamp) = written("settle");
        let turn = Turn::take(&dir).unwrap();
        assert!(!stamp.settle(&turn), "everything was written just now");
        assert!(stamp.files.iter().all(|e| e.racy));
        for e in &mut stamp.files {
            e.state.modified = Duration::ZERO;
        }
        assert!(!stamp.settle(&turn), "the change time is still recent");
        for e in &mut stamp.files {
            e.state.changed = None;
        }
        assert!(stamp.settle(&turn));
        assert!(stamp.files.iter().all(|e| !e.racy));
        assert!(!stamp.settle(&turn), "nothing left to settle");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A docs tree of two pages, and a stamp recording them as read by a
    /// run long enough ago that their states can be trusted.
    fn docs_read(name: &str) -> (PathBuf, Stamp) {
        let (dir, mut stamp) = written(name);
        let docs = dir.join("docs");
        std::fs::create_dir_all(docs.join("api")).unwrap();
        // Dated long ago, so that rewriting one just after the record
        // changes its state even where the clock's tick is coarse.
        for (page, text) in [("api/a.md", "# a\n"), ("b.md", "# b\n")] {
            std::fs::write(docs.join(page), text).unwrap();
            let file = std::fs::File::options().write(true).open(docs.join(page));
            let long_ago = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
            file.unwrap().set_modified(long_ago).unwrap();
        }
        let turn = Turn::take(&dir).unwrap();
        let cutoff = Docs::cutoff(&turn).unwrap();
        let sources = Listing::of(&docs).read();
        let (listing, pages) = sources.states().unwrap();
        let docs_record = Docs::new(listing, sources.key(), pages, cutoff);
        assert!(docs_record.racy, "written just now");
        stamp.set_docs(Some(Docs {
            racy: false,
            ..docs_record
        }));
        (docs, stamp)
    }

    #[test]
    fn pages_in_the_states_recorded_are_known_unread() {
        let (docs, stamp) = docs_read("docs-same");
        let key = Listing::of(&docs).read().key();
        assert_eq!(stamp.docs_key(&Listing::of(&docs)), Some(key));

        // Rewritten with the same bytes: the state tells, not the bytes.
        std::fs::write(docs.join("b.md"), "# b\n").unwrap();
        assert_eq!(stamp.docs_key(&Listing::of(&docs)), None, "touched");
        let (docs, stamp) = docs_read("docs-edited");
        std::fs::write(docs.join("b.md"), "# c\n").unwrap();
        assert_eq!(stamp.docs_key(&Listing::of(&docs)), None, "edited");
        let (docs, stamp) = docs_read("docs-added");
        std::fs::write(docs.join("api/c.md"), "# c\n").unwrap();
        assert_eq!(stamp.docs_key(&Listing::of(&docs)), None, "a page added");
        let (docs, stamp) = docs_read("docs-removed");
        std::fs::remove_file(docs.join("api/a.md")).unwrap();
        assert_eq!(stamp.docs_key(&Listing::of(&docs)), None, "a page removed");
        let (docs, stamp) = docs_read("docs-other");
        std::fs::write(docs.join("README.md"), "not a page").unwrap();
        assert!(stamp.docs_key(&Listing::of(&docs)).is_some(), "not a page");
        // A link is listed, not read: only the listing's key tells.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(docs.join("b.md"), docs.join("api/c.md")).unwrap();
            assert_eq!(stamp.docs_key(&Listing::of(&docs)), None, "a link added");
        }
        // Off Unix, states without change times prove too little.
        let (docs, mut stamp) = docs_read("docs-timeless");
        for page in &mut stamp.docs.as_mut().unwrap().pages {
            page.changed = None;
        }
        assert_eq!(stamp.docs_key(&Listing::of(&docs)), None, "no change times");
        std::fs::remove_dir_all(docs.parent().unwrap()).unwrap();
    }

    #[test]
    fn pages_read_just_now_are_read_again() {
        let (docs, mut stamp) = docs_read("docs-racy");
        let turn = Turn::take(docs.parent().unwrap()).unwrap();
        std::fs::write(docs.join("b.md"), "# b\n").unwrap();
        let cutoff = Docs::cutoff(&turn).unwrap();
        let sources = Listing::of(&docs).read();
        let (listing, pages) = sources.states().unwrap();
        let racy = Docs::new(listing, sources.key(), pages, cutoff);
        assert!(racy.racy, "b.md changed just now");
        assert!(stamp.set_docs(Some(racy.clone())), "a racy record differs");
        assert_eq!(stamp.docs_key(&Listing::of(&docs)), None);
        assert!(!stamp.set_docs(Some(racy)), "the same record");
        assert!(stamp.set_docs(None));
        assert_eq!(stamp.docs_key(&Listing::of(&docs)), None, "none kept");
        std::fs::remove_dir_all(docs.parent().unwrap()).unwrap();
    }

    #[test]
    fn saved_stamps_load_back_and_damaged_ones_do_not() {
        let dir = fresh_dir("saved");
        sync(&dir, &files()).unwrap();
        let turn = Turn::take(&dir).unwrap();
        let summary = Summary {
            types: 3,
            ..Summary::default()
        };
        let stamp = Stamp::record(Inputs(7), &turn, &files(), &summary, None).unwrap();
        let path = dir.join("target/stamp.bin");
        stamp.save(&path).unwrap();
        let loaded = Stamp::load(&path).unwrap();
        assert_eq!(loaded.summary(), Some(summary));
        assert_eq!(loaded, stamp);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert_eq!(Stamp::load(&path), None);
        assert_eq!(Stamp::load(&dir.join("missing")), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_writer_trusts_a_file_only_while_it_is_as_the_stamp_recorded() {
        let (dir, mut stamp) = written("known");
        let root = dir.canonicalize().unwrap();
        // Just written, every file is racy: none is known yet.
        let known = stamp.known(&root).unwrap();
        assert!(known.files.is_empty());
        for e in &mut stamp.files {
            e.racy = false;
        }
        let a = dir.join("types/a.rs");
        let ours = &files()[1].contents;
        let known = stamp.known(&root).unwrap();
        assert!(known.holds("types/a.rs", &a, ours.as_bytes()));
        assert!(!known.holds("types/a.rs", &a, b"other contents"));
        assert!(!known.holds("types/b.rs", &dir.join("types/b.rs"), ours.as_bytes()));
        assert!(
            stamp.known(&root.join("types")).is_none(),
            "another directory"
        );

        // Edited by hand to the same size: its state tells, and the next
        // run writes the file back whatever the stamp says it held.
        let edited = ours.replace("A;", "B;");
        std::fs::write(&a, &edited).unwrap();
        assert!(!known.holds("types/a.rs", &a, ours.as_bytes()));
        let report = sync_in_turn(&Turn::take(&dir).unwrap(), &files(), Some(&stamp)).unwrap();
        assert_eq!(report.written, ["types/a.rs"]);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), *ours);
        // Without a change time (off Unix), a state proves too little.
        let turn = Turn::take(&dir).unwrap();
        let mut stamp =
            Stamp::record(Inputs(7), &turn, &files(), &Summary::default(), None).unwrap();
        for e in &mut stamp.files {
            e.racy = false;
        }
        let known = stamp.known(&root).unwrap();
        assert!(known.holds("types/a.rs", &a, ours.as_bytes()));
        for e in &mut stamp.files {
            e.state.changed = None;
        }
        let timeless = stamp.known(&root).unwrap();
        assert!(!timeless.holds("types/a.rs", &a, ours.as_bytes()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
