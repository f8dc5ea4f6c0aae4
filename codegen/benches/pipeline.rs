//! Each stage of the pipeline beside the floor (a bare pulldown-cmark pass
//! over the same bytes), on pages already in memory so that disk speed is
//! left out. Input: `docs-input/`, or the 2021-07 v1.0 snapshot when
//! `DOCGEN_GRAPH_DOCS` is set. `bench/corpus.sh` times whole runs.

use codegen::{emit, model, read};
use pulldown_cmark::{Options, Parser};
use std::path::PathBuf;
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// Every page of the input as `(file, bytes)`.
static FILES: LazyLock<Vec<(String, Vec<u8>)>> = LazyLock::new(|| {
    let root = match std::env::var_os("DOCGEN_GRAPH_DOCS") {
        Some(dir) => PathBuf::from(dir).join("2021-07/v1.0"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs-input")),
    };
    read::markdown_files(&root, &mut Vec::new())
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let bytes = std::fs::read(&path).expect("reading a page");
            (name.replace('\\', "/"), bytes)
        })
        // Include fragments are spliced into pages by `read::read_dir`;
        // here pages are parsed one by one, so they are left out.
        .filter(|(name, _)| !read::is_fragment(name))
        .collect()
});

static PAGES: LazyLock<Vec<read::Page>> = LazyLock::new(read_all);

static API: LazyLock<model::Api> = LazyLock::new(|| model::build(&PAGES).0);

fn read_all() -> Vec<read::Page> {
    FILES
        .iter()
        .map(|(name, bytes)| read::parse_page(name, bytes).0)
        .collect()
}

/// The floor: the parser alone, with the reader's options.
#[divan::bench(sample_count = 10)]
fn bare_parse() -> usize {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    FILES
        .iter()
        .map(|(_, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            Parser::new_ext(&text, options).into_offset_iter().count()
        })
        .sum()
}

/// Stage 1: pages with sections, tables, code and annotations.
#[divan::bench(sample_count = 10)]
fn read_pages() -> Vec<read::Page> {
    read_all()
}

/// Stage 2: the API model from the pages.
#[divan::bench(sample_count = 10)]
fn build_model() -> model::Api {
    model::build(&PAGES).0
}

/// Stage 3: every source file, formatted.
#[divan::bench(sample_count = 10)]
fn emit_sources() -> Vec<emit::SourceFile> {
    let cache = emit::Cache::default();
    emit::emit(
        &API,
        &emit::NameLock::default(),
        emit::Layout::Module,
        &cache,
    )
    .expect("emitted code parses")
    .files
}
