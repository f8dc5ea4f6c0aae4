//! `codegen`: generate, inspect and check bindings from Markdown API docs.

use clap::{Parser, Subcommand};
use codegen::diag::{Diagnostic, Severity};
use codegen::{CrateSettings, Generator, write};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

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
        /// Exit non-zero if fewer operations than this pass over HTTP.
        #[arg(long, default_value_t = 0)]
        min_http_operations: usize,
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
    /// Exit non-zero if the checked-in bindings are not what the docs generate.
    Check {
        #[arg(long, default_value = "docs-input")]
        docs: PathBuf,
        /// The bindings' source directory.
        #[arg(long, default_value = "generated")]
        generated: PathBuf,
    },
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
        } => {
            let runtime_path = std::path::absolute(&runtime)?;
            if !is_package_name(&name) {
                return Err(format!(
                    "`{name}` is not a valid package name: use letters, digits, `-` and `_`, starting with a letter"
                )
                .into());
            }
            let generated =
                generator(docs, overrides).standalone(&CrateSettings { name, runtime_path })?;
            report(&generated.diagnostics);
            let r = write::sync(&out, &generated.files)?;
            eprintln!(
                "{} files: {} written, {} unchanged, {} removed ({} types, {} operations)",
                generated.files.len(),
                r.written.len(),
                r.unchanged,
                r.removed.len(),
                generated.api.types.len(),
                generated.api.operations.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Conformance {
            docs,
            name,
            work,
            target,
            overrides,
            min_pass_rate,
            min_http_operations,
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
            let summary =
                codegen::conformance::run(&generator(docs, overrides), &work, &target, &settings)?;
            print_conformance(&name, &summary);
            let too_few = summary.http.operations_passed() < min_http_operations;
            Ok(if summary.pass_rate() < min_pass_rate || too_few {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Model { docs, overrides } => {
            let pages = codegen::read::markdown_files(&docs, &mut Vec::new()).len();
            let (api, diagnostics) = generator(docs, overrides).model();
            report(&diagnostics);
            eprintln!("{}", summary(pages, &api));
            println!("{}", serde_json::to_string_pretty(&api)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { docs, generated } => {
            let files = Generator::new(docs).sources()?.files;
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
fn report(diagnostics: &[Diagnostic]) {
    let mut counts: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for d in diagnostics {
        eprintln!("{d}");
        *counts.entry((d.code, d.severity)).or_default() += 1;
    }
    for ((code, severity), n) in counts {
        eprintln!("{n:>6} {severity:?} {code}");
    }
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
        "{name} over HTTP: {} of {} example pairs pass, covering {} operations; not replayed: {}",
        http.passed(),
        http.outcomes.len(),
        http.operations_passed(),
        skipped.join(", ")
    );
    for (cause, n, first) in http.causes() {
        println!("{n:>6}  {cause:<88}  {}:{}", first.file, first.line);
    }
}

/// What cargo accepts as a package name (kept to ASCII).
fn is_package_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
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
        "{pages} pages: {} types ({} entity, {} complex, {} enum), {properties} properties, {} operations, {} paths",
        api.types.len(),
        kind(TypeKind::Entity),
        kind(TypeKind::Complex),
        kind(TypeKind::Enum),
        api.operations.len(),
        api.operations.iter().map(|o| o.paths.len()).sum::<usize>()
    )
}
