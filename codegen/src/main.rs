//! `codegen`: generate, inspect and check bindings from Markdown API docs.

use clap::{Parser, Subcommand};
use codegen::diag::{Diagnostic, Severity};
use codegen::{CrateSettings, Generator, write};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc rather than glibc's allocator: see `Cargo.toml`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    version,
    about = "Generate a typed Rust client from Graph-style Markdown API docs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a complete, standalone crate (with its own Cargo.toml) for a docs tree.
    Generate {
        /// Root of the docs tree (the folder holding `api/` and `resources/`).
        #[arg(long)]
        docs: PathBuf,
        /// Directory to write the crate into; created if missing.
        #[arg(long)]
        out: PathBuf,
        /// Package name of the generated crate.
        #[arg(long, default_value = "graph-client")]
        name: String,
        /// Overrides file [default: DOCS/overrides.toml, if present].
        #[arg(long)]
        overrides: Option<PathBuf>,
        /// Path to the docgen-runtime crate, as the generated Cargo.toml should name it.
        #[arg(long, default_value = default_runtime())]
        runtime: PathBuf,
        /// Where the formatted files are kept for the next run, which then
        /// parses and prints only what changed [default: OUT/target/docgen-cache.bin];
        /// the parsed pages go beside it (`docgen-cache.bin.pages`).
        /// The record of the run goes beside it (`docgen-cache.bin.stamp`): a next run
        /// over the same bytes into an untouched OUT does nothing.
        #[arg(long)]
        cache: Option<PathBuf>,
        /// Print the wall time of each stage (read, model, emit…, write) to stderr.
        #[arg(long)]
        timings: bool,
    },
    /// Check that the docs' example bodies round-trip through the generated types.
    ///
    /// Generates the crate, runs its examples, and prints `N passed, M
    /// failed` with a table of failure causes (doc or generator defects).
    Conformance {
        #[arg(long)]
        docs: PathBuf,
        /// Name for the report and the generated crate.
        #[arg(long, default_value = "graph")]
        name: String,
        /// Directory for the generated crate [default: target/conformance/NAME].
        #[arg(long)]
        work: Option<PathBuf>,
        /// Cargo target directory, shared between runs.
        #[arg(long, default_value = "target/conformance/target")]
        target: PathBuf,
        /// Overrides file [default: DOCS/overrides.toml, if present].
        #[arg(long)]
        overrides: Option<PathBuf>,
        /// Exit non-zero if fewer than this share of checked examples pass.
        #[arg(long, default_value_t = 0.0)]
        min_pass_rate: f64,
        /// Exit non-zero if fewer endpoints than this pass over HTTP.
        #[arg(long, default_value_t = 0)]
        min_http_endpoints: usize,
        /// Exit non-zero if fewer endpoints than this are answered by the
        /// mock Graph from the docs, and read as documented.
        #[arg(long, default_value_t = 0)]
        min_mock_endpoints: usize,
        /// Build the crate with `-D warnings`: any compiler warning in the
        /// generated code fails the run.
        #[arg(long)]
        deny_warnings: bool,
        #[arg(long, default_value = default_runtime())]
        runtime: PathBuf,
    },
    /// Print the API model of a docs tree as JSON (diagnostics go to stderr).
    Model {
        #[arg(long, default_value = "docs-input")]
        docs: PathBuf,
        /// Overrides file [default: DOCS/overrides.toml, if present].
        #[arg(long)]
        overrides: Option<PathBuf>,
    },
    /// Compare the API models of two docs trees: what was added, removed
    /// and changed, and what breaks users of the generated crate.
    Diff {
        /// The docs tree before the change.
        #[arg(long)]
        old: PathBuf,
        /// The docs tree after the change.
        #[arg(long)]
        new: PathBuf,
        /// Markdown (for a pull request description) or JSON (for tools).
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
        /// Exit 1 when the changes include these.
        #[arg(long, value_enum, default_value_t = codegen::diff::FailOn::Never)]
        fail_on: codegen::diff::FailOn,
        /// Overrides applied to the old tree [default: OLD/overrides.toml, if present].
        #[arg(long)]
        old_overrides: Option<PathBuf>,
        /// Overrides applied to the new tree [default: NEW/overrides.toml, if present].
        #[arg(long)]
        new_overrides: Option<PathBuf>,
        /// How the Markdown heading names the old tree [default: OLD].
        #[arg(long)]
        old_label: Option<String>,
        /// How the Markdown heading names the new tree [default: NEW].
        #[arg(long)]
        new_label: Option<String>,
    },
    /// Show each diagnostic of a docs tree under its Markdown line, then counts per code.
    ///
    /// Exits 0 when nothing is denied, 1 when a diagnostic at or above
    /// `--deny` was found, 2 when the docs or overrides cannot be read.
    Lint {
        #[arg(long, default_value = "docs-input")]
        docs: PathBuf,
        /// Overrides file [default: DOCS/overrides.toml, if present].
        #[arg(long)]
        overrides: Option<PathBuf>,
        /// Text with source lines (for people) or one JSON object (for tools).
        #[arg(long, value_enum, default_value_t = LintFormat::Human)]
        format: LintFormat,
        /// Exit 1 when there are diagnostics of this severity or above.
        #[arg(long, value_enum, default_value_t = Deny::None)]
        deny: Deny,
    },
    /// Exit non-zero if the checked-in bindings are not what the docs generate.
    Check {
        #[arg(long, default_value = "docs-input")]
        docs: PathBuf,
        /// The bindings' source directory.
        #[arg(long, default_value = "generated")]
        generated: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LintFormat {
    Human,
    Json,
}

/// The least severity that makes `lint` fail. The generator never fails on
/// doc content, so by default nothing does.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Deny {
    None,
    Notes,
    Warnings,
}

impl Deny {
    fn threshold(self) -> Option<Severity> {
        match self {
            Deny::None => None,
            Deny::Notes => Some(Severity::Note),
            Deny::Warnings => Some(Severity::Warning),
        }
    }
}

fn default_runtime() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime")
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match command {
        Command::Generate {
            docs,
            out,
            name,
            overrides,
            runtime,
            cache,
            timings,
        } => {
            let runtime_path = std::path::absolute(&runtime)?;
            if !is_package_name(&name) {
                return Err(format!(
                    "`{name}` is not a valid package name: use letters, digits, `-` and `_`, starting with a letter"
                )
                .into());
            }
            let cache = cache.unwrap_or_else(|| out.join("target/docgen-cache.bin"));
            let mut written = generator(docs, overrides)
                .with_name_lock(out.join(codegen::emit::lock::FILE))
                .with_stamp(stamp_beside(&cache))
                .with_cache(cache)
                .write(&out, Some(&CrateSettings { name, runtime_path }))?;
            let summary = &written.summary;
            (written.timings).time("report", || report(&summary.diagnostics));
            if timings {
                eprintln!("{}", written.timings);
            }
            let r = &written.report;
            if written.up_to_date {
                eprintln!(
                    "{} files: up to date, as the last run left them from the same docs ({} types, {} endpoints)",
                    summary.files, summary.types, summary.endpoints,
                );
            } else {
                eprintln!(
                    "{} files: {} written, {} unchanged, {} removed ({} types, {} endpoints; {} Rust files printed, {} from the cache)",
                    summary.files,
                    r.written.len(),
                    r.unchanged,
                    r.removed.len(),
                    summary.types,
                    summary.endpoints,
                    written.printed,
                    written.reused,
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Conformance {
            docs,
            name,
            work,
            target,
            overrides,
            min_pass_rate,
            min_http_endpoints,
            min_mock_endpoints,
            deny_warnings,
            runtime,
        } => {
            let work = work.unwrap_or_else(|| codegen::conformance::default_work_dir(&name));
            let settings = CrateSettings {
                name: format!(
                    "conformance-{}",
                    codegen::emit::ident(&name, codegen::emit::Case::Snake)
                ),
                runtime_path: std::path::absolute(&runtime)?,
            };
            let target = std::path::absolute(&target)?;
            let summary = codegen::conformance::run(
                &generator(docs, overrides),
                &work,
                &target,
                &settings,
                deny_warnings,
            )?;
            print_conformance(&name, &summary);
            let too_few = summary.http.endpoints_passed() < min_http_endpoints
                || summary.mock.endpoints_passed() < min_mock_endpoints;
            Ok(if summary.pass_rate() < min_pass_rate || too_few {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Model { docs, overrides } => {
            let pages = codegen::read::markdown_files(&docs, &mut Vec::new())
                .iter()
                .filter(|f| {
                    let name = f.strip_prefix(&docs).unwrap_or(f).to_string_lossy();
                    !codegen::read::is_fragment(&name.replace('\\', "/"))
                })
                .count();
            let (api, diagnostics) = generator(docs, overrides).model();
            report(&diagnostics);
            eprintln!("{}", summary(pages, &api));
            println!("{}", serde_json::to_string_pretty(&api)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            old,
            new,
            format,
            fail_on,
            old_overrides,
            new_overrides,
            old_label,
            new_label,
        } => {
            let old_label = old_label.unwrap_or_else(|| old.display().to_string());
            let new_label = new_label.unwrap_or_else(|| new.display().to_string());
            let (old_api, _) = generator(old, old_overrides).model();
            let (new_api, _) = generator(new, new_overrides).model();
            let log = codegen::diff::compare(&old_api, &new_api);
            match format {
                DiffFormat::Markdown => print!("{}", log.to_markdown(&old_label, &new_label)),
                DiffFormat::Json => println!("{}", serde_json::to_string_pretty(&log)?),
            }
            eprintln!("{} changes, {} breaking", log.changes.len(), log.breaking());
            Ok(if log.fails(fail_on) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Lint {
            docs,
            overrides,
            format,
            deny,
        } => lint(docs, overrides, format, deny),
        Command::Check { docs, generated } => {
            let files = Generator::new(docs)
                .with_name_lock(generated.join(codegen::emit::lock::FILE))
                .sources()?
                .files;
            let stale = write::stale(&generated, &files)?;
            if stale.is_empty() {
                eprintln!(
                    "{} is up to date ({} files)",
                    generated.display(),
                    files.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            for path in &stale {
                eprintln!("stale: {}", generated.join(path).display());
            }
            eprintln!(
                "{} is stale: run `cargo build` and commit the result",
                generated.display()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Every diagnostic, then a count per code.
/// Where the record of a run goes: the cache's path with `.stamp` added,
/// so that the two never share a path.
fn stamp_beside(cache: &std::path::Path) -> PathBuf {
    let mut stamp = cache.as_os_str().to_owned();
    stamp.push(".stamp");
    PathBuf::from(stamp)
}

fn report(diagnostics: &[Diagnostic]) {
    use std::fmt::Write as _;
    // One write: a Graph snapshot has thousands of findings, and stderr is
    // unbuffered.
    let mut text = String::new();
    let mut counts: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for d in diagnostics {
        let _ = writeln!(text, "{d}");
        *counts.entry((d.code, d.severity)).or_default() += 1;
    }
    for ((code, severity), n) in counts {
        let _ = writeln!(text, "{n:>6} {severity:?} {code}");
    }
    eprint!("{text}");
}

fn print_conformance(name: &str, summary: &codegen::conformance::Summary) {
    let checked = summary.outcomes.len();
    println!(
        "{name}: {} of {checked} checked examples pass ({:.1}%); not checked: {} bodies with invalid JSON (doc defect), {} without a documented type",
        summary.passed(),
        summary.pass_rate() * 100.0,
        summary.invalid_json,
        summary.untyped
    );
    let causes = summary.causes();
    if !causes.is_empty() {
        println!(
            "{:>6}  {:<16}  {:<70}  first example",
            "count", "class", "cause"
        );
        for (class, cause, n, first) in causes {
            println!(
                "{n:>6}  {:<16}  {cause:<70}  {}:{}",
                class.to_string(),
                first.file,
                first.line
            );
        }
    }
    println!(
        "{name}: {} passed, {} failed",
        summary.passed(),
        summary.failed()
    );
    let http = &summary.http;
    let skipped: Vec<String> = http
        .skip_counts()
        .into_iter()
        .map(|(skip, n)| format!("{n} {}", skip.describe()))
        .collect();
    println!(
        "{name} over HTTP: {} of {} example pairs pass, covering {} endpoints; not replayed: {}",
        http.passed(),
        http.outcomes.len(),
        http.endpoints_passed(),
        skipped.join(", ")
    );
    for (cause, n, first) in http.causes() {
        println!("{n:>6}  {cause:<88}  {}:{}", first.file, first.line);
    }
    let mock = &summary.mock;
    println!(
        "{name} on the mock: {} of {} example pairs answered from the docs and read as documented, covering {} endpoints",
        mock.passed(),
        mock.outcomes.len(),
        mock.endpoints_passed(),
    );
    for (cause, n, first) in mock.causes() {
        println!("{n:>6}  {cause:<88}  {}:{}", first.file, first.line);
    }
    let routes = &summary.mock_routes;
    println!("{name} mock routes: {routes}");
    for failure in routes.failed.iter().take(10) {
        println!("        {failure}");
    }
}

/// What cargo accepts as a package name (kept to ASCII).
fn is_package_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `codegen lint`. Missing inputs are usage errors here rather than
/// diagnostics (as `model` makes them), so that a typo cannot pass as a
/// clean run. Paths are made absolute because a diagnostic about the
/// overrides file names it by that path, not relative to the docs.
fn lint(
    docs: PathBuf,
    overrides: Option<PathBuf>,
    format: LintFormat,
    deny: Deny,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    if !docs.is_dir() {
        return Err(format!("{}: not a directory", docs.display()).into());
    }
    if let Some(path) = overrides.as_ref().filter(|p| !p.is_file()) {
        return Err(format!("{}: not a file", path.display()).into());
    }
    let docs = std::path::absolute(&docs)?;
    let overrides = overrides.map(std::path::absolute).transpose()?;
    let (_, diagnostics) = generator(docs.clone(), overrides).model();
    let report = match format {
        LintFormat::Human => codegen::lint::render_human(&docs, &diagnostics),
        LintFormat::Json => codegen::lint::render_json(&diagnostics)?,
    };
    std::io::Write::write_all(&mut std::io::stdout().lock(), report.as_bytes())?;
    let denied = deny.threshold().map_or(0, |least| {
        diagnostics.iter().filter(|d| d.severity >= least).count()
    });
    if denied == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "lint: {denied} of {} diagnostics are at or above the --deny level",
        diagnostics.len()
    );
    Ok(ExitCode::FAILURE)
}

fn generator(docs: PathBuf, overrides: Option<PathBuf>) -> Generator {
    let generator = Generator::new(docs);
    match overrides {
        Some(path) => generator.with_overrides(path),
        None => generator,
    }
}

/// One line of counts, e.g. for comparing snapshots.
fn summary(pages: usize, api: &codegen::model::Api) -> String {
    use codegen::model::TypeKind;
    let kind = |k: TypeKind| api.types.iter().filter(|t| t.kind == k).count();
    let properties: usize = api.types.iter().map(|t| t.properties.len()).sum();
    format!(
        "{pages} pages: {} types ({} entity, {} complex, {} enum), {properties} properties, {} endpoints on {} paths",
        api.types.len(),
        kind(TypeKind::Entity),
        kind(TypeKind::Complex),
        kind(TypeKind::Enum),
        api.endpoints.len(),
        api.endpoints
            .iter()
            .map(|e| e.path.key())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    )
}
