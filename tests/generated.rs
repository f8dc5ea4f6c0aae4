//! The checked-in bindings are exactly what docs-input/ generates.
//!
//! `build.rs` refreshes `generated/` on a developer's `cargo build`; in CI
//! (`CI` set) it only checks, so this test fails on a stale checkout.

#[test]
fn generated_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = codegen::Generator::new(root.join("docs-input"))
        .sources()
        .expect("docs-input generates")
        .files;
    let stale = codegen::write::stale(&root.join("generated"), &files).expect("reading generated/");
    assert!(
        stale.is_empty(),
        "stale files in generated/: {stale:?}; run `cargo build` and commit"
    );
}
