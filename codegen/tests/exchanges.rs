//! Every operation in docs-input/ is replayed over HTTP from its examples.

use codegen::Generator;
use codegen::emit::exchanges::replayed;
use std::collections::BTreeSet;

#[test]
fn every_docs_input_operation_has_an_example_pair_to_replay() {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs-input");
    let generated = Generator::new(docs).sources().unwrap();
    let (cases, skipped) = replayed(&generated.api);
    let replayed: BTreeSet<&str> = cases.iter().map(|c| c.function.as_str()).collect();
    let functions: Vec<String> = generated
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix("operations/")?.strip_suffix(".rs"))
        .filter(|f| *f != "mod")
        .map(str::to_owned)
        .collect();
    assert_eq!(functions.len(), generated.api.operations.len());
    let missing: Vec<&String> = functions
        .iter()
        .filter(|f| !replayed.contains(f.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "not replayed: {missing:?}; skipped: {skipped:?}"
    );
}
