fn main() -> Result<(), codegen::BuildError> {
    codegen::Builder::new("docs").out_dir("generated").compile()
}
