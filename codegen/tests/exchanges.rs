//! Every API page in docs-input/ is replayed over HTTP from its examples,
//! and no example pair is left out.

use codegen::Generator;
use codegen::emit::exchanges::replayed;
use std::collections::BTreeSet;

#[test]
fn every_docs_input_page_has_an_example_pair_to_replay() {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs-input");
    let generated = Generator::new(docs).sources().unwrap();
    let (cases, skipped) = replayed(&generated.api);
    assert!(skipped.is_empty(), "not replayed: {skipped:?}");
    let pages: BTreeSet<&str> = generated
        .api
        .endpoints
        .iter()
        .map(|e| e.source.file.as_str())
        .collect();
    let replayed: BTreeSet<&str> = cases.iter().map(|c| c.exchange.file.as_str()).collect();
    let missing: Vec<&&str> = pages.difference(&replayed).collect();
    assert!(
        missing.is_empty(),
        "pages with no replayed example: {missing:?}"
    );
}
