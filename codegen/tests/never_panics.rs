//! Whatever the bytes, reading, modelling and emitting finish with output
//! or diagnostics, never a panic, and the emitted files are valid Rust.

mod common;

use proptest::prelude::*;

/// Runs the whole pipeline except writing over one page.
fn pipeline(bytes: &[u8]) {
    let (page, _) = codegen::read::parse_page("api/fuzzed.md", bytes);
    let (api, _) = codegen::model::build(&[page]);
    codegen::emit::emit(
        &api,
        &codegen::emit::NameLock::default(),
        codegen::emit::Gating::None,
    )
    .expect("emitted code parses");
}

fn sample_pages() -> Vec<Vec<u8>> {
    let mut pages = Vec::new();
    for dir in ["api", "resources"] {
        let dir = common::docs_input().join(dir);
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        pages.extend(files.iter().map(|f| std::fs::read(f).unwrap()));
    }
    pages
}

#[derive(Clone, Debug)]
enum Mutation {
    Truncate(usize),
    Insert(usize, Vec<u8>),
    DuplicateLine(usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
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
    ]
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
    }
    lines.join(&b'\n')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

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
