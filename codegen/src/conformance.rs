//! The docs' examples as a conformance suite for a whole docs tree.
//!
//! Generates the crate, runs its example tables (`cargo test`): the round
//! trips of example bodies, and the request/response pairs replayed over
//! loopback HTTP. Reads the runtime's reports, and sorts every round-trip
//! failure into a cause, classified as a
//! defect of the docs (a placeholder such as `"Boolean"` where a value
//! belongs) or of the generator (everything else: a type read wrongly, data
//! lost on the round trip). Examples that cannot be checked are counted,
//! not dropped: bodies that are not valid JSON, and bodies whose operation
//! documents no type (or only "any JSON", which a check cannot fail).

use crate::diag::Diagnostic;
use crate::emit::exchanges::{ExchangeCase, Skip, replayed};
use crate::{CrateSettings, Generator, model::Primitive, write};
pub use docgen_runtime::conformance::{Outcome, RouteTally};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Who has to fix a failing example.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    DocDefect,
    GeneratorDefect,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::DocDefect => "doc defect",
            Class::GeneratorDefect => "generator defect",
        })
    }
}

#[derive(Debug)]
pub struct Summary {
    pub outcomes: Vec<Outcome>,
    /// Example bodies that are not valid JSON (a doc defect each).
    pub invalid_json: usize,
    /// Valid example bodies of operations whose type the docs do not give.
    pub untyped: usize,
    pub http: Http,
    /// The same pairs replayed against the crate's mock Graph.
    pub mock: Http,
    /// How the mock answered every route, called once each.
    pub mock_routes: RouteTally,
}

/// The example pairs replayed over loopback HTTP.
#[derive(Debug)]
pub struct Http {
    pub cases: Vec<ExchangeCase>,
    pub outcomes: Vec<Outcome>,
    /// Why the other examples were not replayed.
    pub skipped: Vec<Skip>,
}

impl Http {
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.error.is_none()).count()
    }

    /// Endpoints with at least one example pair that passed.
    pub fn endpoints_passed(&self) -> usize {
        let function: BTreeMap<&str, &str> = self
            .cases
            .iter()
            .map(|c| (c.exchange.name.as_str(), c.function.as_str()))
            .collect();
        self.outcomes
            .iter()
            .filter(|o| o.error.is_none())
            .filter_map(|o| function.get(o.name.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    }

    /// Failures grouped by cause (the message without values), with counts
    /// and a first example, most frequent first.
    pub fn causes(&self) -> Vec<(String, usize, &Outcome)> {
        group(self.outcomes.iter().filter_map(|o| {
            let error = o.error.as_deref()?;
            Some((http_cause(error), o))
        }))
    }

    /// Why examples were not replayed, with counts, most frequent first.
    pub fn skip_counts(&self) -> Vec<(Skip, usize)> {
        let mut counts: BTreeMap<Skip, usize> = BTreeMap::new();
        for s in &self.skipped {
            *counts.entry(*s).or_default() += 1;
        }
        let mut out: Vec<_> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

/// A replay failure without its specifics (values, paths, positions), so
/// that like failures group together: `sent query [(…` or `response: 200
/// response body is not the documented type: invalid type: map, expected a
/// string`.
fn http_cause(error: &str) -> String {
    let general = strip_position(&without_quoted_values(error));
    let general = general.split(" at $").next().unwrap_or(&general);
    match general.find(['[', '{']) {
        Some(i) => format!("{}…", &general[..i]),
        None => general.to_owned(),
    }
}

fn group<'a, K: Ord>(
    items: impl Iterator<Item = (K, &'a Outcome)>,
) -> Vec<(K, usize, &'a Outcome)> {
    let mut groups: BTreeMap<K, (usize, &Outcome)> = BTreeMap::new();
    for (key, o) in items {
        groups.entry(key).or_insert((0, o)).0 += 1;
    }
    let mut out: Vec<_> = groups.into_iter().map(|(k, (n, o))| (k, n, o)).collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.1));
    out
}

impl Summary {
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.error.is_none()).count()
    }

    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }

    /// Passed over checked, in `[0, 1]`; 1 when nothing was checked.
    pub fn pass_rate(&self) -> f64 {
        if self.outcomes.is_empty() {
            return 1.0;
        }
        #[allow(clippy::cast_precision_loss)] // counts far below 2^52
        let rate = self.passed() as f64 / self.outcomes.len() as f64;
        rate
    }

    /// Failures grouped by (class, cause), each with its count and first example.
    pub fn causes(&self) -> Vec<(Class, String, usize, &Outcome)> {
        group(
            self.outcomes
                .iter()
                .filter_map(|o| Some((classify(o.error.as_deref()?), o))),
        )
        .into_iter()
        .map(|((class, cause), n, first)| (class, cause, n, first))
        .collect()
    }
}

/// Generates the crate for `docs` into `work`, runs its examples and reads
/// the report. `target` is the cargo target directory (shared between runs
/// so that dependencies build once). With `deny_warnings` the crate is
/// built with `-D warnings`: a warning fails the run, so the same build
/// that runs the examples also proves the crate compiles cleanly.
///
/// # Errors
/// Generation, I/O, or cargo failing to build the crate.
pub fn run(
    generator: &Generator,
    work: &Path,
    target: &Path,
    settings: &CrateSettings,
    deny_warnings: bool,
) -> Result<Summary, Box<dyn std::error::Error>> {
    let generated = generator.standalone(settings)?;
    write::sync(work, &generated.files)?;
    // Absolute: cargo runs the test from inside `work`.
    let report = std::path::absolute(work)?.join("conformance-report.json");
    // The runtime writes the replay's report beside it, with `.http` added.
    let http_report = report.with_extension("json.http");
    let mock_report = report.with_extension("json.mock");
    let routes_report = report.with_extension("json.mock-routes");
    for stale in [&report, &http_report, &mock_report, &routes_report] {
        let _ = std::fs::remove_file(stale);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // The crate is built once and run once: debug info and the incremental
    // cache would only cost disk (several GiB for the beta crate).
    let mut command = Command::new(cargo);
    if deny_warnings {
        command.env("RUSTFLAGS", "-D warnings");
    }
    let output = command
        .args([
            "test",
            "--lib",
            "--quiet",
            "--features",
            "mock",
            "--",
            "docs_examples",
        ])
        .current_dir(work)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .env(docgen_runtime::conformance::REPORT_VARIABLE, &report)
        .output()?;
    // A crate that did not build (a denied warning, say) writes no report:
    // cargo's own output says why.
    let read = |path: &Path, what: &str| {
        std::fs::read_to_string(path).map_err(|e| {
            format!(
                "no {what} report ({e}); cargo test said:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
    };
    let outcomes: Vec<Outcome> = serde_json::from_str(&read(&report, "conformance")?)?;
    let http_text = read(&http_report, "HTTP")?;
    let mock_text = read(&mock_report, "mock")?;
    let mock_routes = read(&routes_report, "mock route")?;
    let (cases, skipped) = replayed(&generated.api);
    Ok(Summary {
        untyped: untyped_bodies(&generated.api, outcomes.len()),
        invalid_json: count(&generated.diagnostics, "invalid-example-json"),
        outcomes,
        mock_routes: serde_json::from_str(&mock_routes)?,
        mock: Http {
            cases: cases.clone(),
            outcomes: serde_json::from_str(&mock_text)?,
            skipped: skipped.clone(),
        },
        http: Http {
            cases,
            outcomes: serde_json::from_str(&http_text)?,
            skipped,
        },
    })
}

fn count(diagnostics: &[Diagnostic], code: &str) -> usize {
    diagnostics.iter().filter(|d| d.code == code).count()
}

/// Valid example bodies that were not checked because no type is known.
fn untyped_bodies(api: &crate::model::Api, checked: usize) -> usize {
    let bodies: usize = api
        .endpoints
        .iter()
        .flat_map(|o| &o.examples)
        .map(|e| {
            usize::from(e.request.as_ref().is_some_and(|r| r.body.is_some()))
                + usize::from(e.response.as_ref().is_some_and(|r| r.body.is_some()))
        })
        .sum();
    bodies.saturating_sub(checked)
}

/// Sorts one failure message into a class and a cause without specifics
/// (values, lines), so that like failures group together.
pub fn classify(error: &str) -> (Class, String) {
    if let Some(value) = quoted_string_value(error)
        && is_placeholder(value)
    {
        let expected = error.split("expected ").nth(1).unwrap_or("a value");
        return (
            Class::DocDefect,
            format!(
                "placeholder text where the docs' type needs {}",
                strip_position(expected)
            ),
        );
    }
    if error.starts_with("not JSON") {
        return (Class::DocDefect, "example is not JSON".to_owned());
    }
    if let Some((kind, expected)) = contradiction(error) {
        return (
            Class::DocDefect,
            format!("example gives {kind} where the property's documented type needs {expected}"),
        );
    }
    let cause = if error.starts_with("changed on a round trip") {
        "data changed on the round trip".to_owned()
    } else {
        strip_position(&without_quoted_values(&without_path(error)))
    };
    (Class::GeneratorDefect, cause)
}

/// A value of the wrong JSON kind for a property the docs' table types:
/// `does not deserialise at $.columns[0].boolean: invalid type: boolean
/// `true`, expected a string` → (`boolean`, `a string`). The example and the
/// property table contradict each other, and the generated field follows
/// the table. Only a path that ends in a named property counts: a mismatch
/// at the root, at an array item, at an annotation (`@odata.type`) or at a
/// step serde could not name (`?`, inside a polymorphic enum) may be the
/// generator's own reading.
fn contradiction(error: &str) -> Option<(&str, String)> {
    let rest = error.strip_prefix("does not deserialise at ")?;
    let (path, inner) = rest.split_once(": ")?;
    let last = path.rsplit('.').next()?;
    let named = path.contains('.') && !path.contains(['?', '@']) && !last.ends_with(']');
    let mismatch = inner.strip_prefix("invalid type: ")?;
    let (found, expected) = mismatch.split_once(", expected ")?;
    let kind = found.split([' ', '`']).next()?;
    named.then(|| (kind, strip_position(expected)))
}

/// `invalid type: string "Boolean", expected a boolean` → `Boolean`.
fn quoted_string_value(error: &str) -> Option<&str> {
    let rest = error.split("invalid type: string \"").nth(1)?;
    rest.split('"').next()
}

/// Text the docs put where a value belongs: a type name (`"Boolean"`,
/// `"Int32"`), or a `name-value` / `<value>` stand-in.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    Primitive::from_doc_name(v).is_some()
        || Primitive::from_doc_name(v.split(['(', ' ']).next().unwrap_or(v)).is_some()
        || v.ends_with("-value")
        || (v.starts_with('<') && v.ends_with('>'))
        || v.eq_ignore_ascii_case("true")
        || v.eq_ignore_ascii_case("false")
}

/// `does not deserialise at $.a[0]: …` → `does not deserialise: …`: the
/// path says where, and like failures group without it.
fn without_path(error: &str) -> String {
    match error
        .strip_prefix("does not deserialise at ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_, inner)) => format!("does not deserialise: {inner}"),
        None => error.to_owned(),
    }
}

fn without_quoted_values(error: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in error.chars() {
        match c {
            '"' | '`' => {
                inside = !inside;
                if inside {
                    out.push('…');
                }
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

fn strip_position(s: &str) -> String {
    s.split(" at line ").next().unwrap_or(s).trim().to_owned()
}

/// Where `conformance` works by default: `target/conformance/<name>`.
pub fn default_work_dir(name: &str) -> PathBuf {
    PathBuf::from("target/conformance").join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_doc_defects() {
        let (class, cause) = classify(
            "does not deserialise at $.a: invalid type: string \"Boolean\", expected a boolean at line 3 column 20",
        );
        assert_eq!(class, Class::DocDefect);
        assert_eq!(
            cause,
            "placeholder text where the docs' type needs a boolean"
        );
        assert_eq!(
            classify("does not deserialise at $: invalid type: string \"capabilityStatus-value\", expected i32").0,
            Class::DocDefect
        );
    }

    #[test]
    fn values_contradicting_a_named_property_are_doc_defects() {
        let (class, cause) = classify(
            "does not deserialise at $.columns[0].boolean: invalid type: boolean `true`, expected a string at line 9 column 20",
        );
        assert_eq!(class, Class::DocDefect);
        assert_eq!(
            cause,
            "example gives boolean where the property's documented type needs a string"
        );
        // At the root, at an array item, or past a step serde could not
        // name, the generator's own reading may be at fault.
        for error in [
            "does not deserialise at $: invalid type: string \"x\", expected struct OpenTypeExtension",
            "does not deserialise at $.value[0]: invalid type: map, expected a string",
            "does not deserialise at $.value[0].?.a: invalid type: map, expected a string",
            "does not deserialise at $.@odata.type: invalid type: string \"x\", expected struct Ext",
        ] {
            assert_eq!(classify(error).0, Class::GeneratorDefect, "{error}");
        }
    }

    #[test]
    fn replay_failures_group_without_their_values() {
        assert_eq!(
            http_cause("sent query [(\"$top\", \"2\")] instead of []"),
            "sent query …"
        );
        assert_eq!(
            http_cause(
                "response: 200 response body is not the documented type: invalid type: string \"x\", expected i32 at line 3 column 9"
            ),
            "response: 200 response body is not the documented type: invalid type: string …, expected i32"
        );
        assert_eq!(
            http_cause("sent a different body at $.a.b"),
            "sent a different body"
        );
    }

    #[test]
    fn other_failures_are_generator_defects_grouped_without_specifics() {
        let a = classify(
            "does not deserialise at $.value[0]: invalid type: string \"Busy\", expected a sequence at line 4 column 2",
        );
        let b = classify(
            "does not deserialise at $.value[3]: invalid type: string \"Away\", expected a sequence at line 9 column 1",
        );
        assert_eq!(a, b);
        assert_eq!(a.0, Class::GeneratorDefect);
        assert_eq!(
            classify("changed on a round trip at $.value[0].x"),
            (
                Class::GeneratorDefect,
                "data changed on the round trip".to_owned()
            )
        );
        assert_eq!(
            classify("does not deserialise at $: missing field `value` at line 1 column 2").1,
            "does not deserialise: missing field …"
        );
    }
}
