//! The round-trip check that turns the docs' examples into tests.
//!
//! An example passes when its JSON deserialises into the generated type and
//! serialises back to the same JSON. "The same" is JSON equality with two
//! allowances that carry no information: numbers compare by value (`1` and
//! `1.0`), and a member whose value is `null` equals an absent member, since
//! optional fields read both as `None`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Deserialises `json` as `T`, serialises it back and compares.
///
/// # Errors
/// Says why the example does not round-trip: not JSON, not a `T`, or the
/// path of the first member that came back different.
pub fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> Result<(), String> {
    let original: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let typed: T = serde_json::from_str(json).map_err(|e| format!("does not deserialise: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialise: {e}"))?;
    match first_difference(&original, &back, "$") {
        None => Ok(()),
        Some(at) => Err(format!("changed on a round trip at {at}")),
    }
}

fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (x.as_f64() != y.as_f64()).then(|| at.to_owned()),
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{at} (length {} vs {})", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (x, y))| first_difference(x, y, &format!("{at}[{i}]")))
        }
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            keys.into_iter().find_map(|k| {
                let (x, y) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                first_difference(x, y, &format!("{at}.{k}"))
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
    }

    #[test]
    fn nulls_and_number_spellings_carry_no_information() {
        assert_eq!(round_trip::<Thing>(r#"{"a": 1}"#), Ok(()));
        assert_eq!(round_trip::<Thing>(r#"{"a": null}"#), Ok(()));
    }

    #[test]
    fn lost_members_are_reported_with_their_path() {
        let err = round_trip::<Thing>(r#"{"a": 1, "b": [1]}"#).unwrap_err();
        assert_eq!(err, "changed on a round trip at $.b");
        assert!(
            round_trip::<Thing>(r#"{"a": "x"}"#)
                .unwrap_err()
                .starts_with("does not deserialise")
        );
        assert!(
            round_trip::<Thing>("{")
                .unwrap_err()
                .starts_with("not JSON")
        );
    }
}
