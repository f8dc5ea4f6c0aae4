//! Whatever the bytes, reading, modelling and emitting finish with output
//! or diagnostics, never a panic, and the emitted files are valid Rust.

mod common;

use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// Runs the whole pipeline except writing over one page, on a thread of
/// its own so that an input that makes it hang fails the test instead of
/// stalling it. The limit is far above what any page takes (milliseconds,
/// even unoptimised): it catches loops and blow-ups, not slowness.
fn pipeline(bytes: &[u8]) {
    let bytes = bytes.to_vec();
    let (done, finished) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        let (page, _) = codegen::read::parse_page("api/fuzzed.md", &bytes);
        let (api, _) = codegen::model::build(&[page]);
        let emitted = codegen::emit::emit(
            &api,
            &codegen::emit::NameLock::default(),
            codegen::emit::Layout::Module,
            &codegen::emit::Cache::default(),
        );
        let _ = done.send(());
        emitted.map(|_| ()).map_err(|e| e.to_string())
    });
    match finished.recv_timeout(Duration::from_secs(60)) {
        Ok(()) | Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Ok(emitted) => emitted.expect("emitted code parses"),
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(RecvTimeoutError::Timeout) => panic!("the pipeline ran over 60 s on one page"),
    }
}

/// Pages to mutate: docs-input, the hostile pages, and with the corpus
/// every 25th page of 2021-07 v1.0 and beta, read once.
fn sample_pages() -> &'static [Vec<u8>] {
    static PAGES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    PAGES.get_or_init(|| {
        let mut roots = vec![
            common::docs_input(),
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile-docs")),
        ];
        let mut step = vec![1, 1];
        if let Some(docs) = common::graph_docs("never_panics over corpus pages") {
            roots.push(docs.join("2021-07/v1.0"));
            roots.push(docs.join("2021-07/beta"));
            step.extend([25, 25]);
        }
        let mut pages = Vec::new();
        for (root, step) in roots.iter().zip(step) {
            let files = codegen::read::markdown_files(root, &mut Vec::new());
            pages.extend(
                files
                    .iter()
                    .step_by(step)
                    .map(|f| std::fs::read(f).unwrap()),
            );
        }
        pages
    })
}

/// How many cases each property runs: `PROPTEST_CASES`, or 256. CI runs
/// a few minutes' worth.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    ProptestConfig::with_cases(cases)
}

#[derive(Clone, Debug)]
enum Mutation {
    Truncate(usize),
    Insert(usize, Vec<u8>),
    DuplicateLine(usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
    /// Line ends become `\r` alone (old Mac), or `\r\n`.
    LineEnds(&'static [u8]),
    /// A byte-order mark in front.
    Bom,
    /// One line of `n` copies of a piece of Markdown or JSON syntax.
    LongLine(usize, usize, &'static [u8]),
    /// `depth` openings of a nesting construct (quotes, lists, JSON
    /// arrays and objects, emphasis, links).
    Nest(usize, usize, &'static [u8]),
    /// Every line that opens or closes a fence, a table row or an HTML
    /// comment loses it: what a careless edit does to a page.
    Break(&'static [u8]),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tricky = prop::sample::select(vec![
        b"|".to_vec(),
        b"\n|--|--|\n".to_vec(),
        b"```".to_vec(),
        b"<!--".to_vec(),
        b"-->".to_vec(),
        b"{".to_vec(),
        b"}".to_vec(),
        b"\xff\xfe".to_vec(),
        b"\0".to_vec(),
        b"\r".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        b"[x](".to_vec(),
        b"# ".to_vec(),
    ]);
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (
            any::<usize>(),
            prop_oneof![tricky, prop::collection::vec(any::<u8>(), 1..16)]
        )
            .prop_map(|(at, b)| Mutation::Insert(at, b)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        prop::sample::select(vec![&b"\r"[..], b"\r\n"]).prop_map(Mutation::LineEnds),
        Just(Mutation::Bom),
        (any::<usize>(), 1usize..50_000, syntax())
            .prop_map(|(at, n, s)| Mutation::LongLine(at, n, s)),
        (any::<usize>(), 1usize..5_000, nesting()).prop_map(|(at, n, s)| Mutation::Nest(at, n, s)),
        prop::sample::select(vec![&b"```"[..], b"|", b"-->", b"<!--"]).prop_map(Mutation::Break),
    ]
}

fn syntax() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![
        &b"|"[..],
        b"x",
        b"`",
        b"\\",
        b"{\"a\":",
        b"\0",
        b"\xff",
    ])
}

fn nesting() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![
        &b"> "[..],
        b"- ",
        b"[",
        b"{\"a\":",
        b"*",
        b"<div>",
        b"  ",
    ])
}

fn apply(page: &[u8], m: &Mutation) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = page.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let n = lines.len();
    match m {
        Mutation::Truncate(at) => return page[..at % (page.len() + 1)].to_vec(),
        Mutation::Insert(at, bytes) => {
            let at = at % (page.len() + 1);
            return [&page[..at], bytes, &page[at..]].concat();
        }
        Mutation::DuplicateLine(i) => {
            let line = lines[i % n].clone();
            lines.insert(i % n, line);
        }
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
        Mutation::LineEnds(end) => return lines.join(*end),
        Mutation::Bom => return [b"\xEF\xBB\xBF", page].concat(),
        Mutation::LongLine(i, count, piece) => lines.insert(i % (n + 1), piece.repeat(*count)),
        Mutation::Nest(i, depth, opening) => lines.insert(i % (n + 1), opening.repeat(*depth)),
        Mutation::Break(mark) => {
            for line in &mut lines {
                if let Some(at) = line.windows(mark.len()).position(|w| w == *mark) {
                    line.drain(at..at + mark.len());
                }
            }
        }
    }
    lines.join(&b'\n')
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        pipeline(&bytes);
    }

    #[test]
    fn mutated_sample_pages(index in any::<usize>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let pages = sample_pages();
        let mut page = pages[index % pages.len()].clone();
        for m in &mutations {
            page = apply(&page, m);
        }
        pipeline(&page);
    }
}

#[test]
fn deep_nesting_and_long_lines_finish() {
    let deep = format!("{}x", "> ".repeat(5000));
    pipeline(deep.as_bytes());
    let nested_list = (0..2000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect::<String>();
    pipeline(nested_list.as_bytes());
    let long = format!("|a|b|\n|--|--|\n|{}|String|\n", "x".repeat(1_000_000));
    pipeline(long.as_bytes());
    let brackets = "[".repeat(100_000);
    pipeline(brackets.as_bytes());
}
