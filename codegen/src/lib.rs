//! docgen's code generator: Graph-style Markdown API reference pages in, a
//! typed Rust client crate out.
//!
//! The pipeline has four stages, one module each, with plain data between
//! them:
//!
//! 1. [`read`]: Markdown → [`read::Page`]s (sections, tables, code, annotations);
//! 2. [`model`]: pages → one [`model::Api`] (types, enums, operations);
//! 3. [`emit`]: API → formatted Rust source files (pure, no I/O);
//! 4. [`mod@write`]: files → disk, touching only what changed.
//!
//! [`Generator`] runs them for the `codegen` CLI and [`Builder`] for build
//! scripts.

mod build_id;
mod builder;
pub mod conformance;
pub mod diag;
pub mod diff;
pub mod emit;
mod fields_key;
mod file_names;
mod file_state;
pub mod lint;
pub mod model;
pub mod read;
mod replace;
pub mod timings;
pub mod write;

pub use builder::{BuildError, Builder};
use diag::Diagnostic;
use emit::SourceFile;
use std::path::PathBuf;

/// Runs the pipeline over one docs tree.
#[derive(Clone, Debug)]
pub struct Generator {
    docs: PathBuf,
    overrides: Option<PathBuf>,
    /// The name lock of the previous run, when there is one to keep.
    names: Option<PathBuf>,
    /// Where the formatted files of the previous run are kept, if anywhere.
    cache: Option<PathBuf>,
    /// Where [`Generator::write`] records what it read and wrote.
    stamp: Option<PathBuf>,
}

/// The overrides file a docs tree may hold beside its pages.
pub const OVERRIDES_FILE: &str = "overrides.toml";

/// What one run produced.
#[derive(Debug)]
pub struct Generated {
    pub api: model::Api,
    /// Paths relative to the output directory.
    pub files: Vec<SourceFile>,
    /// Sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Rust files parsed and printed, and taken from the cache instead.
    pub printed: usize,
    pub reused: usize,
    /// Wall time of each stage (`codegen generate --timings`).
    pub timings: timings::Timings,
}

/// Settings for a standalone crate (`codegen generate`).
#[derive(Clone, Debug)]
pub struct CrateSettings {
    /// The package name in the generated `Cargo.toml`.
    pub name: String,
    /// Where the generated crate finds `docgen-runtime`.
    pub runtime_path: PathBuf,
}

impl Generator {
    /// A generator for the docs below `docs`, using `docs/overrides.toml`
    /// when there is one.
    pub fn new(docs: impl Into<PathBuf>) -> Self {
        let docs = docs.into();
        let beside = docs.join(OVERRIDES_FILE);
        Generator {
            overrides: beside.is_file().then_some(beside),
            docs,
            names: None,
            cache: None,
            stamp: None,
        }
    }

    /// Keeps the formatted files of each run in the file at `path` and
    /// takes from there, on the next run, every file whose tokens did not
    /// change instead of parsing and printing it again ([`emit::Cache`]);
    /// likewise the parsed pages, beside it (`<path>.pages`,
    /// [`read::Parsed`]). The output is the same with or without them.
    /// Point it at a build directory (`target/`, `OUT_DIR`), not at the
    /// checked-in output.
    #[must_use]
    pub fn with_cache(mut self, path: impl Into<PathBuf>) -> Self {
        self.cache = Some(path.into());
        self
    }

    /// Records at `path`, after each [`Generator::write`], the key of what
    /// the run read and the state of what it wrote; a later `write` that
    /// finds both as recorded does nothing ([`write::Stamp`]). Point it at
    /// a build directory, beside the cache.
    #[must_use]
    pub fn with_stamp(mut self, path: impl Into<PathBuf>) -> Self {
        self.stamp = Some(path.into());
        self
    }

    /// Keeps the names recorded in the lock at `path` (when it exists) for
    /// items that still exist; see [`emit::lock`]. Point it at the lock the
    /// previous run wrote into the output directory.
    #[must_use]
    pub fn with_name_lock(mut self, path: impl Into<PathBuf>) -> Self {
        self.names = Some(path.into());
        self
    }

    /// Uses the overrides file at `path` instead (for docs trees that cannot
    /// hold one, such as a read-only snapshot).
    #[must_use]
    pub fn with_overrides(mut self, path: impl Into<PathBuf>) -> Self {
        self.overrides = Some(path.into());
        self
    }

    /// Reads the docs and builds the API model.
    pub fn model(&self) -> (model::Api, Vec<Diagnostic>) {
        let (input, timings) = self.read();
        let (api, diagnostics, _) = self.model_of(input.sources, input.overrides, timings);
        (api, diagnostics)
    }

    /// Everything a run reads, and the time reading it took.
    fn read(&self) -> (Input, timings::Timings) {
        let mut timings = timings::Timings::default();
        let input = timings.time("read", || Input {
            sources: read::Sources::read(&self.docs),
            overrides: read_file(&self.overrides),
            names: read_file(&self.names),
        });
        (input, timings)
    }

    fn model_of(
        &self,
        sources: read::Sources,
        overrides: Option<ReadFile>,
        mut timings: timings::Timings,
    ) -> (model::Api, Vec<Diagnostic>, timings::Timings) {
        let pages_path = self.cache.as_ref().map(|cache| pages_beside(cache));
        let previous = timings.time("pages load", || {
            pages_path.as_deref().map(read::Parsed::load)
        });
        let (pages, mut diagnostics, kept) =
            timings.time("parse", || sources.parse_reusing(previous));
        let parsed = match &overrides {
            None => Ok(model::Overrides::default()),
            Some((path, Ok(bytes))) => model::Overrides::parse(path, bytes),
            Some((path, Err(e))) => Err(format!("{}: {e}", path.display())),
        };
        let overrides = parsed.unwrap_or_else(|e| {
            let path = overrides
                .as_ref()
                .map(|(path, _)| path.display().to_string());
            let file = path.unwrap_or_default();
            let mut sink = diag::Sink::new(&file);
            sink.warn(
                1,
                "invalid-overrides",
                format!("overrides not applied: {e}"),
            );
            diagnostics.extend(sink.into_vec());
            model::Overrides::default()
        });
        // The parsed pages are saved for the next run beside the model,
        // and freed once saved.
        let (api, more, saved) = std::thread::scope(|scope| {
            let saved = scope.spawn(|| match (&pages_path, kept) {
                (Some(path), Some(kept)) if kept.changed() => Some((path, kept.save(path))),
                _ => None,
            });
            let (api, more) = timings.time("model", || model::build_with(&pages, &overrides));
            (api, more, saved.join().ok().flatten())
        });
        if let Some((path, Err(e))) = saved {
            // Only the next run's speed depends on it.
            let file = path.display().to_string();
            let mut sink = diag::Sink::new(&file);
            sink.warn(1, "pages-not-saved", format!("parsed pages not saved: {e}"));
            diagnostics.extend(sink.into_vec());
        }
        // Freeing every page is work no later stage waits for.
        drop_elsewhere(pages);
        diagnostics.extend(more);
        diagnostics.sort();
        (api, diagnostics, timings)
    }

    /// The source files of the bindings, relative to the crate's source root
    /// (`lib.rs`, `types/…`, `operations/…`).
    ///
    /// # Errors
    /// Only on a generator bug (see [`emit::Error`]).
    pub fn sources(&self) -> Result<Generated, emit::Error> {
        self.generate(emit::Layout::Module)
    }

    fn generate(&self, layout: emit::Layout) -> Result<Generated, emit::Error> {
        let (input, timings) = self.read();
        self.generate_from(input, timings, layout)
    }

    fn generate_from(
        &self,
        input: Input,
        timings: timings::Timings,
        layout: emit::Layout,
    ) -> Result<Generated, emit::Error> {
        // The cache and the name lock are read beside the docs; "cache
        // load" is the time spent waiting for them once the model is built.
        let names = input.names;
        let ((api, mut diagnostics, mut timings), cache, (lock, found)) =
            std::thread::scope(|scope| {
                let cache = scope.spawn(|| match &self.cache {
                    Some(path) => emit::Cache::load(path),
                    None => emit::Cache::default(),
                });
                let lock = scope.spawn(|| {
                    let mut found = Vec::new();
                    (previous_names(names, &mut found), found)
                });
                let mut model = self.model_of(input.sources, input.overrides, timings);
                let (cache, lock) = (model.2).time("cache load", || {
                    let lock = lock.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                    (cache.join().unwrap_or_default(), lock)
                });
                (model, cache, lock)
            });
        diagnostics.extend(found);
        let emitted = emit::emit(&api, &lock, layout, &cache)?;
        timings.extend(emitted.timings);
        let saved = timings.time("cache save", || {
            let snapshot = emitted.cache.as_ref()?;
            self.cache.as_ref().map(|path| (path, snapshot.save(path)))
        });
        if let Some((path, Err(e))) = saved {
            // Only the next run's speed depends on it.
            let file = path.display().to_string();
            let mut sink = diag::Sink::new(&file);
            sink.warn(1, "cache-not-saved", format!("cache not saved: {e}"));
            diagnostics.extend(sink.into_vec());
        }
        Ok(Generated {
            api,
            files: emitted.files,
            diagnostics,
            printed: emitted.printed,
            reused: emitted.reused,
            timings,
        })
    }

    /// A complete crate: `Cargo.toml`, the name lock, and the sources
    /// under `src/`, with a cargo feature per area of the API
    /// ([`emit::Features`]); all of them are on by default. Its types are a
    /// crate of their own in `types/` (a member of its workspace, with the
    /// same features), which `src/lib.rs` re-exports as `types`
    /// ([`emit::Layout::Crates`]).
    ///
    /// # Errors
    /// Only on a generator bug (see [`emit::Error`]).
    pub fn standalone(&self, settings: &CrateSettings) -> Result<Generated, emit::Error> {
        let (input, timings) = self.read();
        self.standalone_from(input, timings, settings)
    }

    fn standalone_from(
        &self,
        input: Input,
        timings: timings::Timings,
        settings: &CrateSettings,
    ) -> Result<Generated, emit::Error> {
        let mut generated = self.generate_from(input, timings, emit::Layout::Crates)?;
        // The lock sits beside `Cargo.toml`, as `Cargo.lock` does; the
        // types go to their own crate, in `types/`.
        for f in &mut generated.files {
            if f.path.starts_with("types/") {
                f.path = format!("{TYPES_CRATE}/src/{}", f.path);
            } else if f.path != emit::lock::FILE {
                f.path = format!("src/{}", f.path);
            }
        }
        let features = emit::features::names(&generated.api);
        let mut root = emit::types_crate_root()?;
        root.path = format!("{TYPES_CRATE}/src/{}", root.path);
        generated.files.push(root);
        generated.files.push(types_cargo_toml(settings, &features));
        generated.files.insert(0, cargo_toml(settings, &features));
        Ok(generated)
    }

    /// Generates the bindings into `out_dir` ([`Generator::sources`], or
    /// with `settings` a [`Generator::standalone`] crate) and writes the
    /// files that changed ([`write::sync`]). With a stamp
    /// ([`Generator::with_stamp`]) that shows the same docs, overrides,
    /// name lock, settings and generator as the run that recorded it, and
    /// an output directory as that run left it, it does nothing and
    /// reports what that run found.
    ///
    /// # Errors
    /// [`BuildError::Generate`] on a generator bug, [`BuildError::Io`] when
    /// the output directory cannot be written.
    pub fn write(
        &self,
        out_dir: &std::path::Path,
        settings: Option<&CrateSettings>,
    ) -> Result<Written, BuildError> {
        // Other runs over the directory wait from the check to the record.
        let turn = write::Turn::take(out_dir).map_err(BuildError::Io)?;
        let mut timings = timings::Timings::default();
        let (listing, overrides, names) = timings.time("list", || {
            let listing = read::Listing::of(&self.docs);
            (listing, read_file(&self.overrides), read_file(&self.names))
        });
        let mut previous = (self.stamp.as_deref())
            .and_then(|path| timings.time("stamp load", || write::Stamp::load(path)));
        // Pages still in the states the stamp recorded are not read to be
        // known: only if the output or another input changed. Without the
        // generator's build, no stamp is current, and they are read.
        let told = (previous.as_ref())
            .filter(|_| build_id::generator_build().is_some())
            .and_then(|stamp| timings.time("docs states", || stamp.docs_key(&listing)));
        let pages = match told {
            Some(key) => Pages::Unread { key, listing },
            None => {
                let (sources, cutoff) = read_pages(listing, &turn, &mut timings);
                Pages::Read { sources, cutoff }
            }
        };
        let key = |docs: u128, timings: &mut timings::Timings| {
            timings.time("inputs key", || {
                self.inputs(docs, overrides.as_ref(), settings)
            })
        };
        let mut docs_key = pages.key();
        let mut stamp = self.stamp.as_deref().zip(key(docs_key, &mut timings));
        if let Some((path, inputs)) = &stamp {
            let inputs = inputs.with_lock(read_bytes(names.as_ref()));
            let found = timings.time("stamp check", || {
                let stamp = previous.as_mut()?;
                let summary = (stamp.is_current(inputs, &turn))
                    .then(|| stamp.summary())
                    .flatten()?;
                // Saved again only to stop comparing contents, or to stop
                // reading pages that were touched but not changed.
                let mut settled = stamp.settle(&turn);
                if let Pages::Read { sources, cutoff } = &pages {
                    settled |= stamp.set_docs(docs_record(sources, docs_key, *cutoff));
                }
                if settled {
                    let _ = stamp.save(path);
                }
                Some(summary)
            });
            if let Some(summary) = found {
                return Ok(Written {
                    report: write::Report {
                        unchanged: summary.files,
                        ..write::Report::default()
                    },
                    summary,
                    printed: 0,
                    reused: 0,
                    up_to_date: true,
                    timings,
                });
            }
        }
        let (sources, cutoff) = match pages {
            Pages::Read { sources, cutoff } => (sources, cutoff),
            // Told unchanged, but the output or another input changed.
            Pages::Unread { listing, .. } => {
                let (sources, cutoff) = read_pages(listing, &turn, &mut timings);
                docs_key = sources.key();
                stamp = self.stamp.as_deref().zip(key(docs_key, &mut timings));
                (sources, cutoff)
            }
        };
        let docs = (stamp.as_ref()).and_then(|_| docs_record(&sources, docs_key, cutoff));
        let input = Input {
            sources,
            overrides,
            names,
        };
        let generated = match settings {
            None => self.generate_from(input, timings, emit::Layout::Module),
            Some(settings) => self.standalone_from(input, timings, settings),
        };
        let mut generated = generated.map_err(BuildError::Generate)?;
        let report = (generated.timings).time("write", || {
            write::sync_in_turn(&turn, &generated.files, previous.as_ref())
        });
        let report = report.map_err(BuildError::Io)?;
        let mut summary = write::Summary {
            files: generated.files.len(),
            types: generated.api.types.len(),
            endpoints: generated.api.endpoints.len(),
            diagnostics: std::mem::take(&mut generated.diagnostics),
        };
        if let Some((path, inputs)) = &stamp {
            // The lock this run wrote is the one the next run reads.
            let written = generated.files.iter().find(|f| f.path == emit::lock::FILE);
            let written = written.map_or(&[][..], |f| f.contents.as_bytes());
            let inputs = inputs.with_lock(self.names.as_ref().map(|_| Ok(written)));
            // What the next run would not find again is not replayed.
            let recorded = write::Summary {
                diagnostics: (summary.diagnostics.iter())
                    .filter(|d| !RUN_ONLY.contains(&d.code))
                    .cloned()
                    .collect(),
                ..summary.clone()
            };
            let saved = (generated.timings).time("stamp save", || {
                write::Stamp::record(inputs, &turn, &generated.files, &recorded, docs)
                    .and_then(|stamp| stamp.save(path))
            });
            if let Err(e) = saved {
                // Only the next run's speed depends on it.
                let file = path.display().to_string();
                let mut sink = diag::Sink::new(&file);
                sink.warn(1, "stamp-not-saved", format!("stamp not saved: {e}"));
                summary.diagnostics.extend(sink.into_vec());
            }
        }
        let written = Written {
            summary,
            report,
            printed: generated.printed,
            reused: generated.reused,
            up_to_date: false,
            timings: std::mem::take(&mut generated.timings),
        };
        // Freeing the model and the files is work nobody waits for.
        drop_elsewhere(generated);
        Ok(written)
    }

    /// The key of everything a run with `settings` reads but the name lock
    /// (see [`Partial::with_lock`]): this build of the generator, the docs'
    /// bytes and the overrides. `None` when the generator's build cannot be
    /// told (see [`emit::Cache`]).
    fn inputs(
        &self,
        docs: u128,
        overrides: Option<&ReadFile>,
        settings: Option<&CrateSettings>,
    ) -> Option<Partial> {
        let mut key = Partial(fields_key::FieldsKey::default());
        key.field(build_id::generator_build()?.as_bytes());
        key.field(&docs.to_le_bytes());
        key.file(read_bytes(overrides));
        match settings {
            None => key.field(b"sources"),
            Some(settings) => {
                key.field(b"standalone");
                key.field(settings.name.as_bytes());
                key.field(settings.runtime_path.as_os_str().as_encoded_bytes());
            }
        }
        Some(key)
    }
}

/// What a run reads, each byte once: the docs, the overrides file and the
/// name lock.
struct Input {
    sources: read::Sources,
    overrides: Option<ReadFile>,
    names: Option<ReadFile>,
}

/// A file's path and its bytes, or why they could not be read.
type ReadFile = (PathBuf, std::io::Result<Vec<u8>>);

/// The file at `path`, if there is a path.
fn read_file(path: &Option<PathBuf>) -> Option<ReadFile> {
    (path.as_deref()).map(|path| (path.to_owned(), std::fs::read(path)))
}

/// The docs a [`Generator::write`] depends on: read, with the time before
/// which a page counted as settled when they were ([`write::Docs::cutoff`];
/// `None` when the clock could not be read), or known by the key the stamp
/// recorded for pages in the same states ([`write::Stamp::docs_key`]).
enum Pages {
    Unread {
        key: u128,
        listing: read::Listing,
    },
    Read {
        sources: read::Sources,
        cutoff: Option<std::time::Duration>,
    },
}

impl Pages {
    fn key(&self) -> u128 {
        match self {
            Pages::Unread { key, .. } => *key,
            Pages::Read { sources, .. } => sources.key(),
        }
    }
}

/// Reads the listed pages, with the [`write::Docs::cutoff`] taken just
/// before.
fn read_pages(
    listing: read::Listing,
    turn: &write::Turn,
    timings: &mut timings::Timings,
) -> (read::Sources, Option<std::time::Duration>) {
    let cutoff = write::Docs::cutoff(turn).ok();
    (timings.time("read", || listing.read()), cutoff)
}

/// The record of the pages `sources` read, keyed `key`, for the stamp;
/// `None` when one could not be read or told no state, or without a
/// cutoff.
fn docs_record(
    sources: &read::Sources,
    key: u128,
    cutoff: Option<std::time::Duration>,
) -> Option<write::Docs> {
    let (listing, states) = sources.states()?;
    Some(write::Docs::new(listing, key, states, cutoff?))
}

/// Codes of findings about one run's surroundings (a damaged name lock, a
/// cache that could not be saved), which a later run over the same inputs
/// does not meet again.
const RUN_ONLY: &[&str] = &[
    "invalid-name-lock",
    "cache-not-saved",
    "pages-not-saved",
    "stamp-not-saved",
];

/// Where the parsed pages are kept ([`read::Parsed`]): the cache's path
/// with `.pages` added.
fn pages_beside(cache: &std::path::Path) -> PathBuf {
    let mut pages = cache.as_os_str().to_owned();
    pages.push(".pages");
    PathBuf::from(pages)
}

/// A read file's bytes, or why they could not be read.
fn read_bytes(file: Option<&ReadFile>) -> Option<Result<&[u8], &std::io::Error>> {
    file.map(|(_, read)| read.as_deref())
}

/// The previous run's name lock; none when there is no lock yet. A lock
/// that cannot be read is reported and ignored: names are then claimed
/// afresh, as on a first run.
fn previous_names(names: Option<ReadFile>, diagnostics: &mut Vec<Diagnostic>) -> emit::NameLock {
    let Some((path, read)) = names else {
        return emit::NameLock::default();
    };
    let read = match read {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return emit::NameLock::default();
        }
        Err(e) => Err(e.to_string()),
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => emit::NameLock::parse(&text),
            Err(e) => Err(e.to_string()),
        },
    };
    read.unwrap_or_else(|e| {
        let file = path.display().to_string();
        let mut sink = diag::Sink::new(&file);
        sink.warn(1, "invalid-name-lock", format!("name lock not used: {e}"));
        diagnostics.extend(sink.into_vec());
        emit::NameLock::default()
    })
}

/// Drops `value` on a thread of its own: freeing a model or a crate's files
/// one allocation at a time is work no later stage waits for. Where no
/// thread can be started, it is dropped here.
fn drop_elsewhere<T: Send + 'static>(value: T) {
    // When the thread cannot be started, the closure, and `value` with it,
    // is dropped on this one.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// A run's inputs key, being built.
#[derive(Clone)]
struct Partial(fields_key::FieldsKey);

impl Partial {
    fn field(&mut self, bytes: &[u8]) {
        self.0.field(bytes);
    }

    /// A file's bytes, or why they could not be read; `None` when the run
    /// reads no such file.
    fn file(&mut self, read: Option<Result<&[u8], &std::io::Error>>) {
        match read {
            None => self.field(b"none"),
            Some(Ok(bytes)) => self.field(bytes),
            Some(Err(e)) => self.field(e.to_string().as_bytes()),
        }
    }

    /// The whole key, with the name lock the run reads (`None` without
    /// one). A run records the lock it wrote, which is the one the next
    /// run reads: a run given the lock its own names made gives every item
    /// the same name again, and writes the same lock.
    fn with_lock(&self, lock: Option<Result<&[u8], &std::io::Error>>) -> write::Inputs {
        let mut key = self.clone();
        key.file(lock);
        write::Inputs(key.0.finish())
    }
}

/// What [`Generator::write`] did.
#[derive(Debug)]
pub struct Written {
    /// What the run found (files, types, endpoints, diagnostics), or, when
    /// it was up to date, what the run that wrote the output found.
    pub summary: write::Summary,
    pub report: write::Report,
    /// Rust files parsed and printed, and taken from the cache instead.
    pub printed: usize,
    pub reused: usize,
    /// Nothing was generated: the stamp showed inputs and output unchanged.
    pub up_to_date: bool,
    /// Wall time of each stage (`codegen generate --timings`).
    pub timings: timings::Timings,
}

/// The folder of a standalone crate's types, a crate of their own
/// ([`emit::Layout::Crates`]).
const TYPES_CRATE: &str = "types";

/// The standalone crate's manifest: its own features, an area feature per
/// area that turns on the types' crate's, and that crate (in
/// [`TYPES_CRATE`], under the dependency name `docgen-types` whatever the
/// package is called, so that the sources need not know the name).
fn cargo_toml(settings: &CrateSettings, features: &[String]) -> SourceFile {
    let name = toml_string(&settings.name);
    let types = toml_string(&types_package(settings));
    let runtime = toml_string(&settings.runtime_path.to_string_lossy());
    let quoted: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
    let areas: String = (features.iter().zip(&quoted))
        .map(|(f, q)| format!("{q} = [{}]\n", toml_string(&format!("docgen-types/{f}"))))
        .collect();
    let full = quoted.join(", ");
    SourceFile {
        path: "Cargo.toml".to_owned(),
        contents: format!(
            "# {marker}\n\
             [package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [features]\ndefault = [\"client\", \"rustls\", \"full\"]\n\
             # Sending requests over HTTP (reqwest, tokio).\nclient = [\"docgen-runtime/client\"]\n\
             # https endpoints, through rustls.\nrustls = [\"docgen-runtime/rustls\"]\n\
             # Tokens from any `azure_identity` credential (`runtime::client::AzureCredential`).\n\
             azure-identity = [\"docgen-runtime/azure-identity\"]\n\
             # A mock of the API for tests (`mock::Server`), answering from the docs' examples.\n\
             mock = [\"client\", \"docgen-runtime/mock\"]\n\
             # Every area of the API. Each area below compiles its operations and\n\
             # the types they need; without default features, pick the ones you use.\n\
             full = [{full}]\n{areas}\n\
             [dependencies]\ndocgen-runtime.workspace = true\n\
             # The types, a crate of their own in `{TYPES_CRATE}/`, re-exported as `types`.\n\
             docgen-types = {{ package = {types}, path = \"{TYPES_CRATE}\", default-features = false }}\n\
             serde.workspace = true\nserde_json.workspace = true\n\n\
             [dev-dependencies]\ndocgen-runtime = {{ workspace = true, features = [\"loopback\"] }}\n\n\
             # A crate of its own, wherever it is generated; the types' crate is\n\
             # a member of it. The dependencies both crates share are named once,\n\
             # here, where a relative path means the same for both.\n\
             [workspace]\n\n\
             [workspace.dependencies]\ndocgen-runtime = {{ path = {runtime} }}\n\
             serde = \"1\"\nserde_json = \"1\"\n",
            marker = emit::MARKER
        ),
    }
}

/// The package name of the standalone crate's types.
fn types_package(settings: &CrateSettings) -> String {
    format!("{}-types", settings.name)
}

/// The manifest of the standalone crate's types ([`TYPES_CRATE`]): the
/// same area features, each turning on that area's types, and the
/// dependencies the workspace names (the runtime's path is read from the
/// workspace's folder, not from this one).
fn types_cargo_toml(settings: &CrateSettings, features: &[String]) -> SourceFile {
    let name = toml_string(&types_package(settings));
    let quoted: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
    let areas: String = quoted.iter().map(|f| format!("{f} = []\n")).collect();
    let full = quoted.join(", ");
    SourceFile {
        path: format!("{TYPES_CRATE}/Cargo.toml"),
        contents: format!(
            "# {marker}\n\
             [package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [features]\ndefault = [\"full\"]\n\
             # Every area of the API; each area below compiles the types its\n\
             # operations need. The bindings crate turns on the areas it compiles.\n\
             full = [{full}]\n{areas}\n\
             [dependencies]\ndocgen-runtime.workspace = true\n\
             serde.workspace = true\nserde_json.workspace = true\n",
            marker = emit::MARKER
        ),
    }
}

/// A TOML basic string: the value can hold nothing that ends it.
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}
