//! Regenerates the bindings in `generated/` from the pages in `docs-input/`
//! (see `codegen::Builder`: reruns only when the docs change, writes only
//! what changed, and with `CI` set only checks that `generated/` is current).

fn main() -> Result<(), codegen::BuildError> {
    codegen::Builder::new("docs-input")
        .out_dir("generated")
        .compile()
}
