//! Regenerates the bindings in `generated/` from the pages in `docs-input/`.
//!
//! Runs only when `docs-input/` (or this file, or the generator) changes,
//! and rewrites only files whose content changed. With `CI` set it writes
//! nothing and fails if `generated/` is stale, so that CI checks the
//! checked-in code instead of silently refreshing it.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (docs, out) = (root.join("docs-input"), root.join("generated"));
    println!("cargo:rerun-if-changed=docs-input");
    println!("cargo:rerun-if-changed=build.rs");
    println!(
        "cargo:rerun-if-changed=generated/{}",
        codegen::emit::lock::FILE
    );
    println!("cargo:rerun-if-env-changed=CI");

    let generated = codegen::Generator::new(&docs)
        .with_name_lock(out.join(codegen::emit::lock::FILE))
        .sources()
        .unwrap_or_else(|e| panic!("docgen: {e}"));
    // A few lines (total, commonest codes, the command that shows each one):
    // cargo repeats every warning line on each build, so not one per finding.
    for line in codegen::lint::cargo_summary("docs-input", &generated.diagnostics) {
        println!("cargo:warning={line}");
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
