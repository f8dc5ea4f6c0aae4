//! Stage 4, write: generated files → disk, touching only what changed.
//!
//! A file whose content is unchanged is not rewritten, so its timestamp
//! stays and cargo does not rebuild. A changed file is written to a
//! temporary sibling and renamed into place, so a reader never sees half of
//! it. Files that are no longer generated are deleted only after every new
//! file is in place, and only if they carry the generated-file marker: a
//! file a user put in the output directory is never touched.

use crate::emit::{MARKER, SourceFile};
use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What a [`sync`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// Makes `out_dir` hold exactly `files` among its generated files.
///
/// # Errors
/// The first I/O error; files already written stay written.
pub fn sync(out_dir: &Path, files: &[SourceFile]) -> io::Result<Report> {
    let mut report = Report::default();
    for f in files {
        let target = out_dir.join(checked(&f.path)?);
        if std::fs::read(&target).is_ok_and(|old| old == f.contents.as_bytes()) {
            report.unchanged += 1;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = temporary_sibling(&target);
        std::fs::write(&tmp, &f.contents)?;
        if let Err(e) = std::fs::rename(&tmp, &target) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        report.written.push(f.path.clone());
    }
    let keep: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for old in generated_files(out_dir)? {
        if !keep.contains(old.as_str()) {
            std::fs::remove_file(out_dir.join(&old))?;
            report.removed.push(old);
        }
    }
    Ok(report)
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
    let keep: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    out.extend(
        generated_files(out_dir)?
            .into_iter()
            .filter(|p| !keep.contains(p.as_str())),
    );
    out.sort();
    Ok(out)
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

/// A name beside `target` that no other writer uses at the same time, so
/// that two runs over one directory never share a temporary file.
fn temporary_sibling(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!(".{name}.{}.{n}.docgen-tmp", std::process::id()))
}

/// The comment leader a generated file of this extension starts its marker
/// line with: the kinds of file the generator writes (Rust sources, the
/// standalone crate's `Cargo.toml`, the API listing `api.txt`, the name
/// lock `names.lock`, which is TOML).
fn leader(extension: &str) -> Option<&'static str> {
    match extension {
        "rs" => Some("//"),
        "toml" | "txt" | "lock" => Some("#"),
        _ => None,
    }
}

/// Generated files below `dir` (relative, `/`-separated): files of the
/// kinds [`leader`] knows whose first line is the marker behind that kind's
/// comment leader, outside hidden folders and build output.
fn generated_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let skipped = e.file_type().is_dir() && (name == "target" || name.starts_with('.'));
            e.depth() == 0 || !skipped
        });
    for entry in walk {
        let entry = entry.map_err(io::Error::other)?;
        let ext = entry.path().extension().and_then(|x| x.to_str());
        let Some(leader) = ext.and_then(leader) else {
            continue;
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let marked = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix(leader))
            .is_some_and(|t| t.trim() == MARKER);
        if marked {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            out.push(rel.join("/"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let first = [file("a.rs", "1"), file("m/b.rs", "2")];
        let r = sync(&dir, &first).unwrap();
        assert_eq!(r.written, ["a.rs", "m/b.rs"]);

        let second = [file("a.rs", "1"), file("c.rs", "3")];
        assert_eq!(stale(&dir, &second).unwrap(), ["c.rs", "m/b.rs"]);
        let r = sync(&dir, &second).unwrap();
        assert_eq!(
            (r.written, r.removed, r.unchanged),
            (vec!["c.rs".to_owned()], vec!["m/b.rs".to_owned()], 1)
        );
        assert!(stale(&dir, &second).unwrap().is_empty());
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
        for (path, body) in [
            ("target/debug/a.rs", marked.as_str()),
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
        let ours = ["Cargo.toml", "api.txt", "names.lock"];
        assert_eq!(stale(&dir, &[]).unwrap(), ours);
        assert_eq!(sync(&dir, &[]).unwrap().removed, ours);
        assert!(dir.join("notes.txt").exists());
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
    fn refuses_paths_that_leave_the_output_directory() {
        let dir = tempdir("confine");
        for bad in ["../x.rs", "/etc/x.rs", "a/../../x.rs"] {
            assert!(sync(&dir, &[file(bad, "")]).is_err(), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
