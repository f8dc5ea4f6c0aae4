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

/// The files emitted for `pages`, taken in the order given.
fn emit_pages(pages: &[codegen::read::Page]) -> Vec<(String, String)> {
    let (api, _) = codegen::model::build(pages);
    let files = codegen::emit::emit(
        &api,
        &codegen::emit::NameLock::default(),
        codegen::emit::Layout::Module,
        &codegen::emit::Cache::default(),
    )
    .expect("the pages emit")
    .files;
    files.into_iter().map(|f| (f.path, f.contents)).collect()
}

/// A permutation of `0..n` from `seed` (a small xorshift: the test needs
/// many different orders, not good randomness).
fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        order.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    order
}

#[test]
fn pages_in_any_order_give_the_same_files() {
    let (pages, _) = codegen::read::read_dir(&common::docs_input());
    let sorted = emit_pages(&pages);
    for seed in 1..=8u64 {
        let order = shuffled(pages.len(), seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let pages: Vec<_> = order.iter().map(|&i| pages[i].clone()).collect();
        assert!(
            emit_pages(&pages) == sorted,
            "files differ for order seed {seed}"
        );
    }
}

#[test]
fn a_tree_written_in_another_order_gives_the_same_files() {
    let docs = common::docs_input();
    let contents = common::files_below(&docs);
    let files: Vec<&String> = contents.keys().collect();
    // Files created in reverse and in shuffled order: file systems that
    // list a folder in creation order (tmpfs, many others) list them so.
    let copies = common::scratch("determinism-order");
    let mut outputs = Vec::new();
    for (n, order) in [files.iter().rev().copied().collect::<Vec<_>>(), {
        let order = shuffled(files.len(), 42);
        order.iter().map(|&i| files[i]).collect()
    }]
    .into_iter()
    .enumerate()
    {
        let copy = copies.join(n.to_string());
        for rel in order {
            let target = copy.join(rel);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, &contents[rel]).unwrap();
        }
        outputs.push(generate(&copy, 2));
    }
    let original = generate(&docs, 2);
    for output in outputs {
        assert!(output == original, "a reordered copy generates other files");
    }
}

#[test]
fn two_runs_of_the_binary_write_the_same_bytes() {
    let scratch = common::scratch("determinism-runs");
    let mut trees = Vec::new();
    for run in ["first", "second"] {
        let out = scratch.join(run);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(["generate", "--name", "same", "--docs"])
            .arg(common::docs_input())
            .arg("--out")
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("running codegen");
        assert!(status.success());
        let mut files = common::files_below(&out);
        // The record of the run holds where and when it wrote.
        assert!(files.remove("target/docgen-cache.bin.stamp").is_some());
        trees.push(files);
    }
    assert!(trees[0].len() > 20);
    assert!(trees[0] == trees[1], "two runs wrote different files");
}
