//! Generating bindings from a build script: everything a `build.rs` needs,
//! behind one call.
//!
//! ```no_run
//! fn main() -> Result<(), codegen::BuildError> {
//!     codegen::Builder::new("docs").out_dir("generated").compile()
//! }
//! ```
//!
//! `compile` tells cargo when to run the script again (the docs tree, the
//! overrides file, the name lock, the `CI` variable), regenerates (keeping
//! the formatted files in `OUT_DIR`, so that the next run parses and prints
//! only what changed: [`emit::Cache`]; and a record of the run, so that a
//! run over unchanged bytes into an untouched output does nothing:
//! [`write::Stamp`]), writes only the files whose content changed, and
//! summarises the docs' warnings
//! in a few `cargo:warning` lines. With `CI` set it writes nothing and
//! fails if the checked-in output is stale, so that CI tests the code that
//! was committed rather than refreshing it silently.
//!
//! The generated `lib.rs` compiles its `mock` module (a mock of the API for
//! tests, see `docgen_runtime::mock`) when the package has a `mock`
//! feature turned on; a package that wants it declares
//! `mock = ["docgen-runtime/mock", "docgen-runtime/client"]` among its
//! features.

use crate::{Generator, emit, lint, write};
use std::fmt;
use std::path::PathBuf;

/// Settings for [`Builder::compile`]. Relative paths are relative to the
/// package's directory (`CARGO_MANIFEST_DIR`), as cargo runs build
/// scripts there.
#[derive(Clone, Debug)]
#[must_use]
pub struct Builder {
    docs: PathBuf,
    out_dir: PathBuf,
    overrides: Option<PathBuf>,
    check: Option<bool>,
}

/// Why [`Builder::compile`] (or [`crate::Generator::write`]) failed. Its
/// `Debug` is its message, since a build script's `main` prints the error
/// it returns with `Debug`.
#[non_exhaustive]
pub enum BuildError {
    /// The generator produced invalid Rust: a generator bug.
    Generate(emit::Error),
    /// The output directory could not be read or written.
    Io(std::io::Error),
    /// In check mode: these files differ from what the docs generate.
    Stale(Vec<String>),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Generate(e) => write!(f, "docgen: {e}"),
            BuildError::Io(e) => write!(f, "docgen: {e}"),
            BuildError::Stale(files) => write!(
                f,
                "docgen: the generated files are stale ({}); run `cargo build` without `CI` set and commit the result",
                files.join(", ")
            ),
        }
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Generate(e) => Some(e),
            BuildError::Io(e) => Some(e),
            BuildError::Stale(_) => None,
        }
    }
}

impl Builder {
    /// Bindings for the pages below `docs`, written to `generated/`, using
    /// `docs/overrides.toml` when there is one.
    pub fn new(docs: impl Into<PathBuf>) -> Builder {
        Builder {
            docs: docs.into(),
            out_dir: PathBuf::from("generated"),
            overrides: None,
            check: None,
        }
    }

    /// Where the sources go: the crate's `[lib] path` names the `lib.rs`
    /// written there.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Builder {
        self.out_dir = dir.into();
        self
    }

    /// Corrections for known doc defects (see `model::Overrides`), when
    /// they live elsewhere than `docs/overrides.toml`.
    pub fn overrides(mut self, path: impl Into<PathBuf>) -> Builder {
        self.overrides = Some(path.into());
        self
    }

    /// Checks instead of writing (`true`) or writes (`false`), whatever
    /// the `CI` variable says.
    pub fn check(mut self, check: bool) -> Builder {
        self.check = Some(check);
        self
    }

    /// Regenerates, and writes the files that changed (or, in check mode,
    /// fails if any would change). Prints cargo's `rerun-if-changed` lines
    /// and a short summary of the docs' warnings.
    ///
    /// # Errors
    /// See [`BuildError`].
    pub fn compile(self) -> Result<(), BuildError> {
        let base = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
        let (docs, out) = (base.join(&self.docs), base.join(&self.out_dir));
        let lock = out.join(emit::lock::FILE);
        let mut watched = vec![docs.clone(), lock.clone()];
        let mut generator = Generator::new(&docs).with_name_lock(&lock);
        // Cargo's build directory keeps the formatted files and the record
        // of the last run between builds.
        // Named after the output directory: a build script may generate
        // several.
        if let Some(dir) = std::env::var_os("OUT_DIR") {
            let dir = PathBuf::from(dir);
            let id = xxhash_rust::xxh3::xxh3_64(out.as_os_str().as_encoded_bytes());
            generator = generator
                .with_cache(dir.join(format!("docgen-{id:016x}.cache")))
                .with_stamp(dir.join(format!("docgen-{id:016x}.stamp")));
        }
        if let Some(overrides) = &self.overrides {
            let overrides = base.join(overrides);
            generator = generator.with_overrides(&overrides);
            watched.push(overrides);
        }
        for path in &watched {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        println!("cargo:rerun-if-env-changed=CI");

        let check = self
            .check
            .unwrap_or_else(|| std::env::var_os("CI").is_some());
        let diagnostics = if check {
            let generated = generator.sources().map_err(BuildError::Generate)?;
            let stale = write::stale(&out, &generated.files).map_err(BuildError::Io)?;
            if !stale.is_empty() {
                return Err(BuildError::Stale(stale));
            }
            generated.diagnostics
        } else {
            generator.write(&out, None)?.summary.diagnostics
        };
        // A few lines (total, commonest codes, the command that shows each
        // one): cargo repeats every warning line on each build.
        let label = self.docs.display().to_string();
        for line in lint::cargo_summary(&label, &diagnostics) {
            println!("cargo:warning={line}");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_mode_reports_stale_files_and_writes_nothing() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs-input");
        let out = std::env::temp_dir().join(format!("docgen-builder-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let checked = Builder::new(&root).out_dir(&out).check(true).compile();
        let Err(BuildError::Stale(files)) = checked else {
            panic!("{checked:?}");
        };
        assert!(files.iter().any(|f| f.ends_with("lib.rs")), "{files:?}");
        assert!(!out.exists(), "check mode wrote {}", out.display());
        Builder::new(&root)
            .out_dir(&out)
            .check(false)
            .compile()
            .unwrap();
        Builder::new(&root)
            .out_dir(&out)
            .check(true)
            .compile()
            .unwrap();
        std::fs::remove_dir_all(&out).unwrap();
    }
}
