//! Regenerates the bindings in `generated/` from the pages in `docs-input/`.
//!
//! Runs only when `docs-input/` (or this file, or the generator) changes,
//! and rewrites only files whose content changed. With `CI` set it writes
//! nothing and fails if `generated/` is stale, so that CI checks the
//! checked-in code instead of silently refreshing it.

use codegen::diag::Severity;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (docs, out) = (root.join("docs-input"), root.join("generated"));
    println!("cargo:rerun-if-changed=docs-input");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CI");

    let generated = codegen::Generator::new(&docs)
        .sources()
        .unwrap_or_else(|e| panic!("docgen: {e}"));
    let warnings = generated
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if warnings > 0 {
        println!(
            "cargo:warning=docgen: {warnings} warnings in docs-input/; see `cargo run -p docgen-codegen -- model --docs docs-input`"
        );
    }

    if std::env::var_os("CI").is_some() {
        let stale = codegen::write::stale(&out, &generated.files).expect("reading generated/");
        assert!(
            stale.is_empty(),
            "generated/ is stale ({}); run `cargo build` locally and commit the result",
            stale.join(", ")
        );
    } else {
        codegen::write::sync(&out, &generated.files).expect("writing generated/");
    }
}
