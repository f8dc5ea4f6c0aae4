//! Shared test helpers: where the inputs are.

#![allow(dead_code)] // each test crate uses a subset

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The project's own sample docs.
pub fn docs_input() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs-input"))
}

/// The real Graph docs, from `DOCGEN_GRAPH_DOCS` (set by `.ci/run`). `None`,
/// with a line saying the test was skipped, when it is not set.
pub fn graph_docs(test: &str) -> Option<PathBuf> {
    match std::env::var_os("DOCGEN_GRAPH_DOCS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            // Straight to stderr: libtest captures `eprintln!` of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: DOCGEN_GRAPH_DOCS is not set (point it at the graph-docs folder to run it)"
            );
            None
        }
    }
}

/// A fresh empty directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}

/// Copies the tree `from` to `to`, for tests that edit a docs tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creating a directory");
    for entry in std::fs::read_dir(from).expect("reading a directory") {
        let entry = entry.expect("reading a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copying a file");
        }
    }
}

/// Every file below `dir` with its content, by relative `/`-separated path.
pub fn files_below(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("walking a directory");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("a path below dir");
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).expect("reading a file"));
        }
    }
    files
}
