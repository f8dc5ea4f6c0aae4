//! The round-trip check that turns the docs' examples into tests.
//!
//! An example passes when its JSON deserialises into the generated type and
//! serialises back to the same JSON. "The same" is JSON equality with two
//! allowances that carry no information: numbers compare by value (`1` and
//! `1.0`), and a member whose value is `null` equals an absent member, since
//! optional fields read both as `None`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::fixture::{Body, Check, ExampleCase, Exchange, Fixture};

/// One operation's example bodies: its fixture, the JSON file the generator
/// writes beside the crate (`fixtures/<operation>.json`, read with
/// `include_str!`), and the round trips of the types its request and
/// response bodies document. The bodies are data rather than code, so
/// neither the generator nor rustc handles them as Rust.
#[derive(Clone, Copy, Debug)]
pub struct Examples {
    /// The operation's request function, for failures of the fixture
    /// itself.
    pub operation: &'static str,
    /// The fixture's JSON: `{"examples": [ExampleCase, …], …}`.
    pub fixture: &'static str,
    /// Usually `round_trip::<T>` for the documented request body type `T`.
    pub request: Option<Check>,
    /// Usually `round_trip::<T>` for the documented response type `T`.
    pub response: Option<Check>,
}

impl Examples {
    /// The fixture's cases.
    ///
    /// # Errors
    /// The fixture is not a fixture: an edited or truncated file.
    pub fn cases(&self) -> Result<Vec<ExampleCase>, String> {
        Fixture::read(self.fixture).map(|f| f.examples)
    }

    fn check(&self, case: &ExampleCase) -> Result<(), String> {
        let check = match case.body {
            Body::Request => self.request,
            Body::Response => self.response,
        };
        check.ok_or_else(|| format!("no type to check a {:?} body against", case.body))?(&case.json)
    }
}

/// How a crate's mock Graph answered each of its routes, called once with
/// placeholder values (the `loopback` and `mock` features).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteTally {
    pub routes: usize,
    /// Answered with an example of the docs, read as the documented type.
    pub example: usize,
    /// Answered with the least value of the documented type.
    pub least_value: usize,
    /// Answered 501: no value of the documented type could be made up.
    pub not_implemented: usize,
    /// Not called: their path has a `.` or `..` segment, which the client
    /// refuses to send, so no application reaches them.
    pub refused: usize,
    /// The others, each with its operation and why.
    pub failed: Vec<String>,
}

impl std::fmt::Display for RouteTally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} answer as documented ({} with an example, {} with the least value of their type), {} answer 501 (no value of their type to give), {} cannot be sent (a dot segment in their path), {} fail",
            self.example + self.least_value,
            self.routes,
            self.example,
            self.least_value,
            self.not_implemented,
            self.refused,
            self.failed.len()
        )
    }
}

/// Where [`run`] writes a JSON report of every result, when set.
pub const REPORT_VARIABLE: &str = "DOCGEN_CONFORMANCE_REPORT";

/// One line of the report: an example and why it failed, if it did.
/// `codegen conformance` reads the report back with this same type.
#[derive(Debug, Serialize, Deserialize)]
pub struct Outcome {
    pub name: String,
    pub file: String,
    pub line: u32,
    pub error: Option<String>,
}

/// Checks every example, prints each failure with its page and line and a
/// closing `N passed, M failed` line, writes the report if
/// [`REPORT_VARIABLE`] is set, and returns how many failed.
///
/// # Panics
/// If the report cannot be written.
pub fn run(examples: &[Examples]) -> usize {
    let outcomes: Vec<Outcome> = crate::deep_stack::run(|| {
        examples
            .iter()
            .flat_map(|fixture| match fixture.cases() {
                Ok(cases) => cases
                    .into_iter()
                    .map(|case| Outcome {
                        error: fixture.check(&case).err(),
                        name: case.name,
                        file: case.file,
                        line: case.line,
                    })
                    .collect(),
                Err(error) => vec![Outcome::of_fixture(fixture.operation, error)],
            })
            .collect()
    });
    report(&outcomes, "examples", "")
}

impl Outcome {
    /// A fixture that does not read fails as a whole, under its
    /// operation's name.
    pub(crate) fn of_fixture(operation: &str, error: String) -> Outcome {
        Outcome {
            name: operation.to_owned(),
            file: format!("fixtures/{operation}.json"),
            line: 1,
            error: Some(error),
        }
    }
}

/// Prints each failure with its page and line and a closing
/// `what: N passed, M failed` line, writes the outcomes as JSON to the
/// file [`REPORT_VARIABLE`] names, with `suffix` appended, if it is set,
/// and returns how many failed.
///
/// # Panics
/// If the report cannot be written.
pub(crate) fn report(outcomes: &[Outcome], what: &str, suffix: &str) -> usize {
    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    for o in outcomes {
        if let Some(error) = &o.error {
            println!("{}:{}: {}: {error}", o.file, o.line, o.name);
        }
    }
    println!(
        "{what}: {} passed, {failed} failed",
        outcomes.len() - failed
    );
    if let Some(path) = std::env::var_os(REPORT_VARIABLE) {
        let mut path = path;
        path.push(suffix);
        let report = serde_json::to_string_pretty(outcomes).expect("outcomes serialise");
        std::fs::write(&path, report).expect("writing the conformance report");
    }
    failed
}

/// Deserialises `json` as `T`, serialises it back and compares.
///
/// # Errors
/// Says why the example does not round-trip: not JSON; not a `T`, with the
/// path of the member that did not fit (`$.a[0].b`, with `?` for steps
/// serde could not name, such as inside an untagged enum); the path of
/// the first member that came back different; or, for an example that
/// does round-trip, the alterations (members, annotations and enum values
/// the docs do not describe) a copy of it loses.
pub fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> Result<(), String> {
    let original: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let typed: T = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(json))
        .map_err(|e| {
            let at = crate::json_path::of(e.path());
            format!("does not deserialise at {at}: {}", e.inner())
        })?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialise: {e}"))?;
    if let Some(at) = json_difference(&original, &back, "$", Nulls::AsAbsent) {
        return Err(format!("changed on a round trip at {at}"));
    }
    crate::unknowns::survive::<T>(&original)
}

/// How [`json_difference`] treats a member whose value is `null`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nulls {
    /// `null` equals absent: a round trip through `Option` fields may drop
    /// one or add the other, and neither carries information.
    AsAbsent,
    /// `null` is a value: in a request body it clears a property, which an
    /// absent member does not.
    Kept,
}

/// The path of the first member where `a` and `b` differ. Numbers compare
/// by value (`1` and `1.0`; integers exactly); `nulls` says whether `null`
/// equals absent.
pub fn json_difference(a: &Value, b: &Value, at: &str, nulls: Nulls) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let same = match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            };
            (!same).then(|| at.to_owned())
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{at} (length {} vs {})", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (x, y))| json_difference(x, y, &format!("{at}[{i}]"), nulls))
        }
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            keys.into_iter().find_map(|k| {
                let at = format!("{at}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(x), Some(y)) => json_difference(x, y, &at, nulls),
                    (None, Some(Value::Null)) | (Some(Value::Null), None)
                        if nulls == Nulls::AsAbsent =>
                    {
                        None
                    }
                    _ => Some(at),
                }
            })
        }
        _ => (a != b).then(|| at.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize)]
    struct Thing {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        a: Option<f64>,
        #[serde(flatten)]
        rest: serde_json::Map<String, Value>,
    }

    /// Keeps only `a`.
    #[derive(Serialize, Deserialize)]
    struct Strict {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        a: Option<f64>,
    }

    #[test]
    fn nulls_and_number_spellings_carry_no_information() {
        assert_eq!(round_trip::<Thing>(r#"{"a": 1}"#), Ok(()));
        assert_eq!(round_trip::<Thing>(r#"{"a": null}"#), Ok(()));
    }

    #[test]
    fn lost_members_are_reported_with_their_path() {
        let err = round_trip::<Strict>(r#"{"a": 1, "b": [1]}"#).unwrap_err();
        assert_eq!(err, "changed on a round trip at $.b");
        assert_eq!(
            round_trip::<Vec<Strict>>(r#"[{"a": 1}, {"a": "x"}]"#).unwrap_err(),
            "does not deserialise at $[1].a: invalid type: string \"x\", expected f64 at line 1 column 20"
        );
        assert_eq!(
            round_trip::<Strict>("1").unwrap_err(),
            "does not deserialise at $: invalid type: integer `1`, expected struct Strict at line 1 column 1"
        );
        assert!(
            round_trip::<Strict>("{")
                .unwrap_err()
                .starts_with("not JSON")
        );
    }

    #[test]
    fn nulls_count_as_absent_only_when_asked() {
        let (a, b) = (
            serde_json::json!({"a": 1, "b": null}),
            serde_json::json!({"a": 1.0}),
        );
        assert_eq!(json_difference(&a, &b, "$", Nulls::AsAbsent), None);
        assert_eq!(
            json_difference(&a, &b, "$", Nulls::Kept),
            Some("$.b".to_owned())
        );
        let big = |n: u64| serde_json::json!(n);
        assert_eq!(
            json_difference(
                &big(9_007_199_254_740_993),
                &big(9_007_199_254_740_992),
                "$",
                Nulls::Kept
            ),
            Some("$".to_owned()),
            "integers beyond 2^53 compare exactly"
        );
    }

    #[test]
    fn run_counts_failures_and_fixtures_that_do_not_read() {
        let fixture = serde_json::json!({"operation": "things_get", "examples": [
            {"name": "good", "file": "a.md", "line": 1, "body": "request", "json": r#"{"a": 1}"#},
            {"name": "bad", "file": "a.md", "line": 9, "body": "response", "json": r#"{"a": true}"#},
            {"name": "unchecked", "file": "a.md", "line": 12, "body": "response", "json": "{}"},
        ]})
        .to_string()
        .leak();
        let examples = Examples {
            operation: "things_get",
            fixture,
            request: Some(round_trip::<Thing>),
            response: Some(round_trip::<Thing>),
        };
        assert_eq!(run(&[examples]), 1);
        // A body with no type to check it against fails.
        assert_eq!(
            run(&[Examples {
                response: None,
                ..examples
            }]),
            2
        );
        let truncated = Examples {
            fixture: r#"{"examples": [{"name": "good""#,
            ..examples
        };
        assert_eq!(run(&[truncated, examples]), 2);
    }
}
