//! The property behind every example's round trip: what the docs do not
//! describe survives it.
//!
//! The service adds properties, enum values and derived types faster than
//! the docs (and these bindings) follow. A client that reads a response
//! and writes it back (a PATCH after a GET, a copy to another tenant) must
//! not silently drop what it did not understand. So each example body that
//! round-trips is altered at random, and every altered copy must
//! round-trip too:
//! - a member no type declares, with any JSON value, added to any object;
//! - an `@odata` annotation (`@odata.etag`, `@odata.type` naming a type
//!   the docs do not list, a property's `name@odata.type`) added to any
//!   object;
//! - any string value, enum values included, replaced by a word no enum
//!   lists.
//!
//! The cases are drawn by proptest from a fixed seed, so a failure is
//! reproducible; it is shrunk to the fewest alterations that still lose
//! data, and reported with them.

use crate::conformance::{Nulls, json_difference};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// How many altered copies of each example are checked.
pub const CASES: u32 = 16;

/// One alteration of an example body.
#[derive(Clone, Debug)]
enum Alteration {
    /// A member no type declares, or an `@odata` annotation, added to the
    /// `object`-th object.
    Member {
        object: usize,
        name: String,
        value: Value,
    },
    /// The `string`-th string value replaced by a word no enum lists.
    Word { string: usize, word: String },
}

fn alteration() -> impl Strategy<Value = Alteration> {
    // Names with a prefix no Graph property has, so that they never stand
    // for a documented member of another type.
    let name = "unlisted[A-Z][a-zA-Z0-9]{0,10}";
    let word = "[a-z][a-zA-Z0-9]{2,12}";
    let annotation = prop_oneof![
        word.prop_map(|w| ("@odata.etag".to_owned(), format!("W/\"{w}\""))),
        word.prop_map(|w| ("@odata.type".to_owned(), format!("#microsoft.graph.{w}"))),
        word.prop_map(|w| ("@odata.id".to_owned(), format!("https://example.com/{w}"))),
        (word, word).prop_map(|(m, w)| (format!("{m}@odata.type"), format!("#{w}"))),
    ]
    .prop_map(|(name, value)| (name, Value::from(value)));
    // Unknown members, annotations and words, a third each.
    prop_oneof![
        2 => (any::<usize>(), prop_oneof![(name, json()), annotation])
            .prop_map(|(object, (name, value))| Alteration::Member {
                object,
                name,
                value,
            }),
        1 => (any::<usize>(), word).prop_map(|(string, word)| Alteration::Word { string, word }),
    ]
}

/// Any JSON value, nested a few levels.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "[ -~\u{e9}\u{4e2d}]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z@.]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Applies `alterations` to a copy of `body`.
fn alter(body: &Value, alterations: &[Alteration]) -> Value {
    let mut body = body.clone();
    for a in alterations {
        match a {
            Alteration::Member {
                object,
                name,
                value,
            } => with_nth(&mut body, Value::is_object, *object, |v| {
                if let Value::Object(o) = v {
                    o.insert(name.clone(), value.clone());
                }
            }),
            Alteration::Word { string, word } => {
                with_nth(&mut body, Value::is_string, *string, |v| {
                    *v = Value::from(word.as_str());
                });
            }
        }
    }
    body
}

/// Runs `change` on the `index`-th value of `body` (modulo their number)
/// that `kind` picks, in document order.
fn with_nth(
    body: &mut Value,
    kind: fn(&Value) -> bool,
    index: usize,
    change: impl FnOnce(&mut Value),
) {
    let mut count = 0;
    collect(body, &mut |v| count += usize::from(kind(v)));
    if count == 0 {
        return;
    }
    let target = index % count;
    let (mut seen, mut change) = (0, Some(change));
    collect(body, &mut |v| {
        if kind(v) {
            if seen == target
                && let Some(change) = change.take()
            {
                change(v);
            }
            seen += 1;
        }
    });
}

/// Calls `visit` on every value of `body`, parents before children.
fn collect(body: &mut Value, visit: &mut dyn FnMut(&mut Value)) {
    visit(body);
    match body {
        Value::Array(items) => items.iter_mut().for_each(|v| collect(v, visit)),
        Value::Object(members) => members.values_mut().for_each(|v| collect(v, visit)),
        _ => {}
    }
}

/// Checks [`CASES`] altered copies of `body`, which round-trips as `T`.
///
/// # Errors
/// The fewest alterations found that make a copy lose data, and where.
pub fn survive<T: Serialize + DeserializeOwned>(body: &Value) -> Result<(), String> {
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&prop::collection::vec(alteration(), 1..4), |alterations| {
        let altered = alter(body, &alterations);
        let typed: T = serde_json::from_value(altered.clone())
            .map_err(|e| TestCaseError::fail(format!("does not deserialise: {e}")))?;
        let back = serde_json::to_value(&typed)
            .map_err(|e| TestCaseError::fail(format!("does not serialise: {e}")))?;
        match json_difference(&altered, &back, "$", Nulls::AsAbsent) {
            None => Ok(()),
            Some(at) => Err(TestCaseError::fail(format!("changed at {at}"))),
        }
    });
    match result {
        Ok(()) => Ok(()),
        Err(TestError::Fail(why, alterations)) => Err(format!(
            "loses data the docs do not describe: {why}, after {alterations:?}"
        )),
        Err(TestError::Abort(why)) => Err(format!("altered copies not checked: {why}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// Keeps what it does not know.
    #[derive(Serialize, Deserialize)]
    struct Keeps {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        #[serde(flatten)]
        rest: Map<String, Value>,
    }

    /// Drops what it does not know.
    #[derive(Serialize, Deserialize)]
    struct Drops {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
    }

    /// Reads one known enum value and turns any other into the first.
    #[derive(Serialize, Deserialize)]
    struct Coerces {
        #[serde(deserialize_with = "known_kind")]
        kind: String,
        #[serde(flatten)]
        rest: Map<String, Value>,
    }

    fn known_kind<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let _ = String::deserialize(d)?;
        Ok("first".to_owned())
    }

    #[test]
    fn a_type_that_keeps_unknowns_survives() {
        assert_eq!(
            survive::<Keeps>(&json!({"kind": "a", "x": {"y": [1]}})),
            Ok(())
        );
    }

    #[test]
    fn a_type_that_drops_members_fails_with_the_alterations() {
        let e = survive::<Drops>(&json!({"kind": "a"})).unwrap_err();
        assert!(
            e.starts_with("loses data the docs do not describe: changed at $."),
            "{e}"
        );
        assert!(e.contains("Member") || e.contains("Annotation"), "{e}");
    }

    #[test]
    fn a_type_that_forgets_enum_values_fails() {
        let e = survive::<Coerces>(&json!({"kind": "first"})).unwrap_err();
        assert!(e.contains("changed at $.kind") && e.contains("Word"), "{e}");
    }

    #[test]
    fn alterations_reach_nested_objects_and_strings() {
        let body = json!({"a": [{"b": "x"}, {"c": "y"}]});
        let changed = alter(
            &body,
            &[
                Alteration::Member {
                    object: 2,
                    name: "unlistedZ".to_owned(),
                    value: json!(1),
                },
                Alteration::Word {
                    string: 1,
                    word: "qq".to_owned(),
                },
            ],
        );
        assert_eq!(
            changed,
            json!({"a": [{"b": "x"}, {"c": "qq", "unlistedZ": 1}]})
        );
    }
}
