//! A regeneration that takes files from the cache of formatted files, and
//! pages from the set of parsed pages beside it, gives byte for byte what
//! a run without them gives, findings included, whatever the docs edit in
//! between.

mod common;

use codegen::Generator;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Every file of a run, and how many Rust files came from the cache.
fn generate(docs: &Path, cache: Option<&Path>) -> (Vec<(String, String)>, usize) {
    let (files, _, reused) = generate_with_findings(docs, cache);
    (files, reused)
}

/// Every file and finding of a run, and how many Rust files came from the
/// cache.
fn generate_with_findings(
    docs: &Path,
    cache: Option<&Path>,
) -> (Vec<(String, String)>, Vec<String>, usize) {
    let mut generator = Generator::new(docs);
    if let Some(cache) = cache {
        generator = generator.with_cache(cache);
    }
    let generated = generator.sources().expect("docs-input and its edits emit");
    let files = generated
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect();
    let findings = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    (files, findings, generated.reused)
}

/// The Markdown pages below `dir`, sorted.
fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walking the docs").into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    pages
}

/// One edit of a page: lines dropped or repeated, names and types swapped,
/// the page removed.
#[derive(Clone, Debug)]
enum Edit {
    DropLine(usize),
    RepeatLine(usize),
    Swap(usize, usize),
    /// Words added at the end of a line: a description reworded.
    Reword(usize),
    Remove,
}

/// Words whose swapping changes types, names, paths and examples.
const WORDS: &[&str] = &[
    "String",
    "Int32",
    "Boolean",
    "user",
    "users",
    "get",
    "GET",
    "PATCH",
    "id",
    "the",
    "Collection",
];

fn apply(page: &Path, edit: &Edit) {
    if let Edit::Remove = edit {
        std::fs::remove_file(page).expect("removing a page");
        return;
    }
    let text = std::fs::read_to_string(page).expect("pages of docs-input are UTF-8");
    let mut lines: Vec<&str> = text.lines().collect();
    let edited = match *edit {
        Edit::DropLine(n) if !lines.is_empty() => {
            lines.remove(n % lines.len());
            lines.join("\n")
        }
        Edit::RepeatLine(n) if !lines.is_empty() => {
            let n = n % lines.len();
            lines.insert(n, lines[n]);
            lines.join("\n")
        }
        Edit::Swap(a, b) => text.replacen(WORDS[a % WORDS.len()], WORDS[b % WORDS.len()], 1),
        Edit::Reword(n) if !lines.is_empty() => {
            let n = n % lines.len();
            let reworded = format!("{} reworded", lines[n]);
            lines[n] = &reworded;
            lines.join("\n")
        }
        _ => text.clone(),
    };
    std::fs::write(page, edited).expect("writing a page");
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => any::<usize>().prop_map(Edit::DropLine),
        3 => any::<usize>().prop_map(Edit::RepeatLine),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        3 => any::<usize>().prop_map(Edit::Reword),
        1 => Just(Edit::Remove),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_warm_run_gives_what_a_cold_run_gives(
        edits in prop::collection::vec((any::<usize>(), edit()), 1..6)
    ) {
        let dir = common::scratch("cache-edits");
        let docs = dir.join("docs");
        common::copy_dir(&common::docs_input(), &docs);
        let cache = dir.join("cache.bin");
        let (before, _) = generate(&docs, Some(&cache));
        for (page, edit) in &edits {
            let pages = pages(&docs);
            if !pages.is_empty() {
                apply(&pages[page % pages.len()], edit);
            }
        }
        let (warm, warm_findings, reused) = generate_with_findings(&docs, Some(&cache));
        let (cold, cold_findings, _) = generate_with_findings(&docs, None);
        prop_assert!(warm == cold, "a warm run differs from a cold one after {:?}", edits);
        prop_assert_eq!(warm_findings, cold_findings);
        // `lib.rs` never changes, so a warm run takes at least that file
        // from the cache.
        prop_assert!(reused > 0, "nothing came from the cache");
        prop_assert!(!before.is_empty());
    }
}

#[test]
fn an_unchanged_tree_is_taken_whole_from_the_cache_and_a_broken_cache_is_none() {
    let dir = common::scratch("cache-unchanged");
    let cache = dir.join("cache.bin");
    let docs = common::docs_input();
    let (cold, reused) = generate(&docs, Some(&cache));
    assert_eq!(reused, 0, "the first run had no cache");
    let pages = dir.join("cache.bin.pages");
    #[cfg(unix)]
    let written = [&cache, &pages].map(|path| std::fs::metadata(path).unwrap());
    let (warm, reused) = generate(&docs, Some(&cache));
    assert_eq!(warm, cold);
    // Nothing changed, so neither did the cache nor the parsed pages:
    // they are not written again (a new file would have been renamed over
    // each).
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let kept = [&cache, &pages].map(|path| std::fs::metadata(path).unwrap());
        assert_eq!(
            kept[0].ino(),
            written[0].ino(),
            "the cache was written again"
        );
        assert_eq!(
            kept[1].ino(),
            written[1].ino(),
            "the pages were written again"
        );
    }
    let rust = cold.iter().filter(|(p, _)| p.ends_with(".rs")).count();
    // The folders' `mod.rs` files are always parsed: they say what the
    // listing exports.
    assert_eq!(reused, rust - 2, "every other Rust file is reused");

    for path in [&cache, &pages] {
        let text = std::fs::read(path).unwrap();
        std::fs::write(path, &text[..text.len() / 2]).unwrap();
    }
    let (truncated, reused) = generate(&docs, Some(&cache));
    assert_eq!(truncated, cold);
    assert_eq!(reused, 0, "a truncated cache is no cache");
}

/// The files a warm run changed after `edit` (a page, its text to find
/// and its replacement) of docs-input, having checked that the warm run
/// gives what a cold one gives.
fn changed_by(label: &str, page: &str, from: &str, to: &str) -> Vec<String> {
    let dir = common::scratch(label);
    let docs = dir.join("docs");
    common::copy_dir(&common::docs_input(), &docs);
    let cache = dir.join("cache.bin");
    let (before, _) = generate(&docs, Some(&cache));
    let page = docs.join(page);
    let text = std::fs::read_to_string(&page).expect("the page is in docs-input");
    let edited = text.replace(from, to);
    assert_ne!(text, edited, "the text to edit is in the page");
    std::fs::write(&page, edited).expect("writing the page");
    let (warm, reused) = generate(&docs, Some(&cache));
    let (cold, _) = generate(&docs, None);
    assert!(warm == cold, "a warm run differs from a cold one");
    assert!(reused > 0, "nothing came from the cache");
    (before.iter().zip(&warm))
        .filter(|(b, w)| b != w)
        .map(|(_, w)| w.0.clone())
        .collect()
}

/// A warm run keys a type's file by the model items it is made from; a
/// property's description, inherited from a base type, is one of them.
#[test]
fn a_reworded_base_property_reaches_the_derived_types_on_a_warm_run() {
    let changed = changed_by(
        "cache-base-reword",
        "resources/directoryobject.md",
        "When the object was soft-deleted",
        "When the object was deleted",
    );
    assert!(
        changed.iter().any(|p| p == "types/user.rs"),
        "changed: {changed:?}"
    );
}

/// A fixture's code is keyed by its endpoint: the type its response
/// example is checked against is part of it.
#[test]
fn a_retyped_response_reaches_the_fixture_code_on_a_warm_run() {
    let changed = changed_by(
        "cache-retyped-response",
        "api/user-get.md",
        "a [user](../resources/user.md) object in the response body",
        "a [directoryObject](../resources/directoryobject.md) object in the response body",
    );
    assert!(
        changed.iter().any(|p| p == "fixtures/users_get.rs"),
        "changed: {changed:?}"
    );
}
