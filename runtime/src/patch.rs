//! Fields of an update (PATCH) body, which tell three states apart.
//!
//! Graph reads a PATCH body member by member: a member left out keeps its
//! value, a member sent as `null` clears it, and a member with a value sets
//! it. `Option<T>` has only two states, so update bodies use [`Patch<T>`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field of an update body.
///
/// Generated update structs read and write their fields through
/// [`object`](crate::object): `Absent` fields are left out of the JSON and
/// `Null` ones are sent as `null`; a member that is not there reads as
/// `Absent`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Patch<T> {
    /// Not sent: the service keeps the current value.
    #[default]
    Absent,
    /// Sent as `null`: the service clears the value.
    Null,
    /// Sent: the service sets this value.
    Value(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out of the body.
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Value(value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached when a field lacks `skip_serializing_if`.
            Patch::Absent | Patch::Null => serializer.serialize_none(),
            Patch::Value(v) => v.serialize(serializer),
        }
    }
}

/// A member present in the JSON is `Null` or `Value`; an absent member
/// never reaches this and takes the field's default, `Absent`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Patch::Null,
            Some(v) => Patch::Value(v),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Update {
        #[serde(default, skip_serializing_if = "Patch::is_absent")]
        name: Patch<String>,
        #[serde(default, skip_serializing_if = "Patch::is_absent")]
        phone: Patch<String>,
        #[serde(default, skip_serializing_if = "Patch::is_absent")]
        size: Patch<i32>,
    }

    #[test]
    fn absent_null_and_value_are_three_different_bodies() {
        let update = Update {
            name: "Ada".to_owned().into(),
            phone: Patch::Null,
            ..Update::default()
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({"name": "Ada", "phone": null})
        );
    }

    #[test]
    fn reading_keeps_the_three_states() {
        let update: Update = serde_json::from_value(json!({"phone": null, "size": 3})).unwrap();
        assert_eq!(
            update,
            Update {
                name: Patch::Absent,
                phone: Patch::Null,
                size: Patch::Value(3),
            }
        );
    }
}
