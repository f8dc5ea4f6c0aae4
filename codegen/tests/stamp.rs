//! A run whose inputs and output are as the stamp recorded them does
//! nothing, and reports what the run that wrote the output found; any
//! change to the docs' bytes, the settings or the output makes it a full
//! run again, whose output is a cold run's.

mod common;

use codegen::{CrateSettings, Generator, Written};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

struct Setup {
    docs: PathBuf,
    out: PathBuf,
    target: PathBuf,
}

fn setup(name: &str) -> Setup {
    let dir = common::scratch(&format!("stamp-{name}"));
    let docs = dir.join("docs");
    common::copy_dir(&common::docs_input(), &docs);
    Setup {
        out: dir.join("out"),
        target: dir.join("target"),
        docs,
    }
}

fn settings(name: &str) -> CrateSettings {
    CrateSettings {
        name: name.to_owned(),
        runtime_path: PathBuf::from("../runtime"),
    }
}

impl Setup {
    /// A run as `codegen generate` makes it: cache and stamp in `target`.
    fn write(&self, name: &str) -> Written {
        Generator::new(&self.docs)
            .with_name_lock(self.out.join(codegen::emit::lock::FILE))
            .with_cache(self.target.join("docgen-cache.bin"))
            .with_stamp(self.target.join("docgen-stamp.bin"))
            .write(&self.out, Some(&settings(name)))
            .expect("docs-input generates")
    }
}

/// What a run with neither cache nor stamp writes into a new folder.
fn cold(docs: &Path, name: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = common::scratch(&format!("stamp-cold-{name}"));
    Generator::new(docs)
        .with_name_lock(out.join(codegen::emit::lock::FILE))
        .write(&out, Some(&settings("bindings")))
        .expect("docs-input generates");
    common::files_below(&out)
}

#[test]
fn unchanged_bytes_into_an_untouched_output_do_nothing() {
    let s = setup("unchanged");
    let first = s.write("bindings");
    assert!(!first.up_to_date);
    assert!(first.summary.types > 0 && !first.summary.diagnostics.is_empty());
    let second = s.write("bindings");
    assert!(second.up_to_date, "nothing changed");
    assert_eq!(second.summary, first.summary, "the same report");
    assert_eq!(second.report.unchanged, first.summary.files);

    // A page rewritten with the same bytes, as a branch switch leaves it.
    let page = s.docs.join("api/user-get.md");
    std::fs::write(&page, std::fs::read(&page).unwrap()).unwrap();
    assert!(s.write("bindings").up_to_date, "only a timestamp changed");

    assert!(!s.write("other-name").up_to_date, "other settings");
    // The stamp is now the other name's: back to the first name is a full run.
    assert!(!s.write("bindings").up_to_date);
    assert!(s.write("bindings").up_to_date);
}

#[test]
fn findings_about_one_run_are_not_replayed() {
    let s = setup("lock");
    s.write("bindings");
    let lock = s.out.join(codegen::emit::lock::FILE);
    std::fs::write(&lock, "not a name lock").unwrap();
    let damaged = s.write("bindings");
    let codes = |w: &Written| {
        w.summary
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect::<Vec<_>>()
    };
    assert!(!damaged.up_to_date);
    assert!(
        codes(&damaged).contains(&"invalid-name-lock"),
        "{:?}",
        codes(&damaged)
    );
    // That run wrote a good lock: the next one meets no damaged lock.
    let next = s.write("bindings");
    assert!(next.up_to_date);
    assert!(!codes(&next).contains(&"invalid-name-lock"));
    let others = |w: &Written| {
        codes(w)
            .into_iter()
            .filter(|c| *c != "invalid-name-lock")
            .count()
    };
    assert_eq!(others(&next), others(&damaged));
}

#[test]
fn an_edited_page_regenerates_as_a_cold_run_would() {
    let s = setup("edited");
    s.write("bindings");
    let page = s.docs.join("api/user-get.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let edited = text.replacen("GET /me", "GET /me\nGET /users/{id}/manager", 1);
    assert_ne!(edited, text, "the page has the line the edit extends");
    std::fs::write(&page, edited).unwrap();
    let warm = s.write("bindings");
    assert!(!warm.up_to_date);
    assert!(
        !warm.report.written.is_empty(),
        "the edit changes the output"
    );
    let (warm, cold) = (common::files_below(&s.out), cold(&s.docs, "edited"));
    let differ: Vec<_> = (warm.keys().chain(cold.keys()))
        .filter(|path| warm.get(*path) != cold.get(*path))
        .collect();
    assert!(differ.is_empty(), "differ from a cold run: {differ:?}");
    assert!(s.write("bindings").up_to_date);
}

#[test]
fn pages_known_by_their_states_are_not_read() {
    let s = setup("unread");
    s.write("bindings");
    let reads = |w: &Written| w.timings.stage("read").is_some();
    // Pages changed less than a file system's coarsest tick before a run
    // are read again by the next; once that has passed, a run that finds
    // the stamp current records them as settled.
    std::thread::sleep(std::time::Duration::from_millis(3_500));
    let settling = s.write("bindings");
    assert!(settling.up_to_date && reads(&settling));
    let unread = s.write("bindings");
    assert!(unread.up_to_date, "nothing changed");
    assert!(!reads(&unread), "the pages are as recorded");
    assert_eq!(unread.summary, settling.summary, "the same report");

    // Known unread, but the output changed: the run reads and writes
    // what a cold run would.
    std::fs::write(s.out.join("src/lib.rs"), "// edited by hand\n").unwrap();
    let run = s.write("bindings");
    assert!(!run.up_to_date && reads(&run));
    assert_eq!(run.report.written, ["src/lib.rs"]);
    assert_eq!(common::files_below(&s.out), cold(&s.docs, "unread"));

    assert!(
        !reads(&s.write("bindings")),
        "that run recorded them settled"
    );

    // An edited page's state differs from the settled record's: the run
    // reads the pages and writes what a cold run would.
    let page = s.docs.join("api/user-get.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replacen("GET /me", "GET /me\nGET /users/{id}/manager", 1),
    )
    .unwrap();
    let edited = s.write("bindings");
    assert!(!edited.up_to_date && reads(&edited));
    assert_eq!(common::files_below(&s.out), cold(&s.docs, "unread-edited"));

    // A page rewritten with its own bytes is read, and the output is
    // still up to date.
    std::fs::write(&page, std::fs::read(&page).unwrap()).unwrap();
    let touched = s.write("bindings");
    assert!(touched.up_to_date && reads(&touched));
}

#[test]
fn a_touched_output_is_restored() {
    let s = setup("touched");
    s.write("bindings");
    let lib = s.out.join("src/lib.rs");
    let before = std::fs::read(&lib).unwrap();
    std::fs::write(&lib, b"// @generated, then edited by hand\n").unwrap();
    let run = s.write("bindings");
    assert!(!run.up_to_date);
    assert_eq!(run.report.written, ["src/lib.rs"]);
    assert_eq!(std::fs::read(&lib).unwrap(), before);

    let stray = s.out.join("types/src/types/stray.rs");
    std::fs::write(&stray, format!("// {}\n", codegen::emit::MARKER)).unwrap();
    let run = s.write("bindings");
    assert!(!run.up_to_date, "a generated-looking file appeared");
    assert_eq!(run.report.removed, ["types/src/types/stray.rs"]);

    std::fs::remove_file(s.out.join("Cargo.toml")).unwrap();
    assert_eq!(s.write("bindings").report.written, ["Cargo.toml"]);
    assert!(s.write("bindings").up_to_date);
}

#[test]
fn a_damaged_or_foreign_stamp_is_no_stamp() {
    let s = setup("damaged");
    s.write("bindings");
    let stamp = s.target.join("docgen-stamp.bin");
    std::fs::write(&stamp, b"\xff\x00 not a stamp").unwrap();
    assert!(!s.write("bindings").up_to_date);
    assert!(
        s.write("bindings").up_to_date,
        "the full run recorded a new one"
    );

    // The same stamp, pointed at a copy of the output.
    let copy = s.out.with_file_name("copy");
    common::copy_dir(&s.out, &copy);
    let elsewhere = Generator::new(&s.docs)
        .with_name_lock(copy.join(codegen::emit::lock::FILE))
        .with_stamp(&stamp)
        .write(&copy, Some(&settings("bindings")))
        .unwrap();
    assert!(!elsewhere.up_to_date, "another directory");
}

/// One thing done to the docs or the output between two runs.
#[derive(Clone, Debug)]
enum Step {
    /// A word added at the end of a line of a page.
    Reword(usize, usize),
    /// A page rewritten with the bytes it has.
    TouchPage(usize),
    RemovePage(usize),
    /// A line added to a generated file.
    EditOutput(usize),
    /// A generated file rewritten with the bytes it has.
    TouchOutput(usize),
    RemoveOutput(usize),
    /// A file that looks generated, where the writer looks for leftovers.
    Stray,
    Nothing,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>()).prop_map(|(p, l)| Step::Reword(p, l)),
        2 => any::<usize>().prop_map(Step::TouchPage),
        1 => any::<usize>().prop_map(Step::RemovePage),
        2 => any::<usize>().prop_map(Step::EditOutput),
        2 => any::<usize>().prop_map(Step::TouchOutput),
        1 => any::<usize>().prop_map(Step::RemoveOutput),
        1 => Just(Step::Stray),
        2 => Just(Step::Nothing),
    ]
}

/// The files below `dir` that a run writes, sorted.
fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
        .map(|e| e.expect("walking a directory").into_path())
        .filter(|p| p.is_file() && !p.ends_with(codegen::write::LOCK))
        .collect();
    files.sort();
    files
}

fn take(dir: &Path, extension: &str, n: usize) -> Option<PathBuf> {
    let files: Vec<PathBuf> = files_of(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    (!files.is_empty()).then(|| files[n % files.len()].clone())
}

fn apply(s: &Setup, step: &Step) {
    let rewrite = |path: PathBuf, edit: &dyn Fn(String) -> String| {
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edit(text)).unwrap();
    };
    match *step {
        Step::Reword(page, line) => {
            if let Some(page) = take(&s.docs, "md", page) {
                rewrite(page, &|text| {
                    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                    let n = line % lines.len().max(1);
                    if let Some(l) = lines.get_mut(n) {
                        l.push_str(" reworded");
                    }
                    lines.join("\n")
                });
            }
        }
        Step::TouchPage(page) => {
            if let Some(page) = take(&s.docs, "md", page) {
                rewrite(page, &|text| text);
            }
        }
        Step::RemovePage(page) => {
            if let Some(page) = take(&s.docs, "md", page) {
                std::fs::remove_file(page).unwrap();
            }
        }
        Step::EditOutput(n) => {
            if let Some(file) = take(&s.out, "rs", n) {
                rewrite(file, &|text| text + "// edited\n");
            }
        }
        Step::TouchOutput(n) => {
            if let Some(file) = take(&s.out, "rs", n) {
                rewrite(file, &|text| text);
            }
        }
        Step::RemoveOutput(n) => {
            if let Some(file) = take(&s.out, "rs", n) {
                std::fs::remove_file(file).unwrap();
            }
        }
        Step::Stray => {
            let stray = s.out.join("types/src/types/stray.rs");
            std::fs::write(stray, format!("// {}\n", codegen::emit::MARKER)).unwrap();
        }
        Step::Nothing => {}
    }
}

/// What a run without cache or stamp writes from `docs`, given the name
/// lock `out` holds.
fn cold_with_lock(docs: &Path, out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let cold = common::scratch("stamp-steps-cold");
    let lock = out.join(codegen::emit::lock::FILE);
    if lock.exists() {
        std::fs::copy(&lock, cold.join(codegen::emit::lock::FILE)).unwrap();
    }
    Generator::new(docs)
        .with_name_lock(cold.join(codegen::emit::lock::FILE))
        .write(&cold, Some(&settings("bindings")))
        .expect("docs-input and its edits generate");
    contents(&cold)
}

fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    (files_of(dir).into_iter())
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    /// Whatever happens to the docs and the output between runs, a run
    /// with the stamp leaves the output a run without it would write.
    #[test]
    fn the_stamp_never_stands_for_stale_output(steps in prop::collection::vec(step(), 1..6)) {
        let s = setup("steps");
        s.write("bindings");
        for step in &steps {
            apply(&s, step);
            let cold = cold_with_lock(&s.docs, &s.out);
            let run = s.write("bindings");
            let warm = contents(&s.out);
            let differ: std::collections::BTreeSet<_> = (warm.iter().map(|(p, _)| p))
                .chain(cold.iter().map(|(p, _)| p))
                .filter(|p| warm.iter().find(|(q, _)| q == *p) != cold.iter().find(|(q, _)| q == *p))
                .collect();
            prop_assert!(differ.is_empty(), "after {step:?} (of {steps:?}, up to date: {}): {differ:?}", run.up_to_date);
            prop_assert!(s.write("bindings").up_to_date, "a second run after {step:?}");
        }
    }
}
