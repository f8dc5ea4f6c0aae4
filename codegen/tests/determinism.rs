//! The generator's output does not depend on how many threads it runs on:
//! pages are read and files printed in parallel, and everything is
//! collected back in input order.

mod common;

use codegen::Generator;
use std::path::Path;

/// Files and diagnostics from `docs` on a pool of `threads` threads.
fn generate(docs: &Path, threads: usize) -> (Vec<(String, String)>, Vec<String>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let generated = pool
        .install(|| Generator::new(docs).sources())
        .expect("the docs generate");
    let files = generated
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect();
    let diagnostics = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    (files, diagnostics)
}

fn assert_same_on_any_thread_count(docs: &Path) {
    let one = generate(docs, 1);
    assert!(!one.0.is_empty());
    for threads in [2, 5] {
        let many = generate(docs, threads);
        assert!(
            one.0 == many.0,
            "files differ between 1 and {threads} threads"
        );
        assert_eq!(
            one.1, many.1,
            "diagnostics differ between 1 and {threads} threads"
        );
    }
}

#[test]
fn docs_input_gives_the_same_files_on_any_thread_count() {
    assert_same_on_any_thread_count(&common::docs_input());
}

#[test]
fn the_v1_0_corpus_gives_the_same_files_on_any_thread_count() {
    let Some(docs) = common::graph_docs("the_v1_0_corpus_gives_the_same_files_on_any_thread_count")
    else {
        return;
    };
    assert_same_on_any_thread_count(&docs.join("2021-07/v1.0"));
}
