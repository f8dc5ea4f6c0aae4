//! Stage 4, write: generated files → disk, touching only what changed.
//!
//! A file whose content is unchanged is not rewritten, so its timestamp
//! stays and cargo does not rebuild. Writing has two phases, so that a run
//! that fails or is killed leaves the previous output as it was:
//!
//! 1. every changed file is written to a temporary sibling (on every core:
//!    creating thousands of files is most of what a first run spends here);
//! 2. the temporary files are renamed into place, in path order, and only
//!    then are files that are no longer generated deleted.
//!
//! Phase 2 is renames only, milliseconds even for a whole Graph crate, but
//! not one atomic step: a run killed inside it leaves old and new files
//! side by side until the next run, which rewrites whatever differs (and
//! `cargo build` reruns a build script that did not finish). A killed run's
//! temporary files are deleted by the next one. Runs over one directory
//! take turns, through a lock file. Only files that carry the
//! generated-file marker are ever deleted: a file a user put in the output
//! directory is never touched, and nothing is written outside it.

mod stamp;

pub use stamp::{Docs, Inputs, Known, Stamp, Summary};

use crate::emit::{SourceFile, marker_line};
use crate::file_names;
use crate::replace::{TEMPORARY, temporary_sibling};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{self, BufRead};
use std::path::{Component, Path, PathBuf};

/// The lock file runs over one output directory take turns with. It stays
/// behind, empty; the lock itself is released when the run ends, even when
/// it is killed.
pub const LOCK: &str = ".docgen-lock";

/// What a [`sync`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// A run's turn at an output directory, through the [`LOCK`] file: held
/// until dropped.
#[derive(Debug)]
pub struct Turn {
    dir: PathBuf,
    lock: std::fs::File,
}

impl Turn {
    /// Waits for the other runs over `out_dir` (created if missing) to end.
    ///
    /// # Errors
    /// The directory or its lock file cannot be created or locked.
    pub fn take(out_dir: &Path) -> io::Result<Turn> {
        std::fs::create_dir_all(out_dir)?;
        let lock = std::fs::File::create(out_dir.join(LOCK))?;
        lock.lock()?;
        Ok(Turn {
            dir: out_dir.to_owned(),
            lock,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The time by the clock of the output directory's file system (which
    /// may be another machine's): the lock file's modification time just
    /// after writing to it. The lock file is left empty.
    fn clock(&self) -> io::Result<std::time::Duration> {
        use std::io::{Seek, Write};
        let mut lock = &self.lock;
        lock.seek(io::SeekFrom::Start(0))?;
        lock.write_all(b"\n")?;
        let modified = lock.metadata()?.modified();
        lock.set_len(0)?;
        modified?
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(io::Error::other)
    }
}

/// Makes `out_dir` hold exactly `files` among its generated files.
///
/// # Errors
/// The first I/O error, or a path that would leave `out_dir`. When it
/// comes before the renames, `out_dir` is as it was.
pub fn sync(out_dir: &Path, files: &[SourceFile]) -> io::Result<Report> {
    sync_in_turn(&Turn::take(out_dir)?, files, None)
}

/// [`sync`], for a run that already has its turn at the directory. With
/// the `previous` run's stamp, files still as that run left them are
/// compared by hash rather than read ([`Stamp::known`]).
///
/// # Errors
/// As [`sync`].
pub fn sync_in_turn(
    turn: &Turn,
    files: &[SourceFile],
    previous: Option<&Stamp>,
) -> io::Result<Report> {
    let out_dir = turn.dir();
    let found = scan(out_dir, &keep(files))?;
    for tmp in &found.temporary {
        std::fs::remove_file(out_dir.join(tmp))?;
    }
    let root = out_dir.canonicalize()?;
    let known = previous.and_then(|stamp| stamp.known(&root));
    let staged: Vec<io::Result<Option<PathBuf>>> = files
        .par_iter()
        .map(|f| stage(&root, &f.path, &f.contents, known.as_ref()))
        .collect();
    let mut temporaries = Vec::with_capacity(files.len());
    let mut failures = Vec::new();
    for s in staged {
        match s {
            Ok(tmp) => temporaries.push(tmp),
            Err(e) => failures.push(e),
        }
    }
    if let Some(e) = failures.into_iter().next() {
        for tmp in temporaries.into_iter().flatten() {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    let mut report = Report::default();
    for (f, tmp) in files.iter().zip(temporaries) {
        match tmp {
            None => report.unchanged += 1,
            Some(tmp) => {
                std::fs::rename(tmp, root.join(&f.path))?;
                report.written.push(f.path.clone());
            }
        }
    }
    for old in found.generated {
        std::fs::remove_file(out_dir.join(&old))?;
        remove_emptied_folders(out_dir, &old);
        report.removed.push(old);
    }
    Ok(report)
}

/// Removes the folders below `out_dir` that removing the generated file
/// `removed` left empty, innermost first. A folder that still holds
/// anything (another file, a user's) stays.
fn remove_emptied_folders(out_dir: &Path, removed: &str) {
    let mut folder = Path::new(removed).parent();
    while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
        if std::fs::remove_dir(out_dir.join(f)).is_err() {
            break;
        }
        folder = f.parent();
    }
}

/// The paths that differ between `out_dir` and `files`: changed or missing
/// files, and generated files that would be deleted. Empty when fresh.
///
/// # Errors
/// An I/O error other than a missing file.
pub fn stale(out_dir: &Path, files: &[SourceFile]) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    for f in files {
        let target = out_dir.join(checked(&f.path)?);
        match std::fs::read(&target) {
            Ok(old) if old == f.contents.as_bytes() => {}
            Ok(_) => out.push(f.path.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => out.push(f.path.clone()),
            Err(e) => return Err(e),
        }
    }
    out.extend(scan(out_dir, &keep(files))?.generated);
    out.sort();
    Ok(out)
}

fn keep(files: &[SourceFile]) -> BTreeSet<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

/// Writes `contents` for `path` to a temporary sibling of the file below
/// `root` (canonical), unless the file already holds them; the temporary
/// file's path.
fn stage(
    root: &Path,
    path: &str,
    contents: &str,
    known: Option<&Known<'_>>,
) -> io::Result<Option<PathBuf>> {
    let target = root.join(checked(path)?);
    if known.is_some_and(|k| k.holds(path, &target, contents.as_bytes())) {
        return Ok(None);
    }
    let is_file = std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file());
    if is_file && std::fs::read(&target).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(None);
    }
    let parent = target.parent().unwrap_or(root);
    refuse_links(root, parent, path)?;
    std::fs::create_dir_all(parent)?;
    let tmp = temporary_sibling(&target);
    if let Err(e) = std::fs::write(&tmp, contents) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(Some(tmp))
}

/// Fails if a folder between `root` and `dir` that already exists is a
/// symbolic link: it could lead anywhere, and neither creating the folders
/// below it nor writing `path` may follow it. Checked before any folder is
/// created.
fn refuse_links(root: &Path, dir: &Path, path: &str) -> io::Result<()> {
    let mut at = root.to_path_buf();
    for part in dir.strip_prefix(root).unwrap_or(dir).components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "refusing to write {path}: its folder is a link out of the output directory"
                    ),
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A relative path with no `..`, root or prefix: generated paths are built
/// from sanitised identifiers, and this makes sure none can leave `out_dir`.
fn checked(path: &str) -> io::Result<PathBuf> {
    let p = Path::new(path);
    if p.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(p.to_path_buf())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output directory: {path}"),
        ))
    }
}

/// What [`scan`] finds below an output directory (relative paths,
/// `/`-separated).
#[derive(Default)]
struct Found {
    /// Generated files not to keep.
    generated: Vec<String>,
    /// Temporary files a killed run left.
    temporary: Vec<String>,
}

/// Walks `dir`, outside hidden folders and build output and without
/// following links: files of the kinds [`marker_line`] knows whose first
/// line is that kind's marker line, other than those in
/// `keep` (which are not read), and temporary files.
fn scan(dir: &Path, keep: &BTreeSet<&str>) -> io::Result<Found> {
    let mut found = Found::default();
    if !dir.exists() {
        return Ok(found);
    }
    // Unsorted, then sorted in path order once (see `read::walk`).
    let walk = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !skipped_folder(e));
    let (mut generated, mut temporary) = (Vec::new(), Vec::new());
    for entry in walk {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = file_names::relative(dir, entry.path());
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && name.ends_with(TEMPORARY) {
            temporary.push((rel, entry.into_path()));
            continue;
        }
        let ext = Path::new(entry.file_name()).extension();
        let ext = ext.and_then(|x| x.to_str());
        let Some(marker) = ext.and_then(marker_line) else {
            continue;
        };
        if !keep.contains(rel.as_str()) && first_line_is(entry.path(), &marker) {
            generated.push((rel, entry.into_path()));
        }
    }
    for (mut list, out) in [
        (generated, &mut found.generated),
        (temporary, &mut found.temporary),
    ] {
        file_names::sort(&mut list);
        out.extend(list.into_iter().map(|(rel, _)| rel));
    }
    Ok(found)
}

/// Whether the walk of an output directory leaves out this folder below
/// it: build output (`target`) and hidden folders (`.git`).
fn skipped_folder(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.depth() > 0 && entry.file_type().is_dir() && (name == "target" || name.starts_with('.'))
}

/// Whether the file's first line is `marker`; false when it cannot be
/// read.
fn first_line_is(path: &Path, marker: &str) -> bool {
    let mut line = String::new();
    let read = std::fs::File::open(path).and_then(|f| io::BufReader::new(f).read_line(&mut line));
    read.is_ok() && line.trim_end() == marker
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::MARKER;

    fn file(path: &str, body: &str) -> SourceFile {
        SourceFile {
            path: path.to_owned(),
            contents: format!("// {MARKER}\n{body}"),
        }
    }

    fn tempdir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("docgen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_only_changes_and_removes_only_generated_leftovers() {
        let dir = tempdir("sync");
        std::fs::write(dir.join("user_notes.rs"), "// mine\n").unwrap();
        let first = [
            file("a.rs", "1"),
            file("m/b.rs", "2"),
            file("n/o/d.rs", "4"),
        ];
        let r = sync(&dir, &first).unwrap();
        assert_eq!(r.written, ["a.rs", "m/b.rs", "n/o/d.rs"]);
        std::fs::write(dir.join("m/mine.rs"), "// mine\n").unwrap();

        let second = [file("a.rs", "1"), file("c.rs", "3")];
        assert_eq!(
            stale(&dir, &second).unwrap(),
            ["c.rs", "m/b.rs", "n/o/d.rs"]
        );
        let r = sync(&dir, &second).unwrap();
        assert_eq!(
            (r.written, r.removed, r.unchanged),
            (
                vec!["c.rs".to_owned()],
                vec!["m/b.rs".to_owned(), "n/o/d.rs".to_owned()],
                1
            )
        );
        assert!(stale(&dir, &second).unwrap().is_empty());
        // Folders the removals emptied go; one holding a user's file stays.
        assert!(!dir.join("n").exists());
        assert!(dir.join("m/mine.rs").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("user_notes.rs")).unwrap(),
            "// mine\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn build_output_and_other_files_are_never_taken_for_generated_ones() {
        let dir = tempdir("scope");
        let marked = format!("// {MARKER}\n");
        let toml = format!("# {MARKER}\n");
        let json = format!("{{\"@generated\": \"{MARKER}\",\n\"a\": 1}}\n");
        for (path, body) in [
            ("target/debug/a.rs", marked.as_str()),
            ("fixtures/a.json", json.as_str()),
            ("fixtures/b.json", "{\"a\": 1}\n"),
            ("notes.json", marked.as_str()),
            (".git/b.rs", marked.as_str()),
            // Marked, but not as a generated text file would be.
            ("notes.txt", marked.as_str()),
            ("notes.md", toml.as_str()),
            ("Cargo.toml", toml.as_str()),
            ("api.txt", toml.as_str()),
            ("names.lock", toml.as_str()),
            (
                "Cargo.lock",
                "# This file is automatically @generated by Cargo.\n",
            ),
        ] {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        let ours = ["Cargo.toml", "api.txt", "fixtures/a.json", "names.lock"];
        assert_eq!(stale(&dir, &[]).unwrap(), ours);
        assert_eq!(sync(&dir, &[]).unwrap().removed, ours);
        assert!(dir.join("notes.txt").exists());
        assert!(dir.join("notes.json").exists());
        assert!(dir.join("fixtures/b.json").exists());
        assert!(dir.join("Cargo.lock").exists());
        assert!(dir.join("target/debug/a.rs").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn concurrent_writers_do_not_collide() {
        let dir = tempdir("concurrent");
        std::thread::scope(|s| {
            for round in 0..4 {
                let dir = &dir;
                s.spawn(move || {
                    let files: Vec<SourceFile> = (0..50)
                        .map(|i| file(&format!("f{i}.rs"), &format!("{i} {round}")))
                        .collect();
                    sync(dir, &files).unwrap();
                });
            }
        });
        let leftovers = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".docgen-tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_run_leaves_the_directory_as_it_was() {
        let dir = tempdir("failed");
        sync(&dir, &[file("a.rs", "1")]).unwrap();
        // `b` is a user's file, so `b/c.rs` cannot be written.
        std::fs::write(dir.join("b"), "mine").unwrap();
        let next = [file("a.rs", "2"), file("b/c.rs", "3"), file("d.rs", "4")];
        assert!(sync(&dir, &next).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.join("a.rs")).unwrap(),
            format!("// {MARKER}\n1")
        );
        assert!(!dir.join("d.rs").exists());
        let found = scan(&dir, &BTreeSet::new()).unwrap();
        assert_eq!(
            (found.generated, found.temporary),
            (vec!["a.rs".to_owned()], vec![])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_killed_runs_temporary_files_are_deleted_by_the_next() {
        let dir = tempdir("leftovers");
        std::fs::create_dir_all(dir.join("m")).unwrap();
        std::fs::write(dir.join("m/.b.rs.99.0.docgen-tmp"), "half").unwrap();
        std::fs::write(dir.join("m/.keep.docgen-tmp.txt"), "a user's").unwrap();
        sync(&dir, &[file("m/b.rs", "2")]).unwrap();
        assert!(!dir.join("m/.b.rs.99.0.docgen-tmp").exists());
        assert!(dir.join("m/.keep.docgen-tmp.txt").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_link_out_of_the_output_directory() {
        let dir = tempdir("links");
        let elsewhere = tempdir("links-elsewhere");
        std::os::unix::fs::symlink(&elsewhere, dir.join("types")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("x.rs"), dir.join("x.rs")).unwrap();
        let e = sync(&dir, &[file("types/user.rs", "1")]).unwrap_err();
        assert!(
            e.to_string().contains("link out of the output directory"),
            "{e}"
        );
        // Nor are folders created below the link.
        let e = sync(&dir, &[file("types/deeper/user.rs", "1")]).unwrap_err();
        assert!(
            e.to_string().contains("link out of the output directory"),
            "{e}"
        );
        // A file that is a link is replaced, not written through.
        sync(&dir, &[file("x.rs", "2")]).unwrap();
        assert!(dir.join("x.rs").symlink_metadata().unwrap().is_file());
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&elsewhere).unwrap();
    }

    #[test]
    fn refuses_paths_that_leave_the_output_directory() {
        let dir = tempdir("confine");
        for bad in ["../x.rs", "/etc/x.rs", "a/../../x.rs"] {
            assert!(sync(&dir, &[file(bad, "")]).is_err(), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
